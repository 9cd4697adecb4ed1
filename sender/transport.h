/*
 * NAME
 *	transport 3h
 * SUMMARY
 *	how links-sender hands a message on: SMTP, sendmail or a directory
 * SYNOPSIS
 *	#include "transport.h"
 *
 *	int	transport_parse(const char *name, enum transport_kind *out);
 *	const char *transport_name(enum transport_kind kind);
 *	int	transport_parallel(enum transport_kind kind);
 *
 *	struct transport *transport_open(const struct conf *conf,
 *					 enum transport_kind kind, const char *outdir,
 *					 char *err, size_t errlen);
 *	int	transport_send(struct transport *t, const char *from, const char *rcpt,
 *			       const char *name, const char *msg, size_t len,
 *			       struct transport_result *res);
 *	int	transport_send_more(struct transport *t, const char *from,
 *				    const char *rcpt, const char *name, const char *msg,
 *				    size_t len, struct transport_result *res);
 *	void	transport_flush(struct transport *t);
 *	void	transport_close(struct transport *t);
 * DESCRIPTION
 *	The kinds of transport are one table in transport.c: its name (as
 *	written in links.conf and after --transport), how to open it, and
 *	whether several may work at once. transport_parse() finds a kind
 *	by name (0, or -1 for an unknown name); transport_name() is the
 *	reverse. transport_parallel() says whether links-sender runs
 *	smtp_connections of that kind at once (smtp, sendmail) or one
 *	(dir: the files are written in order).
 *
 *	transport_open() prepares a transport of KIND. OUTDIR (may be NULL) overrides
 *	outdir for "dir" ("-" writes to standard output). One transport is
 *	used by one thread at a time; links-sender opens one per thread.
 *	The SMTP transport connects on the first send and keeps the
 *	connection for the next messages (RSET between transactions),
 *	reconnecting after a 421 or a broken connection.
 *
 *	transport_send() submits MSG (LEN bytes, CRLF lines) from the
 *	envelope sender FROM to the one recipient RCPT. NAME names the
 *	message for the "dir" transport (NAME.eml). RES says what
 *	happened. The function returns RES->status.
 *
 *	transport_send_more() is transport_send() for a run of messages:
 *	it may return TRANSPORT_PENDING, the message handed over whole
 *	(its final dot written) and the server's verdict not read yet. RES
 *	must then stay where it is: it is filled when the transport next
 *	sends (the SMTP transport writes the next message's MAIL, RCPT and
 *	DATA right behind the dot and reads the four replies at once, RFC
 *	2920: one round trip a message instead of two), or at
 *	transport_flush(), which settles the message left pending, if any,
 *	or at transport_close(). Results are settled in the order the
 *	messages were sent. The transports other than SMTP, and an SMTP
 *	server without PIPELINING, never leave one pending.
 *
 *	transport_close() ends the session (QUIT) and frees T.
 * DIAGNOSTICS
 *	transport_open() returns NULL with a message in ERR.
 *	transport_send() statuses: TRANSPORT_OK (accepted),
 *	TRANSPORT_TEMP (try again later: 4xx, connection trouble),
 *	TRANSPORT_PERM (5xx: do not retry). RES->maybe_sent is set when the
 *	connection broke after the whole message was sent, so the server
 *	may have accepted it; RES->rcpt_refused when a 5xx came in answer
 *	to RCPT TO (the address itself is refused).
 */
#ifndef LINKS_TRANSPORT_H
#define LINKS_TRANSPORT_H

#include <stddef.h>

#include "conf.h"

#define TRANSPORT_TEXT_MAX	256	/* bytes of a server reply kept */

enum transport_status {
	TRANSPORT_OK = 0, TRANSPORT_TEMP, TRANSPORT_PERM,
	TRANSPORT_PENDING		/* transport_send_more(): verdict not read yet */
};

/* The kinds of transport; names and properties in the table of transport.c. */
enum transport_kind {
	TRANSPORT_SMTP = 0,		/* libetpan's SMTP client */
	TRANSPORT_SENDMAIL,		/* the local sendmail program */
	TRANSPORT_DIR,			/* one .eml file per message */
	TRANSPORT_KINDS
};

struct transport_result {
	enum transport_status status;
	int	code;			/* SMTP reply code, 0 when none */
	int	maybe_sent;
	int	rcpt_refused;
	int	conn_failed;		/* could not connect or lost the connection */
	char	text[TRANSPORT_TEXT_MAX];	/* reply or error, one line */
};

struct transport;

int	transport_parse(const char *name, enum transport_kind *out);
const char *transport_name(enum transport_kind kind);
int	transport_parallel(enum transport_kind kind);

struct transport *transport_open(const struct conf *conf, enum transport_kind kind,
				 const char *outdir, char *err, size_t errlen);
int	transport_send(struct transport *t, const char *from, const char *rcpt,
		       const char *name, const char *msg, size_t len,
		       struct transport_result *res);
int	transport_send_more(struct transport *t, const char *from, const char *rcpt,
			    const char *name, const char *msg, size_t len,
			    struct transport_result *res);
void	transport_flush(struct transport *t);
void	transport_close(struct transport *t);
/* The kind in use. */
enum transport_kind transport_kind(const struct transport *t);

#endif
