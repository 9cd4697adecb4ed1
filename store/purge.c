/*
 * NAME
 *	purge 3
 * SUMMARY
 *	retention purge (policy section 6)
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	store_purge() implements policy section 6: a customer whose
 *	contracts have all ended more than retention_grace_days ago (or who
 *	has no contract and was created that long ago) is deleted with
 *	contracts, preferences, bounces, deliveries, outbox rows and message
 *	log. What stays: the suppression entry (an HMAC of the address and
 *	the refused categories, so the refusal is honoured if the address
 *	returns) and the consent events, with customer_id cleared, until
 *	they are consent_retention_days old; the per-hour counters of the
 *	digest (names and numbers only) are kept as long. The whole purge is one
 *	transaction; a dry run performs it and rolls back, so its report is
 *	exactly what a real run would do.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define PURGE_IDS_INIT	64

struct idvec {
	int64_t *v;
	size_t	n, cap;
};

/* idvec_push - append ID; -1 when out of memory */
static int
idvec_push(struct idvec *iv, int64_t id)
{
	if (iv->n == iv->cap) {
		size_t	cap = iv->cap ? 2 * iv->cap : PURGE_IDS_INIT;
		int64_t *v = realloc(iv->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		iv->v = v;
		iv->cap = cap;
	}
	iv->v[iv->n++] = id;
	return 0;
}

/* purge_locked - the purge inside its transaction */
static int
purge_locked(struct store *st, time_t now, void (*fn)(int64_t, void *), void *arg,
	     struct store_purge_report *rep)
{
	time_t	cutoff = now - (time_t) st->grace_days * STORE_SECONDS_PER_DAY;
	time_t	consent_cutoff = now - (time_t) st->consent_days * STORE_SECONDS_PER_DAY;
	struct idvec ids = {NULL, 0, 0};
	struct db_stmt *s = NULL;
	size_t	i;
	long	n;
	int	rc;

	rc = db_prepare(st, "SELECT c.id FROM customers c WHERE "
			"(EXISTS(SELECT 1 FROM contracts k WHERE k.customer_id = c.id) "
			" AND NOT EXISTS(SELECT 1 FROM contracts k WHERE k.customer_id = c.id "
			"  AND (k.status = 0 OR k.ended >= ?1))) "
			"OR (NOT EXISTS(SELECT 1 FROM contracts k WHERE k.customer_id = c.id) "
			" AND c.created < ?1) ORDER BY c.id", &s);
	if (rc != STORE_OK)
		return rc;
	db_bind_int(s, 1, (int64_t) cutoff);
	while ((rc = db_step(s)) == DB_ROW)
		if (idvec_push(&ids, db_col_int(s, 0)) < 0) {
			rc = st_err(st, STORE_TEMP, "out of memory");
			goto done;
		}
	if (rc != DB_DONE) {
		rc = db_error(st, rc, "purge candidates");
		goto done;
	}
	db_finish(s);
	s = NULL;
	rc = STORE_OK;

	for (i = 0; i < ids.n; i++) {
		if (fn)
			fn(ids.v[i], arg);
		if ((rc = st_count(st, "SELECT count(*) FROM contracts WHERE customer_id = ?",
				   ids.v[i], &n)) != STORE_OK)
			goto done;
		rep->contracts_deleted += n;
		if ((rc = st_count(st, "SELECT EXISTS(SELECT 1 FROM prefs WHERE customer_id = ? "
				   "AND optout = 1)", ids.v[i], &n)) != STORE_OK)
			goto done;
		rep->suppressed_kept += n;
		if ((rc = store_customer_delete(st, ids.v[i])) != STORE_OK)
			goto done;
		rep->customers_deleted++;
	}
	rc = st_exec_arg(st, "DELETE FROM consent_events WHERE customer_id IS NULL AND at < ?",
			 (int64_t) consent_cutoff, "consent purge", &rep->consent_events_deleted);
	if (rc != STORE_OK)
		goto done;
	/* the per-hour counters (no personal data) follow the consent events */
	rc = st_exec_arg(st, "DELETE FROM counter_hours WHERE hour < ?", (int64_t) consent_cutoff,
			 "counter purge", &rep->counter_hours_deleted);
done:
	db_finish(s);
	free(ids.v);
	return rc;
}

/* store_purge - delete what the retention policy says (see store.h) */
int
store_purge(struct store *st, time_t now, int dry_run, void (*fn)(int64_t, void *), void *arg,
	    struct store_purge_report *rep)
{
	int	rc;

	memset(rep, 0, sizeof(*rep));
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return rc;
	rc = purge_locked(st, now, fn, arg, rep);
	if (dry_run && rc == STORE_OK) {
		st_tx_end(st, STORE_ERR);	/* roll back: report only */
		return STORE_OK;
	}
	return st_tx_end(st, rc);
}

