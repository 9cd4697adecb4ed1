/*
 * NAME
 *	fuzz_auth 1 (libFuzzer target)
 * SUMMARY
 *	feed arbitrary bytes to the Authentication-Results parser
 *	(milter/milter_auth.c)
 * SYNOPSIS
 *	fuzz_auth [libFuzzer options] [CORPUS_DIR...]
 * DESCRIPTION
 *	The input's first line is the From domain, the rest (up to a NUL)
 *	an Authentication-Results value, also read as a Received value.
 *	Invariants:
 *	  - mauth_eval() returns 0 or 1; an untrusted header says nothing;
 *	    every method that passed has a result (PASS within PRESENT);
 *	  - mauth_check() agrees: 1 exactly when the header is trusted,
 *	    reports no fail and a pass, with the strongest pass;
 *	  - the "by" host of mauth_received_by() is bounded, lower case and
 *	    has no blank.
 *	Seed corpus: tests/fuzz/corpus/auth/.
 * DIAGNOSTICS
 *	Aborts (a finding) when an invariant breaks.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "milter_auth.h"

#define FUZZ_AUTH_INPUT_MAX	16384	/* bytes of input used */
#define FUZZ_AUTH_DOMAIN_MAX	256	/* bytes of the From domain */
#define FUZZ_AUTH_HOST_SMALL	16	/* a small output, to test its bound */

static const char *const fuzz_trusted[] = {"mx.ilinks.asia", "MX2.ilinks.asia"};

/* check_eval - the invariants of mauth_eval() and mauth_check() on VALUE */
static void
check_eval(const char *value, const char *domain)
{
	struct mauth_res res;
	enum mauth_how how;
	int	t = mauth_eval(value, fuzz_trusted, 2, NULL, domain, &res);
	struct mauth_res rj;
	int	tj = mauth_eval(value, fuzz_trusted, 2, "4XyZ12", domain, &rj);
	int	c = mauth_check(value, fuzz_trusted, 2, domain, &how);

	fuzz_check(t == 0 || t == 1, "mauth_eval returns 0 or 1");
	fuzz_check(!(t && tj), "an authserv-id is trusted with a job id or without, not both");
	fuzz_check(t || (res.present == 0 && res.pass == 0 && res.fail == 0),
		   "an untrusted header says nothing");
	fuzz_check((res.pass & ~res.present) == 0, "a pass is a result");
	fuzz_check(c == (t && !res.fail && res.pass != 0), "mauth_check agrees with mauth_eval");
	fuzz_check(c ? how == mauth_best(res.pass) : how == MAUTH_NONE, "the strongest pass");
}

/* check_received - the invariants of mauth_received_by() on VALUE */
static void
check_received(const char *value)
{
	char	host[FUZZ_AUTH_HOST_SMALL];

	if (mauth_received_by(value, host, sizeof(host)) != 0) {
		fuzz_check(host[0] == 0, "no host written on failure");
		return;
	}
	fuzz_check(strlen(host) > 0 && strlen(host) < sizeof(host), "host bounded");
	for (const char *p = host; *p; p++)
		fuzz_check(*p != ' ' && !(*p >= 'A' && *p <= 'Z'), "host lower case, no blank");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char   *in, domain[FUZZ_AUTH_DOMAIN_MAX];
	const char *nl, *value;
	size_t	n = size < FUZZ_AUTH_INPUT_MAX ? size : FUZZ_AUTH_INPUT_MAX, dl;

	if ((in = malloc(n + 1)) == NULL)
		return (0);
	memcpy(in, data, n);
	in[n] = 0;
	nl = strchr(in, '\n');
	dl = nl ? (size_t) (nl - in) : 0;
	if (dl >= sizeof(domain))
		dl = sizeof(domain) - 1;
	memcpy(domain, in, dl);
	domain[dl] = 0;
	value = nl ? nl + 1 : in;
	check_eval(value, domain);
	check_received(value);
	free(in);
	return (0);
}
