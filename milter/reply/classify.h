/*
 * NAME
 *	classify 3h
 * SUMMARY
 *	classify one message file and print the verdict as JSON
 * SYNOPSIS
 *	#include "classify.h"
 *
 *	int	classify_file(const struct reply_analyzer *ra,
 *			      const char *path_or_dash, FILE *out);
 * DESCRIPTION
 *	classify_file() reads the message in PATH_OR_DASH ("-" for
 *	standard input; at most CLASSIFY_INPUT_MAX bytes are read, the
 *	rest is ignored), analyses it with RA (envelope sender unknown:
 *	the Return-Path header stands in) and prints one line to OUT:
 *	{"kind":"reply|auto_reply|bounce","optout":true|false,
 *	"question":true|false,"text":"...","reason":"..."}.
 *	A message that cannot be parsed still gets a line (kind reply,
 *	optout false, question true). This is links-milter --classify.
 * DIAGNOSTICS
 *	Returns EX_OK; EX_NOINPUT with a message on stderr when the file
 *	is missing or unreadable; EX_OSERR when out of memory; EX_IOERR
 *	when OUT cannot be written.
 */
#ifndef LINKS_CLASSIFY_H
#define LINKS_CLASSIFY_H

#include <stdio.h>

#include "reply.h"

#define CLASSIFY_INPUT_MAX	((size_t) 64 * 1024 * 1024)

int	classify_file(const struct reply_analyzer *ra, const char *path_or_dash, FILE *out);

#endif
