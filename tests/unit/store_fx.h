/*
 * NAME
 *	store_fx 3h
 * SUMMARY
 *	the fixture of the store's unit tests, on either engine
 * SYNOPSIS
 *	#include "store_fx.h"
 * DESCRIPTION
 *	fx_setup() makes a private store: a mkdtemp() folder (under
 *	$TMPDIR or /tmp) with the key file, and the database. The engine
 *	is SQLite, or PostgreSQL when LINKS_TEST_PG_CONNINFO is set (a
 *	libpq connection string to a server the tests may create
 *	databases on, as tests/store-pg.sh provides with a private
 *	cluster): each fixture then gets its own fresh database, dropped by
 *	fx_teardown(). OPEN non-zero also runs store_init() and
 *	store_open(). fx_conf() makes another configuration for the same
 *	database with KEY as key file.
 *
 *	fx_pg_admin() runs SQL on the PostgreSQL server's postgres
 *	database (creating databases, pg_terminate_backend).
 *
 *	fx_raw_exec() runs SQL behind the store's back (to tamper with
 *	rows or force a schema version); fx_file_contains() looks for
 *	bytes in a file, fx_store_contains() in every file of the store
 *	(SQLite: database, WAL, shm; PostgreSQL: the cluster's data folder
 *	LINKS_TEST_PG_DATADIR after a checkpoint, -1 when unknown); fx_write_key() writes a key file of FILL bytes.
 * DIAGNOSTICS
 *	Failures are Check assertions.
 */
#ifndef LINKS_STORE_FX_H
#define LINKS_STORE_FX_H

#include <stdint.h>
#include <sys/types.h>

#include <check.h>

#include "conf.h"
#include "store.h"

#define DAY		86400
#define PATH_BUF	512
#define FX_DBNAME_MAX	64
#define FX_CONNINFO_MAX	1024

struct fx {
	char	dir[PATH_BUF];
	char	db[PATH_BUF + 16];
	char	key[PATH_BUF + 16];
	char	dbname[FX_DBNAME_MAX];		/* PostgreSQL: this fixture's database */
	char	conninfo[FX_CONNINFO_MAX];
	int	pg;				/* running on PostgreSQL */
	struct conf *conf;
	struct store *st;
};

int	fx_pg(void);
void	fx_setup(struct fx *f, int open);
void	fx_teardown(struct fx *f);
struct conf *fx_conf(const struct fx *f, const char *key);
void	fx_set(struct conf *c, const char *name, const char *value);
int64_t	fx_add_customer(struct store *st, const char *email, const char *name, const char *phone);
int	fx_file_contains(const char *file, const char *needle);
int	fx_store_contains(const struct fx *f, const char *needle);
void	fx_raw_exec(const struct fx *f, const char *sql);
void	fx_write_key(const char *path, unsigned char fill, mode_t mode);
int	fx_count_events(const struct store_consent *e, void *arg);
int	fx_run(Suite *s);
void	fx_pg_admin(const char *sql);

#endif
