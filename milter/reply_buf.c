/*
 * NAME
 *	reply_buf 3
 * SUMMARY
 *	growable byte buffer for the reply analysis modules
 * SYNOPSIS
 *	#include "reply_buf.h"
 * DESCRIPTION
 *	See reply_buf.h. Growth doubles the capacity so that appending
 *	N bytes one at a time costs O(N).
 * DIAGNOSTICS
 *	-1 when out of memory or past REPLY_BUF_MAX.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "reply_buf.h"

#define REPLY_BUF_MIN	64

void
reply_buf_init(struct reply_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

int
reply_buf_reserve(struct reply_buf *b, size_t extra)
{
	size_t	need, cap;
	char   *p;

	if (extra > REPLY_BUF_MAX || b->len > REPLY_BUF_MAX - extra - 1)
		return (-1);
	need = b->len + extra + 1;
	if (need <= b->cap) {
		b->data[b->len] = 0;
		return (0);
	}
	cap = b->cap ? b->cap : REPLY_BUF_MIN;
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
reply_buf_add(struct reply_buf *b, const void *p, size_t n)
{
	if (reply_buf_reserve(b, n) < 0)
		return (-1);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return (0);
}

int
reply_buf_adds(struct reply_buf *b, const char *s)
{
	return (reply_buf_add(b, s, strlen(s)));
}

int
reply_buf_addc(struct reply_buf *b, int c)
{
	char	ch = (char) c;

	return (reply_buf_add(b, &ch, 1));
}

int
reply_buf_addcp(struct reply_buf *b, int32_t cp)
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
	return (reply_buf_add(b, u, n));
}

void
reply_buf_reset(struct reply_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

char   *
reply_buf_steal(struct reply_buf *b)
{
	char   *s;

	if (b->data == NULL && reply_buf_reserve(b, 0) < 0)
		return (NULL);
	b->data[b->len] = 0;
	s = b->data;
	reply_buf_init(b);
	return (s);
}

void
reply_buf_free(struct reply_buf *b)
{
	free(b->data);
	reply_buf_init(b);
}
