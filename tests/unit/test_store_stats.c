/*
 * NAME
 *	test_store_stats 1
 * SUMMARY
 *	unit tests of store/bounce.c, store/counter.c and store/stats.c
 * SYNOPSIS
 *	unit/test_store_stats
 * DESCRIPTION
 *	Bounces up to the threshold, counters (their running totals and,
 *	for the daily digest, their hours: digest_store.h), statistics.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "digest_store.h"
#include "store_fx.h"

START_TEST(test_store_bounces_counters_stats)
{
	struct fx f;
	struct store_stats s;
	int	count, i;

	fx_setup(&f, 1);
	fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	for (i = 1; i <= 3; i++) {
		ck_assert_int_eq(store_is_undeliverable(f.st, "an.nguyen@example.vn"), 0);
		ck_assert_int_eq(store_bounce_record(f.st, "AN.nguyen@example.vn", &count), STORE_OK);
		ck_assert_int_eq(count, i);
	}
	ck_assert_int_eq(store_is_undeliverable(f.st, "an.nguyen@example.vn"), 1);
	ck_assert_int_eq(store_bounce_record(f.st, "bad", &count), STORE_ERR);
	ck_assert_int_eq(store_counter_add(f.st, "milter.refusals", 2), STORE_OK);
	ck_assert_int_eq(store_counter_add(f.st, "milter.refusals", 3), STORE_OK);
	ck_assert_int_eq(store_stats_get(f.st, &s), STORE_OK);
	ck_assert_int_eq(s.customers, 1);
	ck_assert_int_eq(s.undeliverable, 1);
	fx_teardown(&f);
}
END_TEST

/* Counters added from several connections at once (several hosts) merge. */
#define ADDERS		6
#define ADDS_EACH	40

static int
counter_value(const char *name, long value, void *arg)
{
	if (strcmp(name, "milter.refusals") == 0)
		*(long *) arg = value;
	return (0);
}

static void *
add_counts(void *arg)
{
	char	err[CONF_ERR_MAX];
	struct store *st = store_open(arg, err, sizeof(err));
	long	i, bad = 0;

	if (st == NULL)
		return ((void *) 1);
	for (i = 0; i < ADDS_EACH; i++)
		if (store_counter_add(st, "milter.refusals", 1) != STORE_OK)
			bad++;
	store_close(st);
	return ((void *) bad);
}

START_TEST(test_store_counters_from_several_connections_merge)
{
	struct fx f;
	pthread_t th[ADDERS];
	void   *bad;
	long	value = 0;
	time_t	now;
	int	i;

	fx_setup(&f, 1);
	fx_set(f.conf, "store_busy_timeout", "20000");
	for (i = 0; i < ADDERS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, add_counts, f.conf), 0);
	for (i = 0; i < ADDERS; i++) {
		ck_assert_int_eq(pthread_join(th[i], &bad), 0);
		ck_assert_ptr_null(bad);
	}
	ck_assert_int_eq(store_counter_each(f.st, counter_value, &value), STORE_OK);
	ck_assert_int_eq(value, ADDERS * ADDS_EACH);
	/* the hourly rows merge too (a window of hours around now holds them all) */
	now = time(NULL);
	ck_assert_int_eq(store_counter_window(f.st, "milter.refusals", now - 7200, now + 7200,
					      &value), STORE_OK);
	ck_assert_int_eq(value, ADDERS * ADDS_EACH);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_stats");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_bounces_counters_stats);
	tcase_add_test(tc, test_store_counters_from_several_connections_merge);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
