/*
 * NAME
 *	claim 3
 * SUMMARY
 *	leases: several senders on one store, each row sent by one of them
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	With PostgreSQL, links-sender may run on several hosts at once (an
 *	outbox timer on each). store_outbox_claim() and
 *	store_delivery_claim() hand out up to MAX unsent rows that no other
 *	caller holds, and hold them for LEASE seconds: another caller does
 *	not get them until the lease ends (a crashed sender's rows come
 *	back) or the row is finished (store_outbox_done(),
 *	store_delivery_set()). On PostgreSQL the rows are picked with
 *	SELECT ... FOR UPDATE SKIP LOCKED, so concurrent workers never wait
 *	for each other nor get the same row; on SQLite the write
 *	transaction already serialises them. The two texts stand side by
 *	side below: the only SQL of the store that differs per engine.
 *
 *	store_campaign_claim() gives campaign ID to OWNER (e.g.
 *	"host:pid") for LEASE seconds, or renews OWNER's lease; while
 *	another owner's lease runs, or when the campaign is finished or
 *	missing, it returns STORE_NOTFOUND. store_campaign_release() ends
 *	OWNER's lease.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define CLAIM_LEASE_MAX	86400		/* a day */
#define CLAIM_OWNER_MAX	128

static const char outbox_claim_sqlite[] =
	"UPDATE outbox SET lease_until = ?1 WHERE id IN (SELECT id FROM outbox "
	"WHERE status = 0 AND lease_until < ?2 ORDER BY id LIMIT ?3) "
	"RETURNING " OUTBOX_COLS;
static const char outbox_claim_pg[] =
	"UPDATE outbox SET lease_until = ?1 WHERE id IN (SELECT id FROM outbox "
	"WHERE status = 0 AND lease_until < ?2 ORDER BY id LIMIT ?3 FOR UPDATE SKIP LOCKED) "
	"RETURNING " OUTBOX_COLS;
static const char delivery_claim_sqlite[] =
	"UPDATE deliveries SET lease_until = ?1 WHERE id IN (SELECT id FROM deliveries "
	"WHERE campaign_id = ?4 AND status = 0 AND lease_until < ?2 ORDER BY id LIMIT ?3) "
	"RETURNING id, campaign_id, customer_id, message_id, status, reason, attempts, updated";
static const char delivery_claim_pg[] =
	"UPDATE deliveries SET lease_until = ?1 WHERE id IN (SELECT id FROM deliveries "
	"WHERE campaign_id = ?4 AND status = 0 AND lease_until < ?2 ORDER BY id LIMIT ?3 "
	"FOR UPDATE SKIP LOCKED) "
	"RETURNING id, campaign_id, customer_id, message_id, status, reason, attempts, updated";

/* claim_sql - the engine's text of a claim */
static const char *
claim_sql(struct store *st, const char *sqlite_text, const char *pg_text)
{
	return (st->ops == &db_sqlite_ops ? sqlite_text : pg_text);
}

/* claim_lease_ok - a lease in seconds we accept */
static int
claim_lease_ok(struct store *st, int lease)
{
	if (lease <= 0 || lease > CLAIM_LEASE_MAX)
		return (st_err(st, STORE_ERR, "invalid lease (1 to %d seconds)", CLAIM_LEASE_MAX));
	return (STORE_OK);
}

/* by_outbox_id - qsort: outbox rows in id order */
static int
by_outbox_id(const void *a, const void *b)
{
	const struct store_outbox *x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/* by_delivery_id - qsort: delivery rows in id order */
static int
by_delivery_id(const void *a, const void *b)
{
	const struct store_delivery *x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/* store_outbox_claim - up to MAX pending outbox rows, held for LEASE seconds */
int
store_outbox_claim(struct store *st, int lease, struct store_outbox *out, int max)
{
	struct db_stmt *s;
	time_t	now = st_now();
	int	rc, n;

	if ((rc = claim_lease_ok(st, lease)) != STORE_OK || max <= 0)
		return (rc != STORE_OK ? rc : 0);
	if ((rc = db_prepare(st, claim_sql(st, outbox_claim_sqlite, outbox_claim_pg), &s))
	    != STORE_OK)
		return (rc);
	db_bind_int(s, 1, (int64_t) (now + lease));
	db_bind_int(s, 2, (int64_t) now);
	db_bind_int(s, 3, max);
	if ((n = st_rows_read(st, s, out, sizeof(*out), max, st_outbox_row, st_outbox_row_clear,
			      "outbox claim")) > 0)
		qsort(out, (size_t) n, sizeof(*out), by_outbox_id);
	return (n);
}

/* store_delivery_claim - up to MAX queued rows of CAMPAIGN, held for LEASE seconds */
int
store_delivery_claim(struct store *st, int64_t campaign_id, int lease,
		     struct store_delivery *out, int max)
{
	struct db_stmt *s;
	time_t	now = st_now();
	int	rc, n;

	if ((rc = claim_lease_ok(st, lease)) != STORE_OK || max <= 0)
		return (rc != STORE_OK ? rc : 0);
	if ((rc = db_prepare(st, claim_sql(st, delivery_claim_sqlite, delivery_claim_pg), &s))
	    != STORE_OK)
		return (rc);
	db_bind_int(s, 1, (int64_t) (now + lease));
	db_bind_int(s, 2, (int64_t) now);
	db_bind_int(s, 3, max);
	db_bind_int(s, 4, campaign_id);
	if ((n = st_rows_read(st, s, out, sizeof(*out), max, st_delivery_row,
			      st_delivery_row_clear, "delivery claim")) > 0)
		qsort(out, (size_t) n, sizeof(*out), by_delivery_id);
	return (n);
}

/* store_campaign_claim - campaign ID for OWNER for LEASE seconds */
int
store_campaign_claim(struct store *st, int64_t id, const char *owner, int lease)
{
	struct db_stmt *s;
	time_t	now = st_now();
	int	rc, got = 0;

	if ((rc = claim_lease_ok(st, lease)) != STORE_OK)
		return (rc);
	if (owner == NULL || *owner == 0 || !utf8_text_ok(owner, CLAIM_OWNER_MAX))
		return (st_err(st, STORE_ERR, "invalid campaign owner"));
	if ((rc = db_prepare(st, "UPDATE campaigns SET owner = ?1, lease_until = ?2 "
			     "WHERE id = ?3 AND finished = 0 "
			     "AND (owner = ?1 OR owner = '' OR lease_until < ?4) RETURNING id",
			     &s)) != STORE_OK)
		return (rc);
	db_bind_text(s, 1, owner);
	db_bind_int(s, 2, (int64_t) (now + lease));
	db_bind_int(s, 3, id);
	db_bind_int(s, 4, (int64_t) now);
	while ((rc = db_step(s)) == DB_ROW)
		got = 1;
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "campaign claim");
	db_finish(s);
	if (rc == STORE_OK && !got)
		rc = st_err(st, STORE_NOTFOUND, "campaign %lld is held by another sender, "
			    "finished, or does not exist", (long long) id);
	return (rc);
}

/* store_campaign_release - end OWNER's lease of campaign ID */
int
store_campaign_release(struct store *st, int64_t id, const char *owner)
{
	struct db_stmt *s;
	int	rc;

	if (owner == NULL)
		return (st_err(st, STORE_ERR, "invalid campaign owner"));
	if ((rc = db_prepare(st, "UPDATE campaigns SET owner = '', lease_until = 0 "
			     "WHERE id = ? AND owner = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, owner);
	rc = st_run(st, s, "campaign release");
	if (rc == STORE_OK && db_changes(s) == 0)
		rc = st_err(st, STORE_NOTFOUND, "campaign %lld is not held by that owner",
			    (long long) id);
	db_finish(s);
	return (rc);
}
