/*
 * NAME
 *	csv 3
 * SUMMARY
 *	bounded RFC 4180 CSV reader
 * SYNOPSIS
 *	#include "csv.h"
 * DESCRIPTION
 *	A small state machine over getc(). The record buffer is allocated
 *	once (CSV_RECORD_MAX + 1 bytes); a record that does not fit is a
 *	fatal error rather than a reason to grow, so a 10 MB line costs
 *	64 KiB of memory and one error message.
 * DIAGNOSTICS
 *	See csv.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"

#define CSV_ERR_MAX	160

struct csv {
	FILE   *fp;
	char   *buf;			/* fields, each NUL-terminated */
	size_t	len;
	size_t	off[CSV_FIELDS_MAX];
	size_t	nfields;
	long	line;			/* current physical line */
	long	start;			/* line the record starts on */
	int	first;			/* before the first record (BOM) */
	char	err[CSV_ERR_MAX];
};

struct csv *
csv_new(FILE *fp)
{
	struct csv *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	if ((c->buf = malloc(CSV_RECORD_MAX + 1)) == NULL) {
		free(c);
		return NULL;
	}
	c->fp = fp;
	c->line = 1;
	c->first = 1;
	return c;
}

void
csv_free(struct csv *c)
{
	if (c == NULL)
		return;
	free(c->buf);
	free(c);
}

size_t
csv_nfields(const struct csv *c)
{
	return c->nfields;
}

const char *
csv_field(const struct csv *c, size_t i)
{
	return i < c->nfields ? c->buf + c->off[i] : NULL;
}

long
csv_line(const struct csv *c)
{
	return c->start;
}

const char *
csv_error(const struct csv *c)
{
	return c->err;
}

/* Consume the rest of the physical line after a malformed record. */
static void
skip_line(struct csv *c)
{
	int	ch;

	while ((ch = getc(c->fp)) != EOF) {
		if (ch == '\n') {
			c->line++;
			return;
		}
		if (ch == '\r') {
			c->line++;
			if ((ch = getc(c->fp)) != '\n' && ch != EOF)
				ungetc(ch, c->fp);
			return;
		}
	}
}

static int
bad(struct csv *c, const char *what, int skip)
{
	snprintf(c->err, sizeof(c->err), "line %ld: %s", c->start, what);
	if (skip)
		skip_line(c);
	return CSV_EBAD;
}

static int
fatal(struct csv *c, const char *what)
{
	snprintf(c->err, sizeof(c->err), "line %ld: %s", c->start, what);
	return CSV_EFATAL;
}

static int
put(struct csv *c, int ch)
{
	if (c->len >= CSV_RECORD_MAX)
		return -1;
	c->buf[c->len++] = (char) ch;
	return 0;
}

static int
end_field(struct csv *c)
{
	if (c->nfields >= CSV_FIELDS_MAX)
		return -1;
	if (put(c, 0) < 0)
		return -2;
	c->nfields++;
	if (c->nfields < CSV_FIELDS_MAX)
		c->off[c->nfields] = c->len;
	return 0;
}

/* After a CR, swallow an LF. */
static void
eat_lf(struct csv *c)
{
	int	ch = getc(c->fp);

	if (ch != '\n' && ch != EOF)
		ungetc(ch, c->fp);
}

int
csv_read(struct csv *c)
{
	enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN } state;
	int	ch, any, r;

again:
	c->len = 0;
	c->nfields = 0;
	c->off[0] = 0;
	c->start = c->line;
	c->err[0] = 0;
	state = FIELD_START;
	any = 0;

	if (c->first) {
		c->first = 0;
		if ((ch = getc(c->fp)) == 0xef) {
			if (getc(c->fp) != 0xbb || getc(c->fp) != 0xbf)
				return fatal(c, "invalid byte order mark");
		} else if (ch != EOF)
			ungetc(ch, c->fp);
	}
	for (;;) {
		ch = getc(c->fp);
		if (ch == EOF && ferror(c->fp))
			return fatal(c, "read error");
		if (ch == 0)
			return bad(c, "NUL byte in the input", 1);
		switch (state) {
		case FIELD_START:
		case UNQUOTED:
			if (ch == EOF || ch == '\n' || ch == '\r') {
				if (ch == '\r')
					eat_lf(c);
				if (ch != EOF)
					c->line++;
				if (!any && state == FIELD_START && c->nfields == 0) {
					if (ch == EOF)
						return CSV_EOF;
					c->start = c->line;
					continue;	/* blank line */
				}
				goto record;
			}
			any = 1;
			if (ch == ',') {
				if ((r = end_field(c)) == -1)
					return bad(c, "too many fields", 1);
				if (r == -2)
					goto toolong;
				state = FIELD_START;
			} else if (ch == '"') {
				if (state == UNQUOTED)
					return bad(c, "quote inside an unquoted field", 1);
				state = QUOTED;
			} else {
				if (put(c, ch) < 0)
					goto toolong;
				state = UNQUOTED;
			}
			break;
		case QUOTED:
			if (ch == EOF)
				return fatal(c, "quoted field not closed at end of file");
			if (ch == '"')
				state = QUOTE_SEEN;
			else {
				if (ch == '\n')
					c->line++;
				else if (ch == '\r') {
					ch = getc(c->fp);
					if (ch != '\n' && ch != EOF)
						ungetc(ch, c->fp);
					c->line++;
					ch = '\n';
				}
				if (put(c, ch) < 0)
					goto toolong;
			}
			break;
		case QUOTE_SEEN:
			if (ch == '"') {
				if (put(c, '"') < 0)
					goto toolong;
				state = QUOTED;
			} else if (ch == ',') {
				if ((r = end_field(c)) == -1)
					return bad(c, "too many fields", 1);
				if (r == -2)
					goto toolong;
				state = FIELD_START;
			} else if (ch == EOF || ch == '\n' || ch == '\r') {
				if (ch == '\r')
					eat_lf(c);
				if (ch != EOF)
					c->line++;
				goto record;
			} else
				return bad(c, "text after a closing quote", 1);
			break;
		}
	}
record:
	if ((r = end_field(c)) == -1)
		return bad(c, "too many fields", 0);
	if (r == -2)
		goto toolong;
	if (c->nfields == 1 && c->buf[0] == 0 && !any)
		goto again;
	return CSV_RECORD;
toolong:
	snprintf(c->err, sizeof(c->err), "line %ld: record longer than %d bytes", c->start,
		 CSV_RECORD_MAX);
	return CSV_EFATAL;
}
