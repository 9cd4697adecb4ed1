/*
 * NAME
 *	schema 3
 * SUMMARY
 *	the store's SQL schema and its migrations, for every engine
 * SYNOPSIS
 *	#include "store_int.h"
 *
 *	int	schema_migrate(struct store *st, char *err, size_t errlen);
 * DESCRIPTION
 *	migrations[i] takes a database from schema version i to i + 1, on
 *	every engine: one list, so the engines cannot drift apart. A step
 *	is DDL (the SQLite text and the PostgreSQL text side by side: the
 *	types differ, INTEGER PRIMARY KEY AUTOINCREMENT against an
 *	identity column, BLOB against BYTEA) and/or a C function that
 *	rewrites rows through db.h. The engine keeps the version (SQLite:
 *	PRAGMA user_version; PostgreSQL: the schema_version table).
 *	schema_migrate() applies the pending steps, each in its own write
 *	transaction that takes the engine's migration lock and re-reads the
 *	version first, so several processes opening the same new database
 *	at once migrate it exactly once. An empty database is version 0.
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
 *	Step 2 (rehash_addresses) recomputes, for each customer, the
 *	address with config/addr.c's rule (IDN domains as A-labels, quoted
 *	local parts unquoted, UTF-8 local parts in NFC) and, where it
 *	differs from the stored one, the blind index, the ciphertext, and
 *	the bounce, suppression and consent hashes that were made from the
 *	old form: without it such a customer would no longer be found. The
 *	suppression entry of an address already purged cannot be
 *	recomputed (only its hash is kept); those were ASCII addresses in
 *	practice, whose form did not change. Two rows whose addresses now
 *	normalise alike keep their old index (logged by id) for an
 *	administrator to merge.
 *
 *	Step 4 (issue 12, issue 18): campaign parameters move to
 *	campaigns.params_ct (AES-256-GCM like the customer fields, the
 *	campaign id as row); addresses in delivery and outbox reasons
 *	become "customer ID" and foreign Message-IDs and addresses in
 *	consent evidence their keyed hash (redact.c, st_redact_rows);
 *	consent events gain the staff member (actor), a sealed note
 *	(note_ct, the customer id as row, erased with the customer) and the
 *	campaign a refusal answered; replies counts the questions received
 *	in reply to a campaign, once per reply (msg_hash: keyed hash of the
 *	reply's Message-ID; subject: the suppression hash of the sender).
 *
 *	Step 5 (issue 18): counter_hours keeps what store_counter_add()
 *	adds per counter and per UTC hour (hour: the Unix time the hour
 *	starts), so the daily digest (digest_store.h) can say how many questions,
 *	unverified refusals and soft bounces the milter saw in a window;
 *	counters keeps the running totals as before.
 *
 *	Step 6 (issue 18): outbox.thread_ct, the References an opt-out
 *	confirmation carries to answer the customer's reply (the reply's
 *	Message-ID last, its In-Reply-To), sealed like the customer fields
 *	(the customer id as row); emptied when the row is done, gone with
 *	the customer (the outbox row cascades).
 *
 *	Step 7 (issue 14): what a refusal writes, in fewer pages. The
 *	index consent_customer keys events by customer alone, not by
 *	customer and evidence: an entry was the whole evidence text (about
 *	a hundred bytes), so a leaf held some thirty and the refusals of
 *	one group commit split leaves (13.8 of its 52 log pages went to
 *	that index, 6.7 now); the lookup of a message's evidence reads the
 *	customer's few events.
 *
 *	Step 8 (issue 14): on SQLite prefs and suppression become WITHOUT
 *	ROWID tables: their rows live in their primary key's tree, which
 *	is written and searched once, not as an index and then a table
 *	(prefs is 4 integers, suppression a hash and 2 integers). The
 *	tables are copied, so the step takes as long as they are big, once.
 *	PostgreSQL keeps its heap and index: nothing to do there.
 *
 *	Never edit a released migration: append a new one.
 * DIAGNOSTICS
 *	Returns 0, or -1 with a message in ERR (including a database newer
 *	than this program).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "log.h"
#include "store_int.h"

#define REHASH_IDS_INIT	64

struct migration {
	const char *sqlite;			/* DDL for SQLite, or NULL */
	const char *pg;				/* the same for PostgreSQL */
	int	(*fn)(struct store *st);	/* row work after the DDL, or NULL */
};

static int rehash_addresses(struct store *);

static const struct migration migrations[] = {
	/* 0 -> 1: the initial schema */
	{
	/* SQLite */
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
	/* PostgreSQL */
	"CREATE TABLE meta ("
	"  k TEXT PRIMARY KEY,"
	"  v BYTEA NOT NULL);"
	"CREATE TABLE customers ("
	"  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  email_idx BYTEA NOT NULL UNIQUE,"
	"  email_ct BYTEA NOT NULL,"
	"  name_ct BYTEA NOT NULL,"
	"  phone_ct BYTEA NOT NULL,"
	"  source BIGINT NOT NULL,"
	"  created BIGINT NOT NULL,"
	"  updated BIGINT NOT NULL);"
	"CREATE TABLE contracts ("
	"  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  service_type TEXT NOT NULL,"
	"  ref TEXT NOT NULL UNIQUE,"
	"  status BIGINT NOT NULL,"
	"  started BIGINT NOT NULL DEFAULT 0,"
	"  ended BIGINT NOT NULL DEFAULT 0);"
	"CREATE INDEX contracts_customer ON contracts(customer_id);"
	"CREATE INDEX contracts_service ON contracts(service_type, status);"
	"CREATE TABLE prefs ("
	"  customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  category BIGINT NOT NULL,"
	"  optout BIGINT NOT NULL,"
	"  updated BIGINT NOT NULL,"
	"  PRIMARY KEY (customer_id, category));"
	"CREATE TABLE consent_events ("
	"  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  customer_id BIGINT REFERENCES customers(id) ON DELETE SET NULL,"
	"  subject BYTEA,"
	"  category BIGINT NOT NULL,"
	"  optout BIGINT NOT NULL,"
	"  channel BIGINT NOT NULL,"
	"  evidence TEXT NOT NULL,"
	"  at BIGINT NOT NULL);"
	"CREATE INDEX consent_customer ON consent_events(customer_id, evidence);"
	"CREATE INDEX consent_at ON consent_events(at);"
	"CREATE TABLE suppression ("
	"  hash BYTEA PRIMARY KEY,"
	"  cats BIGINT NOT NULL,"
	"  added BIGINT NOT NULL);"
	"CREATE TABLE bounces ("
	"  hash BYTEA PRIMARY KEY,"
	"  count BIGINT NOT NULL,"
	"  last BIGINT NOT NULL);"
	"CREATE TABLE campaigns ("
	"  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  category BIGINT NOT NULL,"
	"  template TEXT NOT NULL,"
	"  audience TEXT NOT NULL,"
	"  params TEXT NOT NULL,"
	"  created BIGINT NOT NULL,"
	"  finished BIGINT NOT NULL DEFAULT 0);"
	"CREATE TABLE msglog ("
	"  message_id TEXT PRIMARY KEY,"
	"  customer_id BIGINT REFERENCES customers(id) ON DELETE CASCADE,"
	"  category BIGINT NOT NULL,"
	"  campaign_id BIGINT NOT NULL DEFAULT 0,"
	"  sent BIGINT NOT NULL);"
	"CREATE INDEX msglog_customer ON msglog(customer_id);"
	"CREATE TABLE deliveries ("
	"  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,"
	"  customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  status BIGINT NOT NULL,"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  attempts BIGINT NOT NULL DEFAULT 0,"
	"  updated BIGINT NOT NULL,"
	"  UNIQUE (campaign_id, customer_id));"
	"CREATE INDEX deliveries_status ON deliveries(campaign_id, status, id);"
	"CREATE INDEX deliveries_customer ON deliveries(customer_id);"
	"CREATE TABLE outbox ("
	"  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  template TEXT NOT NULL,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  queued BIGINT NOT NULL,"
	"  status BIGINT NOT NULL DEFAULT 0,"	/* 0 pending, 1 sent, 2 failed */
	"  reason TEXT NOT NULL DEFAULT '',"
	"  done BIGINT NOT NULL DEFAULT 0);"
	"CREATE INDEX outbox_pending ON outbox(status, id);"
	"CREATE INDEX outbox_customer ON outbox(customer_id);"
	"CREATE TABLE counters ("
	"  name TEXT PRIMARY KEY,"
	"  value BIGINT NOT NULL);",
	NULL},
	/* 1 -> 2: blind index and hashes by config/addr.c's address rule */
	{NULL, NULL, rehash_addresses},
	/* 2 -> 3: leases for several senders on one store (claim.c) */
	{
	/* SQLite */
	"ALTER TABLE outbox ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deliveries ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE campaigns ADD COLUMN owner TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE campaigns ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;",
	/* PostgreSQL */
	"ALTER TABLE outbox ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;"
	"ALTER TABLE deliveries ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;"
	"ALTER TABLE campaigns ADD COLUMN owner TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE campaigns ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;",
	NULL},
	/* 3 -> 4: privacy (issue 12) and support (issue 18), see DESCRIPTION */
	{
	/* SQLite */
	"ALTER TABLE campaigns ADD COLUMN params_ct BLOB;"
	"ALTER TABLE consent_events ADD COLUMN actor TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE consent_events ADD COLUMN note_ct BLOB;"
	"ALTER TABLE consent_events ADD COLUMN campaign_id INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX consent_campaign ON consent_events(campaign_id);"
	"CREATE TABLE replies ("
	"  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,"
	"  subject BLOB,"
	"  kind INTEGER NOT NULL,"
	"  msg_hash BLOB NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (msg_hash, kind));"
	"CREATE INDEX replies_campaign ON replies(campaign_id, kind);",
	/* PostgreSQL */
	"ALTER TABLE campaigns ADD COLUMN params_ct BYTEA;"
	"ALTER TABLE consent_events ADD COLUMN actor TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE consent_events ADD COLUMN note_ct BYTEA;"
	"ALTER TABLE consent_events ADD COLUMN campaign_id BIGINT NOT NULL DEFAULT 0;"
	"CREATE INDEX consent_campaign ON consent_events(campaign_id);"
	"CREATE TABLE replies ("
	"  campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,"
	"  subject BYTEA,"
	"  kind BIGINT NOT NULL,"
	"  msg_hash BYTEA NOT NULL,"
	"  at BIGINT NOT NULL,"
	"  PRIMARY KEY (msg_hash, kind));"
	"CREATE INDEX replies_campaign ON replies(campaign_id, kind);",
	st_redact_rows},
	/* 4 -> 5: counters per hour, for the daily digest (issue 18, digest_store.h) */
	{
	/* SQLite */
	"CREATE TABLE counter_hours ("
	"  name TEXT NOT NULL,"
	"  hour INTEGER NOT NULL,"
	"  value INTEGER NOT NULL,"
	"  PRIMARY KEY (name, hour));"
	"CREATE INDEX counter_hours_hour ON counter_hours(hour);",
	/* PostgreSQL */
	"CREATE TABLE counter_hours ("
	"  name TEXT NOT NULL,"
	"  hour BIGINT NOT NULL,"
	"  value BIGINT NOT NULL,"
	"  PRIMARY KEY (name, hour));"
	"CREATE INDEX counter_hours_hour ON counter_hours(hour);",
	NULL},
	/* 5 -> 6: the reply an opt-out confirmation answers, sealed (issue 18) */
	{
	/* SQLite */
	"ALTER TABLE outbox ADD COLUMN thread_ct BLOB;",
	/* PostgreSQL */
	"ALTER TABLE outbox ADD COLUMN thread_ct BYTEA;",
	NULL},
	/* 6 -> 7: a refusal's pages: the events' index (issue 14) */
	{
	/* SQLite */
	"DROP INDEX consent_customer;"
	"CREATE INDEX consent_customer ON consent_events(customer_id);",
	/* PostgreSQL */
	"DROP INDEX consent_customer;"
	"CREATE INDEX consent_customer ON consent_events(customer_id);",
	NULL},
	/* 7 -> 8: a refusal's pages: prefs and suppression WITHOUT ROWID (issue 14) */
	{
	/* SQLite */
	"CREATE TABLE prefs_new ("
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  category INTEGER NOT NULL,"
	"  optout INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  PRIMARY KEY (customer_id, category)) WITHOUT ROWID;"
	"INSERT INTO prefs_new(customer_id, category, optout, updated)"
	"  SELECT customer_id, category, optout, updated FROM prefs;"
	"DROP TABLE prefs;"
	"ALTER TABLE prefs_new RENAME TO prefs;"
	"CREATE TABLE suppression_new ("
	"  hash BLOB PRIMARY KEY,"
	"  cats INTEGER NOT NULL,"
	"  added INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO suppression_new(hash, cats, added) SELECT hash, cats, added FROM suppression;"
	"DROP TABLE suppression;"
	"ALTER TABLE suppression_new RENAME TO suppression;",
	/* PostgreSQL: a table and its primary key's index as before */
	NULL,
	NULL},
};

#define SCHEMA_STEPS ((int) (sizeof(migrations) / sizeof(migrations[0])))

_Static_assert(SCHEMA_STEPS == STORE_SCHEMA_VERSION, "one migration per schema version");

struct rehash_row {
	int64_t	id;
	char   *email;		/* as stored (the old rule) */
};

/* rehash_load - every customer's id and stored address; caller frees */
static int
rehash_load(struct store *st, struct rehash_row **rows, size_t *n)
{
	struct db_stmt *s;
	struct rehash_row *v = NULL, *nv;
	size_t	cap = 0;
	int	rc;

	*n = 0;
	if ((rc = db_prepare(st, "SELECT id, email_ct FROM customers ORDER BY id", &s)) != STORE_OK)
		return (rc);
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : REHASH_IDS_INIT;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				rc = st_err(st, STORE_TEMP, "out of memory");
				goto done;
			}
			v = nv;
		}
		v[*n].id = db_col_int(s, 0);
		if ((rc = st_unseal_col(st, s, 1, v[*n].id, CRYPT_F_EMAIL, &v[*n].email))
		    != STORE_OK)
			goto done;
		(*n)++;
	}
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "customer list");
done:
	db_finish(s);
	*rows = v;
	return (rc);
}

/* rehash_move - re-key table TABLE's COLUMN from OLD to NEW */
static int
rehash_move(struct store *st, const char *sql, const unsigned char *old,
	    const unsigned char *new)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, sql, &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, new, CRYPT_MAC_LEN);
	db_bind_blob(s, 2, old, CRYPT_MAC_LEN);
	rc = st_run(st, s, "rehash");
	db_finish(s);
	return (rc);
}

/* rehash_one - one customer whose address normalises differently now */
static int
rehash_one(struct store *st, int64_t id, const char *old, const char *norm)
{
	unsigned char oi[CRYPT_MAC_LEN], ni[CRYPT_MAC_LEN], os[CRYPT_MAC_LEN], ns[CRYPT_MAC_LEN];
	struct db_stmt *s;
	long	taken;
	int	rc;

	st_email_index(st, old, oi);
	st_email_index(st, norm, ni);
	st_email_suphash(st, old, os);
	st_email_suphash(st, norm, ns);
	if ((rc = db_prepare(st, "SELECT count(*) FROM customers WHERE email_idx = ?", &s))
	    != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, ni, CRYPT_MAC_LEN);
	rc = db_step(s);
	taken = rc == DB_ROW ? (long) db_col_int(s, 0) : 0;
	db_finish(s);
	if (rc != DB_ROW)
		return (db_error(st, rc, "rehash"));
	if (taken > 0) {
		log_warning("store migration: customer %lld has the address of another customer "
			    "under the new address rule; left as it was, merge them", (long long) id);
		return (STORE_OK);
	}
	if ((rc = db_prepare(st, "UPDATE customers SET email_idx = ?, email_ct = ? WHERE id = ?",
			     &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, ni, CRYPT_MAC_LEN);
	if ((rc = st_bind_sealed(st, s, 2, id, CRYPT_F_EMAIL, norm)) == STORE_OK) {
		db_bind_int(s, 3, id);
		rc = st_run(st, s, "rehash");
	}
	db_finish(s);
	if (rc == STORE_OK)
		rc = rehash_move(st, "UPDATE bounces SET hash = ?1 WHERE hash = ?2 AND NOT EXISTS "
				 "(SELECT 1 FROM bounces b WHERE b.hash = ?1)", oi, ni);
	if (rc == STORE_OK)
		rc = rehash_move(st, "UPDATE suppression SET hash = ?1 WHERE hash = ?2 AND NOT EXISTS "
				 "(SELECT 1 FROM suppression x WHERE x.hash = ?1)", os, ns);
	if (rc == STORE_OK)
		rc = rehash_move(st, "UPDATE consent_events SET subject = ?1 WHERE subject = ?2",
				 os, ns);
	return (rc);
}

/* rehash_addresses - migration 1 -> 2 (see DESCRIPTION) */
static int
rehash_addresses(struct store *st)
{
	char	norm[STORE_EMAIL_MAX + 1];
	struct rehash_row *rows = NULL;
	size_t	n = 0, i;
	int	rc;

	rc = rehash_load(st, &rows, &n);
	for (i = 0; rc == STORE_OK && i < n; i++) {
		if (addr_normalise(rows[i].email, norm, sizeof(norm)) != 0) {
			log_warning("store migration: customer %lld: the stored address is not "
				    "valid under the new address rule; left as it was",
				    (long long) rows[i].id);
			continue;
		}
		if (strcmp(norm, rows[i].email) != 0)
			rc = rehash_one(st, rows[i].id, rows[i].email, norm);
	}
	for (i = 0; i < n; i++) {
		crypt_str_free(rows[i].email);
	}
	free(rows);
	return (rc);
}

/* migrate_step - one step inside the transaction, if still pending */
static int
migrate_step(struct store *st, int *version)
{
	const struct migration *m;
	const char *ddl;
	int	rc;

	if ((rc = st->ops->migrate_lock(st)) != STORE_OK
	    || (rc = st->ops->version_get(st, version)) != STORE_OK)
		return (db_error(st, rc, "schema version"));
	/* Another process may have migrated while we waited for the lock. */
	if (*version >= SCHEMA_STEPS)
		return (STORE_OK);
	m = &migrations[*version];
	ddl = st->ops == &db_sqlite_ops ? m->sqlite : m->pg;
	if (ddl != NULL && (rc = db_exec(st, ddl)) != STORE_OK)
		return (rc);
	if (m->fn != NULL && (rc = m->fn(st)) != STORE_OK)
		return (rc);
	if ((rc = st->ops->version_set(st, *version + 1)) != STORE_OK)
		return (db_error(st, rc, "schema version"));
	return (STORE_OK);
}

/* schema_migrate - bring the database to this program's schema */
int
schema_migrate(struct store *st, char *err, size_t errlen)
{
	int	version, rc;

	if ((rc = st->ops->version_get(st, &version)) != STORE_OK) {
		db_error(st, rc, "read schema version");
		goto sqlfail;
	}
	while (version < SCHEMA_STEPS) {
		if (st_tx_begin(st) != STORE_OK)
			goto sqlfail;
		rc = migrate_step(st, &version);
		if (st_tx_end(st, rc) != STORE_OK)
			goto sqlfail;
		if ((rc = st->ops->version_get(st, &version)) != STORE_OK) {
			db_error(st, rc, "read schema version");
			goto sqlfail;
		}
	}
	if (version > SCHEMA_STEPS) {
		snprintf(err, errlen, "database schema version %d is newer than this program's (%d); "
			 "upgrade links-mail", version, SCHEMA_STEPS);
		return (-1);
	}
	return (0);

sqlfail:
	snprintf(err, errlen, "schema migration: %s", st->err);
	return (-1);
}
