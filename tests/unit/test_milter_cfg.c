/*
 * NAME
 *	test_milter_cfg 1
 * SUMMARY
 *	unit tests of milter_cfg: the configuration bundle
 * DESCRIPTION
 *	invalid combinations of options are refused with a message.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "milter_cfg.h"
#include "unit.h"

START_TEST(test_cfg_bad_archive_config_is_rejected)
{
	char	err[CONF_ERR_MAX];
	struct conf *c = conf_defaults();

	ck_assert_int_eq(conf_set(c, "pure_refusal_action", "archive", err, sizeof(err)), 0);
	ck_assert_ptr_null(mcfg_new(c, err, sizeof(err)));	/* takes C */
	ck_assert_ptr_nonnull(strstr(err, "archive_address"));
}
END_TEST

/* milter_cfg_suite - the tests of this file */
static Suite *
milter_cfg_suite(void)
{
	Suite  *s = suite_create("milter_cfg");
	TCase  *tc = tcase_create("cfg");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_cfg_bad_archive_config_is_rejected);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_cfg_suite()));
}
