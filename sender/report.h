/*
 * NAME
 *	report 3h
 * SUMMARY
 *	what the campaigns did: links-sender status
 * SYNOPSIS
 *	#include "report.h"
 *
 *	int	report_status(const struct conf *conf, int64_t id, FILE *fp);
 * DESCRIPTION
 *	report_status() writes to FP one line per campaign (ID 0) or the
 *	report of campaign ID: when it was created, its category,
 *	template, state and the count of its delivery rows per status.
 * DIAGNOSTICS
 *	Returns EX_OK, EX_NOINPUT (no such campaign) or EX_TEMPFAIL (store
 *	error, on standard error).
 */
#ifndef LINKS_REPORT_H
#define LINKS_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"

int	report_status(const struct conf *conf, int64_t id, FILE *fp);

#endif
