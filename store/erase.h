/*
 * NAME
 *	erase 3h
 * SUMMARY
 *	erasure of one customer on request
 * SYNOPSIS
 *	#include "erase.h"
 *
 *	int	store_customer_erase(struct store *st, int64_t id,
 *			struct store_erase_report *rep);
 * DESCRIPTION
 *	store_customer_erase() is what links-store customer delete does
 *	when a customer asks to be forgotten: in one transaction the
 *	customer row (address, name, phone), contracts, preferences,
 *	bounces, message log, deliveries and pending outbox rows go.
 *	What stays has no identity in it: the suppression entry (a keyed
 *	hash of the address and the refused categories, so an erased
 *	address that comes back in an import is still refused) and the
 *	consent events, with their customer id cleared (they prove the
 *	refusals for consent_retention_days). REP, when not NULL, gets
 *	what went and what stayed.
 * DIAGNOSTICS
 *	STORE_NOTFOUND: no customer ID. STORE_ERR, STORE_TEMP as in store.h.
 */
#ifndef LINKS_ERASE_H
#define LINKS_ERASE_H

#include <stdint.h>

#include "store.h"

struct store_erase_report {
	long	contracts_active;	/* contracts deleted that were still active */
	long	contracts_ended;
	long	messages;		/* message log rows */
	long	deliveries;		/* campaign delivery rows */
	long	outbox_pending;		/* confirmations that will not be sent */
	long	consent_kept;		/* consent events kept without identity */
	int	suppressed_cats;	/* refused categories kept as a hash (bit mask) */
};

int	store_customer_erase(struct store *st, int64_t id, struct store_erase_report *rep);

#endif
