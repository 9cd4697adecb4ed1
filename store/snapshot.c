/*
 * NAME
 *	snapshot 3
 * SUMMARY
 *	one read transaction around many reads (links-sender's batches)
 * SYNOPSIS
 *	#include "store.h"
 *
 *	int	store_read_begin(struct store *st);
 *	int	store_read_end(struct store *st);
 * DESCRIPTION
 *	Added for links-sender's throughput (issue 14), beside the store's
 *	own modules: store.h declares them with their contract.
 *
 *	Outside a transaction every SELECT is a transaction of its own.
 *	On SQLite in WAL mode each one takes and drops the shared lock and
 *	a WAL read mark (fcntl locks) and, when any other connection
 *	committed in between, throws away the connection's page cache and
 *	reads the pages again (pread): rendering one message reads the
 *	customer, contracts, preferences, bounces, suppression and the
 *	message log, about eight transactions a message while the other
 *	workers commit all the time. One read transaction around a batch
 *	of renderings pays that once a batch.
 *
 *	SQLite: a deferred BEGIN; the first read takes the snapshot, held
 *	until store_read_end(). PostgreSQL: BEGIN ISOLATION LEVEL
 *	REPEATABLE READ, READ ONLY: the same one snapshot for every read,
 *	and a write inside fails. Both end with COMMIT.
 * DIAGNOSTICS
 *	STORE_ codes with the engine's message (store_errmsg()).
 */
#include "config.h"

#include "store_int.h"

/* store_read_begin - start one read-only snapshot for the reads that follow */
int
store_read_begin(struct store *st)
{
	if (st->depth != 0)
		return (st_err(st, STORE_ERR, "read transaction inside a transaction"));
	return (db_exec(st, st->ops == &db_sqlite_ops ? "BEGIN"
			: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
}

/* store_read_end - end the read transaction of store_read_begin() */
int
store_read_end(struct store *st)
{
	if (st->depth != 0)
		return (st_err(st, STORE_ERR, "read transaction end inside a transaction"));
	return (db_exec(st, "COMMIT"));
}
