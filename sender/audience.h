/*
 * NAME
 *	audience 3h
 * SUMMARY
 *	who gets a campaign, and who is skipped and why
 * SYNOPSIS
 *	#include "audience.h"
 *
 *	int	audience_select(struct store *st, const struct audience *a,
 *				int64_t **ids, size_t *n, char *err, size_t errlen);
 *	int	audience_check(struct store *st, const struct audience *a,
 *			       const struct store_customer *c, struct store_contract *k,
 *			       char *reason, size_t reasonlen);
 * DESCRIPTION
 *	An audience is one address (TO), a file of addresses or customer
 *	ids (CUSTOMERS_FILE), or else every customer; SERVICE_TYPE narrows
 *	it to customers with an active contract of exactly that type, and
 *	SERVICE_REF to the customer's contract with that reference.
 *
 *	audience_select() returns the candidate customer ids, without
 *	duplicates, in the order given (id order for "every customer").
 *	*IDS is allocated; the caller frees it. An address in TO or the
 *	file that is not a customer is an error (nothing is sent to
 *	strangers); so is a line longer than AUDIENCE_LINE_MAX or a file
 *	with more than AUDIENCE_MAX entries.
 *
 *	audience_check() applies the rules of policy section 5 to one
 *	customer C for category A->cat and returns
 *	  AUDIENCE_SEND	send, with the contract chosen in K (K->id 0: none);
 *	  AUDIENCE_SKIP	skip, with REASON: invalid or undeliverable
 *			address, CR/LF/NUL in the name, refused or
 *			suppressed (refusable categories only), no active
 *			contract of the service type;
 *	  AUDIENCE_OUT	not part of the audience at all (every-customer
 *			selection narrowed by service type): no row;
 *	  < 0		a STORE_ error.
 *	The caller clears K with store_contract_clear().
 * DIAGNOSTICS
 *	-1 with a message in ERR from audience_select().
 */
#ifndef LINKS_AUDIENCE_H
#define LINKS_AUDIENCE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define AUDIENCE_LINE_MAX	1024		/* bytes of a line in --customers */
#define AUDIENCE_MAX		10000000	/* recipients of one campaign */
#define AUDIENCE_REASON_MAX	160

#define AUDIENCE_SEND	0
#define AUDIENCE_SKIP	1
#define AUDIENCE_OUT	2

struct audience {
	enum category cat;
	const char *service_type;	/* NULL: any */
	const char *service_ref;	/* NULL: any */
	const char *to;			/* NULL: none */
	const char *customers_file;	/* NULL: none; "-": stdin */
};

int	audience_select(struct store *st, const struct audience *a, int64_t **ids, size_t *n,
			char *err, size_t errlen);
int	audience_check(struct store *st, const struct audience *a, const struct store_customer *c,
		       struct store_contract *k, char *reason, size_t reasonlen);
/* A printable description for the campaign row, no personal data. Caller frees. */
char   *audience_describe(const struct audience *a);

#endif
