/*
 * NAME
 *	wal_restart 3
 * SUMMARY
 *	copy the whole write-ahead log into the database and start it over
 * SYNOPSIS
 *	#include "store.h"
 *
 *	int	store_wal_restart(struct store *st, int *busy);
 * DESCRIPTION
 *	Added for links-sender's throughput (issue 14), beside the store's
 *	own modules: store.h declares it with its contract.
 *
 *	SQLite's automatic checkpoint is PASSIVE: it copies only the frames
 *	no reader still needs, and never waits. Under several connections
 *	that commit and read all the time (the sender's workers), some
 *	reader always holds an older snapshot: the log is never copied
 *	to its end, so it is never started over, it grows past the
 *	threshold, and from then on EVERY commit runs a checkpoint that
 *	walks the whole log again (27% of a 10,000-message campaign's
 *	instructions, and an fdatasync per commit).
 *
 *	A RESTART checkpoint waits (through the connection's busy handler,
 *	bounded by store_busy_timeout) until no reader uses the log, copies
 *	all of it, and makes the next commit write from its start: the log
 *	stays the size of what is written between two calls. A caller that
 *	turns the automatic checkpoint off (store_set_autocheckpoint(st,
 *	0)) and calls this every few hundred commits' worth of pages pays
 *	one copy of each page instead of one walk of the log per commit.
 *
 *	PostgreSQL has no such log to manage: nothing is done.
 * DIAGNOSTICS
 *	STORE_OK, with *BUSY (when not NULL) 1 when readers or another
 *	checkpoint kept it from reaching the end of the log (it copied
 *	what it could; the next call goes on), else 0. A STORE_ error with
 *	the engine's message (store_errmsg()).
 */
#include "config.h"

#include "store_int.h"

/* store_wal_restart - a RESTART checkpoint (SQLite); see store.h */
int
store_wal_restart(struct store *st, int *busy)
{
	struct db_stmt *s;
	int	rc;

	if (busy != NULL)
		*busy = 0;
	if (st->ops != &db_sqlite_ops)
		return (STORE_OK);
	if (st->depth != 0)
		return (st_err(st, STORE_ERR, "checkpoint inside a transaction"));
	if ((rc = db_prepare(st, "PRAGMA wal_checkpoint(RESTART)", &s)) != STORE_OK)
		return (rc);
	/* One row: busy, frames in the log, frames copied. */
	if ((rc = db_step(s)) == DB_ROW) {
		if (busy != NULL)
			*busy = db_col_int(s, 0) != 0;
		rc = STORE_OK;
	} else
		rc = db_error(st, rc, "checkpoint");
	db_finish(s);
	return (rc);
}
