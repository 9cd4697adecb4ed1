/*
 * NAME
 *	milter_auth 3
 * SUMMARY
 *	Authentication-Results (RFC 8601) evaluation for From-based opt-outs
 * SYNOPSIS
 *	#include "milter_auth.h"
 * DESCRIPTION
 *	The header is first copied with comments blanked out (quoted
 *	strings kept, addr_strip_comments()), then split at ';' outside
 *	quotes. The first part is the authserv-id and an optional version;
 *	every other part is one "method=result name=value ..." result. The
 *	parser is lenient about white space and strict about what counts
 *	as a pass.
 * DIAGNOSTICS
 *	None: a malformed header proves nothing and gives 0.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "milter_addr.h"
#include "milter_auth.h"

#define MAUTH_WORD_MAX 256		/* a name or value kept */

struct mauth_pair {
	char	name[MAUTH_WORD_MAX];
	char	value[MAUTH_WORD_MAX];
	int	quoted;			/* the value was a quoted string */
};

static const char *const mauth_how_names[MAUTH_HOW_COUNT] = {"none", "spf", "dkim", "dmarc"};

/* mauth_how_name - the method's name */
const char *
mauth_how_name(enum mauth_how how)
{
	return ((unsigned) how < MAUTH_HOW_COUNT ? mauth_how_names[how] : "none");
}

/* mauth_skip_ws - the first non-blank at or after P */
static const char *
mauth_skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return (p);
}

/* mauth_value - read a quoted string or a run of non-blanks at P into OUT; the position after */
static const char *
mauth_value(const char *p, const char *end, char *out)
{
	size_t	n = 0;

	if (p < end && *p == '"') {
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			if (n + 1 < MAUTH_WORD_MAX)
				out[n++] = *p;
		}
		if (p < end)
			p++;
	} else {
		for (; p < end && *p != ' '; p++)
			if (n + 1 < MAUTH_WORD_MAX)
				out[n++] = *p;
	}
	out[n] = 0;
	return (p);
}

/* mauth_pairs - parse "name=value name = value ..." in [P, END) into PAIRS; the count */
static size_t
mauth_pairs(const char *p, const char *end, struct mauth_pair *pairs, size_t max)
{
	size_t	count = 0;

	while (count < max) {
		size_t	n = 0;

		p = mauth_skip_ws(p, end);
		if (p >= end)
			break;
		for (; p < end && *p != '=' && *p != ' '; p++)
			if (n + 1 < MAUTH_WORD_MAX)
				pairs[count].name[n++] = (char) tolower((unsigned char) *p);
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
	return (count);
}

/* mauth_prop - the value of property NAME of a result, or NULL */
static const char *
mauth_prop(const struct mauth_pair *pairs, size_t n, const char *name)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(pairs[i].name, name) == 0)
			return (pairs[i].value);
	return (NULL);
}

/* mauth_resinfo - what one "method=result props" in [P, END) proves for FROM_DOMAIN */
static enum mauth_how
mauth_resinfo(const char *p, const char *end, const char *from_domain)
{
	struct mauth_pair *pairs;
	size_t	n;
	char   *slash;
	const char *v;
	enum mauth_how how = MAUTH_NONE;

	if ((pairs = calloc(MAUTH_PROPS_MAX, sizeof(*pairs))) == NULL)
		return (MAUTH_NONE);
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
	return (how);
}

/* mauth_id - read the authserv-id at P into ID; the position after */
static const char *
mauth_id(const char *p, const char *end, char *id)
{
	size_t	n = 0;

	p = mauth_skip_ws(p, end);
	if (p < end && *p == '"')
		return (mauth_value(p, end, id));
	for (; p < end && *p != ' ' && *p != ';'; p++)
		if (n + 1 < MAUTH_WORD_MAX)
			id[n++] = *p;
	id[n] = 0;
	return (p);
}

/* mauth_trusted - whether ID is one of the NTRUSTED names */
static int
mauth_trusted(const char *id, const char *const *trusted, size_t ntrusted)
{
	if (id[0] == 0)
		return (0);
	for (size_t i = 0; i < ntrusted; i++)
		if (trusted[i] && strcasecmp(trusted[i], id) == 0)
			return (1);
	return (0);
}

/* mauth_results - the strongest pass among the results from P (at a ';') */
static enum mauth_how
mauth_results(const char *p, const char *end, const char *from_domain)
{
	enum mauth_how best = MAUTH_NONE;
	size_t	results = 0;

	while (p < end && *p == ';' && results < MAUTH_RESINFO_MAX) {
		const char *semi;
		int	quoted = 0;
		enum mauth_how h;

		p++;
		for (semi = p; semi < end; semi++) {
			if (*semi == '"')
				quoted = !quoted;
			else if (*semi == '\\' && quoted && semi + 1 < end)
				semi++;
			else if (*semi == ';' && !quoted)
				break;
		}
		h = mauth_resinfo(p, semi, from_domain);
		if (h > best)
			best = h;
		results++;
		p = semi;
	}
	return (best);
}

/* mauth_check - whether header VALUE from a trusted id proves FROM_DOMAIN */
int
mauth_check(const char *value, const char *const *trusted, size_t ntrusted,
	    const char *from_domain, enum mauth_how *how)
{
	char   *buf, id[MAUTH_WORD_MAX];
	const char *p, *end;
	enum mauth_how best = MAUTH_NONE;

	if (how)
		*how = MAUTH_NONE;
	if (value == NULL || from_domain == NULL || from_domain[0] == 0)
		return (0);
	if ((buf = malloc(MAUTH_VALUE_MAX + 1)) == NULL)
		return (0);
	end = buf + addr_strip_comments(value, MAUTH_VALUE_MAX, buf, MAUTH_VALUE_MAX + 1);
	p = mauth_id(buf, end, id);
	if (!mauth_trusted(id, trusted, ntrusted))
		goto done;
	p = mauth_skip_ws(p, end);
	while (p < end && isdigit((unsigned char) *p))
		p++;				/* optional version */
	p = mauth_skip_ws(p, end);
	if (p < end && *p == ';')		/* else "id; none" or garbage */
		best = mauth_results(p, end, from_domain);
done:
	free(buf);
	if (how)
		*how = best;
	return (best != MAUTH_NONE);
}
