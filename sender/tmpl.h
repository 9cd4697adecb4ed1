/*
 * NAME
 *	tmpl 3h
 * SUMMARY
 *	message templates: loading, placeholders, rendering
 * SYNOPSIS
 *	#include "tmpl.h"
 *
 *	struct tmpl *tmpl_load(const char *dir, const char *name, char *err, size_t errlen);
 *	struct tmpl *tmpl_parse(const char *origin, const char *text, size_t len,
 *				char *err, size_t errlen);
 *	void	tmpl_free(struct tmpl *t);
 *
 *	struct tmpl_vars *tmpl_vars_new(const struct tmpl_vars *parent);
 *	int	tmpl_vars_set(struct tmpl_vars *v, const char *key, const char *value);
 *	const char *tmpl_vars_get(const struct tmpl_vars *v, const char *key);
 *	void	tmpl_vars_free(struct tmpl_vars *v);
 *
 *	int	tmpl_render(const struct tmpl *t, enum tmpl_part part,
 *			    const struct tmpl_vars *v, char **out, char *err, size_t errlen);
 * DESCRIPTION
 *	A template file is UTF-8 text in three parts:
 *
 *	  # comment lines
 *	  Subject: Thông báo bảo trì dịch vụ {{service_type}}
 *	  Category: maintenance
 *	  Label: [QC]
 *	  Reason: Quý khách nhận email này vì ...
 *	  Footer: last
 *
 *	  Kính gửi {{name}},
 *	  ... the text body ...
 *	  --- html ---
 *	  <p>Kính gửi {{name}},</p> ... the optional HTML body ...
 *
 *	The header block ends at the first empty line. Subject is required;
 *	Category (one category or several separated by commas) restricts
 *	which campaigns may use the template; Label is an ASCII tag put
 *	before the subject outside the encoded words; Reason is the footer
 *	line telling the customer why the message came; Footer "last" asks
 *	for the footer of the last message about a refusal (the opt-out
 *	confirmation) instead of the category's. A line that is
 *	exactly TMPL_HTML_MARK separates the text body from the HTML body.
 *
 *	A placeholder is {{key}} (spaces inside the braces allowed), key
 *	made of a-z, 0-9, '_' and '-', at most TMPL_KEY_MAX bytes. Syntax
 *	is checked when loading. tmpl_render() replaces every placeholder
 *	with its value from V (looked up in V, then V's parent chain);
 *	values are HTML-escaped in TMPL_HTML. A key without a value is an
 *	error: nothing is rendered with a blank in it.
 *
 *	tmpl_load() takes a NAME made of [a-z0-9_-] (the file is
 *	DIR/NAME.tmpl), or a path containing '/'. Files larger than
 *	TMPL_FILE_MAX are refused, and so is text that is not UTF-8 or
 *	contains NUL.
 *
 *	Results are owned by the caller: tmpl_free(), tmpl_vars_free(),
 *	free() for rendered text. A child tmpl_vars refers to its parent,
 *	which must outlive it.
 * DIAGNOSTICS
 *	NULL or -1 with a message in ERR ("FILE:LINE: ..." for syntax
 *	errors, "missing value for placeholder {{key}}" when rendering).
 */
#ifndef LINKS_TMPL_H
#define LINKS_TMPL_H

#include <stddef.h>

#define TMPL_FILE_MAX	(256 * 1024)	/* bytes of a template file */
#define TMPL_KEY_MAX	64		/* bytes of a placeholder key */
#define TMPL_VALUE_MAX	(64 * 1024)	/* bytes of one value */
#define TMPL_NAME_MAX	64		/* bytes of a template name */
#define TMPL_LABEL_MAX	32		/* bytes of the subject label */
#define TMPL_HTML_MARK	"--- html ---"

enum tmpl_part { TMPL_SUBJECT = 0, TMPL_TEXT, TMPL_HTML, TMPL_REASON };

struct tmpl;
struct tmpl_vars;

struct tmpl *tmpl_load(const char *dir, const char *name, char *err, size_t errlen);
struct tmpl *tmpl_parse(const char *origin, const char *text, size_t len,
			char *err, size_t errlen);
void	tmpl_free(struct tmpl *t);

/* Whether the template has that part (subject and text always do). */
int	tmpl_has(const struct tmpl *t, enum tmpl_part part);
/* "" when absent. Owned by the template. */
const char *tmpl_label(const struct tmpl *t);
/* 1 if the template may be used for category NAME (or names none). */
int	tmpl_allows(const struct tmpl *t, const char *category);
/* Whether the template asks for the footer of the last message ("Footer: last"). */
int	tmpl_footer_last(const struct tmpl *t);
/* Whether a part has {{KEY}}: the template declares its keys by using them. */
int	tmpl_uses(const struct tmpl *t, const char *key);
/* FN for each placeholder of every part (repeats included); stops on non-zero. */
int	tmpl_each_key(const struct tmpl *t, int (*fn)(const char *key, void *arg), void *arg);
/* The file it was read from. */
const char *tmpl_origin(const struct tmpl *t);
/* Whether a name is a valid template name (not a path). */
int	tmpl_name_valid(const char *name);
/* Whether KEY is a valid placeholder key. */
int	tmpl_key_valid(const char *key);

struct tmpl_vars *tmpl_vars_new(const struct tmpl_vars *parent);
int	tmpl_vars_set(struct tmpl_vars *v, const char *key, const char *value);
const char *tmpl_vars_get(const struct tmpl_vars *v, const char *key);
void	tmpl_vars_free(struct tmpl_vars *v);

int	tmpl_render(const struct tmpl *t, enum tmpl_part part, const struct tmpl_vars *v,
		    char **out, char *err, size_t errlen);

#endif
