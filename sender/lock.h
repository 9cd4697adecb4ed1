/*
 * NAME
 *	lock 3h
 * SUMMARY
 *	one links-sender process per campaign, one for the outbox
 * SYNOPSIS
 *	#include "lock.h"
 *
 *	int	lock_take(const struct conf *conf, const char *what, char *err, size_t errlen);
 *	void	lock_release(int fd);
 * DESCRIPTION
 *	lock_take() takes an exclusive lock named WHAT ("campaign-12",
 *	"outbox") without waiting, and returns a descriptor that holds it
 *	until lock_release() (or the process's end).
 * DIAGNOSTICS
 *	lock_take() returns -1 with a message in ERR when another process
 *	holds the lock or the lock file cannot be opened.
 */
#ifndef LINKS_LOCK_H
#define LINKS_LOCK_H

#include <stddef.h>

#include "conf.h"

int	lock_take(const struct conf *conf, const char *what, char *err, size_t errlen);
void	lock_release(int fd);

#endif
