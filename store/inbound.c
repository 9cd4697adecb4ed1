/*
 * NAME
 *	inbound 3
 * SUMMARY
 *	store functions of the inbound path
 * SYNOPSIS
 *	#include "inbound.h"
 * DESCRIPTION
 *	See inbound.h. Added for the milter's trust rules (issue 12) and
 *	its fast path (issue 14), beside the List-Unsubscribe token of
 *	consent.c, with the same keys.
 * DIAGNOSTICS
 *	See inbound.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "inbound.h"
#include "store_int.h"

#define INBOUND_SQL_MAX	64

#define VERP_LABEL	"links-verp-v1"
#define VERP_ID_LIMIT	((int64_t) 1 << (8 * STORE_VERP_ID_LEN))

/* verp_mac - the MAC of a token's two ids */
static void
verp_mac(struct store *st, const unsigned char *ids, unsigned char mac[CRYPT_MAC_LEN])
{
	unsigned char buf[sizeof(VERP_LABEL) - 1 + 2 * STORE_VERP_ID_LEN];

	memcpy(buf, VERP_LABEL, sizeof(VERP_LABEL) - 1);
	memcpy(buf + sizeof(VERP_LABEL) - 1, ids, 2 * STORE_VERP_ID_LEN);
	crypt_mac(st->keys.tok, buf, sizeof(buf), mac);
}

/* verp_put - ID big-endian into STORE_VERP_ID_LEN bytes at P */
static void
verp_put(unsigned char *p, int64_t id)
{
	uint64_t u = (uint64_t) id;

	for (int i = STORE_VERP_ID_LEN - 1; i >= 0; i--) {
		p[i] = (unsigned char) (u & 0xff);
		u >>= 8;
	}
}

/* verp_get - the id in STORE_VERP_ID_LEN bytes at P */
static int64_t
verp_get(const unsigned char *p)
{
	uint64_t u = 0;

	for (int i = 0; i < STORE_VERP_ID_LEN; i++)
		u = (u << 8) | p[i];
	return ((int64_t) u);
}

/* store_verp_make - the bounce token of (CAMPAIGN_ID, CUSTOMER_ID) */
int
store_verp_make(struct store *st, int64_t campaign_id, int64_t customer_id, char *out,
		size_t outlen)
{
	unsigned char raw[STORE_VERP_RAW_LEN], mac[CRYPT_MAC_LEN];

	if (customer_id <= 0 || customer_id >= VERP_ID_LIMIT)
		return (st_err(st, STORE_ERR, "customer id out of range for a bounce token"));
	if (campaign_id < 0 || campaign_id >= VERP_ID_LIMIT)
		return (st_err(st, STORE_ERR, "campaign id out of range for a bounce token"));
	verp_put(raw, campaign_id);
	verp_put(raw + STORE_VERP_ID_LEN, customer_id);
	verp_mac(st, raw, mac);
	memcpy(raw + 2 * STORE_VERP_ID_LEN, mac, STORE_VERP_MAC_LEN);
	if (crypt_base32(raw, sizeof(raw), out, outlen) == 0)
		return (st_err(st, STORE_ERR, "bounce token buffer too small"));
	return (STORE_OK);
}

/* store_verp_verify - the ids of a genuine bounce token */
int
store_verp_verify(struct store *st, const char *token, int64_t *campaign_id,
		  int64_t *customer_id)
{
	unsigned char raw[STORE_VERP_RAW_LEN + 1], mac[CRYPT_MAC_LEN];
	int64_t cust;

	if (token == NULL || strnlen(token, STORE_VERP_LEN + 1) != STORE_VERP_LEN
	    || crypt_base32_decode(token, raw, sizeof(raw)) != STORE_VERP_RAW_LEN)
		return (st_err(st, STORE_NOTFOUND, "malformed bounce token"));
	verp_mac(st, raw, mac);
	if (CRYPTO_memcmp(mac, raw + 2 * STORE_VERP_ID_LEN, STORE_VERP_MAC_LEN) != 0)
		return (st_err(st, STORE_NOTFOUND, "bounce token signature does not verify"));
	if ((cust = verp_get(raw + STORE_VERP_ID_LEN)) <= 0)
		return (st_err(st, STORE_NOTFOUND, "bounce token customer out of range"));
	if (campaign_id)
		*campaign_id = verp_get(raw);
	if (customer_id)
		*customer_id = cust;
	return (STORE_OK);
}

/* store_evidence_hash - "h:" and the keyed hash of MSGID, as the redaction writes it */
void
store_evidence_hash(struct store *st, const char *msgid, char out[STORE_EVHASH_MAX])
{
	st_evidence_hash(st, msgid, strnlen(msgid, STORE_MSGID_INPUT_MAX), out);
}

/* store_customer_id_find - the customer of EMAIL, by blind index alone */
int
store_customer_id_find(struct store *st, const char *email, int64_t *id)
{
	return (st_customer_id_of(st, email, id));
}

/*
 * store_set_busy_timeout - how long this connection waits for a lock
 * from now on (SQLite's busy handler reads it at each wait; PostgreSQL
 * gets it as lock_timeout)
 */
void
store_set_busy_timeout(struct store *st, long ms)
{
	char	sql[INBOUND_SQL_MAX];

	st->busy_ms = ms > 0 ? ms : 0;
	if (st->ops == &db_sqlite_ops)
		return;
	/* 0 would mean "wait forever" to PostgreSQL: the least it waits is 1 ms. */
	snprintf(sql, sizeof(sql), "SET lock_timeout = %ld", st->busy_ms > 0 ? st->busy_ms : 1);
	(void) db_exec(st, sql);	/* a lost connection shows at the next statement */
}
