/*
 * NAME
 *	tmpl 3
 * SUMMARY
 *	message templates: loading, placeholders, rendering
 * SYNOPSIS
 *	#include "tmpl.h"
 * DESCRIPTION
 *	See tmpl.h for the file format. Templates are small: a file is read
 *	whole (bounded by TMPL_FILE_MAX), split into its parts, and every
 *	placeholder is syntax-checked once at load time, so rendering can
 *	only fail for a missing value.
 * DIAGNOSTICS
 *	Messages in the caller's ERR buffer; nothing is logged here.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hdr.h"
#include "strbuf.h"
#include "text.h"
#include "tmpl.h"
#include "utf8.h"

#define TMPL_VARS_MAX	256	/* keys in one tmpl_vars */
#define TMPL_VALUES_RESERVE 512	/* bytes reserved beyond a part for its values */
#define TMPL_HTML_SPECIAL "&<>\"'"	/* what add_escaped() replaces */

struct tmpl {
	char   *origin;
	char   *subject;
	char   *label;
	char   *reason;		/* NULL: none */
	char   *categories;	/* NULL: any */
	char   *footer;		/* NULL or "category": the category's; "last" */
	char   *text;
	char   *html;		/* NULL: none */
};

struct tmpl_var {
	char   *key;
	size_t	klen;			/* strlen(key): most keys differ in it */
	char   *value;
};

struct tmpl_vars {
	const struct tmpl_vars *parent;
	struct tmpl_var *items;
	size_t	count;
	size_t	cap;
};

/* tmpl_key_valid - whether KEY is a valid placeholder key */
int
tmpl_key_valid(const char *key)
{
	size_t	n = 0;

	for (; key[n]; n++) {
		char	c = key[n];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return (0);
	}
	return (n > 0 && n <= TMPL_KEY_MAX);
}

/* tmpl_name_valid - whether NAME is a valid template name (not a path) */
int
tmpl_name_valid(const char *name)
{
	size_t	n = strlen(name);

	return (n <= TMPL_NAME_MAX && tmpl_key_valid(name));
}

/*
 * placeholder - the placeholder starting at P ("{{"): sets *KEY (length
 * *KLEN) and returns the position after "}}", or NULL for bad syntax.
 */
static const char *
placeholder(const char *p, const char **key, size_t *klen)
{
	const char *k, *e;
	char	buf[TMPL_KEY_MAX + 1];

	p += 2;
	while (*p == ' ')
		p++;
	k = p;
	while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')
		p++;
	e = p;
	while (*p == ' ')
		p++;
	if (e == k || (size_t) (e - k) > TMPL_KEY_MAX || p[0] != '}' || p[1] != '}')
		return (NULL);
	memcpy(buf, k, (size_t) (e - k));
	buf[e - k] = 0;
	*key = k;
	*klen = (size_t) (e - k);
	return (p + 2);
}

/* check_placeholders - the placeholder syntax of S (starting at line LINE) */
static int
check_placeholders(const char *origin, const char *s, int line, char *err, size_t errlen)
{
	const char *p, *key;
	size_t	klen;

	for (p = s; *p; p++) {
		if (*p == '\n')
			line++;
		if (p[0] == '{' && p[1] == '{') {
			const char *q = placeholder(p, &key, &klen);

			if (q == NULL) {
				snprintf(err, errlen, "%s:%d: bad placeholder (expected {{key}}, key of a-z 0-9 _ -)",
					 origin, line);
				return (-1);
			}
			p = q - 1;
		} else if (p[0] == '}' && p[1] == '}') {
			snprintf(err, errlen, "%s:%d: \"}}\" without \"{{\"", origin, line);
			return (-1);
		}
	}
	return (0);
}

/* tmpl_free - free T */
void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->origin);
	free(t->subject);
	free(t->label);
	free(t->reason);
	free(t->categories);
	free(t->footer);
	free(t->text);
	free(t->html);
	free(t);
}

/* dupn - a NUL-terminated copy of N bytes of S */
static char *
dupn(const char *s, size_t n)
{
	char   *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return (d);
}

/* dup_nocr - a copy of N bytes of S without CR characters */
static char *
dup_nocr(const char *s, size_t n)
{
	char   *d = malloc(n + 1), *o = d;
	size_t	i;

	if (d == NULL)
		return (NULL);
	for (i = 0; i < n; i++)
		if (s[i] != '\r')
			*o++ = s[i];
	*o = 0;
	return (d);
}

/* header_slot - where the header field NAME of T goes; NULL for an unknown name */
static char **
header_slot(struct tmpl *t, const char *name)
{
	if (strcasecmp(name, "Subject") == 0)
		return (&t->subject);
	if (strcasecmp(name, "Label") == 0)
		return (&t->label);
	if (strcasecmp(name, "Reason") == 0)
		return (&t->reason);
	if (strcasecmp(name, "Category") == 0)
		return (&t->categories);
	if (strcasecmp(name, "Footer") == 0)
		return (&t->footer);
	return (NULL);
}

/* header_field - one "Name: value" LINE (number LNO) of the header block */
static int
header_field(struct tmpl *t, char *line, int lno, char *err, size_t errlen)
{
	char   *colon, *name, *value, **slot;

	if ((colon = strchr(line, ':')) == NULL) {
		snprintf(err, errlen, "%s:%d: expected \"Name: value\"", t->origin, lno);
		return (-1);
	}
	*colon = 0;
	name = text_trim(line);
	value = text_trim(colon + 1);
	if ((slot = header_slot(t, name)) == NULL) {
		snprintf(err, errlen, "%s:%d: unknown field \"%s\" (Subject, Label, Reason, Category, Footer)",
			 t->origin, lno, name);
		return (-1);
	}
	if (*slot != NULL) {
		snprintf(err, errlen, "%s:%d: field \"%s\" given twice", t->origin, lno, name);
		return (-1);
	}
	if (!hdr_value_safe(value)) {
		snprintf(err, errlen, "%s:%d: field \"%s\" is too long or has control characters",
			 t->origin, lno, name);
		return (-1);
	}
	if ((*slot = strdup(value)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", t->origin);
		return (-1);
	}
	return (check_placeholders(t->origin, value, lno, err, errlen));
}

/*
 * header_block - read the header block at *P up to its empty line; *P
 * is left at the body and *LINE at the block's last line number.
 */
static int
header_block(struct tmpl *t, char **p, int *line, char *err, size_t errlen)
{
	char   *nl;

	for (;;) {
		(*line)++;
		if (**p == 0) {
			snprintf(err, errlen, "%s:%d: no empty line after the header block",
				 t->origin, *line);
			return (-1);
		}
		if ((nl = strchr(*p, '\n')) != NULL)
			*nl = 0;
		if (**p == 0) {
			*p = nl ? nl + 1 : *p;
			return (0);
		}
		if (**p != '#' && header_field(t, *p, *line, err, errlen) < 0)
			return (-1);
		if (**p != '#' && nl == NULL) {
			snprintf(err, errlen, "%s:%d: no body", t->origin, *line);
			return (-1);
		}
		*p = nl ? nl + 1 : *p + strlen(*p);
	}
}

/* check_fields - the Subject is there and the Label is plain ASCII */
static int
check_fields(const struct tmpl *t, char *err, size_t errlen)
{
	const char *c;

	if (t->subject == NULL || *t->subject == 0) {
		snprintf(err, errlen, "%s: no Subject field", t->origin);
		return (-1);
	}
	if (t->footer != NULL && strcmp(t->footer, "category") != 0 && strcmp(t->footer, "last") != 0) {
		snprintf(err, errlen, "%s: Footer is \"category\" or \"last\"", t->origin);
		return (-1);
	}
	if (t->label == NULL)
		return (0);
	if (strlen(t->label) > TMPL_LABEL_MAX) {
		snprintf(err, errlen, "%s: Label longer than %d bytes", t->origin, TMPL_LABEL_MAX);
		return (-1);
	}
	for (c = t->label; *c; c++)
		if ((unsigned char) *c >= 0x80 || *c == '{') {
			snprintf(err, errlen, "%s: Label must be plain ASCII without placeholders",
				 t->origin);
			return (-1);
		}
	return (0);
}

/* html_mark - the line TMPL_HTML_MARK in BODY, NULL when none */
static char *
html_mark(char *body)
{
	char   *p, *e;
	size_t	l;

	for (p = body; p != NULL && *p; p = e ? e + 1 : NULL) {
		e = strchr(p, '\n');
		l = e ? (size_t) (e - p) : strlen(p);
		if (l == strlen(TMPL_HTML_MARK) && strncmp(p, TMPL_HTML_MARK, l) == 0)
			return (p);
	}
	return (NULL);
}

/* bodies - split BODY (from line LINE) into the text and HTML parts of T */
static int
bodies(struct tmpl *t, char *body, int line, char *err, size_t errlen)
{
	char   *mark = html_mark(body), *h;

	if (mark != NULL) {
		h = strchr(mark, '\n');
		t->text = dupn(body, (size_t) (mark - body));
		t->html = strdup(h ? h + 1 : "");
		if (t->text == NULL || t->html == NULL)
			goto nomem;
		if (check_placeholders(t->origin, t->html, line, err, errlen) < 0)
			return (-1);
	} else if ((t->text = strdup(body)) == NULL)
		goto nomem;
	if (check_placeholders(t->origin, t->text, line, err, errlen) < 0)
		return (-1);
	if (*text_trim(t->text) == 0 && t->html == NULL) {
		snprintf(err, errlen, "%s: empty body", t->origin);
		return (-1);
	}
	return (0);
nomem:
	snprintf(err, errlen, "%s: out of memory", t->origin);
	return (-1);
}

/* tmpl_parse - a template from TEXT (LEN bytes) read from ORIGIN */
struct tmpl *
tmpl_parse(const char *origin, const char *text, size_t len, char *err, size_t errlen)
{
	struct tmpl *t = NULL;
	char   *buf = NULL, *p;
	int	line = 0;

	if (len > TMPL_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", origin, TMPL_FILE_MAX);
		return (NULL);
	}
	if (memchr(text, 0, len) != NULL || !utf8_valid(text, len)) {
		snprintf(err, errlen, "%s: not UTF-8 text", origin);
		return (NULL);
	}
	if ((buf = dup_nocr(text, len)) == NULL || (t = calloc(1, sizeof(*t))) == NULL
	    || (t->origin = strdup(origin)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", origin);
		goto fail;
	}
	/* Skip a UTF-8 byte order mark. */
	p = buf;
	if ((unsigned char) p[0] == 0xef && (unsigned char) p[1] == 0xbb && (unsigned char) p[2] == 0xbf)
		p += 3;
	if (header_block(t, &p, &line, err, errlen) < 0 || check_fields(t, err, errlen) < 0
	    || bodies(t, p, line + 1, err, errlen) < 0)
		goto fail;
	free(buf);
	return (t);
fail:
	free(buf);
	tmpl_free(t);
	return (NULL);
}

/* tmpl_load - the template NAME of DIR (or the file NAME); see tmpl.h */
struct tmpl *
tmpl_load(const char *dir, const char *name, char *err, size_t errlen)
{
	char	path[4096];
	FILE   *fp = NULL;
	char   *text = NULL;
	size_t	len;
	struct stat sb;
	struct tmpl *t = NULL;

	if (strchr(name, '/') != NULL) {
		if (snprintf(path, sizeof(path), "%s", name) >= (int) sizeof(path))
			goto toolong;
	} else if (!tmpl_name_valid(name)) {
		snprintf(err, errlen, "bad template name \"%s\" (use a-z 0-9 _ - or a path)", name);
		return (NULL);
	} else if (snprintf(path, sizeof(path), "%s/%s.tmpl", dir, name) >= (int) sizeof(path))
		goto toolong;
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fileno(fp), &sb) < 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	if (sb.st_size > TMPL_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path, TMPL_FILE_MAX);
		goto fail;
	}
	if ((text = malloc((size_t) sb.st_size + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	len = fread(text, 1, (size_t) sb.st_size, fp);
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: read error", path);
		goto fail;
	}
	text[len] = 0;
	t = tmpl_parse(path, text, len, err, errlen);
fail:
	free(text);
	if (fp != NULL)
		fclose(fp);
	return (t);
toolong:
	snprintf(err, errlen, "template path too long");
	return (NULL);
}

/* tmpl_has - whether T has part PART */
int
tmpl_has(const struct tmpl *t, enum tmpl_part part)
{
	switch (part) {
	case TMPL_HTML:
		return (t->html != NULL);
	case TMPL_REASON:
		return (t->reason != NULL);
	default:
		return (1);
	}
}

/* tmpl_label - T's subject label, "" when none */
const char *
tmpl_label(const struct tmpl *t)
{
	return (t->label ? t->label : "");
}

/* tmpl_origin - the file T was read from */
const char *
tmpl_origin(const struct tmpl *t)
{
	return (t->origin);
}

/* tmpl_allows - whether T may be used for category NAME */
int
tmpl_allows(const struct tmpl *t, const char *category)
{
	const char *p;
	size_t	n = strlen(category);

	if (t->categories == NULL || *t->categories == 0)
		return (1);
	for (p = t->categories; *p;) {
		size_t	w;

		while (*p == ',' || *p == ' ')
			p++;
		w = strcspn(p, ", ");
		if (w == n && strncmp(p, category, n) == 0)
			return (1);
		p += w;
	}
	return (0);
}

/* ---- variables ---- */

/* tmpl_footer_last - whether T asks for the footer of the last message (opt-out confirmation) */
int
tmpl_footer_last(const struct tmpl *t)
{
	return (t->footer != NULL && strcmp(t->footer, "last") == 0);
}

/* each_key_in - call FN for each placeholder of S; stop on non-zero */
static int
each_key_in(const char *s, int (*fn)(const char *, void *), void *arg)
{
	const char *p, *key;
	char	kbuf[TMPL_KEY_MAX + 1];
	size_t	klen;
	int	r;

	for (p = s; s != NULL && (p = strstr(p, "{{")) != NULL;) {
		if ((p = placeholder(p, &key, &klen)) == NULL)
			return (0);	/* checked at load time */
		memcpy(kbuf, key, klen);
		kbuf[klen] = 0;
		if ((r = fn(kbuf, arg)) != 0)
			return (r);
	}
	return (0);
}

/* tmpl_each_key - call FN for each placeholder of every part of T (repeats included) */
int
tmpl_each_key(const struct tmpl *t, int (*fn)(const char *key, void *arg), void *arg)
{
	const char *parts[] = {t->subject, t->reason, t->text, t->html};
	size_t	i;
	int	r;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if ((r = each_key_in(parts[i], fn, arg)) != 0)
			return (r);
	return (0);
}

/* key_is - tmpl_each_key() callback: stop when the key is ARG */
static int
key_is(const char *key, void *arg)
{
	return (strcmp(key, arg) == 0);
}

/* tmpl_uses - whether any part of T has the placeholder {{KEY}} */
int
tmpl_uses(const struct tmpl *t, const char *key)
{
	return (tmpl_each_key(t, key_is, (void *) key));
}

/* tmpl_vars_new - an empty set of values over PARENT (may be NULL) */
struct tmpl_vars *
tmpl_vars_new(const struct tmpl_vars *parent)
{
	struct tmpl_vars *v = calloc(1, sizeof(*v));

	if (v != NULL)
		v->parent = parent;
	return (v);
}

/* tmpl_vars_set - set KEY to a copy of VALUE */
int
tmpl_vars_set(struct tmpl_vars *v, const char *key, const char *value)
{
	size_t	i, klen = strlen(key);
	char   *val;

	if (!tmpl_key_valid(key) || strlen(value) > TMPL_VALUE_MAX)
		return (-1);
	if ((val = strdup(value)) == NULL)
		return (-1);
	for (i = 0; i < v->count; i++)
		if (v->items[i].klen == klen && memcmp(v->items[i].key, key, klen) == 0) {
			free(v->items[i].value);
			v->items[i].value = val;
			return (0);
		}
	if (v->count >= TMPL_VARS_MAX)
		goto fail;
	if (v->count == v->cap) {
		size_t	cap = v->cap ? v->cap * 2 : 16;
		struct tmpl_var *n = realloc(v->items, cap * sizeof(*n));

		if (n == NULL)
			goto fail;
		v->items = n;
		v->cap = cap;
	}
	if ((v->items[v->count].key = strdup(key)) == NULL)
		goto fail;
	v->items[v->count].klen = klen;
	v->items[v->count++].value = val;
	return (0);
fail:
	free(val);
	return (-1);
}

/* tmpl_vars_get - the value of KEY in V or its parents, NULL when none */
const char *
tmpl_vars_get(const struct tmpl_vars *v, const char *key)
{
	size_t	i, klen = strlen(key);

	for (; v != NULL; v = v->parent)
		for (i = 0; i < v->count; i++)
			if (v->items[i].klen == klen && memcmp(v->items[i].key, key, klen) == 0)
				return (v->items[i].value);
	return (NULL);
}

/* tmpl_vars_free - free V (not its parent) */
void
tmpl_vars_free(struct tmpl_vars *v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < v->count; i++) {
		free(v->items[i].key);
		free(v->items[i].value);
	}
	free(v->items);
	free(v);
}

/* ---- rendering ---- */

/* add_escaped - append S to B with HTML special characters escaped */
static int
add_escaped(struct strbuf *b, const char *s)
{
	const char *r;
	size_t	n;

	for (;;) {
		/* The run up to the next special character in one piece. */
		n = strcspn(s, TMPL_HTML_SPECIAL);
		if (n > 0 && strbuf_add(b, s, n) < 0)
			return (-1);
		if (*(s += n) == 0)
			return (0);
		switch (*s++) {
		case '&': r = "&amp;"; break;
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '"': r = "&quot;"; break;
		default: r = "&#39;"; break;	/* the last of TMPL_HTML_SPECIAL */
		}
		if (strbuf_adds(b, r) < 0)
			return (-1);
	}
}

/* tmpl_render - part PART of T with every placeholder replaced; see tmpl.h */
int
tmpl_render(const struct tmpl *t, enum tmpl_part part, const struct tmpl_vars *v,
	    char **out, char *err, size_t errlen)
{
	const char *src = NULL, *p, *q, *key, *val;
	size_t	klen;
	struct strbuf b;
	char	kbuf[TMPL_KEY_MAX + 1];

	switch (part) {
	case TMPL_SUBJECT: src = t->subject; break;
	case TMPL_TEXT: src = t->text; break;
	case TMPL_HTML: src = t->html; break;
	case TMPL_REASON: src = t->reason; break;
	}
	*out = NULL;
	if (src == NULL) {
		snprintf(err, errlen, "%s: the template has no such part", t->origin);
		return (-1);
	}
	strbuf_init(&b);
	/* The text and its values: one allocation, not a doubling per kilobyte. */
	if (strbuf_reserve(&b, strlen(src) + TMPL_VALUES_RESERVE) < 0)
		goto nomem;
	for (p = src; (q = strstr(p, "{{")) != NULL; p = q) {
		if (strbuf_add(&b, p, (size_t) (q - p)) < 0)
			goto nomem;
		if ((q = placeholder(q, &key, &klen)) == NULL) {
			/* Checked at load time. */
			snprintf(err, errlen, "%s: bad placeholder", t->origin);
			goto fail;
		}
		memcpy(kbuf, key, klen);
		kbuf[klen] = 0;
		if ((val = tmpl_vars_get(v, kbuf)) == NULL) {
			snprintf(err, errlen, "%s: missing value for placeholder {{%s}}", t->origin, kbuf);
			goto fail;
		}
		if ((part == TMPL_HTML ? add_escaped(&b, val) : strbuf_adds(&b, val)) < 0)
			goto nomem;
	}
	if (strbuf_adds(&b, p) < 0)
		goto nomem;
	*out = strbuf_steal(&b);
	return (*out ? 0 : -1);
nomem:
	snprintf(err, errlen, "%s: out of memory", t->origin);
fail:
	strbuf_free(&b);
	return (-1);
}
