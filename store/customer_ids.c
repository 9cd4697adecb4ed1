/*
 * NAME
 *	customer_ids 3
 * SUMMARY
 *	every customer's id, without reading the sealed fields
 * SYNOPSIS
 *	#include "store.h"
 *
 *	int	store_customer_ids(struct store *st,
 *			int (*fn)(int64_t id, void *arg), void *arg);
 * DESCRIPTION
 *	Added for links-sender's throughput (issue 14), beside customer.c:
 *	store.h declares it with its contract. A campaign to every
 *	customer first lists who the candidates are; store_customer_each()
 *	decrypts each customer's address, name and phone (three AES-GCM
 *	openings) to hand over a whole record, of which the list keeps the
 *	id alone. The campaign then reads each candidate again with
 *	store_customer_get() when it decides about that customer.
 * DIAGNOSTICS
 *	STORE_ codes with the engine's message (store_errmsg()).
 */
#include "config.h"

#include "store_int.h"

/* store_customer_ids - FN for each customer id in id order; FN returns non-zero to stop */
int
store_customer_ids(struct store *st, int (*fn)(int64_t id, void *arg), void *arg)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT id FROM customers ORDER BY id", &s)) != STORE_OK)
		return (rc);
	while ((rc = db_step(s)) == DB_ROW)
		if (fn(db_col_int(s, 0), arg)) {
			rc = DB_DONE;
			break;
		}
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "customer ids");
	db_finish(s);
	return (rc);
}
