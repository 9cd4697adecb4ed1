/*
 * NAME
 *	rely-hostile 1 (Check unit test)
 * SUMMARY
 *	hostile input to the libraries: MIME bombs, SQL metacharacters
 * SYNOPSIS
 *	rely-hostile
 * DESCRIPTION
 *	MIME bombs (issue 7) given straight to reply_analyze(), once with
 *	the default limits and once with every limit at the highest value
 *	links.conf accepts (mime_max_parts 100000, mime_max_depth 1000,
 *	mime_max_decoded 64m): 10,000 parts, nesting depth 1,000, a part
 *	declaring 1 GB, a 10 MB header line, unterminated and missing
 *	boundaries, invalid base64 and quoted-printable, invalid UTF-8, an
 *	unknown charset, and all of them at once. Each must give a verdict
 *	(kind, reason, valid UTF-8 text) within RELY_BOMB_SECONDS and with
 *	less than RELY_BOMB_RSS_MB of memory growth; where the bomb carries
 *	a refusal in a part the limits let through, it must still be
 *	recognised (a bomb cannot hide a refusal that is visible, and
 *	cannot make one out of nothing).
 *
 *	SQL metacharacters (quotes, semicolons, comments, %, backslashes,
 *	UTF-8) in every text field the store takes (name, address local
 *	part, contract reference, evidence, Message-ID,
 *	counter name, template name, audience, parameters): they are stored
 *	and read back byte for byte, and nothing else changes. Fields that
 *	are validated (a phone number, a service type, a name with CR LF,
 *	an address with a space) are refused with nothing written.
 *
 *	A NUL byte in links.conf is reported as a NUL byte on its line.
 *
 *	Each test runs in its own process (Check's fork mode), so the peak
 *	RSS it reads is its own.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "conf.h"
#include "fuzz_common.h"
#include "reply.h"
#include "store.h"

#define RELY_BOMB_SECONDS	20.0	/* wall time for one bomb (ASan build, loaded host) */
#define RELY_BOMB_RSS_MB	400	/* peak memory growth for one bomb */
#define RELY_PATH_MAX		512
#define MB			(1024 * 1024)

/* Only so fuzz_common.c links; never called here. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void) data;
	(void) size;
	return (0);
}

/* ---- a growing buffer ---- */
struct buf {
	char   *p;
	size_t	len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t	cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n + 1)
			cap *= 2;
		ck_assert_ptr_nonnull(b->p = realloc(b->p, cap));
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
buf_addf(struct buf *b, const char *fmt, ...)
{
	char	tmp[512];
	va_list ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	ck_assert(n >= 0 && (size_t) n < sizeof(tmp));
	buf_add(b, tmp, (size_t) n);
}

static void
headers(struct buf *b, const char *ctype)
{
	buf_adds(b, "From: Khach Hang <kh@example.vn>\r\nTo: noreply@ilinks.asia\r\n"
		 "Subject: Re: Thong bao\r\nMessage-ID: <bomb@example.vn>\r\nMIME-Version: 1.0\r\n");
	buf_addf(b, "Content-Type: %s\r\n\r\n", ctype);
}

/* ---- the bombs ---- */
enum expect { EXPECT_ANY, EXPECT_OPTOUT, EXPECT_NO_OPTOUT };

static void
bomb_parts(struct buf *b, size_t n)
{
	size_t	i;

	headers(b, "multipart/mixed; boundary=\"p\"");
	buf_adds(b, "--p\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTừ chối\r\n");
	for (i = 0; i < n; i++)
		buf_addf(b, "--p\r\nContent-Type: application/octet-stream\r\n\r\nx%zu\r\n", i);
	buf_adds(b, "--p--\r\n");
}

static void
bomb_nesting(struct buf *b, size_t depth)
{
	size_t	i;

	headers(b, "multipart/mixed; boundary=\"n0\"");
	for (i = 1; i <= depth; i++)
		buf_addf(b, "--n%zu\r\nContent-Type: multipart/mixed; boundary=\"n%zu\"\r\n\r\n",
			 i - 1, i);
	buf_addf(b, "--n%zu\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTừ chối\r\n", depth);
	for (i = depth + 1; i-- > 0;)
		buf_addf(b, "--n%zu--\r\n", i);
}

static void
bomb_declared_1g(struct buf *b)
{
	headers(b, "multipart/mixed; boundary=\"g\"");
	buf_adds(b, "--g\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTừ chối\r\n"
		 "--g\r\nContent-Type: application/octet-stream; size=1073741824\r\n"
		 "Content-Length: 1073741824\r\n"
		 "Content-Disposition: attachment; filename=\"big.bin\"; size=1073741824\r\n"
		 "Content-Transfer-Encoding: base64\r\n\r\nQUJD\r\n--g--\r\n");
}

static void
bomb_long_header(struct buf *b, size_t len)
{
	char	chunk[4096];
	size_t	i;

	memset(chunk, 'A', sizeof(chunk));
	buf_adds(b, "From: kh@example.vn\r\nTo: noreply@ilinks.asia\r\nX-Long: ");
	for (i = 0; i < len; i += sizeof(chunk))
		buf_add(b, chunk, len - i < sizeof(chunk) ? len - i : sizeof(chunk));
	buf_adds(b, "\r\nSubject: Re: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTừ chối\r\n");
}

static void
bomb_long_subject(struct buf *b, size_t len)
{
	size_t	i;

	buf_adds(b, "From: kh@example.vn\r\nTo: noreply@ilinks.asia\r\nSubject: ");
	for (i = 0; i < len / 20; i++)
		buf_adds(b, "=?utf-8?B?VOG7qyA=?= ");
	buf_adds(b, "\r\nContent-Type: text/plain\r\n\r\nCho tôi hỏi giá?\r\n");
}

static void
bomb_unterminated(struct buf *b)
{
	/* The closing boundary never comes, and the last part never ends. */
	headers(b, "multipart/alternative; boundary=\"u\"");
	buf_adds(b, "--u\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTừ chối\r\n"
		 "--u\r\nContent-Type: multipart/mixed; boundary=\"v\"\r\n\r\n--v\r\n"
		 "Content-Type: text/html\r\n\r\n<div><p>");
}

static void
bomb_missing_boundary(struct buf *b)
{
	headers(b, "multipart/mixed; boundary=\"never-there\"");
	buf_adds(b, "Từ chối\r\n--something-else\r\n\r\nx\r\n");
}

static void
bomb_no_boundary_param(struct buf *b)
{
	headers(b, "multipart/mixed");
	buf_adds(b, "--\r\n\r\n--\r\nTừ chối\r\n----\r\n");
}

static void
bomb_bad_encodings(struct buf *b)
{
	headers(b, "multipart/mixed; boundary=\"e\"");
	buf_adds(b, "--e\r\nContent-Type: text/plain; charset=utf-8\r\n"
		 "Content-Transfer-Encoding: base64\r\n\r\n!!!!@@@@====****VGT=\r\n=\r\n"
		 "--e\r\nContent-Type: text/plain; charset=utf-8\r\n"
		 "Content-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=X=\r\n=4=\r\n=E1=BB=\r\n=\r\n"
		 "--e\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n"
		 "begin 644 a\r\n--e\r\n\r\n--e--\r\n");
}

static void
bomb_bad_utf8(struct buf *b)
{
	headers(b, "text/plain; charset=utf-8");
	buf_adds(b, "T\xff\xfe\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80 ch\xe1\xbb\r\n"
		 "\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc\r\n");
}

static void
bomb_unknown_charset(struct buf *b)
{
	headers(b, "text/plain; charset=\"x-links-unknown-42\"");
	buf_adds(b, "T\xe1\xbb\xab ch\xe1\xbb\x91i\r\n");
}

static void
bomb_everything(struct buf *b)
{
	size_t	i;

	headers(b, "multipart/mixed; boundary=\"z\"");
	for (i = 0; i < 10000; i++)
		buf_addf(b, "--z\r\nContent-Type: text/plain; charset=\"x-bad-%zu\"\r\n"
			 "Content-Transfer-Encoding: %s\r\n\r\n=ZZ\xff\xfe!!%zu\r\n",
			 i, i % 2 ? "base64" : "quoted-printable", i);
	/* never closed */
}

/* ---- running one bomb ---- */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double) ts.tv_sec + (double) ts.tv_nsec / 1e9);
}

static long
peak_rss_kb(void)
{
	struct rusage ru;

	ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return (ru.ru_maxrss);
}

static struct reply_analyzer *
analyzer(int max_limits, struct conf **cp)
{
	char	err[CONF_ERR_MAX];
	struct conf *c = conf_defaults();
	struct reply_analyzer *ra;

	ck_assert_ptr_nonnull(c);
	if (max_limits) {
		ck_assert_int_eq(conf_set(c, "mime_max_parts", "100000", err, sizeof(err)), 0);
		ck_assert_int_eq(conf_set(c, "mime_max_depth", "1000", err, sizeof(err)), 0);
		ck_assert_int_eq(conf_set(c, "mime_max_decoded", "64m", err, sizeof(err)), 0);
	}
	ra = reply_analyzer_new(c, err, sizeof(err));
	ck_assert_msg(ra != NULL, "reply_analyzer_new: %s", err);
	*cp = c;
	return (ra);
}

static void
run_bomb(const char *name, void (*make)(struct buf *), enum expect expect_default,
	 enum expect expect_max)
{
	int	max;

	for (max = 0; max <= 1; max++) {
		struct buf b = {NULL, 0, 0};
		struct conf *c;
		struct reply_analyzer *ra = analyzer(max, &c);
		struct reply_result *r;
		enum expect e = max ? expect_max : expect_default;
		long	rss0;
		double	t0, dt;
		const char *text;

		make(&b);
		rss0 = peak_rss_kb();
		t0 = now();
		r = reply_analyze(ra, b.p, b.len, "kh@example.vn");
		dt = now() - t0;
		ck_assert_msg(r != NULL, "%s: no verdict", name);
		text = reply_result_text(r);
		ck_assert_ptr_nonnull(reply_kind_name(reply_result_kind(r)));
		ck_assert_ptr_nonnull(reply_result_reason(r));
		ck_assert_msg(fuzz_valid_utf8(text, strlen(text)), "%s: text is not UTF-8", name);
		ck_assert_msg(fuzz_valid_utf8(reply_result_subject(r), strlen(reply_result_subject(r))),
			      "%s: subject is not UTF-8", name);
		ck_assert_msg(dt < RELY_BOMB_SECONDS, "%s (%s limits): %.1f s", name,
			      max ? "max" : "default", dt);
		ck_assert_msg((peak_rss_kb() - rss0) / 1024 < RELY_BOMB_RSS_MB,
			      "%s (%s limits): memory grew by %ld MB", name,
			      max ? "max" : "default", (peak_rss_kb() - rss0) / 1024);
		if (e == EXPECT_OPTOUT)
			ck_assert_msg(reply_result_optout(r), "%s (%s limits): refusal not seen (%s)",
				      name, max ? "max" : "default", reply_result_reason(r));
		if (e == EXPECT_NO_OPTOUT)
			ck_assert_msg(!reply_result_optout(r), "%s (%s limits): refusal from nothing (%s)",
				      name, max ? "max" : "default", reply_result_reason(r));
		fprintf(stderr, "bomb %-18s %-7s limits: %9zu bytes, %6.3f s, +%ld MB peak, "
			"verdict %s%s (%s)\n", name, max ? "max" : "default", b.len, dt,
			(peak_rss_kb() - rss0) / 1024, reply_kind_name(reply_result_kind(r)),
			reply_result_optout(r) ? " optout" : "", reply_result_reason(r));
		reply_result_free(r);
		reply_analyzer_free(ra);
		conf_free(c);
		free(b.p);
	}
}

static void make_parts(struct buf *b) { bomb_parts(b, 10000); }
static void make_nesting(struct buf *b) { bomb_nesting(b, 1000); }
static void make_long_header(struct buf *b) { bomb_long_header(b, 10 * MB); }
static void make_long_subject(struct buf *b) { bomb_long_subject(b, 1 * MB); }

START_TEST(test_rely_bomb_10000_parts_keeps_the_first_text)
{
	/* Over the default mime_max_parts (64) see the next test. */
	run_bomb("10000-parts", make_parts, EXPECT_ANY, EXPECT_OPTOUT);
}
END_TEST

static void make_parts_65(struct buf *b) { bomb_parts(b, 64); }

START_TEST(test_rely_parts_over_the_limit_keep_the_first_text)
{
	/* A refusal in the first part, then 64 attachments: 65 parts, one
	 * more than mime_max_parts allows. The first part is inside the
	 * limit: cutting the parse after part 64 must not lose it. */
	run_bomb("65-parts", make_parts_65, EXPECT_OPTOUT, EXPECT_OPTOUT);
}
END_TEST

START_TEST(test_rely_bomb_nesting_1000_is_bounded)
{
	/* Past mime_max_depth (8) the text is never read; at 1000 levels it is. */
	run_bomb("nesting-1000", make_nesting, EXPECT_NO_OPTOUT, EXPECT_ANY);
}
END_TEST

START_TEST(test_rely_bomb_declared_1g_part)
{
	run_bomb("declared-1GB", bomb_declared_1g, EXPECT_OPTOUT, EXPECT_OPTOUT);
}
END_TEST

START_TEST(test_rely_bomb_10mb_header_line)
{
	run_bomb("10MB-header-line", make_long_header, EXPECT_ANY, EXPECT_ANY);
}
END_TEST

START_TEST(test_rely_bomb_1mb_encoded_subject)
{
	run_bomb("1MB-encoded-subject", make_long_subject, EXPECT_ANY, EXPECT_ANY);
}
END_TEST

START_TEST(test_rely_bomb_unterminated_and_missing_boundaries)
{
	run_bomb("unterminated", bomb_unterminated, EXPECT_ANY, EXPECT_ANY);
	run_bomb("missing-boundary", bomb_missing_boundary, EXPECT_ANY, EXPECT_ANY);
	run_bomb("no-boundary-param", bomb_no_boundary_param, EXPECT_ANY, EXPECT_ANY);
}
END_TEST

START_TEST(test_rely_bomb_invalid_base64_and_qp)
{
	run_bomb("bad-encodings", bomb_bad_encodings, EXPECT_NO_OPTOUT, EXPECT_NO_OPTOUT);
}
END_TEST

START_TEST(test_rely_bomb_invalid_utf8_and_unknown_charset)
{
	run_bomb("invalid-utf8", bomb_bad_utf8, EXPECT_NO_OPTOUT, EXPECT_NO_OPTOUT);
	run_bomb("unknown-charset", bomb_unknown_charset, EXPECT_ANY, EXPECT_ANY);
}
END_TEST

START_TEST(test_rely_bomb_everything_at_once)
{
	run_bomb("everything", bomb_everything, EXPECT_NO_OPTOUT, EXPECT_NO_OPTOUT);
}
END_TEST

/* ---- SQL metacharacters in every field ---- */
static const char *const hostile[] = {
	"O'Brien",
	"Robert'); DROP TABLE customers;--",
	"\"; DELETE FROM consent; --",
	"%s%n%x 100% \\' \\\" \\\\",
	"' OR '1'='1",
	"/* comment */ UNION SELECT * FROM meta --",
	"Nguyễn Văn \xe2\x80\x8b'; PRAGMA key='x",
	"x'||(SELECT hex(v) FROM meta)||'",
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return (remove(path));
}

static int
count_campaign(const struct store_campaign *c, void *arg)
{
	(void) c;
	(*(int *) arg)++;
	return (0);
}

START_TEST(test_rely_sql_metacharacters_in_every_field_are_data)
{
	char	dir[] = "/tmp/links-rely-sql.XXXXXX", db[RELY_PATH_MAX], key[RELY_PATH_MAX];
	char	err[CONF_ERR_MAX], email[STORE_EMAIL_MAX + 1];
	struct conf *c = conf_defaults();
	struct store *st;
	struct store_stats s0, s1;
	int64_t ids[NHOSTILE];
	size_t	i;
	int	ncamp = 0, changed;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/links.db", dir);
	snprintf(key, sizeof(key), "%s/master.key", dir);
	ck_assert_int_eq(conf_set(c, "store_path", db, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "key_file", key, err, sizeof(err)), 0);
	ck_assert_msg(store_init(c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(st = store_open(c, err, sizeof(err)));

	for (i = 0; i < NHOSTILE; i++) {
		struct store_customer cu;
		char	ref[64], ev[128], mid[64];
		int64_t kid, camp;
		int	created;

		/* Quotes, %, dashes, braces: all valid in a local part. */
		snprintf(email, sizeof(email), "o'brien'--%zu%%'|{}=@example.vn", i);
		ck_assert_msg(store_customer_upsert(st, email, hostile[i], "+84 (90) 000-001",
						    STORE_SRC_PORTAL, &ids[i], &created) == STORE_OK,
			      "upsert %zu: %s", i, store_errmsg(st));
		ck_assert_int_eq(created, 1);
		memset(&cu, 0, sizeof(cu));
		ck_assert_int_eq(store_customer_get(st, ids[i], &cu), STORE_OK);
		ck_assert_str_eq(cu.name, hostile[i]);
		ck_assert_str_eq(cu.phone, "+84 (90) 000-001");
		ck_assert_str_eq(cu.email, email);
		store_customer_clear(&cu);
		ck_assert_int_eq(store_customer_find(st, email, &cu), STORE_OK);
		ck_assert(cu.id == ids[i]);
		store_customer_clear(&cu);

		/* A reference is printable ASCII without spaces: quotes and all. */
		snprintf(ref, sizeof(ref), "REF'--;\"%zu/*x*/'OR'1'='1", i);
		ck_assert_msg(store_contract_upsert(st, ids[i], "vps", ref, STORE_CONTRACT_ACTIVE,
						    0, 0, &kid) == STORE_OK, "%s", store_errmsg(st));
		ck_assert_int_eq(store_customer_has_active(st, ids[i], "vps"), 1);
		ck_assert_int_le(store_customer_has_active(st, ids[i], "' OR 1=1 --"), 0);
		/* A service type is a word: anything else is refused. */
		ck_assert_int_eq(store_contract_upsert(st, ids[i], hostile[i], "R1",
						       STORE_CONTRACT_ACTIVE, 0, 0, NULL), STORE_ERR);

		snprintf(ev, sizeof(ev), "msgid=<%.60s> rule='; --", hostile[i]);
		ck_assert_int_eq(store_optout(st, ids[i], CATEGORY_PROMOTION, STORE_CH_REPLY, ev,
					      &changed), STORE_OK);
		ck_assert_int_eq(changed, 1);
		/* A Message-ID is printable ASCII without spaces or brackets, with '@'. */
		snprintf(mid, sizeof(mid), "'OR'1'='1'--;\"%zu/*@mail.ilinks.asia", i);
		ck_assert_msg(store_msglog_add(st, mid, ids[i], CATEGORY_ACCOUNT, 0) == STORE_OK,
			      "%s", store_errmsg(st));
		ck_assert_int_eq(store_msglog_add(st, hostile[i], ids[i], CATEGORY_ACCOUNT, 0),
				 STORE_ERR);
		ck_assert_msg(store_counter_add(st, hostile[i], 1) == STORE_OK, "%s", store_errmsg(st));
		ck_assert_msg(store_campaign_create(st, CATEGORY_SURVEY, hostile[i], hostile[i],
						    "{\"x\":\"'; DROP TABLE deliveries; --\"}",
						    &camp) == STORE_OK, "%s", store_errmsg(st));
	}
	/* A phone number is validated, a name may not hold control characters:
	 * both are refused, and nothing is written. */
	ck_assert_int_eq(store_customer_upsert(st, "ctl@example.vn", "a\r\nBcc: x@evil.example",
					       NULL, STORE_SRC_PORTAL, NULL, NULL), STORE_ERR);
	ck_assert_int_eq(store_customer_upsert(st, "ph@example.vn", "x", "1'; DROP TABLE x; --",
					       STORE_SRC_PORTAL, NULL, NULL), STORE_ERR);
	ck_assert_int_eq(store_customer_upsert(st, "x' OR 1=1 --@example.vn", "x", NULL,
					       STORE_SRC_PORTAL, NULL, NULL), STORE_ERR);
	ck_assert_int_eq(store_stats_get(st, &s0), STORE_OK);
	ck_assert_int_eq(s0.customers, (long) NHOSTILE);
	ck_assert_int_eq(s0.contracts_active, (long) NHOSTILE);
	ck_assert_int_eq(s0.optouts[CATEGORY_PROMOTION], (long) NHOSTILE);
	ck_assert_int_eq(s0.optouts[CATEGORY_SURVEY], 0);
	ck_assert_int_eq(s0.campaigns, (long) NHOSTILE);
	ck_assert_int_eq(s0.messages_logged, (long) NHOSTILE);
	for (i = 0; i < NHOSTILE; i++) {
		struct store_msglog ml;

		char	mid[64];

		snprintf(mid, sizeof(mid), "'OR'1'='1'--;\"%zu/*@mail.ilinks.asia", i);
		ck_assert_int_eq(store_msglog_find(st, mid, &ml), STORE_OK);
		ck_assert(ml.customer_id == ids[i]);
		ck_assert_int_eq(store_is_optout(st, ids[i], CATEGORY_PROMOTION), 1);
		ck_assert_int_eq(store_is_optout(st, ids[i], CATEGORY_SURVEY), 0);
	}
	/* Lookups with metacharacters find nothing and change nothing. */
	{
		struct store_msglog ml;

		ck_assert_int_ne(store_msglog_find(st, "' OR '1'='1' --", &ml), STORE_OK);
		ck_assert_int_eq(store_msglog_find(st, "x'OR'1'='1'--@mail.ilinks.asia", &ml),
				 STORE_NOTFOUND);
	}
	ck_assert_int_ne(store_is_suppressed(st, "x' OR 1=1 --@example.vn"), 1);
	ck_assert_int_eq(store_is_suppressed(st, "x'or'1'='1@example.vn"), 0);
	ck_assert_int_ne(store_contract_end(st, "'OR'1'='1'--", 0), STORE_OK);
	ck_assert_int_eq(store_campaign_each(st, count_campaign, &ncamp), STORE_OK);
	ck_assert_int_eq(ncamp, (int) NHOSTILE);
	ck_assert_int_eq(store_stats_get(st, &s1), STORE_OK);
	ck_assert_int_eq(s1.customers, s0.customers);
	ck_assert_int_eq(s1.contracts_active, s0.contracts_active);
	ck_assert_int_eq(s1.consent_events, s0.consent_events);

	store_close(st);
	conf_free(c);
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}
END_TEST

/* ---- the configuration file ---- */
START_TEST(test_rely_conf_nul_byte_is_reported_as_a_nul_byte)
{
	char	dir[] = "/tmp/links-rely-conf.XXXXXX", path[RELY_PATH_MAX], err[CONF_ERR_MAX];
	static const char text[] = "log_level = info\ncompany_name = LI\0NKS\n";
	FILE   *fp;
	struct conf *c;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/links.conf", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(text, 1, sizeof(text) - 1, fp), sizeof(text) - 1);
	ck_assert_int_eq(fclose(fp), 0);
	c = conf_load(path, err, sizeof(err));
	ck_assert_ptr_null(c);
	/* Not "line too long": the line has 20 bytes. */
	ck_assert_msg(strstr(err, ":2: NUL byte in line") != NULL, "%s", err);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
rely_suite(void)
{
	Suite  *s = suite_create("rely-hostile");
	TCase  *tb = tcase_create("mime-bombs");
	TCase  *ts = tcase_create("sql");

	/* Generous: ASan, a loaded CI host; the bound itself is RELY_BOMB_SECONDS. */
	tcase_set_timeout(tb, 120);
	tcase_add_test(tb, test_rely_bomb_10000_parts_keeps_the_first_text);
	tcase_add_test(tb, test_rely_parts_over_the_limit_keep_the_first_text);
	tcase_add_test(tb, test_rely_bomb_nesting_1000_is_bounded);
	tcase_add_test(tb, test_rely_bomb_declared_1g_part);
	tcase_add_test(tb, test_rely_bomb_10mb_header_line);
	tcase_add_test(tb, test_rely_bomb_1mb_encoded_subject);
	tcase_add_test(tb, test_rely_bomb_unterminated_and_missing_boundaries);
	tcase_add_test(tb, test_rely_bomb_invalid_base64_and_qp);
	tcase_add_test(tb, test_rely_bomb_invalid_utf8_and_unknown_charset);
	tcase_add_test(tb, test_rely_bomb_everything_at_once);
	suite_add_tcase(s, tb);
	tcase_set_timeout(ts, 60);
	tcase_add_test(ts, test_rely_sql_metacharacters_in_every_field_are_data);
	tcase_add_test(ts, test_rely_conf_nul_byte_is_reported_as_a_nul_byte);
	suite_add_tcase(s, ts);
	return (s);
}

int
main(void)
{
	SRunner *sr = srunner_create(rely_suite());
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
