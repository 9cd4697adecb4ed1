/*
 * NAME
 *	milter_dsn 3
 * SUMMARY
 *	links-milter delivery status notifications
 * SYNOPSIS
 *	#include "milter_dsn.h"
 * DESCRIPTION
 *	See milter_dsn.h. A small scanner, not a MIME library: a report is
 *	one level of parts between boundary lines, and the two parts read
 *	are header-like text. Lines are unfolded into a bounded buffer;
 *	everything longer is cut, never overrun.
 * DIAGNOSTICS
 *	None: malformed input gives fewer results.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "milter_dsn.h"

/* One view of a span of the message. */
struct mdsn_span {
	const char *p;
	const char *end;
};

/* mdsn_line - the next physical line of S (CR LF or LF), without its end */
static int
mdsn_line(struct mdsn_span *s, struct mdsn_span *line)
{
	const char *nl;

	if (s->p >= s->end)
		return (0);
	nl = memchr(s->p, '\n', (size_t) (s->end - s->p));
	line->p = s->p;
	line->end = nl ? nl : s->end;
	s->p = nl ? nl + 1 : s->end;
	if (line->end > line->p && line->end[-1] == '\r')
		line->end--;
	return (1);
}

/*
 * mdsn_field - the next unfolded header field of the block S into BUF
 * (cut at BUFLEN - 1). Returns 1 with a field, 0 at the blank line
 * that ends the block or at its end.
 */
static int
mdsn_field(struct mdsn_span *s, char *buf, size_t buflen)
{
	struct mdsn_span line;
	size_t	n = 0;

	if (!mdsn_line(s, &line) || line.p == line.end)
		return (0);
	for (;;) {
		for (const char *c = line.p; c < line.end && n + 1 < buflen; c++)
			buf[n++] = *c == '\t' ? ' ' : *c;
		if (s->p >= s->end || (*s->p != ' ' && *s->p != '\t'))
			break;
		if (!mdsn_line(s, &line))
			break;
	}
	buf[n] = 0;
	return (1);
}

/* mdsn_value - the value of field F if its name is NAME, else NULL */
static const char *
mdsn_value(const char *f, const char *name)
{
	size_t	n = strlen(name);

	if (strncasecmp(f, name, n) != 0 || f[n] != ':')
		return (NULL);
	f += n + 1;
	while (*f == ' ')
		f++;
	return (f);
}

/* mdsn_param - parameter NAME of a Content-Type value V into OUT; 0 or -1 */
static int
mdsn_param(const char *v, const char *name, char *out, size_t outlen)
{
	size_t	nl = strlen(name), n = 0;
	const char *p = v;

	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ')
			p++;
		if (strncasecmp(p, name, nl) != 0 || p[nl] != '=')
			continue;
		p += nl + 1;
		if (*p == '"') {
			for (p++; *p && *p != '"' && n + 1 < outlen; p++)
				out[n++] = *p;
		} else {
			for (; *p && *p != ';' && *p != ' ' && n + 1 < outlen; p++)
				out[n++] = *p;
		}
		out[n] = 0;
		return (n > 0 ? 0 : -1);
	}
	return (-1);
}

/* mdsn_type_is - whether Content-Type value V has the media type TYPE */
static int
mdsn_type_is(const char *v, const char *type)
{
	size_t	n = strlen(type);

	return (strncasecmp(v, type, n) == 0 && (v[n] == 0 || v[n] == ';' || v[n] == ' '));
}

/* Part headers that matter. */
struct mdsn_part {
	char	type[MDSN_FIELD_MAX];
	int	readable;		/* no transfer encoding, or an identity one */
};

/* mdsn_part_headers - read a part's header block from S into P */
static void
mdsn_part_headers(struct mdsn_span *s, struct mdsn_part *p)
{
	char	f[MDSN_FIELD_MAX];
	const char *v;

	strcpy(p->type, "text/plain");
	p->readable = 1;
	while (mdsn_field(s, f, sizeof(f))) {
		if ((v = mdsn_value(f, "Content-Type")) != NULL)
			snprintf(p->type, sizeof(p->type), "%s", v);
		else if ((v = mdsn_value(f, "Content-Transfer-Encoding")) != NULL)
			p->readable = strncasecmp(v, "7bit", 4) == 0 || strncasecmp(v, "8bit", 4) == 0
			    || strncasecmp(v, "binary", 6) == 0;
	}
}

/* mdsn_address - the address of a "type; address" recipient field into OUT */
static void
mdsn_address(const char *v, char *out, size_t outlen)
{
	const char *semi = strchr(v, ';');
	size_t	n;

	v = semi ? semi + 1 : v;
	while (*v == ' ')
		v++;
	n = strcspn(v, " ");
	if (n >= outlen)
		n = 0;			/* too long to be an address */
	memcpy(out, v, n);
	out[n] = 0;
}

/* mdsn_class_of - the class of a recipient from its Action and Status */
static enum mdsn_class
mdsn_class_of(const char *action, char status)
{
	if (status == '5')
		return (MDSN_HARD);
	if (status == '4' || strncasecmp(action, "delayed", 7) == 0)
		return (MDSN_SOFT);
	if (strncasecmp(action, "failed", 6) == 0 && status != '2')
		return (MDSN_HARD);
	return (MDSN_OTHER);
}

/* mdsn_status - the body of a delivery-status part: its per-recipient groups */
static void
mdsn_status(struct mdsn_span *s, struct mdsn *d)
{
	char	f[MDSN_FIELD_MAX];

	while (mdsn_field(s, f, sizeof(f)))
		;			/* the per-message fields */
	while (s->p < s->end && d->nrcpt < MDSN_RCPT_MAX) {
		char	final[MADDR_MAX] = "", orig[MADDR_MAX] = "", action[16] = "";
		char	status = 0;
		const char *v;
		int	any = 0;

		while (mdsn_field(s, f, sizeof(f))) {
			any = 1;
			if ((v = mdsn_value(f, "Final-Recipient")) != NULL)
				mdsn_address(v, final, sizeof(final));
			else if ((v = mdsn_value(f, "Original-Recipient")) != NULL)
				mdsn_address(v, orig, sizeof(orig));
			else if ((v = mdsn_value(f, "Action")) != NULL)
				snprintf(action, sizeof(action), "%s", v);
			else if ((v = mdsn_value(f, "Status")) != NULL)
				status = v[0];
		}
		if (!any || (final[0] == 0 && orig[0] == 0))
			continue;
		snprintf(d->rcpt[d->nrcpt].addr, MADDR_MAX, "%s", final[0] ? final : orig);
		d->rcpt[d->nrcpt].cls = mdsn_class_of(action, status);
		d->nrcpt++;
	}
}

/* mdsn_returned - the first Message-ID of a returned header block */
static void
mdsn_returned(struct mdsn_span *s, struct mdsn *d)
{
	char	f[MDSN_FIELD_MAX], ids[1][MADDR_MSGID_MAX];
	const char *v;

	while (d->msgid[0] == 0 && mdsn_field(s, f, sizeof(f)))
		if ((v = mdsn_value(f, "Message-ID")) != NULL && maddr_msgids(v, ids, 1) == 1)
			snprintf(d->msgid, sizeof(d->msgid), "%s", ids[0]);
}

/* mdsn_is_boundary - whether LINE is "--B" or "--B--"; *LAST for the closing one */
static int
mdsn_is_boundary(const struct mdsn_span *line, const char *b, size_t bl, int *last)
{
	size_t	n = (size_t) (line->end - line->p);

	if (n < bl + 2 || line->p[0] != '-' || line->p[1] != '-'
	    || memcmp(line->p + 2, b, bl) != 0)
		return (0);
	*last = n >= bl + 4 && line->p[bl + 2] == '-' && line->p[bl + 3] == '-';
	return (1);
}

/* mdsn_part_end - the span of the part starting at S->p, up to the next boundary */
static struct mdsn_span
mdsn_part_end(struct mdsn_span *s, const char *b, size_t bl, int *last)
{
	struct mdsn_span part = {s->p, s->p}, line;
	const char *before = s->p;

	*last = 1;
	while (mdsn_line(s, &line)) {
		if (mdsn_is_boundary(&line, b, bl, last)) {
			part.end = before;
			return (part);
		}
		before = s->p;
	}
	part.end = s->end;
	return (part);
}

/* mdsn_parse - the recipients and the returned Message-ID of a report */
int
mdsn_parse(const char *msg, size_t len, struct mdsn *d)
{
	struct mdsn_span s = {msg, msg + (len < MDSN_SCAN_MAX ? len : MDSN_SCAN_MAX)}, line;
	struct mdsn_part top;
	char	b[MDSN_BOUNDARY_MAX];
	size_t	bl;
	int	last = 0, found = 0;

	memset(d, 0, sizeof(*d));
	mdsn_part_headers(&s, &top);
	if (!mdsn_type_is(top.type, "multipart/report")
	    || mdsn_param(top.type, "boundary", b, sizeof(b)) != 0)
		return (0);
	bl = strlen(b);
	while (mdsn_line(&s, &line) && !mdsn_is_boundary(&line, b, bl, &last))
		;			/* the preamble */
	for (int n = 0; !last && s.p < s.end && n < MDSN_PARTS_MAX; n++) {
		struct mdsn_part p;
		struct mdsn_span body;

		mdsn_part_headers(&s, &p);
		body = mdsn_part_end(&s, b, bl, &last);
		if (!p.readable)
			continue;
		if (mdsn_type_is(p.type, "message/delivery-status")
		    || mdsn_type_is(p.type, "message/global-delivery-status")) {
			if (!found)
				mdsn_status(&body, d);
			found = 1;
		} else if (mdsn_type_is(p.type, "text/rfc822-headers")
			   || mdsn_type_is(p.type, "message/rfc822")
			   || mdsn_type_is(p.type, "message/global-headers")) {
			mdsn_returned(&body, d);
		}
	}
	return (found);
}
