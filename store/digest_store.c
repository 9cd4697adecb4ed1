/*
 * NAME
 *	digest_store 3
 * SUMMARY
 *	store queries of the daily support digest
 * SYNOPSIS
 *	#include "digest_store.h"
 * DESCRIPTION
 *	See digest_store.h. Read-only; the hourly counters are written by
 *	store_counter_add() (counter.c).
 * DIAGNOSTICS
 *	See digest_store.h.
 */
#include "config.h"

#include <stdlib.h>

#include "digest_store.h"
#include "store_int.h"

/* store_counter_window - what was added to NAME in the hours starting in [SINCE, UNTIL) */
int
store_counter_window(struct store *st, const char *name, time_t since, time_t until, long *sum)
{
	struct db_stmt *s;
	int	rc;

	*sum = 0;
	if (name == NULL || *name == 0 || !utf8_text_ok(name, STORE_REF_MAX))
		return (st_err(st, STORE_ERR, "invalid counter name"));
	if ((rc = db_prepare(st, "SELECT coalesce(sum(value), 0) FROM counter_hours "
			     "WHERE name = ? AND hour >= ? AND hour < ?", &s)) != STORE_OK)
		return (rc);
	db_bind_text(s, 1, name);
	db_bind_int(s, 2, (int64_t) since);
	db_bind_int(s, 3, (int64_t) until);
	rc = db_step(s);
	if (rc == DB_ROW) {
		*sum = (long) db_col_int(s, 0);
		rc = STORE_OK;
	} else
		rc = db_error(st, rc == DB_DONE ? STORE_ERR : rc, "counter window");
	db_finish(s);
	return (rc);
}

/* bounce_row - one row of store_digest_bounces() to FN; 1 when FN stops */
static int
bounce_row(struct store *st, struct db_stmt *s,
	   int (*fn)(const struct store_digest_bounce *, void *), void *arg, int *rc)
{
	struct store_digest_bounce b;
	char   *email = NULL;
	int	stop;

	b.customer_id = db_col_null(s, 0) ? 0 : db_col_int(s, 0);
	b.count = (long) db_col_int(s, 1);
	b.last = (time_t) db_col_int(s, 2);
	b.undeliverable = b.count >= st->bounce_threshold;
	if (b.customer_id > 0
	    && (*rc = st_unseal_col(st, s, 3, b.customer_id, CRYPT_F_EMAIL, &email)) != STORE_OK)
		return (1);
	b.email = email ? email : "";
	stop = fn(&b, arg);
	free(email);
	return (stop);
}

/* store_digest_bounces - FN for each address whose last bounce is in [SINCE, UNTIL) */
int
store_digest_bounces(struct store *st, time_t since, time_t until,
		     int (*fn)(const struct store_digest_bounce *, void *), void *arg)
{
	struct db_stmt *s;
	int	rc = STORE_OK, step;

	if ((rc = db_prepare(st, "SELECT c.id, b.count, b.last, c.email_ct FROM bounces b "
			     "LEFT JOIN customers c ON c.email_idx = b.hash "
			     "WHERE b.last >= ? AND b.last < ? ORDER BY b.last, b.hash", &s))
	    != STORE_OK)
		return (rc);
	db_bind_int(s, 1, (int64_t) since);
	db_bind_int(s, 2, (int64_t) until);
	while ((step = db_step(s)) == DB_ROW)
		if (bounce_row(st, s, fn, arg, &rc))
			break;
	if (step != DB_ROW && step != DB_DONE)
		rc = db_error(st, step, "digest bounces");
	db_finish(s);
	return (rc);
}
