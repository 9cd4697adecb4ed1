/*
 * NAME
 *	reply_kind 3
 * SUMMARY
 *	is a message a customer's reply, an auto-reply or a bounce?
 * SYNOPSIS
 *	#include "reply_kind.h"
 * DESCRIPTION
 *	See reply_kind.h. Only a customer's reply can refuse or ask: the
 *	caller gives auto-replies and bounces no verdict.
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reply_key.h"
#include "reply_kind.h"
#include "strbuf.h"

#define PREFIX_WORDS	8		/* words of a Subject examined for a prefix */

/* hdr_token - the value V without (comments) and blanks, lower case, in BUF */
static const char *
hdr_token(const char *v, char *buf, size_t buflen)
{
	size_t	k = 0;
	int	depth = 0;

	if (v == NULL)
		return (NULL);
	for (; *v && k + 1 < buflen; v++) {
		if (*v == '(' || (*v == ')' && depth > 0)) {
			depth += *v == '(' ? 1 : -1;
			continue;
		}
		if (depth > 0 || *v == ' ' || *v == '\t')
			continue;
		buf[k++] = (char) ((*v >= 'A' && *v <= 'Z') ? *v + 32 : *v);
	}
	buf[k] = 0;
	return (buf);
}

/*
 * from_is_daemon - a mailer-daemon or postmaster address in FROM. One pass
 * over FROM: every name starts with "m" or "p", and none overlaps itself.
 */
static int
from_is_daemon(const char *from)
{
	static const char *const names[] = {"mailer-daemon", "postmaster", "mail-daemon",
	"mailerdaemon", NULL};
	size_t	i, nl;
	const char *p;

	for (p = from; p != NULL && *p; p++) {
		if ((*p | 0x20) != 'm' && (*p | 0x20) != 'p')
			continue;
		for (i = 0; names[i]; i++) {
			char	before = p == from ? ' ' : p[-1], after;

			nl = strlen(names[i]);
			if (strncasecmp(p, names[i], nl) != 0)
				continue;
			after = p[nl];
			if ((before == ' ' || before == '<' || before == '"' || before == '(')
			    && (after == '@' || after == '>' || after == 0 || after == ' '))
				return (1);
		}
	}
	return (0);
}

/* auto_headers - the auto-reply header that marks M, or NULL */
static const char *
auto_headers(const struct reply_mime *m)
{
	char	tok[REPLY_KIND_TOKEN_MAX];
	const char *v;

	if ((v = hdr_token(m->hdr[REPLY_HDR_AUTO_SUBMITTED], tok, sizeof(tok))) != NULL
	    && *v && strcmp(v, "no") != 0)
		return ("auto_reply:auto_submitted");
	if ((v = hdr_token(m->hdr[REPLY_HDR_X_AUTOREPLY], tok, sizeof(tok))) != NULL
	    && strcmp(v, "no") != 0 && strcmp(v, "false") != 0)
		return ("auto_reply:x_autoreply");
	if ((v = hdr_token(m->hdr[REPLY_HDR_X_AUTORESPOND], tok, sizeof(tok))) != NULL
	    && strcmp(v, "no") != 0 && strcmp(v, "false") != 0)
		return ("auto_reply:x_autorespond");
	if ((v = hdr_token(m->hdr[REPLY_HDR_PRECEDENCE], tok, sizeof(tok))) != NULL
	    && (strcmp(v, "auto_reply") == 0 || strcmp(v, "bulk") == 0
		|| strcmp(v, "junk") == 0 || strcmp(v, "list") == 0))
		return ("auto_reply:precedence");
	return (NULL);
}

/* prefix_words - the words at the start of KEY, and where each ends */
static size_t
prefix_words(const struct reply_lex *lx, char *key, struct reply_tok *w, size_t *end)
{
	size_t	n = 0, i = 0;

	while (key[i] == ' ' || key[i] == '[')
		i++;
	while (n < PREFIX_WORDS && key[i]) {
		size_t	s = i;

		while (key[i] && key[i] != ' ' && key[i] != ':' && key[i] != ']' && key[i] != ',')
			i++;
		if (i == s)
			break;
		w[n] = (struct reply_tok) {key + s, i - s, 0};
		(void) reply_lex_alias(lx, &w[n]);
		end[n++] = i;
		while (key[i] == ' ')
			i++;
	}
	return (n);
}

/* auto_subject - SUBJECT starts with a prefix an auto-responder adds */
static int
auto_subject(const struct reply_lex *lx, const char *subject)
{
	struct strbuf key;
	struct reply_tok w[PREFIX_WORDS];
	struct reply_lex_match mt;
	size_t	end[PREFIX_WORDS], n, i = 0;
	int	r = 0;
	char	c;

	strbuf_init(&key);
	if (reply_key(subject, strlen(subject), &key) < 0 || strbuf_reserve(&key, 0) < 0)
		goto out;
	n = prefix_words(lx, key.data, w, end);
	while (i < n && reply_lex_match(lx, w, n, i, &mt) > 0 && (mt.kinds & RLX_BIT(RLX_AUTO_PREFIX)))
		i += mt.len;
	if (i > 0) {
		c = key.data[end[i - 1]];
		r = c == ':' || c == ']' || (c == 0 && i == n);
	}
out:
	strbuf_free(&key);
	return (r);
}

const char *
reply_kind_detect(const struct reply_lex *lx, const struct reply_mime *m, const char *subject,
		  const char *envelope_from, enum reply_kind *kind)
{
	char	tok[REPLY_KIND_TOKEN_MAX];
	const char *rp = hdr_token(m->hdr[REPLY_HDR_RETURN_PATH], tok, sizeof(tok)), *why;
	int	null_sender, known_sender, daemon = from_is_daemon(m->hdr[REPLY_HDR_FROM]);

	if (envelope_from != NULL) {
		null_sender = envelope_from[0] == 0 || strcmp(envelope_from, "<>") == 0;
		known_sender = !null_sender;
	} else {
		null_sender = rp != NULL && strcmp(rp, "<>") == 0;
		known_sender = rp != NULL && !null_sender && *rp;
	}
	*kind = REPLY_KIND_BOUNCE;
	if (m->report_dsn || (m->have_dsn && (null_sender || daemon)))
		return ("bounce:dsn");
	*kind = REPLY_KIND_AUTO_REPLY;
	if ((why = auto_headers(m)) != NULL)
		return (why);
	if (subject != NULL && *subject && auto_subject(lx, subject))
		return ("auto_reply:subject");
	*kind = REPLY_KIND_BOUNCE;
	if (null_sender)
		return ("bounce:null_sender");
	if (daemon && !known_sender)
		return ("bounce:mailer_daemon");
	*kind = REPLY_KIND_REPLY;
	return (NULL);
}

/* add_bounce - address A (N bytes) to B when plausible and new */
static int
add_bounce(struct reply_bounces *b, const char *a, size_t n)
{
	size_t	i;
	char   *s;
	int	at = 0;

	while (n > 0 && (*a == ' ' || *a == '<'))
		a++, n--;
	while (n > 0 && (a[n - 1] == ' ' || a[n - 1] == '>' || a[n - 1] == '\r'))
		n--;
	if (n < 3 || n > REPLY_ADDR_MAX || b->n >= REPLY_BOUNCE_MAX)
		return (0);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char) a[i];

		if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\\' || c == 0x7F)
			return (0);
		at += c == '@';
	}
	if (at != 1 || a[0] == '@' || a[n - 1] == '@')
		return (0);
	for (i = 0; i < b->n; i++)
		if (strlen(b->addr[i]) == n && strncasecmp(b->addr[i], a, n) == 0)
			return (0);
	if (b->addr == NULL && (b->addr = calloc(REPLY_BOUNCE_MAX, sizeof(char *))) == NULL)
		return (-1);
	if ((s = strndup(a, n)) == NULL)
		return (-1);
	b->addr[b->n++] = s;
	return (0);
}

/* Fields of one per-recipient group of a delivery-status body. */
struct dsn_group {
	const char *rcpt, *orcpt;
	size_t	rlen, olen;
	int	failed, status;
};

/* dsn_field - one "Name: value" line of a group */
static void
dsn_field(const char *l, size_t ll, struct dsn_group *g)
{
	const char *v = memchr(l, ':', ll), *semi;
	size_t	vl;

	if (v == NULL)
		return;
	v++;
	vl = ll - (size_t) (v - l);
	while (vl > 0 && *v == ' ')
		v++, vl--;
	semi = memchr(v, ';', vl);
	if (ll > 16 && strncasecmp(l, "final-recipient:", 16) == 0) {
		g->rcpt = semi ? semi + 1 : v;
		g->rlen = vl - (size_t) (g->rcpt - v);
	} else if (ll > 19 && strncasecmp(l, "original-recipient:", 19) == 0) {
		g->orcpt = semi ? semi + 1 : v;
		g->olen = vl - (size_t) (g->orcpt - v);
	} else if (ll > 7 && strncasecmp(l, "action:", 7) == 0)
		g->failed = vl >= 6 && strncasecmp(v, "failed", 6) == 0;
	else if (ll > 7 && strncasecmp(l, "status:", 7) == 0)
		g->status = vl > 0 ? v[0] : 0;
}

/* parse_dsn - the groups of a delivery-status body (RFC 3464) */
static int
parse_dsn(struct reply_bounces *b, const char *d, size_t len)
{
	size_t	i = 0;

	while (i < len) {
		struct dsn_group g;

		memset(&g, 0, sizeof(g));
		while (i < len) {
			const char *nl = memchr(d + i, '\n', len - i);
			size_t	e = nl ? (size_t) (nl - d) : len, ll = e - i;
			const char *l = d + i;

			i = nl ? e + 1 : len;
			if (ll == 0 || (ll == 1 && l[0] == '\r'))
				break;
			dsn_field(l, ll, &g);
		}
		if (g.rcpt == NULL) {
			g.rcpt = g.orcpt;
			g.rlen = g.olen;
		}
		if (g.rcpt != NULL && (g.status == '5' || (g.failed && g.status != '4' && g.status != '2'))
		    && add_bounce(b, g.rcpt, g.rlen) < 0)
			return (-1);
	}
	return (0);
}

int
reply_kind_bounces(const struct reply_mime *m, struct reply_bounces *b)
{
	const char *v = m->hdr[REPLY_HDR_X_FAILED_RECIPIENTS];
	int	hdr;

	if (m->have_dsn && parse_dsn(b, m->dsn.data ? m->dsn.data : "", m->dsn.len) < 0)
		return (-1);
	for (hdr = b->n == 0; hdr && v && *v;) {
		size_t	n = strcspn(v, ", ");

		if (n > 0 && add_bounce(b, v, n) < 0)
			return (-1);
		v += n;
		while (*v == ',' || *v == ' ')
			v++;
	}
	return (0);
}

void
reply_kind_bounces_free(struct reply_bounces *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++)
		free(b->addr[i]);
	free(b->addr);
	b->addr = NULL;
	b->n = 0;
}
