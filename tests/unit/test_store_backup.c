/*
 * NAME
 *	test_store_backup 1
 * SUMMARY
 *	unit tests of store/backup.c
 * SYNOPSIS
 *	unit/test_store_backup
 * DESCRIPTION
 *	A backup taken while another connection writes is one consistent
 *	snapshot that restores into a new place and reads with its key; a
 *	second backup into the same folder is refused; restore refuses an
 *	altered manifest line, a truncated database and a folder without
 *	a manifest, changing nothing. On PostgreSQL both refuse and name
 *	pg_dump / pg_restore. Each test makes its own store (store_fx.h).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup.h"
#include "store_fx.h"

#define WRITES		400

struct writer {
	struct conf *conf;
	volatile int stop;
	int	written;
};

/* write_on - add customers on a connection of its own until told to stop */
static void *
write_on(void *arg)
{
	struct writer *w = arg;
	char	err[CONF_ERR_MAX], email[64];
	struct store *st = store_open(w->conf, err, sizeof(err));

	while (st && !w->stop && w->written < WRITES) {
		snprintf(email, sizeof(email), "w%d@example.vn", w->written);
		if (store_customer_upsert(st, email, "W", NULL, STORE_SRC_STAFF, NULL, NULL) == STORE_OK)
			w->written++;
	}
	store_close(st);
	return (NULL);
}

/* count_rows - customers of a store */
static long
count_rows(struct store *st)
{
	struct store_stats s;

	ck_assert_int_eq(store_stats_get(st, &s), STORE_OK);
	return (s.customers);
}

START_TEST(test_store_backup_while_writing_restores_a_snapshot)
{
	struct fx f, r;
	struct store_backup_info info;
	struct writer w = {NULL, 0, 0};
	char	dir[PATH_BUF + 16], err[CONF_ERR_MAX];
	pthread_t t;
	long	n;

	if (fx_pg())
		return;
	fx_setup(&f, 1);
	fx_add_customer(f.st, "an@example.vn", "An", "");
	w.conf = f.conf;
	ck_assert_int_eq(pthread_create(&t, NULL, write_on, &w), 0);
	while (w.written < 20)
		usleep(1000);
	snprintf(dir, sizeof(dir), "%s/bk", f.dir);
	ck_assert_msg(store_backup(f.st, f.conf, dir, &info) == STORE_OK, "%s", store_errmsg(f.st));
	w.stop = 1;
	pthread_join(t, NULL);
	ck_assert_int_eq(store_backup(f.st, f.conf, dir, &info), STORE_ERR);
	ck_assert_ptr_nonnull(strstr(store_errmsg(f.st), "already holds a backup"));

	fx_setup(&r, 0);		/* a new host: nothing there yet */
	ck_assert_msg(store_restore(r.conf, dir, &info, err, sizeof(err)) == STORE_OK, "%s", err);
	r.st = store_open(r.conf, err, sizeof(err));
	ck_assert_msg(r.st != NULL, "%s", err);
	n = count_rows(r.st);
	ck_assert_int_ge(n, 21);
	ck_assert_int_le(n, 1 + w.written);
	fx_teardown(&r);
	fx_teardown(&f);
}
END_TEST

/* rewrite - replace the first occurrence of FROM in file PATH with TO (same length) */
static void
rewrite(const char *path, const char *from, const char *to)
{
	char	buf[4096], *p;
	FILE   *fp = fopen(path, "r+");
	size_t	n;

	ck_assert_ptr_nonnull(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = 0;
	ck_assert_ptr_nonnull(p = strstr(buf, from));
	memcpy(p, to, strlen(to));
	rewind(fp);
	ck_assert_int_eq(fwrite(buf, 1, n, fp), n);
	fclose(fp);
}

START_TEST(test_store_restore_refuses_altered_backups)
{
	struct fx f;
	char	dir[PATH_BUF + 16], path[PATH_BUF + 64], err[CONF_ERR_MAX];
	struct stat sb;

	if (fx_pg())
		return;
	fx_setup(&f, 1);
	fx_add_customer(f.st, "an@example.vn", "An", "");
	snprintf(dir, sizeof(dir), "%s/bk", f.dir);
	ck_assert_int_eq(store_backup(f.st, f.conf, dir, NULL), STORE_OK);
	snprintf(path, sizeof(path), "%s/%s", dir, BACKUP_MANIFEST);
	rewrite(path, "backend sqlite", "backend sqlitx");
	ck_assert_int_eq(store_restore(f.conf, dir, NULL, err, sizeof(err)), STORE_ERR);
	rewrite(path, "backend sqlitx", "backend sqlite");
	snprintf(path, sizeof(path), "%s/%s", dir, BACKUP_DB);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(truncate(path, sb.st_size - 4096), 0);
	ck_assert_int_eq(store_restore(f.conf, dir, NULL, err, sizeof(err)), STORE_ERR);
	ck_assert_ptr_nonnull(strstr(err, "checksum"));
	snprintf(path, sizeof(path), "%s/nothing", f.dir);
	ck_assert_int_eq(store_restore(f.conf, path, NULL, err, sizeof(err)), STORE_NOTFOUND);
	/* nothing changed */
	ck_assert_int_eq(count_rows(f.st), 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_backup_on_postgresql_names_pg_dump)
{
	struct fx f;
	char	dir[PATH_BUF + 16], err[CONF_ERR_MAX];

	if (!fx_pg())
		return;
	fx_setup(&f, 1);
	snprintf(dir, sizeof(dir), "%s/bk", f.dir);
	ck_assert_int_eq(store_backup(f.st, f.conf, dir, NULL), STORE_ERR);
	ck_assert_ptr_nonnull(strstr(store_errmsg(f.st), "pg_dump"));
	ck_assert_int_eq(store_restore(f.conf, dir, NULL, err, sizeof(err)), STORE_ERR);
	ck_assert_ptr_nonnull(strstr(err, "pg_restore"));
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_backup");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_store_backup_while_writing_restores_a_snapshot);
	tcase_add_test(tc, test_store_restore_refuses_altered_backups);
	tcase_add_test(tc, test_store_backup_on_postgresql_names_pg_dump);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
