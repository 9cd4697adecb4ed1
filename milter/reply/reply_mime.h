/*
 * NAME
 *	reply_mime 3h
 * SUMMARY
 *	MIME walk of one received message (libetpan), bounded
 * SYNOPSIS
 *	#include "reply_mime.h"
 *
 *	int	reply_mime_parse(struct reply_mime *m, const char *msg,
 *				 size_t len, const struct reply_mime_limits *lim);
 *	void	reply_mime_free(struct reply_mime *m);
 * DESCRIPTION
 *	reply_mime_parse() reads the top-level header fields the analysis
 *	needs (unfolded, each cut at REPLY_HDR_VALUE_MAX bytes, at most
 *	REPLY_HDR_BLOCK_MAX bytes of header examined), decodes the Subject
 *	(RFC 2047) to UTF-8 and walks the MIME tree with libetpan. It keeps
 *	the first inline text/plain part, the first inline text/html part
 *	and the first message/delivery-status part, each decoded (base64,
 *	quoted-printable) and converted from its charset to clean UTF-8.
 *	At most LIM->max_parts parts and LIM->max_depth levels are visited
 *	and at most LIM->max_decoded bytes are decoded in all; attachments
 *	and embedded messages (message/rfc822) are never decoded. Header
 *	values are kept raw (but cleaned to valid UTF-8), except Subject.
 *
 *	The caller owns M (usually on its stack); reply_mime_free()
 *	releases what reply_mime_parse() stored in it.
 * DIAGNOSTICS
 *	reply_mime_parse() returns 0, or -1 when out of memory. A message
 *	libetpan cannot parse sets M->parse_error and keeps the text after
 *	the header block as the plain part.
 */
#ifndef LINKS_REPLY_MIME_H
#define LINKS_REPLY_MIME_H

#include <stddef.h>

#include "strbuf.h"

#define REPLY_HDR_VALUE_MAX	4096		/* bytes kept per header value */
#define REPLY_HDR_BLOCK_MAX	(256 * 1024)	/* header bytes examined */

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
	char   *subject;		/* decoded UTF-8, "" when none */
	struct strbuf plain;		/* first inline text/plain */
	struct strbuf html;		/* first inline text/html */
	struct strbuf dsn;		/* first message/delivery-status */
	int	have_plain;
	int	have_html;
	int	have_dsn;
	int	report_dsn;		/* multipart/report; report-type=delivery-status */
	int	parse_error;
	int	limited;		/* a limit stopped the walk */
	size_t	parts;			/* parts visited */
	size_t	decoded;		/* bytes decoded */
};

int	reply_mime_parse(struct reply_mime *m, const char *msg, size_t len,
			 const struct reply_mime_limits *lim);
void	reply_mime_free(struct reply_mime *m);

#endif
