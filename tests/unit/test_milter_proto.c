/*
 * NAME
 *	test_milter_proto 1
 * SUMMARY
 *	unit tests of milter_proto: the milter protocol engine
 * DESCRIPTION
 *	A test plays the MTA on a unix socket against smfi_main() running
 *	test callbacks: negotiation with symbol lists; steps negotiated
 *	without replies get none, others "continue"; macros found as "x",
 *	"{x}"; modifications only at end of message, in order, before the
 *	final reply and in the same write; smfi_setreply() text with a matching code class;
 *	malformed, oversized and unknown packets end their connection (the
 *	engine keeps serving others); a connection silent for the timeout,
 *	or whose MTA reads no reply for as long, is closed; QUIT_NC and EOF
 *	run xxfi_close();
 *	many connections at once are all served; smfi_stop() ends
 *	smfi_main().
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

#include "unit.h"

#define PT_OFFERED_ACTIONS	(SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | SMFIF_DELRCPT \
				 | SMFIF_SETSYMLIST)
#define PT_OFFERED_PROTO	(SMFIP_NOHELO | SMFIP_NOCONNECT | SMFIP_NR_CONN | SMFIP_NR_MAIL \
				 | SMFIP_NR_RCPT | SMFIP_NR_HDR | SMFIP_NR_BODY | SMFIP_NODATA)
#define PT_WANT_PROTO		(SMFIP_NOHELO | SMFIP_NR_MAIL | SMFIP_NR_HDR | SMFIP_NR_BODY)
#define PT_SLOW_US		200000	/* the "slow" end of message waits between changes */
#define PT_SHORT_TIMEOUT	1	/* seconds: the timeout of the timeout tests */
#define PT_GIVE_UP_US		(10 * 1000000L)	/* a timeout test fails after this long */
#define PT_NAP_US		10000

static char pt_path[108];
static pthread_t pt_main_thread;
static int pt_main_status = -1;

/* What the callbacks saw, in order ("envfrom <a@b>;header Subject;..."). */
static pthread_mutex_t pt_lock = PTHREAD_MUTEX_INITIALIZER;
static char pt_events[8192];
static int pt_closes;

/* pt_event - append one event */
static void pt_event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
pt_event(const char *fmt, ...)
{
	char	line[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&pt_lock);
	if (strlen(pt_events) + strlen(line) + 2 < sizeof(pt_events)) {
		strcat(pt_events, line);
		strcat(pt_events, ";");
	}
	pthread_mutex_unlock(&pt_lock);
}

static sfsistat
pt_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
	     unsigned long f3, unsigned long *pf0, unsigned long *pf1, unsigned long *pf2,
	     unsigned long *pf3)
{
	(void) f2;
	(void) f3;
	*pf0 = (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | SMFIF_DELRCPT) & f0;
	if ((f0 & SMFIF_SETSYMLIST)
	    && smfi_setsymlist(ctx, SMFIM_ENVFROM, (char *) "i {daemon_name}") == MI_SUCCESS)
		*pf0 |= SMFIF_SETSYMLIST;
	*pf1 = PT_WANT_PROTO & f1;
	*pf2 = *pf3 = 0;
	return (SMFIS_CONTINUE);
}

static sfsistat
pt_envfrom(SMFICTX *ctx, char **argv)
{
	const char *qid = smfi_getsymval(ctx, (char *) "{i}");
	const char *daemon = smfi_getsymval(ctx, (char *) "daemon_name");

	pt_event("envfrom %s %s", argv[0], argv[1] ? argv[1] : "(none)");
	pt_event("macro i=%s {daemon_name}=%s", qid ? qid : "(none)", daemon ? daemon : "(none)");
	/* a modification outside end of message is refused */
	pt_event("early addheader %s", smfi_addheader(ctx, (char *) "X-A", (char *) "1")
		 == MI_FAILURE ? "refused" : "ALLOWED");
	free(smfi_getpriv(ctx));
	(void) smfi_setpriv(ctx, strdup("conn"));
	return (SMFIS_NOREPLY);
}

static sfsistat
pt_envrcpt(SMFICTX *ctx, char **argv)
{
	(void) ctx;
	pt_event("envrcpt %s", argv[0]);
	return (SMFIS_NOREPLY);		/* not negotiated away: answered "continue" */
}

static sfsistat
pt_header(SMFICTX *ctx, char *name, char *value)
{
	(void) ctx;
	pt_event("header %s=%s", name, value);
	return (SMFIS_NOREPLY);
}

static sfsistat
pt_eoh(SMFICTX *ctx)
{
	(void) ctx;
	pt_event("eoh");
	return (SMFIS_CONTINUE);
}

static sfsistat
pt_body(SMFICTX *ctx, unsigned char *data, size_t len)
{
	(void) ctx;
	(void) data;
	pt_event("body %zu", len);
	return (SMFIS_NOREPLY);
}

/* pt_eom - the subject says what to do: "modify" or "reject" */
static char pt_subject[64];

static sfsistat
pt_eom(SMFICTX *ctx)
{
	pt_event("eom");
	if (strcmp(pt_subject, "reject") == 0) {
		ck_assert_int_eq(smfi_setreply(ctx, (char *) "550", (char *) "5.7.1",
					       (char *) "not here"), MI_SUCCESS);
		return (SMFIS_REJECT);
	}
	ck_assert_int_eq(smfi_addrcpt(ctx, (char *) "<support@example.com>"), MI_SUCCESS);
	if (strcmp(pt_subject, "slow") == 0)
		usleep(PT_SLOW_US);	/* a client that sees this one alone now fails */
	ck_assert_int_eq(smfi_delrcpt(ctx, (char *) "<noreply@example.com>"), MI_SUCCESS);
	ck_assert_int_eq(smfi_addheader(ctx, (char *) "X-Links", (char *) "question"), MI_SUCCESS);
	ck_assert_int_eq(smfi_chgheader(ctx, (char *) "X-Old", 1, NULL), MI_SUCCESS);
	return (SMFIS_CONTINUE);
}

static sfsistat
pt_header_subject(SMFICTX *ctx, char *name, char *value)
{
	if (strcasecmp(name, "Subject") == 0)
		snprintf(pt_subject, sizeof(pt_subject), "%s", value);
	return (pt_header(ctx, name, value));
}

static sfsistat
pt_close(SMFICTX *ctx)
{
	free(smfi_getpriv(ctx));
	(void) smfi_setpriv(ctx, NULL);
	pthread_mutex_lock(&pt_lock);
	pt_closes++;
	pthread_mutex_unlock(&pt_lock);
	return (SMFIS_CONTINUE);
}

static struct smfiDesc pt_desc = {
	(char *) "test", SMFI_VERSION, SMFIF_ADDHDRS,
	NULL, NULL, pt_envfrom, pt_envrcpt, pt_header_subject, pt_eoh, pt_body, pt_eom,
	NULL, pt_close, NULL, NULL, pt_negotiate,
};

static void *
pt_main(void *arg)
{
	(void) arg;
	pt_main_status = smfi_main();
	return (NULL);
}

/* pt_start - the engine on a fresh unix socket, in a thread */
static void
pt_start(void)
{
	char	spec[160];

	snprintf(pt_path, sizeof(pt_path), "/tmp/links-proto.%ld.sock", (long) getpid());
	snprintf(spec, sizeof(spec), "unix:%s", pt_path);
	ck_assert_int_eq(smfi_setconn(spec), MI_SUCCESS);
	ck_assert_int_eq(smfi_settimeout(5), MI_SUCCESS);
	ck_assert_int_eq(smfi_register(pt_desc), MI_SUCCESS);
	ck_assert_int_eq(smfi_opensocket(1), MI_SUCCESS);
	ck_assert_int_eq(pthread_create(&pt_main_thread, NULL, pt_main, NULL), 0);
}

/* pt_stop - smfi_stop() ends smfi_main() */
static void
pt_stop(void)
{
	ck_assert_int_eq(smfi_stop(), MI_SUCCESS);
	ck_assert_int_eq(pthread_join(pt_main_thread, NULL), 0);
	ck_assert_int_eq(pt_main_status, MI_SUCCESS);
	(void) unlink(pt_path);
}

/* pt_connect - a client socket to the engine, 5 s receive timeout */
static int
pt_connect(void)
{
	struct sockaddr_un sun;
	struct timeval tv = {5, 0};
	int	fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", pt_path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *) &sun, sizeof(sun)), 0);
	(void) setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return (fd);
}

/* pt_send - one packet */
static void
pt_send(int fd, char cmd, const void *data, size_t len)
{
	char	buf[4096];
	uint32_t n = htonl((uint32_t) len + 1);

	ck_assert_uint_le(len + 5, sizeof(buf));
	memcpy(buf, &n, 4);
	buf[4] = cmd;
	memcpy(buf + 5, data, len);
	ck_assert_int_eq(write(fd, buf, len + 5), (ssize_t) (len + 5));
}

/* pt_read_all - exactly N bytes; 0, or -1 at EOF/timeout */
static int
pt_read_all(int fd, char *p, size_t n)
{
	while (n > 0) {
		ssize_t	r = read(fd, p, n);

		if (r <= 0)
			return (-1);
		p += r;
		n -= (size_t) r;
	}
	return (0);
}

/* pt_recv - one packet: its command, data into BUF (LEN); -1 at EOF */
static int
pt_recv(int fd, char *cmd, char *buf, size_t *len)
{
	uint32_t n;

	if (pt_read_all(fd, (char *) &n, 4) < 0)
		return (-1);
	n = ntohl(n);
	ck_assert_uint_ge(n, 1);
	ck_assert_uint_le(n - 1, *len);
	if (pt_read_all(fd, cmd, 1) < 0 || pt_read_all(fd, buf, n - 1) < 0)
		return (-1);
	*len = n - 1;
	return (0);
}

/* pt_expect - the next packet is CMD; its data in BUF */
static size_t
pt_expect(int fd, char cmd, char *buf, size_t cap)
{
	char	got;
	size_t	len = cap;

	ck_assert_int_eq(pt_recv(fd, &got, buf, &len), 0);
	ck_assert_msg(got == cmd, "expected packet '%c', got '%c'", cmd, got);
	return (len);
}

/* pt_optneg - negotiate; return the agreed protocol flags */
static uint32_t
pt_optneg(int fd)
{
	uint32_t v[3] = {htonl(6), htonl(PT_OFFERED_ACTIONS), htonl(PT_OFFERED_PROTO)};
	char	buf[256];
	size_t	len;

	pt_send(fd, SMFIC_OPTNEG, v, sizeof(v));
	len = pt_expect(fd, SMFIC_OPTNEG, buf, sizeof(buf));
	ck_assert_uint_ge(len, 12);
	memcpy(v, buf, 12);
	ck_assert_uint_eq(ntohl(v[0]), 6);
	ck_assert_uint_eq(ntohl(v[1]), PT_OFFERED_ACTIONS);
	ck_assert_uint_eq(ntohl(v[2]), PT_WANT_PROTO);
	/* the symbol list of MAIL follows: step 2, "i {daemon_name}" */
	ck_assert_uint_eq(len, 12 + 4 + strlen("i {daemon_name}") + 1);
	memcpy(&v[0], buf + 12, 4);
	ck_assert_uint_eq(ntohl(v[0]), SMFIM_ENVFROM);
	ck_assert_str_eq(buf + 16, "i {daemon_name}");
	return (ntohl(v[2]));
}

/* pt_message - MAIL with macros, RCPT, headers, EOH, body, EOM up to the EOM packets */
static void
pt_message(int fd, const char *subject)
{
	static const char macros[] = "Mi\0QID7\0{daemon_name}\0smtpd";
	static const char mail[] = "<a@example.net>\0SIZE=10";
	static const char rcpt[] = "<noreply@example.com>";
	char	hdr[128], buf[64];
	int	n;

	pt_send(fd, SMFIC_MACRO, macros, sizeof(macros));
	pt_send(fd, SMFIC_MAIL, mail, sizeof(mail));	/* no reply: NR_MAIL */
	pt_send(fd, SMFIC_RCPT, rcpt, sizeof(rcpt));
	pt_expect(fd, SMFIR_CONTINUE, buf, sizeof(buf));	/* RCPT is answered */
	n = snprintf(hdr, sizeof(hdr), "Subject%c%s", 0, subject);
	pt_send(fd, SMFIC_HEADER, hdr, (size_t) n + 1);
	pt_send(fd, SMFIC_HEADER, "X-Old\0gone", 11);
	pt_send(fd, SMFIC_EOH, "", 0);
	pt_expect(fd, SMFIR_CONTINUE, buf, sizeof(buf));	/* headers had no reply */
	pt_send(fd, SMFIC_BODY, "hello", 5);
	pt_send(fd, SMFIC_BODYEOB, "", 0);
}

START_TEST(test_proto_steps_replies_macros_and_modifications)
{
	char	buf[256];
	size_t	len;
	int	fd;

	pt_start();
	fd = pt_connect();
	pt_optneg(fd);
	pt_message(fd, "modify");
	/* the modifications, in order, then the final reply */
	len = pt_expect(fd, SMFIR_ADDRCPT, buf, sizeof(buf));
	ck_assert_uint_eq(len, strlen("<support@example.com>") + 1);
	ck_assert_str_eq(buf, "<support@example.com>");
	pt_expect(fd, SMFIR_DELRCPT, buf, sizeof(buf));
	ck_assert_str_eq(buf, "<noreply@example.com>");
	pt_expect(fd, SMFIR_ADDHEADER, buf, sizeof(buf));
	ck_assert_str_eq(buf, "X-Links");
	ck_assert_str_eq(buf + 8, "question");
	len = pt_expect(fd, SMFIR_CHGHEADER, buf, sizeof(buf));
	ck_assert_uint_eq(len, 4 + 6 + 1);
	{
		uint32_t idx;

		memcpy(&idx, buf, 4);
		ck_assert_uint_eq(ntohl(idx), 1);
	}
	ck_assert_str_eq(buf + 4, "X-Old");
	ck_assert_str_eq(buf + 10, "");
	pt_expect(fd, SMFIR_CONTINUE, buf, sizeof(buf));
	/* the next message on the same connection: rejected with its text */
	pt_send(fd, SMFIC_ABORT, "", 0);
	pt_message(fd, "reject");
	len = pt_expect(fd, SMFIR_REPLYCODE, buf, sizeof(buf));
	ck_assert_str_eq(buf, "550 5.7.1 not here");
	pt_send(fd, SMFIC_QUIT, "", 0);
	ck_assert_int_eq(read(fd, buf, 1), 0);	/* closed after QUIT */
	close(fd);
	pt_stop();
	ck_assert_msg(strstr(pt_events, "envfrom <a@example.net> SIZE=10;"
			     "macro i=QID7 {daemon_name}=smtpd;early addheader refused;"
			     "envrcpt <noreply@example.com>;header Subject=modify;header X-Old=gone;"
			     "eoh;body 5;eom;") != NULL, "events: %s", pt_events);
	ck_assert_int_eq(pt_closes, 1);
}
END_TEST

/* pt_packets_len - the bytes of the packets in [P, P + N) up to and including one of CMD */
static size_t
pt_packets_len(const char *p, size_t n, char cmd)
{
	size_t	off = 0;

	while (off + 5 <= n) {
		uint32_t len;

		memcpy(&len, p + off, 4);
		off += 4 + ntohl(len);
		if (p[off - ntohl(len)] == cmd)
			return (off);
	}
	return (0);
}

START_TEST(test_proto_modifications_go_with_the_reply_in_one_write)
{
	char	buf[512], b;
	ssize_t	n;
	int	fd;

	pt_start();
	fd = pt_connect();
	pt_optneg(fd);
	pt_message(fd, "slow");
	/* once the first byte is there, so is everything up to the reply */
	ck_assert_int_eq(recv(fd, &b, 1, MSG_PEEK), 1);
	n = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(pt_packets_len(buf, (size_t) n, SMFIR_CONTINUE), (size_t) n);
	ck_assert_int_eq(buf[4], SMFIR_ADDRCPT);
	pt_send(fd, SMFIC_QUIT, "", 0);
	close(fd);
	pt_stop();
}
END_TEST

/* pt_elapsed_us - microseconds since T0 */
static long
pt_elapsed_us(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return ((long) (t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000);
}

START_TEST(test_proto_silent_connection_is_closed_after_the_timeout)
{
	struct timespec t0;
	char	b;
	int	fd;

	pt_start();
	ck_assert_int_eq(smfi_settimeout(PT_SHORT_TIMEOUT), MI_SUCCESS);
	fd = pt_connect();		/* the client gives up after 5 s */
	pt_optneg(fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(read(fd, &b, 1), 0);	/* closed by the engine, not timed out here */
	ck_assert_int_ge(pt_elapsed_us(&t0), PT_SHORT_TIMEOUT * 1000000L - 100000);
	close(fd);
	ck_assert_int_eq(smfi_settimeout(5), MI_SUCCESS);
	pt_stop();
}
END_TEST

START_TEST(test_proto_connection_reading_no_replies_is_closed_after_the_timeout)
{
	static const char mail[] = "<a@example.net>";
	static const char rcpt[] = "<noreply@example.com>";
	char	pkt[64];
	uint32_t n = htonl((uint32_t) sizeof(rcpt) + 1);
	struct timespec t0;
	int	fd, closed = 0;

	pt_start();
	ck_assert_int_eq(smfi_settimeout(PT_SHORT_TIMEOUT), MI_SUCCESS);
	fd = pt_connect();
	pt_optneg(fd);
	pt_send(fd, SMFIC_MAIL, mail, sizeof(mail));
	memcpy(pkt, &n, 4);
	pkt[4] = SMFIC_RCPT;
	memcpy(pkt + 5, rcpt, sizeof(rcpt));
	/* RCPT after RCPT, each answered, none of the answers read */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!closed && pt_elapsed_us(&t0) < PT_GIVE_UP_US) {
		ssize_t	w = send(fd, pkt, 5 + sizeof(rcpt), MSG_DONTWAIT | MSG_NOSIGNAL);

		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			usleep(PT_NAP_US);
		else if (w < 0)
			closed = errno == EPIPE || errno == ECONNRESET;
		else
			ck_assert_int_eq(w, (ssize_t) (5 + sizeof(rcpt)));
	}
	ck_assert_msg(closed, "the engine still waits to write after %ld us", pt_elapsed_us(&t0));
	close(fd);
	ck_assert_int_eq(smfi_settimeout(5), MI_SUCCESS);
	pt_stop();
}
END_TEST

/* pt_closed - the engine closed FD (EOF, not a timeout) */
static void
pt_closed(int fd)
{
	char	b;

	ck_assert_int_eq(read(fd, &b, 1), 0);
	close(fd);
}

START_TEST(test_proto_malformed_input_ends_only_its_connection)
{
	static const char huge[4] = {0x7f, 0x7f, 0x7f, 0x7f};
	char	buf[64];
	int	fd;

	pt_start();
	/* a header without its NUL */
	fd = pt_connect();
	pt_optneg(fd);
	pt_send(fd, SMFIC_HEADER, "Subject", 7);
	pt_closed(fd);
	/* a packet length beyond the limit */
	fd = pt_connect();
	ck_assert_int_eq(write(fd, huge, 4), 4);
	pt_closed(fd);
	/* a command that does not exist */
	fd = pt_connect();
	pt_optneg(fd);
	pt_send(fd, 'Z', "", 0);
	pt_closed(fd);
	/* a short OPTNEG */
	fd = pt_connect();
	pt_send(fd, SMFIC_OPTNEG, "\0\0\0\6", 4);
	pt_closed(fd);
	/* the engine still serves a good connection, and MAIL is not answered */
	fd = pt_connect();
	pt_optneg(fd);
	pt_send(fd, SMFIC_MAIL, "<a@b>", 6);
	pt_send(fd, SMFIC_EOH, "", 0);
	pt_expect(fd, SMFIR_CONTINUE, buf, sizeof(buf));
	close(fd);
	pt_stop();
}
END_TEST

START_TEST(test_proto_quit_nc_and_eof_run_close)
{
	char	buf[64];
	int	fd;

	pt_start();
	fd = pt_connect();
	pt_optneg(fd);
	pt_send(fd, SMFIC_MAIL, "<a@b>", 6);
	pt_send(fd, SMFIC_QUIT_NC, "", 0);	/* the socket carries on */
	pt_send(fd, SMFIC_MAIL, "<c@d>", 6);
	pt_send(fd, SMFIC_EOH, "", 0);
	pt_expect(fd, SMFIR_CONTINUE, buf, sizeof(buf));
	close(fd);			/* EOF in the middle of a message */
	pt_stop();
	usleep(200000);			/* the worker's close runs after the EOF */
	pthread_mutex_lock(&pt_lock);
	ck_assert_int_eq(pt_closes, 2);
	pthread_mutex_unlock(&pt_lock);
}
END_TEST

#define PT_CLIENTS	48

static void *
pt_client(void *arg)
{
	char	buf[64];
	int	fd = pt_connect();

	(void) arg;
	pt_optneg(fd);
	pt_send(fd, SMFIC_MAIL, "<a@b>", 6);
	usleep(100000);			/* every client holds its connection at once */
	pt_send(fd, SMFIC_EOH, "", 0);
	pt_expect(fd, SMFIR_CONTINUE, buf, sizeof(buf));
	pt_send(fd, SMFIC_QUIT, "", 0);
	close(fd);
	return (NULL);
}

START_TEST(test_proto_serves_many_connections_at_once)
{
	pthread_t t[PT_CLIENTS];

	pt_start();
	for (int i = 0; i < PT_CLIENTS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, pt_client, NULL), 0);
	for (int i = 0; i < PT_CLIENTS; i++)
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
	pt_stop();
}
END_TEST

/* milter_proto_suite - the tests of this file */
static Suite *
milter_proto_suite(void)
{
	Suite  *s = suite_create("milter_proto");
	TCase  *tc = tcase_create("proto");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_proto_steps_replies_macros_and_modifications);
	tcase_add_test(tc, test_proto_modifications_go_with_the_reply_in_one_write);
	tcase_add_test(tc, test_proto_malformed_input_ends_only_its_connection);
	tcase_add_test(tc, test_proto_silent_connection_is_closed_after_the_timeout);
	tcase_add_test(tc, test_proto_connection_reading_no_replies_is_closed_after_the_timeout);
	tcase_add_test(tc, test_proto_quit_nc_and_eof_run_close);
	tcase_add_test(tc, test_proto_serves_many_connections_at_once);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_proto_suite()));
}
