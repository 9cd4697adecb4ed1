/*
 * NAME
 *	campaign_store 3
 * SUMMARY
 *	the store's side of links-sender: campaigns, deliveries, message log
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	(Not sender/campaign.c, which runs campaigns: this module keeps
 *	their rows.) A campaign is expanded into one delivery row per
 *	recipient with its Message-ID fixed at creation, so a resumed
 *	campaign sends the same Message-ID and nobody gets a message
 *	twice. store_delivery_add() with a NULL message id generates one;
 *	a second add for the same (campaign, customer) changes nothing
 *	(ON CONFLICT DO NOTHING), whichever host adds it.
 *	store_delivery_set() counts an attempt for every status but
 *	SKIPPED.
 *
 *	The message log records every Message-ID we sent (without angle
 *	brackets; store_msglog_add() strips them if given), so that a reply
 *	or a bounce can be matched to the customer and the campaign;
 *	store_msglog_last() gives when a category last reached a customer
 *	(links-sender's frequency cap for promotions).
 *
 *	Text columns (template names, audiences, reasons) are limited to
 *	STORE_TEXT_MAX bytes, campaign parameters to STORE_PARAMS_MAX;
 *	all must be UTF-8 text.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_int.h"

/* ---- message log ---- */

/* store_msglog_add - record a Message-ID we sent */
int
store_msglog_add(struct store *st, const char *message_id, int64_t customer_id,
		 enum category cat, int64_t campaign_id)
{
	char	id[STORE_MSGID_INPUT_MAX + 1];
	struct db_stmt *s;
	int	rc;

	if ((rc = st_msgid_clean(st, message_id, id, sizeof(id))) != STORE_OK)
		return rc;
	if ((unsigned) cat >= CATEGORY_COUNT)
		return st_err(st, STORE_ERR, "invalid category %d", (int) cat);
	if ((rc = db_prepare(st, "INSERT INTO msglog(message_id, customer_id, category, "
			     "campaign_id, sent) VALUES(?, ?, ?, ?, ?) "
			     "ON CONFLICT(message_id) DO NOTHING", &s)) != STORE_OK)
		return rc;
	db_bind_text(s, 1, id);
	if (customer_id > 0)
		db_bind_int(s, 2, customer_id);
	else
		db_bind_null(s, 2);
	db_bind_int(s, 3, (int) cat);
	db_bind_int(s, 4, campaign_id > 0 ? campaign_id : 0);
	db_bind_int(s, 5, (int64_t) st_now());
	rc = st_run(st, s, "message log");
	db_finish(s);
	return rc;
}

/* store_msglog_find - the log entry of a Message-ID */
int
store_msglog_find(struct store *st, const char *message_id, struct store_msglog *out)
{
	char	id[STORE_MSGID_INPUT_MAX + 1];
	struct db_stmt *s;
	int	rc;

	memset(out, 0, sizeof(*out));
	if (st_msgid_clean(st, message_id, id, sizeof(id)) != STORE_OK)
		return st_err(st, STORE_NOTFOUND, "not a Message-ID of ours");
	if ((rc = db_prepare(st, "SELECT coalesce(customer_id, 0), category, campaign_id, sent "
			     "FROM msglog WHERE message_id = ?", &s)) != STORE_OK)
		return rc;
	db_bind_text(s, 1, id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		out->customer_id = db_col_int(s, 0);
		out->category = (enum category) db_col_int(s, 1);
		out->campaign_id = db_col_int(s, 2);
		out->sent = (time_t) db_col_int(s, 3);
		rc = STORE_OK;
	} else if (rc == DB_DONE)
		rc = st_err(st, STORE_NOTFOUND, "not a Message-ID of ours");
	else
		rc = db_error(st, rc, "message log lookup");
	db_finish(s);
	return rc;
}

/* store_msglog_last - the latest message of CAT to a customer outside a campaign */
int
store_msglog_last(struct store *st, int64_t customer_id, enum category cat,
		  int64_t except_campaign, time_t *when)
{
	struct db_stmt *s;
	int	rc;

	*when = 0;
	if ((unsigned) cat >= CATEGORY_COUNT)
		return st_err(st, STORE_ERR, "invalid category %d", (int) cat);
	if ((rc = db_prepare(st, "SELECT coalesce(max(sent), 0) FROM msglog WHERE customer_id = ? "
			     "AND category = ? AND campaign_id <> ?", &s)) != STORE_OK)
		return rc;
	db_bind_int(s, 1, customer_id);
	db_bind_int(s, 2, (int) cat);
	db_bind_int(s, 3, except_campaign);
	rc = db_step(s);
	if (rc == DB_ROW) {
		*when = (time_t) db_col_int(s, 0);
		rc = STORE_OK;
	} else if (rc == DB_DONE)
		rc = STORE_OK;
	else
		rc = db_error(st, rc, "message log lookup");
	db_finish(s);
	return rc;
}

/* ---- campaigns ---- */

/* store_campaign_clear - free a campaign record's strings */
void
store_campaign_clear(struct store_campaign *c)
{
	if (c == NULL)
		return;
	free(c->template_name);
	free(c->audience);
	crypt_str_free(c->params);
	memset(c, 0, sizeof(*c));
}

/* campaign_insert - the row, then its parameters sealed with its id */
static int
campaign_insert(struct store *st, enum category cat, const char *template_name,
		const char *audience, const char *params, int64_t *idp)
{
	struct db_stmt *s;
	int64_t	id = 0;
	int	rc;

	if ((rc = db_prepare(st, "INSERT INTO campaigns(category, template, audience, params, "
			     "created) VALUES(?, ?, ?, '', ?) RETURNING id", &s)) != STORE_OK)
		return rc;
	db_bind_int(s, 1, (int) cat);
	db_bind_text(s, 2, template_name);
	db_bind_text(s, 3, audience ? audience : "");
	db_bind_int(s, 4, (int64_t) st_now());
	rc = st_returning_id(st, s, &id, "campaign create");
	db_finish(s);
	if (rc != STORE_OK)
		return rc;
	if ((rc = db_prepare(st, "UPDATE campaigns SET params_ct = ? WHERE id = ?", &s)) != STORE_OK)
		return rc;
	if ((rc = st_bind_sealed(st, s, 1, id, CRYPT_F_PARAMS, params)) == STORE_OK) {
		db_bind_int(s, 2, id);
		rc = st_run(st, s, "campaign parameters");
	}
	db_finish(s);
	if (rc == STORE_OK && idp)
		*idp = id;
	return rc;
}

/* store_campaign_create - a new campaign row */
int
store_campaign_create(struct store *st, enum category cat, const char *template_name,
		      const char *audience, const char *params, int64_t *id)
{
	int	rc;

	if ((unsigned) cat >= CATEGORY_COUNT)
		return st_err(st, STORE_ERR, "invalid category %d", (int) cat);
	if (template_name == NULL || *template_name == 0)
		return st_err(st, STORE_ERR, "a campaign needs a template name");
	if ((rc = st_text_ok(st, "template name", template_name, STORE_TEXT_MAX)) != STORE_OK
	    || (rc = st_text_ok(st, "audience", audience, STORE_TEXT_MAX)) != STORE_OK
	    || (rc = st_text_ok(st, "parameters", params, STORE_PARAMS_MAX)) != STORE_OK)
		return rc;
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return rc;
	rc = campaign_insert(st, cat, template_name, audience, params ? params : "{}", id);
	return st_tx_end(st, rc);
}

/* row_to_campaign - a record from a CAMPAIGN_COLS row */
static int
row_to_campaign(struct store *st, struct db_stmt *s, struct store_campaign *c)
{
	size_t	len;
	int	rc;

	c->id = db_col_int(s, 0);
	c->category = (enum category) db_col_int(s, 1);
	c->template_name = st_strdup(db_col_text(s, 2));
	c->audience = st_strdup(db_col_text(s, 3));
	c->created = (time_t) db_col_int(s, 5);
	c->finished = db_col_int(s, 6);
	(void) db_col_blob(s, 7, &len);
	if (len > 0) {
		if ((rc = st_unseal_col(st, s, 7, c->id, CRYPT_F_PARAMS, &c->params)) != STORE_OK) {
			store_campaign_clear(c);
			return rc;
		}
	} else
		c->params = st_strdup(db_col_text(s, 4));	/* erased: "" */
	if (!c->template_name || !c->audience || !c->params) {
		store_campaign_clear(c);
		return st_err(st, STORE_TEMP, "out of memory");
	}
	return STORE_OK;
}

#define CAMPAIGN_COLS "id, category, template, audience, params, created, finished, params_ct"

/* store_campaign_get - one campaign by id */
int
store_campaign_get(struct store *st, int64_t id, struct store_campaign *out)
{
	struct db_stmt *s;
	int	rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(st, "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE id = ?", &s))
	    != STORE_OK)
		return rc;
	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc == DB_ROW)
		rc = row_to_campaign(st, s, out);
	else if (rc == DB_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no campaign %lld", (long long) id);
	else
		rc = db_error(st, rc, "campaign get");
	db_finish(s);
	return rc;
}

/* store_campaign_each - FN for each campaign in id order */
int
store_campaign_each(struct store *st, int (*fn)(const struct store_campaign *, void *), void *arg)
{
	struct store_campaign c;
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT " CAMPAIGN_COLS " FROM campaigns ORDER BY id", &s))
	    != STORE_OK)
		return rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int	stop;

		if ((rc = row_to_campaign(st, s, &c)) != STORE_OK)
			goto done;
		stop = fn(&c, arg);
		store_campaign_clear(&c);
		if (stop) {
			rc = STORE_OK;
			goto done;
		}
	}
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "campaign list");
done:
	db_finish(s);
	return rc;
}

/* store_campaign_finish - mark a campaign finished */
int
store_campaign_finish(struct store *st, int64_t id)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "UPDATE campaigns SET finished = 1 WHERE id = ?", &s))
	    != STORE_OK)
		return rc;
	db_bind_int(s, 1, id);
	rc = st_run(st, s, "campaign finish");
	if (rc == STORE_OK && db_changes(s) == 0)
		rc = st_err(st, STORE_NOTFOUND, "no campaign %lld", (long long) id);
	db_finish(s);
	return rc;
}

/* ---- deliveries ---- */

/* store_delivery_clear - free a delivery record's strings */
void
store_delivery_clear(struct store_delivery *d)
{
	if (d == NULL)
		return;
	free(d->message_id);
	free(d->reason);
	memset(d, 0, sizeof(*d));
}

/* store_delivery_add - one delivery row, idempotent */
int
store_delivery_add(struct store *st, int64_t campaign_id, int64_t customer_id,
		   const char *message_id, enum store_delivery_status status, const char *reason)
{
	char	id[STORE_MSGID_INPUT_MAX + 1], clean[STORE_TEXT_MAX + 1];
	struct db_stmt *s;
	int	rc;

	if (status != STORE_DLV_QUEUED && status != STORE_DLV_SKIPPED)
		return st_err(st, STORE_ERR, "a new delivery is queued or skipped");
	if ((rc = st_text_ok(st, "reason", reason, STORE_TEXT_MAX)) != STORE_OK)
		return rc;
	st_reason_redact(reason, customer_id, clean, sizeof(clean));
	if (message_id)
		rc = st_msgid_clean(st, message_id, id, sizeof(id));
	else
		rc = st_make_message_id(st, id, sizeof(id));
	if (rc != STORE_OK)
		return rc;
	if ((rc = db_prepare(st, "INSERT INTO deliveries(campaign_id, customer_id, message_id, "
			     "status, reason, updated) VALUES(?, ?, ?, ?, ?, ?) "
			     "ON CONFLICT(campaign_id, customer_id) DO NOTHING", &s)) != STORE_OK)
		return rc;
	db_bind_int(s, 1, campaign_id);
	db_bind_int(s, 2, customer_id);
	db_bind_text(s, 3, id);
	db_bind_int(s, 4, (int) status);
	db_bind_text(s, 5, clean);
	db_bind_int(s, 6, (int64_t) st_now());
	rc = st_run(st, s, "delivery add");
	db_finish(s);
	return rc;
}

/* st_delivery_row - a store_delivery REC from its columns, in its order */
int
st_delivery_row(struct store *st, struct db_stmt *s, void *rec)
{
	struct store_delivery *d = rec;

	memset(d, 0, sizeof(*d));
	d->id = db_col_int(s, 0);
	d->campaign_id = db_col_int(s, 1);
	d->customer_id = db_col_int(s, 2);
	d->message_id = st_strdup(db_col_text(s, 3));
	d->status = (enum store_delivery_status) db_col_int(s, 4);
	d->reason = st_strdup(db_col_text(s, 5));
	d->attempts = (int) db_col_int(s, 6);
	d->updated = (time_t) db_col_int(s, 7);
	if (!d->message_id || !d->reason)
		return (st_err(st, STORE_TEMP, "out of memory"));
	return (STORE_OK);
}

/* st_delivery_row_clear - store_delivery_clear() of REC, for st_rows_read() */
void
st_delivery_row_clear(void *rec)
{
	store_delivery_clear(rec);
}

/* store_delivery_queued - up to MAX queued rows after AFTER */
int
store_delivery_queued(struct store *st, int64_t campaign_id, int64_t after,
		      struct store_delivery *out, int max)
{
	struct db_stmt *s;
	int	rc;

	if (max <= 0)
		return 0;
	if ((rc = db_prepare(st, "SELECT id, campaign_id, customer_id, message_id, status, reason, "
			     "attempts, updated FROM deliveries WHERE campaign_id = ? AND status = 0 "
			     "AND id > ? ORDER BY id LIMIT ?", &s)) != STORE_OK)
		return rc;
	db_bind_int(s, 1, campaign_id);
	db_bind_int(s, 2, after);
	db_bind_int(s, 3, max);
	return (st_rows_read(st, s, out, sizeof(*out), max, st_delivery_row, st_delivery_row_clear,
			     "delivery list"));
}

/* store_delivery_set - the outcome of one delivery */
int
store_delivery_set(struct store *st, int64_t delivery_id, enum store_delivery_status status,
		   const char *reason)
{
	char	clean[STORE_TEXT_MAX + 1];
	struct db_stmt *s;
	int	rc;

	if ((unsigned) status > STORE_DLV_SKIPPED)
		return st_err(st, STORE_ERR, "invalid delivery status");
	if ((rc = st_text_ok(st, "reason", reason, STORE_TEXT_MAX)) != STORE_OK
	    || (rc = st_reason_of_row(st, "deliveries", delivery_id, reason, clean,
				      sizeof(clean))) != STORE_OK)
		return rc;
	if ((rc = db_prepare(st, "UPDATE deliveries SET status = ?1, reason = ?2, updated = ?3, "
			     "attempts = attempts + CASE WHEN ?1 <> 3 THEN 1 ELSE 0 END WHERE id = ?4", &s)) != STORE_OK)
		return rc;
	db_bind_int(s, 1, (int) status);
	db_bind_text(s, 2, clean);
	db_bind_int(s, 3, (int64_t) st_now());
	db_bind_int(s, 4, delivery_id);
	rc = st_run(st, s, "delivery update");
	if (rc == STORE_OK && db_changes(s) == 0)
		rc = st_err(st, STORE_NOTFOUND, "no delivery %lld", (long long) delivery_id);
	db_finish(s);
	return rc;
}

/* store_delivery_counts - rows per status of a campaign */
int
store_delivery_counts(struct store *st, int64_t campaign_id, long counts[4])
{
	struct db_stmt *s;
	int64_t	k;
	int	rc, i;

	for (i = 0; i < 4; i++)
		counts[i] = 0;
	if ((rc = db_prepare(st, "SELECT status, count(*) FROM deliveries WHERE campaign_id = ? "
			     "GROUP BY status", &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, campaign_id);
	while ((rc = db_step(s)) == DB_ROW) {
		k = db_col_int(s, 0);
		if (k >= 0 && k < 4)
			counts[k] = (long) db_col_int(s, 1);
	}
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "delivery counts");
	db_finish(s);
	return (rc);
}

