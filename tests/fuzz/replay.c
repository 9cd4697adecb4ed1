/*
 * NAME
 *	replay 1 (fuzz target driver)
 * SUMMARY
 *	run a libFuzzer target over files, without libFuzzer
 * SYNOPSIS
 *	fuzz_replay_TARGET FILE|DIR...
 * DESCRIPTION
 *	Linked with one tests/fuzz/fuzz_*.c target when the compiler is
 *	not clang (or fuzzing is not configured): calls
 *	LLVMFuzzerTestOneInput() once per regular file named on the command
 *	line or found (not recursively) in a named directory, in name
 *	order. make check runs it over each target's seed corpus and the
 *	inputs that once crashed (tests/fuzz/corpus/TARGET/), so every
 *	finding stays a regression test under gcc and the sanitizer build.
 *
 *	Each file is read whole into a buffer of exactly its size (so that
 *	AddressSanitizer sees a read past the end) and at most
 *	REPLAY_FILE_MAX bytes.
 * DIAGNOSTICS
 *	Exit 0 after all inputs ran; EX_USAGE without arguments; EX_NOINPUT
 *	when a file cannot be read or a directory holds no input; a target
 *	that finds a broken invariant aborts (as under libFuzzer).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#define REPLAY_FILE_MAX	(16 * 1024 * 1024)	/* larger inputs are refused */
#define REPLAY_DIR_MAX	100000			/* entries of one directory */

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long replay_count;

/* Run the target over one file; 0, or -1 when it cannot be read. */
static int
replay_file(const char *path)
{
	FILE   *fp;
	struct stat sb;
	uint8_t *buf = NULL;
	size_t	n;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (fstat(fileno(fp), &sb) < 0 || sb.st_size < 0 || sb.st_size > REPLAY_FILE_MAX) {
		fprintf(stderr, "replay: %s: not a file of at most %d bytes\n", path,
			REPLAY_FILE_MAX);
		goto fail;
	}
	/* malloc(0) may return NULL: keep one byte, pass the true size. */
	if ((buf = malloc((size_t) sb.st_size + (sb.st_size == 0))) == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		goto fail;
	}
	n = fread(buf, 1, (size_t) sb.st_size, fp);
	if (n != (size_t) sb.st_size || ferror(fp)) {
		fprintf(stderr, "replay: %s: short read\n", path);
		goto fail;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	replay_count++;
	return (0);

fail:
	free(buf);
	fclose(fp);
	return (-1);
}

static int
name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *) a, *(char *const *) b));
}

/* Run the target over every regular file of DIR; 0 or -1. */
static int
replay_dir(const char *dir)
{
	DIR    *d;
	struct dirent *e;
	char  **names = NULL;
	size_t	n = 0, cap = 0, i;
	int	rc = -1;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return (-1);
	}
	while ((e = readdir(d)) != NULL) {
		char   *path;
		struct stat sb;

		if (e->d_name[0] == '.')
			continue;
		if (n == REPLAY_DIR_MAX) {
			fprintf(stderr, "replay: %s: more than %d entries\n", dir, REPLAY_DIR_MAX);
			goto done;
		}
		if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			goto done;
		if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		if (n == cap) {
			char  **nn;

			cap = cap ? 2 * cap : 64;
			if ((nn = realloc(names, cap * sizeof(*names))) == NULL) {
				free(path);
				goto done;
			}
			names = nn;
		}
		names[n++] = path;
	}
	if (n == 0) {
		fprintf(stderr, "replay: %s: no input files\n", dir);
		goto done;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	rc = 0;
	for (i = 0; i < n; i++)
		if (replay_file(names[i]) < 0)
			rc = -1;
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return (rc);
}

int
main(int argc, char **argv)
{
	int	i, rc = 0;

	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return (argc < 2 ? EX_USAGE : 0);
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", argv[0], PACKAGE_VERSION);
		return (0);
	}
	for (i = 1; i < argc; i++) {
		struct stat sb;

		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (replay_dir(argv[i]) < 0)
				rc = EX_NOINPUT;
		} else if (replay_file(argv[i]) < 0)
			rc = EX_NOINPUT;
	}
	printf("%s: %ld inputs replayed\n", argv[0], replay_count);
	return (rc);
}
