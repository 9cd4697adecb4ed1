/*
 * NAME
 *	sbuf 3h
 * SUMMARY
 *	growing byte strings for the sender
 * SYNOPSIS
 *	#include "sbuf.h"
 *
 *	void	sbuf_init(struct sbuf *b);
 *	int	sbuf_add(struct sbuf *b, const char *s, size_t len);
 *	int	sbuf_adds(struct sbuf *b, const char *s);
 *	int	sbuf_printf(struct sbuf *b, const char *fmt, ...);
 *	char   *sbuf_steal(struct sbuf *b);
 *	void	sbuf_free(struct sbuf *b);
 * DESCRIPTION
 *	A struct sbuf holds LEN bytes plus a terminating NUL in DATA
 *	(NULL until the first add). It refuses to grow beyond SBUF_MAX.
 *	sbuf_steal() hands the buffer to the caller (free() it) and
 *	leaves B empty; sbuf_free() releases it.
 * DIAGNOSTICS
 *	The add functions return 0, or -1 when out of memory or past
 *	SBUF_MAX (the buffer is unchanged).
 */
#ifndef LINKS_SBUF_H
#define LINKS_SBUF_H

#include <stddef.h>

#define SBUF_MAX	(64 * 1024 * 1024)	/* largest message we build */

struct sbuf {
	char   *data;
	size_t	len;
	size_t	cap;
};

void	sbuf_init(struct sbuf *b);
int	sbuf_add(struct sbuf *b, const char *s, size_t len);
int	sbuf_adds(struct sbuf *b, const char *s);
int	sbuf_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char   *sbuf_steal(struct sbuf *b);
void	sbuf_free(struct sbuf *b);

#endif
