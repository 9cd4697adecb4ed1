/*
 * NAME
 *	digest 3
 * SUMMARY
 *	links-sender digest: the daily mail that tells support what happened
 * SYNOPSIS
 *	#include "digest.h"
 * DESCRIPTION
 *	See digest.h. The figures come from the store: consent events
 *	(store_consent_range()), the addresses whose last bounce lies in
 *	the window and the milter's counters per hour (store/digest_store.h).
 *	The counter names are those of milter/milter_stats.c.
 *
 *	A customer's action is one list line: store_optout() writes one
 *	consent event per category refused, so events of the same customer,
 *	channel, direction and second are merged ("survey, promotion").
 * DIAGNOSTICS
 *	Errors on standard error, one line each, without personal data.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "compose.h"
#include "digest.h"
#include "log.h"
#include "mime.h"
#include "store.h"
#include "strbuf.h"
#include "transport.h"
#include "digest_store.h"

#define DG_ERR_MAX	512
#define DG_TIME_MAX	40		/* a formatted local time */
#define DG_SUBJECT_MAX	400
#define DG_CHANNELS	(STORE_CH_WEB + 1)
#define DG_FILE_MAX	64		/* the dir transport's file name */

/* The milter's counters (milter/milter_stats.c) the digest reports. */
enum dg_counter {
	DGC_MESSAGES = 0, DGC_QUESTIONS, DGC_ROUTED, DGC_UNVERIFIED, DGC_SOFT,
	DGC_BOUNCES_UNVERIFIED, DGC_AUTO_REPLIES, DGC_COUNT
};
static const char *const dg_counter_names[DGC_COUNT] = {
	"milter.messages", "milter.questions", "milter.routed", "milter.unverified",
	"milter.soft_bounces", "milter.bounces_unverified", "milter.auto_replies",
};

/* Channel names, Vietnamese and English, indexed by enum store_channel. */
static const char *const dg_channel_vi[DG_CHANNELS] = {
	"trả lời \"Từ chối\"", "nút hủy đăng ký hoặc mailto", "nhân viên", "nhập CSV",
	"trang web",
};
static const char *const dg_channel_en[DG_CHANNELS] = {
	"reply \"Từ chối\"", "one-click or unsubscribe mailto", "staff", "CSV import",
	"web page",
};

/* One customer's action: the consent events of one moment merged. */
struct dg_act {
	int64_t customer_id;		/* 0: the customer was deleted since */
	enum store_channel ch;
	time_t	at;
	int	optout;
	unsigned cats;			/* 1 << category */
	char	actor[STORE_ACTOR_MAX];
	char   *email;			/* looked up for the list; NULL */
};

/* What the window holds. */
struct dg {
	time_t	since, until;
	long	lines;
	struct dg_act cur;		/* the action being merged */
	int	have_cur;
	struct dg_act *shown;		/* the first LINES actions */
	long	nshown;
	long	refusals, optins, by_channel[DG_CHANNELS];
	long	ctr[DGC_COUNT];
	long	hard, undeliverable, bounces_listed;
	struct strbuf blist;		/* the bounce lines */
};

/* How dg_time() writes a time. */
enum dg_tfmt { DGT_LIST, DGT_ZONE, DGT_SHORT, DGT_FILE };

/* dg_time - T in local time, in format F, into OUT */
static const char *
dg_time(time_t t, enum dg_tfmt f, char *out, size_t outlen)
{
	struct tm tm;
	size_t	n = 0;

	if (localtime_r(&t, &tm) != NULL)
		switch (f) {
		case DGT_LIST:
			n = strftime(out, outlen, "%Y-%m-%d %H:%M", &tm);
			break;
		case DGT_ZONE:
			n = strftime(out, outlen, "%Y-%m-%d %H:%M (%z)", &tm);
			break;
		case DGT_SHORT:
			n = strftime(out, outlen, "%d/%m %H:%M", &tm);
			break;
		case DGT_FILE:
			n = strftime(out, outlen, "%Y%m%d-%H%M", &tm);
			break;
		}
	if (n == 0)
		snprintf(out, outlen, "@%lld", (long long) t);
	return (out);
}

/* dg_flush - count the action being merged, keep it when the list has room */
static void
dg_flush(struct dg *d)
{
	if (!d->have_cur)
		return;
	if (d->cur.optout) {
		d->refusals++;
		if ((unsigned) d->cur.ch < DG_CHANNELS)
			d->by_channel[d->cur.ch]++;
	} else
		d->optins++;
	if (d->nshown < d->lines)
		d->shown[d->nshown++] = d->cur;
	d->have_cur = 0;
}

/* dg_event - one consent event of the window (store_consent_range()) */
static int
dg_event(const struct store_consent *e, void *arg)
{
	struct dg *d = arg;
	struct dg_act *a = &d->cur;

	if (d->have_cur && a->customer_id == e->customer_id && a->ch == e->channel
	    && a->at == e->at && a->optout == e->optout && strcmp(a->actor, e->actor) == 0) {
		a->cats |= 1u << e->category;
		return (0);
	}
	dg_flush(d);
	memset(a, 0, sizeof(*a));
	a->customer_id = e->customer_id;
	a->ch = e->channel;
	a->at = e->at;
	a->optout = e->optout;
	a->cats = 1u << e->category;
	snprintf(a->actor, sizeof(a->actor), "%s", e->actor);
	d->have_cur = 1;
	return (0);
}

/* dg_bounce - one address whose last permanent failure is in the window */
static int
dg_bounce(const struct store_digest_bounce *b, void *arg)
{
	struct dg *d = arg;
	char	when[DG_TIME_MAX];

	d->hard++;
	d->undeliverable += b->undeliverable;
	if (d->bounces_listed >= d->lines)
		return (0);
	d->bounces_listed++;
	dg_time(b->last, DGT_LIST, when, sizeof(when));
	if (b->customer_id > 0)
		strbuf_printf(&d->blist, "  %s  #%lld %s", when, (long long) b->customer_id,
			      b->email);
	else
		strbuf_printf(&d->blist, "  %s  (không phải khách hàng / no customer)", when);
	strbuf_printf(&d->blist, "  %ld lần / time%s%s\n", b->count, b->count == 1 ? "" : "s",
		      b->undeliverable ? "; đã ngừng gửi / no longer mailed" : "");
	return (0);
}

/* dg_email - the address of A's customer, for the list; STORE_OK when deleted since */
static int
dg_email(struct store *st, struct dg_act *a)
{
	struct store_customer c;
	int	rc;

	if (a->customer_id <= 0)
		return (STORE_OK);
	memset(&c, 0, sizeof(c));
	if ((rc = store_customer_get(st, a->customer_id, &c)) == STORE_NOTFOUND)
		return (STORE_OK);
	if (rc == STORE_OK) {
		a->email = c.email;
		c.email = NULL;
	}
	store_customer_clear(&c);
	return (rc);
}

/* dg_collect - read the window from the store into D; an EX_ code (said) */
static int
dg_collect(const struct conf *conf, struct dg *d)
{
	char	err[DG_ERR_MAX];
	struct store *st;
	int	rc = STORE_OK, i;

	if ((st = store_open(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (EX_TEMPFAIL);
	}
	rc = store_consent_range(st, d->since, d->until, dg_event, d);
	dg_flush(d);
	for (i = 0; rc == STORE_OK && i < DGC_COUNT; i++)
		rc = store_counter_window(st, dg_counter_names[i], d->since, d->until, &d->ctr[i]);
	if (rc == STORE_OK)
		rc = store_digest_bounces(st, d->since, d->until, dg_bounce, d);
	for (i = 0; rc == STORE_OK && i < d->nshown; i++)
		rc = dg_email(st, &d->shown[i]);
	if (rc != STORE_OK)
		fprintf(stderr, "links-sender: store: %s\n", store_errmsg(st));
	store_close(st);
	return (rc == STORE_OK ? EX_OK : rc == STORE_TEMP ? EX_TEMPFAIL : EX_SOFTWARE);
}

/* dg_empty - whether nothing in the window concerns support */
static int
dg_empty(const struct dg *d)
{
	return (d->refusals == 0 && d->optins == 0 && d->hard == 0 && d->ctr[DGC_QUESTIONS] == 0
		&& d->ctr[DGC_UNVERIFIED] == 0 && d->ctr[DGC_SOFT] == 0
		&& d->ctr[DGC_BOUNCES_UNVERIFIED] == 0);
}

/* dg_bounces - every bounce of the window: addresses, soft, unauthenticated */
static long
dg_bounces(const struct dg *d)
{
	return (d->hard + d->ctr[DGC_SOFT] + d->ctr[DGC_BOUNCES_UNVERIFIED]);
}

/* dg_channels - "name: N, name: N" of the refusal channels into B */
static void
dg_channels(const struct dg *d, const char *const names[DG_CHANNELS], struct strbuf *b)
{
	static const enum store_channel order[DG_CHANNELS] = {
		STORE_CH_REPLY, STORE_CH_ONE_CLICK, STORE_CH_WEB, STORE_CH_STAFF, STORE_CH_IMPORT
	};

	for (int i = 0; i < DG_CHANNELS; i++)
		strbuf_printf(b, "%s%s: %ld", i ? ", " : "", names[order[i]],
			      d->by_channel[order[i]]);
}

/* The words of the counts, in one language. */
struct dg_lang {
	const char *const *channel;	/* indexed by enum store_channel */
	const char *title;
	const char *refusals;
	const char *optins;
	const char *questions;
	const char *hard;		/* "Bounces: addresses that failed permanently" */
	const char *stopped;		/* no longer mailed */
	const char *soft;
	const char *unauth;
	const char *to_support;
	const char *unverified;
	const char *routed;
	const char *analysed;
	const char *auto_replies;
	const char *empty;
};

static const struct dg_lang dg_vi = {
	dg_channel_vi,
	"Tóm tắt hằng ngày cho bộ phận hỗ trợ",
	"Từ chối nhận thư",
	"Đồng ý nhận lại",
	"Câu hỏi của khách hàng chuyển đến hỗ trợ",
	"Thư trả về: địa chỉ lỗi vĩnh viễn",
	"đã ngừng gửi",
	"lỗi tạm thời",
	"không xác thực được",
	"đã chuyển cho hỗ trợ",
	"Yêu cầu từ chối chưa xác minh được (chưa áp dụng, đã chuyển cho hỗ trợ)",
	"Thư gửi noreply@ đã chuyển cho hỗ trợ (câu hỏi, yêu cầu chưa xác minh, "
	"thư trả về chưa xác thực)",
	"Thư khách hàng đã phân tích",
	"thư trả lời tự động",
	"Không có gì mới trong khoảng thời gian này. Thư này cho biết việc tóm tắt hằng ngày "
	"vẫn chạy.",
};

static const struct dg_lang dg_en = {
	dg_channel_en,
	"Daily digest for support",
	"Refusals",
	"Agreed again (opt-in)",
	"Customer questions routed to support",
	"Bounces: addresses that failed permanently",
	"no longer mailed",
	"temporary failures",
	"not authenticated",
	"sent to support",
	"Refusals that could not be verified (not applied, sent to support)",
	"Mail to noreply@ rerouted to support (questions, unverified requests, unauthenticated "
	"bounces)",
	"Customer messages analysed",
	"auto-replies",
	"Nothing happened in this window. This mail shows that the daily digest still runs.",
};

/* dg_counts - the counts of D in language L, under the title and WINDOW */
static void
dg_counts(const struct dg *d, const struct dg_lang *L, const char *window, struct strbuf *b)
{
	strbuf_printf(b, "%s\n%s\n\n%s: %ld (", L->title, window, L->refusals, d->refusals);
	dg_channels(d, L->channel, b);
	strbuf_printf(b, ")\n%s: %ld\n%s: %ld\n", L->optins, d->optins, L->questions,
		      d->ctr[DGC_QUESTIONS]);
	strbuf_printf(b, "%s %ld (%s: %ld), %s %ld, %s %ld (%s)\n", L->hard, d->hard, L->stopped,
		      d->undeliverable, L->soft, d->ctr[DGC_SOFT], L->unauth,
		      d->ctr[DGC_BOUNCES_UNVERIFIED], L->to_support);
	strbuf_printf(b, "%s: %ld\n%s: %ld\n", L->unverified, d->ctr[DGC_UNVERIFIED], L->routed,
		      d->ctr[DGC_ROUTED]);
	strbuf_printf(b, "%s: %ld; %s: %ld\n", L->analysed, d->ctr[DGC_MESSAGES], L->auto_replies,
		      d->ctr[DGC_AUTO_REPLIES]);
	if (dg_empty(d))
		strbuf_printf(b, "\n%s\n", L->empty);
}

/* dg_cats - the category names of mask CATS into B */
static void
dg_cats(unsigned cats, struct strbuf *b)
{
	int	first = 1;

	for (int c = 0; c < CATEGORY_COUNT; c++)
		if (cats & (1u << c)) {
			strbuf_printf(b, "%s%s", first ? "" : ", ", category_get(c)->name);
			first = 0;
		}
}

/* dg_more - the "and K more" line of a list */
static void
dg_more(long more, struct strbuf *b)
{
	if (more > 0)
		strbuf_printf(b, "  ... và %ld mục khác / and %ld more\n", more, more);
}

/* dg_lists - the refusal and bounce lists */
static void
dg_lists(const struct dg *d, struct strbuf *b)
{
	char	when[DG_TIME_MAX];

	strbuf_printf(b, "\n== Từ chối và đồng ý lại / Refusals and opt-ins: %ld ==\n",
		      d->refusals + d->optins);
	for (long i = 0; i < d->nshown; i++) {
		const struct dg_act *a = &d->shown[i];

		strbuf_printf(b, "  %s  ", dg_time(a->at, DGT_LIST, when, sizeof(when)));
		if (a->customer_id > 0 && a->email != NULL)
			strbuf_printf(b, "#%lld %s", (long long) a->customer_id, a->email);
		else
			strbuf_printf(b, "(đã xóa / deleted)");
		strbuf_printf(b, "  %s  %s", a->optout ? "từ chối / refused" :
			      "đồng ý lại / agreed again",
			      (unsigned) a->ch < DG_CHANNELS ? dg_channel_en[a->ch] : "?");
		if (a->actor[0] != 0)
			strbuf_printf(b, " (%s)", a->actor);
		strbuf_printf(b, "  ");
		dg_cats(a->cats, b);
		strbuf_printf(b, "\n");
	}
	dg_more(d->refusals + d->optins - d->nshown, b);
	strbuf_printf(b, "\n== Địa chỉ lỗi vĩnh viễn / Addresses that bounced permanently: %ld ==\n",
		      d->hard);
	if (d->blist.len > 0)
		strbuf_add(b, d->blist.data, d->blist.len);
	dg_more(d->hard - d->bounces_listed, b);
	strbuf_printf(b, "\nCâu hỏi và yêu cầu chưa xác minh nằm trong hộp thư hỗ trợ (tiêu đề "
		      "X-Links-*). / Questions and unverified requests are in the support mailbox "
		      "(X-Links-* headers).\n");
}

/* dg_subject - the subject with the main counts into OUT */
static void
dg_subject(const struct dg *d, char *out, size_t outlen)
{
	char	a[DG_TIME_MAX], z[DG_TIME_MAX];

	dg_time(d->since, DGT_SHORT, a, sizeof(a));
	dg_time(d->until, DGT_SHORT, z, sizeof(z));
	if (dg_empty(d))
		snprintf(out, outlen, "Tóm tắt hỗ trợ %s–%s: không có gì mới (support digest: "
			 "nothing new)", a, z);
	else
		snprintf(out, outlen, "Tóm tắt hỗ trợ %s–%s: %ld từ chối, %ld câu hỏi, %ld thư trả "
			 "về, %ld chưa xác minh (support digest)", a, z, d->refusals,
			 d->ctr[DGC_QUESTIONS], dg_bounces(d), d->ctr[DGC_UNVERIFIED]);
}

/* dg_text - the whole text: Vietnamese, English, the lists; NULL when out of memory */
static char *
dg_text(const struct dg *d)
{
	struct strbuf b;
	char	a[DG_TIME_MAX], z[DG_TIME_MAX], vi[2 * DG_TIME_MAX + 16], en[2 * DG_TIME_MAX + 16];

	strbuf_init(&b);
	dg_time(d->since, DGT_LIST, a, sizeof(a));
	dg_time(d->until, DGT_ZONE, z, sizeof(z));
	snprintf(vi, sizeof(vi), "Từ %s đến %s", a, z);
	snprintf(en, sizeof(en), "From %s to %s", a, z);
	dg_counts(d, &dg_vi, vi, &b);
	strbuf_printf(&b, "\n---- English ----\n\n");
	dg_counts(d, &dg_en, en, &b);
	dg_lists(d, &b);
	if (b.data == NULL || strbuf_adds(&b, "") < 0) {
		strbuf_free(&b);
		return (NULL);
	}
	return (strbuf_steal(&b));
}

/* dg_window - the window of O into D; an EX_ code (said) */
static int
dg_window(const struct digest_opts *o, struct dg *d)
{
	time_t	now = time(NULL);

	d->until = o->until ? o->until : now - now % 3600;
	d->since = o->since ? o->since : d->until - DIGEST_WINDOW;
	if (d->since >= d->until) {
		fprintf(stderr, "links-sender: digest: --until must come after --since\n");
		return (EX_USAGE);
	}
	return (EX_OK);
}

/* dg_rcpt - the recipient: O->to or support_address, of the company; NULL (said) */
static const char *
dg_rcpt(const struct conf *conf, const struct digest_opts *o, int *ex)
{
	const char *to = o->to ? o->to : conf_support_address(conf);

	if (compose_company_address(conf, to))
		return (to);
	if (o->to != NULL) {
		fprintf(stderr, "links-sender: digest: --to %s: the digest holds customers' "
			"addresses; it goes only to an address of company_domains\n", o->to);
		*ex = EX_USAGE;
	} else {
		fprintf(stderr, "links-sender: digest: support_address is not an address of "
			"company_domains\n");
		*ex = EX_CONFIG;
	}
	return (NULL);
}

/* dg_build - the message of D for TO into *MSG (caller frees); an EX_ code (said) */
static int
dg_build(const struct conf *conf, const struct dg *d, const char *to, const char *mid,
	 char **msg, size_t *len)
{
	char	err[DG_ERR_MAX], subject[DG_SUBJECT_MAX];
	struct mime_msg m;
	int	rc;

	memset(&m, 0, sizeof(m));
	if ((m.text = dg_text(d)) == NULL) {
		fprintf(stderr, "links-sender: digest: out of memory\n");
		return (EX_SOFTWARE);
	}
	dg_subject(d, subject, sizeof(subject));
	m.from_addr = conf_noreply_address(conf);
	m.from_name = conf_company_name(conf);
	m.to_addr = to;
	m.subject = subject;
	m.message_id = mid;
	m.date = time(NULL);
	m.extra[0].name = "Auto-Submitted";
	m.extra[0].value = "auto-generated";
	m.nextra = 1;
	if ((rc = mime_build(&m, msg, len, err, sizeof(err))) < 0)
		fprintf(stderr, "links-sender: digest: %s\n", err);
	free((char *) m.text);
	return (rc < 0 ? EX_SOFTWARE : EX_OK);
}

/* dg_print - --dry-run: the headers and the text of the digest on standard output */
static int
dg_print(const struct conf *conf, const struct dg *d, const char *to)
{
	char	subject[DG_SUBJECT_MAX];
	char   *text;

	if ((text = dg_text(d)) == NULL) {
		fprintf(stderr, "links-sender: digest: out of memory\n");
		return (EX_SOFTWARE);
	}
	dg_subject(d, subject, sizeof(subject));
	printf("From: %s <%s>\nTo: %s\nSubject: %s\n\n%s", conf_company_name(conf),
	       conf_noreply_address(conf), to, subject, text);
	printf("\n(--dry-run: nothing was sent)\n");
	free(text);
	return (EX_OK);
}

/* dg_deliver - hand MSG to the transport; an EX_ code (said) */
static int
dg_deliver(const struct conf *conf, const struct digest_opts *o, const struct dg *d,
	   const char *to, const char *msg, size_t len)
{
	struct delivery_cli run = o->run;
	struct delivery_opts dopt;
	struct transport *t;
	struct transport_result res;
	char	err[DG_ERR_MAX], name[DG_FILE_MAX], day[DG_TIME_MAX];

	if (run.outdir != NULL && run.transport < 0)
		run.transport = TRANSPORT_DIR;	/* --outdir: write the file */
	if (delivery_opts_init(&dopt, conf, &run) < 0) {
		fprintf(stderr, "links-sender: digest: unknown transport in the configuration\n");
		return (EX_CONFIG);
	}
	if ((t = transport_open(conf, dopt.transport, dopt.outdir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "links-sender: digest: transport: %s\n", err);
		return (EX_CONFIG);
	}
	snprintf(name, sizeof(name), "digest-%s", dg_time(d->until, DGT_FILE, day,
							     sizeof(day)));
	transport_send(t, conf_noreply_address(conf), to, name, msg, len, &res);
	transport_close(t);
	if (res.status != TRANSPORT_OK) {
		fprintf(stderr, "links-sender: digest: not accepted: %s\n", res.text);
		log_warning("digest not sent: %s", res.text);
		return (res.status == TRANSPORT_TEMP ? EX_TEMPFAIL : EX_UNAVAILABLE);
	}
	return (EX_OK);
}

/* digest_send - links-sender digest; see digest.h */
int
digest_send(const struct conf *conf, const struct digest_opts *o)
{
	struct dg d;
	char	mid[COMPOSE_ID_MAX], err[DG_ERR_MAX];
	const char *to;
	char   *msg = NULL;
	size_t	len = 0;
	int	ex = EX_OK;

	memset(&d, 0, sizeof(d));
	strbuf_init(&d.blist);
	d.lines = o->lines < 0 ? DIGEST_LINES : o->lines;
	if ((ex = dg_window(o, &d)) != EX_OK || (to = dg_rcpt(conf, o, &ex)) == NULL)
		return (ex);
	if (d.lines > 0 && (d.shown = calloc((size_t) d.lines, sizeof(*d.shown))) == NULL) {
		fprintf(stderr, "links-sender: digest: out of memory\n");
		return (EX_SOFTWARE);
	}
	if ((ex = dg_collect(conf, &d)) != EX_OK)
		goto done;
	if (o->skip_empty && dg_empty(&d)) {
		printf("nothing happened in the window: no digest sent (--skip-empty)\n");
		log_info("digest: nothing in the window, none sent (--skip-empty)");
		goto done;
	}
	if (o->dry_run) {
		ex = dg_print(conf, &d, to);
		goto done;
	}
	if (compose_message_id_conf(conf, mid, sizeof(mid), err, sizeof(err)) < 0) {
		fprintf(stderr, "links-sender: digest: %s\n", err);
		ex = EX_CONFIG;
		goto done;
	}
	if ((ex = dg_build(conf, &d, to, mid, &msg, &len)) != EX_OK
	    || (ex = dg_deliver(conf, o, &d, to, msg, len)) != EX_OK)
		goto done;
	printf("digest sent to %s: %ld refusals, %ld opt-ins, %ld questions, %ld bounces, "
	       "%ld unverified\n", to, d.refusals, d.optins, d.ctr[DGC_QUESTIONS], dg_bounces(&d),
	       d.ctr[DGC_UNVERIFIED]);
	log_info("digest sent: window %lld-%lld refusals=%ld optins=%ld questions=%ld "
		 "bounces=%ld unverified=%ld msgid=<%s>", (long long) d.since, (long long) d.until,
		 d.refusals, d.optins, d.ctr[DGC_QUESTIONS], dg_bounces(&d),
		 d.ctr[DGC_UNVERIFIED], mid);
done:
	for (long i = 0; i < d.nshown; i++)
		free(d.shown[i].email);
	free(d.shown);
	strbuf_free(&d.blist);
	free(msg);
	return (ex);
}
