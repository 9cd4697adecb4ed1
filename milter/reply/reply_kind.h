/*
 * NAME
 *	reply_kind 3h
 * SUMMARY
 *	is a message a customer's reply, an auto-reply or a bounce?
 * SYNOPSIS
 *	#include "reply_kind.h"
 *
 *	const char *reply_kind_detect(const struct reply_lex *lx,
 *				const struct reply_mime *m, const char *subject,
 *				const char *envelope_from, enum reply_kind *kind);
 *	int	reply_kind_bounces(const struct reply_mime *m,
 *				   struct reply_bounces *b);
 *	void	reply_kind_bounces_free(struct reply_bounces *b);
 * DESCRIPTION
 *	reply_kind_detect() sets *KIND for the parsed message M with the
 *	canonical SUBJECT and the envelope sender ENVELOPE_FROM ("" or
 *	"<>" the null sender, NULL unknown: the Return-Path header stands
 *	in) and returns the rule (static: "bounce:dsn",
 *	"auto_reply:auto_submitted", "auto_reply:subject", ...), or NULL
 *	for a reply. In order:
 *
 *	- a DSN (multipart/report; report-type=delivery-status, or a
 *	  message/delivery-status part from the null sender or from a
 *	  mailer-daemon/postmaster address) is a bounce;
 *	- Auto-Submitted (not "no"), X-Autoreply, X-Autorespond or
 *	  Precedence bulk/junk/list/auto_reply make an auto-reply;
 *	- so does a Subject that starts with a prefix the responder adds
 *	  ("Trả lời tự động:", "Automatic reply:", "[Out of Office]",
 *	  or only the words "Vắng mặt"): words of the lexicon's
 *	  [auto-reply-prefix] at the start, followed by ":", "]" or
 *	  nothing. The same words after "Re:" come from our own Subject
 *	  and never count;
 *	- the null sender is a bounce;
 *	- a mailer-daemon or postmaster From is a bounce only when the
 *	  envelope sender is unknown; with a real envelope sender and no
 *	  DSN it is a customer writing from that address.
 *
 *	reply_kind_bounces() lists in B the recipients of a bounce that
 *	failed permanently: 5.x.x (or "failed" without a 2/4 status) in
 *	the message/delivery-status part, else X-Failed-Recipients; at
 *	most REPLY_BOUNCE_MAX plausible addresses, each once. B belongs to
 *	the caller: reply_kind_bounces_free().
 * DIAGNOSTICS
 *	reply_kind_bounces() returns 0, or -1 when out of memory.
 */
#ifndef LINKS_REPLY_KIND_H
#define LINKS_REPLY_KIND_H

#include <stddef.h>

#include "reply.h"
#include "reply_lex.h"
#include "reply_mime.h"

#define REPLY_BOUNCE_MAX	100	/* failed recipients kept per bounce */
#define REPLY_ADDR_MAX		254	/* longest address (RFC 5321 path) */
#define REPLY_KIND_TOKEN_MAX	128	/* header token examined */

struct reply_bounces {
	char  **addr;
	size_t	n;
};

const char *reply_kind_detect(const struct reply_lex *lx, const struct reply_mime *m,
			      const char *subject, const char *envelope_from,
			      enum reply_kind *kind);
int	reply_kind_bounces(const struct reply_mime *m, struct reply_bounces *b);
void	reply_kind_bounces_free(struct reply_bounces *b);

#endif
