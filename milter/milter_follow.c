/*
 * NAME
 *	milter_follow 3
 * SUMMARY
 *	links-milter: the reply a confirmation answers, the campaign a
 *	bounce counts for
 * SYNOPSIS
 *	#include "milter_follow.h"
 * DESCRIPTION
 *	See milter_follow.h. Kept apart from milter_act.c (the decision),
 *	which these steps only feed.
 * DIAGNOSTICS
 *	See milter_follow.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "milter_addr.h"
#include "milter_follow.h"

/* mfollow_put - append "<ID>" to W->refs; 0, or -1 when it does not fit */
static int
mfollow_put(struct mact_write *w, size_t *len, const char *id)
{
	size_t	n = strlen(id) + 2 + (*len ? 1 : 0);

	if (*len + n >= sizeof(w->refs))
		return (-1);
	snprintf(w->refs + *len, sizeof(w->refs) - *len, "%s<%s>", *len ? " " : "", id);
	*len += n;
	return (0);
}

/* mfollow_thread - the reply's Message-ID and the identifiers it answered, into W */
void
mfollow_thread(const struct mctx_msg *m, struct mact_write *w)
{
	char	(*ids)[MADDR_MSGID_MAX];
	size_t	n, len = 0;

	w->reply[0] = w->refs[0] = 0;
	if ((ids = malloc(MACT_MSGID_LOOKUPS_MAX * sizeof(*ids))) == NULL)
		return;			/* not threaded: the refusal itself holds */
	if (maddr_msgids(mctx_hdr(m, MCTX_H_MESSAGE_ID), ids, 1) == 1)
		memcpy(w->reply, ids[0], sizeof(w->reply));
	if (w->reply[0] == 0)
		goto done;
	/* RFC 5322 3.6.4: the parent's References, else its one In-Reply-To. */
	if ((n = maddr_msgids(mctx_hdr(m, MCTX_H_REFERENCES), ids, MACT_MSGID_LOOKUPS_MAX)) == 0
	    && maddr_msgids(mctx_hdr(m, MCTX_H_IN_REPLY_TO), ids, 2) == 1)
		n = 1;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || i + STORE_THREAD_IDS_MAX - 2 >= n)
			if (mfollow_put(w, &len, ids[i]) < 0)
				break;
done:
	free(ids);
}

/* mfollow_optout - record opt-out write W: with its reply to answer when it has one */
int
mfollow_optout(struct store *st, const struct mact_write *w, int *changed)
{
	struct store_reply_thread t = {w->reply, w->refs, 1, w->campaign};
	int	threaded = w->ch == STORE_CH_REPLY && w->reply[0] != 0;

	if (w->prep != NULL)
		return (store_optout_prepared(st, w->customer, w->cat, w->ch, w->text,
					      threaded ? &t : NULL, w->prep, changed));
	if (!threaded)
		return (store_optout(st, w->customer, w->cat, w->ch, w->text, changed));
	return (store_optout_reply(st, w->customer, w->cat, w->text, &t, changed));
}

/*
 * mfollow_prepare - before the group commit, on this message's own
 * connection ST: each opt-out write's lock-free work (its customer's
 * address opened and hashed, the confirmation's identifiers made and
 * sealed), each bounce's address key (normalised, hashed), so the
 * leader's transaction only writes. A write that cannot
 * be prepared is done in full in the transaction, as before.
 */
void
mfollow_prepare(struct store *st, struct mact_plan *p)
{
	for (size_t i = 0; i < p->nwrites; i++) {
		struct mact_write *w = &p->writes[i];
		struct store_reply_thread t = {w->reply, w->refs, 1, w->campaign};
		int	threaded = w->ch == STORE_CH_REPLY && w->reply[0] != 0;

		if (w->op == MACT_OP_BOUNCE && !w->keyed) {
			/* an invalid address stays for mact_write() to pass over */
			w->keyed = store_bounce_key(st, w->text, w->key) == STORE_OK;
			continue;
		}
		if (w->op != MACT_OP_OPTOUT || w->prep != NULL || w->customer <= 0)
			continue;
		w->prep = store_optout_prepare(st, w->customer, threaded ? &t : NULL);
	}
}

/* mfollow_add_bounce - list the count of CUSTOMER's bounce for the campaign PR names */
int
mfollow_add_bounce(struct mact_plan *p, const struct mfollow_proof *pr, int64_t customer,
		   int hard)
{
	int64_t campaign = customer == pr->verp_cust ? pr->verp_campaign : pr->msgid_campaign;
	struct mact_write *w;

	if (campaign <= 0)
		return (STORE_OK);	/* system mail: no campaign to count for */
	if ((w = mact_add_write(p, MACT_OP_CAMPAIGN_BOUNCE)) == NULL)
		return (STORE_TEMP);
	w->customer = customer;
	w->campaign = campaign;
	w->cat = hard != 0;
	memcpy(w->reply, pr->dsn_id, sizeof(w->reply));
	return (STORE_OK);
}

/* mfollow_bounce - record campaign bounce write W */
int
mfollow_bounce(struct store *st, const struct mact_write *w)
{
	int	rc = store_campaign_bounce(st, w->campaign, w->customer, w->cat,
					   w->reply[0] ? w->reply : NULL, NULL);

	/* The campaign or the customer went since the message was sent. */
	return (rc == STORE_NOTFOUND || rc == STORE_ERR ? STORE_OK : rc);
}
