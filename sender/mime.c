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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>
#include <openssl/evp.h>

#include "hdr.h"
#include "mime.h"
#include "strbuf.h"

#define MIME_B64_LINE	76	/* RFC 2045: encoded lines of at most 76 characters */
#define MIME_B64_IN	57	/* input bytes per encoded line */

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

/* Text as CRLF lines ending with CRLF. Caller frees. */
static char *
crlf_text(const char *s, size_t *len)
{
	struct strbuf b;
	const char *p = s;
	size_t	n;

	strbuf_init(&b);
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

/*
 * The base64 body of TEXT (LEN bytes): lines of MIME_B64_LINE characters
 * ending in CRLF. Encoded here with OpenSSL and handed to libetpan as
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
	o = out;
	for (i = 0; i < len; i += n) {
		n = len - i < MIME_B64_IN ? len - i : MIME_B64_IN;
		o += EVP_EncodeBlock((unsigned char *) o, (const unsigned char *) text + i, (int) n);
		*o++ = '\r';
		*o++ = '\n';
	}
	*o = 0;
	*outlen = (size_t) (o - out);
	return (out);
}

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

int
mime_build(const struct mime_msg *m, char **out, size_t *outlen, char *err, size_t errlen)
{
	struct mailimf_fields *fields = NULL;
	struct mailimf_mailbox_list *from = NULL;
	struct mailimf_address_list *to = NULL;
	struct mailimf_date_time *date = NULL;
	struct mailmime *msg = NULL, *alt = NULL, *part = NULL;
	char   *subject = NULL, *from_name = NULL, *to_name = NULL, *mid = NULL;
	char   *from_addr = NULL, *to_addr = NULL;
	char   *text = NULL, *html = NULL, *crlf = NULL;
	size_t	tlen = 0, hlen = 0, clen = 0, i;
	MMAPString *s = NULL;
	int	col = 0, ret = -1;

	*out = NULL;
	if (!hdr_address_valid(m->from_addr)) {
		snprintf(err, errlen, "invalid From address");
		goto fail;
	}
	if (!hdr_address_valid(m->to_addr)) {
		snprintf(err, errlen, "invalid To address");
		goto fail;
	}
	if (!mime_id_valid(m->message_id)) {
		snprintf(err, errlen, "invalid Message-ID");
		goto fail;
	}
	if (m->from_name != NULL && *m->from_name != 0
	    && (from_name = hdr_phrase(m->from_name)) == NULL) {
		snprintf(err, errlen, "sender name has CR, LF, NUL or other control characters");
		goto fail;
	}
	if (m->to_name != NULL && *m->to_name != 0 && (to_name = hdr_phrase(m->to_name)) == NULL) {
		snprintf(err, errlen, "recipient name has CR, LF, NUL or other control characters");
		goto fail;
	}
	if ((subject = hdr_encode_words(m->subject_label, m->subject)) == NULL) {
		snprintf(err, errlen, "subject has CR, LF, NUL, control characters or is too long");
		goto fail;
	}
	if (m->nextra > MIME_EXTRA_MAX) {
		snprintf(err, errlen, "too many extra headers");
		goto fail;
	}
	for (i = 0; i < m->nextra; i++)
		if (!ascii_value(m->extra[i].name) || !ascii_value(m->extra[i].value)
		    || strchr(m->extra[i].name, ':') || strchr(m->extra[i].name, ' ')) {
			snprintf(err, errlen, "invalid %s header", m->extra[i].name);
			goto fail;
		}
	if ((crlf = crlf_text(m->text, &clen)) == NULL
	    || (text = base64_body(crlf, clen, &tlen)) == NULL)
		goto nomem;
	free(crlf);
	crlf = NULL;
	if (m->html != NULL && ((crlf = crlf_text(m->html, &clen)) == NULL
				|| (html = base64_body(crlf, clen, &hlen)) == NULL))
		goto nomem;

	if ((from_addr = strdup(m->from_addr)) == NULL || (to_addr = strdup(m->to_addr)) == NULL
	    || (mid = strdup(m->message_id)) == NULL)
		goto nomem;
	if ((from = mailimf_mailbox_list_new_empty()) == NULL
	    || mailimf_mailbox_list_add_mb(from, from_name, from_addr) != MAILIMF_NO_ERROR)
		goto nomem;
	from_name = from_addr = NULL;
	if ((to = mailimf_address_list_new_empty()) == NULL
	    || mailimf_address_list_add_mb(to, to_name, to_addr) != MAILIMF_NO_ERROR)
		goto nomem;
	to_name = to_addr = NULL;
	if ((date = mailimf_get_date(m->date)) == NULL)
		goto nomem;
	fields = mailimf_fields_new_with_data_all(date, from, NULL, NULL, to, NULL, NULL,
						  mid, NULL, NULL, subject);
	if (fields == NULL)
		goto nomem;
	date = NULL;
	from = NULL;
	to = NULL;
	mid = subject = NULL;
	for (i = 0; i < m->nextra; i++)
		if (add_custom(fields, m->extra[i].name, m->extra[i].value) < 0)
			goto nomem;

	if ((msg = mailmime_new_message_data(NULL)) == NULL)
		goto nomem;
	mailmime_set_imf_fields(msg, fields);
	fields = NULL;
	if (html != NULL) {
		if ((alt = mailmime_multiple_new("multipart/alternative")) == NULL)
			goto nomem;
		if ((part = text_part("plain", text, tlen)) == NULL
		    || mailmime_smart_add_part(alt, part) != MAILIMF_NO_ERROR)
			goto nomem;
		part = NULL;
		if ((part = text_part("html", html, hlen)) == NULL
		    || mailmime_smart_add_part(alt, part) != MAILIMF_NO_ERROR)
			goto nomem;
		part = NULL;
		if (mailmime_smart_add_part(msg, alt) != MAILIMF_NO_ERROR)
			goto nomem;
		alt = NULL;
	} else {
		if ((part = text_part("plain", text, tlen)) == NULL
		    || mailmime_smart_add_part(msg, part) != MAILIMF_NO_ERROR)
			goto nomem;
		part = NULL;
	}
	if ((s = mmap_string_new("")) == NULL)
		goto nomem;
	if (mailmime_write_mem(s, &col, msg) != MAILIMF_NO_ERROR)
		goto nomem;
	if ((*out = malloc(s->len + 1)) == NULL)
		goto nomem;
	memcpy(*out, s->str, s->len + 1);
	*outlen = s->len;
	ret = 0;
	goto done;

nomem:
	snprintf(err, errlen, "out of memory building the message");
fail:
done:
	if (s)
		mmap_string_free(s);
	if (part)
		mailmime_free(part);
	if (alt)
		mailmime_free(alt);
	if (msg)
		mailmime_free(msg);
	if (fields)
		mailimf_fields_free(fields);
	if (from)
		mailimf_mailbox_list_free(from);
	if (to)
		mailimf_address_list_free(to);
	if (date)
		mailimf_date_time_free(date);
	free(subject);
	free(from_name);
	free(to_name);
	free(from_addr);
	free(to_addr);
	free(mid);
	free(crlf);
	free(text);
	free(html);
	return (ret);
}
