/*
 * NAME
 *	test_hdr 1
 * SUMMARY
 *	unit tests of header values: validation and RFC 2047 encoding (sender/hdr.c)
 * SYNOPSIS
 *	test_hdr
 * DESCRIPTION
 *	Check tests, against a real store in a temporary directory where
 *	a store is needed (sender_fixture.h).
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "conf.h"
#include "hdr.h"
#include "sender_fixture.h"
#include "store.h"
#include "unit.h"

START_TEST(test_hdr_subject_never_splits_utf8)
{
	const char *base = "Thông báo bảo trì dịch vụ VPS — ưu đãi đặc biệt cho khách hàng ";
	char	text[1024];
	int	len;

	for (len = 1; len < 900; len += 7) {
		char   *enc;
		int	max_word = 0, ok = 1;
		size_t	i, o = 0;

		/* Build LEN bytes of whole characters. */
		for (i = 0; o < (size_t) len;) {
			unsigned char c = (unsigned char) base[i % strlen(base)];
			size_t	n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

			if (o + n > sizeof(text) - 1)
				break;
			memcpy(text + o, base + (i % strlen(base)), n);
			o += n;
			i += n;
		}
		text[o] = 0;
		enc = hdr_encode_words(NULL, text);
		ck_assert_ptr_nonnull(enc);
		if (strstr(enc, "=?") == NULL)
			ck_assert_str_eq(enc, text);	/* plain ASCII stays plain */
		else
			ck_assert_str_eq(decode_words(enc, &max_word, &ok), text);
		ck_assert_msg(ok, "an encoded word splits a UTF-8 character (len %d)", len);
		ck_assert_int_le(max_word, 75);
		free(enc);
	}
}
END_TEST

START_TEST(test_hdr_label_stays_outside_encoded_word)
{
	char   *enc = hdr_encode_words("[QC]", "Ưu đãi tháng 12");
	int	m, ok;

	ck_assert_ptr_nonnull(enc);
	ck_assert_int_eq(strncmp(enc, "[QC] =?UTF-8?B?", 15), 0);
	ck_assert_str_eq(decode_words(enc, &m, &ok), "Ưu đãi tháng 12");
	free(enc);
	enc = hdr_encode_words("[QC]", "plain ascii");
	ck_assert_str_eq(enc, "[QC] plain ascii");
	free(enc);
	/* ASCII that looks like an encoded word is encoded. */
	enc = hdr_encode_words(NULL, "=?UTF-8?B?QQ==?=");
	ck_assert_int_eq(strncmp(enc, "=?UTF-8?B?", 10), 0);
	ck_assert_str_eq(decode_words(enc, &m, &ok), "=?UTF-8?B?QQ==?=");
	free(enc);
}
END_TEST

START_TEST(test_hdr_rejects_crlf_and_bad_utf8)
{
	ck_assert_ptr_null(hdr_encode_words(NULL, "Hello\r\nBcc: victim@example.com"));
	ck_assert_ptr_null(hdr_encode_words(NULL, "Hello\nBcc: x"));
	ck_assert_ptr_null(hdr_encode_words(NULL, "bad \xc3\x28 utf8"));
	ck_assert_ptr_null(hdr_encode_words(NULL, "overlong \xc0\xaf"));
	ck_assert_ptr_null(hdr_phrase("Nguyễn\r\nBcc: victim@example.com"));
	ck_assert_int_eq(hdr_value_safe("tab\tok"), 1);
	ck_assert_int_eq(hdr_value_safe("esc\x1b"), 0);
	ck_assert_int_eq(hdr_address_valid("a@b.vn"), 1);
	ck_assert_int_eq(hdr_address_valid("a@b.vn>\r\nBcc: x@y"), 0);
	ck_assert_int_eq(hdr_address_valid("a b@c.vn"), 0);
	ck_assert_int_eq(hdr_address_valid("@c.vn"), 0);
}
END_TEST

START_TEST(test_hdr_address_follows_the_one_address_rule)
{
	/* RFC 6531 local parts and quoted local parts are customers too */
	ck_assert_int_eq(hdr_address_valid("nguyễn.an@example.vn"), 1);
	ck_assert_int_eq(hdr_address_valid("\"an nguyen\"@example.vn"), 1);
	ck_assert_int_eq(hdr_address_valid("An.Nguyen@Example.VN"), 1);
	/* never a header or a command that an attacker can extend */
	ck_assert_int_eq(hdr_address_valid("<a@b.vn>"), 0);
	ck_assert_int_eq(hdr_address_valid(" a@b.vn"), 0);
	ck_assert_int_eq(hdr_address_valid("a@b.vn "), 0);
	ck_assert_int_eq(hdr_address_valid("\"a\r\nRCPT TO:<x@y>\"@b.vn"), 0);
	ck_assert_int_eq(hdr_address_valid("\"a\x7f\"@b.vn"), 0);
	ck_assert_int_eq(hdr_address_valid("a\xc3\x28@b.vn"), 0);	/* not UTF-8 */
	ck_assert_int_eq(hdr_address_valid("a@[192.0.2.1]"), 0);
	ck_assert_int_eq(hdr_address_valid("a@b@c.vn"), 0);
	ck_assert_int_eq(hdr_address_valid(""), 0);
	ck_assert_int_eq(hdr_address_valid(NULL), 0);
}
END_TEST

START_TEST(test_hdr_phrase_quotes_specials)
{
	char   *p = hdr_phrase("Evil, \"Name\" <x@y>");
	int	m, ok;

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(strchr(p, '<'));
	ck_assert_ptr_null(strchr(p, ','));
	ck_assert_str_eq(decode_words(p, &m, &ok), "Evil, \"Name\" <x@y>");
	free(p);
	p = hdr_phrase("John Smith");
	ck_assert_str_eq(p, "John Smith");
	free(p);
}
END_TEST

/* hdr_suite - the tests of sender/hdr.c */
static Suite *
hdr_suite(void)
{
	Suite  *s = suite_create("hdr");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hdr_subject_never_splits_utf8);
	tcase_add_test(tc, test_hdr_label_stays_outside_encoded_word);
	tcase_add_test(tc, test_hdr_rejects_crlf_and_bad_utf8);
	tcase_add_test(tc, test_hdr_address_follows_the_one_address_rule);
	tcase_add_test(tc, test_hdr_phrase_quotes_specials);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(hdr_suite()));
}
