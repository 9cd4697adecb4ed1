/*
 * NAME
 *	test_svcname 1
 * SUMMARY
 *	unit tests of service type display names (sender/svcname.c)
 * SYNOPSIS
 *	test_svcname
 * DESCRIPTION
 *	The built-in table of service_type_names, a site's own, and the
 *	malformed tables refused with the option's name.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "svcname.h"
#include "unit.h"

START_TEST(test_svcname_default_and_own_tables)
{
	struct conf *c = conf_defaults();
	struct svcname *s;
	char	err[256];

	ck_assert_ptr_nonnull(s = svcname_load(c, err, sizeof(err)));
	ck_assert_str_eq(svcname_get(s, "vps"), "VPS");
	ck_assert_str_eq(svcname_get(s, "domain"), "Tên miền");
	ck_assert_str_eq(svcname_get(s, "colo"), "colo");
	svcname_free(s);
	ck_assert_int_eq(conf_set(c, "service_type_names", " vps : Máy chủ ảo VPS ;; colo:Colo; ",
				  err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(s = svcname_load(c, err, sizeof(err)));
	ck_assert_str_eq(svcname_get(s, "vps"), "Máy chủ ảo VPS");
	ck_assert_str_eq(svcname_get(s, "colo"), "Colo");
	ck_assert_str_eq(svcname_get(s, "hosting"), "hosting");
	svcname_free(s);
	ck_assert_str_eq(svcname_get(NULL, "x"), "x");
	conf_free(c);
}
END_TEST

START_TEST(test_svcname_malformed_tables_are_refused)
{
	const char *bad[] = {"vps VPS", "VPS: upper case code", "vps:", ": VPS",
		"vps: a name far too long for a subject line, longer than sixty-four bytes in all"};
	struct conf *c = conf_defaults();
	char	err[256];
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(conf_set(c, "service_type_names", bad[i], err, sizeof(err)), 0);
		ck_assert_msg(svcname_load(c, err, sizeof(err)) == NULL, "accepted: %s", bad[i]);
		ck_assert_int_eq(strncmp(err, "service_type_names:", 19), 0);
	}
	conf_free(c);
}
END_TEST

/* svcname_suite - the tests of sender/svcname.c */
static Suite *
svcname_suite(void)
{
	Suite  *s = suite_create("svcname");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_svcname_default_and_own_tables);
	tcase_add_test(tc, test_svcname_malformed_tables_are_refused);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(svcname_suite()));
}
