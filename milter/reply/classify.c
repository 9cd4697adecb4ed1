/*
 * NAME
 *	classify 3
 * SUMMARY
 *	classify one message file and print the verdict as JSON
 * SYNOPSIS
 *	#include "classify.h"
 * DESCRIPTION
 *	See classify.h.
 * DIAGNOSTICS
 *	Messages on stderr name the file and the system error.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "classify.h"
#include "reply.h"

#define CLASSIFY_CHUNK	65536

int
classify_file(const struct reply_analyzer *ra, const char *path_or_dash, FILE *out)
{
	FILE   *fp;
	char   *buf = NULL, *json = NULL, *nb;
	size_t	len = 0, cap = 0, n;
	struct reply_result *r = NULL;
	int	ret = EX_OSERR, is_stdin = strcmp(path_or_dash, "-") == 0;

	if (is_stdin)
		fp = stdin;
	else if ((fp = fopen(path_or_dash, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path_or_dash, strerror(errno));
		return (EX_NOINPUT);
	}
	for (;;) {
		if (len == cap) {
			if (cap >= CLASSIFY_INPUT_MAX)
				break;
			cap = cap ? cap * 2 : CLASSIFY_CHUNK;
			if (cap > CLASSIFY_INPUT_MAX)
				cap = CLASSIFY_INPUT_MAX;
			if ((nb = realloc(buf, cap)) == NULL)
				goto fail;
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		fprintf(stderr, "%s: %s\n", path_or_dash, strerror(errno ? errno : EIO));
		ret = EX_NOINPUT;
		goto fail;
	}
	if ((r = reply_analyze(ra, buf ? buf : "", len, NULL)) == NULL
	    || (json = reply_result_json(r)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", path_or_dash);
		goto fail;
	}
	if (fprintf(out, "%s\n", json) < 0 || fflush(out) != 0) {
		fprintf(stderr, "%s: write error: %s\n", path_or_dash, strerror(errno));
		ret = EX_IOERR;
		goto fail;
	}
	ret = EX_OK;
fail:
	free(json);
	reply_result_free(r);
	free(buf);
	if (!is_stdin)
		fclose(fp);
	return (ret);
}
