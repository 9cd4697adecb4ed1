/*
 * NAME
 *	rx 3h
 * SUMMARY
 *	PCRE2 patterns compiled and matched one way everywhere
 * SYNOPSIS
 *	#include "rx.h"
 *
 *	pcre2_code *rx_compile(const char *pat, const char *what,
 *			       char *err, size_t errlen);
 *	int	rx_match(const pcre2_code *re, const char *s, size_t len,
 *			 pcre2_match_data *md);
 * DESCRIPTION
 *	rx_compile() compiles PAT for UTF-8 text with Unicode properties,
 *	caseless, tolerant of invalid UTF-8 in the subject, and JIT-compiles
 *	it when the library can. The result is owned by the caller
 *	(pcre2_code_free()). On a bad pattern it returns NULL and writes
 *	"WHAT: offset N: message" into ERR.
 *
 *	rx_match() returns 1 when RE matches somewhere in the LEN bytes at
 *	S, 0 when not (a match error counts as no match). MD is the
 *	caller's match data (one per thread).
 */
#ifndef LINKS_RX_H
#define LINKS_RX_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <stddef.h>
#include <pcre2.h>

#define RX_FLAGS	(PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF)

pcre2_code *rx_compile(const char *pat, const char *what, char *err, size_t errlen);
int	rx_match(const pcre2_code *re, const char *s, size_t len, pcre2_match_data *md);

#endif
