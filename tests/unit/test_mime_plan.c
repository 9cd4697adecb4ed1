/*
 * NAME
 *	test_mime_plan 1
 * SUMMARY
 *	unit tests of a campaign's messages built from one skeleton (sender/mime_plan.c)
 * SYNOPSIS
 *	test_mime_plan
 * DESCRIPTION
 *	The plan must write the bytes mime_build() writes. For every
 *	template of config/templates, every category it allows and two
 *	sets of --set values (short ones with HTML special characters, and
 *	long ones that fold the subject and make long lines), a campaign
 *	of customers with Vietnamese names (RFC 2047), empty and missing
 *	names, names with <, >, &, quotes and commas, very long names,
 *	non-ASCII addresses, dates that repeat and change, tokens of
 *	several lengths, answers (In-Reply-To) among ordinary messages: each
 *	message is built with mime_build() (the reference) and with
 *	mime_plan_build(); the two must be the same bytes once the
 *	multipart boundary (random in mime_build()) is named alike.
 * DIAGNOSTICS
 *	Check's report; exit status 0 when every test passes.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "conf.h"
#include "mime.h"
#include "mime_plan.h"
#include "sender_fixture.h"
#include "tmpl.h"
#include "unit.h"

#define PLAN_CUSTOMERS	48	/* customers per campaign */
#define PLAN_BOUNDARY	"BOUNDARY"
#define PLAN_LONG	400	/* bytes of a long --set value */

static const char *const names[] = {
	"Nguyễn Thị Ánh Tuyết", "Trần Văn Bình", "", NULL, "Lê Hoàng <Admin> & \"Co\"",
	"O'Brien, John", "A", "Công ty TNHH Thương mại Dịch vụ Kỹ thuật Số Việt Nam Toàn Cầu",
	"=?UTF-8?B?YWJj?=", "Phạm  Minh   Châu", "Đặng Thị Hương (kế toán)", "John Smith",
	"<script>alert(1)</script>", "Zoë Ω 日本語", "Ngô Bảo Châu; Hà Nội: \"VN\"",
};

/* normalise - MSG with its multipart boundary written PLAN_BOUNDARY; the caller frees it */
static char *
normalise(const char *msg)
{
	const char *b = strstr(msg, "boundary=\""), *p;
	char	bound[128], *out, *o;
	size_t	bl;

	if (b == NULL)
		return (strdup(msg));
	b += strlen("boundary=\"");
	bl = strcspn(b, "\"");
	ck_assert(bl > 0 && bl < sizeof(bound));
	memcpy(bound, b, bl);
	bound[bl] = 0;
	ck_assert((out = malloc(strlen(msg) + 1)) != NULL);
	for (o = out, p = msg; *p;) {
		if (strncmp(p, bound, bl) == 0) {
			o += sprintf(o, "%s", PLAN_BOUNDARY);
			p += bl;
		} else
			*o++ = *p++;
	}
	*o = 0;
	return (out);
}

/* same_message - build M both ways and compare; returns whether it was built */
static int
same_message(struct mime_plan *mp, const struct mime_msg *m, const char *what)
{
	char	err1[256], err2[256], *ref = NULL, *got = NULL, *a, *b;
	size_t	l1 = 0, l2 = 0;
	int	r1, r2;

	r1 = mime_build(m, &ref, &l1, err1, sizeof(err1));
	r2 = mime_plan_build(mp, m, &got, &l2, err2, sizeof(err2));
	ck_assert_msg(r1 == r2, "%s: mime_build %d (%s), plan %d (%s)", what, r1, r1 < 0 ? err1 : "",
		      r2, r2 < 0 ? err2 : "");
	if (r1 < 0) {
		ck_assert_str_eq(err1, err2);
		return (0);
	}
	a = normalise(ref);
	b = normalise(got);
	ck_assert_msg(strcmp(a, b) == 0, "%s: the plan wrote other bytes:\n--- mime_build\n%s\n"
		      "--- plan\n%s", what, a, b);
	ck_assert_uint_eq(l1, strlen(ref));
	ck_assert_uint_eq(l2, strlen(got));
	free(a);
	free(b);
	free(ref);
	free(got);
	return (1);
}

struct set_arg {
	struct tmpl_vars *v;
	int	variant;
};

/* set_key - tmpl_each_key() callback: a value for each --set key */
static int
set_key(const char *key, void *arg)
{
	struct set_arg *s = arg;
	char	val[PLAN_LONG + 64];
	size_t	n;

	if (compose_reserved_key(key))
		return (0);
	if (s->variant == 0)
		snprintf(val, sizeof(val), "Giảm 20%% <b>&</b> \"%s\" 'ưu đãi'", key);
	else {
		snprintf(val, sizeof(val), "%s:", key);
		for (n = strlen(val); n + 12 < PLAN_LONG; n = strlen(val))
			strcat(val, " khuyến mãi");
	}
	return (tmpl_vars_set(s->v, key, val) < 0);
}

/* one_customer - customer I's message of campaign C (template T) into M; its parts in P */
static int
one_customer(struct compose *c, const struct tmpl *t, enum category cat, int i,
	     struct compose_parts *p, struct mime_msg *m, char *buf, size_t buflen)
{
	struct compose_rcpt r;
	struct store_contract k;
	static const char *const types[] = {"vps", "hosting", "email", "domain"};
	char	err[256];
	int	n = (int) (sizeof(names) / sizeof(names[0]));
	char   *email = buf, *mid = buf + 128, *unsub = buf + 256, *ref = buf + 768;

	ck_assert(buflen >= 1024);
	memset(&r, 0, sizeof(r));
	memset(&k, 0, sizeof(k));
	snprintf(email, 128, i % 11 == 5 ? "nguyễn.khách%d@example.vn" : "c%06d@example.vn", i);
	snprintf(mid, 128, "%08x%08x@ilinks.asia", (unsigned) i * 2654435761u, (unsigned) i);
	k.id = i + 1;
	k.service_type = (char *) types[i % 4];
	k.ref = (char *) "VPS-000123";
	k.started = 1700000000 + i * 86400;
	r.customer_id = i + 1;
	r.email = email;
	r.name = names[i % n];
	r.contract = i % 5 == 4 ? NULL : &k;
	r.message_id = mid;
	r.date = 1764500000 + (i / 3) * 61;	/* three messages a date, then the next */
	if (compose_render(c, &r, p, err, sizeof(err)) < 0) {
		if (r.contract != NULL)
			return (-1);
		r.contract = &k;	/* the template names the contract */
		if (compose_render(c, &r, p, err, sizeof(err)) < 0)
			return (-1);
	}
	memset(m, 0, sizeof(*m));
	m->from_addr = compose_from(c);
	m->from_name = "LINKS";
	m->to_addr = email;
	m->to_name = r.name;
	m->subject_label = tmpl_label(t);
	m->subject = p->subject;
	m->message_id = mid;
	m->date = r.date;
	m->text = p->text;
	m->html = p->html;
	m->extra[m->nextra].name = "Auto-Submitted";
	m->extra[m->nextra++].value = "auto-generated";
	if (category_refusable(cat)) {
		snprintf(unsub, 512, i % 2 ? "<https://ilinks.asia/email/u/%0*d>, "
			 "<mailto:noreply+t%d@ilinks.asia>" : "<mailto:noreply+t%0*d@ilinks.asia"
			 "?subject=unsubscribe>", 20 + i % 37, i, i);
		m->extra[m->nextra].name = "List-Unsubscribe";
		m->extra[m->nextra++].value = unsub;
		if (i % 2) {
			m->extra[m->nextra].name = "List-Unsubscribe-Post";
			m->extra[m->nextra++].value = "List-Unsubscribe=One-Click";
		}
		m->extra[m->nextra].name = "List-Id";
		m->extra[m->nextra++].value = "<promotion.ilinks.asia>";
	}
	if (i % 7 == 3) {
		snprintf(ref, 200, "<CAF%dxyz=Q@mail.gmail.com>", i);
		m->extra[m->nextra].name = "In-Reply-To";
		m->extra[m->nextra++].value = ref;
		m->extra[m->nextra].name = "References";
		m->extra[m->nextra++].value = ref;
	}
	return (0);
}

/* campaign - one campaign of template NAME, category CAT, --set values VARIANT */
static void
campaign(struct conf *conf, const char *name, struct tmpl *t, enum category cat, int variant)
{
	struct compose_sender snd = {"lan.pham@ilinks.asia", "Phạm Thị Lan"};
	struct set_arg sa;
	struct compose *c;
	struct mime_plan *mp;
	struct compose_parts p;
	struct mime_msg m;
	char	err[256], buf[1024], what[128];
	int	i, built = 0;

	ck_assert((sa.v = tmpl_vars_new(NULL)) != NULL);
	sa.variant = variant;
	ck_assert(tmpl_each_key(t, set_key, &sa) == 0);
	c = compose_new(conf, cat, t, sa.v, cat == CATEGORY_STAFF ? &snd : NULL, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s/%s: %s", name, category_name(cat), err);
	ck_assert((mp = mime_plan_new()) != NULL);
	for (i = 0; i < PLAN_CUSTOMERS; i++) {
		snprintf(what, sizeof(what), "%s, %s, set %d, customer %d", name, category_name(cat),
			 variant, i);
		ck_assert_msg(one_customer(c, t, cat, i, &p, &m, buf, sizeof(buf)) == 0, "%s", what);
		built += same_message(mp, &m, what);
		compose_parts_free(&p);
	}
	ck_assert_msg(built > PLAN_CUSTOMERS / 2, "%s: %d messages built", name, built);
	ck_assert_msg(mime_plan_made(mp), "%s, %s: no plan was made", name, category_name(cat));
	mime_plan_free(mp);
	compose_free(c);
	tmpl_vars_free(sa.v);
}

START_TEST(test_mime_plan_writes_what_mime_build_writes_for_every_template)
{
	struct conf *conf;
	DIR    *d;
	struct dirent *e;
	struct tmpl *t;
	char	err[256], name[TMPL_NAME_MAX];
	int	cat, ntmpl = 0;

	make_tmpdir();
	conf = test_conf(tmpdir);
	ck_assert((d = opendir(TEST_TEMPLATES)) != NULL);
	while ((e = readdir(d)) != NULL) {
		size_t	n = strlen(e->d_name);

		if (n < 6 || strcmp(e->d_name + n - 5, ".tmpl") != 0 || n - 5 >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int) (n - 5), e->d_name);
		t = tmpl_load(TEST_TEMPLATES, name, err, sizeof(err));
		ck_assert_msg(t != NULL, "%s", err);
		for (cat = 0; cat < CATEGORY_COUNT; cat++)
			if (tmpl_allows(t, category_name((enum category) cat))) {
				campaign(conf, name, t, (enum category) cat, 0);
				campaign(conf, name, t, (enum category) cat, 1);
			}
		tmpl_free(t);
		ntmpl++;
	}
	closedir(d);
	ck_assert_int_ge(ntmpl, 10);
	conf_free(conf);
	remove_tmpdir();
}
END_TEST

/* plain_msg - a hand-made message of I, with an HTML part when HTML */
static void
plain_msg(struct mime_msg *m, int i, int html, char *mid, size_t midlen)
{
	memset(m, 0, sizeof(*m));
	snprintf(mid, midlen, "m%d@ilinks.asia", i);
	m->from_addr = "noreply@ilinks.asia";
	m->from_name = "LINKS";
	m->to_addr = "an@example.vn";
	m->to_name = "Nguyễn An";
	m->subject = "Thông báo";
	m->message_id = mid;
	m->date = 1764500000;
	m->text = ".dòng bắt đầu bằng dấu chấm\nhết\n";
	m->html = html ? "<p>Xin chào</p>" : NULL;
}

START_TEST(test_mime_plan_message_of_another_shape_is_built_by_mime_build)
{
	struct mime_plan *mp = mime_plan_new();
	struct mime_msg m;
	char	mid[64];
	int	i;

	ck_assert(mp != NULL);
	for (i = 0; i < 6; i++) {
		plain_msg(&m, i, i % 2, mid, sizeof(mid));
		ck_assert(same_message(mp, &m, i % 2 ? "html" : "text only"));
	}
	ck_assert(mime_plan_made(mp));
	mime_plan_free(mp);
}
END_TEST

START_TEST(test_mime_plan_refuses_what_mime_build_refuses)
{
	struct mime_plan *mp = mime_plan_new();
	struct mime_msg m;
	char	mid[64];

	ck_assert(mp != NULL);
	plain_msg(&m, 1, 1, mid, sizeof(mid));
	ck_assert(same_message(mp, &m, "first"));
	m.to_name = "Evil\r\nBcc: x@example.com";
	ck_assert(!same_message(mp, &m, "CRLF in the name"));
	plain_msg(&m, 2, 1, mid, sizeof(mid));
	m.to_addr = "not an address";
	ck_assert(!same_message(mp, &m, "bad address"));
	plain_msg(&m, 3, 1, mid, sizeof(mid));
	m.subject = "Tiêu đề\nBcc: x@example.com";
	ck_assert(!same_message(mp, &m, "LF in the subject"));
	mime_plan_free(mp);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("mime_plan");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_mime_plan_writes_what_mime_build_writes_for_every_template);
	tcase_add_test(tc, test_mime_plan_message_of_another_shape_is_built_by_mime_build);
	tcase_add_test(tc, test_mime_plan_refuses_what_mime_build_refuses);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
