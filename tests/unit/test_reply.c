/*
 * NAME
 *	test_reply 1 (test program)
 * SUMMARY
 *	unit tests of the reply analysis library (Check)
 * SYNOPSIS
 *	test_reply (run by make check; CK_FORK=no to debug one process)
 * DESCRIPTION
 *	Each test names the behaviour it proves. The corpora are tested
 *	by test_reply_corpus and test_reply_vi, the modules by
 *	test_reply_MODULE; here is reply.c, the pipeline: the
 *	configuration hooks (refusal_pattern, reply_lexicon,
 *	footer_fingerprint), the verdict and its JSON, which alternative is
 *	read, the limits, thread safety and the inputs the fuzzer once
 *	crashed on (tests/corpus/fuzz).
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "category.h"
#include "conf.h"
#include "footer.h"
#include "reply.h"
#include "strbuf.h"
#include "unit.h"

#define THREADS		4
#define PER_THREAD	200

static struct conf *conf;
static struct reply_analyzer *ra;

static void
setup(void)
{
	char	err[256];

	conf = conf_defaults();
	ck_assert_ptr_nonnull(conf);
	ra = reply_analyzer_new(conf, err, sizeof(err));
	ck_assert_msg(ra != NULL, "%s", err);
}

static void
teardown(void)
{
	reply_analyzer_free(ra);
	conf_free(conf);
}

/* Analyse MSG (a C string) with an unknown envelope sender. */
static struct reply_result *
analyze(const char *msg)
{
	struct reply_result *r = reply_analyze(ra, msg, strlen(msg), NULL);

	ck_assert_ptr_nonnull(r);
	return (r);
}

START_TEST(test_reply_quoted_footer_is_not_refusal)
{
	struct reply_result *r = analyze("Subject: Re: x\n\n> " FOOTER_REFUSAL_VI "\n> Từ chối\n");

	ck_assert_int_eq(reply_result_optout(r), 0);
	ck_assert_int_eq(reply_result_question(r), 1);
	ck_assert_str_eq(reply_result_reason(r), "quote_only");
	ck_assert_str_eq(reply_result_text(r), "");
	reply_result_free(r);
}
END_TEST

START_TEST(test_reply_refusal_pattern_from_conf_is_a_command)
{
	char	err[256];
	struct conf *c = conf_defaults();
	struct reply_analyzer *a;
	struct reply_result *r;
	const char *msg = "Subject: Re: x\n\nXIN NGƯNG LIÊN LẠC\n";

	ck_assert_int_eq(conf_set(c, "refusal_pattern", "^xin ngung lien lac$", err, sizeof(err)), 0);
	a = reply_analyzer_new(c, err, sizeof(err));
	ck_assert_msg(a != NULL, "%s", err);
	r = reply_analyze(a, msg, strlen(msg), NULL);
	ck_assert_int_eq(reply_result_optout(r), 1);
	ck_assert_str_eq(reply_result_reason(r), "command:pattern");
	reply_result_free(r);
	/* without the pattern it is only a question */
	r = analyze(msg);
	ck_assert_int_eq(reply_result_optout(r), 0);
	reply_result_free(r);
	reply_analyzer_free(a);
	conf_free(c);
}
END_TEST

START_TEST(test_reply_bad_refusal_pattern_is_reported)
{
	char	err[256] = "";
	struct conf *c = conf_defaults();

	ck_assert_int_eq(conf_set(c, "refusal_pattern", "(unclosed", err, sizeof(err)), 0);
	ck_assert_ptr_null(reply_analyzer_new(c, err, sizeof(err)));
	ck_assert_msg(strstr(err, "refusal_pattern #1") != NULL, "%s", err);
	conf_free(c);
}
END_TEST

START_TEST(test_reply_footer_fingerprint_from_conf_cuts)
{
	char	err[256];
	struct conf *c = conf_defaults();
	struct reply_analyzer *a;
	struct reply_result *r;
	const char *msg = "Subject: Re: x\n\nTừ chối\nCông ty LINKS kính báo\nabc\n";

	ck_assert_int_eq(conf_set(c, "footer_fingerprint", "cong ty links kinh bao", err, sizeof(err)), 0);
	a = reply_analyzer_new(c, err, sizeof(err));
	ck_assert_ptr_nonnull(a);
	r = reply_analyze(a, msg, strlen(msg), NULL);
	ck_assert_str_eq(reply_result_text(r), "Từ chối");
	ck_assert_int_eq(reply_result_question(r), 0);
	reply_result_free(r);
	reply_analyzer_free(a);
	conf_free(c);
}
END_TEST

START_TEST(test_reply_json_is_one_line_in_order)
{
	struct reply_result *r = analyze("Subject: x\n\nTừ chối. \"Tại sao\"\nlại thế?\n");
	char   *j = reply_result_json(r);

	ck_assert_ptr_nonnull(j);
	ck_assert_ptr_null(strchr(j, '\n'));
	ck_assert_msg(strncmp(j, "{\"kind\":\"reply\",\"optout\":true,\"question\":true,\"text\":\"Từ chối. \\\"Tại sao\\\"\\nlại thế?\",\"reason\":", 50) == 0, "%s", j);
	ck_assert_ptr_nonnull(strstr(j, "\"reason\":\"command:tu_choi+question\",\"scope\":\"all\"}"));
	free(j);
	reply_result_free(r);
}
END_TEST

START_TEST(test_reply_unparsable_input_is_a_question)
{
	struct reply_result *r = reply_analyze(ra, NULL, 0, NULL);

	ck_assert_int_eq(reply_result_kind(r), REPLY_KIND_REPLY);
	ck_assert_int_eq(reply_result_optout(r), 0);
	ck_assert_int_eq(reply_result_question(r), 1);
	ck_assert_str_eq(reply_result_text(r), "");
	ck_assert_str_eq(reply_result_subject(r), "");
	reply_result_free(r);
}
END_TEST

START_TEST(test_reply_deep_nesting_is_bounded)
{
	size_t	depth = 5000, i;
	struct strbuf b;
	struct reply_result *r;

	strbuf_init(&b);
	strbuf_adds(&b, "Subject: x\n");
	for (i = 0; i < depth; i++) {
		char	line[128];

		snprintf(line, sizeof(line), "Content-Type: multipart/mixed; boundary=\"b%zu\"\n\n--b%zu\n", i, i);
		strbuf_adds(&b, line);
	}
	strbuf_adds(&b, "Content-Type: text/plain\n\nTừ chối\n");
	r = reply_analyze(ra, b.data, b.len, NULL);
	ck_assert_ptr_nonnull(r);
	/* the text part is beyond mime_max_depth: never seen, never acted on */
	ck_assert_int_eq(reply_result_optout(r), 0);
	reply_result_free(r);
	strbuf_free(&b);
}
END_TEST

/*
 * More parts than mime_max_parts: libetpan is given the message cut
 * before the part past the limit, at its boundary line, so the parts
 * before it (here the refusal) survive (reported by tests/rely-hostile).
 */
START_TEST(test_reply_parts_over_the_limit_keep_the_first_text)
{
	struct strbuf b;
	struct reply_result *r;
	size_t	i;

	strbuf_init(&b);
	strbuf_adds(&b, "Subject: x\r\nContent-Type: multipart/mixed; boundary=\"p\"\r\n\r\n"
		       "--p\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTừ chối\r\n");
	for (i = 0; i < 200; i++)
		strbuf_adds(&b, "--p\r\nContent-Transfer-Encoding: base64\r\n"
			       "Content-Type: application/octet-stream\r\n\r\neA==\r\n");
	strbuf_adds(&b, "--p--\r\n");
	r = reply_analyze(ra, b.data, b.len, NULL);
	ck_assert_int_eq(reply_result_optout(r), 1);
	ck_assert_str_eq(reply_result_text(r), "Từ chối");
	reply_result_free(r);
	strbuf_free(&b);
}
END_TEST

START_TEST(test_reply_decoded_bytes_are_bounded)
{
	char	err[256];
	struct conf *c = conf_defaults();
	struct reply_analyzer *a;
	struct reply_result *r;
	struct strbuf b;
	size_t	i;

	ck_assert_int_eq(conf_set(c, "mime_max_decoded", "1k", err, sizeof(err)), 0);
	a = reply_analyzer_new(c, err, sizeof(err));
	ck_assert_ptr_nonnull(a);
	strbuf_init(&b);
	strbuf_adds(&b, "Subject: x\nContent-Type: text/plain\n\n");
	for (i = 0; i < 1000; i++)
		strbuf_adds(&b, "xin chao ban nhe, day la dong thu nghiem\n");
	r = reply_analyze(a, b.data, b.len, NULL);
	ck_assert_uint_le(strlen(reply_result_text(r)), 1024);
	reply_result_free(r);
	strbuf_free(&b);
	reply_analyzer_free(a);
	conf_free(c);
}
END_TEST

START_TEST(test_reply_kind_names)
{
	ck_assert_str_eq(reply_kind_name(REPLY_KIND_REPLY), "reply");
	ck_assert_str_eq(reply_kind_name(REPLY_KIND_AUTO_REPLY), "auto_reply");
	ck_assert_str_eq(reply_kind_name(REPLY_KIND_BOUNCE), "bounce");
}
END_TEST

/*
 * Inputs the fuzzer once crashed on (tests/corpus/fuzz), replayed as
 * tests/fuzz/fuzz_reply.c reads them: byte 0 selects the envelope
 * sender and the limits, the rest is the message.
 */
START_TEST(test_reply_fuzz_regressions_do_not_crash)
{
	static const char *const senders[] = {NULL, "", "an@example.vn", NULL};
	const char *srcdir = getenv("top_srcdir") ? getenv("top_srcdir") : TOP_SRCDIR;
	char	dir[1024], path[2048], err[256];
	struct conf *t = conf_defaults();
	struct reply_analyzer *tiny;
	DIR    *d;
	struct dirent *e;
	int	n = 0;

	ck_assert_int_eq(conf_set(t, "mime_max_parts", "2", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(t, "mime_max_depth", "1", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(t, "mime_max_decoded", "1k", err, sizeof(err)), 0);
	tiny = reply_analyzer_new(t, err, sizeof(err));
	ck_assert_ptr_nonnull(tiny);
	snprintf(dir, sizeof(dir), "%s/tests/corpus/fuzz", srcdir);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		FILE   *fp;
		char   *buf;
		size_t	len;
		struct reply_result *r;

		if (strstr(e->d_name, ".eml") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fp = fopen(path, "rb");
		ck_assert_ptr_nonnull(fp);
		buf = malloc(1 << 20);
		len = fread(buf, 1, 1 << 20, fp);
		fclose(fp);
		if (len > 0) {
			r = reply_analyze((buf[0] & 4) ? tiny : ra, buf + 1, len - 1,
					  senders[buf[0] & 3]);
			ck_assert_ptr_nonnull(r);
			ck_assert_ptr_nonnull(reply_result_text(r));
			reply_result_free(r);
		}
		free(buf);
		n++;
	}
	closedir(d);
	ck_assert_int_gt(n, 0);
	reply_analyzer_free(tiny);
	conf_free(t);
}
END_TEST

START_TEST(test_reply_lexicon_from_conf_adds_words)
{
	char	err[256], path[] = "/tmp/test_reply_lexXXXXXX";
	const char *lex = "# a site's own words\n[intent khong_nhan]\nnghỉ nhận\n";
	const char *msg = "Subject: Re: x\n\nCho em nghỉ nhận thư nhé\n";
	struct conf *c = conf_defaults();
	struct reply_analyzer *a;
	struct reply_result *r;
	int	fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, lex, strlen(lex)), (ssize_t) strlen(lex));
	close(fd);
	r = analyze(msg);
	ck_assert_int_eq(reply_result_optout(r), 0);	/* not a phrase of reply.lex */
	reply_result_free(r);
	ck_assert_int_eq(conf_set(c, "reply_lexicon", path, err, sizeof(err)), 0);
	a = reply_analyzer_new(c, err, sizeof(err));
	ck_assert_msg(a != NULL, "%s", err);
	r = reply_analyze(a, msg, strlen(msg), NULL);
	ck_assert_int_eq(reply_result_optout(r), 1);
	ck_assert_str_eq(reply_result_reason(r), "command:khong_nhan");
	reply_result_free(r);
	reply_analyzer_free(a);
	unlink(path);
	conf_free(c);
}
END_TEST

START_TEST(test_reply_bad_lexicon_file_is_reported)
{
	char	err[256] = "";
	struct conf *c = conf_defaults();

	ck_assert_int_eq(conf_set(c, "reply_lexicon", "/nonexistent/local.lex", err, sizeof(err)), 0);
	ck_assert_ptr_null(reply_analyzer_new(c, err, sizeof(err)));
	ck_assert_msg(strstr(err, "/nonexistent/local.lex") != NULL, "%s", err);
	conf_free(c);
}
END_TEST

START_TEST(test_reply_scope_names_the_categories_refused)
{
	struct reply_result *r = analyze("Subject: Re: x\n\nĐừng gửi email khảo sát nữa.\n");
	char   *j = reply_result_json(r);

	ck_assert_int_eq(reply_result_optout(r), 1);
	ck_assert_uint_eq(reply_result_optout_scope(r), CATEGORY_BIT(CATEGORY_SURVEY));
	ck_assert_ptr_nonnull(strstr(j, "\"scope\":\"survey\""));
	free(j);
	reply_result_free(r);
	r = analyze("Subject: Re: x\n\nCho hỏi giá?\n");
	ck_assert_uint_eq(reply_result_optout_scope(r), 0);
	j = reply_result_json(r);
	ck_assert_ptr_null(strstr(j, "scope"));
	free(j);
	reply_result_free(r);
}
END_TEST

START_TEST(test_reply_html_alternative_read_only_without_new_plain_text)
{
	static const char fmt[] = "Subject: Re: x\nContent-Type: multipart/alternative; boundary=A\n\n--A\n"
	    "Content-Type: text/plain; charset=utf-8\n\n%s\n--A\nContent-Type: text/html; charset=utf-8\n\n"
	    "<div>Từ chối</div><blockquote type=cite>Kính gửi</blockquote>\n--A--\n";
	char	msg[1024];
	struct reply_result *r;

	snprintf(msg, sizeof(msg), fmt, "> Kính gửi Quý khách");	/* text part: only the quote */
	r = analyze(msg);
	ck_assert_int_eq(reply_result_optout(r), 1);
	ck_assert_str_eq(reply_result_text(r), "Từ chối");
	reply_result_free(r);
	snprintf(msg, sizeof(msg), fmt, "Cho hỏi giá gói VPS?");	/* text part has new text */
	r = analyze(msg);
	ck_assert_int_eq(reply_result_optout(r), 0);
	ck_assert_str_eq(reply_result_text(r), "Cho hỏi giá gói VPS?");
	reply_result_free(r);
}
END_TEST

START_TEST(test_reply_auto_reply_has_no_verdict_and_no_text)
{
	struct reply_result *r = analyze("Subject: Trả lời tự động: Ưu đãi\nAuto-Submitted: auto-replied\n\nTừ chối\n");

	ck_assert_int_eq(reply_result_kind(r), REPLY_KIND_AUTO_REPLY);
	ck_assert_int_eq(reply_result_optout(r), 0);
	ck_assert_int_eq(reply_result_question(r), 0);
	ck_assert_str_eq(reply_result_text(r), "");
	reply_result_free(r);
}
END_TEST

static void *
worker(void *arg)
{
	const char *msgs[] = {
		"Subject: Re: x\nContent-Type: text/html\n\n<div>Từ chối</div><div class=gmail_quote>q</div>",
		"Subject: Re: x\n\nTại sao bị từ chối?\n\nOn Mon, 1 Jan 2024 A <a@b.c> wrote:\n> x\n",
	};
	size_t	i;
	long	bad = 0;

	(void) arg;
	for (i = 0; i < PER_THREAD; i++) {
		const char *m = msgs[i % 2];
		struct reply_result *r = reply_analyze(ra, m, strlen(m), NULL);

		if (r == NULL || reply_result_optout(r) != (i % 2 == 0) || reply_result_question(r) != (i % 2 == 1))
			bad++;
		reply_result_free(r);
	}
	return ((void *) bad);
}

START_TEST(test_reply_analyzer_is_shared_by_threads)
{
	pthread_t t[THREADS];
	size_t	i;
	void   *bad;

	for (i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, worker, NULL), 0);
	for (i = 0; i < THREADS; i++) {
		ck_assert_int_eq(pthread_join(t[i], &bad), 0);
		ck_assert_ptr_null(bad);
	}
}
END_TEST

static Suite *
reply_suite(void)
{
	Suite  *s = suite_create("reply");
	TCase  *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_reply_quoted_footer_is_not_refusal);
	tcase_add_test(tc, test_reply_refusal_pattern_from_conf_is_a_command);
	tcase_add_test(tc, test_reply_bad_refusal_pattern_is_reported);
	tcase_add_test(tc, test_reply_footer_fingerprint_from_conf_cuts);
	tcase_add_test(tc, test_reply_json_is_one_line_in_order);
	tcase_add_test(tc, test_reply_unparsable_input_is_a_question);
	tcase_add_test(tc, test_reply_deep_nesting_is_bounded);
	tcase_add_test(tc, test_reply_parts_over_the_limit_keep_the_first_text);
	tcase_add_test(tc, test_reply_decoded_bytes_are_bounded);
	tcase_add_test(tc, test_reply_kind_names);
	tcase_add_test(tc, test_reply_lexicon_from_conf_adds_words);
	tcase_add_test(tc, test_reply_bad_lexicon_file_is_reported);
	tcase_add_test(tc, test_reply_scope_names_the_categories_refused);
	tcase_add_test(tc, test_reply_html_alternative_read_only_without_new_plain_text);
	tcase_add_test(tc, test_reply_auto_reply_has_no_verdict_and_no_text);
	tcase_add_test(tc, test_reply_analyzer_is_shared_by_threads);
	tcase_add_test(tc, test_reply_fuzz_regressions_do_not_crash);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(reply_suite()));
}
