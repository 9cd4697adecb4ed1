/*
 * NAME
 *	reply_clause 3
 * SUMMARY
 *	read a customer's text clause by clause: refusals and what is left
 * SYNOPSIS
 *	#include "reply_clause.h"
 * DESCRIPTION
 *	See reply_clause.h. Three passes over one token array: the
 *	tokenizer (keys, sentence and clause marks, line ends, input-method
 *	folding), the line roles, and the clauses, each judged from the
 *	spans the lexicon finds in it.
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
#include "reply_clause.h"
#include "reply_key.h"
#include "reply_viet.h"
#include "strbuf.h"
#include "utf8.h"

enum { T_WORD, T_SENT, T_CLAUSE, T_EOL };
enum { R_BODY, R_BLANK, R_SKIP };

struct tok {
	size_t	off, len;		/* in the key, or in the fold buffer */
	unsigned char type;
	unsigned char q;		/* T_SENT ended by "?" */
	unsigned char folded;		/* OFF is in the fold buffer */
	unsigned char skip;		/* greeting words: not the message */
	size_t	line;
};

struct line {
	size_t	a, b;			/* tokens, the T_EOL excluded */
	size_t	ks, ke;			/* the line in the key */
	size_t	words;
	int	role;
	int	lower_first;		/* the original starts with a lower-case letter */
	int	name_like;
	int	tail_name;		/* the original ends ", Name" */
	int	intent;
	int	objects;		/* OBJ_* named on the line */
	size_t	dhits;			/* disclaimer words */
};

/* What the customer's lines name (struct line, struct doc). */
#define OBJ_MAIL	1		/* our mail or a kind of it */
#define OBJ_OTHER	2		/* something else: a payment, a server */

struct doc {
	const struct reply_lex *lx;
	const char *text;
	struct strbuf key, fold;
	struct tok *t;
	size_t	nt, capt;
	struct line *l;
	size_t	nl, capl;
	struct reply_tok *rt;		/* keys of every token, once they stop moving */
	struct cl *cl;			/* the clause being judged */
	struct sent *st;		/* the sentence being read */
	int	viqr;
	int	redirect;
	int	objects;		/* OBJ_* named on the message's lines */
};

/* Spans of one clause. */
struct span {
	size_t	at;			/* index in the clause's words */
	struct reply_lex_match m;
};

#define CLAUSE_WORDS_MAX	256	/* words of one clause that are judged */
#define CLAUSES_MAX		64	/* clauses of one sentence that are judged */

struct cl;
struct sent;

/* add_tok - append a token; -1 when out of memory */
static int
add_tok(struct doc *d, size_t off, size_t len, int type, int q, size_t line)
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
	d->t[d->nt++] = (struct tok) {off, len, (unsigned char) type, (unsigned char) q, 0, 0, line};
	return (0);
}

/* cp_at - the code point of the key at I and its length */
static int32_t
cp_at(const struct doc *d, size_t i, size_t e, size_t *adv)
{
	const unsigned char *u = (const unsigned char *) d->key.data;
	int32_t	c;

	if (u[i] < 0x80) {
		*adv = 1;
		return (u[i]);
	}
	c = utf8_decode(u + i, e - i, adv);
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
in_word(const struct doc *d, size_t i, size_t e)
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
punct(const struct doc *d, size_t i, size_t e, size_t *adv, int *q)
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

/* tokenize_line - the tokens of key bytes [P, E), line LN */
static int
tokenize_line(struct doc *d, size_t p, size_t e, size_t ln)
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
				if ((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9')) {
					adv = 1;
					continue;
				}
				if (!in_word(d, i, e))
					break;
				(void) cp_at(d, i, e, &adv);
			}
			if (add_tok(d, s, i - s, T_WORD, 0, ln) < 0)
				return (-1);
			continue;
		}
		if ((type = punct(d, i, e, &adv, &q)) >= 0 && add_tok(d, i, adv, type, q, ln) < 0)
			return (-1);
		i += adv;
	}
	return (add_tok(d, e, 0, T_EOL, 0, ln));
}

/* viqr_mode - whether the key holds VIQR marks after vowels ("u+", "o^'") */
static int
viqr_mode(const struct strbuf *key)
{
	size_t	i;

	for (i = 1; i + 1 < key->len; i++)
		if (strchr("aeiouy", key->data[i - 1]) != NULL && key->data[i - 1] != 0
		    && (key->data[i] == '^' || key->data[i] == '+' || key->data[i] == '('
			|| key->data[i] == '`' || key->data[i] == '~'))
			return (1);
	return (0);
}

/* add_line - a line record, with what the original line says */
static int
add_line(struct doc *d, size_t a, const char *orig, size_t olen)
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
	while (i < olen && (c = utf8_decode((const unsigned char *) orig + i, olen - i, &adv)) >= 0
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
		c = utf8_decode((const unsigned char *) s + i, len - i, &adv);
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

/* tail_name - the original line ends with a comma and a name ("..., John") */
static int
tail_name(const char *s, size_t len)
{
	const char *c = NULL, *p;

	for (p = s; p < s + len; p++)
		if (*p == ',')
			c = p;
	if (c == NULL)
		return (0);
	for (p = c + 1; p < s + len && (*p == ' ' || *p == '\t'); p++)
		;
	return (p < s + len && name_like(p, (size_t) (s + len - p)));
}

/* tokenize - key, tokens and lines of TEXT */
static int
tokenize(struct doc *d, const char *text, size_t len)
{
	size_t	i = 0, o = 0;

	if (reply_key(text, len, &d->key) < 0 || strbuf_reserve(&d->key, 0) < 0)
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
ascii_word(const struct doc *d, const struct tok *t)
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
maybe_keys(const struct doc *d, const struct tok *t)
{
	const char *w = d->key.data + t->off;
	size_t	i;

	for (i = 0; i < t->len; i++) {
		if (w[i] == 'w' || strchr("^+(`~", w[i]) != NULL)
			return (1);
		if (i > 0 && ((w[i] >= '1' && w[i] <= '9' && w[i - 1] >= 'a' && w[i - 1] <= 'z')
			      || (w[i] == w[i - 1] && strchr("aeod", w[i]) != NULL)))
			return (1);
	}
	return (0);
}

/* keep_word - a word the lexicon says is never input-method keys */
static int
keep_word(const struct doc *d, const struct tok *t)
{
	struct reply_tok w = {d->key.data + t->off, t->len};
	struct reply_lex_match m;

	return (reply_lex_match(d->lx, &w, 1, 0, &m) == 1 && (m.kinds & RLX_BIT(RLX_KEEP)));
}

/*
 * fold_words - input-method residue, read when the text reads Vietnamese:
 * at least one word that can only be keys, and at least half the words
 * syllables or keys.
 */
static int
fold_words(struct doc *d)
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

/* resolve - the keys of all tokens, once the buffers stop moving */
static int
resolve(struct doc *d)
{
	size_t	i;

	if ((d->rt = calloc(d->nt + 1, sizeof(*d->rt))) == NULL)
		return (-1);
	for (i = 0; i < d->nt; i++) {
		const struct tok *t = &d->t[i];

		d->rt[i].s = (t->folded ? d->fold.data : d->key.data) + t->off;
		d->rt[i].len = t->len;
		if (t->type == T_WORD && strspn(d->rt[i].s, "0123456789") >= t->len)
			d->rt[i] = (struct reply_tok) { "0", 1 };	/* every number reads "0" */
		else if (t->type == T_WORD)
			(void) reply_lex_alias(d->lx, &d->rt[i]);	/* "ko" reads "khong" */
	}
	return (0);
}

/* words_of - the word keys of tokens [A, B) into W (at most MAX); count */
static size_t
words_of(const struct doc *d, size_t a, size_t b, struct reply_tok *w, size_t *map, size_t max)
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
starts_with(const struct doc *d, const struct reply_tok *w, size_t n, int kind)
{
	struct reply_lex_match m;

	return (reply_lex_match(d->lx, w, n, 0, &m) > 0 && (m.kinds & RLX_BIT(kind)) ? m.len : 0);
}

/* line_scan - one lexicon pass over line L's words W (N): whether it holds an
 * intent, a redirect, and how many disclaimer words */
static void
line_scan(struct doc *d, struct line *l, const struct reply_tok *w, size_t n)
{
	struct reply_lex_match m;
	size_t	i = 0;

	while (i < n) {
		if (reply_lex_match(d->lx, w, n, i, &m) == 0) {
			i++;
			continue;
		}
		l->dhits += (m.kinds & RLX_BIT(RLX_DISCLAIMER)) != 0;
		l->intent |= (m.kinds & RLX_BIT(RLX_INTENT)) && !(m.kinds & RLX_BIT(RLX_NEUTRAL));
		d->redirect |= (m.kinds & RLX_BIT(RLX_REDIRECT)) != 0;
		if (m.kinds & RLX_BIT(RLX_OBJECT))
			l->objects |= m.object == RLX_OBJ_OTHER ? OBJ_OTHER : OBJ_MAIL;
		i += m.len;
	}
}

/* is_rule_line - a key line of only dashes or underscores ("--", "__") */
static int
is_rule_line(const struct doc *d, const struct line *l)
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
line_q(const struct doc *d, const struct line *l)
{
	size_t	i;

	for (i = l->a; i < l->b; i++)
		if (d->t[i].q)
			return (1);
	return (0);
}

/* line_ends_sentence - the line's last token is . ! ? ; */
static int
line_ends_sentence(const struct doc *d, const struct line *l)
{
	return (l->b > l->a && d->t[l->b - 1].type == T_SENT);
}

/* mark_disclaimers - lines of paragraphs with disclaimer words are skipped */
static void
mark_disclaimers(struct doc *d)
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
skip_greeting(struct doc *d, struct line *l)
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
skip_signoff(struct doc *d, struct line *l)
{
	struct reply_tok w[CLAUSE_WORDS_MAX];
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
	n = words_of(d, start, comma, w, NULL, CLAUSE_WORDS_MAX);
	if (n == 0 || n > REPLY_CLAUSE_CLOSING_WORDS
	    || (!starts_with(d, w, n, RLX_CLOSING) && !starts_with(d, w, n, RLX_COURTESY)))
		return;
	for (i = start; i < l->b; i++)
		d->t[i].skip = 1;
}

/* role_forward - greetings, closings, signatures, app signatures */
static void
role_forward(struct doc *d)
{
	struct reply_tok w[CLAUSE_WORDS_MAX];
	size_t	i, n;
	int	sig = 0;

	for (i = 0; i < d->nl; i++) {
		struct line *l = &d->l[i];

		if (l->role == R_SKIP)
			continue;
		n = words_of(d, l->a, l->b, w, NULL, CLAUSE_WORDS_MAX);
		if (is_rule_line(d, l)) {
			l->role = R_SKIP;
			sig = 1;
			continue;
		}
		if (n == 0) {
			l->role = R_BLANK;
			continue;
		}
		if (sig && !l->intent && n <= REPLY_CLAUSE_SIG_WORDS && !line_q(d, l)) {
			l->role = R_SKIP;
			continue;
		}
		sig = 0;
		if (!l->intent && (starts_with(d, w, n, RLX_APPSIG)
				   || (starts_with(d, w, n, RLX_CLOSING) && n <= REPLY_CLAUSE_CLOSING_WORDS))) {
			l->role = R_SKIP;
			sig = 1;
			continue;
		}
		if (starts_with(d, w, n, RLX_GREETING) && !l->intent
		    && (n <= REPLY_CLAUSE_GREETING_WORDS && !line_q(d, l)))
			l->role = R_SKIP;
		else if (starts_with(d, w, n, RLX_GREETING))
			(void) skip_greeting(d, l);
		if (l->tail_name && l->role != R_SKIP)
			skip_signoff(d, l);
	}
}

/* role_backward - trailing name, title and contact lines are a signature */
static void
role_backward(struct doc *d)
{
	struct reply_tok w[CLAUSE_WORDS_MAX];
	size_t	i, n;

	for (i = d->nl; i-- > 0;) {
		struct line *l = &d->l[i];

		if (l->role == R_BLANK || l->role == R_SKIP)
			continue;
		n = words_of(d, l->a, l->b, w, NULL, CLAUSE_WORDS_MAX);
		if (l->intent || line_q(d, l) || n > REPLY_CLAUSE_SIG_WORDS)
			return;
		if (!l->name_like && (!starts_with(d, w, n, RLX_SIGNATURE) || line_ends_sentence(d, l)))
			return;
		l->role = R_SKIP;
	}
}

/* roles - every line's role; words and intents counted first */
static void
roles(struct doc *d, int mode)
{
	struct reply_tok w[CLAUSE_WORDS_MAX];
	size_t	i, n;

	for (i = 0; i < d->nl; i++) {
		struct line *l = &d->l[i];

		n = words_of(d, l->a, l->b, w, NULL, CLAUSE_WORDS_MAX);
		l->words = n;
		l->role = n > 0 ? R_BODY : R_BLANK;
		line_scan(d, l, w, n);
	}
	if (mode != REPLY_READ_SUBJECT) {
		mark_disclaimers(d);
		role_forward(d);
		role_backward(d);
	}
	for (i = 0; i < d->nl; i++)
		if (d->l[i].role == R_BODY)
			d->objects |= d->l[i].objects;
}

/* What one clause holds. */
struct cl {
	struct span sp[CLAUSE_WORDS_MAX];
	size_t	nsp, n, unknown;
	unsigned long long kinds;	/* of every span */
	unsigned cats;
	int	mail, other, q, cond;
	int	first;			/* the first object named: its class, or 0 */
	int	smail, scats, sother;	/* objects anywhere in the sentence */
};

#define NON_CONTENT (RLX_BIT(RLX_PARTICLE) | RLX_BIT(RLX_FILLER) | RLX_BIT(RLX_COURTESY) \
	| RLX_BIT(RLX_EMOTIVE) | RLX_BIT(RLX_GREETING) | RLX_BIT(RLX_CLOSING) | RLX_BIT(RLX_MORE) \
	| RLX_BIT(RLX_REQUEST) | RLX_BIT(RLX_OBJECT) | RLX_BIT(RLX_INTENT) | RLX_BIT(RLX_BREAK) \
	| RLX_BIT(RLX_KEEP))

/* cl_reset - an empty clause (the span array is not cleared: NSP counts it) */
static void
cl_reset(struct cl *c)
{
	c->nsp = c->n = c->unknown = 0;
	c->kinds = 0;
	c->cats = 0;
	c->mail = c->other = c->q = c->cond = c->first = c->smail = c->scats = c->sother = 0;
}

/* object - what a clause refers to: a category, our mail, something else */
static void
object(struct cl *c, int obj)
{
	if (c->first == 0)
		c->first = obj >= 0 ? 1 : obj;
	if (obj >= 0)
		c->cats |= CATEGORY_BIT(obj);
	c->mail |= obj == RLX_OBJ_MAIL;
	c->other |= obj == RLX_OBJ_OTHER;
}

/* gap_objects - objects inside an intent's "*" ("take me off your marketing list") */
static void
gap_objects(const struct doc *d, const struct reply_tok *w, size_t n, struct cl *c)
{
	struct reply_lex_match m;
	size_t	i;

	for (i = 0; i < n; i++)
		if (reply_lex_match(d->lx, w, n, i, &m) > 0 && (m.kinds & RLX_BIT(RLX_OBJECT)))
			object(c, m.object);
}

/* scan - the lexicon's spans of words W[FROM, TO) appended to SP (NS used, at most MAX) */
static size_t
scan(const struct doc *d, const struct reply_tok *w, size_t from, size_t to, struct span *sp,
     size_t ns, size_t max)
{
	size_t	i = from;

	while (i < to && ns < max) {
		if (reply_lex_match(d->lx, w + from, to - from, i - from, &sp[ns].m) == 0) {
			i++;
			continue;
		}
		sp[ns].at = i;
		i += sp[ns++].m.len;
	}
	return (ns);
}

/* clause_of - clause C of words W[FROM, TO) from the sentence's spans SP (NS) */
static void
clause_of(const struct doc *d, const struct reply_tok *w, const struct span *sp, size_t ns,
	  size_t from, size_t to, struct cl *c)
{
	size_t	x, covered = 0;
	int	subord = 0;

	cl_reset(c);
	c->n = to - from;
	for (x = 0; x < ns && c->nsp < CLAUSE_WORDS_MAX; x++) {
		const struct span *s = &sp[x];

		if (s->at < from || s->at >= to)
			continue;
		c->sp[c->nsp] = *s;
		c->sp[c->nsp++].at = s->at - from;
		covered += s->m.len;
		c->kinds |= s->m.kinds;
		if (s->m.kinds & RLX_BIT(RLX_SUBORDINATE))
			subord = 1;
		if ((s->m.kinds & RLX_BIT(RLX_OBJECT)) && !subord)
			object(c, s->m.object);
		if ((s->m.kinds & RLX_BIT(RLX_INTENT)) && s->m.gap && s->m.len > 2)
			gap_objects(d, w + s->at + 1, s->m.len - 2, c);
	}
	c->unknown = c->n > covered ? c->n - covered : 0;
}

/* before - a span of KIND ending at most WINDOW words before span X */
static int
before(const struct cl *c, size_t x, int kind, size_t window)
{
	size_t	j;

	for (j = x; j-- > 0;) {
		const struct span *s = &c->sp[j];

		if (!(s->m.kinds & RLX_BIT(kind)))
			continue;
		if (c->sp[x].at - (s->at + s->m.len) < window)
			return (1);
	}
	return (0);
}

/* after - a span of KIND after span X */
static int
after(const struct cl *c, size_t x, int kind)
{
	size_t	j;

	for (j = x + 1; j < c->nsp; j++)
		if (c->sp[j].m.kinds & RLX_BIT(kind))
			return (1);
	return (0);
}

/* known_after - the word after intent span X is the lexicon's, or there is none */
static int
known_after(const struct cl *c, size_t x)
{
	size_t	end = c->sp[x].at + c->sp[x].m.len;

	return (end >= c->n || (x + 1 < c->nsp && c->sp[x + 1].at == end));
}

/* Kinds of words that may stand beside an intent said alone ("Stop now!"). */
#define ALONE_OK (RLX_BIT(RLX_PARTICLE) | RLX_BIT(RLX_FILLER) | RLX_BIT(RLX_COURTESY) \
	| RLX_BIT(RLX_EMOTIVE) | RLX_BIT(RLX_GREETING) | RLX_BIT(RLX_CLOSING) | RLX_BIT(RLX_MORE) \
	| RLX_BIT(RLX_REQUEST) | RLX_BIT(RLX_KEEP))

/* alone - intent span X is all clause C says ("Dừng!", "Stop now, please") */
static int
alone(const struct cl *c, size_t x)
{
	size_t	j;

	if (c->unknown > 0)
		return (0);
	for (j = 0; j < c->nsp; j++)
		if (j != x && (c->sp[j].m.kinds & ~ALONE_OK))
			return (0);
	return (1);
}

const char *
reply_why_name(enum reply_why why)
{
	static const char *const name[REPLY_WHY_COUNT] = {
		"-", "request", "negated", "passive", "mention", "purpose", "condition", "question",
		"object", "redirect", "weak", "alone"
	};

	return (why < REPLY_WHY_COUNT ? name[why] : "-");
}

/* blocked - why intent span X of C is not a refusal, or REPLY_WHY_NONE */
static enum reply_why
blocked(const struct doc *d, const struct cl *c, size_t x)
{
	const struct reply_lex_match *m = &c->sp[x].m;
	int	asked = c->q || (c->kinds & RLX_BIT(RLX_QUESTION));
	int	request = (c->kinds & RLX_BIT(RLX_REQUEST)) != 0;

	if ((m->flags & RLX_REQUEST_ONLY) && !before(c, x, RLX_REQUEST, CLAUSE_WORDS_MAX))
		return (REPLY_WHY_REQUEST);
	if (before(c, x, RLX_NEGATION, REPLY_CLAUSE_NEG_WINDOW))
		return (REPLY_WHY_NEGATED);
	if (before(c, x, RLX_PASSIVE, REPLY_CLAUSE_PASSIVE_WINDOW))
		return (REPLY_WHY_PASSIVE);
	if (before(c, x, RLX_MENTION, REPLY_CLAUSE_MENTION_WINDOW))
		return (REPLY_WHY_MENTION);
	if (before(c, x, RLX_PURPOSE, CLAUSE_WORDS_MAX))
		return (REPLY_WHY_PURPOSE);
	if (c->cond)
		return (REPLY_WHY_CONDITION);
	/* a question is no request, but "why do I still get mail after I
	 * unsubscribed?" is a complaint that the refusal was ignored */
	if (asked && !(c->kinds & RLX_BIT(RLX_COMPLAINT)) && (!((m->flags & RLX_IMPERATIVE) || request)
		      || (c->kinds & (RLX_BIT(RLX_MANNER) | RLX_BIT(RLX_PERMISSION)))))
		return (REPLY_WHY_QUESTION);
	if (c->first == RLX_OBJ_OTHER)
		return (REPLY_WHY_OBJECT);	/* "cuộc gọi quảng cáo": a call; "hợp đồng qua email": a contract */
	if ((m->flags & RLX_STRICT) && !known_after(c, x))
		return (REPLY_WHY_OBJECT);
	if (d->redirect)
		return (REPLY_WHY_REDIRECT);
	/* "không nhận nữa" is ours; "Stop the VPS, we don't need it anymore" not */
	if ((m->flags & RLX_WEAK) && !c->mail && !c->cats && !c->smail && !c->scats
	    && (!after(c, x, RLX_MORE) || c->sother))
		return (REPLY_WHY_WEAK);
	/* "Stop! Đừng trừ tiền nữa": a bare stop is about what the reply names */
	if ((m->flags & RLX_ALONE) && (!alone(c, x) || d->objects == OBJ_OTHER))
		return (REPLY_WHY_ALONE);
	return (REPLY_WHY_NONE);
}

/* Totals over the clauses of a text. */
struct acc {
	struct reply_reading *rd;
	int	content;		/* plain content */
	int	pref;			/* statements about which mail is received */
};

/* What a clause is, for the question: see judge_sentence(). */
enum { CL_NONE, CL_REFUSAL, CL_PREF, CL_CONTENT, CL_ASK };

/* refusals - the intents of C that are refusals, into A; 1 when one is */
static int
refusals(const struct doc *d, const struct cl *c, struct acc *a, int *seen, int *weak)
{
	size_t	x;
	enum reply_why why;
	int	refused = 0;

	for (x = 0; x < c->nsp; x++) {
		const struct reply_lex_match *m = &c->sp[x].m;

		if (!(m->kinds & RLX_BIT(RLX_INTENT)) || (m->kinds & RLX_BIT(RLX_NEUTRAL)))
			continue;
		if ((why = blocked(d, c, x)) != REPLY_WHY_NONE) {
			/* "don't want" is first the negation of what follows; a
			 * weak intent without its object is plain content */
			if (why != REPLY_WHY_WEAK && !(m->flags & RLX_ALONE))
				*seen = 1;
			else
				*weak = 1;
			if (a->rd->why == REPLY_WHY_NONE && !(m->kinds & RLX_BIT(RLX_NEGATION)))
				a->rd->why = why;
			continue;
		}
		*seen = 1;
		if (!a->rd->refusal)
			a->rd->family = m->family;
		a->rd->refusal = refused = 1;
		if (c->cats)
			a->rd->scope |= c->cats;
		else
			a->rd->all = 1;
	}
	return (refused);
}

/* judge_clause - one clause's refusals, and what it is for a person */
static int
judge_clause(const struct doc *d, struct cl *c, struct acc *a)
{
	int	seen = 0, weak = 0;
	unsigned long long ask = RLX_BIT(RLX_QUESTION) | RLX_BIT(RLX_COMPLAINT) | RLX_BIT(RLX_ASK);

	if (refusals(d, c, a, &seen, &weak)) {
		/* "từ chối nhưng cho tôi hỏi ...", "... mà vẫn nhận được" */
		if (c->kinds & (RLX_BIT(RLX_ASK) | RLX_BIT(RLX_COMPLAINT)))
			a->content = 1;
		return (CL_REFUSAL);
	}
	if (c->n == 0)
		return (CL_NONE);
	if (seen || c->q || (c->kinds & ask)
	    || (c->nsp > 0 && c->sp[0].at == 0 && (c->sp[0].m.kinds & RLX_BIT(RLX_BREAK))))
		return (CL_ASK);
	if (c->nsp > 0 && c->sp[0].at == 0 && (c->sp[0].m.kinds & RLX_BIT(RLX_COURTESY)))
		return (CL_NONE);
	if ((c->kinds & RLX_BIT(RLX_OBJECT)) && (c->kinds & RLX_BIT(RLX_PREFERENCE)))
		return (CL_PREF);
	if (weak || c->other)
		return (CL_CONTENT);	/* "tôi không nhận", "tiền": something to read */
	if (c->unknown == 0 && !(c->kinds & ~NON_CONTENT))
		return (CL_NONE);
	return (CL_CONTENT);
}

/*
 * sentence_done - what the clauses of one sentence leave for a person: in
 * a sentence that refuses, only a question, a complaint, a "but ..." or
 * a refusal word judged not to be one; its other clauses frame the
 * refusal ("Sau khi cân nhắc, tôi từ chối ...", "By the way, ...").
 */
static void
sentence_done(const int *kind, size_t n, struct acc *a)
{
	size_t	i;
	int	refusal = 0;

	for (i = 0; i < n; i++)
		refusal |= kind[i] == CL_REFUSAL;
	for (i = 0; i < n; i++) {
		if (kind[i] == CL_ASK || (kind[i] == CL_CONTENT && !refusal))
			a->content = 1;
		if (kind[i] == CL_PREF && !refusal)
			a->pref = 1;
	}
}

/* What is said in a whole sentence. */
struct sent {
	struct reply_tok w[CLAUSE_WORDS_MAX];
	struct span sp[CLAUSE_WORDS_MAX];
	size_t	nw, ns;
	size_t	cut[CLAUSES_MAX + 1];	/* clause starts (words), then NW */
	size_t	ncut;
	int	cond, ok, mail, cats, other;
};

/* sentence_scan - the words, clause starts and spans of tokens IDX (N) */
static void
sentence_scan(const struct doc *d, const size_t *idx, size_t n, struct sent *st)
{
	size_t	i, c;

	st->nw = st->ns = st->ncut = 0;
	st->cond = st->ok = st->mail = st->cats = st->other = 0;
	st->cut[st->ncut++] = 0;
	for (i = 0; i < n && st->nw < CLAUSE_WORDS_MAX; i++) {
		if (d->t[idx[i]].type == T_WORD)
			st->w[st->nw++] = d->rt[idx[i]];
		else if (st->nw > st->cut[st->ncut - 1] && st->ncut < CLAUSES_MAX)
			st->cut[st->ncut++] = st->nw;
	}
	st->cut[st->ncut] = st->nw;
	for (c = 0; c < st->ncut; c++)
		st->ns = scan(d, st->w, st->cut[c], st->cut[c + 1], st->sp, st->ns, CLAUSE_WORDS_MAX);
	for (i = 0; i < st->ns; i++) {
		const struct reply_lex_match *m = &st->sp[i].m;

		st->cond |= (m->kinds & RLX_BIT(RLX_CONDITION)) != 0;
		st->ok |= (m->kinds & RLX_BIT(RLX_CONDITION_OK)) != 0;
		if (m->kinds & RLX_BIT(RLX_OBJECT)) {
			st->mail |= m->object == RLX_OBJ_MAIL;
			st->cats |= m->object >= 0;
			st->other |= m->object == RLX_OBJ_OTHER;
		}
	}
}

/* next_break - where the clause from FROM to TO is cut by "nhưng mà", "còn", ... */
static size_t
next_break(const struct sent *st, size_t from, size_t to)
{
	size_t	x;

	for (x = 0; x < st->ns; x++)
		if (st->sp[x].at > from && st->sp[x].at < to && (st->sp[x].m.kinds & RLX_BIT(RLX_BREAK)))
			return (st->sp[x].at);
	return (to);
}

/* judge_sentence - cut sentence tokens IDX (N) into clauses and judge them */
static void
judge_sentence(const struct doc *d, const size_t *idx, size_t n, int q, struct acc *a)
{
	struct sent *st = d->st;
	size_t	c, from, to, nk = 0;
	int	kind[CLAUSES_MAX];

	sentence_scan(d, idx, n, st);
	for (c = 0; c < st->ncut; c++)
		for (from = st->cut[c]; from < st->cut[c + 1] && nk < CLAUSES_MAX; from = to) {
			to = next_break(st, from, st->cut[c + 1]);
			clause_of(d, st->w, st->sp, st->ns, from, to, d->cl);
			d->cl->q = q && to == st->nw;
			d->cl->cond = st->cond && !st->ok;
			d->cl->smail = st->mail;
			d->cl->scats = st->cats;
			d->cl->sother = st->other;
			kind[nk++] = judge_clause(d, d->cl, a);
		}
	sentence_done(kind, nk, a);
}

/* joins - whether line LN runs on into the next one (no punctuation, lower case) */
static int
joins(const struct doc *d, size_t ln)
{
	const struct line *l = &d->l[ln];

	return (ln + 1 < d->nl && l->b > l->a && d->t[l->b - 1].type == T_WORD
		&& d->l[ln + 1].role == R_BODY && d->l[ln + 1].lower_first);
}

/* read_text - sentences of the message lines, judged in order */
static int
read_text(const struct doc *d, struct acc *a)
{
	size_t *idx, n = 0, i;
	int	q = 0;

	if ((idx = malloc((d->nt + 1) * sizeof(*idx))) == NULL)
		return (-1);
	for (i = 0; i <= d->nt; i++) {
		const struct tok *t = i < d->nt ? &d->t[i] : NULL;
		int	flush = t == NULL;

		if (t != NULL && t->type == T_EOL)
			flush = !joins(d, t->line);
		else if (t != NULL && (d->l[t->line].role != R_BODY || t->skip))
			flush = 1;
		else if (t != NULL && t->type == T_SENT) {
			q = t->q;
			flush = 1;
		} else if (t != NULL) {
			idx[n++] = i;
			a->rd->words += t->type == T_WORD;
		}
		if (flush && n > 0)
			judge_sentence(d, idx, n, q, a);
		if (flush) {
			n = 0;
			q = 0;
		}
	}
	free(idx);
	return (0);
}

int
reply_clause_read(const struct reply_lex *lx, const char *text, size_t len, int mode,
		  struct reply_reading *rd)
{
	struct doc d;
	struct acc a;
	int	ret = -1;

	memset(rd, 0, sizeof(*rd));
	memset(&d, 0, sizeof(d));
	d.lx = lx;
	strbuf_init(&d.key);
	strbuf_init(&d.fold);
	if (tokenize(&d, text, len) < 0 || fold_words(&d) < 0 || resolve(&d) < 0
	    || (d.cl = malloc(sizeof(*d.cl))) == NULL || (d.st = malloc(sizeof(*d.st))) == NULL)
		goto fail;
	roles(&d, mode);
	a.rd = rd;
	a.content = a.pref = 0;
	if (read_text(&d, &a) < 0)
		goto fail;
	rd->content = a.content || (a.pref && !rd->refusal);
	if (rd->all)
		rd->scope = 0;
	ret = 0;
fail:
	free(d.st);
	free(d.cl);
	free(d.rt);
	free(d.t);
	free(d.l);
	strbuf_free(&d.key);
	strbuf_free(&d.fold);
	return (ret);
}
