/*
 * NAME
 *	page 3h
 * SUMMARY
 *	the HTML pages of links-web, in Vietnamese with English below
 * SYNOPSIS
 *	#include "page.h"
 *
 *	int	page_home(struct strbuf *b, const struct page_site *s);
 *	int	page_unsubscribe(struct strbuf *b, const struct page_site *s,
 *			const struct page_customer *c);
 *	int	page_preferences(struct strbuf *b, const struct page_site *s,
 *			const struct page_customer *c);
 *	int	page_one_click(struct strbuf *b, const struct page_site *s,
 *			const struct page_customer *c);
 *	int	page_error(struct strbuf *b, const struct page_site *s,
 *			enum page_error e, const char *back, const char *token,
 *			long retry);
 *	int	page_status(enum page_error e);
 *	const char *page_style(void);
 *	const char *page_robots(void);
 *	int	page_escape(struct strbuf *b, const char *s);
 * DESCRIPTION
 *	Each function appends one complete HTML5 document to B: no
 *	script, one style sheet (page_style(), served at
 *	PREFIX/links-web.css because the Content-Security-Policy allows
 *	styles from the site only), forms that work without JavaScript,
 *	labels on every control, a layout that fits a phone's width, and
 *	the company's name and contact (S, from links.conf) at the bottom.
 *	Every string that is not a literal of this file goes through
 *	page_escape() (HTML-escapes & < > " ' and drops control
 *	characters), configuration values included.
 *
 *	page_unsubscribe() is the page of a link GET /u/TOKEN: which mail
 *	stops and one button (a form POST carrying C->csrf); when the
 *	customer already refused it, it says so and since when instead.
 *	page_preferences() is the customer's preference page: refusable
 *	categories as check boxes (checked = wanted), service mail
 *	explained as not refusable, the history of consent events, and the
 *	banner C->banner at the top. page_one_click() answers an RFC 8058
 *	POST (read by a mail provider, seldom by a person). page_error()
 *	writes the page of error E, with a link to BACK (a page path of
 *	weblink.h, "u/" or "p/") of TOKEN when neither is NULL, and RETRY,
 *	when positive, the seconds to wait (429, 503). page_status() is
 *	the HTTP status of E.
 * DIAGNOSTICS
 *	The page functions and page_escape() return 0, or -1 when B cannot
 *	grow (out of memory); B then holds a partial page the caller must
 *	discard.
 */
#ifndef LINKS_PAGE_H
#define LINKS_PAGE_H

#include <stddef.h>
#include <time.h>

#include "store.h"
#include "strbuf.h"

#define PAGE_EVENTS_MAX		50	/* consent events shown, newest first */
#define PAGE_VN_UTC_OFFSET	(7 * 3600)	/* Indochina Time, no DST */

/* What links.conf says about the site. */
struct page_site {
	const char *company;
	const char *address;
	const char *phone;
	const char *email;
	const char *portal;
	const char *prefix;		/* "/" or "/email/" */
	long	token_days;		/* web_token_days */
	long	form_minutes;		/* web_form_minutes */
};

struct page_event {
	time_t	at;
	enum category cat;
	int	optout;
	enum store_channel channel;
};

enum page_banner {
	PAGE_BANNER_NONE = 0,
	PAGE_BANNER_UNSUBSCRIBED,	/* the button of the unsubscribe page */
	PAGE_BANNER_SAVED,		/* the preference form changed something */
	PAGE_BANNER_UNCHANGED		/* the preference form changed nothing */
};

/* One customer's page: what the link names and what the store holds. */
struct page_customer {
	const char *token;
	const char *csrf;		/* the form token of this page */
	const char *who;		/* the address, masked */
	enum category cat;	/* the link's category */
	int	refused[CATEGORY_COUNT];
	time_t	since[CATEGORY_COUNT];	/* last refusal or consent event, 0: none */
	const struct page_event *events;	/* newest first */
	size_t	nevents;
	size_t	nevents_total;		/* events on record (more than shown) */
	enum page_banner banner;
};

enum page_error {
	PAGE_E_NONE = 0,		/* not an error (written as PAGE_E_INTERNAL) */
	PAGE_E_BAD_REQUEST,		/* 400 */
	PAGE_E_BAD_LINK,		/* 404: unknown, forged or altered token */
	PAGE_E_NOT_FOUND,		/* 404: no such page */
	PAGE_E_NOT_REFUSABLE,		/* 403: a token of service mail on /u/ */
	PAGE_E_FORM_EXPIRED,		/* 403: form token missing, wrong or old */
	PAGE_E_METHOD,			/* 405 */
	PAGE_E_EXPIRED,			/* 410: the link is older than web_token_days */
	PAGE_E_GONE,			/* 410: the customer's data was purged */
	PAGE_E_TOO_LARGE,		/* 413 */
	PAGE_E_URI_TOO_LONG,		/* 414 */
	PAGE_E_MEDIA_TYPE,		/* 415 */
	PAGE_E_RATE,			/* 429 */
	PAGE_E_INTERNAL,		/* 500 */
	PAGE_E_UNAVAILABLE,		/* 503: the store is busy or read-only */
	PAGE_E_COUNT
};

int	page_home(struct strbuf *b, const struct page_site *s);
int	page_unsubscribe(struct strbuf *b, const struct page_site *s, const struct page_customer *c);
int	page_preferences(struct strbuf *b, const struct page_site *s, const struct page_customer *c);
int	page_one_click(struct strbuf *b, const struct page_site *s, const struct page_customer *c);
int	page_error(struct strbuf *b, const struct page_site *s, enum page_error e, const char *back,
		   const char *token, long retry);
int	page_status(enum page_error e);
const char *page_style(void);
const char *page_robots(void);
int	page_escape(struct strbuf *b, const char *s);

#endif
