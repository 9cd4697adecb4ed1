/*
 * NAME
 *	schema 3
 * SUMMARY
 *	the store's SQL schema and its migrations
 * SYNOPSIS
 *	#include "store_int.h"
 *
 *	int	schema_migrate(struct store *st, char *err, size_t errlen);
 * DESCRIPTION
 *	migrations[i] takes a database from schema version i to i + 1;
 *	PRAGMA user_version holds the version. schema_migrate() applies the
 *	pending steps, each in its own IMMEDIATE transaction that re-reads
 *	the version first, so several processes opening the same new file
 *	at once migrate it exactly once. An empty file is version 0.
 *
 *	Layout notes. Personal data lives only in customers.*_ct
 *	(AES-256-GCM, see crypt.h); customers.email_idx is the blind index
 *	and bounces/suppression are keyed by HMACs, never by addresses.
 *	suppression.cats is a bit mask of refused categories (1 << category)
 *	so that a refusal survives purge and is re-applied when the address
 *	comes back. consent_events.subject is the suppression HMAC of the
 *	address, so an event still proves a refusal after its customer row
 *	is gone (customer_id becomes NULL).
 *
 *	Never edit a released migration: append a new one.
 * DIAGNOSTICS
 *	Returns 0, or -1 with a message in ERR (including a database newer
 *	than this program).
 */
#include "config.h"

#include <stdio.h>

#include "store_int.h"

static const char *const migrations[] = {
	/* 0 -> 1: the initial schema */
	"CREATE TABLE meta ("
	"  k TEXT PRIMARY KEY,"
	"  v BLOB NOT NULL);"
	"CREATE TABLE customers ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  email_idx BLOB NOT NULL UNIQUE,"
	"  email_ct BLOB NOT NULL,"
	"  name_ct BLOB NOT NULL,"
	"  phone_ct BLOB NOT NULL,"
	"  source INTEGER NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE TABLE contracts ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  service_type TEXT NOT NULL,"
	"  ref TEXT NOT NULL UNIQUE,"
	"  status INTEGER NOT NULL,"
	"  started INTEGER NOT NULL DEFAULT 0,"
	"  ended INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX contracts_customer ON contracts(customer_id);"
	"CREATE INDEX contracts_service ON contracts(service_type, status);"
	"CREATE TABLE prefs ("
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  category INTEGER NOT NULL,"
	"  optout INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  PRIMARY KEY (customer_id, category));"
	"CREATE TABLE consent_events ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL,"
	"  subject BLOB,"
	"  category INTEGER NOT NULL,"
	"  optout INTEGER NOT NULL,"
	"  channel INTEGER NOT NULL,"
	"  evidence TEXT NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX consent_customer ON consent_events(customer_id, evidence);"
	"CREATE INDEX consent_at ON consent_events(at);"
	"CREATE TABLE suppression ("
	"  hash BLOB PRIMARY KEY,"
	"  cats INTEGER NOT NULL,"
	"  added INTEGER NOT NULL);"
	"CREATE TABLE bounces ("
	"  hash BLOB PRIMARY KEY,"
	"  count INTEGER NOT NULL,"
	"  last INTEGER NOT NULL);"
	"CREATE TABLE campaigns ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  category INTEGER NOT NULL,"
	"  template TEXT NOT NULL,"
	"  audience TEXT NOT NULL,"
	"  params TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  finished INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE msglog ("
	"  message_id TEXT PRIMARY KEY,"
	"  customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,"
	"  category INTEGER NOT NULL,"
	"  campaign_id INTEGER NOT NULL DEFAULT 0,"
	"  sent INTEGER NOT NULL);"
	"CREATE INDEX msglog_customer ON msglog(customer_id);"
	"CREATE TABLE deliveries ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  status INTEGER NOT NULL,"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  updated INTEGER NOT NULL,"
	"  UNIQUE (campaign_id, customer_id));"
	"CREATE INDEX deliveries_status ON deliveries(campaign_id, status, id);"
	"CREATE INDEX deliveries_customer ON deliveries(customer_id);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  template TEXT NOT NULL,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  queued INTEGER NOT NULL,"
	"  status INTEGER NOT NULL DEFAULT 0,"	/* 0 pending, 1 sent, 2 failed */
	"  reason TEXT NOT NULL DEFAULT '',"
	"  done INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX outbox_pending ON outbox(status, id);"
	"CREATE INDEX outbox_customer ON outbox(customer_id);"
	"CREATE TABLE counters ("
	"  name TEXT PRIMARY KEY,"
	"  value INTEGER NOT NULL);",
};

#define SCHEMA_STEPS ((int) (sizeof(migrations) / sizeof(migrations[0])))

_Static_assert(SCHEMA_STEPS == STORE_SCHEMA_VERSION, "one migration per schema version");

static int
read_version(struct store *st, int *version)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "PRAGMA user_version", &stmt)) != STORE_OK)
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(stmt, 0);
		rc = STORE_OK;
	} else
		rc = st_sqlerr(st, rc, "read schema version");
	st_finalize(st, stmt);
	return rc;
}

int
schema_migrate(struct store *st, char *err, size_t errlen)
{
	char	sql[64];
	int	version, rc;

	if (read_version(st, &version) != STORE_OK)
		goto sqlfail;
	while (version < SCHEMA_STEPS) {
		if ((rc = st_tx_begin(st)) != STORE_OK)
			goto sqlfail;
		/* Another process may have migrated while we waited for the lock. */
		if ((rc = read_version(st, &version)) == STORE_OK && version < SCHEMA_STEPS) {
			rc = st_exec(st, migrations[version]);
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version + 1);
			if (rc == STORE_OK)
				rc = st_exec(st, sql);
		}
		if ((rc = st_tx_end(st, rc)) != STORE_OK)
			goto sqlfail;
		if (read_version(st, &version) != STORE_OK)
			goto sqlfail;
	}
	if (version > SCHEMA_STEPS) {
		snprintf(err, errlen, "database schema version %d is newer than this program's (%d); "
			 "upgrade links-mail", version, SCHEMA_STEPS);
		return -1;
	}
	return 0;

sqlfail:
	snprintf(err, errlen, "schema migration: %s", st->err);
	return -1;
}
