/*
 * NAME
 *	customer 3
 * SUMMARY
 *	customers: encrypted rows found through the blind index
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	A customer row holds the blind index of the normalised address and
 *	three AES-256-GCM ciphertexts (email, name, phone) whose associated
 *	data is the row id. A new row is therefore inserted with empty
 *	ciphertexts first and sealed once the engine has assigned the id,
 *	in the same transaction, so plain text never reaches the database.
 *	Two hosts adding the same address at once: the insert is ON
 *	CONFLICT DO NOTHING on the blind index, and the loser finds the
 *	winner's row.
 *
 *	On update, the original source and creation time are kept; a NULL
 *	name or phone keeps the stored value. A new customer whose address
 *	is on the suppression list gets its recorded refusals back (see
 *	consent.c).
 * DIAGNOSTICS
 *	Invalid input is STORE_ERR with a message that describes the field,
 *	never its value. A row that does not decrypt (another key, tampered
 *	data) is STORE_ERR.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_int.h"

#define CUSTOMER_COLS "id, email_ct, name_ct, phone_ct, source, created, updated"

/* st_email_index - the blind index of a normalised address */
void
st_email_index(struct store *st, const char *norm, unsigned char out[CRYPT_MAC_LEN])
{
	crypt_mac(st->keys.idx, norm, strlen(norm), out);
}

/* st_email_index_of - the blind index of EMAIL, normalised first; STORE_ERR when invalid */
int
st_email_index_of(struct store *st, const char *email, unsigned char out[CRYPT_MAC_LEN])
{
	char	norm[STORE_EMAIL_MAX + 1];

	if (addr_normalise(email, norm, sizeof(norm)) != 0)
		return (st_err(st, STORE_ERR, "invalid email address"));
	st_email_index(st, norm, out);
	return (STORE_OK);
}

/* st_email_suphash - the suppression hash of a normalised address */
void
st_email_suphash(struct store *st, const char *norm, unsigned char out[CRYPT_MAC_LEN])
{
	crypt_mac(st->keys.sup, norm, strlen(norm), out);
}

/* store_customer_clear - wipe and free a customer record's strings */
void
store_customer_clear(struct store_customer *c)
{
	if (c == NULL)
		return;
	crypt_str_free(c->email);
	crypt_str_free(c->name);
	crypt_str_free(c->phone);
	memset(c, 0, sizeof(*c));
}

/* st_bind_sealed - seal TEXT for (ROW, FIELD) and bind it to parameter I */
int
st_bind_sealed(struct store *st, struct db_stmt *s, int i, int64_t row, int field,
	       const char *text)
{
	return (st_bind_sealed_keys(st, &st->keys, s, i, row, field, text));
}

/*
 * st_seal - TEXT sealed under keys K for (ROW, FIELD) into *OUT (*LEN
 * bytes; the caller frees it)
 */
int
st_seal(struct store *st, const struct crypt_keys *k, int64_t row, int field, const char *text,
	unsigned char **out, size_t *len)
{
	size_t	tlen = strlen(text), outlen = tlen + CRYPT_OVERHEAD;
	unsigned char *buf;
	long	n;

	*out = NULL;
	*len = 0;
	if ((buf = malloc(outlen)) == NULL)
		return (st_err(st, STORE_TEMP, "out of memory"));
	/* The connection's keyed contexts (st_unseal_col()'s opener) */
	if (st->opener == NULL)
		st->opener = crypt_opener_new();
	if ((n = crypt_seal_with(st->opener, k, row, field, text, tlen, buf, outlen)) < 0) {
		free(buf);
		return (st_err(st, STORE_ERR, "encryption failed"));
	}
	*out = buf;
	*len = (size_t) n;
	return (STORE_OK);
}

/* st_bind_sealed_keys - the same under keys K (a key rotation's new key) */
int
st_bind_sealed_keys(struct store *st, const struct crypt_keys *k, struct db_stmt *s, int i,
		    int64_t row, int field, const char *text)
{
	unsigned char *buf;
	size_t	len;
	int	rc;

	if ((rc = st_seal(st, k, row, field, text, &buf, &len)) != STORE_OK)
		return (rc);
	rc = db_bind_blob(s, i, buf, len);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return (rc == STORE_OK ? rc : db_error(st, rc, "bind"));
}

/* st_unseal_col - decrypt column COL of the current row; caller frees *OUT */
int
st_unseal_col(struct store *st, struct db_stmt *s, int col, int64_t row, int field,
	      char **out)
{
	static const char *const names[] = {"", "email", "name", "phone", "parameters", "note",
					    "reply thread"};
	const char *owner = field == CRYPT_F_PARAMS ? "campaign" : "customer";
	const unsigned char *ct;
	size_t	len;
	int	rc;

	ct = db_col_blob(s, col, &len);
	/* One keyed context per connection (a connection has one thread);
	 * without memory for it, crypt_unseal_with() makes one per call. */
	if (st->opener == NULL)
		st->opener = crypt_opener_new();
	rc = crypt_unseal_with(st->opener, &st->keys, row, field, ct, len, out);
	if (rc == CRYPT_EKID)
		return (st_err(st, STORE_ERR, "%s %lld: %s was encrypted under key id %02x, "
			       "the loaded key is %02x", owner, (long long) row, names[field], ct[0],
			       st->keys.kid));
	if (rc < 0)
		return (st_err(st, STORE_ERR, "%s %lld: %s does not decrypt "
			       "(tampered data or the wrong key)", owner, (long long) row,
			       names[field]));
	return (STORE_OK);
}

/* row_to_customer - a record from a CUSTOMER_COLS row */
static int
row_to_customer(struct store *st, struct db_stmt *s, struct store_customer *c)
{
	int	rc;

	memset(c, 0, sizeof(*c));
	c->id = db_col_int(s, 0);
	if ((rc = st_unseal_col(st, s, 1, c->id, CRYPT_F_EMAIL, &c->email)) != STORE_OK
	    || (rc = st_unseal_col(st, s, 2, c->id, CRYPT_F_NAME, &c->name)) != STORE_OK
	    || (rc = st_unseal_col(st, s, 3, c->id, CRYPT_F_PHONE, &c->phone)) != STORE_OK) {
		store_customer_clear(c);
		return (rc);
	}
	c->source = (enum store_source) db_col_int(s, 4);
	c->created = (time_t) db_col_int(s, 5);
	c->updated = (time_t) db_col_int(s, 6);
	return (STORE_OK);
}

/* lookup_id - the id of the row with blind index IDX */
static int
lookup_id(struct store *st, const unsigned char idx[CRYPT_MAC_LEN], int64_t *id)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT id FROM customers WHERE email_idx = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, idx, CRYPT_MAC_LEN);
	rc = db_step(s);
	if (rc == DB_ROW) {
		*id = db_col_int(s, 0);
		rc = STORE_OK;
	} else if (rc == DB_DONE)
		rc = STORE_NOTFOUND;
	else
		rc = db_error(st, rc, "customer lookup");
	db_finish(s);
	return (rc);
}

/* update_profile - new name and/or phone for row ID */
static int
update_profile(struct store *st, int64_t id, const char *name, const char *phone)
{
	struct db_stmt *s;
	int	rc;

	rc = db_prepare(st, "UPDATE customers SET name_ct = coalesce(?, name_ct), "
			"phone_ct = coalesce(?, phone_ct), updated = ? WHERE id = ?", &s);
	if (rc != STORE_OK)
		return (rc);
	if ((name && (rc = st_bind_sealed(st, s, 1, id, CRYPT_F_NAME, name)) != STORE_OK)
	    || (phone && (rc = st_bind_sealed(st, s, 2, id, CRYPT_F_PHONE, phone)) != STORE_OK))
		goto done;
	db_bind_int(s, 3, (int64_t) st_now());
	db_bind_int(s, 4, id);
	rc = st_run(st, s, "customer update");
done:
	db_finish(s);
	return (rc);
}

/* insert_row - a new row with empty ciphertexts; *ID 0 when another won */
static int
insert_row(struct store *st, const unsigned char idx[CRYPT_MAC_LEN], enum store_source source,
	   int64_t *id)
{
	struct db_stmt *s;
	time_t	now = st_now();
	int	rc;

	*id = 0;
	rc = db_prepare(st, "INSERT INTO customers(email_idx, email_ct, name_ct, phone_ct, "
			"source, created, updated) VALUES(?, ?, ?, ?, ?, ?, ?) "
			"ON CONFLICT(email_idx) DO NOTHING RETURNING id", &s);
	if (rc != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, idx, CRYPT_MAC_LEN);
	db_bind_blob(s, 2, "", 0);
	db_bind_blob(s, 3, "", 0);
	db_bind_blob(s, 4, "", 0);
	db_bind_int(s, 5, (int64_t) source);
	db_bind_int(s, 6, (int64_t) now);
	db_bind_int(s, 7, (int64_t) now);
	while ((rc = db_step(s)) == DB_ROW)
		*id = db_col_int(s, 0);
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "customer insert");
	db_finish(s);
	return (rc);
}

/* seal_row - the ciphertexts of new row ID, sealed with the id */
static int
seal_row(struct store *st, int64_t id, const char *norm, const char *name, const char *phone)
{
	struct db_stmt *s;
	int	rc;

	rc = db_prepare(st, "UPDATE customers SET email_ct = ?, name_ct = ?, phone_ct = ? "
			"WHERE id = ?", &s);
	if (rc != STORE_OK)
		return (rc);
	if ((rc = st_bind_sealed(st, s, 1, id, CRYPT_F_EMAIL, norm)) == STORE_OK
	    && (rc = st_bind_sealed(st, s, 2, id, CRYPT_F_NAME, name ? name : "")) == STORE_OK
	    && (rc = st_bind_sealed(st, s, 3, id, CRYPT_F_PHONE, phone ? phone : "")) == STORE_OK) {
		db_bind_int(s, 4, id);
		rc = st_run(st, s, "customer seal");
	}
	db_finish(s);
	return (rc);
}

/* upsert_locked - the upsert inside its transaction */
static int
upsert_locked(struct store *st, const char *norm, const char *name, const char *phone,
	      enum store_source source, int64_t *idp, int *createdp)
{
	unsigned char idx[CRYPT_MAC_LEN];
	int64_t	id = 0;
	int	rc;

	st_email_index(st, norm, idx);
	rc = lookup_id(st, idx, &id);
	if (rc == STORE_NOTFOUND) {
		if ((rc = insert_row(st, idx, source, &id)) != STORE_OK)
			return (rc);
		if (id == 0)		/* another host inserted it meanwhile */
			rc = lookup_id(st, idx, &id);
		else {
			if ((rc = seal_row(st, id, norm, name, phone)) != STORE_OK
			    || (rc = st_suppression_apply(st, id, norm)) != STORE_OK)
				return (rc);
			if (createdp)
				*createdp = 1;
			if (idp)
				*idp = id;
			return (STORE_OK);
		}
	}
	if (rc != STORE_OK)
		return (rc == STORE_NOTFOUND ? st_err(st, STORE_TEMP, "customer row vanished "
						     "(temporary)") : rc);
	if ((name != NULL || phone != NULL) && (rc = update_profile(st, id, name, phone)) != STORE_OK)
		return (rc);
	if (idp)
		*idp = id;
	return (STORE_OK);
}

/* store_customer_upsert - insert or update by address (see store.h) */
int
store_customer_upsert(struct store *st, const char *email, const char *name,
		      const char *phone, enum store_source source, int64_t *id, int *created)
{
	char	norm[STORE_EMAIL_MAX + 1];
	int	rc;

	if (created)
		*created = 0;
	if (addr_normalise(email, norm, sizeof(norm)) != 0)
		return (st_err(st, STORE_ERR, "invalid email address"));
	if (name && !utf8_text_ok(name, STORE_NAME_MAX))
		return (st_err(st, STORE_ERR, "invalid name (not UTF-8 text, a control character, "
			       "or longer than %d bytes)", STORE_NAME_MAX));
	if (phone && !st_phone_valid(phone))
		return (st_err(st, STORE_ERR, "invalid phone number (digits, spaces and +-(). only, "
			       "at most %d characters)", STORE_PHONE_MAX));
	if ((unsigned) source > STORE_SRC_STAFF)
		return (st_err(st, STORE_ERR, "invalid source"));
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return (rc);
	rc = upsert_locked(st, norm, name, phone, source, id, created);
	rc = st_tx_end(st, rc);
	if (rc != STORE_OK && created)
		*created = 0;
	return (rc);
}

/* store_customer_get - one customer by id */
int
store_customer_get(struct store *st, int64_t id, struct store_customer *out)
{
	struct db_stmt *s;
	int	rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(st, "SELECT " CUSTOMER_COLS " FROM customers WHERE id = ?", &s))
	    != STORE_OK)
		return (rc);
	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc == DB_ROW)
		rc = row_to_customer(st, s, out);
	else if (rc == DB_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no customer %lld", (long long) id);
	else
		rc = db_error(st, rc, "customer get");
	db_finish(s);
	return (rc);
}

/* store_customer_find - one customer by address (blind index) */
int
store_customer_find(struct store *st, const char *email, struct store_customer *out)
{
	int64_t	id;
	int	rc;

	memset(out, 0, sizeof(*out));
	if ((rc = st_customer_id_of(st, email, &id)) != STORE_OK)
		return (rc);
	return (store_customer_get(st, id, out));
}

/* st_customer_id_of - the customer of EMAIL, by blind index alone (nothing decrypted) */
int
st_customer_id_of(struct store *st, const char *email, int64_t *id)
{
	unsigned char idx[CRYPT_MAC_LEN];
	int	rc;

	if ((rc = st_email_index_of(st, email, idx)) != STORE_OK)
		return (rc);
	if ((rc = lookup_id(st, idx, id)) == STORE_NOTFOUND)
		return (st_err(st, rc, "no customer with that address"));
	return (rc);
}

/* store_customer_each - FN for each customer in id order */
int
store_customer_each(struct store *st, int (*fn)(const struct store_customer *, void *), void *arg)
{
	struct store_customer c;
	struct db_stmt *s;
	int	rc, stop;

	if ((rc = db_prepare(st, "SELECT " CUSTOMER_COLS " FROM customers ORDER BY id", &s))
	    != STORE_OK)
		return (rc);
	while ((rc = db_step(s)) == DB_ROW) {
		if ((rc = row_to_customer(st, s, &c)) != STORE_OK)
			goto done;
		stop = fn(&c, arg);
		store_customer_clear(&c);
		if (stop) {
			rc = STORE_OK;
			goto done;
		}
	}
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "customer list");
done:
	db_finish(s);
	return (rc);
}

/* st_customer_email - the customer's decrypted address; caller frees */
int
st_customer_email(struct store *st, int64_t id, char **email)
{
	struct db_stmt *s;
	int	rc;

	*email = NULL;
	if ((rc = db_prepare(st, "SELECT email_ct FROM customers WHERE id = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc == DB_ROW)
		rc = st_unseal_col(st, s, 0, id, CRYPT_F_EMAIL, email);
	else if (rc == DB_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no customer %lld", (long long) id);
	else
		rc = db_error(st, rc, "customer email");
	db_finish(s);
	return (rc);
}

/* st_customer_exists - STORE_OK or STORE_NOTFOUND */
int
st_customer_exists(struct store *st, int64_t id)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT 1 FROM customers WHERE id = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc == DB_ROW)
		rc = STORE_OK;
	else if (rc == DB_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no customer %lld", (long long) id);
	else
		rc = db_error(st, rc, "customer lookup");
	db_finish(s);
	return (rc);
}

/* store_customer_delete - the row and what cascades; consent events stay */
int
store_customer_delete(struct store *st, int64_t id)
{
	long	n = 0;
	int	rc;

	if ((rc = st_tx_begin(st)) != STORE_OK)
		return (rc);
	/* Consent events outlive the row (customer id cleared by the foreign key),
	 * without the staff's notes. A campaign sent to nobody else (an answer,
	 * an invoice: its --set values are about this customer) goes too. */
	rc = st_exec_arg(st, "DELETE FROM bounces WHERE hash = "
			  "(SELECT email_idx FROM customers WHERE id = ?)", id, "bounce delete", NULL);
	if (rc == STORE_OK)
		rc = st_exec_arg(st, "UPDATE consent_events SET note_ct = NULL WHERE customer_id = ?",
				  id, "note erase", NULL);
	if (rc == STORE_OK)
		rc = st_exec_arg(st, "DELETE FROM campaigns WHERE id IN (SELECT campaign_id FROM "
				  "deliveries WHERE customer_id = ?1) AND NOT EXISTS (SELECT 1 FROM "
				  "deliveries d WHERE d.campaign_id = campaigns.id AND "
				  "d.customer_id <> ?1)", id, "campaign erase", NULL);
	if (rc == STORE_OK)
		rc = st_exec_arg(st, "DELETE FROM customers WHERE id = ?", id, "customer delete", &n);
	if (rc == STORE_OK && n == 0)
		rc = st_err(st, STORE_NOTFOUND, "no customer %lld", (long long) id);
	return (st_tx_end(st, rc));
}
