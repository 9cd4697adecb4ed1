/*
 * NAME
 *	test_milter_store 1
 * SUMMARY
 *	unit tests of milter_store: connections and the write lock
 * DESCRIPTION
 *	the store connection of an ended thread is reused by the next one;
 *	a connection given back is the next one taken, by any thread, and
 *	is held by one thread at a time; a discarded one is never given
 *	again; a reload's configuration does not get a connection of the
 *	previous one;
 *	the write lock is given up after its timeout; the write-ahead log
 *	is rewound into a reserved file, and not while the write lock is
 *	held.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milter_store.h"
#include "milter_testlib.h"
#include "unit.h"

/* get_store - thread body: take this thread's connection and keep it (its end gives it back) */
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

START_TEST(test_store_connection_given_back_is_the_next_taken_by_another_thread)
{
	struct mt_store t;
	struct store *mine;
	pthread_t th;
	void   *theirs;
	char	err[256];

	mt_store_setup(&t);
	ck_assert_ptr_nonnull(mine = mstore_get(t.cfg, err, sizeof(err)));
	ck_assert_ptr_eq(mstore_get(t.cfg, err, sizeof(err)), mine);	/* still held */
	mstore_put();
	/* Opening one would need the key file: take it away. */
	ck_assert_int_eq(unlink(t.key), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, get_store, &t), 0);
	ck_assert_int_eq(pthread_join(th, &theirs), 0);
	ck_assert_ptr_eq(theirs, mine);
	mstore_put();			/* holds none: nothing to give back */
	mt_store_teardown(&t);
}
END_TEST

START_TEST(test_store_connection_is_held_by_one_thread_at_a_time)
{
	struct mt_store t;
	struct store *mine;
	pthread_t th;
	void   *theirs;
	char	err[256];

	mt_store_setup(&t);
	ck_assert_ptr_nonnull(mine = mstore_get(t.cfg, err, sizeof(err)));
	ck_assert_int_eq(pthread_create(&th, NULL, get_store, &t), 0);
	ck_assert_int_eq(pthread_join(th, &theirs), 0);
	ck_assert_ptr_nonnull(theirs);
	ck_assert_ptr_ne(theirs, mine);	/* none idle: another one opened */
	mstore_put();
	/* two idle now: the last given back comes first */
	ck_assert_ptr_eq(mstore_get(t.cfg, err, sizeof(err)), mine);
	mt_store_teardown(&t);
}
END_TEST

START_TEST(test_store_connection_discarded_is_not_given_again)
{
	struct mt_store t;
	char	err[256];

	mt_store_setup(&t);
	ck_assert_ptr_nonnull(mstore_get(t.cfg, err, sizeof(err)));
	mstore_discard();
	/* none idle: the next one must be opened, which needs the key file */
	ck_assert_int_eq(unlink(t.key), 0);
	ck_assert_ptr_null(mstore_get(t.cfg, err, sizeof(err)));
	mstore_discard();
	mt_store_teardown(&t);
}
END_TEST

START_TEST(test_store_connection_of_a_previous_configuration_is_not_taken)
{
	struct mt_store t;
	struct mcfg *reloaded;
	char	err[256];

	mt_store_setup(&t);
	ck_assert_ptr_nonnull(mstore_get(t.cfg, err, sizeof(err)));
	mstore_put();
	ck_assert_ptr_nonnull(reloaded = mt_store_cfg(&t, "store_busy_timeout", "400"));
	/* the idle one is of the old configuration: opening needs the key file */
	ck_assert_int_eq(unlink(t.key), 0);
	ck_assert_ptr_null(mstore_get(reloaded, err, sizeof(err)));
	mstore_discard();
	mcfg_release(reloaded);
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

/* wal_size - the size of T's write-ahead log file, -1 when there is none */
static long
wal_size(const struct mt_store *t)
{
	char	wal[MT_FILE_MAX + 8];
	struct stat sb;

	snprintf(wal, sizeof(wal), "%s-wal", t->db);
	return (stat(wal, &sb) == 0 ? (long) sb.st_size : -1);
}

/* counted - N commits of a counter on the group commit's connection */
static void
counted(struct mt_store *t, int n)
{
	char	err[256];
	struct store *st;

	ck_assert_ptr_nonnull(st = mstore_writer_lock(t->cfg, 1000, err, sizeof(err)));
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(store_counter_add(st, "test.rewind", 1), STORE_OK);
	mstore_write_unlock_budget(st, 300);
}

START_TEST(test_store_wal_rewound_into_a_reserved_file_not_under_the_write_lock)
{
	struct mt_store t;
	char	err[256];
	long	reserved;

	mt_store_setup(&t);
	counted(&t, 20);
	ck_assert_int_eq(mstore_wal_rewind(t.cfg, err, sizeof(err)), 1);
	reserved = wal_size(&t);
	ck_assert_int_ge(reserved, 8L << 20);
	counted(&t, 200);
	ck_assert_int_eq(wal_size(&t), reserved);	/* written from its start again */
	/* the group commit holds the write lock: not this time */
	ck_assert_int_eq(mstore_write_lock(100), 0);
	ck_assert_int_eq(mstore_wal_rewind(t.cfg, err, sizeof(err)), 0);
	mstore_write_unlock();
	ck_assert_int_eq(mstore_wal_rewind(t.cfg, err, sizeof(err)), 1);
	counted(&t, 5);
	mt_store_teardown(&t);		/* closes the group commit's connection too */
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
	tcase_add_test(tc, test_store_connection_given_back_is_the_next_taken_by_another_thread);
	tcase_add_test(tc, test_store_connection_is_held_by_one_thread_at_a_time);
	tcase_add_test(tc, test_store_connection_discarded_is_not_given_again);
	tcase_add_test(tc, test_store_connection_of_a_previous_configuration_is_not_taken);
	tcase_add_test(tc, test_store_write_lock_gives_up_after_its_timeout);
	tcase_add_test(tc, test_store_wal_rewound_into_a_reserved_file_not_under_the_write_lock);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_store_suite()));
}
