/*
 * NAME
 *	milter_act 3h
 * SUMMARY
 *	links-milter end-of-message decision: who wrote, what to record,
 *	where the message goes
 * SYNOPSIS
 *	#include "milter_act.h"
 *
 *	int	mact_decide(const struct mctx_msg *m, const struct reply_result *r,
 *			    struct store *st, struct mact_plan *p);
 *	int	mact_write(struct store *st, struct mact_plan *p);
 *	void	mact_plan_clear(struct mact_plan *p);
 *	int	mact_may_be_reply(const struct mctx_msg *m, struct store *st);
 *	int	mact_read_begin(struct store *st);
 *
 *	const char *mact_verdict_name(enum mact_verdict v);
 *	const char *mact_action_name(enum mact_action a);
 *	const char *mact_idby_name(enum mact_idby i);
 *	const char *mact_optout_name(enum mact_optout o);
 *	const char *mact_bounce_by_name(enum mact_bounce_by b);
 * DESCRIPTION
 *	mact_decide() looks at one analysed message to LINKS addresses and
 *	fills the plan P. It only reads the store: it identifies the
 *	customer (In-Reply-To/References in the message log, then a
 *	noreply+TOKEN@ recipient, then the From address under
 *	optout_from_policy), lists in P the writes the message calls for
 *	(opt-outs with their evidence, bounce counts), and says what the
 *	milter must do to the message: recipients to delete, one recipient
 *	to add, the X-Links-* headers to add, and the final answer (accept
 *	or discard). Deciding before writing keeps the reads out of the
 *	write transaction: the group commit's leader only writes.
 *
 *	mact_write() performs the writes listed in P on ST, in the caller's
 *	transaction, and counts in P what changed. A question that
 *	references a message of ours from a campaign is one write: it is
 *	counted for that campaign (store_campaign_question(), once per
 *	reply Message-ID however often the reply arrives), in the same
 *	transaction as the message's other writes. A plan without writes
 *	(P->nwrites == 0: other questions, replies, auto-replies) needs no
 *	write transaction at all.
 *
 *	ST may be NULL in mact_decide(): the store is unavailable and
 *	store_failure_action is accept. Nothing is looked up or recorded;
 *	every refusal is then unverified and goes to a person, so nothing
 *	is lost.
 *
 *	mact_may_be_reply() is asked at end of headers: 0 when M cannot
 *	call for any action (no noreply recipient, no X-Links-* header to
 *	remove, no referenced Message-ID in the message log, a From that is
 *	not a customer), so the milter accepts it there and the MTA sends
 *	no body; 1 otherwise, and on a store error (ST may be NULL). Its
 *	reads run in one read snapshot (mact_read_begin()).
 *
 *	mact_read_begin() opens one read snapshot on ST for the reads that
 *	follow, on SQLite (store_read_begin(); end it with
 *	store_read_end()), and tells whether it did: outside one, each
 *	statement takes the file locks, checks the write-ahead log and,
 *	when another connection committed since the statement before,
 *	reads its pages again (pread). On PostgreSQL it opens none: BEGIN
 *	and COMMIT would only add their round trips.
 *
 *	The plan is a record owned by the caller; mact_plan_clear() frees
 *	what it holds. The _name() functions give the words used in logs
 *	and in the X-Links-* headers.
 * DIAGNOSTICS
 *	Both return STORE_OK, or STORE_TEMP / STORE_ERR when the store
 *	failed (P->errmsg says how, without personal data); the caller then
 *	applies store_failure_action and must not apply the plan.
 */
#ifndef LINKS_MILTER_ACT_H
#define LINKS_MILTER_ACT_H

#include <stdint.h>

#include "milter_auth.h"
#include "milter_ctx.h"
#include "reply.h"
#include "store.h"

#define MACT_MSGID_LOOKUPS_MAX	32	/* referenced Message-IDs looked up */
#define MACT_ERRMSG_MAX		256
#define MACT_HVALUE_MAX		64	/* an X-Links-* header value */

enum mact_result { MACT_ACCEPT = 0, MACT_DISCARD, MACT_TEMPFAIL };

enum mact_verdict {
	MACT_V_REPLY = 0, MACT_V_QUESTION, MACT_V_OPTOUT, MACT_V_OPTOUT_QUESTION,
	MACT_V_AUTO_REPLY, MACT_V_BOUNCE, MACT_V_COUNT
};
enum mact_action {
	MACT_A_DELIVER = 0, MACT_A_ROUTE, MACT_A_DISCARD, MACT_A_ARCHIVE,
	MACT_A_DROP_NOREPLY, MACT_A_TEMPFAIL, MACT_A_COUNT
};
enum mact_idby { MACT_ID_NONE = 0, MACT_ID_MSGID, MACT_ID_TOKEN, MACT_ID_FROM, MACT_ID_COUNT };
enum mact_optout { MACT_O_NONE = 0, MACT_O_APPLIED, MACT_O_UNVERIFIED, MACT_O_COUNT };
enum mact_bounce_by { MACT_B_NONE = 0, MACT_B_VERP, MACT_B_MSGID, MACT_B_COUNT };

enum mact_hdr { MACT_H_CUSTOMER = 0, MACT_H_CATEGORY, MACT_H_VERDICT, MACT_H_OPTOUT,
		MACT_H_COUNT };

/* One write the message calls for. */
enum mact_op { MACT_OP_OPTOUT, MACT_OP_BOUNCE, MACT_OP_QUESTION, MACT_OP_CAMPAIGN_BOUNCE };
struct mact_write {
	enum mact_op op;
	int64_t customer;		/* OPTOUT, QUESTION (0: unknown) */
	int	cat;			/* OPTOUT: a category, -1 every refusable one */
	enum store_channel ch;		/* OPTOUT */
	char	text[STORE_EVIDENCE_MAX + 1];	/* OPTOUT evidence, BOUNCE address,
						 * QUESTION our Message-ID */
	char	reply[MADDR_MSGID_MAX];	/* QUESTION, OPTOUT: the reply's Message-ID;
					 * CAMPAIGN_BOUNCE: the bounce's; "" none */
	char	refs[STORE_THREAD_MAX + 1];	/* OPTOUT: what the reply answered (milter_follow.h) */
	int64_t	campaign;		/* CAMPAIGN_BOUNCE (cat: 1 hard, 0 soft); OPTOUT
					 * REPLY: the campaign of the evidence's ref, 0 none */
	struct store_optout_prep *prep;	/* OPTOUT: done before the group commit
					 * (mfollow_prepare()); NULL; the plan owns it */
	unsigned char key[STORE_MAC_LEN];	/* BOUNCE: the address's key, when */
	int	keyed;			/* mfollow_prepare() made it */
};

struct mact_plan {
	enum mact_result result;
	enum reply_kind kind;
	enum mact_verdict verdict;
	enum mact_action action;
	enum mact_idby id_by;
	enum mact_optout optout;
	enum mauth_how auth;		/* how From was authenticated */
	int64_t customer_id;		/* 0: not identified */
	int	category;		/* of the mail replied to; -1 unknown */
	int	changed;		/* categories whose opt-out state changed */
	int	question;
	int	questions_counted;	/* 1: counted for its campaign now */
	long	bounces;		/* hard failures recorded */
	long	soft_bounces;		/* soft (4.x.x) failures, counted apart */
	enum mact_bounce_by bounce_by;	/* how the bounce was authenticated */
	int	company_only;		/* every recipient is a company address */
	const char *subject_tag;	/* RFC 2047 tag before the Subject, or NULL */
	unsigned char *del;		/* per recipient: 1 = smfi_delrcpt */
	size_t	ndel;
	char	add[MADDR_MAX];		/* recipient to add, "" for none */
	struct mact_write *writes;	/* what mact_write() records */
	size_t	nwrites;
	size_t	capwrites;
	const char *hdr_name[MACT_H_COUNT];
	char	hdr_value[MACT_H_COUNT][MACT_HVALUE_MAX];	/* "" = do not add */
	char	errmsg[MACT_ERRMSG_MAX];
};

extern const char *const mact_hdr_names[MACT_H_COUNT];

/* A new, zeroed write at the end of P's list, or NULL (P->errmsg). */
struct mact_write *mact_add_write(struct mact_plan *p, enum mact_op op);
int	mact_decide(const struct mctx_msg *m, const struct reply_result *r,
		    struct store *st, struct mact_plan *p);
int	mact_write(struct store *st, struct mact_plan *p);
int	mact_may_be_reply(const struct mctx_msg *m, struct store *st);
int	mact_read_begin(struct store *st);
void	mact_plan_clear(struct mact_plan *p);

const char *mact_verdict_name(enum mact_verdict v);
const char *mact_action_name(enum mact_action a);
const char *mact_idby_name(enum mact_idby i);
const char *mact_optout_name(enum mact_optout o);
const char *mact_bounce_by_name(enum mact_bounce_by b);

/* The evidence text kept with a consent event (bounded, no personal data
 * beyond the Message-IDs). Exposed for tests. */
void	mact_evidence(char *out, size_t outlen, const char *how, const char *msgid,
		      const char *ref, const char *rule);

#endif
