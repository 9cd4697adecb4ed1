/*
 * NAME
 *	test_transport 1
 * SUMMARY
 *	unit tests of the transports (sender/transport*.c)
 * SYNOPSIS
 *	test_transport
 * DESCRIPTION
 *	The table of kinds agrees with the choices of the "transport"
 *	option; the dir transport writes whole files under safe names;
 *	the sendmail transport runs a real program and reads its exit
 *	status (0 accepted, EX_TEMPFAIL and signals temporary, others
 *	permanent). The SMTP transport is tests/sender-smtp.sh (a real
 *	server on loopback).
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "conf_options.h"
#include "sender_fixture.h"
#include "transport.h"
#include "unit.h"

#define MSG "Subject: t\r\n\r\nbody\r\n"

START_TEST(test_transport_table_matches_the_transport_option)
{
	const char *choices = conf_options[CONF_ID_transport].choices;
	char	words[256], *w, *save;
	enum transport_kind k;
	int	i, n = 0;

	snprintf(words, sizeof(words), "%s", choices);
	for (w = strtok_r(words, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
		ck_assert_msg(transport_parse(w, &k) == 0, "option choice %s has no transport", w);
		ck_assert_str_eq(transport_name(k), w);
		n++;
	}
	ck_assert_int_eq(n, TRANSPORT_KINDS);
	for (i = 0; i < TRANSPORT_KINDS; i++)
		ck_assert_ptr_nonnull(strstr(choices, transport_name((enum transport_kind) i)));
	ck_assert_int_eq(transport_parse("lmtp", &k), -1);
	ck_assert_int_eq(transport_parse(NULL, &k), -1);
	ck_assert_str_eq(transport_name(TRANSPORT_KINDS), "unknown");
	ck_assert(transport_parallel(TRANSPORT_SMTP));
	ck_assert(!transport_parallel(TRANSPORT_DIR));
}
END_TEST

START_TEST(test_transport_dir_writes_whole_files_under_safe_names)
{
	struct conf *c;
	struct transport *t;
	struct transport_result res;
	char	out[512], err[256];

	make_tmpdir();
	c = test_conf(tmpdir);
	snprintf(out, sizeof(out), "%s/a/b", tmpdir);
	ck_assert_ptr_nonnull(t = transport_open(c, TRANSPORT_DIR, out, err, sizeof(err)));
	ck_assert_int_eq(transport_kind(t), TRANSPORT_DIR);
	ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "r@example.vn", "42", MSG,
					strlen(MSG), &res), TRANSPORT_OK);
	ck_assert_int_eq(count_files(out, "42.eml"), 1);
	ck_assert_int_eq(count_files(out, ".*.tmp"), 0);
	ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "r@example.vn", "../x", MSG,
					strlen(MSG), &res), TRANSPORT_PERM);
	ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "r@example.vn", ".hidden", MSG,
					strlen(MSG), &res), TRANSPORT_PERM);
	transport_close(t);
	conf_free(c);
	remove_tmpdir();
}
END_TEST

/* sendmail_answering - a transport whose sendmail program ends with SCRIPT */
static struct transport *
sendmail_answering(struct conf *c, const char *script)
{
	char	path[512], err[256];
	FILE   *fp;
	struct transport *t;

	snprintf(path, sizeof(path), "%s/sendmail", tmpdir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fprintf(fp, "#!/bin/sh\ncat > '%s/got'\n%s\n", tmpdir, script);
	fclose(fp);
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(conf_set(c, "sendmail_path", path, err, sizeof(err)), 0);
	t = transport_open(c, TRANSPORT_SENDMAIL, NULL, err, sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
	return (t);
}

START_TEST(test_transport_sendmail_exit_status_decides)
{
	static const struct {
		const char *script;
		enum transport_status want;
	} cases[] = {
		{"exit 0", TRANSPORT_OK},
		{"exit 75", TRANSPORT_TEMP},
		{"exit 67", TRANSPORT_PERM},
		{"kill -9 $$", TRANSPORT_TEMP},
	};
	struct conf *c;
	struct transport_result res;
	char	err[256];
	size_t	i;

	make_tmpdir();
	c = test_conf(tmpdir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct transport *t = sendmail_answering(c, cases[i].script);

		ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "r@example.vn", "x", MSG,
						strlen(MSG), &res), cases[i].want);
		transport_close(t);
	}
	/* The program gets the message with LF line ends. */
	ck_assert_int_eq(count_files(tmpdir, "got"), 1);
	{
		struct transport *t = sendmail_answering(c, "exit 0");

		ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "-oQ/tmp@example.vn", "x", MSG,
						strlen(MSG), &res), TRANSPORT_PERM);
		transport_close(t);
	}
	ck_assert_int_eq(conf_set(c, "sendmail_path", "/nonexistent/sendmail", err, sizeof(err)), 0);
	ck_assert_ptr_null(transport_open(c, TRANSPORT_SENDMAIL, NULL, err, sizeof(err)));
	conf_free(c);
	remove_tmpdir();
}
END_TEST

/* transport_suite - the tests of sender/transport.c */
static Suite *
transport_suite(void)
{
	Suite  *s = suite_create("transport");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_transport_table_matches_the_transport_option);
	tcase_add_test(tc, test_transport_dir_writes_whole_files_under_safe_names);
	tcase_add_test(tc, test_transport_sendmail_exit_status_decides);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(transport_suite()));
}
