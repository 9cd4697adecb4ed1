/*
 * NAME
 *	test_outbox 1
 * SUMMARY
 *	unit tests of system messages through the delivery engine (sender/outbox.c)
 * SYNOPSIS
 *	test_outbox
 * DESCRIPTION
 *	Check tests, against a real store in a temporary directory where
 *	a store is needed (sender_fixture.h).
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "conf.h"
#include "delivery.h"
#include "outbox.h"
#include "sender_fixture.h"
#include "store.h"
#include "unit.h"

START_TEST(test_outbox_confirmation_delivered_exactly_once)
{
	struct fixture f;
	struct delivery_cli o;
	struct store_outbox ob[4];
	char	dir[300], err[CONF_ERR_MAX], cmd[1200], mid[256];
	int	n, changed = 0;
	FILE   *fp;

	fixture_open(&f);
	snprintf(dir, sizeof(dir), "%s/outbox", tmpdir);
	ck_assert_int_eq(conf_set(f.conf, "transport", "dir", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(f.conf, "outdir", dir, err, sizeof(err)), 0);
	/* A reply "Từ chối" queues one confirmation. */
	ck_assert_int_eq(store_optout(f.st, f.a, -1, STORE_CH_REPLY, "msgid=<x@y> rule=test", &changed), 0);
	ck_assert_int_gt(changed, 0);
	n = store_outbox_pending(f.st, 0, ob, 4);
	ck_assert_int_eq(n, 1);
	snprintf(mid, sizeof(mid), "%s", ob[0].message_id);
	store_outbox_clear(&ob[0]);
	memset(&o, 0, sizeof(o));
	o.transport = -1;
	o.rate = -1;
	o.retry_delay = -1;
	o.progress = PROGRESS_OFF;
	ck_assert_int_eq(outbox_run(f.conf, &o), 0);
	ck_assert_int_eq(store_outbox_pending(f.st, 0, ob, 4), 0);
	/* Twice: nothing more. */
	ck_assert_int_eq(outbox_run(f.conf, &o), 0);
	snprintf(cmd, sizeof(cmd), "ls '%s' | wc -l", dir);
	fp = popen(cmd, "r");
	ck_assert_int_eq(fscanf(fp, "%d", &n), 1);
	pclose(fp);
	ck_assert_int_eq(n, 1);
	/* The message carries the Message-ID fixed in the outbox row, and no advertising. */
	snprintf(cmd, sizeof(cmd), "grep -c -i '^Message-ID: <%s>' '%s'/outbox-*.eml", mid, dir);
	fp = popen(cmd, "r");
	ck_assert_int_eq(fscanf(fp, "%d", &n), 1);
	pclose(fp);
	ck_assert_int_eq(n, 1);
	snprintf(cmd, sizeof(cmd), "grep -l -e 'List-Unsubscribe' -e '\\[QC\\]' '%s'/outbox-*.eml", dir);
	ck_assert_int_ne(system(cmd), 0);
	fixture_close(&f);
}
END_TEST

/* sent_headers - the unfolded header block of the message sent to RCPT in DIR; caller frees */
static char *
sent_headers(const char *dir, const char *rcpt)
{
	char	cmd[1200], *buf, *e;
	size_t	n, i, j;
	FILE   *fp;

	/* The dir transport writes the envelope recipient on its X-Envelope-To line or in To. */
	snprintf(cmd, sizeof(cmd), "grep -l -i '^To:.*%s' '%s'/outbox-*.eml | head -n 1 | "
		 "xargs cat", rcpt, dir);
	ck_assert_ptr_nonnull(fp = popen(cmd, "r"));
	ck_assert_ptr_nonnull(buf = calloc(1, 65536));
	n = fread(buf, 1, 65535, fp);
	pclose(fp);
	buf[n] = 0;
	if ((e = strstr(buf, "\r\n\r\n")) != NULL)
		e[2] = 0;
	for (i = j = 0; buf[i]; i++) {		/* unfold: CRLF before a space or tab goes */
		if (buf[i] == '\r' && buf[i + 1] == '\n' && (buf[i + 2] == ' ' || buf[i + 2] == '\t')) {
			i += 2;
			while (buf[i + 1] == ' ' || buf[i + 1] == '\t')
				i++;
			buf[j++] = ' ';
			continue;
		}
		buf[j++] = buf[i];
	}
	buf[j] = 0;
	return (buf);
}

START_TEST(test_outbox_confirmation_threaded_to_the_customers_reply)
{
	struct fixture f;
	struct delivery_cli o;
	struct store_reply_thread t = {NULL, NULL, 0, 0};
	char	err[CONF_ERR_MAX], dir[300], *h;
	int	changed = 0;

	fixture_open(&f);
	snprintf(dir, sizeof(dir), "%s/outbox", tmpdir);
	ck_assert_int_eq(conf_set(f.conf, "transport", "dir", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(f.conf, "outdir", dir, err, sizeof(err)), 0);
	/* A refuses in a reply (Gmail) to our notice, in a thread of two. */
	t.message_id = "<CAKx3+q=Reply.1@mail.gmail.com>";
	t.references = "<notice.1@ilinks.asia> <notice.2@ilinks.asia>";
	ck_assert_int_eq(store_optout_reply(f.st, f.a, -1, "reply msgid=<h:1> rule=test", &t,
					    &changed), STORE_OK);
	ck_assert_int_gt(changed, 0);
	/* B's reply has a Message-ID we may not write back: answered, not threaded. */
	t.message_id = "<odd(comment)@example.vn>";
	t.references = NULL;
	ck_assert_int_eq(store_optout_reply(f.st, f.b, -1, "reply msgid=<h:2> rule=test", &t,
					    &changed), STORE_OK);
	memset(&o, 0, sizeof(o));
	o.transport = -1;
	o.rate = -1;
	o.retry_delay = -1;
	o.progress = PROGRESS_OFF;
	ck_assert_int_eq(outbox_run(f.conf, &o), 0);
	h = sent_headers(dir, "a@example.vn");
	ck_assert_msg(strstr(h, "\nIn-Reply-To: <CAKx3+q=Reply.1@mail.gmail.com>\r\n") != NULL, "%s", h);
	ck_assert_msg(strstr(h, "\nReferences: <notice.1@ilinks.asia> <notice.2@ilinks.asia> "
			     "<CAKx3+q=Reply.1@mail.gmail.com>\r\n") != NULL, "%s", h);
	free(h);
	h = sent_headers(dir, "b@example.vn");
	ck_assert_msg(strstr(h, "\nSubject:") != NULL, "%s", h);
	ck_assert_msg(strstr(h, "In-Reply-To:") == NULL && strstr(h, "References:") == NULL,
		      "%s", h);
	free(h);
	fixture_close(&f);
}
END_TEST

/* outbox_cli - the run's options: links.conf, no progress */
static void
outbox_cli(struct delivery_cli *o)
{
	memset(o, 0, sizeof(*o));
	o->transport = -1;
	o->rate = -1;
	o->retry_delay = 0;
	o->progress = PROGRESS_OFF;
}

/* outbox_dir - the dir transport into tmpdir/outbox */
static const char *
outbox_dir(struct fixture *f)
{
	static char dir[300];
	char	err[256];

	snprintf(dir, sizeof(dir), "%s/outbox", tmpdir);
	ck_assert_int_eq(conf_set(f->conf, "transport", "dir", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(f->conf, "outdir", dir, err, sizeof(err)), 0);
	return (dir);
}

START_TEST(test_outbox_row_left_sending_is_resent_and_counted)
{
	struct fixture f;
	struct delivery_cli o;
	struct store_outbox ob[4];
	const char *dir;
	int64_t id;

	fixture_open(&f);
	dir = outbox_dir(&f);
	ck_assert_int_eq(store_outbox_add(f.st, f.a, OUTBOX_TEMPLATE, &id), STORE_OK);
	/* As a kill after the hand-over, before the answer's record, leaves it. */
	ck_assert_int_eq(store_outbox_set(f.st, id, STORE_DLV_QUEUED, "sending (attempt 1)"),
			 STORE_OK);
	ck_assert_int_eq(store_outbox_pending(f.st, 0, ob, 4), 1);
	ck_assert_str_eq(ob[0].reason, "sending (attempt 1)");
	store_outbox_clear(&ob[0]);
	outbox_cli(&o);
	ck_assert_int_eq(outbox_run(f.conf, &o), 0);
	ck_assert_int_eq(store_outbox_pending(f.st, 0, ob, 4), 0);
	ck_assert_int_eq(count_files(dir, "outbox-*.eml"), 1);
	ck_assert_int_eq(fixture_counter(f.st, OUTBOX_DUP_COUNTER), 1);
	fixture_close(&f);
}
END_TEST

START_TEST(test_outbox_unknown_template_and_undeliverable_fail_with_reason)
{
	struct fixture f;
	struct delivery_cli o;
	struct store_outbox ob[4];
	const char *dir;
	char	cmd[700];
	int64_t x, y;

	fixture_open(&f);
	dir = outbox_dir(&f);
	ck_assert_int_eq(store_outbox_add(f.st, f.a, "advert", &x), STORE_OK);
	ck_assert_int_eq(store_outbox_add(f.st, f.d, OUTBOX_TEMPLATE, &y), STORE_OK);
	outbox_cli(&o);
	ck_assert_int_eq(outbox_run(f.conf, &o), 0);
	ck_assert_int_eq(store_outbox_pending(f.st, 0, ob, 4), 0);
	ck_assert_int_eq(count_files(dir, "outbox-*.eml"), 0);
	snprintf(cmd, sizeof(cmd), "test \"$(sqlite3 '%s/links.db' \"SELECT status || ':' || reason "
		 "FROM outbox ORDER BY id\" | tr '\\n' ' ')\" = "
		 "'2:unknown template 2:undeliverable address '", tmpdir);
	ck_assert_msg(system(cmd) == 0, "%s", cmd);
	fixture_close(&f);
}
END_TEST

/* outbox_suite - the tests of sender/outbox.c */
static Suite *
outbox_suite(void)
{
	Suite  *s = suite_create("outbox");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_outbox_confirmation_delivered_exactly_once);
	tcase_add_test(tc, test_outbox_confirmation_threaded_to_the_customers_reply);
	tcase_add_test(tc, test_outbox_row_left_sending_is_resent_and_counted);
	tcase_add_test(tc, test_outbox_unknown_template_and_undeliverable_fail_with_reason);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(outbox_suite()));
}
