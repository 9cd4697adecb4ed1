/*
 * NAME
 *	digest 3h
 * SUMMARY
 *	links-sender digest: the daily mail that tells support what happened
 * SYNOPSIS
 *	#include "digest.h"
 *
 *	int	digest_send(const struct conf *conf, const struct digest_opts *o);
 * DESCRIPTION
 *	digest_send() reads from the store what happened in the window
 *	[O->since, O->until) (both 0: the 24 hours before the last whole
 *	hour, so the daily timer's windows meet end to end) and sends one
 *	mail about it to O->to, or to support_address: refusals recorded
 *	(per channel: reply, one-click or mailto, web page, staff, import;
 *	opt-ins too), questions the milter routed to support, bounces
 *	(the addresses that failed permanently, soft and unauthenticated
 *	bounces), and refusals the milter could not verify and sent to a
 *	person. Counts come first, in Vietnamese then in English; the lists
 *	(customer id and address: support may see them) follow, at most
 *	O->lines lines each, then "và K mục khác / and K more".
 *
 *	The mail is automated: From noreply_address with company_name,
 *	Auto-Submitted: auto-generated, a Message-ID of ours, Date, a
 *	RFC 2047 subject with the main counts, one base64 UTF-8 text part
 *	(mime.h). It goes through the transport of links.conf, or of
 *	O->run (--transport, --outdir: "dir" into that folder). It carries
 *	customers' addresses, so it is sent only to an address of the
 *	company_domains. An empty window still sends a short "nothing
 *	happened" mail (support sees that the job ran) unless O->skip_empty.
 *	O->dry_run prints the message's headers and text and sends nothing.
 *
 *	The log line says the window, the counts and the Message-ID, never
 *	a customer's address.
 * DIAGNOSTICS
 *	Returns an exit status of <sysexits.h>: EX_OK; EX_USAGE (a window
 *	that ends before it starts, a recipient outside the company);
 *	EX_CONFIG; EX_TEMPFAIL (store unavailable, transport 4xx: the timer
 *	runs it again); EX_UNAVAILABLE (the transport refused it);
 *	EX_SOFTWARE. Messages on standard error, one line each.
 */
#ifndef LINKS_DIGEST_H
#define LINKS_DIGEST_H

#include <time.h>

#include "conf.h"
#include "delivery.h"

#define DIGEST_LINES		20	/* list lines per section by default */
#define DIGEST_LINES_MAX	10000	/* --lines at most */
#define DIGEST_WINDOW		86400	/* the default window, seconds */
#define DIGEST_DATE_LEN		10	/* "YYYY-MM-DD" */

struct digest_opts {
	time_t	since;			/* 0 with until 0: the default window */
	time_t	until;
	const char *to;			/* NULL: support_address */
	int	dry_run;
	int	skip_empty;
	long	lines;			/* < 0: DIGEST_LINES */
	struct delivery_cli run;	/* --transport, --outdir */
};

int	digest_send(const struct conf *conf, const struct digest_opts *o);

#endif
