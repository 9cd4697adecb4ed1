/*
 * NAME
 *	test_store_contract 1
 * SUMMARY
 *	unit tests of store/contract.c
 * SYNOPSIS
 *	unit/test_store_contract
 * DESCRIPTION
 *	Contracts: upsert by reference, end, active lookups, invalid input.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>

#include "store_fx.h"

START_TEST(test_store_contracts)
{
	struct fx f;
	int64_t	a, b, k1, k2;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = fx_add_customer(f.st, "binh.tran@example.vn", "Bình", "");
	ck_assert_int_eq(store_contract_upsert(f.st, a, "vps", "VPS-1", STORE_CONTRACT_ACTIVE,
					       1700000000, 0, &k1), STORE_OK);
	ck_assert_int_eq(store_customer_has_active(f.st, a, "vps"), 1);
	ck_assert_int_eq(store_customer_has_active(f.st, a, "hosting"), 0);
	ck_assert_int_eq(store_customer_has_active(f.st, b, "vps"), 0);
	/* same ref again: same row (idempotent) */
	ck_assert_int_eq(store_contract_upsert(f.st, a, "vps", "VPS-1", STORE_CONTRACT_ACTIVE,
					       0, 0, &k2), STORE_OK);
	ck_assert_int_eq(k1, k2);
	ck_assert_int_eq(store_contract_end(f.st, "VPS-1", 1710000000), STORE_OK);
	ck_assert_int_eq(store_customer_has_active(f.st, a, "vps"), 0);
	ck_assert_int_eq(store_contract_end(f.st, "NOPE-1", 0), STORE_NOTFOUND);
	ck_assert_int_eq(store_contract_upsert(f.st, a, "VPS!", "X-1", STORE_CONTRACT_ACTIVE, 0, 0,
					       NULL), STORE_ERR);
	ck_assert_int_eq(store_contract_upsert(f.st, 999, "vps", "X-2", STORE_CONTRACT_ACTIVE, 0, 0,
					       NULL), STORE_ERR);
	ck_assert_int_eq(store_contract_upsert(f.st, a, "vps", "X-3", STORE_CONTRACT_ENDED,
					       1710000000, 1700000000, NULL), STORE_ERR);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_contract");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_contracts);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
