/*
 * NAME
 *	inbound 3h
 * SUMMARY
 *	store functions of the inbound path: VERP bounce tokens, keyed
 *	hashes of Message-IDs, customer ids without decryption, the busy
 *	timeout of one transaction
 * SYNOPSIS
 *	#include "inbound.h"
 *
 *	int	store_verp_make(struct store *st, int64_t campaign_id,
 *				int64_t customer_id, char *out, size_t outlen);
 *	int	store_verp_verify(struct store *st, const char *token,
 *				  int64_t *campaign_id, int64_t *customer_id);
 *	void	store_evidence_hash(struct store *st, const char *msgid,
 *				    char out[STORE_EVHASH_MAX]);
 *	int	store_customer_id_find(struct store *st, const char *email,
 *				       int64_t *id);
 *	void	store_set_busy_timeout(struct store *st, long ms);
 * DESCRIPTION
 *	A VERP token authenticates a bounce: links-sender sends each
 *	message with the return path noreply+b-TOKEN@domain
 *	(STORE_VERP_PREFIX before the token), and a delivery status
 *	notification for it comes back to that address. The token is
 *	CAMPAIGN_ID (0 for system mail) and CUSTOMER_ID, each in 5 bytes,
 *	and the first STORE_VERP_MAC_LEN bytes of HMAC-SHA256 under the
 *	token key with its own label ("links-verp-v1", so an unsubscribe
 *	token never verifies as a bounce token nor the reverse), in
 *	lowercase base32: STORE_VERP_LEN characters. store_verp_make()
 *	writes it into OUT (at least STORE_VERP_LEN + 1 bytes);
 *	store_verp_verify() returns STORE_OK and the ids when TOKEN is
 *	genuine, STORE_NOTFOUND otherwise.
 *
 *	store_evidence_hash() writes "h:" and 24 hexadecimal digits (the
 *	first STORE_EVHASH_BYTES bytes of HMAC-SHA256 under the blind-index
 *	key of "msgid:" and MSGID): the form in which a reply's Message-ID,
 *	often holding the customer's domain or address, is kept as consent
 *	evidence. It is the store's one hash of such values: the redaction
 *	of evidence (store_optout()) writes the same text for a Message-ID
 *	given in clear, so evidence reads the same whichever side hashed
 *	it. The same MSGID gives the same text, so evidence stays
 *	idempotent and can be matched, never read back. Rows written before
 *	this (milters up to 2026-11, "hmac:" and 32 digits under another
 *	label) are kept and read as they are: no value can be rehashed.
 *
 *	store_customer_id_find() finds the customer of EMAIL through the
 *	blind index only: nothing is decrypted. STORE_OK with *ID,
 *	STORE_NOTFOUND, STORE_ERR for an invalid address, or STORE_TEMP.
 *
 *	store_set_busy_timeout() sets how long this connection waits for a
 *	locked database from now on (store_busy_timeout when opened): the
 *	milter gives a transaction only what is left of its budget after
 *	waiting for its own write lock.
 * DIAGNOSTICS
 *	store_errmsg() says why a function failed.
 */
#ifndef LINKS_STORE_INBOUND_H
#define LINKS_STORE_INBOUND_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define STORE_VERP_PREFIX	"b-"	/* noreply+b-TOKEN@ */
#define STORE_VERP_ID_LEN	5	/* bytes of each id in a token */
#define STORE_VERP_MAC_LEN	12	/* bytes of HMAC kept */
#define STORE_VERP_RAW_LEN	(2 * STORE_VERP_ID_LEN + STORE_VERP_MAC_LEN)
#define STORE_VERP_LEN		((STORE_VERP_RAW_LEN * 8 + 4) / 5)
#define STORE_EVHASH_BYTES	12	/* bytes of HMAC in an evidence hash */
#define STORE_EVHASH_MAX	(2 + 2 * STORE_EVHASH_BYTES + 1)	/* "h:HEX" */

int	store_verp_make(struct store *st, int64_t campaign_id, int64_t customer_id,
			char *out, size_t outlen);
int	store_verp_verify(struct store *st, const char *token, int64_t *campaign_id,
			  int64_t *customer_id);
void	store_evidence_hash(struct store *st, const char *msgid, char out[STORE_EVHASH_MAX]);
int	store_customer_id_find(struct store *st, const char *email, int64_t *id);
void	store_set_busy_timeout(struct store *st, long ms);

#endif
