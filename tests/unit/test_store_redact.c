/*
 * NAME
 *	test_store_redact 1
 * SUMMARY
 *	unit tests of store/redact.c and what it protects (issue 12, 18)
 * SYNOPSIS
 *	unit/test_store_redact
 * DESCRIPTION
 *	Nothing private in clear in the store's files: campaign parameters
 *	(encrypted, erased with their only recipient), addresses in
 *	delivery and outbox reasons (the customer id instead), foreign
 *	Message-IDs in consent evidence (a keyed hash, idempotency kept),
 *	staff notes (encrypted, erased with the customer). Also what
 *	support reads: the actor and note of a staff change, the events of
 *	every customer by date, and a campaign's refusals and questions.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh; the files
 *	searched are then the cluster's data folder).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "erase.h"
#include "inbound.h"
#include "store_fx.h"

#define REASON_BUF	256

/* The private values below must never be found in the store's files. */
static const char *const secrets[] = {
	"HĐ-778899", "0987 654 321", "an.nguyen", "reply-778899",
	"mail.gmail.com", "0912 345 678", "PROMO-5521",
};

/* no_secrets - none of SECRETS in F's files (and the canary is) */
static void
no_secrets(const struct fx *f, const char *canary, const char *when)
{
	size_t	i;
	int	r;

	if ((r = fx_store_contains(f, canary)) < 0)
		return;		/* PostgreSQL without its data folder: nothing to search */
	ck_assert_msg(r == 1, "%s: the search does not see \"%s\" stored in clear", when, canary);
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		ck_assert_msg(fx_store_contains(f, secrets[i]) == 0, "%s: \"%s\" in clear", when,
			      secrets[i]);
}

struct last_event {
	char	evidence[STORE_EVIDENCE_MAX + 1];
	char	actor[STORE_ACTOR_MAX + 1];
	char	note[STORE_NOTE_MAX + 1];
	int64_t	campaign_id;
	int	n;
	int	notes;		/* events with a note */
};

/* the_event - keep the last event's evidence, actor and note; count (fn of store_consent_each) */
static int
the_event(const struct store_consent *e, void *arg)
{
	struct last_event *l = arg;

	snprintf(l->evidence, sizeof(l->evidence), "%s", e->evidence);
	snprintf(l->actor, sizeof(l->actor), "%s", e->actor);
	snprintf(l->note, sizeof(l->note), "%s", e->note);
	l->campaign_id = e->campaign_id;
	l->n++;
	l->notes += *e->note != 0;
	return (0);
}

START_TEST(test_store_campaign_parameters_encrypted_and_erased_with_their_only_recipient)
{
	static const char answer[] = "{\"set\":{\"answer\":\"Số HĐ-778899, gọi 0987 654 321\"}}";
	static const char offer[] = "{\"set\":{\"offer\":\"Ưu đãi PROMO-5521\"}}";
	struct store_campaign c;
	struct store_purge_report rep;
	struct fx f;
	time_t	now = time(NULL);
	int64_t	a, b, c1, c2;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = fx_add_customer(f.st, "binh@example.org", "Bình", "");
	ck_assert_int_eq(store_contract_upsert(f.st, a, "hosting", "H-A", STORE_CONTRACT_ENDED,
					       now - 500 * DAY, now - 100 * DAY, NULL), STORE_OK);
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_ANSWER, "canary-template-answer",
					       "to=1 address", answer, &c1), STORE_OK);
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_PROMOTION, "canary-template-offer",
					       "all", offer, &c2), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, c1, a, NULL, STORE_DLV_QUEUED, NULL), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, c2, a, NULL, STORE_DLV_QUEUED, NULL), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, c2, b, NULL, STORE_DLV_QUEUED, NULL), STORE_OK);
	ck_assert_int_eq(store_campaign_get(f.st, c1, &c), STORE_OK);
	ck_assert_str_eq(c.params, answer);	/* read back in clear */
	store_campaign_clear(&c);
	no_secrets(&f, "canary-template-answer", "after the campaigns were made");

	/* a's contracts ended long ago: purge takes a and the answer sent only to a */
	ck_assert_int_eq(store_purge(f.st, now, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.customers_deleted, 1);
	ck_assert_int_eq(store_campaign_get(f.st, c1, &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_campaign_get(f.st, c2, &c), STORE_OK);
	ck_assert_str_eq(c.params, offer);	/* b still has it */
	store_campaign_clear(&c);
	no_secrets(&f, "canary-template-offer", "after purge");
	if (!f.pg) {		/* and once the WAL is checkpointed into the file */
		store_close(f.st);
		f.st = NULL;
		no_secrets(&f, "canary-template-offer", "after purge and close");
	}
	fx_teardown(&f);
}
END_TEST

/* with_id - TMPL with each "@ID" replaced by ID */
static void
with_id(const char *tmpl, int64_t id, char *out, size_t outlen)
{
	const char *p;
	size_t	n = 0;

	out[0] = 0;
	while ((p = strstr(tmpl, "@ID")) != NULL) {
		n += (size_t) snprintf(out + n, outlen - n, "%.*s%lld", (int) (p - tmpl), tmpl,
				       (long long) id);
		tmpl = p + 3;
	}
	snprintf(out + n, outlen - n, "%s", tmpl);
}

START_TEST(test_store_reasons_keep_the_customer_id_not_the_address)
{
	static const struct {
		const char *in, *out;	/* "@ID": the customer id */
	} cases[] = {
		{"550 5.1.1 <an.nguyen@example.vn>: Recipient address rejected: User unknown",
		 "550 5.1.1 <customer @ID>: Recipient address rejected: User unknown"},
		{"550 5.1.1 <\"an nguyen\"@example.vn>... User unknown",
		 "550 5.1.1 <customer @ID>... User unknown"},
		{"host mx.provider.test said: 552 an.nguyen@example.vn mailbox full (in reply to RCPT)",
		 "host mx.provider.test said: 552 customer @ID mailbox full (in reply to RCPT)"},
		{"RCPT TO:<thư@example.vn> refused, copy to x@y.example",
		 "RCPT TO:<customer @ID> refused, copy to customer @ID"},
		{"sending (attempt 2)", "sending (attempt 2)"},
		{"", ""},
	};
	char	want[REASON_BUF];
	struct store_delivery d;
	struct store_outbox o;
	struct fx f;
	int64_t	a, cid, oid, did = 0;
	size_t	i;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_ACCOUNT, "invoice", "", "{}", &cid),
			 STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, a, NULL, STORE_DLV_QUEUED, NULL), STORE_OK);
	ck_assert_int_eq(store_outbox_add(f.st, a, "optout_confirm", &oid), STORE_OK);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		with_id(cases[i].out, a, want, sizeof(want));
		ck_assert_int_eq(store_delivery_queued(f.st, cid, 0, &d, 1), 1);
		did = d.id;
		ck_assert_int_eq(store_delivery_set(f.st, did, STORE_DLV_QUEUED, cases[i].in),
				 STORE_OK);
		store_delivery_clear(&d);
		ck_assert_int_eq(store_delivery_queued(f.st, cid, 0, &d, 1), 1);
		ck_assert_str_eq(d.reason, want);
		store_delivery_clear(&d);
		ck_assert_int_eq(store_outbox_set(f.st, oid, STORE_DLV_QUEUED, cases[i].in), STORE_OK);
		ck_assert_int_eq(store_outbox_pending(f.st, 0, &o, 1), 1);
		ck_assert_str_eq(o.reason, want);
		store_outbox_clear(&o);
	}
	/* a skipped row's reason and a failed one's: same rule */
	ck_assert_int_eq(store_delivery_set(f.st, did, STORE_DLV_FAILED, cases[0].in), STORE_OK);
	ck_assert_int_eq(store_outbox_done(f.st, oid, 0, cases[2].in), STORE_OK);
	ck_assert_int_eq(fx_store_contains(&f, "an.nguyen") == 1, 0);
	ck_assert_int_eq(fx_store_contains(&f, "x@y.example") == 1, 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_evidence_message_ids_hashed_and_still_idempotent)
{
	struct store_campaign_replies r;
	struct last_event l;
	struct fx f;
	char	ev[STORE_EVIDENCE_MAX], ours[] = "0123abcd@mail.ilinks.asia";
	int64_t	a, b, cid;
	int	changed = -1, counted = -1;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = fx_add_customer(f.st, "binh@example.org", "Bình", "");
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_PROMOTION, "canary-template-promo",
					       "", "{}", &cid), STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, ours, a, CATEGORY_PROMOTION, cid), STORE_OK);
	snprintf(ev, sizeof(ev), "reply msgid=<CAF.reply-778899@mail.gmail.com> ref=<%s> "
		 "rule=command from=an.nguyen@example.vn", ours);
	ck_assert_int_eq(store_optout(f.st, a, -1, STORE_CH_REPLY, ev, &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	/* the same reply again (the backup MX): nothing twice */
	ck_assert_int_eq(store_optout(f.st, a, -1, STORE_CH_REPLY, ev, &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(store_consent_each(f.st, a, the_event, &l), STORE_OK);
	ck_assert_int_eq(l.n, 2);
	ck_assert_ptr_null(strstr(l.evidence, "gmail"));
	ck_assert_ptr_null(strstr(l.evidence, "an.nguyen"));
	ck_assert_msg(strncmp(l.evidence, "reply msgid=<h:", 15) == 0, "%s", l.evidence);
	ck_assert_msg(strstr(l.evidence, ours) != NULL, "our Message-ID kept: %s", l.evidence);
	ck_assert_int_eq(l.campaign_id, cid);
	no_secrets(&f, "canary-template-promo", "after the refusal");

	/* per-campaign counts: b refuses too; two questions, one seen twice */
	snprintf(ev, sizeof(ev), "reply msgid=<b1@example.org> ref=<%s> rule=command", ours);
	ck_assert_int_eq(store_optout(f.st, b, CATEGORY_PROMOTION, STORE_CH_REPLY, ev, NULL),
			 STORE_OK);
	ck_assert_int_eq(store_campaign_question(f.st, ours, "<q1@example.org>", b, &counted),
			 STORE_OK);
	ck_assert_int_eq(counted, 1);
	ck_assert_int_eq(store_campaign_question(f.st, ours, "<q1@example.org>", b, &counted),
			 STORE_OK);
	ck_assert_int_eq(counted, 0);
	ck_assert_int_eq(store_campaign_question(f.st, "<0123abcd@mail.ilinks.asia>",
						 "<q2@example.org>", b, &counted), STORE_OK);
	ck_assert_int_eq(store_campaign_question(f.st, "nobody@example.org", "<q3@x>", b, NULL),
			 STORE_NOTFOUND);
	ck_assert_int_eq(store_campaign_replies(f.st, cid, &r), STORE_OK);
	ck_assert_int_eq(r.refusal_customers, 2);
	ck_assert_int_eq(r.refusal_messages, 2);
	ck_assert_int_eq(r.question_customers, 1);
	ck_assert_int_eq(r.question_messages, 2);
	ck_assert_int_eq(store_campaign_replies(f.st, cid + 1, &r), STORE_OK);
	ck_assert_int_eq(r.refusal_messages + r.question_messages, 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_reply_thread_sealed_at_rest_and_kept_until_sent)
{
	struct store_reply_thread t = {"<CAF.reply-778899@mail.gmail.com>",
				       "<0123abcd@ilinks.asia>", 0, 0};
	struct store_erase_report rep;
	struct store_outbox o[4];
	struct fx f;
	int64_t	a, b, cid;
	int	n;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = fx_add_customer(f.st, "binh@example.org", "Bình", "");
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_PROMOTION, "canary-template-thread",
					       "", "{}", &cid), STORE_OK);
	ck_assert_int_eq(store_optout_reply(f.st, a, -1, "reply msgid=<h:1> rule=command", &t,
					    NULL), STORE_OK);
	t.message_id = "<b.reply-778899@mail.gmail.com>";
	ck_assert_int_eq(store_optout_reply(f.st, b, -1, "reply msgid=<h:2> rule=command", &t,
					    NULL), STORE_OK);
	n = store_outbox_pending(f.st, 0, o, 4);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(o[0].thread, "<0123abcd@ilinks.asia> <CAF.reply-778899@mail.gmail.com>");
	no_secrets(&f, "canary-template-thread", "with the confirmations pending");
	/* sent: the customer's Message-IDs go; b is erased with its pending row */
	ck_assert_int_eq(store_outbox_done(f.st, o[0].id, 1, ""), STORE_OK);
	store_outbox_clear(&o[0]);
	store_outbox_clear(&o[1]);
	ck_assert_int_eq(store_customer_erase(f.st, b, &rep), STORE_OK);
	ck_assert_int_eq(rep.outbox_pending, 1);
	ck_assert_int_eq(store_outbox_pending(f.st, 0, o, 4), 0);
	fx_raw_exec(&f, "UPDATE outbox SET status = 0");	/* the done row, pending again */
	ck_assert_int_eq(store_outbox_pending(f.st, 0, o, 4), 1);
	ck_assert_str_eq(o[0].thread, "");
	store_outbox_clear(&o[0]);
	no_secrets(&f, "canary-template-thread", "after sending and erasure");
	if (!f.pg) {
		store_close(f.st);
		f.st = NULL;
		no_secrets(&f, "canary-template-thread", "after close");
	}
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_evidence_hash_is_one_format_and_old_hmac_rows_stay_readable)
{
	struct last_event l;
	struct store_campaign_replies r;
	struct fx f;
	char	h[STORE_EVHASH_MAX], h2[STORE_EVHASH_MAX], ev[STORE_EVIDENCE_MAX], want[STORE_EVIDENCE_MAX];
	char	ours[] = "4455ffee@mail.ilinks.asia";
	static const char old[] = "reply msgid=<hmac:00112233445566778899aabbccddeeff> "
		"ref=<4455ffee@mail.ilinks.asia> rule=command";
	int64_t	a, b, cid;
	int	changed = -1;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = fx_add_customer(f.st, "binh@example.org", "Bình", "");
	/* the milter's hash of a reply's Message-ID: "h:" and 24 hex digits, keyed, stable */
	store_evidence_hash(f.st, "CAF.reply-778899@mail.gmail.com", h);
	ck_assert_uint_eq(strlen(h), STORE_EVHASH_MAX - 1);
	ck_assert_int_eq(strncmp(h, "h:", 2), 0);
	ck_assert_uint_eq(strspn(h + 2, "0123456789abcdef"), 2 * STORE_EVHASH_BYTES);
	store_evidence_hash(f.st, "CAF.reply-778899@mail.gmail.com", h2);
	ck_assert_str_eq(h, h2);
	store_evidence_hash(f.st, "CAF.reply-778900@mail.gmail.com", h2);
	ck_assert_str_ne(h, h2);
	/* the store's redaction of the same Message-ID in clear writes the same text */
	ck_assert_int_eq(store_optout(f.st, a, -1, STORE_CH_REPLY,
				      "reply msgid=<CAF.reply-778899@mail.gmail.com> rule=command",
				      NULL), STORE_OK);
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(store_consent_each(f.st, a, the_event, &l), STORE_OK);
	snprintf(want, sizeof(want), "reply msgid=<%s> rule=command", h);
	ck_assert_str_eq(l.evidence, want);
	/* so the same reply hashed by the milter is the same event: after a
	 * staff opt-in it is not applied again; another reply is */
	snprintf(ev, sizeof(ev), "reply msgid=<%s> rule=command", h);
	ck_assert_int_eq(store_optin(f.st, a, -1, STORE_CH_STAFF, "staff", NULL), STORE_OK);
	ck_assert_int_eq(store_optout(f.st, a, -1, STORE_CH_REPLY, ev, &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	ck_assert_int_eq(store_is_optout(f.st, a, CATEGORY_PROMOTION), 0);
	snprintf(ev, sizeof(ev), "reply msgid=<%s> rule=command", h2);
	ck_assert_int_eq(store_optout(f.st, a, -1, STORE_CH_REPLY, ev, &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	/* a row in the old "hmac:" format is kept and read as written, tied to its campaign */
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_PROMOTION, "promotion", "", "{}",
					       &cid), STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, ours, b, CATEGORY_PROMOTION, cid), STORE_OK);
	ck_assert_int_eq(store_optout(f.st, b, -1, STORE_CH_REPLY, old, NULL), STORE_OK);
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(store_consent_each(f.st, b, the_event, &l), STORE_OK);
	ck_assert_str_eq(l.evidence, old);
	ck_assert_int_eq(l.campaign_id, cid);
	ck_assert_int_eq(store_campaign_replies(f.st, cid, &r), STORE_OK);
	ck_assert_int_eq(r.refusal_customers, 1);
	ck_assert_int_eq(r.refusal_messages, 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_staff_change_keeps_actor_and_note_until_the_customer_goes)
{
	static const char note[] = "ticket #4411: khách gọi 0912 345 678";
	char	longnote[STORE_NOTE_MAX + 2];
	struct last_event l;
	struct fx f;
	int64_t	a;
	int	changed = -1;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	ck_assert_int_eq(store_consent_staff(f.st, a, CATEGORY_PROMOTION, 1, "lan.pham", note,
					     &changed), STORE_OK);
	ck_assert_int_eq(changed, 1);
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(store_consent_each(f.st, a, the_event, &l), STORE_OK);
	ck_assert_int_eq(l.n, 1);
	ck_assert_str_eq(l.actor, "lan.pham");
	ck_assert_str_eq(l.note, note);
	ck_assert_int_eq(l.notes, 1);
	ck_assert_str_eq(l.evidence, "links-store by lan.pham");
	ck_assert_int_eq(store_is_optout(f.st, a, CATEGORY_PROMOTION), 1);
	/* opt-in again, without a note */
	ck_assert_int_eq(store_consent_staff(f.st, a, CATEGORY_PROMOTION, 0, "minh.tran", NULL,
					     &changed), STORE_OK);
	ck_assert_int_eq(store_is_optout(f.st, a, CATEGORY_PROMOTION), 0);
	/* refused: no actor, a note too long */
	ck_assert_int_eq(store_consent_staff(f.st, a, -1, 1, "", "x", NULL), STORE_ERR);
	memset(longnote, 'x', sizeof(longnote) - 1);
	longnote[sizeof(longnote) - 1] = 0;
	ck_assert_int_eq(store_consent_staff(f.st, a, -1, 1, "lan", longnote, NULL), STORE_ERR);
	no_secrets(&f, "lan.pham", "with a note");
	/* the customer goes: the events stay, the note does not */
	ck_assert_int_eq(store_customer_delete(f.st, a), STORE_OK);
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(store_consent_range(f.st, 0, time(NULL) + DAY, the_event, &l), STORE_OK);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.notes, 0);
	fx_teardown(&f);
}
END_TEST

/* count_range - events of customer *ARG's kind (fn of store_consent_range) */
struct range_count {
	int	n;
	int64_t	first_customer;
};

static int
count_range(const struct store_consent *e, void *arg)
{
	struct range_count *c = arg;

	if (c->n++ == 0)
		c->first_customer = e->customer_id;
	return (0);
}

START_TEST(test_store_consent_range_lists_every_customer_by_day)
{
	struct range_count c;
	struct fx f;
	char	sql[256];
	time_t	day1 = 1764374400;	/* 2025-11-29 00:00 UTC */
	int64_t	a, b;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = fx_add_customer(f.st, "binh@example.org", "Bình", "");
	ck_assert_int_eq(store_optout(f.st, a, -1, STORE_CH_REPLY, "reply msgid=<1@x>", NULL),
			 STORE_OK);
	ck_assert_int_eq(store_optout(f.st, b, CATEGORY_SURVEY, STORE_CH_ONE_CLICK, "token", NULL),
			 STORE_OK);
	snprintf(sql, sizeof(sql), "UPDATE consent_events SET at = %lld + 3600 WHERE customer_id = "
		 "%lld", (long long) day1, (long long) a);
	fx_raw_exec(&f, sql);
	snprintf(sql, sizeof(sql), "UPDATE consent_events SET at = %lld + 86399 WHERE customer_id "
		 "= %lld", (long long) (day1 + DAY), (long long) b);
	fx_raw_exec(&f, sql);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_consent_range(f.st, day1, day1 + DAY, count_range, &c), STORE_OK);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(c.first_customer, a);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_consent_range(f.st, day1 + DAY, day1 + 2 * DAY, count_range, &c),
			 STORE_OK);
	ck_assert_int_eq(c.n, 1);
	ck_assert_int_eq(c.first_customer, b);
	/* a purged customer's events are still listed, without the id */
	ck_assert_int_eq(store_customer_delete(f.st, a), STORE_OK);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_consent_range(f.st, day1, day1 + 2 * DAY, count_range, &c),
			 STORE_OK);
	ck_assert_int_eq(c.n, 3);
	ck_assert_int_eq(c.first_customer, 0);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_consent_range(f.st, day1 + 2 * DAY, day1 + 3 * DAY, count_range,
					     &c), STORE_OK);
	ck_assert_int_eq(c.n, 0);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_redact");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_store_campaign_parameters_encrypted_and_erased_with_their_only_recipient);
	tcase_add_test(tc, test_store_reasons_keep_the_customer_id_not_the_address);
	tcase_add_test(tc, test_store_evidence_message_ids_hashed_and_still_idempotent);
	tcase_add_test(tc, test_store_evidence_hash_is_one_format_and_old_hmac_rows_stay_readable);
	tcase_add_test(tc, test_store_reply_thread_sealed_at_rest_and_kept_until_sent);
	tcase_add_test(tc, test_store_staff_change_keeps_actor_and_note_until_the_customer_goes);
	tcase_add_test(tc, test_store_consent_range_lists_every_customer_by_day);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
