/*
 * NAME
 *	reply_charset 3
 * SUMMARY
 *	decode a text part's charset into clean UTF-8
 * SYNOPSIS
 *	#include "reply_charset.h"
#include "utf8.h"
 * DESCRIPTION
 *	See reply_charset.h. glibc's iconv has WINDOWS-1258 (Vietnamese
 *	with combining tone marks, which it composes) and VISCII; both
 *	were verified when this module was written, and the test suite
 *	checks them (tests/unit/test_reply.c), so a C library without them
 *	fails the build's tests instead of silently mis-decoding.
 *
 *	A fresh iconv descriptor is opened per conversion: descriptors
 *	carry shift state and cannot be shared by threads.
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "reply_charset.h"
#include "utf8.h"

#define CHUNK	4096		/* iconv output chunk */

int
reply_utf8_clean(const char *in, size_t len, struct strbuf *out)
{
	const unsigned char *s = (const unsigned char *) in;
	size_t	i = 0, run = 0, adv;
	int32_t	cp;

	/* Valid text is copied in runs; only what must change is rewritten. */
	if (strbuf_reserve(out, len) < 0)
		return (-1);
	while (i < len) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7F) {
			/* printable ASCII (header fields: all of them) by words */
			for (i++; len - i >= REPLY_WORD && reply_printable8(s + i); i += REPLY_WORD)
				;
			continue;
		}
		if (c >= 0x80) {
			cp = reply_utf8_next(s + i, len - i, &adv);
			if (cp >= 0xA0 || (cp >= 0 && cp < 0x80)) {
				i += adv;
				continue;
			}
		} else if (c == '\n' || c == '\t') {
			i++;
			continue;
		}
		/* flush the valid run, then fix this one */
		if (i > run && strbuf_add(out, s + run, i - run) < 0)
			return (-1);
		if (c >= 0x80) {
			i += adv;
			if (cp < 0 && strbuf_add(out, "\xef\xbf\xbd", 3) < 0)
				return (-1);
			/* C1 controls are dropped */
		} else {
			if (c == '\r') {
				if (i + 1 < len && s[i + 1] == '\n')
					i++;
				if (strbuf_addc(out, '\n') < 0)
					return (-1);
			}
			/* other C0 controls and DEL are dropped */
			i++;
		}
		run = i;
	}
	if (i > run && strbuf_add(out, s + run, i - run) < 0)
		return (-1);
	return (strbuf_reserve(out, 0));
}

/* Whether NAME is a plausible charset name, lower-cased into LOW. */
static int
charset_name(const char *name, char *low, size_t lowlen)
{
	size_t	i;

	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char) name[i];

		if (i + 1 >= lowlen)
			return (0);
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		      || (c >= '0' && c <= '9') || c == '-' || c == '_'
		      || c == '.' || c == ':'))
			return (0);
		low[i] = (char) ((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	low[i] = 0;
	return (i > 0);
}

static int
is_utf8_name(const char *low)
{
	static const char *const names[] = {
		"utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968",
		"unicode-1-1-utf-8", "x-unknown", "unknown", "unknown-8bit",
		"default", NULL
	};
	size_t	i;

	for (i = 0; names[i]; i++)
		if (strcmp(low, names[i]) == 0)
			return (1);
	return (0);
}

int
reply_charset_to_utf8(const char *charset, const char *in, size_t len,
		      struct strbuf *out)
{
	char	low[REPLY_CHARSET_NAME_MAX];
	char	chunk[CHUNK];
	iconv_t	cd;
	char   *ip, *op;
	size_t	il, ol, r;
	struct strbuf tmp;
	int	ret = -1;

	if (charset == NULL || !charset_name(charset, low, sizeof(low))
	    || is_utf8_name(low))
		return (reply_utf8_clean(in, len, out));
	/* Common aliases iconv may not know. */
	if (strcmp(low, "cp-1258") == 0 || strcmp(low, "x-cp1258") == 0)
		strcpy(low, "windows-1258");
	if ((cd = iconv_open("UTF-8", low)) == (iconv_t) - 1)
		return (reply_utf8_clean(in, len, out));
	strbuf_init(&tmp);
	ip = (char *) in;
	il = len;
	while (il > 0) {
		op = chunk;
		ol = sizeof(chunk);
		r = iconv(cd, &ip, &il, &op, &ol);
		if (op > chunk && strbuf_add(&tmp, chunk, (size_t) (op - chunk)) < 0)
			goto fail;
		if (r != (size_t) - 1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL: one undecodable byte becomes U+FFFD. */
		if (strbuf_addcp(&tmp, 0xFFFD) < 0)
			goto fail;
		ip++;
		il--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	op = chunk;
	ol = sizeof(chunk);
	iconv(cd, NULL, NULL, &op, &ol);
	if (op > chunk && strbuf_add(&tmp, chunk, (size_t) (op - chunk)) < 0)
		goto fail;
	ret = reply_utf8_clean(tmp.data ? tmp.data : "", tmp.len, out);
fail:
	iconv_close(cd);
	strbuf_free(&tmp);
	return (ret);
}
