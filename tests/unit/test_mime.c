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
#include <time.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include <openssl/evp.h>

#include "conf.h"
#include "mime.h"
#include "mime_int.h"
#include "sender_fixture.h"
#include "store.h"
#include "unit.h"

#define B64_TRIES	400	/* random texts the base64 test encodes */
#define B64_TEXT_MAX	300	/* their longest, past five lines of 57 bytes */

START_TEST(test_mime_base64_body_is_openssls_in_lines_of_76)
{
	unsigned char text[B64_TEXT_MAX + 3], line[128];
	char   *got, *want, *w;
	size_t	len, glen, i, n, k;
	int	t;

	srand(20261201);
	for (t = 0; t < B64_TRIES; t++) {
		/* Bytes 1-255 but CR and LF, any length: every remainder of 3 and 57. */
		len = (size_t) t < B64_TEXT_MAX ? (size_t) t : (size_t) (rand() % B64_TEXT_MAX);
		for (i = 0; i < len; i++)
			do
				text[i] = (unsigned char) (1 + rand() % 255);
			while (text[i] == '\r' || text[i] == '\n');
		text[len] = 0;
		ck_assert_ptr_nonnull(got = mime_encode_body((const char *) text, &glen));
		/* The reference: OpenSSL's encoder over the text and its final CRLF. */
		memcpy(text + len, "\r\n", 3);
		len += 2;
		ck_assert_ptr_nonnull(want = w = calloc(1, (len / 57 + 1) * 78 + 1));
		for (i = 0; i < len; i += n) {
			n = len - i < 57 ? len - i : 57;
			k = (size_t) EVP_EncodeBlock(line, text + i, (int) n);
			memcpy(w, line, k);
			memcpy(w + k, "\r\n", 2);
			w += k + 2;
		}
		ck_assert_uint_eq(glen, (size_t) (w - want));
		ck_assert_str_eq(got, want);
		free(got);
		free(want);
	}
}
END_TEST

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

/*
 * The Date of a message: what libetpan's mailimf_get_date() gives in a
 * zone of whole hours (Vietnam, UTC, New York across both daylight
 * saving changes), and the zone's real offset where it has half or
 * quarter hours (libetpan writes +0550 for +0530). POSIX TZ strings:
 * no time zone files needed.
 */
START_TEST(test_mime_date_is_libetpans_in_whole_hours_and_right_in_half_hours)
{
	static const struct {
		const char *tz;
		int	whole;		/* whole hours: libetpan's value exactly */
		int	zone[2];	/* expected +hhmm: winter, summer */
	} z[] = {
		{"ICT-7", 1, {700, 700}},
		{"UTC0", 1, {0, 0}},
		{"EST5EDT,M3.2.0,M11.1.0", 1, {-500, -400}},
		{"IST-5:30", 0, {530, 530}},
		{"NST3:30NDT,M3.2.0,M11.1.0", 0, {-330, -230}},
		{"NPT-5:45", 0, {545, 545}},
	};
	/* 2025-01-15 12:00 UTC, then every 7 h 13 min 17 s through the year:
	 * every hour of the day, both daylight saving changes. */
	const time_t t0 = 1736942400, step = 7 * 3600 + 13 * 60 + 17;
	char   *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	size_t	i;
	int	k;

	for (i = 0; i < sizeof(z) / sizeof(z[0]); i++) {
		setenv("TZ", z[i].tz, 1);
		tzset();
		for (k = 0; k < 1300; k++) {
			time_t	t = t0 + k * step;
			struct mailimf_date_time *a = mime_date(t), *b = mailimf_get_date(t);
			struct tm lt;

			ck_assert_ptr_nonnull(a);
			ck_assert_ptr_nonnull(b);
			ck_assert_ptr_nonnull(localtime_r(&t, &lt));
			ck_assert_int_eq(a->dt_year, b->dt_year);
			ck_assert_int_eq(a->dt_month, b->dt_month);
			ck_assert_int_eq(a->dt_day, b->dt_day);
			ck_assert_int_eq(a->dt_hour, b->dt_hour);
			ck_assert_int_eq(a->dt_min, b->dt_min);
			ck_assert_int_eq(a->dt_sec, b->dt_sec);
			if (z[i].whole)
				ck_assert_int_eq(a->dt_zone, b->dt_zone);
			ck_assert_int_eq(a->dt_zone, z[i].zone[lt.tm_isdst > 0]);
			mailimf_date_time_free(a);
			mailimf_date_time_free(b);
		}
	}
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}
END_TEST

/* mime_suite - the tests of sender/mime.c */
static Suite *
mime_suite(void)
{
	Suite  *s = suite_create("mime");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_mime_base64_body_is_openssls_in_lines_of_76);
	tcase_add_test(tc, test_mime_header_lines_fold_within_78);
	tcase_add_test(tc, test_mime_crlf_in_name_cannot_add_a_header);
	tcase_add_test(tc, test_mime_date_is_libetpans_in_whole_hours_and_right_in_half_hours);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(mime_suite()));
}
