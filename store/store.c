/*
 * NAME
 *	store 3
 * SUMMARY
 *	open, create and close the store; transactions; errors; names
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	store_open() and store_init() read store_path, key_file,
 *	store_busy_timeout, retention_grace_days, consent_retention_days,
 *	bounce_threshold, message_id_domain and company_domains from the
 *	configuration; the store keeps copies, so the configuration may
 *	be freed afterwards.
 *
 *	Every connection runs with foreign keys on, WAL journaling,
 *	synchronous=FULL (store_set_sync() relaxes it per connection),
 *	secure_delete on (deleted rows are overwritten, not left in free
 *	pages) and the configured busy timeout.
 *
 *	The busy handler replaces SQLite's default one, which sleeps 1, 2,
 *	5, 10 ... up to 100 ms between attempts: a writer that arrives
 *	just after another took the lock would sleep for many times the
 *	length of that transaction (a commit without fsync takes tens of
 *	microseconds). Ours starts at BUSY_SLEEP_MIN_US and doubles up to
 *	BUSY_SLEEP_MAX_US, and gives up when store_busy_timeout
 *	milliseconds have passed since the first attempt.
 *
 *	The database keeps a key check value (an HMAC under a key derived
 *	from the master key); opening it with another key file fails at
 *	once with a clear message instead of returning garbage later.
 * DIAGNOSTICS
 *	store_open() returns NULL and a message in ERR. Other functions
 *	return STORE_ERR or STORE_TEMP and store_errmsg() says why.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "store_int.h"

#define KEY_CHECK_LABEL	"links-mail key check v1"
#define KEY_CHECK_LEN	16
#define DB_FILE_MODE	0640
#define BUSY_SLEEP_MIN_US	50	/* first wait for a lock held by another connection */
#define BUSY_SLEEP_MAX_US	2000	/* longest single wait */

/* ---- names ---- */

static const char *const source_names[] = {"portal", "web_form", "staff"};
static const char *const channel_names[] = {"reply", "one_click", "staff", "import",
	"web"};
static const char *const delivery_names[] = {"queued", "sent", "failed", "skipped"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
name_parse(const char *const *names, size_t n, const char *name)
{
	size_t	i;

	if (name == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcasecmp(names[i], name) == 0)
			return (int) i;
	return -1;
}

const char *
store_source_name(enum store_source src)
{
	return (unsigned) src < NELEM(source_names) ? source_names[src] : "unknown";
}

int
store_source_parse(const char *name, enum store_source *out)
{
	int	i = name_parse(source_names, NELEM(source_names), name);

	if (i < 0 && name && strcasecmp(name, "web-form") == 0)
		i = STORE_SRC_WEB_FORM;
	if (i < 0)
		return -1;
	*out = (enum store_source) i;
	return 0;
}

const char *
store_channel_name(enum store_channel ch)
{
	return (unsigned) ch < NELEM(channel_names) ? channel_names[ch] : "unknown";
}

int
store_channel_parse(const char *name, enum store_channel *out)
{
	int	i = name_parse(channel_names, NELEM(channel_names), name);

	if (i < 0)
		return -1;
	*out = (enum store_channel) i;
	return 0;
}

const char *
store_delivery_status_name(enum store_delivery_status s)
{
	return (unsigned) s < NELEM(delivery_names) ? delivery_names[s] : "unknown";
}

/* ---- errors and helpers ---- */

int
st_err(struct store *st, int code, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return code;
}

static int
sql_is_temp(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_NOMEM:
		return 1;
	default:
		return 0;
	}
}

int
st_sqlerr(struct store *st, int rc, const char *what)
{
	const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);

	snprintf(st->err, sizeof(st->err), "%s: %s%s", what, msg,
		 sql_is_temp(rc) ? " (temporary)" : "");
	return sql_is_temp(rc) ? STORE_TEMP : STORE_ERR;
}

/*
 * st_file_gone - whether the database file this connection has open was
 * deleted or replaced (renamed over, as by a restore from backup) since
 * it was opened. SQLite goes on writing into the old file, which nobody
 * will read again: a refusal "recorded" there would be lost while the
 * milter tells Postfix it is done. Writes then fail temporarily (the
 * milter discards the connection, answers tempfail, and a new
 * connection finds the restored file, or none). One stat() per write
 * transaction or autocommit write.
 */
static int
st_file_gone(struct store *st)
{
	int	moved = 0;

	if (sqlite3_file_control(st->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK
	    || !moved)
		return 0;
	st_err(st, STORE_TEMP, "the database file was removed or replaced since it was opened "
	       "(temporary: reopen the store)");
	return 1;
}

int
st_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt)
{
	struct st_cached *c, *slot = NULL;
	size_t	len = strlen(sql), i;
	int	rc;

	for (i = 0; i < STORE_STMT_CACHE; i++) {
		c = &st->cache[i];
		if (c->sql == NULL) {
			if (slot == NULL)
				slot = c;
			continue;
		}
		if (c->len == len && memcmp(c->sql, sql, len) == 0) {
			if (c->in_use)
				break;		/* nested use: an uncached one */
			if (st->depth == 0 && !sqlite3_stmt_readonly(c->stmt) && st_file_gone(st)) {
				*stmt = NULL;
				return STORE_TEMP;
			}
			c->in_use = 1;
			*stmt = c->stmt;
			return STORE_OK;
		}
	}
	if (i < STORE_STMT_CACHE)
		slot = NULL;
	rc = sqlite3_prepare_v3(st->db, sql, -1, slot ? SQLITE_PREPARE_PERSISTENT : 0, stmt, NULL);
	if (rc != SQLITE_OK) {
		*stmt = NULL;
		return st_sqlerr(st, rc, "prepare");
	}
	/* An autocommit write (a transaction checked at BEGIN). */
	if (*stmt != NULL && st->depth == 0 && !sqlite3_stmt_readonly(*stmt) && st_file_gone(st)) {
		sqlite3_finalize(*stmt);
		*stmt = NULL;
		return STORE_TEMP;
	}
	if (slot != NULL && (slot->sql = malloc(len + 1)) != NULL) {
		memcpy(slot->sql, sql, len + 1);
		slot->len = len;
		slot->stmt = *stmt;
		slot->in_use = 1;
	}
	return STORE_OK;
}

void
st_finalize(struct store *st, sqlite3_stmt *stmt)
{
	size_t	i;

	if (stmt == NULL)
		return;
	for (i = 0; i < STORE_STMT_CACHE; i++)
		if (st->cache[i].stmt == stmt && st->cache[i].sql != NULL) {
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			st->cache[i].in_use = 0;
			return;
		}
	sqlite3_finalize(stmt);
}

static void
cache_clear(struct store *st)
{
	size_t	i;

	for (i = 0; i < STORE_STMT_CACHE; i++)
		if (st->cache[i].sql != NULL) {
			sqlite3_finalize(st->cache[i].stmt);
			free(st->cache[i].sql);
			st->cache[i].sql = NULL;
			st->cache[i].stmt = NULL;
		}
}

int
st_exec(struct store *st, const char *sql)
{
	int	rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? STORE_OK : st_sqlerr(st, rc, "exec");
}

time_t
st_now(void)
{
	return time(NULL);
}

char   *
st_strdup(const char *s)
{
	return strdup(s ? s : "");
}

int
st_make_message_id(struct store *st, char *out, size_t outlen)
{
	unsigned char rnd[STORE_MSGID_RANDOM];
	char	hex[2 * STORE_MSGID_RANDOM + 1];
	int	n;

	if (crypt_random(rnd, sizeof(rnd)) < 0)
		return st_err(st, STORE_TEMP, "no randomness for a Message-ID");
	crypt_hex(rnd, sizeof(rnd), hex);
	n = snprintf(out, outlen, "%s@%s", hex, st->msgid_domain);
	if (n < 0 || (size_t) n >= outlen)
		return st_err(st, STORE_ERR, "Message-ID buffer too small");
	return STORE_OK;
}

/* ---- email addresses ---- */

/* ---- transactions ---- */

int
st_tx_begin(struct store *st)
{
	char	sql[64];
	int	rc;

	if (st->depth == 0) {
		/* Checked with the write lock held, so a file replaced while we
		 * waited for it is seen too. */
		rc = st_exec(st, "BEGIN IMMEDIATE");
		if (rc == STORE_OK && st_file_gone(st)) {
			(void) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return STORE_TEMP;
		}
	} else {
		snprintf(sql, sizeof(sql), "SAVEPOINT s%d", st->depth);
		rc = st_exec(st, sql);
	}
	if (rc == STORE_OK)
		st->depth++;
	return rc;
}

int
st_tx_end(struct store *st, int rc)
{
	char	sql[96];
	int	rc2;

	if (st->depth <= 0)
		return st_err(st, STORE_ERR, "transaction end without a transaction");
	st->depth--;
	if (rc == STORE_OK || rc == STORE_NOTFOUND) {
		if (st->depth == 0)
			rc2 = st_exec(st, "COMMIT");
		else {
			snprintf(sql, sizeof(sql), "RELEASE s%d", st->depth);
			rc2 = st_exec(st, sql);
		}
		if (rc2 != STORE_OK) {
			/* A failed COMMIT (e.g. SQLITE_BUSY) leaves the transaction open. */
			if (st->depth == 0 && !sqlite3_get_autocommit(st->db))
				sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return rc2;
		}
		return rc;
	}
	/* Keep the caller's message: roll back without st_exec. */
	if (st->depth == 0) {
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	} else {
		snprintf(sql, sizeof(sql), "ROLLBACK TO s%d; RELEASE s%d", st->depth, st->depth);
		sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	}
	return rc;
}

int
store_begin(struct store *st)
{
	return st_tx_begin(st);
}

int
store_commit(struct store *st)
{
	return st_tx_end(st, STORE_OK);
}

int
store_rollback(struct store *st)
{
	if (st->depth <= 0)
		return st_err(st, STORE_ERR, "rollback without a transaction");
	st_tx_end(st, STORE_ERR);
	return STORE_OK;
}

/* ---- durability and waiting for locks ---- */

int
store_set_sync(struct store *st, int full)
{
	return st_exec(st, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

int
store_set_autocheckpoint(struct store *st, int pages)
{
	int	rc = sqlite3_wal_autocheckpoint(st->db, pages < 0 ? 0 : pages);

	return rc == SQLITE_OK ? STORE_OK : st_sqlerr(st, rc, "wal_autocheckpoint");
}

int
store_checkpoint(struct store *st)
{
	int	rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

	/* BUSY: another checkpoint is running, which does the same work. */
	if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY)
		return STORE_OK;
	return st_sqlerr(st, rc, "checkpoint");
}

/* SQLite calls this with N = 0, 1, 2 ... while a lock is busy; 0 gives up. */
static int
busy_wait(void *arg, int n)
{
	struct store *st = arg;
	struct timespec now, ts;
	long	us, waited_ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (n == 0)
		st->busy_start = now;
	waited_ms = (long) (now.tv_sec - st->busy_start.tv_sec) * 1000
		+ (now.tv_nsec - st->busy_start.tv_nsec) / 1000000;
	if (waited_ms >= st->busy_ms)
		return 0;
	us = n < 16 ? BUSY_SLEEP_MIN_US << n : BUSY_SLEEP_MAX_US;
	if (us > BUSY_SLEEP_MAX_US)
		us = BUSY_SLEEP_MAX_US;
	ts.tv_sec = 0;
	ts.tv_nsec = us * 1000;
	nanosleep(&ts, NULL);
	return 1;
}

/* ---- open ---- */

static void
copy_settings(struct store *st, const struct conf *conf)
{
	const char *dom = conf_message_id_domain(conf);

	st->grace_days = (long) conf_retention_grace_days(conf);
	st->consent_days = (long) conf_consent_retention_days(conf);
	st->bounce_threshold = (long) conf_bounce_threshold(conf);
	if (dom == NULL || *dom == 0)
		dom = conf_company_domains_count(conf) > 0
			? conf_company_domains_item(conf, 0) : "localhost";
	snprintf(st->msgid_domain, sizeof(st->msgid_domain), "%s", dom);
}

/*
 * check_key - compare the key check value kept in the database with the
 * one of the loaded key; store it on first use (a new database).
 */
static int
check_key(struct store *st, const char *keyfile, const char *dbpath, char *err, size_t errlen)
{
	unsigned char mac[CRYPT_MAC_LEN];
	sqlite3_stmt *stmt = NULL;
	int	rc, ret = -1;

	crypt_mac(st->keys.chk, KEY_CHECK_LABEL, strlen(KEY_CHECK_LABEL), mac);
	if (st_prepare(st, "SELECT v FROM meta WHERE k = 'key_check'", &stmt) != STORE_OK)
		goto sqlfail;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const void *v = sqlite3_column_blob(stmt, 0);

		if (sqlite3_column_bytes(stmt, 0) != KEY_CHECK_LEN
		    || CRYPTO_memcmp(v, mac, KEY_CHECK_LEN) != 0) {
			snprintf(err, errlen, "key file %s does not match database %s "
				 "(the database was created with another key)", keyfile, dbpath);
			goto done;
		}
		ret = 0;
		goto done;
	}
	if (rc != SQLITE_DONE) {
		st_sqlerr(st, rc, "read key check");
		goto sqlfail;
	}
	st_finalize(st, stmt);
	stmt = NULL;
	if (st_prepare(st, "INSERT INTO meta(k, v) VALUES('key_check', ?)", &stmt) != STORE_OK)
		goto sqlfail;
	sqlite3_bind_blob(stmt, 1, mac, KEY_CHECK_LEN, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE) {
		st_sqlerr(st, rc, "store key check");
		goto sqlfail;
	}
	ret = 0;
	goto done;
sqlfail:
	snprintf(err, errlen, "database %s: %s", dbpath, st->err);
done:
	st_finalize(st, stmt);
	return ret;
}

static struct store *
open_db(const struct conf *conf, int create, char *err, size_t errlen)
{
	const char *path = conf_store_path(conf);
	const char *keyfile = conf_key_file(conf);
	struct store *st;
	struct stat sb;
	sqlite3_stmt *stmt = NULL;
	int	rc, fd;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	copy_settings(st, conf);
	if (crypt_key_load(keyfile, &st->keys, err, errlen) < 0)
		goto fail;
	if (stat(path, &sb) < 0) {
		if (errno != ENOENT || !create) {
			snprintf(err, errlen, "database %s: %s%s", path, strerror(errno),
				 errno == ENOENT ? " (run: links-store init)" : "");
			goto fail;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DB_FILE_MODE);
		if (fd < 0) {
			snprintf(err, errlen, "cannot create database %s: %s", path, strerror(errno));
			goto fail;
		}
		close(fd);
	}
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
			 st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	st->busy_ms = (long) conf_store_busy_timeout(conf);
	sqlite3_busy_handler(st->db, busy_wait, st);
	if (st_exec(st, "PRAGMA foreign_keys = ON") != STORE_OK
	    || st_exec(st, "PRAGMA synchronous = FULL") != STORE_OK
	    || st_exec(st, "PRAGMA secure_delete = ON") != STORE_OK)
		goto sqlfail;
	/* Switching to WAL needs a write; a read-only file already in WAL is fine. */
	if (st_prepare(st, "PRAGMA journal_mode = WAL", &stmt) != STORE_OK)
		goto sqlfail;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW && !sqlite3_db_readonly(st->db, "main")) {
		st_sqlerr(st, rc, "journal_mode");
		goto sqlfail;
	}
	st_finalize(st, stmt);
	stmt = NULL;
	if (schema_migrate(st, err, errlen) < 0)
		goto fail;
	if (check_key(st, keyfile, path, err, errlen) < 0)
		goto fail;
	return st;

sqlfail:
	snprintf(err, errlen, "database %s: %s", path, st->err);
fail:
	st_finalize(st, stmt);
	store_close(st);
	return NULL;
}

struct store *
store_open(const struct conf *conf, char *err, size_t errlen)
{
	return open_db(conf, 0, err, errlen);
}

/*
 * store_init - create what is missing. A database that already holds
 * data was made with some key: creating a fresh key for it would only
 * make every row unreadable, so that case is refused.
 */
int
store_init(const struct conf *conf, char *err, size_t errlen)
{
	const char *path = conf_store_path(conf);
	const char *keyfile = conf_key_file(conf);
	struct store *st;
	struct stat sb;

	if (lstat(keyfile, &sb) < 0) {
		if (errno != ENOENT) {
			snprintf(err, errlen, "key file %s: %s", keyfile, strerror(errno));
			return STORE_ERR;
		}
		if (stat(path, &sb) == 0 && sb.st_size > 0) {
			snprintf(err, errlen, "database %s exists but key file %s does not: "
				 "restore the key file; a new key cannot read the existing data",
				 path, keyfile);
			return STORE_ERR;
		}
		if (crypt_key_create(keyfile, err, errlen) < 0)
			return STORE_ERR;
	}
	if ((st = open_db(conf, 1, err, errlen)) == NULL)
		return STORE_ERR;
	store_close(st);
	return STORE_OK;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->db) {
		if (st->depth > 0 && !sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		cache_clear(st);
		sqlite3_close_v2(st->db);
	}
	crypt_keys_wipe(&st->keys);
	OPENSSL_cleanse(st, sizeof(*st));
	free(st);
}

const char *
store_errmsg(const struct store *st)
{
	return st ? st->err : "no store";
}

int
store_schema_version(struct store *st)
{
	sqlite3_stmt *stmt;
	int	v = STORE_ERR;

	if (st_prepare(st, "PRAGMA user_version", &stmt) != STORE_OK)
		return STORE_ERR;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int(stmt, 0);
	st_finalize(st, stmt);
	return v;
}
