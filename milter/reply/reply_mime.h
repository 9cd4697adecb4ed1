/*
 * NAME
 *	reply_mime 3h
 * SUMMARY
 *	MIME walk of one received message, bounded
 * SYNOPSIS
 *	#include "reply_mime.h"
 *
 *	int	reply_mime_parse(struct reply_mime *m, const char *msg,
 *				 size_t len, const struct reply_mime_limits *lim);
 *	int	reply_mime_plain(struct reply_mime *m);
 *	int	reply_mime_html(struct reply_mime *m, struct strbuf *out);
 *	void	reply_mime_free(struct reply_mime *m);
 * DESCRIPTION
 *	reply_mime_parse() reads the top-level header fields the analysis
 *	needs (unfolded, each cut at REPLY_HDR_VALUE_MAX bytes, at most
 *	REPLY_HDR_BLOCK_MAX bytes of header examined) and walks the MIME
 *	tree (of each part only Content-Type, Content-Transfer-Encoding and
 *	Content-Disposition are read). It keeps the first inline text/plain part
 *	with its charset label and format=flowed / DelSp=yes parameters,
 *	not decoded yet (an auto-reply's or a bounce's text is never read);
 *	the first inline text/html part, not decoded; and the first
 *	message/delivery-status part (the text part before it decoded
 *	first, so the budget is spent in the order of the parts), decoded
 *	to clean UTF-8. At most LIM->max_parts parts and LIM->max_depth
 *	levels are visited and at most LIM->max_decoded bytes are decoded
 *	in all; attachments and embedded messages (message/rfc822) are
 *	never decoded. Header values are kept raw (but cleaned to valid
 *	UTF-8). The Subject is decoded to canonical text: RFC 2047 words,
 *	or raw 8-bit bytes read as UTF-8 when they are, else in the text
 *	part's single-byte charset (windows-1258, a VNI font under
 *	windows-1252), else windows-1252.
 *
 *	reply_mime_plain() transfer-decodes the text part into M->plain
 *	(base64, quoted-printable; still in its charset: the canonical
 *	text, reply_text, decodes that), the first time it is asked.
 *
 *	reply_mime_html() decodes the HTML part (transfer encoding, then
 *	its charset: reply_text_canon(); the text part first) into OUT,
 *	the first time it is asked; a reply whose text part holds new
 *	text never pays for it.
 *
 *	The caller owns M (usually on its stack); reply_mime_free()
 *	releases what reply_mime_parse() stored in it.
 * DIAGNOSTICS
 *	reply_mime_parse() returns 0, or -1 when out of memory. Nothing
 *	fails to parse: a part without the header fields it needs is
 *	text/plain (RFC 2045), a multipart without its delimiters has no
 *	parts, a missing closing delimiter ends at the end of the message.
 */
#ifndef LINKS_REPLY_MIME_H
#define LINKS_REPLY_MIME_H

#include <stddef.h>

#include "strbuf.h"

#define REPLY_HDR_VALUE_MAX	4096		/* bytes kept per header value */
#define REPLY_HDR_BLOCK_MAX	(256 * 1024)	/* header bytes examined */
#define REPLY_MIME_TOKEN_MAX	64		/* "type/subtype", format, ... */
#define REPLY_MIME_BOUNDARY_MAX	72		/* RFC 2046: at most 70 */

struct part;

struct reply_mime_limits {
	size_t	max_parts;
	size_t	max_depth;
	size_t	max_decoded;
};

enum reply_hdr {
	REPLY_HDR_SUBJECT = 0,
	REPLY_HDR_FROM,
	REPLY_HDR_AUTO_SUBMITTED,
	REPLY_HDR_X_AUTOREPLY,
	REPLY_HDR_X_AUTORESPOND,
	REPLY_HDR_PRECEDENCE,
	REPLY_HDR_RETURN_PATH,
	REPLY_HDR_CONTENT_TYPE,
	REPLY_HDR_X_FAILED_RECIPIENTS,
	REPLY_HDR_X_AUTO_RESPONSE_SUPPRESS,
	REPLY_HDR_COUNT
};

struct reply_mime {
	char   *hdr[REPLY_HDR_COUNT];	/* NULL when absent */
	char   *subject;		/* canonical UTF-8, "" when none */
	struct strbuf plain;		/* first inline text/plain, in its charset,
					 * once reply_mime_plain() decoded it */
	char   *plain_charset;		/* its charset label, NULL none */
	int	plain_flowed;		/* format=flowed */
	int	plain_delsp;		/* DelSp=yes */
	struct strbuf dsn;		/* first message/delivery-status */
	int	have_plain;
	int	have_html;
	int	have_dsn;
	const struct reply_mime_limits *lim;
	struct part *html;		/* the HTML part, not decoded yet */
	struct part *plain_part;	/* the text part, not decoded yet */
	int	report_dsn;		/* multipart/report; report-type=delivery-status */
	int	limited;		/* a limit stopped the walk */
	size_t	parts;			/* parts visited */
	size_t	decoded;		/* bytes decoded */
};

int	reply_mime_parse(struct reply_mime *m, const char *msg, size_t len,
			 const struct reply_mime_limits *lim);
int	reply_mime_plain(struct reply_mime *m);
int	reply_mime_html(struct reply_mime *m, struct strbuf *out);
void	reply_mime_free(struct reply_mime *m);

#endif
