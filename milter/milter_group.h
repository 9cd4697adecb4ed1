/*
 * NAME
 *	milter_group 3h
 * SUMMARY
 *	links-milter group commit: the writes of concurrent messages in one
 *	transaction, one fsync
 * SYNOPSIS
 *	#include "milter_group.h"
 *
 *	typedef int (*mgroup_fn)(struct store *st, void *arg,
 *				 long d[MSTAT_COUNT], char *err, size_t errlen);
 *
 *	int	mgroup_write(struct mcfg *cfg, int64_t key, mgroup_fn fn,
 *			     void *arg, int *stored, char *err, size_t errlen);
 * DESCRIPTION
 *	Each message that writes (a refusal, a bounce) must be on disk
 *	(synchronous=FULL, one fsync) before Postfix hears "accepted"; one
 *	transaction per message made 16 threads queue behind each other's
 *	fsync. Instead mgroup_write() queues the request FN(ST, ARG, D,
 *	ERR, ERRLEN); the first thread to find no leader becomes the leader,
 *	takes every queued request of its configuration CFG (at most
 *	MGROUP_MAX), and runs them all in one transaction on the group
 *	commit's connection (mstore_writer_lock(): one for every leader,
 *	so its page cache survives the commits), first without savepoints
 *	(store_set_flat()); when one fails, the transaction is rolled back
 *	and the batch runs again, each other request in a savepoint of its
 *	own (a failed one is rolled back alone; the one whose write failed
 *	without savepoints keeps that failure as its run in the batch), with
 *	the statistics pending from
 *	other messages; one commit, one fsync. The batch runs
 *	in ascending KEY order (0, no key, last; arrival order among equal
 *	keys): KEY is the customer whose row the request locks first, so
 *	two milters on one PostgreSQL whose batches hold the same
 *	customers (one reply delivered at two MX hosts) take their row
 *	locks in the same order and wait instead of deadlocking. A request
 *	that failed temporarily in its own savepoint (a deadlock or
 *	serialization failure against another host's milter on the same
 *	PostgreSQL all the same) then runs again alone, in a transaction of
 *	its own, up to MGROUP_RETRY_MAX times. Then the
 *	leader wakes the others, whose writes are now durable, and hands
 *	the leadership on. Nothing is acknowledged before the commit that
 *	holds it.
 *
 *	FN runs in the leader's thread: it must only use ST and what ARG
 *	points to (the caller's thread is blocked in mgroup_write() until
 *	it returns); it may run more than once, after a failed run and
 *	after a run that succeeded in a transaction rolled back for
 *	another request's failure, so each run must start from ARG as it
 *	was before the first. It returns a STORE_ code, fills D with the message's
 *	counter deltas (zeroed before the call) and ERR on failure.
 *
 *	mgroup_write() returns the request's STORE_ code; *STORED tells
 *	whether its counter deltas went into the commit (otherwise the
 *	caller counts them for the next flush). ERR says what failed.
 * DIAGNOSTICS
 *	STORE_TEMP when the store cannot be opened, or the write lock was
 *	not had within store_busy_timeout; the store's code otherwise.
 */
#ifndef LINKS_MILTER_GROUP_H
#define LINKS_MILTER_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "milter_cfg.h"
#include "milter_stats.h"
#include "store.h"

#define MGROUP_MAX	64		/* messages in one group commit */
#define MGROUP_RETRY_MAX 3		/* lone runs of a request that hit a conflict */

typedef int (*mgroup_fn)(struct store *st, void *arg, long d[MSTAT_COUNT],
			 char *err, size_t errlen);

int	mgroup_write(struct mcfg *cfg, int64_t key, mgroup_fn fn, void *arg,
		     int *stored, char *err, size_t errlen);

#endif
