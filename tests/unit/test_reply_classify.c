/*
 * NAME
 *	test_reply_classify 1 (test program)
 * SUMMARY
 *	unit tests of reply_classify: the verdict of a text and its Subject
 * SYNOPSIS
 *	test_reply_classify (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	What a Subject counts for, the refusal_pattern lines of links.conf,
 *	the reasons.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "reply_classify.h"
#include "reply_lex.h"
#include "unit.h"

static struct reply_lex *lx;
static struct reply_classify *cl;

static void
setup(void)
{
	static const char *const extra[] = {"^xin ngung lien lac$"};
	char	err[256];

	lx = reply_lex_new(err, sizeof(err));
	ck_assert_msg(lx != NULL, "%s", err);
	cl = reply_classify_new(lx, extra, 1, err, sizeof(err));
	ck_assert_msg(cl != NULL, "%s", err);
}

static void
teardown(void)
{
	reply_classify_free(cl);
	reply_lex_free(lx);
}

/* verdict - of TEXT with SUBJECT */
static struct reply_verdict
verdict(const char *text, const char *subject)
{
	struct reply_verdict v;

	ck_assert_int_eq(reply_classify_text(cl, text, strlen(text), subject, &v), 0);
	return (v);
}

START_TEST(test_reply_classify_subject_part_added_by_the_customer_counts)
{
	static const char *const yes[] = {
		"Re: Ưu đãi tháng 12: giảm 30% - TỪ CHỐI", "RE: Ưu đãi tháng 12 [Từ chối]", "Từ chối - Re: Ưu đãi",
		"TL: Từ chối", "Trả lời: từ chối", "Re: Re: Fwd: Unsubscribe", "RE: [LINKS] Hủy đăng ký", "Từ chối", NULL
	};
	size_t	i;

	for (i = 0; yes[i]; i++) {
		struct reply_verdict v = verdict("", yes[i]);

		ck_assert_msg(v.optout, "%s", yes[i]);
		ck_assert_msg(strncmp(v.reason, "subject:", 8) == 0, "%s: %s", yes[i], v.reason);
	}
}
END_TEST

START_TEST(test_reply_classify_our_subject_echoed_never_counts)
{
	static const char *const no[] = {
		"Re: Thông báo: trả lời Từ chối để ngừng nhận email", "Re: Tại sao bị từ chối?",
		"Re: Hướng dẫn từ chối nhận email quảng cáo từ LINKS", "Đã từ chối: Họp rà soát hợp đồng",
		"Re: Ưu đãi tháng 12 - từ chối thế nào?", NULL
	};
	size_t	i;

	for (i = 0; no[i]; i++)
		ck_assert_msg(!verdict("", no[i]).optout, "%s", no[i]);
}
END_TEST

START_TEST(test_reply_classify_subject_scope_and_body_question)
{
	struct reply_verdict v = verdict("Cho hỏi giá gói VPS?", "Re: Khảo sát 2026 - không nhận khảo sát nữa");

	ck_assert(v.optout && v.question);
	ck_assert_uint_eq(v.scope, CATEGORY_BIT(CATEGORY_SURVEY));
	ck_assert_str_eq(v.reason, "subject:khong_nhan+question");
}
END_TEST

START_TEST(test_reply_classify_refusal_pattern_matches_a_sentence)
{
	struct reply_verdict v = verdict("Chào LINKS. XIN NGƯNG LIÊN LẠC. Cảm ơn", "Re: x");

	ck_assert(v.optout);
	ck_assert_str_eq(v.reason, "command:pattern");
	ck_assert(!verdict("Xin ngưng liên lạc với số cũ của tôi", "Re: x").optout);
	v = verdict("XIN NGƯNG LIÊN LẠC", "Re: x");	/* the matched sentence is no question */
	ck_assert(v.optout && !v.question);
	v = verdict("XIN NGƯNG LIÊN LẠC. Hợp đồng của tôi hết hạn khi nào?", "Re: x");
	ck_assert(v.optout && v.question);
}
END_TEST

START_TEST(test_reply_classify_reasons_say_the_rule)
{
	ck_assert_str_eq(verdict("Từ chối", "").reason, "command:tu_choi");
	ck_assert_str_eq(verdict("Đừng gửi nữa. Giá VPS bao nhiêu?", "").reason, "command:dung_gui+question");
	ck_assert_str_eq(verdict("Tại sao thanh toán bị từ chối?", "").reason, "question:passive");
	ck_assert_str_eq(verdict("Giá VPS bao nhiêu?", "").reason, "question");
	ck_assert_str_eq(verdict("Cảm ơn LINKS!", "").reason, "greeting_only");
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_classify");
	TCase  *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reply_classify_subject_part_added_by_the_customer_counts);
	tcase_add_test(tc, test_reply_classify_our_subject_echoed_never_counts);
	tcase_add_test(tc, test_reply_classify_subject_scope_and_body_question);
	tcase_add_test(tc, test_reply_classify_refusal_pattern_matches_a_sentence);
	tcase_add_test(tc, test_reply_classify_reasons_say_the_rule);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
