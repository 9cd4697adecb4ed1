/*
 * NAME
 *	fuzz_web 1 (libFuzzer target)
 * SUMMARY
 *	feed arbitrary requests to links-web: path, content type, form body
 * SYNOPSIS
 *	fuzz_web [libFuzzer options] [CORPUS_DIR...]
 * DESCRIPTION
 *	An input is "METHOD\nCONTENT-TYPE\nPATH\nBODY" (missing lines are
 *	empty; BODY is the rest, any bytes). In PATH and BODY, "{U}" stands
 *	for a genuine dated link token of the test customer (promotion),
 *	"{A}" for one of account mail, "{C}" and "{P}" for valid form tokens
 *	of the unsubscribe and preference pages of {U}: so the fuzzer reaches
 *	the code behind the checks as well as the checks. The pieces go
 *	through the parsers on their own and through the whole request
 *	logic (app.h) against a throw-away store (key FUZZ_STORE_KEY):
 *
 *	- form_parse(): on success every field has a name of [A-Za-z0-9_-],
 *	  a printable ASCII value and no twin; on failure the form is empty;
 *	- route_parse(): a token page's token is base32, nothing else has
 *	  one;
 *	- web_app_handle(): a known status, a body of exactly LEN bytes,
 *	  never a script, Retry-After only with 429 and 503, Allow only
 *	  with 405; a GET or HEAD, and any answer of 300 or more, leaves the
 *	  store's consent events as they were.
 *	Seed corpus: tests/fuzz/corpus/web/.
 * DIAGNOSTICS
 *	Aborts (a finding) when an invariant breaks.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "conf.h"
#include "csrf.h"
#include "form.h"
#include "fuzz_common.h"
#include "fuzz_store_setup.h"
#include "log.h"
#include "route.h"
#include "store.h"

#define FUZZ_WEB_FIELD_MAX	8192	/* bytes of a field after substitution */
#define FUZZ_WEB_EVENTS_MAX	2000	/* events before the store is made anew */

static struct store *st;
static struct web_app *app;
static int64_t customer;
static char tok_u[STORE_TOKEN_MAX], tok_a[STORE_TOKEN_MAX], csrf_u[CSRF_MAX], csrf_p[CSRF_MAX];

/* setup - the throw-away store, its customer, tokens and the app */
static void
setup(void)
{
	struct conf *c;
	char	err[CONF_ERR_MAX];
	int	created;
	time_t	now = time(NULL);

	log_set_level(LOG_CRIT);	/* the request log would drown the fuzzer's */
	st = fuzz_store_open("web");
	fuzz_check(store_customer_upsert(st, "an.nguyen@example.vn", "An", "", STORE_SRC_PORTAL,
					 &customer, &created) == STORE_OK, "customer");
	fuzz_check(store_token_make_dated(st, customer, CATEGORY_PROMOTION, now, tok_u,
					  sizeof(tok_u)) == STORE_OK, "token");
	fuzz_check(store_token_make_dated(st, customer, CATEGORY_ACCOUNT, now, tok_a,
					  sizeof(tok_a)) == STORE_OK, "token");
	csrf_make(st, 'u', tok_u, now, csrf_u, sizeof(csrf_u));
	csrf_make(st, 'p', tok_u, now, csrf_p, sizeof(csrf_p));
	c = fuzz_store_conf();
	if (conf_set(c, "web_base_url", "https://lienket.example/", err, sizeof(err)) < 0
	    || conf_set(c, "web_rate_limit", "0", err, sizeof(err)) < 0
	    || (app = web_app_new(c, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_web: %s\n", err);
		abort();
	}
	conf_free(c);
}

/* teardown - drop the store and the app; the next input makes them anew */
static void
teardown(void)
{
	web_app_free(app);
	fuzz_store_close(st);
	app = NULL;
	st = NULL;
}

/* expand - IN (LEN bytes) with the placeholders replaced, NUL-terminated. */
static size_t
expand(const uint8_t *in, size_t len, char *out, size_t outlen)
{
	size_t	i, o = 0;

	for (i = 0; i < len && o + 1 < outlen; i++) {
		const char *r = NULL;

		if (in[i] == '{' && i + 2 < len && in[i + 2] == '}') {
			switch (in[i + 1]) {
			case 'U': r = tok_u; break;
			case 'A': r = tok_a; break;
			case 'C': r = csrf_u; break;
			case 'P': r = csrf_p; break;
			}
		}
		if (r != NULL && o + strlen(r) + 1 < outlen) {
			memcpy(out + o, r, strlen(r));
			o += strlen(r);
			i += 2;
		} else
			out[o++] = (char) in[i];
	}
	out[o] = 0;
	return (o);
}

/* line - the next '\n'-ended piece of DATA at *POS (the rest when last). */
static const uint8_t *
line(const uint8_t *data, size_t size, size_t *pos, size_t *len, int last)
{
	const uint8_t *s = data + *pos;
	const uint8_t *nl = last ? NULL : memchr(s, '\n', size - *pos);

	*len = nl ? (size_t) (nl - s) : size - *pos;
	*pos += *len + (nl ? 1 : 0);
	return (s);
}

/* count_one - count one consent event (store_consent_each callback) */
static int
count_one(const struct store_consent *e, void *arg)
{
	(void) e;
	(*(long *) arg)++;
	return (0);
}

/* events - the test customer's consent events */
static long
events(void)
{
	long	n = 0;

	fuzz_check(store_consent_each(st, customer, count_one, &n) == STORE_OK, "consent list");
	return (n);
}

/* check_form - form_parse()'s invariants */
static void
check_form(const char *ct, const char *body, size_t len)
{
	struct form f;
	size_t	i, k;
	int	rc = form_parse(ct, body, len, &f);

	if (rc != FORM_OK) {
		fuzz_check(f.n == 0, "a refused form is empty");
		return;
	}
	fuzz_check(f.n <= FORM_FIELDS_MAX, "field count");
	for (i = 0; i < f.n; i++) {
		const char *p;

		fuzz_check(f.f[i].name[0] != 0, "a field has a name");
		for (p = f.f[i].name; *p; p++)
			fuzz_check(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "0123456789-_", *p) != NULL, "name characters");
		for (p = f.f[i].value; *p; p++)
			fuzz_check(*p >= 0x20 && *p < 0x7f, "value characters");
		for (k = 0; k < i; k++)
			fuzz_check(strcmp(f.f[k].name, f.f[i].name) != 0, "no twin fields");
		fuzz_check(form_get(&f, f.f[i].name) == f.f[i].value, "form_get finds it");
	}
}

/* check_route - route_parse()'s invariants */
static void
check_route(const char *path)
{
	struct route r;
	int	rc = route_parse("/", path, &r);

	if (rc == ROUTE_OK && (r.page == ROUTE_UNSUBSCRIBE || r.page == ROUTE_PREFERENCES))
		fuzz_check(r.token[0] != 0 && strspn(r.token, "abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == strlen(r.token), "token characters");
	else
		fuzz_check(r.token[0] == 0, "no token outside a token page");
}

/* check_response - web_app_handle()'s invariants */
static void
check_response(const struct web_response *rs, int is_read, long before)
{
	static const int known[] = {200, 400, 403, 404, 405, 410, 413, 414, 415, 429, 500, 503};
	size_t	i;
	int	ok = 0;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok |= rs->status == known[i];
	fuzz_check(ok, "a known status");
	fuzz_check(rs->body != NULL && strlen(rs->body) == rs->len, "body of LEN bytes");
	fuzz_check(rs->content_type != NULL, "a content type");
	fuzz_check(strstr(rs->body, "<script") == NULL, "never a script");
	fuzz_check((rs->retry_after > 0) == (rs->status == 429 || rs->status == 503),
		   "Retry-After with 429 and 503 only");
	fuzz_check((rs->allow != NULL) == (rs->status == 405), "Allow with 405 only");
	if (is_read || rs->status >= 300)
		fuzz_check(events() == before, "a read or a refusal changes nothing");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char method[64], ct[FUZZ_WEB_FIELD_MAX], path[FUZZ_WEB_FIELD_MAX];
	static char body[FUZZ_WEB_FIELD_MAX];
	struct web_request rq;
	struct web_response rs;
	const uint8_t *p;
	size_t	pos = 0, len, blen;
	long	before;

	if (app == NULL)
		setup();
	p = line(data, size, &pos, &len, 0);
	expand(p, len < sizeof(method) ? len : sizeof(method) - 1, method, sizeof(method));
	p = line(data, size, &pos, &len, 0);
	expand(p, len, ct, sizeof(ct));
	p = line(data, size, &pos, &len, 0);
	expand(p, len, path, sizeof(path));
	p = line(data, size, &pos, &len, 1);
	blen = expand(p, len, body, sizeof(body));
	check_form(ct[0] ? ct : NULL, body, blen);
	check_route(path);
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = path;
	rq.content_type = ct[0] ? ct : NULL;
	rq.user_agent = "fuzz";
	rq.client = "192.0.2.1";
	rq.body = body;
	rq.body_len = blen;
	before = events();
	web_app_handle(app, &rq, &rs);
	check_response(&rs, strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0, before);
	web_response_clear(&rs);
	if (before > FUZZ_WEB_EVENTS_MAX)
		teardown();
	return (0);
}
