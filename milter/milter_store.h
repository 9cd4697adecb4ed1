/*
 * NAME
 *	milter_store 3h
 * SUMMARY
 *	links-milter store connections: a pool of read connections that a
 *	thread holds for one message's reads, and the in-process write lock
 * SYNOPSIS
 *	#include "milter_store.h"
 *
 *	struct store *mstore_get(struct mcfg *cfg, char *err, size_t errlen);
 *	void	mstore_put(void);
 *	void	mstore_discard(void);
 *	struct store *mstore_writer_lock(struct mcfg *cfg, long budget_ms, char *err, size_t errlen);
 *	void	mstore_writer_discard(void);
 *	void	mstore_pool_clear(void);
 *	int	mstore_write_lock(long timeout_ms);
 *	void	mstore_write_unlock(void);
 *	int	mstore_write_lock_budget(struct store *st, long budget_ms);
 *	void	mstore_write_unlock_budget(struct store *st, long busy_ms);
 *	int	mstore_wal_rewind(struct mcfg *cfg, char *err, size_t errlen);
 * DESCRIPTION
 *	mstore_get() returns the store connection the calling thread
 *	holds, opened with CFG's configuration; a thread that holds none
 *	takes the idle connection given back last, or opens one when none
 *	is idle (it never waits for one). A connection opened with another
 *	configuration (before a reload) is closed and opened again. The
 *	thread holds it until mstore_put() gives it back to the pool of
 *	idle connections (at most MSTORE_POOL_MAX; one more is closed), or
 *	until the thread ends (given back too): a message's callbacks hold
 *	one only for the span of their reads, so that few connections
 *	serve every message and their page caches, which each commit of
 *	another connection empties, are read again once per commit for
 *	several messages rather than once per message.
 *	mstore_pool_clear() closes the idle ones (at shutdown). After a
 *	STORE_TEMP result call mstore_discard() instead of mstore_put(): it
 *	closes the connection the thread holds, so that no other message
 *	gets it. Message connections never checkpoint: the main thread
 *	does (see links-milter.c), on a connection it holds for good.

 *	mstore_writer_lock() takes the write lock as
 *	mstore_write_lock_budget() does and returns the one connection of
 *	the group commit (milter_group.h), opened like mstore_get()'s, or
 *	NULL with ERR and the lock not held; release with
 *	mstore_write_unlock_budget(), after mstore_writer_discard() when a
 *	result was STORE_TEMP. Because every message's writes go through it,
 *	its page cache survives each commit (another connection's commit
 *	makes SQLite drop a connection's whole cache), so a refusal reads
 *	the pages it updates from memory.
 *
 *	mstore_write_lock() and mstore_write_unlock() bracket a write
 *	transaction. SQLite lets one writer in at a time; without this
 *	lock the other milter threads would wait in SQLite's busy handler,
 *	which sleeps and polls (1, 2, 5, ... 100 ms), and the latency tail
 *	would be made of those sleeps. A mutex hands the write lock on as
 *	soon as it is free. Writers in other processes (links-store,
 *	links-sender) still meet the busy handler. mstore_write_lock()
 *	waits at most TIMEOUT_MS and returns -1 when that passed, 0 with
 *	the lock held.
 *
 *	mstore_write_lock_budget() is mstore_write_lock() for a write on
 *	ST with a total budget of BUDGET_MS (store_busy_timeout): ST then
 *	waits for a locked database only what is left of the budget, so a
 *	write waits at most store_busy_timeout end to end.
 *	mstore_write_unlock_budget() releases it and gives ST back its
 *	BUSY_MS.
 *
 *	mstore_wal_rewind() (the main thread, every few seconds, after its
 *	checkpoint) rewinds SQLite's write-ahead log on the group commit's
 *	connection: with the write lock, the log file is reserved at 8 MiB
 *	where there is room for it (store_wal_reserve() says why), the whole
 *	log is copied into the database and the next commit writes it again
 *	from its start (store_wal_restart()): under a steady stream of
 *	refusals the log otherwise grows without end, and every commit's
 *	fdatasync then waits for an ext4 journal commit. It waits at most
 *	20 ms for the write lock, skipping the round when the group commit
 *	is that busy, and not at all for readers or other processes; it
 *	returns 1 rewound, 0 not this time (or PostgreSQL), -1 with a
 *	message in ERR.
 * DIAGNOSTICS
 *	mstore_get() returns NULL with a message in ERR.
 */
#ifndef LINKS_MILTER_STORE_H
#define LINKS_MILTER_STORE_H

#include <stddef.h>

#include "milter_cfg.h"
#include "store.h"

#define MSTORE_POOL_MAX	64		/* idle read connections kept */

struct store *mstore_get(struct mcfg *cfg, char *err, size_t errlen);
void	mstore_put(void);
void	mstore_discard(void);
struct store *mstore_writer_lock(struct mcfg *cfg, long budget_ms, char *err, size_t errlen);
void	mstore_writer_discard(void);
void	mstore_pool_clear(void);
int	mstore_write_lock(long timeout_ms);
void	mstore_write_unlock(void);
int	mstore_write_lock_budget(struct store *st, long budget_ms);
void	mstore_write_unlock_budget(struct store *st, long busy_ms);
int	mstore_wal_rewind(struct mcfg *cfg, char *err, size_t errlen);

#endif
