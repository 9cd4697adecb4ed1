/*
 * NAME
 *	crypt 3h
 * SUMMARY
 *	keys, field encryption, blind index and tokens of the store
 * SYNOPSIS
 *	#include "crypt.h"
 *
 *	int	crypt_key_create(const char *path, char *err, size_t errlen);
 *	int	crypt_key_load(const char *path, struct crypt_keys *k,
 *			char *err, size_t errlen);
 *	void	crypt_keys_wipe(struct crypt_keys *k);
 *	void	crypt_str_free(char *s);
 *
 *	long	crypt_seal(const struct crypt_keys *k, int64_t row, int field,
 *			const char *plain, size_t len,
 *			unsigned char *out, size_t outlen);
 *	int	crypt_unseal(const struct crypt_keys *k, int64_t row, int field,
 *			const unsigned char *in, size_t len, char **plain);
 *	struct crypt_opener *crypt_opener_new(void);
 *	int	crypt_unseal_with(struct crypt_opener *o, const struct crypt_keys *k,
 *			int64_t row, int field, const unsigned char *in, size_t len,
 *			char **plain);
 *	long	crypt_seal_with(struct crypt_opener *o, const struct crypt_keys *k,
 *			int64_t row, int field, const char *plain, size_t len,
 *			unsigned char *out, size_t outlen);
 *	long	crypt_seal_with(struct crypt_opener *o, const struct crypt_keys *k, int64_t row,
			int field, const char *plain, size_t len, unsigned char *out,
			size_t outlen);
void	crypt_opener_free(struct crypt_opener *o);
 *	void	crypt_mac(const unsigned char key[CRYPT_KEY_LEN], const void *data,
 *			size_t len, unsigned char out[CRYPT_MAC_LEN]);
 *	int	crypt_random(void *buf, size_t len);
 *	void	crypt_hex(const unsigned char *in, size_t len, char *out);
 *	size_t	crypt_base32(const unsigned char *in, size_t len, char *out, size_t outlen);
 *	long	crypt_base32_decode(const char *in, unsigned char *out, size_t outlen);
 * DESCRIPTION
 *	The master key is 32 random bytes in a key file (raw, or 64 hex
 *	digits and an optional newline). crypt_key_create() writes a new
 *	one with mode 0600 and refuses to overwrite an existing file.
 *	crypt_key_load() refuses a file that is not a regular file or
 *	that group or others may access, and derives with HKDF-SHA256
 *	(salt "links-mail v1") one key per purpose: field encryption,
 *	blind index, suppression list, tokens, links-web, and a key check
 *	value.
 *	Keys never leave struct crypt_keys; crypt_keys_wipe() clears it.
 *	crypt_str_free() wipes a decrypted string (personal data, sealed
 *	parameters) before freeing it.
 *
 *	crypt_seal() encrypts PLAIN with AES-256-GCM. The output is
 *	  key id (1 byte) | nonce (12 random bytes) | ciphertext | tag (16)
 *	and the associated data is the row id (8 bytes, big-endian) and
 *	the FIELD number, so a ciphertext copied to another row or column
 *	does not decrypt. It returns the output length (len +
 *	CRYPT_OVERHEAD) or -1. crypt_unseal() reverses it into a
 *	NUL-terminated string the caller frees; it returns 0, CRYPT_EKID
 *	when the data was sealed under another key id, or CRYPT_EAUTH when
 *	the tag does not verify (tampered data or the wrong key).
 *	crypt_unseal_with() is crypt_unseal() through an opener, a
 *	decryption context keyed once and then given only each field's
 *	nonce: the cipher's set-up, key schedule and context allocation
 *	are paid once per key instead of once per field. An opener is used
 *	by one thread at a time (the store keeps one per connection);
 *	crypt_opener_new() returns NULL when out of memory, and
 *	crypt_unseal_with() with a NULL opener is crypt_unseal().
 *	crypt_seal_with() is crypt_seal() through the opener's second
 *	context, keyed once to encrypt (a fresh random nonce each call);
 *	with a NULL opener it is crypt_seal().
 *	crypt_opener_free() wipes and frees it.
 *
 *	crypt_random() fills BUF with LEN bytes of OpenSSL's generator and
 *	returns 0, or -1; requests of up to 16 bytes (nonces, Message-IDs)
 *	come from a small per-thread pool drawn at once, emptied in the
 *	child of a fork, and wiped as its bytes are handed out.
 *
 *	crypt_mac() is HMAC-SHA256. crypt_base32() writes lowercase RFC
 *	4648 base32 without padding and returns its length (0 if OUTLEN is
 *	too small); crypt_base32_decode() accepts either case and returns
 *	the number of bytes, or -1 for a character outside the alphabet,
 *	non-zero trailing bits, or an output that would not fit.
 * DIAGNOSTICS
 *	Functions with ERR write a message naming the file (never key
 *	material) and return -1.
 */
#ifndef LINKS_CRYPT_H
#define LINKS_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#define CRYPT_KEY_LEN		32	/* master and derived keys */
#define CRYPT_MAC_LEN		32	/* HMAC-SHA256 */
#define CRYPT_NONCE_LEN		12	/* AES-GCM 96-bit nonce */
#define CRYPT_TAG_LEN		16
#define CRYPT_OVERHEAD		(1 + CRYPT_NONCE_LEN + CRYPT_TAG_LEN)
#define CRYPT_KEYFILE_MAX	128	/* bytes read from a key file at most */

#define CRYPT_EAUTH		(-1)
#define CRYPT_EKID		(-2)

/* Field numbers bound into the associated data. */
enum crypt_field {
	CRYPT_F_EMAIL = 1, CRYPT_F_NAME, CRYPT_F_PHONE,
	CRYPT_F_PARAMS,		/* a campaign's --set values (row: campaign id) */
	CRYPT_F_NOTE,		/* a staff note on a consent event (row: customer id) */
	CRYPT_F_THREAD		/* the reply an outbox message answers (row: customer id) */
};

struct crypt_keys {
	unsigned char enc[CRYPT_KEY_LEN];	/* AES-256-GCM */
	unsigned char idx[CRYPT_KEY_LEN];	/* blind index */
	unsigned char sup[CRYPT_KEY_LEN];	/* suppression list */
	unsigned char tok[CRYPT_KEY_LEN];	/* unsubscribe tokens */
	unsigned char web[CRYPT_KEY_LEN];	/* links-web: form tokens, client hashes */
	unsigned char chk[CRYPT_KEY_LEN];	/* key check value */
	unsigned char kid;			/* key id byte */
};

int	crypt_key_create(const char *path, char *err, size_t errlen);
int	crypt_key_load(const char *path, struct crypt_keys *k, char *err, size_t errlen);
void	crypt_keys_wipe(struct crypt_keys *k);
void	crypt_str_free(char *s);

long	crypt_seal(const struct crypt_keys *k, int64_t row, int field,
		   const char *plain, size_t len, unsigned char *out, size_t outlen);
int	crypt_unseal(const struct crypt_keys *k, int64_t row, int field,
		     const unsigned char *in, size_t len, char **plain);

struct crypt_opener;
struct crypt_opener *crypt_opener_new(void);
int	crypt_unseal_with(struct crypt_opener *o, const struct crypt_keys *k, int64_t row,
			  int field, const unsigned char *in, size_t len, char **plain);
long	crypt_seal_with(struct crypt_opener *o, const struct crypt_keys *k, int64_t row,
			int field, const char *plain, size_t len, unsigned char *out,
			size_t outlen);
void	crypt_opener_free(struct crypt_opener *o);

void	crypt_mac(const unsigned char key[CRYPT_KEY_LEN], const void *data, size_t len,
		  unsigned char out[CRYPT_MAC_LEN]);
int	crypt_random(void *buf, size_t len);
void	crypt_hex(const unsigned char *in, size_t len, char *out);
size_t	crypt_base32(const unsigned char *in, size_t len, char *out, size_t outlen);
long	crypt_base32_decode(const char *in, unsigned char *out, size_t outlen);

#endif
