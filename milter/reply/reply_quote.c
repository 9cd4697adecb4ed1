/*
 * NAME
 *	reply_quote 3
 * SUMMARY
 *	cut a reply body at the first quote boundary
 * SYNOPSIS
 *	#include "reply_quote.h"
 * DESCRIPTION
 *	See reply_quote.h. Each line is examined through its "key": the
 *	diacritics-free, case-folded form with blanks collapsed
 *	(reply_key()). Keys are computed once per
 *	line into a three-slot ring (an attribution looks ahead at most two
 *	lines), so a long quoted tail after the boundary costs nothing:
 *	we stop at the first boundary.
 *
 *	Attribution patterns come in two kinds. Those anchored on their
 *	first word ("On", "Vào", "Le", "Am", ...) may span up to three
 *	lines, as Gmail wraps them. Those recognised only by their final
 *	verb ("... đã viết:", "... wrote:") are tried on one line and need
 *	a digit or an "@" in the line, or a ">" line right after, because
 *	a customer may well end a sentence with "wrote:".
 *
 *	The Vietnamese Outlook label "Từ:" ("From:") is the first word of
 *	"Từ chối": a header block needs the colon right after the label
 *	and at least two consecutive label lines, one a From label.
 * DIAGNOSTICS
 *	reply_quote_new() reports pattern compilation errors in ERR.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "footer.h"
#include "reply_key.h"
#include "rx.h"
#include "utf8.h"
#include "reply_quote.h"

#define WROTE_VERBS \
	"wrote|writes|da viet(?:\\s+vao\\s+luc\\b.{0,80})?|a ecrit|schrieb|schreef" \
	"|escribio|escreveu|ha scritto|kirjoitti|skrev(?:\\s+f(?:o|ø)lgende)?" \
	"|napisa(?:l|ł)(?:a|\\(a\\))?|написал(?:а|\\(а\\))?|написав(?:ла)?|пишет"

static const char pat_attr_start[] =
	"^[-_=]{0,6}\\s*(?:on|vao|le|am|op|el|em|il|den|w dniu|dnia|pa|kl\\.)\\b.{0,300}?\\b(?:"
	WROTE_VERBS ")\\b(?:[^:]{0,160}[:：])?\\s*[-_=]{0,6}$"
	"|^-{3,}\\s*\\S.{0,200}?\\b(?:wrote|da viet|schrieb|a ecrit)\\s*:?\\s*-{3,}$"
	"|^(?:在|於).{0,200}(?:写道|寫道)\\s*[:：]$"
	"|^(?:le )?message du\\s*:.{0,80}\\d.{0,80}$"
	"|^\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2},?\\s+\\d{1,2}:\\d{2}(?::\\d{2})?\\s+(?:gmt|utc)?\\s*[+-]\\d{2}:?\\d{2}\\s+\\S.{0,200}$"
	"|^\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}\\b.{0,200}@.{0,100}$";

/* A verb of writing anywhere in the line (see boundary() for the rest). */
static const char pat_attr_end[] =
	"\\b(?:" WROTE_VERBS "|пише|kirjoitti)\\b"
	"|(?:写道|寫道)\\s*[:：]$";

/* Date first, address, final colon: "30.09.2017, 18.30, "A" <a@b>:". */
static const char pat_attr_generic[] =
	"^(?=.{0,30}\\d).{0,300}@.{0,120}[:：]\\s*$";

static const char pat_separator[] =
	"^[-_=*~ ]{2,}\\s*(?:original message|original mail|forwarded message|forwarded mail"
	"|thu goc|tin nhan goc|tin nhan da duoc chuyen tiep|thu chuyen tiep|thu da chuyen tiep"
	"|ursprungliche nachricht|weitergeleitete nachricht|message d'origine|message original"
	"|message transfere|messaggio originale|messaggio inoltrato|mensaje original"
	"|mensaje reenviado|mensagem original|mensagem encaminhada|oorspronkelijk bericht"
	"|doorgestuurd bericht|original meddelande|vidarebefordrat meddelande"
	"|oprindelig (?:besked|meddelelse)|videresendt (?:besked|meddelelse)"
	"|opprinnelig melding|videresendt melding|alkuperainen viesti|valitetty viesti"
	"|wiadomosc oryginalna|oryginalna wiadomosc|wiadomosc przekazana"
	"|исходное сообщение|пересылаемое сообщение|оригинальное сообщение|переслано"
	"|原始邮件|原始郵件|转发的邮件|轉寄郵件)\\s*:?\\s*[-_=*~ ]*$"
	"|^(?:begin forwarded message|forwarded message|original message)\\s*:$"
	"|^_{2,}$";

#define LABELS_FROM \
	"from|tu|von|de|da|van|fra|fran|от|od|lahettaja|发件人|寄件者|差出人"
static const char pat_label[] =
	"^\\*?\\s*(?:(" LABELS_FROM ")|sent|to|cc|bcc|subject|date|reply-to|da gui|gui|gui luc"
	"|den|chu de|tieu de|ngay|ngay gui|gesendet|an|betreff|datum|envoye|a|objet"
	"|inviato|oggetto|data|risposta|verzonden|aan|onderwerp|verstuurd|sendt|skickat|till|til|envoye le"
	"|emne|amne|отправлено|кому|тема|дата|копия|wyslano|wysłano|do|temat|enviado"
	"|enviada|para|asunto|assunto|lahetetty|vastaanottaja|aihe|收件人|发送时间|主题|日期"
	"|收件者|主旨|送信日時|宛先|件名)\\s*\\*?\\s*[:：]";

static const char pat_mobile[] =
	"^(?:sent (?:from|with|via|using) .{1,80}"
	"|(?:duoc |da )?gui tu (?:iphone|ipad|android|samsung|dien thoai|thiet bi|ung dung|mail"
	"|outlook|yahoo|gmail|may tinh bang|di dong|thu cho windows).{0,60}"
	"|get outlook for .{0,60}|get \\[outlook for .{0,60}|(?:nhan|tai) outlook cho .{0,60}"
	"|envoye (?:de|depuis) (?:mon|ma) .{0,40}|von meinem .{0,40}gesendet.{0,40}"
	"|diese nachricht wurde von meinem .{0,80}gesendet\\.?"
	"|enviado (?:desde|do|de) (?:mi|meu|o meu) .{0,40}|inviato da(?:l mio)? .{0,40}"
	"|verzonden (?:met|vanaf|van) .{0,40}|skickat fran .{0,40}|sendt fra .{0,40}"
	"|lahetetty .{0,40}|wyslane z .{0,40}|отправлено с .{0,40}|gesendet von .{0,60}"
	"|envoye a partir de .{0,60}|sent from outlook.{0,60}"
	"|\\(sent from .{1,40}\\)|<<sent by .{1,40}>>"
	"|(?:从|從)我的.{1,20}(?:发送|傳送|送出))$";

enum { P_ATTR_START, P_ATTR_END, P_ATTR_GENERIC, P_SEPARATOR, P_LABEL, P_MOBILE, P_COUNT };

struct reply_quote {
	pcre2_code *p[P_COUNT];
	char  **fp;			/* footer fingerprints */
	size_t	nfp;
};

struct reply_quote *
reply_quote_new(const char *const *fingerprints, size_t n, char *err, size_t errlen)
{
	static const char *const pats[P_COUNT] = {
		pat_attr_start, pat_attr_end, pat_attr_generic, pat_separator, pat_label,
		pat_mobile
	};
	struct reply_quote *q;
	size_t	i;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	for (i = 0; i < P_COUNT; i++)
		if ((q->p[i] = rx_compile(pats[i], "quote pattern", err, errlen)) == NULL)
			goto fail;
	if ((q->fp = calloc(n + 2, sizeof(char *))) == NULL)
		goto oom;
	if ((q->fp[q->nfp++] = strdup(FOOTER_FP_VI)) == NULL
	    || (q->fp[q->nfp++] = strdup(FOOTER_FP_EN)) == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		if (fingerprints[i] == NULL || *fingerprints[i] == 0)
			continue;
		if ((q->fp[q->nfp++] = strdup(fingerprints[i])) == NULL)
			goto oom;
	}
	return (q);
oom:
	snprintf(err, errlen, "out of memory");
fail:
	reply_quote_free(q);
	return (NULL);
}

void
reply_quote_free(struct reply_quote *q)
{
	size_t	i;

	if (q == NULL)
		return;
	for (i = 0; i < P_COUNT; i++)
		pcre2_code_free(q->p[i]);
	for (i = 0; i < q->nfp; i++)
		free(q->fp[i]);
	free(q->fp);
	free(q);
}

void
reply_quote_result_free(struct reply_quote_result *res)
{
	strbuf_free(&res->text);
}

/* Words an attribution starts with (pat_attr_start), and the verbs of
 * writing (pat_attr_end): the literal prefilters of the two patterns. */
static const char *const attr_first[] = {
	"on", "vao", "le", "am", "op", "el", "em", "il", "den", "w", "dnia", "pa", "kl.", "message", NULL
};
static const char *const attr_verbs[] = {
	"wrote", "writes", "viet", "ecrit", "schrieb", "schreef", "escribio", "escreveu", "scritto",
	"kirjoitti", "skrev", "napisa", "\xd0\xbd\xd0\xb0\xd0\xbf\xd0\xb8\xd1\x81\xd0\xb0", "\xd0\xbf\xd0\xb8\xd1\x88",
	"\xe5\x86\x99\xe9\x81\x93", "\xe5\xaf\xab\xe9\x81\x93", NULL
};

/*
 * may_match - a cheap test of line key S (LEN): 0 when pattern WHICH
 * cannot match it, so that most lines of a reply never reach PCRE2
 */
static int
may_match(int which, const char *s, size_t len)
{
	size_t	i, w;
	unsigned char c0 = len ? (unsigned char) s[0] : 0;

	switch (which) {
	case P_SEPARATOR:
		return (len > 0 && (strchr("-_=*~ ", c0) != NULL || c0 == 'b' || c0 == 'f' || c0 == 'o'));
	case P_MOBILE:
		return (len > 0 && (strchr("sdgntevilw(<", c0) != NULL || c0 >= 0x80));
	case P_ATTR_GENERIC:
		return (memchr(s, '@', len) != NULL && (s[len - 1] == ':' || len >= 3));
	case P_ATTR_START:
		if (c0 == '-' || c0 == '_' || c0 == '=' || (c0 >= '0' && c0 <= '9') || c0 >= 0x80)
			return (1);
		w = strcspn(s, " ,");
		for (i = 0; attr_first[i]; i++)
			if (strlen(attr_first[i]) == w && strncmp(s, attr_first[i], w) == 0)
				return (1);
		return (0);
	case P_ATTR_END:
		for (i = 0; attr_verbs[i]; i++)
			if (memmem(s, len, attr_verbs[i], strlen(attr_verbs[i])) != NULL)
				return (1);
		return (0);
	case P_LABEL:
		return (memchr(s, ':', len < 48 ? len : 48) != NULL || memmem(s, len, "\xef\xbc\x9a", 3) != NULL);
	default:
		return (1);
	}
}

/* Per-call state: line table and the key ring. */
struct cut {
	const struct reply_quote *q;
	const char *text;
	size_t	nlines;
	size_t *start;			/* line I is text[start[I] .. end[I]) */
	size_t *end;
	struct strbuf key[REPLY_QUOTE_ATTR_LINES];
	size_t	keyline[REPLY_QUOTE_ATTR_LINES];
	struct strbuf join;
	pcre2_match_data *md;
	int	oom;
	char   *kind;			/* K_* of each line */
	size_t	first_quote, hard;	/* first quoted line, the hard boundary */
	int	top_text, after_text;	/* text before / after the first quote */
	int	requote;		/* quotes again after text: inline answers */
	enum reply_quote_at b;		/* the boundary that ended the text */
};

static const char *
key(struct cut *c, size_t i, size_t *len)
{
	size_t	slot = i % REPLY_QUOTE_ATTR_LINES;
	size_t	ll = c->end[i] - c->start[i];

	if (c->keyline[slot] != i + 1) {
		strbuf_reset(&c->key[slot]);
		if (ll > REPLY_QUOTE_LINE_MAX)
			ll = 0;
		if (reply_key(c->text + c->start[i], ll, &c->key[slot]) < 0
		    || strbuf_reserve(&c->key[slot], 0) < 0) {
			c->oom = 1;
			*len = 0;
			return ("");
		}
		c->keyline[slot] = i + 1;
	}
	*len = c->key[slot].len;
	return (c->key[slot].data);
}

static int
match(struct cut *c, int which, const char *s, size_t len)
{
	return (may_match(which, s, len)
		&& pcre2_match(c->q->p[which], (PCRE2_SPTR) s, len, 0, 0, c->md, NULL) >= 0);
}

static int
is_blank(const struct cut *c, size_t i)
{
	size_t	k;

	for (k = c->start[i]; k < c->end[i]; k++)
		if (c->text[k] != ' ' && c->text[k] != '\t')
			return (0);
	return (1);
}

/* A ">" line, also Supercite style ("C> text", up to 3 letters). */
static int
is_quote(const struct cut *c, size_t i)
{
	size_t	k = c->start[i], e = c->end[i], letters = 0;

	while (k < e && k < c->start[i] + 3 && (c->text[k] == ' ' || c->text[k] == '\t'))
		k++;
	while (k < e && letters < 3 && ((c->text[k] >= 'A' && c->text[k] <= 'Z')
					|| (c->text[k] >= 'a' && c->text[k] <= 'z'))) {
		k++;
		letters++;
	}
	if (k >= e || c->text[k] != '>')
		return (0);
	return (letters == 0 || k + 1 == e || c->text[k + 1] == ' ' || c->text[k + 1] == '>');
}

/* A line of separator characters only ("-----", "_____", "*****"). */
static int
is_rule(const struct cut *c, size_t i)
{
	size_t	k, n = 0;

	for (k = c->start[i]; k < c->end[i]; k++) {
		char	ch = c->text[k];

		if (ch == ' ' || ch == '\t')
			continue;
		if (ch != '-' && ch != '_' && ch != '=' && ch != '*' && ch != '~' && ch != '#')
			return (0);
		n++;
	}
	return (n > 0);
}

/* Gmail's tracking mark U+1427 alone on a line. */
static int
gmail_mark(const struct cut *c, size_t i)
{
	size_t	k = c->start[i], e = c->end[i];

	while (k < e && (c->text[k] == ' ' || c->text[k] == '\t'))
		k++;
	while (e > k && (c->text[e - 1] == ' ' || c->text[e - 1] == '\t'))
		e--;
	return (e - k == 3 && memcmp(c->text + k, "\xe1\x90\xa7", 3) == 0);
}

static int
has_fingerprint(const struct cut *c, const char *s)
{
	size_t	k;

	for (k = 0; k < c->q->nfp; k++)
		if (strstr(s, c->q->fp[k]) != NULL)
			return (1);
	return (0);
}

/* Whether line I starts an Outlook header block: a label line, then
 * at least one more among the next few non-blank lines (a long From
 * may wrap), one of them a From label. */
static int
outlook_block(struct cut *c, size_t i)
{
	size_t	len, j, n = 0;
	int	from = 0;
	const char *k;

	for (j = i; j < c->nlines && j < i + REPLY_QUOTE_HDR_LINES && !is_blank(c, j); j++) {
		int	rc;

		k = key(c, j, &len);
		rc = may_match(P_LABEL, k, len) ? pcre2_match(c->q->p[P_LABEL], (PCRE2_SPTR) k, len, 0, 0,
							     c->md, NULL) : -1;
		if (rc < 0) {
			if (j == i)
				return (0);
			continue;
		}
		if (rc >= 2 && pcre2_get_ovector_pointer(c->md)[2] != PCRE2_UNSET)
			from = 1;
		n++;
	}
	return (n >= 2 && from);
}

static int
next_is_quote(const struct cut *c, size_t i)
{
	size_t	j;

	for (j = i + 1; j < c->nlines && is_blank(c, j); j++)
		;
	return (j < c->nlines && is_quote(c, j));
}

/* footer_at - our footer at line I, or over lines I and I+1 (*SPAN 2) */
static int
footer_at(struct cut *c, size_t i, size_t *span)
{
	size_t	len, len2;
	const char *k = key(c, i, &len), *k2;

	if (has_fingerprint(c, k))
		return (1);
	if (i + 1 >= c->nlines || is_blank(c, i + 1))
		return (0);
	strbuf_reset(&c->join);
	if (strbuf_add(&c->join, k, len) < 0 || strbuf_addc(&c->join, ' ') < 0)
		goto oom;
	k2 = key(c, i + 1, &len2);
	if (strbuf_add(&c->join, k2, len2) < 0)
		goto oom;
	if (!has_fingerprint(c, k2) && has_fingerprint(c, c->join.data)) {
		*span = 2;
		return (1);
	}
	return (0);
oom:
	c->oom = 1;
	return (0);
}

/* one_line_attr - "... wrote:" on line I: with a date or address, or before a quote */
static int
one_line_attr(struct cut *c, size_t i, const char *k, size_t len)
{
	int	colon = len > 0 && (k[len - 1] == ':' || strstr(k, "：") != NULL);
	int	quote = next_is_quote(c, i);

	return (((colon && (quote || strpbrk(k, "0123456789@") != NULL))
		 || (quote && strpbrk(k, "0123456789@<") != NULL)) && match(c, P_ATTR_END, k, len));
}

/*
 * wrapped_attr - an attribution from line I wrapped over up to three
 * lines (*SPAN). Those without a first word to anchor on wrap only when
 * the first line already looks like one (a date first, an address), so
 * that a customer's line before the attribution is never swallowed.
 */
static int
wrapped_attr(struct cut *c, size_t i, size_t *span)
{
	size_t	len, len2, n, l1;
	const char *k = key(c, i, &len), *ks;
	int	first = (len > 0 && k[0] >= '0' && k[0] <= '9') || memchr(k, '@', len) != NULL
	    || memchr(k, '<', len) != NULL;

	if (!first && i + 1 < c->nlines)
		first = (ks = key(c, i + 1, &l1)) != NULL && l1 > 0 && ks[0] == '<';	/* address wrapped */
	strbuf_reset(&c->join);
	for (n = 0; n < REPLY_QUOTE_ATTR_LINES && i + n < c->nlines; n++) {
		if (n > 0 && (is_blank(c, i + n) || is_quote(c, i + n)))
			break;
		ks = key(c, i + n, &len2);
		if ((n > 0 && strbuf_addc(&c->join, ' ') < 0) || strbuf_add(&c->join, ks, len2) < 0) {
			c->oom = 1;
			return (0);
		}
		if (c->join.len > REPLY_QUOTE_ATTR_MAX)
			break;
		*span = n + 1;
		if (match(c, P_ATTR_START, c->join.data, c->join.len))
			return (1);
		if (n > 0 && !first)
			continue;
		if (match(c, P_ATTR_GENERIC, c->join.data, c->join.len))
			return (1);
		if (n > 0 && memchr(c->join.data, '@', c->join.len) != NULL
		    && len2 > 0 && ks[len2 - 1] == ':' && match(c, P_ATTR_END, c->join.data, c->join.len))
			return (1);
	}
	*span = 1;
	return (0);
}

/* boundary - the boundary starting at line I; *SPAN, the lines it takes */
static enum reply_quote_at
boundary(struct cut *c, size_t i, size_t *span)
{
	size_t	len;
	const char *k = key(c, i, &len);

	*span = 1;
	if (len == 0 || c->end[i] - c->start[i] > REPLY_QUOTE_LINE_MAX)
		return (RQ_NONE);
	if (footer_at(c, i, span))
		return (RQ_FOOTER);
	k = key(c, i, &len);
	if (len == 2 && k[0] == '-' && k[1] == '-')
		return (RQ_SIGNATURE);
	if (match(c, P_SEPARATOR, k, len))
		return (RQ_SEPARATOR);
	if (match(c, P_MOBILE, k, len))
		return (RQ_MOBILE_SIGNATURE);
	if (one_line_attr(c, i, k, len) || wrapped_attr(c, i, span))
		return (RQ_ATTRIBUTION);
	if (outlook_block(c, i))
		return (RQ_OUTLOOK_HEADER);
	return (RQ_NONE);
}

/*
 * wrapped_tail - whether line I is the rest of quoted line I-1 that a
 * client wrapped without quoting it again: that line is long (in
 * characters) and ends mid-sentence, and I starts in lower case
 */
static int
wrapped_tail(const struct cut *c, size_t i)
{
	size_t	k, chars = 0, e = c->end[i - 1], adv;
	unsigned char last = 0;
	int32_t	first;

	for (k = c->start[i - 1]; k < e; k++)
		chars += ((unsigned char) c->text[k] & 0xC0) != 0x80;
	while (e > c->start[i - 1] && c->text[e - 1] == ' ')
		e--;
	if (e > c->start[i - 1])
		last = (unsigned char) c->text[e - 1];
	for (k = c->start[i]; k < c->end[i] && c->text[k] == ' '; k++)
		;
	first = k < c->end[i] ? utf8_decode((const unsigned char *) c->text + k, c->end[i] - k, &adv) : 0;
	return (chars >= REPLY_QUOTE_WRAP_MIN && (last == 0 || strchr("?!:;", last) == NULL)
		&& first > 0 && utf8proc_category(first) == UTF8PROC_CATEGORY_LL);
}

/* footer_after - whether our footer appears at line I or after it */
static int
footer_after(struct cut *c, size_t i)
{
	size_t	len;

	for (; i < c->nlines; i++)
		if (!is_blank(c, i) && has_fingerprint(c, key(c, i, &len)))
			return (1);
	return (0);
}

/* Line kinds found by the scan. */
#define K_TEXT	't'
#define K_BLANK	'b'
#define K_QUOTE	'q'			/* ">" line or an attribution */
#define K_FOOTER 'f'			/* our footer, pasted without quoting */

/*
 * footer_tail - lines after our pasted footer that are still ours: the
 * other sentence, the contact lines (digits, "@"); not the customer's
 * "=> Từ chối" under it
 */
static size_t
footer_tail(struct cut *c, size_t j)
{
	size_t	n = 0, len;
	const char *k;

	for (; j < c->nlines && !is_blank(c, j); j++, n++) {
		k = key(c, j, &len);
		if (!has_fingerprint(c, k) && strpbrk(k, "0123456789@") == NULL)
			break;
	}
	return (n);
}

/* Append the lines of [FROM, TO) whose kind is text or blank. */
static int
emit_lines(struct cut *c, const char *kind, size_t from, size_t to, struct strbuf *out)
{
	size_t	i;
	int	any = 0;

	while (from < to && kind[from] != K_TEXT)
		from++;
	while (to > from && (kind[to - 1] != K_TEXT || is_rule(c, to - 1) || gmail_mark(c, to - 1)))
		to--;
	for (i = from; i < to; i++) {
		if (kind[i] == K_QUOTE || kind[i] == K_FOOTER)
			continue;
		if (any && strbuf_addc(out, '\n') < 0)
			return (-1);
		if (strbuf_add(out, c->text + c->start[i], c->end[i] - c->start[i]) < 0)
			return (-1);
		any = 1;
	}
	return (strbuf_reserve(out, 0));
}

/* cut_lines - the line table of C's text (LEN) */
static int
cut_lines(struct cut *c, size_t len)
{
	size_t	n, i, pos;

	for (n = 1, i = 0; i < len; i++)
		if (c->text[i] == '\n')
			n++;
	if (n > REPLY_QUOTE_MAX_LINES)
		n = REPLY_QUOTE_MAX_LINES;
	if ((c->start = malloc(n * sizeof(size_t))) == NULL || (c->end = malloc(n * sizeof(size_t))) == NULL
	    || (c->kind = malloc(n + 1)) == NULL)
		return (-1);
	for (pos = 0, c->nlines = 0; c->nlines < n && pos <= len; c->nlines++) {
		const char *nl = memchr(c->text + pos, '\n', len - pos);
		size_t	e = nl ? (size_t) (nl - c->text) : len;

		c->start[c->nlines] = pos;
		c->end[c->nlines] = e;
		if (nl == NULL) {
			c->nlines++;
			break;
		}
		pos = e + 1;
	}
	return (0);
}

/* quoted - lines I..I+SPAN are quoted (or our footer, by B) */
static void
quoted(struct cut *c, size_t i, size_t span, enum reply_quote_at b)
{
	size_t	j;

	for (j = i; j < i + span && j < c->nlines; j++)
		c->kind[j] = b == RQ_FOOTER ? K_FOOTER : K_QUOTE;
	if (c->first_quote == (size_t) -1)
		c->first_quote = i;
	if (c->after_text)
		c->requote = 1;
}

/*
 * cut_scan - the kind of every line up to the hard boundary (C->hard),
 * and the boundary found (C->b). An attribution before any text, or
 * followed by ">" lines, counts as quoted: text after its quote is a
 * bottom-posted or an inline reply. Our footer ends the customer's
 * text, unless it comes first: then the customer pasted our
 * instruction and answered under it ("=> Từ chối"). An attribution
 * without ">" lines after it is Yahoo's or Zoho's, the original
 * following unquoted: nothing after it is new when our footer is there.
 */
static int
cut_scan(struct cut *c)
{
	size_t	i, span;
	enum reply_quote_at b;

	for (c->hard = c->nlines, i = 0; i < c->nlines; i++) {
		int	first = !c->top_text && !c->after_text;

		if (is_quote(c, i) || is_blank(c, i)) {
			if (is_blank(c, i))
				c->kind[i] = K_BLANK;
			else
				quoted(c, i, 1, RQ_QUOTE);
			continue;
		}
		if ((b = boundary(c, i, &span)) == RQ_FOOTER && first)
			span += footer_tail(c, i + span);
		if (c->oom)
			return (-1);
		if ((b == RQ_FOOTER && first) || (b == RQ_ATTRIBUTION && (next_is_quote(c, i + span - 1)
					|| (first && !footer_after(c, i + span))))) {
			quoted(c, i, span, b);
			i += span - 1;
			continue;
		}
		c->b = b;
		if (b != RQ_NONE) {
			c->hard = i;
			break;
		}
		/* a line right after a long quoted one is its wrapped tail */
		if (i > 0 && c->kind[i - 1] == K_QUOTE && c->first_quote != (size_t) -1 && wrapped_tail(c, i)) {
			c->kind[i] = K_QUOTE;
			continue;
		}
		c->kind[i] = K_TEXT;
		*(c->first_quote == (size_t) -1 ? &c->top_text : &c->after_text) = 1;
	}
	return (0);
}

/* cut_result - RES from the scan of C (text of LEN) */
static int
cut_result(struct cut *c, size_t len, struct reply_quote_result *res)
{
	size_t	cut = c->hard;

	if (!c->after_text) {
		/* top posting, or nothing but quotes */
		if (c->first_quote != (size_t) -1 && c->first_quote < cut) {
			cut = c->first_quote;
			c->b = RQ_QUOTE;
		}
		res->at = c->b == RQ_NONE ? RQ_END : c->b;
		res->had_quote = c->b != RQ_NONE;
	} else {
		/* text after quotes: bottom posting, or inline answers */
		res->had_quote = 1;
		res->inline_reply = c->top_text || c->requote;
		res->at = res->inline_reply ? RQ_INLINE_REPLY : RQ_BOTTOM_POST;
	}
	res->cut = cut < c->nlines ? c->start[cut] : len;
	return (emit_lines(c, c->kind, 0, cut, &res->text));
}

int
reply_quote_cut(const struct reply_quote *q, const char *text, size_t len,
		struct reply_quote_result *res)
{
	struct cut c;
	size_t	i;
	int	ret = -1;

	memset(res, 0, sizeof(*res));
	strbuf_init(&res->text);
	memset(&c, 0, sizeof(c));
	c.q = q;
	c.text = text;
	c.first_quote = (size_t) -1;
	for (i = 0; i < REPLY_QUOTE_ATTR_LINES; i++)
		strbuf_init(&c.key[i]);
	strbuf_init(&c.join);
	if ((c.md = pcre2_match_data_create(8, NULL)) != NULL && cut_lines(&c, len) == 0
	    && cut_scan(&c) == 0 && cut_result(&c, len, res) == 0)
		ret = 0;
	free(c.kind);
	free(c.start);
	free(c.end);
	pcre2_match_data_free(c.md);
	for (i = 0; i < REPLY_QUOTE_ATTR_LINES; i++)
		strbuf_free(&c.key[i]);
	strbuf_free(&c.join);
	if (ret < 0)
		reply_quote_result_free(res);
	return (ret);
}

const char *
reply_quote_at_name(enum reply_quote_at at)
{
	static const char *const name[] = {
		"none", "end", "quote", "attribution", "separator", "outlook_header", "signature",
		"mobile_signature", "footer", "inline_reply", "bottom_post"
	};

	return (at <= RQ_BOTTOM_POST ? name[at] : "none");
}
