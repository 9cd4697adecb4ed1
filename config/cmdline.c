/*
 * NAME
 *	cmdline 3
 * SUMMARY
 *	the command line the links-mail daemons share
 * SYNOPSIS
 *	#include "cmdline.h"
 * DESCRIPTION
 *	See cmdline.h. getopt_long with "c:efno:"; the long options
 *	--help, --version and the program's own one.
 * DIAGNOSTICS
 *	See cmdline.h.
 */
#include "config.h"

#include <getopt.h>
#include <string.h>
#include <sysexits.h>

#include "cmdline.h"

#define CMDLINE_OPT_HELP	'h'
#define CMDLINE_OPT_VERSION	'V'
#define CMDLINE_OPT_EXTRA	'X'

/* cmdline_option - one short option CH with its argument ARG into CL; an EX_ code */
static int
cmdline_option(const struct cmdline_spec *spec, struct cmdline *cl, int ch, char *arg)
{
	char	err[CONF_ERR_MAX];

	switch (ch) {
	case 'c':
		cl->conf_path = arg;
		return (EX_OK);
	case 'e':
		cl->to_stderr = 1;
		return (EX_OK);
	case 'f':
		cl->foreground = 1;
		return (EX_OK);
	case 'n':
		cl->test_only = 1;
		return (EX_OK);
	case 'o':
		if (conf_overrides_add(&cl->ov, arg, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: %s\n", spec->prog, err);
			return (EX_USAGE);
		}
		return (EX_OK);
	case CMDLINE_OPT_EXTRA:
		cl->extra = arg;
		return (EX_OK);
	default:
		spec->usage(stderr);
		return (EX_USAGE);
	}
}

/* cmdline_parse - ARGV into CL; EX_OK, EX_USAGE or CMDLINE_DONE */
int
cmdline_parse(int argc, char **argv, const struct cmdline_spec *spec, struct cmdline *cl)
{
	struct option longopts[] = {
		{"help", no_argument, NULL, CMDLINE_OPT_HELP},
		{"version", no_argument, NULL, CMDLINE_OPT_VERSION},
		{spec->extra, required_argument, NULL, CMDLINE_OPT_EXTRA},
		{NULL, 0, NULL, 0}
	};
	int	ch, rc;

	memset(cl, 0, sizeof(*cl));
	optind = 0;			/* glibc: start afresh (tests parse twice) */
	if (spec->extra == NULL)
		memset(&longopts[2], 0, sizeof(longopts[2]));
	while ((ch = getopt_long(argc, argv, "c:efno:", longopts, NULL)) != -1) {
		if (ch == CMDLINE_OPT_HELP) {
			spec->usage(stdout);
			return (CMDLINE_DONE);
		}
		if (ch == CMDLINE_OPT_VERSION) {
			printf("%s %s\n", spec->prog, PACKAGE_VERSION);
			return (CMDLINE_DONE);
		}
		if ((rc = cmdline_option(spec, cl, ch, optarg)) != EX_OK)
			return (rc);
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument: %s\n", spec->prog, argv[optind]);
		spec->usage(stderr);
		return (EX_USAGE);
	}
	return (EX_OK);
}
