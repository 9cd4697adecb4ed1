/*
 * NAME
 *	reply_key 3
 * SUMMARY
 *	the diacritics-free lower-case key every rule of the analysis reads
 * SYNOPSIS
 *	#include "reply_key.h"
 * DESCRIPTION
 *	See reply_key.h. The table covers U+0080..U+024F (Latin-1,
 *	Latin Extended-A and -B) and U+1E00..U+1EFF (Latin Extended
 *	Additional, where Vietnamese letters with two marks live): for each
 *	code point whose compatibility decomposition, case folded and
 *	without marks, is one ASCII character, that character. ASCII
 *	itself is lower-cased inline; other letters go through
 *	utf8proc_tolower().
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

#include "reply_charset.h"
#include "reply_key.h"
#include "utf8.h"

#define KEY_LATIN_END	0x250		/* first code point after Latin Extended-B */
#define KEY_EXT_START	0x1E00		/* Latin Extended Additional */
#define KEY_EXT_END	0x1F00

/*
 * key_plain - the key of an ASCII byte that is written as it is, lower
 * case (a printable character but the space), 0 for the others (blanks,
 * line breaks, controls, bytes >= 0x80): a run of them is copied without
 * the per-character steps. Built with the other tables.
 */
static unsigned char key_plain[256];
static unsigned char fold_latin[KEY_LATIN_END];
static unsigned char fold_ext[KEY_EXT_END - KEY_EXT_START];
static unsigned char marks_latin[KEY_LATIN_END];
static unsigned char marks_ext[KEY_EXT_END - KEY_EXT_START];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

/* fold_one - the ASCII character CP folds to, or 0 */
static unsigned char
fold_one(int32_t cp)
{
	utf8proc_int32_t buf[8];
	utf8proc_ssize_t n;
	int	last = 0;

	if (cp == 0x110 || cp == 0x111)
		return ('d');
	n = utf8proc_decompose_char(cp, buf, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT
				    | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, &last);
	if (n == 1 && buf[0] > 0x20 && buf[0] < 0x7F)
		return ((unsigned char) buf[0]);
	return (0);
}

/* mark_bit - the REPLY_MARK_* bit of combining mark CP, or 0 */
static unsigned
mark_bit(int32_t cp)
{
	switch (cp) {
	case 0x300: return (0x01);	/* grave: huyền */
	case 0x301: return (0x02);	/* acute: sắc */
	case 0x303: return (0x04);	/* tilde: ngã */
	case 0x309: return (0x08);	/* hook above: hỏi */
	case 0x323: return (0x10);	/* dot below: nặng */
	case 0x306: return (0x20);	/* breve: ă */
	case 0x302: return (0x40);	/* circumflex: â ê ô */
	case 0x31B: return (0x80);	/* horn: ơ ư */
	default: return (0);
	}
}

/* marks_one - the REPLY_MARK_* bits of the marks of letter CP */
static unsigned char
marks_one(int32_t cp)
{
	utf8proc_int32_t buf[8];
	utf8proc_ssize_t n, i;
	int	last = 0;
	unsigned m = 0;

	if (cp == 0x110 || cp == 0x111)
		return (0x60);		/* đ: a shape of its own */
	n = utf8proc_decompose_char(cp, buf, 8, UTF8PROC_DECOMPOSE, &last);
	for (i = 1; i < n; i++)
		m |= mark_bit(buf[i]);
	return ((unsigned char) m);
}

/* build - fill the tables (once) */
static void
build(void)
{
	int32_t	cp;

	for (cp = '!'; cp < 0x7F; cp++)
		key_plain[cp] = (unsigned char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
	for (cp = 0x80; cp < KEY_LATIN_END; cp++) {
		fold_latin[cp] = fold_one(cp);
		marks_latin[cp] = fold_latin[cp] ? marks_one(cp) : 0;
	}
	for (cp = KEY_EXT_START; cp < KEY_EXT_END; cp++) {
		fold_ext[cp - KEY_EXT_START] = fold_one(cp);
		marks_ext[cp - KEY_EXT_START] = fold_ext[cp - KEY_EXT_START] ? marks_one(cp) : 0;
	}
}

/* cp_marks - the REPLY_MARK_* bits CP's key drops (a letter or a combining mark) */
static unsigned
cp_marks(int32_t cp)
{
	if (cp < 0x80)
		return (0);
	if (cp >= 0x300 && cp <= 0x36F)
		return (mark_bit(cp));
	if (cp < KEY_LATIN_END)
		return (marks_latin[cp]);
	if (cp >= KEY_EXT_START && cp < KEY_EXT_END)
		return (marks_ext[cp - KEY_EXT_START]);
	return (0);
}

void
reply_key_init(void)
{
	(void) pthread_once(&fold_once, build);
}

int
reply_key_fold(int32_t cp)
{
	reply_key_init();
	if (cp < 0x80)
		return (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
	if (cp < KEY_LATIN_END)
		return (fold_latin[cp]);
	if (cp >= KEY_EXT_START && cp < KEY_EXT_END)
		return (fold_ext[cp - KEY_EXT_START]);
	if (cp >= 0xFF01 && cp <= 0xFF5E) {	/* full-width ASCII */
		cp -= 0xFEE0;
		return (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
	}
	return (0);
}

/* is_blank_cp - a character that reads as a space */
static int
is_blank_cp(int32_t cp)
{
	return (cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680
		|| (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F
		|| cp == 0x3000);
}

/* is_dropped_cp - invisible characters and combining marks */
static int
is_dropped_cp(int32_t cp)
{
	return ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064)
		|| cp == 0xFEFF || cp == 0xAD || (cp >= 0x300 && cp <= 0x36F)
		|| (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
		|| cp == '\r' || (cp < 0x20 && cp != '\n'));
}

/* put_cp - CP as UTF-8 at O; the bytes written */
static size_t
put_cp(char *o, int32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char) cp;
		return (1);
	}
	if (cp < 0x800) {
		o[0] = (char) (0xC0 | (cp >> 6));
		o[1] = (char) (0x80 | (cp & 0x3F));
		return (2);
	}
	if (cp < 0x10000) {
		o[0] = (char) (0xE0 | (cp >> 12));
		o[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char) (0x80 | (cp & 0x3F));
		return (3);
	}
	o[0] = (char) (0xF0 | (cp >> 18));
	o[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char) (0x80 | (cp & 0x3F));
	return (4);
}

/* key_cp - the key of code point CP: 0 dropped, ' ' a blank, else its key */
static int32_t
key_cp(int32_t cp)
{
	int	f;

	if (is_blank_cp(cp))
		return (' ');
	if (is_dropped_cp(cp))
		return (0);
	if ((f = reply_key_fold(cp)) != 0)
		return (f);
	return (cp >= 0x80 ? utf8proc_tolower(cp) : cp);
}

/*
 * fast_letter - the key letter of the Latin letter at U (N bytes) read
 * from the tables, with its marks in *MARKS and its bytes in *ADV; 0
 * when the character takes the general steps (not a 2-byte letter below
 * U+0250 or a letter of U+1E00..U+1EFF, a blank, an invisible character,
 * a letter without an ASCII key)
 */
static int
fast_letter(const unsigned char *u, size_t n, size_t *adv, unsigned char *marks)
{
	int32_t	cp;

	if (n >= 2 && u[0] >= 0xC2 && u[0] <= 0xC9 && (u[1] & 0xC0) == 0x80) {
		cp = (u[0] & 0x1F) << 6 | (u[1] & 0x3F);
		if (cp >= KEY_LATIN_END || cp == 0xA0 || cp == 0xAD || fold_latin[cp] == 0)
			return (0);
		*adv = 2;
		*marks = marks_latin[cp];
		return (fold_latin[cp]);
	}
	if (n >= 3 && u[0] == 0xE1 && u[1] >= 0xB8 && u[1] <= 0xBB && (u[2] & 0xC0) == 0x80) {
		cp = 0x1000 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		if (fold_ext[cp - KEY_EXT_START] == 0)
			return (0);
		*adv = 3;
		*marks = marks_ext[cp - KEY_EXT_START];
		return (fold_ext[cp - KEY_EXT_START]);
	}
	return (0);
}

/* pending_space - the space of a run of blanks before a key character at O, not at a line start */
static inline char *
pending_space(char *o, const char *line, int *pend)
{
	if (*pend && o > line)
		*o++ = ' ';
	*pend = 0;
	return (o);
}

int
reply_key(const char *s, size_t len, struct strbuf *out)
{
	return (reply_key_marks(s, len, out, NULL));
}

int
reply_key_marks(const char *s, size_t len, struct strbuf *out, struct strbuf *marks)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t	i = 0, adv, m0 = 0;
	char   *o, *line, *line0, *mk = NULL;
	int	pend = 0, f;
	int32_t	cp, raw;
	unsigned char fm;

	reply_key_init();
	/* a lower-case letter takes at most one byte more than its capital */
	if (strbuf_reserve(out, 2 * len + 1) < 0
	    || (marks != NULL && strbuf_reserve(marks, 2 * len + 1) < 0))
		return (-1);
	o = line = line0 = out->data + out->len;
	if (marks != NULL) {
		/* MARKS runs beside OUT: key byte O has its marks at MK[O - LINE0] */
		m0 = marks->len;
		mk = marks->data + m0;
		memset(mk, 0, 2 * len + 1);
	}
	while (i < len) {
		if (key_plain[u[i]]) {
			/* a run of ASCII written as it is (its marks are 0) */
			o = pending_space(o, line, &pend);
			do
				*o++ = (char) key_plain[u[i]];
			while (++i < len && key_plain[u[i]]);
			continue;
		}
		if (u[i] >= 0xC2 && (f = fast_letter(u + i, len - i, &adv, &fm)) != 0) {
			/* a Latin letter with marks: its ASCII key and its marks */
			if (mk != NULL)
				mk[o - line0 + (pend && o > line)] = (char) fm;
			o = pending_space(o, line, &pend);
			*o++ = (char) f;
			i += adv;
			continue;
		}
		if (u[i] < 0x80) {
			cp = u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i];
			adv = 1;
			if (cp == '\t')
				cp = ' ';
			else if ((cp < 0x20 && cp != '\n') || cp == 0x7F)
				cp = 0;
		} else {
			raw = reply_utf8_next(u + i, len - i, &adv);
			cp = key_cp(raw < 0 ? 0xFFFD : raw);
			if (mk != NULL && raw >= 0x300 && raw <= 0x36F && o > line)
				mk[o - line0 - 1] |= (char) cp_marks(raw);	/* a combining mark */
			else if (mk != NULL && cp > 0 && cp < 0x80 && cp != ' ')
				mk[o - line0 + (pend && o > line)] = (char) cp_marks(raw);
		}
		i += adv;
		if (cp == ' ') {
			pend = 1;
			continue;
		}
		if (cp == 0)
			continue;
		if (cp == '\n') {
			*o++ = '\n';
			line = o;
			pend = 0;
			continue;
		}
		o = pending_space(o, line, &pend);
		o += put_cp(o, cp);
	}
	out->len = (size_t) (o - out->data);
	out->data[out->len] = 0;
	if (marks != NULL) {
		marks->len = m0 + (size_t) (o - line0);
		marks->data[marks->len] = 0;
	}
	return (0);
}
