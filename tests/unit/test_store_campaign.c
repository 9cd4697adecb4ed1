/*
 * NAME
 *	test_store_campaign 1
 * SUMMARY
 *	unit tests of store/campaign_store.c
 * SYNOPSIS
 *	unit/test_store_campaign
 * DESCRIPTION
 *	Campaigns, delivery rows (idempotent per customer), the message log.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store_fx.h"

static int
count_campaigns(const struct store_campaign *c, void *arg)
{
	(void) c;
	(*(int *) arg)++;
	return 0;
}



START_TEST(test_store_campaign_and_delivery_rows)
{
	struct fx f;
	struct store_campaign c;
	struct store_delivery d[8];
	struct store_msglog m;
	long	counts[4];
	int64_t	cid, a, b, x;
	int	n, i, ncamp = 0;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = fx_add_customer(f.st, "binh.tran@example.vn", "Bình", "");
	x = fx_add_customer(f.st, "x@example.com", "X", "");
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_MAINTENANCE, "maintenance",
					       "service_type=vps", "{\"date\":\"2026-12-01\"}", &cid),
			 STORE_OK);
	ck_assert_int_eq(store_campaign_get(f.st, cid, &c), STORE_OK);
	ck_assert_int_eq(c.category, CATEGORY_MAINTENANCE);
	ck_assert_str_eq(c.audience, "service_type=vps");
	ck_assert_int_eq(c.finished, 0);
	store_campaign_clear(&c);
	ck_assert_int_eq(store_delivery_add(f.st, cid, a, "<m1@mail.ilinks.asia>", STORE_DLV_QUEUED,
					    NULL), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, b, "m2@mail.ilinks.asia", STORE_DLV_QUEUED,
					    NULL), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, x, "m3@mail.ilinks.asia", STORE_DLV_SKIPPED,
					    "opted out"), STORE_OK);
	/* a second add for the same (campaign, customer) changes nothing */
	ck_assert_int_eq(store_delivery_add(f.st, cid, a, "other@mail.ilinks.asia",
					    STORE_DLV_QUEUED, NULL), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, a, "m4@x", STORE_DLV_SENT, NULL), STORE_ERR);
	n = store_delivery_queued(f.st, cid, 0, d, 1);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(d[0].message_id, "m1@mail.ilinks.asia");
	ck_assert_int_eq(d[0].customer_id, a);
	n = store_delivery_queued(f.st, cid, d[0].id, d + 1, 8);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(d[1].message_id, "m2@mail.ilinks.asia");
	ck_assert_int_eq(store_delivery_set(f.st, d[0].id, STORE_DLV_SENT, NULL), STORE_OK);
	ck_assert_int_eq(store_delivery_set(f.st, d[1].id, STORE_DLV_FAILED, "550 no such user"),
			 STORE_OK);
	ck_assert_int_eq(store_delivery_set(f.st, 99999, STORE_DLV_SENT, NULL), STORE_NOTFOUND);
	for (i = 0; i < 2; i++)
		store_delivery_clear(&d[i]);
	ck_assert_int_eq(store_delivery_queued(f.st, cid, 0, d, 8), 0);
	ck_assert_int_eq(store_delivery_counts(f.st, cid, counts), STORE_OK);
	ck_assert_int_eq(counts[STORE_DLV_QUEUED], 0);
	ck_assert_int_eq(counts[STORE_DLV_SENT], 1);
	ck_assert_int_eq(counts[STORE_DLV_FAILED], 1);
	ck_assert_int_eq(counts[STORE_DLV_SKIPPED], 1);
	ck_assert_int_eq(store_campaign_finish(f.st, cid), STORE_OK);
	ck_assert_int_eq(store_campaign_each(f.st, count_campaigns, &ncamp), STORE_OK);
	ck_assert_int_eq(ncamp, 1);
	/* message log, with or without angle brackets */
	ck_assert_int_eq(store_msglog_add(f.st, "<m1@mail.ilinks.asia>", a, CATEGORY_MAINTENANCE,
					  cid), STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, "m1@mail.ilinks.asia", a, CATEGORY_MAINTENANCE,
					  cid), STORE_OK);
	ck_assert_int_eq(store_msglog_find(f.st, "m1@mail.ilinks.asia", &m), STORE_OK);
	ck_assert_int_eq(m.customer_id, a);
	ck_assert_int_eq(m.campaign_id, cid);
	ck_assert_int_eq(store_msglog_find(f.st, " <m1@mail.ilinks.asia> ", &m), STORE_OK);
	ck_assert_int_eq(store_msglog_find(f.st, "<nope@x>", &m), STORE_NOTFOUND);
	ck_assert_int_eq(store_msglog_find(f.st, "garbage", &m), STORE_NOTFOUND);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_campaign");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_campaign_and_delivery_rows);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
