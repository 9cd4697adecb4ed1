/*
 * NAME
 *	transport_dir 3
 * SUMMARY
 *	the "dir" transport: one .eml file per message
 * SYNOPSIS
 *	#include "transport_int.h"
 * DESCRIPTION
 *	Writes MSG to DIR/NAME.eml: first into a hidden temporary file in
 *	the same directory, flushed to disk, then renamed, so a reader
 *	never sees half a message and a crash leaves no partial file under
 *	the final name. With DIR "-" messages go to standard output, each
 *	preceded by a line "==> NAME.eml <==" (for previews).
 * DIAGNOSTICS
 *	TRANSPORT_TEMP when the file cannot be written (disk full,
 *	permissions): nothing is marked sent.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "transport_int.h"

#define DIR_NAME_MAX	128	/* bytes of a message name */

struct dir_priv {
	char   *dir;
	int	to_stdout;
};

/* name_ok - whether NAME is a safe message file name */
static int
name_ok(const char *name)
{
	size_t	n = strlen(name);

	if (n == 0 || n > DIR_NAME_MAX || name[0] == '.')
		return (0);
	return (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n);
}

/* write_all - write LEN bytes of P to FD */
static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		p += w;
		len -= (size_t) w;
	}
	return (0);
}

/* dir_send - write one message as DIR/NAME.eml, atomically */
static int
dir_send(struct transport *t, const char *from, const char *rcpt, const char *name,
	 const char *msg, size_t len, struct transport_result *res)
{
	struct dir_priv *d = t->priv;
	char	path[4096], tmp[4096], line[2 * DIR_NAME_MAX];
	int	fd = -1, n;

	if (!name_ok(name))
		return (transport_result_set(res, TRANSPORT_PERM, 0, "invalid message file name"));
	if (d->to_stdout) {
		n = snprintf(line, sizeof(line), "==> %s.eml <==\n", name);
		if (write_all(STDOUT_FILENO, line, (size_t) n) < 0
		    || write_all(STDOUT_FILENO, msg, len) < 0)
			return (transport_result_set(res, TRANSPORT_TEMP, 0, strerror(errno)));
		return (transport_result_set(res, TRANSPORT_OK, 0, "written to standard output"));
	}
	if (snprintf(path, sizeof(path), "%s/%s.eml", d->dir, name) >= (int) sizeof(path)
	    || snprintf(tmp, sizeof(tmp), "%s/.%s.eml.tmp", d->dir, name) >= (int) sizeof(tmp))
		return (transport_result_set(res, TRANSPORT_PERM, 0, "path too long"));
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0)
		goto fail;
	if (write_all(fd, msg, len) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	return (transport_result_set(res, TRANSPORT_OK, 0, "written"));
fail:
	snprintf(line, sizeof(line), "%s: %s", d->dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return (transport_result_set(res, TRANSPORT_TEMP, 0, line));
}

/* make_dirs - mkdir -p DIR (mode 0750 for what is made) */
static int
make_dirs(const char *dir)
{
	char	path[4096], *p;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int) sizeof(path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	for (p = path + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(path, 0750) < 0 && errno != EEXIST)
				return (-1);
			*p = '/';
		}
	if (mkdir(path, 0750) < 0 && errno != EEXIST)
		return (-1);
	return (0);
}

/* dir_close - free the dir transport's state */
static void
dir_close(struct transport *t)
{
	struct dir_priv *d = t->priv;

	if (d) {
		free(d->dir);
		free(d);
	}
}

/* transport_dir_open - the dir transport: OUTDIR, else links.conf outdir */
int
transport_dir_open(struct transport *t, const struct conf *conf, const char *outdir,
		   char *err, size_t errlen)
{
	struct dir_priv *d;
	struct stat sb;
	const char *dir = outdir ? outdir : conf_outdir(conf);

	if (dir == NULL || *dir == 0) {
		snprintf(err, errlen, "outdir is not set");
		return (-1);
	}
	if (strcmp(dir, "-") != 0) {
		if (make_dirs(dir) < 0) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			return (-1);
		}
		if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode) || access(dir, W_OK) < 0) {
			snprintf(err, errlen, "%s: not a writable directory", dir);
			return (-1);
		}
	}
	if ((d = calloc(1, sizeof(*d))) == NULL || (d->dir = strdup(dir)) == NULL) {
		free(d);
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	d->to_stdout = strcmp(dir, "-") == 0;
	t->priv = d;
	t->send = dir_send;
	t->close = dir_close;
	return (0);
}
