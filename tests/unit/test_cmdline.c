/*
 * NAME
 *	test_cmdline 1
 * SUMMARY
 *	unit tests of cmdline: the daemons' shared command line
 * DESCRIPTION
 *	The common options land in their fields, -o collects overrides in
 *	order, the program's own long option is taken only when it has one,
 *	--help and --version answer CMDLINE_DONE, and a bad option, a bad
 *	-o or an operand is EX_USAGE.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cmdline.h"
#include "unit.h"

static int usage_calls;

/* tc_usage - counts the calls; writes nothing */
static void
tc_usage(FILE *fp)
{
	(void) fp;
	usage_calls++;
}

static const struct cmdline_spec tc_milter = {"links-milter", tc_usage, "classify"};
static const struct cmdline_spec tc_web = {"links-web", tc_usage, NULL};

/* tc_parse - parse the NULL-terminated ARGS (argv[0] included) with SPEC */
static int
tc_parse(const struct cmdline_spec *spec, struct cmdline *cl, char **args)
{
	int	argc = 0;

	while (args[argc])
		argc++;
	usage_calls = 0;
	return (cmdline_parse(argc, args, spec, cl));
}

START_TEST(test_cmdline_common_options_and_overrides_in_order)
{
	char   *args[] = {"p", "-c", "/etc/x.conf", "-f", "-e", "-n", "-o", "log_level=debug",
			  "-o", "socket=unix:/tmp/s", NULL};
	struct cmdline cl;

	ck_assert_int_eq(tc_parse(&tc_web, &cl, args), EX_OK);
	ck_assert_str_eq(cl.conf_path, "/etc/x.conf");
	ck_assert_int_eq(cl.foreground + cl.to_stderr + cl.test_only, 3);
	ck_assert_ptr_null(cl.extra);
	ck_assert_uint_eq(cl.ov.n, 2);
	ck_assert_str_eq(cl.ov.item[0], "log_level=debug");
	ck_assert_str_eq(cl.ov.item[1], "socket=unix:/tmp/s");
}
END_TEST

START_TEST(test_cmdline_own_long_option_only_for_its_program)
{
	char   *args[] = {"p", "--classify", "-", NULL};
	char   *args2[] = {"p", "--classify", "-", NULL};
	struct cmdline cl;

	ck_assert_int_eq(tc_parse(&tc_milter, &cl, args), EX_OK);
	ck_assert_str_eq(cl.extra, "-");
	ck_assert_ptr_null(cl.conf_path);
	ck_assert_int_eq(tc_parse(&tc_web, &cl, args2), EX_USAGE);
	ck_assert_int_eq(usage_calls, 1);
}
END_TEST

START_TEST(test_cmdline_help_and_version_are_done)
{
	char   *help[] = {"p", "--help", NULL};
	char   *version[] = {"p", "--version", NULL};
	struct cmdline cl;

	ck_assert_int_eq(tc_parse(&tc_web, &cl, help), CMDLINE_DONE);
	ck_assert_int_eq(usage_calls, 1);
	ck_assert_int_eq(tc_parse(&tc_milter, &cl, version), CMDLINE_DONE);
	ck_assert_int_eq(usage_calls, 0);
}
END_TEST

START_TEST(test_cmdline_bad_option_override_or_operand_is_usage)
{
	char   *bad[] = {"p", "-x", NULL};
	char   *ov[] = {"p", "-o", "no-equals-sign", NULL};
	char   *operand[] = {"p", "-f", "extra", NULL};
	char   *noarg[] = {"p", "-c", NULL};
	struct cmdline cl;

	ck_assert_int_eq(tc_parse(&tc_milter, &cl, bad), EX_USAGE);
	ck_assert_int_eq(usage_calls, 1);
	ck_assert_int_eq(tc_parse(&tc_milter, &cl, ov), EX_USAGE);
	ck_assert_int_eq(tc_parse(&tc_web, &cl, operand), EX_USAGE);
	ck_assert_int_eq(usage_calls, 1);
	ck_assert_int_eq(tc_parse(&tc_web, &cl, noarg), EX_USAGE);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("cmdline");
	TCase  *tc = tcase_create("cmdline");

	tcase_add_test(tc, test_cmdline_common_options_and_overrides_in_order);
	tcase_add_test(tc, test_cmdline_own_long_option_only_for_its_program);
	tcase_add_test(tc, test_cmdline_help_and_version_are_done);
	tcase_add_test(tc, test_cmdline_bad_option_override_or_operand_is_usage);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
