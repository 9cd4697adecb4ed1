/*
 * NAME
 *	category 3h
 * SUMMARY
 *	the email categories of the privacy policy (section 5), one table
 * SYNOPSIS
 *	#include "category.h"
 *
 *	const struct category_info *category_get(enum category cat);
 *	const char *category_name(enum category cat);
 *	int	category_parse(const char *name, enum category *out);
 *	int	category_refusable(enum category cat);
 *	unsigned category_refusable_mask(void);
 * DESCRIPTION
 *	Every rule that depends on the kind of mail lives in one row of
 *	the table in category.c: its name, whether the customer can refuse
 *	it ("Từ chối" stops it), which address it comes from, whether it
 *	carries List-Id and List-Unsubscribe, who may receive it, its
 *	default template, whether it is machine-generated (Auto-Submitted)
 *	and the footer's "why you receive this" sentence. The store, the
 *	milter, the sender and the web pages read the table; none of them
 *	switches on a category for a rule the table holds.
 *
 *	The numeric values are kept in databases and inside unsubscribe
 *	tokens: never renumber a category; add new ones before
 *	CATEGORY_COUNT.
 *
 *	category_get() returns the row of CAT, or NULL when CAT is out of
 *	range. category_name() returns "unknown" for such a value.
 *	category_parse() returns 0 and sets *OUT, or -1 for an unknown
 *	name. category_refusable_mask() has bit CATEGORY_BIT(c) set for
 *	each refusable category c.
 */
#ifndef LINKS_CATEGORY_H
#define LINKS_CATEGORY_H

enum category {
	CATEGORY_ACCOUNT = 0,		/* contracts, invoices, confirmations */
	CATEGORY_MAINTENANCE,		/* only customers using that service */
	CATEGORY_SURVEY,		/* refusable */
	CATEGORY_PROMOTION,		/* offers, events; refusable */
	CATEGORY_ANSWER,		/* answers to questions */
	CATEGORY_STAFF,			/* name@ */
	CATEGORY_COUNT
};

#define CATEGORY_BIT(c)	(1u << (unsigned) (c))

/* Which address a category's mail comes from. */
enum category_from {
	CATEGORY_FROM_NOREPLY,		/* noreply_address */
	CATEGORY_FROM_SUPPORT,		/* support_address */
	CATEGORY_FROM_PROMOTION,	/* promotion_from, else noreply_address */
	CATEGORY_FROM_STAFF		/* the staff member's own name@ address */
};

/* Who may receive it. */
enum category_audience {
	CATEGORY_AUD_CUSTOMERS,		/* any customers: one, a list, or all */
	CATEGORY_AUD_SERVICE,		/* customers with an active contract of the
					 * service type concerned (it must be given) */
	CATEGORY_AUD_ADDRESSED		/* only the customers named (--to, --customers) */
};

struct category_info {
	const char *name;
	int	refusable;		/* "Từ chối" and List-Unsubscribe stop it */
	enum category_from from;
	int	list_headers;		/* List-Id, List-Unsubscribe(-Post) */
	enum category_audience audience;
	const char *template;		/* default template name */
	int	auto_submitted;		/* Auto-Submitted: auto-generated */
	const char *reason_vi;		/* footer: why the customer receives it */
};

const struct category_info *category_get(enum category cat);
const char *category_name(enum category cat);
int	category_parse(const char *name, enum category *out);
int	category_refusable(enum category cat);
unsigned category_refusable_mask(void);

#endif
