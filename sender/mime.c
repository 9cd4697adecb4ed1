/*
 * NAME
 *	mime 3
 * SUMMARY
 *	build one RFC 5322 / MIME message with libetpan
 * SYNOPSIS
 *	#include "mime.h"
 * DESCRIPTION
 *	libetpan builds the structure (mailimf_fields, mailmime parts) and
 *	writes it: base64 bodies, boundaries, folding at spaces. We give it
 *	only values that are already safe: RFC 2047 encoded words made by
 *	hdr.c, addresses checked by hdr_address_valid().
 * DIAGNOSTICS
 *	-1 with a message in ERR.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "hdr.h"
#include "mime.h"
#include "mime_int.h"
#include "strbuf.h"

#define MIME_B64_LINE	76	/* RFC 2045: encoded lines of at most 76 characters */
#define MIME_B64_IN	57	/* input bytes per encoded line */
#define MIME_B64_PAIRS	4096	/* two base64 characters: 12 bits */
#define MIME_CRLF_RESERVE 16	/* crlf_text() reserves a byte per this many */
#define MIME_HOUR_SECS	3600
#define MIME_MINUTE_SECS 60
#define MIME_ZONE_HOUR	100	/* a zone +hhmm as a number: hours times 100 */
#define MIME_TM_YEAR0	1900	/* struct tm counts years from 1900 */

/* mime_id_valid - whether ID is a valid dot-atom Message-ID without brackets */
int
mime_id_valid(const char *id)
{
	const char *at = NULL, *p;
	size_t	len = strlen(id);

	if (len == 0 || len > MIME_ID_MAX)
		return (0);
	for (p = id; *p; p++) {
		unsigned char c = (unsigned char) *p;

		if (c == '@') {
			if (at != NULL)
				return (0);
			at = p;
			continue;
		}
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		      || c == '.' || c == '-' || c == '_' || c == '+'))
			return (0);
	}
	return (at != NULL && at != id && at[1] != 0);
}

/* mime_ref_valid - whether ID (no brackets) is a Message-ID we may refer to */
int
mime_ref_valid(const char *id)
{
	const char *at = strrchr(id, '@'), *p;
	size_t	len = strlen(id);

	if (len == 0 || len > MIME_ID_MAX || at == NULL || at == id || at[1] == 0)
		return (0);
	for (p = id; *p; p++) {
		unsigned char c = (unsigned char) *p;

		if (c <= 0x20 || c >= 0x7f)
			return (0);
		if (p == at || (p > at && (c == '[' || c == ']')))
			continue;
		if (!(c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
		      || (c >= 'A' && c <= 'Z') || strchr("!#$%&'*+-/=?^_`{|}~", c)))
			return (0);
	}
	return (1);
}

/* mime_refs_valid - whether REFS is "<id> <id> ..." of Message-IDs we may refer to */
int
mime_refs_valid(const char *refs)
{
	char	id[MIME_ID_MAX + 1];
	const char *p = refs, *gt;

	if (*refs == 0 || strlen(refs) > MIME_REFS_MAX)
		return (0);
	for (;;) {
		if (*p != '<' || (gt = strchr(p, '>')) == NULL || (size_t) (gt - p - 1) > MIME_ID_MAX)
			return (0);
		memcpy(id, p + 1, (size_t) (gt - p - 1));
		id[gt - p - 1] = 0;
		if (!mime_ref_valid(id))
			return (0);
		if (gt[1] == 0)
			return (1);
		if (gt[1] != ' ')
			return (0);
		p = gt + 2;
	}
}

/* crlf_text - S as CRLF lines ending with CRLF; the caller frees it */
static char *
crlf_text(const char *s, size_t *len)
{
	struct strbuf b;
	const char *p = s;
	size_t	n;

	strbuf_init(&b);
	/* Room for a CR every MIME_CRLF_RESERVE bytes: one allocation mostly. */
	if (strbuf_reserve(&b, strlen(s) + strlen(s) / MIME_CRLF_RESERVE + 2) < 0)
		goto fail;
	/* Whole runs between line ends, not one call per byte. */
	while (*p) {
		n = strcspn(p, "\r\n");
		if (n > 0 && strbuf_add(&b, p, n) < 0)
			goto fail;
		p += n;
		if (*p == '\r')
			p++;
		else if (*p == '\n') {
			if (strbuf_add(&b, "\r\n", 2) < 0)
				goto fail;
			p++;
		}
	}
	if (b.len < 2 || memcmp(b.data + b.len - 2, "\r\n", 2) != 0)
		if (strbuf_add(&b, "\r\n", 2) < 0)
			goto fail;
	*len = b.len;
	return (strbuf_steal(&b));
fail:
	strbuf_free(&b);
	return (NULL);
}

/* The base64 alphabet (RFC 4648), and each pair of its characters for 12 bits. */
static const char b64_alpha[] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static char b64_pairs[MIME_B64_PAIRS][2];
static pthread_once_t b64_once = PTHREAD_ONCE_INIT;

/* b64_pairs_make - fill b64_pairs (once per process) */
static void
b64_pairs_make(void)
{
	size_t	i;

	for (i = 0; i < MIME_B64_PAIRS; i++) {
		b64_pairs[i][0] = b64_alpha[i >> 6];
		b64_pairs[i][1] = b64_alpha[i & 63];
	}
}

/*
 * b64_chunk - IN (N bytes) as "="-padded base64 at O, without a NUL;
 * returns the characters written. The characters of EVP_EncodeBlock(),
 * two at a time from a table of pairs: about half its instructions.
 */
static size_t
b64_chunk(char *o, const unsigned char *in, size_t n)
{
	char   *start = o;
	unsigned long v;

	for (; n >= 3; n -= 3, in += 3, o += 4) {
		v = (unsigned long) in[0] << 16 | (unsigned long) in[1] << 8 | in[2];
		memcpy(o, b64_pairs[v >> 12], 2);
		memcpy(o + 2, b64_pairs[v & (MIME_B64_PAIRS - 1)], 2);
	}
	if (n > 0) {
		v = (unsigned long) in[0] << 16 | (n > 1 ? (unsigned long) in[1] << 8 : 0);
		*o++ = b64_alpha[v >> 18];
		*o++ = b64_alpha[(v >> 12) & 63];
		*o++ = n > 1 ? b64_alpha[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	return ((size_t) (o - start));
}

/*
 * base64_body - the base64 body of TEXT in lines of 76 characters; the caller frees it.
 *
 * The base64 body of TEXT (LEN bytes): lines of MIME_B64_LINE characters
 * ending in CRLF. Encoded here (b64_chunk()) and handed to libetpan as
 * already encoded: libetpan's own encoder writes each line through its
 * generic folding writer and cost more than a third of a message's CPU.
 * Caller frees.
 */
static char *
base64_body(const char *text, size_t len, size_t *outlen)
{
	size_t	lines = (len + MIME_B64_IN - 1) / MIME_B64_IN, i, n;
	char   *out, *o;

	if (lines > (STRBUF_MAX / (MIME_B64_LINE + 2)))
		return (NULL);
	if ((out = malloc(lines * (MIME_B64_LINE + 2) + 1)) == NULL)
		return (NULL);
	pthread_once(&b64_once, b64_pairs_make);
	o = out;
	for (i = 0; i < len; i += n) {
		n = len - i < MIME_B64_IN ? len - i : MIME_B64_IN;
		o += b64_chunk(o, (const unsigned char *) text + i, n);
		*o++ = '\r';
		*o++ = '\n';
	}
	*o = 0;
	*outlen = (size_t) (o - out);
	return (out);
}

/* text_part - a text/SUBTYPE part of already encoded BODY (kept by pointer) */
static struct mailmime *
text_part(const char *subtype, const char *body, size_t len)
{
	struct mailmime_fields *mf = NULL;
	struct mailmime_content *ct = NULL;
	struct mailmime_parameter *param = NULL;
	struct mailmime *part = NULL;
	struct mailmime_data *data;
	char   *type = NULL;

	if ((type = malloc(strlen(subtype) + 6)) == NULL)
		goto fail;
	sprintf(type, "text/%s", subtype);
	if ((mf = mailmime_fields_new_encoding(MAILMIME_MECHANISM_BASE64)) == NULL
	    || (ct = mailmime_content_new_with_str(type)) == NULL)
		goto fail;
	/* mailmime_param_new_with_data() copies its arguments. */
	{
		char	cs_name[] = "charset", cs_value[] = "UTF-8";

		if ((param = mailmime_param_new_with_data(cs_name, cs_value)) == NULL)
			goto fail;
	}
	if (clist_append(ct->ct_parameters, param) < 0)
		goto fail;
	param = NULL;
	if ((part = mailmime_new_empty(ct, mf)) == NULL)
		goto fail;
	ct = NULL;
	mf = NULL;
	/* BODY is already base64; libetpan keeps a pointer to it: it must
	 * outlive the write. */
	if ((data = mailmime_data_new(MAILMIME_DATA_TEXT, MAILMIME_MECHANISM_BASE64, 1,
				      body, len, NULL)) == NULL)
		goto fail;
	part->mm_data.mm_single = data;
	free(type);
	return (part);
fail:
	free(type);
	if (param)
		mailmime_parameter_free(param);
	if (ct)
		mailmime_content_free(ct);
	if (mf)
		mailmime_fields_free(mf);
	if (part)
		mailmime_free(part);
	return (NULL);
}

/* add_custom - add header NAME: VALUE to F */
static int
add_custom(struct mailimf_fields *f, const char *name, const char *value)
{
	char   *n = strdup(name), *v = strdup(value);
	struct mailimf_field *fld = NULL;

	if (n == NULL || v == NULL || (fld = mailimf_field_new_custom(n, v)) == NULL) {
		free(n);
		free(v);
		return (-1);
	}
	if (mailimf_fields_add(f, fld) != MAILIMF_NO_ERROR) {
		mailimf_field_free(fld);
		return (-1);
	}
	return (0);
}

/* ascii_value - whether S is safe ASCII header text */
static int
ascii_value(const char *s)
{
	if (!hdr_value_safe(s))
		return (0);
	for (; *s; s++)
		if ((unsigned char) *s >= 0x80)
			return (0);
	return (1);
}

/* mime_parts_free - free what P still owns */
void
mime_parts_free(struct mime_parts *p)
{
	free(p->subject);
	free(p->from_name);
	free(p->to_name);
	free(p->text);
	free(p->html);
	memset(p, 0, sizeof(*p));
}

/* mime_check - every value of M that reaches a header; -1 with ERR */
int
mime_check(const struct mime_msg *m, char *err, size_t errlen)
{
	size_t	i;

	if (!hdr_address_valid(m->from_addr)) {
		snprintf(err, errlen, "invalid From address");
		return (-1);
	}
	if (!hdr_address_valid(m->to_addr)) {
		snprintf(err, errlen, "invalid To address");
		return (-1);
	}
	if (!mime_id_valid(m->message_id)) {
		snprintf(err, errlen, "invalid Message-ID");
		return (-1);
	}
	if (m->nextra > MIME_EXTRA_MAX) {
		snprintf(err, errlen, "too many extra headers");
		return (-1);
	}
	for (i = 0; i < m->nextra; i++)
		if (!ascii_value(m->extra[i].name) || !ascii_value(m->extra[i].value)
		    || strchr(m->extra[i].name, ':') || strchr(m->extra[i].name, ' ')) {
			snprintf(err, errlen, "invalid %s header", m->extra[i].name);
			return (-1);
		}
	return (0);
}

/* mime_encode_body - TEXT as a base64 body of CRLF lines; NULL when out of memory */
char *
mime_encode_body(const char *text, size_t *len)
{
	char   *crlf, *out;
	size_t	clen;

	if ((crlf = crlf_text(text, &clen)) == NULL)
		return (NULL);
	out = base64_body(crlf, clen, len);
	free(crlf);
	return (out);
}

/*
 * mime_encode - the encoded header values of the fields in MASK
 * (MIME_F_*) and, with MIME_F_BODIES, the base64 bodies of M into P;
 * -1 with ERR.
 */
int
mime_encode(const struct mime_msg *m, unsigned mask, struct mime_parts *p, char *err,
	    size_t errlen)
{
	memset(p, 0, sizeof(*p));
	if ((mask & MIME_F_FROM) && m->from_name != NULL && *m->from_name != 0
	    && (p->from_name = hdr_phrase(m->from_name)) == NULL) {
		snprintf(err, errlen, "sender name has CR, LF, NUL or other control characters");
		return (-1);
	}
	if ((mask & MIME_F_TO) && m->to_name != NULL && *m->to_name != 0
	    && (p->to_name = hdr_phrase(m->to_name)) == NULL) {
		snprintf(err, errlen, "recipient name has CR, LF, NUL or other control characters");
		return (-1);
	}
	if ((mask & MIME_F_SUBJECT)
	    && (p->subject = hdr_encode_words(m->subject_label, m->subject)) == NULL) {
		snprintf(err, errlen, "subject has CR, LF, NUL, control characters or is too long");
		return (-1);
	}
	if (!(mask & MIME_F_BODIES))
		return (0);
	if ((p->text = mime_encode_body(m->text, &p->tlen)) == NULL
	    || (m->html != NULL && (p->html = mime_encode_body(m->html, &p->hlen)) == NULL)) {
		snprintf(err, errlen, "out of memory building the message");
		return (-1);
	}
	return (0);
}

/*
 * mime_date - the Date field's value of T in local time; NULL when out
 * of memory or T has no local time (mailimf_date_time_free()).
 *
 * What mailimf_get_date() gives for a zone of whole hours, at a
 * thirtieth of its cost: libetpan computes the offset with two
 * mail_mkgmtime() calls, each a binary search of about 40 gmtime()
 * calls, once per message (the Date changes every second). The offset
 * here is the zone's own (tm_gmtoff) as +hhmm, so a zone of half
 * hours is +0530 where libetpan writes +0550 (hours times 100 in
 * decimal).
 */
struct mailimf_date_time *
mime_date(time_t t)
{
	struct tm lt;
	long	off, hhmm;

	if (localtime_r(&t, &lt) == NULL)
		return (NULL);
	off = lt.tm_gmtoff < 0 ? -lt.tm_gmtoff : lt.tm_gmtoff;
	hhmm = off / MIME_HOUR_SECS * MIME_ZONE_HOUR + off % MIME_HOUR_SECS / MIME_MINUTE_SECS;
	return (mailimf_date_time_new(lt.tm_mday, lt.tm_mon + 1, lt.tm_year + MIME_TM_YEAR0,
				      lt.tm_hour, lt.tm_min, lt.tm_sec,
				      (int) (lt.tm_gmtoff < 0 ? -hhmm : hhmm)));
}

/* mailbox_list - a From list of one mailbox; takes NAME (may be NULL) */
static struct mailimf_mailbox_list *
mailbox_list(char **name, const char *addr)
{
	struct mailimf_mailbox_list *l;
	char   *a;

	if ((a = strdup(addr)) == NULL || (l = mailimf_mailbox_list_new_empty()) == NULL) {
		free(a);
		return (NULL);
	}
	/* Whether libetpan freed NAME and A when it failed is not said:
	 * leak them rather than risk freeing them twice. */
	if (mailimf_mailbox_list_add_mb(l, *name, a) != MAILIMF_NO_ERROR) {
		*name = NULL;
		mailimf_mailbox_list_free(l);
		return (NULL);
	}
	*name = NULL;
	return (l);
}

/* address_list - a To list of one mailbox; takes NAME (may be NULL) */
static struct mailimf_address_list *
address_list(char **name, const char *addr)
{
	struct mailimf_address_list *l;
	char   *a;

	if ((a = strdup(addr)) == NULL || (l = mailimf_address_list_new_empty()) == NULL) {
		free(a);
		return (NULL);
	}
	/* Whether libetpan freed NAME and A when it failed is not said:
	 * leak them rather than risk freeing them twice. */
	if (mailimf_address_list_add_mb(l, *name, a) != MAILIMF_NO_ERROR) {
		*name = NULL;
		mailimf_address_list_free(l);
		return (NULL);
	}
	*name = NULL;
	return (l);
}

/*
 * mime_header_fields - the header fields of M in MASK (MIME_F_*), in
 * their order; takes P's encoded values; NULL when out of memory.
 */
struct mailimf_fields *
mime_header_fields(const struct mime_msg *m, unsigned mask, struct mime_parts *p)
{
	struct mailimf_fields *f = NULL;
	struct mailimf_mailbox_list *from = NULL;
	struct mailimf_address_list *to = NULL;
	struct mailimf_date_time *date = NULL;
	char   *mid = NULL, *subject = NULL;
	size_t	i;

	if (((mask & MIME_F_FROM) && (from = mailbox_list(&p->from_name, m->from_addr)) == NULL)
	    || ((mask & MIME_F_TO) && (to = address_list(&p->to_name, m->to_addr)) == NULL)
	    || ((mask & MIME_F_MID) && (mid = strdup(m->message_id)) == NULL)
	    || ((mask & MIME_F_DATE) && (date = mime_date(m->date)) == NULL))
		goto fail;
	if (mask & MIME_F_SUBJECT)
		subject = p->subject;
	if ((f = mailimf_fields_new_with_data_all(date, from, NULL, NULL, to, NULL, NULL, mid, NULL,
						  NULL, subject)) == NULL)
		goto fail;
	if (mask & MIME_F_SUBJECT)
		p->subject = NULL;
	for (i = 0; i < m->nextra; i++)
		if ((mask & MIME_F_EXTRA(i))
		    && add_custom(f, m->extra[i].name, m->extra[i].value) < 0) {
			mailimf_fields_free(f);
			return (NULL);
		}
	return (f);
fail:
	if (from)
		mailimf_mailbox_list_free(from);
	if (to)
		mailimf_address_list_free(to);
	if (date)
		mailimf_date_time_free(date);
	free(mid);
	return (NULL);
}

/* add_part - add a text/SUBTYPE part of BODY to PARENT; -1 when out of memory */
static int
add_part(struct mailmime *parent, const char *subtype, const char *body, size_t len)
{
	struct mailmime *part;

	if ((part = text_part(subtype, body, len)) == NULL)
		return (-1);
	if (mailmime_smart_add_part(parent, part) != MAILIMF_NO_ERROR) {
		mailmime_free(part);
		return (-1);
	}
	return (0);
}

/* body_tree - the message with its body: text, or text and HTML alternatives */
static int
body_tree(struct mailmime *msg, const struct mime_parts *p)
{
	struct mailmime *alt;

	if (p->html == NULL)
		return (add_part(msg, "plain", p->text, p->tlen));
	if ((alt = mailmime_multiple_new("multipart/alternative")) == NULL)
		return (-1);
	if (add_part(alt, "plain", p->text, p->tlen) < 0
	    || add_part(alt, "html", p->html, p->hlen) < 0
	    || mailmime_smart_add_part(msg, alt) != MAILIMF_NO_ERROR) {
		mailmime_free(alt);
		return (-1);
	}
	return (0);
}

/* write_msg - MSG as text into *OUT (*OUTLEN bytes); -1 when out of memory */
static int
write_msg(struct mailmime *msg, char **out, size_t *outlen)
{
	MMAPString *s;
	int	col = 0, ret = -1;

	if ((s = mmap_string_new("")) == NULL)
		return (-1);
	if (mailmime_write_mem(s, &col, msg) == MAILIMF_NO_ERROR
	    && (*out = malloc(s->len + 1)) != NULL) {
		memcpy(*out, s->str, s->len + 1);
		*outlen = s->len;
		ret = 0;
	}
	mmap_string_free(s);
	return (ret);
}

/* mime_build - the message M as CRLF text; see mime.h */
int
mime_build(const struct mime_msg *m, char **out, size_t *outlen, char *err, size_t errlen)
{
	struct mime_parts p;
	struct mailimf_fields *fields = NULL;
	struct mailmime *msg = NULL;
	int	ret = -1;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	if (mime_check(m, err, errlen) < 0 || mime_encode(m, MIME_F_ALL, &p, err, errlen) < 0)
		goto done;
	if ((fields = mime_header_fields(m, MIME_F_ALL, &p)) == NULL
	    || (msg = mailmime_new_message_data(NULL)) == NULL)
		goto nomem;
	mailmime_set_imf_fields(msg, fields);
	fields = NULL;
	/* libetpan keeps pointers to the base64 bodies: they outlive the write. */
	if (body_tree(msg, &p) < 0 || write_msg(msg, out, outlen) < 0)
		goto nomem;
	ret = 0;
	goto done;
nomem:
	snprintf(err, errlen, "out of memory building the message");
done:
	if (msg)
		mailmime_free(msg);
	if (fields)
		mailimf_fields_free(fields);
	mime_parts_free(&p);
	return (ret);
}
