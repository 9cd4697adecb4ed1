/*
 * NAME
 *	reply_text 3h
 * SUMMARY
 *	the canonical text: a text part normalised once, for every rule
 * SYNOPSIS
 *	#include "reply_text.h"
 *
 *	int	reply_text_canon(const char *in, size_t len,
 *				 const struct reply_text_src *src,
 *				 struct strbuf *out);
 *	int	reply_text_final(const char *s, size_t len, struct strbuf *out);
int	reply_text_nfc(const char *s, size_t len, struct strbuf *out);
 *	int	reply_text_nfc(const char *s, size_t len, struct strbuf *out);
 *	int	reply_text_is_single_byte(const char *charset);
int	reply_text_ascii_compatible(const char *charset);
 *	int	reply_text_ascii_compatible(const char *charset);
 * DESCRIPTION
 *	reply_text_canon() turns LEN bytes of a decoded text part (after
 *	the transfer encoding) into the canonical text and appends it to
 *	OUT. In order:
 *
 *	1. the charset: valid UTF-8 under a single-byte label (ISO-8859-x,
 *	   windows-125x, ...) is read as UTF-8; 8-bit text that is not
 *	   UTF-8 under us-ascii or no label is read as windows-1252; any
 *	   other label goes through reply_charset_to_utf8(). Then CR LF to
 *	   LF, controls dropped, invalid bytes U+FFFD.
 *	2. text typed in a VNI font and sent as windows-1252 or ISO-8859-1
 *	   ("Töø choái") is mapped back (reply_viet_vni_repair()); else
 *	   text typed in a TCVN3 font ("Tõ chèi", reply_tcvn_repair()).
 *	3. format=flowed (SRC->flowed) is unwrapped (RFC 3676): soft line
 *	   breaks joined within one quote depth, space-stuffing removed,
 *	   with DelSp=yes (SRC->delsp) the space before a soft break
 *	   deleted; quoted lines come out as ">" per level and a space.
 *	4. in a text/plain part (SRC->plain), numeric character references
 *	   (&#7915; &#x1eeb;) and &amp; &lt; &gt; &quot; &apos; &nbsp;
 *	   are decoded.
 *	5. reply_text_final().
 *
 *	reply_text_final() appends S (LEN bytes) to OUT cleaned as
 *	reply_utf8_clean() does (U+FFFD for invalid sequences, CR LF as
 *	LF, other controls dropped) with, in the same pass, invisible
 *	characters removed (non-joiner, joiner outside an emoji
 *	sequence, word joiner, BOM, soft hyphen, direction marks; a
 *	zero-width space, unless it stands alone between two words, where
 *	it is their space) and space-like characters as spaces.
 *
 *	The canonical text is not yet NFC: every rule reads it through its
 *	key (reply_key()), which is the same for any mark order, and only
 *	what the customer wrote needs composing. reply_text_nfc() appends
 *	S in NFC, Vietnamese marks in their proper order; text in which
 *	every character is already NFC and composes with nothing (ASCII,
 *	precomposed Vietnamese, common punctuation, emoji, CJK) is copied
 *	without running the Unicode normaliser.
 *
 *	reply_text_is_single_byte() says whether CHARSET names a
 *	single-byte character set; reply_text_ascii_compatible() whether
 *	its text can be cut at any line feed byte (not UTF-16 or ISO-2022).
 * DIAGNOSTICS
 *	reply_text_canon() and reply_text_final() return 0, or -1 when out
 *	of memory.
 */
#ifndef LINKS_REPLY_TEXT_H
#define LINKS_REPLY_TEXT_H

#include <stddef.h>

#include "strbuf.h"

#define REPLY_TEXT_REF_MAX	12	/* longest character reference read */

struct reply_text_src {
	const char *charset;		/* the part's charset label, NULL none */
	int	flowed;			/* format=flowed */
	int	delsp;			/* DelSp=yes */
	int	plain;			/* text/plain: decode character references */
};

int	reply_text_canon(const char *in, size_t len, const struct reply_text_src *src,
			 struct strbuf *out);
int	reply_text_final(const char *s, size_t len, struct strbuf *out);
int	reply_text_nfc(const char *s, size_t len, struct strbuf *out);
int	reply_text_is_single_byte(const char *charset);
int	reply_text_ascii_compatible(const char *charset);

#endif
