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

/*
 * The spelling of a syllable as reply_viet.c first wrote it: every onset,
 * every vowel group, every final tried in turn. The library looks up one
 * group (a word's leading vowels) and only the onsets of its first letter;
 * the two must agree on every word.
 */
static const char *const ref_onsets[] = {
	"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g",
	"h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "", NULL,
};
static const char *const ref_nuclei[] = {
	"uye", "uya", "uyu", "ieu", "yeu", "uoi", "uou", "oai", "oay", "oao", "oeo", "uay", "ai",
	"ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa", "oe", "oi", "ua", "ue", "ui", "uo",
	"uu", "uy", "ya", "ye", "a", "e", "i", "o", "u", "y", NULL,
};
static const char *const ref_codas[] = {"ch", "ng", "nh", "c", "m", "n", "p", "t", "", NULL};

/* ref_syllable - the reference: a syllable by brute force */
static int
ref_syllable(const char *w, size_t len)
{
	size_t	i, j, k, o, n;

	if (len == 0 || len > REPLY_VIET_WORD_MAX)
		return (0);
	for (i = 0; i < len; i++)
		if (w[i] < 'a' || w[i] > 'z')
			return (0);
	if (len == 2 && memcmp(w, "gi", 2) == 0)
		return (1);
	for (i = 0; ref_onsets[i]; i++) {
		if ((o = strlen(ref_onsets[i])) > len || memcmp(w, ref_onsets[i], o) != 0
		    || o == len || strchr("aeiouy", w[o]) == NULL)
			continue;
		for (j = 0; ref_nuclei[j]; j++) {
			if ((n = strlen(ref_nuclei[j])) > len - o || memcmp(w + o, ref_nuclei[j], n) != 0)
				continue;
			for (k = 0; ref_codas[k]; k++)
				if (strlen(ref_codas[k]) == len - o - n
				    && memcmp(w + o + n, ref_codas[k], len - o - n) == 0)
					return (1);
		}
	}
	return (0);
}

START_TEST(test_reply_viet_syllable_agrees_with_brute_force_on_every_short_word)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz", viet[] = "aeiouyghnctqkdp";
	char	w[8], first[8] = "";
	size_t	len, k, x, total, base, differ = 0;
	unsigned seed = 14;

	/* every word of 1 to 4 letters, then words of 5 to 7 letters that look Vietnamese */
	for (len = 1; len <= 7; len++) {
		base = len <= 4 ? sizeof(letters) - 1 : sizeof(viet) - 1;
		for (total = 1, k = 0; k < len; k++)
			total *= base;
		if (len > 5)
			total = 200000;
		for (x = 0; x < total; x++) {
			size_t	v = x;

			for (k = 0; k < len; k++) {
				size_t	d = len > 5 ? (size_t) rand_r(&seed) % base : v % base;

				w[k] = len <= 4 ? letters[d] : viet[d];
				v /= base;
			}
			w[len] = 0;
			/* counted, asserted once: check's assertion reports each pass to its parent */
			if (reply_viet_syllable(w, len) != ref_syllable(w, len) && differ++ == 0)
				memcpy(first, w, sizeof(w));
		}
	}
	ck_assert_msg(differ == 0, "%zu words differ, the first: %s", differ, first);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_viet");
	TCase  *tc = tcase_create("core");

	/* the brute-force comparison reads 1.6 million words: slow under the sanitizers */
	tcase_set_timeout(tc, 60);

	tcase_add_test(tc, test_reply_viet_syllables_and_not);
	tcase_add_test(tc, test_reply_viet_syllable_agrees_with_brute_force_on_every_short_word);
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
