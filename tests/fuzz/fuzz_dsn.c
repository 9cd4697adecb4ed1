/*
 * NAME
 *	fuzz_dsn 1 (libFuzzer target)
 * SUMMARY
 *	feed arbitrary bytes to the delivery status notification parser
 *	(milter/milter_dsn.c)
 * SYNOPSIS
 *	fuzz_dsn [libFuzzer options] [CORPUS_DIR...]
 * DESCRIPTION
 *	The input is a whole message (not NUL-terminated: the parser
 *	takes a length). Invariants:
 *	  - mdsn_parse() returns 0 or 1 and keeps at most MDSN_RCPT_MAX
 *	    recipients;
 *	  - every recipient address is non-empty, shorter than MADDR_MAX
 *	    and has no blank; its class is one of the three;
 *	  - the returned Message-ID is bounded, with no blank, control
 *	    character or angle bracket.
 *	Seed corpus: tests/fuzz/corpus/dsn/.
 * DIAGNOSTICS
 *	Aborts (a finding) when an invariant breaks.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "milter_dsn.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdsn *d;
	char   *copy;
	int	r;

	/* an exact-size copy, so reading one byte past the end is caught */
	if ((d = malloc(sizeof(*d))) == NULL || (copy = malloc(size ? size : 1)) == NULL) {
		free(d);
		return (0);
	}
	memcpy(copy, data, size);
	r = mdsn_parse(copy, size, d);
	fuzz_check(r == 0 || r == 1, "mdsn_parse returns 0 or 1");
	fuzz_check(d->nrcpt <= MDSN_RCPT_MAX, "recipients bounded");
	for (size_t i = 0; i < d->nrcpt; i++) {
		size_t	n = strnlen(d->rcpt[i].addr, MADDR_MAX);

		fuzz_check(n > 0 && n < MADDR_MAX, "address bounded");
		fuzz_check(strchr(d->rcpt[i].addr, ' ') == NULL, "address without blank");
		fuzz_check(d->rcpt[i].cls == MDSN_OTHER || d->rcpt[i].cls == MDSN_SOFT
			   || d->rcpt[i].cls == MDSN_HARD, "class");
	}
	fuzz_check(strnlen(d->msgid, MADDR_MSGID_MAX) < MADDR_MSGID_MAX, "Message-ID bounded");
	for (const char *p = d->msgid; *p; p++)
		fuzz_check((unsigned char) *p > ' ' && (unsigned char) *p < 0x7f && *p != '<'
			   && *p != '>', "Message-ID characters");
	free(copy);
	free(d);
	return (0);
}
