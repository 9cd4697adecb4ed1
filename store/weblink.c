/*
 * NAME
 *	weblink 3
 * SUMMARY
 *	the https links of links-web: one format for the sender and the server
 * SYNOPSIS
 *	#include "weblink.h"
 * DESCRIPTION
 *	See weblink.h.
 * DIAGNOSTICS
 *	See weblink.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "weblink.h"

#define WEBLINK_SCHEME		"https://"
#define WEBLINK_PORT_MAX	65535

/* Letters, digits and "-._~": RFC 3986 unreserved characters. */
static int
unreserved(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		|| c == '-' || c == '.' || c == '_' || c == '~');
}

/* host_end - the end of a DNS name or [IPv6] literal at S; NULL if invalid. */
static const char *
host_end(const char *s)
{
	const char *p = s;

	if (*p == '[') {
		for (p++; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')
		     || (*p >= 'A' && *p <= 'F') || *p == ':' || *p == '.'; p++)
			;
		return ((*p == ']' && p > s + 1) ? p + 1 : NULL);
	}
	for (; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
	     || *p == '-' || *p == '.'; p++)
		;
	return ((p > s && s[0] != '.' && s[0] != '-') ? p : NULL);
}

/* weblink_base_check - whether BASE can start our links */
int
weblink_base_check(const char *base, char *err, size_t errlen)
{
	const char *p;
	long	port = 0;

	if (base == NULL || *base == 0) {
		snprintf(err, errlen, "web_base_url is empty");
		return (-1);
	}
	if (strlen(base) > WEBLINK_BASE_MAX) {
		snprintf(err, errlen, "web_base_url is longer than %d bytes", WEBLINK_BASE_MAX);
		return (-1);
	}
	if (strncmp(base, WEBLINK_SCHEME, strlen(WEBLINK_SCHEME)) != 0) {
		snprintf(err, errlen, "web_base_url must start with https:// (RFC 8058; the "
			 "reverse proxy terminates TLS)");
		return (-1);
	}
	p = base + strlen(WEBLINK_SCHEME);
	if ((p = host_end(p)) == NULL) {
		snprintf(err, errlen, "web_base_url: no valid host name after https://");
		return (-1);
	}
	if (*p == ':') {
		for (p++; *p >= '0' && *p <= '9' && port <= WEBLINK_PORT_MAX; p++)
			port = port * 10 + (*p - '0');
		if (port < 1 || port > WEBLINK_PORT_MAX) {
			snprintf(err, errlen, "web_base_url: invalid port");
			return (-1);
		}
	}
	if (*p != 0 && *p != '/') {
		snprintf(err, errlen, "web_base_url: unexpected character after the host (no "
			 "user, query or fragment)");
		return (-1);
	}
	for (; *p; p++)
		if (!unreserved((unsigned char) *p) && *p != '/') {
			snprintf(err, errlen, "web_base_url: the path may hold only letters, "
				 "digits, \"-._~\" and \"/\"");
			return (-1);
		}
	if (strstr(base + strlen(WEBLINK_SCHEME), "//") != NULL
	    || strstr(base, "/../") != NULL || strstr(base, "/./") != NULL) {
		snprintf(err, errlen, "web_base_url: empty, \".\" or \"..\" path segment");
		return (-1);
	}
	return (0);
}

/* weblink_base_path - the path links-web serves under */
int
weblink_base_path(const char *base, char *out, size_t outlen)
{
	const char *path;
	size_t	n;
	char	err[128];

	if (weblink_base_check(base, err, sizeof(err)) < 0)
		return (-1);
	path = strchr(base + strlen(WEBLINK_SCHEME), '/');
	if (path == NULL)
		path = "/";
	n = strlen(path);
	if (snprintf(out, outlen, "%s%s", path, path[n - 1] == '/' ? "" : "/") >= (int) outlen)
		return (-1);
	return (0);
}

/* link_of - BASE's link to PAGE with token TOK into OUT; a STORE_ code */
static int
link_of(struct store *st, const char *base, enum weblink_page page, const char *tok, char *out,
	size_t outlen)
{
	size_t	n = strlen(base);

	if (snprintf(out, outlen, "%s%s%s%s", base, base[n - 1] == '/' ? "" : "/",
		     page == WEBLINK_PREFERENCES ? WEBLINK_PATH_PREFERENCES
		     : WEBLINK_PATH_UNSUBSCRIBE, tok) >= (int) outlen)
		return (st_err(st, STORE_ERR, "link buffer too small"));
	return (STORE_OK);
}

/* weblink_url - a link to PAGE for a customer and category, dated NOW */
int
weblink_url(struct store *st, const char *base, enum weblink_page page, int64_t customer_id,
	    enum category cat, time_t now, char *out, size_t outlen)
{
	char	tok[STORE_TOKEN_MAX], err[128];
	int	rc;

	if (weblink_base_check(base, err, sizeof(err)) < 0)
		return (st_err(st, STORE_ERR, "%s", err));
	if ((rc = store_token_make_dated(st, customer_id, cat, now, tok, sizeof(tok))) != STORE_OK)
		return (rc);
	return (link_of(st, base, page, tok, out, outlen));
}

/* weblink_urls - both links of a customer and category, one dated token (one HMAC) */
int
weblink_urls(struct store *st, const char *base, int64_t customer_id, enum category cat,
	     time_t now, char *unsub, char *pref, size_t outlen)
{
	char	tok[STORE_TOKEN_MAX], err[128];
	int	rc;

	if (weblink_base_check(base, err, sizeof(err)) < 0)
		return (st_err(st, STORE_ERR, "%s", err));
	if ((rc = store_token_make_dated(st, customer_id, cat, now, tok, sizeof(tok))) != STORE_OK
	    || (rc = link_of(st, base, WEBLINK_UNSUBSCRIBE, tok, unsub, outlen)) != STORE_OK)
		return (rc);
	return (link_of(st, base, WEBLINK_PREFERENCES, tok, pref, outlen));
}
