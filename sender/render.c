/*
 * NAME
 *	render 3
 * SUMMARY
 *	one customer's message, from the rules to the bytes
 * SYNOPSIS
 *	#include "render.h"
 * DESCRIPTION
 *	See render.h.
 * DIAGNOSTICS
 *	Messages name the customer by id, never by address.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "inbound.h"
#include "render.h"
#include "weblink.h"

/* web_links - the one-click and preference links of customer ID for CAT into U and P */
static int
web_links(struct store *st, const struct compose *comp, int64_t id, enum category cat,
	  char *u, char *p, size_t len, char *err, size_t errlen)
{
	const char *base = compose_web_base(comp);
	time_t	now = time(NULL);

	/* One dated token serves both links: one HMAC a message. */
	if (weblink_urls(st, base, id, cat, now, u, p, len) != STORE_OK) {
		snprintf(err, errlen, "store: make web link: %s", store_errmsg(st));
		return (-1);
	}
	return (0);
}

/* build - compose C's message (contract K) into MSG; a DELIVERY_ code */
static int
build(struct store *st, const struct compose *comp, const struct store_customer *c,
      const struct store_contract *k, const struct render_id *id, struct delivery_msg *msg,
      char *reason, size_t reasonlen, char *err, size_t errlen)
{
	struct compose_rcpt rc;
	char	tok[STORE_TOKEN_MAX], verp[STORE_VERP_LEN + 1];
	char	unsub[WEBLINK_URL_MAX], pref[WEBLINK_URL_MAX];
	enum category cat = compose_category(comp);
	int	rv;

	memset(&rc, 0, sizeof(rc));
	rc.customer_id = c->id;
	rc.email = c->email;
	rc.name = c->name;
	rc.contract = k->id ? k : NULL;
	rc.message_id = id->message_id;
	rc.in_reply_to = id->in_reply_to;
	rc.references = id->references;
	rc.date = time(NULL);
	if (category_refusable(cat)) {
		if (store_token_make(st, c->id, cat, tok, sizeof(tok)) != STORE_OK) {
			snprintf(err, errlen, "store: make token: %s", store_errmsg(st));
			return (DELIVERY_FAIL);
		}
		rc.token = tok;
		if (compose_web_base(comp) != NULL) {
			if (web_links(st, comp, c->id, cat, unsub, pref, sizeof(unsub), err,
				      errlen) < 0)
				return (DELIVERY_FAIL);
			rc.unsub_url = unsub;
			rc.pref_url = pref;
		}
	}
	rv = compose_message(comp, &rc, &msg->data, &msg->len, err, errlen);
	if (rv == COMPOSE_BAD_RCPT) {
		snprintf(reason, reasonlen, "%s", err);
		return (DELIVERY_SKIP);
	}
	if (rv < 0)
		return (DELIVERY_FAIL);
	if (store_verp_make(st, id->campaign_id, c->id, verp, sizeof(verp)) != STORE_OK) {
		snprintf(err, errlen, "store: make bounce token: %s", store_errmsg(st));
		return (DELIVERY_FAIL);
	}
	if (compose_return_path(comp, verp, msg->from, sizeof(msg->from)) < 0) {
		snprintf(err, errlen, "return path too long");
		return (DELIVERY_FAIL);
	}
	snprintf(msg->rcpt, sizeof(msg->rcpt), "%s", c->email);
	return (DELIVERY_SEND);
}

/* render_customer - decide and build one customer's message; see render.h */
int
render_customer(struct store *st, const struct compose *comp, const struct audience *aud,
		int64_t customer_id, const struct render_id *id, struct delivery_msg *msg,
		char *reason, size_t reasonlen, char *err, size_t errlen)
{
	struct store_customer c;
	struct store_contract k;
	int	rv, ret = DELIVERY_FAIL;

	memset(&c, 0, sizeof(c));
	memset(&k, 0, sizeof(k));
	rv = store_customer_get(st, customer_id, &c);
	if (rv == STORE_NOTFOUND) {
		snprintf(reason, reasonlen, "customer deleted");
		return (DELIVERY_SKIP);
	}
	if (rv != STORE_OK) {
		snprintf(err, errlen, "store: read customer: %s", store_errmsg(st));
		return (DELIVERY_FAIL);
	}
	rv = audience_check(st, aud, &c, &k, reason, reasonlen);
	if (rv < 0) {
		snprintf(err, errlen, "store: check recipient: %s", store_errmsg(st));
		goto done;
	}
	if (rv == AUDIENCE_OUT) {
		snprintf(reason, reasonlen, "no active %s contract",
			 aud->service_type ? aud->service_type : "");
		rv = AUDIENCE_SKIP;
	}
	if (rv == AUDIENCE_SKIP)
		ret = DELIVERY_SKIP;
	else
		ret = build(st, comp, &c, &k, id, msg, reason, reasonlen, err, errlen);
done:
	store_contract_clear(&k);
	store_customer_clear(&c);
	return (ret);
}
