/*
 * NAME
 *	test_web 1
 * SUMMARY
 *	unit tests of links-web's library (web/) and of the store parts it
 *	added (dated tokens, weblink.h, store_web_mac, channel web)
 * SYNOPSIS
 *	unit/test_web
 * DESCRIPTION
 *	The pure modules (form, route, csrf, ratelimit, page, client) with
 *	inputs of every kind, then the request logic (app.h) against a real
 *	store in a mkdtemp() directory: what each request answers and what
 *	it leaves in the store. The HTTP layer itself (libmicrohttpd, curl,
 *	a browser) is tested by tests/web-*.sh.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <sqlite3.h>

#include "app.h"
#include "client.h"
#include "conf.h"
#include "csrf.h"
#include "form.h"
#include "page.h"
#include "ratelimit.h"
#include "route.h"
#include "store.h"
#include "strbuf.h"
#include "weblink.h"

#define DAY		86400
#define PATH_BUF	512
#define CLIENT		"203.0.113.7"
#define UA		"Mozilla/5.0 (test)"
#define URLENC		"application/x-www-form-urlencoded"
#define ONE_CLICK_BODY	"List-Unsubscribe=One-Click"

/* ---- fixture: a store, a configuration and an app ---- */

struct fx {
	char	dir[PATH_BUF];
	char	db[PATH_BUF + 16];
	char	key[PATH_BUF + 16];
	struct conf *conf;
	struct store *st;
	struct web_app *app;
	int64_t	an;			/* a customer */
};

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return remove(path);
}

static void
set(struct conf *c, const char *name, const char *value)
{
	char	err[CONF_ERR_MAX];

	ck_assert_msg(conf_set(c, name, value, err, sizeof(err)) == 0, "conf_set %s: %s", name, err);
}

static void
fx_setup(struct fx *f)
{
	char	err[CONF_ERR_MAX];
	const char *tmp = getenv("TMPDIR");
	int	created;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/test_web.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/links.db", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/master.key", f->dir);
	f->conf = conf_defaults();
	ck_assert_ptr_nonnull(f->conf);
	set(f->conf, "store_path", f->db);
	set(f->conf, "key_file", f->key);
	set(f->conf, "store_busy_timeout", "200");
	set(f->conf, "web_base_url", "https://lienket.ilinks.asia/email/");
	set(f->conf, "web_rate_limit", "0");
	set(f->conf, "company_name", "LINKS <b>&</b> \"Co\"");
	ck_assert_msg(store_init(f->conf, err, sizeof(err)) == STORE_OK, "init: %s", err);
	f->st = store_open(f->conf, err, sizeof(err));
	ck_assert_msg(f->st != NULL, "open: %s", err);
	ck_assert_int_eq(store_customer_upsert(f->st, "an.nguyen@example.vn", "Nguyễn Văn An", "",
					       STORE_SRC_PORTAL, &f->an, &created), STORE_OK);
	f->app = web_app_new(f->conf, err, sizeof(err));
	ck_assert_msg(f->app != NULL, "app: %s", err);
}

static void
fx_teardown(struct fx *f)
{
	web_app_free(f->app);
	store_close(f->st);
	conf_free(f->conf);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A path of the app for PAGE ("u/" or "p/") and TOKEN. */
static void
path_of(char *out, size_t outlen, const char *page, const char *token)
{
	snprintf(out, outlen, "/email/%s%s", page, token);
}

static void
dated(struct fx *f, int64_t id, enum category cat, time_t when, char tok[STORE_TOKEN_MAX])
{
	ck_assert_int_eq(store_token_make_dated(f->st, id, cat, when, tok, STORE_TOKEN_MAX),
			 STORE_OK);
}

static void
request(struct fx *f, const char *method, const char *path, const char *ctype, const char *body,
	struct web_response *rs)
{
	struct web_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = path;
	rq.content_type = ctype;
	rq.user_agent = UA;
	rq.client = CLIENT;
	rq.body = body;
	rq.body_len = body ? strlen(body) : 0;
	web_app_handle(f->app, &rq, rs);
	ck_assert_ptr_nonnull(rs->body);
	ck_assert_int_eq(strlen(rs->body), rs->len);
}

struct count {
	int	events;
	int	optouts;
	int	optins;
	enum store_channel last_channel;
	char	last_evidence[STORE_EVIDENCE_MAX + 1];
};

static int
count_one(const struct store_consent *e, void *arg)
{
	struct count *c = arg;

	c->events++;
	if (e->optout)
		c->optouts++;
	else
		c->optins++;
	c->last_channel = e->channel;
	snprintf(c->last_evidence, sizeof(c->last_evidence), "%s", e->evidence);
	return 0;
}

static struct count
events_of(struct fx *f, int64_t id)
{
	struct count c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_consent_each(f->st, id, count_one, &c), STORE_OK);
	return c;
}

/* The form token in a page: the value of the hidden csrf input. */
static void
csrf_in(const char *html, char *out, size_t outlen)
{
	const char *p = strstr(html, "name=\"csrf\" value=\"");
	size_t	n;

	ck_assert_ptr_nonnull(p);
	p += strlen("name=\"csrf\" value=\"");
	n = strcspn(p, "\"");
	ck_assert_uint_lt(n, outlen);
	memcpy(out, p, n);
	out[n] = 0;
}

/* ---- form ---- */

START_TEST(test_form_one_click_urlencoded_and_multipart)
{
	struct form f;
	const char *mp =
		"--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\n"
		"One-Click\r\n--XyZ--\r\n";

	ck_assert_int_eq(form_parse(URLENC, ONE_CLICK_BODY, strlen(ONE_CLICK_BODY), &f), FORM_OK);
	ck_assert_str_eq(form_get(&f, "List-Unsubscribe"), "One-Click");
	ck_assert_int_eq(form_parse("Application/X-WWW-Form-Urlencoded; charset=UTF-8",
				    ONE_CLICK_BODY "\r\n", strlen(ONE_CLICK_BODY) + 2, &f), FORM_OK);
	ck_assert_str_eq(form_get(&f, "List-Unsubscribe"), "One-Click");
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=XyZ", mp, strlen(mp), &f), FORM_OK);
	ck_assert_str_eq(form_get(&f, "List-Unsubscribe"), "One-Click");
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=\"XyZ\"", mp, strlen(mp), &f),
			 FORM_OK);
	ck_assert_ptr_null(form_get(&f, "csrf"));
	ck_assert_int_eq(form_parse(URLENC, "a=1&b=x+y%21&c", 14, &f), FORM_OK);
	ck_assert_str_eq(form_get(&f, "b"), "x y!");
	ck_assert_str_eq(form_get(&f, "c"), "");
}
END_TEST

START_TEST(test_form_refuses_what_a_form_cannot_be)
{
	struct form f;
	char	big[FORM_VALUE_MAX + 16];
	static const char *const bad[] = {
		"a=1&a=2", "a=%zz", "a=%4", "=1", "a b=1", "a=%00", "a=%0a", "a=\xc3\xa9",
		"a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9", NULL
	};
	const char *fn = "--b\r\nContent-Disposition: form-data; name=\"x\"; filename=\"a\"\r\n\r\n"
		"v\r\n--b--\r\n";
	const char *open = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv";
	const char *noname = "--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--\r\n";
	size_t	i;

	for (i = 0; bad[i]; i++)
		ck_assert_msg(form_parse(URLENC, bad[i], strlen(bad[i]), &f) == FORM_EBAD
			      && f.n == 0, "accepted %s", bad[i]);
	memset(big, 'v', sizeof(big));
	memcpy(big, "a=", 2);
	ck_assert_int_eq(form_parse(URLENC, big, sizeof(big), &f), FORM_EBAD);
	ck_assert_int_eq(form_parse("text/plain", "a=1", 3, &f), FORM_EMEDIA);
	ck_assert_int_eq(form_parse(NULL, "a=1", 3, &f), FORM_EMEDIA);
	ck_assert_int_eq(form_parse("application/json", "{}", 2, &f), FORM_EMEDIA);
	ck_assert_int_eq(form_parse("multipart/form-data", fn, strlen(fn), &f), FORM_EMEDIA);
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=b", fn, strlen(fn), &f), FORM_EBAD);
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=b", open, strlen(open), &f),
			 FORM_EBAD);
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=b", noname, strlen(noname), &f),
			 FORM_EBAD);
	ck_assert_int_eq(form_parse("multipart/form-data; boundary=b", "", 0, &f), FORM_EBAD);
}
END_TEST

/* ---- route ---- */

START_TEST(test_route_pages_under_the_prefix)
{
	struct route r;
	char	lng[ROUTE_PATH_MAX + 8];

	ck_assert_int_eq(route_parse("/email/", "/email/u/ABCdef234567", &r), ROUTE_OK);
	ck_assert_int_eq(r.page, ROUTE_UNSUBSCRIBE);
	ck_assert_str_eq(r.token, "ABCdef234567");
	ck_assert_int_eq(route_parse("/email/", "/email/p/abc", &r), ROUTE_OK);
	ck_assert_int_eq(r.page, ROUTE_PREFERENCES);
	ck_assert_int_eq(route_parse("/email/", "/email/links-web.css", &r), ROUTE_OK);
	ck_assert_int_eq(r.page, ROUTE_STYLE);
	ck_assert_int_eq(route_parse("/email/", "/email", &r), ROUTE_OK);
	ck_assert_int_eq(r.page, ROUTE_HOME);
	ck_assert_int_eq(route_parse("/", "/robots.txt", &r), ROUTE_OK);
	ck_assert_int_eq(r.page, ROUTE_ROBOTS);
	ck_assert_int_eq(route_parse("/email/", "/u/abc", &r), ROUTE_ENOTFOUND);
	ck_assert_int_eq(route_parse("/", "/u/", &r), ROUTE_ENOTFOUND);
	ck_assert_int_eq(route_parse("/", "/x/abc", &r), ROUTE_ENOTFOUND);
	ck_assert_int_eq(route_parse("/", "/u/abc%41", &r), ROUTE_EBADTOKEN);
	ck_assert_int_eq(route_parse("/", "/u/abc/", &r), ROUTE_EBADTOKEN);
	ck_assert_int_eq(route_parse("/", "/u/ab18", &r), ROUTE_EBADTOKEN);
	ck_assert_int_eq(route_parse("/", "/u/../etc/passwd", &r), ROUTE_EBADTOKEN);
	memset(lng, 'a', sizeof(lng));
	memcpy(lng, "/u/", 3);
	lng[sizeof(lng) - 1] = 0;
	ck_assert_int_eq(route_parse("/", lng, &r), ROUTE_ETOOLONG);
	lng[STORE_TOKEN_MAX + 3] = 0;
	ck_assert_int_eq(route_parse("/", lng, &r), ROUTE_EBADTOKEN);
}
END_TEST

/* ---- store additions: dated tokens, links, the web key ---- */

START_TEST(test_dated_token_round_trip_and_kinds)
{
	struct fx f;
	char	tok[STORE_TOKEN_MAX], und[STORE_TOKEN_MAX], bad[STORE_TOKEN_MAX + 8];
	time_t	when = 1795000000, issued = 1;
	enum category cat;
	int64_t	id;
	size_t	i;

	fx_setup(&f);
	dated(&f, 4242, CATEGORY_SURVEY, when, tok);
	ck_assert_uint_eq(strlen(tok), STORE_TOKEN_DATED_LEN);
	ck_assert_int_eq(store_token_verify_dated(f.st, tok, &id, &cat, &issued), STORE_OK);
	ck_assert_int_eq(id, 4242);
	ck_assert_int_eq(cat, CATEGORY_SURVEY);
	ck_assert_int_eq(issued, when - when % DAY);
	/* the milter's verifier accepts it too */
	ck_assert_int_eq(store_token_verify(f.st, tok, &id, &cat), STORE_OK);
	ck_assert_int_eq(store_token_make(f.st, 4242, CATEGORY_SURVEY, und, sizeof(und)), STORE_OK);
	ck_assert_int_eq(store_token_verify_dated(f.st, und, &id, &cat, &issued), STORE_OK);
	ck_assert_int_eq(issued, 0);
	for (i = 0; tok[i]; i++) {
		strcpy(bad, tok);
		bad[i] = bad[i] == 'a' ? 'b' : 'a';
		ck_assert_msg(store_token_verify_dated(f.st, bad, &id, &cat, &issued) == STORE_NOTFOUND,
			      "altered position %zu accepted", i);
	}
	/* an undated token's bytes under the dated label (or the reverse) do not verify */
	snprintf(bad, sizeof(bad), "%saaa", und);
	ck_assert_int_eq(store_token_verify_dated(f.st, bad, &id, &cat, &issued), STORE_NOTFOUND);
	ck_assert_int_eq(store_token_make_dated(f.st, 1, CATEGORY_SURVEY, -1, bad, sizeof(bad)),
			 STORE_ERR);
	ck_assert_int_eq(store_token_make_dated(f.st, 1, CATEGORY_SURVEY, (time_t) 70000 * DAY, bad,
						sizeof(bad)), STORE_ERR);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_weblink_format_and_base_check)
{
	struct fx f;
	char	url[WEBLINK_URL_MAX], path[64], err[256];
	time_t	now = time(NULL);
	static const char *const bad[] = {
		"http://x.example/", "https://", "https:///p", "https://x.example/a b",
		"https://x.example/?q=1", "https://x.example/#f", "https://u@x.example/",
		"https://x.example:0/", "https://x.example:99999/", "https://x.example//a",
		"https://x.example/../a", "https://-x.example/", "ftp://x.example/", "", NULL
	};
	size_t	i;

	fx_setup(&f);
	ck_assert_int_eq(weblink_url(f.st, "https://lienket.ilinks.asia", WEBLINK_UNSUBSCRIBE, f.an,
				     CATEGORY_PROMOTION, now, url, sizeof(url)), STORE_OK);
	ck_assert_int_eq(strncmp(url, "https://lienket.ilinks.asia/u/", 30), 0);
	ck_assert_uint_eq(strlen(url), 30 + STORE_TOKEN_DATED_LEN);
	ck_assert_int_eq(weblink_url(f.st, "https://ilinks.asia:8443/email/", WEBLINK_PREFERENCES, f.an,
				     CATEGORY_ACCOUNT, now, url, sizeof(url)), STORE_OK);
	ck_assert_int_eq(strncmp(url, "https://ilinks.asia:8443/email/p/", 33), 0);
	ck_assert_int_eq(weblink_base_path("https://ilinks.asia", path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/");
	ck_assert_int_eq(weblink_base_path("https://[2001:db8::1]/e", path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/e/");
	for (i = 0; bad[i]; i++)
		ck_assert_msg(weblink_base_check(bad[i], err, sizeof(err)) < 0, "accepted %s", bad[i]);
	ck_assert_int_eq(weblink_url(f.st, "http://x/", WEBLINK_UNSUBSCRIBE, f.an,
				     CATEGORY_PROMOTION, now, url, sizeof(url)), STORE_ERR);
	ck_assert_int_eq(weblink_url(f.st, "https://x.example/", WEBLINK_UNSUBSCRIBE, f.an,
				     CATEGORY_PROMOTION, now, url, 20), STORE_ERR);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_csrf_only_for_its_page_link_and_time)
{
	struct fx f;
	char	v[CSRF_MAX], w[CSRF_MAX + 1];
	time_t	now = 1795000000;

	fx_setup(&f);
	ck_assert_int_eq(csrf_make(f.st, 'u', "abcdef", now, v, sizeof(v)), 0);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", v, now, 60), 1);
	ck_assert_int_eq(csrf_check(f.st, 'u', "ABCDEF", v, now + 3599, 60), 1);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", v, now + 3601, 60), 0);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", v, now - CSRF_SKEW - 1, 60), 0);
	ck_assert_int_eq(csrf_check(f.st, 'p', "abcdef", v, now, 60), 0);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdeg", v, now, 60), 0);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", NULL, now, 60), 0);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", "", now, 60), 0);
	strcpy(w, v);
	w[strlen(w) - 1] = w[strlen(w) - 1] == '0' ? '1' : '0';
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", w, now, 60), 0);
	snprintf(w, sizeof(w), "0%s", v);
	ck_assert_int_eq(csrf_check(f.st, 'u', "abcdef", w, now, 60), 0);
	ck_assert_int_eq(csrf_make(f.st, 'u', "abcdef", now, w, 10), -1);
	fx_teardown(&f);
}
END_TEST

/* ---- rate limit, client, pages ---- */

START_TEST(test_ratelimit_budget_per_client)
{
	struct ratelimit *rl = ratelimit_new(3, 16), *off = ratelimit_new(0, 16);
	int	i;

	ck_assert_ptr_nonnull(rl);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(ratelimit_take(rl, "a", 1), 0);
	ck_assert_int_ge(ratelimit_take(rl, "a", 1), 1);
	ck_assert_int_le(ratelimit_take(rl, "a", 1), 60);
	ck_assert_int_eq(ratelimit_take(rl, "b", 1), 0);
	ck_assert_int_ge(ratelimit_take(rl, "b", 10), 1);
	for (i = 0; i < 1000; i++)	/* many clients: bounded memory, no failure */
		ratelimit_take(rl, (char[]) {(char) ('A' + i % 50), (char) ('0' + i / 50 % 10), 0}, 1);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(ratelimit_take(off, "a", 1), 0);
	ratelimit_free(rl);
	ratelimit_free(off);
}
END_TEST

START_TEST(test_client_behind_a_trusted_proxy_only)
{
	struct conf *c = conf_defaults();
	char	out[CLIENT_ADDR_MAX];

	set(c, "web_trusted_proxies", "127.0.0.1 ::1");
	client_address("127.0.0.1", "198.51.100.1, 203.0.113.9", c, out, sizeof(out));
	ck_assert_str_eq(out, "203.0.113.9");
	client_address("127.0.0.1", "198.51.100.1, 203.0.113.9, 127.0.0.1", c, out, sizeof(out));
	ck_assert_str_eq(out, "203.0.113.9");
	client_address("0:0::1", "2001:DB8::5", c, out, sizeof(out));
	ck_assert_str_eq(out, "2001:db8::5");
	client_address("192.0.2.1", "203.0.113.9", c, out, sizeof(out));
	ck_assert_str_eq(out, "192.0.2.1");	/* an untrusted peer's header is not believed */
	client_address("127.0.0.1", "not-an-address", c, out, sizeof(out));
	ck_assert_str_eq(out, "127.0.0.1");
	client_address("127.0.0.1", NULL, c, out, sizeof(out));
	ck_assert_str_eq(out, "127.0.0.1");
	client_address("127.0.0.1", "", c, out, sizeof(out));
	ck_assert_str_eq(out, "127.0.0.1");
	conf_free(c);
}
END_TEST

START_TEST(test_page_escapes_and_labels_every_control)
{
	struct page_site s = {"<script>alert(1)</script>", "a & b", "0\"1", "x'@y", "javascript:x",
			      "/", 365, 60};
	struct page_customer c;
	struct page_event ev[1] = {{1795000000, CATEGORY_PROMOTION, 1, STORE_CH_ONE_CLICK}};
	struct strbuf b;
	const char *p;
	int	e;

	memset(&c, 0, sizeof(c));
	c.token = "abc";
	c.csrf = "1.\"><x";
	c.who = "<i>an</i>@x";
	c.cat = CATEGORY_PROMOTION;
	c.events = ev;
	c.nevents = c.nevents_total = 1;
	strbuf_init(&b);
	ck_assert_int_eq(page_preferences(&b, &s, &c), 0);
	ck_assert_ptr_null(strstr(b.data, "<script"));
	ck_assert_ptr_null(strstr(b.data, "<i>"));
	ck_assert_ptr_null(strstr(b.data, "\"><x"));
	ck_assert_ptr_nonnull(strstr(b.data, "&lt;script&gt;"));
	ck_assert_ptr_nonnull(strstr(b.data, "<html lang=\"vi\">"));
	ck_assert_ptr_nonnull(strstr(b.data, "lang=\"en\""));
	ck_assert_ptr_nonnull(strstr(b.data, "name=\"viewport\""));
	/* every check box has a label for it */
	for (p = b.data; (p = strstr(p, "type=\"checkbox\" id=\"")) != NULL; p++) {
		char	id[32], lab[80];
		size_t	n;

		p += strlen("type=\"checkbox\" id=\"");
		n = strcspn(p, "\"");
		ck_assert_uint_lt(n, sizeof(id));
		memcpy(id, p, n);
		id[n] = 0;
		snprintf(lab, sizeof(lab), "<label for=\"%s\">", id);
		ck_assert_msg(strstr(b.data, lab) != NULL, "no label for %s", id);
	}
	ck_assert_ptr_null(strstr(b.data, "<script"));
	strbuf_free(&b);
	for (e = PAGE_E_BAD_REQUEST; e < PAGE_E_COUNT; e++) {
		strbuf_init(&b);
		ck_assert_int_eq(page_error(&b, &s, (enum page_error) e, "u/", "abc", 30), 0);
		ck_assert_int_ge(page_status((enum page_error) e), 400);
		ck_assert_ptr_null(strstr(b.data, "<script"));
		strbuf_free(&b);
	}
	ck_assert_int_eq(page_status(PAGE_E_NONE), 500);
}
END_TEST

/* ---- the app, against a real store ---- */

START_TEST(test_get_unsubscribe_page_changes_nothing)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128];

	fx_setup(&f);
	dated(&f, f.an, CATEGORY_PROMOTION, time(NULL), tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body, "email khuyến mãi"));
	ck_assert_ptr_nonnull(strstr(rs.body, "<form method=\"post\""));
	ck_assert_ptr_nonnull(strstr(rs.body, "an…@example.vn"));
	ck_assert_ptr_null(strstr(rs.body, "an.nguyen"));
	ck_assert_ptr_null(strstr(rs.body, "<b>&</b>"));	/* the company name is escaped */
	web_response_clear(&rs);
	request(&f, "HEAD", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_PROMOTION), 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_one_click_records_once_and_repeat_is_200)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128];
	struct count c;
	int	i;

	fx_setup(&f);
	dated(&f, f.an, CATEGORY_PROMOTION, time(NULL), tok);
	path_of(path, sizeof(path), "u/", tok);
	for (i = 0; i < 3; i++) {
		request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
		ck_assert_int_eq(rs.status, 200);
		ck_assert_int_eq(rs.retry_after, 0);
		web_response_clear(&rs);
	}
	c = events_of(&f, f.an);
	ck_assert_int_eq(c.events, 1);
	ck_assert_int_eq(c.optouts, 1);
	ck_assert_int_eq(c.last_channel, STORE_CH_ONE_CLICK);
	ck_assert_ptr_nonnull(strstr(c.last_evidence, "one-click POST (RFC 8058)"));
	ck_assert_ptr_nonnull(strstr(c.last_evidence, "client=hmac:"));
	ck_assert_ptr_null(strstr(c.last_evidence, CLIENT));
	ck_assert_ptr_null(strstr(c.last_evidence, tok));
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_SURVEY), 0);
	/* the token of another category refuses only that one */
	dated(&f, f.an, CATEGORY_SURVEY, time(NULL), tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 200);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 2);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_SURVEY), 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_bad_links_change_nothing)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128], old[STORE_TOKEN_MAX];
	time_t	now = time(NULL);

	fx_setup(&f);
	/* altered */
	dated(&f, f.an, CATEGORY_PROMOTION, now, tok);
	tok[5] = tok[5] == 'a' ? 'b' : 'a';
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 404);
	web_response_clear(&rs);
	/* unknown shape */
	request(&f, "POST", "/email/u/abcdefgh", URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 404);
	web_response_clear(&rs);
	/* expired */
	dated(&f, f.an, CATEGORY_PROMOTION, now - 400 * DAY, old);
	path_of(path, sizeof(path), "u/", old);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 410);
	web_response_clear(&rs);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 410);
	web_response_clear(&rs);
	/* a token of service mail cannot refuse it */
	dated(&f, f.an, CATEGORY_ACCOUNT, now, tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 403);
	web_response_clear(&rs);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 403);
	web_response_clear(&rs);
	/* a customer who is no more */
	dated(&f, f.an + 1000, CATEGORY_PROMOTION, now, tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 410);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_undated_links_until_the_configured_day)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128], err[CONF_ERR_MAX];

	fx_setup(&f);
	ck_assert_int_eq(store_token_make(f.st, f.an, CATEGORY_PROMOTION, tok, sizeof(tok)), STORE_OK);
	path_of(path, sizeof(path), "u/", tok);
	set(f.conf, "web_undated_tokens_until", "2999-12-31");
	ck_assert_int_eq(web_app_reload(f.app, f.conf, err, sizeof(err)), 0);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	web_response_clear(&rs);
	set(f.conf, "web_undated_tokens_until", "2020-01-01");
	ck_assert_int_eq(web_app_reload(f.app, f.conf, err, sizeof(err)), 0);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 410);
	web_response_clear(&rs);
	set(f.conf, "web_undated_tokens_until", "");
	ck_assert_int_eq(web_app_reload(f.app, f.conf, err, sizeof(err)), 0);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 410);
	web_response_clear(&rs);
	set(f.conf, "web_undated_tokens_until", "31/12/2027");
	ck_assert_int_eq(web_app_reload(f.app, f.conf, err, sizeof(err)), -1);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_page_button_needs_its_form_token)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128], csrf[CSRF_MAX], body[256];
	struct count c;

	fx_setup(&f);
	dated(&f, f.an, CATEGORY_PROMOTION, time(NULL), tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, "csrf=1.00", &rs);
	ck_assert_int_eq(rs.status, 403);
	web_response_clear(&rs);
	request(&f, "POST", path, URLENC, "", &rs);
	ck_assert_int_eq(rs.status, 400);
	web_response_clear(&rs);
	request(&f, "POST", path, URLENC, "List-Unsubscribe=Yes", &rs);
	ck_assert_int_eq(rs.status, 400);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	request(&f, "GET", path, NULL, NULL, &rs);
	csrf_in(rs.body, csrf, sizeof(csrf));
	web_response_clear(&rs);
	snprintf(body, sizeof(body), "csrf=%s", csrf);
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body, "Đã xong"));
	ck_assert_ptr_nonnull(strstr(rs.body, "Tùy chọn email"));
	web_response_clear(&rs);
	c = events_of(&f, f.an);
	ck_assert_int_eq(c.optouts, 1);
	ck_assert_int_eq(c.last_channel, STORE_CH_WEB);
	/* the form token of the unsubscribe page does not work on the preference page */
	path_of(path, sizeof(path), "p/", tok);
	snprintf(body, sizeof(body), "csrf=%s&form=prefs&promotion=1&survey=1", csrf);
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 403);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_preferences_resubscribe_is_consent_with_evidence)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128], csrf[CSRF_MAX], body[256];
	struct count c;

	fx_setup(&f);
	ck_assert_int_eq(store_optout(f.st, f.an, -1, STORE_CH_REPLY, "msgid=<x@y> rule=t", NULL),
			 STORE_OK);
	dated(&f, f.an, CATEGORY_ACCOUNT, time(NULL), tok);	/* the footer's link */
	path_of(path, sizeof(path), "p/", tok);
	request(&f, "GET", path, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_null(strstr(rs.body, "checked"));
	ck_assert_ptr_nonnull(strstr(rs.body, "<time datetime="));
	csrf_in(rs.body, csrf, sizeof(csrf));
	web_response_clear(&rs);
	snprintf(body, sizeof(body), "csrf=%s&form=prefs&promotion=1", csrf);
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body, "Đã lưu"));
	web_response_clear(&rs);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_SURVEY), 1);
	c = events_of(&f, f.an);
	ck_assert_int_eq(c.events, 3);
	ck_assert_int_eq(c.optins, 1);
	ck_assert_int_eq(c.last_channel, STORE_CH_WEB);
	ck_assert_ptr_nonnull(strstr(c.last_evidence, "preference page"));
	ck_assert_ptr_null(strstr(c.last_evidence, CLIENT));
	/* the same form again changes nothing */
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body, "không thay đổi"));
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 3);
	/* values other than "1" are refused */
	snprintf(body, sizeof(body), "csrf=%s&form=prefs&promotion=yes", csrf);
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 400);
	web_response_clear(&rs);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_methods_types_sizes_paths)
{
	struct fx f;
	struct web_response rs;
	struct web_request rq;
	char	tok[STORE_TOKEN_MAX], path[128], lng[ROUTE_PATH_MAX + 16];

	fx_setup(&f);
	dated(&f, f.an, CATEGORY_PROMOTION, time(NULL), tok);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "PUT", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 405);
	ck_assert_str_eq(rs.allow, "GET, HEAD, POST");
	web_response_clear(&rs);
	request(&f, "POST", "/email/links-web.css", URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 405);
	ck_assert_str_eq(rs.allow, "GET, HEAD");
	web_response_clear(&rs);
	request(&f, "POST", path, "text/plain", ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 415);
	web_response_clear(&rs);
	request(&f, "POST", path, NULL, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 415);
	web_response_clear(&rs);
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.path = path;
	rq.content_type = URLENC;
	rq.client = CLIENT;
	rq.body_too_large = 1;
	web_app_handle(f.app, &rq, &rs);
	ck_assert_int_eq(rs.status, 413);
	web_response_clear(&rs);
	memset(lng, 'a', sizeof(lng));
	memcpy(lng, "/email/u/", 9);
	lng[sizeof(lng) - 1] = 0;
	request(&f, "GET", lng, NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 414);
	web_response_clear(&rs);
	request(&f, "GET", "/elsewhere", NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 404);
	web_response_clear(&rs);
	request(&f, "GET", "/email/links-web.css", NULL, NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_int_eq(rs.cacheable, 1);
	ck_assert_str_eq(rs.content_type, "text/css; charset=utf-8");
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_locked_store_is_503_and_nothing_half_written)
{
	struct fx f;
	struct web_response rs;
	char	tok[STORE_TOKEN_MAX], path[128], csrf[CSRF_MAX], body[256];
	sqlite3 *db;

	fx_setup(&f);
	dated(&f, f.an, CATEGORY_PROMOTION, time(NULL), tok);
	path_of(path, sizeof(path), "p/", tok);
	request(&f, "GET", path, NULL, NULL, &rs);
	csrf_in(rs.body, csrf, sizeof(csrf));
	web_response_clear(&rs);
	ck_assert_int_eq(sqlite3_open(f.db, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	snprintf(body, sizeof(body), "csrf=%s&form=prefs", csrf);	/* refuse both */
	request(&f, "POST", path, URLENC, body, &rs);
	ck_assert_int_eq(rs.status, 503);
	ck_assert_int_gt(rs.retry_after, 0);
	web_response_clear(&rs);
	path_of(path, sizeof(path), "u/", tok);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 503);
	web_response_clear(&rs);
	ck_assert_int_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(events_of(&f, f.an).events, 0);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(store_is_optout(f.st, f.an, CATEGORY_SURVEY), 0);
	request(&f, "POST", path, URLENC, ONE_CLICK_BODY, &rs);
	ck_assert_int_eq(rs.status, 200);
	web_response_clear(&rs);
	ck_assert_int_eq(events_of(&f, f.an).events, 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_rate_limit_answers_429_with_retry_after)
{
	struct fx f;
	struct web_response rs;
	char	err[CONF_ERR_MAX];
	int	i, limited = 0;

	fx_setup(&f);
	set(f.conf, "web_rate_limit", "10");
	ck_assert_int_eq(web_app_reload(f.app, f.conf, err, sizeof(err)), 0);
	for (i = 0; i < 12; i++) {
		request(&f, "GET", "/email/u/abcdefgh", NULL, NULL, &rs);	/* bad links cost more */
		if (rs.status == 429) {
			limited++;
			ck_assert_int_gt(rs.retry_after, 0);
		} else
			ck_assert_int_eq(rs.status, 404);
		web_response_clear(&rs);
	}
	ck_assert_int_ge(limited, 9);
	fx_teardown(&f);
}
END_TEST

static Suite *
web_suite(void)
{
	Suite  *s = suite_create("web");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_form_one_click_urlencoded_and_multipart);
	tcase_add_test(tc, test_form_refuses_what_a_form_cannot_be);
	tcase_add_test(tc, test_route_pages_under_the_prefix);
	tcase_add_test(tc, test_dated_token_round_trip_and_kinds);
	tcase_add_test(tc, test_weblink_format_and_base_check);
	tcase_add_test(tc, test_csrf_only_for_its_page_link_and_time);
	tcase_add_test(tc, test_ratelimit_budget_per_client);
	tcase_add_test(tc, test_client_behind_a_trusted_proxy_only);
	tcase_add_test(tc, test_page_escapes_and_labels_every_control);
	tcase_add_test(tc, test_get_unsubscribe_page_changes_nothing);
	tcase_add_test(tc, test_one_click_records_once_and_repeat_is_200);
	tcase_add_test(tc, test_bad_links_change_nothing);
	tcase_add_test(tc, test_undated_links_until_the_configured_day);
	tcase_add_test(tc, test_page_button_needs_its_form_token);
	tcase_add_test(tc, test_preferences_resubscribe_is_consent_with_evidence);
	tcase_add_test(tc, test_methods_types_sizes_paths);
	tcase_add_test(tc, test_locked_store_is_503_and_nothing_half_written);
	tcase_add_test(tc, test_rate_limit_answers_429_with_retry_after);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(web_suite());
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
