/*
 * NAME
 *	test_store_export 1
 * SUMMARY
 *	unit tests of store/export.c
 * SYNOPSIS
 *	unit/test_store_export
 * DESCRIPTION
 *	The customer's own data, and nothing of another customer.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "store_fx.h"

START_TEST(test_store_export_is_the_customers_own_data)
{
	struct fx f;
	json_error_t jerr;
	json_t *root;
	FILE   *fp;
	int64_t	a;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "Nguyễn Văn An", "0900 000 001");
	fx_add_customer(f.st, "binh.tran@example.vn", "Trần Thị Bình", "");
	ck_assert_int_eq(store_contract_upsert(f.st, a, "vps", "VPS-1", STORE_CONTRACT_ACTIVE,
					       1700000000, 0, NULL), STORE_OK);
	ck_assert_int_eq(store_optout(f.st, a, CATEGORY_PROMOTION, STORE_CH_REPLY, "msgid=<9@x>",
				      NULL), STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, "m9@x", a, CATEGORY_PROMOTION, 0), STORE_OK);
	fp = tmpfile();
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(store_export_json(f.st, a, fp), STORE_OK);
	rewind(fp);
	root = json_loadf(fp, 0, &jerr);
	ck_assert_msg(root != NULL, "%s", jerr.text);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(root, "customer"),
							   "email")), "an.nguyen@example.vn");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(root, "customer"),
							   "name")), "Nguyễn Văn An");
	ck_assert_int_eq(json_array_size(json_object_get(root, "contracts")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(root, "preferences"),
							   "promotion")), "refused");
	ck_assert_int_eq(json_array_size(json_object_get(root, "consent_log")), 1);
	ck_assert_int_eq(json_array_size(json_object_get(root, "messages")), 1);
	json_decref(root);
	/* nothing about the other customer */
	rewind(fp);
	{
		char	buf[8192];
		size_t	n = fread(buf, 1, sizeof(buf) - 1, fp);

		buf[n] = 0;
		ck_assert_ptr_null(strstr(buf, "binh"));
	}
	fclose(fp);
	ck_assert_int_eq(store_export_json(f.st, 999, stdout), STORE_NOTFOUND);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_export");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_export_is_the_customers_own_data);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
