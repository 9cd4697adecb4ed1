/*
 * NAME
 *	smtpload 1
 * SUMMARY
 *	SMTP load driver: replay a corpus with its envelopes, measure
 * SYNOPSIS
 *	smtpload [-c conns] [-n count] [-t seconds] [-m per_session]
 *		[-d dir] [-T timeout] [-H helo] [-q] host:port
 * DESCRIPTION
 *	smtpload sends the messages of a corpus (see corpus(3h)) to the SMTP
 *	server at HOST:PORT over CONNS concurrent sessions (one thread
 *	each), each with the envelope its MANIFEST gives (smtp-source sends
 *	one message with one envelope; a mix of ordinary mail, questions,
 *	refusals, auto-replies and bounces needs one envelope per message).
 *	Per session: greeting, EHLO, then PER_SESSION messages (default 1,
 *	as most remote MTAs deliver one message per connection), each MAIL
 *	FROM, RCPT TO per recipient, DATA, the message dot-stuffed, ".";
 *	then QUIT. No pipelining. It stops after COUNT messages (default:
 *	the corpus once) or SECONDS.
 *
 *	The last line is machine-readable: "RESULT conns=... msgs=... secs=...
 *	rate=... eod_p50=... eod_p99=... msg_p50=... msg_p99=... errors=...
 *	ok=... tempfail=... reject=...": messages accepted per second, the
 *	latency in ms of the end of data (where Postfix runs the milters'
 *	end of message) and of the whole message (MAIL to the reply to
 *	"."). A 4xx or 5xx reply to any command of a message, or a broken
 *	session, counts as an error; the first few are printed.
 * DIAGNOSTICS
 *	Exit status 0 when every message was accepted, 1 when some were
 *	not, EX_USAGE, EX_NOINPUT, EX_OSERR, EX_UNAVAILABLE otherwise.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"

#define SL_CONNS_MAX	256
#define SL_LINE_MAX	1024		/* one SMTP reply line */
#define SL_REPLY_LINES_MAX 100		/* lines of one multi-line reply */
#define SL_ERRORS_SHOWN	10
#define SL_CMD_MAX	(CORPUS_ADDR_MAX + 32)
#define SL_DEFAULT_CONNS 16
#define SL_DEFAULT_TIMEOUT 60
#define SL_DEFAULT_HELO	"mail-wr1-f41.google.com"
#define SL_RETRY_US	10000

/* One message ready to send: the dot-stuffed data with its final ".". */
struct sl_msg {
	char   *data;
	size_t	len;
};

struct sl_samples {
	uint32_t *v;
	size_t	n, cap;
};

struct sl_worker {
	pthread_t tid;
	unsigned id;
	int	fd;
	char	in[8192];
	size_t	in_len, in_pos;
	struct sl_samples eod, msg;
	unsigned long long ok, tempfail, reject, broken;
	int	ever_connected;
};

static struct {
	struct addrinfo *ai;
	const char *target;
	unsigned conns, per_session;
	unsigned long long count;
	double	seconds;
	int	timeout, quiet;
	const char *helo;
	struct corpus corpus;
	struct sl_msg *msgs;
	struct timespec deadline;
} sl;

static atomic_ullong sl_tickets;
static atomic_uint sl_shown;

/* sl_now - the monotonic clock */
static void sl_now(struct timespec *t)
{
	clock_gettime(CLOCK_MONOTONIC, t);
}

/* sl_us - microseconds since T0 */
static uint32_t sl_us(const struct timespec *t0)
{
	struct timespec t1;
	double	d;

	sl_now(&t1);
	d = ((double) (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9) * 1e6;
	return d > 4e9 ? UINT32_MAX : (uint32_t) d;
}

/* sl_add - record one latency */
static void sl_add(struct sl_samples *s, uint32_t us)
{
	if (s->n == s->cap) {
		size_t	ncap = s->cap ? s->cap * 2 : 1024;
		uint32_t *v = realloc(s->v, ncap * sizeof(*v));

		if (v == NULL)
			return;
		s->v = v;
		s->cap = ncap;
	}
	s->v[s->n++] = us;
}

/* sl_error - print one of the first few errors */
static void sl_error(struct sl_worker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sl_error(struct sl_worker *w, const char *fmt, ...)
{
	va_list ap;

	if (atomic_fetch_add(&sl_shown, 1) >= SL_ERRORS_SHOWN)
		return;
	fprintf(stderr, "smtpload: conn %u: ", w->id);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* sl_stuff - message M as DATA content: dot-stuffed, ending in CRLF.CRLF */
static int sl_stuff(const struct corpus_msg *m, struct sl_msg *out)
{
	size_t	i, n = 0;
	int	bol = 1;

	if ((out->data = malloc(m->raw_len * 2 + 8)) == NULL)
		return -1;
	for (i = 0; i < m->raw_len; i++) {
		if (bol && m->raw[i] == '.')
			out->data[n++] = '.';
		out->data[n++] = m->raw[i];
		bol = m->raw[i] == '\n';
	}
	if (!bol) {
		out->data[n++] = '\r';
		out->data[n++] = '\n';
	}
	memcpy(out->data + n, ".\r\n", 3);
	out->len = n + 3;
	return 0;
}

/* sl_write - write all of BUF */
static int sl_write(struct sl_worker *w, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t	k = write(w->fd, buf, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		buf += k;
		len -= (size_t) k;
	}
	return 0;
}

/* sl_line - read one reply line into LINE; -1 on EOF or timeout */
static int sl_line(struct sl_worker *w, char *line, size_t max)
{
	size_t	n = 0;

	for (;;) {
		if (w->in_pos == w->in_len) {
			ssize_t	k = read(w->fd, w->in, sizeof(w->in));

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				return -1;
			w->in_len = (size_t) k;
			w->in_pos = 0;
		}
		if (w->in[w->in_pos] == '\n') {
			w->in_pos++;
			if (n > 0 && line[n - 1] == '\r')
				n--;
			line[n] = 0;
			return 0;
		}
		if (n + 1 < max)
			line[n++] = w->in[w->in_pos];
		w->in_pos++;
	}
}

/* sl_reply - read a (multi-line) reply; its code, or -1 when broken */
static int sl_reply(struct sl_worker *w, char *last, size_t max)
{
	for (int i = 0; i < SL_REPLY_LINES_MAX; i++) {
		if (sl_line(w, last, max) < 0 || strlen(last) < 3
		    || last[0] < '2' || last[0] > '5')
			return -1;
		if (last[3] != '-')
			return atoi(last);
	}
	return -1;
}

/* sl_cmd - send CMD, read the reply; its code, or -1 */
static int sl_cmd(struct sl_worker *w, const char *cmd, char *last, size_t max)
{
	if (sl_write(w, cmd, strlen(cmd)) < 0)
		return -1;
	return sl_reply(w, last, max);
}

/* sl_connect - open a session: connect, greeting, EHLO; -1 on failure */
static int sl_connect(struct sl_worker *w)
{
	char	line[SL_LINE_MAX], cmd[SL_CMD_MAX];
	struct timeval tv = {sl.timeout, 0};

	if ((w->fd = socket(sl.ai->ai_family, SOCK_STREAM, 0)) < 0)
		return -1;
	(void) setsockopt(w->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void) setsockopt(w->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	w->in_len = w->in_pos = 0;
	if (connect(w->fd, sl.ai->ai_addr, sl.ai->ai_addrlen) < 0)
		goto fail;
	w->ever_connected = 1;
	snprintf(cmd, sizeof(cmd), "EHLO %s\r\n", sl.helo);
	if (sl_reply(w, line, sizeof(line)) != 220 || sl_cmd(w, cmd, line, sizeof(line)) != 250) {
		sl_error(w, "greeting or EHLO: %s", line);
		goto fail;
	}
	return 0;
fail:
	close(w->fd);
	w->fd = -1;
	return -1;
}

/* sl_send - send message MI in the open session; -1 when the session broke */
static int sl_send(struct sl_worker *w, size_t mi)
{
	const struct corpus_msg *m = &sl.corpus.msgs[mi];
	char	line[SL_LINE_MAX], cmd[SL_CMD_MAX];
	struct timespec t0, te;
	int	code;

	sl_now(&t0);
	snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>\r\n", m->mail_from);
	if ((code = sl_cmd(w, cmd, line, sizeof(line))) != 250)
		goto refused;
	for (size_t i = 0; i < m->nrcpts; i++) {
		snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>\r\n", m->rcpts[i]);
		if ((code = sl_cmd(w, cmd, line, sizeof(line))) != 250)
			goto refused;
	}
	if ((code = sl_cmd(w, "DATA\r\n", line, sizeof(line))) != 354)
		goto refused;
	if (sl_write(w, sl.msgs[mi].data, sl.msgs[mi].len) < 0)
		return -1;
	sl_now(&te);
	if ((code = sl_reply(w, line, sizeof(line))) != 250)
		goto refused;
	sl_add(&w->eod, sl_us(&te));
	sl_add(&w->msg, sl_us(&t0));
	w->ok++;
	return 0;
refused:
	if (code < 0)
		return -1;
	sl_error(w, "%s: %s", m->name, line);
	if (code >= 500)
		w->reject++;
	else
		w->tempfail++;
	return sl_cmd(w, "RSET\r\n", line, sizeof(line)) == 250 ? 0 : -1;
}

/* sl_claim - the next message number, or -1 when the run is over */
static long long sl_claim(void)
{
	unsigned long long t;
	struct timespec now;

	if (sl.seconds > 0) {
		sl_now(&now);
		if (now.tv_sec > sl.deadline.tv_sec || (now.tv_sec == sl.deadline.tv_sec
							&& now.tv_nsec >= sl.deadline.tv_nsec))
			return -1;
	}
	t = atomic_fetch_add(&sl_tickets, 1);
	return (sl.count && t >= sl.count) ? -1 : (long long) t;
}

/* sl_close - QUIT and close the session */
static void sl_close(struct sl_worker *w)
{
	char	line[SL_LINE_MAX];

	if (w->fd < 0)
		return;
	(void) sl_cmd(w, "QUIT\r\n", line, sizeof(line));
	close(w->fd);
	w->fd = -1;
}

/* sl_main - one session's loop */
static void *sl_main(void *arg)
{
	struct sl_worker *w = arg;
	unsigned in_sess = 0;
	long long t;

	while ((t = sl_claim()) >= 0) {
		if (w->fd < 0 && sl_connect(w) < 0) {
			w->broken++;
			if (!w->ever_connected)
				sl_error(w, "cannot connect to %s: %s", sl.target, strerror(errno));
			usleep(SL_RETRY_US);
			continue;
		}
		if (sl_send(w, (size_t) t % sl.corpus.n) < 0) {
			sl_error(w, "session broken at %s", sl.corpus.msgs[(size_t) t % sl.corpus.n].name);
			w->broken++;
			close(w->fd);
			w->fd = -1;
			in_sess = 0;
			continue;
		}
		if (++in_sess >= sl.per_session) {
			sl_close(w);
			in_sess = 0;
		}
	}
	sl_close(w);
	return NULL;
}

/* sl_cmpu - qsort order of samples */
static int sl_cmpu(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

	return x < y ? -1 : x > y;
}

/* sl_pct - percentile P of S in ms (S sorted) */
static double sl_pct(const struct sl_samples *s, int p)
{
	return s->n ? s->v[(s->n - 1) * (size_t) p / 100] / 1000.0 : 0.0;
}

/* sl_report - the RESULT line; the exit status */
static int sl_report(struct sl_worker *ws, double secs)
{
	struct sl_samples eod = {0}, msg = {0};
	unsigned long long ok = 0, tf = 0, rj = 0, br = 0;
	int	connected = 0;

	for (unsigned i = 0; i < sl.conns; i++) {
		ok += ws[i].ok;
		tf += ws[i].tempfail;
		rj += ws[i].reject;
		br += ws[i].broken;
		connected |= ws[i].ever_connected;
		for (size_t k = 0; k < ws[i].eod.n; k++)
			sl_add(&eod, ws[i].eod.v[k]);
		for (size_t k = 0; k < ws[i].msg.n; k++)
			sl_add(&msg, ws[i].msg.v[k]);
		free(ws[i].eod.v);
		free(ws[i].msg.v);
	}
	qsort(eod.v, eod.n, sizeof(*eod.v), sl_cmpu);
	qsort(msg.v, msg.n, sizeof(*msg.v), sl_cmpu);
	if (!sl.quiet)
		printf("smtpload: %s, %u sessions at a time, %llu accepted in %.2f s\n", sl.target,
		       sl.conns, ok, secs);
	printf("RESULT conns=%u msgs=%llu secs=%.3f rate=%.1f eod_p50=%.3f eod_p99=%.3f "
	       "msg_p50=%.3f msg_p99=%.3f errors=%llu ok=%llu tempfail=%llu reject=%llu broken=%llu\n",
	       sl.conns, ok, secs, secs > 0 ? ok / secs : 0.0, sl_pct(&eod, 50), sl_pct(&eod, 99),
	       sl_pct(&msg, 50), sl_pct(&msg, 99), tf + rj + br, ok, tf, rj, br);
	free(eod.v);
	free(msg.v);
	if (!connected)
		return EX_UNAVAILABLE;
	return tf + rj + br ? 1 : EX_OK;
}

/* sl_parse - a bounded decimal option value */
static int sl_parse(const char *s, unsigned long long lo, unsigned long long hi,
		    unsigned long long *out)
{
	char   *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return (errno || *s == 0 || *s == '-' || *end || *out < lo || *out > hi) ? -1 : 0;
}

/* sl_target - resolve HOST:PORT */
static int sl_target(const char *spec)
{
	char	host[256];
	const char *colon = strrchr(spec, ':');
	struct addrinfo hints;

	if (colon == NULL || (size_t) (colon - spec) >= sizeof(host) || colon == spec)
		return -1;
	memcpy(host, spec, (size_t) (colon - spec));
	host[colon - spec] = 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	return getaddrinfo(host, colon + 1, &hints, &sl.ai) == 0 ? 0 : -1;
}

/* sl_usage - the synopsis */
static int sl_usage(void)
{
	fprintf(stderr, "usage: smtpload [-c conns] [-n count] [-t seconds] [-m per_session]\n"
		"                [-d dir] [-T timeout] [-H helo] [-q] host:port\n");
	return EX_USAGE;
}

int	main(int argc, char **argv)
{
	const char *dir = ".";
	unsigned long long v;
	char	err[512];
	struct sl_worker *ws;
	struct timespec t0, t1;
	int	c, ex;

	sl.conns = SL_DEFAULT_CONNS;
	sl.per_session = 1;
	sl.timeout = SL_DEFAULT_TIMEOUT;
	sl.helo = SL_DEFAULT_HELO;
	while ((c = getopt(argc, argv, "c:n:t:m:d:T:H:q")) != -1) {
		if (c == 'c' && sl_parse(optarg, 1, SL_CONNS_MAX, &v) == 0)
			sl.conns = (unsigned) v;
		else if (c == 'n' && sl_parse(optarg, 1, ~0ULL >> 2, &v) == 0)
			sl.count = v;
		else if (c == 't' && sl_parse(optarg, 1, 86400, &v) == 0)
			sl.seconds = (double) v;
		else if (c == 'm' && sl_parse(optarg, 1, 1000000, &v) == 0)
			sl.per_session = (unsigned) v;
		else if (c == 'T' && sl_parse(optarg, 1, 3600, &v) == 0)
			sl.timeout = (int) v;
		else if (c == 'd')
			dir = optarg;
		else if (c == 'H')
			sl.helo = optarg;
		else if (c == 'q')
			sl.quiet = 1;
		else
			return sl_usage();
	}
	if (optind != argc - 1 || sl_target(argv[optind]) < 0)
		return sl_usage();
	sl.target = argv[optind];
	if (corpus_load(&sl.corpus, dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "smtpload: %s\n", err);
		return EX_NOINPUT;
	}
	if (!sl.corpus.has_manifest) {
		fprintf(stderr, "smtpload: %s: no MANIFEST (the envelopes)\n", dir);
		return EX_NOINPUT;
	}
	if (sl.count == 0 && sl.seconds <= 0)
		sl.count = sl.corpus.n;
	sl.msgs = calloc(sl.corpus.n, sizeof(*sl.msgs));
	ws = calloc(sl.conns, sizeof(*ws));
	if (sl.msgs == NULL || ws == NULL)
		return EX_OSERR;
	for (size_t i = 0; i < sl.corpus.n; i++)
		if (sl.corpus.msgs[i].nrcpts == 0 || sl_stuff(&sl.corpus.msgs[i], &sl.msgs[i]) < 0) {
			fprintf(stderr, "smtpload: %s: no envelope or out of memory\n",
				sl.corpus.msgs[i].name);
			return EX_DATAERR;
		}
	sl_now(&t0);
	sl.deadline = t0;
	sl.deadline.tv_sec += (time_t) sl.seconds;
	for (unsigned i = 0; i < sl.conns; i++) {
		ws[i].id = i;
		ws[i].fd = -1;
		if (pthread_create(&ws[i].tid, NULL, sl_main, &ws[i]) != 0)
			return EX_OSERR;
	}
	for (unsigned i = 0; i < sl.conns; i++)
		pthread_join(ws[i].tid, NULL);
	sl_now(&t1);
	ex = sl_report(ws, (double) (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (size_t i = 0; i < sl.corpus.n; i++)
		free(sl.msgs[i].data);
	free(sl.msgs);
	free(ws);
	corpus_free(&sl.corpus);
	freeaddrinfo(sl.ai);
	return ex;
}
