/*
 * NAME
 *	test_addr 1
 * SUMMARY
 *	unit tests of config/addr.c: the one address rule of every program
 * DESCRIPTION
 *	Canonical forms (case, quotes, IDN), what is refused, limits, and
 *	the comment stripper of structured header values.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "unit.h"

/* Normalise IN, expect return R and, for 0, the text WANT. */
static void
expect(const char *in, int r, const char *want)
{
	char	out[ADDR_MAX];

	ck_assert_msg(addr_normalise(in, out, sizeof(out)) == r, "addr_normalise(\"%s\") != %d",
		      in, r);
	if (r == 0)
		ck_assert_str_eq(out, want);
	else
		ck_assert_str_eq(out, "");
}

START_TEST(test_addr_ascii_is_folded_and_trimmed)
{
	expect(" An@Example.VN ", 0, "an@example.vn");
	expect("<An.Nguyen+Tag@Sub.Example.COM>", 0, "an.nguyen+tag@sub.example.com");
	expect("\t<x@y.vn>\r\n", 0, "x@y.vn");
	expect("o'brien@example.ie", 0, "o'brien@example.ie");
	expect("a!#$%&'*+-/=?^_`{|}~z@example.vn", 0, "a!#$%&'*+-/=?^_`{|}~z@example.vn");
}
END_TEST

START_TEST(test_addr_null_path)
{
	expect("<>", ADDR_NULL, "");
	expect("", ADDR_NULL, "");
	expect("   ", ADDR_NULL, "");
}
END_TEST

START_TEST(test_addr_quoted_local_parts)
{
	/* quotes that are not needed go: one address, one form */
	expect("\"noreply\"@ilinks.asia", 0, "noreply@ilinks.asia");
	expect("\"NoReply\"@ILINKS.asia", 0, "noreply@ilinks.asia");
	expect("\"a.b\"@example.vn", 0, "a.b@example.vn");
	/* needed quotes stay, with minimal escapes */
	expect("\"a b\"@example.vn", 0, "\"a b\"@example.vn");
	expect("\"a\\ b\"@example.vn", 0, "\"a b\"@example.vn");
	expect("\"a..b\"@example.vn", 0, "\"a..b\"@example.vn");
	expect("\"a\\\"b\"@example.vn", 0, "\"a\\\"b\"@example.vn");
	expect("\"a@b\"@example.vn", 0, "\"a@b\"@example.vn");
	/* malformed quoting */
	expect("\"ab@example.vn", -1, "");
	expect("\"\"@example.vn", -1, "");
	expect("\"a\"b@example.vn", -1, "");
	expect("\"a\x01\"@example.vn", -1, "");
}
END_TEST

START_TEST(test_addr_idn_domain_to_a_labels)
{
	expect("lan@bücher.example", 0, "lan@xn--bcher-kva.example");
	expect("lan@BÜCHER.example", 0, "lan@xn--bcher-kva.example");
	expect("lan@xn--bcher-kva.example", 0, "lan@xn--bcher-kva.example");
	expect("lan@XN--BCHER-KVA.EXAMPLE", 0, "lan@xn--bcher-kva.example");
	expect("thu@tiếngviệt.vn", 0, "thu@xn--tingvit-5t4cyc.vn");
	/* decomposed input (NFD) gives the same A-label */
	expect("lan@bu\xcc\x88" "cher.example", 0, "lan@xn--bcher-kva.example");
	/* a label that is not valid punycode */
	expect("lan@xn--.example", -1, "");
}
END_TEST

START_TEST(test_addr_utf8_local_parts)
{
	/* RFC 6531: kept (not case-folded), put in NFC */
	expect("Thư@example.vn", 0, "Thư@example.vn");
	expect("Thu\xcc\x9b\xcc\x80@example.vn", 0, "Thừ@example.vn");
	/* invalid UTF-8 and C1 controls are not addresses */
	expect("th\xc3@example.vn", -1, "");
	expect("th\xc2\x85@example.vn", -1, "");
	ck_assert_int_eq(addr_is_ascii("thư@example.vn"), 0);
	ck_assert_int_eq(addr_is_ascii("thu@example.vn"), 1);
	/*
	 * NFC can turn a dot-atom into something that is not one: U+037E
	 * (Greek question mark) becomes ';', so the local part is quoted
	 */
	expect("a\xcd\xbe" "b@example.vn", 0, "\"a;b\"@example.vn");
	/* and U+212A (Kelvin sign) becomes 'K', still an atom */
	expect("\xe2\x84\xaa" "elvin@example.vn", 0, "Kelvin@example.vn");
}
END_TEST

START_TEST(test_addr_refuses_what_is_not_an_address)
{
	static const char *const bad[] = {
		"plain", "a@@b.vn", "a@b@c.vn", "@example.vn", "an@", "a n@example.vn",
		"an@exa\x01mple.vn", "an..x@example.vn", ".an@example.vn", "an.@example.vn",
		"an@example..vn", "an@.example.vn", "an@example.vn.", "an@-example.vn",
		"an@example-.vn", "an@[192.0.2.1]", "<an@example.vn", "an@example.vn>",
		"a<b@example.vn", "an@exa mple.vn", "an@ex(a)mple.vn", "a\\b@example.vn",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect(bad[i], -1, "");
	ck_assert_int_eq(addr_normalise(NULL, (char[8]) {0}, 8), -1);
}
END_TEST

START_TEST(test_addr_limits)
{
	char	in[600], out[ADDR_MAX], small[8];

	/* a local part past RFC 5321's 64 bytes is read (Postfix passes
	 * them on); the whole address is what is bounded */
	memset(in, 'a', 200);
	strcpy(in + 200, "@example.vn");
	ck_assert_int_eq(addr_normalise(in, out, sizeof(out)), 0);
	memset(in, 'a', 250);
	strcpy(in + 250, "@example.vn");
	ck_assert_int_eq(addr_normalise(in, out, sizeof(out)), -1);
	/* a label of 64 bytes is refused */
	strcpy(in, "a@");
	memset(in + 2, 'b', 64);
	strcpy(in + 66, ".vn");
	ck_assert_int_eq(addr_normalise(in, out, sizeof(out)), -1);
	/* a whole address over 254 bytes is refused */
	strcpy(in, "a@");
	for (int i = 0; i < 5; i++)
		strcat(in, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.");
	strcat(in, "vn");
	ck_assert_int_eq(addr_normalise(in, out, sizeof(out)), -1);
	/* an output buffer too small is an error, never an overflow */
	ck_assert_int_eq(addr_normalise("long.name@example.vn", small, sizeof(small)), -1);
	/* a huge input is refused without being scanned past the limit */
	{
		char   *huge = malloc(1 << 20);

		ck_assert_ptr_nonnull(huge);
		memset(huge, 'a', (1 << 20) - 1);
		huge[(1 << 20) - 1] = 0;
		ck_assert_int_eq(addr_normalise(huge, out, sizeof(out)), -1);
		free(huge);
	}
}
END_TEST

START_TEST(test_addr_domain_helpers)
{
	char	out[ADDR_DOMAIN_MAX + 1];

	ck_assert_str_eq(addr_domain("a@b.vn"), "b.vn");
	ck_assert_str_eq(addr_domain("\"a@x\"@b.vn"), "b.vn");
	ck_assert_str_eq(addr_domain("nodomain"), "nodomain");
	ck_assert_int_eq(addr_domain_normalise("ILinks.Asia", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "ilinks.asia");
	ck_assert_int_eq(addr_domain_normalise("bücher.example", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "xn--bcher-kva.example");
	ck_assert_int_eq(addr_domain_normalise("", out, sizeof(out)), -1);
	ck_assert_int_eq(addr_domain_normalise("a..b", out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_addr_strip_comments)
{
	char	out[128];

	addr_strip_comments("mx.ilinks.asia (our (nested) MX); dkim=pass", 1000, out, sizeof(out));
	ck_assert_str_eq(out, "mx.ilinks.asia  ; dkim=pass");
	addr_strip_comments("a=\"x (not a comment)\"\r\n\tb=c", 1000, out, sizeof(out));
	ck_assert_str_eq(out, "a=\"x (not a comment)\"   b=c");
	addr_strip_comments("a (\\) still comment) b", 1000, out, sizeof(out));
	ck_assert_str_eq(out, "a   b");
	/* bounded by MAXIN and by OUTLEN, always terminated */
	ck_assert_uint_eq(addr_strip_comments("abcdef", 3, out, sizeof(out)), 3);
	ck_assert_str_eq(out, "abc");
	ck_assert_uint_eq(addr_strip_comments("abcdef", 100, out, 4), 3);
	ck_assert_str_eq(out, "abc");
}
END_TEST

/* ref_strip - the comment stripper written byte by byte, to compare with */
static size_t
ref_strip(const char *value, size_t maxin, char *out, size_t outlen)
{
	size_t	n = 0, i;
	int	depth = 0, quoted = 0;

	if (outlen == 0)
		return (0);
	for (i = 0; value[i] && i < maxin && n + 1 < outlen; i++) {
		char	c = value[i];

		if (depth > 0) {
			if (c == '\\' && value[i + 1] && i + 1 < maxin)
				i++;
			else if (c == '(')
				depth++;
			else if (c == ')' && --depth == 0)
				out[n++] = ' ';
			continue;
		}
		if (quoted) {
			if (c == '\\' && value[i + 1] && i + 1 < maxin && n + 2 < outlen) {
				out[n++] = c;
				out[n++] = value[++i];
				continue;
			}
			if (c == '"')
				quoted = 0;
		} else if (c == '(') {
			depth = 1;
			continue;
		} else if (c == '"')
			quoted = 1;
		if (c == '\r' || c == '\n' || c == '\t')
			c = ' ';
		out[n++] = c;
	}
	out[n] = 0;
	return (n);
}

/* The stripper copies plain runs whole: it must give what the byte loop gives, at every bound. */
START_TEST(test_addr_strip_comments_matches_byte_loop)
{
	static const char alphabet[] = "ab (\"\\)\r\n\t;=x";
	char	in[64], got[80], want[80];
	unsigned seed = 12345;

	for (int round = 0; round < 20000; round++) {
		size_t	len, maxin, outlen, ng, nw;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 8) % (sizeof(in) - 1);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		in[len] = 0;
		seed = seed * 1103515245u + 12345u;
		maxin = (seed >> 8) % (sizeof(in) + 4);
		outlen = 1 + (seed >> 20) % (sizeof(got) - 1);
		ng = addr_strip_comments(in, maxin, got, outlen);
		nw = ref_strip(in, maxin, want, outlen);
		ck_assert_msg(ng == nw && strcmp(got, want) == 0,
			      "round %d: \"%s\" maxin %zu outlen %zu: \"%s\" != \"%s\"",
			      round, in, maxin, outlen, got, want);
	}
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("addr");
	TCase  *tc = tcase_create("addr");

	tcase_add_test(tc, test_addr_ascii_is_folded_and_trimmed);
	tcase_add_test(tc, test_addr_null_path);
	tcase_add_test(tc, test_addr_quoted_local_parts);
	tcase_add_test(tc, test_addr_idn_domain_to_a_labels);
	tcase_add_test(tc, test_addr_utf8_local_parts);
	tcase_add_test(tc, test_addr_refuses_what_is_not_an_address);
	tcase_add_test(tc, test_addr_limits);
	tcase_add_test(tc, test_addr_domain_helpers);
	tcase_add_test(tc, test_addr_strip_comments);
	tcase_add_test(tc, test_addr_strip_comments_matches_byte_loop);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
