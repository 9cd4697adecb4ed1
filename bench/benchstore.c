/*
 * NAME
 *	benchstore 1
 * SUMMARY
 *	set up the benchmark's store and check what a run recorded in it
 * SYNOPSIS
 *	benchstore -c CONF tokens CATEGORY < EMAILS
 *	benchstore -c CONF msglog < MSGLOG
 *	benchstore -c CONF consent EXPECTED
 * DESCRIPTION
 *	benchstore works through the store API (store.h), so it works with
 *	whatever backend links.conf selects.
 *
 *	tokens prints "EMAIL<TAB>TOKEN" for each customer address read on
 *	standard input (one per line, or the first column of a customers
 *	CSV; a header line and unknown addresses are skipped): the
 *	unsubscribe token of CATEGORY, as links-sender puts it in
 *	List-Unsubscribe (mailto:noreply+TOKEN@...), for the corpus's
 *	one-click refusals.
 *
 *	msglog records, in one transaction, the Message-IDs of the notices
 *	the corpus's replies answer, as links-sender records what it sends:
 *	lines "MESSAGE-ID<TAB>EMAIL<TAB>CATEGORY".
 *
 *	consent checks the consent events after a run against EXPECTED,
 *	lines "EMAIL<TAB>CAT[,CAT...]": the refusable categories each
 *	refusing customer refused. Every listed customer must have exactly
 *	one opt-out event per listed category and be opted out of it; every
 *	other customer must have no consent event at all. Prints one line
 *	"CONSENT customers=N expected=E ok=K missing=M duplicate=D extra=X
 *	events=V" and the first few differences (customer ids only) on
 *	standard error.
 * DIAGNOSTICS
 *	Exit status 0 when done (consent: when everything matched), 1 when
 *	consent found a difference, EX_USAGE, EX_CONFIG, EX_DATAERR,
 *	EX_NOINPUT, EX_TEMPFAIL (store error) otherwise.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "conf.h"
#include "store.h"

#define BS_LINE_MAX	4096		/* one input line */
#define BS_EXPECT_MAX	1000000		/* refusing customers in EXPECTED */
#define BS_SHOWN_MAX	10		/* differences printed */

/* One expected refuser: customer id and bit mask of categories. */
struct bs_refuser {
	int64_t id;
	long	line;			/* its line in EXPECTED */
	unsigned cats;
	unsigned seen[CATEGORY_COUNT];	/* opt-out events per category */
	int	found;
};

struct bs_check {
	struct store *st;
	struct bs_refuser *r;		/* sorted by id */
	size_t	n;
	long	customers, ok, missing, duplicate, extra, events;
	int	shown;
	int	rc;
};

/* bs_usage - the synopsis */
static void bs_usage(FILE *fp)
{
	fprintf(fp, "usage: benchstore -c CONF tokens CATEGORY < EMAILS\n"
		"       benchstore -c CONF msglog < MSGLOG\n"
		"       benchstore -c CONF consent EXPECTED\n");
}

/* bs_first_field - cut LINE at the first tab or comma and at the line end */
static char *bs_first_field(char *line)
{
	line[strcspn(line, "\t,\r\n")] = 0;
	return line;
}

/* bs_tokens - print the CATEGORY token of every address on standard input */
static int bs_tokens(struct store *st, const char *catname)
{
	char	line[BS_LINE_MAX], tok[STORE_TOKEN_MAX];
	enum category cat;
	long	n = 0;

	if (category_parse(catname, &cat) != 0) {
		fprintf(stderr, "benchstore: unknown category %s\n", catname);
		return EX_USAGE;
	}
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char   *email = bs_first_field(line);
		struct store_customer c;
		int	rc;

		if (strchr(email, '@') == NULL)
			continue;	/* a CSV header line */
		memset(&c, 0, sizeof(c));
		rc = store_customer_find(st, email, &c);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK || store_token_make(st, c.id, cat, tok, sizeof(tok)) != STORE_OK) {
			fprintf(stderr, "benchstore: tokens: %s\n", store_errmsg(st));
			store_customer_clear(&c);
			return EX_TEMPFAIL;
		}
		printf("%s\t%s\n", email, tok);
		store_customer_clear(&c);
		n++;
	}
	fprintf(stderr, "benchstore: %ld token(s)\n", n);
	return EX_OK;
}

/* bs_msglog_line - record one "MESSAGE-ID<TAB>EMAIL<TAB>CATEGORY" line */
static int bs_msglog_line(struct store *st, char *line)
{
	char   *msgid = line, *email, *catname;
	struct store_customer c;
	enum category cat;
	int	rc;

	line[strcspn(line, "\r\n")] = 0;
	if ((email = strchr(msgid, '\t')) == NULL || (catname = strchr(email + 1, '\t')) == NULL)
		return STORE_ERR;
	*email++ = 0;
	*catname++ = 0;
	if (category_parse(catname, &cat) != 0)
		return STORE_ERR;
	memset(&c, 0, sizeof(c));
	if ((rc = store_customer_find(st, email, &c)) != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_ERR : rc;
	rc = store_msglog_add(st, msgid, c.id, cat, 0);
	store_customer_clear(&c);
	return rc;
}

/* bs_msglog - record every Message-ID of standard input, in one transaction */
static int bs_msglog(struct store *st)
{
	char	line[BS_LINE_MAX];
	long	n = 0, lineno = 0;
	int	rc;

	if ((rc = store_begin(st)) != STORE_OK)
		goto fail;
	while (fgets(line, sizeof(line), stdin) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if ((rc = bs_msglog_line(st, line)) != STORE_OK) {
			if (rc == STORE_ERR)
				fprintf(stderr, "benchstore: msglog: line %ld: bad line or unknown "
					"customer\n", lineno);
			(void) store_rollback(st);
			goto fail;
		}
		n++;
	}
	if ((rc = store_commit(st)) != STORE_OK)
		goto fail;
	fprintf(stderr, "benchstore: %ld message id(s) recorded\n", n);
	return EX_OK;
fail:
	fprintf(stderr, "benchstore: msglog: %s\n", store_errmsg(st));
	return rc == STORE_ERR ? EX_DATAERR : EX_TEMPFAIL;
}

/* bs_cmp_id - order of refusers by customer id */
static int bs_cmp_id(const void *a, const void *b)
{
	int64_t x = ((const struct bs_refuser *) a)->id, y = ((const struct bs_refuser *) b)->id;

	return x < y ? -1 : x > y;
}

/* bs_cats - "survey,promotion" into a bit mask of refusable categories; 0 if bad */
static unsigned bs_cats(char *list)
{
	char   *t, *save = NULL;
	unsigned mask = 0;

	for (t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		enum category cat;

		if (category_parse(t, &cat) != 0 || !category_refusable(cat))
			return 0;
		mask |= 1u << cat;
	}
	return mask;
}

/* bs_load_expected - read EXPECTED into CK->r (customer ids, sorted) */
static int bs_load_expected(struct bs_check *ck, const char *path)
{
	char	line[BS_LINE_MAX];
	FILE   *fp = fopen(path, "r");
	size_t	cap = 0;
	long	lineno = 0;

	if (fp == NULL) {
		fprintf(stderr, "benchstore: %s: %s\n", path, strerror(errno));
		return EX_NOINPUT;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char   *tab = strchr(line, '\t');
		struct store_customer c;
		struct bs_refuser *r;

		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		if (line[0] == '#' || line[0] == 0)
			continue;
		if (tab == NULL || ck->n == BS_EXPECT_MAX)
			goto bad;
		*tab++ = 0;
		if (ck->n == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((r = realloc(ck->r, cap * sizeof(*r))) == NULL)
				goto bad;
			ck->r = r;
		}
		r = &ck->r[ck->n];
		memset(r, 0, sizeof(*r));
		memset(&c, 0, sizeof(c));
		if ((r->cats = bs_cats(tab)) == 0 || store_customer_find(ck->st, line, &c) != STORE_OK)
			goto bad;
		r->id = c.id;
		r->line = lineno;
		store_customer_clear(&c);
		ck->n++;
	}
	fclose(fp);
	qsort(ck->r, ck->n, sizeof(*ck->r), bs_cmp_id);
	return EX_OK;
bad:
	fprintf(stderr, "benchstore: %s: bad line, unknown customer or out of memory\n", path);
	fclose(fp);
	return EX_DATAERR;
}

/* bs_count_event - one consent event of the customer being checked */
static int bs_count_event(const struct store_consent *e, void *arg)
{
	struct bs_refuser *r = arg;

	if (e->optout && (unsigned) e->category < CATEGORY_COUNT)
		r->seen[e->category]++;
	else
		r->seen[0] += 1000;	/* an opt-in: never expected here */
	return 0;
}

/* bs_diff - report one difference (the first few); LINE: in EXPECTED, or 0 */
static void bs_diff(struct bs_check *ck, int64_t id, long line, const char *what)
{
	if (ck->shown++ >= BS_SHOWN_MAX)
		return;
	if (line > 0)
		fprintf(stderr, "benchstore: consent: customer %" PRId64 " (line %ld): %s\n", id,
			line, what);
	else
		fprintf(stderr, "benchstore: consent: customer %" PRId64 ": %s\n", id, what);
}

/* bs_check_one - compare one customer's events with what is expected */
static int bs_check_one(const struct store_customer *c, void *arg)
{
	struct bs_check *ck = arg;
	struct bs_refuser key, *exp, got;
	int	rc, bad = 0;

	ck->customers++;
	key.id = c->id;
	exp = bsearch(&key, ck->r, ck->n, sizeof(*ck->r), bs_cmp_id);
	memset(&got, 0, sizeof(got));
	if ((rc = store_consent_each(ck->st, c->id, bs_count_event, &got)) != STORE_OK) {
		ck->rc = rc;
		return 1;
	}
	for (int cat = 0; cat < CATEGORY_COUNT; cat++) {
		unsigned want = exp && (exp->cats & (1u << cat)) ? 1 : 0;

		ck->events += got.seen[cat];
		if (got.seen[cat] == want)
			continue;
		bad = 1;
		if (got.seen[cat] > want && want) {
			ck->duplicate++;
			bs_diff(ck, c->id, exp ? exp->line : 0, "recorded more than once");
		} else if (got.seen[cat] > want) {
			ck->extra++;
			bs_diff(ck, c->id, exp ? exp->line : 0, "an event nobody asked for");
		} else {
			ck->missing++;
			bs_diff(ck, c->id, exp ? exp->line : 0, "a refusal not recorded");
		}
	}
	for (int cat = 0; exp && cat < CATEGORY_COUNT; cat++)
		if ((exp->cats & (1u << cat))
		    && store_is_optout(ck->st, c->id, (enum category) cat) != 1) {
			bad = 1;
			ck->missing++;
			bs_diff(ck, c->id, exp ? exp->line : 0, "not opted out");
		}
	if (exp)
		exp->found = 1;
	if (!bad && exp)
		ck->ok++;
	return 0;
}

/* bs_consent - check every customer's consent events against EXPECTED */
static int bs_consent(struct store *st, const char *expected)
{
	struct bs_check ck;
	int	ex;

	memset(&ck, 0, sizeof(ck));
	ck.st = st;
	if ((ex = bs_load_expected(&ck, expected)) != EX_OK)
		goto done;
	if (store_customer_each(st, bs_check_one, &ck) != STORE_OK || ck.rc != STORE_OK) {
		fprintf(stderr, "benchstore: consent: %s\n", store_errmsg(st));
		ex = EX_TEMPFAIL;
		goto done;
	}
	for (size_t i = 0; i < ck.n; i++)
		if (!ck.r[i].found) {
			ck.missing++;
			bs_diff(&ck, ck.r[i].id, ck.r[i].line, "an expected refuser is not in the store");
		}
	printf("CONSENT customers=%ld expected=%zu ok=%ld missing=%ld duplicate=%ld extra=%ld "
	       "events=%ld\n", ck.customers, ck.n, ck.ok, ck.missing, ck.duplicate, ck.extra,
	       ck.events);
	ex = ck.missing || ck.duplicate || ck.extra || (size_t) ck.ok != ck.n ? 1 : EX_OK;
done:
	free(ck.r);
	return ex;
}

int	main(int argc, char **argv)
{
	const char *conffile = NULL;
	char	err[512];
	struct conf *conf;
	struct store *st;
	int	c, ex;

	while ((c = getopt(argc, argv, "c:h")) != -1) {
		switch (c) {
		case 'c':
			conffile = optarg;
			break;
		case 'h':
			bs_usage(stdout);
			return EX_OK;
		default:
			bs_usage(stderr);
			return EX_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (conffile == NULL || argc < 1) {
		bs_usage(stderr);
		return EX_USAGE;
	}
	if ((conf = conf_load(conffile, err, sizeof(err))) == NULL) {
		fprintf(stderr, "benchstore: %s\n", err);
		return EX_CONFIG;
	}
	if ((st = store_open(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "benchstore: %s\n", err);
		conf_free(conf);
		return EX_TEMPFAIL;
	}
	if (strcmp(argv[0], "tokens") == 0 && argc == 2)
		ex = bs_tokens(st, argv[1]);
	else if (strcmp(argv[0], "msglog") == 0 && argc == 1)
		ex = bs_msglog(st);
	else if (strcmp(argv[0], "consent") == 0 && argc == 2)
		ex = bs_consent(st, argv[1]);
	else {
		bs_usage(stderr);
		ex = EX_USAGE;
	}
	store_close(st);
	conf_free(conf);
	return ex;
}
