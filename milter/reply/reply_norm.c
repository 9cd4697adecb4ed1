/*
 * NAME
 *	reply_norm 3
 * SUMMARY
 *	Unicode normalisation of reply text (utf8proc)
 * SYNOPSIS
 *	#include "reply_norm.h"
 * DESCRIPTION
 *	See reply_norm.h. utf8proc_decompose_custom() does the
 *	decomposition, case folding, mark stripping and canonical
 *	ordering; a callback maps the space-like characters first. We
 *	then fix the Vietnamese mark order, compose with
 *	utf8proc_normalize_utf32() and encode, collapsing spaces.
 *
 *	Pure ASCII input (most lines of most replies) takes a fast path
 *	without utf8proc.
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "reply_charset.h"
#include "reply_norm.h"

#define NORM_MAX_CP	((size_t) 64 * 1024 * 1024)	/* code points per call */

void
reply_norm_init(struct reply_norm *n)
{
	n->cp = NULL;
	n->cap = 0;
}

void
reply_norm_free(struct reply_norm *n)
{
	free(n->cp);
	reply_norm_init(n);
}

static	utf8proc_int32_t
map_space(utf8proc_int32_t c, void *data)
{
	(void) data;
	switch (c) {
	case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
	case 0x200B: case 0x2060: case 0xFEFF: case '\t':
		return (' ');
	default:
		if (c >= 0x2000 && c <= 0x200A)
			return (' ');
		return (c);
	}
}

/* Vietnamese vowel-shape marks: they go before the tone marks. */
static int
is_shape_mark(int32_t c)
{
	return (c == 0x0302 || c == 0x0306);
}

/*
 * Within each run of class-230 marks move the shape marks before the
 * others, keeping relative order (a stable partition; runs are tiny).
 */
static void
fix_vietnamese_marks(int32_t *cp, size_t n)
{
	size_t	i, j, k;

	for (i = 0; i < n; i = j) {
		const utf8proc_property_t *p = utf8proc_get_property(cp[i]);

		j = i + 1;
		if (p->combining_class != 230)
			continue;
		while (j < n && utf8proc_get_property(cp[j])->combining_class == 230)
			j++;
		if (j - i < 2)
			continue;
		for (k = i + 1; k < j; k++) {
			int32_t	c = cp[k];
			size_t	m = k;

			if (!is_shape_mark(c))
				continue;
			while (m > i && !is_shape_mark(cp[m - 1])) {
				cp[m] = cp[m - 1];
				m--;
			}
			cp[m] = c;
		}
	}
}

/* Append code point C, collapsing blanks when SPACES. *PEND counts a
 * pending space; *ATSTART says nothing but line breaks was written. */
static int
emit(struct strbuf *out, int32_t c, int spaces, int *pend, int *atstart)
{
	if (!spaces)
		return (c < 0x80 ? strbuf_addc(out, (int) c) : strbuf_addcp(out, c));
	if (c == ' ') {
		*pend = 1;
		return (0);
	}
	if (c == '\n') {
		*pend = 0;
		*atstart = 0;
		return (strbuf_addc(out, '\n'));
	}
	if (*pend && out->len > 0 && out->data[out->len - 1] != '\n' && !*atstart)
		if (strbuf_addc(out, ' ') < 0)
			return (-1);
	*pend = 0;
	*atstart = 0;
	return (c < 0x80 ? strbuf_addc(out, (int) c) : strbuf_addcp(out, c));
}

static int
norm_ascii(const char *s, size_t len, int flags, struct strbuf *out)
{
	int	pend = 0, atstart = 1;
	size_t	i;
	int	lower = flags & (REPLY_NORM_FOLD | REPLY_NORM_STRIP);

	if (!(flags & REPLY_NORM_SPACES) && !lower)
		return (strbuf_add(out, s, len));
	if (strbuf_reserve(out, len) < 0)
		return (-1);
	for (i = 0; i < len; i++) {
		int	c = (unsigned char) s[i];

		if (c == '\t')
			c = ' ';
		if (lower && c >= 'A' && c <= 'Z')
			c += 32;
		if (emit(out, c, flags & REPLY_NORM_SPACES, &pend, &atstart) < 0)
			return (-1);
	}
	return (0);
}

int
reply_norm(struct reply_norm *n, const char *s, size_t len, int flags,
	   struct strbuf *out)
{
	utf8proc_option_t opt = UTF8PROC_DECOMPOSE;
	utf8proc_ssize_t got;
	struct strbuf clean;
	size_t	i, start = out->len;
	int	pend = 0, atstart = 1, ret = -1;

	for (i = 0; i < len; i++)
		if ((unsigned char) s[i] >= 0x80 || s[i] == 0 || s[i] == '\r')
			break;
	if (i == len)
		return (norm_ascii(s, len, flags, out));

	/* utf8proc refuses invalid UTF-8: clean it first. */
	strbuf_init(&clean);
	if (reply_utf8_clean(s, len, &clean) < 0)
		goto fail;
	if (flags & REPLY_NORM_FOLD)
		opt |= UTF8PROC_CASEFOLD;
	if (flags & REPLY_NORM_STRIP)
		opt |= UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK;
	for (;;) {
		got = utf8proc_decompose_custom((const utf8proc_uint8_t *) clean.data,
						(utf8proc_ssize_t) clean.len,
						n->cp, (utf8proc_ssize_t) n->cap,
						opt, map_space, NULL);
		if (got < 0)
			goto fail;
		if ((size_t) got <= n->cap)
			break;
		if ((size_t) got > NORM_MAX_CP)
			goto fail;
		free(n->cp);
		n->cap = 0;
		if ((n->cp = malloc((size_t) got * 2 * sizeof(int32_t))) == NULL)
			goto fail;
		n->cap = (size_t) got * 2;
	}
	if (!(flags & REPLY_NORM_STRIP)) {
		fix_vietnamese_marks(n->cp, (size_t) got);
		got = utf8proc_normalize_utf32(n->cp, got, UTF8PROC_COMPOSE);
		if (got < 0)
			goto fail;
	}
	if (strbuf_reserve(out, (size_t) got) < 0)
		goto fail;
	for (i = 0; i < (size_t) got; i++) {
		int32_t	c = n->cp[i];

		if (flags & REPLY_NORM_STRIP) {
			if (c == 0x0111 || c == 0x0110)
				c = 'd';
		}
		if (emit(out, c, flags & REPLY_NORM_SPACES, &pend, &atstart) < 0)
			goto fail;
	}
	ret = 0;
fail:
	if (ret < 0 && out->data) {
		out->len = start;
		out->data[start] = 0;
	}
	strbuf_free(&clean);
	return (ret);
}
