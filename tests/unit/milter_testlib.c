/*
 * NAME
 *	milter_testlib 3
 * SUMMARY
 *	helpers shared by the unit tests of the milter's modules
 * SYNOPSIS
 *	#include "milter_testlib.h"
 * DESCRIPTION
 *	See milter_testlib.h.
 */
#include "config.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "milter_store.h"
#include "milter_testlib.h"
#include "store.h"

#define MT_FTW_FDS	8

/* mt_cfg - a configuration bundle from the defaults and NAME = VALUE */
struct mcfg *
mt_cfg(const char *name, const char *value)
{
	char	err[CONF_ERR_MAX];
	struct conf *c = conf_defaults();
	struct mcfg *cfg;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(conf_set(c, "max_body_size", "16k", err, sizeof(err)), 0);
	if (name)
		ck_assert_msg(conf_set(c, name, value, err, sizeof(err)) == 0, "%s", err);
	cfg = mcfg_new(c, err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	return (cfg);
}

/* mt_rm_one - nftw() callback removing one file */
static int
mt_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return (remove(path));
}

/* mt_store_setup - a fresh store in a temporary directory, and a bundle using it */
void
mt_store_setup(struct mt_store *t)
{
	char	err[CONF_ERR_MAX];
	const char *tmp = getenv("TMPDIR");
	struct conf *c = conf_defaults();

	snprintf(t->dir, sizeof(t->dir), "%s/test_milter.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->db, sizeof(t->db), "%s/links.db", t->dir);
	snprintf(t->key, sizeof(t->key), "%s/master.key", t->dir);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(conf_set(c, "store_path", t->db, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "key_file", t->key, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "store_busy_timeout", "300", err, sizeof(err)), 0);
	ck_assert_msg(store_init(c, err, sizeof(err)) == STORE_OK, "%s", err);
	t->cfg = mcfg_new(c, err, sizeof(err));
	ck_assert_msg(t->cfg != NULL, "%s", err);
}

/* mt_store_cfg - a bundle for the store of T with NAME = VALUE too */
struct mcfg *
mt_store_cfg(const struct mt_store *t, const char *name, const char *value)
{
	char	err[CONF_ERR_MAX];
	struct conf *c = conf_defaults();
	struct mcfg *cfg;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(conf_set(c, "store_path", t->db, err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set(c, "key_file", t->key, err, sizeof(err)), 0);
	ck_assert_msg(conf_set(c, name, value, err, sizeof(err)) == 0, "%s", err);
	cfg = mcfg_new(c, err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	return (cfg);
}

/* mt_store_teardown - close the connections, remove the directory */
void
mt_store_teardown(struct mt_store *t)
{
	mstore_discard();
	mstore_pool_clear();
	mcfg_release(t->cfg);
	nftw(t->dir, mt_rm_one, MT_FTW_FDS, FTW_DEPTH | FTW_PHYS);
}

/* mt_msg - a message of CFG to RCPT with From FROM (NULL: none) */
struct mctx_msg *
mt_msg(struct mcfg *cfg, const char *rcpt, const char *from)
{
	struct mctx_msg *m = mctx_new(cfg);

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(mctx_add_rcpt(m, rcpt), 0);
	if (from)
		ck_assert_int_eq(mctx_header(m, "From", from), 0);
	return (m);
}
