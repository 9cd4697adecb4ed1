/*
 * NAME
 *	test_reply_vi 1 (test program)
 * SUMMARY
 *	our Vietnamese reply corpus: every message must get its verdict
 * SYNOPSIS
 *	test_reply_vi [-v]
 * DESCRIPTION
 *	Reads tests/corpus/vi/expected.tsv (written by tests/corpus/vi/gen.py
 *	together with the .eml files) and runs reply_analyze() on each
 *	message with the envelope sender of the table ("-" unknown, "<>"
 *	the null sender). Kind, optout and question must be as expected;
 *	the check column adds one more condition on the new text, the
 *	reason or the bounced recipients. Prints "vi: N/M pass" and every
 *	failure with the JSON verdict. Unlike the public corpora there is
 *	no floor: every case must pass.
 * DIAGNOSTICS
 *	Exit 0 when all pass, 1 otherwise, 99 on a setup error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "reply.h"

#define LINE_MAX_TSV	4096

static char *
slurp(const char *path, size_t *len)
{
	FILE   *fp = fopen(path, "rb");
	char   *buf = NULL;
	long	n;

	if (fp == NULL)
		return (NULL);
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0
	    && (buf = malloc((size_t) n + 1)) != NULL) {
		*len = fread(buf, 1, (size_t) n, fp);
		buf[*len] = 0;
	}
	fclose(fp);
	return (buf);
}

/* "\n" in a check value stands for a line break. */
static void
unescape(char *s)
{
	char   *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			*o++ = '\n';
			s++;
		} else
			*o++ = *s;
	}
	*o = 0;
}

static int
check(const struct reply_result *r, const char *chk)
{
	char	buf[LINE_MAX_TSV];

	if (strcmp(chk, "-") == 0)
		return (1);
	if (strcmp(chk, "empty") == 0)
		return (*reply_result_text(r) == 0);
	if (strncmp(chk, "text=", 5) == 0) {
		snprintf(buf, sizeof(buf), "%s", chk + 5);
		unescape(buf);
		return (strcmp(reply_result_text(r), buf) == 0);
	}
	if (strncmp(chk, "has=", 4) == 0)
		return (strstr(reply_result_text(r), chk + 4) != NULL);
	if (strncmp(chk, "reason=", 7) == 0)
		return (strcmp(reply_result_reason(r), chk + 7) == 0);
	if (strncmp(chk, "bounce=", 7) == 0) {
		size_t	i, n = reply_result_bounce_count(r);

		buf[0] = 0;
		for (i = 0; i < n; i++) {
			if (i > 0)
				strncat(buf, ",", sizeof(buf) - strlen(buf) - 1);
			strncat(buf, reply_result_bounce_address(r, i), sizeof(buf) - strlen(buf) - 1);
		}
		return (strcmp(buf, chk + 7) == 0);
	}
	fprintf(stderr, "unknown check %s\n", chk);
	return (0);
}

int
main(int argc, char **argv)
{
	const char *srcdir = getenv("top_srcdir");
	char	path[2048], line[LINE_MAX_TSV], err[256];
	struct conf *conf;
	struct reply_analyzer *ra;
	FILE   *fp;
	size_t	pass = 0, total = 0;
	int	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;

	if (srcdir == NULL)
		srcdir = TOP_SRCDIR;
	if ((conf = conf_defaults()) == NULL || (ra = reply_analyzer_new(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "setup failed\n");
		return (99);
	}
	snprintf(path, sizeof(path), "%s/tests/corpus/vi/expected.tsv", srcdir);
	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return (99);
	}
	while (fgets(line, sizeof(line), fp)) {
		char   *f[6], *p = line, *msg, *json;
		size_t	len;
		int	k, ok;
		struct reply_result *r;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = 0;
		for (k = 0; k < 6 && p; k++) {
			f[k] = p;
			if ((p = strchr(p, '\t')) != NULL)
				*p++ = 0;
		}
		if (k < 6) {
			fprintf(stderr, "bad line in expected.tsv: %s\n", line);
			return (99);
		}
		snprintf(path, sizeof(path), "%s/tests/corpus/vi/%s", srcdir, f[0]);
		if ((msg = slurp(path, &len)) == NULL) {
			perror(path);
			return (99);
		}
		r = reply_analyze(ra, msg, len, strcmp(f[1], "-") == 0 ? NULL
				  : strcmp(f[1], "<>") == 0 ? "" : f[1]);
		if (r == NULL)
			return (99);
		ok = strcmp(reply_kind_name(reply_result_kind(r)), f[2]) == 0
		    && reply_result_optout(r) == (strcmp(f[3], "true") == 0)
		    && reply_result_question(r) == (strcmp(f[4], "true") == 0)
		    && check(r, f[5]);
		total++;
		if (ok)
			pass++;
		if (!ok || verbose) {
			json = reply_result_json(r);
			printf("%s %s: want kind=%s optout=%s question=%s %s\n  got %s\n",
			       ok ? "ok" : "FAIL", f[0], f[2], f[3], f[4], f[5], json ? json : "?");
			free(json);
		}
		reply_result_free(r);
		free(msg);
	}
	fclose(fp);
	printf("SCORE vi: %zu/%zu pass\n", pass, total);
	reply_analyzer_free(ra);
	conf_free(conf);
	return (pass == total && total > 0 ? 0 : 1);
}
