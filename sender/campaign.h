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
 *	int	campaign_due(const struct conf *conf, const struct campaign_opts *o);
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
 *	Guards, each refusing before anything is recorded or sent (EX_USAGE):
 *	an audience of every customer (no --to, no --customers, a category
 *	whose audience is not a service) needs o->all, and the refusal
 *	says how many customers it would reach; every --set key must be a
 *	placeholder of the template (the template declares its keys).
 *
 *	With o->not_before in the future the campaign is created (rows,
 *	guards, all checks now) but not sent: campaign_due() sends it then.
 *
 *	campaign_resume() sends what an interrupted campaign left queued,
 *	with the template and parameters kept with the campaign; a
 *	scheduled campaign before its time only with o->now.
 *
 *	campaign_due() sends every unfinished scheduled campaign whose time
 *	has come (links-sender due, from a timer); one locked by another
 *	process is left to it.
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
#include <time.h>

#include "audience.h"
#include "compose.h"
#include "conf.h"
#include "delivery.h"
#include "params.h"

struct campaign_opts {
	const char *template_name;
	const char *staff_from;		/* staff: the staff member's address */
	const char *staff_name;		/* staff: and name */
	struct audience aud;		/* aud.cat is the category */
	const char *set[PARAMS_SET_MAX];	/* "key=value" */
	size_t	nset;
	int	dry_run;
	int	all;			/* --all: every customer is meant */
	const char *test_to;		/* --test-to: one test message to staff */
	int	now;			/* resume: a scheduled campaign now */
	time_t	not_before;		/* --schedule; 0: now */
	struct delivery_cli run;	/* transport, outdir, rate, progress */
};

int	campaign_send(const struct conf *conf, const struct campaign_opts *o);
int	campaign_resume(const struct conf *conf, int64_t id, const struct campaign_opts *o);
int	campaign_due(const struct conf *conf, const struct campaign_opts *o);

/*
 * campaign_compose() loads O's template, checks its --set values (keys
 * the template uses, values fit for it) and makes the composer; an EX_
 * code with ERR. The caller frees *T, *SET and *COMP.
 */
int	campaign_compose(const struct conf *conf, const struct campaign_opts *o, struct tmpl **t,
			 struct tmpl_vars **set, struct compose **comp, char *err, size_t errlen);

#endif
