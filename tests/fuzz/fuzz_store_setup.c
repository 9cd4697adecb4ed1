/*
 * NAME
 *	fuzz_store_setup 3
 * SUMMARY
 *	a throw-away store for the fuzz targets
 * SYNOPSIS
 *	See fuzz_store_setup.h.
 * DESCRIPTION
 *	One store at a time per process: the paths are kept here so that
 *	fuzz_store_close() can remove the database, its WAL and shared
 *	memory files and the key.
 * DIAGNOSTICS
 *	Messages on stderr, then abort().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "fuzz_common.h"
#include "fuzz_store_setup.h"

#define FUZZ_STORE_ERR_MAX	512

static char fs_db[FUZZ_PATH_MAX], fs_key[FUZZ_PATH_MAX];

static void
fs_remove(void)
{
	char	p[FUZZ_PATH_MAX + 8];

	unlink(fs_db);
	snprintf(p, sizeof(p), "%s-wal", fs_db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fs_db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-journal", fs_db);
	unlink(p);
	unlink(fs_key);
}

struct conf *
fuzz_store_conf(void)
{
	struct conf *c;
	char	err[FUZZ_STORE_ERR_MAX];

	if ((c = conf_defaults()) == NULL
	    || conf_set(c, "store_path", fs_db, err, sizeof(err)) < 0
	    || conf_set(c, "key_file", fs_key, err, sizeof(err)) < 0
	    || conf_set(c, "store_busy_timeout", "100", err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: store config: %s\n", c ? err : "out of memory");
		abort();
	}
	return (c);
}

struct store *
fuzz_store_open(const char *name)
{
	struct conf *c;
	struct store *st;
	char	err[FUZZ_STORE_ERR_MAX];

	snprintf(fs_db, sizeof(fs_db), "%s/%s.db", fuzz_tmpdir(), name);
	snprintf(fs_key, sizeof(fs_key), "%s/%s.key", fuzz_tmpdir(), name);
	fs_remove();
	fuzz_write_file(fs_key, (const uint8_t *) FUZZ_STORE_KEY, strlen(FUZZ_STORE_KEY));
	c = fuzz_store_conf();
	if (store_init(c, err, sizeof(err)) < 0 || (st = store_open(c, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz: store: %s\n", err);
		abort();
	}
	conf_free(c);
	return (st);
}

void
fuzz_store_close(struct store *st)
{
	store_close(st);
	fs_remove();
}
