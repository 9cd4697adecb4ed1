/*
 * NAME
 *	test_expand_pool 1
 * SUMMARY
 *	unit tests of sender/expand_pool.c: deciding on threads, taking in order
 * SYNOPSIS
 *	test_expand_pool
 * DESCRIPTION
 *	expand_pool_run() over lists longer than its chunks, with the
 *	fixture's store (each thread opens its own connection): every
 *	verdict taken once, in the order of the list, each from a read of
 *	the store; an error verdict stops it with the verdicts before it
 *	taken and none after; a take that fails stops it; the deciding
 *	never runs more than the window ahead of the taking; delivery_stop
 *	interrupts it. Then a campaign of a few hundred customers, whose
 *	expansion goes through the pool, records the rows one thread
 *	records: one per customer in the order of the ids, the same skip
 *	reasons.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "campaign.h"
#include "expand_pool.h"
#include "sender_fixture.h"
#include "store.h"
#include "unit.h"

#define LIST_N		(EXPAND_POOL_CHUNK * EXPAND_POOL_WINDOW * 3 + 17)	/* several windows, a partial chunk */
#define CAMPAIGN_N	300		/* customers of the campaign test, past the inline limit */

struct probe {
	int64_t *ids;			/* the list */
	int64_t *taken;			/* what take() saw, in order */
	size_t	ntaken;
	atomic_size_t decided;		/* decide() calls */
	atomic_size_t ahead_max;	/* the furthest decide() ran ahead of the taking */
	atomic_size_t ntaken_now;	/* ntaken, for the threads */
	int64_t error_at;		/* decide() fails at this id (0: never) */
	int64_t take_fail_at;		/* take() fails at this id (0: never) */
	int64_t stop_at;		/* take() sets delivery_stop at this id (0: never) */
	int	store_read_ok;		/* every decide() could read the store */
};

/* position - where ID is in the list */
static size_t
position(const struct probe *p, int64_t id)
{
	return ((size_t) (id - p->ids[0]));
}

/* probe_decide - a verdict from ID alone, after a real read of the store */
static void
probe_decide(void *arg, struct store *st, int64_t id, struct expand_verdict *v)
{
	struct probe *p = arg;
	long	n[4];
	size_t	ahead = position(p, id) - atomic_load(&p->ntaken_now), prev;

	if (store_delivery_counts(st, 1, n) != STORE_OK)
		p->store_read_ok = 0;
	atomic_fetch_add(&p->decided, 1);
	prev = atomic_load(&p->ahead_max);
	while (ahead > prev && !atomic_compare_exchange_weak(&p->ahead_max, &prev, ahead))
		;
	snprintf(v->mid, sizeof(v->mid), "m%lld@example.vn", (long long) id);
	if (id == p->error_at) {
		v->rv = EXPAND_POOL_ERROR;
		v->ex = EX_DATAERR;
		snprintf(v->err, sizeof(v->err), "customer %lld: broken", (long long) id);
	} else if (id % 5 == 0) {
		v->rv = EXPAND_POOL_SKIP;
		snprintf(v->reason, sizeof(v->reason), "five %lld", (long long) id);
	} else
		v->rv = id % 7 == 0 ? EXPAND_POOL_OUT : EXPAND_POOL_QUEUE;
}

/* probe_take - keep what was taken; check it is what decide() said */
static int
probe_take(void *arg, const struct expand_verdict *v)
{
	struct probe *p = arg;
	char	mid[COMPOSE_ID_MAX], reason[64];

	snprintf(mid, sizeof(mid), "m%lld@example.vn", (long long) v->id);
	ck_assert_str_eq(v->mid, mid);
	if (v->id % 5 == 0) {
		snprintf(reason, sizeof(reason), "five %lld", (long long) v->id);
		ck_assert_int_eq(v->rv, EXPAND_POOL_SKIP);
		ck_assert_str_eq(v->reason, reason);
	} else
		ck_assert_int_eq(v->rv, v->id % 7 == 0 ? EXPAND_POOL_OUT : EXPAND_POOL_QUEUE);
	if (v->id == p->take_fail_at)
		return (EX_TEMPFAIL);
	if (v->id == p->stop_at)
		delivery_stop = 1;
	p->taken[p->ntaken++] = v->id;
	atomic_store(&p->ntaken_now, p->ntaken);
	return (EX_OK);
}

/* probe_new - a list of LIST_N ids from 1000 */
static void
probe_new(struct probe *p)
{
	size_t	i;

	memset(p, 0, sizeof(*p));
	p->ids = calloc(LIST_N, sizeof(*p->ids));
	p->taken = calloc(LIST_N, sizeof(*p->taken));
	ck_assert(p->ids != NULL && p->taken != NULL);
	for (i = 0; i < LIST_N; i++)
		p->ids[i] = 1000 + (int64_t) i;
	p->store_read_ok = 1;
	delivery_stop = 0;
}

/* probe_run - expand_pool_run() over the probe's list */
static int
probe_run(struct fixture *f, struct probe *p, char *err, size_t errlen)
{
	struct expand_pool_fns fns = {p, probe_decide, probe_take};

	err[0] = 0;
	return (expand_pool_run(f->conf, p->ids, LIST_N, &fns, err, errlen));
}

/* probe_free - free the lists */
static void
probe_free(struct probe *p)
{
	free(p->ids);
	free(p->taken);
	delivery_stop = 0;
}

START_TEST(test_expand_pool_takes_every_verdict_once_in_order)
{
	struct fixture f;
	struct probe p;
	char	err[EXPAND_POOL_ERR_MAX];
	size_t	i;

	fixture_open(&f);
	probe_new(&p);
	ck_assert_int_ge(expand_pool_threads(LIST_N), 1);
	ck_assert_int_eq(expand_pool_threads(EXPAND_POOL_CHUNK), 0);
	ck_assert_int_eq(probe_run(&f, &p, err, sizeof(err)), EX_OK);
	ck_assert_int_eq(p.ntaken, LIST_N);
	for (i = 0; i < LIST_N; i++)
		ck_assert_int_eq(p.taken[i], p.ids[i]);
	ck_assert_int_eq(atomic_load(&p.decided), LIST_N);
	ck_assert(p.store_read_ok);
	/* The deciding stays within the window of the taking. */
	ck_assert_uint_lt(atomic_load(&p.ahead_max), EXPAND_POOL_CHUNK * EXPAND_POOL_WINDOW);
	probe_free(&p);
	fixture_close(&f);
}
END_TEST

START_TEST(test_expand_pool_error_stops_after_the_verdicts_before_it)
{
	struct fixture f;
	struct probe p;
	char	err[EXPAND_POOL_ERR_MAX];
	size_t	i, at = EXPAND_POOL_CHUNK * 5 + 3;

	fixture_open(&f);
	probe_new(&p);
	p.error_at = p.ids[at];
	ck_assert_int_eq(probe_run(&f, &p, err, sizeof(err)), EX_DATAERR);
	ck_assert_str_eq(err, "customer 1323: broken");
	ck_assert_int_eq(p.ntaken, at);
	for (i = 0; i < at; i++)
		ck_assert_int_eq(p.taken[i], p.ids[i]);
	/* The threads stopped: nothing like the whole list was decided. */
	ck_assert_uint_lt(atomic_load(&p.decided), at + EXPAND_POOL_CHUNK * (EXPAND_POOL_WINDOW + 1));
	probe_free(&p);
	fixture_close(&f);
}
END_TEST

START_TEST(test_expand_pool_failed_take_stops_it)
{
	struct fixture f;
	struct probe p;
	char	err[EXPAND_POOL_ERR_MAX];
	size_t	at = EXPAND_POOL_CHUNK * 2 + 1;

	fixture_open(&f);
	probe_new(&p);
	p.take_fail_at = p.ids[at];
	ck_assert_int_eq(probe_run(&f, &p, err, sizeof(err)), EX_TEMPFAIL);
	ck_assert_int_eq(p.ntaken, at);
	probe_free(&p);
	fixture_close(&f);
}
END_TEST

START_TEST(test_expand_pool_stops_when_interrupted)
{
	struct fixture f;
	struct probe p;
	char	err[EXPAND_POOL_ERR_MAX];
	size_t	at = EXPAND_POOL_CHUNK + 9;

	fixture_open(&f);
	probe_new(&p);
	p.stop_at = p.ids[at];
	ck_assert_int_eq(probe_run(&f, &p, err, sizeof(err)), EX_TEMPFAIL);
	ck_assert_str_eq(err, "interrupted");
	ck_assert_int_eq(p.ntaken, at + 1);
	probe_free(&p);
	fixture_close(&f);
}
END_TEST

/* add_customers - N more customers with an active vps contract; every 10th refused promotions */
static void
add_customers(struct fixture *f, int n, int64_t *refused, int *nrefused)
{
	char	email[64], ref[32];
	int64_t	id;
	int	i;

	*nrefused = 0;
	for (i = 0; i < n; i++) {
		snprintf(email, sizeof(email), "many%03d@example.vn", i);
		snprintf(ref, sizeof(ref), "VPS-M%03d", i);
		ck_assert_int_eq(store_customer_upsert(f->st, email, "Khách hàng", "",
						       STORE_SRC_PORTAL, &id, NULL), 0);
		ck_assert_int_eq(store_contract_upsert(f->st, id, "vps", ref, STORE_CONTRACT_ACTIVE,
						       1700000000, 0, NULL), 0);
		if (i % 10 == 0) {
			ck_assert_int_eq(store_optout(f->st, id, CATEGORY_PROMOTION, STORE_CH_STAFF,
						      "test", NULL), 0);
			refused[(*nrefused)++] = id;
		}
	}
}

START_TEST(test_expand_pool_campaign_of_many_records_a_row_each_in_order)
{
	struct fixture f;
	struct campaign_opts o;
	struct store_delivery d[DELIVERY_FETCH_MAX];
	int64_t	refused[CAMPAIGN_N], after = 0, last = 0;
	long	n[4];
	int	nrefused, got, i, j, total = 0, skipped_seen = 0;

	fixture_open(&f);
	add_customers(&f, CAMPAIGN_N, refused, &nrefused);
	memset(&o, 0, sizeof(o));
	o.template_name = "promotion";
	o.aud.cat = CATEGORY_PROMOTION;
	o.all = 1;
	o.set[o.nset++] = "offer=Giảm 20%";
	o.set[o.nset++] = "until=2026-12-31";
	o.set[o.nset++] = "url=https://ilinks.asia/km";
	o.run.transport = -1;
	o.run.rate = -1;
	o.run.retry_delay = -1;
	o.run.progress = PROGRESS_OFF;
	o.not_before = time(NULL) + 86400;	/* created, not sent */
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_OK);
	ck_assert_int_eq(store_delivery_counts(f.st, 1, n), STORE_OK);
	/* The fixture's five: a, b queued; cc, d, e skipped. */
	ck_assert_int_eq(n[STORE_DLV_QUEUED], CAMPAIGN_N - nrefused + 2);
	ck_assert_int_eq(n[STORE_DLV_SKIPPED], nrefused + 3);
	/* Queued rows: one per customer, in the order of the customers' ids. */
	while ((got = store_delivery_queued(f.st, 1, after, d, DELIVERY_FETCH_MAX)) > 0) {
		for (i = 0; i < got; i++) {
			ck_assert_int_gt(d[i].customer_id, last);
			last = d[i].customer_id;
			for (j = 0; j < nrefused; j++)
				skipped_seen += refused[j] == d[i].customer_id;
			after = d[i].id;
			store_delivery_clear(&d[i]);
			total++;
		}
	}
	ck_assert_int_eq(got, 0);
	ck_assert_int_eq(total, n[STORE_DLV_QUEUED]);
	ck_assert_int_eq(skipped_seen, 0);
	fixture_close(&f);
}
END_TEST

/* expand_pool_suite - the tests */
static Suite *
expand_pool_suite(void)
{
	Suite  *s = suite_create("test_expand_pool");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_expand_pool_takes_every_verdict_once_in_order);
	tcase_add_test(tc, test_expand_pool_error_stops_after_the_verdicts_before_it);
	tcase_add_test(tc, test_expand_pool_failed_take_stops_it);
	tcase_add_test(tc, test_expand_pool_stops_when_interrupted);
	tcase_add_test(tc, test_expand_pool_campaign_of_many_records_a_row_each_in_order);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(expand_pool_suite()));
}
