/*
 * NAME
 *	milter_dsn 3h
 * SUMMARY
 *	links-milter delivery status notifications (RFC 3464): the
 *	recipients and their status class, the returned Message-ID
 * SYNOPSIS
 *	#include "milter_dsn.h"
 *
 *	int	mdsn_parse(const char *msg, size_t len, struct mdsn *d);
 * DESCRIPTION
 *	mdsn_parse() reads one message (headers and body as collected, CRLF
 *	or LF) and, when its top-level type is multipart/report, fills D
 *	with what a bounce needs to be counted and authenticated:
 *	  - from the message/delivery-status (or message/global-delivery-
 *	    status) part, per recipient: the address (Final-Recipient, else
 *	    Original-Recipient, "rfc822;" removed, not normalised) and its
 *	    class: MDSN_HARD (Status 5.x.x, or Action failed without a 4.x.x
 *	    or 2.x.x Status), MDSN_SOFT (Status 4.x.x, or Action delayed) or
 *	    MDSN_OTHER (delivered, relayed, expanded); at most MDSN_RCPT_MAX;
 *	  - from the text/rfc822-headers, message/rfc822 or
 *	    message/global-headers part: the returned message's first
 *	    Message-ID, without angle brackets ("" when none).
 *	Parts with a transfer encoding other than 7bit, 8bit or binary are
 *	not read (what is not read proves nothing). Everything is bounded:
 *	MDSN_SCAN_MAX bytes of the message, MDSN_PARTS_MAX parts, fields
 *	of at most MDSN_FIELD_MAX bytes.
 * DIAGNOSTICS
 *	Returns 1 when a delivery-status part was found, 0 when not (D then
 *	holds what was found, possibly nothing). Never fails on bad input.
 */
#ifndef LINKS_MILTER_DSN_H
#define LINKS_MILTER_DSN_H

#include <stddef.h>

#include "milter_addr.h"

#define MDSN_RCPT_MAX	100		/* recipients kept per notification */
#define MDSN_PARTS_MAX	16		/* parts of the report examined */
#define MDSN_FIELD_MAX	1024		/* bytes of one (unfolded) field */
#define MDSN_SCAN_MAX	(4 * 1024 * 1024)	/* bytes of a message examined */
#define MDSN_BOUNDARY_MAX 200		/* RFC 2046: 70, with room */

enum mdsn_class { MDSN_OTHER = 0, MDSN_SOFT, MDSN_HARD };

struct mdsn_rcpt {
	char	addr[MADDR_MAX];
	enum mdsn_class cls;
};

struct mdsn {
	size_t	nrcpt;
	struct mdsn_rcpt rcpt[MDSN_RCPT_MAX];
	char	msgid[MADDR_MSGID_MAX];
};

int	mdsn_parse(const char *msg, size_t len, struct mdsn *d);

#endif
