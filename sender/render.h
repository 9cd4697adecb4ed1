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
 *				const char *message_id, struct delivery_msg *msg,
 *				char *reason, size_t reasonlen, char *err, size_t errlen);
 * DESCRIPTION
 *	render_customer() is what the delivery engine's row sources do with
 *	a row: read customer CUSTOMER_ID, apply the audience rules again
 *	(the customer may have refused or bounced since the row was made),
 *	make the unsubscribe token of a refusable category, and build the
 *	message with Message-ID MESSAGE_ID into MSG (envelope sender and
 *	recipient, bytes owned by MSG).
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

int	render_customer(struct store *st, const struct compose *comp, const struct audience *aud,
			int64_t customer_id, const char *message_id, struct delivery_msg *msg,
			char *reason, size_t reasonlen, char *err, size_t errlen);

#endif
