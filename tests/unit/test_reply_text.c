/*
 * NAME
 *	test_reply_text 1 (test program)
 * SUMMARY
 *	unit tests of reply_text: the canonical text
 * SYNOPSIS
 *	test_reply_text (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	One normalisation, read by every rule: charset repair, format=flowed,
 *	character references, invisible characters, NFC.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reply_text.h"
#include "strbuf.h"
#include "unit.h"

/* canon - the canonical text of IN (LEN bytes) labelled CS, then in NFC as
 * the pipeline composes the new text; owned by the caller */
static char *
canon(const char *in, size_t len, const char *cs, int flowed, int delsp, int plain)
{
	struct reply_text_src src = {cs, flowed, delsp, plain};
	struct strbuf b, n;

	strbuf_init(&b);
	strbuf_init(&n);
	ck_assert_int_eq(reply_text_canon(in, len, &src, &b), 0);
	ck_assert_int_eq(reply_text_nfc(b.data ? b.data : "", b.len, &n), 0);
	strbuf_free(&b);
	return (strbuf_steal(&n));
}

#define CANON(s, cs, f, d, p)	canon(s, sizeof(s) - 1, cs, f, d, p)

START_TEST(test_reply_text_utf8_under_a_single_byte_label_is_utf8)
{
	char   *t = CANON("T\xe1\xbb\xab ch\xe1\xbb\x91i", "iso-8859-1", 0, 0, 1);

	ck_assert_str_eq(t, "Từ chối");
	free(t);
}
END_TEST

START_TEST(test_reply_text_real_latin1_stays_latin1)
{
	char   *t = CANON("Merci, \xe0 bient\xf4t", "ISO-8859-1", 0, 0, 1);

	ck_assert_str_eq(t, "Merci, à bientôt");
	free(t);
}
END_TEST

START_TEST(test_reply_text_vni_font_text_is_mapped_back)
{
	/* "Töø choái" in windows-1252: "Từ chối" typed in a VNI font */
	char   *t = CANON("T\xf6\xf8 cho\xe1i\nKh\xf4ng \xe0 la ligne", "windows-1252", 0, 0, 1);

	ck_assert_str_eq(t, "Từ chối\nKhông à la ligne");
	free(t);
}
END_TEST

START_TEST(test_reply_text_8bit_without_label_is_windows1252)
{
	char   *t = CANON("caf\xe9", "us-ascii", 0, 0, 1);

	ck_assert_str_eq(t, "café");
	free(t);
}
END_TEST

START_TEST(test_reply_text_flowed_soft_breaks_join_within_a_quote_depth)
{
	char   *t = CANON("T\xe1\xbb\xab \nch\xe1\xbb\x91i\n>> quoted \n>> more\n> other\n From here\n", "utf-8", 1, 0, 1);

	ck_assert_str_eq(t, "Từ chối\n>> quoted more\n> other\nFrom here\n");
	free(t);
}
END_TEST

START_TEST(test_reply_text_delsp_deletes_the_space_before_a_soft_break)
{
	char   *a = CANON("T\xe1\xbb\xab ch \n\xe1\xbb\x91i\n", "utf-8", 1, 1, 1);
	char   *b = CANON("-- \nsig\n", "utf-8", 1, 1, 1);

	ck_assert_str_eq(a, "Từ chối\n");
	ck_assert_str_eq(b, "-- \nsig\n");	/* the signature separator is not flowed */
	free(a);
	free(b);
}
END_TEST

START_TEST(test_reply_text_character_references_are_decoded_in_plain_text)
{
	char   *a = CANON("T&#7915; ch&#x1ED1;i &amp; &#0; &#xD800; &#99999999; &bogus;", "iso-8859-1", 0, 0, 1);
	char   *b = CANON("T&#7915;", "utf-8", 0, 0, 0);	/* HTML: libxml2's job */

	ck_assert_str_eq(a, "Từ chối & &#0; &#xD800; &#99999999; &bogus;");
	ck_assert_str_eq(b, "T&#7915;");
	free(a);
	free(b);
}
END_TEST

START_TEST(test_reply_text_invisible_characters_are_removed)
{
	/* ZWNJ inside a word, soft hyphen, word joiner, BOM, LRM; a ZWSP as
	 * the only space between two words is that space */
	char   *t = CANON("\xef\xbb\xbfT\xe2\x80\x8c\xe1\xbb\xab\xe2\x80\x8b"
			  "ch\xe1\xbb\x91\xc2\xadi\xe2\x81\xa0\xe2\x80\x8e", "utf-8", 0, 0, 1);

	ck_assert_str_eq(t, "Từ chối");
	free(t);
}
END_TEST

START_TEST(test_reply_text_emoji_joiner_kept_and_nfd_composed)
{
	char   *a = CANON("\xf0\x9f\x99\x85\xe2\x80\x8d\xe2\x99\x80\xef\xb8\x8f", "utf-8", 0, 0, 1);
	char   *b = CANON("Tu\xcc\x9b\xcc\x80", "utf-8", 0, 0, 1);

	ck_assert_str_eq(a, "\xf0\x9f\x99\x85\xe2\x80\x8d\xe2\x99\x80\xef\xb8\x8f");
	ck_assert_str_eq(b, "Từ");
	free(a);
	free(b);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_text");
	TCase  *tc = tcase_create("core");

	tcase_add_test(tc, test_reply_text_utf8_under_a_single_byte_label_is_utf8);
	tcase_add_test(tc, test_reply_text_real_latin1_stays_latin1);
	tcase_add_test(tc, test_reply_text_vni_font_text_is_mapped_back);
	tcase_add_test(tc, test_reply_text_8bit_without_label_is_windows1252);
	tcase_add_test(tc, test_reply_text_flowed_soft_breaks_join_within_a_quote_depth);
	tcase_add_test(tc, test_reply_text_delsp_deletes_the_space_before_a_soft_break);
	tcase_add_test(tc, test_reply_text_character_references_are_decoded_in_plain_text);
	tcase_add_test(tc, test_reply_text_invisible_characters_are_removed);
	tcase_add_test(tc, test_reply_text_emoji_joiner_kept_and_nfd_composed);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
