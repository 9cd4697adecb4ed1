/*
 * NAME
 *	fuzz_reply 1 (libFuzzer target)
 * SUMMARY
 *	feed arbitrary bytes to reply_analyze()
 * SYNOPSIS
 *	fuzz_reply [libFuzzer options] [CORPUS_DIR...]
 * DESCRIPTION
 *	Built only with ./configure --enable-fuzzing (clang,
 *	-fsanitize=fuzzer,address,undefined). The first input byte picks
 *	the envelope sender (unknown, null, an address) and the limits
 *	(defaults, or tiny ones so that the limit paths run too); the rest
 *	is the message. Every result must be well formed: a kind name, a
 *	reason, a text that is valid UTF-8, JSON on one line. Inputs that
 *	once crashed are kept in tests/corpus/fuzz/ and replayed by
 *	tests/unit/test_reply.
 *
 *	By hand: clang -fsanitize=fuzzer,address,undefined ... (see
 *	tests/fuzz/reply.am), then ./fuzz_reply -max_total_time=300
 *	-max_len=65536 tests/corpus/vi.
 * DIAGNOSTICS
 *	Aborts (a finding) when a result breaks an invariant.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "reply.h"
#include "reply_charset.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct reply_analyzer *ra_default, *ra_tiny;
static struct conf *conf_default, *conf_tiny;	/* live as long as the process */

static void
init(void)
{
	char	err[256];
	struct conf *c, *t;

	c = conf_default = conf_defaults();
	t = conf_tiny = conf_defaults();
	if (c == NULL || t == NULL
	    || conf_set(t, "mime_max_parts", "2", err, sizeof(err)) < 0
	    || conf_set(t, "mime_max_depth", "1", err, sizeof(err)) < 0
	    || conf_set(t, "mime_max_decoded", "1k", err, sizeof(err)) < 0
	    || (ra_default = reply_analyzer_new(c, err, sizeof(err))) == NULL
	    || (ra_tiny = reply_analyzer_new(t, err, sizeof(err))) == NULL)
		abort();
}

static int
valid_utf8(const char *s)
{
	size_t	n = strlen(s), i = 0, adv;

	while (i < n) {
		if (utf8_decode((const unsigned char *) s + i, n - i, &adv) < 0)
			return (0);
		i += adv;
	}
	return (1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const senders[] = {NULL, "", "an@example.vn", NULL};
	struct reply_result *r;
	const struct reply_analyzer *ra;
	char   *json;
	uint8_t	sel;

	if (ra_default == NULL)
		init();
	if (size == 0)
		return (0);
	sel = data[0];
	ra = (sel & 0x04) ? ra_tiny : ra_default;
	r = reply_analyze(ra, (const char *) data + 1, size - 1, senders[sel & 0x03]);
	if (r == NULL)
		abort();
	if (reply_kind_name(reply_result_kind(r)) == NULL || reply_result_reason(r) == NULL
	    || !valid_utf8(reply_result_text(r)) || !valid_utf8(reply_result_subject(r)))
		abort();
	if (reply_result_kind(r) != REPLY_KIND_REPLY && (reply_result_optout(r) || reply_result_question(r)))
		abort();
	if ((json = reply_result_json(r)) == NULL || strchr(json, '\n') != NULL)
		abort();
	free(json);
	reply_result_free(r);
	return (0);
}
