/*
 * NAME
 *	reply 3h
 * SUMMARY
 *	reply analysis: what did the customer write, and is it "Từ chối"?
 * SYNOPSIS
 *	#include "reply.h"
 * DESCRIPTION
 *	reply_analyzer_new() reads the lexicon (built in, plus the files of
 *	the reply_lexicon option), compiles the refusal_pattern lines of
 *	links.conf and reads the limits (mime_max_parts, mime_max_depth,
 *	mime_max_decoded). An analyzer is
 *	immutable after creation and may be shared by threads. Owned by the
 *	caller: reply_analyzer_free().
 *
 *	reply_analyze() takes one whole message (headers and body, as
 *	received, CRLF or LF) and ENVELOPE_FROM (the MAIL FROM address
 *	without brackets, "" for the null sender, NULL when unknown). It
 *	never fails on bad input: a message with nothing it can read gets
 *	kind REPLY_KIND_REPLY, optout 0, question 1 and the reason "empty",
 *	so a person reads it. It returns NULL only when out of memory. The
 *	result is owned by the caller: reply_result_free(). Strings returned
 *	by the accessors belong to the result.
 */
#ifndef LINKS_REPLY_H
#define LINKS_REPLY_H

#include <stddef.h>

#include "conf.h"

enum reply_kind { REPLY_KIND_REPLY = 0, REPLY_KIND_AUTO_REPLY, REPLY_KIND_BOUNCE };
const char *reply_kind_name(enum reply_kind k);

struct reply_analyzer;
struct reply_result;

struct reply_analyzer *reply_analyzer_new(const struct conf *conf, char *err, size_t errlen);
void	reply_analyzer_free(struct reply_analyzer *ra);

struct reply_result *reply_analyze(const struct reply_analyzer *ra, const char *msg,
				   size_t len, const char *envelope_from);
void	reply_result_free(struct reply_result *r);

enum reply_kind reply_result_kind(const struct reply_result *r);
int	reply_result_optout(const struct reply_result *r);
/* What a refusal names: CATEGORY_BIT() (category.h) of each category of
 * our mail it refuses ("no more surveys"), 0 when it names none ("Từ
 * chối", "đừng gửi email nữa"): all our mail. 0 when not a refusal. */
unsigned reply_result_optout_scope(const struct reply_result *r);
int	reply_result_question(const struct reply_result *r);
/* The customer's new text, NFC UTF-8, "" when none (and for auto-replies
 * and bounces, whose text is not extracted). */
const char *reply_result_text(const struct reply_result *r);
/* Which rule decided, e.g. "command:tu_choi", "command:dung_gui+question",
 * "subject:huy_dang_ky", "question", "question:negated", "quote_only",
 * "auto_reply:subject", "bounce:dsn". */
const char *reply_result_reason(const struct reply_result *r);
/* The decoded Subject (UTF-8), "" when none. */
const char *reply_result_subject(const struct reply_result *r);

/* For bounces: the permanently failed recipients (5.x.x in a
 * message/delivery-status part). Returns the count; _address returns
 * recipient I (bare address, no "rfc822;" prefix). */
size_t	reply_result_bounce_count(const struct reply_result *r);
const char *reply_result_bounce_address(const struct reply_result *r, size_t i);

/* One JSON object on one line, as printed by links-milter --classify:
 * {"kind":..,"optout":..,"question":..,"text":..,"reason":..}, and for a
 * refusal "scope": "all" or the categories refused ("survey",
 * "survey+promotion"). Owned by the caller: free(). */
char   *reply_result_json(const struct reply_result *r);

#endif
