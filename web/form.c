/*
 * NAME
 *	form 3
 * SUMMARY
 *	the body of an HTML form or RFC 8058 POST, parsed and bounded
 * SYNOPSIS
 *	#include "form.h"
 * DESCRIPTION
 *	A small parser of its own rather than libmicrohttpd's post
 *	processor: that one is bound to a live connection, and this one
 *	must be a pure function of (content type, body) so that the fuzz
 *	target (tests/fuzz/fuzz_web.c) and the unit test can drive it.
 *	Nothing here allocates; every loop is bounded by the body length.
 * DIAGNOSTICS
 *	See form.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "form.h"
#include "text.h"

#define MEDIA_URLENCODED	"application/x-www-form-urlencoded"
#define MEDIA_MULTIPART		"multipart/form-data"
#define PARAM_VALUE_MAX		128	/* a parameter of Content-Type / -Disposition */

/* is_space - space or tab */
static int
is_space(int c)
{
	return (c == ' ' || c == '\t');
}

/* name_char - a character of a field name */
static int
name_char(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		|| c == '-' || c == '_');
}

/* form_add - append one field after checking it; FORM_EBAD when it breaks a rule. */
static int
form_add(struct form *f, const char *name, size_t nlen, const char *value, size_t vlen)
{
	size_t	i;

	if (f->n >= FORM_FIELDS_MAX || nlen == 0 || nlen >= FORM_NAME_MAX
	    || vlen >= FORM_VALUE_MAX)
		return (FORM_EBAD);
	for (i = 0; i < nlen; i++)
		if (!name_char((unsigned char) name[i]))
			return (FORM_EBAD);
	for (i = 0; i < vlen; i++)
		if ((unsigned char) value[i] < 0x20 || (unsigned char) value[i] > 0x7e)
			return (FORM_EBAD);
	for (i = 0; i < f->n; i++)
		if (strlen(f->f[i].name) == nlen && memcmp(f->f[i].name, name, nlen) == 0)
			return (FORM_EBAD);
	memcpy(f->f[f->n].name, name, nlen);
	f->f[f->n].name[nlen] = 0;
	memcpy(f->f[f->n].value, value, vlen);
	f->f[f->n].value[vlen] = 0;
	f->n++;
	return (FORM_OK);
}

/* url_decode - '+' and %XX of IN[0..LEN) into OUT; -1 if bad or too long. */
static long
url_decode(const char *in, size_t len, char *out, size_t outlen)
{
	size_t	i, o = 0;
	int	hi, lo;

	for (i = 0; i < len; i++) {
		int	c = (unsigned char) in[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (i + 2 >= len || (hi = text_hexval((unsigned char) in[i + 1])) < 0
			    || (lo = text_hexval((unsigned char) in[i + 2])) < 0)
				return (-1);
			c = hi << 4 | lo;
			i += 2;
		}
		if (o + 1 >= outlen)
			return (-1);
		out[o++] = (char) c;
	}
	out[o] = 0;
	return ((long) o);
}

/* parse_urlencoded - an application/x-www-form-urlencoded body */
static int
parse_urlencoded(const char *body, size_t len, struct form *f)
{
	char	name[FORM_NAME_MAX], value[FORM_VALUE_MAX];
	size_t	pos = 0;

	/* Some senders end the one-click body with a line break. */
	while (len > 0 && (body[len - 1] == '\r' || body[len - 1] == '\n'))
		len--;
	while (pos < len) {
		const char *seg = body + pos, *amp, *eq;
		size_t	slen;
		long	nl, vl;

		amp = memchr(seg, '&', len - pos);
		slen = amp ? (size_t) (amp - seg) : len - pos;
		pos += slen + 1;
		if (slen == 0)
			continue;
		eq = memchr(seg, '=', slen);
		nl = url_decode(seg, eq ? (size_t) (eq - seg) : slen, name, sizeof(name));
		vl = eq ? url_decode(eq + 1, slen - (size_t) (eq - seg) - 1, value, sizeof(value)) : 0;
		if (!eq)
			value[0] = 0;
		if (nl < 0 || vl < 0 || memchr(name, 0, (size_t) nl) != NULL
		    || form_add(f, name, (size_t) nl, value, (size_t) vl) != FORM_OK)
			return (FORM_EBAD);
	}
	return (FORM_OK);
}

/*
 * header_param - find parameter NAME in "type; a=b; name="v"" (HDR, LEN
 * bytes) and copy its value (unquoted) into OUT. Returns 1 found, 0 not
 * found, -1 malformed.
 */
static int
header_param(const char *hdr, size_t len, const char *name, char *out, size_t outlen)
{
	size_t	i = 0, nlen = strlen(name);
	int	found = 0;

	while (i < len && hdr[i] != ';')
		i++;
	while (i < len) {
		size_t	k, o = 0;
		int	match;

		i++;				/* the ';' */
		while (i < len && is_space((unsigned char) hdr[i]))
			i++;
		k = i;
		while (i < len && hdr[i] != '=' && hdr[i] != ';')
			i++;
		if (i >= len || hdr[i] != '=')
			return (i > k ? -1 : found);	/* "; name" without a value */
		match = (i - k == nlen && strncasecmp(hdr + k, name, nlen) == 0);
		i++;
		if (i < len && hdr[i] == '"') {
			for (i++; i < len && hdr[i] != '"'; i++) {
				if (hdr[i] == '\\' && i + 1 < len)
					i++;
				if (match && (o + 1 >= outlen))
					return (-1);
				if (match)
					out[o++] = hdr[i];
			}
			if (i >= len)
				return (-1);	/* unterminated quote */
			i++;
		} else {
			for (; i < len && hdr[i] != ';' && !is_space((unsigned char) hdr[i]); i++) {
				if (match && o + 1 >= outlen)
					return (-1);
				if (match)
					out[o++] = hdr[i];
			}
		}
		while (i < len && is_space((unsigned char) hdr[i]))
			i++;
		if (i < len && hdr[i] != ';')
			return (-1);
		if (match) {
			if (found)
				return (-1);	/* the same parameter twice */
			out[o] = 0;
			found = 1;
		}
	}
	return (found);
}

/* media_is - whether the type of header HDR (before ';') is TYPE, any case. */
static int
media_is(const char *hdr, const char *type)
{
	size_t	n = strlen(type);

	while (is_space((unsigned char) *hdr))
		hdr++;
	if (strncasecmp(hdr, type, n) != 0)
		return (0);
	hdr += n;
	while (is_space((unsigned char) *hdr))
		hdr++;
	return (*hdr == 0 || *hdr == ';');
}

/* line_end - end of the line at P (before CRLF or LF) within END; NULL if none. */
static const char *
line_end(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t) (end - p));

	if (nl == NULL)
		return (NULL);
	*next = nl + 1;
	return ((nl > p && nl[-1] == '\r') ? nl - 1 : nl);
}

/* part_headers - read a part's header lines from *P; the field name into NAME. */
static int
part_headers(const char **p, const char *end, char *name, size_t namelen)
{
	const char *start = *p, *le, *next;
	int	have = 0;

	for (;;) {
		if ((le = line_end(*p, end, &next)) == NULL || next - start > FORM_PART_HEADERS_MAX)
			return (FORM_EBAD);
		if (le == *p) {			/* the empty line */
			*p = next;
			return (have ? FORM_OK : FORM_EBAD);
		}
		if ((size_t) (le - *p) > strlen("content-disposition:")
		    && strncasecmp(*p, "content-disposition:", 20) == 0) {
			const char *v = *p + 20;
			char	fn[PARAM_VALUE_MAX];
			size_t	vlen = (size_t) (le - v);

			while (vlen > 0 && is_space((unsigned char) *v)) {
				v++;
				vlen--;
			}
			if (have || vlen < 9 || strncasecmp(v, "form-data", 9) != 0
			    || (vlen > 9 && v[9] != ';' && !is_space((unsigned char) v[9]))
			    || header_param(v, vlen, "filename", fn, sizeof(fn)) != 0
			    || header_param(v, vlen, "name", name, namelen) != 1)
				return (FORM_EBAD);
			have = 1;
		}
		*p = next;
	}
}

/* parse_multipart - a multipart/form-data body */
static int
parse_multipart(const char *ct, const char *body, size_t len, struct form *f)
{
	char	boundary[FORM_BOUNDARY_MAX + 1], delim[FORM_BOUNDARY_MAX + 3];
	char	name[FORM_NAME_MAX];
	const char *p, *end = body + len;
	size_t	dlen;

	if (header_param(ct, strlen(ct), "boundary", boundary, sizeof(boundary)) != 1
	    || boundary[0] == 0)
		return (FORM_EMEDIA);
	dlen = (size_t) snprintf(delim, sizeof(delim), "--%s", boundary);
	/* The first delimiter: at the very start or after a preamble line. */
	if (len >= dlen && memcmp(body, delim, dlen) == 0)
		p = body;
	else {
		const char *d = memmem(body, len, delim, dlen);

		if (d == NULL || d == body || d[-1] != '\n')
			return (FORM_EBAD);
		p = d;
	}
	for (;;) {
		const char *next, *le, *content, *stop, *q, *d;

		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return (FORM_OK);	/* the close delimiter */
		while (p < end && is_space((unsigned char) *p))
			p++;
		if ((le = line_end(p, end, &next)) == NULL || le != p)
			return (FORM_EBAD);
		p = next;
		if (part_headers(&p, end, name, sizeof(name)) != FORM_OK)
			return (FORM_EBAD);
		content = p;
		/* The content ends at the line break before the next delimiter. */
		for (q = content, stop = NULL; q < end; q = d + 1) {
			if ((d = memmem(q, (size_t) (end - q), delim, dlen)) == NULL)
				return (FORM_EBAD);
			if (d > content && d[-1] == '\n') {
				stop = d - 1;
				if (stop > content && stop[-1] == '\r')
					stop--;
				p = d;
				break;
			}
		}
		if (stop == NULL
		    || form_add(f, name, strlen(name), content, (size_t) (stop - content)) != FORM_OK)
			return (FORM_EBAD);
	}
}

/* form_parse - a body of either media type into OUT */
int
form_parse(const char *content_type, const char *body, size_t len, struct form *out)
{
	int	rc;

	memset(out, 0, sizeof(*out));
	if (content_type == NULL)
		return (FORM_EMEDIA);
	if (body == NULL)
		len = 0;
	if (media_is(content_type, MEDIA_URLENCODED))
		rc = parse_urlencoded(body ? body : "", len, out);
	else if (media_is(content_type, MEDIA_MULTIPART))
		rc = len == 0 ? FORM_EBAD : parse_multipart(content_type, body, len, out);
	else
		return (FORM_EMEDIA);
	if (rc != FORM_OK)
		memset(out, 0, sizeof(*out));
	return (rc);
}

/* form_get - the value of field NAME, or NULL */
const char *
form_get(const struct form *f, const char *name)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return (f->f[i].value);
	return (NULL);
}
