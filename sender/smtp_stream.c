/*
 * NAME
 *	smtp_stream 3
 * SUMMARY
 *	a plain TCP stream for libetpan's SMTP session, without select()
 * SYNOPSIS
 *	#include "smtp_stream.h"
 * DESCRIPTION
 *	libetpan's socket stream calls select() with the session timeout
 *	before every read and every write: with the commands of a message
 *	pipelined (RFC 2920), that is four select() calls a message beside
 *	its two writes and two reads. This driver keeps the socket
 *	blocking and lets the kernel time the wait out (SO_RCVTIMEO,
 *	SO_SNDTIMEO): the same timeout, half the system calls. libetpan's
 *	SMTP code sees the same mailstream and the same errors (a timeout
 *	is a failed read or write). The socket stays libetpan's: its own
 *	stream is freed without closing it, as mailsmtp_socket_starttls()
 *	does when it puts TLS on the same socket.
 * DIAGNOSTICS
 *	See smtp_stream.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "smtp_stream.h"

/* The stream's own data: the socket. */
struct direct {
	int	fd;
};

#define FD(s)	(((struct direct *) (s)->data)->fd)

/* direct_read - up to COUNT bytes from the socket; 0 at its end, -1 on an error or timeout */
static ssize_t
direct_read(mailstream_low *s, void *buf, size_t count)
{
	ssize_t	r;

	while ((r = recv(FD(s), buf, count, 0)) < 0 && errno == EINTR)
		continue;
	return (r);
}

/* direct_write - all COUNT bytes to the socket; -1 on an error or timeout */
static ssize_t
direct_write(mailstream_low *s, const void *buf, size_t count)
{
	const char *p = buf;
	size_t	left = count;
	ssize_t	r;

	while (left > 0) {
		if ((r = send(FD(s), p, left, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		p += r;
		left -= (size_t) r;
	}
	return ((ssize_t) count);
}

/* direct_close - close the socket */
static int
direct_close(mailstream_low *s)
{
	int	fd = FD(s);

	FD(s) = -1;
	return (fd >= 0 ? close(fd) : 0);
}

/* direct_get_fd - the socket */
static int
direct_get_fd(mailstream_low *s)
{
	return (FD(s));
}

/* direct_free - free the stream (the socket is closed by direct_close()) */
static void
direct_free(mailstream_low *s)
{
	free(s->data);
	free(s);
}

/* direct_cancel - nothing to interrupt: reads end by the socket's timeout */
static void
direct_cancel(mailstream_low *s)
{
	(void) s;
}

/* direct_get_cancel - no cancel pipe */
static struct mailstream_cancel *
direct_get_cancel(mailstream_low *s)
{
	(void) s;
	return (NULL);
}

/* direct_no_chain - no certificates: a plain socket */
static carray *
direct_no_chain(mailstream_low *s)
{
	(void) s;
	return (NULL);
}

/* direct_no_idle - no idle support (-1: libetpan's select() fallback) */
static int
direct_no_idle(mailstream_low *s)
{
	(void) s;
	return (-1);
}

static mailstream_low_driver direct_driver = {
	.mailstream_read = direct_read,
	.mailstream_write = direct_write,
	.mailstream_close = direct_close,
	.mailstream_get_fd = direct_get_fd,
	.mailstream_free = direct_free,
	.mailstream_cancel = direct_cancel,
	.mailstream_get_cancel = direct_get_cancel,
	.mailstream_get_certificate_chain = direct_no_chain,
	.mailstream_setup_idle = direct_no_idle,
	.mailstream_unsetup_idle = direct_no_idle,
	.mailstream_interrupt_idle = direct_no_idle,
};

/* smtp_stream_direct - S's socket read and written without select(); see smtp_stream.h */
int
smtp_stream_direct(mailsmtp *s, int timeout)
{
	mailstream_low *old, *low;
	struct direct *d;
	struct timeval tv = {timeout, 0};
	int	fd, flags;

	if (s->stream == NULL || (old = mailstream_get_low(s->stream)) == NULL
	    || (fd = mailstream_low_get_fd(old)) < 0)
		return (-1);
	/* Blocking, whatever libetpan's connect left: the kernel times out. */
	if ((flags = fcntl(fd, F_GETFL)) < 0
	    || ((flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
	    || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0
	    || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		return (-1);
	if ((d = malloc(sizeof(*d))) == NULL)
		return (-1);
	d->fd = fd;
	if ((low = mailstream_low_new(d, &direct_driver)) == NULL) {
		free(d);
		return (-1);
	}
	mailstream_low_set_timeout(low, mailstream_low_get_timeout(old));
	mailstream_set_low(s->stream, low);
	mailstream_low_free(old);	/* libetpan's socket stream: frees, does not close */
	return (0);
}
