/*
 * NAME
 *	log 3h
 * SUMMARY
 *	logging to syslog, or to stderr in foreground mode
 * SYNOPSIS
 *	#include "log.h"
 *
 *	void	log_open(const char *ident, int to_stderr, const struct conf *conf);
 *	void	log_msg(int priority, const char *fmt, ...);
 *	void	log_close(void);
 * DESCRIPTION
 *	log_open() sets the program name, the destination (stderr when
 *	TO_STDERR, else syslog with syslog_facility from CONF) and the lowest
 *	priority logged (log_level). CONF may be NULL (facility mail, level
 *	info). Before log_open(), messages go to stderr. log_msg() is
 *	thread-safe. Never log personal data in clear: log a customer id or
 *	log_hash() of the address.
 *
 *	log_hash() writes a short keyless hash of S ("h:" and 12 hex digits)
 *	into OUT (LOG_HASH_LEN bytes): enough for an admin to correlate lines
 *	about one address without the log holding the address.
 */
#ifndef LINKS_LOG_H
#define LINKS_LOG_H

#include <stddef.h>
#include <syslog.h>

#include "conf.h"

#define LOG_HASH_LEN 16

void	log_open(const char *ident, int to_stderr, const struct conf *conf);
void	log_close(void);
void	log_set_level(int priority);
void	log_msg(int priority, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *log_hash(const char *s, char out[LOG_HASH_LEN]);

#define log_error(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
