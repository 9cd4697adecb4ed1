/*
 * NAME
 *	campaign 3h
 * SUMMARY
 *	durable campaigns: expand, send, resume, status, outbox
 * SYNOPSIS
 *	#include "campaign.h"
 *
 *	int	campaign_send(const struct conf *conf, const struct campaign_opts *o);
 *	int	campaign_resume(const struct conf *conf, int64_t id, const struct campaign_opts *o);
 *	int	campaign_status(const struct conf *conf, int64_t id, FILE *fp);
 *	int	campaign_outbox(const struct conf *conf, const struct campaign_opts *o);
 * DESCRIPTION
 *	campaign_send() creates a campaign and, in ONE transaction,
 *	one delivery row per recipient (queued, or skipped with the
 *	reason), each with its Message-ID fixed; every queued recipient's
 *	message is rendered first, so a missing placeholder stops the
 *	campaign before anything is recorded or sent. It then sends.
 *	With o->dry_run nothing is written to the store: every message is
 *	rendered into the "dir" transport (o->outdir, else outdir; "-":
 *	standard output).
 *
 *	Sending (also campaign_resume()) runs smtp_connections worker
 *	threads for the SMTP transport (one otherwise), each with its own
 *	store connection and transport. A worker takes a few rows at
 *	once (up to CAMPAIGN_WORKER_BATCH, about CAMPAIGN_COMMIT_MS worth
 *	at its current pace). Before their messages are handed on, the
 *	rows are marked "sending (attempt N)" and their Message-IDs put in
 *	the message log, in one committed transaction; afterwards each row
 *	becomes sent, failed (5xx, or 4xx smtp_max_attempts times) or stays
 *	queued as "deferred" to be retried after o->retry_delay x N
 *	seconds, recorded in one transaction at least every
 *	CAMPAIGN_COMMIT_MS. A row still marked "sending" when a run starts
 *	was interrupted between those two commits: the server may have the
 *	message, so sending it again (with the same Message-ID) is a
 *	possible duplicate, counted in the summary. Rows of a batch that a
 *	stopping run (SIGINT, an error) never handed over go back to what
 *	they were. The worker connections commit without fsync
 *	(store_set_sync()): safe against a kill, not a power loss.
 *
 *	A run ends when no row is queued (the campaign is finished), on
 *	SIGINT/SIGTERM (the current messages complete), or when the
 *	server cannot be reached smtp_max_attempts times in a row; rows
 *	left queued are sent by campaign_resume(). Only one process works
 *	on a campaign at a time (a lock file next to the database).
 *
 *	campaign_outbox() delivers queued system messages (opt-out
 *	confirmations, template optout_confirm, category account).
 *
 *	All return an exit status from <sysexits.h> and print a summary to
 *	standard output; errors go to standard error.
 * DIAGNOSTICS
 *	EX_OK, EX_USAGE, EX_DATAERR (template/audience errors), EX_NOINPUT,
 *	EX_CONFIG, EX_TEMPFAIL (rows left queued), EX_SOFTWARE.
 */
#ifndef LINKS_CAMPAIGN_H
#define LINKS_CAMPAIGN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audience.h"
#include "conf.h"
#include "progress.h"

#define CAMPAIGN_SET_MAX	64	/* --set options */
#define CAMPAIGN_BATCH		256	/* queued rows fetched at once */
#define CAMPAIGN_WORKER_BATCH	32	/* rows a worker marks, sends and records together */
#define CAMPAIGN_COMMIT_MS	20	/* sent rows wait at most this long to be recorded */
#define CAMPAIGN_RETRY_DELAY	30	/* seconds before the first retry of a 4xx */
#define CAMPAIGN_RETRY_MAX	3600	/* longest wait before a retry */

struct campaign_opts {
	const char *template_name;
	const char *staff_from;
	struct audience aud;		/* aud.cat is the category */
	const char *set[CAMPAIGN_SET_MAX];	/* "key=value" */
	size_t	nset;
	int	dry_run;
	const char *outdir;		/* dir transport override */
	const char *transport;		/* NULL: links.conf */
	long	rate;			/* messages per second; <0: send_rate */
	long	retry_delay;		/* seconds; <0: CAMPAIGN_RETRY_DELAY */
	enum progress_mode progress;
};

/* Set by the signal handler: finish the messages in hand, then stop. */
extern volatile sig_atomic_t campaign_stop;

int	campaign_send(const struct conf *conf, const struct campaign_opts *o);
int	campaign_resume(const struct conf *conf, int64_t id, const struct campaign_opts *o);
int	campaign_status(const struct conf *conf, int64_t id, FILE *fp);
int	campaign_outbox(const struct conf *conf, const struct campaign_opts *o);

#endif
