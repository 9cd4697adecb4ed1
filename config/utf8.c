/*
 * NAME
 *	utf8 3
 * SUMMARY
 *	UTF-8 decoding and validation
 * SYNOPSIS
 *	#include "utf8.h"
 * DESCRIPTION
 *	See utf8.h.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "utf8.h"

#define UTF8_MAX_CP	0x10FFFF
#define UTF8_SEQ_MAX	4		/* bytes of the longest sequence */

/* utf8_decode - one code point, or -1 for a malformed sequence */
int32_t
utf8_decode(const unsigned char *s, size_t len, size_t *adv)
{
	int32_t	cp;
	size_t	need, i;
	unsigned char c = s[0];

	*adv = 1;
	if (c < 0x80)
		return (c);
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
	} else
		return (-1);
	if (len < need + 1)
		return (-1);
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return (-1);
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000)
	    || cp > UTF8_MAX_CP || (cp >= 0xD800 && cp <= 0xDFFF))
		return (-1);
	*adv = need + 1;
	return (cp);
}

/* utf8_seq - the length of the well-formed, non-NUL sequence at S, or 0 */
size_t
utf8_seq(const unsigned char *s, size_t len)
{
	size_t	adv;

	if (len == 0 || s[0] == 0 || utf8_decode(s, len, &adv) < 0)
		return (0);
	return (adv);
}

/* utf8_valid - whether LEN bytes are well-formed UTF-8 without NUL */
int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t	i = 0, n;

	while (i < len) {
		if (p[i] >= 0x01 && p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_seq(p + i, len - i)) == 0)
			return (0);
		i += n;
	}
	return (1);
}

/* utf8_text_ok - well-formed text of at most MAXLEN bytes, no controls but TAB */
int
utf8_text_ok(const char *s, size_t maxlen)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t	len = 0, adv;
	int32_t	cp;

	while (p[len] != 0) {
		if (len >= maxlen)
			return (0);
		cp = utf8_decode(p + len, UTF8_SEQ_MAX, &adv);	/* the NUL stops it */
		if (cp < 0 || (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp < 0xA0))
			return (0);
		len += adv;
	}
	return (len <= maxlen);
}
