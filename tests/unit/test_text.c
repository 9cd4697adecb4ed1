/*
 * NAME
 *	test_text 1
 * SUMMARY
 *	unit tests of config/text.c and config/rx.c (the small helpers)
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "rx.h"
#include "text.h"
#include "unit.h"

START_TEST(test_text_trim_blanks_both_ends)
{
	char	a[] = " \t an  \t", b[] = "", c[] = "   ", d[] = "x";

	ck_assert_str_eq(text_trim(a), "an");
	ck_assert_str_eq(text_trim(b), "");
	ck_assert_str_eq(text_trim(c), "");
	ck_assert_str_eq(text_trim(d), "x");
}
END_TEST

START_TEST(test_text_trim_span_with_a_set)
{
	const char *s = "  \"Từ chối!\"\r\n";
	size_t	len = strlen(s);

	text_trim_span(&s, &len, NULL);
	ck_assert_int_eq((int) len, (int) strlen("\"Từ chối!\""));
	text_trim_span(&s, &len, "\"!");
	ck_assert_int_eq(strncmp(s, "Từ chối", len), 0);
	ck_assert_uint_eq(len, strlen("Từ chối"));
	s = "***";
	len = 3;
	text_trim_span(&s, &len, "*");
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(test_rx_compile_match_and_errors)
{
	char	err[256];
	pcre2_code *re = rx_compile("t[ừu]\\s+ch[ốo]i", "test", err, sizeof(err));
	pcre2_match_data *md;

	ck_assert_ptr_nonnull(re);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	ck_assert_int_eq(rx_match(re, "TỪ CHỐI", strlen("TỪ CHỐI"), md), 1);
	ck_assert_int_eq(rx_match(re, "tu   choi nhé", 13, md), 1);
	ck_assert_int_eq(rx_match(re, "đồng ý", strlen("đồng ý"), md), 0);
	/* invalid UTF-8 in the subject is no match, not an error */
	ck_assert_int_eq(rx_match(re, "t\xff", 2, md), 0);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	ck_assert_ptr_null(rx_compile("(unclosed", "refusal_pattern", err, sizeof(err)));
	ck_assert_msg(strncmp(err, "refusal_pattern: offset ", 24) == 0, "%s", err);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("text");
	TCase  *tc = tcase_create("text");

	tcase_add_test(tc, test_text_trim_blanks_both_ends);
	tcase_add_test(tc, test_text_trim_span_with_a_set);
	tcase_add_test(tc, test_rx_compile_match_and_errors);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
