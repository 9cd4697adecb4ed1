/*
 * NAME
 *	store 3
 * SUMMARY
 *	open, create and close the store
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	store_open() and store_init() pick the engine from store_backend
 *	(db.h: sqlite, postgresql), and read key_file,
 *	store_busy_timeout, retention_grace_days, consent_retention_days,
 *	bounce_threshold, import_promotion_consent, message_id_domain and
 *	company_domains from the
 *	configuration; the store keeps copies, so the configuration may
 *	be freed afterwards. The engine reads its own options (store_path;
 *	store_conninfo, store_password_file).
 *
 *	The database keeps a key check value (an HMAC under a key derived
 *	from the master key); opening it with another key file fails at
 *	once with a clear message instead of returning garbage later.
 * DIAGNOSTICS
 *	store_open() returns NULL and a message in ERR ("(temporary)" in it
 *	when trying again later may help). Other functions return
 *	STORE_ERR or STORE_TEMP and store_errmsg() says why.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "store_int.h"

#define KEY_CHECK_LABEL	"links-mail key check v1"
#define KEY_CHECK_LEN	16

/* store_engine - the engine table for store_backend */
static const struct db_ops *
store_engine(const struct conf *conf, char *err, size_t errlen)
{
	const char *name = conf_store_backend(conf);

	if (name == NULL || strcmp(name, "sqlite") == 0)
		return (&db_sqlite_ops);
#ifdef HAVE_LIBPQ
	if (strcmp(name, "postgresql") == 0)
		return (&db_pg_ops);
#endif
	snprintf(err, errlen, "store_backend %s is not supported by this build", name);
	return (NULL);
}

/* copy_settings - the store's own copies of the options it uses */
static void
copy_settings(struct store *st, const struct conf *conf)
{
	const char *dom = conf_message_id_domain(conf);

	st->busy_ms = (long) conf_store_busy_timeout(conf);
	st->grace_days = (long) conf_retention_grace_days(conf);
	st->consent_days = (long) conf_consent_retention_days(conf);
	st->bounce_threshold = (long) conf_bounce_threshold(conf);
	st->import_promotion_consent = conf_import_promotion_consent(conf) != 0;
	if (dom == NULL || *dom == 0)
		dom = conf_company_domains_count(conf) > 0
			? conf_company_domains_item(conf, 0) : "localhost";
	snprintf(st->msgid_domain, sizeof(st->msgid_domain), "%s", dom);
}

/* key_check_store - remember the key check value of a new database */
static int
key_check_store(struct store *st, const unsigned char mac[KEY_CHECK_LEN])
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "INSERT INTO meta(k, v) VALUES('key_check', ?) "
			     "ON CONFLICT(k) DO NOTHING", &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, mac, KEY_CHECK_LEN);
	rc = st_run(st, s, "store key check");
	db_finish(s);
	return (rc);
}

/*
 * check_key - compare the key check value kept in the database with the
 * one of the loaded key; store it on first use (a new database).
 */
static int
check_key(struct store *st, const char *keyfile, const char *where, char *err, size_t errlen)
{
	unsigned char mac[CRYPT_MAC_LEN];
	struct db_stmt *s = NULL;
	const void *v;
	size_t	len;
	int	rc, tries;

	crypt_mac(st->keys.chk, KEY_CHECK_LABEL, strlen(KEY_CHECK_LABEL), mac);
	for (tries = 0; tries < 2; tries++) {
		if (db_prepare(st, "SELECT v FROM meta WHERE k = 'key_check'", &s) != STORE_OK)
			goto sqlfail;
		rc = db_step(s);
		if (rc == DB_ROW) {
			v = db_col_blob(s, 0, &len);
			if (len != KEY_CHECK_LEN || CRYPTO_memcmp(v, mac, KEY_CHECK_LEN) != 0) {
				snprintf(err, errlen, "key file %s does not match database %s "
					 "(the database was created with another key)",
					 keyfile, where);
				db_finish(s);
				return (-1);
			}
			db_finish(s);
			return (0);
		}
		db_finish(s);
		if (rc != DB_DONE) {
			db_error(st, rc, "read key check");
			goto sqlfail;
		}
		/* A new database: store ours, then read back what is there. */
		if (key_check_store(st, mac) != STORE_OK)
			goto sqlfail;
	}
	snprintf(err, errlen, "database %s: the key check value cannot be stored", where);
	return (-1);
sqlfail:
	snprintf(err, errlen, "database %s: %s", where, st->err);
	return (-1);
}

/* st_key_check_value - the key check value of keys K (ST_KEY_CHECK_LEN bytes are kept) */
void
st_key_check_value(const struct crypt_keys *k, unsigned char out[CRYPT_MAC_LEN])
{
	_Static_assert(KEY_CHECK_LEN == ST_KEY_CHECK_LEN, "one key check length");
	crypt_mac(k->chk, KEY_CHECK_LABEL, strlen(KEY_CHECK_LABEL), out);
}

/* store_where - how messages name the database (a path, or the engine) */
static const char *
store_where(const struct conf *conf)
{
	const char *name = conf_store_backend(conf);

	if (name != NULL && strcmp(name, "postgresql") == 0)
		return ("(postgresql)");
	return (conf_store_path(conf));
}

/* open_db - connect, migrate, check the key */
static struct store *
open_db(const struct conf *conf, int create, char *err, size_t errlen)
{
	const char *keyfile = conf_key_file(conf);
	struct store *st;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	copy_settings(st, conf);
	if ((st->ops = store_engine(conf, err, errlen)) == NULL)
		goto fail;
	if (crypt_key_load(keyfile, &st->keys, err, errlen) < 0)
		goto fail;
	if (st->ops->open(st, conf, create, err, errlen) < 0)
		goto fail;
	if (schema_migrate(st, err, errlen) < 0)
		goto fail;
	if (check_key(st, keyfile, store_where(conf), err, errlen) < 0)
		goto fail;
	if (st_keyring_load(st, keyfile, err, errlen) < 0)	/* after a key rotation */
		goto fail;
	return (st);
fail:
	store_close(st);
	return (NULL);
}

/* store_open_err_temporary - whether a store_open() message is a temporary condition */
int
store_open_err_temporary(const char *err)
{
	return (strstr(err, "(temporary)") != NULL);
}

/* store_open - open an existing store (see store.h) */
struct store *
store_open(const struct conf *conf, char *err, size_t errlen)
{
	return (open_db(conf, 0, err, errlen));
}

/*
 * store_open_counts - open without the key, for counts only (see
 * store.h). Nothing is written: no migration, no key check; a schema
 * other than this program's is refused instead of migrated.
 */
struct store *
store_open_counts(const struct conf *conf, char *err, size_t errlen)
{
	struct store *st;
	int	v;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	copy_settings(st, conf);
	if ((st->ops = store_engine(conf, err, errlen)) == NULL
	    || st->ops->open(st, conf, DB_OPEN_COUNTS, err, errlen) < 0)
		goto fail;
	if (st->ops->version_get(st, &v) != STORE_OK) {
		snprintf(err, errlen, "database %s: %s", store_where(conf), st->dbmsg);
		goto fail;
	}
	if (v != STORE_SCHEMA_VERSION) {
		snprintf(err, errlen, "database %s has schema version %d, this program %d: run "
			 "links-store once as the store's owner (with the key) to migrate it",
			 store_where(conf), v, STORE_SCHEMA_VERSION);
		goto fail;
	}
	return (st);
fail:
	store_close(st);
	return (NULL);
}

/*
 * store_holds_data - whether the database already has a schema (made
 * with some key). SQLite: a non-empty file; other engines: connect
 * without a key and read the schema version.
 */
static int
store_holds_data(const struct conf *conf, const char *path, char *err, size_t errlen)
{
	struct store *st;
	struct stat sb;
	int	v = 0;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return (0);
	copy_settings(st, conf);
	if ((st->ops = store_engine(conf, err, errlen)) == &db_sqlite_ops || st->ops == NULL) {
		free(st);
		return (stat(path, &sb) == 0 && sb.st_size > 0);
	}
	if (st->ops->open(st, conf, 0, err, errlen) == 0 && st->ops->version_get(st, &v) != STORE_OK)
		v = 0;
	store_close(st);
	return (v > 0);
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
			return (STORE_ERR);
		}
		if (store_holds_data(conf, path, err, errlen)) {
			snprintf(err, errlen, "database %s exists but key file %s does not: "
				 "restore the key file; a new key cannot read the existing data",
				 store_where(conf), keyfile);
			return (STORE_ERR);
		}
		if (crypt_key_create(keyfile, err, errlen) < 0)
			return (STORE_ERR);
	}
	if ((st = open_db(conf, 1, err, errlen)) == NULL)
		return (STORE_ERR);
	store_close(st);
	return (STORE_OK);
}

/* store_close - roll back what is open, close, wipe the keys */
void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->ops && st->engine) {
		if (st->depth > 0)
			st->ops->rollback(st);
		db_cache_clear(st);
		st->ops->close(st);
	}
	crypt_opener_free(st->opener);
	crypt_keys_wipe(&st->keys);
	OPENSSL_cleanse(st, sizeof(*st));
	free(st);
}

/* store_errmsg - the last error of ST, without personal data */
const char *
store_errmsg(const struct store *st)
{
	return (st ? st->err : "no store");
}

/* store_schema_version - the schema version of the open database */
int
store_schema_version(struct store *st)
{
	int	v;

	if (st->ops->version_get(st, &v) != STORE_OK)
		return (db_error(st, STORE_ERR, "schema version"));
	return (v);
}

/* store_backend_name - "sqlite" or "postgresql" */
const char *
store_backend_name(const struct store *st)
{
	return (st->ops->name);
}
