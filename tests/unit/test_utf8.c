/*
 * NAME
 *	test_utf8 1
 * SUMMARY
 *	unit tests of config/utf8.c
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "unit.h"

START_TEST(test_utf8_decode_well_formed_and_malformed)
{
	size_t	adv;

	ck_assert_int_eq(utf8_decode((const unsigned char *) "A", 1, &adv), 'A');
	ck_assert_uint_eq(adv, 1);
	ck_assert_int_eq(utf8_decode((const unsigned char *) "\xe1\xbb\xab", 3, &adv), 0x1EEB);
	ck_assert_uint_eq(adv, 3);
	ck_assert_int_eq(utf8_decode((const unsigned char *) "\xf0\x9f\x99\x8f", 4, &adv), 0x1F64F);
	ck_assert_uint_eq(adv, 4);
	/* overlong, surrogate, past U+10FFFF, truncated, stray continuation */
	ck_assert_int_eq(utf8_decode((const unsigned char *) "\xc0\xaf", 2, &adv), -1);
	ck_assert_uint_eq(adv, 1);
	ck_assert_int_eq(utf8_decode((const unsigned char *) "\xe0\x80\xaf", 3, &adv), -1);
	ck_assert_int_eq(utf8_decode((const unsigned char *) "\xed\xa0\x80", 3, &adv), -1);
	ck_assert_int_eq(utf8_decode((const unsigned char *) "\xf4\x90\x80\x80", 4, &adv), -1);
	ck_assert_int_eq(utf8_decode((const unsigned char *) "\xe1\xbb", 2, &adv), -1);
	ck_assert_int_eq(utf8_decode((const unsigned char *) "\x80", 1, &adv), -1);
}
END_TEST

START_TEST(test_utf8_valid_and_seq)
{
	ck_assert_int_eq(utf8_valid("Từ chối", strlen("Từ chối")), 1);
	ck_assert_int_eq(utf8_valid("a\0b", 3), 0);
	ck_assert_int_eq(utf8_valid("\xff", 1), 0);
	ck_assert_int_eq(utf8_valid("", 0), 1);
	ck_assert_uint_eq(utf8_seq((const unsigned char *) "\xe1\xbb\xab", 3), 3);
	ck_assert_uint_eq(utf8_seq((const unsigned char *) "\xe1\xbb\xab", 2), 0);
	ck_assert_uint_eq(utf8_seq((const unsigned char *) "", 1), 0);
}
END_TEST

START_TEST(test_utf8_text_ok_refuses_controls_and_long_text)
{
	ck_assert_int_eq(utf8_text_ok("Nguyễn Văn An\tHà Nội", 100), 1);
	ck_assert_int_eq(utf8_text_ok("line\nbreak", 100), 0);
	ck_assert_int_eq(utf8_text_ok("cr\r", 100), 0);
	ck_assert_int_eq(utf8_text_ok("del\x7f", 100), 0);
	ck_assert_int_eq(utf8_text_ok("c1\xc2\x85", 100), 0);
	ck_assert_int_eq(utf8_text_ok("bad\xe1\xbb", 100), 0);
	ck_assert_int_eq(utf8_text_ok("abcd", 4), 1);
	ck_assert_int_eq(utf8_text_ok("abcde", 4), 0);
	/* a character that would cross the limit */
	ck_assert_int_eq(utf8_text_ok("abc\xe1\xbb\xab", 4), 0);
	ck_assert_int_eq(utf8_text_ok("", 0), 1);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("utf8");
	TCase  *tc = tcase_create("utf8");

	tcase_add_test(tc, test_utf8_decode_well_formed_and_malformed);
	tcase_add_test(tc, test_utf8_valid_and_seq);
	tcase_add_test(tc, test_utf8_text_ok_refuses_controls_and_long_text);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
