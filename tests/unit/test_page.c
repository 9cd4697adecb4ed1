/*
 * NAME
 *	test_page 1
 * SUMMARY
 *	links-web's pages (web/page.h)
 * SYNOPSIS
 *	unit/test_page
 * DESCRIPTION
 *	Every string escaped, labels on every control, both languages, a
 *	page for every error with its status.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>


#include "page.h"
#include "strbuf.h"
#include "unit.h"


START_TEST(test_page_escapes_and_labels_every_control)
{
	struct page_site s = {"<script>alert(1)</script>", "a & b", "0\"1", "x'@y", "javascript:x",
			      "/", 365, 60};
	struct page_customer c;
	struct page_event ev[1] = {{1795000000, CATEGORY_PROMOTION, 1, STORE_CH_ONE_CLICK}};
	struct strbuf b;
	const char *p;
	int	e;

	memset(&c, 0, sizeof(c));
	c.token = "abc";
	c.csrf = "1.\"><x";
	c.who = "<i>an</i>@x";
	c.cat = CATEGORY_PROMOTION;
	c.events = ev;
	c.nevents = c.nevents_total = 1;
	strbuf_init(&b);
	ck_assert_int_eq(page_preferences(&b, &s, &c), 0);
	ck_assert_ptr_null(strstr(b.data, "<script"));
	ck_assert_ptr_null(strstr(b.data, "<i>"));
	ck_assert_ptr_null(strstr(b.data, "\"><x"));
	ck_assert_ptr_nonnull(strstr(b.data, "&lt;script&gt;"));
	ck_assert_ptr_nonnull(strstr(b.data, "<html lang=\"vi\">"));
	ck_assert_ptr_nonnull(strstr(b.data, "lang=\"en\""));
	ck_assert_ptr_nonnull(strstr(b.data, "name=\"viewport\""));
	/* every check box has a label for it */
	for (p = b.data; (p = strstr(p, "type=\"checkbox\" id=\"")) != NULL; p++) {
		char	id[32], lab[80];
		size_t	n;

		p += strlen("type=\"checkbox\" id=\"");
		n = strcspn(p, "\"");
		ck_assert_uint_lt(n, sizeof(id));
		memcpy(id, p, n);
		id[n] = 0;
		snprintf(lab, sizeof(lab), "<label for=\"%s\">", id);
		ck_assert_msg(strstr(b.data, lab) != NULL, "no label for %s", id);
	}
	ck_assert_ptr_null(strstr(b.data, "<script"));
	strbuf_free(&b);
	for (e = PAGE_E_BAD_REQUEST; e < PAGE_E_COUNT; e++) {
		strbuf_init(&b);
		ck_assert_int_eq(page_error(&b, &s, (enum page_error) e, "u/", "abc", 30), 0);
		ck_assert_int_ge(page_status((enum page_error) e), 400);
		ck_assert_ptr_null(strstr(b.data, "<script"));
		strbuf_free(&b);
	}
	ck_assert_int_eq(page_status(PAGE_E_NONE), 500);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("page");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_page_escapes_and_labels_every_control);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
