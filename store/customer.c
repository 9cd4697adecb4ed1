/*
 * NAME
 *	customer 3
 * SUMMARY
 *	customers and contracts
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	A customer row holds the blind index of the normalised address and
 *	three AES-256-GCM ciphertexts (email, name, phone) whose associated
 *	data is the row id. A new row is therefore inserted with empty
 *	ciphertexts first and sealed once SQLite has assigned the id, in
 *	the same transaction, so plain text never reaches the file.
 *
 *	On update, the original source and creation time are kept; a NULL
 *	name or phone keeps the stored value. A new customer whose address
 *	is on the suppression list gets its recorded refusals back (see
 *	consent.c).
 *
 *	store_contract_each() with CUSTOMER_ID <= 0 visits every contract.
 *	A contract stored as ended without an end time is given the current
 *	time, so that purge can count the grace period from it.
 * DIAGNOSTICS
 *	Invalid input is STORE_ERR with a message that describes the field,
 *	never its value. A row that does not decrypt (another key, tampered
 *	data) is STORE_ERR.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_int.h"

#define SERVICE_TYPE_MAX	32

void
st_email_index(struct store *st, const char *norm, unsigned char out[CRYPT_MAC_LEN])
{
	crypt_mac(st->keys.idx, norm, strlen(norm), out);
}

void
st_email_suphash(struct store *st, const char *norm, unsigned char out[CRYPT_MAC_LEN])
{
	crypt_mac(st->keys.sup, norm, strlen(norm), out);
}

void
store_customer_clear(struct store_customer *c)
{
	if (c == NULL)
		return;
	if (c->email) {
		OPENSSL_cleanse(c->email, strlen(c->email));
		free(c->email);
	}
	if (c->name) {
		OPENSSL_cleanse(c->name, strlen(c->name));
		free(c->name);
	}
	if (c->phone) {
		OPENSSL_cleanse(c->phone, strlen(c->phone));
		free(c->phone);
	}
	memset(c, 0, sizeof(*c));
}

static int
phone_valid(const char *s)
{
	size_t	n = 0;

	for (; *s; s++, n++)
		if (!isdigit((unsigned char) *s) && !strchr("+-(). ", *s))
			return 0;
	return n <= STORE_PHONE_MAX;
}

/* Seal TEXT for (ROW, FIELD) and bind it to parameter I. */
static int
bind_sealed(struct store *st, sqlite3_stmt *stmt, int i, int64_t row, int field,
	    const char *text)
{
	size_t	len = strlen(text), outlen = len + CRYPT_OVERHEAD;
	unsigned char *buf;
	long	n;
	int	rc;

	if ((buf = malloc(outlen)) == NULL)
		return st_err(st, STORE_TEMP, "out of memory");
	n = crypt_seal(&st->keys, row, field, text, len, buf, outlen);
	if (n < 0) {
		free(buf);
		return st_err(st, STORE_ERR, "encryption failed");
	}
	rc = sqlite3_bind_blob(stmt, i, buf, (int) n, SQLITE_TRANSIENT);
	free(buf);
	return rc == SQLITE_OK ? STORE_OK : st_sqlerr(st, rc, "bind");
}

static int
unseal_col(struct store *st, sqlite3_stmt *stmt, int col, int64_t row, int field,
	   char **out)
{
	static const char *const names[] = {"", "email", "name", "phone"};
	int	rc;

	rc = crypt_unseal(&st->keys, row, field, sqlite3_column_blob(stmt, col),
			  (size_t) sqlite3_column_bytes(stmt, col), out);
	if (rc == CRYPT_EKID)
		return st_err(st, STORE_ERR, "customer %lld: %s was encrypted under key id %02x, "
			      "the loaded key is %02x", (long long) row, names[field],
			      ((const unsigned char *) sqlite3_column_blob(stmt, col))[0],
			      st->keys.kid);
	if (rc < 0)
		return st_err(st, STORE_ERR, "customer %lld: %s does not decrypt "
			      "(tampered data or the wrong key)", (long long) row, names[field]);
	return STORE_OK;
}

#define CUSTOMER_COLS "id, email_ct, name_ct, phone_ct, source, created, updated"

static int
row_to_customer(struct store *st, sqlite3_stmt *stmt, struct store_customer *c)
{
	int	rc;

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(stmt, 0);
	if ((rc = unseal_col(st, stmt, 1, c->id, CRYPT_F_EMAIL, &c->email)) != STORE_OK
	    || (rc = unseal_col(st, stmt, 2, c->id, CRYPT_F_NAME, &c->name)) != STORE_OK
	    || (rc = unseal_col(st, stmt, 3, c->id, CRYPT_F_PHONE, &c->phone)) != STORE_OK) {
		store_customer_clear(c);
		return rc;
	}
	c->source = (enum store_source) sqlite3_column_int(stmt, 4);
	c->created = (time_t) sqlite3_column_int64(stmt, 5);
	c->updated = (time_t) sqlite3_column_int64(stmt, 6);
	return STORE_OK;
}

static int
lookup_id(struct store *st, const unsigned char idx[CRYPT_MAC_LEN], int64_t *id)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "SELECT id FROM customers WHERE email_idx = ?", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, idx, CRYPT_MAC_LEN, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		rc = STORE_OK;
	} else if (rc == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else
		rc = st_sqlerr(st, rc, "customer lookup");
	st_finalize(st, stmt);
	return rc;
}

static int
upsert_locked(struct store *st, const char *norm, const char *name, const char *phone,
	      enum store_source source, int64_t *idp, int *createdp)
{
	unsigned char idx[CRYPT_MAC_LEN];
	sqlite3_stmt *stmt = NULL;
	int64_t	id = 0;
	time_t	now = st_now();
	int	rc;

	st_email_index(st, norm, idx);
	rc = lookup_id(st, idx, &id);
	if (rc == STORE_OK) {
		if (name == NULL && phone == NULL)
			goto done;
		rc = st_prepare(st, "UPDATE customers SET name_ct = coalesce(?, name_ct), "
				"phone_ct = coalesce(?, phone_ct), updated = ? WHERE id = ?", &stmt);
		if (rc != STORE_OK)
			return rc;
		if ((name && (rc = bind_sealed(st, stmt, 1, id, CRYPT_F_NAME, name)) != STORE_OK)
		    || (phone && (rc = bind_sealed(st, stmt, 2, id, CRYPT_F_PHONE, phone)) != STORE_OK))
			goto done;
		sqlite3_bind_int64(stmt, 3, (sqlite3_int64) now);
		sqlite3_bind_int64(stmt, 4, id);
		rc = sqlite3_step(stmt) == SQLITE_DONE ? STORE_OK
			: st_sqlerr(st, sqlite3_errcode(st->db), "customer update");
		goto done;
	}
	if (rc != STORE_NOTFOUND)
		return rc;

	/* New row: get the id first, then seal with it as associated data. */
	rc = st_prepare(st, "INSERT INTO customers(email_idx, email_ct, name_ct, phone_ct, "
			"source, created, updated) VALUES(?, x'', x'', x'', ?, ?, ?)", &stmt);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, idx, CRYPT_MAC_LEN, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, (int) source);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64) now);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64) now);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = st_sqlerr(st, sqlite3_errcode(st->db), "customer insert");
		goto done;
	}
	id = sqlite3_last_insert_rowid(st->db);
	st_finalize(st, stmt);
	stmt = NULL;
	rc = st_prepare(st, "UPDATE customers SET email_ct = ?, name_ct = ?, phone_ct = ? "
			"WHERE id = ?", &stmt);
	if (rc != STORE_OK)
		return rc;
	if ((rc = bind_sealed(st, stmt, 1, id, CRYPT_F_EMAIL, norm)) != STORE_OK
	    || (rc = bind_sealed(st, stmt, 2, id, CRYPT_F_NAME, name ? name : "")) != STORE_OK
	    || (rc = bind_sealed(st, stmt, 3, id, CRYPT_F_PHONE, phone ? phone : "")) != STORE_OK)
		goto done;
	sqlite3_bind_int64(stmt, 4, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = st_sqlerr(st, sqlite3_errcode(st->db), "customer seal");
		goto done;
	}
	st_finalize(st, stmt);
	stmt = NULL;
	if ((rc = st_suppression_apply(st, id, norm)) != STORE_OK)
		goto done;
	if (createdp)
		*createdp = 1;
done:
	st_finalize(st, stmt);
	if (rc == STORE_OK && idp)
		*idp = id;
	return rc;
}

int
store_customer_upsert(struct store *st, const char *email, const char *name,
		      const char *phone, enum store_source source, int64_t *id, int *created)
{
	char	norm[STORE_EMAIL_MAX + 1];
	int	rc;

	if (created)
		*created = 0;
	if (addr_normalise(email, norm, sizeof(norm)) != 0)
		return st_err(st, STORE_ERR, "invalid email address");
	if (name && !utf8_text_ok(name, STORE_NAME_MAX))
		return st_err(st, STORE_ERR, "invalid name (not UTF-8 text, a control character, "
			      "or longer than %d bytes)", STORE_NAME_MAX);
	if (phone && !phone_valid(phone))
		return st_err(st, STORE_ERR, "invalid phone number (digits, spaces and +-(). only, "
			      "at most %d characters)", STORE_PHONE_MAX);
	if ((unsigned) source > STORE_SRC_STAFF)
		return st_err(st, STORE_ERR, "invalid source");
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return rc;
	rc = upsert_locked(st, norm, name, phone, source, id, created);
	rc = st_tx_end(st, rc);
	if (rc != STORE_OK && created)
		*created = 0;
	return rc;
}

int
store_customer_get(struct store *st, int64_t id, struct store_customer *out)
{
	sqlite3_stmt *stmt;
	int	rc;

	memset(out, 0, sizeof(*out));
	if ((rc = st_prepare(st, "SELECT " CUSTOMER_COLS " FROM customers WHERE id = ?", &stmt))
	    != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		rc = row_to_customer(st, stmt, out);
	else if (rc == SQLITE_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no customer %lld", (long long) id);
	else
		rc = st_sqlerr(st, rc, "customer get");
	st_finalize(st, stmt);
	return rc;
}

int
store_customer_find(struct store *st, const char *email, struct store_customer *out)
{
	char	norm[STORE_EMAIL_MAX + 1];
	unsigned char idx[CRYPT_MAC_LEN];
	int64_t	id;
	int	rc;

	memset(out, 0, sizeof(*out));
	if (addr_normalise(email, norm, sizeof(norm)) != 0)
		return st_err(st, STORE_ERR, "invalid email address");
	st_email_index(st, norm, idx);
	if ((rc = lookup_id(st, idx, &id)) != STORE_OK)
		return rc == STORE_NOTFOUND ? st_err(st, rc, "no customer with that address") : rc;
	return store_customer_get(st, id, out);
}

int
store_customer_each(struct store *st, int (*fn)(const struct store_customer *, void *), void *arg)
{
	struct store_customer c;
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "SELECT " CUSTOMER_COLS " FROM customers ORDER BY id", &stmt))
	    != STORE_OK)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int	stop;

		if ((rc = row_to_customer(st, stmt, &c)) != STORE_OK)
			goto done;
		stop = fn(&c, arg);
		store_customer_clear(&c);
		if (stop) {
			rc = STORE_OK;
			goto done;
		}
	}
	rc = rc == SQLITE_DONE ? STORE_OK : st_sqlerr(st, rc, "customer list");
done:
	st_finalize(st, stmt);
	return rc;
}

int
st_customer_email(struct store *st, int64_t id, char **email)
{
	sqlite3_stmt *stmt;
	int	rc;

	*email = NULL;
	if ((rc = st_prepare(st, "SELECT email_ct FROM customers WHERE id = ?", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		rc = unseal_col(st, stmt, 0, id, CRYPT_F_EMAIL, email);
	else if (rc == SQLITE_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no customer %lld", (long long) id);
	else
		rc = st_sqlerr(st, rc, "customer email");
	st_finalize(st, stmt);
	return rc;
}

int
st_customer_exists(struct store *st, int64_t id)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "SELECT 1 FROM customers WHERE id = ?", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		rc = STORE_OK;
	else if (rc == SQLITE_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no customer %lld", (long long) id);
	else
		rc = st_sqlerr(st, rc, "customer lookup");
	st_finalize(st, stmt);
	return rc;
}

int
store_customer_delete(struct store *st, int64_t id)
{
	sqlite3_stmt *stmt = NULL;
	int	rc;

	if ((rc = st_tx_begin(st)) != STORE_OK)
		return rc;
	/* Consent events outlive the row (customer id cleared by the foreign key). */
	rc = st_prepare(st, "DELETE FROM bounces WHERE hash = "
			"(SELECT email_idx FROM customers WHERE id = ?)", &stmt);
	if (rc == STORE_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = st_sqlerr(st, sqlite3_errcode(st->db), "bounce delete");
		st_finalize(st, stmt);
		stmt = NULL;
	}
	if (rc == STORE_OK)
		rc = st_prepare(st, "DELETE FROM customers WHERE id = ?", &stmt);
	if (rc == STORE_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = st_sqlerr(st, sqlite3_errcode(st->db), "customer delete");
		else if (sqlite3_changes(st->db) == 0)
			rc = st_err(st, STORE_NOTFOUND, "no customer %lld", (long long) id);
	}
	st_finalize(st, stmt);
	return st_tx_end(st, rc);
}

/* ---- contracts ---- */

void
store_contract_clear(struct store_contract *k)
{
	if (k == NULL)
		return;
	free(k->service_type);
	free(k->ref);
	memset(k, 0, sizeof(*k));
}

static int
service_type_valid(const char *s)
{
	size_t	n = 0;

	for (; *s; s++, n++)
		if (!islower((unsigned char) *s) && !isdigit((unsigned char) *s) && *s != '_'
		    && *s != '-')
			return 0;
	return n > 0 && n <= SERVICE_TYPE_MAX;
}

static int
ref_valid(const char *s)
{
	size_t	n = 0;

	for (; *s; s++, n++)
		if ((unsigned char) *s <= ' ' || (unsigned char) *s >= 0x7f)
			return 0;
	return n > 0 && n <= STORE_REF_MAX;
}

int
store_contract_upsert(struct store *st, int64_t customer_id, const char *service_type,
		      const char *ref, enum store_contract_status status,
		      time_t started, time_t ended, int64_t *id)
{
	sqlite3_stmt *stmt = NULL;
	int	rc;

	if (service_type == NULL || !service_type_valid(service_type))
		return st_err(st, STORE_ERR, "invalid service type (lower-case letters, digits, "
			      "'-' and '_', at most %d)", SERVICE_TYPE_MAX);
	if (ref == NULL || !ref_valid(ref))
		return st_err(st, STORE_ERR, "invalid contract reference (printable ASCII without "
			      "spaces, at most %d)", STORE_REF_MAX);
	if (status != STORE_CONTRACT_ACTIVE && status != STORE_CONTRACT_ENDED)
		return st_err(st, STORE_ERR, "invalid contract status");
	if (started < 0 || ended < 0 || (ended && started && ended < started))
		return st_err(st, STORE_ERR, "contract %s: end before start", ref);
	if (status == STORE_CONTRACT_ACTIVE)
		ended = 0;
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return rc;
	if ((rc = st_customer_exists(st, customer_id)) != STORE_OK) {
		if (rc == STORE_NOTFOUND)
			rc = st_err(st, STORE_ERR, "no customer %lld", (long long) customer_id);
		goto done;
	}
	rc = st_prepare(st,
			"INSERT INTO contracts(customer_id, service_type, ref, status, started, ended) "
			"VALUES(?1, ?2, ?3, ?4, ?5, CASE WHEN ?4 = 1 AND ?6 = 0 THEN ?7 ELSE ?6 END) "
			"ON CONFLICT(ref) DO UPDATE SET customer_id = excluded.customer_id, "
			" service_type = excluded.service_type, status = excluded.status, "
			" started = CASE WHEN excluded.started <> 0 THEN excluded.started "
			"  ELSE contracts.started END, "
			" ended = CASE WHEN excluded.status = 0 THEN 0 "
			"  WHEN ?6 <> 0 THEN ?6 "
			"  WHEN contracts.status = 1 AND contracts.ended <> 0 THEN contracts.ended "
			"  ELSE ?7 END "
			"RETURNING id", &stmt);
	if (rc != STORE_OK)
		goto done;
	sqlite3_bind_int64(stmt, 1, customer_id);
	sqlite3_bind_text(stmt, 2, service_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, (int) status);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64) started);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64) ended);
	sqlite3_bind_int64(stmt, 7, (sqlite3_int64) st_now());
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = st_sqlerr(st, sqlite3_errcode(st->db), "contract upsert");
		goto done;
	}
	if (id)
		*id = sqlite3_column_int64(stmt, 0);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = st_sqlerr(st, sqlite3_errcode(st->db), "contract upsert");
done:
	st_finalize(st, stmt);
	return st_tx_end(st, rc);
}

int
store_contract_end(struct store *st, const char *ref, time_t when)
{
	sqlite3_stmt *stmt;
	int	rc;

	if (ref == NULL || !ref_valid(ref))
		return st_err(st, STORE_ERR, "invalid contract reference");
	if (when <= 0)
		when = st_now();
	if ((rc = st_prepare(st, "UPDATE contracts SET status = 1, "
			     "ended = CASE WHEN status = 1 AND ended <> 0 THEN ended ELSE ?1 END "
			     "WHERE ref = ?2 RETURNING id", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64) when);
	sqlite3_bind_text(stmt, 2, ref, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(stmt) == SQLITE_DONE ? STORE_OK
			: st_sqlerr(st, sqlite3_errcode(st->db), "contract end");
	else if (rc == SQLITE_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no contract %s", ref);
	else
		rc = st_sqlerr(st, rc, "contract end");
	st_finalize(st, stmt);
	return rc;
}

int
store_contract_each(struct store *st, int64_t customer_id,
		    int (*fn)(const struct store_contract *, void *), void *arg)
{
	struct store_contract k;
	sqlite3_stmt *stmt;
	int	rc;

	/* Two statements: "?1 <= 0 OR customer_id = ?1" cannot use the index,
	 * which made every per-customer lookup a scan of all contracts. */
	if (customer_id > 0)
		rc = st_prepare(st, "SELECT id, customer_id, service_type, ref, status, started, "
				"ended FROM contracts WHERE customer_id = ?1 ORDER BY id", &stmt);
	else
		rc = st_prepare(st, "SELECT id, customer_id, service_type, ref, status, started, "
				"ended FROM contracts ORDER BY id", &stmt);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, customer_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int	stop;

		k.id = sqlite3_column_int64(stmt, 0);
		k.customer_id = sqlite3_column_int64(stmt, 1);
		k.service_type = st_strdup((const char *) sqlite3_column_text(stmt, 2));
		k.ref = st_strdup((const char *) sqlite3_column_text(stmt, 3));
		k.status = (enum store_contract_status) sqlite3_column_int(stmt, 4);
		k.started = (time_t) sqlite3_column_int64(stmt, 5);
		k.ended = (time_t) sqlite3_column_int64(stmt, 6);
		if (k.service_type == NULL || k.ref == NULL) {
			store_contract_clear(&k);
			rc = st_err(st, STORE_TEMP, "out of memory");
			goto done;
		}
		stop = fn(&k, arg);
		store_contract_clear(&k);
		if (stop) {
			rc = STORE_OK;
			goto done;
		}
	}
	rc = rc == SQLITE_DONE ? STORE_OK : st_sqlerr(st, rc, "contract list");
done:
	st_finalize(st, stmt);
	return rc;
}

int
store_customer_has_active(struct store *st, int64_t customer_id, const char *service_type)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "SELECT EXISTS(SELECT 1 FROM contracts WHERE customer_id = ? "
			     "AND service_type = ? AND status = 0)", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, customer_id);
	sqlite3_bind_text(stmt, 2, service_type ? service_type : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	rc = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : st_sqlerr(st, rc, "contract lookup");
	st_finalize(st, stmt);
	return rc;
}
