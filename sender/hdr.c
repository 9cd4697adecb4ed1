/*
 * NAME
 *	hdr 3
 * SUMMARY
 *	header values: validation and RFC 2047 encoding
 * SYNOPSIS
 *	#include "hdr.h"
#include "utf8.h"
 * DESCRIPTION
 *	See hdr.h. Encoded words use the "B" encoding of UTF-8: Vietnamese
 *	text is mostly non-ASCII, where "Q" would triple the size.
 *	The chunk size keeps "Subject: [QC] " plus one word within 78
 *	columns, so a writer that folds only at spaces never has to
 *	produce a longer line.
 * DIAGNOSTICS
 *	NULL or 0 as described in hdr.h; nothing is logged here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "hdr.h"
#include "utf8.h"

/* hdr_value_safe - whether S may reach a header; see hdr.h */
int
hdr_value_safe(const char *s)
{
	size_t	len, i;

	if (s == NULL)
		return (0);
	len = strlen(s);
	if (len > HDR_VALUE_MAX || !utf8_valid(s, len))
		return (0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char) s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return (0);
	}
	return (1);
}

/* hdr_address_valid - whether ADDR is a plain addr-spec we put in headers and SMTP */
int
hdr_address_valid(const char *addr)
{
	const char *at = NULL, *p;
	size_t	len;

	if (addr == NULL || (len = strlen(addr)) == 0 || len > HDR_ADDR_MAX)
		return (0);
	for (p = addr; *p; p++) {
		unsigned char c = (unsigned char) *p;

		if (c <= 0x20 || c >= 0x7f || strchr("\"()<>[]\\,;:", c) != NULL)
			return (0);
		if (c == '@') {
			if (at != NULL)
				return (0);
			at = p;
		}
	}
	return (at != NULL && at != addr && at[1] != 0);
}

/* is_ascii - whether S is all ASCII */
static int
is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s >= 0x80)
			return (0);
	return (1);
}

/*
 * ASCII text that can stay in clear: no "=?" (it would read as an
 * encoded word) and no word too long to fold within 78 columns.
 */
#define HDR_PLAIN_WORD_MAX 60

/* plain_ok - whether ASCII text S can stay in clear in a header */
static int
plain_ok(const char *s)
{
	size_t	run = 0;

	if (!is_ascii(s) || strstr(s, "=?") != NULL)
		return (0);
	for (; *s; s++) {
		run = (*s == ' ') ? 0 : run + 1;
		if (run > HDR_PLAIN_WORD_MAX)
			return (0);
	}
	return (1);
}

/*
 * Append the encoded words of TEXT to OUT (which has room: the caller
 * sized it with encoded_size()).
 */
#define EW_PREFIX	"=?UTF-8?B?"
#define EW_SUFFIX	"?="

/* encoded_size - bytes the encoded words of LEN bytes of text need at most */
static size_t
encoded_size(size_t len)
{
	size_t	words = len / 1 + 1;	/* worst case: one word per byte */

	return (words * (sizeof(EW_PREFIX) + sizeof(EW_SUFFIX) + 1)
		+ 4 * (len / 3 + 1) + 4 * words + 1);
}

/* encode_words - append the RFC 2047 encoded words of TEXT to OUT */
static void
encode_words(char *out, const char *text)
{
	const unsigned char *p = (const unsigned char *) text;
	size_t	len = strlen(text), i = 0, o = strlen(out);

	while (i < len) {
		size_t	chunk = 0, n;

		/* Whole characters only, up to HDR_WORD_BYTES bytes. */
		while (i + chunk < len) {
			n = utf8_seq(p + i + chunk, len - i - chunk);
			if (n == 0)
				n = 1;		/* cannot happen: validated */
			if (chunk + n > HDR_WORD_BYTES)
				break;
			chunk += n;
		}
		if (o > 0 && out[o - 1] != ' ')
			out[o++] = ' ';
		memcpy(out + o, EW_PREFIX, sizeof(EW_PREFIX) - 1);
		o += sizeof(EW_PREFIX) - 1;
		o += (size_t) EVP_EncodeBlock((unsigned char *) out + o, p + i, (int) chunk);
		memcpy(out + o, EW_SUFFIX, sizeof(EW_SUFFIX) - 1);
		o += sizeof(EW_SUFFIX) - 1;
		out[o] = 0;
		i += chunk;
	}
}

/* detab - a copy of S with tabs made spaces; the caller frees it */
static char *
detab(const char *s)
{
	char   *d = strdup(s), *p;

	if (d != NULL)
		for (p = d; *p; p++)
			if (*p == '\t')
				*p = ' ';
	return (d);
}

/* hdr_encode_words - the value of an unstructured header; see hdr.h */
char   *
hdr_encode_words(const char *label, const char *text)
{
	char   *out = NULL, *t = NULL;
	size_t	llen = 0, size;

	if (label != NULL && *label != 0) {
		if (!hdr_value_safe(label) || !is_ascii(label))
			return (NULL);
		llen = strlen(label);
	}
	if (!hdr_value_safe(text) || (t = detab(text)) == NULL)
		return (NULL);
	size = llen + 1 + encoded_size(strlen(t));
	if ((out = malloc(size)) == NULL)
		goto fail;
	out[0] = 0;
	if (llen > 0)
		memcpy(out, label, llen + 1);
	if (plain_ok(t)) {
		if (llen > 0 && *t != 0)
			strcat(out, " ");
		strcat(out, t);
	} else
		encode_words(out, t);
	free(t);
	return (out);

fail:
	free(t);
	free(out);
	return (NULL);
}

/* is_plain_phrase - whether S is RFC 5322 atext words separated by single spaces */
static int
is_plain_phrase(const char *s)
{
	if (*s == 0 || *s == ' ')
		return (0);
	for (; *s; s++) {
		unsigned char c = (unsigned char) *s;

		if (c >= 0x80 || c < 0x20)
			return (0);
		if (!(c == ' ' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
		      || (c >= 'A' && c <= 'Z') || strchr("!#$%&'*+-/=?^_`{|}~", c)))
			return (0);
		if (c == ' ' && (s[1] == ' ' || s[1] == 0))
			return (0);
	}
	return (1);
}

/*
 * hdr_phrase - a display name for an address header; see hdr.h.
 *
 * A display name is ONE encoded word: decoders disagree about the white
 * space between adjacent encoded words in a phrase (RFC 2047 drops it,
 * Python's email package keeps it), so a name split over several words
 * would come out wrong in one of them. A longer name is shortened at a
 * word boundary (else a character boundary); the body still greets the
 * customer by the full name.
 */
char   *
hdr_phrase(const char *name)
{
	char   *out, *t;
	const unsigned char *p;
	size_t	len, cut = 0, i = 0, n;

	if (!hdr_value_safe(name) || (t = detab(name)) == NULL)
		return (NULL);
	if (is_plain_phrase(t) && plain_ok(t) && strlen(t) <= HDR_PHRASE_BYTES)
		return (t);
	p = (const unsigned char *) t;
	len = strlen(t);
	if (len > HDR_PHRASE_BYTES) {
		size_t	last_space = 0;

		while (i < len && (n = utf8_seq(p + i, len - i)) != 0 && i + n <= HDR_PHRASE_BYTES) {
			if (p[i] == ' ')
				last_space = i;
			i += n;
		}
		cut = last_space > 0 ? last_space : i;
		t[cut] = 0;
		len = cut;
	}
	if ((out = malloc(sizeof(EW_PREFIX) + sizeof(EW_SUFFIX) + 4 * (len / 3 + 1) + 1)) != NULL) {
		int	o;

		memcpy(out, EW_PREFIX, sizeof(EW_PREFIX) - 1);
		o = (int) sizeof(EW_PREFIX) - 1;
		o += EVP_EncodeBlock((unsigned char *) out + o, p, (int) len);
		memcpy(out + o, EW_SUFFIX, sizeof(EW_SUFFIX));
	}
	free(t);
	return (out);
}
