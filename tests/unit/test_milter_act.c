/*
 * NAME
 *	test_milter_act 1
 * SUMMARY
 *	unit tests of milter_act: the end-of-message decision
 * DESCRIPTION
 *	with no store (store_failure_action = accept) a refusal is never applied:
 *	it goes to support marked unverified; auto-replies drop only noreply;
 *	evidence is bounded; only refusals, tokens and bounces list writes;
 *	a question is decided while another process holds the write lock.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "milter_act.h"
#include "milter_store.h"
#include "milter_testlib.h"
#include "reply.h"
#include "store.h"

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

START_TEST(test_act_only_refusals_tokens_and_bounces_list_writes)
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
	ck_assert_uint_eq(plan_writes(&t, st, "<noreply@ilinks.asia>", bounce, "", NULL), 1);
	mt_store_teardown(&t);
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
	tcase_add_test(tc, test_act_only_refusals_tokens_and_bounces_list_writes);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	SRunner *sr = srunner_create(milter_act_suite());
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed ? EXIT_FAILURE : EXIT_SUCCESS);
}
