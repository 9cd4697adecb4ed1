/*
 * NAME
 *	bench_reply 1 (benchmark)
 * SUMMARY
 *	reply analysis throughput, in replies per CPU-second
 * SYNOPSIS
 *	bench_reply [-s SECONDS] [-r ROUNDS] [-t THREADS] [-c FILE] [-d DIR]
 *		    [-S SRCDIR] [-k]
 * DESCRIPTION
 *	Measures reply_analyze() on a set of messages held in memory, with
 *	one analyzer shared by the threads, in ROUNDS rounds (default 3)
 *	of SECONDS each (default 2) per set, the sets interleaved, and
 *	prints per set the median and spread of the rounds in replies per
 *	CPU-second (CPU time of the threads that analyse, not wall time)
 *	and, beside it, per wall second.
 *
 *	The sets:
 *	mix	a realistic MX mix: 85% ordinary mail to staff from
 *		non-customers (business letters, Outlook and Gmail HTML,
 *		long quoted threads, a newsletter, an attachment, a
 *		calendar invitation; generated here), 10% customers'
 *		questions, 3% auto-replies and bounces, 2% refusals (the
 *		last three taken from tests/corpus/vi in real clients'
 *		formats, each with its expected verdict).
 *	ordinary, questions, refusals, auto	each part of the mix alone.
 *	legacy	the four samples of the first bench_reply (Gmail plain,
 *		Gmail alternative, Outlook on the web, Outlook desktop
 *		windows-1258), kept so that figures compare across versions.
 *	With -d DIR the messages are the *.eml files of DIR (for instance
 *	the mix corpus of bench/run-all.sh), one set "dir", not checked.
 *
 *	Every verdict is checked against the expected one (the manifests'
 *	kind, optout and question; ordinary mail is never a refusal): a
 *	benchmark that misclassifies is not measuring the real work. -k
 *	keeps going after a misclassification (to measure an older
 *	library). The last line is
 *	"RESULT reply set=mix per_cpu_s=N spread=LO-HI per_wall_s=N ..." for
 *	bench/run-all.sh. SRCDIR (-S, default the source tree it was built
 *	from) holds tests/corpus/vi. Run by `make bench`, never by `make
 *	check`: timing depends on the machine.
 * DIAGNOSTICS
 *	Exit 0 after printing the figures, 1 when a reply is misclassified
 *	(without -k), 64 for bad usage, 66 when the corpus cannot be read.
 */
#include "config.h"

#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "reply.h"

#define BENCH_TARGET		30000.0		/* replies per CPU-second on the mix */
#define BENCH_MAX_THREADS	64
#define BENCH_MAX_MSGS		4096		/* messages of one set */
#define BENCH_MAX_FILE		(4 * 1024 * 1024)
#define BENCH_MIX_SLOTS		200		/* length of the mix's schedule */
#define BENCH_BATCH		32		/* messages between clock reads */
#define BENCH_LINE_MAX		4096

/* Expected verdict: kind name, optout (-1 any), question (-1 any). */
struct sample {
	char   *msg;
	size_t	len;
	const char *kind;
	int	optout, question;
	char	name[64];
	const char *from;		/* envelope sender: NULL unknown, "" null */
};

struct set {
	const char *name;
	struct sample **s;		/* the schedule, samples repeated by weight */
	size_t	n;
	double	bytes;
	double	rounds[16], wall[16];
	size_t	nrounds;
};

static struct reply_analyzer *ra;
static double seconds = 2.0;
static unsigned long fixed;		/* -n: messages per round, not seconds */
static const char *only;		/* -o: the one set measured */
static int keep_going;

/* Pools of samples by part of the mix. */
enum { P_ORDINARY, P_QUESTION, P_AUTO, P_REFUSAL, P_LEGACY, P_DIR, P_COUNT };
static struct sample pool[P_COUNT][BENCH_MAX_MSGS];
static size_t npool[P_COUNT];

/* add - a sample to pool P; the message is owned by the pool */
static struct sample *
add(int p, char *msg, size_t len, const char *kind, int optout, int question, const char *name)
{
	struct sample *s;

	if (npool[p] >= BENCH_MAX_MSGS) {
		free(msg);
		return (NULL);
	}
	s = &pool[p][npool[p]++];
	*s = (struct sample) {msg, len, kind, optout, question, "", NULL};
	snprintf(s->name, sizeof(s->name), "%s", name);
	return (s);
}

/* slurp - a whole file (at most BENCH_MAX_FILE bytes); free() it */
static char *
slurp(const char *path, size_t *len)
{
	FILE   *fp = fopen(path, "rb");
	char   *buf;

	if (fp == NULL)
		return (NULL);
	if ((buf = malloc(BENCH_MAX_FILE + 1)) != NULL) {
		*len = fread(buf, 1, BENCH_MAX_FILE, fp);
		buf[*len] = 0;
	}
	fclose(fp);
	return (buf);
}

/* dup_printf - a formatted string; free() it */
static char *
dup_printf(size_t cap, const char *fmt, ...)
{
	va_list	ap;
	char   *s = malloc(cap);

	if (s == NULL)
		exit(EX_OSERR);
	va_start(ap, fmt);
	vsnprintf(s, cap, fmt, ap);
	va_end(ap);
	return (s);
}

/* Trace fields every message that crossed the Internet carries. */
static const char trace[] =
	"Received: from mail-pl1-f171.google.com (mail-pl1-f171.google.com [209.85.214.171])\n"
	"\tby mx.ilinks.asia (Postfix) with ESMTPS id 4QbX2k6yZTz9sQ4\n"
	"\tfor <minh.tran@ilinks.asia>; Mon, 30 Nov 2026 09:41:08 +0700 (+07)\n"
	"Received: by mail-pl1-f171.google.com with SMTP id d9443c01a7336-1f3c0b4e2a1so12345675ad.2\n"
	"        for <minh.tran@ilinks.asia>; Sun, 29 Nov 2026 18:41:07 -0800 (PST)\n"
	"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.vn; s=s1; t=1764470467;\n"
	"\th=from:to:subject:date:message-id:mime-version:content-type;\n"
	"\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n"
	"\tb=Kx2W1sL0VQ8vT9m4a7Yc3eP6Rz5uN8hJq1dF0gB2cS7xW9kL4mN6pQ3rT5vY8zA1bC4dE7fG0hI2jK5\n"
	"\t lM8nO1pR4sU7wX0yZ3aB6cD9eF2gH5iJ8kL1mN4oP7qR0sT3uV6wX9yZ2aB5cD8eF1gH4iJ7kL0mN3o==\n"
	"ARC-Authentication-Results: i=1; mx.google.com; dkim=pass header.i=@example.vn;\n"
	"\tspf=pass (google.com: domain of partner@example.vn designates 209.85.214.171 as permitted sender)\n"
	"Authentication-Results: mx.ilinks.asia; dkim=pass header.d=example.vn; spf=pass\n"
	"\tsmtp.mailfrom=example.vn; dmarc=pass header.from=example.vn\n"
	"X-Google-Smtp-Source: AGHT+IFx2q8p0vQ3m7r5s1t9u4w6y8z0a2b4c6d8e0f1g3h5i7j9k1l3m5n7o9p1q3r5s7t9\n"
	"X-Received: by 2002:a17:902:e80a:b0:1f3:1a2b:3c4d with SMTP id d9443c01a7336; Sun, 29 Nov 2026\n";

/* repeat - N copies of S; free() it */
static char *
repeat(const char *s, size_t n)
{
	size_t	l = strlen(s), i;
	char   *r = malloc(l * n + 1);

	if (r == NULL)
		exit(EX_OSERR);
	for (i = 0; i < n; i++)
		memcpy(r + i * l, s, l);
	r[l * n] = 0;
	return (r);
}

/* b64 - base64 of N bytes of S in 76-column lines; free() it */
static char *
b64(const char *s, size_t n)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char   *o = malloc(n * 2 + 8), *p = o;
	size_t	i, col = 0;

	if (o == NULL)
		exit(EX_OSERR);
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned char) s[i] << 16;

		v |= i + 1 < n ? (unsigned char) s[i + 1] << 8 : 0;
		v |= i + 2 < n ? (unsigned char) s[i + 2] : 0;
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

#define ORD_HEAD(from, subject) \
	"%sFrom: " from "\nTo: Trần Minh <minh.tran@ilinks.asia>\nSubject: " subject \
	"\nDate: Mon, 30 Nov 2026 09:41:07 +0700\nMessage-ID: <ord%d@example.vn>\nMIME-Version: 1.0\n"

static const char para_vi[] =
	"Kính gửi anh Minh, bên em gửi anh báo giá gia hạn 20 máy chủ ảo cho năm 2027 như đã trao đổi "
	"qua điện thoại. Đơn giá đã bao gồm VAT, thời hạn thanh toán 30 ngày kể từ ngày xuất hóa đơn.\n";
static const char para_en[] =
	"Hi Minh, following our call this morning, please find below the revised schedule for the data "
	"centre migration. We would like to move the first rack on the weekend of 12 December.\n";

/* ordinary_plain - business letters in plain text, Vietnamese and English */
static void
ordinary_plain(int n)
{
	char   *body = repeat(para_vi, 6), *en = repeat(para_en, 5), *m;

	m = dup_printf(16384, ORD_HEAD("Công ty Minh Phát <ketoan@minhphat.example.vn>", "=?UTF-8?B?QsOhbyBnacOhIGdpYSBo4bqhbiAyMDI3?=")
		       "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n%s\n"
		       "Trân trọng,\nLê Thu Hà\nPhòng Kinh doanh - Công ty Minh Phát\nĐT: 0903 123 456\n", trace, n, body);
	add(P_ORDINARY, m, strlen(m), "reply", 0, -1, "ordinary:plain-vi");
	m = dup_printf(16384, ORD_HEAD("Peter Novak <peter@partner.example.com>", "Rack migration schedule")
		       "Content-Type: text/plain; charset=us-ascii\n\n%s\nBest regards,\nPeter\n\n"
		       "CONFIDENTIALITY NOTICE: This e-mail message is for the sole use of the intended recipient(s) and may "
		       "contain confidential and privileged information. Any unauthorized review, use, disclosure or "
		       "distribution is prohibited.\n", trace, n + 1, en);
	add(P_ORDINARY, m, strlen(m), "reply", 0, -1, "ordinary:plain-en");
	free(body);
	free(en);
}

/* ordinary_thread - a long Gmail thread, three levels of ">" quotes */
static void
ordinary_thread(int n)
{
	char   *l1 = repeat("> > > Em gửi lại anh danh sách IP cần mở cổng 443 và 8443 cho hệ thống giám sát.\n", 20);
	char   *l2 = repeat("> > Anh kiểm tra giúp em cấu hình tường lửa ở site Hà Nội, hình như chưa áp dụng.\n", 15);
	char   *l3 = repeat("> Đã mở rồi em nhé, em thử lại xem, nếu còn lỗi thì gửi log cho anh.\n", 10);
	char   *m = dup_printf(65536, ORD_HEAD("Nguyễn Hoàng <hoang@partner.example.vn>", "Re: Re: Re: Mở cổng tường lửa")
			       "Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: 8bit\n\n"
			       "Anh ơi vẫn chưa vào được, em gửi log đính kèm ở dưới.\n\n"
			       "Vào Th 2, 30 thg 11, 2026 vào lúc 08:00 Trần Minh <minh.tran@ilinks.asia>\nđã viết:\n\n%s%s%s",
			       trace, n, l3, l2, l1);

	add(P_ORDINARY, m, strlen(m), "reply", 0, -1, "ordinary:thread");
	free(l1);
	free(l2);
	free(l3);
}

/* ordinary_outlook - Outlook desktop: Word HTML and a quoted history */
static void
ordinary_outlook(int n)
{
	char   *ph = repeat("<p class=MsoNormal><span style='font-size:11.0pt;font-family:\"Calibri\",sans-serif;"
			    "color:#1F497D'>Chúng tôi xác nhận lịch bảo trì tủ rack số 4 vào tối thứ Bảy.<o:p></o:p>"
			    "</span></p>\n", 40);
	char   *pt = repeat("Chúng tôi xác nhận lịch bảo trì tủ rack số 4 vào tối thứ Bảy.\n", 40), *m;

	m = dup_printf(131072, ORD_HEAD("Phạm Quốc Huy <huy@daiduong.example.vn>", "RE: Lịch bảo trì rack")
		       "Content-Type: multipart/alternative; boundary=\"----=_NextPart_000_0015\"\n\n"
		       "------=_NextPart_000_0015\nContent-Type: text/plain; charset=\"utf-8\"\n"
		       "Content-Transfer-Encoding: 8bit\n\nĐồng ý với lịch trên.\n\nFrom: Trần Minh <minh.tran@ilinks.asia>\n"
		       "Sent: Monday, November 30, 2026 8:00 AM\nTo: Huy\nSubject: Lịch bảo trì rack\n\n%s\n"
		       "------=_NextPart_000_0015\nContent-Type: text/html; charset=\"utf-8\"\n"
		       "Content-Transfer-Encoding: 8bit\n\n<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
		       "<style><!--p.MsoNormal{margin:0cm;font-size:11.0pt}--></style></head><body lang=VI>"
		       "<div class=WordSection1><p class=MsoNormal>Đồng ý với lịch trên.<o:p></o:p></p><div style='border:"
		       "none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'><p class=MsoNormal><b>From:</b> Trần"
		       " Minh</p></div>%s</div></body></html>\n------=_NextPart_000_0015--\n", trace, n, pt, ph);
	add(P_ORDINARY, m, strlen(m), "reply", 0, -1, "ordinary:outlook");
	free(ph);
	free(pt);
}

/* ordinary_newsletter - a vendor's newsletter, HTML only, tables */
static void
ordinary_newsletter(int n)
{
	char   *rows = repeat("<tr><td style=\"padding:12px;font-family:Arial\"><h3>Giải pháp lưu trữ mới</h3><p>Tiết "
			      "kiệm 40% chi phí với dòng ổ cứng doanh nghiệp thế hệ mới, bảo hành 5 năm.</p><a href=\"https:"
			      "//vendor.example.com/p?id=1234&amp;utm_source=newsletter\">Xem chi tiết</a></td></tr>\n", 60);
	char   *m = dup_printf(131072, ORD_HEAD("Vendor News <news@vendor.example.com>", "Bản tin công nghệ tháng 12")
			       "List-Unsubscribe: <mailto:unsub@vendor.example.com>\nPrecedence: bulk\n"
			       "Content-Type: text/html; charset=\"UTF-8\"\nContent-Transfer-Encoding: 8bit\n\n"
			       "<html><body><table width=\"600\" align=\"center\">%s</table><p>Để hủy đăng ký, bấm vào "
			       "đây.</p></body></html>\n", trace, n, rows);

	add(P_ORDINARY, m, strlen(m), "auto_reply", 0, 0, "ordinary:newsletter");
	free(rows);
}

/* ordinary_gmail - Gmail multipart/alternative, and one with a PDF attached */
static void
ordinary_gmail(int n)
{
	char   *pdf = repeat("%PDF-1.7 binary stream of a scanned contract page ", 1500), *att = b64(pdf, strlen(pdf));
	char   *txt = repeat(para_en, 3), *m;

	m = dup_printf(32768, ORD_HEAD("Anna Lee <anna@client.example.org>", "Meeting notes")
		       "Content-Type: multipart/alternative; boundary=\"000000000000a1b2\"\n\n--000000000000a1b2\n"
		       "Content-Type: text/plain; charset=\"UTF-8\"\n\n%s\n--000000000000a1b2\nContent-Type: text/html; "
		       "charset=\"UTF-8\"\n\n<div dir=\"ltr\">%s</div>\n--000000000000a1b2--\n", trace, n, txt, txt);
	add(P_ORDINARY, m, strlen(m), "reply", 0, -1, "ordinary:gmail");
	m = dup_printf(strlen(att) + 8192, ORD_HEAD("Anna Lee <anna@client.example.org>", "Signed contract")
		       "Content-Type: multipart/mixed; boundary=\"000000000000c3d4\"\n\n--000000000000c3d4\n"
		       "Content-Type: text/plain; charset=\"UTF-8\"\n\nPlease find the signed contract attached.\n\n"
		       "--000000000000c3d4\nContent-Type: application/pdf; name=\"contract.pdf\"\nContent-Disposition: "
		       "attachment; filename=\"contract.pdf\"\nContent-Transfer-Encoding: base64\n\n%s--000000000000c3d4--\n",
		       trace, n + 1, att);
	add(P_ORDINARY, m, strlen(m), "reply", 0, -1, "ordinary:attachment");
	m = dup_printf(8192, ORD_HEAD("Anna Lee <anna@client.example.org>", "Invitation: Quarterly review")
		       "Content-Type: multipart/alternative; boundary=\"cal\"\n\n--cal\nContent-Type: text/plain; "
		       "charset=UTF-8\n\nYou have been invited to Quarterly review, Thu 3 Dec 2026 10:00.\n--cal\n"
		       "Content-Type: text/calendar; charset=UTF-8; method=REQUEST\n\nBEGIN:VCALENDAR\nMETHOD:REQUEST\n"
		       "BEGIN:VEVENT\nSUMMARY:Quarterly review\nDTSTART:20261203T030000Z\nEND:VEVENT\nEND:VCALENDAR\n"
		       "--cal--\n", trace, n + 2);
	add(P_ORDINARY, m, strlen(m), "reply", 0, -1, "ordinary:calendar");
	free(pdf);
	free(att);
	free(txt);
}

/* The four samples of the first bench_reply. */
static const char notice[] =
	"Kính gửi Quý khách,\n\nLINKS xin thông báo lịch bảo trì hệ thống Internet cáp quang vào lúc 22:00 "
	"ngày 30/11. Trong thời gian bảo trì, dịch vụ có thể bị gián đoạn khoảng 30 phút. LINKS xin lỗi "
	"Quý khách vì sự bất tiện này.\n";

/* quoted - the notice quoted with PREFIX and line end NL, about 4 KB */
static char *
quoted(const char *prefix, const char *nl)
{
	char   *q = malloc(8192), *o = q;
	int	k;

	if (q == NULL)
		exit(EX_OSERR);
	*o = 0;
	for (k = 0; k < 12; k++) {
		const char *p = notice;

		while (*p) {
			size_t	l = strcspn(p, "\n");

			o += sprintf(o, "%s%.*s%s", prefix, (int) l, p, nl);
			p += l + (p[l] ? 1 : 0);
		}
	}
	return (q);
}

/* legacy - the samples the first version measured */
static void
legacy(void)
{
	char   *q = quoted("> ", "\n"), *h = quoted("", "<br>"), *t, *m;

	m = dup_printf(16384, "From: khach@example.vn\nTo: noreply@ilinks.asia\nSubject: Re: Thong bao\nMIME-Version: "
		       "1.0\nContent-Type: text/plain; charset=UTF-8\n\nTừ chối\n\nVào Th 2, 30 thg 11, 2026 vào lúc 08:00 "
		       "LINKS <noreply@ilinks.asia>\nđã viết:\n%s> -- \n> Nếu không muốn nhận email này nữa, hãy trả lời "
		       "email với nội dung \"Từ chối\".\n", q);
	add(P_LEGACY, m, strlen(m), "reply", 1, 0, "legacy:gmail-plain");
	t = dup_printf(16384, "Tại sao thanh toán của tôi bị từ chối?\n\nVào Th 2, 30 thg 11, 2026 vào lúc 08:00 LINKS "
		       "<noreply@ilinks.asia> đã viết:\n%s", q);
	m = dup_printf(32768, "From: khach@example.vn\nSubject: Re: Thong bao\nMIME-Version: 1.0\nContent-Type: "
		       "multipart/alternative; boundary=\"000\"\n\n--000\nContent-Type: text/plain; charset=\"UTF-8\"\n\n%s\n"
		       "--000\nContent-Type: text/html; charset=\"UTF-8\"\n\n<div dir=\"ltr\">Tại sao thanh toán của tôi bị "
		       "từ chối?</div><div class=\"gmail_quote\"><blockquote class=\"gmail_quote\">%s</blockquote></div>\n"
		       "--000--\n", t, h);
	add(P_LEGACY, m, strlen(m), "reply", 0, 1, "legacy:gmail-alternative");
	free(t);
	m = dup_printf(32768, "From: khach@example.vn\nSubject: RE: Thong bao\nMIME-Version: 1.0\nContent-Type: text/html; "
		       "charset=utf-8\n\n<html><body><div>Từ chối</div><div id=\"appendonsend\"></div><hr><div "
		       "id=\"divRplyFwdMsg\"><b>Từ:</b> LINKS<br><b>Đã gửi:</b> Thứ Hai<br></div><div>%s</div></body></html>\n", h);
	add(P_LEGACY, m, strlen(m), "reply", 1, 0, "legacy:outlook-web");
	t = repeat("LINKS xin thong bao lich bao tri he thong Internet cap quang vao luc 22:00 ngay 30/11.\n", 40);
	m = dup_printf(16384, "From: khach@example.vn\nSubject: RE: Thong bao\nMIME-Version: 1.0\nContent-Type: text/plain; "
		       "charset=\"windows-1258\"\n\n\x54\xfd\xcc\x20\x63\x68\xf4\xec\x69. Cho t\xf4i h\xf0i h\xf3\xd2p "
		       "\xf0\xf4\xde\x6e\x67 khi n\xe0o h\xea\xcc\x74 h\xe5n?\n\nT\xfd\xcc: LINKS <noreply@ilinks.asia>\n\xd0\xe3 "
		       "g\xfd\xd2i: Th\xfd\xcc Hai\n\xd0\xea\xcc\x6e: khach@example.vn\n\n%s", t);
	add(P_LEGACY, m, strlen(m), "reply", 1, 1, "legacy:outlook-1258");
	free(t);
	free(q);
	free(h);
}

/* manifest_line - one case of a corpus manifest into its pool */
static int
manifest_line(const char *dir, char *line)
{
	char   *f[6], *p = line, path[2048], *msg;
	size_t	len, k;
	int	optout, pl;
	struct sample *s;

	line[strcspn(line, "\n")] = 0;
	for (k = 0; k < 6 && p; k++) {
		f[k] = p;
		if ((p = strchr(p, '\t')) != NULL)
			*p++ = 0;
	}
	if (line[0] == '#' || k < 6)
		return (0);
	snprintf(path, sizeof(path), "%s/%s", dir, f[0]);
	if ((msg = slurp(path, &len)) == NULL)
		return (-1);
	optout = strcmp(f[3], "false") != 0;
	pl = strcmp(f[2], "reply") != 0 ? P_AUTO : optout ? P_REFUSAL : P_QUESTION;
	if ((s = add(pl, msg, len, strcmp(f[2], "reply") == 0 ? "reply" : strcmp(f[2], "bounce") == 0
		     ? "bounce" : "auto_reply", optout, strcmp(f[4], "true") == 0, f[0])) != NULL)
		s->from = strcmp(f[1], "-") == 0 ? NULL : strcmp(f[1], "<>") == 0 ? "" : strdup(f[1]);
	return (0);
}

/* load_corpus - the customers' replies of tests/corpus/vi, by part of the mix */
static int
load_corpus(const char *srcdir)
{
	static const char *const manifests[] = {"expected.tsv", "cases.tsv"};
	char	dir[1024], path[2048], line[BENCH_LINE_MAX];
	size_t	i;
	FILE   *fp;

	snprintf(dir, sizeof(dir), "%s/tests/corpus/vi", srcdir);
	for (i = 0; i < sizeof(manifests) / sizeof(manifests[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, manifests[i]);
		if ((fp = fopen(path, "r")) == NULL)
			return (-1);
		while (fgets(line, sizeof(line), fp))
			if (manifest_line(dir, line) < 0) {
				fclose(fp);
				return (-1);
			}
		fclose(fp);
	}
	return (npool[P_QUESTION] && npool[P_REFUSAL] && npool[P_AUTO] ? 0 : -1);
}

/* load_dir - every *.eml of DIR, not checked */
static int
load_dir(const char *dir)
{
	DIR    *d = opendir(dir);
	struct dirent *e;
	char	path[2048], *msg;
	size_t	len, l;

	if (d == NULL)
		return (-1);
	while ((e = readdir(d)) != NULL) {
		l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".eml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if ((msg = slurp(path, &len)) != NULL)
			add(P_DIR, msg, len, NULL, -1, -1, e->d_name);
	}
	closedir(d);
	return (npool[P_DIR] > 0 ? 0 : -1);
}

/* set_fill - schedule SLOTS[p] samples of each pool p, shuffled the same way each run */
static void
set_fill(struct set *st, const char *name, const size_t *slots)
{
	size_t	p, i, n = 0, total = 0;
	unsigned long long x = 88172645463325252ULL;

	for (p = 0; p < P_COUNT; p++)
		total += npool[p] ? slots[p] : 0;
	if ((st->s = calloc(total + 1, sizeof(*st->s))) == NULL)
		exit(EX_OSERR);
	st->name = name;
	for (p = 0; p < P_COUNT; p++)
		for (i = 0; npool[p] && i < slots[p]; i++) {
			st->s[n] = &pool[p][i % npool[p]];
			st->bytes += (double) st->s[n++]->len;
		}
	for (i = n; i > 1; i--) {
		struct sample *t;
		size_t	j;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		j = (size_t) (x % i);
		t = st->s[i - 1], st->s[i - 1] = st->s[j], st->s[j] = t;
	}
	st->n = n;
	st->bytes /= n ? (double) n : 1;
}

/* set_pool - a set of every sample of pool P once */
static void
set_pool(struct set *st, const char *name, int p)
{
	size_t	slots[P_COUNT] = {0};

	slots[p] = npool[p];
	set_fill(st, name, slots);
}

/* wrong - whether R is not the verdict S expects (printed once per sample) */
static int
wrong(const struct sample *s, const struct reply_result *r)
{
	if (s->kind == NULL)
		return (0);
	if (r != NULL && strcmp(reply_kind_name(reply_result_kind(r)), s->kind) == 0
	    && (s->optout < 0 || reply_result_optout(r) == s->optout)
	    && (s->question < 0 || reply_result_question(r) == s->question))
		return (0);
	return (1);
}

struct job {
	const struct set *st;
	size_t	start;
	unsigned long count;
	double	cpu;
	int	bad;
};

/* now - CLOCK (monotonic or this thread's CPU time) in seconds */
static double
now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ((double) ts.tv_sec + (double) ts.tv_nsec / 1e9);
}

/* run - analyse the set's schedule in a loop for SECONDS of wall time */
static void *
run(void *arg)
{
	struct job *j = arg;
	double	end = now(CLOCK_MONOTONIC) + seconds, c0 = now(CLOCK_THREAD_CPUTIME_ID);
	size_t	i = j->start, k;

	while (fixed ? j->count < fixed : now(CLOCK_MONOTONIC) < end) {
		for (k = 0; k < BENCH_BATCH; k++, i++) {
			const struct sample *s = j->st->s[i % j->st->n];
			struct reply_result *r = reply_analyze(ra, s->msg, s->len, s->from);

			if (wrong(s, r) && j->bad++ < 3)
				fprintf(stderr, "bench_reply: %s: %s\n", s->name, r ? reply_result_reason(r)
					: "out of memory");
			reply_result_free(r);
		}
		j->count += BENCH_BATCH;
	}
	j->cpu = now(CLOCK_THREAD_CPUTIME_ID) - c0;
	return (NULL);
}

/* measure - one round of set ST on THREADS threads; adds to *BAD */
static void
measure(struct set *st, int threads, int *bad)
{
	pthread_t t[BENCH_MAX_THREADS];
	struct job jobs[BENCH_MAX_THREADS];
	unsigned long total = 0;
	double	cpu = 0, t0 = now(CLOCK_MONOTONIC), el;
	int	i;

	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < threads; i++) {
		jobs[i].st = st;
		jobs[i].start = st->n * (size_t) i / (size_t) threads;
		if (pthread_create(&t[i], NULL, run, &jobs[i]) != 0)
			exit(EX_OSERR);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		total += jobs[i].count;
		cpu += jobs[i].cpu;
		*bad += jobs[i].bad;
	}
	el = now(CLOCK_MONOTONIC) - t0;
	if (st->nrounds < sizeof(st->rounds) / sizeof(st->rounds[0])) {
		st->rounds[st->nrounds] = cpu > 0 ? (double) total / cpu : 0;
		st->wall[st->nrounds++] = el > 0 ? (double) total / el : 0;
	}
}

/* cmp_double - for qsort */
static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *) a, y = *(const double *) b;

	return ((x > y) - (x < y));
}

/* report - the median and spread of a set's rounds; the RESULT line when LAST */
static void
report(struct set *st, int threads, int result)
{
	double	r[16], w[16];
	size_t	n = st->nrounds;

	memcpy(r, st->rounds, n * sizeof(double));
	memcpy(w, st->wall, n * sizeof(double));
	qsort(r, n, sizeof(double), cmp_double);
	qsort(w, n, sizeof(double), cmp_double);
	printf("%-10s %4zu msgs %6.0f B avg: %8.0f replies/s per CPU-second (rounds %.0f-%.0f), "
	       "%8.0f per wall second\n", st->name, st->n, st->bytes, r[n / 2], r[0], r[n - 1], w[n / 2]);
	if (result)
		printf("RESULT reply set=%s threads=%d rounds=%zu per_cpu_s=%.0f spread=%.0f-%.0f per_wall_s=%.0f "
		       "target=%.0f %s\n", st->name, threads, n, r[n / 2], r[0], r[n - 1], w[n / 2], BENCH_TARGET,
		       r[n / 2] >= BENCH_TARGET ? "met" : "MISSED");
}

/* usage - the synopsis on F */
static void
usage(FILE *f)
{
	fprintf(f, "usage: bench_reply [-s SECONDS] [-r ROUNDS] [-t THREADS] [-c FILE] [-d DIR] [-S SRCDIR] [-k]\n"
		"                   [-n COUNT] [-o SET]\n"
		"Classify replies in a loop; print replies per CPU-second, median of the rounds.\n"
		"  -s SECONDS  length of each round of each set (default 2)\n"
		"  -r ROUNDS   rounds, the sets interleaved (default 3)\n"
		"  -t THREADS  threads sharing one analyzer (default 1)\n"
		"  -c FILE     links.conf to read (default: built-in defaults)\n"
		"  -d DIR      measure the *.eml messages of DIR instead (not checked)\n"
		"  -S SRCDIR   source tree holding tests/corpus/vi (default: the one built from)\n"
		"  -k          keep going when a verdict is wrong\n"
		"  -n COUNT    analyse COUNT messages per round instead (for a profiler)\n"
		"  -o SET      measure only SET (mix, ordinary, questions, refusals, auto, legacy)\n");
}

/* build_sets - the sets to measure into SETS; their count */
static size_t
build_sets(struct set *sets, const char *dir, const char *srcdir)
{
	/* The MX mix of issue 14, in slots of BENCH_MIX_SLOTS. */
	static const size_t mix[P_COUNT] = {
		[P_ORDINARY] = BENCH_MIX_SLOTS * 85 / 100, [P_QUESTION] = BENCH_MIX_SLOTS * 10 / 100,
		[P_AUTO] = BENCH_MIX_SLOTS * 3 / 100, [P_REFUSAL] = BENCH_MIX_SLOTS * 2 / 100,
	};
	int	i;

	if (dir != NULL) {
		if (load_dir(dir) < 0) {
			fprintf(stderr, "bench_reply: %s: no readable *.eml\n", dir);
			exit(EX_NOINPUT);
		}
		set_pool(&sets[0], "dir", P_DIR);
		return (1);
	}
	for (i = 0; i < 3; i++) {
		ordinary_plain(10 * i);
		ordinary_thread(10 * i + 3);
		ordinary_outlook(10 * i + 4);
		ordinary_newsletter(10 * i + 5);
		ordinary_gmail(10 * i + 6);
	}
	legacy();
	if (load_corpus(srcdir) < 0) {
		fprintf(stderr, "bench_reply: %s/tests/corpus/vi: cannot read the corpus\n", srcdir);
		exit(EX_NOINPUT);
	}
	set_fill(&sets[0], "mix", mix);
	set_pool(&sets[1], "ordinary", P_ORDINARY);
	set_pool(&sets[2], "questions", P_QUESTION);
	set_pool(&sets[3], "refusals", P_REFUSAL);
	set_pool(&sets[4], "auto", P_AUTO);
	set_pool(&sets[5], "legacy", P_LEGACY);
	return (6);
}

int
main(int argc, char **argv)
{
	const char *cpath = NULL, *dir = NULL, *srcdir = TOP_SRCDIR;
	char	err[256];
	struct conf *conf;
	struct set sets[8];
	int	threads = 1, rounds = 3, opt, bad = 0, r;
	size_t	nsets, k;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "--version") == 0)) {
		if (argv[1][2] == 'h')
			usage(stdout);
		else
			printf("bench_reply (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return (EX_OK);
	}
	while ((opt = getopt(argc, argv, "s:r:t:c:d:S:kn:o:")) != -1) {
		switch (opt) {
		case 's': seconds = atof(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 'c': cpath = optarg; break;
		case 'd': dir = optarg; break;
		case 'S': srcdir = optarg; break;
		case 'k': keep_going = 1; break;
		case 'n': fixed = strtoul(optarg, NULL, 10); break;
		case 'o': only = optarg; break;
		default: usage(stderr); return (EX_USAGE);
		}
	}
	if (seconds <= 0 || threads < 1 || threads > BENCH_MAX_THREADS || rounds < 1 || rounds > 16) {
		usage(stderr);
		return (EX_USAGE);
	}
	conf = cpath ? conf_load(cpath, err, sizeof(err)) : conf_defaults();
	if (conf == NULL || (ra = reply_analyzer_new(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench_reply: %s\n", conf ? err : "no configuration");
		return (EX_CONFIG);
	}
	memset(sets, 0, sizeof(sets));
	nsets = build_sets(sets, dir, srcdir);
	printf("bench_reply: %d round(s) of %.1f s per set, %d thread(s); CPU time of the analysing threads\n",
	       rounds, seconds, threads);
	for (r = 0; r < rounds; r++)
		for (k = 0; k < nsets; k++)
			if (only == NULL || strcmp(only, sets[k].name) == 0)
				measure(&sets[k], threads, &bad);
	for (k = 0; k < nsets; k++)
		if (sets[k].nrounds > 0)
			report(&sets[k], threads, 0);
	if (sets[0].nrounds > 0)
		report(&sets[0], threads, 1);
	reply_analyzer_free(ra);
	conf_free(conf);
	if (bad) {
		fprintf(stderr, "bench_reply: %d wrong verdicts\n", bad);
		return (keep_going ? 0 : 1);
	}
	return (0);
}
