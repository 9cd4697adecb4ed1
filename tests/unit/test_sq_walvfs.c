/*
 * NAME
 *	test_sq_walvfs 1
 * SUMMARY
 *	unit tests of store/sq_walvfs.c (the store's SQLite VFS)
 * SYNOPSIS
 *	unit/test_sq_walvfs
 * DESCRIPTION
 *	A commit's frames reach the log in one write; what a connection
 *	commits is read back by other connections and other processes
 *	while it writes, survives the writer killed in the middle of a
 *	transaction (large transactions, frames spilled and overwritten
 *	before their commit, a log started over), and is a log SQLite's
 *	own "unix" VFS recovers. Plain SQLite, no store: the store's tests
 *	run every store function through the VFS.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <sqlite3.h>

#include "sq_walvfs.h"
#include "unit.h"

#define T_PATH_MAX	512
#define T_READERS	3	/* reading processes beside the writer */
#define T_COMMITS	200	/* the writer's transactions */
#define T_ROWS		4	/* rows of a transaction (two pairs whose a sum to 0) */
#define T_BLOB		700	/* bytes of a row's blob */
#define T_BIG_ROWS	1000	/* rows of a transaction longer than the VFS's buffer */
#define T_SMALL_CACHE	"PRAGMA cache_size = 8"	/* pages: a big transaction spills */
#define T_WAIT_READERS	60	/* seconds a reader waits for the last commit */

static char t_dir[T_PATH_MAX];
static char t_db[T_PATH_MAX + 16];

/* Write calls of the "unix" VFS, counted (t_count_writes()). */
static sqlite3_syscall_ptr t_real_pwrite64, t_real_pwrite, t_real_write;
static long t_writes;

/* t_pwrite64 - pwrite64(2), counted */
static ssize_t
t_pwrite64(int fd, const void *p, size_t n, off_t off)
{
	t_writes++;
	return (((ssize_t (*)(int, const void *, size_t, off_t)) t_real_pwrite64) (fd, p, n, off));
}

/* t_pwrite - pwrite(2), counted */
static ssize_t
t_pwrite(int fd, const void *p, size_t n, off_t off)
{
	t_writes++;
	return (((ssize_t (*)(int, const void *, size_t, off_t)) t_real_pwrite) (fd, p, n, off));
}

/* t_write - write(2), counted */
static ssize_t
t_write(int fd, const void *p, size_t n)
{
	t_writes++;
	return (((ssize_t (*)(int, const void *, size_t)) t_real_write) (fd, p, n));
}

/* t_count_writes - count the "unix" VFS's writes (ON), or stop */
static void
t_count_writes(int on)
{
	sqlite3_vfs *u = sqlite3_vfs_find("unix");

	ck_assert_ptr_nonnull(u);
	if (on) {
		t_real_pwrite64 = u->xGetSystemCall(u, "pwrite64");
		t_real_pwrite = u->xGetSystemCall(u, "pwrite");
		t_real_write = u->xGetSystemCall(u, "write");
		if (t_real_pwrite64)
			u->xSetSystemCall(u, "pwrite64", (sqlite3_syscall_ptr) t_pwrite64);
		if (t_real_pwrite)
			u->xSetSystemCall(u, "pwrite", (sqlite3_syscall_ptr) t_pwrite);
		if (t_real_write)
			u->xSetSystemCall(u, "write", (sqlite3_syscall_ptr) t_write);
	} else {
		u->xSetSystemCall(u, "pwrite64", NULL);
		u->xSetSystemCall(u, "pwrite", NULL);
		u->xSetSystemCall(u, "write", NULL);
	}
	t_writes = 0;
}

/* t_setup - a fresh folder and database path */
static void
t_setup(void)
{
	snprintf(t_dir, sizeof(t_dir), "/tmp/test_sq_walvfs.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t_dir));
	snprintf(t_db, sizeof(t_db), "%s/t.db", t_dir);
}

/* t_teardown - remove the folder */
static void
t_teardown(void)
{
	char	cmd[T_PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* t_exec - SQL that must succeed */
static void
t_exec(sqlite3 *db, const char *sql)
{
	char   *msg = NULL;
	int	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : sqlite3_errstr(rc));
}

/*
 * t_open - a connection through VFS (NULL: SQLite's default) in WAL,
 * synchronous FULL (else NORMAL: no sync at a commit, so only the
 * VFS's write at the commit puts the frames in the file)
 */
static sqlite3 *
t_open_sync(const char *vfs, int full)
{
	sqlite3 *db = NULL;

	ck_assert_int_eq(sqlite3_open_v2(t_db, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
					 vfs), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	t_exec(db, "PRAGMA journal_mode = WAL");
	t_exec(db, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
	return (db);
}

/* t_open - t_open_sync(), synchronous FULL */
static sqlite3 *
t_open(const char *vfs)
{
	return (t_open_sync(vfs, 1));
}

/* t_int - the integer SQL returns */
static sqlite3_int64
t_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	sqlite3_int64 v;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return (v);
}

/* t_insert - N rows (pairs whose a sum to 0), each with a blob, in one transaction (COMMIT) */
static void
t_insert(sqlite3 *db, int n, int commit)
{
	sqlite3_stmt *s;
	int	i;

	t_exec(db, "BEGIN IMMEDIATE");
	ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO t(a, b) VALUES(?, randomblob(?))",
					    -1, &s, NULL), SQLITE_OK);
	for (i = 0; i < n; i++) {
		sqlite3_bind_int(s, 1, i % 2 ? -(i / 2 + 1) : (i / 2 + 1));
		sqlite3_bind_int(s, 2, T_BLOB);
		ck_assert_int_eq(sqlite3_step(s), SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	if (commit)
		t_exec(db, "COMMIT");
}

/* t_check - the invariants of t: even count, a sums to 0; the count */
static sqlite3_int64
t_check(sqlite3 *db)
{
	sqlite3_stmt *s;
	sqlite3_int64 n;

	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*), total(a), total(length(b)) FROM t",
					    -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	ck_assert_int_eq(n % 2, 0);
	ck_assert(sqlite3_column_double(s, 1) == 0.0);
	ck_assert(sqlite3_column_double(s, 2) == (double) n * T_BLOB);
	sqlite3_finalize(s);
	return (n);
}

/* t_create - the table */
static void
t_create(sqlite3 *db)
{
	t_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b BLOB NOT NULL)");
	t_exec(db, "CREATE INDEX t_a ON t(a)");
}

/*
 * A commit of a dozen pages: two calls per frame before (header,
 * page), one write now; and it reads back.
 */
START_TEST(test_sq_walvfs_commit_is_one_write_and_reads_back)
{
	sqlite3 *db, *other;

	ck_assert_ptr_nonnull(sq_walvfs_name());
	t_setup();
	db = t_open(sq_walvfs_name());
	t_create(db);
	t_insert(db, T_ROWS, 1);
	other = t_open(sq_walvfs_name());
	ck_assert_int_eq(t_check(other), T_ROWS);
	t_count_writes(1);
	t_insert(db, 2 * T_ROWS * 5, 1);	/* about a dozen pages */
	ck_assert_int_eq(t_writes, 1);
	t_count_writes(0);
	ck_assert_int_eq(t_check(other), T_ROWS + 2 * T_ROWS * 5);
	ck_assert_int_eq(t_check(db), T_ROWS + 2 * T_ROWS * 5);
	sqlite3_close(other);
	sqlite3_close(db);
	t_teardown();
}
END_TEST

/* t_reader - a process reading until it sees LAST rows: counts never go back */
static void
t_reader(sqlite3_int64 last)
{
	sqlite3 *db;
	sqlite3_int64 n, seen = 0;
	time_t	end = time(NULL) + T_WAIT_READERS;

	db = t_open(sq_walvfs_name());
	while (seen < last && time(NULL) < end) {
		t_exec(db, "BEGIN");
		n = t_check(db);
		t_exec(db, "COMMIT");
		ck_assert_int_ge(n, seen);
		seen = n;
	}
	sqlite3_close(db);
	_exit(seen == last ? 0 : 2);
}

/*
 * Readers in other processes and a reader connection of the writer's
 * own process see each commit whole, while the writer commits small
 * and large transactions (past the VFS's buffer).
 */
START_TEST(test_sq_walvfs_readers_see_whole_commits_while_one_writes)
{
	sqlite3 *db, *same;
	sqlite3_int64 total = 0, last = (sqlite3_int64) (T_COMMITS - 2) * T_ROWS + 2 * T_BIG_ROWS;
	pid_t	pid[T_READERS];
	int	i, status;

	t_setup();
	db = t_open_sync(sq_walvfs_name(), 0);
	t_create(db);
	same = t_open(sq_walvfs_name());
	for (i = 0; i < T_READERS; i++) {
		ck_assert_int_ge(pid[i] = fork(), 0);
		if (pid[i] == 0)
			t_reader(last);
	}
	for (i = 0; i < T_COMMITS; i++) {
		t_insert(db, i == T_COMMITS / 2 || i == T_COMMITS - 1 ? T_BIG_ROWS : T_ROWS, 1);
		total += i == T_COMMITS / 2 || i == T_COMMITS - 1 ? T_BIG_ROWS : T_ROWS;
		ck_assert_int_eq(t_check(same), total);
	}
	ck_assert_int_eq(total, last);
	for (i = 0; i < T_READERS; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "reader %d: %d", i,
			      status);
	}
	sqlite3_close(same);
	sqlite3_close(db);
	t_teardown();
}
END_TEST

/*
 * t_spilled - a transaction of T_BIG_ROWS rows past a small cache (its
 * pages spilled to the log before the commit), then some written
 * again: SQLite overwrites their frames and, at the commit, reads the
 * frames back and rewrites their headers' checksums
 */
static void
t_spilled(sqlite3 *db)
{
	t_insert(db, T_BIG_ROWS, 0);
	t_exec(db, "UPDATE t SET b = randomblob(length(b)) WHERE id % 7 = 0");
	t_exec(db, "COMMIT");
}

/*
 * t_writer - the child of the crash test: commits (some spilled, some
 * after the log started over, the last one spilled), then a
 * transaction of another connection left open when it kills itself;
 * its line on OUT is the rows it committed
 */
static void
t_writer(int out)
{
	sqlite3 *db = t_open_sync(sq_walvfs_name(), 0), *other;
	sqlite3_int64 n = 0;
	char	line[64];
	int	i, len;

	t_create(db);
	t_exec(db, T_SMALL_CACHE);
	t_exec(db, "PRAGMA wal_autocheckpoint = 0");	/* no read of the log after a commit */
	for (i = 0; i < 20; i++) {
		if (i % 5 == 0)
			t_spilled(db);
		else
			t_insert(db, T_ROWS, 1);
		n += i % 5 == 0 ? T_BIG_ROWS : T_ROWS;
	}
	ck_assert_int_eq(sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL),
			 SQLITE_OK);
	for (i = 0; i < 10; i++) {
		t_insert(db, i == 3 ? T_BIG_ROWS : T_ROWS, 1);
		n += i == 3 ? T_BIG_ROWS : T_ROWS;
	}
	t_spilled(db);
	n += T_BIG_ROWS;
	len = snprintf(line, sizeof(line), "%lld\n", (long long) n);
	ck_assert_int_eq(write(out, line, (size_t) len), len);
	/* Another connection's (the writer's file is not used again). */
	other = t_open_sync(sq_walvfs_name(), 0);
	t_insert(other, T_ROWS, 0);
	kill(getpid(), SIGKILL);
	_exit(3);
}

/*
 * The writer killed with a transaction open: SQLite's own "unix" VFS recovers the log and finds every
 * committed row, none of the open transaction, and a sound database.
 */
START_TEST(test_sq_walvfs_commits_survive_the_writer_killed_mid_transaction)
{
	sqlite3 *db;
	char	buf[64] = "";
	ssize_t	got;
	int	fds[2], status;
	pid_t	pid;

	t_setup();
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		close(fds[0]);
		t_writer(fds[1]);
	}
	close(fds[1]);
	got = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "writer: %d", status);
	ck_assert_int_gt(got, 0);
	db = t_open(NULL);
	ck_assert_int_eq(t_check(db), atoll(buf));
	ck_assert_int_eq(t_int(db, "SELECT count(*) FROM pragma_integrity_check "
			       "WHERE integrity_check <> 'ok'"), 0);
	sqlite3_close(db);
	t_teardown();
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("sq_walvfs");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sq_walvfs_commit_is_one_write_and_reads_back);
	tcase_add_test(tc, test_sq_walvfs_readers_see_whole_commits_while_one_writes);
	tcase_add_test(tc, test_sq_walvfs_commits_survive_the_writer_killed_mid_transaction);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
