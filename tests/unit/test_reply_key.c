/*
 * NAME
 *	test_reply_key 1 (test program)
 * SUMMARY
 *	unit tests of reply_key: the diacritics-free key
 * SYNOPSIS
 *	test_reply_key (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	Every rule reads the key: it must fold Vietnamese letters, blanks and
 *	full-width forms the same way wherever they come from.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "footer.h"
#include "reply_key.h"
#include "strbuf.h"
#include "unit.h"

/* key - the key of S, owned by the caller */
static char *
key(const char *s)
{
	struct strbuf b;

	reply_key_init();
	strbuf_init(&b);
	ck_assert_int_eq(reply_key(s, strlen(s), &b), 0);
	ck_assert_int_eq(strbuf_reserve(&b, 0), 0);
	return (strbuf_steal(&b));
}

START_TEST(test_reply_key_strips_marks_case_and_d_bar)
{
	char   *k = key("  ĐÃ   TỪ\xc2\xa0" "Chối\xe2\x80\x8b ");

	ck_assert_str_eq(k, "da tu choi");
	free(k);
}
END_TEST

START_TEST(test_reply_key_keeps_lines_and_trims_each)
{
	char   *k = key(" Từ  chối \n\n  Hủy ĐĂNG ký\t\n");

	ck_assert_str_eq(k, "tu choi\n\nhuy dang ky\n");
	free(k);
}
END_TEST

START_TEST(test_reply_key_folds_full_width_and_keeps_other_scripts)
{
	char   *k = key("ＴＵ：Привет 写道");

	ck_assert_str_eq(k, "tu:привет 写道");
	free(k);
}
END_TEST

START_TEST(test_reply_key_footer_fingerprints_are_prefixes_of_the_sentences)
{
	char   *vi = key(FOOTER_REFUSAL_VI), *en = key(FOOTER_REFUSAL_EN);

	ck_assert_msg(strncmp(vi, FOOTER_FP_VI, strlen(FOOTER_FP_VI)) == 0, "%s", vi);
	ck_assert_msg(strncmp(en, FOOTER_FP_EN, strlen(FOOTER_FP_EN)) == 0, "%s", en);
	free(vi);
	free(en);
}
END_TEST

/* the marks of each word of S, OR-ed, into WM (at most 8 words) */
static size_t
word_marks_of(const char *s, unsigned char *wm)
{
	struct strbuf k, m;
	size_t	i, w = 0;

	strbuf_init(&k);
	strbuf_init(&m);
	ck_assert_int_eq(reply_key_marks(s, strlen(s), &k, &m), 0);
	ck_assert_uint_eq(k.len, m.len);
	memset(wm, 0, 8);
	for (i = 0; i < k.len && w < 8; i++) {
		if (k.data[i] == ' ')
			w++;
		else
			wm[w] |= (unsigned char) m.data[i];
	}
	strbuf_free(&k);
	strbuf_free(&m);
	return (w + 1);
}

START_TEST(test_reply_key_marks_tell_words_of_one_key_apart)
{
	unsigned char a[8], b[8], c[8];

	/* "dùng gói" (use a package) and "dừng gởi" (stop sending): one key */
	ck_assert_uint_eq(word_marks_of("đang dùng gói", a), 3);
	ck_assert_uint_eq(word_marks_of("ĐANG DỪNG GỞI", b), 3);
	ck_assert_int_eq(reply_key_marks_differ(a[2], b[2]), 1);	/* gói / GỞI: tone and shape */
	ck_assert_int_eq(reply_key_marks_differ(a[1], b[1]), 0);	/* dùng / DỪNG: one slip */
	/* a word typed without marks matches either */
	ck_assert_uint_eq(word_marks_of("dung goi", c), 2);
	ck_assert_int_eq(c[0] | c[1], 0);
	ck_assert_int_eq(reply_key_marks_differ(c[1], b[2]), 0);
	/* the two places of a tone ("hủy", "huỷ"), capitals, decomposed marks */
	word_marks_of("hủy huỷ HỦY hu\xcc\x89y", a);
	ck_assert_uint_eq(a[0], a[1]);
	ck_assert_uint_eq(a[0], a[2]);
	ck_assert_uint_eq(a[0], a[3]);
	/* the key itself is unchanged by reading the marks */
	{
		struct strbuf k, k2, m;

		strbuf_init(&k);
		strbuf_init(&k2);
		strbuf_init(&m);
		ck_assert_int_eq(reply_key("  Từ  CHỐI\nđừng gửi ", 29, &k), 0);
		ck_assert_int_eq(reply_key_marks("  Từ  CHỐI\nđừng gửi ", 29, &k2, &m), 0);
		ck_assert_str_eq(k.data, k2.data);
		ck_assert_uint_eq(k2.len, m.len);
		strbuf_free(&k);
		strbuf_free(&k2);
		strbuf_free(&m);
	}
}
END_TEST

/* key_and_marks - the key of S and its marks into K and M (initialised by the caller) */
static void
key_and_marks(const char *s, struct strbuf *k, struct strbuf *m)
{
	strbuf_reset(k);
	strbuf_reset(m);
	ck_assert_int_eq(reply_key_marks(s, strlen(s), k, m), 0);
	ck_assert_int_eq(strbuf_reserve(k, 0), 0);
	ck_assert_int_eq(strbuf_reserve(m, 0), 0);
}

/*
 * Every Latin letter the tables fold (Latin-1 to Latin Extended-B, Latin
 * Extended Additional: the Vietnamese letters) has the key and the marks
 * of its canonical decomposition (a Mac keyboard's NFD): the precomposed
 * letter is read from the tables in one step, the decomposed one letter
 * and combining marks apart.
 */
START_TEST(test_reply_key_precomposed_letters_read_as_their_decomposition)
{
	static const int32_t range[][2] = {{0x80, 0x250}, {0x1E00, 0x1F00}};
	struct strbuf k1, m1, k2, m2;
	char	nfc[64], *nfd;
	utf8proc_uint8_t cpu[4];
	size_t	r, tested = 0;
	int32_t	cp;

	reply_key_init();
	strbuf_init(&k1);
	strbuf_init(&m1);
	strbuf_init(&k2);
	strbuf_init(&m2);
	for (r = 0; r < 2; r++)
		for (cp = range[r][0]; cp < range[r][1]; cp++) {
			utf8proc_ssize_t n;

			if (reply_key_fold(cp) == 0 || cp == 0xA0 || cp == 0xAD)
				continue;
			n = utf8proc_encode_char(cp, cpu);
			snprintf(nfc, sizeof(nfc), " X%.*s  %.*sy\n%.*s", (int) n, (char *) cpu, (int) n,
				 (char *) cpu, (int) n, (char *) cpu);
			ck_assert_int_ge(utf8proc_map((const utf8proc_uint8_t *) nfc, 0, (utf8proc_uint8_t **) &nfd,
						      UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE), 0);
			key_and_marks(nfc, &k1, &m1);
			key_and_marks(nfd, &k2, &m2);
			ck_assert_msg(strcmp(k1.data, k2.data) == 0, "U+%04X: key %s / %s", (unsigned) cp,
				      k1.data, k2.data);
			ck_assert_msg(m1.len == m2.len && memcmp(m1.data, m2.data, m1.len) == 0,
				      "U+%04X: marks differ", (unsigned) cp);
			ck_assert_int_eq(k1.data[1], reply_key_fold(cp));	/* " X": "x" */
			free(nfd);
			tested++;
		}
	ck_assert_uint_gt(tested, 400);
	strbuf_free(&k1);
	strbuf_free(&m1);
	strbuf_free(&k2);
	strbuf_free(&m2);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_key");
	TCase  *tc = tcase_create("core");

	tcase_add_test(tc, test_reply_key_strips_marks_case_and_d_bar);
	tcase_add_test(tc, test_reply_key_precomposed_letters_read_as_their_decomposition);
	tcase_add_test(tc, test_reply_key_keeps_lines_and_trims_each);
	tcase_add_test(tc, test_reply_key_folds_full_width_and_keeps_other_scripts);
	tcase_add_test(tc, test_reply_key_footer_fingerprints_are_prefixes_of_the_sentences);
	tcase_add_test(tc, test_reply_key_marks_tell_words_of_one_key_apart);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
