/*
 * NAME
 *	test_form 1
 * SUMMARY
 *	links-web's form parser (web/form.h)
 * SYNOPSIS
 *	unit/test_form
 * DESCRIPTION
 *	The RFC 8058 one-click body as urlencoded and multipart, escapes,
 *	and every kind of body a form cannot be.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>


#include "form.h"
#include "unit.h"

#define URLENC		"application/x-www-form-urlencoded"
#define ONE_CLICK_BODY	"List-Unsubscribe=One-Click"


START_TEST(test_form_one_click_urlencoded_and_multipart)
{
	struct form f;
	const char *mp =
		"--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\n"
		"One-Click\r\n--XyZ--\r\n";

	ck_assert_int_eq(form_parse(URLENC, ONE_CLICK_BODY, strlen(ONE_CLICK_BODY), &f), FORM_OK);
	ck_assert_str_eq(form_get(&f, "List-Unsubscribe"), "One-Click");
	ck_assert_int_eq(form_parse("Application/X-WWW-Form-Urlencoded; charset=UTF-8",
				    ONE_CLICK_BODY "\r\n", strlen(ONE_CLICK_BODY) + 2, &f), FORM_OK);
	ck_assert_str_eq(form_get(&f, "List-Unsubscribe"), "One-Click");
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=XyZ", mp, strlen(mp), &f), FORM_OK);
	ck_assert_str_eq(form_get(&f, "List-Unsubscribe"), "One-Click");
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=\"XyZ\"", mp, strlen(mp), &f),
			 FORM_OK);
	ck_assert_ptr_null(form_get(&f, "csrf"));
	ck_assert_int_eq(form_parse(URLENC, "a=1&b=x+y%21&c", 14, &f), FORM_OK);
	ck_assert_str_eq(form_get(&f, "b"), "x y!");
	ck_assert_str_eq(form_get(&f, "c"), "");
}
END_TEST
START_TEST(test_form_refuses_what_a_form_cannot_be)
{
	struct form f;
	char	big[FORM_VALUE_MAX + 16];
	static const char *const bad[] = {
		"a=1&a=2", "a=%zz", "a=%4", "=1", "a b=1", "a=%00", "a=%0a", "a=\xc3\xa9",
		"a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9", NULL
	};
	const char *fn = "--b\r\nContent-Disposition: form-data; name=\"x\"; filename=\"a\"\r\n\r\n"
		"v\r\n--b--\r\n";
	const char *open = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv";
	const char *noname = "--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--\r\n";
	size_t	i;

	for (i = 0; bad[i]; i++)
		ck_assert_msg(form_parse(URLENC, bad[i], strlen(bad[i]), &f) == FORM_EBAD
			      && f.n == 0, "accepted %s", bad[i]);
	memset(big, 'v', sizeof(big));
	memcpy(big, "a=", 2);
	ck_assert_int_eq(form_parse(URLENC, big, sizeof(big), &f), FORM_EBAD);
	ck_assert_int_eq(form_parse("text/plain", "a=1", 3, &f), FORM_EMEDIA);
	ck_assert_int_eq(form_parse(NULL, "a=1", 3, &f), FORM_EMEDIA);
	ck_assert_int_eq(form_parse("application/json", "{}", 2, &f), FORM_EMEDIA);
	ck_assert_int_eq(form_parse("multipart/form-data", fn, strlen(fn), &f), FORM_EMEDIA);
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=b", fn, strlen(fn), &f), FORM_EBAD);
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=b", open, strlen(open), &f),
			 FORM_EBAD);
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=b", noname, strlen(noname), &f),
			 FORM_EBAD);
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=b", "", 0, &f), FORM_EBAD);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("form");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_form_one_click_urlencoded_and_multipart);
	tcase_add_test(tc, test_form_refuses_what_a_form_cannot_be);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
