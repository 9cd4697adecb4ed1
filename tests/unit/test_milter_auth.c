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
				     "\tdkim/1=pass header.i=@example.vn;\r\n\tdmarc=pass",
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
	suite_add_tcase(s, ta);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	SRunner *sr = srunner_create(milter_auth_suite());
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed ? EXIT_FAILURE : EXIT_SUCCESS);
}
