/*
 * NAME
 *	test_lock 1
 * SUMMARY
 *	unit tests of links-sender's locks (sender/lock.c)
 * SYNOPSIS
 *	test_lock
 * DESCRIPTION
 *	A lock held is refused to a second taker (within one process the
 *	locks are per open file, as between processes) and given after
 *	its release; two campaigns are two locks, the outbox a third; a
 *	hundred campaigns leave one lock file; run as root, the lock file
 *	(new, or left root-owned by an older run) goes to the store's
 *	owner, who can then take the lock as that user.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lock.h"
#include "sender_fixture.h"
#include "unit.h"

START_TEST(test_lock_held_lock_is_refused_until_released)
{
	struct conf *c;
	char	err[256];
	int	a, b, o;

	make_tmpdir();
	c = test_conf(tmpdir);
	ck_assert_int_ge(a = lock_take(c, 1, err, sizeof(err)), 0);
	ck_assert_int_eq(lock_take(c, 1, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "campaign 1 is being worked on by another links-sender"));
	ck_assert_int_ge(o = lock_take(c, LOCK_OUTBOX, err, sizeof(err)), 0);
	ck_assert_int_eq(lock_take(c, LOCK_OUTBOX, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "the outbox is being worked on"));
	ck_assert_int_ge(b = lock_take(c, 2, err, sizeof(err)), 0);
	lock_release(b);
	lock_release(a);
	ck_assert_int_ge(b = lock_take(c, 1, err, sizeof(err)), 0);
	lock_release(b);
	lock_release(o);
	lock_release(-1);
	conf_free(c);
	remove_tmpdir();
}
END_TEST

/* count_lock_files - the files in tmpdir whose name ends in ".lock" */
static int
count_lock_files(void)
{
	DIR    *d = opendir(tmpdir);
	struct dirent *e;
	int	n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		size_t	len = strlen(e->d_name);

		if (len > 5 && strcmp(e->d_name + len - 5, ".lock") == 0)
			n++;
	}
	closedir(d);
	return (n);
}

START_TEST(test_lock_many_campaigns_leave_one_lock_file)
{
	struct conf *c;
	char	err[256];
	int	fd;

	make_tmpdir();
	c = test_conf(tmpdir);
	for (int64_t id = 1; id <= 100; id++) {
		ck_assert_int_ge(fd = lock_take(c, id, err, sizeof(err)), 0);
		lock_release(fd);
	}
	ck_assert_int_ge(fd = lock_take(c, LOCK_OUTBOX, err, sizeof(err)), 0);
	lock_release(fd);
	ck_assert_int_eq(count_lock_files(), 1);
	conf_free(c);
	remove_tmpdir();
}
END_TEST

#define LOCK_TEST_UID	65534	/* nobody: the store's owner in the test */

/* take_as_store_user - in a child running as LOCK_TEST_UID, take campaign ID's lock; 1 if taken */
static int
take_as_store_user(struct conf *c, int64_t id)
{
	char	err[256];
	int	status;
	pid_t	pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setgid(LOCK_TEST_UID) < 0 || setuid(LOCK_TEST_UID) < 0)
			_exit(2);
		_exit(lock_take(c, id, err, sizeof(err)) >= 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(test_lock_root_run_gives_the_lock_file_to_the_store_owner)
{
	struct conf *c;
	struct stat sb;
	char	err[256], db[512], lockf[512];
	int	fd;

	if (geteuid() != 0) {
		fprintf(stderr, "test_lock: not root: the root-run case is not tested\n");
		return;
	}
	make_tmpdir();
	c = test_conf(tmpdir);
	snprintf(db, sizeof(db), "%s/links.db", tmpdir);
	snprintf(lockf, sizeof(lockf), "%s/links.db%s", tmpdir, LOCK_SUFFIX);
	ck_assert_int_ge(fd = open(db, O_CREAT | O_WRONLY, 0600), 0);
	close(fd);
	ck_assert_int_eq(chown(tmpdir, LOCK_TEST_UID, LOCK_TEST_UID), 0);
	ck_assert_int_eq(chown(db, LOCK_TEST_UID, LOCK_TEST_UID), 0);
	/* a root-owned 0600 lock file, as an older links-sender run by root left it */
	ck_assert_int_ge(fd = open(lockf, O_CREAT | O_WRONLY, 0600), 0);
	close(fd);
	ck_assert_int_eq(take_as_store_user(c, 7), 0);
	ck_assert_int_ge(fd = lock_take(c, 7, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(lockf, &sb), 0);
	ck_assert_int_eq(sb.st_uid, LOCK_TEST_UID);
	ck_assert_int_eq(sb.st_gid, LOCK_TEST_UID);
	ck_assert_int_eq(take_as_store_user(c, 7), 0);	/* held by root */
	ck_assert_int_eq(take_as_store_user(c, 8), 1);	/* resume of another campaign */
	lock_release(fd);
	ck_assert_int_eq(take_as_store_user(c, 7), 1);
	ck_assert_int_eq(take_as_store_user(c, LOCK_OUTBOX), 1);	/* the outbox timer */
	conf_free(c);
	remove_tmpdir();
}
END_TEST

/* lock_suite - the tests of sender/lock.c */
static Suite *
lock_suite(void)
{
	Suite  *s = suite_create("lock");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_lock_held_lock_is_refused_until_released);
	tcase_add_test(tc, test_lock_many_campaigns_leave_one_lock_file);
	tcase_add_test(tc, test_lock_root_run_gives_the_lock_file_to_the_store_owner);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(lock_suite()));
}
