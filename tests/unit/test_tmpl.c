/*
 * NAME
 *	test_tmpl 1
 * SUMMARY
 *	unit tests of message templates: parsing, placeholders, rendering (sender/tmpl.c)
 * SYNOPSIS
 *	test_tmpl
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
#include "sender_fixture.h"
#include "store.h"
#include "tmpl.h"
#include "unit.h"

START_TEST(test_tmpl_missing_placeholder_is_an_error)
{
	const char *src = "Subject: Hello {{name}}\n\nDear {{name}}, {{missing}}\n";
	char	err[256], *out = NULL;
	struct tmpl *t = tmpl_parse("t", src, strlen(src), err, sizeof(err));
	struct tmpl_vars *v = tmpl_vars_new(NULL);

	ck_assert_ptr_nonnull(t);
	tmpl_vars_set(v, "name", "An");
	ck_assert_int_eq(tmpl_render(t, TMPL_SUBJECT, v, &out, err, sizeof(err)), 0);
	ck_assert_str_eq(out, "Hello An");
	free(out);
	ck_assert_int_eq(tmpl_render(t, TMPL_TEXT, v, &out, err, sizeof(err)), -1);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(err, "{{missing}}"));
	tmpl_vars_free(v);
	tmpl_free(t);
}
END_TEST

START_TEST(test_tmpl_syntax_errors_name_the_line)
{
	const char *bad[] = {
		"Subject: x\n\nline\n{{ unclosed\n",
		"Subject: x\n\nline\n{{Bad Key}}\n",
		"Subject: x\nNope: y\n\nbody\n",
		"Label: [QC]\n\nno subject\n",
		"Subject: x\nLabel: [QUẢNG CÁO]\n\nbody\n",
		"Subject: x\n",
	};
	char	err[256];
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tmpl *t = tmpl_parse("f.tmpl", bad[i], strlen(bad[i]), err, sizeof(err));

		ck_assert_msg(t == NULL, "case %zu accepted", i);
		ck_assert_int_eq(strncmp(err, "f.tmpl", 6), 0);
	}
	tmpl_parse("f.tmpl", bad[0], strlen(bad[0]), err, sizeof(err));
	ck_assert_ptr_nonnull(strstr(err, "f.tmpl:4:"));
}
END_TEST

#define ESC_TRIES	200	/* random values the escaping test renders */
#define ESC_VALUE_MAX	2000	/* their longest: past the render's first reservation */

/* esc_ref - S escaped one character at a time into OUT (the test's reference) */
static void
esc_ref(const char *s, char *out)
{
	for (*out = 0; *s; s++)
		strcat(out, *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
		       : *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : (char[2]) {*s, 0});
}

START_TEST(test_tmpl_html_escapes_every_value_as_one_character_at_a_time_would)
{
	static const char *const alpha[] = {"a", "b", " ", "<", ">", "&", "\"", "'", "Đ", "ứ"};
	const char *src = "Subject: s\n\ntext {{v}}\n--- html ---\n<p>{{v}}</p>{{v}}\n";
	static char val[ESC_VALUE_MAX + 1], esc[6 * ESC_VALUE_MAX + 1], want[18 * ESC_VALUE_MAX + 64];
	char	err[256], *out;
	struct tmpl *t = tmpl_parse("t", src, strlen(src), err, sizeof(err));
	size_t	len, i;

	ck_assert_ptr_nonnull(t);
	srand(20261201);
	for (int k = 0; k < ESC_TRIES; k++) {
		struct tmpl_vars *v = tmpl_vars_new(NULL);

		len = k < 20 ? (size_t) k : (size_t) rand() % (ESC_VALUE_MAX / 3);
		for (val[0] = 0, i = 0; i < len; i++)
			strcat(val, alpha[rand() % (int) (sizeof(alpha) / sizeof(alpha[0]))]);
		esc_ref(val, esc);
		snprintf(want, sizeof(want), "<p>%s</p>%s\n", esc, esc);
		ck_assert_int_eq(tmpl_vars_set(v, "v", val), 0);
		ck_assert_int_eq(tmpl_render(t, TMPL_HTML, v, &out, err, sizeof(err)), 0);
		ck_assert_str_eq(out, want);
		free(out);
		tmpl_vars_free(v);
	}
	tmpl_free(t);
}
END_TEST

START_TEST(test_tmpl_html_part_is_escaped)
{
	const char *src = "Subject: s\n\ntext {{v}}\n--- html ---\n<p>{{v}}</p>\n";
	char	err[256], *out;
	struct tmpl *t = tmpl_parse("t", src, strlen(src), err, sizeof(err));
	struct tmpl_vars *v = tmpl_vars_new(NULL);

	ck_assert_ptr_nonnull(t);
	ck_assert(tmpl_has(t, TMPL_HTML));
	tmpl_vars_set(v, "v", "<script>&\"'");
	ck_assert_int_eq(tmpl_render(t, TMPL_HTML, v, &out, err, sizeof(err)), 0);
	ck_assert_str_eq(out, "<p>&lt;script&gt;&amp;&quot;&#39;</p>\n");
	free(out);
	ck_assert_int_eq(tmpl_render(t, TMPL_TEXT, v, &out, err, sizeof(err)), 0);
	ck_assert_str_eq(out, "text <script>&\"'\n");
	free(out);
	tmpl_vars_free(v);
	tmpl_free(t);
}
END_TEST

START_TEST(test_tmpl_shipped_templates_load)
{
	const char *names[] = {"contract_notice", "invoice", "confirmation", "policy_change",
		"maintenance", "survey", "promotion", "answer", "optout_confirm", "staff"};
	const char *cats[] = {"account", "account", "account", "account", "maintenance", "survey",
		"promotion", "answer", "account", "staff"};
	char	err[512];
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct tmpl *t = tmpl_load(TEST_TEMPLATES, names[i], err, sizeof(err));

		ck_assert_msg(t != NULL, "%s: %s", names[i], err);
		ck_assert_msg(tmpl_allows(t, cats[i]), "%s not for %s", names[i], cats[i]);
		ck_assert(!tmpl_allows(t, strcmp(cats[i], "promotion") ? "promotion" : "account"));
		tmpl_free(t);
	}
	ck_assert_ptr_null(tmpl_load(TEST_TEMPLATES, "../etc/passwd", err, sizeof(err)));
}
END_TEST

START_TEST(test_tmpl_vars_find_the_exact_key_the_latest_value_and_the_parents)
{
	struct tmpl_vars *p = tmpl_vars_new(NULL), *v;

	ck_assert_int_eq(tmpl_vars_set(p, "name", "parent"), 0);
	ck_assert_int_eq(tmpl_vars_set(p, "url", "u"), 0);
	v = tmpl_vars_new(p);
	/* Keys of one length, keys one the prefix of another. */
	ck_assert_int_eq(tmpl_vars_set(v, "namf", "1"), 0);
	ck_assert_int_eq(tmpl_vars_set(v, "name2", "2"), 0);
	ck_assert_int_eq(tmpl_vars_set(v, "nam", "3"), 0);
	ck_assert_str_eq(tmpl_vars_get(v, "name"), "parent");
	ck_assert_str_eq(tmpl_vars_get(v, "namf"), "1");
	ck_assert_str_eq(tmpl_vars_get(v, "name2"), "2");
	ck_assert_str_eq(tmpl_vars_get(v, "nam"), "3");
	ck_assert_str_eq(tmpl_vars_get(v, "url"), "u");
	ck_assert_ptr_null(tmpl_vars_get(v, "na"));
	ck_assert_ptr_null(tmpl_vars_get(v, "namg"));
	ck_assert_int_eq(tmpl_vars_set(v, "name", "child"), 0);
	ck_assert_int_eq(tmpl_vars_set(v, "namf", "4"), 0);
	ck_assert_str_eq(tmpl_vars_get(v, "name"), "child");
	ck_assert_str_eq(tmpl_vars_get(v, "namf"), "4");
	ck_assert_str_eq(tmpl_vars_get(p, "name"), "parent");
	tmpl_vars_free(v);
	tmpl_vars_free(p);
}
END_TEST

START_TEST(test_tmpl_optout_confirm_has_no_advertising)
{
	char	err[512], *text;
	struct tmpl *t = tmpl_load(TEST_TEMPLATES, "optout_confirm", err, sizeof(err));
	struct tmpl_vars *v = tmpl_vars_new(NULL);
	const char *keys[] = {"name", "email", "contact_email", "contact_phone", "company_name"};
	size_t	i;

	ck_assert_ptr_nonnull(t);
	for (i = 0; i < 5; i++)
		tmpl_vars_set(v, keys[i], "x");
	ck_assert_str_eq(tmpl_label(t), "");
	ck_assert_int_eq(tmpl_render(t, TMPL_TEXT, v, &text, err, sizeof(err)), 0);
	ck_assert_ptr_null(strstr(text, "ưu đãi"));
	ck_assert_ptr_null(strstr(text, "Ưu đãi"));
	ck_assert_ptr_null(strstr(text, "http"));
	ck_assert_ptr_null(strstr(text, "[QC]"));
	free(text);
	tmpl_vars_free(v);
	tmpl_free(t);
}
END_TEST

/* tmpl_suite - the tests of sender/tmpl.c */
static Suite *
tmpl_suite(void)
{
	Suite  *s = suite_create("tmpl");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tmpl_missing_placeholder_is_an_error);
	tcase_add_test(tc, test_tmpl_syntax_errors_name_the_line);
	tcase_add_test(tc, test_tmpl_html_part_is_escaped);
	tcase_add_test(tc, test_tmpl_vars_find_the_exact_key_the_latest_value_and_the_parents);
	tcase_add_test(tc, test_tmpl_html_escapes_every_value_as_one_character_at_a_time_would);
	tcase_add_test(tc, test_tmpl_shipped_templates_load);
	tcase_add_test(tc, test_tmpl_optout_confirm_has_no_advertising);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(tmpl_suite()));
}
