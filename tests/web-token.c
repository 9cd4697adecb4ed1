/*
 * NAME
 *	web-token 1
 * SUMMARY
 *	print an unsubscribe token or link for the web tests
 * SYNOPSIS
 *	web-token CONF CUSTOMER_ID CATEGORY [DAYS_AGO | undated]
 *	web-token CONF range FIRST_ID LAST_ID CATEGORY
 * DESCRIPTION
 *	Opens the store of CONF and prints a dated token (store.h) for the
 *	customer and category, issued DAYS_AGO days ago (default 0), or an
 *	undated one (the kind in the mailto of mail sent before links-web).
 *	The tests use it for what links-sender does not make: old links
 *	and links of categories that have none in real mail; the links in
 *	real mail come from links-sender itself. With "range", one line
 *	"ID TOKEN" per customer id from FIRST_ID to LAST_ID, tokens issued
 *	now (the load test's thousand links).
 * DIAGNOSTICS
 *	Exit 0, 64 for bad arguments, 1 when the store says no.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "store.h"

#define DAY	86400L

/* range - print a token for each customer id from FIRST to LAST */
static int
range(struct store *st, long long first, long long last, enum category cat)
{
	char	tok[STORE_TOKEN_MAX];
	long long id;

	for (id = first; id <= last; id++) {
		if (store_token_make_dated(st, id, cat, time(NULL), tok, sizeof(tok)) != STORE_OK) {
			fprintf(stderr, "web-token: %s\n", store_errmsg(st));
			return (1);
		}
		printf("%lld %s\n", id, tok);
	}
	return (0);
}

/* main - links-web */
int
main(int argc, char **argv)
{
	char	err[CONF_ERR_MAX], tok[STORE_TOKEN_MAX];
	struct conf *c;
	struct store *st;
	enum category cat;
	long	days = 0;
	int	rc, undated = 0;

	if (argc == 6 && strcmp(argv[2], "range") == 0 && category_parse(argv[5], &cat) == 0) {
		if ((c = conf_load(argv[1], err, sizeof(err))) == NULL
		    || (st = store_open(c, err, sizeof(err))) == NULL) {
			fprintf(stderr, "web-token: %s\n", err);
			return (1);
		}
		rc = range(st, strtoll(argv[3], NULL, 10), strtoll(argv[4], NULL, 10), cat);
		store_close(st);
		conf_free(c);
		return (rc);
	}
	if (argc < 4 || argc > 5 || category_parse(argv[3], &cat) < 0) {
		fprintf(stderr, "usage: web-token CONF CUSTOMER_ID CATEGORY [DAYS_AGO|undated]\n");
		return (64);
	}
	if (argc == 5 && strcmp(argv[4], "undated") == 0)
		undated = 1;
	else if (argc == 5)
		days = strtol(argv[4], NULL, 10);
	if ((c = conf_load(argv[1], err, sizeof(err))) == NULL
	    || (st = store_open(c, err, sizeof(err))) == NULL) {
		fprintf(stderr, "web-token: %s\n", err);
		return (1);
	}
	rc = undated ? store_token_make(st, strtoll(argv[2], NULL, 10), cat, tok, sizeof(tok))
		: store_token_make_dated(st, strtoll(argv[2], NULL, 10), cat,
					 time(NULL) - days * DAY, tok, sizeof(tok));
	if (rc != STORE_OK)
		fprintf(stderr, "web-token: %s\n", store_errmsg(st));
	else
		printf("%s\n", tok);
	store_close(st);
	conf_free(c);
	return (rc == STORE_OK ? 0 : 1);
}
