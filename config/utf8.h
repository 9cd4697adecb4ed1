/*
 * NAME
 *	utf8 3h
 * SUMMARY
 *	UTF-8 decoding and validation, one set of rules for every program
 * SYNOPSIS
 *	#include "utf8.h"
 *
 *	int32_t	utf8_decode(const unsigned char *s, size_t len, size_t *adv);
 *	size_t	utf8_seq(const unsigned char *s, size_t len);
 *	int	utf8_valid(const char *s, size_t len);
 *	int	utf8_text_ok(const char *s, size_t maxlen);
 * DESCRIPTION
 *	Well-formed UTF-8 is RFC 3629's: no overlong forms, no surrogates
 *	(U+D800..U+DFFF), nothing past U+10FFFF.
 *
 *	utf8_decode() decodes the sequence at S (LEN > 0 bytes available):
 *	it returns the code point and sets *ADV to its length, or returns
 *	-1 with *ADV = 1 for a byte that does not start a well-formed
 *	sequence.
 *
 *	utf8_seq() returns the length of the well-formed sequence at S, or
 *	0 when there is none or it is a NUL.
 *
 *	utf8_valid() says whether the LEN bytes at S are well-formed UTF-8
 *	without a NUL.
 *
 *	utf8_text_ok() says whether the NUL-terminated S is text fit for a
 *	record or a header value: well-formed, at most MAXLEN bytes, no C0
 *	control but TAB, no DEL and no C1 control.
 */
#ifndef LINKS_UTF8_H
#define LINKS_UTF8_H

#include <stddef.h>
#include <stdint.h>

int32_t	utf8_decode(const unsigned char *s, size_t len, size_t *adv);
size_t	utf8_seq(const unsigned char *s, size_t len);
int	utf8_valid(const char *s, size_t len);
int	utf8_text_ok(const char *s, size_t maxlen);

#endif
