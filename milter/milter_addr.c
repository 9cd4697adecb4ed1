/*
 * NAME
 *	milter_addr 3
 * SUMMARY
 *	LINKS address recognition, From and Message-ID extraction
 * SYNOPSIS
 *	#include "milter_addr.h"
 * DESCRIPTION
 *	See milter_addr.h. Everything here reads network input: every scan
 *	is bounded by MADDR_HEADER_SCAN_MAX or the output size, and nothing
 *	is written past an output buffer.
 * DIAGNOSTICS
 *	Invalid input gives -1 or MADDR_OTHER, never a crash.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "milter_addr.h"

struct maddr_conf {
	char	noreply_local[MADDR_MAX];
	char	noreply[MADDR_MAX];
	char	support[MADDR_MAX];
	size_t	ndomains;
	char	domains[MADDR_DOMAINS_MAX][MADDR_MAX];
};

static const char *const maddr_kind_names[MADDR_KIND_COUNT] = {
	"other", "noreply", "noreply_token", "noreply_verp", "support", "staff"
};

/* maddr_kind_name - the word for recipient kind K */
const char *
maddr_kind_name(enum maddr_kind k)
{
	if ((unsigned) k < MADDR_KIND_COUNT)
		return (maddr_kind_names[k]);
	return ("unknown");
}

/* maddr_normalise - addr_normalise(), with the null path "" and 0 */
int
maddr_normalise(const char *in, char *out, size_t outlen)
{
	int	r = addr_normalise(in, out, outlen);

	return (r == ADDR_NULL ? 0 : r);
}

/* maddr_domain_aligned - relaxed DMARC alignment of domains A and B */
int
maddr_domain_aligned(const char *a, const char *b)
{
	size_t	la = strlen(a);
	size_t	lb = strlen(b);
	const char *shorter;
	const char *longer;
	size_t	ls;
	size_t	ll;

	if (la == 0 || lb == 0)
		return (0);
	if (strcasecmp(a, b) == 0)
		return (1);
	if (la < lb) {
		shorter = a, ls = la, longer = b, ll = lb;
	} else {
		shorter = b, ls = lb, longer = a, ll = la;
	}
	if (strchr(shorter, '.') == NULL)
		return (0);		/* a bare TLD aligns with nothing */
	return (ll > ls + 1 && longer[ll - ls - 1] == '.'
	    && strcasecmp(longer + ll - ls, shorter) == 0);
}

/* maddr_from_scan - the address text of the first mailbox in comment-free V into BUF */
static int
maddr_from_scan(const char *v, char *buf, size_t buflen)
{
	size_t	n = 0;
	int	quoted = 0, angle = 0;

	for (size_t i = 0; v[i]; i++) {
		char	c = v[i];

		if (quoted) {
			if (c == '\\' && v[i + 1])
				i++;
			else if (c == '"')
				quoted = 0;
			continue;
		}
		if (angle && c == '>')
			break;
		if (!angle && c == '"') {
			quoted = 1;
			n = 0;			/* what came before was a name */
			continue;
		}
		if (!angle && c == '<') {
			angle = 1;
			n = 0;
			continue;
		}
		if (!angle && c == ',')
			break;
		if (!angle && c == ' ') {
			/* "Name addr@x" without brackets: keep the word with '@' */
			if (n > 0 && memchr(buf, '@', n) == NULL)
				n = 0;
			continue;
		}
		if (n + 1 >= buflen)
			return (-1);
		buf[n++] = c;
	}
	buf[n] = 0;
	return (n > 0 ? 0 : -1);
}

/*
 * maddr_from_header - the first mailbox of a From header value,
 * normalised. Comments go first (addr_strip_comments()); then the
 * contents of an angle-bracketed address outside quotes are kept, or
 * the word holding '@'. Quoted strings are display names.
 */
int
maddr_from_header(const char *value, char *out, size_t outlen)
{
	char   *v, buf[MADDR_MAX];
	int	rc = -1;

	if (value == NULL || (v = malloc(MADDR_HEADER_SCAN_MAX + 1)) == NULL)
		return (-1);
	(void) addr_strip_comments(value, MADDR_HEADER_SCAN_MAX, v, MADDR_HEADER_SCAN_MAX + 1);
	if (maddr_from_scan(v, buf, sizeof(buf)) == 0
	    && maddr_normalise(buf, out, outlen) == 0 && out[0] != 0)
		rc = 0;
	free(v);
	return (rc);
}

/* maddr_msgids - the message identifiers between angle brackets in VALUE */
size_t
maddr_msgids(const char *value, char ids[][MADDR_MSGID_MAX], size_t max)
{
	size_t	count = 0;
	const char *p = value;
	const char *end;

	if (value == NULL)
		return (0);
	end = value + strnlen(value, MADDR_HEADER_SCAN_MAX);
	while (count < max && p < end) {
		const char *lt = memchr(p, '<', (size_t) (end - p));
		const char *gt;
		size_t	n;
		int	ok = 1;

		if (lt == NULL)
			break;
		gt = memchr(lt + 1, '>', (size_t) (end - lt - 1));
		if (gt == NULL)
			break;
		n = (size_t) (gt - lt - 1);
		if (n == 0 || n >= MADDR_MSGID_MAX)
			ok = 0;
		for (size_t i = 0; ok && i < n; i++) {
			unsigned char c = (unsigned char) lt[1 + i];

			if (c <= ' ' || c >= 0x7f || c == '<')
				ok = 0;
		}
		if (ok) {
			memcpy(ids[count], lt + 1, n);
			ids[count][n] = 0;
			count++;
		}
		p = gt + 1;
	}
	return (count);
}

/* maddr_conf_new - the LINKS address set of CONF, or NULL with ERR */
struct maddr_conf *
maddr_conf_new(const struct conf *conf, char *err, size_t errlen)
{
	struct maddr_conf *ac;
	const char *at;
	size_t	n;

	if ((ac = calloc(1, sizeof(*ac))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	if (maddr_normalise(conf_noreply_address(conf), ac->noreply,
			    sizeof(ac->noreply)) != 0 || ac->noreply[0] == 0) {
		snprintf(err, errlen, "noreply_address: not a valid address");
		goto fail;
	}
	if (maddr_normalise(conf_support_address(conf), ac->support,
			    sizeof(ac->support)) != 0 || ac->support[0] == 0) {
		snprintf(err, errlen, "support_address: not a valid address");
		goto fail;
	}
	at = strchr(ac->noreply, '@');
	memcpy(ac->noreply_local, ac->noreply, (size_t) (at - ac->noreply));
	ac->noreply_local[at - ac->noreply] = 0;

	n = conf_company_domains_count(conf);
	if (n > MADDR_DOMAINS_MAX) {
		snprintf(err, errlen, "company_domains: more than %d domains", MADDR_DOMAINS_MAX);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		const char *d = conf_company_domains_item(conf, i);

		/* one form of each domain: the Unicode and A-label ones match */
		if (strchr(d, '@') || addr_domain_normalise(d, ac->domains[ac->ndomains],
							    MADDR_MAX) != 0) {
			snprintf(err, errlen, "company_domains: invalid domain");
			goto fail;
		}
		ac->ndomains++;
	}
	/* The noreply and support domains are always ours. */
	for (int k = 0; k < 2; k++) {
		const char *d = addr_domain(k == 0 ? ac->noreply : ac->support);
		int	found = 0;

		for (size_t i = 0; i < ac->ndomains; i++)
			if (strcmp(ac->domains[i], d) == 0)
				found = 1;
		if (!found && ac->ndomains < MADDR_DOMAINS_MAX)
			snprintf(ac->domains[ac->ndomains++], MADDR_MAX, "%s", d);
	}
	return (ac);

fail:
	free(ac);
	return (NULL);
}

/* maddr_conf_free - free an address set */
void
maddr_conf_free(struct maddr_conf *ac)
{
	free(ac);
}

/* maddr_support - the normalised support address */
const char *
maddr_support(const struct maddr_conf *ac)
{
	return (ac->support);
}

/* maddr_our_domain - whether domain D is a company domain */
static int
maddr_our_domain(const struct maddr_conf *ac, const char *d)
{
	for (size_t i = 0; i < ac->ndomains; i++)
		if (strcmp(ac->domains[i], d) == 0)
			return (1);
	return (0);
}

/* maddr_token - the kind of a noreply+T@ address (T: TL bytes); the token into TOKEN */
static enum maddr_kind
maddr_token(const char *t, size_t tl, char *token, size_t toklen)
{
	enum maddr_kind kind = MADDR_NOREPLY_TOKEN;
	size_t	pl = strlen(MADDR_VERP_PREFIX);
	int	ok;

	if (tl > pl && strncmp(t, MADDR_VERP_PREFIX, pl) == 0) {
		kind = MADDR_NOREPLY_VERP;
		t += pl;
		tl -= pl;
	}
	ok = tl > 0 && token && tl < toklen;
	for (size_t i = 0; ok && i < tl; i++)
		if (!isalnum((unsigned char) t[i]))
			ok = 0;
	if (ok) {
		memcpy(token, t, tl);
		token[tl] = 0;
	}
	return (kind);
}

/* maddr_company_host - whether HOST is a company domain or a host under one */
int
maddr_company_host(const struct maddr_conf *ac, const char *host)
{
	char	h[MADDR_MAX];
	size_t	hl;

	if (addr_domain_normalise(host, h, sizeof(h)) != 0)
		return (0);
	hl = strlen(h);
	for (size_t i = 0; i < ac->ndomains; i++) {
		size_t	dl = strlen(ac->domains[i]);

		if (strcmp(h, ac->domains[i]) == 0
		    || (hl > dl + 1 && h[hl - dl - 1] == '.' && strcmp(h + hl - dl, ac->domains[i]) == 0))
			return (1);
	}
	return (0);
}

/* maddr_classify - what kind of LINKS address ADDR is; its token into TOKEN */
enum maddr_kind
maddr_classify(const struct maddr_conf *ac, const char *addr, char *token, size_t toklen)
{
	char	a[MADDR_MAX];
	const char *dom;
	size_t	nl = strlen(ac->noreply_local);

	if (token && toklen)
		token[0] = 0;
	if (maddr_normalise(addr, a, sizeof(a)) != 0 || a[0] == 0)
		return (MADDR_OTHER);
	if (strcmp(a, ac->noreply) == 0)
		return (MADDR_NOREPLY);
	if (strcmp(a, ac->support) == 0)
		return (MADDR_SUPPORT);
	dom = addr_domain(a);
	if (!maddr_our_domain(ac, dom))
		return (MADDR_OTHER);
	if (strncmp(a, ac->noreply_local, nl) == 0 && a[nl] == '+')
		return (maddr_token(a + nl + 1, (size_t) (dom - 1 - (a + nl + 1)), token, toklen));
	if (strncmp(a, ac->noreply_local, nl) == 0 && a[nl] == '@')
		return (MADDR_NOREPLY);		/* noreply@ another company domain */
	return (MADDR_STAFF);
}
