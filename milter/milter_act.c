/*
 * NAME
 *	milter_act 3
 * SUMMARY
 *	links-milter end-of-message decision
 * SYNOPSIS
 *	#include "milter_act.h"
 * DESCRIPTION
 *	See milter_act.h. The rules, in the order they are applied:
 *
 *	Bounce: counted only when it came to noreply (our envelope sender)
 *	and is authenticated: by a genuine VERP token of the return path
 *	(noreply+b-TOKEN@, the customer it was sent to), or by the returned
 *	headers' Message-ID, logged for that customer. Only the failed
 *	recipients that are that customer count, once per notification: a
 *	hard failure (5.x.x) as a bounce, a soft one (4.x.x) apart. Then
 *	noreply recipients are dropped (bounce_action = discard). A bounce
 *	without proof is never counted: it goes to support.
 *
 *	Auto-reply: never a refusal, never routed; noreply recipients are
 *	dropped when auto_reply_action = discard.
 *
 *	Reply: identified by the message log, then a token recipient, then
 *	From. A message to a noreply+TOKEN@ address is a refusal whatever
 *	its body says and opts out the token's category (channel
 *	one_click); a refusal in the body opts out every refusable category
 *	(channel reply) when the sender is proven: by the message log or a
 *	token, or by From under optout_from_policy. A refusal that is not
 *	proven is "unverified" and goes to a person. A pure, applied
 *	refusal sent only to noreply follows pure_refusal_action; every
 *	other reply reaches a person: noreply recipients are replaced by
 *	support (unless support is already a recipient).
 * DIAGNOSTICS
 *	Store errors are returned; see milter_act.h.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milter_act.h"
#include "milter_addr.h"
#include "milter_auth.h"
#include "milter_dsn.h"
#include "milter_follow.h"
#include "inbound.h"

#define MACT_OWN_MSGID_MAX	(MADDR_MSGID_MAX + 8)	/* "qid:" and a queue id fit too */

const char *const mact_hdr_names[MACT_H_COUNT] = {
	"X-Links-Customer", "X-Links-Category", "X-Links-Verdict", "X-Links-Optout"
};

static const char *const mact_verdict_names[MACT_V_COUNT] = {
	"reply", "question", "optout", "optout+question", "auto_reply", "bounce"
};
static const char *const mact_action_names[MACT_A_COUNT] = {
	"deliver", "route", "discard", "archive", "drop_noreply", "tempfail"
};
static const char *const mact_idby_names[MACT_ID_COUNT] = {"none", "msgid", "token", "from"};
static const char *const mact_optout_names[MACT_O_COUNT] = {"none", "applied", "unverified"};
static const char *const mact_bounce_by_names[MACT_B_COUNT] = {"none", "verp", "msgid"};

/* subject_tag: "[Từ chối] ", "[Câu hỏi] ", both, as RFC 2047 encoded words */
#define MACT_TAG_OPTOUT		"=?UTF-8?B?W1Thu6sgY2jhu5FpXSA=?="
#define MACT_TAG_QUESTION	"=?UTF-8?B?W0PDonUgaOG7j2ldIA==?="
#define MACT_TAG_BOTH		"=?UTF-8?B?W1Thu6sgY2jhu5FpXSBbQ8OidSBo4buPaV0g?="

/* mact_bounce_by_name - the word for a bounce's proof B */
const char *
mact_bounce_by_name(enum mact_bounce_by b)
{
	return ((unsigned) b < MACT_B_COUNT ? mact_bounce_by_names[b] : "unknown");
}

/* mact_verdict_name - the word for verdict V */
const char *
mact_verdict_name(enum mact_verdict v)
{
	return ((unsigned) v < MACT_V_COUNT ? mact_verdict_names[v] : "unknown");
}

/* mact_action_name - the word for action A */
const char *
mact_action_name(enum mact_action a)
{
	return ((unsigned) a < MACT_A_COUNT ? mact_action_names[a] : "unknown");
}

/* mact_idby_name - the word for identification I */
const char *
mact_idby_name(enum mact_idby i)
{
	return ((unsigned) i < MACT_ID_COUNT ? mact_idby_names[i] : "unknown");
}

/* mact_optout_name - the word for opt-out state O */
const char *
mact_optout_name(enum mact_optout o)
{
	return ((unsigned) o < MACT_O_COUNT ? mact_optout_names[o] : "unknown");
}

/* mact_plan_clear - free what plan P holds */
void
mact_plan_clear(struct mact_plan *p)
{
	free(p->del);
	p->del = NULL;
	p->ndel = 0;
	for (size_t i = 0; i < p->nwrites; i++)
		store_optout_prep_free(p->writes[i].prep);
	free(p->writes);
	p->writes = NULL;
	p->nwrites = p->capwrites = 0;
}

/* mact_is_noreply - whether recipient kind K is noreply, noreply+TOKEN or noreply+b-TOKEN */
static int
mact_is_noreply(enum maddr_kind k)
{
	return (k == MADDR_NOREPLY || k == MADDR_NOREPLY_TOKEN || k == MADDR_NOREPLY_VERP);
}

/* mact_fail - record in P which store call failed */
static void
mact_fail(struct mact_plan *p, struct store *st, const char *what)
{
	snprintf(p->errmsg, sizeof(p->errmsg), "%s: %s", what,
		 st ? store_errmsg(st) : "store unavailable");
}

/* mact_evidence - the consent evidence text, bounded by STORE_EVIDENCE_MAX */
void
mact_evidence(char *out, size_t outlen, const char *how, const char *msgid,
	      const char *ref, const char *rule)
{
	int	has_ref = ref && *ref;

	if (outlen > STORE_EVIDENCE_MAX + 1)
		outlen = STORE_EVIDENCE_MAX + 1;
	snprintf(out, outlen, "%s msgid=<%s>%s%s%s rule=%s", how, msgid,
		 has_ref ? " ref=<" : "", has_ref ? ref : "", has_ref ? ">" : "",
		 rule && *rule ? rule : "none");
}

/* mact_add_write - a new, zeroed write at the end of P's list, or NULL */
struct mact_write *
mact_add_write(struct mact_plan *p, enum mact_op op)
{
	struct mact_write *w;

	if (p->nwrites == p->capwrites) {
		size_t	cap = p->capwrites ? 2 * p->capwrites : 2;

		if ((w = realloc(p->writes, cap * sizeof(*w))) == NULL) {
			snprintf(p->errmsg, sizeof(p->errmsg), "out of memory");
			return (NULL);
		}
		p->writes = w;
		p->capwrites = cap;
	}
	w = &p->writes[p->nwrites++];
	memset(w, 0, sizeof(*w));
	w->op = op;
	return (w);
}

/* mact_add_optout - list an opt-out of CAT for CUSTOMER with EVIDENCE */
static int
mact_add_optout(struct mact_plan *p, int64_t customer, int cat, enum store_channel ch,
		const char *evidence)
{
	struct mact_write *w = mact_add_write(p, MACT_OP_OPTOUT);

	if (w == NULL)
		return (STORE_TEMP);
	w->customer = customer;
	w->cat = cat;
	w->ch = ch;
	snprintf(w->text, sizeof(w->text), "%s", evidence);
	return (STORE_OK);
}

/* mact_drop_noreply - drop every noreply recipient; discard when nobody else is addressed */
static void
mact_drop_noreply(const struct mctx_msg *m, struct mact_plan *p)
{
	size_t	n = mctx_rcpt_count(m), nn = 0;

	for (size_t i = 0; i < n; i++)
		if (mact_is_noreply(mctx_rcpt_kind(m, i)))
			nn++;
	if (nn == 0) {
		p->action = MACT_A_DELIVER;
		return;
	}
	if (nn == n) {
		p->result = MACT_DISCARD;
		p->action = MACT_A_DISCARD;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (mact_is_noreply(mctx_rcpt_kind(m, i)))
			p->del[i] = 1;
	p->action = MACT_A_DROP_NOREPLY;
}

/* mact_redirect_noreply - replace noreply recipients by ADDR (support or the archive) */
static void
mact_redirect_noreply(const struct mctx_msg *m, struct mact_plan *p, const char *addr,
		      enum mact_action action)
{
	size_t	n = mctx_rcpt_count(m);
	int	present = 0, moved = 0;

	for (size_t i = 0; i < n; i++) {
		char	a[MADDR_MAX];

		if (mact_is_noreply(mctx_rcpt_kind(m, i))) {
			p->del[i] = 1;
			moved = 1;
		} else if (maddr_normalise(mctx_rcpt_addr(m, i), a, sizeof(a)) == 0
			   && strcmp(a, addr) == 0) {
			present = 1;
		}
	}
	if (!moved) {
		p->action = MACT_A_DELIVER;
		return;
	}
	if (!present)
		snprintf(p->add, sizeof(p->add), "%s", addr);
	p->action = action;
}

/*
 * mact_own_msgid - how evidence names the incoming message: the keyed
 * hash of its first Message-ID (which often holds the customer's
 * domain or address: never kept in clear), or "qid:QUEUEID".
 */
static void
mact_own_msgid(const struct mctx_msg *m, struct store *st, char *out, size_t outlen)
{
	char	ids[1][MADDR_MSGID_MAX], h[STORE_EVHASH_MAX];

	if (maddr_msgids(mctx_hdr(m, MCTX_H_MESSAGE_ID), ids, 1) == 1) {
		store_evidence_hash(st, ids[0], h);
		snprintf(out, outlen, "%s", h);
	} else
		snprintf(out, outlen, "qid:%s", mctx_qid(m));
}

/* mact_reverse - reverse the N identifiers at IDS */
static void
mact_reverse(char (*ids)[MADDR_MSGID_MAX], size_t n)
{
	char	tmp[MADDR_MSGID_MAX];

	for (size_t i = 0; i < n / 2; i++) {
		memcpy(tmp, ids[i], sizeof(tmp));
		memcpy(ids[i], ids[n - 1 - i], sizeof(tmp));
		memcpy(ids[n - 1 - i], tmp, sizeof(tmp));
	}
}

/*
 * mact_by_msgid - look up In-Reply-To, then References from the most
 * recent one back, in the message log. STORE_OK with *ML and REF filled,
 * STORE_NOTFOUND, or a store error.
 */
static int
mact_by_msgid(const struct mctx_msg *m, struct store *st, struct store_msglog *ml,
	      char *ref, size_t reflen)
{
	char	(*ids)[MADDR_MSGID_MAX];
	size_t	n, nr;
	int	rc = STORE_NOTFOUND;

	/* Not zeroed: maddr_msgids() writes each entry it counts (8 KB per
	 * message of memset was a tenth of the end-of-headers decision). */
	if ((ids = malloc(MACT_MSGID_LOOKUPS_MAX * sizeof(*ids))) == NULL)
		return (STORE_TEMP);
	n = maddr_msgids(mctx_hdr(m, MCTX_H_IN_REPLY_TO), ids, MACT_MSGID_LOOKUPS_MAX / 2);
	nr = maddr_msgids(mctx_hdr(m, MCTX_H_REFERENCES), ids + n, MACT_MSGID_LOOKUPS_MAX - n);
	/* References lists the oldest first: the latest is the likeliest. */
	mact_reverse(ids + n, nr);
	for (size_t i = 0; i < n + nr; i++) {
		rc = store_msglog_find(st, ids[i], ml);
		if (rc == STORE_OK && ml->customer_id > 0) {
			snprintf(ref, reflen, "%s", ids[i]);
			break;
		}
		if (rc == STORE_OK)
			rc = STORE_NOTFOUND;	/* a purged customer */
		if (rc != STORE_NOTFOUND)
			break;
	}
	free(ids);
	return (rc);
}

/*
 * mact_from_auth - how the Authentication-Results of our own hosts (the
 * top block, see milter_ctx.h) prove the From domain. For each method
 * the topmost header that has a result of that method decides (our
 * verifier's "dkim=none" or "dmarc=fail" is above anything a client
 * put below it: a copy further down cannot add a pass to what ours
 * said); any fail about the From domain wins over every pass.
 */
static enum mauth_how
mact_from_auth(const struct mctx_msg *m, const char *from)
{
	const char *const *trusted;
	size_t	nt = mcfg_trusted(mctx_cfg(m), &trusted);
	const char *jobid = mcfg_authserv_jobid(mctx_cfg(m)) ? mctx_qid(m) : NULL;
	unsigned seen = 0, pass = 0;
	struct mauth_res res;

	if (from[0] == 0)
		return (MAUTH_NONE);
	for (size_t i = 0; i < mctx_ar_count(m); i++) {
		if (!mauth_eval(mctx_ar(m, i), trusted, nt, jobid, addr_domain(from), &res))
			continue;
		if (res.fail)
			return (MAUTH_NONE);
		pass |= res.pass & ~seen;
		seen |= res.present;
	}
	return (mauth_best(pass));
}

/* mact_bounce_auth - who a bounce is authenticated for: by VERP token, by returned Message-ID */
static int
mact_bounce_auth(const struct mctx_msg *m, struct store *st, const struct mdsn *d,
		 struct mact_plan *p, struct mfollow_proof *pr)
{
	struct store_msglog ml;
	char	ids[1][MADDR_MSGID_MAX];
	int	rc;

	memset(pr, 0, sizeof(*pr));
	if (maddr_msgids(mctx_hdr(m, MCTX_H_MESSAGE_ID), ids, 1) == 1)
		memcpy(pr->dsn_id, ids[0], sizeof(pr->dsn_id));
	for (size_t i = 0; i < mctx_rcpt_count(m) && pr->verp_cust == 0; i++) {
		if (mctx_rcpt_kind(m, i) != MADDR_NOREPLY_VERP || mctx_rcpt_token(m, i)[0] == 0)
			continue;
		rc = store_verp_verify(st, mctx_rcpt_token(m, i), &pr->verp_campaign,
				       &pr->verp_cust);
		if (rc != STORE_OK && rc != STORE_NOTFOUND) {
			mact_fail(p, st, "store_verp_verify");
			return (rc);
		}
	}
	if (d->msgid[0] == 0)
		return (STORE_OK);
	if ((rc = store_msglog_find(st, d->msgid, &ml)) == STORE_OK) {
		pr->msgid_cust = ml.customer_id;
		pr->msgid_campaign = ml.campaign_id;
	} else if (rc != STORE_NOTFOUND) {
		mact_fail(p, st, "store_msglog_find");
		return (rc);
	}
	return (STORE_OK);
}

/* mact_bounce_one - count failed address A (normalised) of class CLS when it is the proven customer's */
static int
mact_bounce_one(struct store *st, struct mact_plan *p, const char *a, enum mdsn_class cls,
		const struct mfollow_proof *pr)
{
	struct mact_write *w;
	int64_t id = 0;
	int	rc;

	if (cls == MDSN_OTHER)
		return (STORE_OK);
	if ((rc = store_customer_id_find(st, a, &id)) == STORE_NOTFOUND || rc == STORE_ERR)
		return (STORE_OK);
	if (rc != STORE_OK) {
		mact_fail(p, st, "store_customer_id_find");
		return (rc);
	}
	if (id != pr->verp_cust && id != pr->msgid_cust)
		return (STORE_OK);		/* not the recipient the proof is for */
	p->bounce_by = id == pr->verp_cust ? MACT_B_VERP : MACT_B_MSGID;
	if ((rc = mfollow_add_bounce(p, pr, id, cls == MDSN_HARD)) != STORE_OK)
		return (rc);
	if (cls == MDSN_SOFT) {
		p->soft_bounces++;
		return (STORE_OK);
	}
	if ((w = mact_add_write(p, MACT_OP_BOUNCE)) == NULL)
		return (STORE_TEMP);
	snprintf(w->text, sizeof(w->text), "%s", a);
	return (STORE_OK);
}

/*
 * mact_bounce_list - the failed recipients of a bounce, normalised,
 * each address once (one notification counts an address once), into
 * D (reused: addresses replaced by their normalised form).
 */
static void
mact_bounce_list(const struct reply_result *r, struct mdsn *d)
{
	size_t	n = 0;

	if (d->nrcpt == 0) {			/* no delivery-status part: */
		for (size_t i = 0; i < reply_result_bounce_count(r) && i < MDSN_RCPT_MAX; i++) {
			snprintf(d->rcpt[i].addr, MADDR_MAX, "%s", reply_result_bounce_address(r, i));
			d->rcpt[i].cls = MDSN_HARD;	/* X-Failed-Recipients */
			d->nrcpt++;
		}
	}
	for (size_t i = 0; i < d->nrcpt; i++) {
		char	a[MADDR_MAX];
		int	seen = 0;

		if (maddr_normalise(d->rcpt[i].addr, a, sizeof(a)) != 0 || a[0] == 0)
			continue;
		for (size_t j = 0; j < n && !seen; j++)
			seen = strcmp(d->rcpt[j].addr, a) == 0;
		if (seen)
			continue;
		memcpy(d->rcpt[n].addr, a, sizeof(a));
		d->rcpt[n++].cls = d->rcpt[i].cls;
	}
	d->nrcpt = n;
}

/* mact_bounce_count - the authenticated failed addresses of a bounce into P */
static int
mact_bounce_count(const struct mctx_msg *m, const struct reply_result *r, struct store *st,
		  struct mact_plan *p)
{
	struct mdsn *d;
	struct mfollow_proof pr;
	size_t	len;
	const char *text = mctx_text(m, &len);
	int	rc;

	if ((d = malloc(sizeof(*d))) == NULL)
		return (STORE_TEMP);
	(void) mdsn_parse(text, len, d);
	if ((rc = mact_bounce_auth(m, st, d, p, &pr)) != STORE_OK
	    || (pr.verp_cust == 0 && pr.msgid_cust == 0))
		goto done;
	mact_bounce_list(r, d);
	for (size_t i = 0; i < d->nrcpt && rc == STORE_OK; i++)
		rc = mact_bounce_one(st, p, d->rcpt[i].addr, d->rcpt[i].cls, &pr);
done:
	free(d);
	return (rc);
}

/*
 * mact_bounce - a bounce to noreply counts only when it is authenticated
 * (a genuine VERP token of the failed recipient, or the returned
 * Message-ID logged for that recipient); hard and soft kept apart. An
 * authenticated one follows bounce_action; anything else goes to support.
 */
static int
mact_bounce(const struct mctx_msg *m, const struct reply_result *r, struct store *st,
	    struct mact_plan *p)
{
	int	to_noreply = 0, rc;

	p->verdict = MACT_V_BOUNCE;
	for (size_t i = 0; i < mctx_rcpt_count(m); i++)
		if (mact_is_noreply(mctx_rcpt_kind(m, i)))
			to_noreply = 1;
	if (!to_noreply) {
		p->action = MACT_A_DELIVER;
		return (STORE_OK);
	}
	if (st && (rc = mact_bounce_count(m, r, st, p)) != STORE_OK)
		return (rc);
	if (p->bounce_by == MACT_B_NONE)
		mact_redirect_noreply(m, p, maddr_support(mcfg_addr(mctx_cfg(m))), MACT_A_ROUTE);
	else if (mcfg_bounce_discard(mctx_cfg(m)))
		mact_drop_noreply(m, p);
	else
		p->action = MACT_A_DELIVER;
	return (STORE_OK);
}

/*
 * mact_may_be_reply - at end of headers: whether M may still call for
 * an action, so that its body must be read. It cannot when no recipient
 * is noreply (with or without a token), it carries no X-Links-* header
 * to remove, none of the Message-IDs it references is one we logged for
 * a customer, and its From is not a customer: ordinary mail to staff or
 * support from people who are not customers, most of an MX's mail. Only
 * the blind index and the message log are read, in one snapshot;
 * nothing is decrypted. A store error answers 1: the end of message applies
 * store_failure_action.
 */
int
mact_may_be_reply(const struct mctx_msg *m, struct store *st)
{
	struct store_msglog ml;
	char	ref[MADDR_MSGID_MAX], from[MADDR_MAX];
	int64_t id = 0;
	int	snap, may;

	if (mctx_xlinks_count(m) > 0 || st == NULL)
		return (1);
	for (size_t i = 0; i < mctx_rcpt_count(m); i++)
		if (mact_is_noreply(mctx_rcpt_kind(m, i)))
			return (1);
	snap = mact_read_begin(st);
	if (mact_by_msgid(m, st, &ml, ref, sizeof(ref)) != STORE_NOTFOUND)
		may = 1;
	else if (maddr_from_header(mctx_hdr(m, MCTX_H_FROM), from, sizeof(from)) != 0)
		may = 0;		/* no usable From: nobody to identify */
	else
		may = store_customer_id_find(st, from, &id) != STORE_NOTFOUND;
	if (snap)
		(void) store_read_end(st);
	return (may);
}

/* mact_read_begin - one read snapshot on ST for the reads that follow (SQLite); whether it began */
int
mact_read_begin(struct store *st)
{
	return (strcmp(store_backend_name(st), "sqlite") == 0 && store_read_begin(st) == STORE_OK);
}

/* What the identification found, for the later steps of a reply. */
struct mact_who {
	char	own[MACT_OWN_MSGID_MAX];	/* the reply's own Message-ID */
	char	ref[MADDR_MSGID_MAX];		/* ours it referenced, "" if none */
	int64_t	campaign;			/* the campaign of REF, 0 if none */
	char	from[MADDR_MAX];		/* the From address, "" if none */
	int	applied_token;			/* a genuine token opted out */
};

/* mact_id_msgid - identify by the message log */
static int
mact_id_msgid(const struct mctx_msg *m, struct store *st, struct mact_plan *p,
	      struct mact_who *w)
{
	struct store_msglog ml;
	int	rc = mact_by_msgid(m, st, &ml, w->ref, sizeof(w->ref));

	if (rc == STORE_OK) {
		p->customer_id = ml.customer_id;
		p->category = (int) ml.category;
		p->id_by = MACT_ID_MSGID;
		w->campaign = ml.campaign_id;
		return (STORE_OK);
	}
	if (rc != STORE_NOTFOUND) {
		mact_fail(p, st, "store_msglog_find");
		return (rc);
	}
	return (STORE_OK);
}

/* mact_id_token - noreply+TOKEN@ recipients: each opts out its own category */
static int
mact_id_token(const struct mctx_msg *m, struct store *st, struct mact_plan *p,
	      struct mact_who *w)
{
	char	evidence[STORE_EVIDENCE_MAX + 1];
	int64_t first_cust = 0;
	enum category first_cat = CATEGORY_ACCOUNT;

	for (size_t i = 0; i < mctx_rcpt_count(m); i++) {
		int64_t cust = 0;
		enum category cat = CATEGORY_ACCOUNT;
		const char *t = mctx_rcpt_token(m, i);
		int	rc;

		if (mctx_rcpt_kind(m, i) != MADDR_NOREPLY_TOKEN || t[0] == 0)
			continue;
		rc = store_token_verify(st, t, &cust, &cat);
		if (rc == STORE_NOTFOUND || (rc == STORE_OK && cust <= 0))
			continue;
		if (rc != STORE_OK) {
			mact_fail(p, st, "store_token_verify");
			return (rc);
		}
		if (!category_refusable(cat))
			continue;	/* a token for a category one cannot refuse */
		mact_evidence(evidence, sizeof(evidence), "token", w->own, NULL,
			      category_name(cat));
		if ((rc = mact_add_optout(p, cust, (int) cat, STORE_CH_ONE_CLICK, evidence)) != 0)
			return (rc);
		if (!w->applied_token) {
			first_cust = cust;
			first_cat = cat;
		}
		w->applied_token = 1;
	}
	if (p->customer_id == 0 && w->applied_token) {
		p->customer_id = first_cust;
		p->category = (int) first_cat;
		p->id_by = MACT_ID_TOKEN;
	}
	return (STORE_OK);
}

/* mact_id_from - identify by the From address */
static int
mact_id_from(const struct mctx_msg *m, struct store *st, struct mact_plan *p,
	     struct mact_who *w)
{
	int64_t id = 0;
	int	rc;

	if (maddr_from_header(mctx_hdr(m, MCTX_H_FROM), w->from, sizeof(w->from)) != 0) {
		w->from[0] = 0;
		return (STORE_OK);
	}
	if (p->customer_id != 0)
		return (STORE_OK);
	/* the blind index alone: nothing is decrypted to find an id */
	rc = store_customer_id_find(st, w->from, &id);
	if (rc == STORE_OK) {
		p->customer_id = id;
		p->id_by = MACT_ID_FROM;
	} else if (rc != STORE_NOTFOUND) {
		mact_fail(p, st, "store_customer_id_find");
		return (rc);
	}
	return (STORE_OK);
}

/* mact_proven - whether a refusal in the body proves its writer; *HOW for the evidence */
static int
mact_proven(const struct mctx_msg *m, struct mact_plan *p, const struct mact_who *w,
	    const char **how)
{
	*how = mact_idby_name(p->id_by);
	switch (p->id_by) {
	case MACT_ID_MSGID:
		return (1);
	case MACT_ID_TOKEN:
		return (0);		/* applied for its own category already */
	default:
		break;
	}
	p->auth = mact_from_auth(m, w->from);
	if (p->auth != MAUTH_NONE)
		*how = mauth_how_name(p->auth);
	switch (mcfg_from_policy(mctx_cfg(m))) {
	case MCFG_FROM_ACCEPT:
		return (1);
	case MCFG_FROM_REQUIRE_AUTH:
		return (p->auth != MAUTH_NONE);
	case MCFG_FROM_NEVER:
	default:
		return (0);
	}
}

/* mact_verdict_of - verdict and opt-out state of a reply */
static void
mact_verdict_of(struct mact_plan *p, int refusal, int body_optout, int applied_body,
		const struct mact_who *w)
{
	if (refusal) {
		int	ok = body_optout ? (applied_body || (w->applied_token
						  && p->id_by == MACT_ID_TOKEN))
		    : w->applied_token;

		p->optout = ok ? MACT_O_APPLIED : MACT_O_UNVERIFIED;
	}
	if (refusal && p->question)
		p->verdict = MACT_V_OPTOUT_QUESTION;
	else if (refusal)
		p->verdict = MACT_V_OPTOUT;
	else if (p->question)
		p->verdict = MACT_V_QUESTION;
	else
		p->verdict = MACT_V_REPLY;
}

/* mact_route - where a reply goes: a pure applied refusal by policy, else a person */
static void
mact_route(const struct mctx_msg *m, struct mact_plan *p)
{
	struct mcfg *cfg = mctx_cfg(m);

	if (p->optout != MACT_O_APPLIED || p->question) {
		mact_redirect_noreply(m, p, maddr_support(mcfg_addr(cfg)), MACT_A_ROUTE);
		return;
	}
	switch (mcfg_pure_action(cfg)) {
	case MCFG_PURE_DELIVER:
		p->action = MACT_A_DELIVER;
		break;
	case MCFG_PURE_ARCHIVE:
		mact_redirect_noreply(m, p, mcfg_archive(cfg), MACT_A_ARCHIVE);
		break;
	case MCFG_PURE_DISCARD:
		mact_drop_noreply(m, p);
		break;
	}
}

/* mact_one_click - a genuine unsubscribe token and no new text: a click, not a question */
static int
mact_one_click(const struct reply_result *r, const struct mact_who *w, int body_optout)
{
	return (w->applied_token && !body_optout && reply_result_text(r)[0] == 0);
}

/*
 * mact_add_question - a question in reply to a campaign's message of ours
 * (W->ref) is counted for that campaign, keyed on the reply's own
 * Message-ID so that a retry or the backup MX does not count it twice.
 */
static int
mact_add_question(const struct mctx_msg *m, struct mact_plan *p, const struct mact_who *w)
{
	char	ids[1][MADDR_MSGID_MAX];
	struct mact_write *q;

	if (!p->question || w->ref[0] == 0 || w->campaign <= 0)
		return (STORE_OK);
	if ((q = mact_add_write(p, MACT_OP_QUESTION)) == NULL)
		return (STORE_TEMP);
	q->customer = p->customer_id;
	snprintf(q->text, sizeof(q->text), "%s", w->ref);
	if (maddr_msgids(mctx_hdr(m, MCTX_H_MESSAGE_ID), ids, 1) == 1)
		memcpy(q->reply, ids[0], sizeof(q->reply));
	return (STORE_OK);
}

/* mact_reply - a reply: identify, list the refusals to record, route */
static int
mact_reply(const struct mctx_msg *m, const struct reply_result *r, struct store *st,
	   struct mact_plan *p)
{
	struct mact_who w;
	int	body_optout = reply_result_optout(r);
	int	refusal = body_optout, applied_body = 0, rc;

	memset(&w, 0, sizeof(w));
	p->question = reply_result_question(r);
	for (size_t i = 0; i < mctx_rcpt_count(m); i++)
		if (mctx_rcpt_kind(m, i) == MADDR_NOREPLY_TOKEN)
			refusal = 1;
	if (st) {
		mact_own_msgid(m, st, w.own, sizeof(w.own));
		if ((rc = mact_id_msgid(m, st, p, &w)) != STORE_OK
		    || (rc = mact_id_token(m, st, p, &w)) != STORE_OK
		    || (rc = mact_id_from(m, st, p, &w)) != STORE_OK)
			return (rc);
	}
	if (mact_one_click(r, &w, body_optout))
		p->question = 0;
	if (body_optout && p->customer_id > 0) {
		char	evidence[STORE_EVIDENCE_MAX + 1];
		const char *how;

		if (mact_proven(m, p, &w, &how)) {
			mact_evidence(evidence, sizeof(evidence), how, w.own, w.ref,
				      reply_result_reason(r));
			if ((rc = mact_add_optout(p, p->customer_id, -1, STORE_CH_REPLY,
						  evidence)) != STORE_OK)
				return (rc);
			mfollow_thread(m, &p->writes[p->nwrites - 1]);	/* for the confirmation */
			/* the campaign of W.REF, found above: not again under the lock */
			p->writes[p->nwrites - 1].campaign = w.ref[0] ? w.campaign : 0;
			applied_body = 1;
		}
	}
	if ((rc = mact_add_question(m, p, &w)) != STORE_OK)
		return (rc);
	mact_verdict_of(p, refusal, body_optout, applied_body, &w);
	mact_route(m, p);
	return (STORE_OK);
}

/*
 * mact_company_only - whether every recipient the message will have is
 * a company address: only then may it carry X-Links-* headers (they
 * name the customer and the verdict), since one queue file goes to
 * every recipient.
 */
static int
mact_company_only(const struct mctx_msg *m, const struct mact_plan *p)
{
	const struct maddr_conf *ac = mcfg_addr(mctx_cfg(m));

	for (size_t i = 0; i < mctx_rcpt_count(m); i++)
		if (!p->del[i] && mctx_rcpt_kind(m, i) == MADDR_OTHER)
			return (0);
	return (p->add[0] == 0 || maddr_classify(ac, p->add, NULL, 0) != MADDR_OTHER);
}

/* mact_headers - the X-Links-* headers of plan P, when only company addresses get it */
static void
mact_headers(const struct mctx_msg *m, struct mact_plan *p)
{
	for (int h = 0; h < MACT_H_COUNT; h++)
		p->hdr_name[h] = mact_hdr_names[h];
	if (!(p->company_only = mact_company_only(m, p)))
		return;
	if (mcfg_subject_tag(mctx_cfg(m)) && p->action == MACT_A_ROUTE)
		p->subject_tag = p->verdict == MACT_V_OPTOUT_QUESTION ? MACT_TAG_BOTH
		    : p->verdict == MACT_V_OPTOUT ? MACT_TAG_OPTOUT
		    : p->verdict == MACT_V_QUESTION ? MACT_TAG_QUESTION : NULL;
	if (p->customer_id > 0)
		snprintf(p->hdr_value[MACT_H_CUSTOMER], MACT_HVALUE_MAX, "%" PRId64,
			 p->customer_id);
	if (p->category >= 0 && p->category < CATEGORY_COUNT)
		snprintf(p->hdr_value[MACT_H_CATEGORY], MACT_HVALUE_MAX, "%s",
			 category_name((enum category) p->category));
	snprintf(p->hdr_value[MACT_H_VERDICT], MACT_HVALUE_MAX, "%s",
		 mact_verdict_name(p->verdict));
	if (p->optout != MACT_O_NONE)
		snprintf(p->hdr_value[MACT_H_OPTOUT], MACT_HVALUE_MAX, "%s",
			 mact_optout_name(p->optout));
}

/* mact_decide - the plan for message M, analysed as R (reads ST only) */
int
mact_decide(const struct mctx_msg *m, const struct reply_result *r, struct store *st,
	    struct mact_plan *p)
{
	size_t	n = mctx_rcpt_count(m);
	int	rc = STORE_OK;

	memset(p, 0, sizeof(*p));
	p->result = MACT_ACCEPT;
	p->kind = reply_result_kind(r);
	p->verdict = MACT_V_REPLY;
	p->action = MACT_A_DELIVER;
	p->id_by = MACT_ID_NONE;
	p->category = -1;
	if ((p->del = calloc(n ? n : 1, 1)) == NULL) {
		snprintf(p->errmsg, sizeof(p->errmsg), "out of memory");
		return (STORE_TEMP);
	}
	p->ndel = n;
	switch (p->kind) {
	case REPLY_KIND_BOUNCE:
		rc = mact_bounce(m, r, st, p);
		break;
	case REPLY_KIND_AUTO_REPLY:
		p->verdict = MACT_V_AUTO_REPLY;
		if (mcfg_auto_reply_discard(mctx_cfg(m)))
			mact_drop_noreply(m, p);
		break;
	case REPLY_KIND_REPLY:
	default:
		rc = mact_reply(m, r, st, p);
		break;
	}
	if (rc != STORE_OK) {
		p->result = MACT_TEMPFAIL;
		p->action = MACT_A_TEMPFAIL;
		return (rc);
	}
	mact_headers(m, p);
	return (STORE_OK);
}

/* mact_write - record the writes listed in P, in the caller's transaction */
int
mact_write(struct store *st, struct mact_plan *p)
{
	for (size_t i = 0; i < p->nwrites; i++) {
		struct mact_write *w = &p->writes[i];
		int	rc, changed = 0, count = 0;

		if (w->op == MACT_OP_OPTOUT) {
			rc = mfollow_optout(st, w, &changed);
			if (rc != STORE_OK) {
				mact_fail(p, st, "store_optout");
				return (rc);
			}
			p->changed += changed;
			continue;
		}
		if (w->op == MACT_OP_QUESTION) {
			rc = store_campaign_question(st, w->text, w->reply[0] ? w->reply : NULL,
						     w->customer, &count);
			if (rc == STORE_NOTFOUND)
				continue;	/* not (or no longer) a campaign's message */
			if (rc != STORE_OK) {
				mact_fail(p, st, "store_campaign_question");
				return (rc);
			}
			p->questions_counted += count;
			continue;
		}
		if (w->op == MACT_OP_CAMPAIGN_BOUNCE) {
			if ((rc = mfollow_bounce(st, w)) != STORE_OK) {
				mact_fail(p, st, "store_campaign_bounce");
				return (rc);
			}
			continue;
		}
		rc = w->keyed ? store_bounce_record_key(st, w->key, &count)
			: store_bounce_record(st, w->text, &count);
		if (rc == STORE_ERR)
			continue;	/* a bad address, not a store fault */
		if (rc != STORE_OK) {
			mact_fail(p, st, "store_bounce_record");
			return (rc);
		}
		p->bounces++;
	}
	return (STORE_OK);
}
