/*
 * NAME
 *	reply_text 3
 * SUMMARY
 *	the canonical text: a text part normalised once, for every rule
 * SYNOPSIS
 *	#include "reply_text.h"
 * DESCRIPTION
 *	See reply_text.h. Each step reads the previous one's buffer and
 *	writes a new one; the text of a reply is a few kilobytes, and the
 *	steps that cannot apply (no single-byte label, not flowed, no "&")
 *	are skipped without a copy. UTF-8 that needs none of them (most
 *	replies) is cleaned and finished in one pass: reply_text_final()
 *	does what reply_utf8_clean() does as it goes, so that the text is
 *	read once (tests/unit/test_reply_text compares it with the two
 *	passes on random text).
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "reply_charset.h"
#include "reply_norm.h"
#include "reply_tcvn.h"
#include "reply_text.h"
#include "reply_viet.h"
#include "utf8.h"

/* Labels of single-byte character sets (prefixes, lower case). */
static const struct {
	const char *s;
	size_t	len;
}	single_byte[] = {
#define SB(s)	{s, sizeof(s) - 1}
	SB("iso-8859-"), SB("iso8859-"), SB("iso_8859-"), SB("latin"), SB("l1"), SB("windows-12"),
	SB("cp12"), SB("x-cp12"), SB("cp-12"), SB("win-12"), SB("koi8-"), SB("viscii"), SB("tcvn"),
	SB("ibm"), SB("cp8"), SB("mac"), SB("x-mac"), SB("ascii"), SB("us-ascii"), SB("ansi_x3.4"),
	{NULL, 0}
#undef SB
};

int
reply_text_is_single_byte(const char *charset)
{
	size_t	i;
	int	c0;

	if (charset == NULL)
		return (0);
	c0 = tolower((unsigned char) charset[0]);	/* strncasecmp's first test, once */
	for (i = 0; single_byte[i].s; i++)
		if (c0 == single_byte[i].s[0] && strncasecmp(charset, single_byte[i].s, single_byte[i].len) == 0)
			return (1);
	return (0);
}

/* is_utf8_label - no label, or one we read as UTF-8 anyway */
static int
is_utf8_label(const char *cs)
{
	return (cs == NULL || *cs == 0 || strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0
		|| strcasecmp(cs, "us-ascii") == 0 || strcasecmp(cs, "ascii") == 0
		|| strncasecmp(cs, "unknown", 7) == 0 || strcasecmp(cs, "x-unknown") == 0
		|| strcasecmp(cs, "default") == 0);
}

/* valid_8bit_utf8 - well-formed UTF-8 with at least one byte >= 0x80 */
static int
valid_8bit_utf8(const char *s, size_t len, int *eight)
{
	size_t	i = 0, adv;

	*eight = 0;
	while (i < len) {
		if ((unsigned char) s[i] < 0x80) {
			i++;
			continue;
		}
		*eight = 1;
		if (reply_utf8_next((const unsigned char *) s + i, len - i, &adv) < 0)
			return (0);
		i += adv;
	}
	return (*eight);
}

/* ascii_safe - whether a charset reads 7-bit text as ASCII */
static int
ascii_safe(const char *cs)
{
	return (cs == NULL || (strncasecmp(cs, "iso-2022", 8) != 0 && strncasecmp(cs, "utf-16", 6) != 0
			       && strncasecmp(cs, "utf-32", 6) != 0 && strncasecmp(cs, "utf-7", 5) != 0
			       && strncasecmp(cs, "hz", 2) != 0));
}

int
reply_text_ascii_compatible(const char *cs)
{
	return (ascii_safe(cs));
}

/* is_latin1_label - windows-1252 and ISO-8859-1 (the labels of VNI-font text) */
static int
is_latin1_label(const char *cs)
{
	return (strncasecmp(cs, "windows-1252", 12) == 0 || strncasecmp(cs, "cp1252", 6) == 0
		|| strncasecmp(cs, "iso-8859-1", 10) == 0 || strncasecmp(cs, "iso8859-1", 9) == 0
		|| strncasecmp(cs, "iso_8859-1", 10) == 0 || strncasecmp(cs, "latin1", 6) == 0
		|| strncasecmp(cs, "l1", 2) == 0);
}

/* How decode() reads a text part. */
enum { DEC_CLEAN, DEC_CP1252, DEC_CHARSET };

/* decode_how - UTF-8 (DEC_CLEAN), windows-1252, or the charset CS */
static int
decode_how(const char *in, size_t len, const char *cs)
{
	int	eight, utf8;

	if (cs != NULL && (strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0))
		return (DEC_CLEAN);
	utf8 = valid_8bit_utf8(in, len, &eight);
	if (!eight && ascii_safe(cs))
		return (DEC_CLEAN);
	if (utf8 && (is_utf8_label(cs) || reply_text_is_single_byte(cs)))
		return (DEC_CLEAN);
	if (is_utf8_label(cs))
		return (DEC_CP1252);
	return (DEC_CHARSET);
}

/* decode - the charset step read HOW; sets *LATIN when read as windows-1252/ISO-8859-1 */
static int
decode(const char *in, size_t len, const char *cs, int how, struct strbuf *out, int *latin)
{
	*latin = how == DEC_CP1252 || (how == DEC_CHARSET && is_latin1_label(cs));
	if (how == DEC_CLEAN)
		return (reply_utf8_clean(in, len, out));
	return (reply_charset_to_utf8(how == DEC_CP1252 ? "windows-1252" : cs, in, len, out));
}

/* flowed_line - append one unwrapped line; *OPEN says a paragraph goes on */
static int
flowed_line(const char *l, size_t ll, int delsp, size_t *pdepth, int *open, struct strbuf *out)
{
	size_t	depth = 0, k;
	int	soft;

	while (depth < ll && l[depth] == '>')
		depth++;
	l += depth;
	ll -= depth;
	if (ll > 0 && l[0] == ' ')
		l++, ll--;			/* space-stuffing */
	soft = ll > 0 && l[ll - 1] == ' ' && !(ll == 3 && memcmp(l, "-- ", 3) == 0);
	if (*open && depth != *pdepth && strbuf_addc(out, '\n') < 0)
		return (-1);
	if (!*open || depth != *pdepth) {
		for (k = 0; k < depth; k++)
			if (strbuf_addc(out, '>') < 0)
				return (-1);
		if (depth > 0 && strbuf_addc(out, ' ') < 0)
			return (-1);
	}
	if (soft && delsp)
		ll--;
	if (strbuf_add(out, l, ll) < 0)
		return (-1);
	*pdepth = depth;
	*open = soft;
	return (soft ? 0 : strbuf_addc(out, '\n'));
}

/* unflow - RFC 3676 unwrapping of S into OUT */
static int
unflow(const char *s, size_t len, int delsp, struct strbuf *out)
{
	size_t	i = 0, depth = 0;
	int	open = 0;

	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t	e = nl ? (size_t) (nl - s) : len;

		if (flowed_line(s + i, e - i, delsp, &depth, &open, out) < 0)
			return (-1);
		i = e + 1;
	}
	if (out->len > 0 && out->data[out->len - 1] == '\n' && (len == 0 || s[len - 1] != '\n'))
		out->data[--out->len] = 0;
	return (strbuf_reserve(out, 0));
}

/* char_ref - the code point of the reference at S (LEN bytes), or -1; *N its length */
static int32_t
char_ref(const char *s, size_t len, size_t *n)
{
	static const struct {
		const char *name;
		int32_t	cp;
	} named[] = {
		{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}, {"nbsp;", 0xA0},
	};
	size_t	i, k, max = len < REPLY_TEXT_REF_MAX ? len : REPLY_TEXT_REF_MAX;
	int	hex;
	int32_t	cp = 0;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (max > strlen(named[i].name) && strncmp(s + 1, named[i].name, strlen(named[i].name)) == 0) {
			*n = 1 + strlen(named[i].name);
			return (named[i].cp);
		}
	if (max < 4 || s[1] != '#')
		return (-1);
	hex = s[2] == 'x' || s[2] == 'X';
	for (k = hex ? 3 : 2; k < max && s[k] != ';'; k++) {
		int	d = s[k] >= '0' && s[k] <= '9' ? s[k] - '0' : hex && (s[k] | 0x20) >= 'a'
		    && (s[k] | 0x20) <= 'f' ? (s[k] | 0x20) - 'a' + 10 : -1;

		if (d < 0 || cp > 0x10FFFF)
			return (-1);
		cp = cp * (hex ? 16 : 10) + d;
	}
	if (k >= max || k == (size_t) (hex ? 3 : 2) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)
	    || (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp < 0xA0))
		return (-1);
	*n = k + 1;
	return (cp);
}

/* unref - decode character references of S into OUT */
static int
unref(const char *s, size_t len, struct strbuf *out)
{
	size_t	i = 0, n, run = 0;
	int32_t	cp;

	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);

		if (amp == NULL)
			break;
		i = (size_t) (amp - s);
		if ((cp = char_ref(s + i, len - i, &n)) < 0) {
			i++;
			continue;
		}
		if (strbuf_add(out, s + run, i - run) < 0 || strbuf_addcp(out, cp) < 0)
			return (-1);
		i += n;
		run = i;
	}
	return (strbuf_add(out, s + run, len - run) < 0 ? -1 : strbuf_reserve(out, 0));
}

/* nfc_safe - a code point that is NFC and composes with nothing */
static int
nfc_safe(int32_t c)
{
	return (c < 0x300 || (c >= 0x400 && c <= 0x4FF) || (c >= 0x1E00 && c <= 0x1EFF)
		|| (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E)
		|| (c >= 0x20A0 && c <= 0x20C0) || (c >= 0x2190 && c <= 0x23FF)
		|| (c >= 0x2460 && c <= 0x27BF) || (c >= 0x2900 && c <= 0x2BFF)
		|| (c >= 0x3001 && c <= 0x3098) || (c >= 0x309B && c <= 0x30FF)
		|| (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xFF01 && c <= 0xFF5E)
		|| c == 0xFE0E || c == 0xFE0F || c == 0xFFFD || (c >= 0x1F000 && c <= 0x1FAFF));
}

/*
 * nfc_safe_letter - the bytes of the character at U (N bytes) when it is
 * one nfc_safe() holds, read without decoding: U+0080..U+02FF (Latin-1 to
 * the spacing modifiers) and U+1E00..U+1EFF (the Vietnamese letters);
 * 0 for the others (nfc_safe() decides)
 */
static size_t
nfc_safe_letter(const unsigned char *u, size_t n)
{
	if (n >= 2 && u[0] >= 0xC2 && u[0] <= 0xCB && (u[1] & 0xC0) == 0x80)
		return (2);
	if (n >= 3 && u[0] == 0xE1 && u[1] >= 0xB8 && u[1] <= 0xBB && (u[2] & 0xC0) == 0x80)
		return (3);
	return (0);
}

/* invisible - characters nobody sees, dropped from the text */
static int
invisible(int32_t c)
{
	return (c == 0x200C || c == 0x200E || c == 0x200F || c == 0xAD || c == 0xFEFF
		|| (c >= 0x2060 && c <= 0x2064) || (c >= 0x202A && c <= 0x202E)
		|| (c >= 0x2066 && c <= 0x2069) || c == 0x180E || c == 0x34F);
}

/* spacelike - characters that read as a space */
static int
spacelike(int32_t c)
{
	return (c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F
		|| c == 0x205F || c == 0x3000);
}

/* The ASCII bytes clean text holds as they are: printable, TAB, LF. */
static const unsigned char clean_ascii[256] = {
	['\t'] = 1, ['\n'] = 1,
	[0x20] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/*
 * clean_peek - the character of the cleaned text (reply_utf8_clean())
 * that starts at or after byte I of U (LEN): C0 and C1 controls other
 * than TAB and LF are skipped, CR is LF, an invalid sequence U+FFFD;
 * 0 at the end
 */
static int32_t
clean_peek(const unsigned char *u, size_t len, size_t i)
{
	size_t	adv;
	int32_t	c;

	for (; i < len; i += adv) {
		if (u[i] < 0x80) {
			adv = 1;
			if (u[i] == '\r')
				return ('\n');
			if ((u[i] >= 0x20 && u[i] < 0x7F) || u[i] == '\n' || u[i] == '\t')
				return (u[i]);
			continue;
		}
		c = reply_utf8_next(u + i, len - i, &adv);
		if (c < 0)
			return (0xFFFD);
		if (c >= 0xA0)
			return (c);
	}
	return (0);
}

/*
 * fix - what the cleaning does to the byte or sequence at U[I] that
 * clean text would not hold (a control, CR, an invalid sequence),
 * appended to OUT; the bytes it takes in *ADV, the character written
 * (0 none) in *C
 */
static int
fix(const unsigned char *u, size_t len, size_t i, struct strbuf *out, size_t *adv, int32_t *c)
{
	*c = 0;
	*adv = 1;
	if (u[i] == '\r') {
		*adv = i + 1 < len && u[i + 1] == '\n' ? 2 : 1;
		*c = '\n';
		return (strbuf_addc(out, '\n'));
	}
	if (u[i] < 0x80)
		return (0);			/* C0 controls and DEL are dropped */
	if (reply_utf8_next(u + i, len - i, adv) >= 0)
		return (0);			/* C1 controls are dropped */
	*c = 0xFFFD;
	return (strbuf_add(out, "\xef\xbf\xbd", 3));
}

/*
 * latin_letter - the bytes of the character at U (N bytes) and, in *C,
 * its code point, when it is a letter clean text holds as it is, read
 * without the general decoding: U+00C0..U+02FF (two bytes, C3..CB and a
 * continuation: past NBSP and the soft hyphen, before the combining
 * marks) and U+1E00..U+1EFF (the Vietnamese letters); 0 for the others
 */
static inline size_t
latin_letter(const unsigned char *u, size_t n, int32_t *c)
{
	if (n >= 2 && u[0] >= 0xC3 && u[0] <= 0xCB && (u[1] & 0xC0) == 0x80) {
		*c = (int32_t) ((u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu));
		return (2);
	}
	if (n >= 3 && u[0] == 0xE1 && u[1] >= 0xB8 && u[1] <= 0xBB && (u[2] & 0xC0) == 0x80) {
		*c = (int32_t) (0x1000u | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu));
		return (3);
	}
	return (0);
}

/*
 * reply_text_final - in one pass, what reply_utf8_clean() then the
 * removal of invisible characters would write: S need not be clean
 */
int
reply_text_final(const char *s, size_t len, struct strbuf *out)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t	i = 0, adv, run = 0;
	int32_t	c, prev = 0, next;

	if (strbuf_reserve(out, len) < 0)
		return (-1);
	while (i < len) {
		if (clean_ascii[u[i]]) {
			/* a run of ASCII that stays as it is */
			while (++i < len && clean_ascii[u[i]])
				;
			prev = u[i - 1];
			continue;
		}
		if ((adv = latin_letter(u + i, len - i, &c)) > 0) {
			prev = c;		/* a letter with marks: as it is */
			i += adv;
			continue;
		}
		c = u[i] < 0x80 ? -1 : reply_utf8_next(u + i, len - i, &adv);
		if (c < 0xA0) {
			/* not clean text: flush the run, then what cleaning writes */
			if (strbuf_add(out, s + run, i - run) < 0 || fix(u, len, i, out, &adv, &c) < 0)
				return (-1);
			if (c != 0)
				prev = c;
			i += adv;
			run = i;
			continue;
		}
		if (c < 0x2000 && c != 0xA0 && c != 0xAD && c != 0x34F && c != 0x1680 && c != 0x180E) {
			prev = c;		/* most letters: neither invisible nor a space */
			i += adv;
			continue;
		}
		/* the next character matters only to the two zero-width ones */
		next = c == 0x200B || c == 0x200D ? clean_peek(u, len, i + adv) : 0;
		/* a zero-width space between two words is the space between them */
		if (c == 0x200B)
			c = prev == ' ' || next == ' ' || prev == '\n' || next == '\n' || prev == 0 || next == 0
			    ? 0xFEFF : 0x2000;
		if (invisible(c) || spacelike(c) || (c == 0x200D && (prev < 0x2000 || next < 0x2000))) {
			if (strbuf_add(out, s + run, i - run) < 0
			    || (spacelike(c) && strbuf_addc(out, ' ') < 0))
				return (-1);
			run = i + adv;
		}
		prev = c;
		i += adv;
	}
	if (strbuf_add(out, s + run, len - run) < 0)
		return (-1);
	return (strbuf_reserve(out, 0));
}

int
reply_text_nfc(const char *s, size_t len, struct strbuf *out)
{
	const unsigned char *u = (const unsigned char *) s;
	struct reply_norm n;
	size_t	i = 0, adv;
	int	r;

	while (i < len) {
		if (u[i] < 0x80)
			i++;
		else if ((adv = nfc_safe_letter(u + i, len - i)) > 0)
			i += adv;
		else if (nfc_safe(reply_utf8_next(u + i, len - i, &adv)))
			i += adv;
		else
			break;
	}
	if (i == len)
		return (strbuf_add(out, s, len) < 0 ? -1 : strbuf_reserve(out, 0));
	reply_norm_init(&n);
	r = reply_norm(&n, s, len, 0, out);
	reply_norm_free(&n);
	return (r < 0 ? -1 : strbuf_reserve(out, 0));
}

int
reply_text_canon(const char *in, size_t len, const struct reply_text_src *src,
		 struct strbuf *out)
{
	struct strbuf a, b;
	int	latin = 0, r, ret = -1, how = decode_how(in, len, src->charset);

	/* UTF-8 that needs no other step: cleaned and finished in one pass */
	if (how == DEC_CLEAN && !src->flowed && !(src->plain && memchr(in, '&', len) != NULL))
		return (reply_text_final(in, len, out));
	strbuf_init(&a);
	strbuf_init(&b);
	if (decode(in, len, src->charset, how, &a, &latin) < 0)
		goto fail;
	/* a legacy font under a Latin-1 label: VNI, else TCVN3 */
	if (latin && ((r = reply_viet_vni_repair(a.data ? a.data : "", a.len, &b)) != 0
		      || (r = reply_tcvn_repair(a.data ? a.data : "", a.len, &b)) != 0)) {
		if (r < 0)
			goto fail;
		strbuf_free(&a);
		a = b;
		strbuf_init(&b);
	}
	if (src->flowed) {
		if (unflow(a.data ? a.data : "", a.len, src->delsp, &b) < 0)
			goto fail;
		strbuf_free(&a);
		a = b;
		strbuf_init(&b);
	}
	if (src->plain && a.len > 0 && memchr(a.data, '&', a.len) != NULL) {
		if (unref(a.data, a.len, &b) < 0)
			goto fail;
		strbuf_free(&a);
		a = b;
		strbuf_init(&b);
	}
	ret = reply_text_final(a.data ? a.data : "", a.len, out);
fail:
	strbuf_free(&a);
	strbuf_free(&b);
	return (ret);
}
