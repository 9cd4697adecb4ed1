/*
 * NAME
 *	daemon 3h
 * SUMMARY
 *	what every links-mail daemon does to start: user, fork, pid file
 * SYNOPSIS
 *	#include "daemon.h"
 *
 *	int	daemon_ids_lookup(const char *user, const char *group,
 *			struct daemon_ids *ids, char *err, size_t errlen);
 *	int	daemon_drop(const struct daemon_ids *ids, char *err, size_t errlen);
 *	int	daemon_fork(int *ready_fd, int keep_stderr);
 *	void	daemon_ready(int *ready_fd, int status);
 *	int	daemon_pidfile(const char *path, const struct daemon_ids *ids,
 *			char *err, size_t errlen);
 * DESCRIPTION
 *	Shared by links-milter and links-web.
 *
 *	daemon_ids_lookup() resolves USER and GROUP (option values; "" for
 *	none: GROUP defaults to USER's primary group) into IDS; IDS->set is
 *	0 when both are empty. daemon_drop() becomes that user and group
 *	for good (supplementary groups cleared, and a check that root
 *	cannot be had back); it does nothing when IDS->set is 0, and
 *	succeeds without root when the process already runs as them.
 *
 *	daemon_fork() forks; the parent waits until the child reports,
 *	through daemon_ready(), that it serves (status EX_OK) or why not,
 *	and exits with that status, so that an init script sees a failure
 *	to start. The child starts a session, changes to /, and gets
 *	/dev/null as standard input and output (and error unless
 *	KEEP_STDERR). *READY_FD is the child's end of the report pipe;
 *	daemon_ready() writes STATUS there once and closes it (it does
 *	nothing when *READY_FD is -1, as in the foreground).
 *
 *	daemon_pidfile() writes the process id to PATH ("" for none),
 *	refusing to follow a symbolic link, and gives the file to IDS's
 *	user when running as root, so that the daemon can remove it after
 *	daemon_drop() (a failed chown is logged, not fatal).
 * DIAGNOSTICS
 *	The int functions return 0, or -1 with a message in ERR (for
 *	daemon_fork(), errno). The messages name the user, group or file,
 *	not the option: callers say which option it came from.
 */
#ifndef LINKS_DAEMON_H
#define LINKS_DAEMON_H

#include <stddef.h>
#include <sys/types.h>

#define DAEMON_USER_MAX	64

struct daemon_ids {
	int	set;
	uid_t	uid;
	gid_t	gid;
	char	user[DAEMON_USER_MAX];
};

int	daemon_ids_lookup(const char *user, const char *group, struct daemon_ids *ids,
			  char *err, size_t errlen);
int	daemon_drop(const struct daemon_ids *ids, char *err, size_t errlen);
int	daemon_fork(int *ready_fd, int keep_stderr);
void	daemon_ready(int *ready_fd, int status);
int	daemon_pidfile(const char *path, const struct daemon_ids *ids, char *err,
		       size_t errlen);

#endif
