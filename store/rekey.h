/*
 * NAME
 *	rekey 3h
 * SUMMARY
 *	rotation of the master key
 * SYNOPSIS
 *	#include "rekey.h"
 *
 *	int	store_key_rotate(struct conf *conf,
 *			int (*progress)(long done, long total, void *arg), void *arg,
 *			struct store_rekey_report *rep, char *err, size_t errlen);
 * DESCRIPTION
 *	store_key_rotate() replaces the master key of key_file with a new
 *	random one and re-encrypts every encrypted value (each customer's
 *	address, name and telephone, and every other column listed in
 *	rekey.c) under it, in one transaction that also replaces the key
 *	check value. Step by step:
 *
 *	1. a new key is written to key_file.new (0600, the owner of
 *	   key_file), and key_file is linked to key_file.old;
 *	2. the transaction re-encrypts every value; PROGRESS (may be NULL)
 *	   is called after each REKEY_PROGRESS_EVERY values and at the end;
 *	3. after the commit, key_file.new is renamed over key_file and
 *	   key_file.old is removed.
 *	Killed before the commit, the database is untouched (the
 *	transaction never committed) and key_file still holds the old key:
 *	every program reads the store as before. Killed between the commit
 *	and the rename, the database is under the new key while key_file is
 *	the old one; the next run finds key_file.new matching the database
 *	and finishes the renames (REP->resumed). A leftover key_file.new
 *	that does not match the database is discarded and the rotation
 *	starts again.
 *
 *	The blind index, suppression and token keys do not change: they
 *	were derived from the first master key and are kept in the database
 *	sealed under the current key (meta "hmac_keys"), because the
 *	suppression list holds hashes of addresses nobody can recompute
 *	(purged customers) and the unsubscribe links already sent must go
 *	on working. st_keyring_load() (store_int.h) puts them in place when
 *	a store is opened.
 *
 *	Programs that have the store open keep the old key in memory:
 *	restart them after a rotation (links-store key rotate says so).
 * DIAGNOSTICS
 *	STORE_OK, STORE_ERR or STORE_TEMP with a message in ERR; nothing
 *	changed in the database unless STORE_OK (or a resumed rotation).
 */
#ifndef LINKS_REKEY_H
#define LINKS_REKEY_H

#include <stddef.h>

#include "conf.h"
#include "store.h"

#define REKEY_PROGRESS_EVERY	500	/* values between two progress calls */

struct store_rekey_report {
	long	customers;		/* customers whose fields were re-encrypted */
	long	values;			/* encrypted values re-encrypted (all columns) */
	int	old_kid, new_kid;	/* key id bytes */
	int	resumed;		/* 1: an interrupted rotation was finished */
};

int	store_key_rotate(struct conf *conf, int (*progress)(long done, long total, void *arg),
			 void *arg, struct store_rekey_report *rep, char *err, size_t errlen);

#endif
