/*
 * NAME
 *	mime 3h
 * SUMMARY
 *	build one RFC 5322 / MIME message with libetpan
 * SYNOPSIS
 *	#include "mime.h"
 *
 *	int	mime_build(const struct mime_msg *m, char **out, size_t *len,
 *			   char *err, size_t errlen);
 * DESCRIPTION
 *	mime_build() writes the message M: Date, From, To, Message-ID,
 *	Subject (RFC 2047, label outside the encoded words), MIME-Version,
 *	the extra headers in M->extra (Auto-Submitted, List-*), and a
 *	base64 UTF-8 text/plain body, or multipart/alternative with a
 *	text/html part when M->html is not NULL. Bodies may use LF or CRLF;
 *	they are sent as CRLF text. Header lines are folded within 78
 *	columns. The result is CRLF text owned by the caller (free()).
 *
 *	Every value that reaches a header is checked with hdr_value_safe()
 *	and every address with hdr_address_valid(): a CR, LF or NUL in a
 *	name or subject is an error, never an extra header.
 * DIAGNOSTICS
 *	-1 with a message in ERR; the message names the field, never its
 *	value (it may be personal data).
 */
#ifndef LINKS_MIME_H
#define LINKS_MIME_H

#include <stddef.h>
#include <time.h>

#define MIME_EXTRA_MAX	8	/* extra headers per message */
#define MIME_ID_MAX	200	/* bytes of a Message-ID */

struct mime_header {
	const char *name;	/* ASCII field name */
	const char *value;	/* ASCII value (already encoded) */
};

struct mime_msg {
	const char *from_addr;
	const char *from_name;	/* may be NULL */
	const char *to_addr;
	const char *to_name;	/* may be NULL or "" */
	const char *subject_label;	/* may be NULL */
	const char *subject;	/* UTF-8 */
	const char *message_id;	/* without angle brackets */
	time_t	date;
	const char *text;	/* UTF-8 */
	const char *html;	/* UTF-8 or NULL */
	struct mime_header extra[MIME_EXTRA_MAX];
	size_t	nextra;
};

int	mime_build(const struct mime_msg *m, char **out, size_t *len, char *err, size_t errlen);

/* Whether ID (no brackets) is a valid dot-atom "left@right" Message-ID. */
int	mime_id_valid(const char *id);
/* Whether ID (no brackets), a Message-ID written by others, may be referred
 * to (In-Reply-To): RFC 5322 atext and dots, one '@', a [literal] right side. */
int	mime_ref_valid(const char *id);
/* Whether REFS is a References value we may write: "<id>" words separated by
 * one space, each mime_ref_valid(), at most MIME_REFS_MAX bytes. */
#define MIME_REFS_MAX	4096
int	mime_refs_valid(const char *refs);

#endif
