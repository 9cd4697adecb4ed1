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
 *	The command-line front end of campaign.c: parses options, enforces
 *	the usage rules of policy section 5 (maintenance needs a service
 *	type; answer and staff need explicit recipients; staff needs
 *	--from), loads links.conf and installs the signal handlers (SIGINT
 *	and SIGTERM stop after the messages in hand). See links-sender(1).
 * DIAGNOSTICS
 *	Exit status from <sysexits.h>: EX_OK, EX_USAGE, EX_DATAERR,
 *	EX_NOINPUT, EX_CONFIG, EX_TEMPFAIL (something is left to do:
 *	resume), EX_SOFTWARE.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "campaign.h"
#include "conf.h"
#include "log.h"
#include "store.h"


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

static void
on_signal(int sig)
{
	(void) sig;
	campaign_stop = 1;
}

static int
parse_rate(const char *s, long *out)
{
	char   *end;
	long	v = strtol(s, &end, 10);

	if (end == s || v < 0 || v > 100000)
		return (-1);
	if (*end != 0 && strcmp(end, "/s") != 0)
		return (-1);
	*out = v;
	return (0);
}

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

int
main(int argc, char **argv)
{
	const char *conf_path = NULL, *cmd, *category = NULL;
	struct conf_overrides ov = {0};
	struct campaign_opts o;
	struct conf *conf = NULL;
	struct sigaction sa;
	char	err[CONF_ERR_MAX];
	int	c, ex, have_category = 0;
	int64_t id = 0;

	memset(&o, 0, sizeof(o));
	o.rate = -1;
	o.retry_delay = -1;
	o.progress = PROGRESS_AUTO;

	while ((c = getopt_long(argc, argv, "+c:o:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf_path = optarg;
			break;
		case 'o':
			if (conf_overrides_add(&ov, optarg, err, sizeof(err)) < 0) {
				fprintf(stderr, "links-sender: %s\n", err);
				return (EX_USAGE);
			}
			break;
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
	if (optind >= argc) {
		usage(stderr);
		return (EX_USAGE);
	}
	cmd = argv[optind++];
	if (strcmp(cmd, "help") == 0) {
		usage(stdout);
		return (EX_OK);
	}
	/* The command's own options, permuted: "resume 12 --rate 5" works. */
	argc = argc - optind + 1;
	argv = argv + optind - 1;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_CATEGORY:
			category = optarg;
			break;
		case OPT_TEMPLATE:
			o.template_name = optarg;
			break;
		case OPT_SERVICE_TYPE:
			o.aud.service_type = optarg;
			break;
		case OPT_SERVICE_REF:
			o.aud.service_ref = optarg;
			break;
		case OPT_TO:
			o.aud.to = optarg;
			break;
		case OPT_CUSTOMERS:
			o.aud.customers_file = optarg;
			break;
		case OPT_FROM:
			o.staff_from = optarg;
			break;
		case OPT_SET:
			if (o.nset >= CAMPAIGN_SET_MAX) {
				fprintf(stderr, "links-sender: more than %d --set options\n", CAMPAIGN_SET_MAX);
				return (EX_USAGE);
			}
			o.set[o.nset++] = optarg;
			break;
		case OPT_DRY_RUN:
			o.dry_run = 1;
			break;
		case OPT_OUTDIR:
			o.outdir = optarg;
			break;
		case OPT_RATE:
			if (parse_rate(optarg, &o.rate) < 0) {
				fprintf(stderr, "links-sender: --rate: expected N or N/s (0..100000)\n");
				return (EX_USAGE);
			}
			break;
		case OPT_RETRY_DELAY:
			if (parse_rate(optarg, &o.retry_delay) < 0 || o.retry_delay > CAMPAIGN_RETRY_MAX) {
				fprintf(stderr, "links-sender: --retry-delay: expected seconds (0..%d)\n",
					CAMPAIGN_RETRY_MAX);
				return (EX_USAGE);
			}
			break;
		case OPT_TRANSPORT:
			if (strcmp(optarg, "smtp") != 0 && strcmp(optarg, "sendmail") != 0
			    && strcmp(optarg, "dir") != 0) {
				fprintf(stderr, "links-sender: --transport: smtp, sendmail or dir\n");
				return (EX_USAGE);
			}
			o.transport = optarg;
			break;
		case OPT_NO_PROGRESS:
			o.progress = PROGRESS_OFF;
			break;
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

	/* Usage rules, before anything is opened. */
	if (strcmp(cmd, "send") == 0) {
		const struct category_info *ci;
		enum category cat;

		if (category == NULL || category_parse(category, &cat) < 0) {
			fprintf(stderr, "links-sender: send needs --category "
				"account|maintenance|survey|promotion|answer|staff\n");
			return (EX_USAGE);
		}
		have_category = 1;
		o.aud.cat = cat;
		if (o.template_name == NULL) {
			fprintf(stderr, "links-sender: send needs --template NAME (or a path)\n");
			return (EX_USAGE);
		}
		ci = category_get(cat);
		if (ci->audience == CATEGORY_AUD_SERVICE && o.aud.service_type == NULL) {
			fprintf(stderr, "links-sender: maintenance mail goes only to the customers of the "
				"service maintained: give --service-type\n");
			return (EX_USAGE);
		}
		if (ci->audience == CATEGORY_AUD_ADDRESSED
		    && o.aud.to == NULL && o.aud.customers_file == NULL) {
			fprintf(stderr, "links-sender: %s mail needs --to or --customers\n", category);
			return (EX_USAGE);
		}
		if (ci->from == CATEGORY_FROM_STAFF && o.staff_from == NULL) {
			fprintf(stderr, "links-sender: staff mail needs --from NAME@DOMAIN\n");
			return (EX_USAGE);
		}
		if (o.aud.to != NULL && o.aud.customers_file != NULL) {
			fprintf(stderr, "links-sender: give --to or --customers, not both\n");
			return (EX_USAGE);
		}
	} else if (strcmp(cmd, "resume") == 0 || strcmp(cmd, "status") == 0) {
		if (optind < argc && parse_id(argv[optind++], &id) < 0) {
			fprintf(stderr, "links-sender: %s: CAMPAIGN is a campaign number\n", cmd);
			return (EX_USAGE);
		}
		if (strcmp(cmd, "resume") == 0 && id == 0) {
			fprintf(stderr, "links-sender: resume CAMPAIGN (see links-sender status)\n");
			return (EX_USAGE);
		}
	} else if (strcmp(cmd, "outbox") != 0) {
		fprintf(stderr, "links-sender: unknown command \"%s\"\n", cmd);
		usage(stderr);
		return (EX_USAGE);
	}
	if (optind < argc) {
		fprintf(stderr, "links-sender: unexpected argument \"%s\"\n", argv[optind]);
		return (EX_USAGE);
	}
	if (!have_category && (category || o.template_name || o.aud.to || o.aud.customers_file
			       || o.aud.service_type || o.nset || o.dry_run || o.staff_from)) {
		fprintf(stderr, "links-sender: %s takes no campaign options\n", cmd);
		return (EX_USAGE);
	}

	if ((conf = conf_load(conf_path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (EX_CONFIG);
	}
	if (conf_overrides_apply(conf, &ov, err, sizeof(err)) < 0) {
		fprintf(stderr, "links-sender: %s\n", err);
		conf_free(conf);
		return (EX_CONFIG);
	}
	log_open("links-sender", 0, conf);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	if (strcmp(cmd, "send") == 0)
		ex = campaign_send(conf, &o);
	else if (strcmp(cmd, "resume") == 0)
		ex = campaign_resume(conf, id, &o);
	else if (strcmp(cmd, "status") == 0)
		ex = campaign_status(conf, id, stdout);
	else
		ex = campaign_outbox(conf, &o);
	if (campaign_stop)
		fprintf(stderr, "links-sender: interrupted; what is left stays queued\n");
	log_close();
	conf_free(conf);
	return (ex);
}
