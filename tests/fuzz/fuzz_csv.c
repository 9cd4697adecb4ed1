/*
 * NAME
 *	fuzz_csv 1 (libFuzzer target)
 * SUMMARY
 *	feed arbitrary bytes to the CSV reader and the customer importer
 * SYNOPSIS
 *	fuzz_csv [libFuzzer options] [CORPUS_DIR...]
 * DESCRIPTION
 *	Reads the input with csv_read() until the end or a fatal error,
 *	then imports it with import_csv() into a throw-away store (made
 *	afresh every FUZZ_CSV_STORE_RUNS inputs). Invariants checked:
 *	  - the reader ends: at most one record per input byte (plus one);
 *	    no record has more than CSV_FIELDS_MAX fields or more than
 *	    CSV_RECORD_MAX bytes; record line numbers never go backwards;
 *	    an error message starts with "line N:";
 *	  - the importer returns one of its four codes; an aborted import
 *	    (bad file or temporary error) writes nothing (the customer count
 *	    is unchanged); a finished one accounts for every row (created +
 *	    updated + skipped = rows) and adds exactly "created" customers;
 *	  - the report never echoes a data field holding an address (only
 *	    line numbers and what was wrong), unless the header row holds
 *	    the same text (header names are echoed on purpose).
 *	Seed corpus: tests/fuzz/corpus/csv/ (the sample customers, the
 *	import tests' files, and inputs that once broke an invariant).
 * DIAGNOSTICS
 *	Aborts (a finding) when an invariant breaks.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fuzz_common.h"
#include "fuzz_store_setup.h"
#include "import.h"
#include "store.h"

#define FUZZ_CSV_INPUT_MAX	(2 * CSV_RECORD_MAX + 4096)
#define FUZZ_CSV_STORE_RUNS	500	/* inputs before the store is made afresh */
#define FUZZ_CSV_WATCH_MAX	64	/* address-like fields watched in the report */
#define FUZZ_CSV_WATCH_MIN	6	/* shorter fields could occur by chance */

static struct store *st;
static long runs;

struct watch {
	char   *header;			/* the header row's fields, joined */
	char   *fields[FUZZ_CSV_WATCH_MAX];
	size_t	n;
};

static void
watch_free(struct watch *w)
{
	size_t	i;

	free(w->header);
	for (i = 0; i < w->n; i++)
		free(w->fields[i]);
}

/* First pass: check the reader, collect the fields to watch for. */
static void
read_all(const uint8_t *data, size_t size, struct watch *w)
{
	FILE   *fp;
	struct csv *c;
	long	records = 0, last = 0;
	int	rc;

	fuzz_check((fp = fmemopen((void *) data, size, "rb")) != NULL, "fmemopen");
	fuzz_check((c = csv_new(fp)) != NULL, "csv_new");
	while ((rc = csv_read(c)) != CSV_EOF && rc != CSV_EFATAL) {
		size_t	i, n = csv_nfields(c), total = 0;

		fuzz_check(rc == CSV_RECORD || rc == CSV_EBAD, "csv_read result");
		fuzz_check(++records <= (long) size + 1, "the reader ends");
		fuzz_check(csv_line(c) >= last && csv_line(c) >= 1, "line numbers go forward");
		last = csv_line(c);
		if (rc == CSV_EBAD) {
			fuzz_check(strncmp(csv_error(c), "line ", 5) == 0, "error names its line");
			continue;
		}
		fuzz_check(n >= 1 && n <= CSV_FIELDS_MAX, "field count bounded");
		for (i = 0; i < n; i++) {
			const char *f = csv_field(c, i);

			fuzz_check(f != NULL, "field present");
			total += strlen(f);
			if (records == 1) {
				size_t	hl = w->header ? strlen(w->header) : 0;
				char   *h = realloc(w->header, hl + strlen(f) + 2);

				fuzz_check(h != NULL, "realloc");
				memcpy(h + hl, f, strlen(f) + 1);
				strcat(h, "\n");
				w->header = h;
			} else if (strchr(f, '@') != NULL && strlen(f) >= FUZZ_CSV_WATCH_MIN
				   && w->n < FUZZ_CSV_WATCH_MAX) {
				fuzz_check((w->fields[w->n++] = strdup(f)) != NULL, "strdup");
			}
		}
		fuzz_check(total <= CSV_RECORD_MAX, "record size bounded");
		fuzz_check(csv_field(c, n) == NULL, "no field past the count");
	}
	if (rc == CSV_EFATAL)
		fuzz_check(strncmp(csv_error(c), "line ", 5) == 0, "fatal error names its line");
	csv_free(c);
	fclose(fp);
}

static long
customers(void)
{
	struct store_stats s;

	fuzz_check(store_stats_get(st, &s) == STORE_OK, "store_stats_get");
	return (s.customers);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct watch w;
	struct import_summary sum;
	FILE   *in, *rep;
	char   *report = NULL;
	size_t	rlen = 0, i;
	long	before, after;
	int	rc;

	if (size > FUZZ_CSV_INPUT_MAX)
		return (0);
	memset(&w, 0, sizeof(w));
	read_all(data, size, &w);

	if (st != NULL && ++runs % FUZZ_CSV_STORE_RUNS == 0) {
		fuzz_store_close(st);
		st = NULL;
	}
	if (st == NULL)
		st = fuzz_store_open("csv");
	before = customers();
	fuzz_check((in = fmemopen((void *) data, size, "rb")) != NULL, "fmemopen");
	fuzz_check((rep = open_memstream(&report, &rlen)) != NULL, "open_memstream");
	rc = import_csv(st, in, "fuzz.csv", rep, &sum);
	fclose(in);
	fuzz_check(fclose(rep) == 0, "report written");
	after = customers();

	fuzz_check(rc == IMPORT_OK || rc == IMPORT_PARTIAL || rc == IMPORT_ABORT
		   || rc == IMPORT_TEMP, "import result");
	if (rc == IMPORT_ABORT || rc == IMPORT_TEMP) {
		fuzz_check(after == before, "an aborted import writes nothing");
		fuzz_check(rlen > 0, "an aborted import says why");
	} else {
		fuzz_check(sum.created + sum.updated + sum.skipped == sum.rows,
			   "every row is created, updated or skipped");
		fuzz_check(after == before + sum.created, "created customers are in the store");
		fuzz_check((rc == IMPORT_PARTIAL) == (sum.skipped > 0), "partial means rows skipped");
	}
	for (i = 0; i < w.n; i++) {
		if (w.header != NULL && strstr(w.header, w.fields[i]) != NULL)
			continue;
		if (strstr(report, w.fields[i]) != NULL) {
			fprintf(stderr, "fuzz_csv: the report echoes a field:\n%s", report);
			fuzz_check(0, "the report never echoes an address");
		}
	}
	free(report);
	watch_free(&w);
	return (0);
}
