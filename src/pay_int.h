/* pay_int.h - what the pay parser's files share and nothing else sees: the parse state (an
 * amount, a candidate, the scan, the context of a candidate), the byte and word helpers every
 * part uses (inline: they run once a byte), and what each file offers the others. Only
 * src/pay*.c include it; the API is include/pay.h. */
#ifndef JOBWATCH_PAY_INT_H
#define JOBWATCH_PAY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "pay.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One amount as written: [currency] number [k|M] [currency]. */
struct text_amount {
	size_t start, end; /* byte span including currency marks */
	double value;
	char currency[4];    /* from a symbol or code; "" when none */
	bool dollar;	     /* a bare "$", whose country is unknown */
	bool kr;	     /* "kr", "kr.", ":-": a krona or krone, whose country is unknown */
	bool peso;	     /* "pesos": a peso of a country the places name */
	bool lakh;	     /* lakh, crore, LPA: Indian numbering, rupees unless a code says */
	bool iso_after;	     /* an ISO code after the number: it wins over a symbol */
	bool kilo;	     /* a k/K suffix */
	bool mega;	     /* M, Mio, million, bn …: funding and revenue, never pay */
	bool plus;	     /* "$200k+" */
	bool grouped;	     /* written with a thousands separator: "50,000" */
	double mult;	     /* the multiplier written after it: k 1000, lakh 100000 */
	enum pay_period lpa; /* "LPA": lakh per annum names the period too */
};

/* One candidate: an amount or a range, with what the words around it say. */
struct text_match {
	struct text_amount lo, hi;
	bool range;
	enum pay_period lo_period; /* "$97,000/year - $127,000/year" */
	size_t start, end;
};

/* A word of a context list: WORD_ANY matches inside compounds ("Jahresgehalt"), WORD_START
 * at a word's start only ("base" but not "database"), WORD_WHOLE as a whole word ("OTE"). */
enum text_word_kind { WORD_ANY, WORD_START, WORD_WHOLE };

/* What a pay word says of the figures it governs. */
enum text_word_class {
	WORD_BASE,    /* base pay: "salary", "Gehalt", "hourly rate" */
	WORD_TOTAL,   /* base and variable together ("OTE"): the pay only when stated first */
	WORD_STIPEND, /* a role's stipend, or a perk's ("a $100 monthly stipend for dates") */
};

struct text_word {
	const char *w; /* lower case, UTF-8 */
	enum text_word_kind kind;
};

/* A list of words of one kind (pay_words.c holds them). */
struct text_words {
	const struct text_word *w;
	size_t n;
};

/* The words of a list bucketed by first byte, built per call on the stack (no global state):
 * a window position then tries only the few words that can start there. */
struct word_index {
	unsigned char head[2][256]; /* 1 + index of the first word with that first byte; 0 none.
				     * [0]: words that match inside compounds, [1]: the others,
				     * which only a word's start can hold */
	unsigned char next[256];    /* 1 + index of the next word in the same chain */
};

/* A word of list found in the text: where it stands, and which it is. */
struct text_hit {
	size_t start, end; /* end 0: none */
	size_t which;
};

/* What a scan carries from one range it kept to the next. */
struct text_scan {
	const char *s;
	size_t len;
	const char *location;
	bool field;			/* the text is a pay field: its figures need no pay word */
	size_t n;			/* ranges kept so far */
	size_t last_end;		/* where the last kept range ended */
	struct pay first;		/* the first range kept */
	enum text_word_class first_cls; /* the pay word that governed it */
	bool kr_decided;		/* kr_iso has been looked for */
	const char *kr_iso;		/* which currency "kr" is in this text; NULL unknown */
	int lakh_elsewhere;		/* 0 not looked at, 1 lakhs are rupees, 2 they are not */
};

/* What the words around a candidate say of it. */
struct text_context {
	bool not_pay;		  /* a word says it is something else */
	bool pay_word;		  /* a pay word governs it */
	enum text_word_class cls; /* which kind of pay word */
	bool governed;		  /* it follows a kept range closely, in the same block */
	bool sibling;		  /* "… / 2,400 GBP": joined to the range kept before it */
	bool add_on;	 /* "… plus £3,000 London weighting": added to the range before */
};

static inline bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

/* A letter at a UTF-8 lead byte: ASCII letters and the Latin blocks (é, ü, ł …). Symbols and
 * spaces of U+0080..U+00BF (NBSP, £, ¥) and everything from U+2000 (dashes, €, ₹) are not. */
static inline bool is_letter_at(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (c < 0x80)
		return is_alpha(c) || is_digit(c);
	if (c >= 0xc3 && c <= 0xdf)
		return true;
	return false;
}

/* Is the byte before i the end of a word? Steps back over UTF-8 continuation bytes. */
static inline bool letter_before(const char *s, size_t i)
{
	size_t j = i;

	if (j == 0)
		return false;
	j--;
	while (j > 0 && ((unsigned char)s[j] & 0xc0) == 0x80 && i - j < 4)
		j--;
	return is_letter_at(s, i, j);
}

/* Spaces inside a written amount or between its words: ASCII, NBSP, narrow NBSP, thin. */
static inline size_t space_len(const char *s, size_t len, size_t i)
{
	unsigned char c;

	if (i >= len)
		return 0;
	c = (unsigned char)s[i];
	if (c == ' ' || c == '\t')
		return 1;
	if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa0)
		return 2;
	if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
	    ((unsigned char)s[i + 2] == 0xaf || (unsigned char)s[i + 2] == 0x89 ||
	     (unsigned char)s[i + 2] == 0x88))
		return 3;
	return 0;
}

static inline size_t skip_spaces(const char *s, size_t len, size_t i, size_t max)
{
	size_t n, start = i;

	while (i - start < max && (n = space_len(s, len, i)) > 0)
		i += n;
	return i;
}

/* Spaces just before i (the same set as space_len), at most max bytes. */
static inline size_t skip_spaces_back(const char *s, size_t i, size_t max)
{
	size_t start = i;

	while (start - i < max && i > 0) {
		unsigned char c = (unsigned char)s[i - 1];
		if (c == ' ' || c == '\t')
			i--;
		else if (i >= 2 && c == 0xa0 && (unsigned char)s[i - 2] == 0xc2)
			i -= 2;
		else if (i >= 3 && (c == 0xaf || c == 0x89 || c == 0x88) &&
			 (unsigned char)s[i - 2] == 0x80 && (unsigned char)s[i - 3] == 0xe2)
			i -= 3;
		else
			break;
	}
	return i;
}

static inline unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Length of w when s[i..] starts with it, ASCII case folded; 0 otherwise. */
static inline size_t match_ci(const char *s, size_t len, size_t i, const char *w)
{
	size_t k;

	for (k = 0; w[k] != '\0'; k++)
		if (i + k >= len || lower((unsigned char)s[i + k]) != (unsigned char)w[k])
			return 0;
	return k;
}

/* Like match_ci, but w must stand as a whole word. */
static inline size_t match_word(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = match_ci(s, len, i, w);

	if (n == 0)
		return 0;
	if (is_letter_at(s, len, i) && letter_before(s, i))
		return 0;
	if (i + n < len && is_letter_at(s, len, i + n) && is_letter_at(s, len, i + n - 1))
		return 0;
	return n;
}

/* The length of the first of the n entries of list that s[i..] starts with: one that starts
 * with a letter as a whole word (match_word), any other as written ("&", "/"); 0 for none. */
static inline size_t match_any(const char *s, size_t len, size_t i, const char *const *list,
			       size_t n)
{
	size_t m = 0;

	for (size_t k = 0; m == 0 && k < n; k++)
		m = is_alpha((unsigned char)list[k][0]) ? match_word(s, len, i, list[k])
							: match_ci(s, len, i, list[k]);
	return m;
}

/* Is s[b, e) one of the n entries of list, ASCII case folded? */
static inline bool span_is_any(const char *s, size_t len, size_t b, size_t e,
			       const char *const *list, size_t n)
{
	for (size_t k = 0; b < e && k < n; k++)
		if (strlen(list[k]) == e - b && match_ci(s, len, b, list[k]) == e - b)
			return true;
	return false;
}

static inline bool is_blank_or(unsigned char c, const char *also)
{
	return c == ' ' || c == '\t' || c == '\r' || strchr(also, c) != NULL;
}

/* pay_amount.c: one amount as written, and the range it starts */
/* The ISO 4217 code we know at s[i..i+3), in capitals, standing alone; NULL otherwise. */
const char *pay_iso_at(const char *s, size_t len, size_t i);
/* The currency of the sign (€, £ …) that starts at p and ends by end; NULL when none does. */
const char *pay_currency_sign_at(const char *s, size_t p, size_t end);
/* Does a currency sign end at i? */
bool pay_currency_sign_ends(const char *s, size_t i);
/* An amount whose first digit is at i; false when the digits are not money-shaped. */
bool pay_read_amount(const char *s, size_t len, size_t i, struct text_amount *a);
/* A dash or range word right after p; the position after it, or 0. */
size_t pay_range_link(const char *s, size_t len, size_t p);
/* The range m->lo starts, when a second amount follows it: m becomes the range. */
void pay_read_range(const char *text, size_t len, struct text_match *m);
/* -1 "up to", +1 "from", 0 neither, by the words just before start. */
int pay_side_before(const char *s, size_t len, size_t start);
/* A currency or a money word (kr, pesos, LPA) is written with it. */
bool pay_has_money_mark(const struct text_amount *a);
/* Worth a look at its context: a currency, a multiplier or thousands grouping. */
bool pay_money_like(const struct text_amount *a);
/* The period after amounts in other currencies that follow p ("… / 2,400 GBP per week"). */
enum pay_period pay_period_after_siblings(const char *s, size_t len, size_t p, size_t *end,
					  bool *half);

/* pay_period.c: period phrases */
/* A period phrase starting at p, its length in *n; PAY_PERIOD_NONE when none. */
enum pay_period pay_period_at(const char *s, size_t len, size_t p, size_t *n, bool *half);
/* The period written right after an amount ending at p, where it ends in *end. */
enum pay_period pay_period_after(const char *s, size_t len, size_t p, size_t *end,
				 bool *half);
/* The period named by the nearest word in [from, to) before an amount. */
enum pay_period pay_period_before(const char *s, size_t len, size_t from, size_t to);

/* pay_words.c: the words that say what money is, and finding them */
extern const struct text_words pay_words, pay_other_words, pay_other_words_before,
    pay_other_words_after, pay_verbs;
/* What the pay word w says of the figures it governs. */
enum text_word_class pay_word_class(const char *w);
/* Index list by first byte into ix. */
void pay_word_index_build(struct word_index *ix, const struct text_words *list);
/* The length of the longest word of list at p (its index in *which); 0 when none. */
size_t pay_word_at(const char *s, size_t len, size_t p, const struct word_index *ix,
		   const struct text_words *list, size_t *which);
/* The last word of list that ends in [from, to); hit->end 0 when none. */
void pay_last_word(const char *s, size_t len, size_t from, size_t to,
		   const struct text_words *list, struct text_hit *hit);
/* The first word of list in the words right after p (up to a stop); hit->end 0 when none. */
void pay_first_word_after(const char *s, size_t len, size_t p, size_t max,
			  const struct text_words *list, struct text_hit *hit);

/* pay_currency.c: the currency of figures that name none */
/* Decided by a label's currency or the places and language of the text; NULL when nothing
 * decides. */
const char *pay_text_currency(struct text_scan *sc, const struct text_match *m);

/* pay_context.c: is a candidate pay? */
/* Decide whether m is a stated pay range and fill out, its span's end and its context. */
bool pay_judge(struct text_scan *sc, struct text_match *m, struct pay *out, size_t *span_end,
	       struct text_context *cx);

/* pay_label.c: the location, level or tier a range is stated for */
/* Is m "Label: amount" or alone on its line? */
/* Does a labelled item ("Zone B: $X", "Bonus: 10%") start after p, on its line? */
bool pay_next_item(const char *s, size_t len, size_t p);
bool pay_label_line(const char *s, size_t len, const struct text_match *m, size_t span_end);
/* The label of the range m ending at span_end into out; *strong: a label was found. */
void pay_range_label(const char *s, size_t len, const struct text_match *m, size_t span_end,
		     char *out, size_t outlen, bool *strong);
/* The label of the range at start from the sentence it stands in, after the range before it
 * (ending at after, 0 for none). */
void pay_sentence_label(const char *s, size_t len, size_t after, size_t start, char *out,
			size_t outlen);

#endif
