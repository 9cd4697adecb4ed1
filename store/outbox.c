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
 *
 *	A confirmation of a refusal received in a reply answers that reply
 *	(issue 18): st_outbox_add_thread() keeps the References of the
 *	answer (st_thread_build()) in thread_ct, sealed with the customer id as
 *	row (rekey.c re-seals it, the row goes with the customer), and
 *	store_outbox_done() empties it: the customer's Message-IDs are kept
 *	only while the confirmation waits.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_int.h"

#define THREAD_SPACE	" \t\r\n"

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
	crypt_str_free(o->thread);
	memset(o, 0, sizeof(*o));
}

/* thread_put - append identifier ID as "<ID>" to OUT (length *LEN); 0, or -1 if it is not one */
static int
thread_put(struct store *st, const char *id, size_t idlen, char *out, size_t outlen, size_t *len)
{
	char	raw[STORE_THREAD_ID_MAX + 3], clean[STORE_THREAD_ID_MAX + 1];
	int	n;

	if (idlen > STORE_THREAD_ID_MAX + 2)
		return (-1);
	memcpy(raw, id, idlen);
	raw[idlen] = 0;
	if (st_msgid_clean(st, raw, clean, sizeof(clean)) != STORE_OK)
		return (-1);
	n = snprintf(out + *len, outlen - *len, "%s<%s>", *len ? " " : "", clean);
	if (n < 0 || (size_t) n >= outlen - *len)
		return (-1);
	*len += (size_t) n;
	return (0);
}

/* thread_next - the next whitespace-separated word at *P (length *LEN), NULL at the end */
static const char *
thread_next(const char **p, size_t *len)
{
	const char *w = *p + strspn(*p, THREAD_SPACE);

	if (*w == 0)
		return (NULL);
	*len = strcspn(w, THREAD_SPACE);
	*p = w + *len;
	return (w);
}

/*
 * st_thread_build - the References of an answer to reply T into OUT: T's
 * references then T's Message-ID (RFC 5322 3.6.4), at most
 * STORE_THREAD_IDS_MAX: the first (the start of the thread) and the
 * latest. "" when T has no valid Message-ID.
 */
void
st_thread_build(struct store *st, const struct store_reply_thread *t, char *out, size_t outlen)
{
	const char *refs = t && t->references ? t->references : "", *p, *w;
	size_t	len = 0, wlen, n = 0, i = 0;

	out[0] = 0;
	if (t == NULL || t->message_id == NULL
	    || thread_put(st, t->message_id, strlen(t->message_id), out, outlen, &len) < 0) {
		out[0] = 0;
		return;
	}
	len = 0;
	for (p = refs; thread_next(&p, &wlen) != NULL; n++)
		;
	/* The reply's own Message-ID comes last: STORE_THREAD_IDS_MAX - 1 before it. */
	for (p = refs; (w = thread_next(&p, &wlen)) != NULL; i++)
		if (i == 0 || i + STORE_THREAD_IDS_MAX - 2 >= n)
			(void) thread_put(st, w, wlen, out, outlen, &len);
	if (thread_put(st, t->message_id, strlen(t->message_id), out, outlen, &len) < 0)
		out[0] = 0;
}

/* store_outbox_add - queue one system message */
int
store_outbox_add(struct store *st, int64_t customer_id, const char *template_name, int64_t *id)
{
	return (st_outbox_add_thread(st, customer_id, template_name, NULL, id));
}

/*
 * outbox_insert - the outbox row of CUSTOMER_ID: TEMPLATE_NAME, MSGID,
 * the sealed thread CT (LEN bytes; NULL: none); its id into *ID when ID
 */
static int
outbox_insert(struct store *st, int64_t customer_id, const char *template_name,
	      const char *msgid, const unsigned char *ct, size_t len, int64_t *id)
{
	struct db_stmt *s;
	int	rc;

	/* RETURNING only when the id is wanted (a refusal's confirmation does not). */
	if ((rc = db_prepare(st, id ? "INSERT INTO outbox(customer_id, template, message_id, "
			     "queued, thread_ct) VALUES(?, ?, ?, ?, ?) RETURNING id"
			     : "INSERT INTO outbox(customer_id, template, message_id, queued, "
			     "thread_ct) VALUES(?, ?, ?, ?, ?)", &s)) != STORE_OK)
		return rc;
	db_bind_int(s, 1, customer_id);
	db_bind_text(s, 2, template_name);
	db_bind_text(s, 3, msgid);
	db_bind_int(s, 4, (int64_t) st_now());
	if (ct != NULL)
		rc = db_bind_blob(s, 5, ct, len);
	else
		db_bind_null(s, 5);
	rc = rc == STORE_OK ? st_returning_id(st, s, id, "outbox add") : db_error(st, rc, "bind");
	db_finish(s);
	return rc;
}

/* st_outbox_add_thread - queue one system message answering reply T (NULL: none) */
int
st_outbox_add_thread(struct store *st, int64_t customer_id, const char *template_name,
		     const struct store_reply_thread *t, int64_t *id)
{
	char	msgid[STORE_MSGID_MAX], thread[STORE_THREAD_MAX + 1];
	unsigned char *ct = NULL;
	size_t	len = 0;
	int	rc;

	if (template_name == NULL || *template_name == 0)
		return st_err(st, STORE_ERR, "an outbox message needs a template name");
	if ((rc = st_text_ok(st, "template name", template_name, STORE_TEXT_MAX)) != STORE_OK)
		return rc;
	if ((rc = st_make_message_id(st, msgid, sizeof(msgid))) != STORE_OK)
		return rc;
	st_thread_build(st, t, thread, sizeof(thread));
	if (thread[0])
		rc = st_seal(st, &st->keys, customer_id, CRYPT_F_THREAD, thread, &ct, &len);
	OPENSSL_cleanse(thread, sizeof(thread));
	if (rc == STORE_OK)
		rc = outbox_insert(st, customer_id, template_name, msgid, ct, len, id);
	free(ct);
	return rc;
}

/*
 * st_outbox_add_prepared - queue the confirmation of CUSTOMER_ID with
 * the Message-ID and sealed thread made before the write lock (P);
 * THREADED 0: without the thread
 */
int
st_outbox_add_prepared(struct store *st, int64_t customer_id, const char *template_name,
		       const struct store_optout_prep *p, int threaded)
{
	return (outbox_insert(st, customer_id, template_name, p->msgid,
			      threaded ? p->thread_ct : NULL, p->thread_ct_len, NULL));
}

/* st_outbox_row - a store_outbox REC from OUTBOX_COLS */
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
	if (!db_col_null(s, 6))
		return (st_unseal_col(st, s, 6, o->customer_id, CRYPT_F_THREAD, &o->thread));
	if ((o->thread = st_strdup("")) == NULL)
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
	if ((rc = db_prepare(st, "SELECT " OUTBOX_COLS " FROM outbox "
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
	/* The customer's Message-IDs are kept only until the answer is done. */
	if ((rc = db_prepare(st, "UPDATE outbox SET status = ?, reason = ?, done = ?, "
			     "thread_ct = NULL WHERE id = ?", &s)) != STORE_OK)
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
