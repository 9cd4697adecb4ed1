/*
 * NAME
 *	reply_lex 3h
 * SUMMARY
 *	the lexicon of the reply analysis: phrases read from data files
 * SYNOPSIS
 *	#include "reply_lex.h"
 *
 *	struct reply_lex *reply_lex_new(char *err, size_t errlen);
 *	int	reply_lex_load(struct reply_lex *lx, const char *text,
 *			       size_t len, const char *origin, char *err,
 *			       size_t errlen);
 *	int	reply_lex_load_file(struct reply_lex *lx, const char *path,
 *				    char *err, size_t errlen);
 *	size_t	reply_lex_match(const struct reply_lex *lx,
 *				const struct reply_tok *tok, size_t n,
 *				size_t i, struct reply_lex_match *m);
 *	int	reply_lex_alias(const struct reply_lex *lx, struct reply_tok *t);
 *	const char *reply_family_name(enum reply_family f);
 *	void	reply_lex_free(struct reply_lex *lx);
 * DESCRIPTION
 *	The words of refusals, their scope and the lines that are not the
 *	customer's message are data, not code: milter/reply/reply.lex,
 *	installed as $(pkgdatadir)/reply.lex and built into the library
 *	(reply_lex_builtin), plus the files named by the reply_lexicon
 *	option of links.conf. The format is described at the top of
 *	reply.lex.
 *
 *	reply_lex_new() returns a lexicon holding the built-in entries.
 *	reply_lex_load() adds the entries of TEXT (LEN bytes; ORIGIN names
 *	it in messages); reply_lex_load_file() those of the file PATH
 *	(at most REPLY_LEX_FILE_MAX bytes). Phrases are stored through
 *	their key (reply_key()), one token per word. A lexicon is
 *	immutable once loaded and may be shared by threads.
 *
 *	reply_lex_match() finds the longest phrase starting at token I of
 *	the N tokens TOK (keys, one word each) and describes it in M: its
 *	length in tokens, the set of kinds (RLX_BIT(kind)) of every entry
 *	of that length (a word may be a particle and a closing), and, for
 *	an intent, its family and flags, for an object, its class. It
 *	returns the length, 0 when no phrase starts there. M->reach says
 *	how far the lookup may read: the widest phrase of TOK[I]'s word, its
 *	gaps at their widest (1 when no phrase starts with that word), so
 *	that a caller that looked the same words up in a longer run of
 *	tokens may keep that answer (reply_doc_match()). Words match by
 *	their keys, except that a word the reply wrote with marks does
 *	not match a phrase's word written with other marks when both its
 *	tone and its vowel shapes differ (reply_key_marks_differ(): "đang
 *	dùng gói" is not "dừng gởi", although their keys are the same).
 *
 *	reply_lex_alias() replaces the word T by the word it is written for
 *	(a [same-as WORD] entry: "ko", "hok", "k" for "không", "mún" for
 *	"muốn") and returns 1, or leaves it and returns 0. Phrases are
 *	stored with their words replaced the same way, so that one entry
 *	reads every spelling; an alias applies to the entries loaded after
 *	it, which is why reply.lex starts with them.
 * DIAGNOSTICS
 *	reply_lex_new() and the loaders return NULL or -1 with a message
 *	in ERR (the origin and line of a bad entry, or out of memory).
 */
#ifndef LINKS_REPLY_LEX_H
#define LINKS_REPLY_LEX_H

#include <stddef.h>

#define REPLY_LEX_PHRASE_MAX	8	/* words of a phrase, "*" included */
#define REPLY_LEX_GAP_MAX	4	/* words one "*" stands for */
#define REPLY_LEX_FILE_MAX	((size_t) 1024 * 1024)
#define REPLY_LEX_LINE_MAX	512
#define REPLY_LEX_WORD_MAX	64	/* bytes of one word of an alias */

enum reply_lex_kind {
	RLX_INTENT, RLX_OBJECT, RLX_NEGATION, RLX_PASSIVE, RLX_QUESTION, RLX_MANNER,
	RLX_PERMISSION, RLX_REQUEST, RLX_CONDITION, RLX_CONDITION_OK, RLX_PURPOSE,
	RLX_MENTION, RLX_REDIRECT, RLX_NEUTRAL, RLX_MORE, RLX_SUBORDINATE, RLX_BREAK,
	RLX_PREFERENCE, RLX_COMPLAINT, RLX_PARTICLE, RLX_FILLER, RLX_COURTESY, RLX_EMOTIVE,
	RLX_GREETING, RLX_CLOSING, RLX_APPSIG, RLX_DISCLAIMER, RLX_SIGNATURE,
	RLX_AUTO_PREFIX, RLX_REPLY_PREFIX, RLX_CALENDAR_PREFIX, RLX_KEEP, RLX_ASK, RLX_SAME_AS,
	RLX_COUNT
};
#define RLX_BIT(k)	(1ULL << (unsigned) (k))

/* The rule families of a refusal: the "command:" reasons of a verdict. */
enum reply_family {
	REPLY_FAM_TU_CHOI, REPLY_FAM_HUY_DANG_KY, REPLY_FAM_DUNG_GUI, REPLY_FAM_KHONG_NHAN,
	REPLY_FAM_XOA_DANH_SACH, REPLY_FAM_PATTERN, REPLY_FAM_COUNT
};

/* Intent flags (see reply.lex). */
#define RLX_IMPERATIVE	0x01
#define RLX_WEAK	0x02
#define RLX_REQUEST_ONLY 0x04
#define RLX_ALONE	0x08
#define RLX_STRICT	0x10

/* Object classes besides the categories of category.h. */
#define RLX_OBJ_MAIL	(-1)
#define RLX_OBJ_OTHER	(-2)

/* One word of the text being read: its key, and the marks its key
 * dropped (REPLY_MARK_* of reply_key.h; 0: none, or not known). */
struct reply_tok {
	const char *s;
	size_t	len;
	unsigned char mk;
};

struct reply_lex_match {
	size_t	len;			/* tokens */
	unsigned long long kinds;	/* RLX_BIT() of each kind found */
	enum reply_family family;	/* RLX_INTENT */
	unsigned flags;			/* RLX_INTENT */
	int	object;			/* RLX_OBJECT: a category or RLX_OBJ_* */
	int	gap;			/* the phrase has a "*" */
	int	marked;			/* RLX_INTENT: a word of the phrase has marks
					 * ("dừng"; not "stop") */
	unsigned reach;			/* the answer depends on TOK[I, I + REACH)
					 * alone (and on N when I + REACH > N) */
};

struct reply_lex;

extern const char reply_lex_builtin[];

struct reply_lex *reply_lex_new(char *err, size_t errlen);
int	reply_lex_load(struct reply_lex *lx, const char *text, size_t len, const char *origin,
		       char *err, size_t errlen);
int	reply_lex_load_file(struct reply_lex *lx, const char *path, char *err, size_t errlen);
size_t	reply_lex_match(const struct reply_lex *lx, const struct reply_tok *tok, size_t n,
			size_t i, struct reply_lex_match *m);
int	reply_lex_alias(const struct reply_lex *lx, struct reply_tok *t);
const char *reply_family_name(enum reply_family f);
void	reply_lex_free(struct reply_lex *lx);

#endif
