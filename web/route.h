/*
 * NAME
 *	route 3h
 * SUMMARY
 *	which page of links-web a request path names
 * SYNOPSIS
 *	#include "route.h"
 *
 *	int	route_parse(const char *prefix, const char *path, struct route *out);
 * DESCRIPTION
 *	PREFIX is the path links-web serves under, with a '/' at both ends
 *	(weblink_base_path() of web_base_url: "/" or "/email/"). PATH is the
 *	request path exactly as the client sent it, without the query (the
 *	server does not unescape it: a token is plain base32 and never
 *	needs an escape, so '%' is simply not allowed). Under PREFIX:
 *
 *		(nothing)	ROUTE_HOME	a short page saying what this is
 *		u/TOKEN		ROUTE_UNSUBSCRIBE
 *		p/TOKEN		ROUTE_PREFERENCES
 *		links-web.css	ROUTE_STYLE	the style sheet
 *		robots.txt	ROUTE_ROBOTS	"keep out" for crawlers
 *
 *	(the page paths are weblink.h's, shared with links-sender). A TOKEN
 *	is 1 to STORE_TOKEN_MAX - 1 base32 characters of either case; the
 *	store decides whether it is genuine. OUT belongs to the caller.
 * DIAGNOSTICS
 *	route_parse() returns ROUTE_OK, ROUTE_ETOOLONG when PATH is longer
 *	than ROUTE_PATH_MAX bytes, ROUTE_ENOTFOUND for any other path, and
 *	ROUTE_EBADTOKEN when the page is right but the token cannot be one
 *	(a character outside base32, or too long).
 */
#ifndef LINKS_ROUTE_H
#define LINKS_ROUTE_H

#include "store.h"

#define ROUTE_PATH_MAX		512	/* bytes of a request path */
#define ROUTE_STYLE_NAME	"links-web.css"
#define ROUTE_ROBOTS_NAME	"robots.txt"

#define ROUTE_OK		0
#define ROUTE_ETOOLONG		(-1)
#define ROUTE_ENOTFOUND		(-2)
#define ROUTE_EBADTOKEN		(-3)

enum route_page {
	ROUTE_HOME = 0,
	ROUTE_UNSUBSCRIBE,
	ROUTE_PREFERENCES,
	ROUTE_STYLE,
	ROUTE_ROBOTS
};

struct route {
	enum route_page page;
	char	token[STORE_TOKEN_MAX];	/* "" unless a page of a token */
};

int	route_parse(const char *prefix, const char *path, struct route *out);

#endif
