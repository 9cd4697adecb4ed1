/*
 * NAME
 *	render 3h
 * SUMMARY
 *	one customer's message, from the rules to the bytes
 * SYNOPSIS
 *	#include "render.h"
 *
 *	int	render_customer(struct store *st, const struct compose *comp,
 *				const struct audience *aud, int64_t customer_id,
 *				const struct render_id *id, struct delivery_msg *msg,
 *				char *reason, size_t reasonlen, char *err, size_t errlen);
 * DESCRIPTION
 *	render_customer() is what the delivery engine's row sources do with
 *	a row: read customer CUSTOMER_ID, apply the audience rules again
 *	(the customer may have refused or bounced since the row was made),
 *	make the unsubscribe token of a refusable category (and, when
 *	web_base_url is set, its dated one-click and preference links,
 *	weblink.h), and build the
 *	message with Message-ID ID->message_id into MSG (envelope sender and
 *	recipient, bytes owned by MSG). The envelope sender is the message's
 *	own VERP return path, noreply+b-TOKEN@domain, TOKEN the bounce token
 *	of (ID->campaign_id, the customer) (compose_return_path(); 0 for
 *	the outbox's system mail), so that a bounce is counted only for
 *	the recipient it names; with ID->in_reply_to the message answers
 *	that Message-ID (In-Reply-To; References: ID->references, else
 *	that one).
 * DIAGNOSTICS
 *	DELIVERY_SEND; DELIVERY_SKIP with the reason in REASON (customer
 *	deleted, a rule of audience.c, data that cannot be sent safely);
 *	DELIVERY_FAIL with a message in ERR (store error, template error):
 *	the run stops.
 */
#ifndef LINKS_RENDER_H
#define LINKS_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "audience.h"
#include "compose.h"
#include "delivery.h"
#include "store.h"

/* What names one message: its Message-ID, campaign (0: system mail), the message answered. */
struct render_id {
	const char *message_id;		/* without angle brackets */
	int64_t campaign_id;		/* 0 for the outbox */
	const char *in_reply_to;	/* the customer's message answered; NULL */
	const char *references;		/* its thread, "<a> ... <in_reply_to>"; NULL */
};

int	render_customer(struct store *st, const struct compose *comp, const struct audience *aud,
			int64_t customer_id, const struct render_id *id, struct delivery_msg *msg,
			char *reason, size_t reasonlen, char *err, size_t errlen);

#endif
