/*
 * NAME
 *	reply 3
 * SUMMARY
 *	reply analysis: what did the customer write, and is it "Từ chối"?
 * SYNOPSIS
 *	#include "reply.h"
 * DESCRIPTION
 *	See reply.h. reply_analyze() is a pipeline of the internal
 *	modules: reply_mime (libetpan walk, transfer decoding, charset),
 *	kind detection (here), reply_html (HTML without quote containers,
 *	only when there is no text/plain part), reply_quote (cut at the
 *	first quote boundary), reply_norm (NFC) and reply_classify
 *	(refusal and question). Only a customer reply can refuse: auto
 *	replies and bounces are never opt-outs, nor questions.
 *
 *	Decisions where the specification leaves room (each has a test):
 *	- an empty new text (only quotes, or only an Outlook header
 *	  block) is a question (reason "quote_only"): a person looks,
 *	  nothing is lost;
 *	- an inline reply (text between quoted lines) is a question and
 *	  never an opt-out (reason "inline_reply"): we cannot tell what
 *	  the customer answered to;
 *	- a null envelope sender without DSN or auto-reply markers is a
 *	  bounce: no customer sends mail with MAIL FROM:<>.
 * DIAGNOSTICS
 *	reply_analyzer_new() returns NULL with a message in ERR when a
 *	refusal_pattern does not compile; reply_analyze() returns NULL
 *	only when out of memory.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reply.h"
#include "rx.h"
#include "strbuf.h"
#include "reply_classify.h"
#include "reply_html.h"
#include "reply_mime.h"
#include "reply_norm.h"
#include "reply_quote.h"

#define REPLY_BOUNCE_MAX	100	/* failed recipients kept per bounce */
#define REPLY_ADDR_MAX		254	/* longest address (RFC 5321 path) */

struct reply_analyzer {
	struct reply_mime_limits lim;
	struct reply_quote *quote;
	struct reply_classify *classify;
	pcre2_code *ooo;		/* out-of-office subjects */
};

struct reply_result {
	enum reply_kind kind;
	int	optout;
	int	question;
	char   *text;
	char   *subject;
	const char *reason;		/* static */
	char  **bounce;
	size_t	nbounce;
};

/* Out-of-office and auto-reply subjects, on the diacritics-free form. */
static const char pat_ooo[] =
	"\\b(?:automatic\\s+reply|auto[- ]?reply|autoreply|auto[- ]?response|autoresponder"
	"|out\\s+of\\s+(?:the\\s+)?office|away\\s+from\\s+(?:the\\s+)?office|vacation\\s+reply"
	"|on\\s+vacation|tu\\s+dong\\s+tra\\s+loi|tra\\s+loi\\s+tu\\s+dong|phan\\s+hoi\\s+tu\\s+dong"
	"|thu\\s+tu\\s+dong|vang\\s+mat|nghi\\s+phep|abwesenheitsnotiz|automatische\\s+antwort"
	"|reponse\\s+automatique|absence\\s+du\\s+bureau|risposta\\s+automatica"
	"|respuesta\\s+automatica|fuera\\s+de\\s+la\\s+oficina)\\b";

const char *
reply_kind_name(enum reply_kind k)
{
	switch (k) {
	case REPLY_KIND_AUTO_REPLY:
		return ("auto_reply");
	case REPLY_KIND_BOUNCE:
		return ("bounce");
	case REPLY_KIND_REPLY:
	default:
		return ("reply");
	}
}

/* links.conf's defaults of mime_max_parts, mime_max_depth, mime_max_decoded. */
#define REPLY_DEF_MAX_PARTS	64
#define REPLY_DEF_MAX_DEPTH	8
#define REPLY_DEF_MAX_DECODED	(256 * 1024)

struct reply_analyzer *
reply_analyzer_new(const struct conf *conf, char *err, size_t errlen)
{
	struct reply_analyzer *ra;
	const char **fp = NULL, **pat = NULL;
	size_t	nfp = 0, npat = 0, i;

	reply_html_init();
	if ((ra = calloc(1, sizeof(*ra))) == NULL)
		goto oom;
	/* Without a configuration (tests, tools): links.conf's defaults. */
	ra->lim.max_parts = REPLY_DEF_MAX_PARTS;
	ra->lim.max_depth = REPLY_DEF_MAX_DEPTH;
	ra->lim.max_decoded = REPLY_DEF_MAX_DECODED;
	if (conf != NULL) {
		ra->lim.max_parts = (size_t) conf_mime_max_parts(conf);
		ra->lim.max_depth = (size_t) conf_mime_max_depth(conf);
		ra->lim.max_decoded = (size_t) conf_mime_max_decoded(conf);
		nfp = conf_footer_fingerprint_count(conf);
		npat = conf_refusal_pattern_count(conf);
	}
	if ((fp = calloc(nfp + 1, sizeof(char *))) == NULL
	    || (pat = calloc(npat + 1, sizeof(char *))) == NULL)
		goto oom;
	for (i = 0; i < nfp; i++)
		fp[i] = conf_footer_fingerprint_item(conf, i);
	for (i = 0; i < npat; i++)
		pat[i] = conf_refusal_pattern_item(conf, i);
	if ((ra->quote = reply_quote_new(fp, nfp, err, errlen)) == NULL)
		goto fail;
	if ((ra->classify = reply_classify_new(pat, npat, err, errlen)) == NULL)
		goto fail;
	if ((ra->ooo = rx_compile(pat_ooo, "out-of-office pattern", err, errlen)) == NULL)
		goto fail;
	free(fp);
	free(pat);
	return (ra);
oom:
	snprintf(err, errlen, "out of memory");
fail:
	free(fp);
	free(pat);
	reply_analyzer_free(ra);
	return (NULL);
}

void
reply_analyzer_free(struct reply_analyzer *ra)
{
	if (ra == NULL)
		return;
	reply_quote_free(ra->quote);
	reply_classify_free(ra->classify);
	pcre2_code_free(ra->ooo);
	free(ra);
}

/* Header value without (comments), trimmed and lower-cased into BUF. */
static const char *
hdr_token(const char *v, char *buf, size_t buflen)
{
	size_t	k = 0;
	int	depth = 0;

	if (v == NULL)
		return (NULL);
	for (; *v && k + 1 < buflen; v++) {
		if (*v == '(') {
			depth++;
			continue;
		}
		if (*v == ')' && depth > 0) {
			depth--;
			continue;
		}
		if (depth > 0 || *v == ' ' || *v == '\t')
			continue;
		buf[k++] = (char) ((*v >= 'A' && *v <= 'Z') ? *v + 32 : *v);
	}
	buf[k] = 0;
	return (buf);
}

static int
from_is_daemon(const char *from)
{
	static const char *const names[] = {"mailer-daemon", "postmaster", "mail-daemon",
	"mailerdaemon", NULL};
	size_t	i;
	const char *p;

	if (from == NULL)
		return (0);
	for (i = 0; names[i]; i++) {
		size_t	nl = strlen(names[i]);

		for (p = from; (p = strcasestr(p, names[i])) != NULL; p += nl) {
			char	before = p == from ? ' ' : p[-1];
			char	after = p[nl];

			if ((before == ' ' || before == '<' || before == '"' || before == '(')
			    && (after == '@' || after == '>' || after == 0 || after == ' '))
				return (1);
		}
	}
	return (0);
}

static const char *
detect_kind(const struct reply_analyzer *ra, const struct reply_mime *m,
	    const char *envelope_from, enum reply_kind *kind)
{
	char	tok[128];
	const char *v;
	int	null_sender;
	struct reply_norm norm;
	struct strbuf key;
	pcre2_match_data *md;
	int	ooo = 0;

	if (envelope_from != NULL)
		null_sender = envelope_from[0] == 0 || strcmp(envelope_from, "<>") == 0;
	else
		null_sender = (v = hdr_token(m->hdr[REPLY_HDR_RETURN_PATH], tok, sizeof(tok))) != NULL
		    && strcmp(v, "<>") == 0;

	*kind = REPLY_KIND_BOUNCE;
	if (m->report_dsn || (m->have_dsn && (null_sender || from_is_daemon(m->hdr[REPLY_HDR_FROM]))))
		return ("bounce:dsn");

	*kind = REPLY_KIND_AUTO_REPLY;
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
	if (m->subject && *m->subject) {
		reply_norm_init(&norm);
		strbuf_init(&key);
		md = pcre2_match_data_create(2, NULL);
		if (md != NULL && reply_norm(&norm, m->subject, strlen(m->subject),
				      REPLY_NORM_STRIP | REPLY_NORM_SPACES, &key) == 0
		    && strbuf_reserve(&key, 0) == 0)
			ooo = pcre2_match(ra->ooo, (PCRE2_SPTR) key.data, key.len, 0, 0, md, NULL) >= 0;
		pcre2_match_data_free(md);
		reply_norm_free(&norm);
		strbuf_free(&key);
		if (ooo)
			return ("auto_reply:subject");
	}

	*kind = REPLY_KIND_BOUNCE;
	if (from_is_daemon(m->hdr[REPLY_HDR_FROM]))
		return ("bounce:mailer_daemon");
	if (null_sender)
		return ("bounce:null_sender");
	*kind = REPLY_KIND_REPLY;
	return (NULL);
}

/* Add address A (N bytes) to the bounce list if plausible and new. */
static int
add_bounce(struct reply_result *r, const char *a, size_t n)
{
	size_t	i;
	char   *s;
	int	at = 0;

	while (n > 0 && (*a == ' ' || *a == '<'))
		a++, n--;
	while (n > 0 && (a[n - 1] == ' ' || a[n - 1] == '>' || a[n - 1] == '\r'))
		n--;
	if (n < 3 || n > REPLY_ADDR_MAX || r->nbounce >= REPLY_BOUNCE_MAX)
		return (0);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char) a[i];

		if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\\' || c == 0x7F)
			return (0);
		if (c == '@')
			at++;
	}
	if (at != 1 || a[0] == '@' || a[n - 1] == '@')
		return (0);
	for (i = 0; i < r->nbounce; i++)
		if (strlen(r->bounce[i]) == n && strncasecmp(r->bounce[i], a, n) == 0)
			return (0);
	if (r->bounce == NULL && (r->bounce = calloc(REPLY_BOUNCE_MAX, sizeof(char *))) == NULL)
		return (-1);
	if ((s = strndup(a, n)) == NULL)
		return (-1);
	r->bounce[r->nbounce++] = s;
	return (0);
}

/*
 * The per-recipient groups of a delivery-status body (RFC 3464): a
 * recipient failed permanently when its Status is 5.x.x, or when its
 * Action is "failed" and the Status does not say otherwise.
 */
static int
parse_dsn(struct reply_result *r, const char *d, size_t len)
{
	size_t	i = 0;

	while (i < len) {
		const char *rcpt = NULL, *orcpt = NULL;
		size_t	rlen = 0, olen = 0;
		int	failed = 0, status = 0;

		/* one group: lines up to a blank line */
		while (i < len) {
			const char *nl = memchr(d + i, '\n', len - i);
			size_t	e = nl ? (size_t) (nl - d) : len;
			const char *l = d + i, *v, *semi;
			size_t	ll = e - i, vl;

			i = nl ? e + 1 : len;
			if (ll == 0)
				break;
			if ((v = memchr(l, ':', ll)) == NULL)
				continue;
			v++;
			vl = ll - (size_t) (v - l);
			while (vl > 0 && *v == ' ')
				v++, vl--;
			if (ll > 16 && strncasecmp(l, "final-recipient:", 16) == 0) {
				semi = memchr(v, ';', vl);
				rcpt = semi ? semi + 1 : v;
				rlen = vl - (size_t) (rcpt - v);
			} else if (ll > 19 && strncasecmp(l, "original-recipient:", 19) == 0) {
				semi = memchr(v, ';', vl);
				orcpt = semi ? semi + 1 : v;
				olen = vl - (size_t) (orcpt - v);
			} else if (ll > 7 && strncasecmp(l, "action:", 7) == 0) {
				failed = vl >= 6 && strncasecmp(v, "failed", 6) == 0;
			} else if (ll > 7 && strncasecmp(l, "status:", 7) == 0) {
				status = vl > 0 ? v[0] : 0;
			}
		}
		if (rcpt == NULL) {
			rcpt = orcpt;
			rlen = olen;
		}
		if (rcpt != NULL && (status == '5' || (failed && status != '4' && status != '2')))
			if (add_bounce(r, rcpt, rlen) < 0)
				return (-1);
	}
	return (0);
}

static int
bounces_from_header(struct reply_result *r, const char *v)
{
	while (v && *v) {
		size_t	n = strcspn(v, ", ");

		if (n > 0 && add_bounce(r, v, n) < 0)
			return (-1);
		v += n;
		while (*v == ',' || *v == ' ')
			v++;
	}
	return (0);
}

static int
has_text(const struct strbuf *b)
{
	size_t	i;

	for (i = 0; i < b->len; i++)
		if (b->data[i] != ' ' && b->data[i] != '\n' && b->data[i] != '\t')
			return (1);
	return (0);
}

/* NFC copy of S (LEN bytes), owned by the caller. */
static char *
nfc(const char *s, size_t len)
{
	struct reply_norm norm;
	struct strbuf out;
	char   *r = NULL;

	reply_norm_init(&norm);
	strbuf_init(&out);
	if (reply_norm(&norm, s, len, 0, &out) == 0)
		r = strbuf_steal(&out);
	strbuf_free(&out);
	reply_norm_free(&norm);
	return (r);
}

struct reply_result *
reply_analyze(const struct reply_analyzer *ra, const char *msg, size_t len,
	      const char *envelope_from)
{
	struct reply_result *r;
	struct reply_mime m;
	struct reply_quote_result q;
	struct strbuf html;
	const struct strbuf *src = NULL;
	struct reply_verdict v;
	int	ok = 0;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return (NULL);
	memset(&q, 0, sizeof(q));
	strbuf_init(&q.text);
	strbuf_init(&html);
	r->kind = REPLY_KIND_REPLY;
	r->question = 1;
	r->reason = "parse_error";
	if (msg == NULL)
		len = 0;
	if (reply_mime_parse(&m, msg ? msg : "", len, &ra->lim) < 0)
		goto fail;
	if ((r->subject = nfc(m.subject ? m.subject : "", m.subject ? strlen(m.subject) : 0)) == NULL)
		goto fail;

	/* the new text */
	if (m.have_plain && has_text(&m.plain))
		src = &m.plain;
	else if (m.have_html) {
		if (reply_html_to_text(m.html.data ? m.html.data : "", m.html.len, &html) < 0)
			goto fail;
		src = &html;
	} else if (m.have_plain)
		src = &m.plain;
	if (src != NULL && src->len > 0) {
		if (reply_quote_cut(ra->quote, src->data, src->len, &q) < 0)
			goto fail;
	}
	if ((r->text = nfc(q.text.data ? q.text.data : "", q.text.len)) == NULL)
		goto fail;

	if (m.parse_error) {
		r->reason = "parse_error";
		ok = 1;
		goto fail;
	}
	r->reason = detect_kind(ra, &m, envelope_from, &r->kind);
	if (r->kind != REPLY_KIND_REPLY) {
		r->optout = 0;
		r->question = 0;
		if (r->kind == REPLY_KIND_BOUNCE) {
			if (m.have_dsn && parse_dsn(r, m.dsn.data ? m.dsn.data : "", m.dsn.len) < 0)
				goto fail;
			if (r->nbounce == 0
			    && bounces_from_header(r, m.hdr[REPLY_HDR_X_FAILED_RECIPIENTS]) < 0)
				goto fail;
		}
		ok = 1;
		goto fail;
	}
	if (reply_classify_text(ra->classify, r->text, r->subject, &v) < 0)
		goto fail;
	r->optout = v.optout;
	r->question = v.question;
	r->reason = v.reason;
	if (q.inline_reply) {
		r->optout = 0;
		r->question = 1;
		r->reason = "inline_reply";
	} else if (*r->text == 0 && !r->optout) {
		r->question = 1;
		r->reason = q.had_quote ? "quote_only" : "empty";
	}
	ok = 1;
fail:
	if (ok && r->text == NULL && (r->text = strdup("")) == NULL)
		ok = 0;
	if (ok && r->subject == NULL && (r->subject = strdup("")) == NULL)
		ok = 0;
	reply_quote_result_free(&q);
	strbuf_free(&html);
	reply_mime_free(&m);
	if (!ok) {
		reply_result_free(r);
		return (NULL);
	}
	return (r);
}

void
reply_result_free(struct reply_result *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nbounce; i++)
		free(r->bounce[i]);
	free(r->bounce);
	free(r->text);
	free(r->subject);
	free(r);
}

enum reply_kind
reply_result_kind(const struct reply_result *r)
{
	return (r->kind);
}

int
reply_result_optout(const struct reply_result *r)
{
	return (r->optout);
}

int
reply_result_question(const struct reply_result *r)
{
	return (r->question);
}

const char *
reply_result_text(const struct reply_result *r)
{
	return (r->text);
}

const char *
reply_result_reason(const struct reply_result *r)
{
	return (r->reason);
}

const char *
reply_result_subject(const struct reply_result *r)
{
	return (r->subject);
}

size_t
reply_result_bounce_count(const struct reply_result *r)
{
	return (r->nbounce);
}

const char *
reply_result_bounce_address(const struct reply_result *r, size_t i)
{
	return (i < r->nbounce ? r->bounce[i] : NULL);
}

char   *
reply_result_json(const struct reply_result *r)
{
	json_t *o;
	char   *s;

	o = json_object();
	if (o == NULL)
		return (NULL);
	if (json_object_set_new(o, "kind", json_string(reply_kind_name(r->kind))) < 0
	    || json_object_set_new(o, "optout", json_boolean(r->optout)) < 0
	    || json_object_set_new(o, "question", json_boolean(r->question)) < 0
	    || json_object_set_new(o, "text", json_stringn(r->text, strlen(r->text))) < 0
	    || json_object_set_new(o, "reason", json_string(r->reason)) < 0) {
		json_decref(o);
		return (NULL);
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return (s);
}
