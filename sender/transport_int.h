/*
 * NAME
 *	transport_int 3h
 * SUMMARY
 *	the inside of a transport: one set of operations per kind
 * SYNOPSIS
 *	#include "transport_int.h"
 * DESCRIPTION
 *	Each kind (transport_smtp.c, transport_sendmail.c,
 *	transport_dir.c) provides a *_open function that fills in
 *	struct transport: its operations and its private state. The
 *	table of kinds in transport.c names them.
 * DIAGNOSTICS
 *	As in transport.h.
 */
#ifndef LINKS_TRANSPORT_INT_H
#define LINKS_TRANSPORT_INT_H

#include "transport.h"

struct transport {
	enum transport_kind kind;
	void   *priv;
	int	(*send)(struct transport *, const char *, const char *, const char *,
			const char *, size_t, struct transport_result *);
	/* Optional: may leave RES pending (transport_send_more()); NULL: send. */
	int	(*send_more)(struct transport *, const char *, const char *, const char *,
			     const char *, size_t, struct transport_result *);
	void	(*flush)(struct transport *);	/* optional: settle what is pending */
	void	(*close)(struct transport *);
};

/* One per kind; OUTDIR is used by "dir" only (NULL: links.conf outdir). */
int	transport_smtp_open(struct transport *t, const struct conf *conf, const char *outdir,
			    char *err, size_t errlen);
int	transport_sendmail_open(struct transport *t, const struct conf *conf, const char *outdir,
				char *err, size_t errlen);
int	transport_dir_open(struct transport *t, const struct conf *conf, const char *outdir,
			   char *err, size_t errlen);

/* Fill RES (status, code, one-line text); returns STATUS. */
int	transport_result_set(struct transport_result *res, enum transport_status status,
			     int code, const char *text);

#endif
