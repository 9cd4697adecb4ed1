/*
 * NAME
 *	client 3
 * SUMMARY
 *	who the client is, behind the company's reverse proxy
 * SYNOPSIS
 *	#include "client.h"
#include "text.h"
 * DESCRIPTION
 *	See client.h.
 * DIAGNOSTICS
 *	See client.h.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "text.h"

/* canonical - IN (trimmed, LEN bytes) as inet_ntop writes it; -1 if not an address. */
static int
canonical(const char *in, size_t len, char *out, size_t outlen)
{
	char	buf[CLIENT_ADDR_MAX];
	unsigned char bin[sizeof(struct in6_addr)];

	text_trim_span(&in, &len, NULL);
	if (len == 0 || len >= sizeof(buf))
		return (-1);
	memcpy(buf, in, len);
	buf[len] = 0;
	if (inet_pton(AF_INET, buf, bin) == 1)
		return (inet_ntop(AF_INET, bin, out, (socklen_t) outlen) ? 0 : -1);
	if (inet_pton(AF_INET6, buf, bin) == 1)
		return (inet_ntop(AF_INET6, bin, out, (socklen_t) outlen) ? 0 : -1);
	return (-1);
}

/* trusted - whether ADDR (canonical) is one of web_trusted_proxies */
static int
trusted(const char *addr, const struct conf *c)
{
	char	t[CLIENT_ADDR_MAX];
	size_t	i, n = conf_web_trusted_proxies_count(c);

	for (i = 0; i < n; i++) {
		const char *item = conf_web_trusted_proxies_item(c, i);

		if (canonical(item, strlen(item), t, sizeof(t)) == 0 && strcmp(t, addr) == 0)
			return (1);
	}
	return (0);
}

/* client_address - the client of a request, behind a trusted proxy or not */
void
client_address(const char *peer, const char *xff, const struct conf *c, char *out,
	       size_t outlen)
{
	char	a[CLIENT_ADDR_MAX];
	size_t	end, start, seen = 0;

	if (canonical(peer, strlen(peer), out, outlen) < 0)
		snprintf(out, outlen, "%s", peer);
	if (xff == NULL || !trusted(out, c))
		return;
	/* From the right: the first entry that is not one of our proxies. */
	for (end = strlen(xff); end > 0 && seen < CLIENT_XFF_MAX; end = start, seen++) {
		start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		if (canonical(xff + start, end - start, a, sizeof(a)) < 0)
			return;		/* garbage: believe only the peer */
		if (!trusted(a, c)) {
			snprintf(out, outlen, "%s", a);
			return;
		}
		if (start > 0)
			start--;	/* the comma */
	}
}
