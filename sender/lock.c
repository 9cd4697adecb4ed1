/*
 * NAME
 *	lock 3
 * SUMMARY
 *	one links-sender process per campaign, one for the outbox
 * SYNOPSIS
 *	#include "lock.h"
 * DESCRIPTION
 *	See lock.h. The lock is flock(2) on STORE_PATH.WHAT.lock.
 * DIAGNOSTICS
 *	See lock.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lock.h"

/* lock_take - hold an exclusive lock on STORE_PATH.WHAT.lock; -1 if another process has it */
int
lock_take(const struct conf *conf, const char *what, char *err, size_t errlen)
{
	char	path[PATH_MAX];
	int	fd;

	if (snprintf(path, sizeof(path), "%s.%s.lock", conf_store_path(conf), what)
	    >= (int) sizeof(path)) {
		snprintf(err, errlen, "store_path too long");
		return (-1);
	}
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errlen, "%s is being worked on by another links-sender process", what);
		close(fd);
		return (-1);
	}
	return (fd);
}

/* lock_release - let go of a lock taken by lock_take() (-1: none) */
void
lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
