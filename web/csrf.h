/*
 * NAME
 *	csrf 3h
 * SUMMARY
 *	form tokens of links-web: a page's button works only from that page
 * SYNOPSIS
 *	#include "csrf.h"
 *
 *	int	csrf_make(const struct store *st, char page, const char *token,
 *			time_t now, char *out, size_t outlen);
 *	int	csrf_check(const struct store *st, char page, const char *token,
 *			const char *value, time_t now, long minutes);
 * DESCRIPTION
 *	A form token is "T.MAC": T the Unix time the page was made and MAC
 *	the first CSRF_MAC_BYTES bytes, in hex, of store_web_mac() with the
 *	label "csrf" over T, the PAGE letter ('u' unsubscribe, 'p'
 *	preferences) and the link TOKEN in lower case. The key comes from
 *	the master key (store_web_mac), so another site cannot make one, a
 *	token of one link or page does not work on another, and nothing is
 *	kept on the server. csrf_make() writes one for NOW into OUT (at
 *	least CSRF_MAX bytes). csrf_check() accepts VALUE when it is one
 *	made for PAGE and TOKEN at most MINUTES minutes before NOW (and not
 *	more than CSRF_SKEW seconds after it, for clocks of several hosts).
 *	The comparison of MACs takes constant time.
 * DIAGNOSTICS
 *	csrf_make() returns 0, or -1 when OUTLEN is too small.
 *	csrf_check() returns 1 when VALUE is good, else 0.
 */
#ifndef LINKS_CSRF_H
#define LINKS_CSRF_H

#include <stddef.h>
#include <time.h>

#include "store.h"

#define CSRF_MAC_BYTES	16
#define CSRF_MAX	(20 + 1 + 2 * CSRF_MAC_BYTES + 1)
#define CSRF_SKEW	60	/* seconds a form token may come from the future */

int	csrf_make(const struct store *st, char page, const char *token, time_t now,
		  char *out, size_t outlen);
int	csrf_check(const struct store *st, char page, const char *token, const char *value,
		   time_t now, long minutes);

#endif
