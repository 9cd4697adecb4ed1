/*
 * NAME
 *	daemon 3
 * SUMMARY
 *	what every links-mail daemon does to start: user, fork, pid file
 * SYNOPSIS
 *	#include "daemon.h"
 * DESCRIPTION
 *	See daemon.h.
 * DIAGNOSTICS
 *	See daemon.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

/* daemon_ids_lookup - the user and group to run as */
int
daemon_ids_lookup(const char *user, const char *group, struct daemon_ids *ids, char *err,
		  size_t errlen)
{
	memset(ids, 0, sizeof(ids[0]));
	ids->uid = getuid();
	ids->gid = getgid();
	if (user && user[0]) {
		struct passwd *pw = getpwnam(user);

		if (pw == NULL) {
			snprintf(err, errlen, "no such user: %s", user);
			return (-1);
		}
		ids->set = 1;
		ids->uid = pw->pw_uid;
		ids->gid = pw->pw_gid;
		snprintf(ids->user, sizeof(ids->user), "%s", user);
	}
	if (group && group[0]) {
		struct group *gr = getgrnam(group);

		if (gr == NULL) {
			snprintf(err, errlen, "no such group: %s", group);
			return (-1);
		}
		ids->set = 1;
		ids->gid = gr->gr_gid;
	}
	return (0);
}

/* daemon_drop - become that user and group for good */
int
daemon_drop(const struct daemon_ids *ids, char *err, size_t errlen)
{
	if (!ids->set)
		return (0);
	if (geteuid() != 0) {
		if (ids->uid == geteuid() && ids->gid == getegid())
			return (0);
		snprintf(err, errlen, "must start as root to change to user %s",
			 ids->user[0] ? ids->user : "(the configured one)");
		return (-1);
	}
	if (setgroups(1, &ids->gid) != 0 || setgid(ids->gid) != 0) {
		snprintf(err, errlen, "setgid(%ld): %s", (long) ids->gid, strerror(errno));
		return (-1);
	}
	if (ids->uid != 0 && setuid(ids->uid) != 0) {
		snprintf(err, errlen, "setuid(%ld): %s", (long) ids->uid, strerror(errno));
		return (-1);
	}
	if (ids->uid != 0 && setuid(0) == 0) {
		snprintf(err, errlen, "could get root back after dropping privileges");
		return (-1);
	}
	return (0);
}

/* daemon_fork - fork; the parent exits with the status the child reports */
int
daemon_fork(int *ready_fd, int keep_stderr)
{
	int	p[2];
	pid_t	pid;
	unsigned char status;
	int	fd;

	if (pipe(p) != 0)
		return (-1);
	if ((pid = fork()) < 0)
		return (-1);
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &status, 1) != 1)
			_exit(EX_OSERR);
		_exit(status);
	}
	close(p[0]);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	if (setsid() < 0)
		return (-1);
	if (chdir("/") != 0)
		return (-1);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (!keep_stderr)
			dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	*ready_fd = p[1];
	return (0);
}

/* daemon_ready - report the start-up status to the waiting parent */
void
daemon_ready(int *ready_fd, int status)
{
	unsigned char b = (unsigned char) status;

	if (*ready_fd < 0)
		return;
	if (write(*ready_fd, &b, 1) != 1)
		log_warning("cannot report the start-up status to the parent");
	close(*ready_fd);
	*ready_fd = -1;
}

/* daemon_pidfile - write the pid file, owned by the run user */
int
daemon_pidfile(const char *path, const struct daemon_ids *ids, char *err, size_t errlen)
{
	char	buf[32];
	int	fd;
	int	n;

	if (path[0] == 0)
		return (0);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long) getpid());
	if (write(fd, buf, (size_t) n) != n) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	close(fd);
	if (ids != NULL && ids->set && geteuid() == 0 && chown(path, ids->uid, ids->gid) != 0)
		log_warning("chown %s: %s", path, strerror(errno));
	return (0);
}
