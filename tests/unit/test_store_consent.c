/*
 * NAME
 *	test_store_consent 1
 * SUMMARY
 *	unit tests of store/consent.c and store/outbox.c
 * SYNOPSIS
 *	unit/test_store_consent
 * DESCRIPTION
 *	Refusals: idempotent per evidence, suppression, the outbox
 *	confirmation queued once, transactional categories refused.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "store_fx.h"

START_TEST(test_store_optout_idempotent_and_outbox_once)
{
	struct fx f;
	struct store_outbox o[4];
	int64_t	id;
	int	changed, n, events = 0, i;

	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<1@x> rule=command",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_SURVEY), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_ACCOUNT), 0);
	ck_assert_int_eq(store_is_suppressed(f.st, "AN.NGUYEN@example.vn"), 1);
	/* the same reply again (Postfix retry), and another refusal: nothing changes */
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<1@x> rule=command",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	ck_assert_int_eq(store_optout(f.st, id, CATEGORY_PROMOTION, STORE_CH_ONE_CLICK,
				      "token", &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	n = store_outbox_pending(f.st, 0, o, 4);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(o[0].template_name, "optout_confirm");
	ck_assert_int_eq(o[0].customer_id, id);
	ck_assert_int_eq((int) strcspn(o[0].message_id, "@"), 32);
	ck_assert_str_eq(strchr(o[0].message_id, '@'), "@mail.ilinks.asia");
	for (i = 0; i < n; i++)
		store_outbox_clear(&o[i]);
	ck_assert_int_eq(store_consent_each(f.st, id, fx_count_events, &events), STORE_OK);
	ck_assert_int_eq(events, 2);
	/* staff opt-in, then the old reply replayed: still opted in */
	ck_assert_int_eq(store_optin(f.st, id, -1, STORE_CH_STAFF, "staff", &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_is_suppressed(f.st, "an.nguyen@example.vn"), 0);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<1@x> rule=command",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	/* staff refusal: recorded, no confirmation mail */
	ck_assert_int_eq(store_optout(f.st, id, CATEGORY_SURVEY, STORE_CH_STAFF, "staff",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 1);
	ck_assert_int_eq(store_is_suppressed(f.st, "an.nguyen@example.vn"), 0);
	n = store_outbox_pending(f.st, 0, o, 4);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(store_outbox_done(f.st, o[0].id, 1, ""), STORE_OK);
	store_outbox_clear(&o[0]);
	ck_assert_int_eq(store_outbox_pending(f.st, 0, o, 4), 0);
	/* transactional mail cannot be refused */
	ck_assert_int_eq(store_optout(f.st, id, CATEGORY_ACCOUNT, STORE_CH_REPLY, "x", &changed),
			 STORE_ERR);
	ck_assert_int_eq(store_optout(f.st, 9999, -1, STORE_CH_REPLY, "y", &changed),
			 STORE_NOTFOUND);
	fx_teardown(&f);
}
END_TEST

/*
 * Two MX hosts (here: threads, each with its own connection) record the
 * same refusal at the same moment, and a second reply of the customer
 * arrives at once too: each category changes once, one consent event
 * per category, one confirmation queued. On PostgreSQL this is the row
 * lock of the customer; on SQLite the write lock.
 */
#define RACERS	8

struct racer {
	struct conf *conf;
	int64_t	id;
	int	n;
	int	changed;
	int	rc;
	pthread_barrier_t *go;
};

static void *
race_optout(void *arg)
{
	struct racer *r = arg;
	char	err[CONF_ERR_MAX], evidence[64];
	struct store *st = store_open(r->conf, err, sizeof(err));

	pthread_barrier_wait(r->go);
	if (st == NULL) {
		r->rc = -100;
		return (NULL);
	}
	/* half the racers carry the first reply's Message-ID, half a second one */
	snprintf(evidence, sizeof(evidence), "msgid=<race%d@example.vn> rule=command", r->n % 2);
	r->rc = store_optout(st, r->id, -1, STORE_CH_REPLY, evidence, &r->changed);
	store_close(st);
	return (NULL);
}

START_TEST(test_store_concurrent_refusals_are_recorded_once)
{
	struct fx f;
	struct racer r[RACERS];
	pthread_t th[RACERS];
	pthread_barrier_t go;
	struct store_outbox o[4];
	int64_t	id;
	int	i, sum = 0, events = 0, n;

	fx_setup(&f, 1);
	fx_set(f.conf, "store_busy_timeout", "20000");
	id = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	ck_assert_int_eq(pthread_barrier_init(&go, NULL, RACERS), 0);
	for (i = 0; i < RACERS; i++) {
		r[i] = (struct racer) {f.conf, id, i, 0, 0, &go};
		ck_assert_int_eq(pthread_create(&th[i], NULL, race_optout, &r[i]), 0);
	}
	for (i = 0; i < RACERS; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_msg(r[i].rc == STORE_OK, "racer %d: %d", i, r[i].rc);
		sum += r[i].changed;
	}
	pthread_barrier_destroy(&go);
	ck_assert_int_eq(sum, 2);
	ck_assert_int_eq(store_consent_each(f.st, id, fx_count_events, &events), STORE_OK);
	ck_assert_int_eq(events, 2);
	n = store_outbox_pending(f.st, 0, o, 4);
	ck_assert_int_eq(n, 1);
	store_outbox_clear(&o[0]);
	ck_assert_int_eq(store_is_suppressed(f.st, "an.nguyen@example.vn"), 1);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_consent");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_optout_idempotent_and_outbox_once);
	tcase_add_test(tc, test_store_concurrent_refusals_are_recorded_once);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
