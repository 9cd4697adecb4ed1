/*
 * NAME
 *	addr 3h
 * SUMMARY
 *	email addresses: one rule for the store, the milter, the sender and the web
 * SYNOPSIS
 *	#include "addr.h"
 *
 *	int	addr_normalise(const char *in, char *out, size_t outlen);
 *	const char *addr_domain(const char *addr);
 *	int	addr_is_ascii(const char *addr);
 *	int	addr_domain_normalise(const char *in, char *out, size_t outlen);
 *	size_t	addr_strip_comments(const char *value, size_t maxin,
 *				    char *out, size_t outlen);
 * DESCRIPTION
 *	addr_normalise() reads one address: an RFC 5321 / RFC 6531
 *	Mailbox (Local-part "@" Domain), optionally inside one pair of
 *	angle brackets, with blanks around it. It writes the address's
 *	canonical form into OUT, the one form every program stores, looks
 *	up, compares and sends:
 *	  - the local part is a dot-atom or a quoted string; its atoms may
 *	    hold UTF-8 (RFC 6531). A quoted string whose content is a valid
 *	    dot-atom loses its quotes ("noreply" becomes noreply); any other
 *	    is kept quoted, with a backslash only before '"' and '\'.
 *	  - an ASCII local part is lower-cased; a UTF-8 one is put in
 *	    Unicode NFC and otherwise kept (mailbox names beyond ASCII are
 *	    not case-folded: their case rules are the receiving system's).
 *	  - the domain is converted to its A-labels with UTS #46 processing
 *	    (libidn2, non-transitional): the Unicode and the punycode forms
 *	    of one domain give the same text, always lower case. Address
 *	    literals ([192.0.2.1]) are refused.
 *	  - limits: domain 253 bytes, the whole ADDR_LEN_MAX (254, the
 *	    RFC 5321 path limit). RFC 5321's 64-byte local part is not
 *	    enforced: Postfix accepts longer ones, and so must a reader of
 *	    what it delivers (RFC 5321 4.5.3.1 asks for no such limits).
 *	An empty path ("<>" or "") gives "" and returns ADDR_NULL. It
 *	returns 0 for an address, -1 when IN is not a valid address (OUT
 *	then holds "").
 *
 *	addr_domain() returns the part after the last '@' (a pointer into
 *	ADDR), or ADDR itself when it has none.
 *
 *	addr_is_ascii() says whether ADDR is all ASCII (else a message to
 *	it needs SMTPUTF8).
 *
 *	addr_domain_normalise() applies the domain rule above to a bare
 *	domain (configuration, DMARC header.from). Returns 0 or -1.
 *
 *	addr_strip_comments() copies at most MAXIN bytes of a structured
 *	header VALUE into OUT with every RFC 5322 comment (nested, with
 *	quoted pairs) replaced by one space, quoted strings kept with their
 *	quotes and quoted pairs, CR, LF and TAB made spaces. OUT always
 *	ends with a NUL; returns the length written.
 */
#ifndef LINKS_ADDR_H
#define LINKS_ADDR_H

#include <stddef.h>

#define ADDR_LEN_MAX	254		/* RFC 5321 forward-path limit */
#define ADDR_MAX	(ADDR_LEN_MAX + 1)	/* a buffer for one, NUL included */
#define ADDR_DOMAIN_MAX	253		/* a DNS name in text form */
#define ADDR_NULL	1		/* addr_normalise(): the null path */

int	addr_normalise(const char *in, char *out, size_t outlen);
const char *addr_domain(const char *addr);
int	addr_is_ascii(const char *addr);
int	addr_domain_normalise(const char *in, char *out, size_t outlen);
size_t	addr_strip_comments(const char *value, size_t maxin, char *out, size_t outlen);

#endif
