/*
 * NAME
 *	report 3
 * SUMMARY
 *	what the campaigns did: links-sender status
 * SYNOPSIS
 *	#include "report.h"
 * DESCRIPTION
 *	See report.h. Times are shown in UTC.
 * DIAGNOSTICS
 *	See report.h.
 */
#include "config.h"

#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "params.h"
#include "report.h"
#include "store.h"

#define REPORT_ERR_MAX	512
#define REPORT_WHEN_MAX	32

struct status_ctx {
	struct store *st;
	FILE   *fp;
	int	err;
};

/* status_one - one campaign's line */
static int
status_one(const struct store_campaign *c, void *arg)
{
	struct status_ctx *s = arg;
	long	n[4];
	char	when[REPORT_WHEN_MAX];
	struct tm tm;

	if (store_delivery_counts(s->st, c->id, n) != STORE_OK) {
		s->err = 1;
		return (1);
	}
	gmtime_r(&c->created, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	fprintf(s->fp, "%-6lld %-16s %-11s %-20s %-9s %7ld %7ld %7ld %7ld %7ld\n",
		(long long) c->id, when, category_name(c->category), c->template_name,
		c->finished ? "finished" : "open", n[0] + n[1] + n[2] + n[3],
		n[STORE_DLV_SENT], n[STORE_DLV_FAILED], n[STORE_DLV_SKIPPED], n[STORE_DLV_QUEUED]);
	return (0);
}

/* status_details - what else staff need of campaign C: subject, audience, schedule */
static void
status_details(struct status_ctx *s, const struct store_campaign *c)
{
	struct params p;
	char	err[REPORT_ERR_MAX], when[REPORT_WHEN_MAX];
	struct tm tm;

	memset(&p, 0, sizeof(p));
	if (params_load(c->params, &p, err, sizeof(err)) < 0)
		memset(&p, 0, sizeof(p));	/* erased with its customer: say nothing */
	fprintf(s->fp, "subject: %s\n", p.subject ? p.subject : "(not recorded)");
	fprintf(s->fp, "audience: %s\n", c->audience ? c->audience : "");
	if (p.staff_name != NULL)
		fprintf(s->fp, "from: %s\n", p.staff_name);
	if (p.not_before > 0) {
		gmtime_r(&p.not_before, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		fprintf(s->fp, "scheduled: %s\n", when);
	}
	params_clear(&p);
}

/* status_replies - what campaign C caused: refusals, questions, bounces; -1 on error */
static int
status_replies(struct status_ctx *s, const struct store_campaign *c)
{
	struct store_campaign_replies r;

	if (store_campaign_replies(s->st, c->id, &r) != STORE_OK)
		return (-1);
	fprintf(s->fp, "refusals in reply: %ld customer%s (%ld message%s)\n",
		r.refusal_customers, r.refusal_customers == 1 ? "" : "s",
		r.refusal_messages, r.refusal_messages == 1 ? "" : "s");
	fprintf(s->fp, "questions in reply: %ld customer%s (%ld message%s)\n",
		r.question_customers, r.question_customers == 1 ? "" : "s",
		r.question_messages, r.question_messages == 1 ? "" : "s");
	fprintf(s->fp, "bounced: %ld customer%s hard, %ld soft\n",
		r.bounce_hard_customers, r.bounce_hard_customers == 1 ? "" : "s",
		r.bounce_soft_customers);
	return (0);
}

/* status_campaign - the report of campaign ID; an EX_ code */
static int
status_campaign(struct status_ctx *s, int64_t id)
{
	struct store_campaign c;
	int	r, ex = EX_OK;

	memset(&c, 0, sizeof(c));
	r = store_campaign_get(s->st, id, &c);
	if (r == STORE_OK) {
		status_one(&c, s);
		status_details(s, &c);
		if (status_replies(s, &c) < 0)
			s->err = 1;
	} else if (r == STORE_NOTFOUND) {
		fprintf(stderr, "links-sender: no campaign %lld\n", (long long) id);
		ex = EX_NOINPUT;
	} else
		s->err = 1;
	store_campaign_clear(&c);
	return (ex);
}

/* report_status - links-sender status [ID] */
int
report_status(const struct conf *conf, int64_t id, FILE *fp)
{
	struct store *st;
	struct status_ctx s;
	char	err[REPORT_ERR_MAX];
	int	ex = EX_OK;

	if ((st = store_open(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (EX_TEMPFAIL);
	}
	s.st = st;
	s.fp = fp;
	s.err = 0;
	fprintf(fp, "%-6s %-16s %-11s %-20s %-9s %7s %7s %7s %7s %7s\n", "id", "created (UTC)",
		"category", "template", "state", "total", "sent", "failed", "skipped", "queued");
	if (id > 0)
		ex = status_campaign(&s, id);
	else if (store_campaign_each(st, status_one, &s) < 0)
		s.err = 1;
	if (s.err) {
		fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
		ex = EX_TEMPFAIL;
	}
	store_close(st);
	return (ex);
}
