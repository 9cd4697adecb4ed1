/*
 * NAME
 *	svcname 3
 * SUMMARY
 *	display names of service types (links.conf service_type_names)
 * SYNOPSIS
 *	#include "svcname.h"
 * DESCRIPTION
 *	See svcname.h. Codes are compared exactly (the store keeps them as
 *	imported, lower case by convention).
 * DIAGNOSTICS
 *	See svcname.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svcname.h"
#include "text.h"
#include "utf8.h"

struct svcname {
	size_t	n;
	char	code[SVCNAME_MAX][SVCNAME_CODE_MAX + 1];
	char	name[SVCNAME_MAX][SVCNAME_NAME_MAX + 1];
};

/* code_ok - whether S is a service type code */
static int
code_ok(const char *s)
{
	size_t	n = strlen(s);

	return (n > 0 && n <= SVCNAME_CODE_MAX
		&& strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n);
}

/* name_ok - whether S is a display name */
static int
name_ok(const char *s)
{
	size_t	n = strlen(s), i;

	if (n == 0 || n > SVCNAME_NAME_MAX || !utf8_valid(s, n))
		return (0);
	for (i = 0; i < n; i++)
		if ((unsigned char) s[i] < 0x20 || s[i] == 0x7f)
			return (0);
	return (1);
}

/* add_entry - one "code: Name" ENTRY into S; -1 with ERR */
static int
add_entry(struct svcname *s, char *entry, char *err, size_t errlen)
{
	char   *colon = strchr(entry, ':'), *code, *name;

	if (colon == NULL) {
		snprintf(err, errlen, "service_type_names: expected \"code: Name\" entries "
			 "separated by \";\"");
		return (-1);
	}
	*colon = 0;
	code = text_trim(entry);
	name = text_trim(colon + 1);
	if (!code_ok(code) || !name_ok(name)) {
		snprintf(err, errlen, "service_type_names: \"%.*s\": a code of a-z 0-9 _ - and a "
			 "name of at most %d bytes", SVCNAME_CODE_MAX, code, SVCNAME_NAME_MAX);
		return (-1);
	}
	if (s->n >= SVCNAME_MAX) {
		snprintf(err, errlen, "service_type_names: more than %d entries", SVCNAME_MAX);
		return (-1);
	}
	snprintf(s->code[s->n], sizeof(s->code[s->n]), "%s", code);
	snprintf(s->name[s->n], sizeof(s->name[s->n]), "%s", name);
	s->n++;
	return (0);
}

/* svcname_load - the table of links.conf; see svcname.h */
struct svcname *
svcname_load(const struct conf *conf, char *err, size_t errlen)
{
	struct svcname *s;
	char   *copy, *entry, *save;

	if ((s = calloc(1, sizeof(*s))) == NULL || (copy = strdup(conf_service_type_names(conf)))
	    == NULL) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	for (entry = strtok_r(copy, ";", &save); entry != NULL; entry = strtok_r(NULL, ";", &save)) {
		if (*text_trim(entry) == 0)
			continue;
		if (add_entry(s, entry, err, errlen) < 0) {
			free(copy);
			free(s);
			return (NULL);
		}
	}
	free(copy);
	return (s);
}

/* svcname_get - the display name of CODE, CODE itself when unknown */
const char *
svcname_get(const struct svcname *s, const char *code)
{
	size_t	i;

	for (i = 0; s != NULL && i < s->n; i++)
		if (strcmp(s->code[i], code) == 0)
			return (s->name[i]);
	return (code);
}

/* svcname_free - free S */
void
svcname_free(struct svcname *s)
{
	free(s);
}
