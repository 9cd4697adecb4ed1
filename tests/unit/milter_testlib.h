/*
 * NAME
 *	milter_testlib 3h
 * SUMMARY
 *	helpers shared by the unit tests of the milter's modules
 * SYNOPSIS
 *	#include "milter_testlib.h"
 *
 *	struct mcfg *mt_cfg(const char *name, const char *value);
 *	void	mt_store_setup(struct mt_store *t);
 *	void	mt_store_teardown(struct mt_store *t);
struct mcfg *mt_store_cfg(const struct mt_store *t, const char *name, const char *value);
 *	struct mcfg *mt_store_cfg(const struct mt_store *t, const char *name,
 *				  const char *value);
 *	struct mctx_msg *mt_msg(struct mcfg *cfg, const char *rcpt, const char *from);
 * DESCRIPTION
 *	mt_cfg() builds a configuration bundle from the defaults with
 *	max_body_size = 16k and, when NAME is not NULL, NAME = VALUE.
 *
 *	mt_store_setup() creates a fresh store (key and database) in a
 *	temporary directory and a configuration bundle using it
 *	(store_busy_timeout 300 ms); mt_store_teardown() closes this
 *	thread's and the pooled connections and removes the directory.
 *	mt_store_cfg() makes another bundle for the same store, with
 *	NAME = VALUE (owned by the caller).
 *
 *	mt_msg() starts a message of CFG to RCPT with a From header FROM
 *	(NULL: none). Every helper fails the running test on error.
 */
#ifndef LINKS_MILTER_TESTLIB_H
#define LINKS_MILTER_TESTLIB_H

#include "milter_cfg.h"
#include "milter_ctx.h"

#define MT_PATH_MAX	300

#define MT_FILE_MAX	(MT_PATH_MAX + 32)

struct mt_store {
	char	dir[MT_PATH_MAX];
	char	db[MT_FILE_MAX];
	char	key[MT_FILE_MAX];
	struct mcfg *cfg;
};

struct mcfg *mt_cfg(const char *name, const char *value);
void	mt_store_setup(struct mt_store *t);
void	mt_store_teardown(struct mt_store *t);
struct mcfg *mt_store_cfg(const struct mt_store *t, const char *name, const char *value);
struct mctx_msg *mt_msg(struct mcfg *cfg, const char *rcpt, const char *from);

#endif
