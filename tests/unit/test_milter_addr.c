/*
 * NAME
 *	test_milter_addr 1
 * SUMMARY
 *	unit tests of milter_addr: LINKS address recognition
 * DESCRIPTION
 *	Which recipients are LINKS addresses (noreply, noreply+TOKEN,
 *	support, staff), From and Message-ID extraction from hostile header
 *	values, relaxed domain alignment.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "milter_addr.h"
#include "unit.h"

static struct maddr_conf *ac;

/* setup - the address set of a configuration with two company domains */
static void
setup(void)
{
	char	err[CONF_ERR_MAX];
	struct conf *c = conf_defaults();

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(conf_set(c, "company_domains", "ilinks.asia, links.vn", err, sizeof(err)), 0);
	ac = maddr_conf_new(c, err, sizeof(err));
	ck_assert_msg(ac != NULL, "%s", err);
	conf_free(c);
}

/* teardown - free it */
static void
teardown(void)
{
	maddr_conf_free(ac);
}

START_TEST(test_addr_noreply_support_staff_other)
{
	char	tok[64];

	ck_assert_int_eq(maddr_classify(ac, "<noreply@ilinks.asia>", tok, sizeof(tok)), MADDR_NOREPLY);
	ck_assert_int_eq(maddr_classify(ac, "NoReply@ILINKS.asia", tok, sizeof(tok)), MADDR_NOREPLY);
	ck_assert_int_eq(maddr_classify(ac, "noreply@links.vn", tok, sizeof(tok)), MADDR_NOREPLY);
	ck_assert_int_eq(maddr_classify(ac, "<support@ilinks.asia>", tok, sizeof(tok)), MADDR_SUPPORT);
	ck_assert_int_eq(maddr_classify(ac, "<lan.nguyen@ilinks.asia>", tok, sizeof(tok)), MADDR_STAFF);
	ck_assert_int_eq(maddr_classify(ac, "<sales@links.vn>", tok, sizeof(tok)), MADDR_STAFF);
	ck_assert_int_eq(maddr_classify(ac, "<an@example.vn>", tok, sizeof(tok)), MADDR_OTHER);
	ck_assert_int_eq(maddr_classify(ac, "<noreply@ilinks.asia.evil.com>", tok, sizeof(tok)),
			 MADDR_OTHER);
	ck_assert_int_eq(maddr_classify(ac, "<>", tok, sizeof(tok)), MADDR_OTHER);
	ck_assert_int_eq(maddr_classify(ac, "no at sign", tok, sizeof(tok)), MADDR_OTHER);
}
END_TEST

START_TEST(test_addr_token_is_extracted)
{
	char	tok[64];

	ck_assert_int_eq(maddr_classify(ac, "<noreply+abc234xyz@ilinks.asia>", tok, sizeof(tok)),
			 MADDR_NOREPLY_TOKEN);
	ck_assert_str_eq(tok, "abc234xyz");
	/* a token with characters a token never has is still a token address */
	ck_assert_int_eq(maddr_classify(ac, "<noreply+a.b@ilinks.asia>", tok, sizeof(tok)),
			 MADDR_NOREPLY_TOKEN);
	ck_assert_str_eq(tok, "");
	/* too long for the buffer: recognised, token dropped */
	ck_assert_int_eq(maddr_classify(ac, "<noreply+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@ilinks.asia>",
					tok, 16), MADDR_NOREPLY_TOKEN);
	ck_assert_str_eq(tok, "");
	/* not a company domain: not ours */
	ck_assert_int_eq(maddr_classify(ac, "<noreply+abc@example.com>", tok, sizeof(tok)), MADDR_OTHER);
}
END_TEST

START_TEST(test_addr_from_header_forms)
{
	char	a[MADDR_MAX];

	ck_assert_int_eq(maddr_from_header("Nguyễn Văn An <An@Example.VN>", a, sizeof(a)), 0);
	ck_assert_str_eq(a, "an@example.vn");
	ck_assert_int_eq(maddr_from_header("\"Doe, <John>\" <john@example.com>", a, sizeof(a)), 0);
	ck_assert_str_eq(a, "john@example.com");
	ck_assert_int_eq(maddr_from_header("john@example.com (John <x@y>)", a, sizeof(a)), 0);
	ck_assert_str_eq(a, "john@example.com");
	ck_assert_int_eq(maddr_from_header("a@b.vn, c@d.vn", a, sizeof(a)), 0);
	ck_assert_str_eq(a, "a@b.vn");
	ck_assert_int_eq(maddr_from_header("undisclosed", a, sizeof(a)), -1);
	ck_assert_int_eq(maddr_from_header("<>", a, sizeof(a)), -1);
	ck_assert_int_eq(maddr_from_header("", a, sizeof(a)), -1);
	ck_assert_int_eq(maddr_from_header(NULL, a, sizeof(a)), -1);
}
END_TEST

START_TEST(test_addr_from_header_overlong_is_rejected)
{
	char	big[4000];
	char	a[MADDR_MAX];

	memset(big, 'x', sizeof(big));
	big[0] = '<';
	big[2000] = '@';
	big[sizeof(big) - 2] = '>';
	big[sizeof(big) - 1] = 0;
	ck_assert_int_eq(maddr_from_header(big, a, sizeof(a)), -1);
}
END_TEST

START_TEST(test_addr_msgids_in_order_and_bounded)
{
	char	ids[3][MADDR_MSGID_MAX];

	ck_assert_uint_eq(maddr_msgids("<a@x> <b@x>\r\n\t<c@x> <d@x>", ids, 3), 3);
	ck_assert_str_eq(ids[0], "a@x");
	ck_assert_str_eq(ids[2], "c@x");
	ck_assert_uint_eq(maddr_msgids("<bad id@x> <ok@x>", ids, 3), 1);
	ck_assert_str_eq(ids[0], "ok@x");
	ck_assert_uint_eq(maddr_msgids("no ids here", ids, 3), 0);
	ck_assert_uint_eq(maddr_msgids("<unterminated@x", ids, 3), 0);
	ck_assert_uint_eq(maddr_msgids(NULL, ids, 3), 0);
}
END_TEST

START_TEST(test_addr_domain_alignment)
{
	ck_assert_int_eq(maddr_domain_aligned("example.vn", "EXAMPLE.vn"), 1);
	ck_assert_int_eq(maddr_domain_aligned("mail.example.vn", "example.vn"), 1);
	ck_assert_int_eq(maddr_domain_aligned("example.vn", "news.example.vn"), 1);
	ck_assert_int_eq(maddr_domain_aligned("badexample.vn", "example.vn"), 0);
	ck_assert_int_eq(maddr_domain_aligned("vn", "example.vn"), 0);
	ck_assert_int_eq(maddr_domain_aligned("", "example.vn"), 0);
}
END_TEST

START_TEST(test_addr_quoted_idn_and_verp_forms)
{
	char	err[CONF_ERR_MAX], tok[64];
	struct conf *c = conf_defaults();
	struct maddr_conf *idn;

	/* RCPT TO:<"noreply"@ilinks.asia> is noreply, not a staff member */
	ck_assert_int_eq(maddr_classify(ac, "<\"noreply\"@ilinks.asia>", tok, sizeof(tok)),
			 MADDR_NOREPLY);
	ck_assert_int_eq(maddr_classify(ac, "<\"NoReply\"@ILINKS.ASIA>", tok, sizeof(tok)),
			 MADDR_NOREPLY);
	/* a bounce's return path */
	ck_assert_int_eq(maddr_classify(ac, "<noreply+b-abc234@ilinks.asia>", tok, sizeof(tok)),
			 MADDR_NOREPLY_VERP);
	ck_assert_str_eq(tok, "abc234");
	/* a Unicode company domain matches both of its forms */
	ck_assert_int_eq(conf_set(c, "company_domains", "liên-kết.vn", err, sizeof(err)), 0);
	idn = maddr_conf_new(c, err, sizeof(err));
	ck_assert_msg(idn != NULL, "%s", err);
	ck_assert_int_eq(maddr_classify(idn, "<an@LIÊN-KẾT.vn>", tok, sizeof(tok)), MADDR_STAFF);
	ck_assert_int_eq(maddr_classify(idn, "<an@xn--lin-kt-jva3122d.vn>", tok, sizeof(tok)),
			 MADDR_STAFF);
	ck_assert_int_eq(maddr_company_host(idn, "mx.liên-kết.vn"), 1);
	ck_assert_int_eq(maddr_company_host(idn, "evil-liên-kết.vn"), 0);
	maddr_conf_free(idn);
	conf_free(c);
}
END_TEST

/* milter_addr_suite - the tests of this file */
static Suite *
milter_addr_suite(void)
{
	Suite  *s = suite_create("milter_addr");
	TCase  *tc = tcase_create("addr");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_addr_noreply_support_staff_other);
	tcase_add_test(tc, test_addr_token_is_extracted);
	tcase_add_test(tc, test_addr_from_header_forms);
	tcase_add_test(tc, test_addr_from_header_overlong_is_rejected);
	tcase_add_test(tc, test_addr_msgids_in_order_and_bounded);
	tcase_add_test(tc, test_addr_domain_alignment);
	tcase_add_test(tc, test_addr_quoted_idn_and_verp_forms);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_addr_suite()));
}
