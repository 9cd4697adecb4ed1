/*
 * NAME
 *	log 3
 * SUMMARY
 *	logging to syslog, or to stderr in foreground mode
 * SYNOPSIS
 *	#include "log.h"
 * DESCRIPTION
 *	See log.h. The destination and level are process-wide settings made
 *	once at start-up (and again on a reload) before worker threads log;
 *	they are kept in atomics so a reload cannot tear them.
 */
#include "config.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"

#define LOG_LINE_MAX 2048	/* longest message; longer ones are cut */

static atomic_int log_to_stderr = 1;
static atomic_int log_level = LOG_INFO;
static char log_ident[64] = "links";

static const struct {
	const char *name;
	int	value;
} log_facilities[] = {
	{"mail", LOG_MAIL}, {"daemon", LOG_DAEMON}, {"user", LOG_USER},
	{"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},
	{"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
	{"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

static const struct {
	const char *name;
	int	value;
} log_levels[] = {
	{"error", LOG_ERR}, {"warning", LOG_WARNING}, {"notice", LOG_NOTICE},
	{"info", LOG_INFO}, {"debug", LOG_DEBUG},
};

static int log_lookup_level(const char *name)
{
	for (size_t i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (strcmp(log_levels[i].name, name) == 0)
			return log_levels[i].value;
	return LOG_INFO;
}

static int log_lookup_facility(const char *name)
{
	for (size_t i = 0; i < sizeof(log_facilities) / sizeof(log_facilities[0]); i++)
		if (strcmp(log_facilities[i].name, name) == 0)
			return log_facilities[i].value;
	return LOG_MAIL;
}

void    log_open(const char *ident, int to_stderr, const struct conf *conf)
{
	int     facility = LOG_MAIL;

	if (ident)
		snprintf(log_ident, sizeof(log_ident), "%s", ident);
	if (conf) {
		facility = log_lookup_facility(conf_syslog_facility(conf));
		atomic_store(&log_level, log_lookup_level(conf_log_level(conf)));
	}
	if (!atomic_load(&log_to_stderr))
		closelog();
	atomic_store(&log_to_stderr, to_stderr ? 1 : 0);
	if (!to_stderr)
		openlog(log_ident, LOG_PID | LOG_NDELAY, facility);
}

void    log_set_level(int priority)
{
	atomic_store(&log_level, priority);
}

void    log_close(void)
{
	if (!atomic_load(&log_to_stderr))
		closelog();
	atomic_store(&log_to_stderr, 1);
}

static const char *log_prio_name(int priority)
{
	switch (priority) {
	case LOG_EMERG:
	case LOG_ALERT:
	case LOG_CRIT:
		return "fatal";
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE:
		return "notice";
	case LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

void    log_msg(int priority, const char *fmt, ...)
{
	char    line[LOG_LINE_MAX];
	va_list ap;

	if (priority > atomic_load(&log_level))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* Never let a message (from the network) forge extra log lines. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (atomic_load(&log_to_stderr)) {
		flockfile(stderr);
		fprintf(stderr, "%s[%ld]: %s: %s\n", log_ident, (long) getpid(),
			log_prio_name(priority), line);
		funlockfile(stderr);
	} else {
		syslog(priority, "%s", line);
	}
}

const char *log_hash(const char *s, char out[LOG_HASH_LEN])
{
	/* FNV-1a, 64 bits; 48 shown. A pseudonym for logs, not a secret. */
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
		unsigned char ch = *p;

		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char) (ch - 'A' + 'a');
		h ^= ch;
		h *= 0x100000001b3ULL;
	}
	snprintf(out, LOG_HASH_LEN, "h:%012llx", (unsigned long long) (h >> 16));
	return out;
}
