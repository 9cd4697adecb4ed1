/*
 * NAME
 *	test_store_erase 1
 * SUMMARY
 *	unit tests of store/erase.c
 * SYNOPSIS
 *	unit/test_store_erase
 * DESCRIPTION
 *	Erasure on request: the customer's personal data, contracts,
 *	preferences, message log, deliveries and pending confirmations
 *	go; the suppression entry and the consent events (without the
 *	customer id) stay; an erased address that comes back is refused
 *	again; other customers are untouched; an unknown id changes
 *	nothing. Each test makes its own store (store_fx.h): SQLite, or
 *	PostgreSQL when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "erase.h"
#include "store_fx.h"

struct who_events {
	int64_t	id;
	int	with_id, without_id;
};

/* count_who - consent events of W->id, and those without a customer */
static int
count_who(const struct store_consent *e, void *arg)
{
	struct who_events *w = arg;

	if (e->customer_id == w->id)
		w->with_id++;
	else if (e->customer_id == 0)
		w->without_id++;
	return (0);
}

/* erase_fixture - a customer with a bit of everything; returns its id */
static int64_t
erase_fixture(struct store *st, int64_t *camp)
{
	int64_t	id;
	int	count;

	id = fx_add_customer(st, "mai.pham@example.vn", "Phạm Thị Mai", "0912 345 678");
	ck_assert_int_eq(store_contract_upsert(st, id, "vps", "VPS-9", STORE_CONTRACT_ACTIVE,
					       0, 0, NULL), STORE_OK);
	ck_assert_int_eq(store_contract_upsert(st, id, "domain", "DOM-9", STORE_CONTRACT_ENDED,
					       1, 2, NULL), STORE_OK);
	ck_assert_int_eq(store_optout(st, id, CATEGORY_PROMOTION, STORE_CH_REPLY,
				      "msgid=<r1@gmail.com>", NULL), STORE_OK);	/* + outbox row */
	ck_assert_int_eq(store_msglog_add(st, "m1@links.vn", id, CATEGORY_PROMOTION, 0), STORE_OK);
	ck_assert_int_eq(store_campaign_create(st, CATEGORY_MAINTENANCE, "maintenance", "all", "{}",
					       camp), STORE_OK);
	ck_assert_int_eq(store_delivery_add(st, *camp, id, "d1@links.vn", STORE_DLV_QUEUED, ""),
			 STORE_OK);
	ck_assert_int_eq(store_bounce_record(st, "mai.pham@example.vn", &count), STORE_OK);
	return (id);
}

START_TEST(test_store_erase_removes_personal_data_and_keeps_refusal)
{
	struct fx f;
	struct store_erase_report rep;
	struct store_customer c;
	struct store_msglog m;
	struct store_stats s;
	struct store_outbox o[4];
	struct who_events w = {0, 0, 0};
	int64_t	id, other, camp, id2;
	int	created;

	fx_setup(&f, 1);
	id = erase_fixture(f.st, &camp);
	other = fx_add_customer(f.st, "other@example.vn", "Other", "");
	ck_assert_int_eq(store_msglog_add(f.st, "m2@links.vn", other, CATEGORY_ACCOUNT, 0), STORE_OK);
	w.id = id;

	ck_assert_int_eq(store_customer_erase(f.st, id, &rep), STORE_OK);
	ck_assert_int_eq(rep.contracts_active, 1);
	ck_assert_int_eq(rep.contracts_ended, 1);
	ck_assert_int_eq(rep.messages, 1);
	ck_assert_int_eq(rep.deliveries, 1);
	ck_assert_int_eq(rep.outbox_pending, 1);
	ck_assert_int_eq(rep.consent_kept, 1);
	ck_assert_int_eq(rep.suppressed_cats, 1 << CATEGORY_PROMOTION);

	/* gone: the row, contracts, log, deliveries, outbox, bounces */
	ck_assert_int_eq(store_customer_get(f.st, id, &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_customer_find(f.st, "mai.pham@example.vn", &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_contract_end(f.st, "VPS-9", 0), STORE_NOTFOUND);
	ck_assert_int_eq(store_contract_end(f.st, "DOM-9", 0), STORE_NOTFOUND);
	ck_assert_int_eq(store_msglog_find(f.st, "m1@links.vn", &m), STORE_NOTFOUND);
	ck_assert_int_eq(store_outbox_pending(f.st, 0, o, 4), 0);
	ck_assert_int_eq(store_is_undeliverable(f.st, "mai.pham@example.vn"), 0);
	ck_assert_int_eq(store_stats_get(f.st, &s), STORE_OK);
	ck_assert_int_eq(s.customers, 1);
	ck_assert_int_eq(s.contracts_active + s.contracts_ended, 0);
	ck_assert_int_eq(s.messages_logged, 1);		/* the other customer's */
	/* kept: the consent event without the customer id */
	ck_assert_int_eq(store_consent_each(f.st, 0, count_who, &w), STORE_OK);
	ck_assert_int_eq(w.with_id, 0);
	ck_assert_int_eq(w.without_id, 1);
	/* the other customer is untouched */
	ck_assert_int_eq(store_customer_get(f.st, other, &c), STORE_OK);
	ck_assert_str_eq(c.email, "other@example.vn");
	store_customer_clear(&c);
	ck_assert_int_eq(store_msglog_find(f.st, "m2@links.vn", &m), STORE_OK);

	/* the address comes back in an import: promotion is still refused */
	ck_assert_int_eq(store_customer_upsert(f.st, "Mai.Pham@EXAMPLE.vn", "Mai", NULL,
					       STORE_SRC_PORTAL, &id2, &created), STORE_OK);
	ck_assert_int_eq(created, 1);
	ck_assert_int_ne(id2, id);
	ck_assert_int_eq(store_is_optout(f.st, id2, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_optout(f.st, id2, CATEGORY_SURVEY), 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_erase_overwrites_contract_refs_in_the_file)
{
	struct fx f;
	int64_t	id, camp;

	if (fx_pg())
		return;			/* the file check is SQLite's; store-pg.sh checks the cluster */
	fx_setup(&f, 1);
	id = erase_fixture(f.st, &camp);
	ck_assert_int_eq(store_customer_erase(f.st, id, NULL), STORE_OK);
	store_close(f.st);
	f.st = NULL;
	/* contract references are plain text: secure_delete overwrote them */
	ck_assert_int_eq(fx_file_contains(f.db, "VPS-9"), 0);
	ck_assert_int_eq(fx_file_contains(f.db, "DOM-9"), 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_erase_unknown_customer_changes_nothing)
{
	struct fx f;
	struct store_erase_report rep;
	struct store_stats s;
	int64_t	id;

	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "an@example.vn", "An", "");
	ck_assert_int_eq(store_customer_erase(f.st, id + 1000, &rep), STORE_NOTFOUND);
	ck_assert_int_eq(rep.contracts_active + rep.consent_kept, 0);
	ck_assert_int_eq(store_stats_get(f.st, &s), STORE_OK);
	ck_assert_int_eq(s.customers, 1);
	/* inside a caller's transaction that rolls back, nothing is erased */
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	ck_assert_int_eq(store_customer_erase(f.st, id, NULL), STORE_OK);
	ck_assert_int_eq(store_rollback(f.st), STORE_OK);
	ck_assert_int_eq(store_stats_get(f.st, &s), STORE_OK);
	ck_assert_int_eq(s.customers, 1);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_erase");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_erase_removes_personal_data_and_keeps_refusal);
	tcase_add_test(tc, test_store_erase_overwrites_contract_refs_in_the_file);
	tcase_add_test(tc, test_store_erase_unknown_customer_changes_nothing);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
