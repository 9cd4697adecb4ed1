/*
 * NAME
 *	milter-fixture 1
 * SUMMARY
 *	set up and inspect a test store through the store API
 * SYNOPSIS
 *	milter-fixture -c CONF init
 *	milter-fixture -c CONF customer EMAIL
 *	milter-fixture -c CONF msglog MESSAGE-ID CUSTOMER-ID CATEGORY
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
	} else if (strcmp(cmd, "msglog") == 0 && argc == 7) {
		if (fix_category(argv[6], &cat) == 0
		    && store_msglog_add(st, argv[4], strtoll(argv[5], NULL, 10), cat, 0) == STORE_OK)
			rc = 0;
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
