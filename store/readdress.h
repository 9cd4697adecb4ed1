/*
 * NAME
 *	readdress 3h
 * SUMMARY
 *	a customer's new address
 * SYNOPSIS
 *	#include "readdress.h"
 *
 *	int	store_customer_set_email(struct store *st, int64_t id,
 *			const char *email, int *changed);
 * DESCRIPTION
 *	store_customer_set_email() gives customer ID the address EMAIL
 *	(normalised by config/addr.h): new blind index and ciphertext, in
 *	one transaction with the customer's row locked. Contracts,
 *	preferences, consent history, messages and tokens stay with the
 *	customer (they are keyed by id). The refusals follow the customer:
 *	the suppression entry of the new address gets the customer's
 *	refused categories, and refusals recorded earlier for the new
 *	address (a purged or erased customer who used it) are applied.
 *	The old address's suppression entry stays, so the old address
 *	stays refused if it comes back; its bounce count goes (it
 *	described an address the customer no longer uses). *CHANGED (may
 *	be NULL) is 0 when the address normalises to the one stored.
 * DIAGNOSTICS
 *	STORE_NOTFOUND: no customer ID. STORE_ERR: an invalid address, or
 *	an address another customer has (the message gives that
 *	customer's id, never the address). STORE_TEMP as in store.h.
 */
#ifndef LINKS_READDRESS_H
#define LINKS_READDRESS_H

#include <stdint.h>

#include "store.h"

int	store_customer_set_email(struct store *st, int64_t id, const char *email, int *changed);

#endif
