/*
 * NAME
 *	test_conf 1
 * SUMMARY
 *	unit tests of links.conf(5) parsing
 * DESCRIPTION
 *	Each test writes a small config file into a temporary directory and
 *	checks the values read, or the "FILE:LINE: message" of the error.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "unit.h"

static char tmpdir[] = "/tmp/test_conf.XXXXXX";
static char path[256];

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/links.conf", tmpdir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(tmpdir);
	strcpy(tmpdir, "/tmp/test_conf.XXXXXX");
}

static void write_file(const char *text)
{
	FILE   *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Load PATH expecting failure; returns the error text (static). */
static const char *load_error(void)
{
	static char err[CONF_ERR_MAX];
	struct conf *c;

	err[0] = 0;
	c = conf_load(path, err, sizeof(err));
	ck_assert_msg(c == NULL, "expected an error");
	return err;
}

START_TEST(test_conf_defaults_are_complete)
{
	struct conf *c = conf_defaults();

	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(conf_noreply_address(c), "noreply@ilinks.asia");
	ck_assert_str_eq(conf_support_address(c), "support@ilinks.asia");
	ck_assert_int_eq(conf_retention_grace_days(c), 30);
	ck_assert_int_eq(conf_max_body_size(c), 1024 * 1024);
	ck_assert_uint_eq(conf_company_domains_count(c), 1);
	ck_assert_str_eq(conf_company_domains_item(c, 0), "ilinks.asia");
	ck_assert_uint_eq(conf_refusal_pattern_count(c), 0);
	ck_assert_ptr_nonnull(strstr(conf_contact_address(c), "33 Cầu Diễn"));
	ck_assert_str_eq(conf_contact_phone(c), "0249 996 3579");
	/* Path defaults have their markers expanded. */
	ck_assert_ptr_null(strchr(conf_store_path(c), '@'));
	ck_assert_ptr_nonnull(strstr(conf_key_file(c), "/links/keys/master.key"));
	conf_free(c);
}
END_TEST

START_TEST(test_conf_values_comments_continuations)
{
	struct conf *c;
	char    err[CONF_ERR_MAX];

	write_file("# a comment\n"
		   "\n"
		   "store_path = /tmp/x.db\n"
		   "  # indented comment\n"
		   "retention_grace_days=7\n"
		   "company_domains = a.example,\n"
		   "    b.example c.example\n"
		   "max_body_size = 64k\n"
		   "refusal_pattern = ^stop$\n"
		   "refusal_pattern = ^dừng lại$\n"
		   "optout_from_policy = never\n"
		   "contact_phone = 1234\r\n");
	c = conf_load(path, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(conf_store_path(c), "/tmp/x.db");
	ck_assert_int_eq(conf_retention_grace_days(c), 7);
	ck_assert_uint_eq(conf_company_domains_count(c), 3);
	ck_assert_str_eq(conf_company_domains_item(c, 2), "c.example");
	ck_assert_int_eq(conf_max_body_size(c), 65536);
	ck_assert_uint_eq(conf_refusal_pattern_count(c), 2);
	ck_assert_str_eq(conf_refusal_pattern_item(c, 1), "^dừng lại$");
	ck_assert_str_eq(conf_optout_from_policy(c), "never");
	ck_assert_str_eq(conf_contact_phone(c), "1234");
	ck_assert_str_eq(conf_file(c), path);
	conf_free(c);
}
END_TEST

START_TEST(test_conf_unknown_key_names_file_and_line)
{
	char    want[512];

	write_file("store_path = /x\n\n# c\nstore_pathh = /y\n");
	snprintf(want, sizeof(want), "%s:4: unknown option \"store_pathh\"", path);
	ck_assert_str_eq(load_error(), want);
}
END_TEST

START_TEST(test_conf_bad_values_name_file_and_line)
{
	char    want[512];

	write_file("retention_grace_days = soon\n");
	snprintf(want, sizeof(want), "%s:1: retention_grace_days: \"soon\" is not a whole number", path);
	ck_assert_str_eq(load_error(), want);

	write_file("store_busy_timeout = 1\nbounce_threshold = 0\n");
	ck_assert_ptr_nonnull(strstr(load_error(), ":2: bounce_threshold: 0 is out of range"));

	write_file("optout_from_policy = maybe\n");
	ck_assert_ptr_nonnull(strstr(load_error(), ":1: optout_from_policy: \"maybe\" is not one of"));

	write_file("max_body_size = 12q\n");
	ck_assert_ptr_nonnull(strstr(load_error(), ":1: max_body_size: \"12q\" is not a size"));

	write_file("consent_retention_days = 30\n");	/* the law says a year */
	ck_assert_ptr_nonnull(strstr(load_error(), "out of range (365 to"));

	write_file("just some words\n");
	ck_assert_ptr_nonnull(strstr(load_error(), ":1: expected \"name = value\""));

	write_file("  = x\n");
	ck_assert_ptr_nonnull(strstr(load_error(), ":1: continuation line without an option"));

	write_file("a\n= 3\n");
	ck_assert_ptr_nonnull(strstr(load_error(), ":1: expected"));
}
END_TEST

START_TEST(test_conf_multiline_error_reports_first_line)
{
	write_file("# x\nretention_grace_days =\n   abc\n");
	ck_assert_ptr_nonnull(strstr(load_error(), ":2: retention_grace_days: \"abc\""));
}
END_TEST

START_TEST(test_conf_unreadable_file_is_an_error)
{
	char    err[CONF_ERR_MAX];
	char    missing[512];

	snprintf(missing, sizeof(missing), "%s/nope.conf", tmpdir);
	ck_assert_ptr_null(conf_load(missing, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, missing));
	ck_assert_ptr_nonnull(strstr(err, "cannot open"));
	ck_assert_ptr_null(conf_load(tmpdir, err, sizeof(err)));	/* a directory */
}
END_TEST

START_TEST(test_conf_long_line_is_an_error_not_a_crash)
{
	size_t  n = CONF_LINE_MAX * 3;
	char   *big = malloc(n + 32);

	ck_assert_ptr_nonnull(big);
	strcpy(big, "company_name = ");
	memset(big + strlen(big), 'x', n);
	big[n] = '\n';
	big[n + 1] = 0;
	write_file(big);
	free(big);
	ck_assert_ptr_nonnull(strstr(load_error(), ":1: line too long"));
}
END_TEST

START_TEST(test_conf_env_selects_default_path)
{
	setenv("LINKS_CONF", "/nonexistent/links.conf", 1);
	ck_assert_str_eq(conf_default_path(), "/nonexistent/links.conf");
	unsetenv("LINKS_CONF");
	ck_assert_ptr_nonnull(strstr(conf_default_path(), "/links/links.conf"));
}
END_TEST

START_TEST(test_conf_refcount_keeps_config_alive)
{
	struct conf *c = conf_defaults();
	struct conf *r = conf_ref(c);

	ck_assert_ptr_eq(c, r);
	conf_free(c);
	ck_assert_str_eq(conf_company_name(r), "LINKS");	/* still valid */
	conf_free(r);
}
END_TEST

START_TEST(test_conf_set_validates_like_the_file)
{
	struct conf *c = conf_defaults();
	char    err[CONF_ERR_MAX];

	ck_assert_int_eq(conf_set(c, "smtp_port", "2525", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_smtp_port(c), 2525);
	ck_assert_int_eq(conf_set(c, "smtp_port", "70000", err, sizeof(err)), -1);
	ck_assert_int_eq(conf_set(c, "nonsense", "1", err, sizeof(err)), -1);
	ck_assert_int_eq(conf_set(c, "company_name", "a\nb", err, sizeof(err)), -1);
	ck_assert_int_eq(conf_known("store_path"), 1);
	ck_assert_int_eq(conf_known("nonsense"), 0);
	conf_free(c);
}
END_TEST

START_TEST(test_conf_sample_file_loads)
{
	struct conf *c;
	char    err[CONF_ERR_MAX];

	c = conf_load(TOP_SRCDIR "/config/links.conf", err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	conf_free(c);
}
END_TEST

int     main(void)
{
	Suite  *s = suite_create("conf");
	TCase  *tc = tcase_create("conf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_conf_defaults_are_complete);
	tcase_add_test(tc, test_conf_values_comments_continuations);
	tcase_add_test(tc, test_conf_unknown_key_names_file_and_line);
	tcase_add_test(tc, test_conf_bad_values_name_file_and_line);
	tcase_add_test(tc, test_conf_multiline_error_reports_first_line);
	tcase_add_test(tc, test_conf_unreadable_file_is_an_error);
	tcase_add_test(tc, test_conf_long_line_is_an_error_not_a_crash);
	tcase_add_test(tc, test_conf_env_selects_default_path);
	tcase_add_test(tc, test_conf_refcount_keeps_config_alive);
	tcase_add_test(tc, test_conf_set_validates_like_the_file);
	tcase_add_test(tc, test_conf_sample_file_loads);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
