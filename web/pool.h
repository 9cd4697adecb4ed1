/*
 * NAME
 *	pool 3h
 * SUMMARY
 *	store connections shared by links-web's request threads
 * SYNOPSIS
 *	#include "pool.h"
 *
 *	struct pool *pool_new(size_t max);
 *	struct store *pool_get(struct pool *p, const struct conf *c, long wait_ms,
 *			char *err, size_t errlen);
 *	void	pool_put(struct pool *p, struct store *st);
 *	void	pool_flush(struct pool *p);
 *	void	pool_free(struct pool *p);
 * DESCRIPTION
 *	A struct store is one connection and is not thread-safe; opening
 *	one reads the key file and checks the schema. links-web serves each
 *	HTTP connection in a thread of its own, so a request takes a
 *	connection from the pool and gives it back when done. At most MAX
 *	connections exist: they are opened with configuration C when
 *	needed and kept; a request that finds all MAX in use waits for one
 *	at most WAIT_MS milliseconds (a store request takes micro- to
 *	milliseconds; only the one-at-a-time writes wait longer, and they
 *	wait in the group commit, group.h).
 *
 *	pool_flush() closes every idle connection (after a reload: the
 *	store path or key may have changed); one taken before the flush is
 *	closed when it comes back. Thread-safe. pool_new()'s result belongs
 *	to the caller (pool_free()). A store from pool_get() belongs to the
 *	caller until pool_put().
 * DIAGNOSTICS
 *	pool_new() returns NULL when out of memory. pool_get() returns NULL
 *	with store_open()'s message in ERR, or one saying that every
 *	connection stayed busy for WAIT_MS.
 */
#ifndef LINKS_POOL_H
#define LINKS_POOL_H

#include <stddef.h>

#include "conf.h"
#include "store.h"

struct pool;

struct pool *pool_new(size_t max);
struct store *pool_get(struct pool *p, const struct conf *c, long wait_ms, char *err,
		       size_t errlen);
void	pool_put(struct pool *p, struct store *st);
void	pool_flush(struct pool *p);
void	pool_free(struct pool *p);

#endif
