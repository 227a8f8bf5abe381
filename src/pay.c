/* pay.c - pay ranges: the annualising constants, period vocabularies of every source, the
 * logfmt form of a range, and the text parser that finds the stated ranges in a description.
 * Pure: no I/O, no logging. */
#include "pay.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

void pay_clear(struct pay *p)
{
	memset(p, 0, sizeof(*p));
	p->min = NAN;
	p->max = NAN;
}

bool pay_is_set(const struct pay *p)
{
	return !isnan(p->min) || !isnan(p->max);
}

static bool same_amount(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

bool pay_equal(const struct pay *a, const struct pay *b)
{
	return same_amount(a->min, b->min) && same_amount(a->max, b->max) &&
	       strcmp(a->currency, b->currency) == 0 && a->period == b->period;
}

static const struct {
	const char *word;
	enum pay_period period;
} period_words[] = {
    {"hour", PAY_PERIOD_HOUR},
    {"hourly", PAY_PERIOD_HOUR},
    {"per-hour-wage", PAY_PERIOD_HOUR},
    {"1 hour", PAY_PERIOD_HOUR},
    {"day", PAY_PERIOD_DAY},
    {"daily", PAY_PERIOD_DAY},
    {"per-day-wage", PAY_PERIOD_DAY},
    {"1 day", PAY_PERIOD_DAY},
    {"week", PAY_PERIOD_WEEK},
    {"weekly", PAY_PERIOD_WEEK},
    {"per-week-salary", PAY_PERIOD_WEEK},
    {"1 week", PAY_PERIOD_WEEK},
    {"month", PAY_PERIOD_MONTH},
    {"monthly", PAY_PERIOD_MONTH},
    {"per-month-salary", PAY_PERIOD_MONTH},
    {"1 month", PAY_PERIOD_MONTH},
    {"year", PAY_PERIOD_YEAR},
    {"yearly", PAY_PERIOD_YEAR},
    {"annual", PAY_PERIOD_YEAR},
    {"annually", PAY_PERIOD_YEAR},
    {"per-year-salary", PAY_PERIOD_YEAR},
    {"1 year", PAY_PERIOD_YEAR},
    {"per year", PAY_PERIOD_YEAR},
    {"per hour", PAY_PERIOD_HOUR},
    {"per month", PAY_PERIOD_MONTH},
    /* Lever's semi-month-salary, bi-month-salary and bi-week-salary are amounts per half
     * month, per two months and per two weeks. No period here annualises them right (MONTH
     * or WEEK would be off by a factor of two), so they read as unknown: the range is kept
     * and shown, but never turned into a wrong yearly figure. Lever's one-time is no period
     * either: a handful of Lever ranges in the real data. */
};

enum pay_period pay_period_parse(const char *word)
{
	if (word == NULL)
		return PAY_PERIOD_NONE;
	for (size_t i = 0; i < sizeof(period_words) / sizeof(period_words[0]); i++)
		if (strcasecmp(word, period_words[i].word) == 0)
			return period_words[i].period;
	return PAY_PERIOD_NONE;
}

const char *pay_period_name(enum pay_period period)
{
	switch (period) {
	case PAY_PERIOD_HOUR:
		return "hour";
	case PAY_PERIOD_DAY:
		return "day";
	case PAY_PERIOD_WEEK:
		return "week";
	case PAY_PERIOD_MONTH:
		return "month";
	case PAY_PERIOD_YEAR:
		return "year";
	case PAY_PERIOD_NONE:
		break;
	}
	return NULL;
}

double pay_yearly(double amount, enum pay_period period)
{
	switch (period) {
	case PAY_PERIOD_HOUR:
		return amount * PAY_HOURS_PER_YEAR;
	case PAY_PERIOD_DAY:
		return amount * PAY_DAYS_PER_YEAR;
	case PAY_PERIOD_WEEK:
		return amount * PAY_WEEKS_PER_YEAR;
	case PAY_PERIOD_MONTH:
		return amount * PAY_MONTHS_PER_YEAR;
	case PAY_PERIOD_YEAR:
		return amount;
	case PAY_PERIOD_NONE:
		break;
	}
	return NAN;
}

static void format_amount(char out[32], double v)
{
	if (isnan(v))
		out[0] = '\0';
	else if (str_from_whole(out, v) > 0) /* what %.0f writes for it, without printf */
		return;
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(out, 32, "%.0f", v);
	else
		snprintf(out, 32, "%.2f", v);
}

/* Append s to out at n, as snprintf would: what does not fit is cut off. */
static size_t format_put(char *out, size_t outlen, size_t n, const char *s)
{
	while (*s && n + 1 < outlen)
		out[n++] = *s++;
	return n;
}

void pay_format(const struct pay *p, char *out, size_t outlen)
{
	char lo[32], hi[32];
	const char *per = pay_period_name(p->period);

	if (!pay_is_set(p)) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	if (outlen == 0)
		return;
	format_amount(lo, p->min);
	format_amount(hi, p->max);
	/* "USD 100000-120000/year": one amount when both ends are the same */
	size_t n = format_put(out, outlen, 0, p->currency);
	if (*p->currency)
		n = format_put(out, outlen, n, " ");
	n = format_put(out, outlen, n, lo);
	if (isnan(p->min) || isnan(p->max) || p->min != p->max) {
		n = format_put(out, outlen, n, "-");
		n = format_put(out, outlen, n, hi);
	}
	if (per) {
		n = format_put(out, outlen, n, "/");
		n = format_put(out, outlen, n, per);
	}
	out[n] = '\0';
}

/*
 * The text parser. One pass over the bytes: only a digit starts work, so prose costs a byte
 * compare each. At a digit we read an amount (currency before or after, grouping, decimals,
 * k/M suffixes), join it with a second amount into a range when a dash or a range word links
 * them, then look at bounded windows around the match: pay words before it ("Salary",
 * "Gehalt", "rémunération" …), words that say the money is something else ("raised", "budget",
 * "Prämie" …), one-sided words ("up to", "ab") and the period phrase. A figure is pay only
 * where a pay word, the range kept just before it (a list of ranges) or its own line says so;
 * every candidate that passes is kept, up to the caller's limit, when it belongs with the
 * first (not an add-on, not a perk of another order), with the label the text gives it (a
 * location, level or tier). A currency the text does not name is decided where it can be
 * (a bare "$" by the places named, "kr" by the location or the language, lakhs as rupees) and
 * left unknown where it cannot. Every look is bounded, so the cost stays linear in the input.
 */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define TEXT_BACK_WINDOW  120 /* how far back pay words may stand ("The pay range … is") */
#define TEXT_SIDE_WINDOW  32  /* how far back "up to" / "ab" may stand */
#define TEXT_AFTER_WINDOW 64  /* how far after the amount a period phrase may stand */
#define TEXT_MAX_DIGITS	  15  /* longer digit runs are ids, not money, and would lose precision */
/* Amounts given a context look per call. A description states its pay among its first
 * few dozen amounts; the cap keeps a hostile text of "$1 $1 $1 …" from costing a context look
 * per three bytes, so the worst case stays near the speed of plain prose. */
#define TEXT_MAX_CANDIDATES 256
#define TEXT_GOVERN_WINDOW  250 /* how far a kept range's pay context carries to the next */
#define TEXT_LABEL_WINDOW   40	/* how far back a currency may name the figures after it */
#define TEXT_LABEL_MAX	    120 /* the longest label a range keeps */
#define TEXT_LINE_LABEL_MAX 80	/* the longest "Label:" before an amount that starts its line */
#define TEXT_MAX_SIBLINGS   4	/* "3,000 USD / 2,400 GBP / 4,000 CAD per week" */
#define TEXT_RANGE_SPREAD   4	/* how far apart two ranges of one currency and period may be */
#define TEXT_ADD_ON_GAP	    60	/* "… plus £3,000 …": how near an add-on follows its range */

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

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

/* A letter at a UTF-8 lead byte: ASCII letters and the Latin blocks (é, ü, ł …). Symbols and
 * spaces of U+0080..U+00BF (NBSP, £, ¥) and everything from U+2000 (dashes, €, ₹) are not. */
static bool is_letter_at(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (c < 0x80)
		return is_alpha(c) || is_digit(c);
	if (c >= 0xc3 && c <= 0xdf)
		return true;
	return false;
}

/* Is the byte before i the end of a word? Steps back over UTF-8 continuation bytes. */
static bool letter_before(const char *s, size_t i)
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
static size_t space_len(const char *s, size_t len, size_t i)
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

static size_t skip_spaces(const char *s, size_t len, size_t i, size_t max)
{
	size_t n, start = i;

	while (i - start < max && (n = space_len(s, len, i)) > 0)
		i += n;
	return i;
}

/* Spaces just before i (the same set as space_len), at most max bytes. */
static size_t skip_spaces_back(const char *s, size_t i, size_t max)
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

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Length of w when s[i..] starts with it, ASCII case folded; 0 otherwise. */
static size_t match_ci(const char *s, size_t len, size_t i, const char *w)
{
	size_t k;

	for (k = 0; w[k] != '\0'; k++)
		if (i + k >= len || lower((unsigned char)s[i + k]) != (unsigned char)w[k])
			return 0;
	return k;
}

/* Like match_ci, but w must stand as a whole word. */
static size_t match_word(const char *s, size_t len, size_t i, const char *w)
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

static const char *const iso_codes[] = {
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "SGD", "HKD", "CHF", "SEK", "NOK", "DKK",
    "PLN", "CZK", "HUF", "RON", "INR", "JPY", "CNY", "MXN", "BRL", "ZAR", "AED", "ILS",
    "KRW", "TWD", "PHP", "IDR", "MYR", "THB", "VND", "TRY", "ARS", "CLP", "COP", "PEN",
    "NGN", "KES", "EGP", "SAR", "QAR", "UAH", "BGN", "ISK", "DZD",
};

/* An ISO 4217 code we know at s[i..i+3), in capitals, standing alone. */
static const char *iso_at(const char *s, size_t len, size_t i)
{
	if (len - i < 3 || !is_upper((unsigned char)s[i]) || !is_upper((unsigned char)s[i + 1]) ||
	    !is_upper((unsigned char)s[i + 2]))
		return NULL;
	if (i + 3 < len && is_alpha((unsigned char)s[i + 3]))
		return NULL;
	if (i > 0 && is_alpha((unsigned char)s[i - 1]))
		return NULL;
	for (size_t k = 0; k < sizeof(iso_codes) / sizeof(iso_codes[0]); k++)
		if (memcmp(s + i, iso_codes[k], 3) == 0)
			return iso_codes[k];
	return NULL;
}

static const struct {
	const char *mark; /* the bytes before "$" */
	const char *iso;
} dollar_marks[] = {
    {"US", "USD"}, {"CA", "CAD"}, {"C", "CAD"},	 {"AU", "AUD"}, {"A", "AUD"},  {"NZ", "NZD"},
    {"HK", "HKD"}, {"S", "SGD"},  {"SG", "SGD"}, {"R", "BRL"},	{"MX", "MXN"},
};

static const struct {
	const char *sym; /* UTF-8 bytes */
	const char *iso;
} currency_signs[] = {
    {"\xe2\x82\xac", "EUR"}, /* € */
    {"\xc2\xa3", "GBP"},     /* £ */
    {"\xc2\xa5", "JPY"},     /* ¥ */
    {"\xe2\x82\xb9", "INR"}, /* ₹ */
    {"\xe2\x82\xa9", "KRW"}, /* ₩ */
    {"\xe2\x82\xb1", "PHP"}, /* ₱ */
    {"z\xc5\x82", "PLN"},    /* zł */
    {"\xe2\x82\xa6", "NGN"}, /* ₦ */
    {"\xe2\x82\xba", "TRY"}, /* ₺ */
    {"\xe2\x82\xb4", "UAH"}, /* ₴ */
    {"\xe2\x82\xab", "VND"}, /* ₫ */
    {"\xe2\x82\xaa", "ILS"}, /* ₪ */
    {"\xe0\xb8\xbf", "THB"}, /* ฿ */
};

/* Currencies written as words after a figure ("64.000 euro"); NULL: a dollar of no country. */
static const struct {
	const char *word;
	const char *iso;
} currency_words[] = {
    {"euro", "EUR"},	       {"euros", "EUR"},     {"pounds", "GBP"},
    {"z\xc5\x82otych", "PLN"}, {"zlotych", "PLN"},   {"dollars", NULL},
    {"dollar", NULL},	       {"k\xc4\x8d", "CZK"}, {"lei", "RON"},
};

static void set_currency(struct text_amount *a, const char *iso)
{
	memcpy(a->currency, iso, 3);
	a->currency[3] = '\0';
}

/* "$" at d (s[d] == '$'): a country mark such as "CA" or "NZ" may stand right before it. */
static size_t read_dollar_mark(const char *s, size_t d, struct text_amount *a)
{
	size_t start = d;

	a->dollar = true;
	for (size_t k = 0; k < sizeof(dollar_marks) / sizeof(dollar_marks[0]); k++) {
		size_t n = strlen(dollar_marks[k].mark);
		if (n > d || memcmp(s + d - n, dollar_marks[k].mark, n) != 0)
			continue;
		if (d - n > 0 && is_alpha((unsigned char)s[d - n - 1]))
			continue;
		set_currency(a, dollar_marks[k].iso);
		a->dollar = false;
		return d - n;
	}
	/* "USD $18.61": the code names the dollar. */
	size_t j = skip_spaces_back(s, start, 3);
	if (j >= 3 && iso_at(s, start, j - 3) != NULL && j < start) {
		set_currency(a, iso_at(s, start, j - 3));
		a->dollar = false;
		return j - 3;
	}
	return start;
}

/* A currency mark ending right at i (spaces allowed); returns where it starts, or i. */
static size_t read_prefix(const char *s, size_t len, size_t i, struct text_amount *a)
{
	size_t j = skip_spaces_back(s, i, 3);

	if (j == 0)
		return i;
	if (s[j - 1] == '$')
		return read_dollar_mark(s, j - 1, a);
	for (size_t k = 0; (unsigned char)s[j - 1] >= 0x80 && k < COUNT(currency_signs); k++) {
		size_t n = strlen(currency_signs[k].sym);
		if (n <= j && memcmp(s + j - n, currency_signs[k].sym, n) == 0) {
			set_currency(a, currency_signs[k].iso);
			return j - n;
		}
	}
	if (j >= 3 && iso_at(s, len, j - 3) != NULL) {
		set_currency(a, iso_at(s, len, j - 3));
		return j - 3;
	}
	if (j >= 3 && memcmp(s + j - 3, "Rs.", 3) == 0) {
		set_currency(a, "INR");
		return j - 3;
	}
	if (j >= 2 && memcmp(s + j - 2, "S/", 2) == 0 && (j == 2 || !is_letter_at(s, len, j - 3))) {
		set_currency(a, "PEN"); /* "S/ 3,500": Peru's sol */
		return j - 2;
	}
	/* "kr 600.000", "kr. 45.000": a krona or krone of a country the text decides */
	size_t k = j >= 1 && s[j - 1] == '.' ? j - 1 : j;
	if (k >= 2 && match_ci(s, len, k - 2, "kr") == 2 &&
	    (k == 2 || !is_letter_at(s, len, k - 3))) {
		a->kr = true;
		return k - 2;
	}
	return i;
}

/* Digits with grouping: "1,234", "45.000", "1 867,02", "12,34,567" (lakh), "12.52", "102.8".
 * A last group of exactly three digits is a thousands group, any other length a decimal part:
 * that is how "45.000" (DE, ES) and "12.52" (FR) both come out right without a locale.
 * Returns the end of the number, or 0 when the digits are too many to be money. */
static size_t read_number(const char *s, size_t len, size_t i, double *out, bool *grouped)
{
	size_t glen[8], ng = 0, digits, p = i;
	unsigned char sep[8];
	double ip = 0, frac = 0, scale = 1;
	bool decimal = false;

	while (p < len && is_digit((unsigned char)s[p]))
		p++;
	glen[ng++] = p - i;
	digits = p - i;
	while (ng < 8 && p < len) {
		unsigned char c = (unsigned char)s[p];
		size_t sl, q, g;
		if (c == ',' || c == '.' || c == '\'')
			sl = 1;
		else if (c == 0xe2 && p + 2 < len && (unsigned char)s[p + 1] == 0x80 &&
			 (unsigned char)s[p + 2] == 0x99)
			sl = 3; /* ’ as in Swiss 100’000 */
		else
			sl = space_len(s, len, p);
		if (sl == 0)
			break;
		q = p + sl;
		while (q < len && is_digit((unsigned char)s[q]))
			q++;
		g = q - (p + sl);
		/* a group of four or more after a separator is a date or a list, not one number */
		if (g == 0 || g > 3)
			break;
		/* spaces and apostrophes only group thousands: "2 200", never "12 20" */
		if (c != ',' && c != '.' && (g != 3 || glen[ng - 1] > 3))
			break;
		sep[ng] = (c == ',' || c == '.') ? c : ' ';
		glen[ng++] = g;
		digits += g;
		p = q;
	}
	if (digits > TEXT_MAX_DIGITS)
		return 0;
	if (ng > 1 && sep[ng - 1] != ' ') {
		decimal = glen[ng - 1] != 3;
		for (size_t k = 1; k + 1 < ng; k++) {
			if (sep[k] == sep[ng - 1])
				decimal = false; /* "1.234.567": all thousands */
			else if (sep[k] != ' ' && glen[ng - 1] == 3)
				decimal = true; /* "1,234.567" */
		}
	}
	for (size_t q = i, g = 0; q < p; q++) {
		if (!is_digit((unsigned char)s[q])) {
			if (q > i && is_digit((unsigned char)s[q - 1]))
				g++;
			continue;
		}
		if (decimal && g == ng - 1) {
			scale /= 10;
			frac += (s[q] - '0') * scale;
		} else {
			ip = ip * 10 + (s[q] - '0');
		}
	}
	*out = ip + frac;
	*grouped = ng > 2 || (ng > 1 && !decimal);
	return p;
}

/* Words for millions and more: funding and revenue, never pay ("raised 40 million"). */
static const char *const mega_words[] = {
    "million",	 "millions",   "mio", "billion",  "bn",	       "miljoner", "millioner",
    "miljarder", "milliarder", "mkr", "mnkr",	  "msek",      "mnok",	   "mdkk",
    "b",	 "mrd",	       "md",  "milliard", "milliards", "millones",
};

/* M, MM and mn after a figure multiply it by a million, as k does by a thousand: "$0.2M",
 * "€1.1M". Ten million and more is a company's money, not a person's pay. */
static const char *const million_marks[] = {"mm", "mn", "m"};

/* Words for a thousand after a figure: ES/PT "30 mil", IT "30 mila", FR "40 mille", PL "8 tys.",
 * DE "50 Tsd.", SV/NO "45 tusen", DA "45 tusind". */
static const char *const thousand_words[] = {"mil", "mila",  "mille", "tys",
					     "tsd", "tusen", "tusind"};

/* What "mil" is a thousand before (ES, PT): money, a range's other end, a period, the end of
 * the figure ("entre 30 mil y 40 mil euros", "R$ 8 mil a R$ 10 mil por mês", "25 mil MXN").
 * Before anything else ("a $40 mil company", "30 mil millones") it is a company's million or
 * more, never pay. */
static const char *const mil_thousand_words[] = {
    "euros",
    "euro",
    "d\xc3\xb3lares",
    "dolares",
    "pesos",
    "reais",
    "real",
    "soles",
    "brutos",
    "brutas",
    "bruto",
    "bruta",
    "netos",
    "netas",
    "neto",
    "l\xc3\xadquidos",
    "liquidos",
    "anuales",
    "anuais",
    "anual",
    "mensuales",
    "mensais",
    "mensual",
    "mensal",
    "al",
    "ao",
    "por",
    "a",
    "y",
    "e",
    "hasta",
    "at\xc3\xa9",
    "de",
    "mes",
    "m\xc3\xaas",
    "a\xc3\xb1o",
    "ano",
    "o",
};
#define TEXT_MAX_MILLIONS 10

/* w at s[j..], right after a number ("1.1M", "40 Mio"), ending a word; its length or 0. */
static size_t unit_word(const char *s, size_t len, size_t j, const char *w)
{
	size_t n = match_ci(s, len, j, w);

	if (n == 0 || (j + n < len && is_letter_at(s, len, j + n)))
		return 0;
	return n;
}

/* A thousand word at s[j..] ("30 mil", "8 tys."): its length, with a->mult set; "mil" before
 * an English word or "millones" is a company's million or more (a->mega), length 0. */
static size_t thousand_word(const char *s, size_t len, size_t j, struct text_amount *a)
{
	size_t n = 0, k;

	for (k = 0; n == 0 && k < COUNT(thousand_words); k++)
		n = match_word(s, len, j, thousand_words[k]);
	if (n == 0)
		return 0;
	if (k - 1 == 0) { /* "mil" (k is one past the word found) */
		size_t q = skip_spaces(s, len, j + n, 3), w = 0;
		if (q < len && is_alpha((unsigned char)s[q]) && iso_at(s, len, q) == NULL)
			for (w = 0; w < COUNT(mil_thousand_words); w++)
				if (match_word(s, len, q, mil_thousand_words[w]) > 0)
					break;
		if (w == COUNT(mil_thousand_words)) {
			a->mega = true;
			return 0;
		}
	}
	if (j + n < len && s[j + n] == '.' && (k - 1 == 3 || k - 1 == 4))
		n++; /* "tys.", "Tsd." */
	a->mult = 1000;
	a->kilo = true; /* like "30k": money with a pay word even without a currency */
	return n;
}

/* After the digits: k/M/lakh multipliers and a currency written after the number. */
static size_t read_suffix(const char *s, size_t len, size_t p, struct text_amount *a)
{
	size_t j, n;

	/* "3.000,- EUR": the German dash for "no cents" */
	if (p + 1 < len && (s[p] == ',' || s[p] == '.' || s[p] == ':') && s[p + 1] == '-') {
		a->kr = a->kr || s[p] == ':'; /* "25 000:-" is Swedish kronor */
		p += 2;
		while (p < len && s[p] == '-')
			p++;
	}
	j = skip_spaces(s, len, p, 3);

	if (j >= len || !is_alpha((unsigned char)s[j])) {
		/* no multiplier word: the common case, decided with one look */
	} else if ((s[j] == 'k' || s[j] == 'K') && (j + 1 >= len || !is_letter_at(s, len, j + 1))) {
		a->kilo = true;
		a->mult = 1000;
		p = j + 1;
	} else if ((n = match_word(s, len, j, "lpa")) > 0) {
		a->mult = 100000;
		a->lpa = PAY_PERIOD_YEAR;
		a->lakh = true;
		p = j + n;
	} else if ((n = match_word(s, len, j, "lakh")) > 0 ||
		   (n = match_word(s, len, j, "lakhs")) || (n = match_word(s, len, j, "lac")) ||
		   (n = match_word(s, len, j, "lacs"))) {
		a->mult = 100000;
		a->lakh = true;
		p = j + n;
	} else if ((n = match_word(s, len, j, "crore")) > 0 || (n = match_word(s, len, j, "cr"))) {
		a->mult = 10000000;
		a->lakh = true;
		p = j + n;
	} else if ((n = match_word(s, len, j, "tkr")) > 0) {
		a->mult = 1000; /* "500 tkr": thousands of kronor */
		a->kr = true;
		p = j + n;
		if (p < len && s[p] == '.')
			p++;
	} else if ((n = thousand_word(s, len, j, a)) > 0) {
		p = j + n;
	} else {
		for (size_t k = 0; k < COUNT(million_marks); k++)
			if ((n = unit_word(s, len, j, million_marks[k])) > 0) {
				a->mult = 1000000;
				a->mega = a->value >= TEXT_MAX_MILLIONS;
				p = j + n;
				break;
			}
		for (size_t k = 0; a->mult == 1 && k < COUNT(mega_words); k++)
			if (unit_word(s, len, j, mega_words[k]) > 0)
				a->mega = true;
	}
	j = skip_spaces(s, len, p, 3);
	if (j < len && s[j] == '$') {
		if (!a->currency[0])
			a->dollar = true;
		return j + 1;
	}
	if (j < len && (s[j] == 'k' || s[j] == 'K') &&
	    ((n = match_word(s, len, j, "kr")) > 0 || (n = match_word(s, len, j, "kronor")) > 0 ||
	     (n = match_word(s, len, j, "kroner")) > 0 ||
	     (n = match_word(s, len, j, "krona")) > 0 ||
	     (n = match_word(s, len, j, "krone")) > 0)) {
		if (!a->currency[0])
			a->kr = true;
		if (n == 2 && j + 2 < len && s[j + 2] == '.')
			n++; /* "kr./md." */
		return j + n;
	}
	if (j < len && (s[j] == 'p' || s[j] == 'P') &&
	    ((n = match_word(s, len, j, "pesos")) > 0 || (n = match_word(s, len, j, "peso")) > 0)) {
		if (!a->currency[0])
			a->peso =
			    true; /* "25.000 pesos": Mexico's, Chile's … by the places named */
		a->dollar = false;
		return j + n;
	}
	for (size_t k = 0; j < len && is_alpha((unsigned char)s[j]) && k < COUNT(currency_words);
	     k++)
		if ((n = match_word(s, len, j, currency_words[k].word)) > 0) {
			if (currency_words[k].iso == NULL && !a->currency[0])
				a->dollar = true;
			else if (currency_words[k].iso != NULL)
				set_currency(a, currency_words[k].iso);
			return j + n;
		}
	for (size_t k = 0; j < len && (unsigned char)s[j] >= 'z' && k < COUNT(currency_signs);
	     k++) {
		n = strlen(currency_signs[k].sym);
		if (n <= len - j && memcmp(s + j, currency_signs[k].sym, n) == 0) {
			set_currency(a, currency_signs[k].iso);
			a->dollar = false;
			return j + n;
		}
	}
	if (j < len && iso_at(s, len, j) != NULL) {
		set_currency(a, iso_at(s, len, j));
		a->dollar = false;
		a->iso_after = true;
		return j + 3;
	}
	return p;
}

/* An amount whose first digit is at i; false when the digits are not money-shaped. */
static bool read_amount(const char *s, size_t len, size_t i, struct text_amount *a)
{
	size_t p;

	memset(a, 0, sizeof(*a));
	p = read_number(s, len, i, &a->value, &a->grouped);
	if (p == 0)
		return false;
	if (p < len && s[p] == '%')
		return false;
	a->start = read_prefix(s, len, i, a);
	a->mult = 1;
	a->end = read_suffix(s, len, p, a);
	if (a->mult > 1) /* "$0.3M" is 300000, not 300000.00000000006 */
		a->value = round(a->value * a->mult * 100) / 100;
	if (a->end < len && s[a->end] == '+')
		a->plus = true;
	/* 401(k) and 403(b) are retirement plans */
	if ((a->value == 401000 && a->kilo) || ((a->value == 401 || a->value == 403) && p < len &&
						(s[p] == '(' || s[p] == 'k' || s[p] == 'K')))
		return false;
	return true;
}

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

/* Words that say the money nearby is pay, in EN, DE, FR, ES, IT, PT, NL, PL and SV
 * ("stipendi": the Italian stipendio is a salary; "ral": retribuzione annua lorda). */
static const struct text_word pay_words[] = {
    {"salar", WORD_ANY},
    {"salaire", WORD_ANY},
    {"sal\xc3\xa1ri", WORD_ANY},
    {"salaris", WORD_ANY},
    {"pay", WORD_WHOLE}, /* not "pays" (FR countries), "payments", "payroll" */
    {"compensation", WORD_ANY},
    {"range", WORD_START},
    {"base", WORD_WHOLE},
    {"ote", WORD_WHOLE},
    {"on target", WORD_START},
    {"on-target", WORD_START},
    {"earning", WORD_START},
    {"rate", WORD_START},
    {"wage", WORD_START},
    {"stipend", WORD_START},
    {"income", WORD_START},
    {"remunerat", WORD_ANY},
    {"gehalt", WORD_ANY},
    {"verg\xc3\xbctung", WORD_ANY},
    {"lohn", WORD_ANY},
    {"bezahlung", WORD_ANY},
    {"besoldung", WORD_ANY},
    {"entgelt", WORD_ANY},
    {"verdienst", WORD_ANY},
    {"brutto", WORD_START},
    {"r\xc3\xa9mun\xc3\xa9r", WORD_ANY},
    {"brut", WORD_START},
    {"sueldo", WORD_ANY},
    {"retribuci", WORD_ANY},
    {"retribuzion", WORD_ANY},
    {"remuneraci", WORD_ANY},
    {"remunera\xc3\xa7", WORD_ANY},
    {"stipendi", WORD_START},
    {"compenso", WORD_START},
    {"ral", WORD_WHOLE},
    {"lord", WORD_START},
    {"bruto", WORD_START},
    {"wynagrodzeni", WORD_ANY},
    {"pensj", WORD_START},
    {"stawk", WORD_START},
    {"loon", WORD_WHOLE},
    {"maandloon", WORD_ANY},
    {"uurloon", WORD_ANY},
    {"jaarloon", WORD_ANY},
    {"l\xc3\xb6n", WORD_ANY},
    {"l\xc3\xb8n", WORD_ANY}, /* DA løn, NO lønn */
    {"gage", WORD_WHOLE},
    {"paga", WORD_WHOLE},
    {"hourly", WORD_START},
    {"stundenlohn", WORD_ANY},
    {"taux horaire", WORD_START},
    {"tarif horaire", WORD_START},
    {"fixe", WORD_WHOLE},
    {"fijo", WORD_WHOLE},
    {"fixum", WORD_WHOLE},
    {"ctc", WORD_WHOLE},	 /* India's "cost to company" */
    {"zarobki", WORD_START},	 /* PL */
    {"mzda", WORD_WHOLE},	 /* CZ */
    {"maa\xc5\x9f", WORD_WHOLE}, /* TR maaş */
};

/* What the pay word w says of the figures it governs. */
static enum text_word_class pay_word_class(const char *w)
{
	if (strcmp(w, "stipend") == 0)
		return WORD_STIPEND;
	if (strcmp(w, "ote") == 0 || strcmp(w, "earning") == 0 || strncmp(w, "on", 2) == 0)
		return WORD_TOTAL;
	return WORD_BASE;
}

/* Words that say the money nearby is something else: funding and revenue, benefits and perks,
 * the parts of pay that are not base pay (bonus, commission, equity), a company's deals. */
static const struct text_word other_words[] = {
    {"fund", WORD_START},
    {"raise", WORD_START},
    {"raising", WORD_START},
    {"series", WORD_START},
    {"revenue", WORD_START},
    {"valuation", WORD_START},
    {"valued", WORD_START},
    {"budget", WORD_ANY},
    {"equipment", WORD_START},
    {"401", WORD_START},
    {"invest", WORD_START},
    {"assets", WORD_START},
    {"aum", WORD_WHOLE},
    {"arr", WORD_WHOLE},
    {"market", WORD_START},
    {"reimburse", WORD_ANY},
    {"tuition", WORD_START},
    {"food", WORD_START},
    {"meal", WORD_START},
    {"gym", WORD_START},
    {"wellness", WORD_START},
    {"learning", WORD_START},
    {"education", WORD_START},
    {"training", WORD_START},
    {"sign-on", WORD_START},
    {"signing", WORD_START},
    {"sign on", WORD_START},
    {"referral", WORD_START},
    {"relocation", WORD_START},
    {"differential", WORD_START},
    {"pr\xc3\xa4mie", WORD_ANY},
    {"praemie", WORD_ANY},
    {"rabatt", WORD_ANY},
    {"zuschuss", WORD_ANY},
    {"sachbezug", WORD_ANY},
    {"umsatz", WORD_ANY},
    {"mindestlohn", WORD_ANY},
    {"pauschal", WORD_ANY},
    {"prime", WORD_START},
    {"panier", WORD_START},
    {"ticket", WORD_START},
    {"ch\xc3\xa8que", WORD_START},
    {"cheque", WORD_START},
    {"frais", WORD_START},
    {"indemnit", WORD_START},
    {"honorar", WORD_START},
    {"gastos", WORD_START},
    {"viaje", WORD_START},
    {"spesen", WORD_ANY},
    {"trinkgeld", WORD_ANY},
    {"tips", WORD_WHOLE},
    {"discount", WORD_START},
    {"allowance", WORD_START},
    {"match", WORD_START},
    {"loan", WORD_START},
    {"insurance", WORD_START},
    {"fee", WORD_WHOLE},
    {"fees", WORD_WHOLE},
    {"price", WORD_START},
    {"cost", WORD_START},
    {"customers", WORD_START},
    {"volume", WORD_START},
    {"transaction", WORD_START},
    {"shift diff", WORD_START},
    {"commuter", WORD_START},
    {"internet", WORD_START},
    {"phone", WORD_START},
    {"home office", WORD_START},
    {"home-office", WORD_ANY},
    {"credit", WORD_START},
    {"grant", WORD_START},
    {"award", WORD_START},
    {"prize", WORD_START},
    {"wfh", WORD_WHOLE},
    {"work from home", WORD_START},
    {"remote-work", WORD_ANY},
    {"ebitda", WORD_ANY},
    {"gewinn", WORD_ANY},
    {"profit", WORD_START},
    {"honorai", WORD_START},
    {"subsid", WORD_START},
    {"housing", WORD_START},
    {"contribution", WORD_START},
    {"hsa", WORD_WHOLE},
    {"fsa", WORD_WHOLE},
    {"savings", WORD_START},
    {"commut", WORD_START},
    {"transport", WORD_START},
    {"commission", WORD_START},
    {"provision", WORD_START},
    {"equity", WORD_START},
    {"stock", WORD_START},
    {"rsu", WORD_START},
    {"shares", WORD_START},
    {"per diem", WORD_START},
    {"bonus", WORD_START},
    {"variable", WORD_START},
    {"incentive", WORD_START},
    {"childcare", WORD_START},
    {"pension", WORD_START},
    {"retirement", WORD_START},
    {"fitness", WORD_START},
    {"coworking", WORD_START},
    {"co-working", WORD_START},
    {"abonnement", WORD_START},
    {"mutuelle", WORD_START},
    {"tickets", WORD_START},
    {"gutschein", WORD_ANY},
    {"jobrad", WORD_ANY},
    {"urlaubsgeld", WORD_ANY},
    {"weihnachtsgeld", WORD_ANY},
    {"extra", WORD_ANY},
    {"bono", WORD_START},
    {"comisi", WORD_START},
    {"int\xc3\xa9ressement", WORD_START},
    {"deal", WORD_START},
    {"portfolio", WORD_START},
    {"spend", WORD_START},
    {"quota", WORD_START},
    {"backed", WORD_START},
    {"capital", WORD_START},
    {"donat", WORD_START},
    {"minimum wage", WORD_START},
    {"weighting", WORD_START},
    {"friskv\xc3\xa5rd", WORD_ANY},
    {"bidrag", WORD_ANY},
    {"till\xc3\xa4gg", WORD_ANY},
    {"till\xc3\xa6g", WORD_ANY},
    {"tillegg", WORD_ANY},
    {"tj\xc3\xa4nstepension", WORD_ANY},
    {"dividend", WORD_START},
    {"pasto", WORD_START}, /* IT buono pasto */
    {"pasti", WORD_START},
    {"refei\xc3\xa7", WORD_ANY}, /* PT vale-refeição */
    {"vale-", WORD_START},
    {"alimenta", WORD_START},
    {"comida", WORD_START},
    {"repas", WORD_START},
    {"d\xc3\xa9jeuner", WORD_START},
    {"lunch", WORD_START},
    {"multisport", WORD_ANY},
    {"mittag", WORD_ANY},
};

/* Words before an amount (on its line, after any pay word) that make it something else, but
 * say nothing after one ("$170,000 - $220,000 USD in addition to perks & benefits"). */
static const struct text_word other_words_before[] = {
    {"benefit", WORD_START},   {"perk", WORD_START},	      {"option", WORD_START},
    {"vacation", WORD_START},  {"holiday", WORD_START},	      {"avantages", WORD_WHOLE},
    {"avantage", WORD_WHOLE},  {"prestation", WORD_START},    {"participation", WORD_START},
    {"beneficio", WORD_START}, {"benef\xc3\xad", WORD_START}, {"leistung", WORD_ANY},
};

/* Words after an amount that make it something else, but say nothing before one
 * ("bonus eligibility: up to $25.00/hr" is pay; "$1,500 bonus" is not). */
static const struct text_word other_words_after[] = {
    {"bonus", WORD_START},     {"per employee", WORD_START}, {"tips", WORD_WHOLE},
    {"per hire", WORD_START},  {"variable", WORD_START},     {"commission", WORD_START},
    {"in equity", WORD_START}, {"in stock", WORD_START},     {"stipend for", WORD_START},
    {"credit", WORD_START},    {"in funding", WORD_START},   {"in revenue", WORD_START},
    {"in sales", WORD_START},  {"users", WORD_START},	     {"customers", WORD_START},
    {"companies", WORD_START}, {"teams", WORD_START},	     {"employees", WORD_START},
    {"members", WORD_START},   {"partners", WORD_START},     {"investment", WORD_START},
};

static size_t match_text_word(const char *s, size_t len, size_t i, const struct text_word *w)
{
	size_t n;

	if (w->kind == WORD_WHOLE)
		return match_word(s, len, i, w->w);
	n = match_ci(s, len, i, w->w);
	if (n == 0 || (w->kind == WORD_START && letter_before(s, i)))
		return 0;
	return n;
}

_Static_assert(sizeof(other_words) / sizeof(other_words[0]) < 255, "word_index holds 254");
_Static_assert(sizeof(pay_words) / sizeof(pay_words[0]) < 255, "word_index holds 254");

/* The words of a list bucketed by first byte, built per call on the stack (no global state):
 * a window position then tries only the few words that can start there. */
struct word_index {
	unsigned char head[2][256]; /* 1 + index of the first word with that first byte; 0 none.
				     * [0]: words that match inside compounds, [1]: the others,
				     * which only a word's start can hold */
	unsigned char next[256];    /* 1 + index of the next word in the same chain */
};

static void word_index_build(struct word_index *ix, const struct text_word *list, size_t nlist)
{
	memset(ix->head, 0, sizeof(ix->head));
	for (size_t k = nlist; k-- > 0;) {
		unsigned char c = (unsigned char)list[k].w[0];
		int at_start = list[k].kind != WORD_ANY;
		ix->next[k] = ix->head[at_start][c];
		ix->head[at_start][c] = (unsigned char)(k + 1);
	}
}

/* The length of the longest word of list that starts at p (its index in *which); 0 when
 * none. */
static size_t word_at(const char *s, size_t len, size_t p, const struct word_index *ix,
		      const struct text_word *list, size_t *which)
{
	unsigned char c = lower((unsigned char)s[p]);
	size_t best = 0;

	for (int chain = 0; chain < 2; chain++) {
		if (chain == 1 && (ix->head[1][c] == 0 || letter_before(s, p)))
			break; /* the middle of a word starts no word of the second chain */
		for (unsigned k = ix->head[chain][c]; k; k = ix->next[k - 1]) {
			size_t n = match_text_word(s, len, p, &list[k - 1]);
			if (n > best) {
				best = n;
				*which = k - 1;
			}
		}
	}
	return best;
}

/* A word of list found in the text: where it stands, and which it is. */
struct text_hit {
	size_t start, end; /* end 0: none */
	size_t which;
};

/* The last word of list that ends in [from, to); hit->end 0 when none. */
static void last_word(const char *s, size_t len, size_t from, size_t to,
		      const struct text_word *list, size_t nlist, struct text_hit *hit)
{
	struct word_index ix;
	size_t which = 0;

	memset(hit, 0, sizeof(*hit));
	word_index_build(&ix, list, nlist);
	for (size_t p = from; p < to; p++) {
		size_t n = word_at(s, len, p, &ix, list, &which);
		if (n > 0 && p + n <= to && p + n > hit->end) {
			hit->start = p;
			hit->end = p + n;
			hit->which = which;
		}
	}
}

static const char *const after_stop_words[] = {
    "and",
    "und",
    "plus",
    "et",
    "y",
    "&",
    "in addition",
    "along with",
    "as well as",
    "including",
    "excluding",
    "zzgl",
    "zuz\xc3\xbcglich",
    "inkl",
};

/* Where the words right after an amount stop belonging to it: punctuation, a digit, the end
 * of a sentence or a conjunction that starts the next item ("… und einem Bonussystem"). */
static bool after_stop(const char *s, size_t len, size_t q)
{
	unsigned char c = (unsigned char)s[q];

	if (c == '\n' || c == ';' || c == ',' || c == '(' || c == '+' || c == '|' || is_digit(c))
		return true;
	if (c == 0xe2 && q + 2 < len && (unsigned char)s[q + 1] == 0x80 &&
	    (unsigned char)s[q + 2] == 0xa2)
		return true; /* "• Offers Equity" */
	if (c == '.' && (q + 1 >= len || !is_letter_at(s, len, q + 1)))
		return true;
	if (c == ' ' && q + 1 < len && s[q + 1] == ' ')
		return true; /* two spaces part the items of a list run into one line */
	if (!strchr("aupeyiz&", lower(c)) || c == 0 || letter_before(s, q))
		return false;
	for (size_t k = 0; k < COUNT(after_stop_words); k++)
		if (match_word(s, len, q, after_stop_words[k]) > 0)
			return true;
	return false;
}

/* First word of list within the words right after p (up to a stop); hit->end 0 when none. */
static void first_word_after(const char *s, size_t len, size_t p, size_t max,
			     const struct text_word *list, size_t nlist, struct text_hit *hit)
{
	size_t end = p + max < len ? p + max : len, which = 0, n;
	struct word_index ix;

	memset(hit, 0, sizeof(*hit));
	word_index_build(&ix, list, nlist);
	for (size_t q = p; q < end; q++) {
		if (after_stop(s, len, q))
			break;
		if ((n = word_at(s, len, q, &ix, list, &which)) > 0) {
			hit->start = q;
			hit->end = q + n;
			hit->which = which;
			return;
		}
	}
}

struct text_period {
	const char *w;
	enum pay_period period;
};

/* Units that follow "per", "a", "pro", "par", "por", "/" …: "per hour", "/Jahr", "al año". */
static const struct text_period period_units[] = {
    {"hour", PAY_PERIOD_HOUR},
    {"hr", PAY_PERIOD_HOUR},
    {"h", PAY_PERIOD_HOUR},
    {"stunde", PAY_PERIOD_HOUR},
    {"std", PAY_PERIOD_HOUR},
    {"heure", PAY_PERIOD_HOUR},
    {"hora", PAY_PERIOD_HOUR},
    {"day", PAY_PERIOD_DAY},
    {"tag", PAY_PERIOD_DAY},
    {"jour", PAY_PERIOD_DAY},
    {"d\xc3\xad"
     "a",
     PAY_PERIOD_DAY},
    {"week", PAY_PERIOD_WEEK},
    {"wk", PAY_PERIOD_WEEK},
    {"woche", PAY_PERIOD_WEEK},
    {"semaine", PAY_PERIOD_WEEK},
    {"semana", PAY_PERIOD_WEEK},
    {"month", PAY_PERIOD_MONTH},
    {"mo", PAY_PERIOD_MONTH},
    {"monat", PAY_PERIOD_MONTH},
    {"mois", PAY_PERIOD_MONTH},
    {"mes", PAY_PERIOD_MONTH},
    {"year", PAY_PERIOD_YEAR},
    {"yr", PAY_PERIOD_YEAR},
    {"annum", PAY_PERIOD_YEAR},
    {"jahr", PAY_PERIOD_YEAR},
    {"an", PAY_PERIOD_YEAR},
    {"a\xc3\xb1o", PAY_PERIOD_YEAR},
    {"m\xc3\xa5nad", PAY_PERIOD_MONTH},
    {"\xc3\xa5r", PAY_PERIOD_YEAR},
    {"timme", PAY_PERIOD_HOUR},
    /* NL, IT, PT, PL */
    {"uur", PAY_PERIOD_HOUR},
    {"dag", PAY_PERIOD_DAY},
    {"maand", PAY_PERIOD_MONTH},
    {"jaar", PAY_PERIOD_YEAR},
    {"ora", PAY_PERIOD_HOUR},
    {"giorno", PAY_PERIOD_DAY},
    {"settimana", PAY_PERIOD_WEEK},
    {"mese", PAY_PERIOD_MONTH},
    {"anno", PAY_PERIOD_YEAR},
    {"dia", PAY_PERIOD_DAY},
    {"m\xc3\xaas", PAY_PERIOD_MONTH}, /* mês */
    {"ano", PAY_PERIOD_YEAR},
    {"godzin\xc4\x99", PAY_PERIOD_HOUR}, /* godzinę */
    {"godz", PAY_PERIOD_HOUR},
    {"dzie\xc5\x84", PAY_PERIOD_DAY}, /* dzień */
    {"tydzie\xc5\x84", PAY_PERIOD_WEEK},
    {"miesi\xc4\x85"
     "c",
     PAY_PERIOD_MONTH}, /* miesiąc */
    {"mies", PAY_PERIOD_MONTH},
    {"mc", PAY_PERIOD_MONTH},
    {"rok", PAY_PERIOD_YEAR},
    /* SV, NO, DA: "kr/mån", "per måned", "pr. time", "kr./md.", "kr/mnd", "per vecka" */
    {"m\xc3\xa5n", PAY_PERIOD_MONTH},
    {"m\xc3\xa5ned", PAY_PERIOD_MONTH},
    {"md", PAY_PERIOD_MONTH},
    {"mnd", PAY_PERIOD_MONTH},
    {"tim", PAY_PERIOD_HOUR},
    {"time", PAY_PERIOD_HOUR},
    {"t", PAY_PERIOD_HOUR},	       /* NO "kr/t", after "/" only */
    {"lun\xc4\x83", PAY_PERIOD_MONTH}, /* RO "pe lună" */
    {"or\xc4\x83", PAY_PERIOD_HOUR},
    {"vecka", PAY_PERIOD_WEEK},
    {"uke", PAY_PERIOD_WEEK},
    {"uge", PAY_PERIOD_WEEK},
};

/* The definite forms that "i" and "om" lead: "i månaden", "om måneden", "om året", "i timen"
 * (and nothing else: "i år" is "this year"). */
static const struct text_period period_units_definite[] = {
    {"m\xc3\xa5naden", PAY_PERIOD_MONTH},
    {"m\xc3\xa5neden", PAY_PERIOD_MONTH},
    {"\xc3\xa5ret", PAY_PERIOD_YEAR},
    {"timmen", PAY_PERIOD_HOUR},
    {"timen", PAY_PERIOD_HOUR},
    {"veckan", PAY_PERIOD_WEEK},
    {"uken", PAY_PERIOD_WEEK},
    {"ugen", PAY_PERIOD_WEEK},
    {"dagen", PAY_PERIOD_DAY},
};

/* Words that introduce a unit. "a"/"an" only for English units, "/" for all. */
static const char *const period_leads[] = {
    "per",
    "a",
    "an",
    "pro",
    "je",
    "im",
    "die",
    "par",
    "de l'",
    "de l\xe2\x80\x99",
    "l'",
    "por",
    "al",
    "la",
    "el",
    "all'",
    "all\xe2\x80\x99",
    "ao",
    "na",
    "za",
    "ogni",
    "pe",
    "pr.",
    "pr",
    "i",
    "om",
    "/",
};

/* Words that are a period on their own. */
static const struct text_period period_words_text[] = {
    {"hourly", PAY_PERIOD_HOUR},
    {"p/h", PAY_PERIOD_HOUR},
    {"st\xc3\xbcndlich", PAY_PERIOD_HOUR},
    {"horaire", PAY_PERIOD_HOUR},
    {"daily", PAY_PERIOD_DAY},
    {"t\xc3\xa4glich", PAY_PERIOD_DAY},
    {"diario", PAY_PERIOD_DAY},
    {"diarios", PAY_PERIOD_DAY},
    {"journalier", PAY_PERIOD_DAY},
    {"weekly", PAY_PERIOD_WEEK},
    {"w\xc3\xb6"
     "chentlich",
     PAY_PERIOD_WEEK},
    {"hebdomadaire", PAY_PERIOD_WEEK},
    {"semanal", PAY_PERIOD_WEEK},
    {"monthly", PAY_PERIOD_MONTH},
    {"monatlich", PAY_PERIOD_MONTH},
    {"mtl", PAY_PERIOD_MONTH},
    {"mensuel", PAY_PERIOD_MONTH},
    {"mensuels", PAY_PERIOD_MONTH},
    {"mensuelle", PAY_PERIOD_MONTH},
    {"mensuelles", PAY_PERIOD_MONTH},
    {"mensual", PAY_PERIOD_MONTH},
    {"mensuales", PAY_PERIOD_MONTH},
    {"yearly", PAY_PERIOD_YEAR},
    {"annually", PAY_PERIOD_YEAR},
    {"annual", PAY_PERIOD_YEAR},
    {"annualized", PAY_PERIOD_YEAR},
    {"p.a.", PAY_PERIOD_YEAR},
    {"p. a.", PAY_PERIOD_YEAR},
    {"j\xc3\xa4hrlich", PAY_PERIOD_YEAR},
    {"annuel", PAY_PERIOD_YEAR},
    {"annuels", PAY_PERIOD_YEAR},
    {"annuelle", PAY_PERIOD_YEAR},
    {"anual", PAY_PERIOD_YEAR},
    {"anuales", PAY_PERIOD_YEAR},
    {"lpa", PAY_PERIOD_YEAR},
    /* IT, PT, NL, PL */
    {"orario", PAY_PERIOD_HOUR},
    {"orari", PAY_PERIOD_HOUR},
    {"giornaliero", PAY_PERIOD_DAY},
    {"settimanale", PAY_PERIOD_WEEK},
    {"mensile", PAY_PERIOD_MONTH},
    {"mensili", PAY_PERIOD_MONTH},
    {"annuo", PAY_PERIOD_YEAR},
    {"annui", PAY_PERIOD_YEAR},
    {"annua", PAY_PERIOD_YEAR},
    {"annuale", PAY_PERIOD_YEAR},
    {"annuali", PAY_PERIOD_YEAR},
    {"di\xc3\xa1rio", PAY_PERIOD_DAY},
    {"mensal", PAY_PERIOD_MONTH},
    {"mensais", PAY_PERIOD_MONTH},
    {"anuais", PAY_PERIOD_YEAR},
    {"per uur", PAY_PERIOD_HOUR},
    {"dagelijks", PAY_PERIOD_DAY},
    {"wekelijks", PAY_PERIOD_WEEK},
    {"maandelijks", PAY_PERIOD_MONTH},
    {"jaarlijks", PAY_PERIOD_YEAR},
    {"godzinowo", PAY_PERIOD_HOUR},
    {"dziennie", PAY_PERIOD_DAY},
    {"tygodniowo", PAY_PERIOD_WEEK},
    {"miesi\xc4\x99"
     "cznie",
     PAY_PERIOD_MONTH}, /* miesięcznie */
    {"rocznie", PAY_PERIOD_YEAR},
    {"mensuellement", PAY_PERIOD_MONTH},
    {"annuellement", PAY_PERIOD_YEAR},
    {"semanales", PAY_PERIOD_WEEK},
    {"mensualmente", PAY_PERIOD_MONTH},
    {"anualmente", PAY_PERIOD_YEAR},
    {"mensalmente", PAY_PERIOD_MONTH},
    {"p/m", PAY_PERIOD_MONTH},
    {"p.m.", PAY_PERIOD_MONTH}, /* NL "per maand" */
    {"p.j.", PAY_PERIOD_YEAR},	/* NL "per jaar" */
    /* SV, NO, DA */
    {"m\xc3\xa5natlig", PAY_PERIOD_MONTH},
    {"m\xc3\xa5natligen", PAY_PERIOD_MONTH},
    {"m\xc3\xa5nedlig", PAY_PERIOD_MONTH},
    {"m\xc3\xa5nedligt", PAY_PERIOD_MONTH},
    {"\xc3\xa5rlig", PAY_PERIOD_YEAR},
    {"\xc3\xa5rligt", PAY_PERIOD_YEAR},
    {"\xc3\xa5rligen", PAY_PERIOD_YEAR},
    {"ukentlig", PAY_PERIOD_WEEK},
    {"ugentlig", PAY_PERIOD_WEEK},
    {"veckovis", PAY_PERIOD_WEEK},
    {"daglig", PAY_PERIOD_DAY},
    /* CZ, TR */
    {"m\xc4\x9bs\xc3\xad\xc4\x8dn\xc4\x9b", PAY_PERIOD_MONTH}, /* měsíčně */
    {"ro\xc4\x8dn\xc4\x9b", PAY_PERIOD_YEAR},		       /* ročně */
    {"ayl\xc4\xb1k", PAY_PERIOD_MONTH},			       /* aylık */
    {"y\xc4\xb1ll\xc4\xb1k", PAY_PERIOD_YEAR},		       /* yıllık */
};

/* Words for an amount paid every two weeks, in any of our languages. Half of it is paid per
 * week, and that is how it is stored: there is no two-week period to annualise. */
static const char *const fortnight_words[] = {
    "fortnight",
    "fortnightly",
    "per fortnight",
    "a fortnight",
    "quincenal",
    "quincenales",
    "por quincena",
    "a la quincena",
    "par quinzaine",
    "zweiw\xc3\xb6"
    "chentlich",
    "alle zwei wochen",
    "per twee weken",
    "tweewekelijks",
    "ogni due settimane",
    "quinzenal",
    "por quinzena",
    "co dwa tygodnie",
};

/* Words before an amount that name its period: "Stundenlohn 13,90 €", "annual salary of". */
static const struct text_period period_before[] = {
    {"hourly", PAY_PERIOD_HOUR},
    {"per hour", PAY_PERIOD_HOUR},
    {"stundenlohn", PAY_PERIOD_HOUR},
    {"stundensatz", PAY_PERIOD_HOUR},
    {"taux horaire", PAY_PERIOD_HOUR},
    {"salaire horaire", PAY_PERIOD_HOUR},
    {"daily rate", PAY_PERIOD_DAY},
    {"day rate", PAY_PERIOD_DAY},
    {"hourly rate", PAY_PERIOD_HOUR},
    {"weekly rate", PAY_PERIOD_WEEK},
    {"tagessatz", PAY_PERIOD_DAY},
    {"weekly pay", PAY_PERIOD_WEEK},
    {"monthly salary", PAY_PERIOD_MONTH},
    {"monthly pay", PAY_PERIOD_MONTH},
    {"monthly base", PAY_PERIOD_MONTH},
    {"monatsgehalt", PAY_PERIOD_MONTH},
    {"monatsbrutto", PAY_PERIOD_MONTH},
    {"salaire mensuel", PAY_PERIOD_MONTH},
    {"sueldo mensual", PAY_PERIOD_MONTH},
    {"salario mensual", PAY_PERIOD_MONTH},
    {"annual", PAY_PERIOD_YEAR},
    {"yearly", PAY_PERIOD_YEAR},
    {"jahresgehalt", PAY_PERIOD_YEAR},
    {"jahresbrutto", PAY_PERIOD_YEAR},
    {"jahreseinkommen", PAY_PERIOD_YEAR},
    {"annuel", PAY_PERIOD_YEAR},
    {"salario anual", PAY_PERIOD_YEAR},
    {"per annum", PAY_PERIOD_YEAR},
    {"m\xc3\xa5nadsl\xc3\xb6n", PAY_PERIOD_MONTH},
    {"\xc3\xa5rsl\xc3\xb6n", PAY_PERIOD_YEAR},
    {"timl\xc3\xb6n", PAY_PERIOD_HOUR},
    {"m\xc3\xa5nedsl\xc3\xb8n", PAY_PERIOD_MONTH},
    {"\xc3\xa5rsl\xc3\xb8n", PAY_PERIOD_YEAR},
    {"timel\xc3\xb8n", PAY_PERIOD_HOUR},
    {"maandsalaris", PAY_PERIOD_MONTH},
    {"maandloon", PAY_PERIOD_MONTH},
    {"jaarsalaris", PAY_PERIOD_YEAR},
    {"uurloon", PAY_PERIOD_HOUR},
    {"stawka godzinowa", PAY_PERIOD_HOUR},
    {"stipendio mensile", PAY_PERIOD_MONTH},
    {"stipendio annuo", PAY_PERIOD_YEAR},
};

/* A period phrase starting at p; its length in *n, or PAY_PERIOD_NONE. */
static enum pay_period period_at(const char *s, size_t len, size_t p, size_t *n, bool *fortnight)
{
	size_t m;

	for (size_t k = 0; k < COUNT(fortnight_words); k++)
		if ((m = match_word(s, len, p, fortnight_words[k])) > 0) {
			if (fortnight == NULL)
				return PAY_PERIOD_NONE;
			*fortnight = true;
			*n = m;
			return PAY_PERIOD_WEEK;
		}
	for (size_t k = 0; k < sizeof(period_words_text) / sizeof(period_words_text[0]); k++)
		if ((m = match_word(s, len, p, period_words_text[k].w)) > 0) {
			*n = m;
			return period_words_text[k].period;
		}
	if (match_word(s, len, p, "per annum")) {
		*n = 9;
		return PAY_PERIOD_YEAR;
	}
	for (size_t k = 0; k < sizeof(period_leads) / sizeof(period_leads[0]); k++) {
		const char *lead = period_leads[k];
		size_t ln = lead[0] == '/' || lead[strlen(lead) - 1] == '\'' ||
				    lead[strlen(lead) - 1] == '\x99'
				? match_ci(s, len, p, lead)
				: match_word(s, len, p, lead);
		if (ln == 0)
			continue;
		size_t q = skip_spaces(s, len, p + ln, 3);
		bool english = lead[0] == 'a' && (lead[1] == '\0' || lead[1] == 'n');
		bool definite = strcmp(lead, "i") == 0 || strcmp(lead, "om") == 0;
		const struct text_period *units = definite ? period_units_definite : period_units;
		size_t nunits = definite ? COUNT(period_units_definite) : COUNT(period_units);
		for (size_t u = 0; u < nunits; u++) {
			const char *w = units[u].w;
			/* "a"/"an" lead only English units; "an" and "h" stand only after "/" or
			 * "par" */
			if (english && !(strcmp(w, "hour") == 0 || strcmp(w, "year") == 0 ||
					 strcmp(w, "month") == 0 || strcmp(w, "week") == 0 ||
					 strcmp(w, "day") == 0))
				continue;
			if ((strcmp(w, "an") == 0 || strcmp(w, "h") == 0) && lead[0] != '/' &&
			    strcmp(lead, "par") != 0)
				continue;
			if (strcmp(w, "t") == 0 && lead[0] != '/')
				continue;
			if ((m = match_word(s, len, q, w)) > 0) {
				*n = q + m - p;
				return units[u].period;
			}
		}
	}
	return PAY_PERIOD_NONE;
}

/* The period written right after an amount ("per year", "/Jahr", "brut mensuel"); a
 * fortnight is a week with *fortnight set. */
static enum pay_period period_after(const char *s, size_t len, size_t p, size_t *end,
				    bool *fortnight)
{
	size_t lim = p + TEXT_AFTER_WINDOW < len ? p + TEXT_AFTER_WINDOW : len, n = 0;

	for (size_t q = p; q < lim; q++) {
		unsigned char c = (unsigned char)s[q];
		enum pay_period per;
		if (c == '(') { /* "$52,900.00 to $108,000.00 (annualized USD)" */
			size_t j = skip_spaces(s, len, q + 1, 3);
			per = j < len && is_letter_at(s, len, j)
				  ? period_at(s, len, j, &n, fortnight)
				  : PAY_PERIOD_NONE;
			if (per != PAY_PERIOD_NONE)
				*end = j + n;
			return per;
		}
		if (c == '\n' || c == ';' || is_digit(c))
			break;
		/* a sentence ends at a full stop; "p.a." and "kr. per month" go on */
		if (c == '.' && !(q >= 1 && s[q - 1] == 'p') &&
		    !(q + 2 < len && s[q + 1] == ' ' && s[q + 2] >= 'a' && s[q + 2] <= 'z'))
			break;
		if (c != '/' && (letter_before(s, q) || !is_letter_at(s, len, q)))
			continue;
		per = period_at(s, len, q, &n, fortnight);
		if (per != PAY_PERIOD_NONE) {
			*end = q + n;
			return per;
		}
	}
	return PAY_PERIOD_NONE;
}

/* The period named by the nearest word in [from, to) before an amount. */
static enum pay_period period_before_amount(const char *s, size_t len, size_t from, size_t to)
{
	enum pay_period best = PAY_PERIOD_NONE;

	for (size_t p = from; p < to; p++) {
		if (letter_before(s, p) || !is_letter_at(s, len, p))
			continue;
		for (size_t k = 0; k < sizeof(period_before) / sizeof(period_before[0]); k++)
			if (match_ci(s, len, p, period_before[k].w) > 0)
				best = period_before[k].period;
	}
	return best;
}

/* Places (and one pension scheme) that say which dollar a bare "$" is. */
static const struct {
	const char *w;
	const char *iso;
} dollar_places[] = {
    {"canada", "CAD"},
    {"canadian", "CAD"},
    {"toronto", "CAD"},
    {"vancouver", "CAD"},
    {"montreal", "CAD"},
    {"montr\xc3\xa9"
     "al",
     "CAD"},
    {"ontario", "CAD"},
    {"calgary", "CAD"},
    {"ottawa", "CAD"},
    {"british columbia", "CAD"},
    {"quebec", "CAD"},
    {"qu\xc3\xa9"
     "bec",
     "CAD"},
    {"alberta", "CAD"},
    {"edmonton", "CAD"},
    {"waterloo, on", "CAD"},
    {"australia", "AUD"},
    {"sydney", "AUD"},
    {"melbourne", "AUD"},
    {"brisbane", "AUD"},
    {"new zealand", "NZD"},
    {"auckland", "NZD"},
    {"wellington", "NZD"},
    {"kiwisaver", "NZD"},
    {"singapore", "SGD"},
    {"hong kong", "HKD"},
    {"mexico city", "MXN"},
    {"m\xc3\xa9xico", "MXN"},
    {"cdmx", "MXN"},
    {"guadalajara", "MXN"},
    {"monterrey", "MXN"},
    {"chile", "CLP"},
    {"santiago de chile", "CLP"},
    {"colombia", "COP"},
    {"bogot\xc3\xa1", "COP"},
    {"bogota", "COP"},
    {"medell\xc3\xadn", "COP"},
    {"medellin", "COP"},
    {"argentina", "ARS"},
    {"buenos aires", "ARS"},
    /* the US itself, so that "US employees: $X … Canadian employees: …" stays USD */
    {"united states", "USD"},
    {"usa", "USD"},
    {"u.s.", "USD"},
    {"us-based", "USD"},
    {"us based", "USD"},
};

/* Places named this close together ("Remote, US or Canada") are one place phrase. */
#define TEXT_PLACE_PHRASE 40

/* The dollar of the last place named in s[from, to), or NULL: the nearest one before an
 * amount is the one that speaks of it. A phrase that names two countries' dollars ("US or
 * Canada") decides nothing: *ambiguous is set and NULL returned. "New Mexico" is not Mexico. */
static const char *dollar_of_place(const char *s, size_t len, size_t from, size_t to,
				   bool *ambiguous)
{
	unsigned char head[256] = {0}, next[COUNT(dollar_places)];
	const char *found = NULL;
	size_t found_at = 0;

	*ambiguous = false;
	for (size_t k = COUNT(dollar_places); k-- > 0;) {
		unsigned char c = (unsigned char)dollar_places[k].w[0];
		next[k] = head[c];
		head[c] = (unsigned char)(k + 1);
	}
	for (size_t p = from; p < to; p++) {
		unsigned char c = lower((unsigned char)s[p]);
		const char *iso = NULL;
		if ((!head[c] && c != 'm') || letter_before(s, p))
			continue;
		for (unsigned k = head[c]; k; k = next[k - 1])
			if (match_word(s, len, p, dollar_places[k - 1].w) > 0)
				iso = dollar_places[k - 1].iso;
		if (c == 'm' && match_word(s, len, p, "mexico") > 0 &&
		    !(p >= 4 && match_ci(s, len, p - 4, "new ") > 0))
			iso = "MXN";
		/* "US" in capitals; "us" is a pronoun */
		if (s[p] == 'U' && p + 1 < to && s[p + 1] == 'S' && match_word(s, len, p, "us") > 0)
			iso = "USD";
		if (iso == NULL)
			continue;
		*ambiguous =
		    found != NULL && strcmp(found, iso) != 0 &&
		    (to - from <= 2 * TEXT_PLACE_PHRASE || p - found_at <= TEXT_PLACE_PHRASE);
		found = iso;
		found_at = p;
	}
	return *ambiguous ? NULL : found;
}

/* One candidate: an amount or a range, with what the words around it say. */
struct text_match {
	struct text_amount lo, hi;
	bool range;
	enum pay_period lo_period; /* "$97,000/year - $127,000/year" */
	size_t start, end;
};

static const char *const range_words[] = {
    "to",    "and",	"und",	"bis", "et",  "\xc3\xa0", "a",	"y", "al",
    "hasta", "through", "till", "en",  "tot", "e",	  "do", /* NL "52.000 en 64.000", "van …
								   tot", IT/PT "e", PL "od … do" */
};

/* A dash or range word right after a; the position after it, or 0. */
static size_t range_link(const char *s, size_t len, size_t p)
{
	size_t j = skip_spaces(s, len, p, 6), n;

	if (j >= len)
		return 0;
	if (s[j] == '-' || s[j] == '~')
		return j + 1;
	if ((unsigned char)s[j] == 0xe2 && j + 2 < len && (unsigned char)s[j + 1] == 0x80 &&
	    ((unsigned char)s[j + 2] == 0x93 || (unsigned char)s[j + 2] == 0x94))
		return j + 3; /* – — */
	if (!is_alpha((unsigned char)s[j]) && (unsigned char)s[j] != 0xc3)
		return 0;
	for (size_t k = 0; k < sizeof(range_words) / sizeof(range_words[0]); k++)
		if ((n = match_word(s, len, j, range_words[k])) > 0)
			return j + n;
	return 0;
}

/* The second amount of a range starting after lo, when there is one. */
static bool read_range_end(const char *s, size_t len, const struct text_amount *lo,
			   struct text_amount *hi, enum pay_period *lo_period)
{
	size_t j = range_link(s, len, lo->end), q, n;

	if (j == 0 && lo->end < len && s[lo->end] == '/') {
		*lo_period = period_at(s, len, lo->end, &n, NULL);
		if (*lo_period != PAY_PERIOD_NONE)
			j = range_link(s, len, lo->end + n);
	}

	if (j == 0)
		return false;
	/* between the link and the digits only spaces and currency marks: "– CA$137K" */
	for (q = j; q < len && q < j + 10 && !is_digit((unsigned char)s[q]); q++) {
		unsigned char c = (unsigned char)s[q];
		if (c == '\n' || (c < 0x80 && is_alpha(c) && !is_upper(c)))
			return false;
	}
	if (q >= len || !is_digit((unsigned char)s[q]) || !read_amount(s, len, q, hi))
		return false;
	if (hi->mega || hi->start < j)
		return false;
	return true;
}

static const char *const upto_words[] = {
    "up to", "upto", "bis zu",	"jusqu'\xc3\xa0", "jusqu\xe2\x80\x99\xc3\xa0",
    "hasta", "max",  "maximum", "no more than",	  "as much as",
};

static const char *const from_words[] = {
    "from",
    "starting at",
    "starting from",
    "starts at",
    "start at",
    "ab",
    "\xc3\xa0 partir de",
    "a partir de",
    "desde",
    "minimum",
    "min",
    "mindestens",
    "mind.",
    "at least",
    "minimo",
    "m\xc3\xadnimo",
    "minimal",
    "plus de",
};

/* One-sidedness from the words just before an amount: -1 "up to", +1 "from", 0 neither.
 * Only words with no digits between them and the amount count. */
static int side_before(const char *s, size_t len, size_t start)
{
	size_t from = start > TEXT_SIDE_WINDOW ? start - TEXT_SIDE_WINDOW : 0;
	size_t best = 0;
	int side = 0;

	for (size_t p = start; p > from; p--)
		if (is_digit((unsigned char)s[p - 1]) || s[p - 1] == '\n') {
			from = p;
			break;
		}
	for (size_t p = from; p < start; p++) {
		unsigned char c = lower((unsigned char)s[p]);
		size_t n;
		if (c == 0 || (c != 0xc3 && !strchr("uhbjmnafdspl", c)))
			continue;
		for (size_t k = 0; k < sizeof(upto_words) / sizeof(upto_words[0]); k++)
			if ((n = match_word(s, len, p, upto_words[k])) > 0 && p + n <= start &&
			    p + n > best) {
				best = p + n;
				side = -1;
			}
		for (size_t k = 0; k < sizeof(from_words) / sizeof(from_words[0]); k++)
			if ((n = match_word(s, len, p, from_words[k])) > 0 && p + n <= start &&
			    p + n > best) {
				best = p + n;
				side = 1;
			}
	}
	return side;
}

/* "from $115,000/year in our lowest market up to $223,600/year": a "from" amount whose
 * "up to" amount follows later in the same sentence. */
static bool read_far_range_end(const char *s, size_t len, const struct text_amount *lo,
			       struct text_amount *hi, enum pay_period *lo_period)
{
	size_t q, n;

	if (side_before(s, len, lo->start) <= 0)
		return false;
	for (q = lo->end; q < len && q < lo->end + 80 && !is_digit((unsigned char)s[q]); q++)
		if (s[q] == '\n' || (s[q] == '.' && (q + 1 >= len || s[q + 1] == ' ')))
			return false;
	if (q >= len || !is_digit((unsigned char)s[q]) || !read_amount(s, len, q, hi))
		return false;
	if (hi->mega || side_before(s, len, hi->start) >= 0)
		return false;
	*lo_period = period_after(s, len, lo->end, &n, NULL);
	return true;
}

static bool has_money_mark(const struct text_amount *a)
{
	return a->currency[0] || a->dollar || a->kr || a->peso ||
	       a->lpa; /* LPA: lakh per annum of pay */
}

/* Worth a look at its context: a currency, a multiplier or thousands grouping. */
static bool money_like(const struct text_amount *a)
{
	return has_money_mark(a) || a->kilo || a->lakh || (a->grouped && a->value >= 1000);
}

/* Join lo and hi into one range: shared currency and k, the trailing ISO code first. */
static bool join_range(struct text_match *m)
{
	struct text_amount *lo = &m->lo, *hi = &m->hi;

	/* "$150-$190K", "12-18 LPA": the multiplier of the second amount is the first's too */
	if (hi->mult > 1 && lo->mult == 1 && lo->value < 1000 && lo->value * hi->mult <= hi->value)
		lo->value *= hi->mult;
	if (!(lo->value > 0 && lo->value <= hi->value && hi->value <= lo->value * 50))
		return false;
	if (hi->iso_after || !lo->currency[0]) {
		if (hi->currency[0])
			memcpy(lo->currency, hi->currency, sizeof(lo->currency));
	}
	lo->dollar = lo->dollar || hi->dollar;
	lo->kr = (lo->kr || hi->kr) && !lo->currency[0];
	lo->peso = (lo->peso || hi->peso) && !lo->currency[0];
	lo->lakh = lo->lakh || hi->lakh;
	if (lo->currency[0])
		lo->dollar = false;
	lo->kilo = lo->kilo || hi->kilo;
	lo->iso_after = lo->iso_after || hi->iso_after;
	if (hi->lpa)
		lo->lpa = hi->lpa;
	m->range = true;
	m->end = hi->end;
	return true;
}

/* "3,000 USD / 2,400 GBP / 4,000 CAD per week": amounts in several currencies joined by a
 * slash or "or" share the period written after the last of them. */
static enum pay_period period_after_siblings(const char *s, size_t len, size_t p, size_t *end,
					     bool *fortnight)
{
	static const char *const joins[] = {"or", "oder", "ou", "o", "of"};

	for (int k = 0; k < TEXT_MAX_SIBLINGS; k++) {
		struct text_amount a, hi;
		enum pay_period per = PAY_PERIOD_NONE;
		size_t j = skip_spaces(s, len, p, 3), q, n = 0;

		if (j < len && (s[j] == '/' || s[j] == '|'))
			n = 1;
		for (size_t w = 0; n == 0 && w < COUNT(joins); w++)
			n = match_word(s, len, j, joins[w]);
		if (n == 0)
			return PAY_PERIOD_NONE;
		j = skip_spaces(s, len, j + n, 3);
		for (q = j; q < len && q < j + 5 && !is_digit((unsigned char)s[q]); q++)
			if (s[q] == '\n' ||
			    (is_alpha((unsigned char)s[q]) && !is_upper((unsigned char)s[q])))
				return PAY_PERIOD_NONE;
		if (q >= len || !is_digit((unsigned char)s[q]) || !read_amount(s, len, q, &a) ||
		    !has_money_mark(&a) || a.mega)
			return PAY_PERIOD_NONE;
		p = read_range_end(s, len, &a, &hi, &per) ? hi.end : a.end;
		per = period_after(s, len, p, end, fortnight);
		if (per != PAY_PERIOD_NONE)
			return per;
	}
	return PAY_PERIOD_NONE;
}

/* "Base salary (GBP): 60,000", "Compensation [EUR] 50.000", "Gehalt in €: 3.000": a currency
 * named between the label and the figures, with no other figure in between. */
static const char *currency_of_label(const char *s, size_t len, size_t start)
{
	size_t from = start > TEXT_LABEL_WINDOW ? start - TEXT_LABEL_WINDOW : 0;

	for (size_t p = start; p-- > from;) {
		unsigned char c = (unsigned char)s[p];
		if (c == '\n' || is_digit(c))
			break;
		if (p + 3 <= len && iso_at(s, len, p) != NULL)
			return iso_at(s, len, p);
		for (size_t k = 0; c >= 0x80 && k < COUNT(currency_signs); k++) {
			size_t n = strlen(currency_signs[k].sym);
			if (p + n <= start && memcmp(s + p, currency_signs[k].sym, n) == 0)
				return currency_signs[k].iso;
		}
	}
	return NULL;
}

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
	bool label_line; /* "Label: amount" or the amount alone on its line */
};

static bool is_blank_or(unsigned char c, const char *also)
{
	return c == ' ' || c == '\t' || c == '\r' || strchr(also, c) != NULL;
}

/* "Compensation & Benefits: $X": a word that says "not pay" joined to a pay word by "and"
 * names one heading with it, and does not speak against the amount. */
static bool joined_to_pay_word(const char *s, size_t len, size_t pay_end, size_t start)
{
	static const char *const joins[] = {"&", "and", "/", "+", "und", "et", "y", "e"};
	size_t j = skip_spaces(s, len, pay_end, 3), n = 0;

	if (pay_end == 0 || pay_end > start)
		return false;
	for (size_t k = 0; n == 0 && k < COUNT(joins); k++)
		n = is_alpha((unsigned char)joins[k][0]) ? match_word(s, len, j, joins[k])
							 : match_ci(s, len, j, joins[k]);
	return n > 0 && skip_spaces(s, len, j + n, 3) == start;
}

/* A stipend is a role's pay ("Stipend: $800 per week", "a monthly stipend of €1,200") unless
 * a perk names it ("Date Stipend", "a $100 monthly stipend for dates"). */
static bool stipend_is_pay(const char *s, size_t len, const struct text_hit *h)
{
	static const char *const heads[] = {
	    "a",      "an",	  "the",	"monthly",    "weekly",	   "your",
	    "this",   "intern",	  "internship", "fellowship", "residency", "trainee",
	    "living", "graduate", "phd",	"doctoral",   "research",  "paid",
	    "of",     "receive",  "receives",	"with",	      "plus",	   "annual",
	};
	size_t j = skip_spaces(s, len, h->end, 3), p = h->start, w;

	if (j < len && s[j] == 's')
		j = skip_spaces(s, len, j + 1, 3);
	if (match_word(s, len, j, "for") > 0)
		return false;
	while (p > 0 && is_blank_or((unsigned char)s[p - 1], ""))
		p--;
	if (p == 0 || !is_alpha((unsigned char)s[p - 1]))
		return true; /* a label at a line's or a sentence's start */
	for (w = p; w > 0 && is_alpha((unsigned char)s[w - 1]); w--)
		;
	for (size_t k = 0; k < COUNT(heads); k++)
		if (strlen(heads[k]) == p - w && match_ci(s, len, w, heads[k]) == p - w)
			return true;
	return false;
}

/* Is m "Label: amount" or alone on its line (a bullet, a currency, a period after it)? */
static bool label_line(const char *s, size_t len, const struct text_match *m, size_t span_end)
{
	size_t line = m->start, q;

	while (line > 0 && s[line - 1] != '\n' && m->start - line <= TEXT_LINE_LABEL_MAX)
		line--;
	if (line > 0 && s[line - 1] != '\n')
		return false;
	q = skip_spaces_back(s, m->start, 8);
	if (q > line && s[q - 1] == ':')
		; /* "Branch MSA II: $23 - $24.50" */
	else
		for (size_t p = line; p < q; p++)
			if (!is_blank_or((unsigned char)s[p], "-*\xe2\x80\xa2"))
				return false;
	/* after it only what is added to it: "+ 3% KiwiSaver", "• Offers Equity" */
	for (q = span_end; q < len && s[q] != '\n' && s[q] != '+' && s[q] != '|' && s[q] != ';' &&
			   (unsigned char)s[q] != 0xe2;
	     q++)
		if (q - span_end > 24 || is_digit((unsigned char)s[q]))
			return false;
	return true;
}

/* Does a word right after m say it is something else? The first word after it speaks for it:
 * "1.230,00 € Zusätzliches Gehaltsextra" is pay followed by a perk, "$1,500 home office
 * stipend" a perk. After a pay word and a period phrase that closes the amount ("Vergütung
 * von 7.000-15.000 EUR pro Monat Faire Provision"), a new item may begin. */
static bool not_pay_after(const char *s, size_t len, const struct text_match *m, bool pay_before)
{
	struct text_hit after, pos;
	size_t per_end = 0;
	bool fortnight = false;

	first_word_after(s, len, m->end, 32, other_words, COUNT(other_words), &after);
	if (after.end == 0)
		first_word_after(s, len, m->end, 32, other_words_after, COUNT(other_words_after),
				 &after);
	if (after.end == 0)
		return false;
	first_word_after(s, len, m->end, 32, pay_words, COUNT(pay_words), &pos);
	if (pos.end && pos.start < after.start)
		return false;
	if (!pay_before || period_after(s, len, m->end, &per_end, &fortnight) == PAY_PERIOD_NONE ||
	    per_end > after.start)
		return true;
	/* "… pro Monat Faire Provision": a capital after the period starts the next item;
	 * "$25 per hour in tips" goes on about the amount */
	per_end = skip_spaces(s, len, per_end, 3);
	return !(per_end < len && is_upper((unsigned char)s[per_end]));
}

/* Words that add something to the range before them: what follows is not another range. */
static const char *const add_on_words[] = {
    "plus", "additional",	 "additionally", "extra",      "on top",	"en plus",
    "zzgl", "zus\xc3\xa4tzlich", "dazu",	 "m\xc3\xa1s", "adem\xc3\xa1s", "in addition",
};

/* Is there an add-on word (or a "+") in s[from, to), on one line? A new line is a new item:
 * "Level 1: $28–$32/hour + equity\nLevel 2: …". */
static bool add_on_between(const char *s, size_t len, size_t from, size_t to)
{
	bool found = false;

	for (size_t p = from; p < to; p++) {
		if (s[p] == '\n')
			return false;
		if (found)
			continue;
		if (s[p] == '+')
			found = true;
		if (letter_before(s, p) || !is_alpha((unsigned char)s[p]))
			continue;
		for (size_t k = 0; k < COUNT(add_on_words); k++)
			if (match_word(s, len, p, add_on_words[k]) > 0)
				found = true;
	}
	return found;
}

/* Verbs that say the figure right after them is pay: "This role pays $24/hour", "you will earn
 * €3,100 a month", "paying up to £45,000". */
static const struct text_word pay_verbs[] = {
    {"pays", WORD_WHOLE},
    {"paying", WORD_WHOLE},
    {"paid", WORD_WHOLE},
    {"earn", WORD_WHOLE},
    {"earns", WORD_WHOLE},
    {"will make", WORD_WHOLE},
    {"verdient", WORD_WHOLE},	       /* NL, DE */
    {"verdienen", WORD_WHOLE},	       /* DE, NL */
    {"ganar\xc3\xa1s", WORD_WHOLE},    /* ES ganarás */
    {"ganar\xc3\xa1", WORD_WHOLE},     /* ES */
    {"cobrar\xc3\xa1s", WORD_WHOLE},   /* ES */
    {"ganhar\xc3\xa1s", WORD_WHOLE},   /* PT */
    {"ganhar\xc3\xa1", WORD_WHOLE},    /* PT */
    {"guadagnerai", WORD_WHOLE},       /* IT */
    {"guadagner\xc3\xa0", WORD_WHOLE}, /* IT */
    {"gagnerez", WORD_WHOLE},	       /* FR */
    {"gagneras", WORD_WHOLE},	       /* FR */
    {"gagnera", WORD_WHOLE},	       /* FR */
    {"zarobisz", WORD_WHOLE},	       /* PL */
    {"zarabiasz", WORD_WHOLE},	       /* PL */
    {"tj\xc3\xa4nar", WORD_WHOLE},     /* SV */
    {"tjener", WORD_WHOLE},	       /* NO, DA */
};

/* Words between a verb and its figure that make the figure something the pay goes to ("pays
 * for your $1,000 …", "paid towards …", "paid into …"). */
static const char *const pay_verb_away[] = {"for", "toward", "towards", "into",
					    "out", "back",   "off"};

#define TEXT_VERB_GAP 32 /* how far a pay verb may stand before its figure */

/* A pay verb right before m, in its clause, whose figure is money: it governs m as a pay word
 * does. Replaces *pos when it stands nearer than the pay word found; true then. */
static bool pay_verb_before(const char *s, size_t len, const struct text_match *m,
			    struct text_hit *pos)
{
	size_t from = m->start > TEXT_VERB_GAP ? m->start - TEXT_VERB_GAP : 0;
	struct text_hit v;

	if (!has_money_mark(&m->lo) || m->lo.mult >= 1000000)
		return false; /* "has paid $3M in dividends" */
	last_word(s, len, from, m->start, pay_verbs, COUNT(pay_verbs), &v);
	if (v.end == 0 || v.end <= pos->end)
		return false;
	for (size_t p = v.end; p < m->start; p++) {
		if (strchr(".;:\n!?", s[p]) || is_digit((unsigned char)s[p]))
			return false;
		for (size_t k = 0; is_alpha((unsigned char)s[p]) && k < COUNT(pay_verb_away); k++)
			if (match_word(s, len, p, pay_verb_away[k]) > 0)
				return false;
	}
	*pos = v;
	return true;
}

/* Who pays or earns when it is not the hire: "Customers pay $49 per month", "sellers earn
 * $300 a week on our platform". */
static const char *const others_paying[] = {
    "customers", "users",      "clients",   "members",	"subscribers", "sellers",  "merchants",
    "creators",	 "businesses", "companies", "brands",	"advertisers", "shoppers", "buyers",
    "consumers", "patients",   "hosts",	    "families", "investors",
};

/* Is the pay word or verb at h one whose subject is someone other than the hire? */
static bool paid_by_others(const char *s, size_t len, const struct text_hit *h)
{
	size_t e = skip_spaces_back(s, h->start, 3), b = e;

	if (!(match_word(s, len, h->start, "pay") || match_word(s, len, h->start, "pays") ||
	      match_word(s, len, h->start, "paying") || match_word(s, len, h->start, "earn") ||
	      match_word(s, len, h->start, "earns") || match_word(s, len, h->start, "earning")))
		return false;
	while (b > 0 && is_alpha((unsigned char)s[b - 1]))
		b--;
	for (size_t k = 0; b < e && k < COUNT(others_paying); k++)
		if (strlen(others_paying[k]) == e - b &&
		    match_ci(s, len, b, others_paying[k]) == e - b)
			return true;
	return false;
}

/* Read the words around m into cx. */
static void read_context(const struct text_scan *sc, const struct text_match *m,
			 struct text_context *cx)
{
	const char *s = sc->s;
	size_t len = sc->len, line = m->start;
	size_t back = m->start > TEXT_BACK_WINDOW ? m->start - TEXT_BACK_WINDOW : 0;
	struct text_hit pos, neg;

	memset(cx, 0, sizeof(*cx));
	last_word(s, len, back, m->start, pay_words, COUNT(pay_words), &pos);
	/* a verb counts where it stands nearer than the pay word found */
	bool verb = (pos.end == 0 || pos.end + TEXT_VERB_GAP < m->start) &&
		    pay_verb_before(s, len, m, &pos);
	if ((pos.end && paid_by_others(s, len, &pos)) || not_pay_after(s, len, m, pos.end != 0)) {
		cx->not_pay = true;
		return;
	}
	/* words of another line ("Employee Discount\n $17.20 hourly") say nothing of this one */
	while (line > back && s[line - 1] != '\n')
		line--;
	/* nor do those of another clause: "minimum wage is $16/hour; this role pays $21/hour" */
	for (size_t p = m->start; p > line; p--)
		if (s[p - 1] == ';' || (strchr(".!?", s[p - 1]) && p < m->start && s[p] == ' ' &&
					p >= 2 && !is_digit((unsigned char)s[p - 2]))) {
			line = p;
			break;
		}
	last_word(s, len, line, m->start, other_words, COUNT(other_words), &neg);
	if (!(neg.end && neg.end >= pos.end))
		last_word(s, len, line, m->start, other_words_before, COUNT(other_words_before),
			  &neg);
	if (neg.end && neg.end >= pos.end && !joined_to_pay_word(s, len, pos.end, neg.start)) {
		cx->not_pay = true;
		return;
	}
	if (pos.end == 0)
		first_word_after(s, len, m->end, 32, pay_words, COUNT(pay_words), &pos);
	if (pos.end) {
		cx->pay_word = true;
		cx->cls = verb ? WORD_BASE : pay_word_class(pay_words[pos.which].w);
		if (cx->cls == WORD_STIPEND && !stipend_is_pay(s, len, &pos)) {
			cx->not_pay = true;
			return;
		}
	}
	if (sc->n > 0 && m->start >= sc->last_end) {
		size_t j = skip_spaces(s, len, sc->last_end, 3), n = 0;
		if (j < m->start && (s[j] == '/' || s[j] == '|'))
			n = 1;
		else if (j < m->start)
			n = match_word(s, len, j, "or");
		cx->sibling = n > 0 && skip_spaces(s, len, j + n, 3) == m->start;
		cx->add_on = m->start - sc->last_end <= TEXT_ADD_ON_GAP &&
			     add_on_between(s, len, sc->last_end, m->start);
	}
	if (sc->n > 0 && m->start >= sc->last_end &&
	    m->start - sc->last_end <= TEXT_GOVERN_WINDOW) {
		cx->governed = true;
		for (size_t p = sc->last_end; p + 1 < m->start && cx->governed; p++)
			if (s[p] == '\n' && skip_spaces(s, len, p + 1, 8) < len &&
			    s[skip_spaces(s, len, p + 1, 8)] == '\n')
				cx->governed = false; /* a blank line ends the block */
	}
}

/* The period of m: written after it (or after its siblings), in LPA, or named before it. */
static enum pay_period read_period(const struct text_scan *sc, const struct text_match *m,
				   bool pay_word, size_t *per_end, bool *fortnight)
{
	const char *s = sc->s;
	enum pay_period per = m->lo_period;

	if (per == PAY_PERIOD_NONE)
		per = period_after(s, sc->len, m->end, per_end, fortnight);
	if (per == PAY_PERIOD_NONE) {
		size_t sibling_end; /* the siblings are ranges of their own: not this one's span */
		per = period_after_siblings(s, sc->len, m->end, &sibling_end, fortnight);
	}
	if (per == PAY_PERIOD_NONE)
		per = m->lo.lpa;
	if (per == PAY_PERIOD_NONE && pay_word)
		per = period_before_amount(s, sc->len, m->start > 60 ? m->start - 60 : 0, m->start);
	return per;
}

/* Which dollar (or peso) the places say a bare "$" is: the location when it names one
 * country, else the nearest place before the amount, else one on its own line after it; NULL
 * when none or two are named. */
static const char *place_dollar(const struct text_scan *sc, const struct text_match *m)
{
	const char *s = sc->s, *iso = NULL;
	size_t len = sc->len, from = m->start > 300 ? m->start - 300 : 0, to = m->end;
	bool ambiguous = false;

	/* after the amount only its own line: the next line is often another country's */
	while (to < len && to < m->end + 150 && s[to] != '\n')
		to++;
	if (sc->location != NULL)
		iso = dollar_of_place(sc->location, strlen(sc->location), 0, strlen(sc->location),
				      &ambiguous);
	if (iso == NULL && !ambiguous)
		iso = dollar_of_place(s, len, from, m->start, &ambiguous);
	if (iso == NULL && !ambiguous)
		iso = dollar_of_place(s, len, m->end, to, &ambiguous);
	return iso;
}

/* Which dollar a bare "$" is: the places', else USD. */
static const char *read_dollar(const struct text_scan *sc, const struct text_match *m)
{
	const char *iso = place_dollar(sc, m);

	return iso ? iso : "USD";
}

/* Which peso "pesos" is: the one of the country the places name; NULL when none does. */
static const char *read_peso(const struct text_scan *sc, const struct text_match *m)
{
	const char *iso = place_dollar(sc, m);

	if (iso != NULL && (strcmp(iso, "MXN") == 0 || strcmp(iso, "CLP") == 0 ||
			    strcmp(iso, "COP") == 0 || strcmp(iso, "ARS") == 0))
		return iso;
	return NULL;
}

/* The places and words that tell which krona or krone "kr" is. */
static const struct {
	const char *w;
	const char *iso;
} kr_places[] = {
    {"sweden", "SEK"},
    {"sverige", "SEK"},
    {"stockholm", "SEK"},
    {"g\xc3\xb6teborg", "SEK"},
    {"gothenburg", "SEK"},
    {"malm\xc3\xb6", "SEK"},
    {"malmo", "SEK"},
    {"uppsala", "SEK"},
    {"link\xc3\xb6ping", "SEK"},
    {"lund", "SEK"},
    {"ume\xc3\xa5", "SEK"},
    {"v\xc3\xa4ster\xc3\xa5s", "SEK"},
    {"norway", "NOK"},
    {"norge", "NOK"},
    {"oslo", "NOK"},
    {"bergen", "NOK"},
    {"trondheim", "NOK"},
    {"stavanger", "NOK"},
    {"troms\xc3\xb8", "NOK"},
    {"denmark", "DKK"},
    {"danmark", "DKK"},
    {"copenhagen", "DKK"},
    {"k\xc3\xb8"
     "benhavn",
     "DKK"},
    {"aarhus", "DKK"},
    {"\xc3\xa5rhus", "DKK"},
    {"odense", "DKK"},
    {"aalborg", "DKK"},
    {"iceland", "ISK"},
    {"\xc3\xadsland", "ISK"},
    {"reykjav\xc3\xadk", "ISK"},
};

/* Words only one of the three languages writes: Swedish, Norwegian (bokmål and nynorsk),
 * Danish. Words the languages share ("og", "ikke", "måned", "av") tell nothing. */
static const struct {
	const char *w;
	const char *iso;
} kr_words[] = {
    {"och", "SEK"},
    {"att", "SEK"},
    {"f\xc3\xb6r", "SEK"},
    {"\xc3\xa4r", "SEK"},
    {"inte", "SEK"},
    {"m\xc3\xa5nad", "SEK"},

    {"m\xc3\xa5n", "SEK"},
    {"tj\xc3\xa4nst", "SEK"},
    {"ans\xc3\xb6kan", "SEK"},
    {"erfarenhet", "SEK"},
    {"m\xc3\xa5naden", "SEK"},
    {"etter", "NOK"},

    {"s\xc3\xb8knad", "NOK"},
    {"hva", "NOK"},
    {"ikkje", "NOK"},
    {"noen", "NOK"},
    {"gjennom", "NOK"},
    {"v\xc3\xa5r", "NOK"},
    {"v\xc3\xa5re", "NOK"},
    {"mnd", "NOK"},
    {"uke", "NOK"},
    {"af", "DKK"},
    {"efter", "DKK"},

    {"ans\xc3\xb8gning", "DKK"},
    {"hvad", "DKK"},
    {"nogle", "DKK"},
    {"vores", "DKK"},
    {"jeres", "DKK"},
    {"gennem", "DKK"},
    {"uge", "DKK"},
    {"tj\xc3\xa4nar", "SEK"},
    {"timmen", "SEK"},
    {"veckan", "SEK"},
};

/* The one country's currency the places in s[0, len) name, or NULL (none, or several). */
static const char *kr_of_places(const char *s, size_t len)
{
	const char *found = NULL;

	for (size_t p = 0; p < len; p++) {
		if (letter_before(s, p) || !is_letter_at(s, len, p))
			continue;
		for (size_t k = 0; k < COUNT(kr_places); k++)
			if (match_word(s, len, p, kr_places[k].w) > 0) {
				if (found != NULL && strcmp(found, kr_places[k].iso) != 0)
					return NULL;
				found = kr_places[k].iso;
			}
	}
	return found;
}

/* Which currency "kr" is in sc: the posting's location when it names one country, else the
 * language the text is written in (Swedish "månad", Norwegian "lønn", Danish "løn" …) when
 * its words clearly say, else the one country the text names. NULL when nothing decides: a
 * krona is not guessed (SEK, NOK, DKK and ISK differ up to tenfold). */
static const char *kr_currency(struct text_scan *sc)
{
	const char *iso = NULL;
	size_t count[3] = {0, 0, 0};
	static const char *const langs[3] = {"SEK", "NOK", "DKK"};

	if (sc->kr_decided)
		return sc->kr_iso;
	sc->kr_decided = true;
	if (sc->location != NULL)
		iso = kr_of_places(sc->location, strlen(sc->location));
	for (size_t p = 0; iso == NULL && p < sc->len; p++) {
		/* the word for pay, inside compounds too: "Timlön", "Månedsløn", "Timelønn" */
		if (match_ci(sc->s, sc->len, p, "l\xc3\xb6n") > 0)
			count[0]++;
		else if (match_ci(sc->s, sc->len, p, "l\xc3\xb8nn") > 0)
			count[1]++;
		else if (match_ci(sc->s, sc->len, p, "l\xc3\xb8n") > 0)
			count[2]++;
		if (letter_before(sc->s, p) || !is_letter_at(sc->s, sc->len, p))
			continue;
		for (size_t k = 0; k < COUNT(kr_words); k++)
			if (match_word(sc->s, sc->len, p, kr_words[k].w) > 0)
				count[kr_words[k].iso[0] == 'S'	  ? 0
				      : kr_words[k].iso[0] == 'N' ? 1
								  : 2]++;
	}
	for (int l = 0; iso == NULL && l < 3; l++)
		if (count[l] >= 1 && count[l] >= 2 * (count[(l + 1) % 3] + count[(l + 2) % 3]))
			iso = langs[l];
	if (iso == NULL)
		iso = kr_of_places(sc->s, sc->len);
	sc->kr_iso = iso;
	return iso;
}

/* Places that say lakh and crore count something other than rupees. */
static const char *const lakh_places[] = {"pakistan",  "karachi",   "lahore",	  "islamabad",
					  "nepal",     "kathmandu", "bangladesh", "dhaka",
					  "sri lanka", "colombo"};

/* Does the location or the text name a country other than India that counts in lakhs?
 * Looked for once a text. */
static bool lakh_elsewhere(struct text_scan *sc)
{
	size_t ln = sc->location != NULL ? strlen(sc->location) : 0;

	if (sc->lakh_elsewhere != 0)
		return sc->lakh_elsewhere == 2;
	sc->lakh_elsewhere = 2;
	for (size_t k = 0; k < COUNT(lakh_places); k++) {
		size_t n = strlen(lakh_places[k]);
		for (size_t p = 0; p + n <= ln; p++)
			if (match_word(sc->location, ln, p, lakh_places[k]) > 0)
				return true;
		for (size_t p = 0; p + n <= sc->len; p++)
			if (lower((unsigned char)sc->s[p]) == (unsigned char)lakh_places[k][0] &&
			    match_word(sc->s, sc->len, p, lakh_places[k]) > 0)
				return true;
	}
	sc->lakh_elsewhere = 1;
	return false;
}

/* Is m pay, by the words around it? */
static bool is_pay(const struct text_scan *sc, const struct text_match *m,
		   const struct text_context *cx, enum pay_period written, size_t span_end)
{
	const struct text_amount *a = &m->lo;
	bool money = has_money_mark(a);

	if (cx->not_pay)
		return false;
	if (sc->field)
		return true;
	/* after a base range, a total ("OTE: $76,500") is not another base range */
	if (cx->pay_word && cx->cls == WORD_TOTAL && sc->n > 0 && sc->first_cls != WORD_TOTAL)
		return false;
	if (cx->pay_word || (cx->governed && money))
		return true;
	/* an amount per hour is a wage; a range in a currency stands for pay on its own only
	 * when its period or code is written, or it stands alone on its line or after its label */
	if (money && !m->range &&
	    (written == PAY_PERIOD_HOUR || written == PAY_PERIOD_DAY || written == PAY_PERIOD_WEEK))
		return true;
	return money && m->range &&
	       (written != PAY_PERIOD_NONE || a->iso_after ||
		label_line(sc->s, sc->len, m, span_end));
}

/* Decide whether m is a stated pay range and fill out. */
static bool judge(struct text_scan *sc, struct text_match *m, struct pay *out, size_t *span_end,
		  struct text_context *cx)
{
	const struct text_amount *a = &m->lo;
	size_t per_end = m->end;
	bool fortnight = false;
	enum pay_period per;
	int side = 0;

	/* a bare number is money only when a multiplier or grouping says so */
	if (!has_money_mark(a) && !a->kilo && !a->lakh && !(a->grouped && a->value >= 1000))
		return false;
	read_context(sc, m, cx);
	if (cx->not_pay)
		return false;
	/* a bare number with no currency and no pay label is never pay */
	if (!has_money_mark(a) && !cx->pay_word && !sc->field)
		return false;
	per = read_period(sc, m, cx->pay_word || sc->field, &per_end, &fortnight);
	*span_end = per_end > m->end ? per_end : m->end;
	if (!is_pay(sc, m, cx, per, *span_end))
		return false;
	if (!m->range) {
		side = side_before(sc->s, sc->len, m->start);
		if (side == 0 && a->plus)
			side = 1;
	}
	pay_clear(out);
	out->min = side < 0 ? NAN : a->value;
	out->max = side > 0 ? NAN : (m->range ? m->hi.value : a->value);
	if (fortnight) {
		out->min /= 2;
		out->max /= 2;
	}
	memcpy(out->currency, a->currency, sizeof(out->currency));
	if (!out->currency[0]) {
		const char *iso = currency_of_label(sc->s, sc->len, m->start);
		if (iso != NULL)
			memcpy(out->currency, iso, 4);
		else if (a->dollar)
			memcpy(out->currency, read_dollar(sc, m), 4);
		else if (a->peso && (iso = read_peso(sc, m)) != NULL)
			memcpy(out->currency, iso, 4);
		else if (a->kr && (iso = kr_currency(sc)) != NULL)
			memcpy(out->currency, iso, 4);
		else if (a->lakh && !lakh_elsewhere(sc))
			memcpy(out->currency, "INR", 4);
	}
	out->period = per;
	if (per == PAY_PERIOD_NONE) {
		double v = m->range ? m->hi.value : a->value;
		out->period = v < 200	  ? PAY_PERIOD_HOUR
			      : v < 20000 ? PAY_PERIOD_MONTH
					  : PAY_PERIOD_YEAR;
		out->period_inferred = true;
	}
	snprintf(out->source, sizeof(out->source), "text");
	return true;
}

/* Is s[p] ('.', '!' or '?') the end of a sentence? "U.S. employees" and "e.g. Berlin" are not. */
static bool sentence_end_at(const char *s, size_t len, size_t p)
{
	if (p + 1 < len && s[p + 1] != ' ' && s[p + 1] != '\n')
		return false;
	if (s[p] == '.' && p >= 1 && is_alpha((unsigned char)s[p - 1]) &&
	    (p < 2 || !is_alpha((unsigned char)s[p - 2])))
		return false; /* one letter before the dot: an abbreviation */
	if (s[p] == '.' && p >= 1 && is_digit((unsigned char)s[p - 1])) {
		/* "1. Ausbildungsjahr": an ordinal of one or two digits before a capital */
		size_t d = p - 1;
		while (d > 0 && is_digit((unsigned char)s[d - 1]))
			d--;
		if (p - d <= 2 && (d == 0 || s[d - 1] == ' ' || s[d - 1] == '\n') && p + 2 < len &&
		    is_upper((unsigned char)s[p + 2]))
			return false;
	}
	return true;
}

/* Does a currency sign (€, £ …) end at i? */
static bool currency_sign_ends(const char *s, size_t i)
{
	for (size_t k = 0; k < COUNT(currency_signs); k++) {
		size_t n = strlen(currency_signs[k].sym);
		if (n <= i && memcmp(s + i - n, currency_signs[k].sym, n) == 0)
			return true;
	}
	return false;
}

/* Where the label ending at to starts: after the line break, ';', ':', '|', tab, bullet or
 * sentence end before it (a parenthesis is one piece: "Zone A (SF, NYC): …"), or after a
 * sentence end or line break only when sentence is set; to when that is more than max bytes
 * back. */
static size_t label_start(const char *s, size_t len, size_t to, size_t max, bool sentence)
{
	size_t from = to, depth = 0;

	while (from > 0 && to - from <= max) {
		unsigned char c = (unsigned char)s[from - 1];
		if (c == ')')
			depth++;
		else if (c == '(' && depth > 0)
			depth--;
		else if (c == '(' && !sentence)
			return from; /* "(par exemple : 1369,36 €" */
		else if (c == '\n' || (!sentence && depth == 0 && strchr(";:|\t", c)))
			return from;
		else if (depth == 0 && strchr(".!?", c) && sentence_end_at(s, len, from - 1))
			return from;
		else if (!sentence && c == 0xa2 && from >= 3 &&
			 (unsigned char)s[from - 2] == 0x80 && (unsigned char)s[from - 3] == 0xe2)
			return from; /* • */
		else if (!sentence && (c == '$' || (c >= 0x80 && currency_sign_ends(s, from))))
			return from; /* "1.150,00 € 2. Ausbildungsjahr: …": no label holds money */
		from--;
	}
	return from == 0 ? 0 : to;
}

/* Words that name no location, level or tier (a trailing '*' matches any ending): a label of
 * only these and pay words is a heading ("Salary range", "Base pay", "Hourly rate"). */
static const char *const heading_words[] = {
    "the",
    "for",
    "this",
    "role",
    "position",
    "job",
    "is",
    "are",
    "our",
    "your",
    "target*",
    "typical",
    "expected",
    "new",
    "hire",
    "hiring",
    "start*",
    "gross",
    "total",
    "estimat*",
    "and",
    "of",
    "a",
    "an",
    "annual*",
    "month*",
    "year*",
    "hour*",
    "range*",
    "band",
    "base",
    "scale",
    "doe",
    "ote",
    "in",
    "per",
    "minim*",
    "maxim*",
    "negotiab*",
    "competit*",
    "depending",
    "on",
    "experience",
    "offer*",
    "package",
    "details",
    "info*",
    "benefits",
    "perks",
    "usd",
    "eur",
    "gbp",
    "cad",
    "rates",
    "pay*",
    "par",
    "por",
    "zum",
    "exemple",
    "example",
    "ejemplo",
    "beispiel",
    "esempio",
    "e.g",
    "what",
    "we",
    "you",
    "get",
    "will",
    "receive",
    "us",
    "from",
    "can",
    "expect",
    "up",
    "to",
    "between",
    "around",
    "approx*",
    "about",
    "circa",
    "ca",
    "bis",
    "ab",
    "zwischen",
    "entre",
    "de",
    "jusqu*",
    "hasta",
    "desde",
    "godzinow*",
    "miesi\xc4\x99"
    "czn*",
    "roczn*",
    "mensil*",
    "mensual*",
    "mensal*",
    "mensuel*",
    "horari*",
    "horair*",
    "annu*",
    "monatlich*",
    "j\xc3\xa4hrlich*",
    "brutto",
    "netto",
    "bruto",
    "brut*",
    "lord*",
    "net",
};

/* The last words of a clause that runs on into its figures ("… for this role is: $X"). */
static const char *const run_on_words[] = {"is", "are",	 "be",	"follows", "following",
					   "as", "of",	 "to",	"from",	   "between",
					   "at", "earn", "pays"};

/* Is the word s[p, e) a heading word, a pay verb or a pay word? */
static bool heading_word(const char *s, size_t len, size_t p, size_t e, const struct word_index *ix)
{
	size_t which;

	for (size_t k = 0; k < COUNT(heading_words); k++) {
		if (lower((unsigned char)s[p]) != (unsigned char)heading_words[k][0])
			continue;
		size_t wl = strlen(heading_words[k]);
		bool any_end = heading_words[k][wl - 1] == '*';
		if (any_end)
			wl--;
		if (e - p >= wl && strncasecmp(s + p, heading_words[k], wl) == 0 &&
		    (any_end || e - p == wl))
			return true;
	}
	for (size_t v = 0; v < COUNT(pay_verbs); v++)
		if (lower((unsigned char)s[p]) == (unsigned char)pay_verbs[v].w[0] &&
		    match_word(s, len, p, pay_verbs[v].w) == e - p)
			return true; /* "Guadagnerai 1.400 € al mese" */
	if (is_digit((unsigned char)s[p]))
		return false; /* "Zone 1" */
	for (size_t n = p; n < e; n++)
		if (word_at(s, len, n, ix, pay_words, &which) > 0)
			return true;
	return false;
}

/* The end of the word starting at p, before to. */
static size_t word_end(const char *s, size_t len, size_t p, size_t to)
{
	while (p < to && (is_letter_at(s, len, p) || ((unsigned char)s[p] & 0xc0) == 0x80))
		p++;
	return p;
}

/* Where a label starts once the heading words before it are left out: "Pay range (NYC)" is
 * "NYC)", "Compensation for this role in the San Francisco Bay Area" is "San Francisco Bay
 * Area". */
static size_t label_skip_heading(const char *s, size_t len, size_t from, size_t to)
{
	struct word_index ix;
	size_t p = from;

	word_index_build(&ix, pay_words, COUNT(pay_words));
	while (p < to) {
		size_t e;
		if (is_blank_or((unsigned char)s[p], "(-")) {
			p++;
			continue;
		}
		if (!is_letter_at(s, len, p))
			break;
		e = word_end(s, len, p, to);
		if (!heading_word(s, len, p, e, &ix) || match_word(s, len, p, "new") == e - p ||
		    match_word(s, len, p, "us") == e - p)
			break; /* "New York", "US employees" */
		p = e;
	}
	return p < to ? p : from;
}

/* Is s[from, to) a heading or a clause rather than a label? */
static bool label_is_heading(const char *s, size_t len, size_t from, size_t to)
{
	struct word_index ix;
	size_t which, last = to;
	bool heading = true;

	word_index_build(&ix, pay_words, COUNT(pay_words));
	for (size_t p = from; p < to;) {
		size_t e;
		if (!is_letter_at(s, len, p)) {
			p++;
			continue;
		}
		e = word_end(s, len, p, to);
		last = p;
		if (!heading_word(s, len, p, e, &ix))
			heading = false;
		p = e;
	}
	if (heading)
		return true;
	/* "Morbihan (56) Salaire": a label ends before its pay word */
	for (size_t n = last; n < to && is_letter_at(s, len, n); n++)
		if (word_at(s, len, n, &ix, pay_words, &which) > 0)
			return true;
	for (size_t k = 0; last < to && k < COUNT(run_on_words); k++)
		if (match_word(s, len, last, run_on_words[k]) == to - last)
			return true;
	return false;
}

/* Words that start a level's or a tier's name ("Level 2", "Tier A", "Senior level"). */
static const char *const level_words[] = {"level", "tier", "zone", "band", "grade", "step"};

/* Words before "level" that name no level ("this level", "a high level of"). */
static const char *const not_level_words[] = {
    "this", "that", "each",  "the",	   "a",	       "an",	      "any",   "every",
    "same", "your", "our",   "its",	   "high",     "low",	      "top",   "which",
    "what", "all",  "skill", "experience", "required", "appropriate", "their", "his",
    "her",  "and",  "or",    "of",	   "at",       "to",
};

/* A level or tier named in the sentence s[from, to): "Senior-level candidates …", "for
 * Level 3 roles …", "Tier 2 locations …"; its span in *lo, *hi. */
static bool level_in_sentence(const char *s, size_t len, size_t from, size_t to, size_t *lo,
			      size_t *hi)
{
	bool found = false;

	for (size_t p = from; p < to; p++) {
		size_t n = 0, e, b, w;
		if (!strchr("ltzbgsLTZBGS", s[p]) || s[p] == '\0')
			continue;
		for (size_t k = 0; n == 0 && k < COUNT(level_words); k++)
			n = match_ci(s, len, p, level_words[k]);
		if (n == 0 || (p + n < len && is_letter_at(s, len, p + n)))
			continue;
		if (p > from && is_letter_at(s, len, p - 1))
			continue;
		e = skip_spaces(s, len, p + n, 1);
		/* "Level 2", "Tier A", "Band III": the name after the word */
		if (e > p + n && e < to &&
		    (is_digit((unsigned char)s[e]) ||
		     (is_upper((unsigned char)s[e]) &&
		      (e + 1 >= len || !is_alpha((unsigned char)s[e + 1]) ||
		       strspn(s + e, "IVX") >= 2)))) {
			while (e < to &&
			       (is_digit((unsigned char)s[e]) || is_upper((unsigned char)s[e])))
				e++;
			*lo = p;
			*hi = e;
			found = true;
			continue;
		}
		/* "Senior-level", "senior level": the word before it */
		b = p;
		if (b > from && (s[b - 1] == '-' || s[b - 1] == ' '))
			b--;
		for (w = b; w > from && is_alpha((unsigned char)s[w - 1]); w--)
			;
		if (w == b || b == p)
			continue;
		bool named = true;
		for (size_t k = 0; k < COUNT(not_level_words); k++)
			if (strlen(not_level_words[k]) == b - w &&
			    strncasecmp(s + w, not_level_words[k], b - w) == 0)
				named = false;
		if (named) {
			*lo = w;
			*hi = p + n;
			found = true;
		}
	}
	return found;
}

/* Words that introduce a place ("… for this role in New York is"). */
static const char *const place_leads[] = {"in", "within", "across", "for", "based in"};

/* Lower-case words that end a place's name ("in California is", "in New York will"). */
static const char *const place_stops[] = {
    "is",   "are",     "was", "will", "may",  "would", "should", "can",	   "could", "the",
    "this", "with",    "for", "from", "at",   "of",    "range",	 "ranges", "pay",   "salary",
    "base", "between", "per", "up",   "only", "who",   "we",	 "you",	   "it",
};

/* Words that make a capitalised phrase a law, not a place ("Equal Pay for Equal Work Act"). */
static const char *const not_place_words[] = {
    "act", "law", "laws", "equal", "transparency", "ordinance", "statute", "compliance", "eeo"};

/* A place named in the sentence s[from, to) after "in", "within", "across" or "for": the
 * last one; its span in *lo, *hi. */
static bool place_in_sentence(const char *s, size_t len, size_t from, size_t to, size_t *lo,
			      size_t *hi)
{
	bool found = false;

	for (size_t p = from; p < to; p++) {
		size_t n = 0, q, e;
		if (!strchr("iwafbIWAFB", s[p]) || s[p] == '\0' ||
		    (p > from && is_letter_at(s, len, p - 1)))
			continue;
		for (size_t k = 0; n == 0 && k < COUNT(place_leads); k++)
			n = match_word(s, len, p, place_leads[k]);
		if (n == 0)
			continue;
		q = skip_spaces(s, len, p + n, 3);
		if (match_word(s, len, q, "the") > 0)
			q = skip_spaces(s, len, q + 3, 3);
		if (q >= to || !is_upper((unsigned char)s[q]) || iso_at(s, len, q) != NULL)
			continue;
		for (e = q; e < to && e - q < TEXT_LABEL_MAX; e++) {
			unsigned char c = (unsigned char)s[e];
			size_t k;
			if (strchr(",;:()\n$", c) || is_digit(c) ||
			    (c == '.' && sentence_end_at(s, len, e)))
				break;
			if (!is_alpha(c) || (e > q && is_letter_at(s, len, e - 1)) || is_upper(c))
				continue;
			for (k = 0; k < COUNT(place_stops); k++)
				if (match_word(s, len, e, place_stops[k]) > 0)
					break;
			if (k < COUNT(place_stops))
				break;
		}
		while (e > q && is_blank_or((unsigned char)s[e - 1], ""))
			e--;
		bool place = e > q;
		for (size_t w = q; place && w < e; w++)
			for (size_t k = 0; k < COUNT(not_place_words); k++)
				if (match_word(s, len, w, not_place_words[k]) > 0)
					place = false;
		if (place) {
			*lo = q;
			*hi = e;
			found = true;
		}
	}
	return found;
}

/* The location, level or tier a range is stated for, in the forms postings use: "Branch MSA
 * II: $23 - $24.50", "California: $145,000 - $175,000; New York: …", "Zone B (all other US
 * locations): …" (a label before a colon); the line before a range that stands alone; "$190-237k
 * in Menlo Park, CA" (after it); a table row "California $145,000 - $175,000"; and, weaker, the
 * sentence it stands in: "the base pay range for this role in New York is …", "within the San
 * Francisco Bay area …, the base pay range … in those locations is …", "Senior-level
 * candidates … a base salary of …" (sentence_label). *strong: a label was found, which lets a
 * range of another currency or period stand beside the first. */
static void label_copy(const char *s, size_t len, size_t from, size_t to, char *out, size_t outlen,
		       bool *strong);

/* Words in a parenthesis after a range that say how it is paid, not for whom: "(B2B)",
 * "(before tax)", "(non-exempt)". */
static const char *const paren_not_label[] = {
    "tax",	 "before", "after", "net",    "netto",	    "bruto", "brutto",
    "b2b",	 "vat",	   "uop",   "exempt", "non-exempt", "fte",   "full-time",
    "part-time", "plus",   "gross", "brut",   "bruts",
};

/* "Gehaltsband: Junior 45.000–55.000 €, Senior 60.000–75.000 €", "Rémunération : Paris 50-60 k€,
 * Lyon 45-55 k€": a few capitalised words between a ':', ',', ';' or '|' and the figures name
 * them. q: where the spaces before the figures start. Its span in *from, *to. */
static void label_inline(const char *s, size_t len, size_t q, size_t *from, size_t *to)
{
	size_t b = q, words = 0;

	if (q == 0 || !(is_alpha((unsigned char)s[q - 1]) || ((unsigned char)s[q - 1] & 0x80)))
		return;
	while (b > 0 && q - b <= 40 &&
	       (is_alpha((unsigned char)s[b - 1]) || s[b - 1] == ' ' || s[b - 1] == '-' ||
		((unsigned char)s[b - 1] & 0x80)))
		b--;
	if (b == 0 || q - b > 40 || !strchr(",:;|", s[b - 1]))
		return;
	b = skip_spaces(s, len, b, 8);
	for (size_t p = b; p < q; p++)
		if (s[p] == ' ' && p + 1 < q && s[p + 1] != ' ')
			words++;
	if (words > 3 || b >= q || !is_upper((unsigned char)s[b]) || label_is_heading(s, len, b, q))
		return;
	*from = b;
	*to = q;
}

/* "$160,000—$200,000 (San Francisco / New York)": a parenthesis right after the range names
 * it, unless it holds money or says how it is paid. Its span in *from, *to. */
static void label_after_paren(const char *s, size_t len, size_t span_end, size_t *from, size_t *to)
{
	size_t j = skip_spaces(s, len, span_end, 3), e;

	if (j >= len || s[j] != '(')
		return;
	j = skip_spaces(s, len, j + 1, 3);
	for (e = j; e < len && s[e] != ')' && e - j <= TEXT_LINE_LABEL_MAX; e++)
		if (s[e] == '\n' || s[e] == '(' || s[e] == '$' || s[e] == '%' ||
		    ((unsigned char)s[e] >= 0x80 && currency_sign_ends(s, e + 1)))
			return;
	if (e >= len || s[e] != ')' || j >= e || !is_letter_at(s, len, j) ||
	    label_is_heading(s, len, j, e))
		return;
	for (size_t p = j; p < e; p++)
		for (size_t k = 0; is_alpha((unsigned char)s[p]) && k < COUNT(paren_not_label); k++)
			if (match_word(s, len, p, paren_not_label[k]) > 0)
				return;
	*from = j;
	*to = e;
}

static void range_label(const char *s, size_t len, const struct text_match *m, size_t span_end,
			char *out, size_t outlen, bool *strong)
{
	size_t line = m->start, q = skip_spaces_back(s, m->start, 8), from = 0, to = 0;

	out[0] = '\0';
	*strong = true;
	while (line > 0 && s[line - 1] != '\n' && m->start - line <= TEXT_LABEL_MAX)
		line--;
	bool colon = q > 0 && s[q - 1] == ':';

	if (colon) {
		to = q - 1;
		from = label_start(s, len, to, TEXT_LABEL_MAX, false);
		if (label_is_heading(s, len, from, to))
			from = to = 0; /* "Compensation: $24.04/ Hour" names nothing */
	}
	if (!colon && label_line(s, len, m, span_end) && line >= 2) {
		to = line - 1; /* the line before: "United States Salary Range" */
		for (from = to;
		     from > 0 && s[from - 1] != '\n' && to - from <= TEXT_LINE_LABEL_MAX;)
			from--;
		if ((from > 0 && s[from - 1] != '\n') ||
		    (skip_spaces_back(s, to, 8) > from && s[skip_spaces_back(s, to, 8) - 1] == '.'))
			to = from; /* a line too long to be a label, or a sentence */
		for (size_t p = from; p < to; p++)
			if (is_digit((unsigned char)s[p]))
				to = from;
		if (to > from && label_is_heading(s, len, from, to))
			to = from;
	}
	if (to <= from) {
		/* after it: "in Austin, TX", "in our Denver office", "for Level 3", "at HQ" */
		size_t j = skip_spaces(s, len, span_end, 3), n = match_word(s, len, j, "in"), d;
		from = to = 0;
		if (n == 0 && (n = match_word(s, len, j, "for")) == 0)
			n = match_word(s, len, j, "at");
		d = skip_spaces(s, len, j + n, 3);
		if (n > 0 && (match_word(s, len, d, "our") > 0 || match_word(s, len, d, "the") > 0))
			n = skip_spaces(s, len, d + 3, 3) - j;
		d = n > 0 ? skip_spaces(s, len, j + n, 3) : len;
		if (d < len && is_upper((unsigned char)s[d])) {
			from = d;
			for (to = from; to < len && to - from < TEXT_LABEL_MAX; to++)
				if (strchr("\n;(.$", s[to]) || is_digit((unsigned char)s[to]) ||
				    match_word(s, len, to, "and") > 0 ||
				    match_word(s, len, to, "or") > 0)
					break;
		}
	}
	if (to <= from)
		label_after_paren(s, len, span_end, &from, &to);
	if (to <= from)
		label_inline(s, len, q, &from, &to);
	if (to <= from && (line == 0 || s[line - 1] == '\n') && q > line &&
	    m->start - line <= TEXT_LINE_LABEL_MAX) {
		/* a table row or list line: "California $145,000 - $175,000", "Tier 1 – $X" */
		size_t e = q, t;
		if (e > line && (s[e - 1] == '-' || s[e - 1] == '|'))
			e--;
		else if (e >= line + 3 && (unsigned char)s[e - 3] == 0xe2 &&
			 (unsigned char)s[e - 2] == 0x80 &&
			 ((unsigned char)s[e - 1] == 0x93 || (unsigned char)s[e - 1] == 0x94))
			e -= 3;
		e = skip_spaces_back(s, e, 8);
		from = line;
		while (from < e && is_blank_or((unsigned char)s[from], "-*|"))
			from++;
		for (t = e; t > from && is_letter_at(s, len, t - 1);)
			t--; /* the last word names it: "New York", "Zone 1", "(SF, NYC)" */
		bool row = from < e && is_upper((unsigned char)s[from]) &&
			   (is_upper((unsigned char)s[t]) || is_digit((unsigned char)s[t]) ||
			    s[e - 1] == ')');
		for (size_t p = span_end; row && p < len && s[p] != '\n'; p++)
			if (p - span_end > 24 || is_digit((unsigned char)s[p]))
				row = false;
		for (size_t p = from; row && p < e; p++)
			if (strchr(".!?;:", s[p]))
				row = false;
		to = row && !label_is_heading(s, len, from, e) ? e : 0;
		if (to == 0)
			from = 0;
	}
	if (to > from) {
		/* "Pay range (NYC)" is "NYC"; "Base salary for Level 3" is "Level 3" */
		from = label_skip_heading(s, len, from, to);
		if (s[to - 1] == ')' && memchr(s + from, '(', to - from) == NULL)
			to--;
	}
	label_copy(s, len, from, to, out, outlen, strong);
}

/* The label of the range at start from the sentence it stands in: a level, else a place
 * ("Senior-level candidates …", "… for this role in New York is $X"). Looked for only when a
 * text states several ranges: a label tells them apart. */
static void sentence_label(const char *s, size_t len, size_t start, char *out, size_t outlen)
{
	size_t sent = label_start(s, len, start, 250, true), from = 0, to = 0;
	bool strong;

	if (sent < start && !level_in_sentence(s, len, sent, start, &from, &to))
		place_in_sentence(s, len, sent, start, &from, &to);
	label_copy(s, len, from, to, out, outlen, &strong);
}

/* Copy s[from, to) as a label into out, trimmed and never cut inside a character; "" and
 * *strong false when it is too short or too long. */
static void label_copy(const char *s, size_t len, size_t from, size_t to, char *out, size_t outlen,
		       bool *strong)
{
	out[0] = '\0';
	/* never half a character: a label cut at TEXT_LABEL_MAX ends before the one it cut */
	while (to > from && to < len && ((unsigned char)s[to] & 0xc0) == 0x80)
		to--;
	while (from < to && is_blank_or((unsigned char)s[from], "-*"))
		from++;
	while (to > from && is_blank_or((unsigned char)s[to - 1], ",:"))
		to--;
	if (to - from >= 2 && to - from < outlen && to - from <= TEXT_LABEL_MAX) {
		memcpy(out, s + from, to - from);
		out[to - from] = '\0';
	} else {
		*strong = false;
	}
}

/* Does a range after the first belong with it? Another currency or period is its own range
 * when a pay word or its label says so; in the first's currency and period it must be of the
 * same order ("50 €/Monat" next to "1.150 € a month" is a perk). */
static bool belongs(const struct text_scan *sc, const struct pay *p, const struct text_context *cx,
		    bool labelled)
{
	const struct pay *f = &sc->first;
	double flo = isnan(f->min) ? f->max : f->min, fhi = isnan(f->max) ? f->min : f->max;
	double lo = isnan(p->min) ? p->max : p->min, hi = isnan(p->max) ? p->min : p->max;

	if (cx->add_on)
		return false;
	if (strcmp(p->currency, f->currency) != 0 || p->period != f->period)
		return !(strcmp(p->currency, f->currency) == 0 && p->period_inferred) &&
		       (cx->pay_word || labelled || cx->sibling);
	return hi * TEXT_RANGE_SPREAD >= flo && lo <= fhi * TEXT_RANGE_SPREAD;
}

/* Read the range m->lo starts, when a second amount follows it. */
static void read_candidate_range(const char *text, size_t len, struct text_match *m)
{
	if (read_range_end(text, len, &m->lo, &m->hi, &m->lo_period) ||
	    (money_like(&m->lo) && read_far_range_end(text, len, &m->lo, &m->hi, &m->lo_period))) {
		struct text_match r = *m;
		if (join_range(&r))
			*m = r;
		else
			m->lo_period = PAY_PERIOD_NONE;
	}
}

/* Keep m (judged pay as p) as all[sc->n] unless it repeats a range or does not belong with
 * the first; true when kept. */
static bool keep_range(struct text_scan *sc, const struct text_match *m, const struct pay *p,
		       const struct text_context *cx, size_t span_end, struct pay_text_range *all)
{
	struct pay_text_range *out = &all[sc->n];
	char label[sizeof(out->label)];

	bool strong;

	range_label(sc->s, sc->len, m, span_end, label, sizeof(label), &strong);
	if (sc->n > 0) {
		if (!belongs(sc, p, cx, strong))
			return false;
		for (size_t k = 0; k < sc->n; k++)
			if (pay_equal(&all[k].pay, p))
				return false; /* the same range stated twice */
	}
	out->pay = *p;
	/* "$190-237k in Menlo Park and $165k-206K in Durham": the period written for the first
	 * range is the period of the list */
	if (sc->n > 0 && p->period_inferred && p->period == sc->first.period &&
	    strcmp(p->currency, sc->first.currency) == 0)
		out->pay.period_inferred = sc->first.period_inferred;
	out->off = m->start;
	out->len = span_end - m->start;
	memcpy(out->label, label, sizeof(label));
	if (sc->n == 0) {
		sc->first = *p;
		sc->first_cls = cx->pay_word ? cx->cls : WORD_BASE;
	}
	return true;
}

size_t pay_parse_text_all(const char *text, size_t len, const char *location, bool field,
			  struct pay_text_range *out, size_t max)
{
	struct text_scan sc;
	size_t candidates = 0, prev_end = 0;

	memset(&sc, 0, sizeof(sc));
	sc.s = text;
	sc.len = len;
	sc.location = location;
	sc.field = field;
	if (text == NULL)
		return 0;
	for (size_t i = 0; i < len && candidates < TEXT_MAX_CANDIDATES && sc.n < max; i++) {
		struct text_match m;
		struct text_context cx;
		struct pay p;
		size_t span_end;

		if (!is_digit((unsigned char)text[i]))
			continue;
		if (i > 0 && (is_digit((unsigned char)text[i - 1]) || text[i - 1] == '.' ||
			      text[i - 1] == ',' ||
			      (letter_before(text, i) && !(i >= 3 && iso_at(text, len, i - 3)))))
			continue;
		memset(&m, 0, sizeof(m));
		if (!read_amount(text, len, i, &m.lo) || m.lo.mega)
			continue;
		if (m.lo.start < prev_end) {
			/* "1.150,00 € 2. Jahr": that € is the amount's before it */
			m.lo.start = i;
			m.lo.currency[0] = '\0';
			m.lo.dollar = false;
			m.lo.kr = false;
			m.lo.peso = false;
		}
		prev_end = m.lo.end;
		m.start = m.lo.start;
		m.end = m.lo.end;
		if (!money_like(&m.lo) && !(range_link(text, len, m.lo.end) > 0)) {
			i = m.lo.end > i ? m.lo.end - 1 : i;
			continue; /* a date, a count, a duration: no context work for it */
		}
		candidates++;
		read_candidate_range(text, len, &m);
		if (judge(&sc, &m, &p, &span_end, &cx)) {
			if (keep_range(&sc, &m, &p, &cx, span_end, out))
				sc.n++;
			sc.last_end = span_end;
		}
		if (m.end > i + 1)
			i = m.end -
			    1; /* "1 867,02 €" holds no "867,02 €", a range no second amount */
	}
	for (size_t k = 0; sc.n > 1 && k < sc.n; k++)
		if (out[k].label[0] == '\0')
			sentence_label(text, len, out[k].off, out[k].label, sizeof(out[k].label));
	return sc.n;
}

bool pay_parse_text(const char *text, size_t len, const char *location, struct pay *out,
		    size_t *span_off, size_t *span_len)
{
	struct pay_text_range r;

	pay_clear(out);
	if (pay_parse_text_all(text, len, location, false, &r, 1) == 0)
		return false;
	*out = r.pay;
	if (span_off)
		*span_off = r.off;
	if (span_len)
		*span_len = r.len;
	return true;
}
