/*
 * NAME
 *	test_reply_corpus 1 (test program)
 * SUMMARY
 *	score the reply analysis against the public reply-stripping corpora
 * SYNOPSIS
 *	test_reply_corpus [-v] [SUITE...]
 * DESCRIPTION
 *	Runs every fixture of the three third-party corpora copied into
 *	tests/corpus/public/ (licences beside them) and prints, per suite,
 *	"SUITE: N/M match", then fails when a score is below the floor in
 *	tests/corpus/public/floors.tsv. Suites:
 *
 *	discourse	test/emails/X is cut with reply_quote_cut(); the new
 *			text must equal test/trimmed/X.
 *	discourse-elided	the part we cut must equal test/elided/X
 *			(white space ignored: upstream rewraps it).
 *	discourse-redos	test/matchers/does_not_contain_embedded_email.txt
 *			must be cut within a second (upstream ReDoS test).
 *	crisp		fixtures checked with crisp/crisp.expect (generated
 *			from upstream's assertions by crisp/make-expect.py).
 *	talon-eml	standard_replies/NAME.eml through reply_analyze(): the
 *			new text must be "Hello" or X_reply_text.
 *	talon-html	html_replies/NAME.html and the single-case HTML files
 *			through reply_html_to_text() + reply_quote_cut(),
 *			compared with all white space removed.
 *	precision	every fixture above as a whole message through
 *			reply_analyze() (text bodies as text/plain, HTML as
 *			text/html, .eml as they are): none of these replies
 *			asks to stop receiving mail, so none may be a refusal.
 *			It has no floor: every fixture must pass.
 *
 *	Where we believe upstream's expectation is wrong, or does not fit
 *	our model (we keep only what the customer wrote, never quoted
 *	lines), tests/corpus/public/overrides.tsv gives, per fixture, the
 *	file with our expected output (under overrides/) and the reason;
 *	each override is printed so the reason is in the test log.
 *	Comparisons ignore white space at both ends and at line ends.
 *	-v prints every mismatch with both texts.
 * DIAGNOSTICS
 *	Exit 0 when every suite reaches its floor, 1 otherwise, 99 on a
 *	setup error (missing corpus, out of memory).
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "reply.h"
#include "strbuf.h"
#include "reply_charset.h"
#include "reply_html.h"
#include "reply_quote.h"

#define MAX_FILES	512
#define MAX_OVERRIDES	128
#define REDOS_SECONDS	1.0

static const char *srcdir;
static int verbose;
static struct reply_analyzer *ra;
static struct reply_quote *rq;

struct override {
	char	suite[32];
	char	name[128];
	char	file[256];
	char	reason[512];
};
static struct override overrides[MAX_OVERRIDES];
static size_t noverrides;

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

/* Trim white space at both ends and at each line end, CR LF to LF. */
static char *
canon(const char *s, size_t len)
{
	char   *o = malloc(len + 1), *p;
	size_t	i, k = 0;

	if (o == NULL)
		return (NULL);
	for (i = 0; i < len; i++) {
		if (s[i] == '\r')
			continue;
		if (s[i] == '\n')
			while (k > 0 && (o[k - 1] == ' ' || o[k - 1] == '\t'))
				k--;
		o[k++] = s[i];
	}
	while (k > 0 && (o[k - 1] == ' ' || o[k - 1] == '\t' || o[k - 1] == '\n'))
		k--;
	o[k] = 0;
	for (p = o; *p == ' ' || *p == '\t' || *p == '\n'; p++)
		;
	memmove(o, p, strlen(p) + 1);
	return (o);
}

static char *
nows(const char *s)
{
	char   *o = malloc(strlen(s) + 1);
	size_t	k = 0;

	if (o == NULL)
		return (NULL);
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			o[k++] = *s;
	o[k] = 0;
	return (o);
}

static int
cmpstr(const void *a, const void *b)
{
	return (strcmp(*(char *const *) a, *(char *const *) b));
}

/* Sorted names in DIR ending in SUFFIX; caller frees each and the array. */
static size_t
list_dir(const char *dir, const char *suffix, char **names, size_t max)
{
	DIR    *d = opendir(dir);
	struct dirent *e;
	size_t	n = 0, sl = strlen(suffix);

	if (d == NULL)
		return (0);
	while ((e = readdir(d)) != NULL && n < max) {
		size_t	l = strlen(e->d_name);

		if (e->d_name[0] == '.' || l < sl || strcmp(e->d_name + l - sl, suffix) != 0)
			continue;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(char *), cmpstr);
	return (n);
}

static void
load_overrides(void)
{
	char	path[1024], line[2048];
	FILE   *fp;

	snprintf(path, sizeof(path), "%s/tests/corpus/public/overrides.tsv", srcdir);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) && noverrides < MAX_OVERRIDES) {
		struct override *o = &overrides[noverrides];
		char   *f[4], *p = line;
		int	k;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = 0;
		for (k = 0; k < 4 && p; k++) {
			f[k] = p;
			if ((p = strchr(p, '\t')) != NULL)
				*p++ = 0;
		}
		if (k < 4)
			continue;
		snprintf(o->suite, sizeof(o->suite), "%s", f[0]);
		snprintf(o->name, sizeof(o->name), "%s", f[1]);
		snprintf(o->file, sizeof(o->file), "%s", f[2]);
		snprintf(o->reason, sizeof(o->reason), "%s", f[3]);
		noverrides++;
	}
	fclose(fp);
}

static const struct override *
find_override(const char *suite, const char *name)
{
	size_t	i;

	for (i = 0; i < noverrides; i++)
		if (strcmp(overrides[i].suite, suite) == 0 && strcmp(overrides[i].name, name) == 0)
			return (&overrides[i]);
	return (NULL);
}

/* Expected text: the override file when there is one, else PATH. */
static char *
expected(const char *suite, const char *name, const char *path)
{
	const struct override *o = find_override(suite, name);
	char	p[1024], *raw, *c;
	size_t	len;

	if (o != NULL) {
		printf("  override %s/%s: %s\n", suite, name, o->reason);
		snprintf(p, sizeof(p), "%s/tests/corpus/public/overrides/%s", srcdir, o->file);
		path = p;
	}
	if ((raw = slurp(path, &len)) == NULL)
		return (NULL);
	c = canon(raw, len);
	free(raw);
	return (c);
}

/* New text and cut-off part of a plain body. */
static int
cut_plain(const char *raw, size_t len, char **text, char **rest)
{
	struct strbuf clean;
	struct reply_quote_result q;

	strbuf_init(&clean);
	if (reply_utf8_clean(raw, len, &clean) < 0)
		return (-1);
	if (reply_quote_cut(rq, clean.data ? clean.data : "", clean.len, &q) < 0) {
		strbuf_free(&clean);
		return (-1);
	}
	*text = canon(q.text.data ? q.text.data : "", q.text.len);
	if (rest)
		*rest = canon(clean.data ? clean.data + q.cut : "", clean.len - q.cut);
	reply_quote_result_free(&q);
	strbuf_free(&clean);
	return (0);
}

static void
mismatch(const char *suite, const char *name, const char *want, const char *got)
{
	if (verbose)
		printf("  MISMATCH %s/%s\n--- want\n%s\n--- got\n%s\n---\n", suite, name, want, got);
	else
		printf("  mismatch %s/%s\n", suite, name);
}

struct score {
	const char *suite;
	size_t	ok, total;
};

static void
suite_discourse(struct score *s, struct score *el)
{
	char   *names[MAX_FILES], dir[1024], p[4096];
	size_t	n, i;

	snprintf(dir, sizeof(dir), "%s/tests/corpus/public/discourse/test/emails", srcdir);
	n = list_dir(dir, ".txt", names, MAX_FILES);
	for (i = 0; i < n; i++) {
		char   *raw, *text = NULL, *rest = NULL, *want;
		size_t	len;

		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if ((raw = slurp(p, &len)) == NULL || cut_plain(raw, len, &text, &rest) < 0)
			exit(99);
		snprintf(p, sizeof(p), "%s/tests/corpus/public/discourse/test/trimmed/%s", srcdir, names[i]);
		if ((want = expected("discourse", names[i], p)) != NULL) {
			s->total++;
			if (strcmp(want, text) == 0)
				s->ok++;
			else
				mismatch("discourse", names[i], want, text);
			free(want);
		}
		snprintf(p, sizeof(p), "%s/tests/corpus/public/discourse/test/elided/%s", srcdir, names[i]);
		if ((want = expected("discourse-elided", names[i], p)) != NULL) {
			char   *w1 = nows(want), *w2 = nows(rest);

			/* upstream rewraps what it elides: compare without blanks */
			el->total++;
			if (w1 && w2 && strcmp(w1, w2) == 0)
				el->ok++;
			else
				mismatch("discourse-elided", names[i], want, rest);
			free(want);
			free(w1);
			free(w2);
		}
		free(raw);
		free(text);
		free(rest);
		free(names[i]);
	}
}

static void
suite_redos(struct score *s)
{
	char	p[1024], *raw, *text = NULL;
	size_t	len;
	clock_t	t0;
	double	secs;

	snprintf(p, sizeof(p), "%s/tests/corpus/public/discourse/test/matchers/"
		 "does_not_contain_embedded_email.txt", srcdir);
	if ((raw = slurp(p, &len)) == NULL)
		exit(99);
	t0 = clock();
	if (cut_plain(raw, len, &text, NULL) < 0)
		exit(99);
	secs = (double) (clock() - t0) / CLOCKS_PER_SEC;
	s->total++;
	if (secs < REDOS_SECONDS)
		s->ok++;
	else
		printf("  discourse-redos: %.2f s\n", secs);
	free(raw);
	free(text);
}

/* Decode a JSON string literal ("..." with \n, \" and \\) in place. */
static char *
json_lit(const char *s)
{
	char   *o = malloc(strlen(s) + 1);
	size_t	k = 0;

	if (o == NULL)
		return (NULL);
	if (*s == '"')
		s++;
	for (; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			o[k++] = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
		} else
			o[k++] = *s;
	}
	o[k] = 0;
	return (o);
}

static int
re_match(const char *re, const char *subject)
{
	pcre2_code *c;
	pcre2_match_data *md;
	int	ec, r;
	PCRE2_SIZE off;

	c = pcre2_compile((PCRE2_SPTR) re, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MULTILINE,
			  &ec, &off, NULL);
	if (c == NULL)
		return (-1);
	md = pcre2_match_data_create_from_pattern(c, NULL);
	r = pcre2_match(c, (PCRE2_SPTR) subject, strlen(subject), 0, 0, md, NULL) >= 0;
	pcre2_match_data_free(md);
	pcre2_code_free(c);
	return (r);
}

static void
suite_crisp(struct score *s)
{
	char	p[1024], line[4096], *common = NULL;
	FILE   *fp;
	char	last[256] = "";
	int	fixture_ok = 1;

	/* COMMON_FIRST_FRAGMENT from expected.json */
	{
		char   *js;
		size_t	len;
		const char *k;

		snprintf(p, sizeof(p), "%s/tests/corpus/public/crisp/expected.json", srcdir);
		if ((js = slurp(p, &len)) == NULL || (k = strstr(js, "\"COMMON_FIRST_FRAGMENT\": ")) == NULL)
			exit(99);
		common = json_lit(k + strlen("\"COMMON_FIRST_FRAGMENT\": "));
		free(js);
	}
	snprintf(p, sizeof(p), "%s/tests/corpus/public/crisp/crisp.expect", srcdir);
	if ((fp = fopen(p, "r")) == NULL)
		exit(99);
	/* one score per fixture: all its checks must pass */
	while (1) {
		char   *f[3], *q, *raw, *text = NULL, *want = NULL;
		size_t	len;
		int	k, ok = 0, more = fgets(line, sizeof(line), fp) != NULL;

		if (more) {
			line[strcspn(line, "\n")] = 0;
			for (q = line, k = 0; k < 3 && q; k++) {
				f[k] = q;
				if ((q = strchr(q, '\t')) != NULL)
					*q++ = 0;
			}
			if (k < 3)
				continue;
		}
		if (!more || strcmp(f[0], last) != 0) {
			if (last[0]) {
				s->total++;
				if (fixture_ok)
					s->ok++;
			}
			if (!more)
				break;
			snprintf(last, sizeof(last), "%s", f[0]);
			fixture_ok = 1;
		}
		snprintf(p, sizeof(p), "%s/tests/corpus/public/crisp/fixtures/%s", srcdir, f[0]);
		if ((raw = slurp(p, &len)) == NULL || cut_plain(raw, len, &text, NULL) < 0)
			exit(99);
		if (find_override("crisp", f[0]) != NULL && strcmp(f[1], "equal") != 0
		    && strcmp(f[1], "common") != 0) {
			/* an override replaces the upstream check */
			want = expected("crisp", f[0], "/nonexistent");
			ok = want && strcmp(want, text) == 0;
		} else if (strcmp(f[1], "common") == 0 || strcmp(f[1], "equal") == 0) {
			char   *lit = strcmp(f[1], "common") == 0 ? strdup(common) : json_lit(f[2]);
			char   *c = canon(lit, strlen(lit));

			if (find_override("crisp", f[0]) != NULL) {
				free(c);
				c = expected("crisp", f[0], "/nonexistent");
			}
			ok = c && strcmp(c, text) == 0;
			want = c;
			free(lit);
		} else if (strcmp(f[1], "match") == 0) {
			ok = re_match(f[2], text) == 1;
			want = strdup(f[2]);
		} else if (strcmp(f[1], "nomatch") == 0) {
			ok = re_match(f[2], text) == 0;
			want = strdup(f[2]);
		} else if (strcmp(f[1], "nocut") == 0) {
			char   *c = canon(raw, len);

			ok = strcmp(c, text) == 0;
			want = c;
		}
		if (!ok) {
			fixture_ok = 0;
			mismatch("crisp", f[0], want ? want : "", text);
		}
		free(want);
		free(raw);
		free(text);
	}
	fclose(fp);
	free(common);
}

static void
suite_talon_eml(struct score *s)
{
	char   *names[MAX_FILES], dir[1024], p[4096];
	size_t	n, i;

	snprintf(dir, sizeof(dir), "%s/tests/corpus/public/talon/standard_replies", srcdir);
	n = list_dir(dir, ".eml", names, MAX_FILES);
	for (i = 0; i < n; i++) {
		char   *raw, *want, *got;
		size_t	len, bl = strlen(names[i]) - 4;
		struct reply_result *r;

		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if ((raw = slurp(p, &len)) == NULL || (r = reply_analyze(ra, raw, len, NULL)) == NULL)
			exit(99);
		char	base[256];

		snprintf(base, sizeof(base), "%s", names[i]);
		if (bl < sizeof(base))
			base[bl] = 0;
		snprintf(p, sizeof(p), "%s/%s_reply_text", dir, base);
		if ((want = expected("talon-eml", names[i], p)) == NULL)
			want = strdup("Hello");
		got = canon(reply_result_text(r), strlen(reply_result_text(r)));
		s->total++;
		if (strcmp(want, got) == 0)
			s->ok++;
		else
			mismatch("talon-eml", names[i], want, got);
		free(want);
		free(got);
		free(raw);
		reply_result_free(r);
		free(names[i]);
	}
	/* reply-quotations-share-block.eml: non-empty, no "From" */
	{
		char   *raw;
		size_t	len;
		struct reply_result *r;

		snprintf(p, sizeof(p), "%s/tests/corpus/public/talon/reply-quotations-share-block.eml", srcdir);
		if ((raw = slurp(p, &len)) == NULL || (r = reply_analyze(ra, raw, len, NULL)) == NULL)
			exit(99);
		s->total++;
		if (*reply_result_text(r) && strstr(reply_result_text(r), "From") == NULL)
			s->ok++;
		else
			mismatch("talon-eml", "reply-quotations-share-block.eml", "non-empty, no From",
				 reply_result_text(r));
		reply_result_free(r);
		free(raw);
	}
}

static int
html_text(const char *path, char **out)
{
	char   *raw;
	size_t	len;
	struct strbuf clean, txt;
	struct reply_quote_result q;

	if ((raw = slurp(path, &len)) == NULL)
		return (-1);
	strbuf_init(&clean);
	strbuf_init(&txt);
	if (reply_utf8_clean(raw, len, &clean) < 0
	    || reply_html_to_text(clean.data ? clean.data : "", clean.len, &txt) < 0
	    || reply_quote_cut(rq, txt.data ? txt.data : "", txt.len, &q) < 0)
		return (-1);
	*out = nows(q.text.data ? q.text.data : "");
	reply_quote_result_free(&q);
	strbuf_free(&clean);
	strbuf_free(&txt);
	free(raw);
	return (0);
}

static void
suite_talon_html(struct score *s)
{
	static const struct {
		const char *file, *want;
	} single[] = {
		{"OLK_SRC_BODY_SECTION.html", "Reply"},
		{"reply-separated-by-hr.html", "Hithere"},
	};
	char   *names[MAX_FILES], dir[1024], p[4096], *got, *want_nows;
	size_t	n, i;

	snprintf(dir, sizeof(dir), "%s/tests/corpus/public/talon/html_replies", srcdir);
	n = list_dir(dir, ".html", names, MAX_FILES);
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (html_text(p, &got) < 0)
			exit(99);
		s->total++;
		if (strcmp(got, "Hi.Iamfine.Thanks,Alex") == 0)
			s->ok++;
		else
			mismatch("talon-html", names[i], "Hi.Iamfine.Thanks,Alex", got);
		free(got);
		free(names[i]);
	}
	for (i = 0; i < sizeof(single) / sizeof(single[0]); i++) {
		snprintf(p, sizeof(p), "%s/tests/corpus/public/talon/%s", srcdir, single[i].file);
		if (html_text(p, &got) < 0)
			exit(99);
		{
			char	op[4096], *w;

			snprintf(op, sizeof(op), "%s/tests/corpus/public/talon/%s", srcdir, single[i].file);
			w = find_override("talon-html", single[i].file)
			    ? expected("talon-html", single[i].file, op) : strdup(single[i].want);
			want_nows = w ? nows(w) : NULL;
			free(w);
		}
		s->total++;
		if (want_nows && strcmp(got, want_nows) == 0)
			s->ok++;
		else
			mismatch("talon-html", single[i].file, want_nows ? want_nows : "", got);
		free(want_nows);
		free(got);
	}
}

/* precision_one - analyse body FILE as a message of TYPE; 1 when not a refusal */
static int
precision_one(const char *path, const char *type)
{
	char   *raw, *msg;
	size_t	len, mlen;
	int	ok;
	struct reply_result *r;

	if ((raw = slurp(path, &len)) == NULL)
		exit(99);
	if (type == NULL) {
		msg = raw;
		mlen = len;
	} else {
		mlen = len + 256;
		if ((msg = malloc(mlen)) == NULL)
			exit(99);
		mlen = (size_t) snprintf(msg, 256, "From: someone@example.com\nTo: noreply@ilinks.asia\n"
					 "Subject: Re: hello\nMIME-Version: 1.0\nContent-Type: %s; "
					 "charset=UTF-8\n\n", type);
		memcpy(msg + mlen, raw, len);
		mlen += len;
		free(raw);
	}
	if ((r = reply_analyze(ra, msg, mlen, "someone@example.com")) == NULL)
		exit(99);
	ok = !reply_result_optout(r);
	if (!ok || verbose)
		printf("  %s precision %s: %s\n", ok ? "ok" : "REFUSAL", path, reply_result_reason(r));
	reply_result_free(r);
	free(msg);
	return (ok);
}

/* suite_precision - no public fixture is a refusal */
static void
suite_precision(struct score *s)
{
	static const struct {
		const char *dir, *suffix, *type;
	} sets[] = {
		{"discourse/test/emails", ".txt", "text/plain"},
		{"crisp/fixtures", ".txt", "text/plain"},
		{"talon/html_replies", ".html", "text/html"},
		{"talon/standard_replies", ".eml", NULL},
	};
	char   *names[MAX_FILES], dir[1024], p[4096];
	size_t	k, n, i;

	for (k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		snprintf(dir, sizeof(dir), "%s/tests/corpus/public/%s", srcdir, sets[k].dir);
		n = list_dir(dir, sets[k].suffix, names, MAX_FILES);
		for (i = 0; i < n; i++) {
			snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
			s->total++;
			s->ok += (size_t) precision_one(p, sets[k].type);
			free(names[i]);
		}
	}
}

static size_t
floor_of(const char *suite)
{
	char	p[1024], line[256], name[64];
	unsigned long v;
	FILE   *fp;
	size_t	r = (size_t) -1;

	snprintf(p, sizeof(p), "%s/tests/corpus/public/floors.tsv", srcdir);
	if ((fp = fopen(p, "r")) == NULL)
		return (r);
	while (fgets(line, sizeof(line), fp))
		if (line[0] != '#' && sscanf(line, "%63s %lu", name, &v) == 2
		    && strcmp(name, suite) == 0)
			r = v;
	fclose(fp);
	return (r);
}

int
main(int argc, char **argv)
{
	struct score sc[7] = {
		{"discourse", 0, 0}, {"discourse-elided", 0, 0}, {"discourse-redos", 0, 0},
		{"crisp", 0, 0}, {"talon-eml", 0, 0}, {"talon-html", 0, 0}, {"precision", 0, 0},
	};
	struct conf *conf;
	char	err[256];
	size_t	i;
	int	fail = 0;

	if (argc > 1 && strcmp(argv[1], "-v") == 0)
		verbose = 1;
	if ((srcdir = getenv("top_srcdir")) == NULL)
		srcdir = TOP_SRCDIR;
	if ((conf = conf_defaults()) == NULL
	    || (ra = reply_analyzer_new(conf, err, sizeof(err))) == NULL
	    || (rq = reply_quote_new(NULL, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "setup failed\n");
		return (99);
	}
	load_overrides();
	suite_discourse(&sc[0], &sc[1]);
	suite_redos(&sc[2]);
	suite_crisp(&sc[3]);
	suite_talon_eml(&sc[4]);
	suite_talon_html(&sc[5]);
	suite_precision(&sc[6]);
	for (i = 0; i < 7; i++) {
		size_t	fl = floor_of(sc[i].suite);

		if (sc[i].total == 0) {
			printf("%s: no fixtures found\n", sc[i].suite);
			fail = 1;
			continue;
		}
		printf("SCORE %s: %zu/%zu match (floor %zu)\n", sc[i].suite, sc[i].ok, sc[i].total,
		       fl == (size_t) -1 ? sc[i].total : fl);
		if (sc[i].ok < (fl == (size_t) -1 ? sc[i].total : fl))
			fail = 1;
	}
	reply_quote_free(rq);
	reply_analyzer_free(ra);
	conf_free(conf);
	return (fail);
}
