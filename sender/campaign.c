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
 *	   transport sees the message, and marked sent right after the
 *	   server's 250. A crash between the two leaves "sending": that
 *	   and only that row may have reached the server already. It is
 *	   sent again with the same Message-ID (fixed in the row), and
 *	   counted as a possible duplicate.
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
	enum store_category cat;
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

/* Fill J with the next job; 0 when there is none left (or we stop). */
static int
next_job(struct run *r, struct job *j)
{
	int	n;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		if (campaign_stop || r->fatal)
			break;
		if (r->bi < r->bn) {
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
			pthread_mutex_unlock(&r->mu);
			return (1);
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
				*j = r->retry[best];
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

static void
count(struct run *r, long *counter)
{
	pthread_mutex_lock(&r->mu);
	(*counter)++;
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

static int
set_row(struct run *r, struct store *st, int64_t id, enum store_delivery_status s,
	const char *reason)
{
	if (store_delivery_set(st, id, s, reason) != STORE_OK) {
		log_store_error(r, st, "update delivery");
		return (-1);
	}
	return (0);
}

/*
 * Handle job J with store ST and transport T. Returns 1 when J goes back
 * into the retry list, else 0.
 */
static int
process(struct run *r, struct store *st, struct transport *t, struct job *j)
{
	struct store_customer c;
	struct store_contract k;
	struct compose_rcpt rc;
	struct transport_result res;
	char	reason[CAMPAIGN_REASON_MAX], err[CAMPAIGN_ERR_MAX], tok[STORE_TOKEN_MAX];
	char	name[32], counter[64];
	char   *msg = NULL;
	size_t	len = 0;
	int	rv, attempt = j->attempts + 1, retry = 0;

	memset(&c, 0, sizeof(c));
	memset(&k, 0, sizeof(k));
	rv = store_customer_get(st, j->customer_id, &c);
	if (rv == STORE_NOTFOUND) {
		if (set_row(r, st, j->id, STORE_DLV_SKIPPED, "customer deleted") == 0)
			count(r, &r->skipped);
		goto done;
	}
	if (rv != STORE_OK) {
		log_store_error(r, st, "read customer");
		goto done;
	}
	/* The rules again: the customer may have refused since the expansion. */
	rv = audience_check(st, &r->aud, &c, &k, reason, sizeof(reason));
	if (rv < 0) {
		log_store_error(r, st, "check recipient");
		goto done;
	}
	if (rv == AUDIENCE_OUT) {
		msgf(reason, sizeof(reason), "no active %s contract",
			 r->aud.service_type ? r->aud.service_type : "");
		rv = AUDIENCE_SKIP;
	}
	if (rv == AUDIENCE_SKIP) {
		if (set_row(r, st, j->id, STORE_DLV_SKIPPED, reason) == 0)
			count(r, &r->skipped);
		goto done;
	}
	memset(&rc, 0, sizeof(rc));
	rc.customer_id = c.id;
	rc.email = c.email;
	rc.name = c.name;
	rc.contract = k.id ? &k : NULL;
	rc.message_id = j->message_id;
	rc.date = time(NULL);
	if (store_category_refusable(r->cat)) {
		if (store_token_make(st, c.id, r->cat, tok, sizeof(tok)) != STORE_OK) {
			log_store_error(r, st, "make token");
			goto done;
		}
		rc.token = tok;
	}
	rv = compose_message(r->comp, &rc, &msg, &len, err, sizeof(err));
	if (rv == COMPOSE_BAD_RCPT) {
		if (set_row(r, st, j->id, STORE_DLV_SKIPPED, err) == 0)
			count(r, &r->skipped);
		goto done;
	}
	if (rv < 0) {
		run_fatal(r, "%s%s", "", err);
		goto done;
	}

	/* Committed before the transport sees the message. */
	msgf(reason, sizeof(reason), SENDING_PREFIX "%d)", attempt);
	if (store_begin(st) != STORE_OK) {
		log_store_error(r, st, "begin");
		goto done;
	}
	dup_counter(r->cid, counter, sizeof(counter));
	if (store_delivery_set(st, j->id, STORE_DLV_QUEUED, reason) != STORE_OK
	    || store_msglog_add(st, j->message_id, c.id, r->cat, r->cid) != STORE_OK
	    || (j->was_sending && store_counter_add(st, counter, 1) != STORE_OK)) {
		log_store_error(r, st, "mark sending");
		store_rollback(st);
		goto done;
	}
	if (store_commit(st) != STORE_OK) {
		log_store_error(r, st, "commit");
		goto done;
	}
	if (j->was_sending)
		count(r, &r->dups);

	rate_wait(r);
	msgf(name, sizeof(name), "%lld", (long long) j->id);
	transport_send(t, compose_from(r->comp), c.email, name, msg, len, &res);

	switch (res.status) {
	case TRANSPORT_OK:
		if (set_row(r, st, j->id, STORE_DLV_SENT, "") == 0)
			count(r, &r->sent);
		pthread_mutex_lock(&r->mu);
		r->conn_down = 0;
		pthread_mutex_unlock(&r->mu);
		break;
	case TRANSPORT_PERM:
		msgf(reason, sizeof(reason), "%s", res.text);
		if (set_row(r, st, j->id, STORE_DLV_FAILED, reason) == 0)
			count(r, &r->failed);
		if (res.rcpt_refused) {
			int	n;

			if (store_bounce_record(st, c.email, &n) != STORE_OK)
				log_warning("campaign %lld: customer %lld: could not record the bounce: %s",
					    (long long) r->cid, (long long) c.id, store_errmsg(st));
		}
		break;
	case TRANSPORT_TEMP:
		if (res.conn_failed && !res.maybe_sent) {
			/* Never reached the server: not an attempt at this message. */
			int	down;

			msgf(reason, sizeof(reason), "deferred (attempt %d): %s", j->attempts,
				 res.text);
			if (set_row(r, st, j->id, STORE_DLV_QUEUED, reason) < 0)
				break;
			pthread_mutex_lock(&r->mu);
			down = ++r->conn_down;
			pthread_mutex_unlock(&r->mu);
			if (down >= r->max_attempts) {
				run_fatal(r, "cannot deliver: %s%s", res.text,
					  " (rows stay queued; run links-sender resume)");
				break;
			}
			j->was_sending = 0;
			j->due = mono() + r->retry_delay;
			retry = 1;
			break;
		}
		if (attempt >= r->max_attempts) {
			msgf(reason, sizeof(reason), "%s (after %d attempts)", res.text, attempt);
			if (set_row(r, st, j->id, STORE_DLV_FAILED, reason) == 0)
				count(r, &r->failed);
			break;
		}
		/* A broken connection after the body: leave "sending" in place. */
		if (!res.maybe_sent) {
			msgf(reason, sizeof(reason), "deferred (attempt %d): %s", attempt, res.text);
			if (set_row(r, st, j->id, STORE_DLV_QUEUED, reason) < 0)
				break;
		}
		count(r, &r->deferred);
		j->attempts = attempt;
		j->was_sending = res.maybe_sent;
		j->due = mono() + r->retry_delay * attempt;
		if (j->due - mono() > CAMPAIGN_RETRY_MAX)
			j->due = mono() + CAMPAIGN_RETRY_MAX;
		retry = 1;
		break;
	}
done:
	free(msg);
	store_customer_clear(&c);
	store_contract_clear(&k);
	return (retry);
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
	char	err[CAMPAIGN_ERR_MAX];
	struct job j;

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
	while (next_job(r, &j))
		job_done(r, &j, process(r, st, t, &j));
out:
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

	if (snprintf(path, sizeof(path), "%s.%s.lock", conf_str(conf, "store_path"), what)
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
		return ((int) conf_int(conf, "smtp_connections"));
	if (strcmp(kind, "sendmail") == 0)
		return ((int) conf_int(conf, "smtp_connections"));
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
	     enum store_category cat, const struct audience *aud, const struct compose *comp,
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
	r.transport = o->transport ? o->transport : conf_str(conf, "transport");
	r.outdir = o->outdir;
	r.max_attempts = (int) conf_int(conf, "smtp_max_attempts");
	r.retry_delay = o->retry_delay >= 0 ? (double) o->retry_delay : CAMPAIGN_RETRY_DELAY;
	r.rate = o->rate >= 0 ? (double) o->rate : (double) conf_int(conf, "send_rate");
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

	if (len > TMPL_VALUE_MAX || !hdr_utf8_valid(v, len))
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

			if (store_category_refusable(e->aud->cat)) {
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
	if ((t = tmpl_load(conf_str(conf, "template_dir"), o->template_name, err, sizeof(err))) == NULL) {
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
			store_category_name(o->aud.cat), e.queued, e.skipped);
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
	       (long long) cid, store_category_name(o->aud.cat), o->template_name, e.queued, e.skipped);
	fflush(stdout);
	log_info("campaign %lld created: category %s template %s queued %ld skipped %ld",
		 (long long) cid, store_category_name(o->aud.cat), o->template_name, e.queued, e.skipped);
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
	if ((t = tmpl_load(conf_str(conf, "template_dir"), c.template_name, err, sizeof(err))) == NULL) {
		ex = EX_NOINPUT;
		goto fail;
	}
	if ((set = set_vars(&ro, err, sizeof(err))) == NULL
	    || (comp = compose_new(conf, c.category, t, set, ro.staff_from, err, sizeof(err))) == NULL) {
		ex = EX_DATAERR;
		goto fail;
	}
	printf("resuming campaign %lld (%s, template %s)\n", (long long) id,
	       store_category_name(c.category), c.template_name);
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
		(long long) c->id, when, store_category_name(c->category), c->template_name,
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
	aud.cat = STORE_CAT_ACCOUNT;
	if ((lock = lock_take(conf, "outbox", err, sizeof(err))) < 0) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (EX_TEMPFAIL);
	}
	if ((st = store_open(conf, err, sizeof(err))) == NULL) {
		ex = EX_TEMPFAIL;
		goto fail;
	}
	if ((t = tmpl_load(conf_str(conf, "template_dir"), OPTOUT_TEMPLATE, err, sizeof(err))) == NULL
	    || (comp = compose_new(conf, STORE_CAT_ACCOUNT, t, NULL, NULL, err, sizeof(err))) == NULL) {
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
			if (store_msglog_add(st, ob->message_id, c.id, STORE_CAT_ACCOUNT, 0) != STORE_OK) {
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
