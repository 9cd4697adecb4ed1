/*
 * NAME
 *	milter_follow 3h
 * SUMMARY
 *	links-milter: what a refusal or a bounce leaves for later (the
 *	reply an opt-out confirmation answers, the campaign a bounce counts
 *	for)
 * SYNOPSIS
 *	#include "milter_follow.h"
 *
 *	void	mfollow_thread(const struct mctx_msg *m, struct mact_write *w);
 *	int	mfollow_optout(struct store *st, const struct mact_write *w,
 *			int *changed);
 *	void	mfollow_prepare(struct store *st, struct mact_plan *p);
 *	int	mfollow_add_bounce(struct mact_plan *p, const struct mfollow_proof *pr,
 *			int64_t customer, int hard);
 *	int	mfollow_bounce(struct store *st, const struct mact_write *w);
 * DESCRIPTION
 *	Issue 18: the opt-out confirmation answers the customer's reply, and
 *	links-sender status shows a campaign's bounces.
 *
 *	mfollow_thread() copies into the opt-out write W (channel REPLY) the
 *	reply's own Message-ID (W->reply) and the identifiers its answer
 *	must reference (W->refs, "<a> <b>"): the reply's References, or its
 *	In-Reply-To when it has no References and names one message (RFC
 *	5322 3.6.4); the first and the latest, STORE_THREAD_IDS_MAX - 1 at
 *	most. These are the clear values the consent evidence no longer
 *	holds (mact_own_msgid() hashes it); mfollow_optout() records the
 *	write with store_optout_reply() when W has a reply (with W->campaign,
 *	the campaign of the message of ours it answered, which the decision
 *	found: the store does not look it up again under the write lock),
 *	else with store_optout(). The store keeps them sealed until the
 *	confirmation is sent. mfollow_prepare() does, before the group
 *	commit and on the message's own connection, what each opt-out write
 *	of P needs no lock for (store_optout_prepare(): the customer's
 *	address opened and hashed, the confirmation's Message-ID and sealed
 *	thread) and of each bounce write (store_bounce_key(): the address
 *	normalised and hashed), so that the leader's transaction only
 *	writes (store_optout_prepared(), store_bounce_record_key()); a
 *	write it could not prepare is done in full there.
 *
 *	mfollow_add_bounce() lists in P, for an authenticated bounce of
 *	CUSTOMER (HARD: 5.x.x, else 4.x.x), the count of that bounce for the
 *	campaign its proof PR names (the VERP token's campaign when the
 *	token is the customer's, else the campaign of the returned
 *	Message-ID); nothing for system mail (campaign 0). mfollow_bounce()
 *	records such a write (store_campaign_bounce(), once per
 *	notification: keyed on the bounce's own Message-ID).
 * DIAGNOSTICS
 *	mfollow_add_bounce(): STORE_OK, or STORE_TEMP (out of memory, with
 *	P->errmsg). mfollow_optout() and mfollow_bounce(): the store's
 *	codes; mfollow_bounce() answers STORE_OK for a campaign or customer
 *	gone since (nothing to count).
 */
#ifndef LINKS_MILTER_FOLLOW_H
#define LINKS_MILTER_FOLLOW_H

#include <stdint.h>

#include "milter_act.h"
#include "milter_ctx.h"
#include "store.h"

/* What authenticated a bounce: the customer and campaign of each proof. */
struct mfollow_proof {
	int64_t	verp_cust;		/* the VERP token's customer, 0 none */
	int64_t	verp_campaign;		/* its campaign (0: system mail) */
	int64_t	msgid_cust;		/* the returned Message-ID's customer, 0 none */
	int64_t	msgid_campaign;		/* its campaign */
	char	dsn_id[MADDR_MSGID_MAX];	/* the bounce's own Message-ID, "" */
};

void	mfollow_thread(const struct mctx_msg *m, struct mact_write *w);
int	mfollow_optout(struct store *st, const struct mact_write *w, int *changed);
void	mfollow_prepare(struct store *st, struct mact_plan *p);
int	mfollow_add_bounce(struct mact_plan *p, const struct mfollow_proof *pr, int64_t customer,
			   int hard);
int	mfollow_bounce(struct store *st, const struct mact_write *w);

#endif
