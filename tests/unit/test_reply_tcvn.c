/*
 * NAME
 *	test_reply_tcvn 1 (test program)
 * SUMMARY
 *	unit tests of reply_tcvn: text typed in a TCVN3 (.VnTime) font
 * SYNOPSIS
 *	test_reply_tcvn (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	TCVN3 font bytes read as windows-1252 are mapped back line by
 *	line; Latin-1 text of other languages, VNI-font text and lines
 *	whose words are not syllables stay as they are.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply_tcvn.h"
#include "strbuf.h"
#include "unit.h"

/* repair - reply_tcvn_repair() of IN; *OUT the text it appended (static) */
static int
repair(const char *in, const char **out)
{
	static char text[1024];
	struct strbuf b;
	int	r;

	strbuf_init(&b);
	r = reply_tcvn_repair(in, strlen(in), &b);
	snprintf(text, sizeof(text), "%s", b.data ? b.data : "");
	ck_assert_uint_eq(b.len, strlen(text));
	strbuf_free(&b);
	*out = text;
	return (r);
}

START_TEST(test_reply_tcvn_font_words_map_to_vietnamese)
{
	const char *out;

	/* "Tõ chèi" (bytes F5, E8 as windows-1252) is "Từ chối" */
	ck_assert_int_eq(repair("T\xc3\xb5 ch\xc3\xa8i", &out), 1);
	ck_assert_str_eq(out, "T\xe1\xbb\xab ch\xe1\xbb\x91i");
	/* "T«i kh«ng muèn nhËn email" is "Tôi không muốn nhận email" */
	ck_assert_int_eq(repair("T\xc2\xabi kh\xc2\xabng mu\xc3\xa8n nh\xc3\x8bn email", &out), 1);
	ck_assert_str_eq(out, "T\xc3\xb4i kh\xc3\xb4ng mu\xe1\xbb\x91n nh\xe1\xba\xadn email");
	/* "®¨ng" is "đăng": đ and ă are single font bytes too */
	ck_assert_int_eq(repair("Hu\xc3\xb1 \xc2\xae\xc2\xa8ng k\xc3\xbd", &out), 1);
	ck_assert_str_eq(out, "Hu\xe1\xbb\xa7 \xc4\x91\xc4\x83ng k\xc3\xbd");
}
END_TEST

START_TEST(test_reply_tcvn_only_font_lines_change)
{
	const char *out;

	/* the customer's TCVN3 line maps; the quoted French line stays */
	ck_assert_int_eq(repair("T\xc3\xb5 ch\xc3\xa8i\n> Le 30 nov. \xc3\xa0 08:00, a \xc3\xa9" "crit", &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "\n> Le 30 nov. \xc3\xa0 08:00, a \xc3\xa9" "crit"));
	ck_assert_ptr_nonnull(strstr(out, "T\xe1\xbb\xab ch\xe1\xbb\x91i\n"));
}
END_TEST

START_TEST(test_reply_tcvn_latin1_and_vni_text_stay)
{
	static const char *const keep[] = {
		"D\xc3\xa9sol\xc3\xa9, o\xc3\xb9 est la facture? \xc3\x80 bient\xc3\xb4t",	/* French */
		"Sch\xc3\xb6ne Gr\xc3\xbc\xc3\x9f" "e aus M\xc3\xbcnchen, f\xc3\xbcr Sie",		/* German */
		"T\xc3\xb6\xc3\xb8 cho\xc3\xa1i",						/* VNI font */
		"Ol\xc3\xa1",								/* Portuguese, alone */
		"plain ASCII text only",
		"",
	};
	const char *out;
	size_t	i;

	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		ck_assert_msg(repair(keep[i], &out) == 0, "%s", keep[i]);
		ck_assert_msg(*out == 0, "%s appended %s", keep[i], out);
	}
}
END_TEST

START_TEST(test_reply_tcvn_long_words_are_copied_whole)
{
	char	in[256];
	const char *out;

	/* a word longer than any syllable is kept whole inside a mapped line */
	snprintf(in, sizeof(in), "T\xc2\xabi kh\xc2\xabng mu\xc3\xa8n nh\xc3\x8bn "
		 "abcdefghijklmnopqrstuvwxyz\xc3\xa8xyz");
	ck_assert_int_eq(repair(in, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "abcdefghijklmnopqrstuvwxyz\xc3\xa8xyz"));
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_tcvn");
	TCase  *tc = tcase_create("core");

	tcase_add_test(tc, test_reply_tcvn_font_words_map_to_vietnamese);
	tcase_add_test(tc, test_reply_tcvn_only_font_lines_change);
	tcase_add_test(tc, test_reply_tcvn_latin1_and_vni_text_stay);
	tcase_add_test(tc, test_reply_tcvn_long_words_are_copied_whole);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
