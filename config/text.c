/*
 * NAME
 *	text 3
 * SUMMARY
 *	small string helpers shared by every program
 * SYNOPSIS
 *	#include "text.h"
 * DESCRIPTION
 *	See text.h.
 */
#include "config.h"

#include <string.h>

#include "text.h"

/* text_trim - strip blanks from both ends of S, in place */
char   *
text_trim(char *s)
{
	char   *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = 0;
	return (s);
}

/* text_trim_span - narrow a span past the bytes of SET at both ends */
void
text_trim_span(const char **s, size_t *len, const char *set)
{
	if (set == NULL)
		set = TEXT_SPACE;
	while (*len > 0 && (*s)[0] != 0 && strchr(set, (*s)[0]) != NULL) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && (*s)[*len - 1] != 0 && strchr(set, (*s)[*len - 1]) != NULL)
		(*len)--;
}

/* text_hexval - the value of a hex digit, or -1 */
int
text_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}
