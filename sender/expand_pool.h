/*
 * NAME
 *	expand_pool 3h
 * SUMMARY
 *	a campaign's recipients decided on several threads, taken in order
 * SYNOPSIS
 *	#include "expand_pool.h"
 *
 *	int	expand_pool_run(const struct conf *conf, const int64_t *ids,
 *			size_t nids, const struct expand_pool_fns *fns,
 *			char *err, size_t errlen);
 *	int	expand_pool_threads(size_t nids);
 * DESCRIPTION
 *	A campaign's expansion decides every candidate (read the customer,
 *	the audience rules, render every part) and records one row each,
 *	in ONE transaction of the caller's store connection. The deciding
 *	only reads, and is most of the work: expand_pool_run() has it done
 *	by expand_pool_threads() threads, each with its own store
 *	connection and one read snapshot per chunk of EXPAND_POOL_CHUNK
 *	candidates, while the calling thread takes the verdicts in the
 *	order of IDS and records them (fns->take, on its own connection,
 *	inside its transaction). At most EXPAND_POOL_WINDOW chunks are
 *	decided ahead of the one being taken: the memory does not grow
 *	with the campaign.
 *
 *	fns->decide(fns->arg, st, id, v) fills V for candidate ID with
 *	store ST (a thread's own); it must be safe to call from several
 *	threads at once. fns->take(fns->arg, v) records one verdict (an
 *	EX_ code; anything but EX_OK stops the run). A verdict whose rv is
 *	EXPAND_POOL_ERROR stops the run with its ex and err, as when the
 *	candidates are decided one by one: the verdicts before it were
 *	taken, none after it. delivery_stop stops the run ("interrupted",
 *	EX_TEMPFAIL).
 *
 *	On SQLite the caller's write transaction (BEGIN IMMEDIATE) keeps
 *	every other writer out, so the threads' snapshots are the store as
 *	the transaction began, less the caller's own uncommitted rows; on
 *	PostgreSQL they are as fresh as each chunk (the sending checks the
 *	rules again in any case).
 * DIAGNOSTICS
 *	An EX_ code from <sysexits.h>; ERR holds the reason, without
 *	personal data (customers by id).
 */
#ifndef LINKS_EXPAND_POOL_H
#define LINKS_EXPAND_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "compose.h"
#include "conf.h"
#include "delivery.h"
#include "store.h"

#define EXPAND_POOL_CHUNK	64	/* candidates a thread decides in one snapshot */
#define EXPAND_POOL_WINDOW	8	/* chunks decided ahead of the one being taken */
#define EXPAND_POOL_THREADS_MAX	4	/* deciding threads */
#define EXPAND_POOL_ERR_MAX	512	/* as a campaign's error line */

/* What a candidate is. */
#define EXPAND_POOL_QUEUE	0	/* a row to send */
#define EXPAND_POOL_SKIP	1	/* a row skipped, with its reason */
#define EXPAND_POOL_OUT		2	/* not in the audience: no row */
#define EXPAND_POOL_ERROR	(-1)	/* stops the campaign's creation */

struct expand_verdict {
	int64_t id;
	int	rv;			/* EXPAND_POOL_* */
	int	ex;			/* EXPAND_POOL_ERROR: the EX_ code */
	char	mid[COMPOSE_ID_MAX];	/* QUEUE, SKIP: the row's Message-ID */
	char	reason[DELIVERY_REASON_MAX];	/* SKIP */
	char	err[EXPAND_POOL_ERR_MAX];	/* ERROR */
};

struct expand_pool_fns {
	void   *arg;
	void	(*decide)(void *arg, struct store *st, int64_t id, struct expand_verdict *v);
	int	(*take)(void *arg, const struct expand_verdict *v);
};

int	expand_pool_run(const struct conf *conf, const int64_t *ids, size_t nids,
			const struct expand_pool_fns *fns, char *err, size_t errlen);
int	expand_pool_threads(size_t nids);

#endif
