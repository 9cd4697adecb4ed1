/*
 * NAME
 *	strbuf 3
 * SUMMARY
 *	growable byte and string buffer
 * SYNOPSIS
 *	#include "strbuf.h"
 * DESCRIPTION
 *	See strbuf.h. Growth doubles the capacity so that appending
 *	N bytes one at a time costs O(N).
 * DIAGNOSTICS
 *	-1 when out of memory or past STRBUF_MAX.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define STRBUF_MIN	64

void
strbuf_init(struct strbuf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

int
strbuf_reserve(struct strbuf *b, size_t extra)
{
	size_t	need, cap;
	char   *p;

	if (extra > STRBUF_MAX || b->len > STRBUF_MAX - extra - 1)
		return (-1);
	need = b->len + extra + 1;
	if (need <= b->cap) {
		b->data[b->len] = 0;
		return (0);
	}
	cap = b->cap ? b->cap : STRBUF_MIN;
	while (cap < need)
		cap *= 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return (-1);
	b->data = p;
	b->cap = cap;
	b->data[b->len] = 0;		/* always a string, even when empty */
	return (0);
}

int
strbuf_add(struct strbuf *b, const void *p, size_t n)
{
	if (strbuf_reserve(b, n) < 0)
		return (-1);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return (0);
}

int
strbuf_adds(struct strbuf *b, const char *s)
{
	return (strbuf_add(b, s, strlen(s)));
}

int
strbuf_addc(struct strbuf *b, int c)
{
	char	ch = (char) c;

	return (strbuf_add(b, &ch, 1));
}

int
strbuf_addcp(struct strbuf *b, int32_t cp)
{
	unsigned char u[4];
	size_t	n;

	if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (unsigned char) cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char) (0xC0 | (cp >> 6));
		u[1] = (unsigned char) (0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char) (0xE0 | (cp >> 12));
		u[1] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char) (0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (unsigned char) (0xF0 | (cp >> 18));
		u[1] = (unsigned char) (0x80 | ((cp >> 12) & 0x3F));
		u[2] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
		u[3] = (unsigned char) (0x80 | (cp & 0x3F));
		n = 4;
	}
	return (strbuf_add(b, u, n));
}

int
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || strbuf_reserve(b, (size_t) n) < 0)
		return (-1);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
	return (0);
}

void
strbuf_reset(struct strbuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

char   *
strbuf_steal(struct strbuf *b)
{
	char   *s;

	if (b->data == NULL && strbuf_reserve(b, 0) < 0)
		return (NULL);
	b->data[b->len] = 0;
	s = b->data;
	strbuf_init(b);
	return (s);
}

void
strbuf_free(struct strbuf *b)
{
	free(b->data);
	strbuf_init(b);
}
