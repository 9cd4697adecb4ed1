/*
 * NAME
 *	reply_xfer 3h
 * SUMMARY
 *	MIME transfer decoding (base64, quoted-printable) of a part body
 * SYNOPSIS
 *	#include "reply_xfer.h"
 *
 *	int	reply_xfer_b64_value(int c);
 *	int	reply_xfer_base64(const char *in, size_t len, size_t max,
 *				  struct strbuf *out, int *cut);
 *	int	reply_xfer_qp(const char *in, size_t len, size_t max,
 *			      struct strbuf *out, int *cut);
 * DESCRIPTION
 *	The decoders of a part's body (RFC 2045), written for the reply
 *	analysis: one pass over the bytes, runs copied with memcpy(3),
 *	output written into OUT's reserved memory (libetpan's decoders,
 *	used before, append byte by byte and cost about as much as the
 *	rest of the MIME walk on a 50 KB message). They give exactly what
 *	libetpan's mailmime_part_parse() gave, malformed input included,
 *	so no verdict changes:
 *
 *	reply_xfer_base64(): characters outside the alphabet (line
 *	breaks, "=" padding, garbage) are skipped; a last group of 2 or 3
 *	characters gives 1 or 2 bytes, a lone last character 1 byte.
 *
 *	reply_xfer_qp(): "=XX" is the byte XX (a digit that is not
 *	hexadecimal counts as 0), "=" at a line end is a soft line break
 *	("=\r" at the very end ends the body), every line break (LF, CR
 *	LF or a lone CR; a CR at the very end is dropped) becomes CR LF,
 *	a "=" that is the last byte is kept; "=C" at the very end gives
 *	C and a NUL byte ("==" gives "==").
 *
 *	Each appends at most MAX decoded bytes to OUT and sets *CUT when
 *	the body decodes to more. reply_xfer_b64_value() is the value of
 *	a base64 character, -1 for others (RFC 2047 words use it too).
 * DIAGNOSTICS
 *	0, or -1 when out of memory.
 */
#ifndef LINKS_REPLY_XFER_H
#define LINKS_REPLY_XFER_H

#include <stddef.h>

#include "strbuf.h"

int	reply_xfer_b64_value(int c);
int	reply_xfer_base64(const char *in, size_t len, size_t max, struct strbuf *out, int *cut);
int	reply_xfer_qp(const char *in, size_t len, size_t max, struct strbuf *out, int *cut);

#endif
