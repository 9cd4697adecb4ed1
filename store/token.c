/*
 * NAME
 *	token 3
 * SUMMARY
 *	unsubscribe tokens: HMAC-signed (customer, category)
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	Tokens are base32 of: category (1 byte), customer id (5 bytes,
 *	big-endian) and the first TOKEN_MAC_LEN bytes of
 *	HMAC-SHA256(k_tok, "links-token-v1" | those 6 bytes): 29
 *	characters. Verification accepts either case (some MTAs change the
 *	case of a local part) and compares the MAC in constant time. No
 *	database access: a token is checked with the key alone.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "store_int.h"

#define TOKEN_LABEL		"links-token-v1"
#define TOKEN_PAYLOAD_LEN	6
#define TOKEN_ID_BYTES		5
#define TOKEN_MAC_LEN		12
#define TOKEN_RAW_LEN		(TOKEN_PAYLOAD_LEN + TOKEN_MAC_LEN)
#define TOKEN_ID_MAX		((int64_t) 1 << (8 * TOKEN_ID_BYTES))

/* token_mac - HMAC of the label and the payload */
static void
token_mac(struct store *st, const unsigned char payload[TOKEN_PAYLOAD_LEN],
	  unsigned char mac[CRYPT_MAC_LEN])
{
	unsigned char buf[sizeof(TOKEN_LABEL) - 1 + TOKEN_PAYLOAD_LEN];

	memcpy(buf, TOKEN_LABEL, sizeof(TOKEN_LABEL) - 1);
	memcpy(buf + sizeof(TOKEN_LABEL) - 1, payload, TOKEN_PAYLOAD_LEN);
	crypt_mac(st->keys.tok, buf, sizeof(buf), mac);
}

/* store_token_make - the token of (customer, category) into OUT */
int
store_token_make(struct store *st, int64_t customer_id, enum category cat,
		 char *out, size_t outlen)
{
	unsigned char raw[TOKEN_RAW_LEN], mac[CRYPT_MAC_LEN];
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
	token_mac(st, raw, mac);
	memcpy(raw + TOKEN_PAYLOAD_LEN, mac, TOKEN_MAC_LEN);
	if (crypt_base32(raw, sizeof(raw), out, outlen) == 0)
		return (st_err(st, STORE_ERR, "token buffer too small"));
	return (STORE_OK);
}

/* store_token_verify - STORE_OK and the payload when TOKEN is genuine */
int
store_token_verify(struct store *st, const char *token, int64_t *customer_id,
		   enum category *cat)
{
	unsigned char raw[TOKEN_RAW_LEN + 1], mac[CRYPT_MAC_LEN];
	uint64_t u = 0;
	size_t	len;
	int	i;

	if (token == NULL)
		return (st_err(st, STORE_NOTFOUND, "no token"));
	len = strnlen(token, STORE_TOKEN_MAX);
	if (len != (TOKEN_RAW_LEN * 8 + 4) / 5
	    || crypt_base32_decode(token, raw, sizeof(raw)) != TOKEN_RAW_LEN)
		return (st_err(st, STORE_NOTFOUND, "malformed token"));
	token_mac(st, raw, mac);
	if (CRYPTO_memcmp(mac, raw + TOKEN_PAYLOAD_LEN, TOKEN_MAC_LEN) != 0)
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
	return (STORE_OK);
}
