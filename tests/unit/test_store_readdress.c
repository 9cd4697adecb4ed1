/*
 * NAME
 *	test_store_readdress 1
 * SUMMARY
 *	unit tests of store/readdress.c
 * SYNOPSIS
 *	unit/test_store_readdress
 * DESCRIPTION
 *	A customer's new address: found by the new address (normalised by
 *	config/addr.h), not by the old; contracts, refusals, consent
 *	history and tokens stay; the new address's suppression entry gets
 *	the customer's refusals and the old one stays refused; refusals
 *	recorded for the new address are applied; an address of another
 *	customer and an invalid address are refused with nothing changed.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "readdress.h"
#include "store_fx.h"

START_TEST(test_store_set_email_keeps_history_and_refusals)
{
	struct fx f;
	struct store_customer c;
	char	tok[STORE_TOKEN_MAX];
	enum category cat;
	int64_t	id, tid, id2;
	int	changed, events = 0, created, count;

	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "old@example.vn", "Lan", "0900 000 001");
	ck_assert_int_eq(store_contract_upsert(f.st, id, "hosting", "H-1", STORE_CONTRACT_ACTIVE,
					       0, 0, NULL), STORE_OK);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_STAFF, "by staff", NULL), STORE_OK);
	ck_assert_int_eq(store_token_make(f.st, id, CATEGORY_SURVEY, tok, sizeof(tok)), STORE_OK);
	ck_assert_int_eq(store_bounce_record(f.st, "old@example.vn", &count), STORE_OK);

	ck_assert_int_eq(store_customer_set_email(f.st, id, " Lan.New@B\xC3\xBC" "cher.example ",
						  &changed), STORE_OK);
	ck_assert_int_eq(changed, 1);
	/* found by the new address in its normal form, not by the old */
	ck_assert_int_eq(store_customer_find(f.st, "lan.new@xn--bcher-kva.example", &c), STORE_OK);
	ck_assert_int_eq(c.id, id);
	ck_assert_str_eq(c.email, "lan.new@xn--bcher-kva.example");
	ck_assert_str_eq(c.name, "Lan");
	ck_assert_str_eq(c.phone, "0900 000 001");
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_find(f.st, "old@example.vn", &c), STORE_NOTFOUND);
	/* what is keyed by id stays */
	ck_assert_int_eq(store_customer_has_active(f.st, id, "hosting"), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_SURVEY), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_consent_each(f.st, id, fx_count_events, &events), STORE_OK);
	ck_assert_int_eq(events, 2);
	ck_assert_int_eq(store_token_verify(f.st, tok, &tid, &cat), STORE_OK);
	ck_assert_int_eq(tid, id);
	/* both addresses are refused: the new one for the customer, the old one kept */
	ck_assert_int_eq(store_is_suppressed(f.st, "lan.new@bücher.example"), 1);
	ck_assert_int_eq(store_is_suppressed(f.st, "old@example.vn"), 1);
	/* the old address's bounces went with it */
	ck_assert_int_eq(store_is_undeliverable(f.st, "lan.new@xn--bcher-kva.example"), 0);
	/* the old address comes back as someone new: still refused */
	ck_assert_int_eq(store_customer_upsert(f.st, "old@example.vn", NULL, NULL, STORE_SRC_PORTAL,
					       &id2, &created), STORE_OK);
	ck_assert_int_eq(created, 1);
	ck_assert_int_eq(store_is_optout(f.st, id2, CATEGORY_PROMOTION), 1);
	/* the same address again (another spelling) changes nothing */
	ck_assert_int_eq(store_customer_set_email(f.st, id, "Lan.New@XN--BCHER-KVA.example",
						  &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_set_email_applies_refusals_of_the_new_address)
{
	struct fx f;
	int64_t	gone, id;
	int	changed;

	fx_setup(&f, 1);
	gone = fx_add_customer(f.st, "shared@example.vn", "Gone", "");
	ck_assert_int_eq(store_optout(f.st, gone, CATEGORY_SURVEY, STORE_CH_REPLY, "msgid=<x@y>",
				      NULL), STORE_OK);
	ck_assert_int_eq(store_customer_delete(f.st, gone), STORE_OK);
	id = fx_add_customer(f.st, "mine@example.vn", "Mine", "");
	ck_assert_int_eq(store_optout(f.st, id, CATEGORY_PROMOTION, STORE_CH_STAFF, "staff", NULL),
			 STORE_OK);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_SURVEY), 0);
	ck_assert_int_eq(store_customer_set_email(f.st, id, "shared@example.vn", &changed), STORE_OK);
	ck_assert_int_eq(changed, 1);
	/* survey refused by the address before, promotion by the customer: both now */
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_SURVEY), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_suppressed(f.st, "shared@example.vn"), 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_set_email_refuses_another_customers_address)
{
	struct fx f;
	struct store_customer c;
	int64_t	a, b;
	int	changed = 7;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "a@example.vn", "A", "");
	b = fx_add_customer(f.st, "b@example.vn", "B", "");
	ck_assert_int_eq(store_customer_set_email(f.st, a, "B@Example.VN", &changed), STORE_ERR);
	ck_assert_int_eq(changed, 0);
	ck_assert_ptr_nonnull(strstr(store_errmsg(f.st), "belongs to customer"));
	ck_assert_ptr_null(strstr(store_errmsg(f.st), "b@example"));
	ck_assert_int_eq(store_customer_set_email(f.st, a, "not an address", &changed), STORE_ERR);
	ck_assert_int_eq(store_customer_set_email(f.st, b + 100, "c@example.vn", &changed),
			 STORE_NOTFOUND);
	/* nothing moved */
	ck_assert_int_eq(store_customer_find(f.st, "a@example.vn", &c), STORE_OK);
	ck_assert_int_eq(c.id, a);
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_find(f.st, "b@example.vn", &c), STORE_OK);
	ck_assert_int_eq(c.id, b);
	store_customer_clear(&c);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_readdress");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_set_email_keeps_history_and_refusals);
	tcase_add_test(tc, test_store_set_email_applies_refusals_of_the_new_address);
	tcase_add_test(tc, test_store_set_email_refuses_another_customers_address);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
