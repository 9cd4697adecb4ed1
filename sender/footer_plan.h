/*
 * NAME
 *	footer_plan 3h
 * SUMMARY
 *	the footer of a campaign's messages, formatted once per composer
 * SYNOPSIS
 *	#include "footer_plan.h"
 *
 *	struct footer_plan *footer_plan_new(const struct conf *conf,
 *				const char *refusal_vi, const char *refusal_en);
 *	int	footer_plan_text(const struct footer_plan *fp, struct strbuf *b,
 *				const char *reason, const char *pref);
 *	int	footer_plan_html(const struct footer_plan *fp, struct strbuf *b,
 *				const char *reason, const char *pref);
 *	void	footer_plan_free(struct footer_plan *fp);
 * DESCRIPTION
 *	Every message ends with the footer config/footer.h describes: the
 *	separator, why the customer receives it (REASON), the refusal
 *	sentences REFUSAL_VI and REFUSAL_EN, the preference link PREF when
 *	there is one, and the company's contact block from links.conf(5).
 *	Only REASON and PREF can differ between two messages of a
 *	campaign; footer_plan_new() formats the rest once, as text and as
 *	HTML-escaped text, and footer_plan_text() and footer_plan_html()
 *	only copy those bytes around the customer's values.
 *
 *	footer_plan_new() returns a plan the caller frees with
 *	footer_plan_free() (NULL is fine), or NULL when out of memory; it
 *	keeps no pointer to its arguments.
 *
 *	footer_plan_text() appends the text footer to B, after a line
 *	break if B does not end with one. footer_plan_html() appends it as
 *	an HTML <div> (special characters escaped, line breaks as <br>,
 *	PREF as a link). REASON must not be NULL; PREF may be.
 * DIAGNOSTICS
 *	-1 when out of memory, B then holds part of the footer.
 */
#ifndef LINKS_FOOTER_PLAN_H
#define LINKS_FOOTER_PLAN_H

#include "conf.h"
#include "strbuf.h"

struct footer_plan;

struct footer_plan *footer_plan_new(const struct conf *conf, const char *refusal_vi,
				    const char *refusal_en);
int	footer_plan_text(const struct footer_plan *fp, struct strbuf *b, const char *reason,
			 const char *pref);
int	footer_plan_html(const struct footer_plan *fp, struct strbuf *b, const char *reason,
			 const char *pref);
void	footer_plan_free(struct footer_plan *fp);

#endif
