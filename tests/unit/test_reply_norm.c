/*
 * NAME
 *	test_reply_norm 1 (test program)
 * SUMMARY
 *	unit tests of reply_norm: Unicode normalisation (utf8proc)
 * SYNOPSIS
 *	test_reply_norm (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	NFC, with the Vietnamese vowel-shape marks put before the tones so
 *	that every order a keyboard produces composes to the same letter.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reply_norm.h"
#include "strbuf.h"
#include "unit.h"

/* norm - S normalised with FLAGS, owned by the caller */
static char *
norm(const char *s, int flags)
{
	struct reply_norm n;
	struct strbuf b;

	reply_norm_init(&n);
	strbuf_init(&b);
	ck_assert_int_eq(reply_norm(&n, s, strlen(s), flags, &b), 0);
	reply_norm_free(&n);
	return (strbuf_steal(&b));
}

START_TEST(test_reply_norm_nfd_and_mark_order_compose)
{
	char   *a = norm("T\x75\xcc\x9b\xcc\x80 cho\xcc\x82\xcc\x81i", 0);		/* NFD */
	char   *b = norm("Tu\xcc\x9b\xcc\x80 cho\xcc\x81\xcc\x82i", 0);		/* tone first */

	ck_assert_str_eq(a, "Từ chối");
	ck_assert_str_eq(b, "Từ chối");
	free(a);
	free(b);
}
END_TEST

START_TEST(test_reply_norm_fold_lowers_and_collapses_blanks)
{
	char   *k = norm("  TỪ   CHỐI  ", REPLY_NORM_FOLD | REPLY_NORM_SPACES);

	ck_assert_str_eq(k, "từ chối");
	free(k);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_norm");
	TCase  *tc = tcase_create("core");

	tcase_add_test(tc, test_reply_norm_nfd_and_mark_order_compose);
	tcase_add_test(tc, test_reply_norm_fold_lowers_and_collapses_blanks);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
