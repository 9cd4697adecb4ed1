/*
 * NAME
 *	test_mime 1
 * SUMMARY
 *	unit tests of building a MIME message (sender/mime.c)
 * SYNOPSIS
 *	test_mime
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
#include "mime.h"
#include "sender_fixture.h"
#include "store.h"
#include "unit.h"

START_TEST(test_mime_header_lines_fold_within_78)
{
	struct mime_msg m;
	char	err[256], *out;
	size_t	len;
	char	subject[600] = "";
	int	i;

	for (i = 0; i < 12; i++)
		strcat(subject, "Thông báo bảo trì ");
	memset(&m, 0, sizeof(m));
	m.from_addr = "noreply@ilinks.asia";
	m.from_name = "LINKS";
	m.to_addr = "an.nguyen@example.vn";
	m.to_name = "Nguyễn Văn An Nguyễn Văn An Nguyễn Văn An Nguyễn Văn An Nguyễn Văn An";
	m.subject_label = "[QC]";
	m.subject = subject;
	m.message_id = "abc123@ilinks.asia";
	m.date = 1700000000;
	m.text = "Xin chào\nDòng hai\n";
	m.html = "<p>Xin chào</p>";
	ck_assert_int_eq(mime_build(&m, &out, &len, err, sizeof(err)), 0);
	ck_assert_int_le(longest_header_line(out), 78);
	ck_assert_ptr_nonnull(strstr(out, "Message-ID: <abc123@ilinks.asia>\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "MIME-Version: 1.0\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "multipart/alternative"));
	ck_assert_ptr_nonnull(strstr(out, "Content-Transfer-Encoding: base64"));
	ck_assert_ptr_nonnull(strstr(header(out, "Subject"), " [QC]"));
	free(out);
}
END_TEST

START_TEST(test_mime_crlf_in_name_cannot_add_a_header)
{
	struct mime_msg m;
	char	err[256], *out = NULL;
	size_t	len;

	memset(&m, 0, sizeof(m));
	m.from_addr = "noreply@ilinks.asia";
	m.to_addr = "an@example.vn";
	m.to_name = "An\r\nBcc: victim@example.com";
	m.subject = "s";
	m.message_id = "x@ilinks.asia";
	m.text = "t";
	ck_assert_int_eq(mime_build(&m, &out, &len, err, sizeof(err)), -1);
	ck_assert_ptr_null(out);
	ck_assert_ptr_null(strstr(err, "victim"));
	m.to_name = "An";
	m.subject = "s\nBcc: victim@example.com";
	ck_assert_int_eq(mime_build(&m, &out, &len, err, sizeof(err)), -1);
	m.subject = "s";
	m.message_id = "x@ilinks.asia>\r\nBcc: <v@e.com";
	ck_assert_int_eq(mime_build(&m, &out, &len, err, sizeof(err)), -1);
}
END_TEST

/* mime_suite - the tests of sender/mime.c */
static Suite *
mime_suite(void)
{
	Suite  *s = suite_create("mime");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_mime_header_lines_fold_within_78);
	tcase_add_test(tc, test_mime_crlf_in_name_cannot_add_a_header);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(mime_suite()));
}
