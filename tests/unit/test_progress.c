/*
 * NAME
 *	test_progress 1
 * SUMMARY
 *	unit tests of the progress display (sender/progress.c)
 * SYNOPSIS
 *	test_progress
 * DESCRIPTION
 *	On a file (not a terminal) the display is plain lines: each tenth
 *	of the way, with the counts, the rate and the time left (ETA).
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "progress.h"
#include "unit.h"

START_TEST(test_progress_lines_show_rate_and_eta)
{
	FILE   *fp = tmpfile();
	struct progress *p;
	struct timespec tick = {0, 200000000L};
	char	buf[4096];
	size_t	n;
	int	m1, s1;

	ck_assert_ptr_nonnull(fp);
	p = progress_new(fp, 100, PROGRESS_AUTO);
	ck_assert_ptr_nonnull(p);
	nanosleep(&tick, NULL);
	progress_update(p, 8, 1, 1);	/* a tenth of the way after 0.2 s */
	progress_done(p);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = 0;
	fclose(fp);
	ck_assert_msg(strstr(buf, "progress: 10/100 (10%) sent 8 failed 1 skipped 1") != NULL, "%s",
		      buf);
	ck_assert_msg(strstr(buf, "msg/s, ETA ") != NULL, "%s", buf);
	/* 90 left at 10 per 0.2 s (or a little more on a slow machine): about 2 s. */
	ck_assert_int_eq(sscanf(strstr(buf, "ETA ") + 4, "%d:%d", &m1, &s1), 2);
	ck_assert_int_eq(m1, 0);
	ck_assert_msg(s1 >= 1 && s1 <= 30, "ETA 0:%02d", s1);
}
END_TEST

START_TEST(test_progress_off_prints_nothing)
{
	FILE   *fp = tmpfile();
	struct progress *p = progress_new(fp, 10, PROGRESS_OFF);

	progress_update(p, 10, 0, 0);
	progress_done(p);
	ck_assert_int_eq(ftell(fp), 0);
	fclose(fp);
}
END_TEST

/* progress_suite - the tests of sender/progress.c */
static Suite *
progress_suite(void)
{
	Suite  *s = suite_create("progress");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_progress_lines_show_rate_and_eta);
	tcase_add_test(tc, test_progress_off_prints_nothing);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(progress_suite()));
}
