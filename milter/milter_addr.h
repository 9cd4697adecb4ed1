/*
 * NAME
 *	milter_addr 3h
 * SUMMARY
 *	LINKS address recognition, From and Message-ID extraction
 * SYNOPSIS
 *	#include "milter_addr.h"
 *
 *	struct maddr_conf *maddr_conf_new(const struct conf *conf,
 *					  char *err, size_t errlen);
 *	void	maddr_conf_free(struct maddr_conf *ac);
 *	enum maddr_kind maddr_classify(const struct maddr_conf *ac,
 *				       const char *addr, char *token, size_t toklen);
 *	const char *maddr_support(const struct maddr_conf *ac);
 *	int	maddr_company_host(const struct maddr_conf *ac, const char *host);
int	maddr_company_host(const struct maddr_conf *ac, const char *host);
 *
 *	int	maddr_normalise(const char *in, char *out, size_t outlen);
 *	int	maddr_from_header(const char *value, char *out, size_t outlen);
 *	int	maddr_domain_aligned(const char *a, const char *b);
 *	size_t	maddr_msgids(const char *value, char ids[][MADDR_MSGID_MAX],
 *			     size_t max);
 *	const char *maddr_kind_name(enum maddr_kind k);
 * DESCRIPTION
 *	maddr_conf_new() takes noreply_address, support_address and
 *	company_domains from CONF and keeps normalised copies (the result
 *	does not refer to CONF). Owned by the caller: maddr_conf_free().
 *
 *	maddr_classify() says what kind of LINKS address ADDR (an envelope
 *	recipient, with or without angle brackets) is: the noreply address,
 *	a noreply+TOKEN@ unsubscribe address (the same local part and a
 *	company domain; the token is copied into TOKEN, "" when it has
 *	characters a token never has), a noreply+b-TOKEN@ bounce return
 *	path (VERP; the token after "b-"), the support address, any other
 *	name@ address of a company domain (staff), or none of ours. ADDR
 *	is read by the one address rule (addr_normalise()): a quoted local
 *	part ("noreply"@), case and the Unicode or A-label form of the
 *	domain make no difference.
 *
 *	maddr_company_host() says whether HOST (any form) is a company
 *	domain or a host under one (mx.ilinks.asia).
 *
 *	maddr_normalise() is addr_normalise() (config/addr.h: the one
 *	address rule of every program) except that the empty path ("<>")
 *	gives "" and 0. Returns 0, or -1 if invalid.
 *
 *	maddr_from_header() extracts the first mailbox of a From header
 *	value ("Name <a@b>", "a@b (comment)", quoted display names) and
 *	normalises it. Returns 0, or -1 when there is no valid address.
 *
 *	maddr_domain_aligned() implements relaxed DMARC alignment without a
 *	public suffix list: the domains are equal, or one is a subdomain of
 *	the other and the shorter one has at least two labels.
 *
 *	maddr_msgids() copies up to MAX message identifiers found between
 *	angle brackets in VALUE (In-Reply-To, References) into IDS, without
 *	the brackets, in order. Identifiers that are too long or contain
 *	spaces or control characters are skipped. Returns the count.
 * DIAGNOSTICS
 *	maddr_conf_new() returns NULL and writes a message into ERR when an
 *	address in the configuration is invalid.
 */
#ifndef LINKS_MILTER_ADDR_H
#define LINKS_MILTER_ADDR_H

#include <stddef.h>

#include "addr.h"
#include "conf.h"

#define MADDR_MAX	ADDR_MAX	/* an address, NUL included */
#define MADDR_MSGID_MAX	256		/* a Message-ID, NUL included */
#define MADDR_DOMAINS_MAX 64		/* company_domains items used */
#define MADDR_HEADER_SCAN_MAX 8192	/* bytes of a header value examined */

enum maddr_kind {
	MADDR_OTHER = 0,		/* not a LINKS address */
	MADDR_NOREPLY,			/* noreply@ */
	MADDR_NOREPLY_TOKEN,		/* noreply+TOKEN@ (unsubscribe) */
	MADDR_NOREPLY_VERP,		/* noreply+b-TOKEN@ (a bounce's return path) */
	MADDR_SUPPORT,			/* support@ */
	MADDR_STAFF,			/* any other name@company-domain */
	MADDR_KIND_COUNT
};

#define MADDR_VERP_PREFIX "b-"		/* store/inbound.h STORE_VERP_PREFIX */

struct maddr_conf;

struct maddr_conf *maddr_conf_new(const struct conf *conf, char *err, size_t errlen);
void	maddr_conf_free(struct maddr_conf *ac);
enum maddr_kind maddr_classify(const struct maddr_conf *ac, const char *addr,
			       char *token, size_t toklen);
const char *maddr_support(const struct maddr_conf *ac);
int	maddr_company_host(const struct maddr_conf *ac, const char *host);
const char *maddr_kind_name(enum maddr_kind k);

int	maddr_normalise(const char *in, char *out, size_t outlen);
int	maddr_from_header(const char *value, char *out, size_t outlen);
int	maddr_domain_aligned(const char *a, const char *b);
size_t	maddr_msgids(const char *value, char ids[][MADDR_MSGID_MAX], size_t max);

#endif
