/*
 * NAME
 *	fuzz_tmpl 1 (libFuzzer target)
 * SUMMARY
 *	feed arbitrary templates and values to the template renderer
 * SYNOPSIS
 *	fuzz_tmpl [libFuzzer options] [CORPUS_DIR...]
 * DESCRIPTION
 *	The input is a template (tmpl(3) syntax) up to the first NUL byte,
 *	then "key=value" lines giving the placeholder values. The template
 *	is parsed with tmpl_parse(); when it is accepted, every part it has
 *	is rendered twice: once with the values of the input, once with
 *	every value empty (the skeleton). Invariants checked:
 *	  - a refused template or a failed rendering says why (ERR non-empty);
 *	  - the subject and text always exist; rendering a part the template
 *	    does not have fails;
 *	  - with valid UTF-8 values, every rendered part is valid UTF-8 and
 *	    holds no NUL;
 *	  - in the HTML part, values add no markup: the rendered HTML has
 *	    exactly as many '<', '>', '"' and '\'' as the skeleton (values
 *	    are escaped), whatever they hold;
 *	  - a placeholder without a value is an error that names it;
 *	  - a value is inserted as is: "{{" inside a value is not expanded
 *	    again (the text part is exactly as long as the skeleton plus the
 *	    values, checked through the length difference being the same
 *	    for a second, doubled set of values).
 *	Seed corpus: tests/fuzz/corpus/tmpl/ (the shipped templates with
 *	values, and inputs that once broke an invariant).
 * DIAGNOSTICS
 *	Aborts (a finding) when an invariant breaks.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "tmpl.h"

#define FUZZ_TMPL_INPUT_MAX	(TMPL_FILE_MAX + 64 * 1024)
#define FUZZ_TMPL_ERR_MAX	512

static const enum tmpl_part parts[] = {TMPL_SUBJECT, TMPL_TEXT, TMPL_HTML, TMPL_REASON};

static size_t
count_of(const char *s, char c)
{
	size_t	n = 0;

	for (; *s; s++)
		n += (*s == c);
	return (n);
}

/*
 * Parse the "key=value" lines of V (LEN bytes, may hold anything) into
 * FULL (the value), EMPTY (the same keys, empty values) and TWICE (each
 * value written twice). Lines that are not a valid key are ignored.
 * Returns whether every value is valid UTF-8; *DOUBLED says whether
 * every value of TWICE is doubled.
 */
static int
parse_vars(const char *v, size_t len, struct tmpl_vars *full, struct tmpl_vars *empty,
	   struct tmpl_vars *twice, int *doubled)
{
	int	utf8 = 1;

	*doubled = 1;
	const char *end = v + len;

	while (v < end) {
		const char *nl = memchr(v, '\n', (size_t) (end - v));
		const char *le = nl ? nl : end;
		const char *eq = memchr(v, '=', (size_t) (le - v));

		if (eq != NULL && (size_t) (eq - v) <= TMPL_KEY_MAX
		    && memchr(eq, 0, (size_t) (le - eq)) == NULL) {
			char	key[TMPL_KEY_MAX + 1];
			size_t	vl = (size_t) (le - eq - 1);
			char   *val = malloc(vl + 1), *val2 = malloc(2 * vl + 1);

			fuzz_check(val != NULL && val2 != NULL, "malloc");
			memcpy(key, v, (size_t) (eq - v));
			key[eq - v] = 0;
			memcpy(val, eq + 1, vl);
			val[vl] = 0;
			memcpy(val2, val, vl);
			memcpy(val2 + vl, val, vl + 1);
			if (tmpl_vars_set(full, key, val) == 0) {
				fuzz_check(tmpl_vars_set(empty, key, "") == 0, "set an empty value");
				fuzz_check(tmpl_vars_get(full, key) != NULL
					   && strcmp(tmpl_vars_get(full, key), val) == 0,
					   "a value set reads back");
				if (tmpl_vars_set(twice, key, val2) < 0) {
					/* Too long doubled: keep the single value. */
					*doubled = 0;
					fuzz_check(tmpl_vars_set(twice, key, val) == 0, "set again");
				}
				if (!fuzz_valid_utf8(val, vl))
					utf8 = 0;
			}
			free(val);
			free(val2);
		}
		v = nl ? nl + 1 : end;
	}
	return (utf8);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *) data;
	const uint8_t *nul;
	size_t	tlen;
	struct tmpl *t;
	struct tmpl_vars *full, *empty, *twice;
	char	err[FUZZ_TMPL_ERR_MAX];
	int	utf8, doubled = 1;
	size_t	i;

	if (size > FUZZ_TMPL_INPUT_MAX)
		return (0);
	nul = memchr(data, 0, size);
	tlen = nul ? (size_t) (nul - data) : size;

	err[0] = 0;
	if ((t = tmpl_parse("fuzz.tmpl", text, tlen, err, sizeof(err))) == NULL) {
		fuzz_check(err[0] != 0, "a refused template says why");
		return (0);
	}
	fuzz_check(tmpl_has(t, TMPL_SUBJECT) && tmpl_has(t, TMPL_TEXT),
		   "subject and text always exist");
	fuzz_check(strlen(tmpl_label(t)) <= TMPL_LABEL_MAX, "label bounded");
	fuzz_check(strcmp(tmpl_origin(t), "fuzz.tmpl") == 0, "origin kept");

	full = tmpl_vars_new(NULL);
	empty = tmpl_vars_new(NULL);
	twice = tmpl_vars_new(NULL);
	fuzz_check(full != NULL && empty != NULL && twice != NULL, "tmpl_vars_new");
	utf8 = nul ? parse_vars(text + tlen + 1, size - tlen - 1, full, empty, twice,
				   &doubled) : 1;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char   *out = NULL, *skel = NULL, *dbl = NULL;
		int	rc, rs, rd;

		err[0] = 0;
		rc = tmpl_render(t, parts[i], full, &out, err, sizeof(err));
		if (!tmpl_has(t, parts[i])) {
			fuzz_check(rc < 0 && out == NULL && err[0] != 0, "an absent part fails");
			continue;
		}
		rs = tmpl_render(t, parts[i], empty, &skel, err, sizeof(err));
		rd = tmpl_render(t, parts[i], twice, &dbl, err, sizeof(err));
		fuzz_check((rc == 0) == (rs == 0) && (rc == 0) == (rd == 0),
			   "the same keys render the same way");
		if (rc < 0) {
			fuzz_check(out == NULL && strstr(err, "missing value for placeholder {{") != NULL,
				   "rendering fails only for a missing value, and names it");
			continue;
		}
		fuzz_check(out != NULL && skel != NULL && dbl != NULL, "rendered text");
		if (utf8)
			fuzz_check(fuzz_valid_utf8(out, strlen(out)), "UTF-8 in, UTF-8 out");
		if (parts[i] == TMPL_HTML) {
			fuzz_check(count_of(out, '<') == count_of(skel, '<')
				   && count_of(out, '>') == count_of(skel, '>')
				   && count_of(out, '"') == count_of(skel, '"')
				   && count_of(out, '\'') == count_of(skel, '\''),
				   "values add no markup to HTML");
		} else {
			/* Values inserted verbatim: len(dbl) - len(out) == len(out) - len(skel)
			 * when every value could be doubled. */
			size_t	lo = strlen(out), ls = strlen(skel), ld = strlen(dbl);

			fuzz_check(lo >= ls && ld >= lo, "values only add text");
			if (doubled)
				fuzz_check(ld - lo == lo - ls, "values are inserted once, not expanded");
		}
		free(out);
		free(skel);
		free(dbl);
	}
	tmpl_vars_free(full);
	tmpl_vars_free(empty);
	tmpl_vars_free(twice);
	tmpl_free(t);
	return (0);
}
