/*
 * NAME
 *	db 3
 * SUMMARY
 *	the engine-independent half of the backend interface
 * SYNOPSIS
 *	#include "store_int.h"
 * DESCRIPTION
 *	Dispatch to the engine chosen at open (st->ops), the per-connection
 *	statement cache (parsing and planning cost more than running most
 *	of our statements, on either engine), error messages, and
 *	transactions: the outermost one is the engine's, nested ones are
 *	savepoints named s1, s2 ... in SQL both engines accept. Also the
 *	durability calls of store.h, which the engines implement.
 * DIAGNOSTICS
 *	See db.h and store.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define SAVEPOINT_SQL_MAX	64

/* st_err - set the store's message; return CODE */
int
st_err(struct store *st, int code, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return (code);
}

/* db_fail - an engine records its own message; return RC */
int
db_fail(struct store *st, int rc, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(st->dbmsg, sizeof(st->dbmsg), fmt, ap);
	va_end(ap);
	return (rc);
}

/* db_error - "WHAT: engine message" as the store's message; return RC */
int
db_error(struct store *st, int rc, const char *what)
{
	if (rc >= 0)
		rc = STORE_ERR;
	return (st_err(st, rc, "%s: %s%s", what, st->dbmsg,
		       rc == STORE_TEMP ? " (temporary)" : ""));
}

/* st_now - the current time; the one clock of the store */
time_t
st_now(void)
{
	return (time(NULL));
}

/* st_strdup - copy of S ("" for NULL); NULL when out of memory */
char   *
st_strdup(const char *s)
{
	return (strdup(s ? s : ""));
}

/* cache_find - the slot holding SQL, a free slot, or neither */
static struct st_cached *
cache_find(struct store *st, const char *sql, size_t len, struct st_cached **slot)
{
	struct st_cached *c;
	size_t	i;

	*slot = NULL;
	for (i = 0; i < STORE_STMT_CACHE; i++) {
		c = &st->cache[i];
		if (c->sql == NULL) {
			if (*slot == NULL)
				*slot = c;
			continue;
		}
		if (c->len == len && memcmp(c->sql, sql, len) == 0)
			return (c);
	}
	return (NULL);
}

/* db_prepare - a statement for SQL, cached when possible */
int
db_prepare(struct store *st, const char *sql, struct db_stmt **s)
{
	struct st_cached *c, *slot;
	size_t	len = strlen(sql);
	int	rc;

	*s = NULL;
	if ((c = cache_find(st, sql, len, &slot)) != NULL) {
		if (!c->in_use) {
			if ((rc = st->ops->use(c->stmt)) != STORE_OK)
				return (rc);
			c->in_use = 1;
			*s = c->stmt;
			return (STORE_OK);
		}
		slot = NULL;		/* nested use: an uncached one */
	}
	if ((rc = st->ops->prepare(st, sql, s)) != STORE_OK)
		return (db_error(st, rc, "prepare"));
	(*s)->st = st;
	(*s)->cached = 0;
	if ((rc = st->ops->use(*s)) != STORE_OK) {
		st->ops->free(*s);
		*s = NULL;
		return (rc);
	}
	if (slot != NULL && (slot->sql = malloc(len + 1)) != NULL) {
		memcpy(slot->sql, sql, len + 1);
		slot->len = len;
		slot->stmt = *s;
		slot->in_use = 1;
		(*s)->cached = 1;
	}
	return (STORE_OK);
}

/* db_finish - give a statement back: reset if cached, else free */
void
db_finish(struct db_stmt *s)
{
	struct store *st;
	size_t	i;

	if (s == NULL)
		return;
	st = s->st;
	if (s->cached) {
		for (i = 0; i < STORE_STMT_CACHE; i++)
			if (st->cache[i].stmt == s && st->cache[i].sql != NULL) {
				st->ops->reset(s);
				st->cache[i].in_use = 0;
				return;
			}
	}
	st->ops->free(s);
}

/* db_cache_clear - free every cached statement (before closing) */
void
db_cache_clear(struct store *st)
{
	size_t	i;

	for (i = 0; i < STORE_STMT_CACHE; i++)
		if (st->cache[i].sql != NULL) {
			st->ops->free(st->cache[i].stmt);
			free(st->cache[i].sql);
			st->cache[i].sql = NULL;
			st->cache[i].stmt = NULL;
			st->cache[i].in_use = 0;
		}
}

/* db_bind_int - bind an integer to parameter I (from 1) */
int
db_bind_int(struct db_stmt *s, int i, int64_t v)
{
	return (s->st->ops->bind_int(s, i, v));
}

/* db_bind_text - bind a string (NULL: SQL NULL) */
int
db_bind_text(struct db_stmt *s, int i, const char *v)
{
	if (v == NULL)
		return (s->st->ops->bind_null(s, i));
	return (s->st->ops->bind_text(s, i, v));
}

/* db_bind_blob - bind N bytes (copied) */
int
db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	return (s->st->ops->bind_blob(s, i, p, n));
}

/* db_bind_null - bind SQL NULL */
int
db_bind_null(struct db_stmt *s, int i)
{
	return (s->st->ops->bind_null(s, i));
}

/* db_step - the next row: DB_ROW, DB_DONE or a negative STORE_ code */
int
db_step(struct db_stmt *s)
{
	struct store *st = s->st;
	int	rc = st->ops->step(s);

	/* Failed in a flat transaction (store_set_flat()): only the whole can go. */
	if (rc != DB_ROW && rc != DB_DONE && st->flat && st->depth > 0)
		st->spoiled = 1;
	return (rc);
}

/* db_col_int - integer (or boolean) column I of the current row */
int64_t
db_col_int(struct db_stmt *s, int i)
{
	return (s->st->ops->col_int(s, i));
}

/* db_col_text - text column I of the current row ("" for NULL) */
const char *
db_col_text(struct db_stmt *s, int i)
{
	const char *t = s->st->ops->col_text(s, i);

	return (t ? t : "");
}

/* db_col_blob - bytes of column I and their length */
const void *
db_col_blob(struct db_stmt *s, int i, size_t *len)
{
	return (s->st->ops->col_blob(s, i, len));
}

/* db_col_null - whether column I of the current row is NULL */
int
db_col_null(struct db_stmt *s, int i)
{
	return (s->st->ops->col_null(s, i));
}

/* db_changes - rows changed by the last step of S */
long
db_changes(struct db_stmt *s)
{
	return (s->st->ops->changes(s));
}

/* db_exec - SQL without parameters or rows */
int
db_exec(struct store *st, const char *sql)
{
	int	rc = st->ops->exec(st, sql);

	return (rc == STORE_OK ? rc : db_error(st, rc, "exec"));
}

/* db_lock_row - lock row ID of TABLE until the transaction ends */
int
db_lock_row(struct store *st, const char *table, int64_t id)
{
	int	rc = st->ops->lock_row(st, table, id);

	return (rc == STORE_OK ? rc : db_error(st, rc, "row lock"));
}

/* st_run - step S to its end (rows ignored); STORE_OK or an error */
int
st_run(struct store *st, struct db_stmt *s, const char *what)
{
	int	rc;

	while ((rc = db_step(s)) == DB_ROW)
		;
	return (rc == DB_DONE ? STORE_OK : db_error(st, rc, what));
}

/*
 * st_rows_read - up to MAX rows of S into the array OUT of SIZE-byte
 * records, each filled by ROW and emptied by CLEAR on failure; S is
 * run to its end (a claim's UPDATE ... RETURNING completes even when
 * more than MAX rows came back) and finished. The number of rows, or
 * an error with nothing left owned.
 */
int
st_rows_read(struct store *st, struct db_stmt *s, void *out, size_t size, int max,
	     st_row_fn row, st_clear_fn clear, const char *what)
{
	char   *rec = out;
	int	rc, n = 0;

	rc = DB_DONE;
	while (n < max && (rc = db_step(s)) == DB_ROW) {
		if ((rc = row(st, s, rec + (size_t) n++ * size)) != STORE_OK)
			goto fail;
		rc = DB_ROW;
	}
	/* full: the rest of an UPDATE ... RETURNING must still run (never step past done) */
	if (rc == DB_ROW)
		rc = st_run(st, s, what);
	else if (rc == DB_DONE)
		rc = STORE_OK;
	else
		rc = db_error(st, rc, what);
	if (rc != STORE_OK)
		goto fail;
	db_finish(s);
	return (n);
fail:
	db_finish(s);
	while (n > 0)
		clear(rec + (size_t) --n * size);
	return (rc);
}

/* st_count - the first column of the first row of SQL (parameter 1: ARG) */
int
st_count(struct store *st, const char *sql, int64_t arg, long *out)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, sql, &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, arg);
	rc = db_step(s);
	if (rc == DB_ROW) {
		*out = (long) db_col_int(s, 0);
		rc = STORE_OK;
	} else
		rc = db_error(st, rc == DB_DONE ? STORE_ERR : rc, "count");
	db_finish(s);
	return (rc);
}

/* st_exec_arg - run SQL with parameter 1: ARG; *N (if not NULL): the rows it changed */
int
st_exec_arg(struct store *st, const char *sql, int64_t arg, const char *what, long *n)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, sql, &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, arg);
	rc = st_run(st, s, what);
	if (n)
		*n = db_changes(s);
	db_finish(s);
	return (rc);
}

/* ---- transactions ---- */

/* st_tx_begin - open a transaction, or a savepoint inside one */
int
st_tx_begin(struct store *st)
{
	char	sql[SAVEPOINT_SQL_MAX];
	int	rc;

	if (st->depth == 0) {
		rc = st->ops->begin(st);
		st->spoiled = 0;
	} else if (st->flat)
		rc = STORE_OK;		/* store_set_flat(): no savepoint */
	else {
		snprintf(sql, sizeof(sql), "SAVEPOINT s%d", st->depth);
		rc = st->ops->exec(st, sql);
	}
	if (rc != STORE_OK)
		return (db_error(st, rc, "begin"));
	st->depth++;
	return (STORE_OK);
}

/* tx_commit - commit the innermost level */
static int
tx_commit(struct store *st)
{
	char	sql[SAVEPOINT_SQL_MAX];
	int	rc;

	if (st->depth == 0)
		rc = st->ops->commit(st);
	else if (st->flat)
		rc = STORE_OK;
	else {
		snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT s%d", st->depth);
		rc = st->ops->exec(st, sql);
	}
	return (rc == STORE_OK ? rc : db_error(st, rc, "commit"));
}

/* st_tx_end - commit on STORE_OK/NOTFOUND, else roll back; return RC */
int
st_tx_end(struct store *st, int rc)
{
	char	sql[SAVEPOINT_SQL_MAX];
	int	rc2;

	if (st->depth <= 0)
		return (st_err(st, STORE_ERR, "transaction end without a transaction"));
	st->depth--;
	if (rc == STORE_OK || rc == STORE_NOTFOUND) {
		if ((rc2 = tx_commit(st)) != STORE_OK) {
			/* A failed COMMIT (SQLite BUSY) leaves the transaction open. */
			if (st->depth == 0)
				st->ops->rollback(st);
			return (rc2);
		}
		return (rc);
	}
	/* Keep the caller's message: roll back quietly. */
	if (st->depth == 0)
		st->ops->rollback(st);
	else if (st->flat)
		st->spoiled = 1;	/* its writes stay: only the whole can go */
	else {
		snprintf(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT s%d", st->depth);
		if (st->ops->exec(st, sql) == STORE_OK) {
			snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT s%d", st->depth);
			(void) st->ops->exec(st, sql);
		}
	}
	return (rc);
}

/* store_set_flat - whether levels nested in ST's transaction open savepoints (0) or not */
void
store_set_flat(struct store *st, int flat)
{
	st->flat = flat != 0;
}

/* store_spoiled - 1 when a flat nested level failed in the open transaction */
int
store_spoiled(const struct store *st)
{
	return (st->spoiled);
}

/* store_begin - an explicit transaction (nests as savepoints) */
int
store_begin(struct store *st)
{
	return (st_tx_begin(st));
}

/* store_commit - commit the innermost explicit transaction */
int
store_commit(struct store *st)
{
	return (st_tx_end(st, STORE_OK));
}

/* store_rollback - roll back the innermost explicit transaction */
int
store_rollback(struct store *st)
{
	if (st->depth <= 0)
		return (st_err(st, STORE_ERR, "rollback without a transaction"));
	st_tx_end(st, STORE_ERR);
	return (STORE_OK);
}

/* ---- durability (the engines' own knobs) ---- */

/* store_set_sync - how durable this connection's commits are */
int
store_set_sync(struct store *st, int full)
{
	int	rc = st->ops->set_sync(st, full);

	return (rc == STORE_OK ? rc : db_error(st, rc, "synchronous"));
}

/* store_set_autocheckpoint - SQLite's automatic checkpoint (pages; 0 off) */
int
store_set_autocheckpoint(struct store *st, int pages)
{
	int	rc = st->ops->set_autocheckpoint(st, pages < 0 ? 0 : pages);

	return (rc == STORE_OK ? rc : db_error(st, rc, "wal_autocheckpoint"));
}

/* store_checkpoint - copy the write-ahead log into the database now */
int
store_checkpoint(struct store *st)
{
	int	rc = st->ops->checkpoint(st);

	return (rc == STORE_OK ? rc : db_error(st, rc, "checkpoint"));
}

/* store_wal_reserve - the write-ahead log file at least RESERVE bytes long */
int
store_wal_reserve(struct store *st, long reserve)
{
	if (st->depth != 0)
		return (st_err(st, STORE_ERR, "reserving the log inside a transaction"));
	return (st->ops->wal_reserve(st, reserve < 0 ? 0 : reserve));
}

/* st_returning_id - step an INSERT ... RETURNING id to its end; *ID (may be NULL) */
int
st_returning_id(struct store *st, struct db_stmt *s, int64_t *id, const char *what)
{
	int	rc;

	while ((rc = db_step(s)) == DB_ROW)
		if (id)
			*id = db_col_int(s, 0);
	return (rc == DB_DONE ? STORE_OK : db_error(st, rc, what));
}
