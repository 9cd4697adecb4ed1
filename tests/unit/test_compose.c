/*
 * NAME
 *	test_compose 1
 * SUMMARY
 *	unit tests of one category's messages: From, footer, List-* headers (sender/compose.c)
 * SYNOPSIS
 *	test_compose
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
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "compose.h"
#include "conf.h"
#include "footer.h"
#include "sender_fixture.h"
#include "store.h"
#include "tmpl.h"
#include "unit.h"


/* any_tmpl - a template for any category */
static struct tmpl *
any_tmpl(void)
{
	const char *src = "Subject: Chào {{name}}\n\nNội dung cho {{email}}.\n";
	char	err[256];

	return (tmpl_parse("any", src, strlen(src), err, sizeof(err)));
}

/* from_of - the From of category CAT's messages (STAFF: --from), NULL when refused */
static const char *
from_of(struct conf *c, enum category cat, const char *staff, char *err, size_t errlen)
{
	static char from[256];
	struct tmpl *t = any_tmpl();
	struct compose_sender snd = {staff, staff != NULL ? "Phạm Thị Lan" : NULL};
	struct compose *cp = compose_new(c, cat, t, NULL, &snd, err, errlen);

	if (cp == NULL) {
		tmpl_free(t);
		return (NULL);
	}
	snprintf(from, sizeof(from), "%s", compose_from(cp));
	compose_free(cp);
	tmpl_free(t);
	return (from);
}

/* build_rcpt - one message of category CAT from template T for R; *RV is compose_message()'s */
static char *
build_rcpt(struct conf *c, enum category cat, const struct tmpl *t, struct compose_rcpt *r,
	   int *rv)
{
	struct compose_sender snd = {"lan.pham@ilinks.asia", "Phạm Thị Lan"};
	struct compose *cp;
	char	err[256], *out = NULL;
	size_t	len;

	cp = compose_new(c, cat, t, NULL, cat == CATEGORY_STAFF ? &snd : NULL, err, sizeof(err));
	ck_assert_msg(cp != NULL, "%s", err);
	if (r->customer_id == 0) {
		r->customer_id = 7;
		r->email = "an.nguyen@example.vn";
		r->message_id = "0123abcd@ilinks.asia";
		r->date = 1700000000;
	}
	*rv = compose_message(cp, r, &out, &len, err, sizeof(err));
	compose_free(cp);
	return (out);
}

/* build - one message of category CAT to customer 7; *RV is compose_message()'s */
static char *
build(struct conf *c, enum category cat, const char *token, const char *name, int *rv)
{
	struct tmpl *t = any_tmpl();
	struct compose_rcpt r;
	char   *out;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.token = token;
	out = build_rcpt(c, cat, t, &r, rv);
	tmpl_free(t);
	return (out);
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

START_TEST(test_compose_list_headers_only_for_refusable)
{
	struct conf *c = conf_defaults();
	int	cat, rv;
	char	err[256];

	for (cat = 0; cat < CATEGORY_COUNT; cat++) {
		char   *m = build(c, (enum category) cat, "tok234", "Nguyễn Văn An", &rv);

		ck_assert_int_eq(rv, 0);
		/* Staff mail is written by a person: no Auto-Submitted. */
		if (cat == CATEGORY_STAFF)
			ck_assert_ptr_null(header(m, "Auto-Submitted"));
		else
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

START_TEST(test_compose_web_link_first_then_mailto_and_preference_footer)
{
	struct conf *c = conf_defaults();
	struct tmpl *t;
	struct compose_rcpt r;
	const char *html_src = "Subject: Chào {{name}}\n\nNội dung.\n--- html ---\n"
		"<html><body><p>Nội dung.</p></body></html>\n";
	char	err[256], *m;
	const char *lu;
	int	rv;

	ck_assert_int_eq(conf_set(c, "web_base_url", "https://lienket.ilinks.asia/email", err,
				  sizeof(err)), 0);
	t = tmpl_parse("html", html_src, strlen(html_src), err, sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
	memset(&r, 0, sizeof(r));
	r.token = "tok234";
	r.unsub_url = "https://lienket.ilinks.asia/email/u/dated1";
	r.pref_url = "https://lienket.ilinks.asia/email/p/dated1";
	m = build_rcpt(c, CATEGORY_PROMOTION, t, &r, &rv);
	ck_assert_int_eq(rv, 0);
	lu = header(m, "List-Unsubscribe");
	ck_assert_ptr_nonnull(strstr(lu, "<https://lienket.ilinks.asia/email/u/dated1>,"));
	ck_assert_ptr_nonnull(strstr(lu, "<mailto:noreply+tok234@ilinks.asia"));
	ck_assert(strstr(lu, "https:") < strstr(lu, "mailto:"));
	ck_assert_str_eq(header(m, "List-Unsubscribe-Post"), " List-Unsubscribe=One-Click");
	ck_assert_ptr_nonnull(strstr(text_body(m), "Email preferences: "
				     "https://lienket.ilinks.asia/email/p/dated1"));
	ck_assert_int_le(longest_header_line(m), 78);
	free(m);
	/* A real message without its links is an error, never a message without them. */
	memset(&r, 0, sizeof(r));
	r.token = "tok234";
	r.unsub_url = "https://lienket.ilinks.asia/email/u/dated1";
	ck_assert_ptr_null(build_rcpt(c, CATEGORY_SURVEY, t, &r, &rv));
	ck_assert_int_eq(rv, COMPOSE_ERR);
	/* A test message gets links that verify nothing. */
	memset(&r, 0, sizeof(r));
	r.test = 1;
	r.deliver_to = "lan.pham@ilinks.asia";
	m = build_rcpt(c, CATEGORY_PROMOTION, t, &r, &rv);
	ck_assert_int_eq(rv, 0);
	ck_assert_ptr_nonnull(strstr(header(m, "List-Unsubscribe"),
				     "<https://lienket.ilinks.asia/email/u/test>"));
	free(m);
	/* Transactional mail: no links at all. */
	memset(&r, 0, sizeof(r));
	m = build_rcpt(c, CATEGORY_ACCOUNT, t, &r, &rv);
	ck_assert_int_eq(rv, 0);
	ck_assert_ptr_null(header(m, "List-Unsubscribe"));
	ck_assert_ptr_null(strstr(text_body(m), "Email preferences"));
	free(m);
	/* An http base URL is refused when the composer is made. */
	ck_assert_int_eq(conf_set(c, "web_base_url", "http://lienket.ilinks.asia/", err,
				  sizeof(err)), 0);
	ck_assert_ptr_null(compose_new(c, CATEGORY_PROMOTION, t, NULL, NULL, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "https://"));
	tmpl_free(t);
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
		const char *text = text_body(m);

		ck_assert_ptr_nonnull(strstr(text, "\r\n-- \r\n"));
		/* What "Từ chối" stops, as the category table says. */
		ck_assert_ptr_nonnull(strstr(text, category_get((enum category) cat)->refusal_vi));
		ck_assert_ptr_nonnull(strstr(text, category_get((enum category) cat)->refusal_en));
		if (category_refusable((enum category) cat))
			ck_assert_ptr_null(strstr(text, "vẫn được gửi"));
		else
			ck_assert_ptr_null(strstr(text, "hãy trả lời email với nội dung"));
		ck_assert_ptr_nonnull(strstr(text, conf_contact_address(c)));
		ck_assert_ptr_nonnull(strstr(text, conf_contact_phone(c)));
		ck_assert_ptr_nonnull(strstr(text, conf_contact_email(c)));
		ck_assert_ptr_nonnull(strstr(text, "Quý khách nhận được email này"));
		free(m);
	}
	conf_free(c);
}
END_TEST

START_TEST(test_compose_html_footer_escapes_special_characters)
{
	struct conf *c = conf_defaults();
	const char *src = "Subject: S\n\nVăn bản\n" TMPL_HTML_MARK "\n<p>Xin chào</p>\n";
	struct tmpl *t;
	struct compose *cp;
	struct compose_rcpt r;
	struct compose_parts p;
	char	err[256];

	ck_assert_int_eq(conf_set(c, "contact_address", "Tầng 5, <Toà nhà> A&B \"Số 1\"", err,
				  sizeof(err)), 0);
	ck_assert((t = tmpl_parse("h", src, strlen(src), err, sizeof(err))) != NULL);
	ck_assert((cp = compose_new(c, CATEGORY_ACCOUNT, t, NULL, NULL, err, sizeof(err))) != NULL);
	memset(&r, 0, sizeof(r));
	r.customer_id = 7;
	r.email = "an.nguyen@example.vn";
	r.name = "An";
	r.message_id = "0123abcd@ilinks.asia";
	ck_assert_int_eq(compose_render(cp, &r, &p, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(p.text, "Tầng 5, <Toà nhà> A&B \"Số 1\""));
	ck_assert_msg(strstr(p.html, "Tầng 5, &lt;Toà nhà&gt; A&amp;B &quot;Số 1&quot;") != NULL,
		      "%s", p.html);
	ck_assert_ptr_null(strstr(p.html, "<Toà"));
	/* Each footer line ends with <br>, the last one too. */
	ck_assert_ptr_nonnull(strstr(p.html, "&quot;Số 1&quot;<br>\n"));
	ck_assert_ptr_nonnull(strstr(p.html, FOOTER_SEPARATOR "<br>\n"));
	compose_parts_free(&p);
	compose_free(cp);
	tmpl_free(t);
	conf_free(c);
}
END_TEST

START_TEST(test_compose_from_messages_say_what_is_wrong)
{
	struct conf *c = conf_defaults();
	struct tmpl *t = any_tmpl();
	struct compose_sender snd = {"noreply@ilinks.asia", "Lan"};
	char	err[512];

	ck_assert_ptr_null(compose_new(c, CATEGORY_STAFF, t, NULL, &snd, err, sizeof(err)));
	ck_assert_msg(strstr(err, "own name@ address") && strstr(err, "category account"), "%s", err);
	snd.addr = "support@ilinks.asia";
	ck_assert_ptr_null(compose_new(c, CATEGORY_STAFF, t, NULL, &snd, err, sizeof(err)));
	ck_assert_msg(strstr(err, "category answer"), "%s", err);
	snd.addr = "lan@example.com";
	ck_assert_ptr_null(compose_new(c, CATEGORY_STAFF, t, NULL, &snd, err, sizeof(err)));
	ck_assert_msg(strstr(err, "not an address of the company"), "%s", err);
	snd.addr = "noreply@ilinks.asia";
	snd.name = NULL;
	ck_assert_ptr_null(compose_new(c, CATEGORY_ACCOUNT, t, NULL, &snd, err, sizeof(err)));
	ck_assert_msg(strstr(err, "always comes from noreply@ilinks.asia: leave out --from"), "%s",
		      err);
	snd.addr = "lan@ilinks.asia";
	ck_assert_ptr_null(compose_new(c, CATEGORY_STAFF, t, NULL, &snd, err, sizeof(err)));
	ck_assert_msg(strstr(err, "staff member's name"), "%s", err);
	snd.addr = NULL;
	snd.name = "Lan";
	ck_assert_ptr_null(compose_new(c, CATEGORY_ANSWER, t, NULL, &snd, err, sizeof(err)));
	ck_assert_msg(strstr(err, "--from-name is only for category staff"), "%s", err);
	tmpl_free(t);
	conf_free(c);
}
END_TEST

START_TEST(test_compose_staff_mail_shows_the_staff_members_name)
{
	struct conf *c = conf_defaults();
	int	rv, m, ok;
	char   *msg = build(c, CATEGORY_STAFF, NULL, "An", &rv);

	ck_assert_int_eq(rv, 0);
	ck_assert_ptr_nonnull(strstr(header(msg, "From"), "<lan.pham@ilinks.asia>"));
	ck_assert_ptr_nonnull(strstr(decode_words(header(msg, "From"), &m, &ok), "Phạm Thị Lan"));
	free(msg);
	msg = build(c, CATEGORY_ACCOUNT, NULL, "An", &rv);
	ck_assert_ptr_nonnull(strstr(header(msg, "From"), "LINKS <noreply@ilinks.asia>"));
	free(msg);
	conf_free(c);
}
END_TEST

START_TEST(test_compose_confirmation_footer_says_it_is_the_last)
{
	struct conf *c = conf_defaults();
	char	err[512];
	struct tmpl *t = tmpl_load(TEST_TEMPLATES, "optout_confirm", err, sizeof(err));
	struct compose_rcpt r;
	const char *text;
	char   *m;
	int	rv;

	ck_assert_ptr_nonnull(t);
	memset(&r, 0, sizeof(r));
	m = build_rcpt(c, CATEGORY_ACCOUNT, t, &r, &rv);
	ck_assert_int_eq(rv, 0);
	text = text_body(m);
	ck_assert_ptr_nonnull(strstr(text, FOOTER_LAST_VI));
	ck_assert_ptr_nonnull(strstr(text, FOOTER_LAST_EN));
	ck_assert_ptr_null(strstr(text, FOOTER_ACCOUNT_VI));
	free(m);
	tmpl_free(t);
	conf_free(c);
}
END_TEST

START_TEST(test_compose_answer_is_threaded_to_the_message_answered)
{
	struct conf *c = conf_defaults();
	struct tmpl *t = any_tmpl();
	struct compose_rcpt r;
	char   *m;
	int	rv;

	memset(&r, 0, sizeof(r));
	r.in_reply_to = "CAF=x+Y_z$1@mail.gmail.com";
	m = build_rcpt(c, CATEGORY_ACCOUNT, t, &r, &rv);
	ck_assert_int_eq(rv, 0);
	ck_assert_str_eq(header(m, "In-Reply-To"), " <CAF=x+Y_z$1@mail.gmail.com>");
	ck_assert_str_eq(header(m, "References"), " <CAF=x+Y_z$1@mail.gmail.com>");
	free(m);
	/* the thread of the reply: References carries it, In-Reply-To the reply */
	r.references = "<n1@ilinks.asia> <CAF=x+Y_z$1@mail.gmail.com>";
	m = build_rcpt(c, CATEGORY_ACCOUNT, t, &r, &rv);
	ck_assert_int_eq(rv, 0);
	ck_assert_str_eq(header(m, "In-Reply-To"), " <CAF=x+Y_z$1@mail.gmail.com>");
	ck_assert_ptr_nonnull(strstr(header(m, "References"), "<n1@ilinks.asia>"));
	ck_assert_ptr_nonnull(strstr(header(m, "References"), "<CAF=x+Y_z$1@mail.gmail.com>"));
	free(m);
	r.references = "<n1@ilinks.asia>\r\nBcc: <v@e.com>";
	ck_assert_ptr_null(build_rcpt(c, CATEGORY_ACCOUNT, t, &r, &rv));
	ck_assert_int_lt(rv, 0);
	memset(&r, 0, sizeof(r));
	r.in_reply_to = "x@y>\r\nBcc: <v@e.com";
	ck_assert_ptr_null(build_rcpt(c, CATEGORY_ACCOUNT, t, &r, &rv));
	ck_assert_int_lt(rv, 0);
	tmpl_free(t);
	conf_free(c);
}
END_TEST

START_TEST(test_compose_test_message_goes_to_staff_with_a_dead_token)
{
	struct conf *c = conf_defaults();
	struct tmpl *t = any_tmpl();
	struct compose_rcpt r;
	char   *m;
	int	rv;

	memset(&r, 0, sizeof(r));
	r.token = "realtoken234";
	r.test = 1;
	r.deliver_to = "lan.pham@ilinks.asia";
	m = build_rcpt(c, CATEGORY_PROMOTION, t, &r, &rv);
	ck_assert_int_eq(rv, 0);
	ck_assert_ptr_nonnull(strstr(header(m, "To"), "lan.pham@ilinks.asia"));
	ck_assert_ptr_null(strstr(m, "an.nguyen@example.vn>"));
	ck_assert_int_eq(strncmp(header(m, "Subject"), " [TEST]", 7), 0);
	ck_assert_ptr_null(strstr(header(m, "List-Unsubscribe"), "realtoken234"));
	ck_assert_ptr_nonnull(strstr(header(m, "List-Unsubscribe"), "noreply+test@"));
	free(m);
	tmpl_free(t);
	conf_free(c);
}
END_TEST

START_TEST(test_compose_service_type_shown_by_its_name)
{
	struct conf *c = conf_defaults();
	const char *src = "Subject: Bảo trì {{service_name}}\n\n{{service_type}} {{service_name}}\n";
	char	err[512];
	struct tmpl *t = tmpl_parse("s", src, strlen(src), err, sizeof(err));
	struct store_contract k;
	struct compose_rcpt r;
	const char *text;
	char   *m;
	int	rv, mw, ok;

	memset(&k, 0, sizeof(k));
	k.id = 1;
	k.service_type = "vps";
	k.ref = "VPS-1";
	memset(&r, 0, sizeof(r));
	r.contract = &k;
	m = build_rcpt(c, CATEGORY_MAINTENANCE, t, &r, &rv);
	ck_assert_int_eq(rv, 0);
	ck_assert_str_eq(decode_words(header(m, "Subject"), &mw, &ok), "Bảo trì VPS");
	text = text_body(m);
	ck_assert_int_eq(strncmp(text, "vps VPS", 7), 0);
	free(m);
	/* Unknown codes are shown as they are; the table is links.conf's. */
	k.service_type = "colo";
	ck_assert_int_eq(conf_set(c, "service_type_names", "colo: Chỗ đặt máy chủ", err, sizeof(err)), 0);
	memset(&r, 0, sizeof(r));
	r.contract = &k;
	m = build_rcpt(c, CATEGORY_MAINTENANCE, t, &r, &rv);
	ck_assert_str_eq(decode_words(header(m, "Subject"), &mw, &ok), "Bảo trì Chỗ đặt máy chủ");
	free(m);
	ck_assert_int_eq(conf_set(c, "service_type_names", "vps VPS", err, sizeof(err)), 0);
	{
		struct compose *cp = compose_new(c, CATEGORY_MAINTENANCE, t, NULL, NULL, err, sizeof(err));

		ck_assert_ptr_null(cp);
		ck_assert_ptr_nonnull(strstr(err, "service_type_names"));
	}
	tmpl_free(t);
	conf_free(c);
}
END_TEST

#define ID_DRAWS	2000	/* Message-IDs drawn: several refills of the pool */

/* id_hex_ok - 32 lower-case hex digits, then "@ilinks.asia" */
static int
id_hex_ok(const char *id)
{
	size_t	i;

	for (i = 0; i < 32; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return (0);
	return (strcmp(id + 32, "@ilinks.asia") == 0);
}

/* id_cmp - qsort order of Message-IDs */
static int
id_cmp(const void *a, const void *b)
{
	return (strcmp((const char *) a, (const char *) b));
}

START_TEST(test_message_ids_are_unique_and_unguessable)
{
	static char ids[ID_DRAWS][COMPOSE_ID_MAX];
	struct fixture f;
	struct tmpl *t;
	struct compose *cp;
	char	err[512], small[40], child_id[COMPOSE_ID_MAX], next[COMPOSE_ID_MAX];
	long	differ = 0;
	int	i, k, fds[2], status;
	pid_t	pid;

	fixture_open(&f);
	t = any_tmpl();
	ck_assert_ptr_nonnull(t);
	cp = compose_new(f.conf, CATEGORY_ACCOUNT, t, NULL, NULL, err, sizeof(err));
	ck_assert_msg(cp != NULL, "%s", err);
	for (i = 0; i < ID_DRAWS; i++) {
		ck_assert_int_eq(compose_message_id(cp, ids[i], sizeof(ids[i])), 0);
		ck_assert_msg(id_hex_ok(ids[i]), "bad Message-ID %s", ids[i]);
		/* Random, not a counter: consecutive IDs differ almost everywhere. */
		for (k = 0; i > 0 && k < 32; k++)
			differ += ids[i][k] != ids[i - 1][k];
	}
	ck_assert_msg(differ > (long) (ID_DRAWS - 1) * 26, "IDs look sequential: %ld", differ);
	qsort(ids, ID_DRAWS, sizeof(ids[0]), id_cmp);
	for (i = 1; i < ID_DRAWS; i++)
		ck_assert_str_ne(ids[i], ids[i - 1]);
	/* Too small a buffer: an error, nothing cut. */
	ck_assert_int_eq(compose_message_id(cp, small, sizeof(small)), -1);
	/* A forked child never hands out the IDs its parent will. */
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		ssize_t	w;

		close(fds[0]);
		if (compose_message_id(cp, child_id, sizeof(child_id)) < 0)
			_exit(1);
		w = write(fds[1], child_id, sizeof(child_id));
		_exit(w == (ssize_t) sizeof(child_id) ? 0 : 1);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], child_id, sizeof(child_id)), (ssize_t) sizeof(child_id));
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(compose_message_id(cp, next, sizeof(next)), 0);
	ck_assert_str_ne(child_id, next);
	compose_free(cp);
	tmpl_free(t);
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

/* compose_suite - the tests of sender/compose.c */
static Suite *
compose_suite(void)
{
	Suite  *s = suite_create("compose");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_compose_from_per_category);
	tcase_add_test(tc, test_compose_html_footer_escapes_special_characters);
	tcase_add_test(tc, test_compose_list_headers_only_for_refusable);
	tcase_add_test(tc, test_compose_web_link_first_then_mailto_and_preference_footer);
	tcase_add_test(tc, test_compose_crlf_name_is_a_bad_recipient);
	tcase_add_test(tc, test_compose_footer_has_refusal_and_contact);
	tcase_add_test(tc, test_compose_from_messages_say_what_is_wrong);
	tcase_add_test(tc, test_compose_staff_mail_shows_the_staff_members_name);
	tcase_add_test(tc, test_compose_confirmation_footer_says_it_is_the_last);
	tcase_add_test(tc, test_compose_answer_is_threaded_to_the_message_answered);
	tcase_add_test(tc, test_compose_test_message_goes_to_staff_with_a_dead_token);
	tcase_add_test(tc, test_compose_service_type_shown_by_its_name);
	tcase_add_test(tc, test_message_id_and_token_round_trip);
	tcase_add_test(tc, test_message_ids_are_unique_and_unguessable);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(compose_suite()));
}
