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
 *	const char *conf_NAME(const struct conf *c);	STR, ENUM
 *	long long conf_NAME(const struct conf *c);	INT, SIZE
 *	int	conf_NAME(const struct conf *c);		BOOL
 *	size_t	conf_NAME_count(const struct conf *c);	LIST, LINES
 *	const char *conf_NAME_item(const struct conf *c, size_t i);
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
 *	There is one typed accessor per option, generated from the option
 *	table (config/conf_options.def): conf_store_path(c),
 *	conf_smtp_port(c), conf_company_domains_count(c) and
 *	conf_company_domains_item(c, i). A misspelt option does not
 *	compile. Returned strings belong to the configuration; an item
 *	past the end is NULL.
 *
 *	conf_set() sets one option from text as if read from a file (used
 *	for tests); it returns 0 or -1 with a message in ERR.
 *
 *	conf_overrides_add() checks one "-o NAME=VALUE" argument (the form,
 *	a known NAME, at most CONF_OVERRIDES_MAX of them) and keeps a
 *	pointer to it in OV (the argument must outlive OV);
 *	conf_overrides_apply() sets them on C in order, as conf_set() does.
 *	Both return 0, or -1 with "-o ARG: reason" in ERR. Every program
 *	takes -o the same way.
 * DIAGNOSTICS
 *	conf_load() returns NULL and writes "FILE:LINE: message" into ERR
 *	for an unreadable file, an unknown option, a bad value or a line
 *	that is too long (CONF_LINE_MAX).
 */
#ifndef LINKS_CONF_H
#define LINKS_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "conf_options.h"

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

/* The value of option ID; for the accessors below. */
const char *conf_get_str(const struct conf *c, enum conf_id id);
long long conf_get_num(const struct conf *c, enum conf_id id);
size_t	conf_get_count(const struct conf *c, enum conf_id id);
const char *conf_get_item(const struct conf *c, enum conf_id id, size_t i);

/* The typed accessors, one per row of conf_options.def. */
#define CONF_ACC_STR(name) \
	static inline const char *conf_##name(const struct conf *c) \
	{ return conf_get_str(c, CONF_ID_##name); }
#define CONF_ACC_ENUM(name)	CONF_ACC_STR(name)
#define CONF_ACC_INT(name) \
	static inline long long conf_##name(const struct conf *c) \
	{ return conf_get_num(c, CONF_ID_##name); }
#define CONF_ACC_SIZE(name)	CONF_ACC_INT(name)
#define CONF_ACC_BOOL(name) \
	static inline int conf_##name(const struct conf *c) \
	{ return conf_get_num(c, CONF_ID_##name) != 0; }
#define CONF_ACC_LIST(name) \
	static inline size_t conf_##name##_count(const struct conf *c) \
	{ return conf_get_count(c, CONF_ID_##name); } \
	static inline const char *conf_##name##_item(const struct conf *c, size_t i) \
	{ return conf_get_item(c, CONF_ID_##name, i); }
#define CONF_ACC_LINES(name)	CONF_ACC_LIST(name)
#define CONF_OPT(name, type, def, min, max, choices, doc) CONF_ACC_##type(name)
#include "conf_options.def"
#undef CONF_OPT

/* "-o NAME=VALUE" arguments, collected before the file is read. */
#define CONF_OVERRIDES_MAX	64
struct conf_overrides {
	size_t	n;
	const char *item[CONF_OVERRIDES_MAX];
};
int	conf_overrides_add(struct conf_overrides *ov, const char *arg, char *err, size_t errlen);
int	conf_overrides_apply(struct conf *c, const struct conf_overrides *ov,
			     char *err, size_t errlen);

/* Whether NAME is an option; for tools that check docs against the table. */
int	conf_known(const char *name);

/* Iterate over the option table: returns the name of option I, NULL past the end. */
const char *conf_option_name(size_t i);

/* Print every option and its effective value, "name = value" (for -n / -v). */
void	conf_dump(const struct conf *c, FILE *fp);

#endif
