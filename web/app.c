/*
 * NAME
 *	app 3
 * SUMMARY
 *	links-web's requests and answers, without the HTTP server around them
 * SYNOPSIS
 *	#include "app.h"
 * DESCRIPTION
 *	See app.h. The settings derived from links.conf (prefix, limits,
 *	the page texts' site block, the rate limiter) live in one
 *	reference-counted struct web_settings: a request holds the one
 *	current when it started, a reload swaps in a new one.
 * DIAGNOSTICS
 *	See app.h. Log lines name the customer by id and the client by
 *	its keyed hash, never by address.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "app.h"
#include "crypt.h"
#include "csrf.h"
#include "form.h"
#include "group.h"
#include "log.h"
#include "page.h"
#include "pool.h"
#include "ratelimit.h"
#include "route.h"
#include "store.h"
#include "strbuf.h"
#include "weblink.h"

#define SECONDS_PER_DAY		86400L
#define HTML_TYPE		"text/html; charset=utf-8"
#define CSS_TYPE		"text/css; charset=utf-8"
#define TEXT_TYPE		"text/plain; charset=utf-8"
#define ALLOW_READ		"GET, HEAD"
#define ALLOW_FORM		"GET, HEAD, POST"
#define ONE_CLICK_KEY		"List-Unsubscribe"	/* RFC 8058 section 3.1 */
#define ONE_CLICK_VALUE		"One-Click"
#define PAGE_UNSUBSCRIBE	'u'			/* the page letter of a form token */
#define PAGE_PREFERENCES	'p'
#define HASH_HEX		12			/* hex digits of ids in evidence and logs */
#define MASK_KEEP		2			/* letters of a local part shown */
#define DATE_ISO_MAX		16

struct web_settings {
	int	refs;			/* under app->lock */
	struct conf *conf;
	char	prefix[WEBLINK_BASE_MAX + 2];
	long	token_days;
	long	form_minutes;
	long	retry_after;
	time_t	undated_until;		/* last second undated links work; 0: never */
	struct page_site site;
	struct ratelimit *rl;
};

struct web_app {
	pthread_mutex_t lock;
	struct web_settings *cur;
	struct pool *pool;
	struct group *group;
};

/* One request's working state. */
struct job {
	struct web_app *app;
	struct web_settings *set;
	const struct web_request *rq;
	struct web_response *rs;
	struct store *st;
	struct route route;
	int64_t	customer;
	enum category cat;
	time_t	issued;
	time_t	now;
	char	req_id[HASH_HEX + 1];
	char	client_id[HASH_HEX + 1];
};

/* ---- settings ---- */

/* parse_day - "YYYY-MM-DD" as the last second of that day UTC; "" as 0. */
static int
parse_day(const char *s, time_t *out)
{
	struct tm tm;
	char   *end;

	*out = 0;
	if (*s == 0)
		return (0);
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end != 0 || tm.tm_year < 70)
		return (-1);
	*out = timegm(&tm) + SECONDS_PER_DAY - 1;
	return (0);
}

/* web_settings_check - the web_* options of C, as -n reports them */
int
web_settings_check(const struct conf *c, char *err, size_t errlen)
{
	const char *base = conf_web_base_url(c);
	time_t	t;

	if (*base && weblink_base_check(base, err, errlen) < 0)
		return (-1);
	if (parse_day(conf_web_undated_tokens_until(c), &t) < 0) {
		snprintf(err, errlen, "web_undated_tokens_until: need a date YYYY-MM-DD, or "
			 "nothing");
		return (-1);
	}
	return (0);
}

/* settings_free - release settings nobody holds any more */
static void
settings_free(struct web_settings *s)
{
	if (s == NULL)
		return;
	ratelimit_free(s->rl);
	conf_free(s->conf);
	free(s);
}

/* settings_new - the settings of configuration C */
static struct web_settings *
settings_new(struct conf *c, char *err, size_t errlen)
{
	struct web_settings *s;
	const char *base = conf_web_base_url(c);

	if (web_settings_check(c, err, errlen) < 0)
		return (NULL);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto nomem;
	s->refs = 1;
	s->conf = conf_ref(c);
	if (*base == 0)
		snprintf(s->prefix, sizeof(s->prefix), "/");
	else if (weblink_base_path(base, s->prefix, sizeof(s->prefix)) < 0) {
		snprintf(err, errlen, "web_base_url: cannot take its path");
		settings_free(s);
		return (NULL);
	}
	s->token_days = (long) conf_web_token_days(c);
	s->form_minutes = (long) conf_web_form_minutes(c);
	s->retry_after = (long) conf_web_retry_after(c);
	parse_day(conf_web_undated_tokens_until(c), &s->undated_until);
	s->site.company = conf_company_name(c);
	s->site.address = conf_contact_address(c);
	s->site.phone = conf_contact_phone(c);
	s->site.email = conf_contact_email(c);
	s->site.portal = conf_portal_url(c);
	s->site.prefix = s->prefix;
	s->site.token_days = s->token_days;
	s->site.form_minutes = s->form_minutes;
	if ((s->rl = ratelimit_new((long) conf_web_rate_limit(c), WEB_RATE_SLOTS)) == NULL) {
		settings_free(s);
		goto nomem;
	}
	return (s);
nomem:
	snprintf(err, errlen, "out of memory");
	return (NULL);
}

/* settings_hold - the current settings, held for one request */
static struct web_settings *
settings_hold(struct web_app *app)
{
	struct web_settings *s;

	pthread_mutex_lock(&app->lock);
	s = app->cur;
	s->refs++;
	pthread_mutex_unlock(&app->lock);
	return (s);
}

/* settings_release - let go of settings; the last one frees them */
static void
settings_release(struct web_app *app, struct web_settings *s)
{
	int	last;

	pthread_mutex_lock(&app->lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&app->lock);
	if (last)
		settings_free(s);
}

/* web_app_new - the app of configuration C */
struct web_app *
web_app_new(struct conf *c, char *err, size_t errlen)
{
	struct web_app *app;

	if ((app = calloc(1, sizeof(*app))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	pthread_mutex_init(&app->lock, NULL);
	if ((app->cur = settings_new(c, err, errlen)) == NULL
	    || (app->pool = pool_new(WEB_POOL_MAX)) == NULL
	    || (app->group = group_new()) == NULL) {
		if (app->cur != NULL)
			snprintf(err, errlen, "out of memory");
		web_app_free(app);
		return (NULL);
	}
	return (app);
}

/* web_app_reload - install configuration C for the next requests */
int
web_app_reload(struct web_app *app, struct conf *c, char *err, size_t errlen)
{
	struct web_settings *s, *old;

	if ((s = settings_new(c, err, errlen)) == NULL)
		return (-1);
	pthread_mutex_lock(&app->lock);
	old = app->cur;
	app->cur = s;
	pthread_mutex_unlock(&app->lock);
	settings_release(app, old);
	pool_flush(app->pool);
	return (0);
}

/* web_app_free - release the app */
void
web_app_free(struct web_app *app)
{
	if (app == NULL)
		return;
	if (app->cur != NULL)
		settings_release(app, app->cur);
	pool_free(app->pool);
	group_free(app->group);
	pthread_mutex_destroy(&app->lock);
	free(app);
}

/* web_response_clear - free a response's body */
void
web_response_clear(struct web_response *rs)
{
	free(rs->body);
	memset(rs, 0, sizeof(*rs));
}

/* ---- answers ---- */

/* answer - hand the page in B to the response (B is emptied). */
static void
answer(struct job *j, int status, const char *type, struct strbuf *b)
{
	j->rs->status = status;
	j->rs->content_type = type;
	j->rs->len = b->len;
	j->rs->body = strbuf_steal(b);
	if (j->rs->body == NULL) {
		j->rs->body = strdup("");
		j->rs->len = 0;
	}
}

/* fail - answer with the page of error E (BACK: link to that page of the token). */
static void
fail(struct job *j, enum page_error e, const char *back, long retry)
{
	struct strbuf b;

	strbuf_init(&b);
	if (page_error(&b, &j->set->site, e, back, j->route.token[0] ? j->route.token : NULL,
		       retry) < 0) {
		strbuf_free(&b);
		strbuf_init(&b);
		strbuf_adds(&b, "Internal error\n");
		answer(j, 500, TEXT_TYPE, &b);
		return;
	}
	answer(j, page_status(e), HTML_TYPE, &b);
	j->rs->retry_after = retry;
	if (e == PAGE_E_METHOD)
		j->rs->allow = j->route.page == ROUTE_UNSUBSCRIBE
			|| j->route.page == ROUTE_PREFERENCES ? ALLOW_FORM : ALLOW_READ;
}

/* store_failed - the answer to store code RC: 503 when it may pass, else 500. */
static void
store_failed(struct job *j, int rc, const char *what)
{
	log_msg(rc == STORE_NOTFOUND ? LOG_INFO : rc == STORE_TEMP ? LOG_WARNING : LOG_ERR,
		"%s: store: %s (req %s)", what, j->st ? store_errmsg(j->st) : "unavailable",
		j->req_id);
	if (rc == STORE_NOTFOUND)
		fail(j, PAGE_E_GONE, NULL, 0);
	else if (rc == STORE_TEMP)
		fail(j, PAGE_E_UNAVAILABLE, NULL, j->set->retry_after);
	else
		fail(j, PAGE_E_INTERNAL, NULL, 0);
}

/* ---- the link and the customer ---- */

/* link_check - is the route's token genuine and young enough? 0, or the error. */
static int
link_check(struct job *j)
{
	int	rc;

	rc = store_token_verify_dated(j->st, j->route.token, &j->customer, &j->cat, &j->issued);
	if (rc == STORE_NOTFOUND) {
		log_info("bad link: %s (client %s)", store_errmsg(j->st), j->client_id);
		ratelimit_take(j->set->rl, j->rq->client, WEB_BAD_LINK_COST);
		return (PAGE_E_BAD_LINK);
	}
	if (rc != STORE_OK)
		return (PAGE_E_INTERNAL);
	if (j->issued == 0 ? (j->set->undated_until == 0 || j->now > j->set->undated_until)
	    : j->now - j->issued > j->set->token_days * SECONDS_PER_DAY + SECONDS_PER_DAY) {
		log_info("expired link: customer %lld, %s (client %s)", (long long) j->customer,
			 j->issued ? "dated" : "undated", j->client_id);
		return (PAGE_E_EXPIRED);
	}
	return (0);
}

/* mask - "an…@example.vn": enough for the customer to see it is theirs. */
static void
mask(const char *email, char *out, size_t outlen)
{
	const char *at = strrchr(email, '@');
	size_t	local = at ? (size_t) (at - email) : strlen(email);
	size_t	keep = local > 2 * MASK_KEEP ? MASK_KEEP : 1;

	if (local == 0 || at == NULL) {
		snprintf(out, outlen, "…");
		return;
	}
	snprintf(out, outlen, "%.*s…%s", (int) keep, email, at);
}

/* The newest PAGE_EVENTS_MAX events, and the time of each category's last one. */
struct events {
	struct page_event ring[PAGE_EVENTS_MAX];
	size_t	total;
	time_t	last[CATEGORY_COUNT][2];	/* [category][optout] */
};

/* event_one - keep one consent event (store_consent_each callback) */
static int
event_one(const struct store_consent *e, void *arg)
{
	struct events *ev = arg;
	struct page_event *p = &ev->ring[ev->total % PAGE_EVENTS_MAX];

	p->at = e->at;
	p->cat = e->category;
	p->optout = e->optout;
	p->channel = e->channel;
	if ((unsigned) e->category < CATEGORY_COUNT)
		ev->last[e->category][e->optout ? 1 : 0] = e->at;
	ev->total++;
	return (0);
}

/* customer_page - fill PC (and EV, OUT_EVENTS) with what the store holds. */
static int
customer_page(struct job *j, struct page_customer *pc, struct events *ev,
	      struct page_event *out_events, char *who, size_t wholen)
{
	struct store_customer c;
	size_t	i, n;
	int	rc, cat;

	memset(&c, 0, sizeof(c));
	if ((rc = store_customer_get(j->st, j->customer, &c)) != STORE_OK)
		return (rc);
	mask(c.email, who, wholen);
	store_customer_clear(&c);
	pc->who = who;
	pc->token = j->route.token;
	pc->cat = j->cat;
	for (cat = 0; cat < CATEGORY_COUNT; cat++) {
		if (!category_refusable((enum category) cat))
			continue;
		if ((rc = store_is_optout(j->st, j->customer, (enum category) cat)) < 0)
			return (rc);
		pc->refused[cat] = rc;
	}
	memset(ev, 0, sizeof(*ev));
	if ((rc = store_consent_each(j->st, j->customer, event_one, ev)) != STORE_OK)
		return (rc);
	n = ev->total < PAGE_EVENTS_MAX ? ev->total : PAGE_EVENTS_MAX;
	for (i = 0; i < n; i++)		/* newest first */
		out_events[i] = ev->ring[(ev->total - 1 - i) % PAGE_EVENTS_MAX];
	for (cat = 0; cat < CATEGORY_COUNT; cat++)
		pc->since[cat] = ev->last[cat][pc->refused[cat] ? 1 : 0];
	pc->events = out_events;
	pc->nevents = n;
	pc->nevents_total = ev->total;
	return (STORE_OK);
}

/* show - the unsubscribe or preference page of the customer, with BANNER. */
static void
show(struct job *j, enum route_page which, enum page_banner banner)
{
	struct page_customer pc;
	struct page_event events[PAGE_EVENTS_MAX];
	struct events ev;
	char	who[STORE_EMAIL_MAX + 8], csrf[CSRF_MAX];
	struct strbuf b;
	int	rc;

	memset(&pc, 0, sizeof(pc));
	if ((rc = customer_page(j, &pc, &ev, events, who, sizeof(who))) != STORE_OK) {
		store_failed(j, rc, "page");
		return;
	}
	csrf_make(j->st, which == ROUTE_UNSUBSCRIBE ? PAGE_UNSUBSCRIBE : PAGE_PREFERENCES,
		  j->route.token, j->now, csrf, sizeof(csrf));
	pc.csrf = csrf;
	pc.banner = banner;
	strbuf_init(&b);
	rc = which == ROUTE_UNSUBSCRIBE ? page_unsubscribe(&b, &j->set->site, &pc)
		: page_preferences(&b, &j->set->site, &pc);
	if (rc < 0) {
		strbuf_free(&b);
		fail(j, PAGE_E_INTERNAL, NULL, 0);
		return;
	}
	answer(j, 200, HTML_TYPE, &b);
}

/* ---- changes ---- */

/* evidence - what is kept with a consent event; see app.h. */
static void
evidence(struct job *j, const char *how, char *out, size_t outlen)
{
	unsigned char h[SHA256_DIGEST_LENGTH];
	char	link[HASH_HEX + 1], ua[WEB_UA_MAX + 1], day[DATE_ISO_MAX] = "undated";
	char	lower[STORE_TOKEN_MAX];
	const char *u = j->rq->user_agent ? j->rq->user_agent : "";
	size_t	i;
	struct tm tm;

	for (i = 0; j->route.token[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char) (j->route.token[i] | 0x20);	/* base32: letters and digits */
	lower[i] = 0;
	SHA256((const unsigned char *) lower, strlen(lower), h);
	crypt_hex(h, HASH_HEX / 2, link);
	for (i = 0; u[i] && i < WEB_UA_MAX; i++)
		ua[i] = (u[i] >= 0x20 && u[i] < 0x7f && u[i] != '"' && u[i] != '\\') ? u[i] : '?';
	ua[i] = 0;
	if (j->issued > 0) {
		gmtime_r(&j->issued, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	}
	snprintf(out, outlen, "links-web %s req=%s link=%s issued=%s client=hmac:%s ua=\"%s\"",
		 how, j->req_id, link, day, j->client_id, ua);
}

/* A request's change of preferences, run by the group commit (group.h). */
struct change {
	int64_t	customer;
	int	want[CATEGORY_COUNT];	/* 1: refused, 0: wanted, -1: leave */
	enum store_channel channel;
	const char *evidence;
	int	changed;
};

/* change_run - apply one request's change on the leader's connection */
static int
change_run(struct store *st, void *arg)
{
	struct change *c = arg;
	int	rc, cat, n;

	c->changed = 0;
	for (cat = 0; cat < CATEGORY_COUNT; cat++) {
		if (c->want[cat] < 0)
			continue;
		n = 0;
		rc = c->want[cat] ? store_optout(st, c->customer, cat, c->channel, c->evidence, &n)
			: store_optin(st, c->customer, cat, c->channel, c->evidence, &n);
		if (rc != STORE_OK)
			return (rc);
		c->changed += n;
	}
	return (STORE_OK);
}

/* apply - make change C durable with the others of this moment; a STORE_ code. */
static int
apply(struct job *j, struct change *c)
{
	return (group_write(j->app->group, j->set, j->st, change_run, c));
}

/* read_form - parse the body; 0, or the error page to answer with. */
static int
read_form(struct job *j, struct form *f)
{
	int	rc;

	if (j->rq->body_too_large)
		return (PAGE_E_TOO_LARGE);
	rc = form_parse(j->rq->content_type, j->rq->body, j->rq->body_len, f);
	if (rc == FORM_EMEDIA)
		return (PAGE_E_MEDIA_TYPE);
	return (rc == FORM_OK ? 0 : PAGE_E_BAD_REQUEST);
}

/* unsubscribe_post - POST u/TOKEN: RFC 8058 one-click, or the page's button */
static void
unsubscribe_post(struct job *j)
{
	struct form f;
	const char *csrf, *oc;
	char	ev[STORE_EVIDENCE_MAX + 1];
	int	e, rc, changed = 0, one_click;

	if ((e = read_form(j, &f)) != 0 || (e = link_check(j)) != 0) {
		fail(j, (enum page_error) e, NULL, 0);
		return;
	}
	csrf = form_get(&f, "csrf");
	oc = form_get(&f, ONE_CLICK_KEY);
	one_click = csrf == NULL;
	if (one_click && (oc == NULL || strcmp(oc, ONE_CLICK_VALUE) != 0)) {
		fail(j, PAGE_E_BAD_REQUEST, NULL, 0);
		return;
	}
	if (!one_click && !csrf_check(j->st, PAGE_UNSUBSCRIBE, j->route.token, csrf, j->now,
				      j->set->form_minutes)) {
		fail(j, PAGE_E_FORM_EXPIRED, WEBLINK_PATH_UNSUBSCRIBE, 0);
		return;
	}
	if (!category_refusable(j->cat)) {
		fail(j, PAGE_E_NOT_REFUSABLE, WEBLINK_PATH_PREFERENCES, 0);
		return;
	}
	evidence(j, one_click ? "one-click POST (RFC 8058)" : "unsubscribe page", ev, sizeof(ev));
	/*
	 * A repeat (mail providers retry; people press twice) is answered
	 * from a read, without joining the writers: store_optout() alone
	 * would also change nothing, but only after the write lock.
	 */
	if ((rc = store_is_optout(j->st, j->customer, j->cat)) == 0) {
		struct change c;

		memset(&c, 0, sizeof(c));
		memset(c.want, -1, sizeof(c.want));
		c.customer = j->customer;
		c.want[j->cat] = 1;
		c.channel = one_click ? STORE_CH_ONE_CLICK : STORE_CH_WEB;
		c.evidence = ev;
		rc = apply(j, &c);
		changed = c.changed;
	} else if (rc == 1)
		rc = STORE_OK;
	if (rc != STORE_OK) {
		store_failed(j, rc, "unsubscribe");
		return;
	}
	log_msg(changed ? LOG_NOTICE : LOG_INFO,
		"unsubscribe: customer %lld %s refused by %s, %d change%s (req %s, client %s)",
		(long long) j->customer, category_name(j->cat),
		one_click ? "one-click" : "page", changed, changed == 1 ? "" : "s",
		j->req_id, j->client_id);
	if (one_click) {
		struct page_customer pc;
		struct strbuf b;

		memset(&pc, 0, sizeof(pc));
		pc.cat = j->cat;
		strbuf_init(&b);
		if (page_one_click(&b, &j->set->site, &pc) < 0) {
			strbuf_free(&b);
			fail(j, PAGE_E_INTERNAL, NULL, 0);
		} else
			answer(j, 200, HTML_TYPE, &b);
		return;
	}
	show(j, ROUTE_PREFERENCES, PAGE_BANNER_UNSUBSCRIBED);
}

/* prefs_apply - the wanted state of each refusable category, all or nothing. */
static int
prefs_apply(struct job *j, const int refuse[CATEGORY_COUNT], int *changed)
{
	char	ev[STORE_EVIDENCE_MAX + 1];
	struct change c;
	int	rc, cat;

	evidence(j, "preference page", ev, sizeof(ev));
	memset(&c, 0, sizeof(c));
	c.customer = j->customer;
	for (cat = 0; cat < CATEGORY_COUNT; cat++)
		c.want[cat] = category_refusable((enum category) cat) ? refuse[cat] : -1;
	c.channel = STORE_CH_WEB;
	c.evidence = ev;
	rc = apply(j, &c);
	*changed = rc == STORE_OK ? c.changed : 0;
	return (rc);
}

/* preferences_post - POST p/TOKEN: the preference form */
static void
preferences_post(struct job *j)
{
	struct form f;
	int	refuse[CATEGORY_COUNT] = {0};
	int	e, rc, cat, changed;
	const char *v;

	if ((e = read_form(j, &f)) != 0 || (e = link_check(j)) != 0) {
		fail(j, (enum page_error) e, NULL, 0);
		return;
	}
	if (!csrf_check(j->st, PAGE_PREFERENCES, j->route.token, form_get(&f, "csrf"), j->now,
			j->set->form_minutes)) {
		fail(j, PAGE_E_FORM_EXPIRED, WEBLINK_PATH_PREFERENCES, 0);
		return;
	}
	if ((v = form_get(&f, "form")) == NULL || strcmp(v, "prefs") != 0) {
		fail(j, PAGE_E_BAD_REQUEST, NULL, 0);
		return;
	}
	for (cat = 0; cat < CATEGORY_COUNT; cat++) {
		if (!category_refusable((enum category) cat))
			continue;
		v = form_get(&f, category_name((enum category) cat));
		if (v != NULL && strcmp(v, "1") != 0) {
			fail(j, PAGE_E_BAD_REQUEST, NULL, 0);
			return;
		}
		refuse[cat] = v == NULL;	/* an unticked box is not sent */
	}
	if ((rc = prefs_apply(j, refuse, &changed)) != STORE_OK) {
		store_failed(j, rc, "preferences");
		return;
	}
	log_notice("preferences: customer %lld, %d change%s (promotion %s, survey %s; req %s, "
		   "client %s)", (long long) j->customer, changed, changed == 1 ? "" : "s",
		   refuse[CATEGORY_PROMOTION] ? "refused" : "wanted",
		   refuse[CATEGORY_SURVEY] ? "refused" : "wanted", j->req_id, j->client_id);
	show(j, ROUTE_PREFERENCES, changed ? PAGE_BANNER_SAVED : PAGE_BANNER_UNCHANGED);
}

/* token_page - the pages of a link: the store, the method, the check. */
static void
token_page(struct job *j, int is_get, int is_post)
{
	char	err[256];
	int	e;

	if (!is_get && !is_post) {
		fail(j, PAGE_E_METHOD, NULL, 0);
		return;
	}
	if ((j->st = pool_get(j->app->pool, j->set->conf, (long) conf_store_busy_timeout(j->set->conf),
			      err, sizeof(err))) == NULL) {
		log_warning("store unavailable: %s (req %s)", err, j->req_id);
		fail(j, PAGE_E_UNAVAILABLE, NULL, j->set->retry_after);
		return;
	}
	{
		unsigned char mac[STORE_MAC_LEN];

		store_web_mac(j->st, "client", j->rq->client, strlen(j->rq->client), mac);
		crypt_hex(mac, HASH_HEX / 2, j->client_id);
	}
	if (is_post) {
		if (j->route.page == ROUTE_UNSUBSCRIBE)
			unsubscribe_post(j);
		else
			preferences_post(j);
		return;
	}
	if ((e = link_check(j)) != 0)
		fail(j, (enum page_error) e, NULL, 0);
	else if (j->route.page == ROUTE_UNSUBSCRIBE && !category_refusable(j->cat))
		fail(j, PAGE_E_NOT_REFUSABLE, WEBLINK_PATH_PREFERENCES, 0);
	else
		show(j, j->route.page, PAGE_BANNER_NONE);
}

/* static_page - the pages that are the same for everyone. */
static void
static_page(struct job *j, int is_get)
{
	struct strbuf b;

	if (!is_get) {
		fail(j, PAGE_E_METHOD, NULL, 0);
		return;
	}
	strbuf_init(&b);
	switch (j->route.page) {
	case ROUTE_STYLE:
		strbuf_adds(&b, page_style());
		answer(j, 200, CSS_TYPE, &b);
		j->rs->cacheable = 1;
		return;
	case ROUTE_ROBOTS:
		strbuf_adds(&b, page_robots());
		answer(j, 200, TEXT_TYPE, &b);
		j->rs->cacheable = 1;
		return;
	default:
		if (page_home(&b, &j->set->site) < 0) {
			strbuf_free(&b);
			fail(j, PAGE_E_INTERNAL, NULL, 0);
			return;
		}
		answer(j, 200, HTML_TYPE, &b);
	}
}

/* web_app_handle - answer one request */
void
web_app_handle(struct web_app *app, const struct web_request *rq, struct web_response *rs)
{
	struct job j;
	unsigned char r[HASH_HEX / 2];
	int	rc, is_get, is_post;
	long	retry;

	memset(&j, 0, sizeof(j));
	memset(rs, 0, sizeof(*rs));
	j.app = app;
	j.rq = rq;
	j.rs = rs;
	j.set = settings_hold(app);
	j.now = time(NULL);
	if (RAND_bytes(r, sizeof(r)) != 1)
		memset(r, 0, sizeof(r));
	crypt_hex(r, HASH_HEX / 2, j.req_id);
	snprintf(j.client_id, sizeof(j.client_id), "-");
	is_get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
	is_post = strcmp(rq->method, "POST") == 0;
	rc = route_parse(j.set->prefix, rq->path, &j.route);
	if ((retry = ratelimit_take(j.set->rl, rq->client, 1)) > 0) {
		log_info("rate limit: a client waits %ld s (req %s)", retry, j.req_id);
		fail(&j, PAGE_E_RATE, NULL, retry);
	} else if (rc == ROUTE_ETOOLONG)
		fail(&j, PAGE_E_URI_TOO_LONG, NULL, 0);
	else if (rc == ROUTE_EBADTOKEN) {
		ratelimit_take(j.set->rl, rq->client, WEB_BAD_LINK_COST);
		fail(&j, PAGE_E_BAD_LINK, NULL, 0);
	} else if (rc != ROUTE_OK)
		fail(&j, PAGE_E_NOT_FOUND, NULL, 0);
	else if (j.route.page == ROUTE_UNSUBSCRIBE || j.route.page == ROUTE_PREFERENCES)
		token_page(&j, is_get, is_post);
	else
		static_page(&j, is_get);
	if (j.st != NULL)
		pool_put(app->pool, j.st);
	settings_release(app, j.set);
}
