/*
 * NAME
 *	conf 3
 * SUMMARY
 *	links.conf(5) parser and typed accessors
 * SYNOPSIS
 *	#include "conf.h"
 * DESCRIPTION
 *	See conf.h. The file format follows Postfix main.cf: "name = value"
 *	lines, '#' comment lines, blank lines, and continuation lines that
 *	start with white space. Every value is validated against the option
 *	table (conf_options.c) when it is read, so a program never starts
 *	with a value it cannot use.
 *
 *	For a LIST option the first occurrence in a file replaces the
 *	built-in default and later occurrences append; a LINES option
 *	gains one item per occurrence. For other types the last occurrence
 *	wins, as in Postfix.
 * DIAGNOSTICS
 *	Errors are "FILE:LINE: text" in the caller's buffer.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "conf.h"
#include "conf_options.h"
#include "text.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif
#ifndef PKGDATADIR
#define PKGDATADIR "/usr/share/links-mail"
#endif
#ifndef RUNSTATEDIR
#define RUNSTATEDIR "/run"
#endif

#define CONF_LIST_MAX	256	/* items in one list option */

struct conf_value {
	char   *str;		/* the value as text (lists: joined) */
	long long num;		/* INT, SIZE, BOOL */
	char  **items;		/* LIST, LINES */
	size_t	nitems;
	int	from_file;	/* set by the file at least once */
};

struct conf {
	atomic_int refs;
	char   *file;
	struct conf_value *vals;
};

static void conf_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void conf_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int conf_index(const char *name)
{
	for (unsigned i = 0; i < conf_option_count; i++)
		if (strcmp(conf_options[i].name, name) == 0)
			return (int) i;
	return -1;
}

int     conf_known(const char *name)
{
	return conf_index(name) >= 0;
}

const char *conf_option_name(size_t i)
{
	return i < conf_option_count ? conf_options[i].name : NULL;
}

/* Expand @SYSCONFDIR@-style markers in a default. Returns malloc'd text. */
static char *conf_expand(const char *in)
{
	static const struct {
		const char *mark;
		const char *value;
	} marks[] = {
		{"@SYSCONFDIR@", SYSCONFDIR},
		{"@LOCALSTATEDIR@", LOCALSTATEDIR},
		{"@PKGDATADIR@", PKGDATADIR},
		{"@RUNSTATEDIR@", RUNSTATEDIR},
	};
	size_t  cap = strlen(in) + 1;
	char   *out;
	size_t  n = 0;

	for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]); m++)
		cap += strlen(marks[m].value);
	if ((out = malloc(cap)) == NULL)
		return NULL;
	for (const char *p = in; *p;) {
		size_t  m;

		for (m = 0; m < sizeof(marks) / sizeof(marks[0]); m++) {
			size_t  ml = strlen(marks[m].mark);

			if (strncmp(p, marks[m].mark, ml) == 0) {
				size_t  vl = strlen(marks[m].value);

				/* Each marker appears at most once per default. */
				if (n + vl + 1 > cap)
					goto overflow;
				memcpy(out + n, marks[m].value, vl);
				n += vl;
				p += ml;
				break;
			}
		}
		if (m == sizeof(marks) / sizeof(marks[0])) {
			if (n + 2 > cap)
				goto overflow;
			out[n++] = *p++;
		}
	}
	out[n] = 0;
	return out;

overflow:
	free(out);
	return NULL;
}

static void conf_value_clear(struct conf_value *v)
{
	free(v->str);
	for (size_t i = 0; i < v->nitems; i++)
		free(v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

static int conf_parse_int(const char *s, long long *out)
{
	char   *end;
	long long v;

	errno = 0;
	if (*s == 0)
		return -1;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != 0)
		return -1;
	*out = v;
	return 0;
}

static int conf_parse_size(const char *s, long long *out)
{
	char   *end;
	long long v;
	long long mul = 1;

	errno = 0;
	if (!isdigit((unsigned char) *s))
		return -1;
	v = strtoll(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (tolower((unsigned char) *end)) {
	case 0:
		break;
	case 'k':
		mul = 1024LL;
		end++;
		break;
	case 'm':
		mul = 1024LL * 1024;
		end++;
		break;
	case 'g':
		mul = 1024LL * 1024 * 1024;
		end++;
		break;
	default:
		return -1;
	}
	if (tolower((unsigned char) *end) == 'b')
		end++;
	if (*end != 0 || v > LLONG_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int conf_parse_bool(const char *s, long long *out)
{
	static const char *yes[] = {"yes", "true", "on", "1"};
	static const char *no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static int conf_enum_ok(const char *choices, const char *s)
{
	size_t  len = strlen(s);

	for (const char *p = choices; *p;) {
		size_t  wl = strcspn(p, " ");

		if (wl == len && strncmp(p, s, len) == 0)
			return 1;
		p += wl;
		while (*p == ' ')
			p++;
	}
	return 0;
}

static int conf_add_item(struct conf_value *v, const char *s, size_t len)
{
	char  **items;

	if (v->nitems >= CONF_LIST_MAX)
		return -1;
	if ((items = realloc(v->items, (v->nitems + 1) * sizeof(*items))) == NULL)
		return -1;
	v->items = items;
	if ((items[v->nitems] = strndup(s, len)) == NULL)
		return -1;
	v->nitems++;
	return 0;
}

/* Rebuild the joined text of a list so conf_str/conf_dump can show it. */
static int conf_join(struct conf_value *v, const char *sep)
{
	size_t  len = 1;
	char   *s;

	for (size_t i = 0; i < v->nitems; i++)
		len += strlen(v->items[i]) + strlen(sep);
	if ((s = malloc(len)) == NULL)
		return -1;
	*s = 0;
	for (size_t i = 0; i < v->nitems; i++) {
		if (i)
			strcat(s, sep);
		strcat(s, v->items[i]);
	}
	free(v->str);
	v->str = s;
	return 0;
}

/*
 * Validate VALUE for option IDX and store it. FROM_FILE tells list
 * options whether this occurrence replaces the default. Returns 0, or
 * -1 with a message (without the file:line prefix) in ERR.
 */
static int conf_store(struct conf *c, int idx, const char *value, int from_file,
		              char *err, size_t errlen)
{
	const struct conf_option *o = &conf_options[idx];
	struct conf_value *v = &c->vals[idx];
	long long num = 0;
	char   *copy;

	for (const unsigned char *p = (const unsigned char *) value; *p; p++) {
		if (*p < 0x20 && *p != '\t') {
			conf_err(err, errlen, "%s: control character in value", o->name);
			return -1;
		}
	}

	switch (o->type) {
	case CONF_T_INT:
		if (conf_parse_int(value, &num) < 0) {
			conf_err(err, errlen, "%s: \"%s\" is not a whole number", o->name, value);
			return -1;
		}
		goto range;
	case CONF_T_SIZE:
		if (conf_parse_size(value, &num) < 0) {
			conf_err(err, errlen, "%s: \"%s\" is not a size (a number with optional k, m or g)",
				 o->name, value);
			return -1;
		}
range:
		if (num < o->min || num > o->max) {
			conf_err(err, errlen, "%s: %lld is out of range (%lld to %lld)",
				 o->name, num, o->min, o->max);
			return -1;
		}
		break;
	case CONF_T_BOOL:
		if (conf_parse_bool(value, &num) < 0) {
			conf_err(err, errlen, "%s: \"%s\" is not yes or no", o->name, value);
			return -1;
		}
		break;
	case CONF_T_ENUM:
		if (!conf_enum_ok(o->choices, value)) {
			conf_err(err, errlen, "%s: \"%s\" is not one of: %s", o->name, value, o->choices);
			return -1;
		}
		break;
	case CONF_T_LIST:
		if (from_file && !v->from_file) {
			for (size_t i = 0; i < v->nitems; i++)
				free(v->items[i]);
			v->nitems = 0;
		}
		for (const char *p = value; *p;) {
			size_t  wl;

			p += strspn(p, ", \t");
			if ((wl = strcspn(p, ", \t")) == 0)
				break;
			if (conf_add_item(v, p, wl) < 0) {
				conf_err(err, errlen, "%s: too many items (at most %d)", o->name, CONF_LIST_MAX);
				return -1;
			}
			p += wl;
		}
		v->from_file |= from_file;
		return conf_join(v, " ") < 0 ? (conf_err(err, errlen, "out of memory"), -1) : 0;
	case CONF_T_LINES:
		if (*value == 0)
			return 0;
		if (conf_add_item(v, value, strlen(value)) < 0) {
			conf_err(err, errlen, "%s: too many items (at most %d)", o->name, CONF_LIST_MAX);
			return -1;
		}
		v->from_file |= from_file;
		return conf_join(v, "\n") < 0 ? (conf_err(err, errlen, "out of memory"), -1) : 0;
	case CONF_T_STR:
		break;
	}
	if ((copy = strdup(value)) == NULL) {
		conf_err(err, errlen, "out of memory");
		return -1;
	}
	free(v->str);
	v->str = copy;
	v->num = num;
	v->from_file |= from_file;
	return 0;
}

struct conf *conf_defaults(void)
{
	struct conf *c;
	char    err[CONF_ERR_MAX];

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	atomic_init(&c->refs, 1);
	if ((c->file = strdup("")) == NULL
	    || (c->vals = calloc(conf_option_count, sizeof(*c->vals))) == NULL)
		goto fail;
	for (unsigned i = 0; i < conf_option_count; i++) {
		char   *def = conf_expand(conf_options[i].def ? conf_options[i].def : "");

		if (def == NULL)
			goto fail;
		if (conf_store(c, (int) i, def, 0, err, sizeof(err)) < 0) {
			/* A bad built-in default is a bug in conf_options.c. */
			fprintf(stderr, "links-mail: internal error: default of %s\n", err);
			free(def);
			abort();
		}
		free(def);
	}
	return c;

fail:
	conf_free(c);
	return NULL;
}

struct conf *conf_ref(struct conf *c)
{
	if (c)
		atomic_fetch_add(&c->refs, 1);
	return c;
}

void    conf_free(struct conf *c)
{
	if (c == NULL || atomic_fetch_sub(&c->refs, 1) > 1)
		return;
	if (c->vals)
		for (unsigned i = 0; i < conf_option_count; i++)
			conf_value_clear(&c->vals[i]);
	free(c->vals);
	free(c->file);
	free(c);
}

const char *conf_default_path(void)
{
	const char *env = getenv("LINKS_CONF");

	return (env && *env) ? env : SYSCONFDIR "/links/links.conf";
}

const char *conf_file(const struct conf *c)
{
	return c->file;
}

int     conf_set(struct conf *c, const char *name, const char *value, char *err, size_t errlen)
{
	int     idx = conf_index(name);

	if (idx < 0) {
		conf_err(err, errlen, "unknown option \"%s\"", name);
		return -1;
	}
	return conf_store(c, idx, value, 1, err, errlen);
}

/* Parse one logical line "name = value" (NUL-terminated, may be modified). */
static int conf_line(struct conf *c, char *line, char *err, size_t errlen)
{
	char   *eq = strchr(line, '=');
	char   *name = line;
	char   *value;
	size_t  nlen;
	size_t  vlen;

	if (eq == NULL) {
		conf_err(err, errlen, "expected \"name = value\"");
		return -1;
	}
	nlen = (size_t) (eq - line);
	text_trim_span((const char **) &name, &nlen, NULL);
	name[nlen] = 0;
	value = eq + 1;
	vlen = strlen(value);
	text_trim_span((const char **) &value, &vlen, NULL);
	value[vlen] = 0;
	if (nlen == 0) {
		conf_err(err, errlen, "missing option name before \"=\"");
		return -1;
	}
	for (size_t i = 0; i < nlen; i++) {
		if (!(islower((unsigned char) name[i]) || isdigit((unsigned char) name[i])
		      || name[i] == '_')) {
			conf_err(err, errlen, "bad option name \"%.64s\"", name);
			return -1;
		}
	}
	return conf_set(c, name, value, err, errlen);
}

/*
 * Read one physical line, newline included, into BUF (CAP bytes, NUL
 * terminated): 1 and its length in *LEN, 0 at end of file, -1 on a read
 * error. Unlike fgets() and strlen(), the length counts NUL bytes, so a
 * NUL in a line is reported as one and not as a line too long.
 */
static int conf_read_line(FILE *fp, char *buf, size_t cap, size_t *len)
{
	size_t  n = 0;
	int     c;

	while (n + 1 < cap && (c = getc(fp)) != EOF) {
		buf[n++] = (char) c;
		if (c == '\n')
			break;
	}
	buf[n] = 0;
	*len = n;
	if (n == 0)
		return ferror(fp) ? -1 : 0;
	return 1;
}

struct conf *conf_load(const char *path, char *err, size_t errlen)
{
	struct conf *c = NULL;
	FILE   *fp = NULL;
	char   *buf = NULL;		/* the logical line being built */
	size_t  blen = 0;
	long    bline = 0;		/* line number where it started */
	char    phys[CONF_LINE_MAX + 2];
	char    msg[CONF_ERR_MAX];
	long    lineno = 0;
	size_t  total = 0;
	struct stat sb;

	if (path == NULL)
		path = conf_default_path();
	if ((fp = fopen(path, "r")) == NULL) {
		conf_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &sb) == 0 && !S_ISREG(sb.st_mode)) {
		conf_err(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	if ((c = conf_defaults()) == NULL || (buf = malloc(CONF_LINE_MAX + 1)) == NULL) {
		conf_err(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	free(c->file);
	if ((c->file = strdup(path)) == NULL) {
		conf_err(err, errlen, "%s: out of memory", path);
		goto fail;
	}

	for (;;) {
		size_t  plen;
		int     got = conf_read_line(fp, phys, sizeof(phys), &plen);
		int     eof = got <= 0;
		int     cont;

		if (got < 0) {
			conf_err(err, errlen, "%s: read error: %s", path, strerror(errno));
			goto fail;
		}
		if (!eof) {
			lineno++;
			total += plen;
			if (total > CONF_FILE_MAX) {
				conf_err(err, errlen, "%s:%ld: file too large (over %d bytes)",
					 path, lineno, CONF_FILE_MAX);
				goto fail;
			}
			if (plen > 0 && phys[plen - 1] == '\n')
				phys[--plen] = 0;
			else if (!feof(fp)) {
				conf_err(err, errlen, "%s:%ld: line too long (over %d bytes)",
					 path, lineno, CONF_LINE_MAX);
				goto fail;
			}
			if (plen > 0 && phys[plen - 1] == '\r')
				phys[--plen] = 0;
			if (memchr(phys, 0, plen) != NULL) {
				conf_err(err, errlen, "%s:%ld: NUL byte in line", path, lineno);
				goto fail;
			}
		}
		/* Comment and blank lines end nothing and continue nothing. */
		if (!eof) {
			const char *p = phys + strspn(phys, " \t");

			if (*p == '#' || *p == 0)
				continue;
		}
		cont = !eof && (phys[0] == ' ' || phys[0] == '\t');
		if (cont) {
			if (blen == 0) {
				conf_err(err, errlen, "%s:%ld: continuation line without an option before it",
					 path, lineno);
				goto fail;
			}
			if (blen + 1 + plen > CONF_LINE_MAX) {
				conf_err(err, errlen, "%s:%ld: line too long (over %d bytes)",
					 path, lineno, CONF_LINE_MAX);
				goto fail;
			}
			buf[blen++] = ' ';
			memcpy(buf + blen, phys + strspn(phys, " \t"), plen - strspn(phys, " \t"));
			blen += plen - strspn(phys, " \t");
			buf[blen] = 0;
			continue;
		}
		if (blen > 0) {
			buf[blen] = 0;
			if (conf_line(c, buf, msg, sizeof(msg)) < 0) {
				conf_err(err, errlen, "%s:%ld: %s", path, bline, msg);
				goto fail;
			}
			blen = 0;
		}
		if (eof)
			break;
		memcpy(buf, phys, plen + 1);
		blen = plen;
		bline = lineno;
	}
	fclose(fp);
	free(buf);
	return c;

fail:
	if (fp)
		fclose(fp);
	free(buf);
	conf_free(c);
	return NULL;
}

/* conf_override_name - the NAME of "NAME=VALUE" into NAME, or -1 */
static int
conf_override_name(const char *arg, char *name, size_t namelen)
{
	const char *eq = strchr(arg, '=');
	size_t	n;

	if (eq == NULL || (n = (size_t) (eq - arg)) == 0 || n >= namelen)
		return (-1);
	memcpy(name, arg, n);
	name[n] = 0;
	return (0);
}

/* conf_overrides_add - check and keep one -o argument */
int
conf_overrides_add(struct conf_overrides *ov, const char *arg, char *err, size_t errlen)
{
	char	name[CONF_LINE_MAX];

	if (conf_override_name(arg, name, sizeof(name)) < 0) {
		conf_err(err, errlen, "-o %.200s: expected NAME=VALUE", arg);
		return (-1);
	}
	if (!conf_known(name)) {
		conf_err(err, errlen, "-o %.200s: unknown option", arg);
		return (-1);
	}
	if (ov->n >= CONF_OVERRIDES_MAX) {
		conf_err(err, errlen, "-o %.200s: more than %d -o options", arg, CONF_OVERRIDES_MAX);
		return (-1);
	}
	ov->item[ov->n++] = arg;
	return (0);
}

/* conf_overrides_apply - set the -o options on C, in order */
int
conf_overrides_apply(struct conf *c, const struct conf_overrides *ov, char *err, size_t errlen)
{
	char	name[CONF_LINE_MAX], e[CONF_ERR_MAX];

	for (size_t i = 0; i < ov->n; i++) {
		if (conf_override_name(ov->item[i], name, sizeof(name)) < 0
		    || conf_set(c, name, strchr(ov->item[i], '=') + 1, e, sizeof(e)) != 0) {
			conf_err(err, errlen, "-o %.200s: %.300s", ov->item[i],
				 conf_known(name) ? e : "expected NAME=VALUE");
			return (-1);
		}
	}
	return (0);
}

/* conf_get_str - the text of option ID ("" when unset) */
const char *
conf_get_str(const struct conf *c, enum conf_id id)
{
	const char *s = c->vals[id].str;

	return s ? s : "";
}

/* conf_get_num - the value of INT, SIZE or BOOL option ID */
long long
conf_get_num(const struct conf *c, enum conf_id id)
{
	return c->vals[id].num;
}

/* conf_get_count - the number of items of LIST or LINES option ID */
size_t
conf_get_count(const struct conf *c, enum conf_id id)
{
	return c->vals[id].nitems;
}

/* conf_get_item - item I of LIST or LINES option ID, NULL past the end */
const char *
conf_get_item(const struct conf *c, enum conf_id id, size_t i)
{
	const struct conf_value *v = &c->vals[id];

	return i < v->nitems ? v->items[i] : NULL;
}

/*
 * One "name = value" line of conf_dump(). A value that would make the
 * line longer than CONF_LINE_MAX is written "name=value": never longer
 * than the line it was read from, so the dump always loads again.
 */
static void conf_dump_line(FILE *fp, const char *name, const char *value)
{
	if (strlen(name) + 3 + strlen(value) > CONF_LINE_MAX)
		fprintf(fp, "%s=%s\n", name, value);
	else
		fprintf(fp, "%s = %s\n", name, value);
}

/*
 * Lists are written one item per line, as they may be given: joined on
 * one line, several occurrences of a list could not be read back
 * (CONF_LINE_MAX). The first occurrence read from a file replaces the
 * default and the next ones append, so the dump loads to the same.
 */
void    conf_dump(const struct conf *c, FILE *fp)
{
	for (unsigned i = 0; i < conf_option_count; i++) {
		const struct conf_value *v = &c->vals[i];

		if (conf_options[i].type == CONF_T_LINES || conf_options[i].type == CONF_T_LIST) {
			if (v->nitems == 0)
				fprintf(fp, "%s =\n", conf_options[i].name);
			for (size_t k = 0; k < v->nitems; k++)
				conf_dump_line(fp, conf_options[i].name, v->items[k]);
			continue;
		}
		conf_dump_line(fp, conf_options[i].name, v->str ? v->str : "");
	}
}
