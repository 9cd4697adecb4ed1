/*
 * NAME
 *	group 3h
 * SUMMARY
 *	group commit: many requests' changes in one transaction, one fsync
 * SYNOPSIS
 *	#include "group.h"
 *
 *	struct group *group_new(void);
 *	int	group_write(struct group *g, const void *key, struct store *st,
 *			int (*fn)(struct store *st, void *arg), void *arg);
 *	void	group_free(struct group *g);
 * DESCRIPTION
 *	A change the customer is told about ("Done") must be on disk first
 *	(synchronous=FULL: one fsync per commit). One transaction per
 *	request would make a burst of clicks queue behind each other's
 *	fsync, and SQLite's lock is taken by polling. So a request queues
 *	its change; the first request thread that finds no leader becomes
 *	the leader, takes the queued changes of the same KEY (at most
 *	GROUP_MAX; the KEY is the configuration they were made under) and
 *	runs them in one transaction on its own connection ST, each FN in
 *	a savepoint of its own (one that fails is rolled back alone), then
 *	commits once, wakes the others and hands the leadership on. Nothing
 *	is answered before the commit that holds it. The same scheme as the
 *	milter's refusals (milter_cb.c).
 *
 *	group_write() returns FN's STORE_ code for this request once its
 *	change is durable, or the error of the transaction (STORE_TEMP when
 *	the store could not be written: nothing of the request was kept).
 *	Thread-safe. group_new()'s result belongs to the caller
 *	(group_free()).
 * DIAGNOSTICS
 *	group_new() returns NULL when out of memory.
 */
#ifndef LINKS_GROUP_H
#define LINKS_GROUP_H

#include "store.h"

#define GROUP_MAX	64	/* changes in one transaction */

struct group;

struct group *group_new(void);
int	group_write(struct group *g, const void *key, struct store *st,
		    int (*fn)(struct store *st, void *arg), void *arg);
void	group_free(struct group *g);

#endif
