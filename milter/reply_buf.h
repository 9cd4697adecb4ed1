/*
 * NAME
 *	reply_buf 3h
 * SUMMARY
 *	growable byte buffer for the reply analysis modules
 * SYNOPSIS
 *	#include "reply_buf.h"
 *
 *	void	reply_buf_init(struct reply_buf *b);
 *	int	reply_buf_add(struct reply_buf *b, const void *p, size_t n);
 *	int	reply_buf_addc(struct reply_buf *b, int c);
 *	int	reply_buf_addcp(struct reply_buf *b, int32_t cp);
 *	void	reply_buf_reset(struct reply_buf *b);
 *	char   *reply_buf_steal(struct reply_buf *b);
 *	void	reply_buf_free(struct reply_buf *b);
 * DESCRIPTION
 *	A reply_buf holds LEN bytes at DATA, always NUL-terminated once
 *	memory was reserved (DATA may be NULL while nothing was). The buffer
 *	belongs to whoever declared it; reply_buf_free() releases it,
 *	reply_buf_steal() hands the string to the caller (who frees it
 *	with free()) and leaves the buffer empty. reply_buf_reset()
 *	empties it but keeps the memory, so a loop can reuse one buffer
 *	without an allocation per line.
 *
 *	reply_buf_addcp() appends code point CP encoded as UTF-8
 *	(U+FFFD for values that are not scalar values).
 * DIAGNOSTICS
 *	The add functions return 0, or -1 when out of memory or when the
 *	buffer would exceed REPLY_BUF_MAX.
 */
#ifndef LINKS_REPLY_BUF_H
#define LINKS_REPLY_BUF_H

#include <stddef.h>
#include <stdint.h>

#define REPLY_BUF_MAX	((size_t) 256 * 1024 * 1024)	/* sanity ceiling */

struct reply_buf {
	char   *data;
	size_t	len;
	size_t	cap;
};

void	reply_buf_init(struct reply_buf *b);
int	reply_buf_reserve(struct reply_buf *b, size_t extra);
int	reply_buf_add(struct reply_buf *b, const void *p, size_t n);
int	reply_buf_adds(struct reply_buf *b, const char *s);
int	reply_buf_addc(struct reply_buf *b, int c);
int	reply_buf_addcp(struct reply_buf *b, int32_t cp);
void	reply_buf_reset(struct reply_buf *b);
char   *reply_buf_steal(struct reply_buf *b);
void	reply_buf_free(struct reply_buf *b);

#endif
