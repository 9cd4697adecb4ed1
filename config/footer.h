/*
 * NAME
 *	footer 3h
 * SUMMARY
 *	the footer links-sender writes and links-milter recognises
 * SYNOPSIS
 *	#include "footer.h"
 * DESCRIPTION
 *	One place for the text of our own footer, so that the sender that
 *	writes it and the reply analysis that must not mistake it for a
 *	customer's refusal agree. links-sender writes, at the end of every
 *	text part:
 *
 *		-- 
 *		FOOTER_REFUSAL_VI
 *		FOOTER_REFUSAL_EN
 *		<company_name> - <contact_address>
 *		...contact lines...
 *
 *	(the first line is "--" and one space, the usenet signature
 *	separator). The reply analysis cuts the new text at the separator
 *	and, when a client pasted the footer without quoting it, at the
 *	first line whose diacritics-free lower-case form contains one of
 *	the fingerprints (FOOTER_FP_*, plus footer_fingerprint lines
 *	from links.conf). Changing the sentences here changes both
 *	programs; keep each fingerprint a prefix of its sentence's
 *	diacritics-free lower-case form (tests/unit/test_reply.c checks).
 */
#ifndef LINKS_FOOTER_H
#define LINKS_FOOTER_H

#define FOOTER_SEPARATOR	"-- "

#define FOOTER_REFUSAL_VI \
	"Nếu không muốn nhận email này nữa, hãy trả lời email với nội dung \"Từ chối\"."
#define FOOTER_REFUSAL_EN \
	"If you no longer want these emails, reply to this email with the words \"Từ chối\"."

/* Separator between the company name and its address on the contact line. */
#define FOOTER_CONTACT_SEP " - "

/* Built-in fingerprints: diacritics-free, lower case. */
#define FOOTER_FP_VI	"neu khong muon nhan email nay nua"
#define FOOTER_FP_EN	"if you no longer want these emails"

#endif
