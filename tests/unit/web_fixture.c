/*
 * NAME
 *	web_fixture 3
 * SUMMARY
 *	a store, a configuration and a links-web app for the unit tests
 * SYNOPSIS
 *	#include "web_fixture.h"
 * DESCRIPTION
 *	See web_fixture.h.
 * DIAGNOSTICS
 *	See web_fixture.h.
 */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "web_fixture.h"

/* rm_one - remove one file (nftw callback) */
static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return (remove(path));
}

/* set - set option NAME or fail the test */
void
set(struct conf *c, const char *name, const char *value)
{
	char	err[CONF_ERR_MAX];

	ck_assert_msg(conf_set(c, name, value, err, sizeof(err)) == 0, "conf_set %s: %s", name, err);
}

/* fx_setup - a store with An, its configuration and an app */
void
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

/* fx_teardown - free them and remove the directory */
void
fx_teardown(struct fx *f)
{
	web_app_free(f->app);
	store_close(f->st);
	conf_free(f->conf);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A path of the app for PAGE ("u/" or "p/") and TOKEN. */
void
path_of(char *out, size_t outlen, const char *page, const char *token)
{
	snprintf(out, outlen, "/email/%s%s", page, token);
}

/* dated - a dated token of customer ID and CAT issued WHEN */
void
dated(struct fx *f, int64_t id, enum category cat, time_t when, char tok[STORE_TOKEN_MAX])
{
	ck_assert_int_eq(store_token_make_dated(f->st, id, cat, when, tok, STORE_TOKEN_MAX),
			 STORE_OK);
}

/* request - one request through the app */
void
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

/* count_one - count one consent event (store_consent_each callback) */
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
	return (0);
}

/* events_of - the consent events of customer ID */
struct count
events_of(struct fx *f, int64_t id)
{
	struct count c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_consent_each(f->st, id, count_one, &c), STORE_OK);
	return (c);
}

/* The form token in a page: the value of the hidden csrf input. */
void
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

