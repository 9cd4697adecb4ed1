/*
 * NAME
 *	test_ratelimit 1
 * SUMMARY
 *	links-web's per-client budgets (web/ratelimit.h)
 * SYNOPSIS
 *	unit/test_ratelimit
 * DESCRIPTION
 *	The budget, clients apart, bounded memory, the limit off.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>


#include "ratelimit.h"
#include "unit.h"


START_TEST(test_ratelimit_budget_per_client)
{
	struct ratelimit *rl = ratelimit_new(3, 16), *off = ratelimit_new(0, 16);
	int	i;

	ck_assert_ptr_nonnull(rl);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(ratelimit_take(rl, "a", 1), 0);
	ck_assert_int_ge(ratelimit_take(rl, "a", 1), 1);
	ck_assert_int_le(ratelimit_take(rl, "a", 1), 60);
	ck_assert_int_eq(ratelimit_take(rl, "b", 1), 0);
	ck_assert_int_ge(ratelimit_take(rl, "b", 10), 1);
	for (i = 0; i < 1000; i++)	/* many clients: bounded memory, no failure */
		ratelimit_take(rl, (char[]) {(char) ('A' + i % 50), (char) ('0' + i / 50 % 10), 0}, 1);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(ratelimit_take(off, "a", 1), 0);
	ratelimit_free(rl);
	ratelimit_free(off);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("ratelimit");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ratelimit_budget_per_client);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
