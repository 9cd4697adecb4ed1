/*
 * NAME
 *	backup 3
 * SUMMARY
 *	online backup and checked restore of the store and its key
 * SYNOPSIS
 *	#include "backup.h"
 * DESCRIPTION
 *	See backup.h. The copy uses SQLite's backup API on connections of
 *	its own: sqlite3_backup_step(-1) copies every page inside one read
 *	transaction, which in WAL mode does not stop writers, so the copy
 *	is the database as of one commit. A step that finds the database
 *	locked is retried until store_busy_timeout has passed. This is the
 *	one place outside db_sqlite.c that talks to SQLite itself: the
 *	backup API works on files, not on the statements of db.h.
 *
 *	Files are written under a temporary name, synced, then renamed;
 *	the manifest comes last, so a folder without a manifest is an
 *	unfinished backup and restore refuses it.
 * DIAGNOSTICS
 *	See backup.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "backup.h"
#include "store_int.h"

#define BACKUP_FORMAT		"links-mail-store-backup 1"
#define BACKUP_PATH_MAX		4096
#define BACKUP_LINE_MAX		512
#define BACKUP_IO_BUF		65536
#define BACKUP_RETRY_US		10000	/* between two tries of a locked step */
#define BACKUP_DIR_MODE		0700
#define BACKUP_DB_MODE		0640
#define BACKUP_KEY_MODE		0600
#define SHA256_HEX		65	/* 64 digits and the NUL */

struct manifest {
	int	schema;
	char	created[32];
	long long size[2];		/* BACKUP_DB, BACKUP_KEY */
	char	sum[2][SHA256_HEX];
};

static const char *const backup_files[2] = {BACKUP_DB, BACKUP_KEY};

/* bk_path - DIR/NAME into OUT; -1 when too long */
static int
bk_path(char *out, const char *dir, const char *name)
{
	int	n = snprintf(out, BACKUP_PATH_MAX, "%s/%s", dir, name);

	return (n < 0 || n >= BACKUP_PATH_MAX ? -1 : 0);
}

/* bk_sha256 - size and SHA-256 (hex) of a file; -1 with errno */
static int
bk_sha256(const char *path, long long *size, char hex[SHA256_HEX])
{
	unsigned char buf[BACKUP_IO_BUF], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	EVP_MD_CTX *ctx;
	ssize_t	n;
	int	fd, ok = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (-1);
	*size = 0;
	if ((ctx = EVP_MD_CTX_new()) != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1) {
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			EVP_DigestUpdate(ctx, buf, (size_t) n);
			*size += n;
		}
		ok = n == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
	}
	EVP_MD_CTX_free(ctx);
	close(fd);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!ok) {
		errno = errno ? errno : EIO;
		return (-1);
	}
	crypt_hex(md, mdlen, hex);
	return (0);
}

/* st_sync_dir - make a rename in DIR durable */
void
st_sync_dir(const char *dir)
{
	int	fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void) fsync(fd);
		close(fd);
	}
}

/* bk_sync_file - fsync PATH; -1 with errno */
static int
bk_sync_file(const char *path)
{
	int	fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

/*
 * bk_copy_file - copy SRC to the new file DST (mode MODE, never over an
 * existing file), synced; -1 with errno.
 */
static int
bk_copy_file(const char *src, const char *dst, mode_t mode)
{
	unsigned char buf[BACKUP_IO_BUF];
	ssize_t	n, w, off;
	int	in, out, saved;

	if ((in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return (-1);
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)) < 0) {
		saved = errno;
		close(in);
		errno = saved;
		return (-1);
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (off = 0; off < n; off += w)
			if ((w = write(out, buf + off, (size_t) (n - off))) < 0)
				goto fail;
	if (n < 0 || fchmod(out, mode) < 0 || fsync(out) < 0)
		goto fail;
	OPENSSL_cleanse(buf, sizeof(buf));
	close(in);
	return (close(out));
fail:
	saved = errno;
	OPENSSL_cleanse(buf, sizeof(buf));
	close(in);
	close(out);
	unlink(dst);
	errno = saved;
	return (-1);
}

/*
 * bk_sqlite_copy - copy database SRC into DST with the backup API
 * (DST: an existing database, or a new file); a locked step is
 * retried for BUSY_MS. STORE_OK or an error in ERR.
 */
static int
bk_sqlite_copy(const char *src, const char *dst, int dst_exists, long busy_ms,
	       char *err, size_t errlen)
{
	sqlite3 *s = NULL, *d = NULL;
	sqlite3_backup *b;
	long	waited_us = 0;
	int	rc;

	if ((rc = sqlite3_open_v2(src, &s, SQLITE_OPEN_READONLY, NULL)) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", src, sqlite3_errstr(rc));
		goto done;
	}
	rc = sqlite3_open_v2(dst, &d, SQLITE_OPEN_READWRITE | (dst_exists ? 0 : SQLITE_OPEN_CREATE),
			     NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", dst, sqlite3_errstr(rc));
		goto done;
	}
	sqlite3_busy_timeout(s, (int) busy_ms);
	sqlite3_busy_timeout(d, (int) busy_ms);
	if ((b = sqlite3_backup_init(d, "main", s, "main")) == NULL) {
		snprintf(err, errlen, "backup of %s: %s", src, sqlite3_errmsg(d));
		rc = SQLITE_ERROR;
		goto done;
	}
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (waited_us / 1000 >= busy_ms)
			break;
		usleep(BACKUP_RETRY_US);
		waited_us += BACKUP_RETRY_US;
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		snprintf(err, errlen, "copy of %s into %s: %s%s", src, dst, sqlite3_errstr(rc),
			 rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? " (temporary)" : "");
	else
		rc = SQLITE_OK;
done:
	sqlite3_close_v2(s);
	sqlite3_close_v2(d);
	if (rc == SQLITE_OK)
		return (STORE_OK);
	return (rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? STORE_TEMP : STORE_ERR);
}

/* bk_manifest_write - DIR/MANIFEST from M, through a synced temporary file */
static int
bk_manifest_write(const char *dir, const struct manifest *m, char *err, size_t errlen)
{
	char	path[BACKUP_PATH_MAX], tmp[BACKUP_PATH_MAX];
	FILE   *fp;
	int	fd, i, bad;

	if (bk_path(path, dir, BACKUP_MANIFEST) < 0 || bk_path(tmp, dir, BACKUP_MANIFEST ".tmp") < 0)
		return (snprintf(err, errlen, "folder name too long"), STORE_ERR);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0
	    || (fp = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return (STORE_ERR);
	}
	fprintf(fp, "format %s\nbackend sqlite\nschema %d\ncreated %s\n", BACKUP_FORMAT,
		m->schema, m->created);
	for (i = 0; i < 2; i++)
		fprintf(fp, "file %s %lld %s\n", backup_files[i], m->size[i], m->sum[i]);
	bad = fflush(fp) == EOF || fsync(fileno(fp)) < 0;
	if (fclose(fp) == EOF || bad || rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return (STORE_ERR);
	}
	st_sync_dir(dir);
	return (STORE_OK);
}

/* bk_manifest_line - one "key value" line into M; -1 when malformed */
static int
bk_manifest_line(char *line, struct manifest *m, int *seen)
{
	char	name[64], sum[SHA256_HEX + 1];
	long long size;
	int	i;

	line[strcspn(line, "\r\n")] = 0;
	if (strcmp(line, "format " BACKUP_FORMAT) == 0)
		*seen |= 1;
	else if (strcmp(line, "backend sqlite") == 0)
		*seen |= 2;
	else if (sscanf(line, "schema %d", &m->schema) == 1 && m->schema > 0)
		*seen |= 4;
	else if (strncmp(line, "created ", 8) == 0)
		snprintf(m->created, sizeof(m->created), "%.31s", line + 8);
	else if (sscanf(line, "file %63s %lld %65s", name, &size, sum) == 3
		 && strlen(sum) == SHA256_HEX - 1 && size >= 0) {
		for (i = 0; i < 2; i++)
			if (strcmp(name, backup_files[i]) == 0) {
				m->size[i] = size;
				memcpy(m->sum[i], sum, SHA256_HEX);
				*seen |= 8 << i;
			}
	} else if (*line != 0 && *line != '#')
		return (-1);
	return (0);
}

/* bk_manifest_read - parse DIR/MANIFEST; STORE_NOTFOUND when absent */
static int
bk_manifest_read(const char *dir, struct manifest *m, char *err, size_t errlen)
{
	char	path[BACKUP_PATH_MAX], line[BACKUP_LINE_MAX];
	FILE   *fp;
	int	seen = 0, lineno = 0;

	memset(m, 0, sizeof(*m));
	if (bk_path(path, dir, BACKUP_MANIFEST) < 0)
		return (snprintf(err, errlen, "folder name too long"), STORE_ERR);
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s%s", path, strerror(errno), errno == ENOENT
			 ? " (not a links-store backup, or an unfinished one)" : "");
		return (errno == ENOENT ? STORE_NOTFOUND : STORE_ERR);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (bk_manifest_line(line, m, &seen) < 0) {
			snprintf(err, errlen, "%s:%d: not a line of a links-store backup manifest",
				 path, lineno);
			fclose(fp);
			return (STORE_ERR);
		}
	}
	fclose(fp);
	if (seen != 15 + 16) {
		snprintf(err, errlen, "%s: %s", path, !(seen & 1) ? "not a links-store backup "
			 "manifest (format line)" : !(seen & 2) ? "not a backup of a SQLite store"
			 : "incomplete (schema or file lines missing)");
		return (STORE_ERR);
	}
	return (STORE_OK);
}

/* bk_check_files - each file of the backup has its size and checksum */
static int
bk_check_files(const char *dir, const struct manifest *m, char *err, size_t errlen)
{
	char	path[BACKUP_PATH_MAX], hex[SHA256_HEX];
	long long size;
	int	i;

	for (i = 0; i < 2; i++) {
		if (bk_path(path, dir, backup_files[i]) < 0 || bk_sha256(path, &size, hex) < 0) {
			snprintf(err, errlen, "%s/%s: %s", dir, backup_files[i], strerror(errno));
			return (STORE_ERR);
		}
		if (size != m->size[i] || strcmp(hex, m->sum[i]) != 0) {
			snprintf(err, errlen, "%s does not match the checksum of the manifest "
				 "(damaged or altered backup); nothing was restored", path);
			return (STORE_ERR);
		}
	}
	return (STORE_OK);
}

/*
 * st_open_pair - open database DB (NULL: store_path) with key file KEY
 * as a store: the key check value proves the pair (a backup of an older
 * schema is migrated, on the copy). CONF's store_path and key_file are
 * put back.
 */
int
st_open_pair(struct conf *conf, const char *db, const char *key, int *schema,
	     char *err, size_t errlen)
{
	char   *path = st_strdup(conf_store_path(conf)), *kf = st_strdup(conf_key_file(conf));
	char	e2[CONF_ERR_MAX];
	struct store *st;
	int	rc = STORE_ERR;

	if (path == NULL || kf == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if ((db && conf_set(conf, "store_path", db, err, errlen) != 0)
	    || conf_set(conf, "key_file", key, err, errlen) != 0)
		goto done;
	if ((st = store_open(conf, err, errlen)) != NULL) {
		*schema = store_schema_version(st);
		store_close(st);
		rc = STORE_OK;
	}
done:
	if (path && kf && (conf_set(conf, "store_path", path, e2, sizeof(e2)) != 0
			   || conf_set(conf, "key_file", kf, e2, sizeof(e2)) != 0))
		abort();		/* the values were accepted before */
	free(path);
	free(kf);
	return (rc);
}

/*
 * bk_chown_like - give PATH the owner and group of REF, or when REF does
 * not exist of its folder (restored as root, the files must stay the
 * store owner's: the milter reads them)
 */
static void
bk_chown_like(const char *path, const char *ref)
{
	char	dir[BACKUP_PATH_MAX], *slash;
	struct stat sb;

	if (geteuid() != 0)
		return;
	if (stat(ref, &sb) < 0) {
		snprintf(dir, sizeof(dir), "%s", ref);
		if ((slash = strrchr(dir, '/')) == NULL)
			return;
		*slash = 0;
		if (stat(*dir ? dir : "/", &sb) < 0)
			return;
	}
	(void) chown(path, sb.st_uid, sb.st_gid);
}

/* bk_take - the copies into DIR; STORE_OK or a message in ERR */
static int
bk_take(struct store *st, struct conf *conf, const char *dir, struct manifest *m,
	char *err, size_t errlen)
{
	char	db[BACKUP_PATH_MAX], key[BACKUP_PATH_MAX];
	int	rc, i;

	if (bk_path(db, dir, BACKUP_DB) < 0 || bk_path(key, dir, BACKUP_KEY) < 0)
		return (snprintf(err, errlen, "folder name too long"), STORE_ERR);
	if (access(db, F_OK) == 0 || access(key, F_OK) == 0) {
		snprintf(err, errlen, "%s holds files of an unfinished backup (no %s): remove them "
			 "or choose another folder", dir, BACKUP_MANIFEST);
		return (STORE_ERR);
	}
	if ((rc = bk_sqlite_copy(conf_store_path(conf), db, 0, st->busy_ms, err, errlen))
	    != STORE_OK)
		goto fail;
	if (chmod(db, BACKUP_DB_MODE) < 0 || bk_sync_file(db) < 0
	    || bk_copy_file(conf_key_file(conf), key, BACKUP_KEY_MODE) < 0) {
		snprintf(err, errlen, "backup into %s: %s", dir, strerror(errno));
		rc = STORE_ERR;
		goto fail;
	}
	if ((rc = st_open_pair(conf, db, key, &m->schema, err, errlen)) != STORE_OK)
		goto fail;
	for (i = 0; i < 2; i++)
		if (bk_sha256(i == 0 ? db : key, &m->size[i], m->sum[i]) < 0) {
			snprintf(err, errlen, "backup into %s: %s", dir, strerror(errno));
			rc = STORE_ERR;
			goto fail;
		}
	return (STORE_OK);
fail:
	unlink(db);
	unlink(key);
	return (rc);
}

/* bk_mkdirs - DIR and its missing parents, each new one with mode 0700 */
static int
bk_mkdirs(const char *dir)
{
	char	path[BACKUP_PATH_MAX], *p;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int) sizeof(path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	for (p = path + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(path, BACKUP_DIR_MODE) < 0 && errno != EEXIST)
				return (-1);
			*p = '/';
		}
	return (mkdir(path, BACKUP_DIR_MODE) < 0 && errno != EEXIST ? -1 : 0);
}

/* bk_now - the time as "YYYY-MM-DDTHH:MM:SSZ" */
static void
bk_now(char out[32])
{
	time_t	t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* store_backup - the database, the key and a manifest into DIR (see backup.h) */
int
store_backup(struct store *st, struct conf *conf, const char *dir, struct store_backup_info *info)
{
	char	path[BACKUP_PATH_MAX], err[2 * BACKUP_PATH_MAX];
	struct manifest m;
	int	rc;

	memset(&m, 0, sizeof(m));
	if (st->ops != &db_sqlite_ops)
		return (st_err(st, STORE_ERR, "backup copies a SQLite store; with store_backend = "
			       "%s back up the database with pg_dump and copy the key file %s apart",
			       st->ops->name, conf_key_file(conf)));
	if (bk_mkdirs(dir) < 0)
		return (st_err(st, STORE_ERR, "cannot create %s: %s", dir, strerror(errno)));
	if (bk_path(path, dir, BACKUP_MANIFEST) < 0)
		return (st_err(st, STORE_ERR, "folder name too long"));
	if (access(path, F_OK) == 0)
		return (st_err(st, STORE_ERR, "%s already holds a backup; choose another folder",
			       dir));
	bk_now(m.created);
	if ((rc = bk_take(st, conf, dir, &m, err, sizeof(err))) != STORE_OK
	    || (rc = bk_manifest_write(dir, &m, err, sizeof(err))) != STORE_OK)
		return (st_err(st, rc, "%s", err));
	if (info) {
		info->schema = m.schema;
		info->db_bytes = m.size[0];
		memcpy(info->created, m.created, sizeof(info->created));
	}
	return (STORE_OK);
}

/* bk_same_file - 1 when A and B have the same bytes (by SHA-256) */
static int
bk_same_file(const char *a, const char *b)
{
	char	ha[SHA256_HEX], hb[SHA256_HEX];
	long long sa, sb;

	return (bk_sha256(a, &sa, ha) == 0 && bk_sha256(b, &sb, hb) == 0 && sa == sb
		&& strcmp(ha, hb) == 0);
}

/*
 * bk_install_key - put the checked key TMP at KEYFILE; a different key
 * file there is kept as KEYFILE.pre-restore (then .pre-restore.N).
 */
static int
bk_install_key(const char *tmp, const char *keyfile, char *err, size_t errlen)
{
	char	keep[BACKUP_PATH_MAX];
	int	n;

	bk_chown_like(tmp, keyfile);
	if (access(keyfile, F_OK) == 0) {
		if (bk_same_file(tmp, keyfile)) {
			unlink(tmp);
			return (STORE_OK);
		}
		for (n = 0; n < 100; n++) {
			snprintf(keep, sizeof(keep), n ? "%s.pre-restore.%d" : "%s.pre-restore",
				 keyfile, n);
			if (link(keyfile, keep) == 0)
				break;
			if (errno != EEXIST) {
				snprintf(err, errlen, "cannot keep the old key as %s: %s", keep,
					 strerror(errno));
				return (STORE_ERR);
			}
		}
	}
	if (rename(tmp, keyfile) < 0) {
		snprintf(err, errlen, "cannot install the key file %s: %s", keyfile, strerror(errno));
		return (STORE_ERR);
	}
	return (STORE_OK);
}

/* bk_tmp_copies - the backup's files beside store_path and key_file */
static int
bk_tmp_copies(const char *dir, const char *tdb, const char *tkey, char *err, size_t errlen)
{
	char	src[BACKUP_PATH_MAX];

	unlink(tdb);			/* leftovers of an interrupted restore */
	unlink(tkey);
	if (bk_path(src, dir, BACKUP_DB) < 0 || bk_copy_file(src, tdb, BACKUP_DB_MODE) < 0
	    || bk_path(src, dir, BACKUP_KEY) < 0 || bk_copy_file(src, tkey, BACKUP_KEY_MODE) < 0) {
		snprintf(err, errlen, "cannot copy the backup beside the store: %s", strerror(errno));
		unlink(tdb);
		return (STORE_ERR);
	}
	return (STORE_OK);
}

/* store_restore - check DIR, then put its database and key in place (see backup.h) */
int
store_restore(struct conf *conf, const char *dir, struct store_backup_info *info,
	      char *err, size_t errlen)
{
	char	path[BACKUP_PATH_MAX], keyfile[BACKUP_PATH_MAX];
	char	tdb[BACKUP_PATH_MAX], tkey[BACKUP_PATH_MAX];
	struct manifest m;
	int	rc, schema, exists;

	if (strcmp(conf_store_backend(conf), "sqlite") != 0)
		return (snprintf(err, errlen, "restore is for a SQLite store; with store_backend = "
				 "%s restore the database with pg_restore and put the key file "
				 "back at %s", conf_store_backend(conf), conf_key_file(conf)),
			STORE_ERR);
	/* copies: checking the pair sets store_path and key_file for a moment */
	if (snprintf(path, sizeof(path), "%s", conf_store_path(conf)) >= (int) sizeof(path)
	    || snprintf(keyfile, sizeof(keyfile), "%s", conf_key_file(conf)) >= (int) sizeof(keyfile))
		return (snprintf(err, errlen, "store_path or key_file too long"), STORE_ERR);
	if ((rc = bk_manifest_read(dir, &m, err, errlen)) != STORE_OK
	    || (rc = bk_check_files(dir, &m, err, errlen)) != STORE_OK)
		return (rc);
	if (snprintf(tdb, sizeof(tdb), "%s.restore", path) >= (int) sizeof(tdb)
	    || snprintf(tkey, sizeof(tkey), "%s.restore", keyfile) >= (int) sizeof(tkey))
		return (snprintf(err, errlen, "store_path or key_file too long"), STORE_ERR);
	if ((rc = bk_tmp_copies(dir, tdb, tkey, err, errlen)) != STORE_OK)
		return (rc);
	if (st_open_pair(conf, tdb, tkey, &schema, err, errlen) != STORE_OK) {
		rc = STORE_ERR;
		goto fail;
	}
	exists = access(path, F_OK) == 0;
	bk_chown_like(tdb, path);
	if (exists)
		rc = bk_sqlite_copy(tdb, path, 1, (long) conf_store_busy_timeout(conf), err, errlen);
	else if (rename(tdb, path) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		rc = STORE_ERR;
	}
	if (rc != STORE_OK)
		goto fail;
	if ((rc = bk_install_key(tkey, keyfile, err, errlen)) != STORE_OK)
		return (rc);		/* the database is restored; a rerun installs the key */
	unlink(tdb);
	if (info) {
		info->schema = schema;
		info->db_bytes = m.size[0];
		memcpy(info->created, m.created, sizeof(info->created));
	}
	return (STORE_OK);
fail:
	unlink(tdb);
	unlink(tkey);
	return (rc);
}
