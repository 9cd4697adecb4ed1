/*
 * NAME
 *	footer_plan 3
 * SUMMARY
 *	the footer of a campaign's messages, formatted once per composer
 * SYNOPSIS
 *	#include "footer_plan.h"
 * DESCRIPTION
 *	See footer_plan.h. The text footer is
 *
 *	    "\n" SEPARATOR "\n" REASON "\n" REFUSAL_VI "\n" REFUSAL_EN "\n"
 *	    [PREF_LABEL ": " PREF "\n"] CONTACT
 *
 *	and the HTML footer the same lines, escaped, in a <div>. HTML
 *	escaping works character by character, so the escape of the whole
 *	is the escapes of its pieces put together: the pieces that do not
 *	depend on the customer are escaped once here.
 * DIAGNOSTICS
 *	See footer_plan.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "footer.h"
#include "footer_plan.h"

#define FOOTER_PLAN_PREF_LABEL	"Tùy chọn nhận email / Email preferences"
#define FOOTER_PLAN_DIV		"\n<div class=\"links-footer\" style=\"font-size:small;color:#555\">\n"

struct footer_plan {
	struct strbuf head;		/* "\n" SEPARATOR "\n": before the reason */
	struct strbuf tail;		/* "\n" REFUSAL_VI "\n" REFUSAL_EN "\n": after it */
	struct strbuf contact;		/* the contact block */
	struct strbuf h_head;		/* the <div> and the escaped separator line */
	struct strbuf h_tail;		/* TAIL escaped */
	struct strbuf h_label;		/* the preference link's label, escaped */
	struct strbuf h_contact;	/* CONTACT escaped, and the </div> */
};

/* add_html_escaped - append S to B with HTML special characters escaped, line breaks as <br> */
static int
add_html_escaped(struct strbuf *b, const char *s)
{
	size_t	n;

	for (;;) {
		const char *r = NULL;

		/* The plain run up to the next special character, in one copy. */
		n = strcspn(s, "&<>\"\n");
		if (n > 0 && strbuf_add(b, s, n) < 0)
			return (-1);
		s += n;
		switch (*s) {
		case '&': r = "&amp;"; break;
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '"': r = "&quot;"; break;
		case '\n': r = "<br>\n"; break;
		default: return (0);		/* the end of S */
		}
		if (strbuf_adds(b, r) < 0)
			return (-1);
		s++;
	}
}

/* add_buf - append the bytes of S to B */
static int
add_buf(struct strbuf *b, const struct strbuf *s)
{
	return (strbuf_add(b, s->data, s->len));
}

/* contact - the footer's contact block from CF into B */
static int
contact(const struct conf *cf, struct strbuf *b)
{
	const char *portal = conf_portal_url(cf);

	if (strbuf_printf(b, "%s%s%s\nĐiện thoại: %s - Email: %s\n",
			  conf_company_name(cf), FOOTER_CONTACT_SEP,
			  conf_contact_address(cf),
			  conf_contact_phone(cf), conf_contact_email(cf)) < 0)
		return (-1);
	if (portal && *portal && strbuf_printf(b, "Website: %s\n", portal) < 0)
		return (-1);
	return (0);
}

/* footer_plan_new - format what every footer of CONF shares; see footer_plan.h */
struct footer_plan *
footer_plan_new(const struct conf *conf, const char *refusal_vi, const char *refusal_en)
{
	struct footer_plan *fp;

	if ((fp = calloc(1, sizeof(*fp))) == NULL)
		return (NULL);
	strbuf_init(&fp->head);
	strbuf_init(&fp->tail);
	strbuf_init(&fp->contact);
	strbuf_init(&fp->h_head);
	strbuf_init(&fp->h_tail);
	strbuf_init(&fp->h_label);
	strbuf_init(&fp->h_contact);
	if (strbuf_printf(&fp->head, "\n%s\n", FOOTER_SEPARATOR) < 0
	    || strbuf_printf(&fp->tail, "\n%s\n%s\n", refusal_vi, refusal_en) < 0
	    || contact(conf, &fp->contact) < 0
	    || strbuf_adds(&fp->h_head, FOOTER_PLAN_DIV) < 0
	    || add_html_escaped(&fp->h_head, fp->head.data + 1) < 0	/* no blank line first */
	    || add_html_escaped(&fp->h_tail, fp->tail.data) < 0
	    || add_html_escaped(&fp->h_label, FOOTER_PLAN_PREF_LABEL) < 0
	    || add_html_escaped(&fp->h_contact, fp->contact.data) < 0
	    || strbuf_adds(&fp->h_contact, "</div>\n") < 0) {
		footer_plan_free(fp);
		return (NULL);
	}
	return (fp);
}

/* footer_plan_text - append the text footer with REASON and PREF (or NULL) to B */
int
footer_plan_text(const struct footer_plan *fp, struct strbuf *b, const char *reason,
		 const char *pref)
{
	if (b->len > 0 && b->data[b->len - 1] != '\n' && strbuf_add(b, "\n", 1) < 0)
		return (-1);
	if (add_buf(b, &fp->head) < 0 || strbuf_adds(b, reason) < 0 || add_buf(b, &fp->tail) < 0)
		return (-1);
	if (pref != NULL && (strbuf_adds(b, FOOTER_PLAN_PREF_LABEL ": ") < 0
			     || strbuf_adds(b, pref) < 0 || strbuf_add(b, "\n", 1) < 0))
		return (-1);
	return (add_buf(b, &fp->contact));
}

/* footer_plan_html - append the HTML footer with REASON and PREF (or NULL) to B */
int
footer_plan_html(const struct footer_plan *fp, struct strbuf *b, const char *reason,
		 const char *pref)
{
	if (add_buf(b, &fp->h_head) < 0 || add_html_escaped(b, reason) < 0
	    || add_buf(b, &fp->h_tail) < 0)
		return (-1);
	if (pref != NULL && (strbuf_adds(b, "<a href=\"") < 0 || add_html_escaped(b, pref) < 0
			     || strbuf_adds(b, "\">") < 0 || add_buf(b, &fp->h_label) < 0
			     || strbuf_adds(b, "</a><br>\n") < 0))
		return (-1);
	return (add_buf(b, &fp->h_contact));
}

/* footer_plan_free - free FP (NULL is fine) */
void
footer_plan_free(struct footer_plan *fp)
{
	if (fp == NULL)
		return;
	strbuf_free(&fp->head);
	strbuf_free(&fp->tail);
	strbuf_free(&fp->contact);
	strbuf_free(&fp->h_head);
	strbuf_free(&fp->h_tail);
	strbuf_free(&fp->h_label);
	strbuf_free(&fp->h_contact);
	free(fp);
}
