/*
 * NAME
 *	reply_tcvn 3
 * SUMMARY
 *	text typed in a TCVN3 (.VnTime) font, read back as Vietnamese
 * SYNOPSIS
 *	#include "reply_tcvn.h"
 * DESCRIPTION
 *	See reply_tcvn.h. The table is VN3, the part of TCVN 5712:1993
 *	its fonts draw: the capitals Ă Â Ê Ô Ơ Ư Đ, the lower-case
 *	letters with their vowel shape and tone (a toned capital is typed
 *	as the lower-case byte, which the ".VnTimeH" fonts draw as a
 *	capital). Seen as windows-1252 those bytes are the Latin-1
 *	letters and signs U+00A1 to U+00FE. A word is mapped when its
 *	letters, marks removed, spell a syllable (reply_viet_syllable());
 *	a line is mapped back by the rule of a VNI-font line
 *	(reply_viet_font_line(), reply_viet_font_repair()).
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "reply_tcvn.h"
#include "reply_viet.h"
#include "utf8.h"

/* One font character: its byte (= its code point as windows-1252), the letter, its key, its marks. */
static const struct {
	unsigned char byte;
	int32_t	cp;
	char	key;
	char	marks;
} tcvn3[] = {
	{0xA1, 0x0102, 'a', 1}, {0xA2, 0x00C2, 'a', 1}, {0xA3, 0x00CA, 'e', 1}, {0xA4, 0x00D4, 'o', 1},
	{0xA5, 0x01A0, 'o', 1}, {0xA6, 0x01AF, 'u', 1}, {0xA7, 0x0110, 'd', 0}, {0xA8, 0x0103, 'a', 1},
	{0xA9, 0x00E2, 'a', 1}, {0xAA, 0x00EA, 'e', 1}, {0xAB, 0x00F4, 'o', 1}, {0xAC, 0x01A1, 'o', 1},
	{0xAD, 0x01B0, 'u', 1}, {0xAE, 0x0111, 'd', 0}, {0xB5, 0x00E0, 'a', 1}, {0xB6, 0x1EA3, 'a', 1},
	{0xB7, 0x00E3, 'a', 1}, {0xB8, 0x00E1, 'a', 1}, {0xB9, 0x1EA1, 'a', 1}, {0xBB, 0x1EB1, 'a', 2},
	{0xBC, 0x1EB3, 'a', 2}, {0xBD, 0x1EB5, 'a', 2}, {0xBE, 0x1EAF, 'a', 2}, {0xC6, 0x1EB7, 'a', 2},
	{0xC7, 0x1EA7, 'a', 2}, {0xC8, 0x1EA9, 'a', 2}, {0xC9, 0x1EAB, 'a', 2}, {0xCA, 0x1EA5, 'a', 2},
	{0xCB, 0x1EAD, 'a', 2}, {0xCC, 0x00E8, 'e', 1}, {0xCE, 0x1EBB, 'e', 1}, {0xCF, 0x1EBD, 'e', 1},
	{0xD0, 0x00E9, 'e', 1}, {0xD1, 0x1EB9, 'e', 1}, {0xD2, 0x1EC1, 'e', 2}, {0xD3, 0x1EC3, 'e', 2},
	{0xD4, 0x1EC5, 'e', 2}, {0xD5, 0x1EBF, 'e', 2}, {0xD6, 0x1EC7, 'e', 2}, {0xD7, 0x00EC, 'i', 1},
	{0xD8, 0x1EC9, 'i', 1}, {0xDC, 0x0129, 'i', 1}, {0xDD, 0x00ED, 'i', 1}, {0xDE, 0x1ECB, 'i', 1},
	{0xDF, 0x00F2, 'o', 1}, {0xE1, 0x1ECF, 'o', 1}, {0xE2, 0x00F5, 'o', 1}, {0xE3, 0x00F3, 'o', 1},
	{0xE4, 0x1ECD, 'o', 1}, {0xE5, 0x1ED3, 'o', 2}, {0xE6, 0x1ED5, 'o', 2}, {0xE7, 0x1ED7, 'o', 2},
	{0xE8, 0x1ED1, 'o', 2}, {0xE9, 0x1ED9, 'o', 2}, {0xEA, 0x1EDD, 'o', 2}, {0xEB, 0x1EDF, 'o', 2},
	{0xEC, 0x1EE1, 'o', 2}, {0xED, 0x1EDB, 'o', 2}, {0xEE, 0x1EE3, 'o', 2}, {0xEF, 0x00F9, 'u', 1},
	{0xF1, 0x1EE7, 'u', 1}, {0xF2, 0x0169, 'u', 1}, {0xF3, 0x00FA, 'u', 1}, {0xF4, 0x1EE5, 'u', 1},
	{0xF5, 0x1EEB, 'u', 2}, {0xF6, 0x1EED, 'u', 2}, {0xF7, 0x1EEF, 'u', 2}, {0xF8, 0x1EE9, 'u', 2},
	{0xF9, 0x1EF1, 'u', 2}, {0xFA, 0x1EF3, 'y', 1}, {0xFB, 0x1EF7, 'y', 1}, {0xFC, 0x1EF9, 'y', 1},
	{0xFD, 0x00FD, 'y', 1}, {0xFE, 0x1EF5, 'y', 1},
};

#define NTCVN3	(sizeof(tcvn3) / sizeof(tcvn3[0]))

/* font_char - the table entry of code point CP, or -1 */
static int
font_char(int32_t cp)
{
	size_t	i;

	if (cp < 0xA1 || cp > 0xFE)
		return (-1);
	for (i = 0; i < NTCVN3; i++)
		if (tcvn3[i].byte == cp)
			return ((int) i);
	return (-1);
}

/* letter - a code point a TCVN3 word is made of */
static int
letter(int32_t cp)
{
	return ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || font_char(cp) >= 0);
}

/* word - append the TCVN3 word CP (N) to OUT when it spells a syllable */
static int
word(const int32_t *cp, size_t n, struct strbuf *out, int *marks)
{
	char	key[REPLY_VIET_WORD_MAX + 1] = "";
	size_t	i;
	int	k;

	if (n > REPLY_VIET_WORD_MAX)
		return (0);
	for (i = 0; i < n; i++) {
		k = font_char(cp[i]);
		key[i] = (char) (k >= 0 ? tcvn3[k].key : (cp[i] | 0x20));
		*marks += k >= 0 ? tcvn3[k].marks : 0;
	}
	if (!reply_viet_syllable(key, n))
		return (0);
	for (i = 0; i < n; i++)
		if (strbuf_addcp(out, (k = font_char(cp[i])) >= 0 ? tcvn3[k].cp : cp[i]) < 0)
			return (-1);
	return (1);
}

static const struct reply_viet_font tcvn3_font = {0xA1, letter, word};

int
reply_tcvn_repair(const char *s, size_t len, struct strbuf *out)
{
	return (reply_viet_font_repair(s, len, out, &tcvn3_font));
}
