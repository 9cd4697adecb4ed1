/*
 * NAME
 *	reply_classify 3h
 * SUMMARY
 *	is the customer's new text a refusal, a question, or both?
 * SYNOPSIS
 *	#include "reply_classify.h"
 *
 *	struct reply_classify *reply_classify_new(const char *const *extra,
 *				size_t n, char *err, size_t errlen);
 *	void	reply_classify_free(struct reply_classify *cl);
 *	int	reply_classify_text(const struct reply_classify *cl,
 *				const char *text, const char *subject,
 *				struct reply_verdict *v);
 * DESCRIPTION
 *	reply_classify_new() compiles the built-in refusal, greeting and
 *	closing patterns and the N EXTRA patterns (refusal_pattern lines
 *	of links.conf), all PCRE2 with UTF, UCP and caseless matching.
 *	The result is immutable and may be shared by threads.
 *
 *	reply_classify_text() classifies TEXT, the customer's new text
 *	(NFC UTF-8, quotes and signatures already cut), and, when TEXT has
 *	nothing in it, SUBJECT (decoded UTF-8). The text is matched in
 *	its diacritics-free lower-case form, split into segments at line
 *	breaks and at . , ; : ! ? A segment is a refusal command when the
 *	whole segment is one ("Từ chối", "từ chối ạ", "Tôi từ chối nhận
 *	email", "hủy đăng ký", "unsubscribe", "Tôi không muốn nhận email
 *	nữa"), and it is not followed by "?". Everything else that is
 *	not a greeting, a closing, a signature name or punctuation makes
 *	the text a question. Thus "bị từ chối" (passive), "không từ chối"
 *	(negation), "từ chối trách nhiệm" (disclaimer) and "Từ chối thanh
 *	toán là sao?" are not commands: they are not a whole segment.
 *
 *	A command typed without diacritics ("tu choi") is accepted only
 *	when it is the whole text, apart from greetings and closings.
 *	An extra pattern matching the whole normalised text (folded or
 *	diacritics-free, line breaks as spaces) or a whole segment is a
 *	command too.
 *
 *	The Subject counts only when the body has no new text, and only
 *	when, after removing reply prefixes (Re:, Fwd:, TL:, Trả lời:,
 *	...), the whole Subject is a command: a Subject echoing ours
 *	("Re: ... trả lời Từ chối ...") never is.
 *
 *	V->optout, V->question and V->reason ("command:tu_choi",
 *	"subject:tu_choi", "question", "command:tu_choi+question",
 *	"empty", ...) are set; V->reason is a static string.
 * DIAGNOSTICS
 *	reply_classify_new() returns NULL with a message in ERR (which
 *	pattern failed and why); reply_classify_text() returns 0, or -1
 *	when out of memory.
 */
#ifndef LINKS_REPLY_CLASSIFY_H
#define LINKS_REPLY_CLASSIFY_H

#include <stddef.h>

#define REPLY_CLASSIFY_SEG_MAX	1000	/* longer segments are never commands */
#define REPLY_CLASSIFY_SIG_WORDS 6	/* words of a signature line after a closing */
#define REPLY_CLASSIFY_NAME_WORDS 4	/* words of a bare name as last line */

struct reply_classify;

struct reply_verdict {
	int	optout;
	int	question;
	const char *reason;
};

struct reply_classify *reply_classify_new(const char *const *extra, size_t n,
					  char *err, size_t errlen);
void	reply_classify_free(struct reply_classify *cl);
int	reply_classify_text(const struct reply_classify *cl, const char *text,
			    const char *subject, struct reply_verdict *v);

#endif
