/*
 * NAME
 *	db 3h
 * SUMMARY
 *	the store's backend interface: one table of functions per engine
 * SYNOPSIS
 *	#include "db.h"
 *
 *	int	db_prepare(struct store *st, const char *sql, struct db_stmt **s);
 *	void	db_finish(struct db_stmt *s);
 *	int	db_bind_int(struct db_stmt *s, int i, int64_t v);
 *	int	db_bind_text(struct db_stmt *s, int i, const char *v);
 *	int	db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n);
 *	int	db_bind_null(struct db_stmt *s, int i);
 *	int	db_step(struct db_stmt *s);
 *	int64_t	db_col_int(struct db_stmt *s, int i);
 *	const char *db_col_text(struct db_stmt *s, int i);
 *	const void *db_col_blob(struct db_stmt *s, int i, size_t *len);
 *	int	db_col_null(struct db_stmt *s, int i);
 *	long	db_changes(struct db_stmt *s);
 *	int	db_exec(struct store *st, const char *sql);
 *	int	db_lock_row(struct store *st, const char *table, int64_t id);
 *	int	db_error(struct store *st, int rc, const char *what);
 * DESCRIPTION
 *	The store's logic (customer.c, consent.c, campaign_store.c, purge.c
 *	...) is written once, with its SQL once, against this interface.
 *	Each engine (db_sqlite.c, db_pg.c) fills one struct db_ops with
 *	what really differs between engines: connecting, preparing and
 *	running a statement, binding and reading values, transactions,
 *	row locks, classifying errors into STORE_TEMP and STORE_ERR,
 *	schema version bookkeeping, durability knobs. store_open() picks
 *	the table from store_backend.
 *
 *	SQL given to db_prepare() uses "?" or "?N" placeholders (N from 1)
 *	and the dialect both engines accept: INSERT ... ON CONFLICT ... DO
 *	NOTHING/UPDATE (upsert SET clauses name the table for the old row:
 *	"count = bounces.count + 1"), RETURNING, CASE, coalesce, EXISTS;
 *	no engine-only functions; times are computed in C (st_now()) and
 *	bound. The PostgreSQL backend rewrites "?"/"?N" into "$N".
 *
 *	db_prepare() hands out a statement, from the connection's cache
 *	when the same text was prepared before; db_finish() gives it
 *	back (reset, bindings cleared) or frees it. Every statement from
 *	db_prepare() goes back through db_finish(). A statement already
 *	handed out is not handed out twice: a nested use of the same SQL
 *	gets an uncached one.
 *
 *	Binding an index the statement does not have is ignored; a
 *	parameter never bound is NULL. db_step() returns DB_ROW, DB_DONE,
 *	or STORE_TEMP/STORE_ERR with the engine's message kept for
 *	db_error(). Column getters read the current row: db_col_int()
 *	reads integers and booleans (EXISTS), NULL as 0; db_col_text()
 *	returns "" for NULL; db_col_null() tells NULL apart; pointers stay valid until the next step or
 *	db_finish(). db_changes() is the number of rows the last step of
 *	S inserted, updated or deleted.
 *
 *	db_exec() runs SQL without parameters or rows (DDL; several
 *	statements allowed). db_lock_row() locks one row of TABLE (by id)
 *	until the transaction ends: SELECT ... FOR UPDATE on PostgreSQL,
 *	nothing on SQLite, whose write transaction already excludes other
 *	writers. Use it where a transaction reads, decides, then writes
 *	(opt-out idempotency), so two hosts cannot both decide.
 *
 *	db_error() sets the store's message to "WHAT: engine message"
 *	(" (temporary)" appended for STORE_TEMP) and returns RC.
 * DIAGNOSTICS
 *	See store.h for STORE_TEMP and STORE_ERR. Engines' messages name
 *	tables and columns, never values.
 */
#ifndef LINKS_DB_H
#define LINKS_DB_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

#define DB_DONE		0
#define DB_ROW		1
#define DB_MSG_MAX	384

struct store;

/* A statement: each engine's own struct starts with this one. */
struct db_stmt {
	struct store *st;
	int	cached;		/* in the store's statement cache */
};

/* open's CREATE for store_open_counts(): read only, nothing written */
#define DB_OPEN_COUNTS	(-1)

struct db_ops {
	const char *name;
	/* connect (CREATE: make the database when missing; DB_OPEN_COUNTS:
	 * read only, for counts); 0 or -1 + ERR */
	int	(*open)(struct store *st, const struct conf *conf, int create,
			char *err, size_t errlen);
	void	(*close)(struct store *st);
	int	(*prepare)(struct store *st, const char *sql, struct db_stmt **out);
	int	(*use)(struct db_stmt *s);	/* before each use (checks) */
	void	(*reset)(struct db_stmt *s);
	void	(*free)(struct db_stmt *s);
	int	(*bind_int)(struct db_stmt *s, int i, int64_t v);
	int	(*bind_text)(struct db_stmt *s, int i, const char *v);
	int	(*bind_blob)(struct db_stmt *s, int i, const void *p, size_t n);
	int	(*bind_null)(struct db_stmt *s, int i);
	int	(*step)(struct db_stmt *s);
	int64_t	(*col_int)(struct db_stmt *s, int i);
	const char *(*col_text)(struct db_stmt *s, int i);
	const void *(*col_blob)(struct db_stmt *s, int i, size_t *len);
	int	(*col_null)(struct db_stmt *s, int i);
	long	(*changes)(struct db_stmt *s);
	int	(*exec)(struct store *st, const char *sql);
	/* transactions: the outermost; savepoints are plain SQL */
	int	(*begin)(struct store *st);
	int	(*commit)(struct store *st);
	void	(*rollback)(struct store *st);
	int	(*lock_row)(struct store *st, const char *table, int64_t id);
	/* schema: version kept by the engine; lock held while migrating */
	int	(*version_get)(struct store *st, int *v);
	int	(*version_set)(struct store *st, int v);
	int	(*migrate_lock)(struct store *st);
	/* durability (store.h) */
	int	(*set_sync)(struct store *st, int full);
	int	(*set_autocheckpoint)(struct store *st, int pages);
	int	(*checkpoint)(struct store *st);
	int	(*wal_reserve)(struct store *st, long reserve);
};

extern const struct db_ops db_sqlite_ops;
#ifdef HAVE_LIBPQ
extern const struct db_ops db_pg_ops;
#endif

int	db_prepare(struct store *st, const char *sql, struct db_stmt **s);
void	db_finish(struct db_stmt *s);
int	db_bind_int(struct db_stmt *s, int i, int64_t v);
int	db_bind_text(struct db_stmt *s, int i, const char *v);
int	db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n);
int	db_bind_null(struct db_stmt *s, int i);
int	db_step(struct db_stmt *s);
int64_t	db_col_int(struct db_stmt *s, int i);
const char *db_col_text(struct db_stmt *s, int i);
const void *db_col_blob(struct db_stmt *s, int i, size_t *len);
int	db_col_null(struct db_stmt *s, int i);
long	db_changes(struct db_stmt *s);
int	db_exec(struct store *st, const char *sql);
int	db_lock_row(struct store *st, const char *table, int64_t id);
int	db_error(struct store *st, int rc, const char *what);
void	db_cache_clear(struct store *st);

/* Engines report their message with this; db_error() prefixes it. */
int	db_fail(struct store *st, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
