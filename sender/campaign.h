/*
 * NAME
 *	campaign 3h
 * SUMMARY
 *	durable campaigns: expand, send, resume
 * SYNOPSIS
 *	#include "campaign.h"
 *
 *	int	campaign_send(const struct conf *conf, const struct campaign_opts *o);
 *	int	campaign_resume(const struct conf *conf, int64_t id, const struct campaign_opts *o);
 * DESCRIPTION
 *	campaign_send() creates a campaign and, in ONE transaction, one
 *	delivery row per recipient (queued, or skipped with the reason),
 *	each with its Message-ID fixed; every queued recipient's message
 *	is rendered first, so a missing placeholder stops the campaign
 *	before anything is recorded or sent. It then sends the queued rows
 *	through the delivery engine (delivery.h), for which a campaign is
 *	a row source. With o->dry_run nothing is written to the store:
 *	every message is rendered into the "dir" transport (o->run.outdir,
 *	else outdir; "-": standard output).
 *
 *	campaign_resume() sends what an interrupted campaign left queued,
 *	with the template and parameters kept with the campaign.
 *
 *	Only one process works on a campaign at a time (lock.h).
 *	Both return an exit status from <sysexits.h> and print a summary to
 *	standard output; errors go to standard error.
 * DIAGNOSTICS
 *	EX_OK, EX_USAGE, EX_DATAERR (template/audience errors), EX_NOINPUT,
 *	EX_CANTCREAT (dry run output), EX_TEMPFAIL (rows left queued, store
 *	busy), EX_SOFTWARE.
 */
#ifndef LINKS_CAMPAIGN_H
#define LINKS_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>

#include "audience.h"
#include "conf.h"
#include "delivery.h"
#include "params.h"

struct campaign_opts {
	const char *template_name;
	const char *staff_from;
	struct audience aud;		/* aud.cat is the category */
	const char *set[PARAMS_SET_MAX];	/* "key=value" */
	size_t	nset;
	int	dry_run;
	struct delivery_cli run;	/* transport, outdir, rate, progress */
};

int	campaign_send(const struct conf *conf, const struct campaign_opts *o);
int	campaign_resume(const struct conf *conf, int64_t id, const struct campaign_opts *o);

#endif
