/*
 * NAME
 *	reply_viet 3
 * SUMMARY
 *	Vietnamese spelling: syllables, input-method residue, VNI fonts
 * SYNOPSIS
 *	#include "reply_viet.h"
 * DESCRIPTION
 *	See reply_viet.h. A syllable is checked without its marks: one of
 *	the onsets, then a vowel group, then nothing or a final consonant
 *	(c, ch, m, n, ng, nh, p, t). The lists accept a little more than
 *	the language has (the tone and vowel-shape rules are not checked),
 *	which is enough to tell "choi" from "choois" and "please".
 *
 *	The VNI font table (VNI-Windows, as windows-1252 characters): a
 *	vowel is followed by its marks: "â" after a, e, o is the
 *	circumflex, "ê" after a the breve; the tones are "ù ø û õ ï" on a
 *	plain vowel or on ơ and ư, "á à å ã ä" with the circumflex and
 *	"é è ú ü ë" with the breve; single characters stand for ơ ("ô"),
 *	ư ("ö"), đ ("ñ"), ỵ ("î") and i with a tone ("í ì æ ó ò"); upper
 *	case likewise.
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <string.h>

#include "reply_charset.h"
#include "reply_viet.h"
#include "utf8.h"

#define VNI_MIN_SHARE	80	/* percent of words with font characters that must map */
#define VNI_MIN_WORDS	2	/* words that must map, unless the only one has two marks */
/* (both rules serve every legacy font: reply_viet_font_line()) */

/* A word of a list with its length. */
struct wl {
	const char *w;
	size_t	n;
};
#define W(s)	{s, sizeof(s) - 1}

static const struct wl onsets[] = {
	W("ngh"), W("ng"), W("nh"), W("ch"), W("gh"), W("gi"), W("kh"), W("ph"), W("qu"), W("th"), W("tr"),
	W("b"), W("c"), W("d"), W("g"), W("h"), W("k"), W("l"), W("m"), W("n"), W("p"), W("r"), W("s"),
	W("t"), W("v"), W("x"), W(""),
};
static const struct wl nuclei[] = {
	W("uye"), W("uya"), W("uyu"), W("ieu"), W("yeu"), W("uoi"), W("uou"), W("oai"), W("oay"), W("oao"),
	W("oeo"), W("uay"), W("ai"), W("ao"), W("au"), W("ay"), W("eo"), W("eu"), W("ia"), W("ie"), W("iu"),
	W("oa"), W("oe"), W("oi"), W("ua"), W("ue"), W("ui"), W("uo"), W("uu"), W("uy"), W("ya"), W("ye"),
	W("a"), W("e"), W("i"), W("o"), W("u"), W("y"),
};
static const struct wl codas[] = {W("ch"), W("ng"), W("nh"), W("c"), W("m"), W("n"), W("p"), W("t"), W("")};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* is_vowel - a letter of the vowel groups */
static int
is_vowel(char c)
{
	return (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y');
}

/*
 * rhyme - whether W (LEN) is a vowel group and a final consonant. The
 * groups are vowels only and the finals start with none: the group can
 * only be W's whole leading run of vowels, so one group is looked up.
 */
static int
rhyme(const char *w, size_t len)
{
	size_t	v, i, j;

	for (v = 0; v < len && is_vowel(w[v]); v++)
		;
	if (v == 0)
		return (0);
	for (i = 0; i < NELEM(nuclei); i++)
		if (nuclei[i].n == v && reply_same_bytes(w, nuclei[i].w, v))
			break;
	if (i == NELEM(nuclei))
		return (0);
	for (j = 0; j < NELEM(codas); j++)
		if (codas[j].n == len - v && reply_same_bytes(w + v, codas[j].w, codas[j].n))
			return (1);
	return (0);
}

int
reply_viet_syllable(const char *w, size_t len)
{
	size_t	i;

	if (len == 0 || len > REPLY_VIET_WORD_MAX)
		return (0);
	for (i = 0; i < len; i++)
		if (w[i] < 'a' || w[i] > 'z')
			return (0);
	if (len == 2 && memcmp(w, "gi", 2) == 0)
		return (1);
	/* an onset starts with W's first letter, or is the empty one */
	for (i = 0; i < NELEM(onsets); i++)
		if (onsets[i].n <= len && (onsets[i].n == 0 || onsets[i].w[0] == w[0])
		    && reply_same_bytes(w, onsets[i].w, onsets[i].n)
		    && rhyme(w + onsets[i].n, len - onsets[i].n))
			return (1);
	return (0);
}

/* ret_if - copy W to OUT and return its length when it is a syllable */
static size_t
ret_if(const char *w, size_t len, char *out, size_t outlen)
{
	if (len + 1 > outlen || !reply_viet_syllable(w, len))
		return (0);
	memcpy(out, w, len);
	out[len] = 0;
	return (len);
}

/* drop_chars - W without the characters of SET, into BUF; its length */
static size_t
drop_chars(const char *w, size_t len, const char *set, char *buf)
{
	size_t	i, k = 0;

	for (i = 0; i < len; i++)
		if (strchr(set, w[i]) == NULL)
			buf[k++] = w[i];
	if (k >= 2 && buf[0] == 'd' && buf[1] == 'd') {	/* đ */
		memmove(buf, buf + 1, --k);
	}
	return (k);
}

/* telex_shape - Telex W without w and doubled vowels, into BUF */
static size_t
telex_shape(const char *w, size_t len, char *buf)
{
	size_t	i, k = 0;

	for (i = 0; i < len; i++) {
		char	c = w[i];

		if (c == 'w') {
			if (k > 0 && strchr("uoa", buf[k - 1]) != NULL)
				continue;		/* uw ow aw: ư ơ ă */
			c = 'u';			/* w alone: ư */
		}
		if (k > 0 && strchr("aeo", c) != NULL && buf[k - 1] == c
		    && !(k >= 2 && buf[k - 2] == c))
			continue;			/* aa ee oo: â ê ô */
		if (k == 1 && c == 'd' && buf[0] == 'd')
			continue;			/* dd: đ */
		buf[k++] = c;
	}
	return (k);
}

/* telex - fold Telex W: shape keys, then one tone letter */
static size_t
telex(const char *w, size_t len, char *out, size_t outlen)
{
	char	buf[REPLY_VIET_WORD_MAX + 1], cand[REPLY_VIET_WORD_MAX + 1];
	size_t	k = telex_shape(w, len, buf), p, r;
	int	vowel = 0;

	if ((r = ret_if(buf, k, out, outlen)) > 0 && k < len)
		return (r);
	for (p = 0; p < k; p++) {
		if (strchr("aeiouy", buf[p]) != NULL) {
			vowel = 1;
			continue;
		}
		if (!vowel || strchr("sfrxj", buf[p]) == NULL)
			continue;
		memcpy(cand, buf, p);
		memcpy(cand + p, buf + p + 1, k - p - 1);
		if ((r = ret_if(cand, k - 1, out, outlen)) > 0)
			return (r);
	}
	return (0);
}

size_t
reply_viet_ime_fold(const char *w, size_t len, char *out, size_t outlen, int *strong)
{
	char	buf[REPLY_VIET_WORD_MAX + 1];
	size_t	k, i, letters = 0, r;

	*strong = 0;
	if (len < 2 || len > REPLY_VIET_WORD_MAX)
		return (0);
	for (i = 0; i < len; i++)
		letters += w[i] >= 'a' && w[i] <= 'z';
	if (letters == len && reply_viet_syllable(w, len))
		return (0);
	*strong = 1;
	for (i = 0; i < len && strchr("^+(`'?~.", w[i]) == NULL; i++)
		;
	if (i < len) {
		k = drop_chars(w, len, "^+(`'?~.", buf);
		return (ret_if(buf, k, out, outlen));
	}
	for (i = 1; i < len; i++)
		if (w[i] >= '1' && w[i] <= '9')
			break;
	if (i < len && w[0] >= 'a' && w[0] <= 'z') {
		k = drop_chars(w, len, "123456789", buf);
		return (ret_if(buf, k, out, outlen));
	}
	if (letters != len)
		return (0);
	/* w, dd and doubled vowels are Telex for sure; a last s f r x j may be English */
	*strong = memchr(w, 'w', len) != NULL || (w[0] == 'd' && w[1] == 'd');
	for (i = 1; i < len && !*strong; i++)
		*strong = w[i] == w[i - 1] && strchr("aeo", w[i]) != NULL;
	if ((r = telex(w, len, out, outlen)) == 0)
		*strong = 0;
	return (r);
}

/* VNI font mark characters, lower and upper case (windows-1252 code points). */
enum { VM_NONE, VM_CIRC, VM_BREVE, VM_TONE, VM_CIRC_TONE, VM_BREVE_TONE };
static const struct {
	int32_t	lo, up;
	int	kind;
	int32_t	tone;			/* combining tone mark */
} vni_marks[] = {
	{0xE2, 0xC2, VM_CIRC, 0}, {0xEA, 0xCA, VM_BREVE, 0},
	{0xF9, 0xD9, VM_TONE, 0x301}, {0xF8, 0xD8, VM_TONE, 0x300}, {0xFB, 0xDB, VM_TONE, 0x309},
	{0xF5, 0xD5, VM_TONE, 0x303}, {0xEF, 0xCF, VM_TONE, 0x323},
	{0xE1, 0xC1, VM_CIRC_TONE, 0x301}, {0xE0, 0xC0, VM_CIRC_TONE, 0x300},
	{0xE5, 0xC5, VM_CIRC_TONE, 0x309}, {0xE3, 0xC3, VM_CIRC_TONE, 0x303},
	{0xE4, 0xC4, VM_CIRC_TONE, 0x323},
	{0xE9, 0xC9, VM_BREVE_TONE, 0x301}, {0xE8, 0xC8, VM_BREVE_TONE, 0x300},
	{0xFA, 0xDA, VM_BREVE_TONE, 0x309}, {0xFC, 0xDC, VM_BREVE_TONE, 0x303},
	{0xEB, 0xCB, VM_BREVE_TONE, 0x323},
};

/* Single characters: the letter, its base, its vowel-shape mark and tone. */
static const struct {
	int32_t	cp, base, shape, tone;
} vni_single[] = {
	{0xF4, 'o', 0x31B, 0}, {0xD4, 'O', 0x31B, 0}, {0xF6, 'u', 0x31B, 0}, {0xD6, 'U', 0x31B, 0},
	{0xF1, 0x111, 0, 0}, {0xD1, 0x110, 0, 0}, {0xEE, 'y', 0, 0x323}, {0xCE, 'Y', 0, 0x323},
	{0xED, 'i', 0, 0x301}, {0xEC, 'i', 0, 0x300}, {0xE6, 'i', 0, 0x309}, {0xF3, 'i', 0, 0x303},
	{0xF2, 'i', 0, 0x323}, {0xCD, 'I', 0, 0x301}, {0xCC, 'I', 0, 0x300}, {0xC6, 'I', 0, 0x309},
	{0xD3, 'I', 0, 0x303}, {0xD2, 'I', 0, 0x323},
};

/* One letter being built. */
struct vletter {
	int32_t	base, shape, tone;
};

/* vni_mark - apply mark character CP to the letter L; 0 when it cannot */
static int
vni_mark(struct vletter *l, int32_t cp, int *marks)
{
	size_t	i;
	int	b = l->base | 0x20;

	for (i = 0; i < sizeof(vni_marks) / sizeof(vni_marks[0]); i++) {
		int	k = vni_marks[i].kind;

		if (cp != vni_marks[i].lo && cp != vni_marks[i].up)
			continue;
		if (l->tone || ((k == VM_CIRC || k == VM_CIRC_TONE) && (l->shape || !strchr("aeo", b)))
		    || ((k == VM_BREVE || k == VM_BREVE_TONE) && (l->shape || b != 'a'))
		    || (k == VM_TONE && !strchr("aeiouy", b)))
			return (0);
		if (k == VM_CIRC || k == VM_CIRC_TONE)
			l->shape = 0x302;
		if (k == VM_BREVE || k == VM_BREVE_TONE)
			l->shape = 0x306;
		l->tone = vni_marks[i].tone;
		(*marks)++;
		return (1);
	}
	return (0);
}

/* vni_word - map one word of code points; its letters into L, key into KEY */
static int
vni_word(const int32_t *cp, size_t n, struct vletter *l, size_t *nl, char *key, int *marks)
{
	size_t	i, j, k = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < sizeof(vni_single) / sizeof(vni_single[0]); j++)
			if (vni_single[j].cp == cp[i])
				break;
		if (j < sizeof(vni_single) / sizeof(vni_single[0])) {
			l[k] = (struct vletter) {vni_single[j].base, vni_single[j].shape, vni_single[j].tone};
			*marks += 1;
			key[k] = (char) (vni_single[j].base > 0x7F ? 'd' : vni_single[j].base | 0x20);
			k++;
		} else if (cp[i] < 0x80) {
			l[k] = (struct vletter) {cp[i], 0, 0};
			key[k++] = (char) (cp[i] | 0x20);
		} else if (k == 0 || !vni_mark(&l[k - 1], cp[i], marks))
			return (0);
		if (k > REPLY_VIET_WORD_MAX)
			return (0);
	}
	*nl = k;
	return (reply_viet_syllable(key, k));
}

/* is_word_cp - letters a VNI word is made of */
static int
is_word_cp(int32_t cp)
{
	return ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')
		|| (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7));
}

/* vni_out - append the VNI word CP (N) to OUT when it spells a syllable */
static int
vni_out(const int32_t *cp, size_t n, struct strbuf *out, int *marks)
{
	struct vletter l[REPLY_VIET_WORD_MAX + 1];
	char	key[REPLY_VIET_WORD_MAX + 1] = "";
	size_t	i, nl = 0;

	if (!vni_word(cp, n, l, &nl, key, marks))
		return (0);
	for (i = 0; i < nl; i++)
		if (strbuf_addcp(out, l[i].base) < 0 || (l[i].shape && strbuf_addcp(out, l[i].shape) < 0)
		    || (l[i].tone && strbuf_addcp(out, l[i].tone) < 0))
			return (-1);
	return (1);
}

static const struct reply_viet_font vni_font = {0xC0, is_word_cp, vni_out};

/* Scan state: one word at a time. */
struct vscan {
	int32_t	cp[REPLY_VIET_WORD_MAX * 3];
	size_t	n;
	int	font;			/* the word holds a font character */
	int	overflow;
};

/* font_flush - map (or copy) the word in V to OUT; count into W and S */
static int
font_flush(const struct reply_viet_font *f, struct vscan *v, struct strbuf *out, size_t *w, size_t *s,
	   int *marks)
{
	size_t	i, at = out->len;
	int	m = 0, ok = 0;

	if (v->font) {
		(*w)++;
		if (!v->overflow && (ok = f->word(v->cp, v->n, out, &m)) < 0)
			return (-1);
		*s += ok;
		if (ok && m > *marks)
			*marks = m;
	}
	if (!ok)
		out->len = at;
	for (i = 0; !ok && i < v->n; i++)
		if (strbuf_addcp(out, v->cp[i]) < 0)
			return (-1);
	v->n = 0;
	v->font = v->overflow = 0;
	return (0);
}

/* font_line - one line [S, S+LEN) mapped back into OUT when it is text of
 * font F; 1 when it was, 0 when it was copied */
static int
font_line(const struct reply_viet_font *f, const char *s, size_t len, struct strbuf *out)
{
	struct vscan v;
	size_t	i = 0, adv, words = 0, mapped = 0, start = out->len;
	int	marks = 0;
	int32_t	cp;

	memset(&v, 0, sizeof(v));
	while (i <= len) {
		cp = i < len ? reply_utf8_next((const unsigned char *) s + i, len - i, &adv) : ' ';
		i += i < len ? adv : 1;
		if (cp >= 0 && f->letter(cp)) {
			if (v.n == sizeof(v.cp) / sizeof(v.cp[0])) {
				/* no syllable is this long: copy it as it is */
				v.overflow = 1;
				if (font_flush(f, &v, out, &words, &mapped, &marks) < 0)
					return (-1);
				v.overflow = 1;
			}
			v.cp[v.n++] = cp;
			v.font |= cp >= f->font_min;
			continue;
		}
		if (v.n > 0 && font_flush(f, &v, out, &words, &mapped, &marks) < 0)
			return (-1);
		if (i <= len && strbuf_addcp(out, cp < 0 ? 0xFFFD : cp) < 0)
			return (-1);
	}
	if (reply_viet_font_line(words, mapped, marks))
		return (1);
	out->len = start;			/* not this font: the line as it was */
	return (strbuf_add(out, s, len) < 0 ? -1 : 0);
}

int
reply_viet_font_line(size_t words, size_t mapped, int marks)
{
	return (mapped * 100 >= words * VNI_MIN_SHARE && (mapped >= VNI_MIN_WORDS || (mapped == 1 && marks >= 2)));
}

int
reply_viet_vni_repair(const char *s, size_t len, struct strbuf *out)
{
	return (reply_viet_font_repair(s, len, out, &vni_font));
}

int
reply_viet_font_repair(const char *s, size_t len, struct strbuf *out, const struct reply_viet_font *f)
{
	size_t	i = 0, start = out->len;
	int	any = 0, r;

	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t	e = nl ? (size_t) (nl - s) : len;

		if ((r = font_line(f, s + i, e - i, out)) < 0 || (nl && strbuf_addc(out, '\n') < 0))
			goto fail;
		any |= r;
		i = e + 1;
	}
	if (any)
		return (strbuf_reserve(out, 0) < 0 ? -1 : 1);
	out->len = start;
	if (out->data)
		out->data[start] = 0;
	return (0);
fail:
	out->len = start;
	if (out->data)
		out->data[start] = 0;
	return (-1);
}
