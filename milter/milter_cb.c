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
 *	statistics (atomics), the running configuration (milter_state) and
 *	the group commit (milter_group).
 * DIAGNOSTICS
 *	One log line per message acted on; warnings for store failures.
 */
#include "config.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "milter_act.h"
#include "milter_cb.h"
#include "milter_ctx.h"
#include "milter_follow.h"
#include "milter_group.h"
#include "milter_state.h"
#include "milter_stats.h"
#include "milter_store.h"
#include "reply.h"
#include "store.h"

#define MCB_ERR_MAX	256
#define MCB_US_PER_SEC	1000000L
#define MCB_NS_PER_US	1000L

/*
 * What links-milter asks of the MTA at negotiation. The actions it may
 * take; the steps it does not need (HELO, DATA, unknown commands, and
 * CONNECT when the MTA sends {daemon_name} with MAIL instead); and the
 * steps it never answers (SMFIP_NR_*): MAIL, RCPT, each header and each
 * body chunk are only collected, so the MTA does not wait for them. It
 * answers at end of headers (accepting there every message that cannot
 * be a LINKS reply: the MTA then sends no body) and at end of message.
 */
#define MCB_ACTIONS	(SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | SMFIF_DELRCPT)
#define MCB_STEPS_OFF	(SMFIP_NOHELO | SMFIP_NODATA | SMFIP_NOUNKNOWN)
#define MCB_NO_REPLY	(SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT \
			 | SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_HDR | SMFIP_NR_BODY)

/* The macros asked for with SMFIF_SETSYMLIST, per step (the MTA sends no others). */
#define MCB_MACROS_MAIL	"i {auth_authen} {daemon_name}"
#define MCB_MACROS_EOH	"i"
#define MCB_MACROS_EOM	"i"

/* Why a message collected without replies must fail at its next answer. */
enum mcb_fail { MCB_F_NONE = 0, MCB_F_TEMP, MCB_F_RCPTS, MCB_F_XLINKS };

struct mcb_conn {
	struct mctx_msg *msg;		/* the message in progress, or NULL */
	enum mcb_fail fail;		/* of the message in progress */
	const char *outgoing;		/* why it is outgoing (accept, never analyse), or NULL */
};

static atomic_long mcb_open;		/* connections open */
static atomic_long mcb_busy;		/* messages in progress */

/* mcb_connections - connections open now */
long
mcb_connections(void)
{
	return (atomic_load(&mcb_open));
}

/* mcb_in_progress - messages between MAIL FROM and their end */
long
mcb_in_progress(void)
{
	return (atomic_load(&mcb_busy));
}

/* mcb_conn - the connection state of CTX, created at its first use; NULL when out of memory */
static struct mcb_conn *
mcb_conn(SMFICTX *ctx)
{
	struct mcb_conn *c = smfi_getpriv(ctx);

	if (c != NULL)
		return (c);
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_error("connection: out of memory");
		return (NULL);
	}
	if (smfi_setpriv(ctx, c) != MI_SUCCESS) {
		free(c);
		return (NULL);
	}
	atomic_fetch_add(&mcb_open, 1);
	return (c);
}

/* mcb_msg_done - free the message in progress of C */
static void
mcb_msg_done(struct mcb_conn *c)
{
	if (c && c->msg) {
		mctx_free(c->msg);
		c->msg = NULL;
		atomic_fetch_sub(&mcb_busy, 1);
	}
}

/* mcb_connect - a new SMTP connection (only when the MTA cannot send {daemon_name} with MAIL) */
static sfsistat
mcb_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	(void) host;
	(void) addr;
	(void) mcb_conn(ctx);		/* out of memory: the message tempfails */
	return (SMFIS_NOREPLY);
}

/*
 * mcb_negotiate - ask only for the steps links-milter needs, answer only
 * end of headers and end of message. With SMFIF_SETSYMLIST (Postfix,
 * Sendmail) the macros come with MAIL, so CONNECT is skipped too; the
 * lists replace the MTA's own for every step, so each one used is named.
 */
static sfsistat
mcb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
	      unsigned long f3, unsigned long *pf0, unsigned long *pf1, unsigned long *pf2,
	      unsigned long *pf3)
{
	unsigned long want = MCB_STEPS_OFF | MCB_NO_REPLY;

	(void) f2;
	(void) f3;
	*pf0 = MCB_ACTIONS;
	if ((f0 & SMFIF_SETSYMLIST)
	    && smfi_setsymlist(ctx, SMFIM_ENVFROM, (char *) MCB_MACROS_MAIL) == MI_SUCCESS
	    && smfi_setsymlist(ctx, SMFIM_EOH, (char *) MCB_MACROS_EOH) == MI_SUCCESS
	    && smfi_setsymlist(ctx, SMFIM_EOM, (char *) MCB_MACROS_EOM) == MI_SUCCESS) {
		*pf0 |= SMFIF_SETSYMLIST;
		want |= SMFIP_NOCONNECT;
	}
	*pf1 = want & f1;		/* only what the MTA offers */
	*pf2 = 0;
	*pf3 = 0;
	return (SMFIS_CONTINUE);
}

/*
 * mcb_outgoing - why the message is going out, not coming in (NULL: it
 * is not): it
 * arrived through a service named in originating_daemons (Postfix's
 * {daemon_name}, e.g. submission with milter_macro_daemon_name =
 * ORIGINATING) or with SMTP AUTH ({auth_authen}). Staff mail is never a
 * customer's reply, whatever it quotes or references.
 */
static const char *
mcb_outgoing(SMFICTX *ctx, const struct mcfg *cfg)
{
	const char *authen = smfi_getsymval(ctx, (char *) "{auth_authen}");

	if (authen != NULL && authen[0] != 0)
		return ("SMTP AUTH");
	if (mcfg_originating(cfg, smfi_getsymval(ctx, (char *) "{daemon_name}")))
		return ("daemon_name in originating_daemons");
	return (NULL);
}

/* mcb_pass_outgoing - outgoing mail: accepted untouched, never analysed */
static sfsistat
mcb_pass_outgoing(SMFICTX *ctx, struct mcb_conn *c)
{
	const char *qid = smfi_getsymval(ctx, (char *) "i");

	log_debug("%s: outgoing (%s): not analysed", qid && qid[0] ? qid : "NOQUEUE", c->outgoing);
	mstats_add(MSTAT_OUTGOING, 1);
	c->outgoing = NULL;
	mcb_msg_done(c);
	return (SMFIS_ACCEPT);
}

/*
 * mcb_envfrom - MAIL FROM: a new message with the running configuration.
 * No reply (SMFIP_NR_MAIL): a failure is remembered and answered at end
 * of headers.
 */
static sfsistat
mcb_envfrom(SMFICTX *ctx, char **argv)
{
	struct mcb_conn *c = mcb_conn(ctx);
	struct mcfg *cfg;
	const char *qid;

	if (c == NULL)
		return (SMFIS_NOREPLY);
	mcb_msg_done(c);
	c->fail = MCB_F_NONE;
	c->outgoing = NULL;
	if ((cfg = mstate_get()) == NULL) {
		c->fail = MCB_F_TEMP;
		return (SMFIS_NOREPLY);
	}
	c->msg = mctx_new(cfg);
	mcfg_release(cfg);		/* the message holds its own reference */
	if (c->msg == NULL) {
		log_error("envfrom: out of memory");
		c->fail = MCB_F_TEMP;
		return (SMFIS_NOREPLY);
	}
	atomic_fetch_add(&mcb_busy, 1);
	if ((c->outgoing = mcb_outgoing(ctx, mctx_cfg(c->msg))) != NULL) {
		/* nothing of it is collected */
		mcb_msg_done(c);
		return (SMFIS_NOREPLY);
	}
	(void) mctx_set_envfrom(c->msg, argv && argv[0] ? argv[0] : "");
	if ((qid = smfi_getsymval(ctx, (char *) "i")) != NULL)
		mctx_set_qid(c->msg, qid);
	return (SMFIS_NOREPLY);
}

/* mcb_collecting - C's message is being collected: no failure, not outgoing */
static int
mcb_collecting(const struct mcb_conn *c)
{
	return (c != NULL && c->msg != NULL && c->fail == MCB_F_NONE && !c->outgoing);
}

/* mcb_envrcpt - RCPT TO: classify the recipient (no reply, SMFIP_NR_RCPT) */
static sfsistat
mcb_envrcpt(SMFICTX *ctx, char **argv)
{
	struct mcb_conn *c = smfi_getpriv(ctx);

	if (!mcb_collecting(c) || argv == NULL || argv[0] == NULL)
		return (SMFIS_NOREPLY);
	if (mctx_add_rcpt(c->msg, argv[0]) != 0)
		c->fail = mctx_rcpt_count(c->msg) >= MCTX_RCPT_MAX ? MCB_F_RCPTS : MCB_F_TEMP;
	return (SMFIS_NOREPLY);
}

/* mcb_pass - not for us: let it pass untouched */
static sfsistat
mcb_pass(struct mcb_conn *c, enum mstat why)
{
	mstats_add(why, 1);
	mcb_msg_done(c);
	return (SMFIS_ACCEPT);
}

/* mcb_header - one header: keep what the decision needs (no reply, SMFIP_NR_HDR) */
static sfsistat
mcb_header(SMFICTX *ctx, char *name, char *value)
{
	struct mcb_conn *c = smfi_getpriv(ctx);
	int	rc;

	if (!mcb_collecting(c) || !mctx_ours(c->msg))
		return (SMFIS_NOREPLY);	/* answered at end of headers */
	rc = mctx_header(c->msg, name ? name : "", value ? value : "");
	if (rc == -2)
		c->fail = MCB_F_XLINKS;
	else if (rc != 0) {
		log_error("%s: header: out of memory", mctx_qid(c->msg));
		c->fail = MCB_F_TEMP;
	}
	return (SMFIS_NOREPLY);
}

/* mcb_failed - the answer to a message whose collection failed (C->fail) */
static sfsistat
mcb_failed(SMFICTX *ctx, struct mcb_conn *c)
{
	enum mcb_fail f = c ? c->fail : MCB_F_TEMP;

	mcb_msg_done(c);
	switch (f) {
	case MCB_F_RCPTS:
		smfi_setreply(ctx, (char *) "452", (char *) "4.5.3", (char *) "Too many recipients");
		return (SMFIS_TEMPFAIL);
	case MCB_F_XLINKS:
		smfi_setreply(ctx, (char *) "554", (char *) "5.7.1",
			      (char *) "Too many X-Links header names");
		return (SMFIS_REJECT);
	default:
		return (SMFIS_TEMPFAIL);
	}
}

/*
 * mcb_eoh - end of headers: the first answer. Outgoing mail and mail
 * with no LINKS recipient are accepted with no store access; mail that
 * cannot be a LINKS reply (mact_may_be_reply) is accepted after two
 * reads of the store: the MTA sends neither body nor end of message.
 * The store connection is held only for those reads (mstore_put()).
 */
static sfsistat
mcb_eoh(SMFICTX *ctx)
{
	struct mcb_conn *c = smfi_getpriv(ctx);
	struct store *st;
	char	err[MCB_ERR_MAX];
	int	may;

	if (c != NULL && c->outgoing)
		return (mcb_pass_outgoing(ctx, c));
	if (!mcb_collecting(c))
		return (mcb_failed(ctx, c));
	if (!mctx_ours(c->msg))
		return (mcb_pass(c, MSTAT_PASSED));
	if (mctx_eoh(c->msg) != 0) {
		c->fail = MCB_F_TEMP;
		return (mcb_failed(ctx, c));
	}
	st = mstore_get(mctx_cfg(c->msg), err, sizeof(err));
	may = mact_may_be_reply(c->msg, st);
	mstore_put();
	if (!may) {
		log_debug("%s: cannot be a LINKS reply: accepted at end of headers",
			  mctx_qid(c->msg));
		return (mcb_pass(c, MSTAT_ORDINARY));
	}
	return (SMFIS_CONTINUE);
}

/* mcb_body - a body chunk, kept up to max_body_size (no reply, SMFIP_NR_BODY) */
static sfsistat
mcb_body(SMFICTX *ctx, unsigned char *data, size_t len)
{
	struct mcb_conn *c = smfi_getpriv(ctx);

	if (!mcb_collecting(c))
		return (SMFIS_NOREPLY);
	if (mctx_body(c->msg, data, len) != 0) {
		log_error("%s: body: out of memory", mctx_qid(c->msg));
		c->fail = MCB_F_TEMP;
	}
	return (SMFIS_NOREPLY);
}

/* mcb_elapsed_us - microseconds since T0 */
static long
mcb_elapsed_us(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return ((long) (t1.tv_sec - t0->tv_sec) * MCB_US_PER_SEC
		+ (t1.tv_nsec - t0->tv_nsec) / MCB_NS_PER_US);
}

/* mcb_deltas - the counters of a decided message */
static void
mcb_deltas(const struct mact_plan *p, long d[MSTAT_COUNT])
{
	memset(d, 0, sizeof(long) * MSTAT_COUNT);
	d[MSTAT_MESSAGES] = 1;
	d[MSTAT_OPTOUTS] = p->optout == MACT_O_APPLIED;
	d[MSTAT_UNVERIFIED] = p->optout == MACT_O_UNVERIFIED;
	d[MSTAT_QUESTIONS] = p->question != 0;
	d[MSTAT_ROUTED] = p->action == MACT_A_ROUTE;
	d[MSTAT_DISCARDED] = p->action == MACT_A_DISCARD;
	d[MSTAT_ARCHIVED] = p->action == MACT_A_ARCHIVE;
	d[MSTAT_BOUNCES] = p->verdict == MACT_V_BOUNCE;
	d[MSTAT_BOUNCE_RCPTS] = p->bounces;
	d[MSTAT_SOFT_BOUNCES] = p->soft_bounces;
	d[MSTAT_BOUNCES_UNVERIFIED] = p->verdict == MACT_V_BOUNCE && p->bounce_by == MACT_B_NONE
	    && p->action == MACT_A_ROUTE;
	d[MSTAT_AUTO_REPLIES] = p->verdict == MACT_V_AUTO_REPLY;
}

/* mcb_count - count a decided message; STORED: its counters are in the store already */
static void
mcb_count(const struct mact_plan *p, int stored)
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

/* What the group commit runs for one message: its plan and the plan's counts before any run. */
struct mcb_gw {
	struct mact_plan *p;
	int	changed;
	int	questions_counted;
	long	bounces;
};

/*
 * mcb_group_write - the group commit's work for one message (ARG, a
 * struct mcb_gw): its plan's writes. Every run starts from the plan's
 * counts as they were before the first one: the group commit runs it
 * again after rolling back a run that failed, or a run that succeeded
 * in a transaction another message's failure spoiled.
 */
static int
mcb_group_write(struct store *st, void *arg, long d[MSTAT_COUNT], char *err, size_t errlen)
{
	struct mcb_gw *gw = arg;
	struct mact_plan *p = gw->p;
	int	rc;

	p->changed = gw->changed;
	p->questions_counted = gw->questions_counted;
	p->bounces = gw->bounces;
	if ((rc = mact_write(st, p)) != STORE_OK) {
		/* rolled back: the group commit may run it again */
		p->changed = gw->changed;
		p->questions_counted = gw->questions_counted;
		p->bounces = gw->bounces;
		snprintf(err, errlen, "%s", p->errmsg);
	} else
		mcb_deltas(p, d);
	return (rc);
}

/*
 * mcb_reconnects - whether a failed read is worth one more try: on
 * PostgreSQL a pooled connection the server closed (a restart, a
 * failover, pg_terminate_backend) shows only at its first use, and the
 * store reconnects before the next statement; the reads of
 * mact_decide() change nothing, so they run once more rather than
 * tempfail a message the database can take. (SQLite's temporary failure
 * is a lock held past store_busy_timeout: waiting twice would not help.)
 */
static int
mcb_reconnects(struct mcfg *cfg)
{
	return (strcmp(conf_store_backend(mcfg_conf(cfg)), "postgresql") == 0);
}

/*
 * mcb_lock_key - the customer whose row P's writes lock first (an
 * opt-out locks its customer's row before anything else), 0 for none:
 * the group commit orders its batch by it
 */
static int64_t
mcb_lock_key(const struct mact_plan *p)
{
	for (size_t i = 0; i < p->nwrites; i++)
		if (p->writes[i].op == MACT_OP_OPTOUT)
			return (p->writes[i].customer);
	return (0);
}

/*
 * mcb_read - decide M on ST and prepare the plan's writes, in one read
 * snapshot (mact_read_begin()); STORE_ code
 */
static int
mcb_read(struct mctx_msg *m, const struct reply_result *r, struct store *st,
	 struct mact_plan *p)
{
	struct mcfg *cfg = mctx_cfg(m);
	int	snap = mact_read_begin(st);
	int	rc;

	if ((rc = mact_decide(m, r, st, p)) == STORE_TEMP && mcb_reconnects(cfg)) {
		log_info("%s: store: %s: reading again on a new connection", mctx_qid(m),
			 p->errmsg);
		mact_plan_clear(p);
		rc = mact_decide(m, r, st, p);
	}
	if (rc == STORE_OK && p->nwrites > 0)
		mfollow_prepare(st, p);
	if (snap && store_read_end(st) != STORE_OK && rc == STORE_OK) {
		snprintf(p->errmsg, sizeof(p->errmsg), "store_read_end: %.200s", store_errmsg(st));
		rc = STORE_TEMP;
	}
	return (rc);
}

/*
 * mcb_decide - decide message M (read), then record its writes durably.
 * The reads hold a store connection of the pool, given back before the
 * group commit; kept after a failure, for mcb_store_failed() to discard.
 */
static int
mcb_decide(struct mctx_msg *m, const struct reply_result *r, struct mact_plan *p,
	   int *stored)
{
	struct mcfg *cfg = mctx_cfg(m);
	struct store *st;
	struct mcb_gw gw;
	char	err[MCB_ERR_MAX];
	int	rc;

	*stored = 0;
	if ((st = mstore_get(cfg, err, sizeof(err))) == NULL) {
		memset(p, 0, sizeof(*p));
		snprintf(p->errmsg, sizeof(p->errmsg), "store_open: %.200s", err);
		return (STORE_TEMP);
	}
	if ((rc = mcb_read(m, r, st, p)) != STORE_OK)
		return (rc);		/* mcb_store_failed() discards the connection */
	mstore_put();			/* the writes go through the group commit's */
	if (p->nwrites == 0)
		return (rc);
	gw.p = p;
	gw.changed = p->changed;
	gw.questions_counted = p->questions_counted;
	gw.bounces = p->bounces;
	rc = mgroup_write(cfg, mcb_lock_key(p), mcb_group_write, &gw, stored, err, sizeof(err));
	if (rc != STORE_OK)
		snprintf(p->errmsg, sizeof(p->errmsg), "%s", err);
	return (rc);
}

/* mcb_tag_subject - put TAG (an encoded word) before the Subject; -1 when refused */
static int
mcb_tag_subject(SMFICTX *ctx, const struct mctx_msg *m, const char *tag)
{
	const char *subject = mctx_hdr(m, MCTX_H_SUBJECT);
	size_t	n;
	char   *v;
	int	rc;

	if (subject == NULL)
		return (smfi_addheader(ctx, (char *) "Subject", (char *) tag) == MI_SUCCESS ? 0 : -1);
	while (*subject == ' ' || *subject == '\t')
		subject++;
	n = strlen(tag) + 1 + strlen(subject) + 1;
	if ((v = malloc(n)) == NULL)
		return (-1);
	snprintf(v, n, "%s %s", tag, subject);
	rc = smfi_chgheader(ctx, (char *) "Subject", 1, v) == MI_SUCCESS ? 0 : -1;
	free(v);
	return (rc);
}

/* mcb_apply - apply the plan; -1 when libmilter refused a change */
static int
mcb_apply(SMFICTX *ctx, const struct mctx_msg *m, const struct mact_plan *p)
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
	if (p->subject_tag && mcb_tag_subject(ctx, m, p->subject_tag) != 0)
		ok = 0;
	return (ok ? 0 : -1);
}

/* mcb_store_failed - store_failure_action: tempfail, or a plan without the store */
static sfsistat
mcb_store_failed(SMFICTX *ctx, struct mctx_msg *m, const struct reply_result *r,
		 struct mact_plan *p, const struct timespec *t0)
{
	mstore_discard();
	mstats_add(MSTAT_STORE_ERRORS, 1);
	if (mcfg_store_failure_tempfail(mctx_cfg(m))) {
		mstats_add(MSTAT_TEMPFAILS, 1);
		log_warning("%s: kind=%s store failure (%s): tempfail elapsed_us=%ld",
			    mctx_qid(m), reply_kind_name(reply_result_kind(r)), p->errmsg,
			    mcb_elapsed_us(t0));
		smfi_setreply(ctx, (char *) "451", (char *) "4.3.0",
			      (char *) "LINKS store temporarily unavailable, try again later");
		return (SMFIS_TEMPFAIL);
	}
	log_warning("%s: store failure (%s): accepting without recording", mctx_qid(m),
		    p->errmsg);
	mact_plan_clear(p);
	if (mact_decide(m, r, NULL, p) != STORE_OK)
		return (SMFIS_TEMPFAIL);
	return (SMFIS_CONTINUE);
}

/* mcb_log - the message's log line */
static void
mcb_log(const struct mctx_msg *m, const struct reply_result *r, const struct mact_plan *p,
	int degraded, const struct timespec *t0)
{
	log_info("%s: kind=%s verdict=%s customer=%" PRId64 " id_by=%s optout=%s auth=%s"
		 " reason=%s action=%s%s changed=%d bounces=%ld soft=%ld bounce_by=%s xlinks=%s"
		 " body=%zu%s elapsed_us=%ld",
		 mctx_qid(m), reply_kind_name(p->kind), mact_verdict_name(p->verdict),
		 p->customer_id, mact_idby_name(p->id_by), mact_optout_name(p->optout),
		 mauth_how_name(p->auth), reply_result_reason(r), mact_action_name(p->action),
		 degraded ? "(degraded)" : "", p->changed, p->bounces, p->soft_bounces,
		 mact_bounce_by_name(p->bounce_by), p->company_only ? "yes" : "no", mctx_body_seen(m),
		 mctx_truncated(m) ? "(truncated)" : "", mcb_elapsed_us(t0));
}

/* mcb_eom - end of message: analyse, decide, record, apply */
static sfsistat
mcb_eom(SMFICTX *ctx)
{
	struct mcb_conn *c = smfi_getpriv(ctx);
	struct mctx_msg *m;
	struct reply_result *r;
	struct mact_plan plan;
	struct timespec t0;
	const char *text, *qid;
	size_t	len;
	int	stored = 0, degraded = 0;
	sfsistat ret = SMFIS_CONTINUE;

	memset(&plan, 0, sizeof(plan));
	if (c != NULL && c->outgoing)
		return (mcb_pass_outgoing(ctx, c));
	if (!mcb_collecting(c))
		return (mcb_failed(ctx, c));
	m = c->msg;
	if (!mctx_ours(m))
		return (mcb_pass(c, MSTAT_PASSED));	/* an MTA that skipped end of headers */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((qid = smfi_getsymval(ctx, (char *) "i")) != NULL)
		mctx_set_qid(m, qid);
	text = mctx_text(m, &len);
	if ((r = reply_analyze(mcfg_analyzer(mctx_cfg(m)), text, len, mctx_envfrom(m))) == NULL) {
		log_error("%s: reply analysis: out of memory", mctx_qid(m));
		mcb_msg_done(c);
		return (SMFIS_TEMPFAIL);
	}
	if (mcb_decide(m, r, &plan, &stored) != STORE_OK) {
		stored = 0;
		degraded = 1;
		if ((ret = mcb_store_failed(ctx, m, r, &plan, &t0)) != SMFIS_CONTINUE)
			goto done;
	}
	if (plan.result == MACT_DISCARD) {
		ret = SMFIS_DISCARD;
	} else if (mcb_apply(ctx, m, &plan) != 0) {
		/* the changes are part of the decision: do not half-apply */
		log_error("%s: the MTA refused a message change: tempfail", mctx_qid(m));
		ret = SMFIS_TEMPFAIL;
	}
	mcb_count(&plan, stored);
	mcb_log(m, r, &plan, degraded, &t0);
done:
	mact_plan_clear(&plan);
	reply_result_free(r);
	mcb_msg_done(c);
	return (ret);
}

/* mcb_abort - the message was aborted */
static sfsistat
mcb_abort(SMFICTX *ctx)
{
	struct mcb_conn *c = smfi_getpriv(ctx);

	mcb_msg_done(c);
	if (c != NULL) {
		c->fail = MCB_F_NONE;
		c->outgoing = NULL;
	}
	return (SMFIS_CONTINUE);
}

/* mcb_close - the connection ends */
static sfsistat
mcb_close(SMFICTX *ctx)
{
	struct mcb_conn *c = smfi_getpriv(ctx);

	if (c == NULL)
		return (SMFIS_CONTINUE);
	mcb_msg_done(c);
	free(c);
	smfi_setpriv(ctx, NULL);
	atomic_fetch_sub(&mcb_open, 1);
	return (SMFIS_CONTINUE);
}

static struct smfiDesc mcb_description = {
	(char *) MCB_NAME,
	SMFI_VERSION,
	MCB_ACTIONS,
	mcb_connect,
	NULL,			/* helo: SMFIP_NOHELO */
	mcb_envfrom,
	mcb_envrcpt,
	mcb_header,
	mcb_eoh,
	mcb_body,
	mcb_eom,
	mcb_abort,
	mcb_close,
	NULL,			/* unknown: SMFIP_NOUNKNOWN */
	NULL,			/* data: SMFIP_NODATA */
	mcb_negotiate,
};

/* mcb_desc - the filter description for smfi_register() */
struct smfiDesc *
mcb_desc(void)
{
	return (&mcb_description);
}
