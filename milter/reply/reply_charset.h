/*
 * NAME
 *	reply_charset 3h
 * SUMMARY
 *	decode a text part's charset into clean UTF-8
 * SYNOPSIS
 *	#include "reply_charset.h"
 *
 *	int	reply_charset_to_utf8(const char *charset, const char *in,
 *				size_t len, struct strbuf *out);
 *	int	reply_utf8_clean(const char *in, size_t len, struct strbuf *out);
 *	int32_t	reply_utf8_next(const unsigned char *s, size_t len, size_t *adv);
 *	int	reply_same_bytes(const char *a, const char *b, size_t n);
 * DESCRIPTION
 *	reply_charset_to_utf8() converts LEN bytes of IN, labelled
 *	CHARSET (a MIME charset name, NULL or "" when none), to UTF-8 and
 *	appends the result to OUT. UTF-8, us-ascii, unknown and invalid
 *	charset names are read as UTF-8; every other name goes through
 *	iconv(3) (glibc knows WINDOWS-1258, VISCII, ISO-8859-x, KOI8-R,
 *	Big5, ...). Bytes the charset cannot decode become U+FFFD.
 *
 *	reply_utf8_clean() appends IN to OUT as UTF-8 that can be trusted:
 *	invalid sequences (bad lead bytes, overlong forms, surrogates,
 *	truncated sequences) become U+FFFD, CR LF and lone CR become LF,
 *	NUL and other C0/C1 controls except TAB and LF are dropped.
 *	Both functions apply the same cleaning to their output.
 *
 *	reply_utf8_next() is utf8_decode() (utf8.h), the same result for
 *	every input, with the sequences of most text (ASCII, two bytes,
 *	three bytes outside E0 and ED) decoded inline: the analysis decodes
 *	every character of a reply several times.
 *
 *	reply_same_bytes() says whether the N bytes at A and B are the
 *	same, compared inline: the analysis compares words of a few bytes
 *	(the lexicon's, a syllable's parts), where a call to memcmp(3) costs
 *	more than the comparison.
 * DIAGNOSTICS
 *	Both return 0, or -1 when out of memory.
 */
#ifndef LINKS_REPLY_CHARSET_H
#define LINKS_REPLY_CHARSET_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

#define REPLY_CHARSET_NAME_MAX	64	/* longest charset name accepted */

int	reply_charset_to_utf8(const char *charset, const char *in, size_t len,
			      struct strbuf *out);
int	reply_utf8_clean(const char *in, size_t len, struct strbuf *out);

/* Eight bytes in one 64-bit word: each byte 1, each byte's bit 7. */
#define REPLY_WORD_ONES		0x0101010101010101ULL
#define REPLY_WORD_HIGHS	0x8080808080808080ULL
#define REPLY_WORD		8	/* bytes of a uint64_t */

/* reply_printable8 - whether the REPLY_WORD bytes at S are all printable
 * ASCII, 0x20..0x7E: one test of the eight at once, in any byte order */
static inline int
reply_printable8(const unsigned char *s)
{
	uint64_t x;

	memcpy(&x, s, REPLY_WORD);
	return ((x & REPLY_WORD_HIGHS) == 0		/* none >= 0x80 */
		&& ((x + REPLY_WORD_ONES * (0x80 - 0x20)) & REPLY_WORD_HIGHS) == REPLY_WORD_HIGHS
		&& ((x + REPLY_WORD_ONES) & REPLY_WORD_HIGHS) == 0);	/* none < 0x20, no DEL */
}

/* reply_utf8_next - utf8_decode(), the common sequences inline */
static inline int32_t
reply_utf8_next(const unsigned char *s, size_t len, size_t *adv)
{
	unsigned c = s[0];

	if (c < 0x80) {
		*adv = 1;
		return ((int32_t) c);
	}
	if (c >= 0xC2 && c <= 0xDF && len >= 2 && (s[1] & 0xC0) == 0x80) {
		*adv = 2;
		return ((int32_t) ((c & 0x1F) << 6 | (s[1] & 0x3Fu)));
	}
	/* E0 (overlong forms) and ED (surrogates) are checked by utf8_decode */
	if (c >= 0xE1 && c <= 0xEF && c != 0xED && len >= 3 && (s[1] & 0xC0) == 0x80
	    && (s[2] & 0xC0) == 0x80) {
		*adv = 3;
		return ((int32_t) ((c & 0x0F) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu)));
	}
	return (utf8_decode(s, len, adv));
}

/* reply_same_bytes - memcmp(3) == 0 of a few bytes, inline */
static inline int
reply_same_bytes(const char *a, const char *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (0);
	return (1);
}

#endif
