/*
 * NAME
 *	reply_key 3h
 * SUMMARY
 *	the diacritics-free lower-case key every rule of the analysis reads
 * SYNOPSIS
 *	#include "reply_key.h"
 *
 *	void	reply_key_init(void);
 *	int	reply_key(const char *s, size_t len, struct strbuf *out);
 *	int	reply_key_fold(int32_t cp);
 *	int	reply_key_marks(const char *s, size_t len, struct strbuf *out,
 *				struct strbuf *marks);
 *	int	reply_key_marks_differ(unsigned a, unsigned b);
 * DESCRIPTION
 *	reply_key() appends to OUT the key of LEN bytes of clean UTF-8 at
 *	S (the canonical text of reply_text, NFC): letters in lower case,
 *	Latin letters without their marks ("Từ chối" and "TU CHOI" both
 *	become "tu choi", "đ" becomes "d"), full-width ASCII as ASCII,
 *	combining marks and invisible characters dropped, runs of blanks
 *	one space, no blank at the start or end of a line. Line breaks
 *	are kept, so a line of the text is a line of its key. Other
 *	scripts are kept, in lower case.
 *
 *	The fold table is built once from utf8proc (reply_key_init(), which
 *	reply_key() and reply_key_fold() call: pthread_once(3)), so a key
 *	costs a table lookup per character, not a Unicode decomposition.
 *
 *	reply_key_fold() is the key of one code point: its ASCII letter,
 *	or 0 when the code point is not a folded Latin letter.
 *
 *	reply_key_marks() is reply_key() that also appends to MARKS one
 *	byte for each byte of the key: the marks the key dropped from that
 *	letter (REPLY_MARK_* bits: the tone, and the vowel's shape or the
 *	stroke of "đ"), 0 for the other bytes. OR-ed over a word, they are
 *	the word's marks, what tells "dùng" (use) from "dừng" (stop) and
 *	"gói" (package) from "gởi" (send), which share their keys.
 *	reply_key_marks_differ() says whether a word written with marks
 *	A cannot be the word written with marks B: both carry marks and
 *	both their tones and their shapes differ (one of the two wrong is
 *	a typing slip: "Tù chối" still reads "từ chối").
 * DIAGNOSTICS
 *	reply_key() returns 0, or -1 when out of memory.
 */
#ifndef LINKS_REPLY_KEY_H
#define LINKS_REPLY_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

void	reply_key_init(void);
int	reply_key(const char *s, size_t len, struct strbuf *out);
int	reply_key_fold(int32_t cp);
int	reply_key_marks(const char *s, size_t len, struct strbuf *out, struct strbuf *marks);

#define REPLY_MARK_TONE		0x1Fu	/* grave, acute, tilde, hook, dot below */
#define REPLY_MARK_SHAPE	0xE0u	/* breve, circumflex, horn; "đ" */

/* reply_key_marks_differ - inline: the lexicon asks it of every phrase it tries */
static inline int
reply_key_marks_differ(unsigned a, unsigned b)
{
	return (a != 0 && b != 0 && (a & REPLY_MARK_TONE) != (b & REPLY_MARK_TONE)
		&& (a & REPLY_MARK_SHAPE) != (b & REPLY_MARK_SHAPE));
}

#endif
