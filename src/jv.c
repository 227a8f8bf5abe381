/* jv.c - JSON over yajl: the one file that knows the library. yajl reads the text and calls
 * back once per value; the tree is built here, one arena per document: an object is an array
 * of (key, value) in document order, an array an array of values, strings are copied into the
 * arena once, and jv_free frees a few blocks instead of one allocation per node. On
 * Greenhouse and Lever boards (bench/gen.py) the adapters run 17% and 22% fewer instructions
 * than over json-c's tree of hash tables. What is read and refused is what json-c's strict
 * mode read and refused (jv.h): where yajl differs, jv_mend makes the text one yajl reads, and
 * the values are taken from the text as written. */
#include "jv.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>
#include <yajl/yajl_parse.h>

#include "util.h"

/* jansson's limit, which the adapters were written against: deeper is refused. */
#define JV_MAX_DEPTH 2048
/* What a value costs at most while it is built, besides its text: its slot in the arena (24
 * bytes), its slot on the stack of values waiting for their container (24, which may double)
 * and the padding of its key and of its string (8 each). A value is counted by the brace,
 * bracket or comma before it. */
#define JV_COST_VALUE 96

struct jv {
	uint8_t type; /* enum jv_type */
	bool big;     /* an integer above INT64_MAX, in u.u */
	uint32_t n;   /* members of an object, elements of an array */
	union {
		bool b;
		int64_t i;
		uint64_t u;
		double d;
		const char *s;
		struct jv *items;
		struct jv_member *members;
	} u;
};

struct jv_member {
	const char *key;
	struct jv v;
};

struct jv_block {
	struct jv_block *next;
	size_t size, used;
	max_align_t data[];
};

/* What jv_parse returns: the root first, so that jv_free finds the arena from it. */
struct jv_doc {
	struct jv root;
	struct jv_block *blocks;
};

struct jv_frame {
	size_t first; /* where its members or elements start on the stack */
	const char *key;
};

struct jv_build {
	const char *text; /* what the values are read from: the document as given */
	const char *fed;  /* what yajl reads: text, or text mended (jv_mend) */
	size_t nfed;
	yajl_handle yajl;
	struct jv_doc *doc;
	size_t block;
	struct jv_member *stack; /* values waiting for their container to end */
	size_t nstack, capstack;
	struct jv_frame *frames;
	size_t depth, capframes;
	size_t last;	 /* where the token of the last call back ends */
	size_t end;	 /* where the value at the top ends */
	bool completing; /* in yajl_complete_parse, which reads from a buffer of its own */
	const char *key; /* the key of the value to come */
	const char *err;
};

/* Where the first byte that fails json-c's UTF-8 check (JSON_TOKENER_VALIDATE_UTF8) starts
 * its sequence, or len: a lead byte 110xxxxx, 1110xxxx or 11110xxx followed by as many
 * 10xxxxxx. ASCII goes eight bytes at a step. */
static size_t jv_utf8_bad(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		uint64_t w;

		while (end - p >= 8 && (memcpy(&w, p, 8), (w & 0x8080808080808080ull) == 0))
			p += 8;
		if (p == end)
			break;
		const unsigned char *start = p;
		unsigned char c = *p++;
		int more = c < 0x80		? 0
			   : (c & 0xe0) == 0xc0 ? 1
			   : (c & 0xf0) == 0xe0 ? 2
			   : (c & 0xf8) == 0xf0 ? 3
						: -1;
		if (more < 0)
			return (size_t)(start - (const unsigned char *)s);
		for (; more > 0; more--)
			if (p == end || (*p++ & 0xc0) != 0x80)
				return (size_t)(start - (const unsigned char *)s);
	}
	return len;
}

/* The bytes jv_fits counts, sixteen at a time: GCC's and clang's vector extension compiles
 * to SSE2 on x86-64 and to a plain loop elsewhere. A lane counts to 255, so a block is at
 * most 255 steps; the budget is checked after each block. */
typedef unsigned char jv_lanes __attribute__((vector_size(16)));
#define JV_FITS_BLOCK (255 * sizeof(jv_lanes))

static size_t jv_lanes_sum(jv_lanes v)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(v); i++)
		n += v[i];
	return n;
}

/* Whether the tree fits (see jv_fits), and in *blanks how many vertical tabs and form feeds
 * the text holds (yajl reads them as blanks; json-c refused them). */
static bool jv_scan(const char *s, size_t len, size_t *blanks)
{
	/* an upper bound: braces and commas inside strings count too */
	size_t budget = UTIL_TREE_BUDGET(len), values = 0, i = 0;

	*blanks = 0;
	if (len > budget)
		return false;
	budget -= len;
	while (i < len) {
		size_t end = len - i < JV_FITS_BLOCK ? len : i + JV_FITS_BLOCK;
		jv_lanes c = {0}, f = {0}, v;

		for (; end - i >= sizeof(v); i += sizeof(v)) {
			memcpy(&v, s + i, sizeof(v));
			c -= (jv_lanes)((v == '{') | (v == '[') | (v == ','));
			f -= (jv_lanes)((v == '\v') | (v == '\f'));
		}
		for (; i < end; i++) {
			values += s[i] == '{' || s[i] == '[' || s[i] == ',';
			*blanks += s[i] == '\v' || s[i] == '\f';
		}
		values += jv_lanes_sum(c);
		*blanks += jv_lanes_sum(f);
		/* the cost only grows: once over, the whole body is */
		if (values > budget / JV_COST_VALUE)
			return false;
	}
	return true;
}

bool jv_fits(const char *s, size_t len)
{
	size_t blanks;

	return jv_scan(s, len, &blanks);
}

static void *jv_alloc(struct jv_build *b, size_t n)
{
	struct jv_block *k = b->doc->blocks;

	n = (n + 7) & ~(size_t)7;
	if (k == NULL || k->size - k->used < n) {
		size_t size = n > b->block ? n : b->block;
		k = xmalloc(sizeof(*k) + size);
		k->size = size;
		k->used = 0;
		k->next = b->doc->blocks;
		b->doc->blocks = k;
		b->block *= 2;
	}
	void *p = (char *)k->data + k->used;
	k->used += n;
	return p;
}

/* Whether p points into s[0..len): yajl passes a token from the text or from a buffer of its
 * own. */
static bool jv_within(const char *p, const char *s, size_t len)
{
	return (uintptr_t)p >= (uintptr_t)s && (uintptr_t)p - (uintptr_t)s < len;
}

static int jv_put(struct jv_build *b, struct jv v)
{
	/* json-c counted the values around a value: 2048 containers, the innermost empty */
	if (b->depth >= JV_MAX_DEPTH) {
		b->err = "nesting too deep";
		return 0;
	}
	b->last = yajl_get_bytes_consumed(b->yajl);
	if (b->depth == 0) {
		b->doc->root = v;
		b->end = b->completing ? b->nfed : yajl_get_bytes_consumed(b->yajl);
		return 1;
	}
	if (b->nstack == b->capstack) {
		b->capstack = b->capstack ? 2 * b->capstack : 64;
		b->stack = xreallocarray(b->stack, b->capstack, sizeof(*b->stack));
	}
	b->stack[b->nstack++] = (struct jv_member){.key = b->key, .v = v};
	b->key = NULL;
	return 1;
}

static int jv_on_null(void *ctx)
{
	return jv_put(ctx, (struct jv){.type = JV_NULL});
}

static int jv_on_boolean(void *ctx, int v)
{
	return jv_put(ctx, (struct jv){.type = JV_BOOLEAN, .u.b = v != 0});
}

/* As json-c: an integer beyond int64 is the nearest int64 when negative; when positive it
 * is a uint64 (the largest when beyond), which jv_int reads as INT64_MAX. */
static int jv_on_number(void *ctx, const char *s, size_t len)
{
	struct jv_build *b = ctx;
	/* the number as written, not as mended; one that ends the text comes from yajl's buffer */
	size_t at = jv_within(s, b->fed, b->nfed) ? (size_t)(s - b->fed) : b->nfed - len;
	const char *t = b->text + at;
	struct jv v = {.type = JV_INTEGER};

	if (b->fed != b->text) /* a number jv_mend wrote "0" over */
		for (len = 0; at + len < b->nfed && t[len] && strchr("0123456789.eE+-", t[len]);
		     len++)
			;
	if (t[0] == 'N' || (t[0] == '-' ? t[1] : t[0]) == 'I') {
		v.type = JV_REAL;
		v.u.d = t[0] == 'N' ? NAN : t[0] == '-' ? -INFINITY : INFINITY;
		return jv_put(b, v);
	}
	char buf[64], *num = len < sizeof(buf) ? buf : xmalloc(len + 1);
	memcpy(num, t, len);
	num[len] = '\0';
	if (strpbrk(num, ".eE")) {
		v.type = JV_REAL;
		v.u.d = strtod(num, NULL);
	} else if (num[0] == '-') {
		v.u.i = strtoll(num, NULL, 10);
	} else {
		v.u.u = strtoull(num, NULL, 10);
		v.big = v.u.u > INT64_MAX;
	}
	if (num != buf)
		free(num);
	return jv_put(b, v);
}

static unsigned jv_hex4(const char *s)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)s[i];
		v = v << 4 | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

/* The string s[0..len) between its quotes, escapes read as json-c read them (yajl differs on
 * \u0000 and on surrogates without their pair, which json-c makes U+FFFD), into the arena.
 * yajl has checked the escapes. */
static const char *jv_unescape(struct jv_build *b, const char *s, size_t len)
{
	char *out = jv_alloc(b, len + 1), *o = out;

	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\\') {
			*o++ = s[i];
			continue;
		}
		char c = s[++i];
		if (c != 'u') {
			*o++ = c == 'b'	  ? '\b'
			       : c == 'f' ? '\f'
			       : c == 'n' ? '\n'
			       : c == 'r' ? '\r'
			       : c == 't' ? '\t'
					  : c;
			continue;
		}
		unsigned u = jv_hex4(s + i + 1);
		i += 4;
		if (u >= 0xd800 && u < 0xdc00 && i + 6 < len && s[i + 1] == '\\' &&
		    s[i + 2] == 'u') {
			unsigned low = jv_hex4(s + i + 3);
			if (low >= 0xdc00 && low < 0xe000) {
				u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
				i += 6;
			}
		}
		if (u >= 0xd800 && u < 0xe000)
			u = 0xfffd;
		o += str_utf8_put(o, u);
	}
	*o = '\0';
	return out;
}

/* Where the string whose closing quote is at s[end] opens: the first quote before it that
 * no backslash escapes. */
static size_t jv_string_start(const char *s, size_t end)
{
	size_t start = end;

	for (;;) {
		size_t slashes = 0;
		while (s[--start] != '"')
			;
		while (slashes < start && s[start - 1 - slashes] == '\\')
			slashes++;
		if (slashes % 2 == 0)
			return start;
	}
}

/* The string yajl has just read, as a C string in the arena. Without escapes yajl passes it
 * from the text as it is; with escapes, or when the text was mended, it is read again from
 * the text, where it ends at the quote yajl stopped after and opens at the first quote after
 * the token before it. */
static const char *jv_string(struct jv_build *b, const unsigned char *us, size_t len)
{
	const char *s = (const char *)us;

	if (b->fed == b->text && jv_within(s, b->fed, b->nfed)) {
		char *p = jv_alloc(b, len + 1);
		memcpy(p, s, len);
		p[len] = '\0';
		return p;
	}
	size_t end = yajl_get_bytes_consumed(b->yajl) - 1;
	const char *start = memchr(b->text + b->last, '"', end - b->last);

	return jv_unescape(b, start + 1, (size_t)(b->text + end - start - 1));
}

static int jv_on_string(void *ctx, const unsigned char *s, size_t len)
{
	struct jv_build *b = ctx;
	const char *p = jv_string(b, s, len);

	return jv_put(b, (struct jv){.type = JV_STRING, .u.s = p});
}

static int jv_on_key(void *ctx, const unsigned char *s, size_t len)
{
	struct jv_build *b = ctx;

	b->key = jv_string(b, s, len);
	b->last = yajl_get_bytes_consumed(b->yajl);
	return 1;
}

static int jv_open(struct jv_build *b)
{
	if (b->depth >= JV_MAX_DEPTH) {
		b->err = "nesting too deep";
		return 0;
	}
	if (b->depth == b->capframes) {
		b->capframes = b->capframes ? 2 * b->capframes : 16;
		b->frames = xreallocarray(b->frames, b->capframes, sizeof(*b->frames));
	}
	b->frames[b->depth++] = (struct jv_frame){.first = b->nstack, .key = b->key};
	b->key = NULL;
	b->last = yajl_get_bytes_consumed(b->yajl);
	return 1;
}

static int jv_on_start(void *ctx)
{
	return jv_open(ctx);
}

static uint64_t jv_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* m[0..n) with a repeated key kept once, in its first place, with its last value, as json-c
 * did; returns how many are left. */
static size_t jv_dedupe(struct jv_member *m, size_t n)
{
	size_t k = 0;

	if (n <= 16) {
		for (size_t i = 0; i < n; i++) {
			size_t j = 0;
			while (j < k && strcmp(m[j].key, m[i].key) != 0)
				j++;
			if (j < k)
				m[j].v = m[i].v;
			else
				m[k++] = m[i];
		}
		return k;
	}
	size_t size = 32;
	while (size < 2 * n)
		size *= 2;
	size_t *slot = xmalloc(size * sizeof(*slot));
	for (size_t i = 0; i < size; i++)
		slot[i] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t h = (size_t)jv_hash(m[i].key) & (size - 1);
		while (slot[h] != SIZE_MAX && strcmp(m[slot[h]].key, m[i].key) != 0)
			h = (h + 1) & (size - 1);
		if (slot[h] != SIZE_MAX) {
			m[slot[h]].v = m[i].v;
		} else {
			slot[h] = k;
			m[k++] = m[i];
		}
	}
	free(slot);
	return k;
}

static int jv_on_end_map(void *ctx)
{
	struct jv_build *b = ctx;
	struct jv_frame f = b->frames[--b->depth];
	size_t n = jv_dedupe(b->stack + f.first, b->nstack - f.first);
	struct jv v = {.type = JV_OBJECT, .n = (uint32_t)n};

	if (n > 0) {
		v.u.members = jv_alloc(b, n * sizeof(*v.u.members));
		memcpy(v.u.members, b->stack + f.first, n * sizeof(*v.u.members));
	}
	b->nstack = f.first;
	b->key = f.key;
	return jv_put(b, v);
}

static int jv_on_end_array(void *ctx)
{
	struct jv_build *b = ctx;
	struct jv_frame f = b->frames[--b->depth];
	size_t n = b->nstack - f.first;
	struct jv v = {.type = JV_ARRAY, .n = (uint32_t)n};

	if (n > 0) {
		v.u.items = jv_alloc(b, n * sizeof(*v.u.items));
		for (size_t i = 0; i < n; i++)
			v.u.items[i] = b->stack[f.first + i].v;
	}
	b->nstack = f.first;
	b->key = f.key;
	return jv_put(b, v);
}

static const yajl_callbacks jv_callbacks = {
    .yajl_null = jv_on_null,
    .yajl_boolean = jv_on_boolean,
    .yajl_number = jv_on_number,
    .yajl_string = jv_on_string,
    .yajl_start_map = jv_on_start,
    .yajl_map_key = jv_on_key,
    .yajl_end_map = jv_on_end_map,
    .yajl_start_array = jv_on_start,
    .yajl_end_array = jv_on_end_array,
};

static bool jv_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Where s[at..] starts with word as a whole value, not as part of a longer token. */
static bool jv_word_at(const char *s, size_t len, size_t at, const char *word)
{
	size_t n = strlen(word);

	return len - at >= n && memcmp(s + at, word, n) == 0 &&
	       (at == 0 || jv_blank(s[at - 1]) || strchr("[,:", s[at - 1])) &&
	       (at + n == len || jv_blank(s[at + n]) || strchr(",]}", s[at + n]));
}

static bool jv_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The length of the number at s[0..len) that json-c read and RFC 8259 (and yajl) does not, or
 * 0: digits after a leading zero (00, -01, 00.5, but not 0123, which json-c refused too) and
 * a point without digits after it (1., 2.e3). */
static size_t jv_lax_number(const char *s, size_t len)
{
	size_t i = s[0] == '-', start = i, point = 0, frac = 0;

	while (i < len && jv_digit(s[i]))
		i++;
	if (i == start)
		return 0;
	bool zeros = s[start] == '0' && i - start > 1, integer = true;
	if (i < len && s[i] == '.') {
		point = ++i;
		while (i < len && jv_digit(s[i]))
			i++;
		frac = i - point;
		integer = false;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i += i + 1 < len && (s[i + 1] == '+' || s[i + 1] == '-') ? 2 : 1;
		size_t exp = i;
		while (i < len && jv_digit(s[i]))
			i++;
		if (i == exp)
			return 0;
		integer = false;
	}
	if (i < len && (s[i] == '\0' || strchr("0123456789.eE+-", s[i])))
		return 0;
	/* json-c's own check: an unsigned integer may not start with 0 unless it is 0 */
	if (zeros && integer && s[0] != '-' && strspn(s, "0") < i)
		return 0;
	return zeros || (point && frac == 0) ? i : 0;
}

/* s[0..len) as yajl can read it, the same length, or NULL when nothing needs mending: json-c
 * read NaN, Infinity and -Infinity and numbers as jv_lax_number says, which become numbers
 * yajl reads (jv_on_number reads the original), and raw control characters in strings, which
 * become blanks (jv_string reads the original). A NUL ended json-c's text: it stays, and yajl
 * refuses it. */
static char *jv_mend(const char *s, size_t len)
{
	char *t = NULL;
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		const char *with = NULL;
		size_t n = 0;

		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = false;
			else if ((unsigned char)s[i] < 0x20 && s[i] != '\0')
				with = " ", n = 1;
		} else if (s[i] == '"') {
			in_string = true;
		} else if (jv_word_at(s, len, i, "NaN")) {
			with = "0.0", n = 3;
		} else if (jv_word_at(s, len, i, "Infinity")) {
			with = "1e999999", n = 8;
		} else if (jv_word_at(s, len, i, "-Infinity")) {
			with = "-1e999999", n = 9;
		} else if ((s[i] == '-' || jv_digit(s[i])) &&
			   (i == 0 || jv_blank(s[i - 1]) || strchr("[,:", s[i - 1])) &&
			   (n = jv_lax_number(s + i, len - i)) > 0) {
			with = "0";
		}
		if (with) {
			if (t == NULL) {
				t = xmalloc(len + 1);
				memcpy(t, s, len);
			}
			memset(t + i, ' ', n);
			memcpy(t + i, with, strlen(with));
			i += n - 1;
		}
	}
	return t;
}

/* Where the first vertical tab or form feed outside strings is, or len. */
static size_t jv_stray_blank(const char *s, size_t len)
{
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		if (in_string && s[i] == '\\')
			i++;
		else if (s[i] == '"')
			in_string = !in_string;
		else if (!in_string && (s[i] == '\v' || s[i] == '\f'))
			return i;
	}
	return len;
}

static void jv_build_free(struct jv_build *b)
{
	if (b->yajl)
		yajl_free(b->yajl);
	free(b->stack);
	free(b->frames);
	b->yajl = NULL;
	b->stack = NULL;
	b->frames = NULL;
	b->nstack = b->capstack = b->depth = b->capframes = b->last = 0;
	b->key = NULL;
}

/* Where json-c failed on a text fed[0..n) that ends inside a token, the last one before
 * which ended at fed[last]: at the end, unless that token is a string opened where no value or
 * key may start (a quote after a value, say), which json-c refused at the quote while yajl,
 * waiting for the string's end, only sees the text end. */
static size_t jv_open_string_at(const char *fed, size_t last, size_t n)
{
	size_t q = last;

	while (q < n && (jv_blank(fed[q]) || fed[q] == ',' || fed[q] == ':'))
		q++;
	if (q == n || fed[q] != '"')
		return n;
	yajl_handle y = yajl_alloc(NULL, NULL, NULL);
	if (y == NULL)
		fatal("out of memory");
	yajl_config(y, yajl_dont_validate_strings, 1);
	bool misplaced = yajl_parse(y, (const unsigned char *)fed, q) != yajl_status_ok ||
			 yajl_parse(y, (const unsigned char *)"\"\"", 2) != yajl_status_ok;
	yajl_free(y);
	return misplaced ? q : n;
}

/* Read fed[0..n) with yajl into b->doc (to the end of the text when whole); 0 or the offset
 * yajl failed at, from 1, with its message in msg. */
static size_t jv_read(struct jv_build *b, const char *fed, size_t n, bool whole, char *msg,
		      size_t msglen)
{
	yajl_status st;

	b->fed = fed;
	b->nfed = n;
	b->yajl = yajl_alloc(&jv_callbacks, NULL, b);
	if (b->yajl == NULL)
		fatal("out of memory");
	/* jv_utf8_bad has checked the whole text */
	yajl_config(b->yajl, yajl_dont_validate_strings, 1);
	st = yajl_parse(b->yajl, (const unsigned char *)fed, n);
	size_t at = yajl_get_bytes_consumed(b->yajl);
	bool at_end = st == yajl_status_ok;
	if (st == yajl_status_ok && whole) {
		/* what fails only now fails at the end of the text, as json-c said */
		b->completing = true;
		st = yajl_complete_parse(b->yajl);
		b->completing = false;
		at = jv_open_string_at(fed, b->last, n);
	}
	if (st == yajl_status_ok)
		return 0;
	if (b->err) {
		snprintf(msg, msglen, "%s", b->err);
	} else {
		unsigned char *e = yajl_get_error(b->yajl, 0, NULL, 0);
		const char *m = (const char *)e;
		/* yajl stops after the token it did not expect, json-c at its start: the two
		 * differ in line for a string across lines. After a member's value, yajl goes
		 * back to the token's start, but for a string to the second byte after it. */
		if (strncmp(m, "parse error: ", 13) == 0) {
			m += 13;
			bool back = strncmp(m, "after key and value", 19) == 0;
			if (back && at >= 2 && at - 2 >= b->last && fed[at - 2] == '"')
				at -= 2;
			else if (!back && !at_end && at > 1 && at <= n && fed[at - 1] == '"')
				at = jv_string_start(fed, at - 1);
		} else if (strncmp(m, "lexical error: ", 15) == 0)
			m += 15;
		/* one line, without the full stop some of yajl's end with, as json-c's read */
		int w = (int)strcspn(m, "\n");
		w -= w > 0 && m[w - 1] == '.';
		snprintf(msg, msglen, "%.*s", w, m);
		yajl_free_error(b->yajl, e);
	}
	return at + 1;
}

static size_t jv_line(const char *s, size_t at)
{
	size_t line = 1;

	for (const char *p = s, *end = s + at; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		line++;
	return line;
}

struct jv *jv_parse(const char *s, size_t len, int *line, char *msg, size_t msglen)
{
	struct jv_build b = {.text = s};
	size_t blanks, bad, failed, at = len;
	char *mended = NULL;

	*line = 1;
	if (len > INT_MAX) {
		snprintf(msg, msglen, "too long");
		return NULL;
	}
	if (!jv_scan(s, len, &blanks)) {
		snprintf(msg, msglen, "too many objects, arrays and values for its size");
		return NULL;
	}
	b.doc = xcalloc(1, sizeof(*b.doc));
	b.block = len / 2 + 4096;
	/* json-c failed at the first bad UTF-8 unless the text before it was bad JSON already */
	bad = jv_utf8_bad(s, len);
	failed = jv_read(&b, s, bad, bad == len, msg, msglen);
	if (failed && (mended = jv_mend(s, bad)) != NULL) {
		jv_build_free(&b);
		jv_free(&b.doc->root);
		b.doc = xcalloc(1, sizeof(*b.doc));
		b.block = len / 2 + 4096;
		b.err = NULL;
		failed = jv_read(&b, mended, bad, bad == len, msg, msglen);
	}
	if (failed) {
		at = failed - 1;
	} else if (bad < len) {
		snprintf(msg, msglen, "invalid utf-8 string");
		at = bad;
	} else {
		/* yajl takes a quote left open after the value for the end of the text */
		const char *fed = mended ? mended : s;
		for (at = b.end < len ? b.end : len; at < len && jv_blank(fed[at]); at++)
			;
		if (at < len)
			snprintf(msg, msglen, "trailing garbage");
	}
	/* json-c stopped at a vertical tab or form feed between tokens; yajl reads on */
	size_t stray = blanks > 0 ? jv_stray_blank(s, at) : at;
	if (stray < at) {
		snprintf(msg, msglen, "unexpected character");
		at = stray;
	}
	jv_build_free(&b);
	free(mended);
	if (at < len || failed) {
		*line = (int)jv_line(s, at < len ? at : len);
		jv_free(&b.doc->root);
		return NULL;
	}
	if (b.doc->root.type == JV_NULL) {
		jv_free(&b.doc->root);
		return NULL;
	}
	return &b.doc->root;
}

void jv_free(struct jv *v)
{
	struct jv_doc *doc = (struct jv_doc *)v;

	if (doc == NULL)
		return;
	for (struct jv_block *k = doc->blocks, *next; k; k = next) {
		next = k->next;
		free(k);
	}
	free(doc);
}

enum jv_type jv_type(const struct jv *v)
{
	return v ? (enum jv_type)v->type : JV_NULL;
}

bool jv_is_object(const struct jv *v)
{
	return v && v->type == JV_OBJECT;
}

bool jv_is_array(const struct jv *v)
{
	return v && v->type == JV_ARRAY;
}

bool jv_is_string(const struct jv *v)
{
	return v && v->type == JV_STRING;
}

bool jv_is_integer(const struct jv *v)
{
	return v && v->type == JV_INTEGER;
}

bool jv_is_real(const struct jv *v)
{
	return v && v->type == JV_REAL;
}

bool jv_is_number(const struct jv *v)
{
	return jv_is_integer(v) || jv_is_real(v);
}

bool jv_is_true(const struct jv *v)
{
	return v && v->type == JV_BOOLEAN && v->u.b;
}

bool jv_is_false(const struct jv *v)
{
	return v && v->type == JV_BOOLEAN && !v->u.b;
}

/* The value at key, a JSON null included. Objects are small: a scan beats a hash. */
static const struct jv *jv_member(const struct jv *obj, const char *key)
{
	if (!jv_is_object(obj))
		return NULL;
	for (uint32_t i = 0; i < obj->n; i++) {
		const struct jv_member *m = &obj->u.members[i];
		if (m->key[0] == key[0] && strcmp(m->key, key) == 0)
			return &m->v;
	}
	return NULL;
}

struct jv *jv_get(const struct jv *obj, const char *key)
{
	const struct jv *v = jv_member(obj, key);

	return v && v->type != JV_NULL ? (struct jv *)v : NULL;
}

bool jv_has(const struct jv *obj, const char *key)
{
	return jv_member(obj, key) != NULL;
}

size_t jv_keys(const struct jv *obj, const char **keys, size_t max)
{
	size_t n = 0;

	for (; jv_is_object(obj) && n < obj->n && n < max; n++)
		keys[n] = obj->u.members[n].key;
	return n;
}

const char *jv_str(const struct jv *v)
{
	return jv_is_string(v) ? v->u.s : NULL;
}

int64_t jv_int(const struct jv *v)
{
	return !jv_is_integer(v) ? 0 : v->big ? INT64_MAX : v->u.i;
}

double jv_number(const struct jv *v)
{
	if (jv_is_integer(v))
		return v->big ? (double)v->u.u : (double)v->u.i;
	return jv_is_real(v) ? v->u.d : 0;
}

/* The canonical form of a tree, into XXH3 through a buffer: most values are a few bytes, so
 * they go to XXH3 a kilobyte at a time rather than in an update each. */
struct jv_feed {
	XXH3_state_t *state;
	size_t n;
	unsigned char buf[1024];
};

static void jv_feed_put(struct jv_feed *f, const void *p, size_t n)
{
	if (f->n + n > sizeof(f->buf)) {
		XXH3_64bits_update(f->state, f->buf, f->n);
		f->n = 0;
		if (n > sizeof(f->buf)) {
			XXH3_64bits_update(f->state, p, n);
			return;
		}
	}
	memcpy(f->buf + f->n, p, n);
	f->n += n;
}

/* A string with its length first, so that no two sequences of strings read alike. */
static void jv_feed_str(struct jv_feed *f, const char *s)
{
	uint64_t len = strlen(s);

	jv_feed_put(f, &len, sizeof(len));
	jv_feed_put(f, s, len);
}

/* Each value as its type (and whether it is big), then what it holds; a container its size
 * first. */
static void jv_feed_value(struct jv_feed *f, const struct jv *v)
{
	unsigned char tag = (unsigned char)(v->type | (v->big ? 0x80 : 0));

	jv_feed_put(f, &tag, 1);
	switch ((enum jv_type)v->type) {
	case JV_NULL:
		break;
	case JV_BOOLEAN:
		tag = v->u.b;
		jv_feed_put(f, &tag, 1);
		break;
	case JV_INTEGER:
		jv_feed_put(f, &v->u.u, sizeof(v->u.u));
		break;
	case JV_REAL:
		jv_feed_put(f, &v->u.d, sizeof(v->u.d));
		break;
	case JV_STRING:
		jv_feed_str(f, v->u.s);
		break;
	case JV_ARRAY:
		jv_feed_put(f, &v->n, sizeof(v->n));
		for (uint32_t i = 0; i < v->n; i++)
			jv_feed_value(f, &v->u.items[i]);
		break;
	case JV_OBJECT:
		jv_feed_put(f, &v->n, sizeof(v->n));
		for (uint32_t i = 0; i < v->n; i++) {
			jv_feed_str(f, v->u.members[i].key);
			jv_feed_value(f, &v->u.members[i].v);
		}
		break;
	}
}

uint64_t jv_fingerprint(const struct jv *v, uint64_t seed)
{
	static const struct jv null = {.type = JV_NULL};
	static struct jv_feed f;

	if (f.state == NULL && (f.state = XXH3_createState()) == NULL)
		fatal("out of memory");
	XXH3_64bits_reset_withSeed(f.state, seed);
	f.n = 0;
	jv_feed_value(&f, v ? v : &null);
	XXH3_64bits_update(f.state, f.buf, f.n);
	return XXH3_64bits_digest(f.state);
}

size_t jv_array_size(const struct jv *v)
{
	return jv_is_array(v) ? v->n : 0;
}

struct jv *jv_array_get(const struct jv *a, size_t i)
{
	if (i >= jv_array_size(a) || a->u.items[i].type == JV_NULL)
		return NULL;
	return &a->u.items[i];
}
