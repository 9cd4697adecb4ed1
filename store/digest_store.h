/*
 * NAME
 *	digest_store 3h
 * SUMMARY
 *	what the daily support digest reads from the store: counters of a
 *	window, the addresses that bounced in it
 * SYNOPSIS
 *	#include "digest_store.h"
 *
 *	int	store_counter_window(struct store *st, const char *name,
 *				     time_t since, time_t until, long *sum);
 *	int	store_digest_bounces(struct store *st, time_t since, time_t until,
 *				     int (*fn)(const struct store_digest_bounce *, void *),
 *				     void *arg);
 * DESCRIPTION
 *	links-sender digest (sender/digest.c) tells support each morning
 *	what happened in a window [SINCE, UNTIL): refusals (the consent
 *	events, store_consent_range()), questions, unverified refusals and
 *	bounces. This module gives it the two things store.h has no
 *	function for.
 *
 *	store_counter_window() sets *SUM to what store_counter_add() added
 *	to counter NAME (the milter's "milter.questions" and the like) in
 *	the UTC hours that start in [SINCE, UNTIL): the store keeps each
 *	counter per hour (counter_hours, schema step 5), so a window is
 *	exact when its ends fall on whole hours (the digest's default
 *	window does) and otherwise counts an hour when it starts inside.
 *	Counts made before the store had that table are not in any window.
 *
 *	store_digest_bounces() calls FN, in time order, for each address
 *	whose latest permanent failure (store_bounce_record()) lies in
 *	[SINCE, UNTIL): its count, whether it reached bounce_threshold and
 *	so is no longer mailed, and the customer who has that address now
 *	(found through the blind index; email decrypted, for support's
 *	eyes only), or customer id 0 when none has (purged, or a company
 *	address). An address that bounced in the window and again later
 *	shows in the later window only: the store keeps one row per
 *	address. FN returns non-zero to stop. The struct and its strings
 *	belong to the store and live until FN returns.
 * DIAGNOSTICS
 *	STORE_OK, or STORE_ERR/STORE_TEMP with store_errmsg().
 */
#ifndef LINKS_STORE_DIGEST_STORE_H
#define LINKS_STORE_DIGEST_STORE_H

#include <stdint.h>
#include <time.h>

#include "store.h"

struct store_digest_bounce {
	int64_t customer_id;	/* 0: no customer has this address now */
	const char *email;	/* "" when customer_id is 0 */
	long	count;		/* permanent failures counted so far */
	int	undeliverable;	/* count >= bounce_threshold: no longer mailed */
	time_t	last;		/* the latest one */
};

int	store_counter_window(struct store *st, const char *name, time_t since, time_t until,
			     long *sum);
int	store_digest_bounces(struct store *st, time_t since, time_t until,
			     int (*fn)(const struct store_digest_bounce *, void *), void *arg);

#endif
