/*
 * NAME
 *	fsyncfloor 1
 * SUMMARY
 *	the fsync floor of a disk: write + fdatasync latency, p50/p99
 * SYNOPSIS
 *	fsyncfloor [-n count] [-t seconds] [-b bytes] DIR
 * DESCRIPTION
 *	fsyncfloor measures what one durable commit costs on the file system
 *	of DIR (the store's folder): it creates a scratch file there,
 *	preallocated and synced, then repeatedly overwrites the next BYTES
 *	(default 4096, a SQLite WAL frame) of it, cyclically, and calls
 *	fdatasync(), as SQLite does in WAL mode with synchronous=FULL on
 *	every commit. Each write + fdatasync is timed. It stops after COUNT
 *	commits (default 1000) or SECONDS (default 5), whichever comes
 *	first, removes the file and prints one line:
 *
 *	FSYNC n=N p50=MS p99=MS max=MS mean=MS
 *
 *	No group commit can answer faster than this floor: a refusal is
 *	acknowledged only after its commit is on disk.
 * DIAGNOSTICS
 *	Exit status 0, EX_USAGE, EX_CANTCREAT or EX_IOERR.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#define FF_FILE_SIZE	(1024L * 1024)	/* the scratch file, overwritten cyclically */
#define FF_BYTES_MAX	(1024L * 1024)
#define FF_COUNT_MAX	1000000L
#define FF_SECS_MAX	3600L

/* ff_now - monotonic time in seconds */
static double ff_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double) t.tv_sec + t.tv_nsec / 1e9;
}

/* ff_cmp - qsort order of doubles */
static int ff_cmp(const void *a, const void *b)
{
	double	x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

/* ff_arg - a bounded decimal option value, or -1 */
static long ff_arg(const char *s, long lo, long hi)
{
	char   *end;
	long	v = strtol(s, &end, 10);

	return (*s == 0 || *end || v < lo || v > hi) ? -1 : v;
}

/* ff_prepare - the scratch file, preallocated and synced; -1 on error */
static int ff_prepare(const char *path, char *buf, long bytes)
{
	int	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);

	if (fd < 0)
		return -1;
	memset(buf, 0, (size_t) bytes);
	for (long off = 0; off < FF_FILE_SIZE; off += bytes)
		if (pwrite(fd, buf, (size_t) bytes, off) != bytes) {
			close(fd);
			return -1;
		}
	if (fsync(fd) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int	main(int argc, char **argv)
{
	long	count = 1000, secs = 5, bytes = 4096, n = 0, off = 0;
	double *lat, t_end, sum = 0;
	char	path[4096], *buf;
	int	c, fd;

	while ((c = getopt(argc, argv, "n:t:b:h")) != -1) {
		switch (c) {
		case 'n':
			count = ff_arg(optarg, 1, FF_COUNT_MAX);
			break;
		case 't':
			secs = ff_arg(optarg, 1, FF_SECS_MAX);
			break;
		case 'b':
			bytes = ff_arg(optarg, 512, FF_BYTES_MAX);
			break;
		default:
			goto usage;
		}
		if (count < 0 || secs < 0 || bytes < 0)
			goto usage;
	}
	if (optind != argc - 1)
		goto usage;
	snprintf(path, sizeof(path), "%s/fsyncfloor.%ld.tmp", argv[optind], (long) getpid());
	if ((buf = malloc((size_t) bytes)) == NULL || (lat = calloc((size_t) count,
								     sizeof(*lat))) == NULL)
		return EX_OSERR;
	if ((fd = ff_prepare(path, buf, bytes)) < 0) {
		fprintf(stderr, "fsyncfloor: %s: %s\n", path, strerror(errno));
		unlink(path);
		return EX_CANTCREAT;
	}
	t_end = ff_now() + (double) secs;
	while (n < count && ff_now() < t_end) {
		double	t0 = ff_now();

		memset(buf, (int) (n & 0xff), (size_t) bytes);
		if (pwrite(fd, buf, (size_t) bytes, off) != bytes || fdatasync(fd) != 0) {
			fprintf(stderr, "fsyncfloor: %s: %s\n", path, strerror(errno));
			close(fd);
			unlink(path);
			return EX_IOERR;
		}
		lat[n] = (ff_now() - t0) * 1000.0;
		sum += lat[n++];
		off = (off + bytes) % FF_FILE_SIZE;
	}
	close(fd);
	unlink(path);
	qsort(lat, (size_t) n, sizeof(*lat), ff_cmp);
	printf("FSYNC n=%ld p50=%.3f p99=%.3f max=%.3f mean=%.3f\n", n, lat[(n - 1) * 50 / 100],
	       lat[(n - 1) * 99 / 100], lat[n - 1], sum / (double) n);
	free(lat);
	free(buf);
	return EX_OK;
usage:
	fprintf(stderr, "usage: fsyncfloor [-n count] [-t seconds] [-b bytes] DIR\n");
	return EX_USAGE;
}
