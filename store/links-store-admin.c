/*
 * NAME
 *	links-store-admin 3
 * SUMMARY
 *	links-store's administrator commands: erasure, address, backup, key
 * SYNOPSIS
 *	links-store customer delete ID|EMAIL [--yes]
 *	links-store customer set-email ID|EMAIL NEW
 *	links-store backup DIR
 *	links-store restore DIR [--yes]
 *	links-store key rotate
 *	links-store migrate-to postgresql
 * DESCRIPTION
 *	customer delete erases one customer at the customer's request
 *	(store_customer_erase(), erase.h): it names the customer and what
 *	will go, and asks for "yes" on standard input unless --yes is
 *	given. The log records the erasure by customer id and the
 *	administrator's name, never the address.
 *
 *	customer set-email gives a customer a new address
 *	(store_customer_set_email(), readdress.h); an address another
 *	customer has is refused.
 *
 *	backup and restore copy the SQLite database and the key file with
 *	a checked manifest (backup.h); with PostgreSQL they say to use
 *	pg_dump and pg_restore (EX_UNAVAILABLE). restore asks before
 *	replacing an existing database unless --yes is given.
 *
 *	key rotate replaces the master key and re-encrypts every field
 *	(store_key_rotate(), rekey.h), printing its progress.
 *
 *	migrate-to postgresql copies this SQLite store into the database
 *	of store_conninfo with the same key file (store_copy(), counts
 *	checked), then tells the admin to switch store_backend.
 * DIAGNOSTICS
 *	Exit status from <sysexits.h> (see links-store.c); customer delete
 *	or restore not confirmed: EX_NOPERM, nothing changed.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "backup.h"
#include "erase.h"
#include "links-store.h"
#include "log.h"
#include "readdress.h"
#include "rekey.h"
#include "store.h"

#define ADMIN_POS_MAX	2	/* positional arguments of a command */
#define ANSWER_MAX	16	/* a confirmation line */
#define WHO_MAX		128

struct admin_args {
	const char *pos[ADMIN_POS_MAX];
	int	npos;
	int	yes;
};

/*
 * admin_args - ARGV after the command words: exactly NPOS positional
 * arguments, and --yes where YES_OK; -1 after a usage message.
 */
static int
admin_args(int argc, char **argv, int npos, int yes_ok, const char *synopsis,
	   struct admin_args *a)
{
	int	i, rest = 0;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		if (!rest && strcmp(argv[i], "--") == 0) {
			rest = 1;
			continue;
		}
		if (!rest && yes_ok && (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0)) {
			a->yes = 1;
			continue;
		}
		if (!rest && argv[i][0] == '-' && argv[i][1] != 0) {
			fprintf(stderr, PROG ": unknown option %s for this command\n", argv[i]);
			goto usage;
		}
		if (a->npos == npos || a->npos == ADMIN_POS_MAX)
			goto usage;
		a->pos[a->npos++] = argv[i];
	}
	if (a->npos == npos)
		return (0);
usage:
	fprintf(stderr, "usage: " PROG " %s\n", synopsis);
	return (-1);
}

/* confirmed - ask QUESTION on stderr; 1 when the answer is "yes" */
static int
confirmed(const char *question)
{
	char	line[ANSWER_MAX];
	size_t	n;

	fprintf(stderr, "%s\nType yes to go on: ", question);
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return (0);
	n = strcspn(line, "\r\n");
	line[n] = 0;
	return (strcmp(line, "yes") == 0);
}

struct contract_count {
	long	active, ended;
};

/* count_contract - store_contract_each() callback: active and ended contracts */
static int
count_contract(const struct store_contract *k, void *arg)
{
	struct contract_count *n = arg;

	if (k->status == STORE_CONTRACT_ACTIVE)
		n->active++;
	else
		n->ended++;
	return (0);
}

/* kept_categories - the refused categories of MASK, for the report */
static const char *
kept_categories(int mask, char *buf, size_t len)
{
	size_t	used = 0;
	int	c;

	buf[0] = 0;
	for (c = 0; c < CATEGORY_COUNT; c++)
		if ((mask & (int) CATEGORY_BIT(c)) && used < len)
			used += (size_t) snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						  category_name((enum category) c));
	return (buf[0] ? buf : "none");
}

/* erase_confirm - name the customer and what goes; 1 to go on */
static int
erase_confirm(struct store *st, const struct store_customer *c, int yes, int *ex)
{
	struct contract_count n = {0, 0};
	char	q[STORE_EMAIL_MAX + 256];
	int	rc;

	if ((rc = store_contract_each(st, c->id, count_contract, &n)) != STORE_OK) {
		*ex = fail(st, rc, "customer delete");
		return (0);
	}
	if (yes)
		return (1);
	snprintf(q, sizeof(q), "Erase customer %lld <%s>: address, name, phone, %ld contract%s "
		 "(%ld active), preferences and message log?\nThis cannot be undone.",
		 (long long) c->id, c->email, n.active + n.ended, n.active + n.ended == 1 ? "" : "s",
		 n.active);
	if (confirmed(q))
		return (1);
	fprintf(stderr, PROG ": customer delete: not confirmed; nothing was erased "
		"(--yes to erase without asking)\n");
	*ex = EX_NOPERM;
	return (0);
}

/* cmd_customer_delete - links-store customer delete ID|EMAIL [--yes] */
int
cmd_customer_delete(struct store *st, int argc, char **argv)
{
	struct store_erase_report rep;
	struct store_customer c;
	struct admin_args a;
	char	who[WHO_MAX], cats[CATEGORY_COUNT * 16];
	int	rc, ex = EX_OK;

	if (admin_args(argc, argv, 1, 1, "customer delete ID|EMAIL [--yes]", &a) < 0)
		return (EX_USAGE);
	if ((rc = find_customer(st, a.pos[0], &c)) != STORE_OK)
		return (fail(st, rc, "customer delete"));
	if (!erase_confirm(st, &c, a.yes, &ex))
		goto done;
	if ((rc = store_customer_erase(st, c.id, &rep)) != STORE_OK) {
		ex = fail(st, rc, "customer delete");
		goto done;
	}
	printf("customer %lld erased: address, name, phone, %ld contracts (%ld active), "
	       "%ld messages logged, %ld deliveries, %ld pending confirmations deleted\n",
	       (long long) c.id, rep.contracts_active + rep.contracts_ended, rep.contracts_active,
	       rep.messages, rep.deliveries, rep.outbox_pending);
	printf("kept without identity: %ld consent events; refusals as a keyed hash: %s\n",
	       rep.consent_kept, kept_categories(rep.suppressed_cats, cats, sizeof(cats)));
	staff_evidence(who, sizeof(who));
	log_notice("customer delete: customer %lld erased on request (%s): %ld contracts, "
		   "%ld consent events kept without identity", (long long) c.id, who,
		   rep.contracts_active + rep.contracts_ended, rep.consent_kept);
done:
	store_customer_clear(&c);
	return (ex);
}

/* cmd_customer_set_email - links-store customer set-email ID|EMAIL NEW */
int
cmd_customer_set_email(struct store *st, int argc, char **argv)
{
	struct store_customer c;
	struct admin_args a;
	char	who[WHO_MAX];
	int64_t	id;
	int	rc, changed;

	if (admin_args(argc, argv, 2, 0, "customer set-email ID|EMAIL NEW", &a) < 0)
		return (EX_USAGE);
	if ((rc = find_customer(st, a.pos[0], &c)) != STORE_OK)
		return (fail(st, rc, "customer set-email"));
	id = c.id;
	store_customer_clear(&c);
	if ((rc = store_customer_set_email(st, id, a.pos[1], &changed)) != STORE_OK)
		return (fail(st, rc, "customer set-email"));
	if ((rc = store_customer_get(st, id, &c)) != STORE_OK)
		return (fail(st, rc, "customer set-email"));
	printf("customer %lld: address %s %s\n", (long long) c.id,
	       changed ? "changed to" : "unchanged (the same address):", c.email);
	if (changed) {
		staff_evidence(who, sizeof(who));
		log_notice("customer set-email: customer %lld has a new address (%s)",
			   (long long) c.id, who);
	}
	store_customer_clear(&c);
	return (EX_OK);
}

/* cmd_backup - links-store backup DIR */
int
cmd_backup(struct store *st, struct conf *conf, int argc, char **argv)
{
	struct store_backup_info info;
	struct admin_args a;
	int	rc;

	if (admin_args(argc, argv, 1, 0, "backup DIR", &a) < 0)
		return (EX_USAGE);
	if (strcmp(store_backend_name(st), "sqlite") != 0) {
		fprintf(stderr, PROG ": backup: store_backend is %s: back up the database with "
			"pg_dump (pg_dump -Fc -f links.dump \"$store_conninfo\") and copy the key file "
			"%s apart from it; restore with pg_restore\n", store_backend_name(st),
			conf_key_file(conf));
		return (EX_UNAVAILABLE);
	}
	if ((rc = store_backup(st, conf, a.pos[0], &info)) != STORE_OK)
		return (fail(st, rc, "backup"));
	printf("backup %s: database (%lld bytes, schema %d) and key file copied at %s; "
	       "manifest %s/%s written\n", a.pos[0], info.db_bytes, info.schema, info.created,
	       a.pos[0], BACKUP_MANIFEST);
	printf("The folder holds the key: keep it as safe as %s.\n", conf_key_file(conf));
	log_notice("backup: database (schema %d) and key file copied", info.schema);
	return (EX_OK);
}

/*
 * cmd_restore - links-store restore DIR [--yes]: runs without opening
 * the store (there may be none yet, or one with another key).
 */
int
cmd_restore(struct conf *conf, int argc, char **argv)
{
	struct store_backup_info info;
	struct admin_args a;
	char	err[CONF_ERR_MAX], q[CONF_ERR_MAX];
	int	rc;

	if (admin_args(argc, argv, 1, 1, "restore DIR [--yes]", &a) < 0)
		return (EX_USAGE);
	if (strcmp(conf_store_backend(conf), "sqlite") != 0) {
		fprintf(stderr, PROG ": restore: store_backend is %s: restore the database with "
			"pg_restore and put the key file back at %s\n", conf_store_backend(conf),
			conf_key_file(conf));
		return (EX_UNAVAILABLE);
	}
	snprintf(q, sizeof(q), "Replace the database %s and the key file %s with the backup in %s?",
		 conf_store_path(conf), conf_key_file(conf), a.pos[0]);
	if (!a.yes && access(conf_store_path(conf), F_OK) == 0 && !confirmed(q)) {
		fprintf(stderr, PROG ": restore: not confirmed; nothing was changed\n");
		return (EX_NOPERM);
	}
	rc = store_restore(conf, a.pos[0], &info, err, sizeof(err));
	if (rc != STORE_OK) {
		fprintf(stderr, PROG ": restore: %s\n", err);
		log_warning("restore refused or failed");
		return (rc == STORE_NOTFOUND ? EX_NOINPUT : rc == STORE_TEMP ? EX_TEMPFAIL
			: EX_DATAERR);
	}
	printf("restore: database %s (schema %d, backup of %s) and key file %s restored; "
	       "restart links-milter and links-web\n", conf_store_path(conf), info.schema,
	       info.created, conf_key_file(conf));
	log_notice("restore: database and key file restored from a backup of %s", info.created);
	return (EX_OK);
}

/* rotate_progress - one line per batch, flushed: a big store takes a while */
static int
rotate_progress(long done, long total, void *arg)
{
	(void) arg;
	printf("re-encrypted %ld of %ld values\n", done, total);
	fflush(stdout);
	return (0);
}

/*
 * cmd_key - links-store key rotate: runs without opening the store
 * first (an interrupted rotation may have left the database under the
 * new key, which store_key_rotate() recognises and finishes).
 */
int
cmd_key(struct conf *conf, int argc, char **argv)
{
	struct store_rekey_report rep;
	struct admin_args a;
	char	err[CONF_ERR_MAX];
	int	rc;

	if (admin_args(argc, argv, 1, 0, "key rotate", &a) < 0)
		return (EX_USAGE);
	if (strcmp(a.pos[0], "rotate") != 0) {
		fprintf(stderr, PROG ": unknown key command %s (rotate)\n", a.pos[0]);
		return (EX_USAGE);
	}
	rc = store_key_rotate(conf, rotate_progress, NULL, &rep, err, sizeof(err));
	if (rc != STORE_OK) {
		fprintf(stderr, PROG ": key rotate: %s\n", err);
		log_warning("key rotate failed; the key file is unchanged");
		return (rc == STORE_TEMP ? EX_TEMPFAIL : EX_CONFIG);
	}
	if (rep.resumed) {
		printf("key rotate: the rotation interrupted after its commit is finished: %s holds "
		       "the new key\n", conf_key_file(conf));
		log_notice("key rotate: interrupted rotation finished");
	} else {
		printf("key rotate: %ld encrypted values (%ld customers) re-encrypted in one "
		       "transaction (key id %02x, was %02x); %s holds the new key, the old one is "
		       "gone\n", rep.values, rep.customers, rep.new_kid, rep.old_kid,
		       conf_key_file(conf));
		log_notice("key rotate: %ld customers re-encrypted under a new key", rep.customers);
	}
	printf("Restart links-milter and links-web now (running programs hold the old key), and "
	       "make a new backup: older backups keep their own key.\n");
	return (EX_OK);
}

/*
 * cmd_migrate_to - copy this SQLite store into the PostgreSQL database of
 * store_conninfo (same key file), then tell the admin to switch
 * store_backend.
 */
int
cmd_migrate_to(struct store *src, struct conf *conf, int argc, char **argv)
{
	struct store_copy_report rep;
	char	err[CONF_ERR_MAX];
	struct store *dst;
	struct admin_args a;
	long	total = 0;
	int	rc, i;

	if (admin_args(argc, argv, 1, 0, "migrate-to postgresql", &a) < 0)
		return (EX_USAGE);
	if (strcmp(a.pos[0], "postgresql") != 0) {
		fprintf(stderr, PROG ": migrate-to: only postgresql is a target\n");
		return (EX_USAGE);
	}
	if (strcmp(store_backend_name(src), "sqlite") != 0) {
		fprintf(stderr, PROG ": migrate-to: the configured store (store_backend) is already "
			"%s\n", store_backend_name(src));
		return (EX_USAGE);
	}
	if (conf_set(conf, "store_backend", "postgresql", err, sizeof(err)) != 0
	    || store_init(conf, err, sizeof(err)) != STORE_OK
	    || (dst = store_open(conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, PROG ": migrate-to: %s\n", err);
		return (store_open_err_temporary(err) ? EX_TEMPFAIL : EX_CONFIG);
	}
	rc = store_copy(src, dst, &rep);
	if (rc != STORE_OK) {
		fprintf(stderr, PROG ": migrate-to: %s; nothing was copied\n", store_errmsg(dst));
		store_close(dst);
		return (rc == STORE_TEMP ? EX_TEMPFAIL : EX_DATAERR);
	}
	for (i = 0; i < STORE_COPY_TABLES; i++) {
		printf("%-16s %ld rows copied, counts checked\n", rep.table[i], rep.rows[i]);
		total += rep.rows[i];
	}
	printf("migrate-to postgresql: %ld rows copied with the same key file; now set "
	       "store_backend = postgresql in links.conf and restart the programs\n", total);
	log_notice("migrate-to postgresql: %ld rows copied", total);
	store_close(dst);
	return (EX_OK);
}
