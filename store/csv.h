/*
 * NAME
 *	csv 3h
 * SUMMARY
 *	bounded RFC 4180 CSV reader
 * SYNOPSIS
 *	#include "csv.h"
 *
 *	struct csv *csv_new(FILE *fp);
 *	int	csv_read(struct csv *c);
 *	size_t	csv_nfields(const struct csv *c);
 *	const char *csv_field(const struct csv *c, size_t i);
 *	long	csv_line(const struct csv *c);
 *	const char *csv_error(const struct csv *c);
 *	void	csv_free(struct csv *c);
 * DESCRIPTION
 *	csv_read() reads one record from FP: fields separated by commas,
 *	records ended by LF, CRLF or CR, fields optionally in double quotes
 *	with "" for a quote, quoted fields may span lines. A UTF-8 byte
 *	order mark before the first record is skipped. Blank lines are
 *	skipped.
 *
 *	Memory is bounded: one buffer of CSV_RECORD_MAX bytes and at most
 *	CSV_FIELDS_MAX fields, whatever the input.
 *
 *	csv_line() is the line number (from 1) on which the current record
 *	starts. The fields stay valid until the next csv_read(). The
 *	caller frees the reader with csv_free(); it does not close FP.
 * DIAGNOSTICS
 *	csv_read() returns CSV_RECORD (1) for a record, CSV_EOF (0) at end
 *	of input, CSV_EBAD when this record is malformed (a quote inside an
 *	unquoted field, text after a closing quote, a NUL byte, too many
 *	fields): the rest of the line was consumed and reading may go on;
 *	CSV_EFATAL when the input cannot be framed any more (a quoted field
 *	still open at end of file, a record longer than CSV_RECORD_MAX, a
 *	read error). csv_error() then says why, starting with "line N:".
 */
#ifndef LINKS_CSV_H
#define LINKS_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_RECORD_MAX	(64 * 1024)	/* bytes of one record, quotes removed */
#define CSV_FIELDS_MAX	64		/* fields of one record */

#define CSV_RECORD	1
#define CSV_EOF		0
#define CSV_EBAD	(-1)
#define CSV_EFATAL	(-2)

struct csv;

struct csv *csv_new(FILE *fp);
int	csv_read(struct csv *c);
size_t	csv_nfields(const struct csv *c);
const char *csv_field(const struct csv *c, size_t i);
long	csv_line(const struct csv *c);
const char *csv_error(const struct csv *c);
void	csv_free(struct csv *c);

#endif
