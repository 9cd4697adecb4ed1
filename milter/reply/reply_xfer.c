/*
 * NAME
 *	reply_xfer 3
 * SUMMARY
 *	MIME transfer decoding (base64, quoted-printable) of a part body
 * SYNOPSIS
 *	#include "reply_xfer.h"
 * DESCRIPTION
 *	See reply_xfer.h. Both decoders reserve the most they can write
 *	once (never more than MAX and a group), then write into the
 *	buffer; tests/unit/test_reply_mime checks them against the cases
 *	libetpan's decoders settled, malformed ones included.
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#include "config.h"

#include <string.h>

#include "reply_xfer.h"

#define XFER_B64_GROUP	3		/* bytes of four base64 characters */
#define XFER_QP_STEP	2		/* most bytes one quoted-printable step writes */

/* The value of each ASCII base64 character, -1 for the others. */
static const signed char b64_tab[128] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
};

/* reply_xfer_b64_value - the value of base64 character C, -1 for others */
int
reply_xfer_b64_value(int c)
{
	return (c >= 0 && c < 128 ? b64_tab[c] : -1);
}

/* finish - end OUT at W written bytes, at most MAX; *CUT when more were */
static void
finish(struct strbuf *out, size_t w, size_t max, int *cut)
{
	if (w > max) {
		w = max;
		*cut = 1;
	}
	out->len += w;
	out->data[out->len] = 0;
}

int
reply_xfer_base64(const char *in, size_t len, size_t max, struct strbuf *out, int *cut)
{
	const unsigned char *s = (const unsigned char *) in;
	size_t	i, w = 0, room = len / 4 * XFER_B64_GROUP + XFER_B64_GROUP;
	unsigned v = 0;
	int	k = 0, d;
	char   *o;

	if (room > max + XFER_B64_GROUP)
		room = max + XFER_B64_GROUP;
	if (strbuf_reserve(out, room) < 0)
		return (-1);
	o = out->data + out->len;
	for (i = 0; i < len && w <= max; i++) {
		if (s[i] >= 128 || (d = b64_tab[s[i]]) < 0)
			continue;
		v = (v << 6) | (unsigned) d;
		if (++k == 4) {
			o[w++] = (char) (v >> 16);
			o[w++] = (char) (v >> 8);
			o[w++] = (char) v;
			v = 0;
			k = 0;
		}
	}
	/* a short last group: 1 byte for 1 or 2 characters, 2 for 3 */
	if (k > 0 && w <= max) {
		v <<= 6 * (4 - k);
		o[w++] = (char) (v >> 16);
		if (k == 3)
			o[w++] = (char) (v >> 8);
	}
	finish(out, w, max, cut);
	return (0);
}

/* The value of each hex digit, -1 for the other bytes. */
static const signed char qp_hex[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

/* qp_digit - the value of hex digit C, 0 for a character that is not one */
static inline unsigned
qp_digit(char c)
{
	int	v = qp_hex[(unsigned char) c];

	return (v < 0 ? 0 : (unsigned) v);
}

/* qp_byte - the byte "=" H L stands for; a digit that is not hex counts 0 */
static inline char
qp_byte(char h, char l)
{
	return ((char) (qp_digit(h) << 4 | qp_digit(l)));
}

/* The bytes that end a run of plain quoted-printable text. */
static const unsigned char qp_stop[256] = {['='] = 1, ['\n'] = 1, ['\r'] = 1};

int
reply_xfer_qp(const char *in, size_t len, size_t max, struct strbuf *out, int *cut)
{
	size_t	i = 0, w = 0, end, room = XFER_QP_STEP * len;
	char   *o, c;
	int	h, l;

	if (room > max + XFER_QP_STEP)
		room = max + XFER_QP_STEP;
	if (strbuf_reserve(out, room) < 0)
		return (-1);
	o = out->data + out->len;
	while (i < len && w <= max) {
		c = in[i];
		if (c == '=' && i + 2 < len && (h = qp_hex[(unsigned char) in[i + 1]]) >= 0
		    && (l = qp_hex[(unsigned char) in[i + 2]]) >= 0) {
			o[w++] = (char) (h << 4 | l);	/* the common case: "=" and two hex digits */
			i += 3;
		} else if (c == '\n' || c == '\r') {
			/* LF, CR LF or a lone CR: CR LF; a CR at the very end: nothing */
			if (c == '\r' && i + 1 == len)
				break;
			i += c == '\r' && in[i + 1] == '\n' ? 2 : 1;
			o[w++] = '\r';
			o[w++] = '\n';
		} else if (c != '=') {
			/* a run of plain bytes, within the budget, copied as it is read */
			end = len - i < max + 1 - w ? len : i + (max + 1 - w);
			do
				o[w++] = in[i++];
			while (i < end && !qp_stop[(unsigned char) in[i]]);
		} else if (i + 1 == len) {
			o[w++] = '=';		/* a last "=" is kept */
			i++;
		} else if (in[i + 1] == '\n') {
			i += 2;			/* soft line break */
		} else if (in[i + 1] == '\r') {
			if (i + 2 == len)
				break;
			i += in[i + 2] == '\n' ? 3 : 2;
		} else if (i + 2 == len) {
			/* "=C" at the very end: C and a NUL ("==": "==") */
			o[w++] = in[i + 1];
			o[w++] = in[i + 1] == '=' ? '=' : 0;
			i = len;
		} else {
			o[w++] = qp_byte(in[i + 1], in[i + 2]);
			i += 3;
		}
	}
	finish(out, w, max, cut);
	return (0);
}
