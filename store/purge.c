/*
 * NAME
 *	purge 3
 * SUMMARY
 *	retention purge, the customer's own export, statistics
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	store_purge() implements policy section 6: a customer whose
 *	contracts have all ended more than retention_grace_days ago (or who
 *	has no contract and was created that long ago) is deleted with
 *	contracts, preferences, bounces, deliveries, outbox rows and message
 *	log. What stays: the suppression entry (an HMAC of the address and
 *	the refused categories, so the refusal is honoured if the address
 *	returns) and the consent events, with customer_id cleared, until
 *	they are consent_retention_days old. The whole purge is one
 *	transaction; a dry run performs it and rolls back, so its report is
 *	exactly what a real run would do.
 *
 *	store_export_json() writes one JSON object (jansson) with the
 *	customer's profile, contracts, preferences, consent log, messages
 *	sent and bounce count. Times are ISO 8601 UTC strings, null when
 *	unknown. It is the only export: there is no bulk export.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store_int.h"

#define ISO_TIME_LEN	32
#define PURGE_IDS_INIT	64

struct idvec {
	int64_t *v;
	size_t	n, cap;
};

static int
idvec_push(struct idvec *iv, int64_t id)
{
	if (iv->n == iv->cap) {
		size_t	cap = iv->cap ? 2 * iv->cap : PURGE_IDS_INIT;
		int64_t *v = realloc(iv->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		iv->v = v;
		iv->cap = cap;
	}
	iv->v[iv->n++] = id;
	return 0;
}

static int
count_of(struct store *st, const char *sql, int64_t arg, long *out)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, sql, &stmt)) != STORE_OK)
		return rc;
	if (sqlite3_bind_parameter_count(stmt) > 0)
		sqlite3_bind_int64(stmt, 1, arg);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = (long) sqlite3_column_int64(stmt, 0);
		rc = STORE_OK;
	} else
		rc = st_sqlerr(st, rc, "count");
	st_finalize(st, stmt);
	return rc;
}

static int
purge_locked(struct store *st, time_t now, void (*fn)(int64_t, void *), void *arg,
	     struct store_purge_report *rep)
{
	time_t	cutoff = now - (time_t) st->grace_days * STORE_SECONDS_PER_DAY;
	time_t	consent_cutoff = now - (time_t) st->consent_days * STORE_SECONDS_PER_DAY;
	struct idvec ids = {NULL, 0, 0};
	sqlite3_stmt *stmt = NULL;
	size_t	i;
	long	n;
	int	rc;

	rc = st_prepare(st, "SELECT c.id FROM customers c WHERE "
			"(EXISTS(SELECT 1 FROM contracts k WHERE k.customer_id = c.id) "
			" AND NOT EXISTS(SELECT 1 FROM contracts k WHERE k.customer_id = c.id "
			"  AND (k.status = 0 OR k.ended >= ?1))) "
			"OR (NOT EXISTS(SELECT 1 FROM contracts k WHERE k.customer_id = c.id) "
			" AND c.created < ?1) ORDER BY c.id", &stmt);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64) cutoff);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (idvec_push(&ids, sqlite3_column_int64(stmt, 0)) < 0) {
			rc = st_err(st, STORE_TEMP, "out of memory");
			goto done;
		}
	if (rc != SQLITE_DONE) {
		rc = st_sqlerr(st, rc, "purge candidates");
		goto done;
	}
	st_finalize(st, stmt);
	stmt = NULL;
	rc = STORE_OK;

	for (i = 0; i < ids.n; i++) {
		if (fn)
			fn(ids.v[i], arg);
		if ((rc = count_of(st, "SELECT count(*) FROM contracts WHERE customer_id = ?",
				   ids.v[i], &n)) != STORE_OK)
			goto done;
		rep->contracts_deleted += n;
		if ((rc = count_of(st, "SELECT EXISTS(SELECT 1 FROM prefs WHERE customer_id = ? "
				   "AND optout = 1)", ids.v[i], &n)) != STORE_OK)
			goto done;
		rep->suppressed_kept += n;
		if ((rc = store_customer_delete(st, ids.v[i])) != STORE_OK)
			goto done;
		rep->customers_deleted++;
	}
	rc = st_prepare(st, "DELETE FROM consent_events WHERE customer_id IS NULL AND at < ?",
			&stmt);
	if (rc != STORE_OK)
		goto done;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64) consent_cutoff);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE) {
		rc = st_sqlerr(st, rc, "consent purge");
		goto done;
	}
	rep->consent_events_deleted = sqlite3_changes(st->db);
	rc = STORE_OK;
done:
	st_finalize(st, stmt);
	free(ids.v);
	return rc;
}

int
store_purge(struct store *st, time_t now, int dry_run, void (*fn)(int64_t, void *), void *arg,
	    struct store_purge_report *rep)
{
	int	rc;

	memset(rep, 0, sizeof(*rep));
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return rc;
	rc = purge_locked(st, now, fn, arg, rep);
	if (dry_run && rc == STORE_OK) {
		st_tx_end(st, STORE_ERR);	/* roll back: report only */
		return STORE_OK;
	}
	return st_tx_end(st, rc);
}

/* ---- export ---- */

static json_t *
json_time(time_t t)
{
	char	buf[ISO_TIME_LEN];
	struct tm tm;

	if (t <= 0 || gmtime_r(&t, &tm) == NULL)
		return json_null();
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static int
export_contract(const struct store_contract *k, void *arg)
{
	json_t *a = arg;

	json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o, s:o}",
					   "ref", k->ref, "service_type", k->service_type,
					   "status", k->status == STORE_CONTRACT_ACTIVE ? "active" : "ended",
					   "started", json_time(k->started),
					   "ended", json_time(k->ended)));
	return 0;
}

static int
export_consent(const struct store_consent *e, void *arg)
{
	json_t *a = arg;

	json_array_append_new(a, json_pack("{s:o, s:s, s:s, s:s, s:s}",
					   "at", json_time(e->at),
					   "category", category_name(e->category),
					   "action", e->optout ? "refused" : "agreed",
					   "channel", store_channel_name(e->channel),
					   "evidence", e->evidence));
	return 0;
}

static int
export_messages(struct store *st, int64_t id, json_t *a)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "SELECT message_id, category, sent FROM msglog "
			     "WHERE customer_id = ? ORDER BY sent, message_id", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:s, s:s, s:o}",
						   "message_id",
						   (const char *) sqlite3_column_text(stmt, 0),
						   "category",
						   category_name((enum category)
								       sqlite3_column_int(stmt, 1)),
						   "sent", json_time((time_t)
								     sqlite3_column_int64(stmt, 2))));
	rc = rc == SQLITE_DONE ? STORE_OK : st_sqlerr(st, rc, "message log");
	st_finalize(st, stmt);
	return rc;
}

int
store_export_json(struct store *st, int64_t customer_id, FILE *fp)
{
	struct store_customer c;
	json_t *root = NULL, *contracts, *consent, *messages, *prefs;
	int	rc, cat, v;
	long	bounces = 0;

	if ((rc = store_customer_get(st, customer_id, &c)) != STORE_OK)
		return rc;
	contracts = json_array();
	consent = json_array();
	messages = json_array();
	prefs = json_object();
	root = json_pack("{s:s, s:o, s:{s:I, s:s, s:s, s:s, s:s, s:o, s:o}, s:o, s:o, s:o, s:o}",
			 "format", "links-mail customer export v1",
			 "exported_at", json_time(st_now()),
			 "customer", "id", (json_int_t) c.id, "email", c.email, "name", c.name,
			 "phone", c.phone, "source", store_source_name(c.source),
			 "created", json_time(c.created), "updated", json_time(c.updated),
			 "contracts", contracts, "preferences", prefs,
			 "consent_log", consent, "messages", messages);
	if (root == NULL) {
		rc = st_err(st, STORE_ERR, "cannot build the export");
		goto done;
	}
	if ((rc = store_contract_each(st, customer_id, export_contract, contracts)) != STORE_OK
	    || (rc = store_consent_each(st, customer_id, export_consent, consent)) != STORE_OK
	    || (rc = export_messages(st, customer_id, messages)) != STORE_OK)
		goto done;
	for (cat = 0; cat < CATEGORY_COUNT; cat++) {
		if (!category_refusable((enum category) cat))
			continue;
		if ((v = store_is_optout(st, customer_id, (enum category) cat)) < 0) {
			rc = v;
			goto done;
		}
		json_object_set_new(prefs, category_name((enum category) cat),
				    json_string(v ? "refused" : "accepted"));
	}
	{
		unsigned char idx[CRYPT_MAC_LEN];
		sqlite3_stmt *stmt;

		st_email_index(st, c.email, idx);
		if ((rc = st_prepare(st, "SELECT coalesce(sum(count), 0) FROM bounces WHERE hash = ?",
				     &stmt)) != STORE_OK)
			goto done;
		sqlite3_bind_blob(stmt, 1, idx, CRYPT_MAC_LEN, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			bounces = (long) sqlite3_column_int64(stmt, 0);
		st_finalize(st, stmt);
	}
	json_object_set_new(root, "bounces", json_integer(bounces));
	if (json_dumpf(root, fp, JSON_INDENT(2)) < 0 || fputc('\n', fp) == EOF
	    || fflush(fp) == EOF) {
		rc = st_err(st, STORE_TEMP, "cannot write the export");
		goto done;
	}
	rc = STORE_OK;
done:
	if (root)
		json_decref(root);
	else {
		json_decref(contracts);
		json_decref(consent);
		json_decref(messages);
		json_decref(prefs);
	}
	store_customer_clear(&c);
	return rc;
}

/* ---- statistics ---- */

int
store_stats_get(struct store *st, struct store_stats *out)
{
	static const struct {
		const char *sql;
		size_t	off;
	} q[] = {
		{"SELECT count(*) FROM customers", offsetof(struct store_stats, customers)},
		{"SELECT count(*) FROM contracts WHERE status = 0",
		 offsetof(struct store_stats, contracts_active)},
		{"SELECT count(*) FROM contracts WHERE status = 1",
		 offsetof(struct store_stats, contracts_ended)},
		{"SELECT count(*) FROM msglog", offsetof(struct store_stats, messages_logged)},
		{"SELECT count(*) FROM campaigns", offsetof(struct store_stats, campaigns)},
		{"SELECT count(*) FROM outbox WHERE status = 0",
		 offsetof(struct store_stats, outbox_pending)},
		{"SELECT count(*) FROM consent_events", offsetof(struct store_stats, consent_events)},
	};
	sqlite3_stmt *stmt;
	size_t	i;
	int	rc;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		if ((rc = count_of(st, q[i].sql, 0, (long *) ((char *) out + q[i].off))) != STORE_OK)
			return rc;
	/* Suppressed: every refusable category refused (category.h's mask). */
	if ((rc = count_of(st, "SELECT count(*) FROM suppression WHERE (cats & ?1) = ?1",
			   (int64_t) category_refusable_mask(), &out->suppressed)) != STORE_OK)
		return rc;
	if ((rc = count_of(st, "SELECT count(*) FROM bounces WHERE count >= ?",
			   st->bounce_threshold, &out->undeliverable)) != STORE_OK)
		return rc;
	if ((rc = st_prepare(st, "SELECT category, count(*) FROM prefs WHERE optout = 1 "
			     "GROUP BY category", &stmt)) != STORE_OK)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int	c = sqlite3_column_int(stmt, 0);

		if (c >= 0 && c < CATEGORY_COUNT)
			out->optouts[c] = (long) sqlite3_column_int64(stmt, 1);
	}
	rc = rc == SQLITE_DONE ? STORE_OK : st_sqlerr(st, rc, "statistics");
	st_finalize(st, stmt);
	return rc;
}
