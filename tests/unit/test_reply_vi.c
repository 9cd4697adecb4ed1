/*
 * NAME
 *	test_reply_vi 1 (test program)
 * SUMMARY
 *	our Vietnamese reply corpora: every message must get its verdict
 * SYNOPSIS
 *	test_reply_vi [-v]
 * DESCRIPTION
 *	Reads tests/corpus/vi/expected.tsv (written by gen.py) and
 *	tests/corpus/vi/cases.tsv (written by gen_cases.py, one class per
 *	case) and runs reply_analyze() on each message with the envelope
 *	sender of the table ("-" unknown, "<>" the null sender). Kind,
 *	optout and question must be as expected. The optout column is
 *	"false", "true" (a refusal, whatever it names), "all" (a refusal
 *	of all our mail) or the categories refused ("promotion",
 *	"survey+promotion"; compared with the "scope" of the JSON verdict,
 *	absent meaning all). The check column adds one condition on the new
 *	text, the reason or the bounced recipients.
 *
 *	Prints every failure with the JSON verdict, then "SCORE class:
 *	N/M" per class and "SCORE vi: N/M pass" in all. There is no floor:
 *	every case must pass. tests/corpus/vi/xfail.txt may name cases
 *	known to fail while the analysis is being changed; they print as
 *	XFAIL and do not fail the test, and one that passes (XPASS) does,
 *	so that the list only shrinks.
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
#define MAX_CLASSES	64
#define MAX_XFAIL	256
#define NAME_MAX_TSV	128

struct tally {
	char	name[NAME_MAX_TSV];
	size_t	pass, total;
};

static struct tally classes[MAX_CLASSES];
static size_t nclasses;
static char xfail[MAX_XFAIL][NAME_MAX_TSV];
static size_t nxfail;
static const char *srcdir;
static int verbose;

/* slurp - read a whole file; owned by the caller */
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

/* unescape - "\n" in a check value stands for a line break */
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

/* check_bounces - the failed recipients, comma separated, are WANT */
static int
check_bounces(const struct reply_result *r, const char *want)
{
	char	buf[LINE_MAX_TSV];
	size_t	i, n = reply_result_bounce_count(r);

	buf[0] = 0;
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(buf, ",", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, reply_result_bounce_address(r, i), sizeof(buf) - strlen(buf) - 1);
	}
	return (strcmp(buf, want) == 0);
}

/* check - the extra condition CHK of one case */
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
	if (strncmp(chk, "bounce=", 7) == 0)
		return (check_bounces(r, chk + 7));
	fprintf(stderr, "unknown check %s\n", chk);
	return (0);
}

/* scope_of - the "scope" member of JSON ("all" when absent) into BUF */
static const char *
scope_of(const char *json, char *buf, size_t len)
{
	const char *p = json ? strstr(json, "\"scope\":\"") : NULL;
	size_t	n;

	if (p == NULL)
		return ("all");
	p += 9;
	n = strcspn(p, "\"");
	snprintf(buf, len, "%.*s", (int) n, p);
	return (buf);
}

/* optout_ok - whether the verdict's refusal is WANT (see DESCRIPTION) */
static int
optout_ok(const struct reply_result *r, const char *json, const char *want)
{
	char	buf[NAME_MAX_TSV];

	if (strcmp(want, "false") == 0)
		return (!reply_result_optout(r));
	if (!reply_result_optout(r))
		return (0);
	return (strcmp(want, "true") == 0 || strcmp(scope_of(json, buf, sizeof(buf)), want) == 0);
}

/* tally - count one result in class NAME */
static void
tally(const char *name, int ok)
{
	size_t	i;

	for (i = 0; i < nclasses && strcmp(classes[i].name, name) != 0; i++)
		;
	if (i == nclasses) {
		if (nclasses == MAX_CLASSES)
			return;
		snprintf(classes[nclasses++].name, NAME_MAX_TSV, "%s", name);
	}
	classes[i].total++;
	classes[i].pass += ok != 0;
}

/* load_xfail - the cases allowed to fail for now (xfail.txt) */
static void
load_xfail(void)
{
	char	path[2048], line[LINE_MAX_TSV];
	FILE   *fp;

	snprintf(path, sizeof(path), "%s/tests/corpus/vi/xfail.txt", srcdir);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) && nxfail < MAX_XFAIL) {
		line[strcspn(line, " \t\n#")] = 0;
		if (line[0])
			snprintf(xfail[nxfail++], NAME_MAX_TSV, "%.*s", NAME_MAX_TSV - 1, line);
	}
	fclose(fp);
}

/* is_xfail - whether FILE is in xfail.txt */
static int
is_xfail(const char *file)
{
	size_t	i;

	for (i = 0; i < nxfail; i++)
		if (strcmp(xfail[i], file) == 0)
			return (1);
	return (0);
}

/* split - cut LINE at tabs into at most N fields; returns the count */
static int
split(char *line, char **f, int n)
{
	char   *p = line;
	int	k;

	line[strcspn(line, "\n")] = 0;
	for (k = 0; k < n && p; k++) {
		f[k] = p;
		if ((p = strchr(p, '\t')) != NULL)
			*p++ = 0;
	}
	return (k);
}

/* default_class - the class of an expected.tsv case: its name's prefix */
static const char *
default_class(const char *file, char *buf, size_t len)
{
	snprintf(buf, len, "r1/%.*s", (int) strcspn(file, "_0123456789"), file);
	return (buf);
}

/* run_case - analyse one case; returns 1 pass, 0 fail, -1 setup error */
static int
run_case(const struct reply_analyzer *ra, char **f, const char *cls, int *bad)
{
	char	path[2048], *msg, *json;
	size_t	len = 0;
	int	ok, xf;
	struct reply_result *r;

	snprintf(path, sizeof(path), "%s/tests/corpus/vi/%s", srcdir, f[0]);
	if ((msg = slurp(path, &len)) == NULL) {
		perror(path);
		return (-1);
	}
	r = reply_analyze(ra, msg, len, strcmp(f[1], "-") == 0 ? NULL
			  : strcmp(f[1], "<>") == 0 ? "" : f[1]);
	free(msg);
	if (r == NULL || (json = reply_result_json(r)) == NULL)
		return (-1);
	ok = strcmp(reply_kind_name(reply_result_kind(r)), f[2]) == 0
	    && optout_ok(r, json, f[3])
	    && reply_result_question(r) == (strcmp(f[4], "true") == 0)
	    && check(r, f[5]);
	xf = is_xfail(f[0]);
	if (!ok || verbose || xf)
		printf("%s %s [%s]: want kind=%s optout=%s question=%s %s\n  got %s\n",
		       ok ? (xf ? "XPASS" : "ok") : (xf ? "XFAIL" : "FAIL"), f[0], cls,
		       f[2], f[3], f[4], f[5], json);
	if (ok == xf)
		(*bad)++;
	tally(cls, ok);
	free(json);
	reply_result_free(r);
	return (ok);
}

/* run_manifest - every case of one manifest; -1 on a setup error */
static int
run_manifest(const struct reply_analyzer *ra, const char *name, size_t *pass,
	     size_t *total, int *bad)
{
	char	path[2048], line[LINE_MAX_TSV], cbuf[NAME_MAX_TSV];
	FILE   *fp;
	int	rc;

	snprintf(path, sizeof(path), "%s/tests/corpus/vi/%s", srcdir, name);
	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return (-1);
	}
	while (fgets(line, sizeof(line), fp)) {
		char   *f[7];
		int	k;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if ((k = split(line, f, 7)) < 6) {
			fprintf(stderr, "bad line in %s: %s\n", name, line);
			fclose(fp);
			return (-1);
		}
		rc = run_case(ra, f, k == 7 ? f[6] : default_class(f[0], cbuf, sizeof(cbuf)), bad);
		if (rc < 0) {
			fclose(fp);
			return (-1);
		}
		*pass += (size_t) rc;
		(*total)++;
	}
	fclose(fp);
	return (0);
}

int
main(int argc, char **argv)
{
	static const char *const manifests[] = {"expected.tsv", "cases.tsv"};
	char	err[256];
	struct conf *conf;
	struct reply_analyzer *ra;
	size_t	pass = 0, total = 0, i;
	int	bad = 0;

	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	if ((srcdir = getenv("top_srcdir")) == NULL)
		srcdir = TOP_SRCDIR;
	if ((conf = conf_defaults()) == NULL || (ra = reply_analyzer_new(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "setup failed\n");
		return (99);
	}
	load_xfail();
	for (i = 0; i < sizeof(manifests) / sizeof(manifests[0]); i++)
		if (run_manifest(ra, manifests[i], &pass, &total, &bad) < 0)
			return (99);
	for (i = 0; i < nclasses; i++)
		printf("SCORE %s: %zu/%zu\n", classes[i].name, classes[i].pass, classes[i].total);
	printf("SCORE vi: %zu/%zu pass (%zu listed in xfail.txt)\n", pass, total, nxfail);
	reply_analyzer_free(ra);
	conf_free(conf);
	return (bad == 0 && total > 0 ? 0 : 1);
}
