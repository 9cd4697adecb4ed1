/*
 * NAME
 *	cmdline 3h
 * SUMMARY
 *	the command line the links-mail daemons share
 * SYNOPSIS
 *	#include "cmdline.h"
 *
 *	int	cmdline_parse(int argc, char **argv, const struct cmdline_spec *spec,
 *			struct cmdline *cl);
 * DESCRIPTION
 *	links-milter and links-web take the same options: -c FILE, -e,
 *	-f, -n, -o NAME=VALUE (repeated), --help and --version.
 *	cmdline_parse() reads ARGV into CL (zeroed first). SPEC names the
 *	program (for messages and --version), its usage function, and at
 *	most one long option of its own that takes an argument
 *	(SPEC->extra, e.g. "classify"; NULL for none): its value goes to
 *	CL->extra. Operands are refused.
 *
 *	--help writes the usage to standard output, --version the program
 *	name and PACKAGE_VERSION; both return CMDLINE_DONE.
 * DIAGNOSTICS
 *	EX_OK: run; CMDLINE_DONE: exit with EX_OK now; EX_USAGE: the
 *	reason and the usage are on standard error.
 */
#ifndef LINKS_CMDLINE_H
#define LINKS_CMDLINE_H

#include <stdio.h>

#include "conf.h"

#define CMDLINE_DONE	(-1)		/* --help or --version was answered */

struct cmdline {
	const char *conf_path;		/* -c; NULL: $LINKS_CONF or the default */
	int	foreground;		/* -f */
	int	to_stderr;		/* -e */
	int	test_only;		/* -n */
	const char *extra;		/* the program's own option, NULL if absent */
	struct conf_overrides ov;	/* -o NAME=VALUE, in order */
};

struct cmdline_spec {
	const char *prog;
	void	(*usage)(FILE *fp);
	const char *extra;		/* long option with an argument, or NULL */
};

int	cmdline_parse(int argc, char **argv, const struct cmdline_spec *spec,
		      struct cmdline *cl);

#endif
