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
 *	void	mact_plan_clear(struct mact_plan *p);
 *	int	mact_may_write(const struct mctx_msg *m, const struct reply_result *r);
 * DESCRIPTION
 *	mact_decide() looks at one analysed message to LINKS addresses,
 *	identifies the customer (In-Reply-To/References in the message
 *	log, then a noreply+TOKEN@ recipient, then the From address under
 *	optout_from_policy), writes what must be recorded to ST (opt-out
 *	with its consent event and confirmation, bounce counts), and fills
 *	P with what the milter must do to the message: recipients to
 *	delete, one recipient to add, the X-Links-* headers to add, and the
 *	final answer (accept, discard or tempfail).
 *
 *	ST may be NULL: the store is unavailable and store_failure_action
 *	is accept. Nothing is recorded; every refusal is then unverified
 *	and goes to a person, so nothing is lost.
 *
 *	The plan is a record owned by the caller; mact_plan_clear() frees
 *	what it holds. Strings in it are static or point into the plan.
 * DIAGNOSTICS
 *	Returns STORE_OK, or STORE_TEMP / STORE_ERR when the store failed
 *	(P->errmsg says how, without personal data); the caller then
 *	applies store_failure_action and must not apply the plan.
 */
#ifndef LINKS_MILTER_ACT_H
#define LINKS_MILTER_ACT_H

#include <stdint.h>

#include "milter_ctx.h"
#include "reply.h"
#include "store.h"

#define MACT_MSGID_LOOKUPS_MAX	32	/* referenced Message-IDs looked up */
#define MACT_BOUNCES_MAX	100	/* failed addresses counted per bounce */
#define MACT_ERRMSG_MAX		256

enum mact_result { MACT_ACCEPT = 0, MACT_DISCARD, MACT_TEMPFAIL };

enum mact_hdr { MACT_H_CUSTOMER = 0, MACT_H_CATEGORY, MACT_H_VERDICT, MACT_H_OPTOUT,
		MACT_H_COUNT };

struct mact_plan {
	enum mact_result result;
	const char *kind;		/* reply_kind_name() */
	const char *verdict;		/* optout, question, optout+question, reply,
					 * auto_reply, bounce */
	const char *action;		/* deliver, route, discard, archive, drop_noreply */
	const char *id_by;		/* msgid, token, from, none */
	const char *optout;		/* NULL, "applied" or "unverified" */
	const char *auth;		/* how From was authenticated, NULL if not */
	int64_t customer_id;		/* 0: not identified */
	int	category;		/* of the mail replied to; -1 unknown */
	int	changed;		/* categories whose opt-out state changed */
	int	question;
	long	bounces;		/* failed addresses recorded */
	unsigned char *del;		/* per recipient: 1 = smfi_delrcpt */
	size_t	ndel;
	char	add[MADDR_MAX];		/* recipient to add, "" for none */
	const char *hdr_name[MACT_H_COUNT];
	char	hdr_value[MACT_H_COUNT][64];	/* "" = do not add */
	char	errmsg[MACT_ERRMSG_MAX];
};

extern const char *const mact_hdr_names[MACT_H_COUNT];

int	mact_decide(const struct mctx_msg *m, const struct reply_result *r,
		    struct store *st, struct mact_plan *p);
void	mact_plan_clear(struct mact_plan *p);
/*
 * Whether mact_decide() may write to the store for this message: a
 * bounce, a refusal in the body, or a noreply+TOKEN@ recipient. Every
 * other message (questions, replies, auto-replies) only reads, so the
 * milter decides it without a write transaction, the write lock or a
 * commit.
 */
int	mact_may_write(const struct mctx_msg *m, const struct reply_result *r);

/* The evidence text kept with a consent event (bounded, no personal data
 * beyond the Message-IDs). Exposed for tests. */
void	mact_evidence(char *out, size_t outlen, const char *how, const char *msgid,
		      const char *ref, const char *rule);

#endif
