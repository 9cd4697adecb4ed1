/*
 * NAME
 *	migrate 3
 * SUMMARY
 *	copy a whole store to another engine (links-store migrate-to)
 * SYNOPSIS
 *	#include "store.h"
 *
 *	int	store_copy(struct store *src, struct store *dst,
 *			struct store_copy_report *rep);
 * DESCRIPTION
 *	store_copy() copies every row of every table of SRC into DST, in
 *	one transaction of DST, with the same row ids: the ciphertexts are
 *	bound to their row id and the blind index to the key, so both
 *	stores must use the same key file (store_open() of DST checked
 *	that) and the rows are copied as they are, never decrypted. DST
 *	must hold no customer, campaign, consent event or counter yet.
 *	After the copy, the identity sequences of a PostgreSQL DST are
 *	moved past the copied ids, and the row count of every table is
 *	compared; any difference rolls the whole copy back.
 *
 *	Tables are copied parents first (customers before contracts ...),
 *	so the foreign keys hold at every insert.
 * DIAGNOSTICS
 *	STORE_OK with REP filled, or STORE_ERR/STORE_TEMP with the reason in
 *	store_errmsg(DST) (or of SRC for a read error).
 */
#include "config.h"

#include <string.h>

#include "store_int.h"

/*
 * A table and its columns; TYPES has one letter per column: I integer,
 * T text, B blob.
 */
struct copy_table {
	const char *name;
	const char *cols;
	const char *types;
	int	identity;		/* has an identity column "id" */
};

static const struct copy_table copy_tables[STORE_COPY_TABLES] = {
	{"customers", "id, email_idx, email_ct, name_ct, phone_ct, source, created, updated",
	 "IBBBBIII", 1},
	{"contracts", "id, customer_id, service_type, ref, status, started, ended", "IITTIII", 1},
	{"prefs", "customer_id, category, optout, updated", "IIII", 0},
	{"consent_events", "id, customer_id, subject, category, optout, channel, evidence, at, "
	 "actor, note_ct, campaign_id", "IIBIIITITBI", 1},
	{"suppression", "hash, cats, added", "BII", 0},
	{"bounces", "hash, count, last", "BII", 0},
	{"campaigns", "id, category, template, audience, params, created, finished, params_ct",
	 "IITTTIIB", 1},
	{"msglog", "message_id, customer_id, category, campaign_id, sent", "TIIII", 0},
	{"deliveries", "id, campaign_id, customer_id, message_id, status, reason, attempts, updated",
	 "IIITITII", 1},
	{"outbox", "id, customer_id, template, message_id, queued, status, reason, done, "
	 "thread_ct", "IITTIITIB", 1},
	{"counters", "name, value", "TI", 0},
	{"replies", "campaign_id, subject, kind, msg_hash, at", "IBIBI", 0},
	{"counter_hours", "name, hour, value", "TII", 0},
};

#define COPY_SQL_MAX	512

/* copy_value - bind column I of SRC's row to parameter I + 1 of INS */
static int
copy_value(struct db_stmt *sel, struct db_stmt *ins, int i, char type)
{
	const void *p;
	size_t	len;

	if (db_col_null(sel, i))
		return (db_bind_null(ins, i + 1));
	switch (type) {
	case 'I':
		return (db_bind_int(ins, i + 1, db_col_int(sel, i)));
	case 'T':
		return (db_bind_text(ins, i + 1, db_col_text(sel, i)));
	default:
		p = db_col_blob(sel, i, &len);
		return (db_bind_blob(ins, i + 1, p ? p : "", len));
	}
}

/* copy_rows - every row of table T from SRC to DST; *N rows copied */
static int
copy_rows(struct store *src, struct store *dst, const struct copy_table *t, long *n)
{
	char	sel_sql[COPY_SQL_MAX], ins_sql[COPY_SQL_MAX];
	struct db_stmt *sel = NULL, *ins = NULL;
	size_t	i, o, ncols = strlen(t->types);
	int	rc;

	*n = 0;
	snprintf(sel_sql, sizeof(sel_sql), "SELECT %s FROM %s ORDER BY 1", t->cols, t->name);
	o = (size_t) snprintf(ins_sql, sizeof(ins_sql), "INSERT INTO %s(%s) VALUES(", t->name,
			      t->cols);
	for (i = 0; i < ncols && o + 3 < sizeof(ins_sql); i++)
		o += (size_t) snprintf(ins_sql + o, sizeof(ins_sql) - o, i ? ", ?" : "?");
	snprintf(ins_sql + o, sizeof(ins_sql) - o, ")");
	if ((rc = db_prepare(src, sel_sql, &sel)) != STORE_OK
	    || (rc = db_prepare(dst, ins_sql, &ins)) != STORE_OK)
		goto done;
	while ((rc = db_step(sel)) == DB_ROW) {
		for (i = 0; i < ncols; i++)
			if ((rc = copy_value(sel, ins, (int) i, t->types[i])) != STORE_OK)
				goto done;
		if ((rc = st_run(dst, ins, t->name)) != STORE_OK)
			goto done;
		db_finish(ins);		/* reset for the next row */
		if ((rc = db_prepare(dst, ins_sql, &ins)) != STORE_OK) {
			ins = NULL;
			goto done;
		}
		(*n)++;
	}
	if (rc != DB_DONE)
		rc = st_err(dst, db_error(src, rc, t->name), "source: %s", src->err);
	else
		rc = STORE_OK;
done:
	db_finish(sel);
	db_finish(ins);
	return (rc);
}

/* copy_sequences - PostgreSQL: identity sequences past the copied ids */
static int
copy_sequences(struct store *dst)
{
	char	sql[COPY_SQL_MAX];
	size_t	i;
	int	rc;

#ifdef HAVE_LIBPQ
	if (dst->ops != &db_pg_ops)
		return (STORE_OK);
#else
	return (STORE_OK);
#endif
	for (i = 0; i < STORE_COPY_TABLES; i++) {
		if (!copy_tables[i].identity)
			continue;
		snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
			 "coalesce(max(id), 0) + 1, false) FROM %s", copy_tables[i].name,
			 copy_tables[i].name);
		if ((rc = db_exec(dst, sql)) != STORE_OK)
			return (rc);
	}
	return (STORE_OK);
}

/* copy_empty - DST holds no data yet */
static int
copy_empty(struct store *dst)
{
	char	sql[COPY_SQL_MAX];
	size_t	i;
	long	n;
	int	rc;

	for (i = 0; i < STORE_COPY_TABLES; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", copy_tables[i].name);
		if ((rc = st_count(dst, sql, 0, &n)) != STORE_OK)
			return (rc);
		if (n != 0)
			return (st_err(dst, STORE_ERR, "the target store is not empty (table %s has "
				       "%ld rows): copy only into a new database",
				       copy_tables[i].name, n));
	}
	return (STORE_OK);
}

/* copy_check - the same number of rows in every table of SRC and DST */
static int
copy_check(struct store *src, struct store *dst, struct store_copy_report *rep)
{
	char	sql[COPY_SQL_MAX];
	size_t	i;
	long	a, b;
	int	rc;

	for (i = 0; i < STORE_COPY_TABLES; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", copy_tables[i].name);
		if ((rc = st_count(src, sql, 0, &a)) != STORE_OK)
			return (st_err(dst, rc, "%s", store_errmsg(src)));
		if ((rc = st_count(dst, sql, 0, &b)) != STORE_OK)
			return (rc);
		if (a != b || a != rep->rows[i])
			return (st_err(dst, STORE_ERR, "table %s: %ld rows in the source, %ld copied, "
				       "%ld in the target", copy_tables[i].name, a, rep->rows[i], b));
	}
	return (STORE_OK);
}

/* store_copy - copy SRC into the empty DST (see DESCRIPTION) */
int
store_copy(struct store *src, struct store *dst, struct store_copy_report *rep)
{
	size_t	i;
	int	rc;

	memset(rep, 0, sizeof(*rep));
	if ((rc = st_tx_begin(dst)) != STORE_OK)
		return (rc);
	if ((rc = st_tx_begin(src)) != STORE_OK) {	/* one consistent read of SRC */
		st_err(dst, rc, "%s", store_errmsg(src));
		return (st_tx_end(dst, rc));
	}
	if ((rc = copy_empty(dst)) != STORE_OK)
		goto done;
	for (i = 0; i < STORE_COPY_TABLES; i++) {
		rep->table[i] = copy_tables[i].name;
		if ((rc = copy_rows(src, dst, &copy_tables[i], &rep->rows[i])) != STORE_OK)
			goto done;
	}
	if ((rc = copy_sequences(dst)) == STORE_OK
	    && (rc = st_keyring_copy(src, dst)) == STORE_OK)	/* after a key rotation */
		rc = copy_check(src, dst, rep);
done:
	(void) st_tx_end(src, STORE_ERR);	/* read only: nothing to commit */
	return (st_tx_end(dst, rc));
}
