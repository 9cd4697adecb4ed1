/*
 * NAME
 *	test_milter_ctx 1
 * SUMMARY
 *	unit tests of milter_ctx: the per-message context
 * DESCRIPTION
 *	body bounded by max_body_size (the rest counted), X-Links-* headers
 *	from outside tracked for removal and kept out of the analysed text,
 *	recipients classified and bounded.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milter_ctx.h"
#include "milter_testlib.h"
#include "unit.h"

START_TEST(test_ctx_body_beyond_limit_is_counted_not_stored)
{
	struct mcfg *cfg = mt_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);
	unsigned char chunk[10000];
	size_t	len;

	memset(chunk, 'a', sizeof(chunk));
	ck_assert_int_eq(mctx_header(m, "Subject", "x"), 0);
	ck_assert_int_eq(mctx_eoh(m), 0);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(mctx_body(m, chunk, sizeof(chunk)), 0);
	(void) mctx_text(m, &len);
	ck_assert_uint_eq(mctx_body_seen(m), 50000);
	ck_assert_uint_le(len, 16 * 1024 + strlen("Subject: x\r\n\r\n"));
	ck_assert_int_eq(mctx_truncated(m), 1);
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

START_TEST(test_ctx_xlinks_headers_tracked_and_not_analysed)
{
	struct mcfg *cfg = mt_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);
	size_t	len;
	const char *text;

	ck_assert_int_eq(mctx_header(m, "X-Links-Verdict", "optout"), 0);
	ck_assert_int_eq(mctx_header(m, "x-links-verdict", "optout"), 0);
	ck_assert_int_eq(mctx_header(m, "X-Links-Customer", "1"), 0);
	ck_assert_int_eq(mctx_header(m, "From", "A <a@example.vn>"), 0);
	ck_assert_uint_eq(mctx_xlinks_count(m), 2);
	ck_assert_str_eq(mctx_xlinks_name(m, 0), "X-Links-Verdict");
	ck_assert_int_eq(mctx_xlinks_times(m, 0), 2);
	ck_assert_int_eq(mctx_xlinks_times(m, 1), 1);
	text = mctx_text(m, &len);
	ck_assert_ptr_null(strstr(text, "X-Links"));
	ck_assert_str_eq(mctx_hdr(m, MCTX_H_FROM), "A <a@example.vn>");
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

START_TEST(test_ctx_too_many_xlinks_names_is_refused)
{
	struct mcfg *cfg = mt_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);
	char	name[64];
	int	rc = 0;

	for (int i = 0; i <= MCTX_XLINKS_MAX && rc == 0; i++) {
		snprintf(name, sizeof(name), "X-Links-N%d", i);
		rc = mctx_header(m, name, "v");
	}
	ck_assert_int_eq(rc, -2);
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

START_TEST(test_ctx_recipients_classified)
{
	struct mcfg *cfg = mt_cfg(NULL, NULL);
	struct mctx_msg *m = mctx_new(cfg);

	ck_assert_int_eq(mctx_add_rcpt(m, "<binh@example.org>"), 0);
	ck_assert_int_eq(mctx_ours(m), 0);
	ck_assert_int_eq(mctx_add_rcpt(m, "<noreply+abc@ilinks.asia>"), 0);
	ck_assert_int_eq(mctx_ours(m), 1);
	ck_assert_int_eq(mctx_rcpt_kind(m, 1), MADDR_NOREPLY_TOKEN);
	ck_assert_str_eq(mctx_rcpt_token(m, 1), "abc");
	ck_assert_str_eq(mctx_rcpt_addr(m, 1), "noreply+abc@ilinks.asia");
	for (int i = 2; i < MCTX_RCPT_MAX; i++)
		ck_assert_int_eq(mctx_add_rcpt(m, "<x@example.org>"), 0);
	ck_assert_int_eq(mctx_add_rcpt(m, "<one.too.many@example.org>"), -1);
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

/* ar_of - a message of a configuration trusting mx.ilinks.asia, with headers H (name, value pairs) */
static struct mctx_msg *
ar_of(struct mcfg *cfg, const char *const *h)
{
	struct mctx_msg *m = mctx_new(cfg);

	for (; h[0]; h += 2)
		ck_assert_int_eq(mctx_header(m, h[0], h[1]), 0);
	return (m);
}

START_TEST(test_ctx_only_the_top_block_of_authentication_results_is_kept)
{
	static const char *const single[] = {
		"Authentication-Results", "mx.ilinks.asia; dmarc=fail header.from=example.vn",
		"Authentication-Results", "mx.ilinks.asia; dkim=none",
		"Date", "Mon, 30 Nov 2026 01:00:00 +0700",
		"Authentication-Results", "mx.ilinks.asia; dmarc=pass header.from=example.vn",
		NULL};
	static const char *const below[] = {
		"X-Rspamd-Queue-Id", "4Y6yrhkwrGHM",
		"Authentication-Results", "mx.ilinks.asia; dmarc=fail header.from=example.vn",
		"DKIM-Signature", "v=1; a=rsa-sha256; d=example.vn; s=s1; b=abc",
		"Authentication-Results", "mx.ilinks.asia; dkim=none",
		"Received", "by mail-ej1-f30.google.com with SMTP id 2b9ddc3fb9e0.4",
		"Authentication-Results", "mx.ilinks.asia; dmarc=pass header.from=example.vn",
		NULL};
	static const char *const hops[] = {
		"Received", "from edge.ilinks.asia (edge.ilinks.asia [10.0.0.2]) by mx.ilinks.asia",
		"Authentication-Results", "mx.ilinks.asia; dmarc=pass header.from=example.vn",
		"Received", "from relay.evil.example by relay.evil.example; Mon, 30 Nov 2026",
		"Authentication-Results", "mx.ilinks.asia; dmarc=pass header.from=example.vn",
		NULL};
	struct mcfg *cfg = mt_cfg("trusted_authserv_ids", "mx.ilinks.asia");
	struct mctx_msg *m = ar_of(cfg, single);

	/* no Received from outside: one block, a header inserted between does not end it */
	ck_assert_uint_eq(mctx_ar_count(m), 3);
	ck_assert_ptr_nonnull(strstr(mctx_ar(m, 0), "dmarc=fail"));
	mctx_free(m);
	/* the copy below the first foreign Received came from outside */
	m = ar_of(cfg, below);
	ck_assert_uint_eq(mctx_ar_count(m), 2);
	ck_assert_ptr_nonnull(strstr(mctx_ar(m, 1), "dkim=none"));
	mctx_free(m);
	/* our own Received keeps the block open, a foreign one ends it */
	m = ar_of(cfg, hops);
	ck_assert_uint_eq(mctx_ar_count(m), 1);
	mctx_free(m);
	mcfg_release(cfg);
}
END_TEST

/* milter_ctx_suite - the tests of this file */
static Suite *
milter_ctx_suite(void)
{
	Suite  *s = suite_create("milter_ctx");
	TCase  *tc = tcase_create("ctx");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_ctx_body_beyond_limit_is_counted_not_stored);
	tcase_add_test(tc, test_ctx_xlinks_headers_tracked_and_not_analysed);
	tcase_add_test(tc, test_ctx_too_many_xlinks_names_is_refused);
	tcase_add_test(tc, test_ctx_recipients_classified);
	tcase_add_test(tc, test_ctx_only_the_top_block_of_authentication_results_is_kept);
	suite_add_tcase(s, tc);
	return (s);
}

/* main - run the suite */
int
main(void)
{
	return (unit_run(milter_ctx_suite()));
}
