/*
 * NAME
 *	test_reply_charset 1 (test program)
 * SUMMARY
 *	unit tests of reply_charset: a charset into clean UTF-8
 * SYNOPSIS
 *	test_reply_charset (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	glibc's iconv must know windows-1258 and VISCII (Vietnamese), and
 *	whatever comes in must come out as UTF-8 that can be trusted.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reply_charset.h"
#include "reply_text.h"
#include "strbuf.h"
#include "unit.h"

/* final - the text of B in NFC (reply_text_nfc), owned by the caller */
static char *
final(const struct strbuf *b)
{
	struct strbuf o;

	strbuf_init(&o);
	ck_assert_int_eq(reply_text_nfc(b->data ? b->data : "", b->len, &o), 0);
	return (strbuf_steal(&o));
}

START_TEST(test_reply_charset_windows1258_tone_marks_become_nfc)
{
	struct strbuf b;
	char   *n;

	strbuf_init(&b);
	ck_assert_int_eq(reply_charset_to_utf8("windows-1258", "\x54\xfd\xcc\x20\x63\x68\xf4\xec\x69", 9, &b), 0);
	n = final(&b);
	ck_assert_str_eq(n, "Từ chối");
	free(n);
	strbuf_free(&b);
}
END_TEST

START_TEST(test_reply_charset_viscii_and_latin1)
{
	struct strbuf b;

	strbuf_init(&b);
	ck_assert_int_eq(reply_charset_to_utf8("VISCII", "\x54\xd7\x20\x63\x68\xaf\x69", 7, &b), 0);
	ck_assert_str_eq(b.data, "Từ chối");
	strbuf_reset(&b);
	ck_assert_int_eq(reply_charset_to_utf8("ISO-8859-1", "caf\xe9", 4, &b), 0);
	ck_assert_str_eq(b.data, "café");
	strbuf_free(&b);
}
END_TEST

START_TEST(test_reply_charset_invalid_utf8_is_repaired_never_trusted)
{
	struct strbuf b;
	/* bad lead byte, overlong "/", surrogate, truncated sequence, NUL, CR LF */
	static const char in[] = "a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\x00" "e\r\nf\xe1\xbb";

	strbuf_init(&b);
	ck_assert_int_eq(reply_utf8_clean(in, sizeof(in) - 1, &b), 0);
	ck_assert_str_eq(b.data, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			 "de\nf\xef\xbf\xbd\xef\xbf\xbd");
	strbuf_free(&b);
}
END_TEST

/* put - STR appended at BUF[*LEN] */
static void
put(char *buf, size_t *len, const char *str)
{
	memcpy(buf + *len, str, strlen(str));
	*len += strlen(str);
}

/*
 * test_reply_charset_clean_reads_printable_runs_by_words_as_byte_by_byte -
 * a run of printable ASCII of any length (read eight bytes at a time)
 * with one byte to mend, or keep, at any place: a control, DEL, CR, CR
 * LF, TAB, a letter with marks, a byte that is no UTF-8, a C1 control
 */
START_TEST(test_reply_charset_clean_reads_printable_runs_by_words_as_byte_by_byte)
{
	static const struct {
		const char *in, *out;
	} odd[] = {
		{"\x01", ""}, {"\x7f", ""}, {"\r", "\n"}, {"\r\n", "\n"}, {"\t", "\t"},
		{"\xc3\xa9", "\xc3\xa9"}, {"\x80", "\xef\xbf\xbd"}, {"\xc2\x85", ""},
	};
	char	in[64], want[64], c[2] = {0, 0};
	struct strbuf b;
	size_t	k, n, at, j, len, wl;

	for (k = 0; k < sizeof(odd) / sizeof(odd[0]); k++)
		for (n = 0; n < 40; n++)
			for (at = 0; at <= n; at++) {
				/* N printable bytes, " " to "~", ODD[K] before byte AT */
				for (len = wl = 0, j = 0; j <= n; j++) {
					if (j == at) {
						put(in, &len, odd[k].in);
						put(want, &wl, odd[k].out);
					}
					c[0] = (char) (' ' + (j * 7) % 95);
					if (j < n) {
						put(in, &len, c);
						put(want, &wl, c);
					}
				}
				strbuf_init(&b);
				ck_assert_int_eq(reply_utf8_clean(in, len, &b), 0);
				ck_assert_msg(b.len == wl && memcmp(b.data, want, wl) == 0,
					      "odd byte %zu at %zu of %zu", k, at, n);
				strbuf_free(&b);
			}
}
END_TEST

START_TEST(test_reply_charset_unknown_name_reads_as_utf8)
{
	struct strbuf b;

	strbuf_init(&b);
	ck_assert_int_eq(reply_charset_to_utf8("x-no-such; rm -rf", "Từ", strlen("Từ"), &b), 0);
	ck_assert_str_eq(b.data, "Từ");
	strbuf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_charset");
	TCase  *tc = tcase_create("core");

	tcase_add_test(tc, test_reply_charset_windows1258_tone_marks_become_nfc);
	tcase_add_test(tc, test_reply_charset_viscii_and_latin1);
	tcase_add_test(tc, test_reply_charset_invalid_utf8_is_repaired_never_trusted);
	tcase_add_test(tc, test_reply_charset_unknown_name_reads_as_utf8);
	tcase_add_test(tc, test_reply_charset_clean_reads_printable_runs_by_words_as_byte_by_byte);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
