/*
 * NAME
 *	reply_mime 3
 * SUMMARY
 *	MIME walk of one received message (libetpan), bounded
 * SYNOPSIS
 *	#include "reply_mime.h"
 * DESCRIPTION
 *	See reply_mime.h. Two bounds protect libetpan itself, which
 *	parses the whole tree recursively before we can count anything:
 *	the input handed to mailmime_parse() is cut before the line that
 *	would start part max_parts + 1 (counted as Content-Type header
 *	lines), so neither the recursion depth nor the number of parts it
 *	builds can exceed what we would inspect anyway.
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "reply_charset.h"
#include "reply_mime.h"

#define REPLY_MIME_PAD	16	/* NUL bytes after what libetpan reads */
#define REPLY_MIME_CUT_BACK 32	/* header lines searched for a part's boundary */

static const char *const hdr_names[REPLY_HDR_COUNT] = {
	"subject", "from", "auto-submitted", "x-autoreply", "x-autorespond",
	"precedence", "return-path", "content-type", "x-failed-recipients",
	"x-auto-response-suppress",
};

/* Length of the header block: up to and including the empty line. */
static size_t
header_block_len(const char *msg, size_t len, size_t *body)
{
	size_t	i = 0;

	while (i < len) {
		const char *nl = memchr(msg + i, '\n', len - i);
		size_t	end = nl ? (size_t) (nl - msg) : len;
		size_t	ll = end - i;

		if (ll == 0 || (ll == 1 && msg[i] == '\r')) {
			*body = nl ? end + 1 : len;
			return (i);
		}
		i = nl ? end + 1 : len;
	}
	*body = len;
	return (len);
}

/* Whether the line at P (N bytes) looks like "Name:" of a header field. */
static size_t
field_name_len(const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n && i < 80; i++) {
		unsigned char c = (unsigned char) p[i];

		if (c == ':')
			return (i);
		if (c <= ' ' || c >= 0x7F)
			return (0);
	}
	return (0);
}

static int
store_header(struct reply_mime *m, const char *name, size_t nlen,
	     const char *val, size_t vlen)
{
	struct strbuf b;
	size_t	i, k;
	int	sp = 0;

	for (k = 0; k < REPLY_HDR_COUNT; k++)
		if (strlen(hdr_names[k]) == nlen && strncasecmp(name, hdr_names[k], nlen) == 0)
			break;
	if (k == REPLY_HDR_COUNT || m->hdr[k] != NULL)
		return (0);
	/* Unfold: every run of CR, LF, TAB and SP becomes one space. */
	strbuf_init(&b);
	if (strbuf_reserve(&b, vlen < REPLY_HDR_VALUE_MAX ? vlen : REPLY_HDR_VALUE_MAX) < 0)
		return (-1);
	for (i = 0; i < vlen && b.len < REPLY_HDR_VALUE_MAX; i++) {
		char	c = val[i];

		if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
			sp = b.len > 0;
			continue;
		}
		if (sp && strbuf_addc(&b, ' ') < 0)
			goto fail;
		sp = 0;
		if (strbuf_addc(&b, c) < 0)
			goto fail;
	}
	{
		struct strbuf clean;

		strbuf_init(&clean);
		if (reply_utf8_clean(b.data ? b.data : "", b.len, &clean) < 0)
			goto fail;
		m->hdr[k] = strbuf_steal(&clean);
		if (m->hdr[k] == NULL)
			goto fail;
	}
	/* keep the raw (unfolded) bytes for the Subject decoder */
	if (k == REPLY_HDR_SUBJECT) {
		free(m->subject);
		m->subject = strbuf_steal(&b);
		return (m->subject ? 0 : -1);
	}
	strbuf_free(&b);
	return (0);
fail:
	strbuf_free(&b);
	return (-1);
}

static int
parse_headers(struct reply_mime *m, const char *msg, size_t hlen)
{
	size_t	i = 0;

	if (hlen > REPLY_HDR_BLOCK_MAX)
		hlen = REPLY_HDR_BLOCK_MAX;
	while (i < hlen) {
		const char *nl = memchr(msg + i, '\n', hlen - i);
		size_t	end = nl ? (size_t) (nl - msg) : hlen;
		size_t	nlen = field_name_len(msg + i, end - i);
		size_t	vstart, vend;

		if (nlen == 0) {
			i = nl ? end + 1 : hlen;
			continue;
		}
		vstart = i + nlen + 1;
		/* continuation lines start with SP or TAB */
		vend = end;
		while (vend + 1 < hlen && (msg[vend + 1] == ' ' || msg[vend + 1] == '\t')) {
			const char *nx = memchr(msg + vend + 1, '\n', hlen - vend - 1);

			vend = nx ? (size_t) (nx - msg) : hlen;
		}
		if (store_header(m, msg + i, nlen, msg + vstart, vend - vstart) < 0)
			return (-1);
		i = vend < hlen ? vend + 1 : hlen;
	}
	return (0);
}

/* Decode the raw Subject (RFC 2047) into clean UTF-8. */
static int
decode_subject(struct reply_mime *m)
{
	struct strbuf out;
	char   *dec = NULL;
	size_t	idx = 0;
	const char *raw = m->subject ? m->subject : "";

	strbuf_init(&out);
	if (*raw && mailmime_encoded_phrase_parse("utf-8", raw, strlen(raw), &idx,
						  "utf-8", &dec) == MAILIMF_NO_ERROR
	    && dec != NULL) {
		if (reply_utf8_clean(dec, strlen(dec), &out) < 0)
			goto fail;
	} else if (reply_utf8_clean(raw, strlen(raw), &out) < 0)
		goto fail;
	free(dec);
	free(m->subject);
	m->subject = strbuf_steal(&out);
	return (m->subject ? 0 : -1);
fail:
	free(dec);
	strbuf_free(&out);
	return (-1);
}

/* Start of the line before offset I (which starts a line), or I. */
static size_t
prev_line(const char *msg, size_t i)
{
	if (i == 0)
		return (0);
	i--;				/* the LF ending the previous line */
	while (i > 0 && msg[i - 1] != '\n')
		i--;
	return (i);
}

/*
 * Where the part whose header block holds the line at I begins: at its
 * boundary line ("--..."), or at the first line of the header block. A
 * multipart cut after a boundary line loses all its parts in libetpan;
 * cut before one, it keeps those already complete.
 */
static size_t
part_start(const char *msg, size_t i)
{
	size_t	k, n;

	for (n = 0; n < REPLY_MIME_CUT_BACK && i > 0; n++) {
		k = prev_line(msg, i);
		if (k == i || msg[k] == '\n' || msg[k] == '\r')
			return (i);	/* blank line: the header block starts at I */
		if (msg[k] == '-' && msg[k + 1] == '-')
			return (k);
		i = k;
	}
	return (i);
}

/*
 * Where to cut the text given to libetpan: before the part holding the
 * (MAX + 1)-th "Content-Type:" field, so that libetpan never builds
 * more parts, nor nests deeper, than we inspect.
 */
static size_t
parse_cut(const char *msg, size_t len, size_t max)
{
	static const char ct[] = "content-type:";
	size_t	i = 0, seen = 0;

	while (i < len) {
		const char *nl;

		if (len - i >= sizeof(ct) - 1 && strncasecmp(msg + i, ct, sizeof(ct) - 1) == 0
		    && ++seen > max)
			return (part_start(msg, i));
		if ((nl = memchr(msg + i, '\n', len - i)) == NULL)
			break;
		i = (size_t) (nl - msg) + 1;
	}
	return (len);
}

static int
is_attachment(const struct mailmime *mm)
{
	clistiter *it;

	if (mm->mm_mime_fields == NULL || mm->mm_mime_fields->fld_list == NULL)
		return (0);
	for (it = clist_begin(mm->mm_mime_fields->fld_list); it; it = clist_next(it)) {
		struct mailmime_field *f = clist_content(it);

		if (f->fld_type == MAILMIME_FIELD_DISPOSITION && f->fld_data.fld_disposition
		    && f->fld_data.fld_disposition->dsp_type
		    && f->fld_data.fld_disposition->dsp_type->dsp_type
		    == MAILMIME_DISPOSITION_TYPE_ATTACHMENT)
			return (1);
	}
	return (0);
}

/* "type/subtype" of a part, lower case, into BUF. */
static const char *
content_name(const struct mailmime *mm, char *buf, size_t buflen)
{
	const struct mailmime_content *c = mm->mm_content_type;
	const char *type = "text", *sub = "plain";
	size_t	i;

	if (c != NULL && c->ct_type != NULL) {
		const struct mailmime_type *t = c->ct_type;

		if (t->tp_type == MAILMIME_TYPE_DISCRETE_TYPE && t->tp_data.tp_discrete_type) {
			switch (t->tp_data.tp_discrete_type->dt_type) {
			case MAILMIME_DISCRETE_TYPE_TEXT: type = "text"; break;
			case MAILMIME_DISCRETE_TYPE_IMAGE: type = "image"; break;
			case MAILMIME_DISCRETE_TYPE_AUDIO: type = "audio"; break;
			case MAILMIME_DISCRETE_TYPE_VIDEO: type = "video"; break;
			case MAILMIME_DISCRETE_TYPE_APPLICATION: type = "application"; break;
			default:
				type = t->tp_data.tp_discrete_type->dt_extension
				    ? t->tp_data.tp_discrete_type->dt_extension : "x";
			}
		} else if (t->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE && t->tp_data.tp_composite_type) {
			switch (t->tp_data.tp_composite_type->ct_type) {
			case MAILMIME_COMPOSITE_TYPE_MESSAGE: type = "message"; break;
			case MAILMIME_COMPOSITE_TYPE_MULTIPART: type = "multipart"; break;
			default:
				type = t->tp_data.tp_composite_type->ct_token
				    ? t->tp_data.tp_composite_type->ct_token : "x";
			}
		}
		sub = c->ct_subtype ? c->ct_subtype : "";
	}
	if (strlen(type) + strlen(sub) + 2 > buflen)
		return ("x/x");
	snprintf(buf, buflen, "%s/%s", type, sub);
	for (i = 0; buf[i]; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char) (buf[i] + 32);
	return (buf);
}

static const char *
content_param(const struct mailmime *mm, const char *name)
{
	clistiter *it;

	if (mm->mm_content_type == NULL || mm->mm_content_type->ct_parameters == NULL)
		return (NULL);
	for (it = clist_begin(mm->mm_content_type->ct_parameters); it; it = clist_next(it)) {
		const struct mailmime_parameter *p = clist_content(it);

		if (p && p->pa_name && p->pa_value && strcasecmp(p->pa_name, name) == 0)
			return (p->pa_value);
	}
	return (NULL);
}

/* Decode one single part into OUT, within the remaining budget. */
static int
decode_part(struct reply_mime *m, const struct mailmime *mm,
	    const struct reply_mime_limits *lim, struct strbuf *out)
{
	const struct mailmime_data *d = mm->mm_body;
	size_t	left, inlen, idx = 0, declen = 0;
	char   *dec = NULL, *padded;
	int	enc, r;

	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT || d->dt_data.dt_text.dt_data == NULL)
		return (0);
	left = lim->max_decoded > m->decoded ? lim->max_decoded - m->decoded : 0;
	if (left == 0) {
		m->limited = 1;
		return (0);
	}
	inlen = d->dt_data.dt_text.dt_length;
	/* 3 encoded bytes per decoded byte covers QP "=XX" and base64 */
	if (inlen / 3 > left) {
		inlen = left * 3;
		m->limited = 1;
	}
	enc = d->dt_encoded ? d->dt_encoding : MAILMIME_MECHANISM_8BIT;
	if (enc != MAILMIME_MECHANISM_BASE64 && enc != MAILMIME_MECHANISM_QUOTED_PRINTABLE)
		enc = MAILMIME_MECHANISM_8BIT;
	/*
	 * libetpan's decoders read a few bytes past the length they are
	 * given (a "=" at the very end of a quoted-printable part; found by
	 * tests/fuzz/fuzz_reply.c): decode from a NUL-padded copy.
	 */
	if ((padded = malloc(inlen + REPLY_MIME_PAD)) == NULL)
		return (-1);
	memcpy(padded, d->dt_data.dt_text.dt_data, inlen);
	memset(padded + inlen, 0, REPLY_MIME_PAD);
	r = mailmime_part_parse(padded, inlen, &idx, enc, &dec, &declen);
	free(padded);
	if (r != MAILIMF_NO_ERROR || dec == NULL) {
		/* undecodable: keep the raw text, a person will read it */
		dec = NULL;
		if (reply_utf8_clean(d->dt_data.dt_text.dt_data, inlen > left ? left : inlen, out) < 0)
			return (-1);
		m->decoded += inlen > left ? left : inlen;
		return (0);
	}
	if (declen > left) {
		declen = left;
		m->limited = 1;
	}
	m->decoded += declen;
	r = reply_charset_to_utf8(content_param(mm, "charset"), dec, declen, out);
	mailmime_decoded_part_free(dec);
	return (r);
}

static int
plain_has_text(const struct reply_mime *m)
{
	size_t	i;

	for (i = 0; m->have_plain && i < m->plain.len; i++)
		if (m->plain.data[i] != ' ' && m->plain.data[i] != '\n' && m->plain.data[i] != '\t')
			return (1);
	return (0);
}

static int
walk(struct reply_mime *m, const struct mailmime *mm, size_t depth,
     const struct reply_mime_limits *lim)
{
	char	ctbuf[128];
	const char *ct;
	clistiter *it;

	if (mm == NULL)
		return (0);
	if (depth > lim->max_depth || m->parts >= lim->max_parts) {
		m->limited = 1;
		return (0);
	}
	m->parts++;
	ct = content_name(mm, ctbuf, sizeof(ctbuf));
	switch (mm->mm_type) {
	case MAILMIME_MESSAGE:
		/* The top level is the message itself; deeper ones are
		 * forwarded or returned messages: never read as new text. */
		if (depth == 0)
			return (walk(m, mm->mm_data.mm_message.mm_msg_mime, depth + 1, lim));
		return (0);
	case MAILMIME_MULTIPLE:
		if (strcmp(ct, "multipart/report") == 0) {
			const char *rt = content_param(mm, "report-type");

			if (rt && (strcasecmp(rt, "delivery-status") == 0
				   || strcasecmp(rt, "global-delivery-status") == 0))
				m->report_dsn = 1;
		}
		if (mm->mm_data.mm_multipart.mm_mp_list == NULL)
			return (0);
		for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list); it; it = clist_next(it))
			if (walk(m, clist_content(it), depth + 1, lim) < 0)
				return (-1);
		return (0);
	case MAILMIME_SINGLE:
		if (strcmp(ct, "message/delivery-status") == 0
		    || strcmp(ct, "message/global-delivery-status") == 0) {
			if (m->have_dsn)
				return (0);
			m->have_dsn = 1;
			return (decode_part(m, mm, lim, &m->dsn));
		}
		if (is_attachment(mm))
			return (0);
		if (strcmp(ct, "text/plain") == 0 && !m->have_plain) {
			m->have_plain = 1;
			return (decode_part(m, mm, lim, &m->plain));
		}
		/* HTML is read only without a text/plain part: skip the work
		 * when one was already found */
		if (strcmp(ct, "text/html") == 0 && !m->have_html && !plain_has_text(m)) {
			m->have_html = 1;
			return (decode_part(m, mm, lim, &m->html));
		}
		return (0);
	default:
		return (0);
	}
}

int
reply_mime_parse(struct reply_mime *m, const char *msg, size_t len,
		 const struct reply_mime_limits *lim)
{
	struct mailmime *mm = NULL;
	size_t	hlen, body, cut, idx = 0;
	char   *copy;
	int	r;

	memset(m, 0, sizeof(*m));
	strbuf_init(&m->plain);
	strbuf_init(&m->html);
	strbuf_init(&m->dsn);
	hlen = header_block_len(msg, len, &body);
	if (parse_headers(m, msg, hlen) < 0 || decode_subject(m) < 0)
		return (-1);
	cut = parse_cut(msg, len, lim->max_parts + 1);
	if (cut < len)
		m->limited = 1;
	/* the same caution for the parser: it sees a NUL-padded copy */
	if ((copy = malloc(cut + REPLY_MIME_PAD)) == NULL)
		return (-1);
	memcpy(copy, msg, cut);
	memset(copy + cut, 0, REPLY_MIME_PAD);
	r = mailmime_parse(copy, cut, &idx, &mm);
	if (r == MAILIMF_ERROR_MEMORY) {
		free(copy);
		return (-1);
	}
	if (r != MAILIMF_NO_ERROR || mm == NULL) {
		size_t	blen = len - body;

		free(copy);
		m->parse_error = 1;
		if (blen > lim->max_decoded)
			blen = lim->max_decoded;
		m->have_plain = 1;
		return (reply_utf8_clean(msg + body, blen, &m->plain));
	}
	r = walk(m, mm, 0, lim);
	mailmime_free(mm);
	free(copy);
	return (r);
}

void
reply_mime_free(struct reply_mime *m)
{
	size_t	k;

	for (k = 0; k < REPLY_HDR_COUNT; k++) {
		free(m->hdr[k]);
		m->hdr[k] = NULL;
	}
	free(m->subject);
	m->subject = NULL;
	strbuf_free(&m->plain);
	strbuf_free(&m->html);
	strbuf_free(&m->dsn);
}
