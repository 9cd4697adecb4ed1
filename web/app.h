/*
 * NAME
 *	app 3h
 * SUMMARY
 *	links-web's requests and answers, without the HTTP server around them
 * SYNOPSIS
 *	#include "app.h"
 *
 *	int	web_settings_check(const struct conf *c, char *err, size_t errlen);
 *	struct web_app *web_app_new(struct conf *c, char *err, size_t errlen);
 *	int	web_app_reload(struct web_app *app, struct conf *c, char *err, size_t errlen);
 *	void	web_app_handle(struct web_app *app, const struct web_request *rq,
 *			struct web_response *rs);
 *	void	web_response_clear(struct web_response *rs);
 *	void	web_app_free(struct web_app *app);
 * DESCRIPTION
 *	The HTTP server (links-web.c, libmicrohttpd) reads a request into
 *	a struct web_request and sends the struct web_response this module
 *	fills; everything links-web decides is here, so the unit test and
 *	the fuzz target drive it without a network.
 *
 *	Pages (paths under the prefix of web_base_url, route.h):
 *	GET or HEAD u/TOKEN shows which mail stops and one button; POST
 *	u/TOKEN with the body "List-Unsubscribe=One-Click" (RFC 8058) or
 *	with the button's form refuses the token's category (channel
 *	one_click, resp. web) and answers 200, never a redirect; GET p/TOKEN
 *	shows the preference page, POST p/TOKEN saves its form (refusals
 *	and consents, each a consent event with its evidence, all in one
 *	transaction). A GET never changes anything.
 *
 *	Evidence recorded with each change: how (one-click POST, unsubscribe
 *	page, preference page), a random request id, the link (the first
 *	bytes of SHA-256 of the token, so support can match it against a
 *	mail), its issue date, the client as store_web_mac("client") —
 *	never the address in clear — and the User-Agent (printable ASCII,
 *	bounded). The log line of the change carries the same request id.
 *
 *	Refusals: every problem is an error page of page.h with its 4xx or
 *	5xx status (a store that is locked, read-only or cannot be opened
 *	gives 503 and Retry-After: web_retry_after; a failed transaction is
 *	rolled back). Each request first spends one token of its client's
 *	budget (web_rate_limit); a bad link costs WEB_BAD_LINK_COST more,
 *	so guessing tokens runs out fast.
 *
 *	web_settings_check() checks the web_* options of C (what -n
 *	reports). web_app_new() takes a reference on C (conf_ref) and
 *	returns an app the caller frees with web_app_free().
 *	web_app_reload() installs C for the requests that start after it;
 *	those running keep the configuration they started with.
 *	web_app_handle() is thread-safe. The response belongs to the caller:
 *	web_response_clear() frees its body.
 * DIAGNOSTICS
 *	web_settings_check(), web_app_new() and web_app_reload() return 0
 *	(resp. the app) or -1 (NULL) with a message in ERR.
 */
#ifndef LINKS_APP_H
#define LINKS_APP_H

#include <stddef.h>
#include <time.h>

#include "conf.h"

#define WEB_BAD_LINK_COST	4	/* extra budget a bad link costs its client */
#define WEB_UA_MAX		120	/* bytes of User-Agent kept as evidence */
#define WEB_POOL_MAX		16	/* store connections at most */
#define WEB_RATE_SLOTS		8192	/* clients tracked by the rate limit */

struct web_request {
	const char *method;		/* as sent: "GET", "POST", ... */
	const char *path;		/* as sent, without the query */
	const char *content_type;	/* NULL: none */
	const char *user_agent;		/* NULL: none */
	const char *client;		/* the client's address, as text */
	const char *body;		/* BODY_LEN bytes, not NUL-terminated */
	size_t	body_len;
	int	body_too_large;		/* more than web_request_max was sent */
};

struct web_response {
	int	status;
	const char *content_type;	/* a literal */
	char   *body;			/* owned; NUL-terminated */
	size_t	len;
	long	retry_after;		/* seconds; 0: no Retry-After */
	const char *allow;		/* Allow of a 405; NULL otherwise */
	int	cacheable;		/* the style sheet and robots.txt */
};

struct web_app;

int	web_settings_check(const struct conf *c, char *err, size_t errlen);
struct web_app *web_app_new(struct conf *c, char *err, size_t errlen);
int	web_app_reload(struct web_app *app, struct conf *c, char *err, size_t errlen);
void	web_app_handle(struct web_app *app, const struct web_request *rq, struct web_response *rs);
void	web_response_clear(struct web_response *rs);
void	web_app_free(struct web_app *app);

#endif
