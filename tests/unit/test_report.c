/*
 * NAME
 *	test_report 1
 * SUMMARY
 *	unit tests of links-sender status (sender/report.c)
 * SYNOPSIS
 *	test_report
 * DESCRIPTION
 *	The list of campaigns and one campaign's report, read from a real
 *	store, written to a file and read back.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "report.h"
#include "sender_fixture.h"
#include "unit.h"

/* status_text - report_status() of campaign ID as text (static); *EX its status */
static const char *
status_text(struct fixture *f, int64_t id, int *ex)
{
	static char buf[8192];
	FILE   *fp = tmpfile();
	size_t	n;

	ck_assert_ptr_nonnull(fp);
	*ex = report_status(f->conf, id, fp);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = 0;
	fclose(fp);
	return (buf);
}

START_TEST(test_report_lists_campaigns_with_counts)
{
	struct fixture f;
	int64_t cid;
	const char *s;
	int	ex;

	fixture_open(&f);
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_MAINTENANCE, "maintenance",
					       "all customers; service_type=vps", "{}", &cid), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, f.a, "1@ilinks.asia", STORE_DLV_QUEUED, ""),
			 STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, f.d, "2@ilinks.asia", STORE_DLV_SKIPPED,
					    "undeliverable address"), STORE_OK);
	s = status_text(&f, 0, &ex);
	ck_assert_int_eq(ex, EX_OK);
	ck_assert_ptr_nonnull(strstr(s, "category"));
	ck_assert_ptr_nonnull(strstr(s, "maintenance"));
	ck_assert_ptr_nonnull(strstr(s, "open"));
	s = status_text(&f, cid, &ex);
	ck_assert_int_eq(ex, EX_OK);
	ck_assert_ptr_nonnull(strstr(s, "audience: all customers; service_type=vps"));
	s = status_text(&f, 99, &ex);
	ck_assert_int_eq(ex, EX_NOINPUT);
	fixture_close(&f);
}
END_TEST

/* report_suite - the tests of sender/report.c */
static Suite *
report_suite(void)
{
	Suite  *s = suite_create("report");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_report_lists_campaigns_with_counts);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(report_suite()));
}
