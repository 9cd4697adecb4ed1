/*
 * NAME
 *	test_report 1
 * SUMMARY
 *	unit tests of links-sender status (sender/report.c)
 * SYNOPSIS
 *	test_report
 * DESCRIPTION
 *	The list of campaigns and one campaign's report, read from a real
 *	store, written to a file and read back.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "report.h"
#include "sender_fixture.h"
#include "unit.h"

/* status_text - report_status() of campaign ID as text (static); *EX its status */
static const char *
status_text(struct fixture *f, int64_t id, int *ex)
{
	static char buf[8192];
	FILE   *fp = tmpfile();
	size_t	n;

	ck_assert_ptr_nonnull(fp);
	*ex = report_status(f->conf, id, fp);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = 0;
	fclose(fp);
	return (buf);
}

START_TEST(test_report_lists_campaigns_with_counts)
{
	struct fixture f;
	int64_t cid;
	const char *s;
	int	ex;

	fixture_open(&f);
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_MAINTENANCE, "maintenance",
					       "all customers; service_type=vps", "{}", &cid), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, f.a, "1@ilinks.asia", STORE_DLV_QUEUED, ""),
			 STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, f.d, "2@ilinks.asia", STORE_DLV_SKIPPED,
					    "undeliverable address"), STORE_OK);
	s = status_text(&f, 0, &ex);
	ck_assert_int_eq(ex, EX_OK);
	ck_assert_ptr_nonnull(strstr(s, "category"));
	ck_assert_ptr_nonnull(strstr(s, "maintenance"));
	ck_assert_ptr_nonnull(strstr(s, "open"));
	s = status_text(&f, cid, &ex);
	ck_assert_int_eq(ex, EX_OK);
	ck_assert_ptr_nonnull(strstr(s, "audience: all customers; service_type=vps"));
	ck_assert_ptr_nonnull(strstr(s, "refusals in reply: 0 customers (0 messages)"));
	ck_assert_ptr_nonnull(strstr(s, "questions in reply: 0 customers (0 messages)"));
	ck_assert_ptr_nonnull(strstr(s, "bounced: 0 customers hard, 0 soft"));
	s = status_text(&f, 99, &ex);
	ck_assert_int_eq(ex, EX_NOINPUT);
	fixture_close(&f);
}
END_TEST

START_TEST(test_report_counts_refusals_and_questions_received_in_reply)
{
	struct fixture f;
	int64_t cid, other;
	const char *s;
	int	ex, changed, counted;

	fixture_open(&f);
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_PROMOTION, "promotion", "all customers",
					       "{\"subject\":\"Ưu đãi tháng 12\"}", &cid), STORE_OK);
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_PROMOTION, "promotion", "all customers",
					       "{}", &other), STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, "c1a@ilinks.asia", f.a, CATEGORY_PROMOTION, cid),
			 STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, "c1d@ilinks.asia", f.d, CATEGORY_PROMOTION, cid),
			 STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, "c2a@ilinks.asia", f.a, CATEGORY_PROMOTION, other),
			 STORE_OK);
	/* A refuses in reply to the campaign (one reply, two categories: one message). */
	ck_assert_int_eq(store_optout(f.st, f.a, -1, STORE_CH_REPLY,
				      "msgid msgid=<r1@example.vn> ref=<c1a@ilinks.asia> rule=command",
				      &changed), STORE_OK);
	/* D asks twice, the second question seen twice (a Postfix retry): two messages. */
	ck_assert_int_eq(store_campaign_question(f.st, "<c1d@ilinks.asia>", "q1@example.com", f.d,
						 &counted), STORE_OK);
	ck_assert_int_eq(store_campaign_question(f.st, "c1d@ilinks.asia", "q2@example.com", f.d,
						 &counted), STORE_OK);
	ck_assert_int_eq(store_campaign_question(f.st, "c1d@ilinks.asia", "q2@example.com", f.d,
						 &counted), STORE_OK);
	ck_assert_int_eq(counted, 0);
	/* A question about the other campaign is not this one's. */
	ck_assert_int_eq(store_campaign_question(f.st, "c2a@ilinks.asia", "q3@example.vn", f.a,
						 &counted), STORE_OK);
	/* A's message bounced (5.1.1), D's was delayed; the other campaign: none. */
	ck_assert_int_eq(store_campaign_bounce(f.st, cid, f.a, 1, "<dsn1@mx.example.vn>", NULL),
			 STORE_OK);
	ck_assert_int_eq(store_campaign_bounce(f.st, cid, f.d, 0, "<dsn2@mx.example.vn>", NULL),
			 STORE_OK);
	s = status_text(&f, cid, &ex);
	ck_assert_int_eq(ex, EX_OK);
	ck_assert_ptr_nonnull(strstr(s, "refusals in reply: 1 customer (1 message)"));
	ck_assert_ptr_nonnull(strstr(s, "questions in reply: 1 customer (2 messages)"));
	ck_assert_ptr_nonnull(strstr(s, "bounced: 1 customer hard, 1 soft"));
	s = status_text(&f, other, &ex);
	ck_assert_ptr_nonnull(strstr(s, "bounced: 0 customers hard, 0 soft"));
	ck_assert_ptr_nonnull(strstr(s, "refusals in reply: 0 customers (0 messages)"));
	ck_assert_ptr_nonnull(strstr(s, "questions in reply: 1 customer (1 message)"));
	fixture_close(&f);
}
END_TEST

/* report_suite - the tests of sender/report.c */
static Suite *
report_suite(void)
{
	Suite  *s = suite_create("report");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_report_lists_campaigns_with_counts);
	tcase_add_test(tc, test_report_counts_refusals_and_questions_received_in_reply);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(report_suite()));
}
