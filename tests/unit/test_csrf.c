/*
 * NAME
 *	test_csrf 1
 * SUMMARY
 *	links-web's form tokens (web/csrf.h)
 * SYNOPSIS
 *	unit/test_csrf
 * DESCRIPTION
 *	A form token works only for its page, its link and its time.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>


#include "csrf.h"
#include "web_fixture.h"
#include "unit.h"


START_TEST(test_csrf_only_for_its_page_link_and_time)
{
	struct fx f;
	char	v[CSRF_MAX], w[CSRF_MAX + 1];
	time_t	now = 1795000000;

	fx_setup(&f);
	ck_assert_int_eq(csrf_make(f.st, 'u', "abcdef", now, v, sizeof(v)), 0);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", v, now, 60), 1);
	ck_assert_int_eq(csrf_check(f.st, 'u', "ABCDEF", v, now + 3599, 60), 1);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", v, now + 3601, 60), 0);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", v, now - CSRF_SKEW - 1, 60), 0);
	ck_assert_int_eq(csrf_check(f.st, 'p', "abcdef", v, now, 60), 0);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdeg", v, now, 60), 0);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", NULL, now, 60), 0);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", "", now, 60), 0);
	strcpy(w, v);
	w[strlen(w) - 1] = w[strlen(w) - 1] == '0' ? '1' : '0';
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", w, now, 60), 0);
	snprintf(w, sizeof(w), "0%s", v);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", w, now, 60), 0);
	ck_assert_int_eq(csrf_make(f.st, 'u', "abcdef", now, w, 10), -1);
	fx_teardown(&f);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("csrf");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_csrf_only_for_its_page_link_and_time);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
