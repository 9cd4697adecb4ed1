/*
 * NAME
 *	consent 3
 * SUMMARY
 *	email preferences, consent events and the suppression list
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	A refusal is one row per (customer, category) in prefs, one consent
 *	event per change (with its evidence and the suppression HMAC of the
 *	address as subject), and the suppression entry of the address: a
 *	bit mask of the refused categories keyed by HMAC-SHA256(k_sup,
 *	normalised address). The suppression entry is what survives purge:
 *	when the address comes back (CSV import, staff, portal) the new
 *	customer row gets the same refusals again (st_suppression_apply).
 *	store_is_suppressed() is true when every refusable category is
 *	refused.
 *
 *	For channels REPLY and ONE_CLICK the evidence names the message
 *	(Message-ID, token): an opt-out whose evidence was already recorded
 *	for that customer changes nothing, even after a later opt-in, so a
 *	message seen twice (Postfix retry, or the same reply reaching two
 *	MX hosts) is applied once. The change locks the customer's row
 *	first (db_lock_row), so two hosts cannot both find the evidence
 *	new and both record it.
 *
 *	Only refusable categories (config/category.h) can be refused; a
 *	request for another one is an error, because account and
 *	maintenance mail is part of the service the customer pays for.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_int.h"

#define SUPPRESSION_EVIDENCE	"re-applied from the suppression list"
#define CATEGORY_BITS_MASK	31	/* categories fit in an int bit mask */
#define CONSENT_REF		" ref=<"	/* the milter's evidence: the message of ours */
#define CONSENT_STAFF_EVIDENCE	"links-store by "
#define CONSENT_CONFIRM		"optout_confirm"	/* the confirmation's template */
#define CONSENT_SQL_MAX		1024	/* a change's statement, every category in it */
#define PREF_PARAMS		3	/* prefs: customer, optout, time; a category a row */
#define EVENT_PARAMS		8	/* consent_events: shared; a category and note a row */

/* pref_get - the stored refusal of CAT (0 when no row) */
static int
pref_get(struct store *st, int64_t customer_id, int cat, int *optout)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT optout FROM prefs WHERE customer_id = ? AND category = ?",
			     &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, customer_id);
	db_bind_int(s, 2, cat);
	rc = db_step(s);
	*optout = 0;
	if (rc == DB_ROW) {
		*optout = (int) db_col_int(s, 0);
		rc = STORE_OK;
	} else if (rc == DB_DONE)
		rc = STORE_OK;
	else
		rc = db_error(st, rc, "preference lookup");
	db_finish(s);
	return (rc);
}

/* What one store_optout()/store_optin() call asks for. */
struct consent_req {
	int	optout;
	enum store_channel ch;
	const char *evidence;		/* redacted (st_redact_evidence) */
	const char *actor;		/* "" or who (staff) */
	const char *note;		/* "" or a staff note, sealed in the row */
	int64_t	campaign_id;		/* 0, or the campaign the reply answered */
	const struct store_reply_thread *thread;	/* the reply answered; NULL */
	const struct store_optout_prep *prep;	/* done before the lock; NULL */
};

/* sql_fit - account for N more bytes written at SQL + *LEN; -1 when they did not fit */
static int
sql_fit(size_t *len, int n)
{
	if (n < 0 || (size_t) n >= CONSENT_SQL_MAX - *len)
		return (-1);
	*len += (size_t) n;
	return (0);
}

#define PREFS_INSERT	"INSERT INTO prefs(customer_id, category, optout, updated) VALUES"
#define PREFS_ROW1	"(?1, ?4, ?2, ?3)"
#define PREFS_UPSERT	" ON CONFLICT(customer_id, category) DO UPDATE SET " \
			"optout = excluded.optout, updated = excluded.updated"
#define EVENTS_INSERT	"INSERT INTO consent_events(customer_id, subject, category, optout, " \
			"channel, evidence, at, actor, note_ct, campaign_id) VALUES"
#define EVENTS_ROW1	"(?1, ?2, ?9, ?3, ?4, ?5, ?6, ?7, ?10, ?8)"

/*
 * prefs_sql_make - the statement setting N categories in one: the rows
 * of prefs, or (EVENTS) the rows of consent_events, into SQL. The
 * parameters every row shares come first, then each row's own ones.
 * 0, or -1 when it would not fit.
 */
static int
prefs_sql_make(int events, int n, char sql[CONSENT_SQL_MAX])
{
	size_t	len = 0;
	int	i, bad;

	bad = sql_fit(&len, snprintf(sql, CONSENT_SQL_MAX, "%s",
				     events ? EVENTS_INSERT : PREFS_INSERT));
	for (i = 0; i < n && !bad; i++)
		bad = events ? sql_fit(&len, snprintf(sql + len, CONSENT_SQL_MAX - len,
						      "%s(?1, ?2, ?%d, ?3, ?4, ?5, ?6, ?7, ?%d, ?8)",
						      i ? ", " : "", EVENT_PARAMS + 2 * i + 1,
						      EVENT_PARAMS + 2 * i + 2))
			: sql_fit(&len, snprintf(sql + len, CONSENT_SQL_MAX - len,
						 "%s(?1, ?%d, ?2, ?3)", i ? ", " : "",
						 PREF_PARAMS + i + 1));
	if (!bad && !events)
		bad = sql_fit(&len, snprintf(sql + len, CONSENT_SQL_MAX - len, "%s", PREFS_UPSERT));
	return (bad ? -1 : 0);
}

/*
 * The statements of prefs_sql_make() for every number of categories,
 * made once per process (formatting one cost about 2,700 instructions,
 * twice a refusal); one category is the constant text of the row.
 */
static char prefs_sql_tab[2][CATEGORY_COUNT + 1][CONSENT_SQL_MAX];
static int prefs_sql_fits[2][CATEGORY_COUNT + 1];
static pthread_once_t prefs_sql_once = PTHREAD_ONCE_INIT;

/* prefs_sql_init - fill the table of statements, once */
static void
prefs_sql_init(void)
{
	for (int e = 0; e < 2; e++)
		for (int n = 1; n <= CATEGORY_COUNT; n++)
			prefs_sql_fits[e][n] = prefs_sql_make(e, n, prefs_sql_tab[e][n]) == 0;
}

/* prefs_sql - the statement for N categories (EVENTS: consent_events); NULL with ST's message */
static const char *
prefs_sql(struct store *st, int events, int n)
{
	(void) pthread_once(&prefs_sql_once, prefs_sql_init);
	events = events != 0;
	if (n < 1 || n > CATEGORY_COUNT || !prefs_sql_fits[events][n]) {
		(void) st_err(st, STORE_ERR, "consent statement too long");
		return (NULL);
	}
	if (n == 1)
		return (events ? EVENTS_INSERT EVENTS_ROW1 : PREFS_INSERT PREFS_ROW1 PREFS_UPSERT);
	return (prefs_sql_tab[events][n]);
}

/* events_add - append one consent event per category of CATS[N] */
static int
events_add(struct store *st, int64_t customer_id, const int *cats, int n,
	   const struct consent_req *r, const unsigned char subject[CRYPT_MAC_LEN], time_t now)
{
	const char *sql = prefs_sql(st, 1, n);
	struct db_stmt *s;
	int	rc, i;

	if (sql == NULL)
		return (STORE_ERR);
	if ((rc = db_prepare(st, sql, &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, customer_id);
	db_bind_blob(s, 2, subject, CRYPT_MAC_LEN);
	db_bind_int(s, 3, r->optout);
	db_bind_int(s, 4, (int64_t) r->ch);
	db_bind_text(s, 5, r->evidence);
	db_bind_int(s, 6, (int64_t) now);
	db_bind_text(s, 7, r->actor);
	db_bind_int(s, 8, r->campaign_id);
	for (i = 0; i < n && rc == STORE_OK; i++) {
		db_bind_int(s, EVENT_PARAMS + 2 * i + 1, cats[i]);
		if (*r->note)
			rc = st_bind_sealed(st, s, EVENT_PARAMS + 2 * i + 2, customer_id, CRYPT_F_NOTE,
					    r->note);
		else
			db_bind_null(s, EVENT_PARAMS + 2 * i + 2);
	}
	if (rc == STORE_OK)
		rc = st_run(st, s, "consent event");
	db_finish(s);
	return (rc);
}

/* prefs_put - the rows of prefs of the N categories CATS (one statement) */
static int
prefs_put(struct store *st, int64_t customer_id, const int *cats, int n,
	  const struct consent_req *r, time_t now)
{
	const char *sql;
	struct db_stmt *s;
	int	rc, i;

	if ((sql = prefs_sql(st, 0, n)) == NULL)
		return (STORE_ERR);
	if ((rc = db_prepare(st, sql, &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, customer_id);
	db_bind_int(s, 2, r->optout);
	db_bind_int(s, 3, (int64_t) now);
	for (i = 0; i < n; i++)
		db_bind_int(s, PREF_PARAMS + i + 1, cats[i]);
	rc = st_run(st, s, "preference update");
	db_finish(s);
	return (rc);
}

/*
 * prefs_rows_max - the categories one statement of prefs_set() writes.
 * PostgreSQL: all of them (each statement is a round trip to the
 * server). SQLite: one. A statement of several rows inside a
 * transaction opens a statement journal (it may have to undo its
 * first rows when a later one fails a constraint), which copies each
 * page the statement changes before changing it and is truncated at
 * the statement's end: in the milter's group commit, which runs
 * without savepoints, that cost more than the second statement.
 */
static int
prefs_rows_max(const struct store *st)
{
	return (st->ops == &db_sqlite_ops ? 1 : CATEGORY_COUNT);
}

/*
 * prefs_set - store the refusal (R) of the N categories CATS and their
 * events, at NOW (one moment per change): the rows of prefs, then the
 * events, prefs_rows_max() categories per statement
 */
static int
prefs_set(struct store *st, int64_t customer_id, const int *cats, int n,
	  const struct consent_req *r, const unsigned char subject[CRYPT_MAC_LEN], time_t now)
{
	int	rc = STORE_OK, step = prefs_rows_max(st), i;

	for (i = 0; i < n && rc == STORE_OK; i += step)
		rc = prefs_put(st, customer_id, cats + i, n - i < step ? n - i : step, r, now);
	for (i = 0; i < n && rc == STORE_OK; i += step)
		rc = events_add(st, customer_id, cats + i, n - i < step ? n - i : step, r, subject,
				now);
	return (rc);
}

/* refused_mask - the categories the customer refuses, as a bit mask */
static int
refused_mask(struct store *st, int64_t customer_id, int *mask)
{
	struct db_stmt *s;
	int	rc;

	*mask = 0;
	if ((rc = db_prepare(st, "SELECT category FROM prefs WHERE customer_id = ? AND optout = 1",
			     &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, customer_id);
	while ((rc = db_step(s)) == DB_ROW)
		*mask |= CATEGORY_BIT((int) db_col_int(s, 0) & CATEGORY_BITS_MASK);
	db_finish(s);
	return (rc == DB_DONE ? STORE_OK : db_error(st, rc, "preference list"));
}

/* suppression_put - the suppression entry of HASH becomes MASK (none when 0) */
static int
suppression_put(struct store *st, const unsigned char hash[CRYPT_MAC_LEN], int mask)
{
	struct db_stmt *s;
	int	rc;

	if (mask)
		rc = db_prepare(st, "INSERT INTO suppression(hash, cats, added) VALUES(?1, ?2, ?3) "
				"ON CONFLICT(hash) DO UPDATE SET cats = ?2", &s);
	else
		rc = db_prepare(st, "DELETE FROM suppression WHERE hash = ?1", &s);
	if (rc != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, hash, CRYPT_MAC_LEN);
	if (mask) {
		db_bind_int(s, 2, mask);
		db_bind_int(s, 3, (int64_t) st_now());
	}
	rc = st_run(st, s, "suppression update");
	db_finish(s);
	return (rc);
}

/* st_suppression_sync - the suppression entry follows the customer's refusals */
int
st_suppression_sync(struct store *st, int64_t customer_id, const unsigned char hash[CRYPT_MAC_LEN])
{
	int	rc, mask;

	if ((rc = refused_mask(st, customer_id, &mask)) != STORE_OK)
		return (rc);
	return (suppression_put(st, hash, mask));
}

/* subject_of - the suppression hash of the customer's address (PREP's when still true) */
static int
subject_of(struct store *st, int64_t customer_id, const struct store_optout_prep *prep,
	   unsigned char hash[CRYPT_MAC_LEN])
{
	char   *email;
	int	rc;

	if (prep != NULL && (rc = st_prep_subject(st, prep, hash)) != 0)
		return (rc > 0 ? STORE_OK : rc);
	if ((rc = st_customer_email(st, customer_id, &email)) != STORE_OK)
		return (rc);
	st_email_suphash(st, email, hash);
	crypt_str_free(email);
	return (STORE_OK);
}

/* check_args - the categories CAT stands for; the evidence's form */
static int
check_args(struct store *st, int cat, const char *evidence, int *mask)
{
	if (cat < 0)
		*mask = category_refusable_mask();
	else if (cat >= CATEGORY_COUNT)
		return (st_err(st, STORE_ERR, "invalid category %d", cat));
	else if (!category_refusable((enum category) cat))
		return (st_err(st, STORE_ERR, "category %s cannot be refused (it is part of the "
			       "service)", category_name((enum category) cat)));
	else
		*mask = CATEGORY_BIT(cat);
	if (evidence && !utf8_text_ok(evidence, STORE_EVIDENCE_MAX))
		return (st_err(st, STORE_ERR, "invalid evidence (not UTF-8 text or longer than %d "
			       "bytes)", STORE_EVIDENCE_MAX));
	return (STORE_OK);
}

/* evidence_seen - 1 if this evidence was recorded for the customer */
static int
evidence_seen(struct store *st, int64_t customer_id, const char *evidence, int optout)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT EXISTS(SELECT 1 FROM consent_events WHERE customer_id = ? "
			     "AND evidence = ? AND optout = ?)", &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, customer_id);
	db_bind_text(s, 2, evidence);
	db_bind_int(s, 3, optout);
	rc = db_step(s);
	rc = rc == DB_ROW ? (db_col_int(s, 0) != 0) : db_error(st, rc, "consent lookup");
	db_finish(s);
	return (rc);
}

/*
 * change_prefs - set every category of MASK; *N how many changed, *REFUSED
 * the categories refused after the change. The customer's preferences
 * are read once (one statement, not one per category and one more for
 * the suppression entry): the row lock taken before keeps them as read.
 */
static int
change_prefs(struct store *st, int64_t customer_id, int mask, const struct consent_req *r,
	     const unsigned char subject[CRYPT_MAC_LEN], int *n, int *refused)
{
	time_t	now = st_now();	/* one moment for all the categories of one change */
	int	rc, c, cur, cats[CATEGORY_COUNT];

	*n = 0;
	if ((rc = refused_mask(st, customer_id, refused)) != STORE_OK)
		return (rc);
	for (c = 0; c < CATEGORY_COUNT; c++) {
		if (!(mask & CATEGORY_BIT(c)))
			continue;
		cur = (*refused & CATEGORY_BIT(c)) != 0;
		if (cur == r->optout)
			continue;
		cats[(*n)++] = c;
	}
	if ((rc = prefs_set(st, customer_id, cats, *n, r, subject, now)) != STORE_OK)
		return (rc);
	for (c = 0; c < *n; c++)
		*refused ^= CATEGORY_BIT(cats[c]);
	return (STORE_OK);
}

/* change_locked - the change inside its transaction */
static int
change_locked(struct store *st, int64_t customer_id, int mask, const struct consent_req *r,
	      int *changed)
{
	unsigned char subject[CRYPT_MAC_LEN];
	int	rc, n = 0, refused = 0;

	if ((rc = db_lock_row(st, "customers", customer_id)) != STORE_OK
	    || (rc = subject_of(st, customer_id, r->prep, subject)) != STORE_OK)
		return (rc);
	/* Evidence names a message for REPLY and ONE_CLICK: seen once is enough. */
	if (*r->evidence && (r->ch == STORE_CH_REPLY || r->ch == STORE_CH_ONE_CLICK)) {
		if ((rc = evidence_seen(st, customer_id, r->evidence, r->optout)) < 0)
			return (rc);
		if (rc == 1)
			return (STORE_OK);	/* the same reply again: nothing to do */
	}
	if ((rc = change_prefs(st, customer_id, mask, r, subject, &n, &refused)) != STORE_OK)
		return (rc);
	if (n == 0)
		return (STORE_OK);
	if ((rc = suppression_put(st, subject, refused)) != STORE_OK)
		return (rc);
	if (r->optout && (r->ch == STORE_CH_REPLY || r->ch == STORE_CH_ONE_CLICK)) {
		const struct store_reply_thread *t = r->ch == STORE_CH_REPLY ? r->thread : NULL;

		rc = r->prep ? st_outbox_add_prepared(st, customer_id, CONSENT_CONFIRM, r->prep,
						      t != NULL)
			: st_outbox_add_thread(st, customer_id, CONSENT_CONFIRM, t, NULL);
		if (rc != STORE_OK)
			return (rc);
	}
	*changed = n;
	return (STORE_OK);
}

/*
 * campaign_of - the campaign of the message of ours that EVIDENCE names
 * as "ref=<Message-ID>" (the milter's evidence), 0 when none
 */
static int64_t
campaign_of(struct store *st, const char *evidence)
{
	char	id[STORE_MSGID_INPUT_MAX + 1];
	struct store_msglog ml;
	const char *p = strstr(evidence, CONSENT_REF), *e;

	if (p == NULL)
		return (0);
	p += strlen(CONSENT_REF);
	if ((e = strchr(p, '>')) == NULL || (size_t) (e - p) >= sizeof(id))
		return (0);
	memcpy(id, p, (size_t) (e - p));
	id[e - p] = 0;
	if (store_msglog_find(st, id, &ml) != STORE_OK)
		return (0);
	return (ml.campaign_id);
}

/* change - store_optout and store_optin */
static int
change(struct store *st, int64_t customer_id, int cat, struct consent_req *r, int *changed)
{
	char	ev[STORE_EVIDENCE_MAX + 1];
	int	rc, mask = 0, n = 0;

	if (changed)
		*changed = 0;
	if ((rc = check_args(st, cat, r->evidence, &mask)) != STORE_OK
	    || (rc = st_text_ok(st, "actor", r->actor, STORE_ACTOR_MAX)) != STORE_OK
	    || (rc = st_text_ok(st, "note", r->note, STORE_NOTE_MAX)) != STORE_OK)
		return (rc);
	if ((unsigned) r->ch > STORE_CH_WEB)
		return (st_err(st, STORE_ERR, "invalid channel"));
	/* No address or foreign Message-ID in clear (cut, never longer than the limit). */
	st_redact_evidence(st, r->evidence ? r->evidence : "", ev, sizeof(ev));
	r->evidence = ev;
	r->actor = r->actor ? r->actor : "";
	r->note = r->note ? r->note : "";
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return (rc);
	/* The milter found the campaign already (before the write lock). */
	if (r->ch != STORE_CH_REPLY)
		r->campaign_id = 0;
	else if (r->thread && r->thread->campaign_known)
		r->campaign_id = r->thread->campaign_id;
	else
		r->campaign_id = campaign_of(st, ev);
	rc = change_locked(st, customer_id, mask, r, &n);
	rc = st_tx_end(st, rc);
	if (rc == STORE_OK && changed)
		*changed = n;
	return (rc);
}

/* store_optout - refuse CAT (< 0: every refusable one); see store.h */
int
store_optout(struct store *st, int64_t customer_id, int cat, enum store_channel ch,
	     const char *evidence, int *changed)
{
	struct consent_req r = {1, ch, evidence, NULL, NULL, 0, NULL, NULL};

	return (change(st, customer_id, cat, &r, changed));
}

/* store_optout_prepared - store_optout(), or with REPLY and T store_optout_reply(), using P */
int
store_optout_prepared(struct store *st, int64_t customer_id, int cat, enum store_channel ch,
		      const char *evidence, const struct store_reply_thread *t,
		      const struct store_optout_prep *p, int *changed)
{
	struct consent_req r = {1, ch, evidence, NULL, NULL, 0, NULL, NULL};

	if (ch == STORE_CH_REPLY)
		r.thread = t;
	/* Another customer's preparation (the caller's mistake) is not used. */
	if (p != NULL && p->customer_id == customer_id)
		r.prep = p;
	return (change(st, customer_id, cat, &r, changed));
}

/* store_optout_reply - a refusal in a reply, whose confirmation answers reply T */
int
store_optout_reply(struct store *st, int64_t customer_id, int cat, const char *evidence,
		   const struct store_reply_thread *t, int *changed)
{
	struct consent_req r = {1, STORE_CH_REPLY, evidence, NULL, NULL, 0, t, NULL};

	return (change(st, customer_id, cat, &r, changed));
}

/* store_optin - agree again to CAT (< 0: every refusable one) */
int
store_optin(struct store *st, int64_t customer_id, int cat, enum store_channel ch,
	    const char *evidence, int *changed)
{
	struct consent_req r = {0, ch, evidence, NULL, NULL, 0, NULL, NULL};

	return (change(st, customer_id, cat, &r, changed));
}

/* store_consent_staff - a staff member's opt-out or opt-in with a note */
int
store_consent_staff(struct store *st, int64_t customer_id, int cat, int optout,
		    const char *actor, const char *note, int *changed)
{
	struct consent_req r = {optout != 0, STORE_CH_STAFF, NULL, actor, note, 0, NULL, NULL};
	char	evidence[STORE_ACTOR_MAX + sizeof(CONSENT_STAFF_EVIDENCE) + 1];

	if (actor == NULL || *actor == 0)
		return (st_err(st, STORE_ERR, "a staff change needs the staff member's name"));
	snprintf(evidence, sizeof(evidence), CONSENT_STAFF_EVIDENCE "%s", actor);
	r.evidence = evidence;
	return (change(st, customer_id, cat, &r, changed));
}

/* store_is_optout - 1 if the customer refused CAT */
int
store_is_optout(struct store *st, int64_t customer_id, enum category cat)
{
	int	rc, v;

	if ((unsigned) cat >= CATEGORY_COUNT)
		return (st_err(st, STORE_ERR, "invalid category %d", (int) cat));
	if (!category_refusable(cat))
		return (0);
	if ((rc = pref_get(st, customer_id, (int) cat, &v)) != STORE_OK)
		return (rc);
	return (v ? 1 : 0);
}

/* suppression_mask - the refused categories recorded for HASH */
static int
suppression_mask(struct store *st, const unsigned char hash[CRYPT_MAC_LEN], int *mask)
{
	struct db_stmt *s;
	int	rc;

	*mask = 0;
	if ((rc = db_prepare(st, "SELECT cats FROM suppression WHERE hash = ?", &s)) != STORE_OK)
		return (rc);
	db_bind_blob(s, 1, hash, CRYPT_MAC_LEN);
	rc = db_step(s);
	if (rc == DB_ROW) {
		*mask = (int) db_col_int(s, 0);
		rc = STORE_OK;
	} else if (rc == DB_DONE)
		rc = STORE_OK;
	else
		rc = db_error(st, rc, "suppression lookup");
	db_finish(s);
	return (rc);
}

/* store_is_suppressed - 1 if the address refused every refusable category */
int
store_is_suppressed(struct store *st, const char *email)
{
	char	norm[STORE_EMAIL_MAX + 1];
	unsigned char hash[CRYPT_MAC_LEN];
	int	rc, mask;

	if (addr_normalise(email, norm, sizeof(norm)) != 0)
		return (st_err(st, STORE_ERR, "invalid email address"));
	st_email_suphash(st, norm, hash);
	if ((rc = suppression_mask(st, hash, &mask)) != STORE_OK)
		return (rc);
	return ((mask & category_refusable_mask()) == category_refusable_mask());
}

/* st_suppression_apply - re-apply an address's recorded refusals to a new row */
int
st_suppression_apply(struct store *st, int64_t customer_id, const char *norm)
{
	static const struct consent_req r = {1, STORE_CH_IMPORT, SUPPRESSION_EVIDENCE, "", "", 0, NULL,
					      NULL};
	unsigned char hash[CRYPT_MAC_LEN];
	time_t	now = st_now();
	int	rc, c, mask, n = 0, cats[CATEGORY_COUNT];

	st_email_suphash(st, norm, hash);
	if ((rc = suppression_mask(st, hash, &mask)) != STORE_OK)
		return (rc);
	for (c = 0; c < CATEGORY_COUNT && mask; c++)
		if ((mask & CATEGORY_BIT(c)) && category_refusable((enum category) c))
			cats[n++] = c;
	return (prefs_set(st, customer_id, cats, n, &r, hash, now));
}

/* store_consent_clear - free a consent record's strings */
void
store_consent_clear(struct store_consent *e)
{
	if (e == NULL)
		return;
	free(e->evidence);
	free(e->actor);
	crypt_str_free(e->note);
	memset(e, 0, sizeof(*e));
}

#define CONSENT_COLS "id, coalesce(customer_id, 0), category, optout, channel, evidence, at, " \
	"actor, note_ct, campaign_id"

/* consent_rows - FN for each row of S (CONSENT_COLS) */
static int
consent_rows(struct store *st, struct db_stmt *s,
	     int (*fn)(const struct store_consent *, void *), void *arg)
{
	struct store_consent e;
	size_t	len;
	int	rc, stop;

	while ((rc = db_step(s)) == DB_ROW) {
		memset(&e, 0, sizeof(e));
		e.id = db_col_int(s, 0);
		e.customer_id = db_col_int(s, 1);
		e.category = (enum category) db_col_int(s, 2);
		e.optout = (int) db_col_int(s, 3);
		e.channel = (enum store_channel) db_col_int(s, 4);
		e.at = (time_t) db_col_int(s, 6);
		e.campaign_id = db_col_int(s, 9);
		e.evidence = st_strdup(db_col_text(s, 5));
		e.actor = st_strdup(db_col_text(s, 7));
		if (e.evidence == NULL || e.actor == NULL) {
			store_consent_clear(&e);
			return (st_err(st, STORE_TEMP, "out of memory"));
		}
		(void) db_col_blob(s, 8, &len);
		if (len > 0 && e.customer_id > 0) {
			if ((rc = st_unseal_col(st, s, 8, e.customer_id, CRYPT_F_NOTE, &e.note))
			    != STORE_OK) {
				store_consent_clear(&e);
				return (rc);
			}
		} else if ((e.note = st_strdup("")) == NULL) {
			store_consent_clear(&e);
			return (st_err(st, STORE_TEMP, "out of memory"));
		}
		stop = fn(&e, arg);
		store_consent_clear(&e);
		if (stop)
			return (STORE_OK);
	}
	return (rc == DB_DONE ? STORE_OK : db_error(st, rc, "consent list"));
}

/* store_consent_each - FN for each consent event of a customer (or all) */
int
store_consent_each(struct store *st, int64_t customer_id,
		   int (*fn)(const struct store_consent *, void *), void *arg)
{
	struct db_stmt *s;
	int	rc;

	/* Two statements: "?1 <= 0 OR customer_id = ?1" cannot use the index. */
	if (customer_id > 0)
		rc = db_prepare(st, "SELECT " CONSENT_COLS " FROM consent_events "
				"WHERE customer_id = ?1 ORDER BY id", &s);
	else
		rc = db_prepare(st, "SELECT " CONSENT_COLS " FROM consent_events ORDER BY id", &s);
	if (rc != STORE_OK)
		return (rc);
	if (customer_id > 0)
		db_bind_int(s, 1, customer_id);
	rc = consent_rows(st, s, fn, arg);
	db_finish(s);
	return (rc);
}

/* store_consent_range - FN for each event of any customer with SINCE <= at < UNTIL */
int
store_consent_range(struct store *st, time_t since, time_t until,
		    int (*fn)(const struct store_consent *, void *), void *arg)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT " CONSENT_COLS " FROM consent_events "
			     "WHERE at >= ? AND at < ? ORDER BY at, id", &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, (int64_t) since);
	db_bind_int(s, 2, (int64_t) until);
	rc = consent_rows(st, s, fn, arg);
	db_finish(s);
	return (rc);
}
