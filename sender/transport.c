/*
 * NAME
 *	transport 3
 * SUMMARY
 *	how links-sender hands a message on: SMTP, sendmail or a directory
 * SYNOPSIS
 *	#include "transport.h"
 * DESCRIPTION
 *	The table of kinds and the dispatcher: picks the kind, then calls
 *	its operations. Adding a transport: a transport_NAME.c with its
 *	open function, one row below, one enum value in transport.h and
 *	the name among the choices of the "transport" option
 *	(config/conf_options.def); tests/unit/test_transport.c checks that
 *	the table and the option agree.
 * DIAGNOSTICS
 *	See transport.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transport_int.h"

struct transport_info {
	const char *name;
	int	(*open)(struct transport *, const struct conf *, const char *, char *, size_t);
	int	parallel;		/* smtp_connections at once, else one */
};

static const struct transport_info transport_table[TRANSPORT_KINDS] = {
	[TRANSPORT_SMTP] = {"smtp", transport_smtp_open, 1},
	[TRANSPORT_SENDMAIL] = {"sendmail", transport_sendmail_open, 1},
	[TRANSPORT_DIR] = {"dir", transport_dir_open, 0},
};

/* transport_parse - the kind called NAME */
int
transport_parse(const char *name, enum transport_kind *out)
{
	int	i;

	for (i = 0; i < TRANSPORT_KINDS; i++)
		if (name != NULL && strcmp(name, transport_table[i].name) == 0) {
			*out = (enum transport_kind) i;
			return (0);
		}
	return (-1);
}

/* transport_name - the name of KIND, "unknown" when out of range */
const char *
transport_name(enum transport_kind kind)
{
	if ((unsigned) kind >= TRANSPORT_KINDS)
		return ("unknown");
	return (transport_table[kind].name);
}

/* transport_parallel - whether several transports of KIND may work at once */
int
transport_parallel(enum transport_kind kind)
{
	return ((unsigned) kind < TRANSPORT_KINDS && transport_table[kind].parallel);
}

/* transport_result_set - fill RES with one printable line; returns STATUS */
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

/* transport_open - a transport of KIND; the caller closes it */
struct transport *
transport_open(const struct conf *conf, enum transport_kind kind, const char *outdir,
	       char *err, size_t errlen)
{
	struct transport *t;

	if ((unsigned) kind >= TRANSPORT_KINDS) {
		snprintf(err, errlen, "unknown transport");
		return (NULL);
	}
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	t->kind = kind;
	if (transport_table[kind].open(t, conf, outdir, err, errlen) < 0) {
		free(t);
		return (NULL);
	}
	return (t);
}

/* transport_send - submit one message; returns RES->status */
int
transport_send(struct transport *t, const char *from, const char *rcpt, const char *name,
	       const char *msg, size_t len, struct transport_result *res)
{
	memset(res, 0, sizeof(*res));
	return (t->send(t, from, rcpt, name, msg, len, res));
}

/* transport_send_more - submit one message, its verdict perhaps read later; see transport.h */
int
transport_send_more(struct transport *t, const char *from, const char *rcpt, const char *name,
		    const char *msg, size_t len, struct transport_result *res)
{
	memset(res, 0, sizeof(*res));
	if (t->send_more == NULL)
		return (t->send(t, from, rcpt, name, msg, len, res));
	return (t->send_more(t, from, rcpt, name, msg, len, res));
}

/* transport_flush - read the verdict of the message left pending, if any */
void
transport_flush(struct transport *t)
{
	if (t != NULL && t->flush != NULL)
		t->flush(t);
}

/* transport_kind - the kind of T */
enum transport_kind
transport_kind(const struct transport *t)
{
	return (t->kind);
}

/* transport_close - end the session and free T */
void
transport_close(struct transport *t)
{
	if (t == NULL)
		return;
	if (t->close)
		t->close(t);
	free(t);
}
