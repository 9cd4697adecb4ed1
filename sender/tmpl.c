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

struct tmpl {
	char   *origin;
	char   *subject;
	char   *label;
	char   *reason;		/* NULL: none */
	char   *categories;	/* NULL: any */
	char   *text;
	char   *html;		/* NULL: none */
};

struct tmpl_var {
	char   *key;
	char   *value;
};

struct tmpl_vars {
	const struct tmpl_vars *parent;
	struct tmpl_var *items;
	size_t	count;
	size_t	cap;
};

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

int
tmpl_name_valid(const char *name)
{
	size_t	n = strlen(name);

	return (n <= TMPL_NAME_MAX && tmpl_key_valid(name));
}

/*
 * Find the placeholder starting at P ("{{"): sets *KEY (len *KLEN) and
 * returns the position after "}}", or NULL for bad syntax.
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

/* Check every placeholder of S; LINE is where S starts in the file. */
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
	free(t->text);
	free(t->html);
	free(t);
}

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

/* Copy S (N bytes) without CRs, so that files edited on Windows work. */
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

struct tmpl *
tmpl_parse(const char *origin, const char *text, size_t len, char *err, size_t errlen)
{
	struct tmpl *t = NULL;
	char   *buf = NULL, *p, *nl, *body, *mark;
	int	line = 0, body_line;

	if (len > TMPL_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", origin, TMPL_FILE_MAX);
		return (NULL);
	}
	if (memchr(text, 0, len) != NULL || !utf8_valid(text, len)) {
		snprintf(err, errlen, "%s: not UTF-8 text", origin);
		return (NULL);
	}
	if ((buf = dup_nocr(text, len)) == NULL || (t = calloc(1, sizeof(*t))) == NULL
	    || (t->origin = strdup(origin)) == NULL)
		goto nomem;
	/* Skip a UTF-8 byte order mark. */
	p = buf;
	if ((unsigned char) p[0] == 0xef && (unsigned char) p[1] == 0xbb && (unsigned char) p[2] == 0xbf)
		p += 3;

	/* The header block. */
	for (;;) {
		char   *colon, *name, *value, **slot = NULL;

		line++;
		if (*p == 0) {
			snprintf(err, errlen, "%s:%d: no empty line after the header block", origin, line);
			goto fail;
		}
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = 0;
		if (*p == 0) {
			p = nl ? nl + 1 : p;
			break;
		}
		if (*p == '#') {
			p = nl ? nl + 1 : p + strlen(p);
			continue;
		}
		if ((colon = strchr(p, ':')) == NULL) {
			snprintf(err, errlen, "%s:%d: expected \"Name: value\"", origin, line);
			goto fail;
		}
		*colon = 0;
		name = text_trim(p);
		value = text_trim(colon + 1);
		if (strcasecmp(name, "Subject") == 0)
			slot = &t->subject;
		else if (strcasecmp(name, "Label") == 0)
			slot = &t->label;
		else if (strcasecmp(name, "Reason") == 0)
			slot = &t->reason;
		else if (strcasecmp(name, "Category") == 0)
			slot = &t->categories;
		else {
			snprintf(err, errlen, "%s:%d: unknown field \"%s\" (Subject, Label, Reason, Category)",
				 origin, line, name);
			goto fail;
		}
		if (*slot != NULL) {
			snprintf(err, errlen, "%s:%d: field \"%s\" given twice", origin, line, name);
			goto fail;
		}
		if (!hdr_value_safe(value)) {
			snprintf(err, errlen, "%s:%d: field \"%s\" is too long or has control characters",
				 origin, line, name);
			goto fail;
		}
		if ((*slot = strdup(value)) == NULL)
			goto nomem;
		if (check_placeholders(origin, value, line, err, errlen) < 0)
			goto fail;
		if (nl == NULL) {
			snprintf(err, errlen, "%s:%d: no body", origin, line);
			goto fail;
		}
		p = nl + 1;
	}
	if (t->subject == NULL || *t->subject == 0) {
		snprintf(err, errlen, "%s: no Subject field", origin);
		goto fail;
	}
	if (t->label != NULL) {
		const char *c;

		if (strlen(t->label) > TMPL_LABEL_MAX) {
			snprintf(err, errlen, "%s: Label longer than %d bytes", origin, TMPL_LABEL_MAX);
			goto fail;
		}
		for (c = t->label; *c; c++)
			if ((unsigned char) *c >= 0x80 || *c == '{') {
				snprintf(err, errlen, "%s: Label must be plain ASCII without placeholders", origin);
				goto fail;
			}
	}

	/* The bodies. */
	body = p;
	body_line = line + 1;
	mark = NULL;
	for (nl = body; nl != NULL && *nl;) {
		char   *e = strchr(nl, '\n');
		size_t	l = e ? (size_t) (e - nl) : strlen(nl);

		if (l == strlen(TMPL_HTML_MARK) && strncmp(nl, TMPL_HTML_MARK, l) == 0) {
			mark = nl;
			break;
		}
		nl = e ? e + 1 : NULL;
	}
	if (mark != NULL) {
		char   *h = strchr(mark, '\n');

		t->text = dupn(body, (size_t) (mark - body));
		t->html = strdup(h ? h + 1 : "");
		if (t->text == NULL || t->html == NULL)
			goto nomem;
		if (check_placeholders(origin, t->html, body_line, err, errlen) < 0)
			goto fail;
	} else if ((t->text = strdup(body)) == NULL)
		goto nomem;
	if (check_placeholders(origin, t->text, body_line, err, errlen) < 0)
		goto fail;
	if (*text_trim(t->text) == 0 && t->html == NULL) {
		snprintf(err, errlen, "%s: empty body", origin);
		goto fail;
	}
	free(buf);
	return (t);

nomem:
	snprintf(err, errlen, "%s: out of memory", origin);
fail:
	free(buf);
	tmpl_free(t);
	return (NULL);
}

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

const char *
tmpl_label(const struct tmpl *t)
{
	return (t->label ? t->label : "");
}

const char *
tmpl_origin(const struct tmpl *t)
{
	return (t->origin);
}

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

struct tmpl_vars *
tmpl_vars_new(const struct tmpl_vars *parent)
{
	struct tmpl_vars *v = calloc(1, sizeof(*v));

	if (v != NULL)
		v->parent = parent;
	return (v);
}

int
tmpl_vars_set(struct tmpl_vars *v, const char *key, const char *value)
{
	size_t	i;
	char   *val;

	if (!tmpl_key_valid(key) || strlen(value) > TMPL_VALUE_MAX)
		return (-1);
	if ((val = strdup(value)) == NULL)
		return (-1);
	for (i = 0; i < v->count; i++)
		if (strcmp(v->items[i].key, key) == 0) {
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
	v->items[v->count++].value = val;
	return (0);
fail:
	free(val);
	return (-1);
}

const char *
tmpl_vars_get(const struct tmpl_vars *v, const char *key)
{
	size_t	i;

	for (; v != NULL; v = v->parent)
		for (i = 0; i < v->count; i++)
			if (strcmp(v->items[i].key, key) == 0)
				return (v->items[i].value);
	return (NULL);
}

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

static int
add_escaped(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		const char *r = NULL;

		switch (*s) {
		case '&': r = "&amp;"; break;
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '"': r = "&quot;"; break;
		case '\'': r = "&#39;"; break;
		}
		if ((r ? strbuf_adds(b, r) : strbuf_add(b, s, 1)) < 0)
			return (-1);
	}
	return (0);
}

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
