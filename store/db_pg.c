/*
 * NAME
 *	db_pg 3
 * SUMMARY
 *	the PostgreSQL engine of the store (libpq), for several hosts
 * SYNOPSIS
 *	#include "db.h"
 *
 *	extern const struct db_ops db_pg_ops;
 * DESCRIPTION
 *	One libpq connection per struct store, from store_conninfo (a
 *	libpq connection string or URI; several hosts with
 *	target_session_attrs=read-write follow a promoted standby). A
 *	password comes only from ~/.pgpass or store_password_file (libpq's
 *	passfile, refused when group or others can read it); a password in
 *	store_conninfo is refused, so it never sits in links.conf. The
 *	session sets lock_timeout to store_busy_timeout, so a write waits
 *	for a row lock at most that long, then fails temporarily.
 *
 *	Statements: "?" and "?N" become "$N" (outside quotes); a cached
 *	statement is prepared on the server (named sN) at its first run on
 *	each connection, with the types of that run's parameters (int8,
 *	text, bytea; NULL lets the server infer); an uncached one runs
 *	with PQexecParams. Results come as text; bytea is decoded from
 *	its hex form, booleans read as 1/0 by the integer getter.
 *
 *	Errors: a lost connection (no SQLSTATE, or class 08), 40001
 *	serialization failure, 40P01 deadlock, 25006 read-only
 *	transaction (a standby), 57P01-57P03 shutdown, 55P03 lock timeout,
 *	57014 statement timeout, class 53 (out of disk, memory,
 *	connections) and 58 (I/O) are STORE_TEMP; anything else is
 *	STORE_ERR. After a lost connection or a read-only server the
 *	connection is reset before its next use outside a transaction, so
 *	the next message finds the (new) primary.
 *
 *	The schema version is the one row of table schema_version; the
 *	migration lock is a transaction-level advisory lock. Row locks are
 *	SELECT ... FOR UPDATE. store_set_sync(st, 0) is synchronous_commit
 *	off for this session, store_set_sync(st, 1) the server's setting;
 *	checkpoints are the server's business.
 * DIAGNOSTICS
 *	PostgreSQL's messages name tables, columns and constraints; the
 *	store never puts personal data in SQL text (values are bound
 *	parameters and personal data is encrypted before binding).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libpq-fe.h>

#include "store_int.h"
#include "text.h"

#define PG_OID_INT8	20
#define PG_OID_TEXT	25
#define PG_OID_BYTEA	17
#define PG_PARAMS_MAX	32		/* placeholders in one statement */
#define PG_NAME_MAX	24
#define PG_INT_TEXT	24		/* decimal int64 and NUL */
#define PG_SQL_MAX	16384		/* one rewritten statement */
#define PG_MIGRATE_LOCK	"7251033"	/* advisory lock key for migrations */
#define PG_CONNECT_TIMEOUT "5"		/* seconds, unless store_conninfo says */
#define PG_MSG_LINE	200		/* first line of a server message kept */

struct pg_conn {
	PGconn *c;
	long	gen;			/* bumped at each (re)connection */
	int	bad;			/* reset before the next use */
	long	seq;			/* statement names */
	long	busy_ms;
};

struct pg_stmt {
	struct db_stmt base;
	char   *sql;			/* with $N placeholders */
	int	nparams;
	char	name[PG_NAME_MAX];
	long	gen;			/* prepared on this connection generation */
	char   *vals[PG_PARAMS_MAX];
	int	lens[PG_PARAMS_MAX];
	int	fmts[PG_PARAMS_MAX];
	Oid	types[PG_PARAMS_MAX];
	PGresult *res;
	int	row, nrows;
	long	changes;
	unsigned char *blob;		/* the last decoded bytea */
};

#define PG(st)		((struct pg_conn *) (st)->engine)
#define PGS(s)		((struct pg_stmt *) (s))

/* pg_state_temp - whether SQLSTATE (NULL: none) is a temporary condition */
static int
pg_state_temp(const char *state)
{
	static const char *const temp[] = {
		"40001", "40P01", "25006", "57P01", "57P02", "57P03", "55P03", "57014",
	};
	size_t	i;

	if (state == NULL || strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0
	    || strncmp(state, "58", 2) == 0)
		return (1);
	for (i = 0; i < sizeof(temp) / sizeof(temp[0]); i++)
		if (strcmp(state, temp[i]) == 0)
			return (1);
	return (0);
}

/* pg_fail - keep the message of RES (or the connection); TEMP or ERR */
static int
pg_fail(struct store *st, const PGresult *res)
{
	struct pg_conn *pc = PG(st);
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : "";
	int	temp;

	if (msg == NULL || *msg == 0)
		msg = PQerrorMessage(pc->c);
	temp = pg_state_temp(state) || PQstatus(pc->c) != CONNECTION_OK;
	if (PQstatus(pc->c) != CONNECTION_OK || state == NULL
	    || (state && (strcmp(state, "25006") == 0 || strncmp(state, "57P0", 4) == 0)))
		pc->bad = 1;
	db_fail(st, temp ? STORE_TEMP : STORE_ERR, "%s%s%.*s", state ? state : "",
		state ? " " : "", PG_MSG_LINE, msg);
	/* one line: libpq's messages end with a newline */
	st->dbmsg[strcspn(st->dbmsg, "\n")] = 0;
	return (temp ? STORE_TEMP : STORE_ERR);
}

/* pg_session - the settings of every session */
static int
pg_session(struct store *st)
{
	char	sql[96];
	PGresult *r;
	int	rc = STORE_OK;

	snprintf(sql, sizeof(sql), "SET lock_timeout = %ld; SET client_min_messages = warning",
		 PG(st)->busy_ms);
	r = PQexec(PG(st)->c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pg_fail(st, r);
	PQclear(r);
	return (rc);
}

/* pg_connected - make sure the connection is up (outside transactions) */
static int
pg_connected(struct store *st)
{
	struct pg_conn *pc = PG(st);

	if (!pc->bad && PQstatus(pc->c) == CONNECTION_OK)
		return (STORE_OK);
	if (st->depth > 0)
		return (db_fail(st, STORE_TEMP, "connection lost inside a transaction"));
	PQreset(pc->c);
	if (PQstatus(pc->c) != CONNECTION_OK)
		return (pg_fail(st, NULL));
	pc->gen++;
	pc->bad = 0;
	return (pg_session(st));
}

/* pg_passfile_ok - a password file that only its owner can read */
static int
pg_passfile_ok(const char *path, char *err, size_t errlen)
{
	struct stat sb;

	if (stat(path, &sb) < 0) {
		snprintf(err, errlen, "store_password_file %s: %s", path, strerror(errno));
		return (0);
	}
	if (!S_ISREG(sb.st_mode) || (sb.st_mode & 077) != 0) {
		snprintf(err, errlen, "store_password_file %s: mode %04o; it must be a file "
			 "that only its owner can read (chmod 600)", path,
			 (unsigned) (sb.st_mode & 07777));
		return (0);
	}
	return (1);
}

/* pg_conninfo_ok - store_conninfo parses and holds no password */
static int
pg_conninfo_ok(const char *conninfo, char *err, size_t errlen)
{
	PQconninfoOption *opts, *o;
	char   *perr = NULL;
	int	ok = 1;

	if ((opts = PQconninfoParse(conninfo, &perr)) == NULL) {
		snprintf(err, errlen, "store_conninfo: %s", perr ? perr : "cannot be parsed");
		err[strcspn(err, "\n")] = 0;
		PQfreemem(perr);
		return (0);
	}
	for (o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val) {
			snprintf(err, errlen, "store_conninfo holds a password: put it in "
				 "~/.pgpass or in store_password_file instead");
			ok = 0;
		}
	PQconninfoFree(opts);
	return (ok);
}

/* pg_open - connect with store_conninfo */
static int
pg_open(struct store *st, const struct conf *conf, int create, char *err, size_t errlen)
{
	const char *conninfo = conf_store_conninfo(conf), *pass = conf_store_password_file(conf);
	const char *kw[5], *val[5];
	struct pg_conn *pc;
	int	n = 0;

	(void) create;
	if (conninfo == NULL || *conninfo == 0) {
		snprintf(err, errlen, "store_backend postgresql needs store_conninfo");
		return (-1);
	}
	if (!pg_conninfo_ok(conninfo, err, errlen)
	    || (pass && *pass && !pg_passfile_ok(pass, err, errlen)))
		return (-1);
	if ((pc = calloc(1, sizeof(*pc))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	st->engine = pc;
	pc->busy_ms = st->busy_ms > 0 ? st->busy_ms : 1;	/* 0 would mean: wait forever */
	/* Our defaults first: what store_conninfo says overrides them. */
	kw[n] = "connect_timeout", val[n++] = PG_CONNECT_TIMEOUT;
	kw[n] = "fallback_application_name", val[n++] = "links-mail";
	if (pass && *pass)
		kw[n] = "passfile", val[n++] = pass;
	kw[n] = "dbname", val[n++] = conninfo;
	kw[n] = NULL, val[n] = NULL;
	pc->c = PQconnectdbParams(kw, val, 1);
	if (pc->c == NULL || PQstatus(pc->c) != CONNECTION_OK) {
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s (temporary)",
			 pc->c ? PQerrorMessage(pc->c) : "out of memory");
		err[strcspn(err, "\n")] = 0;
		if (strstr(err, "(temporary)") == NULL)
			strncat(err, " (temporary)", errlen - strlen(err) - 1);
		return (-1);
	}
	pc->gen = 1;
	if (pg_session(st) != STORE_OK) {
		snprintf(err, errlen, "PostgreSQL session: %s", st->dbmsg);
		return (-1);
	}
	return (0);
}

/* pg_close - end the connection */
static void
pg_close(struct store *st)
{
	struct pg_conn *pc = PG(st);

	if (pc == NULL)
		return;
	if (pc->c)
		PQfinish(pc->c);
	free(pc);
	st->engine = NULL;
}

/* pg_rewrite - SQL with "?"/"?N" as "$N"; the number of parameters */
static char *
pg_rewrite(const char *sql, int *nparams)
{
	size_t	len = strlen(sql), o = 0;
	char   *out = malloc(2 * len + 1);
	int	quoted = 0, max = 0, k;

	if (out == NULL)
		return (NULL);
	for (; *sql; sql++) {
		if (*sql == '\'')
			quoted = !quoted;
		if (quoted || *sql != '?') {
			out[o++] = *sql;
			continue;
		}
		if (isdigit((unsigned char) sql[1])) {
			k = (int) strtol(sql + 1, (char **) &sql, 10);
			sql--;
		} else
			k = max + 1;
		if (k > max)
			max = k;
		o += (size_t) sprintf(out + o, "$%d", k);
	}
	out[o] = 0;
	*nparams = max;
	return (out);
}

/* pg_prepare - rewrite SQL; the server sees it at the first step */
static int
pg_prepare(struct store *st, const char *sql, struct db_stmt **out)
{
	struct pg_stmt *s;

	if (strlen(sql) > PG_SQL_MAX / 2)
		return (db_fail(st, STORE_ERR, "statement too long"));
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (db_fail(st, STORE_TEMP, "out of memory"));
	if ((s->sql = pg_rewrite(sql, &s->nparams)) == NULL) {
		free(s);
		return (db_fail(st, STORE_TEMP, "out of memory"));
	}
	if (s->nparams > PG_PARAMS_MAX) {
		free(s->sql);
		free(s);
		return (db_fail(st, STORE_ERR, "more than %d parameters", PG_PARAMS_MAX));
	}
	snprintf(s->name, sizeof(s->name), "s%ld", ++PG(st)->seq);
	*out = &s->base;
	return (STORE_OK);
}

/* pg_use - reconnect first when the connection was lost */
static int
pg_use(struct db_stmt *s)
{
	int	rc = pg_connected(s->st);

	return (rc == STORE_OK ? rc : db_error(s->st, rc, "connect"));
}

/* pg_reset - forget the result and the bindings */
static void
pg_reset(struct db_stmt *s)
{
	struct pg_stmt *p = PGS(s);
	int	i;

	PQclear(p->res);
	p->res = NULL;
	p->row = p->nrows = 0;
	free(p->blob);
	p->blob = NULL;
	for (i = 0; i < PG_PARAMS_MAX; i++) {
		free(p->vals[i]);
		p->vals[i] = NULL;
		p->lens[i] = p->fmts[i] = 0;
		p->types[i] = 0;
	}
}

/* pg_free - reset and free (a server-side statement lives with its connection) */
static void
pg_free(struct db_stmt *s)
{
	pg_reset(s);
	free(PGS(s)->sql);
	free(s);
}

/* pg_bind - keep a copy of one parameter value */
static int
pg_bind(struct db_stmt *s, int i, const void *p, size_t n, int fmt, Oid type)
{
	struct pg_stmt *ps = PGS(s);
	char   *v = NULL;

	if (i < 1 || i > ps->nparams)
		return (STORE_OK);	/* not in this statement: ignored */
	if (p != NULL) {
		if ((v = malloc(n + 1)) == NULL)
			return (db_fail(s->st, STORE_TEMP, "out of memory"));
		memcpy(v, p, n);
		v[n] = 0;
	}
	free(ps->vals[i - 1]);
	ps->vals[i - 1] = v;
	ps->lens[i - 1] = (int) n;
	ps->fmts[i - 1] = fmt;
	ps->types[i - 1] = type;
	return (STORE_OK);
}

/* pg_bind_int - an int8 parameter, sent as text */
static int
pg_bind_int(struct db_stmt *s, int i, int64_t v)
{
	char	buf[PG_INT_TEXT];
	int	n = snprintf(buf, sizeof(buf), "%lld", (long long) v);

	return (pg_bind(s, i, buf, (size_t) n, 0, PG_OID_INT8));
}

/* pg_bind_text - a text parameter */
static int
pg_bind_text(struct db_stmt *s, int i, const char *v)
{
	return (pg_bind(s, i, v, strlen(v), 0, PG_OID_TEXT));
}

/* pg_bind_blob - a bytea parameter, sent in binary */
static int
pg_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	return (pg_bind(s, i, p ? p : "", n, 1, PG_OID_BYTEA));
}

/* pg_bind_null - NULL, of a type the server infers */
static int
pg_bind_null(struct db_stmt *s, int i)
{
	return (pg_bind(s, i, NULL, 0, 0, 0));
}

/* pg_server_prepare - prepare a cached statement on this connection */
static int
pg_server_prepare(struct pg_stmt *p)
{
	struct store *st = p->base.st;
	PGresult *r;
	int	rc = STORE_OK;

	r = PQprepare(PG(st)->c, p->name, p->sql, p->nparams, p->types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pg_fail(st, r);
	else
		p->gen = PG(st)->gen;
	PQclear(r);
	return (rc);
}

/* pg_run - execute the statement; keep its result */
static int
pg_run(struct pg_stmt *p)
{
	struct store *st = p->base.st;
	PGconn *c = PG(st)->c;
	const char *const *vals = (const char *const *) p->vals;
	ExecStatusType t;
	int	rc;

	if (p->base.cached) {
		if (p->gen != PG(st)->gen && (rc = pg_server_prepare(p)) != STORE_OK)
			return (rc);
		p->res = PQexecPrepared(c, p->name, p->nparams, vals, p->lens, p->fmts, 0);
	} else
		p->res = PQexecParams(c, p->sql, p->nparams, p->types, vals, p->lens, p->fmts, 0);
	t = PQresultStatus(p->res);
	if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
		rc = pg_fail(st, p->res);
		PQclear(p->res);
		p->res = NULL;
		return (rc);
	}
	p->nrows = PQntuples(p->res);
	p->changes = atol(PQcmdTuples(p->res));
	p->row = 0;
	return (STORE_OK);
}

/* pg_step - run at the first step, then hand out the rows */
static int
pg_step(struct db_stmt *s)
{
	struct pg_stmt *p = PGS(s);
	int	rc;

	if (p->res == NULL) {
		if (PQstatus(PG(s->st)->c) != CONNECTION_OK)
			return (pg_fail(s->st, NULL));
		if ((rc = pg_run(p)) != STORE_OK)
			return (rc);
	} else
		p->row++;
	free(p->blob);
	p->blob = NULL;
	return (p->row < p->nrows ? DB_ROW : DB_DONE);
}

/* pg_col_int - an integer, or a boolean as 1/0 */
static int64_t
pg_col_int(struct db_stmt *s, int i)
{
	struct pg_stmt *p = PGS(s);
	const char *v;

	if (p->row >= p->nrows || PQgetisnull(p->res, p->row, i))
		return (0);
	v = PQgetvalue(p->res, p->row, i);
	if (*v == 't')
		return (1);
	if (*v == 'f')
		return (0);
	return ((int64_t) strtoll(v, NULL, 10));
}

/* pg_col_text - a text value ("" for NULL) */
static const char *
pg_col_text(struct db_stmt *s, int i)
{
	struct pg_stmt *p = PGS(s);

	if (p->row >= p->nrows)
		return ("");
	return (PQgetvalue(p->res, p->row, i));
}

/* pg_col_blob - a bytea value, decoded from "\x..." (valid until the next call) */
static const void *
pg_col_blob(struct db_stmt *s, int i, size_t *len)
{
	struct pg_stmt *p = PGS(s);
	const char *v;
	size_t	n, k;
	int	hi, lo;

	*len = 0;
	free(p->blob);
	p->blob = NULL;
	if (p->row >= p->nrows || PQgetisnull(p->res, p->row, i))
		return (NULL);
	v = PQgetvalue(p->res, p->row, i);
	if (v[0] != '\\' || v[1] != 'x')
		return (NULL);	/* bytea_output is hex since PostgreSQL 9.0 */
	v += 2;
	n = strlen(v) / 2;
	if ((p->blob = malloc(n + 1)) == NULL)
		return (NULL);
	for (k = 0; k < n; k++) {
		if ((hi = text_hexval(v[2 * k])) < 0 || (lo = text_hexval(v[2 * k + 1])) < 0)
			return (NULL);
		p->blob[k] = (unsigned char) (hi << 4 | lo);
	}
	*len = n;
	return (p->blob);
}

/* pg_col_null - NULL column */
static int
pg_col_null(struct db_stmt *s, int i)
{
	struct pg_stmt *p = PGS(s);

	return (p->row >= p->nrows || PQgetisnull(p->res, p->row, i));
}

/* pg_changes - rows changed by the statement's last run */
static long
pg_changes(struct db_stmt *s)
{
	return (PGS(s)->changes);
}

/* pg_exec - SQL without parameters or rows (several statements allowed) */
static int
pg_exec(struct store *st, const char *sql)
{
	PGresult *r;
	int	rc = STORE_OK;

	if (PQstatus(PG(st)->c) != CONNECTION_OK)
		return (pg_fail(st, NULL));
	r = PQexec(PG(st)->c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_fail(st, r);
	PQclear(r);
	return (rc);
}

/* pg_begin - BEGIN (read committed), reconnecting first if needed */
static int
pg_begin(struct store *st)
{
	int	rc;

	if ((rc = pg_connected(st)) != STORE_OK)
		return (rc);
	return (pg_exec(st, "BEGIN"));
}

/* pg_commit - COMMIT; a transaction the server rolled back is an error */
static int
pg_commit(struct store *st)
{
	PGresult *r = PQexec(PG(st)->c, "COMMIT");
	int	rc = STORE_OK;

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pg_fail(st, r);
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
		rc = db_fail(st, STORE_ERR, "the transaction was rolled back");
	PQclear(r);
	return (rc);
}

/* pg_rollback - ROLLBACK, quietly (the connection may be gone) */
static void
pg_rollback(struct store *st)
{
	if (PQstatus(PG(st)->c) == CONNECTION_OK)
		PQclear(PQexec(PG(st)->c, "ROLLBACK"));
}

/* pg_lock_row - SELECT ... FOR UPDATE of row ID of TABLE */
static int
pg_lock_row(struct store *st, const char *table, int64_t id)
{
	char	sql[128], val[PG_INT_TEXT];
	const char *vals[1] = {val};
	PGresult *r;
	int	rc = STORE_OK;

	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE id = $1 FOR UPDATE", table);
	snprintf(val, sizeof(val), "%lld", (long long) id);
	r = PQexecParams(PG(st)->c, sql, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_fail(st, r);
	PQclear(r);
	return (rc);
}

/* pg_scalar - the integer result of SQL (0 for NULL or no row) */
static int
pg_scalar(struct store *st, const char *sql, long *v)
{
	PGresult *r = PQexec(PG(st)->c, sql);
	int	rc = STORE_OK;

	*v = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_fail(st, r);
	else if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		*v = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	return (rc);
}

/* pg_version_get - the schema version (0: no schema yet) */
static int
pg_version_get(struct store *st, int *v)
{
	long	n;
	int	rc;

	*v = 0;
	if ((rc = pg_connected(st)) != STORE_OK
	    || (rc = pg_scalar(st, "SELECT CASE WHEN to_regclass('schema_version') IS NULL "
			       "THEN 0 ELSE 1 END", &n)) != STORE_OK || n == 0)
		return (rc);
	if ((rc = pg_scalar(st, "SELECT max(version) FROM schema_version", &n)) == STORE_OK)
		*v = (int) n;
	return (rc);
}

/* pg_version_set - record version V */
static int
pg_version_set(struct store *st, int v)
{
	char	sql[160];

	snprintf(sql, sizeof(sql), "CREATE TABLE IF NOT EXISTS schema_version "
		 "(version BIGINT NOT NULL); DELETE FROM schema_version; "
		 "INSERT INTO schema_version VALUES (%d)", v);
	return (pg_exec(st, sql));
}

/* pg_migrate_lock - one migrating process at a time */
static int
pg_migrate_lock(struct store *st)
{
	return (pg_exec(st, "SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK ")"));
}

/* pg_set_sync - synchronous_commit off, or the server's setting */
static int
pg_set_sync(struct store *st, int full)
{
	return (pg_exec(st, full ? "RESET synchronous_commit" : "SET synchronous_commit = off"));
}

/* pg_set_autocheckpoint - nothing: the server checkpoints */
static int
pg_set_autocheckpoint(struct store *st, int pages)
{
	(void) st;
	(void) pages;
	return (STORE_OK);
}

/* pg_checkpoint - nothing: the server checkpoints */
static int
pg_checkpoint(struct store *st)
{
	(void) st;
	return (STORE_OK);
}

/* pg_wal_reserve - nothing: the server manages its write-ahead log */
static int
pg_wal_reserve(struct store *st, long reserve)
{
	(void) st;
	(void) reserve;
	return (STORE_OK);
}

const struct db_ops db_pg_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.use = pg_use,
	.reset = pg_reset,
	.free = pg_free,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.col_null = pg_col_null,
	.changes = pg_changes,
	.exec = pg_exec,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.lock_row = pg_lock_row,
	.version_get = pg_version_get,
	.version_set = pg_version_set,
	.migrate_lock = pg_migrate_lock,
	.set_sync = pg_set_sync,
	.set_autocheckpoint = pg_set_autocheckpoint,
	.checkpoint = pg_checkpoint,
	.wal_reserve = pg_wal_reserve,
};
