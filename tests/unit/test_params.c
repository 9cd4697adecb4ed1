/*
 * NAME
 *	test_params 1
 * SUMMARY
 *	unit tests of a campaign's parameters (sender/params.c)
 * SYNOPSIS
 *	test_params
 * DESCRIPTION
 *	--set values checked (key syntax, reserved keys, value text) with
 *	messages that name the key and never the value; the JSON kept with
 *	a campaign read back as it was written.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "tmpl.h"
#include "unit.h"

/* refused - whether the one --set S is refused; ERR gets the message */
static int
refused(const char *s, char *err, size_t errlen)
{
	const char *set[1] = {s};
	struct tmpl_vars *v = params_vars(set, 1, err, errlen);

	tmpl_vars_free(v);
	return (v == NULL);
}

START_TEST(test_params_bad_keys_and_values_are_refused_naming_the_key)
{
	char	err[512], big[TMPL_VALUE_MAX + 16];

	ck_assert(refused("offer", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "expected key=value"));
	ck_assert(refused("=Giảm 20%", err, sizeof(err)));
	ck_assert(refused("Offer=x", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "a-z 0-9"));
	ck_assert(refused("name=Nguyễn", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "comes from the customer"));
	ck_assert_ptr_null(strstr(err, "Nguyễn"));
	ck_assert(refused("offer=a\x01secret", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "--set offer:"));
	ck_assert_ptr_null(strstr(err, "secret"));
	ck_assert(refused("offer=bad \xc3\x28 utf8", err, sizeof(err)));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	memcpy(big, "offer=", 6);
	ck_assert(refused(big, err, sizeof(err)));
	ck_assert(!refused("body=dòng 1\ndòng 2\tcột", err, sizeof(err)));
}
END_TEST

START_TEST(test_params_json_round_trip)
{
	const char *set[] = {"offer=Giảm 20% \"đặc biệt\"", "until=2026-12-31"};
	struct audience a;
	struct params_extra x;
	struct params p;
	char	err[256], *json;
	struct tmpl_vars *v;

	memset(&a, 0, sizeof(a));
	a.service_type = "vps";
	memset(&x, 0, sizeof(x));
	x.staff_from = "lan@ilinks.asia";
	x.staff_name = "Phạm Thị Lan";
	x.subject = "[QC] Ưu đãi";
	x.not_before = 1800000000;
	json = params_json(set, 2, &a, &x);
	ck_assert_ptr_nonnull(json);
	ck_assert_int_eq(params_load(json, &p, err, sizeof(err)), 0);
	ck_assert_int_eq(p.nset, 2);
	ck_assert_str_eq(p.set[0], set[0]);
	ck_assert_str_eq(p.set[1], set[1]);
	ck_assert_str_eq(p.service_type, "vps");
	ck_assert_ptr_null(p.service_ref);
	ck_assert_str_eq(p.staff_from, "lan@ilinks.asia");
	ck_assert_str_eq(p.staff_name, "Phạm Thị Lan");
	ck_assert_str_eq(p.subject, "[QC] Ưu đãi");
	ck_assert_int_eq(p.not_before, 1800000000);
	v = params_vars((const char *const *) p.set, p.nset, err, sizeof(err));
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(tmpl_vars_get(v, "offer"), "Giảm 20% \"đặc biệt\"");
	tmpl_vars_free(v);
	params_clear(&p);
	free(json);
	ck_assert_int_eq(params_load("[1, 2]", &p, err, sizeof(err)), -1);
	ck_assert_int_eq(params_load("{\"set\": ", &p, err, sizeof(err)), -1);
	ck_assert_int_eq(params_load(NULL, &p, err, sizeof(err)), 0);
	ck_assert_int_eq(p.nset, 0);
	params_clear(&p);
}
END_TEST

/* params_suite - the tests of sender/params.c */
static Suite *
params_suite(void)
{
	Suite  *s = suite_create("params");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_params_bad_keys_and_values_are_refused_naming_the_key);
	tcase_add_test(tc, test_params_json_round_trip);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(params_suite()));
}
