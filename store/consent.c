/*
 * NAME
 *	consent 3
 * SUMMARY
 *	email preferences, consent events, suppression, bounces, tokens
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	A refusal is one row per (customer, category) in prefs, one consent
 *	event per change (with its evidence and the suppression HMAC of the
 *	address as subject), and the suppression entry of the address: a
 *	bit mask of the refused categories keyed by HMAC-SHA256(k_sup,
 *	normalised address). The suppression entry is what survives purge:
 *	when the address comes back (CSV import, staff, portal) the new
 *	customer row gets the same refusals again (st_suppression_apply).
 *	store_is_suppressed() is true when every refusable category is
 *	refused.
 *
 *	For channels REPLY and ONE_CLICK the evidence names the message
 *	(Message-ID, token): an opt-out whose evidence was already recorded
 *	for that customer changes nothing, even after a later opt-in, so a
 *	message seen twice (Postfix retry) is applied once.
 *
 *	Only refusable categories (survey, promotion) can be refused; a
 *	request for another one is an error, because account and
 *	maintenance mail is part of the service the customer pays for.
 *
 *	Tokens are base32 of: category (1 byte), customer id (5 bytes,
 *	big-endian) and the first TOKEN_MAC_LEN bytes of
 *	HMAC-SHA256(k_tok, "links-token-v1" | those 6 bytes): 29
 *	characters. Dated tokens (links-web's https links) add the issue
 *	day (days since 1970-01-01 UTC, 2 bytes big-endian) after the
 *	customer id and use the label "links-token-v2": 32 characters.
 *	Verification tells the two kinds apart by their length, accepts
 *	either case (some MTAs change the case of a local part) and
 *	compares the MAC in constant time.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_int.h"

#define TOKEN_LABEL		"links-token-v1"
#define TOKEN_PAYLOAD_LEN	6
#define TOKEN_MAC_LEN		12
#define TOKEN_RAW_LEN		(TOKEN_PAYLOAD_LEN + TOKEN_MAC_LEN)
#define TOKEN_DATED_LABEL	"links-token-v2"
#define TOKEN_DATED_PAYLOAD_LEN	(TOKEN_PAYLOAD_LEN + 2)	/* + issue day, 16 bits */
#define TOKEN_DATED_RAW_LEN	(TOKEN_DATED_PAYLOAD_LEN + TOKEN_MAC_LEN)
#define TOKEN_DAY_MAX		0xffff
#define TOKEN_CHARS(raw)	(((raw) * 8 + 4) / 5)	/* base32 length, no padding */
#define TOKEN_ID_MAX		((int64_t) 1 << 40)
#define SUPPRESSION_EVIDENCE	"re-applied from the suppression list"


static int
step_done(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	int	rc = sqlite3_step(stmt);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return STORE_OK;
	return st_sqlerr(st, rc, what);
}

static int
pref_get(struct store *st, int64_t customer_id, int cat, int *optout)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "SELECT optout FROM prefs WHERE customer_id = ? AND category = ?",
			     &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, customer_id);
	sqlite3_bind_int(stmt, 2, cat);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*optout = sqlite3_column_int(stmt, 0);
		rc = STORE_OK;
	} else if (rc == SQLITE_DONE) {
		*optout = 0;
		rc = STORE_OK;
	} else
		rc = st_sqlerr(st, rc, "preference lookup");
	st_finalize(st, stmt);
	return rc;
}

static int
pref_set(struct store *st, int64_t customer_id, int cat, int optout, enum store_channel ch,
	 const char *evidence, const unsigned char subject[CRYPT_MAC_LEN])
{
	sqlite3_stmt *stmt;
	time_t	now = st_now();
	int	rc;

	if ((rc = st_prepare(st, "INSERT INTO prefs(customer_id, category, optout, updated) "
			     "VALUES(?, ?, ?, ?) ON CONFLICT(customer_id, category) DO UPDATE "
			     "SET optout = excluded.optout, updated = excluded.updated",
			     &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, customer_id);
	sqlite3_bind_int(stmt, 2, cat);
	sqlite3_bind_int(stmt, 3, optout);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64) now);
	rc = step_done(st, stmt, "preference update");
	st_finalize(st, stmt);
	if (rc != STORE_OK)
		return rc;
	if ((rc = st_prepare(st, "INSERT INTO consent_events(customer_id, subject, category, "
			     "optout, channel, evidence, at) VALUES(?, ?, ?, ?, ?, ?, ?)",
			     &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, customer_id);
	sqlite3_bind_blob(stmt, 2, subject, CRYPT_MAC_LEN, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, cat);
	sqlite3_bind_int(stmt, 4, optout);
	sqlite3_bind_int(stmt, 5, (int) ch);
	sqlite3_bind_text(stmt, 6, evidence, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 7, (sqlite3_int64) now);
	rc = step_done(st, stmt, "consent event");
	st_finalize(st, stmt);
	return rc;
}

/* The suppression entry follows the customer's refusals: mask of prefs. */
static int
suppression_sync(struct store *st, int64_t customer_id, const unsigned char hash[CRYPT_MAC_LEN])
{
	sqlite3_stmt *stmt;
	int	rc, mask = 0;

	if ((rc = st_prepare(st, "SELECT category FROM prefs WHERE customer_id = ? AND optout = 1",
			     &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, customer_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		mask |= CATEGORY_BIT(sqlite3_column_int(stmt, 0) & 31);
	st_finalize(st, stmt);
	if (rc != SQLITE_DONE)
		return st_sqlerr(st, rc, "preference list");
	if (mask)
		rc = st_prepare(st, "INSERT INTO suppression(hash, cats, added) VALUES(?1, ?2, ?3) "
				"ON CONFLICT(hash) DO UPDATE SET cats = ?2", &stmt);
	else
		rc = st_prepare(st, "DELETE FROM suppression WHERE hash = ?1", &stmt);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, hash, CRYPT_MAC_LEN, SQLITE_STATIC);
	if (mask) {
		sqlite3_bind_int(stmt, 2, mask);
		sqlite3_bind_int64(stmt, 3, (sqlite3_int64) st_now());
	}
	rc = step_done(st, stmt, "suppression update");
	st_finalize(st, stmt);
	return rc;
}

static int
subject_of(struct store *st, int64_t customer_id, unsigned char hash[CRYPT_MAC_LEN])
{
	char   *email;
	int	rc;

	if ((rc = st_customer_email(st, customer_id, &email)) != STORE_OK)
		return rc;
	st_email_suphash(st, email, hash);
	OPENSSL_cleanse(email, strlen(email));
	free(email);
	return STORE_OK;
}

static int
check_args(struct store *st, int cat, const char *evidence, int *mask)
{
	if (cat < 0)
		*mask = category_refusable_mask();
	else if (cat >= CATEGORY_COUNT)
		return st_err(st, STORE_ERR, "invalid category %d", cat);
	else if (!category_refusable((enum category) cat))
		return st_err(st, STORE_ERR, "category %s cannot be refused (it is part of the "
			      "service)", category_name((enum category) cat));
	else
		*mask = CATEGORY_BIT(cat);
	if (evidence && !utf8_text_ok(evidence, STORE_EVIDENCE_MAX))
		return st_err(st, STORE_ERR, "invalid evidence (not UTF-8 text or longer than %d "
			      "bytes)", STORE_EVIDENCE_MAX);
	return STORE_OK;
}

static int
evidence_seen(struct store *st, int64_t customer_id, const char *evidence, int optout)
{
	sqlite3_stmt *stmt;
	int	rc;

	if ((rc = st_prepare(st, "SELECT EXISTS(SELECT 1 FROM consent_events WHERE customer_id = ? "
			     "AND evidence = ? AND optout = ?)", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, customer_id);
	sqlite3_bind_text(stmt, 2, evidence, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, optout);
	rc = sqlite3_step(stmt);
	rc = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : st_sqlerr(st, rc, "consent lookup");
	st_finalize(st, stmt);
	return rc;
}

static int
change_locked(struct store *st, int64_t customer_id, int mask, int optout,
	      enum store_channel ch, const char *evidence, int *changed)
{
	unsigned char subject[CRYPT_MAC_LEN];
	int	rc, c, cur, n = 0;

	if ((rc = subject_of(st, customer_id, subject)) != STORE_OK)
		return rc;
	/* Evidence names a message for REPLY and ONE_CLICK: seen once is enough. */
	if (*evidence && (ch == STORE_CH_REPLY || ch == STORE_CH_ONE_CLICK)) {
		if ((rc = evidence_seen(st, customer_id, evidence, optout)) < 0)
			return rc;
		if (rc == 1)
			return STORE_OK;	/* the same reply again: nothing to do */
	}
	for (c = 0; c < CATEGORY_COUNT; c++) {
		if (!(mask & CATEGORY_BIT(c)))
			continue;
		if ((rc = pref_get(st, customer_id, c, &cur)) != STORE_OK)
			return rc;
		if (cur == optout)
			continue;
		if ((rc = pref_set(st, customer_id, c, optout, ch, evidence, subject)) != STORE_OK)
			return rc;
		n++;
	}
	if (n == 0)
		return STORE_OK;
	if ((rc = suppression_sync(st, customer_id, subject)) != STORE_OK)
		return rc;
	if (optout && (ch == STORE_CH_REPLY || ch == STORE_CH_ONE_CLICK))
		if ((rc = store_outbox_add(st, customer_id, "optout_confirm", NULL)) != STORE_OK)
			return rc;
	*changed = n;
	return STORE_OK;
}

static int
change(struct store *st, int64_t customer_id, int cat, int optout, enum store_channel ch,
       const char *evidence, int *changed)
{
	int	rc, mask = 0, n = 0;

	if (changed)
		*changed = 0;
	if ((rc = check_args(st, cat, evidence, &mask)) != STORE_OK)
		return rc;
	if ((unsigned) ch > STORE_CH_WEB)
		return st_err(st, STORE_ERR, "invalid channel");
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return rc;
	rc = change_locked(st, customer_id, mask, optout, ch, evidence ? evidence : "", &n);
	rc = st_tx_end(st, rc);
	if (rc == STORE_OK && changed)
		*changed = n;
	return rc;
}

int
store_optout(struct store *st, int64_t customer_id, int cat, enum store_channel ch,
	     const char *evidence, int *changed)
{
	return change(st, customer_id, cat, 1, ch, evidence, changed);
}

int
store_optin(struct store *st, int64_t customer_id, int cat, enum store_channel ch,
	    const char *evidence, int *changed)
{
	return change(st, customer_id, cat, 0, ch, evidence, changed);
}

int
store_is_optout(struct store *st, int64_t customer_id, enum category cat)
{
	int	rc, v;

	if ((unsigned) cat >= CATEGORY_COUNT)
		return st_err(st, STORE_ERR, "invalid category %d", (int) cat);
	if (!category_refusable(cat))
		return 0;
	if ((rc = pref_get(st, customer_id, (int) cat, &v)) != STORE_OK)
		return rc;
	return v ? 1 : 0;
}

static int
suppression_mask(struct store *st, const unsigned char hash[CRYPT_MAC_LEN], int *mask)
{
	sqlite3_stmt *stmt;
	int	rc;

	*mask = 0;
	if ((rc = st_prepare(st, "SELECT cats FROM suppression WHERE hash = ?", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, hash, CRYPT_MAC_LEN, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*mask = sqlite3_column_int(stmt, 0);
		rc = STORE_OK;
	} else if (rc == SQLITE_DONE)
		rc = STORE_OK;
	else
		rc = st_sqlerr(st, rc, "suppression lookup");
	st_finalize(st, stmt);
	return rc;
}

int
store_is_suppressed(struct store *st, const char *email)
{
	char	norm[STORE_EMAIL_MAX + 1];
	unsigned char hash[CRYPT_MAC_LEN];
	int	rc, mask;

	if (addr_normalise(email, norm, sizeof(norm)) != 0)
		return st_err(st, STORE_ERR, "invalid email address");
	st_email_suphash(st, norm, hash);
	if ((rc = suppression_mask(st, hash, &mask)) != STORE_OK)
		return rc;
	return (mask & category_refusable_mask()) == category_refusable_mask();
}

int
st_suppression_apply(struct store *st, int64_t customer_id, const char *norm)
{
	unsigned char hash[CRYPT_MAC_LEN];
	int	rc, c, mask;

	st_email_suphash(st, norm, hash);
	if ((rc = suppression_mask(st, hash, &mask)) != STORE_OK)
		return rc;
	for (c = 0; c < CATEGORY_COUNT && mask; c++)
		if ((mask & CATEGORY_BIT(c)) && category_refusable((enum category) c))
			if ((rc = pref_set(st, customer_id, c, 1, STORE_CH_IMPORT,
					   SUPPRESSION_EVIDENCE, hash)) != STORE_OK)
				return rc;
	return STORE_OK;
}

void
store_consent_clear(struct store_consent *e)
{
	if (e == NULL)
		return;
	free(e->evidence);
	memset(e, 0, sizeof(*e));
}

int
store_consent_each(struct store *st, int64_t customer_id,
		   int (*fn)(const struct store_consent *, void *), void *arg)
{
	struct store_consent e;
	sqlite3_stmt *stmt;
	int	rc;

	/* Two statements: "?1 <= 0 OR customer_id = ?1" cannot use the index. */
	if (customer_id > 0)
		rc = st_prepare(st, "SELECT id, coalesce(customer_id, 0), category, optout, channel, "
				"evidence, at FROM consent_events WHERE customer_id = ?1 "
				"ORDER BY id", &stmt);
	else
		rc = st_prepare(st, "SELECT id, coalesce(customer_id, 0), category, optout, channel, "
				"evidence, at FROM consent_events ORDER BY id", &stmt);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, customer_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int	stop;

		e.id = sqlite3_column_int64(stmt, 0);
		e.customer_id = sqlite3_column_int64(stmt, 1);
		e.category = (enum category) sqlite3_column_int(stmt, 2);
		e.optout = sqlite3_column_int(stmt, 3);
		e.channel = (enum store_channel) sqlite3_column_int(stmt, 4);
		e.at = (time_t) sqlite3_column_int64(stmt, 6);
		if ((e.evidence = st_strdup((const char *) sqlite3_column_text(stmt, 5))) == NULL) {
			rc = st_err(st, STORE_TEMP, "out of memory");
			goto done;
		}
		stop = fn(&e, arg);
		store_consent_clear(&e);
		if (stop) {
			rc = STORE_OK;
			goto done;
		}
	}
	rc = rc == SQLITE_DONE ? STORE_OK : st_sqlerr(st, rc, "consent list");
done:
	st_finalize(st, stmt);
	return rc;
}

/* ---- bounces: keyed by the blind index, so purge can remove them ---- */

int
store_bounce_record(struct store *st, const char *email, int *count)
{
	char	norm[STORE_EMAIL_MAX + 1];
	unsigned char idx[CRYPT_MAC_LEN];
	sqlite3_stmt *stmt;
	int	rc;

	if (addr_normalise(email, norm, sizeof(norm)) != 0)
		return st_err(st, STORE_ERR, "invalid email address");
	st_email_index(st, norm, idx);
	if ((rc = st_prepare(st, "INSERT INTO bounces(hash, count, last) VALUES(?1, 1, ?2) "
			     "ON CONFLICT(hash) DO UPDATE SET count = count + 1, last = ?2 "
			     "RETURNING count", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, idx, CRYPT_MAC_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64) st_now());
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if (count)
			*count = sqlite3_column_int(stmt, 0);
		rc = sqlite3_step(stmt) == SQLITE_DONE ? STORE_OK
			: st_sqlerr(st, sqlite3_errcode(st->db), "bounce record");
	} else
		rc = st_sqlerr(st, rc, "bounce record");
	st_finalize(st, stmt);
	return rc;
}

int
store_is_undeliverable(struct store *st, const char *email)
{
	char	norm[STORE_EMAIL_MAX + 1];
	unsigned char idx[CRYPT_MAC_LEN];
	sqlite3_stmt *stmt;
	int	rc;

	if (addr_normalise(email, norm, sizeof(norm)) != 0)
		return st_err(st, STORE_ERR, "invalid email address");
	st_email_index(st, norm, idx);
	if ((rc = st_prepare(st, "SELECT EXISTS(SELECT 1 FROM bounces WHERE hash = ? "
			     "AND count >= ?)", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, idx, CRYPT_MAC_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, st->bounce_threshold);
	rc = sqlite3_step(stmt);
	rc = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : st_sqlerr(st, rc, "bounce lookup");
	st_finalize(st, stmt);
	return rc;
}

/* ---- tokens ---- */

/* HMAC-SHA256(k_tok, LABEL | PAYLOAD): the MAC of either kind of token. */
static void
token_mac(struct store *st, const char *label, const unsigned char *payload, size_t plen,
	  unsigned char mac[CRYPT_MAC_LEN])
{
	unsigned char buf[sizeof(TOKEN_DATED_LABEL) - 1 + TOKEN_DATED_PAYLOAD_LEN];
	size_t	llen = strlen(label);

	memcpy(buf, label, llen);
	memcpy(buf + llen, payload, plen);
	crypt_mac(st->keys.tok, buf, llen + plen, mac);
	OPENSSL_cleanse(buf, sizeof(buf));
}

/* token_payload - category and customer id, the start of both kinds. */
static int
token_payload(struct store *st, int64_t customer_id, enum category cat,
	      unsigned char raw[TOKEN_PAYLOAD_LEN])
{
	uint64_t u = (uint64_t) customer_id;
	int	i;

	if (customer_id <= 0 || customer_id >= TOKEN_ID_MAX)
		return st_err(st, STORE_ERR, "customer id out of range for a token");
	if ((unsigned) cat >= CATEGORY_COUNT)
		return st_err(st, STORE_ERR, "invalid category %d", (int) cat);
	raw[0] = (unsigned char) cat;
	for (i = 5; i >= 1; i--) {
		raw[i] = (unsigned char) (u & 0xff);
		u >>= 8;
	}
	return STORE_OK;
}

int
store_token_make(struct store *st, int64_t customer_id, enum category cat,
		 char *out, size_t outlen)
{
	unsigned char raw[TOKEN_RAW_LEN], mac[CRYPT_MAC_LEN];
	int	rc;

	if ((rc = token_payload(st, customer_id, cat, raw)) != STORE_OK)
		return rc;
	token_mac(st, TOKEN_LABEL, raw, TOKEN_PAYLOAD_LEN, mac);
	memcpy(raw + TOKEN_PAYLOAD_LEN, mac, TOKEN_MAC_LEN);
	if (crypt_base32(raw, sizeof(raw), out, outlen) == 0)
		return st_err(st, STORE_ERR, "token buffer too small");
	return STORE_OK;
}

int
store_token_make_dated(struct store *st, int64_t customer_id, enum category cat,
		       time_t issued, char *out, size_t outlen)
{
	unsigned char raw[TOKEN_DATED_RAW_LEN], mac[CRYPT_MAC_LEN];
	long long day;
	int	rc;

	if ((rc = token_payload(st, customer_id, cat, raw)) != STORE_OK)
		return rc;
	day = (long long) issued / STORE_SECONDS_PER_DAY;
	if (issued < 0 || day > TOKEN_DAY_MAX)
		return st_err(st, STORE_ERR, "issue date out of range for a token");
	raw[TOKEN_PAYLOAD_LEN] = (unsigned char) (day >> 8);
	raw[TOKEN_PAYLOAD_LEN + 1] = (unsigned char) (day & 0xff);
	token_mac(st, TOKEN_DATED_LABEL, raw, TOKEN_DATED_PAYLOAD_LEN, mac);
	memcpy(raw + TOKEN_DATED_PAYLOAD_LEN, mac, TOKEN_MAC_LEN);
	if (crypt_base32(raw, sizeof(raw), out, outlen) == 0)
		return st_err(st, STORE_ERR, "token buffer too small");
	return STORE_OK;
}

int
store_token_verify_dated(struct store *st, const char *token, int64_t *customer_id,
			 enum category *cat, time_t *issued)
{
	unsigned char raw[TOKEN_DATED_RAW_LEN + 1], mac[CRYPT_MAC_LEN];
	const char *label;
	uint64_t u = 0;
	size_t	len, rawlen, plen;
	int	i;

	if (token == NULL)
		return st_err(st, STORE_NOTFOUND, "no token");
	len = strnlen(token, STORE_TOKEN_MAX);
	if (len == TOKEN_CHARS(TOKEN_RAW_LEN)) {
		rawlen = TOKEN_RAW_LEN;
		plen = TOKEN_PAYLOAD_LEN;
		label = TOKEN_LABEL;
	} else if (len == TOKEN_CHARS(TOKEN_DATED_RAW_LEN)) {
		rawlen = TOKEN_DATED_RAW_LEN;
		plen = TOKEN_DATED_PAYLOAD_LEN;
		label = TOKEN_DATED_LABEL;
	} else
		return st_err(st, STORE_NOTFOUND, "malformed token");
	if (crypt_base32_decode(token, raw, sizeof(raw)) != (long) rawlen)
		return st_err(st, STORE_NOTFOUND, "malformed token");
	token_mac(st, label, raw, plen, mac);
	if (CRYPTO_memcmp(mac, raw + plen, TOKEN_MAC_LEN) != 0)
		return st_err(st, STORE_NOTFOUND, "token signature does not verify");
	if (raw[0] >= CATEGORY_COUNT)
		return st_err(st, STORE_NOTFOUND, "token category out of range");
	for (i = 1; i <= 5; i++)
		u = (u << 8) | raw[i];
	if (u == 0)
		return st_err(st, STORE_NOTFOUND, "token customer out of range");
	if (customer_id)
		*customer_id = (int64_t) u;
	if (cat)
		*cat = (enum category) raw[0];
	if (issued)
		*issued = plen == TOKEN_PAYLOAD_LEN ? 0 : (time_t) ((raw[TOKEN_PAYLOAD_LEN] << 8
			| raw[TOKEN_PAYLOAD_LEN + 1]) * (time_t) STORE_SECONDS_PER_DAY);
	return STORE_OK;
}

int
store_token_verify(struct store *st, const char *token, int64_t *customer_id,
		   enum category *cat)
{
	return store_token_verify_dated(st, token, customer_id, cat, NULL);
}

void
store_web_mac(const struct store *st, const char *label, const void *data, size_t len,
	      unsigned char out[STORE_MAC_LEN])
{
	unsigned char key[CRYPT_MAC_LEN];
	size_t	llen = strlen(label);

	/* A key per label (its NUL included), then the MAC of DATA under it. */
	crypt_mac(st->keys.web, label, llen + 1, key);
	crypt_mac(key, data, len, out);
	OPENSSL_cleanse(key, sizeof(key));
}
