/*
 * NAME
 *	milter_proto 3
 * SUMMARY
 *	links-milter's milter protocol engine (the libmilter API it uses)
 * SYNOPSIS
 *	#include <libmilter/mfapi.h>
 *
 *	smfi_settimeout(), smfi_register(); in callbacks:
 *	smfi_getpriv(), smfi_setpriv(), smfi_getsymval(), smfi_setsymlist(),
 *	smfi_setreply(), smfi_addheader(), smfi_chgheader(), smfi_addrcpt(),
 *	smfi_delrcpt()
 * DESCRIPTION
 *	The milter protocol (version 6, as Postfix and Sendmail speak it)
 *	behind the part of libmilter's documented API that links-milter
 *	uses, so the callbacks (milter_cb.c) are written against that API
 *	and links-milter links this instead of libmilter.
 *
 *	Why: measured by bench/ (RESULTS.md, "rawmilter"), Debian's
 *	libmilter hands every packet of a connection from its poll()
 *	thread to a worker of its pool and back: a poll(), two read()s and
 *	a thread wake-up per header. A milter that must read the envelope
 *	and the headers of every message, as links-milter must, paid more
 *	for that than for its own work. Here a connection belongs to one
 *	thread from its first packet to its last; that thread reads
 *	whatever the socket holds and takes every complete packet from its
 *	buffer, so the headers an MTA sends without waiting for replies
 *	(SMFIP_NR_HDR) cost one read(). The modifications of xxfi_eom()
 *	(smfi_addheader() ...) wait in an output buffer and go with the
 *	end of message's reply in one write().
 *
 *	The sockets and threads are milter_serve.c's: it hands each
 *	connection to mproto_session() (milter_proto.h).
 *
 *	Semantics kept from libmilter: xxfi_negotiate() chooses the
 *	actions and protocol flags (only what the MTA offers) and may call
 *	smfi_setsymlist(); a step negotiated with a no-reply flag is never
 *	answered, any other step whose callback returns SMFIS_NOREPLY is
 *	answered "continue"; SMFIS_REJECT and SMFIS_TEMPFAIL carry the
 *	smfi_setreply() text when its code class matches; the
 *	modification functions work only in xxfi_eom() and only for the
 *	actions negotiated; xxfi_close() runs when the connection ends
 *	(QUIT, a new connection on the same socket, EOF, an error, a
 *	timeout); ABORT runs xxfi_abort(). Macros are kept per step; MAIL
 *	forgets those of the previous message's later steps, ABORT those
 *	from MAIL on; smfi_getsymval() finds "x", "{x}" and "{long}" as
 *	libmilter does, the latest step first.
 *
 *	Bounds: a packet longer than MPROTO_MAX_PACKET, a malformed one
 *	(a string without its NUL, a short OPTNEG) or a command out of the
 *	protocol ends the connection (the MTA applies its default_action);
 *	a connection silent for the timeout (smfi_settimeout()) is closed,
 *	and so is one whose MTA reads no reply for as long.
 * DIAGNOSTICS
 *	MI_SUCCESS or MI_FAILURE as libmilter's functions; a protocol error
 *	is logged (without any message content) and ends its connection.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

#include "log.h"
#include "milter_proto.h"

#define MPROTO_MAX_PACKET	(1024 * 1024)	/* a body chunk is at most 64 KB */
#define MPROTO_BUF_START	(64 * 1024 + 16)
#define MPROTO_MAX_ARGS		64		/* ESMTP parameters of MAIL/RCPT */
#define MPROTO_NSTEPS		(SMFIM_LAST + 1)
#define MPROTO_REPLY_MAX	1024
#define MPROTO_OUT_MAX		(64 * 1024)	/* modifications queued before a write */
#define MPROTO_MS_PER_SEC	1000

/* The state of one connection: what libmilter calls the context. */
struct smfi_str {
	int	fd;
	uint32_t actions;		/* agreed at OPTNEG */
	uint32_t proto;			/* agreed at OPTNEG */
	void   *priv;			/* smfi_setpriv() */
	int	in_eom;			/* modifications allowed */
	int	negotiating;		/* smfi_setsymlist() allowed */
	char   *symlist[MPROTO_NSTEPS];	/* smfi_setsymlist(), sent at OPTNEG */
	char   *macbuf[MPROTO_NSTEPS];	/* the macros of each step: name\0value\0... */
	size_t	maclen[MPROTO_NSTEPS];
	char   *reply;			/* smfi_setreply(): "550 5.7.1 text" */
	char   *out;			/* packets queued: xxfi_eom()'s modifications */
	size_t	outlen;
	size_t	outcap;
	char   *buf;			/* bytes read, not yet taken */
	size_t	cap;
	size_t	start;
	size_t	end;
};

static struct smfiDesc mproto_desc;
static int mproto_is_registered;
static int mproto_timeout = 7210;	/* libmilter's default */

/* ---- the library's settings ---- */

int
smfi_settimeout(int seconds)
{
	if (seconds <= 0)
		return (MI_FAILURE);
	mproto_timeout = seconds;
	return (MI_SUCCESS);
}

int
smfi_register(struct smfiDesc desc)
{
	if (desc.xxfi_version > SMFI_VERSION || desc.xxfi_version < 2)
		return (MI_FAILURE);
	mproto_desc = desc;
	mproto_is_registered = 1;
	return (MI_SUCCESS);
}

/* mproto_registered - smfi_register() succeeded */
int
mproto_registered(void)
{
	return (mproto_is_registered);
}

/* ---- writing ---- */

/* mproto_wait_room - wait up to the timeout for room to write on FD; 1 when there is some */
static int
mproto_wait_room(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int	n;

	while ((n = poll(&pfd, 1, mproto_timeout * MPROTO_MS_PER_SEC)) < 0 && errno == EINTR)
		;
	return (n > 0);
}

/*
 * mproto_flush - write the packets queued in the output buffer; -1 on
 * error. The write does not block: only when the socket has no room
 * (an MTA that reads no replies) does it wait, at most the timeout,
 * for some; the socket needs no SO_SNDTIMEO, one setsockopt() less
 * per connection.
 */
static int
mproto_flush(SMFICTX *ctx)
{
	size_t	off = 0;
	int	rc = 0;

	while (off < ctx->outlen) {
		ssize_t	w = send(ctx->fd, ctx->out + off, ctx->outlen - off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && mproto_wait_room(ctx->fd))
			continue;
		if (w <= 0) {
			rc = -1;
			break;
		}
		off += (size_t) w;
	}
	ctx->outlen = 0;
	return (rc);
}

/*
 * mproto_queue - one packet, CMD and the N parts of PARTS (lengths
 * LENS), into the output buffer, written first when the buffer would
 * pass MPROTO_OUT_MAX bytes; -1 on error
 */
static int
mproto_queue(SMFICTX *ctx, char cmd, const void *const *parts, const size_t *lens, int n)
{
	size_t	total = 5, at;
	uint32_t len;

	for (int i = 0; i < n; i++)
		total += lens[i];
	if (total - 4 > MPROTO_MAX_PACKET)
		return (-1);
	if (ctx->outlen > 0 && ctx->outlen + total > MPROTO_OUT_MAX && mproto_flush(ctx) != 0)
		return (-1);
	if (ctx->outlen + total > ctx->outcap) {
		size_t	ncap = ctx->outlen + total < MPROTO_REPLY_MAX
		    ? MPROTO_REPLY_MAX : ctx->outlen + total;
		char   *nb = realloc(ctx->out, ncap);

		if (nb == NULL)
			return (-1);
		ctx->out = nb;
		ctx->outcap = ncap;
	}
	at = ctx->outlen;
	len = htonl((uint32_t) (total - 4));
	memcpy(ctx->out + at, &len, 4);
	ctx->out[at + 4] = cmd;
	at += 5;
	for (int i = 0; i < n; i++) {
		memcpy(ctx->out + at, parts[i], lens[i]);
		at += lens[i];
	}
	ctx->outlen = at;
	return (0);
}

/* mproto_send - one packet (after those queued): CMD and the N parts of PARTS; -1 on error */
static int
mproto_send(SMFICTX *ctx, char cmd, const void *const *parts, const size_t *lens, int n)
{
	if (mproto_queue(ctx, cmd, parts, lens, n) != 0) {
		ctx->outlen = 0;
		return (-1);
	}
	return (mproto_flush(ctx));
}

/* mproto_queue_strs - queue CMD with the NUL-terminated strings A and B (B may be NULL) */
static int
mproto_queue_strs(SMFICTX *ctx, char cmd, const char *a, const char *b)
{
	const void *parts[2] = {a, b};
	size_t	lens[2] = {strlen(a) + 1, b ? strlen(b) + 1 : 0};

	return (mproto_queue(ctx, cmd, parts, lens, b ? 2 : 1));
}

/* ---- the API used in callbacks ---- */

int
smfi_setpriv(SMFICTX *ctx, void *priv)
{
	if (ctx == NULL)
		return (MI_FAILURE);
	ctx->priv = priv;
	return (MI_SUCCESS);
}

void   *
smfi_getpriv(SMFICTX *ctx)
{
	return (ctx ? ctx->priv : NULL);
}

int
smfi_setsymlist(SMFICTX *ctx, int where, char *macros)
{
	if (ctx == NULL || !ctx->negotiating || where < 0 || where >= MPROTO_NSTEPS
	    || macros == NULL || *macros == 0 || ctx->symlist[where] != NULL)
		return (MI_FAILURE);
	if ((ctx->symlist[where] = strdup(macros)) == NULL)
		return (MI_FAILURE);
	return (MI_SUCCESS);
}

/* mproto_bare - NAME without its braces: "{x}" -> "x", in OUT; -1 if too long */
static int
mproto_bare(const char *name, size_t len, char *out, size_t outlen)
{
	if (len >= 2 && name[0] == '{' && name[len - 1] == '}') {
		name++;
		len -= 2;
	}
	if (len >= outlen)
		return (-1);
	memcpy(out, name, len);
	out[len] = 0;
	return (0);
}

char   *
smfi_getsymval(SMFICTX *ctx, char *name)
{
	/* the latest step first: EOM, EOH, DATA, RCPT, MAIL, HELO, CONNECT */
	static const int order[] = {SMFIM_EOM, SMFIM_EOH, SMFIM_DATA, SMFIM_ENVRCPT,
		SMFIM_ENVFROM, SMFIM_HELO, SMFIM_CONNECT};
	char	want[256], have[256];

	if (ctx == NULL || name == NULL || mproto_bare(name, strlen(name), want, sizeof(want)) < 0)
		return (NULL);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		char   *p = ctx->macbuf[order[i]], *end = p + ctx->maclen[order[i]];

		while (p != NULL && p < end) {
			size_t	nlen = strlen(p);
			char   *value = p + nlen + 1;

			if (value >= end)
				break;
			if (mproto_bare(p, nlen, have, sizeof(have)) == 0 && strcmp(have, want) == 0)
				return (value);
			p = value + strlen(value) + 1;
		}
	}
	return (NULL);
}

int
smfi_setreply(SMFICTX *ctx, char *rcode, char *xcode, char *message)
{
	char	buf[MPROTO_REPLY_MAX];
	int	n;

	if (ctx == NULL || rcode == NULL || strlen(rcode) != 3
	    || (rcode[0] != '4' && rcode[0] != '5') || rcode[1] < '0' || rcode[1] > '9'
	    || rcode[2] < '0' || rcode[2] > '9')
		return (MI_FAILURE);
	if (xcode && *xcode && xcode[0] != rcode[0])
		return (MI_FAILURE);
	if (message && (strchr(message, '\r') || strchr(message, '\n')))
		return (MI_FAILURE);
	n = snprintf(buf, sizeof(buf), "%s %s %s", rcode,
		     xcode && *xcode ? xcode : (rcode[0] == '4' ? "4.0.0" : "5.0.0"),
		     message && *message ? message : "Command rejected");
	if (n < 0 || (size_t) n >= sizeof(buf))
		return (MI_FAILURE);
	free(ctx->reply);
	if ((ctx->reply = strdup(buf)) == NULL)
		return (MI_FAILURE);
	return (MI_SUCCESS);
}

/* mproto_may - a modification needing ACTION may be sent now */
static int
mproto_may(SMFICTX *ctx, uint32_t action)
{
	return (ctx != NULL && ctx->in_eom && (ctx->actions & action) != 0);
}

int
smfi_addheader(SMFICTX *ctx, char *name, char *value)
{
	if (!mproto_may(ctx, SMFIF_ADDHDRS) || name == NULL || *name == 0 || value == NULL)
		return (MI_FAILURE);
	return (mproto_queue_strs(ctx, SMFIR_ADDHEADER, name, value) == 0 ? MI_SUCCESS : MI_FAILURE);
}

int
smfi_chgheader(SMFICTX *ctx, char *name, int index, char *value)
{
	uint32_t idx;
	const void *parts[3];
	size_t	lens[3];

	if (!mproto_may(ctx, SMFIF_CHGHDRS) || name == NULL || *name == 0 || index < 0)
		return (MI_FAILURE);
	if (value == NULL)
		value = (char *) "";	/* delete the header */
	idx = htonl((uint32_t) index);
	parts[0] = &idx;
	lens[0] = 4;
	parts[1] = name;
	lens[1] = strlen(name) + 1;
	parts[2] = value;
	lens[2] = strlen(value) + 1;
	return (mproto_queue(ctx, SMFIR_CHGHEADER, parts, lens, 3) == 0 ? MI_SUCCESS : MI_FAILURE);
}

int
smfi_addrcpt(SMFICTX *ctx, char *rcpt)
{
	if (!mproto_may(ctx, SMFIF_ADDRCPT) || rcpt == NULL || *rcpt == 0)
		return (MI_FAILURE);
	return (mproto_queue_strs(ctx, SMFIR_ADDRCPT, rcpt, NULL) == 0 ? MI_SUCCESS : MI_FAILURE);
}

int
smfi_delrcpt(SMFICTX *ctx, char *rcpt)
{
	if (!mproto_may(ctx, SMFIF_DELRCPT) || rcpt == NULL || *rcpt == 0)
		return (MI_FAILURE);
	return (mproto_queue_strs(ctx, SMFIR_DELRCPT, rcpt, NULL) == 0 ? MI_SUCCESS : MI_FAILURE);
}

/* ---- reading ---- */

/* mproto_fill - read what the socket holds (at least one byte); -1 at EOF, error, timeout */
static int
mproto_fill(SMFICTX *ctx)
{
	ssize_t	n;

	if (ctx->start == ctx->end)
		ctx->start = ctx->end = 0;
	if (ctx->end == ctx->cap) {
		if (ctx->start > 0) {
			memmove(ctx->buf, ctx->buf + ctx->start, ctx->end - ctx->start);
			ctx->end -= ctx->start;
			ctx->start = 0;
		} else {
			size_t	ncap = ctx->cap * 2;
			char   *nb;

			if (ncap > MPROTO_MAX_PACKET + 8)
				ncap = MPROTO_MAX_PACKET + 8;
			if (ncap <= ctx->cap || (nb = realloc(ctx->buf, ncap)) == NULL)
				return (-1);
			ctx->buf = nb;
			ctx->cap = ncap;
		}
	}
	do {
		n = read(ctx->fd, ctx->buf + ctx->end, ctx->cap - ctx->end);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return (-1);
	ctx->end += (size_t) n;
	return (0);
}

/* mproto_next - the next packet: its command and data (in the buffer); -1 at the end */
static int
mproto_next(SMFICTX *ctx, char *cmd, char **data, size_t *len)
{
	uint32_t n;

	while (ctx->end - ctx->start < 4)
		if (mproto_fill(ctx) < 0)
			return (-1);
	memcpy(&n, ctx->buf + ctx->start, 4);
	n = ntohl(n);
	if (n < 1 || n > MPROTO_MAX_PACKET) {
		log_warning("milter protocol: packet of %lu bytes: closing the connection",
			    (unsigned long) n);
		return (-1);
	}
	while (ctx->end - ctx->start < 4 + (size_t) n)
		if (mproto_fill(ctx) < 0)
			return (-1);
	*cmd = ctx->buf[ctx->start + 4];
	*data = ctx->buf + ctx->start + 5;
	*len = n - 1;
	ctx->start += 4 + (size_t) n;
	return (0);
}

/* mproto_strings - split DATA (LEN bytes) into its NUL-terminated strings; count, -1 if malformed */
static int
mproto_strings(char *data, size_t len, char **argv, int max)
{
	int	n = 0;
	size_t	off = 0;

	if (len == 0 || data[len - 1] != 0)
		return (-1);
	while (off < len) {
		if (n == max)
			return (-1);
		argv[n++] = data + off;
		off += strlen(data + off) + 1;
	}
	argv[n] = NULL;
	return (n);
}

/* ---- the protocol ---- */

/* mproto_step - the SMFIM_ step of command CMD, -1 for none */
static int
mproto_step(char cmd)
{
	switch (cmd) {
	case SMFIC_CONNECT:
		return (SMFIM_CONNECT);
	case SMFIC_HELO:
		return (SMFIM_HELO);
	case SMFIC_MAIL:
		return (SMFIM_ENVFROM);
	case SMFIC_RCPT:
		return (SMFIM_ENVRCPT);
	case SMFIC_DATA:
		return (SMFIM_DATA);
	case SMFIC_BODYEOB:
		return (SMFIM_EOM);
	case SMFIC_EOH:
		return (SMFIM_EOH);
	default:
		return (-1);
	}
}

/* mproto_clear_macros - forget the macros of steps FROM.. (in time: MAIL, RCPT, DATA, EOH, EOM) */
static void
mproto_clear_macros(SMFICTX *ctx, int from_mail)
{
	static const int later[] = {SMFIM_ENVFROM, SMFIM_ENVRCPT, SMFIM_DATA, SMFIM_EOH, SMFIM_EOM};

	for (size_t i = from_mail ? 0 : 1; i < sizeof(later) / sizeof(later[0]); i++) {
		free(ctx->macbuf[later[i]]);
		ctx->macbuf[later[i]] = NULL;
		ctx->maclen[later[i]] = 0;
	}
}

/* mproto_macros - a MACRO packet: keep its name/value pairs for its step; -1 if malformed */
static int
mproto_macros(SMFICTX *ctx, const char *data, size_t len)
{
	int	step;
	char   *copy;

	if (len < 1)
		return (-1);
	if ((step = mproto_step(data[0])) < 0)
		return (0);			/* a step libmilter keeps no macros for */
	if (len > 1 && data[len - 1] != 0)
		return (-1);
	if (step == SMFIM_ENVFROM)
		mproto_clear_macros(ctx, 1);
	if ((copy = malloc(len > 1 ? len - 1 : 1)) == NULL)
		return (-1);
	memcpy(copy, data + 1, len - 1);
	free(ctx->macbuf[step]);
	ctx->macbuf[step] = copy;
	ctx->maclen[step] = len - 1;
	return (0);
}

/* mproto_optneg - OPTNEG: let xxfi_negotiate() choose, answer with the choice; -1 to close */
static int
mproto_optneg(SMFICTX *ctx, const char *data, size_t len)
{
	uint32_t v[3], mta_version, mta_actions, mta_proto;
	unsigned long a = 0, p = 0, f2 = 0, f3 = 0;
	const void *parts[1 + 2 * MPROTO_NSTEPS];
	size_t	lens[1 + 2 * MPROTO_NSTEPS];
	uint32_t steps[MPROTO_NSTEPS];
	int	n = 1;

	if (len < 12)
		return (-1);
	memcpy(v, data, 12);
	mta_version = ntohl(v[0]);
	mta_actions = ntohl(v[1]);
	mta_proto = ntohl(v[2]);
	if (mta_version < 2)
		return (-1);
	if (mproto_desc.xxfi_negotiate != NULL) {
		sfsistat r;

		ctx->negotiating = 1;
		r = mproto_desc.xxfi_negotiate(ctx, mta_actions, mta_proto, 0, 0, &a, &p, &f2, &f3);
		ctx->negotiating = 0;
		if (r == SMFIS_ALL_OPTS) {
			a = mproto_desc.xxfi_flags;
			p = 0;
		} else if (r != SMFIS_CONTINUE) {
			return (-1);		/* the filter does not want this MTA */
		}
	} else {
		a = mproto_desc.xxfi_flags;
	}
	if ((a & ~(unsigned long) mta_actions) != 0 || (p & ~(unsigned long) mta_proto) != 0) {
		log_warning("milter protocol: the MTA does not offer what the filter needs");
		return (-1);
	}
	ctx->actions = (uint32_t) a;
	ctx->proto = (uint32_t) p;
	v[0] = htonl(mta_version < SMFI_PROT_VERSION ? mta_version : SMFI_PROT_VERSION);
	v[1] = htonl(ctx->actions);
	v[2] = htonl(ctx->proto);
	parts[0] = v;
	lens[0] = 12;
	for (int i = 0; i < MPROTO_NSTEPS; i++) {
		if (ctx->symlist[i] == NULL || !(ctx->actions & SMFIF_SETSYMLIST))
			continue;
		steps[i] = htonl((uint32_t) i);
		parts[n] = &steps[i];
		lens[n++] = 4;
		parts[n] = ctx->symlist[i];
		lens[n++] = strlen(ctx->symlist[i]) + 1;
	}
	return (mproto_send(ctx, SMFIC_OPTNEG, parts, lens, n));
}

/* mproto_no_reply - the step of CMD was negotiated without a reply */
static int
mproto_no_reply(const SMFICTX *ctx, char cmd)
{
	static const struct {
		char	cmd;
		uint32_t flag;
	} nr[] = {
		{SMFIC_CONNECT, SMFIP_NR_CONN}, {SMFIC_HELO, SMFIP_NR_HELO},
		{SMFIC_MAIL, SMFIP_NR_MAIL}, {SMFIC_RCPT, SMFIP_NR_RCPT},
		{SMFIC_DATA, SMFIP_NR_DATA}, {SMFIC_UNKNOWN, SMFIP_NR_UNKN},
		{SMFIC_HEADER, SMFIP_NR_HDR}, {SMFIC_EOH, SMFIP_NR_EOH},
		{SMFIC_BODY, SMFIP_NR_BODY},
	};

	for (size_t i = 0; i < sizeof(nr) / sizeof(nr[0]); i++)
		if (nr[i].cmd == cmd)
			return ((ctx->proto & nr[i].flag) != 0);
	return (0);
}

/* mproto_answer - send the reply to callback result R of command CMD; -1 on error */
static int
mproto_answer(SMFICTX *ctx, char cmd, sfsistat r)
{
	char	code = SMFIR_CONTINUE;
	int	rc;

	if (mproto_no_reply(ctx, cmd)) {
		free(ctx->reply);
		ctx->reply = NULL;
		return (ctx->outlen > 0 ? mproto_flush(ctx) : 0);
	}
	switch (r) {
	case SMFIS_ACCEPT:
		code = SMFIR_ACCEPT;
		break;
	case SMFIS_DISCARD:
		code = SMFIR_DISCARD;
		break;
	case SMFIS_REJECT:
	case SMFIS_TEMPFAIL:
		if (ctx->reply != NULL && ctx->reply[0] == (r == SMFIS_REJECT ? '5' : '4')) {
			const void *part = ctx->reply;
			size_t	len = strlen(ctx->reply) + 1;

			rc = mproto_send(ctx, SMFIR_REPLYCODE, &part, &len, 1);
			free(ctx->reply);
			ctx->reply = NULL;
			return (rc);
		}
		code = r == SMFIS_REJECT ? SMFIR_REJECT : SMFIR_TEMPFAIL;
		break;
	case SMFIS_SKIP:
		code = (ctx->proto & SMFIP_SKIP) ? SMFIR_SKIP : SMFIR_CONTINUE;
		break;
	default:			/* CONTINUE, NOREPLY where a reply is due */
		break;
	}
	free(ctx->reply);
	ctx->reply = NULL;
	return (mproto_send(ctx, code, NULL, NULL, 0));
}

/* mproto_connect - CONNECT: host, family, port, address; xxfi_connect() */
static sfsistat
mproto_connect(SMFICTX *ctx, char *data, size_t len, int *bad)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
	}	addr;
	struct sockaddr *sa = NULL;
	size_t	hlen;
	char	family;
	uint16_t port;

	*bad = 1;
	if (len < 2 || memchr(data, 0, len) == NULL)
		return (SMFIS_TEMPFAIL);
	hlen = strlen(data) + 1;
	if (hlen >= len)
		return (SMFIS_TEMPFAIL);
	family = data[hlen];
	memset(&addr, 0, sizeof(addr));
	if ((family == SMFIA_INET || family == SMFIA_INET6) && len >= hlen + 4
	    && data[len - 1] == 0) {
		const char *ip = data + hlen + 3;

		memcpy(&port, data + hlen + 1, 2);
		if (family == SMFIA_INET && inet_pton(AF_INET, ip, &addr.sin.sin_addr) == 1) {
			addr.sin.sin_family = AF_INET;
			addr.sin.sin_port = port;
			sa = &addr.sa;
		} else if (family == SMFIA_INET6) {
			if (strncmp(ip, "IPv6:", 5) == 0)
				ip += 5;
			if (inet_pton(AF_INET6, ip, &addr.sin6.sin6_addr) == 1) {
				addr.sin6.sin6_family = AF_INET6;
				addr.sin6.sin6_port = port;
				sa = &addr.sa;
			}
		}
	}
	*bad = 0;
	if (mproto_desc.xxfi_connect == NULL)
		return (SMFIS_CONTINUE);
	return (mproto_desc.xxfi_connect(ctx, data, sa));
}

/* mproto_args - MAIL or RCPT: the callback with the argument vector */
static sfsistat
mproto_args(SMFICTX *ctx, sfsistat (*fn)(SMFICTX *, char **), char *data, size_t len, int *bad)
{
	char   *argv[MPROTO_MAX_ARGS + 1];

	*bad = mproto_strings(data, len, argv, MPROTO_MAX_ARGS) < 1;
	if (*bad || fn == NULL)
		return (SMFIS_CONTINUE);
	return (fn(ctx, argv));
}

/* mproto_command - one command other than OPTNEG and MACRO; 1 go on, 0 end, -1 error */
static int
mproto_command(SMFICTX *ctx, char cmd, char *data, size_t len)
{
	const struct smfiDesc *d = &mproto_desc;
	sfsistat r = SMFIS_CONTINUE;
	char   *argv[3];
	int	bad = 0;

	switch (cmd) {
	case SMFIC_CONNECT:
		r = mproto_connect(ctx, data, len, &bad);
		break;
	case SMFIC_HELO:
		bad = mproto_strings(data, len, argv, 1) != 1;
		if (!bad && d->xxfi_helo)
			r = d->xxfi_helo(ctx, argv[0]);
		break;
	case SMFIC_MAIL:
		mproto_clear_macros(ctx, 0);
		r = mproto_args(ctx, d->xxfi_envfrom, data, len, &bad);
		break;
	case SMFIC_RCPT:
		r = mproto_args(ctx, d->xxfi_envrcpt, data, len, &bad);
		break;
	case SMFIC_DATA:
		if (d->xxfi_data)
			r = d->xxfi_data(ctx);
		break;
	case SMFIC_HEADER:
		bad = mproto_strings(data, len, argv, 2) != 2;
		if (!bad && d->xxfi_header)
			r = d->xxfi_header(ctx, argv[0], argv[1]);
		break;
	case SMFIC_EOH:
		if (d->xxfi_eoh)
			r = d->xxfi_eoh(ctx);
		break;
	case SMFIC_BODY:
		if (d->xxfi_body)
			r = d->xxfi_body(ctx, (unsigned char *) data, len);
		break;
	case SMFIC_BODYEOB:
		if (len > 0 && d->xxfi_body
		    && (r = d->xxfi_body(ctx, (unsigned char *) data, len)) != SMFIS_CONTINUE
		    && r != SMFIS_NOREPLY)
			break;
		r = SMFIS_CONTINUE;
		ctx->in_eom = 1;
		if (d->xxfi_eom)
			r = d->xxfi_eom(ctx);
		ctx->in_eom = 0;
		break;
	case SMFIC_UNKNOWN:
		bad = mproto_strings(data, len, argv, 1) != 1;
		if (!bad && d->xxfi_unknown)
			r = d->xxfi_unknown(ctx, argv[0]);
		break;
	case SMFIC_ABORT:
		if (d->xxfi_abort)
			(void) d->xxfi_abort(ctx);
		mproto_clear_macros(ctx, 1);
		free(ctx->reply);
		ctx->reply = NULL;
		return (1);		/* no reply */
	case SMFIC_QUIT:
		return (0);
	default:
		log_warning("milter protocol: unknown command 0x%02x: closing the connection",
			    (unsigned char) cmd);
		return (-1);
	}
	if (bad) {
		log_warning("milter protocol: malformed command '%c': closing the connection", cmd);
		return (-1);
	}
	return (mproto_answer(ctx, cmd, r) < 0 ? -1 : 1);
}

/* mproto_reset - a connection ends: xxfi_close(), forget its macros, symbol lists, reply */
static void
mproto_reset(SMFICTX *ctx)
{
	if (mproto_desc.xxfi_close)
		(void) mproto_desc.xxfi_close(ctx);
	ctx->priv = NULL;
	for (int i = 0; i < MPROTO_NSTEPS; i++) {
		free(ctx->macbuf[i]);
		ctx->macbuf[i] = NULL;
		ctx->maclen[i] = 0;
	}
	free(ctx->reply);
	ctx->reply = NULL;
	ctx->outlen = 0;
}

/* mproto_session - serve the connection FD until it ends; closes it */
void
mproto_session(SMFICTX *ctx, int fd)
{
	struct timeval tv = {.tv_sec = mproto_timeout};
	int	rc = 1;

	ctx->fd = fd;
	ctx->start = ctx->end = 0;
	ctx->actions = ctx->proto = 0;
	/* the reads' timeout; the writes wait for room in mproto_flush() */
	(void) setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (rc > 0) {
		char	cmd, *data;
		size_t	len;

		if (mproto_next(ctx, &cmd, &data, &len) < 0)
			break;
		switch (cmd) {
		case SMFIC_OPTNEG:
			rc = mproto_optneg(ctx, data, len) < 0 ? -1 : 1;
			break;
		case SMFIC_MACRO:
			if ((rc = mproto_macros(ctx, data, len) < 0 ? -1 : 1) < 0)
				log_warning("milter protocol: malformed macros: closing the connection");
			break;
		case SMFIC_QUIT_NC:
			/* the MTA keeps the socket for a new SMTP connection */
			mproto_reset(ctx);
			break;
		default:
			rc = mproto_command(ctx, cmd, data, len);
			break;
		}
	}
	mproto_reset(ctx);
	for (int i = 0; i < MPROTO_NSTEPS; i++) {
		free(ctx->symlist[i]);
		ctx->symlist[i] = NULL;
	}
	(void) close(fd);
	if (ctx->outcap > MPROTO_OUT_MAX) {	/* and what many modifications took */
		free(ctx->out);
		ctx->out = NULL;
		ctx->outcap = 0;
	}
	if (ctx->cap > MPROTO_BUF_START) {	/* give back what a large packet took */
		char   *nb = realloc(ctx->buf, MPROTO_BUF_START);

		if (nb != NULL) {
			ctx->buf = nb;
			ctx->cap = MPROTO_BUF_START;
		}
	}
}

/* mproto_ctx_new - a context for connections; NULL when out of memory; free with mproto_ctx_free() */
SMFICTX *
mproto_ctx_new(void)
{
	SMFICTX *ctx = calloc(1, sizeof(*ctx));

	if (ctx == NULL || (ctx->buf = malloc(MPROTO_BUF_START)) == NULL) {
		free(ctx);
		return (NULL);
	}
	ctx->cap = MPROTO_BUF_START;
	return (ctx);
}

/* mproto_ctx_free - free CTX (between sessions) */
void
mproto_ctx_free(SMFICTX *ctx)
{
	if (ctx == NULL)
		return;
	free(ctx->out);
	free(ctx->buf);
	free(ctx);
}

