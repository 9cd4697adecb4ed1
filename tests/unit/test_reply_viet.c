/*
 * NAME
 *	test_reply_viet 1 (test program)
 * SUMMARY
 *	unit tests of reply_viet: Vietnamese spelling
 * SYNOPSIS
 *	test_reply_viet (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	Syllables without their marks; what Telex, VNI and VIQR leave when the
 *	input method is off; text typed with a VNI font.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reply_viet.h"
#include "strbuf.h"
#include "unit.h"

/* fold - the key W folds to, "" when none; *STRONG as reply_viet_ime_fold() says */
static const char *
fold(const char *w, int *strong)
{
	static char out[REPLY_VIET_WORD_MAX + 1];

	out[0] = 0;
	(void) reply_viet_ime_fold(w, strlen(w), out, sizeof(out), strong);
	return (out);
}

START_TEST(test_reply_viet_syllables_and_not)
{
	static const char *const yes[] = {"tu", "choi", "nguoi", "khong", "nghieng", "quyen", "gi", "gin", NULL};
	static const char *const no[] = {"choois", "tuwf", "please", "email", "stop", "xyz", "", NULL};
	size_t	i;

	for (i = 0; yes[i]; i++)
		ck_assert_msg(reply_viet_syllable(yes[i], strlen(yes[i])), "%s", yes[i]);
	for (i = 0; no[i]; i++)
		ck_assert_msg(!reply_viet_syllable(no[i], strlen(no[i])), "%s", no[i]);
}
END_TEST

START_TEST(test_reply_viet_telex_vni_viqr_keys_fold_to_syllables)
{
	static const char *const in[][2] = {
		{"tuwf", "tu"}, {"choois", "choi"}, {"ddawng", "dang"}, {"nhaanj", "nhan"},
		{"tu72", "tu"}, {"cho61i", "choi"}, {"d9a8ng", "dang"}, {"tu+`", "tu"}, {"cho^'i", "choi"},
		{"hu?y", "huy"}, {"dda(ng", "dang"},
	};
	size_t	i;
	int	strong;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		ck_assert_msg(strcmp(fold(in[i][0], &strong), in[i][1]) == 0, "%s", in[i][0]);
		ck_assert_msg(strong, "%s strong", in[i][0]);
	}
}
END_TEST

START_TEST(test_reply_viet_syllables_and_english_are_not_folded_strongly)
{
	int	strong;

	ck_assert_str_eq(fold("choi", &strong), "");		/* already a syllable */
	ck_assert_str_eq(fold("please", &strong), "");
	ck_assert_str_eq(fold("toasn", &strong), "toan");		/* a tone key only: maybe English */
	ck_assert_int_eq(strong, 0);
	(void) fold("more", &strong);				/* Telex "moe" with a hook, or English */
	ck_assert_int_eq(strong, 0);
}
END_TEST

START_TEST(test_reply_viet_vni_repair_maps_a_vni_line_only)
{
	static const char in[] = "T\xc3\xb6\xc3\xb8 cho\xc3\xa1i\nLe lun. 30 nov. \xc3\xa0 08:00, a \xc3\xa9" "crit";
	struct strbuf b;

	strbuf_init(&b);
	ck_assert_int_eq(reply_viet_vni_repair(in, sizeof(in) - 1, &b), 1);
	ck_assert_ptr_nonnull(strstr(b.data, "\nLe lun. 30 nov. \xc3\xa0 08:00"));
	ck_assert_ptr_null(strstr(b.data, "\xc3\xb6"));
	strbuf_free(&b);
}
END_TEST

START_TEST(test_reply_viet_vni_repair_leaves_french)
{
	static const char in[] = "D\xc3\xa9sol\xc3\xa9, o\xc3\xb9 est la facture? \xc3\x80 bient\xc3\xb4t";
	struct strbuf b;

	strbuf_init(&b);
	ck_assert_int_eq(reply_viet_vni_repair(in, sizeof(in) - 1, &b), 0);
	ck_assert_uint_eq(b.len, 0);
	strbuf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_viet");
	TCase  *tc = tcase_create("core");

	tcase_add_test(tc, test_reply_viet_syllables_and_not);
	tcase_add_test(tc, test_reply_viet_telex_vni_viqr_keys_fold_to_syllables);
	tcase_add_test(tc, test_reply_viet_syllables_and_english_are_not_folded_strongly);
	tcase_add_test(tc, test_reply_viet_vni_repair_maps_a_vni_line_only);
	tcase_add_test(tc, test_reply_viet_vni_repair_leaves_french);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
