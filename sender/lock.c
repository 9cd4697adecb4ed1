/*
 * NAME
 *	lock 3
 * SUMMARY
 *	one links-sender process per campaign, one for the outbox
 * SYNOPSIS
 *	#include "lock.h"
 * DESCRIPTION
 *	See lock.h. Open file description locks (Linux 3.15) are used
 *	rather than flock(2) so that one file holds every campaign's lock,
 *	and rather than classic POSIX record locks because those are per
 *	process: a second descriptor of the same process would take them
 *	again, and closing any descriptor of the file would drop them.
 * DIAGNOSTICS
 *	See lock.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"

#define LOCK_MODE	0660		/* the store's user and group */
#define LOCK_WHAT_MAX	48		/* "campaign N" */

/* lock_what - "campaign N" or "the outbox", for messages */
static void
lock_what(int64_t id, char *buf, size_t len)
{
	if (id == LOCK_OUTBOX)
		snprintf(buf, len, "the outbox");
	else
		snprintf(buf, len, "campaign %lld", (long long) id);
}

/* lock_store_owner - the owner of the database (of its folder before it exists); -1 if unknown */
static int
lock_store_owner(const char *store_path, struct stat *sb)
{
	char	dir[PATH_MAX];

	if (stat(store_path, sb) == 0)
		return (0);
	if (snprintf(dir, sizeof(dir), "%s", store_path) >= (int) sizeof(dir))
		return (-1);
	return (stat(dirname(dir), sb));
}

/* lock_give - as root, give lock file FD to the owner of the store; -1 with ERR */
static int
lock_give(int fd, const char *store_path, const char *path, char *err, size_t errlen)
{
	struct stat own, sb;

	if (geteuid() != 0 || lock_store_owner(store_path, &own) < 0 || fstat(fd, &sb) < 0)
		return (0);
	if (sb.st_uid == own.st_uid && sb.st_gid == own.st_gid)
		return (0);
	if (fchown(fd, own.st_uid, own.st_gid) < 0 || fchmod(fd, LOCK_MODE) < 0) {
		snprintf(err, errlen, "%s: cannot give it to the store's owner: %s", path,
			 strerror(errno));
		return (-1);
	}
	return (0);
}

/* lock_open - open (create) the lock file of CONF's store; -1 with ERR */
static int
lock_open(const struct conf *conf, char *err, size_t errlen)
{
	char	path[PATH_MAX];
	const char *store_path = conf_store_path(conf);
	int	fd;

	if (snprintf(path, sizeof(path), "%s%s", store_path, LOCK_SUFFIX) >= (int) sizeof(path)) {
		snprintf(err, errlen, "store_path too long");
		return (-1);
	}
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, LOCK_MODE)) < 0) {
		if (errno == EACCES)
			snprintf(err, errlen, "%s: %s (run links-sender as the store's user, "
				 "or give the file to that user)", path, strerror(errno));
		else
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (lock_give(fd, store_path, path, err, errlen) < 0) {
		close(fd);
		return (-1);
	}
	return (fd);
}

/* lock_take - hold the lock of campaign ID (LOCK_OUTBOX: the outbox); -1 with ERR */
int
lock_take(const struct conf *conf, int64_t id, char *err, size_t errlen)
{
	struct flock fl;
	char	what[LOCK_WHAT_MAX];
	int	fd;

	lock_what(id, what, sizeof(what));
	if (id < 0) {
		snprintf(err, errlen, "%s: no such lock", what);
		return (-1);
	}
	if ((fd = lock_open(conf, err, errlen)) < 0)
		return (-1);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = (off_t) id;
	fl.l_len = 1;
	if (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
		if (errno == EAGAIN || errno == EACCES)
			snprintf(err, errlen, "%s is being worked on by another links-sender process",
				 what);
		else
			snprintf(err, errlen, "locking %s: %s", what, strerror(errno));
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
