/*
 * NAME
 *	stats 3
 * SUMMARY
 *	counts for links-store stats
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	store_stats_get() counts customers, contracts, refusals per
 *	category, suppressed and undeliverable addresses, logged messages,
 *	campaigns, pending outbox rows and consent events. Nothing in it
 *	is personal data.
 * DIAGNOSTICS
 *	See store.h.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "store_int.h"

/* store_stats_get - the counts of links-store stats */
int
store_stats_get(struct store *st, struct store_stats *out)
{
	static const struct {
		const char *sql;
		size_t	off;
	} q[] = {
		{"SELECT count(*) FROM customers", offsetof(struct store_stats, customers)},
		{"SELECT count(*) FROM contracts WHERE status = 0",
		 offsetof(struct store_stats, contracts_active)},
		{"SELECT count(*) FROM contracts WHERE status = 1",
		 offsetof(struct store_stats, contracts_ended)},
		{"SELECT count(*) FROM msglog", offsetof(struct store_stats, messages_logged)},
		{"SELECT count(*) FROM campaigns", offsetof(struct store_stats, campaigns)},
		{"SELECT count(*) FROM outbox WHERE status = 0",
		 offsetof(struct store_stats, outbox_pending)},
		{"SELECT count(*) FROM consent_events", offsetof(struct store_stats, consent_events)},
	};
	struct db_stmt *s;
	size_t	i;
	int	rc;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		if ((rc = st_count(st, q[i].sql, 0, (long *) ((char *) out + q[i].off))) != STORE_OK)
			return rc;
	/* Suppressed: every refusable category refused (category.h's mask). */
	if ((rc = st_count(st, "SELECT count(*) FROM suppression WHERE (cats & ?1) = ?1",
			   (int64_t) category_refusable_mask(), &out->suppressed)) != STORE_OK)
		return rc;
	if ((rc = st_count(st, "SELECT count(*) FROM bounces WHERE count >= ?",
			   st->bounce_threshold, &out->undeliverable)) != STORE_OK)
		return rc;
	if ((rc = db_prepare(st, "SELECT category, count(*) FROM prefs WHERE optout = 1 "
			     "GROUP BY category", &s)) != STORE_OK)
		return rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int	c = (int) db_col_int(s, 0);

		if (c >= 0 && c < CATEGORY_COUNT)
			out->optouts[c] = (long) db_col_int(s, 1);
	}
	rc = rc == DB_DONE ? STORE_OK : db_error(st, rc, "statistics");
	db_finish(s);
	return rc;
}
