/*
 * NAME
 *	store 3h
 * SUMMARY
 *	the LINKS customer store: customers, contracts, consent, delivery
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	One struct store is one database connection plus the derived keys.
 *	It is not thread-safe: use one per thread (the milter keeps one per
 *	worker thread). SQL never leaves store/; the engine (SQLite or
 *	PostgreSQL, store_backend in links.conf) is chosen at open behind
 *	one table of functions (db.h), and every function below behaves
 *	the same on both.
 *
 *	Personal data (email, name, phone) is stored encrypted with
 *	AES-256-GCM and found through a blind index HMAC-SHA256(k_idx,
 *	normalised email); see crypt.h. Callers see plain text only.
 *
 *	Return convention, unless a function says otherwise:
 *	  STORE_OK (0)		done;
 *	  STORE_NOTFOUND (1)	a lookup found nothing;
 *	  STORE_ERR (-1)	a permanent error (bad input, corrupt data);
 *	  STORE_TEMP (-2)	a temporary error (database locked past the busy
 *				timeout, disk full, I/O error, read-only file;
 *				PostgreSQL: connection lost, serialization
 *				failure, deadlock, read-only standby, server
 *				shutting down): the milter answers tempfail
 *				and Postfix retries.
 *	store_errmsg() describes the last error; the text never contains
 *	personal data.
 *
 *	Strings in the record structs below are owned by the struct: free
 *	them with the matching *_clear() function. Times are Unix seconds
 *	(UTC); dates ("YYYY-MM-DD") are stored as the start of that day UTC.
 */
#ifndef LINKS_STORE_H
#define LINKS_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "addr.h"
#include "category.h"
#include "conf.h"

#define STORE_OK	0
#define STORE_NOTFOUND	1
#define STORE_ERR	(-1)
#define STORE_TEMP	(-2)

#define STORE_EMAIL_MAX		ADDR_LEN_MAX	/* RFC 5321 path limit */
#define STORE_NAME_MAX		256
#define STORE_PHONE_MAX		32
#define STORE_MAC_LEN		32	/* a keyed hash (store_web_mac(), store_bounce_key()) */
#define STORE_REF_MAX		128
#define STORE_EVIDENCE_MAX	998
#define STORE_TOKEN_MAX		64	/* printable token, NUL included */
#define STORE_ACTOR_MAX		64	/* a staff member's user name */
#define STORE_NOTE_MAX		500	/* a staff note on a consent change */
#define STORE_THREAD_IDS_MAX	10	/* Message-IDs in a confirmation's References */
#define STORE_THREAD_ID_MAX	200	/* bytes of one of them (no brackets), as the sender writes */
#define STORE_THREAD_MAX	(STORE_THREAD_IDS_MAX * (STORE_THREAD_ID_MAX + 3))

/* Email categories: config/category.h (enum category, one table). */

enum store_source { STORE_SRC_PORTAL = 0, STORE_SRC_WEB_FORM, STORE_SRC_STAFF };
const char *store_source_name(enum store_source src);
int	store_source_parse(const char *name, enum store_source *out);

enum store_channel {
	STORE_CH_REPLY = 0,	/* the customer replied "Từ chối" */
	STORE_CH_ONE_CLICK,	/* RFC 8058 one-click or the unsubscribe mailto */
	STORE_CH_STAFF,		/* links-store optout/optin */
	STORE_CH_IMPORT,	/* CSV import */
	STORE_CH_WEB		/* links-web: the unsubscribe and preference pages */
};
const char *store_channel_name(enum store_channel ch);
int	store_channel_parse(const char *name, enum store_channel *out);

/* ---- open / create ---- */
struct store;

/*
 * store_init() creates the key file (32 random bytes, mode 0600, refusing
 * to overwrite) unless it exists, and the database with the current
 * schema. store_open() opens an existing database, runs pending
 * migrations and loads the key; it refuses a key file that group or
 * others can read. Both use store_path and key_file from CONF. The
 * result is owned by the caller; close it with store_close().
 */
int	store_init(const struct conf *conf, char *err, size_t errlen);
struct store *store_open(const struct conf *conf, char *err, size_t errlen);
void	store_close(struct store *st);
/*
 * store_open_err_temporary() tells whether the message ERR of a failed
 * store_open() (or store_open_counts()) is a temporary condition (the
 * server down, the file read-only or locked), which ends " (temporary)",
 * rather than a configuration error (no database, a wrong key).
 */
int	store_open_err_temporary(const char *err);
/*
 * store_open_counts() opens the database without the key file and
 * writes nothing (links-store stats for an unprivileged monitoring user
 * that may read the database but not the key). Only store_stats_get(),
 * store_counter_each(), store_schema_version() and store_close() may be
 * used on it: nothing else works without the key.
 */
struct store *store_open_counts(const struct conf *conf, char *err, size_t errlen);
const char *store_errmsg(const struct store *st);
int	store_schema_version(struct store *st);
/* The engine in use: "sqlite" or "postgresql" (store_backend). */
const char *store_backend_name(const struct store *st);

/* Explicit transactions (nest as savepoints). Each function below is
 * atomic on its own when no transaction is open. */
int	store_begin(struct store *st);
int	store_commit(struct store *st);
int	store_rollback(struct store *st);
/*
 * store_set_flat(st, 1): the levels that store functions (and
 * store_begin()) open inside an open transaction are no savepoints.
 * A savepoint costs its statements and makes SQLite copy every page
 * the level changes into its sub-journal (a refusal's writes: about a
 * tenth of its instructions). A flat level cannot be undone alone:
 * one that ends in failure leaves its writes and spoils the
 * transaction, as does any statement that fails while flat (on
 * PostgreSQL it aborts the transaction; on SQLite some errors roll it
 * back), store_spoiled() then answers 1, and the caller must
 * roll the whole transaction back (store_rollback() of its outermost
 * level); a new transaction starts unspoiled. For a caller that runs
 * many writes in one transaction and, when one fails, all of them
 * again with savepoints (the milter's group commit).
 */
void	store_set_flat(struct store *st, int flat);
int	store_spoiled(const struct store *st);

/* Addresses are normalised by config/addr.h (addr_normalise()): one rule
 * for the store, the milter and the sender. */

/* ---- customers ---- */
struct store_customer {
	int64_t id;
	char   *email;
	char   *name;		/* may be "" */
	char   *phone;		/* may be "" */
	enum store_source source;
	time_t	created;
	time_t	updated;
};
void	store_customer_clear(struct store_customer *c);

/* Insert or update by email (blind index). NAME/PHONE NULL: keep. *ID,
 * *CREATED (1 when a new row was made) may be NULL. */
int	store_customer_upsert(struct store *st, const char *email, const char *name,
			      const char *phone, enum store_source source,
			      int64_t *id, int *created);
int	store_customer_get(struct store *st, int64_t id, struct store_customer *out);
int	store_customer_find(struct store *st, const char *email, struct store_customer *out);
/* Calls FN for each customer in id order; FN returns non-zero to stop. */
int	store_customer_each(struct store *st,
			    int (*fn)(const struct store_customer *, void *), void *arg);
/* Delete the customer with contracts, preferences, bounces, deliveries,
 * outbox and message log, the notes of its consent events, and every
 * campaign whose only recipient it was (its --set values are about this
 * customer); the consent events stay with customer id 0. */
int	store_customer_delete(struct store *st, int64_t id);

/* ---- contracts ---- */
enum store_contract_status { STORE_CONTRACT_ACTIVE = 0, STORE_CONTRACT_ENDED };
struct store_contract {
	int64_t id;
	int64_t customer_id;
	char   *service_type;	/* hosting, vps, domain, email, link, ... */
	char   *ref;		/* the contract reference, unique */
	enum store_contract_status status;
	time_t	started;	/* 0: unknown */
	time_t	ended;		/* 0: not ended */
};
void	store_contract_clear(struct store_contract *k);
/* Insert or update by REF. */
int	store_contract_upsert(struct store *st, int64_t customer_id, const char *service_type,
			      const char *ref, enum store_contract_status status,
			      time_t started, time_t ended, int64_t *id);
/* Mark contract REF ended at WHEN. STORE_NOTFOUND if no such ref. */
int	store_contract_end(struct store *st, const char *ref, time_t when);
int	store_contract_each(struct store *st, int64_t customer_id,
			    int (*fn)(const struct store_contract *, void *), void *arg);
/* 1 if the customer has an active contract of SERVICE_TYPE, 0 if not, <0 error. */
int	store_customer_has_active(struct store *st, int64_t customer_id, const char *service_type);

/* ---- preferences, consent and suppression ---- */

/*
 * store_optout() refuses CAT (or every refusable category when CAT < 0)
 * for a customer, appends one consent event per category whose state
 * changed, adds the address's keyed hash to the suppression list when
 * every refusable category is refused, and, for channel REPLY or
 * ONE_CLICK, queues one opt-out confirmation in the outbox.
 * EVIDENCE (e.g. "reply msgid=<...> ref=<...> rule=command") is kept
 * with the event, every address and every Message-ID that is not ours
 * in it replaced by its keyed hash "h:HEX" (never in clear, still
 * comparable); a "ref=<ID>" naming a message of ours from a campaign
 * ties the event to that campaign (store_campaign_replies()).
 * Idempotent on (customer, EVIDENCE): the same reply seen twice
 * changes nothing twice. *CHANGED (may be NULL) is set to the number of
 * categories whose state changed. Atomic.
 */
int	store_optout(struct store *st, int64_t customer_id, int cat,
		     enum store_channel ch, const char *evidence, int *changed);
/*
 * The customer's reply a refusal came in (store_optout_reply()): its own
 * Message-ID and the identifiers it answered (its References, or its
 * In-Reply-To when it has no References; oldest first, "<a> <b>",
 * brackets optional; NULL or "": none), in clear. Personal data: the
 * store keeps them only sealed, with the confirmation, until it is sent.
 */
struct store_reply_thread {
	const char *message_id;
	const char *references;
	int	campaign_known;		/* 1: CAMPAIGN_ID is the campaign (0: none) of the
					 * message of ours the evidence's "ref=<>" names,
					 * found by the caller; 0: the store looks it up */
	int64_t	campaign_id;
};
/*
 * store_optout() with channel REPLY, whose confirmation answers the
 * reply T (NULL, or an invalid T->message_id: not threaded): the outbox
 * row keeps the References of the answer (RFC 5322 3.6.4: T's
 * references, then T's Message-ID; at most STORE_THREAD_IDS_MAX, the
 * first and the latest; identifiers we could not write are left out),
 * sealed; store_outbox_pending() gives it back as store_outbox.thread.
 */
int	store_optout_reply(struct store *st, int64_t customer_id, int cat, const char *evidence,
			   const struct store_reply_thread *t, int *changed);
/*
 * A refusal's work that needs no write lock, done before it (the
 * milter's group commit then only writes): store_optout_prepare() reads
 * the customer's sealed address on ST (any connection), opens it and
 * computes its suppression hash, and makes the confirmation's
 * Message-ID and its sealed thread T (NULL: none); NULL on failure, with
 * store_errmsg(ST). The caller frees it with store_optout_prep_free().
 * store_optout_prepared() is store_optout() (channel CH; with REPLY and
 * T: store_optout_reply()) using P: under the customer's row lock it
 * checks that the sealed address is still the one P read, else (the
 * address changed in between, or P is another customer's) it does the
 * work itself; the rows written are the same. Personal data: P holds no
 * address in clear, only its sealed form and keyed hash.
 */
struct store_optout_prep;
struct store_optout_prep *store_optout_prepare(struct store *st, int64_t customer_id,
					       const struct store_reply_thread *t);
void	store_optout_prep_free(struct store_optout_prep *p);
int	store_optout_prepared(struct store *st, int64_t customer_id, int cat,
			      enum store_channel ch, const char *evidence,
			      const struct store_reply_thread *t,
			      const struct store_optout_prep *p, int *changed);
/* The reverse, for staff (channel STAFF) and import. Removes the suppression entry. */
int	store_optin(struct store *st, int64_t customer_id, int cat,
		    enum store_channel ch, const char *evidence, int *changed);
/* 1 if the customer refused CAT, 0 if not, <0 on error. */
int	store_is_optout(struct store *st, int64_t customer_id, enum category cat);
/* 1 if the normalised address is on the suppression list, 0 if not, <0 error. */
int	store_is_suppressed(struct store *st, const char *email);

/*
 * store_consent_staff() is a staff member's change (channel STAFF):
 * OPTOUT non-zero refuses CAT (< 0: every refusable one), else agrees
 * again. ACTOR (required, at most STORE_ACTOR_MAX bytes: links-store
 * passes the name of the real user id) is kept in clear with each
 * event; NOTE (may be NULL, at most STORE_NOTE_MAX bytes of UTF-8: a
 * ticket number, what the customer asked) is kept encrypted and is
 * erased with the customer (store_customer_delete(), purge).
 */
int	store_consent_staff(struct store *st, int64_t customer_id, int cat, int optout,
			    const char *actor, const char *note, int *changed);

struct store_consent {
	int64_t id;
	int64_t customer_id;	/* 0 after purge */
	enum category category;
	int	optout;		/* 1 refused, 0 agreed again */
	enum store_channel channel;
	char   *evidence;	/* addresses and foreign Message-IDs as "h:HEX" */
	time_t	at;
	char   *actor;		/* "" unless a staff change */
	char   *note;		/* "" when none, or after the customer was deleted */
	int64_t campaign_id;	/* 0, or the campaign the refusal answered */
};
void	store_consent_clear(struct store_consent *e);
/* Events of CUSTOMER_ID (<= 0: every event), in order. */
int	store_consent_each(struct store *st, int64_t customer_id,
			   int (*fn)(const struct store_consent *, void *), void *arg);
/* Events of every customer (purged ones included) with SINCE <= at <
 * UNTIL, in time order: "yesterday's refusals" for support. */
int	store_consent_range(struct store *st, time_t since, time_t until,
			    int (*fn)(const struct store_consent *, void *), void *arg);

/* ---- bounces ---- */
/* Count one permanent failure for EMAIL; *COUNT gets the new count; the
 * address becomes undeliverable at bounce_threshold (links.conf). */
int	store_bounce_record(struct store *st, const char *email, int *count);
/* The same in two steps: store_bounce_key() normalises and hashes EMAIL
 * (no database; STORE_ERR for an invalid address), outside any write
 * lock; store_bounce_record_key() counts the bounce of the key. */
int	store_bounce_key(struct store *st, const char *email, unsigned char key[STORE_MAC_LEN]);
int	store_bounce_record_key(struct store *st, const unsigned char key[STORE_MAC_LEN],
				int *count);
/* 1 if undeliverable, 0 if not, <0 error. */
int	store_is_undeliverable(struct store *st, const char *email);

/* ---- outbound message log ---- */
struct store_msglog {
	int64_t customer_id;
	enum category category;
	int64_t campaign_id;	/* 0: none */
	time_t	sent;
};
/* Record a Message-ID (without angle brackets) we sent. Idempotent. */
int	store_msglog_add(struct store *st, const char *message_id, int64_t customer_id,
			 enum category cat, int64_t campaign_id);
int	store_msglog_find(struct store *st, const char *message_id, struct store_msglog *out);
/* *WHEN: when the latest message of CAT was logged for CUSTOMER_ID outside
 * campaign EXCEPT_CAMPAIGN (0 when none); links-sender's frequency cap. */
int	store_msglog_last(struct store *st, int64_t customer_id, enum category cat,
			  int64_t except_campaign, time_t *when);

/* ---- unsubscribe tokens ---- */
/* A token is HMAC-signed (customer, category), lowercase base32, safe in
 * an address local part: noreply+TOKEN@domain. OUT has STORE_TOKEN_MAX. */
int	store_token_make(struct store *st, int64_t customer_id, enum category cat,
			 char *out, size_t outlen);
/* STORE_OK and fills the outputs when the token is genuine, STORE_NOTFOUND
 * when it is malformed or its signature does not verify. Accepts the
 * dated tokens below too (their date is not checked here). */
int	store_token_verify(struct store *st, const char *token, int64_t *customer_id,
			   enum category *cat);

/*
 * Dated tokens, for the https links of links-web (weblink.h). Like a
 * token, plus the day ISSUED falls on (UTC), under its own MAC label:
 * STORE_TOKEN_DATED_LEN characters, so the two kinds never collide.
 * links-web refuses a link older than web_token_days; the mailto and
 * VERP tokens stay undated because a reply must work on any mail, however
 * old. store_token_verify_dated() verifies either kind and sets *ISSUED
 * (may be NULL) to the start of the issue day, or to 0 for an undated
 * token. ISSUED must lie in 1970..2149 (a 16-bit day number).
 */
#define STORE_TOKEN_DATED_LEN	32
int	store_token_make_dated(struct store *st, int64_t customer_id, enum category cat,
			       time_t issued, char *out, size_t outlen);
int	store_token_verify_dated(struct store *st, const char *token, int64_t *customer_id,
				 enum category *cat, time_t *issued);

/*
 * store_web_mac() writes HMAC-SHA256(HMAC-SHA256(k_web, LABEL), DATA)
 * into OUT: one key per LABEL (a purpose such as "csrf"), each from
 * k_web, which is derived from the master key like the other keys (HKDF,
 * "links web"), so every host sharing the key file computes the same.
 * links-web uses it for its form (CSRF) tokens and to record a client
 * address as a keyed hash, never in clear. The key never leaves the
 * store.
 */
void	store_web_mac(const struct store *st, const char *label, const void *data, size_t len,
		      unsigned char out[STORE_MAC_LEN]);

/* ---- campaigns and deliveries (links-sender) ---- */
enum store_delivery_status {
	STORE_DLV_QUEUED = 0, STORE_DLV_SENT, STORE_DLV_FAILED, STORE_DLV_SKIPPED
};
const char *store_delivery_status_name(enum store_delivery_status s);

struct store_campaign {
	int64_t id;
	enum category category;
	char   *template_name;
	char   *audience;	/* e.g. "service_type=vps" */
	char   *params;		/* JSON object of --set values (stored encrypted;
				 * "" once erased with its only recipient) */
	time_t	created;
	int	finished;
};
void	store_campaign_clear(struct store_campaign *c);
int	store_campaign_create(struct store *st, enum category cat, const char *template_name,
			      const char *audience, const char *params, int64_t *id);
int	store_campaign_get(struct store *st, int64_t id, struct store_campaign *out);
int	store_campaign_each(struct store *st,
			    int (*fn)(const struct store_campaign *, void *), void *arg);
int	store_campaign_finish(struct store *st, int64_t id);

struct store_delivery {
	int64_t id;
	int64_t campaign_id;
	int64_t customer_id;
	char   *message_id;	/* fixed when the row is made */
	enum store_delivery_status status;
	char   *reason;		/* why skipped or failed; "" */
	int	attempts;
	time_t	updated;
};
void	store_delivery_clear(struct store_delivery *d);
/* Add one row; STATUS is QUEUED or SKIPPED (with REASON). Idempotent on
 * (campaign, customer): a second add returns STORE_OK and changes nothing. */
int	store_delivery_add(struct store *st, int64_t campaign_id, int64_t customer_id,
			   const char *message_id, enum store_delivery_status status,
			   const char *reason);
/* Up to MAX queued rows of CAMPAIGN with id > AFTER, in id order, into
 * OUT (caller provides the array and clears each row). Returns the
 * number of rows (>= 0) or a negative STORE_ code. */
int	store_delivery_queued(struct store *st, int64_t campaign_id, int64_t after,
			      struct store_delivery *out, int max);
int	store_delivery_set(struct store *st, int64_t delivery_id,
			   enum store_delivery_status status, const char *reason);
/* Counts per status into COUNTS[4] (indexed by enum store_delivery_status). */
int	store_delivery_counts(struct store *st, int64_t campaign_id, long counts[4]);

/* ---- what customers answered to a campaign (store/replies.c) ---- */
struct store_campaign_replies {
	long	refusal_customers;	/* customers who refused in reply to it */
	long	refusal_messages;	/* their replies (each counted once) */
	long	question_customers;	/* customers who asked a question in reply */
	long	question_messages;
	long	bounce_hard_customers;	/* customers whose message bounced (5.x.x) */
	long	bounce_soft_customers;	/* customers with a delay or 4.x.x notice */
};
/*
 * For links-sender's status: refusals are counted from the consent
 * events store_optout() ties to the campaign (channel REPLY, evidence
 * "ref=<our Message-ID>"); questions from store_campaign_question(),
 * which the milter calls for a question that referenced OUR_MSGID (a
 * Message-ID of ours, brackets optional). REPLY_MSGID (may be NULL) makes
 * the count idempotent: the same reply seen twice counts once (*COUNTED
 * 1 when counted now, 0 when already counted). CUSTOMER_ID 0: unknown.
 * STORE_NOTFOUND when OUR_MSGID is not a message of a campaign.
 */
int	store_campaign_question(struct store *st, const char *our_msgid, const char *reply_msgid,
				int64_t customer_id, int *counted);
/*
 * For the milter: an authenticated bounce (the campaign and customer of
 * a verified VERP token, store_verp_verify(), or of a returned Message-ID
 * in the message log) counts a HARD (non-zero) or soft bounce of
 * CUSTOMER_ID for CAMPAIGN_ID, once per notification DSN_MSGID (the
 * bounce's own Message-ID, kept as a keyed hash; NULL: counted each
 * time); *COUNTED (may be NULL) 1 when counted now. STORE_NOTFOUND for
 * campaign 0 (system mail); STORE_ERR for customer 0 or an unknown
 * customer (STORE_NOTFOUND).
 */
int	store_campaign_bounce(struct store *st, int64_t campaign_id, int64_t customer_id, int hard,
			      const char *dsn_msgid, int *counted);
int	store_campaign_replies(struct store *st, int64_t campaign_id,
			       struct store_campaign_replies *out);

/* ---- outbox: system messages (opt-out confirmations) ---- */
struct store_outbox {
	int64_t id;
	int64_t customer_id;
	char   *template_name;	/* "optout_confirm" */
	char   *message_id;	/* fixed when queued */
	time_t	queued;
	char   *reason;		/* what links-sender recorded of a pending row; "" */
	char   *thread;		/* the References of the answer to the customer's
				 * reply, "<id> ... <reply>" (the last one is its
				 * In-Reply-To); "" when it answers no reply */
};
void	store_outbox_clear(struct store_outbox *o);
int	store_outbox_add(struct store *st, int64_t customer_id, const char *template_name,
			 int64_t *id);
/* Like store_delivery_queued, for unsent outbox rows. */
int	store_outbox_pending(struct store *st, int64_t after, struct store_outbox *out, int max);
int	store_outbox_done(struct store *st, int64_t id, int sent_ok, const char *reason);
/* links-sender's delivery engine: QUEUED keeps the row pending with REASON
 * ("sending (attempt N)"), SENT marks it sent, FAILED and SKIPPED failed. */
int	store_outbox_set(struct store *st, int64_t id, enum store_delivery_status status,
			 const char *reason);

/* ---- retention, export, statistics ---- */
struct store_purge_report {
	long	customers_deleted;
	long	contracts_deleted;
	long	consent_events_deleted;	/* older than the consent retention */
	long	suppressed_kept;	/* refused addresses whose hash stays */
	long	counter_hours_deleted;	/* per-hour counters as old as that */
};
/* Delete every customer all of whose contracts ended more than
 * retention_grace_days before NOW (and customers with no contract at
 * all created that long ago); keep suppression hashes; keep consent
 * events (customer id cleared) and the per-hour counters for
 * consent_retention_days. With DRY_RUN
 * nothing changes but the report is the same. FN, if not NULL, is
 * called with each customer id about to go. */
int	store_purge(struct store *st, time_t now, int dry_run,
		    void (*fn)(int64_t customer_id, void *), void *arg,
		    struct store_purge_report *rep);

/* Write the customer's own data (profile, contracts, preferences, consent
 * log, messages sent) as one JSON object to FP. */
int	store_export_json(struct store *st, int64_t customer_id, FILE *fp);

/* Named counters (milter statistics and the like), added atomically. */
int	store_counter_add(struct store *st, const char *name, long delta);
int	store_counter_each(struct store *st, int (*fn)(const char *name, long value, void *),
			   void *arg);

struct store_stats {
	long	customers;
	long	contracts_active;
	long	contracts_ended;
	long	optouts[CATEGORY_COUNT];
	long	suppressed;
	long	undeliverable;
	long	messages_logged;
	long	campaigns;
	long	outbox_pending;
	long	consent_events;
};
int	store_stats_get(struct store *st, struct store_stats *out);

/* ---- leases: several senders on one store (store/claim.c) ---- */
/*
 * Up to MAX unsent rows nobody else holds, held for LEASE seconds (1 to
 * 86400): no other caller gets them before the lease ends or the row is
 * finished (store_outbox_done(), store_delivery_set()). Returns the
 * number of rows (>= 0, in id order; the caller clears each) or a
 * negative STORE_ code. PostgreSQL: FOR UPDATE SKIP LOCKED.
 */
int	store_outbox_claim(struct store *st, int lease, struct store_outbox *out, int max);
int	store_delivery_claim(struct store *st, int64_t campaign_id, int lease,
			     struct store_delivery *out, int max);
/* Campaign ID for OWNER ("host:pid") for LEASE seconds, or renew it;
 * STORE_NOTFOUND while another owner's lease runs (or finished/missing). */
int	store_campaign_claim(struct store *st, int64_t id, const char *owner, int lease);
int	store_campaign_release(struct store *st, int64_t id, const char *owner);

/* ---- copy to another engine (links-store migrate-to) ---- */
#define STORE_COPY_TABLES	13
struct store_copy_report {
	const char *table[STORE_COPY_TABLES];	/* table names, static */
	long	rows[STORE_COPY_TABLES];	/* rows copied */
};
/* Copy every row of SRC into the empty DST (same key file), same ids,
 * in one transaction of DST; counts checked. See store/migrate.c. */
int	store_copy(struct store *src, struct store *dst, struct store_copy_report *rep);

/* ---- durability (appended for links-sender's throughput) ---- */
/*
 * store_set_sync() chooses how durable this connection's commits are.
 * FULL non-zero (the default of every connection): each commit syncs
 * the write-ahead log to disk, so a commit survives a power loss.
 * FULL 0 (SQLite's synchronous=NORMAL in WAL mode): a commit is in the
 * operating system's cache when it returns and survives the process
 * being killed (SIGKILL included), but a power loss or kernel crash may
 * lose the last commits; the log is synced at each checkpoint. Use it
 * only where losing the last commits after a power loss is acceptable
 * (links-sender's delivery rows), never where another party is told
 * "done" right after the commit (the milter's refusal records).
 */
int	store_set_sync(struct store *st, int full);

/*
 * store_set_autocheckpoint() sets after how many pages of write-ahead
 * log a commit on this connection also copies the log into the
 * database (SQLite's default 1000; 0: never). store_checkpoint() does
 * that copy now, without waiting for readers or writers (PASSIVE). The
 * milter turns the automatic one off on its message connections, so a
 * refusal's commit never carries a checkpoint's writes and fsyncs, and
 * checkpoints from its main thread every few seconds instead.
 */
int	store_set_autocheckpoint(struct store *st, int pages);
int	store_checkpoint(struct store *st);

/*
 * store_wal_reserve() makes SQLite's write-ahead log file at least
 * RESERVE bytes long (zeros written after its end, never over a byte of
 * it, in a write transaction of its own, synced; at most 1 GiB; 0 or a
 * file that long already: nothing), where the file system has at least
 * 8 times the missing bytes free (a small one keeps its space). Not
 * inside a transaction. PostgreSQL: does nothing.
 *
 * Why: SQLite never shrinks the log file, and after store_wal_restart()
 * its commits write it again from its start; within a file reserved
 * beforehand, a commit then overwrites blocks that are on disk already.
 * An appending commit's fdatasync must also record the file's new size:
 * an ext4 journal commit by the jbd2 kernel thread, which on a busy
 * machine waits for a CPU. Measured on the bench machine under CPU
 * load, write + fdatasync: appending p50 0.6-4 ms, p90 7-12 ms;
 * overwriting p50 0.4-0.5 ms, p90 0.5-4 ms.
 */
int	store_wal_reserve(struct store *st, long reserve);

/* ---- read snapshots (appended for links-sender's throughput; store/snapshot.c) ---- */
/*
 * store_read_begin() opens one read-only transaction for the reads that
 * follow, until store_read_end(): they all see one snapshot of the
 * store, and on SQLite they take the locks and check the write-ahead
 * log once instead of once per statement. Only reads may run in
 * between (no store function that writes, no store_begin()); both
 * return STORE_ERR when a transaction of store_begin() is open.
 * store_read_end() also ends a read transaction a failed read left.
 */
int	store_read_begin(struct store *st);
int	store_read_end(struct store *st);

/* ---- the write-ahead log started over (appended for links-sender; store/wal_restart.c) ---- */
/*
 * store_wal_restart() copies the whole SQLite write-ahead log into the
 * database, waiting (busy handler, store_busy_timeout) until no reader
 * still uses it, so that the next commit writes the log from its start;
 * *BUSY (when not NULL) is 1 when it could not reach the end (readers,
 * another checkpoint; the next call goes on). Not inside a transaction.
 * Nothing on PostgreSQL. For writers that set store_set_autocheckpoint(st,
 * 0): their commits then never walk the log.
 */
int	store_wal_restart(struct store *st, int *busy);

/* ---- undeliverable by customer id (appended for links-sender; store/bounce_id.c) ---- */
/*
 * store_customer_undeliverable() is store_is_undeliverable() for the
 * address of customer CUSTOMER_ID, found through the blind index kept
 * in the customer's row (no normalisation, no HMAC): 1 when that
 * address reached bounce_threshold, 0 when not (or no such customer),
 * or a STORE_ error.
 */
int	store_customer_undeliverable(struct store *st, int64_t customer_id);

/* ---- customer ids alone (appended for links-sender; store/customer_ids.c) ---- */
/*
 * store_customer_ids() calls FN with the id of each customer, in id
 * order, as store_customer_each() does with the whole record, but
 * without decrypting anything; FN returns non-zero to stop. STORE_OK
 * or a STORE_ error.
 */
int	store_customer_ids(struct store *st, int (*fn)(int64_t id, void *arg), void *arg);

#endif
