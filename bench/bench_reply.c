/*
 * NAME
 *	bench_reply 1 (benchmark)
 * SUMMARY
 *	reply analysis throughput: replies per second per core
 * SYNOPSIS
 *	bench_reply [-s SECONDS] [-t THREADS] [-c FILE]
 * DESCRIPTION
 *	Builds a set of about 4 KB customer replies in memory, as they
 *	arrive from Gmail (plain text with a "Vào ... đã viết:" quote of our
 *	notice and its footer), Gmail multipart/alternative (base64 text,
 *	quoted-printable HTML with a gmail_quote), Outlook on the web (HTML
 *	only, #divRplyFwdMsg) and Outlook desktop (windows-1258 plain text
 *	with a "Từ:/Đã gửi:" header block), then classifies them in a loop
 *	with one shared analyzer: first on one thread, then on THREADS
 *	threads (default: the number of online CPUs). Prints replies/s per
 *	core for both runs and whether the target (REPLY_BENCH_TARGET per
 *	core) is met. Run by `make bench`, never by `make check`: timing
 *	depends on the machine.
 * DIAGNOSTICS
 *	Exit 0 after printing the figures, 1 when a reply is misclassified
 *	(the benchmark checks it measures the real work), 64 for bad usage.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "reply.h"

#define REPLY_BENCH_TARGET	10000.0		/* replies/s per core */
#define REPLY_BENCH_SIZE	4096		/* approximate message size */
#define REPLY_BENCH_MAX_THREADS	256

struct sample {
	char   *msg;
	size_t	len;
	int	optout;
	int	question;
};

static struct sample samples[4];
static struct reply_analyzer *ra;
static double seconds = 3.0;

static const char notice[] =
	"Kính gửi Quý khách,\n\nLINKS xin thông báo lịch bảo trì hệ thống Internet cáp quang vào lúc 22:00 "
	"ngày 30/11. Trong thời gian bảo trì, dịch vụ có thể bị gián đoạn khoảng 30 phút. LINKS xin lỗi "
	"Quý khách vì sự bất tiện này.\n";
static const char footer[] =
	"-- \nNếu không muốn nhận email này nữa, hãy trả lời email với nội dung \"Từ chối\".\n"
	"LINKS - Tầng 15, tòa nhà văn phòng Intracom, 33 Cầu Diễn, phường Phúc Diễn, quận Bắc Từ Liêm, Hà Nội\n";

static char *
b64(const char *s, size_t n)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char   *o = malloc(n * 2 + 8), *p = o;
	size_t	i, col = 0;

	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned char) s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned char) s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char) s[i + 2];
		*p++ = t[(v >> 18) & 63];
		*p++ = t[(v >> 12) & 63];
		*p++ = i + 1 < n ? t[(v >> 6) & 63] : '=';
		*p++ = i + 2 < n ? t[v & 63] : '=';
		if ((col += 4) >= 76) {
			*p++ = '\n';
			col = 0;
		}
	}
	*p++ = '\n';
	*p = 0;
	return (o);
}

/* Append the quoted notice to B until it is about REPLY_BENCH_SIZE long. */
static void
pad_quoted(char *b, size_t cap, const char *prefix, const char *nl)
{
	while (strlen(b) + strlen(notice) * 2 < REPLY_BENCH_SIZE && strlen(b) + 600 < cap) {
		const char *p = notice;

		while (*p) {
			size_t	l = strcspn(p, "\n");

			strcat(b, prefix);
			strncat(b, p, l);
			strcat(b, nl);
			p += l + (p[l] ? 1 : 0);
		}
	}
}

static void
build(void)
{
	size_t	cap = REPLY_BENCH_SIZE * 4;
	char   *b, *text, *html, *t64;

	/* 1. Gmail, plain text, Vietnamese attribution, refusal */
	b = calloc(1, cap);
	strcpy(b, "From: khach@example.vn\nTo: noreply@ilinks.asia\nSubject: Re: Thong bao\n"
	       "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
	       "Từ chối\n\nVào Th 2, 30 thg 11, 2026 vào lúc 08:00 LINKS <noreply@ilinks.asia>\nđã viết:\n");
	pad_quoted(b, cap, "> ", "\n");
	strcat(b, "> -- \n> Nếu không muốn nhận email này nữa, hãy trả lời email với nội dung \"Từ chối\".\n");
	samples[0] = (struct sample) {b, strlen(b), 1, 0};

	/* 2. Gmail multipart/alternative, base64 text + QP-free HTML, question */
	text = calloc(1, cap);
	strcpy(text, "Tại sao thanh toán của tôi bị từ chối?\n\nVào Th 2, 30 thg 11, 2026 vào lúc 08:00 LINKS "
	       "<noreply@ilinks.asia> đã viết:\n");
	pad_quoted(text, cap / 2, "> ", "\n");
	t64 = b64(text, strlen(text));
	html = calloc(1, cap);
	strcpy(html, "<div dir=\"ltr\">Tại sao thanh toán của tôi bị từ chối?</div><div class=\"gmail_quote\">"
	       "<blockquote class=\"gmail_quote\">");
	pad_quoted(html, cap / 2, "", "<br>");
	strcat(html, "</blockquote></div>");
	b = calloc(1, cap * 2);
	snprintf(b, cap * 2, "From: khach@example.vn\nSubject: Re: Thong bao\nMIME-Version: 1.0\n"
		 "Content-Type: multipart/alternative; boundary=\"000\"\n\n--000\n"
		 "Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: base64\n\n%s\n--000\n"
		 "Content-Type: text/html; charset=\"UTF-8\"\n\n%s\n--000--\n", t64, html);
	samples[1] = (struct sample) {b, strlen(b), 0, 1};
	free(text);
	free(t64);

	/* 3. Outlook on the web, HTML only, refusal */
	b = calloc(1, cap * 2);
	snprintf(b, cap * 2, "From: khach@example.vn\nSubject: RE: Thong bao\nMIME-Version: 1.0\n"
		 "Content-Type: text/html; charset=utf-8\n\n<html><body><div>Từ chối</div>"
		 "<div id=\"appendonsend\"></div><hr><div id=\"divRplyFwdMsg\"><b>Từ:</b> LINKS<br>"
		 "<b>Đã gửi:</b> Thứ Hai<br></div><div>%s</div></body></html>\n", html);
	samples[2] = (struct sample) {b, strlen(b), 1, 0};
	free(html);

	/* 4. Outlook desktop, windows-1258 plain text, refusal + question */
	b = calloc(1, cap);
	strcpy(b, "From: khach@example.vn\nSubject: RE: Thong bao\nMIME-Version: 1.0\n"
	       "Content-Type: text/plain; charset=\"windows-1258\"\nContent-Transfer-Encoding: 8bit\n\n"
	       "\x54\xfd\xcc\x20\x63\x68\xf4\xec\x69. Cho t\xf4i h\xf0i h\xf3\xd2p \xf0\xf4\xde\x6e\x67 khi n\xe0o h\xea\xcc\x74 h\xe5n?\n\n"
	       "T\xfd\xcc: LINKS <noreply@ilinks.asia>\n\xd0\xe3 g\xfd\xd2i: Th\xfd\xcc Hai\n\xd0\xea\xcc\x6e: khach@example.vn\n\n");
	while (strlen(b) + 200 < REPLY_BENCH_SIZE)
		strcat(b, "LINKS xin thong bao lich bao tri he thong Internet cap quang vao luc 22:00 ngay 30/11.\n");
	strcat(b, footer);
	samples[3] = (struct sample) {b, strlen(b), 1, 1};
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

struct job {
	unsigned long count;
	int	bad;
};

static void *
run(void *arg)
{
	struct job *j = arg;
	double	end = now() + seconds;
	size_t	i = 0;

	while (now() < end) {
		int	k;

		for (k = 0; k < 64; k++, i++) {
			const struct sample *s = &samples[i % 4];
			struct reply_result *r = reply_analyze(ra, s->msg, s->len, NULL);

			if (r == NULL || reply_result_optout(r) != s->optout
			    || reply_result_question(r) != s->question) {
				if (j->bad++ == 0)
					fprintf(stderr, "bench_reply: sample %zu: %s\n", i % 4,
						r ? reply_result_reason(r) : "out of memory");
			}
			reply_result_free(r);
		}
		j->count += 64;
	}
	return (NULL);
}

static double
measure(int threads, int *bad)
{
	pthread_t t[REPLY_BENCH_MAX_THREADS];
	struct job jobs[REPLY_BENCH_MAX_THREADS];
	unsigned long total = 0;
	double	t0 = now(), el;
	int	i;

	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, run, &jobs[i]) != 0)
			exit(1);
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		total += jobs[i].count;
		*bad += jobs[i].bad;
	}
	el = now() - t0;
	return (total / el);
}

int
main(int argc, char **argv)
{
	const char *cpath = NULL;
	char	err[256];
	struct conf *conf;
	long	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int	threads = ncpu > 0 ? (int) ncpu : 1, opt, bad = 0, i;
	double	one, many;
	size_t	avg = 0;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		printf("usage: bench_reply [-s SECONDS] [-t THREADS] [-c FILE]\n"
		       "Classify about 4 KB replies in a loop; print replies/s per core.\n"
		       "  -s SECONDS  length of each run (default 3)\n"
		       "  -t THREADS  threads of the second run (default: online CPUs)\n"
		       "  -c FILE     links.conf to read (default: built-in defaults)\n");
		return (EX_OK);
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("bench_reply (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return (EX_OK);
	}
	while ((opt = getopt(argc, argv, "s:t:c:")) != -1) {
		switch (opt) {
		case 's':
			seconds = atof(optarg);
			break;
		case 't':
			threads = atoi(optarg);
			break;
		case 'c':
			cpath = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench_reply [-s SECONDS] [-t THREADS] [-c FILE]\n");
			return (EX_USAGE);
		}
	}
	if (seconds <= 0 || threads < 1 || threads > REPLY_BENCH_MAX_THREADS) {
		fprintf(stderr, "bench_reply: bad -s or -t\n");
		return (EX_USAGE);
	}
	conf = cpath ? conf_load(cpath, err, sizeof(err)) : conf_defaults();
	if (conf == NULL || (ra = reply_analyzer_new(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench_reply: %s\n", err);
		return (EX_CONFIG);
	}
	build();
	for (i = 0; i < 4; i++)
		avg += samples[i].len;
	printf("bench_reply: %d sample replies, %zu bytes on average, %.1f s per run\n", 4, avg / 4, seconds);
	one = measure(1, &bad);
	printf("1 thread: %.0f replies/s per core\n", one);
	many = measure(threads, &bad);
	printf("%d threads: %.0f replies/s in all, %.0f replies/s per core\n", threads, many, many / threads);
	printf("target >= %.0f replies/s per core: %s\n", REPLY_BENCH_TARGET,
	       one >= REPLY_BENCH_TARGET ? "met" : "MISSED");
	for (i = 0; i < 4; i++)
		free(samples[i].msg);
	reply_analyzer_free(ra);
	conf_free(conf);
	if (bad) {
		fprintf(stderr, "bench_reply: %d misclassified replies\n", bad);
		return (1);
	}
	return (0);
}
