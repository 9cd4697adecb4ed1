/*
 * NAME
 *	reply_lex 3
 * SUMMARY
 *	the lexicon of the reply analysis: phrases read from data files
 * SYNOPSIS
 *	#include "reply_lex.h"
 * DESCRIPTION
 *	See reply_lex.h. Entries are kept in an array and chained in a
 *	hash table by their first word, longest first. After each load,
 *	index() sorts a word's phrases by their second word: a match
 *	looks up the word at I (its group), then tries, in that chain's
 *	order, the group's phrases whose second word is the word at I + 1
 *	merged with those with no second word or a gap there. The others
 *	could not match; a common word ("không", "em") has hundreds of
 *	phrases, and most of them were tried before. The cost of a lookup
 *	does not grow with the size of the lexicon.
 * DIAGNOSTICS
 *	The loaders name the origin and line of a bad entry.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "reply_charset.h"
#include "reply_key.h"
#include "reply_lex.h"
#include "strbuf.h"

#define LEX_BUCKETS	8192		/* power of two */
#define LEX_PAIR_BUCKETS 8192		/* power of two */
#define LEX_PAIR_MIX	0x9e3779b1u	/* spreads a group over the pair buckets */
#define LEX_SECOND_BITS	64		/* of a group's seconds */

struct entry {
	enum reply_lex_kind kind;
	enum reply_family family;
	unsigned flags;
	int	object;
	size_t	ntok;
	char   *tok[REPLY_LEX_PHRASE_MAX];	/* "*" is a gap */
	size_t	len[REPLY_LEX_PHRASE_MAX];
	unsigned char mk[REPLY_LEX_PHRASE_MAX];	/* each word's marks (reply_key.h) */
	size_t	maxlen;			/* words it can match, gaps at their widest */
	size_t	len1;			/* its second word's length, 0 when none or a gap */
	size_t	first;			/* the first entry with the same first word, index + 1 */
	int	gap;			/* a "*" in it */
	char   *pool;			/* the words, one allocation */
	size_t	next;			/* chain, index + 1 */
	/*
	 * Set by index_entries(); links are index + 1. A group is the entries
	 * of one first word, told by FIRST (its entry holds the group's
	 * fields); a pair the entries of one group with the same second word,
	 * told by the first of them index_entries() meets (the pair's fields).
	 */
	size_t	rank;			/* its place in its chain */
	size_t	gnext;			/* group: the next group of its bucket */
	size_t	wild, wtail;		/* group: its entries with no second word */
	uint64_t seconds;		/* group: second_bit() of its pairs' second words */
	unsigned reach;			/* group: the widest MAXLEN of its entries */
	size_t	wnext;			/* the group's next entry with no second word */
	size_t	pair;			/* its pair */
	size_t	phead, ptail;		/* pair: its entries */
	size_t	pnext;			/* the pair's next entry */
	size_t	pchain;			/* pair: the next pair of its bucket */
};

/* A spelling and the word it stands for. */
struct alias {
	char	from[REPLY_LEX_WORD_MAX], to[REPLY_LEX_WORD_MAX];
	size_t	flen, tlen;
	size_t	next;			/* chain, index + 1 */
};

/*
 * The lengths of the aliases by their first byte: bit L - 1 of [C] for a
 * word of L bytes (a longer word, or an empty one, sets LEX_LEN_LONG). A
 * word whose bit is not set is not hashed: most words are nobody's alias.
 */
typedef uint64_t lex_lens[256];
#define LEX_LEN_BITS	64
#define LEX_LEN_LONG	((uint64_t) 1 << (LEX_LEN_BITS - 1))

struct reply_lex {
	struct entry *e;
	size_t	n, cap;
	size_t	bucket[LEX_BUCKETS];	/* index + 1 */
	struct alias *a;
	size_t	na, capa;
	size_t	abucket[LEX_BUCKETS];
	lex_lens alias_lens;		/* of the aliases */
	size_t	group[LEX_BUCKETS];	/* by first word: a group's first entry, index + 1 */
	size_t	pair[LEX_PAIR_BUCKETS];	/* by first two words: a pair's first entry */
};

/* len_bit - the bit of a word of LEN bytes in a lex_lens row (an empty
 * word shares the bit of the long ones) */
static inline uint64_t
len_bit(size_t len)
{
	return (len > 0 && len < LEX_LEN_BITS ? (uint64_t) 1 << (len - 1) : LEX_LEN_LONG);
}

/* may_be - whether a word S (LEN) can be one of LENS: a first byte and a length seen */
static inline int
may_be(const lex_lens lens, const char *s, size_t len)
{
	return ((lens[(unsigned char) s[0]] & len_bit(len)) != 0);
}

static const char *const kind_names[RLX_COUNT] = {
	"intent", "object", "negation", "passive", "question", "manner", "permission",
	"request", "condition", "condition-ok", "purpose", "mention", "redirect", "neutral",
	"more", "subordinate", "break", "preference", "complaint", "particle", "filler",
	"courtesy", "emotive", "greeting", "closing", "app-signature", "disclaimer",
	"signature", "auto-reply-prefix", "reply-prefix", "calendar-prefix", "keep", "ask", "same-as",
};

static const char *const family_names[REPLY_FAM_COUNT] = {
	"tu_choi", "huy_dang_ky", "dung_gui", "khong_nhan", "xoa_danh_sach", "pattern",
};

const char *
reply_family_name(enum reply_family f)
{
	return ((unsigned) f < REPLY_FAM_COUNT ? family_names[f] : "unknown");
}

/* fnv - FNV-1a of one word */
static inline uint32_t
fnv(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t	i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char) s[i]) * 16777619u;
	return (h);
}

/* hash - the bucket of one word */
static size_t
hash(const char *s, size_t len)
{
	return (fnv(s, len) & (LEX_BUCKETS - 1));
}

/* pair_hash - the pair bucket of the word S (LEN) after the first word of GROUP */
static inline size_t
pair_hash(size_t group, const char *s, size_t len)
{
	return ((fnv(s, len) ^ ((uint32_t) group * LEX_PAIR_MIX)) & (LEX_PAIR_BUCKETS - 1));
}

/* Where the loader is: the current section. */
struct section {
	int	kind;			/* -1 before the first header */
	enum reply_family family;
	unsigned flags;
	int	object;
	char	to[REPLY_LEX_WORD_MAX];	/* RLX_SAME_AS: the word */
	size_t	tlen;
};

/* parse_flag - one word after the family of an intent header */
static int
parse_flag(const char *w, unsigned *flags)
{
	static const struct {
		const char *name;
		unsigned bit;
	} f[] = {
		{"imperative", RLX_IMPERATIVE}, {"weak", RLX_WEAK}, {"request", RLX_REQUEST_ONLY},
		{"alone", RLX_ALONE}, {"strict", RLX_STRICT},
	};
	size_t	i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(w, f[i].name) == 0) {
			*flags |= f[i].bit;
			return (0);
		}
	return (-1);
}

/* same_as_word - the key of word W of a [same-as W] header into SEC */
static int
same_as_word(const char *w, struct section *sec)
{
	struct strbuf k;
	int	r = -1;

	strbuf_init(&k);
	if (reply_key(w, strlen(w), &k) == 0 && k.len > 0 && k.len < sizeof(sec->to)
	    && memchr(k.data, ' ', k.len) == NULL) {
		memcpy(sec->to, k.data, k.len + 1);
		sec->tlen = k.len;
		r = 0;
	}
	strbuf_free(&k);
	return (r);
}

/* parse_header - "[kind arg flag...]" into SEC; -1 when wrong */
static int
parse_header(char *h, struct section *sec)
{
	char   *w[8], *save = NULL, *t;
	size_t	n = 0, i;
	enum category cat;

	for (t = strtok_r(h, " \t", &save); t && n < 8; t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	if (n == 0)
		return (-1);
	memset(sec, 0, sizeof(*sec));
	for (sec->kind = 0; sec->kind < RLX_COUNT && strcmp(w[0], kind_names[sec->kind]) != 0; sec->kind++)
		;
	if (sec->kind == RLX_COUNT)
		return (-1);
	if (sec->kind == RLX_INTENT) {
		if (n < 2)
			return (-1);
		for (sec->family = 0; sec->family < REPLY_FAM_COUNT
		     && strcmp(w[1], family_names[sec->family]) != 0; sec->family++)
			;
		if (sec->family == REPLY_FAM_COUNT || sec->family == REPLY_FAM_PATTERN)
			return (-1);
		for (i = 2; i < n; i++)
			if (parse_flag(w[i], &sec->flags) < 0)
				return (-1);
		return (0);
	}
	if (sec->kind == RLX_SAME_AS)
		return (n == 2 ? same_as_word(w[1], sec) : -1);
	if (sec->kind == RLX_OBJECT) {
		if (n != 2)
			return (-1);
		if (strcmp(w[1], "mail") == 0)
			sec->object = RLX_OBJ_MAIL;
		else if (strcmp(w[1], "other") == 0)
			sec->object = RLX_OBJ_OTHER;
		else if (category_parse(w[1], &cat) == 0)
			sec->object = (int) cat;
		else
			return (-1);
		return (0);
	}
	return (n == 1 ? 0 : -1);
}

/* find_alias - the alias of the word S (LEN), or NULL */
static const struct alias *
find_alias(const struct reply_lex *lx, const char *s, size_t len)
{
	size_t	x;

	if (!may_be(lx->alias_lens, s, len))
		return (NULL);
	for (x = lx->abucket[hash(s, len)]; x; x = lx->a[x - 1].next)
		if (lx->a[x - 1].flen == len && memcmp(lx->a[x - 1].from, s, len) == 0)
			return (&lx->a[x - 1]);
	return (NULL);
}

int
reply_lex_alias(const struct reply_lex *lx, struct reply_tok *t)
{
	const struct alias *a = lx->na ? find_alias(lx, t->s, t->len) : NULL;

	if (a == NULL)
		return (0);
	t->s = a->to;
	t->len = a->tlen;
	return (1);
}

/* add_alias - the word KEY (KLEN) reads as SEC's word */
static int
add_alias(struct reply_lex *lx, const char *key, size_t klen, const struct section *sec)
{
	struct alias *a;
	size_t	h;

	if (klen == 0 || klen >= REPLY_LEX_WORD_MAX || memchr(key, ' ', klen) != NULL) {
		errno = EINVAL;
		return (-1);
	}
	if (lx->na == lx->capa) {
		size_t	nc = lx->capa ? lx->capa * 2 : 64;
		struct alias *n = realloc(lx->a, nc * sizeof(*n));

		if (n == NULL)
			return (-1);
		lx->a = n;
		lx->capa = nc;
	}
	a = &lx->a[lx->na];
	memcpy(a->from, key, klen);
	a->from[klen] = 0;
	a->flen = klen;
	memcpy(a->to, sec->to, sec->tlen + 1);
	a->tlen = sec->tlen;
	lx->alias_lens[(unsigned char) key[0]] |= len_bit(klen);
	h = hash(key, klen);
	a->next = lx->abucket[h];
	lx->abucket[h] = ++lx->na;
	return (0);
}

/* add_entry - the phrase KEY (words separated by single spaces) under SEC */
static int
add_entry(struct reply_lex *lx, const char *key, size_t klen, const unsigned char *wm,
	  const struct section *sec)
{
	struct entry *e;
	size_t	i, h, x, *link;
	char   *p;

	if (lx->n == lx->cap) {
		size_t	nc = lx->cap ? lx->cap * 2 : 256;
		struct entry *ne = realloc(lx->e, nc * sizeof(*ne));

		if (ne == NULL)
			return (-1);
		lx->e = ne;
		lx->cap = nc;
	}
	e = &lx->e[lx->n];
	memset(e, 0, sizeof(*e));
	if ((e->pool = malloc(klen + 1)) == NULL)
		return (-1);
	memcpy(e->pool, key, klen);
	e->pool[klen] = 0;
	for (p = e->pool; p != NULL && *p;) {
		if (e->ntok == REPLY_LEX_PHRASE_MAX)
			break;
		e->tok[e->ntok++] = p;
		if ((p = strchr(p, ' ')) != NULL)
			*p++ = 0;
	}
	if (e->ntok == 0 || (p != NULL && *p) || strcmp(e->tok[0], "*") == 0
	    || strcmp(e->tok[e->ntok - 1], "*") == 0) {
		free(e->pool);
		errno = EINVAL;
		return (-1);
	}
	for (i = 0, e->maxlen = 0; i < e->ntok; i++) {
		e->len[i] = strlen(e->tok[i]);
		e->maxlen += e->len[i] == 1 && e->tok[i][0] == '*' ? REPLY_LEX_GAP_MAX : 1;
		e->gap |= e->len[i] == 1 && e->tok[i][0] == '*';
		e->mk[i] = wm[i];
	}
	if (e->ntok >= 2 && !(e->len[1] == 1 && e->tok[1][0] == '*'))
		e->len1 = e->len[1];
	e->kind = (enum reply_lex_kind) sec->kind;
	e->family = sec->family;
	e->flags = sec->flags;
	e->object = sec->object;
	/* chained longest first, so that a match can stop at a shorter entry */
	h = hash(e->tok[0], e->len[0]);
	e->first = lx->n + 1;
	for (x = lx->bucket[h]; x; x = lx->e[x - 1].next)
		if (strcmp(lx->e[x - 1].tok[0], e->tok[0]) == 0) {
			e->first = lx->e[x - 1].first;
			break;
		}
	for (link = &lx->bucket[h]; *link && lx->e[*link - 1].maxlen > e->maxlen; link = &lx->e[*link - 1].next)
		;
	e->next = *link;
	*link = ++lx->n;
	return (0);
}

/* aliased - the phrase KEY with every word replaced by the word it stands for */
static int
aliased(const struct reply_lex *lx, struct strbuf *key)
{
	struct strbuf o;
	const struct alias *a;
	size_t	i = 0, w;

	if (lx->na == 0)
		return (0);
	strbuf_init(&o);
	while (i < key->len) {
		w = strcspn(key->data + i, " ");
		a = find_alias(lx, key->data + i, w);
		if ((o.len > 0 && strbuf_addc(&o, ' ') < 0)
		    || strbuf_add(&o, a ? a->to : key->data + i, a ? a->tlen : w) < 0) {
			strbuf_free(&o);
			return (-1);
		}
		i += w + 1;
	}
	strbuf_free(key);
	*key = o;
	return (strbuf_reserve(key, 0));
}

/* word_marks - the marks of each word of KEY (MARKS beside it) into WM */
static void
word_marks(const struct strbuf *key, const struct strbuf *marks, unsigned char *wm)
{
	size_t	i, w = 0;

	memset(wm, 0, REPLY_LEX_PHRASE_MAX);
	for (i = 0; i < key->len && w < REPLY_LEX_PHRASE_MAX; i++) {
		if (key->data[i] == ' ')
			w++;
		else if (i < marks->len)
			wm[w] |= (unsigned char) marks->data[i];
	}
}

/* load_line - one line of a lexicon (KEY and MARKS its buffers); -1 when wrong */
static int
load_line(struct reply_lex *lx, char *line, struct section *sec, struct strbuf *key,
	  struct strbuf *marks)
{
	char   *e = line + strlen(line);
	unsigned char wm[REPLY_LEX_PHRASE_MAX];
	int	r;

	while (e > line && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = 0;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == 0 || *line == '#')
		return (0);
	if (*line == '[') {
		if (e[-1] != ']')
			return (-1);
		e[-1] = 0;
		return (parse_header(line + 1, sec));
	}
	if (sec->kind < 0)
		return (-1);
	strbuf_reset(key);
	strbuf_reset(marks);
	if (reply_key_marks(line, strlen(line), key, marks) < 0 || strbuf_reserve(key, 0) < 0)
		return (-2);
	if (key->len == 0)
		return (-1);
	word_marks(key, marks, wm);
	if (sec->kind == RLX_SAME_AS)
		r = add_alias(lx, key->data, key->len, sec);
	else if ((r = aliased(lx, key)) == 0)
		r = add_entry(lx, key->data, key->len, wm, sec);
	return (r < 0 ? (errno == EINVAL ? -1 : -2) : 0);
}

/* second_bit - a word S (LEN, not empty) in a group's seconds: its length and end bytes */
static inline uint64_t
second_bit(const char *s, size_t len)
{
	unsigned b = (unsigned char) s[0] ^ (unsigned char) s[len - 1] << 1 ^ (unsigned) len << 2;

	return ((uint64_t) 1 << (b % LEX_SECOND_BITS));
}

/* find_pair - the pair of GROUP whose second word is S (LEN); index + 1, or 0 */
static size_t
find_pair(const struct reply_lex *lx, size_t group, const char *s, size_t len)
{
	size_t	x;

	for (x = lx->pair[pair_hash(group, s, len)]; x; x = lx->e[x - 1].pchain) {
		const struct entry *p = &lx->e[x - 1];

		if (p->first == group && p->len[1] == len && reply_same_bytes(p->tok[1], s, len))
			return (x);
	}
	return (0);
}

/* index_entry - entry X (index + 1) appended to its group's or its pair's list */
static void
index_entry(struct reply_lex *lx, size_t x)
{
	struct entry *e = &lx->e[x - 1], *g = &lx->e[e->first - 1], *p;
	size_t	h;

	if (e->len1 == 0) {
		if (g->wild == 0)
			g->wild = x;
		else
			lx->e[g->wtail - 1].wnext = x;
		g->wtail = x;
		return;
	}
	g->seconds |= second_bit(e->tok[1], e->len[1]);
	if ((e->pair = find_pair(lx, e->first, e->tok[1], e->len[1])) == 0) {
		h = pair_hash(e->first, e->tok[1], e->len[1]);
		e->pair = x;
		e->pchain = lx->pair[h];
		lx->pair[h] = x;
	}
	p = &lx->e[e->pair - 1];
	if (p->phead == 0)
		p->phead = x;
	else
		lx->e[p->ptail - 1].pnext = x;
	p->ptail = x;
}

/*
 * index_entries - the groups and pairs of the lexicon, built again from the
 * chains (after each load): every list in its chain's order
 */
static void
index_entries(struct reply_lex *lx)
{
	size_t	b, i, x, rank, h;

	memset(lx->group, 0, sizeof(lx->group));
	memset(lx->pair, 0, sizeof(lx->pair));
	for (i = 0; i < lx->n; i++) {
		struct entry *e = &lx->e[i];

		e->gnext = e->wild = e->wtail = e->wnext = 0;
		e->seconds = 0;
		e->reach = 0;
		e->pair = e->phead = e->ptail = e->pnext = e->pchain = 0;
	}
	for (i = 0; i < lx->n; i++)
		if (lx->e[i].first == i + 1) {
			h = hash(lx->e[i].tok[0], lx->e[i].len[0]);
			lx->e[i].gnext = lx->group[h];
			lx->group[h] = i + 1;
		}
	for (i = 0; i < lx->n; i++)
		if (lx->e[lx->e[i].first - 1].reach < lx->e[i].maxlen)
			lx->e[lx->e[i].first - 1].reach = (unsigned) lx->e[i].maxlen;
	for (b = 0; b < LEX_BUCKETS; b++)
		for (x = lx->bucket[b], rank = 0; x; x = lx->e[x - 1].next) {
			lx->e[x - 1].rank = rank++;
			index_entry(lx, x);
		}
}

int
reply_lex_load(struct reply_lex *lx, const char *text, size_t len, const char *origin,
	       char *err, size_t errlen)
{
	struct section sec = {-1, 0, 0, 0, "", 0};
	struct strbuf key, marks;
	char	line[REPLY_LEX_LINE_MAX];
	size_t	i = 0, lineno = 0;
	int	r = 0;

	strbuf_init(&key);
	strbuf_init(&marks);
	while (i < len && r == 0) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t	ll = (nl ? (size_t) (nl - text) : len) - i;

		lineno++;
		if (ll >= sizeof(line) || memchr(text + i, 0, ll) != NULL)
			r = -1;
		else {
			memcpy(line, text + i, ll);
			line[ll] = 0;
			r = load_line(lx, line, &sec, &key, &marks);
		}
		i += ll + 1;
	}
	strbuf_free(&key);
	strbuf_free(&marks);
	index_entries(lx);
	if (r == -2)
		snprintf(err, errlen, "%s: out of memory", origin);
	else if (r < 0)
		snprintf(err, errlen, "%s: line %zu: not a lexicon entry or [section]", origin, lineno);
	return (r < 0 ? -1 : 0);
}

int
reply_lex_load_file(struct reply_lex *lx, const char *path, char *err, size_t errlen)
{
	FILE   *fp = fopen(path, "r");
	char   *buf;
	size_t	len;
	int	r;

	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if ((buf = malloc(REPLY_LEX_FILE_MAX + 1)) == NULL) {
		fclose(fp);
		snprintf(err, errlen, "%s: out of memory", path);
		return (-1);
	}
	len = fread(buf, 1, REPLY_LEX_FILE_MAX + 1, fp);
	if (ferror(fp) || len > REPLY_LEX_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, ferror(fp) ? strerror(errno) : "file too large");
		r = -1;
	} else
		r = reply_lex_load(lx, buf, len, path, err, errlen);
	free(buf);
	fclose(fp);
	return (r);
}

struct reply_lex *
reply_lex_new(char *err, size_t errlen)
{
	struct reply_lex *lx;

	reply_key_init();
	if ((lx = calloc(1, sizeof(*lx))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	if (reply_lex_load(lx, reply_lex_builtin, strlen(reply_lex_builtin), "reply.lex (built in)",
			   err, errlen) < 0) {
		reply_lex_free(lx);
		return (NULL);
	}
	return (lx);
}

void
reply_lex_free(struct reply_lex *lx)
{
	size_t	i;

	if (lx == NULL)
		return;
	for (i = 0; i < lx->n; i++)
		free(lx->e[i].pool);
	free(lx->e);
	free(lx->a);
	free(lx);
}

/* match_from - tokens of E from its word K matched at TOK[I..N); length or 0 */
static size_t
match_from(const struct entry *e, size_t k, const struct reply_tok *tok, size_t n, size_t i)
{
	size_t	g, r;

	if (k == e->ntok)
		return (i);
	if (e->len[k] == 1 && e->tok[k][0] == '*') {
		for (g = 0; g <= REPLY_LEX_GAP_MAX && i + g <= n; g++)
			if ((r = match_from(e, k + 1, tok, n, i + g)) > 0)
				return (r);
		return (0);
	}
	if (i >= n || tok[i].len != e->len[k] || !reply_same_bytes(tok[i].s, e->tok[k], e->len[k])
	    || reply_key_marks_differ(tok[i].mk, e->mk[k]))
		return (0);
	return (match_from(e, k + 1, tok, n, i + 1));
}

/* find_group - the group of the word T; its first entry, index + 1, or 0 */
static inline size_t
find_group(const struct reply_lex *lx, const struct reply_tok *t)
{
	size_t	x;

	for (x = lx->group[hash(t->s, t->len)]; x; x = lx->e[x - 1].gnext) {
		const struct entry *g = &lx->e[x - 1];

		if (g->len[0] == t->len && reply_same_bytes(g->tok[0], t->s, t->len))
			return (x);
	}
	return (0);
}

/* take - entry E matched LEN tokens: M keeps the longest, with its kinds */
static void
take(const struct entry *e, size_t len, struct reply_lex_match *m)
{
	size_t	k;

	if (len < m->len)
		return;
	if (len > m->len)
		m->kinds = 0;
	m->len = len;
	m->kinds |= RLX_BIT(e->kind);
	if (e->kind == RLX_INTENT) {
		m->family = e->family;
		m->flags = e->flags;
		m->gap = e->gap;
		m->marked = 0;
		for (k = 0; k < e->ntok; k++)
			m->marked |= e->mk[k] != 0;
	} else if (e->kind == RLX_OBJECT)
		m->object = e->object;
}

/*
 * reply_lex_match - the entries of TOK[I]'s group that may match, in their
 * chain's order (widest reach first; of one reach, the last loaded first):
 * those with no second word merged with the pair of TOK[I + 1]; the group's
 * seconds tell most words that are no pair's second word before any lookup
 */
size_t
reply_lex_match(const struct reply_lex *lx, const struct reply_tok *tok, size_t n,
		size_t i, struct reply_lex_match *m)
{
	size_t	g, a, b, x, end;

	memset(m, 0, sizeof(*m));
	if (i >= n)
		return (0);
	if ((g = find_group(lx, &tok[i])) == 0) {
		m->reach = 1;			/* no phrase starts with this word */
		return (0);
	}
	m->reach = lx->e[g - 1].reach;
	a = lx->e[g - 1].wild;
	b = 0;
	if (i + 1 < n && tok[i + 1].len > 0
	    && (lx->e[g - 1].seconds & second_bit(tok[i + 1].s, tok[i + 1].len)) != 0
	    && (b = find_pair(lx, g, tok[i + 1].s, tok[i + 1].len)) != 0)
		b = lx->e[b - 1].phead;
	while (a != 0 || b != 0) {
		const struct entry *e;

		if (b == 0 || (a != 0 && lx->e[a - 1].rank < lx->e[b - 1].rank)) {
			x = a;
			a = lx->e[a - 1].wnext;
		} else {
			x = b;
			b = lx->e[b - 1].pnext;
		}
		e = &lx->e[x - 1];
		if (e->maxlen < m->len)
			break;			/* the rest are shorter */
		if (reply_key_marks_differ(tok[i].mk, e->mk[0])
		    || (end = e->ntok == 1 ? i + 1 : match_from(e, 1, tok, n, i + 1)) == 0)
			continue;
		take(e, end - i, m);
	}
	return (m->len);
}
