/*
 * NAME
 *	web_fixture 3h
 * SUMMARY
 *	a store, a configuration and a links-web app for the unit tests
 * SYNOPSIS
 *	#include "web_fixture.h"
 * DESCRIPTION
 *	fx_setup() makes a store in a mkdtemp() directory (under $TMPDIR or
 *	/tmp) with one customer (An), a configuration for it (web_base_url
 *	https://lienket.ilinks.asia/email/, no rate limit, a company name
 *	with HTML in it) and an app; fx_teardown() frees them and removes
 *	the directory. path_of() writes the app's path of a page of a token,
 *	dated() makes a dated token, request() runs one request through the
 *	app (client CLIENT, User-Agent UA), events_of() counts the
 *	customer's consent events and keeps the last one's channel and
 *	evidence, csrf_in() reads the form token out of a page, set() sets an
 *	option or fails the test.
 * DIAGNOSTICS
 *	Every helper fails the running test (Check) when something it does
 *	fails.
 */
#ifndef LINKS_WEB_FIXTURE_H
#define LINKS_WEB_FIXTURE_H

#include <stdint.h>
#include <time.h>

#include "app.h"
#include "conf.h"
#include "store.h"

#define DAY		86400
#define PATH_BUF	512
#define CLIENT		"203.0.113.7"
#define UA		"Mozilla/5.0 (test)"
#define URLENC		"application/x-www-form-urlencoded"
#define ONE_CLICK_BODY	"List-Unsubscribe=One-Click"

struct fx {
	char	dir[PATH_BUF];
	char	db[PATH_BUF + 16];
	char	key[PATH_BUF + 16];
	struct conf *conf;
	struct store *st;
	struct web_app *app;
	int64_t	an;			/* a customer */
};

struct count {
	int	events;
	int	optouts;
	int	optins;
	enum store_channel last_channel;
	char	last_evidence[STORE_EVIDENCE_MAX + 1];
};

void	set(struct conf *c, const char *name, const char *value);
void	fx_setup(struct fx *f);
void	fx_teardown(struct fx *f);
void	path_of(char *out, size_t outlen, const char *page, const char *token);
void	dated(struct fx *f, int64_t id, enum category cat, time_t when, char tok[STORE_TOKEN_MAX]);
void	request(struct fx *f, const char *method, const char *path, const char *ctype,
		const char *body, struct web_response *rs);
struct count events_of(struct fx *f, int64_t id);
void	csrf_in(const char *html, char *out, size_t outlen);

#endif
