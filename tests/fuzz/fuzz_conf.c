/*
 * NAME
 *	fuzz_conf 1 (libFuzzer target)
 * SUMMARY
 *	feed arbitrary bytes to the links.conf(5) parser
 * SYNOPSIS
 *	fuzz_conf [libFuzzer options] [CORPUS_DIR...]
 * DESCRIPTION
 *	Writes the input to a file in a private tmpfs directory and loads
 *	it with conf_load(). Invariants checked:
 *	  - a refused file gets a message that starts with the file's path
 *	    and fits the buffer;
 *	  - an accepted file reads back through every accessor: strings
 *	    hold no control character but tab, lists and pattern lists
 *	    have no more than their bound and every item is non-empty;
 *	  - conf_dump() of an accepted file is itself a valid links.conf
 *	    that loads to the same dump (what "links-milter -n" prints can
 *	    be used as a configuration);
 *	  - conf_ref()/conf_free() pair up (LeakSanitizer sees the rest).
 *	Seed corpus: tests/fuzz/corpus/conf/ (the sample links.conf, the
 *	unit tests' files, and inputs that once broke an invariant).
 * DIAGNOSTICS
 *	Aborts (a finding) when an invariant breaks.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz_common.h"

#define FUZZ_CONF_INPUT_MAX	(CONF_FILE_MAX + 4096)	/* a little over the file limit */
#define FUZZ_CONF_LIST_MAX	100000			/* sanity bound on list lengths */

/* Whether S holds a control character other than tab. */
static int
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s < 0x20 && *s != '\t')
			return (1);
	return (0);
}

/* Dump C into a malloc'd string (caller frees) of *LEN bytes. */
static char *
dump(const struct conf *c, size_t *len)
{
	char   *buf = NULL;
	FILE   *fp;

	fuzz_check((fp = open_memstream(&buf, len)) != NULL, "open_memstream");
	conf_dump(c, fp);
	fuzz_check(fclose(fp) == 0, "dump written");
	return (buf);
}

static void
check_accessors(const struct conf *c)
{
	const char *name;
	size_t	i, k, n;

	for (i = 0; (name = conf_option_name(i)) != NULL; i++) {
		enum conf_id id = (enum conf_id) i;

		fuzz_check(conf_known(name), "every table name is known");
		fuzz_check(conf_get_str(c, id) != NULL, "conf_get_str is never NULL");
		n = conf_get_count(c, id);
		fuzz_check(n < FUZZ_CONF_LIST_MAX, "list count bounded");
		for (k = 0; k < n; k++) {
			const char *item = conf_get_item(c, id, k);

			fuzz_check(item != NULL && *item != 0, "list items are not empty");
			fuzz_check(!has_control(item), "no control character in a list item");
		}
		fuzz_check(conf_get_item(c, id, n) == NULL, "no item past the count");
		if (n == 0)
			fuzz_check(!has_control(conf_get_str(c, id)),
				   "no control character in a value");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	path[FUZZ_PATH_MAX], path2[FUZZ_PATH_MAX];
	char	err[CONF_ERR_MAX];
	struct conf *c, *c2, *ref;
	char   *d1 = NULL, *d2 = NULL;
	size_t	l1 = 0, l2 = 0;

	if (size > FUZZ_CONF_INPUT_MAX)
		return (0);
	snprintf(path, sizeof(path), "%s/links.conf", fuzz_tmpdir());
	snprintf(path2, sizeof(path2), "%s/dump.conf", fuzz_tmpdir());
	fuzz_write_file(path, data, size);

	err[0] = 0;
	if ((c = conf_load(path, err, sizeof(err))) == NULL) {
		fuzz_check(strncmp(err, path, strlen(path)) == 0,
			   "an error message starts with the file name");
		fuzz_check(memchr(err, 0, sizeof(err)) != NULL, "error message terminated");
		return (0);
	}
	fuzz_check(strcmp(conf_file(c), path) == 0, "conf_file is the path loaded");
	check_accessors(c);

	ref = conf_ref(c);
	fuzz_check(ref == c, "conf_ref returns its argument");
	conf_free(ref);

	/* What -n prints must load again, to the same thing. */
	d1 = dump(c, &l1);
	fuzz_write_file(path2, (const uint8_t *) d1, l1);
	if ((c2 = conf_load(path2, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_conf: dump does not load: %s\n", err);
		fuzz_check(0, "conf_dump output loads");
	}
	d2 = dump(c2, &l2);
	fuzz_check(l1 == l2 && memcmp(d1, d2, l1) == 0, "dump, load, dump is stable");
	free(d1);
	free(d2);
	conf_free(c2);
	conf_free(c);
	return (0);
}
