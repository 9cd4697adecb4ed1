/*
 * NAME
 *	progress 3h
 * SUMMARY
 *	a progress bar on a terminal, plain lines otherwise
 * SYNOPSIS
 *	#include "progress.h"
 *
 *	struct progress *progress_new(FILE *fp, long total, int mode);
 *	void	progress_update(struct progress *p, long sent, long failed, long skipped);
 *	void	progress_done(struct progress *p);
 * DESCRIPTION
 *	MODE PROGRESS_AUTO draws a bar redrawn in place ("\r") when FP is a
 *	terminal (done/total, percentage, counts, messages per second and
 *	the time left, "ETA M:SS"), and otherwise prints the same as a
 *	plain line at most every
 *	PROGRESS_LINE_SECS seconds or each tenth of the way;
 *	PROGRESS_OFF prints nothing. progress_update() is cheap: it draws
 *	at most every PROGRESS_TICK_MS milliseconds. progress_done() draws
 *	the final state, ends the line and frees P. Not thread-safe: call
 *	it from one thread.
 * DIAGNOSTICS
 *	None; output errors are ignored.
 */
#ifndef LINKS_PROGRESS_H
#define LINKS_PROGRESS_H

#include <stdio.h>

#define PROGRESS_TICK_MS	200
#define PROGRESS_LINE_SECS	10
#define PROGRESS_BAR_WIDTH	30
#define PROGRESS_ETA_MAX	32	/* "H:MM:SS" and room */
#define PROGRESS_HOUR		3600

enum progress_mode { PROGRESS_AUTO = 0, PROGRESS_OFF, PROGRESS_LINES };

struct progress;

struct progress *progress_new(FILE *fp, long total, enum progress_mode mode);
void	progress_update(struct progress *p, long sent, long failed, long skipped);
void	progress_done(struct progress *p);

#endif
