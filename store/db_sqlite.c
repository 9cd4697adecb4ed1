/*
 * NAME
 *	db_sqlite 3
 * SUMMARY
 *	the SQLite engine of the store (the embedded default)
 * SYNOPSIS
 *	#include "db.h"
 *
 *	extern const struct db_ops db_sqlite_ops;
 * DESCRIPTION
 *	One connection to the file store_path. Every connection runs with
 *	foreign keys on, WAL journaling, synchronous=FULL (store_set_sync()
 *	relaxes it per connection), secure_delete on (deleted rows are
 *	overwritten, not left in free pages), temporary storage (savepoint
 *	journals, temporary tables) in memory and the configured busy
 *	timeout. The schema version is PRAGMA user_version.
 *
 *	The busy handler replaces SQLite's default one, which sleeps 1, 2,
 *	5, 10 ... up to 100 ms between attempts: a writer that arrives
 *	just after another took the lock would sleep for many times the
 *	length of that transaction (a commit without fsync takes tens of
 *	microseconds). Ours starts at BUSY_SLEEP_MIN_US and doubles up to
 *	BUSY_SLEEP_MAX_US, and gives up when store_busy_timeout
 *	milliseconds have passed since the first attempt.
 *
 *	Write transactions are BEGIN IMMEDIATE: the write lock is taken at
 *	once, so a transaction never fails half-way for a lock, and rows
 *	need no locks of their own (lock_row does nothing).
 *
 *	A database file deleted or replaced (renamed over, as by a restore
 *	from backup) since it was opened is detected before each write
 *	transaction and autocommit write: SQLite would go on writing into
 *	the old file, which nobody will read again, and a refusal
 *	"recorded" there would be lost while the milter tells Postfix it is
 *	done. Such writes fail temporarily (the milter discards the
 *	connection, answers tempfail, and a new connection finds the
 *	restored file, or none).
 *
 *	BEGIN, COMMIT, ROLLBACK and the savepoint statements are kept
 *	compiled per connection (SQ_TX_CACHE) instead of being parsed by
 *	sqlite3_exec() on every call.
 *
 *	Connections open through the VFS of sq_walvfs.c ("unix", with the
 *	frames of a write-ahead-log commit written to the file in one
 *	call instead of two calls a frame).
 *
 *	store_open_counts() opens read-only, without pragmas (DB_OPEN_COUNTS:
 *	see sq_open_counts()).
 *
 *	SQLite's memory statistics are turned off before its first use
 *	(sq_init()): with them, every sqlite3_malloc() and sqlite3_free()
 *	of every connection takes one process-wide mutex (about 250 a
 *	refusal in the milter, whose threads then queue on it); the store
 *	never reads them (sqlite3_memory_used()).
 *
 *	Errors SQLITE_BUSY, LOCKED, FULL, IOERR, READONLY, CANTOPEN and
 *	NOMEM are STORE_TEMP; anything else is STORE_ERR.
 * DIAGNOSTICS
 *	SQLite's messages name tables and columns, never values.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sq_walvfs.h"
#include "store_int.h"

#define DB_FILE_MODE		0640
#define BUSY_SLEEP_MIN_US	50	/* first wait for a lock held by another connection */
#define BUSY_SLEEP_MAX_US	2000	/* longest single wait */
#define BUSY_SHIFT_MAX		16	/* doublings before the longest wait */
#define SQ_URI_MAX		4200	/* "file:" + an escaped path + options */
#define SQ_TX_CACHE		16	/* transaction statements kept compiled */
#define SQ_TX_SQL_MAX		40	/* "ROLLBACK TO SAVEPOINT s123" fits */
#define SQ_WAL_CHUNK		65536	/* zeros written per call when reserving the log */
#define SQ_WAL_RESERVE_MAX	(1L << 30)	/* the most store_wal_reserve() reserves */
#define SQ_WAL_ROOM		8	/* reserve only where 8 times the bytes are free */

/* A compiled BEGIN, COMMIT, ROLLBACK, SAVEPOINT sN, RELEASE ... */
struct sq_txstmt {
	char	sql[SQ_TX_SQL_MAX];
	sqlite3_stmt *stmt;
};

struct sq_conn {
	sqlite3 *db;
	struct timespec busy_start;	/* when the current wait for a lock began */
	struct sq_txstmt tx[SQ_TX_CACHE];
};

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *stmt;
	long	changes;
};

#define SQ(st)		((struct sq_conn *) (st)->engine)
#define SQS(s)		((struct sq_stmt *) (s))

/* sq_temp - whether an SQLite result code is a temporary condition */
static int
sq_temp(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_NOMEM:
		return (1);
	default:
		return (0);
	}
}

/* sq_fail - keep SQLite's message, return STORE_TEMP or STORE_ERR */
static int
sq_fail(struct store *st, int rc)
{
	sqlite3 *db = st->engine ? SQ(st)->db : NULL;

	return (db_fail(st, sq_temp(rc) ? STORE_TEMP : STORE_ERR, "%s",
			db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

/* sq_file_gone - the file we have open was deleted or replaced */
static int
sq_file_gone(struct store *st)
{
	int	moved = 0;

	if (sqlite3_file_control(SQ(st)->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK
	    || !moved)
		return (0);
	st_err(st, STORE_TEMP, "the database file was removed or replaced since it was opened "
	       "(temporary: reopen the store)");
	db_fail(st, STORE_TEMP, "%s", "the database file was removed or replaced since it was "
		"opened (reopen the store)");
	return (1);
}

/* sq_busy_wait - SQLite calls this with N = 0, 1, 2 ... while busy; 0 gives up */
static int
sq_busy_wait(void *arg, int n)
{
	struct store *st = arg;
	struct sq_conn *c = SQ(st);
	struct timespec now, ts;
	long	us, waited_ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (n == 0)
		c->busy_start = now;
	waited_ms = (long) (now.tv_sec - c->busy_start.tv_sec) * 1000
		+ (now.tv_nsec - c->busy_start.tv_nsec) / 1000000;
	if (waited_ms >= st->busy_ms)
		return (0);
	us = n < BUSY_SHIFT_MAX ? BUSY_SLEEP_MIN_US << n : BUSY_SLEEP_MAX_US;
	if (us > BUSY_SLEEP_MAX_US)
		us = BUSY_SLEEP_MAX_US;
	ts.tv_sec = 0;
	ts.tv_nsec = us * 1000;
	nanosleep(&ts, NULL);
	return (1);
}

/* sq_is_tx - whether SQL is a transaction statement worth keeping compiled */
static int
sq_is_tx(const char *sql)
{
	static const char *const verbs[] = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"};

	if (strlen(sql) >= SQ_TX_SQL_MAX)
		return (0);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strncmp(sql, verbs[i], strlen(verbs[i])) == 0)
			return (1);
	return (0);
}

/*
 * sq_tx_stmt - the compiled statement of transaction SQL, or NULL with
 * *RC; *CACHED tells whether the cache keeps it (else the caller
 * finalizes it)
 */
static sqlite3_stmt *
sq_tx_stmt(struct sq_conn *c, const char *sql, int *rc, int *cached)
{
	struct sq_txstmt *slot = NULL;
	sqlite3_stmt *stmt;

	for (int i = 0; i < SQ_TX_CACHE; i++) {
		if (c->tx[i].stmt == NULL) {
			if (slot == NULL)
				slot = &c->tx[i];
		} else if (strcmp(c->tx[i].sql, sql) == 0) {
			*cached = 1;
			return (c->tx[i].stmt);
		}
	}
	*rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
	if (*rc != SQLITE_OK)
		return (NULL);
	*cached = slot != NULL;
	if (slot != NULL) {
		snprintf(slot->sql, sizeof(slot->sql), "%s", sql);
		slot->stmt = stmt;
	}
	return (stmt);
}

/* sq_tx_clear - finalize the compiled transaction statements (before closing) */
static void
sq_tx_clear(struct sq_conn *c)
{
	for (int i = 0; i < SQ_TX_CACHE; i++)
		if (c->tx[i].stmt != NULL) {
			sqlite3_finalize(c->tx[i].stmt);
			c->tx[i].stmt = NULL;
		}
}

/*
 * sq_exec - SQL without rows. A transaction statement (a refusal's
 * group commit runs a BEGIN, a COMMIT and two SAVEPOINT/RELEASE pairs
 * per message) is kept compiled: sqlite3_exec() would parse and plan
 * it on every call, about 14% of a refusal's instructions.
 */
static int
sq_exec(struct store *st, const char *sql)
{
	struct sq_conn *c = SQ(st);
	sqlite3_stmt *stmt;
	int	rc, cached = 0;

	if (!sq_is_tx(sql)) {
		rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
		return (rc == SQLITE_OK ? STORE_OK : sq_fail(st, rc));
	}
	if ((stmt = sq_tx_stmt(c, sql, &rc, &cached)) == NULL)
		return (sq_fail(st, rc));
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		rc = STORE_OK;
	else
		rc = sq_fail(st, rc);	/* the message before the reset */
	if (cached)
		sqlite3_reset(stmt);
	else
		sqlite3_finalize(stmt);
	return (rc);
}

/* sq_create_file - make an empty database file with our mode */
static int
sq_create_file(const char *path, int create, char *err, size_t errlen)
{
	struct stat sb;
	int	fd;

	if (stat(path, &sb) == 0)
		return (0);
	if (errno != ENOENT || !create) {
		snprintf(err, errlen, "database %s: %s%s", path, strerror(errno),
			 errno == ENOENT ? " (run: links-store init)" : "");
		return (-1);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DB_FILE_MODE);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create database %s: %s", path, strerror(errno));
		return (-1);
	}
	close(fd);
	return (0);
}

/* sq_pragmas - the settings of every connection; WAL when writable */
static int
sq_pragmas(struct store *st)
{
	sqlite3_stmt *stmt;
	int	rc;

	/*
	 * temp_store = MEMORY: a savepoint's sub-journal (the milter's group
	 * commit runs each message in a savepoint of one transaction) stays
	 * in memory instead of spilling, past 64 KiB, into a file under
	 * /var/tmp: a refusal wrote about 18 pages there (an open, writes
	 * and an unlink per transaction) that no reader or recovery needs,
	 * and the pages (sealed data, hashes) never reach another disk file.
	 */
	if (sq_exec(st, "PRAGMA foreign_keys = ON") != STORE_OK
	    || sq_exec(st, "PRAGMA synchronous = FULL") != STORE_OK
	    || sq_exec(st, "PRAGMA secure_delete = ON") != STORE_OK
	    || sq_exec(st, "PRAGMA temp_store = MEMORY") != STORE_OK)
		return (STORE_ERR);
	/* Switching to WAL needs a write; a read-only file already in WAL is fine. */
	rc = sqlite3_prepare_v2(SQ(st)->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return (sq_fail(st, rc));
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && !sqlite3_db_readonly(SQ(st)->db, "main")) {
		sq_fail(st, rc);
		return (STORE_ERR);
	}
	return (STORE_OK);
}

/* sq_init_once - SQLite's process-wide settings, before its initialisation */
static void
sq_init_once(void)
{
	/* Fails (SQLITE_MISUSE) only when SQLite is already in use: then as it is. */
	(void) sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* sq_init - sq_init_once() once per process */
static void
sq_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	(void) pthread_once(&once, sq_init_once);
}

/* sq_connect - the connection for NAME (a path or a URI) with FLAGS; PATH names it */
static int
sq_connect(struct store *st, const char *name, int flags, const char *path,
	   char *err, size_t errlen)
{
	struct sq_conn *c;
	int	rc;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	st->engine = c;
	sq_init();
	rc = sqlite3_open_v2(name, &c->db, flags | SQLITE_OPEN_NOMUTEX, sq_walvfs_name());
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
			 c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		return (-1);
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_handler(c->db, sq_busy_wait, st);
	return (0);
}

/*
 * sq_open_counts - open store_path read-only for store_open_counts(),
 * as a user who may read the files but not write them or the folder.
 * While a writer has the database open its -wal and -shm files exist
 * and a read-only connection uses them (mode=ro). When none exists no
 * writer has it open and the file is complete: it is opened immutable,
 * since a read-only connection could not create the -shm file.
 */
static int
sq_open_counts(struct store *st, const char *path, char *err, size_t errlen)
{
	char	uri[SQ_URI_MAX], wal[SQ_URI_MAX];
	size_t	o = 0;
	const char *p;

	o = (size_t) snprintf(uri, sizeof(uri), "file:");
	for (p = path; *p && o + 4 < sizeof(uri); p++)
		o += (size_t) (strchr("%?#", *p) ? snprintf(uri + o, sizeof(uri) - o, "%%%02X",
							    (unsigned char) *p)
			       : snprintf(uri + o, sizeof(uri) - o, "%c", *p));
	if (*p || (size_t) snprintf(wal, sizeof(wal), "%s-wal", path) >= sizeof(wal)) {
		snprintf(err, errlen, "database path too long");
		return (-1);
	}
	snprintf(uri + o, sizeof(uri) - o, access(wal, F_OK) == 0 ? "?mode=ro" : "?immutable=1");
	return (sq_connect(st, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, path, err, errlen));
}

/* sq_open - open store_path (CREATE: make the file when missing) */
static int
sq_open(struct store *st, const struct conf *conf, int create, char *err, size_t errlen)
{
	const char *path = conf_store_path(conf);

	if (create == DB_OPEN_COUNTS)
		return (sq_open_counts(st, path, err, errlen));
	if (sq_create_file(path, create, err, errlen) < 0
	    || sq_connect(st, path, SQLITE_OPEN_READWRITE, path, err, errlen) < 0)
		return (-1);
	if (sq_pragmas(st) != STORE_OK) {
		snprintf(err, errlen, "database %s: %s%s", path, st->dbmsg,
			 sq_temp(sqlite3_errcode(SQ(st)->db)) ? " (temporary)" : "");
		return (-1);
	}
	return (0);
}

/* sq_close - roll back what is open and close the connection */
static void
sq_close(struct store *st)
{
	struct sq_conn *c = SQ(st);

	if (c == NULL)
		return;
	if (c->db) {
		if (!sqlite3_get_autocommit(c->db))
			(void) sq_exec(st, "ROLLBACK");
		sq_tx_clear(c);
		sqlite3_close_v2(c->db);
	}
	free(c);
	st->engine = NULL;
}

/* sq_prepare - compile SQL (persistent: it will likely be cached) */
static int
sq_prepare(struct store *st, const char *sql, struct db_stmt **out)
{
	struct sq_stmt *s;
	int	rc;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (db_fail(st, STORE_TEMP, "out of memory"));
	rc = sqlite3_prepare_v3(SQ(st)->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt, NULL);
	if (rc != SQLITE_OK) {
		free(s);
		return (sq_fail(st, rc));
	}
	*out = &s->base;
	return (STORE_OK);
}

/* sq_use - an autocommit write checks that the file is still ours */
static int
sq_use(struct db_stmt *s)
{
	struct store *st = s->st;

	if (st->depth == 0 && SQS(s)->stmt && !sqlite3_stmt_readonly(SQS(s)->stmt)
	    && sq_file_gone(st))
		return (STORE_TEMP);
	return (STORE_OK);
}

/* sq_reset - ready for the next use */
static void
sq_reset(struct db_stmt *s)
{
	sqlite3_reset(SQS(s)->stmt);
	sqlite3_clear_bindings(SQS(s)->stmt);
}

/* sq_free - finalize */
static void
sq_free(struct db_stmt *s)
{
	sqlite3_finalize(SQS(s)->stmt);
	free(s);
}

/* sq_bind_int - bind a 64-bit integer (an index out of range is ignored) */
static int
sq_bind_int(struct db_stmt *s, int i, int64_t v)
{
	(void) sqlite3_bind_int64(SQS(s)->stmt, i, (sqlite3_int64) v);
	return (STORE_OK);
}

/* sq_bind_text - bind a copy of V */
static int
sq_bind_text(struct db_stmt *s, int i, const char *v)
{
	int	rc = sqlite3_bind_text(SQS(s)->stmt, i, v, -1, SQLITE_TRANSIENT);

	return (rc == SQLITE_OK || rc == SQLITE_RANGE ? STORE_OK : sq_fail(s->st, rc));
}

/* sq_bind_blob - bind a copy of N bytes (a zero-length blob for N 0) */
static int
sq_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	int	rc;

	rc = n == 0 ? sqlite3_bind_zeroblob(SQS(s)->stmt, i, 0)
		: sqlite3_bind_blob(SQS(s)->stmt, i, p, (int) n, SQLITE_TRANSIENT);
	return (rc == SQLITE_OK || rc == SQLITE_RANGE ? STORE_OK : sq_fail(s->st, rc));
}

/* sq_bind_null - bind NULL */
static int
sq_bind_null(struct db_stmt *s, int i)
{
	(void) sqlite3_bind_null(SQS(s)->stmt, i);
	return (STORE_OK);
}

/* sq_step - one row, or done, or an error */
static int
sq_step(struct db_stmt *s)
{
	int	rc = sqlite3_step(SQS(s)->stmt);

	if (rc == SQLITE_ROW)
		return (DB_ROW);
	if (rc == SQLITE_DONE) {
		SQS(s)->changes = sqlite3_changes(SQ(s->st)->db);
		return (DB_DONE);
	}
	return (sq_fail(s->st, rc));
}

/* sq_col_int - integer column */
static int64_t
sq_col_int(struct db_stmt *s, int i)
{
	return ((int64_t) sqlite3_column_int64(SQS(s)->stmt, i));
}

/* sq_col_text - text column */
static const char *
sq_col_text(struct db_stmt *s, int i)
{
	return ((const char *) sqlite3_column_text(SQS(s)->stmt, i));
}

/* sq_col_blob - blob column */
static const void *
sq_col_blob(struct db_stmt *s, int i, size_t *len)
{
	const void *p = sqlite3_column_blob(SQS(s)->stmt, i);

	*len = (size_t) sqlite3_column_bytes(SQS(s)->stmt, i);
	return (p);
}

/* sq_col_null - NULL column */
static int
sq_col_null(struct db_stmt *s, int i)
{
	return (sqlite3_column_type(SQS(s)->stmt, i) == SQLITE_NULL);
}

/* sq_changes - rows changed by the statement's last run */
static long
sq_changes(struct db_stmt *s)
{
	return (SQS(s)->changes);
}

/* sq_begin - BEGIN IMMEDIATE, then check the file is still ours */
static int
sq_begin(struct store *st)
{
	int	rc = sq_exec(st, "BEGIN IMMEDIATE");

	/* Checked with the write lock held, so a file replaced while we
	 * waited for it is seen too. */
	if (rc == STORE_OK && sq_file_gone(st)) {
		(void) sq_exec(st, "ROLLBACK");
		return (STORE_TEMP);
	}
	return (rc);
}

/* sq_commit - COMMIT */
static int
sq_commit(struct store *st)
{
	return (sq_exec(st, "COMMIT"));
}

/* sq_rollback - ROLLBACK when a transaction is open */
static void
sq_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(SQ(st)->db))
		(void) sq_exec(st, "ROLLBACK");
}

/* sq_lock_row - nothing: BEGIN IMMEDIATE already excludes other writers */
static int
sq_lock_row(struct store *st, const char *table, int64_t id)
{
	(void) st;
	(void) table;
	(void) id;
	return (STORE_OK);
}

/* sq_version_get - PRAGMA user_version */
static int
sq_version_get(struct store *st, int *v)
{
	sqlite3_stmt *stmt;
	int	rc;

	rc = sqlite3_prepare_v2(SQ(st)->db, "PRAGMA user_version", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return (sq_fail(st, rc));
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int(stmt, 0);
		rc = STORE_OK;
	} else
		rc = sq_fail(st, rc);
	sqlite3_finalize(stmt);
	return (rc);
}

/* sq_version_set - PRAGMA user_version = V */
static int
sq_version_set(struct store *st, int v)
{
	char	sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
	return (sq_exec(st, sql));
}

/* sq_migrate_lock - nothing: BEGIN IMMEDIATE holds the write lock */
static int
sq_migrate_lock(struct store *st)
{
	(void) st;
	return (STORE_OK);
}

/* sq_set_sync - synchronous FULL (each commit synced) or NORMAL */
static int
sq_set_sync(struct store *st, int full)
{
	return (sq_exec(st, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"));
}

/* sq_set_autocheckpoint - pages of WAL after which a commit checkpoints */
static int
sq_set_autocheckpoint(struct store *st, int pages)
{
	int	rc = sqlite3_wal_autocheckpoint(SQ(st)->db, pages);

	return (rc == SQLITE_OK ? STORE_OK : sq_fail(st, rc));
}

/* sq_checkpoint - a PASSIVE checkpoint now */
static int
sq_checkpoint(struct store *st)
{
	int	rc = sqlite3_wal_checkpoint_v2(SQ(st)->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL,
					       NULL);

	/* BUSY: another checkpoint is running, which does the same work. */
	if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY)
		return (STORE_OK);
	return (sq_fail(st, rc));
}

/* sq_is_wal - whether the database is in WAL mode (the journal pointer is then the log) */
static int
sq_is_wal(struct store *st)
{
	sqlite3_stmt *s;
	int	wal = 0;

	if (sqlite3_prepare_v2(SQ(st)->db, "PRAGMA main.journal_mode", -1, &s, NULL) != SQLITE_OK)
		return (0);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
		wal = strcmp((const char *) sqlite3_column_text(s, 0), "wal") == 0;
	sqlite3_finalize(s);
	return (wal);
}

/* sq_wal_room - whether the store's file system keeps SQ_WAL_ROOM times N bytes free */
static int
sq_wal_room(struct store *st, sqlite3_int64 n)
{
	const char *path = sqlite3_db_filename(SQ(st)->db, "main");
	struct statvfs v;

	if (path == NULL || path[0] == 0 || statvfs(path, &v) != 0)
		return (0);
	return ((double) v.f_bavail * (double) v.f_frsize >= (double) SQ_WAL_ROOM * (double) n);
}

/*
 * sq_wal_reserve - the write-ahead log file at least RESERVE bytes long:
 * zeros written past its end (never over a byte of it) and synced, in a
 * write transaction of its own, so no other connection appends frames
 * meanwhile. Frames written there later overwrite blocks that are on
 * disk already; SQLite's recovery stops at the first frame whose salt
 * does not match, as it does at the stale frames a restarted log leaves.
 * Only where SQ_WAL_ROOM times the missing bytes are free: a store on a
 * small file system grows its log as before, and a failed write gives
 * the space back (the file is cut to its old length).
 */
static int
sq_wal_reserve(struct store *st, long reserve)
{
	static const char zeros[SQ_WAL_CHUNK];
	sqlite3_file *f = NULL;
	sqlite3_int64 size, off;
	int	rc, n;

	if (reserve > SQ_WAL_RESERVE_MAX)
		reserve = SQ_WAL_RESERVE_MAX;
	if (reserve <= 0 || !sq_is_wal(st))
		return (STORE_OK);
	if ((rc = sq_exec(st, "BEGIN IMMEDIATE")) != STORE_OK)
		return (rc);
	rc = sqlite3_file_control(SQ(st)->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f);
	if (rc == SQLITE_OK && f != NULL && f->pMethods != NULL
	    && (rc = f->pMethods->xFileSize(f, &size)) == SQLITE_OK && size < reserve
	    && sq_wal_room(st, reserve - size)) {
		for (off = size; rc == SQLITE_OK && off < reserve; off += n) {
			n = reserve - off < SQ_WAL_CHUNK ? (int) (reserve - off) : SQ_WAL_CHUNK;
			rc = f->pMethods->xWrite(f, zeros, n, off);
		}
		if (rc == SQLITE_OK)
			rc = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
		if (rc != SQLITE_OK)
			(void) f->pMethods->xTruncate(f, size);
	}
	(void) sq_exec(st, "ROLLBACK");
	if (rc == SQLITE_OK)
		return (STORE_OK);
	return (db_fail(st, sq_temp(rc) ? STORE_TEMP : STORE_ERR, "reserving the write-ahead log: %s",
			sqlite3_errstr(rc)));
}

const struct db_ops db_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.prepare = sq_prepare,
	.use = sq_use,
	.reset = sq_reset,
	.free = sq_free,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.col_null = sq_col_null,
	.changes = sq_changes,
	.exec = sq_exec,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.lock_row = sq_lock_row,
	.version_get = sq_version_get,
	.version_set = sq_version_set,
	.migrate_lock = sq_migrate_lock,
	.set_sync = sq_set_sync,
	.set_autocheckpoint = sq_set_autocheckpoint,
	.checkpoint = sq_checkpoint,
	.wal_reserve = sq_wal_reserve,
};
