/*
 * NAME
 *	crypt 3
 * SUMMARY
 *	keys, field encryption, blind index and tokens of the store
 * SYNOPSIS
 *	#include "crypt.h"
 * DESCRIPTION
 *	See crypt.h. OpenSSL 3 does the cryptography: EVP_KDF "HKDF" for
 *	key derivation, EVP AES-256-GCM for fields, HMAC-SHA256 for the
 *	blind index, suppression hashes and tokens, RAND_bytes for keys and
 *	nonces. Nothing here is hand-made except the file handling and the
 *	base32 coding.
 *
 *	crypt_mac() keeps, for each of the first CRYPT_MAC_KEYS keys it
 *	sees (a process uses a handful: the blind index, suppression,
 *	token, web and key-check keys, the web labels' keys), the SHA-256
 *	states after HMAC's inner and outer key blocks (RFC 2104), so that
 *	a call copies two small structures and hashes the data and the
 *	inner digest: about a fifth of the instructions of duplicating and
 *	freeing a keyed EVP_MAC context per call, which allocates a dozen
 *	objects. That uses OpenSSL's SHA256_Init/Update/Final, deprecated
 *	in OpenSSL 3 but kept (and dispatched to the SHA extensions of the
 *	CPU as EVP's SHA-256 is); an OpenSSL built without them compiles
 *	the EVP path, which is also the path of a key past the table's
 *	capacity. The result is the same HMAC-SHA256.
 * DIAGNOSTICS
 *	See crypt.h.
 */
#include "config.h"

/* SHA256_Init/Update/Final for crypt_mac()'s precomputed HMAC states */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#if !defined(OPENSSL_NO_DEPRECATED_3_0)
#define CRYPT_MAC_MIDSTATE 1		/* crypt_mac() hashes from SHA256_CTX states */
#endif

#include "crypt.h"
#include "text.h"

#define CRYPT_SALT	"links-mail v1"
#define CRYPT_AAD_LEN	9		/* row id (8) + field (1) */

static const char b32_alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

/*
 * The algorithms, fetched from the provider once per process. HMAC()
 * and EVP_aes_256_gcm() look the algorithm and its digest up again on
 * every call (EVP_Q_mac: half the cost of an HMAC of an address, a
 * tenth of links-milter's instructions on ordinary mail). The HMAC
 * template has its digest set and no key; each crypt_mac() call
 * duplicates it. Published with a compare-and-swap (no lock); a loser
 * frees its copy. Never freed: they live as long as the process.
 */
static _Atomic(EVP_MAC_CTX *) crypt_hmac_tmpl;
static _Atomic(EVP_CIPHER *) crypt_gcm;

/*
 * The keyed HMAC contexts: a slot holds a copy of its key (to find it)
 * and a context keyed with it that is only ever duplicated, never
 * updated, so that any number of threads may duplicate it at once
 * (EVP_MAC_CTX_dup() only reads its source: the HMAC provider copies
 * the keyed inner, outer and running digest states and the key). Slots
 * are filled in order, each published once with a compare-and-swap,
 * and never changed or freed afterwards: they stay reachable from this
 * table for the life of the process (LeakSanitizer counts them as
 * reachable). The copy of the key adds nothing to what the keyed
 * context itself holds.
 */
#define CRYPT_MAC_KEYS	16		/* keyed HMAC contexts kept per process */

struct crypt_keyed {
	unsigned char key[CRYPT_KEY_LEN];
	EVP_MAC_CTX *ctx;		/* HMAC-SHA256 keyed with KEY */
#ifdef CRYPT_MAC_MIDSTATE
	SHA256_CTX inner;		/* SHA-256 after (KEY xor ipad) */
	SHA256_CTX outer;		/* SHA-256 after (KEY xor opad) */
#endif
};
static _Atomic(struct crypt_keyed *) crypt_keyed_tab[CRYPT_MAC_KEYS];

/* crypt_hmac_template - HMAC-SHA256 without a key, fetched once; NULL if unavailable */
static EVP_MAC_CTX *
crypt_hmac_template(void)
{
	EVP_MAC_CTX *t = atomic_load(&crypt_hmac_tmpl), *expected = NULL;
	OSSL_PARAM params[2];
	EVP_MAC *mac;

	if (t != NULL)
		return t;
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return NULL;
	t = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);		/* the context holds its own reference */
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *) "SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (t == NULL || EVP_MAC_CTX_set_params(t, params) != 1) {
		EVP_MAC_CTX_free(t);
		return NULL;
	}
	if (!atomic_compare_exchange_strong(&crypt_hmac_tmpl, &expected, t)) {
		EVP_MAC_CTX_free(t);	/* another thread published first */
		t = expected;
	}
	return t;
}

/* crypt_aes_gcm - AES-256-GCM, fetched once (EVP_aes_256_gcm() if the fetch fails) */
static const EVP_CIPHER *
crypt_aes_gcm(void)
{
	EVP_CIPHER *c = atomic_load(&crypt_gcm), *expected = NULL;

	if (c != NULL)
		return c;
	if ((c = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL)) == NULL)
		return EVP_aes_256_gcm();
	if (!atomic_compare_exchange_strong(&crypt_gcm, &expected, c)) {
		EVP_CIPHER_free(c);
		c = expected;
	}
	return c;
}

/*
 * The random pool: a request of up to CRYPT_RANDOM_SMALL bytes (a
 * nonce, a Message-ID) is served from CRYPT_RANDOM_POOL bytes drawn at
 * once, per thread: each RAND_bytes() call locks the generator, checks
 * for a fork (a getpid() system call) and reseeds when due, about 8,000
 * instructions and a system call, which a refusal paid three times.
 * Bytes are taken from the end of the pool and wiped as they leave it,
 * so the pool only holds bytes not yet handed out; a larger request (a
 * key) is drawn directly and never passes through the pool. A child
 * process empties the pool of the thread that forked (the only one it
 * has), so that parent and child never hand out the same bytes.
 */
#define CRYPT_RANDOM_POOL	256	/* bytes drawn from RAND_bytes() at once */
#define CRYPT_RANDOM_SMALL	16	/* requests up to this size use the pool */

struct crypt_pool {
	unsigned char b[CRYPT_RANDOM_POOL];
	size_t	left;			/* bytes not handed out, at the start of B */
};
static _Thread_local struct crypt_pool crypt_pool;
static pthread_once_t crypt_pool_once = PTHREAD_ONCE_INIT;

/* crypt_pool_forget - the child of a fork: the pool of its one thread is emptied */
static void
crypt_pool_forget(void)
{
	OPENSSL_cleanse(crypt_pool.b, sizeof(crypt_pool.b));
	crypt_pool.left = 0;
}

/* crypt_pool_init - register crypt_pool_forget() for the children of fork(), once */
static void
crypt_pool_init(void)
{
	(void) pthread_atfork(NULL, NULL, crypt_pool_forget);
}

/* crypt_random - LEN random bytes into BUF (small ones from the thread's pool); 0 or -1 */
int
crypt_random(void *buf, size_t len)
{
	struct crypt_pool *p = &crypt_pool;

	if (len > CRYPT_RANDOM_SMALL)
		return RAND_bytes(buf, (int) len) == 1 ? 0 : -1;
	(void) pthread_once(&crypt_pool_once, crypt_pool_init);
	if (p->left < len) {
		if (RAND_bytes(p->b, (int) sizeof(p->b)) != 1) {
			crypt_pool_forget();
			return (-1);
		}
		p->left = sizeof(p->b);
	}
	p->left -= len;
	memcpy(buf, p->b + p->left, len);
	OPENSSL_cleanse(p->b + p->left, len);
	return (0);
}

void
crypt_hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t	i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = 0;
}

/*
 * crypt_key_create - write a new master key, never over an existing file.
 * O_EXCL makes the refusal race-free; fchmod() sets 0600 whatever the
 * umask says.
 */
int
crypt_key_create(const char *path, char *err, size_t errlen)
{
	unsigned char key[CRYPT_KEY_LEN];
	int	fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create key file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) < 0 || crypt_random(key, sizeof(key)) < 0
	    || write(fd, key, sizeof(key)) != (ssize_t) sizeof(key) || fsync(fd) < 0) {
		snprintf(err, errlen, "cannot write key file %s: %s", path,
			 errno ? strerror(errno) : "no randomness");
		OPENSSL_cleanse(key, sizeof(key));
		close(fd);
		unlink(path);
		return -1;
	}
	OPENSSL_cleanse(key, sizeof(key));
	if (close(fd) < 0) {
		snprintf(err, errlen, "cannot write key file %s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

static int
hkdf(const unsigned char *master, const char *info, unsigned char *out, size_t outlen)
{
	EVP_KDF *kdf;
	EVP_KDF_CTX *ctx;
	OSSL_PARAM params[5];
	int	ok;

	if ((kdf = EVP_KDF_fetch(NULL, "HKDF", NULL)) == NULL)
		return -1;
	ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (ctx == NULL)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *) "SHA256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *) master,
						      CRYPT_KEY_LEN);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *) CRYPT_SALT,
						      strlen(CRYPT_SALT));
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *) info,
						      strlen(info));
	params[4] = OSSL_PARAM_construct_end();
	ok = EVP_KDF_derive(ctx, out, outlen, params) == 1;
	EVP_KDF_CTX_free(ctx);
	return ok ? 0 : -1;
}

/*
 * crypt_key_load - read and check the master key, derive the working keys.
 * The permission check is on the mode bits, not access(2), so it also
 * holds when an administrator runs the program as root.
 */
int
crypt_key_load(const char *path, struct crypt_keys *k, char *err, size_t errlen)
{
	unsigned char buf[CRYPT_KEYFILE_MAX];
	unsigned char master[CRYPT_KEY_LEN];
	unsigned char kidbuf[1];
	struct stat sb;
	ssize_t	n;
	size_t	len;
	int	fd, i, hi, lo;

	memset(k, 0, sizeof(*k));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open key file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) < 0) {
		snprintf(err, errlen, "cannot stat key file %s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "key file %s is not a regular file", path);
		goto fail;
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "key file %s has mode %04o: group or others can access it; "
			 "refusing to use it (run: chmod 600 %s)", path,
			 (unsigned) (sb.st_mode & 07777), path);
		goto fail;
	}
	len = 0;
	while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read key file %s: %s", path, strerror(errno));
			goto fail;
		}
		len += (size_t) n;
	}
	if (len == CRYPT_KEY_LEN) {
		memcpy(master, buf, CRYPT_KEY_LEN);
	} else if (len == 2 * CRYPT_KEY_LEN || (len == 2 * CRYPT_KEY_LEN + 1 && buf[len - 1] == '\n')) {
		for (i = 0; i < CRYPT_KEY_LEN; i++) {
			if ((hi = text_hexval(buf[2 * i])) < 0 || (lo = text_hexval(buf[2 * i + 1])) < 0) {
				snprintf(err, errlen, "key file %s: not 64 hex digits", path);
				goto fail;
			}
			master[i] = (unsigned char) (hi << 4 | lo);
		}
	} else {
		snprintf(err, errlen, "key file %s: expected a %d-byte key (or %d hex digits), "
			 "found %zu%s bytes", path, CRYPT_KEY_LEN, 2 * CRYPT_KEY_LEN, len,
			 len == sizeof(buf) ? " or more" : "");
		goto fail;
	}
	if (hkdf(master, "links field encryption", k->enc, sizeof(k->enc)) < 0
	    || hkdf(master, "links blind index", k->idx, sizeof(k->idx)) < 0
	    || hkdf(master, "links suppression", k->sup, sizeof(k->sup)) < 0
	    || hkdf(master, "links token", k->tok, sizeof(k->tok)) < 0
	    || hkdf(master, "links web", k->web, sizeof(k->web)) < 0
	    || hkdf(master, "links key check", k->chk, sizeof(k->chk)) < 0
	    || hkdf(master, "links key id", kidbuf, sizeof(kidbuf)) < 0) {
		snprintf(err, errlen, "key file %s: key derivation failed", path);
		goto fail;
	}
	k->kid = kidbuf[0];
	OPENSSL_cleanse(master, sizeof(master));
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return 0;

fail:
	OPENSSL_cleanse(master, sizeof(master));
	OPENSSL_cleanse(buf, sizeof(buf));
	crypt_keys_wipe(k);
	close(fd);
	return -1;
}

/* crypt_str_free - wipe the decrypted string S, then free it (NULL is fine) */
void
crypt_str_free(char *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

void
crypt_keys_wipe(struct crypt_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

static void
make_aad(unsigned char aad[CRYPT_AAD_LEN], int64_t row, int field)
{
	uint64_t u = (uint64_t) row;
	int	i;

	for (i = 7; i >= 0; i--) {
		aad[i] = (unsigned char) (u & 0xff);
		u >>= 8;
	}
	aad[8] = (unsigned char) field;
}

/*
 * seal_on - PLAIN (LEN bytes) sealed for ROW and FIELD into OUT, whose
 * key id byte and nonce are in place, on CTX keyed with the field key
 * and given that nonce; -1 on an OpenSSL failure
 */
static int
seal_on(EVP_CIPHER_CTX *ctx, int64_t row, int field, const char *plain, size_t len,
	unsigned char *out)
{
	unsigned char aad[CRYPT_AAD_LEN];
	int	n, fin;

	make_aad(aad, row, field);
	if (EVP_EncryptUpdate(ctx, NULL, &n, aad, sizeof(aad)) != 1
	    || EVP_EncryptUpdate(ctx, out + 1 + CRYPT_NONCE_LEN, &n,
				 (const unsigned char *) plain, (int) len) != 1
	    || EVP_EncryptFinal_ex(ctx, out + 1 + CRYPT_NONCE_LEN + n, &fin) != 1
	    || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CRYPT_TAG_LEN,
				   out + 1 + CRYPT_NONCE_LEN + len) != 1)
		return (-1);
	return (0);
}

/* seal_start - OUT's key id byte and a fresh nonce, when LEN fits OUTLEN; -1 if not */
static int
seal_start(const struct crypt_keys *k, size_t len, unsigned char *out, size_t outlen)
{
	if (len > (size_t) INT32_MAX || outlen < len + CRYPT_OVERHEAD)
		return (-1);
	out[0] = k->kid;
	return (crypt_random(out + 1, CRYPT_NONCE_LEN));
}

/*
 * An opener: AES-256-GCM contexts keyed with the field key KEY (a copy,
 * to notice another key; wiped when freed), one to decrypt and one to
 * encrypt, each NULL until first used.
 */
struct crypt_keyed_gcm {
	EVP_CIPHER_CTX *ctx;
	unsigned char key[CRYPT_KEY_LEN];
};

struct crypt_opener {
	struct crypt_keyed_gcm open;	/* crypt_unseal_with() */
	struct crypt_keyed_gcm seal;	/* crypt_seal_with() */
};

/* crypt_opener_new - an opener not keyed yet; NULL when out of memory */
struct crypt_opener *
crypt_opener_new(void)
{
	return (calloc(1, sizeof(struct crypt_opener)));
}

/* crypt_gcm_drop - forget G's context and key */
static void
crypt_gcm_drop(struct crypt_keyed_gcm *g)
{
	EVP_CIPHER_CTX_free(g->ctx);
	g->ctx = NULL;
	OPENSSL_cleanse(g->key, sizeof(g->key));
}

/* crypt_opener_free - wipe and free O */
void
crypt_opener_free(struct crypt_opener *o)
{
	if (o == NULL)
		return;
	crypt_gcm_drop(&o->open);
	crypt_gcm_drop(&o->seal);
	free(o);
}

/* crypt_gcm_key - G keyed with K's field key, to encrypt when ENC; -1 on an OpenSSL failure */
static int
crypt_gcm_key(struct crypt_keyed_gcm *g, const struct crypt_keys *k, int enc)
{
	if (g->ctx != NULL && CRYPTO_memcmp(g->key, k->enc, CRYPT_KEY_LEN) == 0)
		return (0);
	crypt_gcm_drop(g);
	if ((g->ctx = EVP_CIPHER_CTX_new()) == NULL
	    || EVP_CipherInit_ex(g->ctx, crypt_aes_gcm(), NULL, NULL, NULL, enc) != 1
	    || EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_GCM_SET_IVLEN, CRYPT_NONCE_LEN, NULL) != 1
	    || EVP_CipherInit_ex(g->ctx, NULL, NULL, k->enc, NULL, enc) != 1) {
		crypt_gcm_drop(g);
		return (-1);
	}
	memcpy(g->key, k->enc, CRYPT_KEY_LEN);
	return (0);
}

/*
 * seal_keyed - crypt_seal() on G, keyed first if it is not keyed with
 * K's field key; a failure forgets G (the next field starts afresh)
 */
static long
seal_keyed(struct crypt_keyed_gcm *g, const struct crypt_keys *k, int64_t row, int field,
	   const char *plain, size_t len, unsigned char *out, size_t outlen)
{
	if (seal_start(k, len, out, outlen) < 0 || crypt_gcm_key(g, k, 1) < 0)
		return (-1);
	/* A new nonce on the keyed context: the key schedule stays. */
	if (EVP_EncryptInit_ex(g->ctx, NULL, NULL, NULL, out + 1) != 1
	    || seal_on(g->ctx, row, field, plain, len, out) != 0) {
		crypt_gcm_drop(g);
		return (-1);
	}
	return ((long) (len + CRYPT_OVERHEAD));
}

/*
 * unseal_keyed - crypt_unseal() on G, keyed first as in seal_keyed();
 * *PLAIN belongs to the caller (NULL on failure)
 */
static int
unseal_keyed(struct crypt_keyed_gcm *g, const struct crypt_keys *k, int64_t row, int field,
	     const unsigned char *in, size_t len, char **plain)
{
	unsigned char aad[CRYPT_AAD_LEN];
	unsigned char tag[CRYPT_TAG_LEN];
	size_t	clen;
	char   *buf;
	int	n, fin, ret = CRYPT_EAUTH;

	*plain = NULL;
	if (len < CRYPT_OVERHEAD || len - CRYPT_OVERHEAD > (size_t) INT32_MAX)
		return (CRYPT_EAUTH);
	if (in[0] != k->kid)
		return (CRYPT_EKID);
	clen = len - CRYPT_OVERHEAD;
	if (crypt_gcm_key(g, k, 0) < 0 || (buf = malloc(clen + 1)) == NULL)
		return (CRYPT_EAUTH);
	memcpy(tag, in + 1 + CRYPT_NONCE_LEN + clen, CRYPT_TAG_LEN);
	make_aad(aad, row, field);
	/* A new nonce on the keyed context: the key schedule stays. */
	if (EVP_DecryptInit_ex(g->ctx, NULL, NULL, NULL, in + 1) != 1
	    || EVP_DecryptUpdate(g->ctx, NULL, &n, aad, sizeof(aad)) != 1
	    || EVP_DecryptUpdate(g->ctx, (unsigned char *) buf, &n,
				 in + 1 + CRYPT_NONCE_LEN, (int) clen) != 1
	    || EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_GCM_SET_TAG, CRYPT_TAG_LEN, tag) != 1
	    || EVP_DecryptFinal_ex(g->ctx, (unsigned char *) buf + n, &fin) != 1) {
		crypt_gcm_drop(g);
		goto done;
	}
	buf[clen] = 0;
	/* A NUL inside the plaintext was never sealed by us. */
	if (strlen(buf) != clen)
		goto done;
	*plain = buf;
	buf = NULL;
	ret = 0;
done:
	if (buf) {
		OPENSSL_cleanse(buf, clen + 1);
		free(buf);
	}
	return (ret);
}

/* crypt_seal - PLAIN sealed for ROW and FIELD into OUT with a context of its own; see crypt.h */
long
crypt_seal(const struct crypt_keys *k, int64_t row, int field,
	   const char *plain, size_t len, unsigned char *out, size_t outlen)
{
	struct crypt_keyed_gcm g = {NULL, {0}};
	long	ret = seal_keyed(&g, k, row, field, plain, len, out, outlen);

	crypt_gcm_drop(&g);
	return (ret);
}

/* crypt_unseal - IN opened for ROW and FIELD with a context of its own; see crypt.h */
int
crypt_unseal(const struct crypt_keys *k, int64_t row, int field,
	     const unsigned char *in, size_t len, char **plain)
{
	struct crypt_keyed_gcm g = {NULL, {0}};
	int	ret = unseal_keyed(&g, k, row, field, in, len, plain);

	crypt_gcm_drop(&g);
	return (ret);
}

/* crypt_seal_with - crypt_seal() through opener O (NULL: crypt_seal()) */
long
crypt_seal_with(struct crypt_opener *o, const struct crypt_keys *k, int64_t row, int field,
		const char *plain, size_t len, unsigned char *out, size_t outlen)
{
	if (o == NULL)
		return (crypt_seal(k, row, field, plain, len, out, outlen));
	return (seal_keyed(&o->seal, k, row, field, plain, len, out, outlen));
}

/* crypt_unseal_with - crypt_unseal() through opener O (NULL: crypt_unseal()) */
int
crypt_unseal_with(struct crypt_opener *o, const struct crypt_keys *k, int64_t row, int field,
		  const unsigned char *in, size_t len, char **plain)
{
	if (o == NULL)
		return (crypt_unseal(k, row, field, in, len, plain));
	return (unseal_keyed(&o->open, k, row, field, in, len, plain));
}

/* crypt_keyed_new - a slot for KEY with its keyed context (caller publishes or frees); NULL on failure */
static struct crypt_keyed *
crypt_keyed_new(const unsigned char key[CRYPT_KEY_LEN])
{
	EVP_MAC_CTX *t = crypt_hmac_template();
	struct crypt_keyed *e;

	if (t == NULL || (e = malloc(sizeof(*e))) == NULL)
		return NULL;
	memcpy(e->key, key, CRYPT_KEY_LEN);
	if ((e->ctx = EVP_MAC_CTX_dup(t)) == NULL
	    || EVP_MAC_init(e->ctx, key, CRYPT_KEY_LEN, NULL) != 1)
		goto fail;
#ifdef CRYPT_MAC_MIDSTATE
	{
		unsigned char pad[SHA256_CBLOCK];	/* the key is shorter than a block */
		int	i, ok;

		memset(pad, 0x36, sizeof(pad));
		for (i = 0; i < CRYPT_KEY_LEN; i++)
			pad[i] ^= key[i];
		ok = SHA256_Init(&e->inner) == 1 && SHA256_Update(&e->inner, pad, sizeof(pad)) == 1;
		memset(pad, 0x5c, sizeof(pad));
		for (i = 0; i < CRYPT_KEY_LEN; i++)
			pad[i] ^= key[i];
		ok = ok && SHA256_Init(&e->outer) == 1
		    && SHA256_Update(&e->outer, pad, sizeof(pad)) == 1;
		OPENSSL_cleanse(pad, sizeof(pad));
		if (!ok)
			goto fail;
	}
#endif
	return e;
fail:
	EVP_MAC_CTX_free(e->ctx);
	OPENSSL_cleanse(e, sizeof(*e));
	free(e);
	return NULL;
}

/* crypt_keyed_free - wipe and free a slot that was not published */
static void
crypt_keyed_free(struct crypt_keyed *e)
{
	EVP_MAC_CTX_free(e->ctx);
	OPENSSL_cleanse(e, sizeof(*e));
	free(e);
}

/*
 * crypt_keyed_ctx - the entry of KEY in the table, adding it when there
 * is room; NULL when the table is full (or on failure). The caller
 * copies its states (or duplicates its context) and never changes it. Two threads
 * adding the same key race for the same empty slot: the loser finds its
 * key in the winner's slot and uses that, so a key has one slot.
 */
static const struct crypt_keyed *
crypt_keyed_ctx(const unsigned char key[CRYPT_KEY_LEN])
{
	struct crypt_keyed *e, *mine = NULL;
	int	i;

	for (i = 0; i < CRYPT_MAC_KEYS; i++) {
		if ((e = atomic_load(&crypt_keyed_tab[i])) == NULL) {
			if (mine == NULL && (mine = crypt_keyed_new(key)) == NULL)
				return NULL;
			if (atomic_compare_exchange_strong(&crypt_keyed_tab[i], &e, mine))
				return mine;
			/* another thread filled slot I first: E is now its entry */
		}
		if (CRYPTO_memcmp(e->key, key, CRYPT_KEY_LEN) == 0) {
			if (mine != NULL)
				crypt_keyed_free(mine);
			return e;
		}
	}
	if (mine != NULL)
		crypt_keyed_free(mine);
	return NULL;
}

/*
 * crypt_mac - HMAC-SHA256 of DATA under KEY into OUT. The key's entry
 * (crypt_keyed_ctx) holds the states after the key: copies of them hash
 * the data and the inner digest; without the SHA256_* functions, a
 * duplicate of its keyed EVP context. Past the table, a duplicate of
 * the unkeyed template is keyed here; without either, the one-shot
 * HMAC().
 */
void
crypt_mac(const unsigned char key[CRYPT_KEY_LEN], const void *data, size_t len,
	  unsigned char out[CRYPT_MAC_LEN])
{
	const struct crypt_keyed *keyed = crypt_keyed_ctx(key);
	EVP_MAC_CTX *t, *ctx;
	unsigned int outlen = CRYPT_MAC_LEN;
	size_t	n = 0;

#ifdef CRYPT_MAC_MIDSTATE
	if (keyed != NULL) {
		SHA256_CTX c = keyed->inner;
		unsigned char ih[SHA256_DIGEST_LENGTH];

		if (SHA256_Update(&c, data, len) != 1 || SHA256_Final(ih, &c) != 1)
			abort();		/* cannot happen: no allocation */
		c = keyed->outer;
		if (SHA256_Update(&c, ih, sizeof(ih)) != 1 || SHA256_Final(out, &c) != 1)
			abort();
		OPENSSL_cleanse(&c, sizeof(c));
		OPENSSL_cleanse(ih, sizeof(ih));
		return;
	}
#endif
	if (keyed != NULL) {
		if ((ctx = EVP_MAC_CTX_dup(keyed->ctx)) == NULL)
			abort();		/* out of memory */
	} else if ((t = crypt_hmac_template()) != NULL) {
		if ((ctx = EVP_MAC_CTX_dup(t)) == NULL
		    || EVP_MAC_init(ctx, key, CRYPT_KEY_LEN, NULL) != 1)
			abort();		/* out of memory, or a broken provider */
	} else {
		if (HMAC(EVP_sha256(), key, CRYPT_KEY_LEN, data, len, out, &outlen) == NULL)
			abort();		/* cannot happen with SHA-256 */
		return;
	}
	if (EVP_MAC_update(ctx, data, len) != 1
	    || EVP_MAC_final(ctx, out, &n, CRYPT_MAC_LEN) != 1 || n != CRYPT_MAC_LEN)
		abort();			/* out of memory, or a broken provider */
	EVP_MAC_CTX_free(ctx);
}

size_t
crypt_base32(const unsigned char *in, size_t len, char *out, size_t outlen)
{
	size_t	need = (len * 8 + 4) / 5, i, o = 0;
	unsigned buf = 0;
	int	bits = 0;

	if (outlen < need + 1)
		return 0;
	for (i = 0; i < len; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32_alphabet[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
		buf &= (1u << bits) - 1;
	}
	if (bits > 0)
		out[o++] = b32_alphabet[(buf << (5 - bits)) & 31];
	out[o] = 0;
	return o;
}

long
crypt_base32_decode(const char *in, unsigned char *out, size_t outlen)
{
	unsigned buf = 0;
	size_t	o = 0;
	int	bits = 0, v;
	const char *p;

	for (p = in; *p; p++) {
		int	c = (unsigned char) *p;

		if (c >= 'a' && c <= 'z')
			v = c - 'a';
		else if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= '2' && c <= '7')
			v = c - '2' + 26;
		else
			return -1;
		buf = (buf << 5) | (unsigned) v;
		bits += 5;
		if (bits >= 8) {
			if (o >= outlen)
				return -1;
			out[o++] = (unsigned char) (buf >> (bits - 8));
			bits -= 8;
		}
		buf &= (1u << bits) - 1;
	}
	/* Canonical form only: leftover bits must be fewer than 5, and zero. */
	if (bits >= 5 || buf != 0)
		return -1;
	return (long) o;
}
