/*
 * NAME
 *	test_weblink 1
 * SUMMARY
 *	the store's dated tokens and https links (store.h, store/weblink.h)
 * SYNOPSIS
 *	unit/test_weblink
 * DESCRIPTION
 *	Round trips, alterations, the two kinds of token, the link format
 *	and the base URL check, against a real store (web_fixture.h).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>


#include "web_fixture.h"
#include "weblink.h"
#include "unit.h"


START_TEST(test_dated_token_round_trip_and_kinds)
{
	struct fx f;
	char	tok[STORE_TOKEN_MAX], und[STORE_TOKEN_MAX], bad[STORE_TOKEN_MAX + 8];
	time_t	when = 1795000000, issued = 1;
	enum category cat;
	int64_t	id;
	size_t	i;

	fx_setup(&f);
	dated(&f, 4242, CATEGORY_SURVEY, when, tok);
	ck_assert_uint_eq(strlen(tok), STORE_TOKEN_DATED_LEN);
	ck_assert_int_eq(store_token_verify_dated(f.st, tok, &id, &cat, &issued), STORE_OK);
	ck_assert_int_eq(id, 4242);
	ck_assert_int_eq(cat, CATEGORY_SURVEY);
	ck_assert_int_eq(issued, when - when % DAY);
	/* the milter's verifier accepts it too */
	ck_assert_int_eq(store_token_verify(f.st, tok, &id, &cat), STORE_OK);
	ck_assert_int_eq(store_token_make(f.st, 4242, CATEGORY_SURVEY, und, sizeof(und)), STORE_OK);
	ck_assert_int_eq(store_token_verify_dated(f.st, und, &id, &cat, &issued), STORE_OK);
	ck_assert_int_eq(issued, 0);
	for (i = 0; tok[i]; i++) {
		strcpy(bad, tok);
		bad[i] = bad[i] == 'a' ? 'b' : 'a';
		ck_assert_msg(store_token_verify_dated(f.st, bad, &id, &cat, &issued) == STORE_NOTFOUND,
			      "altered position %zu accepted", i);
	}
	/* an undated token's bytes under the dated label (or the reverse) do not verify */
	snprintf(bad, sizeof(bad), "%saaa", und);
	ck_assert_int_eq(store_token_verify_dated(f.st, bad, &id, &cat, &issued), STORE_NOTFOUND);
	ck_assert_int_eq(store_token_make_dated(f.st, 1, CATEGORY_SURVEY, -1, bad, sizeof(bad)),
			 STORE_ERR);
	ck_assert_int_eq(store_token_make_dated(f.st, 1, CATEGORY_SURVEY, (time_t) 70000 * DAY, bad,
						sizeof(bad)), STORE_ERR);
	fx_teardown(&f);
}
END_TEST
START_TEST(test_weblink_urls_are_both_links_of_one_token)
{
	struct fx f;
	char	u1[WEBLINK_URL_MAX], p1[WEBLINK_URL_MAX], u2[WEBLINK_URL_MAX], p2[WEBLINK_URL_MAX];
	const char *base = "https://ilinks.asia/email";
	time_t	now = time(NULL), issued;
	int64_t id;
	enum category cat;

	fx_setup(&f);
	ck_assert_int_eq(weblink_urls(f.st, base, f.an, CATEGORY_SURVEY, now, u1, p1, sizeof(u1)),
			 STORE_OK);
	ck_assert_int_eq(weblink_url(f.st, base, WEBLINK_UNSUBSCRIBE, f.an, CATEGORY_SURVEY, now,
				     u2, sizeof(u2)), STORE_OK);
	ck_assert_int_eq(weblink_url(f.st, base, WEBLINK_PREFERENCES, f.an, CATEGORY_SURVEY, now,
				     p2, sizeof(p2)), STORE_OK);
	ck_assert_str_eq(u1, u2);
	ck_assert_str_eq(p1, p2);
	ck_assert_int_eq(strncmp(u1, "https://ilinks.asia/email/u/", 28), 0);
	ck_assert_int_eq(strncmp(p1, "https://ilinks.asia/email/p/", 28), 0);
	ck_assert_int_eq(store_token_verify_dated(f.st, p1 + 28, &id, &cat, &issued), STORE_OK);
	ck_assert(id == f.an && cat == CATEGORY_SURVEY);
	ck_assert_int_eq(weblink_urls(f.st, "http://x/", f.an, CATEGORY_SURVEY, now, u1, p1,
				      sizeof(u1)), STORE_ERR);
	ck_assert_int_eq(weblink_urls(f.st, base, f.an, CATEGORY_SURVEY, now, u1, p1, 30),
			 STORE_ERR);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_weblink_format_and_base_check)
{
	struct fx f;
	char	url[WEBLINK_URL_MAX], path[64], err[256];
	time_t	now = time(NULL);
	static const char *const bad[] = {
		"http://x.example/", "https://", "https:///p", "https://x.example/a b",
		"https://x.example/?q=1", "https://x.example/#f", "https://u@x.example/",
		"https://x.example:0/", "https://x.example:99999/", "https://x.example//a",
		"https://x.example/../a", "https://-x.example/", "ftp://x.example/", "", NULL
	};
	size_t	i;

	fx_setup(&f);
	ck_assert_int_eq(weblink_url(f.st, "https://lienket.ilinks.asia", WEBLINK_UNSUBSCRIBE, f.an,
				     CATEGORY_PROMOTION, now, url, sizeof(url)), STORE_OK);
	ck_assert_int_eq(strncmp(url, "https://lienket.ilinks.asia/u/", 30), 0);
	ck_assert_uint_eq(strlen(url), 30 + STORE_TOKEN_DATED_LEN);
	ck_assert_int_eq(weblink_url(f.st, "https://ilinks.asia:8443/email/", WEBLINK_PREFERENCES, f.an,
				     CATEGORY_ACCOUNT, now, url, sizeof(url)), STORE_OK);
	ck_assert_int_eq(strncmp(url, "https://ilinks.asia:8443/email/p/", 33), 0);
	ck_assert_int_eq(weblink_base_path("https://ilinks.asia", path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/");
	ck_assert_int_eq(weblink_base_path("https://[2001:db8::1]/e", path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/e/");
	for (i = 0; bad[i]; i++)
		ck_assert_msg(weblink_base_check(bad[i], err, sizeof(err)) < 0, "accepted %s", bad[i]);
	ck_assert_int_eq(weblink_url(f.st, "http://x/", WEBLINK_UNSUBSCRIBE, f.an,
				     CATEGORY_PROMOTION, now, url, sizeof(url)), STORE_ERR);
	ck_assert_int_eq(weblink_url(f.st, "https://x.example/", WEBLINK_UNSUBSCRIBE, f.an,
				     CATEGORY_PROMOTION, now, url, 20), STORE_ERR);
	fx_teardown(&f);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("weblink");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_dated_token_round_trip_and_kinds);
	tcase_add_test(tc, test_weblink_format_and_base_check);
	tcase_add_test(tc, test_weblink_urls_are_both_links_of_one_token);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
