/*
 * NAME
 *	links-sender 1
 * SUMMARY
 *	send LINKS notices, surveys and promotions from the customer store
 * SYNOPSIS
 *	links-sender [-c FILE] [-o name=value] COMMAND [options]
 *
 *	links-sender send --category C --template T [--service-type S]
 *		[--service-ref REF] [--to EMAIL | --customers FILE] [--from ADDR]
 *		[--set key=value ...] [--dry-run] [--outdir DIR] [--rate N/s]
 *	links-sender resume CAMPAIGN
 *	links-sender status [CAMPAIGN]
 *	links-sender outbox
 * DESCRIPTION
 *	The command-line front end of campaign.c, outbox.c and report.c:
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

#include "campaign.h"
#include "conf.h"
#include "log.h"
#include "outbox.h"
#include "report.h"
#include "store.h"
#include "transport.h"

#define SENDER_RATE_MAX	100000		/* --rate limit, messages per second */
#define SENDER_CONTINUE	(-1)		/* parse_*(): go on */

/* The commands, and what each takes. */
enum cmd { CMD_SEND, CMD_RESUME, CMD_STATUS, CMD_OUTBOX };
enum cmd_id { ID_NONE, ID_OPTIONAL, ID_REQUIRED };

static const struct command {
	const char *name;
	enum cmd cmd;
	int	campaign_opts;		/* takes the options of a new campaign */
	enum cmd_id id;			/* a CAMPAIGN argument */
} commands[] = {
	{"send", CMD_SEND, 1, ID_NONE},
	{"resume", CMD_RESUME, 0, ID_REQUIRED},
	{"status", CMD_STATUS, 0, ID_OPTIONAL},
	{"outbox", CMD_OUTBOX, 0, ID_NONE},
};

/* Everything the command line says. */
struct cli {
	const char *conf_path;
	struct conf_overrides ov;
	const struct command *cmd;
	const char *category;
	int64_t id;
	struct campaign_opts o;
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
"       [--from NAME@DOMAIN] [--dry-run] [--outdir DIR|-] [--rate N/s]\n"
"       [--retry-delay SECONDS] [--transport smtp|sendmail|dir] [--no-progress]\n"
"      categories: account maintenance survey promotion answer staff\n"
"      audience:   --service-type S   customers with an active contract of type S\n"
"                                     (required for maintenance)\n"
"                  --service-ref REF  the contract REF of each customer\n"
"                  --to EMAIL         one customer\n"
"                  --customers FILE   addresses or customer ids, one per line ('-': stdin)\n"
"                  (none: every customer; answer and staff need --to or --customers)\n"
"  resume CAMPAIGN   send what an interrupted campaign left queued\n"
"  status [CAMPAIGN] counts per campaign\n"
"  outbox            deliver queued system messages (opt-out confirmations)\n"
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
	OPT_CUSTOMERS, OPT_FROM, OPT_SET, OPT_DRY_RUN, OPT_OUTDIR, OPT_RATE, OPT_RETRY_DELAY,
	OPT_TRANSPORT, OPT_NO_PROGRESS, OPT_HELP, OPT_VERSION
};

static const struct option long_opts[] = {
	{"category", required_argument, NULL, OPT_CATEGORY},
	{"template", required_argument, NULL, OPT_TEMPLATE},
	{"service-type", required_argument, NULL, OPT_SERVICE_TYPE},
	{"service-ref", required_argument, NULL, OPT_SERVICE_REF},
	{"to", required_argument, NULL, OPT_TO},
	{"customers", required_argument, NULL, OPT_CUSTOMERS},
	{"from", required_argument, NULL, OPT_FROM},
	{"set", required_argument, NULL, OPT_SET},
	{"dry-run", no_argument, NULL, OPT_DRY_RUN},
	{"outdir", required_argument, NULL, OPT_OUTDIR},
	{"rate", required_argument, NULL, OPT_RATE},
	{"retry-delay", required_argument, NULL, OPT_RETRY_DELAY},
	{"transport", required_argument, NULL, OPT_TRANSPORT},
	{"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
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
		o->staff_from = arg;
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
	return (SENDER_CONTINUE);
}

/* check_usage - the rules that need no configuration */
static int
check_usage(struct cli *c)
{
	const struct campaign_opts *o = &c->o;

	if (c->cmd->campaign_opts)
		return (check_send(c));
	if (c->category || o->template_name || o->aud.to || o->aud.customers_file
	    || o->aud.service_type || o->nset || o->dry_run || o->staff_from)
		return (fail_usage("%s takes no campaign options", c->cmd->name));
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
		return (campaign_send(conf, &c->o));
	case CMD_RESUME:
		return (campaign_resume(conf, c->id, &c->o));
	case CMD_STATUS:
		return (report_status(conf, c->id, stdout));
	case CMD_OUTBOX:
		return (outbox_run(conf, &c->o.run));
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
	install_signals();
	ex = dispatch(&c, conf);
	if (delivery_stop)
		fprintf(stderr, "links-sender: interrupted; what is left stays queued\n");
	log_close();
	conf_free(conf);
	return (ex);
}
