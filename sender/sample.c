/*
 * NAME
 *	sample 3
 * SUMMARY
 *	one message for a sample customer: --test-to and preview
 * SYNOPSIS
 *	#include "sample.h"
 * DESCRIPTION
 *	See sample.h. Nothing here writes to the store: the store is opened
 *	to read the audience and the sample customer only.
 * DIAGNOSTICS
 *	Errors on standard error, one line each; the sample customer is
 *	named by id.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "sample.h"
#include "strbuf.h"
#include "tmpl.h"
#include "transport.h"

#define SAMPLE_ERR_MAX		512
#define SAMPLE_BROWSER_MAX	1024	/* bytes of $BROWSER */

extern char **environ;

/* The sample customer and the composer of its message. */
struct sample {
	struct store *st;
	struct tmpl *t;
	struct tmpl_vars *set;
	struct compose *comp;
	struct store_customer c;
	struct store_contract k;
	char	mid[COMPOSE_ID_MAX];
};

/* sample_find - the first customer of IDS who may get the message; see sample.h */
int
sample_find(struct store *st, const struct compose *comp, const struct audience *aud,
	    const int64_t *ids, size_t n, struct store_customer *c, struct store_contract *k,
	    char *err, size_t errlen)
{
	struct compose_rcpt rc;
	char	reason[AUDIENCE_REASON_MAX], cerr[SAMPLE_ERR_MAX];
	size_t	i;
	int	r;

	for (i = 0; i < n; i++) {
		memset(c, 0, sizeof(*c));
		if (store_customer_get(st, ids[i], c) != STORE_OK) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			return (-1);
		}
		if ((r = audience_check(st, aud, c, k, reason, sizeof(reason))) < 0) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			store_customer_clear(c);
			return (-1);
		}
		memset(&rc, 0, sizeof(rc));
		rc.customer_id = c->id;
		rc.email = c->email;
		rc.name = c->name;
		rc.contract = k->id ? k : NULL;
		rc.message_id = "sample@example.invalid";
		if (r == AUDIENCE_SEND && compose_check(comp, &rc, cerr, sizeof(cerr)) == 0)
			return (1);
		store_customer_clear(c);
		store_contract_clear(k);
	}
	return (0);
}

/* sample_clear - free what S holds */
static void
sample_clear(struct sample *s)
{
	store_customer_clear(&s->c);
	store_contract_clear(&s->k);
	compose_free(s->comp);
	tmpl_vars_free(s->set);
	tmpl_free(s->t);
	store_close(s->st);
	memset(s, 0, sizeof(*s));
}

/* sample_open - the composer of O and its sample customer; an EX_ code (said) */
static int
sample_open(const struct conf *conf, const struct campaign_opts *o, struct sample *s)
{
	char	err[SAMPLE_ERR_MAX];
	struct audience aud;
	int64_t *ids = NULL;
	size_t	n = 0;
	int	ex, r;

	memset(s, 0, sizeof(*s));
	if ((ex = campaign_compose(conf, o, &s->t, &s->set, &s->comp, err, sizeof(err))) != EX_OK)
		goto fail;
	ex = EX_TEMPFAIL;
	if ((s->st = store_open(conf, err, sizeof(err))) == NULL)
		goto fail;
	ex = EX_DATAERR;
	if (audience_select(s->st, &o->aud, &ids, &n, err, sizeof(err)) < 0)
		goto fail;
	aud = o->aud;
	aud.conf = conf;
	r = sample_find(s->st, s->comp, &aud, ids, n, &s->c, &s->k, err, sizeof(err));
	free(ids);
	if (r == 0) {
		snprintf(err, sizeof(err), "none of the %zu customers of the audience can get this "
			 "message (see the reasons with --dry-run)", n);
		ex = EX_NOINPUT;
	}
	if (r <= 0)
		goto fail;
	if (compose_message_id(s->comp, s->mid, sizeof(s->mid)) < 0) {
		snprintf(err, sizeof(err), "no randomness for a Message-ID");
		ex = EX_SOFTWARE;
		goto fail;
	}
	return (EX_OK);
fail:
	fprintf(stderr, "links-sender: %s\n", err);
	sample_clear(s);
	return (ex);
}

/* sample_rcpt - the recipient data of S's customer into RC */
static void
sample_rcpt(const struct sample *s, struct compose_rcpt *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->customer_id = s->c.id;
	rc->email = s->c.email;
	rc->name = s->c.name;
	rc->contract = s->k.id ? &s->k : NULL;
	rc->message_id = s->mid;
	rc->date = time(NULL);
}

/* test_send - hand MSG to O's transport for TO; an EX_ code (said) */
static int
test_send(const struct conf *conf, const struct campaign_opts *o, const struct sample *s,
	  const char *msg, size_t len)
{
	struct delivery_opts d;
	struct transport *t = NULL;
	struct transport_result res;
	char	err[SAMPLE_ERR_MAX];

	if (delivery_opts_init(&d, conf, &o->run) < 0)
		snprintf(err, sizeof(err), "unknown transport in the configuration");
	else if ((t = transport_open(conf, d.transport, d.outdir, err, sizeof(err))) != NULL)
		err[0] = 0;
	if (err[0] != 0) {
		fprintf(stderr, "links-sender: transport: %s\n", err);
		return (EX_CONFIG);
	}
	transport_send(t, compose_from(s->comp), o->test_to, "test", msg, len, &res);
	transport_close(t);
	if (res.status != TRANSPORT_OK) {
		fprintf(stderr, "links-sender: the test message was not accepted: %s\n", res.text);
		return (res.status == TRANSPORT_TEMP ? EX_TEMPFAIL : EX_UNAVAILABLE);
	}
	printf("test message (as customer %lld would get it) sent to %s: %s; nothing was "
	       "recorded\n", (long long) s->c.id, o->test_to, res.text);
	return (EX_OK);
}

/* sample_test - links-sender send --test-to ADDRESS; see sample.h */
int
sample_test(const struct conf *conf, const struct campaign_opts *o)
{
	struct sample s;
	struct compose_rcpt rc;
	char	err[SAMPLE_ERR_MAX], *msg = NULL;
	size_t	len;
	int	ex;

	if (!compose_company_address(conf, o->test_to)) {
		fprintf(stderr, "links-sender: --test-to %s: a test goes to an address of the "
			"company (company_domains), never to a customer\n", o->test_to);
		return (EX_USAGE);
	}
	if ((ex = sample_open(conf, o, &s)) != EX_OK)
		return (ex);
	sample_rcpt(&s, &rc);
	rc.deliver_to = o->test_to;
	rc.test = 1;
	if (compose_message(s.comp, &rc, &msg, &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "links-sender: customer %lld: %s\n", (long long) s.c.id, err);
		ex = EX_DATAERR;
	} else
		ex = test_send(conf, o, &s, msg, len);
	free(msg);
	sample_clear(&s);
	return (ex);
}

/* ---- preview ---- */

/* add_escaped - append S to B, HTML-escaped */
static int
add_escaped(struct strbuf *b, const char *s)
{
	int	r = 0;

	for (; *s && r == 0; s++)
		switch (*s) {
		case '&': r = strbuf_adds(b, "&amp;"); break;
		case '<': r = strbuf_adds(b, "&lt;"); break;
		case '>': r = strbuf_adds(b, "&gt;"); break;
		case '"': r = strbuf_adds(b, "&quot;"); break;
		default: r = strbuf_add(b, s, 1); break;
		}
	return (r);
}

/* banner - the preview's banner: sender, recipient, subject */
static int
banner(struct strbuf *b, const struct sample *s, const char *subject)
{
	return (strbuf_adds(b, "\n<div class=\"links-preview\" style=\"border:1px solid #999;"
			    "background:#ffd;padding:8px;margin:8px 0;font:small sans-serif\">"
			    "<b>Xem trước / preview</b> &mdash; chưa gửi<br>From: ") < 0
		|| add_escaped(b, compose_from(s->comp)) < 0
		|| strbuf_adds(b, "<br>To: ") < 0 || add_escaped(b, s->c.email) < 0
		|| strbuf_adds(b, "<br>Subject: ") < 0 || add_escaped(b, subject) < 0
		|| strbuf_adds(b, "</div>\n") < 0);
}

/* preview_html - the HTML page of parts P: the message's HTML with a banner */
static char *
preview_html(const struct sample *s, const struct compose_parts *p)
{
	struct strbuf b;
	const char *body, *end;

	strbuf_init(&b);
	if (p->html == NULL) {
		if (strbuf_adds(&b, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
				"<title>preview</title></head><body>") < 0 || banner(&b, s, p->subject) < 0
		    || strbuf_adds(&b, "<pre style=\"white-space:pre-wrap\">") < 0
		    || add_escaped(&b, p->text) < 0 || strbuf_adds(&b, "</pre></body></html>\n") < 0)
			goto fail;
		return (strbuf_steal(&b));
	}
	/* After <body ...>, else at the start. */
	body = strcasestr(p->html, "<body");
	end = body ? strchr(body, '>') : NULL;
	end = end ? end + 1 : p->html;
	if (strbuf_add(&b, p->html, (size_t) (end - p->html)) < 0 || banner(&b, s, p->subject) < 0
	    || strbuf_adds(&b, end) < 0)
		goto fail;
	return (strbuf_steal(&b));
fail:
	strbuf_free(&b);
	return (NULL);
}

/* write_file - DIR/NAME with TEXT; -1 (said) */
static int
write_file(const char *dir, const char *name, const char *text, char *path, size_t pathlen)
{
	FILE   *fp;

	if (snprintf(path, pathlen, "%s/%s", dir, name) >= (int) pathlen) {
		fprintf(stderr, "links-sender: %s: path too long\n", dir);
		return (-1);
	}
	if ((fp = fopen(path, "w")) == NULL || fputs(text, fp) < 0 || fclose(fp) != 0) {
		fprintf(stderr, "links-sender: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	return (0);
}

/* preview_dir - DIR made if missing, or a new directory in $TMPDIR, into OUT */
static int
preview_dir(const char *dir, char *out, size_t outlen)
{
	const char *tmp = getenv("TMPDIR");

	if (dir != NULL) {
		snprintf(out, outlen, "%s", dir);
		if (mkdir(out, 0700) < 0 && errno != EEXIST) {
			fprintf(stderr, "links-sender: %s: %s\n", out, strerror(errno));
			return (-1);
		}
		return (0);
	}
	snprintf(out, outlen, "%s/links-preview.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(out) == NULL) {
		fprintf(stderr, "links-sender: %s: %s\n", out, strerror(errno));
		return (-1);
	}
	return (0);
}

/* preview_write - the two files of S's parts P in DIR; EX_ code (said) */
static int
preview_write(const char *dir, const struct sample *s, const struct compose_parts *p,
	      char *html_path, size_t pathlen)
{
	struct strbuf txt;
	char	path[PATH_MAX], *html = NULL;
	int	ex = EX_CANTCREAT;

	strbuf_init(&txt);
	if (strbuf_printf(&txt, "From: %s\nTo: %s\nSubject: %s%s%s\n\n%s", compose_from(s->comp),
			  s->c.email, tmpl_label(s->t), *tmpl_label(s->t) ? " " : "", p->subject,
			  p->text) < 0 || (html = preview_html(s, p)) == NULL) {
		fprintf(stderr, "links-sender: out of memory\n");
		goto done;
	}
	if (write_file(dir, "preview.txt", txt.data, path, sizeof(path)) < 0
	    || write_file(dir, "preview.html", html, html_path, pathlen) < 0)
		goto done;
	printf("preview for customer %lld (nothing was sent or recorded):\n  %s\n  %s\n",
	       (long long) s->c.id, path, html_path);
	ex = EX_OK;
done:
	strbuf_free(&txt);
	free(html);
	return (ex);
}

/* open_browser - run $BROWSER on PATH and wait for it; EX_ code (said) */
static int
open_browser(const char *path)
{
	const char *b = getenv("BROWSER");
	char	cmd[SAMPLE_BROWSER_MAX], *argv[3];
	pid_t	pid;
	int	status;

	if (b == NULL || *b == 0) {
		fprintf(stderr, "links-sender: --browser: $BROWSER is not set\n");
		return (EX_CONFIG);
	}
	/* $BROWSER is a list of commands separated by ':'; the first is used. */
	snprintf(cmd, sizeof(cmd), "%.*s", (int) strcspn(b, ":"), b);
	argv[0] = cmd;
	argv[1] = (char *) path;
	argv[2] = NULL;
	if ((errno = posix_spawnp(&pid, cmd, NULL, NULL, argv, environ)) != 0) {
		fprintf(stderr, "links-sender: %s: %s\n", cmd, strerror(errno));
		return (EX_CONFIG);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return (EX_OK);
}

/* sample_preview - links-sender preview; see sample.h */
int
sample_preview(const struct conf *conf, const struct campaign_opts *o, const char *dir,
	       int browser)
{
	struct sample s;
	struct compose_rcpt rc;
	struct compose_parts p;
	char	err[SAMPLE_ERR_MAX], d[PATH_MAX], html[PATH_MAX];
	int	ex;

	if ((ex = sample_open(conf, o, &s)) != EX_OK)
		return (ex);
	sample_rcpt(&s, &rc);
	if (compose_render(s.comp, &rc, &p, err, sizeof(err)) < 0) {
		fprintf(stderr, "links-sender: customer %lld: %s\n", (long long) s.c.id, err);
		ex = EX_DATAERR;
	} else {
		if (preview_dir(dir, d, sizeof(d)) < 0)
			ex = EX_CANTCREAT;
		else if ((ex = preview_write(d, &s, &p, html, sizeof(html))) == EX_OK && browser)
			ex = open_browser(html);
		compose_parts_free(&p);
	}
	sample_clear(&s);
	return (ex);
}
