/*
 * NAME
 *	fuzz_token 1 (libFuzzer target)
 * SUMMARY
 *	feed arbitrary and altered tokens to the unsubscribe token verifier
 * SYNOPSIS
 *	fuzz_token [libFuzzer options] [CORPUS_DIR...]
 * DESCRIPTION
 *	Uses a throw-away store whose key is fixed (FUZZ_STORE_KEY), so the
 *	seed corpus can hold genuine tokens. Each input is used twice:
 *
 *	As a token: the input (at most STORE_TOKEN_MAX bytes, up to its
 *	first NUL) is given to store_token_verify_dated() (which
 *	store_token_verify() is). When it verifies, it must be exactly (ignoring letter case) the token
 *	store_token_make() (store_token_make_dated() for a dated one) gives
 *	for the customer, category and day it verified as: no other
 *	spelling of a token is accepted.
 *
 *	As a recipe for a forgery: the first bytes choose a customer id
 *	(1 to 2^40-1) and a category, a genuine token is made and must
 *	verify to the same; then the following bytes pick positions and
 *	replacement characters (from the base32 alphabet, or any byte) and
 *	the altered token must not verify, unless it is the same token up to
 *	letter case. A token of one customer altered to name another
 *	customer is the "reused token for another customer" attack.
 *	Seed corpus: tests/fuzz/corpus/token/.
 * DIAGNOSTICS
 *	Aborts (a finding) when an invariant breaks.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fuzz_common.h"
#include "fuzz_store_setup.h"
#include "store.h"

#define FUZZ_TOKEN_ID_BITS	40		/* customer ids a token can carry */
#define FUZZ_TOKEN_EDITS_MAX	8		/* alterations per input */

static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
static struct store *st;

static void
check_as_token(const uint8_t *data, size_t size)
{
	char	tok[STORE_TOKEN_MAX + 1], again[STORE_TOKEN_MAX];
	int64_t id = 0;
	enum category cat = CATEGORY_COUNT;
	time_t	issued = 0;
	size_t	n = size < STORE_TOKEN_MAX ? size : STORE_TOKEN_MAX;

	memcpy(tok, data, n);
	tok[n] = 0;
	if (store_token_verify_dated(st, tok, &id, &cat, &issued) != STORE_OK)
		return;
	fuzz_check(id > 0 && id < ((int64_t) 1 << FUZZ_TOKEN_ID_BITS), "verified id in range");
	fuzz_check((int) cat >= 0 && cat < CATEGORY_COUNT, "verified category in range");
	/* An undated token (the mailto's) or a dated one (links-web's link). */
	fuzz_check((issued == 0 ? store_token_make(st, id, cat, again, sizeof(again))
		    : store_token_make_dated(st, id, cat, issued, again, sizeof(again))) == STORE_OK,
		   "make again");
	fuzz_check(strcasecmp(tok, again) == 0, "a token verifies only in its one spelling");
}

static void
check_forgery(const uint8_t *data, size_t size)
{
	char	tok[STORE_TOKEN_MAX], alt[STORE_TOKEN_MAX];
	int64_t id = 0, vid;
	enum category cat, vcat;
	size_t	i, len, edits;

	if (size < 7)
		return;
	for (i = 0; i < 5; i++)
		id = (id << 8) | data[i];
	if (id == 0)
		id = 1;
	cat = (enum category) (data[5] % CATEGORY_COUNT);
	fuzz_check(store_token_make(st, id, cat, tok, sizeof(tok)) == STORE_OK, "token made");
	len = strlen(tok);
	fuzz_check(len > 0 && len < STORE_TOKEN_MAX, "token length");
	for (i = 0; i < len; i++)
		fuzz_check(strchr(b32, tok[i]) != NULL, "token is lowercase base32");
	fuzz_check(store_token_verify(st, tok, &vid, &vcat) == STORE_OK && vid == id && vcat == cat,
		   "a genuine token verifies to its customer and category");

	memcpy(alt, tok, len + 1);
	edits = 0;
	for (i = 6; i + 1 < size && edits < FUZZ_TOKEN_EDITS_MAX; i += 2, edits++) {
		size_t	pos = data[i] % len;
		uint8_t v = data[i + 1];

		/* High bit set: that byte (never NUL); else a base32 character. */
		alt[pos] = (char) ((v & 0x80) ? v : b32[v % 32]);
	}
	if (strcasecmp(alt, tok) == 0)
		return;
	if (store_token_verify(st, alt, &vid, &vcat) == STORE_OK) {
		fprintf(stderr, "fuzz_token: %s altered to %s verifies as customer %lld\n", tok, alt,
			(long long) vid);
		fuzz_check(0, "an altered token never verifies");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (st == NULL)
		st = fuzz_store_open("token");
	check_as_token(data, size);
	check_forgery(data, size);
	return (0);
}
