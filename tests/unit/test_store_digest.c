/*
 * NAME
 *	test_store_digest 1
 * SUMMARY
 *	unit tests of store/digest_store.c and the hourly counters of store/counter.c
 * SYNOPSIS
 *	unit/test_store_digest
 * DESCRIPTION
 *	What the daily support digest reads: a counter's additions within
 *	a window of hours (and nothing outside it, nothing of a rolled-back
 *	transaction), the addresses whose last bounce lies in a window
 *	with their customer. Each test makes its own store (store_fx.h):
 *	SQLite, or PostgreSQL when LINKS_TEST_PG_CONNINFO is set
 *	(tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "digest_store.h"
#include "store_fx.h"

#define HOUR		3600
#define DAY		86400

/* hour_start - the start of the current UTC hour */
static time_t
hour_start(void)
{
	time_t	now = time(NULL);

	return (now - now % HOUR);
}

/* total - the running total of counter NAME */
static int
total_cb(const char *name, long value, void *arg)
{
	long   *out = arg;

	if (strcmp(name, "milter.questions") == 0)
		*out = value;
	return (0);
}

START_TEST(test_store_counter_window_counts_the_hours_inside_only)
{
	struct fx f;
	long	sum = -1, tot = 0;
	time_t	h;

	fx_setup(&f, 1);
	ck_assert_int_eq(store_counter_add(f.st, "milter.questions", 2), STORE_OK);
	ck_assert_int_eq(store_counter_add(f.st, "milter.questions", 3), STORE_OK);
	ck_assert_int_eq(store_counter_add(f.st, "milter.unverified", 7), STORE_OK);
	h = hour_start();
	/* the wide window survives an hour boundary between add and read */
	ck_assert_int_eq(store_counter_window(f.st, "milter.questions", h - HOUR, h + 2 * HOUR,
					      &sum), STORE_OK);
	ck_assert_int_eq(sum, 5);
	ck_assert_int_eq(store_counter_window(f.st, "milter.unverified", h - HOUR, h + 2 * HOUR,
					      &sum), STORE_OK);
	ck_assert_int_eq(sum, 7);
	/* yesterday, and a counter never added: 0 */
	ck_assert_int_eq(store_counter_window(f.st, "milter.questions", h - DAY - HOUR, h - HOUR,
					      &sum), STORE_OK);
	ck_assert_int_eq(sum, 0);
	ck_assert_int_eq(store_counter_window(f.st, "milter.routed", h - HOUR, h + 2 * HOUR, &sum),
			 STORE_OK);
	ck_assert_int_eq(sum, 0);
	/* moved a day back (as a test would age a store), out of today's window */
	fx_raw_exec(&f, "UPDATE counter_hours SET hour = hour - 86400");
	ck_assert_int_eq(store_counter_window(f.st, "milter.questions", h - HOUR, h + 2 * HOUR,
					      &sum), STORE_OK);
	ck_assert_int_eq(sum, 0);
	ck_assert_int_eq(store_counter_window(f.st, "milter.questions", h - DAY - HOUR,
					      h - DAY + 2 * HOUR, &sum), STORE_OK);
	ck_assert_int_eq(sum, 5);
	/* the running total is unchanged by all this */
	ck_assert_int_eq(store_counter_each(f.st, total_cb, &tot), STORE_OK);
	ck_assert_int_eq(tot, 5);
	ck_assert_int_eq(store_counter_window(f.st, "", h, h + HOUR, &sum), STORE_ERR);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_counter_hour_rolls_back_with_the_callers_transaction)
{
	struct fx f;
	long	sum = -1, tot = -1;
	time_t	h = hour_start();

	fx_setup(&f, 1);
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	ck_assert_int_eq(store_counter_add(f.st, "milter.questions", 4), STORE_OK);
	ck_assert_int_eq(store_rollback(f.st), STORE_OK);
	ck_assert_int_eq(store_counter_window(f.st, "milter.questions", h - HOUR, h + 2 * HOUR,
					      &sum), STORE_OK);
	ck_assert_int_eq(sum, 0);
	tot = 0;
	ck_assert_int_eq(store_counter_each(f.st, total_cb, &tot), STORE_OK);
	ck_assert_int_eq(tot, 0);
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	ck_assert_int_eq(store_counter_add(f.st, "milter.questions", 4), STORE_OK);
	ck_assert_int_eq(store_commit(f.st), STORE_OK);
	ck_assert_int_eq(store_counter_window(f.st, "milter.questions", h - HOUR, h + 2 * HOUR,
					      &sum), STORE_OK);
	ck_assert_int_eq(sum, 4);
	fx_teardown(&f);
}
END_TEST

/* What store_digest_bounces() gave. */
struct seen {
	int	n;
	int64_t id[4];
	char	email[4][64];
	long	count[4];
	int	undeliverable[4];
};

static int
seen_cb(const struct store_digest_bounce *b, void *arg)
{
	struct seen *s = arg;

	if (s->n < 4) {
		s->id[s->n] = b->customer_id;
		snprintf(s->email[s->n], sizeof(s->email[0]), "%s", b->email);
		s->count[s->n] = b->count;
		s->undeliverable[s->n] = b->undeliverable;
	}
	s->n++;
	return (0);
}

START_TEST(test_store_digest_bounces_of_the_window_with_their_customer)
{
	struct fx f;
	struct seen s;
	time_t	now;
	int64_t an;
	int	i, count;

	fx_setup(&f, 1);	/* bounce_threshold 3 (the default) */
	an = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(store_bounce_record(f.st, "An.Nguyen@example.vn", &count), STORE_OK);
	ck_assert_int_eq(store_bounce_record(f.st, "gone@example.org", &count), STORE_OK);
	now = time(NULL);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(store_digest_bounces(f.st, now - DAY, now + HOUR, seen_cb, &s), STORE_OK);
	ck_assert_int_eq(s.n, 2);
	for (i = 0; i < 2; i++) {
		if (s.id[i] == an) {
			ck_assert_str_eq(s.email[i], "an.nguyen@example.vn");
			ck_assert_int_eq(s.count[i], 3);
			ck_assert_int_eq(s.undeliverable[i], 1);
		} else {
			ck_assert_int_eq(s.id[i], 0);	/* no customer has that address */
			ck_assert_str_eq(s.email[i], "");
			ck_assert_int_eq(s.count[i], 1);
			ck_assert_int_eq(s.undeliverable[i], 0);
		}
	}
	/* two days back: out of today's window, in that day's */
	fx_raw_exec(&f, "UPDATE bounces SET last = last - 172800");
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(store_digest_bounces(f.st, now - DAY, now + HOUR, seen_cb, &s), STORE_OK);
	ck_assert_int_eq(s.n, 0);
	ck_assert_int_eq(store_digest_bounces(f.st, now - 3 * DAY, now - DAY, seen_cb, &s),
			 STORE_OK);
	ck_assert_int_eq(s.n, 2);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_digest");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_counter_window_counts_the_hours_inside_only);
	tcase_add_test(tc, test_store_counter_hour_rolls_back_with_the_callers_transaction);
	tcase_add_test(tc, test_store_digest_bounces_of_the_window_with_their_customer);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
