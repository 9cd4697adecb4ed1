/*
 * NAME
 *	milter_store 3
 * SUMMARY
 *	links-milter store connections and write lock
 * SYNOPSIS
 *	#include "inbound.h"
#include "milter_store.h"
 * DESCRIPTION
 *	See milter_store.h. Why a connection is held by one thread at a
 *	time: a SQLite connection must not be shared between threads
 *	without serialising it. Opening one is not cheap (schema, key
 *	file, key check: a sixth of the milter's CPU when every session
 *	opened one), so connections are kept in a small pool. Why a thread
 *	holds one only for a message's reads, and not for its life: each
 *	commit of the group commit's connection makes SQLite drop the whole
 *	page cache of every other connection of the process, so the next
 *	read on each connection reads its pages again with pread(); with a
 *	connection per thread (16 and more under load) and a commit every
 *	few refusals, most of a refusal's reads were preads. The pool is a
 *	stack (the last connection given back is the next taken): the few
 *	connections at its top serve several messages between two commits
 *	and read their pages once.
 * DIAGNOSTICS
 *	Failures to open the store are reported to the caller, who logs.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inbound.h"
#include "milter_store.h"

#define MSTORE_NS_PER_SEC	1000000000L
#define MSTORE_NS_PER_MS	1000000L
#define MSTORE_ERR_MAX		256
#define MSTORE_REWIND_LOCK_MS	20	/* a log rewind waits this long for writers */
#define MSTORE_WAL_RESERVE	(8L << 20)	/* bytes of log file kept for commits to overwrite */

struct mstore_slot {
	struct store *st;
	struct mcfg *cfg;		/* the configuration it was opened with */
};

static pthread_key_t mstore_key;
static pthread_once_t mstore_once = PTHREAD_ONCE_INIT;

static pthread_mutex_t mstore_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mstore_slot *mstore_pool[MSTORE_POOL_MAX];
static size_t mstore_pool_n;

static pthread_mutex_t mstore_writer = PTHREAD_MUTEX_INITIALIZER;
static struct mstore_slot mstore_wconn;	/* the group commit's; guarded by mstore_writer */

static long mstore_elapsed_ms(const struct timespec *);

/* mstore_slot_close - close SLOT's connection and free it */
static void
mstore_slot_close(struct mstore_slot *slot)
{
	store_close(slot->st);
	mcfg_release(slot->cfg);
	free(slot);
}

/* mstore_slot_reset - close SLOT's connection, keep the slot */
static void
mstore_slot_reset(struct mstore_slot *slot)
{
	store_close(slot->st);
	slot->st = NULL;
	mcfg_release(slot->cfg);
	slot->cfg = NULL;
}

/* mstore_slot_free - thread exit or give back: the connection goes to the pool, or is closed */
static void
mstore_slot_free(void *arg)
{
	struct mstore_slot *slot = arg;
	int	pooled = 0;

	if (slot == NULL)
		return;
	if (slot->st) {
		pthread_mutex_lock(&mstore_pool_lock);
		if (mstore_pool_n < MSTORE_POOL_MAX) {
			mstore_pool[mstore_pool_n++] = slot;
			pooled = 1;
		}
		pthread_mutex_unlock(&mstore_pool_lock);
	}
	if (!pooled)
		mstore_slot_close(slot);
}

/* mstore_pool_take - an idle connection opened with CFG, or NULL; closes stale ones */
static struct mstore_slot *
mstore_pool_take(struct mcfg *cfg)
{
	struct mstore_slot *found = NULL, *stale[MSTORE_POOL_MAX];
	size_t	nstale = 0;

	pthread_mutex_lock(&mstore_pool_lock);
	while (mstore_pool_n > 0 && found == NULL) {
		struct mstore_slot *slot = mstore_pool[--mstore_pool_n];

		if (slot->cfg == cfg)
			found = slot;
		else
			stale[nstale++] = slot;	/* from before a reload */
	}
	pthread_mutex_unlock(&mstore_pool_lock);
	for (size_t i = 0; i < nstale; i++)
		mstore_slot_close(stale[i]);
	return (found);
}

/* mstore_pool_clear - close every idle connection (shutdown) */
void
mstore_pool_clear(void)
{
	struct mstore_slot *slot;

	for (;;) {
		pthread_mutex_lock(&mstore_pool_lock);
		slot = mstore_pool_n > 0 ? mstore_pool[--mstore_pool_n] : NULL;
		pthread_mutex_unlock(&mstore_pool_lock);
		if (slot == NULL)
			break;
		mstore_slot_close(slot);
	}
	pthread_mutex_lock(&mstore_writer);
	mstore_slot_reset(&mstore_wconn);
	pthread_mutex_unlock(&mstore_writer);
}

/* mstore_key_init - create the thread-specific key, once */
static void
mstore_key_init(void)
{
	if (pthread_key_create(&mstore_key, mstore_slot_free) != 0)
		abort();		/* cannot happen: only on exhaustion at start */
}

/* mstore_slot - the slot the calling thread holds (from the pool or new), or NULL with ERR */
static struct mstore_slot *
mstore_slot(struct mcfg *cfg, char *err, size_t errlen)
{
	struct mstore_slot *slot;

	pthread_once(&mstore_once, mstore_key_init);
	if ((slot = pthread_getspecific(mstore_key)) != NULL)
		return (slot);
	if ((slot = mstore_pool_take(cfg)) == NULL
	    && (slot = calloc(1, sizeof(*slot))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	if (pthread_setspecific(mstore_key, slot) != 0) {
		mstore_slot_close(slot);
		snprintf(err, errlen, "pthread_setspecific failed");
		return (NULL);
	}
	return (slot);
}

/* mstore_slot_open - SLOT's connection for CFG, (re)opened if need be; NULL with ERR */
static struct store *
mstore_slot_open(struct mstore_slot *slot, struct mcfg *cfg, char *err, size_t errlen)
{
	if (slot->st && slot->cfg == cfg)
		return (slot->st);
	store_close(slot->st);
	slot->st = NULL;
	mcfg_release(slot->cfg);
	slot->cfg = NULL;
	if ((slot->st = store_open(mcfg_conf(cfg), err, errlen)) == NULL)
		return (NULL);
	/* Checkpoints run from the main thread, not inside a message's commit. */
	if (store_set_autocheckpoint(slot->st, 0) != STORE_OK) {
		snprintf(err, errlen, "%s", store_errmsg(slot->st));
		store_close(slot->st);
		slot->st = NULL;
		return (NULL);
	}
	slot->cfg = mcfg_ref(cfg);
	return (slot->st);
}

/* mstore_get - the connection this thread holds for CFG, taken or opened if need be */
struct store *
mstore_get(struct mcfg *cfg, char *err, size_t errlen)
{
	struct mstore_slot *slot;

	if ((slot = mstore_slot(cfg, err, errlen)) == NULL)
		return (NULL);
	return (mstore_slot_open(slot, cfg, err, errlen));
}

/* mstore_unhold - the slot this thread holds, no longer its own; NULL for none */
static struct mstore_slot *
mstore_unhold(void)
{
	struct mstore_slot *slot;

	pthread_once(&mstore_once, mstore_key_init);
	if ((slot = pthread_getspecific(mstore_key)) != NULL)
		(void) pthread_setspecific(mstore_key, NULL);
	return (slot);
}

/* mstore_put - give the connection this thread holds back to the pool */
void
mstore_put(void)
{
	struct mstore_slot *slot;

	if ((slot = mstore_unhold()) != NULL)
		mstore_slot_free(slot);
}

/*
 * mstore_writer_lock - the write lock within BUDGET_MS, then the group
 * commit's connection for CFG, which waits for a locked database only
 * what is left of the budget; NULL with ERR (and the lock not held).
 * One connection does every message's writes, whichever
 * thread leads the group: its page cache stays valid from one commit
 * to the next (a commit of another connection would make SQLite drop
 * it), so a refusal's reads of the customer, prefs, consent and
 * suppression pages come from memory instead of pread().
 */
struct store *
mstore_writer_lock(struct mcfg *cfg, long budget_ms, char *err, size_t errlen)
{
	struct timespec t0;
	struct store *st;
	char	why[MSTORE_ERR_MAX];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (mstore_write_lock(budget_ms) != 0) {
		snprintf(err, errlen, "waited store_busy_timeout for another message's transaction");
		return (NULL);
	}
	if ((st = mstore_slot_open(&mstore_wconn, cfg, why, sizeof(why))) == NULL) {
		mstore_write_unlock();
		snprintf(err, errlen, "store_open: %s", why);
		return (NULL);
	}
	store_set_busy_timeout(st, budget_ms - mstore_elapsed_ms(&t0));
	return (st);
}

/*
 * mstore_wal_rewind - on the group commit's connection, with the write
 * lock (waited for at most MSTORE_REWIND_LOCK_MS: when the group commit
 * is that busy, this round is skipped): SQLite's write-ahead log file
 * reserved at MSTORE_WAL_RESERVE bytes (store_wal_reserve()), then the
 * whole log copied into the database so that the next commit writes it
 * again from its start (store_wal_restart()), neither waiting for other
 * connections. Run on the group commit's own connection, the restart
 * leaves that connection's page cache valid. 1 rewound, 0 not this time
 * (a reader or another process in the way; PostgreSQL), -1 with ERR.
 */
int
mstore_wal_rewind(struct mcfg *cfg, char *err, size_t errlen)
{
	long	busy_ms = conf_store_busy_timeout(mcfg_conf(cfg));
	struct store *st;
	int	rc, busy = 1;

	if (strcmp(conf_store_backend(mcfg_conf(cfg)), "sqlite") != 0)
		return (0);
	if (mstore_write_lock(MSTORE_REWIND_LOCK_MS) != 0)
		return (0);
	if ((st = mstore_slot_open(&mstore_wconn, cfg, err, errlen)) == NULL) {
		mstore_write_unlock();
		return (-1);
	}
	/* Another process's transaction or a reader: not this time either. */
	store_set_busy_timeout(st, 0);
	rc = store_wal_reserve(st, MSTORE_WAL_RESERVE);
	if (rc == STORE_OK)
		rc = store_wal_restart(st, &busy);
	if (rc == STORE_ERR) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		mstore_writer_discard();
		mstore_write_unlock_budget(NULL, busy_ms);
		return (-1);
	}
	mstore_write_unlock_budget(st, busy_ms);
	return (rc == STORE_OK && !busy);
}

/* mstore_writer_discard - close the group commit's connection (write lock held) */
void
mstore_writer_discard(void)
{
	mstore_slot_reset(&mstore_wconn);
}

/* mstore_discard - close the connection this thread holds (after a failure) */
void
mstore_discard(void)
{
	struct mstore_slot *slot;

	if ((slot = mstore_unhold()) != NULL)
		mstore_slot_close(slot);
}

/* mstore_write_lock - take the write lock within TIMEOUT_MS; 0 or -1 */
int
mstore_write_lock(long timeout_ms)
{
	struct timespec ts;

	if (timeout_ms < 0)
		timeout_ms = 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (timeout_ms % 1000) * MSTORE_NS_PER_MS;
	if (ts.tv_nsec >= MSTORE_NS_PER_SEC) {
		ts.tv_sec++;
		ts.tv_nsec -= MSTORE_NS_PER_SEC;
	}
	return (pthread_mutex_timedlock(&mstore_writer, &ts) == 0 ? 0 : -1);
}

/* mstore_write_unlock - release the write lock */
void
mstore_write_unlock(void)
{
	pthread_mutex_unlock(&mstore_writer);
}

/* mstore_elapsed_ms - milliseconds since T0 (monotonic) */
static long
mstore_elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return ((long) (t1.tv_sec - t0->tv_sec) * 1000
		+ (t1.tv_nsec - t0->tv_nsec) / MSTORE_NS_PER_MS);
}

/*
 * mstore_write_lock_budget - take the write lock within BUDGET_MS, and
 * give ST's wait for the database only what is left of it: the most a
 * write waits, end to end, is store_busy_timeout, not twice it.
 */
int
mstore_write_lock_budget(struct store *st, long budget_ms)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (mstore_write_lock(budget_ms) != 0)
		return (-1);
	store_set_busy_timeout(st, budget_ms - mstore_elapsed_ms(&t0));
	return (0);
}

/* mstore_write_unlock_budget - release the write lock; ST (may be NULL) waits BUSY_MS again */
void
mstore_write_unlock_budget(struct store *st, long busy_ms)
{
	if (st != NULL)
		store_set_busy_timeout(st, busy_ms);
	mstore_write_unlock();
}
