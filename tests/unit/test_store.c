/*
 * NAME
 *	test_store 1
 * SUMMARY
 *	unit tests of store/store.c, store/db.c, store/db_sqlite.c, store/schema.c and store/wal_restart.c
 * SYNOPSIS
 *	unit/test_store
 * DESCRIPTION
 *	Creation and migration, the key check and key file modes,
 *	transactions, and STORE_TEMP for a locked and a read-only database.
 *	Each test makes its own store (store_fx.h): SQLite, or PostgreSQL
 *	when LINKS_TEST_PG_CONNINFO is set (tests/store-pg.sh).
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>

#define NOBODY_ID	65534
#define MAC_THREADS	8		/* threads racing to the first crypt_mac() */
#define MAC_LONG	10000		/* bytes of the longest input */
#define MAC_KEYS	40		/* distinct keys: more than crypt_mac() keeps keyed (16) */
#define MAC_PASSES	3		/* the first pass fills crypt_mac()'s table, the next use it */
#define STORE_TEST_SCHEMA	8

#include "crypt.h"
#include "store_fx.h"

/*
 * Schemas 7 and 8: the events of a customer are indexed by the
 * customer alone, and on SQLite prefs and suppression keep their rows
 * in their primary key's tree (WITHOUT ROWID): a refusal writes fewer
 * pages. A reply's evidence seen before is still found.
 */
START_TEST(test_store_refusal_tables_are_keyed_for_fewer_pages)
{
	struct fx f;
	int64_t	id;
	int	changed;

	fx_setup(&f, 1);
	if (f.pg) {
		fx_teardown(&f);
		return;
	}
	id = fx_add_customer(f.st, "mai.ho@example.vn", "Mai", "");
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<e@f> rule=x",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<e@f> rule=x",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	ck_assert_int_eq(store_is_suppressed(f.st, "mai.ho@example.vn"), 1);
	ck_assert_int_eq(fx_store_contains(&f, "ON consent_events(customer_id)"), 1);
	ck_assert_int_eq(fx_store_contains(&f, "PRIMARY KEY (customer_id, category)) WITHOUT ROWID"),
			 1);
	ck_assert_int_eq(fx_store_contains(&f, "added INTEGER NOT NULL) WITHOUT ROWID"), 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_init_creates_key_0600_and_schema)
{
	struct fx f;
	struct stat sb;
	char	err[CONF_ERR_MAX];

	fx_setup(&f, 1);
	ck_assert_int_eq(stat(f.key, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(sb.st_size, 32);
	ck_assert_int_eq(store_schema_version(f.st), STORE_TEST_SCHEMA);
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
	if (!f.pg) {		/* PostgreSQL: the fixture's database is empty */
		fd = open(f.db, O_WRONLY | O_CREAT, 0600);
		ck_assert_int_ge(fd, 0);
		close(fd);
	}
	fx_write_key(f.key, 0x42, 0600);
	f.st = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(f.st != NULL, "%s", err);
	ck_assert_int_eq(store_schema_version(f.st), STORE_TEST_SCHEMA);
	id = fx_add_customer(f.st, "an.nguyen@example.vn", "Nguyễn Văn An", "0900 000 001");
	store_close(f.st);
	/* reopen: no migration to run, data intact */
	f.st = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(f.st != NULL, "%s", err);
	ck_assert_int_eq(store_schema_version(f.st), STORE_TEST_SCHEMA);
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
	fx_write_key(f.key, 1, 0600);
	if (!f.pg) {		/* a PostgreSQL database is made by its administrator */
		ck_assert_ptr_null(store_open(f.conf, err, sizeof(err)));
		ck_assert_ptr_nonnull(strstr(err, "links-store init"));
	}
	ck_assert_int_eq(store_init(f.conf, err, sizeof(err)), STORE_OK);
	fx_raw_exec(&f, f.pg ? "UPDATE schema_version SET version = 99"
		    : "PRAGMA user_version = 99");
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
	fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	store_close(f.st);
	f.st = NULL;
	snprintf(key2, sizeof(key2), "%s.other", f.key);
	fx_write_key(key2, 0x77, 0600);
	other = fx_conf(&f, key2);
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

/* sql_bytes - an SQL literal of N bytes for F's engine into OUT */
static void
sql_bytes(const struct fx *f, const unsigned char *p, size_t n, char *out, size_t outlen)
{
	size_t	i, o;

	ck_assert_uint_gt(outlen, 2 * n + 16);
	o = (size_t) snprintf(out, outlen, f->pg ? "'\\x" : "X'");
	for (i = 0; i < n; i++)
		o += (size_t) snprintf(out + o, outlen - o, "%02x", p[i]);
	snprintf(out + o, outlen - o, f->pg ? "'::bytea" : "'");
}

/*
 * A store of schema 1 kept the address as the old rule wrote it
 * ("lan@bücher.example": domain lower-cased, not converted to its
 * A-label) and hashed that form. Migration 2 re-keys the customer, its
 * bounces and its suppression entry by config/addr.c's rule, so every
 * form of the address finds them again.
 */
START_TEST(test_store_migration_rehashes_addresses_by_the_new_rule)
{
	static const char old[] = "lan@bücher.example";
	struct crypt_keys k;
	struct fx f;
	struct store_customer c;
	unsigned char ct[256], idx[CRYPT_MAC_LEN], sup[CRYPT_MAC_LEN];
	char	err[CONF_ERR_MAX], lit[3][600], sql[2400];
	int64_t	id;
	long	n;

	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "lan@xn--bcher-kva.example", "Lan", "");
	store_close(f.st);
	f.st = NULL;
	ck_assert_int_eq(crypt_key_load(f.key, &k, err, sizeof(err)), 0);
	n = crypt_seal(&k, id, CRYPT_F_EMAIL, old, strlen(old), ct, sizeof(ct));
	ck_assert_int_gt(n, 0);
	crypt_mac(k.idx, old, strlen(old), idx);
	crypt_mac(k.sup, old, strlen(old), sup);
	crypt_keys_wipe(&k);
	sql_bytes(&f, ct, (size_t) n, lit[0], sizeof(lit[0]));
	sql_bytes(&f, idx, sizeof(idx), lit[1], sizeof(lit[1]));
	sql_bytes(&f, sup, sizeof(sup), lit[2], sizeof(lit[2]));
	snprintf(sql, sizeof(sql), "UPDATE customers SET email_ct = %s, email_idx = %s "
		 "WHERE id = %lld", lit[0], lit[1], (long long) id);
	fx_raw_exec(&f, sql);
	snprintf(sql, sizeof(sql), "INSERT INTO bounces(hash, count, last) VALUES(%s, 3, 1)",
		 lit[1]);
	fx_raw_exec(&f, sql);
	snprintf(sql, sizeof(sql), "INSERT INTO suppression(hash, cats, added) VALUES(%s, %u, 1)",
		 lit[2], category_refusable_mask());
	fx_raw_exec(&f, sql);
	/* back to schema 1: without the columns and tables of migrations 7, 6, 5, 4 and 3
	 * (8 copies prefs and suppression, whatever their form) */
	fx_raw_exec(&f, "DROP INDEX consent_customer;"
		    "CREATE INDEX consent_customer ON consent_events(customer_id, evidence);");
	fx_raw_exec(&f, "ALTER TABLE outbox DROP COLUMN thread_ct;");
	fx_raw_exec(&f, "DROP TABLE counter_hours;");
	fx_raw_exec(&f, "DROP TABLE replies; DROP INDEX consent_campaign;"
		    "ALTER TABLE consent_events DROP COLUMN actor;"
		    "ALTER TABLE consent_events DROP COLUMN note_ct;"
		    "ALTER TABLE consent_events DROP COLUMN campaign_id;"
		    "ALTER TABLE campaigns DROP COLUMN params_ct;");
	fx_raw_exec(&f, "ALTER TABLE outbox DROP COLUMN lease_until;"
		    "ALTER TABLE deliveries DROP COLUMN lease_until;"
		    "ALTER TABLE campaigns DROP COLUMN owner;"
		    "ALTER TABLE campaigns DROP COLUMN lease_until;");
	fx_raw_exec(&f, f.pg ? "UPDATE schema_version SET version = 1" : "PRAGMA user_version = 1");
	f.st = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(f.st != NULL, "%s", err);
	ck_assert_int_eq(store_schema_version(f.st), STORE_TEST_SCHEMA);
	ck_assert_int_eq(store_customer_find(f.st, "Lan@BÜCHER.example", &c), STORE_OK);
	ck_assert_int_eq(c.id, id);
	ck_assert_str_eq(c.email, "lan@xn--bcher-kva.example");
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_find(f.st, "\"lan\"@xn--bcher-kva.example", &c), STORE_OK);
	store_customer_clear(&c);
	ck_assert_int_eq(store_is_undeliverable(f.st, "lan@bücher.example"), 1);
	ck_assert_int_eq(store_is_suppressed(f.st, "LAN@xn--bcher-kva.example"), 1);
	fx_teardown(&f);
}
END_TEST

/* The engine in use is the one configured. */
START_TEST(test_store_backend_is_the_configured_one)
{
	struct fx f;

	fx_setup(&f, 1);
	ck_assert_str_eq(store_backend_name(f.st), fx_pg() ? "postgresql" : "sqlite");
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_nested_transactions)
{
	struct fx f;
	struct store_customer c;

	fx_setup(&f, 1);
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	fx_add_customer(f.st, "one@example.vn", "One", "");
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	fx_add_customer(f.st, "two@example.vn", "Two", "");
	ck_assert_int_eq(store_rollback(f.st), STORE_OK);
	ck_assert_int_eq(store_commit(f.st), STORE_OK);
	ck_assert_int_eq(store_customer_find(f.st, "one@example.vn", &c), STORE_OK);
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_find(f.st, "two@example.vn", &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	fx_add_customer(f.st, "three@example.vn", "Three", "");
	ck_assert_int_eq(store_rollback(f.st), STORE_OK);
	ck_assert_int_eq(store_customer_find(f.st, "three@example.vn", &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_commit(f.st), STORE_ERR);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_read_snapshot_hides_later_commits_until_its_end)
{
	struct fx f;
	struct store *other;
	struct store_customer c;
	char	err[512];

	fx_setup(&f, 1);
	other = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(other != NULL, "%s", err);
	fx_add_customer(f.st, "one@example.vn", "One", "");
	ck_assert_int_eq(store_read_begin(f.st), STORE_OK);
	ck_assert_int_eq(store_customer_find(f.st, "one@example.vn", &c), STORE_OK);
	store_customer_clear(&c);
	/* Another connection commits while the snapshot is open. */
	fx_add_customer(other, "two@example.vn", "Two", "");
	ck_assert_int_eq(store_customer_find(f.st, "two@example.vn", &c), STORE_NOTFOUND);
	ck_assert_int_eq(store_customer_find(f.st, "one@example.vn", &c), STORE_OK);
	store_customer_clear(&c);
	ck_assert_int_eq(store_read_end(f.st), STORE_OK);
	ck_assert_int_eq(store_customer_find(f.st, "two@example.vn", &c), STORE_OK);
	store_customer_clear(&c);
	/* The other connection writes freely after the end. */
	fx_add_customer(other, "three@example.vn", "Three", "");
	/* Not inside a write transaction. */
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	ck_assert_int_eq(store_read_begin(f.st), STORE_ERR);
	ck_assert_int_eq(store_read_end(f.st), STORE_ERR);
	ck_assert_int_eq(store_commit(f.st), STORE_OK);
	store_close(other);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_undeliverable_by_id_agrees_with_by_address)
{
	struct fx f;
	int64_t	a, b;
	int	i, cnt;

	fx_setup(&f, 1);
	a = fx_add_customer(f.st, "Hoa@Example.VN", "Hoa", "");
	b = fx_add_customer(f.st, "binh@example.vn", "Binh", "");
	ck_assert_int_eq(store_customer_undeliverable(f.st, a), 0);
	/* Bounces counted under another spelling of the same address. */
	for (i = 0; i < 10 && store_is_undeliverable(f.st, "hoa@example.vn") == 0; i++) {
		ck_assert_int_eq(store_customer_undeliverable(f.st, a), 0);
		ck_assert_int_eq(store_bounce_record(f.st, "HOA@example.vn", &cnt), STORE_OK);
	}
	ck_assert_int_eq(store_is_undeliverable(f.st, "hoa@example.vn"), 1);
	ck_assert_int_eq(store_customer_undeliverable(f.st, a), 1);
	ck_assert_int_eq(store_customer_undeliverable(f.st, b), 0);
	ck_assert_int_eq(store_customer_undeliverable(f.st, b + 1000), 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_temp_when_locked_past_busy_timeout)
{
	struct fx f;
	sqlite3 *h;
	int64_t	id;
	time_t	t0;

	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
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
		fx_add_customer(f.st, email, "Nguy\xe1\xbb\x85n V\xc4\x83n A", "0900 000 000");
	}
	after_writes = file_size(f.db);
	ck_assert_int_eq(after_writes, before);
	ck_assert_int_eq(store_checkpoint(f.st), STORE_OK);
	after_checkpoint = file_size(f.db);
	ck_assert_int_gt(after_checkpoint, before);
	fx_teardown(&f);
}
END_TEST

/* end_read_later - a thread: end the read snapshot of store ARG after a while */
static void *
end_read_later(void *arg)
{
	struct timespec ts = {0, 100 * 1000000L};

	nanosleep(&ts, NULL);
	ck_assert_int_eq(store_read_end(arg), STORE_OK);
	return (NULL);
}

/*
 * store_wal_restart() waits for a reader that holds an older snapshot,
 * copies the whole log, and the next commit writes the log from its
 * start: the log file does not grow. With the same reader, a PASSIVE
 * checkpoint leaves the log growing. Nothing to do on PostgreSQL.
 */
START_TEST(test_store_wal_restart_waits_for_readers_and_starts_the_log_over)
{
	struct fx f;
	struct store *reader;
	struct store_customer c;
	pthread_t th;
	char	err[CONF_ERR_MAX], wal[PATH_BUF + 32], email[64];
	off_t	grown, restarted;
	int	i, busy = -1;

	fx_setup(&f, 1);
	if (f.pg) {
		ck_assert_int_eq(store_wal_restart(f.st, &busy), STORE_OK);
		ck_assert_int_eq(busy, 0);
		fx_teardown(&f);
		return;
	}
	snprintf(wal, sizeof(wal), "%s-wal", f.db);
	/* The checkpoint waits for the reader: longer than the fixture's 200 ms. */
	store_close(f.st);
	fx_set(f.conf, "store_busy_timeout", "20000");
	f.st = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(f.st != NULL, "%s", err);
	ck_assert_int_eq(store_set_autocheckpoint(f.st, 0), STORE_OK);
	reader = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(reader != NULL, "%s", err);
	fx_add_customer(f.st, "first@example.vn", "First", "");
	ck_assert_int_eq(store_read_begin(reader), STORE_OK);
	ck_assert_int_eq(store_customer_find(reader, "first@example.vn", &c), STORE_OK);
	store_customer_clear(&c);
	for (i = 0; i < 100; i++) {
		snprintf(email, sizeof(email), "c%04d@example.vn", i);
		fx_add_customer(f.st, email, "Nguy\xe1\xbb\x85n V\xc4\x83n A", "0900 000 000");
	}
	/* The reader's snapshot holds a PASSIVE checkpoint back: the log grows. */
	ck_assert_int_eq(store_checkpoint(f.st), STORE_OK);
	grown = file_size(wal);
	fx_add_customer(f.st, "after.passive@example.vn", "P", "");
	ck_assert_int_gt(file_size(wal), grown);
	/* RESTART waits until the reader is done, then the log starts over. */
	ck_assert_int_eq(pthread_create(&th, NULL, end_read_later, reader), 0);
	ck_assert_int_eq(store_wal_restart(f.st, &busy), STORE_OK);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(busy, 0);
	restarted = file_size(wal);
	for (i = 0; i < 3; i++) {
		snprintf(email, sizeof(email), "after.restart%d@example.vn", i);
		fx_add_customer(f.st, email, "R", "");
	}
	ck_assert_int_eq(file_size(wal), restarted);
	/* Every row is there for every connection. */
	ck_assert_int_eq(store_customer_find(reader, "after.restart2@example.vn", &c), STORE_OK);
	store_customer_clear(&c);
	ck_assert_int_eq(store_customer_find(reader, "c0099@example.vn", &c), STORE_OK);
	store_customer_clear(&c);
	/* Not inside a transaction. */
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	ck_assert_int_eq(store_wal_restart(f.st, &busy), STORE_ERR);
	ck_assert_int_eq(store_commit(f.st), STORE_OK);
	store_close(reader);
	fx_teardown(&f);
}
END_TEST

/*
 * store_wal_reserve() makes the write-ahead log file that long (zeros
 * after its end); after a restart the commits land inside it and the
 * file does not grow; a copy of the database and its log taken then
 * (what a crash leaves: no -shm) recovers every commit, the zeros and
 * the stale frames after the last one ignored; a second call with the
 * file long enough changes nothing. PostgreSQL: nothing to do.
 */
static long
wal_count(const char *db)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	long	n = -1;

	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM customers", -1, &s, NULL),
			 SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = (long) sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return (n);
}

static void
wal_copy(const char *from, const char *to)
{
	char	buf[65536];
	ssize_t	n;
	int	in, out;

	ck_assert_int_ge(in = open(from, O_RDONLY), 0);
	ck_assert_int_ge(out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t) n), n);
	ck_assert_int_eq(n, 0);
	close(in);
	close(out);
}

static void
wal_add(struct store *st, const char *tag, int from, int n)
{
	char	email[64];

	for (int i = from; i < from + n; i++) {
		snprintf(email, sizeof(email), "%s%04d@example.vn", tag, i);
		fx_add_customer(st, email, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b B", "0900 000 001");
	}
}

START_TEST(test_store_wal_reserve_makes_the_log_file_that_long)
{
	struct fx f;
	char	wal[PATH_BUF + 32], cdb[PATH_BUF + 32], cwal[PATH_BUF + 40];
	const off_t reserve = 2L << 20;
	int	busy = -1;

	fx_setup(&f, 1);
	if (f.pg) {
		ck_assert_int_eq(store_wal_reserve(f.st, (long) reserve), STORE_OK);
		fx_teardown(&f);
		return;
	}
	snprintf(wal, sizeof(wal), "%s-wal", f.db);
	ck_assert_int_eq(store_set_autocheckpoint(f.st, 0), STORE_OK);
	wal_add(f.st, "a", 0, 5);
	ck_assert_int_lt(file_size(wal), reserve);
	ck_assert_int_eq(store_wal_reserve(f.st, (long) reserve), STORE_OK);
	ck_assert_int_eq(file_size(wal), reserve);
	wal_add(f.st, "b", 0, 5);
	ck_assert_int_eq(file_size(wal), reserve);
	ck_assert_int_eq(store_wal_restart(f.st, &busy), STORE_OK);
	ck_assert_int_eq(busy, 0);
	/* commits now land inside the reserve, and a crash copy has them all */
	wal_add(f.st, "c", 0, 20);
	ck_assert_int_eq(file_size(wal), reserve);
	snprintf(cdb, sizeof(cdb), "%s.crash", f.db);
	snprintf(cwal, sizeof(cwal), "%s.crash-wal", f.db);
	wal_copy(f.db, cdb);
	wal_copy(wal, cwal);
	ck_assert_int_eq(wal_count(cdb), 30);
	unlink(cdb);
	unlink(cwal);
	/* a second call with the file long enough writes nothing */
	ck_assert_int_eq(store_wal_reserve(f.st, (long) reserve), STORE_OK);
	ck_assert_int_eq(file_size(wal), reserve);
	fx_teardown(&f);
}
END_TEST

/*
 * SQLite keeps no memory statistics in a process that uses the store:
 * with them, every allocation of every connection takes one
 * process-wide mutex, which the milter's threads queue on.
 */
START_TEST(test_store_sqlite_keeps_no_memory_statistics)
{
	struct fx f;

	fx_setup(&f, 1);
	fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	ck_assert_int_eq(sqlite3_memory_used(), 0);
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
	id = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
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

/* mac_key - the Kth test key: even keys differ from each other in their last byte only, odd ones in their first */
static void
mac_key(int k, unsigned char key[CRYPT_KEY_LEN])
{
	for (size_t i = 0; i < CRYPT_KEY_LEN; i++)
		key[i] = (unsigned char) (0xa5 ^ i);
	key[k % 2 ? 0 : CRYPT_KEY_LEN - 1] = (unsigned char) k;
}

/*
 * mac_check - crypt_mac() against the one-shot HMAC(): the count of
 * mismatches (ARG: set-up). Each thread walks the keys from its own
 * starting point, so that threads add different keys to crypt_mac()'s
 * table at once, and the same key too; the keys past the table's
 * capacity take its other path.
 */
static void *
mac_check(void *arg)
{
	static pthread_barrier_t *bar;
	static unsigned char data[MAC_LONG];
	static atomic_int next;
	const size_t lens[] = {0, 1, 27, 55, 56, 63, 64, 65, 119, 1000, MAC_LONG};
	unsigned char key[CRYPT_KEY_LEN], got[CRYPT_MAC_LEN], want[CRYPT_MAC_LEN];
	unsigned int wl;
	long	bad = 0;
	int	start, k;

	if (arg != NULL) {		/* set-up: the shared barrier and input */
		bar = arg;
		for (size_t i = 0; i < sizeof(data); i++)
			data[i] = (unsigned char) (i * 7 + 3);
		return (NULL);
	}
	start = atomic_fetch_add(&next, 3);
	pthread_barrier_wait(bar);
	for (int pass = 0; pass < MAC_PASSES; pass++) {
		for (int i = 0; i < MAC_KEYS; i++) {
			k = (start + i) % MAC_KEYS;
			mac_key(k, key);
			for (size_t j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
				wl = sizeof(want);
				crypt_mac(key, data + k, lens[j] - (lens[j] == MAC_LONG ? k : 0), got);
				if (HMAC(EVP_sha256(), key, sizeof(key), data + k,
					 lens[j] - (lens[j] == MAC_LONG ? k : 0), want, &wl) == NULL
				    || wl != sizeof(want) || memcmp(got, want, sizeof(want)) != 0)
					bad++;
			}
		}
	}
	return ((void *) bad);
}

#define OPEN_FIELDS	24	/* sealed values the opener test reads back */

START_TEST(test_crypt_opener_reads_what_crypt_unseal_reads_across_keys_and_tampering)
{
	struct crypt_keys k[2];
	struct crypt_opener *o;
	unsigned char ct[OPEN_FIELDS][128];
	char	text[OPEN_FIELDS][64], *a, *b;
	long	n[OPEN_FIELDS];
	int	i, kk;

	memset(k, 0, sizeof(k));
	for (kk = 0; kk < 2; kk++) {
		for (i = 0; i < CRYPT_KEY_LEN; i++)
			k[kk].enc[i] = (unsigned char) (i * 13 + kk * 101 + 1);
		k[kk].kid = (unsigned char) (kk + 1);
	}
	for (i = 0; i < OPEN_FIELDS; i++) {
		snprintf(text[i], sizeof(text[i]), "khách %d %.*s", i, i, "xxxxxxxxxxxxxxxxxxxxxxxx");
		n[i] = crypt_seal(&k[i % 2], 100 + i, CRYPT_F_EMAIL + i % 3, text[i],
				  strlen(text[i]), ct[i], sizeof(ct[i]));
		ck_assert_int_gt(n[i], 0);
	}
	ct[5][CRYPT_OVERHEAD] ^= 1;	/* one tampered value, keys alternating */
	ck_assert_ptr_nonnull(o = crypt_opener_new());
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; i < OPEN_FIELDS; i++) {
			const struct crypt_keys *key = &k[i % 2];
			int	ra = crypt_unseal(key, 100 + i, CRYPT_F_EMAIL + i % 3, ct[i],
						  (size_t) n[i], &a);
			int	rb = crypt_unseal_with(o, key, 100 + i, CRYPT_F_EMAIL + i % 3, ct[i],
						       (size_t) n[i], &b);

			ck_assert_int_eq(ra, i == 5 ? CRYPT_EAUTH : 0);
			ck_assert_int_eq(rb, ra);
			if (ra == 0) {
				ck_assert_str_eq(a, text[i]);
				ck_assert_str_eq(b, text[i]);
			} else
				ck_assert(a == NULL && b == NULL);
			crypt_str_free(a);
			crypt_str_free(b);
			/* Another row, another field, another key id: refused alike. */
			ck_assert_int_eq(crypt_unseal_with(o, key, 99, CRYPT_F_EMAIL + i % 3, ct[i],
							   (size_t) n[i], &b), CRYPT_EAUTH);
			ck_assert_int_eq(crypt_unseal_with(o, &k[(i + 1) % 2], 100 + i,
							   CRYPT_F_EMAIL + i % 3, ct[i],
							   (size_t) n[i], &b), CRYPT_EKID);
		}
	crypt_opener_free(o);
	crypt_keys_wipe(&k[0]);
	crypt_keys_wipe(&k[1]);
}
END_TEST

/* gcm_reference - 1 if OUT (from a seal of PLAIN for ROW, FIELD) is what a fresh context makes with its nonce */
static int
gcm_reference(const unsigned char key[CRYPT_KEY_LEN], int64_t row, int field,
	      const char *plain, const unsigned char *out)
{
	unsigned char aad[9], ct[128], tag[CRYPT_TAG_LEN];
	size_t	len = strlen(plain);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int	n, fin, ok;

	for (int i = 0; i < 8; i++)
		aad[i] = (unsigned char) ((uint64_t) row >> (8 * (7 - i)));
	aad[8] = (unsigned char) field;
	ok = c != NULL && len <= sizeof(ct)
	    && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, out + 1) == 1
	    && EVP_EncryptUpdate(c, NULL, &n, aad, sizeof(aad)) == 1
	    && EVP_EncryptUpdate(c, ct, &n, (const unsigned char *) plain, (int) len) == 1
	    && EVP_EncryptFinal_ex(c, ct + n, &fin) == 1
	    && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, CRYPT_TAG_LEN, tag) == 1
	    && memcmp(ct, out + 1 + CRYPT_NONCE_LEN, len) == 0
	    && memcmp(tag, out + 1 + CRYPT_NONCE_LEN + len, CRYPT_TAG_LEN) == 0;
	EVP_CIPHER_CTX_free(c);
	return (ok);
}

START_TEST(test_crypt_seal_with_an_opener_is_aes_gcm_of_a_fresh_context_across_keys)
{
	struct crypt_keys k[2];
	struct crypt_opener *o;
	unsigned char ct[OPEN_FIELDS][128], small[8];
	char	text[OPEN_FIELDS][64], *back;
	long	n;
	int	i, kk;

	memset(k, 0, sizeof(k));
	for (kk = 0; kk < 2; kk++) {
		for (i = 0; i < CRYPT_KEY_LEN; i++)
			k[kk].enc[i] = (unsigned char) (i * 7 + kk * 59 + 3);
		k[kk].kid = (unsigned char) (kk + 1);
	}
	ck_assert_ptr_nonnull(o = crypt_opener_new());
	for (i = 0; i < OPEN_FIELDS; i++) {
		const struct crypt_keys *key = &k[(i / 3) % 2];	/* runs of one key, then the other */

		snprintf(text[i], sizeof(text[i]), "Trả lời %d %.*s", i, i, "yyyyyyyyyyyyyyyyyyyyyyyy");
		n = crypt_seal_with(o, key, 200 + i, CRYPT_F_THREAD, text[i], strlen(text[i]),
				    ct[i], sizeof(ct[i]));
		ck_assert_int_eq(n, (long) (strlen(text[i]) + CRYPT_OVERHEAD));
		ck_assert_int_eq(ct[i][0], key->kid);
		ck_assert(gcm_reference(key->enc, 200 + i, CRYPT_F_THREAD, text[i], ct[i]));
		ck_assert_int_eq(crypt_unseal(key, 200 + i, CRYPT_F_THREAD, ct[i], (size_t) n, &back),
				 0);
		ck_assert_str_eq(back, text[i]);
		crypt_str_free(back);
		/* no room: refused, and the next seal is whole */
		ck_assert_int_eq(crypt_seal_with(o, key, 1, CRYPT_F_THREAD, text[i], strlen(text[i]),
						 small, sizeof(small)), -1);
		if (i > 0)	/* a fresh nonce each time */
			ck_assert(memcmp(ct[i] + 1, ct[i - 1] + 1, CRYPT_NONCE_LEN) != 0);
	}
	crypt_opener_free(o);
	crypt_keys_wipe(&k[0]);
	crypt_keys_wipe(&k[1]);
}
END_TEST

START_TEST(test_crypt_mac_is_hmac_sha256_for_more_keys_than_it_keeps_while_threads_race)
{
	pthread_barrier_t bar;
	pthread_t th[MAC_THREADS];
	void   *bad;

	ck_assert_int_eq(pthread_barrier_init(&bar, NULL, MAC_THREADS), 0);
	mac_check(&bar);
	for (int i = 0; i < MAC_THREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, mac_check, NULL), 0);
	for (int i = 0; i < MAC_THREADS; i++) {
		ck_assert_int_eq(pthread_join(th[i], &bad), 0);
		ck_assert_ptr_null(bad);
	}
	pthread_barrier_destroy(&bar);
}
END_TEST

/* flat_cb - store_counter_each() callback: the value of the counter named in ARG's first slot */
static int
flat_cb(const char *name, long value, void *arg)
{
	const char **want = arg;

	if (strcmp(name, want[0]) == 0)
		*(long *) (void *) want[1] = value;
	return (0);
}

/* flat_counter - counter NAME as F's connection sees it, 0 if none */
static long
flat_counter(struct fx *f, const char *name)
{
	long	v = 0;
	const char *want[2] = {name, (const char *) (void *) &v};

	ck_assert_int_eq(store_counter_each(f->st, flat_cb, want), STORE_OK);
	return (v);
}

START_TEST(test_store_flat_levels_open_no_savepoint_and_a_failed_one_spoils_the_whole)
{
	struct fx f;

	fx_setup(&f, 1);
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	store_set_flat(f.st, 1);
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	ck_assert_int_eq(store_counter_add(f.st, "flat.a", 1), STORE_OK);
	ck_assert_int_eq(store_commit(f.st), STORE_OK);
	ck_assert_int_eq(store_spoiled(f.st), 0);
	/* a flat level that fails keeps its write and spoils the transaction */
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	ck_assert_int_eq(store_counter_add(f.st, "flat.b", 1), STORE_OK);
	ck_assert_int_eq(store_rollback(f.st), STORE_OK);
	ck_assert_int_eq(store_spoiled(f.st), 1);
	ck_assert_int_eq(flat_counter(&f, "flat.b"), 1);
	store_set_flat(f.st, 0);
	ck_assert_int_eq(store_rollback(f.st), STORE_OK);
	ck_assert_int_eq(flat_counter(&f, "flat.a"), 0);
	ck_assert_int_eq(flat_counter(&f, "flat.b"), 0);
	/* a new transaction starts unspoiled; a savepoint undoes its level alone */
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	ck_assert_int_eq(store_spoiled(f.st), 0);
	ck_assert_int_eq(store_counter_add(f.st, "flat.a", 1), STORE_OK);
	ck_assert_int_eq(store_begin(f.st), STORE_OK);
	ck_assert_int_eq(store_counter_add(f.st, "flat.c", 1), STORE_OK);
	ck_assert_int_eq(store_rollback(f.st), STORE_OK);
	ck_assert_int_eq(store_spoiled(f.st), 0);
	ck_assert_int_eq(store_commit(f.st), STORE_OK);
	ck_assert_int_eq(flat_counter(&f, "flat.a"), 1);
	ck_assert_int_eq(flat_counter(&f, "flat.c"), 0);
	fx_teardown(&f);
}
END_TEST

#define RND_DRAWS	3000	/* small draws: many refills of the random pool */

/* rnd_cmp - qsort order of two 16-byte draws */
static int
rnd_cmp(const void *a, const void *b)
{
	return (memcmp(a, b, 16));
}

START_TEST(test_crypt_random_small_draws_never_repeat_across_pool_refills)
{
	static unsigned char d[RND_DRAWS][16];
	unsigned char big[64], zero[16];

	memset(d, 0, sizeof(d));
	memset(zero, 0, sizeof(zero));
	for (int i = 0; i < RND_DRAWS; i++) {
		/* nonce-sized and Message-ID-sized draws interleaved, a key between */
		ck_assert_int_eq(crypt_random(d[i], i % 3 ? 16 : 12), 0);
		if (i % 100 == 0)
			ck_assert_int_eq(crypt_random(big, sizeof(big)), 0);
	}
	qsort(d, RND_DRAWS, sizeof(d[0]), rnd_cmp);
	for (int i = 1; i < RND_DRAWS; i++)
		ck_assert_msg(memcmp(d[i - 1], d[i], 16) != 0, "draw repeated");
	ck_assert_msg(memcmp(d[RND_DRAWS - 1], zero, 16) != 0, "draws left empty");
}
END_TEST

START_TEST(test_crypt_random_fork_child_and_parent_draw_different_bytes)
{
	unsigned char first[12], mine[16], child[16];
	int	fds[2], status;
	pid_t	pid;

	/* the pool is filled, and bytes are left in it at the fork */
	ck_assert_int_eq(crypt_random(first, sizeof(first)), 0);
	ck_assert_int_eq(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		unsigned char c[16];

		close(fds[0]);
		_exit(crypt_random(c, sizeof(c)) == 0
		      && write(fds[1], c, sizeof(c)) == (ssize_t) sizeof(c) ? 0 : 1);
	}
	ck_assert_int_gt(pid, 0);
	close(fds[1]);
	ck_assert_int_eq(crypt_random(mine, sizeof(mine)), 0);
	ck_assert_int_eq(read(fds[0], child, sizeof(child)), (ssize_t) sizeof(child));
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_msg(memcmp(mine, child, sizeof(mine)) != 0,
		      "parent and child handed out the same random bytes");
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_init_creates_key_0600_and_schema);
	tcase_add_test(tc, test_store_refusal_tables_are_keyed_for_fewer_pages);
	tcase_add_test(tc, test_store_migrates_empty_file_and_reopens);
	tcase_add_test(tc, test_store_open_refuses_newer_schema_and_missing_db);
	tcase_add_test(tc, test_store_wrong_key_is_refused_with_a_clear_error);
	tcase_add_test(tc, test_store_key_file_readable_by_others_is_refused);
	tcase_add_test(tc, test_store_init_refuses_new_key_for_existing_db);
	tcase_add_test(tc, test_store_nested_transactions);
	tcase_add_test(tc, test_store_flat_levels_open_no_savepoint_and_a_failed_one_spoils_the_whole);
	tcase_add_test(tc, test_store_read_snapshot_hides_later_commits_until_its_end);
	tcase_add_test(tc, test_store_undeliverable_by_id_agrees_with_by_address);
	tcase_add_test(tc, test_store_migration_rehashes_addresses_by_the_new_rule);
	tcase_add_test(tc, test_store_backend_is_the_configured_one);
	tcase_add_test(tc, test_crypt_opener_reads_what_crypt_unseal_reads_across_keys_and_tampering);
	tcase_add_test(tc, test_crypt_mac_is_hmac_sha256_for_more_keys_than_it_keeps_while_threads_race);
	tcase_add_test(tc, test_crypt_seal_with_an_opener_is_aes_gcm_of_a_fresh_context_across_keys);
	tcase_add_test(tc, test_crypt_random_small_draws_never_repeat_across_pool_refills);
	tcase_add_test(tc, test_crypt_random_fork_child_and_parent_draw_different_bytes);
	tcase_add_test(tc, test_store_wal_reserve_makes_the_log_file_that_long);
	if (!fx_pg()) {		/* SQLite's own locking, files and checkpoints */
		tcase_add_test(tc, test_store_temp_when_locked_past_busy_timeout);
		tcase_add_test(tc, test_store_waiting_writer_takes_the_lock_soon_after_release);
		tcase_add_test(tc, test_store_checkpoint_only_when_asked_with_autocheckpoint_off);
		tcase_add_test(tc, test_store_sqlite_keeps_no_memory_statistics);
		tcase_add_test(tc, test_store_wal_restart_waits_for_readers_and_starts_the_log_over);
		tcase_add_test(tc, test_store_temp_when_file_is_read_only);
		tcase_add_test(tc, test_store_open_fails_temporarily_when_directory_is_read_only);
	}
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
