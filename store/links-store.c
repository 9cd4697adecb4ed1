/*
 * NAME
 *	links-store 8
 * SUMMARY
 *	administer the LINKS customer store
 * SYNOPSIS
 *	links-store [-c FILE] COMMAND [ARGUMENTS]
 * DESCRIPTION
 *	The administrator's tool for the store: create it, import the
 *	portal/web-form CSV, look at and edit customers and contracts,
 *	record refusals, show the consent log, export one customer's own
 *	data, purge per the retention policy, show statistics. See
 *	links-store(8) for the commands.
 *
 *	Personal data is printed on the terminal of the administrator who
 *	asked for it; what goes to syslog names customers by id only.
 * DIAGNOSTICS
 *	Exit status from <sysexits.h>: 0 done (an import with skipped rows
 *	included: a warning says so); EX_USAGE bad command line; EX_DATAERR
 *	invalid input (an import aborted, an invalid address); EX_NOINPUT
 *	no such file, customer or contract; EX_CONFIG bad configuration,
 *	key file or database; EX_TEMPFAIL database locked, full or
 *	read-only (try again); EX_SOFTWARE an internal error.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "conf.h"
#include "import.h"
#include "links-store.h"
#include "log.h"
#include "store.h"
#include "utf8.h"

#define TIME_STR_MAX	32
#define SECONDS_PER_DAY	86400

struct opts {
	const char *name, *phone, *source, *category, *date, *started, *ended, *status;
	const char *note, *since, *until;
	int	dry_run, json;
	const char *pos[4];
	int	npos;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: " PROG " [-c FILE] COMMAND [ARGUMENTS]\n"
		"\n"
		"commands:\n"
		"  init                              create the key file and the database\n"
		"  import FILE|-                     import customers and contracts from CSV\n"
		"  customer show ID|EMAIL            show a customer, contracts, preferences\n"
		"  customer find EMAIL               print the customer id of an address\n"
		"  customer add EMAIL [--name N] [--phone P] [--source S]\n"
		"  customer list                     every customer, one per line\n"
		"  customer delete ID|EMAIL [--yes]  erase a customer on request\n"
		"  customer set-email ID|EMAIL NEW   change a customer's address\n"
		"  contract add EMAIL TYPE REF [--started DATE] [--ended DATE]\n"
		"  contract end REF [--date DATE]    mark a contract ended (default: today)\n"
		"  optout ID|EMAIL [--category C] [--note TEXT]\n"
		"                                    record a refusal (default: all refusable)\n"
		"  optin ID|EMAIL [--category C] [--note TEXT]\n"
		"                                    record that the customer agrees again\n"
		"  consent-log [ID|EMAIL] [--since DATE] [--until DATE]\n"
		"                                    consent events of a customer, or of all\n"
		"  export EMAIL                      the customer's own data as JSON\n"
		"  purge [--dry-run]                 delete customers per the retention policy\n"
		"  stats [--json]                    counts and counters\n"
		"  migrate-to postgresql             copy this SQLite store to store_conninfo\n"
		"  backup DIR                        copy the store and its key, online\n"
		"  restore DIR [--yes]               check a backup and put it in place\n"
		"  key rotate                        a new master key, every field re-encrypted\n"
		"\n"
		"options:\n"
		"  -c FILE        configuration file (default %s, or $LINKS_CONF)\n"
		"  -h, --help     this help\n"
		"  -V, --version  print the version\n"
		"\n"
		"Dates are YYYY-MM-DD. Categories: survey, promotion, all.\n"
		"See links-store(8).\n", conf_default_path());
}

static const char *
fmt_time(time_t t, char buf[TIME_STR_MAX])
{
	struct tm tm;

	if (t <= 0 || gmtime_r(&t, &tm) == NULL)
		return "-";
	strftime(buf, TIME_STR_MAX, "%Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

static const char *
fmt_date(time_t t, char buf[TIME_STR_MAX])
{
	struct tm tm;

	if (t <= 0 || gmtime_r(&t, &tm) == NULL)
		return "-";
	strftime(buf, TIME_STR_MAX, "%Y-%m-%d", &tm);
	return buf;
}

/* Exit status for a store result. */
static int
store_exit(int rc)
{
	switch (rc) {
	case STORE_OK:
		return EX_OK;
	case STORE_NOTFOUND:
		return EX_NOINPUT;
	case STORE_TEMP:
		return EX_TEMPFAIL;
	default:
		return EX_DATAERR;
	}
}

int
fail(struct store *st, int rc, const char *what)
{
	fprintf(stderr, PROG ": %s: %s\n", what, store_errmsg(st));
	return store_exit(rc);
}

/*
 * parse_args - ARGV after the command words: positional arguments and
 * the --options this command accepts (ALLOWED, space-separated).
 */
static int
parse_args(int argc, char **argv, const char *allowed, int maxpos, struct opts *o)
{
	static const struct {
		const char *name;
		size_t	off;
	} valued[] = {
		{"name", offsetof(struct opts, name)},
		{"phone", offsetof(struct opts, phone)},
		{"source", offsetof(struct opts, source)},
		{"category", offsetof(struct opts, category)},
		{"date", offsetof(struct opts, date)},
		{"started", offsetof(struct opts, started)},
		{"ended", offsetof(struct opts, ended)},
		{"note", offsetof(struct opts, note)},
		{"since", offsetof(struct opts, since)},
		{"until", offsetof(struct opts, until)},
	};
	int	i;
	size_t	k;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		char	opt[32];

		if (strncmp(a, "--", 2) != 0 || a[2] == 0) {
			if (strcmp(a, "--") == 0 && i + 1 < argc)
				a = argv[++i];
			if (o->npos >= maxpos) {
				fprintf(stderr, PROG ": unexpected argument: %s\n", a);
				return -1;
			}
			o->pos[o->npos++] = a;
			continue;
		}
		eq = strchr(a + 2, '=');
		snprintf(opt, sizeof(opt), "%.*s", eq ? (int) (eq - a - 2) : (int) strlen(a + 2), a + 2);
		if (!strstr(allowed, opt) || strlen(opt) == 0) {
			fprintf(stderr, PROG ": unknown option --%s for this command\n", opt);
			return -1;
		}
		if (strcmp(opt, "dry-run") == 0) {
			o->dry_run = 1;
			continue;
		}
		if (strcmp(opt, "json") == 0) {
			o->json = 1;
			continue;
		}
		for (k = 0; k < sizeof(valued) / sizeof(valued[0]); k++)
			if (strcmp(opt, valued[k].name) == 0)
				break;
		if (k == sizeof(valued) / sizeof(valued[0])) {
			fprintf(stderr, PROG ": unknown option --%s\n", opt);
			return -1;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			fprintf(stderr, PROG ": option --%s needs a value\n", opt);
			return -1;
		}
		*(const char **) ((char *) o + valued[k].off) = val;
	}
	return 0;
}

static int
need_pos(const struct opts *o, int n, const char *synopsis)
{
	if (o->npos != n) {
		fprintf(stderr, "usage: " PROG " %s\n", synopsis);
		return -1;
	}
	return 0;
}

/* Look up a customer by address, or by id when ARG is all digits. */
int
find_customer(struct store *st, const char *arg, struct store_customer *c)
{
	char   *end;
	long long id;

	if (*arg >= '0' && *arg <= '9') {
		errno = 0;
		id = strtoll(arg, &end, 10);
		if (*end == 0 && errno == 0 && id > 0)
			return store_customer_get(st, (int64_t) id, c);
	}
	return store_customer_find(st, arg, c);
}

/*
 * staff_evidence - who runs this: the name of the real user id (support
 * runs links-store through the set-user-id links-support, whose
 * effective user is not the person); under sudo, root and the user.
 */
void
staff_evidence(char *buf, size_t len)
{
	const char *sudo = getenv("SUDO_USER");
	struct passwd *pw = getpwuid(getuid());
	char	uid[TIME_STR_MAX];

	snprintf(uid, sizeof(uid), "uid %ld", (long) getuid());
	if (getuid() == 0 && sudo != NULL && *sudo != 0)
		snprintf(buf, len, "%.20s (sudo %.32s)", pw ? pw->pw_name : uid, sudo);
	else
		snprintf(buf, len, "%.*s", STORE_ACTOR_MAX - 1, pw ? pw->pw_name : uid);
}

/* ---- commands ---- */

/*
 * init_key_hint - why the key file could not be created, and what to do:
 * the key folder must exist and be writable by whoever runs init (the
 * store's owner, so that the milter can read the key).
 */
static void
init_key_hint(const char *keyfile)
{
	const char *slash = strrchr(keyfile, '/');
	int	dirlen = slash ? (int) (slash - keyfile) : 1;
	const char *dir = slash ? keyfile : ".";

	fprintf(stderr, PROG ": the key folder %.*s must exist, be owned by the user the milter "
		"runs as and be writable by whoever runs init; as root: install -d -o links-milter "
		"-g links-milter -m 0700 %.*s, then run: runuser -u links-milter -- " PROG " init "
		"(or set key_file in links.conf)\n", dirlen, dir, dirlen, dir);
}

static int
cmd_init(const struct conf *conf)
{
	const char *keyfile = conf_key_file(conf), *path = conf_store_path(conf);
	int	sqlite = strcmp(conf_store_backend(conf), "sqlite") == 0;
	char	err[CONF_ERR_MAX];
	struct stat sb;
	int	had_key = stat(keyfile, &sb) == 0, had_db = stat(path, &sb) == 0 && sb.st_size > 0;

	if (store_init(conf, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, PROG ": init: %s\n", err);
		if (strstr(err, "cannot create key file") != NULL)
			init_key_hint(keyfile);
		return (store_open_err_temporary(err) ? EX_TEMPFAIL : EX_CONFIG);
	}
	printf("key file %s: %s\n", keyfile, had_key ? "existing, checked" : "created (mode 0600)");
	if (sqlite)
		printf("database %s: %s\n", path, had_db ? "existing, schema up to date"
		       : "created");
	else
		printf("database (postgresql, store_conninfo): schema up to date\n");
	if (!had_key)
		printf("Back up the key file apart from the database: without it the "
		       "personal data cannot be read.\n");
	log_notice("init: database %s, key file %s", sqlite && !had_db ? "created" : "checked",
		   had_key ? "checked" : "created");
	return (EX_OK);
}

static int
cmd_import(struct store *st, const struct opts *o)
{
	struct import_summary sum;
	const char *file;
	FILE   *fp;
	int	rc;

	if (need_pos(o, 1, "import FILE|-") < 0)
		return EX_USAGE;
	file = o->pos[0];
	if (strcmp(file, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(file, "r")) == NULL) {
		fprintf(stderr, PROG ": import: %s: %s\n", file, strerror(errno));
		return EX_NOINPUT;
	}
	rc = import_csv(st, fp, strcmp(file, "-") == 0 ? "stdin" : file, stderr, &sum);
	if (fp != stdin)
		fclose(fp);
	switch (rc) {
	case IMPORT_OK:
	case IMPORT_PARTIAL:
		printf("%s: %ld rows: %ld customers created, %ld updated, %ld contracts, "
		       "%ld rows skipped\n", file, sum.rows, sum.created, sum.updated,
		       sum.contracts, sum.skipped);
		if (rc == IMPORT_PARTIAL)
			fprintf(stderr, PROG ": warning: %ld rows skipped (see the messages above); "
				"the other rows were imported\n", sum.skipped);
		log_notice("import: %ld rows, %ld created, %ld updated, %ld contracts, %ld skipped",
			   sum.rows, sum.created, sum.updated, sum.contracts, sum.skipped);
		return EX_OK;
	case IMPORT_TEMP:
		fprintf(stderr, PROG ": import aborted: temporary store error; nothing was "
			"imported, try again\n");
		log_warning("import aborted: temporary store error");
		return EX_TEMPFAIL;
	default:
		fprintf(stderr, PROG ": import aborted: nothing was imported\n");
		log_warning("import aborted: bad input");
		return EX_DATAERR;
	}
}

struct show_ctx {
	int	n;
};

static int
show_contract(const struct store_contract *k, void *arg)
{
	char	b1[TIME_STR_MAX], b2[TIME_STR_MAX];
	struct show_ctx *ctx = arg;

	printf("  %-20s %-10s %-7s started %s ended %s\n", k->ref, k->service_type,
	       k->status == STORE_CONTRACT_ACTIVE ? "active" : "ended",
	       fmt_date(k->started, b1), fmt_date(k->ended, b2));
	ctx->n++;
	return 0;
}

static int
cmd_customer_show(struct store *st, const struct store_customer *c)
{
	char	b[TIME_STR_MAX];
	struct show_ctx ctx = {0};
	int	rc, s, p, sup;

	printf("id:          %lld\n", (long long) c->id);
	printf("email:       %s\n", c->email);
	printf("name:        %s\n", c->name);
	printf("phone:       %s\n", c->phone);
	printf("source:      %s\n", store_source_name(c->source));
	printf("created:     %s\n", fmt_time(c->created, b));
	printf("updated:     %s\n", fmt_time(c->updated, b));
	printf("contracts:\n");
	if ((rc = store_contract_each(st, c->id, show_contract, &ctx)) != STORE_OK)
		return fail(st, rc, "contracts");
	if (ctx.n == 0)
		printf("  (none)\n");
	if ((s = store_is_optout(st, c->id, CATEGORY_SURVEY)) < 0)
		return fail(st, s, "preferences");
	if ((p = store_is_optout(st, c->id, CATEGORY_PROMOTION)) < 0)
		return fail(st, p, "preferences");
	if ((sup = store_is_suppressed(st, c->email)) < 0)
		return fail(st, sup, "suppression");
	printf("survey:      %s\n", s ? "refused" : "accepted");
	printf("promotion:   %s\n", p ? "refused" : "accepted");
	printf("suppressed:  %s\n", sup ? "yes" : "no");
	if ((rc = store_is_undeliverable(st, c->email)) < 0)
		return fail(st, rc, "bounces");
	printf("deliverable: %s\n", rc ? "no (hard bounces)" : "yes");
	return EX_OK;
}

static int
list_one(const struct store_customer *c, void *arg)
{
	(void) arg;
	printf("%lld\t%s\t%s\t%s\t%s\n", (long long) c->id, c->email, c->name, c->phone,
	       store_source_name(c->source));
	return 0;
}

static int
cmd_customer(struct store *st, int argc, char **argv)
{
	struct store_customer c;
	struct opts o;
	enum store_source src = STORE_SRC_STAFF;
	int64_t	id;
	int	rc, created, ex;

	if (argc < 1) {
		fprintf(stderr, "usage: " PROG " customer show|find|add|list|delete|set-email ...\n");
		return EX_USAGE;
	}
	if (strcmp(argv[0], "show") == 0 || strcmp(argv[0], "find") == 0) {
		int	show = argv[0][0] == 's';

		if (parse_args(argc - 1, argv + 1, "", 1, &o) < 0
		    || need_pos(&o, 1, show ? "customer show ID|EMAIL" : "customer find EMAIL") < 0)
			return EX_USAGE;
		rc = show ? find_customer(st, o.pos[0], &c) : store_customer_find(st, o.pos[0], &c);
		if (rc != STORE_OK)
			return fail(st, rc, argv[0]);
		ex = show ? cmd_customer_show(st, &c) : (printf("%lld\n", (long long) c.id), EX_OK);
		store_customer_clear(&c);
		return ex;
	}
	if (strcmp(argv[0], "add") == 0) {
		if (parse_args(argc - 1, argv + 1, "name phone source", 1, &o) < 0
		    || need_pos(&o, 1, "customer add EMAIL [--name N] [--phone P] [--source S]") < 0)
			return EX_USAGE;
		if (o.source && store_source_parse(o.source, &src) < 0) {
			fprintf(stderr, PROG ": unknown source %s (portal, web_form, staff)\n", o.source);
			return EX_USAGE;
		}
		rc = store_customer_upsert(st, o.pos[0], o.name, o.phone, src, &id, &created);
		if (rc != STORE_OK)
			return fail(st, rc, "customer add");
		printf("customer %lld %s\n", (long long) id, created ? "created" : "updated");
		log_info("customer %lld %s by staff", (long long) id, created ? "created" : "updated");
		return EX_OK;
	}
	if (strcmp(argv[0], "list") == 0) {
		if (parse_args(argc - 1, argv + 1, "", 0, &o) < 0)
			return EX_USAGE;
		if ((rc = store_customer_each(st, list_one, NULL)) != STORE_OK)
			return fail(st, rc, "customer list");
		return EX_OK;
	}
	if (strcmp(argv[0], "delete") == 0)
		return (cmd_customer_delete(st, argc - 1, argv + 1));
	if (strcmp(argv[0], "set-email") == 0)
		return (cmd_customer_set_email(st, argc - 1, argv + 1));
	fprintf(stderr, PROG ": unknown customer command %s (show, find, add, list, delete, "
		"set-email)\n", argv[0]);
	return EX_USAGE;
}

static int
cmd_contract(struct store *st, int argc, char **argv)
{
	struct store_customer c;
	struct opts o;
	time_t	started = 0, ended = 0;
	int64_t	id;
	int	rc;

	if (argc >= 1 && strcmp(argv[0], "add") == 0) {
		if (parse_args(argc - 1, argv + 1, "started ended", 3, &o) < 0
		    || need_pos(&o, 3, "contract add EMAIL TYPE REF [--started DATE] [--ended DATE]") < 0)
			return EX_USAGE;
		if ((o.started && import_date(o.started, &started) < 0)
		    || (o.ended && import_date(o.ended, &ended) < 0)) {
			fprintf(stderr, PROG ": dates are YYYY-MM-DD\n");
			return EX_USAGE;
		}
		if ((rc = find_customer(st, o.pos[0], &c)) != STORE_OK)
			return fail(st, rc, "contract add");
		rc = store_contract_upsert(st, c.id, o.pos[1], o.pos[2],
					   ended ? STORE_CONTRACT_ENDED : STORE_CONTRACT_ACTIVE,
					   started, ended, &id);
		if (rc == STORE_OK) {
			printf("contract %s (%s, %s) for customer %lld\n", o.pos[2], o.pos[1],
			       ended ? "ended" : "active", (long long) c.id);
			log_info("contract %lld for customer %lld added by staff", (long long) id,
				 (long long) c.id);
		}
		store_customer_clear(&c);
		return rc == STORE_OK ? EX_OK : fail(st, rc, "contract add");
	}
	if (argc >= 1 && strcmp(argv[0], "end") == 0) {
		if (parse_args(argc - 1, argv + 1, "date", 1, &o) < 0
		    || need_pos(&o, 1, "contract end REF [--date DATE]") < 0)
			return EX_USAGE;
		if (o.date && import_date(o.date, &ended) < 0) {
			fprintf(stderr, PROG ": dates are YYYY-MM-DD\n");
			return EX_USAGE;
		}
		if ((rc = store_contract_end(st, o.pos[0], ended)) != STORE_OK)
			return fail(st, rc, "contract end");
		printf("contract %s ended\n", o.pos[0]);
		log_info("a contract was ended by staff");
		return EX_OK;
	}
	fprintf(stderr, "usage: " PROG " contract add|end ...\n");
	return EX_USAGE;
}

static int
cmd_optout(struct store *st, int argc, char **argv, int optout)
{
	char	who[STORE_ACTOR_MAX];
	struct store_customer c;
	enum category cat;
	struct opts o;
	int	rc, changed, catn = -1;

	if (parse_args(argc, argv, "category note", 1, &o) < 0
	    || need_pos(&o, 1, optout ? "optout ID|EMAIL [--category C] [--note TEXT]"
			: "optin ID|EMAIL [--category C] [--note TEXT]") < 0)
		return EX_USAGE;
	if (o.category && strcmp(o.category, "all") != 0) {
		if (category_parse(o.category, &cat) < 0 || !category_refusable(cat)) {
			fprintf(stderr, PROG ": category must be survey, promotion or all\n");
			return EX_USAGE;
		}
		catn = (int) cat;
	}
	if (o.note && !utf8_text_ok(o.note, STORE_NOTE_MAX)) {
		fprintf(stderr, PROG ": a note is UTF-8 text of at most %d bytes\n", STORE_NOTE_MAX);
		return EX_USAGE;
	}
	if ((rc = find_customer(st, o.pos[0], &c)) != STORE_OK)
		return fail(st, rc, optout ? "optout" : "optin");
	staff_evidence(who, sizeof(who));
	rc = store_consent_staff(st, c.id, catn, optout, who, o.note, &changed);
	if (rc == STORE_OK) {
		printf("customer %lld: %s %s (%d categor%s changed)\n", (long long) c.id,
		       catn < 0 ? "survey and promotion" : category_name(cat),
		       optout ? "refused" : "accepted", changed, changed == 1 ? "y" : "ies");
		log_notice("%s: customer %lld, %d categories changed by %s",
			   optout ? "optout" : "optin", (long long) c.id, changed, who);
	}
	store_customer_clear(&c);
	return rc == STORE_OK ? EX_OK : fail(st, rc, optout ? "optout" : "optin");
}

struct log_range {
	time_t	since, until;
	int	all;		/* every customer: print the customer id */
};

static int
consent_line(const struct store_consent *e, void *arg)
{
	const struct log_range *r = arg;
	char	b[TIME_STR_MAX], cust[TIME_STR_MAX];

	if (e->at < r->since || e->at >= r->until)
		return 0;
	if (r->all) {
		if (e->customer_id > 0)
			snprintf(cust, sizeof(cust), "customer %lld", (long long) e->customer_id);
		else
			snprintf(cust, sizeof(cust), "(purged)");
		printf("%s  %-15s ", fmt_time(e->at, b), cust);
	} else
		printf("%s  ", fmt_time(e->at, b));
	printf("%-10s %-8s %-9s %s", category_name(e->category),
	       e->optout ? "refused" : "agreed", store_channel_name(e->channel), e->evidence);
	if (e->campaign_id > 0)
		printf(" campaign=%lld", (long long) e->campaign_id);
	if (*e->note)
		printf(" note: %s", e->note);
	putchar('\n');
	return 0;
}

/* log_dates - --since/--until (inclusive days, UTC) into R */
static int
log_dates(const struct opts *o, struct log_range *r)
{
	r->since = 0;
	r->until = (time_t) INT64_MAX;
	if ((o->since && import_date(o->since, &r->since) < 0)
	    || (o->until && import_date(o->until, &r->until) < 0)) {
		fprintf(stderr, PROG ": dates are YYYY-MM-DD\n");
		return -1;
	}
	if (o->until)
		r->until += SECONDS_PER_DAY;	/* the whole last day */
	if (r->until <= r->since) {
		fprintf(stderr, PROG ": --until is before --since\n");
		return -1;
	}
	return 0;
}

static int
cmd_consent_log(struct store *st, int argc, char **argv)
{
	struct store_customer c;
	struct log_range r;
	struct opts o;
	int	rc;

	if (parse_args(argc, argv, "since until", 1, &o) < 0 || log_dates(&o, &r) < 0) {
		fprintf(stderr, "usage: " PROG " consent-log [ID|EMAIL] [--since DATE] "
			"[--until DATE]\n");
		return EX_USAGE;
	}
	r.all = o.npos == 0;
	if (r.all) {
		rc = store_consent_range(st, r.since, r.until, consent_line, &r);
		return rc == STORE_OK ? EX_OK : fail(st, rc, "consent-log");
	}
	if ((rc = find_customer(st, o.pos[0], &c)) != STORE_OK)
		return fail(st, rc, "consent-log");
	rc = store_consent_each(st, c.id, consent_line, &r);
	store_customer_clear(&c);
	return rc == STORE_OK ? EX_OK : fail(st, rc, "consent-log");
}

static int
cmd_export(struct store *st, int argc, char **argv)
{
	struct store_customer c;
	struct opts o;
	int	rc;

	if (parse_args(argc, argv, "", 1, &o) < 0 || need_pos(&o, 1, "export EMAIL") < 0)
		return EX_USAGE;
	if ((rc = find_customer(st, o.pos[0], &c)) != STORE_OK)
		return fail(st, rc, "export");
	rc = store_export_json(st, c.id, stdout);
	if (rc == STORE_OK)
		log_notice("export: customer %lld exported at the customer's request",
			   (long long) c.id);
	store_customer_clear(&c);
	return rc == STORE_OK ? EX_OK : fail(st, rc, "export");
}

static void
purge_one(int64_t id, void *arg)
{
	const int *dry = arg;

	printf("%s customer %lld\n", *dry ? "would delete" : "deleting", (long long) id);
}

static int
cmd_purge(struct store *st, int argc, char **argv)
{
	struct store_purge_report rep;
	struct opts o;
	int	rc;

	if (parse_args(argc, argv, "dry-run", 0, &o) < 0)
		return EX_USAGE;
	if ((rc = store_purge(st, time(NULL), o.dry_run, purge_one, &o.dry_run, &rep)) != STORE_OK)
		return fail(st, rc, "purge");
	printf("purge%s: %ld customers %sdeleted (%ld contracts); %ld refused addresses kept on "
	       "the suppression list; %ld consent events and %ld hourly counters past retention "
	       "%sdeleted\n",
	       o.dry_run ? " (dry run, nothing changed)" : "", rep.customers_deleted,
	       o.dry_run ? "would be " : "", rep.contracts_deleted, rep.suppressed_kept,
	       rep.consent_events_deleted, rep.counter_hours_deleted, o.dry_run ? "would be " : "");
	log_notice("purge%s: %ld customers, %ld contracts, %ld suppressed kept, %ld consent events, "
		   "%ld hourly counters", o.dry_run ? " (dry run)" : "", rep.customers_deleted,
		   rep.contracts_deleted, rep.suppressed_kept, rep.consent_events_deleted,
		   rep.counter_hours_deleted);
	return EX_OK;
}

static int
counter_text(const char *name, long value, void *arg)
{
	(void) arg;
	printf("counter %-26s %ld\n", name, value);
	return 0;
}

static int
counter_json(const char *name, long value, void *arg)
{
	json_object_set_new(arg, name, json_integer(value));
	return 0;
}

static int
cmd_stats(struct store *st, int argc, char **argv)
{
	struct store_stats s;
	struct opts o;
	json_t *root, *opt, *ctr;
	int	rc, c;

	if (parse_args(argc, argv, "json", 0, &o) < 0)
		return EX_USAGE;
	if ((rc = store_stats_get(st, &s)) != STORE_OK)
		return fail(st, rc, "stats");
	if (!o.json) {
		printf("%-34s %ld\n", "customers", s.customers);
		printf("%-34s %ld\n", "contracts active", s.contracts_active);
		printf("%-34s %ld\n", "contracts ended", s.contracts_ended);
		for (c = 0; c < CATEGORY_COUNT; c++)
			if (category_refusable((enum category) c))
				printf("opted out of %-21s %ld\n", category_name(c), s.optouts[c]);
		printf("%-34s %ld\n", "suppressed addresses", s.suppressed);
		printf("%-34s %ld\n", "undeliverable addresses", s.undeliverable);
		printf("%-34s %ld\n", "messages logged", s.messages_logged);
		printf("%-34s %ld\n", "campaigns", s.campaigns);
		printf("%-34s %ld\n", "outbox pending", s.outbox_pending);
		printf("%-34s %ld\n", "consent events", s.consent_events);
		rc = store_counter_each(st, counter_text, NULL);
		return rc == STORE_OK ? EX_OK : fail(st, rc, "stats");
	}
	opt = json_object();
	ctr = json_object();
	for (c = 0; c < CATEGORY_COUNT; c++)
		if (category_refusable((enum category) c))
			json_object_set_new(opt, category_name(c), json_integer(s.optouts[c]));
	if ((rc = store_counter_each(st, counter_json, ctr)) != STORE_OK) {
		json_decref(opt);
		json_decref(ctr);
		return fail(st, rc, "stats");
	}
	root = json_pack("{s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
			 "customers", (json_int_t) s.customers,
			 "contracts_active", (json_int_t) s.contracts_active,
			 "contracts_ended", (json_int_t) s.contracts_ended,
			 "optouts", opt,
			 "suppressed", (json_int_t) s.suppressed,
			 "undeliverable", (json_int_t) s.undeliverable,
			 "messages_logged", (json_int_t) s.messages_logged,
			 "campaigns", (json_int_t) s.campaigns,
			 "outbox_pending", (json_int_t) s.outbox_pending,
			 "consent_events", (json_int_t) s.consent_events,
			 "counters", ctr);
	if (root == NULL) {
		fprintf(stderr, PROG ": stats: cannot build JSON\n");
		return EX_SOFTWARE;
	}
	json_dumpf(root, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(root);
	return EX_OK;
}

/* run_command - one command on the open store; its exit status */
static int
run_command(struct store *st, struct conf *conf, const char *cmd, int argc, char **argv)
{
	struct opts o;

	if (strcmp(cmd, "import") == 0)
		return (parse_args(argc, argv, "", 1, &o) < 0 ? EX_USAGE : cmd_import(st, &o));
	if (strcmp(cmd, "customer") == 0)
		return (cmd_customer(st, argc, argv));
	if (strcmp(cmd, "contract") == 0)
		return (cmd_contract(st, argc, argv));
	if (strcmp(cmd, "optout") == 0 || strcmp(cmd, "optin") == 0)
		return (cmd_optout(st, argc, argv, strcmp(cmd, "optout") == 0));
	if (strcmp(cmd, "consent-log") == 0)
		return (cmd_consent_log(st, argc, argv));
	if (strcmp(cmd, "export") == 0)
		return (cmd_export(st, argc, argv));
	if (strcmp(cmd, "purge") == 0)
		return (cmd_purge(st, argc, argv));
	if (strcmp(cmd, "migrate-to") == 0)
		return (cmd_migrate_to(st, conf, argc, argv));
	if (strcmp(cmd, "backup") == 0)
		return (cmd_backup(st, conf, argc, argv));
	return (cmd_stats(st, argc, argv));
}

/*
 * parse_options - -c, --help, --version and the command's name; an exit
 * status when there is nothing more to do, else -1 (command at optind).
 */
static int
parse_options(int argc, char **argv, const char **conffile)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *cmd;
	int	ch;

	while ((ch = getopt_long(argc, argv, "+c:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			*conffile = optarg;
			break;
		case 'h':
			usage(stdout);
			return (EX_OK);
		case 'V':
			printf(PROG " (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return (EX_OK);
		default:
			usage(stderr);
			return (EX_USAGE);
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return (EX_USAGE);
	}
	cmd = argv[optind];
	if (strcmp(cmd, "help") == 0) {
		usage(stdout);
		return (EX_OK);
	}
	if (!strstr(" init import customer contract optout optin consent-log export purge stats "
		    "migrate-to backup restore key ", cmd) || strchr(cmd, ' ') || *cmd == 0) {
		fprintf(stderr, PROG ": unknown command %s\n", cmd);
		usage(stderr);
		return (EX_USAGE);
	}
	return (-1);
}

int
main(int argc, char **argv)
{
	const char *conffile = NULL, *cmd;
	char	err[CONF_ERR_MAX];
	struct conf *conf;
	struct store *st;
	struct stat sb;
	int	ex;

	if ((ex = parse_options(argc, argv, &conffile)) >= 0)
		return (ex);
	argc -= optind;
	argv += optind;
	cmd = argv[0];
	if ((conf = conf_load(conffile, err, sizeof(err))) == NULL) {
		fprintf(stderr, PROG ": %s\n", err);
		return EX_CONFIG;
	}
	log_open(PROG, 0, conf);
	if (strcmp(cmd, "init") == 0) {
		ex = argc == 1 ? cmd_init(conf) : (fprintf(stderr, "usage: " PROG " init\n"), EX_USAGE);
		goto done;
	}
	/* restore and key rotate open the store themselves (or there is none yet) */
	if (strcmp(cmd, "restore") == 0 || strcmp(cmd, "key") == 0) {
		ex = cmd[0] == 'r' ? cmd_restore(conf, argc - 1, argv + 1)
			: cmd_key(conf, argc - 1, argv + 1);
		goto done;
	}
	if (strcmp(conf_store_backend(conf), "sqlite") == 0
	    && stat(conf_store_path(conf), &sb) < 0 && errno == ENOENT) {
		fprintf(stderr, PROG ": database %s does not exist (run: " PROG " init)\n",
			conf_store_path(conf));
		ex = EX_NOINPUT;
		goto done;
	}
	/* stats needs no key: monitoring runs as a user who cannot read it */
	st = strcmp(cmd, "stats") == 0 ? store_open_counts(conf, err, sizeof(err))
		: store_open(conf, err, sizeof(err));
	if (st == NULL) {
		fprintf(stderr, PROG ": %s\n", err);
		ex = store_open_err_temporary(err) ? EX_TEMPFAIL : EX_CONFIG;
		goto done;
	}
	ex = run_command(st, conf, cmd, argc - 1, argv + 1);
	store_close(st);
done:
	if (fflush(stdout) == EOF && ex == EX_OK) {
		fprintf(stderr, PROG ": cannot write the output: %s\n", strerror(errno));
		ex = EX_IOERR;
	}
	log_close();
	conf_free(conf);
	return ex;
}
