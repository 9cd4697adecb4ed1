/*
 * NAME
 *	counter 3
 * SUMMARY
 *	named counters (milter statistics and the like)
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	store_counter_add() adds DELTA to a counter in one upsert, so
 *	counters written by several hosts at once merge (no lost update),
 *	and to the counter's row of the current UTC hour in counter_hours
 *	(the daily digest's counts of a window, digest_store.h), both in one
 *	transaction. store_counter_each() visits the totals in name order.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include "store_int.h"

/* ---- counters ---- */

#define COUNTER_HOUR	3600		/* seconds per counter_hours row */

/* counter_hour_add - add DELTA to NAME's row of the current hour */
static int
counter_hour_add(struct store *st, const char *name, long delta)
{
	struct db_stmt *s;
	time_t	now = st_now();
	int	rc;

	if ((rc = db_prepare(st, "INSERT INTO counter_hours(name, hour, value) VALUES(?1, ?2, ?3) "
			     "ON CONFLICT(name, hour) DO UPDATE SET value = counter_hours.value + ?3",
			     &s)) != STORE_OK)
		return rc;
	db_bind_text(s, 1, name);
	db_bind_int(s, 2, (int64_t) (now - now % COUNTER_HOUR));
	db_bind_int(s, 3, delta);
	rc = st_run(st, s, "counter hour");
	db_finish(s);
	return rc;
}

/* store_counter_add - add DELTA to counter NAME (total and current hour) */
int
store_counter_add(struct store *st, const char *name, long delta)
{
	struct db_stmt *s;
	int	rc, own;

	if (name == NULL || *name == 0 || !utf8_text_ok(name, STORE_REF_MAX))
		return st_err(st, STORE_ERR, "invalid counter name");
	/*
	 * Inside the caller's transaction (the milter stores its counters
	 * with a refusal) the two upserts are atomic already: no savepoint
	 * round trips on that path.
	 */
	if ((own = st->depth == 0) && (rc = st_tx_begin(st)) != STORE_OK)
		return rc;
	if ((rc = db_prepare(st, "INSERT INTO counters(name, value) VALUES(?1, ?2) "
			     "ON CONFLICT(name) DO UPDATE SET value = counters.value + ?2", &s))
	    == STORE_OK) {
		db_bind_text(s, 1, name);
		db_bind_int(s, 2, delta);
		rc = st_run(st, s, "counter");
		db_finish(s);
	}
	if (rc == STORE_OK)
		rc = counter_hour_add(st, name, delta);
	return own ? st_tx_end(st, rc) : rc;
}

/* store_counter_each - FN for each counter in name order */
int
store_counter_each(struct store *st, int (*fn)(const char *, long, void *), void *arg)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT name, value FROM counters ORDER BY name", &s))
	    != STORE_OK)
		return rc;
	while ((rc = db_step(s)) == DB_ROW)
		if (fn(db_col_text(s, 0),
		       (long) db_col_int(s, 1), arg)) {
			rc = DB_DONE;
			break;
		}
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "counter list");
	db_finish(s);
	return rc;
}
