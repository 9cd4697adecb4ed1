/*
 * NAME
 *	reply_html 3
 * SUMMARY
 *	HTML reply to plain text, without the quoted message (libxml2)
 * SYNOPSIS
 *	#include "reply_html.h"
 * DESCRIPTION
 *	See reply_html.h. The tree is walked iteratively by hand (no
 *	recursion, so hostile nesting cannot exhaust the stack); libxml2
 *	itself limits its tree depth (256 without XML_PARSE_HUGE).
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "reply_html.h"

struct conv {
	struct strbuf *out;
	int	pend_space;
	int	pend_nl;		/* line breaks owed before the next text */
	int	pre;			/* inside <pre> */
	int	done;			/* a cut marker was met */
	int	oom;
};

void
reply_html_init(void)
{
	xmlInitParser();
}

static int
name_is(const xmlNode *n, const char *name)
{
	return (n->name != NULL && strcasecmp((const char *) n->name, name) == 0);
}

/* Whether attribute ATTR of N has TOKEN in its space-separated list. */
static int
attr_has_token(const xmlNode *n, const char *attr, const char *token)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *) attr);
	const char *p;
	size_t	tl = strlen(token);
	int	found = 0;

	if (v == NULL)
		return (0);
	for (p = (const char *) v; *p && !found;) {
		size_t	wl;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		wl = strcspn(p, " \t\r\n");
		if (wl == tl && strncasecmp(p, token, tl) == 0)
			found = 1;
		p += wl;
	}
	xmlFree(v);
	return (found);
}

static int
attr_is(const xmlNode *n, const char *attr, const char *value)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *) attr);
	int	r;

	if (v == NULL)
		return (0);
	r = strcasecmp((const char *) v, value) == 0;
	xmlFree(v);
	return (r);
}

/* Outlook desktop: <div style="border:none;border-top:solid #B5C4DF 1.0pt;..."> */
static int
outlook_separator(const xmlNode *n)
{
	xmlChar *v;
	char	s[256];
	size_t	i, k = 0;
	int	r;

	if (!name_is(n, "div") && !name_is(n, "p"))
		return (0);
	if ((v = xmlGetProp(n, (const xmlChar *) "style")) == NULL)
		return (0);
	for (i = 0; v[i] && k + 1 < sizeof(s); i++)
		if (v[i] != ' ' && v[i] != '\t' && v[i] != '\n' && v[i] != '\r')
			s[k++] = (char) ((v[i] >= 'A' && v[i] <= 'Z') ? v[i] + 32 : v[i]);
	s[k] = 0;
	xmlFree(v);
	r = strstr(s, "border-top:solid") != NULL
	    && (strstr(s, "#b5c4df") || strstr(s, "#e1e1e1") || strstr(s, "padding:3.0pt"));
	return (r);
}

/* is_quote_container - a container whose whole subtree is quoted text */
static int
is_quote_container(const xmlNode *n)
{
	if (name_is(n, "blockquote") && (attr_is(n, "type", "cite")
					 || attr_has_token(n, "class", "gmail_quote")))
		return (1);
	return (attr_has_token(n, "class", "gmail_quote")
		|| attr_has_token(n, "class", "x_gmail_quote")
		|| attr_has_token(n, "class", "moz-cite-prefix")
		|| attr_has_token(n, "class", "yahoo_quoted")
		|| attr_has_token(n, "class", "gmail_attr")
		|| attr_has_token(n, "class", "zmail_extra")	/* Zoho */
		|| attr_is(n, "data-marker", "__QUOTED_TEXT__")	/* Zimbra */
		|| attr_is(n, "data-marker", "__HEADERS__"));
}

/* is_cut_marker - a marker after which everything is the quoted message */
static int
is_cut_marker(const xmlNode *n)
{
	return (attr_is(n, "id", "divRplyFwdMsg") || attr_is(n, "id", "appendonsend")
		|| attr_is(n, "id", "OLK_SRC_BODY_SECTION")
		|| (name_is(n, "hr") && (attr_is(n, "id", "stopSpelling") || attr_is(n, "id", "zwchr")))
		|| attr_has_token(n, "class", "zmail_extra_hr")
		|| outlook_separator(n));
}

/* is_signature - a mail app's signature block: not the customer's words */
static int
is_signature(const xmlNode *n)
{
	return (attr_is(n, "id", "ms-outlook-mobile-signature") || attr_is(n, "id", "composer_signature")
		|| attr_is(n, "id", "ymail_android_signature") || attr_is(n, "id", "Signature")
		|| attr_has_token(n, "class", "gmail_signature")
		|| attr_has_token(n, "class", "moz-signature"));
}

/* is_skipped - elements whose text is never shown or never the customer's */
static int
is_skipped(const xmlNode *n)
{
	return (name_is(n, "script") || name_is(n, "style") || name_is(n, "head")
		|| name_is(n, "title") || name_is(n, "noscript") || name_is(n, "template")
		|| is_signature(n));
}

/* Line breaks an element implies around itself: 0, 1 or 2. */
static int
block_breaks(const xmlNode *n)
{
	static const char *const para[] = {
		"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol",
		"table", "pre", "dl", "hr", NULL
	};
	static const char *const line[] = {
		"div", "li", "tr", "dd", "dt", "section", "article", "header",
		"footer", "address", "center", "form", "fieldset", "nav", "aside",
		"main", "figure", "body", "html", NULL
	};
	size_t	i;

	for (i = 0; para[i]; i++)
		if (name_is(n, para[i]))
			return (2);
	for (i = 0; line[i]; i++)
		if (name_is(n, line[i]))
			return (1);
	return (0);
}

static void
want_breaks(struct conv *c, int k)
{
	if (c->pend_nl < k)
		c->pend_nl = k;
	c->pend_space = 0;
}

static void
put(struct conv *c, const char *s, size_t n)
{
	if (strbuf_add(c->out, s, n) < 0)
		c->oom = 1;
}

static void
text(struct conv *c, const char *s)
{
	for (; *s && !c->oom; s++) {
		unsigned char ch = (unsigned char) *s;

		/* U+00A0 (&nbsp;) is a blank too: Outlook pads with it */
		if (ch == 0xC2 && (unsigned char) s[1] == 0xA0) {
			s++;
			ch = ' ';
		}
		if (!c->pre && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f')) {
			c->pend_space = 1;
			continue;
		}
		if (c->pre && ch == '\r')
			continue;
		if (c->pend_nl > 0 && c->out->len > 0) {
			put(c, "\n\n", (size_t) c->pend_nl);
		} else if (c->pend_space && c->out->len > 0
			   && c->out->data[c->out->len - 1] != '\n')
			put(c, " ", 1);
		c->pend_nl = 0;
		c->pend_space = 0;
		put(c, ch == ' ' ? " " : s, 1);
	}
}

static void
close_element(struct conv *c, const xmlNode *n)
{
	want_breaks(c, block_breaks(n));
	if (name_is(n, "pre") && c->pre > 0)
		c->pre--;
}

static void
convert(struct conv *c, xmlNode *root)
{
	xmlNode *n = root;
	size_t	depth = 0;

	while (!c->done && !c->oom) {
		int	descend = 0;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				text(c, (const char *) n->content);
		} else if (n->type == XML_ELEMENT_NODE) {
			if (is_cut_marker(n)) {
				c->done = 1;
				return;
			}
			if (!is_skipped(n) && !is_quote_container(n)) {
				if (name_is(n, "br")) {
					put(c, "\n", 1);
					c->pend_space = 0;
					c->pend_nl = 0;
				}
				want_breaks(c, block_breaks(n));
				descend = n->children != NULL && depth < REPLY_HTML_MAX_DEPTH;
				if (descend && name_is(n, "pre"))
					c->pre++;
			}
		}
		if (descend) {
			n = n->children;
			depth++;
			continue;
		}
		for (;;) {
			if (n == root)
				return;
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
			depth--;
			if (n->type == XML_ELEMENT_NODE)
				close_element(c, n);
		}
	}
}

int
reply_html_to_text(const char *html, size_t len, struct strbuf *out)
{
	htmlDocPtr doc;
	struct conv c;
	int	opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
	| HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT;

	if (len == 0 || len > (size_t) 0x7fffffff)
		return (0);
	doc = htmlReadMemory(html, (int) len, NULL, "UTF-8", opts);
	if (doc == NULL)
		return (0);
	memset(&c, 0, sizeof(c));
	c.out = out;
	if (xmlDocGetRootElement(doc) != NULL)
		convert(&c, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	if (!c.oom && strbuf_reserve(out, 0) < 0)
		c.oom = 1;
	return (c.oom ? -1 : 0);
}
