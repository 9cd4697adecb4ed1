/*
 * NAME
 *	test_reply_quote 1 (test program)
 * SUMMARY
 *	unit tests of reply_quote: cutting the quoted message
 * SYNOPSIS
 *	test_reply_quote (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	Where the customer's words end: quotes, attributions of every client,
 *	Outlook header blocks, our footer, inline answers.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "footer.h"
#include "reply_quote.h"
#include "strbuf.h"
#include "unit.h"

static struct reply_quote *rq;

static void
setup(void)
{
	char	err[256];

	rq = reply_quote_new(NULL, 0, err, sizeof(err));
	ck_assert_msg(rq != NULL, "%s", err);
}

static void
teardown(void)
{
	reply_quote_free(rq);
}

/* cut - the new text of TEXT, owned by the caller; *INLINE_REPLY set */
static char *
cut(const char *text, int *inline_reply)
{
	struct reply_quote_result q;
	char   *s;

	ck_assert_int_eq(reply_quote_cut(rq, text, strlen(text), &q), 0);
	s = strdup(q.text.data ? q.text.data : "");
	if (inline_reply)
		*inline_reply = q.inline_reply;
	reply_quote_result_free(&q);
	return (s);
}

/* expect - TEXT cuts to WANT */
static void
expect(const char *text, const char *want)
{
	char   *got = cut(text, NULL);

	ck_assert_msg(strcmp(got, want) == 0, "want [%s] got [%s] for [%s]", want, got, text);
	free(got);
}

START_TEST(test_reply_quote_attributions_of_the_clients)
{
	expect("Từ chối\n\nVào Th 2, 30 thg 11, 2026 vào lúc 08:00 LINKS <noreply@ilinks.asia>\nđã viết:\n> x\n", "Từ chối");
	expect("Từ chối\n\nVào lúc 08:00 30/11/2026, LINKS đã viết:\n> x\n", "Từ chối");
	expect("Từ chối\n\n-----LINKS <noreply@ilinks.asia> wrote: -----\nTo: a@b.vn\n\nx\n", "Từ chối");
	expect("Từ chối\n\n---- Vào Th 2, 30 Thg 11 2026 08:00:00 +0700 LINKS <noreply@ilinks.asia> đã viết ---\n\nx\n",
	       "Từ chối");
	expect("Từ chối\n\n-------- Tin nhắn gốc --------\nTừ: LINKS\n", "Từ chối");
	expect("Từ chối\n\n----- Thư gốc -----\nTừ: \"LINKS\" <noreply@ilinks.asia>\n", "Từ chối");
}
END_TEST

START_TEST(test_reply_quote_outlook_tu_label_is_not_the_command)
{
	expect("Từ: LINKS <noreply@ilinks.asia>\nĐã gửi: Thứ Hai\nĐến: an@example.vn\nChủ đề: Từ chối\n\nTừ chối\n", "");
	expect("Từ chối nhận email\nTừ: LINKS <noreply@ilinks.asia>\nĐã gửi: Thứ Hai\n\nx\n", "Từ chối nhận email");
}
END_TEST

START_TEST(test_reply_quote_our_footer_ends_the_text_unless_it_comes_first)
{
	expect("Từ chối\nNEU KHONG MUON NHAN EMAIL NAY NUA, hãy...\nabc\n", "Từ chối");
	expect(FOOTER_REFUSAL_VI "\n=> Từ chối\n", "=> Từ chối");
	expect(FOOTER_REFUSAL_VI "\n" FOOTER_REFUSAL_EN "\nLINKS - Tầng 15, 33 Cầu Diễn\n\n-> Từ chối\n", "-> Từ chối");
	expect("> " FOOTER_REFUSAL_VI "\n> Từ chối\n", "");
}
END_TEST

START_TEST(test_reply_quote_attribution_without_quotes_before_our_text_is_a_boundary)
{
	/* Yahoo: the original follows its attribution unquoted */
	expect(" \n   Vào Thứ Hai, 30 tháng 11, 2026, 08:00:00 GMT+7, LINKS <noreply@ilinks.asia> đã viết:\n \n"
	       " Kính gửi Quý khách\n -- \n " FOOTER_REFUSAL_VI "\n", "");
	/* but a bottom-posted answer after an attribution is the customer's */
	expect("On 8 May 2017 17:34, \"A\" <a@b.com> wrote:\n\n    nil && 2.0\n", "    nil && 2.0");
}
END_TEST

START_TEST(test_reply_quote_inline_answers_are_kept)
{
	int	in;
	char   *t = cut("> Quý khách có muốn nhận khảo sát định kỳ không?\nKhông, đừng gửi nữa.\n> Trân trọng\n", &in);

	ck_assert_str_eq(t, "Không, đừng gửi nữa.");
	ck_assert_int_eq(in, 1);
	free(t);
	t = cut("> Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\ntempor incididunt\n> x\n"
		"Từ chối\n", &in);
	ck_assert_str_eq(t, "Từ chối");	/* the line wrapped from the quote is not the customer's */
	free(t);
}
END_TEST

/* at - what ended the new text of TEXT */
static enum reply_quote_at
at(const char *text)
{
	struct reply_quote_result q;
	enum reply_quote_at a;

	ck_assert_int_eq(reply_quote_cut(rq, text, strlen(text), &q), 0);
	a = q.at;
	reply_quote_result_free(&q);
	return (a);
}

START_TEST(test_reply_quote_names_what_ended_the_text)
{
	ck_assert_int_eq(at("Từ chối\n"), RQ_END);
	ck_assert_int_eq(at("Từ chối\n> x\n"), RQ_QUOTE);
	ck_assert_int_eq(at("Từ chối\n-- \nAn\n"), RQ_SIGNATURE);
	ck_assert_int_eq(at("Từ chối\n-----Original Message-----\nx\n"), RQ_SEPARATOR);
	ck_assert_int_eq(at("> x\nTừ chối\n"), RQ_BOTTOM_POST);
	ck_assert_int_eq(at("> x\nTừ chối\n> y\n"), RQ_INLINE_REPLY);
	ck_assert_str_eq(reply_quote_at_name(RQ_OUTLOOK_HEADER), "outlook_header");
	ck_assert_str_eq(reply_quote_at_name(RQ_BOTTOM_POST), "bottom_post");
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_quote");
	TCase  *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reply_quote_attributions_of_the_clients);
	tcase_add_test(tc, test_reply_quote_outlook_tu_label_is_not_the_command);
	tcase_add_test(tc, test_reply_quote_our_footer_ends_the_text_unless_it_comes_first);
	tcase_add_test(tc, test_reply_quote_attribution_without_quotes_before_our_text_is_a_boundary);
	tcase_add_test(tc, test_reply_quote_inline_answers_are_kept);
	tcase_add_test(tc, test_reply_quote_names_what_ended_the_text);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
