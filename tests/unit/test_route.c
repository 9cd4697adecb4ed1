/*
 * NAME
 *	test_route 1
 * SUMMARY
 *	links-web's request paths (web/route.h)
 * SYNOPSIS
 *	unit/test_route
 * DESCRIPTION
 *	The pages under a prefix, tokens of every shape, over-long paths.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>


#include "route.h"
#include "store.h"
#include "unit.h"


START_TEST(test_route_pages_under_the_prefix)
{
	struct route r;
	char	lng[ROUTE_PATH_MAX + 8];

	ck_assert_int_eq(route_parse("/email/", "/email/u/ABCdef234567", &r), ROUTE_OK);
	ck_assert_int_eq(r.page, ROUTE_UNSUBSCRIBE);
	ck_assert_str_eq(r.token, "ABCdef234567");
	ck_assert_int_eq(route_parse("/email/", "/email/p/abc", &r), ROUTE_OK);
	ck_assert_int_eq(r.page, ROUTE_PREFERENCES);
	ck_assert_int_eq(route_parse("/email/", "/email/links-web.css", &r), ROUTE_OK);
	ck_assert_int_eq(r.page, ROUTE_STYLE);
	ck_assert_int_eq(route_parse("/email/", "/email", &r), ROUTE_OK);
	ck_assert_int_eq(r.page, ROUTE_HOME);
	ck_assert_int_eq(route_parse("/", "/robots.txt", &r), ROUTE_OK);
	ck_assert_int_eq(r.page, ROUTE_ROBOTS);
	ck_assert_int_eq(route_parse("/email/", "/u/abc", &r), ROUTE_ENOTFOUND);
	ck_assert_int_eq(route_parse("/", "/u/", &r), ROUTE_ENOTFOUND);
	ck_assert_int_eq(route_parse("/", "/x/abc", &r), ROUTE_ENOTFOUND);
	ck_assert_int_eq(route_parse("/", "/u/abc%41", &r), ROUTE_EBADTOKEN);
	ck_assert_int_eq(route_parse("/", "/u/abc/", &r), ROUTE_EBADTOKEN);
	ck_assert_int_eq(route_parse("/", "/u/ab18", &r), ROUTE_EBADTOKEN);
	ck_assert_int_eq(route_parse("/", "/u/../etc/passwd", &r), ROUTE_EBADTOKEN);
	memset(lng, 'a', sizeof(lng));
	memcpy(lng, "/u/", 3);
	lng[sizeof(lng) - 1] = 0;
	ck_assert_int_eq(route_parse("/", lng, &r), ROUTE_ETOOLONG);
	lng[STORE_TOKEN_MAX + 3] = 0;
	ck_assert_int_eq(route_parse("/", lng, &r), ROUTE_EBADTOKEN);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("route");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_route_pages_under_the_prefix);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
