/*
 * NAME
 *	sbuf 3
 * SUMMARY
 *	growing byte strings for the sender
 * SYNOPSIS
 *	#include "sbuf.h"
 * DESCRIPTION
 *	See sbuf.h. Growth doubles the capacity, so building a message is
 *	linear in its size.
 * DIAGNOSTICS
 *	-1 when out of memory or past SBUF_MAX.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

void
sbuf_init(struct sbuf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

static int
sbuf_reserve(struct sbuf *b, size_t more)
{
	size_t	need, cap;
	char   *p;

	if (more > SBUF_MAX || b->len + more > SBUF_MAX)
		return (-1);
	need = b->len + more + 1;
	if (need <= b->cap)
		return (0);
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return (-1);
	b->data = p;
	b->cap = cap;
	return (0);
}

int
sbuf_add(struct sbuf *b, const char *s, size_t len)
{
	if (sbuf_reserve(b, len) < 0)
		return (-1);
	if (len > 0)
		memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = 0;
	return (0);
}

int
sbuf_adds(struct sbuf *b, const char *s)
{
	return (sbuf_add(b, s, strlen(s)));
}

int
sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || sbuf_reserve(b, (size_t) n) < 0)
		return (-1);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
	return (0);
}

char   *
sbuf_steal(struct sbuf *b)
{
	char   *p = b->data;

	if (p == NULL)
		p = calloc(1, 1);
	sbuf_init(b);
	return (p);
}

void
sbuf_free(struct sbuf *b)
{
	free(b->data);
	sbuf_init(b);
}
