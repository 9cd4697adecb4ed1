/*
 * NAME
 *	addr 3
 * SUMMARY
 *	email addresses: one rule for the store, the milter, the sender and the web
 * SYNOPSIS
 *	#include "addr.h"
 * DESCRIPTION
 *	See addr.h. The grammar is RFC 5321's Mailbox with RFC 6531's
 *	UTF-8 extension of atext and qtext; domains go through libidn2's
 *	UTS #46 lookup so that every form of an internationalised domain
 *	gives one A-label text.
 * DIAGNOSTICS
 *	None: functions return -1 for input that is not an address.
 */
#include "config.h"

#include <ctype.h>
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "addr.h"
#include "utf8.h"

#define ADDR_LABEL_MAX	63		/* one DNS label */
#define ADDR_SPECIALS	"!#$%&'*+-/=?^_`{|}~"

/* addr_atext - whether ASCII byte C may stand in an atom */
static int
addr_atext(unsigned char c)
{
	return (c < 0x80 && (isalnum(c) || strchr(ADDR_SPECIALS, c) != NULL) && c != 0);
}

/* addr_utf8_char - length of a UTF-8 character fit for a local part at S, 0 if none */
static size_t
addr_utf8_char(const unsigned char *s, size_t len)
{
	size_t	adv;
	int32_t	cp = utf8_decode(s, len, &adv);

	if (cp < 0xA0)			/* ASCII is not ours; C1 controls never */
		return (0);
	return (adv);
}

/* addr_dot_atom - whether the LEN bytes at S form an RFC 6531 dot-atom */
static int
addr_dot_atom(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t	i = 0, n;
	int	prev_dot = 1;		/* no leading dot */

	if (len == 0)
		return (0);
	while (i < len) {
		if (p[i] == '.') {
			if (prev_dot)
				return (0);
			prev_dot = 1;
			i++;
		} else if (addr_atext(p[i])) {
			prev_dot = 0;
			i++;
		} else if (p[i] >= 0x80 && (n = addr_utf8_char(p + i, len - i)) > 0) {
			prev_dot = 0;
			i += n;
		} else
			return (0);
	}
	return (!prev_dot);
}

/*
 * addr_quoted - read the quoted string at S (S[0] is '"') up to END into
 * OUT without its quotes and quoted pairs. Returns the position after the
 * closing quote, NULL when malformed or too long for OUT.
 */
static const char *
addr_quoted(const char *s, const char *end, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *) s + 1;
	const unsigned char *e = (const unsigned char *) end;
	size_t	n = 0, k;

	while (p < e && *p != '"') {
		if (*p == '\\') {
			if (p + 1 >= e || p[1] < 0x20 || p[1] > 0x7E)
				return (NULL);
			p++;
			k = 1;
		} else if (*p >= 0x20 && *p <= 0x7E)
			k = 1;
		else if ((k = addr_utf8_char(p, (size_t) (e - p))) == 0)
			return (NULL);
		if (n + k >= outlen)
			return (NULL);
		memcpy(out + n, p, k);
		n += k;
		p += k;
	}
	if (p >= e)
		return (NULL);
	out[n] = 0;
	return ((const char *) p + 1);
}

/*
 * addr_fold_local - lower-case an ASCII local part into BUF (BUFLEN
 * bytes) and return BUF; NFC a UTF-8 one into memory the caller frees
 * and return that. NULL when out of memory or too long.
 */
static char *
addr_fold_local(const char *local, char *buf, size_t buflen)
{
	size_t	i;

	if (!addr_is_ascii(local))
		return ((char *) utf8proc_NFC((const utf8proc_uint8_t *) local));
	for (i = 0; local[i]; i++) {
		if (i + 1 >= buflen)
			return (NULL);
		buf[i] = (char) tolower((unsigned char) local[i]);
	}
	buf[i] = 0;
	return (buf);
}

/* addr_ascii_domain_ok - an ASCII domain: labels of letters, digits, '-', '_' */
static int
addr_ascii_domain_ok(const char *d)
{
	size_t	label = 0;
	const char *p;

	for (p = d; *p; p++) {
		unsigned char c = (unsigned char) *p;

		if (c == '.') {
			if (label == 0 || p[-1] == '-')
				return (0);
			label = 0;
			continue;
		}
		if (!(isalnum(c) || c == '-' || c == '_'))
			return (0);
		if (label == 0 && c == '-')
			return (0);
		if (++label > ADDR_LABEL_MAX)
			return (0);
	}
	return (label > 0 && p[-1] != '-');
}

/* addr_domain_normalise - the lower-case A-label form of domain IN */
int
addr_domain_normalise(const char *in, char *out, size_t outlen)
{
	char   *alabel = NULL;
	size_t	i, n;
	int	need_idn = 0;

	if (outlen > 0)
		out[0] = 0;
	n = strlen(in);
	if (n == 0 || n > 4 * ADDR_DOMAIN_MAX || !utf8_valid(in, n))
		return (-1);
	for (i = 0; i < n; i++) {
		if ((unsigned char) in[i] >= 0x80
		    || ((i == 0 || in[i - 1] == '.') && strncasecmp(in + i, "xn--", 4) == 0))
			need_idn = 1;
	}
	if (need_idn) {
		if (idn2_lookup_u8((const uint8_t *) in, (uint8_t **) &alabel,
				   IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK)
			return (-1);
		in = alabel;
		n = strlen(in);
	}
	if (n == 0 || n > ADDR_DOMAIN_MAX || n + 1 > outlen)
		goto fail;
	for (i = 0; i <= n; i++)
		out[i] = (char) tolower((unsigned char) in[i]);
	if (!addr_ascii_domain_ok(out))
		goto fail;
	free(alabel);
	return (0);
fail:
	free(alabel);
	out[0] = 0;
	return (-1);
}

/*
 * addr_compose - write the canonical LOCAL@DOMAIN into OUT; ATOM says
 * that LOCAL is known to be a dot-atom (it is quoted otherwise when it
 * is not one)
 */
static int
addr_compose(const char *local, int atom, const char *domain, char *out, size_t outlen)
{
	char	buf[ADDR_MAX];
	size_t	n = 0, i, dn = strlen(domain);

	if (atom || addr_dot_atom(local, strlen(local))) {
		n = strlen(local);
		if (n >= sizeof(buf))
			return (-1);
		memcpy(buf, local, n);
	} else {
		buf[n++] = '"';
		for (i = 0; local[i]; i++) {
			if (n + 3 >= sizeof(buf))
				return (-1);
			if (local[i] == '"' || local[i] == '\\')
				buf[n++] = '\\';
			buf[n++] = local[i];
		}
		buf[n++] = '"';
	}
	if (n + 1 + dn > ADDR_LEN_MAX || n + 1 + dn + 1 > outlen)
		return (-1);
	memcpy(out, buf, n);
	out[n] = '@';
	memcpy(out + n + 1, domain, dn + 1);
	return (0);
}

/* addr_normalise - the canonical form of one address */
int
addr_normalise(const char *in, char *out, size_t outlen)
{
	char	local[ADDR_MAX], domain[ADDR_DOMAIN_MAX + 1], lower[ADDR_MAX];
	char   *folded = NULL;
	const char *s, *e, *at;
	size_t	n;
	int	atom = 0, rc;

	if (out == NULL || outlen == 0)
		return (-1);
	out[0] = 0;
	if (in == NULL)
		return (-1);
	for (s = in; *s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'; s++)
		;
	e = s + strnlen(s, 4 * ADDR_MAX);
	if (*e != 0)
		return (-1);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	if (e > s && *s == '<') {
		if (e - s < 2 || e[-1] != '>')
			return (-1);
		s++;
		e--;
	}
	if (s == e)
		return (ADDR_NULL);
	if (*s == '"') {
		if ((at = addr_quoted(s, e, local, sizeof(local))) == NULL || at >= e || *at != '@')
			return (-1);
		if (local[0] == 0)
			return (-1);
	} else {
		if ((at = memchr(s, '@', (size_t) (e - s))) == NULL)
			return (-1);
		n = (size_t) (at - s);
		if (n >= sizeof(local) || !addr_dot_atom(s, n))
			return (-1);
		memcpy(local, s, n);
		local[n] = 0;
		atom = 1;		/* lower case keeps it one; NFC may not (U+037E is ';') */
	}
	n = (size_t) (e - at - 1);
	if (n == 0 || n > ADDR_DOMAIN_MAX * 4 || memchr(at + 1, '@', n) != NULL || at[1] == '[')
		return (-1);
	{
		char	raw[4 * ADDR_DOMAIN_MAX + 1];

		memcpy(raw, at + 1, n);
		raw[n] = 0;
		if (addr_domain_normalise(raw, domain, sizeof(domain)) < 0)
			return (-1);
	}
	if ((folded = addr_fold_local(local, lower, sizeof(lower))) == NULL)
		return (-1);
	rc = addr_compose(folded, atom && folded == lower, domain, out, outlen);
	if (folded != lower)
		free(folded);
	if (rc != 0) {
		out[0] = 0;
		return (-1);
	}
	return (0);
}

/* addr_domain - the domain part of ADDR */
const char *
addr_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return (at ? at + 1 : addr);
}

/* addr_is_ascii - whether ADDR needs no SMTPUTF8 */
int
addr_is_ascii(const char *addr)
{
	for (; *addr; addr++)
		if ((unsigned char) *addr >= 0x80)
			return (0);
	return (1);
}

/*
 * addr_strip_comments - a structured header value with comments made
 * spaces. Outside comments and quoted strings, runs of ordinary bytes
 * are copied whole, and inside comments skipped whole (strcspn), so a
 * long value costs little more than a copy.
 */
size_t
addr_strip_comments(const char *value, size_t maxin, char *out, size_t outlen)
{
	size_t	n = 0, i, run;
	int	depth = 0, quoted = 0;

	if (outlen == 0)
		return (0);
	for (i = 0; value[i] && i < maxin && n + 1 < outlen; i++) {
		char	c = value[i];

		if (depth == 0 && !quoted && (run = strcspn(value + i, "(\"\r\n\t")) > 1) {
			if (run > maxin - i)
				run = maxin - i;
			if (run > outlen - 1 - n)
				run = outlen - 1 - n;
			memcpy(out + n, value + i, run);
			n += run;
			i += run - 1;
			continue;
		}
		if (depth > 0) {
			if ((run = strcspn(value + i, "()\\")) > 1) {	/* comment text: skipped */
				if (run > maxin - i)
					run = maxin - i;
				i += run - 1;
				continue;
			}
			if (c == '\\' && value[i + 1] && i + 1 < maxin)
				i++;
			else if (c == '(')
				depth++;
			else if (c == ')' && --depth == 0)
				out[n++] = ' ';
			continue;
		}
		if (quoted) {
			if (c == '\\' && value[i + 1] && i + 1 < maxin && n + 2 < outlen) {
				out[n++] = c;
				out[n++] = value[++i];
				continue;
			}
			if (c == '"')
				quoted = 0;
		} else if (c == '(') {
			depth = 1;
			continue;
		} else if (c == '"')
			quoted = 1;
		if (c == '\r' || c == '\n' || c == '\t')
			c = ' ';
		out[n++] = c;
	}
	out[n] = 0;
	return (n);
}
