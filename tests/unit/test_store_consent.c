/*
 * NAME
 *	test_store_consent 1
 * SUMMARY
 *	unit tests of store/consent.c and store/outbox.c
 * SYNOPSIS
 *	unit/test_store_consent
 * DESCRIPTION
 *	Refusals: idempotent per evidence, suppression, the outbox
 *	confirmation queued once, transactional categories refused; a
 *	refusal prepared before the write lock (store/optout_prep.c)
 *	writes what the plain one writes.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "readdress.h"
#include "store_fx.h"

/* What the events of one customer were, in order. */
struct ev_seen {
	int	n;
	int	cat[4], optout[4];
	time_t	at[4];
	char	note[4][32], actor[4][32], evidence[4][64];
};

/* ev_keep - store_consent_each callback: keep the first four events */
static int
ev_keep(const struct store_consent *e, void *arg)
{
	struct ev_seen *v = arg;

	if (v->n < 4) {
		v->cat[v->n] = (int) e->category;
		v->optout[v->n] = e->optout;
		v->at[v->n] = e->at;
		snprintf(v->note[v->n], sizeof(v->note[0]), "%s", e->note);
		snprintf(v->actor[v->n], sizeof(v->actor[0]), "%s", e->actor);
		snprintf(v->evidence[v->n], sizeof(v->evidence[0]), "%s", e->evidence);
	}
	v->n++;
	return (0);
}

/*
 * A change of every refusable category is one event per category (the
 * rows of one statement): each with its own category, the same moment,
 * actor and evidence, and its own sealed copy of the staff note; the
 * preference of each category follows, and an agreement back only
 * touches the categories refused.
 */
START_TEST(test_store_change_of_every_category_records_an_event_each)
{
	struct ev_seen v;
	struct fx f;
	int64_t	id;
	int	changed;

	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "binh.le@example.vn", "Bình", "");
	memset(&v, 0, sizeof(v));
	ck_assert_int_eq(store_consent_staff(f.st, id, -1, 1, "lan.pham", "gọi điện", &changed),
			 STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_consent_each(f.st, id, ev_keep, &v), STORE_OK);
	ck_assert_int_eq(v.n, 2);
	ck_assert_int_eq(v.cat[0], CATEGORY_SURVEY);
	ck_assert_int_eq(v.cat[1], CATEGORY_PROMOTION);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(v.optout[i], 1);
		ck_assert_str_eq(v.note[i], "gọi điện");
		ck_assert_str_eq(v.actor[i], "lan.pham");
		ck_assert_str_eq(v.evidence[i], v.evidence[0]);
	}
	ck_assert(v.at[0] == v.at[1]);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_SURVEY), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_suppressed(f.st, "binh.le@example.vn"), 1);
	/* agreed again to promotions only, then to everything: one event each time */
	ck_assert_int_eq(store_optin(f.st, id, CATEGORY_PROMOTION, STORE_CH_STAFF, "staff",
				     &changed), STORE_OK);
	ck_assert_int_eq(changed, 1);
	ck_assert_int_eq(store_optin(f.st, id, -1, STORE_CH_STAFF, "staff", &changed), STORE_OK);
	ck_assert_int_eq(changed, 1);
	memset(&v, 0, sizeof(v));
	ck_assert_int_eq(store_consent_each(f.st, id, ev_keep, &v), STORE_OK);
	ck_assert_int_eq(v.n, 4);
	ck_assert_int_eq(v.cat[2], CATEGORY_PROMOTION);
	ck_assert_int_eq(v.optout[2], 0);
	ck_assert_int_eq(v.cat[3], CATEGORY_SURVEY);
	ck_assert_int_eq(v.optout[3], 0);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_SURVEY), 0);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(store_is_suppressed(f.st, "binh.le@example.vn"), 0);
	fx_teardown(&f);
}
END_TEST

#define MSGID_N		6	/* confirmations made one after the other */

START_TEST(test_store_confirmation_message_ids_sort_by_time_and_keep_128_random_bits)
{
	struct timespec pause = {0, 3 * 1000 * 1000};	/* past the ids' millisecond */
	struct fx f;
	struct store_outbox o[MSGID_N];
	char	addr[64];
	unsigned long long ms;
	int	changed, n;

	fx_setup(&f, 1);
	for (int i = 0; i < MSGID_N; i++) {
		int64_t	id;

		snprintf(addr, sizeof(addr), "khach%d@example.vn", i);
		id = fx_add_customer(f.st, addr, "Khach", "");
		ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "rule=command",
					      &changed), STORE_OK);
		nanosleep(&pause, NULL);
	}
	n = store_outbox_pending(f.st, 0, o, MSGID_N);
	ck_assert_int_eq(n, MSGID_N);
	for (int i = 0; i < n; i++) {
		/* 12 hex digits of milliseconds, then 32 random ones */
		ck_assert_int_eq((int) strspn(o[i].message_id, "0123456789abcdef"), 12 + 32);
		ck_assert_int_eq(o[i].message_id[12 + 32], '@');
		ck_assert_int_eq(sscanf(o[i].message_id, "%12llx", &ms), 1);
		ck_assert(ms / 1000 + 60 > (unsigned long long) time(NULL)
			  && ms / 1000 < (unsigned long long) time(NULL) + 60);
		/* made later (the outbox's order): sorts later; the random part differs */
		for (int j = 0; j < i; j++) {
			ck_assert_int_lt(strcmp(o[j].message_id, o[i].message_id), 0);
			ck_assert(memcmp(o[j].message_id + 12, o[i].message_id + 12, 32) != 0);
		}
	}
	for (int i = 0; i < n; i++)
		store_outbox_clear(&o[i]);
	fx_teardown(&f);
}
END_TEST

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
	ck_assert_int_eq((int) strcspn(o[0].message_id, "@"), 12 + 32);
	ck_assert_int_eq((int) strspn(o[0].message_id, "0123456789abcdef"), 12 + 32);
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

/* pending_thread - the thread of CUSTOMER's only pending outbox row into OUT */
static void
pending_thread(struct fx *f, int64_t customer, char *out, size_t outlen)
{
	struct store_outbox o[8];
	int	n, i, found = 0;

	n = store_outbox_pending(f->st, 0, o, 8);
	ck_assert_int_ge(n, 0);
	for (i = 0; i < n; i++) {
		if (o[i].customer_id == customer) {
			snprintf(out, outlen, "%s", o[i].thread);
			found++;
		}
		store_outbox_clear(&o[i]);
	}
	ck_assert_int_eq(found, 1);
}

/*
 * The milter's group commit runs refusals flat (store_set_flat()) in
 * one transaction: a refusal of two categories, which SQLite writes a
 * category per statement, records both rows and both events there, and
 * a rollback of the transaction takes them all back.
 */
START_TEST(test_store_refusal_of_two_categories_in_a_flat_transaction_is_whole)
{
	struct ev_seen v;
	struct fx f;
	int64_t	id, other;
	int	changed;

	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "thu.vo@example.vn", "Thu", "");
	other = fx_add_customer(f.st, "an.do@example.vn", "An", "");
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	store_set_flat(f.st, 1);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<a@b> rule=x", &changed),
			 STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_spoiled(f.st), 0);
	store_set_flat(f.st, 0);
	ck_assert_int_eq(store_commit(f.st), STORE_OK);
	memset(&v, 0, sizeof(v));
	ck_assert_int_eq(store_consent_each(f.st, id, ev_keep, &v), STORE_OK);
	ck_assert_int_eq(v.n, 2);
	ck_assert_int_eq(v.cat[0], CATEGORY_SURVEY);
	ck_assert_int_eq(v.cat[1], CATEGORY_PROMOTION);
	ck_assert(v.at[0] == v.at[1]);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_SURVEY), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 1);
	/* the same in a transaction rolled back: nothing of it stays */
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	store_set_flat(f.st, 1);
	ck_assert_int_eq(store_optout(f.st, other, -1, STORE_CH_REPLY, "msgid=<c@d> rule=x",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	store_set_flat(f.st, 0);
	ck_assert_int_eq(store_rollback(f.st), STORE_OK);
	memset(&v, 0, sizeof(v));
	ck_assert_int_eq(store_consent_each(f.st, other, ev_keep, &v), STORE_OK);
	ck_assert_int_eq(v.n, 0);
	ck_assert_int_eq(store_is_optout(f.st, other, CATEGORY_SURVEY), 0);
	ck_assert_int_eq(store_is_optout(f.st, other, CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(store_is_suppressed(f.st, "an.do@example.vn"), 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_confirmation_answers_the_customers_reply_thread)
{
	struct fx f;
	struct store_reply_thread t = {NULL, NULL, 0, 0};
	char	th[STORE_THREAD_MAX + 1], refs[2048], want[2048];
	int64_t	an, binh, cuong, dung, em;
	int	changed, i;
	size_t	len;

	fx_setup(&f, 1);
	an = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	binh = fx_add_customer(f.st, "binh.tran@example.vn", "Bình", "");
	cuong = fx_add_customer(f.st, "cuong.le@example.vn", "Cường", "");
	dung = fx_add_customer(f.st, "dung.pham@example.vn", "Dũng", "");
	em = fx_add_customer(f.st, "em.vo@example.vn", "Em", "");
	/* RFC 5322 3.6.4: the reply's References, then its Message-ID (brackets optional). */
	t.message_id = "CAF=abc.123@mail.gmail.com";
	t.references = "<0123abcd@ilinks.asia>\r\n <second@example.vn>";
	ck_assert_int_eq(store_optout_reply(f.st, an, -1, "reply msgid=<h:1> rule=command", &t,
					    &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	pending_thread(&f, an, th, sizeof(th));
	ck_assert_str_eq(th, "<0123abcd@ilinks.asia> <second@example.vn> "
			 "<CAF=abc.123@mail.gmail.com>");
	/* Without references: the reply alone; a reference we could not write is left out. */
	t.message_id = "<r1@example.vn>";
	t.references = "<no-at-sign> <ok@example.vn>";
	ck_assert_int_eq(store_optout_reply(f.st, binh, -1, "reply msgid=<h:2> rule=command", &t,
					    &changed), STORE_OK);
	pending_thread(&f, binh, th, sizeof(th));
	ck_assert_str_eq(th, "<ok@example.vn> <r1@example.vn>");
	/* A reply without a valid Message-ID: the refusal holds, the answer is not threaded. */
	t.message_id = "not an id";
	t.references = "<ok@example.vn>";
	ck_assert_int_eq(store_optout_reply(f.st, cuong, -1, "reply msgid=<h:3> rule=command", &t,
					    &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	pending_thread(&f, cuong, th, sizeof(th));
	ck_assert_str_eq(th, "");
	/* A long thread: the first and the latest, STORE_THREAD_IDS_MAX in all. */
	for (i = 0, len = 0; i < 30; i++)
		len += (size_t) snprintf(refs + len, sizeof(refs) - len, "<m%d@example.vn> ", i);
	t.message_id = "last@example.vn";
	t.references = refs;
	ck_assert_int_eq(store_optout_reply(f.st, dung, -1, "reply msgid=<h:4> rule=command", &t,
					    &changed), STORE_OK);
	pending_thread(&f, dung, th, sizeof(th));
	len = (size_t) snprintf(want, sizeof(want), "<m0@example.vn>");
	for (i = 30 - (STORE_THREAD_IDS_MAX - 2); i < 30; i++)
		len += (size_t) snprintf(want + len, sizeof(want) - len, " <m%d@example.vn>", i);
	snprintf(want + len, sizeof(want) - len, " <last@example.vn>");
	ck_assert_str_eq(th, want);
	/* The one-click button and store_optout(): nothing to answer. */
	ck_assert_int_eq(store_optout(f.st, em, CATEGORY_PROMOTION, STORE_CH_ONE_CLICK,
				      "links-web one-click POST", &changed), STORE_OK);
	pending_thread(&f, em, th, sizeof(th));
	ck_assert_str_eq(th, "");
	fx_teardown(&f);
}
END_TEST

/*
 * The milter prepares a refusal before its group commit (the address
 * opened and hashed, the confirmation's Message-ID and sealed thread
 * made on its own connection): the rows are those of
 * store_optout_reply(), the confirmation answers the reply, a second
 * preparation of the same reply changes nothing; an address changed
 * between the preparation and the write is hashed again under the lock
 * (the suppression entry is the new address's, not the old one's); a
 * preparation for another customer is not used.
 */
START_TEST(test_store_prepared_refusal_writes_what_the_plain_one_writes)
{
	struct fx f;
	struct store_reply_thread t = {"r1@example.vn", "<0123abcd@ilinks.asia>", 0, 0};
	struct store_optout_prep *p, *q;
	char	th[STORE_THREAD_MAX + 1];
	int64_t	an, binh, cuong;
	int	changed, events = 0;

	fx_setup(&f, 1);
	an = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	binh = fx_add_customer(f.st, "binh.tran@example.vn", "Bình", "");
	cuong = fx_add_customer(f.st, "cuong.le@example.vn", "Cường", "");
	ck_assert_ptr_nonnull(p = store_optout_prepare(f.st, an, &t));
	ck_assert_int_eq(store_optout_prepared(f.st, an, -1, STORE_CH_REPLY,
					       "reply msgid=<h:1> rule=command", &t, p, &changed),
			 STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_is_optout(f.st, an, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_optout(f.st, an, CATEGORY_SURVEY), 1);
	ck_assert_int_eq(store_is_suppressed(f.st, "an.nguyen@example.vn"), 1);
	pending_thread(&f, an, th, sizeof(th));
	ck_assert_str_eq(th, "<0123abcd@ilinks.asia> <r1@example.vn>");
	/* the same reply prepared again (a Postfix retry): recorded once */
	ck_assert_ptr_nonnull(q = store_optout_prepare(f.st, an, &t));
	ck_assert_int_eq(store_optout_prepared(f.st, an, -1, STORE_CH_REPLY,
					       "reply msgid=<h:1> rule=command", &t, q, &changed),
			 STORE_OK);
	ck_assert_int_eq(changed, 0);
	store_optout_prep_free(q);
	ck_assert_int_eq(store_consent_each(f.st, an, fx_count_events, &events), STORE_OK);
	ck_assert_int_eq(events, 2);
	/* Binh's address changes after the preparation: the new one is suppressed */
	ck_assert_ptr_nonnull(q = store_optout_prepare(f.st, binh, NULL));
	ck_assert_int_eq(store_customer_set_email(f.st, binh, "binh.new@example.vn", &changed),
			 STORE_OK);
	ck_assert_int_eq(changed, 1);
	ck_assert_int_eq(store_optout_prepared(f.st, binh, -1, STORE_CH_ONE_CLICK, "token",
					       NULL, q, &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_is_optout(f.st, binh, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_suppressed(f.st, "binh.new@example.vn"), 1);
	ck_assert_int_eq(store_is_suppressed(f.st, "binh.tran@example.vn"), 0);
	pending_thread(&f, binh, th, sizeof(th));
	ck_assert_str_eq(th, "");
	store_optout_prep_free(q);
	/* An's preparation handed with Cuong's refusal is not used for Cuong */
	ck_assert_int_eq(store_optout_prepared(f.st, cuong, -1, STORE_CH_REPLY,
					       "reply msgid=<h:3> rule=command", &t, p, &changed),
			 STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_is_suppressed(f.st, "cuong.le@example.vn"), 1);
	pending_thread(&f, cuong, th, sizeof(th));
	ck_assert_str_eq(th, "<0123abcd@ilinks.asia> <r1@example.vn>");
	store_optout_prep_free(p);
	/* no such customer: nothing prepared, and the plain path says so */
	ck_assert_ptr_null(store_optout_prepare(f.st, 9999, &t));
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

/* campaign_of_events - store_consent_each callback: the campaigns of the events, ORed */
static int
campaign_of_events(const struct store_consent *e, void *arg)
{
	*(int64_t *) arg |= e->campaign_id;
	return (0);
}

/*
 * The campaign a refusal answered: the one the caller (the milter's
 * decision) found is recorded as given, without a lookup; otherwise the
 * store finds it from the evidence's "ref=<>" in the message log, and a
 * reply to no campaign's message records none.
 */
START_TEST(test_store_refusal_records_the_campaign_the_caller_found)
{
	struct fx f;
	struct store_reply_thread t = {"<r1@example.vn>", "<old@ilinks.asia>", 1, 41};
	int64_t	an, binh, cuong, camp;
	int	changed;

	fx_setup(&f, 1);
	an = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	binh = fx_add_customer(f.st, "binh.tran@example.vn", "Bình", "");
	cuong = fx_add_customer(f.st, "cuong.le@example.vn", "Cường", "");
	/* given: recorded as given, even with no such message in the log */
	ck_assert_int_eq(store_optout_reply(f.st, an, -1, "reply msgid=<h:1> ref=<nolog@ilinks.asia>"
					    " rule=command", &t, &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	camp = 0;
	ck_assert_int_eq(store_consent_each(f.st, an, campaign_of_events, &camp), STORE_OK);
	ck_assert_int_eq(camp, 41);
	/* given as none: none */
	t.campaign_id = 0;
	ck_assert_int_eq(store_optout_reply(f.st, binh, -1, "reply msgid=<h:2> rule=command", &t,
					    &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	camp = 0;
	ck_assert_int_eq(store_consent_each(f.st, binh, campaign_of_events, &camp), STORE_OK);
	ck_assert_int_eq(camp, 0);
	/* not given, a reference we never logged: looked up, none */
	t.campaign_known = 0;
	t.campaign_id = 99;
	ck_assert_int_eq(store_optout_reply(f.st, cuong, -1, "reply msgid=<h:3> ref=<nolog@ilinks.asia>"
					    " rule=command", &t, &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	camp = 0;
	ck_assert_int_eq(store_consent_each(f.st, cuong, campaign_of_events, &camp), STORE_OK);
	ck_assert_int_eq(camp, 0);
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
	tcase_add_test(tc, test_store_confirmation_message_ids_sort_by_time_and_keep_128_random_bits);
	tcase_add_test(tc, test_store_change_of_every_category_records_an_event_each);
	tcase_add_test(tc, test_store_refusal_of_two_categories_in_a_flat_transaction_is_whole);
	tcase_add_test(tc, test_store_confirmation_answers_the_customers_reply_thread);
	tcase_add_test(tc, test_store_prepared_refusal_writes_what_the_plain_one_writes);
	tcase_add_test(tc, test_store_concurrent_refusals_are_recorded_once);
	tcase_add_test(tc, test_store_refusal_records_the_campaign_the_caller_found);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
