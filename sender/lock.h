/*
 * NAME
 *	lock 3h
 * SUMMARY
 *	one links-sender process per campaign, one for the outbox
 * SYNOPSIS
 *	#include "lock.h"
 *
 *	int	lock_take(const struct conf *conf, int64_t campaign_id,
 *			  char *err, size_t errlen);
 *	void	lock_release(int fd);
 * DESCRIPTION
 *	lock_take() takes, without waiting, the exclusive lock of campaign
 *	CAMPAIGN_ID, or of the outbox when CAMPAIGN_ID is LOCK_OUTBOX, and
 *	returns a descriptor that holds it until lock_release() (or the
 *	process's end).
 *
 *	Every lock is one byte of a single file, STORE_PATH.sender.lock
 *	(an open file description lock, F_OFD_SETLK, at the offset of the
 *	campaign's id, the outbox at 0): locks never pile up one file per
 *	campaign, and two descriptors of one process exclude each other
 *	like two processes. The file is created mode 0660; when root
 *	creates it or finds it owned by another user than the store's
 *	database, it gives it to the owner and group of the database, so a
 *	links-sender run by root never leaves a lock file that the store's
 *	own user (resume, the outbox timer) cannot open.
 * DIAGNOSTICS
 *	lock_take() returns -1 with a message in ERR when another process
 *	holds the lock or the lock file cannot be opened (the message says
 *	which file and what to do).
 */
#ifndef LINKS_LOCK_H
#define LINKS_LOCK_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

#define LOCK_OUTBOX	0		/* the lock of the outbox, not a campaign */
#define LOCK_SUFFIX	".sender.lock"	/* after store_path */

int	lock_take(const struct conf *conf, int64_t campaign_id, char *err, size_t errlen);
void	lock_release(int fd);

#endif
