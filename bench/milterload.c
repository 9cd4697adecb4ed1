/*
 * NAME
 *	milterload 1
 * SUMMARY
 *	milter protocol load driver: replay a corpus, measure, check verdicts
 * SYNOPSIS
 *	milterload [-c conns] [-n count] [-t seconds] [-m per_session]
 *		[-d dir] [-e expectations] [-f from] [-r rcpt]... [-x finals]
 *		[-C client] [-P pid] [-o outdir] [-R rate] [-T timeout] [-K] [-q]
 *		socket
 * DESCRIPTION
 *	milterload speaks the Sendmail 8 milter protocol, version 6, as
 *	Postfix's smtpd does, to the milter listening on SOCKET
 *	(unix:PATH, local:PATH, /PATH or inet:PORT@HOST). It replays the
 *	corpus of DIR (see corpus(3h): .eml files, a MANIFEST of envelopes,
 *	expected verdicts) over CONNS concurrent connections (one thread
 *	each) until COUNT messages were sent or SECONDS have passed; with
 *	-n equal to the corpus size every message is sent exactly once.
 *
 *	Per milter session it sends OPTNEG, CONNECT (from CLIENT, by
 *	default a Gmail outbound host: the mail comes from outside) and
 *	HELO; per message MAIL, RCPT (each envelope recipient), DATA, one
 *	HEADER per header, EOH, BODY chunks of at most 65535 bytes and EOM,
 *	then reads the modification replies up to the final one, then ABORT
 *	(Postfix resets every milter after a transaction). After PER_SESSION
 *	messages the session ends with QUIT and the socket is closed, as
 *	Postfix opens one milter connection per SMTP connection. Macros
 *	are sent as Postfix defines them, filtered by the symbol lists the
 *	milter asks for. Steps the milter negotiated away (SMFIP_NO*) are
 *	not sent; steps it asked not to answer (SMFIP_NR_*) are not waited
 *	for; SMFIR_SKIP ends the body; a final reply before end of message
 *	ends the message there, as in Postfix ("accept" at CONNECT accepts
 *	every message of the session without sending it).
 *
 *	Every reply is checked: its length, that its code is defined, that
 *	it may come at that step (modifications only at end of message, and
 *	only those the milter negotiated), and that its payload is well
 *	formed. With -e, each message's final reply, recipient changes and
 *	added headers are checked against its line of the expectation file;
 *	with -x, the final reply of each message must be one of the listed
 *	names (accept continue discard reject tempfail replycode). Anything
 *	else is counted as an error, and the first few are printed. A reply
 *	that matches only an acceptable alternative of its expectation (a
 *	safe verdict that is not the best one) is no error: it is counted
 *	as second_best, and the first few are printed as notes.
 *
 *	The report gives messages/s, latencies in ms as p50, p99 and max of
 *	the end-of-message step (EOM sent to final reply, for the messages
 *	that reached it), of the decision (the step that got the final
 *	reply, whatever it was) and of the whole message (MAIL to final
 *	reply), the histogram of replies and, with -P, the CPU time the
 *	milter process PID used during the run, in all and per message.
 *	With -K, one "CLASS" line per kind of message (corpus_class()).
 *	The last line is machine-readable: "RESULT key=value ...".
 *
 *	-R RATE paces the run (open loop): message number i is due at
 *	RATE messages per second from the start (i / RATE seconds in), and
 *	the connection that claims it waits until then. The latencies are
 *	then those of a milter at that offered load rather than at its
 *	saturation (a closed loop of CONNS connections measures the
 *	queue: by Little's law its mean latency is CONNS / throughput).
 *	How late each message started against its due time is reported
 *	(lag_p50, lag_p99, lag_max): a lag that grows means the milter
 *	could not keep up with RATE, and its latencies are those of
 *	saturation again.
 *
 *	-o OUTDIR writes each message as the milter left it, with the
 *	headers it added or inserted, into OUTDIR/NAME (the benchmark signs
 *	its corpus this way, through OpenDKIM in signing mode).
 *
 *	Options: -c connections (1..MAX_CONNS, default 16); -n messages
 *	(default 1000); -t seconds (with -n too, whichever comes first); -m
 *	messages per session (default 1); -d corpus directory (default
 *	"."); -e expectation file; -f envelope sender and -r recipient
 *	(repeatable) for a corpus without MANIFEST (defaults: the From
 *	address, noreply@ilinks.asia); -C "NAME [IP]" client; -P milter
 *	pid; -T I/O timeout in seconds (default 30); -q print only the
 *	RESULT line.
 * DIAGNOSTICS
 *	Exit status 0 when every message got a valid, expected reply; 1
 *	when some did not (the run completes and reports); EX_USAGE,
 *	EX_NOINPUT, EX_DATAERR, EX_OSERR, EX_CANTCREAT, EX_UNAVAILABLE (no
 *	connection ever succeeded) otherwise.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"

/* Milter protocol constants (Sendmail's mfdef.h; restated so that the
 * driver does not depend on libmilter). */
#define MILTER_VERSION		6
#define MILTER_CHUNK_SIZE	65535
#define SMFIC_ABORT	'A'
#define SMFIC_BODY	'B'
#define SMFIC_CONNECT	'C'
#define SMFIC_MACRO	'D'
#define SMFIC_BODYEOB	'E'
#define SMFIC_HELO	'H'
#define SMFIC_HEADER	'L'
#define SMFIC_MAIL	'M'
#define SMFIC_EOH	'N'
#define SMFIC_OPTNEG	'O'
#define SMFIC_QUIT	'Q'
#define SMFIC_RCPT	'R'
#define SMFIC_DATA	'T'

#define SMFIF_ADDHDRS	0x001u
#define SMFIF_CHGBODY	0x002u
#define SMFIF_ADDRCPT	0x004u
#define SMFIF_DELRCPT	0x008u
#define SMFIF_CHGHDRS	0x010u
#define SMFIF_QUARANTINE 0x020u
#define SMFIF_CHGFROM	0x040u
#define SMFIF_ADDRCPT_PAR 0x080u
#define SMFIF_SETSYMLIST 0x100u
#define ACTIONS_OFFERED	0x1ffu

#define SMFIP_NOCONNECT	0x00000001u
#define SMFIP_NOHELO	0x00000002u
#define SMFIP_NOMAIL	0x00000004u
#define SMFIP_NORCPT	0x00000008u
#define SMFIP_NOBODY	0x00000010u
#define SMFIP_NOHDRS	0x00000020u
#define SMFIP_NOEOH	0x00000040u
#define SMFIP_NR_HDR	0x00000080u
#define SMFIP_NOUNKNOWN	0x00000100u
#define SMFIP_NODATA	0x00000200u
#define SMFIP_SKIP	0x00000400u
#define SMFIP_RCPT_REJ	0x00000800u
#define SMFIP_NR_CONN	0x00001000u
#define SMFIP_NR_HELO	0x00002000u
#define SMFIP_NR_MAIL	0x00004000u
#define SMFIP_NR_RCPT	0x00008000u
#define SMFIP_NR_DATA	0x00010000u
#define SMFIP_NR_EOH	0x00040000u
#define SMFIP_NR_BODY	0x00080000u
#define SMFIP_HDR_LEADSPC 0x00100000u
/* What Postfix offers with milter_protocol = 6 (no SMFIP_MDS_*). */
#define PROTOCOL_OFFERED 0x001fffffu

/* Macro stages (SMFIM_*) in the order of a negotiated symbol list. */
enum stage { ST_CONNECT, ST_HELO, ST_MAIL, ST_RCPT, ST_DATA, ST_EOM, ST_EOH, ST_COUNT };

/* Limits. */
#define MAX_CONNS	256
#define MAX_RATE	1000000	/* -R: messages per second at most */
#define MAX_RCPTS	16
#define MAX_REPLY	(1024 * 1024 + 64)	/* one reply packet (SMFIP_MDS_1M) */
#define MAX_REPLIES_PER_STEP 100000		/* modifications before a final */
#define MAX_SYMLIST	1024
#define MAX_ADDR	CORPUS_ADDR_MAX
#define MAX_SAMPLES	(20 * 1000 * 1000)
#define MAX_ERRORS_SHOWN 10
#define MAX_NOTES_SHOWN	5
#define MAX_CLASSES	16
#define MAX_CLASS_NAME	32
#define MAX_CLIENT	256
#define DEFAULT_CONNS	16
#define DEFAULT_COUNT	1000
#define DEFAULT_TIMEOUT	30
#define DEFAULT_RCPT	"noreply@ilinks.asia"
#define DEFAULT_CLIENT	"mail-wr1-f41.google.com [209.85.221.41]"
#define OUTBUF_SIZE	(256 * 1024)
#define INBUF_SIZE	(64 * 1024)
#define CONNECT_RETRY_US 10000

/* Final replies and modifications, for the histogram. */
enum outcome {
	OC_ACCEPT, OC_CONTINUE, OC_DISCARD, OC_REJECT, OC_TEMPFAIL,
	OC_REPLY4, OC_REPLY5, OC_SHUTDOWN, OC_CONNFAIL, OC_ERROR, OC_COUNT
};
static const char *const outcome_names[OC_COUNT] = {
	"accept", "continue", "discard", "reject", "tempfail",
	"replycode4xx", "replycode5xx", "shutdown", "connfail", "error"
};

enum modif {
	MD_ADDRCPT, MD_ADDRCPT_PAR, MD_DELRCPT, MD_ADDHEADER, MD_INSHEADER,
	MD_CHGHEADER, MD_REPLBODY, MD_CHGFROM, MD_QUARANTINE, MD_PROGRESS,
	MD_SKIP, MD_COUNT
};
static const char *const modif_names[MD_COUNT] = {
	"addrcpt", "addrcpt_par", "delrcpt", "addheader", "insheader",
	"chgheader", "replbody", "chgfrom", "quarantine", "progress", "skip"
};

/* Latency samples in microseconds. Owned by one thread. */
struct samples {
	uint32_t *v;
	size_t	n;
	size_t	cap;
};

/* Latencies of one kind of message. */
struct lat {
	struct samples eom;		/* EOM sent to final reply */
	struct samples dec;		/* the deciding step to its final reply */
	struct samples msg;		/* MAIL to final reply */
};

/* A header the milter inserted (index >= 0) or added (index -1), for -o. */
struct added_hdr {
	long	index;
	char   *name;
	char   *value;
};

/* Per-thread state: one milter connection at a time. */
struct worker {
	pthread_t tid;
	unsigned id;
	int	fd;
	int	in_session;		/* OPTNEG done on fd */
	int	conn_accepted;		/* "accept" at CONNECT: skip the session */
	uint32_t conn_us;		/* latency of that accept (once) */
	uint32_t actions;		/* negotiated */
	uint32_t proto;			/* negotiated */
	char	symlist[ST_COUNT][MAX_SYMLIST];
	int	has_symlist[ST_COUNT];
	unsigned char *out;
	size_t	out_len;
	unsigned char *in;
	size_t	in_len;
	size_t	in_pos;
	unsigned char *pkt;		/* last reply payload */
	unsigned long long seq;
	struct lat all;
	struct lat cls[MAX_CLASSES];
	struct samples lag;		/* -R: start against the due time */
	struct corpus_result res;	/* what the milter did to this message */
	struct added_hdr *added;	/* -o: headers to write */
	size_t	nadded;
	unsigned long long done;
	unsigned long long bad;		/* valid replies that were not expected */
	unsigned long long second;	/* replies that matched an alternative */
	unsigned long long sessions;
	unsigned long long outcomes[OC_COUNT];
	unsigned long long modifs[MD_COUNT];
	unsigned long long bytes;
	int	ever_connected;
};

/* Run parameters; read-only once the threads start. */
static struct {
	const char *socket_spec;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	unsigned conns;
	unsigned long long count;
	double	seconds;
	unsigned per_session;
	const char *dir;
	const char *expect_file;
	const char *outdir;
	const char *from;
	const char *rcpts[MAX_RCPTS];
	size_t	nrcpts;
	unsigned allowed;		/* bit per enum outcome; 0 = any valid */
	char	client_name[MAX_CLIENT];
	char	client_ip[64];
	char	client_macro[MAX_CLIENT + 80];
	long	milter_pid;		/* -P; 0: none */
	int	per_class;
	int	timeout;
	int	quiet;
	struct corpus corpus;
	char	classes[MAX_CLASSES][MAX_CLASS_NAME];
	size_t	nclasses;
	size_t *msg_class;		/* class index of each message */
	struct timespec deadline;
	double	rate;			/* -R: messages per second; 0: closed loop */
	struct timespec start;		/* the run's start: message 0 is due then */
} cfg;

static atomic_ullong tickets;		/* message attempts claimed */
static atomic_uint errors_shown;
static atomic_uint notes_shown;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

/* usage - the synopsis and options */
static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: milterload [-c conns] [-n count] [-t seconds] [-m per_session]\n"
		"                  [-d dir] [-e expectations] [-f from] [-r rcpt]... [-x finals]\n"
		"                  [-C client] [-P pid] [-o outdir] [-R rate] [-T timeout] [-K] [-q]\n"
		"                  socket\n"
		"  socket     unix:PATH, local:PATH, /PATH or inet:PORT@HOST\n"
		"  -c N       concurrent connections (default %d, at most %d)\n"
		"  -n N       messages to send (default %d)\n"
		"  -t SECS    stop after SECS seconds\n"
		"  -m N       messages per milter session (default 1, like Postfix)\n"
		"  -d DIR     corpus: .eml files, MANIFEST of envelopes (default .)\n"
		"  -e FILE    expected verdict of each message (see corpus.h)\n"
		"  -f ADDR    envelope sender without MANIFEST (default: the From address)\n"
		"  -r ADDR    recipient without MANIFEST, repeatable (default %s)\n"
		"  -x LIST    allowed final replies: accept,continue,discard,reject,\n"
		"             tempfail,replycode (default: any valid reply)\n"
		"  -C CLIENT  \"NAME [IP]\" of the SMTP client (default \"%s\")\n"
		"  -P PID     report the CPU time of the milter process PID\n"
		"  -o DIR     write each message with the headers the milter added\n"
		"  -R RATE    open loop: RATE messages per second in all, each due at its time\n"
		"  -T SECS    I/O timeout (default %d)\n"
		"  -K         latencies per kind of message (CLASS lines)\n"
		"  -q         print only the RESULT line (and CLASS lines)\n",
		DEFAULT_CONNS, MAX_CONNS, DEFAULT_COUNT, DEFAULT_RCPT, DEFAULT_CLIENT,
		DEFAULT_TIMEOUT);
}

/* xmalloc - malloc or exit */
static void *xmalloc(size_t n)
{
	void   *p = malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "milterload: out of memory\n");
		exit(EX_OSERR);
	}
	return p;
}

/* ts_diff - B - A in seconds */
static double ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (double) (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

/* elapsed_us - microseconds since T0 */
static uint32_t elapsed_us(const struct timespec *t0)
{
	struct timespec t1;
	double	d;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	d = ts_diff(t0, &t1) * 1e6;
	return d > 4e9 ? UINT32_MAX : (uint32_t) d;
}

/* samples_add - record one latency (dropped beyond MAX_SAMPLES) */
static void samples_add(struct samples *s, uint32_t us)
{
	if (s->n == s->cap) {
		size_t	ncap = s->cap ? s->cap * 2 : 4096;
		uint32_t *nv;

		if (s->n >= MAX_SAMPLES)
			return;
		nv = realloc(s->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return;			/* keep what we have */
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = us;
}

/* worker_error - report one error, with context, for the first few */
static void worker_error(struct worker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void worker_error(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	if (atomic_fetch_add(&errors_shown, 1) >= MAX_ERRORS_SHOWN)
		return;
	pthread_mutex_lock(&print_lock);
	fprintf(stderr, "milterload: conn %u: ", w->id);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&print_lock);
}

/* ---- socket ---- */

/* parse_socket - SPEC into cfg.addr */
static int parse_socket(const char *spec)
{
	memset(&cfg.addr, 0, sizeof(cfg.addr));
	if (strncmp(spec, "unix:", 5) == 0 || strncmp(spec, "local:", 6) == 0 || spec[0] == '/') {
		struct sockaddr_un *sun = (struct sockaddr_un *) &cfg.addr;
		const char *path = spec[0] == '/' ? spec : strchr(spec, ':') + 1;

		if (strlen(path) >= sizeof(sun->sun_path) || *path == 0)
			return -1;
		sun->sun_family = AF_UNIX;
		strcpy(sun->sun_path, path);
		cfg.addrlen = sizeof(*sun);
		return 0;
	}
	if (strncmp(spec, "inet:", 5) == 0) {
		char	port[16], host[256];
		const char *at = strchr(spec + 5, '@');
		struct addrinfo hints, *res;
		size_t	plen;

		if (at == NULL || (plen = (size_t) (at - spec - 5)) == 0 || plen >= sizeof(port)
		    || strlen(at + 1) >= sizeof(host) || at[1] == 0)
			return -1;
		memcpy(port, spec + 5, plen);
		port[plen] = 0;
		strcpy(host, at + 1);
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(host, port, &hints, &res) != 0)
			return -1;
		memcpy(&cfg.addr, res->ai_addr, res->ai_addrlen);
		cfg.addrlen = res->ai_addrlen;
		freeaddrinfo(res);
		return 0;
	}
	return -1;
}

/* sock_open - a new connection to the milter */
static int sock_open(struct worker *w)
{
	struct timeval tv;
	int	fd = socket(cfg.addr.ss_family, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	tv.tv_sec = cfg.timeout;
	tv.tv_usec = 0;
	(void) setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void) setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *) &cfg.addr, cfg.addrlen) < 0) {
		close(fd);
		return -1;
	}
	w->fd = fd;
	w->in_len = w->in_pos = 0;
	w->out_len = 0;
	w->in_session = 0;
	w->conn_accepted = 0;
	w->ever_connected = 1;
	return 0;
}

/* sock_close - close the connection, forget the session */
static void sock_close(struct worker *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->in_session = 0;
	w->conn_accepted = 0;
}

/* ---- packets out ---- */

/* out_flush - write the output buffer */
static int out_flush(struct worker *w)
{
	size_t	off = 0;

	while (off < w->out_len) {
		ssize_t	n = write(w->fd, w->out + off, w->out_len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			worker_error(w, "write: %s", n < 0 ? strerror(errno) : "closed");
			return -1;
		}
		off += (size_t) n;
		w->bytes += (size_t) n;
	}
	w->out_len = 0;
	return 0;
}

/* Packet body pieces: (ptr, len) pairs. */
struct piece {
	const void *p;
	size_t	len;
};

/* out_packet - queue one packet (large ones are written through) */
static int out_packet(struct worker *w, int cmd, const struct piece *pc, size_t npc)
{
	size_t	total = 1, i;
	uint32_t nlen;

	for (i = 0; i < npc; i++)
		total += pc[i].len;
	if (w->out_len + 4 + total > OUTBUF_SIZE && out_flush(w) < 0)
		return -1;
	if (4 + total > OUTBUF_SIZE) {
		/* Only body chunks can be this big: write through. */
		struct iovec iov[8];
		unsigned char hdr[5];
		size_t	want = 4 + total, got = 0;

		if (npc + 1 > 8)
			return -1;
		nlen = htonl((uint32_t) total);
		memcpy(hdr, &nlen, 4);
		hdr[4] = (unsigned char) cmd;
		iov[0].iov_base = hdr;
		iov[0].iov_len = 5;
		for (i = 0; i < npc; i++) {
			iov[i + 1].iov_base = (void *) pc[i].p;
			iov[i + 1].iov_len = pc[i].len;
		}
		while (got < want) {
			ssize_t	n = writev(w->fd, iov, (int) npc + 1);
			size_t	adv;

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				worker_error(w, "write: %s", n < 0 ? strerror(errno) : "closed");
				return -1;
			}
			got += (size_t) n;
			w->bytes += (size_t) n;
			adv = (size_t) n;
			for (i = 0; i <= npc && adv > 0; i++) {
				size_t	take = adv < iov[i].iov_len ? adv : iov[i].iov_len;

				iov[i].iov_base = (char *) iov[i].iov_base + take;
				iov[i].iov_len -= take;
				adv -= take;
			}
		}
		return 0;
	}
	nlen = htonl((uint32_t) total);
	memcpy(w->out + w->out_len, &nlen, 4);
	w->out[w->out_len + 4] = (unsigned char) cmd;
	w->out_len += 5;
	for (i = 0; i < npc; i++) {
		memcpy(w->out + w->out_len, pc[i].p, pc[i].len);
		w->out_len += pc[i].len;
	}
	return 0;
}

/* out_strings - queue a packet of NUL-terminated strings */
static int out_strings(struct worker *w, int cmd, const char *const *s, size_t n)
{
	struct piece pc[8];
	size_t	i;

	if (n > 8)
		return -1;
	for (i = 0; i < n; i++) {
		pc[i].p = s[i];
		pc[i].len = strlen(s[i]) + 1;
	}
	return out_packet(w, cmd, pc, n);
}

/* Is NAME in the milter's symbol list for STAGE (or no list given)? */
static int macro_wanted(const struct worker *w, enum stage st, const char *name)
{
	const char *p;
	size_t	n = strlen(name);

	if (!w->has_symlist[st])
		return 1;
	for (p = w->symlist[st]; *p;) {
		size_t	len;

		p += strspn(p, " ,");
		len = strcspn(p, " ,");
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		/* "{name}" and "name" are the same macro for one-letter names */
		if (len == n + 2 && p[0] == '{' && strncmp(p + 1, name, n) == 0)
			return 1;
		p += len;
	}
	return 0;
}

/* Send a SMFIC_MACRO for command CMD with pairs name, value, ..., NULL. */
static int out_macros(struct worker *w, enum stage st, int cmd, ...)
{
	unsigned char buf[2048];
	size_t	len = 0;
	const char *name, *value;
	va_list ap;
	struct piece pc;

	buf[len++] = (unsigned char) cmd;
	va_start(ap, cmd);
	while ((name = va_arg(ap, const char *)) != NULL) {
		size_t	nl, vl;

		value = va_arg(ap, const char *);
		if (!macro_wanted(w, st, name))
			continue;
		nl = strlen(name) + 1;
		vl = strlen(value) + 1;
		if (len + nl + vl > sizeof(buf))
			break;
		memcpy(buf + len, name, nl);
		len += nl;
		memcpy(buf + len, value, vl);
		len += vl;
	}
	va_end(ap);
	if (len == 1)
		return 0;
	pc.p = buf;
	pc.len = len;
	return out_packet(w, SMFIC_MACRO, &pc, 1);
}

/* ---- replies in ---- */

/* in_fill - read until NEED bytes are buffered */
static int in_fill(struct worker *w, size_t need)
{
	if (w->in_pos > 0 && w->in_len - w->in_pos < need) {
		memmove(w->in, w->in + w->in_pos, w->in_len - w->in_pos);
		w->in_len -= w->in_pos;
		w->in_pos = 0;
	}
	while (w->in_len - w->in_pos < need) {
		ssize_t	n = read(w->fd, w->in + w->in_len, INBUF_SIZE - w->in_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			worker_error(w, "read: %s", n < 0 ? strerror(errno) : "connection closed by milter");
			return -1;
		}
		w->in_len += (size_t) n;
	}
	return 0;
}

/* Read one reply packet: its code into *CMD, payload into w->pkt. */
static int in_packet(struct worker *w, int *cmd, size_t *len)
{
	uint32_t nlen;
	size_t	plen, got = 0;

	if (out_flush(w) < 0 || in_fill(w, 5) < 0)
		return -1;
	memcpy(&nlen, w->in + w->in_pos, 4);
	plen = ntohl(nlen);
	if (plen < 1 || plen > MAX_REPLY) {
		worker_error(w, "reply packet length %zu out of range", plen);
		return -1;
	}
	*cmd = w->in[w->in_pos + 4];
	w->in_pos += 5;
	*len = plen - 1;
	/* copy the payload out, in pieces when it exceeds the buffer */
	while (got < *len) {
		size_t	avail, take;

		if (w->in_pos == w->in_len) {
			w->in_pos = w->in_len = 0;
			if (in_fill(w, 1) < 0)
				return -1;
		}
		avail = w->in_len - w->in_pos;
		take = *len - got < avail ? *len - got : avail;
		memcpy(w->pkt + got, w->in + w->in_pos, take);
		w->in_pos += take;
		got += take;
	}
	w->pkt[*len] = 0;
	return 0;
}

/* Count the NUL-terminated strings filling P[0..LEN) exactly; -1 if
 * the payload does not end in NUL. */
static int count_strings(const unsigned char *p, size_t len)
{
	size_t	i;
	int	n = 0;

	if (len == 0 || p[len - 1] != 0)
		return -1;
	for (i = 0; i < len; i++)
		if (p[i] == 0)
			n++;
	return n;
}

/* header_name_ok - a printable header name without colon */
static int header_name_ok(const unsigned char *s)
{
	if (*s == 0)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s == ':' || *s >= 127)
			return 0;
	return 1;
}

/* replycode_ok - a well-formed "4xx"/"5xx" SMTP reply */
static int replycode_ok(const unsigned char *p, size_t len)
{
	if (count_strings(p, len) != 1 || len < 5)
		return 0;
	return (p[0] == '4' || p[0] == '5') && p[1] >= '0' && p[1] <= '9'
	    && p[2] >= '0' && p[2] <= '9' && (p[3] == ' ' || p[3] == '-');
}

/*
 * record_header - the milter added header NAME\0VALUE\0 (INDEX -1) or
 * inserted it at INDEX: remember it for the expectation and for -o.
 */
static void record_header(struct worker *w, long index, const char *nv)
{
	const char *value = nv + strlen(nv) + 1;
	struct added_hdr *a;

	corpus_result_header(&w->res, nv, value);
	if (cfg.outdir == NULL)
		return;
	a = realloc(w->added, (w->nadded + 1) * sizeof(*a));
	if (a == NULL)
		return;			/* written without it: verification will say */
	w->added = a;
	a = &w->added[w->nadded];
	a->index = index;
	if ((a->name = strdup(nv)) == NULL || (a->value = strdup(value)) == NULL) {
		free(a->name);
		return;
	}
	w->nadded++;
}

/* Step of the conversation a reply answers. */
enum step { STEP_CONNECT, STEP_HELO, STEP_MAIL, STEP_RCPT, STEP_DATA, STEP_HEADER,
	    STEP_EOH, STEP_BODY, STEP_EOM };
static const char *const step_names[] = { "CONNECT", "HELO", "MAIL", "RCPT", "DATA",
					  "HEADER", "EOH", "BODY", "EOM" };

/* Result of reading the replies to one step. */
enum verdict { V_CONTINUE, V_SKIP, V_FINAL, V_BROKEN };

/*
 * Read replies to STEP until a decision. At EOM, modification requests
 * come first and are validated against the negotiated actions. Sets
 * *OC to the final outcome for V_FINAL. V_BROKEN means the connection
 * cannot be trusted any more (an error was counted).
 */
static enum verdict read_step(struct worker *w, enum step step, enum outcome *oc)
{
	int	cmd, n;
	size_t	len;
	unsigned long i;
	const char *sn = step_names[step];

	for (i = 0; i < MAX_REPLIES_PER_STEP; i++) {
		if (in_packet(w, &cmd, &len) < 0)
			return V_BROKEN;
		switch (cmd) {
		case 'c':
		case 'a':
		case 'd':
		case 'r':
		case 't':
		case '4':
		case 'f':
		case 's':
		case 'p':
			if (len != 0) {
				worker_error(w, "%s: reply '%c' with %zu bytes of data", sn, cmd, len);
				return V_BROKEN;
			}
			break;
		default:
			break;
		}
		switch (cmd) {
		case 'c':
			if (step == STEP_EOM) {
				*oc = OC_CONTINUE;
				return V_FINAL;
			}
			return V_CONTINUE;
		case 'a':
			*oc = OC_ACCEPT;
			return V_FINAL;
		case 'd':
			if (step <= STEP_HELO) {
				worker_error(w, "%s: discard is not allowed for a connection", sn);
				return V_BROKEN;
			}
			*oc = OC_DISCARD;
			return V_FINAL;
		case 'r':
			*oc = OC_REJECT;
			return V_FINAL;
		case 't':
			*oc = OC_TEMPFAIL;
			return V_FINAL;
		case '4':
			*oc = OC_SHUTDOWN;
			return V_FINAL;
		case 'f':
			*oc = OC_CONNFAIL;
			return V_FINAL;
		case 'y':
			if (!replycode_ok(w->pkt, len)) {
				worker_error(w, "%s: malformed reply code \"%.40s\"", sn, (char *) w->pkt);
				return V_BROKEN;
			}
			*oc = w->pkt[0] == '4' ? OC_REPLY4 : OC_REPLY5;
			return V_FINAL;
		case 's':
			if (step != STEP_BODY || !(w->proto & SMFIP_SKIP)) {
				worker_error(w, "%s: SKIP outside the body or not negotiated", sn);
				return V_BROKEN;
			}
			w->modifs[MD_SKIP]++;
			return V_SKIP;
		case 'p':
			w->modifs[MD_PROGRESS]++;
			continue;
		default:
			break;
		}
		/* Everything else is a modification: only at end of message. */
		if (step != STEP_EOM) {
			worker_error(w, "%s: unexpected reply '%c' (0x%02x)", sn,
				     cmd >= 32 && cmd < 127 ? cmd : '?', cmd);
			return V_BROKEN;
		}
		n = count_strings(w->pkt, len);
		switch (cmd) {
		case '+':
			if (!(w->actions & SMFIF_ADDRCPT) || n != 1 || w->pkt[0] == 0)
				goto bad;
			w->modifs[MD_ADDRCPT]++;
			corpus_result_rcpt(&w->res, '+', (char *) w->pkt);
			break;
		case '2':
			if (!(w->actions & SMFIF_ADDRCPT_PAR) || n < 1 || n > 2 || w->pkt[0] == 0)
				goto bad;
			w->modifs[MD_ADDRCPT_PAR]++;
			corpus_result_rcpt(&w->res, '+', (char *) w->pkt);
			break;
		case '-':
			if (!(w->actions & SMFIF_DELRCPT) || n != 1 || w->pkt[0] == 0)
				goto bad;
			w->modifs[MD_DELRCPT]++;
			corpus_result_rcpt(&w->res, '-', (char *) w->pkt);
			break;
		case 'h':
			if (!(w->actions & SMFIF_ADDHDRS) || n != 2 || !header_name_ok(w->pkt))
				goto bad;
			w->modifs[MD_ADDHEADER]++;
			record_header(w, -1, (char *) w->pkt);
			break;
		case 'i':
		case 'm':
			if (!(w->actions & (cmd == 'i' ? SMFIF_ADDHDRS : SMFIF_CHGHDRS))
			    || len < 6 || count_strings(w->pkt + 4, len - 4) != 2
			    || !header_name_ok(w->pkt + 4))
				goto bad;
			w->modifs[cmd == 'i' ? MD_INSHEADER : MD_CHGHEADER]++;
			if (cmd == 'i') {
				uint32_t idx;

				memcpy(&idx, w->pkt, 4);
				record_header(w, (long) ntohl(idx), (char *) w->pkt + 4);
			}
			break;
		case 'b':
			if (!(w->actions & SMFIF_CHGBODY))
				goto bad;
			w->modifs[MD_REPLBODY]++;
			corpus_result_forbidden(&w->res, "replbody");
			break;
		case 'e':
			if (!(w->actions & SMFIF_CHGFROM) || n < 1 || n > 2 || w->pkt[0] == 0)
				goto bad;
			w->modifs[MD_CHGFROM]++;
			corpus_result_forbidden(&w->res, "chgfrom");
			break;
		case 'q':
			if (!(w->actions & SMFIF_QUARANTINE) || n != 1)
				goto bad;
			w->modifs[MD_QUARANTINE]++;
			corpus_result_forbidden(&w->res, "quarantine");
			break;
		default:
			worker_error(w, "%s: unknown reply code 0x%02x", sn, cmd);
			return V_BROKEN;
		}
		continue;
bad:
		worker_error(w, "%s: malformed or not negotiated modification '%c' (%zu bytes)",
			     sn, cmd, len);
		return V_BROKEN;
	}
	worker_error(w, "%s: more than %d replies without a decision", sn, MAX_REPLIES_PER_STEP);
	return V_BROKEN;
}

/* ---- the conversation ---- */

/*
 * optneg - negotiate on a new connection: read the milter's actions,
 * protocol flags and symbol lists. Returns -1 when the reply is bad.
 */
static int optneg(struct worker *w)
{
	uint32_t v[3], ver;
	int	cmd;
	size_t	len, off;
	struct piece pc;

	v[0] = htonl(MILTER_VERSION);
	v[1] = htonl(ACTIONS_OFFERED);
	v[2] = htonl(PROTOCOL_OFFERED);
	pc.p = v;
	pc.len = sizeof(v);
	if (out_packet(w, SMFIC_OPTNEG, &pc, 1) < 0 || in_packet(w, &cmd, &len) < 0)
		return -1;
	if (cmd != SMFIC_OPTNEG || len < 12) {
		worker_error(w, "OPTNEG: unexpected reply '%c' (%zu bytes)", cmd, len);
		return -1;
	}
	memcpy(&ver, w->pkt, 4);
	memcpy(&w->actions, w->pkt + 4, 4);
	memcpy(&w->proto, w->pkt + 8, 4);
	ver = ntohl(ver);
	w->actions = ntohl(w->actions);
	w->proto = ntohl(w->proto);
	if (ver < 2 || ver > MILTER_VERSION || (w->actions & ~ACTIONS_OFFERED)
	    || (w->proto & ~PROTOCOL_OFFERED)) {
		worker_error(w, "OPTNEG: version %u actions 0x%x protocol 0x%x beyond the offer",
			     ver, w->actions, w->proto);
		return -1;
	}
	/* optional symbol lists: (uint32 stage, string)* */
	memset(w->has_symlist, 0, sizeof(w->has_symlist));
	for (off = 12; off < len;) {
		uint32_t st;
		size_t	slen;

		if (len - off < 5 || !(w->actions & SMFIF_SETSYMLIST))
			goto badlist;
		memcpy(&st, w->pkt + off, 4);
		st = ntohl(st);
		off += 4;
		slen = strnlen((char *) w->pkt + off, len - off);
		if (st >= ST_COUNT || off + slen >= len || slen >= MAX_SYMLIST)
			goto badlist;
		memcpy(w->symlist[st], w->pkt + off, slen + 1);
		w->has_symlist[st] = 1;
		off += slen + 1;
	}
	w->in_session = 1;
	return 0;
badlist:
	worker_error(w, "OPTNEG: malformed symbol list");
	return -1;
}

/*
 * session_open - connect, negotiate, send CONNECT and HELO. An "accept"
 * at CONNECT sets w->conn_accepted: the MTA sends nothing more in that
 * session. Returns -1 when the connection broke or was refused.
 */
static int session_open(struct worker *w)
{
	unsigned char port[2] = {0x30, 0x39};	/* 12345, network order */
	enum outcome oc;
	enum verdict vd;

	if (w->fd < 0 && sock_open(w) < 0)
		return -1;
	if (!w->in_session && optneg(w) < 0)
		goto broken;
	w->sessions++;
	if (out_macros(w, ST_CONNECT, SMFIC_CONNECT, "j", "mx.ilinks.asia",
		       "{daemon_name}", "mx.ilinks.asia", "{daemon_addr}", "203.0.113.25",
		       "v", "Postfix 3.7.11", "_", cfg.client_macro,
		       "{client_addr}", cfg.client_ip, "{client_name}", cfg.client_name,
		       (char *) NULL) < 0)
		goto broken;
	if (!(w->proto & SMFIP_NOCONNECT)) {
		struct piece cp[4] = {
			{cfg.client_name, strlen(cfg.client_name) + 1},
			{"4", 1}, {port, 2}, {cfg.client_ip, strlen(cfg.client_ip) + 1}
		};

		if (out_packet(w, SMFIC_CONNECT, cp, 4) < 0)
			goto broken;
		if (!(w->proto & SMFIP_NR_CONN)) {
			struct timespec tc;

			clock_gettime(CLOCK_MONOTONIC, &tc);
			if ((vd = read_step(w, STEP_CONNECT, &oc)) == V_BROKEN)
				goto broken;
			if (vd == V_FINAL && oc == OC_ACCEPT) {
				w->conn_accepted = 1;
				w->conn_us = elapsed_us(&tc);
				return 0;
			}
			if (vd == V_FINAL) {
				worker_error(w, "CONNECT: the milter refused the connection (%s)",
					     outcome_names[oc]);
				goto broken;
			}
		}
	}
	if (!(w->proto & SMFIP_NOHELO)) {
		const char *helo[1] = {cfg.client_name};

		if (out_strings(w, SMFIC_HELO, helo, 1) < 0)
			goto broken;
		if (!(w->proto & SMFIP_NR_HELO)) {
			if ((vd = read_step(w, STEP_HELO, &oc)) == V_BROKEN)
				goto broken;
			if (vd == V_FINAL && oc == OC_ACCEPT) {
				w->conn_accepted = 1;
				return 0;
			}
			if (vd == V_FINAL) {
				worker_error(w, "HELO: the milter refused the connection (%s)",
					     outcome_names[oc]);
				goto broken;
			}
		}
	}
	return 0;
broken:
	sock_close(w);
	return -1;
}

/* session_close - QUIT and close, as Postfix does after each SMTP connection */
static void session_close(struct worker *w)
{
	if (w->fd < 0)
		return;
	(void) out_packet(w, SMFIC_QUIT, NULL, 0);
	(void) out_flush(w);
	sock_close(w);
}

/*
 * step_reply - the replies to a step that may have one; V_CONTINUE when
 * the milter does not answer it (NR_FLAG). *TD is when the wait began.
 */
static enum verdict step_reply(struct worker *w, enum step step, uint32_t nr_flag,
			       enum outcome *oc, struct timespec *td)
{
	if (w->proto & nr_flag)
		return V_CONTINUE;
	clock_gettime(CLOCK_MONOTONIC, td);
	return read_step(w, step, oc);
}

/* send_envelope - MAIL and RCPT; V_FINAL when the message ended there */
static enum verdict send_envelope(struct worker *w, const struct corpus_msg *m,
				  const char *qid, enum outcome *oc, struct timespec *td)
{
	char	buf[MAX_ADDR + 2];
	const char *from = m->has_mail_from ? m->mail_from : (cfg.from ? cfg.from : "");
	const char *const *rcpts = m->nrcpts ? (const char *const *) m->rcpts : cfg.rcpts;
	size_t	nrcpts = m->nrcpts ? m->nrcpts : cfg.nrcpts, i;
	int	any_rcpt = 0;
	enum verdict vd;

	snprintf(buf, sizeof(buf), "<%s>", from);
	if (out_macros(w, ST_MAIL, SMFIC_MAIL, "i", qid, "{mail_addr}", from,
		       "{mail_host}", "gmail-smtp-in.l.google.com", "{mail_mailer}", "smtp",
		       (char *) NULL) < 0)
		return V_BROKEN;
	if (!(w->proto & SMFIP_NOMAIL)) {
		const char *s[1] = {buf};

		if (out_strings(w, SMFIC_MAIL, s, 1) < 0)
			return V_BROKEN;
		if ((vd = step_reply(w, STEP_MAIL, SMFIP_NR_MAIL, oc, td)) != V_CONTINUE)
			return vd;
	}
	for (i = 0; i < nrcpts; i++) {
		snprintf(buf, sizeof(buf), "<%s>", rcpts[i]);
		if (out_macros(w, ST_RCPT, SMFIC_RCPT, "i", qid, "{rcpt_addr}", rcpts[i],
			       "{rcpt_host}", "", "{rcpt_mailer}", "virtual", (char *) NULL) < 0)
			return V_BROKEN;
		if (!(w->proto & SMFIP_NORCPT)) {
			const char *s[1] = {buf};

			if (out_strings(w, SMFIC_RCPT, s, 1) < 0)
				return V_BROKEN;
			if ((vd = step_reply(w, STEP_RCPT, SMFIP_NR_RCPT, oc, td)) == V_BROKEN)
				return vd;
			if (vd == V_FINAL) {
				/* a rejected recipient; accept/discard end the message */
				if (*oc == OC_ACCEPT || *oc == OC_DISCARD)
					return vd;
				continue;
			}
		}
		any_rcpt = 1;
	}
	return any_rcpt ? V_CONTINUE : V_FINAL;	/* every recipient refused */
}

/* send_content - DATA, headers, EOH, body; V_FINAL when the message ended */
static enum verdict send_content(struct worker *w, const struct corpus_msg *m,
				 const char *qid, enum outcome *oc, struct timespec *td)
{
	enum verdict vd;
	size_t	i, off;

	if (out_macros(w, ST_DATA, SMFIC_DATA, "i", qid, (char *) NULL) < 0)
		return V_BROKEN;
	if (!(w->proto & SMFIP_NODATA)) {
		if (out_packet(w, SMFIC_DATA, NULL, 0) < 0)
			return V_BROKEN;
		if ((vd = step_reply(w, STEP_DATA, SMFIP_NR_DATA, oc, td)) != V_CONTINUE)
			return vd;
	}
	for (i = 0; !(w->proto & SMFIP_NOHDRS) && i < m->nhdrs; i++) {
		const char *s[2] = {m->hdrs[i].name,
			(w->proto & SMFIP_HDR_LEADSPC) ? m->hdrs[i].value_lead : m->hdrs[i].value};

		if (out_strings(w, SMFIC_HEADER, s, 2) < 0)
			return V_BROKEN;
		if ((vd = step_reply(w, STEP_HEADER, SMFIP_NR_HDR, oc, td)) != V_CONTINUE)
			return vd;
	}
	if (out_macros(w, ST_EOH, SMFIC_EOH, "i", qid, (char *) NULL) < 0)
		return V_BROKEN;
	if (!(w->proto & SMFIP_NOEOH)) {
		if (out_packet(w, SMFIC_EOH, NULL, 0) < 0)
			return V_BROKEN;
		if ((vd = step_reply(w, STEP_EOH, SMFIP_NR_EOH, oc, td)) != V_CONTINUE)
			return vd;
	}
	for (off = 0; !(w->proto & SMFIP_NOBODY) && off < m->body_len; off += MILTER_CHUNK_SIZE) {
		struct piece pc;

		pc.p = m->body + off;
		pc.len = m->body_len - off < MILTER_CHUNK_SIZE ? m->body_len - off : MILTER_CHUNK_SIZE;
		if (out_packet(w, SMFIC_BODY, &pc, 1) < 0)
			return V_BROKEN;
		if ((vd = step_reply(w, STEP_BODY, SMFIP_NR_BODY, oc, td)) == V_SKIP)
			break;
		if (vd != V_CONTINUE)
			return vd;
	}
	return V_CONTINUE;
}

/* lat_add - record one message's latencies (EOM_US 0: did not reach EOM) */
static void lat_add(struct lat *l, uint32_t msg_us, uint32_t dec_us, int eom, uint32_t eom_us)
{
	samples_add(&l->msg, msg_us);
	samples_add(&l->dec, dec_us);
	if (eom)
		samples_add(&l->eom, eom_us);
}

/*
 * send_message - send message M (index MI); on return *OC is its outcome.
 * Returns -1 when the connection broke (outcome OC_ERROR).
 */
static int send_message(struct worker *w, size_t mi, enum outcome *oc)
{
	const struct corpus_msg *m = &cfg.corpus.msgs[mi];
	struct lat *cl = cfg.per_class ? &w->cls[cfg.msg_class[mi]] : NULL;
	char	qid[24];
	struct timespec t0, td, te;
	enum verdict vd;
	int	eom = 0;
	uint32_t eom_us = 0, dec_us, msg_us;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	td = t0;
	*oc = OC_ERROR;
	if (w->conn_accepted) {		/* the MTA sends nothing more */
		*oc = OC_ACCEPT;
		lat_add(&w->all, w->conn_us, w->conn_us, 0, 0);
		if (cl)
			lat_add(cl, w->conn_us, w->conn_us, 0, 0);
		w->conn_us = 0;		/* the next ones of the session cost nothing */
		return 0;
	}
	snprintf(qid, sizeof(qid), "%02X%010llX", w->id & 0xff, w->seq++ & 0xffffffffffULL);
	if ((vd = send_envelope(w, m, qid, oc, &td)) == V_BROKEN)
		return -1;
	if (vd == V_CONTINUE && (vd = send_content(w, m, qid, oc, &td)) == V_BROKEN)
		return -1;
	if (vd == V_CONTINUE) {
		if (out_macros(w, ST_EOM, SMFIC_BODYEOB, "i", qid, (char *) NULL) < 0
		    || out_packet(w, SMFIC_BODYEOB, NULL, 0) < 0)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &te);
		td = te;
		if ((vd = read_step(w, STEP_EOM, oc)) != V_FINAL) {
			if (vd != V_BROKEN)
				worker_error(w, "EOM: no final reply");
			return -1;
		}
		eom = 1;
		eom_us = elapsed_us(&te);
	}
	dec_us = elapsed_us(&td);
	msg_us = elapsed_us(&t0);
	lat_add(&w->all, msg_us, dec_us, eom, eom_us);
	if (cl)
		lat_add(cl, msg_us, dec_us, eom, eom_us);
	/* Postfix resets every milter after a transaction. */
	return out_packet(w, SMFIC_ABORT, NULL, 0) < 0 ? -1 : 0;
}

/* ---- -o: messages as the milter left them ---- */

/* write_header - NAME: VALUE with folds as in VALUE (LF line ends) */
static void write_header(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, "%s:", name);
	if (*value != ' ' && *value != '\t' && *value != '\n')
		fputc(' ', fp);
	for (; *value; value++)
		if (*value != '\r')
			fputc(*value, fp);
	fputc('\n', fp);
}

/* write_added - the added headers of index POS (-1: added at the end) */
static void write_added(struct worker *w, FILE *fp, long pos)
{
	for (size_t k = 0; k < w->nadded; k++)
		if (w->added[k].index == pos)
			write_header(fp, w->added[k].name, w->added[k].value);
}

/* write_output - message M with the headers the milter added, into cfg.outdir */
static int write_output(struct worker *w, const struct corpus_msg *m)
{
	char	path[4096];
	FILE   *fp;
	size_t	i;

	snprintf(path, sizeof(path), "%s/%s", cfg.outdir, m->name);
	if ((fp = fopen(path, "w")) == NULL) {
		worker_error(w, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < m->nhdrs; i++) {
		write_added(w, fp, (long) i);
		write_header(fp, m->hdrs[i].name, m->hdrs[i].value_lead);
	}
	/* inserted beyond the last header, then added at the end */
	for (size_t k = 0; k < w->nadded; k++)
		if (w->added[k].index >= (long) m->nhdrs)
			write_header(fp, w->added[k].name, w->added[k].value);
	write_added(w, fp, -1);
	fputc('\n', fp);
	for (i = 0; i < m->body_len; i++)
		if (m->body[i] != '\r' || i + 1 == m->body_len || m->body[i + 1] != '\n')
			fputc(m->body[i], fp);
	if (fclose(fp) != 0) {
		worker_error(w, "%s: write error", path);
		return -1;
	}
	return 0;
}

/* added_clear - forget the headers recorded for -o */
static void added_clear(struct worker *w)
{
	for (size_t k = 0; k < w->nadded; k++) {
		free(w->added[k].name);
		free(w->added[k].value);
	}
	w->nadded = 0;
}

/* ---- the run ---- */

/* time_is_up - has the -t deadline passed? */
static int time_is_up(void)
{
	struct timespec now;

	if (cfg.seconds <= 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return ts_diff(&now, &cfg.deadline) <= 0;
}

/* pace - -R: wait until message T is due; record how late it starts in W's lag */
static void pace(struct worker *w, unsigned long long t)
{
	struct timespec due = cfg.start, now;
	double	off = (double) t / cfg.rate;
	double	late;

	due.tv_sec += (time_t) off;
	due.tv_nsec += (long) ((off - (double) (time_t) off) * 1e9);
	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
		;
	clock_gettime(CLOCK_MONOTONIC, &now);
	late = ts_diff(&due, &now) * 1e6;
	samples_add(&w->lag, late > 0 ? (uint32_t) (late < 4e9 ? late : 4e9) : 0);
}

/* claim - the next message number for W (due, with -R), or -1 when the run is over */
static long long claim(struct worker *w)
{
	unsigned long long t;

	if (time_is_up())
		return -1;
	t = atomic_fetch_add(&tickets, 1);
	if (cfg.count && t >= cfg.count)
		return -1;
	if (cfg.rate > 0) {
		pace(w, t);
		if (time_is_up())
			return -1;
	}
	return (long long) t;
}

/* judge - count message MI's outcome OC and check it against what is expected */
static void judge(struct worker *w, size_t mi, enum outcome oc)
{
	const struct corpus_msg *m = &cfg.corpus.msgs[mi];
	char	why[1024];
	int	rc;

	w->outcomes[oc]++;
	w->done++;
	w->res.final = outcome_names[oc];
	if (cfg.allowed && !(cfg.allowed & (1u << oc))) {
		w->bad++;
		worker_error(w, "%s: final reply %s is not one of -x", m->name, outcome_names[oc]);
	} else if ((rc = corpus_expect_check(m, &w->res, why, sizeof(why))) < 0) {
		w->bad++;
		worker_error(w, "%s: %s", m->name, why);
	} else if (rc > 0) {
		w->second++;
		if (atomic_fetch_add(&notes_shown, 1) < MAX_NOTES_SHOWN)
			fprintf(stderr, "milterload: note: %s: second best: %s\n", m->name, why);
	}
	if (cfg.outdir && write_output(w, m) < 0)
		w->bad++;
}

/* worker_main - one connection's loop: claim, send, judge */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	long long t;
	unsigned in_sess = 0;

	while ((t = claim(w)) >= 0) {
		size_t	mi = (size_t) t % cfg.corpus.n;
		enum outcome oc;

		corpus_result_reset(&w->res);
		added_clear(w);
		if (in_sess == 0 && session_open(w) < 0) {
			w->outcomes[OC_ERROR]++;
			if (!w->ever_connected)
				worker_error(w, "cannot connect to %s: %s", cfg.socket_spec,
					     strerror(errno));
			usleep(CONNECT_RETRY_US);
			continue;
		}
		if (send_message(w, mi, &oc) < 0) {
			w->outcomes[OC_ERROR]++;
			worker_error(w, "message %s failed", cfg.corpus.msgs[mi].name);
			sock_close(w);
			in_sess = 0;
			continue;
		}
		judge(w, mi, oc);
		if (oc == OC_SHUTDOWN || oc == OC_CONNFAIL) {
			sock_close(w);
			in_sess = 0;
			continue;
		}
		if (++in_sess >= cfg.per_session) {
			session_close(w);
			in_sess = 0;
		}
	}
	if (in_sess)
		session_close(w);
	sock_close(w);
	added_clear(w);
	free(w->added);
	return NULL;
}

/* ---- report ---- */

/* cmp_u32 - qsort order of samples */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

	return x < y ? -1 : x > y;
}

/* percentiles - p50, p99 and max of S in ms (sorts S) */
static void percentiles(struct samples *s, double p[3])
{
	if (s->n == 0) {
		p[0] = p[1] = p[2] = 0;
		return;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_u32);
	p[0] = s->v[(s->n - 1) * 50 / 100] / 1000.0;
	p[1] = s->v[(s->n - 1) * 99 / 100] / 1000.0;
	p[2] = s->v[s->n - 1] / 1000.0;
}

/* merge - append the samples of SRC to DST and free SRC */
static void merge(struct samples *dst, struct samples *src)
{
	for (size_t i = 0; i < src->n; i++)
		samples_add(dst, src->v[i]);
	free(src->v);
	memset(src, 0, sizeof(*src));
}

/* lat_merge - merge every sample set of SRC into DST */
static void lat_merge(struct lat *dst, struct lat *src)
{
	merge(&dst->eom, &src->eom);
	merge(&dst->dec, &src->dec);
	merge(&dst->msg, &src->msg);
}

/* lat_print - " eom_n=.. eom_p50=.. ... msg_max=.." of L */
static void lat_print(struct lat *l)
{
	double	e[3], d[3], m[3];

	percentiles(&l->eom, e);
	percentiles(&l->dec, d);
	percentiles(&l->msg, m);
	printf(" eom_n=%zu eom_p50=%.3f eom_p99=%.3f eom_max=%.3f dec_p50=%.3f dec_p99=%.3f"
	       " dec_max=%.3f msg_p50=%.3f msg_p99=%.3f msg_max=%.3f", l->eom.n, e[0], e[1], e[2],
	       d[0], d[1], d[2], m[0], m[1], m[2]);
	free(l->eom.v);
	free(l->dec.v);
	free(l->msg.v);
}

/* proc_cpu_ms - user + system CPU time of process PID so far, ms; -1 if unknown */
static double proc_cpu_ms(long pid)
{
	char	path[64], buf[4096], *p;
	unsigned long ut, st;
	FILE   *fp;
	size_t	n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = 0;
	/* fields after the command name in parentheses: state is field 3 */
	if ((p = strrchr(buf, ')')) == NULL
	    || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double) (ut + st) * 1000.0 / (double) sysconf(_SC_CLK_TCK);
}

/* self_cpu_ms - this process's CPU time so far, ms */
static double self_cpu_ms(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0
	    + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

/* parse_allowed - the -x list into cfg.allowed */
static int parse_allowed(const char *list)
{
	char	buf[256], *tok, *save = NULL;

	if (strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		int	i, found = 0;

		if (strcmp(tok, "replycode") == 0) {
			cfg.allowed |= (1u << OC_REPLY4) | (1u << OC_REPLY5);
			continue;
		}
		for (i = 0; i < OC_ERROR; i++)
			if (strcmp(tok, outcome_names[i]) == 0) {
				cfg.allowed |= 1u << i;
				found = 1;
			}
		if (!found)
			return -1;
	}
	return cfg.allowed ? 0 : -1;
}

/* parse_ull - a bounded decimal option value */
static int parse_ull(const char *s, unsigned long long lo, unsigned long long hi,
		     unsigned long long *out)
{
	char   *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *s == 0 || *end || *s == '-' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* parse_client - "NAME [IP]" into cfg.client_* */
static int parse_client(const char *s)
{
	const char *lb = strchr(s, '['), *rb = lb ? strchr(lb, ']') : NULL;
	size_t	nl, il;

	if (lb == NULL || rb == NULL || lb == s)
		return -1;
	nl = (size_t) (lb - s);
	while (nl > 0 && s[nl - 1] == ' ')
		nl--;
	il = (size_t) (rb - lb - 1);
	if (nl == 0 || nl >= sizeof(cfg.client_name) || il == 0 || il >= sizeof(cfg.client_ip))
		return -1;
	memcpy(cfg.client_name, s, nl);
	cfg.client_name[nl] = 0;
	memcpy(cfg.client_ip, lb + 1, il);
	cfg.client_ip[il] = 0;
	snprintf(cfg.client_macro, sizeof(cfg.client_macro), "%s [%s]", cfg.client_name,
		 cfg.client_ip);
	return 0;
}

/* classify_corpus - the class of every message, for -K */
static int classify_corpus(void)
{
	cfg.msg_class = xmalloc(cfg.corpus.n * sizeof(*cfg.msg_class));
	for (size_t i = 0; i < cfg.corpus.n; i++) {
		char	name[MAX_CLASS_NAME];
		size_t	k;

		corpus_class(&cfg.corpus.msgs[i], name, sizeof(name));
		for (k = 0; k < cfg.nclasses && strcmp(cfg.classes[k], name) != 0; k++)
			;
		if (k == cfg.nclasses) {
			if (k == MAX_CLASSES) {
				fprintf(stderr, "milterload: more than %d kinds of message\n",
					MAX_CLASSES);
				return -1;
			}
			snprintf(cfg.classes[cfg.nclasses++], MAX_CLASS_NAME, "%s", name);
		}
		cfg.msg_class[i] = k;
	}
	return 0;
}

/* report - print the human report (unless -q), CLASS lines and the RESULT line */
static void report(struct worker *ws, double secs, double cpu_ms, double drv_ms)
{
	unsigned long long done = 0, errs = 0, second = 0, sessions = 0, bytes = 0;
	unsigned long long outcomes[OC_COUNT] = {0}, modifs[MD_COUNT] = {0};
	struct lat all, cls[MAX_CLASSES];
	struct samples lag;
	unsigned i, k;

	memset(&lag, 0, sizeof(lag));
	memset(&all, 0, sizeof(all));
	memset(cls, 0, sizeof(cls));
	for (i = 0; i < cfg.conns; i++) {
		done += ws[i].done;
		errs += ws[i].bad;
		second += ws[i].second;
		sessions += ws[i].sessions;
		bytes += ws[i].bytes;
		for (k = 0; k < OC_COUNT; k++)
			outcomes[k] += ws[i].outcomes[k];
		for (k = 0; k < MD_COUNT; k++)
			modifs[k] += ws[i].modifs[k];
		lat_merge(&all, &ws[i].all);
		merge(&lag, &ws[i].lag);
		for (k = 0; k < cfg.nclasses; k++)
			lat_merge(&cls[k], &ws[i].cls[k]);
	}
	errs += outcomes[OC_ERROR];
	if (!cfg.quiet) {
		printf("milterload: %s, %u connections, %u message(s) per session, corpus %zu file(s)\n",
		       cfg.socket_spec, cfg.conns, cfg.per_session, cfg.corpus.n);
		printf("  messages   %llu in %.2f s = %.1f msg/s, %llu sessions, %.1f MB sent\n",
		       done, secs, secs > 0 ? done / secs : 0.0, sessions, bytes / 1e6);
		printf("  errors     %llu\n", errs);
	}
	for (k = 0; k < cfg.nclasses; k++) {
		printf("CLASS class=%s msgs=%zu", cfg.classes[k], cls[k].msg.n);
		lat_print(&cls[k]);
		printf("\n");
	}
	printf("RESULT conns=%u msgs=%llu secs=%.3f rate=%.1f", cfg.conns, done, secs,
	       secs > 0 ? done / secs : 0.0);
	lat_print(&all);
	printf(" errors=%llu second_best=%llu", errs, second);
	if (cfg.rate > 0) {
		double	l[3];

		percentiles(&lag, l);
		printf(" offered=%.0f lag_p50=%.3f lag_p99=%.3f lag_max=%.3f", cfg.rate, l[0], l[1],
		       l[2]);
	}
	free(lag.v);
	if (cpu_ms >= 0)
		printf(" milter_cpu_ms=%.0f cpu_us_per_msg=%.1f", cpu_ms,
		       done ? cpu_ms * 1000.0 / (double) done : 0.0);
	printf(" driver_cpu_ms=%.0f", drv_ms);
	for (i = 0; i < OC_COUNT; i++)
		if (outcomes[i])
			printf(" %s=%llu", outcome_names[i], outcomes[i]);
	for (i = 0; i < MD_COUNT; i++)
		if (modifs[i])
			printf(" %s=%llu", modif_names[i], modifs[i]);
	printf("\n");
}

/* load - the corpus, its expectations, its classes; an exit status or 0 */
static int load(void)
{
	char	err[512];

	if (corpus_load(&cfg.corpus, cfg.dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "milterload: %s\n", err);
		return EX_NOINPUT;
	}
	if (cfg.expect_file
	    && corpus_load_expect(&cfg.corpus, cfg.expect_file, err, sizeof(err)) < 0) {
		fprintf(stderr, "milterload: %s\n", err);
		return EX_DATAERR;
	}
	for (size_t i = 0; i < cfg.corpus.n; i++)
		if (!cfg.corpus.msgs[i].has_mail_from && !cfg.from) {
			fprintf(stderr, "milterload: %s: no envelope sender (From, MANIFEST or -f)\n",
				cfg.corpus.msgs[i].path);
			return EX_DATAERR;
		}
	if (cfg.per_class && classify_corpus() < 0)
		return EX_DATAERR;
	if (cfg.outdir && mkdir(cfg.outdir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "milterload: %s: %s\n", cfg.outdir, strerror(errno));
		return EX_CANTCREAT;
	}
	return 0;
}

/* run - start the workers, wait for them, report; the exit status */
static int run(void)
{
	struct worker *ws = calloc(cfg.conns, sizeof(*ws));
	struct timespec t0, t1;
	double	cpu0 = -1, cpu1 = -1, drv0;
	int	connected = 0;
	unsigned i;

	if (ws == NULL)
		return EX_OSERR;
	if (cfg.milter_pid > 0)
		cpu0 = proc_cpu_ms(cfg.milter_pid);
	drv0 = self_cpu_ms();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cfg.start = t0;
	cfg.deadline = t0;
	cfg.deadline.tv_sec += (time_t) cfg.seconds;
	for (i = 0; i < cfg.conns; i++) {
		ws[i].id = i;
		ws[i].fd = -1;
		ws[i].out = xmalloc(OUTBUF_SIZE);
		ws[i].in = xmalloc(INBUF_SIZE);
		ws[i].pkt = xmalloc(MAX_REPLY + 1);
		if (pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0) {
			fprintf(stderr, "milterload: cannot start thread %u\n", i);
			exit(EX_OSERR);
		}
	}
	for (i = 0; i < cfg.conns; i++)
		pthread_join(ws[i].tid, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (cfg.milter_pid > 0 && cpu0 >= 0)
		cpu1 = proc_cpu_ms(cfg.milter_pid);
	report(ws, ts_diff(&t0, &t1), cpu1 >= 0 ? cpu1 - cpu0 : -1, self_cpu_ms() - drv0);
	for (i = 0; i < cfg.conns; i++) {
		connected |= ws[i].ever_connected;
		if (ws[i].bad || ws[i].outcomes[OC_ERROR])
			connected |= 2;
		free(ws[i].out);
		free(ws[i].in);
		free(ws[i].pkt);
	}
	free(ws);
	if (!(connected & 1))
		return EX_UNAVAILABLE;
	return (connected & 2) ? 1 : EX_OK;
}

/* options - parse the command line into cfg; an exit status, or -1 to go on */
static int options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	unsigned long long v;
	int	c, n_given = 0;

	while ((c = getopt_long(argc, argv, "c:n:t:m:d:e:f:r:x:C:P:o:R:T:KqhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'c':
			if (parse_ull(optarg, 1, MAX_CONNS, &v) < 0)
				goto badarg;
			cfg.conns = (unsigned) v;
			break;
		case 'n':
			if (parse_ull(optarg, 1, ~0ULL >> 2, &v) < 0)
				goto badarg;
			cfg.count = v;
			n_given = 1;
			break;
		case 't':
			if (parse_ull(optarg, 1, 86400, &v) < 0)
				goto badarg;
			cfg.seconds = (double) v;
			break;
		case 'm':
			if (parse_ull(optarg, 1, 1000000, &v) < 0)
				goto badarg;
			cfg.per_session = (unsigned) v;
			break;
		case 'd':
			cfg.dir = optarg;
			break;
		case 'e':
			cfg.expect_file = optarg;
			break;
		case 'f':
			if (strlen(optarg) >= MAX_ADDR)
				goto badarg;
			cfg.from = optarg;
			break;
		case 'r':
			if (cfg.nrcpts == MAX_RCPTS || strlen(optarg) >= MAX_ADDR || !*optarg)
				goto badarg;
			cfg.rcpts[cfg.nrcpts++] = optarg;
			break;
		case 'x':
			if (parse_allowed(optarg) < 0)
				goto badarg;
			break;
		case 'C':
			if (parse_client(optarg) < 0)
				goto badarg;
			break;
		case 'P':
			if (parse_ull(optarg, 1, 1ULL << 31, &v) < 0)
				goto badarg;
			cfg.milter_pid = (long) v;
			break;
		case 'o':
			cfg.outdir = optarg;
			break;
		case 'R':
			if (parse_ull(optarg, 1, MAX_RATE, &v) < 0)
				goto badarg;
			cfg.rate = (double) v;
			break;
		case 'T':
			if (parse_ull(optarg, 1, 3600, &v) < 0)
				goto badarg;
			cfg.timeout = (int) v;
			break;
		case 'K':
			cfg.per_class = 1;
			break;
		case 'q':
			cfg.quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		case 'V':
			printf("milterload (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EX_USAGE;
	}
	/* -t alone: run by time only */
	if (cfg.seconds > 0 && !n_given)
		cfg.count = 0;
	cfg.socket_spec = argv[optind];
	if (parse_socket(cfg.socket_spec) < 0) {
		fprintf(stderr, "milterload: bad socket \"%s\" (unix:PATH or inet:PORT@HOST)\n",
			cfg.socket_spec);
		return EX_USAGE;
	}
	if (cfg.nrcpts == 0)
		cfg.rcpts[cfg.nrcpts++] = DEFAULT_RCPT;
	return -1;
badarg:
	fprintf(stderr, "milterload: bad value for -%c: \"%s\"\n", c, optarg);
	usage(stderr);
	return EX_USAGE;
}

int	main(int argc, char **argv)
{
	int	ex;

	cfg.conns = DEFAULT_CONNS;
	cfg.count = DEFAULT_COUNT;
	cfg.per_session = 1;
	cfg.dir = ".";
	cfg.timeout = DEFAULT_TIMEOUT;
	(void) parse_client(DEFAULT_CLIENT);
	if ((ex = options(argc, argv)) >= 0)
		return ex;
	if ((ex = load()) != 0) {
		corpus_free(&cfg.corpus);
		return ex;
	}
	ex = run();
	corpus_free(&cfg.corpus);
	free(cfg.msg_class);
	return ex;
}
