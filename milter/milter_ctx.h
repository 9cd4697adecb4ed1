/*
 * NAME
 *	milter_ctx 3h
 * SUMMARY
 *	links-milter per-message context: envelope, headers, bounded body
 * SYNOPSIS
 *	#include "milter_ctx.h"
 *
 *	struct mctx_msg *mctx_new(struct mcfg *cfg);
 *	void	mctx_free(struct mctx_msg *m);
 *
 *	int	mctx_set_envfrom(struct mctx_msg *m, const char *path);
 *	int	mctx_add_rcpt(struct mctx_msg *m, const char *path);
 *	int	mctx_header(struct mctx_msg *m, const char *name, const char *value);
 *	int	mctx_eoh(struct mctx_msg *m);
 *	int	mctx_body(struct mctx_msg *m, const unsigned char *data, size_t len);
 * DESCRIPTION
 *	A message context collects what the end-of-message decision needs:
 *	the envelope sender and recipients (each classified as a LINKS
 *	address or not), the message as text for reply_analyze() (headers
 *	up to MCTX_HEADER_MAX bytes, body up to max_body_size; the rest is
 *	counted, not stored), copies of the headers that identify the
 *	sender (From, Message-ID, In-Reply-To, References; the Subject, for
 *	subject_tag; up to
 *	MCTX_AR_MAX Authentication-Results of the top block: those our own
 *	hosts added, see below), and the names and counts of X-Links-*
 *	headers that arrived from outside, so they can be removed.
 *
 *	Authentication-Results are kept, in order, only from the top of
 *	the header: everything above the first Received header written by
 *	another host (a Received whose "by" host is a trusted_authserv_ids
 *	name or in a company domain is ours and keeps the block open; a
 *	header another milter inserted at the top does not end it). An A-R
 *	below it came from outside.
 *	Postfix does not show milters its own Received header, and milters
 *	in front of links-milter (OpenDKIM, OpenDMARC) insert theirs at the
 *	top, so on a single MX the run is exactly what they added, plus
 *	any A-R the client put first in its header (which they must strip:
 *	see links-milter(8)).
 *
 *	mctx_new() takes a reference to CFG (released by mctx_free()), so a
 *	reload does not change the rules under a running message. The
 *	context is owned by the caller: mctx_free().
 *
 *	mctx_ours() is 1 when at least one recipient is a LINKS address.
 * DIAGNOSTICS
 *	mctx_add_rcpt() returns -1 past MCTX_RCPT_MAX recipients;
 *	mctx_header() returns -2 past MCTX_XLINKS_MAX distinct X-Links-*
 *	names (or one longer than MCTX_XNAME_MAX); the functions return -1
 *	when out of memory.
 */
#ifndef LINKS_MILTER_CTX_H
#define LINKS_MILTER_CTX_H

#include <stddef.h>

#include "milter_addr.h"
#include "milter_cfg.h"
#include "store.h"

#define MCTX_RCPT_MAX	1000		/* recipients per message (Postfix default limit) */
#define MCTX_HEADER_MAX	(256 * 1024)	/* header bytes kept for analysis */
#define MCTX_HVALUE_MAX	8192		/* bytes kept of one identifying header */
#define MCTX_AR_MAX	16		/* Authentication-Results headers kept */
#define MCTX_XLINKS_MAX	64		/* distinct X-Links-* names removed */
#define MCTX_XNAME_MAX	128		/* length of an X-Links-* name */
#define MCTX_QID_MAX	64		/* a queue id */

enum mctx_hdr { MCTX_H_FROM = 0, MCTX_H_MESSAGE_ID, MCTX_H_IN_REPLY_TO, MCTX_H_REFERENCES,
		MCTX_H_SUBJECT, MCTX_H_COUNT };

struct mctx_msg;

struct mctx_msg *mctx_new(struct mcfg *cfg);
void	mctx_free(struct mctx_msg *m);
struct mcfg *mctx_cfg(const struct mctx_msg *m);

int	mctx_set_envfrom(struct mctx_msg *m, const char *path);
/* "" for the null sender <>, NULL when MAIL FROM was not a valid path */
const char *mctx_envfrom(const struct mctx_msg *m);
void	mctx_set_qid(struct mctx_msg *m, const char *qid);
const char *mctx_qid(const struct mctx_msg *m);		/* "NOQUEUE" if unknown */

int	mctx_add_rcpt(struct mctx_msg *m, const char *path);
size_t	mctx_rcpt_count(const struct mctx_msg *m);
const char *mctx_rcpt_addr(const struct mctx_msg *m, size_t i);	/* as given, no <> */
enum maddr_kind mctx_rcpt_kind(const struct mctx_msg *m, size_t i);
const char *mctx_rcpt_token(const struct mctx_msg *m, size_t i);	/* "" if none */
int	mctx_ours(const struct mctx_msg *m);

int	mctx_header(struct mctx_msg *m, const char *name, const char *value);
int	mctx_eoh(struct mctx_msg *m);
int	mctx_body(struct mctx_msg *m, const unsigned char *data, size_t len);

const char *mctx_hdr(const struct mctx_msg *m, enum mctx_hdr h);	/* NULL if absent */
size_t	mctx_ar_count(const struct mctx_msg *m);
const char *mctx_ar(const struct mctx_msg *m, size_t i);
size_t	mctx_xlinks_count(const struct mctx_msg *m);
const char *mctx_xlinks_name(const struct mctx_msg *m, size_t i);
int	mctx_xlinks_times(const struct mctx_msg *m, size_t i);

/* The message text collected (headers, blank line, body); LEN set. */
const char *mctx_text(const struct mctx_msg *m, size_t *len);
size_t	mctx_body_seen(const struct mctx_msg *m);
int	mctx_truncated(const struct mctx_msg *m);

#endif
