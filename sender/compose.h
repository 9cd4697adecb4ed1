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
 *				    const struct compose_sender *snd, char *err, size_t errlen);
 *	void	compose_free(struct compose *c);
 *	const char *compose_from(const struct compose *c);
 *	int	compose_return_path(const struct compose *c, const char *token,
 *				    char *out, size_t outlen);
 *	int	compose_message_id(const struct compose *c, char *out, size_t outlen);
 *	const char *compose_web_base(const struct compose *c);
 *	int	compose_check(const struct compose *c, const struct compose_rcpt *r,
 *			      char *err, size_t errlen);
 *	int	compose_message(const struct compose *c, const struct compose_rcpt *r,
 *				char **out, size_t *len, char *err, size_t errlen);
 *	int	compose_render(const struct compose *c, const struct compose_rcpt *r,
 *			       struct compose_parts *p, char *err, size_t errlen);
 *	void	compose_parts_free(struct compose_parts *p);
 * DESCRIPTION
 *	A struct compose holds what every message of a campaign shares:
 *	the category, its From address (policy section 5: noreply@ for
 *	account, maintenance and, unless promotion_from is set, promotion;
 *	support@ for survey and answer; for staff SND->addr, a name@ address
 *	of a company domain other than noreply@ and support@, with the staff
 *	member's name SND->name, where other mail shows company_name), the
 *	template, the --set values SET, the company's contact block and the
 *	display names of service types (svcname.h). SND is NULL or its
 *	members NULL for every category but staff. It is immutable after compose_new()
 *	and may be shared by threads (the MIME plan inside it, mime_plan.h,
 *	is made once under its lock). T and SET must outlive it.
 *
 *	compose_check() renders every part of the template for recipient R
 *	and checks every value that reaches a header, without building the
 *	message: links-sender runs it for every recipient before anything
 *	is sent, so that a missing placeholder stops the campaign.
 *	compose_message() builds the whole message (mime.c): the text and
 *	HTML bodies end with the footer ("-- ", why the customer gets the
 *	message, what a reply "Từ chối" stops for this category (or, for a
 *	template with "Footer: last", that this is the last message about
 *	the refusal), the contact block: footer.h); with R->in_reply_to,
 *	In-Reply-To and References name the message answered; a test
 *	message (R->test) goes To R->deliver_to, its subject starts with
 *	"[TEST]" and its List-Unsubscribe token verifies nothing; refusable
 *	categories get List-Unsubscribe and List-Id. List-Unsubscribe
 *	names first the https one-click link R->unsub_url (BASE/u/TOKEN of
 *	weblink.h, a dated token the caller made with the store) when
 *	web_base_url is set, then the mailto noreply+TOKEN@domain with
 *	R->token ("?subject=unsubscribe" added when the line stays within
 *	78 columns); with an https link comes List-Unsubscribe-Post:
 *	List-Unsubscribe=One-Click (RFC 8058). The footer of a refusable
 *	category links to the customer's preference page R->pref_url
 *	(BASE/p/TOKEN; in the HTML part an <a href>). A message of a
 *	refusable category without R->unsub_url and R->pref_url while
 *	web_base_url is set is an error, except a test message, whose
 *	links carry a token that verifies nothing. Without web_base_url,
 *	the deprecated unsubscribe_url (its value, then R->token) is the
 *	https link. The result is owned by the caller (free()).
 *
 *	compose_render() gives the parts compose_message() puts together,
 *	for a preview: the rendered subject, the text with its footer and
 *	the HTML with its footer (NULL when the template has none); free
 *	them with compose_parts_free().
 *
 *	compose_return_path() writes the envelope sender (return path) of
 *	one message into OUT: noreply+b-TOKEN@domain with the bounce (VERP)
 *	token TOKEN of store_verp_make() (the milter counts a bounce only
 *	when it comes back to such an address and the token verifies),
 *	except for staff mail, whose bounces go to the staff member's own
 *	address, and when TOKEN is NULL (the From address). -1 when OUT is
 *	too small.
 *
 *	compose_message_id() makes a new random Message-ID (without angle
 *	brackets) on message_id_domain, else the first company domain.
 *
 *	compose_web_base() is web_base_url (checked by compose_new() with
 *	weblink_base_check()), or NULL when it is empty: the caller then
 *	makes no https links.
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


struct compose_rcpt {
	int64_t customer_id;
	const char *email;
	const char *name;		/* "" when unknown */
	const struct store_contract *contract;	/* NULL when none */
	const char *message_id;		/* without angle brackets */
	const char *token;		/* unsubscribe token; NULL for transactional */
	const char *unsub_url;		/* web_base_url's BASE/u/TOKEN (weblink.h); NULL */
	const char *pref_url;		/* web_base_url's BASE/p/TOKEN; NULL */
	time_t	date;
	const char *in_reply_to;	/* Message-ID answered (no brackets); NULL */
	const char *references;		/* its thread "<a> ... <in_reply_to>"; NULL: that one */
	const char *deliver_to;		/* To instead of EMAIL (a test); NULL */
	int	test;			/* a test message: [TEST], no real token */
};

/* Who staff mail comes from (NULL, or NULL members, for other categories). */
struct compose_sender {
	const char *addr;		/* name@ of a company domain */
	const char *name;		/* the staff member's name */
};

/* What compose_render() gives. */
struct compose_parts {
	char   *subject;
	char   *text;			/* with the footer */
	char   *html;			/* with the footer; NULL when none */
};

struct compose;

struct compose *compose_new(const struct conf *conf, enum category cat,
			    const struct tmpl *t, const struct tmpl_vars *set,
			    const struct compose_sender *snd, char *err, size_t errlen);
void	compose_free(struct compose *c);
const char *compose_from(const struct compose *c);
int	compose_return_path(const struct compose *c, const char *token, char *out, size_t outlen);
enum category compose_category(const struct compose *c);
const char *compose_web_base(const struct compose *c);
int	compose_message_id(const struct compose *c, char *out, size_t outlen);
int	compose_check(const struct compose *c, const struct compose_rcpt *r,
		      char *err, size_t errlen);
int	compose_message(const struct compose *c, const struct compose_rcpt *r,
			char **out, size_t *len, char *err, size_t errlen);
int	compose_render(const struct compose *c, const struct compose_rcpt *r,
		       struct compose_parts *p, char *err, size_t errlen);
void	compose_parts_free(struct compose_parts *p);

/* compose_message_id() for mail made without a struct compose (links-sender
 * digest): -1 with ERR for a bad message_id_domain or no randomness. */
int	compose_message_id_conf(const struct conf *conf, char *out, size_t outlen,
				char *err, size_t errlen);
/* Whether ADDR is a name@ address of one of the company_domains. */
int	compose_company_address(const struct conf *conf, const char *addr);

/* Keys set per recipient; --set may not use them. */
int	compose_reserved_key(const char *key);

#endif
