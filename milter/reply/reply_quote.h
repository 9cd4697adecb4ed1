/*
 * NAME
 *	reply_quote 3h
 * SUMMARY
 *	cut a reply body at the first quote boundary
 * SYNOPSIS
 *	#include "reply_quote.h"
 *
 *	struct reply_quote *reply_quote_new(const char *const *fingerprints,
 *				size_t n, char *err, size_t errlen);
 *	void	reply_quote_free(struct reply_quote *q);
 *	int	reply_quote_cut(const struct reply_quote *q, const char *text,
 *				size_t len, struct reply_quote_result *res);
 *	void	reply_quote_result_free(struct reply_quote_result *res);
 *	const char *reply_quote_at_name(enum reply_quote_at at);
 * DESCRIPTION
 *	reply_quote_new() compiles the boundary patterns once; the result
 *	is immutable and may be shared by threads. FINGERPRINTS are extra
 *	footer fingerprints (diacritics-free, lower case) added to the
 *	built-in ones of footer.h; they are copied.
 *
 *	reply_quote_cut() reads clean UTF-8 TEXT (LF line ends) line by
 *	line and stops at the first boundary: a ">" line; an attribution
 *	("On ... wrote:", "Vào ... đã viết:", "... đã viết vào lúc ...:",
 *	and the other languages of the public corpora), which may wrap
 *	over up to REPLY_QUOTE_ATTR_LINES lines; a separator line such as
 *	"-----Original Message-----" or "-------- Thư gốc --------"; an
 *	Outlook header block (two or more consecutive "Label: value"
 *	lines, one of them a From label: "From:", "Từ:", "Von:", ...);
 *	a "-- " signature separator; a "Sent from my iPhone" line in the
 *	languages we know; our own footer, found by fingerprint.
 *	Patterns are matched on the diacritics-free lower-case form of
 *	each line, so NFD text and text typed without accents match too.
 *
 *	When unquoted text follows quoted lines (an inline or bottom
 *	posted reply) RES->inline_reply is set and the new text is every
 *	unquoted line before the hard boundary.
 *
 *	RES->text receives the new text (not yet normalised), without
 *	leading or trailing blank lines or separator-only lines;
 *	RES->at is what ended it (RQ_QUOTE, RQ_ATTRIBUTION, RQ_SEPARATOR,
 *	RQ_OUTLOOK_HEADER, RQ_SIGNATURE, RQ_MOBILE_SIGNATURE, RQ_FOOTER;
 *	RQ_INLINE_REPLY, RQ_BOTTOM_POST when new text follows a quote;
 *	RQ_END; reply_quote_at_name() names it); RES->had_quote is set when
 *	anything was cut and RES->cut is the offset in TEXT of the first
 *	line cut (LEN when nothing was). The caller owns RES and frees its contents with
 *	reply_quote_result_free().
 * DIAGNOSTICS
 *	reply_quote_new() returns NULL with a message in ERR;
 *	reply_quote_cut() returns 0, or -1 when out of memory.
 */
#ifndef LINKS_REPLY_QUOTE_H
#define LINKS_REPLY_QUOTE_H

#include <stddef.h>

#include "strbuf.h"

#define REPLY_QUOTE_ATTR_LINES	3	/* lines an attribution may span */
#define REPLY_QUOTE_ATTR_MAX	400	/* bytes of a (joined) attribution */
#define REPLY_QUOTE_LINE_MAX	2000	/* longer lines are never boundaries */
#define REPLY_QUOTE_MAX_LINES	20000	/* lines examined */
#define REPLY_QUOTE_HDR_LINES	8	/* header block lines examined */
#define REPLY_QUOTE_WRAP_MIN	60	/* a quoted line this long may wrap */

struct reply_quote;

/* What ended the new text (reply_quote_at_name(): "quote", ...). */
enum reply_quote_at {
	RQ_NONE, RQ_END, RQ_QUOTE, RQ_ATTRIBUTION, RQ_SEPARATOR, RQ_OUTLOOK_HEADER, RQ_SIGNATURE,
	RQ_MOBILE_SIGNATURE, RQ_FOOTER, RQ_INLINE_REPLY, RQ_BOTTOM_POST
};

struct reply_quote_result {
	struct strbuf text;
	enum reply_quote_at at;
	size_t	cut;			/* offset in TEXT where the cut part starts */
	int	had_quote;
	int	inline_reply;
};

const char *reply_quote_at_name(enum reply_quote_at at);
struct reply_quote *reply_quote_new(const char *const *fingerprints, size_t n,
				    char *err, size_t errlen);
void	reply_quote_free(struct reply_quote *q);
int	reply_quote_cut(const struct reply_quote *q, const char *text, size_t len,
			struct reply_quote_result *res);
void	reply_quote_result_free(struct reply_quote_result *res);

#endif
