/*
 * NAME
 *	test_audience 1
 * SUMMARY
 *	unit tests of who gets a campaign, who is skipped and why (sender/audience.c)
 * SYNOPSIS
 *	test_audience
 * DESCRIPTION
 *	Check tests, against a real store in a temporary directory where
 *	a store is needed (sender_fixture.h).
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "audience.h"
#include "conf.h"
#include "sender_fixture.h"
#include "store.h"
#include "unit.h"

/* decide - the decision for customer ID: AUDIENCE_* and the reason */
static int
decide(struct fixture *f, const struct audience *a, int64_t id, char *reason, size_t rlen,
       char *service_ref, size_t slen)
{
	struct store_customer c;
	struct store_contract k;
	int	r;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_customer_get(f->st, id, &c), STORE_OK);
	r = audience_check(f->st, a, &c, &k, reason, rlen);
	if (service_ref)
		snprintf(service_ref, slen, "%s", k.ref ? k.ref : "");
	store_contract_clear(&k);
	store_customer_clear(&c);
	return (r);
}

START_TEST(test_audience_maintenance_reaches_only_active_service_type)
{
	struct fixture f;
	struct audience a = {.cat = CATEGORY_MAINTENANCE, .service_type = "vps"};
	char	why[AUDIENCE_REASON_MAX], ref[64];
	int64_t *ids;
	size_t	n, i, sent = 0;
	char	err[256];

	fixture_open(&f);
	ck_assert_int_eq(audience_select(f.st, &a, &ids, &n, err, sizeof(err)), 0);
	ck_assert_int_eq(n, 5);
	for (i = 0; i < n; i++) {
		int	r = decide(&f, &a, ids[i], why, sizeof(why), ref, sizeof(ref));

		if (ids[i] == f.a || ids[i] == f.cc) {
			/* Maintenance is transactional: c's refusal of promotions does not count. */
			ck_assert_int_eq(r, AUDIENCE_SEND);
			ck_assert_str_eq(ref, ids[i] == f.a ? "VPS-A" : "VPS-C");
			sent++;
		} else if (ids[i] == f.b || ids[i] == f.e)
			ck_assert_int_eq(r, AUDIENCE_OUT);	/* ended vps, or no vps at all */
		else {
			ck_assert_int_eq(r, AUDIENCE_SKIP);
			ck_assert_str_eq(why, "undeliverable address");
		}
	}
	ck_assert_int_eq(sent, 2);
	free(ids);
	/* Addressed explicitly, a customer without the service is skipped with the reason. */
	a.to = "B@Example.VN";
	ck_assert_int_eq(audience_select(f.st, &a, &ids, &n, err, sizeof(err)), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ids[0], f.b);
	ck_assert_int_eq(decide(&f, &a, f.b, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	ck_assert_str_eq(why, "no active vps contract");
	free(ids);
	fixture_close(&f);
}
END_TEST

START_TEST(test_audience_refusable_skips_refused_suppressed_undeliverable)
{
	struct fixture f;
	struct audience a = {.cat = CATEGORY_PROMOTION};
	char	why[AUDIENCE_REASON_MAX];

	fixture_open(&f);
	ck_assert_int_eq(decide(&f, &a, f.a, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
	ck_assert_int_eq(decide(&f, &a, f.b, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
	ck_assert_int_eq(decide(&f, &a, f.cc, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	ck_assert_str_eq(why, "refused promotion");
	ck_assert_int_eq(decide(&f, &a, f.d, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	ck_assert_str_eq(why, "undeliverable address");
	ck_assert_int_eq(decide(&f, &a, f.e, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	/* Survey: c refused only promotions, so c gets surveys; e refused all. */
	a.cat = CATEGORY_SURVEY;
	ck_assert_int_eq(decide(&f, &a, f.cc, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
	ck_assert_int_eq(decide(&f, &a, f.e, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	ck_assert_int_eq(strncmp(why, "refused", 7) == 0 || strcmp(why, "suppressed") == 0, 1);
	fixture_close(&f);
}
END_TEST

START_TEST(test_audience_transactional_ignores_refusal_not_undeliverable)
{
	struct fixture f;
	enum category cats[] = {CATEGORY_ACCOUNT, CATEGORY_ANSWER, CATEGORY_STAFF};
	char	why[AUDIENCE_REASON_MAX];
	size_t	i;

	fixture_open(&f);
	for (i = 0; i < 3; i++) {
		struct audience a = {.cat = cats[i], .to = "e@example.vn"};

		ck_assert_int_eq(decide(&f, &a, f.e, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
		ck_assert_int_eq(decide(&f, &a, f.cc, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
		ck_assert_int_eq(decide(&f, &a, f.d, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
		ck_assert_str_eq(why, "undeliverable address");
	}
	fixture_close(&f);
}
END_TEST

START_TEST(test_audience_unknown_address_is_an_error)
{
	struct fixture f;
	struct audience a = {.cat = CATEGORY_ACCOUNT, .to = "nobody@example.vn"};
	int64_t *ids;
	size_t	n;
	char	err[256];

	fixture_open(&f);
	ck_assert_int_eq(audience_select(f.st, &a, &ids, &n, err, sizeof(err)), -1);
	ck_assert_ptr_null(strstr(err, "nobody"));
	fixture_close(&f);
}
END_TEST

START_TEST(test_audience_customers_file_dedups_and_names_bad_lines)
{
	struct fixture f;
	struct audience a = {.cat = CATEGORY_ACCOUNT};
	char	path[512], err[512];
	int64_t *ids;
	size_t	n;
	FILE   *fp;

	fixture_open(&f);
	snprintf(path, sizeof(path), "%s/list.csv", tmpdir);
	fp = fopen(path, "w");
	fprintf(fp, "email,name\n# comment\nc@example.vn,x\nA@example.vn\n\"c@example.vn\"\n%lld\n",
		(long long) f.b);
	fclose(fp);
	a.customers_file = path;
	ck_assert_msg(audience_select(f.st, &a, &ids, &n, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(ids[0], f.cc);
	ck_assert_int_eq(ids[1], f.a);
	ck_assert_int_eq(ids[2], f.b);
	free(ids);
	fp = fopen(path, "a");
	fprintf(fp, "stranger@example.vn\n");
	fclose(fp);
	ck_assert_int_eq(audience_select(f.st, &a, &ids, &n, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "list.csv:7:"));
	fixture_close(&f);
}
END_TEST

START_TEST(test_audience_promotion_frequency_cap)
{
	struct fixture f;
	struct audience a;
	char	why[AUDIENCE_REASON_MAX], err[256];

	fixture_open(&f);
	memset(&a, 0, sizeof(a));
	a.cat = CATEGORY_PROMOTION;
	a.conf = f.conf;
	a.campaign_id = 6;
	ck_assert_int_eq(decide(&f, &a, f.a, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
	/* Campaign 5 sent a promotion to a a moment ago. */
	ck_assert_int_eq(store_msglog_add(f.st, "p5@ilinks.asia", f.a, CATEGORY_PROMOTION, 5), 0);
	ck_assert_int_eq(decide(&f, &a, f.a, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	ck_assert_str_eq(why, "got a promotion 0 h ago (promotion_min_interval 72 h)");
	/* Its own message does not count (a resend of campaign 5). */
	a.campaign_id = 5;
	ck_assert_int_eq(decide(&f, &a, f.a, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
	a.campaign_id = 6;
	/* Other categories are not capped; 0 turns the cap off. */
	a.cat = CATEGORY_SURVEY;
	ck_assert_int_eq(decide(&f, &a, f.a, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
	a.cat = CATEGORY_PROMOTION;
	ck_assert_int_eq(conf_set(f.conf, "promotion_min_interval", "0", err, sizeof(err)), 0);
	ck_assert_int_eq(decide(&f, &a, f.a, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
	fixture_close(&f);
}
END_TEST

/* audience_suite - the tests of sender/audience.c */
static Suite *
audience_suite(void)
{
	Suite  *s = suite_create("audience");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_audience_maintenance_reaches_only_active_service_type);
	tcase_add_test(tc, test_audience_refusable_skips_refused_suppressed_undeliverable);
	tcase_add_test(tc, test_audience_transactional_ignores_refusal_not_undeliverable);
	tcase_add_test(tc, test_audience_unknown_address_is_an_error);
	tcase_add_test(tc, test_audience_customers_file_dedups_and_names_bad_lines);
	tcase_add_test(tc, test_audience_promotion_frequency_cap);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(audience_suite()));
}
