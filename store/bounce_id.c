/*
 * NAME
 *	bounce_id 3
 * SUMMARY
 *	whether a customer's address is undeliverable, by customer id
 * SYNOPSIS
 *	#include "store.h"
 *
 *	int	store_customer_undeliverable(struct store *st, int64_t customer_id);
 * DESCRIPTION
 *	Added for links-sender's throughput (issue 14), beside bounce.c:
 *	store.h declares it with its contract. store_is_undeliverable()
 *	takes an address and computes its blind index (normalisation and
 *	an HMAC) before the lookup; the customer's row already holds that
 *	index (customers.email_idx, the key of bounces.hash), so the
 *	sender, which checks every recipient twice (when the campaign is
 *	made and again just before sending), looks it up by id instead.
 * DIAGNOSTICS
 *	STORE_ codes with the engine's message (store_errmsg()).
 */
#include "config.h"

#include "store_int.h"

/* store_customer_undeliverable - 1 if customer ID's address reached the bounce threshold */
int
store_customer_undeliverable(struct store *st, int64_t customer_id)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT EXISTS(SELECT 1 FROM customers c JOIN bounces b "
			     "ON b.hash = c.email_idx WHERE c.id = ? AND b.count >= ?)", &s))
	    != STORE_OK)
		return (rc);
	db_bind_int(s, 1, customer_id);
	db_bind_int(s, 2, st->bounce_threshold);
	rc = db_step(s);
	rc = rc == DB_ROW ? (db_col_int(s, 0) != 0) : db_error(st, rc, "bounce lookup");
	db_finish(s);
	return (rc);
}
