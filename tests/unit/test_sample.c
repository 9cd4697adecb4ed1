/*
 * NAME
 *	test_sample 1
 * SUMMARY
 *	unit tests of --test-to and preview (sender/sample.c)
 * SYNOPSIS
 *	test_sample
 * DESCRIPTION
 *	The sample customer is the first of the audience who may get the
 *	message; a test message goes only to a company address and records
 *	nothing; a preview writes its text and HTML files and records
 *	nothing. The preview opened in a real browser is
 *	tests/sender-preview.sh (headless Chromium).
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sample.h"
#include "sender_fixture.h"
#include "unit.h"

/* promo - a promotion to every customer, the dir transport into tmpdir/out */
static void
promo(struct fixture *f, struct campaign_opts *o)
{
	char	out[512], err[256];

	snprintf(out, sizeof(out), "%s/out", tmpdir);
	ck_assert_int_eq(conf_set(f->conf, "transport", "dir", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(f->conf, "outdir", out, err, sizeof(err)), 0);
	memset(o, 0, sizeof(*o));
	o->template_name = "promotion";
	o->aud.cat = CATEGORY_PROMOTION;
	o->set[o->nset++] = "offer=Giảm <20%> & hơn";
	o->set[o->nset++] = "until=2026-12-31";
	o->set[o->nset++] = "url=https://ilinks.asia/km";
	o->run.transport = -1;
	o->run.rate = -1;
	o->run.retry_delay = -1;
	o->run.progress = PROGRESS_OFF;
}

/* logged - how many messages the store's message log holds */
static long
logged(struct fixture *f)
{
	struct store_stats s;

	ck_assert_int_eq(store_stats_get(f->st, &s), STORE_OK);
	return (s.messages_logged + s.campaigns);
}

/* slurp - the file PATH (static buffer) */
static const char *
slurp(const char *path)
{
	static char buf[65536];
	FILE   *fp = fopen(path, "r");
	size_t	n;

	ck_assert_msg(fp != NULL, "%s", path);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = 0;
	fclose(fp);
	return (buf);
}

START_TEST(test_sample_is_the_first_customer_who_may_get_it)
{
	struct fixture f;
	struct campaign_opts o;
	struct tmpl *t;
	struct tmpl_vars *set;
	struct compose *comp;
	struct store_customer c;
	struct store_contract k;
	int64_t ids[3];
	char	err[512];

	fixture_open(&f);
	promo(&f, &o);
	ck_assert_int_eq(campaign_compose(f.conf, &o, &t, &set, &comp, err, sizeof(err)), EX_OK);
	/* cc refused promotions, d is undeliverable: b is the sample. */
	ids[0] = f.cc;
	ids[1] = f.d;
	ids[2] = f.b;
	ck_assert_int_eq(sample_find(f.st, comp, &o.aud, ids, 3, &c, &k, err, sizeof(err)), 1);
	ck_assert_int_eq(c.id, f.b);
	store_customer_clear(&c);
	store_contract_clear(&k);
	ck_assert_int_eq(sample_find(f.st, comp, &o.aud, ids, 2, &c, &k, err, sizeof(err)), 0);
	compose_free(comp);
	tmpl_vars_free(set);
	tmpl_free(t);
	fixture_close(&f);
}
END_TEST

START_TEST(test_sample_test_goes_only_to_staff_and_records_nothing)
{
	struct fixture f;
	struct campaign_opts o;
	char	out[600];
	const char *m;
	long	before;

	fixture_open(&f);
	promo(&f, &o);
	before = logged(&f);
	o.test_to = "a@example.vn";		/* a customer */
	ck_assert_int_eq(sample_test(f.conf, &o), EX_USAGE);
	o.test_to = "lan.pham@ilinks.asia";
	ck_assert_int_eq(sample_test(f.conf, &o), EX_OK);
	snprintf(out, sizeof(out), "%s/out/test.eml", tmpdir);
	m = slurp(out);
	ck_assert_ptr_nonnull(strstr(header(m, "To"), "lan.pham@ilinks.asia"));
	ck_assert_int_eq(strncmp(header(m, "Subject"), " [TEST] [QC]", 12), 0);
	ck_assert_ptr_nonnull(strstr(header(m, "List-Unsubscribe"), "noreply+test@"));
	ck_assert_int_eq(logged(&f), before);
	fixture_close(&f);
}
END_TEST

START_TEST(test_sample_preview_writes_text_and_html_and_records_nothing)
{
	struct fixture f;
	struct campaign_opts o;
	char	dir[600], path[700];
	const char *s;
	long	before;

	fixture_open(&f);
	promo(&f, &o);
	before = logged(&f);
	snprintf(dir, sizeof(dir), "%s/preview", tmpdir);
	ck_assert_int_eq(sample_preview(f.conf, &o, dir, 0), EX_OK);
	snprintf(path, sizeof(path), "%s/preview.txt", dir);
	s = slurp(path);
	ck_assert_ptr_nonnull(strstr(s, "From: noreply@ilinks.asia\nTo: a@example.vn\n"));
	ck_assert_ptr_nonnull(strstr(s, "Subject: [QC] "));
	ck_assert_ptr_nonnull(strstr(s, "Giảm <20%> & hơn"));
	ck_assert_ptr_nonnull(strstr(s, "\n-- \n"));
	ck_assert_ptr_nonnull(strstr(s, "chỉ ngừng") == NULL ? strstr(s, "ngừng gửi") : NULL);
	snprintf(path, sizeof(path), "%s/preview.html", dir);
	s = slurp(path);
	ck_assert_ptr_nonnull(strstr(s, "class=\"links-preview\""));
	ck_assert_ptr_nonnull(strstr(s, "class=\"links-footer\""));
	ck_assert_ptr_nonnull(strstr(s, "Giảm &lt;20%&gt; &amp; hơn"));
	ck_assert_ptr_null(strstr(s, "Giảm <20%>"));
	ck_assert_int_eq(logged(&f), before);
	fixture_close(&f);
}
END_TEST

/* sample_suite - the tests of sender/sample.c */
static Suite *
sample_suite(void)
{
	Suite  *s = suite_create("sample");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sample_is_the_first_customer_who_may_get_it);
	tcase_add_test(tc, test_sample_test_goes_only_to_staff_and_records_nothing);
	tcase_add_test(tc, test_sample_preview_writes_text_and_html_and_records_nothing);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(sample_suite()));
}
