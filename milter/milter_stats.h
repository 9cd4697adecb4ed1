/*
 * NAME
 *	milter_stats 3h
 * SUMMARY
 *	links-milter statistics: in-process counters, and the deltas the
 *	store has not seen yet
 * SYNOPSIS
 *	#include "milter_stats.h"
 *
 *	void	mstats_add(enum mstat which, long n);
 *	void	mstats_add_total(enum mstat which, long n);
 *	void	mstats_take(long d[MSTAT_COUNT]);
 *	void	mstats_give_back(const long d[MSTAT_COUNT]);
 *	int	mstats_store(struct store *st, const long d[MSTAT_COUNT]);
 *	int	mstats_flush(struct store *st, long lock_timeout_ms,
 *			     char *err, size_t errlen);
 *	long	mstats_get(enum mstat which);
 *	const char *mstat_store_name(enum mstat which);
 *	void	mstats_log(void);
 * DESCRIPTION
 *	mstats_add() adds N to an in-process counter (atomic) and, for the
 *	counters kept in the store, to what the store has not seen yet;
 *	mstats_add_total() only to the in-process counter (the caller
 *	stored it itself). mstats_get() reads an in-process counter;
 *	mstats_log() logs all of them on one line (SIGUSR1).
 *	mstat_store_name() gives the store_counter_add() name of a counter.
 *
 *	Statistics are not evidence: they are not written for every
 *	message. mstats_take() moves what the store has not seen into D
 *	(and clears it); mstats_give_back() returns D after a failed
 *	write; mstats_store() adds the non-zero deltas of D to the store's
 *	counters (in the caller's transaction). A message that writes
 *	anyway (a refusal, a bounce) stores the pending deltas in its own
 *	transaction; mstats_flush() stores them in one transaction of its
 *	own, under the milter's write lock (the main thread, every
 *	MSTATS_FLUSH_SECS, and at shutdown).
 * DIAGNOSTICS
 *	mstats_store() and mstats_flush() return a STORE_ code; on failure
 *	mstats_flush() keeps the deltas for the next flush and ERR says why.
 */
#ifndef LINKS_MILTER_STATS_H
#define LINKS_MILTER_STATS_H

#include <stddef.h>

#include "store.h"

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
	MSTAT_OUTGOING,		/* submitted or authenticated: never analysed */
	MSTAT_SOFT_BOUNCES,	/* soft (4.x.x) failures of authenticated bounces */
	MSTAT_BOUNCES_UNVERIFIED,	/* bounces not authenticated: to support */
	MSTAT_ORDINARY,		/* to company addresses, accepted at end of headers */
	MSTAT_COUNT
};

#define MSTATS_FLUSH_SECS	2	/* counters reach the store at least this often */

void	mstats_add(enum mstat which, long n);
void	mstats_add_total(enum mstat which, long n);
void	mstats_take(long d[MSTAT_COUNT]);
void	mstats_give_back(const long d[MSTAT_COUNT]);
int	mstats_store(struct store *st, const long d[MSTAT_COUNT]);
int	mstats_flush(struct store *st, long lock_timeout_ms, char *err, size_t errlen);
long	mstats_get(enum mstat which);
const char *mstat_store_name(enum mstat which);
void	mstats_log(void);

#endif
