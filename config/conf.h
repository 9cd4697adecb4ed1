/*
 * NAME
 *	conf 3h
 * SUMMARY
 *	links.conf(5): the one configuration file of links-mail
 * SYNOPSIS
 *	#include "conf.h"
 *
 *	struct conf *conf_load(const char *path, char *err, size_t errlen);
 *	struct conf *conf_defaults(void);
 *	void	conf_free(struct conf *c);
 *	struct conf *conf_ref(struct conf *c);
 *
 *	const char *conf_str(const struct conf *c, const char *name);
 *	long long conf_int(const struct conf *c, const char *name);
 *	int	conf_bool(const struct conf *c, const char *name);
 *	size_t	conf_list_count(const struct conf *c, const char *name);
 *	const char *conf_list_item(const struct conf *c, const char *name, size_t i);
 * DESCRIPTION
 *	A configuration is a set of typed options, each with a built-in
 *	default, read from a file of "name = value" lines. '#' starts a
 *	comment line; a line starting with white space continues the
 *	previous one (as in Postfix main.cf). A list option may be given
 *	several times: each occurrence appends; items are separated by
 *	commas or white space, except for lists of type "lines" (patterns),
 *	where each occurrence is one item.
 *
 *	conf_load() reads PATH (or, when PATH is NULL, $LINKS_CONF, else
 *	conf_default_path()). The result is owned by the caller: release it
 *	with conf_free(). conf_ref() adds a reference (for a milter reload:
 *	a running message keeps the config it started with); conf_free()
 *	drops one and frees on the last. Reference counting is atomic.
 *
 *	The accessors take an option name that must exist in the option
 *	table (config/conf_options.c); an unknown name is a programming
 *	error and aborts. Returned strings belong to the configuration.
 *
 *	conf_set() sets one option from text as if read from a file (used
 *	for "-o name=value" overrides and tests); it returns 0 or -1 with
 *	a message in ERR.
 * DIAGNOSTICS
 *	conf_load() returns NULL and writes "FILE:LINE: message" into ERR
 *	for an unreadable file, an unknown option, a bad value or a line
 *	that is too long (CONF_LINE_MAX).
 */
#ifndef LINKS_CONF_H
#define LINKS_CONF_H

#include <stddef.h>
#include <stdio.h>

#define CONF_LINE_MAX	4096		/* longest logical line */
#define CONF_FILE_MAX	(1024 * 1024)	/* largest config file */
#define CONF_ERR_MAX	512		/* suggested error buffer size */

struct conf;

struct conf *conf_load(const char *path, char *err, size_t errlen);
struct conf *conf_defaults(void);
struct conf *conf_ref(struct conf *c);
void	conf_free(struct conf *c);

/* The path given by -c, $LINKS_CONF or the compiled-in default. */
const char *conf_default_path(void);
/* The file this configuration was read from, "" for defaults. */
const char *conf_file(const struct conf *c);

int	conf_set(struct conf *c, const char *name, const char *value,
		 char *err, size_t errlen);

const char *conf_str(const struct conf *c, const char *name);
long long conf_int(const struct conf *c, const char *name);
int	conf_bool(const struct conf *c, const char *name);
size_t	conf_list_count(const struct conf *c, const char *name);
const char *conf_list_item(const struct conf *c, const char *name, size_t i);

/* Whether NAME is an option; for tools that check docs against the table. */
int	conf_known(const char *name);

/* Iterate over the option table: returns the name of option I, NULL past the end. */
const char *conf_option_name(size_t i);

/* Print every option and its effective value, "name = value" (for -n / -v). */
void	conf_dump(const struct conf *c, FILE *fp);

#endif
