/*
 * NAME
 *	test_store_pg 1
 * SUMMARY
 *	faults of the PostgreSQL engine (store/db_pg.c)
 * SYNOPSIS
 *	unit/test_store_pg	(run by tests/store-pg.sh)
 * DESCRIPTION
 *	Needs a server: LINKS_TEST_PG_CONNINFO (the private cluster of
 *	store-pg.sh); without it every test passes at once, having nothing
 *	to prove. Each fault shows STORE_TEMP while the server cannot take
 *	the write (the milter answers 4xx, Postfix retries) and exactly one
 *	recorded refusal once it can:
 *	  - the store's backend terminated (pg_terminate_backend): the next
 *	    use reconnects;
 *	  - the server stopped mid-load and started again
 *	    (LINKS_TEST_PG_STOP, LINKS_TEST_PG_START: shell commands);
 *	  - the primary stopped and its standby promoted
 *	    (LINKS_TEST_PG_FAILOVER_CONNINFO: both hosts with
 *	    target_session_attrs=read-write; LINKS_TEST_PG_PROMOTE): the
 *	    same connection follows the new primary.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_fx.h"

#define FAULT_SQL_MAX	512
#define TEMP_MAX_S	15	/* a refused write answers within this */

/* sh - run a shell command from the environment, or fail */
static void
sh(const char *var)
{
	const char *cmd = getenv(var);

	ck_assert_msg(cmd && *cmd, "%s is not set", var);
	ck_assert_msg(system(cmd) == 0, "%s failed: %s", var, cmd);
}

/* events - the number of consent events of customer ID */
static int
events(struct store *st, int64_t id)
{
	int	n = 0;

	ck_assert_int_eq(store_consent_each(st, id, fx_count_events, &n), STORE_OK);
	return (n);
}

START_TEST(test_store_pg_reconnects_after_terminate_backend)
{
	char	sql[FAULT_SQL_MAX];
	struct fx f;
	int64_t	id;
	int	rc, changed = 0;

	if (!fx_pg())
		return;
	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "an.nguyen@example.vn", "An", "");
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
		 "WHERE datname = '%s' AND pid <> pg_backend_pid()", f.dbname);
	fx_pg_admin(sql);
	/* The first use finds the connection gone: temporary, nothing written. */
	rc = store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<t1@example.vn>", &changed);
	ck_assert_msg(rc == STORE_TEMP, "rc %d: %s", rc, store_errmsg(f.st));
	/* Postfix retries: the next use reconnects and records it once. */
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<t1@example.vn>",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<t1@example.vn>",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 0);
	ck_assert_int_eq(events(f.st, id), 2);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_pg_stopped_server_is_temporary_then_recorded_once)
{
	struct fx f;
	char	err[CONF_ERR_MAX];
	time_t	t0;
	int64_t	id;
	int	rc, changed = 0;

	if (!fx_pg() || !getenv("LINKS_TEST_PG_STOP"))
		return;
	fx_setup(&f, 1);
	id = fx_add_customer(f.st, "binh.tran@example.vn", "Bình", "");
	sh("LINKS_TEST_PG_STOP");
	t0 = time(NULL);
	rc = store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<s1@example.vn>", &changed);
	ck_assert_msg(rc == STORE_TEMP, "rc %d: %s", rc, store_errmsg(f.st));
	rc = store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<s1@example.vn>", &changed);
	ck_assert_msg(rc == STORE_TEMP, "rc %d: %s", rc, store_errmsg(f.st));
	ck_assert_ptr_null(store_open(f.conf, err, sizeof(err)));
	ck_assert_msg(strstr(err, "(temporary)") != NULL, "%s", err);
	ck_assert_int_le(time(NULL) - t0, TEMP_MAX_S);
	sh("LINKS_TEST_PG_START");
	ck_assert_int_eq(store_optout(f.st, id, -1, STORE_CH_REPLY, "msgid=<s1@example.vn>",
				      &changed), STORE_OK);
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(events(f.st, id), 2);
	ck_assert_int_eq(store_is_optout(f.st, id, CATEGORY_PROMOTION), 1);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_store_pg_follows_a_promoted_standby)
{
	const char *ci = getenv("LINKS_TEST_PG_FAILOVER_CONNINFO");
	struct store *st;
	struct fx f;
	char	err[CONF_ERR_MAX];
	int64_t	id;
	int	rc, changed = 0, i;

	if (!fx_pg() || ci == NULL || *ci == 0)
		return;
	fx_setup(&f, 0);
	fx_set(f.conf, "store_conninfo", ci);
	ck_assert_msg(store_init(f.conf, err, sizeof(err)) == STORE_OK, "%s", err);
	st = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	id = fx_add_customer(st, "cuong.le@example.vn", "Cường", "");
	sh("LINKS_TEST_PG_PROMOTE");
	/* Until the connection finds the new primary: temporary failures only. */
	for (i = 0; i < 3; i++) {
		rc = store_optout(st, id, -1, STORE_CH_REPLY, "msgid=<p1@example.vn>", &changed);
		ck_assert_msg(rc == STORE_OK || rc == STORE_TEMP, "rc %d: %s", rc,
			      store_errmsg(st));
		if (rc == STORE_OK)
			break;
	}
	ck_assert_msg(rc == STORE_OK, "still failing after the promotion: %s", store_errmsg(st));
	ck_assert_int_eq(changed, 2);
	ck_assert_int_eq(store_is_optout(st, id, CATEGORY_SURVEY), 1);
	ck_assert_int_eq(events(st, id), 2);
	store_close(st);
	f.pg = 0;		/* its database went with the old primary */
	fx_teardown(&f);
}
END_TEST

/* suite - the tests of this file */
static Suite *
suite(void)
{
	Suite  *s = suite_create("test_store_pg");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_store_pg_reconnects_after_terminate_backend);
	tcase_add_test(tc, test_store_pg_stopped_server_is_temporary_then_recorded_once);
	tcase_add_test(tc, test_store_pg_follows_a_promoted_standby);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fx_run(suite()));
}
