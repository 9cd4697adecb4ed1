/*
 * NAME
 *	test_category 1
 * SUMMARY
 *	unit tests of config/category.c: the one table of email categories
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "unit.h"

START_TEST(test_category_names_round_trip)
{
	for (unsigned i = 0; i < CATEGORY_COUNT; i++) {
		enum category c;

		ck_assert_ptr_nonnull(category_get((enum category) i));
		ck_assert_int_eq(category_parse(category_name((enum category) i), &c), 0);
		ck_assert_int_eq(c, (int) i);
	}
	ck_assert_ptr_null(category_get(CATEGORY_COUNT));
	ck_assert_str_eq(category_name(CATEGORY_COUNT), "unknown");
	{
		enum category c;

		ck_assert_int_eq(category_parse("nonsense", &c), -1);
		ck_assert_int_eq(category_parse("PROMOTION", &c), 0);
		ck_assert_int_eq(c, CATEGORY_PROMOTION);
	}
}
END_TEST

START_TEST(test_category_policy_rules)
{
	/* policy section 5: only promotions and surveys can be refused */
	ck_assert_int_eq(category_refusable(CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(category_refusable(CATEGORY_SURVEY), 1);
	ck_assert_int_eq(category_refusable(CATEGORY_ACCOUNT), 0);
	ck_assert_int_eq(category_refusable(CATEGORY_MAINTENANCE), 0);
	ck_assert_int_eq(category_refusable(CATEGORY_ANSWER), 0);
	ck_assert_int_eq(category_refusable(CATEGORY_STAFF), 0);
	ck_assert_int_eq(category_refusable(CATEGORY_COUNT), 0);
	ck_assert_uint_eq(category_refusable_mask(),
			  CATEGORY_BIT(CATEGORY_PROMOTION) | CATEGORY_BIT(CATEGORY_SURVEY));
	ck_assert_int_eq(category_get(CATEGORY_MAINTENANCE)->audience, CATEGORY_AUD_SERVICE);
	ck_assert_int_eq(category_get(CATEGORY_STAFF)->from, CATEGORY_FROM_STAFF);
	ck_assert_int_eq(category_get(CATEGORY_SURVEY)->from, CATEGORY_FROM_SUPPORT);
	ck_assert_int_eq(category_get(CATEGORY_ANSWER)->audience, CATEGORY_AUD_ADDRESSED);
}
END_TEST

START_TEST(test_category_every_row_is_complete)
{
	for (unsigned i = 0; i < CATEGORY_COUNT; i++) {
		const struct category_info *ci = category_get((enum category) i);

		ck_assert_msg(ci->name != NULL && *ci->name, "row %u has no name", i);
		ck_assert_msg(ci->template != NULL && *ci->template, "%s has no template", ci->name);
		ck_assert_msg(ci->reason_vi != NULL && *ci->reason_vi, "%s has no reason", ci->name);
		/* List-Unsubscribe needs a refusal to record */
		ck_assert_msg(!ci->list_headers || ci->refusable, "%s: list headers", ci->name);
	}
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("category");
	TCase  *tc = tcase_create("category");

	tcase_add_test(tc, test_category_names_round_trip);
	tcase_add_test(tc, test_category_policy_rules);
	tcase_add_test(tc, test_category_every_row_is_complete);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
