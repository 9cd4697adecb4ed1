/*
 * NAME
 *	test_store_token 1
 * SUMMARY
 *	unit tests of store/token.c
 * SYNOPSIS
 *	unit/test_store_token
 * DESCRIPTION
 *	Unsubscribe tokens: round trip, either case, tampering, another key.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store_fx.h"

START_TEST(test_store_token_round_trip_and_tamper)
{
	struct fx f, g;
	char	tok[STORE_TOKEN_MAX], bad[STORE_TOKEN_MAX];
	enum category cat;
	int64_t	id;
	size_t	i;

	fx_setup(&f, 1);
	ck_assert_int_eq(store_token_make(f.st, 4242, CATEGORY_PROMOTION, tok, sizeof(tok)),
			 STORE_OK);
	ck_assert_int_lt(strlen(tok), 40);
	ck_assert_uint_eq(strspn(tok, "abcdefghijklmnopqrstuvwxyz234567"), strlen(tok));
	ck_assert_int_eq(store_token_verify(f.st, tok, &id, &cat), STORE_OK);
	ck_assert_int_eq(id, 4242);
	ck_assert_int_eq(cat, CATEGORY_PROMOTION);
	/* MTAs may upper-case a local part */
	for (i = 0; tok[i]; i++)
		bad[i] = (char) (tok[i] >= 'a' && tok[i] <= 'z' ? tok[i] - 32 : tok[i]);
	bad[i] = 0;
	ck_assert_int_eq(store_token_verify(f.st, bad, &id, &cat), STORE_OK);
	/* any changed character is refused */
	for (i = 0; tok[i]; i++) {
		strcpy(bad, tok);
		bad[i] = bad[i] == 'a' ? 'b' : 'a';
		ck_assert_msg(store_token_verify(f.st, bad, &id, &cat) == STORE_NOTFOUND,
			      "tampered position %zu accepted", i);
	}
	ck_assert_int_eq(store_token_verify(f.st, "", &id, &cat), STORE_NOTFOUND);
	ck_assert_int_eq(store_token_verify(f.st, "abc", &id, &cat), STORE_NOTFOUND);
	strcpy(bad, tok);
	bad[3] = '!';
	ck_assert_int_eq(store_token_verify(f.st, bad, &id, &cat), STORE_NOTFOUND);
	snprintf(bad, sizeof(bad), "%sa", tok);
	ck_assert_int_eq(store_token_verify(f.st, bad, &id, &cat), STORE_NOTFOUND);
	/* a token made under another master key is a forgery here */
	fx_setup(&g, 1);
	ck_assert_int_eq(store_token_make(g.st, 4242, CATEGORY_PROMOTION, bad, sizeof(bad)),
			 STORE_OK);
	ck_assert_str_ne(bad, tok);
	ck_assert_int_eq(store_token_verify(f.st, bad, &id, &cat), STORE_NOTFOUND);
	ck_assert_int_eq(store_token_make(f.st, 0, CATEGORY_PROMOTION, bad, sizeof(bad)), STORE_ERR);
	ck_assert_int_eq(store_token_make(f.st, 1, CATEGORY_SURVEY, bad, 10), STORE_ERR);
	fx_teardown(&g);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_token");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_token_round_trip_and_tamper);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
