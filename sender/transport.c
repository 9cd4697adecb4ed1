/*
 * NAME
 *	transport 3
 * SUMMARY
 *	how links-sender hands a message on: SMTP, sendmail or a directory
 * SYNOPSIS
 *	#include "transport.h"
 * DESCRIPTION
 *	The dispatcher: picks the kind, then calls its operations.
 * DIAGNOSTICS
 *	See transport.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transport_int.h"

int
transport_result_set(struct transport_result *res, enum transport_status status, int code,
		     const char *text)
{
	size_t	i;

	res->status = status;
	res->code = code;
	snprintf(res->text, sizeof(res->text), "%s", text ? text : "");
	/* One printable line: it goes into the store and the log. */
	for (i = 0; res->text[i]; i++)
		if ((unsigned char) res->text[i] < 0x20 || (unsigned char) res->text[i] == 0x7f)
			res->text[i] = ' ';
	while (i > 0 && res->text[i - 1] == ' ')
		res->text[--i] = 0;
	return (status);
}

struct transport *
transport_open(const struct conf *conf, const char *kind, const char *outdir,
	       char *err, size_t errlen)
{
	struct transport *t;
	int	r;

	if (kind == NULL)
		kind = conf_transport(conf);
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	if (strcmp(kind, "smtp") == 0)
		r = transport_smtp_open(t, conf, err, errlen);
	else if (strcmp(kind, "sendmail") == 0)
		r = transport_sendmail_open(t, conf, err, errlen);
	else if (strcmp(kind, "dir") == 0)
		r = transport_dir_open(t, outdir ? outdir : conf_outdir(conf), err, errlen);
	else {
		snprintf(err, errlen, "unknown transport \"%s\"", kind);
		r = -1;
	}
	if (r < 0) {
		free(t);
		return (NULL);
	}
	return (t);
}

int
transport_send(struct transport *t, const char *from, const char *rcpt, const char *name,
	       const char *msg, size_t len, struct transport_result *res)
{
	memset(res, 0, sizeof(*res));
	return (t->send(t, from, rcpt, name, msg, len, res));
}

const char *
transport_kind(const struct transport *t)
{
	return (t->kind);
}

void
transport_close(struct transport *t)
{
	if (t == NULL)
		return;
	if (t->close)
		t->close(t);
	free(t);
}
