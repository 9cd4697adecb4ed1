/*
 * NAME
 *	reply_classify 3h
 * SUMMARY
 *	is the customer's new text a refusal, a question, or both?
 * SYNOPSIS
 *	#include "reply_classify.h"
 *
 *	struct reply_classify *reply_classify_new(const struct reply_lex *lx,
 *				const char *const *extra, size_t n,
 *				char *err, size_t errlen);
 *	void	reply_classify_free(struct reply_classify *cl);
 *	int	reply_classify_text(const struct reply_classify *cl,
 *				const char *text, size_t len,
 *				const char *subject, struct reply_verdict *v);
 * DESCRIPTION
 *	reply_classify_new() keeps the lexicon LX (which must outlive it)
 *	and compiles the N EXTRA patterns (refusal_pattern lines of
 *	links.conf, PCRE2, caseless). The result is immutable and may be
 *	shared by threads.
 *
 *	reply_classify_text() reads TEXT (LEN bytes), the customer's new
 *	text in canonical form (reply_text), clause by clause
 *	(reply_clause_read()). A refusal pattern of links.conf that
 *	matches a sentence of the text or the whole text (line breaks as
 *	spaces), in its key ("tu choi") or its case-folded form ("từ
 *	chối"), is a refusal too. When the text does not refuse, SUBJECT
 *	(canonical) is read: after the reply prefixes (Re:, TL:, Trả lời:,
 *	...), a part the customer added to our Subject (after " - ", " | ",
 *	in [...] or (...), first or last) that is a refusal and nothing
 *	else counts; a Subject with no reply prefix counts the same way,
 *	cut at ":" too, and a Subject of at most REPLY_CLASSIFY_SUBJECT_WORDS
 *	words after the prefixes ("Re: Từ chối") counts whole. A calendar
 *	answer ("Đã từ chối: ...") never does.
 *
 *	V->optout, V->question (the text holds something for a person),
 *	V->scope (CATEGORY_BIT() of the categories the refusal names, 0
 *	for all our mail) and V->reason are set. V->reason is static:
 *	"command:FAMILY" or "subject:FAMILY", "+question" added when
 *	there is more to read; for a text that does not refuse
 *	"question", "question:WHY" when a refusal word was there but
 *	judged not to be one (negated, passive, mention, purpose,
 *	condition, question, object, redirect, weak, alone, request), or
 *	"greeting_only" when nothing is left to read.
 * DIAGNOSTICS
 *	reply_classify_new() returns NULL with a message in ERR (which
 *	refusal_pattern failed and why); reply_classify_text() returns 0,
 *	or -1 when out of memory.
 */
#ifndef LINKS_REPLY_CLASSIFY_H
#define LINKS_REPLY_CLASSIFY_H

#include <stddef.h>

#include "reply_lex.h"

#define REPLY_CLASSIFY_SUBJECT_WORDS 4	/* a Subject this short counts whole */
#define REPLY_CLASSIFY_SEGMENTS	16	/* Subject parts examined */
#define REPLY_CLASSIFY_SUBJECT_TOKENS 128	/* Subject words examined */

struct reply_classify;

struct reply_verdict {
	int	optout;
	int	question;
	unsigned scope;
	const char *reason;
};

struct reply_classify *reply_classify_new(const struct reply_lex *lx, const char *const *extra,
					  size_t n, char *err, size_t errlen);
void	reply_classify_free(struct reply_classify *cl);
int	reply_classify_text(const struct reply_classify *cl, const char *text, size_t len,
			    const char *subject, struct reply_verdict *v);

#endif
