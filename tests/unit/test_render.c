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
 *	category; the envelope sender is the message's own VERP return
 *	path, whose token verifies as (campaign, customer) and as nothing
 *	else; a message that answers the customer's names it
 *	(In-Reply-To, References).
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "inbound.h"
#include "render.h"
#include "sender_fixture.h"
#include "tmpl.h"
#include "unit.h"

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

/* check_return_path - FROM is noreply+b-TOKEN@ilinks.asia, TOKEN verifying as (CID, WHO) only */
static void
check_return_path(struct fixture *f, const char *from, int64_t cid, int64_t who)
{
	char	verp[STORE_VERP_LEN + 8];
	const char *t = from + strlen("noreply+" STORE_VERP_PREFIX);
	int64_t gc, gw;
	enum category cat;

	ck_assert_int_eq(strncmp(from, "noreply+" STORE_VERP_PREFIX, strlen("noreply+b-")), 0);
	ck_assert_str_eq(strchr(from, '@'), "@ilinks.asia");
	snprintf(verp, sizeof(verp), "%.*s", (int) strcspn(t, "@"), t);
	ck_assert_int_eq(strlen(verp), STORE_VERP_LEN);
	ck_assert_int_eq(store_verp_verify(f->st, verp, &gc, &gw), STORE_OK);
	ck_assert_int_eq(gc, cid);
	ck_assert_int_eq(gw, who);
	/* not an unsubscribe token, and one changed letter verifies nothing */
	ck_assert_int_ne(store_token_verify(f->st, verp, &gw, &cat), STORE_OK);
	verp[3] = verp[3] == 'a' ? 'b' : 'a';
	ck_assert_int_eq(store_verp_verify(f->st, verp, &gc, &gw), STORE_NOTFOUND);
}

/* rid - ID naming message MID of campaign 42 */
static const struct render_id *
rid(struct render_id *id, const char *mid)
{
	id->message_id = mid;
	id->campaign_id = 42;
	id->in_reply_to = NULL;
	id->references = NULL;
	return (id);
}

START_TEST(test_render_sends_with_token_and_skips_by_the_rules)
{
	struct fixture f;
	struct tmpl *t;
	struct tmpl_vars *v;
	struct compose *c;
	struct audience a;
	struct delivery_msg m;
	struct render_id id;
	char	reason[DELIVERY_REASON_MAX], err[512], tok[STORE_TOKEN_MAX];
	const char *lu;
	int64_t who;
	enum category cat;

	fixture_open(&f);
	c = promo_compose(&f, &t, &v);
	memset(&a, 0, sizeof(a));
	a.cat = CATEGORY_PROMOTION;
	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(render_customer(f.st, c, &a, f.a, rid(&id, "m1@ilinks.asia"), &m, reason,
					 sizeof(reason), err, sizeof(err)), DELIVERY_SEND);
	ck_assert_int_eq(strncmp(m.from, "noreply+" STORE_VERP_PREFIX, 10), 0);
	ck_assert_str_eq(m.rcpt, "a@example.vn");
	ck_assert_ptr_nonnull(strstr(m.data, "\r\nFrom: "));
	ck_assert_ptr_nonnull(strstr(header(m.data, "From"), "<noreply@ilinks.asia>"));
	ck_assert_ptr_nonnull(strstr(m.data, "Message-ID: <m1@ilinks.asia>"));
	ck_assert_ptr_nonnull(lu = strstr(header(m.data, "List-Unsubscribe"), "noreply+"));
	snprintf(tok, sizeof(tok), "%.*s", (int) strcspn(lu + 8, "@"), lu + 8);
	ck_assert_int_eq(store_token_verify(f.st, tok, &who, &cat), STORE_OK);
	ck_assert_int_eq(who, f.a);
	ck_assert_int_eq(cat, CATEGORY_PROMOTION);
	free(m.data);
	check_return_path(&f, m.from, 42, f.a);
	ck_assert_int_eq(render_customer(f.st, c, &a, f.cc, rid(&id, "m2@ilinks.asia"), &m, reason,
					 sizeof(reason), err, sizeof(err)), DELIVERY_SKIP);
	ck_assert_str_eq(reason, "refused promotion");
	ck_assert_int_eq(render_customer(f.st, c, &a, f.d, rid(&id, "m3@ilinks.asia"), &m, reason,
					 sizeof(reason), err, sizeof(err)), DELIVERY_SKIP);
	ck_assert_str_eq(reason, "undeliverable address");
	ck_assert_int_eq(store_customer_delete(f.st, f.b), STORE_OK);
	ck_assert_int_eq(render_customer(f.st, c, &a, f.b, rid(&id, "m4@ilinks.asia"), &m, reason,
					 sizeof(reason), err, sizeof(err)), DELIVERY_SKIP);
	ck_assert_str_eq(reason, "customer deleted");
	/* Narrowed to a service the customer no longer has. */
	a.service_type = "hosting";
	ck_assert_int_eq(render_customer(f.st, c, &a, f.a, rid(&id, "m5@ilinks.asia"), &m, reason,
					 sizeof(reason), err, sizeof(err)), DELIVERY_SKIP);
	ck_assert_str_eq(reason, "no active hosting contract");
	compose_free(c);
	tmpl_vars_free(v);
	tmpl_free(t);
	fixture_close(&f);
}
END_TEST

START_TEST(test_render_answer_is_threaded_and_staff_bounces_go_to_the_staff_member)
{
	struct fixture f;
	struct tmpl *t;
	struct tmpl_vars *v;
	struct compose *c;
	struct compose_sender snd = {"lan.pham@ilinks.asia", "Phạm Lan"};
	struct audience a;
	struct delivery_msg m;
	struct render_id id = {"c1@ilinks.asia", 0, "reply.1@example.vn", NULL};
	char	reason[DELIVERY_REASON_MAX], err[512];

	fixture_open(&f);
	ck_assert_ptr_nonnull(t = tmpl_load(TEST_TEMPLATES, "optout_confirm", err, sizeof(err)));
	v = tmpl_vars_new(NULL);
	ck_assert_ptr_nonnull(c = compose_new(f.conf, CATEGORY_ACCOUNT, t, v, NULL, err,
					      sizeof(err)));
	memset(&a, 0, sizeof(a));
	a.cat = CATEGORY_ACCOUNT;
	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(render_customer(f.st, c, &a, f.a, &id, &m, reason, sizeof(reason), err,
					 sizeof(err)), DELIVERY_SEND);
	ck_assert_ptr_nonnull(strstr(header(m.data, "In-Reply-To"), "<reply.1@example.vn>"));
	ck_assert_ptr_nonnull(strstr(header(m.data, "References"), "<reply.1@example.vn>"));
	check_return_path(&f, m.from, 0, f.a);
	free(m.data);
	compose_free(c);
	tmpl_vars_free(v);
	tmpl_free(t);
	ck_assert_ptr_nonnull(t = tmpl_load(TEST_TEMPLATES, "staff", err, sizeof(err)));
	v = tmpl_vars_new(NULL);
	tmpl_vars_set(v, "subject", "Hợp đồng");
	tmpl_vars_set(v, "body", "Chào anh");
	tmpl_vars_set(v, "signature", "Lan");
	c = compose_new(f.conf, CATEGORY_STAFF, t, v, &snd, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	a.cat = CATEGORY_STAFF;
	id.in_reply_to = NULL;
	ck_assert_int_eq(render_customer(f.st, c, &a, f.a, &id, &m, reason, sizeof(reason), err,
					 sizeof(err)), DELIVERY_SEND);
	ck_assert_str_eq(m.from, "lan.pham@ilinks.asia");
	ck_assert_ptr_null(strstr(m.data, "In-Reply-To:"));
	free(m.data);
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
	tcase_add_test(tc, test_render_answer_is_threaded_and_staff_bounces_go_to_the_staff_member);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(render_suite()));
}
