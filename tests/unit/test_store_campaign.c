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

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "inbound.h"
#include "store_fx.h"

static int
count_campaigns(const struct store_campaign *c, void *arg)
{
	(void) c;
	(*(int *) arg)++;
	return 0;
}



START_TEST(test_store_campaign_bounces_counted_once_per_notice_by_kind)
{
	struct store_campaign_replies r;
	struct fx f;
	char	verp[STORE_VERP_LEN + 1];
	int64_t	a, b, c, cid, other, vc, vw;
	int	counted = -1;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = fx_add_customer(f.st, "binh@example.org", "Bình", "");
	c = fx_add_customer(f.st, "cuong@example.org", "Cường", "");
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_PROMOTION, "promotion", "",
					       "{}", &cid), STORE_OK);
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_PROMOTION, "promotion", "",
					       "{}", &other), STORE_OK);
	/* the VERP token names the campaign and the customer the bounce is for */
	ck_assert_int_eq(store_verp_make(f.st, cid, b, verp, sizeof(verp)), STORE_OK);
	ck_assert_int_eq(store_verp_verify(f.st, verp, &vc, &vw), STORE_OK);
	ck_assert_int_eq(vc, cid);
	ck_assert_int_eq(vw, b);
	/* a: hard bounce, seen twice (a retry) and counted once */
	ck_assert_int_eq(store_campaign_bounce(f.st, cid, a, 1, "<dsn1@mx.example.vn>", &counted),
			 STORE_OK);
	ck_assert_int_eq(counted, 1);
	ck_assert_int_eq(store_campaign_bounce(f.st, cid, a, 1, "dsn1@mx.example.vn", &counted),
			 STORE_OK);
	ck_assert_int_eq(counted, 0);
	/* b: a delay notice, then the failure: one soft, one hard */
	ck_assert_int_eq(store_campaign_bounce(f.st, vc, vw, 0, "<dsn2@mx.example.org>", &counted),
			 STORE_OK);
	ck_assert_int_eq(counted, 1);
	ck_assert_int_eq(store_campaign_bounce(f.st, vc, vw, 1, "<dsn3@mx.example.org>", NULL),
			 STORE_OK);
	/* a notice without a Message-ID counts each time it is seen; c is another campaign's */
	ck_assert_int_eq(store_campaign_bounce(f.st, cid, a, 1, NULL, &counted), STORE_OK);
	ck_assert_int_eq(counted, 1);
	ck_assert_int_eq(store_campaign_bounce(f.st, other, c, 1, "<dsn4@x.vn>", NULL), STORE_OK);
	ck_assert_int_eq(store_campaign_bounce(f.st, 0, c, 1, "<dsn5@x.vn>", NULL), STORE_NOTFOUND);
	ck_assert_int_eq(store_campaign_bounce(f.st, cid, 0, 1, "<dsn6@x.vn>", NULL), STORE_ERR);
	ck_assert_int_eq(store_campaign_replies(f.st, cid, &r), STORE_OK);
	ck_assert_int_eq(r.bounce_hard_customers, 2);
	ck_assert_int_eq(r.bounce_soft_customers, 1);
	ck_assert_int_eq(r.question_messages + r.refusal_messages, 0);
	ck_assert_int_eq(store_campaign_replies(f.st, other, &r), STORE_OK);
	ck_assert_int_eq(r.bounce_hard_customers, 1);
	ck_assert_int_eq(r.bounce_soft_customers, 0);
	fx_teardown(&f);
}
END_TEST

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

/* The latest message of a category to a customer, outside one campaign
 * (links-sender's frequency cap): other customers, other categories and
 * the campaign itself do not count; nothing logged gives 0. */
START_TEST(test_store_msglog_last_is_per_customer_category_outside_a_campaign)
{
	struct fx f;
	int64_t	a, b;
	time_t	when;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = fx_add_customer(f.st, "binh.tran@example.vn", "Bình", "");
	ck_assert_int_eq(store_msglog_last(f.st, a, CATEGORY_PROMOTION, 0, &when), STORE_OK);
	ck_assert_int_eq(when, 0);
	ck_assert_int_eq(store_msglog_add(f.st, "p1@mail.ilinks.asia", a, CATEGORY_PROMOTION, 3),
			 STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, "p2@mail.ilinks.asia", a, CATEGORY_PROMOTION, 4),
			 STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, "m1@mail.ilinks.asia", a, CATEGORY_MAINTENANCE, 5),
			 STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, "p3@mail.ilinks.asia", b, CATEGORY_PROMOTION, 3),
			 STORE_OK);
	fx_raw_exec(&f, "UPDATE msglog SET sent = 1000 WHERE message_id = 'p1@mail.ilinks.asia'");
	fx_raw_exec(&f, "UPDATE msglog SET sent = 2000 WHERE message_id = 'p2@mail.ilinks.asia'");
	fx_raw_exec(&f, "UPDATE msglog SET sent = 9000 WHERE message_id <> 'p1@mail.ilinks.asia' "
		    "AND message_id <> 'p2@mail.ilinks.asia'");
	ck_assert_int_eq(store_msglog_last(f.st, a, CATEGORY_PROMOTION, 0, &when), STORE_OK);
	ck_assert_int_eq(when, 2000);
	ck_assert_int_eq(store_msglog_last(f.st, a, CATEGORY_PROMOTION, 4, &when), STORE_OK);
	ck_assert_int_eq(when, 1000);
	ck_assert_int_eq(store_msglog_last(f.st, b, CATEGORY_MAINTENANCE, 0, &when), STORE_OK);
	ck_assert_int_eq(when, 0);
	ck_assert_int_eq(store_msglog_last(f.st, a, CATEGORY_COUNT, 0, &when), STORE_ERR);
	fx_teardown(&f);
}
END_TEST

/* A campaign is run by one sender at a time; its lease can be renewed,
 * released, and taken over once it ran out. */
START_TEST(test_store_campaign_is_claimed_by_one_sender_at_a_time)
{
	struct fx f;
	struct store *other;
	char	err[CONF_ERR_MAX];
	int64_t	cid;

	fx_setup(&f, 1);
	other = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(other != NULL, "%s", err);
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_PROMOTION, "promo", "", "{}", &cid),
			 STORE_OK);
	ck_assert_int_eq(store_campaign_claim(f.st, cid, "mx1:100", 60), STORE_OK);
	ck_assert_int_eq(store_campaign_claim(other, cid, "mx2:200", 60), STORE_NOTFOUND);
	ck_assert_int_eq(store_campaign_claim(f.st, cid, "mx1:100", 60), STORE_OK);	/* renew */
	ck_assert_int_eq(store_campaign_release(other, cid, "mx2:200"), STORE_NOTFOUND);
	ck_assert_int_eq(store_campaign_release(f.st, cid, "mx1:100"), STORE_OK);
	ck_assert_int_eq(store_campaign_claim(other, cid, "mx2:200", 60), STORE_OK);
	/* a lease that ran out (a crashed sender) is taken over */
	fx_raw_exec(&f, "UPDATE campaigns SET lease_until = 1");
	ck_assert_int_eq(store_campaign_claim(f.st, cid, "mx1:101", 60), STORE_OK);
	ck_assert_int_eq(store_campaign_finish(f.st, cid), STORE_OK);
	ck_assert_int_eq(store_campaign_claim(f.st, cid, "mx1:101", 60), STORE_NOTFOUND);
	ck_assert_int_eq(store_campaign_claim(f.st, 9999, "mx1:101", 60), STORE_NOTFOUND);
	ck_assert_int_eq(store_campaign_claim(f.st, cid, "", 60), STORE_ERR);
	ck_assert_int_eq(store_campaign_claim(f.st, cid, "mx1", 0), STORE_ERR);
	store_close(other);
	fx_teardown(&f);
}
END_TEST

/*
 * Several senders (threads with their own connections) claim outbox
 * rows and delivery rows at once: every row is handed out exactly once.
 */
#define CLAIMERS	4
#define CLAIM_ROWS	60
#define CLAIM_BATCH	7

struct claimer {
	struct conf *conf;
	int64_t	cid;
	int	got_outbox[CLAIM_ROWS + 1];
	int	got_delivery[CLAIM_ROWS + 1];
	int	rc;
};

static void *
claim_all(void *arg)
{
	struct claimer *c = arg;
	struct store_outbox o[CLAIM_BATCH];
	struct store_delivery d[CLAIM_BATCH];
	char	err[CONF_ERR_MAX];
	struct store *st = store_open(c->conf, err, sizeof(err));
	int	n, i;

	if (st == NULL) {
		c->rc = -100;
		return (NULL);
	}
	while ((n = store_outbox_claim(st, 300, o, CLAIM_BATCH)) > 0)
		for (i = 0; i < n; i++) {
			c->got_outbox[o[i].customer_id <= CLAIM_ROWS ? o[i].customer_id : 0]++;
			store_outbox_clear(&o[i]);
		}
	if (n < 0)
		c->rc = n;
	while ((n = store_delivery_claim(st, c->cid, 300, d, CLAIM_BATCH)) > 0)
		for (i = 0; i < n; i++) {
			c->got_delivery[d[i].customer_id <= CLAIM_ROWS ? d[i].customer_id : 0]++;
			store_delivery_clear(&d[i]);
		}
	if (n < 0)
		c->rc = n;
	store_close(st);
	return (NULL);
}

START_TEST(test_store_outbox_and_deliveries_are_claimed_once)
{
	static struct claimer c[CLAIMERS];
	pthread_t th[CLAIMERS];
	struct store_outbox o[2];
	struct fx f;
	char	email[64];
	int64_t	cid, id;
	int	i, k, outbox, delivery;

	fx_setup(&f, 1);
	fx_set(f.conf, "store_busy_timeout", "20000");
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_PROMOTION, "promo", "", "{}", &cid),
			 STORE_OK);
	for (i = 1; i <= CLAIM_ROWS; i++) {
		snprintf(email, sizeof(email), "c%02d@example.vn", i);
		id = fx_add_customer(f.st, email, "C", "");
		ck_assert_int_eq(id, i);
		ck_assert_int_eq(store_outbox_add(f.st, id, "optout_confirm", NULL), STORE_OK);
		ck_assert_int_eq(store_delivery_add(f.st, cid, id, NULL, STORE_DLV_QUEUED, NULL),
				 STORE_OK);
	}
	for (i = 0; i < CLAIMERS; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].conf = f.conf;
		c[i].cid = cid;
		ck_assert_int_eq(pthread_create(&th[i], NULL, claim_all, &c[i]), 0);
	}
	for (i = 0; i < CLAIMERS; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_msg(c[i].rc == 0, "claimer %d: %d", i, c[i].rc);
	}
	for (k = 1; k <= CLAIM_ROWS; k++) {
		for (outbox = delivery = i = 0; i < CLAIMERS; i++) {
			outbox += c[i].got_outbox[k];
			delivery += c[i].got_delivery[k];
		}
		ck_assert_msg(outbox == 1, "outbox row of customer %d handed out %d times", k, outbox);
		ck_assert_msg(delivery == 1, "delivery of customer %d handed out %d times", k, delivery);
	}
	/* held rows are not handed out again; an expired lease comes back */
	ck_assert_int_eq(store_outbox_claim(f.st, 300, o, 2), 0);
	fx_raw_exec(&f, "UPDATE outbox SET lease_until = 1 WHERE customer_id = 5");
	ck_assert_int_eq(store_outbox_claim(f.st, 300, o, 2), 1);
	ck_assert_int_eq(o[0].customer_id, 5);
	ck_assert_int_eq(store_outbox_done(f.st, o[0].id, 1, ""), STORE_OK);
	store_outbox_clear(&o[0]);
	fx_raw_exec(&f, "UPDATE outbox SET lease_until = 1 WHERE customer_id = 5");
	ck_assert_int_eq(store_outbox_claim(f.st, 300, o, 2), 0);	/* sent: never again */
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
	tcase_add_test(tc, test_store_campaign_bounces_counted_once_per_notice_by_kind);
	tcase_add_test(tc, test_store_msglog_last_is_per_customer_category_outside_a_campaign);
	tcase_add_test(tc, test_store_campaign_is_claimed_by_one_sender_at_a_time);
	tcase_add_test(tc, test_store_outbox_and_deliveries_are_claimed_once);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
