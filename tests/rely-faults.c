/*
 * NAME
 *	rely-faults 1 (Check unit test)
 * SUMMARY
 *	store faults under a running connection: deleted, replaced, disk full
 * SYNOPSIS
 *	rely-faults
 * DESCRIPTION
 *	A daemon (links-milter) keeps its store connections open across
 *	messages. These tests make the fault happen under an open
 *	connection and check that every write reports a temporary failure
 *	(STORE_TEMP, so the milter answers tempfail and Postfix retries),
 *	never success into a file nobody will read again:
 *	  - the database file deleted (with its WAL and shared memory);
 *	  - the database file replaced by another (a restore from backup
 *	    by rename): the open connection must not go on writing into the
 *	    old, unlinked file;
 *	  - the file system full (a 1 MB tmpfs mounted here; root only,
 *	    the test says so and passes without it): temporary, and once
 *	    space is freed the same connection works again and the write is
 *	    recorded exactly once.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "conf.h"
#include "store.h"

#define RELY_PATH_MAX	512
#define RELY_TMPFS_SIZE	"size=1m"
#define RELY_FILL_CHUNK	(64 * 1024)

struct fx {
	char	dir[RELY_PATH_MAX];
	char	db[RELY_PATH_MAX + 16];
	char	key[RELY_PATH_MAX + 16];
	struct conf *conf;
	struct store *st;
	int	mounted;
};

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return (remove(path));
}

/* A store in a fresh directory, on a small tmpfs when TMPFS and root. */
static void
fx_open(struct fx *f, int tmpfs)
{
	char	err[CONF_ERR_MAX];

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/links-rely-faults.XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	if (tmpfs) {
		if (mount("rely-faults", f->dir, "tmpfs", 0, RELY_TMPFS_SIZE) == 0)
			f->mounted = 1;
		else
			fprintf(stderr, "rely-faults: cannot mount a tmpfs (%s): "
				"disk-full case not run\n", strerror(errno));
	}
	snprintf(f->db, sizeof(f->db), "%s/links.db", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/master.key", f->dir);
	ck_assert_ptr_nonnull(f->conf = conf_defaults());
	ck_assert_int_eq(conf_set(f->conf, "store_path", f->db, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(f->conf, "key_file", f->key, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(f->conf, "store_busy_timeout", "200", err, sizeof(err)), 0);
	ck_assert_msg(store_init(f->conf, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg((f->st = store_open(f->conf, err, sizeof(err))) != NULL, "%s", err);
}

static void
fx_close(struct fx *f)
{
	if (f->st)
		store_close(f->st);
	conf_free(f->conf);
	if (f->mounted)
		umount2(f->dir, MNT_DETACH);
	nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void
unlink_db(const char *db)
{
	char	p[RELY_PATH_MAX + 32];

	ck_assert_int_eq(unlink(db), 0);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
}

START_TEST(test_rely_store_deleted_under_an_open_connection_is_temporary)
{
	struct fx f;
	int64_t id;
	int	changed = -1;

	fx_open(&f, 0);
	ck_assert_int_eq(store_customer_upsert(f.st, "a@example.vn", "A", NULL, STORE_SRC_PORTAL,
					       &id, NULL), STORE_OK);
	unlink_db(f.db);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<x@y> rule=command",
				      &changed), STORE_TEMP);
	ck_assert_msg(strstr(store_errmsg(f.st), "removed") != NULL
		      || strstr(store_errmsg(f.st), "replaced") != NULL,
		      "the message says what happened: %s", store_errmsg(f.st));
	ck_assert_int_eq(store_customer_upsert(f.st, "b@example.vn", "B", NULL, STORE_SRC_PORTAL,
					       NULL, NULL), STORE_TEMP);
	ck_assert_int_ne(access(f.db, F_OK), 0);
	fx_close(&f);
}
END_TEST

START_TEST(test_rely_store_replaced_under_an_open_connection_is_temporary)
{
	struct fx f;
	char	copy[RELY_PATH_MAX + 32], cmd[3 * RELY_PATH_MAX];
	int64_t id;
	int	changed = -1;

	fx_open(&f, 0);
	ck_assert_int_eq(store_customer_upsert(f.st, "a@example.vn", "A", NULL, STORE_SRC_PORTAL,
					       &id, NULL), STORE_OK);
	/* A restore: a copy of the file renamed over the original. */
	snprintf(copy, sizeof(copy), "%s.restore", f.db);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", f.db, copy);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(rename(copy, f.db), 0);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<x@y> rule=command",
				      &changed), STORE_TEMP);
	store_close(f.st);
	/* A new connection sees the restored file and records it once. */
	{
		char	err[CONF_ERR_MAX];

		ck_assert_ptr_nonnull(f.st = store_open(f.conf, err, sizeof(err)));
	}
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<x@y> rule=command",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 1);
	fx_close(&f);
}
END_TEST

static int
count_events(const struct store_consent *e, void *arg)
{
	(void) e;
	(*(int *) arg)++;
	return (0);
}

START_TEST(test_rely_store_disk_full_is_temporary_then_recovers)
{
	struct fx f;
	char	filler[RELY_PATH_MAX + 16], *chunk;
	int	fd, changed = -1, i, rc = STORE_OK, events = 0;
	int64_t id = 0;
	struct store_stats s;

	if (geteuid() != 0) {
		fprintf(stderr, "rely-faults: not root: disk-full case not run\n");
		return;
	}
	fx_open(&f, 1);
	if (!f.mounted) {
		fx_close(&f);
		return;
	}
	ck_assert_int_eq(store_customer_upsert(f.st, "a@example.vn", "A", NULL, STORE_SRC_PORTAL,
					       &id, NULL), STORE_OK);
	/* Fill the file system. */
	snprintf(filler, sizeof(filler), "%s/filler", f.dir);
	ck_assert_int_ge(fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
	ck_assert_ptr_nonnull(chunk = calloc(1, RELY_FILL_CHUNK));
	while (write(fd, chunk, RELY_FILL_CHUNK) > 0)
		;
	while (write(fd, chunk, 512) > 0)
		;
	close(fd);
	free(chunk);
	/* Writes fail, temporarily: a few customers (new pages), then the opt-out. */
	for (i = 0; i < 200 && rc == STORE_OK; i++) {
		char	email[64];

		snprintf(email, sizeof(email), "filler%d@example.vn", i);
		rc = store_customer_upsert(f.st, email, "Một cái tên khá dài để lấp đầy trang", NULL,
					   STORE_SRC_PORTAL, NULL, NULL);
	}
	ck_assert_msg(rc == STORE_TEMP, "disk full: %d (%s)", rc, store_errmsg(f.st));
	rc = store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<full@y> rule=command", &changed);
	ck_assert_msg(rc == STORE_TEMP || rc == STORE_OK, "opt-out on a full disk: %d (%s)", rc,
		      store_errmsg(f.st));
	if (rc == STORE_TEMP) {
		/* Space back: the same connection works, the retry is recorded once. */
		ck_assert_int_eq(unlink(filler), 0);
		ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY,
					      "msgid=<full@y> rule=command", &changed), STORE_OK);
		ck_assert_int_eq(changed, 2);
	} else
		ck_assert_int_eq(unlink(filler), 0);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<full@y> rule=command",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	ck_assert_int_eq(store_consent_each(f.st, id, count_events, &events), STORE_OK);
	ck_assert_int_eq(events, 2);
	ck_assert_int_eq(store_stats_get(f.st, &s), STORE_OK);
	ck_assert_int_eq(s.outbox_pending, 1);
	fx_close(&f);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("rely-faults");
	TCase  *tc = tcase_create("store");
	SRunner *sr;
	int	failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rely_store_deleted_under_an_open_connection_is_temporary);
	tcase_add_test(tc, test_rely_store_replaced_under_an_open_connection_is_temporary);
	tcase_add_test(tc, test_rely_store_disk_full_is_temporary_then_recovers);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
