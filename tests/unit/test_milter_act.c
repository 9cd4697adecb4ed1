/*
 * NAME
 *	test_milter_act 1
 * SUMMARY
 *	unit tests of milter_act: the end-of-message decision
 * DESCRIPTION
 *	with no store (store_failure_action = accept) a refusal is never applied:
 *	it goes to support marked unverified; auto-replies drop only noreply;
 *	evidence is bounded; only refusals, tokens and bounces list writes;
 *	a question is decided while another process holds the write lock;
 *	a question in reply to a campaign is counted once per reply; the
 *	reads of a message on SQLite see one snapshot, ended after them.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "inbound.h"
#include "milter_act.h"
#include "milter_follow.h"
#include "milter_store.h"
#include "milter_testlib.h"
#include "reply.h"
#include "store.h"
#include "unit.h"

static const char refusal[] =
	"From: C <c@example.vn>\r\nTo: noreply@ilinks.asia\r\nSubject: Re: x\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n\r\nT\xe1\xbb\xab ch\xe1\xbb\x91i\r\n";

static const char question[] =
	"From: C <c@example.vn>\r\nTo: noreply@ilinks.asia\r\nSubject: Re: x\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n\r\nKhi n\xc3\xa0o h\xe1\xba\xbft h\xe1\xba\xa1n?\r\n";
static const char bounce[] =
	"From: MAILER-DAEMON@mx.example.vn\r\nTo: noreply@ilinks.asia\r\nSubject: Undelivered\r\n"
	"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;"
	" boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n"
	"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
	"Final-Recipient: rfc822; gone@example.vn\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n";
static const char autoreply[] =
	"From: C <c@example.vn>\r\nAuto-Submitted: auto-replied\r\nSubject: Out of office\r\n\r\n"
	"Away.\r\n";

START_TEST(test_act_without_store_refusal_goes_to_support_unverified)
{
	struct mcfg *cfg = mt_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);
	struct reply_result *r;
	struct mact_plan p;

	ck_assert_int_eq(mctx_add_rcpt(m, "<noreply@ilinks.asia>"), 0);
	ck_assert_int_eq(mctx_header(m, "From", "C <c@example.vn>"), 0);
	r = reply_analyze(mcfg_analyzer(cfg), refusal, strlen(refusal), "c@example.vn");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(reply_result_optout(r), 1);
	ck_assert_int_eq(mact_decide(m, r, NULL, &p), STORE_OK);
	ck_assert_int_eq(p.result, MACT_ACCEPT);
	ck_assert_int_eq(p.optout, MACT_O_UNVERIFIED);
	ck_assert_int_eq(p.action, MACT_A_ROUTE);
	ck_assert_int_eq(p.del[0], 1);
	ck_assert_str_eq(p.add, "support@ilinks.asia");
	ck_assert_str_eq(p.hdr_value[MACT_H_OPTOUT], "unverified");
	ck_assert_str_eq(p.hdr_value[MACT_H_CUSTOMER], "");
	mact_plan_clear(&p);
	reply_result_free(r);
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

START_TEST(test_act_auto_reply_to_noreply_and_staff_drops_only_noreply)
{
	static const char autorep[] =
		"From: C <c@example.vn>\r\nAuto-Submitted: auto-replied\r\nSubject: Out of office\r\n\r\n"
		"Away.\r\n";
	struct mcfg *cfg = mt_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);
	struct reply_result *r;
	struct mact_plan p;

	ck_assert_int_eq(mctx_add_rcpt(m, "<noreply@ilinks.asia>"), 0);
	ck_assert_int_eq(mctx_add_rcpt(m, "<lan@ilinks.asia>"), 0);
	r = reply_analyze(mcfg_analyzer(cfg), autorep, strlen(autorep), "c@example.vn");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(mact_decide(m, r, NULL, &p), STORE_OK);
	ck_assert_int_eq(p.verdict, MACT_V_AUTO_REPLY);
	ck_assert_int_eq(p.result, MACT_ACCEPT);
	ck_assert_int_eq(p.action, MACT_A_DROP_NOREPLY);
	ck_assert_int_eq(p.del[0], 1);
	ck_assert_int_eq(p.del[1], 0);
	ck_assert_str_eq(p.add, "");
	mact_plan_clear(&p);
	reply_result_free(r);
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

START_TEST(test_act_evidence_is_bounded)
{
	char	big[2000];
	char	out[STORE_EVIDENCE_MAX + 100];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	mact_evidence(out, sizeof(out), "msgid", big, big, "command");
	ck_assert_uint_le(strlen(out), STORE_EVIDENCE_MAX);
	mact_evidence(out, sizeof(out), "token", "a@b", NULL, "promotion");
	ck_assert_str_eq(out, "token msgid=<a@b> rule=promotion");
}
END_TEST

START_TEST(test_act_question_is_decided_while_another_process_writes)
{
	struct mt_store t;
	struct mctx_msg *m;
	struct reply_result *r;
	struct mact_plan p;
	struct store *st;
	sqlite3 *h;
	char	err[256];

	mt_store_setup(&t);
	st = mstore_get(t.cfg, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(sqlite3_open(t.db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	m = mctx_new(t.cfg);
	ck_assert_int_eq(mctx_add_rcpt(m, "<noreply@ilinks.asia>"), 0);
	ck_assert_int_eq(mctx_header(m, "From", "C <c@example.vn>"), 0);
	r = reply_analyze(mcfg_analyzer(t.cfg), question, strlen(question), "c@example.vn");
	ck_assert_ptr_nonnull(r);
	/* Reads only: no wait for the lock, no STORE_TEMP. */
	ck_assert_int_eq(mact_decide(m, r, st, &p), STORE_OK);
	ck_assert_uint_eq(p.nwrites, 0);
	ck_assert_int_eq(p.verdict, MACT_V_QUESTION);
	ck_assert_int_eq(p.action, MACT_A_ROUTE);
	mact_plan_clear(&p);
	ck_assert_int_eq(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	reply_result_free(r);
	mctx_free(m);
	mt_store_teardown(&t);
}
END_TEST

/* plan_writes - how many writes deciding TEXT (envelope sender FROM) to RCPT lists */
static size_t
plan_writes(struct mt_store *t, struct store *st, const char *rcpt, const char *text,
	    const char *from, const char *irt)
{
	struct mctx_msg *m = mt_msg(t->cfg, rcpt, "C <c@example.vn>");
	struct reply_result *r;
	struct mact_plan p;
	size_t	n;

	if (irt)
		ck_assert_int_eq(mctx_header(m, "In-Reply-To", irt), 0);
	r = reply_analyze(mcfg_analyzer(t->cfg), text, strlen(text), from);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(mact_decide(m, r, st, &p), STORE_OK);
	n = p.nwrites;
	mact_plan_clear(&p);
	reply_result_free(r);
	mctx_free(m);
	return (n);
}

START_TEST(test_act_only_refusals_and_tokens_list_writes)
{
	struct mt_store t;
	struct store *st;
	char	err[256], tok[STORE_TOKEN_MAX], rcpt[STORE_TOKEN_MAX + 32];
	int64_t id;

	mt_store_setup(&t);
	st = mstore_get(t.cfg, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(store_customer_upsert(st, "c@example.vn", "C", "", STORE_SRC_PORTAL,
					       &id, NULL), STORE_OK);
	ck_assert_int_eq(store_msglog_add(st, "promo1@ilinks.asia", id, CATEGORY_PROMOTION, 0),
			 STORE_OK);
	ck_assert_int_eq(store_token_make(st, id, CATEGORY_PROMOTION, tok, sizeof(tok)), STORE_OK);
	snprintf(rcpt, sizeof(rcpt), "<noreply+%s@ilinks.asia>", tok);
	ck_assert_uint_eq(plan_writes(&t, st, "<noreply@ilinks.asia>", question, "c@example.vn",
				      "<promo1@ilinks.asia>"), 0);
	ck_assert_uint_eq(plan_writes(&t, st, "<noreply@ilinks.asia>", autoreply, "c@example.vn",
				      "<promo1@ilinks.asia>"), 0);
	ck_assert_uint_eq(plan_writes(&t, st, "<noreply@ilinks.asia>", refusal, "c@example.vn",
				      "<promo1@ilinks.asia>"), 1);
	ck_assert_uint_eq(plan_writes(&t, st, rcpt, question, "c@example.vn", NULL), 1);
	/* a bounce without proof (no VERP token, no logged Message-ID) writes nothing */
	ck_assert_uint_eq(plan_writes(&t, st, "<noreply@ilinks.asia>", bounce, "", NULL), 0);
	mt_store_teardown(&t);
}
END_TEST

/* ---- bounces: counted only when authenticated ---- */

struct tb {
	struct mt_store t;
	struct store *st;
	int64_t c1, c8;
	char	verp_c1[STORE_VERP_LEN + 1];
	char	verp_c8[STORE_VERP_LEN + 1];
};

/* tb_setup - a store with customers c1 and c8, their bounce tokens, one logged message to c8 */
static void
tb_setup(struct tb *b)
{
	char	err[256];

	mt_store_setup(&b->t);
	b->st = mstore_get(b->t.cfg, err, sizeof(err));
	ck_assert_msg(b->st != NULL, "%s", err);
	ck_assert_int_eq(store_customer_upsert(b->st, "c1@example.vn", "", "", STORE_SRC_PORTAL,
					       &b->c1, NULL), STORE_OK);
	ck_assert_int_eq(store_customer_upsert(b->st, "c8@example.vn", "", "", STORE_SRC_PORTAL,
					       &b->c8, NULL), STORE_OK);
	ck_assert_int_eq(store_verp_make(b->st, 7, b->c1, b->verp_c1, sizeof(b->verp_c1)), STORE_OK);
	ck_assert_int_eq(store_verp_make(b->st, 7, b->c8, b->verp_c8, sizeof(b->verp_c8)), STORE_OK);
	ck_assert_int_eq(store_msglog_add(b->st, "m8@ilinks.asia", b->c8, CATEGORY_MAINTENANCE, 7),
			 STORE_OK);
}

/* tb_dsn - a Postfix-like DSN failing RCPT with STATUS, returning MSGID ("" none) */
static void
tb_dsn(char *out, size_t outlen, const char *rcpt, const char *status, const char *msgid)
{
	snprintf(out, outlen,
		 "From: MAILER-DAEMON@mx.example.vn\r\nTo: noreply@ilinks.asia\r\n"
		 "Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n"
		 "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;"
		 " boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nfailed\r\n"
		 "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
		 "Final-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: %s\r\n\r\n"
		 "Final-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: %s\r\n\r\n"
		 "--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: noreply@ilinks.asia\r\n"
		 "Message-ID: <%s>\r\n\r\n--B--\r\n", rcpt, status, rcpt, status,
		 msgid[0] ? msgid : "unknown@example.net");
}

static void tb_decide_as(struct tb *, const char *, const char *, struct mact_plan *, int);

/* tb_decide - decide the DSN TEXT sent to RCPT (a noreply address); the plan in P */
static void
tb_decide(struct tb *b, const char *rcpt, const char *text, struct mact_plan *p)
{
	tb_decide_as(b, rcpt, text, p, 0);
}

/* tb_decide_as - the same, its writes PREPARED before (mfollow_prepare()) or not */
static void
tb_decide_as(struct tb *b, const char *rcpt, const char *text, struct mact_plan *p,
	     int prepared)
{
	struct mctx_msg *m = mt_msg(b->t.cfg, rcpt, "MAILER-DAEMON@mx.example.vn");
	struct reply_result *r;
	size_t	len;
	const char *t;

	ck_assert_int_eq(mctx_set_envfrom(m, "<>"), 0);
	/* the context holds the headers as Postfix sends them; the body follows */
	t = strstr(text, "\r\n\r\n") + 4;
	for (const char *h = text; h < t - 2;) {
		const char *e = strstr(h, "\r\n"), *colon = memchr(h, ':', (size_t) (e - h));
		char	name[64], value[512];

		snprintf(name, sizeof(name), "%.*s", (int) (colon - h), h);
		snprintf(value, sizeof(value), "%.*s", (int) (e - colon - 2), colon + 2);
		ck_assert_int_eq(mctx_header(m, name, value), 0);
		h = e + 2;
	}
	ck_assert_int_eq(mctx_eoh(m), 0);
	ck_assert_int_eq(mctx_body(m, (const unsigned char *) t, strlen(t)), 0);
	(void) mctx_text(m, &len);
	r = reply_analyze(mcfg_analyzer(b->t.cfg), mctx_text(m, &len), len, "");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(reply_result_kind(r), REPLY_KIND_BOUNCE);
	ck_assert_int_eq(mact_decide(m, r, b->st, p), STORE_OK);
	if (prepared)
		mfollow_prepare(b->st, p);
	ck_assert_int_eq(mact_write(b->st, p), STORE_OK);
	reply_result_free(r);
	mctx_free(m);
}

/* tb_rcpt - the VERP return path of TOKEN into OUT */
static const char *
tb_rcpt(char *out, size_t outlen, const char *token)
{
	snprintf(out, outlen, "<noreply+b-%s@ilinks.asia>", token);
	return (out);
}

START_TEST(test_act_forged_bounce_without_proof_goes_to_support_uncounted)
{
	struct tb b;
	struct mact_plan p;
	char	dsn[4096];

	tb_setup(&b);
	tb_dsn(dsn, sizeof(dsn), "c8@example.vn", "5.1.1", "");
	tb_decide(&b, "<noreply@ilinks.asia>", dsn, &p);
	ck_assert_int_eq(p.verdict, MACT_V_BOUNCE);
	ck_assert_int_eq(p.bounce_by, MACT_B_NONE);
	ck_assert_uint_eq(p.nwrites, 0);
	ck_assert_int_eq(p.bounces, 0);
	ck_assert_int_eq(p.action, MACT_A_ROUTE);
	ck_assert_str_eq(p.add, "support@ilinks.asia");
	ck_assert_int_eq(store_is_undeliverable(b.st, "c8@example.vn"), 0);
	mact_plan_clear(&p);
	mt_store_teardown(&b.t);
}
END_TEST

START_TEST(test_act_bounce_with_another_recipients_token_is_not_counted)
{
	struct tb b;
	struct mact_plan p;
	char	dsn[4096], rcpt[128];

	tb_setup(&b);
	tb_dsn(dsn, sizeof(dsn), "c8@example.vn", "5.1.1", "");
	tb_decide(&b, tb_rcpt(rcpt, sizeof(rcpt), b.verp_c1), dsn, &p);
	ck_assert_int_eq(p.bounce_by, MACT_B_NONE);
	ck_assert_uint_eq(p.nwrites, 0);
	ck_assert_int_eq(p.action, MACT_A_ROUTE);
	mact_plan_clear(&p);
	/* a token that does not verify proves nothing either */
	rcpt[12] = rcpt[12] == 'a' ? 'b' : 'a';
	tb_decide(&b, rcpt, dsn, &p);
	ck_assert_int_eq(p.bounce_by, MACT_B_NONE);
	ck_assert_uint_eq(p.nwrites, 0);
	mact_plan_clear(&p);
	mt_store_teardown(&b.t);
}
END_TEST

START_TEST(test_act_bounce_with_a_valid_token_counts_once)
{
	struct tb b;
	struct mact_plan p;
	char	dsn[4096], rcpt[128];

	tb_setup(&b);
	/* the DSN names c8 twice: one notification, one count */
	tb_dsn(dsn, sizeof(dsn), "C8@Example.VN", "5.1.1", "");
	tb_decide(&b, tb_rcpt(rcpt, sizeof(rcpt), b.verp_c8), dsn, &p);
	ck_assert_int_eq(p.bounce_by, MACT_B_VERP);
	/* the address's count, and the count for the token's campaign (7) */
	ck_assert_uint_eq(p.nwrites, 2);
	ck_assert_int_eq(p.writes[0].op, MACT_OP_CAMPAIGN_BOUNCE);
	ck_assert_int_eq(p.writes[0].campaign, 7);
	ck_assert_int_eq(p.writes[0].customer, b.c8);
	ck_assert_int_eq(p.writes[0].cat, 1);
	ck_assert_int_eq(p.writes[1].op, MACT_OP_BOUNCE);
	ck_assert_int_eq(p.bounces, 1);
	ck_assert_int_eq(p.result, MACT_DISCARD);
	mact_plan_clear(&p);
	mt_store_teardown(&b.t);
}
END_TEST

/*
 * A bounce whose address key was made before the group commit
 * (mfollow_prepare()) counts for the same address as one counted in
 * full under the lock: the plain and the prepared notifications of
 * one address add up to the threshold (3) and make it undeliverable,
 * whatever the case of the address each one names.
 */
START_TEST(test_act_prepared_bounce_counts_for_the_same_address)
{
	struct tb b;
	struct mact_plan p;
	char	dsn[4096], rcpt[128];

	tb_setup(&b);
	tb_dsn(dsn, sizeof(dsn), "C8@Example.VN", "5.1.1", "");
	tb_decide_as(&b, tb_rcpt(rcpt, sizeof(rcpt), b.verp_c8), dsn, &p, 1);
	ck_assert_uint_eq(p.nwrites, 2);
	ck_assert_int_eq(p.writes[1].op, MACT_OP_BOUNCE);
	ck_assert_int_eq(p.writes[1].keyed, 1);
	ck_assert_int_eq(p.bounces, 1);
	mact_plan_clear(&p);
	ck_assert_int_eq(store_is_undeliverable(b.st, "c8@example.vn"), 0);
	tb_dsn(dsn, sizeof(dsn), "c8@example.vn", "5.1.1", "");
	tb_decide_as(&b, tb_rcpt(rcpt, sizeof(rcpt), b.verp_c8), dsn, &p, 0);
	ck_assert_int_eq(p.writes[1].keyed, 0);
	mact_plan_clear(&p);
	ck_assert_int_eq(store_is_undeliverable(b.st, "c8@example.vn"), 0);
	tb_dsn(dsn, sizeof(dsn), "c8@EXAMPLE.vn", "5.1.1", "");
	tb_decide_as(&b, tb_rcpt(rcpt, sizeof(rcpt), b.verp_c8), dsn, &p, 1);
	ck_assert_int_eq(p.bounces, 1);
	mact_plan_clear(&p);
	ck_assert_int_eq(store_is_undeliverable(b.st, "c8@example.vn"), 1);
	mt_store_teardown(&b.t);
}
END_TEST

START_TEST(test_act_bounce_counts_for_the_campaign_its_proof_names)
{
	struct store_campaign_replies cr;
	struct tb b;
	struct mact_plan p;
	char	dsn[4096], rcpt[128], verp[STORE_VERP_LEN + 1];
	int64_t	cid;

	tb_setup(&b);
	ck_assert_int_eq(store_campaign_create(b.st, CATEGORY_PROMOTION, "promotion", "all", "{}",
					       &cid), STORE_OK);
	/* c8's message of campaign CID bounces (VERP), then a delay for c1 (returned Message-ID) */
	ck_assert_int_eq(store_verp_make(b.st, cid, b.c8, verp, sizeof(verp)), STORE_OK);
	tb_dsn(dsn, sizeof(dsn), "c8@example.vn", "5.1.1", "");
	tb_decide(&b, tb_rcpt(rcpt, sizeof(rcpt), verp), dsn, &p);
	mact_plan_clear(&p);
	ck_assert_int_eq(store_msglog_add(b.st, "m1c@ilinks.asia", b.c1, CATEGORY_PROMOTION, cid),
			 STORE_OK);
	tb_dsn(dsn, sizeof(dsn), "c1@example.vn", "4.4.1", "m1c@ilinks.asia");
	tb_decide(&b, "<noreply@ilinks.asia>", dsn, &p);
	ck_assert_int_eq(p.bounce_by, MACT_B_MSGID);
	mact_plan_clear(&p);
	ck_assert_int_eq(store_campaign_replies(b.st, cid, &cr), STORE_OK);
	ck_assert_int_eq(cr.bounce_hard_customers, 1);
	ck_assert_int_eq(cr.bounce_soft_customers, 1);
	/* system mail (campaign 0): the address is counted, no campaign */
	ck_assert_int_eq(store_verp_make(b.st, 0, b.c1, verp, sizeof(verp)), STORE_OK);
	tb_dsn(dsn, sizeof(dsn), "c1@example.vn", "5.1.1", "");
	tb_decide(&b, tb_rcpt(rcpt, sizeof(rcpt), verp), dsn, &p);
	ck_assert_int_eq(p.bounces, 1);
	ck_assert_uint_eq(p.nwrites, 1);
	mact_plan_clear(&p);
	ck_assert_int_eq(store_campaign_replies(b.st, cid, &cr), STORE_OK);
	ck_assert_int_eq(cr.bounce_hard_customers, 1);
	mt_store_teardown(&b.t);
}
END_TEST

START_TEST(test_act_bounce_by_logged_msgid_of_that_recipient_only)
{
	struct tb b;
	struct mact_plan p;
	char	dsn[4096];

	tb_setup(&b);
	tb_dsn(dsn, sizeof(dsn), "c8@example.vn", "5.2.2", "m8@ilinks.asia");
	tb_decide(&b, "<noreply@ilinks.asia>", dsn, &p);
	ck_assert_int_eq(p.bounce_by, MACT_B_MSGID);
	ck_assert_int_eq(p.bounces, 1);
	mact_plan_clear(&p);
	/* our Message-ID to c8, but the DSN names c1: not c1's proof */
	tb_dsn(dsn, sizeof(dsn), "c1@example.vn", "5.1.1", "m8@ilinks.asia");
	tb_decide(&b, "<noreply@ilinks.asia>", dsn, &p);
	ck_assert_int_eq(p.bounce_by, MACT_B_NONE);
	ck_assert_int_eq(p.bounces, 0);
	mact_plan_clear(&p);
	mt_store_teardown(&b.t);
}
END_TEST

START_TEST(test_act_soft_bounce_is_kept_apart)
{
	struct tb b;
	struct mact_plan p;
	char	dsn[4096], rcpt[128];

	tb_setup(&b);
	tb_dsn(dsn, sizeof(dsn), "c8@example.vn", "4.4.1", "");
	tb_decide(&b, tb_rcpt(rcpt, sizeof(rcpt), b.verp_c8), dsn, &p);
	ck_assert_int_eq(p.bounce_by, MACT_B_VERP);
	ck_assert_int_eq(p.soft_bounces, 1);
	ck_assert_int_eq(p.bounces, 0);
	/* not counted against the address; counted (soft) for its campaign */
	ck_assert_uint_eq(p.nwrites, 1);
	ck_assert_int_eq(p.writes[0].op, MACT_OP_CAMPAIGN_BOUNCE);
	ck_assert_int_eq(p.writes[0].cat, 0);
	mact_plan_clear(&p);
	mt_store_teardown(&b.t);
}
END_TEST

/* ---- replies: one-click, X-Links, evidence ---- */

/* tr_decide - decide TEXT from c1 to RCPT (and OTHER, when not NULL) with store ST */
static void
tr_decide(struct tb *b, const char *rcpt, const char *other, const char *text,
	  const char *msgid, struct mact_plan *p)
{
	struct mctx_msg *m = mt_msg(b->t.cfg, rcpt, "C1 <c1@example.vn>");
	struct reply_result *r;

	if (other)
		ck_assert_int_eq(mctx_add_rcpt(m, other), 0);
	if (msgid)
		ck_assert_int_eq(mctx_header(m, "Message-ID", msgid), 0);
	ck_assert_int_eq(mctx_header(m, "In-Reply-To", "<m1@ilinks.asia>"), 0);
	r = reply_analyze(mcfg_analyzer(b->t.cfg), text, strlen(text), "c1@example.vn");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(mact_decide(m, r, b->st, p), STORE_OK);
	reply_result_free(r);
	mctx_free(m);
}

START_TEST(test_act_one_click_empty_mail_is_not_a_question)
{
	/* what a mail client sends for a List-Unsubscribe mailto: no text at all */
	static const char empty[] = "From: c1@example.vn\r\nSubject: \r\n\r\n";
	struct tb b;
	struct mact_plan p;
	char	tok[STORE_TOKEN_MAX], rcpt[STORE_TOKEN_MAX + 32];

	tb_setup(&b);
	ck_assert_int_eq(store_token_make(b.st, b.c1, CATEGORY_PROMOTION, tok, sizeof(tok)),
			 STORE_OK);
	snprintf(rcpt, sizeof(rcpt), "<noreply+%s@ilinks.asia>", tok);
	tr_decide(&b, rcpt, NULL, empty, NULL, &p);
	ck_assert_int_eq(p.optout, MACT_O_APPLIED);
	ck_assert_int_eq(p.question, 0);
	ck_assert_int_eq(p.verdict, MACT_V_OPTOUT);
	ck_assert_int_ne(p.action, MACT_A_ROUTE);
	mact_plan_clear(&p);
	/* a forged token with no text is still looked at by a person */
	snprintf(rcpt, sizeof(rcpt), "<noreply+%s@ilinks.asia>", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	tr_decide(&b, rcpt, NULL, empty, NULL, &p);
	ck_assert_int_eq(p.optout, MACT_O_UNVERIFIED);
	ck_assert_int_eq(p.question, 1);
	ck_assert_int_eq(p.action, MACT_A_ROUTE);
	mact_plan_clear(&p);
	mt_store_teardown(&b.t);
}
END_TEST

START_TEST(test_act_xlinks_only_when_every_recipient_is_a_company_address)
{
	struct tb b;
	struct mact_plan p;

	tb_setup(&b);
	tr_decide(&b, "<noreply@ilinks.asia>", NULL, question, NULL, &p);
	ck_assert_int_eq(p.company_only, 1);
	ck_assert_str_eq(p.hdr_value[MACT_H_VERDICT], "question");
	mact_plan_clear(&p);
	/* a Bcc to noreply beside an outside recipient: no identity headers */
	tr_decide(&b, "<noreply@ilinks.asia>", "<friend@example.org>", question, NULL, &p);
	ck_assert_int_eq(p.company_only, 0);
	for (int h = 0; h < MACT_H_COUNT; h++)
		ck_assert_str_eq(p.hdr_value[h], "");
	ck_assert_int_eq(p.action, MACT_A_ROUTE);	/* support still gets it */
	mact_plan_clear(&p);
	mt_store_teardown(&b.t);
}
END_TEST

/* tb_evidence - the evidence of C's last consent event (fn of store_consent_each) */
static int
tb_evidence(const struct store_consent *e, void *arg)
{
	snprintf(arg, STORE_EVIDENCE_MAX + 1, "%s", e->evidence);
	return (0);
}

START_TEST(test_act_evidence_keeps_the_reply_msgid_as_the_stores_hash)
{
	struct tb b;
	struct mact_plan p;
	struct store_outbox ob;
	char	clear[STORE_EVIDENCE_MAX + 1], kept[STORE_EVIDENCE_MAX + 1];
	char	hashed[STORE_EVIDENCE_MAX + 1];

	tb_setup(&b);
	ck_assert_int_eq(store_msglog_add(b.st, "m1@ilinks.asia", b.c1, CATEGORY_PROMOTION, 0),
			 STORE_OK);
	tr_decide(&b, "<noreply@ilinks.asia>", NULL, refusal, "<c1.secret@example.vn>", &p);
	ck_assert_int_eq(p.id_by, MACT_ID_MSGID);
	ck_assert_uint_eq(p.nwrites, 1);
	ck_assert_ptr_null(strstr(p.writes[0].text, "example.vn"));
	ck_assert_ptr_null(strstr(p.writes[0].text, "secret"));
	ck_assert_ptr_nonnull(strstr(p.writes[0].text, "msgid=<h:"));
	ck_assert_ptr_nonnull(strstr(p.writes[0].text, "ref=<m1@ilinks.asia>"));
	/* one format: the store, given the Message-ID in clear, keeps the same text */
	mact_evidence(clear, sizeof(clear), "msgid", "c1.secret@example.vn", "m1@ilinks.asia",
		      strstr(p.writes[0].text, "rule=") + 5);
	/* the clear Message-ID travels beside the evidence, for the confirmation only */
	ck_assert_str_eq(p.writes[0].reply, "c1.secret@example.vn");
	ck_assert_str_eq(p.writes[0].refs, "<m1@ilinks.asia>");
	ck_assert_int_eq(mact_write(b.st, &p), STORE_OK);
	ck_assert_int_eq(store_outbox_pending(b.st, 0, &ob, 1), 1);
	ck_assert_int_eq(ob.customer_id, b.c1);
	ck_assert_str_eq(ob.thread, "<m1@ilinks.asia> <c1.secret@example.vn>");
	store_outbox_clear(&ob);
	ck_assert_int_eq(store_consent_each(b.st, b.c1, tb_evidence, hashed), STORE_OK);
	ck_assert_int_eq(store_optout(b.st, b.c8, -1, STORE_CH_REPLY, clear, NULL), STORE_OK);
	ck_assert_int_eq(store_consent_each(b.st, b.c8, tb_evidence, kept), STORE_OK);
	ck_assert_str_eq(kept, hashed);
	mact_plan_clear(&p);
	mt_store_teardown(&b.t);
}
END_TEST

/*
 * The refusal prepared before the group commit (mfollow_prepare(): the
 * address opened and hashed, the confirmation's identifiers sealed on
 * the message's own connection) is written as the plain one: the
 * confirmation answers the reply, the customer's address is suppressed,
 * and the same reply decided again changes nothing.
 */
START_TEST(test_act_prepared_refusal_writes_as_the_plain_one)
{
	struct tb b;
	struct mact_plan p;
	struct store_outbox ob;

	tb_setup(&b);
	ck_assert_int_eq(store_msglog_add(b.st, "m1@ilinks.asia", b.c1, CATEGORY_PROMOTION, 0),
			 STORE_OK);
	tr_decide(&b, "<noreply@ilinks.asia>", NULL, refusal, "<c1.reply@example.vn>", &p);
	ck_assert_uint_eq(p.nwrites, 1);
	mfollow_prepare(b.st, &p);
	ck_assert_ptr_nonnull(p.writes[0].prep);
	ck_assert_int_eq(mact_write(b.st, &p), STORE_OK);
	ck_assert_int_eq(p.changed, 2);
	ck_assert_int_eq(store_outbox_pending(b.st, 0, &ob, 1), 1);
	ck_assert_int_eq(ob.customer_id, b.c1);
	ck_assert_str_eq(ob.thread, "<m1@ilinks.asia> <c1.reply@example.vn>");
	store_outbox_clear(&ob);
	ck_assert_int_eq(store_is_suppressed(b.st, "c1@example.vn"), 1);
	mact_plan_clear(&p);
	tr_decide(&b, "<noreply@ilinks.asia>", NULL, refusal, "<c1.reply@example.vn>", &p);
	mfollow_prepare(b.st, &p);
	ck_assert_int_eq(mact_write(b.st, &p), STORE_OK);
	ck_assert_int_eq(p.changed, 0);
	ck_assert_int_eq(store_outbox_pending(b.st, 0, &ob, 2), 1);
	store_outbox_clear(&ob);
	mact_plan_clear(&p);
	mt_store_teardown(&b.t);
}
END_TEST

/* tq_ask - decide and write c1's question TEXT (its Message-ID MSGID) replying to m1 */
static void
tq_ask(struct tb *b, const char *text, const char *msgid, struct mact_plan *p)
{
	tr_decide(b, "<noreply@ilinks.asia>", NULL, text, msgid, p);
	ck_assert_int_eq(mact_write(b->st, p), STORE_OK);
}

START_TEST(test_act_question_to_a_campaign_counts_once_per_reply)
{
	struct store_campaign_replies cr;
	struct mact_plan p;
	struct tb b;
	int64_t cid;

	tb_setup(&b);
	ck_assert_int_eq(store_campaign_create(b.st, CATEGORY_PROMOTION, "promotion", "all", "{}",
					       &cid), STORE_OK);
	ck_assert_int_eq(store_msglog_add(b.st, "m1@ilinks.asia", b.c1, CATEGORY_PROMOTION, cid),
			 STORE_OK);
	tq_ask(&b, question, "<q1.c1@example.vn>", &p);
	ck_assert_int_eq(p.verdict, MACT_V_QUESTION);
	ck_assert_uint_eq(p.nwrites, 1);
	ck_assert_int_eq(p.writes[0].op, MACT_OP_QUESTION);
	ck_assert_int_eq(p.questions_counted, 1);
	mact_plan_clear(&p);
	/* the same reply again (a retry, the backup MX): not counted twice */
	tq_ask(&b, question, "<q1.c1@example.vn>", &p);
	ck_assert_int_eq(p.questions_counted, 0);
	mact_plan_clear(&p);
	tq_ask(&b, question, "<q2.c1@example.vn>", &p);
	ck_assert_int_eq(p.questions_counted, 1);
	mact_plan_clear(&p);
	ck_assert_int_eq(store_campaign_replies(b.st, cid, &cr), STORE_OK);
	ck_assert_int_eq(cr.question_customers, 1);
	ck_assert_int_eq(cr.question_messages, 2);
	ck_assert_int_eq(cr.refusal_messages, 0);
	/* a refusal is no question: it is counted as a refusal only */
	tq_ask(&b, refusal, "<r1.c1@example.vn>", &p);
	ck_assert_int_eq(p.questions_counted, 0);
	mact_plan_clear(&p);
	ck_assert_int_eq(store_campaign_replies(b.st, cid, &cr), STORE_OK);
	ck_assert_int_eq(cr.question_messages, 2);
	ck_assert_int_eq(cr.refusal_messages, 1);
	mt_store_teardown(&b.t);
}
END_TEST

START_TEST(test_act_question_to_a_message_outside_campaigns_writes_nothing)
{
	struct mact_plan p;
	struct tb b;

	tb_setup(&b);
	ck_assert_int_eq(store_msglog_add(b.st, "m1@ilinks.asia", b.c1, CATEGORY_ACCOUNT, 0),
			 STORE_OK);
	tr_decide(&b, "<noreply@ilinks.asia>", NULL, question, "<q3.c1@example.vn>", &p);
	ck_assert_int_eq(p.verdict, MACT_V_QUESTION);
	ck_assert_uint_eq(p.nwrites, 0);
	mact_plan_clear(&p);
	mt_store_teardown(&b.t);
}
END_TEST

/* tm_may - mact_may_be_reply() of a message to RCPT from FROM with one extra header NAME: VALUE */
static int
tm_may(struct tb *b, const char *rcpt, const char *from, const char *name, const char *value)
{
	struct mctx_msg *m = mt_msg(b->t.cfg, rcpt, from);
	int	rc;

	ck_assert_int_eq(mctx_header(m, "Subject", "Re: meeting"), 0);
	if (name != NULL)
		ck_assert_int_eq(mctx_header(m, name, value), 0);
	ck_assert_int_eq(mctx_eoh(m), 0);
	rc = mact_may_be_reply(m, b->st);
	/* its read snapshot is over: another one can begin */
	ck_assert_int_eq(store_read_begin(b->st), STORE_OK);
	ck_assert_int_eq(store_read_end(b->st), STORE_OK);
	mctx_free(m);
	return (rc);
}

START_TEST(test_act_read_snapshot_on_sqlite_sees_one_state)
{
	struct tb b;
	struct store *other;
	char	err[256];
	int64_t id = 0;

	tb_setup(&b);
	ck_assert_ptr_nonnull(other = store_open(mcfg_conf(b.t.cfg), err, sizeof(err)));
	ck_assert_int_eq(mact_read_begin(b.st), 1);
	ck_assert_int_eq(store_customer_id_find(b.st, "new@example.vn", &id), STORE_NOTFOUND);
	ck_assert_int_eq(store_customer_upsert(other, "new@example.vn", "N", "", STORE_SRC_PORTAL,
					       &id, NULL), STORE_OK);
	/* committed by another connection after the snapshot began: not seen in it */
	ck_assert_int_eq(store_customer_id_find(b.st, "new@example.vn", &id), STORE_NOTFOUND);
	ck_assert_int_eq(store_read_end(b.st), STORE_OK);
	ck_assert_int_eq(store_customer_id_find(b.st, "new@example.vn", &id), STORE_OK);
	store_close(other);
	mt_store_teardown(&b.t);
}
END_TEST

START_TEST(test_act_ordinary_mail_to_staff_cannot_be_a_reply)
{
	struct tb b;

	tb_setup(&b);
	/* a stranger writing to staff or support, even in a thread of its own */
	ck_assert_int_eq(tm_may(&b, "<lan.pham@ilinks.asia>", "Ba <ba@other.example>", NULL, NULL),
			 0);
	ck_assert_int_eq(tm_may(&b, "<support@ilinks.asia>", "Ba <ba@other.example>",
				"References", "<a1@ilinks.asia> <a2@ilinks.asia>"), 0);
	ck_assert_int_eq(tm_may(&b, "<lan.pham@ilinks.asia>", NULL, NULL, NULL), 0);
	ck_assert_int_eq(tm_may(&b, "<lan.pham@ilinks.asia>", "not an address", NULL, NULL), 0);
	/* a customer (either form of the address), or a reply to a message we logged */
	ck_assert_int_eq(tm_may(&b, "<lan.pham@ilinks.asia>", "C1 <C1@Example.VN>", NULL, NULL), 1);
	ck_assert_int_eq(tm_may(&b, "<lan.pham@ilinks.asia>", "Ba <ba@other.example>",
				"In-Reply-To", "<m8@ilinks.asia>"), 1);
	ck_assert_int_eq(tm_may(&b, "<lan.pham@ilinks.asia>", "Ba <ba@other.example>",
				"References", "<m8@ilinks.asia> <x@other.example>"), 1);
	/* noreply in any form, or an X-Links-* header to remove */
	ck_assert_int_eq(tm_may(&b, "<noreply@ilinks.asia>", "Ba <ba@other.example>", NULL, NULL), 1);
	ck_assert_int_eq(tm_may(&b, "<\"noreply\"@ilinks.asia>", "Ba <ba@other.example>", NULL,
				NULL), 1);
	ck_assert_int_eq(tm_may(&b, "<lan.pham@ilinks.asia>", "Ba <ba@other.example>",
				"X-Links-Verdict", "optout"), 1);
	/* without the store nothing is known: read it all, the end decides */
	{
		struct mctx_msg *m = mt_msg(b.t.cfg, "<lan.pham@ilinks.asia>", "Ba <ba@other.example>");

		ck_assert_int_eq(mact_may_be_reply(m, NULL), 1);
		mctx_free(m);
	}
	mt_store_teardown(&b.t);
}
END_TEST

/* ta_from_refusal - decide a From-identified refusal by c1 with the A-R headers AR on top */
static enum mact_optout
ta_from_refusal(struct tb *b, struct mcfg *cfg, const char *const *ar)
{
	struct mctx_msg *m = mctx_new(cfg);
	struct reply_result *r;
	struct mact_plan p;
	enum mact_optout o;

	ck_assert_int_eq(mctx_add_rcpt(m, "<noreply@ilinks.asia>"), 0);
	for (; *ar; ar++)
		ck_assert_int_eq(mctx_header(m, "Authentication-Results", *ar), 0);
	ck_assert_int_eq(mctx_header(m, "From", "C1 <c1@example.vn>"), 0);
	r = reply_analyze(mcfg_analyzer(cfg), refusal, strlen(refusal), "c1@example.vn");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(mact_decide(m, r, b->st, &p), STORE_OK);
	ck_assert_int_eq(p.id_by, MACT_ID_FROM);
	o = p.optout;
	mact_plan_clear(&p);
	reply_result_free(r);
	mctx_free(m);
	return (o);
}

START_TEST(test_act_stacked_authentication_results)
{
	static const char *const ours_pass[] = {
		"mx.ilinks.asia; dmarc=pass header.from=example.vn", NULL};
	static const char *const forged_above_our_fail[] = {
		"mx.ilinks.asia; dmarc=pass header.from=example.vn",
		"mx.ilinks.asia; dmarc=fail header.from=example.vn", NULL};
	static const char *const forged_below_our_none[] = {
		"mx.ilinks.asia; dkim=none",
		"mx.ilinks.asia; dkim=pass header.d=example.vn", NULL};
	static const char *const no_header_from[] = {"mx.ilinks.asia; dmarc=pass", NULL};
	struct tb b;
	struct mcfg *cfg;

	tb_setup(&b);
	cfg = mt_store_cfg(&b.t, "trusted_authserv_ids", "mx.ilinks.asia");
	ck_assert_int_eq(ta_from_refusal(&b, cfg, ours_pass), MACT_O_APPLIED);
	ck_assert_int_eq(ta_from_refusal(&b, cfg, forged_above_our_fail), MACT_O_UNVERIFIED);
	ck_assert_int_eq(ta_from_refusal(&b, cfg, forged_below_our_none), MACT_O_UNVERIFIED);
	ck_assert_int_eq(ta_from_refusal(&b, cfg, no_header_from), MACT_O_UNVERIFIED);
	mcfg_release(cfg);
	mt_store_teardown(&b.t);
}
END_TEST

/* milter_act_suite - the tests of this file */
static Suite *
milter_act_suite(void)
{
	Suite  *s = suite_create("milter_act");
	TCase  *tc = tcase_create("act");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_act_without_store_refusal_goes_to_support_unverified);
	tcase_add_test(tc, test_act_auto_reply_to_noreply_and_staff_drops_only_noreply);
	tcase_add_test(tc, test_act_evidence_is_bounded);
	tcase_add_test(tc, test_act_question_is_decided_while_another_process_writes);
	tcase_add_test(tc, test_act_read_snapshot_on_sqlite_sees_one_state);
	tcase_add_test(tc, test_act_question_to_a_campaign_counts_once_per_reply);
	tcase_add_test(tc, test_act_question_to_a_message_outside_campaigns_writes_nothing);
	tcase_add_test(tc, test_act_only_refusals_and_tokens_list_writes);
	tcase_add_test(tc, test_act_forged_bounce_without_proof_goes_to_support_uncounted);
	tcase_add_test(tc, test_act_bounce_with_another_recipients_token_is_not_counted);
	tcase_add_test(tc, test_act_bounce_with_a_valid_token_counts_once);
	tcase_add_test(tc, test_act_bounce_counts_for_the_campaign_its_proof_names);
	tcase_add_test(tc, test_act_bounce_by_logged_msgid_of_that_recipient_only);
	tcase_add_test(tc, test_act_soft_bounce_is_kept_apart);
	tcase_add_test(tc, test_act_one_click_empty_mail_is_not_a_question);
	tcase_add_test(tc, test_act_xlinks_only_when_every_recipient_is_a_company_address);
	tcase_add_test(tc, test_act_evidence_keeps_the_reply_msgid_as_the_stores_hash);
	tcase_add_test(tc, test_act_prepared_refusal_writes_as_the_plain_one);
	tcase_add_test(tc, test_act_prepared_bounce_counts_for_the_same_address);
	tcase_add_test(tc, test_act_stacked_authentication_results);
	tcase_add_test(tc, test_act_ordinary_mail_to_staff_cannot_be_a_reply);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_act_suite()));
}
