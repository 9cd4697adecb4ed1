/*
 * NAME
 *	strbuf 3h
 * SUMMARY
 *	growable byte and string buffer
 * SYNOPSIS
 *	#include "strbuf.h"
 *
 *	void	strbuf_init(struct strbuf *b);
 *	int	strbuf_add(struct strbuf *b, const void *p, size_t n);
 *	int	strbuf_addc(struct strbuf *b, int c);
 *	int	strbuf_addcp(struct strbuf *b, int32_t cp);
 *	int	strbuf_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void	strbuf_reset(struct strbuf *b);
 *	int	strbuf_printf(struct strbuf *b, const char *fmt, ...);
 *	char   *strbuf_steal(struct strbuf *b);
 *	void	strbuf_free(struct strbuf *b);
 * DESCRIPTION
 *	A strbuf holds LEN bytes at DATA, always NUL-terminated once
 *	memory was reserved (DATA may be NULL while nothing was). The buffer
 *	belongs to whoever declared it; strbuf_free() releases it,
 *	strbuf_steal() hands the string to the caller (who frees it
 *	with free()) and leaves the buffer empty. strbuf_reset()
 *	empties it but keeps the memory, so a loop can reuse one buffer
 *	without an allocation per line.
 *
 *	strbuf_printf() appends formatted text.
 *
 *	strbuf_addcp() appends code point CP encoded as UTF-8
 *	(U+FFFD for values that are not scalar values).
 * DIAGNOSTICS
 *	The add functions return 0, or -1 when out of memory or when the
 *	buffer would exceed STRBUF_MAX.
 */
#ifndef LINKS_STRBUF_H
#define LINKS_STRBUF_H

#include <stddef.h>
#include <stdint.h>

#define STRBUF_MAX	((size_t) 256 * 1024 * 1024)	/* sanity ceiling */

struct strbuf {
	char   *data;
	size_t	len;
	size_t	cap;
};

void	strbuf_init(struct strbuf *b);
int	strbuf_reserve(struct strbuf *b, size_t extra);
int	strbuf_add(struct strbuf *b, const void *p, size_t n);
int	strbuf_adds(struct strbuf *b, const char *s);
int	strbuf_addc(struct strbuf *b, int c);
int	strbuf_addcp(struct strbuf *b, int32_t cp);
int	strbuf_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void	strbuf_reset(struct strbuf *b);
char   *strbuf_steal(struct strbuf *b);
void	strbuf_free(struct strbuf *b);

#endif
