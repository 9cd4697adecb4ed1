/*
 * NAME
 *	reply_norm 3h
 * SUMMARY
 *	Unicode normalisation of reply text (utf8proc)
 * SYNOPSIS
 *	#include "reply_norm.h"
 *
 *	void	reply_norm_init(struct reply_norm *n);
 *	int	reply_norm(struct reply_norm *n, const char *s, size_t len,
 *			   int flags, struct strbuf *out);
 *	void	reply_norm_free(struct reply_norm *n);
 * DESCRIPTION
 *	reply_norm() appends to OUT a normalised form of LEN bytes of
 *	UTF-8 at S (invalid bytes become U+FFFD). Always: non-breaking
 *	spaces (U+00A0, U+202F, U+2000..U+200A, ...) and zero-width spaces
 *	(U+200B, U+2060, U+FEFF) become plain spaces, combining marks are
 *	put in canonical order and, within one combining class, Vietnamese
 *	vowel-shape marks (circumflex, breve) before tone marks, so that
 *	"o" U+0301 U+0302 composes to "ố" like the canonical order does
 *	(plain NFC would leave it as "ó" U+0302). FLAGS add:
 *
 *	REPLY_NORM_FOLD	Unicode case folding.
 *	REPLY_NORM_STRIP	the diacritics-free key: compatibility
 *		decomposition, case folding, marks removed, đ/Đ to d.
 *	REPLY_NORM_SPACES	runs of blanks become one space, blanks
 *		around line breaks and at both ends are removed.
 *
 *	Without REPLY_NORM_STRIP the result is NFC. A struct reply_norm
 *	holds scratch memory reused across calls (one per thread);
 *	reply_norm_free() releases it.
 * DIAGNOSTICS
 *	reply_norm() returns 0, or -1 when out of memory.
 */
#ifndef LINKS_REPLY_NORM_H
#define LINKS_REPLY_NORM_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define REPLY_NORM_FOLD		0x01
#define REPLY_NORM_STRIP	0x02
#define REPLY_NORM_SPACES	0x04

struct reply_norm {
	int32_t *cp;		/* scratch code points */
	size_t	cap;
};

void	reply_norm_init(struct reply_norm *n);
int	reply_norm(struct reply_norm *n, const char *s, size_t len, int flags,
		   struct strbuf *out);
void	reply_norm_free(struct reply_norm *n);

#endif
