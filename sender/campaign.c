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
#include "lock.h"
#include "log.h"
#include "render.h"
#include "store.h"
#include "tmpl.h"
#include "transport.h"

#define CAMPAIGN_ERR_MAX	512
#define CAMPAIGN_NAME_MAX	64	/* lock and counter names */
#define CAMPAIGN_CERR_MAX	256	/* a composer's message: fits a reason */

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

	return (render_customer(st, s->comp, &s->aud, row->customer_id, row->message_id, msg,
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
	const struct audience *aud;
	int64_t cid;
	int	dry;
	struct transport *t;		/* dry run */
	long	queued, skipped, out;
};

/* dry_render - render one queued recipient into the dry run's directory; an EX_ code */
static int
dry_render(struct expand *e, int64_t id, const char *mid, char *err, size_t errlen)
{
	struct delivery_msg m;
	struct transport_result res;
	char	reason[DELIVERY_REASON_MAX], name[CAMPAIGN_NAME_MAX];
	int	rv;

	memset(&m, 0, sizeof(m));
	rv = render_customer(e->st, e->comp, e->aud, id, mid, &m, reason, sizeof(reason),
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
 * REASON) or not in the audience (2); -1 with ERR and *EX on an error.
 */
static int
expand_decide(struct expand *e, const struct store_customer *c, const char *mid,
	      char *reason, size_t rlen, char *err, size_t errlen, int *ex)
{
	struct store_contract k;
	struct compose_rcpt rc;
	char	cerr[CAMPAIGN_CERR_MAX];
	int	rv;

	rv = audience_check(e->st, e->aud, c, &k, reason, rlen);
	if (rv < 0) {
		snprintf(err, errlen, "customer %lld: %s", (long long) c->id, store_errmsg(e->st));
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

/* expand_one - decide and record (or, dry, render) one recipient; an EX_ code */
static int
expand_one(struct expand *e, int64_t id, char *err, size_t errlen)
{
	struct store_customer c;
	char	reason[DELIVERY_REASON_MAX], mid[COMPOSE_ID_MAX];
	int	rv, ex = EX_OK;

	memset(&c, 0, sizeof(c));
	if ((rv = store_customer_get(e->st, id, &c)) != STORE_OK) {
		snprintf(err, errlen, "customer %lld: %s", (long long) id, store_errmsg(e->st));
		return (rv == STORE_TEMP ? EX_TEMPFAIL : EX_SOFTWARE);
	}
	reason[0] = 0;
	if (compose_message_id(e->comp, mid, sizeof(mid)) < 0) {
		snprintf(err, errlen, "no randomness for a Message-ID");
		ex = EX_SOFTWARE;
	} else if ((rv = expand_decide(e, &c, mid, reason, sizeof(reason), err, errlen, &ex)) == 2)
		e->out++;
	else if (rv >= 0)
		ex = expand_record(e, id, mid, rv == 1, reason, err, errlen);
	store_customer_clear(&c);
	return (ex);
}

/* expand_all - expand every candidate in IDS; an EX_ code with ERR */
static int
expand_all(struct expand *e, const int64_t *ids, size_t nids, char *err, size_t errlen)
{
	size_t	i;
	int	ex;

	for (i = 0; i < nids; i++) {
		if (delivery_stop) {
			snprintf(err, errlen, "interrupted");
			return (EX_TEMPFAIL);
		}
		if ((ex = expand_one(e, ids[i], err, errlen)) != EX_OK)
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

/* create - the campaign and all its rows in one transaction; an EX_ code */
static int
create(struct expand *e, const struct campaign_opts *o, const int64_t *ids, size_t nids,
       char *err, size_t errlen)
{
	char   *params = NULL, *desc = NULL;
	int	ex = EX_TEMPFAIL;

	if ((params = params_json(o->set, o->nset, &o->aud, o->staff_from)) == NULL
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
	} else if ((ex = expand_all(e, ids, nids, err, errlen)) == EX_OK
		   && store_commit(e->st) != STORE_OK) {
		snprintf(err, errlen, "store: %s", store_errmsg(e->st));
		ex = EX_TEMPFAIL;
	}
	if (ex != EX_OK) {
		store_rollback(e->st);
		snprintf(err + strlen(err), errlen - strlen(err), " (nothing was recorded or sent)");
	}
done:
	free(params);
	free(desc);
	return (ex);
}

/* announce - say what was created */
static void
announce(const struct expand *e, const struct campaign_opts *o)
{
	printf("campaign %lld created: %s, template %s, %ld queued, %ld skipped\n",
	       (long long) e->cid, category_name(o->aud.cat), o->template_name, e->queued,
	       e->skipped);
	fflush(stdout);
	log_info("campaign %lld created: category %s template %s queued %ld skipped %ld",
		 (long long) e->cid, category_name(o->aud.cat), o->template_name, e->queued,
		 e->skipped);
}

/* lock_campaign - the lock of campaign CID; -1 with ERR */
static int
lock_campaign(const struct conf *conf, int64_t cid, char *err, size_t errlen)
{
	char	name[CAMPAIGN_NAME_MAX];

	snprintf(name, sizeof(name), "campaign-%lld", (long long) cid);
	return (lock_take(conf, name, err, errlen));
}

/* prepare_compose - template, --set values and composer of a campaign; an EX_ code */
static int
prepare_compose(const struct conf *conf, const struct campaign_opts *o, struct tmpl **t,
		struct tmpl_vars **set, struct compose **comp, char *err, size_t errlen)
{
	if ((*t = tmpl_load(conf_template_dir(conf), o->template_name, err, errlen)) == NULL)
		return (errno == ENOENT ? EX_NOINPUT : EX_DATAERR);
	if ((*set = params_vars(o->set, o->nset, err, errlen)) == NULL)
		return (EX_USAGE);
	if ((*comp = compose_new(conf, o->aud.cat, *t, *set, o->staff_from, err, errlen)) == NULL)
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
	if ((ex = prepare_compose(conf, o, &t, &set, &comp, err, sizeof(err))) != EX_OK)
		goto fail;
	ex = EX_TEMPFAIL;
	if ((e.st = store_open(conf, err, sizeof(err))) == NULL)
		goto fail;
	ex = EX_DATAERR;
	if (audience_select(e.st, &o->aud, &ids, &nids, err, sizeof(err)) < 0)
		goto fail;
	e.conf = conf;
	e.comp = comp;
	e.aud = &o->aud;
	e.dry = o->dry_run;
	if (o->dry_run)
		ex = dry_run(&e, o, ids, nids, err, sizeof(err));
	else if ((ex = create(&e, o, ids, nids, err, sizeof(err))) == EX_OK) {
		announce(&e, o);
		if ((lock = lock_campaign(conf, e.cid, err, sizeof(err))) < 0)
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

/* campaign_resume - links-sender resume ID; see campaign.h */
int
campaign_resume(const struct conf *conf, int64_t id, const struct campaign_opts *o)
{
	struct store *st = NULL;
	struct store_campaign c;
	struct params p;
	struct tmpl *t = NULL;
	struct tmpl_vars *set = NULL;
	struct compose *comp = NULL;
	struct campaign_opts ro;
	char	err[CAMPAIGN_ERR_MAX];
	int	ex = EX_TEMPFAIL, lock = -1;

	memset(&c, 0, sizeof(c));
	memset(&p, 0, sizeof(p));
	if ((st = store_open(conf, err, sizeof(err))) == NULL)
		goto fail;
	if ((ex = resume_load(st, id, &c, &p, err, sizeof(err))) != EX_OK)
		goto fail;
	ex = EX_TEMPFAIL;
	if ((lock = lock_campaign(conf, id, err, sizeof(err))) < 0)
		goto fail;
	resume_opts(&c, &p, o, &ro);
	if ((ex = prepare_compose(conf, &ro, &t, &set, &comp, err, sizeof(err))) != EX_OK) {
		ex = ex == EX_NOINPUT ? EX_NOINPUT : EX_DATAERR;
		goto fail;
	}
	printf("resuming campaign %lld (%s, template %s)\n", (long long) id,
	       category_name(c.category), c.template_name);
	fflush(stdout);
	ex = run_campaign(conf, &ro, id, &ro.aud, comp, st);
	goto done;
fail:
	fprintf(stderr, "links-sender: %s\n", err);
done:
	lock_release(lock);
	params_clear(&p);
	compose_free(comp);
	tmpl_vars_free(set);
	tmpl_free(t);
	store_campaign_clear(&c);
	store_close(st);
	return (ex);
}
