/*
 * NAME
 *	test_reply_lex 1 (test program)
 * SUMMARY
 *	unit tests of reply_lex: the lexicon
 * SYNOPSIS
 *	test_reply_lex (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	Phrases from data: the built-in reply.lex loads, the longest phrase
 *	wins, "*" stands for a few words, a bad entry is reported with its line.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "reply_key.h"
#include "reply_lex.h"
#include "strbuf.h"
#include "unit.h"

#define WORDS_MAX	16

static struct reply_lex *lx;
static char err[256];

static void
setup(void)
{
	lx = reply_lex_new(err, sizeof(err));
	ck_assert_msg(lx != NULL, "%s", err);
}

static void
teardown(void)
{
	reply_lex_free(lx);
}

/* words - the keys of TEXT's words into W (BUF holds them) */
static size_t
words(const char *text, struct reply_tok *w, struct strbuf *buf)
{
	char   *p, *save = NULL;
	size_t	n = 0;

	strbuf_init(buf);
	ck_assert_int_eq(reply_key(text, strlen(text), buf), 0);
	ck_assert_int_eq(strbuf_reserve(buf, 0), 0);
	for (p = strtok_r(buf->data, " ", &save); p && n < WORDS_MAX; p = strtok_r(NULL, " ", &save))
		w[n++] = (struct reply_tok) {p, strlen(p), 0};
	return (n);
}

START_TEST(test_reply_lex_built_in_copy_is_reply_lex)
{
	const char *srcdir = getenv("top_srcdir") ? getenv("top_srcdir") : TOP_SRCDIR;
	char	path[1024], *buf;
	FILE   *fp;
	size_t	len;

	snprintf(path, sizeof(path), "%s/milter/reply/reply.lex", srcdir);
	ck_assert_ptr_nonnull(fp = fopen(path, "rb"));
	ck_assert_ptr_nonnull(buf = malloc(REPLY_LEX_FILE_MAX + 1));
	len = fread(buf, 1, REPLY_LEX_FILE_MAX, fp);
	buf[len] = 0;
	fclose(fp);
	ck_assert_msg(strcmp(buf, reply_lex_builtin) == 0, "reply_lex_data.c is older than reply.lex: run make");
	free(buf);
}
END_TEST

START_TEST(test_reply_lex_longest_phrase_wins_with_its_kinds)
{
	struct reply_tok w[WORDS_MAX];
	struct reply_lex_match m;
	struct strbuf b;
	size_t	n = words("Không muốn nhận email quảng cáo", w, &b);

	ck_assert_uint_eq(reply_lex_match(lx, w, n, 0, &m), 3);	/* "không muốn nhận", not "không" */
	ck_assert(m.kinds & RLX_BIT(RLX_INTENT));
	ck_assert_int_eq(m.family, REPLY_FAM_KHONG_NHAN);
	ck_assert_uint_eq(reply_lex_match(lx, w, n, 4, &m), 2);
	ck_assert(m.kinds & RLX_BIT(RLX_OBJECT));
	ck_assert_int_eq(m.object, CATEGORY_PROMOTION);
	strbuf_free(&b);
}
END_TEST

START_TEST(test_reply_lex_gap_stands_for_a_few_words)
{
	struct reply_tok w[WORDS_MAX];
	struct reply_lex_match m;
	struct strbuf b;
	size_t	n = words("xóa tên của tôi khỏi danh sách", w, &b);

	ck_assert_uint_eq(reply_lex_match(lx, w, n, 0, &m), 7);
	ck_assert_int_eq(m.family, REPLY_FAM_XOA_DANH_SACH);
	strbuf_free(&b);
	n = words("xóa một hai ba bốn năm sáu khỏi danh sách", w, &b);
	ck_assert_uint_eq(reply_lex_match(lx, w, n, 0, &m), 0);	/* more than four words */
	strbuf_free(&b);
}
END_TEST

START_TEST(test_reply_lex_a_word_may_have_several_kinds)
{
	struct reply_tok w[WORDS_MAX];
	struct reply_lex_match m;
	struct strbuf b;
	size_t	n = words("cảm ơn", w, &b);

	ck_assert_uint_eq(reply_lex_match(lx, w, n, 0, &m), 2);
	ck_assert(m.kinds & RLX_BIT(RLX_COURTESY));
	ck_assert(m.kinds & RLX_BIT(RLX_CLOSING));
	strbuf_free(&b);
}
END_TEST

/* same_match - whether two answers of reply_lex_match() say the same */
static int
same_match(const struct reply_lex_match *a, const struct reply_lex_match *b)
{
	return (a->len == b->len && a->kinds == b->kinds && a->reach == b->reach
		&& a->family == b->family && a->flags == b->flags && a->object == b->object
		&& a->gap == b->gap && a->marked == b->marked);
}

START_TEST(test_reply_lex_reach_bounds_what_a_lookup_reads)
{
	struct reply_tok w[WORDS_MAX];
	struct reply_lex_match m, c;
	struct strbuf b;
	size_t	n = words("vui lòng xóa tên của tôi khỏi danh sách qwxz cảm ơn", w, &b), i, e;

	ck_assert_uint_eq(reply_lex_match(lx, w, n, 2, &m), 7);
	ck_assert_uint_ge(m.reach, 7);		/* "xóa * khỏi danh sách": its gap at its widest */
	ck_assert_uint_eq(reply_lex_match(lx, w, n, 9, &m), 0);
	ck_assert_uint_eq(m.reach, 1);		/* no phrase starts with "qwxz" */
	for (i = 0; i < n; i++) {
		(void) reply_lex_match(lx, w, n, i, &m);
		ck_assert_uint_ge(m.reach, 1);
		ck_assert_uint_le(m.len, m.reach);
		/* fewer words after I, all it reads still there: the same answer */
		for (e = i + m.reach; e < n; e++) {
			(void) reply_lex_match(lx, w, e, i, &c);
			ck_assert_msg(same_match(&m, &c), "word %zu, %zu words", i, e);
		}
	}
	strbuf_free(&b);
}
END_TEST

START_TEST(test_reply_lex_bad_entries_are_reported_with_their_line)
{
	static const char *const bad[] = {
		"từ chối\n", "[intent]\nx\n", "[intent no_such_family]\nx\n", "[object no_such]\nx\n",
		"[intent tu_choi loud]\nx\n", "[nonsense]\nx\n", "[negation]\n* gap first\n",
	};
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		ck_assert_int_eq(reply_lex_load(lx, bad[i], strlen(bad[i]), "t.lex", err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, "t.lex: line ") != NULL, "%s", err);
	}
	ck_assert_int_eq(reply_lex_load_file(lx, "/nonexistent.lex", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent.lex"));
}
END_TEST

START_TEST(test_reply_lex_added_entries_are_read)
{
	static const char more[] = "# comment\n\n[intent dung_gui imperative]\nxin nghỉ nhận thư\n";
	struct reply_tok w[WORDS_MAX];
	struct reply_lex_match m;
	struct strbuf b;
	size_t	n = words("Xin nghỉ nhận thư", w, &b);

	ck_assert_int_eq(reply_lex_load(lx, more, sizeof(more) - 1, "more.lex", err, sizeof(err)), 0);
	ck_assert_uint_eq(reply_lex_match(lx, w, n, 0, &m), 4);
	ck_assert_int_eq(m.family, REPLY_FAM_DUNG_GUI);
	ck_assert(m.flags & RLX_IMPERATIVE);
	ck_assert_str_eq(reply_family_name(m.family), "dung_gui");
	strbuf_free(&b);
}
END_TEST

/* lex_len - the length of the phrase at the start of TEXT, its family in *FAM */
static size_t
lex_len(const char *text, enum reply_family *fam)
{
	struct reply_tok w[WORDS_MAX];
	struct reply_lex_match m;
	struct strbuf b;
	size_t	n = words(text, w, &b), r;

	r = reply_lex_match(lx, w, n, 0, &m);
	*fam = m.family;
	strbuf_free(&b);
	return (r);
}

/* "qzab" and "qamu" share a hash bucket, a length and a first letter: only
 * their bytes tell their phrases apart, however the chain mixes them. */
START_TEST(test_reply_lex_phrases_of_colliding_first_words_stay_apart)
{
	static const char more[] = "[intent dung_gui]\nqzab nhan thu\n[intent khong_nhan]\nqamu nhan\n"
	    "qamu nhan thu xin\n[intent tu_choi]\nqzab nhan\n";
	enum reply_family f;

	ck_assert_int_eq(reply_lex_load(lx, more, sizeof(more) - 1, "more.lex", err, sizeof(err)), 0);
	ck_assert_uint_eq(lex_len("qamu nhan thu", &f), 2);
	ck_assert_int_eq(f, REPLY_FAM_KHONG_NHAN);
	ck_assert_uint_eq(lex_len("qamu nhan thu xin", &f), 4);
	ck_assert_int_eq(f, REPLY_FAM_KHONG_NHAN);
	ck_assert_uint_eq(lex_len("qzab nhan thu", &f), 3);
	ck_assert_int_eq(f, REPLY_FAM_DUNG_GUI);
	ck_assert_uint_eq(lex_len("qzab nhan", &f), 2);
	ck_assert_int_eq(f, REPLY_FAM_TU_CHOI);
	ck_assert_uint_eq(lex_len("qzab thu", &f), 0);
	ck_assert_uint_eq(lex_len("qamx nhan", &f), 0);
}
END_TEST

START_TEST(test_reply_lex_same_as_spellings_read_as_one_word)
{
	static const char more[] = "[same-as không]\nkhônk\n[intent khong_nhan]\nkhông chịu nhận\n";
	struct reply_tok w[WORDS_MAX];
	struct reply_lex_match m;
	struct strbuf b;
	size_t	i, n;

	ck_assert_int_eq(reply_lex_load(lx, more, sizeof(more) - 1, "more.lex", err, sizeof(err)), 0);
	n = words("khônk chịu nhận", w, &b);
	for (i = 0; i < n; i++)
		(void) reply_lex_alias(lx, &w[i]);
	ck_assert_uint_eq(reply_lex_match(lx, w, n, 0, &m), 3);
	ck_assert_int_eq(m.family, REPLY_FAM_KHONG_NHAN);
	strbuf_free(&b);
}
END_TEST

/* A word's phrases with a gap after it and those with its second word are
 * tried in one order, longest reach first, of one reach the last loaded
 * first: of two that match as long, the intent tried last names the family. */
START_TEST(test_reply_lex_gap_and_second_word_phrases_are_tried_in_load_order)
{
	static const char more[] = "[intent dung_gui]\nqamu * thu\n[intent khong_nhan]\n"
	    "qamu nhan mot hai ba thu\nqzab nhan mot hai ba thu\n[intent dung_gui]\nqzab * thu\n"
	    "[intent tu_choi]\nqzab nhan\n";
	enum reply_family f;

	ck_assert_int_eq(reply_lex_load(lx, more, sizeof(more) - 1, "more.lex", err, sizeof(err)), 0);
	ck_assert_uint_eq(lex_len("qamu nhan mot hai ba thu", &f), 6);
	ck_assert_int_eq(f, REPLY_FAM_DUNG_GUI);
	ck_assert_uint_eq(lex_len("qzab nhan mot hai ba thu", &f), 6);
	ck_assert_int_eq(f, REPLY_FAM_KHONG_NHAN);
	ck_assert_uint_eq(lex_len("qzab nhan mot", &f), 2);
	ck_assert_int_eq(f, REPLY_FAM_TU_CHOI);
	ck_assert_uint_eq(lex_len("qzab mot thu", &f), 3);
	ck_assert_int_eq(f, REPLY_FAM_DUNG_GUI);
	ck_assert_uint_eq(lex_len("qamu nhan", &f), 0);
	ck_assert_uint_eq(lex_len("qamu", &f), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_lex");
	TCase  *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reply_lex_built_in_copy_is_reply_lex);
	tcase_add_test(tc, test_reply_lex_longest_phrase_wins_with_its_kinds);
	tcase_add_test(tc, test_reply_lex_gap_stands_for_a_few_words);
	tcase_add_test(tc, test_reply_lex_a_word_may_have_several_kinds);
	tcase_add_test(tc, test_reply_lex_reach_bounds_what_a_lookup_reads);
	tcase_add_test(tc, test_reply_lex_bad_entries_are_reported_with_their_line);
	tcase_add_test(tc, test_reply_lex_added_entries_are_read);
	tcase_add_test(tc, test_reply_lex_same_as_spellings_read_as_one_word);
	tcase_add_test(tc, test_reply_lex_phrases_of_colliding_first_words_stay_apart);
	tcase_add_test(tc, test_reply_lex_gap_and_second_word_phrases_are_tried_in_load_order);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
