/*
 * NAME
 *	fuzz_common 3
 * SUMMARY
 *	helpers shared by the links-mail fuzz targets
 * SYNOPSIS
 *	See fuzz_common.h.
 * DESCRIPTION
 *	A private temporary directory removed at exit, whole-file writes,
 *	a strict UTF-8 check and the abort that reports a broken invariant.
 * DIAGNOSTICS
 *	Messages on stderr, then abort().
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"

static char fuzz_dir[FUZZ_PATH_MAX];

void
fuzz_check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz: invariant broken: %s\n", what);
		abort();
	}
}

/* atexit: remove the directory and the files the targets left in it. */
static void
fuzz_tmpdir_remove(void)
{
	DIR    *d;
	struct dirent *e;
	char	path[FUZZ_PATH_MAX];

	if (fuzz_dir[0] == 0 || (d = opendir(fuzz_dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((size_t) snprintf(path, sizeof(path), "%s/%s", fuzz_dir, e->d_name)
		    < sizeof(path))
			unlink(path);
	}
	closedir(d);
	rmdir(fuzz_dir);
}

const char *
fuzz_tmpdir(void)
{
	const char *base;

	if (fuzz_dir[0])
		return (fuzz_dir);
	if (access("/dev/shm", W_OK) == 0)
		base = "/dev/shm";
	else if ((base = getenv("TMPDIR")) == NULL || *base == 0)
		base = "/tmp";
	if ((size_t) snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/links-fuzz.XXXXXX", base)
	    >= sizeof(fuzz_dir) || mkdtemp(fuzz_dir) == NULL) {
		fprintf(stderr, "fuzz: cannot make a directory under %s: %s\n", base,
			strerror(errno));
		abort();
	}
	atexit(fuzz_tmpdir_remove);
	return (fuzz_dir);
}

void
fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
	int	fd;
	size_t	off = 0;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		abort();
	}
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "fuzz: write %s: %s\n", path, strerror(errno));
			abort();
		}
		off += (size_t) n;
	}
	if (close(fd) < 0) {
		fprintf(stderr, "fuzz: close %s: %s\n", path, strerror(errno));
		abort();
	}
}

int
fuzz_valid_utf8(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *) str;
	size_t	i = 0;

	while (i < len) {
		unsigned c = s[i], cp;
		size_t	n, k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return (0);
		if (len - i <= n)
			return (0);
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (0);
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
		    || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return (0);
		i += n + 1;
	}
	return (1);
}
