/*
 * NAME
 *	smtp_stream 3h
 * SUMMARY
 *	a plain TCP stream for libetpan's SMTP session, without select()
 * SYNOPSIS
 *	#include "smtp_stream.h"
 *
 *	int	smtp_stream_direct(mailsmtp *s, int timeout);
 * DESCRIPTION
 *	smtp_stream_direct() replaces the low-level stream of the connected,
 *	unencrypted session S by one on the same socket that reads and
 *	writes it directly, with TIMEOUT seconds as the socket's receive
 *	and send timeouts; 0 on success, -1 (S unchanged) when out of
 *	memory or the timeouts cannot be set. Only for a session without
 *	TLS: an encrypted session keeps libetpan's TLS stream.
 * DIAGNOSTICS
 *	-1 as said; a read or write that times out or fails is a stream
 *	error for libetpan, as with its own stream.
 */
#ifndef LINKS_SMTP_STREAM_H
#define LINKS_SMTP_STREAM_H

#include <libetpan/libetpan.h>

int	smtp_stream_direct(mailsmtp *s, int timeout);

#endif
