/*
 * NAME
 *	test_milter_dsn 1
 * SUMMARY
 *	unit tests of milter_dsn: delivery status notifications
 * DESCRIPTION
 *	Per-recipient class (hard 5.x.x, soft 4.x.x or delayed, other),
 *	Final- before Original-Recipient, the returned Message-ID from
 *	text/rfc822-headers and message/rfc822, folded headers, encoded
 *	parts not read, a message that is not a report.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milter_dsn.h"
#include "unit.h"

static const char postfix_dsn[] =
	"From: MAILER-DAEMON@mx.example.vn (Mail Delivery System)\r\n"
	"Subject: Undelivered Mail Returned to Sender\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/report; report-type=delivery-status;\r\n"
	"\tboundary=\"4XyZ.1700000000/mx.example.vn\"\r\n\r\n"
	"This is a MIME-encapsulated message.\r\n\r\n"
	"--4XyZ.1700000000/mx.example.vn\r\n"
	"Content-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
	"I'm sorry to have to inform you...\r\n\r\n"
	"--4XyZ.1700000000/mx.example.vn\r\n"
	"Content-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n"
	"Reporting-MTA: dns; mx.example.vn\r\nX-Postfix-Queue-ID: 4XyZ\r\n\r\n"
	"Final-Recipient: rfc822; C1@Example.VN\r\nOriginal-Recipient: rfc822;c1@example.vn\r\n"
	"Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
	"Final-Recipient: rfc822; c2@example.vn\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n"
	"Original-Recipient: rfc822; c3@example.vn\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n"
	"--4XyZ.1700000000/mx.example.vn\r\n"
	"Content-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\n"
	"From: LINKS <noreply@ilinks.asia>\r\nSubject: Khuyen mai\r\n"
	"Message-ID:\r\n <camp7.c1.abc@ilinks.asia>\r\n\r\n"
	"--4XyZ.1700000000/mx.example.vn--\r\n";

START_TEST(test_dsn_classes_recipients_and_returned_msgid)
{
	struct mdsn d;

	ck_assert_int_eq(mdsn_parse(postfix_dsn, strlen(postfix_dsn), &d), 1);
	ck_assert_uint_eq(d.nrcpt, 3);
	ck_assert_str_eq(d.rcpt[0].addr, "C1@Example.VN");
	ck_assert_int_eq(d.rcpt[0].cls, MDSN_HARD);
	ck_assert_str_eq(d.rcpt[1].addr, "c2@example.vn");
	ck_assert_int_eq(d.rcpt[1].cls, MDSN_SOFT);
	ck_assert_str_eq(d.rcpt[2].addr, "c3@example.vn");
	ck_assert_int_eq(d.rcpt[2].cls, MDSN_OTHER);
	ck_assert_str_eq(d.msgid, "camp7.c1.abc@ilinks.asia");
}
END_TEST

START_TEST(test_dsn_message_rfc822_and_failed_without_status)
{
	static const char m[] =
		"Content-Type: multipart/report; report-type=delivery-status; boundary=x\n\n"
		"--x\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; a\n\n"
		"Final-Recipient: rfc822;o@example.vn\nAction: failed\n\n"
		"--x\nContent-Type: message/rfc822\n\nSubject: s\nMessage-Id: <m1@ilinks.asia>\n\nbody\n"
		"--x--\n";
	struct mdsn d;

	ck_assert_int_eq(mdsn_parse(m, strlen(m), &d), 1);
	ck_assert_uint_eq(d.nrcpt, 1);
	ck_assert_int_eq(d.rcpt[0].cls, MDSN_HARD);
	ck_assert_str_eq(d.msgid, "m1@ilinks.asia");
}
END_TEST

START_TEST(test_dsn_encoded_part_and_plain_message_prove_nothing)
{
	static const char enc[] =
		"Content-Type: multipart/report; boundary=\"y\"\n\n--y\n"
		"Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n"
		"UmVwb3J0aW5nLU1UQTogZG5zOyBh\n--y--\n";
	static const char plain[] =
		"Content-Type: text/plain\n\nFinal-Recipient: rfc822; x@example.vn\nStatus: 5.0.0\n";
	struct mdsn d;

	ck_assert_int_eq(mdsn_parse(enc, strlen(enc), &d), 0);
	ck_assert_uint_eq(d.nrcpt, 0);
	ck_assert_int_eq(mdsn_parse(plain, strlen(plain), &d), 0);
	ck_assert_uint_eq(d.nrcpt, 0);
	ck_assert_str_eq(d.msgid, "");
	ck_assert_int_eq(mdsn_parse("", 0, &d), 0);
}
END_TEST

START_TEST(test_dsn_recipients_are_bounded)
{
	size_t	cap = 64 * (MDSN_RCPT_MAX + 50) + 512, n;
	char   *m = malloc(cap);
	struct mdsn *d = malloc(sizeof(*d));

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(d);
	n = (size_t) snprintf(m, cap, "Content-Type: multipart/report; boundary=b\n\n--b\n"
			      "Content-Type: message/delivery-status\n\nReporting-MTA: dns; a\n\n");
	for (int i = 0; i < MDSN_RCPT_MAX + 50; i++)
		n += (size_t) snprintf(m + n, cap - n, "Final-Recipient: rfc822; r%d@x.vn\n"
				       "Status: 5.1.1\n\n", i);
	ck_assert_int_eq(mdsn_parse(m, n, d), 1);
	ck_assert_uint_eq(d->nrcpt, MDSN_RCPT_MAX);
	free(d);
	free(m);
}
END_TEST

/* milter_dsn_suite - the tests of this file */
static Suite *
milter_dsn_suite(void)
{
	Suite  *s = suite_create("milter_dsn");
	TCase  *tc = tcase_create("dsn");

	tcase_add_test(tc, test_dsn_classes_recipients_and_returned_msgid);
	tcase_add_test(tc, test_dsn_message_rfc822_and_failed_without_status);
	tcase_add_test(tc, test_dsn_encoded_part_and_plain_message_prove_nothing);
	tcase_add_test(tc, test_dsn_recipients_are_bounded);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_dsn_suite()));
}
