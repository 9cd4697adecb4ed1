/*
 * NAME
 *	delivery 3
 * SUMMARY
 *	the delivery engine: workers, retries, rate, crash-safe records
 * SYNOPSIS
 *	#include "delivery.h"
 * DESCRIPTION
 *	See delivery.h for the contract. The crash-safety argument:
 *
 *	1. Every message has its durable row before the engine starts (the
 *	   source made it: a campaign's expansion, the milter's outbox
 *	   entry), so a crash loses nobody: the next run sends every row
 *	   still queued.
 *	2. A row is marked "sending (attempt N)" and committed BEFORE the
 *	   transport sees the message, and marked sent after the server's
 *	   250. Both commits cover a worker's batch of rows (the sent marks
 *	   at least every DELIVERY_COMMIT_MS). A crash between the two
 *	   leaves "sending": those and only those rows may have reached the
 *	   server already (a transport may read a message's 250 with the
 *	   next message's replies, transport_send_more(): the answers are
 *	   read, transport_flush(), before they are recorded, so "sent"
 *	   still follows the 250). They are sent again with the same Message-ID
 *	   (fixed in the row), and counted as possible duplicates (some of
 *	   them had not been handed over yet: the count is an upper bound).
 *	3. Rows are only ever read from the store, never from memory of a
 *	   previous run, so running again any number of times converges.
 *
 *	Threads: a dispatcher (mutex + condition) hands out queued rows
 *	read in batches with its own store connection; each worker has its
 *	own store connection and transport; 4xx retries wait in a list
 *	ordered by due time. The main thread draws the progress.
 * DIAGNOSTICS
 *	Errors in STATS->fatal_msg, one line, without personal data
 *	(customers are named by id).
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "delivery.h"
#include "log.h"

#define DELIVERY_TICK_MS	100	/* progress redraw interval of the main thread */
#define DELIVERY_WAIT_SECS	0.2	/* longest sleep: stay responsive to signals */
#define DELIVERY_RETRY_CAP0	64	/* first size of the retry list */
#define SENDING_PREFIX		"sending (attempt "
#define ATTEMPT_MARK		"(attempt "
#define NSEC			1000000000L

volatile sig_atomic_t delivery_stop;

/* One queued row in the hands of a worker. */
struct job {
	struct delivery_row row;	/* row.reason is NULL once read */
	int	attempts;		/* attempts made before this one */
	int	was_sending;		/* interrupted after "sending": may be there */
	double	due;			/* retries: not before (monotonic seconds) */
};

/* One job in a worker's batch, from its row to the server's answer. */
enum item_state {
	ITEM_NONE = 0,			/* nothing decided: the row is left as it was */
	ITEM_SKIP,			/* record as skipped with REASON */
	ITEM_SEND			/* MSG is ready */
};

struct item {
	struct job j;
	enum item_state state;
	struct delivery_msg msg;
	int	handed;			/* the transport saw the message */
	int	retry;			/* goes back into the retry list */
	struct transport_result res;
	char	reason[DELIVERY_REASON_MAX];
};

struct run {
	const struct conf *conf;
	const struct delivery_source *src;
	const struct delivery_opts *o;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct store *dst;		/* the dispatcher's connection */
	struct delivery_row batch[DELIVERY_FETCH_MAX];
	int	bn, bi;
	int64_t after;
	int	exhausted;
	struct job *retry;
	size_t	nretry, capretry;
	int	inflight;
	int	nworkers;
	int	workers_left;
	double	next_slot;
	int	conn_down;		/* consecutive connection failures */
	int	batches;		/* batches recorded since the log was started over */
	struct delivery_stats *stats;
};

struct worker {
	struct run *r;
	pthread_t th;
	int	started;
};

/* mono - monotonic seconds */
static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double) ts.tv_sec + ts.tv_nsec / 1e9);
}

/* sleep_until - sleep until monotonic WHEN, or until the run is stopped */
static void
sleep_until(double when)
{
	double	d;

	while (!delivery_stop && (d = when - mono()) > 0) {
		struct timespec ts;

		if (d > DELIVERY_WAIT_SECS)
			d = DELIVERY_WAIT_SECS;
		ts.tv_sec = (time_t) d;
		ts.tv_nsec = (long) ((d - (double) ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}

/* cond_wait_secs - wait on the run's condition at most SECS (lock held) */
static void
cond_wait_secs(struct run *r, double secs)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t) secs;
	ts.tv_nsec += (long) ((secs - (double) (time_t) secs) * 1e9);
	if (ts.tv_nsec >= NSEC) {
		ts.tv_sec++;
		ts.tv_nsec -= NSEC;
	}
	pthread_cond_timedwait(&r->cv, &r->mu, &ts);
}

/* delivery_attempts - the attempt count recorded in REASON, 0 when none */
int
delivery_attempts(const char *reason)
{
	const char *p;

	if (reason == NULL || (p = strstr(reason, ATTEMPT_MARK)) == NULL)
		return (0);
	return (atoi(p + strlen(ATTEMPT_MARK)));
}

/* delivery_was_sending - whether REASON is the engine's "sending" mark */
int
delivery_was_sending(const char *reason)
{
	return (reason != NULL && strncmp(reason, SENDING_PREFIX, strlen(SENDING_PREFIX)) == 0);
}

/* delivery_opts_init - the run's options from links.conf and the command line */
int
delivery_opts_init(struct delivery_opts *o, const struct conf *conf,
		   const struct delivery_cli *cli)
{
	enum transport_kind kind;

	memset(o, 0, sizeof(*o));
	if (cli->transport >= 0)
		kind = (enum transport_kind) cli->transport;
	else if (transport_parse(conf_transport(conf), &kind) < 0)
		return (-1);
	o->transport = kind;
	o->outdir = cli->outdir;
	o->workers = (int) conf_smtp_connections(conf);
	o->total = -1;
	o->rate = cli->rate >= 0 ? (double) cli->rate : (double) conf_send_rate(conf);
	o->retry_delay = cli->retry_delay >= 0 ? (double) cli->retry_delay : DELIVERY_RETRY_DELAY;
	o->max_attempts = (int) conf_smtp_max_attempts(conf);
	o->progress = cli->progress;
	return (0);
}

/* delivery_row_clear - free what ROW owns */
void
delivery_row_clear(const struct delivery_source *src, struct delivery_row *row)
{
	free(row->message_id);
	free(row->reason);
	if (row->priv != NULL && src->row_free != NULL)
		src->row_free(row->priv);
	memset(row, 0, sizeof(*row));
}

/* run_vfatal_locked - stop the run with a message (lock held) */
static void __attribute__((format(printf, 2, 0)))
run_vfatal_locked(struct run *r, const char *fmt, va_list ap)
{
	if (!r->stats->fatal) {
		r->stats->fatal = 1;
		vsnprintf(r->stats->fatal_msg, sizeof(r->stats->fatal_msg), fmt, ap);
	}
	pthread_cond_broadcast(&r->cv);
}

/* run_fatal - stop the run with a message */
static void __attribute__((format(printf, 2, 3)))
run_fatal(struct run *r, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&r->mu);
	va_start(ap, fmt);
	run_vfatal_locked(r, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&r->mu);
}

/* run_fatal_locked - run_fatal() with the lock held */
static void __attribute__((format(printf, 2, 3)))
run_fatal_locked(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_vfatal_locked(r, fmt, ap);
	va_end(ap);
}

/* store_fatal - stop the run on a store error */
static void
store_fatal(struct run *r, struct store *st, const char *what)
{
	run_fatal(r, "store: %s: %s", what, store_errmsg(st));
}

/* stopping - whether the run is stopping: no new message is handed over */
static int
stopping(struct run *r)
{
	int	stop;

	pthread_mutex_lock(&r->mu);
	stop = delivery_stop || r->stats->fatal;
	pthread_mutex_unlock(&r->mu);
	return (stop);
}

/* ---- the dispatcher ---- */

/* retry_push - keep J for a later attempt (lock held) */
static int
retry_push(struct run *r, struct job *j)
{
	if (r->nretry == r->capretry) {
		size_t	cap = r->capretry ? r->capretry * 2 : DELIVERY_RETRY_CAP0;
		struct job *p = realloc(r->retry, cap * sizeof(*p));

		if (p == NULL)
			return (-1);
		r->retry = p;
		r->capretry = cap;
	}
	r->retry[r->nretry++] = *j;
	return (0);
}

/* take_row - move the dispatcher's next row into J (lock held) */
static void
take_row(struct run *r, struct job *j)
{
	struct delivery_row *d = &r->batch[r->bi++];

	memset(j, 0, sizeof(*j));
	j->row = *d;
	j->attempts = delivery_attempts(d->reason);
	j->was_sending = delivery_was_sending(d->reason);
	free(j->row.reason);
	j->row.reason = NULL;
	memset(d, 0, sizeof(*d));
	r->inflight++;
}

/* fetch_rows - read the next queued rows (lock held); -1 on a store error */
static int
fetch_rows(struct run *r)
{
	int	n;

	r->bi = r->bn = 0;
	n = r->src->fetch(r->src->arg, r->dst, r->after, r->batch, DELIVERY_FETCH_MAX);
	if (n < 0) {
		run_fatal_locked(r, "store: %s", store_errmsg(r->dst));
		return (-1);
	}
	if (n == 0)
		r->exhausted = 1;
	else {
		r->bn = n;
		r->after = r->batch[n - 1].id;
	}
	return (0);
}

/* take_retry - a due retry into J (lock held): 1, else 0 after waiting a little */
static int
take_retry(struct run *r, struct job *j)
{
	size_t	i, best = 0;
	double	now = mono(), wait;

	for (i = 1; i < r->nretry; i++)
		if (r->retry[i].due < r->retry[best].due)
			best = i;
	if (r->retry[best].due <= now) {
		*j = r->retry[best];
		r->retry[best] = r->retry[--r->nretry];
		r->inflight++;
		return (1);
	}
	wait = r->retry[best].due - now;
	cond_wait_secs(r, wait > DELIVERY_WAIT_SECS ? DELIVERY_WAIT_SECS : wait);
	return (0);
}

/*
 * next_jobs - fill JOBS with up to MAX next jobs; returns how many, 0
 * when there is none left (or the run stops). Rows are shared out
 * between the workers (a worker takes at most its share of the rows
 * read); a retry comes alone.
 */
static int
next_jobs(struct run *r, struct job *jobs, int max)
{
	int	n = 0, share;

	pthread_mutex_lock(&r->mu);
	while (n == 0 && !delivery_stop && !r->stats->fatal) {
		if (r->bi < r->bn) {
			share = (r->bn - r->bi) / (r->nworkers > 0 ? r->nworkers : 1);
			share = share < 1 ? 1 : share > max ? max : share;
			for (n = 0; n < share; n++)
				take_row(r, &jobs[n]);
		} else if (!r->exhausted) {
			if (fetch_rows(r) < 0)
				break;
		} else if (r->nretry > 0) {
			n = take_retry(r, &jobs[0]);
		} else if (r->inflight > 0) {
			/* A job in hand may come back as a retry. */
			cond_wait_secs(r, DELIVERY_WAIT_SECS);
		} else
			break;
	}
	pthread_mutex_unlock(&r->mu);
	return (n);
}

/* job_done - the job is finished (RETRY: put it back for later) */
static void
job_done(struct run *r, struct job *j, int retry)
{
	pthread_mutex_lock(&r->mu);
	r->inflight--;
	if (retry && retry_push(r, j) < 0) {
		run_fatal_locked(r, "out of memory");
		retry = 0;
	}
	if (!retry)
		delivery_row_clear(r->src, &j->row);
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

/* rate_wait - wait for this message's slot under the rate limit */
static void
rate_wait(struct run *r)
{
	double	slot, now;

	if (r->o->rate <= 0)
		return;
	pthread_mutex_lock(&r->mu);
	now = mono();
	if (r->next_slot < now)
		r->next_slot = now;
	slot = r->next_slot;
	r->next_slot += 1.0 / r->o->rate;
	pthread_mutex_unlock(&r->mu);
	sleep_until(slot);
}

/* ---- one batch ---- */

/* item_clear - free what IT owns, except its job (see job_done()) */
static void
item_clear(struct item *it)
{
	free(it->msg.data);
	memset(it, 0, sizeof(*it));
}

/* item_prepare - let the source decide one item; -1 stops the run */
static int
item_prepare(struct run *r, struct store *st, struct item *it)
{
	char	err[DELIVERY_ERR_MAX];
	int	rv;

	err[0] = 0;
	rv = r->src->prepare(r->src->arg, st, &it->j.row, &it->msg, it->reason,
			     sizeof(it->reason), err, sizeof(err));
	if (rv == DELIVERY_SEND)
		it->state = ITEM_SEND;
	else if (rv == DELIVERY_SKIP)
		it->state = ITEM_SKIP;
	else {
		run_fatal(r, "%s", err);
		return (-1);
	}
	return (0);
}

/* mark_one - record one item before sending; STORE_ code */
static int
mark_one(struct run *r, struct store *st, struct item *it)
{
	const struct delivery_source *s = r->src;
	char	reason[DELIVERY_REASON_MAX];
	int	rc;

	if (it->state == ITEM_SKIP)
		return (s->record(s->arg, st, it->j.row.id, STORE_DLV_SKIPPED, it->reason));
	snprintf(reason, sizeof(reason), SENDING_PREFIX "%d)", it->j.attempts + 1);
	if ((rc = s->record(s->arg, st, it->j.row.id, STORE_DLV_QUEUED, reason)) != STORE_OK
	    || (rc = store_msglog_add(st, it->j.row.message_id, it->j.row.customer_id, s->cat,
				      s->campaign_id)) != STORE_OK)
		return (rc);
	if (it->j.was_sending)
		rc = store_counter_add(st, s->dup_counter, 1);
	return (rc);
}

/*
 * batch_mark - mark the batch in one transaction: skipped rows with
 * their reason; rows to send "sending (attempt N)" with their Message-ID
 * in the message log, and a resend of a row found "sending" counted as
 * a possible duplicate. Committed BEFORE the transport sees any of
 * them. Returns -1 when nothing was recorded (the run stops).
 */
static int
batch_mark(struct run *r, struct store *st, struct item *items, int n)
{
	long	skipped = 0, dups = 0;
	int	i, any = 0;

	for (i = 0; i < n; i++)
		any |= items[i].state != ITEM_NONE;
	if (!any)
		return (0);
	if (store_begin(st) != STORE_OK) {
		store_fatal(r, st, "begin");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (items[i].state == ITEM_NONE)
			continue;
		if (mark_one(r, st, &items[i]) != STORE_OK) {
			store_fatal(r, st, "mark sending");
			store_rollback(st);
			return (-1);
		}
		skipped += items[i].state == ITEM_SKIP;
		dups += items[i].state == ITEM_SEND && items[i].j.was_sending;
	}
	if (store_commit(st) != STORE_OK) {
		store_fatal(r, st, "commit");
		return (-1);
	}
	pthread_mutex_lock(&r->mu);
	r->stats->skipped += skipped;
	r->stats->dups += dups;
	pthread_mutex_unlock(&r->mu);
	return (0);
}

/*
 * item_send - hand one prepared message over; its answer may come with
 * the next message or at transport_flush() (transport_send_more()).
 */
static void
item_send(struct run *r, struct transport *t, struct item *it)
{
	char	name[48];

	rate_wait(r);
	snprintf(name, sizeof(name), "%s%lld", r->src->file_prefix ? r->src->file_prefix : "",
		 (long long) it->j.row.id);
	transport_send_more(t, it->msg.from, it->msg.rcpt, name, it->msg.data, it->msg.len,
			    &it->res);
	it->handed = 1;
}

/* item_account - count IT's settled answer in the run's connection failures */
static void
item_account(struct run *r, struct item *it)
{
	pthread_mutex_lock(&r->mu);
	if (it->res.status == TRANSPORT_OK)
		r->conn_down = 0;
	else if (it->res.status == TRANSPORT_TEMP && it->res.conn_failed && !it->res.maybe_sent) {
		/* Never reached the server: not an attempt at this message. */
		if (++r->conn_down >= r->o->max_attempts)
			run_fatal_locked(r, "cannot deliver: %s (rows stay queued; run %s)",
					 it->res.text, r->src->again);
	}
	pthread_mutex_unlock(&r->mu);
}

/*
 * account_settled - count the answers settled so far in send order,
 * from ITEMS[*AT] up to ITEMS[N - 1]; stops at one still pending
 */
static void
account_settled(struct run *r, struct item *items, int *at, int n)
{
	for (; *at < n; (*at)++) {
		struct item *it = &items[*at];

		if (it->state != ITEM_SEND || !it->handed)
			continue;
		if (it->res.status == TRANSPORT_PENDING)
			break;
		item_account(r, it);
	}
}

/* outcome_unhanded - a row the stopping run never handed over goes back */
static void
outcome_unhanded(const struct job *j, enum store_delivery_status *status, char *reason,
		 size_t reasonlen)
{
	*status = STORE_DLV_QUEUED;
	if (j->was_sending)
		snprintf(reason, reasonlen, SENDING_PREFIX "%d)", j->attempts);
	else if (j->attempts > 0)
		snprintf(reason, reasonlen, "deferred (attempt %d): not sent, the run stopped",
			 j->attempts);
	else
		reason[0] = 0;
}

/*
 * item_outcome - the row's new state after the transport's answer, into
 * *STATUS and REASON; 0 when the row stays "sending" (the connection
 * broke after the whole message: the server may have it). Sets
 * IT->retry and the job's retry fields. *COUNTER is the statistic to
 * add one to.
 */
static int
item_outcome(struct run *r, struct item *it, enum store_delivery_status *status,
	     char *reason, size_t reasonlen, long **counter)
{
	struct job *j = &it->j;
	struct transport_result *res = &it->res;
	int	attempt = j->attempts + 1;

	*counter = NULL;
	if (!it->handed) {
		outcome_unhanded(j, status, reason, reasonlen);
		return (1);
	}
	if (res->status != TRANSPORT_TEMP) {
		*status = res->status == TRANSPORT_OK ? STORE_DLV_SENT : STORE_DLV_FAILED;
		snprintf(reason, reasonlen, "%s", res->status == TRANSPORT_OK ? "" : res->text);
		*counter = res->status == TRANSPORT_OK ? &r->stats->sent : &r->stats->failed;
		return (1);
	}
	*status = STORE_DLV_QUEUED;
	if (res->conn_failed && !res->maybe_sent) {
		snprintf(reason, reasonlen, "deferred (attempt %d): %s", j->attempts, res->text);
		if (!stopping(r)) {
			j->was_sending = 0;
			j->due = mono() + r->o->retry_delay;
			it->retry = 1;
		}
		return (1);
	}
	if (attempt >= r->o->max_attempts) {
		*status = STORE_DLV_FAILED;
		snprintf(reason, reasonlen, "%s (after %d attempts)", res->text, attempt);
		*counter = &r->stats->failed;
		return (1);
	}
	*counter = &r->stats->deferred;
	j->attempts = attempt;
	j->was_sending = res->maybe_sent;
	j->due = mono() + (r->o->retry_delay * attempt > DELIVERY_RETRY_MAX
			   ? DELIVERY_RETRY_MAX : r->o->retry_delay * attempt);
	it->retry = 1;
	if (res->maybe_sent)
		return (0);
	snprintf(reason, reasonlen, "deferred (attempt %d): %s", attempt, res->text);
	return (1);
}

/* finish_one - record one item's answer (transaction open); STORE_ code */
static int
finish_one(struct run *r, struct store *st, struct item *it, long **counter, long *undup)
{
	const struct delivery_source *s = r->src;
	enum store_delivery_status status;
	char	reason[DELIVERY_REASON_MAX];
	int	rc, cnt;

	if (!item_outcome(r, it, &status, reason, sizeof(reason), counter))
		return (STORE_OK);
	if ((rc = s->record(s->arg, st, it->j.row.id, status, reason)) != STORE_OK)
		return (rc);
	if (!it->handed && it->j.was_sending) {
		if ((rc = store_counter_add(st, s->dup_counter, -1)) != STORE_OK)
			return (rc);
		(*undup)++;
	}
	if (it->handed && it->res.status == TRANSPORT_PERM && it->res.rcpt_refused
	    && store_bounce_record(st, it->msg.rcpt, &cnt) != STORE_OK)
		log_warning("%s: customer %lld: could not record the bounce: %s", s->what,
			    (long long) it->j.row.customer_id, store_errmsg(st));
	return (STORE_OK);
}

/*
 * batch_finish - record the answers of the batch in one transaction:
 * sent, failed, deferred; rows never handed over (the run stopped) go
 * back to what they were, and their possible-duplicate count is taken
 * back. Until this commit the rows sent stay "sending": a kill in
 * between makes them possible duplicates, which is the documented
 * window.
 */
static void
batch_finish(struct run *r, struct store *st, struct item *items, int n)
{
	long   *which[DELIVERY_BATCH_MAX], undup = 0;
	int	i, any = 0;

	for (i = 0; i < n; i++) {
		which[i] = NULL;
		any |= items[i].state == ITEM_SEND;
	}
	if (!any)
		return;
	if (store_begin(st) != STORE_OK) {
		store_fatal(r, st, "begin");
		goto fail;
	}
	for (i = 0; i < n; i++)
		if (items[i].state == ITEM_SEND
		    && finish_one(r, st, &items[i], &which[i], &undup) != STORE_OK) {
			store_fatal(r, st, "update delivery");
			store_rollback(st);
			goto fail;
		}
	if (store_commit(st) != STORE_OK) {
		store_fatal(r, st, "commit");
		goto fail;
	}
	pthread_mutex_lock(&r->mu);
	for (i = 0; i < n; i++)
		if (which[i] != NULL)
			(*which[i])++;
	r->stats->dups -= undup;
	pthread_mutex_unlock(&r->mu);
	return;
fail:
	/* The run stops; rows stay as marked: "sending" ones are possible
	 * duplicates for the next run. */
	for (i = 0; i < n; i++)
		items[i].retry = 0;
}

/*
 * process_batch - handle the N jobs in ITEMS with store ST and transport
 * T: prepare each (all in one read snapshot of the store), mark them
 * all in one commit, send them, record the answers in one commit (or
 * one every DELIVERY_COMMIT_MS while sending). An answer the transport
 * left pending is read (transport_flush()) before the answers are
 * recorded. The caller hands each job back with job_done().
 */
static void
process_batch(struct run *r, struct store *st, struct transport *t, struct item *items, int n)
{
	double	since;
	int	i, from, at = 0;

	/* The renderings only read: one snapshot for the batch's reads. */
	if (store_read_begin(st) != STORE_OK) {
		store_fatal(r, st, "read");
		return;
	}
	for (i = 0; i < n; i++)
		if (item_prepare(r, st, &items[i]) < 0)
			break;		/* the run stops: leave the rest untouched */
	for (; i < n; i++)
		items[i].state = ITEM_NONE;
	if (store_read_end(st) != STORE_OK) {
		store_fatal(r, st, "read");
		return;
	}
	if (batch_mark(r, st, items, n) < 0)
		return;
	from = 0;
	since = mono();
	for (i = 0; i < n; i++) {
		if (items[i].state != ITEM_SEND || stopping(r))
			continue;
		item_send(r, t, &items[i]);
		account_settled(r, items, &at, i + 1);
		/* A slow batch (a rate limit, a slow server) records what it has
		 * sent every DELIVERY_COMMIT_MS, so that the window a kill turns
		 * into resends stays short in time as well as in rows. */
		if ((mono() - since) * 1000.0 >= DELIVERY_COMMIT_MS) {
			transport_flush(t);
			account_settled(r, items, &at, i + 1);
			batch_finish(r, st, items + from, i + 1 - from);
			from = i + 1;
			since = mono();
		}
	}
	transport_flush(t);
	account_settled(r, items, &at, n);
	batch_finish(r, st, items + from, n - from);
}

/*
 * batch_size - how many rows to take next: about DELIVERY_COMMIT_MS
 * worth at the pace of the last batch (PER seconds a row), at most
 * DELIVERY_BATCH_MAX. Rows marked "sending" and not yet sent when a
 * kill lands are counted as possible duplicates, so under a rate limit
 * or with a slow server the batches shrink to a few rows, down to one.
 */
static int
batch_size(double per)
{
	int	take;

	if (per * DELIVERY_BATCH_MAX * 1000.0 <= DELIVERY_COMMIT_MS)
		return (DELIVERY_BATCH_MAX);
	take = (int) (DELIVERY_COMMIT_MS / 1000.0 / per);
	return (take < 1 ? 1 : take);
}

/* worker_open - a worker's store connection and transport; -1 stops the run */
static int
worker_open(struct run *r, struct store **st, struct transport **t)
{
	char	err[DELIVERY_ERR_MAX];

	if ((*st = store_open(r->conf, err, sizeof(err))) == NULL) {
		run_fatal(r, "store: %s", err);
		return (-1);
	}
	if (store_set_sync(*st, 0) != STORE_OK) {
		store_fatal(r, *st, "synchronous");
		return (-1);
	}
	/* The log is started over every DELIVERY_WAL_BATCHES (wal_trim()). */
	if (store_set_autocheckpoint(*st, 0) != STORE_OK) {
		store_fatal(r, *st, "checkpoint");
		return (-1);
	}
	if ((*t = transport_open(r->conf, r->o->transport, r->o->outdir, err, sizeof(err))) == NULL) {
		run_fatal(r, "transport: %s", err);
		return (-1);
	}
	return (0);
}

/*
 * wal_trim - after a batch: every DELIVERY_WAL_BATCHES batches of the
 * run, one worker copies the whole write-ahead log into the database
 * and has it started over (store_wal_restart()). The workers' own
 * automatic checkpoints are off: with several connections reading
 * and committing, some reader always held an older snapshot, the log
 * was never started over, and once past SQLite's threshold every
 * commit walked all of it again. A failure only costs speed: logged.
 */
static void
wal_trim(struct run *r, struct store *st)
{
	int	due;

	pthread_mutex_lock(&r->mu);
	if ((due = ++r->batches >= DELIVERY_WAL_BATCHES))
		r->batches = 0;
	pthread_mutex_unlock(&r->mu);
	if (due && store_wal_restart(st, NULL) != STORE_OK)
		log_warning("%s: checkpoint: %s", r->src->what, store_errmsg(st));
}

/* worker_main - a worker thread: batches until nothing is left */
static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->r;
	struct store *st = NULL;
	struct transport *t = NULL;
	struct item *items = NULL;
	struct job jobs[DELIVERY_BATCH_MAX];
	int	n, i, take = 1;

	if (worker_open(r, &st, &t) < 0)
		goto out;
	if ((items = calloc(DELIVERY_BATCH_MAX, sizeof(*items))) == NULL) {
		run_fatal(r, "out of memory");
		goto out;
	}
	while ((n = next_jobs(r, jobs, take)) > 0) {
		double	t0 = mono();

		for (i = 0; i < n; i++)
			items[i].j = jobs[i];
		process_batch(r, st, t, items, n);
		take = batch_size((mono() - t0) / n);
		wal_trim(r, st);
		for (i = 0; i < n; i++) {
			job_done(r, &items[i].j, items[i].retry);
			item_clear(&items[i]);
		}
	}
out:
	free(items);
	transport_close(t);
	store_close(st);
	pthread_mutex_lock(&r->mu);
	r->workers_left--;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return (NULL);
}

/* ---- the run ---- */

/* workers_wanted - how many workers this run starts */
static int
workers_wanted(const struct delivery_opts *o)
{
	int	n = o->workers;

	if (!transport_parallel(o->transport) || n < 1)
		n = 1;
	if (n > DELIVERY_WORKERS_MAX)
		n = DELIVERY_WORKERS_MAX;
	if (o->total >= 0 && n > o->total)
		n = o->total > 0 ? (int) o->total : 1;
	return (n);
}

/* watch - the main thread: draw the progress until every worker is done */
static void
watch(struct run *r)
{
	struct progress *pg = progress_new(stderr, r->o->total, r->o->progress);
	struct timespec tick = {0, DELIVERY_TICK_MS * 1000000L};
	long	s, f, k;
	int	left;

	for (;;) {
		pthread_mutex_lock(&r->mu);
		left = r->workers_left;
		s = r->stats->sent;
		f = r->stats->failed;
		k = r->stats->skipped;
		pthread_mutex_unlock(&r->mu);
		progress_update(pg, s, f, k);
		if (left == 0)
			break;
		nanosleep(&tick, NULL);
	}
	progress_done(pg);
}

/* delivery_run - send every queued row of SRC; see delivery.h */
int
delivery_run(const struct conf *conf, const struct delivery_source *src,
	     const struct delivery_opts *o, struct delivery_stats *stats,
	     char *err, size_t errlen)
{
	struct run r;
	struct worker w[DELIVERY_WORKERS_MAX];
	int	n, i;
	size_t	k;

	memset(stats, 0, sizeof(*stats));
	memset(&r, 0, sizeof(r));
	r.conf = conf;
	r.src = src;
	r.o = o;
	r.stats = stats;
	if ((r.dst = store_open(conf, err, errlen)) == NULL)
		return (-1);
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	r.nworkers = r.workers_left = n = workers_wanted(o);
	for (i = 0; i < n; i++) {
		w[i].r = &r;
		w[i].started = pthread_create(&w[i].th, NULL, worker_main, &w[i]) == 0;
		if (!w[i].started) {
			pthread_mutex_lock(&r.mu);
			r.workers_left--;
			pthread_mutex_unlock(&r.mu);
		}
	}
	watch(&r);
	for (i = 0; i < n; i++)
		if (w[i].started)
			pthread_join(w[i].th, NULL);
	for (k = 0; k < r.nretry; k++)
		delivery_row_clear(src, &r.retry[k].row);
	for (i = r.bi; i < r.bn; i++)
		delivery_row_clear(src, &r.batch[i]);
	free(r.retry);
	store_close(r.dst);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
	return (0);
}
