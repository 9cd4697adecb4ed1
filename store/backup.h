/*
 * NAME
 *	backup 3h
 * SUMMARY
 *	online backup and checked restore of the store and its key
 * SYNOPSIS
 *	#include "backup.h"
 *
 *	int	store_backup(struct store *st, struct conf *conf, const char *dir,
 *			struct store_backup_info *info);
 *	int	store_restore(struct conf *conf, const char *dir,
 *			struct store_backup_info *info, char *err, size_t errlen);
 * DESCRIPTION
 *	store_backup() writes into DIR (created 0700 with its missing
 *	parents; refused
 *	when it already holds a backup) a copy of the SQLite database made
 *	with SQLite's online backup API (one consistent snapshot while the
 *	milter and the sender go on writing), a copy of the key file (mode
 *	0600), and last the manifest BACKUP_MANIFEST: format, engine,
 *	schema version, time, and the size and SHA-256 of each file. Before
 *	the manifest is written the copy is opened with the copied key, so
 *	a backup whose key does not read its database is never completed.
 *	ST is the open store (its key is the one copied); CONF its
 *	configuration (store_path, key_file).
 *
 *	store_restore() checks DIR before touching anything: the manifest's
 *	form, each file's size and checksum, and that the backup's key
 *	matches the backup's database (the key check value; a backup of an
 *	older schema is migrated on a temporary copy). Then it writes the
 *	database into store_path through the backup API (so a process that
 *	still has the store open sees either the old or the restored
 *	database, never a mix) and installs the key at key_file; a
 *	different key file already there is kept as key_file.pre-restore.
 *	Interrupted, it leaves the old database and key, or the restored
 *	database with a leftover key_file.restore that a rerun installs.
 *	CONF is modified and restored (store_path, key_file) while checking.
 *
 *	Both are for SQLite (store_backend = sqlite); with PostgreSQL the
 *	database is backed up with pg_dump and the key file copied apart.
 *
 *	INFO (may be NULL) gets the engine, schema version and database size.
 * DIAGNOSTICS
 *	STORE_OK; STORE_NOTFOUND (no manifest or no such folder);
 *	STORE_ERR (a damaged or mismatched backup, a folder that already
 *	holds one, an I/O error) or STORE_TEMP (the database stayed locked
 *	past store_busy_timeout). store_backup() leaves its message in
 *	store_errmsg(ST); store_restore() in ERR.
 */
#ifndef LINKS_BACKUP_H
#define LINKS_BACKUP_H

#include <stddef.h>

#include "conf.h"
#include "store.h"

#define BACKUP_MANIFEST	"MANIFEST"
#define BACKUP_DB	"links.db"
#define BACKUP_KEY	"master.key"

struct store_backup_info {
	int	schema;
	long long db_bytes;
	char	created[32];		/* "YYYY-MM-DDTHH:MM:SSZ" */
};

int	store_backup(struct store *st, struct conf *conf, const char *dir,
		     struct store_backup_info *info);
int	store_restore(struct conf *conf, const char *dir, struct store_backup_info *info,
		      char *err, size_t errlen);

#endif
