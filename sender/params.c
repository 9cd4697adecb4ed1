/*
 * NAME
 *	params 3
 * SUMMARY
 *	a campaign's parameters: --set values, audience, staff sender
 * SYNOPSIS
 *	#include "params.h"
 * DESCRIPTION
 *	See params.h. The JSON object is {"set": {KEY: VALUE, ...},
 *	"service_type": S, "service_ref": R, "from": ADDR}, keys sorted,
 *	absent members omitted.
 * DIAGNOSTICS
 *	See params.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "compose.h"
#include "params.h"
#include "utf8.h"

/* value_ok - a --set value: UTF-8 text; line breaks and tabs allowed, no other controls */
static int
value_ok(const char *v)
{
	size_t	len = strlen(v), i;

	if (len > TMPL_VALUE_MAX || !utf8_valid(v, len))
		return (0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char) v[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return (0);
	}
	return (1);
}

/* split_key - copy the key of "key=value" S into KEY; the value, or NULL */
static const char *
split_key(const char *s, char key[TMPL_KEY_MAX + 1])
{
	const char *eq = strchr(s, '=');
	size_t	kl = eq ? (size_t) (eq - s) : 0;

	if (eq == NULL || kl == 0 || kl > TMPL_KEY_MAX)
		return (NULL);
	memcpy(key, s, kl);
	key[kl] = 0;
	return (eq + 1);
}

/* check_one - whether "key=value" S may be used; the value, else NULL with ERR */
static const char *
check_one(const char *s, char key[TMPL_KEY_MAX + 1], char *err, size_t errlen)
{
	const char *val;

	if ((val = split_key(s, key)) == NULL) {
		size_t	kl = strcspn(s, "=");

		snprintf(err, errlen, "--set %.*s: expected key=value",
			 (int) (kl > TMPL_KEY_MAX ? TMPL_KEY_MAX : kl), s);
		return (NULL);
	}
	if (!tmpl_key_valid(key)) {
		snprintf(err, errlen, "--set %s: a key is made of a-z 0-9 _ -", key);
		return (NULL);
	}
	if (compose_reserved_key(key)) {
		snprintf(err, errlen, "--set %s: that placeholder comes from the customer or "
			 "links.conf", key);
		return (NULL);
	}
	if (!value_ok(val)) {
		snprintf(err, errlen, "--set %s: value is not UTF-8 text, has control characters "
			 "or is longer than %d bytes", key, TMPL_VALUE_MAX);
		return (NULL);
	}
	return (val);
}

/* params_vars - check SET and load it into a new tmpl_vars */
struct tmpl_vars *
params_vars(const char *const *set, size_t nset, char *err, size_t errlen)
{
	struct tmpl_vars *v = tmpl_vars_new(NULL);
	char	key[TMPL_KEY_MAX + 1];
	const char *val;
	size_t	i;

	if (v == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	for (i = 0; i < nset; i++) {
		if ((val = check_one(set[i], key, err, errlen)) == NULL)
			goto fail;
		if (tmpl_vars_set(v, key, val) < 0) {
			snprintf(err, errlen, "--set %s: cannot set", key);
			goto fail;
		}
	}
	return (v);
fail:
	tmpl_vars_free(v);
	return (NULL);
}

/* params_json - the JSON text kept with the campaign; the caller frees it */
char   *
params_json(const char *const *set, size_t nset, const struct audience *aud,
	    const char *staff_from)
{
	json_t *root = json_object(), *jset = json_object();
	char	key[TMPL_KEY_MAX + 1], *s = NULL;
	const char *val;
	size_t	i;

	if (root == NULL || jset == NULL)
		goto done;
	for (i = 0; i < nset; i++)
		if ((val = split_key(set[i], key)) != NULL)
			json_object_set_new(jset, key, json_string(val));
	json_object_set(root, "set", jset);
	if (aud->service_type)
		json_object_set_new(root, "service_type", json_string(aud->service_type));
	if (aud->service_ref)
		json_object_set_new(root, "service_ref", json_string(aud->service_ref));
	if (staff_from)
		json_object_set_new(root, "from", json_string(staff_from));
	s = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
done:
	json_decref(jset);
	json_decref(root);
	return (s);
}

/* string_member - a copy of ROOT's string member NAME into *OUT; -1 out of memory */
static int
string_member(json_t *root, const char *name, char **out)
{
	json_t *v = json_object_get(root, name);

	*out = NULL;
	if (v == NULL || !json_is_string(v))
		return (0);
	return ((*out = strdup(json_string_value(v))) == NULL ? -1 : 0);
}

/* params_load - read the JSON text of a campaign into P */
int
params_load(const char *json, struct params *p, char *err, size_t errlen)
{
	json_t *root, *v;
	json_error_t jerr;
	const char *key;

	memset(p, 0, sizeof(*p));
	if ((root = json_loads(json ? json : "{}", 0, &jerr)) == NULL || !json_is_object(root)) {
		snprintf(err, errlen, "unreadable parameters");
		json_decref(root);
		return (-1);
	}
	json_object_foreach(json_object_get(root, "set"), key, v) {
		if (p->nset >= PARAMS_SET_MAX || !json_is_string(v))
			break;
		if (asprintf(&p->set[p->nset], "%s=%s", key, json_string_value(v)) < 0)
			goto nomem;
		p->nset++;
	}
	if (string_member(root, "service_type", &p->service_type) < 0
	    || string_member(root, "service_ref", &p->service_ref) < 0
	    || string_member(root, "from", &p->staff_from) < 0)
		goto nomem;
	json_decref(root);
	return (0);
nomem:
	snprintf(err, errlen, "out of memory");
	json_decref(root);
	params_clear(p);
	return (-1);
}

/* params_clear - free what P owns */
void
params_clear(struct params *p)
{
	size_t	i;

	for (i = 0; i < p->nset; i++)
		free(p->set[i]);
	free(p->service_type);
	free(p->service_ref);
	free(p->staff_from);
	memset(p, 0, sizeof(*p));
}
