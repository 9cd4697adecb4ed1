/*
 * NAME
 *	test_milter_state 1
 * SUMMARY
 *	unit tests of milter_state: the running configuration
 * DESCRIPTION
 *	a message keeps the configuration it started with across a reload.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milter_ctx.h"
#include "milter_state.h"
#include "milter_testlib.h"
#include "unit.h"

START_TEST(test_state_message_keeps_its_config_across_reload)
{
	struct mcfg *old = mt_cfg("pure_refusal_action", "deliver");
	struct mcfg *new = mt_cfg("pure_refusal_action", "discard");
	struct mcfg *cur;
	struct mctx_msg *m;

	mstate_set(old);
	mcfg_release(old);		/* the state holds it now */
	cur = mstate_get();
	m = mctx_new(cur);
	mcfg_release(cur);
	mstate_set(new);		/* reload: the old one lives on in M */
	mcfg_release(new);
	ck_assert_int_eq(mcfg_pure_action(mctx_cfg(m)), MCFG_PURE_DELIVER);
	cur = mstate_get();
	ck_assert_int_eq(mcfg_pure_action(cur), MCFG_PURE_DISCARD);
	mcfg_release(cur);
	mctx_free(m);			/* frees the old configuration */
	mstate_set(NULL);
}
END_TEST

/* milter_state_suite - the tests of this file */
static Suite *
milter_state_suite(void)
{
	Suite  *s = suite_create("milter_state");
	TCase  *tc = tcase_create("state");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_state_message_keeps_its_config_across_reload);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_state_suite()));
}
