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

/*
 * mauth_pairs - parse "name=value name = value ..." in [P, END) into
 * PAIRS; the count. Each pair counted is set in full (name, value,
 * quoted): PAIRS need not be zeroed.
 */
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
			pairs[count].quoted = 0;
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

/* mauth_same_domain - whether domain V (any form) is FROM_DOMAIN (normalised) */
static int
mauth_same_domain(const char *v, const char *from_domain)
{
	char	d[ADDR_MAX];

	return (addr_domain_normalise(v, d, sizeof(d)) == 0 && strcmp(d, from_domain) == 0);
}

/* mauth_aligned - whether domain V (any form) aligns with FROM_DOMAIN */
static int
mauth_aligned(const char *v, const char *from_domain)
{
	char	d[ADDR_MAX];

	return (addr_domain_normalise(v, d, sizeof(d)) == 0 && maddr_domain_aligned(d, from_domain));
}

/* mauth_method - the method NAME names, MAUTH_NONE for another one */
static enum mauth_how
mauth_method(const char *name)
{
	for (int h = MAUTH_NONE + 1; h < MAUTH_HOW_COUNT; h++)
		if (strcmp(name, mauth_how_names[h]) == 0)
			return ((enum mauth_how) h);
	return (MAUTH_NONE);
}

/*
 * mauth_about - which method a result is, when it speaks about
 * FROM_DOMAIN: dmarc with header.from equal to it, dkim with header.d
 * (or header.i's domain) aligned, spf with smtp.mailfrom's domain
 * aligned. MAUTH_NONE otherwise.
 */
static enum mauth_how
mauth_about(const struct mauth_pair *pairs, size_t n, const char *from_domain)
{
	const char *v;

	if (strcmp(pairs[0].name, "dmarc") == 0) {
		v = mauth_prop(pairs, n, "header.from");
		return (v && mauth_same_domain(addr_domain(v), from_domain) ? MAUTH_DMARC : MAUTH_NONE);
	}
	if (strcmp(pairs[0].name, "dkim") == 0) {
		if ((v = mauth_prop(pairs, n, "header.d")) == NULL
		    && (v = mauth_prop(pairs, n, "header.i")) != NULL)
			v = addr_domain(v);
		return (v && mauth_aligned(v, from_domain) ? MAUTH_DKIM : MAUTH_NONE);
	}
	if (strcmp(pairs[0].name, "spf") == 0) {
		v = mauth_prop(pairs, n, "smtp.mailfrom");
		return (v && mauth_aligned(addr_domain(v), from_domain) ? MAUTH_SPF : MAUTH_NONE);
	}
	return (MAUTH_NONE);
}

/* mauth_resinfo - one "method=result props" in [P, END), added to RES for FROM_DOMAIN */
static void
mauth_resinfo(const char *p, const char *end, const char *from_domain, struct mauth_res *res)
{
	struct mauth_pair *pairs;
	size_t	n;
	char   *slash;
	enum mauth_how about;

	/* not zeroed (8 KB each time): mauth_pairs() sets what it counts */
	if ((pairs = malloc(MAUTH_PROPS_MAX * sizeof(*pairs))) == NULL)
		return;
	n = mauth_pairs(p, end, pairs, MAUTH_PROPS_MAX);
	/* the result is a keyword (RFC 8601): a quoted "pass" is not one */
	if (n == 0 || pairs[0].quoted)
		goto done;
	if ((slash = strchr(pairs[0].name, '/')) != NULL)
		*slash = 0;			/* method version */
	about = mauth_about(pairs, n, from_domain);
	if (mauth_method(pairs[0].name) != MAUTH_NONE)
		res->present |= MAUTH_BIT(mauth_method(pairs[0].name));
	if (about != MAUTH_NONE && strcasecmp(pairs[0].value, "pass") == 0)
		res->pass |= MAUTH_BIT(about);
	else if (strcasecmp(pairs[0].value, "fail") == 0
		 && (about != MAUTH_NONE || (strcmp(pairs[0].name, "dmarc") == 0
					     && mauth_prop(pairs, n, "header.from") == NULL)))
		res->fail = 1;
done:
	free(pairs);
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

/*
 * mauth_trusted - whether ID is one of the NTRUSTED names; with JOBID
 * (not NULL), ID must be such a name, '/' and JOBID (OpenDKIM's and
 * OpenDMARC's AuthservIDWithJobID): a client cannot know the queue id of
 * its message before it is sent, so it cannot forge such a field.
 */
static int
mauth_trusted(const char *id, const char *const *trusted, size_t ntrusted, const char *jobid)
{
	const char *slash = strchr(id, '/');
	size_t	n = slash ? (size_t) (slash - id) : strlen(id);

	if (n == 0 || (jobid != NULL) != (slash != NULL))
		return (0);
	if (jobid && (jobid[0] == 0 || strcmp(slash + 1, jobid) != 0))
		return (0);
	for (size_t i = 0; i < ntrusted; i++)
		if (trusted[i] && strlen(trusted[i]) == n && strncasecmp(trusted[i], id, n) == 0)
			return (1);
	return (0);
}

/* mauth_results - the results from P (at a ';') into RES */
static void
mauth_results(const char *p, const char *end, const char *from_domain, struct mauth_res *res)
{
	size_t	results = 0;

	while (p < end && *p == ';' && results < MAUTH_RESINFO_MAX) {
		const char *semi;
		int	quoted = 0;

		p++;
		for (semi = p; semi < end; semi++) {
			if (*semi == '"')
				quoted = !quoted;
			else if (*semi == '\\' && quoted && semi + 1 < end)
				semi++;
			else if (*semi == ';' && !quoted)
				break;
		}
		mauth_resinfo(p, semi, from_domain, res);
		results++;
		p = semi;
	}
}

/* mauth_best - the strongest method of bit set BITS */
enum mauth_how
mauth_best(unsigned bits)
{
	for (int h = MAUTH_HOW_COUNT - 1; h > MAUTH_NONE; h--)
		if (bits & MAUTH_BIT(h))
			return ((enum mauth_how) h);
	return (MAUTH_NONE);
}

/* mauth_eval - whether VALUE's authserv-id is trusted; then what it says of FROM_DOMAIN */
int
mauth_eval(const char *value, const char *const *trusted, size_t ntrusted,
	   const char *jobid, const char *from_domain, struct mauth_res *res)
{
	char   *buf, id[MAUTH_WORD_MAX];
	const char *p, *end;
	int	is_trusted = 0;

	memset(res, 0, sizeof(*res));
	if (value == NULL || (buf = malloc(MAUTH_VALUE_MAX + 1)) == NULL)
		return (0);
	end = buf + addr_strip_comments(value, MAUTH_VALUE_MAX, buf, MAUTH_VALUE_MAX + 1);
	p = mauth_id(buf, end, id);
	if (!mauth_trusted(id, trusted, ntrusted, jobid))
		goto done;
	is_trusted = 1;
	p = mauth_skip_ws(p, end);
	while (p < end && isdigit((unsigned char) *p))
		p++;				/* optional version */
	p = mauth_skip_ws(p, end);
	if (p < end && *p == ';' && from_domain && from_domain[0])	/* else "id; none" */
		mauth_results(p, end, from_domain, res);
done:
	free(buf);
	return (is_trusted);
}

/* mauth_check - whether header VALUE from a trusted id proves FROM_DOMAIN, with no fail */
int
mauth_check(const char *value, const char *const *trusted, size_t ntrusted,
	    const char *from_domain, enum mauth_how *how)
{
	struct mauth_res res;
	enum mauth_how best;

	if (how)
		*how = MAUTH_NONE;
	if (!mauth_eval(value, trusted, ntrusted, NULL, from_domain, &res) || res.fail
	    || (best = mauth_best(res.pass)) == MAUTH_NONE)
		return (0);
	if (how)
		*how = best;
	return (1);
}

/* mauth_received_by - the "by" host of a Received header VALUE into HOST, lower case */
int
mauth_received_by(const char *value, char *host, size_t hostlen)
{
	char   *buf, *semi, *p;
	size_t	n = 0;

	if (hostlen == 0 || (buf = malloc(MAUTH_VALUE_MAX + 1)) == NULL)
		return (-1);
	host[0] = 0;
	(void) addr_strip_comments(value, MAUTH_VALUE_MAX, buf, MAUTH_VALUE_MAX + 1);
	if ((semi = strchr(buf, ';')) != NULL)
		*semi = 0;			/* the date: no clause after it */
	for (p = buf; *p; p++)
		*p = (char) tolower((unsigned char) *p);
	for (p = buf; (p = strstr(p, "by ")) != NULL; p += 3) {
		if (p != buf && p[-1] != ' ')
			continue;
		for (p += 3; *p == ' '; p++)
			;
		for (; *p && *p != ' ' && n + 1 < hostlen; p++)
			host[n++] = *p;
		break;
	}
	host[n] = 0;
	free(buf);
	return (n > 0 ? 0 : -1);
}
