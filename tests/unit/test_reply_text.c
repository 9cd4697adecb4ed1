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

#include "reply_charset.h"
#include "reply_norm.h"
#include "reply_text.h"
#include "strbuf.h"
#include "unit.h"
#include "utf8.h"

#define ONEPASS_CASES	5000		/* random texts compared with the two-pass reference */
#define TEXT_TIMEOUT	60		/* seconds per test: the random texts on a loaded, sanitised build */
#define ONEPASS_PIECES	40		/* most pieces in one text */
#define ONEPASS_CPS	512		/* code points of one cleaned text, at most */

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

/* Labels are prefixes, in any case; multi-byte and unknown ones are not
 * single-byte. */
START_TEST(test_reply_text_single_byte_labels_by_prefix_in_any_case)
{
	static const char *const yes[] = {
		"iso-8859-1", "ISO-8859-15", "Iso8859-2", "ISO_8859-1:1987", "latin1", "L1", "windows-1258",
		"Windows-1252", "CP1258", "x-cp1250", "cp-1252", "WIN-1251", "KOI8-R", "VISCII", "TCVN5712-1",
		"IBM850", "cp850", "macintosh", "x-mac-roman", "ASCII", "us-ascii", "ANSI_X3.4-1968",
	};
	static const char *const no[] = {
		"utf-8", "UTF8", "", "gb2312", "big5", "shift_jis", "euc-kr", "iso-2022-jp", "utf-16le",
		"window-1252", "xcp1252", "8859-1", " latin1", "unknown",
	};
	size_t	i;

	ck_assert_int_eq(reply_text_is_single_byte(NULL), 0);
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(reply_text_is_single_byte(yes[i]) == 1, "%s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(reply_text_is_single_byte(no[i]) == 0, "%s", no[i]);
}
END_TEST

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

/* The pieces of the random texts: clean text, controls, CR, invalid
 * sequences, C1 controls, and every invisible or space-like character. */
static const char *const piece[] = {
	"a", "Z", "0", " ", "\n", "\r", "\r\n", "\t", "\x01", "\x7f", "&", "T\xe1\xbb\xab",
	"ch\xe1\xbb\x91i", "\xc2\x80", "\xc2\x9f", "\xff", "\xc0", "\x80", "\xe1\xbb", "\xed\xa0\x80",
	"\xc2\xa0", "\xc2\xad", "\xcd\x8f", "\xe1\x9a\x80", "\xe1\xa0\x8e", "\xe2\x80\x80",
	"\xe2\x80\x8a", "\xe2\x80\x8b", "\xe2\x80\x8c", "\xe2\x80\x8d", "\xe2\x80\x8e",
	"\xe2\x80\x8f", "\xe2\x80\xa8", "\xe2\x80\xaa", "\xe2\x80\xaf", "\xe2\x81\x9f",
	"\xe2\x81\xa0", "\xe2\x81\xa6", "\xe3\x80\x80", "\xef\xbb\xbf", "\xef\xbf\xbd",
	"\xf0\x9f\x99\x85", "\xe2\x99\x80",
	/* the letters read without decoding, and their neighbours */
	"\xc2\xbf", "\xc3\x80", "\xcb\xbf", "\xcc\x80", "\xc3", "\xcb", "\xe1\xb7\xbf",
	"\xe1\xb8\x80", "\xe1\xbb\xbf", "\xe1\xbc\x80", "\xe1\xb8",
};

/* ref_invisible, ref_spacelike - the characters reply_text_final() drops, and reads as a space */
static int
ref_invisible(int32_t c)
{
	static const int32_t r[][2] = {
		{0xAD, 0xAD}, {0x34F, 0x34F}, {0x180E, 0x180E}, {0x200C, 0x200C}, {0x200E, 0x200F},
		{0x202A, 0x202E}, {0x2060, 0x2064}, {0x2066, 0x2069}, {0xFEFF, 0xFEFF},
	};
	size_t	i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (c >= r[i][0] && c <= r[i][1])
			return (1);
	return (0);
}

static int
ref_spacelike(int32_t c)
{
	return (c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F
		|| c == 0x3000);
}

/*
 * ref_final - the reference: reply_utf8_clean(), then the rules applied to
 * the array of its code points (the neighbours of each one at hand)
 */
static void
ref_final(const char *s, size_t len, struct strbuf *out)
{
	struct strbuf clean;
	int32_t	cp[ONEPASS_CPS], c, prev = 0, next;
	size_t	n = 0, i, adv;

	strbuf_init(&clean);
	ck_assert_int_eq(reply_utf8_clean(s, len, &clean), 0);
	for (i = 0; i < clean.len; i += adv) {
		ck_assert_uint_lt(n, ONEPASS_CPS);
		cp[n++] = utf8_decode((const unsigned char *) clean.data + i, clean.len - i, &adv);
	}
	for (i = 0; i < n; i++) {
		c = cp[i];
		next = i + 1 < n ? cp[i + 1] : 0;
		if (c == 0x200B)
			c = prev == ' ' || next == ' ' || prev == '\n' || next == '\n' || prev == 0 || next == 0
			    ? 0xFEFF : 0x2000;
		if (ref_spacelike(c))
			strbuf_addc(out, ' ');
		else if (!ref_invisible(c) && !(c == 0x200D && (prev < 0x2000 || next < 0x2000)))
			strbuf_addcp(out, c);
		prev = c;
	}
	strbuf_free(&clean);
}

START_TEST(test_reply_text_final_cleans_in_the_same_pass_as_the_two_pass_reference)
{
	struct strbuf in, got, want;
	size_t	k, j, n;

	srand(14);
	strbuf_init(&in);
	strbuf_init(&got);
	strbuf_init(&want);
	for (k = 0; k < ONEPASS_CASES; k++) {
		strbuf_reset(&in);
		strbuf_reset(&got);
		strbuf_reset(&want);
		for (j = 0, n = 1 + (size_t) rand() % ONEPASS_PIECES; j < n; j++)
			strbuf_adds(&in, piece[(size_t) rand() % (sizeof(piece) / sizeof(piece[0]))]);
		ck_assert_int_eq(reply_text_final(in.data, in.len, &got), 0);
		ref_final(in.data, in.len, &want);
		ck_assert_msg(got.len == want.len && memcmp(got.data, want.data, got.len) == 0,
			      "case %zu differs from the reference", k);
	}
	strbuf_free(&in);
	strbuf_free(&got);
	strbuf_free(&want);
}
END_TEST

/* The pieces of the texts reply_text_nfc() reads: clean canonical text, NFC
 * or not (combining marks after letters that take them, and after others). */
static const char *const nfc_piece[] = {
	"a", "e", "O", "u", " ", "\n", "T\xe1\xbb\xab", "\xc3\xa2", "\xc6\xb0", "\xc4\x91",
	"\xe1\xba\xa0", "\xe1\xbb\x87", "\xe1\xb8\x80", "\xcb\x86", "\xcc\x81", "\xcc\x82",
	"\xcc\x83", "\xcc\x89", "\xcc\xa3", "\xcc\x9b", "\xcc\x86", "\xe4\xb8\xad",
	"\xf0\x9f\x99\x85", "\xe2\x80\x94", "\xd0\x96",
};

/* Text reply_text_nfc() passes as it is (no character that composes) reads
 * the same as the text it normalises: both are what reply_norm() makes. */
START_TEST(test_reply_text_nfc_is_the_normalised_text_with_or_without_the_quick_check)
{
	struct strbuf in, got, want;
	struct reply_norm n;
	size_t	k, j, m, quick = 0;

	srand(14);
	strbuf_init(&in);
	strbuf_init(&got);
	strbuf_init(&want);
	reply_norm_init(&n);
	for (k = 0; k < ONEPASS_CASES; k++) {
		strbuf_reset(&in);
		strbuf_reset(&got);
		strbuf_reset(&want);
		for (j = 0, m = 1 + (size_t) rand() % ONEPASS_PIECES; j < m; j++)
			strbuf_adds(&in, nfc_piece[(size_t) rand() % (sizeof(nfc_piece) / sizeof(nfc_piece[0]))]);
		ck_assert_int_eq(reply_text_nfc(in.data, in.len, &got), 0);
		ck_assert_int_eq(reply_norm(&n, in.data, in.len, 0, &want), 0);
		ck_assert_msg(got.len == want.len && memcmp(got.data, want.data, got.len) == 0,
			      "case %zu: \"%s\" is not \"%s\"", k, got.data, want.data);
		quick += got.len == in.len && memcmp(got.data, in.data, in.len) == 0;
	}
	ck_assert_uint_gt(quick, 0);		/* some texts took the quick check */
	reply_norm_free(&n);
	strbuf_free(&in);
	strbuf_free(&got);
	strbuf_free(&want);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_text");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, TEXT_TIMEOUT);
	tcase_add_test(tc, test_reply_text_single_byte_labels_by_prefix_in_any_case);
	tcase_add_test(tc, test_reply_text_utf8_under_a_single_byte_label_is_utf8);
	tcase_add_test(tc, test_reply_text_real_latin1_stays_latin1);
	tcase_add_test(tc, test_reply_text_vni_font_text_is_mapped_back);
	tcase_add_test(tc, test_reply_text_8bit_without_label_is_windows1252);
	tcase_add_test(tc, test_reply_text_flowed_soft_breaks_join_within_a_quote_depth);
	tcase_add_test(tc, test_reply_text_delsp_deletes_the_space_before_a_soft_break);
	tcase_add_test(tc, test_reply_text_character_references_are_decoded_in_plain_text);
	tcase_add_test(tc, test_reply_text_invisible_characters_are_removed);
	tcase_add_test(tc, test_reply_text_emoji_joiner_kept_and_nfd_composed);
	tcase_add_test(tc, test_reply_text_final_cleans_in_the_same_pass_as_the_two_pass_reference);
	tcase_add_test(tc, test_reply_text_nfc_is_the_normalised_text_with_or_without_the_quick_check);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
