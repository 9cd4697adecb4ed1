/*
 * NAME
 *	pool 3
 * SUMMARY
 *	store connections shared by links-web's request threads
 * SYNOPSIS
 *	#include "pool.h"
 * DESCRIPTION
 *	See pool.h. Each connection handed out is remembered with the
 *	generation it was opened in; pool_flush() starts a new generation,
 *	so one from before is closed instead of kept when it comes back.
 * DIAGNOSTICS
 *	See pool.h.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pool.h"

struct pool_out {
	struct store *st;
	unsigned long gen;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	size_t	max;
	size_t	open;			/* idle and handed out */
	size_t	nidle;
	struct store **idle;		/* MAX slots */
	struct pool_out *out;		/* MAX slots */
	unsigned long gen;
};

/* pool_new - a pool of at most MAX connections */
struct pool *
pool_new(size_t max)
{
	struct pool *p;
	pthread_condattr_t ca;

	if (max == 0 || (p = calloc(1, sizeof(*p))) == NULL)
		return (NULL);
	if ((p->idle = calloc(max, sizeof(p->idle[0]))) == NULL
	    || (p->out = calloc(max, sizeof(p->out[0]))) == NULL) {
		free(p->idle);
		free(p);
		return (NULL);
	}
	p->max = max;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->freed, &ca);
	pthread_condattr_destroy(&ca);
	return (p);
}

/* hand_out - note ST as out in this generation (lock held; a slot is free). */
static void
hand_out(struct pool *p, struct store *st)
{
	size_t	i;

	for (i = 0; i < p->max; i++)
		if (p->out[i].st == NULL) {
			p->out[i].st = st;
			p->out[i].gen = p->gen;
			return;
		}
}

/* pool_get - a connection for this request, opened or waited for */
struct store *
pool_get(struct pool *p, const struct conf *c, long wait_ms, char *err, size_t errlen)
{
	struct store *st = NULL;
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	while (p->nidle == 0 && p->open >= p->max)
		if (pthread_cond_timedwait(&p->freed, &p->lock, &until) == ETIMEDOUT
		    && p->nidle == 0 && p->open >= p->max) {
			pthread_mutex_unlock(&p->lock);
			snprintf(err, errlen, "all %zu store connections stayed busy for %ld ms",
				 p->max, wait_ms);
			return (NULL);
		}
	if (p->nidle > 0) {
		st = p->idle[--p->nidle];
		hand_out(p, st);
		pthread_mutex_unlock(&p->lock);
		return (st);
	}
	p->open++;			/* this slot is ours while we open */
	pthread_mutex_unlock(&p->lock);
	st = store_open(c, err, errlen);
	pthread_mutex_lock(&p->lock);
	if (st == NULL) {
		p->open--;
		pthread_cond_signal(&p->freed);
	} else
		hand_out(p, st);
	pthread_mutex_unlock(&p->lock);
	return (st);
}

/* pool_put - give a connection back (closed when stale) */
void
pool_put(struct pool *p, struct store *st)
{
	int	keep = 0;
	size_t	i;

	if (st == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->max; i++)
		if (p->out[i].st == st) {
			keep = p->out[i].gen == p->gen;
			p->out[i].st = NULL;
			break;
		}
	if (keep)
		p->idle[p->nidle++] = st;
	else
		p->open--;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
	if (!keep)
		store_close(st);
}

/* pool_flush - close the idle connections; the others when they come back */
void
pool_flush(struct pool *p)
{
	size_t	i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->nidle; i++)
		store_close(p->idle[i]);
	p->open -= p->nidle;
	p->nidle = 0;
	p->gen++;
	pthread_cond_broadcast(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

/* pool_free - close everything */
void
pool_free(struct pool *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nidle; i++)
		store_close(p->idle[i]);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	free(p->idle);
	free(p->out);
	free(p);
}
