/*
 * NAME
 *	expand_pool 3
 * SUMMARY
 *	a campaign's recipients decided on several threads, taken in order
 * SYNOPSIS
 *	#include "expand_pool.h"
 * DESCRIPTION
 *	See expand_pool.h. Chunk K of the candidates lives in slot
 *	K % EXPAND_POOL_WINDOW: a thread claims the next chunk only when
 *	its slot is free (the chunk WINDOW before it has been taken),
 *	decides it in one read snapshot, and marks the slot ready; the
 *	calling thread waits for the slot of the chunk it takes next,
 *	takes its verdicts in order, and frees the slot. Why: expanding a
 *	campaign of 10,000 recipients on one thread took about a quarter
 *	of its sending's instructions before the first message went out
 *	(issue 14), with the machine's other cores idle.
 * DIAGNOSTICS
 *	See expand_pool.h.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "expand_pool.h"

struct slot {
	struct expand_verdict v[EXPAND_POOL_CHUNK];
	size_t	n;			/* verdicts decided (a chunk stops at an error) */
	int	ready;
};

struct pool {
	const struct conf *conf;
	const int64_t *ids;
	size_t	nids, nchunks;
	const struct expand_pool_fns *fns;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t	next;			/* the next chunk to claim */
	size_t	taken;			/* chunks taken by the caller */
	int	stop;
	int	failed;			/* a thread could not work: FAIL_MSG */
	char	fail_msg[EXPAND_POOL_ERR_MAX + 32];
	struct slot slots[EXPAND_POOL_WINDOW];
};

/* expand_pool_threads - how many deciding threads a list of NIDS gets; 0: decide inline */
int
expand_pool_threads(size_t nids)
{
	long	cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (nids < 2 * EXPAND_POOL_CHUNK)
		return (0);		/* not worth a thread and a store connection */
	if (cpus < 1)
		cpus = 1;
	return (cpus > EXPAND_POOL_THREADS_MAX ? EXPAND_POOL_THREADS_MAX : (int) cpus);
}

/* pool_fail - a thread cannot go on: stop the run with MSG */
static void
pool_fail(struct pool *p, const char *msg)
{
	pthread_mutex_lock(&p->mu);
	if (!p->failed) {
		p->failed = 1;
		snprintf(p->fail_msg, sizeof(p->fail_msg), "%s", msg);
	}
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* claim - the next chunk this thread decides, or -1 when none is left (lock not held) */
static long
claim(struct pool *p)
{
	long	k = -1;

	pthread_mutex_lock(&p->mu);
	while (!p->stop && p->next < p->nchunks && p->next >= p->taken + EXPAND_POOL_WINDOW)
		pthread_cond_wait(&p->cv, &p->mu);
	if (!p->stop && p->next < p->nchunks)
		k = (long) p->next++;
	pthread_mutex_unlock(&p->mu);
	return (k);
}

/* decide_chunk - decide chunk K with store ST into its slot; -1 when the store failed */
static int
decide_chunk(struct pool *p, struct store *st, size_t k)
{
	struct slot *s = &p->slots[k % EXPAND_POOL_WINDOW];
	size_t	first = k * EXPAND_POOL_CHUNK, i, n;
	int	ok = 1;

	n = p->nids - first < EXPAND_POOL_CHUNK ? p->nids - first : EXPAND_POOL_CHUNK;
	if (store_read_begin(st) != STORE_OK)
		return (-1);
	for (i = 0; i < n && ok; i++) {
		memset(&s->v[i], 0, sizeof(s->v[i]));
		s->v[i].id = p->ids[first + i];
		p->fns->decide(p->fns->arg, st, p->ids[first + i], &s->v[i]);
		ok = s->v[i].rv != EXPAND_POOL_ERROR;
	}
	/* A failed read may have ended the snapshot already: nothing to report. */
	(void) store_read_end(st);
	pthread_mutex_lock(&p->mu);
	s->n = i;
	s->ready = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return (0);
}

/* pool_thread - a deciding thread: chunks until none is left or the run stops */
static void *
pool_thread(void *arg)
{
	struct pool *p = arg;
	struct store *st;
	char	err[EXPAND_POOL_ERR_MAX], msg[EXPAND_POOL_ERR_MAX + 16];
	long	k;

	if ((st = store_open(p->conf, err, sizeof(err))) == NULL) {
		snprintf(msg, sizeof(msg), "store: %s", err);
		pool_fail(p, msg);
		return (NULL);
	}
	while ((k = claim(p)) >= 0)
		if (decide_chunk(p, st, (size_t) k) < 0) {
			snprintf(msg, sizeof(msg), "store: %s", store_errmsg(st));
			pool_fail(p, msg);
			break;
		}
	store_close(st);
	return (NULL);
}

/* wait_slot - wait until chunk K is decided (lock not held); its slot, or NULL when stopped */
static struct slot *
wait_slot(struct pool *p, size_t k, char *err, size_t errlen)
{
	struct slot *s = &p->slots[k % EXPAND_POOL_WINDOW];

	pthread_mutex_lock(&p->mu);
	while (!s->ready && !p->failed)
		pthread_cond_wait(&p->cv, &p->mu);
	if (!s->ready) {
		snprintf(err, errlen, "%s", p->fail_msg);
		s = NULL;
	}
	pthread_mutex_unlock(&p->mu);
	return (s);
}

/* take_slot - take the verdicts of S in order; an EX_ code */
static int
take_slot(struct pool *p, struct slot *s, char *err, size_t errlen)
{
	size_t	i;
	int	ex;

	for (i = 0; i < s->n; i++) {
		if (delivery_stop) {
			snprintf(err, errlen, "interrupted");
			return (EX_TEMPFAIL);
		}
		if (s->v[i].rv == EXPAND_POOL_ERROR) {
			snprintf(err, errlen, "%s", s->v[i].err);
			return (s->v[i].ex);
		}
		if ((ex = p->fns->take(p->fns->arg, &s->v[i])) != EX_OK)
			return (ex);
	}
	return (EX_OK);
}

/* take_all - take every chunk in order as the threads decide them; an EX_ code */
static int
take_all(struct pool *p, char *err, size_t errlen)
{
	struct slot *s;
	size_t	k;
	int	ex;

	for (k = 0; k < p->nchunks; k++) {
		if ((s = wait_slot(p, k, err, errlen)) == NULL)
			return (EX_TEMPFAIL);
		if ((ex = take_slot(p, s, err, errlen)) != EX_OK)
			return (ex);
		pthread_mutex_lock(&p->mu);
		s->ready = 0;
		p->taken++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return (EX_OK);
}

/* expand_pool_run - decide IDS on threads, take the verdicts in order; see expand_pool.h */
int
expand_pool_run(const struct conf *conf, const int64_t *ids, size_t nids,
		const struct expand_pool_fns *fns, char *err, size_t errlen)
{
	struct pool *p;
	pthread_t th[EXPAND_POOL_THREADS_MAX];
	int	n = expand_pool_threads(nids), started = 0, i, ex;

	if (n < 1)
		n = 1;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (EX_SOFTWARE);
	}
	p->conf = conf;
	p->ids = ids;
	p->nids = nids;
	p->nchunks = (nids + EXPAND_POOL_CHUNK - 1) / EXPAND_POOL_CHUNK;
	p->fns = fns;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (i = 0; i < n; i++)
		if (pthread_create(&th[started], NULL, pool_thread, p) == 0)
			started++;
	if (started == 0) {
		snprintf(err, errlen, "cannot start a thread");
		ex = EX_OSERR;
	} else
		ex = take_all(p, err, errlen);
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
	return (ex);
}
