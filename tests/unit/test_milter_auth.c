/*
 * NAME
 *	test_milter_auth 1
 * SUMMARY
 *	unit tests of milter_auth: Authentication-Results evaluation
 * DESCRIPTION
 *	Which Authentication-Results header values prove the From domain:
 *	trusted authserv-ids only, a pass aligned with the From domain,
 *	comments and garbage proving nothing, bounded work on long values.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milter_auth.h"
#include "unit.h"

static const char *const trusted[] = {"mx.ilinks.asia"};

START_TEST(test_auth_dmarc_pass_from_trusted_id)
{
	enum mauth_how how = MAUTH_NONE;

	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dmarc=pass (p=none) header.from=example.vn",
				     trusted, 1, "example.vn", &how), 1);
	ck_assert_int_eq(how, MAUTH_DMARC);
	ck_assert_str_eq(mauth_how_name(how), "dmarc");
}
END_TEST

START_TEST(test_auth_untrusted_id_proves_nothing)
{
	ck_assert_int_eq(mauth_check("evil.example; dmarc=pass header.from=example.vn",
				     trusted, 1, "example.vn", NULL), 0);
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dmarc=pass", NULL, 0, "example.vn", NULL), 0);
}
END_TEST

START_TEST(test_auth_dmarc_for_another_domain_fails)
{
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dmarc=pass header.from=other.vn",
				     trusted, 1, "example.vn", NULL), 0);
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dmarc=fail header.from=example.vn",
				     trusted, 1, "example.vn", NULL), 0);
}
END_TEST

START_TEST(test_auth_dkim_and_spf_need_alignment)
{
	enum mauth_how how = MAUTH_NONE;

	ck_assert_int_eq(mauth_check("mx.ilinks.asia 1; dkim=pass (2048-bit key) header.d=mail.example.vn header.s=s1 header.b=AbC+/=",
				     trusted, 1, "example.vn", &how), 1);
	ck_assert_int_eq(how, MAUTH_DKIM);
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dkim=pass header.d=gmail.com",
				     trusted, 1, "example.vn", NULL), 0);
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; spf=pass smtp.mailfrom=bounce@example.vn",
				     trusted, 1, "example.vn", &how), 1);
	ck_assert_int_eq(how, MAUTH_SPF);
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; spf=pass smtp.mailfrom=bounce@relay.com",
				     trusted, 1, "example.vn", NULL), 0);
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; spf=softfail smtp.mailfrom=a@example.vn",
				     trusted, 1, "example.vn", NULL), 0);
}
END_TEST

START_TEST(test_auth_several_results_best_wins)
{
	enum mauth_how how = MAUTH_NONE;

	ck_assert_int_eq(mauth_check("MX.ILINKS.ASIA;\r\n\tspf=pass smtp.mailfrom=example.vn;\r\n"
				     "\tdkim/1=pass header.i=@example.vn;\r\n\tdmarc=pass header.from=example.vn",
				     trusted, 1, "example.vn", &how), 1);
	ck_assert_int_eq(how, MAUTH_DMARC);
	ck_assert_str_eq(mauth_how_name(how), "dmarc");
}
END_TEST

START_TEST(test_auth_comments_and_garbage)
{
	ck_assert_int_eq(mauth_check("mx.ilinks.asia (comment; dmarc=pass); none",
				     trusted, 1, "example.vn", NULL), 0);
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dmarc=\"pass\" header.from=example.vn (x",
				     trusted, 1, "example.vn", NULL), 0);
	ck_assert_int_eq(mauth_check(";;;;===", trusted, 1, "example.vn", NULL), 0);
	ck_assert_int_eq(mauth_check("", trusted, 1, "example.vn", NULL), 0);
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dmarc=pass", trusted, 1, "", NULL), 0);
}
END_TEST

START_TEST(test_auth_long_header_is_bounded)
{
	size_t	n = 3 * MAUTH_VALUE_MAX;
	char   *v = malloc(n + 1);

	ck_assert_ptr_nonnull(v);
	memset(v, ';', n);
	memcpy(v, "mx.ilinks.asia", 14);
	v[n] = 0;
	ck_assert_int_eq(mauth_check(v, trusted, 1, "example.vn", NULL), 0);
	free(v);
}
END_TEST

START_TEST(test_auth_dmarc_pass_without_header_from_proves_nothing)
{
	struct mauth_res res;

	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dmarc=pass", trusted, 1, "example.vn", NULL), 0);
	ck_assert_int_eq(mauth_eval("mx.ilinks.asia; dmarc=pass (p=none)", trusted, 1, NULL, "example.vn",
				    &res), 1);
	ck_assert_uint_eq(res.pass, 0);
}
END_TEST

START_TEST(test_auth_fail_about_the_from_domain_wins)
{
	struct mauth_res res;

	/* a fail next to a pass in the same header: no proof */
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dkim=pass header.d=example.vn;"
				     " dmarc=fail header.from=example.vn", trusted, 1, "example.vn",
				     NULL), 0);
	ck_assert_int_eq(mauth_eval("mx.ilinks.asia; dmarc=fail", trusted, 1, NULL, "example.vn", &res), 1);
	ck_assert_int_eq(res.fail, 1);
	/* a fail about another domain is not about this From */
	ck_assert_int_eq(mauth_eval("mx.ilinks.asia; dkim=fail header.d=other.vn;"
				    " dmarc=pass header.from=example.vn", trusted, 1, NULL, "example.vn",
				    &res), 1);
	ck_assert_int_eq(res.fail, 0);
	ck_assert_uint_eq(res.pass, MAUTH_BIT(MAUTH_DMARC));
}
END_TEST

START_TEST(test_auth_unicode_and_alabel_domains_match)
{
	/* the From domain comes normalised (A-labels); the header may use Unicode */
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dmarc=pass header.from=VIỆT-NAM.vn",
				     trusted, 1, "xn--vit-nam-zv4c.vn", NULL), 1);
	ck_assert_int_eq(mauth_check("mx.ilinks.asia; dkim=pass header.d=mail.xn--vit-nam-zv4c.vn",
				     trusted, 1, "xn--vit-nam-zv4c.vn", NULL), 1);
}
END_TEST

START_TEST(test_auth_received_by_host)
{
	char	host[64];

	ck_assert_int_eq(mauth_received_by("from mail.example.vn (mail.example.vn [192.0.2.1])\r\n"
					   "\tby MX.ilinks.asia (Postfix) with ESMTPS id 4X\r\n"
					   "\tfor <noreply@ilinks.asia>; Mon, 30 Nov 2026 01:00:00 +0700",
					   host, sizeof(host)), 0);
	ck_assert_str_eq(host, "mx.ilinks.asia");
	/* "by" inside a comment or after the date is not the clause */
	ck_assert_int_eq(mauth_received_by("from x (helo by evil.example) by mx.links.vn; by y",
					   host, sizeof(host)), 0);
	ck_assert_str_eq(host, "mx.links.vn");
	ck_assert_int_eq(mauth_received_by("from x; by mx.ilinks.asia", host, sizeof(host)), -1);
	ck_assert_int_eq(mauth_received_by("", host, sizeof(host)), -1);
}
END_TEST

START_TEST(test_auth_job_id_must_be_this_messages_queue_id)
{
	struct mauth_res res;
	static const char v[] = "mx.ilinks.asia/4XyZ12; dmarc=pass header.from=example.vn";

	ck_assert_int_eq(mauth_eval(v, trusted, 1, "4XyZ12", "example.vn", &res), 1);
	ck_assert_uint_eq(res.pass, MAUTH_BIT(MAUTH_DMARC));
	/* another message's queue id, none, or one where none is expected */
	ck_assert_int_eq(mauth_eval(v, trusted, 1, "4AbC99", "example.vn", &res), 0);
	ck_assert_int_eq(mauth_eval("mx.ilinks.asia; dmarc=pass header.from=example.vn", trusted, 1,
				    "4XyZ12", "example.vn", &res), 0);
	ck_assert_int_eq(mauth_eval(v, trusted, 1, NULL, "example.vn", &res), 0);
	ck_assert_int_eq(mauth_eval("evil.example/4XyZ12; dmarc=pass header.from=example.vn",
				    trusted, 1, "4XyZ12", "example.vn", &res), 0);
}
END_TEST

/* milter_auth_suite - the tests of this file */
static Suite *
milter_auth_suite(void)
{
	Suite  *s = suite_create("milter_auth");
	TCase  *ta = tcase_create("auth");

	tcase_add_test(ta, test_auth_dmarc_pass_from_trusted_id);
	tcase_add_test(ta, test_auth_untrusted_id_proves_nothing);
	tcase_add_test(ta, test_auth_dmarc_for_another_domain_fails);
	tcase_add_test(ta, test_auth_dkim_and_spf_need_alignment);
	tcase_add_test(ta, test_auth_several_results_best_wins);
	tcase_add_test(ta, test_auth_comments_and_garbage);
	tcase_add_test(ta, test_auth_long_header_is_bounded);
	tcase_add_test(ta, test_auth_dmarc_pass_without_header_from_proves_nothing);
	tcase_add_test(ta, test_auth_fail_about_the_from_domain_wins);
	tcase_add_test(ta, test_auth_unicode_and_alabel_domains_match);
	tcase_add_test(ta, test_auth_received_by_host);
	tcase_add_test(ta, test_auth_job_id_must_be_this_messages_queue_id);
	suite_add_tcase(s, ta);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_auth_suite()));
}
