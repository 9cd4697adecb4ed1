/*
 * NAME
 *	test_store_rekey 1
 * SUMMARY
 *	unit tests of store/rekey.c
 * SYNOPSIS
 *	unit/test_store_rekey
 * DESCRIPTION
 *	Key rotation: afterwards the key file holds a new key, the old one
 *	no longer opens the database, every customer reads the same, and
 *	what hangs on the keys that must not change still works (lookup by
 *	address, the suppression hash of a purged address, a token sent
 *	before, a second rotation). A rotation killed with SIGKILL inside
 *	its transaction (a child process kills itself from the progress
 *	callback) leaves the old key file and a database that reads with
 *	it; the rerun completes. A rotation interrupted between the commit
 *	and the rename is finished by the next run; a stray key_file.new is
 *	discarded. Each test makes its own store (store_fx.h): SQLite, or
 *	PostgreSQL when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rekey.h"
#include "store_fx.h"

#define MANY		1200	/* customers: more than two progress batches */
#define KEYBUF		64

/* read_key - the bytes of a key file (32) into BUF */
static void
read_key(const char *path, unsigned char buf[KEYBUF])
{
	FILE   *fp = fopen(path, "rb");

	ck_assert_ptr_nonnull(fp);
	memset(buf, 0, KEYBUF);
	ck_assert_int_eq(fread(buf, 1, KEYBUF, fp), 32);
	fclose(fp);
}

/* reopen - close F's store and open it again with its key file */
static void
reopen(struct fx *f)
{
	char	err[CONF_ERR_MAX];

	store_close(f->st);
	f->st = store_open(f->conf, err, sizeof(err));
	ck_assert_msg(f->st != NULL, "open after rotation: %s", err);
}

/* opens_with - whether the database opens with key file KEY; ERR gets why not */
static int
opens_with(const struct fx *f, const char *key, char *err, size_t errlen)
{
	struct conf *c = fx_conf(f, key);
	struct store *st = store_open(c, err, errlen);
	int	ok = st != NULL;

	store_close(st);
	conf_free(c);
	return (ok);
}

/* add_many - N customers in one transaction */
static void
add_many(struct store *st, int n)
{
	char	email[64], name[64];
	int	i;

	ck_assert_int_eq(store_begin(st), STORE_OK);
	for (i = 0; i < n; i++) {
		snprintf(email, sizeof(email), "k%04d@example.vn", i);
		snprintf(name, sizeof(name), "Khách %04d", i);
		ck_assert_int_eq(store_customer_upsert(st, email, name, "0900 000 000",
						       STORE_SRC_PORTAL, NULL, NULL), STORE_OK);
	}
	ck_assert_int_eq(store_commit(st), STORE_OK);
}

/* check_many - every customer of add_many() reads back */
static void
check_many(struct store *st, int n)
{
	struct store_customer c;
	char	email[64], name[64];
	int	i;

	for (i = 0; i < n; i += 97) {
		snprintf(email, sizeof(email), "k%04d@example.vn", i);
		snprintf(name, sizeof(name), "Khách %04d", i);
		ck_assert_int_eq(store_customer_find(st, email, &c), STORE_OK);
		ck_assert_str_eq(c.name, name);
		store_customer_clear(&c);
	}
}

START_TEST(test_store_key_rotate_reencrypts_and_keeps_hmac_keys)
{
	struct fx f;
	struct store_rekey_report rep;
	struct store_customer c;
	struct store_outbox o;
	struct store_reply_thread t = {"lan.1@example.de", NULL, 0, 0};
	unsigned char k0[KEYBUF], k1[KEYBUF];
	char	err[CONF_ERR_MAX], old[PATH_BUF + 32], tok[STORE_TOKEN_MAX], path[PATH_BUF + 32];
	enum category cat;
	int64_t	id, gone, tid;

	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "lan@bücher.example", "Lan", "0900 000 001");
	gone = fx_add_customer(f.st, "gone@example.vn", "Gone", "");
	ck_assert_int_eq(store_optout(f.st, gone, -1, STORE_CH_STAFF, "staff", NULL), STORE_OK);
	ck_assert_int_eq(store_customer_delete(f.st, gone), STORE_OK);
	ck_assert_int_eq(store_token_make(f.st, id, CATEGORY_PROMOTION, tok, sizeof(tok)), STORE_OK);
	ck_assert_int_eq(store_optout_reply(f.st, id, CATEGORY_PROMOTION, "reply msgid=<h:1>", &t,
					    NULL), STORE_OK);
	read_key(f.key, k0);
	snprintf(old, sizeof(old), "%s.saved", f.key);
	ck_assert_int_eq(link(f.key, old), 0);

	ck_assert_msg(store_key_rotate(f.conf, NULL, NULL, &rep, err, sizeof(err)) == STORE_OK,
		      "rotate: %s", err);
	ck_assert_int_eq(rep.customers, 1);
	ck_assert_int_eq(rep.resumed, 0);
	read_key(f.key, k1);
	ck_assert_int_ne(memcmp(k0, k1, 32), 0);
	snprintf(path, sizeof(path), "%s.new", f.key);
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s.old", f.key);
	ck_assert_int_ne(access(path, F_OK), 0);
	/* the old key no longer opens the database */
	ck_assert_int_eq(opens_with(&f, old, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "does not match"));
	/* everything reads with the new one */
	reopen(&f);
	ck_assert_int_eq(store_customer_find(f.st, "LAN@xn--bcher-kva.example", &c), STORE_OK);
	ck_assert_int_eq(c.id, id);
	ck_assert_str_eq(c.name, "Lan");
	ck_assert_str_eq(c.phone, "0900 000 001");
	store_customer_clear(&c);
	ck_assert_int_eq(store_is_suppressed(f.st, "gone@example.vn"), 1);
	ck_assert_int_eq(store_token_verify(f.st, tok, &tid, &cat), STORE_OK);
	ck_assert_int_eq(tid, id);
	ck_assert_int_eq(cat, CATEGORY_PROMOTION);
	/* the pending confirmation's thread was re-sealed under the new key */
	ck_assert_int_eq(store_outbox_pending(f.st, 0, &o, 1), 1);
	ck_assert_str_eq(o.thread, "<lan.1@example.de>");
	store_outbox_clear(&o);
	/* a second rotation keeps the same HMAC keys (from the key ring) */
	ck_assert_msg(store_key_rotate(f.conf, NULL, NULL, &rep, err, sizeof(err)) == STORE_OK,
		      "rotate again: %s", err);
	reopen(&f);
	ck_assert_int_eq(store_is_suppressed(f.st, "gone@example.vn"), 1);
	ck_assert_int_eq(store_token_verify(f.st, tok, &tid, &cat), STORE_OK);
	ck_assert_int_eq(store_customer_find(f.st, "lan@xn--bcher-kva.example", &c), STORE_OK);
	store_customer_clear(&c);
	fx_teardown(&f);
}
END_TEST

/* die_mid_way - progress callback of the child: SIGKILL inside the transaction */
static int
die_mid_way(long done, long total, void *arg)
{
	(void) arg;
	if (done < total)
		raise(SIGKILL);
	return (0);
}

START_TEST(test_store_key_rotate_killed_mid_way_keeps_old_key_and_rerun_completes)
{
	struct fx f;
	struct store_rekey_report rep;
	unsigned char k0[KEYBUF], k1[KEYBUF];
	char	err[CONF_ERR_MAX], path[PATH_BUF + 32];
	pid_t	pid;
	int	status;

	fx_setup(&f, 1);
	add_many(f.st, MANY);
	store_close(f.st);
	f.st = NULL;
	read_key(f.key, k0);
	if ((pid = fork()) == 0) {
		store_key_rotate(f.conf, die_mid_way, NULL, &rep, err, sizeof(err));
		_exit(0);		/* not reached when the kill happened */
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "the rotation was not killed mid-way (status %d)", status);
	/* the key file is the old one, the new one lies beside it unused */
	read_key(f.key, k1);
	ck_assert_int_eq(memcmp(k0, k1, 32), 0);
	snprintf(path, sizeof(path), "%s.new", f.key);
	ck_assert_int_eq(access(path, F_OK), 0);
	/* the store reads with the old key, every row intact */
	reopen(&f);
	check_many(f.st, MANY);
	store_close(f.st);
	f.st = NULL;
	/* the rerun discards the stray new key and completes */
	ck_assert_msg(store_key_rotate(f.conf, NULL, NULL, &rep, err, sizeof(err)) == STORE_OK,
		      "rerun: %s", err);
	ck_assert_int_eq(rep.customers, MANY);
	ck_assert_int_eq(rep.values, 3 * MANY);
	ck_assert_int_eq(rep.resumed, 0);
	read_key(f.key, k1);
	ck_assert_int_ne(memcmp(k0, k1, 32), 0);
	ck_assert_int_ne(access(path, F_OK), 0);
	reopen(&f);
	check_many(f.st, MANY);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_key_rotate_interrupted_after_commit_is_finished)
{
	struct fx f;
	struct store_rekey_report rep;
	unsigned char k1[KEYBUF], k2[KEYBUF];
	char	err[CONF_ERR_MAX], saved[PATH_BUF + 32], newf[PATH_BUF + 32];

	fx_setup(&f, 1);
	add_many(f.st, 10);
	store_close(f.st);
	f.st = NULL;
	snprintf(saved, sizeof(saved), "%s.saved", f.key);
	snprintf(newf, sizeof(newf), "%s.new", f.key);
	ck_assert_int_eq(link(f.key, saved), 0);
	ck_assert_msg(store_key_rotate(f.conf, NULL, NULL, &rep, err, sizeof(err)) == STORE_OK,
		      "rotate: %s", err);
	read_key(f.key, k1);
	/* as if killed after the commit, before the rename: new key at .new, old at key_file */
	ck_assert_int_eq(rename(f.key, newf), 0);
	ck_assert_int_eq(rename(saved, f.key), 0);
	ck_assert_int_eq(opens_with(&f, f.key, err, sizeof(err)), 0);
	ck_assert_msg(store_key_rotate(f.conf, NULL, NULL, &rep, err, sizeof(err)) == STORE_OK,
		      "resume: %s", err);
	ck_assert_int_eq(rep.resumed, 1);
	read_key(f.key, k2);
	ck_assert_int_eq(memcmp(k1, k2, 32), 0);
	ck_assert_int_ne(access(newf, F_OK), 0);
	reopen(&f);
	check_many(f.st, 10);
	/* a stray .new that opens nothing is discarded, and the rotation runs */
	fx_write_key(newf, 0x5a, 0600);
	store_close(f.st);
	f.st = NULL;
	ck_assert_msg(store_key_rotate(f.conf, NULL, NULL, &rep, err, sizeof(err)) == STORE_OK,
		      "rotate with a stray .new: %s", err);
	ck_assert_int_eq(rep.resumed, 0);
	ck_assert_int_eq(rep.customers, 10);
	reopen(&f);
	check_many(f.st, 10);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_rekey");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_store_key_rotate_reencrypts_and_keeps_hmac_keys);
	tcase_add_test(tc, test_store_key_rotate_killed_mid_way_keeps_old_key_and_rerun_completes);
	tcase_add_test(tc, test_store_key_rotate_interrupted_after_commit_is_finished);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
