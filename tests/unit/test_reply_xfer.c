/*
 * NAME
 *	test_reply_xfer 1 (test program)
 * SUMMARY
 *	unit tests of reply_xfer: base64 and quoted-printable part bodies
 * SYNOPSIS
 *	test_reply_xfer (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	The decoders give what RFC 2045 says for well-formed bodies, what
 *	libetpan's mailmime_part_parse() (the decoder used before them)
 *	gave for malformed ones, case by case and on many pseudo-random
 *	bodies of the characters that matter ("=", CR, LF, hex digits,
 *	base64 letters, padding, garbage), and stop at the byte budget.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "reply_xfer.h"
#include "strbuf.h"
#include "unit.h"

#define XT_RANDOM_BODIES	200000	/* pseudo-random bodies compared with libetpan */
#define XT_BODY_MAX		24	/* bytes of each */
#define XT_PAD			16	/* libetpan reads past the end: NUL padding */

enum { XT_QP, XT_B64 };

/* decode - ENC-decode IN (LEN) with budget MAX after a prefix; *CUT set */
static struct strbuf
decode(int enc, const char *in, size_t len, size_t max, int *cut)
{
	struct strbuf b;

	strbuf_init(&b);
	ck_assert_int_eq(strbuf_add(&b, "<", 1), 0);
	*cut = 0;
	ck_assert_int_eq(enc == XT_B64 ? reply_xfer_base64(in, len, max, &b, cut)
			 : reply_xfer_qp(in, len, max, &b, cut), 0);
	ck_assert_uint_eq((unsigned char) b.data[b.len], 0);
	return (b);
}

/* expect - decoding IN gives OUT (OUTLEN bytes, after the prefix) */
static void
expect(int enc, const char *in, const char *out, size_t outlen)
{
	int	cut;
	struct strbuf b = decode(enc, in, strlen(in), 1024, &cut);

	ck_assert_msg(b.len == outlen + 1 && memcmp(b.data + 1, out, outlen) == 0,
		      "decoding \"%s\" gave %zu bytes \"%s\"", in, b.len - 1, b.data + 1);
	ck_assert_int_eq(cut, 0);
	strbuf_free(&b);
}

START_TEST(test_reply_xfer_qp_decodes_rfc2045_bodies)
{
	expect(XT_QP, "T=E1=BB=AB ch=E1=BB=91i", "T\xe1\xbb\xab ch\xe1\xbb\x91i", 11);
	expect(XT_QP, "a=\r\nb=\nc", "abc", 3);			/* soft line breaks */
	expect(XT_QP, "a\nb\r\nc\rd", "a\r\nb\r\nc\r\nd", 10);	/* every line break CR LF */
	expect(XT_QP, "=3d=3D=c3=A9", "==\xc3\xa9", 4);		/* either case */
}
END_TEST

START_TEST(test_reply_xfer_qp_malformed_bodies_as_before)
{
	expect(XT_QP, "a=", "a=", 2);			/* a last "=" is kept */
	expect(XT_QP, "a=4", "a4\0", 3);		/* "=C" at the end: C and NUL */
	expect(XT_QP, "a==", "a==", 3);
	expect(XT_QP, "=ZZx", "\0x", 2);		/* not hex: 0 */
	expect(XT_QP, "= \nx", "\0x", 2);		/* blank before the line end */
	expect(XT_QP, "ab\r", "ab", 2);			/* a CR at the end is dropped */
	expect(XT_QP, "ab=\r", "ab", 2);
	expect(XT_QP, "a=\rb", "ab", 2);
}
END_TEST

START_TEST(test_reply_xfer_base64_skips_what_is_not_base64)
{
	expect(XT_B64, "VOG7qyBjaOG7kWk=", "T\xe1\xbb\xab ch\xe1\xbb\x91i", 11);
	expect(XT_B64, "VOG7\r\nqyBj\naOG7 kWk=\r\n", "T\xe1\xbb\xab ch\xe1\xbb\x91i", 11);
	expect(XT_B64, "QUJD!*RA", "ABCD", 4);		/* garbage skipped */
	expect(XT_B64, "QUJDRA", "ABCD", 4);		/* no padding */
	expect(XT_B64, "QUJDREU", "ABCDE", 5);
	expect(XT_B64, "QUJDR", "ABC\x44", 4);		/* a lone last character: 1 byte */
	expect(XT_B64, "", "", 0);
}
END_TEST

START_TEST(test_reply_xfer_stops_at_the_budget)
{
	struct strbuf b;
	int	cut;

	b = decode(XT_B64, "QUJDREVGR0g=", 12, 5, &cut);
	ck_assert_str_eq(b.data, "<ABCDE");
	ck_assert_int_eq(cut, 1);
	strbuf_free(&b);
	b = decode(XT_B64, "QUJDREVGR0g=", 12, 8, &cut);	/* exactly the budget */
	ck_assert_str_eq(b.data, "<ABCDEFGH");
	ck_assert_int_eq(cut, 0);
	strbuf_free(&b);
	b = decode(XT_QP, "ab\ncd=\n", 7, 3, &cut);
	ck_assert_str_eq(b.data, "<ab\r");
	ck_assert_int_eq(cut, 1);
	strbuf_free(&b);
	b = decode(XT_QP, "abc=\n=\n", 7, 3, &cut);		/* only soft breaks left */
	ck_assert_str_eq(b.data, "<abc");
	ck_assert_int_eq(cut, 0);
	strbuf_free(&b);
}
END_TEST

/* xorshift - the next pseudo-random number of *S */
static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (*s);
}

/* same_as_libetpan - our decoding of IN equals libetpan's, within MAX */
static int
same_as_libetpan(int enc, const char *in, size_t len, size_t max)
{
	char	padded[XT_BODY_MAX + XT_PAD], *dec = NULL;
	size_t	idx = 0, dlen = 0, want;
	struct strbuf b;
	int	cut, ok;

	memcpy(padded, in, len);
	memset(padded + len, 0, XT_PAD);
	ck_assert_int_eq(mailmime_part_parse(padded, len, &idx, enc == XT_B64 ? MAILMIME_MECHANISM_BASE64
			 : MAILMIME_MECHANISM_QUOTED_PRINTABLE, &dec, &dlen), MAILIMF_NO_ERROR);
	b = decode(enc, in, len, max, &cut);
	want = dlen > max ? max : dlen;
	ok = b.len == want + 1 && memcmp(b.data + 1, dec, want) == 0 && cut == (dlen > max);
	mailmime_decoded_part_free(dec);
	strbuf_free(&b);
	return (ok);
}

START_TEST(test_reply_xfer_agrees_with_libetpan_on_random_bodies)
{
	static const char *const alphabet[] = {"=\r\n aA0Fz_\t/+-", "ABCxyz019+/=\r\n \x80!"};
	char	in[XT_BODY_MAX];
	uint64_t s = 88172645463325252ULL;
	size_t	i, k, n, max, sextets;
	int	enc;

	for (i = 0; i < XT_RANDOM_BODIES; i++) {
		enc = (int) (xorshift(&s) & 1);
		n = xorshift(&s) % XT_BODY_MAX;
		for (k = 0, sextets = 0; k < n; k++) {
			in[k] = alphabet[enc][xorshift(&s) % strlen(alphabet[enc])];
			sextets += reply_xfer_b64_value((unsigned char) in[k]) >= 0;
		}
		/* libetpan reads a byte it never set for a lone base64 character */
		if (enc == XT_B64 && sextets == 1)
			continue;
		max = xorshift(&s) % 4 == 0 ? xorshift(&s) % 20 : 1024;
		ck_assert_msg(same_as_libetpan(enc, in, n, max), "body %zu (%s, %zu bytes) differs", i,
			      enc == XT_B64 ? "base64" : "quoted-printable", n);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_xfer");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_reply_xfer_qp_decodes_rfc2045_bodies);
	tcase_add_test(tc, test_reply_xfer_qp_malformed_bodies_as_before);
	tcase_add_test(tc, test_reply_xfer_base64_skips_what_is_not_base64);
	tcase_add_test(tc, test_reply_xfer_stops_at_the_budget);
	tcase_add_test(tc, test_reply_xfer_agrees_with_libetpan_on_random_bodies);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
