/*
 * NAME
 *	campaign 3
 * SUMMARY
 *	durable campaigns: expand, send, resume
 * SYNOPSIS
 *	#include "campaign.h"
 * DESCRIPTION
 *	See campaign.h. A campaign is two things here: the expansion
 *	(audience.c decides who, compose.c checks every message, all rows
 *	in one transaction) and a row source of the delivery engine
 *	(delivery.h): its rows are the campaign's delivery rows, a row is
 *	rendered by render.c, and the engine's records go to
 *	store_delivery_set(). The crash and duplicate guarantees are the
 *	engine's.
 * DIAGNOSTICS
 *	Errors on standard error, one line each, without personal data
 *	(customers are named by id). Messages for syslog go through log.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "campaign.h"
#include "compose.h"
#include "expand_pool.h"
#include "lock.h"
#include "log.h"
#include "render.h"
#include "sample.h"
#include "store.h"
#include "strbuf.h"
#include "tmpl.h"
#include "transport.h"

#define CAMPAIGN_ERR_MAX	512
#define CAMPAIGN_NAME_MAX	64	/* counter names, commands */
#define CAMPAIGN_CERR_MAX	256	/* a composer's message: fits a reason */
#define CAMPAIGN_WHEN_MAX	64	/* a time as text */

/* The row source: what a worker needs to render a campaign's row. */
struct csrc {
	int64_t cid;
	struct audience aud;
	const struct compose *comp;
};

/* dup_counter - the store counter of campaign CID's possible duplicates */
static void
dup_counter(int64_t cid, char *out, size_t len)
{
	snprintf(out, len, "sender.campaign.%lld.possible_duplicates", (long long) cid);
}

/* csrc_fetch - the campaign's queued rows after AFTER */
static int
csrc_fetch(void *arg, struct store *st, int64_t after, struct delivery_row *rows, int max)
{
	struct csrc *s = arg;
	struct store_delivery d[DELIVERY_FETCH_MAX];
	int	n, i;

	if (max > DELIVERY_FETCH_MAX)
		max = DELIVERY_FETCH_MAX;
	if ((n = store_delivery_queued(st, s->cid, after, d, max)) < 0)
		return (n);
	for (i = 0; i < n; i++) {
		memset(&rows[i], 0, sizeof(rows[i]));
		rows[i].id = d[i].id;
		rows[i].customer_id = d[i].customer_id;
		rows[i].message_id = d[i].message_id;
		rows[i].reason = d[i].reason;
		d[i].message_id = d[i].reason = NULL;
		store_delivery_clear(&d[i]);
	}
	return (n);
}

/* csrc_prepare - render one row */
static int
csrc_prepare(void *arg, struct store *st, const struct delivery_row *row,
	     struct delivery_msg *msg, char *reason, size_t reasonlen, char *err, size_t errlen)
{
	struct csrc *s = arg;
	struct render_id id = {row->message_id, s->cid, NULL, NULL};

	return (render_customer(st, s->comp, &s->aud, row->customer_id, &id, msg,
				reason, reasonlen, err, errlen));
}

/* csrc_record - the engine's record of one row */
static int
csrc_record(void *arg, struct store *st, int64_t id, enum store_delivery_status status,
	    const char *reason)
{
	(void) arg;
	return (store_delivery_set(st, id, status, reason));
}

struct counter_find {
	const char *name;
	long	value;
};

/* counter_find - store_counter_each() callback: the value of one counter */
static int
counter_find(const char *name, long value, void *arg)
{
	struct counter_find *f = arg;

	if (strcmp(name, f->name) != 0)
		return (0);
	f->value = value;
	return (1);
}

/* print_dups - the summary's line of possible duplicates */
static void
print_dups(FILE *fp, struct store *st, int64_t cid, long this_run)
{
	char	name[CAMPAIGN_NAME_MAX];
	struct counter_find f;

	dup_counter(cid, name, sizeof(name));
	f.name = name;
	f.value = 0;
	if (store_counter_each(st, counter_find, &f) != STORE_OK)
		fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
	fprintf(fp, "  possible duplicates: %ld (this run %ld): resent after an interruption "
		"between handing the message over and recording it; same Message-ID\n",
		f.value, this_run);
}

/* print_summary - what this run and the whole campaign did */
static void
print_summary(FILE *fp, struct store *st, int64_t cid, const struct delivery_stats *r,
	      int finished)
{
	long	c[4] = {0, 0, 0, 0};

	if (store_delivery_counts(st, cid, c) != STORE_OK)
		fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
	fprintf(fp, "campaign %lld: %s\n", (long long) cid,
		finished ? "finished" : "NOT finished: run `links-sender resume` to send the rest");
	fprintf(fp, "  this run: sent %ld, failed %ld, skipped %ld, retries %ld\n",
		r->sent, r->failed, r->skipped, r->deferred);
	fprintf(fp, "  campaign: recipients %ld, sent %ld, failed %ld, skipped %ld, queued %ld\n",
		c[0] + c[1] + c[2] + c[3], c[STORE_DLV_SENT], c[STORE_DLV_FAILED],
		c[STORE_DLV_SKIPPED], c[STORE_DLV_QUEUED]);
	print_dups(fp, st, cid, r->dups);
	fflush(fp);
}

/* run_source - the delivery engine's view of campaign CID */
static void
run_source(struct delivery_source *src, struct csrc *s, char *counter, char *again,
	   enum category cat)
{
	memset(src, 0, sizeof(*src));
	dup_counter(s->cid, counter, CAMPAIGN_NAME_MAX);
	snprintf(again, CAMPAIGN_NAME_MAX, "links-sender resume %lld", (long long) s->cid);
	src->what = "campaign";
	src->cat = cat;
	src->campaign_id = s->cid;
	src->dup_counter = counter;
	src->file_prefix = "";
	src->again = again;
	src->arg = s;
	src->fetch = csrc_fetch;
	src->prepare = csrc_prepare;
	src->record = csrc_record;
}

/* run_campaign - send campaign CID's queued rows; an EX_ code */
static int
run_campaign(const struct conf *conf, const struct campaign_opts *o, int64_t cid,
	     const struct audience *aud, const struct compose *comp, struct store *st)
{
	struct csrc s;
	struct delivery_source src;
	struct delivery_opts dopts;
	struct delivery_stats stats;
	char	counter[CAMPAIGN_NAME_MAX], again[CAMPAIGN_NAME_MAX], err[CAMPAIGN_ERR_MAX];
	long	counts[4];
	int	finished = 0;

	s.cid = cid;
	s.aud = *aud;
	s.aud.conf = conf;
	s.aud.campaign_id = cid;
	s.comp = comp;
	run_source(&src, &s, counter, again, aud->cat);
	if (store_delivery_counts(st, cid, counts) != STORE_OK) {
		fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
		return (EX_TEMPFAIL);
	}
	if (delivery_opts_init(&dopts, conf, &o->run) < 0) {
		fprintf(stderr, "links-sender: unknown transport in the configuration\n");
		return (EX_CONFIG);
	}
	dopts.total = counts[STORE_DLV_QUEUED];
	if (delivery_run(conf, &src, &dopts, &stats, err, sizeof(err)) < 0) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (EX_TEMPFAIL);
	}
	if (stats.fatal) {
		fprintf(stderr, "links-sender: campaign %lld: %s\n", (long long) cid, stats.fatal_msg);
		log_error("campaign %lld stopped: %s", (long long) cid, stats.fatal_msg);
	}
	if (store_delivery_counts(st, cid, counts) == STORE_OK && counts[STORE_DLV_QUEUED] == 0) {
		finished = 1;
		if (store_campaign_finish(st, cid) != STORE_OK)
			fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
	}
	print_summary(stdout, st, cid, &stats, finished);
	log_info("campaign %lld: sent %ld failed %ld skipped %ld possible-duplicates %ld%s",
		 (long long) cid, stats.sent, stats.failed, stats.skipped, stats.dups,
		 finished ? " finished" : "");
	return (finished ? EX_OK : EX_TEMPFAIL);
}

/* ---- expansion ---- */

struct expand {
	const struct conf *conf;
	struct store *st;
	const struct compose *comp;
	struct audience aud;		/* with the campaign's id once made */
	int64_t cid;
	int	dry;
	struct transport *t;		/* dry run */
	long	queued, skipped, out;
	char   *err;			/* expand_all()'s error buffer */
	size_t	errlen;
};

/* dry_render - render one queued recipient into the dry run's directory; an EX_ code */
static int
dry_render(struct expand *e, int64_t id, const char *mid, char *err, size_t errlen)
{
	struct delivery_msg m;
	struct transport_result res;
	struct render_id rid = {mid, 0, NULL, NULL};	/* a dry run has no campaign */
	char	reason[DELIVERY_REASON_MAX], name[CAMPAIGN_NAME_MAX];
	int	rv;

	memset(&m, 0, sizeof(m));
	rv = render_customer(e->st, e->comp, &e->aud, id, &rid, &m, reason, sizeof(reason),
			     err, errlen);
	if (rv != DELIVERY_SEND) {
		if (rv == DELIVERY_SKIP)
			snprintf(err, errlen, "customer %lld: %s", (long long) id, reason);
		return (EX_DATAERR);
	}
	snprintf(name, sizeof(name), "dry-run-%lld", (long long) id);
	transport_send(e->t, m.from, m.rcpt, name, m.data, m.len, &res);
	free(m.data);
	if (res.status != TRANSPORT_OK) {
		snprintf(err, errlen, "dry run: %s", res.text);
		return (EX_CANTCREAT);
	}
	return (EX_OK);
}

/*
 * expand_decide - whether customer C is queued (0), skipped (1, with
 * REASON) or not in the audience (2), read with store ST; -1 with ERR
 * and *EX on an error. Only reads E: safe on several threads.
 */
static int
expand_decide(const struct expand *e, struct store *st, const struct store_customer *c,
	      const char *mid, char *reason, size_t rlen, char *err, size_t errlen, int *ex)
{
	struct store_contract k;
	struct compose_rcpt rc;
	char	cerr[CAMPAIGN_CERR_MAX];
	int	rv;

	rv = audience_check(st, &e->aud, c, &k, reason, rlen);
	if (rv < 0) {
		snprintf(err, errlen, "customer %lld: %s", (long long) c->id, store_errmsg(st));
		*ex = rv == STORE_TEMP ? EX_TEMPFAIL : EX_SOFTWARE;
		goto fail;
	}
	if (rv != AUDIENCE_SEND) {
		store_contract_clear(&k);
		return (rv == AUDIENCE_OUT ? 2 : 1);
	}
	memset(&rc, 0, sizeof(rc));
	rc.customer_id = c->id;
	rc.email = c->email;
	rc.name = c->name;
	rc.contract = k.id ? &k : NULL;
	rc.message_id = mid;
	rc.date = time(NULL);
	rv = compose_check(e->comp, &rc, cerr, sizeof(cerr));
	store_contract_clear(&k);
	if (rv == COMPOSE_BAD_RCPT) {
		snprintf(reason, rlen, "%s", cerr);
		return (1);
	}
	if (rv < 0) {
		snprintf(err, errlen, "customer %lld: %s", (long long) c->id, cerr);
		*ex = EX_DATAERR;
		return (-1);
	}
	return (0);
fail:
	store_contract_clear(&k);
	return (-1);
}

/* expand_record - the row of one decided recipient (or, dry, its message); an EX_ code */
static int
expand_record(struct expand *e, int64_t id, const char *mid, int skip, const char *reason,
	      char *err, size_t errlen)
{
	int	ex;

	if (e->dry && !skip && (ex = dry_render(e, id, mid, err, errlen)) != EX_OK)
		return (ex);
	if (e->dry && skip)
		fprintf(stderr, "customer %lld: skipped: %s\n", (long long) id, reason);
	if (!e->dry && store_delivery_add(e->st, e->cid, id, mid,
					  skip ? STORE_DLV_SKIPPED : STORE_DLV_QUEUED,
					  skip ? reason : "") != STORE_OK) {
		snprintf(err, errlen, "store: %s", store_errmsg(e->st));
		return (EX_TEMPFAIL);
	}
	if (skip)
		e->skipped++;
	else
		e->queued++;
	return (EX_OK);
}

/*
 * expand_verdict - expand_pool's decide: read customer ID with store ST
 * and decide it into V (its Message-ID made here). Only reads E.
 */
static void
expand_verdict(void *arg, struct store *st, int64_t id, struct expand_verdict *v)
{
	const struct expand *e = arg;
	struct store_customer c;
	int	rv;

	memset(&c, 0, sizeof(c));
	v->id = id;
	v->rv = EXPAND_POOL_ERROR;
	if ((rv = store_customer_get(st, id, &c)) != STORE_OK) {
		snprintf(v->err, sizeof(v->err), "customer %lld: %s", (long long) id,
			 store_errmsg(st));
		v->ex = rv == STORE_TEMP ? EX_TEMPFAIL : EX_SOFTWARE;
		return;
	}
	if (compose_message_id(e->comp, v->mid, sizeof(v->mid)) < 0) {
		snprintf(v->err, sizeof(v->err), "no randomness for a Message-ID");
		v->ex = EX_SOFTWARE;
	} else if ((rv = expand_decide(e, st, &c, v->mid, v->reason, sizeof(v->reason), v->err,
				       sizeof(v->err), &v->ex)) >= 0)
		v->rv = rv == 2 ? EXPAND_POOL_OUT : rv == 1 ? EXPAND_POOL_SKIP : EXPAND_POOL_QUEUE;
	store_customer_clear(&c);
}

/* expand_take - expand_pool's take: record (or, dry, render) one decided recipient */
static int
expand_take(void *arg, const struct expand_verdict *v)
{
	struct expand *e = arg;

	if (v->rv == EXPAND_POOL_OUT) {
		e->out++;
		return (EX_OK);
	}
	return (expand_record(e, v->id, v->mid, v->rv == EXPAND_POOL_SKIP, v->reason, e->err,
			      e->errlen));
}

/*
 * expand_all - expand every candidate in IDS, in order; an EX_ code with
 * ERR. A long list is decided on several threads while this one records
 * (expand_pool.h); a dry run and a short list one by one here.
 */
static int
expand_all(struct expand *e, const int64_t *ids, size_t nids, char *err, size_t errlen)
{
	struct expand_pool_fns fns = {e, expand_verdict, expand_take};
	struct expand_verdict v;
	size_t	i;
	int	ex;

	e->err = err;
	e->errlen = errlen;
	if (!e->dry && expand_pool_threads(nids) > 0)
		return (expand_pool_run(e->conf, ids, nids, &fns, err, errlen));
	for (i = 0; i < nids; i++) {
		if (delivery_stop) {
			snprintf(err, errlen, "interrupted");
			return (EX_TEMPFAIL);
		}
		memset(&v, 0, sizeof(v));
		expand_verdict(e, e->st, ids[i], &v);
		if (v.rv == EXPAND_POOL_ERROR) {
			snprintf(err, errlen, "%s", v.err);
			return (v.ex);
		}
		if ((ex = expand_take(e, &v)) != EX_OK)
			return (ex);
	}
	return (EX_OK);
}

/* dry_run - render every message into the dir transport; an EX_ code */
static int
dry_run(struct expand *e, const struct campaign_opts *o, const int64_t *ids, size_t nids,
	char *err, size_t errlen)
{
	int	ex;

	if ((e->t = transport_open(e->conf, TRANSPORT_DIR, o->run.outdir, err, errlen)) == NULL)
		return (EX_CANTCREAT);
	if ((ex = expand_all(e, ids, nids, err, errlen)) != EX_OK)
		return (ex);
	fprintf(o->run.outdir && strcmp(o->run.outdir, "-") == 0 ? stderr : stdout,
		"dry run (%s): %ld messages rendered, %ld skipped; nothing was sent or recorded\n",
		category_name(o->aud.cat), e->queued, e->skipped);
	return (EX_OK);
}

/* broadcast - whether O goes to every customer without naming them */
static int
broadcast(const struct campaign_opts *o)
{
	return (o->aud.to == NULL && o->aud.customers_file == NULL
		&& category_get(o->aud.cat)->audience != CATEGORY_AUD_SERVICE);
}

/* broadcast_guard - every customer only with --all; EX_USAGE with ERR (counts) */
static int
broadcast_guard(const struct expand *e, const struct campaign_opts *o, size_t nids, char *err,
		size_t errlen)
{
	if (!broadcast(o) || o->all)
		return (EX_OK);
	snprintf(err, errlen, "no --to or --customers: this %s mail would go to every customer "
		 "(%ld of the %zu customers in the store; %ld skipped by the rules%s); give --all "
		 "to send it to them all, or name the recipients with --to or --customers",
		 category_name(o->aud.cat), e->queued, nids, e->skipped,
		 e->out ? ", the others are not in the audience" : "");
	return (EX_USAGE);
}

/* first_subject - the subject as the first recipient of IDS gets it; NULL when none */
static char *
first_subject(struct expand *e, const int64_t *ids, size_t nids)
{
	struct store_customer c;
	struct store_contract k;
	struct compose_rcpt rc;
	struct compose_parts p;
	char	err[CAMPAIGN_ERR_MAX], *subject = NULL;

	if (sample_find(e->st, e->comp, &e->aud, ids, nids, &c, &k, err, sizeof(err)) != 1)
		return (NULL);
	memset(&rc, 0, sizeof(rc));
	rc.customer_id = c.id;
	rc.email = c.email;
	rc.name = c.name;
	rc.contract = k.id ? &k : NULL;
	rc.message_id = "subject@example.invalid";
	if (compose_render(e->comp, &rc, &p, err, sizeof(err)) == 0) {
		subject = p.subject;
		p.subject = NULL;
		compose_parts_free(&p);
	}
	store_customer_clear(&c);
	store_contract_clear(&k);
	return (subject);
}

/* create - the campaign and all its rows in one transaction; an EX_ code */
static int
create(struct expand *e, const struct campaign_opts *o, const int64_t *ids, size_t nids,
       char *err, size_t errlen)
{
	struct params_extra x;
	char   *params = NULL, *desc = NULL;
	int	ex = EX_TEMPFAIL;

	memset(&x, 0, sizeof(x));
	x.staff_from = o->staff_from;
	x.staff_name = o->staff_name;
	x.not_before = o->not_before;
	x.subject = first_subject(e, ids, nids);
	if ((params = params_json(o->set, o->nset, &o->aud, &x)) == NULL
	    || (desc = audience_describe(&o->aud)) == NULL) {
		snprintf(err, errlen, "out of memory");
		ex = EX_SOFTWARE;
		goto done;
	}
	if (store_begin(e->st) != STORE_OK) {
		snprintf(err, errlen, "store: %s", store_errmsg(e->st));
		goto done;
	}
	if (store_campaign_create(e->st, o->aud.cat, o->template_name, desc, params, &e->cid)
	    != STORE_OK) {
		snprintf(err, errlen, "store: %s", store_errmsg(e->st));
	} else if ((e->aud.campaign_id = e->cid) == 0) {
		snprintf(err, errlen, "store: no campaign id");
	} else if ((ex = expand_all(e, ids, nids, err, errlen)) == EX_OK
		   && (ex = broadcast_guard(e, o, nids, err, errlen)) == EX_OK
		   && store_commit(e->st) != STORE_OK) {
		snprintf(err, errlen, "store: %s", store_errmsg(e->st));
		ex = EX_TEMPFAIL;
	}
	if (ex != EX_OK) {
		store_rollback(e->st);
		snprintf(err + strlen(err), errlen - strlen(err), " (nothing was recorded or sent)");
	}
done:
	free((char *) x.subject);
	free(params);
	free(desc);
	return (ex);
}

/* when_text - T as local time text into OUT */
static void
when_text(time_t t, char *out, size_t outlen)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, outlen, "%Y-%m-%d %H:%M %z", &tm);
}

/* announce - say what was created */
static void
announce(const struct expand *e, const struct campaign_opts *o)
{
	char	when[CAMPAIGN_WHEN_MAX];

	printf("campaign %lld created: %s, template %s, %ld queued, %ld skipped\n",
	       (long long) e->cid, category_name(o->aud.cat), o->template_name, e->queued,
	       e->skipped);
	if (o->not_before > time(NULL)) {
		when_text(o->not_before, when, sizeof(when));
		printf("campaign %lld is scheduled for %s: `links-sender due` (its timer) sends "
		       "it then\n", (long long) e->cid, when);
	}
	fflush(stdout);
	log_info("campaign %lld created: category %s template %s queued %ld skipped %ld%s",
		 (long long) e->cid, category_name(o->aud.cat), o->template_name, e->queued,
		 e->skipped, o->not_before > time(NULL) ? " scheduled" : "");
}

/* add_key - tmpl_each_key() callback: append a key --set may give, once */
static int
add_key(const char *key, void *arg)
{
	struct strbuf *b = arg;
	char	word[TMPL_KEY_MAX + 3];

	snprintf(word, sizeof(word), " %s,", key);
	if (compose_reserved_key(key) || (b->len > 0 && strstr(b->data, word) != NULL))
		return (0);
	return (strbuf_adds(b, word) < 0);
}

/* check_keys - every --set key is a placeholder of T; EX_USAGE with ERR */
static int
check_keys(const struct tmpl *t, const struct campaign_opts *o, char *err, size_t errlen)
{
	struct strbuf keys;
	char	key[TMPL_KEY_MAX + 1];
	size_t	i, kl;

	for (i = 0; i < o->nset; i++) {
		kl = strcspn(o->set[i], "=");
		if (kl == 0 || kl > TMPL_KEY_MAX)
			continue;	/* params_vars() says what is wrong */
		memcpy(key, o->set[i], kl);
		key[kl] = 0;
		if (tmpl_uses(t, key))
			continue;
		strbuf_init(&keys);
		tmpl_each_key(t, add_key, &keys);
		if (keys.len > 0)
			keys.data[--keys.len] = 0;	/* the last comma */
		snprintf(err, errlen, "--set %s: the template %s has no {{%s}} (its keys:%s)", key,
			 o->template_name, key, keys.len > 0 ? keys.data : " none");
		strbuf_free(&keys);
		return (EX_USAGE);
	}
	return (EX_OK);
}

/* campaign_compose - template, --set values and composer of a campaign; see campaign.h */
int
campaign_compose(const struct conf *conf, const struct campaign_opts *o, struct tmpl **t,
		 struct tmpl_vars **set, struct compose **comp, char *err, size_t errlen)
{
	struct compose_sender snd;
	int	ex;

	*set = NULL;
	*comp = NULL;
	if ((*t = tmpl_load(conf_template_dir(conf), o->template_name, err, errlen)) == NULL)
		return (errno == ENOENT ? EX_NOINPUT : EX_DATAERR);
	if ((ex = check_keys(*t, o, err, errlen)) != EX_OK)
		return (ex);
	if ((*set = params_vars(o->set, o->nset, err, errlen)) == NULL)
		return (EX_USAGE);
	snd.addr = o->staff_from;
	snd.name = o->staff_name;
	if ((*comp = compose_new(conf, o->aud.cat, *t, *set, &snd, err, errlen)) == NULL)
		return (EX_USAGE);
	return (EX_OK);
}

/* campaign_send - links-sender send; see campaign.h */
int
campaign_send(const struct conf *conf, const struct campaign_opts *o)
{
	struct tmpl *t = NULL;
	struct tmpl_vars *set = NULL;
	struct compose *comp = NULL;
	struct expand e;
	int64_t *ids = NULL;
	size_t	nids = 0;
	char	err[CAMPAIGN_ERR_MAX];
	int	ex, lock = -1;

	memset(&e, 0, sizeof(e));
	if ((ex = campaign_compose(conf, o, &t, &set, &comp, err, sizeof(err))) != EX_OK)
		goto fail;
	ex = EX_TEMPFAIL;
	if ((e.st = store_open(conf, err, sizeof(err))) == NULL)
		goto fail;
	ex = EX_DATAERR;
	if (audience_select(e.st, &o->aud, &ids, &nids, err, sizeof(err)) < 0)
		goto fail;
	e.conf = conf;
	e.comp = comp;
	e.aud = o->aud;
	e.aud.conf = conf;
	e.dry = o->dry_run;
	if (o->dry_run)
		ex = dry_run(&e, o, ids, nids, err, sizeof(err));
	else if ((ex = create(&e, o, ids, nids, err, sizeof(err))) == EX_OK) {
		announce(&e, o);
		if (o->not_before > time(NULL))
			goto done;	/* campaign_due() sends it */
		if ((lock = lock_take(conf, e.cid, err, sizeof(err))) < 0)
			ex = EX_TEMPFAIL;
		else {
			ex = run_campaign(conf, o, e.cid, &o->aud, comp, e.st);
			goto done;	/* it reported */
		}
	}
fail:
	if (ex != EX_OK)
		fprintf(stderr, "links-sender: %s\n", err);
done:
	lock_release(lock);
	transport_close(e.t);
	free(ids);
	compose_free(comp);
	tmpl_vars_free(set);
	tmpl_free(t);
	store_close(e.st);
	return (ex);
}

/* ---- resume ---- */

/* resume_opts - the options campaign C was created with, from P, into RO */
static void
resume_opts(const struct store_campaign *c, const struct params *p,
	    const struct campaign_opts *o, struct campaign_opts *ro)
{
	size_t	i;

	*ro = *o;
	memset(&ro->aud, 0, sizeof(ro->aud));
	ro->aud.cat = c->category;
	ro->aud.service_type = p->service_type;
	ro->aud.service_ref = p->service_ref;
	ro->staff_from = p->staff_from;
	ro->staff_name = p->staff_name;
	ro->not_before = p->not_before;
	ro->template_name = c->template_name;
	ro->nset = p->nset;
	for (i = 0; i < p->nset; i++)
		ro->set[i] = p->set[i];
}

/* resume_load - campaign ID and its parameters; an EX_ code with ERR */
static int
resume_load(struct store *st, int64_t id, struct store_campaign *c, struct params *p,
	    char *err, size_t errlen)
{
	int	r;

	if ((r = store_campaign_get(st, id, c)) == STORE_NOTFOUND) {
		snprintf(err, errlen, "no campaign %lld", (long long) id);
		return (EX_NOINPUT);
	} else if (r != STORE_OK) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		return (EX_TEMPFAIL);
	}
	if (params_load(c->params, p, err, errlen) < 0) {
		snprintf(err, errlen, "campaign %lld: unreadable parameters", (long long) id);
		return (EX_DATAERR);
	}
	return (EX_OK);
}

/* not_yet - whether scheduled campaign ID may not be sent yet (said on standard error) */
static int
not_yet(int64_t id, const struct params *p, const struct campaign_opts *o)
{
	char	when[CAMPAIGN_WHEN_MAX];

	if (p->not_before <= time(NULL) || o->now)
		return (0);
	when_text(p->not_before, when, sizeof(when));
	fprintf(stderr, "links-sender: campaign %lld is scheduled for %s: `links-sender due` "
		"sends it then (resume --now sends it now)\n", (long long) id, when);
	return (1);
}

/* resume_run - send campaign C (parameters P) now; it holds the lock; an EX_ code */
static int
resume_run(const struct conf *conf, struct store *st, const struct store_campaign *c,
	   const struct params *p, const struct campaign_opts *o)
{
	struct tmpl *t = NULL;
	struct tmpl_vars *set = NULL;
	struct compose *comp = NULL;
	struct campaign_opts ro;
	char	err[CAMPAIGN_ERR_MAX];
	int	ex;

	resume_opts(c, p, o, &ro);
	if ((ex = campaign_compose(conf, &ro, &t, &set, &comp, err, sizeof(err))) != EX_OK) {
		fprintf(stderr, "links-sender: %s\n", err);
		ex = ex == EX_NOINPUT ? EX_NOINPUT : EX_DATAERR;
	} else {
		printf("resuming campaign %lld (%s, template %s)\n", (long long) c->id,
		       category_name(c->category), c->template_name);
		fflush(stdout);
		ex = run_campaign(conf, &ro, c->id, &ro.aud, comp, st);
	}
	compose_free(comp);
	tmpl_vars_free(set);
	tmpl_free(t);
	return (ex);
}

/* campaign_resume - links-sender resume ID; see campaign.h */
int
campaign_resume(const struct conf *conf, int64_t id, const struct campaign_opts *o)
{
	struct store *st = NULL;
	struct store_campaign c;
	struct params p;
	char	err[CAMPAIGN_ERR_MAX];
	int	ex = EX_TEMPFAIL, lock = -1;

	memset(&c, 0, sizeof(c));
	memset(&p, 0, sizeof(p));
	if ((st = store_open(conf, err, sizeof(err))) == NULL)
		goto fail;
	if ((ex = resume_load(st, id, &c, &p, err, sizeof(err))) != EX_OK)
		goto fail;
	ex = EX_TEMPFAIL;
	if (not_yet(id, &p, o))
		goto done;
	if ((lock = lock_take(conf, id, err, sizeof(err))) < 0)
		goto fail;
	ex = resume_run(conf, st, &c, &p, o);
	goto done;
fail:
	fprintf(stderr, "links-sender: %s\n", err);
done:
	lock_release(lock);
	params_clear(&p);
	store_campaign_clear(&c);
	store_close(st);
	return (ex);
}

/* ---- scheduled campaigns ---- */

struct open_list {
	int64_t ids[DELIVERY_FETCH_MAX];
	size_t	n;
	int	more;			/* more than fit: the next run sends them */
};

/* collect_due - store_campaign_each() callback: unfinished campaigns scheduled before now */
static int
collect_due(const struct store_campaign *c, void *arg)
{
	struct open_list *l = arg;
	struct params p;
	char	err[CAMPAIGN_ERR_MAX];
	time_t	nb;

	if (c->finished || params_load(c->params, &p, err, sizeof(err)) < 0)
		return (0);
	nb = p.not_before;
	params_clear(&p);
	if (nb == 0 || nb > time(NULL))
		return (0);
	if (l->n == DELIVERY_FETCH_MAX) {
		l->more = 1;
		return (1);
	}
	l->ids[l->n++] = c->id;
	return (0);
}

/* due_one - send campaign ID if it is scheduled and due; an EX_ code, -1 when not due */
static int
due_one(const struct conf *conf, struct store *st, int64_t id, const struct campaign_opts *o)
{
	struct store_campaign c;
	struct params p;
	char	err[CAMPAIGN_ERR_MAX];
	int	ex, lock;

	memset(&c, 0, sizeof(c));
	memset(&p, 0, sizeof(p));
	if ((ex = resume_load(st, id, &c, &p, err, sizeof(err))) != EX_OK)
		fprintf(stderr, "links-sender: %s\n", err);
	else if (p.not_before == 0 || p.not_before > time(NULL))
		ex = -1;
	else if ((lock = lock_take(conf, id, err, sizeof(err))) < 0) {
		printf("campaign %lld: %s; left to it\n", (long long) id, err);
		ex = EX_OK;
	} else {
		ex = resume_run(conf, st, &c, &p, o);
		lock_release(lock);
	}
	params_clear(&p);
	store_campaign_clear(&c);
	return (ex);
}

/* campaign_due - links-sender due; see campaign.h */
int
campaign_due(const struct conf *conf, const struct campaign_opts *o)
{
	struct store *st;
	struct open_list l;
	char	err[CAMPAIGN_ERR_MAX];
	size_t	i;
	int	ex = EX_OK, r, sent = 0;

	memset(&l, 0, sizeof(l));
	if ((st = store_open(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (EX_TEMPFAIL);
	}
	if (store_campaign_each(st, collect_due, &l) < 0) {
		fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
		ex = EX_TEMPFAIL;
	}
	for (i = 0; i < l.n && !delivery_stop; i++)
		if ((r = due_one(conf, st, l.ids[i], o)) >= 0) {
			sent++;
			if (r != EX_OK)
				ex = r;
		}
	printf("due: %d scheduled campaign%s sent%s\n", sent, sent == 1 ? "" : "s",
	       l.more ? "; more are due: the next run sends them" : "");
	store_close(st);
	return (ex);
}
