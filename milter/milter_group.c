/*
 * NAME
 *	milter_group 3
 * SUMMARY
 *	links-milter group commit
 * SYNOPSIS
 *	#include "milter_group.h"
 * DESCRIPTION
 *	See milter_group.h. The queue and the leader flag are guarded by
 *	one mutex; each waiting thread sleeps on its request's semaphore,
 *	which the leader posts when the request is done, or when it is the
 *	oldest one left and must lead the next group. The leader posts
 *	after it released the mutex, and a thread whose request is done
 *	returns without taking the mutex again: with a condition variable
 *	signalled under the mutex, each member of a batch woke only to
 *	block on the mutex the leader still held, and the members then
 *	went through it one after the other (a convoy of context switches
 *	at the end of every group). A request counts the posts announced
 *	to it (under the mutex) and its thread returns only once it has
 *	received them all, so no post reaches a request that has returned.
 * DIAGNOSTICS
 *	See milter_group.h.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "milter_group.h"
#include "milter_store.h"

#define MGROUP_ERR_MAX	256

struct mgroup_req {
	struct mcfg *cfg;
	int64_t key;			/* the batch runs in ascending order; 0 last */
	mgroup_fn fn;
	void   *arg;
	char   *err;
	size_t	errlen;
	int	rc;
	int	stored;			/* its counters went into the commit */
	int	own;			/* it failed in its own savepoint */
	atomic_int done;		/* set last, with release, by the leader */
	atomic_uint posts;		/* posts of SEM announced (mutex held) */
	sem_t	sem;			/* its thread waits here */
	struct mgroup_req *next;
};

static pthread_mutex_t mgroup_mu = PTHREAD_MUTEX_INITIALIZER;
static struct mgroup_req *mgroup_queue;	/* oldest first */
static int mgroup_leader;

/* mgroup_fail - every request of BATCH without a failure of its own fails with RC, WHAT */
static void
mgroup_fail(struct mgroup_req *batch, int rc, const char *what)
{
	for (struct mgroup_req *q = batch; q; q = q->next) {
		if (q->rc != STORE_OK && q->err[0] != 0)
			continue;
		q->rc = rc;
		q->stored = 0;
		snprintf(q->err, q->errlen, "%s", what);
	}
}

/* mgroup_one - run request Q in a savepoint of its own; its deltas into D */
static void
mgroup_one(struct store *st, struct mgroup_req *q, long d[MSTAT_COUNT])
{
	long	mine[MSTAT_COUNT];
	int	rc;

	if ((rc = store_begin(st)) != STORE_OK) {
		q->rc = rc;
		snprintf(q->err, q->errlen, "savepoint: %.200s", store_errmsg(st));
		return;
	}
	memset(mine, 0, sizeof(mine));
	rc = q->fn(st, q->arg, mine, q->err, q->errlen);
	if (rc == STORE_OK && (rc = store_commit(st)) != STORE_OK)
		snprintf(q->err, q->errlen, "release: %.200s", store_errmsg(st));
	if (rc != STORE_OK) {
		(void) store_rollback(st);
		q->rc = rc;
		q->own = 1;
		return;
	}
	q->rc = STORE_OK;
	for (int i = 0; i < MSTAT_COUNT; i++)
		d[i] += mine[i];
}

/* mgroup_commit - the pending and the batch's counters, then one commit */
static int
mgroup_commit(struct store *st, struct mgroup_req *batch, const long d[MSTAT_COUNT],
	      char *what, size_t whatlen)
{
	int	rc;

	if ((rc = mstats_store(st, d)) != STORE_OK)
		snprintf(what, whatlen, "store_counter_add: %.200s", store_errmsg(st));
	else if ((rc = store_commit(st)) != STORE_OK)
		snprintf(what, whatlen, "store_commit: %.200s", store_errmsg(st));
	if (rc == STORE_OK)
		return (STORE_OK);
	(void) store_rollback(st);
	for (struct mgroup_req *q = batch; q; q = q->next)
		if (q->rc == STORE_OK) {
			q->rc = rc;
			snprintf(q->err, q->errlen, "%s", what);
		}
	return (rc);
}

/* mgroup_retry_one - request Q alone in transactions of its own; 0, or -1 when the store is gone */
static int
mgroup_retry_one(struct store *st, struct mgroup_req *q)
{
	long	mine[MSTAT_COUNT];
	int	rc;

	for (int n = 0; n < MGROUP_RETRY_MAX && q->rc == STORE_TEMP; n++) {
		log_info("group commit: a message's writes failed (%.200s): running them alone",
			 q->err);
		if (store_begin(st) != STORE_OK)
			return (-1);
		memset(mine, 0, sizeof(mine));
		q->err[0] = 0;
		rc = q->fn(st, q->arg, mine, q->err, q->errlen);
		if (rc == STORE_OK && (rc = mstats_store(st, mine)) != STORE_OK)
			snprintf(q->err, q->errlen, "store_counter_add: %.200s", store_errmsg(st));
		if (rc == STORE_OK && (rc = store_commit(st)) != STORE_OK)
			snprintf(q->err, q->errlen, "store_commit: %.200s", store_errmsg(st));
		if (rc != STORE_OK)
			(void) store_rollback(st);
		q->rc = rc;
		q->stored = rc == STORE_OK;
	}
	return (0);
}

/*
 * mgroup_retry - after the batch's commit, each request that failed
 * temporarily in its own savepoint once more, alone: two milters on one
 * PostgreSQL (two MX hosts) whose batches lock the same customers in a
 * different order deadlock, and the server aborts one side's statement
 * (40P01); a serialization failure (40001) or lock timeout is the same
 * kind of conflict. Alone, after the commit released the batch's locks,
 * the request no longer holds what the other side waits for. -1 when
 * the store could not begin a transaction (the connection is suspect).
 */
static int
mgroup_retry(struct store *st, struct mgroup_req *batch)
{
	for (struct mgroup_req *q = batch; q; q = q->next)
		if (q->own && q->rc == STORE_TEMP && mgroup_retry_one(st, q) != 0)
			return (-1);
	return (0);
}

/*
 * mgroup_fast - the batch without savepoints (store_set_flat()): each
 * request's writes straight into the transaction, their deltas and
 * PENDING into D; 0 when every one succeeded. When one fails, the
 * writes of the requests before it cannot be kept apart from its own:
 * the whole transaction is rolled back and begun again, and 1 is
 * returned for the caller to run the batch in savepoints (-1 with
 * WHAT when it could not begin again). A request whose own write
 * failed keeps that failure as its run in the batch (marked own, as
 * mgroup_one() does: the savepoint pass skips it, the retries alone
 * follow), so a request runs as often as without this pass; one
 * whose write succeeded but left a failed level inside (store_spoiled())
 * runs again in its savepoint. Failures are rare; savepoints
 * cost every request their statements and SQLite's copies of the
 * pages they change.
 */
static int
mgroup_fast(struct store *st, struct mgroup_req *batch, const long pending[MSTAT_COUNT],
	    long d[MSTAT_COUNT], char *what, size_t whatlen)
{
	long	mine[MSTAT_COUNT];
	struct mgroup_req *q, *own = NULL;
	int	rc = STORE_OK;

	memcpy(d, pending, MSTAT_COUNT * sizeof(d[0]));
	store_set_flat(st, 1);
	for (q = batch; q && rc == STORE_OK; q = q->next) {
		memset(mine, 0, sizeof(mine));
		q->err[0] = 0;
		if ((rc = q->fn(st, q->arg, mine, q->err, q->errlen)) != STORE_OK)
			own = q;
		else if (store_spoiled(st))
			rc = STORE_ERR;	/* a level inside failed: its writes are in */
		q->rc = rc;
		for (int i = 0; i < MSTAT_COUNT && rc == STORE_OK; i++)
			d[i] += mine[i];
	}
	store_set_flat(st, 0);
	if (rc == STORE_OK)
		return (0);
	(void) store_rollback(st);
	for (q = batch; q; q = q->next) {
		if (q == own) {
			q->own = 1;	/* its failure stands; the savepoint pass skips it */
			continue;
		}
		q->rc = STORE_TEMP;
		q->err[0] = 0;
	}
	memcpy(d, pending, MSTAT_COUNT * sizeof(d[0]));
	if ((rc = store_begin(st)) != STORE_OK) {
		snprintf(what, whatlen, "store_begin: %.200s", store_errmsg(st));
		return (-1);
	}
	return (1);
}

/* mgroup_run - the leader's work: BATCH (all of CFG) in one transaction */
static void
mgroup_run(struct mcfg *cfg, struct mgroup_req *batch)
{
	long	pending[MSTAT_COUNT], d[MSTAT_COUNT];
	char	err[MGROUP_ERR_MAX], what[MGROUP_ERR_MAX];
	long	busy_ms = conf_store_busy_timeout(mcfg_conf(cfg));
	struct store *st;
	int	rc;

	for (struct mgroup_req *q = batch; q; q = q->next) {
		q->rc = STORE_TEMP;
		q->err[0] = 0;
	}
	if ((st = mstore_writer_lock(cfg, busy_ms, err, sizeof(err))) == NULL) {
		mgroup_fail(batch, STORE_TEMP, err);
		return;
	}
	if ((rc = store_begin(st)) != STORE_OK) {
		snprintf(what, sizeof(what), "store_begin: %.200s", store_errmsg(st));
		mstore_writer_discard();
		mstore_write_unlock_budget(NULL, busy_ms);
		mgroup_fail(batch, rc, what);
		return;
	}
	mstats_take(pending);
	if ((rc = mgroup_fast(st, batch, pending, d, what, sizeof(what))) < 0) {
		mstats_give_back(pending);
		mstore_writer_discard();
		mstore_write_unlock_budget(NULL, busy_ms);
		mgroup_fail(batch, STORE_TEMP, what);
		return;
	}
	for (struct mgroup_req *q = batch; q && rc == 1; q = q->next)
		if (!q->own)
			mgroup_one(st, q, d);
	rc = mgroup_commit(st, batch, d, what, sizeof(what));
	if (rc != STORE_OK) {
		mstats_give_back(pending);
		mstore_writer_discard();
		mstore_write_unlock_budget(NULL, busy_ms);
		return;
	}
	for (struct mgroup_req *q = batch; q; q = q->next)
		q->stored = q->rc == STORE_OK;
	if (mgroup_retry(st, batch) != 0) {
		mstore_writer_discard();
		st = NULL;
	}
	mstore_write_unlock_budget(st, busy_ms);
}

/* mgroup_before - whether request A runs before B in a batch: ascending keys, 0 last */
static int
mgroup_before(const struct mgroup_req *a, const struct mgroup_req *b)
{
	if (a->key == 0)
		return (0);
	return (b->key == 0 || a->key < b->key);
}

/*
 * mgroup_take - unlink up to MGROUP_MAX queued requests of CFG (lock
 * held), as a batch in ascending key order (arrival order among equal
 * keys). The key is the customer whose row the request locks first:
 * two milters on one PostgreSQL (two MX hosts) whose batches hold the
 * same customers then take their locks in the same order and wait for
 * each other instead of deadlocking (40P01) and running again alone.
 */
static struct mgroup_req *
mgroup_take(struct mcfg *cfg)
{
	struct mgroup_req *batch = NULL, **bt, **qp;
	int	n = 0;

	for (qp = &mgroup_queue; *qp && n < MGROUP_MAX;) {
		struct mgroup_req *q = *qp;

		if (q->cfg != cfg) {
			qp = &q->next;
			continue;
		}
		*qp = q->next;
		for (bt = &batch; *bt && !mgroup_before(q, *bt); bt = &(*bt)->next)
			;
		q->next = *bt;
		*bt = q;
		n++;
	}
	return (batch);
}

/*
 * mgroup_hand_on - the leader (request SELF) is done with BATCH (lock
 * held): mark each member done, and the oldest waiting request to lead
 * the next group; the requests to post go into WAKE (at most
 * MGROUP_MAX + 1), their number is returned. The caller posts them once
 * it released the lock.
 */
static size_t
mgroup_hand_on(struct mgroup_req *batch, struct mgroup_req *self, struct mgroup_req **wake)
{
	size_t	n = 0;

	while (batch) {
		struct mgroup_req *q = batch;

		batch = q->next;
		q->next = NULL;
		if (q != self) {
			atomic_fetch_add_explicit(&q->posts, 1, memory_order_relaxed);
			wake[n++] = q;
		}
		atomic_store_explicit(&q->done, 1, memory_order_release);
	}
	mgroup_leader = 0;
	if (mgroup_queue != NULL) {
		atomic_fetch_add_explicit(&mgroup_queue->posts, 1, memory_order_relaxed);
		wake[n++] = mgroup_queue;
	}
	return (n);
}

/* mgroup_sem_wait - wait for one post of SEM */
static void
mgroup_sem_wait(sem_t *sem)
{
	while (sem_wait(sem) != 0 && errno == EINTR)
		;
}

/* mgroup_lead - lead one group (lock held, and held again on return) */
static void
mgroup_lead(struct mcfg *cfg, struct mgroup_req *self)
{
	struct mgroup_req *batch, *wake[MGROUP_MAX + 1];
	size_t	n;

	mgroup_leader = 1;
	batch = mgroup_take(cfg);
	pthread_mutex_unlock(&mgroup_mu);
	mgroup_run(cfg, batch);
	pthread_mutex_lock(&mgroup_mu);
	n = mgroup_hand_on(batch, self, wake);
	pthread_mutex_unlock(&mgroup_mu);
	for (size_t i = 0; i < n; i++)
		sem_post(&wake[i]->sem);
	pthread_mutex_lock(&mgroup_mu);
}

/* mgroup_write - run FN(ARG) in the next group commit, in KEY order; its STORE_ code */
int
mgroup_write(struct mcfg *cfg, int64_t key, mgroup_fn fn, void *arg, int *stored,
	     char *err, size_t errlen)
{
	struct mgroup_req req, **tail;
	unsigned received = 0, announced;

	memset(&req, 0, sizeof(req));
	req.cfg = cfg;
	req.key = key;
	req.fn = fn;
	req.arg = arg;
	req.err = err;
	req.errlen = errlen;
	err[0] = 0;
	atomic_init(&req.done, 0);
	atomic_init(&req.posts, 0);
	if (sem_init(&req.sem, 0, 0) != 0) {
		snprintf(err, errlen, "sem_init: %s", strerror(errno));
		return (STORE_TEMP);
	}
	pthread_mutex_lock(&mgroup_mu);
	for (tail = &mgroup_queue; *tail; tail = &(*tail)->next)
		;
	*tail = &req;
	while (!atomic_load_explicit(&req.done, memory_order_acquire)) {
		if (!mgroup_leader) {
			mgroup_lead(cfg, &req);
			continue;
		}
		pthread_mutex_unlock(&mgroup_mu);
		mgroup_sem_wait(&req.sem);
		received++;
		/* Done, and nothing more announced: return without the lock. */
		if (atomic_load_explicit(&req.done, memory_order_acquire)
		    && received == atomic_load_explicit(&req.posts, memory_order_relaxed))
			goto out;
		pthread_mutex_lock(&mgroup_mu);
	}
	announced = atomic_load_explicit(&req.posts, memory_order_relaxed);
	pthread_mutex_unlock(&mgroup_mu);
	/* A post announced before the request was done is still on its way. */
	for (; received < announced; received++)
		mgroup_sem_wait(&req.sem);
out:
	sem_destroy(&req.sem);
	*stored = req.stored;
	return (req.rc);
}
