/*
 * NAME
 *	milter_proto 3h
 * SUMMARY
 *	between the milter protocol (milter_proto.c) and its threads (milter_serve.c)
 * SYNOPSIS
 *	#include <libmilter/mfapi.h>
 *	#include "milter_proto.h"
 *
 *	SMFICTX *mproto_ctx_new(void);
 *	void	mproto_ctx_free(SMFICTX *ctx);
 *	void	mproto_session(SMFICTX *ctx, int fd);
 *	int	mproto_registered(void);
 * DESCRIPTION
 *	The rest of links-milter uses libmilter's API (<libmilter/mfapi.h>),
 *	which these two files implement; this header is only theirs.
 *
 *	mproto_ctx_new() returns a connection context with its read buffer,
 *	NULL when out of memory; the caller owns it and frees it with
 *	mproto_ctx_free(). One context serves one connection at a time and
 *	may serve many in turn.
 *
 *	mproto_session() speaks the protocol on connection FD with the
 *	callbacks given to smfi_register() until the MTA quits, the
 *	connection ends, times out (smfi_settimeout()) or breaks the
 *	protocol; xxfi_close() has then run and FD is closed.
 *
 *	mproto_registered() is true once smfi_register() succeeded.
 */
#ifndef MILTER_PROTO_H
#define MILTER_PROTO_H

#include <libmilter/mfapi.h>

SMFICTX *mproto_ctx_new(void);
void	mproto_ctx_free(SMFICTX *ctx);
void	mproto_session(SMFICTX *ctx, int fd);
int	mproto_registered(void);

#endif
