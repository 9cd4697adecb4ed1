/*
 * NAME
 *	form 3h
 * SUMMARY
 *	the body of an HTML form or RFC 8058 POST, parsed and bounded
 * SYNOPSIS
 *	#include "form.h"
 *
 *	int	form_parse(const char *content_type, const char *body, size_t len,
 *			struct form *out);
 *	const char *form_get(const struct form *f, const char *name);
 * DESCRIPTION
 *	links-web receives small bodies only: "List-Unsubscribe=One-Click"
 *	(RFC 8058, as application/x-www-form-urlencoded or as
 *	multipart/form-data, both of which mail providers send) and its own
 *	forms (a form token and a few check boxes). form_parse() reads
 *	either media type (CONTENT_TYPE is the request's Content-Type
 *	header, parameters and letter case as clients send them) from BODY
 *	(LEN bytes, not NUL-terminated) into OUT, which the caller owns.
 *
 *	Limits, all named below: at most FORM_FIELDS_MAX fields, names of
 *	letters, digits, '-' and '_' up to FORM_NAME_MAX - 1 bytes, values
 *	up to FORM_VALUE_MAX - 1 bytes of printable ASCII after decoding
 *	(percent escapes and '+' for urlencoded). A name given twice is an
 *	error: a form must not be able to say two things at once. In a
 *	multipart body, only parts with Content-Disposition form-data and
 *	a name are fields; a part with a filename is refused; a part's
 *	headers are bounded by FORM_PART_HEADERS_MAX.
 *
 *	form_get() returns the value of NAME, or NULL when it is absent.
 *	The returned string belongs to F.
 * DIAGNOSTICS
 *	form_parse() returns FORM_OK, FORM_EMEDIA when the content type is
 *	neither of the two (or has no usable boundary), or FORM_EBAD for a
 *	malformed body or one beyond a limit. OUT is emptied first, so it
 *	never holds half a body after an error.
 */
#ifndef LINKS_FORM_H
#define LINKS_FORM_H

#include <stddef.h>

#define FORM_FIELDS_MAX		8
#define FORM_NAME_MAX		32
#define FORM_VALUE_MAX		128
#define FORM_BOUNDARY_MAX	70	/* RFC 2046 section 5.1.1 */
#define FORM_PART_HEADERS_MAX	1024	/* bytes of one part's header block */

#define FORM_OK		0
#define FORM_EBAD	(-1)
#define FORM_EMEDIA	(-2)

struct form_field {
	char	name[FORM_NAME_MAX];
	char	value[FORM_VALUE_MAX];
};

struct form {
	size_t	n;
	struct form_field f[FORM_FIELDS_MAX];
};

int	form_parse(const char *content_type, const char *body, size_t len, struct form *out);
const char *form_get(const struct form *f, const char *name);

#endif
