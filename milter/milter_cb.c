/*
 * NAME
 *	milter_cb 3
 * SUMMARY
 *	links-milter libmilter callbacks
 * SYNOPSIS
 *	#include "milter_cb.h"
 * DESCRIPTION
 *	See milter_cb.h. Each callback finds its connection state with
 *	smfi_getpriv(); nothing here is shared between threads except the
 *	statistics (atomics) and the running configuration (milter_state).
 * DIAGNOSTICS
 *	One log line per message acted on; warnings for store failures.
 */
#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "milter_act.h"
#include "milter_cb.h"
#include "milter_ctx.h"
#include "milter_state.h"
#include "reply.h"
#include "store.h"

#define MCB_ERR_MAX 256

struct mcb_conn {
	struct mctx_msg *msg;		/* the message in progress, or NULL */
};

static atomic_long mcb_open;		/* connections open */
static atomic_long mcb_busy;		/* messages in progress */

long	mcb_connections(void)
{
	return atomic_load(&mcb_open);
}

long	mcb_in_progress(void)
{
	return atomic_load(&mcb_busy);
}

static struct mcb_conn *mcb_conn(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

static void mcb_msg_done(struct mcb_conn *c)
{
	if (c && c->msg) {
		mctx_free(c->msg);
		c->msg = NULL;
		atomic_fetch_sub(&mcb_busy, 1);
	}
}

static sfsistat mcb_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	struct mcb_conn *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		log_error("connect: out of memory");
		return SMFIS_TEMPFAIL;
	}
	if (smfi_setpriv(ctx, c) != MI_SUCCESS) {
		free(c);
		return SMFIS_TEMPFAIL;
	}
	atomic_fetch_add(&mcb_open, 1);
	return SMFIS_CONTINUE;
}

static sfsistat mcb_envfrom(SMFICTX *ctx, char **argv)
{
	struct mcb_conn *c = mcb_conn(ctx);
	struct mcfg *cfg;
	const char *qid;

	if (c == NULL)
		return SMFIS_TEMPFAIL;
	mcb_msg_done(c);
	if ((cfg = mstate_get()) == NULL)
		return SMFIS_TEMPFAIL;
	c->msg = mctx_new(cfg);
	mcfg_release(cfg);		/* the message holds its own reference */
	if (c->msg == NULL) {
		log_error("envfrom: out of memory");
		return SMFIS_TEMPFAIL;
	}
	atomic_fetch_add(&mcb_busy, 1);
	(void) mctx_set_envfrom(c->msg, argv && argv[0] ? argv[0] : "");
	if ((qid = smfi_getsymval(ctx, (char *) "i")) != NULL)
		mctx_set_qid(c->msg, qid);
	return SMFIS_CONTINUE;
}

static sfsistat mcb_envrcpt(SMFICTX *ctx, char **argv)
{
	struct mcb_conn *c = mcb_conn(ctx);

	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	if (argv == NULL || argv[0] == NULL)
		return SMFIS_CONTINUE;
	if (mctx_add_rcpt(c->msg, argv[0]) != 0) {
		smfi_setreply(ctx, (char *) "452", (char *) "4.5.3", (char *) "Too many recipients");
		return SMFIS_TEMPFAIL;
	}
	return SMFIS_CONTINUE;
}

/* Not for us: let it pass untouched, with no store access. */
static sfsistat mcb_pass(struct mcb_conn *c)
{
	mstats_add(MSTAT_PASSED, 1);
	mcb_msg_done(c);
	return SMFIS_ACCEPT;
}

static sfsistat mcb_data(SMFICTX *ctx)
{
	struct mcb_conn *c = mcb_conn(ctx);

	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	if (!mctx_ours(c->msg))
		return mcb_pass(c);
	return SMFIS_CONTINUE;
}

static sfsistat mcb_header(SMFICTX *ctx, char *name, char *value)
{
	struct mcb_conn *c = mcb_conn(ctx);
	int	rc;

	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	if (!mctx_ours(c->msg))
		return mcb_pass(c);	/* for an MTA that skipped DATA */
	rc = mctx_header(c->msg, name ? name : "", value ? value : "");
	if (rc == -2) {
		smfi_setreply(ctx, (char *) "554", (char *) "5.7.1",
			      (char *) "Too many X-Links header names");
		return SMFIS_REJECT;
	}
	if (rc != 0) {
		log_error("%s: header: out of memory", mctx_qid(c->msg));
		return SMFIS_TEMPFAIL;
	}
	return SMFIS_CONTINUE;
}

static sfsistat mcb_eoh(SMFICTX *ctx)
{
	struct mcb_conn *c = mcb_conn(ctx);

	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	if (!mctx_ours(c->msg))
		return mcb_pass(c);
	if (mctx_eoh(c->msg) != 0)
		return SMFIS_TEMPFAIL;
	return SMFIS_CONTINUE;
}

static sfsistat mcb_body(SMFICTX *ctx, unsigned char *data, size_t len)
{
	struct mcb_conn *c = mcb_conn(ctx);

	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	if (mctx_body(c->msg, data, len) != 0) {
		log_error("%s: body: out of memory", mctx_qid(c->msg));
		return SMFIS_TEMPFAIL;
	}
	return SMFIS_CONTINUE;
}

static long mcb_elapsed_us(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long) (t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000L;
}

/* The message's counters (the ones the store keeps and the others). */
static void mcb_deltas(const struct mact_plan *p, long d[MSTAT_COUNT])
{
	memset(d, 0, sizeof(long) * MSTAT_COUNT);
	d[MSTAT_MESSAGES] = 1;
	if (p->optout && strcmp(p->optout, "applied") == 0)
		d[MSTAT_OPTOUTS] = 1;
	if (p->optout && strcmp(p->optout, "unverified") == 0)
		d[MSTAT_UNVERIFIED] = 1;
	if (p->question)
		d[MSTAT_QUESTIONS] = 1;
	if (strcmp(p->action, "route") == 0)
		d[MSTAT_ROUTED] = 1;
	if (strcmp(p->action, "discard") == 0)
		d[MSTAT_DISCARDED] = 1;
	if (strcmp(p->action, "archive") == 0)
		d[MSTAT_ARCHIVED] = 1;
	if (strcmp(p->verdict, "bounce") == 0)
		d[MSTAT_BOUNCES] = 1;
	d[MSTAT_BOUNCE_RCPTS] = p->bounces;
	if (strcmp(p->verdict, "auto_reply") == 0)
		d[MSTAT_AUTO_REPLIES] = 1;
}

/*
 * Count a decided message. STORED: its counters went into its own
 * transaction already (only the in-process totals change); otherwise
 * they wait for the next flush.
 */
static void mcb_count(const struct mact_plan *p, int stored)
{
	long	d[MSTAT_COUNT];

	mcb_deltas(p, d);
	for (int i = 0; i < MSTAT_COUNT; i++)
		if (d[i] != 0) {
			if (stored)
				mstats_add_total((enum mstat) i, d[i]);
			else
				mstats_add((enum mstat) i, d[i]);
		}
}

/*
 * Messages that write (refusals, bounces) are recorded with group
 * commit. Each such message must be on disk (synchronous=FULL, one
 * fsync) before Postfix hears "accepted"; one transaction per message
 * made 16 threads queue behind each other's fsync. Instead a thread
 * queues its request; the first thread to find no leader becomes the
 * leader, takes every queued request of its configuration, and decides
 * them all in one transaction on its own connection, each in a
 * savepoint of its own (a failed one is rolled back alone), with the
 * counters pending from other messages; one commit, one fsync; then it
 * wakes the others, whose answers are now durable, and hands the
 * leadership to the next waiting thread. Nothing is acknowledged
 * before the commit that holds it.
 */
#define MCB_GROUP_MAX	64		/* messages in one group commit */

struct mcb_wreq {
	struct mctx_msg *m;
	struct reply_result *r;
	struct mcfg *cfg;
	struct mact_plan *p;
	int	rc;
	int	stored;			/* its counters went into the commit */
	int	done;
	struct mcb_wreq *next;
};

static pthread_mutex_t mcb_group_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mcb_group_cv = PTHREAD_COND_INITIALIZER;
static struct mcb_wreq *mcb_group_queue;	/* oldest first */
static int mcb_group_leader;

/* Every request of BATCH fails with RC and the message WHAT. */
static void mcb_group_fail(struct mcb_wreq *batch, int rc, const char *what)
{
	for (struct mcb_wreq *q = batch; q; q = q->next) {
		if (q->rc != STORE_OK && q->p->errmsg[0] != 0)
			continue;	/* keeps its own failure */
		q->rc = rc;
		q->stored = 0;
		snprintf(q->p->errmsg, sizeof(q->p->errmsg), "%s", what);
	}
}

/* The leader's work: decide BATCH (all of configuration CFG) in one transaction. */
static void mcb_group_run(struct mcfg *cfg, struct mcb_wreq *batch)
{
	long	pending[MSTAT_COUNT], mine[MSTAT_COUNT], d[MSTAT_COUNT];
	char	err[MCB_ERR_MAX], what[MACT_ERRMSG_MAX];
	struct store *st;
	int	rc;

	for (struct mcb_wreq *q = batch; q; q = q->next) {
		q->rc = STORE_TEMP;
		q->p->errmsg[0] = 0;
	}
	if ((st = mstore_get(cfg, err, sizeof(err))) == NULL) {
		snprintf(what, sizeof(what), "store_open: %.200s", err);
		mcb_group_fail(batch, STORE_TEMP, what);
		return;
	}
	if (mstore_write_lock(conf_store_busy_timeout(mcfg_conf(cfg))) != 0) {
		mcb_group_fail(batch, STORE_TEMP,
			       "waited store_busy_timeout for another message's transaction");
		return;
	}
	if ((rc = store_begin(st)) != STORE_OK) {
		snprintf(what, sizeof(what), "store_begin: %.200s", store_errmsg(st));
		mstore_write_unlock();
		mcb_group_fail(batch, rc, what);
		mstore_discard();
		return;
	}
	mstats_take(pending);
	memcpy(d, pending, sizeof(d));
	for (struct mcb_wreq *q = batch; q; q = q->next) {
		if ((rc = store_begin(st)) != STORE_OK) {	/* a savepoint */
			q->rc = rc;
			snprintf(q->p->errmsg, sizeof(q->p->errmsg), "savepoint: %.200s",
				 store_errmsg(st));
			continue;
		}
		rc = mact_decide(q->m, q->r, st, q->p);
		if (rc == STORE_OK && (rc = store_commit(st)) != STORE_OK)
			snprintf(q->p->errmsg, sizeof(q->p->errmsg), "release: %.200s",
				 store_errmsg(st));
		if (rc != STORE_OK) {
			(void) store_rollback(st);
			q->rc = rc;
			continue;
		}
		q->rc = STORE_OK;
		mcb_deltas(q->p, mine);
		for (int i = 0; i < MSTAT_COUNT; i++)
			d[i] += mine[i];
	}
	rc = mstats_store(st, d);
	if (rc != STORE_OK)
		snprintf(what, sizeof(what), "store_counter_add: %.200s", store_errmsg(st));
	else if ((rc = store_commit(st)) != STORE_OK)
		snprintf(what, sizeof(what), "store_commit: %.200s", store_errmsg(st));
	if (rc != STORE_OK) {
		(void) store_rollback(st);
		mstore_write_unlock();
		mstats_give_back(pending);
		for (struct mcb_wreq *q = batch; q; q = q->next)
			if (q->rc == STORE_OK) {
				q->rc = rc;
				snprintf(q->p->errmsg, sizeof(q->p->errmsg), "%s", what);
			}
		mstore_discard();
		return;
	}
	mstore_write_unlock();
	for (struct mcb_wreq *q = batch; q; q = q->next)
		q->stored = q->rc == STORE_OK;
}

/*
 * Decide message M (which may write) and make what it recorded durable,
 * through the group commit above. Returns a STORE_ code for this message;
 * *STORED tells whether its counters went into the store.
 */
static int mcb_decide_write(struct mctx_msg *m, struct reply_result *r, struct mcfg *cfg,
			    struct mact_plan *p, int *stored)
{
	struct mcb_wreq req, **tail;

	memset(&req, 0, sizeof(req));
	req.m = m;
	req.r = r;
	req.cfg = cfg;
	req.p = p;
	pthread_mutex_lock(&mcb_group_mu);
	for (tail = &mcb_group_queue; *tail; tail = &(*tail)->next)
		;
	*tail = &req;
	while (!req.done) {
		struct mcb_wreq *batch = NULL, **bt = &batch, **qp;
		int	n = 0;

		if (mcb_group_leader) {
			pthread_cond_wait(&mcb_group_cv, &mcb_group_mu);
			continue;
		}
		/* Lead: take the queued requests of my configuration. */
		mcb_group_leader = 1;
		for (qp = &mcb_group_queue; *qp && n < MCB_GROUP_MAX;) {
			struct mcb_wreq *q = *qp;

			if (q->cfg != cfg) {
				qp = &q->next;
				continue;
			}
			*qp = q->next;
			q->next = NULL;
			*bt = q;
			bt = &q->next;
			n++;
		}
		pthread_mutex_unlock(&mcb_group_mu);
		mcb_group_run(cfg, batch);
		pthread_mutex_lock(&mcb_group_mu);
		while (batch) {
			struct mcb_wreq *q = batch;

			batch = q->next;
			q->next = NULL;
			q->done = 1;
		}
		mcb_group_leader = 0;
		pthread_cond_broadcast(&mcb_group_cv);
	}
	pthread_mutex_unlock(&mcb_group_mu);
	*stored = req.stored;
	return req.rc;
}

/* Apply the plan; returns -1 when libmilter refused a change. */
static int mcb_apply(SMFICTX *ctx, const struct mctx_msg *m, const struct mact_plan *p)
{
	char	addr[MADDR_MAX + 2];
	int	ok = 1;

	/* X-Links-* from outside go first, highest index first, so the
	 * indexes of the ones still to delete do not move. */
	for (size_t i = 0; i < mctx_xlinks_count(m); i++)
		for (int k = mctx_xlinks_times(m, i); k >= 1; k--)
			if (smfi_chgheader(ctx, (char *) mctx_xlinks_name(m, i), k, NULL)
			    != MI_SUCCESS)
				ok = 0;
	for (size_t i = 0; i < p->ndel; i++) {
		if (!p->del[i])
			continue;
		snprintf(addr, sizeof(addr), "<%s>", mctx_rcpt_addr(m, i));
		if (smfi_delrcpt(ctx, addr) != MI_SUCCESS)
			ok = 0;
	}
	if (p->add[0]) {
		snprintf(addr, sizeof(addr), "<%s>", p->add);
		if (smfi_addrcpt(ctx, addr) != MI_SUCCESS)
			ok = 0;
	}
	for (int h = 0; h < MACT_H_COUNT; h++)
		if (p->hdr_value[h][0]
		    && smfi_addheader(ctx, (char *) p->hdr_name[h], (char *) p->hdr_value[h])
		    != MI_SUCCESS)
			ok = 0;
	return ok ? 0 : -1;
}

static sfsistat mcb_eom(SMFICTX *ctx)
{
	struct mcb_conn *c = mcb_conn(ctx);
	struct mctx_msg *m;
	struct mcfg *cfg;
	struct reply_result *r = NULL;
	struct store *st;
	struct mact_plan plan;
	struct timespec t0;
	char	err[MCB_ERR_MAX];
	const char *text;
	const char *qid;
	size_t	len;
	int	rc;
	int	degraded = 0;
	int	stored = 0;		/* counters written in the message's transaction */
	sfsistat ret = SMFIS_CONTINUE;

	memset(&plan, 0, sizeof(plan));
	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	m = c->msg;
	if (!mctx_ours(m))
		return mcb_pass(c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cfg = mctx_cfg(m);
	if ((qid = smfi_getsymval(ctx, (char *) "i")) != NULL)
		mctx_set_qid(m, qid);
	qid = mctx_qid(m);

	text = mctx_text(m, &len);
	if ((r = reply_analyze(mcfg_analyzer(cfg), text, len, mctx_envfrom(m))) == NULL) {
		log_error("%s: reply analysis: out of memory", qid);
		ret = SMFIS_TEMPFAIL;
		goto done;
	}
	/*
	 * Everything this message records is one transaction: all or
	 * nothing. Most messages (questions, auto-replies) record nothing:
	 * they only read, outside any transaction, and take no write lock.
	 */
	if (mact_may_write(m, r)) {
		rc = mcb_decide_write(m, r, cfg, &plan, &stored);
	} else if ((st = mstore_get(cfg, err, sizeof(err))) == NULL) {
		rc = STORE_TEMP;
		snprintf(plan.errmsg, sizeof(plan.errmsg), "store_open: %.200s", err);
	} else {
		rc = mact_decide(m, r, st, &plan);
	}
	if (rc != STORE_OK) {
		mstore_discard();
		mstats_add(MSTAT_STORE_ERRORS, 1);
		if (mcfg_store_failure_tempfail(cfg)) {
			mstats_add(MSTAT_TEMPFAILS, 1);
			log_warning("%s: kind=%s store failure (%s): tempfail elapsed_us=%ld", qid,
				    reply_kind_name(reply_result_kind(r)), plan.errmsg,
				    mcb_elapsed_us(&t0));
			smfi_setreply(ctx, (char *) "451", (char *) "4.3.0",
				      (char *) "LINKS store temporarily unavailable, try again later");
			ret = SMFIS_TEMPFAIL;
			goto done;
		}
		log_warning("%s: store failure (%s): accepting without recording",
			    qid, plan.errmsg);
		mact_plan_clear(&plan);
		st = NULL;
		degraded = 1;
		if (mact_decide(m, r, NULL, &plan) != STORE_OK) {
			ret = SMFIS_TEMPFAIL;
			goto done;
		}
	}
	if (plan.result == MACT_DISCARD) {
		ret = SMFIS_DISCARD;
	} else if (mcb_apply(ctx, m, &plan) != 0) {
		/* the changes are part of the decision: do not half-apply */
		log_error("%s: the MTA refused a message change: tempfail", qid);
		ret = SMFIS_TEMPFAIL;
	}
	mcb_count(&plan, stored);
	log_info("%s: kind=%s verdict=%s customer=%" PRId64 " id_by=%s optout=%s auth=%s"
		 " reason=%s action=%s%s changed=%d bounces=%ld body=%zu%s elapsed_us=%ld",
		 qid, plan.kind, plan.verdict, plan.customer_id, plan.id_by,
		 plan.optout ? plan.optout : "none", plan.auth ? plan.auth : "none",
		 reply_result_reason(r), plan.action, degraded ? "(degraded)" : "",
		 plan.changed, plan.bounces, mctx_body_seen(m),
		 mctx_truncated(m) ? "(truncated)" : "", mcb_elapsed_us(&t0));
done:
	mact_plan_clear(&plan);
	reply_result_free(r);
	mcb_msg_done(c);
	return ret;
}

static sfsistat mcb_abort(SMFICTX *ctx)
{
	mcb_msg_done(mcb_conn(ctx));
	return SMFIS_CONTINUE;
}

static sfsistat mcb_close(SMFICTX *ctx)
{
	struct mcb_conn *c = mcb_conn(ctx);

	if (c == NULL)
		return SMFIS_CONTINUE;
	mcb_msg_done(c);
	free(c);
	smfi_setpriv(ctx, NULL);
	atomic_fetch_sub(&mcb_open, 1);
	return SMFIS_CONTINUE;
}

static struct smfiDesc mcb_description = {
	(char *) MCB_NAME,
	SMFI_VERSION,
	SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | SMFIF_DELRCPT,
	mcb_connect,
	NULL,			/* helo */
	mcb_envfrom,
	mcb_envrcpt,
	mcb_header,
	mcb_eoh,
	mcb_body,
	mcb_eom,
	mcb_abort,
	mcb_close,
	NULL,			/* unknown */
	mcb_data,
	NULL,			/* negotiate */
};

struct smfiDesc *mcb_desc(void)
{
	return &mcb_description;
}
