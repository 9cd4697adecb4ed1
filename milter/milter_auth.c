/*
 * NAME
 *	milter_auth 3
 * SUMMARY
 *	Authentication-Results (RFC 8601) evaluation for From-based opt-outs
 * SYNOPSIS
 *	#include "milter_auth.h"
 * DESCRIPTION
 *	The header is first copied with comments blanked out (quoted
 *	strings kept), then split at ';' outside quotes. The first part is
 *	the authserv-id and an optional version; every other part is one
 *	"method=result name=value ..." result. The parser is lenient about
 *	white space and strict about what counts as a pass.
 * DIAGNOSTICS
 *	None: a malformed header proves nothing and gives 0.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "milter_addr.h"
#include "milter_auth.h"

#define MAUTH_WORD_MAX 256		/* a name or value kept */

enum mauth_how { MAUTH_NONE = 0, MAUTH_SPF, MAUTH_DKIM, MAUTH_DMARC };

struct mauth_pair {
	char	name[MAUTH_WORD_MAX];
	char	value[MAUTH_WORD_MAX];
	int	quoted;			/* the value was a quoted string */
};

/* Copy VALUE into OUT (size >= MAUTH_VALUE_MAX + 1) with comments
 * replaced by spaces. Returns the length. */
static size_t mauth_strip_comments(const char *value, char *out)
{
	size_t	n = 0;
	int	depth = 0;
	int	quoted = 0;

	for (size_t i = 0; value[i] && i < MAUTH_VALUE_MAX; i++) {
		char	c = value[i];

		if (depth > 0) {
			if (c == '\\' && value[i + 1])
				i++;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			if (depth == 0)
				out[n++] = ' ';
			continue;
		}
		if (quoted) {
			if (c == '\\' && value[i + 1] && i + 1 < MAUTH_VALUE_MAX) {
				out[n++] = value[++i];
				continue;
			}
			if (c == '"')
				quoted = 0;
			out[n++] = c;
			continue;
		}
		if (c == '(') {
			depth = 1;
			continue;
		}
		if (c == '"')
			quoted = 1;
		if (c == '\r' || c == '\n' || c == '\t')
			c = ' ';
		out[n++] = c;
	}
	out[n] = 0;
	return n;
}

static const char *mauth_skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Read a value (quoted string or run of non-space characters) at P
 * into OUT; returns the position after it. */
static const char *mauth_value(const char *p, const char *end, char *out)
{
	size_t	n = 0;

	if (p < end && *p == '"') {
		p++;
		while (p < end && *p != '"') {
			if (n + 1 < MAUTH_WORD_MAX)
				out[n++] = *p;
			p++;
		}
		if (p < end)
			p++;
	} else {
		while (p < end && *p != ' ') {
			if (n + 1 < MAUTH_WORD_MAX)
				out[n++] = *p;
			p++;
		}
	}
	out[n] = 0;
	return p;
}

/* Parse "name=value name = value ..." in [P, END) into PAIRS. */
static size_t mauth_pairs(const char *p, const char *end, struct mauth_pair *pairs, size_t max)
{
	size_t	count = 0;

	while (count < max) {
		size_t	n = 0;

		p = mauth_skip_ws(p, end);
		if (p >= end)
			break;
		while (p < end && *p != '=' && *p != ' ') {
			if (n + 1 < MAUTH_WORD_MAX)
				pairs[count].name[n++] = (char) tolower((unsigned char) *p);
			p++;
		}
		pairs[count].name[n] = 0;
		p = mauth_skip_ws(p, end);
		if (p >= end || *p != '=') {
			/* a bare word (e.g. "none"): record it without a value */
			pairs[count].value[0] = 0;
			if (n > 0)
				count++;
			continue;
		}
		p = mauth_skip_ws(p + 1, end);
		pairs[count].quoted = p < end && *p == '"';
		p = mauth_value(p, end, pairs[count].value);
		if (n > 0)
			count++;
	}
	return count;
}

static const char *mauth_prop(const struct mauth_pair *pairs, size_t n, const char *name)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(pairs[i].name, name) == 0)
			return pairs[i].value;
	return NULL;
}

static enum mauth_how mauth_resinfo(const char *p, const char *end, const char *from_domain)
{
	struct mauth_pair *pairs;
	size_t	n;
	char   *slash;
	const char *v;
	enum mauth_how how = MAUTH_NONE;

	if ((pairs = calloc(MAUTH_PROPS_MAX, sizeof(*pairs))) == NULL)
		return MAUTH_NONE;
	n = mauth_pairs(p, end, pairs, MAUTH_PROPS_MAX);
	/* the result is a keyword (RFC 8601): a quoted "pass" is not one */
	if (n == 0 || pairs[0].quoted || strcasecmp(pairs[0].value, "pass") != 0)
		goto done;
	if ((slash = strchr(pairs[0].name, '/')) != NULL)
		*slash = 0;			/* method version */
	if (strcmp(pairs[0].name, "dmarc") == 0) {
		v = mauth_prop(pairs, n, "header.from");
		if (v == NULL || strcasecmp(addr_domain(v), from_domain) == 0)
			how = MAUTH_DMARC;
	} else if (strcmp(pairs[0].name, "dkim") == 0) {
		if ((v = mauth_prop(pairs, n, "header.d")) == NULL
		    && (v = mauth_prop(pairs, n, "header.i")) != NULL)
			v = addr_domain(v);
		if (v && maddr_domain_aligned(v, from_domain))
			how = MAUTH_DKIM;
	} else if (strcmp(pairs[0].name, "spf") == 0) {
		v = mauth_prop(pairs, n, "smtp.mailfrom");
		if (v && maddr_domain_aligned(addr_domain(v), from_domain))
			how = MAUTH_SPF;
	}
done:
	free(pairs);
	return how;
}

int	mauth_check(const char *value, const char *const *trusted, size_t ntrusted,
		    const char *from_domain, const char **how)
{
	char   *buf;
	const char *p;
	const char *end;
	const char *semi;
	char	id[MAUTH_WORD_MAX];
	int	trusted_id = 0;
	enum mauth_how best = MAUTH_NONE;
	int	quoted;
	size_t	results = 0;

	if (how)
		*how = NULL;
	if (value == NULL || from_domain == NULL || from_domain[0] == 0)
		return 0;
	if ((buf = malloc(MAUTH_VALUE_MAX + 1)) == NULL)
		return 0;
	end = buf + mauth_strip_comments(value, buf);

	/* authserv-id */
	p = mauth_skip_ws(buf, end);
	{
		size_t	n = 0;

		if (p < end && *p == '"') {
			p = mauth_value(p, end, id);
		} else {
			while (p < end && *p != ' ' && *p != ';') {
				if (n + 1 < sizeof(id))
					id[n++] = *p;
				p++;
			}
			id[n] = 0;
		}
	}
	for (size_t i = 0; i < ntrusted; i++)
		if (trusted[i] && strcasecmp(trusted[i], id) == 0)
			trusted_id = 1;
	if (!trusted_id || id[0] == 0)
		goto done;
	p = mauth_skip_ws(p, end);
	while (p < end && isdigit((unsigned char) *p))
		p++;				/* optional version */
	p = mauth_skip_ws(p, end);
	if (p >= end || *p != ';')
		goto done;			/* "id; none" or garbage */

	while (p < end && *p == ';' && results < MAUTH_RESINFO_MAX) {
		enum mauth_how h;

		p++;
		quoted = 0;
		for (semi = p; semi < end; semi++) {
			if (*semi == '"')
				quoted = !quoted;
			else if (*semi == ';' && !quoted)
				break;
		}
		h = mauth_resinfo(p, semi, from_domain);
		if (h > best)
			best = h;
		results++;
		p = semi;
	}
done:
	free(buf);
	if (best == MAUTH_NONE)
		return 0;
	if (how)
		*how = best == MAUTH_DMARC ? "dmarc" : best == MAUTH_DKIM ? "dkim" : "spf";
	return 1;
}
