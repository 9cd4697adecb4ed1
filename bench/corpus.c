/*
 * NAME
 *	corpus 3
 * SUMMARY
 *	benchmark corpus: messages, their envelopes, their expected verdicts
 * SYNOPSIS
 *	#include "corpus.h"
 * DESCRIPTION
 *	See corpus.h. Messages are read once, converted to CRLF line ends
 *	(as they travel in SMTP and in the milter protocol) and split into
 *	headers (unfolded into name and value, folds kept as "\n" followed
 *	by the continuation's white space, as Postfix sends them) and body.
 * DIAGNOSTICS
 *	-1 with a message in ERR.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "corpus.h"

#define EXPECT_FINALS_MAX	8
#define EXPECT_RCPTS_MAX	8
#define EXPECT_HDRS_MAX		8
#define EXPECT_TEXT_MAX		256
#define EXPECT_ALTS_MAX		4

struct expect_hdr {
	char	name[EXPECT_TEXT_MAX];
	char	text[EXPECT_TEXT_MAX];
	int	absent;			/* !hdr=NAME */
};

struct corpus_expect {
	struct corpus_expect *next;	/* an acceptable alternative, or NULL */
	char	finals[EXPECT_FINALS_MAX][16];
	size_t	nfinals;
	int	rcpt_any;
	char	rcpt_op[EXPECT_RCPTS_MAX];
	char	rcpt[EXPECT_RCPTS_MAX][CORPUS_ADDR_MAX];
	size_t	nrcpts;
	struct expect_hdr hdr[EXPECT_HDRS_MAX];
	size_t	nhdrs;
};

static const char *const corpus_finals[] = {
	"accept", "continue", "discard", "reject", "tempfail", "replycode4xx",
	"replycode5xx", NULL
};

/* cerr - format an error message into ERR; returns -1 */
static int cerr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cerr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* xdup - a copy of S[0..N) with a NUL, or NULL */
static char *xdup(const char *s, size_t n)
{
	char   *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

/* to_crlf - a copy of BUF with every bare LF made CRLF; owned by the caller */
static char *to_crlf(const char *buf, size_t len, size_t *outlen)
{
	char   *o = malloc(len * 2 + 1);
	size_t	i, n = 0;

	if (o == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r'))
			o[n++] = '\r';
		o[n++] = buf[i];
	}
	o[n] = 0;
	*outlen = n;
	return o;
}

/* addr_from_header - the bare address of a From value into OUT ("" if none) */
static void addr_from_header(const char *v, char *out, size_t outlen)
{
	const char *lt = strrchr(v, '<');
	const char *start, *end;
	size_t	n;

	if (lt != NULL && (end = strchr(lt, '>')) != NULL) {
		start = lt + 1;
	} else {
		start = v;
		while (*start == ' ' || *start == '\t')
			start++;
		end = start + strcspn(start, " \t\r\n");
	}
	n = (size_t) (end - start);
	if (n >= outlen || memchr(start, '@', n) == NULL)
		n = 0;
	memcpy(out, start, n);
	out[n] = 0;
}

/* line_end - the end of the line starting at POS (before CRLF); *NEXT after it */
static size_t line_end(const char *b, size_t len, size_t pos, size_t *next)
{
	const char *nl = memchr(b + pos, '\n', len - pos);
	size_t	e = nl ? (size_t) (nl - b) : len;

	*next = nl ? e + 1 : len;
	if (e > pos && b[e - 1] == '\r')
		e--;
	return e;
}

/* header_value - the unfolded value starting at B[VS..E), continuations after it */
static char *header_value(const char *b, size_t len, size_t vs, size_t e, size_t *next)
{
	size_t	cap = 256, n = 0;
	char   *v = malloc(cap);

	if (v == NULL)
		return NULL;
	for (;;) {
		size_t	seg = e - vs;

		while (n + seg + 2 > cap) {
			char   *nv = realloc(v, cap *= 2);

			if (nv == NULL) {
				free(v);
				return NULL;
			}
			v = nv;
		}
		memcpy(v + n, b + vs, seg);
		n += seg;
		if (*next < len && (b[*next] == ' ' || b[*next] == '\t')) {
			v[n++] = '\n';
			vs = *next;
			e = line_end(b, len, vs, next);
			continue;
		}
		break;
	}
	v[n] = 0;
	return v;
}

/* parse_message - split M->raw into headers and body; -1 if not a message */
static int parse_message(struct corpus_msg *m)
{
	const char *b = m->raw;
	size_t	len = m->raw_len, pos = 0, cap = 0;

	while (pos < len) {
		size_t	next, colon, e = line_end(b, len, pos, &next);
		struct corpus_hdr *h;
		char   *value;

		if (e == pos) {		/* the empty line */
			pos = next;
			break;
		}
		if (b[pos] == ' ' || b[pos] == '\t' || m->nhdrs >= CORPUS_HEADERS_MAX)
			return -1;
		for (colon = pos; colon < e && b[colon] != ':'; colon++)
			if ((unsigned char) b[colon] <= ' ')
				break;
		if (colon >= e || b[colon] != ':' || colon == pos)
			return -1;
		if ((value = header_value(b, len, colon + 1, e, &next)) == NULL)
			return -1;
		if (m->nhdrs == cap) {
			struct corpus_hdr *nh = realloc(m->hdrs, (cap = cap ? cap * 2 : 16)
							 * sizeof(*nh));

			if (nh == NULL) {
				free(value);
				return -1;
			}
			m->hdrs = nh;
		}
		h = &m->hdrs[m->nhdrs++];
		h->value_lead = value;
		h->value = value + (value[0] == ' ');
		if ((h->name = xdup(b + pos, colon - pos)) == NULL)
			return -1;
		if (!m->has_mail_from && strcasecmp(h->name, "From") == 0) {
			addr_from_header(h->value, m->mail_from, sizeof(m->mail_from));
			m->has_mail_from = m->mail_from[0] != 0;
		}
		pos = next;
	}
	if (m->nhdrs == 0)
		return -1;
	m->body = m->raw + pos;
	m->body_len = len - pos;
	return 0;
}

/* read_file - PATH into a new buffer with CRLF line ends */
static int read_file(struct corpus_msg *m, char *err, size_t errlen)
{
	FILE   *fp = fopen(m->path, "rb");
	struct stat st;
	char   *buf;
	int	rc = -1;

	if (fp == NULL || fstat(fileno(fp), &st) < 0) {
		cerr(err, errlen, "%s: %s", m->path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CORPUS_FILE_MAX) {
		cerr(err, errlen, "%s: not a regular file or larger than %ld bytes", m->path,
		     CORPUS_FILE_MAX);
		goto fail;
	}
	if ((buf = malloc((size_t) st.st_size + 1)) == NULL) {
		cerr(err, errlen, "out of memory");
		goto fail;
	}
	if (fread(buf, 1, (size_t) st.st_size, fp) != (size_t) st.st_size) {
		cerr(err, errlen, "%s: short read", m->path);
		free(buf);
		goto fail;
	}
	m->raw = to_crlf(buf, (size_t) st.st_size, &m->raw_len);
	free(buf);
	if (m->raw == NULL)
		cerr(err, errlen, "out of memory");
	else if (parse_message(m) < 0)
		cerr(err, errlen, "%s: not a message (bad header block)", m->path);
	else
		rc = 0;
fail:
	if (fp)
		fclose(fp);
	return rc;
}

/* cmp_name - qsort order of file names */
static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* list_eml - the sorted .eml names of DIR; owned by the caller */
static char **list_eml(const char *dir, size_t *count, char *err, size_t errlen)
{
	DIR    *d = opendir(dir);
	struct dirent *de;
	char  **names;
	size_t	n = 0;

	*count = 0;
	if (d == NULL) {
		cerr(err, errlen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	if ((names = calloc(CORPUS_FILES_MAX, sizeof(*names))) == NULL) {
		closedir(d);
		cerr(err, errlen, "out of memory");
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t	l = strlen(de->d_name);

		if (l <= 4 || strcmp(de->d_name + l - 4, ".eml") != 0)
			continue;
		if (n == CORPUS_FILES_MAX || (names[n] = strdup(de->d_name)) == NULL) {
			cerr(err, errlen, "%s: more than %d .eml files or out of memory", dir,
			     CORPUS_FILES_MAX);
			goto fail;
		}
		n++;
	}
	closedir(d);
	if (n == 0) {
		cerr(err, errlen, "%s: no .eml files", dir);
		free(names);
		return NULL;
	}
	qsort(names, n, sizeof(*names), cmp_name);
	*count = n;
	return names;
fail:
	closedir(d);
	while (n > 0)
		free(names[--n]);
	free(names);
	return NULL;
}

/* find_msg - the message called NAME, or NULL (names are sorted) */
static struct corpus_msg *find_msg(struct corpus *c, const char *name)
{
	size_t	lo = 0, hi = c->n;

	while (lo < hi) {
		size_t	mid = (lo + hi) / 2;
		int	d = strcmp(name, c->msgs[mid].name);

		if (d == 0)
			return &c->msgs[mid];
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* split_fields - cut LINE at tabs into at most MAX fields; returns the count */
static size_t split_fields(char *line, char **f, size_t max)
{
	size_t	n = 0;

	line[strcspn(line, "\r\n")] = 0;
	while (n < max) {
		f[n++] = line;
		if ((line = strchr(line, '\t')) == NULL)
			break;
		*line++ = 0;
	}
	return n;
}

/* manifest_line - apply one MANIFEST line; -1 on error */
static int manifest_line(struct corpus *c, char *line, char *err, size_t errlen)
{
	char   *f[3], *r, *save = NULL;
	struct corpus_msg *m;

	if (split_fields(line, f, 3) != 3)
		return cerr(err, errlen, "needs NAME<TAB>MAIL_FROM<TAB>RCPTS");
	if ((m = find_msg(c, f[0])) == NULL)
		return cerr(err, errlen, "%s: no such message", f[0]);
	if (strlen(f[1]) >= sizeof(m->mail_from))
		return cerr(err, errlen, "sender too long");
	snprintf(m->mail_from, sizeof(m->mail_from), "%s", strcmp(f[1], "<>") == 0 ? "" : f[1]);
	m->has_mail_from = 1;
	for (r = strtok_r(f[2], ",", &save); r; r = strtok_r(NULL, ",", &save)) {
		if (m->nrcpts == CORPUS_RCPTS_MAX || strlen(r) >= CORPUS_ADDR_MAX || !*r)
			return cerr(err, errlen, "too many recipients or one too long");
		if ((m->rcpts[m->nrcpts++] = strdup(r)) == NULL)
			return cerr(err, errlen, "out of memory");
	}
	if (m->nrcpts == 0)
		return cerr(err, errlen, "no recipient");
	return 0;
}

/* load_manifest - DIR/MANIFEST when present */
static int load_manifest(struct corpus *c, const char *dir, char *err, size_t errlen)
{
	char	path[4096], line[CORPUS_LINE_MAX], e[256];
	FILE   *fp;
	unsigned lineno = 0;
	int	rc = 0;

	snprintf(path, sizeof(path), "%s/MANIFEST", dir);
	if ((fp = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 0 : cerr(err, errlen, "%s: %s", path, strerror(errno));
	c->has_manifest = 1;
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (manifest_line(c, line, e, sizeof(e)) < 0)
			rc = cerr(err, errlen, "%s:%u: %s", path, lineno, e);
	}
	fclose(fp);
	return rc;
}

int	corpus_load(struct corpus *c, const char *dir, char *err, size_t errlen)
{
	size_t	nnames, i;
	char  **names;

	memset(c, 0, sizeof(*c));
	if ((names = list_eml(dir, &nnames, err, errlen)) == NULL)
		return -1;
	if ((c->msgs = calloc(nnames, sizeof(*c->msgs))) == NULL) {
		cerr(err, errlen, "out of memory");
		goto fail;
	}
	for (i = 0; i < nnames; i++) {
		struct corpus_msg *m = &c->msgs[i];
		size_t	pl = strlen(dir) + strlen(names[i]) + 2;

		c->n = i + 1;
		m->name = names[i];
		names[i] = NULL;
		if ((m->path = malloc(pl)) == NULL) {
			cerr(err, errlen, "out of memory");
			goto fail;
		}
		snprintf(m->path, pl, "%s/%s", dir, m->name);
		if (read_file(m, err, errlen) < 0)
			goto fail;
	}
	free(names);
	return load_manifest(c, dir, err, errlen);
fail:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	corpus_free(c);
	return -1;
}

void	corpus_free(struct corpus *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct corpus_msg *m = &c->msgs[i];

		for (size_t j = 0; j < m->nhdrs; j++) {
			free(m->hdrs[j].name);
			free(m->hdrs[j].value_lead);
		}
		for (size_t j = 0; j < m->nrcpts; j++)
			free(m->rcpts[j]);
		free(m->hdrs);
		free(m->raw);
		free(m->path);
		free(m->name);
		while (m->expect) {
			struct corpus_expect *next = m->expect->next;

			free(m->expect);
			m->expect = next;
		}
	}
	free(c->msgs);
	memset(c, 0, sizeof(*c));
}

const char *corpus_class(const struct corpus_msg *m, char *out, size_t outlen)
{
	const char *p = strchr(m->name, '-');
	size_t	n;

	p = p ? p + 1 : m->name;
	n = strcspn(p, "-.");

	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, p, n);
	out[n] = 0;
	return out;
}

/* strip_addr - ADDR without angle brackets and surrounding spaces, into OUT */
static void strip_addr(const char *addr, char *out, size_t outlen)
{
	size_t	n;

	while (*addr == ' ' || *addr == '<')
		addr++;
	n = strcspn(addr, "> ");
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, addr, n);
	out[n] = 0;
}

/* expect_word - apply one word of a SPEC to E; -1 if malformed */
static int expect_word(struct corpus_expect *e, char *w)
{
	if (strncmp(w, "final=", 6) == 0) {
		char   *save = NULL, *t;

		for (t = strtok_r(w + 6, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
			size_t	k;

			for (k = 0; corpus_finals[k] && strcmp(corpus_finals[k], t) != 0; k++)
				;
			if (corpus_finals[k] == NULL || e->nfinals == EXPECT_FINALS_MAX)
				return -1;
			snprintf(e->finals[e->nfinals++], sizeof(e->finals[0]), "%s", t);
		}
		return e->nfinals ? 0 : -1;
	}
	if (strcmp(w, "rcpt=any") == 0) {
		e->rcpt_any = 1;
		return 0;
	}
	if ((w[0] == '+' || w[0] == '-') && strncmp(w + 1, "rcpt=", 5) == 0) {
		if (e->nrcpts == EXPECT_RCPTS_MAX || w[6] == 0)
			return -1;
		e->rcpt_op[e->nrcpts] = w[0];
		strip_addr(w + 6, e->rcpt[e->nrcpts], sizeof(e->rcpt[0]));
		e->nrcpts++;
		return 0;
	}
	if (strncmp(w, "hdr=", 4) == 0 || strncmp(w, "!hdr=", 5) == 0) {
		struct expect_hdr *h = &e->hdr[e->nhdrs];
		int	absent = w[0] == '!';
		char   *name = w + 4 + absent, *colon = strchr(name, ':');

		if (e->nhdrs == EXPECT_HDRS_MAX || (!absent && colon == NULL) || *name == 0)
			return -1;
		if (colon)
			*colon = 0;
		snprintf(h->name, sizeof(h->name), "%s", name);
		snprintf(h->text, sizeof(h->text), "%s", colon ? colon + 1 : "");
		h->absent = absent;
		e->nhdrs++;
		return 0;
	}
	return -1;
}

/* expect_line - apply one expectation line; -1 with ERR on error */
static int expect_line(struct corpus *c, char *line, char *err, size_t errlen)
{
	char   *f[2], *w, *save = NULL;
	struct corpus_msg *m;
	struct corpus_expect **tail, *e;
	int	alternatives = 0;

	if (split_fields(line, f, 2) != 2)
		return cerr(err, errlen, "needs NAME<TAB>SPEC");
	if ((m = find_msg(c, f[0])) == NULL)
		return cerr(err, errlen, "%s: no such message", f[0]);
	if (m->expect != NULL)
		return cerr(err, errlen, "%s: a second expectation", f[0]);
	tail = &m->expect;
	e = NULL;
	for (w = strtok_r(f[1], " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (strcmp(w, "||") == 0) {
			if (e == NULL || ++alternatives >= EXPECT_ALTS_MAX)
				return cerr(err, errlen, "empty or too many alternatives");
			e = NULL;
			continue;
		}
		if (e == NULL) {
			if ((e = calloc(1, sizeof(*e))) == NULL)
				return cerr(err, errlen, "out of memory");
			*tail = e;
			tail = &e->next;
		}
		if (expect_word(e, w) < 0)
			return cerr(err, errlen, "bad word \"%s\"", w);
	}
	return e ? 0 : cerr(err, errlen, "empty expectation");
}

int	corpus_load_expect(struct corpus *c, const char *file, char *err, size_t errlen)
{
	char	line[CORPUS_LINE_MAX], e[256];
	FILE   *fp = fopen(file, "r");
	unsigned lineno = 0;
	int	rc = 0;

	if (fp == NULL)
		return cerr(err, errlen, "%s: %s", file, strerror(errno));
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (expect_line(c, line, e, sizeof(e)) < 0)
			rc = cerr(err, errlen, "%s:%u: %s", file, lineno, e);
	}
	fclose(fp);
	for (size_t i = 0; rc == 0 && i < c->n; i++)
		if (c->msgs[i].expect == NULL)
			rc = cerr(err, errlen, "%s: no expectation for %s", file, c->msgs[i].name);
	return rc;
}

void	corpus_result_reset(struct corpus_result *r)
{
	r->final = NULL;
	r->nch = 0;
	r->lost = 0;
	r->forbidden = 0;
	r->forbidden_what[0] = 0;
}

/* result_add - a new change record, or NULL when full (counted as lost) */
static struct corpus_change *result_add(struct corpus_result *r, int op)
{
	struct corpus_change *c;

	if (r->nch == CORPUS_RESULT_MAX) {
		r->lost++;
		return NULL;
	}
	c = &r->ch[r->nch++];
	c->op = (char) op;
	c->name[0] = 0;
	c->value[0] = 0;
	return c;
}

void	corpus_result_rcpt(struct corpus_result *r, int op, const char *addr)
{
	struct corpus_change *c = result_add(r, op);

	if (c)
		strip_addr(addr, c->name, sizeof(c->name));
}

void	corpus_result_header(struct corpus_result *r, const char *name, const char *value)
{
	struct corpus_change *c = result_add(r, 'h');

	if (c) {
		snprintf(c->name, sizeof(c->name), "%s", name);
		snprintf(c->value, sizeof(c->value), "%s", value);
	}
}

void	corpus_result_forbidden(struct corpus_result *r, const char *what)
{
	if (!r->forbidden)
		snprintf(r->forbidden_what, sizeof(r->forbidden_what), "%s", what);
	r->forbidden = 1;
}

/* check_rcpts - recipient changes of R against E exactly (order free) */
static int check_rcpts(const struct corpus_expect *e, const struct corpus_result *r,
		       char *why, size_t whylen)
{
	int	seen[EXPECT_RCPTS_MAX] = {0};

	for (size_t i = 0; i < r->nch; i++) {
		const struct corpus_change *c = &r->ch[i];
		size_t	k;

		if (c->op == 'h')
			continue;
		for (k = 0; k < e->nrcpts; k++)
			if (!seen[k] && e->rcpt_op[k] == c->op && strcasecmp(e->rcpt[k], c->name) == 0)
				break;
		if (k == e->nrcpts)
			return cerr(why, whylen, "unexpected recipient change %crcpt=%s", c->op, c->name);
		seen[k] = 1;
	}
	for (size_t k = 0; k < e->nrcpts; k++)
		if (!seen[k])
			return cerr(why, whylen, "missing recipient change %crcpt=%s", e->rcpt_op[k],
				    e->rcpt[k]);
	return 0;
}

/* check_headers - the hdr= and !hdr= words of E against R */
static int check_headers(const struct corpus_expect *e, const struct corpus_result *r,
			 char *why, size_t whylen)
{
	for (size_t k = 0; k < e->nhdrs; k++) {
		const struct expect_hdr *h = &e->hdr[k];
		int	found = 0;

		for (size_t i = 0; i < r->nch && !found; i++)
			found = r->ch[i].op == 'h' && strcasecmp(r->ch[i].name, h->name) == 0
			    && (h->absent || strstr(r->ch[i].value, h->text) != NULL);
		if (h->absent && found)
			return cerr(why, whylen, "header %s added", h->name);
		if (!h->absent && !found)
			return cerr(why, whylen, "no header %s containing \"%s\"", h->name, h->text);
	}
	return 0;
}

/* describe - append what the milter did (R) to WHY, for the reader of an error */
static void describe(const struct corpus_result *r, char *why, size_t whylen)
{
	size_t	n = strlen(why);

	n += (size_t) snprintf(why + n, n < whylen ? whylen - n : 0, " [got %s",
			       r->final ? r->final : "no final reply");
	for (size_t i = 0; i < r->nch && n < whylen; i++) {
		const struct corpus_change *c = &r->ch[i];

		if (c->op == 'h')
			n += (size_t) snprintf(why + n, whylen - n, "; %s: %.60s", c->name, c->value);
		else
			n += (size_t) snprintf(why + n, whylen - n, "; %crcpt=%s", c->op, c->name);
	}
	if (n < whylen)
		snprintf(why + n, whylen - n, "]");
}

/* expect_check - the first difference between R and E into WHY; -1 if any */
static int expect_check(const struct corpus_expect *e, const struct corpus_result *r,
			char *why, size_t whylen)
{
	size_t	k;

	for (k = 0; k < e->nfinals; k++)
		if (r->final && strcmp(e->finals[k], r->final) == 0)
			break;
	if (e->nfinals && k == e->nfinals)
		return cerr(why, whylen, "final reply %s, expected %s%s", r->final ? r->final : "none",
			    e->finals[0], e->nfinals > 1 ? " or another listed" : "");
	if (r->forbidden)
		return cerr(why, whylen, "forbidden change: %s", r->forbidden_what);
	if (r->lost)
		return cerr(why, whylen, "more than %d changes", CORPUS_RESULT_MAX);
	if (!e->rcpt_any && check_rcpts(e, r, why, whylen) < 0)
		return -1;
	return check_headers(e, r, why, whylen);
}

int	corpus_expect_check(const struct corpus_msg *m, const struct corpus_result *r,
			    char *why, size_t whylen)
{
	char	other[256];

	if (m->expect == NULL || expect_check(m->expect, r, why, whylen) == 0)
		return 0;
	for (const struct corpus_expect *e = m->expect->next; e; e = e->next)
		if (expect_check(e, r, other, sizeof(other)) == 0) {
			describe(r, why, whylen);
			return 1;
		}
	describe(r, why, whylen);
	return -1;
}
