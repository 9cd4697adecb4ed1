/*
 * NAME
 *	reply-classify 1 (test program)
 * SUMMARY
 *	print the reply analysis verdict of message files as JSON
 * SYNOPSIS
 *	reply-classify [-c FILE] FILE|- ...
 * DESCRIPTION
 *	For each FILE (or "-" for standard input) prints one JSON line, as
 *	links-milter --classify does, using classify_file().
 *	-c reads links.conf from FILE (default: conf_default_path(),
 *	$LINKS_CONF); without a readable file the built-in defaults are
 *	used only when -c was not given.
 * DIAGNOSTICS
 *	Exit status: EX_OK, EX_USAGE, EX_CONFIG for a bad configuration,
 *	else the first non-zero status of classify_file().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "classify.h"
#include "conf.h"
#include "reply.h"

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: reply-classify [-c FILE] FILE|- ...\n"
		"Print the reply analysis verdict of each message as one JSON line.\n"
		"  -c FILE     links.conf to read (default %s)\n"
		"  --help      this text\n"
		"  --version   the version\n", conf_default_path());
}

int
main(int argc, char **argv)
{
	const char *cpath = NULL;
	char	err[CONF_ERR_MAX];
	struct conf *conf;
	struct reply_analyzer *ra;
	int	i, rc = EX_OK, r;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return (EX_OK);
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("reply-classify (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return (EX_OK);
		} else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			cpath = argv[++i];
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] != 0) {
			usage(stderr);
			return (EX_USAGE);
		} else
			break;
	}
	if (i >= argc) {
		usage(stderr);
		return (EX_USAGE);
	}
	if (cpath != NULL || access(conf_default_path(), R_OK) == 0)
		conf = conf_load(cpath, err, sizeof(err));
	else
		conf = conf_defaults();
	if (conf == NULL) {
		fprintf(stderr, "reply-classify: %s\n", err);
		return (EX_CONFIG);
	}
	if ((ra = reply_analyzer_new(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "reply-classify: %s\n", err);
		conf_free(conf);
		return (EX_CONFIG);
	}
	for (; i < argc; i++)
		if ((r = classify_file(ra, argv[i], stdout)) != EX_OK && rc == EX_OK)
			rc = r;
	reply_analyzer_free(ra);
	conf_free(conf);
	return (rc);
}
