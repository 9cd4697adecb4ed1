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
#include "reply_text.h"

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

/* b64_value - the value of a base64 character, -1 for others */
static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (c - '0' + 52);
	return (c == '+' ? 62 : c == '/' ? 63 : -1);
}

/* hexval - the value of a hexadecimal digit, -1 for others */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c |= 0x20;
	return (c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1);
}

/* word_bytes - the bytes of encoded text S (LEN) in encoding ENC (b or q) */
static int
word_bytes(const char *s, size_t len, int enc, struct strbuf *out)
{
	size_t	i;
	unsigned v = 0;
	int	bits = 0, d;

	for (i = 0; i < len; i++) {
		if (enc == 'b') {
			if ((d = b64_value((unsigned char) s[i])) < 0)
				continue;
			v = (v << 6) | (unsigned) d;
			if ((bits += 6) >= 8 && strbuf_addc(out, (int) ((v >> (bits -= 8)) & 0xFF)) < 0)
				return (-1);
		} else if (s[i] == '=' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			if (strbuf_addc(out, hexval(s[i + 1]) * 16 + hexval(s[i + 2])) < 0)
				return (-1);
			i += 2;
		} else if (strbuf_addc(out, s[i] == '_' ? ' ' : s[i]) < 0)
			return (-1);
	}
	return (0);
}

/* encoded_word - parse "=?charset?e?text?=" at S; its length, 0 when not one */
static size_t
encoded_word(const char *s, size_t len, char *cs, size_t cslen, int *enc, const char **text,
	     size_t *tlen)
{
	const char *q1, *q2, *end;

	if (len < 8 || s[0] != '=' || s[1] != '?')
		return (0);
	if ((q1 = memchr(s + 2, '?', len - 2)) == NULL || (size_t) (q1 - s - 2) >= cslen || q1 + 3 >= s + len
	    || q1[2] != '?' || strchr("bBqQ", q1[1]) == NULL || q1[1] == 0)
		return (0);
	q2 = q1 + 3;
	if ((end = memmem(q2, len - (size_t) (q2 - s), "?=", 2)) == NULL)
		return (0);
	memcpy(cs, s + 2, (size_t) (q1 - s - 2));
	cs[q1 - s - 2] = 0;
	cs[strcspn(cs, "*")] = 0;		/* RFC 2231 language: =?utf-8*vi?...?= */
	*enc = q1[1] | 0x20;
	*text = q2;
	*tlen = (size_t) (end - q2);
	return ((size_t) (end + 2 - s));
}

/*
 * decode_words - RFC 2047: each encoded word decoded from its own charset
 * (reply_charset_to_utf8() flushes windows-1258's last letter, which
 * libetpan loses), the rest through SRC; blanks between two encoded
 * words dropped
 */
static int
decode_words(const char *raw, const struct reply_text_src *src, struct strbuf *out)
{
	char	cs[REPLY_CHARSET_NAME_MAX];
	struct strbuf bytes;
	const char *text;
	size_t	i = 0, len = strlen(raw), n, tlen, plain;
	int	enc, prev_word = 0, r = 0;

	strbuf_init(&bytes);
	while (i < len && r == 0) {
		if ((n = encoded_word(raw + i, len - i, cs, sizeof(cs), &enc, &text, &tlen)) > 0) {
			strbuf_reset(&bytes);
			r = word_bytes(text, tlen, enc, &bytes);
			if (r == 0)
				r = reply_charset_to_utf8(cs, bytes.data ? bytes.data : "", bytes.len, out);
			i += n;
			prev_word = 1;
			continue;
		}
		for (plain = 1; i + plain < len && !(raw[i + plain] == '=' && raw[i + plain + 1] == '?'); plain++)
			;
		if (!(prev_word && strspn(raw + i, " \t") == plain && i + plain < len))
			r = reply_text_canon(raw + i, plain, src, out);
		i += plain;
		prev_word = 0;
	}
	strbuf_free(&bytes);
	return (r);
}

/*
 * decode_subject - the raw Subject as canonical text: RFC 2047 words, or
 * 8-bit bytes in the text part's single-byte charset when they are not
 * UTF-8 (reply_text_canon() decides)
 */
static int
decode_subject(struct reply_mime *m)
{
	struct strbuf dec, out;
	struct reply_text_src src = {NULL, 0, 0, 0};
	const char *raw = m->subject ? m->subject : "";
	int	r = -1;

	strbuf_init(&dec);
	strbuf_init(&out);
	if (reply_text_is_single_byte(m->plain_charset))
		src.charset = m->plain_charset;
	if (decode_words(raw, &src, &dec) == 0
	    && reply_text_final(dec.data ? dec.data : "", dec.len, &out) == 0 && strbuf_reserve(&out, 0) == 0) {
		free(m->subject);
		m->subject = strbuf_steal(&out);
		r = m->subject ? 0 : -1;
	}
	strbuf_free(&dec);
	strbuf_free(&out);
	return (r);
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

/* transfer - the body of part MM without its transfer encoding, into OUT,
 * within the remaining budget; its charset is left as it is */
static int
transfer(struct reply_mime *m, const struct mailmime *mm, struct strbuf *out)
{
	const struct mailmime_data *d = mm->mm_body;
	size_t	left, inlen, idx = 0, declen = 0;
	char   *dec = NULL, *padded;
	int	enc, r;

	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT || d->dt_data.dt_text.dt_data == NULL)
		return (0);
	left = m->lim->max_decoded > m->decoded ? m->lim->max_decoded - m->decoded : 0;
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
	if (enc != MAILMIME_MECHANISM_BASE64 && enc != MAILMIME_MECHANISM_QUOTED_PRINTABLE) {
		if (inlen > left)
			inlen = left;
		m->decoded += inlen;
		return (strbuf_add(out, d->dt_data.dt_text.dt_data, inlen));
	}
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
		inlen = inlen > left ? left : inlen;
		m->decoded += inlen;
		return (strbuf_add(out, d->dt_data.dt_text.dt_data, inlen));
	}
	if (declen > left) {
		declen = left;
		m->limited = 1;
	}
	m->decoded += declen;
	r = strbuf_add(out, dec, declen);
	mailmime_decoded_part_free(dec);
	return (r);
}

/* decode_part - part MM transfer-decoded and in clean UTF-8, into OUT */
static int
decode_part(struct reply_mime *m, const struct mailmime *mm, struct strbuf *out)
{
	struct strbuf raw;
	int	r;

	strbuf_init(&raw);
	r = transfer(m, mm, &raw);
	if (r == 0)
		r = reply_charset_to_utf8(content_param(mm, "charset"), raw.data ? raw.data : "", raw.len, out);
	strbuf_free(&raw);
	return (r);
}

/* keep_plain - the text/plain part MM: its bytes and its parameters */
static int
keep_plain(struct reply_mime *m, const struct mailmime *mm)
{
	const char *cs = content_param(mm, "charset"), *f = content_param(mm, "format");
	const char *ds = content_param(mm, "delsp");

	m->have_plain = 1;
	m->plain_flowed = f != NULL && strcasecmp(f, "flowed") == 0;
	m->plain_delsp = ds != NULL && strcasecmp(ds, "yes") == 0;
	if (cs != NULL && strlen(cs) < REPLY_CHARSET_NAME_MAX && (m->plain_charset = strdup(cs)) == NULL)
		return (-1);
	return (transfer(m, mm, &m->plain));
}

int
reply_mime_html(struct reply_mime *m, struct strbuf *out)
{
	const struct mailmime *mm = m->html_part;
	struct reply_text_src src = {NULL, 0, 0, 0};
	struct strbuf raw;
	int	r;

	if (mm == NULL)
		return (0);
	m->html_part = NULL;
	strbuf_init(&raw);
	src.charset = content_param(mm, "charset");
	r = transfer(m, mm, &raw);
	if (r == 0)
		r = reply_text_canon(raw.data ? raw.data : "", raw.len, &src, out);
	strbuf_free(&raw);
	return (r);
}

/* walk - visit part MM at DEPTH and keep the parts the analysis reads */
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
			return (decode_part(m, mm, &m->dsn));
		}
		if (is_attachment(mm))
			return (0);
		if (strcmp(ct, "text/plain") == 0 && !m->have_plain)
			return (keep_plain(m, mm));
		/* HTML is decoded later, only if the text part has no new text */
		if (strcmp(ct, "text/html") == 0 && !m->have_html) {
			m->have_html = 1;
			m->html_part = mm;
		}
		return (0);
	default:
		return (0);
	}
}

/* mime_field - a header field libetpan needs: Content-* and MIME-Version */
static int
mime_field(const char *p, size_t n)
{
	return ((n >= 8 && strncasecmp(p, "content-", 8) == 0)
		|| (n >= 13 && strncasecmp(p, "mime-version:", 13) == 0));
}

/*
 * parser_copy - what libetpan parses: the MIME fields of the header block
 * [0, HLEN), then the body [BODY, CUT), NUL-padded; its length in *N
 */
static char *
parser_copy(const char *msg, size_t hlen, size_t body, size_t cut, size_t *n)
{
	char   *c = malloc(cut + 2 + REPLY_MIME_PAD);
	size_t	i = 0, k = 0, lim = hlen < cut ? hlen : cut;

	if (c == NULL)
		return (NULL);
	while (i < lim) {
		const char *nl = memchr(msg + i, '\n', lim - i);
		size_t	e = nl ? (size_t) (nl - msg) + 1 : lim;
		int	keep = mime_field(msg + i, e - i);

		/* continuation lines belong to the field before */
		while (e < lim && (msg[e] == ' ' || msg[e] == '\t')) {
			nl = memchr(msg + e, '\n', lim - e);
			e = nl ? (size_t) (nl - msg) + 1 : lim;
		}
		if (keep) {
			memcpy(c + k, msg + i, e - i);
			k += e - i;
		}
		i = e;
	}
	c[k++] = '\n';
	if (cut > body) {
		memcpy(c + k, msg + body, cut - body);
		k += cut - body;
	}
	memset(c + k, 0, REPLY_MIME_PAD);
	*n = k;
	return (c);
}

int
reply_mime_parse(struct reply_mime *m, const char *msg, size_t len,
		 const struct reply_mime_limits *lim)
{
	struct mailmime *mm = NULL;
	size_t	hlen, body, cut, idx = 0, n;
	int	r;

	memset(m, 0, sizeof(*m));
	strbuf_init(&m->plain);
	strbuf_init(&m->dsn);
	m->lim = lim;
	hlen = header_block_len(msg, len, &body);
	if (parse_headers(m, msg, hlen) < 0)
		return (-1);
	cut = parse_cut(msg, len, lim->max_parts + 1);
	if (cut < len)
		m->limited = 1;
	/* the same caution for the parser: it sees a NUL-padded copy */
	if ((m->copy = parser_copy(msg, hlen, body, cut, &n)) == NULL)
		return (-1);
	r = mailmime_parse(m->copy, n, &idx, &mm);
	if (r == MAILIMF_ERROR_MEMORY)
		return (-1);
	if (r != MAILIMF_NO_ERROR || mm == NULL) {
		size_t	blen = len - body;

		m->parse_error = 1;
		if (blen > lim->max_decoded)
			blen = lim->max_decoded;
		m->have_plain = 1;
		if (strbuf_add(&m->plain, msg + body, blen) < 0)
			return (-1);
		return (decode_subject(m));
	}
	m->tree = mm;
	if (walk(m, mm, 0, lim) < 0)
		return (-1);
	return (decode_subject(m));
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
	free(m->plain_charset);
	m->plain_charset = NULL;
	strbuf_free(&m->plain);
	strbuf_free(&m->dsn);
	if (m->tree != NULL)
		mailmime_free(m->tree);
	m->tree = NULL;
	m->html_part = NULL;
	free(m->copy);
	m->copy = NULL;
}
