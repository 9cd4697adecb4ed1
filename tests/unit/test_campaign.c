/*
 * NAME
 *	test_campaign 1
 * SUMMARY
 *	unit tests of campaigns: expansion, sending, resume (sender/campaign.c)
 * SYNOPSIS
 *	test_campaign
 * DESCRIPTION
 *	Campaigns of the fixture's five customers through the "dir"
 *	transport, against a real store: the rows made by the expansion,
 *	what a failed expansion and a dry run leave (nothing), a row left
 *	"sending" by a kill and resent by resume, the lock.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"
#include "conf.h"
#include "lock.h"
#include "sender_fixture.h"
#include "store.h"
#include "unit.h"

/* out_dir - the dir transport's directory, set in the configuration */
static const char *
out_dir(struct fixture *f)
{
	static char out[512];
	char	err[256];

	snprintf(out, sizeof(out), "%s/out", tmpdir);
	ck_assert_int_eq(conf_set(f->conf, "transport", "dir", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(f->conf, "outdir", out, err, sizeof(err)), 0);
	return (out);
}

/* base_opts - a campaign of CAT with template NAME, links.conf's run options */
static void
base_opts(struct campaign_opts *o, enum category cat, const char *name)
{
	memset(o, 0, sizeof(*o));
	o->template_name = name;
	o->aud.cat = cat;
	o->run.transport = -1;
	o->run.rate = -1;
	o->run.retry_delay = -1;
	o->run.progress = PROGRESS_OFF;
}

/* promo - the options of a promotion to every customer */
static void
promo(struct campaign_opts *o)
{
	base_opts(o, CATEGORY_PROMOTION, "promotion");
	o->all = 1;
	o->set[o->nset++] = "offer=Giảm 20%";
	o->set[o->nset++] = "until=2026-12-31";
	o->set[o->nset++] = "url=https://ilinks.asia/km";
}

struct rows {
	long	n[4];
	long	campaigns;
};

/* count_campaign - store_campaign_each() callback */
static int
count_campaign(const struct store_campaign *c, void *arg)
{
	(void) c;
	((struct rows *) arg)->campaigns++;
	return (0);
}

/* rows_of - the campaigns in the store and the rows of campaign CID */
static struct rows
rows_of(struct fixture *f, int64_t cid)
{
	struct rows r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(store_campaign_each(f->st, count_campaign, &r), STORE_OK);
	ck_assert_int_eq(store_delivery_counts(f->st, cid, r.n), STORE_OK);
	return (r);
}

START_TEST(test_campaign_promotion_rows_sent_and_skipped_with_reasons)
{
	struct fixture f;
	struct campaign_opts o;
	struct store_delivery d[8];
	const char *out;
	struct rows r;

	fixture_open(&f);
	out = out_dir(&f);
	promo(&o);
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_OK);
	r = rows_of(&f, 1);
	/* a, b sent; cc refused promotions, d undeliverable, e refused all. */
	ck_assert_int_eq(r.campaigns, 1);
	ck_assert_int_eq(r.n[STORE_DLV_SENT], 2);
	ck_assert_int_eq(r.n[STORE_DLV_SKIPPED], 3);
	ck_assert_int_eq(r.n[STORE_DLV_QUEUED], 0);
	ck_assert_int_eq(count_files(out, "*.eml"), 2);
	/* Nothing queued is left to resume, and resume sends nothing more. */
	ck_assert_int_eq(campaign_resume(f.conf, 1, &o), EX_OK);
	ck_assert_int_eq(count_files(out, "*.eml"), 2);
	ck_assert_int_eq(store_delivery_queued(f.st, 1, 0, d, 8), 0);
	fixture_close(&f);
}
END_TEST

START_TEST(test_campaign_missing_placeholder_records_and_sends_nothing)
{
	struct fixture f;
	struct campaign_opts o;
	const char *out;
	struct rows r;

	fixture_open(&f);
	out = out_dir(&f);
	promo(&o);
	o.nset = 2;			/* no url= */
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_DATAERR);
	r = rows_of(&f, 1);
	ck_assert_int_eq(r.campaigns, 0);
	ck_assert_int_eq(count_files(out, "*.eml"), 0);
	fixture_close(&f);
}
END_TEST

START_TEST(test_campaign_dry_run_renders_and_records_nothing)
{
	struct fixture f;
	struct campaign_opts o;
	char	dry[512];
	struct rows r;

	fixture_open(&f);
	out_dir(&f);
	promo(&o);
	snprintf(dry, sizeof(dry), "%s/dry", tmpdir);
	o.dry_run = 1;
	o.run.outdir = dry;
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_OK);
	ck_assert_int_eq(count_files(dry, "dry-run-*.eml"), 2);
	r = rows_of(&f, 1);
	ck_assert_int_eq(r.campaigns, 0);
	fixture_close(&f);
}
END_TEST

START_TEST(test_campaign_resume_resends_a_row_left_sending_with_its_message_id)
{
	struct fixture f;
	struct campaign_opts o;
	struct store_delivery d[8];
	char	mid[256], path[600], cmd[1400];
	const char *out;
	int	n;

	fixture_open(&f);
	out = out_dir(&f);
	promo(&o);
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_OK);
	/* Row 2 (customer b, sent) as a kill between handing it over and
	 * recording the answer leaves it; its file as if never written. */
	ck_assert_int_eq(store_delivery_set(f.st, 2, STORE_DLV_QUEUED, "sending (attempt 1)"),
			 STORE_OK);
	n = store_delivery_queued(f.st, 1, 0, d, 8);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(d[0].customer_id, f.b);
	snprintf(mid, sizeof(mid), "%s", d[0].message_id);
	snprintf(path, sizeof(path), "%s/%lld.eml", out, (long long) d[0].id);
	store_delivery_clear(&d[0]);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(campaign_resume(f.conf, 1, &o), EX_OK);
	ck_assert_int_eq(count_files(out, "*.eml"), 2);
	snprintf(cmd, sizeof(cmd), "grep -q '^Message-ID: <%s>' '%s'", mid, path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(store_delivery_queued(f.st, 1, 0, d, 8), 0);
	ck_assert_int_eq(fixture_counter(f.st, "sender.campaign.1.possible_duplicates"), 1);
	fixture_close(&f);
}
END_TEST

START_TEST(test_campaign_locked_campaign_is_not_resumed)
{
	struct fixture f;
	struct campaign_opts o;
	char	err[256];
	int	lock;

	fixture_open(&f);
	out_dir(&f);
	promo(&o);
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_OK);
	ck_assert_int_ge(lock = lock_take(f.conf, 1, err, sizeof(err)), 0);
	ck_assert_int_eq(campaign_resume(f.conf, 1, &o), EX_TEMPFAIL);
	lock_release(lock);
	ck_assert_int_eq(campaign_resume(f.conf, 1, &o), EX_OK);
	ck_assert_int_eq(campaign_resume(f.conf, 99, &o), EX_NOINPUT);
	fixture_close(&f);
}
END_TEST

START_TEST(test_campaign_maintenance_reaches_only_the_service)
{
	struct fixture f;
	struct campaign_opts o;
	const char *out;
	struct rows r;

	fixture_open(&f);
	out = out_dir(&f);
	base_opts(&o, CATEGORY_MAINTENANCE, "maintenance");
	o.aud.service_type = "vps";
	o.set[o.nset++] = "window=22:00";
	o.set[o.nset++] = "impact=x";
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_OK);
	r = rows_of(&f, 1);
	/* a and cc (a refusal does not stop maintenance); d undeliverable;
	 * b and e have no active vps: no row at all. */
	ck_assert_int_eq(r.n[STORE_DLV_SENT], 2);
	ck_assert_int_eq(r.n[STORE_DLV_SKIPPED], 1);
	ck_assert_int_eq(r.n[0] + r.n[1] + r.n[2] + r.n[3], 3);
	ck_assert_int_eq(count_files(out, "*.eml"), 2);
	fixture_close(&f);
}
END_TEST

START_TEST(test_campaign_every_customer_only_with_all)
{
	struct fixture f;
	struct campaign_opts o;
	const char *out;

	fixture_open(&f);
	out = out_dir(&f);
	promo(&o);
	o.all = 0;
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_USAGE);
	ck_assert_int_eq(rows_of(&f, 1).campaigns, 0);
	ck_assert_int_eq(count_files(out, "*.eml"), 0);
	/* Named recipients need no --all. */
	o.aud.to = "a@example.vn";
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_OK);
	ck_assert_int_eq(count_files(out, "*.eml"), 1);
	fixture_close(&f);
}
END_TEST

START_TEST(test_campaign_unknown_set_key_is_refused)
{
	struct fixture f;
	struct campaign_opts o;
	const char *out;

	fixture_open(&f);
	out = out_dir(&f);
	promo(&o);
	o.set[0] = "ofer=Giảm 20%";	/* misspelt: the template has {{offer}} */
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_USAGE);
	ck_assert_int_eq(rows_of(&f, 1).campaigns, 0);
	ck_assert_int_eq(count_files(out, "*.eml"), 0);
	fixture_close(&f);
}
END_TEST

START_TEST(test_campaign_scheduled_waits_for_due)
{
	struct fixture f;
	struct campaign_opts o;
	const char *out;
	struct rows r;
	char	err[256];

	fixture_open(&f);
	out = out_dir(&f);
	/* Two promotions to the same customers: no frequency cap here. */
	ck_assert_int_eq(conf_set(f.conf, "promotion_min_interval", "0", err, sizeof(err)), 0);
	promo(&o);
	o.not_before = time(NULL) + 3600;
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_OK);
	r = rows_of(&f, 1);
	ck_assert_int_eq(r.n[STORE_DLV_QUEUED], 2);
	ck_assert_int_eq(count_files(out, "*.eml"), 0);
	/* Not yet: resume refuses, due leaves it. */
	ck_assert_int_eq(campaign_resume(f.conf, 1, &o), EX_TEMPFAIL);
	ck_assert_int_eq(campaign_due(f.conf, &o), EX_OK);
	ck_assert_int_eq(count_files(out, "*.eml"), 0);
	/* Another one due in a second: due sends it, and only it. */
	o.not_before = time(NULL) + 1;
	ck_assert_int_eq(campaign_send(f.conf, &o), EX_OK);
	sleep(2);
	ck_assert_int_eq(campaign_due(f.conf, &o), EX_OK);
	ck_assert_int_eq(rows_of(&f, 2).n[STORE_DLV_SENT], 2);
	ck_assert_int_eq(rows_of(&f, 1).n[STORE_DLV_QUEUED], 2);
	/* resume --now sends the first before its time. */
	o.now = 1;
	ck_assert_int_eq(campaign_resume(f.conf, 1, &o), EX_OK);
	ck_assert_int_eq(rows_of(&f, 1).n[STORE_DLV_SENT], 2);
	ck_assert_int_eq(count_files(out, "*.eml"), 4);
	fixture_close(&f);
}
END_TEST

/* campaign_suite - the tests of sender/campaign.c */
static Suite *
campaign_suite(void)
{
	Suite  *s = suite_create("campaign");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_campaign_promotion_rows_sent_and_skipped_with_reasons);
	tcase_add_test(tc, test_campaign_missing_placeholder_records_and_sends_nothing);
	tcase_add_test(tc, test_campaign_dry_run_renders_and_records_nothing);
	tcase_add_test(tc, test_campaign_resume_resends_a_row_left_sending_with_its_message_id);
	tcase_add_test(tc, test_campaign_locked_campaign_is_not_resumed);
	tcase_add_test(tc, test_campaign_maintenance_reaches_only_the_service);
	tcase_add_test(tc, test_campaign_every_customer_only_with_all);
	tcase_add_test(tc, test_campaign_unknown_set_key_is_refused);
	tcase_add_test(tc, test_campaign_scheduled_waits_for_due);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(campaign_suite()));
}
