/*
 * NAME
 *	weblink 3h
 * SUMMARY
 *	the https links of links-web: one format for the sender and the server
 * SYNOPSIS
 *	#include "weblink.h"
 *
 *	int	weblink_base_check(const char *base, char *err, size_t errlen);
 *	int	weblink_base_path(const char *base, char *out, size_t outlen);
 *	int	weblink_url(struct store *st, const char *base, enum weblink_page page,
 *			int64_t customer_id, enum category cat, time_t now,
 *			char *out, size_t outlen);
 *	int	weblink_urls(struct store *st, const char *base, int64_t customer_id,
 *			     enum category cat, time_t now, char *unsub, char *pref,
 *			     size_t outlen);
 * DESCRIPTION
 *	links-sender writes these links into mail (List-Unsubscribe, the
 *	footer) and links-web answers them, so the format lives here once:
 *
 *		BASE/u/TOKEN	the unsubscribe page of TOKEN's category
 *				(RFC 8058 one-click POST target)
 *		BASE/p/TOKEN	the customer's preference page
 *
 *	where BASE is web_base_url (links.conf) and TOKEN a dated token
 *	(store_token_make_dated) of the customer and the category of the
 *	mail, issued NOW.
 *
 *	weblink_base_check() accepts "https://HOST[:PORT][/PATH]" with no
 *	query, fragment, user or white space, at most WEBLINK_BASE_MAX
 *	bytes; HOST is a DNS name or an [IPv6] literal, PATH made of
 *	unreserved characters and '/'. TLS is the reverse proxy's job, but
 *	the links are https: RFC 8058 requires it.
 *
 *	weblink_base_path() writes the path of BASE with a '/' at both
 *	ends ("/" or "/email/"): the prefix links-web serves under (the
 *	proxy forwards the path unchanged).
 *
 *	weblink_url() writes BASE, a '/' when BASE has none at its end,
 *	the page's path (WEBLINK_PATH_*) and a new dated token.
 *	weblink_urls() writes both links of one message (the unsubscribe
 *	page into UNSUB, the preference page into PREF, each OUTLEN bytes)
 *	with one dated token: the same links as two weblink_url() calls
 *	the same day, for one HMAC instead of two.
 * DIAGNOSTICS
 *	weblink_base_check() and weblink_base_path() return 0, or -1 with
 *	a message in ERR (the latter: OUT too small or BASE invalid).
 *	weblink_url() and weblink_urls() return a STORE_* code (STORE_ERR
 *	for an invalid BASE or OUT too small; the store's message says
 *	which).
 */
#ifndef LINKS_WEBLINK_H
#define LINKS_WEBLINK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store.h"

#define WEBLINK_BASE_MAX	200	/* bytes of web_base_url */
#define WEBLINK_URL_MAX		(WEBLINK_BASE_MAX + 8 + STORE_TOKEN_MAX)
#define WEBLINK_PATH_UNSUBSCRIBE "u/"
#define WEBLINK_PATH_PREFERENCES "p/"

enum weblink_page { WEBLINK_UNSUBSCRIBE = 0, WEBLINK_PREFERENCES };

int	weblink_base_check(const char *base, char *err, size_t errlen);
int	weblink_base_path(const char *base, char *out, size_t outlen);
int	weblink_url(struct store *st, const char *base, enum weblink_page page,
		    int64_t customer_id, enum category cat, time_t now,
		    char *out, size_t outlen);
int	weblink_urls(struct store *st, const char *base, int64_t customer_id,
		     enum category cat, time_t now, char *unsub, char *pref, size_t outlen);

#endif
