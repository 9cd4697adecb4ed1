/*
 * NAME
 *	token 3
 * SUMMARY
 *	unsubscribe tokens: HMAC-signed (customer, category), dated or not;
 *	links-web's keyed MACs
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	Tokens are base32 of: category (1 byte), customer id (5 bytes,
 *	big-endian) and the first TOKEN_MAC_LEN bytes of
 *	HMAC-SHA256(k_tok, "links-token-v1" | those 6 bytes): 29
 *	characters. Dated tokens (links-web's https links) add the issue
 *	day (days since 1970-01-01 UTC, 2 bytes big-endian) after the
 *	customer id and use the label "links-token-v2": 32 characters.
 *	Verification tells the two kinds apart by their length, accepts
 *	either case (some MTAs change the case of a local part) and
 *	compares the MAC in constant time.
 *
 *	store_web_mac() keys links-web's form tokens and client hashes
 *	with k_web, one derived key per label.
 *
 *	No database access: tokens and MACs need the keys alone, so they
 *	work the same whatever the store's backend.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "store_int.h"

#define TOKEN_LABEL		"links-token-v1"
#define TOKEN_DATED_LABEL	"links-token-v2"
#define TOKEN_PAYLOAD_LEN	6
#define TOKEN_ID_BYTES		5
#define TOKEN_DAY_BYTES		2
#define TOKEN_DATED_PAYLOAD_LEN	(TOKEN_PAYLOAD_LEN + TOKEN_DAY_BYTES)
#define TOKEN_MAC_LEN		12
#define TOKEN_RAW_LEN		(TOKEN_PAYLOAD_LEN + TOKEN_MAC_LEN)
#define TOKEN_DATED_RAW_LEN	(TOKEN_DATED_PAYLOAD_LEN + TOKEN_MAC_LEN)
#define TOKEN_DAY_MAX		0xffff
#define TOKEN_CHARS(raw)	(((raw) * 8 + 4) / 5)	/* base32 length, no padding */
#define TOKEN_ID_MAX		((int64_t) 1 << (8 * TOKEN_ID_BYTES))

/* token_mac - HMAC-SHA256(k_tok, LABEL | PAYLOAD), for either kind */
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

/* token_payload - category and customer id, the start of both kinds */
static int
token_payload(struct store *st, int64_t customer_id, enum category cat,
	      unsigned char raw[TOKEN_PAYLOAD_LEN])
{
	uint64_t u = (uint64_t) customer_id;
	int	i;

	if (customer_id <= 0 || customer_id >= TOKEN_ID_MAX)
		return (st_err(st, STORE_ERR, "customer id out of range for a token"));
	if ((unsigned) cat >= CATEGORY_COUNT)
		return (st_err(st, STORE_ERR, "invalid category %d", (int) cat));
	raw[0] = (unsigned char) cat;
	for (i = TOKEN_ID_BYTES; i >= 1; i--) {
		raw[i] = (unsigned char) (u & 0xff);
		u >>= 8;
	}
	return (STORE_OK);
}

/* store_token_make - the token of (customer, category) into OUT */
int
store_token_make(struct store *st, int64_t customer_id, enum category cat,
		 char *out, size_t outlen)
{
	unsigned char raw[TOKEN_RAW_LEN], mac[CRYPT_MAC_LEN];
	int	rc;

	if ((rc = token_payload(st, customer_id, cat, raw)) != STORE_OK)
		return (rc);
	token_mac(st, TOKEN_LABEL, raw, TOKEN_PAYLOAD_LEN, mac);
	memcpy(raw + TOKEN_PAYLOAD_LEN, mac, TOKEN_MAC_LEN);
	if (crypt_base32(raw, sizeof(raw), out, outlen) == 0)
		return (st_err(st, STORE_ERR, "token buffer too small"));
	return (STORE_OK);
}

/* store_token_make_dated - the dated token of (customer, category, day) */
int
store_token_make_dated(struct store *st, int64_t customer_id, enum category cat,
		       time_t issued, char *out, size_t outlen)
{
	unsigned char raw[TOKEN_DATED_RAW_LEN], mac[CRYPT_MAC_LEN];
	long long day;
	int	rc;

	if ((rc = token_payload(st, customer_id, cat, raw)) != STORE_OK)
		return (rc);
	day = (long long) issued / STORE_SECONDS_PER_DAY;
	if (issued < 0 || day > TOKEN_DAY_MAX)
		return (st_err(st, STORE_ERR, "issue date out of range for a token"));
	raw[TOKEN_PAYLOAD_LEN] = (unsigned char) (day >> 8);
	raw[TOKEN_PAYLOAD_LEN + 1] = (unsigned char) (day & 0xff);
	token_mac(st, TOKEN_DATED_LABEL, raw, TOKEN_DATED_PAYLOAD_LEN, mac);
	memcpy(raw + TOKEN_DATED_PAYLOAD_LEN, mac, TOKEN_MAC_LEN);
	if (crypt_base32(raw, sizeof(raw), out, outlen) == 0)
		return (st_err(st, STORE_ERR, "token buffer too small"));
	return (STORE_OK);
}

/* token_kind - the raw length, payload length and label of a token's length */
static int
token_kind(size_t len, size_t *rawlen, size_t *plen, const char **label)
{
	if (len == TOKEN_CHARS(TOKEN_RAW_LEN)) {
		*rawlen = TOKEN_RAW_LEN;
		*plen = TOKEN_PAYLOAD_LEN;
		*label = TOKEN_LABEL;
	} else if (len == TOKEN_CHARS(TOKEN_DATED_RAW_LEN)) {
		*rawlen = TOKEN_DATED_RAW_LEN;
		*plen = TOKEN_DATED_PAYLOAD_LEN;
		*label = TOKEN_DATED_LABEL;
	} else
		return (-1);
	return (0);
}

/* store_token_verify_dated - STORE_OK and the payload when TOKEN is genuine */
int
store_token_verify_dated(struct store *st, const char *token, int64_t *customer_id,
			 enum category *cat, time_t *issued)
{
	unsigned char raw[TOKEN_DATED_RAW_LEN + 1], mac[CRYPT_MAC_LEN];
	const char *label;
	uint64_t u = 0;
	size_t	rawlen, plen;
	int	i;

	if (token == NULL)
		return (st_err(st, STORE_NOTFOUND, "no token"));
	if (token_kind(strnlen(token, STORE_TOKEN_MAX), &rawlen, &plen, &label) < 0
	    || crypt_base32_decode(token, raw, sizeof(raw)) != (long) rawlen)
		return (st_err(st, STORE_NOTFOUND, "malformed token"));
	token_mac(st, label, raw, plen, mac);
	if (CRYPTO_memcmp(mac, raw + plen, TOKEN_MAC_LEN) != 0)
		return (st_err(st, STORE_NOTFOUND, "token signature does not verify"));
	if (raw[0] >= CATEGORY_COUNT)
		return (st_err(st, STORE_NOTFOUND, "token category out of range"));
	for (i = 1; i <= TOKEN_ID_BYTES; i++)
		u = (u << 8) | raw[i];
	if (u == 0)
		return (st_err(st, STORE_NOTFOUND, "token customer out of range"));
	if (customer_id)
		*customer_id = (int64_t) u;
	if (cat)
		*cat = (enum category) raw[0];
	if (issued)
		*issued = plen == TOKEN_PAYLOAD_LEN ? 0
			: (time_t) ((raw[TOKEN_PAYLOAD_LEN] << 8) | raw[TOKEN_PAYLOAD_LEN + 1])
			* (time_t) STORE_SECONDS_PER_DAY;
	return (STORE_OK);
}

/* store_token_verify - either kind of token, its date not looked at */
int
store_token_verify(struct store *st, const char *token, int64_t *customer_id,
		   enum category *cat)
{
	return (store_token_verify_dated(st, token, customer_id, cat, NULL));
}

/* store_web_mac - HMAC of DATA under the k_web key of LABEL */
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
