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
 * DIAGNOSTICS
 *	Both return 0, or -1 when out of memory.
 */
#ifndef LINKS_REPLY_CHARSET_H
#define LINKS_REPLY_CHARSET_H

#include <stddef.h>

#include "strbuf.h"

#define REPLY_CHARSET_NAME_MAX	64	/* longest charset name accepted */

int	reply_charset_to_utf8(const char *charset, const char *in, size_t len,
			      struct strbuf *out);
int	reply_utf8_clean(const char *in, size_t len, struct strbuf *out);

#endif
