/*
 * NAME
 *	test_reply_clause 1 (test program)
 * SUMMARY
 *	unit tests of reply_clause: reading clause by clause
 * SYNOPSIS
 *	test_reply_clause (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	Each rule of the clause reading on a sentence made for it: the scope
 *	of negation, passive, mention, purpose, condition and question; the
 *	object; the roles of lines; what is left for a person.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "reply_clause.h"
#include "reply_doc.h"
#include "reply_lex.h"
#include "unit.h"

static struct reply_lex *lx;

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

/* rd - the reading of TEXT (canonical already) */
static struct reply_reading
rd(const char *text)
{
	struct reply_reading r;

	ck_assert_int_eq(reply_clause_read(lx, text, strlen(text), REPLY_READ_BODY, &r), 0);
	return (r);
}

/* no - TEXT is not a refusal, for the reason WHY */
static void
no(const char *text, const char *why)
{
	struct reply_reading r = rd(text);

	ck_assert_msg(!r.refusal, "%s", text);
	ck_assert_msg(strcmp(reply_why_name(r.why), why) == 0, "%s: %s", text, reply_why_name(r.why));
	ck_assert_msg(r.content, "%s: nothing for a person", text);
}

#define DOC_TEST_WORDS	64

/*
 * test_reply_doc_match_answers_as_the_lexicon - the line scan's lookups
 * given to the clauses are the lexicon's answers for every run of words
 * (a clause, a sentence joined across lines, a clause cut inside a phrase)
 */
START_TEST(test_reply_doc_match_answers_as_the_lexicon)
{
	static const char *const text =
	    "Chào anh, em muốn xóa tên của tôi khỏi danh sách. Đừng gửi email quảng cáo nữa\n"
	    "không muốn nhận thư, cảm ơn\n"
	    "vui lòng hủy đăng ký giúp em: dừng gởi thư khuyến mãi\n"
	    "Trân trọng, Nguyễn Văn An";
	struct reply_doc d;
	struct reply_tok w[DOC_TEST_WORDS];
	struct reply_lex_match m, c;
	size_t	ti[DOC_TEST_WORDS], nw = 0, a, e, i, hits = 0;

	ck_assert_int_eq(reply_doc_read(&d, lx, text, strlen(text), 1), 0);
	for (i = 0; i < d.nt && nw < DOC_TEST_WORDS; i++)
		if (d.t[i].type == T_WORD) {
			ti[nw] = i;
			w[nw++] = d.rt[i];
		}
	ck_assert_uint_ge(nw, 30);
	for (a = 0; a < nw; a++)
		for (e = a + 1; e <= nw; e++)
			for (i = 0; i < e - a; i++) {
				(void) reply_doc_match(&d, w + a, ti + a, e - a, i, &m);
				(void) reply_lex_match(lx, w + a, e - a, i, &c);
				ck_assert_msg(m.len == c.len && m.kinds == c.kinds && m.reach == c.reach
					      && m.family == c.family && m.flags == c.flags
					      && m.object == c.object && m.gap == c.gap
					      && m.marked == c.marked, "words [%zu, %zu) at %zu", a, e, a + i);
				hits += m.len > 0;
			}
	/* runs with a word left out (a caller's own choice of words) */
	for (a = 0; a < nw; a++) {
		struct reply_tok w2[DOC_TEST_WORDS];
		size_t	ti2[DOC_TEST_WORDS], n2 = 0;

		for (i = 0; i < nw; i++)
			if (i != a) {
				ti2[n2] = ti[i];
				w2[n2++] = w[i];
			}
		for (i = 0; i < n2; i++) {
			(void) reply_doc_match(&d, w2, ti2, n2, i, &m);
			(void) reply_lex_match(lx, w2, n2, i, &c);
			ck_assert_msg(m.len == c.len && m.kinds == c.kinds && m.reach == c.reach,
				      "word %zu left out, at %zu", a, i);
		}
	}
	ck_assert_uint_gt(hits, 0);
	reply_doc_free(&d);
}
END_TEST

START_TEST(test_reply_clause_negation_passive_mention_purpose_block)
{
	no("Tôi không từ chối, chỉ hỏi giá.", "negated");
	no("Đừng ngừng gửi thông báo bảo trì nhé.", "negated");
	no("I don't want to unsubscribe.", "negated");
	no("Thẻ của tôi bị từ chối.", "passive");
	no("Tôi đã trả lời Từ chối rồi.", "mention");
	no("Nút từ chối nằm ở đâu", "mention");
	no("Làm gì để ngừng nhận email", "purpose");
}
END_TEST

START_TEST(test_reply_clause_condition_and_question_block)
{
	no("Tôi sẽ từ chối nếu giá không giảm.", "condition");
	no("Nếu còn gửi quảng cáo thì tôi hủy đăng ký.", "condition");
	no("Từ chối?", "question");
	no("Làm sao để hủy đăng ký?", "purpose");
	no("Tôi có thể hủy đăng ký không?", "question");
	no("How do I unsubscribe?", "question");
}
END_TEST

START_TEST(test_reply_clause_requests_asked_as_questions_are_refusals)
{
	static const char *const yes[] = {
		"Đừng gửi email cho tôi nữa được không?", "Can you please stop sending me these emails?",
		"Nếu có thể, xin ngừng gửi email.", NULL
	};
	size_t	i;

	for (i = 0; yes[i]; i++)
		ck_assert_msg(rd(yes[i]).refusal, "%s", yes[i]);
}
END_TEST

START_TEST(test_reply_clause_other_objects_are_not_our_mail)
{
	no("Tôi từ chối thanh toán khoản này.", "object");
	no("Hủy đăng ký gói cước giúp tôi.", "object");
	no("Ngừng gửi hóa đơn giấy.", "object");
	no("Tôi không muốn nhận cuộc gọi quảng cáo.", "object");
	no("Tôi từ chối trả thêm phí.", "object");
	no("Đừng gửi vào địa chỉ này nữa, gửi sang địa chỉ mới.", "redirect");
	no("Ngừng gửi email vào hộp thư công ty, gửi về gmail cá nhân giúp tôi.", "redirect");
	no("Stop the VPS, we don't need it anymore.", "object");	/* "anymore" of a VPS */
}
END_TEST

START_TEST(test_reply_clause_weak_and_alone_need_their_context)
{
	struct reply_reading r;

	no("Tôi không nhận.", "weak");
	no("Stop the car please.", "alone");
	ck_assert(rd("Không nhận nữa.").refusal);
	ck_assert(rd("STOP").refusal);
	ck_assert(rd("Dừng!").refusal);		/* "dừng" and "đừng" are one key */
	ck_assert(rd("Stop now, please.").refusal);
	ck_assert(!rd("Dừng xe ở đâu ạ?").refusal);
	ck_assert(rd("Tôi đã hủy đăng ký 3 lần rồi mà vẫn nhận.").refusal);	/* numbers read "0" */
	r = rd("No more surveys, please.");
	ck_assert(r.refusal);
	ck_assert_uint_eq(r.scope, CATEGORY_BIT(CATEGORY_SURVEY));
}
END_TEST

START_TEST(test_reply_clause_scope_is_the_categories_named)
{
	struct reply_reading r = rd("Đừng gửi email khảo sát và quảng cáo nữa.");

	ck_assert(r.refusal);
	ck_assert_uint_eq(r.scope, CATEGORY_BIT(CATEGORY_SURVEY) | CATEGORY_BIT(CATEGORY_PROMOTION));
	r = rd("Đừng gửi khuyến mãi nữa. Từ chối.");
	ck_assert(r.refusal && r.all);
	ck_assert_uint_eq(r.scope, 0);		/* a refusal naming nothing: all our mail */
	r = rd("Take me off your marketing list.");
	ck_assert_uint_eq(r.scope, CATEGORY_BIT(CATEGORY_PROMOTION));
}
END_TEST

START_TEST(test_reply_clause_line_breaks_inside_a_phrase_join)
{
	ck_assert(rd("Từ\nchối").refusal);
	ck_assert(rd("Tôi không muốn nhận\nemail nữa").refusal);
	ck_assert(!rd("Từ\nChối đi đâu").refusal);	/* a new line in upper case is a new sentence */
}
END_TEST

START_TEST(test_reply_clause_signatures_greetings_disclaimers_are_not_content)
{
	static const char *const texts[] = {
		"Chào LINKS,\n\nTừ chối\n\nTrân trọng,\nNguyễn Văn An\nTrưởng phòng Kỹ thuật\nĐT: 0912 345 678",
		"Từ chối\n\nNhận Outlook cho iOS",
		"Unsubscribe\n\nCONFIDENTIALITY NOTICE: This e-mail is for the intended recipient only and may "
		"contain confidential information.",
		"Từ chối\nNguyễn Văn An", "Spam quá! Không nhận nữa.",
		"Please unsubscribe me. Thanks, John", "Từ chối. Trân trọng, Nguyễn Văn An", NULL
	};
	size_t	i;

	for (i = 0; texts[i]; i++) {
		struct reply_reading r = rd(texts[i]);

		ck_assert_msg(r.refusal && !r.content, "%s", texts[i]);
	}
}
END_TEST

START_TEST(test_reply_clause_questions_and_complaints_are_content)
{
	static const char *const texts[] = {
		"Từ chối. Cho tôi hỏi hợp đồng hết hạn khi nào?", "Từ chối nhưng cho tôi hỏi giá",
		"Tôi đã yêu cầu ngừng gửi mà vẫn nhận được email", NULL
	};
	size_t	i;

	for (i = 0; texts[i]; i++) {
		struct reply_reading r = rd(texts[i]);

		ck_assert_msg(r.refusal && r.content, "%s", texts[i]);
	}
	ck_assert(!rd("Cảm ơn LINKS!").content);
	ck_assert(!rd("Đã nhận, cảm ơn.").content);
	ck_assert(rd("Gói VPS chạy ổn định.").content);
	ck_assert(rd("Gửi lại hóa đơn tháng 11 giúp tôi.").content);	/* "gửi" is no greeting here */
	ck_assert(rd("Thanks, but the invoice is wrong, John").content);
}
END_TEST

START_TEST(test_reply_clause_input_method_residue_only_in_vietnamese_text)
{
	ck_assert(rd("Tuwf choois").refusal);
	ck_assert(rd("Kho6ng nha65n email nu74a").refusal);
	ck_assert(rd("Hu?y dda(ng ky'").refusal);
	ck_assert(!rd("How now, show me the law").refusal);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_clause");
	TCase  *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reply_clause_negation_passive_mention_purpose_block);
	tcase_add_test(tc, test_reply_clause_condition_and_question_block);
	tcase_add_test(tc, test_reply_clause_requests_asked_as_questions_are_refusals);
	tcase_add_test(tc, test_reply_clause_other_objects_are_not_our_mail);
	tcase_add_test(tc, test_reply_clause_weak_and_alone_need_their_context);
	tcase_add_test(tc, test_reply_clause_scope_is_the_categories_named);
	tcase_add_test(tc, test_reply_clause_line_breaks_inside_a_phrase_join);
	tcase_add_test(tc, test_reply_clause_signatures_greetings_disclaimers_are_not_content);
	tcase_add_test(tc, test_reply_clause_questions_and_complaints_are_content);
	tcase_add_test(tc, test_reply_clause_input_method_residue_only_in_vietnamese_text);
	tcase_add_test(tc, test_reply_doc_match_answers_as_the_lexicon);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
