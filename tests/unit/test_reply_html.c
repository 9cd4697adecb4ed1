/*
 * NAME
 *	test_reply_html 1 (test program)
 * SUMMARY
 *	unit tests of reply_html: HTML to text without the quoted message
 * SYNOPSIS
 *	test_reply_html (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	What a customer saw: quote containers of each client removed, cut
 *	markers honoured, app signatures left out.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reply_html.h"
#include "strbuf.h"
#include "unit.h"

/* text - the text of HTML, owned by the caller */
static char *
text(const char *html)
{
	struct strbuf b;

	reply_html_init();
	strbuf_init(&b);
	ck_assert_int_eq(reply_html_to_text(html, strlen(html), &b), 0);
	ck_assert_int_eq(strbuf_reserve(&b, 0), 0);
	return (strbuf_steal(&b));
}

START_TEST(test_reply_html_quote_containers_are_removed)
{
	char   *t = text("<p>Từ&nbsp;chối</p><script>x()</script><blockquote type=\"cite\">Từ chối</blockquote>"
			 "<div class=\"x gmail_quote\">quoted</div><p>B</p><div id=\"divRplyFwdMsg\">cut</div><p>after</p>");

	ck_assert_str_eq(t, "Từ chối\n\nB");
	free(t);
}
END_TEST

START_TEST(test_reply_html_zimbra_zoho_yahoo_quotes_are_removed)
{
	char   *a = text("<div>Từ chối</div><hr id=\"zwchr\" data-marker=\"__DIVIDER__\"><div>Kính gửi</div>");
	char   *b = text("<div>Hủy đăng ký</div><div class=\"zmail_extra\"><blockquote>Kính gửi</blockquote></div>");
	char   *c = text("<div>Từ chối</div><div id=\"yahoo_quoted_1\" class=\"yahoo_quoted\">Kính gửi</div>");

	ck_assert_str_eq(a, "Từ chối");
	ck_assert_str_eq(b, "Hủy đăng ký");
	ck_assert_str_eq(c, "Từ chối");
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(test_reply_html_app_signatures_are_left_out)
{
	char   *t = text("<div>Từ chối</div><div id=\"ms-outlook-mobile-signature\">Nhận <a>Outlook cho iOS</a></div>"
			 "<div id=\"composer_signature\">Samsung</div>");

	ck_assert_str_eq(t, "Từ chối");
	free(t);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_html");
	TCase  *tc = tcase_create("core");

	tcase_add_test(tc, test_reply_html_quote_containers_are_removed);
	tcase_add_test(tc, test_reply_html_zimbra_zoho_yahoo_quotes_are_removed);
	tcase_add_test(tc, test_reply_html_app_signatures_are_left_out);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
