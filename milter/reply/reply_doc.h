#ifndef REPLY_DOC_H
#define REPLY_DOC_H

/*
 * NAME
 *	reply_doc 3
 * SUMMARY
 *	a customer's text as tokens and lines, each line with its role
 * SYNOPSIS
 *	#include "reply_doc.h"
 *
 *	int	reply_doc_read(struct reply_doc *d, const struct reply_lex *lx,
 *			       const char *text, size_t len, int roles);
 *	size_t	reply_doc_match(const struct reply_doc *d, const struct reply_tok *w,
 *				const size_t *ti, size_t n, size_t i,
 *				struct reply_lex_match *m);
 *	void	reply_doc_free(struct reply_doc *d);
 * DESCRIPTION
 *	The first passes of reply_clause(3), internal to the library:
 *	reply_doc_read() tokenizes TEXT (LEN bytes, NFC UTF-8) into D:
 *	the key of every word (lower case, marks removed), sentence and
 *	clause marks, line ends, input-method residue folded (Telex, VNI,
 *	VIQR); then it scans every line once with LX (intents, objects,
 *	redirects, disclaimer words) and, when ROLES is set, gives each line
 *	its role: the message (R_BODY), blank, or not the customer's message
 *	(greetings, closings, signatures, app signatures, disclaimers).
 *	D->objects says what the message's lines name (OBJ_MAIL, OBJ_OTHER).
 *
 *	reply_doc_match() is reply_lex_match() of words W (N) at I, whose
 *	tokens in D are TI: the answer of the line scan when it looked up
 *	the same words (the same tokens as far as the lookup reads,
 *	M->reach), else the lexicon's. Each word of a message is thus
 *	looked up once by the line scan and once more only at the end of
 *	a clause or where a clause starts inside a phrase of the line.
 *	The caller owns D and frees its contents with reply_doc_free(), also
 *	after a failure.
 * DIAGNOSTICS
 *	reply_doc_read() returns 0, or -1 when out of memory.
 */
#include <stddef.h>

#include "reply_lex.h"
#include "strbuf.h"

enum { T_WORD, T_SENT, T_CLAUSE, T_EOL };
enum { R_BODY, R_BLANK, R_SKIP };

struct tok {
	size_t	off, len;		/* in the key, or in the fold buffer */
	unsigned char type;
	unsigned char q;		/* T_SENT ended by "?" */
	unsigned char folded;		/* OFF is in the fold buffer */
	unsigned char skip;		/* greeting words: not the message */
	unsigned char memo;		/* the reply_doc's memo holds its lookup */
	size_t	line;
};

struct line {
	size_t	a, b;			/* tokens, the T_EOL excluded */
	size_t	ks, ke;			/* the line in the key */
	size_t	words;
	int	role;
	int	lower_first;		/* the original starts with a lower-case letter */
	int	name_like;
	int	caps;			/* the original has no lower-case letter */
	int	tail_name;		/* the original ends ", Name" */
	int	intent;
	int	intent_name;		/* every intent is a word said alone, written
					 * unmarked: in a name line, a name ("Dung") */
	int	objects;		/* OBJ_* named on the line */
	size_t	dhits;			/* disclaimer words */
	size_t	first_len;		/* the phrase the line's words start with, */
	unsigned long long first_kinds;	/* 0: none (line_scan(), for role_forward()) */
};

/* What the customer's lines name (struct line, struct reply_doc). */
#define OBJ_MAIL	1		/* our mail or a kind of it */
#define OBJ_OTHER	2		/* something else: a payment, a server */

/* A lookup of the line scan, kept for the clauses (reply_doc_match()). */
struct lex_memo {
	struct reply_lex_match m;	/* its answer */
	size_t	eff;			/* the words it depended on */
	size_t	last;			/* the token of the last of them */
};

struct reply_doc {
	const struct reply_lex *lx;
	const char *text;
	struct strbuf key, fold;
	struct strbuf marks;		/* beside key: the marks each key byte dropped */
	struct tok *t;
	size_t	nt, capt;
	struct line *l;
	size_t	nl, capl;
	struct reply_tok *rt;		/* keys of every token, once they stop moving */
	struct lex_memo *memo;		/* by token, where its MEMO is set: the line
					 * scan's lookups */
	int	viqr;
	int	redirect;
	int	objects;		/* OBJ_* named on the message's lines */
};


int	reply_doc_read(struct reply_doc *d, const struct reply_lex *lx, const char *text, size_t len,
		       int roles);
size_t	reply_doc_match(const struct reply_doc *d, const struct reply_tok *w, const size_t *ti,
			size_t n, size_t i, struct reply_lex_match *m);
void	reply_doc_free(struct reply_doc *d);

#endif
