/*
 * NAME
 *	milter_auth 3h
 * SUMMARY
 *	Authentication-Results (RFC 8601) evaluation for From-based opt-outs
 * SYNOPSIS
 *	#include "milter_auth.h"
 *
 *	int	mauth_check(const char *value, const char *const *trusted,
 *			    size_t ntrusted, const char *from_domain,
 *			    enum mauth_how *how);
 *	const char *mauth_how_name(enum mauth_how how);
 * DESCRIPTION
 *	mauth_check() parses one Authentication-Results header VALUE and
 *	returns 1 when its authserv-id is one of the NTRUSTED names in
 *	TRUSTED (compared without case) and it reports, for FROM_DOMAIN
 *	(the domain of the From header):
 *	  dmarc=pass (with header.from, when present, equal to FROM_DOMAIN);
 *	  dkim=pass with header.d (or the domain of header.i) aligned with
 *	  FROM_DOMAIN (relaxed alignment, see maddr_domain_aligned());
 *	  spf=pass with smtp.mailfrom (its domain) aligned with FROM_DOMAIN.
 *	*HOW (may be NULL) is set to the strongest method that passed
 *	(MAUTH_DMARC, MAUTH_DKIM, MAUTH_SPF; MAUTH_NONE when it returns 0).
 *	mauth_how_name() gives "dmarc", "dkim", "spf" or "none".
 *
 *	Comments, quoted strings, method versions ("dkim/1") and unknown
 *	methods are handled; at most MAUTH_VALUE_MAX bytes of VALUE and
 *	MAUTH_RESINFO_MAX results are examined.
 * DIAGNOSTICS
 *	A header that cannot be parsed gives 0: it proves nothing.
 */
#ifndef LINKS_MILTER_AUTH_H
#define LINKS_MILTER_AUTH_H

#include <stddef.h>

#define MAUTH_VALUE_MAX		8192	/* bytes of a header value examined */
#define MAUTH_RESINFO_MAX	32	/* method results examined per header */
#define MAUTH_PROPS_MAX		16	/* properties examined per result */

enum mauth_how { MAUTH_NONE = 0, MAUTH_SPF, MAUTH_DKIM, MAUTH_DMARC, MAUTH_HOW_COUNT };

int	mauth_check(const char *value, const char *const *trusted, size_t ntrusted,
		    const char *from_domain, enum mauth_how *how);
const char *mauth_how_name(enum mauth_how how);

#endif
