/*
 * NAME
 *	test_store_customer 1
 * SUMMARY
 *	unit tests of store/customer.c (customers, encryption, blind index)
 * SYNOPSIS
 *	unit/test_store_customer
 * DESCRIPTION
 *	Customers: add, update, find by any form of the address, delete;
 *	no personal data in clear in the files; tampered or moved
 *	ciphertexts refused.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_fx.h"

/* Flip one bit of byte AT of COLUMN in customer ID, behind the store's back. */
static void
flip_byte(const struct fx *f, const char *column, int64_t id, int at)
{
	unsigned char buf[1024];
	sqlite3_stmt *stmt;
	sqlite3 *h;
	char	sql[128];
	int	len;

	if (f->pg) {
		snprintf(sql, sizeof(sql), "UPDATE customers SET %s = set_byte(%s, %d, "
			 "get_byte(%s, %d) # 1) WHERE id = %lld", column, column, at, column, at,
			 (long long) id);
		fx_raw_exec(f, sql);
		return;
	}
	ck_assert_int_eq(sqlite3_open(f->db, &h), SQLITE_OK);
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
	id = fx_add_customer(f.st, "Binh.Tran@Example.VN", "Trần Thị Bình", "");
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
	id = fx_add_customer(f.st, "Lan@Bücher.Example", "Lan", "");
	ck_assert_int_eq(store_customer_find(f.st, "lan@xn--bcher-kva.example", &c), STORE_OK);
	ck_assert_int_eq(c.id, id);
	ck_assert_str_eq(c.email, "lan@xn--bcher-kva.example");
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_find(f.st, "\"LAN\"@BÜCHER.example", &c), STORE_OK);
	ck_assert_int_eq(c.id, id);
	store_customer_clear(&c);
	/* a UTF-8 local part (RFC 6531) is a customer too, found again */
	id = fx_add_customer(f.st, "thư@example.vn", "Thư", "");
	ck_assert_int_eq(store_customer_find(f.st, "<thư@EXAMPLE.vn>", &c), STORE_OK);
	ck_assert_int_eq(c.id, id);
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_upsert(f.st, "", "x", NULL, STORE_SRC_STAFF, NULL, NULL),
			 STORE_ERR);
	fx_teardown(&f);
}
END_TEST

/* The personal data of the two customers below, as it must never be stored. */
static const char *const plain[] = {
	"an.nguyen", "example.vn", "Nguyễn", "Bình", "0900 000 00",
};
static int plain_found;

/* scan_one - nftw callback: a regular file holding any of PLAIN */
static int
scan_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	size_t	i;

	(void) ftw;
	if (flag != FTW_F || !S_ISREG(sb->st_mode))
		return (0);
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (fx_file_contains(path, plain[i])) {
			fprintf(stderr, "%s found in %s\n", plain[i], path);
			plain_found++;
		}
	return (0);
}

/*
 * PostgreSQL: every file of the cluster's data folder (tables, WAL,
 * logs), after a checkpoint, like strings(1) on the folder.
 */
static void
pg_files_hold_no_plain(struct fx *f)
{
	const char *data = getenv("LINKS_TEST_PG_DATADIR");

	if (data == NULL || *data == 0)
		return;
	fx_raw_exec(f, "CHECKPOINT");
	plain_found = 0;
	ck_assert_int_eq(nftw(data, scan_one, 16, FTW_PHYS), 0);
	ck_assert_msg(plain_found == 0, "personal data in clear in %s", data);
}

START_TEST(test_store_files_hold_no_plain_personal_data)
{
	struct fx f;
	char	wal[PATH_BUF + 32], shm[PATH_BUF + 32];

	fx_setup(&f, 1);
	fx_add_customer(f.st, "an.nguyen@example.vn", "Nguyễn Văn An", "0900 000 001");
	fx_add_customer(f.st, "binh.tran@example.vn", "Trần Thị Bình", "0900 000 002");
	if (f.pg) {
		pg_files_hold_no_plain(&f);
		fx_teardown(&f);
		return;
	}
	snprintf(wal, sizeof(wal), "%s-wal", f.db);
	snprintf(shm, sizeof(shm), "%s-shm", f.db);
	/* while open (data in the WAL) and after close (checkpointed) */
	for (int pass = 0; pass < 2; pass++) {
		const char *files[] = {f.db, wal, shm};

		for (int i = 0; i < 3; i++) {
			ck_assert_msg(!fx_file_contains(files[i], "an.nguyen"), "email in %s", files[i]);
			ck_assert_msg(!fx_file_contains(files[i], "example.vn"), "domain in %s", files[i]);
			ck_assert_msg(!fx_file_contains(files[i], "Nguyễn"), "name in %s", files[i]);
			ck_assert_msg(!fx_file_contains(files[i], "Bình"), "name in %s", files[i]);
			ck_assert_msg(!fx_file_contains(files[i], "0900 000 00"), "phone in %s", files[i]);
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
	a = fx_add_customer(f.st, "an.nguyen@example.vn", "Nguyễn Văn An", "0900 000 001");
	b = fx_add_customer(f.st, "binh.tran@example.vn", "Trần Thị Bình", "0900 000 002");
	store_close(f.st);
	f.st = NULL;
	/* flip one byte of a's name ciphertext */
	flip_byte(&f, "name_ct", a, 20);
	/* copy a's (valid) email ciphertext into b: bound to row a, must not decrypt as b */
	fx_raw_exec(&f, "UPDATE customers SET email_ct = (SELECT email_ct FROM customers WHERE id = 1)"
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

struct idseen {
	int64_t	ids[8];
	int	n, stop_at;
};

/* seen_id - store_customer_ids() callback: keep ID, stop at STOP_AT ids */
static int
seen_id(int64_t id, void *arg)
{
	struct idseen *v = arg;

	ck_assert_int_lt(v->n, 8);
	v->ids[v->n++] = id;
	return (v->n == v->stop_at);
}

/* seen_customer - store_customer_each() callback: keep the record's id */
static int
seen_customer(const struct store_customer *c, void *arg)
{
	return (seen_id(c->id, arg));
}

START_TEST(test_store_customer_ids_are_each_customers_in_order_and_stop_when_asked)
{
	struct fx f;
	struct idseen a, b;
	int64_t	id[5];
	int	i;

	fx_setup(&f, 1);
	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(store_customer_ids(f.st, seen_id, &a), STORE_OK);
	ck_assert_int_eq(a.n, 0);
	id[0] = fx_add_customer(f.st, "e@example.vn", "Ê", "");
	id[1] = fx_add_customer(f.st, "a@example.vn", "A", "");
	id[2] = fx_add_customer(f.st, "d@example.vn", "Đ", "");
	id[3] = fx_add_customer(f.st, "b@example.vn", "B", "");
	id[4] = fx_add_customer(f.st, "c@example.vn", "C", "");
	ck_assert_int_eq(store_customer_delete(f.st, id[2]), STORE_OK);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(store_customer_ids(f.st, seen_id, &a), STORE_OK);
	ck_assert_int_eq(store_customer_each(f.st, seen_customer, &b), STORE_OK);
	ck_assert_int_eq(a.n, 4);
	ck_assert_int_eq(b.n, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(a.ids[i], b.ids[i]);
		ck_assert_int_ne(a.ids[i], id[2]);
		if (i > 0)
			ck_assert_int_gt(a.ids[i], a.ids[i - 1]);
	}
	memset(&a, 0, sizeof(a));
	a.stop_at = 2;
	ck_assert_int_eq(store_customer_ids(f.st, seen_id, &a), STORE_OK);
	ck_assert_int_eq(a.n, 2);
	ck_assert_int_eq(a.ids[1], b.ids[1]);
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_customer");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_customer_crud);
	tcase_add_test(tc, test_store_blind_index_lookup_is_case_insensitive);
	tcase_add_test(tc, test_store_one_customer_for_every_form_of_an_address);
	tcase_add_test(tc, test_store_files_hold_no_plain_personal_data);
	tcase_add_test(tc, test_store_tampered_ciphertext_is_refused);
	tcase_add_test(tc, test_store_customer_ids_are_each_customers_in_order_and_stop_when_asked);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
