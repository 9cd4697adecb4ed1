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
 *
 *	int	mauth_eval(const char *value, const char *const *trusted,
 *			   size_t ntrusted, const char *jobid,
 *			   const char *from_domain, struct mauth_res *res);
 *	enum mauth_how mauth_best(unsigned bits);
 *	int	mauth_received_by(const char *value, char *host, size_t hostlen);
 * DESCRIPTION
 *	mauth_eval() parses one Authentication-Results header VALUE and
 *	returns 1 when its authserv-id is one of the NTRUSTED names in
 *	TRUSTED (compared without case), 0 otherwise; with JOBID (not NULL,
 *	authserv_id_with_job_id) the authserv-id must be such a name, '/'
 *	and JOBID (the message's queue id), as OpenDKIM and OpenDMARC write
 *	it with AuthservIDWithJobID. For a trusted one it
 *	sets *PASS to the strongest method that passed for FROM_DOMAIN (the
 *	normalised domain of the From header), and *FAIL when a result
 *	about FROM_DOMAIN is "fail" (a dmarc=fail without header.from
 *	counts: DMARC is always about the From domain). Results speak
 *	about FROM_DOMAIN as follows:
 *	  dmarc with header.from equal to FROM_DOMAIN (a dmarc=pass without
 *	  header.from proves nothing);
 *	  dkim=pass with header.d (or the domain of header.i) aligned with
 *	  FROM_DOMAIN (relaxed alignment, see maddr_domain_aligned());
 *	  spf=pass with smtp.mailfrom (its domain) aligned with FROM_DOMAIN.
 *	Domains in the header may be in Unicode or A-label form.
 *
 *	mauth_check() is mauth_eval() without a job id, for one header: 1 when it is trusted,
 *	reports no fail and a pass, with *HOW (may be NULL) set to the
 *	strongest method that passed
 *	(MAUTH_DMARC, MAUTH_DKIM, MAUTH_SPF; MAUTH_NONE when it returns 0).
 *	mauth_how_name() gives "dmarc", "dkim", "spf" or "none".
 *
 *	mauth_received_by() copies the host after "by" of a Received header
 *	VALUE (comments removed, lower case) into HOST; 0, or -1 when there
 *	is none.
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

#define MAUTH_BIT(how)	(1u << (unsigned) (how))

struct mauth_res {
	unsigned present;		/* methods with a result about the From domain */
	unsigned pass;			/* methods that passed */
	int	fail;			/* a result about the From domain failed */
};

int	mauth_check(const char *value, const char *const *trusted, size_t ntrusted,
		    const char *from_domain, enum mauth_how *how);
const char *mauth_how_name(enum mauth_how how);
int	mauth_eval(const char *value, const char *const *trusted, size_t ntrusted,
		   const char *jobid, const char *from_domain, struct mauth_res *res);
enum mauth_how mauth_best(unsigned bits);
int	mauth_received_by(const char *value, char *host, size_t hostlen);

#endif
