/*
 * NAME
 *	campaign 3
 * SUMMARY
 *	durable campaigns: expand, send, resume, status, outbox
 * SYNOPSIS
 *	#include "campaign.h"
 * DESCRIPTION
 *	See campaign.h for the contract. The crash-safety argument:
 *
 *	1. Every recipient has a row before the first message goes out
 *	   (one transaction), so a crash loses nobody: resume sends every
 *	   row still queued.
 *	2. A row is marked "sending (attempt N)" and committed BEFORE the
 *	   transport sees the message, and marked sent after the server's
 *	   250. Both commits cover a worker's batch of rows (the sent marks
 *	   at least every CAMPAIGN_COMMIT_MS). A crash between the two
 *	   leaves "sending": those and only those rows may have reached the
 *	   server already. They are sent again with the same Message-ID
 *	   (fixed in the row), and counted as possible duplicates (some of
 *	   them had not been handed over yet: the count is an upper bound).
 *	3. Rows are only ever read from the store, never from memory of a
 *	   previous run, so resuming any number of times converges.
 *
 *	Threads: a dispatcher (mutex + condition) hands out queued rows
 *	read in batches with its own store connection; each worker has
 *	its own store connection and transport; 4xx retries wait in a
 *	list ordered by due time. The main thread draws the progress.
 * DIAGNOSTICS
 *	Errors on standard error, one line each, without personal data
 *	(customers are named by id). Messages for syslog go through log.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "campaign.h"
#include "compose.h"
#include "hdr.h"
#include "log.h"
#include "store.h"
#include "tmpl.h"
#include "transport.h"
#include "utf8.h"

#define CAMPAIGN_ERR_MAX	512
#define CAMPAIGN_REASON_MAX	300	/* bytes of a reason we store */
#define CAMPAIGN_WORKERS_MAX	64
#define CAMPAIGN_TICK_MS	100	/* progress redraw interval of the main thread */
#define SENDING_PREFIX		"sending (attempt "
#define OPTOUT_TEMPLATE		"optout_confirm"

volatile sig_atomic_t campaign_stop;

/* One queued row in the hands of a worker. */
struct job {
	int64_t id;
	int64_t customer_id;
	char   *message_id;
	int	attempts;		/* attempts made before this one */
	int	was_sending;		/* interrupted after "sending": may be there */
	double	due;			/* retries: not before (monotonic seconds) */
};

struct run {
	const struct conf *conf;
	const struct campaign_opts *o;
	int64_t cid;
	enum category cat;
	struct audience aud;
	const struct compose *comp;
	const char *transport;
	const char *outdir;
	int	max_attempts;
	double	retry_delay;
	double	rate;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct store *dst;		/* the dispatcher's connection */
	struct store_delivery batch[CAMPAIGN_BATCH];
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
	int	fatal;
	char	fatal_msg[CAMPAIGN_ERR_MAX];

	long	sent, failed, skipped, deferred, dups;
};

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double) ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
sleep_until(double when)
{
	double	d;

	while (!campaign_stop && (d = when - mono()) > 0) {
		struct timespec ts;

		if (d > 0.2)
			d = 0.2;	/* stay responsive to signals */
		ts.tv_sec = (time_t) d;
		ts.tv_nsec = (long) ((d - (double) ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}

/* The attempt number recorded in a reason, 0 when none. */
static int
reason_attempts(const char *reason)
{
	const char *p;

	if (reason == NULL || (p = strstr(reason, "(attempt ")) == NULL)
		return (0);
	return (atoi(p + strlen("(attempt ")));
}

/* msgf() for messages, where truncation is acceptable. */
static void __attribute__((format(printf, 3, 4)))
msgf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
run_fatal(struct run *r, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&r->mu);
	if (!r->fatal) {
		r->fatal = 1;
		va_start(ap, fmt);
		vsnprintf(r->fatal_msg, sizeof(r->fatal_msg), fmt, ap);
		va_end(ap);
	}
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

/* ---- the dispatcher ---- */

static int
retry_push(struct run *r, struct job *j)
{
	if (r->nretry == r->capretry) {
		size_t	cap = r->capretry ? r->capretry * 2 : 64;
		struct job *p = realloc(r->retry, cap * sizeof(*p));

		if (p == NULL)
			return (-1);
		r->retry = p;
		r->capretry = cap;
	}
	r->retry[r->nretry++] = *j;
	return (0);
}

/* Move the dispatcher's next row into J. Called with the lock held. */
static void
take_row(struct run *r, struct job *j)
{
	struct store_delivery *d = &r->batch[r->bi++];

	memset(j, 0, sizeof(*j));
	j->id = d->id;
	j->customer_id = d->customer_id;
	j->message_id = d->message_id;
	d->message_id = NULL;
	j->attempts = reason_attempts(d->reason);
	j->was_sending = d->reason != NULL
		&& strncmp(d->reason, SENDING_PREFIX, strlen(SENDING_PREFIX)) == 0;
	store_delivery_clear(d);
	r->inflight++;
}

/*
 * Fill JOBS with up to MAX next jobs; returns how many, 0 when there is
 * none left (or we stop). Rows are shared out between the workers (a
 * worker takes at most its share of the rows read), a retry comes alone.
 */
static int
next_jobs(struct run *r, struct job *jobs, int max)
{
	int	n;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		if (campaign_stop || r->fatal)
			break;
		if (r->bi < r->bn) {
			int	share = (r->bn - r->bi) / (r->nworkers > 0 ? r->nworkers : 1);

			if (share < 1)
				share = 1;
			if (share > max)
				share = max;
			for (n = 0; n < share; n++)
				take_row(r, &jobs[n]);
			pthread_mutex_unlock(&r->mu);
			return (n);
		}
		if (!r->exhausted) {
			r->bi = r->bn = 0;
			n = store_delivery_queued(r->dst, r->cid, r->after, r->batch, CAMPAIGN_BATCH);
			if (n < 0) {
				r->fatal = 1;
				msgf(r->fatal_msg, sizeof(r->fatal_msg), "store: %s",
					 store_errmsg(r->dst));
				break;
			}
			if (n == 0)
				r->exhausted = 1;
			else {
				r->bn = n;
				r->after = r->batch[n - 1].id;
			}
			continue;
		}
		if (r->nretry > 0) {
			size_t	i, best = 0;
			double	now = mono();

			for (i = 1; i < r->nretry; i++)
				if (r->retry[i].due < r->retry[best].due)
					best = i;
			if (r->retry[best].due <= now) {
				jobs[0] = r->retry[best];
				r->retry[best] = r->retry[--r->nretry];
				r->inflight++;
				pthread_mutex_unlock(&r->mu);
				return (1);
			}
			{
				struct timespec ts;
				double	wait = r->retry[best].due - now;

				if (wait > 0.2)
					wait = 0.2;
				clock_gettime(CLOCK_REALTIME, &ts);
				ts.tv_sec += (time_t) wait;
				ts.tv_nsec += (long) ((wait - (double) (time_t) wait) * 1e9);
				if (ts.tv_nsec >= 1000000000L) {
					ts.tv_sec++;
					ts.tv_nsec -= 1000000000L;
				}
				pthread_cond_timedwait(&r->cv, &r->mu, &ts);
			}
			continue;
		}
		if (r->inflight > 0) {
			/* A job in hand may come back as a retry. */
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 200000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&r->cv, &r->mu, &ts);
			continue;
		}
		break;
	}
	pthread_mutex_unlock(&r->mu);
	return (0);
}

/* The job is finished (RETRY: put it back for later). */
static void
job_done(struct run *r, struct job *j, int retry)
{
	pthread_mutex_lock(&r->mu);
	r->inflight--;
	if (retry) {
		if (retry_push(r, j) < 0) {
			free(j->message_id);
			r->fatal = 1;
			msgf(r->fatal_msg, sizeof(r->fatal_msg), "out of memory");
		}
	} else
		free(j->message_id);
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

/* Wait for this message's slot under --rate. */
static void
rate_wait(struct run *r)
{
	double	slot, now;

	if (r->rate <= 0)
		return;
	pthread_mutex_lock(&r->mu);
	now = mono();
	if (r->next_slot < now)
		r->next_slot = now;
	slot = r->next_slot;
	r->next_slot += 1.0 / r->rate;
	pthread_mutex_unlock(&r->mu);
	sleep_until(slot);
}

/* ---- one message ---- */

/*
 * The campaign's possible duplicates are counted in the store, in the
 * transaction that marks the resend, so that the number survives the
 * runs that were killed.
 */
static void
dup_counter(int64_t cid, char *out, size_t len)
{
	snprintf(out, len, "sender.campaign.%lld.possible_duplicates", (long long) cid);
}

struct counter_find {
	const char *name;
	long	value;
};

static int
counter_find(const char *name, long value, void *arg)
{
	struct counter_find *f = arg;

	if (strcmp(name, f->name) == 0) {
		f->value = value;
		return (1);
	}
	return (0);
}

static void
log_store_error(struct run *r, struct store *st, const char *what)
{
	run_fatal(r, "store: %s: %s", what, store_errmsg(st));
}

/* One job in a worker's batch, from its row to the server's answer. */
enum item_state {
	ITEM_NONE = 0,		/* nothing decided: the row is left as it was */
	ITEM_SKIP,		/* record as skipped with REASON */
	ITEM_SEND		/* MSG is ready */
};

struct item {
	struct job j;
	struct store_customer c;
	enum item_state state;
	char   *msg;
	size_t	len;
	int	handed;			/* the transport saw the message */
	int	retry;			/* goes back into the retry list */
	struct transport_result res;
	char	reason[CAMPAIGN_REASON_MAX];
};

static void
item_clear(struct item *it)
{
	free(it->msg);
	store_customer_clear(&it->c);
	memset(it, 0, sizeof(*it));
}

/* Whether the run is stopping: no new message is handed over. */
static int
stopping(struct run *r)
{
	int	stop;

	pthread_mutex_lock(&r->mu);
	stop = campaign_stop || r->fatal;
	pthread_mutex_unlock(&r->mu);
	return (stop);
}

/*
 * Decide one item: read the customer, apply the rules again (the
 * customer may have refused since the expansion), render. Returns -1
 * on an error that stops the run (already reported).
 */
static int
item_prepare(struct run *r, struct store *st, struct item *it)
{
	struct store_contract k;
	struct compose_rcpt rc;
	char	err[CAMPAIGN_ERR_MAX], tok[STORE_TOKEN_MAX];
	int	rv, ret = -1;

	memset(&k, 0, sizeof(k));
	rv = store_customer_get(st, it->j.customer_id, &it->c);
	if (rv == STORE_NOTFOUND) {
		it->state = ITEM_SKIP;
		msgf(it->reason, sizeof(it->reason), "customer deleted");
		return (0);
	}
	if (rv != STORE_OK) {
		log_store_error(r, st, "read customer");
		return (-1);
	}
	rv = audience_check(st, &r->aud, &it->c, &k, it->reason, sizeof(it->reason));
	if (rv < 0) {
		log_store_error(r, st, "check recipient");
		goto done;
	}
	if (rv == AUDIENCE_OUT) {
		msgf(it->reason, sizeof(it->reason), "no active %s contract",
			 r->aud.service_type ? r->aud.service_type : "");
		rv = AUDIENCE_SKIP;
	}
	if (rv == AUDIENCE_SKIP) {
		it->state = ITEM_SKIP;
		ret = 0;
		goto done;
	}
	memset(&rc, 0, sizeof(rc));
	rc.customer_id = it->c.id;
	rc.email = it->c.email;
	rc.name = it->c.name;
	rc.contract = k.id ? &k : NULL;
	rc.message_id = it->j.message_id;
	rc.date = time(NULL);
	if (category_refusable(r->cat)) {
		if (store_token_make(st, it->c.id, r->cat, tok, sizeof(tok)) != STORE_OK) {
			log_store_error(r, st, "make token");
			goto done;
		}
		rc.token = tok;
	}
	rv = compose_message(r->comp, &rc, &it->msg, &it->len, err, sizeof(err));
	if (rv == COMPOSE_BAD_RCPT) {
		it->state = ITEM_SKIP;
		msgf(it->reason, sizeof(it->reason), "%s", err);
		ret = 0;
		goto done;
	}
	if (rv < 0) {
		run_fatal(r, "%s%s", "", err);
		goto done;
	}
	it->state = ITEM_SEND;
	ret = 0;
done:
	store_contract_clear(&k);
	return (ret);
}

/*
 * Mark the batch in one transaction: skipped rows with their reason;
 * rows to send "sending (attempt N)" with their Message-ID in the
 * message log, and a resend of a row found "sending" counted as a
 * possible duplicate. Committed BEFORE the transport sees any of them.
 * Returns -1 when nothing was recorded.
 */
static int
batch_mark(struct run *r, struct store *st, struct item *items, int n)
{
	char	reason[CAMPAIGN_REASON_MAX], counter[64];
	long	skipped = 0, dups = 0;
	int	i, any = 0;

	for (i = 0; i < n; i++)
		if (items[i].state != ITEM_NONE)
			any = 1;
	if (!any)
		return (0);
	dup_counter(r->cid, counter, sizeof(counter));
	if (store_begin(st) != STORE_OK) {
		log_store_error(r, st, "begin");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		struct item *it = &items[i];

		if (it->state == ITEM_SKIP) {
			if (store_delivery_set(st, it->j.id, STORE_DLV_SKIPPED, it->reason) != STORE_OK)
				goto fail;
			skipped++;
		} else if (it->state == ITEM_SEND) {
			msgf(reason, sizeof(reason), SENDING_PREFIX "%d)", it->j.attempts + 1);
			if (store_delivery_set(st, it->j.id, STORE_DLV_QUEUED, reason) != STORE_OK
			    || store_msglog_add(st, it->j.message_id, it->c.id, r->cat, r->cid)
			    != STORE_OK
			    || (it->j.was_sending && store_counter_add(st, counter, 1) != STORE_OK))
				goto fail;
			dups += it->j.was_sending;
		}
	}
	if (store_commit(st) != STORE_OK) {
		log_store_error(r, st, "commit");
		return (-1);
	}
	pthread_mutex_lock(&r->mu);
	r->skipped += skipped;
	r->dups += dups;
	pthread_mutex_unlock(&r->mu);
	return (0);
fail:
	log_store_error(r, st, "mark sending");
	store_rollback(st);
	return (-1);
}

/* Hand one prepared message over; keep the answer for batch_finish(). */
static void
item_send(struct run *r, struct transport *t, struct item *it)
{
	char	name[32];

	rate_wait(r);
	msgf(name, sizeof(name), "%lld", (long long) it->j.id);
	transport_send(t, compose_from(r->comp), it->c.email, name, it->msg, it->len, &it->res);
	it->handed = 1;
	pthread_mutex_lock(&r->mu);
	if (it->res.status == TRANSPORT_OK)
		r->conn_down = 0;
	else if (it->res.status == TRANSPORT_TEMP && it->res.conn_failed && !it->res.maybe_sent) {
		/* Never reached the server: not an attempt at this message. */
		if (++r->conn_down >= r->max_attempts && !r->fatal) {
			r->fatal = 1;
			msgf(r->fatal_msg, sizeof(r->fatal_msg), "cannot deliver: %s%s",
			     it->res.text, " (rows stay queued; run links-sender resume)");
			pthread_cond_broadcast(&r->cv);
		}
	}
	pthread_mutex_unlock(&r->mu);
}

/*
 * The row's new state after the transport's answer, into *STATUS and
 * REASON; 0 when the row stays "sending" (the connection broke after
 * the whole message: the server may have it). Sets IT->retry and the
 * job's retry fields. *COUNTER is the run counter to add one to.
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
		/* Stopped before its turn: the row goes back as it was. */
		*status = STORE_DLV_QUEUED;
		if (j->was_sending)
			msgf(reason, reasonlen, SENDING_PREFIX "%d)", j->attempts);
		else if (j->attempts > 0)
			msgf(reason, reasonlen, "deferred (attempt %d): not sent, the run stopped",
			     j->attempts);
		else
			reason[0] = 0;
		return (1);
	}
	switch (res->status) {
	case TRANSPORT_OK:
		*status = STORE_DLV_SENT;
		reason[0] = 0;
		*counter = &r->sent;
		return (1);
	case TRANSPORT_PERM:
		*status = STORE_DLV_FAILED;
		msgf(reason, reasonlen, "%s", res->text);
		*counter = &r->failed;
		return (1);
	case TRANSPORT_TEMP:
		break;
	}
	if (res->conn_failed && !res->maybe_sent) {
		*status = STORE_DLV_QUEUED;
		msgf(reason, reasonlen, "deferred (attempt %d): %s", j->attempts, res->text);
		if (!stopping(r)) {
			j->was_sending = 0;
			j->due = mono() + r->retry_delay;
			it->retry = 1;
		}
		return (1);
	}
	if (attempt >= r->max_attempts) {
		*status = STORE_DLV_FAILED;
		msgf(reason, reasonlen, "%s (after %d attempts)", res->text, attempt);
		*counter = &r->failed;
		return (1);
	}
	*counter = &r->deferred;
	j->attempts = attempt;
	j->was_sending = res->maybe_sent;
	j->due = mono() + r->retry_delay * attempt;
	if (j->due - mono() > CAMPAIGN_RETRY_MAX)
		j->due = mono() + CAMPAIGN_RETRY_MAX;
	it->retry = 1;
	if (res->maybe_sent)
		return (0);
	*status = STORE_DLV_QUEUED;
	msgf(reason, reasonlen, "deferred (attempt %d): %s", attempt, res->text);
	return (1);
}

/*
 * Record the answers of the batch in one transaction: sent, failed,
 * deferred; rows never handed over (the run stopped) go back to what
 * they were, and their possible-duplicate count is taken back. Until
 * this commit the rows sent stay "sending": a kill in between makes
 * them possible duplicates on resume, which is the documented window.
 */
static void
batch_finish(struct run *r, struct store *st, struct item *items, int n)
{
	char	reason[CAMPAIGN_REASON_MAX], counter[64];
	long   *which[CAMPAIGN_WORKER_BATCH];
	long	undup = 0;
	int	i, any = 0;

	for (i = 0; i < n; i++)
		if (items[i].state == ITEM_SEND)
			any = 1;
	if (!any)
		return;
	dup_counter(r->cid, counter, sizeof(counter));
	if (store_begin(st) != STORE_OK) {
		log_store_error(r, st, "begin");
		goto fail_noretry;
	}
	for (i = 0; i < n; i++) {
		struct item *it = &items[i];
		enum store_delivery_status status;

		which[i] = NULL;
		if (it->state != ITEM_SEND)
			continue;
		if (!item_outcome(r, it, &status, reason, sizeof(reason), &which[i]))
			continue;
		if (store_delivery_set(st, it->j.id, status, reason) != STORE_OK) {
			log_store_error(r, st, "update delivery");
			store_rollback(st);
			goto fail_noretry;
		}
		if (!it->handed && it->j.was_sending) {
			if (store_counter_add(st, counter, -1) != STORE_OK) {
				log_store_error(r, st, "update counter");
				store_rollback(st);
				goto fail_noretry;
			}
			undup++;
		}
		if (it->handed && it->res.status == TRANSPORT_PERM && it->res.rcpt_refused) {
			int	cnt;

			if (store_bounce_record(st, it->c.email, &cnt) != STORE_OK)
				log_warning("campaign %lld: customer %lld: could not record the bounce: %s",
					    (long long) r->cid, (long long) it->c.id, store_errmsg(st));
		}
	}
	if (store_commit(st) != STORE_OK) {
		log_store_error(r, st, "commit");
		goto fail_noretry;
	}
	pthread_mutex_lock(&r->mu);
	for (i = 0; i < n; i++)
		if (items[i].state == ITEM_SEND && which[i] != NULL)
			(*which[i])++;
	r->dups -= undup;
	pthread_mutex_unlock(&r->mu);
	return;
fail_noretry:
	/* The run stops (run_fatal); rows stay as marked: "sending" ones are
	 * possible duplicates for the next run. */
	for (i = 0; i < n; i++)
		items[i].retry = 0;
}

/*
 * Handle the N jobs in ITEMS with store ST and transport T: prepare each,
 * mark them all in one commit, send them, record the answers in one
 * commit (or one every CAMPAIGN_COMMIT_MS while sending). The caller hands each job back with job_done().
 */
static void
process_batch(struct run *r, struct store *st, struct transport *t, struct item *items, int n)
{
	double	since;
	int	i, from;

	for (i = 0; i < n; i++)
		if (item_prepare(r, st, &items[i]) < 0) {
			items[i].state = ITEM_NONE;
			break;		/* the run stops: leave the rest untouched */
		}
	for (; i < n; i++)
		items[i].state = ITEM_NONE;
	if (batch_mark(r, st, items, n) < 0)
		return;
	from = 0;
	since = mono();
	for (i = 0; i < n; i++) {
		if (items[i].state != ITEM_SEND || stopping(r))
			continue;
		item_send(r, t, &items[i]);
		/* A slow batch (--rate, a slow server) records what it has sent
		 * every CAMPAIGN_COMMIT_MS, so that the window a kill turns
		 * into resends stays short in time as well as in rows. */
		if ((mono() - since) * 1000.0 >= CAMPAIGN_COMMIT_MS) {
			batch_finish(r, st, items + from, i + 1 - from);
			from = i + 1;
			since = mono();
		}
	}
	batch_finish(r, st, items + from, n - from);
}

struct worker {
	struct run *r;
	pthread_t th;
	int	started;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->r;
	struct store *st = NULL;
	struct transport *t = NULL;
	struct item *items = NULL;
	struct job jobs[CAMPAIGN_WORKER_BATCH];
	char	err[CAMPAIGN_ERR_MAX];
	int	n, i, take = 1;

	if ((st = store_open(r->conf, err, sizeof(err))) == NULL) {
		run_fatal(r, "%s%s", "store: ", err);
		goto out;
	}
	if (store_set_sync(st, 0) != STORE_OK) {
		log_store_error(r, st, "synchronous");
		goto out;
	}
	if ((t = transport_open(r->conf, r->transport, r->outdir, err, sizeof(err))) == NULL) {
		run_fatal(r, "%s%s", "transport: ", err);
		goto out;
	}
	if ((items = calloc(CAMPAIGN_WORKER_BATCH, sizeof(*items))) == NULL) {
		run_fatal(r, "out of memory");
		goto out;
	}
	/*
	 * A worker takes about CAMPAIGN_COMMIT_MS worth of rows at once,
	 * judged from its last batch (at most CAMPAIGN_WORKER_BATCH): rows
	 * marked "sending" and not yet sent when a kill lands are counted
	 * as possible duplicates, so under --rate or with a slow server the
	 * batches shrink to a few rows, down to one.
	 */
	while ((n = next_jobs(r, jobs, take)) > 0) {
		double	t0 = mono(), per;

		for (i = 0; i < n; i++)
			items[i].j = jobs[i];
		process_batch(r, st, t, items, n);
		per = (mono() - t0) / n;
		take = per * CAMPAIGN_WORKER_BATCH * 1000.0 <= CAMPAIGN_COMMIT_MS
			? CAMPAIGN_WORKER_BATCH : (int) (CAMPAIGN_COMMIT_MS / 1000.0 / per);
		if (take < 1)
			take = 1;
		for (i = 0; i < n; i++) {
			job_done(r, &items[i].j, items[i].retry);
			items[i].j.message_id = NULL;	/* job_done() took it */
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

/* ---- locking ---- */

/* Hold an exclusive lock on STORE_PATH.WHAT.lock; -1 if another process has it. */
static int
lock_take(const struct conf *conf, const char *what, char *err, size_t errlen)
{
	char	path[4096];
	int	fd;

	if (snprintf(path, sizeof(path), "%s.%s.lock", conf_store_path(conf), what)
	    >= (int) sizeof(path)) {
		msgf(err, errlen, "store_path too long");
		return (-1);
	}
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		msgf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		msgf(err, errlen, "%s is being worked on by another links-sender process", what);
		close(fd);
		return (-1);
	}
	return (fd);
}

static void
lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* ---- running a campaign ---- */

static int
workers_for(const struct conf *conf, const char *kind)
{
	if (strcmp(kind, "smtp") == 0)
		return ((int) conf_smtp_connections(conf));
	if (strcmp(kind, "sendmail") == 0)
		return ((int) conf_smtp_connections(conf));
	return (1);
}

static void
print_summary(FILE *fp, struct store *st, int64_t cid, const struct run *r, int finished)
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
	{
		char	name[64];
		struct counter_find f;

		dup_counter(cid, name, sizeof(name));
		f.name = name;
		f.value = 0;
		if (store_counter_each(st, counter_find, &f) != STORE_OK)
			fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
		fprintf(fp, "  possible duplicates: %ld (this run %ld): resent after an interruption "
			"between handing the message over and recording it; same Message-ID\n",
			f.value, r->dups);
	}
	fflush(fp);
}

static int
run_campaign(const struct conf *conf, const struct campaign_opts *o, int64_t cid,
	     enum category cat, const struct audience *aud, const struct compose *comp,
	     struct store *st)
{
	struct run r;
	struct worker w[CAMPAIGN_WORKERS_MAX];
	struct progress *pg = NULL;
	long	counts[4];
	int	n, i, ex = EX_OK, finished = 0;
	char	err[CAMPAIGN_ERR_MAX];

	memset(&r, 0, sizeof(r));
	r.conf = conf;
	r.o = o;
	r.cid = cid;
	r.cat = cat;
	r.aud = *aud;
	r.aud.cat = cat;
	r.comp = comp;
	r.transport = o->transport ? o->transport : conf_transport(conf);
	r.outdir = o->outdir;
	r.max_attempts = (int) conf_smtp_max_attempts(conf);
	r.retry_delay = o->retry_delay >= 0 ? (double) o->retry_delay : CAMPAIGN_RETRY_DELAY;
	r.rate = o->rate >= 0 ? (double) o->rate : (double) conf_send_rate(conf);
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	if ((r.dst = store_open(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "links-sender: %s\n", err);
		ex = EX_TEMPFAIL;
		goto out;
	}
	if (store_delivery_counts(st, cid, counts) != STORE_OK) {
		fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
		ex = EX_TEMPFAIL;
		goto out;
	}
	n = workers_for(conf, r.transport);
	if (n > CAMPAIGN_WORKERS_MAX)
		n = CAMPAIGN_WORKERS_MAX;
	if (n > counts[STORE_DLV_QUEUED])
		n = counts[STORE_DLV_QUEUED] > 0 ? (int) counts[STORE_DLV_QUEUED] : 1;
	pg = progress_new(stderr, counts[STORE_DLV_QUEUED], o->progress);
	r.workers_left = n;
	r.nworkers = n;
	for (i = 0; i < n; i++) {
		w[i].r = &r;
		w[i].started = pthread_create(&w[i].th, NULL, worker_main, &w[i]) == 0;
		if (!w[i].started) {
			pthread_mutex_lock(&r.mu);
			r.workers_left--;
			pthread_mutex_unlock(&r.mu);
		}
	}
	for (;;) {
		int	left;
		long	s, f, k;

		pthread_mutex_lock(&r.mu);
		left = r.workers_left;
		s = r.sent;
		f = r.failed;
		k = r.skipped;
		pthread_mutex_unlock(&r.mu);
		progress_update(pg, s, f, k);
		if (left == 0)
			break;
		{
			struct timespec ts = {0, CAMPAIGN_TICK_MS * 1000000L};

			nanosleep(&ts, NULL);
		}
	}
	for (i = 0; i < n; i++)
		if (w[i].started)
			pthread_join(w[i].th, NULL);
	progress_done(pg);
	pg = NULL;
	for (i = 0; (size_t) i < r.nretry; i++)
		free(r.retry[i].message_id);
	for (i = r.bi; i < r.bn; i++)
		store_delivery_clear(&r.batch[i]);
	if (r.fatal) {
		fprintf(stderr, "links-sender: campaign %lld: %s\n", (long long) cid, r.fatal_msg);
		log_error("campaign %lld stopped: %s", (long long) cid, r.fatal_msg);
	}
	if (store_delivery_counts(st, cid, counts) == STORE_OK && counts[STORE_DLV_QUEUED] == 0) {
		finished = 1;
		if (store_campaign_finish(st, cid) != STORE_OK)
			fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
	}
	print_summary(stdout, st, cid, &r, finished);
	log_info("campaign %lld: sent %ld failed %ld skipped %ld possible-duplicates %ld%s",
		 (long long) cid, r.sent, r.failed, r.skipped, r.dups, finished ? " finished" : "");
	ex = finished ? EX_OK : EX_TEMPFAIL;
out:
	progress_done(pg);
	free(r.retry);
	store_close(r.dst);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
	return (ex);
}

/* ---- parameters kept with the campaign ---- */

static char *
params_json(const struct campaign_opts *o)
{
	json_t *root = json_object(), *set = json_object();
	char   *s = NULL;
	size_t	i;

	if (root == NULL || set == NULL)
		goto done;
	for (i = 0; i < o->nset; i++) {
		const char *eq = strchr(o->set[i], '=');
		char	key[TMPL_KEY_MAX + 1];
		size_t	kl = (size_t) (eq - o->set[i]);

		memcpy(key, o->set[i], kl);
		key[kl] = 0;
		json_object_set_new(set, key, json_string(eq + 1));
	}
	json_object_set(root, "set", set);
	if (o->aud.service_type)
		json_object_set_new(root, "service_type", json_string(o->aud.service_type));
	if (o->aud.service_ref)
		json_object_set_new(root, "service_ref", json_string(o->aud.service_ref));
	if (o->staff_from)
		json_object_set_new(root, "from", json_string(o->staff_from));
	s = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
done:
	json_decref(set);
	json_decref(root);
	return (s);
}

/* A --set value: UTF-8 text; line breaks and tabs allowed (bodies), no other controls. */
static int
set_value_ok(const char *v)
{
	size_t	len = strlen(v), i;

	if (len > TMPL_VALUE_MAX || !utf8_valid(v, len))
		return (0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char) v[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return (0);
	}
	return (1);
}

/* Check and load --set values into a new tmpl_vars. */
static struct tmpl_vars *
set_vars(const struct campaign_opts *o, char *err, size_t errlen)
{
	struct tmpl_vars *v = tmpl_vars_new(NULL);
	size_t	i;

	if (v == NULL) {
		msgf(err, errlen, "out of memory");
		return (NULL);
	}
	for (i = 0; i < o->nset; i++) {
		const char *eq = strchr(o->set[i], '=');
		char	key[TMPL_KEY_MAX + 1];
		size_t	kl = eq ? (size_t) (eq - o->set[i]) : 0;

		if (eq == NULL || kl == 0 || kl > TMPL_KEY_MAX) {
			msgf(err, errlen, "--set %s: expected key=value", o->set[i]);
			goto fail;
		}
		memcpy(key, o->set[i], kl);
		key[kl] = 0;
		if (!tmpl_key_valid(key)) {
			msgf(err, errlen, "--set %s: a key is made of a-z 0-9 _ -", key);
			goto fail;
		}
		if (compose_reserved_key(key)) {
			msgf(err, errlen, "--set %s: that placeholder comes from the customer or links.conf",
				 key);
			goto fail;
		}
		if (!set_value_ok(eq + 1)) {
			msgf(err, errlen, "--set %s: value is not UTF-8 text, has control characters "
			     "or is longer than %d bytes", key, TMPL_VALUE_MAX);
			goto fail;
		}
		if (tmpl_vars_set(v, key, eq + 1) < 0) {
			msgf(err, errlen, "--set %s: cannot set", key);
			goto fail;
		}
	}
	return (v);
fail:
	tmpl_vars_free(v);
	return (NULL);
}

/* ---- send ---- */

struct expand {
	struct store *st;
	const struct compose *comp;
	const struct audience *aud;
	int64_t cid;
	int	dry;
	struct transport *t;		/* dry run */
	long	queued, skipped, out;
};

/* Decide and record (or, dry, render) one recipient. Returns an EX_ code. */
static int
expand_one(struct expand *e, int64_t id, char *err, size_t errlen)
{
	struct store_customer c;
	struct store_contract k;
	struct compose_rcpt rc;
	char	reason[CAMPAIGN_REASON_MAX], mid[COMPOSE_ID_MAX], tok[STORE_TOKEN_MAX];
	char	cerr[CAMPAIGN_ERR_MAX];
	int	rv, ex = EX_OK;

	memset(&c, 0, sizeof(c));
	memset(&k, 0, sizeof(k));
	if ((rv = store_customer_get(e->st, id, &c)) != STORE_OK) {
		msgf(err, errlen, "customer %lld: %s", (long long) id, store_errmsg(e->st));
		return (rv == STORE_TEMP ? EX_TEMPFAIL : EX_SOFTWARE);
	}
	if (compose_message_id(e->comp, mid, sizeof(mid)) < 0) {
		msgf(err, errlen, "no randomness for a Message-ID");
		ex = EX_SOFTWARE;
		goto done;
	}
	rv = audience_check(e->st, e->aud, &c, &k, reason, sizeof(reason));
	if (rv < 0) {
		msgf(err, errlen, "customer %lld: %s", (long long) id, store_errmsg(e->st));
		ex = rv == STORE_TEMP ? EX_TEMPFAIL : EX_SOFTWARE;
		goto done;
	}
	if (rv == AUDIENCE_OUT) {
		e->out++;
		goto done;
	}
	if (rv == AUDIENCE_SEND) {
		memset(&rc, 0, sizeof(rc));
		rc.customer_id = c.id;
		rc.email = c.email;
		rc.name = c.name;
		rc.contract = k.id ? &k : NULL;
		rc.message_id = mid;
		rc.date = time(NULL);
		rv = compose_check(e->comp, &rc, cerr, sizeof(cerr));
		if (rv == COMPOSE_BAD_RCPT) {
			msgf(reason, sizeof(reason), "%s", cerr);
		} else if (rv < 0) {
			msgf(err, errlen, "customer %lld: %s", (long long) id, cerr);
			ex = EX_DATAERR;
			goto done;
		} else if (e->dry) {
			char   *msg = NULL, name[48];
			size_t	len;
			struct transport_result res;

			if (category_refusable(e->aud->cat)) {
				if (store_token_make(e->st, c.id, e->aud->cat, tok, sizeof(tok)) != STORE_OK) {
					msgf(err, errlen, "token: %s", store_errmsg(e->st));
					ex = EX_SOFTWARE;
					goto done;
				}
				rc.token = tok;
			}
			if (compose_message(e->comp, &rc, &msg, &len, cerr, sizeof(cerr)) < 0) {
				msgf(err, errlen, "customer %lld: %s", (long long) id, cerr);
				ex = EX_DATAERR;
				goto done;
			}
			msgf(name, sizeof(name), "dry-run-%lld", (long long) c.id);
			transport_send(e->t, compose_from(e->comp), c.email, name, msg, len, &res);
			free(msg);
			if (res.status != TRANSPORT_OK) {
				msgf(err, errlen, "dry run: %s", res.text);
				ex = EX_CANTCREAT;
				goto done;
			}
		}
		if (rv == 0) {
			if (!e->dry && store_delivery_add(e->st, e->cid, c.id, mid, STORE_DLV_QUEUED, "")
			    != STORE_OK) {
				msgf(err, errlen, "store: %s", store_errmsg(e->st));
				ex = EX_TEMPFAIL;
				goto done;
			}
			e->queued++;
			goto done;
		}
	}
	/* Skipped, with the reason. */
	if (e->dry)
		fprintf(stderr, "customer %lld: skipped: %s\n", (long long) c.id, reason);
	else if (store_delivery_add(e->st, e->cid, c.id, mid, STORE_DLV_SKIPPED, reason) != STORE_OK) {
		msgf(err, errlen, "store: %s", store_errmsg(e->st));
		ex = EX_TEMPFAIL;
		goto done;
	}
	e->skipped++;
done:
	store_customer_clear(&c);
	store_contract_clear(&k);
	return (ex);
}

int
campaign_send(const struct conf *conf, const struct campaign_opts *o)
{
	struct store *st = NULL;
	struct tmpl *t = NULL;
	struct tmpl_vars *set = NULL;
	struct compose *comp = NULL;
	struct expand e;
	int64_t *ids = NULL, cid = 0;
	size_t	nids = 0, i;
	char	err[CAMPAIGN_ERR_MAX], lockname[64];
	char   *params = NULL, *desc = NULL;
	int	ex = EX_SOFTWARE, in_tx = 0, lock = -1;

	memset(&e, 0, sizeof(e));
	if ((t = tmpl_load(conf_template_dir(conf), o->template_name, err, sizeof(err))) == NULL) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (errno == ENOENT ? EX_NOINPUT : EX_DATAERR);
	}
	if ((set = set_vars(o, err, sizeof(err))) == NULL) {
		ex = EX_USAGE;
		goto fail;
	}
	if ((comp = compose_new(conf, o->aud.cat, t, set, o->staff_from, err, sizeof(err))) == NULL) {
		ex = EX_USAGE;
		goto fail;
	}
	if ((st = store_open(conf, err, sizeof(err))) == NULL) {
		ex = EX_TEMPFAIL;
		goto fail;
	}
	if (audience_select(st, &o->aud, &ids, &nids, err, sizeof(err)) < 0) {
		ex = EX_DATAERR;
		goto fail;
	}
	e.st = st;
	e.comp = comp;
	e.aud = &o->aud;
	e.dry = o->dry_run;
	if (o->dry_run) {
		if ((e.t = transport_open(conf, "dir", o->outdir, err, sizeof(err))) == NULL) {
			ex = EX_CANTCREAT;
			goto fail;
		}
		for (i = 0; i < nids; i++)
			if ((ex = expand_one(&e, ids[i], err, sizeof(err))) != EX_OK)
				goto fail;
		fprintf(o->outdir && strcmp(o->outdir, "-") == 0 ? stderr : stdout,
			"dry run (%s): %ld messages rendered, %ld skipped; nothing was sent or recorded\n",
			category_name(o->aud.cat), e.queued, e.skipped);
		ex = EX_OK;
		goto done;
	}
	if ((params = params_json(o)) == NULL || (desc = audience_describe(&o->aud)) == NULL) {
		msgf(err, sizeof(err), "out of memory");
		goto fail;
	}
	/* Everything in one transaction: all rows or none. */
	if (store_begin(st) != STORE_OK) {
		msgf(err, sizeof(err), "store: %s", store_errmsg(st));
		ex = EX_TEMPFAIL;
		goto fail;
	}
	in_tx = 1;
	if (store_campaign_create(st, o->aud.cat, o->template_name, desc, params, &cid) != STORE_OK) {
		msgf(err, sizeof(err), "store: %s", store_errmsg(st));
		ex = EX_TEMPFAIL;
		goto fail;
	}
	e.cid = cid;
	for (i = 0; i < nids; i++)
		if (campaign_stop || (ex = expand_one(&e, ids[i], err, sizeof(err))) != EX_OK) {
			if (campaign_stop) {
				msgf(err, sizeof(err), "interrupted");
				ex = EX_TEMPFAIL;
			}
			goto fail;
		}
	if (store_commit(st) != STORE_OK) {
		msgf(err, sizeof(err), "store: %s", store_errmsg(st));
		ex = EX_TEMPFAIL;
		goto fail;
	}
	in_tx = 0;
	printf("campaign %lld created: %s, template %s, %ld queued, %ld skipped\n",
	       (long long) cid, category_name(o->aud.cat), o->template_name, e.queued, e.skipped);
	fflush(stdout);
	log_info("campaign %lld created: category %s template %s queued %ld skipped %ld",
		 (long long) cid, category_name(o->aud.cat), o->template_name, e.queued, e.skipped);
	msgf(lockname, sizeof(lockname), "campaign-%lld", (long long) cid);
	if ((lock = lock_take(conf, lockname, err, sizeof(err))) < 0) {
		ex = EX_TEMPFAIL;
		goto fail;
	}
	ex = run_campaign(conf, o, cid, o->aud.cat, &o->aud, comp, st);
	goto done;

fail:
	fprintf(stderr, "links-sender: %s%s\n", err,
		in_tx ? " (nothing was recorded or sent)" : "");
	if (in_tx)
		store_rollback(st);
done:
	lock_release(lock);
	transport_close(e.t);
	free(params);
	free(desc);
	free(ids);
	compose_free(comp);
	tmpl_vars_free(set);
	tmpl_free(t);
	store_close(st);
	return (ex);
}

/* ---- resume ---- */

int
campaign_resume(const struct conf *conf, int64_t id, const struct campaign_opts *o)
{
	struct store *st = NULL;
	struct store_campaign c;
	struct tmpl *t = NULL;
	struct tmpl_vars *set = NULL;
	struct compose *comp = NULL;
	struct audience aud;
	struct campaign_opts ro = *o;
	json_t *root = NULL, *js, *v;
	json_error_t jerr;
	const char *key;
	char	err[CAMPAIGN_ERR_MAX], lockname[64];
	char	*setbuf[CAMPAIGN_SET_MAX];
	size_t	nbuf = 0, i;
	int	ex = EX_SOFTWARE, lock = -1, r;

	memset(&c, 0, sizeof(c));
	memset(&aud, 0, sizeof(aud));
	if ((st = store_open(conf, err, sizeof(err))) == NULL) {
		ex = EX_TEMPFAIL;
		goto fail;
	}
	if ((r = store_campaign_get(st, id, &c)) == STORE_NOTFOUND) {
		msgf(err, sizeof(err), "no campaign %lld", (long long) id);
		ex = EX_NOINPUT;
		goto fail;
	} else if (r != STORE_OK) {
		msgf(err, sizeof(err), "store: %s", store_errmsg(st));
		ex = EX_TEMPFAIL;
		goto fail;
	}
	msgf(lockname, sizeof(lockname), "campaign-%lld", (long long) id);
	if ((lock = lock_take(conf, lockname, err, sizeof(err))) < 0) {
		ex = EX_TEMPFAIL;
		goto fail;
	}
	if ((root = json_loads(c.params ? c.params : "{}", 0, &jerr)) == NULL || !json_is_object(root)) {
		msgf(err, sizeof(err), "campaign %lld: unreadable parameters", (long long) id);
		ex = EX_DATAERR;
		goto fail;
	}
	ro.nset = 0;
	ro.staff_from = NULL;
	js = json_object_get(root, "set");
	json_object_foreach(js, key, v) {
		if (nbuf >= CAMPAIGN_SET_MAX || !json_is_string(v))
			break;
		if (asprintf(&setbuf[nbuf], "%s=%s", key, json_string_value(v)) < 0)
			break;
		ro.set[ro.nset++] = setbuf[nbuf++];
	}
	if ((v = json_object_get(root, "service_type")) && json_is_string(v))
		aud.service_type = json_string_value(v);
	if ((v = json_object_get(root, "service_ref")) && json_is_string(v))
		aud.service_ref = json_string_value(v);
	if ((v = json_object_get(root, "from")) && json_is_string(v))
		ro.staff_from = json_string_value(v);
	aud.cat = c.category;
	ro.aud = aud;
	ro.template_name = c.template_name;
	if ((t = tmpl_load(conf_template_dir(conf), c.template_name, err, sizeof(err))) == NULL) {
		ex = EX_NOINPUT;
		goto fail;
	}
	if ((set = set_vars(&ro, err, sizeof(err))) == NULL
	    || (comp = compose_new(conf, c.category, t, set, ro.staff_from, err, sizeof(err))) == NULL) {
		ex = EX_DATAERR;
		goto fail;
	}
	printf("resuming campaign %lld (%s, template %s)\n", (long long) id,
	       category_name(c.category), c.template_name);
	fflush(stdout);
	ex = run_campaign(conf, &ro, id, c.category, &aud, comp, st);
	goto done;
fail:
	fprintf(stderr, "links-sender: %s\n", err);
done:
	lock_release(lock);
	for (i = 0; i < nbuf; i++)
		free(setbuf[i]);
	json_decref(root);
	compose_free(comp);
	tmpl_vars_free(set);
	tmpl_free(t);
	store_campaign_clear(&c);
	store_close(st);
	return (ex);
}

/* ---- status ---- */

struct status_ctx {
	struct store *st;
	FILE   *fp;
	int	err;
};

static int
status_one(const struct store_campaign *c, void *arg)
{
	struct status_ctx *s = arg;
	long	n[4];
	char	when[32];
	struct tm tm;

	if (store_delivery_counts(s->st, c->id, n) != STORE_OK) {
		s->err = 1;
		return (1);
	}
	gmtime_r(&c->created, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	fprintf(s->fp, "%-6lld %-16s %-11s %-20s %-9s %7ld %7ld %7ld %7ld %7ld\n",
		(long long) c->id, when, category_name(c->category), c->template_name,
		c->finished ? "finished" : "open", n[0] + n[1] + n[2] + n[3],
		n[STORE_DLV_SENT], n[STORE_DLV_FAILED], n[STORE_DLV_SKIPPED], n[STORE_DLV_QUEUED]);
	return (0);
}

int
campaign_status(const struct conf *conf, int64_t id, FILE *fp)
{
	struct store *st;
	struct status_ctx s;
	char	err[CAMPAIGN_ERR_MAX];
	int	r, ex = EX_OK;

	if ((st = store_open(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (EX_TEMPFAIL);
	}
	s.st = st;
	s.fp = fp;
	s.err = 0;
	fprintf(fp, "%-6s %-16s %-11s %-20s %-9s %7s %7s %7s %7s %7s\n", "id", "created (UTC)",
		"category", "template", "state", "total", "sent", "failed", "skipped", "queued");
	if (id > 0) {
		struct store_campaign c;

		memset(&c, 0, sizeof(c));
		r = store_campaign_get(st, id, &c);
		if (r == STORE_OK) {
			status_one(&c, &s);
			fprintf(fp, "audience: %s\n", c.audience ? c.audience : "");
		} else if (r == STORE_NOTFOUND) {
			fprintf(stderr, "links-sender: no campaign %lld\n", (long long) id);
			ex = EX_NOINPUT;
		} else
			s.err = 1;
		store_campaign_clear(&c);
	} else if (store_campaign_each(st, status_one, &s) < 0)
		s.err = 1;
	if (s.err) {
		fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
		ex = EX_TEMPFAIL;
	}
	store_close(st);
	return (ex);
}

/* ---- outbox ---- */

int
campaign_outbox(const struct conf *conf, const struct campaign_opts *o)
{
	struct store *st = NULL;
	struct tmpl *t = NULL;
	struct compose *comp = NULL;
	struct transport *tr = NULL;
	struct store_outbox rows[CAMPAIGN_BATCH];
	struct audience aud;
	int64_t after = 0;
	long	sent = 0, failed = 0, left = 0, dups = 0;
	char	err[CAMPAIGN_ERR_MAX];
	int	n = 0, i, ex = EX_OK, lock = -1, stop = 0;

	err[0] = 0;
	memset(&aud, 0, sizeof(aud));
	aud.cat = CATEGORY_ACCOUNT;
	if ((lock = lock_take(conf, "outbox", err, sizeof(err))) < 0) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (EX_TEMPFAIL);
	}
	if ((st = store_open(conf, err, sizeof(err))) == NULL) {
		ex = EX_TEMPFAIL;
		goto fail;
	}
	if ((t = tmpl_load(conf_template_dir(conf), OPTOUT_TEMPLATE, err, sizeof(err))) == NULL
	    || (comp = compose_new(conf, CATEGORY_ACCOUNT, t, NULL, NULL, err, sizeof(err))) == NULL) {
		ex = EX_CONFIG;
		goto fail;
	}
	if ((tr = transport_open(conf, o->transport, o->outdir, err, sizeof(err))) == NULL) {
		ex = EX_CONFIG;
		goto fail;
	}
	while (!stop && !campaign_stop
	       && (n = store_outbox_pending(st, after, rows, CAMPAIGN_BATCH)) > 0) {
		for (i = 0; i < n; i++) {
			struct store_outbox *ob = &rows[i];
			struct store_customer c;
			struct store_contract k;
			struct store_msglog ml;
			struct compose_rcpt rc;
			struct transport_result res;
			char	reason[CAMPAIGN_REASON_MAX], name[48];
			char   *msg = NULL;
			size_t	len;
			int	rv;

			after = ob->id;
			memset(&c, 0, sizeof(c));
			memset(&k, 0, sizeof(k));
			if (stop || campaign_stop) {
				left++;
				continue;
			}
			if (strcmp(ob->template_name, OPTOUT_TEMPLATE) != 0) {
				store_outbox_done(st, ob->id, 0, "unknown template");
				failed++;
				continue;
			}
			rv = store_customer_get(st, ob->customer_id, &c);
			if (rv == STORE_NOTFOUND) {
				store_outbox_done(st, ob->id, 0, "customer deleted");
				failed++;
				continue;
			}
			if (rv != STORE_OK) {
				msgf(err, sizeof(err), "store: %s", store_errmsg(st));
				stop = 1;
				left++;
				continue;
			}
			rv = audience_check(st, &aud, &c, &k, reason, sizeof(reason));
			if (rv == AUDIENCE_SKIP) {
				store_outbox_done(st, ob->id, 0, reason);
				failed++;
				goto next;
			}
			memset(&rc, 0, sizeof(rc));
			rc.customer_id = c.id;
			rc.email = c.email;
			rc.name = c.name;
			rc.contract = k.id ? &k : NULL;
			rc.message_id = ob->message_id;
			rc.date = time(NULL);
			if ((rv = compose_message(comp, &rc, &msg, &len, err, sizeof(err))) < 0) {
				if (rv == COMPOSE_BAD_RCPT) {
					store_outbox_done(st, ob->id, 0, err);
					failed++;
					goto next;
				}
				stop = 1;
				left++;
				ex = EX_DATAERR;
				goto next;
			}
			/* Logged before sending: a second run knows it may be a duplicate. */
			if (store_msglog_find(st, ob->message_id, &ml) == STORE_OK)
				dups++;
			if (store_msglog_add(st, ob->message_id, c.id, CATEGORY_ACCOUNT, 0) != STORE_OK) {
				msgf(err, sizeof(err), "store: %s", store_errmsg(st));
				stop = 1;
				left++;
				goto next;
			}
			msgf(name, sizeof(name), "outbox-%lld", (long long) ob->id);
			transport_send(tr, compose_from(comp), c.email, name, msg, len, &res);
			if (res.status == TRANSPORT_OK) {
				store_outbox_done(st, ob->id, 1, "");
				sent++;
			} else if (res.status == TRANSPORT_PERM) {
				store_outbox_done(st, ob->id, 0, res.text);
				failed++;
			} else {
				/* Stays pending: the next run (timer) tries again. */
				left++;
				if (res.conn_failed) {
					msgf(err, sizeof(err), "%s", res.text);
					stop = 1;
				}
			}
next:
			free(msg);
			store_customer_clear(&c);
			store_contract_clear(&k);
		}
		for (i = 0; i < n; i++)
			store_outbox_clear(&rows[i]);
	}
	if (n < 0) {
		msgf(err, sizeof(err), "store: %s", store_errmsg(st));
		stop = 1;
		ex = EX_TEMPFAIL;
	}
	if (stop && *err)
		fprintf(stderr, "links-sender: outbox: %s\n", err);
	printf("outbox: sent %ld, failed %ld, left for later %ld, possible duplicates %ld\n",
	       sent, failed, left, dups);
	log_info("outbox: sent %ld failed %ld left %ld possible-duplicates %ld", sent, failed, left, dups);
	if (left > 0 && ex == EX_OK)
		ex = EX_TEMPFAIL;
	goto done;
fail:
	fprintf(stderr, "links-sender: %s\n", err);
done:
	transport_close(tr);
	compose_free(comp);
	tmpl_free(t);
	store_close(st);
	lock_release(lock);
	return (ex);
}
