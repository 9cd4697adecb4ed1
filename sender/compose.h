/*
 * NAME
 *	compose 3h
 * SUMMARY
 *	one category's messages: From, footer, List-* headers, rendering
 * SYNOPSIS
 *	#include "compose.h"
 *
 *	struct compose *compose_new(const struct conf *conf, enum category cat,
 *				    const struct tmpl *t, const struct tmpl_vars *set,
 *				    const char *staff_from, char *err, size_t errlen);
 *	void	compose_free(struct compose *c);
 *	const char *compose_from(const struct compose *c);
 *	int	compose_message_id(const struct compose *c, char *out, size_t outlen);
 *	int	compose_check(const struct compose *c, const struct compose_rcpt *r,
 *			      char *err, size_t errlen);
 *	int	compose_message(const struct compose *c, const struct compose_rcpt *r,
 *				char **out, size_t *len, char *err, size_t errlen);
 * DESCRIPTION
 *	A struct compose holds what every message of a campaign shares:
 *	the category, its From address (policy section 5: noreply@ for
 *	account, maintenance and, unless promotion_from is set, promotion;
 *	support@ for survey and answer; STAFF_FROM, a name@ address of a
 *	company domain, for staff), the template, the --set values SET and
 *	the company's contact block. It is immutable after compose_new()
 *	and may be shared by threads. T and SET must outlive it.
 *
 *	compose_check() renders every part of the template for recipient R
 *	and checks every value that reaches a header, without building the
 *	message: links-sender runs it for every recipient before anything
 *	is sent, so that a missing placeholder stops the campaign.
 *	compose_message() builds the whole message (mime.c): the text and
 *	HTML bodies end with the footer ("-- ", why the customer gets the
 *	message, the refusal sentence, the contact block); refusable
 *	categories get List-Unsubscribe (mailto noreply+TOKEN@domain with
 *	R->token, with "?subject=unsubscribe" when the line stays within
 *	78 columns, plus the
 *	https one-click URL when unsubscribe_url is set, then with
 *	List-Unsubscribe-Post) and List-Id. The result is owned by the
 *	caller (free()).
 *
 *	compose_message_id() makes a new random Message-ID (without angle
 *	brackets) on message_id_domain, else the first company domain.
 * DIAGNOSTICS
 *	COMPOSE_ERR (-1): an error that stops the campaign (missing
 *	placeholder, out of memory); COMPOSE_BAD_RCPT (-2): this
 *	recipient's data cannot be sent safely (CR, LF or NUL in the name,
 *	an invalid address): skip it with the reason in ERR. compose_new()
 *	returns NULL with a message in ERR for a bad configuration or a
 *	staff address outside company_domains.
 */
#ifndef LINKS_COMPOSE_H
#define LINKS_COMPOSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "store.h"
#include "tmpl.h"

#define COMPOSE_ERR		(-1)
#define COMPOSE_BAD_RCPT	(-2)
#define COMPOSE_ID_MAX		128	/* bytes of a generated Message-ID */

#include "footer.h"

/* The sentence our footer carries; the milter recognises it (footer.h). */
#define COMPOSE_REFUSAL_SENTENCE FOOTER_REFUSAL_VI

struct compose_rcpt {
	int64_t customer_id;
	const char *email;
	const char *name;		/* "" when unknown */
	const struct store_contract *contract;	/* NULL when none */
	const char *message_id;		/* without angle brackets */
	const char *token;		/* unsubscribe token; NULL for transactional */
	time_t	date;
};

struct compose;

struct compose *compose_new(const struct conf *conf, enum category cat,
			    const struct tmpl *t, const struct tmpl_vars *set,
			    const char *staff_from, char *err, size_t errlen);
void	compose_free(struct compose *c);
const char *compose_from(const struct compose *c);
enum category compose_category(const struct compose *c);
int	compose_message_id(const struct compose *c, char *out, size_t outlen);
int	compose_check(const struct compose *c, const struct compose_rcpt *r,
		      char *err, size_t errlen);
int	compose_message(const struct compose *c, const struct compose_rcpt *r,
			char **out, size_t *len, char *err, size_t errlen);

/* Whether ADDR is a name@ address of one of the company_domains. */
int	compose_company_address(const struct conf *conf, const char *addr);

/* Keys set per recipient; --set may not use them. */
int	compose_reserved_key(const char *key);

#endif
