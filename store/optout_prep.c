/*
 * NAME
 *	optout_prep 3
 * SUMMARY
 *	a refusal's work done before the write lock
 * SYNOPSIS
 *	#include "store.h"
 *
 *	struct store_optout_prep *store_optout_prepare(struct store *st,
 *			int64_t customer_id, const struct store_reply_thread *t);
 *	void	store_optout_prep_free(struct store_optout_prep *p);
 * DESCRIPTION
 *	The milter's group commit runs the writes of many messages one
 *	after the other in one transaction, holding the write lock: what a
 *	refusal computes there every other refusal waits for. Opening the
 *	customer's sealed address (AES-256-GCM), its suppression hash
 *	(HMAC-SHA256), the confirmation's random Message-ID and its sealed
 *	thread need no lock, so store_optout_prepare() does them before, on
 *	the caller's own connection, in parallel with the other messages.
 *
 *	Inside the transaction, under the customer's row lock,
 *	st_prep_subject() reads the sealed address again and uses the hash
 *	only when the stored ciphertext is byte for byte the one prepared
 *	(a nonce is random: an address rewritten in between, even to the
 *	same text, has another ciphertext, and is then opened and hashed
 *	again there). The confirmation's Message-ID and sealed thread do not
 *	depend on the database, only on the customer (the row sealed for):
 *	st_outbox_add_prepared() writes them as they are.
 * DIAGNOSTICS
 *	store_optout_prepare() returns NULL with store_errmsg() set.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_int.h"

/* store_optout_prep_free - free P (NULL: nothing) */
void
store_optout_prep_free(struct store_optout_prep *p)
{
	if (p == NULL)
		return;
	free(p->email_ct);
	free(p->thread_ct);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
}

/* prep_address - P's sealed address (copied) and its suppression hash */
static int
prep_address(struct store *st, struct store_optout_prep *p)
{
	struct db_stmt *s;
	const void *ct;
	char   *email = NULL;
	int	rc;

	if ((rc = db_prepare(st, "SELECT email_ct FROM customers WHERE id = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, p->customer_id);
	rc = db_step(s);
	if (rc == DB_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no customer %lld", (long long) p->customer_id);
	else if (rc != DB_ROW)
		rc = db_error(st, rc, "customer email");
	else if ((ct = db_col_blob(s, 0, &p->email_ct_len)) == NULL || p->email_ct_len == 0)
		rc = st_err(st, STORE_ERR, "customer %lld has no address",
			    (long long) p->customer_id);
	else if ((p->email_ct = malloc(p->email_ct_len)) == NULL)
		rc = st_err(st, STORE_TEMP, "out of memory");
	else {
		memcpy(p->email_ct, ct, p->email_ct_len);
		rc = st_unseal_col(st, s, 0, p->customer_id, CRYPT_F_EMAIL, &email);
	}
	db_finish(s);
	if (rc == STORE_OK)
		st_email_suphash(st, email, p->subject);
	crypt_str_free(email);
	return (rc);
}

/*
 * store_optout_prepare - the lock-free part of CUSTOMER_ID's refusal,
 * answering reply T (NULL: none); the caller frees it with
 * store_optout_prep_free(); NULL with store_errmsg()
 */
struct store_optout_prep *
store_optout_prepare(struct store *st, int64_t customer_id, const struct store_reply_thread *t)
{
	struct store_optout_prep *p;
	char	thread[STORE_THREAD_MAX + 1];
	int	rc;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		(void) st_err(st, STORE_TEMP, "out of memory");
		return (NULL);
	}
	p->customer_id = customer_id;
	if ((rc = prep_address(st, p)) != STORE_OK
	    || (rc = st_make_message_id(st, p->msgid, sizeof(p->msgid))) != STORE_OK)
		goto fail;
	st_thread_build(st, t, thread, sizeof(thread));
	if (thread[0])
		rc = st_seal(st, &st->keys, customer_id, CRYPT_F_THREAD, thread, &p->thread_ct,
			     &p->thread_ct_len);
	OPENSSL_cleanse(thread, sizeof(thread));
	if (rc != STORE_OK)
		goto fail;
	return (p);
fail:
	store_optout_prep_free(p);
	return (NULL);
}

/*
 * st_prep_subject - P's suppression hash into SUBJECT when the customer's
 * sealed address is still the one P read: 1; 0 when it is not (or the
 * row is gone: the caller's own lookup says so); < 0 on error
 */
int
st_prep_subject(struct store *st, const struct store_optout_prep *p,
		unsigned char subject[CRYPT_MAC_LEN])
{
	struct db_stmt *s;
	const void *ct;
	size_t	len = 0;
	int	rc;

	if ((rc = db_prepare(st, "SELECT email_ct FROM customers WHERE id = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, p->customer_id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		ct = db_col_blob(s, 0, &len);
		rc = ct != NULL && len == p->email_ct_len && memcmp(ct, p->email_ct, len) == 0;
	} else
		rc = rc == DB_DONE ? 0 : db_error(st, rc, "customer email");
	db_finish(s);
	if (rc == 1)
		memcpy(subject, p->subject, CRYPT_MAC_LEN);
	return (rc);
}
