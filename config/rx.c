/*
 * NAME
 *	rx 3
 * SUMMARY
 *	PCRE2 patterns compiled and matched one way everywhere
 * SYNOPSIS
 *	#include "rx.h"
 * DESCRIPTION
 *	See rx.h.
 */
#include "config.h"

#include <stdio.h>

#include "rx.h"

#define RX_MSG_MAX	256

/* rx_compile - compile PAT (UTF, UCP, caseless) and JIT it */
pcre2_code *
rx_compile(const char *pat, const char *what, char *err, size_t errlen)
{
	pcre2_code *re;
	int	ec;
	PCRE2_SIZE off;

	re = pcre2_compile((PCRE2_SPTR) pat, PCRE2_ZERO_TERMINATED, RX_FLAGS, &ec, &off, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[RX_MSG_MAX];

		pcre2_get_error_message(ec, msg, sizeof(msg));
		snprintf(err, errlen, "%s: offset %zu: %s", what, (size_t) off, (char *) msg);
		return (NULL);
	}
	(void) pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return (re);
}

/* rx_match - whether RE matches the LEN bytes at S */
int
rx_match(const pcre2_code *re, const char *s, size_t len, pcre2_match_data *md)
{
	return (pcre2_match(re, (PCRE2_SPTR) s, len, 0, 0, md, NULL) >= 0);
}
