/*
 * NAME
 *	reply_classify 3
 * SUMMARY
 *	is the customer's new text a refusal, a question, or both?
 * SYNOPSIS
 *	#include "reply_classify.h"
 * DESCRIPTION
 *	See reply_classify.h. The words are in the lexicon (reply.lex and
 *	the reply_lexicon files), the reading in reply_clause; here are
 *	the refusal patterns of links.conf, the Subject and the reasons.
 * DIAGNOSTICS
 *	reply_classify_new() names the refusal_pattern that does not
 *	compile.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rx.h"
#include "strbuf.h"
#include "reply_clause.h"
#include "reply_classify.h"
#include "reply_key.h"
#include "reply_norm.h"

struct reply_classify {
	const struct reply_lex *lx;
	pcre2_code **extra;
	size_t	nextra;
};

/* Reasons, static: [family][0 plain, 1 +question]. */
static const char *const command_reason[REPLY_FAM_COUNT][2] = {
	{"command:tu_choi", "command:tu_choi+question"},
	{"command:huy_dang_ky", "command:huy_dang_ky+question"},
	{"command:dung_gui", "command:dung_gui+question"},
	{"command:khong_nhan", "command:khong_nhan+question"},
	{"command:xoa_danh_sach", "command:xoa_danh_sach+question"},
	{"command:pattern", "command:pattern+question"},
};
static const char *const subject_reason[REPLY_FAM_COUNT][2] = {
	{"subject:tu_choi", "subject:tu_choi+question"},
	{"subject:huy_dang_ky", "subject:huy_dang_ky+question"},
	{"subject:dung_gui", "subject:dung_gui+question"},
	{"subject:khong_nhan", "subject:khong_nhan+question"},
	{"subject:xoa_danh_sach", "subject:xoa_danh_sach+question"},
	{"subject:pattern", "subject:pattern+question"},
};
static const char *const why_reason[REPLY_WHY_COUNT] = {
	"question", "question:request", "question:negated", "question:passive", "question:mention",
	"question:purpose", "question:condition", "question:question", "question:object",
	"question:redirect", "question:weak", "question:alone"
};

struct reply_classify *
reply_classify_new(const struct reply_lex *lx, const char *const *extra, size_t n,
		   char *err, size_t errlen)
{
	struct reply_classify *cl;
	size_t	i;
	char	what[64];

	if ((cl = calloc(1, sizeof(*cl))) == NULL)
		goto oom;
	cl->lx = lx;
	if (n > 0 && (cl->extra = calloc(n, sizeof(pcre2_code *))) == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "refusal_pattern #%zu", i + 1);
		if ((cl->extra[i] = rx_compile(extra[i], what, err, errlen)) == NULL)
			goto fail;
		cl->nextra++;
	}
	return (cl);
oom:
	snprintf(err, errlen, "out of memory");
fail:
	reply_classify_free(cl);
	return (NULL);
}

void
reply_classify_free(struct reply_classify *cl)
{
	size_t	i;

	if (cl == NULL)
		return;
	for (i = 0; i < cl->nextra; i++)
		pcre2_code_free(cl->extra[i]);
	free(cl->extra);
	free(cl);
}

/* seg_match - whether an extra pattern matches S (LEN), blanks trimmed */
static int
seg_match(const struct reply_classify *cl, const char *s, size_t len, pcre2_match_data *md)
{
	size_t	i;

	while (len > 0 && (*s == ' ' || *s == '\n'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n'))
		len--;
	for (i = 0; len > 0 && i < cl->nextra; i++)
		if (rx_match(cl->extra[i], s, len, md))
			return (1);
	return (0);
}

/* key_match - an extra pattern matches the key or the folded form of S (LEN) */
static int
key_match(const struct reply_classify *cl, const char *s, size_t len, struct reply_norm *norm,
	  pcre2_match_data *md)
{
	struct strbuf key, fold;
	int	r = -1;

	strbuf_init(&key);
	strbuf_init(&fold);
	if (reply_key(s, len, &key) < 0 || strbuf_reserve(&key, 0) < 0
	    || reply_norm(norm, s, len, REPLY_NORM_FOLD | REPLY_NORM_SPACES, &fold) < 0
	    || strbuf_reserve(&fold, 0) < 0)
		goto out;
	r = seg_match(cl, key.data, key.len, md) || seg_match(cl, fold.data, fold.len, md);
out:
	strbuf_free(&key);
	strbuf_free(&fold);
	return (r);
}

/*
 * extra_match - a refusal_pattern matches a sentence of TEXT (LEN), or all
 * of it with line breaks as spaces; the sentences it does not match go to
 * REST (the whole text when only all of it matches). 1, 0 or -1.
 */
static int
extra_match(const struct reply_classify *cl, const char *text, size_t len, struct strbuf *rest)
{
	struct reply_norm norm;
	pcre2_match_data *md;
	size_t	i, start = 0;
	int	r = 0, m = 0;
	char   *flat = NULL;

	if (cl->nextra == 0 || len == 0)
		return (0);
	reply_norm_init(&norm);
	if ((md = pcre2_match_data_create(1, NULL)) == NULL)
		r = -1;
	for (i = 0; r >= 0 && i <= len; i++) {
		if (i < len && strchr(".!?;\n", text[i]) == NULL)
			continue;
		if ((m = key_match(cl, text + start, i - start, &norm, md)) < 0)
			r = -1;
		else if (m)
			r = 1;
		else if (strbuf_add(rest, text + start, i - start) < 0
			 || (i < len && strbuf_add(rest, text + i, 1) < 0))
			r = -1;
		start = i + 1;
	}
	if (r == 0 && (flat = strndup(text, len)) == NULL)
		r = -1;
	for (i = 0; flat && i < len; i++)
		flat[i] = flat[i] == '\n' ? ' ' : flat[i];
	if (r == 0 && (r = key_match(cl, flat, len, &norm, md)) == 1) {
		strbuf_reset(rest);
		r = strbuf_add(rest, text, len) < 0 ? -1 : 1;
	}
	free(flat);
	pcre2_match_data_free(md);
	reply_norm_free(&norm);
	return (r);
}

/* Subject separators a customer puts between ours and their words. */
static const char *const seps[] = {" - ", " – ", " — ", " | ", "[", "]", "(", ")", NULL};

/* next_sep - the first separator in S[0..LEN), with ":" when COLON; its length */
static size_t
next_sep(const char *s, size_t len, int colon, size_t *slen)
{
	size_t	i, k;

	for (i = 0; i < len; i++) {
		if (colon && s[i] == ':') {
			*slen = 1;
			return (i);
		}
		for (k = 0; seps[k]; k++)
			if (strlen(seps[k]) <= len - i && memcmp(s + i, seps[k], strlen(seps[k])) == 0) {
				*slen = strlen(seps[k]);
				return (i);
			}
	}
	*slen = 0;
	return (len);
}

/* read_part - whether Subject part S (LEN) is a refusal and nothing else */
static int
read_part(const struct reply_classify *cl, const char *s, size_t len, struct reply_reading *rd,
	  int *calendar)
{
	struct reply_reading r;
	struct strbuf key;
	struct reply_tok w[REPLY_LEX_PHRASE_MAX];
	struct reply_lex_match m;
	size_t	n = 0, i;
	char   *p, *save = NULL;

	if (reply_clause_read(cl->lx, s, len, REPLY_READ_SUBJECT, &r) < 0)
		return (-1);
	strbuf_init(&key);
	if (reply_key(s, len, &key) < 0 || strbuf_reserve(&key, 0) < 0)
		return (-1);
	for (p = strtok_r(key.data, " ", &save); p && n < REPLY_LEX_PHRASE_MAX; p = strtok_r(NULL, " ", &save))
		w[n++] = (struct reply_tok) {p, strlen(p), 0};
	i = reply_lex_match(cl->lx, w, n, 0, &m);
	*calendar |= i == n && n > 0 && (m.kinds & RLX_BIT(RLX_CALENDAR_PREFIX));
	strbuf_free(&key);
	if (r.refusal && !r.content && !*calendar) {
		*rd = r;
		return (1);
	}
	return (0);
}

/* is_prefix - a Subject part of reply prefixes only ("Re", "TL", "Trả lời") */
static int
is_prefix(const struct reply_classify *cl, const char *s, size_t len)
{
	struct strbuf key;
	struct reply_tok w[REPLY_LEX_PHRASE_MAX];
	struct reply_lex_match m;
	size_t	n = 0, i = 0;
	char   *p, *save = NULL, *b;
	int	ok = 0;

	strbuf_init(&key);
	if (reply_key(s, len, &key) < 0 || strbuf_reserve(&key, 0) < 0 || key.len == 0)
		goto out;
	for (p = strtok_r(key.data, " ", &save); p && n < REPLY_LEX_PHRASE_MAX; p = strtok_r(NULL, " ", &save)) {
		if ((b = strpbrk(p, "[(")) != NULL)	/* "re[2]" */
			*b = 0;
		w[n++] = (struct reply_tok) {p, strlen(p), 0};
	}
	while (i < n && reply_lex_match(cl->lx, w, n, i, &m) > 0 && (m.kinds & RLX_BIT(RLX_REPLY_PREFIX)))
		i += m.len;
	ok = n > 0 && i == n;
out:
	strbuf_free(&key);
	return (ok);
}

/* Parts of a Subject. */
struct parts {
	const char *s[REPLY_CLASSIFY_SEGMENTS];
	size_t	len[REPLY_CLASSIFY_SEGMENTS];
	size_t	n;
};

/* cut_parts - S cut at the separators (and ":" when COLON), blanks trimmed */
static void
cut_parts(const char *s, size_t len, int colon, struct parts *p)
{
	size_t	i = 0, at, sl;

	p->n = 0;
	while (i <= len && p->n < REPLY_CLASSIFY_SEGMENTS) {
		const char *b = s + i;
		size_t	bl;

		at = next_sep(b, len - i, colon, &sl);
		bl = at;
		while (bl > 0 && (b[0] == ' ' || b[0] == '\t'))
			b++, bl--;
		while (bl > 0 && (b[bl - 1] == ' ' || b[bl - 1] == '\t'))
			bl--;
		if (bl > 0) {
			p->s[p->n] = b;
			p->len[p->n++] = bl;
		}
		if (sl == 0)
			break;
		i += at + sl;
	}
}

/* has_intent - whether the key of S holds a word of an intent (a prefilter) */
static int
has_intent(const struct reply_classify *cl, const char *s)
{
	struct strbuf key;
	struct reply_tok w[REPLY_CLASSIFY_SUBJECT_TOKENS];
	struct reply_lex_match m;
	size_t	n = 0, i;
	int	r = 0;
	char   *p;

	strbuf_init(&key);
	if (reply_key(s, strlen(s), &key) < 0 || strbuf_reserve(&key, 0) < 0)
		return (1);
	for (p = key.data; *p && n < REPLY_CLASSIFY_SUBJECT_TOKENS;) {
		size_t	l = strcspn(p, " ,.:;!?-[]()|\"'");

		if (l > 0) {
			w[n] = (struct reply_tok) {p, l, 0};
			(void) reply_lex_alias(cl->lx, &w[n++]);
		}
		p += l + (p[l] != 0);
	}
	for (i = 0; i < n && !r; i++)
		r = reply_lex_match(cl->lx, w, n, i, &m) > 0 && (m.kinds & RLX_BIT(RLX_INTENT));
	strbuf_free(&key);
	return (r);
}

/* read_subject - a refusal the customer wrote in SUBJECT; 1 when found */
static int
read_subject(const struct reply_classify *cl, const char *subject, struct reply_reading *rd)
{
	struct parts p;
	size_t	first = 0, i, words = 0;
	int	r, cal = 0, prefixed = 0;
	const char *c;

	if (!has_intent(cl, subject))
		return (0);			/* most Subjects: nothing to read */
	cut_parts(subject, strlen(subject), 1, &p);
	while (first < p.n && is_prefix(cl, p.s[first], p.len[first]))
		first++;
	if (first == p.n)
		return (0);
	prefixed = first > 0;
	if (prefixed) {
		/* only what the customer set apart from ours, at either end */
		c = p.s[first];
		cut_parts(c, strlen(c), 0, &p);
		for (i = 0; i < p.len[0]; i++)
			words += (i == 0 || p.s[0][i - 1] == ' ') && p.s[0][i] != ' ';
		if (p.n == 1)
			return (words <= REPLY_CLASSIFY_SUBJECT_WORDS ? read_part(cl, p.s[0], p.len[0], rd, &cal) : 0);
		if ((r = read_part(cl, p.s[0], p.len[0], rd, &cal)) != 0 || cal)
			return (cal ? 0 : r);
		return (read_part(cl, p.s[p.n - 1], p.len[p.n - 1], rd, &cal));
	}
	for (i = first; i < p.n; i++) {
		if ((r = read_part(cl, p.s[i], p.len[i], rd, &cal)) != 0 || cal)
			return (cal ? 0 : r);
	}
	return (0);
}


/* extra_refusal - a refusal_pattern refusal into RD: the sentences it
 * matches are not read for a question; 1, 0 or -1 */
static int
extra_refusal(const struct reply_classify *cl, const char *text, size_t len, struct reply_reading *rd)
{
	struct strbuf rest;
	int	r;

	strbuf_init(&rest);
	if ((r = extra_match(cl, text, len, &rest)) == 1
	    && (r = reply_clause_read(cl->lx, rest.data ? rest.data : "", rest.len, REPLY_READ_BODY, rd)) == 0) {
		rd->refusal = r = 1;
		rd->family = REPLY_FAM_PATTERN;
		rd->scope = 0;
		rd->all = 1;
	}
	strbuf_free(&rest);
	return (r);
}

int
reply_classify_text(const struct reply_classify *cl, const char *text, size_t len,
		    const char *subject, struct reply_verdict *v)
{
	struct reply_reading rd, sr;
	int	r;

	memset(v, 0, sizeof(*v));
	if (reply_clause_read(cl->lx, text, len, REPLY_READ_BODY, &rd) < 0)
		return (-1);
	if (!rd.refusal && (r = extra_refusal(cl, text, len, &rd)) < 0)
		return (-1);
	v->question = rd.content;
	if (rd.refusal) {
		v->optout = 1;
		v->scope = rd.scope;
		v->reason = command_reason[rd.family][v->question];
		return (0);
	}
	if (subject != NULL && *subject && (r = read_subject(cl, subject, &sr)) != 0) {
		if (r < 0)
			return (-1);
		v->optout = 1;
		v->scope = sr.scope;
		v->reason = subject_reason[sr.family][v->question];
		return (0);
	}
	v->reason = rd.content ? why_reason[rd.why] : "greeting_only";
	return (0);
}
