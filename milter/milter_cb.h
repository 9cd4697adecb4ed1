/*
 * NAME
 *	milter_cb 3h
 * SUMMARY
 *	links-milter libmilter callbacks
 * SYNOPSIS
 *	#include "milter_cb.h"
 *
 *	struct smfiDesc *mcb_desc(void);
 *	long	mcb_connections(void);
 *	long	mcb_in_progress(void);
 * DESCRIPTION
 *	mcb_desc() returns the filter description for smfi_register():
 *	name "links-milter", the actions it may take (add and change
 *	headers, add and delete recipients) and the callbacks. The
 *	callbacks keep one struct mcb_conn per SMTP connection through
 *	smfi_setpriv(); it owns the current message context (milter_ctx),
 *	which holds a reference to the configuration that was running when
 *	the message started.
 *
 *	The negotiation (xxfi_negotiate) asks only for MAIL, RCPT, the
 *	headers, end of headers, the body and end of message (CONNECT too
 *	when the MTA cannot send {daemon_name} with MAIL), with no reply
 *	to MAIL, RCPT, headers and body: a failure there (out of memory,
 *	too many recipients or X-Links-* names) is answered at end of
 *	headers. There outgoing mail, mail with no LINKS recipient and
 *	mail that cannot be a LINKS reply (mact_may_be_reply()) are
 *	accepted, so the MTA sends no body. For the others, at end of
 *	message: reply_analyze(), mact_decide()
 *	with this thread's store connection (reads only), the writes it
 *	lists through the group commit (milter_group), the plan applied
 *	with smfi_chgheader (removing X-Links-* headers that came from
 *	outside), smfi_delrcpt, smfi_addrcpt, smfi_addheader, and one log
 *	line.
 *
 *	mcb_connections() is the number of connections open now;
 *	mcb_in_progress() the number of messages between MAIL FROM and
 *	their end (a clean shutdown waits for them).
 * DIAGNOSTICS
 *	Store failures give SMFIS_TEMPFAIL (store_failure_action =
 *	tempfail) with "451 4.3.0"; running out of memory gives
 *	SMFIS_TEMPFAIL.
 */
#ifndef LINKS_MILTER_CB_H
#define LINKS_MILTER_CB_H

#include <libmilter/mfapi.h>

#define MCB_NAME "links-milter"

struct smfiDesc *mcb_desc(void);
long	mcb_connections(void);
long	mcb_in_progress(void);

#endif
