/*
 * NAME
 *	reply_mime 3
 * SUMMARY
 *	MIME walk of one received message, bounded
 * SYNOPSIS
 *	#include "reply_mime.h"
 * DESCRIPTION
 *	See reply_mime.h. The walk is ours: the parts are found by their
 *	boundary lines (memmem), and of each part's header only
 *	Content-Type (type, boundary, charset, format, delsp, report-type),
 *	Content-Transfer-Encoding and Content-Disposition are read, so a
 *	part costs its header and a search for the next delimiter.
 *	reply_xfer decodes base64 and quoted-printable bodies. The recursion
 *	is bounded by max_depth and the parts by max_parts.
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reply_charset.h"
#include "reply_mime.h"
#include "reply_text.h"
#include "reply_xfer.h"
#include "text.h"

/* The top-level header fields kept, in enum reply_hdr order, with their lengths. */
static const struct hdr_name {
	const char *s;
	size_t	len;
}	hdr_names[REPLY_HDR_COUNT] = {
#define HDR_NAME(s)	{s, sizeof(s) - 1}
	HDR_NAME("subject"), HDR_NAME("from"), HDR_NAME("auto-submitted"), HDR_NAME("x-autoreply"),
	HDR_NAME("x-autorespond"), HDR_NAME("precedence"), HDR_NAME("return-path"),
	HDR_NAME("content-type"), HDR_NAME("x-failed-recipients"),
	HDR_NAME("x-auto-response-suppress"),
#undef HDR_NAME
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

#define FIELD_NAME_MAX	80		/* bytes of a field name looked at */

/* The bytes of a field name: printable ASCII but the colon. */
static unsigned char field_name_byte[256];
static pthread_once_t field_name_once = PTHREAD_ONCE_INIT;

/* field_name_init - fill field_name_byte (once) */
static void
field_name_init(void)
{
	int	c;

	for (c = '!'; c < 0x7F; c++)
		field_name_byte[c] = c != ':';
}

/* Whether the line at P (N bytes) looks like "Name:" of a header field. */
static size_t
field_name_len(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *) p;
	size_t	i, lim = n < FIELD_NAME_MAX ? n : FIELD_NAME_MAX;

	for (i = 0; i < lim && field_name_byte[u[i]]; i++)
		;
	return (i < lim && u[i] == ':' ? i : 0);
}

static int
store_header(struct reply_mime *m, const char *name, size_t nlen,
	     const char *val, size_t vlen)
{
	struct strbuf b;
	size_t	i, k, n = 0;
	int	sp = 0;

	for (k = 0; k < REPLY_HDR_COUNT; k++)
		if (hdr_names[k].len == nlen && strncasecmp(name, hdr_names[k].s, nlen) == 0)
			break;
	if (k == REPLY_HDR_COUNT || m->hdr[k] != NULL)
		return (0);
	/*
	 * Unfold: every run of CR, LF, TAB and SP becomes one space. A
	 * space stands for at least one byte of the value, so the value's
	 * length (at most the limit and a character) is all it can take.
	 */
	strbuf_init(&b);
	if (strbuf_reserve(&b, vlen < REPLY_HDR_VALUE_MAX + 1 ? vlen : REPLY_HDR_VALUE_MAX + 1) < 0)
		return (-1);
	for (i = 0; i < vlen && n < REPLY_HDR_VALUE_MAX; i++) {
		char	c = val[i];

		if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
			sp = n > 0;
			continue;
		}
		if (sp)
			b.data[n++] = ' ';
		sp = 0;
		b.data[n++] = c;
	}
	b.len = n;
	b.data[n] = 0;
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

/* word_bytes - the bytes of encoded text S (LEN) in encoding ENC (b or q) */
static int
word_bytes(const char *s, size_t len, int enc, struct strbuf *out)
{
	size_t	i, n;
	unsigned v = 0;
	int	bits = 0, d;
	char   *o;

	/* a word decodes to at most its own length: write in place */
	if (len == 0)
		return (0);
	if (strbuf_reserve(out, len) < 0)
		return (-1);
	o = out->data;
	n = out->len;
	for (i = 0; i < len; i++) {
		if (enc == 'b') {
			if ((d = reply_xfer_b64_value((unsigned char) s[i])) < 0)
				continue;
			v = (v << 6) | (unsigned) d;
			if ((bits += 6) >= 8)
				o[n++] = (char) ((v >> (bits -= 8)) & 0xFF);
		} else if (s[i] == '=' && i + 2 < len && text_hexval(s[i + 1]) >= 0 && text_hexval(s[i + 2]) >= 0) {
			o[n++] = (char) (text_hexval(s[i + 1]) * 16 + text_hexval(s[i + 2]));
			i += 2;
		} else
			o[n++] = s[i] == '_' ? ' ' : s[i];
	}
	out->len = n;
	o[n] = 0;
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
	struct strbuf dec, fin, out;
	struct reply_text_src src = {NULL, 0, 0, 0};
	const char *raw = m->subject ? m->subject : "";
	int	r = -1;

	strbuf_init(&dec);
	strbuf_init(&fin);
	strbuf_init(&out);
	if (reply_text_is_single_byte(m->plain_charset))
		src.charset = m->plain_charset;
	if (decode_words(raw, &src, &dec) == 0 && reply_text_final(dec.data ? dec.data : "", dec.len, &fin) == 0
	    && reply_text_nfc(fin.data ? fin.data : "", fin.len, &out) == 0 && strbuf_reserve(&out, 0) == 0) {
		free(m->subject);
		m->subject = strbuf_steal(&out);
		r = m->subject ? 0 : -1;
	}
	strbuf_free(&dec);
	strbuf_free(&fin);
	strbuf_free(&out);
	return (r);
}

/* Transfer encodings. */
enum { ENC_IDENTITY, ENC_BASE64, ENC_QP };

/* What a part's header says. */
struct part {
	const char *body;		/* the part's body, in the message */
	size_t	blen;
	char	type[REPLY_MIME_TOKEN_MAX];	/* "text/plain", lower case */
	char	boundary[REPLY_MIME_BOUNDARY_MAX];
	char	charset[REPLY_CHARSET_NAME_MAX];
	char	format[REPLY_MIME_TOKEN_MAX];
	char	delsp[REPLY_MIME_TOKEN_MAX];
	char	report[REPLY_MIME_TOKEN_MAX];
	int	enc;
	int	attachment;
};

/* lower - S in lower case, in place */
static void
lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char) (*s + 32);
}

/* The parameters of a Content-Type a part keeps (content_type()). */
#define CT_PARAMS	5

/* param_value - a parameter's value from V[K] (its "=") to OUT */
static void
param_value(const char *v, size_t vlen, size_t k, char *out, size_t outlen)
{
	size_t	i;

	for (k++; k < vlen && v[k] == ' '; k++)
		;
	for (i = 0; k < vlen && i + 1 < outlen; k++) {
		if (v[k] == '"')
			continue;
		if (v[k] == ';' || ((v[k] == ' ' || v[k] == '\t') && v[k - 1] != '\\'))
			break;
		out[i++] = v[k];
	}
	out[i] = 0;
}

/*
 * params - the values of the N parameters NAME (NLEN bytes each) in V
 * (after the ";"s), each the first of its name, into OUT (OUTLEN bytes
 * each; "" when absent), in one pass over V
 */
static void
params(const char *v, size_t vlen, const char *const *name, const size_t *nlen,
       char *const *out, const size_t *outlen, size_t n)
{
	size_t	i = 0, j, k, left = n;
	unsigned found = 0;

	for (j = 0; j < n; j++)
		out[j][0] = 0;
	while (i < vlen && left > 0) {
		while (i < vlen && v[i] != ';')
			i += v[i] == '"' ? 1 + strcspn(v + i + 1, "\"") + 1 : 1;
		for (i++; i < vlen && (v[i] == ' ' || v[i] == '\t'); i++)
			;
		for (j = 0; j < n; j++) {
			if ((found & (1U << j)) || i + nlen[j] >= vlen
			    || strncasecmp(v + i, name[j], nlen[j]) != 0)
				continue;
			for (k = i + nlen[j]; k < vlen && v[k] == ' '; k++)
				;
			if (k >= vlen || v[k] != '=')
				continue;
			param_value(v, vlen, k, out[j], outlen[j]);
			found |= 1U << j;
			left--;
		}
	}
}

/* content_type - "type/subtype" and its parameters from the field value V */
static void
content_type(const char *v, size_t vlen, struct part *p)
{
	static const char *const name[CT_PARAMS] = {
		"boundary", "charset", "format", "delsp", "report-type"
	};
	static const size_t nlen[CT_PARAMS] = {8, 7, 6, 5, 11};
	char   *const out[CT_PARAMS] = {p->boundary, p->charset, p->format, p->delsp, p->report};
	const size_t outlen[CT_PARAMS] = {
		sizeof(p->boundary), sizeof(p->charset), sizeof(p->format), sizeof(p->delsp),
		sizeof(p->report)
	};
	size_t	n = strcspn(v, "; \t");

	if (n > vlen)
		n = vlen;
	if (n > 0 && n < sizeof(p->type) && memchr(v, '/', n) != NULL) {
		memcpy(p->type, v, n);
		p->type[n] = 0;
		lower(p->type);
	}
	params(v, vlen, name, nlen, out, outlen, CT_PARAMS);
}

/* part_field - one field of a part's header block */
static void
part_field(const char *name, size_t nlen, const char *v, size_t vlen, struct part *p)
{
	if (nlen == 12 && strncasecmp(name, "content-type", 12) == 0)
		content_type(v, vlen, p);
	else if (nlen == 25 && strncasecmp(name, "content-transfer-encoding", 25) == 0)
		p->enc = vlen >= 6 && strncasecmp(v, "base64", 6) == 0 ? ENC_BASE64
		    : vlen >= 16 && strncasecmp(v, "quoted-printable", 16) == 0 ? ENC_QP : ENC_IDENTITY;
	else if (nlen == 19 && strncasecmp(name, "content-disposition", 19) == 0)
		p->attachment = vlen >= 10 && strncasecmp(v, "attachment", 10) == 0;
}

/* content_field - whether the field name at NAME (NLEN) can be one part_field() reads */
static int
content_field(const char *name, size_t nlen)
{
	return ((nlen == 12 || nlen == 19 || nlen == 25) && strncasecmp(name, "content-", 8) == 0);
}

/*
 * part_value - the value V (VLEN bytes after the colon, continuation lines
 * included) unfolded into OUT (OUTLEN): line breaks dropped, a run of
 * blanks one space, none at either end; its length
 */
static size_t
part_value(const char *v, size_t vlen, char *out, size_t outlen)
{
	size_t	i, k = 0;

	for (i = 0; i < vlen; i++) {
		if ((unsigned char) v[i] > ' ') {
			if (k + 1 < outlen)	/* most bytes: neither a blank nor a line break */
				out[k++] = v[i];
			continue;
		}
		if (v[i] == '\r' || v[i] == '\n' || k + 1 >= outlen
		    || ((v[i] == ' ' || v[i] == '\t') && (k == 0 || out[k - 1] == ' ')))
			continue;
		out[k++] = v[i] == '\t' ? ' ' : v[i];
	}
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = 0;
	return (k);
}

/* part_header - the fields of the header block H (HLEN bytes), each value
 * unfolded into a bounded buffer */
static void
part_header(const char *h, size_t hlen, struct part *p)
{
	char	v[REPLY_HDR_VALUE_MAX];
	size_t	i = 0, n, j, k;

	while (i < hlen) {
		const char *nl = memchr(h + i, '\n', hlen - i);
		size_t	e = nl ? (size_t) (nl - h) : hlen;

		if ((n = field_name_len(h + i, e - i)) == 0) {
			i = e + 1;
			continue;
		}
		if (!content_field(h + i, n)) {
			/* not one of ours: skip it and its continuation lines */
			while (i < hlen && (nl = memchr(h + i, '\n', hlen - i)) != NULL
			       && (size_t) (nl - h) + 1 < hlen && (nl[1] == ' ' || nl[1] == '\t'))
				i = (size_t) (nl - h) + 1;
			i = nl ? (size_t) (nl - h) + 1 : hlen;
			continue;
		}
		for (j = i + n + 1; j < hlen; j++)
			if (h[j] == '\n' && (j + 1 >= hlen || (h[j + 1] != ' ' && h[j + 1] != '\t')))
				break;
		k = part_value(h + i + n + 1, j - (i + n + 1), v, sizeof(v));
		part_field(h + i, n, v, k, p);
		i = j + 1;
	}
}

/*
 * parse_headers - the top-level header block MSG (HLEN bytes): the fields
 * kept (store_header()), and in the same pass those of the message's own
 * part TOP (what part_header() reads of a part)
 */
static int
parse_headers(struct reply_mime *m, const char *msg, size_t hlen, struct part *top)
{
	char	v[REPLY_HDR_VALUE_MAX];
	size_t	i = 0;

	if (hlen > REPLY_HDR_BLOCK_MAX)
		hlen = REPLY_HDR_BLOCK_MAX;
	while (i < hlen) {
		const char *nl = memchr(msg + i, '\n', hlen - i);
		size_t	end = nl ? (size_t) (nl - msg) : hlen;
		size_t	nlen = field_name_len(msg + i, end - i);
		size_t	vstart, vend, vlen;

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
		if (content_field(msg + i, nlen)) {
			vlen = part_value(msg + vstart, vend - vstart, v, sizeof(v));
			part_field(msg + i, nlen, v, vlen, top);
		}
		i = vend < hlen ? vend + 1 : hlen;
	}
	return (0);
}

/*
 * next_delimiter - the next "--BOUNDARY" at the start of a line of B (LEN)
 * from I; its offset or LEN. memchr(3) looks for the "-": base64, the
 * bulk of large parts, has none.
 */
static size_t
next_delimiter(const char *b, size_t len, size_t i, const char *bd, size_t bl)
{
	const char *p;

	while (i < len && (p = memchr(b + i, '-', len - i)) != NULL) {
		i = (size_t) (p - b);
		if ((i == 0 || b[i - 1] == '\n') && i + 2 + bl <= len && b[i + 1] == '-'
		    && memcmp(b + i + 2, bd, bl) == 0)
			return (i);
		i++;
	}
	return (len);
}

static int walk(struct reply_mime *, struct part *, size_t);

/* child - the part in B (LEN bytes) of a multipart: its header, then walk it */
static int
child(struct reply_mime *m, const char *b, size_t len, const char *deftype, size_t depth)
{
	struct part c;
	size_t	h, body, dl = strlen(deftype);

	memset(&c, 0, sizeof(c));
	memcpy(c.type, deftype, dl < sizeof(c.type) ? dl : sizeof(c.type) - 1);
	h = header_block_len(b, len, &body);
	part_header(b, h, &c);
	c.body = b + body;
	c.blen = len - body;
	return (walk(m, &c, depth));
}

/* multipart - each part between the delimiters of P's boundary */
static int
multipart(struct reply_mime *m, const struct part *p, size_t depth)
{
	const char *b = p->body;
	size_t	len = p->blen, bl = strlen(p->boundary), i, s, e;
	const char *def = strcmp(p->type, "multipart/digest") == 0 ? "message/rfc822" : "text/plain";

	if (bl == 0)
		return (0);
	i = next_delimiter(b, len, 0, p->boundary, bl);
	while (i < len && m->parts < m->lim->max_parts) {
		if (i + 4 + bl <= len && b[i + 2 + bl] == '-' && b[i + 3 + bl] == '-')
			return (0);		/* the closing delimiter */
		s = i + 2 + bl;
		while (s < len && b[s] != '\n')
			s++;			/* transport padding */
		s += s < len;
		e = next_delimiter(b, len, s, p->boundary, bl);
		i = e;
		/* the line break before a delimiter belongs to it */
		if (e > s && b[e - 1] == '\n')
			e--;
		if (e > s && b[e - 1] == '\r')
			e--;
		if (child(m, b + s, e > s ? e - s : 0, def, depth + 1) < 0)
			return (-1);
	}
	m->limited |= i < len;
	return (0);
}

/* transfer - the body of part P without its transfer encoding, into OUT,
 * within the remaining budget; its charset is left as it is */
static int
transfer(struct reply_mime *m, const struct part *p, struct strbuf *out)
{
	size_t	left = m->lim->max_decoded > m->decoded ? m->lim->max_decoded - m->decoded : 0;
	size_t	inlen = p->blen, before = out->len;
	int	r, cut = 0;

	if (left == 0) {
		m->limited = 1;
		return (0);
	}
	if (p->enc == ENC_IDENTITY || inlen == 0) {
		inlen = inlen > left ? left : inlen;
		m->decoded += inlen;
		return (strbuf_add(out, p->body, inlen));
	}
	/* 3 encoded bytes per decoded byte covers QP "=XX" and base64 */
	if (inlen / 3 > left) {
		inlen = left * 3;
		m->limited = 1;
	}
	r = p->enc == ENC_BASE64 ? reply_xfer_base64(p->body, inlen, left, out, &cut)
	    : reply_xfer_qp(p->body, inlen, left, out, &cut);
	m->limited |= cut;
	m->decoded += out->len - before;
	return (r);
}

/* keep_plain - the text/plain part P: its parameters now, its bytes when
 * asked (reply_mime_plain()) */
static int
keep_plain(struct reply_mime *m, const struct part *p)
{
	m->have_plain = 1;
	m->plain_flowed = strcasecmp(p->format, "flowed") == 0;
	m->plain_delsp = strcasecmp(p->delsp, "yes") == 0;
	if (p->charset[0] && (m->plain_charset = strdup(p->charset)) == NULL)
		return (-1);
	if ((m->plain_part = malloc(sizeof(*p))) == NULL)
		return (-1);
	memcpy(m->plain_part, p, sizeof(*p));
	return (0);
}

int
reply_mime_plain(struct reply_mime *m)
{
	int	r;

	if (m->plain_part == NULL)
		return (0);
	r = transfer(m, m->plain_part, &m->plain);
	free(m->plain_part);
	m->plain_part = NULL;
	return (r);
}

/* keep_dsn - the delivery-status part P, in clean UTF-8 */
static int
keep_dsn(struct reply_mime *m, const struct part *p)
{
	struct strbuf raw;
	int	r;

	m->have_dsn = 1;
	strbuf_init(&raw);
	if ((r = transfer(m, p, &raw)) == 0)
		r = reply_utf8_clean(raw.data ? raw.data : "", raw.len, &m->dsn);
	strbuf_free(&raw);
	return (r);
}

int
reply_mime_html(struct reply_mime *m, struct strbuf *out)
{
	struct reply_text_src src = {NULL, 0, 0, 0};
	struct strbuf raw;
	int	r;

	if (m->html == NULL)
		return (0);
	/* the decoding budget is spent in the order of the parts */
	if (reply_mime_plain(m) < 0)
		return (-1);
	strbuf_init(&raw);
	src.charset = m->html->charset[0] ? m->html->charset : NULL;
	r = transfer(m, m->html, &raw);
	if (r == 0)
		r = reply_text_canon(raw.data ? raw.data : "", raw.len, &src, out);
	strbuf_free(&raw);
	free(m->html);
	m->html = NULL;
	return (r);
}

/* walk - part P at DEPTH: keep the parts the analysis reads */
static int
walk(struct reply_mime *m, struct part *p, size_t depth)
{
	if (depth > m->lim->max_depth || m->parts >= m->lim->max_parts) {
		m->limited = 1;
		return (0);
	}
	m->parts++;
	if (strncmp(p->type, "multipart/", 10) == 0) {
		if (strcmp(p->type, "multipart/report") == 0 && (strcasecmp(p->report, "delivery-status") == 0
			   || strcasecmp(p->report, "global-delivery-status") == 0))
			m->report_dsn = 1;
		return (multipart(m, p, depth));
	}
	if (strcmp(p->type, "message/delivery-status") == 0 || strcmp(p->type, "message/global-delivery-status") == 0)
		return (m->have_dsn ? 0 : reply_mime_plain(m) < 0 ? -1 : keep_dsn(m, p));
	/* forwarded or returned messages (message/rfc822) are never read */
	if (p->attachment || strncmp(p->type, "message/", 8) == 0)
		return (0);
	if (strcmp(p->type, "text/plain") == 0 && !m->have_plain)
		return (keep_plain(m, p));
	/* the HTML is decoded later, only if the text part has no new text */
	if (strcmp(p->type, "text/html") == 0 && !m->have_html) {
		if ((m->html = malloc(sizeof(*p))) == NULL)
			return (-1);
		memcpy(m->html, p, sizeof(*p));
		m->have_html = 1;
	}
	return (0);
}

int
reply_mime_parse(struct reply_mime *m, const char *msg, size_t len,
		 const struct reply_mime_limits *lim)
{
	struct part top;
	size_t	hlen, body;

	(void) pthread_once(&field_name_once, field_name_init);
	memset(m, 0, sizeof(*m));
	strbuf_init(&m->plain);
	strbuf_init(&m->dsn);
	m->lim = lim;
	hlen = header_block_len(msg, len, &body);
	memset(&top, 0, sizeof(top));
	snprintf(top.type, sizeof(top.type), "text/plain");
	if (parse_headers(m, msg, hlen, &top) < 0)
		return (-1);
	top.body = msg + body;
	top.blen = len - body;
	if (walk(m, &top, 0) < 0)
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
	free(m->html);
	m->html = NULL;
	free(m->plain_part);
	m->plain_part = NULL;
}
