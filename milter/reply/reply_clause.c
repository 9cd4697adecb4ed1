/*
 * NAME
 *	reply_clause 3
 * SUMMARY
 *	read a customer's text clause by clause: refusals and what is left
 * SYNOPSIS
 *	#include "reply_clause.h"
 * DESCRIPTION
 *	See reply_clause.h. The text is first a reply_doc(3): tokens
 *	and lines with their roles; this file reads its sentences and
 *	clauses, each judged from the spans the lexicon finds in it.
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
#include "reply_doc.h"
#include "reply_key.h"
#include "reply_viet.h"
#include "strbuf.h"
#include "utf8.h"

/* Spans of one clause. */
struct span {
	size_t	at;			/* index in the clause's words */
	struct reply_lex_match m;
};

#define CLAUSE_WORDS_MAX	256	/* words of one clause that are judged */
#define CLAUSES_MAX		64	/* clauses of one sentence that are judged */

struct cl;
struct sent;

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
gap_objects(const struct reply_doc *d, const struct reply_tok *w, size_t n, struct cl *c)
{
	struct reply_lex_match m;
	size_t	i;

	for (i = 0; i < n; i++)
		if (reply_lex_match(d->lx, w, n, i, &m) > 0 && (m.kinds & RLX_BIT(RLX_OBJECT)))
			object(c, m.object);
}

/* scan - the lexicon's spans of words W[FROM, TO) (tokens TI) appended to SP
 * (NS used, at most MAX) */
static size_t
scan(const struct reply_doc *d, const struct reply_tok *w, const size_t *ti, size_t from,
     size_t to, struct span *sp, size_t ns, size_t max)
{
	size_t	i = from;

	while (i < to && ns < max) {
		if (reply_doc_match(d, w + from, ti + from, to - from, i - from, &sp[ns].m) == 0) {
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
clause_of(const struct reply_doc *d, const struct reply_tok *w, const struct span *sp, size_t ns,
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

/*
 * complaint - clause C complains that our mail still comes ("... mà vẫn
 * nhận được", "still getting"); "vẫn nhận hóa đơn" (still get the
 * invoices) says what the customer keeps, and "again" after the refusal
 * ("Do not contact me again") is "any more", a word of the refusal
 */
static int
complaint(const struct cl *c)
{
	size_t	j;
	int	intent = 0;

	for (j = 0; j < c->nsp; j++) {
		const struct span *s = &c->sp[j];
		unsigned long long k = s->m.kinds;

		if (k & RLX_BIT(RLX_INTENT))
			intent = 1;
		else if ((k & RLX_BIT(RLX_COMPLAINT)) && !(intent && (k & RLX_BIT(RLX_MORE)))
			 && !(j + 1 < c->nsp && c->sp[j + 1].at == s->at + s->m.len
			      && (c->sp[j + 1].m.kinds & RLX_BIT(RLX_OBJECT))
			      && c->sp[j + 1].m.object == RLX_OBJ_OTHER))
			return (1);
	}
	return (0);
}

/* blocked - why intent span X of C is not a refusal, or REPLY_WHY_NONE */
static enum reply_why
blocked(const struct reply_doc *d, const struct cl *c, size_t x)
{
	const struct reply_lex_match *m = &c->sp[x].m;
	/* "How do I stop getting these but keep my invoices?", "làm sao ngừng
	 * nhận": a manner word before the intent asks about the mechanism,
	 * with or without the "?" (which ends only the sentence's last clause) */
	int	asked = c->q || (c->kinds & RLX_BIT(RLX_QUESTION))
		    || before(c, x, RLX_MANNER, CLAUSE_WORDS_MAX);
	int	request = (c->kinds & RLX_BIT(RLX_REQUEST)) != 0;

	if ((m->flags & RLX_REQUEST_ONLY) && !before(c, x, RLX_REQUEST, CLAUSE_WORDS_MAX))
		return (REPLY_WHY_REQUEST);
	if (before(c, x, RLX_NEGATION, REPLY_CLAUSE_NEG_WINDOW))
		return (REPLY_WHY_NEGATED);
	if (before(c, x, RLX_PASSIVE, REPLY_CLAUSE_PASSIVE_WINDOW))
		return (REPLY_WHY_PASSIVE);
	/* "Tôi đã bấm hủy đăng ký rồi mà vẫn nhận": the refusal told again
	 * with the complaint that it was ignored is a refusal */
	if (before(c, x, RLX_MENTION, REPLY_CLAUSE_MENTION_WINDOW) && !complaint(c))
		return (REPLY_WHY_MENTION);
	if (before(c, x, RLX_PURPOSE, CLAUSE_WORDS_MAX))
		return (REPLY_WHY_PURPOSE);
	if (c->cond)
		return (REPLY_WHY_CONDITION);
	/* a question is no request, but "why do I still get mail after I
	 * unsubscribed?" is a complaint that the refusal was ignored */
	if (asked && !complaint(c) && (!((m->flags & RLX_IMPERATIVE) || request)
		      || (c->kinds & (RLX_BIT(RLX_MANNER) | RLX_BIT(RLX_PERMISSION)))))
		return (REPLY_WHY_QUESTION);
	/* "cuộc gọi quảng cáo": a call; "hợp đồng qua email": a contract; a weak
	 * intent beside something else ("xóa giúp email abc@ khỏi hosting") */
	if (c->first == RLX_OBJ_OTHER || ((m->flags & RLX_WEAK) && c->other))
		return (REPLY_WHY_OBJECT);
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
	struct cl *cl;			/* the clause being judged */
	struct sent *st;		/* the sentence being read */
};

/* What a clause is, for the question: see judge_sentence(). */
enum { CL_NONE, CL_REFUSAL, CL_PREF, CL_CONTENT, CL_ASK };

/* refusals - the intents of C that are refusals, into A; 1 when one is */
static int
refusals(const struct reply_doc *d, const struct cl *c, struct acc *a, int *seen, int *weak)
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
judge_clause(const struct reply_doc *d, struct cl *c, struct acc *a)
{
	int	seen = 0, weak = 0;
	unsigned long long ask = RLX_BIT(RLX_QUESTION) | RLX_BIT(RLX_COMPLAINT) | RLX_BIT(RLX_ASK);

	if (refusals(d, c, a, &seen, &weak)) {
		/* "từ chối nhưng cho tôi hỏi ...", "... mà vẫn nhận được" */
		if ((c->kinds & RLX_BIT(RLX_ASK)) || complaint(c))
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
	size_t	ti[CLAUSE_WORDS_MAX];	/* the token of each word */
	struct span sp[CLAUSE_WORDS_MAX];
	size_t	nw, ns;
	size_t	cut[CLAUSES_MAX + 1];	/* clause starts (words), then NW */
	size_t	ncut;
	int	cond, ok, mail, cats, other;
};

/* sentence_scan - the words, clause starts and spans of tokens IDX (N) */
static void
sentence_scan(const struct reply_doc *d, const size_t *idx, size_t n, struct sent *st)
{
	size_t	i, c;

	st->nw = st->ns = st->ncut = 0;
	st->cond = st->ok = st->mail = st->cats = st->other = 0;
	st->cut[st->ncut++] = 0;
	for (i = 0; i < n && st->nw < CLAUSE_WORDS_MAX; i++) {
		if (d->t[idx[i]].type == T_WORD) {
			st->ti[st->nw] = idx[i];
			st->w[st->nw++] = d->rt[idx[i]];
		} else if (st->nw > st->cut[st->ncut - 1] && st->ncut < CLAUSES_MAX)
			st->cut[st->ncut++] = st->nw;
	}
	st->cut[st->ncut] = st->nw;
	for (c = 0; c < st->ncut; c++)
		st->ns = scan(d, st->w, st->ti, st->cut[c], st->cut[c + 1], st->sp, st->ns,
			      CLAUSE_WORDS_MAX);
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
judge_sentence(const struct reply_doc *d, const size_t *idx, size_t n, int q, struct acc *a)
{
	struct sent *st = a->st;
	struct cl *cl = a->cl;
	size_t	c, from, to, nk = 0;
	int	kind[CLAUSES_MAX];

	sentence_scan(d, idx, n, st);
	for (c = 0; c < st->ncut; c++)
		for (from = st->cut[c]; from < st->cut[c + 1] && nk < CLAUSES_MAX; from = to) {
			to = next_break(st, from, st->cut[c + 1]);
			clause_of(d, st->w, st->sp, st->ns, from, to, cl);
			cl->q = q && to == st->nw;
			cl->cond = st->cond && !st->ok;
			cl->smail = st->mail;
			cl->scats = st->cats;
			cl->sother = st->other;
			kind[nk++] = judge_clause(d, cl, a);
		}
	sentence_done(kind, nk, a);
}

/* joins - whether line LN runs on into the next one (no punctuation, lower case) */
static int
joins(const struct reply_doc *d, size_t ln)
{
	const struct line *l = &d->l[ln];

	return (ln + 1 < d->nl && l->b > l->a && d->t[l->b - 1].type == T_WORD
		&& d->l[ln + 1].role == R_BODY && d->l[ln + 1].lower_first);
}

/* read_text - sentences of the message lines, judged in order */
static int
read_text(const struct reply_doc *d, struct acc *a)
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
	struct reply_doc d;
	struct acc a;
	int	ret = -1;

	memset(rd, 0, sizeof(*rd));
	memset(&a, 0, sizeof(a));
	a.rd = rd;
	if (reply_doc_read(&d, lx, text, len, mode != REPLY_READ_SUBJECT) < 0
	    || (a.cl = malloc(sizeof(*a.cl))) == NULL || (a.st = malloc(sizeof(*a.st))) == NULL)
		goto fail;
	if (read_text(&d, &a) < 0)
		goto fail;
	rd->content = a.content || (a.pref && !rd->refusal);
	if (rd->all)
		rd->scope = 0;
	ret = 0;
fail:
	free(a.st);
	free(a.cl);
	reply_doc_free(&d);
	return (ret);
}
