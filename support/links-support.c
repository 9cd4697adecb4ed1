/*
 * NAME
 *	links-support 8
 * SUMMARY
 *	let the support team look up customers and record refusals without the key
 * SYNOPSIS
 *	links-support customer show ID|EMAIL
 *	links-support consent-log [ID|EMAIL] [--since DATE] [--until DATE]
 *	links-support optout|optin ID|EMAIL [--category C] --note TEXT
 *	links-support stats
 *	links-support digest [--since DATE] [--until DATE] [--lines N] [--dry-run]
 * DESCRIPTION
 *	A small privileged helper, in the manner of Postfix's postdrop: it is
 *	installed set-user-id to the store's owner (links-milter) and
 *	executable by the support group only, so that support staff can run
 *	the few read and opt-out commands of links-store(8), and the daily
 *	digest of links-sender(1) (printed with --dry-run, or mailed to
 *	support_address as the timer does), without a root shell and
 *	without being able to read the master key.
 *
 *	It trusts nothing of its caller: the caller's real user must be root
 *	or a member of the group named by support_group in links.conf; the
 *	configuration file, links-store and links-sender are at paths fixed
 *	when it was built; the environment is replaced; each command and argument is
 *	checked against a short list (an address or a customer id, a date,
 *	a category, a note of printable text) before links-store is started
 *	with them. What is recorded names the caller's login (links-store
 *	reads the real user id), and an opt-out or opt-in needs a --note
 *	(the ticket, the reason). links-sender digest records nothing: it
 *	runs wholly as the store's owner (real user id too, so that its
 *	transport's checks see the user the timer runs as), and the
 *	helper's log line names who asked.
 * DIAGNOSTICS
 *	Exit status from <sysexits.h>: EX_USAGE for a command or argument
 *	that is not allowed, EX_NOPERM when the caller is not in the support
 *	group, EX_CONFIG for a configuration that cannot be read, EX_OSERR
 *	when links-store cannot be started; otherwise links-store's own
 *	status. Each use is logged to syslog with the caller's login and the
 *	command, never the customer's address.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "category.h"
#include "conf.h"
#include "utf8.h"

#define PROG			"links-support"
#define SUPPORT_ARGS_MAX	16	/* arguments handed to links-store */
#define SUPPORT_NOTE_MAX	200	/* bytes of a --note */
#define SUPPORT_ID_MAX		18	/* digits of a customer id */
#define SUPPORT_GROUPS_MAX	256	/* supplementary groups examined */
#define SUPPORT_FD_MAX		1024	/* descriptors closed at start */
#define SUPPORT_LINES_DIGITS	4	/* digest --lines at most 9999 */

#ifndef SUPPORT_CONF_PATH
#define SUPPORT_CONF_PATH	SYSCONFDIR "/links/links.conf"
#endif
#ifndef SUPPORT_STORE_PATH
#define SUPPORT_STORE_PATH	SBINDIR "/links-store"
#endif
#ifndef SUPPORT_SENDER_PATH
#define SUPPORT_SENDER_PATH	BINDIR "/links-sender"
#endif

/* A command line for links-store (or links-sender), built from checked pieces. */
struct support_cmd {
	const char *prog;	/* SUPPORT_STORE_PATH or SUPPORT_SENDER_PATH */
	const char *argv[SUPPORT_ARGS_MAX + 1];
	int	argc;
	int	writes;		/* optout/optin: a --note is required */
	int	has_note;
	int	sender;		/* links-sender: run wholly as the store's owner */
};

/* usage - the commands support may run */
static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: " PROG " COMMAND [ARGUMENTS]\n"
		"\n"
		"  customer show ID|EMAIL                       a customer, contracts, preferences\n"
		"  consent-log [ID|EMAIL] [--since DATE] [--until DATE]\n"
		"                                               consent events (all customers when\n"
		"                                               no customer is given)\n"
		"  optout ID|EMAIL [--category C] --note TEXT   record a refusal for the customer\n"
		"  optin ID|EMAIL [--category C] --note TEXT    record that the customer agrees again\n"
		"  stats                                        counts and counters\n"
		"  digest [--since DATE] [--until DATE] [--lines N] [--dry-run]\n"
		"                                               the daily digest: printed with\n"
		"                                               --dry-run, else mailed to support\n"
		"\n"
		"DATE is YYYY-MM-DD; C is survey, promotion or all; TEXT says why (a ticket).\n"
		"Run by root or a member of the support group (support_group in links.conf).\n"
		"See links-support(8).\n");
}

/* push - append one argument to CMD, -1 when there are too many */
static int
push(struct support_cmd *cmd, const char *arg)
{
	if (cmd->argc >= SUPPORT_ARGS_MAX)
		return (-1);
	cmd->argv[cmd->argc++] = arg;
	cmd->argv[cmd->argc] = NULL;
	return (0);
}

/* customer_ok - a customer id or an address */
static int
customer_ok(const char *s)
{
	char	norm[ADDR_MAX];
	size_t	n = strlen(s);

	if (n > 0 && n <= SUPPORT_ID_MAX && strspn(s, "0123456789") == n && s[0] != '0')
		return (1);
	if (s[0] == '-')
		return (0);		/* never an option in disguise */
	return (addr_normalise(s, norm, sizeof(norm)) == 0);
}

/* date_ok - YYYY-MM-DD, digits where digits belong */
static int
date_ok(const char *s)
{
	static const char shape[] = "dddd-dd-dd";

	if (strlen(s) != sizeof(shape) - 1)
		return (0);
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
			return (0);
	return (1);
}

/* category_ok - a category a customer may refuse (category.h), or "all" */
static int
category_ok(const char *s)
{
	enum category cat;

	if (strcmp(s, "all") == 0)
		return (1);
	return (category_parse(s, &cat) == 0 && category_refusable(cat));
}

/* note_ok - printable text of bounded length that is not an option */
static int
note_ok(const char *s)
{
	return (*s != 0 && *s != '-' && utf8_text_ok(s, SUPPORT_NOTE_MAX) && strchr(s, '\t') == NULL);
}

/*
 * parse_options - the --since/--until/--category/--note pairs after the
 * positional arguments; ALLOWED lists the ones this command takes.
 */
static int
parse_options(struct support_cmd *cmd, int argc, char **argv, int i, const char *allowed)
{
	for (; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int	ok;

		if (val == NULL || strncmp(opt, "--", 2) != 0 || strstr(allowed, opt) == NULL)
			return (-1);
		if (strcmp(opt, "--since") == 0 || strcmp(opt, "--until") == 0)
			ok = date_ok(val);
		else if (strcmp(opt, "--category") == 0)
			ok = category_ok(val);
		else if (strcmp(opt, "--note") == 0) {
			ok = note_ok(val);
			cmd->has_note = 1;
		} else
			ok = 0;
		if (!ok || push(cmd, opt) < 0 || push(cmd, val) < 0)
			return (-1);
	}
	return (0);
}

/* lines_ok - a small number of list lines */
static int
lines_ok(const char *s)
{
	size_t	n = strlen(s);

	return (n > 0 && n <= SUPPORT_LINES_DIGITS && strspn(s, "0123456789") == n);
}

/* build_digest - links-sender digest with checked options */
static int
build_digest(struct support_cmd *cmd, int argc, char **argv)
{
	cmd->prog = SUPPORT_SENDER_PATH;
	cmd->argv[0] = SUPPORT_SENDER_PATH;
	cmd->sender = 1;
	if (push(cmd, "digest") < 0)
		return (-1);
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "--dry-run") == 0) {
			if (push(cmd, opt) < 0)
				return (-1);
			continue;
		}
		if (val == NULL || !((strcmp(opt, "--since") == 0 || strcmp(opt, "--until") == 0)
				     ? date_ok(val) : strcmp(opt, "--lines") == 0 && lines_ok(val))
		    || push(cmd, opt) < 0 || push(cmd, val) < 0)
			return (-1);
		i++;
	}
	return (0);
}

/* build - check the caller's command and turn it into a links-store command line */
static int
build(struct support_cmd *cmd, int argc, char **argv)
{
	const char *verb;

	if (argc < 2)
		return (-1);
	verb = argv[1];
	if (strcmp(verb, "customer") == 0) {
		if (argc != 4 || strcmp(argv[2], "show") != 0 || !customer_ok(argv[3])
		    || push(cmd, "customer") < 0 || push(cmd, "show") < 0 || push(cmd, argv[3]) < 0)
			return (-1);
		return (0);
	}
	if (strcmp(verb, "stats") == 0)
		return (argc == 2 ? push(cmd, "stats") : -1);
	if (strcmp(verb, "digest") == 0)
		return (build_digest(cmd, argc, argv));
	if (strcmp(verb, "consent-log") == 0) {
		int	i = 2;

		if (push(cmd, "consent-log") < 0)
			return (-1);
		if (i < argc && strncmp(argv[i], "--", 2) != 0) {
			if (!customer_ok(argv[i]) || push(cmd, argv[i]) < 0)
				return (-1);
			i++;
		}
		return (parse_options(cmd, argc, argv, i, "--since --until"));
	}
	if (strcmp(verb, "optout") == 0 || strcmp(verb, "optin") == 0) {
		cmd->writes = 1;
		if (argc < 3 || !customer_ok(argv[2]) || push(cmd, verb) < 0
		    || push(cmd, argv[2]) < 0
		    || parse_options(cmd, argc, argv, 3, "--category --note") < 0)
			return (-1);
		return (cmd->has_note ? 0 : -1);
	}
	return (-1);
}

/* in_group - whether the real user is root or a member of group NAME */
static int
in_group(const char *name)
{
	gid_t	groups[SUPPORT_GROUPS_MAX];
	struct group *gr;
	int	n;

	if (getuid() == 0)
		return (1);
	if (name == NULL || *name == 0 || (gr = getgrnam(name)) == NULL)
		return (0);
	if (getgid() == gr->gr_gid)
		return (1);
	if ((n = getgroups(SUPPORT_GROUPS_MAX, groups)) < 0)
		return (0);
	for (int i = 0; i < n; i++)
		if (groups[i] == gr->gr_gid)
			return (1);
	return (0);
}

/* sanitise - known descriptors, a private umask, nothing inherited by accident */
static void
sanitise(void)
{
	for (int fd = 0; fd < 3; fd++) {
		struct stat sb;

		if (fstat(fd, &sb) < 0 && errno == EBADF && open("/dev/null", O_RDWR) != fd)
			_exit(EX_OSERR);
	}
	for (int fd = 3; fd < SUPPORT_FD_MAX; fd++)
		(void) close(fd);
	umask(077);
}

int
main(int argc, char **argv)
{
	static char *const envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8", NULL};
	struct support_cmd cmd = {SUPPORT_STORE_PATH, {SUPPORT_STORE_PATH, "-c", SUPPORT_CONF_PATH, NULL},
				  3, 0, 0, 0};
	struct passwd *pw;
	struct conf *conf;
	char	err[CONF_ERR_MAX];
	const char *who;

	sanitise();
	openlog(PROG, LOG_PID, LOG_AUTHPRIV);
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return (EX_OK);
	}
	if (argc == 2 && (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0)) {
		printf(PROG " %s\n", PACKAGE_VERSION);
		return (EX_OK);
	}
	who = (pw = getpwuid(getuid())) ? pw->pw_name : "?";
	if ((conf = conf_load(SUPPORT_CONF_PATH, err, sizeof(err))) == NULL) {
		fprintf(stderr, PROG ": %s\n", err);
		return (EX_CONFIG);
	}
	if (!in_group(conf_support_group(conf))) {
		fprintf(stderr, PROG ": %s is not in the support group \"%s\"\n", who,
			conf_support_group(conf));
		syslog(LOG_WARNING, "refused: %s is not in group %s", who, conf_support_group(conf));
		conf_free(conf);
		return (EX_NOPERM);
	}
	conf_free(conf);
	if (build(&cmd, argc, argv) < 0) {
		usage(stderr);
		return (EX_USAGE);
	}
	syslog(LOG_NOTICE, "%s runs %s %s", who, strrchr(cmd.prog, '/') + 1, cmd.argv[3]);
	if (cmd.sender && setreuid(geteuid(), geteuid()) != 0) {
		fprintf(stderr, PROG ": cannot become the store's owner: %s\n", strerror(errno));
		return (EX_OSERR);
	}
	execve(cmd.prog, (char *const *) cmd.argv, envp);
	fprintf(stderr, PROG ": cannot run %s: %s\n", cmd.prog, strerror(errno));
	return (EX_OSERR);
}
