/*
 * NAME
 *	store_int 3h
 * SUMMARY
 *	private parts of the SQLite store, shared by the store modules
 * SYNOPSIS
 *	#include "store_int.h"
 * DESCRIPTION
 *	struct store, the error helpers and the internal transaction
 *	helpers. Nothing outside store/ includes this file.
 *
 *	st_tx_begin() opens a transaction (BEGIN IMMEDIATE, so the write
 *	lock is taken at once and waits at most the busy timeout) or a
 *	savepoint when one is already open; st_tx_end(st, rc) commits when
 *	RC is STORE_OK or STORE_NOTFOUND, else rolls back, and returns RC
 *	(or the commit's error).
 *
 *	st_prepare() hands out a prepared statement for SQL, from the
 *	connection's cache when the same text was prepared before (parsing
 *	and planning cost more than running most of our statements);
 *	st_finalize() gives it back: a cached statement is reset and its
 *	bindings cleared, any other is finalized. Every statement from
 *	st_prepare() must go back through st_finalize(), never
 *	sqlite3_finalize(). A statement already handed out is not handed
 *	out twice: a nested use of the same SQL gets an uncached one.
 *
 *	st_sqlerr() records "WHAT: sqlite message" and maps SQLITE_BUSY,
 *	LOCKED, FULL, IOERR, READONLY and CANTOPEN to STORE_TEMP, anything
 *	else to STORE_ERR. SQLite's messages name tables and columns, never
 *	values, so they carry no personal data.
 * DIAGNOSTICS
 *	See store.h.
 */
#ifndef LINKS_STORE_INT_H
#define LINKS_STORE_INT_H

#include <sqlite3.h>
#include <time.h>

#include "crypt.h"
#include "utf8.h"
#include "store.h"

#define STORE_ERR_MAX		512
#define STORE_DOMAIN_MAX	255
#define STORE_SCHEMA_VERSION	1
#define STORE_MSGID_RANDOM	16	/* random bytes in a generated Message-ID */
#define STORE_SECONDS_PER_DAY	86400
#define STORE_TEXT_MAX		4096	/* template names, audiences, reasons */
#define STORE_PARAMS_MAX	65536	/* campaign parameters (JSON) */
#define STORE_STMT_CACHE	48	/* prepared statements kept per connection */

/* A prepared statement kept for the next st_prepare() of the same SQL. */
struct st_cached {
	char   *sql;			/* a copy; NULL: free slot */
	size_t	len;
	sqlite3_stmt *stmt;
	int	in_use;			/* handed out, not yet st_finalize()d */
};

struct store {
	sqlite3 *db;
	struct crypt_keys keys;
	int	depth;			/* open transactions/savepoints */
	long	busy_ms;		/* store_busy_timeout */
	struct timespec busy_start;	/* when the current wait for a lock began */
	long	grace_days;
	long	consent_days;
	long	bounce_threshold;
	char	msgid_domain[STORE_DOMAIN_MAX + 1];
	struct st_cached cache[STORE_STMT_CACHE];
	char	err[STORE_ERR_MAX];
};

int	st_err(struct store *st, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int	st_sqlerr(struct store *st, int rc, const char *what);
int	st_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt);
void	st_finalize(struct store *st, sqlite3_stmt *stmt);
int	st_exec(struct store *st, const char *sql);
int	st_tx_begin(struct store *st);
int	st_tx_end(struct store *st, int rc);
time_t	st_now(void);

/* schema.c */
int	schema_migrate(struct store *st, char *err, size_t errlen);

/* customer.c: the blind index and suppression hash of a normalised address. */
void	st_email_index(struct store *st, const char *norm, unsigned char out[CRYPT_MAC_LEN]);
void	st_email_suphash(struct store *st, const char *norm, unsigned char out[CRYPT_MAC_LEN]);
/* Decrypt the customer's address (caller frees *EMAIL); STORE_NOTFOUND if no row. */
int	st_customer_email(struct store *st, int64_t id, char **email);
int	st_customer_exists(struct store *st, int64_t id);

/* consent.c: re-apply refusals recorded for a suppressed address to a new row. */
int	st_suppression_apply(struct store *st, int64_t customer_id, const char *norm);

/* outbox/campaign: "HEX@DOMAIN" into OUT (at least STORE_MSGID_MAX). */
#define STORE_MSGID_MAX	(2 * STORE_MSGID_RANDOM + 1 + STORE_DOMAIN_MAX + 1)
int	st_make_message_id(struct store *st, char *out, size_t outlen);

/* Text checks shared by the modules. */
char   *st_strdup(const char *s);

#endif
