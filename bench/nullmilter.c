/*
 * NAME
 *	nullmilter 8
 * SUMMARY
 *	a libmilter filter that accepts everything: the protocol's floor
 * SYNOPSIS
 *	nullmilter [-T timeout] [-B backlog] socket
 * DESCRIPTION
 *	nullmilter registers a callback for every milter step (connect,
 *	HELO, MAIL, RCPT, DATA, each header, end of headers, each body
 *	chunk, end of message, abort, close), so that the MTA sends it the
 *	same stream it sends a real content filter, and answers "continue"
 *	to every step and "accept" at end of message. It does no work of
 *	its own: what it costs is the cost of libmilter and the protocol,
 *	the floor any libmilter-based filter stands on. The benchmark
 *	compares links-milter against it.
 *
 *	It runs in the foreground on SOCKET (unix:PATH or inet:PORT@HOST),
 *	removes a stale unix socket first and creates it with mode 0666 so
 *	that Postfix's smtpd can connect. SIGTERM/SIGINT stop it (libmilter
 *	handles them).
 *
 *	-T sets libmilter's I/O timeout in seconds (default 30), -B the
 *	listen backlog (default 128).
 * DIAGNOSTICS
 *	Errors go to stderr. Exit status EX_OK after a clean stop,
 *	EX_USAGE for bad arguments, EX_UNAVAILABLE when libmilter cannot
 *	open the socket or fails.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include <libmilter/mfapi.h>

#define DEFAULT_TIMEOUT	30
#define DEFAULT_BACKLOG	128
#define MAX_TIMEOUT	3600
#define MAX_BACKLOG	65535

static sfsistat null_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_helo(SMFICTX *ctx, char *helo)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_envfrom(SMFICTX *ctx, char **argv)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_envrcpt(SMFICTX *ctx, char **argv)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_data(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_header(SMFICTX *ctx, char *name, char *value)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_eoh(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_eom(SMFICTX *ctx)
{
	return SMFIS_ACCEPT;
}

static sfsistat null_abort(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_close(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static struct smfiDesc null_desc = {
	"nullmilter",			/* filter name */
	SMFI_VERSION,			/* version code */
	0,				/* flags: no modifications */
	null_connect,
	null_helo,
	null_envfrom,
	null_envrcpt,
	null_header,
	null_eoh,
	null_body,
	null_eom,
	null_abort,
	null_close,
	NULL,				/* unknown command */
	null_data,
	NULL,				/* negotiate: libmilter's default */
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: nullmilter [-T timeout] [-B backlog] socket\n"
		"  socket  unix:PATH or inet:PORT@HOST\n"
		"  -T N    I/O timeout in seconds (default %d)\n"
		"  -B N    listen backlog (default %d)\n",
		DEFAULT_TIMEOUT, DEFAULT_BACKLOG);
}

static int parse_int(const char *s, long lo, long hi, int *out)
{
	char   *end;
	long	v = strtol(s, &end, 10);

	if (*s == 0 || *end || v < lo || v > hi)
		return -1;
	*out = (int) v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	int	timeout = DEFAULT_TIMEOUT, backlog = DEFAULT_BACKLOG, c;
	char   *sock;

	while ((c = getopt_long(argc, argv, "T:B:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'T':
			if (parse_int(optarg, 1, MAX_TIMEOUT, &timeout) < 0)
				goto badarg;
			break;
		case 'B':
			if (parse_int(optarg, 1, MAX_BACKLOG, &backlog) < 0)
				goto badarg;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		case 'V':
			printf("nullmilter (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EX_USAGE;
	}
	sock = argv[optind];
	if (smfi_setconn(sock) == MI_FAILURE || smfi_settimeout(timeout) == MI_FAILURE
	    || smfi_setbacklog(backlog) == MI_FAILURE) {
		fprintf(stderr, "nullmilter: bad socket \"%s\"\n", sock);
		return EX_USAGE;
	}
	if (smfi_register(null_desc) == MI_FAILURE) {
		fprintf(stderr, "nullmilter: smfi_register failed\n");
		return EX_UNAVAILABLE;
	}
	/* A unix socket smtpd (user postfix) can connect to. */
	(void) umask(0);
	if (smfi_opensocket(1) == MI_FAILURE) {
		fprintf(stderr, "nullmilter: cannot open %s\n", sock);
		return EX_UNAVAILABLE;
	}
	(void) umask(022);
	return smfi_main() == MI_SUCCESS ? EX_OK : EX_UNAVAILABLE;

badarg:
	fprintf(stderr, "nullmilter: bad value for -%c: \"%s\"\n", c, optarg);
	usage(stderr);
	return EX_USAGE;
}
