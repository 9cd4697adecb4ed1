/*
 * NAME
 *	transport_smtp 3
 * SUMMARY
 *	the "smtp" transport: libetpan's SMTP client
 * SYNOPSIS
 *	#include "transport_int.h"
 * DESCRIPTION
 *	One session per transport, opened on the first message and kept
 *	for the next ones: EHLO (HELO if refused), STARTTLS when
 *	smtp_starttls is "may" and offered or "require", AUTH when
 *	smtp_user is set (password from smtp_password_file, which must not
 *	be readable by group or others). A transaction the server accepted
 *	leaves the session ready for the next one (RFC 5321 4.1.1.4); after
 *	a failed one the session is reset with RSET.
 *
 *	When the server offers PIPELINING (RFC 2920), MAIL FROM, RCPT TO and
 *	DATA go out in one write and their three replies are read in order,
 *	then the message and its final dot in another: two round trips a
 *	message instead of four. Sent with transport_send_more(), the
 *	message's final dot stays in the output buffer and its verdict
 *	unread: the next message's MAIL, RCPT and DATA follow the dot in the
 *	same write, and the four replies are read in order (RFC 2920 3.1:
 *	message content may open a group), one round trip a message. The
 *	verdict of the last message is read by transport_flush(). When the
 *	session ends with a pending message's verdict (a broken connection,
 *	a 421), the next message, which had only its commands written, is
 *	sent again on a new session. Every reply of the group is checked; when
 *	MAIL or RCPT failed and the server still answered 354 to DATA, the
 *	connection is dropped rather than ending the (empty) message with a
 *	dot, so nothing reaches a recipient the server refused. Without
 *	PIPELINING the commands go one by one.
 *
 *	The message is written with its lines' leading dots doubled and
 *	bare LF sent as CRLF (RFC 5321 4.5.2), then ".".
 *
 *	Replies are classified by their code: 2xx accepted, 421 temporary
 *	and the session is dropped (reconnect on the next message), other
 *	4xx temporary, 5xx permanent. A broken connection is temporary;
 *	when it breaks after the message body was sent, the server may
 *	have accepted the message (RES->maybe_sent).
 *
 *	A message whose envelope holds a non-ASCII address (RFC 6531) is
 *	sent with "MAIL FROM:<...> SMTPUTF8" when the server offers
 *	SMTPUTF8 in its EHLO reply, and refused permanently otherwise (an
 *	internationalised address must not be sent to a server that does
 *	not take it). libetpan has no call for that parameter: the command
 *	goes through mailsmtp_send_command() and mailsmtp_read_response(),
 *	which libetpan exports without declaring them in its headers.
 *
 *	A plain session (no TLS) reads and writes its socket directly
 *	(smtp_stream.c) instead of through libetpan's socket stream, which
 *	calls select() before every read and write.
 *
 *	libetpan's TLS (GnuTLS) does not verify the server certificate:
 *	"require" guarantees an encrypted session, not the server's
 *	identity. Use a relay on the same host or a trusted network.
 * DIAGNOSTICS
 *	The result text is the server's reply or libetpan's error string.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libetpan/libetpan.h>

#include "addr.h"
#include "hdr.h"
#include "smtp_stream.h"
#include "transport_int.h"

#define SMTP_PASSWORD_MAX	256	/* bytes of the AUTH password */
#define SMTP_CODE_SERVICE_CLOSING 421
#define SMTP_CODE_OK		250
#define SMTP_CODE_DATA_GO	354	/* "start mail input" */
#define SMTP_PIPE_COMMANDS	3	/* MAIL, RCPT, DATA */
#define SMTP_COMMAND_MAX	(ADDR_MAX + 32)	/* MAIL FROM:<...> SMTPUTF8 */
#define SMTP_PIPE_MAX		(2 * SMTP_COMMAND_MAX + 8)	/* the three, pipelined */
#define SMTP_EXT_SMTPUTF8	"SMTPUTF8"
#define SMTP_AGAIN		(-1)	/* the session ended before this message: start it again */
#define SMTP_LOST_TEXT		"the connection was closed before the server's reply"

/* libetpan 1.x exports these from mailsmtp.c without a declaration in its headers. */
int	mailsmtp_send_command(mailsmtp *session, char *command);
int	mailsmtp_read_response(mailsmtp *session);

enum smtp_tls { SMTP_TLS_NO = 0, SMTP_TLS_MAY, SMTP_TLS_REQUIRE };

struct smtp_priv {
	char   *host;
	int	port;
	enum smtp_tls tls;
	char   *user;
	char   *pass;
	int	timeout;
	mailsmtp *s;
	int	need_rset;
	int	smtputf8;		/* the server offers SMTPUTF8 */
	int	pipelining;		/* the server offers PIPELINING */
	struct transport_result *pending;	/* dot written (perhaps buffered), reply unread */
};

/* smtp_drop - close the session (POLITE: say QUIT first) */
static void
smtp_drop(struct smtp_priv *p, int polite)
{
	if (p->pending != NULL) {
		/* Its reply can no longer be read: the server may have it. */
		p->pending->conn_failed = p->pending->maybe_sent = 1;
		transport_result_set(p->pending, TRANSPORT_TEMP, 0, SMTP_LOST_TEXT);
		p->pending = NULL;
	}
	if (p->s == NULL)
		return;
	if (polite)
		mailsmtp_quit(p->s);
	mailsmtp_free(p->s);
	p->s = NULL;
	p->need_rset = 0;
}

/* reply_text - the server's last reply as one line, or libetpan's error string */
static const char *
reply_text(struct smtp_priv *p, int r, char *buf, size_t len)
{
	if (p->s != NULL && p->s->response_code > 0 && p->s->response != NULL)
		snprintf(buf, len, "%d %s", p->s->response_code, p->s->response);
	else
		snprintf(buf, len, "%s", mailsmtp_strerror(r));
	return (buf);
}

/*
 * smtp_classify - the result of a failed step: the server's reply CODE
 * and TEXT (CODE 0: no reply, the connection broke; AFTER_BODY: the
 * message had been sent when it broke, the server may have it).
 */
static int
smtp_classify(struct smtp_priv *p, int code, const char *text, int after_body,
	      struct transport_result *res)
{
	if (code == 0) {
		res->conn_failed = 1;
		res->maybe_sent = after_body;
		smtp_drop(p, 0);
		return (transport_result_set(res, TRANSPORT_TEMP, 0, text));
	}
	if (code == SMTP_CODE_SERVICE_CLOSING) {
		smtp_drop(p, 0);
		return (transport_result_set(res, TRANSPORT_TEMP, code, text));
	}
	if (code >= 500 && code < 600)
		return (transport_result_set(res, TRANSPORT_PERM, code, text));
	return (transport_result_set(res, TRANSPORT_TEMP, code, text));
}

/* smtp_fail - classify a failed libetpan step R (AFTER_BODY: the message had been sent) */
static int
smtp_fail(struct smtp_priv *p, int r, int after_body, struct transport_result *res)
{
	char	text[TRANSPORT_TEXT_MAX];
	int	code = (p->s != NULL) ? p->s->response_code : 0;

	reply_text(p, r, text, sizeof(text));
	if (r == MAILSMTP_ERROR_STREAM || r == MAILSMTP_ERROR_CONNECTION_REFUSED
	    || r == MAILSMTP_ERROR_SSL || code == 0) {
		snprintf(text, sizeof(text), "%s:%d: %s", p->host, p->port, mailsmtp_strerror(r));
		code = 0;
	}
	return (smtp_classify(p, code, text, after_body, res));
}

/* ehlo_offers - whether the last EHLO reply of S names extension EXT */
static int
ehlo_offers(const mailsmtp *s, const char *ext)
{
	size_t	n = strlen(ext);

	if (s->response == NULL)
		return (0);
	for (const char *l = s->response; *l; l += strcspn(l, "\n"), l += (*l == '\n')) {
		if (strncasecmp(l, ext, n) == 0 && (l[n] == 0 || l[n] == '\n' || l[n] == ' '
						     || l[n] == '\r'))
			return (1);
	}
	return (0);
}

/* smtp_mail_utf8 - MAIL FROM:<FROM> SMTPUTF8; a MAILSMTP_ code like mailsmtp_mail() */
static int
smtp_mail_utf8(struct smtp_priv *p, const char *from)
{
	char	cmd[SMTP_COMMAND_MAX];
	int	code;

	if (snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s> " SMTP_EXT_SMTPUTF8 "\r\n", from)
	    >= (int) sizeof(cmd))
		return (MAILSMTP_ERROR_IN_PROCESSING);
	if (mailsmtp_send_command(p->s, cmd) < 0)
		return (MAILSMTP_ERROR_STREAM);
	if ((code = mailsmtp_read_response(p->s)) == 0)
		return (MAILSMTP_ERROR_STREAM);
	p->s->response_code = code;
	if (code == SMTP_CODE_OK)
		return (MAILSMTP_NO_ERROR);
	return (code >= 500 ? MAILSMTP_ERROR_MAILBOX_NAME_NOT_ALLOWED
		: MAILSMTP_ERROR_MAILBOX_UNAVAILABLE);
}

/* smtp_connect - open a session: connect, EHLO, STARTTLS, AUTH */
static int
smtp_connect(struct smtp_priv *p, struct transport_result *res)
{
	int	r, tls_on = 0;

	if ((p->s = mailsmtp_new(0, NULL)) == NULL)
		return (transport_result_set(res, TRANSPORT_TEMP, 0, "out of memory"));
	mailsmtp_set_timeout(p->s, p->timeout);
	if ((r = mailsmtp_socket_connect(p->s, p->host, (uint16_t) p->port)) != MAILSMTP_NO_ERROR) {
		char	text[TRANSPORT_TEXT_MAX];
		int	code = p->s->response_code;

		snprintf(text, sizeof(text), "%s:%d: %s", p->host, p->port,
			 code > 0 && p->s->response ? p->s->response : mailsmtp_strerror(r));
		smtp_drop(p, 0);
		res->conn_failed = 1;
		return (transport_result_set(res, TRANSPORT_TEMP, code, text));
	}
	r = mailesmtp_ehlo(p->s);
	if (r == MAILSMTP_ERROR_NOT_IMPLEMENTED)
		r = mailsmtp_helo(p->s);
	if (r != MAILSMTP_NO_ERROR)
		goto fail;
	p->smtputf8 = ehlo_offers(p->s, SMTP_EXT_SMTPUTF8);
	p->pipelining = (p->s->esmtp & MAILSMTP_ESMTP_PIPELINING) != 0;
	if (p->tls != SMTP_TLS_NO) {
		if (p->s->esmtp & MAILSMTP_ESMTP_STARTTLS) {
			if ((r = mailsmtp_socket_starttls(p->s)) != MAILSMTP_NO_ERROR)
				goto fail;
			tls_on = 1;
			if ((r = mailesmtp_ehlo(p->s)) != MAILSMTP_NO_ERROR)
				goto fail;
			p->smtputf8 = ehlo_offers(p->s, SMTP_EXT_SMTPUTF8);
			p->pipelining = (p->s->esmtp & MAILSMTP_ESMTP_PIPELINING) != 0;
		} else if (p->tls == SMTP_TLS_REQUIRE) {
			smtp_drop(p, 1);
			res->conn_failed = 1;
			return (transport_result_set(res, TRANSPORT_TEMP, 0,
				"the server does not offer STARTTLS (smtp_starttls = require)"));
		}
	}
	if (p->user != NULL) {
		if ((r = mailsmtp_auth(p->s, p->user, p->pass)) != MAILSMTP_NO_ERROR) {
			char	text[TRANSPORT_TEXT_MAX];

			reply_text(p, r, text, sizeof(text));
			smtp_drop(p, 1);
			res->conn_failed = 1;
			return (transport_result_set(res, TRANSPORT_TEMP, 0, text));
		}
	}
	/* A plain session reads and writes its socket without libetpan's
	 * select() before each call (smtp_stream.c); libetpan's stream
	 * stays when that cannot be set up, or under TLS. */
	if (!tls_on)
		(void) smtp_stream_direct(p->s, p->timeout);
	p->need_rset = 0;
	return (TRANSPORT_OK);
fail:
	r = smtp_fail(p, r, 0, res);
	res->conn_failed = 1;
	smtp_drop(p, 0);
	return (r);
}

/*
 * smtp_write_body - MSG (LEN bytes) as DATA content: each line's leading
 * dot doubled, every line ended by CRLF (a bare LF too), then the
 * final "."; -1 when the connection broke.
 */
static int
smtp_write_body(mailstream *s, const char *msg, size_t len)
{
	const char *p = msg, *end = msg + len, *run = msg, *nl;

	/* Lines that need nothing (CRLF, no leading dot) go out as one run. */
	while (p < end) {
		if (*p == '.') {
			if ((p > run && mailstream_write(s, run, (size_t) (p - run)) < 0)
			    || mailstream_write(s, ".", 1) < 0)
				return (-1);
			run = p;
		}
		if ((nl = memchr(p, '\n', (size_t) (end - p))) == NULL)
			break;		/* the last line has no line end */
		if (nl == p || nl[-1] != '\r') {	/* a bare LF: CRLF instead */
			if ((nl > run && mailstream_write(s, run, (size_t) (nl - run)) < 0)
			    || mailstream_write(s, "\r\n", 2) < 0)
				return (-1);
			run = nl + 1;
		}
		p = nl + 1;
	}
	if (end > run && mailstream_write(s, run, (size_t) (end - run)) < 0)
		return (-1);
	if (p < end && mailstream_write(s, "\r\n", 2) < 0)
		return (-1);
	if (mailstream_write(s, ".\r\n", 3) < 0)
		return (-1);
	return (0);
}

/* smtp_data_reply - read the verdict on the message whose dot was sent into RES */
static int
smtp_data_reply(struct smtp_priv *p, struct transport_result *res)
{
	char	text[TRANSPORT_TEXT_MAX];
	int	code;

	if ((code = mailsmtp_read_response(p->s)) == 0)
		return (smtp_fail(p, MAILSMTP_ERROR_STREAM, 1, res));
	reply_text(p, MAILSMTP_NO_ERROR, text, sizeof(text));
	if (code / 100 != 2)
		return (smtp_classify(p, code, text, 1, res));
	p->need_rset = 0;		/* the transaction is over: no RSET needed */
	return (transport_result_set(res, TRANSPORT_OK, code, text));
}

/*
 * smtp_data_end - send the message after a 354 and read the server's
 * verdict; DEFER: leave the dot in the buffer and the verdict unread
 * (TRANSPORT_PENDING, RES kept in P until smtp_settle()).
 */
static int
smtp_data_end(struct smtp_priv *p, const char *msg, size_t len, int defer,
	      struct transport_result *res)
{
	if (smtp_write_body(p->s->stream, msg, len) < 0)
		return (smtp_fail(p, MAILSMTP_ERROR_STREAM, 1, res));
	if (defer) {
		p->pending = res;
		res->status = TRANSPORT_PENDING;
		return (TRANSPORT_PENDING);
	}
	if (mailstream_flush(p->s->stream) < 0)
		return (smtp_fail(p, MAILSMTP_ERROR_STREAM, 1, res));
	return (smtp_data_reply(p, res));
}

/* smtp_settle - the verdict of the message left pending, if any, into its result */
static void
smtp_settle(struct smtp_priv *p)
{
	struct transport_result *res = p->pending;

	if (res == NULL)
		return;
	p->pending = NULL;
	if (p->s == NULL || mailstream_flush(p->s->stream) < 0)
		(void) smtp_fail(p, MAILSMTP_ERROR_STREAM, 1, res);
	else
		(void) smtp_data_reply(p, res);
}

/* smtp_one_by_one - MAIL, RCPT, DATA each waiting for its reply, then the message */
static int
smtp_one_by_one(struct smtp_priv *p, const char *from, const char *rcpt, int utf8,
		const char *msg, size_t len, struct transport_result *res)
{
	int	r;

	smtp_settle(p);
	if (p->s == NULL)
		return (SMTP_AGAIN);
	r = utf8 ? smtp_mail_utf8(p, from) : mailsmtp_mail(p->s, from);
	if (r != MAILSMTP_NO_ERROR)
		return (smtp_fail(p, r, 0, res));
	if ((r = mailsmtp_rcpt(p->s, rcpt)) != MAILSMTP_NO_ERROR) {
		r = smtp_fail(p, r, 0, res);
		res->rcpt_refused = (r == TRANSPORT_PERM);
		return (r);
	}
	if ((r = mailsmtp_data(p->s)) != MAILSMTP_NO_ERROR)
		return (smtp_fail(p, r, 0, res));
	return (smtp_data_end(p, msg, len, 0, res));
}

/*
 * smtp_pipelined - MAIL, RCPT and DATA in one write (RFC 2920), behind
 * the pending message's dot if any (whose reply is read first), their
 * replies read in order; the first one that failed decides. A 354 to
 * DATA after a failed MAIL or RCPT drops the connection instead of
 * sending anything. SMTP_AGAIN when the session ended with the
 * pending message's reply: this one never reached a server.
 */
static int
smtp_pipelined(struct smtp_priv *p, const char *from, const char *rcpt, int utf8,
	       const char *msg, size_t len, int defer, struct transport_result *res)
{
	char	cmd[SMTP_PIPE_MAX], text[TRANSPORT_TEXT_MAX];
	int	code = 0, bad = -1, badcode = 0, i, r;

	if (snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>%s\r\nRCPT TO:<%s>\r\nDATA\r\n", from,
		     utf8 ? " " SMTP_EXT_SMTPUTF8 : "", rcpt) >= (int) sizeof(cmd))
		return (transport_result_set(res, TRANSPORT_PERM, 0, "address too long"));
	if (mailsmtp_send_command(p->s, cmd) < 0) {
		if (p->pending == NULL)
			return (smtp_fail(p, MAILSMTP_ERROR_STREAM, 0, res));
		smtp_drop(p, 0);	/* the pending message's verdict is lost with it */
		return (SMTP_AGAIN);
	}
	if (p->pending != NULL) {
		smtp_settle(p);
		if (p->s == NULL)
			return (SMTP_AGAIN);
	}
	for (i = 0; i < SMTP_PIPE_COMMANDS; i++) {
		if ((code = mailsmtp_read_response(p->s)) == 0)
			return (smtp_fail(p, MAILSMTP_ERROR_STREAM, 0, res));
		if (bad < 0 && (i < SMTP_PIPE_COMMANDS - 1 ? code / 100 != 2
				: code != SMTP_CODE_DATA_GO)) {
			bad = i;
			badcode = code;
			reply_text(p, MAILSMTP_NO_ERROR, text, sizeof(text));
		}
	}
	if (bad < 0)
		return (smtp_data_end(p, msg, len, defer, res));
	if (code == SMTP_CODE_DATA_GO)	/* the server waits for a message it must not get */
		smtp_drop(p, 0);
	r = smtp_classify(p, badcode, text, 0, res);
	res->rcpt_refused = bad == 1 && r == TRANSPORT_PERM;
	return (r);
}

/*
 * smtp_transact - one SMTP transaction, in the kept session (DEFER: its
 * verdict may be left pending); SMTP_AGAIN as smtp_pipelined()
 */
static int
smtp_transact(struct smtp_priv *p, const char *from, const char *rcpt, int utf8,
	      const char *msg, size_t len, int defer, struct transport_result *res)
{
	/* A pending message's transaction ends with its dot (RFC 5321
	 * 4.1.1.4): the next MAIL follows it without RSET. */
	if (p->s != NULL && p->need_rset && p->pending == NULL) {
		if (mailsmtp_reset(p->s) != MAILSMTP_NO_ERROR)
			smtp_drop(p, 0);	/* stale session: start again */
	}
	if (p->s == NULL && smtp_connect(p, res) != TRANSPORT_OK)
		return (res->status);
	if (utf8 && !p->smtputf8)
		return (transport_result_set(res, TRANSPORT_PERM, 0, "a non-ASCII address needs "
					     "SMTPUTF8, which the server does not offer"));
	p->need_rset = 1;	/* until the server accepts the message */
	if (p->pipelining)
		return (smtp_pipelined(p, from, rcpt, utf8, msg, len, defer, res));
	return (smtp_one_by_one(p, from, rcpt, utf8, msg, len, res));
}

/* smtp_submit - check the envelope, then transact (again on a new session if need be) */
static int
smtp_submit(struct transport *t, const char *from, const char *rcpt, const char *msg,
	    size_t len, int defer, struct transport_result *res)
{
	struct smtp_priv *p = t->priv;
	int	utf8, r;

	if (!hdr_address_valid(from) || !hdr_address_valid(rcpt))
		return (transport_result_set(res, TRANSPORT_PERM, 0, "invalid address"));
	utf8 = !addr_is_ascii(from) || !addr_is_ascii(rcpt);
	if ((r = smtp_transact(p, from, rcpt, utf8, msg, len, defer, res)) == SMTP_AGAIN) {
		/* Only a pending message was lost with the session: this
		 * one's commands went nowhere, as if it came after the drop. */
		memset(res, 0, sizeof(*res));
		r = smtp_transact(p, from, rcpt, utf8, msg, len, defer, res);
	}
	return (r);
}

/* smtp_send - one message, its verdict read before returning */
static int
smtp_send(struct transport *t, const char *from, const char *rcpt, const char *name,
	  const char *msg, size_t len, struct transport_result *res)
{
	(void) name;
	return (smtp_submit(t, from, rcpt, msg, len, 0, res));
}

/* smtp_send_more - one message, its verdict perhaps left pending (transport_send_more()) */
static int
smtp_send_more(struct transport *t, const char *from, const char *rcpt, const char *name,
	       const char *msg, size_t len, struct transport_result *res)
{
	(void) name;
	return (smtp_submit(t, from, rcpt, msg, len, 1, res));
}

/* smtp_flush - read the pending message's verdict */
static void
smtp_flush(struct transport *t)
{
	if (t->priv != NULL)
		smtp_settle(t->priv);
}

/* smtp_close - end the session and free the state */
static void
smtp_close(struct transport *t)
{
	struct smtp_priv *p = t->priv;

	if (p == NULL)
		return;
	smtp_settle(p);
	smtp_drop(p, 1);
	free(p->host);
	free(p->user);
	if (p->pass) {
		memset(p->pass, 0, strlen(p->pass));
		free(p->pass);
	}
	free(p);
}

/* read_password - the first line of FILE; refuses a file others may read */
static char *
read_password(const char *file, char *err, size_t errlen)
{
	FILE   *fp;
	struct stat sb;
	char	buf[SMTP_PASSWORD_MAX + 2], *nl;

	if ((fp = fopen(file, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return (NULL);
	}
	if (fstat(fileno(fp), &sb) < 0 || (sb.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		snprintf(err, errlen, "%s: group or others may read it (mode %03o); chmod 600 it",
			 file, (unsigned) (sb.st_mode & 0777));
		fclose(fp);
		return (NULL);
	}
	if (fgets(buf, sizeof(buf), fp) == NULL || strlen(buf) > SMTP_PASSWORD_MAX) {
		snprintf(err, errlen, "%s: empty or longer than %d bytes", file, SMTP_PASSWORD_MAX);
		fclose(fp);
		return (NULL);
	}
	fclose(fp);
	if ((nl = strpbrk(buf, "\r\n")) != NULL)
		*nl = 0;
	return (strdup(buf));
}

/* transport_smtp_open - the SMTP transport: smtp_host, smtp_port and the rest */
int
transport_smtp_open(struct transport *t, const struct conf *conf, const char *outdir,
		    char *err, size_t errlen)
{
	struct smtp_priv *p;
	const char *tls = conf_smtp_starttls(conf);
	const char *user = conf_smtp_user(conf);

	(void) outdir;		/* "dir" only */
	if ((p = calloc(1, sizeof(*p))) == NULL || (p->host = strdup(conf_smtp_host(conf))) == NULL) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	p->port = (int) conf_smtp_port(conf);
	p->timeout = (int) conf_smtp_timeout(conf);
	p->tls = strcmp(tls, "require") == 0 ? SMTP_TLS_REQUIRE
		: strcmp(tls, "may") == 0 ? SMTP_TLS_MAY : SMTP_TLS_NO;
	if (user != NULL && *user != 0) {
		const char *pf = conf_smtp_password_file(conf);

		if (pf == NULL || *pf == 0) {
			snprintf(err, errlen, "smtp_user is set but smtp_password_file is not");
			goto fail;
		}
		if ((p->user = strdup(user)) == NULL || (p->pass = read_password(pf, err, errlen)) == NULL)
			goto fail;
	}
	t->priv = p;
	t->send = smtp_send;
	t->send_more = smtp_send_more;
	t->flush = smtp_flush;
	t->close = smtp_close;
	return (0);
fail:
	t->priv = p;
	smtp_close(t);
	t->priv = NULL;
	return (-1);
}
