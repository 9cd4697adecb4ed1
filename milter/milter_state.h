/*
 * NAME
 *	milter_state 3h
 * SUMMARY
 *	links-milter shared state: the running configuration, statistics,
 *	one store connection per worker thread
 * SYNOPSIS
 *	#include "milter_state.h"
 *
 *	struct mcfg *mcfg_new(struct conf *conf, char *err, size_t errlen);
 *	struct mcfg *mcfg_ref(struct mcfg *cfg);
 *	void	mcfg_release(struct mcfg *cfg);
 *
 *	void	mstate_set(struct mcfg *cfg);
 *	struct mcfg *mstate_get(void);
 *
 *	struct store *mstore_get(struct mcfg *cfg, char *err, size_t errlen);
 *	void	mstore_discard(void);
 *	void	mstore_pool_clear(void);
 *	int	mstore_write_lock(long timeout_ms);
 *	void	mstore_write_unlock(void);
 *
 *	void	mstats_add(enum mstat which, long n);
 *	void	mstats_take(long d[MSTAT_COUNT]);
 *	int	mstats_flush(struct store *st, long lock_timeout_ms, char *err, size_t errlen);
 *	void	mstats_log(void);
 * DESCRIPTION
 *	A struct mcfg bundles everything derived from one links.conf: the
 *	configuration itself, the compiled reply analyzer, the LINKS address
 *	set and the parsed policies. It is immutable and reference-counted:
 *	mcfg_new() takes over the caller's reference to CONF and returns a
 *	bundle with one reference (owned by the caller); mcfg_ref() adds
 *	one; mcfg_release() drops one and frees on the last.
 *
 *	mstate_set() installs CFG as the running configuration (taking a
 *	reference; the previous one is released, and lives on only as long
 *	as messages still hold it). mstate_get() returns the running one
 *	with a reference added for the caller, or NULL before the first
 *	mstate_set(). mstate_set(NULL) clears it at shutdown.
 *
 *	mstore_get() returns the calling thread's store connection, opening
 *	it lazily with CFG's configuration, and reopening it when it was
 *	opened with another configuration or after mstore_discard(). The
 *	connection belongs to the thread; when the thread ends it goes to
 *	a pool of idle connections (at most MSTORE_POOL_MAX) that the next
 *	thread takes from before opening one; mstore_pool_clear() closes
 *	them (at shutdown). After a STORE_TEMP result call
 *	mstore_discard(), so the next message starts with a fresh
 *	connection.
 *
 *	mstore_write_lock() and mstore_write_unlock() bracket a message's
 *	write transaction. SQLite lets one writer in at a time; without
 *	this lock the other milter threads would wait in SQLite's busy
 *	handler, which sleeps and polls (1, 2, 5, ... 100 ms), and the
 *	latency tail would be made of those sleeps. A mutex hands the
 *	write lock on as soon as it is free. Writers in other processes
 *	(links-store, links-sender) still meet the busy handler.
 *	mstore_write_lock() waits at most TIMEOUT_MS (store_busy_timeout)
 *	and returns -1 when that passed, 0 with the lock held.
 *
 *	mstats_add() adds N to an in-process counter (atomic) and, for the
 *	counters kept in the store, to what the store has not seen yet;
 *	mstats_add_total() only to the in-process counter (the caller
 *	stored it itself). mstats_log() logs all counters on one line
 *	(SIGUSR1). mstat_store_name() gives the store_counter_add() name
 *	of a counter.
 *
 *	Statistics are not evidence: they are not written for every
 *	message. mstats_take() moves what the store has not seen into D
 *	(and clears it); mstats_give_back() returns D after a failed
 *	write; mstats_store() adds the non-zero deltas of D to the store's
 *	counters (in the caller's transaction). A message that writes
 *	anyway (a refusal, a bounce) stores the pending deltas in its own
 *	transaction; mstats_flush() stores them in one transaction of its
 *	own (the main thread, every MSTATS_FLUSH_SECS, and at shutdown).
 * DIAGNOSTICS
 *	mcfg_new() and mstore_get() return NULL with a message in ERR.
 */
#ifndef LINKS_MILTER_STATE_H
#define LINKS_MILTER_STATE_H

#include <stddef.h>

#include "conf.h"
#include "milter_addr.h"
#include "reply.h"
#include "store.h"

enum mcfg_from_policy { MCFG_FROM_ACCEPT, MCFG_FROM_REQUIRE_AUTH, MCFG_FROM_NEVER };
enum mcfg_pure_action { MCFG_PURE_DISCARD, MCFG_PURE_ARCHIVE, MCFG_PURE_DELIVER };

#define MCFG_TRUSTED_MAX 32		/* trusted_authserv_ids used */

struct mcfg;

struct mcfg *mcfg_new(struct conf *conf, char *err, size_t errlen);
struct mcfg *mcfg_ref(struct mcfg *cfg);
void	mcfg_release(struct mcfg *cfg);

const struct conf *mcfg_conf(const struct mcfg *cfg);
const struct reply_analyzer *mcfg_analyzer(const struct mcfg *cfg);
const struct maddr_conf *mcfg_addr(const struct mcfg *cfg);
enum mcfg_from_policy mcfg_from_policy(const struct mcfg *cfg);
enum mcfg_pure_action mcfg_pure_action(const struct mcfg *cfg);
int	mcfg_auto_reply_discard(const struct mcfg *cfg);
int	mcfg_bounce_discard(const struct mcfg *cfg);
int	mcfg_store_failure_tempfail(const struct mcfg *cfg);
const char *mcfg_archive(const struct mcfg *cfg);	/* normalised, "" if none */
size_t	mcfg_max_body(const struct mcfg *cfg);
size_t	mcfg_trusted(const struct mcfg *cfg, const char *const **ids);

void	mstate_set(struct mcfg *cfg);
struct mcfg *mstate_get(void);

struct store *mstore_get(struct mcfg *cfg, char *err, size_t errlen);
void	mstore_discard(void);
void	mstore_pool_clear(void);
int	mstore_write_lock(long timeout_ms);
void	mstore_write_unlock(void);

enum mstat {
	MSTAT_MESSAGES = 0,	/* messages to a LINKS address, analysed */
	MSTAT_OPTOUTS,		/* refusals applied */
	MSTAT_UNVERIFIED,	/* refusals not applied, sent to a person */
	MSTAT_QUESTIONS,	/* messages with a question */
	MSTAT_ROUTED,		/* rerouted from noreply to support */
	MSTAT_DISCARDED,	/* dropped after recording */
	MSTAT_ARCHIVED,		/* redirected to archive_address */
	MSTAT_AUTO_REPLIES,	/* auto-replies */
	MSTAT_BOUNCES,		/* bounces */
	MSTAT_BOUNCE_RCPTS,	/* permanently failed addresses counted */
	MSTAT_TEMPFAILS,	/* store failures answered with tempfail */
	MSTAT_STORE_ERRORS,	/* store failures of any kind */
	MSTAT_PASSED,		/* messages not for us, passed untouched */
	MSTAT_COUNT
};
#define MSTATS_FLUSH_SECS	2	/* counters reach the store at least this often */

#define MSTATS_FLUSH_SECS	2	/* counters reach the store at least this often */

void	mstats_add(enum mstat which, long n);
void	mstats_add_total(enum mstat which, long n);
void	mstats_take(long d[MSTAT_COUNT]);
void	mstats_give_back(const long d[MSTAT_COUNT]);
int	mstats_store(struct store *st, const long d[MSTAT_COUNT]);
int	mstats_flush(struct store *st, long lock_timeout_ms, char *err, size_t errlen);
void	mstats_add_total(enum mstat which, long n);
void	mstats_take(long d[MSTAT_COUNT]);
void	mstats_give_back(const long d[MSTAT_COUNT]);
int	mstats_store(struct store *st, const long d[MSTAT_COUNT]);
int	mstats_flush(struct store *st, long lock_timeout_ms, char *err, size_t errlen);
long	mstats_get(enum mstat which);
const char *mstat_store_name(enum mstat which);
void	mstats_log(void);

#endif
