/*
 * NAME
 *	test_milter_group 1
 * SUMMARY
 *	unit tests of milter_group: the group commit
 * DESCRIPTION
 *	Concurrent writers are all recorded, with their statistics, by
 *	group commits; a writer that fails is rolled back alone and the
 *	others are kept; a writer that hits a conflict (STORE_TEMP in its
 *	savepoint, as a deadlock against another host's milter) runs again
 *	alone and is recorded once, one that keeps failing gives up after
 *	MGROUP_RETRY_MAX lone runs; with the write lock held past
 *	store_busy_timeout every writer gets STORE_TEMP and nothing is
 *	recorded; a batch runs in ascending key order, writers without a
 *	key last.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <sqlite3.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milter_group.h"
#include "milter_stats.h"
#include "milter_store.h"
#include "milter_testlib.h"
#include "store.h"
#include "unit.h"

#define TG_WRITERS	12		/* concurrent writers */
#define TG_FAILING	5		/* the one whose write fails */
#define TG_CONFLICTED	7		/* the one that hits conflicts */

struct tg_writer {
	struct mt_store *t;
	int	n;
	int64_t key;			/* the group's order */
	mgroup_fn fn;			/* its write; NULL: tg_write */
	int	rc;
	int	stored;
	int	conflicts;		/* runs to fail with STORE_TEMP first */
	int	runs;
	char	err[256];
};

/* tg_write - the group's work for one writer: one counter, or a failure */
static int
tg_write(struct store *st, void *arg, long d[MSTAT_COUNT], char *err, size_t errlen)
{
	struct tg_writer *w = arg;
	int	rc;

	w->runs++;
	if ((rc = store_counter_add(st, "test.writes", 1)) != STORE_OK)
		return (rc);
	if (w->conflicts > 0) {
		w->conflicts--;
		snprintf(err, errlen, "writer %d: a deadlock, on purpose", w->n);
		return (STORE_TEMP);
	}
	if (w->n == TG_FAILING) {
		snprintf(err, errlen, "writer %d fails on purpose", w->n);
		return (STORE_ERR);
	}
	d[MSTAT_MESSAGES] = 1;
	return (STORE_OK);
}

/* tg_thread - one writer */
static void *
tg_thread(void *arg)
{
	struct tg_writer *w = arg;

	w->rc = mgroup_write(w->t->cfg, w->key, w->fn ? w->fn : tg_write, w, &w->stored, w->err,
			     sizeof(w->err));
	return (NULL);
}

struct tg_counter {
	const char *name;
	long	value;
};

/* tg_counter_cb - store_counter_each() callback keeping one counter */
static int
tg_counter_cb(const char *name, long value, void *arg)
{
	struct tg_counter *c = arg;

	if (strcmp(name, c->name) == 0)
		c->value = value;
	return (0);
}

/* tg_counter - the stored value of counter NAME, 0 if none */
static long
tg_counter(struct mt_store *t, const char *name)
{
	struct tg_counter c = {name, 0};
	char	err[256];
	struct store *st = mstore_get(t->cfg, err, sizeof(err));

	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(store_counter_each(st, tg_counter_cb, &c), STORE_OK);
	return (c.value);
}

/*
 * tg_run_keyed - TG_WRITERS concurrent writers into W; writer
 * TG_CONFLICTED hits CONFLICTS first; with FIRST it is keyed to run
 * first in any batch it is in (the others after it), else every key is
 * 0 (arrival order)
 */
static void
tg_run_keyed(struct mt_store *t, struct tg_writer *w, int conflicts, int first)
{
	pthread_t th[TG_WRITERS];

	for (int i = 0; i < TG_WRITERS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].t = t;
		w[i].n = i;
		if (first)
			w[i].key = i == TG_CONFLICTED ? 1 : 2;
		if (i == TG_CONFLICTED)
			w[i].conflicts = conflicts;
	}
	for (int i = 0; i < TG_WRITERS; i++) {
		ck_assert_int_eq(pthread_create(&th[i], NULL, tg_thread, &w[i]), 0);
	}
	for (int i = 0; i < TG_WRITERS; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
}

/* tg_run - tg_run_keyed() in arrival order */
static void
tg_run(struct mt_store *t, struct tg_writer *w, int conflicts)
{
	tg_run_keyed(t, w, conflicts, 0);
}

START_TEST(test_group_concurrent_writers_recorded_failed_one_alone_rolled_back)
{
	struct mt_store t;
	struct tg_writer w[TG_WRITERS];

	mt_store_setup(&t);
	tg_run(&t, w, 0);
	for (int i = 0; i < TG_WRITERS; i++) {
		if (i == TG_FAILING) {
			ck_assert_int_eq(w[i].rc, STORE_ERR);
			ck_assert_int_eq(w[i].stored, 0);
			ck_assert_ptr_nonnull(strstr(w[i].err, "on purpose"));
		} else {
			ck_assert_msg(w[i].rc == STORE_OK, "writer %d: %s", i, w[i].err);
			ck_assert_int_eq(w[i].stored, 1);
		}
	}
	ck_assert_int_eq(tg_counter(&t, "test.writes"), TG_WRITERS - 1);
	ck_assert_int_eq(tg_counter(&t, mstat_store_name(MSTAT_MESSAGES)), TG_WRITERS - 1);
	mt_store_teardown(&t);
}
END_TEST

START_TEST(test_group_conflicted_writer_runs_again_alone_recorded_once)
{
	struct mt_store t;
	struct tg_writer w[TG_WRITERS];

	mt_store_setup(&t);
	tg_run(&t, w, 2);
	for (int i = 0; i < TG_WRITERS; i++) {
		if (i == TG_FAILING)
			continue;
		ck_assert_msg(w[i].rc == STORE_OK, "writer %d: %s", i, w[i].err);
		ck_assert_int_eq(w[i].stored, 1);
	}
	ck_assert_int_eq(w[TG_CONFLICTED].runs, 3);
	/* the conflicted runs were rolled back: each writer's counter once */
	ck_assert_int_eq(tg_counter(&t, "test.writes"), TG_WRITERS - 1);
	ck_assert_int_eq(tg_counter(&t, mstat_store_name(MSTAT_MESSAGES)), TG_WRITERS - 1);
	mt_store_teardown(&t);
}
END_TEST

START_TEST(test_group_writer_conflicted_every_time_gives_up_temp)
{
	struct mt_store t;
	struct tg_writer w[TG_WRITERS];

	mt_store_setup(&t);
	tg_run(&t, w, 1 + MGROUP_RETRY_MAX);
	ck_assert_int_eq(w[TG_CONFLICTED].rc, STORE_TEMP);
	ck_assert_int_eq(w[TG_CONFLICTED].stored, 0);
	ck_assert_int_eq(w[TG_CONFLICTED].runs, 1 + MGROUP_RETRY_MAX);
	ck_assert_ptr_nonnull(strstr(w[TG_CONFLICTED].err, "deadlock"));
	ck_assert_int_eq(tg_counter(&t, "test.writes"), TG_WRITERS - 2);
	ck_assert_int_eq(tg_counter(&t, mstat_store_name(MSTAT_MESSAGES)), TG_WRITERS - 2);
	mt_store_teardown(&t);
}
END_TEST

/*
 * The same, the conflicted writer first in its batch: its failed run in
 * the batch without savepoints is its run in the batch (no second one in
 * a savepoint), then MGROUP_RETRY_MAX alone. Whether a failing writer
 * ran before it decided this by chance in the test above.
 */
START_TEST(test_group_writer_conflicted_first_in_its_batch_runs_as_often)
{
	struct mt_store t;
	struct tg_writer w[TG_WRITERS];

	mt_store_setup(&t);
	tg_run_keyed(&t, w, 1 + MGROUP_RETRY_MAX, 1);
	ck_assert_int_eq(w[TG_CONFLICTED].rc, STORE_TEMP);
	ck_assert_int_eq(w[TG_CONFLICTED].stored, 0);
	ck_assert_int_eq(w[TG_CONFLICTED].runs, 1 + MGROUP_RETRY_MAX);
	ck_assert_int_eq(tg_counter(&t, "test.writes"), TG_WRITERS - 2);
	ck_assert_int_eq(w[TG_FAILING].rc, STORE_ERR);
	mt_store_teardown(&t);
}
END_TEST

START_TEST(test_group_write_lock_held_past_timeout_records_nothing)
{
	struct mt_store t;
	struct tg_writer w[TG_WRITERS];

	mt_store_setup(&t);
	ck_assert_int_eq(mstore_write_lock(1000), 0);
	tg_run(&t, w, 0);			/* store_busy_timeout is 300 ms */
	mstore_write_unlock();
	for (int i = 0; i < TG_WRITERS; i++) {
		ck_assert_int_eq(w[i].rc, STORE_TEMP);
		ck_assert_int_eq(w[i].stored, 0);
	}
	ck_assert_int_eq(tg_counter(&t, "test.writes"), 0);
	mt_store_teardown(&t);
}
END_TEST

/* tg_hold - thread body: hold the in-process write lock for TG_HOLD_MS */
#define TG_HOLD_MS	400
static void *
tg_hold(void *arg)
{
	struct timespec ts = {0, TG_HOLD_MS * 1000000L};

	(void) arg;
	nanosleep(&ts, NULL);
	mstore_write_unlock();
	return (NULL);
}

/* tg_ms - milliseconds since T0 */
static long
tg_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return ((long) (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000L);
}

START_TEST(test_group_write_waits_store_busy_timeout_end_to_end)
{
	struct mt_store t;
	struct tg_writer w;
	struct timespec t0;
	pthread_t th;
	sqlite3 *h;
	long	ms;

	mt_store_setup(&t);
	mcfg_release(t.cfg);
	t.cfg = mt_store_cfg(&t, "store_busy_timeout", "600");
	/* another process holds the database; another message the in-process lock */
	ck_assert_int_eq(sqlite3_open(t.db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(mstore_write_lock(1000), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, tg_hold, NULL), 0);
	memset(&w, 0, sizeof(w));
	w.t = &t;
	w.n = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tg_thread(&w);
	ms = tg_ms(&t0);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(w.rc, STORE_TEMP);
	/* 400 ms for the lock, then only the 200 ms left for the database: not 400 + 600 */
	ck_assert_msg(ms >= 550 && ms < 850, "the write waited %ld ms (store_busy_timeout 600)", ms);
	ck_assert_int_eq(sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	mt_store_teardown(&t);
}
END_TEST

/* The order in which the leader ran the writes (tg_ordered). */
static pthread_mutex_t tg_seq_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t tg_seq[TG_WRITERS];
static int tg_nseq;

/* tg_ordered - the group's work: record the writer's key */
static int
tg_ordered(struct store *st, void *arg, long d[MSTAT_COUNT], char *err, size_t errlen)
{
	struct tg_writer *w = arg;

	(void) st;
	(void) err;
	(void) errlen;
	pthread_mutex_lock(&tg_seq_mu);
	if (tg_nseq < TG_WRITERS)
		tg_seq[tg_nseq++] = w->key;
	pthread_mutex_unlock(&tg_seq_mu);
	d[MSTAT_MESSAGES] = 1;
	return (STORE_OK);
}

START_TEST(test_group_batch_runs_in_key_order_no_key_last)
{
	/* arrival order of writers 1..: keys scrambled, two without a key */
	static const int64_t keys[TG_WRITERS] = {0, 42, 7, 0, 19, 3, 88, 7, 1, 0, 64, 5};
	struct timespec queued = {0, 500 * 1000000L};
	struct mt_store t;
	struct tg_writer w[TG_WRITERS];
	pthread_t th[TG_WRITERS];

	mt_store_setup(&t);
	mcfg_release(t.cfg);
	t.cfg = mt_store_cfg(&t, "store_busy_timeout", "10000");
	tg_nseq = 0;
	memset(w, 0, sizeof(w));
	/* writer 0 leads a batch of its own, blocked on the write lock ... */
	ck_assert_int_eq(mstore_write_lock(1000), 0);
	for (int i = 0; i < TG_WRITERS; i++) {
		w[i].t = &t;
		w[i].n = i;
		w[i].key = keys[i];
		w[i].fn = tg_ordered;
		ck_assert_int_eq(pthread_create(&th[i], NULL, tg_thread, &w[i]), 0);
		if (i == 0)
			nanosleep(&queued, NULL);
	}
	/* ... while the others queue: the next leader takes them all */
	nanosleep(&queued, NULL);
	mstore_write_unlock();
	for (int i = 0; i < TG_WRITERS; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_msg(w[i].rc == STORE_OK, "writer %d: %s", i, w[i].err);
	}
	ck_assert_int_eq(tg_nseq, TG_WRITERS);
	ck_assert_int_eq(tg_seq[0], 0);
	for (int i = 2; i < TG_WRITERS; i++)
		ck_assert_msg(tg_seq[i] == 0 || (tg_seq[i - 1] != 0 && tg_seq[i - 1] <= tg_seq[i]),
			      "run %d: key %lld after %lld", i, (long long) tg_seq[i],
			      (long long) tg_seq[i - 1]);
	ck_assert_int_eq(tg_seq[1], 1);
	ck_assert_int_eq(tg_seq[TG_WRITERS - 1], 0);
	mt_store_teardown(&t);
}
END_TEST

#define TG_SWALLOWS	4		/* the writer whose inner level fails unseen */

/*
 * tg_swallow - a write whose inner level fails and is rolled back, the
 * failure kept to itself: the request succeeds, the level's write must
 * not be recorded (without savepoints it cannot be undone alone)
 */
static int
tg_swallow(struct store *st, void *arg, long d[MSTAT_COUNT], char *err, size_t errlen)
{
	struct tg_writer *w = arg;
	int	rc;

	(void) err;
	(void) errlen;
	w->runs++;
	if ((rc = store_begin(st)) != STORE_OK)
		return (rc);
	rc = store_counter_add(st, "test.swallowed", 1);
	(void) store_rollback(st);
	if (rc != STORE_OK)
		return (rc);
	d[MSTAT_MESSAGES] = 1;
	return (STORE_OK);
}

/* tg_batch - TG_WRITERS writers queued while the write lock is held: one batch; FN for writer TG_SWALLOWS */
static void
tg_batch(struct mt_store *t, struct tg_writer *w, mgroup_fn fn)
{
	struct timespec queued = {0, 300 * 1000000L};
	pthread_t th[TG_WRITERS];

	memset(w, 0, TG_WRITERS * sizeof(w[0]));
	ck_assert_int_eq(mstore_write_lock(1000), 0);
	for (int i = 0; i < TG_WRITERS; i++) {
		w[i].t = t;
		w[i].n = 100 + i;	/* none is TG_FAILING nor TG_CONFLICTED */
		w[i].fn = i == TG_SWALLOWS ? fn : NULL;
		ck_assert_int_eq(pthread_create(&th[i], NULL, tg_thread, &w[i]), 0);
		if (i == 0)
			nanosleep(&queued, NULL);	/* writer 0 leads, blocked */
	}
	nanosleep(&queued, NULL);	/* the others queue for the next batch */
	mstore_write_unlock();
	for (int i = 0; i < TG_WRITERS; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
}

START_TEST(test_group_batch_without_failure_runs_each_write_once)
{
	struct mt_store t;
	struct tg_writer w[TG_WRITERS];

	mt_store_setup(&t);
	mcfg_release(t.cfg);
	t.cfg = mt_store_cfg(&t, "store_busy_timeout", "10000");
	tg_batch(&t, w, NULL);
	for (int i = 0; i < TG_WRITERS; i++) {
		ck_assert_msg(w[i].rc == STORE_OK, "writer %d: %s", i, w[i].err);
		ck_assert_int_eq(w[i].stored, 1);
		ck_assert_int_eq(w[i].runs, 1);
	}
	ck_assert_int_eq(tg_counter(&t, "test.writes"), TG_WRITERS);
	ck_assert_int_eq(tg_counter(&t, mstat_store_name(MSTAT_MESSAGES)), TG_WRITERS);
	mt_store_teardown(&t);
}
END_TEST

START_TEST(test_group_inner_failure_kept_quiet_is_rolled_back_alone)
{
	struct mt_store t;
	struct tg_writer w[TG_WRITERS];

	mt_store_setup(&t);
	mcfg_release(t.cfg);
	t.cfg = mt_store_cfg(&t, "store_busy_timeout", "10000");
	tg_batch(&t, w, tg_swallow);
	for (int i = 0; i < TG_WRITERS; i++) {
		ck_assert_msg(w[i].rc == STORE_OK, "writer %d: %s", i, w[i].err);
		ck_assert_int_eq(w[i].stored, 1);
	}
	/* its inner write undone, every other write recorded once */
	ck_assert_int_eq(tg_counter(&t, "test.swallowed"), 0);
	ck_assert_int_eq(tg_counter(&t, "test.writes"), TG_WRITERS - 1);
	ck_assert_int_eq(tg_counter(&t, mstat_store_name(MSTAT_MESSAGES)), TG_WRITERS);
	mt_store_teardown(&t);
}
END_TEST

/* milter_group_suite - the tests of this file */
static Suite *
milter_group_suite(void)
{
	Suite  *s = suite_create("milter_group");
	TCase  *tc = tcase_create("group");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_group_concurrent_writers_recorded_failed_one_alone_rolled_back);
	tcase_add_test(tc, test_group_conflicted_writer_runs_again_alone_recorded_once);
	tcase_add_test(tc, test_group_writer_conflicted_every_time_gives_up_temp);
	tcase_add_test(tc, test_group_writer_conflicted_first_in_its_batch_runs_as_often);
	tcase_add_test(tc, test_group_write_lock_held_past_timeout_records_nothing);
	tcase_add_test(tc, test_group_write_waits_store_busy_timeout_end_to_end);
	tcase_add_test(tc, test_group_batch_runs_in_key_order_no_key_last);
	tcase_add_test(tc, test_group_batch_without_failure_runs_each_write_once);
	tcase_add_test(tc, test_group_inner_failure_kept_quiet_is_rolled_back_alone);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_group_suite()));
}
