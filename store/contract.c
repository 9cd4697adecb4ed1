/*
 * NAME
 *	contract 3
 * SUMMARY
 *	contracts of customers: the service types they use
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	A contract is keyed by its reference: store_contract_upsert() of
 *	the same reference updates the row. store_contract_each() with
 *	CUSTOMER_ID <= 0 visits every contract. A contract stored as ended
 *	without an end time is given the current time, so that purge can
 *	count the grace period from it.
 * DIAGNOSTICS
 *	Invalid input is STORE_ERR with a message that describes the
 *	field; see store.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define CONTRACT_COLS	"id, customer_id, service_type, ref, status, started, ended"

/* store_contract_clear - free a contract record's strings */
void
store_contract_clear(struct store_contract *k)
{
	if (k == NULL)
		return;
	free(k->service_type);
	free(k->ref);
	memset(k, 0, sizeof(*k));
}

/* contract_check - validate the fields of an upsert */
static int
contract_check(struct store *st, const char *service_type, const char *ref,
	       enum store_contract_status status, time_t started, time_t ended)
{
	if (service_type == NULL || !st_service_type_valid(service_type))
		return (st_err(st, STORE_ERR, "invalid service type (lower-case letters, digits, "
			       "'-' and '_', at most %d)", STORE_SERVICE_TYPE_MAX));
	if (ref == NULL || !st_ref_valid(ref))
		return (st_err(st, STORE_ERR, "invalid contract reference (printable ASCII without "
			       "spaces, at most %d)", STORE_REF_MAX));
	if (status != STORE_CONTRACT_ACTIVE && status != STORE_CONTRACT_ENDED)
		return (st_err(st, STORE_ERR, "invalid contract status"));
	if (started < 0 || ended < 0 || (ended && started && ended < started))
		return (st_err(st, STORE_ERR, "contract %s: end before start", ref));
	return (STORE_OK);
}

/* contract_write - the upsert statement itself */
static int
contract_write(struct store *st, int64_t customer_id, const char *service_type,
	       const char *ref, enum store_contract_status status, time_t started,
	       time_t ended, int64_t *id)
{
	struct db_stmt *s;
	int	rc;

	rc = db_prepare(st,
			"INSERT INTO contracts(customer_id, service_type, ref, status, started, ended) "
			"VALUES(?1, ?2, ?3, ?4, ?5, CASE WHEN ?4 = 1 AND ?6 = 0 THEN ?7 ELSE ?6 END) "
			"ON CONFLICT(ref) DO UPDATE SET customer_id = excluded.customer_id, "
			" service_type = excluded.service_type, status = excluded.status, "
			" started = CASE WHEN excluded.started <> 0 THEN excluded.started "
			"  ELSE contracts.started END, "
			" ended = CASE WHEN excluded.status = 0 THEN 0 "
			"  WHEN ?6 <> 0 THEN ?6 "
			"  WHEN contracts.status = 1 AND contracts.ended <> 0 THEN contracts.ended "
			"  ELSE ?7 END "
			"RETURNING id", &s);
	if (rc != STORE_OK)
		return (rc);
	db_bind_int(s, 1, customer_id);
	db_bind_text(s, 2, service_type);
	db_bind_text(s, 3, ref);
	db_bind_int(s, 4, (int64_t) status);
	db_bind_int(s, 5, (int64_t) started);
	db_bind_int(s, 6, (int64_t) ended);
	db_bind_int(s, 7, (int64_t) st_now());
	if ((rc = db_step(s)) != DB_ROW) {
		rc = db_error(st, rc == DB_DONE ? STORE_ERR : rc, "contract upsert");
		goto done;
	}
	if (id)
		*id = db_col_int(s, 0);
	rc = st_run(st, s, "contract upsert");
done:
	db_finish(s);
	return (rc);
}

/* store_contract_upsert - insert or update by reference */
int
store_contract_upsert(struct store *st, int64_t customer_id, const char *service_type,
		      const char *ref, enum store_contract_status status,
		      time_t started, time_t ended, int64_t *id)
{
	int	rc;

	if ((rc = contract_check(st, service_type, ref, status, started, ended)) != STORE_OK)
		return (rc);
	if (status == STORE_CONTRACT_ACTIVE)
		ended = 0;
	if ((rc = st_tx_begin(st)) != STORE_OK)
		return (rc);
	if ((rc = st_customer_exists(st, customer_id)) != STORE_OK) {
		if (rc == STORE_NOTFOUND)
			rc = st_err(st, STORE_ERR, "no customer %lld", (long long) customer_id);
	} else
		rc = contract_write(st, customer_id, service_type, ref, status, started, ended, id);
	return (st_tx_end(st, rc));
}

/* store_contract_end - mark contract REF ended at WHEN */
int
store_contract_end(struct store *st, const char *ref, time_t when)
{
	struct db_stmt *s;
	int	rc;

	if (ref == NULL || !st_ref_valid(ref))
		return (st_err(st, STORE_ERR, "invalid contract reference"));
	if (when <= 0)
		when = st_now();
	if ((rc = db_prepare(st, "UPDATE contracts SET status = 1, "
			     "ended = CASE WHEN status = 1 AND ended <> 0 THEN ended ELSE ?1 END "
			     "WHERE ref = ?2 RETURNING id", &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, (int64_t) when);
	db_bind_text(s, 2, ref);
	rc = db_step(s);
	if (rc == DB_ROW)
		rc = st_run(st, s, "contract end");
	else if (rc == DB_DONE)
		rc = st_err(st, STORE_NOTFOUND, "no contract %s", ref);
	else
		rc = db_error(st, rc, "contract end");
	db_finish(s);
	return (rc);
}

/* row_to_contract - a record from a CONTRACT_COLS row */
static int
row_to_contract(struct store *st, struct db_stmt *s, struct store_contract *k)
{
	k->id = db_col_int(s, 0);
	k->customer_id = db_col_int(s, 1);
	k->service_type = st_strdup(db_col_text(s, 2));
	k->ref = st_strdup(db_col_text(s, 3));
	k->status = (enum store_contract_status) db_col_int(s, 4);
	k->started = (time_t) db_col_int(s, 5);
	k->ended = (time_t) db_col_int(s, 6);
	if (k->service_type == NULL || k->ref == NULL) {
		store_contract_clear(k);
		return (st_err(st, STORE_TEMP, "out of memory"));
	}
	return (STORE_OK);
}

/* store_contract_each - FN for each contract of a customer (or all) */
int
store_contract_each(struct store *st, int64_t customer_id,
		    int (*fn)(const struct store_contract *, void *), void *arg)
{
	struct store_contract k;
	struct db_stmt *s;
	int	rc, stop;

	/* Two statements: "?1 <= 0 OR customer_id = ?1" cannot use the index,
	 * which made every per-customer lookup a scan of all contracts. */
	if (customer_id > 0)
		rc = db_prepare(st, "SELECT " CONTRACT_COLS " FROM contracts WHERE customer_id = ?1 "
				"ORDER BY id", &s);
	else
		rc = db_prepare(st, "SELECT " CONTRACT_COLS " FROM contracts ORDER BY id", &s);
	if (rc != STORE_OK)
		return (rc);
	db_bind_int(s, 1, customer_id);
	while ((rc = db_step(s)) == DB_ROW) {
		if ((rc = row_to_contract(st, s, &k)) != STORE_OK)
			goto done;
		stop = fn(&k, arg);
		store_contract_clear(&k);
		if (stop) {
			rc = STORE_OK;
			goto done;
		}
	}
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "contract list");
done:
	db_finish(s);
	return (rc);
}

/* store_customer_has_active - 1 if an active contract of SERVICE_TYPE */
int
store_customer_has_active(struct store *st, int64_t customer_id, const char *service_type)
{
	struct db_stmt *s;
	int	rc;

	if ((rc = db_prepare(st, "SELECT EXISTS(SELECT 1 FROM contracts WHERE customer_id = ? "
			     "AND service_type = ? AND status = 0)", &s)) != STORE_OK)
		return (rc);
	db_bind_int(s, 1, customer_id);
	db_bind_text(s, 2, service_type ? service_type : "");
	rc = db_step(s);
	rc = rc == DB_ROW ? (db_col_int(s, 0) != 0) : db_error(st, rc, "contract lookup");
	db_finish(s);
	return (rc);
}
