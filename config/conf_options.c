/*
 * NAME
 *	conf_options 3
 * SUMMARY
 *	the table of links.conf(5) options
 * DESCRIPTION
 *	The rows are in conf_options.def; see there.
 */
#include "config.h"

#include <stddef.h>

#include "conf_options.h"

#define KB 1024LL
#define MB (1024LL * 1024LL)

const struct conf_option conf_options[] = {
#define CONF_OPT(name, type, def, min, max, choices, doc) \
	{#name, CONF_T_##type, def, min, max, choices, doc},
#include "conf_options.def"
#undef CONF_OPT
};

const unsigned conf_option_count = sizeof(conf_options) / sizeof(conf_options[0]);

_Static_assert(sizeof(conf_options) / sizeof(conf_options[0]) == CONF_ID_COUNT,
	       "conf_options[] and enum conf_id disagree");
