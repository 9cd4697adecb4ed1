/*
 * NAME
 *	readdress 3
 * SUMMARY
 *	a customer's new address
 * SYNOPSIS
 *	#include "readdress.h"
 * DESCRIPTION
 *	See readdress.h. The row is locked first (db_lock_row), so two
 *	hosts changing the same customer cannot both read the old address
 *	and both move its entries; the blind index's UNIQUE constraint
 *	settles two customers taking the same new address at once (the
 *	loser's transaction fails and nothing of it stays).
 * DIAGNOSTICS
 *	See readdress.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "readdress.h"
#include "store_int.h"

/* holder_of - the customer whose blind index is IDX; 0 when none */
static int
holder_of(struct store *st, const unsigned char idx[CRYPT_MAC_LEN], int64_t *holder)
{
	struct db_stmt *s;
	int	rc;

	*holder = 0;
	if ((rc = db_prepare(st, "SELECT id FROM customers WHERE email_idx = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, idx, CRYPT_MAC_LEN);
	if ((rc = db_step(s)) == DB_ROW)
		*holder = db_col_int(s, 0);
	rc = rc == DB_ROW || rc == DB_DONE ? STORE_OK : db_error(st, rc, "customer lookup");
	db_finish(s);
	return (rc);
}

/* move_row - the new blind index and ciphertext; the old address's bounces go */
static int
move_row(struct store *st, int64_t id, const char *old, const char *norm,
	 const unsigned char idx[CRYPT_MAC_LEN])
{
	unsigned char oldidx[CRYPT_MAC_LEN];
	struct db_stmt *s;
	int	rc;

	st_email_index(st, old, oldidx);
	if ((rc = db_prepare(st, "DELETE FROM bounces WHERE hash = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, oldidx, CRYPT_MAC_LEN);
	rc = st_run(st, s, "bounce delete");
	db_finish(s);
	if (rc != STORE_OK)
		return (rc);
	if ((rc = db_prepare(st, "UPDATE customers SET email_idx = ?, email_ct = ?, updated = ? "
			     "WHERE id = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, idx, CRYPT_MAC_LEN);
	if ((rc = st_bind_sealed(st, s, 2, id, CRYPT_F_EMAIL, norm)) == STORE_OK) {
		db_bind_int(s, 3, (int64_t) st_now());
		db_bind_int(s, 4, id);
		rc = st_run(st, s, "customer address update");
	}
	db_finish(s);
	return (rc);
}

/* set_email_locked - the change inside its transaction */
static int
set_email_locked(struct store *st, int64_t id, const char *norm, int *changed)
{
	unsigned char idx[CRYPT_MAC_LEN], sup[CRYPT_MAC_LEN];
	int64_t	holder;
	char   *old = NULL;
	int	rc;

	if ((rc = db_lock_row(st, "customers", id)) != STORE_OK
	    || (rc = st_customer_email(st, id, &old)) != STORE_OK)
		goto done;
	if (strcmp(old, norm) == 0)
		goto done;			/* the same address: nothing to do */
	st_email_index(st, norm, idx);
	if ((rc = holder_of(st, idx, &holder)) != STORE_OK)
		goto done;
	if (holder != 0 && holder != id) {
		rc = st_err(st, STORE_ERR, "the new address belongs to customer %lld; refusing to "
			    "give it to customer %lld", (long long) holder, (long long) id);
		goto done;
	}
	if ((rc = move_row(st, id, old, norm, idx)) != STORE_OK
	    || (rc = st_suppression_apply(st, id, norm)) != STORE_OK)
		goto done;
	st_email_suphash(st, norm, sup);
	if ((rc = st_suppression_sync(st, id, sup)) == STORE_OK)
		*changed = 1;
done:
	crypt_str_free(old);
	return (rc);
}

/* store_customer_set_email - give customer ID a new address (see readdress.h) */
int
store_customer_set_email(struct store *st, int64_t id, const char *email, int *changed)
{
	char	norm[STORE_EMAIL_MAX + 1];
	int	rc, local = 0;

	if (changed == NULL)
		changed = &local;
	*changed = 0;
	if (addr_normalise(email, norm, sizeof(norm)) != 0)
		return (st_err(st, STORE_ERR, "invalid email address"));
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return (rc);
	rc = set_email_locked(st, id, norm, changed);
	rc = st_tx_end(st, rc);
	if (rc != STORE_OK)
		*changed = 0;
	return (rc);
}
