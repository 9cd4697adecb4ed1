/*
 * NAME
 *	test_sender 1
 * SUMMARY
 *	unit tests of links-sender: headers, templates, MIME, categories, audience
 * SYNOPSIS
 *	test_sender
 * DESCRIPTION
 *	Check tests for sender/hdr.c (RFC 2047), sender/tmpl.c, sender/mime.c,
 *	sender/compose.c (From per category, footer, List-* headers) and
 *	sender/audience.c (who is sent, skipped or left out) against a real
 *	store in a temporary directory; and the Message-ID / unsubscribe
 *	token round trip through store_token_verify().
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

#include "audience.h"
#include "campaign.h"
#include "compose.h"
#include "conf.h"
#include "hdr.h"
#include "mime.h"
#include "store.h"
#include "tmpl.h"
#include "utf8.h"

#define TEST_TEMPLATES TOP_SRCDIR "/config/templates"

/* ---- helpers ---- */

static int
utf8_ok(const unsigned char *s, size_t n)
{
	return (utf8_valid((const char *) s, n));
}

/* Decode every encoded word of V (after the label); check each alone. */
static char *
decode_words(const char *v, int *max_word, int *words_ok)
{
	static char out[4096];
	const char *p = v;
	size_t	o = 0;

	*max_word = 0;
	*words_ok = 1;
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		const char *b = p + 10, *e = strstr(b, "?=");
		unsigned char buf[256];
		int	n, pad = 0;

		ck_assert_ptr_nonnull(e);
		if ((int) (e + 2 - p) > *max_word)
			*max_word = (int) (e + 2 - p);
		n = EVP_DecodeBlock(buf, (const unsigned char *) b, (int) (e - b));
		ck_assert_int_ge(n, 0);
		if (e - b >= 1 && e[-1] == '=')
			pad++;
		if (e - b >= 2 && e[-2] == '=')
			pad++;
		n -= pad;
		if (!utf8_ok(buf, (size_t) n))
			*words_ok = 0;
		memcpy(out + o, buf, (size_t) n);
		o += (size_t) n;
		p = e + 2;
	}
	out[o] = 0;
	return (out);
}

static struct conf *
test_conf(const char *dir)
{
	struct conf *c = conf_defaults();
	char	path[512], err[CONF_ERR_MAX];

	ck_assert_ptr_nonnull(c);
	snprintf(path, sizeof(path), "%s/links.db", dir);
	ck_assert_int_eq(conf_set(c, "store_path", path, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/master.key", dir);
	ck_assert_int_eq(conf_set(c, "key_file", path, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "template_dir", TEST_TEMPLATES, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "bounce_threshold", "1", err, sizeof(err)), 0);
	return (c);
}

static char tmpdir[256];

static void
make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_sender.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
remove_tmpdir(void)
{
	char	cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Longest line of a CRLF message's header block. */
static size_t
longest_header_line(const char *msg)
{
	const char *p = msg, *end = strstr(msg, "\r\n\r\n");
	size_t	max = 0;

	while (p < end) {
		const char *e = strstr(p, "\r\n");
		size_t	n = (size_t) (e - p);

		if (n > max)
			max = n;
		p = e + 2;
	}
	return (max);
}

/* The unfolded value of header NAME in MSG (static buffer), NULL if absent. */
static const char *
header(const char *msg, const char *name)
{
	static char v[2048];
	const char *p = msg, *end = strstr(msg, "\r\n\r\n");
	size_t	n = strlen(name), o = 0;

	while (p < end) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			for (;;) {
				const char *e = strstr(p, "\r\n");

				memcpy(v + o, p, (size_t) (e - p));
				o += (size_t) (e - p);
				p = e + 2;
				if (*p != ' ' && *p != '\t')
					break;
			}
			v[o] = 0;
			return (v);
		}
		p = strstr(p, "\r\n") + 2;
	}
	return (NULL);
}

/* ---- hdr ---- */

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

/* ---- tmpl ---- */

START_TEST(test_tmpl_missing_placeholder_is_an_error)
{
	const char *src = "Subject: Hello {{name}}\n\nDear {{name}}, {{missing}}\n";
	char	err[256], *out = NULL;
	struct tmpl *t = tmpl_parse("t", src, strlen(src), err, sizeof(err));
	struct tmpl_vars *v = tmpl_vars_new(NULL);

	ck_assert_ptr_nonnull(t);
	tmpl_vars_set(v, "name", "An");
	ck_assert_int_eq(tmpl_render(t, TMPL_SUBJECT, v, &out, err, sizeof(err)), 0);
	ck_assert_str_eq(out, "Hello An");
	free(out);
	ck_assert_int_eq(tmpl_render(t, TMPL_TEXT, v, &out, err, sizeof(err)), -1);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(err, "{{missing}}"));
	tmpl_vars_free(v);
	tmpl_free(t);
}
END_TEST

START_TEST(test_tmpl_syntax_errors_name_the_line)
{
	const char *bad[] = {
		"Subject: x\n\nline\n{{ unclosed\n",
		"Subject: x\n\nline\n{{Bad Key}}\n",
		"Subject: x\nNope: y\n\nbody\n",
		"Label: [QC]\n\nno subject\n",
		"Subject: x\nLabel: [QUẢNG CÁO]\n\nbody\n",
		"Subject: x\n",
	};
	char	err[256];
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tmpl *t = tmpl_parse("f.tmpl", bad[i], strlen(bad[i]), err, sizeof(err));

		ck_assert_msg(t == NULL, "case %zu accepted", i);
		ck_assert_int_eq(strncmp(err, "f.tmpl", 6), 0);
	}
	tmpl_parse("f.tmpl", bad[0], strlen(bad[0]), err, sizeof(err));
	ck_assert_ptr_nonnull(strstr(err, "f.tmpl:4:"));
}
END_TEST

START_TEST(test_tmpl_html_part_is_escaped)
{
	const char *src = "Subject: s\n\ntext {{v}}\n--- html ---\n<p>{{v}}</p>\n";
	char	err[256], *out;
	struct tmpl *t = tmpl_parse("t", src, strlen(src), err, sizeof(err));
	struct tmpl_vars *v = tmpl_vars_new(NULL);

	ck_assert_ptr_nonnull(t);
	ck_assert(tmpl_has(t, TMPL_HTML));
	tmpl_vars_set(v, "v", "<script>&\"'");
	ck_assert_int_eq(tmpl_render(t, TMPL_HTML, v, &out, err, sizeof(err)), 0);
	ck_assert_str_eq(out, "<p>&lt;script&gt;&amp;&quot;&#39;</p>\n");
	free(out);
	ck_assert_int_eq(tmpl_render(t, TMPL_TEXT, v, &out, err, sizeof(err)), 0);
	ck_assert_str_eq(out, "text <script>&\"'\n");
	free(out);
	tmpl_vars_free(v);
	tmpl_free(t);
}
END_TEST

START_TEST(test_tmpl_shipped_templates_load)
{
	const char *names[] = {"contract_notice", "invoice", "confirmation", "policy_change",
		"maintenance", "survey", "promotion", "answer", "optout_confirm", "staff"};
	const char *cats[] = {"account", "account", "account", "account", "maintenance", "survey",
		"promotion", "answer", "account", "staff"};
	char	err[512];
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct tmpl *t = tmpl_load(TEST_TEMPLATES, names[i], err, sizeof(err));

		ck_assert_msg(t != NULL, "%s: %s", names[i], err);
		ck_assert_msg(tmpl_allows(t, cats[i]), "%s not for %s", names[i], cats[i]);
		ck_assert(!tmpl_allows(t, strcmp(cats[i], "promotion") ? "promotion" : "account"));
		tmpl_free(t);
	}
	ck_assert_ptr_null(tmpl_load(TEST_TEMPLATES, "../etc/passwd", err, sizeof(err)));
}
END_TEST

START_TEST(test_tmpl_optout_confirm_has_no_advertising)
{
	char	err[512], *text;
	struct tmpl *t = tmpl_load(TEST_TEMPLATES, "optout_confirm", err, sizeof(err));
	struct tmpl_vars *v = tmpl_vars_new(NULL);
	const char *keys[] = {"name", "email", "contact_email", "contact_phone", "company_name"};
	size_t	i;

	ck_assert_ptr_nonnull(t);
	for (i = 0; i < 5; i++)
		tmpl_vars_set(v, keys[i], "x");
	ck_assert_str_eq(tmpl_label(t), "");
	ck_assert_int_eq(tmpl_render(t, TMPL_TEXT, v, &text, err, sizeof(err)), 0);
	ck_assert_ptr_null(strstr(text, "ưu đãi"));
	ck_assert_ptr_null(strstr(text, "Ưu đãi"));
	ck_assert_ptr_null(strstr(text, "http"));
	ck_assert_ptr_null(strstr(text, "[QC]"));
	free(text);
	tmpl_vars_free(v);
	tmpl_free(t);
}
END_TEST

/* ---- mime ---- */

START_TEST(test_mime_header_lines_fold_within_78)
{
	struct mime_msg m;
	char	err[256], *out;
	size_t	len;
	char	subject[600] = "";
	int	i;

	for (i = 0; i < 12; i++)
		strcat(subject, "Thông báo bảo trì ");
	memset(&m, 0, sizeof(m));
	m.from_addr = "noreply@ilinks.asia";
	m.from_name = "LINKS";
	m.to_addr = "an.nguyen@example.vn";
	m.to_name = "Nguyễn Văn An Nguyễn Văn An Nguyễn Văn An Nguyễn Văn An Nguyễn Văn An";
	m.subject_label = "[QC]";
	m.subject = subject;
	m.message_id = "abc123@ilinks.asia";
	m.date = 1700000000;
	m.text = "Xin chào\nDòng hai\n";
	m.html = "<p>Xin chào</p>";
	ck_assert_int_eq(mime_build(&m, &out, &len, err, sizeof(err)), 0);
	ck_assert_int_le(longest_header_line(out), 78);
	ck_assert_ptr_nonnull(strstr(out, "Message-ID: <abc123@ilinks.asia>\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "MIME-Version: 1.0\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "multipart/alternative"));
	ck_assert_ptr_nonnull(strstr(out, "Content-Transfer-Encoding: base64"));
	ck_assert_ptr_nonnull(strstr(header(out, "Subject"), " [QC]"));
	free(out);
}
END_TEST

START_TEST(test_mime_crlf_in_name_cannot_add_a_header)
{
	struct mime_msg m;
	char	err[256], *out = NULL;
	size_t	len;

	memset(&m, 0, sizeof(m));
	m.from_addr = "noreply@ilinks.asia";
	m.to_addr = "an@example.vn";
	m.to_name = "An\r\nBcc: victim@example.com";
	m.subject = "s";
	m.message_id = "x@ilinks.asia";
	m.text = "t";
	ck_assert_int_eq(mime_build(&m, &out, &len, err, sizeof(err)), -1);
	ck_assert_ptr_null(out);
	ck_assert_ptr_null(strstr(err, "victim"));
	m.to_name = "An";
	m.subject = "s\nBcc: victim@example.com";
	ck_assert_int_eq(mime_build(&m, &out, &len, err, sizeof(err)), -1);
	m.subject = "s";
	m.message_id = "x@ilinks.asia>\r\nBcc: <v@e.com";
	ck_assert_int_eq(mime_build(&m, &out, &len, err, sizeof(err)), -1);
}
END_TEST

/* ---- compose: categories ---- */

static struct tmpl *
any_tmpl(void)
{
	const char *src = "Subject: Chào {{name}}\n\nNội dung cho {{email}}.\n";
	char	err[256];

	return (tmpl_parse("any", src, strlen(src), err, sizeof(err)));
}

static const char *
from_of(struct conf *c, enum category cat, const char *staff, char *err, size_t errlen)
{
	static char from[256];
	struct tmpl *t = any_tmpl();
	struct compose *cp = compose_new(c, cat, t, NULL, staff, err, errlen);

	if (cp == NULL) {
		tmpl_free(t);
		return (NULL);
	}
	snprintf(from, sizeof(from), "%s", compose_from(cp));
	compose_free(cp);
	tmpl_free(t);
	return (from);
}

START_TEST(test_compose_from_per_category)
{
	struct conf *c = conf_defaults();
	char	err[256];

	ck_assert_str_eq(from_of(c, CATEGORY_ACCOUNT, NULL, err, sizeof(err)), "noreply@ilinks.asia");
	ck_assert_str_eq(from_of(c, CATEGORY_MAINTENANCE, NULL, err, sizeof(err)), "noreply@ilinks.asia");
	ck_assert_str_eq(from_of(c, CATEGORY_PROMOTION, NULL, err, sizeof(err)), "noreply@ilinks.asia");
	ck_assert_str_eq(from_of(c, CATEGORY_SURVEY, NULL, err, sizeof(err)), "support@ilinks.asia");
	ck_assert_str_eq(from_of(c, CATEGORY_ANSWER, NULL, err, sizeof(err)), "support@ilinks.asia");
	ck_assert_str_eq(from_of(c, CATEGORY_STAFF, "lan@ilinks.asia", err, sizeof(err)), "lan@ilinks.asia");
	ck_assert_int_eq(conf_set(c, "promotion_from", "khuyenmai@ilinks.asia", err, sizeof(err)), 0);
	ck_assert_str_eq(from_of(c, CATEGORY_PROMOTION, NULL, err, sizeof(err)), "khuyenmai@ilinks.asia");
	/* Staff: only name@ of a company domain. */
	ck_assert_ptr_null(from_of(c, CATEGORY_STAFF, "lan@example.com", err, sizeof(err)));
	ck_assert_ptr_null(from_of(c, CATEGORY_STAFF, "noreply@ilinks.asia", err, sizeof(err)));
	ck_assert_ptr_null(from_of(c, CATEGORY_STAFF, NULL, err, sizeof(err)));
	ck_assert_ptr_null(from_of(c, CATEGORY_STAFF, "lan@ilinks.asia>\r\nBcc: x@y", err, sizeof(err)));
	/* --from is for staff only. */
	ck_assert_ptr_null(from_of(c, CATEGORY_ACCOUNT, "lan@ilinks.asia", err, sizeof(err)));
	conf_free(c);
}
END_TEST

static char *
build(struct conf *c, enum category cat, const char *token, const char *name, int *rv)
{
	struct tmpl *t = any_tmpl();
	struct compose *cp;
	struct compose_rcpt r;
	char	err[256], *out = NULL;
	size_t	len;

	cp = compose_new(c, cat, t, NULL, cat == CATEGORY_STAFF ? "lan@ilinks.asia" : NULL,
			 err, sizeof(err));
	ck_assert_msg(cp != NULL, "%s", err);
	memset(&r, 0, sizeof(r));
	r.customer_id = 7;
	r.email = "an.nguyen@example.vn";
	r.name = name;
	r.message_id = "0123abcd@ilinks.asia";
	r.token = token;
	r.date = 1700000000;
	*rv = compose_message(cp, &r, &out, &len, err, sizeof(err));
	compose_free(cp);
	tmpl_free(t);
	return (out);
}

START_TEST(test_compose_list_headers_only_for_refusable)
{
	struct conf *c = conf_defaults();
	int	cat, rv;
	char	err[256];

	for (cat = 0; cat < CATEGORY_COUNT; cat++) {
		char   *m = build(c, (enum category) cat, "tok234", "Nguyễn Văn An", &rv);

		ck_assert_int_eq(rv, 0);
		ck_assert_str_eq(header(m, "Auto-Submitted"), " auto-generated");
		if (category_refusable((enum category) cat)) {
			ck_assert_str_eq(header(m, "List-Unsubscribe"),
					 "  <mailto:noreply+tok234@ilinks.asia?subject=unsubscribe>");
			ck_assert_ptr_nonnull(header(m, "List-Id"));
			ck_assert_ptr_null(header(m, "List-Unsubscribe-Post"));
		} else {
			ck_assert_ptr_null(header(m, "List-Unsubscribe"));
			ck_assert_ptr_null(header(m, "List-Id"));
		}
		ck_assert_int_le(longest_header_line(m), 78);
		free(m);
	}
	{
		char   *m = build(c, CATEGORY_PROMOTION, "tok234", "", &rv);

		ck_assert_str_eq(header(m, "List-Id"), " <promotion.ilinks.asia>");
		free(m);
	}
	ck_assert_int_eq(conf_set(c, "unsubscribe_url", "https://dichvu.ilinks.asia/u/", err, sizeof(err)), 0);
	{
		char   *m = build(c, CATEGORY_SURVEY, "tok234", "", &rv);

		ck_assert_ptr_nonnull(strstr(header(m, "List-Unsubscribe"), "<https://dichvu.ilinks.asia/u/tok234>"));
		ck_assert_str_eq(header(m, "List-Unsubscribe-Post"), " List-Unsubscribe=One-Click");
		ck_assert_str_eq(header(m, "List-Id"), " <survey.ilinks.asia>");
		free(m);
	}
	/* A refusable message without a token is refused. */
	ck_assert_ptr_null(build(c, CATEGORY_PROMOTION, NULL, "", &rv));
	ck_assert_int_lt(rv, 0);
	conf_free(c);
}
END_TEST

START_TEST(test_compose_crlf_name_is_a_bad_recipient)
{
	struct conf *c = conf_defaults();
	int	rv;

	ck_assert_ptr_null(build(c, CATEGORY_ACCOUNT, NULL, "An\r\nBcc: victim@example.com", &rv));
	ck_assert_int_eq(rv, COMPOSE_BAD_RCPT);
	ck_assert_ptr_null(build(c, CATEGORY_ACCOUNT, NULL, "An\nX-Evil: 1", &rv));
	ck_assert_int_eq(rv, COMPOSE_BAD_RCPT);
	conf_free(c);
}
END_TEST

START_TEST(test_compose_footer_has_refusal_and_contact)
{
	struct conf *c = conf_defaults();
	int	rv, cat;

	for (cat = 0; cat < CATEGORY_COUNT; cat++) {
		char   *m = build(c, (enum category) cat, "t", "", &rv);
		unsigned char text[8192];
		const char *p = strstr(m, "base64\r\n\r\n") + 10;
		char	b64[8192];
		size_t	o = 0;
		int	n;

		/* Decode the text part (lines up to the blank line). */
		while (*p && !(p[0] == '\r' && p[1] == '\n')) {
			const char *e = strstr(p, "\r\n");

			if (e == NULL)
				e = p + strlen(p);
			memcpy(b64 + o, p, (size_t) (e - p));
			o += (size_t) (e - p);
			p = *e ? e + 2 : e;
		}
		b64[o] = 0;
		n = EVP_DecodeBlock(text, (unsigned char *) b64, (int) o);
		ck_assert_int_gt(n, 0);
		text[n] = 0;
		ck_assert_ptr_nonnull(strstr((char *) text, "\r\n-- \r\n"));
		ck_assert_ptr_nonnull(strstr((char *) text, COMPOSE_REFUSAL_SENTENCE));
		ck_assert_ptr_nonnull(strstr((char *) text, conf_contact_address(c)));
		ck_assert_ptr_nonnull(strstr((char *) text, conf_contact_phone(c)));
		ck_assert_ptr_nonnull(strstr((char *) text, conf_contact_email(c)));
		ck_assert_ptr_nonnull(strstr((char *) text, "Quý khách nhận được email này"));
		free(m);
	}
	conf_free(c);
}
END_TEST

/* ---- audience and tokens, with a real store ---- */

struct fixture {
	struct conf *conf;
	struct store *st;
	int64_t a, b, cc, d, e;
};

static void
fixture_open(struct fixture *f)
{
	char	err[512];

	make_tmpdir();
	f->conf = test_conf(tmpdir);
	ck_assert_msg(store_init(f->conf, err, sizeof(err)) == STORE_OK, "%s", err);
	f->st = store_open(f->conf, err, sizeof(err));
	ck_assert_msg(f->st != NULL, "%s", err);
	/* a: active vps; b: ended vps, active hosting; c: active vps, refused
	 * promotion; d: active vps, undeliverable; e: refused everything. */
	ck_assert_int_eq(store_customer_upsert(f->st, "a@example.vn", "Anh A", "", STORE_SRC_PORTAL, &f->a, NULL), 0);
	ck_assert_int_eq(store_customer_upsert(f->st, "b@example.vn", "Bình B", "", STORE_SRC_PORTAL, &f->b, NULL), 0);
	ck_assert_int_eq(store_customer_upsert(f->st, "c@example.vn", "Cường C", "", STORE_SRC_PORTAL, &f->cc, NULL), 0);
	ck_assert_int_eq(store_customer_upsert(f->st, "d@example.vn", "Dũng D", "", STORE_SRC_PORTAL, &f->d, NULL), 0);
	ck_assert_int_eq(store_customer_upsert(f->st, "e@example.vn", "Em E", "", STORE_SRC_PORTAL, &f->e, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->a, "vps", "VPS-A", STORE_CONTRACT_ACTIVE, 1700000000, 0, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->b, "vps", "VPS-B", STORE_CONTRACT_ENDED, 1600000000, 1690000000, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->b, "hosting", "HOST-B", STORE_CONTRACT_ACTIVE, 1600000000, 0, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->cc, "vps", "VPS-C", STORE_CONTRACT_ACTIVE, 1700000000, 0, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->d, "vps", "VPS-D", STORE_CONTRACT_ACTIVE, 1700000000, 0, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->e, "email", "MAIL-E", STORE_CONTRACT_ACTIVE, 1700000000, 0, NULL), 0);
	ck_assert_int_eq(store_optout(f->st, f->cc, CATEGORY_PROMOTION, STORE_CH_STAFF, "test", NULL), 0);
	ck_assert_int_eq(store_optout(f->st, f->e, -1, STORE_CH_STAFF, "test", NULL), 0);
	{
		int	n;

		ck_assert_int_eq(store_bounce_record(f->st, "d@example.vn", &n), 0);
	}
}

static void
fixture_close(struct fixture *f)
{
	store_close(f->st);
	conf_free(f->conf);
	remove_tmpdir();
}

/* Decision for customer ID: AUDIENCE_* and the reason. */
static int
decide(struct fixture *f, const struct audience *a, int64_t id, char *reason, size_t rlen,
       char *service_ref, size_t slen)
{
	struct store_customer c;
	struct store_contract k;
	int	r;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_customer_get(f->st, id, &c), STORE_OK);
	r = audience_check(f->st, a, &c, &k, reason, rlen);
	if (service_ref)
		snprintf(service_ref, slen, "%s", k.ref ? k.ref : "");
	store_contract_clear(&k);
	store_customer_clear(&c);
	return (r);
}

START_TEST(test_audience_maintenance_reaches_only_active_service_type)
{
	struct fixture f;
	struct audience a = {CATEGORY_MAINTENANCE, "vps", NULL, NULL, NULL};
	char	why[AUDIENCE_REASON_MAX], ref[64];
	int64_t *ids;
	size_t	n, i, sent = 0;
	char	err[256];

	fixture_open(&f);
	ck_assert_int_eq(audience_select(f.st, &a, &ids, &n, err, sizeof(err)), 0);
	ck_assert_int_eq(n, 5);
	for (i = 0; i < n; i++) {
		int	r = decide(&f, &a, ids[i], why, sizeof(why), ref, sizeof(ref));

		if (ids[i] == f.a || ids[i] == f.cc) {
			/* Maintenance is transactional: c's refusal of promotions does not count. */
			ck_assert_int_eq(r, AUDIENCE_SEND);
			ck_assert_str_eq(ref, ids[i] == f.a ? "VPS-A" : "VPS-C");
			sent++;
		} else if (ids[i] == f.b || ids[i] == f.e)
			ck_assert_int_eq(r, AUDIENCE_OUT);	/* ended vps, or no vps at all */
		else {
			ck_assert_int_eq(r, AUDIENCE_SKIP);
			ck_assert_str_eq(why, "undeliverable address");
		}
	}
	ck_assert_int_eq(sent, 2);
	free(ids);
	/* Addressed explicitly, a customer without the service is skipped with the reason. */
	a.to = "B@Example.VN";
	ck_assert_int_eq(audience_select(f.st, &a, &ids, &n, err, sizeof(err)), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ids[0], f.b);
	ck_assert_int_eq(decide(&f, &a, f.b, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	ck_assert_str_eq(why, "no active vps contract");
	free(ids);
	fixture_close(&f);
}
END_TEST

START_TEST(test_audience_refusable_skips_refused_suppressed_undeliverable)
{
	struct fixture f;
	struct audience a = {CATEGORY_PROMOTION, NULL, NULL, NULL, NULL};
	char	why[AUDIENCE_REASON_MAX];

	fixture_open(&f);
	ck_assert_int_eq(decide(&f, &a, f.a, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
	ck_assert_int_eq(decide(&f, &a, f.b, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
	ck_assert_int_eq(decide(&f, &a, f.cc, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	ck_assert_str_eq(why, "refused promotion");
	ck_assert_int_eq(decide(&f, &a, f.d, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	ck_assert_str_eq(why, "undeliverable address");
	ck_assert_int_eq(decide(&f, &a, f.e, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	/* Survey: c refused only promotions, so c gets surveys; e refused all. */
	a.cat = CATEGORY_SURVEY;
	ck_assert_int_eq(decide(&f, &a, f.cc, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
	ck_assert_int_eq(decide(&f, &a, f.e, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
	ck_assert_int_eq(strncmp(why, "refused", 7) == 0 || strcmp(why, "suppressed") == 0, 1);
	fixture_close(&f);
}
END_TEST

START_TEST(test_audience_transactional_ignores_refusal_not_undeliverable)
{
	struct fixture f;
	enum category cats[] = {CATEGORY_ACCOUNT, CATEGORY_ANSWER, CATEGORY_STAFF};
	char	why[AUDIENCE_REASON_MAX];
	size_t	i;

	fixture_open(&f);
	for (i = 0; i < 3; i++) {
		struct audience a = {cats[i], NULL, NULL, "e@example.vn", NULL};

		ck_assert_int_eq(decide(&f, &a, f.e, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
		ck_assert_int_eq(decide(&f, &a, f.cc, why, sizeof(why), NULL, 0), AUDIENCE_SEND);
		ck_assert_int_eq(decide(&f, &a, f.d, why, sizeof(why), NULL, 0), AUDIENCE_SKIP);
		ck_assert_str_eq(why, "undeliverable address");
	}
	fixture_close(&f);
}
END_TEST

START_TEST(test_audience_unknown_address_is_an_error)
{
	struct fixture f;
	struct audience a = {CATEGORY_ACCOUNT, NULL, NULL, "nobody@example.vn", NULL};
	int64_t *ids;
	size_t	n;
	char	err[256];

	fixture_open(&f);
	ck_assert_int_eq(audience_select(f.st, &a, &ids, &n, err, sizeof(err)), -1);
	ck_assert_ptr_null(strstr(err, "nobody"));
	fixture_close(&f);
}
END_TEST

START_TEST(test_audience_customers_file_dedups_and_names_bad_lines)
{
	struct fixture f;
	struct audience a = {CATEGORY_ACCOUNT, NULL, NULL, NULL, NULL};
	char	path[512], err[512];
	int64_t *ids;
	size_t	n;
	FILE   *fp;

	fixture_open(&f);
	snprintf(path, sizeof(path), "%s/list.csv", tmpdir);
	fp = fopen(path, "w");
	fprintf(fp, "email,name\n# comment\nc@example.vn,x\nA@example.vn\n\"c@example.vn\"\n%lld\n",
		(long long) f.b);
	fclose(fp);
	a.customers_file = path;
	ck_assert_msg(audience_select(f.st, &a, &ids, &n, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(ids[0], f.cc);
	ck_assert_int_eq(ids[1], f.a);
	ck_assert_int_eq(ids[2], f.b);
	free(ids);
	fp = fopen(path, "a");
	fprintf(fp, "stranger@example.vn\n");
	fclose(fp);
	ck_assert_int_eq(audience_select(f.st, &a, &ids, &n, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "list.csv:7:"));
	fixture_close(&f);
}
END_TEST

START_TEST(test_message_id_and_token_round_trip)
{
	struct fixture f;
	struct tmpl *t;
	struct compose *cp;
	struct compose_rcpt r;
	struct store_customer c;
	struct store_msglog ml;
	char	err[512], tok[STORE_TOKEN_MAX], mid[COMPOSE_ID_MAX], mid2[COMPOSE_ID_MAX];
	char   *m, *p, *q, found[STORE_TOKEN_MAX];
	size_t	len;
	int64_t who = 0;
	enum category cat = CATEGORY_ACCOUNT;

	fixture_open(&f);
	t = tmpl_load(TEST_TEMPLATES, "promotion", err, sizeof(err));
	ck_assert_ptr_nonnull(t);
	{
		struct tmpl_vars *set = tmpl_vars_new(NULL);

		tmpl_vars_set(set, "offer", "Giảm 30%");
		tmpl_vars_set(set, "until", "2026-12-31");
		tmpl_vars_set(set, "url", "https://ilinks.asia/km");
		cp = compose_new(f.conf, CATEGORY_PROMOTION, t, set, NULL, err, sizeof(err));
		ck_assert_msg(cp != NULL, "%s", err);
		ck_assert_int_eq(compose_message_id(cp, mid, sizeof(mid)), 0);
		ck_assert_int_eq(compose_message_id(cp, mid2, sizeof(mid2)), 0);
		ck_assert_str_ne(mid, mid2);
		ck_assert_ptr_nonnull(strstr(mid, "@ilinks.asia"));
		memset(&c, 0, sizeof(c));
		ck_assert_int_eq(store_customer_get(f.st, f.a, &c), 0);
		ck_assert_int_eq(store_token_make(f.st, c.id, CATEGORY_PROMOTION, tok, sizeof(tok)), 0);
		memset(&r, 0, sizeof(r));
		r.customer_id = c.id;
		r.email = c.email;
		r.name = c.name;
		r.message_id = mid;
		r.token = tok;
		ck_assert_int_eq(compose_message(cp, &r, &m, &len, err, sizeof(err)), 0);
		tmpl_vars_free(set);
	}
	/* The Message-ID in the message is the one fixed beforehand. */
	p = strstr(m, "Message-ID: <");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(strncmp(p + 13, mid, strlen(mid)), 0);
	/* The token read back from List-Unsubscribe verifies to the customer and category. */
	p = strstr(header(m, "List-Unsubscribe"), "mailto:noreply+");
	ck_assert_ptr_nonnull(p);
	p += strlen("mailto:noreply+");
	q = strchr(p, '@');
	memcpy(found, p, (size_t) (q - p));
	found[q - p] = 0;
	ck_assert_int_eq(store_token_verify(f.st, found, &who, &cat), STORE_OK);
	ck_assert_int_eq(who, f.a);
	ck_assert_int_eq(cat, CATEGORY_PROMOTION);
	found[0] = found[0] == 'a' ? 'b' : 'a';
	ck_assert_int_eq(store_token_verify(f.st, found, &who, &cat), STORE_NOTFOUND);
	/* The message log finds the customer from the Message-ID. */
	ck_assert_int_eq(store_msglog_add(f.st, mid, f.a, CATEGORY_PROMOTION, 0), 0);
	ck_assert_int_eq(store_msglog_find(f.st, mid, &ml), 0);
	ck_assert_int_eq(ml.customer_id, f.a);
	free(m);
	store_customer_clear(&c);
	compose_free(cp);
	tmpl_free(t);
	fixture_close(&f);
}
END_TEST

START_TEST(test_outbox_confirmation_delivered_exactly_once)
{
	struct fixture f;
	struct campaign_opts o;
	struct store_outbox ob[4];
	char	dir[300], err[CONF_ERR_MAX], cmd[1200], mid[256];
	int	n, changed = 0;
	FILE   *fp;

	fixture_open(&f);
	snprintf(dir, sizeof(dir), "%s/outbox", tmpdir);
	ck_assert_int_eq(conf_set(f.conf, "transport", "dir", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(f.conf, "outdir", dir, err, sizeof(err)), 0);
	/* A reply "Từ chối" queues one confirmation. */
	ck_assert_int_eq(store_optout(f.st, f.a, -1, STORE_CH_REPLY, "msgid=<x@y> rule=test", &changed), 0);
	ck_assert_int_gt(changed, 0);
	n = store_outbox_pending(f.st, 0, ob, 4);
	ck_assert_int_eq(n, 1);
	snprintf(mid, sizeof(mid), "%s", ob[0].message_id);
	store_outbox_clear(&ob[0]);
	memset(&o, 0, sizeof(o));
	o.rate = -1;
	o.retry_delay = -1;
	ck_assert_int_eq(campaign_outbox(f.conf, &o), 0);
	ck_assert_int_eq(store_outbox_pending(f.st, 0, ob, 4), 0);
	/* Twice: nothing more. */
	ck_assert_int_eq(campaign_outbox(f.conf, &o), 0);
	snprintf(cmd, sizeof(cmd), "ls '%s' | wc -l", dir);
	fp = popen(cmd, "r");
	ck_assert_int_eq(fscanf(fp, "%d", &n), 1);
	pclose(fp);
	ck_assert_int_eq(n, 1);
	/* The message carries the Message-ID fixed in the outbox row, and no advertising. */
	snprintf(cmd, sizeof(cmd), "grep -c -i '^Message-ID: <%s>' '%s'/outbox-*.eml", mid, dir);
	fp = popen(cmd, "r");
	ck_assert_int_eq(fscanf(fp, "%d", &n), 1);
	pclose(fp);
	ck_assert_int_eq(n, 1);
	snprintf(cmd, sizeof(cmd), "grep -l -e 'List-Unsubscribe' -e '\\[QC\\]' '%s'/outbox-*.eml", dir);
	ck_assert_int_ne(system(cmd), 0);
	fixture_close(&f);
}
END_TEST

static Suite *
sender_suite(void)
{
	Suite  *s = suite_create("sender");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hdr_subject_never_splits_utf8);
	tcase_add_test(tc, test_hdr_label_stays_outside_encoded_word);
	tcase_add_test(tc, test_hdr_rejects_crlf_and_bad_utf8);
	tcase_add_test(tc, test_hdr_phrase_quotes_specials);
	tcase_add_test(tc, test_tmpl_missing_placeholder_is_an_error);
	tcase_add_test(tc, test_tmpl_syntax_errors_name_the_line);
	tcase_add_test(tc, test_tmpl_html_part_is_escaped);
	tcase_add_test(tc, test_tmpl_shipped_templates_load);
	tcase_add_test(tc, test_tmpl_optout_confirm_has_no_advertising);
	tcase_add_test(tc, test_mime_header_lines_fold_within_78);
	tcase_add_test(tc, test_mime_crlf_in_name_cannot_add_a_header);
	tcase_add_test(tc, test_compose_from_per_category);
	tcase_add_test(tc, test_compose_list_headers_only_for_refusable);
	tcase_add_test(tc, test_compose_crlf_name_is_a_bad_recipient);
	tcase_add_test(tc, test_compose_footer_has_refusal_and_contact);
	tcase_add_test(tc, test_audience_maintenance_reaches_only_active_service_type);
	tcase_add_test(tc, test_audience_refusable_skips_refused_suppressed_undeliverable);
	tcase_add_test(tc, test_audience_transactional_ignores_refusal_not_undeliverable);
	tcase_add_test(tc, test_audience_unknown_address_is_an_error);
	tcase_add_test(tc, test_audience_customers_file_dedups_and_names_bad_lines);
	tcase_add_test(tc, test_message_id_and_token_round_trip);
	tcase_add_test(tc, test_outbox_confirmation_delivered_exactly_once);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner *sr = srunner_create(sender_suite());
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
