/*
 * NAME
 *	test_store_purge 1
 * SUMMARY
 *	unit tests of store/purge.c
 * SYNOPSIS
 *	unit/test_store_purge
 * DESCRIPTION
 *	Retention: who goes and when, dry run, what stays (suppression
 *	hashes, consent events and hourly counters until their retention).
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "digest_store.h"
#include "store_fx.h"

static void
add_ended(struct store *st, int64_t id, const char *ref, time_t ended)
{
	ck_assert_int_eq(store_contract_upsert(st, id, "hosting", ref, STORE_CONTRACT_ENDED,
					       ended - 400 * DAY, ended, NULL), STORE_OK);
}



START_TEST(test_store_suppression_survives_purge)
{
	struct fx f;
	struct store_customer c;
	struct store_purge_report rep;
	struct store_stats s;
	time_t	now = time(NULL);
	int64_t	id, id2;
	int	created, events = 0;

	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "cuong.le@example.vn", "Lê Văn Cường", "0900 000 003");
	add_ended(f.st, id, "HOST-1", now - 100 * DAY);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<2@x>", NULL), STORE_OK);
	ck_assert_int_eq(store_purge(f.st, now, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.customers_deleted, 1);
	ck_assert_int_eq(rep.contracts_deleted, 1);
	ck_assert_int_eq(rep.suppressed_kept, 1);
	ck_assert_int_eq(store_customer_get(f.st, id, &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_is_suppressed(f.st, "cuong.le@example.vn"), 1);
	/* consent events stay, without the customer id */
	ck_assert_int_eq(store_consent_each(f.st, 0, fx_count_events, &events), STORE_OK);
	ck_assert_int_eq(events, 2);
	ck_assert_int_eq(store_stats_get(f.st, &s), STORE_OK);
	ck_assert_int_eq(s.customers, 0);
	ck_assert_int_eq(s.suppressed, 1);
	/* the address comes back (re-import): still refused */
	ck_assert_int_eq(store_customer_upsert(f.st, "Cuong.Le@example.vn", "Lê Văn Cường", NULL,
					       STORE_SRC_PORTAL, &id2, &created), STORE_OK);
	ck_assert_int_eq(created, 1);
	ck_assert_int_ne(id2, id);
	ck_assert_int_eq(store_is_optout(f.st, id2, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_optout(f.st, id2, CATEGORY_SURVEY), 1);
	/* a year later the orphaned events go, the suppression entry stays */
	ck_assert_int_eq(store_customer_delete(f.st, id2), STORE_OK);
	ck_assert_int_eq(store_purge(f.st, now + 400 * DAY, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.consent_events_deleted, 4);
	ck_assert_int_eq(rep.counter_hours_deleted, 0);
	ck_assert_int_eq(store_is_suppressed(f.st, "cuong.le@example.vn"), 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_partial_refusal_survives_purge)
{
	struct fx f;
	struct store_purge_report rep;
	time_t	now = time(NULL);
	int64_t	id;

	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "dung.pham@example.com", "Phạm Thị Dung", "");
	add_ended(f.st, id, "HOST-2", now - 100 * DAY);
	ck_assert_int_eq(store_optout(f.st, id, CATEGORY_PROMOTION, STORE_CH_ONE_CLICK, "t", NULL),
			 STORE_OK);
	ck_assert_int_eq(store_is_suppressed(f.st, "dung.pham@example.com"), 0);
	ck_assert_int_eq(store_purge(f.st, now, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.suppressed_kept, 1);
	id = fx_add_customer(f.st, "dung.pham@example.com", "Phạm Thị Dung", "");
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_SURVEY), 0);
	fx_teardown(&f);
}
END_TEST

static void
note_id(int64_t id, void *arg)
{
	int64_t *last = arg;

	*last = id;
}

START_TEST(test_store_purge_rules_and_dry_run)
{
	struct fx f;
	struct store_purge_report rep, dry;
	struct store_customer c;
	time_t	now = time(NULL);
	int64_t	gone, recent, active, mixed, nocontract, seen = 0;

	fx_setup(&f, 1);
	gone = fx_add_customer(f.st, "gone@example.vn", "Gone", "");
	add_ended(f.st, gone, "G-1", now - 31 * DAY);
	add_ended(f.st, gone, "G-2", now - 365 * DAY);
	recent = fx_add_customer(f.st, "recent@example.vn", "Recent", "");
	add_ended(f.st, recent, "R-1", now - 29 * DAY);		/* inside the 30-day grace */
	active = fx_add_customer(f.st, "active@example.vn", "Active", "");
	ck_assert_int_eq(store_contract_upsert(f.st, active, "vps", "A-1", STORE_CONTRACT_ACTIVE,
					       now - 900 * DAY, 0, NULL), STORE_OK);
	mixed = fx_add_customer(f.st, "mixed@example.vn", "Mixed", "");
	add_ended(f.st, mixed, "M-1", now - 900 * DAY);
	ck_assert_int_eq(store_contract_upsert(f.st, mixed, "domain", "M-2", STORE_CONTRACT_ACTIVE,
					       now - 900 * DAY, 0, NULL), STORE_OK);
	nocontract = fx_add_customer(f.st, "new@example.vn", "New", "");	/* created now */

	ck_assert_int_eq(store_purge(f.st, now, 1, note_id, &seen, &dry), STORE_OK);
	ck_assert_int_eq(dry.customers_deleted, 1);
	ck_assert_int_eq(dry.contracts_deleted, 2);
	ck_assert_int_eq(seen, gone);
	/* dry run changed nothing */
	ck_assert_int_eq(store_customer_get(f.st, gone, &c), STORE_OK);
	store_customer_clear(&c);
	ck_assert_int_eq(store_purge(f.st, now, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_mem_eq(&rep, &dry, sizeof(rep));
	ck_assert_int_eq(store_customer_get(f.st, gone, &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_customer_find(f.st, "gone@example.vn", &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_contract_end(f.st, "G-1", 0), STORE_NOTFOUND);
	{
		int64_t	ids[] = {recent, active, mixed, nocontract};

		for (int i = 0; i < 4; i++) {
			ck_assert_int_eq(store_customer_get(f.st, ids[i], &c), STORE_OK);
			store_customer_clear(&c);
		}
	}
	ck_assert_int_eq(store_customer_has_active(f.st, active, "vps"), 1);
	/* a customer with no contract goes once the grace period has passed */
	ck_assert_int_eq(store_purge(f.st, now + 31 * DAY, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.customers_deleted, 2);	/* recent and nocontract */
	fx_teardown(&f);
}
END_TEST

/* test_store_purge_counters - hourly counters go with the consent retention */
START_TEST(test_store_purge_counters)
{
	struct fx f;
	struct store_purge_report rep;
	time_t	now = time(NULL);
	long	sum = -1;

	fx_setup(&f, 1);
	ck_assert_int_eq(store_counter_add(f.st, "milter.questions", 3), STORE_OK);
	ck_assert_int_eq(store_counter_add(f.st, "milter.optout", 1), STORE_OK);
	/* within the retention: kept, also in a dry run a year later */
	ck_assert_int_eq(store_purge(f.st, now + 2 * DAY, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.counter_hours_deleted, 0);
	ck_assert_int_eq(store_purge(f.st, now + 400 * DAY, 1, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.counter_hours_deleted, 2);
	ck_assert_int_eq(store_counter_window(f.st, "milter.questions", now - DAY, now + DAY,
					      &sum), STORE_OK);
	ck_assert_int_eq(sum, 3);
	/* past it: both rows go, the digest's window is empty */
	ck_assert_int_eq(store_purge(f.st, now + 400 * DAY, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.counter_hours_deleted, 2);
	ck_assert_int_eq(store_counter_window(f.st, "milter.questions", now - DAY, now + DAY,
					      &sum), STORE_OK);
	ck_assert_int_eq(sum, 0);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_purge");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_suppression_survives_purge);
	tcase_add_test(tc, test_store_partial_refusal_survives_purge);
	tcase_add_test(tc, test_store_purge_rules_and_dry_run);
	tcase_add_test(tc, test_store_purge_counters);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
