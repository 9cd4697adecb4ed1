/*
 * NAME
 *	params 3h
 * SUMMARY
 *	a campaign's parameters: --set values, audience, staff sender
 * SYNOPSIS
 *	#include "params.h"
 *
 *	struct tmpl_vars *params_vars(const char *const *set, size_t nset,
 *				      char *err, size_t errlen);
 *	char   *params_json(const char *const *set, size_t nset,
 *			    const struct audience *aud, const char *staff_from);
 *	int	params_load(const char *json, struct params *p, char *err, size_t errlen);
 *	void	params_clear(struct params *p);
 * DESCRIPTION
 *	A campaign is created with --set key=value options (the template's
 *	own placeholders), an audience and, for staff mail, the staff
 *	member's address. They are kept with the campaign as one JSON
 *	object, so that `links-sender resume` renders the same messages.
 *
 *	params_vars() checks SET (NSET "key=value" strings): a key is made
 *	of a-z, 0-9, '_' and '-', is not a placeholder links-sender fills
 *	itself (compose_reserved_key()), and its value is UTF-8 text of at
 *	most TMPL_VALUE_MAX bytes with no control character but line
 *	breaks and tabs. It returns them as a new tmpl_vars (the caller
 *	frees it with tmpl_vars_free()).
 *
 *	params_json() returns the JSON text (the caller frees it); SET must
 *	have passed params_vars().
 *
 *	params_load() reads such a text back into P: its "key=value"
 *	strings, service type and reference, and staff sender, all owned by
 *	P until params_clear().
 * DIAGNOSTICS
 *	params_vars() and params_load() return NULL / -1 with a message in
 *	ERR that names the key, never the value. params_json() returns
 *	NULL when out of memory.
 */
#ifndef LINKS_PARAMS_H
#define LINKS_PARAMS_H

#include <stddef.h>

#include "audience.h"
#include "tmpl.h"

#define PARAMS_SET_MAX	64		/* --set options */

struct params {
	char   *set[PARAMS_SET_MAX];	/* "key=value" */
	size_t	nset;
	char   *service_type;		/* NULL: none */
	char   *service_ref;		/* NULL: none */
	char   *staff_from;		/* NULL: none */
};

struct tmpl_vars *params_vars(const char *const *set, size_t nset, char *err, size_t errlen);
char   *params_json(const char *const *set, size_t nset, const struct audience *aud,
		    const char *staff_from);
int	params_load(const char *json, struct params *p, char *err, size_t errlen);
void	params_clear(struct params *p);

#endif
