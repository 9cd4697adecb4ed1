/*
 * NAME
 *	test_store 1
 * SUMMARY
 *	unit tests of the store library (store.h)
 * SYNOPSIS
 *	unit/test_store
 * DESCRIPTION
 *	Each test makes its own store in a mkdtemp() directory (under
 *	$TMPDIR or /tmp) and removes it. Covered: creation and migration
 *	from an empty file, reopening, the key check, encryption round
 *	trip, no plain text in the files, tampered and swapped
 *	ciphertexts, key file permissions, blind-index lookups, tokens,
 *	opt-out idempotency and the outbox, suppression across purge,
 *	purge and dry run, campaigns and deliveries, message log, bounces,
 *	counters, statistics, export, nested transactions, and STORE_TEMP
 *	for a locked and for a read-only database.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <jansson.h>
#include <sqlite3.h>

#include "conf.h"
#include "store.h"

#define DAY		86400
#define PATH_BUF	512
#define NOBODY_ID	65534

struct fx {
	char	dir[PATH_BUF];
	char	db[PATH_BUF + 16];
	char	key[PATH_BUF + 16];
	struct conf *conf;
	struct store *st;
};

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return remove(path);
}

static void
set(struct conf *c, const char *name, const char *value)
{
	char	err[CONF_ERR_MAX];

	ck_assert_msg(conf_set(c, name, value, err, sizeof(err)) == 0, "conf_set %s: %s", name, err);
}

static struct conf *
make_conf(const char *db, const char *key)
{
	struct conf *c = conf_defaults();

	ck_assert_ptr_nonnull(c);
	set(c, "store_path", db);
	set(c, "key_file", key);
	set(c, "store_busy_timeout", "200");
	set(c, "message_id_domain", "mail.ilinks.asia");
	return c;
}

static void
fx_setup(struct fx *f, int open)
{
	char	err[CONF_ERR_MAX];
	const char *tmp = getenv("TMPDIR");

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/test_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/links.db", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/master.key", f->dir);
	f->conf = make_conf(f->db, f->key);
	if (open) {
		ck_assert_msg(store_init(f->conf, err, sizeof(err)) == STORE_OK, "init: %s", err);
		f->st = store_open(f->conf, err, sizeof(err));
		ck_assert_msg(f->st != NULL, "open: %s", err);
	}
}

static void
fx_teardown(struct fx *f)
{
	store_close(f->st);
	f->st = NULL;
	conf_free(f->conf);
	chmod(f->dir, 0700);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int64_t
add_customer(struct store *st, const char *email, const char *name, const char *phone)
{
	int64_t	id = 0;
	int	created = 0;

	ck_assert_int_eq(store_customer_upsert(st, email, name, phone, STORE_SRC_PORTAL, &id,
					       &created), STORE_OK);
	ck_assert_int_gt(id, 0);
	return id;
}

/* Does FILE contain NEEDLE anywhere (bytes)? Missing file: no. */
static int
file_contains(const char *file, const char *needle)
{
	FILE   *fp = fopen(file, "rb");
	char   *buf;
	long	len;
	int	found;

	if (fp == NULL)
		return 0;
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	buf = malloc((size_t) len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq((long) fread(buf, 1, (size_t) len, fp), len);
	fclose(fp);
	found = memmem(buf, (size_t) len, needle, strlen(needle)) != NULL;
	free(buf);
	return found;
}

static void
raw_exec(const char *db, const char *sql)
{
	sqlite3 *h;
	char   *msg = NULL;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 2000);
	ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg);
	sqlite3_close(h);
}

/* Flip one bit of byte AT of COLUMN in customer ID, behind the store's back. */
static void
flip_byte(const char *db, const char *column, int64_t id, int at)
{
	unsigned char buf[1024];
	sqlite3_stmt *stmt;
	sqlite3 *h;
	char	sql[128];
	int	len;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	snprintf(sql, sizeof(sql), "SELECT %s FROM customers WHERE id = ?", column);
	ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &stmt, NULL), SQLITE_OK);
	sqlite3_bind_int64(stmt, 1, id);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	len = sqlite3_column_bytes(stmt, 0);
	ck_assert_int_gt(len, at);
	ck_assert_int_le(len, (int) sizeof(buf));
	memcpy(buf, sqlite3_column_blob(stmt, 0), (size_t) len);
	sqlite3_finalize(stmt);
	buf[at] ^= 1;
	snprintf(sql, sizeof(sql), "UPDATE customers SET %s = ? WHERE id = ?", column);
	ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &stmt, NULL), SQLITE_OK);
	sqlite3_bind_blob(stmt, 1, buf, len, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, id);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_DONE);
	sqlite3_finalize(stmt);
	sqlite3_close(h);
}

static void
write_key(const char *path, unsigned char fill, mode_t mode)
{
	unsigned char key[32];
	int	fd;

	memset(key, fill, sizeof(key));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, key, sizeof(key)), (int) sizeof(key));
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* ---- creation, migrations, keys ---- */

START_TEST(test_store_init_creates_key_0600_and_schema)
{
	struct fx f;
	struct stat sb;
	char	err[CONF_ERR_MAX];

	fx_setup(&f, 1);
	ck_assert_int_eq(stat(f.key, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(sb.st_size, 32);
	ck_assert_int_eq(store_schema_version(f.st), 1);
	/* init again: keeps the key, checks it, no error */
	ck_assert_msg(store_init(f.conf, err, sizeof(err)) == STORE_OK, "%s", err);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_migrates_empty_file_and_reopens)
{
	struct fx f;
	struct store_customer c;
	char	err[CONF_ERR_MAX];
	int	fd;
	int64_t	id;

	fx_setup(&f, 0);
	fd = open(f.db, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	write_key(f.key, 0x42, 0600);
	f.st = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(f.st != NULL, "%s", err);
	ck_assert_int_eq(store_schema_version(f.st), 1);
	id = add_customer(f.st, "an.nguyen@example.vn", "Nguyễn Văn An", "0900 000 001");
	store_close(f.st);
	/* reopen: no migration to run, data intact */
	f.st = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(f.st != NULL, "%s", err);
	ck_assert_int_eq(store_schema_version(f.st), 1);
	ck_assert_int_eq(store_customer_get(f.st, id, &c), STORE_OK);
	ck_assert_str_eq(c.name, "Nguyễn Văn An");
	store_customer_clear(&c);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_open_refuses_newer_schema_and_missing_db)
{
	struct fx f;
	char	err[CONF_ERR_MAX];

	fx_setup(&f, 0);
	write_key(f.key, 1, 0600);
	ck_assert_ptr_null(store_open(f.conf, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "links-store init"));
	ck_assert_int_eq(store_init(f.conf, err, sizeof(err)), STORE_OK);
	raw_exec(f.db, "PRAGMA user_version = 99");
	ck_assert_ptr_null(store_open(f.conf, err, sizeof(err)));
	ck_assert_msg(strstr(err, "newer") != NULL, "%s", err);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_wrong_key_is_refused_with_a_clear_error)
{
	struct fx f;
	struct conf *other;
	char	err[CONF_ERR_MAX], key2[PATH_BUF + 32];

	fx_setup(&f, 1);
	add_customer(f.st, "an.nguyen@example.vn", "An", "");
	store_close(f.st);
	f.st = NULL;
	snprintf(key2, sizeof(key2), "%s.other", f.key);
	write_key(key2, 0x77, 0600);
	other = make_conf(f.db, key2);
	ck_assert_ptr_null(store_open(other, err, sizeof(err)));
	ck_assert_msg(strstr(err, "does not match") && strstr(err, key2), "%s", err);
	conf_free(other);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_key_file_readable_by_others_is_refused)
{
	struct fx f;
	char	err[CONF_ERR_MAX];

	fx_setup(&f, 1);
	store_close(f.st);
	f.st = NULL;
	ck_assert_int_eq(chmod(f.key, 0644), 0);
	ck_assert_ptr_null(store_open(f.conf, err, sizeof(err)));
	ck_assert_msg(strstr(err, f.key) && strstr(err, "0644"), "%s", err);
	ck_assert_int_eq(chmod(f.key, 0640), 0);
	ck_assert_ptr_null(store_open(f.conf, err, sizeof(err)));
	ck_assert_msg(strstr(err, "0640") != NULL, "%s", err);
	ck_assert_int_eq(chmod(f.key, 0600), 0);
	f.st = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(f.st != NULL, "%s", err);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_init_refuses_new_key_for_existing_db)
{
	struct fx f;
	char	err[CONF_ERR_MAX];

	fx_setup(&f, 1);
	store_close(f.st);
	f.st = NULL;
	ck_assert_int_eq(unlink(f.key), 0);
	ck_assert_int_eq(store_init(f.conf, err, sizeof(err)), STORE_ERR);
	ck_assert_msg(strstr(err, "restore the key file") != NULL, "%s", err);
	ck_assert_int_eq(access(f.key, F_OK), -1);
	fx_teardown(&f);
}
END_TEST

/* ---- customers and encryption ---- */

START_TEST(test_store_customer_crud)
{
	struct fx f;
	struct store_customer c;
	int64_t	id, id2;
	int	created;

	fx_setup(&f, 1);
	ck_assert_int_eq(store_customer_upsert(f.st, "an.nguyen@example.vn", "Nguyễn Văn An",
					       "0900 000 001", STORE_SRC_WEB_FORM, &id, &created),
			 STORE_OK);
	ck_assert_int_eq(created, 1);
	/* update by address: name changes, NULL phone keeps the phone, source kept */
	ck_assert_int_eq(store_customer_upsert(f.st, "AN.NGUYEN@example.vn", "Nguyễn V. An", NULL,
					       STORE_SRC_STAFF, &id2, &created), STORE_OK);
	ck_assert_int_eq(created, 0);
	ck_assert_int_eq(id, id2);
	ck_assert_int_eq(store_customer_get(f.st, id, &c), STORE_OK);
	ck_assert_str_eq(c.email, "an.nguyen@example.vn");
	ck_assert_str_eq(c.name, "Nguyễn V. An");
	ck_assert_str_eq(c.phone, "0900 000 001");
	ck_assert_int_eq(c.source, STORE_SRC_WEB_FORM);
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_upsert(f.st, "not an address", "x", NULL, STORE_SRC_STAFF,
					       NULL, NULL), STORE_ERR);
	ck_assert_ptr_null(strstr(store_errmsg(f.st), "not an address"));
	ck_assert_int_eq(store_customer_upsert(f.st, "b@example.vn", "x", "call me", STORE_SRC_STAFF,
					       NULL, NULL), STORE_ERR);
	ck_assert_int_eq(store_customer_delete(f.st, id), STORE_OK);
	ck_assert_int_eq(store_customer_get(f.st, id, &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_customer_find(f.st, "an.nguyen@example.vn", &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_customer_delete(f.st, id), STORE_NOTFOUND);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_blind_index_lookup_is_case_insensitive)
{
	struct fx f;
	struct store_customer c;
	int64_t	id;

	fx_setup(&f, 1);
	id = add_customer(f.st, "Binh.Tran@Example.VN", "Trần Thị Bình", "");
	ck_assert_int_eq(store_customer_find(f.st, "  binh.tran@example.vn\t", &c), STORE_OK);
	ck_assert_int_eq(c.id, id);
	ck_assert_str_eq(c.email, "binh.tran@example.vn");
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_find(f.st, "BINH.TRAN@EXAMPLE.VN", &c), STORE_OK);
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_find(f.st, "binh.tran@example.com", &c), STORE_NOTFOUND);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_one_customer_for_every_form_of_an_address)
{
	struct fx f;
	struct store_customer c;
	int64_t	id;

	/* config/addr.h's rule: IDN domains by their A-labels, quotes that
	 * are not needed dropped, ASCII local parts folded. */
	fx_setup(&f, 1);
	id = add_customer(f.st, "Lan@Bücher.Example", "Lan", "");
	ck_assert_int_eq(store_customer_find(f.st, "lan@xn--bcher-kva.example", &c), STORE_OK);
	ck_assert_int_eq(c.id, id);
	ck_assert_str_eq(c.email, "lan@xn--bcher-kva.example");
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_find(f.st, "\"LAN\"@BÜCHER.example", &c), STORE_OK);
	ck_assert_int_eq(c.id, id);
	store_customer_clear(&c);
	/* a UTF-8 local part (RFC 6531) is a customer too, found again */
	id = add_customer(f.st, "thư@example.vn", "Thư", "");
	ck_assert_int_eq(store_customer_find(f.st, "<thư@EXAMPLE.vn>", &c), STORE_OK);
	ck_assert_int_eq(c.id, id);
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_upsert(f.st, "", "x", NULL, STORE_SRC_STAFF, NULL, NULL),
			 STORE_ERR);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_files_hold_no_plain_personal_data)
{
	struct fx f;
	char	wal[PATH_BUF + 32], shm[PATH_BUF + 32];

	fx_setup(&f, 1);
	add_customer(f.st, "an.nguyen@example.vn", "Nguyễn Văn An", "0900 000 001");
	add_customer(f.st, "binh.tran@example.vn", "Trần Thị Bình", "0900 000 002");
	snprintf(wal, sizeof(wal), "%s-wal", f.db);
	snprintf(shm, sizeof(shm), "%s-shm", f.db);
	/* while open (data in the WAL) and after close (checkpointed) */
	for (int pass = 0; pass < 2; pass++) {
		const char *files[] = {f.db, wal, shm};

		for (int i = 0; i < 3; i++) {
			ck_assert_msg(!file_contains(files[i], "an.nguyen"), "email in %s", files[i]);
			ck_assert_msg(!file_contains(files[i], "example.vn"), "domain in %s", files[i]);
			ck_assert_msg(!file_contains(files[i], "Nguyễn"), "name in %s", files[i]);
			ck_assert_msg(!file_contains(files[i], "Bình"), "name in %s", files[i]);
			ck_assert_msg(!file_contains(files[i], "0900 000 00"), "phone in %s", files[i]);
		}
		store_close(f.st);
		f.st = NULL;
	}
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_tampered_ciphertext_is_refused)
{
	struct fx f;
	struct store_customer c;
	int64_t	a, b;

	fx_setup(&f, 1);
	a = add_customer(f.st, "an.nguyen@example.vn", "Nguyễn Văn An", "0900 000 001");
	b = add_customer(f.st, "binh.tran@example.vn", "Trần Thị Bình", "0900 000 002");
	store_close(f.st);
	f.st = NULL;
	/* flip one byte of a's name ciphertext */
	flip_byte(f.db, "name_ct", a, 20);
	/* copy a's (valid) email ciphertext into b: bound to row a, must not decrypt as b */
	raw_exec(f.db, "UPDATE customers SET email_ct = (SELECT email_ct FROM customers WHERE id = 1)"
		 " WHERE id = 2");
	{
		char	err[CONF_ERR_MAX];

		f.st = store_open(f.conf, err, sizeof(err));
		ck_assert_msg(f.st != NULL, "%s", err);
	}
	ck_assert_int_eq(store_customer_get(f.st, a, &c), STORE_ERR);
	ck_assert_msg(strstr(store_errmsg(f.st), "does not decrypt") != NULL, "%s",
		      store_errmsg(f.st));
	ck_assert_ptr_null(c.email);
	ck_assert_int_eq(store_customer_get(f.st, b, &c), STORE_ERR);
	ck_assert_ptr_null(strstr(store_errmsg(f.st), "example"));
	fx_teardown(&f);
}
END_TEST

/* ---- contracts ---- */

START_TEST(test_store_contracts)
{
	struct fx f;
	int64_t	a, b, k1, k2;

	fx_setup(&f, 1);
	a = add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = add_customer(f.st, "binh.tran@example.vn", "Bình", "");
	ck_assert_int_eq(store_contract_upsert(f.st, a, "vps", "VPS-1", STORE_CONTRACT_ACTIVE,
					       1700000000, 0, &k1), STORE_OK);
	ck_assert_int_eq(store_customer_has_active(f.st, a, "vps"), 1);
	ck_assert_int_eq(store_customer_has_active(f.st, a, "hosting"), 0);
	ck_assert_int_eq(store_customer_has_active(f.st, b, "vps"), 0);
	/* same ref again: same row (idempotent) */
	ck_assert_int_eq(store_contract_upsert(f.st, a, "vps", "VPS-1", STORE_CONTRACT_ACTIVE,
					       0, 0, &k2), STORE_OK);
	ck_assert_int_eq(k1, k2);
	ck_assert_int_eq(store_contract_end(f.st, "VPS-1", 1710000000), STORE_OK);
	ck_assert_int_eq(store_customer_has_active(f.st, a, "vps"), 0);
	ck_assert_int_eq(store_contract_end(f.st, "NOPE-1", 0), STORE_NOTFOUND);
	ck_assert_int_eq(store_contract_upsert(f.st, a, "VPS!", "X-1", STORE_CONTRACT_ACTIVE, 0, 0,
					       NULL), STORE_ERR);
	ck_assert_int_eq(store_contract_upsert(f.st, 999, "vps", "X-2", STORE_CONTRACT_ACTIVE, 0, 0,
					       NULL), STORE_ERR);
	ck_assert_int_eq(store_contract_upsert(f.st, a, "vps", "X-3", STORE_CONTRACT_ENDED,
					       1710000000, 1700000000, NULL), STORE_ERR);
	fx_teardown(&f);
}
END_TEST

/* ---- tokens ---- */

START_TEST(test_store_token_round_trip_and_tamper)
{
	struct fx f, g;
	char	tok[STORE_TOKEN_MAX], bad[STORE_TOKEN_MAX];
	enum category cat;
	int64_t	id;
	size_t	i;

	fx_setup(&f, 1);
	ck_assert_int_eq(store_token_make(f.st, 4242, CATEGORY_PROMOTION, tok, sizeof(tok)),
			 STORE_OK);
	ck_assert_int_lt(strlen(tok), 40);
	ck_assert_uint_eq(strspn(tok, "abcdefghijklmnopqrstuvwxyz234567"), strlen(tok));
	ck_assert_int_eq(store_token_verify(f.st, tok, &id, &cat), STORE_OK);
	ck_assert_int_eq(id, 4242);
	ck_assert_int_eq(cat, CATEGORY_PROMOTION);
	/* MTAs may upper-case a local part */
	for (i = 0; tok[i]; i++)
		bad[i] = (char) (tok[i] >= 'a' && tok[i] <= 'z' ? tok[i] - 32 : tok[i]);
	bad[i] = 0;
	ck_assert_int_eq(store_token_verify(f.st, bad, &id, &cat), STORE_OK);
	/* any changed character is refused */
	for (i = 0; tok[i]; i++) {
		strcpy(bad, tok);
		bad[i] = bad[i] == 'a' ? 'b' : 'a';
		ck_assert_msg(store_token_verify(f.st, bad, &id, &cat) == STORE_NOTFOUND,
			      "tampered position %zu accepted", i);
	}
	ck_assert_int_eq(store_token_verify(f.st, "", &id, &cat), STORE_NOTFOUND);
	ck_assert_int_eq(store_token_verify(f.st, "abc", &id, &cat), STORE_NOTFOUND);
	strcpy(bad, tok);
	bad[3] = '!';
	ck_assert_int_eq(store_token_verify(f.st, bad, &id, &cat), STORE_NOTFOUND);
	snprintf(bad, sizeof(bad), "%sa", tok);
	ck_assert_int_eq(store_token_verify(f.st, bad, &id, &cat), STORE_NOTFOUND);
	/* a token made under another master key is a forgery here */
	fx_setup(&g, 1);
	ck_assert_int_eq(store_token_make(g.st, 4242, CATEGORY_PROMOTION, bad, sizeof(bad)),
			 STORE_OK);
	ck_assert_str_ne(bad, tok);
	ck_assert_int_eq(store_token_verify(f.st, bad, &id, &cat), STORE_NOTFOUND);
	ck_assert_int_eq(store_token_make(f.st, 0, CATEGORY_PROMOTION, bad, sizeof(bad)), STORE_ERR);
	ck_assert_int_eq(store_token_make(f.st, 1, CATEGORY_SURVEY, bad, 10), STORE_ERR);
	fx_teardown(&g);
	fx_teardown(&f);
}
END_TEST

/* ---- opt-out, outbox, suppression ---- */

static int
count_events(const struct store_consent *e, void *arg)
{
	(void) e;
	(*(int *) arg)++;
	return 0;
}

START_TEST(test_store_optout_idempotent_and_outbox_once)
{
	struct fx f;
	struct store_outbox o[4];
	int64_t	id;
	int	changed, n, events = 0, i;

	fx_setup(&f, 1);
	id = add_customer(f.st, "an.nguyen@example.vn", "An", "");
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<1@x> rule=command",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_SURVEY), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_ACCOUNT), 0);
	ck_assert_int_eq(store_is_suppressed(f.st, "AN.NGUYEN@example.vn"), 1);
	/* the same reply again (Postfix retry), and another refusal: nothing changes */
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<1@x> rule=command",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	ck_assert_int_eq(store_optout(f.st, id, CATEGORY_PROMOTION, STORE_CH_ONE_CLICK,
				      "token", &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	n = store_outbox_pending(f.st, 0, o, 4);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(o[0].template_name, "optout_confirm");
	ck_assert_int_eq(o[0].customer_id, id);
	ck_assert_int_eq((int) strcspn(o[0].message_id, "@"), 32);
	ck_assert_str_eq(strchr(o[0].message_id, '@'), "@mail.ilinks.asia");
	for (i = 0; i < n; i++)
		store_outbox_clear(&o[i]);
	ck_assert_int_eq(store_consent_each(f.st, id, count_events, &events), STORE_OK);
	ck_assert_int_eq(events, 2);
	/* staff opt-in, then the old reply replayed: still opted in */
	ck_assert_int_eq(store_optin(f.st, id, -1, STORE_CH_STAFF, "staff", &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_is_suppressed(f.st, "an.nguyen@example.vn"), 0);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<1@x> rule=command",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	/* staff refusal: recorded, no confirmation mail */
	ck_assert_int_eq(store_optout(f.st, id, CATEGORY_SURVEY, STORE_CH_STAFF, "staff",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 1);
	ck_assert_int_eq(store_is_suppressed(f.st, "an.nguyen@example.vn"), 0);
	n = store_outbox_pending(f.st, 0, o, 4);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(store_outbox_done(f.st, o[0].id, 1, ""), STORE_OK);
	store_outbox_clear(&o[0]);
	ck_assert_int_eq(store_outbox_pending(f.st, 0, o, 4), 0);
	/* transactional mail cannot be refused */
	ck_assert_int_eq(store_optout(f.st, id, CATEGORY_ACCOUNT, STORE_CH_REPLY, "x", &changed),
			 STORE_ERR);
	ck_assert_int_eq(store_optout(f.st, 9999, -1, STORE_CH_REPLY, "y", &changed),
			 STORE_NOTFOUND);
	fx_teardown(&f);
}
END_TEST

static void
add_ended(struct store *st, int64_t id, const char *ref, time_t ended)
{
	ck_assert_int_eq(store_contract_upsert(st, id, "hosting", ref, STORE_CONTRACT_ENDED,
					       ended - 400 * DAY, ended, NULL), STORE_OK);
}

START_TEST(test_store_suppression_survives_purge)
{
	struct fx f;
	struct store_customer c;
	struct store_purge_report rep;
	struct store_stats s;
	time_t	now = time(NULL);
	int64_t	id, id2;
	int	created, events = 0;

	fx_setup(&f, 1);
	id = add_customer(f.st, "cuong.le@example.vn", "Lê Văn Cường", "0900 000 003");
	add_ended(f.st, id, "HOST-1", now - 100 * DAY);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<2@x>", NULL), STORE_OK);
	ck_assert_int_eq(store_purge(f.st, now, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.customers_deleted, 1);
	ck_assert_int_eq(rep.contracts_deleted, 1);
	ck_assert_int_eq(rep.suppressed_kept, 1);
	ck_assert_int_eq(store_customer_get(f.st, id, &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_is_suppressed(f.st, "cuong.le@example.vn"), 1);
	/* consent events stay, without the customer id */
	ck_assert_int_eq(store_consent_each(f.st, 0, count_events, &events), STORE_OK);
	ck_assert_int_eq(events, 2);
	ck_assert_int_eq(store_stats_get(f.st, &s), STORE_OK);
	ck_assert_int_eq(s.customers, 0);
	ck_assert_int_eq(s.suppressed, 1);
	/* the address comes back (re-import): still refused */
	ck_assert_int_eq(store_customer_upsert(f.st, "Cuong.Le@example.vn", "Lê Văn Cường", NULL,
					       STORE_SRC_PORTAL, &id2, &created), STORE_OK);
	ck_assert_int_eq(created, 1);
	ck_assert_int_ne(id2, id);
	ck_assert_int_eq(store_is_optout(f.st, id2, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_optout(f.st, id2, CATEGORY_SURVEY), 1);
	/* a year later the orphaned events go, the suppression entry stays */
	ck_assert_int_eq(store_customer_delete(f.st, id2), STORE_OK);
	ck_assert_int_eq(store_purge(f.st, now + 400 * DAY, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.consent_events_deleted, 4);
	ck_assert_int_eq(store_is_suppressed(f.st, "cuong.le@example.vn"), 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_partial_refusal_survives_purge)
{
	struct fx f;
	struct store_purge_report rep;
	time_t	now = time(NULL);
	int64_t	id;

	fx_setup(&f, 1);
	id = add_customer(f.st, "dung.pham@example.com", "Phạm Thị Dung", "");
	add_ended(f.st, id, "HOST-2", now - 100 * DAY);
	ck_assert_int_eq(store_optout(f.st, id, CATEGORY_PROMOTION, STORE_CH_ONE_CLICK, "t", NULL),
			 STORE_OK);
	ck_assert_int_eq(store_is_suppressed(f.st, "dung.pham@example.com"), 0);
	ck_assert_int_eq(store_purge(f.st, now, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.suppressed_kept, 1);
	id = add_customer(f.st, "dung.pham@example.com", "Phạm Thị Dung", "");
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_SURVEY), 0);
	fx_teardown(&f);
}
END_TEST

static void
note_id(int64_t id, void *arg)
{
	int64_t *last = arg;

	*last = id;
}

START_TEST(test_store_purge_rules_and_dry_run)
{
	struct fx f;
	struct store_purge_report rep, dry;
	struct store_customer c;
	time_t	now = time(NULL);
	int64_t	gone, recent, active, mixed, nocontract, seen = 0;

	fx_setup(&f, 1);
	gone = add_customer(f.st, "gone@example.vn", "Gone", "");
	add_ended(f.st, gone, "G-1", now - 31 * DAY);
	add_ended(f.st, gone, "G-2", now - 365 * DAY);
	recent = add_customer(f.st, "recent@example.vn", "Recent", "");
	add_ended(f.st, recent, "R-1", now - 29 * DAY);		/* inside the 30-day grace */
	active = add_customer(f.st, "active@example.vn", "Active", "");
	ck_assert_int_eq(store_contract_upsert(f.st, active, "vps", "A-1", STORE_CONTRACT_ACTIVE,
					       now - 900 * DAY, 0, NULL), STORE_OK);
	mixed = add_customer(f.st, "mixed@example.vn", "Mixed", "");
	add_ended(f.st, mixed, "M-1", now - 900 * DAY);
	ck_assert_int_eq(store_contract_upsert(f.st, mixed, "domain", "M-2", STORE_CONTRACT_ACTIVE,
					       now - 900 * DAY, 0, NULL), STORE_OK);
	nocontract = add_customer(f.st, "new@example.vn", "New", "");	/* created now */

	ck_assert_int_eq(store_purge(f.st, now, 1, note_id, &seen, &dry), STORE_OK);
	ck_assert_int_eq(dry.customers_deleted, 1);
	ck_assert_int_eq(dry.contracts_deleted, 2);
	ck_assert_int_eq(seen, gone);
	/* dry run changed nothing */
	ck_assert_int_eq(store_customer_get(f.st, gone, &c), STORE_OK);
	store_customer_clear(&c);
	ck_assert_int_eq(store_purge(f.st, now, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_mem_eq(&rep, &dry, sizeof(rep));
	ck_assert_int_eq(store_customer_get(f.st, gone, &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_customer_find(f.st, "gone@example.vn", &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_contract_end(f.st, "G-1", 0), STORE_NOTFOUND);
	{
		int64_t	ids[] = {recent, active, mixed, nocontract};

		for (int i = 0; i < 4; i++) {
			ck_assert_int_eq(store_customer_get(f.st, ids[i], &c), STORE_OK);
			store_customer_clear(&c);
		}
	}
	ck_assert_int_eq(store_customer_has_active(f.st, active, "vps"), 1);
	/* a customer with no contract goes once the grace period has passed */
	ck_assert_int_eq(store_purge(f.st, now + 31 * DAY, 0, NULL, NULL, &rep), STORE_OK);
	ck_assert_int_eq(rep.customers_deleted, 2);	/* recent and nocontract */
	fx_teardown(&f);
}
END_TEST

/* ---- campaigns, deliveries, message log, bounces, counters ---- */

static int
count_campaigns(const struct store_campaign *c, void *arg)
{
	(void) c;
	(*(int *) arg)++;
	return 0;
}

START_TEST(test_store_campaign_and_delivery_rows)
{
	struct fx f;
	struct store_campaign c;
	struct store_delivery d[8];
	struct store_msglog m;
	long	counts[4];
	int64_t	cid, a, b, x;
	int	n, i, ncamp = 0;

	fx_setup(&f, 1);
	a = add_customer(f.st, "an.nguyen@example.vn", "An", "");
	b = add_customer(f.st, "binh.tran@example.vn", "Bình", "");
	x = add_customer(f.st, "x@example.com", "X", "");
	ck_assert_int_eq(store_campaign_create(f.st, CATEGORY_MAINTENANCE, "maintenance",
					       "service_type=vps", "{\"date\":\"2026-12-01\"}", &cid),
			 STORE_OK);
	ck_assert_int_eq(store_campaign_get(f.st, cid, &c), STORE_OK);
	ck_assert_int_eq(c.category, CATEGORY_MAINTENANCE);
	ck_assert_str_eq(c.audience, "service_type=vps");
	ck_assert_int_eq(c.finished, 0);
	store_campaign_clear(&c);
	ck_assert_int_eq(store_delivery_add(f.st, cid, a, "<m1@mail.ilinks.asia>", STORE_DLV_QUEUED,
					    NULL), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, b, "m2@mail.ilinks.asia", STORE_DLV_QUEUED,
					    NULL), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, x, "m3@mail.ilinks.asia", STORE_DLV_SKIPPED,
					    "opted out"), STORE_OK);
	/* a second add for the same (campaign, customer) changes nothing */
	ck_assert_int_eq(store_delivery_add(f.st, cid, a, "other@mail.ilinks.asia",
					    STORE_DLV_QUEUED, NULL), STORE_OK);
	ck_assert_int_eq(store_delivery_add(f.st, cid, a, "m4@x", STORE_DLV_SENT, NULL), STORE_ERR);
	n = store_delivery_queued(f.st, cid, 0, d, 1);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(d[0].message_id, "m1@mail.ilinks.asia");
	ck_assert_int_eq(d[0].customer_id, a);
	n = store_delivery_queued(f.st, cid, d[0].id, d + 1, 8);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(d[1].message_id, "m2@mail.ilinks.asia");
	ck_assert_int_eq(store_delivery_set(f.st, d[0].id, STORE_DLV_SENT, NULL), STORE_OK);
	ck_assert_int_eq(store_delivery_set(f.st, d[1].id, STORE_DLV_FAILED, "550 no such user"),
			 STORE_OK);
	ck_assert_int_eq(store_delivery_set(f.st, 99999, STORE_DLV_SENT, NULL), STORE_NOTFOUND);
	for (i = 0; i < 2; i++)
		store_delivery_clear(&d[i]);
	ck_assert_int_eq(store_delivery_queued(f.st, cid, 0, d, 8), 0);
	ck_assert_int_eq(store_delivery_counts(f.st, cid, counts), STORE_OK);
	ck_assert_int_eq(counts[STORE_DLV_QUEUED], 0);
	ck_assert_int_eq(counts[STORE_DLV_SENT], 1);
	ck_assert_int_eq(counts[STORE_DLV_FAILED], 1);
	ck_assert_int_eq(counts[STORE_DLV_SKIPPED], 1);
	ck_assert_int_eq(store_campaign_finish(f.st, cid), STORE_OK);
	ck_assert_int_eq(store_campaign_each(f.st, count_campaigns, &ncamp), STORE_OK);
	ck_assert_int_eq(ncamp, 1);
	/* message log, with or without angle brackets */
	ck_assert_int_eq(store_msglog_add(f.st, "<m1@mail.ilinks.asia>", a, CATEGORY_MAINTENANCE,
					  cid), STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, "m1@mail.ilinks.asia", a, CATEGORY_MAINTENANCE,
					  cid), STORE_OK);
	ck_assert_int_eq(store_msglog_find(f.st, "m1@mail.ilinks.asia", &m), STORE_OK);
	ck_assert_int_eq(m.customer_id, a);
	ck_assert_int_eq(m.campaign_id, cid);
	ck_assert_int_eq(store_msglog_find(f.st, " <m1@mail.ilinks.asia> ", &m), STORE_OK);
	ck_assert_int_eq(store_msglog_find(f.st, "<nope@x>", &m), STORE_NOTFOUND);
	ck_assert_int_eq(store_msglog_find(f.st, "garbage", &m), STORE_NOTFOUND);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_bounces_counters_stats)
{
	struct fx f;
	struct store_stats s;
	int	count, i;

	fx_setup(&f, 1);
	add_customer(f.st, "an.nguyen@example.vn", "An", "");
	for (i = 1; i <= 3; i++) {
		ck_assert_int_eq(store_is_undeliverable(f.st, "an.nguyen@example.vn"), 0);
		ck_assert_int_eq(store_bounce_record(f.st, "AN.nguyen@example.vn", &count), STORE_OK);
		ck_assert_int_eq(count, i);
	}
	ck_assert_int_eq(store_is_undeliverable(f.st, "an.nguyen@example.vn"), 1);
	ck_assert_int_eq(store_bounce_record(f.st, "bad", &count), STORE_ERR);
	ck_assert_int_eq(store_counter_add(f.st, "milter.refusals", 2), STORE_OK);
	ck_assert_int_eq(store_counter_add(f.st, "milter.refusals", 3), STORE_OK);
	ck_assert_int_eq(store_stats_get(f.st, &s), STORE_OK);
	ck_assert_int_eq(s.customers, 1);
	ck_assert_int_eq(s.undeliverable, 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_export_is_the_customers_own_data)
{
	struct fx f;
	json_error_t jerr;
	json_t *root;
	FILE   *fp;
	int64_t	a;

	fx_setup(&f, 1);
	a = add_customer(f.st, "an.nguyen@example.vn", "Nguyễn Văn An", "0900 000 001");
	add_customer(f.st, "binh.tran@example.vn", "Trần Thị Bình", "");
	ck_assert_int_eq(store_contract_upsert(f.st, a, "vps", "VPS-1", STORE_CONTRACT_ACTIVE,
					       1700000000, 0, NULL), STORE_OK);
	ck_assert_int_eq(store_optout(f.st, a, CATEGORY_PROMOTION, STORE_CH_REPLY, "msgid=<9@x>",
				      NULL), STORE_OK);
	ck_assert_int_eq(store_msglog_add(f.st, "m9@x", a, CATEGORY_PROMOTION, 0), STORE_OK);
	fp = tmpfile();
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(store_export_json(f.st, a, fp), STORE_OK);
	rewind(fp);
	root = json_loadf(fp, 0, &jerr);
	ck_assert_msg(root != NULL, "%s", jerr.text);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(root, "customer"),
							   "email")), "an.nguyen@example.vn");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(root, "customer"),
							   "name")), "Nguyễn Văn An");
	ck_assert_int_eq(json_array_size(json_object_get(root, "contracts")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(root, "preferences"),
							   "promotion")), "refused");
	ck_assert_int_eq(json_array_size(json_object_get(root, "consent_log")), 1);
	ck_assert_int_eq(json_array_size(json_object_get(root, "messages")), 1);
	json_decref(root);
	/* nothing about the other customer */
	rewind(fp);
	{
		char	buf[8192];
		size_t	n = fread(buf, 1, sizeof(buf) - 1, fp);

		buf[n] = 0;
		ck_assert_ptr_null(strstr(buf, "binh"));
	}
	fclose(fp);
	ck_assert_int_eq(store_export_json(f.st, 999, stdout), STORE_NOTFOUND);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_nested_transactions)
{
	struct fx f;
	struct store_customer c;

	fx_setup(&f, 1);
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	add_customer(f.st, "one@example.vn", "One", "");
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	add_customer(f.st, "two@example.vn", "Two", "");
	ck_assert_int_eq(store_rollback(f.st), STORE_OK);
	ck_assert_int_eq(store_commit(f.st), STORE_OK);
	ck_assert_int_eq(store_customer_find(f.st, "one@example.vn", &c), STORE_OK);
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_find(f.st, "two@example.vn", &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	add_customer(f.st, "three@example.vn", "Three", "");
	ck_assert_int_eq(store_rollback(f.st), STORE_OK);
	ck_assert_int_eq(store_customer_find(f.st, "three@example.vn", &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_commit(f.st), STORE_ERR);
	fx_teardown(&f);
}
END_TEST

/* ---- temporary failures ---- */

START_TEST(test_store_temp_when_locked_past_busy_timeout)
{
	struct fx f;
	sqlite3 *h;
	int64_t	id;
	time_t	t0;

	fx_setup(&f, 1);
	id = add_customer(f.st, "an.nguyen@example.vn", "An", "");
	ck_assert_int_eq(sqlite3_open(f.db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	t0 = time(NULL);
	ck_assert_int_eq(store_customer_upsert(f.st, "binh.tran@example.vn", "B", NULL,
					       STORE_SRC_PORTAL, NULL, NULL), STORE_TEMP);
	ck_assert_msg(strstr(store_errmsg(f.st), "locked") != NULL, "%s", store_errmsg(f.st));
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "m", NULL), STORE_TEMP);
	ck_assert_int_eq(store_counter_add(f.st, "x", 1), STORE_TEMP);
	ck_assert_int_le(time(NULL) - t0, 5);
	/* reads still work in WAL mode */
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "m", NULL), STORE_OK);
	fx_teardown(&f);
}
END_TEST

/*
 * A writer waiting for the lock gets it soon after the holder commits:
 * SQLite's default busy handler sleeps 1, 2, 5 ... 100 ms between tries,
 * so a lock released after 60 ms is taken at 78 ms at best (18 ms
 * late); the store's own handler retries within BUSY_SLEEP_MAX_US (2
 * ms). The best of a few rounds, so that one unlucky scheduling delay
 * on a busy machine does not decide.
 */
#define HOLD_MS		60
#define LATE_MAX_MS	10.0
#define LOCK_ROUNDS	5

struct holder {
	sqlite3 *h;
	double	released;	/* monotonic ms when COMMIT returned */
};

static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

static void *
hold_then_commit(void *arg)
{
	struct holder *ho = arg;
	struct timespec ts = {0, HOLD_MS * 1000000L};

	nanosleep(&ts, NULL);
	if (sqlite3_exec(ho->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		ho->released = -1;
	else
		ho->released = mono_ms();
	return NULL;
}

START_TEST(test_store_waiting_writer_takes_the_lock_soon_after_release)
{
	struct fx f;
	struct holder ho;
	pthread_t th;
	double	best = 1e9, t0, late;
	int	i;

	fx_setup(&f, 1);
	ck_assert_int_eq(sqlite3_open(f.db, &ho.h), SQLITE_OK);
	for (i = 0; i < LOCK_ROUNDS; i++) {
		ck_assert_int_eq(sqlite3_exec(ho.h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
		ck_assert_int_eq(pthread_create(&th, NULL, hold_then_commit, &ho), 0);
		ck_assert_int_eq(store_counter_add(f.st, "x", 1), STORE_OK);
		t0 = mono_ms();
		ck_assert_int_eq(pthread_join(th, NULL), 0);
		ck_assert_msg(ho.released > 0, "holder could not commit");
		late = t0 - ho.released;
		if (late < best)
			best = late;
	}
	ck_assert_msg(best < LATE_MAX_MS, "writer got the lock %.1f ms after its release", best);
	/* and the timeout still holds: 200 ms in make_conf() */
	ck_assert_int_eq(sqlite3_exec(ho.h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	t0 = mono_ms();
	ck_assert_int_eq(store_counter_add(f.st, "x", 1), STORE_TEMP);
	late = mono_ms() - t0;
	ck_assert_msg(late >= 195 && late < 2000, "gave up after %.1f ms, not 200", late);
	ck_assert_int_eq(sqlite3_exec(ho.h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(ho.h);
	fx_teardown(&f);
}
END_TEST

/*
 * With the automatic checkpoint off, commits stay in the write-ahead
 * log and the database file does not grow; store_checkpoint() copies
 * them into it.
 */
static off_t
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

START_TEST(test_store_checkpoint_only_when_asked_with_autocheckpoint_off)
{
	struct fx f;
	char	email[64];
	off_t	before, after_writes, after_checkpoint;
	int	i;

	fx_setup(&f, 1);
	ck_assert_int_eq(store_checkpoint(f.st), STORE_OK);
	ck_assert_int_eq(store_set_autocheckpoint(f.st, 0), STORE_OK);
	before = file_size(f.db);
	for (i = 0; i < 400; i++) {	/* well past SQLite's 1000-page default in log frames */
		snprintf(email, sizeof(email), "c%04d@example.vn", i);
		add_customer(f.st, email, "Nguy\xe1\xbb\x85n V\xc4\x83n A", "0900 000 000");
	}
	after_writes = file_size(f.db);
	ck_assert_int_eq(after_writes, before);
	ck_assert_int_eq(store_checkpoint(f.st), STORE_OK);
	after_checkpoint = file_size(f.db);
	ck_assert_int_gt(after_checkpoint, before);
	fx_teardown(&f);
}
END_TEST

/*
 * A read-only database file. Root ignores file modes, so as root the
 * check runs in a child that has become "nobody".
 */
static void
check_read_only(int ro_dir)
{
	struct fx f;
	char	err[CONF_ERR_MAX], wal[PATH_BUF + 32], shm[PATH_BUF + 32];
	int64_t	id;
	pid_t	pid;
	int	status;

	fx_setup(&f, 1);
	id = add_customer(f.st, "an.nguyen@example.vn", "An", "");
	store_close(f.st);
	f.st = NULL;
	snprintf(wal, sizeof(wal), "%s-wal", f.db);
	snprintf(shm, sizeof(shm), "%s-shm", f.db);
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(f.dir, NOBODY_ID, NOBODY_ID), 0);
		ck_assert_int_eq(chown(f.db, NOBODY_ID, NOBODY_ID), 0);
		ck_assert_int_eq(chown(f.key, NOBODY_ID, NOBODY_ID), 0);
	}
	ck_assert_int_eq(chmod(f.db, 0444), 0);
	if (ro_dir)
		ck_assert_int_eq(chmod(f.dir, 0555), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct store *st;
		int	rc;

		if (geteuid() == 0 && (setgid(NOBODY_ID) < 0 || setuid(NOBODY_ID) < 0))
			_exit(10);
		if ((st = store_open(f.conf, err, sizeof(err))) == NULL) {
			/* with the directory read-only too, SQLite cannot make the
			 * WAL index: refusing to open is right, as a temporary error */
			if (!ro_dir)
				fprintf(stderr, "open: %s\n", err);
			_exit(ro_dir && strstr(err, "(temporary)") ? 0 : 11);
		}
		if (ro_dir)
			_exit(14);
		rc = store_customer_upsert(st, "binh.tran@example.vn", "B", NULL, STORE_SRC_PORTAL,
					   NULL, NULL);
		if (rc != STORE_TEMP) {
			fprintf(stderr, "upsert: %d %s\n", rc, store_errmsg(st));
			_exit(12);
		}
		rc = store_optout(st, id, -1, STORE_CH_REPLY, "m", NULL);
		if (rc != STORE_TEMP) {
			fprintf(stderr, "optout: %d %s\n", rc, store_errmsg(st));
			_exit(13);
		}
		store_close(st);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d",
		      WEXITSTATUS(status));
	chmod(f.dir, 0700);
	fx_teardown(&f);
}

START_TEST(test_store_temp_when_file_is_read_only)
{
	check_read_only(0);
}
END_TEST

START_TEST(test_store_open_fails_temporarily_when_directory_is_read_only)
{
	check_read_only(1);
}
END_TEST

static Suite *
store_suite(void)
{
	Suite  *s = suite_create("store");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_init_creates_key_0600_and_schema);
	tcase_add_test(tc, test_store_migrates_empty_file_and_reopens);
	tcase_add_test(tc, test_store_open_refuses_newer_schema_and_missing_db);
	tcase_add_test(tc, test_store_wrong_key_is_refused_with_a_clear_error);
	tcase_add_test(tc, test_store_key_file_readable_by_others_is_refused);
	tcase_add_test(tc, test_store_init_refuses_new_key_for_existing_db);
	tcase_add_test(tc, test_store_customer_crud);
	tcase_add_test(tc, test_store_blind_index_lookup_is_case_insensitive);
	tcase_add_test(tc, test_store_one_customer_for_every_form_of_an_address);
	tcase_add_test(tc, test_store_files_hold_no_plain_personal_data);
	tcase_add_test(tc, test_store_tampered_ciphertext_is_refused);
	tcase_add_test(tc, test_store_contracts);
	tcase_add_test(tc, test_store_token_round_trip_and_tamper);
	tcase_add_test(tc, test_store_optout_idempotent_and_outbox_once);
	tcase_add_test(tc, test_store_suppression_survives_purge);
	tcase_add_test(tc, test_store_partial_refusal_survives_purge);
	tcase_add_test(tc, test_store_purge_rules_and_dry_run);
	tcase_add_test(tc, test_store_campaign_and_delivery_rows);
	tcase_add_test(tc, test_store_bounces_counters_stats);
	tcase_add_test(tc, test_store_export_is_the_customers_own_data);
	tcase_add_test(tc, test_store_nested_transactions);
	tcase_add_test(tc, test_store_temp_when_locked_past_busy_timeout);
	tcase_add_test(tc, test_store_waiting_writer_takes_the_lock_soon_after_release);
	tcase_add_test(tc, test_store_checkpoint_only_when_asked_with_autocheckpoint_off);
	tcase_add_test(tc, test_store_temp_when_file_is_read_only);
	tcase_add_test(tc, test_store_open_fails_temporarily_when_directory_is_read_only);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(store_suite());
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
