/*
 * NAME
 *	route 3
 * SUMMARY
 *	which page of links-web a request path names
 * SYNOPSIS
 *	#include "route.h"
 * DESCRIPTION
 *	See route.h.
 * DIAGNOSTICS
 *	See route.h.
 */
#include "config.h"

#include <string.h>

#include "route.h"
#include "weblink.h"

/* token_page - PATH is PAGE followed by a token: copy it. */
static int
token_page(const char *rest, const char *page, enum route_page which, struct route *out)
{
	size_t	n = strlen(page), len;

	if (strncmp(rest, page, n) != 0)
		return (ROUTE_ENOTFOUND);
	rest += n;
	len = strlen(rest);
	if (len == 0)
		return (ROUTE_ENOTFOUND);
	if (len >= sizeof(out->token) || strspn(rest, "abcdefghijklmnopqrstuvwxyz"
						"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != len)
		return (ROUTE_EBADTOKEN);
	memcpy(out->token, rest, len + 1);
	out->page = which;
	return (ROUTE_OK);
}

/* route_parse - the page PATH names under PREFIX */
int
route_parse(const char *prefix, const char *path, struct route *out)
{
	size_t	plen = strlen(prefix), len;
	const char *rest;
	int	rc;

	memset(out, 0, sizeof(*out));
	len = strnlen(path, ROUTE_PATH_MAX + 1);
	if (len > ROUTE_PATH_MAX)
		return (ROUTE_ETOOLONG);
	/* "/email" for prefix "/email/" is the home page too. */
	if (plen > 1 && len == plen - 1 && strncmp(path, prefix, len) == 0) {
		out->page = ROUTE_HOME;
		return (ROUTE_OK);
	}
	if (len < plen || strncmp(path, prefix, plen) != 0)
		return (ROUTE_ENOTFOUND);
	rest = path + plen;
	if (*rest == 0) {
		out->page = ROUTE_HOME;
		return (ROUTE_OK);
	}
	if (strcmp(rest, ROUTE_STYLE_NAME) == 0) {
		out->page = ROUTE_STYLE;
		return (ROUTE_OK);
	}
	if (strcmp(rest, ROUTE_ROBOTS_NAME) == 0) {
		out->page = ROUTE_ROBOTS;
		return (ROUTE_OK);
	}
	if ((rc = token_page(rest, WEBLINK_PATH_UNSUBSCRIBE, ROUTE_UNSUBSCRIBE, out)) != ROUTE_ENOTFOUND)
		return (rc);
	return (token_page(rest, WEBLINK_PATH_PREFERENCES, ROUTE_PREFERENCES, out));
}
