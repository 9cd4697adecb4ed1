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
 *	its release; two names are two locks.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lock.h"
#include "sender_fixture.h"

START_TEST(test_lock_held_lock_is_refused_until_released)
{
	struct conf *c;
	char	err[256];
	int	a, b, o;

	make_tmpdir();
	c = test_conf(tmpdir);
	ck_assert_int_ge(a = lock_take(c, "campaign-1", err, sizeof(err)), 0);
	ck_assert_int_eq(lock_take(c, "campaign-1", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "another links-sender process"));
	ck_assert_int_ge(o = lock_take(c, "outbox", err, sizeof(err)), 0);
	lock_release(a);
	ck_assert_int_ge(b = lock_take(c, "campaign-1", err, sizeof(err)), 0);
	lock_release(b);
	lock_release(o);
	lock_release(-1);
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
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	SRunner *sr = srunner_create(lock_suite());
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
