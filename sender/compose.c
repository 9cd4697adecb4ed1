/*
 * NAME
 *	compose 3
 * SUMMARY
 *	one category's messages: From, footer, List-* headers, rendering
 * SYNOPSIS
 *	#include "compose.h"
 * DESCRIPTION
 *	See compose.h. The footer carries the refusal sentence in every
 *	message, not only in refusable categories: the policy (section 4)
 *	says a reply "Từ chối" to ANY LINKS email stops informational
 *	mail. Transactional messages add a line saying that notices about
 *	the customer's own contracts keep coming.
 * DIAGNOSTICS
 *	COMPOSE_ERR / COMPOSE_BAD_RCPT with a message in ERR that never
 *	contains personal data.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "compose.h"
#include "crypt.h"
#include "footer_plan.h"
#include "hdr.h"
#include "inbound.h"
#include "mime.h"
#include "mime_plan.h"
#include "strbuf.h"
#include "svcname.h"
#include "weblink.h"

#define COMPOSE_DEFAULT_NAME	"Quý khách"
#define COMPOSE_TEST_LABEL	"[TEST]"	/* before the subject of a test message */
#define COMPOSE_TEST_TOKEN	"test"		/* a List-Unsubscribe token that verifies nothing */
#define COMPOSE_LABEL_MAX	64
#define COMPOSE_URL_MAX		512
#define UNSUB_SUBJECT		"?subject=unsubscribe"
#define HDR_LINE_MAX		78	/* RFC 5322 recommended line length */
#define COMPOSE_DAY_MAX		16	/* "YYYY-MM-DD" and its NUL, with room */
#define COMPOSE_FOOTER_RESERVE	1024	/* bytes reserved for the HTML footer */

struct compose {
	const struct conf *conf;
	enum category cat;
	const struct tmpl *tmpl;
	struct tmpl_vars *base;		/* company fields; parent: --set values */
	char   *from;			/* envelope and header From */
	char   *from_name;
	char   *id_domain;		/* Message-ID domain */
	char   *unsub_domain;		/* domain of noreply@ for the mailto */
	char   *unsub_local;		/* local part of noreply@ */
	char   *list_id;
	const char *web_base;		/* web_base_url; NULL when empty */
	char   *test_unsub;		/* web_base's links with the test token */
	char   *test_pref;
	struct svcname *svc;		/* service type display names */
	const char *refusal_vi;		/* footer: what "Từ chối" stops */
	const char *refusal_en;
	struct mime_plan *plan;		/* the bytes every message shares (mime_plan.h) */
	struct footer_plan *footer;	/* the footer's shared bytes (footer_plan.h) */
};

static const char *const reserved_keys[] = {
	"name", "email", "customer_id", "service_type", "service_name", "service_ref", "start", "end",
	"company_name", "contact_address", "contact_phone", "contact_email", "portal_url",
	"today", NULL
};

/* compose_reserved_key - whether KEY is a placeholder filled per recipient or from links.conf */
int
compose_reserved_key(const char *key)
{
	size_t	i;

	for (i = 0; reserved_keys[i]; i++)
		if (strcmp(key, reserved_keys[i]) == 0)
			return (1);
	return (0);
}

/* domain_of - the part of ADDR after its last '@' */
static const char *
domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return (at ? at + 1 : "");
}

/* compose_company_address - whether ADDR is an address of one of the company_domains */
int
compose_company_address(const struct conf *conf, const char *addr)
{
	size_t	i, n = conf_company_domains_count(conf);
	const char *d;

	if (!hdr_address_valid(addr))
		return (0);
	d = domain_of(addr);
	for (i = 0; i < n; i++)
		if (strcasecmp(d, conf_company_domains_item(conf, i)) == 0)
			return (1);
	return (0);
}

/* compose_free - free C */
void
compose_free(struct compose *c)
{
	if (c == NULL)
		return;
	tmpl_vars_free(c->base);
	svcname_free(c->svc);
	free(c->from);
	free(c->from_name);
	free(c->id_domain);
	free(c->unsub_domain);
	free(c->unsub_local);
	free(c->list_id);
	free(c->test_unsub);
	free(c->test_pref);
	mime_plan_free(c->plan);
	footer_plan_free(c->footer);
	free(c);
}

/* day_string - T as YYYY-MM-DD (UTC) */
static void
day_string(time_t t, char out[COMPOSE_DAY_MAX])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, COMPOSE_DAY_MAX, "%Y-%m-%d", &tm);
}

/* staff_from_ok - whether STAFF_FROM may send staff mail; -1 with ERR */
static int
staff_from_ok(const struct conf *conf, const char *staff_from, char *err, size_t errlen)
{
	if (!hdr_address_valid(staff_from)) {
		snprintf(err, errlen, "--from: not a valid address");
		return (-1);
	}
	if (strcasecmp(staff_from, conf_noreply_address(conf)) == 0) {
		snprintf(err, errlen, "--from %s: staff mail comes from the staff member's own "
			 "name@ address; mail from %s is category account, maintenance or "
			 "promotion (no --from)", staff_from, staff_from);
		return (-1);
	}
	if (strcasecmp(staff_from, conf_support_address(conf)) == 0) {
		snprintf(err, errlen, "--from %s: staff mail comes from the staff member's own "
			 "name@ address; mail from %s is category answer or survey (no --from)",
			 staff_from, staff_from);
		return (-1);
	}
	if (!compose_company_address(conf, staff_from)) {
		snprintf(err, errlen, "--from %s: not an address of the company (company_domains "
			 "= %s)", staff_from, conf_company_domains_count(conf) > 0
			 ? conf_company_domains_item(conf, 0) : "");
		return (-1);
	}
	return (0);
}

/* category_from - the address category CI's mail comes from (not staff) */
static const char *
category_from(const struct conf *conf, const struct category_info *ci)
{
	const char *from;

	switch (ci->from) {
	case CATEGORY_FROM_PROMOTION:
		from = conf_promotion_from(conf);
		return (from != NULL && *from != 0 ? from : conf_noreply_address(conf));
	case CATEGORY_FROM_SUPPORT:
		return (conf_support_address(conf));
	case CATEGORY_FROM_NOREPLY:
	case CATEGORY_FROM_STAFF:
		break;
	}
	return (conf_noreply_address(conf));
}

/* choose_from - the From address of category CI (STAFF_FROM for staff); NULL with ERR */
static const char *
choose_from(const struct conf *conf, const struct category_info *ci, const char *staff_from,
	    char *err, size_t errlen)
{
	int	staff = staff_from != NULL && *staff_from != 0;
	const char *from;

	if (ci->from == CATEGORY_FROM_STAFF) {
		if (!staff) {
			snprintf(err, errlen, "category %s needs --from NAME@DOMAIN", ci->name);
			return (NULL);
		}
		return (staff_from_ok(conf, staff_from, err, errlen) < 0 ? NULL : staff_from);
	}
	from = category_from(conf, ci);
	if (staff && strcasecmp(staff_from, from) == 0) {
		snprintf(err, errlen, "%s mail always comes from %s: leave out --from", ci->name, from);
		return (NULL);
	}
	if (staff) {
		snprintf(err, errlen, "--from is only for category staff; %s mail comes from %s",
			 ci->name, from);
		return (NULL);
	}
	if (!hdr_address_valid(from) || !hdr_address_valid(conf_noreply_address(conf))) {
		snprintf(err, errlen, "invalid sender address in the configuration");
		return (NULL);
	}
	return (from);
}

/* id_domain - the domain of our Message-IDs; NULL with ERR */
static const char *
id_domain(const struct conf *conf, char *err, size_t errlen)
{
	const char *d = conf_message_id_domain(conf);
	char	probe[COMPOSE_ID_MAX];

	if (d == NULL || *d == 0) {
		if (conf_company_domains_count(conf) == 0) {
			snprintf(err, errlen, "company_domains is empty");
			return (NULL);
		}
		d = conf_company_domains_item(conf, 0);
	}
	if (snprintf(probe, sizeof(probe), "x@%s", d) >= (int) sizeof(probe)
	    || !mime_id_valid(probe)) {
		snprintf(err, errlen, "invalid Message-ID domain \"%s\"", d);
		return (NULL);
	}
	return (d);
}

/* base_vars - the company's placeholders, over the --set values SET */
static struct tmpl_vars *
base_vars(const struct conf *conf, const struct tmpl_vars *set)
{
	struct tmpl_vars *v;
	char	today[COMPOSE_DAY_MAX];

	if ((v = tmpl_vars_new(set)) == NULL)
		return (NULL);
	day_string(time(NULL), today);
	if (tmpl_vars_set(v, "company_name", conf_company_name(conf)) < 0
	    || tmpl_vars_set(v, "contact_address", conf_contact_address(conf)) < 0
	    || tmpl_vars_set(v, "contact_phone", conf_contact_phone(conf)) < 0
	    || tmpl_vars_set(v, "contact_email", conf_contact_email(conf)) < 0
	    || tmpl_vars_set(v, "portal_url", conf_portal_url(conf)) < 0
	    || tmpl_vars_set(v, "today", today) < 0) {
		tmpl_vars_free(v);
		return (NULL);
	}
	return (v);
}

/* compose_addresses - the From (FROM_NAME), Message-ID and List-* addresses of C; -1 with ERR */
static int
compose_addresses(struct compose *c, const char *from, const char *from_name, char *err,
		  size_t errlen)
{
	const char *noreply = conf_noreply_address(c->conf), *d;

	if ((d = id_domain(c->conf, err, errlen)) == NULL)
		return (-1);
	if ((c->from = strdup(from)) == NULL || (c->from_name = strdup(from_name)) == NULL
	    || (c->id_domain = strdup(d)) == NULL
	    || (c->unsub_local = strndup(noreply, strcspn(noreply, "@"))) == NULL
	    || (c->unsub_domain = strdup(domain_of(noreply))) == NULL)
		goto nomem;
	if (!hdr_value_safe(c->from_name)) {
		snprintf(err, errlen, "the sender's name has control characters or is too long");
		return (-1);
	}
	if (conf_company_domains_count(c->conf) > 0
	    && asprintf(&c->list_id, "<%s.%s>", category_name(c->cat),
			conf_company_domains_item(c->conf, 0)) < 0) {
		c->list_id = NULL;
		goto nomem;
	}
	return (0);
nomem:
	snprintf(err, errlen, "out of memory");
	return (-1);
}

/*
 * compose_web - web_base_url, checked, and its links with the test token
 * (test messages and previews); -1 with ERR. The deprecated
 * unsubscribe_url is left to list_unsubscribe().
 */
static int
compose_web(struct compose *c, char *err, size_t errlen)
{
	const char *base = conf_web_base_url(c->conf);
	const char *slash;
	char	why[128];

	if (base == NULL || *base == 0)
		return (0);
	if (weblink_base_check(base, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s", why);
		return (-1);
	}
	c->web_base = base;
	slash = base[strlen(base) - 1] == '/' ? "" : "/";
	if (asprintf(&c->test_unsub, "%s%s%s%s", base, slash, WEBLINK_PATH_UNSUBSCRIBE,
		     COMPOSE_TEST_TOKEN) < 0)
		c->test_unsub = NULL;
	if (asprintf(&c->test_pref, "%s%s%s%s", base, slash, WEBLINK_PATH_PREFERENCES,
		     COMPOSE_TEST_TOKEN) < 0)
		c->test_pref = NULL;
	if (c->test_unsub == NULL || c->test_pref == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	return (0);
}

/* sender_name - the From display name: the staff member's, else the company's; NULL with ERR */
static const char *
sender_name(const struct conf *conf, const struct category_info *ci, const char *staff_name,
	    char *err, size_t errlen)
{
	if (ci->from != CATEGORY_FROM_STAFF) {
		if (staff_name != NULL && *staff_name != 0) {
			snprintf(err, errlen, "--from-name is only for category staff");
			return (NULL);
		}
		return (conf_company_name(conf));
	}
	if (staff_name == NULL || *staff_name == 0) {
		snprintf(err, errlen, "staff mail needs the staff member's name: --from \"Name "
			 "<name@domain>\" or --from-name NAME");
		return (NULL);
	}
	return (staff_name);
}

/* compose_new - a composer of category CAT's messages; see compose.h */
struct compose *
compose_new(const struct conf *conf, enum category cat, const struct tmpl *t,
	    const struct tmpl_vars *set, const struct compose_sender *snd, char *err,
	    size_t errlen)
{
	struct compose *c;
	const struct category_info *ci;
	const char *from, *name;

	if ((ci = category_get(cat)) == NULL) {
		snprintf(err, errlen, "unknown category");
		return (NULL);
	}
	if (!tmpl_allows(t, category_name(cat))) {
		snprintf(err, errlen, "%s: template is not for category %s", tmpl_origin(t),
			 category_name(cat));
		return (NULL);
	}
	if ((from = choose_from(conf, ci, snd ? snd->addr : NULL, err, errlen)) == NULL
	    || (name = sender_name(conf, ci, snd ? snd->name : NULL, err, errlen)) == NULL)
		return (NULL);
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	c->conf = conf;
	c->cat = cat;
	c->tmpl = t;
	c->refusal_vi = tmpl_footer_last(t) ? FOOTER_LAST_VI : ci->refusal_vi;
	c->refusal_en = tmpl_footer_last(t) ? FOOTER_LAST_EN : ci->refusal_en;
	if ((c->plan = mime_plan_new()) == NULL
	    || (c->footer = footer_plan_new(conf, c->refusal_vi, c->refusal_en)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (compose_addresses(c, from, name, err, errlen) < 0
	    || compose_web(c, err, errlen) < 0
	    || (c->svc = svcname_load(conf, err, errlen)) == NULL)
		goto fail;
	if ((c->base = base_vars(conf, set)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return (c);
fail:
	compose_free(c);
	return (NULL);
}

/* compose_from - the envelope and header From address of C's messages */
const char *
compose_from(const struct compose *c)
{
	return (c->from);
}

/* compose_return_path - the envelope sender of one message with bounce token TOKEN into OUT */
int
compose_return_path(const struct compose *c, const char *token, char *out, size_t outlen)
{
	int	n;

	if (token == NULL || category_get(c->cat)->from == CATEGORY_FROM_STAFF)
		n = snprintf(out, outlen, "%s", c->from);
	else
		n = snprintf(out, outlen, "%s+%s%s@%s", c->unsub_local, STORE_VERP_PREFIX, token,
			     c->unsub_domain);
	return (n < 0 || (size_t) n >= outlen ? -1 : 0);
}

/* compose_web_base - web_base_url, or NULL when the sender makes no https links */
const char *
compose_web_base(const struct compose *c)
{
	return (c->web_base);
}

/* compose_category - the category of C's messages */
enum category
compose_category(const struct compose *c)
{
	return (c->cat);
}

/*
 * Message-IDs: 128 random bits each, as 32 hex digits. Unpredictable,
 * not only unique: the milter takes a reply that refers to one of our
 * Message-IDs as proof that its sender received that message, so a
 * customer must not be able to guess another's (a per-process prefix
 * and a counter would be unique, and guessable). The bits come from
 * crypt_random(), whose per-thread pool spares each one OpenSSL's
 * locking and fork checks (a forked child starts with an empty pool).
 */
#define ID_RAND_LEN	16			/* random bytes of a Message-ID */

/* id_make - a new random Message-ID on DOMAIN into OUT; -1 when none */
static int
id_make(const char *domain, char *out, size_t outlen)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char r[ID_RAND_LEN];
	size_t	i, dlen = strlen(domain);

	if (2 * ID_RAND_LEN + 1 + dlen >= outlen || crypt_random(r, sizeof(r)) < 0)
		return (-1);
	for (i = 0; i < ID_RAND_LEN; i++) {
		out[2 * i] = digits[r[i] >> 4];
		out[2 * i + 1] = digits[r[i] & 15];
	}
	out[2 * ID_RAND_LEN] = '@';
	memcpy(out + 2 * ID_RAND_LEN + 1, domain, dlen + 1);
	return (0);
}

/* compose_message_id - a new random Message-ID (without angle brackets) into OUT */
int
compose_message_id(const struct compose *c, char *out, size_t outlen)
{
	return (id_make(c->id_domain, out, outlen));
}

/* compose_message_id_conf - the same without a struct compose; -1 with ERR */
int
compose_message_id_conf(const struct conf *conf, char *out, size_t outlen, char *err,
			size_t errlen)
{
	const char *d;

	if ((d = id_domain(conf, err, errlen)) == NULL)
		return (-1);
	if (id_make(d, out, outlen) < 0) {
		snprintf(err, errlen, "no randomness for a Message-ID");
		return (-1);
	}
	return (0);
}


/* rcpt_vars - the per-recipient placeholders of R; parent is C->base */
static struct tmpl_vars *
rcpt_vars(const struct compose *c, const struct compose_rcpt *r)
{
	struct tmpl_vars *v = tmpl_vars_new(c->base);
	char	num[32], day[COMPOSE_DAY_MAX];
	const struct store_contract *k = r->contract;

	if (v == NULL)
		return (NULL);
	snprintf(num, sizeof(num), "%lld", (long long) r->customer_id);
	if (tmpl_vars_set(v, "name", (r->name && *r->name) ? r->name : COMPOSE_DEFAULT_NAME) < 0
	    || tmpl_vars_set(v, "email", r->email) < 0
	    || tmpl_vars_set(v, "customer_id", num) < 0)
		goto fail;
	if (k != NULL) {
		if ((k->service_type && (tmpl_vars_set(v, "service_type", k->service_type) < 0
					 || tmpl_vars_set(v, "service_name",
							  svcname_get(c->svc, k->service_type)) < 0))
		    || (k->ref && tmpl_vars_set(v, "service_ref", k->ref) < 0))
			goto fail;
		if (k->started > 0) {
			day_string(k->started, day);
			if (tmpl_vars_set(v, "start", day) < 0)
				goto fail;
		}
		if (k->ended > 0) {
			day_string(k->ended, day);
			if (tmpl_vars_set(v, "end", day) < 0)
				goto fail;
		}
	}
	return (v);
fail:
	tmpl_vars_free(v);
	return (NULL);
}

/* render_parts - every rendered part for R; *HTML stays NULL when the template has none */
static int
render_parts(const struct compose *c, const struct compose_rcpt *r, char **subject,
	     char **text, char **html, char **reason, char *err, size_t errlen)
{
	struct tmpl_vars *v = NULL;
	int	ret = COMPOSE_ERR;

	*subject = *text = *html = *reason = NULL;
	if (!hdr_address_valid(r->email)) {
		snprintf(err, errlen, "invalid address");
		return (COMPOSE_BAD_RCPT);
	}
	if (r->name != NULL && *r->name != 0 && !hdr_value_safe(r->name)) {
		snprintf(err, errlen, "name contains CR, LF, NUL or control characters");
		return (COMPOSE_BAD_RCPT);
	}
	if ((v = rcpt_vars(c, r)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (tmpl_render(c->tmpl, TMPL_SUBJECT, v, subject, err, errlen) < 0
	    || tmpl_render(c->tmpl, TMPL_TEXT, v, text, err, errlen) < 0
	    || (tmpl_has(c->tmpl, TMPL_HTML)
		&& tmpl_render(c->tmpl, TMPL_HTML, v, html, err, errlen) < 0))
		goto fail;
	if (tmpl_has(c->tmpl, TMPL_REASON)) {
		if (tmpl_render(c->tmpl, TMPL_REASON, v, reason, err, errlen) < 0)
			goto fail;
	} else if ((*reason = strdup(category_get(c->cat)->reason_vi)) == NULL)
		goto fail;
	if (!hdr_value_safe(*subject)) {
		/* The name was checked above: the template or a --set value is at fault. */
		snprintf(err, errlen, "%s: the subject would contain a line break or control "
			 "character, or be longer than %d bytes", tmpl_origin(c->tmpl), HDR_VALUE_MAX);
		goto fail;
	}
	tmpl_vars_free(v);
	return (0);
fail:
	tmpl_vars_free(v);
	free(*subject);
	free(*text);
	free(*html);
	free(*reason);
	*subject = *text = *html = *reason = NULL;
	return (ret);
}

/* compose_check - render every part for R without building the message */
int
compose_check(const struct compose *c, const struct compose_rcpt *r, char *err, size_t errlen)
{
	char   *s, *t, *h, *why;
	int	ret;

	if ((ret = render_parts(c, r, &s, &t, &h, &why, err, errlen)) < 0)
		return (ret);
	free(s);
	free(t);
	free(h);
	free(why);
	return (0);
}

/*
 * pref_link - the preference page R's footer links to: R->pref_url, else
 * the link with the test token (a preview, a test message); NULL when
 * web_base_url is empty or the category is not refusable.
 */
static const char *
pref_link(const struct compose *c, const struct compose_rcpt *r)
{
	if (c->web_base == NULL || !category_refusable(c->cat))
		return (NULL);
	return (r->pref_url != NULL && *r->pref_url != 0 ? r->pref_url : c->test_pref);
}

/* html_with_footer - HTML with the footer inserted before </body>; *OUT is the caller's */
static int
html_with_footer(const struct compose *c, const char *html, const char *reason,
		 const char *pref, char **out)
{
	struct strbuf b;
	const char *end;

	strbuf_init(&b);
	if (strbuf_reserve(&b, strlen(html) + COMPOSE_FOOTER_RESERVE) < 0)
		return (-1);
	end = strcasestr(html, "</body>");
	if (strbuf_add(&b, html, end ? (size_t) (end - html) : strlen(html)) < 0
	    || footer_plan_html(c->footer, &b, reason, pref) < 0
	    || (end && strbuf_adds(&b, end) < 0)) {
		strbuf_free(&b);
		return (-1);
	}
	*out = strbuf_steal(&b);
	return (*out ? 0 : -1);
}

/*
 * list_unsubscribe - the List-Unsubscribe value into OUT: the https
 * one-click link URL first when there is one (RFC 8058: the client
 * POSTs to it), then the mailto noreply+TOKEN@domain (with
 * "?subject=unsubscribe" when the mailto on a line of its own stays
 * within 78 columns: a URL cannot be folded, the header folds between
 * the two). -1 when it
 * does not fit.
 */
static int
list_unsubscribe(const struct compose *c, const char *url, const char *token, char *out,
		 size_t outlen)
{
	int	n = 0, m;
	const char *subj = UNSUB_SUBJECT;

	if (url != NULL && (n = snprintf(out, outlen, "<%s>, ", url)) < 0)
		return (-1);
	if ((size_t) n >= outlen)
		return (-1);
	if (strlen(" <mailto:+@>") + strlen(c->unsub_local) + strlen(token)
	    + strlen(c->unsub_domain) + strlen(UNSUB_SUBJECT) > HDR_LINE_MAX)
		subj = "";
	m = snprintf(out + n, outlen - (size_t) n, "<mailto:%s+%s@%s%s>", c->unsub_local, token,
		     c->unsub_domain, subj);
	return (m < 0 || (size_t) m >= outlen - (size_t) n ? -1 : 0);
}

/*
 * one_click_url - the https link of R's List-Unsubscribe into BUF (or
 * pointed to): web_base_url's R->unsub_url (the test link for a test),
 * else the deprecated unsubscribe_url followed by TOKEN; NULL when
 * there is none. -1 with ERR when a real message lacks its link.
 */
static int
one_click_url(const struct compose *c, const struct compose_rcpt *r, const char *token,
	      const char **url, char *buf, size_t buflen, char *err, size_t errlen)
{
	const char *legacy = conf_unsubscribe_url(c->conf);

	*url = NULL;
	if (c->web_base != NULL) {
		*url = r->test ? c->test_unsub : r->unsub_url;
		if (*url == NULL || **url == 0 || (!r->test && (r->pref_url == NULL
							       || *r->pref_url == 0))) {
			snprintf(err, errlen, "no links-web link for a refusable message");
			return (-1);
		}
		return (0);
	}
	if (legacy == NULL || *legacy == 0)
		return (0);
	if (snprintf(buf, buflen, "%s%s", legacy, token) >= (int) buflen) {
		snprintf(err, errlen, "unsubscribe_url too long");
		return (-1);
	}
	*url = buf;
	return (0);
}

/* add_extra - one more header of M */
static void
add_extra(struct mime_msg *m, const char *name, const char *value)
{
	m->extra[m->nextra].name = name;
	m->extra[m->nextra++].value = value;
}

/*
 * list_headers - what the category table asks for: Auto-Submitted; for a
 * refusable category List-Unsubscribe (into UNSUB), List-Unsubscribe-Post
 * when it has an https link, and List-Id. A test message gets a token
 * that verifies nothing. -1 with ERR.
 */
static int
list_headers(const struct compose *c, const struct compose_rcpt *r, struct mime_msg *m,
	     char *unsub, size_t unsublen, char *err, size_t errlen)
{
	const struct category_info *ci = category_get(c->cat);
	const char *token = r->test ? COMPOSE_TEST_TOKEN : r->token, *url;
	char	legacy[COMPOSE_URL_MAX];

	if (ci->auto_submitted)
		add_extra(m, "Auto-Submitted", "auto-generated");
	if (!ci->refusable)
		return (0);
	if (token == NULL || *token == 0) {
		snprintf(err, errlen, "no unsubscribe token");
		return (-1);
	}
	if (one_click_url(c, r, token, &url, legacy, sizeof(legacy), err, errlen) < 0)
		return (-1);
	if (list_unsubscribe(c, url, token, unsub, unsublen) < 0) {
		snprintf(err, errlen, "List-Unsubscribe too long");
		return (-1);
	}
	add_extra(m, "List-Unsubscribe", unsub);
	if (url != NULL)
		add_extra(m, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
	if (c->list_id != NULL && ci->list_headers)
		add_extra(m, "List-Id", c->list_id);
	return (0);
}

/* thread_headers - In-Reply-To and References of an answer to R->in_reply_to (into REF) */
static int
thread_headers(const struct compose_rcpt *r, struct mime_msg *m, char *ref, size_t reflen,
	       char *err, size_t errlen)
{
	if (r->in_reply_to == NULL || *r->in_reply_to == 0)
		return (0);
	if (!mime_ref_valid(r->in_reply_to)
	    || snprintf(ref, reflen, "<%s>", r->in_reply_to) >= (int) reflen) {
		snprintf(err, errlen, "the Message-ID answered is not valid");
		return (-1);
	}
	if (r->references != NULL && *r->references && !mime_refs_valid(r->references)) {
		snprintf(err, errlen, "the References of the message answered are not valid");
		return (-1);
	}
	add_extra(m, "In-Reply-To", ref);
	add_extra(m, "References", r->references != NULL && *r->references ? r->references : ref);
	return (0);
}

/* compose_parts_free - free what P holds */
void
compose_parts_free(struct compose_parts *p)
{
	free(p->subject);
	free(p->text);
	free(p->html);
	memset(p, 0, sizeof(*p));
}

/* compose_render - the subject and the bodies with their footer, for R; see compose.h */
int
compose_render(const struct compose *c, const struct compose_rcpt *r, struct compose_parts *p,
	       char *err, size_t errlen)
{
	char   *text = NULL, *html = NULL, *reason = NULL;
	struct strbuf tb;
	int	ret;

	memset(p, 0, sizeof(*p));
	strbuf_init(&tb);
	if ((ret = render_parts(c, r, &p->subject, &text, &html, &reason, err, errlen)) < 0)
		return (ret);
	ret = COMPOSE_ERR;
	if (strbuf_adds(&tb, text) < 0
	    || footer_plan_text(c->footer, &tb, reason, pref_link(c, r)) < 0
	    || (html != NULL && html_with_footer(c, html, reason, pref_link(c, r), &p->html) < 0)
	    || (p->text = strbuf_steal(&tb)) == NULL) {
		snprintf(err, errlen, "out of memory");
		compose_parts_free(p);
	} else
		ret = 0;
	strbuf_free(&tb);
	free(text);
	free(html);
	free(reason);
	return (ret);
}

/* compose_message - the whole message for R; see compose.h */
int
compose_message(const struct compose *c, const struct compose_rcpt *r, char **out, size_t *len,
		char *err, size_t errlen)
{
	struct compose_parts p;
	char	unsub[COMPOSE_URL_MAX + WEBLINK_URL_MAX], ref[MIME_ID_MAX + 3], label[COMPOSE_LABEL_MAX];
	struct mime_msg m;
	int	ret;

	*out = NULL;
	if ((ret = compose_render(c, r, &p, err, errlen)) < 0)
		return (ret);
	memset(&m, 0, sizeof(m));
	m.from_addr = c->from;
	m.from_name = c->from_name;
	m.to_addr = r->deliver_to ? r->deliver_to : r->email;
	m.to_name = r->name;
	snprintf(label, sizeof(label), "%s%s%s", r->test ? COMPOSE_TEST_LABEL : "",
		 r->test && *tmpl_label(c->tmpl) ? " " : "", tmpl_label(c->tmpl));
	m.subject_label = label;
	m.subject = p.subject;
	m.message_id = r->message_id;
	m.date = r->date ? r->date : time(NULL);
	m.text = p.text;
	m.html = p.html;
	ret = COMPOSE_ERR;
	if (list_headers(c, r, &m, unsub, sizeof(unsub), err, errlen) == 0
	    && thread_headers(r, &m, ref, sizeof(ref), err, errlen) == 0)
		ret = mime_plan_build(c->plan, &m, out, len, err, errlen) < 0 ? COMPOSE_BAD_RCPT : 0;
	compose_parts_free(&p);
	return (ret);
}
