/*
 * NAME
 *	test_render 1
 * SUMMARY
 *	unit tests of one customer's message from its row (sender/render.c)
 * SYNOPSIS
 *	test_render
 * DESCRIPTION
 *	The rules applied again when a row is sent (a customer deleted,
 *	refused or without the service since the campaign was made is
 *	skipped with the reason), and the message built for the others:
 *	envelope, Message-ID, the unsubscribe token of a refusable
 *	category.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "render.h"
#include "sender_fixture.h"
#include "tmpl.h"

/* promo_compose - a composer of the shipped promotion; *T and *V are the caller's */
static struct compose *
promo_compose(struct fixture *f, struct tmpl **t, struct tmpl_vars **v)
{
	char	err[512];
	struct compose *c;

	ck_assert_ptr_nonnull(*t = tmpl_load(TEST_TEMPLATES, "promotion", err, sizeof(err)));
	*v = tmpl_vars_new(NULL);
	tmpl_vars_set(*v, "offer", "Giảm 30%");
	tmpl_vars_set(*v, "until", "2026-12-31");
	tmpl_vars_set(*v, "url", "https://ilinks.asia/km");
	c = compose_new(f->conf, CATEGORY_PROMOTION, *t, *v, NULL, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	return (c);
}

START_TEST(test_render_sends_with_token_and_skips_by_the_rules)
{
	struct fixture f;
	struct tmpl *t;
	struct tmpl_vars *v;
	struct compose *c;
	struct audience a;
	struct delivery_msg m;
	char	reason[DELIVERY_REASON_MAX], err[512], tok[STORE_TOKEN_MAX];
	const char *lu;
	int64_t who;
	enum category cat;

	fixture_open(&f);
	c = promo_compose(&f, &t, &v);
	memset(&a, 0, sizeof(a));
	a.cat = CATEGORY_PROMOTION;
	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(render_customer(f.st, c, &a, f.a, "m1@ilinks.asia", &m, reason,
					 sizeof(reason), err, sizeof(err)), DELIVERY_SEND);
	ck_assert_str_eq(m.from, "noreply@ilinks.asia");
	ck_assert_str_eq(m.rcpt, "a@example.vn");
	ck_assert_ptr_nonnull(strstr(m.data, "Message-ID: <m1@ilinks.asia>"));
	ck_assert_ptr_nonnull(lu = strstr(header(m.data, "List-Unsubscribe"), "noreply+"));
	snprintf(tok, sizeof(tok), "%.*s", (int) strcspn(lu + 8, "@"), lu + 8);
	ck_assert_int_eq(store_token_verify(f.st, tok, &who, &cat), STORE_OK);
	ck_assert_int_eq(who, f.a);
	ck_assert_int_eq(cat, CATEGORY_PROMOTION);
	free(m.data);
	ck_assert_int_eq(render_customer(f.st, c, &a, f.cc, "m2@ilinks.asia", &m, reason,
					 sizeof(reason), err, sizeof(err)), DELIVERY_SKIP);
	ck_assert_str_eq(reason, "refused promotion");
	ck_assert_int_eq(render_customer(f.st, c, &a, f.d, "m3@ilinks.asia", &m, reason,
					 sizeof(reason), err, sizeof(err)), DELIVERY_SKIP);
	ck_assert_str_eq(reason, "undeliverable address");
	ck_assert_int_eq(store_customer_delete(f.st, f.b), STORE_OK);
	ck_assert_int_eq(render_customer(f.st, c, &a, f.b, "m4@ilinks.asia", &m, reason,
					 sizeof(reason), err, sizeof(err)), DELIVERY_SKIP);
	ck_assert_str_eq(reason, "customer deleted");
	/* Narrowed to a service the customer no longer has. */
	a.service_type = "hosting";
	ck_assert_int_eq(render_customer(f.st, c, &a, f.a, "m5@ilinks.asia", &m, reason,
					 sizeof(reason), err, sizeof(err)), DELIVERY_SKIP);
	ck_assert_str_eq(reason, "no active hosting contract");
	compose_free(c);
	tmpl_vars_free(v);
	tmpl_free(t);
	fixture_close(&f);
}
END_TEST

/* render_suite - the tests of sender/render.c */
static Suite *
render_suite(void)
{
	Suite  *s = suite_create("render");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_render_sends_with_token_and_skips_by_the_rules);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	SRunner *sr = srunner_create(render_suite());
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
