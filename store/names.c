/*
 * NAME
 *	names 3
 * SUMMARY
 *	names of the store's enumerations (sources, channels, statuses)
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	store_source_name(), store_channel_name() and
 *	store_delivery_status_name() return the name used in output, the
 *	CSV import and the command line ("unknown" out of range); the
 *	_parse() functions accept it in any case ("web-form" too for
 *	web_form) and return 0, or -1 for an unknown name.
 * DIAGNOSTICS
 *	None.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "store.h"

static const char *const source_names[] = {"portal", "web_form", "staff"};
static const char *const channel_names[] = {"reply", "one_click", "staff", "import",
	"web"};
static const char *const delivery_names[] = {"queued", "sent", "failed", "skipped"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* name_parse - index of NAME in NAMES (any case), or -1 */
static int
name_parse(const char *const *names, size_t n, const char *name)
{
	size_t	i;

	if (name == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcasecmp(names[i], name) == 0)
			return (int) i;
	return -1;
}

/* store_source_name - the name of a customer source */
const char *
store_source_name(enum store_source src)
{
	return (unsigned) src < NELEM(source_names) ? source_names[src] : "unknown";
}

/* store_source_parse - a customer source by name */
int
store_source_parse(const char *name, enum store_source *out)
{
	int	i = name_parse(source_names, NELEM(source_names), name);

	if (i < 0 && name && strcasecmp(name, "web-form") == 0)
		i = STORE_SRC_WEB_FORM;
	if (i < 0)
		return -1;
	*out = (enum store_source) i;
	return 0;
}

/* store_channel_name - the name of a consent channel */
const char *
store_channel_name(enum store_channel ch)
{
	return (unsigned) ch < NELEM(channel_names) ? channel_names[ch] : "unknown";
}

/* store_channel_parse - a consent channel by name */
int
store_channel_parse(const char *name, enum store_channel *out)
{
	int	i = name_parse(channel_names, NELEM(channel_names), name);

	if (i < 0)
		return -1;
	*out = (enum store_channel) i;
	return 0;
}

/* store_delivery_status_name - the name of a delivery status */
const char *
store_delivery_status_name(enum store_delivery_status s)
{
	return (unsigned) s < NELEM(delivery_names) ? delivery_names[s] : "unknown";
}
