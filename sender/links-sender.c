/*
 * NAME
 *	links-sender 1
 * SUMMARY
 *	send LINKS notices, surveys and promotions from the customer store
 * SYNOPSIS
 *	links-sender [-c FILE] [-o name=value] COMMAND [options]
 *
 *	links-sender send --category C --template T [--service-type S]
 *		[--service-ref REF] [--to EMAIL | --customers FILE | --all]
 *		[--from "NAME <ADDR>"] [--set key=value ...] [--dry-run]
 *		[--test-to ADDR] [--schedule TIME] [--outdir DIR] [--rate N/s]
 *	links-sender preview --category C --template T [audience] [--set ...]
 *		[--outdir DIR] [--browser]
 *	links-sender resume CAMPAIGN [--now]
 *	links-sender status [CAMPAIGN]
 *	links-sender due
 *	links-sender outbox
 *	links-sender digest [--since TIME] [--until TIME] [--to ADDR]
 *		[--lines N] [--skip-empty] [--dry-run | --outdir DIR]
 * DESCRIPTION
 *	The command-line front end of campaign.c, sample.c, outbox.c, report.c
 *	and digest.c:
 *	parses options, enforces the usage rules of policy section 5 (read
 *	from the category table: maintenance needs a service type; answer
 *	and staff need explicit recipients; staff needs --from), loads
 *	links.conf and installs the signal handlers (SIGINT and SIGTERM
 *	stop after the messages in hand). See links-sender(1).
 * DIAGNOSTICS
 *	Exit status from <sysexits.h>: EX_OK, EX_USAGE, EX_DATAERR,
 *	EX_NOINPUT, EX_CONFIG, EX_TEMPFAIL (something is left to do:
 *	resume), EX_SOFTWARE.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "campaign.h"
#include "conf.h"
#include "digest.h"
#include "log.h"
#include "outbox.h"
#include "report.h"
#include "sample.h"
#include "store.h"
#include "text.h"
#include "transport.h"

#define SENDER_RATE_MAX	100000		/* --rate limit, messages per second */
#define SENDER_SCHEDULE_MAX	(366L * 86400)	/* --schedule at most a year ahead */
#define SENDER_SCHEDULE_PAST	60		/* seconds in the past still taken as now */
#define SENDER_NAME_MAX		256		/* --from "NAME <ADDR>" */
#define SENDER_CONTINUE	(-1)		/* parse_*(): go on */

/* The commands, and what each takes. */
enum cmd { CMD_SEND, CMD_PREVIEW, CMD_RESUME, CMD_STATUS, CMD_DUE, CMD_OUTBOX, CMD_DIGEST };
enum cmd_id { ID_NONE, ID_OPTIONAL, ID_REQUIRED };

static const struct command {
	const char *name;
	enum cmd cmd;
	int	campaign_opts;		/* takes the options of a new campaign */
	enum cmd_id id;			/* a CAMPAIGN argument */
} commands[] = {
	{"send", CMD_SEND, 1, ID_NONE},
	{"preview", CMD_PREVIEW, 1, ID_NONE},
	{"resume", CMD_RESUME, 0, ID_REQUIRED},
	{"status", CMD_STATUS, 0, ID_OPTIONAL},
	{"due", CMD_DUE, 0, ID_NONE},
	{"outbox", CMD_OUTBOX, 0, ID_NONE},
	{"digest", CMD_DIGEST, 0, ID_NONE},
};

/* Everything the command line says. */
struct cli {
	const char *conf_path;
	struct conf_overrides ov;
	const struct command *cmd;
	const char *category;
	int64_t id;
	int	browser;		/* preview --browser */
	const char *schedule;		/* --schedule, as given */
	char	from_addr[SENDER_NAME_MAX];	/* --from "NAME <ADDR>" split */
	char	from_name[SENDER_NAME_MAX];
	struct campaign_opts o;
	const char *since, *until;	/* digest --since, --until, as given */
	struct digest_opts d;		/* digest */
};

/* usage - the help text */
static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: links-sender [-c FILE] [-o name=value] COMMAND [options]\n"
"\n"
"commands:\n"
"  send --category C --template T [audience] [--set key=value ...]\n"
"       [--from \"NAME <name@DOMAIN>\"] [--dry-run] [--test-to ADDRESS]\n"
"       [--schedule TIME] [--outdir DIR|-] [--rate N/s] [--retry-delay SECONDS]\n"
"       [--transport smtp|sendmail|dir] [--no-progress]\n"
"      categories: account maintenance survey promotion answer staff\n"
"      audience:   --service-type S   customers with an active contract of type S\n"
"                                     (required for maintenance)\n"
"                  --service-ref REF  the contract REF of each customer\n"
"                  --to EMAIL         one customer\n"
"                  --customers FILE   addresses or customer ids, one per line ('-': stdin)\n"
"                  --all              every customer (needed when none is named)\n"
"      --test-to ADDRESS  one test message, as a sample customer gets it, to a\n"
"                         company address; nothing is recorded\n"
"      --schedule TIME    create now, send at TIME (YYYY-MM-DD HH:MM[ +ZZ:ZZ], +30m,\n"
"                         +2h, +1d): `links-sender due` sends it\n"
"      --from-name NAME   the staff member's name (or --from \"NAME <ADDR>\")\n"
"  preview (the options of send) [--outdir DIR] [--browser]\n"
"                    write the text and HTML of a sample customer's message\n"
"  resume CAMPAIGN [--now]  send what a campaign left queued (--now: before its time)\n"
"  status [CAMPAIGN] campaigns; with a number, its report\n"
"  due               send the scheduled campaigns whose time has come\n"
"  outbox            deliver queued system messages (opt-out confirmations)\n"
"  digest [--since TIME] [--until TIME] [--to ADDRESS] [--lines N] [--skip-empty]\n"
"         [--dry-run | --outdir DIR]\n"
"                    mail support what happened (default: the 24 hours before the\n"
"                    last whole hour): refusals, questions, bounces, unverified\n"
"\n"
"options:\n"
"  -c FILE        configuration (default %s)\n"
"  -o name=value  override one links.conf option\n"
"  --help, --version\n", conf_default_path());
}

/* on_signal - SIGINT, SIGTERM: finish the messages in hand, then stop */
static void
on_signal(int sig)
{
	(void) sig;
	delivery_stop = 1;
}

/* parse_count - a number 0..MAX, optionally followed by "/s" */
static int
parse_count(const char *s, long max, long *out)
{
	char   *end;
	long	v = strtol(s, &end, 10);

	if (end == s || v < 0 || v > max)
		return (-1);
	if (*end != 0 && strcmp(end, "/s") != 0)
		return (-1);
	*out = v;
	return (0);
}

/* parse_id - a campaign number */
static int
parse_id(const char *s, int64_t *out)
{
	char   *end;
	long long v = strtoll(s, &end, 10);

	if (end == s || *end != 0 || v <= 0)
		return (-1);
	*out = v;
	return (0);
}

enum {
	OPT_CATEGORY = 256, OPT_TEMPLATE, OPT_SERVICE_TYPE, OPT_SERVICE_REF, OPT_TO,
	OPT_CUSTOMERS, OPT_FROM, OPT_FROM_NAME, OPT_SET, OPT_DRY_RUN, OPT_OUTDIR, OPT_RATE,
	OPT_RETRY_DELAY, OPT_TRANSPORT, OPT_NO_PROGRESS, OPT_ALL, OPT_TEST_TO, OPT_SCHEDULE,
	OPT_NOW, OPT_BROWSER, OPT_SINCE, OPT_UNTIL, OPT_LINES, OPT_SKIP_EMPTY, OPT_HELP,
	OPT_VERSION
};

static const struct option long_opts[] = {
	{"category", required_argument, NULL, OPT_CATEGORY},
	{"template", required_argument, NULL, OPT_TEMPLATE},
	{"service-type", required_argument, NULL, OPT_SERVICE_TYPE},
	{"service-ref", required_argument, NULL, OPT_SERVICE_REF},
	{"to", required_argument, NULL, OPT_TO},
	{"customers", required_argument, NULL, OPT_CUSTOMERS},
	{"from", required_argument, NULL, OPT_FROM},
	{"from-name", required_argument, NULL, OPT_FROM_NAME},
	{"all", no_argument, NULL, OPT_ALL},
	{"test-to", required_argument, NULL, OPT_TEST_TO},
	{"schedule", required_argument, NULL, OPT_SCHEDULE},
	{"now", no_argument, NULL, OPT_NOW},
	{"browser", no_argument, NULL, OPT_BROWSER},
	{"set", required_argument, NULL, OPT_SET},
	{"dry-run", no_argument, NULL, OPT_DRY_RUN},
	{"outdir", required_argument, NULL, OPT_OUTDIR},
	{"rate", required_argument, NULL, OPT_RATE},
	{"retry-delay", required_argument, NULL, OPT_RETRY_DELAY},
	{"transport", required_argument, NULL, OPT_TRANSPORT},
	{"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
	{"since", required_argument, NULL, OPT_SINCE},
	{"until", required_argument, NULL, OPT_UNTIL},
	{"lines", required_argument, NULL, OPT_LINES},
	{"skip-empty", no_argument, NULL, OPT_SKIP_EMPTY},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0}
};

/* fail_usage - print a usage error; EX_USAGE */
static int __attribute__((format(printf, 1, 2)))
fail_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "links-sender: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return (EX_USAGE);
}

/* common_opt - --help, --version; SENDER_CONTINUE for anything else */
static int
common_opt(int opt)
{
	switch (opt) {
	case OPT_HELP:
		usage(stdout);
		return (EX_OK);
	case OPT_VERSION:
		printf("links-sender (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return (EX_OK);
	default:
		usage(stderr);
		return (EX_USAGE);
	}
}

/* run_opt - an option of the run (transport, rate, ...); SENDER_CONTINUE when done */
static int
run_opt(struct delivery_cli *run, int opt, const char *arg)
{
	enum transport_kind kind;

	switch (opt) {
	case OPT_OUTDIR:
		run->outdir = arg;
		break;
	case OPT_RATE:
		if (parse_count(arg, SENDER_RATE_MAX, &run->rate) < 0)
			return (fail_usage("--rate: expected N or N/s (0..%d)", SENDER_RATE_MAX));
		break;
	case OPT_RETRY_DELAY:
		if (parse_count(arg, DELIVERY_RETRY_MAX, &run->retry_delay) < 0)
			return (fail_usage("--retry-delay: expected seconds (0..%d)",
					   DELIVERY_RETRY_MAX));
		break;
	case OPT_TRANSPORT:
		if (transport_parse(arg, &kind) < 0)
			return (fail_usage("--transport: smtp, sendmail or dir"));
		run->transport = (int) kind;
		break;
	case OPT_NO_PROGRESS:
		run->progress = PROGRESS_OFF;
		break;
	default:
		return (common_opt(opt));
	}
	return (SENDER_CONTINUE);
}

/* split_from - --from ADDR or --from "NAME <ADDR>"; SENDER_CONTINUE when done */
static int
split_from(struct cli *c, const char *arg)
{
	const char *lt = strrchr(arg, '<');
	size_t	n = strlen(arg);
	char   *name;

	if (lt == NULL || n == 0 || arg[n - 1] != '>') {
		c->o.staff_from = arg;
		return (SENDER_CONTINUE);
	}
	if (n >= sizeof(c->from_addr))
		return (fail_usage("--from: longer than %d bytes", SENDER_NAME_MAX - 1));
	snprintf(c->from_addr, sizeof(c->from_addr), "%.*s", (int) (n - 1 - (size_t) (lt + 1 - arg)),
		 lt + 1);
	snprintf(c->from_name, sizeof(c->from_name), "%.*s", (int) (lt - arg), arg);
	name = text_trim(c->from_name);
	n = strlen(name);
	if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
		name[n - 1] = 0;
		name++;
	}
	c->o.staff_from = c->from_addr;
	if (*name != 0)
		c->o.staff_name = name;
	return (SENDER_CONTINUE);
}

/* parse_when - --schedule TIME: "+N[mhd]" or "YYYY-MM-DD HH:MM[:SS][ ZONE]"; -1 when bad */
static int
parse_when(const char *s, time_t now, time_t *out)
{
	struct tm tm;
	const char *p;
	char	unit = 0;
	long	n, off = 0;
	int	c = 0;

	if (sscanf(s, "+%ld%c%n", &n, &unit, &c) == 2 && s[c] == 0 && n >= 0 && n <= 366 * 24 * 60
	    && strchr("mhd", unit) != NULL) {
		*out = now + n * (unit == 'm' ? 60 : unit == 'h' ? 3600 : 86400);
		return (0);
	}
	memset(&tm, 0, sizeof(tm));
	if ((p = strptime(s, "%Y-%m-%d%n%H:%M", &tm)) == NULL
	    && (p = strptime(s, "%Y-%m-%dT%H:%M", &tm)) == NULL)
		return (-1);
	if (p[0] == ':' && (p = strptime(p, ":%S", &tm)) == NULL)
		return (-1);
	while (*p == ' ')
		p++;
	if (*p == 0) {
		tm.tm_isdst = -1;
		*out = mktime(&tm);	/* local time */
		return (*out == (time_t) -1 ? -1 : 0);
	}
	if (strcmp(p, "Z") != 0 && strcmp(p, "UTC") != 0) {
		int	hh, mm;

		if ((sscanf(p, "%*[+-]%2d:%2d%n", &hh, &mm, &c) != 2 && sscanf(p, "%*[+-]%2d%2d%n",
		    &hh, &mm, &c) != 2) || p[c] != 0 || hh > 14 || mm > 59)
			return (-1);
		off = (hh * 3600L + mm * 60L) * (p[0] == '-' ? -1 : 1);
	}
	*out = timegm(&tm) - off;
	return (0);
}

/* check_schedule - --schedule TIME into O; SENDER_CONTINUE when done */
static int
check_schedule(struct cli *c)
{
	time_t	now = time(NULL), t;

	if (c->schedule == NULL)
		return (SENDER_CONTINUE);
	if (parse_when(c->schedule, now, &t) < 0)
		return (fail_usage("--schedule %s: expected YYYY-MM-DD HH:MM (local time, or "
				   "followed by Z or +HH:MM), or +N followed by m, h or d",
				   c->schedule));
	if (t < now - SENDER_SCHEDULE_PAST)
		return (fail_usage("--schedule %s: that time has passed", c->schedule));
	if (t > now + SENDER_SCHEDULE_MAX)
		return (fail_usage("--schedule %s: more than a year ahead", c->schedule));
	c->o.not_before = t;
	return (SENDER_CONTINUE);
}

/* command_opt - one option after the command; SENDER_CONTINUE when done */
static int
command_opt(struct cli *c, int opt, const char *arg)
{
	struct campaign_opts *o = &c->o;

	switch (opt) {
	case OPT_CATEGORY:
		c->category = arg;
		break;
	case OPT_TEMPLATE:
		o->template_name = arg;
		break;
	case OPT_SERVICE_TYPE:
		o->aud.service_type = arg;
		break;
	case OPT_SERVICE_REF:
		o->aud.service_ref = arg;
		break;
	case OPT_TO:
		o->aud.to = arg;
		break;
	case OPT_CUSTOMERS:
		o->aud.customers_file = arg;
		break;
	case OPT_FROM:
		return (split_from(c, arg));
	case OPT_FROM_NAME:
		o->staff_name = arg;
		break;
	case OPT_ALL:
		o->all = 1;
		break;
	case OPT_TEST_TO:
		o->test_to = arg;
		break;
	case OPT_SCHEDULE:
		c->schedule = arg;
		break;
	case OPT_NOW:
		o->now = 1;
		break;
	case OPT_BROWSER:
		c->browser = 1;
		break;
	case OPT_SINCE:
		c->since = arg;
		break;
	case OPT_UNTIL:
		c->until = arg;
		break;
	case OPT_LINES:
		if (parse_count(arg, DIGEST_LINES_MAX, &c->d.lines) < 0 || strchr(arg, '/'))
			return (fail_usage("--lines: expected a number 0..%d", DIGEST_LINES_MAX));
		break;
	case OPT_SKIP_EMPTY:
		c->d.skip_empty = 1;
		break;
	case OPT_SET:
		if (o->nset >= PARAMS_SET_MAX)
			return (fail_usage("more than %d --set options", PARAMS_SET_MAX));
		o->set[o->nset++] = arg;
		break;
	case OPT_DRY_RUN:
		o->dry_run = 1;
		break;
	default:
		return (run_opt(&o->run, opt, arg));
	}
	return (SENDER_CONTINUE);
}

/* parse_global - the options before the command, and the command */
static int
parse_global(int argc, char **argv, struct cli *c)
{
	char	err[CONF_ERR_MAX];
	size_t	i;
	int	opt;

	while ((opt = getopt_long(argc, argv, "+c:o:", long_opts, NULL)) != -1) {
		if (opt == 'c')
			c->conf_path = optarg;
		else if (opt != 'o')
			return (common_opt(opt));
		else if (conf_overrides_add(&c->ov, optarg, err, sizeof(err)) < 0)
			return (fail_usage("%s", err));
	}
	if (optind >= argc) {
		usage(stderr);
		return (EX_USAGE);
	}
	if (strcmp(argv[optind], "help") == 0)
		return (common_opt(OPT_HELP));
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			c->cmd = &commands[i];
	if (c->cmd == NULL) {
		fprintf(stderr, "links-sender: unknown command \"%s\"\n", argv[optind]);
		usage(stderr);
		return (EX_USAGE);
	}
	optind++;
	return (SENDER_CONTINUE);
}

/* parse_command - the command's own options, permuted: "resume 12 --rate 5" works */
static int
parse_command(int argc, char **argv, struct cli *c)
{
	int	opt, ex;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1)
		if ((ex = command_opt(c, opt, optarg)) != SENDER_CONTINUE)
			return (ex);
	if (c->cmd->id != ID_NONE && optind < argc && parse_id(argv[optind++], &c->id) < 0)
		return (fail_usage("%s: CAMPAIGN is a campaign number", c->cmd->name));
	if (c->cmd->id == ID_REQUIRED && c->id == 0)
		return (fail_usage("%s CAMPAIGN (see links-sender status)", c->cmd->name));
	if (optind < argc)
		return (fail_usage("unexpected argument \"%s\"", argv[optind]));
	return (SENDER_CONTINUE);
}

/* check_send_modes - what --dry-run, --test-to, --schedule and preview allow together */
static int
check_send_modes(struct cli *c)
{
	const struct campaign_opts *o = &c->o;
	int	preview = c->cmd->cmd == CMD_PREVIEW;

	if (o->test_to != NULL && (o->dry_run || c->schedule || preview))
		return (fail_usage("--test-to sends one test message now: not with --dry-run, "
				   "--schedule or preview"));
	if (c->schedule != NULL && (o->dry_run || preview))
		return (fail_usage("--schedule is for a campaign that is sent: not with --dry-run "
				   "or preview"));
	if (preview && o->dry_run)
		return (fail_usage("preview records and sends nothing: --dry-run is not needed"));
	if (c->browser && !preview)
		return (fail_usage("--browser is for preview"));
	if (o->now)
		return (fail_usage("--now is for resume"));
	return (check_schedule(c));
}

/* check_send - the usage rules of a new campaign, from the category table */
static int
check_send(struct cli *c)
{
	struct campaign_opts *o = &c->o;
	const struct category_info *ci;

	if (c->category == NULL || category_parse(c->category, &o->aud.cat) < 0)
		return (fail_usage("send needs --category "
				   "account|maintenance|survey|promotion|answer|staff"));
	if (o->template_name == NULL)
		return (fail_usage("send needs --template NAME (or a path)"));
	ci = category_get(o->aud.cat);
	if (ci->audience == CATEGORY_AUD_SERVICE && o->aud.service_type == NULL)
		return (fail_usage("maintenance mail goes only to the customers of the service "
				   "maintained: give --service-type"));
	if (ci->audience == CATEGORY_AUD_ADDRESSED && o->aud.to == NULL
	    && o->aud.customers_file == NULL)
		return (fail_usage("%s mail needs --to or --customers", c->category));
	if (ci->from == CATEGORY_FROM_STAFF && o->staff_from == NULL)
		return (fail_usage("staff mail needs --from NAME@DOMAIN"));
	if (o->aud.to != NULL && o->aud.customers_file != NULL)
		return (fail_usage("give --to or --customers, not both"));
	if (o->all && (o->aud.to != NULL || o->aud.customers_file != NULL))
		return (fail_usage("--all means every customer: leave out --to and --customers"));
	return (check_send_modes(c));
}

/* digest_time - --since/--until TIME of digest into *OUT; SENDER_CONTINUE when done */
static int
digest_time(const char *opt, const char *arg, time_t now, time_t *out)
{
	char	buf[SENDER_NAME_MAX];
	size_t	n;

	if (arg == NULL)
		return (SENDER_CONTINUE);
	n = strlen(arg);
	if (n == DIGEST_DATE_LEN && snprintf(buf, sizeof(buf), "%s 00:00", arg) > 0)
		arg = buf;		/* a date: its start, local time */
	if (arg[0] == '+' || n >= sizeof(buf) || parse_when(arg, now, out) < 0)
		return (fail_usage("--%s %s: expected YYYY-MM-DD or YYYY-MM-DD HH:MM (local time, "
				   "or followed by Z or +HH:MM)", opt, arg == buf ? buf : arg));
	return (SENDER_CONTINUE);
}

/* check_digest - the options of digest into c->d */
static int
check_digest(struct cli *c)
{
	const struct campaign_opts *o = &c->o;
	time_t	now = time(NULL);
	int	ex;

	if (c->category || o->template_name || o->aud.customers_file || o->aud.service_type
	    || o->aud.service_ref || o->nset || o->staff_from || o->staff_name || o->all
	    || o->test_to || c->schedule || c->browser || o->now || o->run.rate >= 0
	    || o->run.retry_delay >= 0)
		return (fail_usage("digest takes --since, --until, --to, --lines, --skip-empty, "
				   "--dry-run, --outdir and --transport"));
	if (o->dry_run && o->run.outdir != NULL)
		return (fail_usage("digest: --dry-run prints the digest; --outdir writes it: "
				   "choose one"));
	if ((ex = digest_time("since", c->since, now, &c->d.since)) != SENDER_CONTINUE
	    || (ex = digest_time("until", c->until, now, &c->d.until)) != SENDER_CONTINUE)
		return (ex);
	if (c->d.since != 0 && c->until == NULL)
		c->d.until = now;	/* --since alone: up to now */
	if (c->d.until != 0 && c->since == NULL)
		c->d.since = c->d.until - DIGEST_WINDOW;
	if (c->d.since >= c->d.until && (c->since || c->until))
		return (fail_usage("digest: --until must come after --since"));
	c->d.to = o->aud.to;
	c->d.dry_run = o->dry_run;
	c->d.run = o->run;
	return (SENDER_CONTINUE);
}

/* check_usage - the rules that need no configuration */
static int
check_usage(struct cli *c)
{
	const struct campaign_opts *o = &c->o;

	if (c->cmd->campaign_opts)
		return (check_send(c));
	if (c->cmd->cmd == CMD_DIGEST)
		return (check_digest(c));
	if (c->since || c->until || c->d.lines >= 0 || c->d.skip_empty)
		return (fail_usage("--since, --until, --lines and --skip-empty are for digest"));
	if (c->category || o->template_name || o->aud.to || o->aud.customers_file
	    || o->aud.service_type || o->aud.service_ref || o->nset || o->dry_run || o->staff_from
	    || o->staff_name || o->all || o->test_to || c->schedule || c->browser)
		return (fail_usage("%s takes no campaign options", c->cmd->name));
	if (o->now && c->cmd->cmd != CMD_RESUME)
		return (fail_usage("--now is for resume"));
	return (SENDER_CONTINUE);
}

/* load_conf - links.conf with the -o overrides; NULL after a message */
static struct conf *
load_conf(const struct cli *c)
{
	struct conf *conf;
	char	err[CONF_ERR_MAX];

	if ((conf = conf_load(c->conf_path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (NULL);
	}
	if (conf_overrides_apply(conf, &c->ov, err, sizeof(err)) < 0) {
		fprintf(stderr, "links-sender: %s\n", err);
		conf_free(conf);
		return (NULL);
	}
	return (conf);
}

/*
 * warn_deprecated - say that unsubscribe_url is deprecated: the one-click
 * link comes from web_base_url (links-web's own URL, dated tokens).
 */
static void
warn_deprecated(const struct conf *conf)
{
	const char *old = conf_unsubscribe_url(conf);

	if (old == NULL || *old == 0)
		return;
	if (*conf_web_base_url(conf) != 0)
		fprintf(stderr, "links-sender: warning: unsubscribe_url is deprecated and ignored: "
			"the one-click link comes from web_base_url\n");
	else
		fprintf(stderr, "links-sender: warning: unsubscribe_url is deprecated: set "
			"web_base_url to links-web's URL instead (links from unsubscribe_url work "
			"only until web_undated_tokens_until)\n");
}

/* install_signals - stop cleanly on SIGINT and SIGTERM; ignore SIGPIPE */
static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* dispatch - run the command */
static int
dispatch(const struct cli *c, const struct conf *conf)
{
	switch (c->cmd->cmd) {
	case CMD_SEND:
		if (c->o.test_to != NULL)
			return (sample_test(conf, &c->o));
		return (campaign_send(conf, &c->o));
	case CMD_PREVIEW:
		return (sample_preview(conf, &c->o, c->o.run.outdir, c->browser));
	case CMD_DUE:
		return (campaign_due(conf, &c->o));
	case CMD_RESUME:
		return (campaign_resume(conf, c->id, &c->o));
	case CMD_STATUS:
		return (report_status(conf, c->id, stdout));
	case CMD_OUTBOX:
		return (outbox_run(conf, &c->o.run));
	case CMD_DIGEST:
		return (digest_send(conf, &c->d));
	}
	return (EX_SOFTWARE);
}

/* main - links-sender */
int
main(int argc, char **argv)
{
	struct cli c;
	struct conf *conf;
	int	ex;

	memset(&c, 0, sizeof(c));
	c.o.run.transport = -1;
	c.o.run.rate = -1;
	c.o.run.retry_delay = -1;
	c.o.run.progress = PROGRESS_AUTO;
	c.d.lines = -1;
	if ((ex = parse_global(argc, argv, &c)) != SENDER_CONTINUE)
		return (ex);
	argc = argc - optind + 1;
	argv = argv + optind - 1;
	if ((ex = parse_command(argc, argv, &c)) != SENDER_CONTINUE
	    || (ex = check_usage(&c)) != SENDER_CONTINUE)
		return (ex);
	if ((conf = load_conf(&c)) == NULL)
		return (EX_CONFIG);
	log_open("links-sender", 0, conf);
	warn_deprecated(conf);
	install_signals();
	ex = dispatch(&c, conf);
	if (delivery_stop)
		fprintf(stderr, "links-sender: interrupted; what is left stays queued\n");
	log_close();
	conf_free(conf);
	return (ex);
}
