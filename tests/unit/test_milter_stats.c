/*
 * NAME
 *	test_milter_stats 1
 * SUMMARY
 *	unit tests of milter_stats: statistics
 * DESCRIPTION
 *	statistics wait in memory and reach the store in one flush; a failed
 *	write gives the deltas back; nothing is added twice.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milter_stats.h"
#include "milter_store.h"
#include "milter_testlib.h"
#include "store.h"
#include "unit.h"

struct counter_get {
	const char *name;
	long	value;
	int	found;
};

/* counter_get - store_counter_each() callback keeping one counter */
static int
counter_get(const char *name, long value, void *arg)
{
	struct counter_get *g = arg;

	if (strcmp(name, g->name) == 0) {
		g->value = value;
		g->found = 1;
	}
	return 0;
}

/* stored_counter - the stored value of counter NAME, -1 if none */
static long
stored_counter(struct store *st, const char *name)
{
	struct counter_get g = {name, 0, 0};

	ck_assert_int_eq(store_counter_each(st, counter_get, &g), STORE_OK);
	return g.found ? g.value : -1;
}

START_TEST(test_stats_statistics_wait_in_memory_then_one_flush)
{
	struct mt_store t;
	struct store *st;
	long	d[MSTAT_COUNT];
	char	err[256];

	mt_store_setup(&t);
	st = mstore_get(t.cfg, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	mstats_add(MSTAT_MESSAGES, 3);
	mstats_add(MSTAT_QUESTIONS, 2);
	mstats_add(MSTAT_PASSED, 5);		/* kept in the process only */
	mstats_add_total(MSTAT_OPTOUTS, 1);	/* stored by its own transaction */
	ck_assert_int_eq(stored_counter(st, "milter.messages"), -1);
	/* a failed write gives the deltas back */
	mstats_take(d);
	ck_assert_int_eq(d[MSTAT_MESSAGES], 3);
	ck_assert_int_eq(d[MSTAT_PASSED], 0);
	ck_assert_int_eq(d[MSTAT_OPTOUTS], 0);
	mstats_give_back(d);
	ck_assert_int_eq(mstats_flush(st, 1000, err, sizeof(err)), STORE_OK);
	ck_assert_int_eq(stored_counter(st, "milter.messages"), 3);
	ck_assert_int_eq(stored_counter(st, "milter.questions"), 2);
	ck_assert_int_eq(stored_counter(st, "milter.passed"), -1);
	ck_assert_int_eq(stored_counter(st, "milter.optouts"), -1);
	ck_assert_int_eq(mstats_get(MSTAT_MESSAGES), 3);
	ck_assert_int_eq(mstats_get(MSTAT_OPTOUTS), 1);
	/* nothing pending: nothing added twice */
	ck_assert_int_eq(mstats_flush(st, 1000, err, sizeof(err)), STORE_OK);
	ck_assert_int_eq(stored_counter(st, "milter.messages"), 3);
	mstats_add(MSTAT_MESSAGES, 1);
	ck_assert_int_eq(mstats_flush(st, 1000, err, sizeof(err)), STORE_OK);
	ck_assert_int_eq(stored_counter(st, "milter.messages"), 4);
	mt_store_teardown(&t);
}
END_TEST

/* milter_stats_suite - the tests of this file */
static Suite *
milter_stats_suite(void)
{
	Suite  *s = suite_create("milter_stats");
	TCase  *tc = tcase_create("stats");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_stats_statistics_wait_in_memory_then_one_flush);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_stats_suite()));
}
