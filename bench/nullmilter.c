/*
 * NAME
 *	nullmilter 8
 * SUMMARY
 *	libmilter filters that do no work: the baselines of the benchmark
 * SYNOPSIS
 *	nullmilter [-m connect|eoh|discard] [-T timeout] [-B backlog] socket
 * DESCRIPTION
 *	nullmilter is a libmilter filter that looks at nothing. Its cost is
 *	the cost of libmilter and of the milter protocol, which is what any
 *	libmilter-based filter pays before it does any work of its own. The
 *	benchmark compares links-milter (and OpenDKIM) with it.
 *
 *	-m connect (the default) is the strongest baseline a milter can be
 *	compared to: in xxfi_negotiate it asks the MTA not to send any step
 *	it does not need (every SMFIP_NO* flag but SMFIP_NOCONNECT), sets
 *	the no-reply flags (SMFIP_NR_*) of the steps it does not answer,
 *	and answers "accept" at CONNECT, the earliest point: the MTA sends
 *	it nothing more for that connection (Postfix: no MAIL, headers,
 *	body or end of message). This is "the NR null milter" of
 *	bench/RESULTS.md.
 *
 *	-m eoh receives what a filter deciding on the envelope and headers
 *	needs (MAIL, RCPT, each header, end of headers), answers none of
 *	them but end of headers (SMFIP_NR_MAIL, NR_RCPT, NR_HDR) and accepts
 *	there, so the MTA sends no body: the floor of a milter that must
 *	read the envelope and the headers, as links-milter must to tell
 *	ordinary mail from a reply to LINKS.
 *
 *	-m discard is deliberately wrong: it asks for no step and discards
 *	every message at end of message. The benchmark's self-test runs it
 *	against links-milter's expected verdicts to prove that milterload
 *	catches a milter that throws mail away.
 *
 *	Built twice: nullmilter on libmilter, nullmilter-own on links-milter's
 *	own protocol engine (milter/milter_proto.c), which speaks the same
 *	API; there SIGTERM/SIGINT end the process at once.
 *
 *	It runs in the foreground on SOCKET (unix:PATH or inet:PORT@HOST),
 *	removes a stale unix socket first and creates it with mode 0666 so
 *	that Postfix's smtpd can connect. SIGTERM/SIGINT stop it (libmilter
 *	handles them). -T sets libmilter's I/O timeout in seconds (default
 *	30), -B the listen backlog (default 128).
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

enum null_mode { NULL_CONNECT, NULL_EOH, NULL_DISCARD };

static enum null_mode null_mode = NULL_CONNECT;

/* Steps and no-reply flags each mode asks for (SMFIP_*). */
#define NULL_NO_ALL	(SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL | SMFIP_NORCPT \
			 | SMFIP_NOBODY | SMFIP_NOHDRS | SMFIP_NOEOH | SMFIP_NOUNKNOWN \
			 | SMFIP_NODATA)
#define NULL_NR_ALL	(SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT \
			 | SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_EOH | SMFIP_NR_BODY \
			 | SMFIP_NR_HDR)

/* null_wanted - the protocol flags of MODE: what to skip, what not to answer */
static unsigned long null_wanted(enum null_mode mode)
{
	switch (mode) {
	case NULL_CONNECT:
		/* only CONNECT is sent, and answered ("accept") */
		return (NULL_NO_ALL & ~SMFIP_NOCONNECT) | (NULL_NR_ALL & ~SMFIP_NR_CONN);
	case NULL_EOH:
		/* MAIL, RCPT, headers without replies; EOH answered */
		return SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NODATA | SMFIP_NOUNKNOWN
		    | SMFIP_NOBODY | SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL
		    | SMFIP_NR_RCPT | SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_HDR
		    | SMFIP_NR_BODY;
	case NULL_DISCARD:
	default:
		return NULL_NO_ALL | NULL_NR_ALL;
	}
}

/* null_negotiate - ask only for the steps of the mode, with no-reply flags */
static sfsistat null_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
			       unsigned long f2, unsigned long f3, unsigned long *pf0,
			       unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	(void) ctx;
	(void) f0;
	(void) f2;
	(void) f3;
	*pf0 = 0;			/* no modifications */
	*pf1 = null_wanted(null_mode) & f1;	/* only what the MTA offers */
	*pf2 = 0;
	*pf3 = 0;
	return SMFIS_CONTINUE;
}

/* null_connect - the earliest answer there is */
static sfsistat null_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	(void) ctx;
	(void) host;
	(void) addr;
	return SMFIS_ACCEPT;
}

/* null_envfrom - receive MAIL without answering (SMFIP_NR_MAIL) */
static sfsistat null_envfrom(SMFICTX *ctx, char **argv)
{
	(void) ctx;
	(void) argv;
	return SMFIS_NOREPLY;
}

/* null_envrcpt - receive RCPT without answering (SMFIP_NR_RCPT) */
static sfsistat null_envrcpt(SMFICTX *ctx, char **argv)
{
	(void) ctx;
	(void) argv;
	return SMFIS_NOREPLY;
}

/* null_header - receive a header without answering (SMFIP_NR_HDR) */
static sfsistat null_header(SMFICTX *ctx, char *name, char *value)
{
	(void) ctx;
	(void) name;
	(void) value;
	return SMFIS_NOREPLY;
}

/* null_eoh - accept at end of headers: no body is sent */
static sfsistat null_eoh(SMFICTX *ctx)
{
	(void) ctx;
	return SMFIS_ACCEPT;
}

/* null_eom - the deliberately wrong answer of mode discard */
static sfsistat null_eom(SMFICTX *ctx)
{
	(void) ctx;
	return null_mode == NULL_DISCARD ? SMFIS_DISCARD : SMFIS_ACCEPT;
}

static struct smfiDesc null_desc = {
	"nullmilter",			/* filter name */
	SMFI_VERSION,			/* version code */
	0,				/* flags: no modifications */
	NULL,				/* connect: set by mode */
	NULL,				/* helo */
	NULL,				/* envfrom: set by mode */
	NULL,				/* envrcpt: set by mode */
	NULL,				/* header: set by mode */
	NULL,				/* eoh: set by mode */
	NULL,				/* body */
	null_eom,			/* end of message (cannot be skipped) */
	NULL,				/* abort */
	NULL,				/* close */
	NULL,				/* unknown command */
	NULL,				/* data */
	null_negotiate,
};

/* usage - the synopsis */
static void usage(FILE *fp)
{
	fprintf(fp, "usage: nullmilter [-m connect|eoh|discard] [-T timeout] [-B backlog] socket\n"
		"  socket  unix:PATH or inet:PORT@HOST\n"
		"  -m M    connect: accept at CONNECT, every other step negotiated away (default)\n"
		"          eoh: MAIL, RCPT and headers without replies, accept at end of headers\n"
		"          discard: no step, discard every message (a wrong milter, for self-tests)\n"
		"  -T N    I/O timeout in seconds (default %d)\n"
		"  -B N    listen backlog (default %d)\n",
		DEFAULT_TIMEOUT, DEFAULT_BACKLOG);
}

/* parse_int - a bounded decimal option value */
static int parse_int(const char *s, long lo, long hi, int *out)
{
	char   *end;
	long	v = strtol(s, &end, 10);

	if (*s == 0 || *end || v < lo || v > hi)
		return -1;
	*out = (int) v;
	return 0;
}

/* set_mode - register the callbacks of mode NAME; -1 if unknown */
static int set_mode(const char *name)
{
	if (strcmp(name, "connect") == 0) {
		null_mode = NULL_CONNECT;
		null_desc.xxfi_connect = null_connect;
	} else if (strcmp(name, "eoh") == 0) {
		null_mode = NULL_EOH;
		null_desc.xxfi_envfrom = null_envfrom;
		null_desc.xxfi_envrcpt = null_envrcpt;
		null_desc.xxfi_header = null_header;
		null_desc.xxfi_eoh = null_eoh;
	} else if (strcmp(name, "discard") == 0) {
		null_mode = NULL_DISCARD;
	} else {
		return -1;
	}
	return 0;
}

int	main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	int	timeout = DEFAULT_TIMEOUT, backlog = DEFAULT_BACKLOG, c;
	const char *mode = "connect";
	char   *sock;

	while ((c = getopt_long(argc, argv, "m:T:B:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			mode = optarg;
			break;
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
	if (optind != argc - 1 || set_mode(mode) < 0) {
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
