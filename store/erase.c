/*
 * NAME
 *	erase 3
 * SUMMARY
 *	erasure of one customer on request
 * SYNOPSIS
 *	#include "erase.h"
 * DESCRIPTION
 *	See erase.h. The counts of the report are read inside the
 *	erasing transaction, before the rows go, so they are exactly what
 *	was deleted. The deletion itself is store_customer_delete() (the
 *	same as the retention purge): the foreign keys cascade to
 *	contracts, preferences, message log, deliveries and outbox, and
 *	clear the customer id of consent events; the suppression table
 *	has no customer id at all.
 * DIAGNOSTICS
 *	See erase.h.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "erase.h"
#include "store_int.h"

/* erase_count - what is about to go, and the suppression entry that stays */
static int
erase_count(struct store *st, int64_t id, struct store_erase_report *rep)
{
	static const struct {
		const char *sql;
		size_t	off;
	} q[] = {
		{"SELECT count(*) FROM contracts WHERE customer_id = ? AND status = 0",
		 offsetof(struct store_erase_report, contracts_active)},
		{"SELECT count(*) FROM contracts WHERE customer_id = ? AND status <> 0",
		 offsetof(struct store_erase_report, contracts_ended)},
		{"SELECT count(*) FROM msglog WHERE customer_id = ?",
		 offsetof(struct store_erase_report, messages)},
		{"SELECT count(*) FROM deliveries WHERE customer_id = ?",
		 offsetof(struct store_erase_report, deliveries)},
		{"SELECT count(*) FROM outbox WHERE customer_id = ? AND status = 0",
		 offsetof(struct store_erase_report, outbox_pending)},
		{"SELECT count(*) FROM consent_events WHERE customer_id = ?",
		 offsetof(struct store_erase_report, consent_kept)},
	};
	unsigned char hash[CRYPT_MAC_LEN];
	struct db_stmt *s;
	char   *email;
	size_t	i;
	int	rc;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		if ((rc = st_count(st, q[i].sql, id, (long *) ((char *) rep + q[i].off)))
		    != STORE_OK)
			return (rc);
	if ((rc = st_customer_email(st, id, &email)) != STORE_OK)
		return (rc);
	st_email_suphash(st, email, hash);
	crypt_str_free(email);
	if ((rc = db_prepare(st, "SELECT cats FROM suppression WHERE hash = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, hash, CRYPT_MAC_LEN);
	if ((rc = db_step(s)) == DB_ROW)
		rep->suppressed_cats = (int) db_col_int(s, 0);
	rc = rc == DB_ROW || rc == DB_DONE ? STORE_OK : db_error(st, rc, "suppression lookup");
	db_finish(s);
	return (rc);
}

/* store_customer_erase - forget customer ID on request (see erase.h) */
int
store_customer_erase(struct store *st, int64_t id, struct store_erase_report *rep)
{
	struct store_erase_report local;
	int	rc;

	if (rep == NULL)
		rep = &local;
	memset(rep, 0, sizeof(*rep));
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return (rc);
	if ((rc = db_lock_row(st, "customers", id)) == STORE_OK
	    && (rc = st_customer_exists(st, id)) == STORE_OK
	    && (rc = erase_count(st, id, rep)) == STORE_OK)
		rc = store_customer_delete(st, id);
	rc = st_tx_end(st, rc);
	if (rc != STORE_OK)
		memset(rep, 0, sizeof(*rep));
	return (rc);
}
