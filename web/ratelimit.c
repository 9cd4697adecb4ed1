/*
 * NAME
 *	ratelimit 3
 * SUMMARY
 *	per-client request budgets (token buckets) in bounded memory
 * SYNOPSIS
 *	#include "ratelimit.h"
 * DESCRIPTION
 *	See ratelimit.h. The hash is FNV-1a over a random seed and the
 *	client name, finished with a 64-bit mixer; slot 0 of the hash space
 *	is kept to mean "free".
 * DIAGNOSTICS
 *	See ratelimit.h.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "ratelimit.h"

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL
#define SECONDS_PER_MINUTE 60.0

struct bucket {
	uint64_t hash;			/* 0: free */
	double	tokens;
	double	last;			/* monotonic seconds of the last refill */
};

struct ratelimit {
	pthread_mutex_t lock;
	double	capacity;		/* tokens; also the refill per minute */
	size_t	nslots;
	uint64_t seed;
	struct bucket *slot;
};

/* now_seconds - monotonic time in seconds */
static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double) ts.tv_sec + (double) ts.tv_nsec / 1e9);
}

/* hash_of - a client's 64-bit hash, never 0 */
static uint64_t
hash_of(const struct ratelimit *rl, const char *s)
{
	uint64_t h = FNV_OFFSET ^ rl->seed;

	for (; *s; s++) {
		h ^= (unsigned char) *s;
		h *= FNV_PRIME;
	}
	/* splitmix64's finaliser: every input bit reaches every output bit */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (h ? h : 1);
}

/* ratelimit_new - SLOTS buckets of PER_MINUTE tokens */
struct ratelimit *
ratelimit_new(long per_minute, size_t slots)
{
	struct ratelimit *rl;

	if (slots < RATELIMIT_PROBE)
		slots = RATELIMIT_PROBE;
	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return (NULL);
	if ((rl->slot = calloc(slots, sizeof(rl->slot[0]))) == NULL) {
		free(rl);
		return (NULL);
	}
	rl->nslots = slots;
	rl->capacity = per_minute > 0 ? (double) per_minute : 0;
	if (getrandom(&rl->seed, sizeof(rl->seed), 0) != (ssize_t) sizeof(rl->seed))
		rl->seed = (uint64_t) time(NULL) ^ ((uint64_t) getpid() << 32);
	pthread_mutex_init(&rl->lock, NULL);
	return (rl);
}

/* ratelimit_free - release the table */
void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slot);
	free(rl);
}

/* find_bucket - CLIENT's bucket, or the idlest slot near it made new. */
static struct bucket *
find_bucket(struct ratelimit *rl, uint64_t h, double now)
{
	struct bucket *b, *victim = NULL;
	size_t	i, at = (size_t) (h % rl->nslots);

	for (i = 0; i < RATELIMIT_PROBE; i++) {
		b = &rl->slot[(at + i) % rl->nslots];
		if (b->hash == h)
			return (b);
		if (victim == NULL)
			victim = b;
		else if (victim->hash != 0 && (b->hash == 0 || b->last < victim->last))
			victim = b;	/* a free slot first, else the idlest */
	}
	victim->hash = h;
	victim->tokens = rl->capacity;
	victim->last = now;
	return (victim);
}

/* ratelimit_take - spend COST from CLIENT's bucket; 0, or the seconds to wait */
long
ratelimit_take(struct ratelimit *rl, const char *client, double cost)
{
	struct bucket *b;
	double	now, wait;
	long	ret = 0;

	if (rl == NULL || rl->capacity <= 0)
		return (0);
	now = now_seconds();
	pthread_mutex_lock(&rl->lock);
	b = find_bucket(rl, hash_of(rl, client), now);
	b->tokens += (now - b->last) * rl->capacity / SECONDS_PER_MINUTE;
	if (b->tokens > rl->capacity)
		b->tokens = rl->capacity;
	b->last = now;
	if (b->tokens >= cost)
		b->tokens -= cost;
	else {
		wait = (cost - b->tokens) * SECONDS_PER_MINUTE / rl->capacity;
		ret = (long) wait;
		if ((double) ret < wait || ret < 1)
			ret++;		/* whole seconds, rounded up, at least 1 */
	}
	pthread_mutex_unlock(&rl->lock);
	return (ret);
}
