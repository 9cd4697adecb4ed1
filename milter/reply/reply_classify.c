/*
 * NAME
 *	reply_classify 3
 * SUMMARY
 *	is the customer's new text a refusal, a question, or both?
 * SYNOPSIS
 *	#include "reply_classify.h"
 * DESCRIPTION
 *	See reply_classify.h. The built-in patterns are written for the
 *	diacritics-free, case-folded key of a segment (reply_norm() with
 *	REPLY_NORM_STRIP): "Từ chối", "TỪ CHỐI", NFD "Từ chối" and
 *	"tu choi" all become "tu choi". Every pattern is anchored at both
 *	ends: a command must be the whole segment, which is what rules out
 *	the passive, the negation, the disclaimer and the question about
 *	a refused payment without a list of exceptions that could never
 *	be complete.
 * DIAGNOSTICS
 *	reply_classify_new() names the pattern that does not compile.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rx.h"
#include "text.h"
#include "strbuf.h"
#include "reply_classify.h"
#include "reply_norm.h"

/* Who speaks and how politely, before the verb. */
#define LEAD "^(?:(?:xin|xin phep|vui long|lam on|lam on cho|cho|toi|em|minh|chung toi" \
	"|chung em|anh|chi|tui|con|chau|ong|ba|co|chu|bac|muon|xin duoc|can|yeu cau" \
	"|de nghi|please|i|we|i want to|i would like to|kindly"			\
	"|tu nay|tu nay ve sau|tu nay tro di|tu gio|tu gio tro di|tu bay gio|sau nay"	\
	"|from now on)\\s+)*"
/* What is refused. */
#define OBJ "(?:\\s+(?:nhan|email|emails|e-mail|mail|mails|thu|dien tu|tin|tin nhan|thong tin" \
	"|thong bao|quang cao|khuyen mai|khao sat|nua|them|tu|cua|links|cong ty|ben|ban|cac" \
	"|nhung|moi|tat ca|loai|nay|day|do|gui|den|cho|toi|em|minh|vao|dia chi|hop thu" \
	"|me|from|this|these|the|list|mailing|all|your|emails?|newsletter|please|now))*"
/* Polite particles and thanks after it. */
#define TAIL "(?:\\s+(?:a|nhe|nha|ah|ha|nghe|giup|giup toi|giup em|dum|ho|voi|luon|di" \
	"|nhe a|nha a|please|thanks|thank you|cam on|xin cam on|now))*$"

static const struct {
	const char *name;
	const char *pat;
} commands[] = {
	{"tu_choi", LEAD "tu\\s*choi" OBJ TAIL},
	{"huy_dang_ky", LEAD "(?:huy(?:\\s+bo)?\\s+dang\\s+k[yi]|huy\\s+nhan|ngung\\s+nhan"
	 "|dung\\s+gui|ngung\\s+gui|thoi\\s+gui)" OBJ TAIL},
	/* "không muốn nhận email", and "không nhận (email) nữa" (not "không nhận
	 * được": that is a complaint about missing mail, never a refusal). */
	{"khong_muon_nhan", LEAD "(?:khong|ko|k)\\s+(?:(?:muon|can|thich)\\s+nhan(?:\\s+them)?"
	 "\\s+(?:email|e-mail|mail|thu|tin|thong tin|quang cao|khuyen mai|thong bao)"
	 "|nhan(?:\\s+(?:email|e-mail|mail|thu|tin|thong tin|quang cao|khuyen mai|thong bao))?"
	 "\\s+nua)" OBJ TAIL},
	{"unsubscribe", LEAD "(?:unsubscribe|unsub|opt[- ]?out|stop(?:\\s+sending)?"
	 "|remove\\s+me|take\\s+me\\s+off|do\\s+not\\s+(?:email|contact)\\s+me"
	 "|don'?t\\s+(?:email|contact)\\s+me)" OBJ TAIL},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char pat_greeting[] =
	"^(?:(?:xin\\s+)?chao|kinh\\s+(?:gui|chao)|gui\\s+(?:anh|chi|ban|links|quy|cong\\s+ty"
	"|ban\\s+quan\\s+tri|bo\\s+phan)|dear|hi|hello|hey|good\\s+(?:morning|afternoon|evening)"
	"|(?:anh|chi|em|ban|ad|admin|links)\\s+oi)(?:\\s+\\S+){0,4}$";

static const char pat_closing[] =
	"^(?:(?:xin\\s+)?cam\\s+on|thanks|thank\\s+you|thanks\\s+a\\s+lot|many\\s+thanks"
	"|tran\\s+trong|than\\s+ai|kinh\\s+thu|regards|best\\s+regards|kind\\s+regards"
	"|warm\\s+regards|best|cheers|sincerely|yours\\s+sincerely|tks|thx|ty|thank\\s+u|merci|danke"
	"|chuc\\s+.{0,30}(?:suc\\s+khoe|vui\\s+ve|thanh\\s+cong|tot\\s+lanh))(?:\\s+\\S+){0,3}$";

/* "ạ", "dạ", "vâng", "ok": acknowledgements nobody needs to read. */
static const char pat_trivial[] =
	"^(?:a|da|vang|ok|okay|oke|ok\\s+a|da\\s+vang|vang\\s+a|nhe|nha|yes|no)$|^[^\\p{L}\\p{N}]*$";

/* Reply and forward prefixes of a Subject, any number of them. */
static const char pat_subject_prefix[] =
	"^(?:\\s*(?:re|fwd?|fw|tl|tr|aw|wg|sv|vs|antw|ref|rif|odp|res|tra\\s+loi|chuyen\\s+tiep"
	"|phan\\s+hoi|tra\\s+loi\\s+tu\\s+dong)\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：]\\s*"
	"|\\s*\\[[^\\]]{0,40}\\]\\s*)+";

/* The command written with its diacritics (case folded, NFC). */
static const char pat_with_marks[] =
	"từ\\s*chối|h(?:ủy|uỷ)\\s+(?:bỏ\\s+)?đăng\\s+k[ýí]|hủy\\s+nhận|huỷ\\s+nhận"
	"|ngừng\\s+(?:nhận|gửi)|[dđ]ừng\\s+gửi|thôi\\s+gửi|không\\s+(?:muốn|cần|thích)\\s+nhận"
	"|không\\s+nhận(?:\\s+\\S+){0,2}\\s+nữa";

enum { P_GREETING, P_CLOSING, P_TRIVIAL, P_SUBJECT_PREFIX, P_WITH_MARKS, P_COUNT };

/* Blanks and decoration trimmed around a segment. */
#define SEG_DECORATION	" \t\"'()[]{}*_~-<>|/\\"

struct reply_classify {
	pcre2_code *cmd[NCOMMANDS];
	pcre2_code *p[P_COUNT];
	pcre2_code **extra;
	size_t	nextra;
};

struct reply_classify *
reply_classify_new(const char *const *extra, size_t n, char *err, size_t errlen)
{
	static const char *const pats[P_COUNT] = {
		pat_greeting, pat_closing, pat_trivial, pat_subject_prefix, pat_with_marks
	};
	struct reply_classify *cl;
	size_t	i;
	char	what[64];

	if ((cl = calloc(1, sizeof(*cl))) == NULL)
		goto oom;
	for (i = 0; i < NCOMMANDS; i++)
		if ((cl->cmd[i] = rx_compile(commands[i].pat, commands[i].name, err, errlen)) == NULL)
			goto fail;
	for (i = 0; i < P_COUNT; i++)
		if ((cl->p[i] = rx_compile(pats[i], "built-in pattern", err, errlen)) == NULL)
			goto fail;
	if (n > 0 && (cl->extra = calloc(n, sizeof(pcre2_code *))) == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "refusal_pattern #%zu", i + 1);
		if ((cl->extra[i] = rx_compile(extra[i], what, err, errlen)) == NULL)
			goto fail;
		cl->nextra++;
	}
	return (cl);
oom:
	snprintf(err, errlen, "out of memory");
fail:
	reply_classify_free(cl);
	return (NULL);
}

void
reply_classify_free(struct reply_classify *cl)
{
	size_t	i;

	if (cl == NULL)
		return;
	for (i = 0; i < NCOMMANDS; i++)
		pcre2_code_free(cl->cmd[i]);
	for (i = 0; i < P_COUNT; i++)
		pcre2_code_free(cl->p[i]);
	for (i = 0; i < cl->nextra; i++)
		pcre2_code_free(cl->extra[i]);
	free(cl->extra);
	free(cl);
}

static int
m(const pcre2_code *re, const char *s, size_t len, pcre2_match_data *md)
{
	return (pcre2_match(re, (PCRE2_SPTR) s, len, 0, 0, md, NULL) >= 0);
}

/* The command family a whole segment is, or NULL. */
static const char *
command(const struct reply_classify *cl, const char *s, size_t len, pcre2_match_data *md)
{
	size_t	i;

	if (len == 0 || len > REPLY_CLASSIFY_SEG_MAX)
		return (NULL);
	for (i = 0; i < NCOMMANDS; i++)
		if (m(cl->cmd[i], s, len, md))
			return (commands[i].name);
	for (i = 0; i < cl->nextra; i++)
		if (m(cl->extra[i], s, len, md))
			return ("pattern");
	return (NULL);
}

static size_t
words(const char *s, size_t len)
{
	size_t	i, n = 0;
	int	in = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ') {
			in = 0;
		} else if (!in) {
			in = 1;
			n++;
		}
	}
	return (n);
}

static int
is_seg_punct(char c)
{
	return (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?');
}

/*
 * Whether NFC line L looks like a bare name ("Nguyễn Văn A"): a few
 * words, each starting with an upper-case letter, no digits.
 */
static int
is_name_line(const char *l, size_t len)
{
	size_t	i, n = 0;
	int	start = 1;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char) l[i];

		if (c == ' ' || c == '\t') {
			start = 1;
			continue;
		}
		if (c >= '0' && c <= '9')
			return (0);
		if (c == '?' || c == ',' || c == ':' || c == '!' || c == ';')
			return (0);
		if (start) {
			n++;
			start = 0;
			if (c < 0x80 && !(c >= 'A' && c <= 'Z'))
				return (0);
			if (c >= 0x80) {
				/* upper case Latin letters with marks (Đ, Ấ, ...) */
				int32_t	cp;
				size_t	adv = 0;
				const unsigned char *u = (const unsigned char *) l + i;

				if ((u[0] & 0xE0) == 0xC0 && i + 1 < len) {
					cp = ((u[0] & 0x1F) << 6) | (u[1] & 0x3F);
					adv = 1;
				} else if ((u[0] & 0xF0) == 0xE0 && i + 2 < len) {
					cp = ((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
					adv = 2;
				} else
					return (0);
				if (!(cp == 0x110 || (cp >= 0xC0 && cp <= 0xDE)
				      || (cp >= 0x1E00 && cp <= 0x1EFF && cp % 2 == 0)
				      || (cp >= 0x100 && cp <= 0x17F && cp % 2 == 0)))
					return (0);
				i += adv;
			}
		}
	}
	return (n >= 1 && n <= REPLY_CLASSIFY_NAME_WORDS);
}

struct scan {
	const char *cmd;		/* first command family seen */
	int	content;		/* text a person should read */
	int	closing_seen;
	int	ascii_only;		/* no command written with its marks */
};

static int
classify_subject(const struct reply_classify *cl, struct reply_norm *norm,
		 const char *subject, pcre2_match_data *md, struct reply_verdict *v)
{
	struct strbuf key;
	const char *s, *c;
	size_t	len;
	PCRE2_SIZE *ov;

	strbuf_init(&key);
	if (subject == NULL || *subject == 0)
		return (0);
	if (reply_norm(norm, subject, strlen(subject), REPLY_NORM_STRIP | REPLY_NORM_SPACES, &key) < 0
	    || strbuf_reserve(&key, 0) < 0) {
		strbuf_free(&key);
		return (-1);
	}
	s = key.data;
	len = key.len;
	if (pcre2_match(cl->p[P_SUBJECT_PREFIX], (PCRE2_SPTR) s, len, 0, 0, md, NULL) >= 0) {
		ov = pcre2_get_ovector_pointer(md);
		s += ov[1];
		len -= ov[1];
	}
	while (len > 0 && (is_seg_punct(s[len - 1]) && s[len - 1] != '?'))
		len--;
	text_trim_span(&s, &len, SEG_DECORATION);
	if ((c = command(cl, s, len, md)) != NULL) {
		v->optout = 1;
		v->question = 0;
		if (strcmp(c, "tu_choi") == 0)
			v->reason = "subject:tu_choi";
		else if (strcmp(c, "huy_dang_ky") == 0)
			v->reason = "subject:huy_dang_ky";
		else if (strcmp(c, "khong_muon_nhan") == 0)
			v->reason = "subject:khong_muon_nhan";
		else if (strcmp(c, "unsubscribe") == 0)
			v->reason = "subject:unsubscribe";
		else
			v->reason = "subject:pattern";
	}
	strbuf_free(&key);
	return (0);
}

static const char *
command_reason(const char *cmd, int ascii, int question)
{
	static const struct {
		const char *cmd, *plain, *withq;
	} t[] = {
		{"tu_choi", "command:tu_choi", "command:tu_choi+question"},
		{"huy_dang_ky", "command:huy_dang_ky", "command:huy_dang_ky+question"},
		{"khong_muon_nhan", "command:khong_muon_nhan", "command:khong_muon_nhan+question"},
		{"unsubscribe", "command:unsubscribe", "command:unsubscribe+question"},
		{"pattern", "command:pattern", "command:pattern+question"},
	};
	size_t	i;

	static const struct {
		const char *cmd, *reason;
	} a[] = {
		{"tu_choi", "command:tu_choi_no_diacritics"},
		{"huy_dang_ky", "command:huy_dang_ky_no_diacritics"},
		{"khong_muon_nhan", "command:khong_muon_nhan_no_diacritics"},
	};

	/* Without diacritics the command must stand alone (no question). */
	if (ascii) {
		for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
			if (strcmp(cmd, a[i].cmd) == 0)
				return (a[i].reason);
		return ("command:no_diacritics");
	}
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(cmd, t[i].cmd) == 0)
			return (question ? t[i].withq : t[i].plain);
	return (question ? "command+question" : "command");
}

int
reply_classify_text(const struct reply_classify *cl, const char *text,
		    const char *subject, struct reply_verdict *v)
{
	struct reply_norm norm;
	struct strbuf key, fold, flat;
	pcre2_match_data *md = NULL;
	struct scan sc;
	const char *k, *t;
	size_t	klen, tlen, i, last_line_start, nonempty = 0;
	int	ret = -1;

	memset(&sc, 0, sizeof(sc));
	v->optout = 0;
	v->question = 0;
	v->reason = "empty";
	reply_norm_init(&norm);
	strbuf_init(&key);
	strbuf_init(&fold);
	strbuf_init(&flat);
	if ((md = pcre2_match_data_create(4, NULL)) == NULL)
		goto fail;
	if (reply_norm(&norm, text, strlen(text), REPLY_NORM_STRIP | REPLY_NORM_SPACES, &key) < 0
	    || strbuf_reserve(&key, 0) < 0)
		goto fail;
	if (key.len == 0) {
		if (classify_subject(cl, &norm, subject, md, v) < 0)
			goto fail;
		ret = 0;
		goto fail;
	}
	k = key.data;
	klen = key.len;
	t = text;
	tlen = strlen(text);
	last_line_start = 0;

	/* line by line (key lines and text lines correspond) */
	for (i = 0; i <= klen;) {
		const char *nl = memchr(k + i, '\n', klen - i);
		size_t	e = nl ? (size_t) (nl - k) : klen;
		const char *line = k + i;
		size_t	ll = e - i, p = 0;
		const char *tl = t + last_line_start;
		const char *tnl = memchr(tl, '\n', tlen - last_line_start);
		size_t	tll = tnl ? (size_t) (tnl - tl) : tlen - last_line_start;
		int	line_content = 0, line_cmd = 0;

		if (ll > 0)
			nonempty++;
		while (p < ll) {
			size_t	s0 = p, sl;
			const char *seg;
			char	term = 0;
			const char *c;

			while (p < ll && !is_seg_punct(line[p]))
				p++;
			if (p < ll)
				term = line[p];
			seg = line + s0;
			sl = p - s0;
			/* "?" anywhere after the segment on this line */
			while (p < ll && is_seg_punct(line[p])) {
				if (line[p] == '?')
					term = '?';
				p++;
			}
			text_trim_span(&seg, &sl, SEG_DECORATION);
			if (sl == 0 || m(cl->p[P_TRIVIAL], seg, sl, md))
				continue;
			if (term != '?' && (c = command(cl, seg, sl, md)) != NULL) {
				if (sc.cmd == NULL)
					sc.cmd = c;
				line_cmd = 1;
				continue;
			}
			if (m(cl->p[P_GREETING], seg, sl, md))
				continue;
			if (m(cl->p[P_CLOSING], seg, sl, md)) {
				sc.closing_seen = 1;
				continue;
			}
			if (sc.closing_seen && words(seg, sl) <= REPLY_CLASSIFY_SIG_WORDS && term != '?')
				continue;	/* signature lines after "Trân trọng" */
			line_content = 1;
		}
		if (line_content && !line_cmd && e >= klen && nonempty > 1
		    && is_name_line(tl, tll))
			line_content = 0;	/* "Từ chối\nNguyễn Văn A" */
		if (line_content)
			sc.content = 1;
		if (nl == NULL)
			break;
		i = e + 1;
		last_line_start = tnl ? (size_t) (tnl - t) + 1 : tlen;
	}

	/* extra patterns on the whole text, line breaks as spaces */
	if (sc.cmd == NULL && cl->nextra > 0) {
		size_t	j;

		if (reply_norm(&norm, text, strlen(text), REPLY_NORM_FOLD | REPLY_NORM_SPACES, &fold) < 0
		    || strbuf_reserve(&fold, 0) < 0)
			goto fail;
		for (j = 0; j < fold.len; j++)
			if (fold.data[j] == '\n')
				fold.data[j] = ' ';
		if (strbuf_add(&flat, key.data, key.len) < 0)
			goto fail;
		for (j = 0; j < flat.len; j++)
			if (flat.data[j] == '\n')
				flat.data[j] = ' ';
		for (j = 0; j < cl->nextra; j++)
			if (m(cl->extra[j], fold.data, fold.len, md)
			    || m(cl->extra[j], flat.data, flat.len, md)) {
				sc.cmd = "pattern";
				break;
			}
	}

	if (sc.cmd != NULL) {
		int	ascii = 0;

		if (strcmp(sc.cmd, "tu_choi") == 0 || strcmp(sc.cmd, "huy_dang_ky") == 0
		    || strcmp(sc.cmd, "khong_muon_nhan") == 0) {
			if (fold.data == NULL
			    && (reply_norm(&norm, text, strlen(text), REPLY_NORM_FOLD, &fold) < 0
				|| strbuf_reserve(&fold, 0) < 0))
				goto fail;
			ascii = !m(cl->p[P_WITH_MARKS], fold.data, fold.len, md);
		}
		if (ascii && sc.content) {
			/* "tu choi" plus other text: too weak to act on */
			v->question = 1;
			v->reason = "question";
		} else {
			v->optout = 1;
			v->question = sc.content;
			v->reason = command_reason(sc.cmd, ascii, sc.content);
		}
	} else {
		/* greetings and thanks alone: nothing for a person to answer */
		v->question = sc.content;
		v->reason = sc.content ? "question" : "greeting_only";
	}
	ret = 0;
fail:
	pcre2_match_data_free(md);
	reply_norm_free(&norm);
	strbuf_free(&key);
	strbuf_free(&fold);
	strbuf_free(&flat);
	return (ret);
}
