/*
 * NAME
 *	text 3h
 * SUMMARY
 *	small string helpers shared by every program
 * SYNOPSIS
 *	#include "text.h"
 *
 *	char   *text_trim(char *s);
 *	void	text_trim_span(const char **s, size_t *len, const char *set);
 *	int	text_hexval(int c);
 * DESCRIPTION
 *	text_trim() removes ASCII blanks (space, tab) from both ends of
 *	the NUL-terminated S in place and returns the first kept byte.
 *
 *	text_trim_span() narrows the span *S, *LEN so that it neither
 *	starts nor ends with a byte of SET (NULL: ASCII white space,
 *	TEXT_SPACE). Nothing is written.
 *
 *	text_hexval() returns the value of the hex digit C (either case),
 *	or -1 when C is not one.
 */
#ifndef LINKS_TEXT_H
#define LINKS_TEXT_H

#include <stddef.h>

#define TEXT_SPACE	" \t\r\n\v\f"

char   *text_trim(char *s);
void	text_trim_span(const char **s, size_t *len, const char *set);
int	text_hexval(int c);

#endif
