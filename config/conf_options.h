/*
 * NAME
 *	conf_options 3h
 * SUMMARY
 *	the table of links.conf(5) options
 * DESCRIPTION
 *	One row per option (from conf_options.def): name, type, built-in
 *	default, limits and a one-line description; enum conf_id numbers
 *	them. conf.c reads it; tests/config-docs.sh checks
 *	that every option is documented in links.conf(5) and the sample.
 *	Defaults of paths are filled in from configure's directories.
 */
#ifndef LINKS_CONF_OPTIONS_H
#define LINKS_CONF_OPTIONS_H

enum conf_type {
	CONF_T_STR,	/* any text (one line) */
	CONF_T_INT,	/* decimal integer within [min, max] */
	CONF_T_SIZE,	/* integer with optional k/m/g suffix (x1024) */
	CONF_T_BOOL,	/* yes/no, true/false, on/off, 1/0 */
	CONF_T_ENUM,	/* one of the words in `choices` (space-separated) */
	CONF_T_LIST,	/* words separated by commas or spaces; repeats append */
	CONF_T_LINES	/* each occurrence is one item (e.g. a regex) */
};

struct conf_option {
	const char *name;
	enum conf_type type;
	const char *def;	/* default, as text; NULL for SYSCONFDIR-based ones */
	long long min;		/* INT/SIZE */
	long long max;
	const char *choices;	/* ENUM */
	const char *doc;
};

/* CONF_ID_name: the index of option NAME in conf_options[]. */
enum conf_id {
#define CONF_OPT(name, type, def, min, max, choices, doc) CONF_ID_##name,
#include "conf_options.def"
#undef CONF_OPT
	CONF_ID_COUNT
};

extern const struct conf_option conf_options[];
extern const unsigned conf_option_count;

#endif
