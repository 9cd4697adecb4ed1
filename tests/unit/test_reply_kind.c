/*
 * NAME
 *	test_reply_kind 1 (test program)
 * SUMMARY
 *	unit tests of reply_kind: reply, auto-reply or bounce
 * SYNOPSIS
 *	test_reply_kind (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	An auto-reply is known by its headers or by a prefix its responder adds,
 *	never by words of our own Subject; a postmaster@ writing with a real
 *	envelope sender is a customer.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "reply_kind.h"
#include "reply_lex.h"
#include "reply_mime.h"
#include "unit.h"

static struct reply_lex *lx;
static const struct reply_mime_limits lim = {64, 8, 256 * 1024};

static void
setup(void)
{
	char	err[256];

	lx = reply_lex_new(err, sizeof(err));
	ck_assert_msg(lx != NULL, "%s", err);
}

static void
teardown(void)
{
	reply_lex_free(lx);
}

/* kind_of - the kind of MSG from envelope sender FROM; its rule into *WHY */
static enum reply_kind
kind_of(const char *msg, const char *from, const char **why)
{
	struct reply_mime m;
	enum reply_kind k;

	ck_assert_int_eq(reply_mime_parse(&m, msg, strlen(msg), &lim), 0);
	*why = reply_kind_detect(lx, &m, m.subject, from, &k);
	reply_mime_free(&m);
	return (k);
}

START_TEST(test_reply_kind_auto_reply_only_by_the_responders_prefix)
{
	static const char *const autos[] = {
		"Subject: Trả lời tự động: Ưu đãi\n\nx", "Subject: Automatic reply: Offer\n\nx",
		"Subject: [Out of Office] Offer\n\nx", "Subject: Vắng mặt\n\nx", "Subject: Out of Office AutoReply: x\n\nx", NULL
	};
	static const char *const replies[] = {
		"Subject: Re: LINKS ra mắt tính năng trả lời tự động\n\nx", "Subject: RE: Cách bật Out of Office\n\nx",
		"Subject: Re: Lịch nghỉ phép Tết\n\nx", "Subject: Vắng mặt hôm nay có sao không\n\nx", NULL
	};
	const char *why;
	size_t	i;

	for (i = 0; autos[i]; i++) {
		ck_assert_msg(kind_of(autos[i], "a@x.vn", &why) == REPLY_KIND_AUTO_REPLY, "%s", autos[i]);
		ck_assert_str_eq(why, "auto_reply:subject");
	}
	for (i = 0; replies[i]; i++)
		ck_assert_msg(kind_of(replies[i], "a@x.vn", &why) == REPLY_KIND_REPLY, "%s", replies[i]);
}
END_TEST

START_TEST(test_reply_kind_postmaster_with_a_real_sender_is_a_customer)
{
	const char *msg = "From: Postmaster <postmaster@abc.vn>\nSubject: Re: x\n\nTừ chối\n";
	const char *rp = "Return-Path: <postmaster@abc.vn>\nFrom: postmaster@abc.vn\nSubject: Re: x\n\nTừ chối\n";
	const char *why;

	ck_assert_int_eq(kind_of(msg, "postmaster@abc.vn", &why), REPLY_KIND_REPLY);
	ck_assert_int_eq(kind_of(rp, NULL, &why), REPLY_KIND_REPLY);
	ck_assert_int_eq(kind_of(msg, NULL, &why), REPLY_KIND_BOUNCE);	/* unknown sender: a daemon */
	ck_assert_str_eq(why, "bounce:mailer_daemon");
	ck_assert_int_eq(kind_of(msg, "", &why), REPLY_KIND_BOUNCE);
	ck_assert_str_eq(why, "bounce:null_sender");
}
END_TEST

START_TEST(test_reply_kind_auto_headers)
{
	const char *why;

	ck_assert_int_eq(kind_of("Auto-Submitted: auto-replied\nSubject: Re: x\n\nx", "a@x.vn", &why),
			 REPLY_KIND_AUTO_REPLY);
	ck_assert_int_eq(kind_of("Auto-Submitted: no\nSubject: Re: x\n\nx", "a@x.vn", &why), REPLY_KIND_REPLY);
	ck_assert_int_eq(kind_of("Precedence: bulk\nSubject: x\n\nx", "a@x.vn", &why), REPLY_KIND_AUTO_REPLY);
	ck_assert_str_eq(why, "auto_reply:precedence");
}
END_TEST

START_TEST(test_reply_kind_bounce_lists_only_permanent_failures)
{
	const char *m = "From: MAILER-DAEMON\nContent-Type: message/delivery-status\n\n"
	    "Final-Recipient: rfc822;a@x.vn\nAction: failed\nStatus: 5.0.0\n\n"
	    "Final-Recipient: rfc822;b@x.vn\nAction: delayed\nStatus: 4.0.0\n\n"
	    "Final-Recipient: rfc822;not an address\nAction: failed\nStatus: 5.0.0\n";
	const char *x = "From: MAILER-DAEMON\nX-Failed-Recipients: c@x.vn, d@x.vn\nSubject: failed\n\nx";
	struct reply_mime mm;
	struct reply_bounces b = {NULL, 0};

	ck_assert_int_eq(reply_mime_parse(&mm, m, strlen(m), &lim), 0);
	ck_assert_int_eq(reply_kind_bounces(&mm, &b), 0);
	ck_assert_uint_eq(b.n, 1);
	ck_assert_str_eq(b.addr[0], "a@x.vn");
	reply_kind_bounces_free(&b);
	reply_mime_free(&mm);
	ck_assert_int_eq(reply_mime_parse(&mm, x, strlen(x), &lim), 0);
	ck_assert_int_eq(reply_kind_bounces(&mm, &b), 0);
	ck_assert_uint_eq(b.n, 2);
	ck_assert_str_eq(b.addr[1], "d@x.vn");
	reply_kind_bounces_free(&b);
	reply_mime_free(&mm);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_kind");
	TCase  *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reply_kind_auto_reply_only_by_the_responders_prefix);
	tcase_add_test(tc, test_reply_kind_postmaster_with_a_real_sender_is_a_customer);
	tcase_add_test(tc, test_reply_kind_auto_headers);
	tcase_add_test(tc, test_reply_kind_bounce_lists_only_permanent_failures);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
