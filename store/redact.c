/*
 * NAME
 *	redact 3
 * SUMMARY
 *	what the store keeps instead of addresses and foreign Message-IDs
 * SYNOPSIS
 *	#include "store_int.h"
 *
 *	int	st_redact_addresses(const char *in, const char *label,
 *			char *out, size_t outlen);
 *	int	st_redact_evidence(struct store *st, const char *in,
 *			char *out, size_t outlen);
 *	void	st_reason_redact(const char *reason, int64_t customer_id,
 *			char *out, size_t outlen);
 *	int	st_reason_of_row(struct store *st, const char *table, int64_t id,
 *			const char *reason, char *out, size_t outlen);
 *	int	st_redact_rows(struct store *st);
 * DESCRIPTION
 *	Free text that reaches the store from outside (an SMTP server's
 *	reply kept as a delivery's reason, a reply's Message-ID kept as
 *	consent evidence) often names the customer: "550 5.1.1
 *	<an.nguyen@example.vn>: Recipient address rejected", or
 *	"<CAH...@mail.gmail.com>" from the customer's own domain. The store
 *	keeps such text only through these functions (issue 12).
 *
 *	st_redact_addresses() copies IN to OUT with every address replaced
 *	by LABEL (e.g. "customer 12"): an address in angle brackets is the
 *	whole bracket (a quoted local part with spaces included), any other
 *	is the run of characters on both sides of an '@' up to white space
 *	or one of <>()[],;:"'. Boundaries are ASCII, so UTF-8 text stays
 *	UTF-8.
 *
 *	st_redact_evidence() replaces every bracketed value that holds an
 *	'@' and is not one of our own Message-IDs (right-hand side equal to
 *	msgid_domain, kept so support can find the campaign) by
 *	"<h:HEX>", HEX the first STORE_EVHASH_BYTES bytes of
 *	HMAC-SHA256(k_idx, "msgid:" value) (st_evidence_hash(), also behind
 *	the milter's store_evidence_hash()): deterministic, so an event is
 *	still recognised when the same reply comes again (idempotency on
 *	the evidence) and support can compare a Message-ID they hold, but
 *	the value cannot be read back. Bare addresses become "h:HEX" the
 *	same way. Both functions leave redacted text as it is, so running
 *	them twice (a migration step restarted) changes nothing.
 *
 *	st_reason_redact() is a delivery's or outbox message's reason
 *	(REASON NULL: "") with every address replaced by "customer ID"
 *	("the recipient" when ID is 0), cut at OUTLEN. st_reason_of_row()
 *	does the same for row ID of TABLE ("deliveries" or "outbox"),
 *	reading its customer only when REASON holds an '@'.
 *
 *	st_redact_rows() is migration step 4: the rows written before it
 *	(campaign parameters in clear, addresses in reasons, Message-IDs
 *	in evidence) rewritten as the functions above write them now.
 * DIAGNOSTICS
 *	0, or -1 when OUT is too small (OUT then holds a truncated copy
 *	that never ends inside a value that should have been replaced).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "inbound.h"
#include "store_int.h"

#define REDACT_HASH_LEN		STORE_EVHASH_BYTES	/* bytes of HMAC shown */
#define REDACT_HASH_PREFIX	"msgid:"
#define REDACT_VALUE_MAX	STORE_MSGID_INPUT_MAX
#define REDACT_LABEL_MAX	32	/* "customer " and an id */
#define REDACT_ROWS_INIT	64

/* stop_char - whether C ends a bare address */
static int
stop_char(unsigned char c)
{
	return (c <= ' ' || strchr("<>()[],;:\"'", c) != NULL);
}

/* put - append N bytes of S to OUT at *POS; -1 when it does not fit */
static int
put(char *out, size_t outlen, size_t *pos, const char *s, size_t n)
{
	if (*pos + n + 1 > outlen)
		return (-1);
	memcpy(out + *pos, s, n);
	*pos += n;
	out[*pos] = 0;
	return (0);
}

/*
 * st_evidence_hash - "h:HEX" of the N bytes at V into LABEL (at least
 * STORE_EVHASH_MAX bytes). The one keyed hash the store keeps of a
 * Message-ID or an address: the milter's store_evidence_hash() and the
 * redaction below both write it, so the same reply reads the same
 * whichever of them wrote its evidence.
 */
void
st_evidence_hash(struct store *st, const char *v, size_t n, char *label)
{
	unsigned char mac[CRYPT_MAC_LEN];
	char	buf[sizeof(REDACT_HASH_PREFIX) + REDACT_VALUE_MAX];
	size_t	pl = strlen(REDACT_HASH_PREFIX);

	if (n > REDACT_VALUE_MAX)
		n = REDACT_VALUE_MAX;
	memcpy(buf, REDACT_HASH_PREFIX, pl);
	memcpy(buf + pl, v, n);
	crypt_mac(st->keys.idx, buf, pl + n, mac);
	memcpy(label, "h:", 2);
	crypt_hex(mac, REDACT_HASH_LEN, label + 2);
	label[2 + 2 * REDACT_HASH_LEN] = 0;
}

/* ours - whether the N bytes at V are a Message-ID of ours */
static int
ours(const struct store *st, const char *v, size_t n)
{
	const char *at = memchr(v, '@', n);
	size_t	dl;

	if (at == NULL || st == NULL)
		return (0);
	dl = (size_t) (v + n - at - 1);
	return (dl == strlen(st->msgid_domain) && strncasecmp(at + 1, st->msgid_domain, dl) == 0);
}

/*
 * redact - the common walk: ST NULL replaces addresses by LABEL, else
 * by their keyed hash, keeping our own Message-IDs.
 */
static int
redact(struct store *st, const char *in, const char *label, char *out, size_t outlen)
{
	char	h[STORE_EVHASH_MAX];
	const char *p = in, *at, *b, *e, *gt, *lt;
	size_t	pos = 0;

	if (outlen == 0)
		return (-1);
	out[0] = 0;
	while ((at = strchr(p, '@')) != NULL) {
		/* A bracket around the '@' with no other bracket inside. */
		for (lt = at; lt > p && *lt != '<' && *lt != '>'; lt--)
			;
		gt = strpbrk(at, "<>");
		if (*lt == '<' && gt && *gt == '>') {
			b = lt + 1;
			e = gt;
		} else {
			for (b = at; b > p && !stop_char((unsigned char) b[-1]); b--)
				;
			for (e = at + 1; *e && !stop_char((unsigned char) *e); e++)
				;
		}
		if (put(out, outlen, &pos, p, (size_t) (b - p)) < 0)
			return (-1);
		if (st != NULL && ours(st, b, (size_t) (e - b))) {
			if (put(out, outlen, &pos, b, (size_t) (e - b)) < 0)
				return (-1);
		} else {
			const char *l = label;

			if (st != NULL) {
				st_evidence_hash(st, b, (size_t) (e - b), h);
				l = h;
			}
			if (put(out, outlen, &pos, l, strlen(l)) < 0)
				return (-1);
		}
		p = e;
	}
	return (put(out, outlen, &pos, p, strlen(p)));
}

/* st_redact_addresses - IN with every address replaced by LABEL */
int
st_redact_addresses(const char *in, const char *label, char *out, size_t outlen)
{
	return (redact(NULL, in, label, out, outlen));
}

/* st_redact_evidence - IN with foreign Message-IDs and addresses hashed */
int
st_redact_evidence(struct store *st, const char *in, char *out, size_t outlen)
{
	return (redact(st, in, NULL, out, outlen));
}

/* st_reason_redact - REASON with addresses replaced by the customer's id */
void
st_reason_redact(const char *reason, int64_t customer_id, char *out, size_t outlen)
{
	char	label[REDACT_LABEL_MAX];

	if (customer_id > 0)
		snprintf(label, sizeof(label), "customer %lld", (long long) customer_id);
	else
		snprintf(label, sizeof(label), "the recipient");
	(void) st_redact_addresses(reason ? reason : "", label, out, outlen);
}

/* st_reason_of_row - REASON redacted for row ID of TABLE */
int
st_reason_of_row(struct store *st, const char *table, int64_t id, const char *reason,
		 char *out, size_t outlen)
{
	struct db_stmt *s;
	int64_t	customer_id = 0;
	int	rc;

	if (reason == NULL || strchr(reason, '@') == NULL) {
		st_reason_redact(reason, 0, out, outlen);
		return (STORE_OK);
	}
	rc = db_prepare(st, strcmp(table, "outbox") == 0
			? "SELECT customer_id FROM outbox WHERE id = ?"
			: "SELECT customer_id FROM deliveries WHERE id = ?", &s);
	if (rc != STORE_OK)
		return (rc);
	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc == DB_ROW)
		customer_id = db_col_int(s, 0);
	rc = rc == DB_ROW || rc == DB_DONE ? STORE_OK : db_error(st, rc, "reason");
	db_finish(s);
	st_reason_redact(reason, customer_id, out, outlen);
	return (rc);
}

struct redact_row {
	int64_t	id;
	int64_t	other;		/* customer id (reasons) */
	char   *text;
};

/* load_rows - (id, other, text) of every row SQL returns; caller frees */
static int
load_rows(struct store *st, const char *sql, struct redact_row **rows, size_t *n)
{
	struct redact_row *v = NULL, *nv;
	struct db_stmt *s;
	size_t	cap = 0;
	int	rc;

	*rows = NULL;
	*n = 0;
	if ((rc = db_prepare(st, sql, &s)) != STORE_OK)
		return (rc);
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : REDACT_ROWS_INIT;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				rc = st_err(st, STORE_TEMP, "out of memory");
				goto done;
			}
			v = nv;
		}
		v[*n].id = db_col_int(s, 0);
		v[*n].other = db_col_int(s, 1);
		if ((v[*n].text = st_strdup(db_col_text(s, 2))) == NULL) {
			rc = st_err(st, STORE_TEMP, "out of memory");
			goto done;
		}
		(*n)++;
	}
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "migration read");
done:
	db_finish(s);
	*rows = v;
	return (rc);
}

/* free_rows - what load_rows() returned, wiped */
static void
free_rows(struct redact_row *rows, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		crypt_str_free(rows[i].text);
	}
	free(rows);
}

/* update_text - UPDATE (SQL: ?1 the text, ?2 the id) one row */
static int
update_text(struct store *st, const char *sql, int64_t id, const char *text)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, sql, &s)) != STORE_OK)
		return (rc);
	db_bind_text(s, 1, text);
	db_bind_int(s, 2, id);
	rc = st_run(st, s, "migration write");
	db_finish(s);
	return (rc);
}

/* redact_table - one text column of TABLE rewritten by its rule (EVIDENCE or reason) */
static int
redact_table(struct store *st, const char *select, const char *update, int evidence)
{
	char	out[STORE_TEXT_MAX + 1];
	struct redact_row *rows;
	size_t	n, i;
	int	rc;

	rc = load_rows(st, select, &rows, &n);
	for (i = 0; rc == STORE_OK && i < n; i++) {
		if (evidence)
			(void) st_redact_evidence(st, rows[i].text, out,
						  STORE_EVIDENCE_MAX + 1);
		else
			st_reason_redact(rows[i].text, rows[i].other, out, sizeof(out));
		if (strcmp(out, rows[i].text) != 0)
			rc = update_text(st, update, rows[i].id, out);
	}
	free_rows(rows, n);
	return (rc);
}

/* seal_params - every campaign's parameters moved into params_ct */
static int
seal_params(struct store *st)
{
	struct redact_row *rows;
	struct db_stmt *s;
	size_t	n, i;
	int	rc;

	rc = load_rows(st, "SELECT id, 0, params FROM campaigns WHERE params_ct IS NULL", &rows,
		       &n);
	for (i = 0; rc == STORE_OK && i < n; i++) {
		if ((rc = db_prepare(st, "UPDATE campaigns SET params_ct = ?, params = '' "
				     "WHERE id = ?", &s)) != STORE_OK)
			break;
		if ((rc = st_bind_sealed(st, s, 1, rows[i].id, CRYPT_F_PARAMS, rows[i].text))
		    == STORE_OK) {
			db_bind_int(s, 2, rows[i].id);
			rc = st_run(st, s, "migration write");
		}
		db_finish(s);
	}
	free_rows(rows, n);
	return (rc);
}

/* st_redact_rows - migration 3 -> 4 (see DESCRIPTION) */
int
st_redact_rows(struct store *st)
{
	int	rc;

	if ((rc = seal_params(st)) != STORE_OK
	    || (rc = redact_table(st, "SELECT id, customer_id, reason FROM deliveries "
				  "WHERE reason LIKE '%@%'",
				  "UPDATE deliveries SET reason = ?1 WHERE id = ?2", 0)) != STORE_OK
	    || (rc = redact_table(st, "SELECT id, customer_id, reason FROM outbox "
				  "WHERE reason LIKE '%@%'",
				  "UPDATE outbox SET reason = ?1 WHERE id = ?2", 0)) != STORE_OK)
		return (rc);
	return (redact_table(st, "SELECT id, 0, evidence FROM consent_events "
			     "WHERE evidence LIKE '%@%'",
			     "UPDATE consent_events SET evidence = ?1 WHERE id = ?2", 1));
}
