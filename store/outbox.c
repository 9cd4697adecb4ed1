/*
 * NAME
 *	outbox 3
 * SUMMARY
 *	system messages waiting to be sent (opt-out confirmations)
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	Each outbox row gets a generated Message-ID "HEX@DOMAIN" (msgid.c)
 *	when it is queued, inside the transaction that records the
 *	refusal; links-sender's outbox source reads pending rows and marks
 *	them done. A row is marked done once: store_outbox_done() of a row
 *	another sender already finished is STORE_NOTFOUND.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- outbox ---- */

/* store_outbox_clear - free an outbox record's strings */
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

/* store_outbox_add - queue one system message */
int
store_outbox_add(struct store *st, int64_t customer_id, const char *template_name, int64_t *id)
{
	char	msgid[STORE_MSGID_MAX];
	struct db_stmt *s;
	int	rc;

	if (template_name == NULL || *template_name == 0)
		return st_err(st, STORE_ERR, "an outbox message needs a template name");
	if ((rc = st_text_ok(st, "template name", template_name, STORE_TEXT_MAX)) != STORE_OK)
		return rc;
	if ((rc = st_make_message_id(st, msgid, sizeof(msgid))) != STORE_OK)
		return rc;
	if ((rc = db_prepare(st, "INSERT INTO outbox(customer_id, template, message_id, queued) "
			     "VALUES(?, ?, ?, ?) RETURNING id", &s)) != STORE_OK)
		return rc;
	db_bind_int(s, 1, customer_id);
	db_bind_text(s, 2, template_name);
	db_bind_text(s, 3, msgid);
	db_bind_int(s, 4, (int64_t) st_now());
	rc = st_returning_id(st, s, id, "outbox add");
	db_finish(s);
	return rc;
}

/* st_outbox_row - a store_outbox REC from "id, customer_id, template, message_id, queued, reason" */
int
st_outbox_row(struct store *st, struct db_stmt *s, void *rec)
{
	struct store_outbox *o = rec;

	memset(o, 0, sizeof(*o));
	o->id = db_col_int(s, 0);
	o->customer_id = db_col_int(s, 1);
	o->template_name = st_strdup(db_col_text(s, 2));
	o->message_id = st_strdup(db_col_text(s, 3));
	o->queued = (time_t) db_col_int(s, 4);
	o->reason = st_strdup(db_col_text(s, 5));
	if (!o->template_name || !o->message_id || !o->reason)
		return (st_err(st, STORE_TEMP, "out of memory"));
	return (STORE_OK);
}

/* st_outbox_row_clear - store_outbox_clear() of REC, for st_rows_read() */
void
st_outbox_row_clear(void *rec)
{
	store_outbox_clear(rec);
}

/* store_outbox_pending - up to MAX pending rows after AFTER */
int
store_outbox_pending(struct store *st, int64_t after, struct store_outbox *out, int max)
{
	struct db_stmt *s;
	int	rc;

	if (max <= 0)
		return 0;
	if ((rc = db_prepare(st, "SELECT id, customer_id, template, message_id, queued, reason FROM outbox "
			     "WHERE status = 0 AND id > ? ORDER BY id LIMIT ?", &s)) != STORE_OK)
		return rc;
	db_bind_int(s, 1, after);
	db_bind_int(s, 2, max);
	return (st_rows_read(st, s, out, sizeof(*out), max, st_outbox_row, st_outbox_row_clear,
			     "outbox list"));
}

/* store_outbox_done - the outcome of one outbox message */
int
store_outbox_done(struct store *st, int64_t id, int sent_ok, const char *reason)
{
	char	clean[STORE_TEXT_MAX + 1];
	struct db_stmt *s;
	int	rc;

	if ((rc = st_text_ok(st, "reason", reason, STORE_TEXT_MAX)) != STORE_OK
	    || (rc = st_reason_of_row(st, "outbox", id, reason, clean, sizeof(clean))) != STORE_OK)
		return rc;
	if ((rc = db_prepare(st, "UPDATE outbox SET status = ?, reason = ?, done = ? WHERE id = ?",
			     &s)) != STORE_OK)
		return rc;
	db_bind_int(s, 1, sent_ok ? 1 : 2);
	db_bind_text(s, 2, clean);
	db_bind_int(s, 3, (int64_t) st_now());
	db_bind_int(s, 4, id);
	rc = st_run(st, s, "outbox update");
	if (rc == STORE_OK && db_changes(s) == 0)
		rc = st_err(st, STORE_NOTFOUND, "no outbox message %lld", (long long) id);
	db_finish(s);
	return rc;
}

/* store_outbox_set - the delivery engine's outcome (QUEUED: still pending, with REASON) */
int
store_outbox_set(struct store *st, int64_t id, enum store_delivery_status status,
		 const char *reason)
{
	char	clean[STORE_TEXT_MAX + 1];
	struct db_stmt *s;
	int	rc;

	if (status == STORE_DLV_SENT || status == STORE_DLV_FAILED || status == STORE_DLV_SKIPPED)
		return (store_outbox_done(st, id, status == STORE_DLV_SENT, reason));
	if (status != STORE_DLV_QUEUED)
		return (st_err(st, STORE_ERR, "invalid outbox status"));
	if ((rc = st_text_ok(st, "reason", reason, STORE_TEXT_MAX)) != STORE_OK
	    || (rc = st_reason_of_row(st, "outbox", id, reason, clean, sizeof(clean))) != STORE_OK)
		return (rc);
	if ((rc = db_prepare(st, "UPDATE outbox SET reason = ? WHERE id = ? AND status = 0",
			     &s)) != STORE_OK)
		return (rc);
	db_bind_text(s, 1, clean);
	db_bind_int(s, 2, id);
	rc = st_run(st, s, "outbox update");
	if (rc == STORE_OK && db_changes(s) == 0)
		rc = st_err(st, STORE_NOTFOUND, "no pending outbox message %lld", (long long) id);
	db_finish(s);
	return (rc);
}
