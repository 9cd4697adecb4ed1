/*
 * NAME
 *	reply_clause 3h
 * SUMMARY
 *	read a customer's text clause by clause: refusals and what is left
 * SYNOPSIS
 *	#include "reply_clause.h"
 *
 *	const char *reply_why_name(enum reply_why why);
int	reply_clause_read(const struct reply_lex *lx, const char *text,
 *				  size_t len, int mode,
 *				  struct reply_reading *rd);
 * DESCRIPTION
 *	reply_clause_read() reads LEN bytes of canonical text (reply_text,
 *	NFC) at TEXT with the lexicon LX and fills RD.
 *
 *	In REPLY_READ_BODY mode the lines are first given their roles:
 *	greeting, closing and the signature block after it ("Trân trọng,"
 *	then a name, a title, a company, a phone line), a "-- " signature,
 *	a mail app's signature ("Được gửi từ iPhone của tôi"), a legal
 *	disclaimer (a paragraph with two or more disclaimer words), a
 *	trailing name or title line; the rest is the message. Its lines
 *	are joined where a sentence runs on ("Từ" at the end of a line,
 *	"chối" starting the next in lower case) and cut into sentences
 *	(. ! ? ; and line ends) and clauses (, : and "nhưng", "còn", ...).
 *	REPLY_READ_SUBJECT reads the text as one line, without roles.
 *
 *	Words are read through their key (reply_key()); in a text mostly
 *	made of Vietnamese syllables where one of the first
 *	REPLY_CLAUSE_IME_WORDS words can only be input-method keys, words
 *	typed with the input method turned off ("Tuwf choois", "Tu72
 *	cho61i", "Tu+` cho^'i") are folded to the syllables they spell
 *	(reply_viet_ime_fold()).
 *
 *	A clause is a refusal when it holds an intent of the lexicon
 *	("từ chối", "đừng gửi", "hủy đăng ký", "không muốn nhận", "xóa ...
 *	khỏi danh sách", "unsubscribe", ...) that is not negated ("không
 *	từ chối", "đừng ngừng gửi", "don't want to unsubscribe"), not
 *	passive ("bị từ chối"), not a mention of the word ("trả lời Từ
 *	chối", "nút từ chối"), not a purpose ("để ngừng nhận"), not in a
 *	sentence with a condition ("nếu ..."), not in a question unless
 *	it is a request ("đừng gửi nữa được không?", but not "làm sao để
 *	hủy đăng ký?" nor "tôi có thể hủy không?"), whose object is our
 *	mail or nothing, not something else ("từ chối thanh toán", "hủy
 *	đăng ký gói cước", "ngừng gửi hóa đơn giấy"), and in a text that
 *	does not ask to send our mail to a new address instead. Weak
 *	intents ("không nhận", "no more") need an object or a "nữa".
 *	The categories named in a refusal clause ("email quảng cáo",
 *	"no more surveys") limit it to them.
 *
 *	A clause that is not a refusal is content (something for a
 *	person) unless it is only particles, pronouns, thanks, greetings
 *	or exclamations ("Spam quá!"), or, in a text that refuses, a
 *	statement about which of our mail is sent or received ("hóa đơn
 *	thì vẫn gửi bình thường") that is not a question or a complaint
 *	("vẫn", "still").
 *
 *	RD->refusal, RD->scope (CATEGORY_BIT() of the categories named,
 *	0 when a refusal names none: all our mail), RD->family (of the
 *	first refusal), RD->content, RD->words (words of the message
 *	outside greetings and signatures) and RD->why (why the first
 *	intent that was not a refusal was not: "negated", "passive",
 *	"mention", "purpose", "condition", "question", "object",
 *	"redirect", "weak", "alone", "request": reply_why_name(); REPLY_WHY_NONE
 *	when there was none) are set.
 * DIAGNOSTICS
 *	Returns 0, or -1 when out of memory.
 */
#ifndef LINKS_REPLY_CLAUSE_H
#define LINKS_REPLY_CLAUSE_H

#include <stddef.h>

#include "reply_lex.h"

#define REPLY_READ_BODY		0
#define REPLY_READ_SUBJECT	1

#define REPLY_CLAUSE_NEG_WINDOW	4	/* words between a negation and its intent */
#define REPLY_CLAUSE_PASSIVE_WINDOW 3
#define REPLY_CLAUSE_MENTION_WINDOW 3
#define REPLY_CLAUSE_GREETING_WORDS 8	/* a greeting line is at most this long */
#define REPLY_CLAUSE_CLOSING_WORDS 6
#define REPLY_CLAUSE_SIG_WORDS	12	/* a signature line is at most this long */
#define REPLY_CLAUSE_NAME_WORDS	5
#define REPLY_CLAUSE_DISCLAIMER_HITS 2
#define REPLY_CLAUSE_TOKENS_MAX	20000	/* words read; the rest is ignored */
#define REPLY_CLAUSE_IME_WORDS	80	/* words searched for input-method keys */

/* Why a refusal word was not a refusal (reply_why_name(): "negated", ...). */
enum reply_why {
	REPLY_WHY_NONE, REPLY_WHY_REQUEST, REPLY_WHY_NEGATED, REPLY_WHY_PASSIVE, REPLY_WHY_MENTION,
	REPLY_WHY_PURPOSE, REPLY_WHY_CONDITION, REPLY_WHY_QUESTION, REPLY_WHY_OBJECT,
	REPLY_WHY_REDIRECT, REPLY_WHY_WEAK, REPLY_WHY_ALONE, REPLY_WHY_COUNT
};

struct reply_reading {
	int	refusal;
	unsigned scope;
	int	all;			/* a refusal naming no category */
	enum reply_family family;
	int	content;
	size_t	words;
	enum reply_why why;
};

const char *reply_why_name(enum reply_why why);
int	reply_clause_read(const struct reply_lex *lx, const char *text, size_t len, int mode,
			  struct reply_reading *rd);

#endif
