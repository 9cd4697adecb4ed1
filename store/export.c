/*
 * NAME
 *	export 3
 * SUMMARY
 *	the customer's own data, as JSON
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	store_export_json() writes one JSON object (jansson) with the
 *	customer's profile, contracts, preferences, consent log, messages
 *	sent and bounce count. Times are ISO 8601 UTC strings, null when
 *	unknown. It is the only export: there is no bulk export.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store_int.h"

#define ISO_TIME_LEN	32

/* json_time - ISO 8601 UTC, or null for an unknown time */
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

/* export_contract - one contract into the array ARG */
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

/* export_consent - one consent event into the array ARG */
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

/* export_messages - the Message-IDs sent to the customer */
static int
export_messages(struct store *st, int64_t id, json_t *a)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT message_id, category, sent FROM msglog "
			     "WHERE customer_id = ? ORDER BY sent, message_id", &s)) != STORE_OK)
		return rc;
	db_bind_int(s, 1, id);
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(a, json_pack("{s:s, s:s, s:o}",
						   "message_id",
						   db_col_text(s, 0),
						   "category",
						   category_name((enum category)
								       db_col_int(s, 1)),
						   "sent", json_time((time_t)
								     db_col_int(s, 2))));
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "message log");
	db_finish(s);
	return rc;
}

/* export_prefs - "accepted" or "refused" per refusable category */
static int
export_prefs(struct store *st, int64_t id, json_t *prefs)
{
	int	cat, v;

	for (cat = 0; cat < CATEGORY_COUNT; cat++) {
		if (!category_refusable((enum category) cat))
			continue;
		if ((v = store_is_optout(st, id, (enum category) cat)) < 0)
			return (v);
		json_object_set_new(prefs, category_name((enum category) cat),
				    json_string(v ? "refused" : "accepted"));
	}
	return (STORE_OK);
}

/* export_bounces - the bounce count of the address */
static int
export_bounces(struct store *st, const char *email, long *bounces)
{
	unsigned char idx[CRYPT_MAC_LEN];
	struct db_stmt *s;
	int	rc;

	*bounces = 0;
	st_email_index(st, email, idx);
	if ((rc = db_prepare(st, "SELECT coalesce(sum(count), 0) FROM bounces WHERE hash = ?",
			     &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, idx, CRYPT_MAC_LEN);
	if ((rc = db_step(s)) == DB_ROW) {
		*bounces = (long) db_col_int(s, 0);
		rc = STORE_OK;
	} else
		rc = db_error(st, rc == DB_DONE ? STORE_ERR : rc, "bounce count");
	db_finish(s);
	return (rc);
}

/* store_export_json - the customer's own data as one JSON object */
int
store_export_json(struct store *st, int64_t customer_id, FILE *fp)
{
	struct store_customer c;
	json_t *root = NULL, *contracts, *consent, *messages, *prefs;
	long	bounces = 0;
	int	rc;

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
	if ((rc = export_prefs(st, customer_id, prefs)) != STORE_OK
	    || (rc = export_bounces(st, c.email, &bounces)) != STORE_OK)
		goto done;
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

