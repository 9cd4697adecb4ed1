/*
 * NAME
 *	reply_html 3h
 * SUMMARY
 *	HTML reply to plain text, without the quoted message (libxml2)
 * SYNOPSIS
 *	#include "reply_html.h"
 *
 *	int	reply_html_to_text(const char *html, size_t len, struct strbuf *out);
 * DESCRIPTION
 *	reply_html_to_text() parses LEN bytes of UTF-8 HTML with libxml2's
 *	error-tolerant HTML parser (no network, any <meta> charset
 *	ignored: the MIME layer already converted to UTF-8) and appends
 *	the visible text to OUT, lines separated by LF, blanks collapsed
 *	as a browser would.
 *
 *	Quote containers are left out: div.gmail_quote (and any element
 *	whose class list has gmail_quote), blockquote type=cite,
 *	.moz-cite-prefix, .yahoo_quoted, blockquote of Apple/Outlook
 *	mobile clients marked with type=cite. Other markers end the text
 *	where they start, because what follows them is the quoted message:
 *	#divRplyFwdMsg, #appendonsend, #OLK_SRC_BODY_SECTION,
 *	hr#stopSpelling (old Hotmail), and Outlook's header separator, a
 *	div styled "border:none; border-top:solid #B5C4DF|#E1E1E1 1.0pt".
 *	script, style, head and title are never text.
 *
 *	reply_html_init() must be called once before threads use
 *	reply_html_to_text() (it initialises libxml2).
 * DIAGNOSTICS
 *	reply_html_to_text() returns 0, or -1 when out of memory. HTML
 *	libxml2 cannot parse at all yields no text.
 */
#ifndef LINKS_REPLY_HTML_H
#define LINKS_REPLY_HTML_H

#include <stddef.h>

#include "strbuf.h"

#define REPLY_HTML_MAX_DEPTH	256	/* element nesting walked */

void	reply_html_init(void);
int	reply_html_to_text(const char *html, size_t len, struct strbuf *out);

#endif
