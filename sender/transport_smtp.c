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
 *	be readable by group or others). Between two transactions the
 *	session is reset with RSET.
 *
 *	Replies are classified by their code: 2xx accepted, 421 temporary
 *	and the session is dropped (reconnect on the next message), other
 *	4xx temporary, 5xx permanent. A broken connection is temporary;
 *	when it breaks after the message body was sent, the server may
 *	have accepted the message (RES->maybe_sent).
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
#include <sys/stat.h>

#include <libetpan/libetpan.h>

#include "hdr.h"
#include "transport_int.h"

#define SMTP_PASSWORD_MAX	256	/* bytes of the AUTH password */
#define SMTP_CODE_SERVICE_CLOSING 421

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
};

/* smtp_drop - close the session (POLITE: say QUIT first) */
static void
smtp_drop(struct smtp_priv *p, int polite)
{
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
 * smtp_fail - classify a failed step (AFTER_BODY: the message had been sent).
 *
 * Classify a failed step. AFTER_BODY: the message had been sent when
 * the failure came.
 */
static int
smtp_fail(struct smtp_priv *p, int r, int after_body, struct transport_result *res)
{
	char	text[TRANSPORT_TEXT_MAX];
	int	code = (p->s != NULL) ? p->s->response_code : 0;

	reply_text(p, r, text, sizeof(text));
	if (r == MAILSMTP_ERROR_STREAM || r == MAILSMTP_ERROR_CONNECTION_REFUSED
	    || r == MAILSMTP_ERROR_SSL || code == 0) {
		res->conn_failed = 1;
		res->maybe_sent = after_body;
		snprintf(text, sizeof(text), "%s:%d: %s", p->host, p->port, mailsmtp_strerror(r));
		smtp_drop(p, 0);
		return (transport_result_set(res, TRANSPORT_TEMP, 0, text));
	}
	if (code == SMTP_CODE_SERVICE_CLOSING) {
		smtp_drop(p, 0);
		return (transport_result_set(res, TRANSPORT_TEMP, code, text));
	}
	if (code >= 400 && code < 500)
		return (transport_result_set(res, TRANSPORT_TEMP, code, text));
	if (code >= 500 && code < 600)
		return (transport_result_set(res, TRANSPORT_PERM, code, text));
	return (transport_result_set(res, TRANSPORT_TEMP, code, text));
}

/* smtp_connect - open a session: connect, EHLO, STARTTLS, AUTH */
static int
smtp_connect(struct smtp_priv *p, struct transport_result *res)
{
	int	r;

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
	if (p->tls != SMTP_TLS_NO) {
		if (p->s->esmtp & MAILSMTP_ESMTP_STARTTLS) {
			if ((r = mailsmtp_socket_starttls(p->s)) != MAILSMTP_NO_ERROR)
				goto fail;
			if ((r = mailesmtp_ehlo(p->s)) != MAILSMTP_NO_ERROR)
				goto fail;
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
	p->need_rset = 0;
	return (TRANSPORT_OK);
fail:
	r = smtp_fail(p, r, 0, res);
	res->conn_failed = 1;
	smtp_drop(p, 0);
	return (r);
}

/* smtp_send - one SMTP transaction, in the kept session */
static int
smtp_send(struct transport *t, const char *from, const char *rcpt, const char *name,
	  const char *msg, size_t len, struct transport_result *res)
{
	struct smtp_priv *p = t->priv;
	int	r;

	if (!hdr_address_valid(from) || !hdr_address_valid(rcpt))
		return (transport_result_set(res, TRANSPORT_PERM, 0, "invalid address"));
	if (p->s != NULL && p->need_rset) {
		if (mailsmtp_reset(p->s) != MAILSMTP_NO_ERROR)
			smtp_drop(p, 0);	/* stale session: start again */
	}
	if (p->s == NULL && smtp_connect(p, res) != TRANSPORT_OK)
		return (res->status);
	p->need_rset = 1;
	if ((r = mailsmtp_mail(p->s, from)) != MAILSMTP_NO_ERROR)
		return (smtp_fail(p, r, 0, res));
	if ((r = mailsmtp_rcpt(p->s, rcpt)) != MAILSMTP_NO_ERROR) {
		r = smtp_fail(p, r, 0, res);
		res->rcpt_refused = (r == TRANSPORT_PERM);
		return (r);
	}
	if ((r = mailsmtp_data(p->s)) != MAILSMTP_NO_ERROR)
		return (smtp_fail(p, r, 0, res));
	if ((r = mailsmtp_data_message(p->s, msg, len)) != MAILSMTP_NO_ERROR)
		return (smtp_fail(p, r, 1, res));
	{
		char	text[TRANSPORT_TEXT_MAX];

		return (transport_result_set(res, TRANSPORT_OK, p->s->response_code,
					     reply_text(p, r, text, sizeof(text))));
	}
}

/* smtp_close - end the session and free the state */
static void
smtp_close(struct transport *t)
{
	struct smtp_priv *p = t->priv;

	if (p == NULL)
		return;
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
	t->close = smtp_close;
	return (0);
fail:
	t->priv = p;
	smtp_close(t);
	t->priv = NULL;
	return (-1);
}
