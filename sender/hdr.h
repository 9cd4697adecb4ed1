/*
 * NAME
 *	hdr 3h
 * SUMMARY
 *	header values: validation and RFC 2047 encoding
 * SYNOPSIS
 *	#include "hdr.h"
 *
 *	int	hdr_value_safe(const char *s);
 *	int	hdr_address_valid(const char *addr);
 *	char   *hdr_encode_words(const char *label, const char *text);
 *	char   *hdr_phrase(const char *name);
 * DESCRIPTION
 *	hdr_value_safe() returns 1 when S may reach a header: valid UTF-8,
 *	no CR, LF, NUL or other C0 control except TAB, at most
 *	HDR_VALUE_MAX bytes. Anything else returns 0: the caller skips the
 *	recipient rather than send a header an attacker could extend.
 *
 *	hdr_address_valid() returns 1 for an address we are willing to put
 *	in From/To and in SMTP: a bare Mailbox by the one address rule
 *	(addr.h: dot-atom or quoted local part, UTF-8 local parts of RFC
 *	6531 included, a domain name), without angle brackets, blanks
 *	around it or any control character, at most HDR_ADDR_MAX bytes.
 *	A message to or from a non-ASCII address needs SMTPUTF8, which the
 *	transports ask for.
 *
 *	hdr_encode_words() returns the value of an unstructured header
 *	(Subject): the ASCII LABEL (may be NULL or ""; e.g. "[QC]") stays
 *	in clear, followed by TEXT. A pure-ASCII TEXT is kept as is; other
 *	text becomes RFC 2047 "B" encoded-words of UTF-8, each holding at
 *	most HDR_WORD_BYTES bytes and never splitting a UTF-8 character,
 *	separated by spaces so that the writer can fold between them and
 *	no line exceeds 78 characters.
 *
 *	hdr_phrase() returns a display name for an address header: an
 *	ASCII name of atext and spaces as is, anything else as ONE encoded
 *	word (so quotes, commas and angle brackets cannot change the
 *	address, and decoders cannot disagree about spaces between
 *	words). A name longer than HDR_PHRASE_BYTES is shortened at a word
 *	boundary.
 *
 *	Strings returned are allocated with malloc(); the caller frees
 *	them.
 * DIAGNOSTICS
 *	hdr_encode_words() and hdr_phrase() return NULL for invalid input
 *	(hdr_value_safe() false) or when out of memory.
 */
#ifndef LINKS_HDR_H
#define LINKS_HDR_H

#include <stddef.h>

#define HDR_VALUE_MAX	900	/* bytes of one header value before encoding */
#define HDR_ADDR_MAX	254	/* RFC 5321 path limit */
#define HDR_WORD_BYTES	36	/* raw bytes per encoded word: 48 base64 chars */
#define HDR_PHRASE_BYTES 45	/* longest display name: one 72-character encoded word */

int	hdr_value_safe(const char *s);
int	hdr_address_valid(const char *addr);
char   *hdr_encode_words(const char *label, const char *text);
char   *hdr_phrase(const char *name);

#endif
