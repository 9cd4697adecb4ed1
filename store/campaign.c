/*
 * NAME
 *	campaign 3
 * SUMMARY
 *	campaigns, deliveries, the message log, the outbox, counters
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	The durable side of links-sender. A campaign is expanded into one
 *	delivery row per recipient with its Message-ID fixed at creation,
 *	so a resumed campaign sends the same Message-ID and nobody gets a
 *	message twice. store_delivery_add() with a NULL message id
 *	generates one. store_delivery_set() counts an attempt for every
 *	status but SKIPPED.
 *
 *	The outbox holds system messages (opt-out confirmations); each row
 *	gets a generated Message-ID "HEX@DOMAIN" (32 hex digits from 16
 *	random bytes; DOMAIN is message_id_domain or the first
 *	company_domains item). Message-IDs are stored without angle
 *	brackets; store_msglog_add() strips them if given.
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

#include "store_int.h"

#define MSGID_INPUT_MAX		998	/* one header line */

static int
text_ok(struct store *st, const char *what, const char *s, size_t max)
{
	if (s && !utf8_text_ok(s, max))
		return st_err(st, STORE_ERR, "invalid %s (not UTF-8 text or longer than %zu bytes)",
			      what, max);
	return STORE_OK;
}

/* Copy a Message-ID without surrounding angle brackets and spaces. */
static int
msgid_clean(struct store *st, const char *in, char *out, size_t outlen)
{
	const char *s, *e;
	size_t	len;

	if (in == NULL)
		return st_err(st, STORE_ERR, "no Message-ID");
	for (s = in; *s == ' ' || *s == '\t' || *s == '<'; s++)
		;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '>'))
		e--;
	len = (size_t) (e - s);
	if (len == 0 || len >= outlen || !memchr(s, '@', len))
		return st_err(st, STORE_ERR, "invalid Message-ID");
	memcpy(out, s, len);
	out[len] = 0;
	for (s = out; *s; s++)
		if ((unsigned char) *s <= ' ' || (unsigned char) *s >= 0x7f || *s == '<' || *s == '>')
			return st_err(st, STORE_ERR, "invalid Message-ID");
	return STORE_OK;
}

static int
step_expect_done(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	int	rc = sqlite3_step(stmt);

	return rc == SQLITE_DONE ? STORE_OK : st_sqlerr(st, rc, what);
}

/* ---- message log ---- */

int
store_msglog_add(struct store *st, const char *message_id, int64_t customer_id,
		 enum category cat, int64_t campaign_id)
{
	char	id[MSGID_INPUT_MAX + 1];
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = msgid_clean(st, message_id, id, sizeof(id))) != STORE_OK)
		return rc;
	if ((unsigned) cat >= CATEGORY_COUNT)
		return st_err(st, STORE_ERR, "invalid category %d", (int) cat);
	if ((rc = st_prepare(st, "INSERT INTO msglog(message_id, customer_id, category, "
			     "campaign_id, sent) VALUES(?, ?, ?, ?, ?) "
			     "ON CONFLICT(message_id) DO NOTHING", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	if (customer_id > 0)
		sqlite3_bind_int64(stmt, 2, customer_id);
	else
		sqlite3_bind_null(stmt, 2);
	sqlite3_bind_int(stmt, 3, (int) cat);
	sqlite3_bind_int64(stmt, 4, campaign_id > 0 ? campaign_id : 0);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64) st_now());
	rc = step_expect_done(st, stmt, "message log");
	st_finalize(st, stmt);
	return rc;
}

int
store_msglog_find(struct store *st, const char *message_id, struct store_msglog *out)
{
	char	id[MSGID_INPUT_MAX + 1];
	sqlite3_stmt *stmt;
	int	rc;

	memset(out, 0, sizeof(*out));
	if (msgid_clean(st, message_id, id, sizeof(id)) != STORE_OK)
		return st_err(st, STORE_NOTFOUND, "not a Message-ID of ours");
	if ((rc = st_prepare(st, "SELECT coalesce(customer_id, 0), category, campaign_id, sent "
			     "FROM msglog WHERE message_id = ?", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->customer_id = sqlite3_column_int64(stmt, 0);
		out->category = (enum category) sqlite3_column_int(stmt, 1);
		out->campaign_id = sqlite3_column_int64(stmt, 2);
		out->sent = (time_t) sqlite3_column_int64(stmt, 3);
		rc = STORE_OK;
	} else if (rc == SQLITE_DONE)
		rc = st_err(st, STORE_NOTFOUND, "not a Message-ID of ours");
	else
		rc = st_sqlerr(st, rc, "message log lookup");
	st_finalize(st, stmt);
	return rc;
}

/* ---- campaigns ---- */

void
store_campaign_clear(struct store_campaign *c)
{
	if (c == NULL)
		return;
	free(c->template_name);
	free(c->audience);
	free(c->params);
	memset(c, 0, sizeof(*c));
}

int
store_campaign_create(struct store *st, enum category cat, const char *template_name,
		      const char *audience, const char *params, int64_t *id)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((unsigned) cat >= CATEGORY_COUNT)
		return st_err(st, STORE_ERR, "invalid category %d", (int) cat);
	if (template_name == NULL || *template_name == 0)
		return st_err(st, STORE_ERR, "a campaign needs a template name");
	if ((rc = text_ok(st, "template name", template_name, STORE_TEXT_MAX)) != STORE_OK
	    || (rc = text_ok(st, "audience", audience, STORE_TEXT_MAX)) != STORE_OK
	    || (rc = text_ok(st, "parameters", params, STORE_PARAMS_MAX)) != STORE_OK)
		return rc;
	if ((rc = st_prepare(st, "INSERT INTO campaigns(category, template, audience, params, "
			     "created) VALUES(?, ?, ?, ?, ?)", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int(stmt, 1, (int) cat);
	sqlite3_bind_text(stmt, 2, template_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, audience ? audience : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, params ? params : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64) st_now());
	rc = step_expect_done(st, stmt, "campaign create");
	if (rc == STORE_OK && id)
		*id = sqlite3_last_insert_rowid(st->db);
	st_finalize(st, stmt);
	return rc;
}

static int
row_to_campaign(struct store *st, sqlite3_stmt *stmt, struct store_campaign *c)
{
	c->id = sqlite3_column_int64(stmt, 0);
	c->category = (enum category) sqlite3_column_int(stmt, 1);
	c->template_name = st_strdup((const char *) sqlite3_column_text(stmt, 2));
	c->audience = st_strdup((const char *) sqlite3_column_text(stmt, 3));
	c->params = st_strdup((const char *) sqlite3_column_text(stmt, 4));
	c->created = (time_t) sqlite3_column_int64(stmt, 5);
	c->finished = sqlite3_column_int(stmt, 6);
	if (!c->template_name || !c->audience || !c->params) {
		store_campaign_clear(c);
		return st_err(st, STORE_TEMP, "out of memory");
	}
	return STORE_OK;
}

#define CAMPAIGN_COLS "id, category, template, audience, params, created, finished"

int
store_campaign_get(struct store *st, int64_t id, struct store_campaign *out)
{
	sqlite3_stmt *stmt;
	int	rc;

	memset(out, 0, sizeof(*out));
	if ((rc = st_prepare(st, "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE id = ?", &stmt))
	    != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		rc = row_to_campaign(st, stmt, out);
	else if (rc == SQLITE_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no campaign %lld", (long long) id);
	else
		rc = st_sqlerr(st, rc, "campaign get");
	st_finalize(st, stmt);
	return rc;
}

int
store_campaign_each(struct store *st, int (*fn)(const struct store_campaign *, void *), void *arg)
{
	struct store_campaign c;
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "SELECT " CAMPAIGN_COLS " FROM campaigns ORDER BY id", &stmt))
	    != STORE_OK)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int	stop;

		if ((rc = row_to_campaign(st, stmt, &c)) != STORE_OK)
			goto done;
		stop = fn(&c, arg);
		store_campaign_clear(&c);
		if (stop) {
			rc = STORE_OK;
			goto done;
		}
	}
	rc = rc == SQLITE_DONE ? STORE_OK : st_sqlerr(st, rc, "campaign list");
done:
	st_finalize(st, stmt);
	return rc;
}

int
store_campaign_finish(struct store *st, int64_t id)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "UPDATE campaigns SET finished = 1 WHERE id = ?", &stmt))
	    != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = step_expect_done(st, stmt, "campaign finish");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = st_err(st, STORE_NOTFOUND, "no campaign %lld", (long long) id);
	st_finalize(st, stmt);
	return rc;
}

/* ---- deliveries ---- */

void
store_delivery_clear(struct store_delivery *d)
{
	if (d == NULL)
		return;
	free(d->message_id);
	free(d->reason);
	memset(d, 0, sizeof(*d));
}

int
store_delivery_add(struct store *st, int64_t campaign_id, int64_t customer_id,
		   const char *message_id, enum store_delivery_status status, const char *reason)
{
	char	id[MSGID_INPUT_MAX + 1];
	sqlite3_stmt *stmt;
	int	rc;

	if (status != STORE_DLV_QUEUED && status != STORE_DLV_SKIPPED)
		return st_err(st, STORE_ERR, "a new delivery is queued or skipped");
	if ((rc = text_ok(st, "reason", reason, STORE_TEXT_MAX)) != STORE_OK)
		return rc;
	if (message_id)
		rc = msgid_clean(st, message_id, id, sizeof(id));
	else
		rc = st_make_message_id(st, id, sizeof(id));
	if (rc != STORE_OK)
		return rc;
	if ((rc = st_prepare(st, "INSERT INTO deliveries(campaign_id, customer_id, message_id, "
			     "status, reason, updated) VALUES(?, ?, ?, ?, ?, ?) "
			     "ON CONFLICT(campaign_id, customer_id) DO NOTHING", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, campaign_id);
	sqlite3_bind_int64(stmt, 2, customer_id);
	sqlite3_bind_text(stmt, 3, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, (int) status);
	sqlite3_bind_text(stmt, 5, reason ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64) st_now());
	rc = step_expect_done(st, stmt, "delivery add");
	st_finalize(st, stmt);
	return rc;
}

int
store_delivery_queued(struct store *st, int64_t campaign_id, int64_t after,
		      struct store_delivery *out, int max)
{
	sqlite3_stmt *stmt;
	int	rc, n = 0, i;

	if (max <= 0)
		return 0;
	if ((rc = st_prepare(st, "SELECT id, campaign_id, customer_id, message_id, status, reason, "
			     "attempts, updated FROM deliveries WHERE campaign_id = ? AND status = 0 "
			     "AND id > ? ORDER BY id LIMIT ?", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, campaign_id);
	sqlite3_bind_int64(stmt, 2, after);
	sqlite3_bind_int(stmt, 3, max);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n < max) {
		struct store_delivery *d = &out[n];

		memset(d, 0, sizeof(*d));
		d->id = sqlite3_column_int64(stmt, 0);
		d->campaign_id = sqlite3_column_int64(stmt, 1);
		d->customer_id = sqlite3_column_int64(stmt, 2);
		d->message_id = st_strdup((const char *) sqlite3_column_text(stmt, 3));
		d->status = (enum store_delivery_status) sqlite3_column_int(stmt, 4);
		d->reason = st_strdup((const char *) sqlite3_column_text(stmt, 5));
		d->attempts = sqlite3_column_int(stmt, 6);
		d->updated = (time_t) sqlite3_column_int64(stmt, 7);
		n++;
		if (!d->message_id || !d->reason) {
			rc = st_err(st, STORE_TEMP, "out of memory");
			goto fail;
		}
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rc = st_sqlerr(st, rc, "delivery list");
		goto fail;
	}
	st_finalize(st, stmt);
	return n;
fail:
	st_finalize(st, stmt);
	for (i = 0; i < n; i++)
		store_delivery_clear(&out[i]);
	return rc;
}

int
store_delivery_set(struct store *st, int64_t delivery_id, enum store_delivery_status status,
		   const char *reason)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((unsigned) status > STORE_DLV_SKIPPED)
		return st_err(st, STORE_ERR, "invalid delivery status");
	if ((rc = text_ok(st, "reason", reason, STORE_TEXT_MAX)) != STORE_OK)
		return rc;
	if ((rc = st_prepare(st, "UPDATE deliveries SET status = ?1, reason = ?2, updated = ?3, "
			     "attempts = attempts + (?1 <> 3) WHERE id = ?4", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int(stmt, 1, (int) status);
	sqlite3_bind_text(stmt, 2, reason ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64) st_now());
	sqlite3_bind_int64(stmt, 4, delivery_id);
	rc = step_expect_done(st, stmt, "delivery update");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = st_err(st, STORE_NOTFOUND, "no delivery %lld", (long long) delivery_id);
	st_finalize(st, stmt);
	return rc;
}

int
store_delivery_counts(struct store *st, int64_t campaign_id, long counts[4])
{
	sqlite3_stmt *stmt;
	int	rc, s;

	for (s = 0; s < 4; s++)
		counts[s] = 0;
	if ((rc = st_prepare(st, "SELECT status, count(*) FROM deliveries WHERE campaign_id = ? "
			     "GROUP BY status", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, campaign_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		s = sqlite3_column_int(stmt, 0);
		if (s >= 0 && s < 4)
			counts[s] = (long) sqlite3_column_int64(stmt, 1);
	}
	rc = rc == SQLITE_DONE ? STORE_OK : st_sqlerr(st, rc, "delivery counts");
	st_finalize(st, stmt);
	return rc;
}

/* ---- outbox ---- */

void
store_outbox_clear(struct store_outbox *o)
{
	if (o == NULL)
		return;
	free(o->template_name);
	free(o->message_id);
	free(o->reason);
	memset(o, 0, sizeof(*o));
}

int
store_outbox_add(struct store *st, int64_t customer_id, const char *template_name, int64_t *id)
{
	char	msgid[STORE_MSGID_MAX];
	sqlite3_stmt *stmt;
	int	rc;

	if (template_name == NULL || *template_name == 0)
		return st_err(st, STORE_ERR, "an outbox message needs a template name");
	if ((rc = text_ok(st, "template name", template_name, STORE_TEXT_MAX)) != STORE_OK)
		return rc;
	if ((rc = st_make_message_id(st, msgid, sizeof(msgid))) != STORE_OK)
		return rc;
	if ((rc = st_prepare(st, "INSERT INTO outbox(customer_id, template, message_id, queued) "
			     "VALUES(?, ?, ?, ?)", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, customer_id);
	sqlite3_bind_text(stmt, 2, template_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, msgid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64) st_now());
	rc = step_expect_done(st, stmt, "outbox add");
	if (rc == STORE_OK && id)
		*id = sqlite3_last_insert_rowid(st->db);
	st_finalize(st, stmt);
	return rc;
}

int
store_outbox_pending(struct store *st, int64_t after, struct store_outbox *out, int max)
{
	sqlite3_stmt *stmt;
	int	rc, n = 0, i;

	if (max <= 0)
		return 0;
	if ((rc = st_prepare(st, "SELECT id, customer_id, template, message_id, queued, reason FROM outbox "
			     "WHERE status = 0 AND id > ? ORDER BY id LIMIT ?", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int(stmt, 2, max);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n < max) {
		struct store_outbox *o = &out[n];

		memset(o, 0, sizeof(*o));
		o->id = sqlite3_column_int64(stmt, 0);
		o->customer_id = sqlite3_column_int64(stmt, 1);
		o->template_name = st_strdup((const char *) sqlite3_column_text(stmt, 2));
		o->message_id = st_strdup((const char *) sqlite3_column_text(stmt, 3));
		o->queued = (time_t) sqlite3_column_int64(stmt, 4);
		o->reason = st_strdup((const char *) sqlite3_column_text(stmt, 5));
		n++;
		if (!o->template_name || !o->message_id || !o->reason) {
			rc = st_err(st, STORE_TEMP, "out of memory");
			goto fail;
		}
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rc = st_sqlerr(st, rc, "outbox list");
		goto fail;
	}
	st_finalize(st, stmt);
	return n;
fail:
	st_finalize(st, stmt);
	for (i = 0; i < n; i++)
		store_outbox_clear(&out[i]);
	return rc;
}

int
store_outbox_done(struct store *st, int64_t id, int sent_ok, const char *reason)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = text_ok(st, "reason", reason, STORE_TEXT_MAX)) != STORE_OK)
		return rc;
	if ((rc = st_prepare(st, "UPDATE outbox SET status = ?, reason = ?, done = ? WHERE id = ?",
			     &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int(stmt, 1, sent_ok ? 1 : 2);
	sqlite3_bind_text(stmt, 2, reason ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64) st_now());
	sqlite3_bind_int64(stmt, 4, id);
	rc = step_expect_done(st, stmt, "outbox update");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = st_err(st, STORE_NOTFOUND, "no outbox message %lld", (long long) id);
	st_finalize(st, stmt);
	return rc;
}

int
store_outbox_set(struct store *st, int64_t id, enum store_delivery_status status,
		 const char *reason)
{
	sqlite3_stmt *stmt;
	int	rc;

	if (status == STORE_DLV_SENT || status == STORE_DLV_FAILED || status == STORE_DLV_SKIPPED)
		return store_outbox_done(st, id, status == STORE_DLV_SENT, reason);
	if (status != STORE_DLV_QUEUED)
		return st_err(st, STORE_ERR, "invalid outbox status");
	if ((rc = text_ok(st, "reason", reason, STORE_TEXT_MAX)) != STORE_OK)
		return rc;
	if ((rc = st_prepare(st, "UPDATE outbox SET reason = ? WHERE id = ? AND status = 0",
			     &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, reason ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, id);
	rc = step_expect_done(st, stmt, "outbox update");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = st_err(st, STORE_NOTFOUND, "no pending outbox message %lld", (long long) id);
	st_finalize(st, stmt);
	return rc;
}

/* ---- counters ---- */

int
store_counter_add(struct store *st, const char *name, long delta)
{
	sqlite3_stmt *stmt;
	int	rc;

	if (name == NULL || *name == 0 || !utf8_text_ok(name, STORE_REF_MAX))
		return st_err(st, STORE_ERR, "invalid counter name");
	if ((rc = st_prepare(st, "INSERT INTO counters(name, value) VALUES(?1, ?2) "
			     "ON CONFLICT(name) DO UPDATE SET value = value + ?2", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, delta);
	rc = step_expect_done(st, stmt, "counter");
	st_finalize(st, stmt);
	return rc;
}

int
store_counter_each(struct store *st, int (*fn)(const char *, long, void *), void *arg)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "SELECT name, value FROM counters ORDER BY name", &stmt))
	    != STORE_OK)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (fn((const char *) sqlite3_column_text(stmt, 0),
		       (long) sqlite3_column_int64(stmt, 1), arg)) {
			rc = SQLITE_DONE;
			break;
		}
	rc = rc == SQLITE_DONE ? STORE_OK : st_sqlerr(st, rc, "counter list");
	st_finalize(st, stmt);
	return rc;
}
