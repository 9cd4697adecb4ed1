/*
 * NAME
 *	replies 3
 * SUMMARY
 *	what customers answered to a campaign: refusals, questions, bounces
 * SYNOPSIS
 *	#include "store.h"
 *
 *	int	store_campaign_question(struct store *st, const char *our_msgid,
 *			const char *reply_msgid, int64_t customer_id, int *counted);
 *	int	store_campaign_bounce(struct store *st, int64_t campaign_id,
 *			int64_t customer_id, int hard, const char *dsn_msgid, int *counted);
 *	int	store_campaign_replies(struct store *st, int64_t campaign_id,
 *			struct store_campaign_replies *out);
 * DESCRIPTION
 *	Staff want to know what a campaign caused (issue 18): how many
 *	customers refused in reply to it and how many asked a question,
 *	with the number of messages each time.
 *
 *	Refusals need nothing more from the milter: store_optout() with
 *	channel REPLY ties its events to the campaign of the message of
 *	ours its evidence names (consent_events.campaign_id).
 *
 *	store_campaign_question() is for the milter when it routes a
 *	question to support: OUR_MSGID is the Message-ID of ours the reply
 *	referenced (In-Reply-To/References, with or without brackets),
 *	REPLY_MSGID the reply's own Message-ID (NULL or "": the reply is
 *	counted every time it is seen), CUSTOMER_ID the customer identified
 *	(0: unknown). Only a keyed hash of REPLY_MSGID and the suppression
 *	hash of the customer's address are kept. The same reply seen twice
 *	(a Postfix retry, the backup MX) counts once: *COUNTED (may be
 *	NULL) is 1 when this call counted it, 0 when it was already
 *	counted. STORE_NOTFOUND when OUR_MSGID is not a message of ours
 *	from a campaign.
 *
 *	store_campaign_bounce() is for the milter when an authenticated
 *	bounce (a genuine VERP token, noreply+b-TOKEN@, which names the
 *	campaign and the customer; or a returned Message-ID of ours from
 *	the message log) reports a failure for CUSTOMER_ID: it counts a
 *	hard (5.x.x) or soft (4.x.x, a delay) bounce for CAMPAIGN_ID, once
 *	per notification (DSN_MSGID, the bounce's own Message-ID, keyed
 *	hash only; NULL or "": counted every time), like a question.
 *
 *	store_campaign_replies() fills OUT for CAMPAIGN_ID (zeros for a
 *	campaign nobody answered).
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_int.h"

#define REPLY_KIND_QUESTION	1
#define REPLY_KIND_BOUNCE_HARD	2
#define REPLY_KIND_BOUNCE_SOFT	3
#define REPLY_HASH_PREFIX	"reply:"
#define BOUNCE_ID_MAX		512	/* a bounce's Message-ID kept (hashed) */
#define BOUNCE_KEY_MAX		(32 + BOUNCE_ID_MAX)	/* "bounce:ID:" and the Message-ID */

_Static_assert(STORE_CH_REPLY == 0, "the SQL below names channel REPLY as 0");

/* reply_hash - keyed hash of a reply's Message-ID, random when there is none */
static int
reply_hash(struct store *st, const char *reply_msgid, unsigned char out[CRYPT_MAC_LEN])
{
	char	buf[sizeof(REPLY_HASH_PREFIX) + STORE_MSGID_INPUT_MAX];
	size_t	n;

	if (reply_msgid == NULL || *reply_msgid == 0) {
		if (crypt_random(out, CRYPT_MAC_LEN) < 0)
			return (st_err(st, STORE_TEMP, "no random bytes"));
		return (STORE_OK);
	}
	if ((n = strlen(reply_msgid)) > STORE_MSGID_INPUT_MAX)
		return (st_err(st, STORE_ERR, "invalid reply Message-ID (too long)"));
	memcpy(buf, REPLY_HASH_PREFIX, strlen(REPLY_HASH_PREFIX));
	memcpy(buf + strlen(REPLY_HASH_PREFIX), reply_msgid, n);
	crypt_mac(st->keys.idx, buf, strlen(REPLY_HASH_PREFIX) + n, out);
	return (STORE_OK);
}

/*
 * reply_add - one reply of KIND (message hash H) for CAMPAIGN_ID from
 * CUSTOMER_ID (0: unknown); *COUNTED 1 when new
 */
static int
reply_add(struct store *st, int64_t campaign_id, int64_t customer_id, int kind,
	  const unsigned char h[CRYPT_MAC_LEN], int *counted)
{
	unsigned char subject[CRYPT_MAC_LEN];
	struct db_stmt *s;
	char   *email;
	int	rc;

	if (customer_id > 0) {
		if ((rc = st_customer_email(st, customer_id, &email)) != STORE_OK)
			return (rc);
		st_email_suphash(st, email, subject);
		crypt_str_free(email);
	}
	if ((rc = db_prepare(st, "INSERT INTO replies(campaign_id, subject, kind, msg_hash, at) "
			     "SELECT id, ?, ?, ?, ? FROM campaigns WHERE id = ? "
			     "ON CONFLICT(msg_hash, kind) DO NOTHING", &s)) != STORE_OK)
		return (rc);
	if (customer_id > 0)
		db_bind_blob(s, 1, subject, CRYPT_MAC_LEN);
	else
		db_bind_null(s, 1);
	db_bind_int(s, 2, kind);
	db_bind_blob(s, 3, h, CRYPT_MAC_LEN);
	db_bind_int(s, 4, (int64_t) st_now());
	db_bind_int(s, 5, campaign_id);
	rc = st_run(st, s, "reply count");
	if (rc == STORE_OK && counted)
		*counted = db_changes(s) > 0;
	db_finish(s);
	return (rc);
}

/* store_campaign_question - count a question received in reply to a campaign */
int
store_campaign_question(struct store *st, const char *our_msgid, const char *reply_msgid,
			int64_t customer_id, int *counted)
{
	unsigned char h[CRYPT_MAC_LEN];
	struct store_msglog ml;
	int	rc;

	if (counted)
		*counted = 0;
	if ((rc = store_msglog_find(st, our_msgid ? our_msgid : "", &ml)) != STORE_OK)
		return (rc);
	if (ml.campaign_id <= 0)
		return (st_err(st, STORE_NOTFOUND, "not a message of a campaign"));
	if ((rc = reply_hash(st, reply_msgid, h)) != STORE_OK)
		return (rc);
	return (reply_add(st, ml.campaign_id, customer_id, REPLY_KIND_QUESTION, h, counted));
}

/* store_campaign_bounce - count a hard or soft bounce of CUSTOMER_ID for a campaign */
int
store_campaign_bounce(struct store *st, int64_t campaign_id, int64_t customer_id, int hard,
		      const char *dsn_msgid, int *counted)
{
	unsigned char h[CRYPT_MAC_LEN];
	char	key[BOUNCE_KEY_MAX], id[BOUNCE_ID_MAX + 1];
	int	rc, has_id;

	if (counted)
		*counted = 0;
	if (campaign_id <= 0)
		return (st_err(st, STORE_NOTFOUND, "not a message of a campaign"));
	if (customer_id <= 0)
		return (st_err(st, STORE_ERR, "a bounce is counted for a customer"));
	/* A notice without a usable Message-ID is counted each time it is seen. */
	has_id = dsn_msgid != NULL && *dsn_msgid
	    && st_msgid_clean(st, dsn_msgid, id, sizeof(id)) == STORE_OK;
	/* One notification may report several addresses: the key names the customer. */
	snprintf(key, sizeof(key), "bounce:%lld:%s", (long long) customer_id, has_id ? id : "");
	if ((rc = reply_hash(st, has_id ? key : NULL, h)) != STORE_OK)
		return (rc);
	return (reply_add(st, campaign_id, customer_id,
			  hard ? REPLY_KIND_BOUNCE_HARD : REPLY_KIND_BOUNCE_SOFT, h, counted));
}

/* two_counts - the two integers of the one row SQL returns for ID */
static int
two_counts(struct store *st, const char *sql, int64_t id, long *a, long *b)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, sql, &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, id);
	if ((rc = db_step(s)) == DB_ROW) {
		*a = (long) db_col_int(s, 0);
		*b = (long) db_col_int(s, 1);
		rc = STORE_OK;
	} else
		rc = db_error(st, rc, "campaign replies");
	db_finish(s);
	return (rc);
}

/* store_campaign_replies - refusals and questions received in reply to a campaign */
int
store_campaign_replies(struct store *st, int64_t campaign_id, struct store_campaign_replies *out)
{
	int	rc;

	memset(out, 0, sizeof(*out));
	/* One reply refusing two categories is two events with one evidence. */
	if ((rc = two_counts(st, "SELECT count(DISTINCT subject), count(DISTINCT evidence) "
			     "FROM consent_events WHERE campaign_id = ? AND optout = 1 "
			     "AND channel = 0", campaign_id, &out->refusal_customers,
			     &out->refusal_messages)) != STORE_OK)
		return (rc);
	if ((rc = two_counts(st, "SELECT count(DISTINCT subject), count(*) FROM replies "
			     "WHERE campaign_id = ? AND kind = 1", campaign_id,
			     &out->question_customers, &out->question_messages)) != STORE_OK)
		return (rc);
	return (two_counts(st, "SELECT count(DISTINCT CASE WHEN kind = 2 THEN subject END), "
			   "count(DISTINCT CASE WHEN kind = 3 THEN subject END) FROM replies "
			   "WHERE campaign_id = ? AND kind IN (2, 3)", campaign_id,
			   &out->bounce_hard_customers, &out->bounce_soft_customers));
}
