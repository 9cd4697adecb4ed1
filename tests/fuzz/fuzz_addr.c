/*
 * NAME
 *	fuzz_addr 1 (libFuzzer target)
 * SUMMARY
 *	feed arbitrary bytes to the address module (config/addr.c)
 * SYNOPSIS
 *	fuzz_addr [libFuzzer options] [CORPUS_DIR...]
 * DESCRIPTION
 *	The input, up to its first NUL, is an address for addr_normalise(),
 *	a domain for addr_domain_normalise() and a header value for
 *	addr_strip_comments(). Invariants:
 *	  - a normalised address is non-empty, at most ADDR_LEN_MAX bytes,
 *	    well-formed UTF-8, has an '@' and an ASCII lower-case domain,
 *	    and normalising it again gives the same text (one address, one
 *	    form);
 *	  - the null path gives "";
 *	  - a normalised domain is ASCII lower case and stable too;
 *	  - the comment stripper stays within its bounds and terminates.
 *	Seed corpus: tests/fuzz/corpus/addr/.
 * DIAGNOSTICS
 *	Aborts (a finding) when an invariant breaks.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "fuzz_common.h"

#define FUZZ_ADDR_INPUT_MAX	4096	/* bytes of input used */
#define FUZZ_ADDR_STRIP_OUT	64	/* a small output, to test its bound */

static void
check_address(const char *in)
{
	char	out[ADDR_MAX], again[ADDR_MAX];
	const char *d;
	int	r = addr_normalise(in, out, sizeof(out));

	fuzz_check(r == 0 || r == -1 || r == ADDR_NULL, "return value");
	if (r != 0) {
		fuzz_check(out[0] == 0, "nothing written for a non-address");
		return;
	}
	fuzz_check(out[0] != 0 && strlen(out) <= ADDR_LEN_MAX, "length");
	fuzz_check(fuzz_valid_utf8(out, strlen(out)), "UTF-8");
	fuzz_check(strchr(out, '@') != NULL, "an @");
	for (d = addr_domain(out); *d; d++)
		fuzz_check((unsigned char) *d < 0x80 && !(*d >= 'A' && *d <= 'Z'),
			   "ASCII lower-case domain");
	fuzz_check(addr_normalise(out, again, sizeof(again)) == 0, "canonical form is valid");
	fuzz_check(strcmp(out, again) == 0, "canonical form is stable");
}

static void
check_domain(const char *in)
{
	char	out[ADDR_DOMAIN_MAX + 1], again[ADDR_DOMAIN_MAX + 1];

	if (addr_domain_normalise(in, out, sizeof(out)) != 0)
		return;
	for (const char *p = out; *p; p++)
		fuzz_check((unsigned char) *p < 0x80 && !(*p >= 'A' && *p <= 'Z'), "domain case");
	fuzz_check(addr_domain_normalise(out, again, sizeof(again)) == 0
		   && strcmp(out, again) == 0, "domain form is stable");
}

static void
check_strip(const char *in, size_t len)
{
	char	out[FUZZ_ADDR_STRIP_OUT];
	size_t	maxin = len / 2 + 1;
	size_t	n = addr_strip_comments(in, maxin, out, sizeof(out));

	fuzz_check(n < sizeof(out) && out[n] == 0 && strlen(out) == n, "stripped text bounded");
	fuzz_check(n <= maxin, "no more than was read");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char   *in;
	size_t	n = size < FUZZ_ADDR_INPUT_MAX ? size : FUZZ_ADDR_INPUT_MAX;

	if ((in = malloc(n + 1)) == NULL)
		return (0);
	memcpy(in, data, n);
	in[n] = 0;
	check_address(in);
	check_domain(in);
	check_strip(in, strlen(in));
	free(in);
	return (0);
}
