/*
 * NAME
 *	transport_sendmail 3
 * SUMMARY
 *	the "sendmail" transport: the local sendmail program
 * SYNOPSIS
 *	#include "transport_int.h"
 * DESCRIPTION
 *	Runs "sendmail_path -i -f FROM -- RCPT" for each message (no
 *	shell), with the message on standard input in local (LF) line
 *	endings. Exit status 0 is success, EX_TEMPFAIL and death by a
 *	signal are temporary, any other status is permanent. A program
 *	that cannot be started is a temporary failure: the fault is ours,
 *	not the recipient's.
 * DIAGNOSTICS
 *	The result text names the exit status.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "hdr.h"
#include "transport_int.h"

#define SENDMAIL_EXEC_FAILED	127	/* exit status of a child whose exec failed */

struct sendmail_priv {
	char   *path;
};

/* write_lf - write MSG to FD with CRLF turned into LF */
static int
write_lf(int fd, const char *msg, size_t len)
{
	char	buf[8192];
	size_t	i, n = 0;

	for (i = 0; i < len; i++) {
		if (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n')
			continue;
		buf[n++] = msg[i];
		if (n == sizeof(buf) || i + 1 == len) {
			size_t	off = 0;

			while (off < n) {
				ssize_t w = write(fd, buf + off, n - off);

				if (w < 0) {
					if (errno == EINTR)
						continue;
					return (-1);
				}
				off += (size_t) w;
			}
			n = 0;
		}
	}
	return (0);
}

/* sendmail_send - run sendmail for one message */
static int
sendmail_send(struct transport *t, const char *from, const char *rcpt, const char *name,
	      const char *msg, size_t len, struct transport_result *res)
{
	struct sendmail_priv *p = t->priv;
	int	fds[2], status, werr = 0;
	pid_t	pid, w;
	char	text[TRANSPORT_TEXT_MAX];

	if (!hdr_address_valid(from) || !hdr_address_valid(rcpt) || rcpt[0] == '-')
		return (transport_result_set(res, TRANSPORT_PERM, 0, "invalid address"));
	if (pipe2(fds, O_CLOEXEC) < 0)
		return (transport_result_set(res, TRANSPORT_TEMP, 0, strerror(errno)));
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return (transport_result_set(res, TRANSPORT_TEMP, 0, strerror(errno)));
	}
	if (pid == 0) {
		if (dup2(fds[0], STDIN_FILENO) < 0)
			_exit(SENDMAIL_EXEC_FAILED);
		signal(SIGPIPE, SIG_DFL);
		execl(p->path, p->path, "-i", "-f", from, "--", rcpt, (char *) NULL);
		_exit(SENDMAIL_EXEC_FAILED);
	}
	close(fds[0]);
	if (write_lf(fds[1], msg, len) < 0)
		werr = errno;
	close(fds[1]);
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (w < 0)
		return (transport_result_set(res, TRANSPORT_TEMP, 0, strerror(errno)));
	if (WIFEXITED(status)) {
		int	code = WEXITSTATUS(status);

		if (code == 0 && werr == 0)
			return (transport_result_set(res, TRANSPORT_OK, 0, "accepted by sendmail"));
		if (code == SENDMAIL_EXEC_FAILED) {
			snprintf(text, sizeof(text), "%s could not be run", p->path);
			res->conn_failed = 1;
			return (transport_result_set(res, TRANSPORT_TEMP, 0, text));
		}
		snprintf(text, sizeof(text), "sendmail exit status %d%s%s", code,
			 werr ? ", write error: " : "", werr ? strerror(werr) : "");
		return (transport_result_set(res, (code == EX_TEMPFAIL || code == 0) ? TRANSPORT_TEMP
					     : TRANSPORT_PERM, 0, text));
	}
	snprintf(text, sizeof(text), "sendmail killed by signal %d",
		 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return (transport_result_set(res, TRANSPORT_TEMP, 0, text));
}

/* sendmail_close - free the sendmail transport's state */
static void
sendmail_close(struct transport *t)
{
	struct sendmail_priv *p = t->priv;

	if (p) {
		free(p->path);
		free(p);
	}
}

/* transport_sendmail_open - the sendmail transport: sendmail_path */
int
transport_sendmail_open(struct transport *t, const struct conf *conf, const char *outdir,
			char *err, size_t errlen)
{
	struct sendmail_priv *p;
	const char *path = conf_sendmail_path(conf);

	(void) outdir;		/* "dir" only */
	if (path == NULL || path[0] != '/') {
		snprintf(err, errlen, "sendmail_path must be an absolute path");
		return (-1);
	}
	if (access(path, X_OK) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if ((p = calloc(1, sizeof(*p))) == NULL || (p->path = strdup(path)) == NULL) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	t->priv = p;
	t->send = sendmail_send;
	t->close = sendmail_close;
	return (0);
}
