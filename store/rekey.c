/*
 * NAME
 *	rekey 3
 * SUMMARY
 *	rotation of the master key
 * SYNOPSIS
 *	#include "rekey.h"
 * DESCRIPTION
 *	See rekey.h. The key ring (meta "hmac_keys") is the blind index,
 *	suppression and token keys, in base32, sealed with AES-256-GCM under
 *	the current master key's field key, with row 0 and field
 *	REKEY_F_KEYRING as associated data (no customer field uses them).
 *	A store that was never rotated has no key ring: its keys are all
 *	derived from the master key, as before.
 *
 *	Every encrypted column is listed in sealed_cols[]; its values are
 *	re-encrypted one by one in id order (keyset pagination: one read
 *	and one update per value, no list of ids in memory), inside the one
 *	transaction.
 * DIAGNOSTICS
 *	See rekey.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "rekey.h"
#include "store_int.h"

#define REKEY_F_KEYRING		200	/* associated data field of the key ring */
#define KEYRING_RAW		(3 * CRYPT_KEY_LEN)
#define KEYRING_B32		((KEYRING_RAW * 8 + 4) / 5 + 1)
#define REKEY_PATH_MAX		4096
#define REKEY_SQL_MAX		256

/* keyring_bind - bind the HMAC keys of ST, sealed under NK, to parameter I */
static int
keyring_bind(struct store *st, struct db_stmt *s, int i, const struct crypt_keys *nk)
{
	unsigned char raw[KEYRING_RAW], out[KEYRING_B32 + CRYPT_OVERHEAD];
	char	b32[KEYRING_B32];
	size_t	n;
	long	len;

	memcpy(raw, st->keys.idx, CRYPT_KEY_LEN);
	memcpy(raw + CRYPT_KEY_LEN, st->keys.sup, CRYPT_KEY_LEN);
	memcpy(raw + 2 * CRYPT_KEY_LEN, st->keys.tok, CRYPT_KEY_LEN);
	n = crypt_base32(raw, sizeof(raw), b32, sizeof(b32));
	len = n ? crypt_seal(nk, 0, REKEY_F_KEYRING, b32, n, out, sizeof(out)) : -1;
	OPENSSL_cleanse(raw, sizeof(raw));
	OPENSSL_cleanse(b32, sizeof(b32));
	if (len < 0)
		return (st_err(st, STORE_ERR, "key ring encryption failed"));
	return (db_bind_blob(s, i, out, (size_t) len) == STORE_OK ? STORE_OK
		: db_error(st, STORE_ERR, "bind"));
}

/* st_keyring_load - the HMAC keys kept across rotations, if any */
int
st_keyring_load(struct store *st, const char *keyfile, char *err, size_t errlen)
{
	unsigned char raw[KEYRING_RAW];
	struct db_stmt *s;
	const void *v;
	char   *b32 = NULL;
	size_t	len;
	int	rc;

	if ((rc = db_prepare(st, "SELECT v FROM meta WHERE k = 'hmac_keys'", &s)) != STORE_OK)
		goto sqlfail;
	if ((rc = db_step(s)) != DB_ROW) {
		db_finish(s);
		if (rc == DB_DONE)
			return (0);	/* never rotated: every key derives from the master */
		db_error(st, rc, "read key ring");
		goto sqlfail;
	}
	v = db_col_blob(s, 0, &len);
	rc = crypt_unseal(&st->keys, 0, REKEY_F_KEYRING, v, len, &b32);
	db_finish(s);
	if (rc != 0 || crypt_base32_decode(b32, raw, sizeof(raw)) != KEYRING_RAW) {
		snprintf(err, errlen, "the key ring of the database does not decrypt with key "
			 "file %s (damaged database)", keyfile);
		crypt_str_free(b32);
		return (-1);
	}
	memcpy(st->keys.idx, raw, CRYPT_KEY_LEN);
	memcpy(st->keys.sup, raw + CRYPT_KEY_LEN, CRYPT_KEY_LEN);
	memcpy(st->keys.tok, raw + 2 * CRYPT_KEY_LEN, CRYPT_KEY_LEN);
	OPENSSL_cleanse(raw, sizeof(raw));
	crypt_str_free(b32);
	return (0);
sqlfail:
	snprintf(err, errlen, "key ring: %s", st->err);
	return (-1);
}

/* st_keyring_copy - the key ring row of SRC into DST, when SRC has one */
int
st_keyring_copy(struct store *src, struct store *dst)
{
	struct db_stmt *s, *d;
	const void *v;
	size_t	len;
	int	rc;

	if ((rc = db_prepare(src, "SELECT v FROM meta WHERE k = 'hmac_keys'", &s)) != STORE_OK)
		return (st_err(dst, rc, "%s", store_errmsg(src)));
	if ((rc = db_step(s)) != DB_ROW) {
		rc = rc == DB_DONE ? STORE_OK : db_error(src, rc, "read key ring");
		db_finish(s);
		return (rc == STORE_OK ? rc : st_err(dst, rc, "%s", store_errmsg(src)));
	}
	v = db_col_blob(s, 0, &len);
	if ((rc = db_prepare(dst, "INSERT INTO meta(k, v) VALUES('hmac_keys', ?) "
			     "ON CONFLICT(k) DO UPDATE SET v = excluded.v", &d)) == STORE_OK) {
		db_bind_blob(d, 1, v, len);
		rc = st_run(dst, d, "copy key ring");
		db_finish(d);
	}
	db_finish(s);
	return (rc);
}

/*
 * Every encrypted column: its table, the column bound into the
 * associated data as the row, and the field number. A column added
 * later that holds crypt_seal() output gets its line here.
 */
static const struct sealed_col {
	const char *table;
	const char *row;
	const char *col;
	int	field;
} sealed_cols[] = {
	{"customers", "id", "email_ct", CRYPT_F_EMAIL},
	{"customers", "id", "name_ct", CRYPT_F_NAME},
	{"customers", "id", "phone_ct", CRYPT_F_PHONE},
	{"campaigns", "id", "params_ct", CRYPT_F_PARAMS},
	{"consent_events", "customer_id", "note_ct", CRYPT_F_NOTE},
	{"outbox", "customer_id", "thread_ct", CRYPT_F_THREAD},
};

#define SEALED_COLS	(sizeof(sealed_cols) / sizeof(sealed_cols[0]))

/* rekey_one - the next value of SC after *LAST, re-encrypted; STORE_NOTFOUND at the end */
static int
rekey_one(struct store *st, const struct crypt_keys *nk, const struct sealed_col *sc,
	  int64_t *last)
{
	char	sql[REKEY_SQL_MAX];
	char   *plain = NULL;
	struct db_stmt *s;
	const void *ct;
	size_t	len;
	int64_t	id, row;
	int	rc;

	snprintf(sql, sizeof(sql), "SELECT id, %s, %s FROM %s WHERE id > ? AND %s IS NOT NULL "
		 "ORDER BY id LIMIT 1", sc->row, sc->col, sc->table, sc->col);
	if ((rc = db_prepare(st, sql, &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, *last);
	if ((rc = db_step(s)) != DB_ROW) {
		rc = rc == DB_DONE ? STORE_NOTFOUND : db_error(st, rc, "re-encrypt");
		db_finish(s);
		return (rc);
	}
	*last = id = db_col_int(s, 0);
	row = db_col_int(s, 1);
	ct = db_col_blob(s, 2, &len);
	rc = crypt_unseal(&st->keys, row, sc->field, ct, len, &plain) == 0 ? STORE_OK
		: st_err(st, STORE_ERR, "%s %lld: %s does not decrypt with the current key "
			 "(tampered, or written by a program holding another key)", sc->table,
			 (long long) id, sc->col);
	db_finish(s);
	if (rc != STORE_OK)
		return (rc);
	snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ? WHERE id = ?", sc->table, sc->col);
	if ((rc = db_prepare(st, sql, &s)) == STORE_OK) {
		if ((rc = st_bind_sealed_keys(st, nk, s, 1, row, sc->field, plain)) == STORE_OK) {
			db_bind_int(s, 2, id);
			rc = st_run(st, s, "re-encrypt");
		}
		db_finish(s);
	}
	crypt_str_free(plain);
	return (rc);
}

/* rekey_total - how many values rekey_all() re-encrypts */
static int
rekey_total(struct store *st, long *total)
{
	char	sql[REKEY_SQL_MAX];
	size_t	i;
	long	n;
	int	rc;

	*total = 0;
	for (i = 0; i < SEALED_COLS; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE %s IS NOT NULL AND id > ?",
			 sealed_cols[i].table, sealed_cols[i].col);
		if ((rc = st_count(st, sql, 0, &n)) != STORE_OK)
			return (rc);
		*total += n;
	}
	return (STORE_OK);
}

/* rekey_meta - the new key check value and the key ring sealed under NK */
static int
rekey_meta(struct store *st, const struct crypt_keys *nk)
{
	unsigned char chk[CRYPT_MAC_LEN];
	struct db_stmt *s;
	int	rc;

	st_key_check_value(nk, chk);
	if ((rc = db_prepare(st, "UPDATE meta SET v = ? WHERE k = 'key_check'", &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, chk, ST_KEY_CHECK_LEN);
	rc = st_run(st, s, "key check");
	if (rc == STORE_OK && db_changes(s) != 1)
		rc = st_err(st, STORE_ERR, "the database has no key check value");
	db_finish(s);
	if (rc != STORE_OK)
		return (rc);
	if ((rc = db_prepare(st, "INSERT INTO meta(k, v) VALUES('hmac_keys', ?) "
			     "ON CONFLICT(k) DO UPDATE SET v = excluded.v", &s)) != STORE_OK)
		return (rc);
	if ((rc = keyring_bind(st, s, 1, nk)) == STORE_OK)
		rc = st_run(st, s, "key ring");
	db_finish(s);
	return (rc);
}

/* rekey_all - every encrypted value and the meta values, in one transaction */
static int
rekey_all(struct store *st, const struct crypt_keys *nk,
	  int (*progress)(long, long, void *), void *arg, struct store_rekey_report *rep)
{
	int64_t	last;
	size_t	i;
	long	total;
	int	rc;

	if ((rc = st_tx_begin(st)) != STORE_OK)
		return (rc);
	if ((rc = rekey_total(st, &total)) != STORE_OK
	    || (rc = st_count(st, "SELECT count(*) FROM customers WHERE id > ?", 0,
			      &rep->customers)) != STORE_OK)
		return (st_tx_end(st, rc));
	for (i = 0; i < SEALED_COLS; i++) {
		last = 0;
		while ((rc = rekey_one(st, nk, &sealed_cols[i], &last)) == STORE_OK)
			if (++rep->values % REKEY_PROGRESS_EVERY == 0 && progress)
				progress(rep->values, total, arg);
		if (rc != STORE_NOTFOUND)
			return (st_tx_end(st, rc));
	}
	if ((rc = rekey_meta(st, nk)) == STORE_OK && progress)
		progress(rep->values, total, arg);
	return (st_tx_end(st, rc));
}

/* rekey_paths - KEYFILE.new and KEYFILE.old */
static int
rekey_paths(const char *keyfile, char *newf, char *oldf, char *err, size_t errlen)
{
	if (snprintf(newf, REKEY_PATH_MAX, "%s.new", keyfile) >= REKEY_PATH_MAX
	    || snprintf(oldf, REKEY_PATH_MAX, "%s.old", keyfile) >= REKEY_PATH_MAX) {
		snprintf(err, errlen, "key_file name too long");
		return (-1);
	}
	return (0);
}

/* rekey_install - NEWF over KEYFILE, OLDF removed; the renames are durable */
static int
rekey_install(const char *keyfile, const char *newf, const char *oldf, char *err, size_t errlen)
{
	char	dir[REKEY_PATH_MAX], *slash;
	struct stat sb;

	if (stat(keyfile, &sb) == 0 && geteuid() == 0)
		(void) chown(newf, sb.st_uid, sb.st_gid);
	if (rename(newf, keyfile) < 0) {
		snprintf(err, errlen, "the database is under the new key, but %s cannot replace %s: "
			 "%s; run links-store key rotate again", newf, keyfile, strerror(errno));
		return (-1);
	}
	snprintf(dir, sizeof(dir), "%s", keyfile);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = 0;
		st_sync_dir(*dir ? dir : "/");
	} else
		st_sync_dir(".");
	unlink(oldf);
	return (0);
}

/*
 * rekey_resume - a key_file.new left by an interrupted run: when it
 * opens the database, the rotation committed and only the renames are
 * left (1); when it does not, it is discarded once the old key is known
 * to open the database (0).
 */
static int
rekey_resume(struct conf *conf, const char *newf, const char *oldf, char *err, size_t errlen)
{
	char	e2[STORE_ERR_MAX];
	int	schema;

	char	keyfile[REKEY_PATH_MAX];

	snprintf(keyfile, sizeof(keyfile), "%s", conf_key_file(conf));
	if (st_open_pair(conf, NULL, newf, &schema, e2, sizeof(e2)) == STORE_OK)
		return (rekey_install(keyfile, newf, oldf, err, errlen) < 0 ? -1 : 1);
	if (st_open_pair(conf, NULL, keyfile, &schema, err, errlen) != STORE_OK)
		return (-1);
	unlink(newf);
	return (0);
}

/* store_key_rotate - a new master key, every field re-encrypted (see rekey.h) */
int
store_key_rotate(struct conf *conf, int (*progress)(long, long, void *), void *arg,
		 struct store_rekey_report *rep, char *err, size_t errlen)
{
	char	keyfile[REKEY_PATH_MAX], newf[REKEY_PATH_MAX], oldf[REKEY_PATH_MAX];
	struct crypt_keys nk;
	struct store *st = NULL;
	int	rc;

	memset(rep, 0, sizeof(*rep));
	memset(&nk, 0, sizeof(nk));
	/* a copy: rekey_resume() sets key_file for a moment */
	if (snprintf(keyfile, sizeof(keyfile), "%s", conf_key_file(conf)) >= (int) sizeof(keyfile)
	    || rekey_paths(keyfile, newf, oldf, err, errlen) < 0)
		return (STORE_ERR);
	if (access(newf, F_OK) == 0 && (rc = rekey_resume(conf, newf, oldf, err, errlen)) != 0) {
		rep->resumed = rc > 0;
		return (rc > 0 ? STORE_OK : STORE_ERR);
	}
	if ((st = store_open(conf, err, errlen)) == NULL)
		return (strstr(err, "(temporary)") ? STORE_TEMP : STORE_ERR);
	rep->old_kid = st->keys.kid;
	if (crypt_key_create(newf, err, errlen) < 0 || crypt_key_load(newf, &nk, err, errlen) < 0) {
		rc = STORE_ERR;
		goto fail;
	}
	rep->new_kid = nk.kid;
	unlink(oldf);
	if (link(keyfile, oldf) < 0) {
		snprintf(err, errlen, "cannot keep the old key as %s: %s", oldf, strerror(errno));
		rc = STORE_ERR;
		goto fail;
	}
	if ((rc = rekey_all(st, &nk, progress, arg, rep)) != STORE_OK) {
		snprintf(err, errlen, "%s; nothing was changed, the key file is the old one",
			 store_errmsg(st));
		goto fail;
	}
	store_close(st);
	crypt_keys_wipe(&nk);
	return (rekey_install(keyfile, newf, oldf, err, errlen) < 0 ? STORE_ERR : STORE_OK);
fail:
	store_close(st);
	crypt_keys_wipe(&nk);
	unlink(newf);
	unlink(oldf);
	return (rc);
}
