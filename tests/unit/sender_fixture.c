/*
 * NAME
 *	sender_fixture 3
 * SUMMARY
 *	what the unit tests of sender/ share: a store of five customers, headers
 * SYNOPSIS
 *	#include "sender_fixture.h"
 * DESCRIPTION
 *	See sender_fixture.h.
 * DIAGNOSTICS
 *	Check assertions.
 */
#include "config.h"

#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "sender_fixture.h"
#include "utf8.h"


/* utf8_ok - whether N bytes at S are UTF-8 */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	return (utf8_valid((const char *) s, n));
}

/* decode_words - decode every encoded word of V (after the label); check each alone */
char   *
decode_words(const char *v, int *max_word, int *words_ok)
{
	static char out[4096];
	const char *p = v;
	size_t	o = 0;

	*max_word = 0;
	*words_ok = 1;
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		const char *b = p + 10, *e = strstr(b, "?=");
		unsigned char buf[256];
		int	n, pad = 0;

		ck_assert_ptr_nonnull(e);
		if ((int) (e + 2 - p) > *max_word)
			*max_word = (int) (e + 2 - p);
		n = EVP_DecodeBlock(buf, (const unsigned char *) b, (int) (e - b));
		ck_assert_int_ge(n, 0);
		if (e - b >= 1 && e[-1] == '=')
			pad++;
		if (e - b >= 2 && e[-2] == '=')
			pad++;
		n -= pad;
		if (!utf8_ok(buf, (size_t) n))
			*words_ok = 0;
		memcpy(out + o, buf, (size_t) n);
		o += (size_t) n;
		p = e + 2;
	}
	out[o] = 0;
	return (out);
}

/* test_conf - a configuration whose store lives in DIR */
struct conf *
test_conf(const char *dir)
{
	struct conf *c = conf_defaults();
	char	path[512], err[CONF_ERR_MAX];

	ck_assert_ptr_nonnull(c);
	snprintf(path, sizeof(path), "%s/links.db", dir);
	ck_assert_int_eq(conf_set(c, "store_path", path, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/master.key", dir);
	ck_assert_int_eq(conf_set(c, "key_file", path, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "template_dir", TEST_TEMPLATES, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "bounce_threshold", "1", err, sizeof(err)), 0);
	return (c);
}

char	tmpdir[256];

/* make_tmpdir - a new temporary directory in tmpdir */
void
make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_sender.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* remove_tmpdir - remove tmpdir and everything in it */
void
remove_tmpdir(void)
{
	char	cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* longest_header_line - the longest line of a CRLF message's header block */
size_t
longest_header_line(const char *msg)
{
	const char *p = msg, *end = strstr(msg, "\r\n\r\n");
	size_t	max = 0;

	while (p < end) {
		const char *e = strstr(p, "\r\n");
		size_t	n = (size_t) (e - p);

		if (n > max)
			max = n;
		p = e + 2;
	}
	return (max);
}

/* header - the unfolded value of header NAME in MSG (static buffer), NULL if absent */
const char *
header(const char *msg, const char *name)
{
	static char v[2048];
	const char *p = msg, *end = strstr(msg, "\r\n\r\n");
	size_t	n = strlen(name), o = 0;

	while (p < end) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			for (;;) {
				const char *e = strstr(p, "\r\n");

				memcpy(v + o, p, (size_t) (e - p));
				o += (size_t) (e - p);
				p = e + 2;
				if (*p != ' ' && *p != '\t')
					break;
			}
			v[o] = 0;
			return (v);
		}
		p = strstr(p, "\r\n") + 2;
	}
	return (NULL);
}

/* fixture_open - the store of five customers described in sender_fixture.h */
void
fixture_open(struct fixture *f)
{
	char	err[512];

	make_tmpdir();
	f->conf = test_conf(tmpdir);
	ck_assert_msg(store_init(f->conf, err, sizeof(err)) == STORE_OK, "%s", err);
	f->st = store_open(f->conf, err, sizeof(err));
	ck_assert_msg(f->st != NULL, "%s", err);
	/* a: active vps; b: ended vps, active hosting; c: active vps, refused
	 * promotion; d: active vps, undeliverable; e: refused everything. */
	ck_assert_int_eq(store_customer_upsert(f->st, "a@example.vn", "Anh A", "", STORE_SRC_PORTAL, &f->a, NULL), 0);
	ck_assert_int_eq(store_customer_upsert(f->st, "b@example.vn", "Bình B", "", STORE_SRC_PORTAL, &f->b, NULL), 0);
	ck_assert_int_eq(store_customer_upsert(f->st, "c@example.vn", "Cường C", "", STORE_SRC_PORTAL, &f->cc, NULL), 0);
	ck_assert_int_eq(store_customer_upsert(f->st, "d@example.vn", "Dũng D", "", STORE_SRC_PORTAL, &f->d, NULL), 0);
	ck_assert_int_eq(store_customer_upsert(f->st, "e@example.vn", "Em E", "", STORE_SRC_PORTAL, &f->e, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->a, "vps", "VPS-A", STORE_CONTRACT_ACTIVE, 1700000000, 0, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->b, "vps", "VPS-B", STORE_CONTRACT_ENDED, 1600000000, 1690000000, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->b, "hosting", "HOST-B", STORE_CONTRACT_ACTIVE, 1600000000, 0, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->cc, "vps", "VPS-C", STORE_CONTRACT_ACTIVE, 1700000000, 0, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->d, "vps", "VPS-D", STORE_CONTRACT_ACTIVE, 1700000000, 0, NULL), 0);
	ck_assert_int_eq(store_contract_upsert(f->st, f->e, "email", "MAIL-E", STORE_CONTRACT_ACTIVE, 1700000000, 0, NULL), 0);
	ck_assert_int_eq(store_optout(f->st, f->cc, CATEGORY_PROMOTION, STORE_CH_STAFF, "test", NULL), 0);
	ck_assert_int_eq(store_optout(f->st, f->e, -1, STORE_CH_STAFF, "test", NULL), 0);
	{
		int	n;

		ck_assert_int_eq(store_bounce_record(f->st, "d@example.vn", &n), 0);
	}
}

/* fixture_close - close and remove what fixture_open() made */
void
fixture_close(struct fixture *f)
{
	store_close(f->st);
	conf_free(f->conf);
	remove_tmpdir();
}


/* text_body - the decoded first base64 part of MSG (static buffer) */
const char *
text_body(const char *msg)
{
	static unsigned char text[65536];
	char	b64[65536];
	const char *p = strstr(msg, "base64\r\n\r\n");
	size_t	o = 0;
	int	n;

	ck_assert_ptr_nonnull(p);
	p += 10;
	while (*p && !(p[0] == '\r' && p[1] == '\n') && o < sizeof(b64) - 80) {
		const char *e = strstr(p, "\r\n");

		if (e == NULL)
			e = p + strlen(p);
		memcpy(b64 + o, p, (size_t) (e - p));
		o += (size_t) (e - p);
		p = *e ? e + 2 : e;
	}
	b64[o] = 0;
	n = EVP_DecodeBlock(text, (unsigned char *) b64, (int) o);
	ck_assert_int_ge(n, 0);
	while (n > 0 && text[n - 1] == 0)
		n--;			/* padding */
	text[n] = 0;
	return ((const char *) text);
}

/* count_files - how many files in DIR match PATTERN */
int
count_files(const char *dir, const char *pattern)
{
	glob_t	g;
	char	path[1024];
	int	n;

	snprintf(path, sizeof(path), "%s/%s", dir, pattern);
	if (glob(path, 0, NULL, &g) != 0)
		return (0);
	n = (int) g.gl_pathc;
	globfree(&g);
	return (n);
}

struct cfind {
	const char *name;
	long	value;
};

/* cfind_cb - store_counter_each() callback: the value of one counter */
static int
cfind_cb(const char *name, long value, void *arg)
{
	struct cfind *c = arg;

	if (strcmp(name, c->name) == 0)
		c->value = value;
	return (0);
}

/* fixture_counter - the value of store counter NAME, 0 when absent */
long
fixture_counter(struct store *st, const char *name)
{
	struct cfind c = {name, 0};

	ck_assert_int_eq(store_counter_each(st, cfind_cb, &c), STORE_OK);
	return (c.value);
}
