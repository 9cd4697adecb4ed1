/*
 * NAME
 *	conf_options 3
 * SUMMARY
 *	the table of links.conf(5) options
 * DESCRIPTION
 *	Keep this table, doc/links.conf.5 and config/links.conf in step:
 *	tests/config-docs.sh fails when an option is missing from either.
 *	Path defaults containing @SYSCONFDIR@, @LOCALSTATEDIR@, @PKGDATADIR@
 *	or @RUNSTATEDIR@ are expanded by conf.c with configure's values.
 */
#include "config.h"

#include <stddef.h>

#include "conf_options.h"

#define KB 1024LL
#define MB (1024LL * 1024LL)

const struct conf_option conf_options[] = {
	/* ---- store ---- */
	{"store_backend", CONF_T_ENUM, "sqlite", 0, 0, "sqlite",
	 "database backend"},
	{"store_path", CONF_T_STR, "@LOCALSTATEDIR@/lib/links/links.db", 0, 0, NULL,
	 "SQLite database file"},
	{"key_file", CONF_T_STR, "@SYSCONFDIR@/links/keys/master.key", 0, 0, NULL,
	 "32-byte master key file, mode 0600, created by links-store init"},
	{"store_busy_timeout", CONF_T_INT, "5000", 0, 600000, NULL,
	 "milliseconds to wait for a locked database before a temporary failure"},
	{"retention_grace_days", CONF_T_INT, "30", 0, 36500, NULL,
	 "days after the last contract ended before purge deletes a customer"},
	{"consent_retention_days", CONF_T_INT, "365", 365, 36500, NULL,
	 "days consent events are kept after purge (at least one year, Decree 91/2020)"},
	{"bounce_threshold", CONF_T_INT, "3", 1, 1000, NULL,
	 "permanent bounces after which an address is undeliverable"},

	/* ---- the company ---- */
	{"company_name", CONF_T_STR, "LINKS", 0, 0, NULL,
	 "company name used in messages"},
	{"company_domains", CONF_T_LIST, "ilinks.asia", 0, 0, NULL,
	 "the company's mail domains; name@ addresses there are LINKS addresses"},
	{"noreply_address", CONF_T_STR, "noreply@ilinks.asia", 0, 0, NULL,
	 "From of account, maintenance and promotion mail; replies to it are analysed"},
	{"support_address", CONF_T_STR, "support@ilinks.asia", 0, 0, NULL,
	 "From of survey and answer mail; customer questions are routed here"},
	{"promotion_from", CONF_T_STR, "", 0, 0, NULL,
	 "From of promotions; empty means noreply_address"},
	{"contact_address", CONF_T_STR,
	 "Tầng 15, tòa nhà văn phòng Intracom, 33 Cầu Diễn, phường Phúc Diễn, quận Bắc Từ Liêm, Hà Nội",
	 0, 0, NULL, "head office address in the footer"},
	{"contact_phone", CONF_T_STR, "0249 996 3579", 0, 0, NULL,
	 "telephone number in the footer"},
	{"contact_email", CONF_T_STR, "support@ilinks.asia", 0, 0, NULL,
	 "contact email in the footer"},
	{"portal_url", CONF_T_STR, "https://dichvu.ilinks.asia", 0, 0, NULL,
	 "the customer portal"},

	/* ---- logging ---- */
	{"syslog_facility", CONF_T_ENUM, "mail", 0, 0,
	 "mail daemon user local0 local1 local2 local3 local4 local5 local6 local7",
	 "syslog facility"},
	{"log_level", CONF_T_ENUM, "info", 0, 0, "error warning notice info debug",
	 "lowest priority logged"},

	/* ---- milter daemon ---- */
	{"socket", CONF_T_STR, "unix:@LOCALSTATEDIR@/spool/postfix/links-milter/milter.sock", 0, 0, NULL,
	 "milter socket: unix:PATH or inet:PORT@HOST (sendmail syntax)"},
	{"socket_mode", CONF_T_STR, "0660", 0, 0, NULL,
	 "permissions of a unix socket (octal), so that Postfix's smtpd can connect"},
	{"pid_file", CONF_T_STR, "@RUNSTATEDIR@/links-milter/links-milter.pid", 0, 0, NULL,
	 "pid file written when running as a daemon"},
	{"user", CONF_T_STR, "", 0, 0, NULL,
	 "user to run as after opening the socket (empty: do not change)"},
	{"group", CONF_T_STR, "", 0, 0, NULL,
	 "group to run as (empty: the user's primary group)"},
	{"milter_timeout", CONF_T_INT, "30", 1, 3600, NULL,
	 "seconds libmilter waits on an idle MTA connection"},
	{"max_body_size", CONF_T_SIZE, "1m", 16 * KB, 1024 * MB, NULL,
	 "bytes of a message body kept for analysis; the rest is counted, not stored"},
	{"mime_max_parts", CONF_T_INT, "64", 1, 100000, NULL,
	 "MIME parts inspected per message"},
	{"mime_max_depth", CONF_T_INT, "8", 1, 1000, NULL,
	 "nesting depth of MIME parts inspected"},
	{"mime_max_decoded", CONF_T_SIZE, "256k", 1 * KB, 64 * MB, NULL,
	 "decoded text bytes inspected per message"},
	{"refusal_pattern", CONF_T_LINES, "", 0, 0, NULL,
	 "extra PCRE2 refusal pattern (UTF, UCP, caseless), matched against each sentence and the whole new text, case folded and also without diacritics; may be repeated"},
	{"footer_fingerprint", CONF_T_LINES, "", 0, 0, NULL,
	 "extra text (diacritics-free, lower case) that marks the start of our own footer; may be repeated"},
	{"optout_from_policy", CONF_T_ENUM, "require_auth", 0, 0, "accept require_auth never",
	 "when a refusal identified only by its From address is applied"},
	{"trusted_authserv_ids", CONF_T_LIST, "", 0, 0, NULL,
	 "authserv-ids whose Authentication-Results headers are trusted"},
	{"pure_refusal_action", CONF_T_ENUM, "discard", 0, 0, "discard archive deliver",
	 "what happens to a refusal without a question sent only to noreply"},
	{"archive_address", CONF_T_STR, "", 0, 0, NULL,
	 "mailbox for pure refusals with pure_refusal_action = archive"},
	{"auto_reply_action", CONF_T_ENUM, "discard", 0, 0, "discard deliver",
	 "what happens to auto-replies sent to noreply"},
	{"bounce_action", CONF_T_ENUM, "discard", 0, 0, "discard deliver",
	 "what happens to bounces sent to noreply after they are counted"},
	{"store_failure_action", CONF_T_ENUM, "tempfail", 0, 0, "tempfail accept",
	 "answer to Postfix when the store cannot be written"},

	/* ---- sender ---- */
	{"template_dir", CONF_T_STR, "@PKGDATADIR@/templates", 0, 0, NULL,
	 "directory of message templates"},
	{"transport", CONF_T_ENUM, "smtp", 0, 0, "smtp sendmail dir",
	 "how links-sender delivers"},
	{"smtp_host", CONF_T_STR, "127.0.0.1", 0, 0, NULL,
	 "SMTP server for transport = smtp"},
	{"smtp_port", CONF_T_INT, "25", 1, 65535, NULL,
	 "SMTP port (587 for submission)"},
	{"smtp_starttls", CONF_T_ENUM, "no", 0, 0, "no may require",
	 "STARTTLS: never, when offered, or required"},
	{"smtp_user", CONF_T_STR, "", 0, 0, NULL,
	 "SMTP AUTH user (empty: no AUTH)"},
	{"smtp_password_file", CONF_T_STR, "", 0, 0, NULL,
	 "file holding the SMTP AUTH password (mode 0600)"},
	{"smtp_connections", CONF_T_INT, "2", 1, 64, NULL,
	 "parallel SMTP connections"},
	{"smtp_timeout", CONF_T_INT, "60", 1, 3600, NULL,
	 "seconds to wait for the SMTP server"},
	{"smtp_max_attempts", CONF_T_INT, "5", 1, 100, NULL,
	 "attempts for a temporary (4xx) failure before a delivery is failed"},
	{"sendmail_path", CONF_T_STR, "/usr/sbin/sendmail", 0, 0, NULL,
	 "sendmail program for transport = sendmail"},
	{"outdir", CONF_T_STR, "@LOCALSTATEDIR@/spool/links/out", 0, 0, NULL,
	 "directory for transport = dir (one .eml per message)"},
	{"send_rate", CONF_T_INT, "0", 0, 100000, NULL,
	 "messages per second at most (0: no limit)"},
	{"unsubscribe_url", CONF_T_STR, "", 0, 0, NULL,
	 "https one-click unsubscribe URL prefix; the token is appended (empty: mailto only)"},
	{"message_id_domain", CONF_T_STR, "", 0, 0, NULL,
	 "domain of generated Message-IDs (empty: the first company domain)"},
};

const unsigned conf_option_count = sizeof(conf_options) / sizeof(conf_options[0]);
