/*
 * NAME
 *	store_fx 3
 * SUMMARY
 *	the fixture of the store's unit tests, on either engine
 * SYNOPSIS
 *	#include "store_fx.h"
 * DESCRIPTION
 *	See store_fx.h.
 * DIAGNOSTICS
 *	Failures are Check assertions.
 */
#include "config.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include "store_fx.h"
#include "unit.h"

#define KEY_BYTES	32
#define RAW_BUSY_MS	2000

/* fx_pg - whether the tests run on PostgreSQL */
int
fx_pg(void)
{
	const char *ci = getenv("LINKS_TEST_PG_CONNINFO");

	return (ci != NULL && *ci != 0);
}

/* rm_one - nftw callback: remove one entry */
static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return (remove(path));
}

/* fx_set - one option, or fail the test */
void
fx_set(struct conf *c, const char *name, const char *value)
{
	char	err[CONF_ERR_MAX];

	ck_assert_msg(conf_set(c, name, value, err, sizeof(err)) == 0, "conf_set %s: %s", name, err);
}

/* fx_conf - a configuration for F's database with KEY as key file */
struct conf *
fx_conf(const struct fx *f, const char *key)
{
	struct conf *c = conf_defaults();

	ck_assert_ptr_nonnull(c);
	fx_set(c, "store_path", f->db);
	fx_set(c, "key_file", key);
	fx_set(c, "store_busy_timeout", "200");
	fx_set(c, "message_id_domain", "mail.ilinks.asia");
#ifdef HAVE_LIBPQ
	if (f->pg) {
		fx_set(c, "store_backend", "postgresql");
		fx_set(c, "store_conninfo", f->conninfo);
	}
#endif
	return (c);
}

#ifdef HAVE_LIBPQ
/* fx_pg_admin - run SQL on the server's postgres database */
void
fx_pg_admin(const char *sql)
{
	char	ci[FX_CONNINFO_MAX];
	PGconn *c;
	PGresult *r;

	snprintf(ci, sizeof(ci), "%s dbname=postgres options='-c client_min_messages=warning'",
		 getenv("LINKS_TEST_PG_CONNINFO"));
	c = PQconnectdb(ci);
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
	r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
		      "%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

/* pg_new_db - a fresh database for one fixture */
static void
pg_new_db(struct fx *f)
{
	static int n;
	char	sql[FX_DBNAME_MAX + 64];

	snprintf(f->dbname, sizeof(f->dbname), "lt_%ld_%d", (long) getpid(), n++);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", f->dbname);
	fx_pg_admin(sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", f->dbname);
	fx_pg_admin(sql);
	snprintf(f->conninfo, sizeof(f->conninfo), "%s dbname=%s",
		 getenv("LINKS_TEST_PG_CONNINFO"), f->dbname);
}
#endif

/* fx_setup - a private store; OPEN: created and opened */
void
fx_setup(struct fx *f, int open)
{
	char	err[CONF_ERR_MAX];
	const char *tmp = getenv("TMPDIR");

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/test_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/links.db", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/master.key", f->dir);
#ifdef HAVE_LIBPQ
	if ((f->pg = fx_pg()) != 0)
		pg_new_db(f);
#else
	ck_assert_msg(!fx_pg(), "LINKS_TEST_PG_CONNINFO is set but this build has no libpq");
#endif
	f->conf = fx_conf(f, f->key);
	if (open) {
		ck_assert_msg(store_init(f->conf, err, sizeof(err)) == STORE_OK, "init: %s", err);
		f->st = store_open(f->conf, err, sizeof(err));
		ck_assert_msg(f->st != NULL, "open: %s", err);
	}
}

/* fx_teardown - close and remove everything fx_setup made */
void
fx_teardown(struct fx *f)
{
	store_close(f->st);
	f->st = NULL;
	conf_free(f->conf);
	chmod(f->dir, 0700);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
#ifdef HAVE_LIBPQ
	if (f->pg) {
		char	sql[FX_DBNAME_MAX + 64];

		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->dbname);
		fx_pg_admin(sql);
	}
#endif
}

/* fx_add_customer - a customer that must be stored; its id */
int64_t
fx_add_customer(struct store *st, const char *email, const char *name, const char *phone)
{
	int64_t	id = 0;
	int	created = 0;

	ck_assert_int_eq(store_customer_upsert(st, email, name, phone, STORE_SRC_PORTAL, &id,
					       &created), STORE_OK);
	ck_assert_int_gt(id, 0);
	return (id);
}

/* fx_file_contains - does FILE contain NEEDLE anywhere (bytes)? Missing file: no. */
int
fx_file_contains(const char *file, const char *needle)
{
	FILE   *fp = fopen(file, "rb");
	char   *buf;
	long	len;
	int	found;

	if (fp == NULL)
		return (0);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	buf = malloc((size_t) len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq((long) fread(buf, 1, (size_t) len, fp), len);
	fclose(fp);
	found = memmem(buf, (size_t) len, needle, strlen(needle)) != NULL;
	free(buf);
	return (found);
}

/* fx_raw_exec - SQL on F's database behind the store's back */
void
fx_raw_exec(const struct fx *f, const char *sql)
{
	sqlite3 *h;
	char   *msg = NULL;

#ifdef HAVE_LIBPQ
	if (f->pg) {
		PGconn *c = PQconnectdb(f->conninfo);
		PGresult *r;

		ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
		r = PQexec(c, sql);
		ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK
			      || PQresultStatus(r) == PGRES_TUPLES_OK, "%s: %s", sql,
			      PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		return;
	}
#endif
	ck_assert_int_eq(sqlite3_open(f->db, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, RAW_BUSY_MS);
	ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg);
	sqlite3_close(h);
}

/* fx_write_key - a key file of FILL bytes with MODE */
void
fx_write_key(const char *path, unsigned char fill, mode_t mode)
{
	unsigned char key[KEY_BYTES];
	int	fd;

	memset(key, fill, sizeof(key));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, key, sizeof(key)), (int) sizeof(key));
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* fx_count_events - store_consent_each callback: count into *ARG */
int
fx_count_events(const struct store_consent *e, void *arg)
{
	(void) e;
	(*(int *) arg)++;
	return (0);
}

/* fx_run - run suite S; the exit status of the test program */
int
fx_run(Suite *s)
{
	return (unit_run(s));
}

static const char *scan_needle;
static int scan_hits;

/* scan_file - nftw callback: count regular files holding SCAN_NEEDLE */
static int
scan_file(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) ftw;
	if (flag == FTW_F && S_ISREG(sb->st_mode) && fx_file_contains(path, scan_needle)) {
		fprintf(stderr, "\"%s\" found in %s\n", scan_needle, path);
		scan_hits++;
	}
	return (0);
}

/*
 * fx_store_contains - whether NEEDLE is anywhere in F's store files:
 * SQLite: the database, its WAL and shared memory; PostgreSQL: every
 * file of the cluster's data folder (LINKS_TEST_PG_DATADIR) after a
 * checkpoint, -1 when that folder is not known.
 */
int
fx_store_contains(const struct fx *f, const char *needle)
{
	char	path[PATH_BUF + 32];
	const char *data = getenv("LINKS_TEST_PG_DATADIR");
	int	found = 0;

	if (f->pg) {
		if (data == NULL || *data == 0)
			return (-1);
		fx_raw_exec(f, "CHECKPOINT");
		scan_needle = needle;
		scan_hits = 0;
		ck_assert_int_eq(nftw(data, scan_file, 16, FTW_PHYS), 0);
		return (scan_hits > 0);
	}
	found |= fx_file_contains(f->db, needle);
	snprintf(path, sizeof(path), "%s-wal", f->db);
	found |= fx_file_contains(path, needle);
	snprintf(path, sizeof(path), "%s-shm", f->db);
	found |= fx_file_contains(path, needle);
	return (found);
}
