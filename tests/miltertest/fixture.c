/*
 * NAME
 *	milter-fixture 1
 * SUMMARY
 *	set up and inspect a test store through the store API
 * SYNOPSIS
 *	milter-fixture -c CONF init
 *	milter-fixture -c CONF customer EMAIL
 *	milter-fixture -c CONF customers PREFIX COUNT TAG CATEGORY
 *	milter-fixture -c CONF report PREFIX COUNT
 *	milter-fixture -c CONF msglog MESSAGE-ID CUSTOMER-ID CATEGORY [CAMPAIGN-ID]
 *	milter-fixture -c CONF campaign CATEGORY
 *	milter-fixture -c CONF replies CAMPAIGN-ID
 *	milter-fixture -c CONF token CUSTOMER-ID CATEGORY
 *	milter-fixture -c CONF verp CUSTOMER-ID CAMPAIGN-ID
 *	milter-fixture -c CONF optout CUSTOMER-ID CATEGORY
 *	milter-fixture -c CONF consents CUSTOMER-ID
 *	milter-fixture -c CONF undeliverable EMAIL
 *	milter-fixture -c CONF counter NAME
 *	milter-fixture -c CONF outbox
 * DESCRIPTION
 *	A small test helper for the milter tests: it creates the store
 *	(key file and database, as links-store init does), customers and
 *	message-log entries, makes unsubscribe tokens and bounce (VERP)
 *	tokens, and prints what the
 *	milter recorded (opt-out flags, the number of opt-out consent
 *	events of a customer, undeliverable addresses, counters, pending
 *	confirmations), one value per line on stdout.
 *
 *	For the load and fault tests, "customers" creates COUNT customers
 *	PREFIX1@example.vn ... PREFIXCOUNT@example.vn, each with the
 *	message TAG.PREFIXi@ilinks.asia of CATEGORY in the message log,
 *	in one store connection (their ids, one a line), and "report"
 *	prints for each of them "i optout events": whether promotions are
 *	refused, and the number of opt-out consent events. "campaign"
 *	creates a campaign of CATEGORY (its id); "replies" prints a
 *	campaign's "refusal_customers refusal_messages question_customers
 *	question_messages" (store_campaign_replies()).
 * DIAGNOSTICS
 *	Exit 0 on success, 1 with a message on stderr otherwise.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "inbound.h"
#include "store.h"

#define FIX_OUTBOX_BATCH 100
#define FIX_ADDR_MAX	320

struct fix_count {
	long	optouts;
	long	events;
};

static int fix_consent(const struct store_consent *e, void *arg)
{
	struct fix_count *n = arg;

	n->events++;
	if (e->optout)
		n->optouts++;
	return 0;
}

struct fix_counter {
	const char *name;
	long	value;
};

static int fix_counter_cb(const char *name, long value, void *arg)
{
	struct fix_counter *fc = arg;

	if (strcmp(name, fc->name) == 0)
		fc->value = value;
	return 0;
}

static int fix_category(const char *s, enum category *cat)
{
	if (category_parse(s, cat) != 0) {
		fprintf(stderr, "milter-fixture: unknown category %s\n", s);
		return -1;
	}
	return 0;
}

/* fix_customers - COUNT customers PREFIXi@example.vn, each with TAG.PREFIXi@ilinks.asia logged */
static int fix_customers(struct store *st, const char *prefix, long count, const char *tag,
			 enum category cat)
{
	char	addr[FIX_ADDR_MAX], msgid[FIX_ADDR_MAX];

	for (long i = 1; i <= count; i++) {
		int64_t id;

		snprintf(addr, sizeof(addr), "%s%ld@example.vn", prefix, i);
		snprintf(msgid, sizeof(msgid), "%s.%s%ld@ilinks.asia", tag, prefix, i);
		if (store_customer_upsert(st, addr, "Test Customer", NULL, STORE_SRC_PORTAL,
					  &id, NULL) != STORE_OK
		    || store_msglog_add(st, msgid, id, cat, 0) != STORE_OK)
			return -1;
		printf("%" PRId64 "\n", id);
	}
	return 0;
}

/* fix_report - "i optout events" of customers PREFIX1..PREFIXCOUNT@example.vn */
static int fix_report(struct store *st, const char *prefix, long count)
{
	char	addr[FIX_ADDR_MAX];

	for (long i = 1; i <= count; i++) {
		struct fix_count n = {0, 0};
		int64_t id;
		int	r;

		snprintf(addr, sizeof(addr), "%s%ld@example.vn", prefix, i);
		if (store_customer_id_find(st, addr, &id) != STORE_OK
		    || (r = store_is_optout(st, id, CATEGORY_PROMOTION)) < 0
		    || store_consent_each(st, id, fix_consent, &n) != STORE_OK)
			return -1;
		printf("%ld %d %ld\n", i, r, n.optouts);
	}
	return 0;
}

int	main(int argc, char **argv)
{
	char	err[CONF_ERR_MAX];
	struct conf *c;
	struct store *st;
	enum category cat;
	int	rc = 1;
	const char *cmd;

	if (argc < 4 || strcmp(argv[1], "-c") != 0) {
		fprintf(stderr, "usage: milter-fixture -c CONF COMMAND ARGS...\n");
		return 1;
	}
	if ((c = conf_load(argv[2], err, sizeof(err))) == NULL) {
		fprintf(stderr, "milter-fixture: %s\n", err);
		return 1;
	}
	if (strcmp(argv[3], "init") == 0) {
		rc = store_init(c, err, sizeof(err)) == STORE_OK ? 0 : 1;
		if (rc != 0)
			fprintf(stderr, "milter-fixture: init: %s\n", err);
		conf_free(c);
		return rc;
	}
	if ((st = store_open(c, err, sizeof(err))) == NULL) {
		fprintf(stderr, "milter-fixture: %s\n", err);
		conf_free(c);
		return 1;
	}
	cmd = argv[3];
	if (strcmp(cmd, "customer") == 0 && argc == 5) {
		int64_t id;

		if (store_customer_upsert(st, argv[4], "Test Customer", NULL, STORE_SRC_PORTAL,
					  &id, NULL) == STORE_OK) {
			printf("%" PRId64 "\n", id);
			rc = 0;
		}
	} else if (strcmp(cmd, "customers") == 0 && argc == 8) {
		if (fix_category(argv[7], &cat) == 0
		    && fix_customers(st, argv[4], strtol(argv[5], NULL, 10), argv[6], cat) == 0)
			rc = 0;
	} else if (strcmp(cmd, "report") == 0 && argc == 6) {
		if (fix_report(st, argv[4], strtol(argv[5], NULL, 10)) == 0)
			rc = 0;
	} else if (strcmp(cmd, "msglog") == 0 && (argc == 7 || argc == 8)) {
		if (fix_category(argv[6], &cat) == 0
		    && store_msglog_add(st, argv[4], strtoll(argv[5], NULL, 10), cat,
					argc == 8 ? strtoll(argv[7], NULL, 10) : 0) == STORE_OK)
			rc = 0;
	} else if (strcmp(cmd, "campaign") == 0 && argc == 5) {
		int64_t id;

		if (fix_category(argv[4], &cat) == 0
		    && store_campaign_create(st, cat, "fixture", "all", "{}", &id) == STORE_OK) {
			printf("%" PRId64 "\n", id);
			rc = 0;
		}
	} else if (strcmp(cmd, "replies") == 0 && argc == 5) {
		struct store_campaign_replies r;

		if (store_campaign_replies(st, strtoll(argv[4], NULL, 10), &r) == STORE_OK) {
			printf("%ld %ld %ld %ld\n", r.refusal_customers, r.refusal_messages,
			       r.question_customers, r.question_messages);
			rc = 0;
		}
	} else if (strcmp(cmd, "token") == 0 && argc == 6) {
		char	tok[STORE_TOKEN_MAX];

		if (fix_category(argv[5], &cat) == 0
		    && store_token_make(st, strtoll(argv[4], NULL, 10), cat, tok, sizeof(tok))
		    == STORE_OK) {
			printf("%s\n", tok);
			rc = 0;
		}
	} else if (strcmp(cmd, "verp") == 0 && argc == 6) {
		char	tok[STORE_VERP_LEN + 1];

		if (store_verp_make(st, strtoll(argv[5], NULL, 10), strtoll(argv[4], NULL, 10),
				    tok, sizeof(tok)) == STORE_OK) {
			printf("%s\n", tok);
			rc = 0;
		}
	} else if (strcmp(cmd, "optout") == 0 && argc == 6) {
		int	r;

		if (fix_category(argv[5], &cat) == 0
		    && (r = store_is_optout(st, strtoll(argv[4], NULL, 10), cat)) >= 0) {
			printf("%d\n", r);
			rc = 0;
		}
	} else if (strcmp(cmd, "consents") == 0 && argc == 5) {
		struct fix_count n = {0, 0};

		if (store_consent_each(st, strtoll(argv[4], NULL, 10), fix_consent, &n) == STORE_OK) {
			printf("%ld\n", n.optouts);
			rc = 0;
		}
	} else if (strcmp(cmd, "undeliverable") == 0 && argc == 5) {
		int	r = store_is_undeliverable(st, argv[4]);

		if (r >= 0) {
			printf("%d\n", r);
			rc = 0;
		}
	} else if (strcmp(cmd, "counter") == 0 && argc == 5) {
		struct fix_counter fc = {argv[4], 0};

		if (store_counter_each(st, fix_counter_cb, &fc) == STORE_OK) {
			printf("%ld\n", fc.value);
			rc = 0;
		}
	} else if (strcmp(cmd, "outbox") == 0 && argc == 4) {
		struct store_outbox ob[FIX_OUTBOX_BATCH];
		int64_t after = 0;
		long	total = 0;
		int	n;

		memset(ob, 0, sizeof(ob));
		while ((n = store_outbox_pending(st, after, ob, FIX_OUTBOX_BATCH)) > 0) {
			for (int i = 0; i < n; i++) {
				after = ob[i].id;
				store_outbox_clear(&ob[i]);
			}
			total += n;
			if (n < FIX_OUTBOX_BATCH)
				break;
		}
		if (n >= 0) {
			printf("%ld\n", total);
			rc = 0;
		}
	} else {
		fprintf(stderr, "milter-fixture: bad command or arguments: %s\n", cmd);
	}
	if (rc != 0 && strcmp(store_errmsg(st), "") != 0)
		fprintf(stderr, "milter-fixture: %s: %s\n", cmd, store_errmsg(st));
	store_close(st);
	conf_free(c);
	return rc;
}
