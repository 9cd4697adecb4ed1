/*
 * NAME
 *	group 3
 * SUMMARY
 *	group commit: many requests' changes in one transaction, one fsync
 * SYNOPSIS
 *	#include "group.h"
 * DESCRIPTION
 *	See group.h. The queue is a list of requests living on their
 *	threads' stacks, oldest first, under one mutex; one condition
 *	variable wakes the waiters when a batch is done.
 * DIAGNOSTICS
 *	See group.h.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>

#include "group.h"

struct group_req {
	const void *key;
	int	(*fn)(struct store *, void *);
	void   *arg;
	int	rc;
	int	done;
	struct group_req *next;
};

struct group {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct group_req *queue;	/* oldest first */
	int	leader;
};

/* group_new - an empty queue */
struct group *
group_new(void)
{
	struct group *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return (NULL);
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	return (g);
}

/* group_free - release the queue (nobody may wait in it) */
void
group_free(struct group *g)
{
	if (g == NULL)
		return;
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

/* batch_run - BATCH in one transaction on ST, each in a savepoint. */
static void
batch_run(struct store *st, struct group_req *batch)
{
	struct group_req *q;
	int	rc;

	if ((rc = store_begin(st)) != STORE_OK) {
		for (q = batch; q; q = q->next)
			q->rc = rc;
		return;
	}
	for (q = batch; q; q = q->next) {
		if ((q->rc = store_begin(st)) != STORE_OK)	/* a savepoint */
			continue;
		q->rc = q->fn(st, q->arg);
		if (q->rc == STORE_OK && (q->rc = store_commit(st)) == STORE_OK)
			continue;
		(void) store_rollback(st);
	}
	if ((rc = store_commit(st)) != STORE_OK) {
		(void) store_rollback(st);
		for (q = batch; q; q = q->next)
			if (q->rc == STORE_OK)
				q->rc = rc;
	}
}

/* group_write - queue a change, lead or wait, return once it is durable */
int
group_write(struct group *g, const void *key, struct store *st,
	    int (*fn)(struct store *st, void *arg), void *arg)
{
	struct group_req req = {key, fn, arg, STORE_TEMP, 0, NULL}, **tail;

	pthread_mutex_lock(&g->mu);
	for (tail = &g->queue; *tail; tail = &(*tail)->next)
		;
	*tail = &req;
	while (!req.done) {
		struct group_req *batch = NULL, **bt = &batch, **qp, *q;
		int	n = 0;

		if (g->leader) {
			pthread_cond_wait(&g->cv, &g->mu);
			continue;
		}
		g->leader = 1;
		for (qp = &g->queue; *qp && n < GROUP_MAX;) {
			q = *qp;
			if (q->key != key) {
				qp = &q->next;
				continue;
			}
			*qp = q->next;
			q->next = NULL;
			*bt = q;
			bt = &q->next;
			n++;
		}
		pthread_mutex_unlock(&g->mu);
		batch_run(st, batch);
		pthread_mutex_lock(&g->mu);
		while (batch) {
			q = batch;
			batch = q->next;
			q->next = NULL;
			q->done = 1;
		}
		g->leader = 0;
		pthread_cond_broadcast(&g->cv);
	}
	pthread_mutex_unlock(&g->mu);
	return (req.rc);
}
