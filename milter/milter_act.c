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
 *	Bounce: each permanently failed address counts one bounce, but only
 *	when the bounce came to noreply (our envelope sender); noreply
 *	recipients are then dropped (bounce_action = discard), other
 *	recipients get it as addressed. Never routed to support.
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

const char *const mact_hdr_names[MACT_H_COUNT] = {
	"X-Links-Customer", "X-Links-Category", "X-Links-Verdict", "X-Links-Optout"
};

void	mact_plan_clear(struct mact_plan *p)
{
	free(p->del);
	p->del = NULL;
	p->ndel = 0;
}

static int mact_is_noreply(enum maddr_kind k)
{
	return k == MADDR_NOREPLY || k == MADDR_NOREPLY_TOKEN;
}

static void mact_fail(struct mact_plan *p, struct store *st, const char *what)
{
	snprintf(p->errmsg, sizeof(p->errmsg), "%s: %s", what,
		 st ? store_errmsg(st) : "store unavailable");
}

void	mact_evidence(char *out, size_t outlen, const char *how, const char *msgid,
		      const char *ref, const char *rule)
{
	if (outlen > STORE_EVIDENCE_MAX + 1)
		outlen = STORE_EVIDENCE_MAX + 1;
	snprintf(out, outlen, "%s msgid=<%s>%s%s%s rule=%s", how, msgid,
		 ref && *ref ? " ref=<" : "", ref && *ref ? ref : "", ref && *ref ? ">" : "",
		 rule && *rule ? rule : "none");
}

/* Drop every noreply recipient: discard when nobody else is addressed. */
static void mact_drop_noreply(const struct mctx_msg *m, struct mact_plan *p)
{
	size_t	n = mctx_rcpt_count(m);
	size_t	nn = 0;

	for (size_t i = 0; i < n; i++)
		if (mact_is_noreply(mctx_rcpt_kind(m, i)))
			nn++;
	if (nn == 0) {
		p->action = "deliver";
		return;
	}
	if (nn == n) {
		p->result = MACT_DISCARD;
		p->action = "discard";
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (mact_is_noreply(mctx_rcpt_kind(m, i)))
			p->del[i] = 1;
	p->action = "drop_noreply";
}

/* Replace noreply recipients by ADDR (support or the archive). */
static void mact_redirect_noreply(const struct mctx_msg *m, struct mact_plan *p,
				  const char *addr, const char *action)
{
	size_t	n = mctx_rcpt_count(m);
	int	present = 0;
	int	moved = 0;

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
		p->action = "deliver";
		return;
	}
	if (!present)
		snprintf(p->add, sizeof(p->add), "%s", addr);
	p->action = action;
}

/* The first Message-ID of the incoming message, or "qid:QUEUEID". */
static void mact_own_msgid(const struct mctx_msg *m, char *out, size_t outlen)
{
	char	ids[1][MADDR_MSGID_MAX];

	if (maddr_msgids(mctx_hdr(m, MCTX_H_MESSAGE_ID), ids, 1) == 1)
		snprintf(out, outlen, "%s", ids[0]);
	else
		snprintf(out, outlen, "qid:%s", mctx_qid(m));
}

/*
 * Look up In-Reply-To, then References from the most recent one back,
 * in the message log. Returns STORE_OK with *ML and REF filled,
 * STORE_NOTFOUND, or a store error.
 */
static int mact_by_msgid(const struct mctx_msg *m, struct store *st,
			 struct store_msglog *ml, char *ref, size_t reflen)
{
	char	(*ids)[MADDR_MSGID_MAX];
	size_t	n;
	size_t	nr;
	int	rc = STORE_NOTFOUND;

	if ((ids = calloc(MACT_MSGID_LOOKUPS_MAX, sizeof(*ids))) == NULL)
		return STORE_TEMP;
	n = maddr_msgids(mctx_hdr(m, MCTX_H_IN_REPLY_TO), ids, MACT_MSGID_LOOKUPS_MAX / 2);
	nr = maddr_msgids(mctx_hdr(m, MCTX_H_REFERENCES), ids + n, MACT_MSGID_LOOKUPS_MAX - n);
	/* References lists the oldest first: the latest is the likeliest. */
	for (size_t i = 0; i < nr / 2; i++) {
		char	tmp[MADDR_MSGID_MAX];

		memcpy(tmp, ids[n + i], sizeof(tmp));
		memcpy(ids[n + i], ids[n + nr - 1 - i], sizeof(tmp));
		memcpy(ids[n + nr - 1 - i], tmp, sizeof(tmp));
	}
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
	return rc;
}

/* Is the From domain authenticated by a trusted Authentication-Results? */
static const char *mact_from_auth(const struct mctx_msg *m, const char *from)
{
	const char *const *trusted;
	size_t	nt = mcfg_trusted(mctx_cfg(m), &trusted);
	const char *how = NULL;

	for (size_t i = 0; i < mctx_ar_count(m); i++)
		if (mauth_check(mctx_ar(m, i), trusted, nt, addr_domain(from), &how))
			return how;
	return NULL;
}

static int mact_bounce(const struct mctx_msg *m, const struct reply_result *r,
		       struct store *st, struct mact_plan *p)
{
	size_t	n = mctx_rcpt_count(m);
	int	to_noreply = 0;

	p->verdict = "bounce";
	for (size_t i = 0; i < n; i++)
		if (mact_is_noreply(mctx_rcpt_kind(m, i)))
			to_noreply = 1;
	if (!to_noreply) {
		p->action = "deliver";
		return STORE_OK;
	}
	if (st) {
		size_t	nb = reply_result_bounce_count(r);

		if (nb > MACT_BOUNCES_MAX)
			nb = MACT_BOUNCES_MAX;
		for (size_t i = 0; i < nb; i++) {
			char	a[MADDR_MAX];
			int	count = 0;
			int	rc;

			if (maddr_normalise(reply_result_bounce_address(r, i), a, sizeof(a)) != 0
			    || a[0] == 0)
				continue;
			if ((rc = store_bounce_record(st, a, &count)) != STORE_OK) {
				if (rc == STORE_ERR)
					continue;	/* a bad address, not a store fault */
				mact_fail(p, st, "store_bounce_record");
				return rc;
			}
			p->bounces++;
		}
	}
	if (mcfg_bounce_discard(mctx_cfg(m)))
		mact_drop_noreply(m, p);
	else
		p->action = "deliver";
	return STORE_OK;
}

struct mact_token {
	int64_t customer;
	enum category cat;
};

static int mact_reply(const struct mctx_msg *m, const struct reply_result *r,
		      struct store *st, struct mact_plan *p)
{
	struct mcfg *cfg = mctx_cfg(m);
	size_t	n = mctx_rcpt_count(m);
	char	own[MADDR_MSGID_MAX + 8];
	char	ref[MADDR_MSGID_MAX] = "";
	char	evidence[STORE_EVIDENCE_MAX + 1];
	char	from[MADDR_MAX] = "";
	int	token_rcpts = 0;
	int	applied_token = 0;
	int	applied_body = 0;
	int	refusal;
	int	body_optout = reply_result_optout(r);
	int	rc;
	struct mact_token tok = {0, CATEGORY_ACCOUNT};
	int	have_tok = 0;

	p->question = reply_result_question(r);
	mact_own_msgid(m, own, sizeof(own));
	for (size_t i = 0; i < n; i++) {
		if (mctx_rcpt_kind(m, i) == MADDR_NOREPLY_TOKEN)
			token_rcpts++;
	}
	refusal = body_optout || token_rcpts > 0;

	/* 1. the message log: proof that the sender received our mail */
	if (st) {
		struct store_msglog ml;

		rc = mact_by_msgid(m, st, &ml, ref, sizeof(ref));
		if (rc == STORE_OK) {
			p->customer_id = ml.customer_id;
			p->category = (int) ml.category;
			p->id_by = "msgid";
		} else if (rc != STORE_NOTFOUND) {
			mact_fail(p, st, "store_msglog_find");
			return rc;
		}
	}

	/* 2. noreply+TOKEN@ recipients: each opts out its own category */
	for (size_t i = 0; st && i < n; i++) {
		int64_t cust = 0;
		enum category cat = CATEGORY_ACCOUNT;
		int	changed = 0;
		const char *t = mctx_rcpt_token(m, i);

		if (mctx_rcpt_kind(m, i) != MADDR_NOREPLY_TOKEN || t[0] == 0)
			continue;
		rc = store_token_verify(st, t, &cust, &cat);
		if (rc == STORE_NOTFOUND || (rc == STORE_OK && cust <= 0))
			continue;
		if (rc != STORE_OK) {
			mact_fail(p, st, "store_token_verify");
			return rc;
		}
		if (!category_refusable(cat))
			continue;	/* a token for a category one cannot refuse */
		mact_evidence(evidence, sizeof(evidence), "token", own, NULL,
			      category_name(cat));
		rc = store_optout(st, cust, (int) cat, STORE_CH_ONE_CLICK, evidence, &changed);
		if (rc != STORE_OK) {
			mact_fail(p, st, "store_optout");
			return rc;
		}
		p->changed += changed;
		applied_token = 1;
		if (!have_tok) {
			tok.customer = cust;
			tok.cat = cat;
			have_tok = 1;
		}
	}
	if (p->customer_id == 0 && have_tok) {
		p->customer_id = tok.customer;
		p->category = (int) tok.cat;
		p->id_by = "token";
	}

	/* 3. the From address */
	if (st && p->customer_id == 0
	    && maddr_from_header(mctx_hdr(m, MCTX_H_FROM), from, sizeof(from)) == 0) {
		struct store_customer c;

		memset(&c, 0, sizeof(c));
		rc = store_customer_find(st, from, &c);
		if (rc == STORE_OK) {
			p->customer_id = c.id;
			p->id_by = "from";
			store_customer_clear(&c);
		} else if (rc != STORE_NOTFOUND) {
			mact_fail(p, st, "store_customer_find");
			return rc;
		}
	}

	/* the refusal written in the body */
	if (body_optout && p->customer_id > 0) {
		int	proven = 0;
		int	cat = -1;
		enum store_channel ch = STORE_CH_REPLY;
		const char *how = p->id_by;

		if (strcmp(p->id_by, "msgid") == 0) {
			proven = 1;
		} else if (strcmp(p->id_by, "token") == 0) {
			proven = 0;	/* already applied above, for its category */
		} else {
			p->auth = mact_from_auth(m, from);
			switch (mcfg_from_policy(cfg)) {
			case MCFG_FROM_ACCEPT:
				proven = 1;
				break;
			case MCFG_FROM_REQUIRE_AUTH:
				proven = p->auth != NULL;
				break;
			case MCFG_FROM_NEVER:
				proven = 0;
				break;
			}
			how = p->auth ? p->auth : "from";
		}
		if (proven) {
			int	changed = 0;

			mact_evidence(evidence, sizeof(evidence), how, own, ref,
				      reply_result_reason(r));
			rc = store_optout(st, p->customer_id, cat, ch, evidence, &changed);
			if (rc != STORE_OK) {
				mact_fail(p, st, "store_optout");
				return rc;
			}
			p->changed += changed;
			applied_body = 1;
		}
	}
	/*
	 * Applied when a proven body refusal was recorded, or when the
	 * refusal came through a genuine token (which speaks for its own
	 * category only); anything else needs a person: unverified.
	 */
	if (refusal) {
		int	ok = body_optout ? (applied_body || (applied_token
						  && strcmp(p->id_by, "token") == 0))
		    : applied_token;

		p->optout = ok ? "applied" : "unverified";
	}
	if (refusal && p->question)
		p->verdict = "optout+question";
	else if (refusal)
		p->verdict = "optout";
	else if (p->question)
		p->verdict = "question";
	else
		p->verdict = "reply";

	if (refusal && !p->question && strcmp(p->optout, "applied") == 0) {
		/* a pure refusal: nobody needs to read it */
		switch (mcfg_pure_action(cfg)) {
		case MCFG_PURE_DELIVER:
			p->action = "deliver";
			break;
		case MCFG_PURE_ARCHIVE:
			mact_redirect_noreply(m, p, mcfg_archive(cfg), "archive");
			break;
		case MCFG_PURE_DISCARD:
			mact_drop_noreply(m, p);
			break;
		}
	} else {
		mact_redirect_noreply(m, p, maddr_support(mcfg_addr(cfg)), "route");
	}
	return STORE_OK;
}

/* Keep in step with the store_*() writes of mact_bounce() and mact_reply(). */
int	mact_may_write(const struct mctx_msg *m, const struct reply_result *r)
{
	switch (reply_result_kind(r)) {
	case REPLY_KIND_BOUNCE:
		return 1;
	case REPLY_KIND_AUTO_REPLY:
		return 0;
	case REPLY_KIND_REPLY:
	default:
		if (reply_result_optout(r))
			return 1;
		for (size_t i = 0; i < mctx_rcpt_count(m); i++)
			if (mctx_rcpt_kind(m, i) == MADDR_NOREPLY_TOKEN)
				return 1;
		return 0;
	}
}

int	mact_decide(const struct mctx_msg *m, const struct reply_result *r,
		    struct store *st, struct mact_plan *p)
{
	enum reply_kind kind = reply_result_kind(r);
	size_t	n = mctx_rcpt_count(m);
	int	rc = STORE_OK;

	memset(p, 0, sizeof(*p));
	p->result = MACT_ACCEPT;
	p->kind = reply_kind_name(kind);
	p->verdict = "reply";
	p->action = "deliver";
	p->id_by = "none";
	p->category = -1;
	if ((p->del = calloc(n ? n : 1, 1)) == NULL) {
		snprintf(p->errmsg, sizeof(p->errmsg), "out of memory");
		return STORE_TEMP;
	}
	p->ndel = n;
	switch (kind) {
	case REPLY_KIND_BOUNCE:
		rc = mact_bounce(m, r, st, p);
		break;
	case REPLY_KIND_AUTO_REPLY:
		p->verdict = "auto_reply";
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
		p->action = "tempfail";
		return rc;
	}
	for (int h = 0; h < MACT_H_COUNT; h++)
		p->hdr_name[h] = mact_hdr_names[h];
	if (p->customer_id > 0)
		snprintf(p->hdr_value[MACT_H_CUSTOMER], sizeof(p->hdr_value[0]), "%" PRId64,
			 p->customer_id);
	if (p->category >= 0 && p->category < CATEGORY_COUNT)
		snprintf(p->hdr_value[MACT_H_CATEGORY], sizeof(p->hdr_value[0]), "%s",
			 category_name((enum category) p->category));
	snprintf(p->hdr_value[MACT_H_VERDICT], sizeof(p->hdr_value[0]), "%s", p->verdict);
	if (p->optout)
		snprintf(p->hdr_value[MACT_H_OPTOUT], sizeof(p->hdr_value[0]), "%s", p->optout);
	return STORE_OK;
}
