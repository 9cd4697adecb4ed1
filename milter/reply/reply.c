/*
 * NAME
 *	reply 3
 * SUMMARY
 *	reply analysis: what did the customer write, and is it "Từ chối"?
 * SYNOPSIS
 *	#include "reply.h"
 * DESCRIPTION
 *	See reply.h. reply_analyze() is a pipeline of the internal
 *	modules: reply_mime (MIME walk; reply_xfer: transfer decoding), reply_text
 *	(the canonical text: charset repair, format=flowed, character
 *	references, invisible characters, NFC; once), reply_quote (cut at
 *	the quote boundaries), reply_html (the HTML alternative, only when
 *	the text part has no new text), reply_kind (auto-reply, bounce)
 *	and reply_classify with reply_clause and the lexicon reply_lex
 *	(refusal, its scope, question). Only a customer's reply can
 *	refuse: auto-replies and bounces are never opt-outs, nor
 *	questions.
 *
 *	Decisions where the specification leaves room (each has a test):
 *	- an empty new text (only quotes, or only an Outlook header
 *	  block) without a refusal in the Subject is a question (reason
 *	  "quote_only"): a person looks, nothing is lost;
 *	- an inline reply is read like any other: its own unquoted lines
 *	  are the new text;
 *	- a null envelope sender without DSN or auto-reply markers is a
 *	  bounce: no customer sends mail with MAIL FROM:<>.
 * DIAGNOSTICS
 *	reply_analyzer_new() returns NULL with a message in ERR when a
 *	refusal_pattern does not compile or a lexicon cannot be read;
 *	reply_analyze() returns NULL only when out of memory.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "reply.h"
#include "strbuf.h"
#include "reply_classify.h"
#include "reply_html.h"
#include "reply_kind.h"
#include "reply_lex.h"
#include "reply_mime.h"
#include "reply_quote.h"
#include "reply_text.h"

#define REPLY_SCOPE_NAME_MAX	128	/* "survey+promotion" */
#define REPLY_HEAD_BYTES	8192	/* a long text part is read from its head first */

/* links.conf's defaults of mime_max_parts, mime_max_depth, mime_max_decoded. */
#define REPLY_DEF_MAX_PARTS	64
#define REPLY_DEF_MAX_DEPTH	8
#define REPLY_DEF_MAX_DECODED	(256 * 1024)

struct reply_analyzer {
	struct reply_mime_limits lim;
	struct reply_quote *quote;
	struct reply_lex *lex;
	struct reply_classify *classify;
};

struct reply_result {
	enum reply_kind kind;
	int	optout;
	int	question;
	unsigned scope;
	char   *text;
	char   *subject;
	const char *reason;		/* static */
	struct reply_bounces bounces;
};

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

/* conf_items - the items of list option ID (a NULL-terminated array); free() it */
static const char **
conf_items(const struct conf *conf, enum conf_id id, size_t *n)
{
	const char **v;
	size_t	i;

	*n = conf ? conf_get_count(conf, id) : 0;
	if ((v = calloc(*n + 1, sizeof(char *))) == NULL)
		return (NULL);
	for (i = 0; i < *n; i++)
		v[i] = conf_get_item(conf, id, i);
	return (v);
}

/* load_lexicons - the reply_lexicon files of links.conf, after the built-in one */
static int
load_lexicons(struct reply_analyzer *ra, const struct conf *conf, char *err, size_t errlen)
{
	const char **files;
	size_t	n, i;
	int	r = 0;

	if ((ra->lex = reply_lex_new(err, errlen)) == NULL)
		return (-1);
	if ((files = conf_items(conf, CONF_ID_reply_lexicon, &n)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	for (i = 0; i < n && r == 0; i++)
		if (files[i] != NULL && *files[i])
			r = reply_lex_load_file(ra->lex, files[i], err, errlen);
	free(files);
	return (r);
}

struct reply_analyzer *
reply_analyzer_new(const struct conf *conf, char *err, size_t errlen)
{
	struct reply_analyzer *ra;
	const char **fp = NULL, **pat = NULL;
	size_t	nfp = 0, npat = 0;

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
	}
	if ((fp = conf_items(conf, CONF_ID_footer_fingerprint, &nfp)) == NULL
	    || (pat = conf_items(conf, CONF_ID_refusal_pattern, &npat)) == NULL)
		goto oom;
	if (load_lexicons(ra, conf, err, errlen) < 0
	    || (ra->quote = reply_quote_new(fp, nfp, err, errlen)) == NULL
	    || (ra->classify = reply_classify_new(ra->lex, pat, npat, err, errlen)) == NULL)
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
	reply_lex_free(ra->lex);
	free(ra);
}

/* has_text - whether B holds anything but blanks */
static int
has_text(const struct strbuf *b)
{
	size_t	i;

	for (i = 0; i < b->len; i++)
		if (b->data[i] != ' ' && b->data[i] != '\n' && b->data[i] != '\t')
			return (1);
	return (0);
}

/*
 * cut - the new text of canonical TEXT, in NFC, into OUT; 1 when there is
 * some. *HARD is set when the cut was at a boundary that ends the
 * customer's words (a quote, an attribution, a separator, a signature).
 */
static int
cut(const struct reply_analyzer *ra, const struct strbuf *text, struct strbuf *out, int *had_quote,
    int *hard)
{
	struct reply_quote_result q;
	int	r;

	if (reply_quote_cut(ra->quote, text->data ? text->data : "", text->len, &q) < 0)
		return (-1);
	*had_quote |= q.had_quote;
	*hard = q.at != RQ_END && q.at != RQ_BOTTOM_POST && q.at != RQ_INLINE_REPLY;
	r = has_text(&q.text);
	if (r && reply_text_nfc(q.text.data, q.text.len, out) < 0)
		r = -1;
	reply_quote_result_free(&q);
	return (r);
}

/*
 * plain_text - the new text of the text part. A long part is first read
 * from its head (REPLY_HEAD_BYTES, to a line end): when a boundary ends
 * the customer's words there, the quoted rest is never normalised.
 */
static int
plain_text(const struct reply_analyzer *ra, const struct reply_mime *m, struct strbuf *out,
	   int *had_quote)
{
	struct reply_text_src src = {m->plain_charset, m->plain_flowed, m->plain_delsp, 1};
	const char *p = m->plain.data ? m->plain.data : "", *nl;
	size_t	n = m->plain.len;
	struct strbuf c;
	int	r = 0, hard = 0;

	strbuf_init(&c);
	if (n > 2 * REPLY_HEAD_BYTES && reply_text_ascii_compatible(m->plain_charset)
	    && (nl = memchr(p + REPLY_HEAD_BYTES, '\n', n - REPLY_HEAD_BYTES)) != NULL) {
		if (reply_text_canon(p, (size_t) (nl - p) + 1, &src, &c) < 0
		    || (r = cut(ra, &c, out, had_quote, &hard)) < 0 || hard)
			goto done;
		strbuf_reset(&c);
		out->len = 0;
		if (out->data)
			out->data[0] = 0;
	}
	if (reply_text_canon(p, n, &src, &c) == 0)
		r = cut(ra, &c, out, had_quote, &hard);
	else
		r = -1;
done:
	strbuf_free(&c);
	return (r);
}

/* html_text - the HTML alternative as canonical text, without its quotes */
static int
html_text(struct reply_mime *m, struct strbuf *out)
{
	struct strbuf h, t;
	int	r = -1;

	strbuf_init(&h);
	strbuf_init(&t);
	if (reply_mime_html(m, &h) == 0 && reply_html_to_text(h.data ? h.data : "", h.len, &t) == 0)
		r = reply_text_final(t.data ? t.data : "", t.len, out);
	strbuf_free(&h);
	strbuf_free(&t);
	return (r);
}

/*
 * new_text - what the customer wrote: the text part's new text, or, when
 * it has none (only quotes), the HTML alternative's (what the customer
 * saw). The HTML part is not decoded when the text part has new text.
 */
static int
new_text(const struct reply_analyzer *ra, struct reply_mime *m, struct strbuf *out, int *had_quote)
{
	struct strbuf c;
	int	r = 0, hard;

	if (m->have_plain && (reply_mime_plain(m) < 0 || (r = plain_text(ra, m, out, had_quote)) != 0))
		return (r < 0 ? -1 : 0);
	strbuf_init(&c);
	if (m->have_html && (r = html_text(m, &c)) == 0)
		r = cut(ra, &c, out, had_quote, &hard);
	strbuf_free(&c);
	return (r < 0 ? -1 : 0);
}

/* judge - the verdict of a customer's reply */
static int
judge(const struct reply_analyzer *ra, struct reply_result *r, int had_quote)
{
	struct reply_verdict v;

	if (reply_classify_text(ra->classify, r->text, strlen(r->text), r->subject, &v) < 0)
		return (-1);
	r->optout = v.optout;
	r->question = v.question;
	r->scope = v.scope;
	r->reason = v.reason;
	if (*r->text == 0 && !r->optout) {
		r->question = 1;
		r->reason = had_quote ? "quote_only" : "empty";
	}
	return (0);
}

/* steal - the buffer's string, "" when empty; NULL when out of memory */
static char *
steal(struct strbuf *b)
{
	return (b->data ? strbuf_steal(b) : strdup(""));
}

struct reply_result *
reply_analyze(const struct reply_analyzer *ra, const char *msg, size_t len,
	      const char *envelope_from)
{
	struct reply_result *r;
	struct reply_mime m;
	struct strbuf text;
	int	ok = 0, had_quote = 0;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return (NULL);
	strbuf_init(&text);
	r->kind = REPLY_KIND_REPLY;
	r->question = 1;
	if (reply_mime_parse(&m, msg ? msg : "", msg ? len : 0, &ra->lim) < 0
	    || (r->subject = strdup(m.subject ? m.subject : "")) == NULL)
		goto fail;
	r->reason = reply_kind_detect(ra->lex, &m, r->subject, envelope_from, &r->kind);
	if (r->kind != REPLY_KIND_REPLY) {
		/* nobody reads an auto-reply's or a bounce's text: not extracted */
		r->question = 0;
		ok = (r->text = strdup("")) != NULL && (r->kind != REPLY_KIND_BOUNCE
						   || reply_kind_bounces(&m, &r->bounces) == 0);
		goto fail;
	}
	if (new_text(ra, &m, &text, &had_quote) < 0 || (r->text = steal(&text)) == NULL)
		goto fail;
	ok = judge(ra, r, had_quote) == 0;
fail:
	strbuf_free(&text);
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
	if (r == NULL)
		return;
	reply_kind_bounces_free(&r->bounces);
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

unsigned
reply_result_optout_scope(const struct reply_result *r)
{
	return (r->optout ? r->scope : 0);
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
	return (r->bounces.n);
}

const char *
reply_result_bounce_address(const struct reply_result *r, size_t i)
{
	return (i < r->bounces.n ? r->bounces.addr[i] : NULL);
}

/* scope_name - "all", or the categories of SCOPE joined by "+", into BUF */
static const char *
scope_name(unsigned scope, char *buf, size_t len)
{
	int	c;

	if (scope == 0)
		return ("all");
	buf[0] = 0;
	for (c = 0; c < CATEGORY_COUNT; c++)
		if (scope & CATEGORY_BIT(c)) {
			if (buf[0])
				strncat(buf, "+", len - strlen(buf) - 1);
			strncat(buf, category_name((enum category) c), len - strlen(buf) - 1);
		}
	return (buf);
}

char   *
reply_result_json(const struct reply_result *r)
{
	char	sc[REPLY_SCOPE_NAME_MAX];
	json_t *o;
	char   *s;

	o = json_object();
	if (o == NULL)
		return (NULL);
	if (json_object_set_new(o, "kind", json_string(reply_kind_name(r->kind))) < 0
	    || json_object_set_new(o, "optout", json_boolean(r->optout)) < 0
	    || json_object_set_new(o, "question", json_boolean(r->question)) < 0
	    || json_object_set_new(o, "text", json_stringn(r->text, strlen(r->text))) < 0
	    || json_object_set_new(o, "reason", json_string(r->reason)) < 0
	    || (r->optout && json_object_set_new(o, "scope",
				json_string(scope_name(r->scope, sc, sizeof(sc)))) < 0)) {
		json_decref(o);
		return (NULL);
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return (s);
}
