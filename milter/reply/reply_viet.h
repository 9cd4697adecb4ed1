/*
 * NAME
 *	reply_viet 3h
 * SUMMARY
 *	Vietnamese spelling: syllables, input-method residue, VNI fonts
 * SYNOPSIS
 *	#include "reply_viet.h"
 *
 *	int	reply_viet_syllable(const char *w, size_t len);
 *	size_t	reply_viet_ime_fold(const char *w, size_t len, char *out,
 *				size_t outlen, int *strong);
 *	int	reply_viet_vni_repair(const char *s, size_t len,
 *				struct strbuf *out);
 *
 *	int	reply_viet_font_repair(const char *s, size_t len,
 *				struct strbuf *out,
 *				const struct reply_viet_font *font);
 *	int	reply_viet_font_line(size_t words, size_t mapped, int marks);
 * DESCRIPTION
 *	reply_viet_syllable() says whether the LEN lower-case ASCII
 *	letters at W spell a Vietnamese syllable without its marks (an
 *	onset, a vowel group, a final consonant: "nguoi", "khong",
 *	"choi"); "choois" or "tuwf" do not.
 *
 *	reply_viet_ime_fold() reads W (lower-case ASCII letters and
 *	digits, one word) as the keystrokes of an input method that was
 *	off: Telex ("tuwf" for "từ", "choois" for "chối", "ddawng" for
 *	"đăng"), VNI ("tu72", "cho61i", "d9a8ng") or VIQR ("tu+`",
 *	"cho^'i", "dda(ng"; the caller keeps ^ + ( ` ' ? ~ . inside the
 *	word). When the keys fold to a syllable it writes that syllable's
 *	key (no marks: "tu", "choi", "dang") to OUT, NUL-terminated, and
 *	returns its length; otherwise it returns 0. A word that already
 *	spells a syllable is not folded. *STRONG is set when the word can
 *	only be input-method keys (VNI digits, VIQR marks, Telex w, dd or
 *	a doubled vowel), not when it may be English ("more": a Telex
 *	hook on "moe").
 *
 *	reply_viet_vni_repair() reads LEN bytes of UTF-8 at S, text that
 *	was typed with a legacy VNI font (VNI-Times, ...) and decoded as
 *	windows-1252 or ISO-8859-1: "Töø choái" for "Từ chối", each
 *	Vietnamese letter a base letter followed by mark characters of the
 *	font's table. Line by line (the customer's lines and a quoted
 *	original are told apart), a line where most words holding such
 *	characters map back to Vietnamese syllables is mapped back (in
 *	decomposed form). When one line was, the whole text is appended to
 *	OUT and 1 returned; otherwise it appends nothing and returns 0
 *	(real French, German or Spanish text stays as it is).
 *
 *	reply_viet_font_repair() is that line-by-line walk for any legacy
 *	font: FONT says which code points words are made of (letter()),
 *	which of them are the font's (font_min and above), and maps one
 *	word (word(): appends the word's Vietnamese letters to OUT, adds
 *	their marks to *MARKS and returns 1 when its letters spell a
 *	syllable, 0 otherwise, -1 when out of memory); the return is as
 *	above.
 *	reply_viet_font_line() is the rule a line must meet to be mapped:
 *	of its WORDS holding font characters, MAPPED spell syllables (80%
 *	of them, and two, or one whose letters carry MARKS >= 2 marks).
 * DIAGNOSTICS
 *	reply_viet_vni_repair() and reply_viet_font_repair() return -1
 *	when out of memory.
 */
#ifndef LINKS_REPLY_VIET_H
#define LINKS_REPLY_VIET_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define REPLY_VIET_WORD_MAX	16	/* longer words are never syllables */

int	reply_viet_syllable(const char *w, size_t len);
size_t	reply_viet_ime_fold(const char *w, size_t len, char *out, size_t outlen,
			    int *strong);
int	reply_viet_vni_repair(const char *s, size_t len, struct strbuf *out);

/* A legacy font: what its words are made of, and how one maps back. */
struct reply_viet_font {
	int32_t	font_min;		/* the lowest code point of a font character */
	int	(*letter) (int32_t cp);	/* a code point of a word */
	int	(*word) (const int32_t *cp, size_t n, struct strbuf *out, int *marks);
};

int	reply_viet_font_repair(const char *s, size_t len, struct strbuf *out,
			       const struct reply_viet_font *font);
int	reply_viet_font_line(size_t words, size_t mapped, int marks);

#endif
