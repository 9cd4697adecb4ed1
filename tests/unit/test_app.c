/*
 * NAME
 *	test_app 1
 * SUMMARY
 *	links-web's request logic (web/app.h) against a real store
 * SYNOPSIS
 *	unit/test_app
 * DESCRIPTION
 *	What each request answers and what it leaves in the store: GET
 *	changes nothing, one-click records once, bad links and requests
 *	change nothing, undated links until their day, form tokens, the
 *	preference page, a locked store (503), the rate limit (429). The
 *	HTTP layer itself (libmicrohttpd, curl, a browser) is tested by
 *	tests/web-*.sh.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <sqlite3.h>


#include "app.h"
#include "csrf.h"
#include "route.h"
#include "web_fixture.h"
#include "unit.h"


START_TEST(test_get_unsubscribe_page_changes_nothing)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128];

	fx_setup(&f);
	dated(&f, f.an, CATEGORY_PROMOTION, time(NULL), tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body, "email khuyến mãi"));
	ck_assert_ptr_nonnull(strstr(rs.body, "<form method=\"post\""));
	ck_assert_ptr_nonnull(strstr(rs.body, "an…@example.vn"));
	ck_assert_ptr_null(strstr(rs.body, "an.nguyen"));
	ck_assert_ptr_null(strstr(rs.body, "<b>&</b>"));	/* the company name is escaped */
	web_response_clear(&rs);
	request(&f, "HEAD", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_PROMOTION), 0);
	fx_teardown(&f);
}
END_TEST
START_TEST(test_one_click_records_once_and_repeat_is_200)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128];
	struct count c;
	int	i;

	fx_setup(&f);
	dated(&f, f.an, CATEGORY_PROMOTION, time(NULL), tok);
	path_of(path, sizeof(path), "u/", tok);
	for (i = 0; i < 3; i++) {
		request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
		ck_assert_int_eq(rs.status, 200);
		ck_assert_int_eq(rs.retry_after, 0);
		web_response_clear(&rs);
	}
	c = events_of(&f, f.an);
	ck_assert_int_eq(c.events, 1);
	ck_assert_int_eq(c.optouts, 1);
	ck_assert_int_eq(c.last_channel, STORE_CH_ONE_CLICK);
	ck_assert_ptr_nonnull(strstr(c.last_evidence, "one-click POST (RFC 8058)"));
	ck_assert_ptr_nonnull(strstr(c.last_evidence, "client=hmac:"));
	ck_assert_ptr_null(strstr(c.last_evidence, CLIENT));
	ck_assert_ptr_null(strstr(c.last_evidence, tok));
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_SURVEY), 0);
	/* the token of another category refuses only that one */
	dated(&f, f.an, CATEGORY_SURVEY, time(NULL), tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 200);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 2);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_SURVEY), 1);
	fx_teardown(&f);
}
END_TEST
START_TEST(test_bad_links_change_nothing)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128], old[STORE_TOKEN_MAX];
	time_t	now = time(NULL);

	fx_setup(&f);
	/* altered */
	dated(&f, f.an, CATEGORY_PROMOTION, now, tok);
	tok[5] = tok[5] == 'a' ? 'b' : 'a';
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 404);
	web_response_clear(&rs);
	/* unknown shape */
	request(&f, "POST", "/email/u/abcdefgh", URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 404);
	web_response_clear(&rs);
	/* expired */
	dated(&f, f.an, CATEGORY_PROMOTION, now - 400 * DAY, old);
	path_of(path, sizeof(path), "u/", old);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 410);
	web_response_clear(&rs);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 410);
	web_response_clear(&rs);
	/* a token of service mail cannot refuse it */
	dated(&f, f.an, CATEGORY_ACCOUNT, now, tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 403);
	web_response_clear(&rs);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 403);
	web_response_clear(&rs);
	/* a customer who is no more */
	dated(&f, f.an + 1000, CATEGORY_PROMOTION, now, tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 410);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	fx_teardown(&f);
}
END_TEST
START_TEST(test_undated_links_until_the_configured_day)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128], err[CONF_ERR_MAX];

	fx_setup(&f);
	ck_assert_int_eq(store_token_make(f.st, f.an, CATEGORY_PROMOTION, tok, sizeof(tok)), STORE_OK);
	path_of(path, sizeof(path), "u/", tok);
	set(f.conf, "web_undated_tokens_until", "2999-12-31");
	ck_assert_int_eq(web_app_reload(f.app, f.conf, err, sizeof(err)), 0);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	web_response_clear(&rs);
	set(f.conf, "web_undated_tokens_until", "2020-01-01");
	ck_assert_int_eq(web_app_reload(f.app, f.conf, err, sizeof(err)), 0);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 410);
	web_response_clear(&rs);
	set(f.conf, "web_undated_tokens_until", "");
	ck_assert_int_eq(web_app_reload(f.app, f.conf, err, sizeof(err)), 0);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 410);
	web_response_clear(&rs);
	set(f.conf, "web_undated_tokens_until", "31/12/2027");
	ck_assert_int_eq(web_app_reload(f.app, f.conf, err, sizeof(err)), -1);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	fx_teardown(&f);
}
END_TEST
START_TEST(test_page_button_needs_its_form_token)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128], csrf[CSRF_MAX], body[256];
	struct count c;

	fx_setup(&f);
	dated(&f, f.an, CATEGORY_PROMOTION, time(NULL), tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, "csrf=1.00", &rs);
	ck_assert_int_eq(rs.status, 403);
	web_response_clear(&rs);
	request(&f, "POST", path, URLENC, "", &rs);
	ck_assert_int_eq(rs.status, 400);
	web_response_clear(&rs);
	request(&f, "POST", path, URLENC, "List-Unsubscribe=Yes", &rs);
	ck_assert_int_eq(rs.status, 400);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	request(&f, "GET", path, NULL, NULL, &rs);
	csrf_in(rs.body, csrf, sizeof(csrf));
	web_response_clear(&rs);
	snprintf(body, sizeof(body), "csrf=%s", csrf);
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body, "Đã xong"));
	ck_assert_ptr_nonnull(strstr(rs.body, "Tùy chọn email"));
	web_response_clear(&rs);
	c = events_of(&f, f.an);
	ck_assert_int_eq(c.optouts, 1);
	ck_assert_int_eq(c.last_channel, STORE_CH_WEB);
	/* the form token of the unsubscribe page does not work on the preference page */
	path_of(path, sizeof(path), "p/", tok);
	snprintf(body, sizeof(body), "csrf=%s&form=prefs&promotion=1&survey=1", csrf);
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 403);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 1);
	fx_teardown(&f);
}
END_TEST
START_TEST(test_preferences_resubscribe_is_consent_with_evidence)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128], csrf[CSRF_MAX], body[256];
	struct count c;

	fx_setup(&f);
	ck_assert_int_eq(store_optout(f.st, f.an, -1, STORE_CH_REPLY, "msgid=<x@y> rule=t", NULL),
			 STORE_OK);
	dated(&f, f.an, CATEGORY_ACCOUNT, time(NULL), tok);	/* the footer's link */
	path_of(path, sizeof(path), "p/", tok);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_null(strstr(rs.body, "checked"));
	ck_assert_ptr_nonnull(strstr(rs.body, "<time datetime="));
	csrf_in(rs.body, csrf, sizeof(csrf));
	web_response_clear(&rs);
	snprintf(body, sizeof(body), "csrf=%s&form=prefs&promotion=1", csrf);
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body, "Đã lưu"));
	web_response_clear(&rs);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_SURVEY), 1);
	c = events_of(&f, f.an);
	ck_assert_int_eq(c.events, 3);
	ck_assert_int_eq(c.optins, 1);
	ck_assert_int_eq(c.last_channel, STORE_CH_WEB);
	ck_assert_ptr_nonnull(strstr(c.last_evidence, "preference page"));
	ck_assert_ptr_null(strstr(c.last_evidence, CLIENT));
	/* the same form again changes nothing */
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body, "không thay đổi"));
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 3);
	/* values other than "1" are refused */
	snprintf(body, sizeof(body), "csrf=%s&form=prefs&promotion=yes", csrf);
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 400);
	web_response_clear(&rs);
	fx_teardown(&f);
}
END_TEST
START_TEST(test_methods_types_sizes_paths)
{
	struct fx f;
	struct web_response rs;
	struct web_request rq;
	char	tok[STORE_TOKEN_MAX], path[128], lng[ROUTE_PATH_MAX + 16];

	fx_setup(&f);
	dated(&f, f.an, CATEGORY_PROMOTION, time(NULL), tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "PUT", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 405);
	ck_assert_str_eq(rs.allow, "GET, HEAD, POST");
	web_response_clear(&rs);
	request(&f, "POST", "/email/links-web.css", URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 405);
	ck_assert_str_eq(rs.allow, "GET, HEAD");
	web_response_clear(&rs);
	request(&f, "POST", path, "text/plain", ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 415);
	web_response_clear(&rs);
	request(&f, "POST", path, NULL, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 415);
	web_response_clear(&rs);
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.path = path;
	rq.content_type = URLENC;
	rq.client = CLIENT;
	rq.body_too_large = 1;
	web_app_handle(f.app, &rq, &rs);
	ck_assert_int_eq(rs.status, 413);
	web_response_clear(&rs);
	memset(lng, 'a', sizeof(lng));
	memcpy(lng, "/email/u/", 9);
	lng[sizeof(lng) - 1] = 0;
	request(&f, "GET", lng, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 414);
	web_response_clear(&rs);
	request(&f, "GET", "/elsewhere", NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 404);
	web_response_clear(&rs);
	request(&f, "GET", "/email/links-web.css", NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_int_eq(rs.cacheable, 1);
	ck_assert_str_eq(rs.content_type, "text/css; charset=utf-8");
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	fx_teardown(&f);
}
END_TEST
START_TEST(test_locked_store_is_503_and_nothing_half_written)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128], csrf[CSRF_MAX], body[256];
	sqlite3 *db;

	fx_setup(&f);
	dated(&f, f.an, CATEGORY_PROMOTION, time(NULL), tok);
	path_of(path, sizeof(path), "p/", tok);
	request(&f, "GET", path, NULL, NULL, &rs);
	csrf_in(rs.body, csrf, sizeof(csrf));
	web_response_clear(&rs);
	ck_assert_int_eq(sqlite3_open(f.db, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	snprintf(body, sizeof(body), "csrf=%s&form=prefs", csrf);	/* refuse both */
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 503);
	ck_assert_int_gt(rs.retry_after, 0);
	web_response_clear(&rs);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 503);
	web_response_clear(&rs);
	ck_assert_int_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_SURVEY), 0);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 200);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 1);
	fx_teardown(&f);
}
END_TEST
START_TEST(test_rate_limit_answers_429_with_retry_after)
{
	struct fx f;
	struct web_response rs;
	char	err[CONF_ERR_MAX];
	int	i, limited = 0;

	fx_setup(&f);
	set(f.conf, "web_rate_limit", "10");
	ck_assert_int_eq(web_app_reload(f.app, f.conf, err, sizeof(err)), 0);
	for (i = 0; i < 12; i++) {
		request(&f, "GET", "/email/u/abcdefgh", NULL, NULL, &rs);	/* bad links cost more */
		if (rs.status == 429) {
			limited++;
			ck_assert_int_gt(rs.retry_after, 0);
		} else
			ck_assert_int_eq(rs.status, 404);
		web_response_clear(&rs);
	}
	ck_assert_int_ge(limited, 9);
	fx_teardown(&f);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("app");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_get_unsubscribe_page_changes_nothing);
	tcase_add_test(tc, test_one_click_records_once_and_repeat_is_200);
	tcase_add_test(tc, test_bad_links_change_nothing);
	tcase_add_test(tc, test_undated_links_until_the_configured_day);
	tcase_add_test(tc, test_page_button_needs_its_form_token);
	tcase_add_test(tc, test_preferences_resubscribe_is_consent_with_evidence);
	tcase_add_test(tc, test_methods_types_sizes_paths);
	tcase_add_test(tc, test_locked_store_is_503_and_nothing_half_written);
	tcase_add_test(tc, test_rate_limit_answers_429_with_retry_after);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
