/*
 * NAME
 *	bounce 3
 * SUMMARY
 *	permanent delivery failures counted per address
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	Bounces are keyed by the blind index of the address (so that purge
 *	and customer deletion can remove them), one row per address with a
 *	count; the address is undeliverable once the count reaches
 *	bounce_threshold. Counting is one upsert: bounces recorded by two
 *	hosts at once both count. store_bounce_key() is the part without
 *	the database (the address normalised and hashed), which the milter
 *	does before its group commit's write lock; store_bounce_record_key()
 *	then only counts.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include "store_int.h"

_Static_assert(STORE_MAC_LEN == CRYPT_MAC_LEN, "a bounce key is a blind index");

/* store_bounce_key - the key EMAIL's bounces are counted under; STORE_ERR: invalid */
int
store_bounce_key(struct store *st, const char *email, unsigned char key[STORE_MAC_LEN])
{
	return (st_email_index_of(st, email, key));
}

/* store_bounce_record - count one permanent failure for EMAIL */
int
store_bounce_record(struct store *st, const char *email, int *count)
{
	unsigned char idx[CRYPT_MAC_LEN];
	int	rc;

	if ((rc = st_email_index_of(st, email, idx)) != STORE_OK)
		return (rc);
	return (store_bounce_record_key(st, idx, count));
}

/* store_bounce_record_key - count one permanent failure for the address of key IDX */
int
store_bounce_record_key(struct store *st, const unsigned char idx[STORE_MAC_LEN], int *count)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "INSERT INTO bounces(hash, count, last) VALUES(?1, 1, ?2) "
			     "ON CONFLICT(hash) DO UPDATE SET count = bounces.count + 1, last = ?2 "
			     "RETURNING count", &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, idx, CRYPT_MAC_LEN);
	db_bind_int(s, 2, (int64_t) st_now());
	rc = db_step(s);
	if (rc == DB_ROW) {
		if (count)
			*count = (int) db_col_int(s, 0);
		rc = st_run(st, s, "bounce record");
	} else
		rc = db_error(st, rc == DB_DONE ? STORE_ERR : rc, "bounce record");
	db_finish(s);
	return (rc);
}

/* store_is_undeliverable - 1 if EMAIL reached the bounce threshold */
int
store_is_undeliverable(struct store *st, const char *email)
{
	unsigned char idx[CRYPT_MAC_LEN];
	struct db_stmt *s;
	int	rc;

	if ((rc = st_email_index_of(st, email, idx)) != STORE_OK)
		return (rc);
	if ((rc = db_prepare(st, "SELECT EXISTS(SELECT 1 FROM bounces WHERE hash = ? "
			     "AND count >= ?)", &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, idx, CRYPT_MAC_LEN);
	db_bind_int(s, 2, st->bounce_threshold);
	rc = db_step(s);
	rc = rc == DB_ROW ? (db_col_int(s, 0) != 0) : db_error(st, rc, "bounce lookup");
	db_finish(s);
	return (rc);
}
