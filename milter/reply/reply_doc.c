/*
 * NAME
 *	reply_doc 3
 * SUMMARY
 *	a customer's text as tokens and lines, each line with its role
 * SYNOPSIS
 *	#include "reply_doc.h"
 * DESCRIPTION
 *	See reply_doc.h. Two passes over one token array: the tokenizer
 *	(keys, sentence and clause marks, line ends, input-method folding)
 *	and the line roles. reply_clause.c reads the clauses from it.
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "category.h"
#include "reply_charset.h"
#include "reply_clause.h"		/* the limits of the reading: REPLY_CLAUSE_* */
#include "reply_doc.h"
#include "reply_key.h"
#include "reply_viet.h"
#include "strbuf.h"
#include "utf8.h"

#define DOC_WORDS_MAX	256		/* words of one line that are scanned */

/* add_tok - append a token; -1 when out of memory */
static inline int
add_tok(struct reply_doc *d, size_t off, size_t len, int type, int q, size_t line)
{
	if (d->nt >= REPLY_CLAUSE_TOKENS_MAX)
		return (0);
	if (d->nt == d->capt) {
		size_t	nc = d->capt ? d->capt * 2 : 256;
		struct tok *n = realloc(d->t, nc * sizeof(*n));

		if (n == NULL)
			return (-1);
		d->t = n;
		d->capt = nc;
	}
	d->t[d->nt++] = (struct tok) {off, len, (unsigned char) type, (unsigned char) q, 0, 0, 0, line};
	return (0);
}

/* cp_at - the code point of the key at I and its length */
static int32_t
cp_at(const struct reply_doc *d, size_t i, size_t e, size_t *adv)
{
	const unsigned char *u = (const unsigned char *) d->key.data;
	int32_t	c;

	if (u[i] < 0x80) {
		*adv = 1;
		return (u[i]);
	}
	c = reply_utf8_next(u + i, e - i, adv);
	return (c < 0 ? 0xFFFD : c);
}

/* is_letter - a letter, mark or digit of any script */
static int
is_letter(int32_t c)
{
	utf8proc_category_t k;

	if (c < 0x80)
		return ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
	k = utf8proc_category(c);
	return ((k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_ME) || k == UTF8PROC_CATEGORY_ND);
}

/* in_word - whether the character at I continues the word before it */
static int
in_word(const struct reply_doc *d, size_t i, size_t e)
{
	const char *k = d->key.data;
	size_t	adv;
	int32_t	c = cp_at(d, i, e, &adv);
	int	next = i + adv < e && is_letter(cp_at(d, i + adv, e, &adv));

	if (is_letter(c))
		return (1);
	if (c == '\'' || c == '-' || c == '@' || (c == '.' && !d->viqr))
		return (next);
	if (d->viqr && strchr("^+(`~'", k[i]) != NULL)
		return (1);
	if (d->viqr && (c == '?' || c == '.'))
		return (next && k[i + 1] >= 'a' && k[i + 1] <= 'z');
	return (0);
}

/* punct - the token a non-word character makes: T_SENT, T_CLAUSE or -1 */
static int
punct(const struct reply_doc *d, size_t i, size_t e, size_t *adv, int *q)
{
	const char *k = d->key.data;
	int32_t	c = cp_at(d, i, e, adv);

	*q = c == '?';
	if (c == '.' || c == '!' || c == '?' || c == ';' || c == 0x2026)
		return (T_SENT);
	if (c == ',' || c == ':' || c == 0x2192 || c == 0x2013 || c == 0x2014)
		return (T_CLAUSE);
	if ((c == '-' || c == '=') && i + 1 < e && k[i + 1] == '>') {
		*adv = 2;
		return (T_CLAUSE);
	}
	if (c == '-' && (i == 0 || k[i - 1] == ' ' || k[i - 1] == '-'))
		return (T_CLAUSE);
	return (-1);
}

/* lex_knows - whether the lexicon has the word of key bytes [S, S+LEN) */
static int
lex_knows(const struct reply_doc *d, size_t s, size_t len)
{
	struct reply_tok t = {d->key.data + s, len, 0}, a = t;
	struct reply_lex_match m;

	return (reply_lex_alias(d->lx, &a) || reply_lex_match(d->lx, &t, 1, 0, &m) > 0);
}

/*
 * add_word - the word token(s) of key bytes [S, S+LEN): a hyphenated word
 * the lexicon does not know ("từ-chối", "hủy-đăng-ký") is its parts;
 * one it knows ("e-mail", "opt-out") stays one word.
 */
static int
add_word(struct reply_doc *d, size_t s, size_t len, size_t ln)
{
	const char *k = d->key.data, *h;
	size_t	e = s + len;

	if (memchr(k + s, '-', len) == NULL || lex_knows(d, s, len))
		return (add_tok(d, s, len, T_WORD, 0, ln));
	while ((h = memchr(k + s, '-', e - s)) != NULL) {
		if ((size_t) (h - k) > s && add_tok(d, s, (size_t) (h - k) - s, T_WORD, 0, ln) < 0)
			return (-1);
		s = (size_t) (h - k) + 1;
	}
	return (s < e ? add_tok(d, s, e - s, T_WORD, 0, ln) : 0);
}

/* The bytes of a key that continue a word as they are: a-z, 0-9. */
static const unsigned char word_byte[256] = {
	['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['a'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* tokenize_line - the tokens of key bytes [P, E), line LN */
static int
tokenize_line(struct reply_doc *d, size_t p, size_t e, size_t ln)
{
	size_t	i = p, adv;
	int	type, q;

	while (i < e) {
		if (d->key.data[i] == ' ') {
			i++;
			continue;
		}
		if (is_letter(cp_at(d, i, e, &adv))) {
			size_t	s = i;
			const unsigned char *k = (const unsigned char *) d->key.data;

			for (i += adv; i < e; i += adv) {
				/* the common case first: a lower-case ASCII letter or digit */
				if (word_byte[k[i]]) {
					adv = 1;
					continue;
				}
				if (!in_word(d, i, e))
					break;
				(void) cp_at(d, i, e, &adv);
			}
			if (add_word(d, s, i - s, ln) < 0)
				return (-1);
			continue;
		}
		if ((type = punct(d, i, e, &adv, &q)) >= 0 && add_tok(d, i, adv, type, q, ln) < 0)
			return (-1);
		i += adv;
	}
	return (add_tok(d, e, 0, T_EOL, 0, ln));
}

/* The bytes input-method keys leave (maybe_keys()): the VIQR marks a vowel
 * can carry (VIQR_MARKS), w and NUL. */
#define VIQR_MARKS	"^+(`~"
static const unsigned char ime_keys[256] = {
	['^'] = 1, ['+'] = 1, ['('] = 1, ['`'] = 1, ['~'] = 1, ['w'] = 1, [0] = 1,
};

/* viqr_mode - whether the key holds VIQR marks after vowels ("u+", "o^'") */
static int
viqr_mode(const struct strbuf *key)
{
	const char *k = key->data, *p;

	if (key->len < 3)
		return (0);
	/* the rare mark first, found by strpbrk(3): the key holds no NUL before its end */
	for (p = k + 1; (p = strpbrk(p, VIQR_MARKS)) != NULL && (size_t) (p - k) + 1 < key->len; p++)
		if (strchr("aeiouy", p[-1]) != NULL && p[-1] != 0)
			return (1);
	return (0);
}

/* add_line - a line record, with what the original line says */
static int
add_line(struct reply_doc *d, size_t a, const char *orig, size_t olen)
{
	struct line *l;
	size_t	i = 0, adv;
	int32_t	c = 0;
	utf8proc_category_t k;

	if (d->nl == d->capl) {
		size_t	nc = d->capl ? d->capl * 2 : 64;
		struct line *n = realloc(d->l, nc * sizeof(*n));

		if (n == NULL)
			return (-1);
		d->l = n;
		d->capl = nc;
	}
	l = &d->l[d->nl++];
	memset(l, 0, sizeof(*l));
	l->a = a;
	while (i < olen && (c = reply_utf8_next((const unsigned char *) orig + i, olen - i, &adv)) >= 0
	       && !is_letter(c < 0x80 && c >= 'A' && c <= 'Z' ? c + 32 : c))
		i += adv;
	k = i < olen ? utf8proc_category(c) : UTF8PROC_CATEGORY_CN;
	l->lower_first = k == UTF8PROC_CATEGORY_LL;
	return (0);
}

/* name_like - an original line of 1..N capitalised words, no digits */
static int
name_like(const char *s, size_t len)
{
	size_t	i = 0, adv, words = 0;
	int	start = 1;
	int32_t	c;

	while (i < len) {
		c = reply_utf8_next((const unsigned char *) s + i, len - i, &adv);
		i += adv;
		if (c == ' ' || c == '\t') {
			start = 1;
			continue;
		}
		if (c == '.' || c == '-')
			continue;
		if (c < 0 || (c >= '0' && c <= '9') || !is_letter(c < 0x80 && c >= 'A' && c <= 'Z' ? c + 32 : c))
			return (0);
		if (start) {
			if (utf8proc_category(c) != UTF8PROC_CATEGORY_LU)
				return (0);
			words++;
			start = 0;
		}
	}
	return (words >= 1 && words <= REPLY_CLAUSE_NAME_WORDS);
}

/* all_caps - an original line with letters and none in lower case ("DUNG") */
static int
all_caps(const char *s, size_t len)
{
	size_t	i = 0, adv;
	int	upper = 0;
	int32_t	c;

	while (i < len) {
		c = reply_utf8_next((const unsigned char *) s + i, len - i, &adv);
		i += adv;
		if (c < 0)
			continue;
		if (utf8proc_category(c) == UTF8PROC_CATEGORY_LL)
			return (0);
		upper |= utf8proc_category(c) == UTF8PROC_CATEGORY_LU;
	}
	return (upper);
}

/* tail_name - the original line ends with a comma and a name ("..., John") */
static int
tail_name(const char *s, size_t len)
{
	const char *c = memrchr(s, ',', len), *p;

	if (c == NULL)
		return (0);
	for (p = c + 1; p < s + len && (*p == ' ' || *p == '\t'); p++)
		;
	return (p < s + len && name_like(p, (size_t) (s + len - p)));
}

/* tokenize - key, tokens and lines of TEXT */
static int
tokenize(struct reply_doc *d, const char *text, size_t len)
{
	size_t	i = 0, o = 0;

	if (reply_key_marks(text, len, &d->key, &d->marks) < 0 || strbuf_reserve(&d->key, 0) < 0)
		return (-1);
	d->viqr = viqr_mode(&d->key);
	while (i <= d->key.len) {
		const char *nl = memchr(d->key.data + i, '\n', d->key.len - i);
		size_t	e = nl ? (size_t) (nl - d->key.data) : d->key.len;
		const char *onl = memchr(text + o, '\n', len - o);
		size_t	oe = onl ? (size_t) (onl - text) : len;

		if (add_line(d, d->nt, text + o, oe - o) < 0 || tokenize_line(d, i, e, d->nl - 1) < 0)
			return (-1);
		d->l[d->nl - 1].name_like = name_like(text + o, oe - o);
		d->l[d->nl - 1].caps = all_caps(text + o, oe - o);
		d->l[d->nl - 1].tail_name = tail_name(text + o, oe - o);
		d->l[d->nl - 1].ks = i;
		d->l[d->nl - 1].ke = e;
		if (d->nt == 0 || d->t[d->nt - 1].type != T_EOL || d->t[d->nt - 1].line != d->nl - 1) {
			d->l[d->nl - 1].b = d->nt;	/* the token limit: stop here */
			break;
		}
		d->l[d->nl - 1].b = d->nt - 1;
		i = e + 1;
		o = oe + 1;
		if (nl == NULL || o > len)
			break;
	}
	return (0);
}

/* ascii_word - the token is lower-case ASCII letters, digits and VIQR marks */
static int
ascii_word(const struct reply_doc *d, const struct tok *t)
{
	size_t	i;

	for (i = 0; i < t->len; i++)
		if ((unsigned char) d->key.data[t->off + i] >= 0x80)
			return (0);
	return (t->len >= 2 && t->len <= REPLY_VIET_WORD_MAX);
}

/* maybe_keys - a cheap test: the word has what input-method keys leave
 * (w, dd, aa/ee/oo, a digit after a letter, VIQR marks) */
static int
maybe_keys(const struct reply_doc *d, const struct tok *t)
{
	const char *w = d->key.data + t->off;
	size_t	i;

	for (i = 0; i < t->len; i++) {
		if (ime_keys[(unsigned char) w[i]])	/* w, NUL, a VIQR mark */
			return (1);
		if (i > 0 && ((w[i] >= '1' && w[i] <= '9' && w[i - 1] >= 'a' && w[i - 1] <= 'z')
			      || (w[i] == w[i - 1] && strchr("aeod", w[i]) != NULL)))
			return (1);
	}
	return (0);
}

/* keep_word - a word the lexicon says is never input-method keys */
static int
keep_word(const struct reply_doc *d, const struct tok *t)
{
	struct reply_tok w = {d->key.data + t->off, t->len, 0};
	struct reply_lex_match m;

	return (reply_lex_match(d->lx, &w, 1, 0, &m) == 1 && (m.kinds & RLX_BIT(RLX_KEEP)));
}

/*
 * fold_words - input-method residue, read when the text reads Vietnamese:
 * at least one word that can only be keys, and at least half the words
 * syllables or keys.
 */
static int
fold_words(struct reply_doc *d)
{
	char	out[REPLY_VIET_WORD_MAX + 1];
	size_t	i, viet = 0, fold = 0, other = 0, n;
	int	strong, any = 0;

	for (i = 0, n = 0; i < d->nt && !any && n < REPLY_CLAUSE_IME_WORDS; i++) {
		const struct tok *t = &d->t[i];

		n += t->type == T_WORD;
		if (t->type == T_WORD && ascii_word(d, t) && maybe_keys(d, t) && !keep_word(d, t)
		    && reply_viet_ime_fold(d->key.data + t->off, t->len, out, sizeof(out), &strong) > 0)
			any = strong;
	}
	if (!any)
		return (0);			/* most texts: no word can only be keys */
	for (any = 0, i = 0; i < d->nt; i++) {
		struct tok *t = &d->t[i];

		if (t->type != T_WORD || !ascii_word(d, t) || keep_word(d, t))
			continue;
		if (reply_viet_syllable(d->key.data + t->off, t->len))
			viet++;
		else if (reply_viet_ime_fold(d->key.data + t->off, t->len, out, sizeof(out), &strong) > 0) {
			fold++;
			any |= strong;
		} else if (strspn(d->key.data + t->off, "0123456789") < t->len)
			other++;
	}
	if (!any || 2 * (viet + fold) < viet + fold + other)
		return (0);
	for (i = 0; i < d->nt; i++) {
		struct tok *t = &d->t[i];

		if (t->type != T_WORD || !ascii_word(d, t) || keep_word(d, t)
		    || (n = reply_viet_ime_fold(d->key.data + t->off, t->len, out, sizeof(out), &strong)) == 0)
			continue;
		t->off = d->fold.len;
		t->len = n;
		t->folded = 1;
		if (strbuf_add(&d->fold, out, n) < 0)
			return (-1);
	}
	return (0);
}

/* tok_marks - the marks the key of token T dropped (reply_key.h) */
static unsigned char
tok_marks(const struct reply_doc *d, const struct tok *t)
{
	unsigned char m = 0;
	size_t	i, e = t->off + t->len < d->marks.len ? t->off + t->len : d->marks.len;

	for (i = t->off; i < e; i++)
		m |= (unsigned char) d->marks.data[i];
	return (m);
}

/* all_digits - whether the LEN bytes at S are digits (an empty word is: strspn()'s rule) */
static int
all_digits(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return (0);
	return (1);
}

/* resolve - the keys of all tokens, once the buffers stop moving */
static int
resolve(struct reply_doc *d)
{
	size_t	i;

	/* every key is written below: no need to clear them first */
	if ((d->rt = malloc((d->nt + 1) * sizeof(*d->rt))) == NULL
	    || (d->memo = malloc((d->nt + 1) * sizeof(*d->memo))) == NULL)
		return (-1);
	d->rt[d->nt] = (struct reply_tok) { "", 0, 0 };
	for (i = 0; i < d->nt; i++) {
		const struct tok *t = &d->t[i];

		d->rt[i].s = (t->folded ? d->fold.data : d->key.data) + t->off;
		d->rt[i].len = t->len;
		d->rt[i].mk = t->folded ? 0 : tok_marks(d, t);
		if (t->type == T_WORD && all_digits(d->rt[i].s, t->len))
			d->rt[i] = (struct reply_tok) { "0", 1, 0 };	/* every number reads "0" */
		else if (t->type == T_WORD && reply_lex_alias(d->lx, &d->rt[i]))
			d->rt[i].mk = 0;			/* "ko" reads "khong" */
	}
	return (0);
}

/* words_of - the word keys of tokens [A, B) into W (at most MAX); count */
static size_t
words_of(const struct reply_doc *d, size_t a, size_t b, struct reply_tok *w, size_t *map, size_t max)
{
	size_t	i, n = 0;

	for (i = a; i < b && n < max; i++)
		if (d->t[i].type == T_WORD && !d->t[i].skip) {
			if (map)
				map[n] = i;
			w[n++] = d->rt[i];
		}
	return (n);
}

/* starts_with - whether words W (N) start with a phrase of KIND; its length */
static size_t
starts_with(const struct reply_doc *d, const struct reply_tok *w, size_t n, int kind)
{
	struct reply_lex_match m;

	return (reply_lex_match(d->lx, w, n, 0, &m) > 0 && (m.kinds & RLX_BIT(kind)) ? m.len : 0);
}

/* line_starts_with - starts_with() of line L's words, from its scan: the
 * words have not changed since (only role_forward() skips some, on the
 * line it reads, after asking) */
static int
line_starts_with(const struct line *l, int kind)
{
	return (l->first_len > 0 && (l->first_kinds & RLX_BIT(kind)) != 0);
}

/* eff - the words of a lookup at I of N that its answer M depends on */
static inline size_t
eff(size_t n, size_t i, const struct reply_lex_match *m)
{
	return (n - i < m->reach ? n - i : m->reach);
}

size_t
reply_doc_match(const struct reply_doc *d, const struct reply_tok *w, const size_t *ti, size_t n,
		size_t i, struct reply_lex_match *m)
{
	const struct lex_memo *lm;

	if (i >= n || !d->t[ti[i]].memo)
		return (reply_lex_match(d->lx, w, n, i, m));
	/* the same tokens as far as the lookup reads: the same answer */
	lm = &d->memo[ti[i]];
	if (eff(n, i, &lm->m) == lm->eff && ti[i + lm->eff - 1] == lm->last) {
		*m = lm->m;
		return (m->len);
	}
	return (reply_lex_match(d->lx, w, n, i, m));
}

/* line_scan - one lexicon pass over line L's words W (N, tokens TI): whether
 * it holds an intent, a redirect, and how many disclaimer words; each lookup
 * kept for the clauses */
static void
line_scan(struct reply_doc *d, struct line *l, const struct reply_tok *w, const size_t *ti,
	  size_t n)
{
	const struct reply_lex_match *mp;
	struct lex_memo *lm;
	size_t	i = 0, j;
	int	named = 1;

	l->first_len = 0;
	l->first_kinds = 0;
	while (i < n) {
		lm = &d->memo[ti[i]];
		(void) reply_lex_match(d->lx, w, n, i, &lm->m);
		lm->eff = eff(n, i, &lm->m);
		lm->last = ti[i + lm->eff - 1];
		d->t[ti[i]].memo = 1;
		mp = &lm->m;
		if (mp->len == 0) {
			i++;
			continue;
		}
		if (i == 0) {
			l->first_len = mp->len;	/* what role_forward() asks first */
			l->first_kinds = mp->kinds;
		}
		l->dhits += (mp->kinds & RLX_BIT(RLX_DISCLAIMER)) != 0;
		if ((mp->kinds & RLX_BIT(RLX_INTENT)) && !(mp->kinds & RLX_BIT(RLX_NEUTRAL))) {
			l->intent = 1;
			named &= (mp->flags & RLX_ALONE) && mp->marked;
			for (j = i; j < i + mp->len; j++)
				named &= w[j].mk == 0;
		}
		d->redirect |= (mp->kinds & RLX_BIT(RLX_REDIRECT)) != 0;
		if (mp->kinds & RLX_BIT(RLX_OBJECT))
			l->objects |= mp->object == RLX_OBJ_OTHER ? OBJ_OTHER : OBJ_MAIL;
		i += mp->len;
	}
	l->intent_name = l->intent && named && l->name_like && !l->caps;
}

/* is_rule_line - a key line of only dashes or underscores ("--", "__") */
static int
is_rule_line(const struct reply_doc *d, const struct line *l)
{
	size_t	i, n = 0;

	for (i = l->ks; i < l->ke; i++) {
		if (d->key.data[i] == ' ')
			continue;
		if (d->key.data[i] != '-' && d->key.data[i] != '_')
			return (0);
		n++;
	}
	return (n >= 2);
}

/* line_q - whether the line holds a "?" */
static int
line_q(const struct reply_doc *d, const struct line *l)
{
	size_t	i;

	for (i = l->a; i < l->b; i++)
		if (d->t[i].q)
			return (1);
	return (0);
}

/* line_ends_sentence - the line's last token is . ! ? ; */
static int
line_ends_sentence(const struct reply_doc *d, const struct line *l)
{
	return (l->b > l->a && d->t[l->b - 1].type == T_SENT);
}

/* mark_disclaimers - lines of paragraphs with disclaimer words are skipped */
static void
mark_disclaimers(struct reply_doc *d)
{
	size_t	i, j, k, hits;

	for (i = 0; i < d->nl; i = j) {
		for (j = i, hits = 0; j < d->nl && d->l[j].words > 0; j++)
			hits += d->l[j].dhits;
		if (hits >= REPLY_CLAUSE_DISCLAIMER_HITS)
			for (k = i; k < j; k++)
				if (!d->l[k].intent)
					d->l[k].role = R_SKIP;
		if (j == i)
			j++;
	}
}

/* skip_greeting - the greeting words at the start of line L, up to , or : */
static int
skip_greeting(struct reply_doc *d, struct line *l)
{
	size_t	i, words = 0;

	for (i = l->a; i < l->b && words <= REPLY_CLAUSE_GREETING_WORDS; i++) {
		if (d->t[i].type == T_CLAUSE || d->t[i].type == T_SENT) {
			for (; i >= l->a && i != (size_t) -1; i--)
				d->t[i].skip = 1;
			return (1);
		}
		words += d->t[i].type == T_WORD;
	}
	return (0);
}

/*
 * skip_signoff - a sign-off at the end of line L ("... Thanks, John",
 * "... Trân trọng, Nguyễn Văn An"): its words are not the message.
 */
static void
skip_signoff(struct reply_doc *d, struct line *l)
{
	struct reply_tok w[DOC_WORDS_MAX];
	size_t	i, comma = l->b, start = l->a, n;

	for (i = l->b; i-- > l->a;)
		if (d->t[i].type == T_CLAUSE) {
			comma = i;
			break;
		}
	if (comma == l->b)
		return;
	for (i = comma; i-- > l->a;)
		if (d->t[i].type == T_SENT || d->t[i].type == T_CLAUSE) {
			start = i + 1;
			break;
		}
	n = words_of(d, start, comma, w, NULL, DOC_WORDS_MAX);
	if (n == 0 || n > REPLY_CLAUSE_CLOSING_WORDS
	    || (!starts_with(d, w, n, RLX_CLOSING) && !starts_with(d, w, n, RLX_COURTESY)))
		return;
	for (i = start; i < l->b; i++)
		d->t[i].skip = 1;
}

/* role_forward - greetings, closings, signatures, app signatures */
static void
role_forward(struct reply_doc *d)
{
	size_t	i, n;
	int	sig = 0;

	for (i = 0; i < d->nl; i++) {
		struct line *l = &d->l[i];

		if (l->role == R_SKIP)
			continue;
		n = l->words;			/* its words, unchanged since roles() counted them */
		if (is_rule_line(d, l)) {
			l->role = R_SKIP;
			sig = 1;
			continue;
		}
		if (n == 0) {
			l->role = R_BLANK;
			continue;
		}
		if (sig && (!l->intent || l->intent_name) && n <= REPLY_CLAUSE_SIG_WORDS
		    && !line_q(d, l)) {
			l->role = R_SKIP;
			continue;
		}
		sig = 0;
		if (!l->intent && (line_starts_with(l, RLX_APPSIG)
				   || (line_starts_with(l, RLX_CLOSING) && n <= REPLY_CLAUSE_CLOSING_WORDS))) {
			l->role = R_SKIP;
			sig = 1;
			continue;
		}
		if (line_starts_with(l, RLX_GREETING) && !l->intent
		    && (n <= REPLY_CLAUSE_GREETING_WORDS && !line_q(d, l)))
			l->role = R_SKIP;
		else if (line_starts_with(l, RLX_GREETING))
			(void) skip_greeting(d, l);
		if (l->tail_name && l->role != R_SKIP)
			skip_signoff(d, l);
	}
}

/* numbers_only - a line of numbers alone ("0903 123 456"): a phone, a contact */
static int
numbers_only(const struct reply_tok *w, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (w[i].len != 1 || w[i].s[0] != '0')
			return (0);
	return (n > 0);
}

/* doc_marked - whether the writer types Vietnamese marks (a word has some) */
static int
doc_marked(const struct reply_doc *d)
{
	size_t	i;

	for (i = 0; i < d->nt; i++)
		if (d->t[i].type == T_WORD && d->rt[i].mk != 0)
			return (1);
	return (0);
}

/* body_before - whether a line before line I is the customer's text */
static int
body_before(const struct reply_doc *d, size_t i)
{
	while (i-- > 0)
		if (d->l[i].role == R_BODY)
			return (1);
	return (0);
}

/*
 * role_backward - trailing name, title and contact lines (a phone number
 * alone) are a signature.
 * A name line whose only intent is a word said alone and written without
 * marks ("Hồ Mỹ Dung", "Dung": "dừng" unmarked) is the writer's name when
 * text comes before it and the writer types marks: a writer who types
 * marks writes the command "Dừng".
 */
static void
role_backward(struct reply_doc *d)
{
	struct reply_tok w[DOC_WORDS_MAX];
	size_t	i, n;
	int	marked = -1;

	for (i = d->nl; i-- > 0;) {
		struct line *l = &d->l[i];

		if (l->role == R_BLANK || l->role == R_SKIP)
			continue;
		n = words_of(d, l->a, l->b, w, NULL, DOC_WORDS_MAX);
		if (l->intent && l->intent_name && marked < 0)
			marked = doc_marked(d);
		if ((l->intent && !(l->intent_name && marked == 1 && body_before(d, i)))
		    || line_q(d, l) || n > REPLY_CLAUSE_SIG_WORDS)
			return;
		if (!l->name_like && !numbers_only(w, n)
		    && (!starts_with(d, w, n, RLX_SIGNATURE) || line_ends_sentence(d, l)))
			return;
		l->role = R_SKIP;
	}
}

/* roles - every line's role; words and intents counted first */
static void
roles(struct reply_doc *d, int full)
{
	struct reply_tok w[DOC_WORDS_MAX];
	size_t	ti[DOC_WORDS_MAX];
	size_t	i, n;

	for (i = 0; i < d->nl; i++) {
		struct line *l = &d->l[i];

		n = words_of(d, l->a, l->b, w, ti, DOC_WORDS_MAX);
		l->words = n;
		l->role = n > 0 ? R_BODY : R_BLANK;
		line_scan(d, l, w, ti, n);
	}
	if (full) {
		mark_disclaimers(d);
		role_forward(d);
		role_backward(d);
	}
	for (i = 0; i < d->nl; i++)
		if (d->l[i].role == R_BODY)
			d->objects |= d->l[i].objects;
}

int
reply_doc_read(struct reply_doc *d, const struct reply_lex *lx, const char *text, size_t len, int full)
{
	memset(d, 0, sizeof(*d));
	d->lx = lx;
	strbuf_init(&d->key);
	strbuf_init(&d->fold);
	strbuf_init(&d->marks);
	if (tokenize(d, text, len) < 0 || fold_words(d) < 0 || resolve(d) < 0)
		return (-1);
	roles(d, full);
	return (0);
}

void
reply_doc_free(struct reply_doc *d)
{
	free(d->rt);
	free(d->memo);
	free(d->t);
	free(d->l);
	strbuf_free(&d->key);
	strbuf_free(&d->fold);
	strbuf_free(&d->marks);
}
