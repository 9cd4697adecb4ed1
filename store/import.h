/*
 * NAME
 *	import 3h
 * SUMMARY
 *	import customers and contracts from a portal or web-form CSV
 * SYNOPSIS
 *	#include "import.h"
 *
 *	int	import_csv(struct store *st, FILE *in, const char *name,
 *			FILE *report, struct import_summary *sum);
 *	int	import_date(const char *s, time_t *out);
 * DESCRIPTION
 *	import_csv() reads a CSV whose first row names its columns, among
 *	email (required), name, phone, source, service_type, service_ref,
 *	contract_status, started_at, ended_at (any order, any case). Each
 *	row upserts the customer by address and, when service_type and
 *	service_ref are given, the contract by reference: importing the
 *	same file twice changes nothing. An empty name or phone keeps the
 *	stored value; an absent or empty source means "portal";
 *	contract_status is active or ended (empty: ended when ended_at is
 *	given, else active); dates are YYYY-MM-DD (UTC).
 *	promotion_consent is yes or no (also y/n, true/false, 1/0): "no"
 *	refuses promotions (a consent event of channel import; survey mail
 *	is not affected), "yes" never undoes a refusal (only the customer
 *	or staff with optin can), empty is import_promotion_consent
 *	(links.conf) for a customer the row creates and nothing for an
 *	existing one.
 *
 *	What skips a row (reported as NAME:LINE: message, the rest goes
 *	on): a malformed CSV record that the reader can resynchronise
 *	after (quote inside an unquoted field, text after a closing quote,
 *	NUL byte), a wrong number of fields, an invalid email address, an
 *	invalid name, phone, source, status, service type, reference,
 *	date or promotion_consent, service_type without service_ref or the reverse.
 *
 *	What aborts the whole import (nothing is written, it is one
 *	transaction): no header row, an unknown or repeated column, no
 *	email column, a quoted field still open at end of file, a record
 *	longer than CSV_RECORD_MAX (the file is not a sane export), a read
 *	error, and any temporary store error.
 *
 *	Messages go to REPORT and never contain the values of fields, only
 *	line numbers and what was wrong; SUM gets the counts.
 *
 *	import_date() parses YYYY-MM-DD into the start of that day UTC.
 * DIAGNOSTICS
 *	import_csv() returns IMPORT_OK (every row imported), IMPORT_PARTIAL
 *	(some rows skipped, the rest committed), IMPORT_ABORT (bad file,
 *	nothing written) or IMPORT_TEMP (temporary store error, nothing
 *	written). import_date() returns 0 or -1.
 */
#ifndef LINKS_IMPORT_H
#define LINKS_IMPORT_H

#include <stdio.h>
#include <time.h>

#include "store.h"

#define IMPORT_OK	0
#define IMPORT_PARTIAL	1
#define IMPORT_ABORT	2
#define IMPORT_TEMP	3

struct import_summary {
	long	rows;			/* data rows read (not the header) */
	long	created;		/* new customers */
	long	updated;		/* rows that matched an existing customer */
	long	contracts;		/* contracts inserted or updated */
	long	skipped;		/* bad rows */
};

int	import_csv(struct store *st, FILE *in, const char *name, FILE *report,
		   struct import_summary *sum);
int	import_date(const char *s, time_t *out);

#endif
