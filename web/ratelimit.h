/*
 * NAME
 *	ratelimit 3h
 * SUMMARY
 *	per-client request budgets (token buckets) in bounded memory
 * SYNOPSIS
 *	#include "ratelimit.h"
 *
 *	struct ratelimit *ratelimit_new(long per_minute, size_t slots);
 *	long	ratelimit_take(struct ratelimit *rl, const char *client, double cost);
 *	void	ratelimit_free(struct ratelimit *rl);
 * DESCRIPTION
 *	Each client (any string: links-web uses the client's address) has
 *	a bucket of PER_MINUTE tokens that refills continuously at
 *	PER_MINUTE a minute, so a client may send PER_MINUTE requests at
 *	once and then PER_MINUTE a minute. PER_MINUTE 0 turns the limit
 *	off. ratelimit_take() spends COST tokens from CLIENT's bucket.
 *
 *	Memory is SLOTS buckets, allocated once; a client is found by a
 *	64-bit hash of its name (seeded at random per process, so a client
 *	cannot aim at another's slot) among RATELIMIT_PROBE neighbouring
 *	slots. A new client takes the slot idle longest among those, so
 *	the table never grows; a client evicted that way starts again with
 *	a full bucket, which costs nothing for the idle ones it mostly
 *	hits. Thread-safe (one mutex). ratelimit_new()'s result belongs
 *	to the caller: release it with ratelimit_free().
 * DIAGNOSTICS
 *	ratelimit_new() returns NULL when out of memory. ratelimit_take()
 *	returns 0 when the request may go on, or else the whole seconds
 *	(at least 1) after which it would be allowed: the Retry-After of
 *	the 429 answer.
 */
#ifndef LINKS_RATELIMIT_H
#define LINKS_RATELIMIT_H

#include <stddef.h>

#define RATELIMIT_PROBE		8	/* slots searched per client */

struct ratelimit;

struct ratelimit *ratelimit_new(long per_minute, size_t slots);
long	ratelimit_take(struct ratelimit *rl, const char *client, double cost);
void	ratelimit_free(struct ratelimit *rl);

#endif
