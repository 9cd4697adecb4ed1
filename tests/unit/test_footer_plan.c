/*
 * NAME
 *	test_footer_plan 1
 * SUMMARY
 *	unit tests of the footer formatted once per composer (sender/footer_plan.c)
 * SYNOPSIS
 *	test_footer_plan
 * DESCRIPTION
 *	The plan must write the bytes the footer had when each message
 *	formatted it whole: the reference here is that per-message code
 *	(ref_text(), ref_html(): one printf of the separator, reason and
 *	refusal sentences, the preference line, the contact block, and for
 *	HTML the escape of the whole). For contact fields with and without
 *	HTML special characters, line breaks, a portal or none; reasons
 *	and preference links with special characters, Vietnamese, empty;
 *	the refusal sentences of every category and of a last message; a
 *	body that ends with a line break, without one, or is empty: both
 *	must be the same bytes.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "conf.h"
#include "footer.h"
#include "footer_plan.h"
#include "strbuf.h"
#include "unit.h"

#define REF_PREF_LABEL	"Tùy chọn nhận email / Email preferences"

/* ref_head - the reference: separator, REASON and refusal sentences, after a line break */
static void
ref_head(struct strbuf *b, const char *reason, const char *vi, const char *en)
{
	if (b->len > 0 && b->data[b->len - 1] != '\n')
		ck_assert_int_eq(strbuf_adds(b, "\n"), 0);
	ck_assert_int_eq(strbuf_printf(b, "\n%s\n%s\n%s\n%s\n", FOOTER_SEPARATOR, reason, vi, en), 0);
}

/* ref_contact - the reference contact block */
static void
ref_contact(const struct conf *cf, struct strbuf *b)
{
	const char *portal = conf_portal_url(cf);

	ck_assert_int_eq(strbuf_printf(b, "%s%s%s\nĐiện thoại: %s - Email: %s\n",
				       conf_company_name(cf), FOOTER_CONTACT_SEP,
				       conf_contact_address(cf), conf_contact_phone(cf),
				       conf_contact_email(cf)), 0);
	if (portal && *portal)
		ck_assert_int_eq(strbuf_printf(b, "Website: %s\n", portal), 0);
}

/* ref_escaped - the reference HTML escape of S into B */
static void
ref_escaped(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': ck_assert_int_eq(strbuf_adds(b, "&amp;"), 0); break;
		case '<': ck_assert_int_eq(strbuf_adds(b, "&lt;"), 0); break;
		case '>': ck_assert_int_eq(strbuf_adds(b, "&gt;"), 0); break;
		case '"': ck_assert_int_eq(strbuf_adds(b, "&quot;"), 0); break;
		case '\n': ck_assert_int_eq(strbuf_adds(b, "<br>\n"), 0); break;
		default: ck_assert_int_eq(strbuf_add(b, s, 1), 0); break;
		}
	}
}

/* ref_text - the reference text footer */
static void
ref_text(const struct conf *cf, struct strbuf *b, const char *reason, const char *pref,
	 const char *vi, const char *en)
{
	ref_head(b, reason, vi, en);
	if (pref != NULL)
		ck_assert_int_eq(strbuf_printf(b, "%s: %s\n", REF_PREF_LABEL, pref), 0);
	ref_contact(cf, b);
}

/* ref_html - the reference HTML footer */
static void
ref_html(const struct conf *cf, struct strbuf *b, const char *reason, const char *pref,
	 const char *vi, const char *en)
{
	struct strbuf f;

	strbuf_init(&f);
	ck_assert_int_eq(strbuf_adds(b, "\n<div class=\"links-footer\" "
				     "style=\"font-size:small;color:#555\">\n"), 0);
	ref_head(&f, reason, vi, en);
	ref_escaped(b, f.data + 1);
	if (pref != NULL) {
		ck_assert_int_eq(strbuf_adds(b, "<a href=\""), 0);
		ref_escaped(b, pref);
		ck_assert_int_eq(strbuf_adds(b, "\">"), 0);
		ref_escaped(b, REF_PREF_LABEL);
		ck_assert_int_eq(strbuf_adds(b, "</a><br>\n"), 0);
	}
	strbuf_reset(&f);
	ref_contact(cf, &f);
	ref_escaped(b, f.data);
	ck_assert_int_eq(strbuf_adds(b, "</div>\n"), 0);
	strbuf_free(&f);
}

static const char *const reasons[] = {
	"Bạn nhận email này vì bạn đang dùng dịch vụ VPS của LINKS.", "", "a < b & \"c\" > d",
	"dòng một\ndòng hai", "100% <b>đậm</b>",
};
static const char *const prefs[] = {
	NULL, "https://ilinks.asia/p/abc?x=1&y=\"2\"", "https://web.example/pref/TOKEN",
};
static const char *const bodies[] = {"", "Xin chào\n", "Xin chào", "<p>x</p>"};

/* check_conf - the plan against the reference for CF, every reason, link, body and category */
static void
check_conf(const struct conf *cf)
{
	struct strbuf got, want;
	struct footer_plan *fp;
	const char *vi, *en;
	int	n = 0;

	strbuf_init(&got);
	strbuf_init(&want);
	for (int c = 0; c <= CATEGORY_COUNT; c++) {
		vi = c < CATEGORY_COUNT ? category_get((enum category) c)->refusal_vi : FOOTER_LAST_VI;
		en = c < CATEGORY_COUNT ? category_get((enum category) c)->refusal_en : FOOTER_LAST_EN;
		ck_assert_ptr_nonnull(fp = footer_plan_new(cf, vi, en));
		for (size_t r = 0; r < sizeof(reasons) / sizeof(reasons[0]); r++)
			for (size_t p = 0; p < sizeof(prefs) / sizeof(prefs[0]); p++)
				for (size_t d = 0; d < sizeof(bodies) / sizeof(bodies[0]); d++) {
					strbuf_reset(&got);
					strbuf_reset(&want);
					ck_assert_int_eq(strbuf_adds(&got, bodies[d]), 0);
					ck_assert_int_eq(strbuf_adds(&want, bodies[d]), 0);
					ck_assert_int_eq(footer_plan_text(fp, &got, reasons[r], prefs[p]), 0);
					ref_text(cf, &want, reasons[r], prefs[p], vi, en);
					ck_assert_str_eq(got.data, want.data);
					strbuf_reset(&got);
					strbuf_reset(&want);
					ck_assert_int_eq(strbuf_adds(&got, bodies[d]), 0);
					ck_assert_int_eq(strbuf_adds(&want, bodies[d]), 0);
					ck_assert_int_eq(footer_plan_html(fp, &got, reasons[r], prefs[p]), 0);
					ref_html(cf, &want, reasons[r], prefs[p], vi, en);
					ck_assert_str_eq(got.data, want.data);
					n++;
				}
		footer_plan_free(fp);
	}
	ck_assert_int_gt(n, 0);
	strbuf_free(&got);
	strbuf_free(&want);
}

START_TEST(test_footer_plan_writes_the_bytes_of_the_per_message_footer_with_defaults)
{
	struct conf *cf = conf_defaults();

	ck_assert_ptr_nonnull(cf);
	check_conf(cf);
	conf_free(cf);
}
END_TEST

START_TEST(test_footer_plan_writes_the_bytes_of_the_per_message_footer_with_special_contact)
{
	static const char *const set[][2] = {
		{"company_name", "Công ty <LINKS> & \"Đối tác\""},
		{"contact_address", "Số 1 > Số 2, Hà Nội"},
		{"contact_phone", "+84 (24) 9996-3579 & 0900"},
		{"contact_email", "hỗ-trợ@ilinks.asia"},
		{"portal_url", ""},
	};
	struct conf *cf = conf_defaults();
	char	err[CONF_ERR_MAX];

	ck_assert_ptr_nonnull(cf);
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		ck_assert_msg(conf_set(cf, set[i][0], set[i][1], err, sizeof(err)) == 0, "%s", err);
	check_conf(cf);
	ck_assert_int_eq(conf_set(cf, "portal_url", "https://dichvu.ilinks.asia/?a=1&b=\"2\"", err,
				  sizeof(err)), 0);
	check_conf(cf);
	conf_free(cf);
}
END_TEST

START_TEST(test_footer_plan_free_accepts_null)
{
	footer_plan_free(NULL);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("footer_plan");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_footer_plan_writes_the_bytes_of_the_per_message_footer_with_defaults);
	tcase_add_test(tc, test_footer_plan_writes_the_bytes_of_the_per_message_footer_with_special_contact);
	tcase_add_test(tc, test_footer_plan_free_accepts_null);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
