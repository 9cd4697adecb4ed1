/*
 * NAME
 *	test_transport 1
 * SUMMARY
 *	unit tests of the transports (sender/transport*.c)
 * SYNOPSIS
 *	test_transport
 * DESCRIPTION
 *	The table of kinds agrees with the choices of the "transport"
 *	option; the dir transport writes whole files under safe names;
 *	the sendmail transport runs a real program and reads its exit
 *	status (0 accepted, EX_TEMPFAIL and signals temporary, others
 *	permanent). The SMTP transport's pipelining across messages
 *	(transport_send_more()) against a scripted server thread on
 *	loopback; the rest of the SMTP transport is tests/sender-smtp.sh
 *	(a real server on loopback).
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "conf_options.h"
#include "sender_fixture.h"
#include "transport.h"
#include "unit.h"

#define MSG "Subject: t\r\n\r\nbody\r\n"
#define PIPE_MSGS	4	/* messages the pipelining test sends */
#define PIPE_DROP_AT	2	/* the message whose dot the server answers 421 */
#define PIPE_BUF	65536
#define STUFF_TRIES	200	/* random messages the dot-stuffing test sends */
#define STUFF_LEN_MAX	300	/* their longest */

/* The scripted server of the pipelining test, and what it saw. */
struct pipe_srv {
	int	lfd;			/* listening socket */
	int	dots;			/* final dots read */
	int	with_next[PIPE_MSGS + 1];	/* dot N came with more input behind it */
	int	accepted;
	int	sessions;
	int	drop_at;		/* the dot answered 421 (0: none) */
	char	data[PIPE_BUF];		/* the last message's DATA lines as read */
	size_t	dlen;
};

/* srv_line - the next line of FD into LINE (buffer B, *HAVE bytes); -1 at the end */
static int
srv_line(int fd, char *b, size_t *have, char *line, size_t max)
{
	char   *nl;
	ssize_t	r;
	size_t	n;

	while ((nl = memchr(b, '\n', *have)) == NULL) {
		if (*have >= PIPE_BUF || (r = recv(fd, b + *have, PIPE_BUF - *have, 0)) <= 0)
			return (-1);
		*have += (size_t) r;
	}
	n = (size_t) (nl - b) + 1;
	snprintf(line, max, "%.*s", (int) (n < max ? n : max - 1), b);
	memmove(b, b + n, *have - n);
	*have -= n;
	return (0);
}

/* srv_say - write TEXT to FD */
static void
srv_say(int fd, const char *text)
{
	ck_assert_int_eq(send(fd, text, strlen(text), MSG_NOSIGNAL), (ssize_t) strlen(text));
}

/* srv_session - one SMTP session on FD; 1 when the client said QUIT */
static int
srv_session(struct pipe_srv *v, int fd, char *b)
{
	char	line[1024];
	size_t	have = 0;
	int	in_data = 0;

	srv_say(fd, "220 test ESMTP\r\n");
	while (srv_line(fd, b, &have, line, sizeof(line)) == 0) {
		if (in_data && strcmp(line, ".\r\n") == 0) {
			in_data = 0;
			if (v->dots < PIPE_MSGS)
				v->with_next[v->dots + 1] = have > 0;
			if (++v->dots == v->drop_at) {
				srv_say(fd, "421 4.3.2 closing\r\n");
				return (0);
			}
			v->accepted++;
			srv_say(fd, "250 2.0.0 queued\r\n");
		} else if (in_data) {
			if (v->dlen + strlen(line) < sizeof(v->data)) {
				memcpy(v->data + v->dlen, line, strlen(line));
				v->dlen += strlen(line);
			}
			continue;
		}
		else if (strncmp(line, "EHLO", 4) == 0)
			srv_say(fd, "250-test\r\n250 PIPELINING\r\n");
		else if (strncmp(line, "DATA", 4) == 0) {
			in_data = 1;
			v->dlen = 0;
			srv_say(fd, "354 go ahead\r\n");
		} else if (strncmp(line, "QUIT", 4) == 0) {
			srv_say(fd, "221 bye\r\n");
			return (1);
		} else
			srv_say(fd, "250 ok\r\n");
	}
	return (0);
}

/* srv_main - the server thread: sessions until one ends with QUIT */
static void *
srv_main(void *arg)
{
	struct pipe_srv *v = arg;
	char   *b = malloc(PIPE_BUF);
	int	fd, quit = 0;

	ck_assert_ptr_nonnull(b);
	while (!quit && (fd = accept(v->lfd, NULL, NULL)) >= 0) {
		v->sessions++;
		quit = srv_session(v, fd, b);
		close(fd);
	}
	free(b);
	return (NULL);
}

/* pipe_open - start server V (thread *TH) and an SMTP transport to it (config *C) */
static struct transport *
pipe_open(struct pipe_srv *v, pthread_t *th, struct conf **c)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	struct transport *t;
	char	port[16], err[256];

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(v->lfd = socket(AF_INET, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(bind(v->lfd, (struct sockaddr *) &sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(v->lfd, 4), 0);
	ck_assert_int_eq(getsockname(v->lfd, (struct sockaddr *) &sa, &salen), 0);
	snprintf(port, sizeof(port), "%u", (unsigned) ntohs(sa.sin_port));
	ck_assert_int_eq(pthread_create(th, NULL, srv_main, v), 0);
	make_tmpdir();
	*c = test_conf(tmpdir);
	ck_assert_int_eq(conf_set(*c, "smtp_host", "127.0.0.1", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(*c, "smtp_port", port, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(t = transport_open(*c, TRANSPORT_SMTP, NULL, err, sizeof(err)));
	return (t);
}

START_TEST(test_transport_smtp_dot_goes_with_the_next_commands_and_a_421_resends_the_next)
{
	static struct pipe_srv v;
	pthread_t th;
	struct conf *c;
	struct transport *t;
	struct transport_result res[PIPE_MSGS];
	int	i;

	memset(&v, 0, sizeof(v));
	v.drop_at = PIPE_DROP_AT;
	t = pipe_open(&v, &th, &c);
	for (i = 0; i < PIPE_MSGS; i++) {
		/* Each send leaves its own verdict pending and settles the one before. */
		ck_assert_int_eq(transport_send_more(t, "f@ilinks.asia", "r@example.vn", "x", MSG,
						     strlen(MSG), &res[i]), TRANSPORT_PENDING);
		if (i > 0)
			ck_assert_int_ne(res[i - 1].status, TRANSPORT_PENDING);
	}
	transport_flush(t);
	ck_assert_int_eq(res[0].status, TRANSPORT_OK);
	ck_assert_int_eq(res[1].status, TRANSPORT_TEMP);
	ck_assert_int_eq(res[1].code, 421);
	ck_assert_int_eq(res[2].status, TRANSPORT_OK);
	ck_assert_int_eq(res[3].status, TRANSPORT_OK);
	transport_close(t);
	pthread_join(th, NULL);
	close(v.lfd);
	/* Dots 1-3 went out with the next message's commands; the 4th
	 * was flushed alone. The 421 cost a session, not message 3. */
	ck_assert_int_eq(v.dots, PIPE_MSGS);
	ck_assert(v.with_next[1] && v.with_next[2] && v.with_next[3] && !v.with_next[4]);
	ck_assert_int_eq(v.accepted, PIPE_MSGS - 1);
	ck_assert_int_eq(v.sessions, 2);
	conf_free(c);
	remove_tmpdir();
}
END_TEST

/* stuff_ref - MSG (LEN bytes) as DATA lines, one line at a time (the reference) */
static size_t
stuff_ref(const char *msg, size_t len, char *out)
{
	const char *p = msg, *end = msg + len, *nl;
	size_t	n, o = 0;

	while (p < end) {
		if (*p == '.')
			out[o++] = '.';
		nl = memchr(p, '\n', (size_t) (end - p));
		n = nl != NULL ? (size_t) (nl - p) : (size_t) (end - p);
		if (nl != NULL && n > 0 && p[n - 1] == '\r')
			n--;
		memcpy(out + o, p, n);
		memcpy(out + o + n, "\r\n", 2);
		o += n + 2;
		p = nl != NULL ? nl + 1 : end;
	}
	return (o);
}

START_TEST(test_transport_smtp_doubles_leading_dots_and_ends_every_line_with_crlf)
{
	static const char alpha[] = "..\r\n\nab";
	static struct pipe_srv v;
	static char msg[STUFF_LEN_MAX + 1], want[3 * STUFF_LEN_MAX + 8];
	pthread_t th;
	struct conf *c;
	struct transport *t;
	struct transport_result res;
	size_t	len, wlen, i;
	int	k;

	memset(&v, 0, sizeof(v));
	t = pipe_open(&v, &th, &c);
	srand(20261201);
	for (k = 0; k < STUFF_TRIES; k++) {
		len = (size_t) rand() % STUFF_LEN_MAX;
		for (i = 0; i < len; i++)
			msg[i] = alpha[rand() % (int) (sizeof(alpha) - 1)];
		wlen = stuff_ref(msg, len, want);
		ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "r@example.vn", "x", msg, len, &res),
				 TRANSPORT_OK);
		/* Read by the server before it answered the dot. */
		ck_assert_uint_eq(v.dlen, wlen);
		ck_assert(memcmp(v.data, want, wlen) == 0);
	}
	transport_close(t);
	pthread_join(th, NULL);
	close(v.lfd);
	conf_free(c);
	remove_tmpdir();
}
END_TEST

START_TEST(test_transport_table_matches_the_transport_option)
{
	const char *choices = conf_options[CONF_ID_transport].choices;
	char	words[256], *w, *save;
	enum transport_kind k;
	int	i, n = 0;

	snprintf(words, sizeof(words), "%s", choices);
	for (w = strtok_r(words, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
		ck_assert_msg(transport_parse(w, &k) == 0, "option choice %s has no transport", w);
		ck_assert_str_eq(transport_name(k), w);
		n++;
	}
	ck_assert_int_eq(n, TRANSPORT_KINDS);
	for (i = 0; i < TRANSPORT_KINDS; i++)
		ck_assert_ptr_nonnull(strstr(choices, transport_name((enum transport_kind) i)));
	ck_assert_int_eq(transport_parse("lmtp", &k), -1);
	ck_assert_int_eq(transport_parse(NULL, &k), -1);
	ck_assert_str_eq(transport_name(TRANSPORT_KINDS), "unknown");
	ck_assert(transport_parallel(TRANSPORT_SMTP));
	ck_assert(!transport_parallel(TRANSPORT_DIR));
}
END_TEST

START_TEST(test_transport_dir_writes_whole_files_under_safe_names)
{
	struct conf *c;
	struct transport *t;
	struct transport_result res;
	char	out[512], err[256];

	make_tmpdir();
	c = test_conf(tmpdir);
	snprintf(out, sizeof(out), "%s/a/b", tmpdir);
	ck_assert_ptr_nonnull(t = transport_open(c, TRANSPORT_DIR, out, err, sizeof(err)));
	ck_assert_int_eq(transport_kind(t), TRANSPORT_DIR);
	ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "r@example.vn", "42", MSG,
					strlen(MSG), &res), TRANSPORT_OK);
	ck_assert_int_eq(count_files(out, "42.eml"), 1);
	ck_assert_int_eq(count_files(out, ".*.tmp"), 0);
	ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "r@example.vn", "../x", MSG,
					strlen(MSG), &res), TRANSPORT_PERM);
	ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "r@example.vn", ".hidden", MSG,
					strlen(MSG), &res), TRANSPORT_PERM);
	transport_close(t);
	conf_free(c);
	remove_tmpdir();
}
END_TEST

/* sendmail_answering - a transport whose sendmail program ends with SCRIPT */
static struct transport *
sendmail_answering(struct conf *c, const char *script)
{
	char	path[512], err[256];
	FILE   *fp;
	struct transport *t;

	snprintf(path, sizeof(path), "%s/sendmail", tmpdir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fprintf(fp, "#!/bin/sh\ncat > '%s/got'\n%s\n", tmpdir, script);
	fclose(fp);
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(conf_set(c, "sendmail_path", path, err, sizeof(err)), 0);
	t = transport_open(c, TRANSPORT_SENDMAIL, NULL, err, sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
	return (t);
}

START_TEST(test_transport_sendmail_exit_status_decides)
{
	static const struct {
		const char *script;
		enum transport_status want;
	} cases[] = {
		{"exit 0", TRANSPORT_OK},
		{"exit 75", TRANSPORT_TEMP},
		{"exit 67", TRANSPORT_PERM},
		{"kill -9 $$", TRANSPORT_TEMP},
	};
	struct conf *c;
	struct transport_result res;
	char	err[256];
	size_t	i;

	make_tmpdir();
	c = test_conf(tmpdir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct transport *t = sendmail_answering(c, cases[i].script);

		ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "r@example.vn", "x", MSG,
						strlen(MSG), &res), cases[i].want);
		transport_close(t);
	}
	/* The program gets the message with LF line ends. */
	ck_assert_int_eq(count_files(tmpdir, "got"), 1);
	{
		struct transport *t = sendmail_answering(c, "exit 0");

		ck_assert_int_eq(transport_send(t, "f@ilinks.asia", "-oQ/tmp@example.vn", "x", MSG,
						strlen(MSG), &res), TRANSPORT_PERM);
		transport_close(t);
	}
	ck_assert_int_eq(conf_set(c, "sendmail_path", "/nonexistent/sendmail", err, sizeof(err)), 0);
	ck_assert_ptr_null(transport_open(c, TRANSPORT_SENDMAIL, NULL, err, sizeof(err)));
	conf_free(c);
	remove_tmpdir();
}
END_TEST

/* transport_suite - the tests of sender/transport.c */
static Suite *
transport_suite(void)
{
	Suite  *s = suite_create("transport");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_transport_table_matches_the_transport_option);
	tcase_add_test(tc, test_transport_dir_writes_whole_files_under_safe_names);
	tcase_add_test(tc, test_transport_sendmail_exit_status_decides);
	tcase_add_test(tc, test_transport_smtp_dot_goes_with_the_next_commands_and_a_421_resends_the_next);
	tcase_add_test(tc, test_transport_smtp_doubles_leading_dots_and_ends_every_line_with_crlf);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(transport_suite()));
}
