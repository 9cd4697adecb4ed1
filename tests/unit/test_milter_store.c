/*
 * NAME
 *	test_milter_store 1
 * SUMMARY
 *	unit tests of milter_store: connections and the write lock
 * DESCRIPTION
 *	the store connection of an ended thread is reused by the next one;
 *	the write lock is given up after its timeout.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include "milter_store.h"
#include "milter_testlib.h"
#include "unit.h"

/* get_store - thread body: open this thread's connection */
static void *
get_store(void *arg)
{
	struct mt_store *t = arg;
	char	err[256];

	return mstore_get(t->cfg, err, sizeof(err));
}

START_TEST(test_store_connection_of_an_ended_thread_is_reused)
{
	struct mt_store t;
	pthread_t th;
	void   *first, *second;


	mt_store_setup(&t);
	ck_assert_int_eq(pthread_create(&th, NULL, get_store, &t), 0);
	ck_assert_int_eq(pthread_join(th, &first), 0);
	ck_assert_ptr_nonnull(first);
	/* Opening again would need the key file: take it away. */
	ck_assert_int_eq(unlink(t.key), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, get_store, &t), 0);
	ck_assert_int_eq(pthread_join(th, &second), 0);
	ck_assert_ptr_eq(first, second);
	mt_store_teardown(&t);
}
END_TEST
START_TEST(test_store_write_lock_gives_up_after_its_timeout)
{
	ck_assert_int_eq(mstore_write_lock(100), 0);
	ck_assert_int_eq(mstore_write_lock(50), -1);	/* held: waits 50 ms, gives up */
	mstore_write_unlock();
	ck_assert_int_eq(mstore_write_lock(0), 0);
	mstore_write_unlock();
}
END_TEST

/* milter_store_suite - the tests of this file */
static Suite *
milter_store_suite(void)
{
	Suite  *s = suite_create("milter_store");
	TCase  *tc = tcase_create("store");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_store_connection_of_an_ended_thread_is_reused);
	tcase_add_test(tc, test_store_write_lock_gives_up_after_its_timeout);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_store_suite()));
}
