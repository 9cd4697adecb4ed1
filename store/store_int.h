/*
 * NAME
 *	store_int 3h
 * SUMMARY
 *	private parts of the store, shared by the store modules
 * SYNOPSIS
 *	#include "store_int.h"
 * DESCRIPTION
 *	struct store, the error helper, transactions and the helpers the
 *	modules share. Nothing outside store/ includes this file.
 *
 *	st_tx_begin() opens a transaction (the engine's write transaction:
 *	BEGIN IMMEDIATE on SQLite, so the write lock is taken at once and
 *	waits at most the busy timeout) or a savepoint when one is already
 *	open; st_tx_end(st, rc) commits when RC is STORE_OK or
 *	STORE_NOTFOUND, else rolls back, and returns RC (or the commit's
 *	error).
 *
 *	st_err() formats the store's message and returns CODE.
 * DIAGNOSTICS
 *	See store.h.
 */
#ifndef LINKS_STORE_INT_H
#define LINKS_STORE_INT_H

#include <time.h>

#include "crypt.h"
#include "db.h"
#include "utf8.h"
#include "store.h"

#define STORE_ERR_MAX		512
#define STORE_DOMAIN_MAX	255
#define STORE_MSGID_RANDOM	16	/* random bytes in a generated Message-ID */
#define STORE_MSGID_TIME_HEX	12	/* hex digits of its time (ms) in front of them */
#define STORE_SECONDS_PER_DAY	86400
#define STORE_TEXT_MAX		4096	/* template names, audiences, reasons */
#define STORE_PARAMS_MAX	65536	/* campaign parameters (JSON) */
#define STORE_STMT_CACHE	48	/* prepared statements kept per connection */
#define STORE_SCHEMA_VERSION	8	/* migrations in schema.c */

/* A prepared statement kept for the next db_prepare() of the same SQL. */
struct st_cached {
	char   *sql;			/* a copy; NULL: free slot */
	size_t	len;
	struct db_stmt *stmt;
	int	in_use;			/* handed out, not yet db_finish()ed */
};

struct store {
	const struct db_ops *ops;	/* the engine, chosen at open */
	void   *engine;			/* the engine's connection state */
	struct crypt_keys keys;
	struct crypt_opener *opener;	/* st_unseal_col()'s, st_seal()'s keyed contexts; NULL: none yet */
	int	depth;			/* open transactions/savepoints */
	int	flat;			/* nested levels open no savepoint (store_set_flat()) */
	int	spoiled;		/* a flat nested level failed: roll the transaction back */
	long	busy_ms;		/* store_busy_timeout */
	long	grace_days;
	long	consent_days;
	long	bounce_threshold;
	int	import_promotion_consent;	/* links.conf, for import.c */
	char	msgid_domain[STORE_DOMAIN_MAX + 1];
	struct st_cached cache[STORE_STMT_CACHE];
	char	dbmsg[DB_MSG_MAX];	/* the engine's last message */
	char	err[STORE_ERR_MAX];
};

int	st_err(struct store *st, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int	st_tx_begin(struct store *st);
int	st_tx_end(struct store *st, int rc);
time_t	st_now(void);
char   *st_strdup(const char *s);

/* store.c: the key check value kept in meta (its first ST_KEY_CHECK_LEN bytes). */
#define ST_KEY_CHECK_LEN	16
void	st_key_check_value(const struct crypt_keys *k, unsigned char out[CRYPT_MAC_LEN]);

/* rekey.c: the blind index, suppression and token keys kept across key
 * rotations (meta "hmac_keys"), loaded into ST->keys at open. */
int	st_keyring_load(struct store *st, const char *keyfile, char *err, size_t errlen);
/* rekey.c: the key ring of SRC, if any, into DST (links-store migrate-to). */
int	st_keyring_copy(struct store *src, struct store *dst);

/* backup.c: open database DB (NULL: store_path) with key file KEY as a
 * store and close it: proves the pair; *SCHEMA gets its version. CONF's
 * store_path and key_file are put back. STORE_OK or STORE_ERR + ERR. */
int	st_open_pair(struct conf *conf, const char *db, const char *key, int *schema,
		     char *err, size_t errlen);
/* backup.c: fsync folder DIR, so that a rename in it is durable. */
void	st_sync_dir(const char *dir);

/* schema.c */
int	schema_migrate(struct store *st, char *err, size_t errlen);

/* customer.c: the blind index and suppression hash of a normalised address. */
void	st_email_index(struct store *st, const char *norm, unsigned char out[CRYPT_MAC_LEN]);
int	st_email_index_of(struct store *st, const char *email, unsigned char out[CRYPT_MAC_LEN]);
void	st_email_suphash(struct store *st, const char *norm, unsigned char out[CRYPT_MAC_LEN]);
/* Decrypt the customer's address (caller frees *EMAIL); STORE_NOTFOUND if no row. */
int	st_customer_email(struct store *st, int64_t id, char **email);
int	st_customer_exists(struct store *st, int64_t id);
int	st_customer_id_of(struct store *st, const char *email, int64_t *id);
int	st_unseal_col(struct store *st, struct db_stmt *s, int col, int64_t row, int field,
		      char **out);
int	st_bind_sealed(struct store *st, struct db_stmt *s, int i, int64_t row, int field,
		       const char *text);
int	st_bind_sealed_keys(struct store *st, const struct crypt_keys *k, struct db_stmt *s,
			    int i, int64_t row, int field, const char *text);
int	st_seal(struct store *st, const struct crypt_keys *k, int64_t row, int field,
		const char *text, unsigned char **out, size_t *len);

/* consent.c: re-apply refusals recorded for a suppressed address to a new row. */
int	st_suppression_apply(struct store *st, int64_t customer_id, const char *norm);
/* consent.c: the suppression entry HASH gets the customer's refusals (none: removed). */
int	st_suppression_sync(struct store *st, int64_t customer_id,
			    const unsigned char hash[CRYPT_MAC_LEN]);

/* outbox.c, campaign_store.c: a record from a row of the usual columns. */
#define OUTBOX_COLS	"id, customer_id, template, message_id, queued, reason, thread_ct"
int	st_outbox_row(struct store *st, struct db_stmt *s, void *rec);
/* outbox.c: store_outbox_add() answering reply T (NULL: none; see store_optout_reply()). */
int	st_outbox_add_thread(struct store *st, int64_t customer_id, const char *template_name,
			     const struct store_reply_thread *t, int64_t *id);
void	st_thread_build(struct store *st, const struct store_reply_thread *t, char *out,
			size_t outlen);
void	st_outbox_row_clear(void *rec);
int	st_delivery_row(struct store *st, struct db_stmt *s, void *rec);
void	st_delivery_row_clear(void *rec);

/* msgid.c: "HEX@DOMAIN" into OUT (at least STORE_MSGID_MAX); clean an input one. */
#define STORE_MSGID_MAX		(STORE_MSGID_TIME_HEX + 2 * STORE_MSGID_RANDOM + 1 \
				 + STORE_DOMAIN_MAX + 1)
#define STORE_MSGID_INPUT_MAX	998	/* one header line */
int	st_make_message_id(struct store *st, char *out, size_t outlen);
int	st_msgid_clean(struct store *st, const char *in, char *out, size_t outlen);

/*
 * optout_prep.c: a refusal's work done before the write lock
 * (store_optout_prepare()): what store_optout_prepared() uses instead
 * of opening the address, hashing it, making and sealing the
 * confirmation's identifiers inside the transaction.
 */
struct store_optout_prep {
	int64_t	customer_id;
	unsigned char *email_ct;	/* the sealed address, as read */
	size_t	email_ct_len;
	unsigned char subject[CRYPT_MAC_LEN];	/* its suppression hash */
	char	msgid[STORE_MSGID_MAX];	/* the confirmation's Message-ID */
	unsigned char *thread_ct;	/* its sealed thread; NULL: not threaded */
	size_t	thread_ct_len;
};
int	st_prep_subject(struct store *st, const struct store_optout_prep *p,
			unsigned char subject[CRYPT_MAC_LEN]);
int	st_outbox_add_prepared(struct store *st, int64_t customer_id, const char *template_name,
			       const struct store_optout_prep *p, int threaded);

/* valid.c: input checks shared by the modules (messages name the field, never the value). */
int	st_text_ok(struct store *st, const char *what, const char *s, size_t max);
int	st_phone_valid(const char *s);
int	st_service_type_valid(const char *s);
int	st_ref_valid(const char *s);
#define STORE_SERVICE_TYPE_MAX	32

/* redact.c: addresses and foreign Message-IDs out of kept text (issue 12). */
int	st_redact_addresses(const char *in, const char *label, char *out, size_t outlen);
int	st_redact_evidence(struct store *st, const char *in, char *out, size_t outlen);
/* "h:HEX" of the N bytes at V: the one keyed hash of a Message-ID or an
 * address kept as evidence (store_evidence_hash(), st_redact_evidence()) */
void	st_evidence_hash(struct store *st, const char *v, size_t n, char *out);
void	st_reason_redact(const char *reason, int64_t customer_id, char *out, size_t outlen);
int	st_reason_of_row(struct store *st, const char *table, int64_t id, const char *reason,
			 char *out, size_t outlen);
int	st_redact_rows(struct store *st);

/* Common step patterns: run to the end; one integer result; a list of records. */
int	st_run(struct store *st, struct db_stmt *s, const char *what);
int	st_count(struct store *st, const char *sql, int64_t arg, long *out);
int	st_exec_arg(struct store *st, const char *sql, int64_t arg, const char *what, long *n);
int	st_returning_id(struct store *st, struct db_stmt *s, int64_t *id, const char *what);
typedef int (*st_row_fn)(struct store *st, struct db_stmt *s, void *rec);
typedef void (*st_clear_fn)(void *rec);
int	st_rows_read(struct store *st, struct db_stmt *s, void *out, size_t size, int max,
		     st_row_fn row, st_clear_fn clear, const char *what);

#endif
