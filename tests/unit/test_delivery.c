/*
 * NAME
 *	test_delivery 1
 * SUMMARY
 *	unit tests of the delivery engine (sender/delivery.c)
 * SYNOPSIS
 *	test_delivery
 * DESCRIPTION
 *	The engine runs over a row source kept in memory (its rows, what
 *	the engine records of them) with a real store (message log,
 *	counters) and real transports: "dir", and "sendmail" with a small
 *	shell program as sendmail_path that answers per recipient like a
 *	server would (accepted, EX_TEMPFAIL a number of times, EX_NOUSER).
 *	The crash guarantees through a real SMTP server are
 *	tests/sender-crash.sh and tests/rely-sender-kill.sh.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "conf.h"
#include "delivery.h"
#include "sender_fixture.h"
#include "store.h"
#include "unit.h"

#define MEM_ROWS_MAX	64

/* The row source under test: rows in memory. */
struct mem_row {
	int64_t id;
	int64_t customer_id;
	char	rcpt[64];
	char	mid[64];
	char	reason[DELIVERY_REASON_MAX];
	enum store_delivery_status status;
	int	skip;			/* prepare() says DELIVERY_SKIP */
	int	fail;			/* prepare() says DELIVERY_FAIL */
	int	prepared;		/* times prepare() saw it */
	int	records;		/* times record() wrote it */
};

struct mem_src {
	pthread_mutex_t mu;
	struct mem_row rows[MEM_ROWS_MAX];
	int	n;
};

/* mem_find - the row ID (lock held) */
static struct mem_row *
mem_find(struct mem_src *m, int64_t id)
{
	int	i;

	for (i = 0; i < m->n; i++)
		if (m->rows[i].id == id)
			return (&m->rows[i]);
	ck_abort_msg("no row %lld", (long long) id);
	return (NULL);
}

/* mem_fetch - queued rows after AFTER, in id order */
static int
mem_fetch(void *arg, struct store *st, int64_t after, struct delivery_row *rows, int max)
{
	struct mem_src *m = arg;
	int	i, n = 0;

	(void) st;
	pthread_mutex_lock(&m->mu);
	for (i = 0; i < m->n && n < max; i++) {
		struct mem_row *r = &m->rows[i];

		if (r->id <= after || r->status != STORE_DLV_QUEUED)
			continue;
		memset(&rows[n], 0, sizeof(rows[n]));
		rows[n].id = r->id;
		rows[n].customer_id = r->customer_id;
		rows[n].message_id = strdup(r->mid);
		rows[n].reason = strdup(r->reason);
		n++;
	}
	pthread_mutex_unlock(&m->mu);
	return (n);
}

/* mem_prepare - a small message to the row's recipient */
static int
mem_prepare(void *arg, struct store *st, const struct delivery_row *row,
	    struct delivery_msg *msg, char *reason, size_t reasonlen, char *err, size_t errlen)
{
	struct mem_src *m = arg;
	struct mem_row *r;
	int	rv = DELIVERY_SEND;

	(void) st;
	pthread_mutex_lock(&m->mu);
	r = mem_find(m, row->id);
	r->prepared++;
	if (r->fail) {
		snprintf(err, errlen, "row %lld: test failure", (long long) r->id);
		rv = DELIVERY_FAIL;
	} else if (r->skip) {
		snprintf(reason, reasonlen, "test skip");
		rv = DELIVERY_SKIP;
	} else {
		snprintf(msg->from, sizeof(msg->from), "noreply@ilinks.asia");
		snprintf(msg->rcpt, sizeof(msg->rcpt), "%s", r->rcpt);
		msg->len = (size_t) asprintf(&msg->data, "Message-ID: <%s>\r\nSubject: t\r\n\r\nx\r\n",
					     r->mid);
	}
	pthread_mutex_unlock(&m->mu);
	return (rv);
}

/* mem_record - what the engine records */
static int
mem_record(void *arg, struct store *st, int64_t id, enum store_delivery_status status,
	   const char *reason)
{
	struct mem_src *m = arg;
	struct mem_row *r;

	(void) st;
	pthread_mutex_lock(&m->mu);
	r = mem_find(m, id);
	r->status = status;
	r->records++;
	snprintf(r->reason, sizeof(r->reason), "%s", reason ? reason : "");
	pthread_mutex_unlock(&m->mu);
	return (STORE_OK);
}

/* mem_source - the engine's view of M */
static void
mem_source(struct delivery_source *src, struct mem_src *m)
{
	memset(src, 0, sizeof(*src));
	src->what = "test";
	src->cat = CATEGORY_ACCOUNT;
	src->dup_counter = "test.possible_duplicates";
	src->file_prefix = "t-";
	src->again = "the test again";
	src->arg = m;
	src->fetch = mem_fetch;
	src->prepare = mem_prepare;
	src->record = mem_record;
}

/* mem_init - N rows for the fixture's customers a, b, cc (in turn), to RCPT(i) */
static void
mem_init(struct mem_src *m, struct fixture *f, int n, const char *const *rcpts)
{
	int64_t who[3] = {f->a, f->b, f->cc};
	int	i;

	memset(m, 0, sizeof(*m));
	pthread_mutex_init(&m->mu, NULL);
	ck_assert_int_le(n, MEM_ROWS_MAX);
	for (i = 0; i < n; i++) {
		m->rows[i].id = 10 + i;
		m->rows[i].customer_id = who[i % 3];
		snprintf(m->rows[i].rcpt, sizeof(m->rows[i].rcpt), "%s",
			 rcpts ? rcpts[i] : "ok@example.vn");
		snprintf(m->rows[i].mid, sizeof(m->rows[i].mid), "row%d.test@ilinks.asia", i);
		m->rows[i].status = STORE_DLV_QUEUED;
	}
	m->n = n;
}

/* opts - the run's options for TRANSPORT, no progress, no waiting between retries */
static void
opts(struct delivery_opts *o, struct fixture *f, enum transport_kind transport, long total)
{
	struct delivery_cli cli;

	memset(&cli, 0, sizeof(cli));
	cli.transport = (int) transport;
	cli.rate = -1;
	cli.retry_delay = 0;
	cli.progress = PROGRESS_OFF;
	ck_assert_int_eq(delivery_opts_init(o, f->conf, &cli), 0);
	o->total = total;
}

/*
 * fake_sendmail - a sendmail_path program answering by recipient:
 * temp1@ EX_TEMPFAIL the first time, tempall@ always, perm@ EX_NOUSER;
 * every accepted message is appended to tmpdir/accepted.
 */
static void
fake_sendmail(struct fixture *f)
{
	char	path[512], err[256];
	FILE   *fp;

	snprintf(path, sizeof(path), "%s/sendmail", tmpdir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fprintf(fp, "#!/bin/sh\n"
		"# usage: sendmail -i -f FROM -- RCPT\n"
		"rcpt=$5; d='%s'\n"
		"case $rcpt in\n"
		"temp1@*) [ -e \"$d/seen-$rcpt\" ] || { : > \"$d/seen-$rcpt\"; cat >/dev/null; exit 75; } ;;\n"
		"tempall@*) cat >/dev/null; exit 75 ;;\n"
		"perm@*) cat >/dev/null; exit 67 ;;\n"
		"esac\n"
		"{ echo \"$rcpt\"; cat; } >> \"$d/accepted\"\n", tmpdir);
	fclose(fp);
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(conf_set(f->conf, "sendmail_path", path, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(f->conf, "smtp_max_attempts", "3", err, sizeof(err)), 0);
}

/* accepted - how many messages the fake sendmail accepted for RCPT */
static int
accepted(const char *rcpt)
{
	char	path[512], line[512];
	FILE   *fp;
	int	n = 0;

	snprintf(path, sizeof(path), "%s/accepted", tmpdir);
	if ((fp = fopen(path, "r")) == NULL)
		return (0);
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, rcpt, strlen(rcpt)) == 0 && line[strlen(rcpt)] == '\n')
			n++;
	fclose(fp);
	return (n);
}

/* dir_out - the dir transport's directory for this test, set in the configuration */
static const char *
dir_out(struct fixture *f)
{
	static char out[512];
	char	err[256];

	snprintf(out, sizeof(out), "%s/out", tmpdir);
	ck_assert_int_eq(conf_set(f->conf, "outdir", out, err, sizeof(err)), 0);
	return (out);
}

/* run_mem - run the engine over M with transport KIND; the statistics into S */
static void
run_mem(struct fixture *f, struct mem_src *m, enum transport_kind kind, double rate,
	struct delivery_stats *s)
{
	struct delivery_source src;
	struct delivery_opts o;
	char	err[256];

	mem_source(&src, m);
	opts(&o, f, kind, m->n);
	o.rate = rate;
	ck_assert_msg(delivery_run(f->conf, &src, &o, s, err, sizeof(err)) == 0, "%s", err);
}

START_TEST(test_delivery_sends_every_row_once_and_logs_its_message_id)
{
	struct fixture f;
	struct mem_src m;
	struct delivery_stats s;
	struct store_msglog ml;
	const char *out;
	int	i;

	fixture_open(&f);
	out = dir_out(&f);
	mem_init(&m, &f, 40, NULL);
	run_mem(&f, &m, TRANSPORT_DIR, 0, &s);
	ck_assert_msg(!s.fatal, "%s", s.fatal_msg);
	ck_assert_int_eq(s.sent, 40);
	ck_assert_int_eq(s.failed + s.skipped + s.dups, 0);
	ck_assert_int_eq(count_files(out, "t-*.eml"), 40);
	for (i = 0; i < 40; i++) {
		ck_assert_int_eq(m.rows[i].status, STORE_DLV_SENT);
		ck_assert_int_eq(m.rows[i].prepared, 1);
		/* Marked "sending", then sent: two records. */
		ck_assert_int_eq(m.rows[i].records, 2);
		ck_assert_int_eq(store_msglog_find(f.st, m.rows[i].mid, &ml), STORE_OK);
		ck_assert_int_eq(ml.customer_id, m.rows[i].customer_id);
	}
	fixture_close(&f);
}
END_TEST

START_TEST(test_delivery_row_left_sending_is_resent_and_counted)
{
	struct fixture f;
	struct mem_src m;
	struct delivery_stats s;
	const char *out;

	fixture_open(&f);
	out = dir_out(&f);
	mem_init(&m, &f, 3, NULL);
	/* A kill between handing row 11 over and recording the answer. */
	snprintf(m.rows[1].reason, sizeof(m.rows[1].reason), "sending (attempt 1)");
	run_mem(&f, &m, TRANSPORT_DIR, 0, &s);
	ck_assert_int_eq(s.sent, 3);
	ck_assert_int_eq(s.dups, 1);
	ck_assert_int_eq(fixture_counter(f.st, "test.possible_duplicates"), 1);
	ck_assert_int_eq(m.rows[1].status, STORE_DLV_SENT);
	ck_assert_int_eq(count_files(out, "t-11.eml"), 1);
	fixture_close(&f);
}
END_TEST

START_TEST(test_delivery_skip_is_recorded_with_its_reason_and_not_sent)
{
	struct fixture f;
	struct mem_src m;
	struct delivery_stats s;
	const char *out;

	fixture_open(&f);
	out = dir_out(&f);
	mem_init(&m, &f, 4, NULL);
	m.rows[2].skip = 1;
	run_mem(&f, &m, TRANSPORT_DIR, 0, &s);
	ck_assert_int_eq(s.sent, 3);
	ck_assert_int_eq(s.skipped, 1);
	ck_assert_int_eq(m.rows[2].status, STORE_DLV_SKIPPED);
	ck_assert_str_eq(m.rows[2].reason, "test skip");
	ck_assert_int_eq(count_files(out, "t-12.eml"), 0);
	fixture_close(&f);
}
END_TEST

START_TEST(test_delivery_prepare_failure_stops_and_leaves_rows_as_they_were)
{
	struct fixture f;
	struct mem_src m;
	struct delivery_stats s;
	const char *out;
	int	i;

	fixture_open(&f);
	out = dir_out(&f);
	mem_init(&m, &f, 5, NULL);
	m.rows[0].fail = 1;
	run_mem(&f, &m, TRANSPORT_DIR, 0, &s);
	ck_assert(s.fatal);
	ck_assert_ptr_nonnull(strstr(s.fatal_msg, "test failure"));
	/* The dir transport runs one worker, whose batch began with the bad
	 * row: nothing was marked, nothing sent. */
	ck_assert_int_eq(s.sent, 0);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(m.rows[i].status, STORE_DLV_QUEUED);
		ck_assert_int_eq(m.rows[i].records, 0);
	}
	ck_assert_int_eq(count_files(out, "t-*.eml"), 0);
	fixture_close(&f);
}
END_TEST

START_TEST(test_delivery_stopped_run_hands_nothing_over)
{
	struct fixture f;
	struct mem_src m;
	struct delivery_stats s;
	const char *out;

	fixture_open(&f);
	out = dir_out(&f);
	mem_init(&m, &f, 3, NULL);
	delivery_stop = 1;
	run_mem(&f, &m, TRANSPORT_DIR, 0, &s);
	delivery_stop = 0;
	ck_assert_int_eq(s.sent, 0);
	ck_assert_int_eq(m.rows[0].status, STORE_DLV_QUEUED);
	ck_assert_int_eq(m.rows[0].records, 0);
	ck_assert_int_eq(count_files(out, "t-*.eml"), 0);
	fixture_close(&f);
}
END_TEST

START_TEST(test_delivery_4xx_retried_5xx_failed_persistent_4xx_failed_after_max)
{
	static const char *const rcpts[] = {"ok@example.vn", "temp1@example.vn",
		"perm@example.vn", "tempall@example.vn"};
	struct fixture f;
	struct mem_src m;
	struct delivery_stats s;

	fixture_open(&f);
	fake_sendmail(&f);
	mem_init(&m, &f, 4, rcpts);
	run_mem(&f, &m, TRANSPORT_SENDMAIL, 0, &s);
	ck_assert_msg(!s.fatal, "%s", s.fatal_msg);
	ck_assert_int_eq(s.sent, 2);
	ck_assert_int_eq(s.failed, 2);
	ck_assert_int_eq(accepted("ok@example.vn"), 1);
	ck_assert_int_eq(accepted("temp1@example.vn"), 1);
	ck_assert_int_eq(accepted("perm@example.vn"), 0);
	ck_assert_int_eq(accepted("tempall@example.vn"), 0);
	ck_assert_int_eq(m.rows[1].status, STORE_DLV_SENT);
	ck_assert_int_eq(m.rows[2].status, STORE_DLV_FAILED);
	ck_assert_ptr_nonnull(strstr(m.rows[2].reason, "exit status 67"));
	ck_assert_int_eq(m.rows[3].status, STORE_DLV_FAILED);
	ck_assert_ptr_nonnull(strstr(m.rows[3].reason, "after 3 attempts"));
	fixture_close(&f);
}
END_TEST

START_TEST(test_delivery_rate_is_shared_by_all_workers)
{
	struct fixture f;
	struct mem_src m;
	struct delivery_stats s;
	struct timespec t0, t1;
	char	err[256];
	double	secs;

	fixture_open(&f);
	fake_sendmail(&f);
	ck_assert_int_eq(conf_set(f.conf, "smtp_connections", "4", err, sizeof(err)), 0);
	mem_init(&m, &f, 21, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_mem(&f, &m, TRANSPORT_SENDMAIL, 50, &s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double) (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_int_eq(s.sent, 21);
	/* 21 messages at 50/s: the last slot is 20 / 50 s after the first. */
	ck_assert_msg(secs >= 0.39, "21 messages at 50/s in %.3f s", secs);
	fixture_close(&f);
}
END_TEST

START_TEST(test_delivery_reason_marks_round_trip)
{
	ck_assert_int_eq(delivery_attempts("sending (attempt 3)"), 3);
	ck_assert_int_eq(delivery_attempts("deferred (attempt 2): 451 busy"), 2);
	ck_assert_int_eq(delivery_attempts(""), 0);
	ck_assert_int_eq(delivery_attempts(NULL), 0);
	ck_assert(delivery_was_sending("sending (attempt 1)"));
	ck_assert(!delivery_was_sending("deferred (attempt 1): x"));
	ck_assert(!delivery_was_sending(NULL));
}
END_TEST

START_TEST(test_delivery_opts_follow_conf_and_command_line)
{
	struct conf *c = conf_defaults();
	struct delivery_cli cli;
	struct delivery_opts o;
	char	err[256];

	memset(&cli, 0, sizeof(cli));
	cli.transport = -1;
	cli.rate = -1;
	cli.retry_delay = -1;
	ck_assert_int_eq(conf_set(c, "transport", "sendmail", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "send_rate", "7", err, sizeof(err)), 0);
	ck_assert_int_eq(delivery_opts_init(&o, c, &cli), 0);
	ck_assert_int_eq(o.transport, TRANSPORT_SENDMAIL);
	ck_assert(o.rate == 7.0);
	ck_assert(o.retry_delay == DELIVERY_RETRY_DELAY);
	ck_assert_int_eq(o.total, -1);
	cli.transport = TRANSPORT_DIR;
	cli.rate = 0;
	cli.retry_delay = 2;
	ck_assert_int_eq(delivery_opts_init(&o, c, &cli), 0);
	ck_assert_int_eq(o.transport, TRANSPORT_DIR);
	ck_assert(o.rate == 0.0);
	ck_assert(o.retry_delay == 2.0);
	conf_free(c);
}
END_TEST

/* delivery_suite - the tests of sender/delivery.c */
static Suite *
delivery_suite(void)
{
	Suite  *s = suite_create("delivery");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_delivery_sends_every_row_once_and_logs_its_message_id);
	tcase_add_test(tc, test_delivery_row_left_sending_is_resent_and_counted);
	tcase_add_test(tc, test_delivery_skip_is_recorded_with_its_reason_and_not_sent);
	tcase_add_test(tc, test_delivery_prepare_failure_stops_and_leaves_rows_as_they_were);
	tcase_add_test(tc, test_delivery_stopped_run_hands_nothing_over);
	tcase_add_test(tc, test_delivery_4xx_retried_5xx_failed_persistent_4xx_failed_after_max);
	tcase_add_test(tc, test_delivery_rate_is_shared_by_all_workers);
	tcase_add_test(tc, test_delivery_reason_marks_round_trip);
	tcase_add_test(tc, test_delivery_opts_follow_conf_and_command_line);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(delivery_suite()));
}
