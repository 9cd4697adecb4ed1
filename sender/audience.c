/*
 * NAME
 *	audience 3
 * SUMMARY
 *	who gets a campaign, and who is skipped and why
 * SYNOPSIS
 *	#include "audience.h"
 * DESCRIPTION
 *	See audience.h. The skip rules, in order: an address or name that
 *	cannot be put in a header safely; an undeliverable address (every
 *	category: mail to it only bounces); for refusable categories
 *	(promotion, survey) a refusal of that category or an address on
 *	the suppression list; for frequency-capped categories (the
 *	category table: promotions) a message of that category from
 *	another campaign within promotion_min_interval; a missing contract
 *	of the service type.
 *	Transactional categories do not look at refusals: the customer
 *	needs to know about his own contracts.
 * DIAGNOSTICS
 *	See audience.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audience.h"
#include "hdr.h"
#include "strbuf.h"

struct idlist {
	int64_t *ids;
	size_t	n;
	size_t	cap;
	int	failed;			/* collect() could not add an id */
};

/* idlist_add - append ID; -1 when full or out of memory */
static int
idlist_add(struct idlist *l, int64_t id)
{
	if (l->n >= AUDIENCE_MAX)
		return (-1);
	if (l->n == l->cap) {
		size_t	cap = l->cap ? l->cap * 2 : 1024;
		int64_t *p = realloc(l->ids, cap * sizeof(*p));

		if (p == NULL)
			return (-1);
		l->ids = p;
		l->cap = cap;
	}
	l->ids[l->n++] = id;
	return (0);
}

struct pair {
	int64_t id;
	size_t	idx;
};

/* cmp_pair - qsort() order of (id, position) pairs */
static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->id != y->id)
		return (x->id < y->id ? -1 : 1);
	return (x->idx < y->idx ? -1 : x->idx > y->idx);
}

/* idlist_dedup - remove duplicates, keeping the first occurrence and the order */
static int
idlist_dedup(struct idlist *l)
{
	struct pair *p;
	unsigned char *keep;
	size_t	i, o = 0;

	if (l->n < 2)
		return (0);
	p = malloc(l->n * sizeof(*p));
	keep = calloc(l->n, 1);
	if (p == NULL || keep == NULL) {
		free(p);
		free(keep);
		return (-1);
	}
	for (i = 0; i < l->n; i++) {
		p[i].id = l->ids[i];
		p[i].idx = i;
	}
	qsort(p, l->n, sizeof(*p), cmp_pair);
	for (i = 0; i < l->n; i++)
		if (i == 0 || p[i].id != p[i - 1].id)
			keep[p[i].idx] = 1;
	for (i = 0; i < l->n; i++)
		if (keep[i])
			l->ids[o++] = l->ids[i];
	l->n = o;
	free(p);
	free(keep);
	return (0);
}

/* collect - store_customer_ids() callback: add the customer's id */
static int
collect(int64_t id, void *arg)
{
	struct idlist *l = arg;

	if (idlist_add(l, id) < 0)
		l->failed = 1;
	return (l->failed);
}

/* lookup - the customer id of address ADDR; -1 with ERR (never naming the address) */
static int
lookup(struct store *st, const char *addr, int64_t *id, char *err, size_t errlen,
       const char *where)
{
	struct store_customer c;
	char	norm[STORE_EMAIL_MAX + 1];
	int	r;

	if (addr_normalise(addr, norm, sizeof(norm)) != 0) {
		snprintf(err, errlen, "%sinvalid email address", where);
		return (-1);
	}
	memset(&c, 0, sizeof(c));
	r = store_customer_find(st, norm, &c);
	if (r == STORE_NOTFOUND) {
		snprintf(err, errlen, "%snot a customer (add it with links-store first)", where);
		return (-1);
	}
	if (r != STORE_OK) {
		snprintf(err, errlen, "%sstore: %s", where, store_errmsg(st));
		return (-1);
	}
	*id = c.id;
	store_customer_clear(&c);
	return (0);
}

/* read_file - the customers of a --customers file (addresses or ids, one a line) */
static int
read_file(struct store *st, const char *file, struct idlist *l, char *err, size_t errlen)
{
	FILE   *fp;
	char	line[AUDIENCE_LINE_MAX + 2], where[AUDIENCE_LINE_MAX];
	long	lineno = 0;
	int	ret = -1;

	if (strcmp(file, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(file, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return (-1);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char   *p = line, *e;
		int64_t id;

		lineno++;
		snprintf(where, sizeof(where), "%s:%ld: ", file, lineno);
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(err, errlen, "%sline longer than %d bytes", where, AUDIENCE_LINE_MAX);
			goto done;
		}
		if (lineno == 1 && (unsigned char) p[0] == 0xef && (unsigned char) p[1] == 0xbb
		    && (unsigned char) p[2] == 0xbf)
			p += 3;
		/* First CSV field, unquoted. */
		p[strcspn(p, ",;\r\n")] = 0;
		while (isspace((unsigned char) *p) || *p == '"')
			p++;
		e = p + strlen(p);
		while (e > p && (isspace((unsigned char) e[-1]) || e[-1] == '"'))
			*--e = 0;
		if (*p == 0 || *p == '#')
			continue;
		if (lineno == 1 && (strcasecmp(p, "email") == 0 || strcasecmp(p, "id") == 0))
			continue;
		if (strspn(p, "0123456789") == strlen(p)) {
			struct store_customer c;
			int	r;

			errno = 0;
			id = strtoll(p, NULL, 10);
			memset(&c, 0, sizeof(c));
			if (errno != 0 || (r = store_customer_get(st, id, &c)) == STORE_NOTFOUND) {
				snprintf(err, errlen, "%sno customer with id %s", where, p);
				goto done;
			}
			if (r != STORE_OK) {
				snprintf(err, errlen, "%sstore: %s", where, store_errmsg(st));
				goto done;
			}
			store_customer_clear(&c);
		} else if (lookup(st, p, &id, err, errlen, where) < 0)
			goto done;
		if (idlist_add(l, id) < 0) {
			snprintf(err, errlen, "%smore than %d recipients", where, AUDIENCE_MAX);
			goto done;
		}
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: read error", file);
		goto done;
	}
	ret = 0;
done:
	if (fp != stdin)
		fclose(fp);
	return (ret);
}

/* audience_select - the candidate customer ids of audience A; see audience.h */
int
audience_select(struct store *st, const struct audience *a, int64_t **ids, size_t *n,
		char *err, size_t errlen)
{
	struct idlist l = {NULL, 0, 0, 0};
	int64_t id;
	int	r;

	*ids = NULL;
	*n = 0;
	if (a->to != NULL) {
		if (lookup(st, a->to, &id, err, errlen, "--to: ") < 0 || idlist_add(&l, id) < 0)
			goto fail;
	}
	if (a->customers_file != NULL && read_file(st, a->customers_file, &l, err, errlen) < 0)
		goto fail;
	if (a->to == NULL && a->customers_file == NULL) {
		if ((r = store_customer_ids(st, collect, &l)) < 0) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			goto fail;
		}
		if (l.failed) {
			snprintf(err, errlen, "more than %d recipients, or out of memory",
				 AUDIENCE_MAX);
			goto fail;
		}
	}
	if (idlist_dedup(&l) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	*ids = l.ids;
	*n = l.n;
	return (0);
fail:
	free(l.ids);
	return (-1);
}

/* ---- the rules ---- */

struct pick {
	const struct audience *a;
	struct store_contract *k;
	int	found;
	int	active_only;
};

/* pick_contract - store_contract_each() callback: the first contract that fits */
static int
pick_contract(const struct store_contract *k, void *arg)
{
	struct pick *p = arg;

	if (p->found)
		return (1);
	if (p->a->service_ref != NULL && strcmp(k->ref, p->a->service_ref) != 0)
		return (0);
	if (p->a->service_type != NULL && strcmp(k->service_type, p->a->service_type) != 0)
		return (0);
	if (p->active_only && k->status != STORE_CONTRACT_ACTIVE)
		return (0);
	p->k->id = k->id;
	p->k->customer_id = k->customer_id;
	p->k->status = k->status;
	p->k->started = k->started;
	p->k->ended = k->ended;
	p->k->service_type = strdup(k->service_type ? k->service_type : "");
	p->k->ref = strdup(k->ref ? k->ref : "");
	p->found = (p->k->service_type != NULL && p->k->ref != NULL) ? 1 : -1;
	return (1);
}

/* choose_contract - the contract a message is about: active ones first */
static int
choose_contract(struct store *st, const struct audience *a, int64_t customer_id,
		struct store_contract *k)
{
	struct pick p = {a, k, 0, 1};
	int	r;

	if ((r = store_contract_each(st, customer_id, pick_contract, &p)) < 0)
		return (r);
	if (p.found == 0 && a->service_type == NULL) {
		p.active_only = 0;
		if ((r = store_contract_each(st, customer_id, pick_contract, &p)) < 0)
			return (r);
	}
	if (p.found < 0)
		return (STORE_ERR);
	return (p.found);
}

/* capped - whether C got a message of A's category too recently (promotion_min_interval) */
static int
capped(struct store *st, const struct audience *a, const struct store_customer *c,
       char *reason, size_t reasonlen)
{
	long long hours = a->conf ? conf_promotion_min_interval(a->conf) : 0;
	time_t	last, now = time(NULL);
	int	r;

	if (hours <= 0 || !category_get(a->cat)->frequency_capped)
		return (AUDIENCE_SEND);
	if ((r = store_msglog_last(st, c->id, a->cat, a->campaign_id, &last)) != STORE_OK)
		return (r < 0 ? r : STORE_ERR);
	if (last == 0 || now - last >= hours * AUDIENCE_HOUR)
		return (AUDIENCE_SEND);
	snprintf(reason, reasonlen, "got a %s %lld h ago (promotion_min_interval %lld h)",
		 category_name(a->cat), (long long) ((now - last) / AUDIENCE_HOUR), hours);
	return (AUDIENCE_SKIP);
}

/* audience_check - the rules of policy section 5 for one customer; see audience.h */
int
audience_check(struct store *st, const struct audience *a, const struct store_customer *c,
	       struct store_contract *k, char *reason, size_t reasonlen)
{
	int	r, listed = (a->to != NULL || a->customers_file != NULL);

	memset(k, 0, sizeof(*k));
	*reason = 0;
	if (!hdr_address_valid(c->email)) {
		snprintf(reason, reasonlen, "invalid address");
		return (AUDIENCE_SKIP);
	}
	if (c->name != NULL && *c->name != 0 && !hdr_value_safe(c->name)) {
		snprintf(reason, reasonlen, "name contains CR, LF, NUL or control characters");
		return (AUDIENCE_SKIP);
	}
	if (a->service_type != NULL || a->service_ref != NULL) {
		if ((r = choose_contract(st, a, c->id, k)) < 0)
			return (r);
		if (r == 0) {
			if (!listed)
				return (AUDIENCE_OUT);
			if (a->service_ref != NULL)
				snprintf(reason, reasonlen, "no active contract %s", a->service_ref);
			else
				snprintf(reason, reasonlen, "no active %s contract", a->service_type);
			return (AUDIENCE_SKIP);
		}
	}
	if ((r = store_customer_undeliverable(st, c->id)) < 0)
		return (r);
	if (r > 0) {
		snprintf(reason, reasonlen, "undeliverable address");
		return (AUDIENCE_SKIP);
	}
	if (category_refusable(a->cat)) {
		if ((r = store_is_optout(st, c->id, a->cat)) < 0)
			return (r);
		if (r > 0) {
			snprintf(reason, reasonlen, "refused %s", category_name(a->cat));
			return (AUDIENCE_SKIP);
		}
		if ((r = store_is_suppressed(st, c->email)) < 0)
			return (r);
		if (r > 0) {
			snprintf(reason, reasonlen, "suppressed");
			return (AUDIENCE_SKIP);
		}
	}
	if ((r = capped(st, a, c, reason, reasonlen)) != AUDIENCE_SEND)
		return (r);
	if (a->service_type == NULL && a->service_ref == NULL
	    && (r = choose_contract(st, a, c->id, k)) < 0)
		return (r);
	return (AUDIENCE_SEND);
}

/* audience_describe - a printable description of A, without personal data */
char   *
audience_describe(const struct audience *a)
{
	struct strbuf b;

	strbuf_init(&b);
	if (a->to != NULL)
		strbuf_adds(&b, "to=1 address");
	else if (a->customers_file != NULL)
		strbuf_printf(&b, "customers=%s", a->customers_file);
	else
		strbuf_adds(&b, "all customers");
	if (a->service_type != NULL)
		strbuf_printf(&b, "; service_type=%s", a->service_type);
	if (a->service_ref != NULL)
		strbuf_printf(&b, "; service_ref=%s", a->service_ref);
	return (strbuf_steal(&b));
}
