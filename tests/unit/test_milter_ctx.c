/*
 * NAME
 *	test_milter_ctx 1
 * SUMMARY
 *	unit tests of the milter's message context, configuration bundle
 *	and the decision made without a store
 * DESCRIPTION
 *	milter_ctx: body bounded by max_body_size (the rest counted),
 *	X-Links-* headers from outside tracked for removal and kept out of
 *	the analysed text, recipients classified. milter_state: a message
 *	keeps the configuration it started with across a reload.
 *	milter_act with no store (store_failure_action = accept): a refusal
 *	is never applied, it goes to support marked unverified.
 *	Throughput (perf): only refusals, tokens and bounces may write, and
 *	a question is decided while another process holds the store's write
 *	lock; statistics wait in memory and reach the store in one flush;
 *	the store connection of an ended thread is reused by the next one.
 */
#include "config.h"

#include <check.h>
#include <ftw.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "milter_act.h"
#include "milter_ctx.h"
#include "milter_state.h"
#include "reply.h"
#include "store.h"

static struct mcfg *make_cfg(const char *name, const char *value)
{
	char	err[CONF_ERR_MAX];
	struct conf *c = conf_defaults();
	struct mcfg *cfg;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(conf_set(c, "max_body_size", "16k", err, sizeof(err)), 0);
	if (name)
		ck_assert_int_eq(conf_set(c, name, value, err, sizeof(err)), 0);
	cfg = mcfg_new(c, err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	return cfg;
}

START_TEST(test_ctx_body_beyond_limit_is_counted_not_stored)
{
	struct mcfg *cfg = make_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);
	unsigned char chunk[10000];
	size_t	len;

	memset(chunk, 'a', sizeof(chunk));
	ck_assert_int_eq(mctx_header(m, "Subject", "x"), 0);
	ck_assert_int_eq(mctx_eoh(m), 0);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(mctx_body(m, chunk, sizeof(chunk)), 0);
	(void) mctx_text(m, &len);
	ck_assert_uint_eq(mctx_body_seen(m), 50000);
	ck_assert_uint_le(len, 16 * 1024 + strlen("Subject: x\r\n\r\n"));
	ck_assert_int_eq(mctx_truncated(m), 1);
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

START_TEST(test_ctx_xlinks_headers_tracked_and_not_analysed)
{
	struct mcfg *cfg = make_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);
	size_t	len;
	const char *text;

	ck_assert_int_eq(mctx_header(m, "X-Links-Verdict", "optout"), 0);
	ck_assert_int_eq(mctx_header(m, "x-links-verdict", "optout"), 0);
	ck_assert_int_eq(mctx_header(m, "X-Links-Customer", "1"), 0);
	ck_assert_int_eq(mctx_header(m, "From", "A <a@example.vn>"), 0);
	ck_assert_uint_eq(mctx_xlinks_count(m), 2);
	ck_assert_str_eq(mctx_xlinks_name(m, 0), "X-Links-Verdict");
	ck_assert_int_eq(mctx_xlinks_times(m, 0), 2);
	ck_assert_int_eq(mctx_xlinks_times(m, 1), 1);
	text = mctx_text(m, &len);
	ck_assert_ptr_null(strstr(text, "X-Links"));
	ck_assert_str_eq(mctx_hdr(m, MCTX_H_FROM), "A <a@example.vn>");
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

START_TEST(test_ctx_too_many_xlinks_names_is_refused)
{
	struct mcfg *cfg = make_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);
	char	name[64];
	int	rc = 0;

	for (int i = 0; i <= MCTX_XLINKS_MAX && rc == 0; i++) {
		snprintf(name, sizeof(name), "X-Links-N%d", i);
		rc = mctx_header(m, name, "v");
	}
	ck_assert_int_eq(rc, -2);
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

START_TEST(test_ctx_recipients_classified)
{
	struct mcfg *cfg = make_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);

	ck_assert_int_eq(mctx_add_rcpt(m, "<binh@example.org>"), 0);
	ck_assert_int_eq(mctx_ours(m), 0);
	ck_assert_int_eq(mctx_add_rcpt(m, "<noreply+abc@ilinks.asia>"), 0);
	ck_assert_int_eq(mctx_ours(m), 1);
	ck_assert_int_eq(mctx_rcpt_kind(m, 1), MADDR_NOREPLY_TOKEN);
	ck_assert_str_eq(mctx_rcpt_token(m, 1), "abc");
	ck_assert_str_eq(mctx_rcpt_addr(m, 1), "noreply+abc@ilinks.asia");
	for (int i = 2; i < MCTX_RCPT_MAX; i++)
		ck_assert_int_eq(mctx_add_rcpt(m, "<x@example.org>"), 0);
	ck_assert_int_eq(mctx_add_rcpt(m, "<one.too.many@example.org>"), -1);
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

START_TEST(test_state_message_keeps_its_config_across_reload)
{
	struct mcfg *old = make_cfg("pure_refusal_action", "deliver");
	struct mcfg *new = make_cfg("pure_refusal_action", "discard");
	struct mcfg *cur;
	struct mctx_msg *m;

	mstate_set(old);
	mcfg_release(old);		/* the state holds it now */
	cur = mstate_get();
	m = mctx_new(cur);
	mcfg_release(cur);
	mstate_set(new);		/* reload: the old one lives on in M */
	mcfg_release(new);
	ck_assert_int_eq(mcfg_pure_action(mctx_cfg(m)), MCFG_PURE_DELIVER);
	cur = mstate_get();
	ck_assert_int_eq(mcfg_pure_action(cur), MCFG_PURE_DISCARD);
	mcfg_release(cur);
	mctx_free(m);			/* frees the old configuration */
	mstate_set(NULL);
}
END_TEST

START_TEST(test_state_bad_archive_config_is_rejected)
{
	char	err[CONF_ERR_MAX];
	struct conf *c = conf_defaults();

	ck_assert_int_eq(conf_set(c, "pure_refusal_action", "archive", err, sizeof(err)), 0);
	ck_assert_ptr_null(mcfg_new(c, err, sizeof(err)));	/* takes C */
	ck_assert_ptr_nonnull(strstr(err, "archive_address"));
}
END_TEST

static const char refusal[] =
	"From: C <c@example.vn>\r\nTo: noreply@ilinks.asia\r\nSubject: Re: x\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n\r\nT\xe1\xbb\xab ch\xe1\xbb\x91i\r\n";

START_TEST(test_act_without_store_refusal_goes_to_support_unverified)
{
	struct mcfg *cfg = make_cfg(NULL, NULL);
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
	ck_assert_str_eq(p.optout, "unverified");
	ck_assert_str_eq(p.action, "route");
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
	struct mcfg *cfg = make_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);
	struct reply_result *r;
	struct mact_plan p;

	ck_assert_int_eq(mctx_add_rcpt(m, "<noreply@ilinks.asia>"), 0);
	ck_assert_int_eq(mctx_add_rcpt(m, "<lan@ilinks.asia>"), 0);
	r = reply_analyze(mcfg_analyzer(cfg), autorep, strlen(autorep), "c@example.vn");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(mact_decide(m, r, NULL, &p), STORE_OK);
	ck_assert_str_eq(p.verdict, "auto_reply");
	ck_assert_int_eq(p.result, MACT_ACCEPT);
	ck_assert_str_eq(p.action, "drop_noreply");
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

/* ---- throughput: who writes, statistics, connection reuse ---- */

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

/* Would deciding TEXT (envelope sender FROM) to RCPT write to the store? */
static int may_write(struct mcfg *cfg, const char *rcpt, const char *text, const char *from)
{
	struct mctx_msg *m = mctx_new(cfg);
	struct reply_result *r;
	int	w;

	ck_assert_int_eq(mctx_add_rcpt(m, rcpt), 0);
	r = reply_analyze(mcfg_analyzer(cfg), text, strlen(text), from);
	ck_assert_ptr_nonnull(r);
	w = mact_may_write(m, r);
	reply_result_free(r);
	mctx_free(m);
	return w;
}

START_TEST(test_act_only_refusals_tokens_and_bounces_may_write)
{
	struct mcfg *cfg = make_cfg(NULL, NULL);

	ck_assert_int_eq(may_write(cfg, "<noreply@ilinks.asia>", question, "c@example.vn"), 0);
	ck_assert_int_eq(may_write(cfg, "<noreply@ilinks.asia>", autoreply, "c@example.vn"), 0);
	ck_assert_int_eq(may_write(cfg, "<noreply@ilinks.asia>", refusal, "c@example.vn"), 1);
	ck_assert_int_eq(may_write(cfg, "<noreply+aaaabbbbccccdddd@ilinks.asia>", question,
				   "c@example.vn"), 1);
	ck_assert_int_eq(may_write(cfg, "<noreply@ilinks.asia>", bounce, ""), 1);
	mcfg_release(cfg);
}
END_TEST

struct tstore {
	char	dir[256];
	char	db[300];
	struct mcfg *cfg;
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return remove(path);
}

/* A fresh store in a temporary directory and a configuration using it. */
static void tstore_setup(struct tstore *t)
{
	char	err[CONF_ERR_MAX], key[300];
	const char *tmp = getenv("TMPDIR");
	struct conf *c = conf_defaults();

	snprintf(t->dir, sizeof(t->dir), "%s/test_milter.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->db, sizeof(t->db), "%s/links.db", t->dir);
	snprintf(key, sizeof(key), "%s/master.key", t->dir);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(conf_set(c, "store_path", t->db, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "key_file", key, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "store_busy_timeout", "300", err, sizeof(err)), 0);
	ck_assert_msg(store_init(c, err, sizeof(err)) == STORE_OK, "%s", err);
	t->cfg = mcfg_new(c, err, sizeof(err));
	ck_assert_msg(t->cfg != NULL, "%s", err);
}

static void tstore_teardown(struct tstore *t)
{
	mstore_discard();
	mstore_pool_clear();
	mcfg_release(t->cfg);
	nftw(t->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

START_TEST(test_act_question_is_decided_while_another_process_writes)
{
	struct tstore t;
	struct mctx_msg *m;
	struct reply_result *r;
	struct mact_plan p;
	struct store *st;
	sqlite3 *h;
	char	err[256];

	tstore_setup(&t);
	st = mstore_get(t.cfg, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(sqlite3_open(t.db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	m = mctx_new(t.cfg);
	ck_assert_int_eq(mctx_add_rcpt(m, "<noreply@ilinks.asia>"), 0);
	ck_assert_int_eq(mctx_header(m, "From", "C <c@example.vn>"), 0);
	r = reply_analyze(mcfg_analyzer(t.cfg), question, strlen(question), "c@example.vn");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(mact_may_write(m, r), 0);
	/* Reads only: no wait for the lock, no STORE_TEMP. */
	ck_assert_int_eq(mact_decide(m, r, st, &p), STORE_OK);
	ck_assert_str_eq(p.verdict, "question");
	ck_assert_str_eq(p.action, "route");
	mact_plan_clear(&p);
	ck_assert_int_eq(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	reply_result_free(r);
	mctx_free(m);
	tstore_teardown(&t);
}
END_TEST

struct counter_get {
	const char *name;
	long	value;
	int	found;
};

static int counter_get(const char *name, long value, void *arg)
{
	struct counter_get *g = arg;

	if (strcmp(name, g->name) == 0) {
		g->value = value;
		g->found = 1;
	}
	return 0;
}

static long stored_counter(struct store *st, const char *name)
{
	struct counter_get g = {name, 0, 0};

	ck_assert_int_eq(store_counter_each(st, counter_get, &g), STORE_OK);
	return g.found ? g.value : -1;
}

START_TEST(test_state_statistics_wait_in_memory_then_one_flush)
{
	struct tstore t;
	struct store *st;
	long	d[MSTAT_COUNT];
	char	err[256];

	tstore_setup(&t);
	st = mstore_get(t.cfg, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	mstats_add(MSTAT_MESSAGES, 3);
	mstats_add(MSTAT_QUESTIONS, 2);
	mstats_add(MSTAT_PASSED, 5);		/* kept in the process only */
	mstats_add_total(MSTAT_OPTOUTS, 1);	/* stored by its own transaction */
	ck_assert_int_eq(stored_counter(st, "milter.messages"), -1);
	/* a failed write gives the deltas back */
	mstats_take(d);
	ck_assert_int_eq(d[MSTAT_MESSAGES], 3);
	ck_assert_int_eq(d[MSTAT_PASSED], 0);
	ck_assert_int_eq(d[MSTAT_OPTOUTS], 0);
	mstats_give_back(d);
	ck_assert_int_eq(mstats_flush(st, 1000, err, sizeof(err)), STORE_OK);
	ck_assert_int_eq(stored_counter(st, "milter.messages"), 3);
	ck_assert_int_eq(stored_counter(st, "milter.questions"), 2);
	ck_assert_int_eq(stored_counter(st, "milter.passed"), -1);
	ck_assert_int_eq(stored_counter(st, "milter.optouts"), -1);
	ck_assert_int_eq(mstats_get(MSTAT_MESSAGES), 3);
	ck_assert_int_eq(mstats_get(MSTAT_OPTOUTS), 1);
	/* nothing pending: nothing added twice */
	ck_assert_int_eq(mstats_flush(st, 1000, err, sizeof(err)), STORE_OK);
	ck_assert_int_eq(stored_counter(st, "milter.messages"), 3);
	mstats_add(MSTAT_MESSAGES, 1);
	ck_assert_int_eq(mstats_flush(st, 1000, err, sizeof(err)), STORE_OK);
	ck_assert_int_eq(stored_counter(st, "milter.messages"), 4);
	tstore_teardown(&t);
}
END_TEST

static void *get_store(void *arg)
{
	struct tstore *t = arg;
	char	err[256];

	return mstore_get(t->cfg, err, sizeof(err));
}

START_TEST(test_state_connection_of_an_ended_thread_is_reused)
{
	struct tstore t;
	pthread_t th;
	void   *first, *second;

	char	key[300];

	tstore_setup(&t);
	ck_assert_int_eq(pthread_create(&th, NULL, get_store, &t), 0);
	ck_assert_int_eq(pthread_join(th, &first), 0);
	ck_assert_ptr_nonnull(first);
	/* Opening again would need the key file: take it away. */
	snprintf(key, sizeof(key), "%s/master.key", t.dir);
	ck_assert_int_eq(unlink(key), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, get_store, &t), 0);
	ck_assert_int_eq(pthread_join(th, &second), 0);
	ck_assert_ptr_eq(first, second);
	tstore_teardown(&t);
}
END_TEST

static Suite *milter_ctx_suite(void)
{
	Suite  *s = suite_create("milter_ctx");
	TCase  *tc = tcase_create("ctx");

	tcase_add_test(tc, test_ctx_body_beyond_limit_is_counted_not_stored);
	tcase_add_test(tc, test_ctx_xlinks_headers_tracked_and_not_analysed);
	tcase_add_test(tc, test_ctx_too_many_xlinks_names_is_refused);
	tcase_add_test(tc, test_ctx_recipients_classified);
	tcase_add_test(tc, test_state_message_keeps_its_config_across_reload);
	tcase_add_test(tc, test_state_bad_archive_config_is_rejected);
	tcase_add_test(tc, test_act_without_store_refusal_goes_to_support_unverified);
	tcase_add_test(tc, test_act_auto_reply_to_noreply_and_staff_drops_only_noreply);
	tcase_add_test(tc, test_act_evidence_is_bounded);
	tcase_add_test(tc, test_act_only_refusals_tokens_and_bounces_may_write);
	tcase_add_test(tc, test_act_question_is_decided_while_another_process_writes);
	tcase_add_test(tc, test_state_statistics_wait_in_memory_then_one_flush);
	tcase_add_test(tc, test_state_connection_of_an_ended_thread_is_reused);
	suite_add_tcase(s, tc);
	return s;
}

int	main(void)
{
	SRunner *sr = srunner_create(milter_ctx_suite());
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
