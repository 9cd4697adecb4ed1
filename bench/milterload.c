/*
 * NAME
 *	milterload 1
 * SUMMARY
 *	milter protocol load driver: replay a corpus, measure, check replies
 * SYNOPSIS
 *	milterload [-c conns] [-n count | -t seconds] [-m per_session]
 *		[-d dir] [-f from] [-r rcpt]... [-x finals] [-T timeout] [-q]
 *		socket
 * DESCRIPTION
 *	milterload speaks the Sendmail 8 milter protocol, version 6, as
 *	Postfix's smtpd does, to the milter listening on SOCKET
 *	(unix:PATH, local:PATH, /PATH or inet:PORT@HOST). It replays the
 *	.eml files of DIR over CONNS concurrent connections (one thread
 *	each) until COUNT messages were sent or SECONDS have passed.
 *
 *	Per milter session it sends OPTNEG, CONNECT and HELO; per message
 *	MAIL, RCPT (once per -r), DATA, one HEADER per header, EOH, BODY
 *	chunks of at most 65535 bytes (CRLF line ends) and EOM, then reads
 *	the modification replies up to the final one, then ABORT (Postfix
 *	resets every milter after a transaction). After PER_SESSION
 *	messages the session ends with QUIT and the socket is closed, as
 *	Postfix opens one milter connection per SMTP connection.
 *	Macros are sent as Postfix's defaults define them (j, _, v,
 *	{daemon_name}, i, {mail_addr}, {rcpt_addr}, ...), filtered by the
 *	symbol lists the milter asks for. Steps the milter negotiated away
 *	(SMFIP_NO*) are not sent; steps it asked not to answer (SMFIP_NR_*)
 *	are not waited for; SMFIR_SKIP ends the body.
 *
 *	Every reply is checked: its length, that its code is defined, that
 *	it may come at that step (modifications only at end of message, and
 *	only those the milter negotiated), and that its payload is well
 *	formed (NUL-terminated strings, "4xx"/"5xx" reply codes, header
 *	names). With -x, the final reply of each message must be one of the
 *	listed names (accept continue discard reject tempfail replycode).
 *	Anything else is counted as an error, and the first few are printed.
 *
 *	The report gives messages/s, the latency of the end-of-message step
 *	(EOM sent to final reply) and of the whole message (MAIL to final
 *	reply) as p50, p99 and max, and the histogram of replies. The last
 *	line is machine-readable: "RESULT key=value ...".
 *
 *	Options: -c connections (1..MAX_CONNS, default 16); -n messages
 *	(default 1000); -t seconds (ends the run by time; with -n too,
 *	whichever comes first); -m messages per session (default 1); -d
 *	corpus directory (default "."); -f envelope sender (default: the
 *	address in each message's From header); -r recipient (repeatable,
 *	default noreply@ilinks.asia); -x allowed final replies,
 *	comma-separated; -T I/O timeout in seconds (default 30); -q print
 *	only the RESULT line.
 * DIAGNOSTICS
 *	Exit status 0 when every message got a valid, allowed reply; 1 when
 *	some did not (the run completes and reports); EX_USAGE, EX_NOINPUT,
 *	EX_OSERR, EX_UNAVAILABLE (no connection ever succeeded) otherwise.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

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
#define MAX_RCPTS	16
#define MAX_FILES	10000
#define MAX_FILE_SIZE	(64L * 1024 * 1024)	/* one corpus message */
#define MAX_HEADERS	1000
#define MAX_REPLY	(1024 * 1024 + 64)	/* one reply packet (SMFIP_MDS_1M) */
#define MAX_REPLIES_PER_STEP 100000		/* modifications before a final */
#define MAX_SYMLIST	1024
#define MAX_ADDR	512
#define MAX_SAMPLES	(20 * 1000 * 1000)
#define MAX_ERRORS_SHOWN 10
#define DEFAULT_CONNS	16
#define DEFAULT_COUNT	1000
#define DEFAULT_TIMEOUT	30
#define DEFAULT_RCPT	"noreply@ilinks.asia"
#define OUTBUF_SIZE	(256 * 1024)
#define INBUF_SIZE	(64 * 1024)
#define CONNECT_RETRY_US 10000

/* One corpus message, parsed once. */
struct header {
	char   *name;
	char   *value;			/* after ": ", Postfix-style */
	char   *value_lead;		/* after ":", for SMFIP_HDR_LEADSPC */
};

struct message {
	char   *path;
	struct header *hdrs;
	size_t	nhdrs;
	char   *body;			/* CRLF line ends */
	size_t	body_len;
	char	from[MAX_ADDR];		/* envelope sender from From: */
};

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

/* Per-thread state: one milter connection at a time. */
struct worker {
	pthread_t tid;
	unsigned id;
	int	fd;
	int	in_session;		/* OPTNEG done on fd */
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
	struct samples eom;
	struct samples msg;
	unsigned long long done;
	unsigned long long bad_final;	/* valid replies not allowed by -x */
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
	const char *from;
	const char *rcpts[MAX_RCPTS];
	size_t	nrcpts;
	unsigned allowed;		/* bit per enum outcome; 0 = any valid */
	int	timeout;
	int	quiet;
	struct message *msgs;
	size_t	nmsgs;
	struct timespec deadline;
} cfg;

static atomic_ullong tickets;		/* message attempts claimed */
static atomic_uint errors_shown;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: milterload [-c conns] [-n count | -t seconds] [-m per_session]\n"
		"                  [-d dir] [-f from] [-r rcpt]... [-x finals] [-T timeout]\n"
		"                  [-q] socket\n"
		"  socket     unix:PATH, local:PATH, /PATH or inet:PORT@HOST\n"
		"  -c N       concurrent connections (default %d, at most %d)\n"
		"  -n N       messages to send (default %d)\n"
		"  -t SECS    stop after SECS seconds\n"
		"  -m N       messages per milter session (default 1, like Postfix)\n"
		"  -d DIR     corpus of .eml files (default .)\n"
		"  -f ADDR    envelope sender (default: each message's From address)\n"
		"  -r ADDR    recipient, repeatable (default %s)\n"
		"  -x LIST    allowed final replies: accept,continue,discard,reject,\n"
		"             tempfail,replycode (default: any valid reply)\n"
		"  -T SECS    I/O timeout (default %d)\n"
		"  -q         print only the RESULT line\n",
		DEFAULT_CONNS, MAX_CONNS, DEFAULT_COUNT, DEFAULT_RCPT, DEFAULT_TIMEOUT);
}

static void *xmalloc(size_t n)
{
	void   *p = malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "milterload: out of memory\n");
		exit(EX_OSERR);
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char   *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

static double ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (double) (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

static uint32_t elapsed_us(const struct timespec *t0)
{
	struct timespec t1;
	double	d;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	d = ts_diff(t0, &t1) * 1e6;
	return d > 4e9 ? UINT32_MAX : (uint32_t) d;
}

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

/* Report one error, with context, for the first few. */
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

/* ---- corpus ---- */

/* Extract the bare address of a From: value into OUT ("" if none). */
static void addr_from_header(const char *v, char *out, size_t outlen)
{
	const char *lt = strchr(v, '<');
	const char *start, *end;
	size_t	n;

	if (lt != NULL && (end = strchr(lt, '>')) != NULL) {
		start = lt + 1;
	} else {
		start = v;
		while (*start == ' ' || *start == '\t')
			start++;
		end = start + strcspn(start, " \t\r\n");
	}
	n = (size_t) (end - start);
	if (n >= outlen || memchr(start, '@', n) == NULL)
		n = 0;
	memcpy(out, start, n);
	out[n] = 0;
}

/* Parse the text of one message: headers (unfolded into name/value,
 * folds kept as "\n" as Postfix sends them) and the body with CRLF. */
static int message_parse(struct message *m, const char *buf, size_t len)
{
	size_t	pos = 0;
	size_t	cap = 0;

	m->hdrs = NULL;
	m->nhdrs = 0;
	m->from[0] = 0;
	while (pos < len) {
		size_t	line_end, next, vstart, colon;
		char   *value;
		size_t	vlen = 0, vcap;

		line_end = pos;
		while (line_end < len && buf[line_end] != '\n')
			line_end++;
		next = line_end < len ? line_end + 1 : len;
		if (line_end > pos && buf[line_end - 1] == '\r')
			line_end--;
		if (line_end == pos) {		/* empty line: end of headers */
			pos = next;
			break;
		}
		if (buf[pos] == ' ' || buf[pos] == '\t' || m->nhdrs >= MAX_HEADERS)
			return -1;		/* stray continuation or too many */
		for (colon = pos; colon < line_end && buf[colon] != ':'; colon++)
			if (buf[colon] == ' ' || buf[colon] == '\t' || (unsigned char) buf[colon] < 33)
				break;
		if (colon >= line_end || buf[colon] != ':' || colon == pos)
			return -1;		/* not a header: not a message */
		vcap = 256;
		value = xmalloc(vcap);
		vstart = colon + 1;
		for (;;) {
			size_t	seg = line_end - vstart;

			while (vlen + seg + 2 > vcap) {
				vcap *= 2;
				if ((value = realloc(value, vcap)) == NULL) {
					fprintf(stderr, "milterload: out of memory\n");
					exit(EX_OSERR);
				}
			}
			memcpy(value + vlen, buf + vstart, seg);
			vlen += seg;
			/* continuation line? */
			if (next < len && (buf[next] == ' ' || buf[next] == '\t')) {
				value[vlen++] = '\n';
				vstart = next;
				line_end = next;
				while (line_end < len && buf[line_end] != '\n')
					line_end++;
				next = line_end < len ? line_end + 1 : len;
				if (line_end > vstart && buf[line_end - 1] == '\r')
					line_end--;
				continue;
			}
			break;
		}
		value[vlen] = 0;
		if (m->nhdrs == cap) {
			cap = cap ? cap * 2 : 16;
			m->hdrs = realloc(m->hdrs, cap * sizeof(*m->hdrs));
			if (m->hdrs == NULL) {
				fprintf(stderr, "milterload: out of memory\n");
				exit(EX_OSERR);
			}
		}
		m->hdrs[m->nhdrs].name = xstrndup(buf + pos, colon - pos);
		m->hdrs[m->nhdrs].value_lead = value;
		m->hdrs[m->nhdrs].value = value + (value[0] == ' ');
		if (m->from[0] == 0 && strcasecmp(m->hdrs[m->nhdrs].name, "From") == 0)
			addr_from_header(value, m->from, sizeof(m->from));
		m->nhdrs++;
		pos = next;
	}
	if (m->nhdrs == 0)
		return -1;

	/* Body with CRLF line ends: at most one extra byte per LF. */
	{
		size_t	rest = len - pos, i, o = 0;

		m->body = xmalloc(rest * 2 + 1);
		for (i = 0; i < rest; i++) {
			char	c = buf[pos + i];

			if (c == '\n' && (i == 0 || buf[pos + i - 1] != '\r'))
				m->body[o++] = '\r';
			m->body[o++] = c;
		}
		m->body_len = o;
	}
	return 0;
}

static int has_eml_suffix(const char *name)
{
	size_t	n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".eml") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Load every DIR/\*.eml, sorted by name so that runs are repeatable. */
static int corpus_load(const char *dir)
{
	DIR    *d = opendir(dir);
	struct dirent *de;
	char  **names = NULL;
	size_t	nnames = 0, i;
	int	ret = -1;

	if (d == NULL) {
		fprintf(stderr, "milterload: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	names = xmalloc(MAX_FILES * sizeof(*names));
	while ((de = readdir(d)) != NULL) {
		if (!has_eml_suffix(de->d_name))
			continue;
		if (nnames == MAX_FILES) {
			fprintf(stderr, "milterload: %s: more than %d .eml files\n", dir, MAX_FILES);
			goto fail;
		}
		names[nnames++] = strdup(de->d_name);
	}
	if (nnames == 0) {
		fprintf(stderr, "milterload: %s: no .eml files\n", dir);
		goto fail;
	}
	qsort(names, nnames, sizeof(*names), cmp_str);
	cfg.msgs = xmalloc(nnames * sizeof(*cfg.msgs));
	for (i = 0; i < nnames; i++) {
		char	path[4096];
		FILE   *fp;
		struct stat st;
		char   *buf;

		if (names[i] == NULL)
			goto fail;
		if ((size_t) snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path)) {
			fprintf(stderr, "milterload: %s: path too long\n", names[i]);
			goto fail;
		}
		if ((fp = fopen(path, "rb")) == NULL || fstat(fileno(fp), &st) < 0) {
			fprintf(stderr, "milterload: %s: %s\n", path, strerror(errno));
			if (fp)
				fclose(fp);
			goto fail;
		}
		if (!S_ISREG(st.st_mode) || st.st_size > MAX_FILE_SIZE) {
			fprintf(stderr, "milterload: %s: not a regular file or larger than %ld bytes\n",
				path, MAX_FILE_SIZE);
			fclose(fp);
			goto fail;
		}
		buf = xmalloc((size_t) st.st_size + 1);
		if (fread(buf, 1, (size_t) st.st_size, fp) != (size_t) st.st_size) {
			fprintf(stderr, "milterload: %s: short read\n", path);
			free(buf);
			fclose(fp);
			goto fail;
		}
		fclose(fp);
		if (message_parse(&cfg.msgs[cfg.nmsgs], buf, (size_t) st.st_size) < 0) {
			fprintf(stderr, "milterload: %s: not a message (bad header block)\n", path);
			free(buf);
			goto fail;
		}
		free(buf);
		cfg.msgs[cfg.nmsgs].path = strdup(path);
		cfg.nmsgs++;
	}
	ret = 0;
fail:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return ret;
}

static void corpus_free(void)
{
	size_t	i, j;

	for (i = 0; i < cfg.nmsgs; i++) {
		for (j = 0; j < cfg.msgs[i].nhdrs; j++) {
			free(cfg.msgs[i].hdrs[j].name);
			free(cfg.msgs[i].hdrs[j].value_lead);
		}
		free(cfg.msgs[i].hdrs);
		free(cfg.msgs[i].body);
		free(cfg.msgs[i].path);
	}
	free(cfg.msgs);
}

/* ---- socket ---- */

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
	w->ever_connected = 1;
	return 0;
}

static void sock_close(struct worker *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->in_session = 0;
}

/* ---- packets out ---- */

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

/* Packet body pieces: NULL-terminated list of (ptr, len) pairs. */
struct piece {
	const void *p;
	size_t	len;
};

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

static int header_name_ok(const unsigned char *s)
{
	if (*s == 0)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s == ':' || *s >= 127)
			return 0;
	return 1;
}

static int replycode_ok(const unsigned char *p, size_t len)
{
	if (count_strings(p, len) != 1 || len < 5)
		return 0;
	return (p[0] == '4' || p[0] == '5') && p[1] >= '0' && p[1] <= '9'
	    && p[2] >= '0' && p[2] <= '9' && (p[3] == ' ' || p[3] == '-');
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
			break;
		case '2':
			if (!(w->actions & SMFIF_ADDRCPT_PAR) || n < 1 || n > 2 || w->pkt[0] == 0)
				goto bad;
			w->modifs[MD_ADDRCPT_PAR]++;
			break;
		case '-':
			if (!(w->actions & SMFIF_DELRCPT) || n != 1 || w->pkt[0] == 0)
				goto bad;
			w->modifs[MD_DELRCPT]++;
			break;
		case 'h':
			if (!(w->actions & SMFIF_ADDHDRS) || n != 2 || !header_name_ok(w->pkt))
				goto bad;
			w->modifs[MD_ADDHEADER]++;
			break;
		case 'i':
		case 'm':
			if (!(w->actions & (cmd == 'i' ? SMFIF_ADDHDRS : SMFIF_CHGHDRS))
			    || len < 6 || count_strings(w->pkt + 4, len - 4) != 2
			    || !header_name_ok(w->pkt + 4))
				goto bad;
			w->modifs[cmd == 'i' ? MD_INSHEADER : MD_CHGHEADER]++;
			break;
		case 'b':
			if (!(w->actions & SMFIF_CHGBODY))
				goto bad;
			w->modifs[MD_REPLBODY]++;
			break;
		case 'e':
			if (!(w->actions & SMFIF_CHGFROM) || n < 1 || n > 2 || w->pkt[0] == 0)
				goto bad;
			w->modifs[MD_CHGFROM]++;
			break;
		case 'q':
			if (!(w->actions & SMFIF_QUARANTINE) || n != 1)
				goto bad;
			w->modifs[MD_QUARANTINE]++;
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

static int session_open(struct worker *w)
{
	uint32_t v[3];
	int	cmd;
	size_t	len, off;
	struct piece pc;
	unsigned char port[2] = {0x30, 0x39};	/* 12345, network order */
	uint32_t ver;
	enum outcome oc;
	enum verdict vd;

	if (w->fd < 0 && sock_open(w) < 0)
		return -1;
	if (!w->in_session) {
		v[0] = htonl(MILTER_VERSION);
		v[1] = htonl(ACTIONS_OFFERED);
		v[2] = htonl(PROTOCOL_OFFERED);
		pc.p = v;
		pc.len = sizeof(v);
		if (out_packet(w, SMFIC_OPTNEG, &pc, 1) < 0 || in_packet(w, &cmd, &len) < 0)
			goto broken;
		if (cmd != SMFIC_OPTNEG || len < 12) {
			worker_error(w, "OPTNEG: unexpected reply '%c' (%zu bytes)", cmd, len);
			goto broken;
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
			goto broken;
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
	}
	w->sessions++;

	if (out_macros(w, ST_CONNECT, SMFIC_CONNECT, "j", "mx.bench.invalid",
		       "{daemon_name}", "milterload", "{daemon_addr}", "127.0.0.1",
		       "v", "Postfix 3.7 (milterload)",
		       "_", "client.bench.invalid [127.0.0.1]", (char *) NULL) < 0)
		goto broken;
	if (!(w->proto & SMFIP_NOCONNECT)) {
		struct piece cp[4] = {
			{"client.bench.invalid", sizeof("client.bench.invalid")},
			{"4", 1}, {port, 2}, {"127.0.0.1", sizeof("127.0.0.1")}
		};

		if (out_packet(w, SMFIC_CONNECT, cp, 4) < 0)
			goto broken;
		if (!(w->proto & SMFIP_NR_CONN)) {
			if ((vd = read_step(w, STEP_CONNECT, &oc)) == V_BROKEN)
				goto broken;
			if (vd == V_FINAL) {
				worker_error(w, "CONNECT: the milter refused the connection (%s)",
					     outcome_names[oc]);
				goto broken;
			}
		}
	}
	if (!(w->proto & SMFIP_NOHELO)) {
		const char *helo[1] = {"client.bench.invalid"};

		if (out_strings(w, SMFIC_HELO, helo, 1) < 0)
			goto broken;
		if (!(w->proto & SMFIP_NR_HELO)) {
			if ((vd = read_step(w, STEP_HELO, &oc)) == V_BROKEN)
				goto broken;
			if (vd == V_FINAL) {
				worker_error(w, "HELO: the milter refused the connection (%s)",
					     outcome_names[oc]);
				goto broken;
			}
		}
	}
	return 0;
badlist:
	worker_error(w, "OPTNEG: malformed symbol list");
broken:
	sock_close(w);
	return -1;
}

/* End a session: QUIT and close, as Postfix does after each SMTP
 * connection (libmilter closes the socket after QUIT anyway). */
static void session_close(struct worker *w)
{
	if (w->fd < 0)
		return;
	(void) out_packet(w, SMFIC_QUIT, NULL, 0);
	(void) out_flush(w);
	sock_close(w);
}

/* A step that may have a reply: V_CONTINUE when the message goes on. */
static enum verdict step_reply(struct worker *w, enum step step, uint32_t nr_flag,
			       enum outcome *oc)
{
	if (w->proto & nr_flag)
		return V_CONTINUE;
	return read_step(w, step, oc);
}

/*
 * Send message M; on return *OC is its outcome. Returns -1 when the
 * connection broke (outcome OC_ERROR).
 */
static int send_message(struct worker *w, const struct message *m, enum outcome *oc)
{
	char	qid[24], from[MAX_ADDR + 2], rcpt[MAX_ADDR + 2];
	const char *env_from = cfg.from ? cfg.from : m->from;
	struct timespec t0, te;
	enum verdict vd;
	size_t	i, off;
	int	any_rcpt = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*oc = OC_ERROR;
	snprintf(qid, sizeof(qid), "%02X%010llX", w->id & 0xff, w->seq++ & 0xffffffffffULL);
	snprintf(from, sizeof(from), "<%s>", env_from);

	if (out_macros(w, ST_MAIL, SMFIC_MAIL, "i", qid, "{mail_addr}", env_from,
		       "{mail_host}", "example.vn", "{mail_mailer}", "smtp", (char *) NULL) < 0)
		return -1;
	if (!(w->proto & SMFIP_NOMAIL)) {
		const char *s[1] = {from};

		if (out_strings(w, SMFIC_MAIL, s, 1) < 0)
			return -1;
		if ((vd = step_reply(w, STEP_MAIL, SMFIP_NR_MAIL, oc)) == V_BROKEN)
			return -1;
		if (vd == V_FINAL)
			goto early;
	}
	for (i = 0; i < cfg.nrcpts; i++) {
		snprintf(rcpt, sizeof(rcpt), "<%s>", cfg.rcpts[i]);
		if (out_macros(w, ST_RCPT, SMFIC_RCPT, "i", qid, "{rcpt_addr}", cfg.rcpts[i],
			       "{rcpt_host}", "", "{rcpt_mailer}", "virtual", (char *) NULL) < 0)
			return -1;
		if (!(w->proto & SMFIP_NORCPT)) {
			const char *s[1] = {rcpt};

			if (out_strings(w, SMFIC_RCPT, s, 1) < 0)
				return -1;
			if ((vd = step_reply(w, STEP_RCPT, SMFIP_NR_RCPT, oc)) == V_BROKEN)
				return -1;
			if (vd == V_FINAL) {
				/* a rejected recipient; accept/discard end the message */
				if (*oc == OC_ACCEPT || *oc == OC_DISCARD)
					goto early;
				continue;
			}
		}
		any_rcpt = 1;
	}
	if (!any_rcpt)
		goto early;			/* every recipient refused */
	if (out_macros(w, ST_DATA, SMFIC_DATA, "i", qid, (char *) NULL) < 0)
		return -1;
	if (!(w->proto & SMFIP_NODATA)) {
		if (out_packet(w, SMFIC_DATA, NULL, 0) < 0)
			return -1;
		if ((vd = step_reply(w, STEP_DATA, SMFIP_NR_DATA, oc)) == V_BROKEN)
			return -1;
		if (vd == V_FINAL)
			goto early;
	}
	if (!(w->proto & SMFIP_NOHDRS)) {
		for (i = 0; i < m->nhdrs; i++) {
			const char *s[2] = {m->hdrs[i].name,
				(w->proto & SMFIP_HDR_LEADSPC) ? m->hdrs[i].value_lead : m->hdrs[i].value};

			if (out_macros(w, ST_EOH, SMFIC_HEADER, "i", qid, (char *) NULL) < 0
			    || out_strings(w, SMFIC_HEADER, s, 2) < 0)
				return -1;
			if ((vd = step_reply(w, STEP_HEADER, SMFIP_NR_HDR, oc)) == V_BROKEN)
				return -1;
			if (vd == V_FINAL)
				goto early;
		}
	}
	if (out_macros(w, ST_EOH, SMFIC_EOH, "i", qid, (char *) NULL) < 0)
		return -1;
	if (!(w->proto & SMFIP_NOEOH)) {
		if (out_packet(w, SMFIC_EOH, NULL, 0) < 0)
			return -1;
		if ((vd = step_reply(w, STEP_EOH, SMFIP_NR_EOH, oc)) == V_BROKEN)
			return -1;
		if (vd == V_FINAL)
			goto early;
	}
	if (!(w->proto & SMFIP_NOBODY)) {
		for (off = 0; off < m->body_len; off += MILTER_CHUNK_SIZE) {
			struct piece pc;

			pc.p = m->body + off;
			pc.len = m->body_len - off < MILTER_CHUNK_SIZE ? m->body_len - off
				: MILTER_CHUNK_SIZE;
			if (out_macros(w, ST_EOM, SMFIC_BODY, "i", qid, (char *) NULL) < 0
			    || out_packet(w, SMFIC_BODY, &pc, 1) < 0)
				return -1;
			if ((vd = step_reply(w, STEP_BODY, SMFIP_NR_BODY, oc)) == V_BROKEN)
				return -1;
			if (vd == V_SKIP)
				break;
			if (vd == V_FINAL)
				goto early;
		}
	}
	if (out_macros(w, ST_EOM, SMFIC_BODYEOB, "i", qid, (char *) NULL) < 0
	    || out_packet(w, SMFIC_BODYEOB, NULL, 0) < 0 || out_flush(w) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &te);
	if ((vd = read_step(w, STEP_EOM, oc)) != V_FINAL) {
		if (vd != V_BROKEN)
			worker_error(w, "EOM: no final reply");
		return -1;
	}
	samples_add(&w->eom, elapsed_us(&te));
early:
	samples_add(&w->msg, elapsed_us(&t0));
	/* Postfix resets every milter after a transaction. */
	if (out_packet(w, SMFIC_ABORT, NULL, 0) < 0)
		return -1;
	return 0;
}

static int time_is_up(void)
{
	struct timespec now;

	if (cfg.seconds <= 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return ts_diff(&now, &cfg.deadline) <= 0;
}

/* Claim the next message number, or -1 when the run is over. */
static long long claim(void)
{
	unsigned long long t;

	if (time_is_up())
		return -1;
	t = atomic_fetch_add(&tickets, 1);
	if (cfg.count && t >= cfg.count)
		return -1;
	return (long long) t;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	long long t;
	unsigned in_sess = 0;

	while ((t = claim()) >= 0) {
		const struct message *m = &cfg.msgs[(size_t) t % cfg.nmsgs];
		enum outcome oc;

		if (in_sess == 0 && session_open(w) < 0) {
			w->outcomes[OC_ERROR]++;
			if (!w->ever_connected)
				worker_error(w, "cannot connect to %s: %s", cfg.socket_spec,
					     strerror(errno));
			usleep(CONNECT_RETRY_US);
			continue;
		}
		if (send_message(w, m, &oc) < 0) {
			w->outcomes[OC_ERROR]++;
			pthread_mutex_lock(&print_lock);
			if (atomic_load(&errors_shown) <= MAX_ERRORS_SHOWN)
				fprintf(stderr, "milterload: conn %u: message %s failed\n",
					w->id, m->path);
			pthread_mutex_unlock(&print_lock);
			sock_close(w);
			in_sess = 0;
			continue;
		}
		w->outcomes[oc]++;
		w->done++;
		if (cfg.allowed && !(cfg.allowed & (1u << oc))) {
			w->bad_final++;
			worker_error(w, "%s: final reply %s is not one of -x", m->path,
				     outcome_names[oc]);
		}
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
	return NULL;
}

/* ---- report ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

	return x < y ? -1 : x > y;
}

static void percentiles(struct samples *s, double *p50, double *p99, double *max)
{
	if (s->n == 0) {
		*p50 = *p99 = *max = 0;
		return;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_u32);
	*p50 = s->v[(s->n - 1) * 50 / 100] / 1000.0;
	*p99 = s->v[(s->n - 1) * 99 / 100] / 1000.0;
	*max = s->v[s->n - 1] / 1000.0;
}

static void merge(struct samples *dst, const struct samples *src)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		samples_add(dst, src->v[i]);
}

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

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct worker *ws;
	struct samples eom = {0}, msg = {0};
	struct timespec t0, t1;
	unsigned long long v, done = 0, errs = 0, sessions = 0, bytes = 0;
	unsigned long long outcomes[OC_COUNT] = {0}, modifs[MD_COUNT] = {0};
	double	secs, e50, e99, emax, m50, m99, mmax;
	unsigned i;
	int	c, connected = 0, n_given = 0;

	cfg.conns = DEFAULT_CONNS;
	cfg.count = DEFAULT_COUNT;
	cfg.per_session = 1;
	cfg.dir = ".";
	cfg.timeout = DEFAULT_TIMEOUT;
	while ((c = getopt_long(argc, argv, "c:n:t:m:d:f:r:x:T:qhV", longopts, NULL)) != -1) {
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
		case 'T':
			if (parse_ull(optarg, 1, 3600, &v) < 0)
				goto badarg;
			cfg.timeout = (int) v;
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
	if (corpus_load(cfg.dir) < 0)
		return EX_NOINPUT;
	for (i = 0; i < cfg.nmsgs && !cfg.from; i++)
		if (cfg.msgs[i].from[0] == 0) {
			fprintf(stderr, "milterload: %s: no From address; use -f\n", cfg.msgs[i].path);
			corpus_free();
			return EX_DATAERR;
		}

	ws = calloc(cfg.conns, sizeof(*ws));
	if (ws == NULL)
		return EX_OSERR;
	clock_gettime(CLOCK_MONOTONIC, &t0);
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
			return EX_OSERR;
		}
	}
	for (i = 0; i < cfg.conns; i++)
		pthread_join(ws[i].tid, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = ts_diff(&t0, &t1);

	for (i = 0; i < cfg.conns; i++) {
		unsigned k;

		done += ws[i].done;
		errs += ws[i].bad_final;
		sessions += ws[i].sessions;
		bytes += ws[i].bytes;
		connected |= ws[i].ever_connected;
		for (k = 0; k < OC_COUNT; k++)
			outcomes[k] += ws[i].outcomes[k];
		for (k = 0; k < MD_COUNT; k++)
			modifs[k] += ws[i].modifs[k];
		merge(&eom, &ws[i].eom);
		merge(&msg, &ws[i].msg);
		free(ws[i].eom.v);
		free(ws[i].msg.v);
		free(ws[i].out);
		free(ws[i].in);
		free(ws[i].pkt);
	}
	free(ws);
	errs += outcomes[OC_ERROR];
	percentiles(&eom, &e50, &e99, &emax);
	percentiles(&msg, &m50, &m99, &mmax);

	if (!cfg.quiet) {
		printf("milterload: %s, %u connections, %u message(s) per session, corpus %zu file(s)\n",
		       cfg.socket_spec, cfg.conns, cfg.per_session, cfg.nmsgs);
		printf("  messages   %llu in %.2f s = %.1f msg/s, %llu sessions, %.1f MB sent\n",
		       done, secs, secs > 0 ? done / secs : 0.0, sessions, bytes / 1e6);
		printf("  EOM step   p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", e50, e99, emax);
		printf("  message    p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", m50, m99, mmax);
		printf("  replies   ");
		for (i = 0; i < OC_COUNT; i++)
			if (outcomes[i])
				printf(" %s=%llu", outcome_names[i], outcomes[i]);
		for (i = 0; i < MD_COUNT; i++)
			if (modifs[i])
				printf(" %s=%llu", modif_names[i], modifs[i]);
		printf("\n  errors     %llu\n", errs);
	}
	printf("RESULT conns=%u msgs=%llu secs=%.3f rate=%.1f eom_p50=%.3f eom_p99=%.3f "
	       "eom_max=%.3f msg_p50=%.3f msg_p99=%.3f msg_max=%.3f errors=%llu",
	       cfg.conns, done, secs, secs > 0 ? done / secs : 0.0, e50, e99, emax,
	       m50, m99, mmax, errs);
	for (i = 0; i < OC_COUNT; i++)
		if (outcomes[i])
			printf(" %s=%llu", outcome_names[i], outcomes[i]);
	for (i = 0; i < MD_COUNT; i++)
		if (modifs[i])
			printf(" %s=%llu", modif_names[i], modifs[i]);
	printf("\n");
	free(eom.v);
	free(msg.v);
	corpus_free();
	if (!connected)
		return EX_UNAVAILABLE;
	return errs ? 1 : EX_OK;

badarg:
	fprintf(stderr, "milterload: bad value for -%c: \"%s\"\n", c, optarg);
	usage(stderr);
	return EX_USAGE;
}
