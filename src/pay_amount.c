/* pay_amount.c - one amount as written in a text: its currency before or after it (signs,
 * ISO codes, "US$", "kr", "Rs."), its digits in any grouping, its multiplier (k, M, mil, tys,
 * lakh, crore), the range a second amount makes with it ("$120K – $150K", "from X … up to Y")
 * and the one-sided words before it ("up to", "ab"). Pure: no I/O. */
#include <math.h>
#include <string.h>

#include "pay_int.h"

#define TEXT_SIDE_WINDOW  32 /* how far back "up to" / "ab" may stand */
#define TEXT_MAX_DIGITS	  15 /* longer digit runs are ids, not money, and would lose precision */
#define TEXT_MAX_SIBLINGS 4  /* "3,000 USD / 2,400 GBP / 4,000 CAD per week" */

static const char *const iso_codes[] = {
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "SGD", "HKD", "CHF", "SEK", "NOK", "DKK",
    "PLN", "CZK", "HUF", "RON", "INR", "JPY", "CNY", "MXN", "BRL", "ZAR", "AED", "ILS",
    "KRW", "TWD", "PHP", "IDR", "MYR", "THB", "VND", "TRY", "ARS", "CLP", "COP", "PEN",
    "NGN", "KES", "EGP", "SAR", "QAR", "UAH", "BGN", "ISK", "DZD",
};

/* An ISO 4217 code we know at s[i..i+3), in capitals, standing alone. */
const char *pay_iso_at(const char *s, size_t len, size_t i)
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
	if (j >= 3 && pay_iso_at(s, start, j - 3) != NULL && j < start) {
		set_currency(a, pay_iso_at(s, start, j - 3));
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
	if (j >= 3 && pay_iso_at(s, len, j - 3) != NULL) {
		set_currency(a, pay_iso_at(s, len, j - 3));
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
		if (q < len && is_alpha((unsigned char)s[q]) && pay_iso_at(s, len, q) == NULL)
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

/* Is the currency sign or code that ends at s[j] the next figure's, written before it, rather
 * than a's written after it? So when a is a small bare whole number, a zone's, level's or
 * tier's ("Zone 1 $150,000", "Level 2 USD 90,000"), and a figure starts at s[j] or one blank
 * after it; "1.150,00 € 2. Jahr" keeps its €. */
static bool next_figure_sign(const char *s, size_t len, size_t j, const struct text_amount *a)
{
	if (a->grouped || a->mult != 1 || a->value >= 100 || a->value != floor(a->value))
		return false;
	if (j < len && s[j] == ' ')
		j++;
	return j < len && is_digit((unsigned char)s[j]);
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
	if (j < len && s[j] == '$' && !next_figure_sign(s, len, j + 1, a)) {
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
		if (n <= len - j && memcmp(s + j, currency_signs[k].sym, n) == 0 &&
		    !next_figure_sign(s, len, j + n, a)) {
			set_currency(a, currency_signs[k].iso);
			a->dollar = false;
			return j + n;
		}
	}
	if (j < len && pay_iso_at(s, len, j) != NULL && !next_figure_sign(s, len, j + 3, a)) {
		set_currency(a, pay_iso_at(s, len, j));
		a->dollar = false;
		a->iso_after = true;
		return j + 3;
	}
	return p;
}

/* An amount whose first digit is at i; false when the digits are not money-shaped. */
bool pay_read_amount(const char *s, size_t len, size_t i, struct text_amount *a)
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

/* Does a currency sign (€, £ …) end at i? */
bool pay_currency_sign_ends(const char *s, size_t i)
{
	for (size_t k = 0; k < COUNT(currency_signs); k++) {
		size_t n = strlen(currency_signs[k].sym);
		if (n <= i && memcmp(s + i - n, currency_signs[k].sym, n) == 0)
			return true;
	}
	return false;
}

const char *pay_currency_sign_at(const char *s, size_t p, size_t end)
{
	for (size_t k = 0; k < COUNT(currency_signs); k++) {
		size_t n = strlen(currency_signs[k].sym);
		if (p + n <= end && memcmp(s + p, currency_signs[k].sym, n) == 0)
			return currency_signs[k].iso;
	}
	return NULL;
}

static const char *const range_words[] = {
    "to",    "and",	"und",	"bis", "et",  "\xc3\xa0", "a",	"y", "al",
    "hasta", "through", "till", "en",  "tot", "e",	  "do", /* NL "52.000 en 64.000", "van …
								   tot", IT/PT "e", PL "od … do" */
};

/* A dash or range word right after a; the position after it, or 0. */
size_t pay_range_link(const char *s, size_t len, size_t p)
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
	size_t j = pay_range_link(s, len, lo->end), q, n;

	if (j == 0 && lo->end < len && s[lo->end] == '/') {
		*lo_period = pay_period_at(s, len, lo->end, &n, NULL);
		if (*lo_period != PAY_PERIOD_NONE)
			j = pay_range_link(s, len, lo->end + n);
	}

	if (j == 0)
		return false;
	/* between the link and the digits only spaces and currency marks: "– CA$137K" */
	for (q = j; q < len && q < j + 10 && !is_digit((unsigned char)s[q]); q++) {
		unsigned char c = (unsigned char)s[q];
		if (c == '\n' || (c < 0x80 && is_alpha(c) && !is_upper(c)))
			return false;
	}
	if (q >= len || !is_digit((unsigned char)s[q]) || !pay_read_amount(s, len, q, hi))
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
int pay_side_before(const char *s, size_t len, size_t start)
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

	if (pay_side_before(s, len, lo->start) <= 0)
		return false;
	for (q = lo->end; q < len && q < lo->end + 80 && !is_digit((unsigned char)s[q]); q++)
		if (s[q] == '\n' || (s[q] == '.' && (q + 1 >= len || s[q + 1] == ' ')))
			return false;
	if (q >= len || !is_digit((unsigned char)s[q]) || !pay_read_amount(s, len, q, hi))
		return false;
	if (hi->mega || pay_side_before(s, len, hi->start) >= 0)
		return false;
	*lo_period = pay_period_after(s, len, lo->end, &n, NULL);
	return true;
}

bool pay_has_money_mark(const struct text_amount *a)
{
	return a->currency[0] || a->dollar || a->kr || a->peso ||
	       a->lpa; /* LPA: lakh per annum of pay */
}

/* Worth a look at its context: a currency, a multiplier or thousands grouping. */
bool pay_money_like(const struct text_amount *a)
{
	return pay_has_money_mark(a) || a->kilo || a->lakh || (a->grouped && a->value >= 1000);
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
enum pay_period pay_period_after_siblings(const char *s, size_t len, size_t p, size_t *end,
					  bool *half)
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
		if (q >= len || !is_digit((unsigned char)s[q]) || !pay_read_amount(s, len, q, &a) ||
		    !pay_has_money_mark(&a) || a.mega)
			return PAY_PERIOD_NONE;
		p = read_range_end(s, len, &a, &hi, &per) ? hi.end : a.end;
		per = pay_period_after(s, len, p, end, half);
		if (per != PAY_PERIOD_NONE)
			return per;
	}
	return PAY_PERIOD_NONE;
}

/* Read the range m->lo starts, when a second amount follows it. */
void pay_read_range(const char *text, size_t len, struct text_match *m)
{
	if (read_range_end(text, len, &m->lo, &m->hi, &m->lo_period) ||
	    (pay_money_like(&m->lo) &&
	     read_far_range_end(text, len, &m->lo, &m->hi, &m->lo_period))) {
		struct text_match r = *m;
		if (join_range(&r))
			*m = r;
		else
			m->lo_period = PAY_PERIOD_NONE;
	} else {
		/* "$20/hr (Tier 1)": the period read_range_end looked at ahead of a range that did
		 * not come is the single amount's, read (and spanned) as any period after it */
		m->lo_period = PAY_PERIOD_NONE;
	}
}
