/*
 * NAME
 *	milter_stats 3
 * SUMMARY
 *	links-milter statistics
 * SYNOPSIS
 *	#include "milter_stats.h"
 * DESCRIPTION
 *	See milter_stats.h. Two arrays of atomics: the totals since start,
 *	and the deltas not yet in the store.
 * DIAGNOSTICS
 *	See milter_stats.h.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "milter_stats.h"
#include "milter_store.h"

#define MSTATS_LINE_MAX	1024		/* the SIGUSR1 log line */

static atomic_long mstats[MSTAT_COUNT];

/* Deltas the store has not seen yet, for the counters kept there. */
static atomic_long mstats_pending[MSTAT_COUNT];

static const char *const mstat_names[MSTAT_COUNT] = {
	"milter.messages", "milter.optouts", "milter.unverified", "milter.questions",
	"milter.routed", "milter.discarded", "milter.archived", "milter.auto_replies",
	"milter.bounces", "milter.bounce_rcpts", "milter.tempfails", "milter.store_errors",
	"milter.passed", "milter.outgoing", "milter.soft_bounces", "milter.bounces_unverified",
	"milter.ordinary",
};

/* The counters kept in the store (the others live only in the process). */
static const unsigned char mstat_stored[MSTAT_COUNT] = {
	[MSTAT_MESSAGES] = 1, [MSTAT_OPTOUTS] = 1, [MSTAT_UNVERIFIED] = 1,
	[MSTAT_QUESTIONS] = 1, [MSTAT_ROUTED] = 1, [MSTAT_AUTO_REPLIES] = 1,
	[MSTAT_BOUNCES] = 1, [MSTAT_TEMPFAILS] = 1, [MSTAT_SOFT_BOUNCES] = 1,
	[MSTAT_BOUNCES_UNVERIFIED] = 1,
};

/* mstats_add - count N, in the process and for the store */
void
mstats_add(enum mstat which, long n)
{
	if ((unsigned) which < MSTAT_COUNT) {
		atomic_fetch_add(&mstats[which], n);
		if (mstat_stored[which])
			atomic_fetch_add(&mstats_pending[which], n);
	}
}

/* mstats_add_total - count N in the process only (the store has it) */
void
mstats_add_total(enum mstat which, long n)
{
	if ((unsigned) which < MSTAT_COUNT)
		atomic_fetch_add(&mstats[which], n);
}

/* mstats_take - move the pending deltas into D */
void
mstats_take(long d[MSTAT_COUNT])
{
	for (int i = 0; i < MSTAT_COUNT; i++)
		d[i] = atomic_exchange(&mstats_pending[i], 0);
}

/* mstats_give_back - return deltas D after a failed write */
void
mstats_give_back(const long d[MSTAT_COUNT])
{
	for (int i = 0; i < MSTAT_COUNT; i++)
		if (d[i] != 0)
			atomic_fetch_add(&mstats_pending[i], d[i]);
}

/* mstats_store - add the stored counters of D to the store (caller's transaction) */
int
mstats_store(struct store *st, const long d[MSTAT_COUNT])
{
	int	rc;

	for (int i = 0; i < MSTAT_COUNT; i++)
		if (d[i] != 0 && mstat_stored[i]
		    && (rc = store_counter_add(st, mstat_names[i], d[i])) != STORE_OK)
			return (rc);
	return (STORE_OK);
}

/* mstats_flush - store what is pending, in one transaction of its own */
int
mstats_flush(struct store *st, long lock_timeout_ms, char *err, size_t errlen)
{
	long	d[MSTAT_COUNT];
	int	rc, any = 0;

	for (int i = 0; i < MSTAT_COUNT; i++)
		if (atomic_load(&mstats_pending[i]) != 0)
			any = 1;
	if (!any)
		return (STORE_OK);
	if (mstore_write_lock_budget(st, lock_timeout_ms) != 0) {
		snprintf(err, errlen, "waited store_busy_timeout for the write lock");
		return (STORE_TEMP);
	}
	mstats_take(d);
	if ((rc = store_begin(st)) == STORE_OK) {
		if ((rc = mstats_store(st, d)) == STORE_OK)
			rc = store_commit(st);
		else
			(void) store_rollback(st);
	}
	if (rc != STORE_OK)
		snprintf(err, errlen, "%s", store_errmsg(st));
	mstore_write_unlock_budget(st, lock_timeout_ms);
	if (rc != STORE_OK)
		mstats_give_back(d);
	return (rc);
}

/* mstats_get - an in-process counter */
long
mstats_get(enum mstat which)
{
	return ((unsigned) which < MSTAT_COUNT ? atomic_load(&mstats[which]) : 0);
}

/* mstat_store_name - the store's name of a counter */
const char *
mstat_store_name(enum mstat which)
{
	return ((unsigned) which < MSTAT_COUNT ? mstat_names[which] : "milter.unknown");
}

/* mstats_log - log every in-process counter on one line */
void
mstats_log(void)
{
	char	line[MSTATS_LINE_MAX];
	size_t	n = 0;

	line[0] = 0;
	for (int i = 0; i < MSTAT_COUNT && n < sizeof(line); i++) {
		int	w = snprintf(line + n, sizeof(line) - n, "%s%s=%ld", i ? " " : "",
				     mstat_names[i] + strlen("milter."), atomic_load(&mstats[i]));

		if (w < 0)
			break;
		n += (size_t) w;
	}
	log_notice("statistics: %s", line);
}
