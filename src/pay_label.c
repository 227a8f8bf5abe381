/* pay_label.c - the location, level or tier a range is stated for, in the forms postings
 * use: "California: $X", the line before a range on its own, "$X in Menlo Park", a table row,
 * "(San Francisco / New York)" after it, and, weaker, the sentence it stands in. Headings
 * ("Salary range", "Base pay") and clauses ("… for this role is") name nothing. */
#include <string.h>
#include <strings.h>

#include "pay_int.h"

#define TEXT_LABEL_MAX	    120 /* the longest label a range keeps */
#define TEXT_LINE_LABEL_MAX 80	/* the longest "Label:" before an amount that starts its line */

/* Does a labelled item start after p, on its line: a few words and a colon, then a figure
 * ("… Zone B: $135,000", "… Tier 2: $135,000", "… and Austin: 90.000 €")? */
bool pay_next_item(const char *s, size_t len, size_t p)
{
	size_t colon = 0, digits = 0;

	for (size_t q = p; q < len && q - p <= TEXT_LINE_LABEL_MAX && s[q] != '\n'; q++) {
		if (s[q] == ':') {
			colon = q;
		} else if (is_digit((unsigned char)s[q]) && colon == 0) {
			/* a label's number follows a word: "Tier 2", "Zone 12" */
			if (++digits > 2 || (!is_digit((unsigned char)s[q - 1]) &&
					     !letter_before(s, q - (s[q - 1] == ' '))))
				return false;
		} else if (is_digit((unsigned char)s[q])) {
			if (colon == p)
				return false;
			for (size_t k = colon + 1; k < q; k++)
				if (!is_blank_or((unsigned char)s[k], "$") &&
				    (unsigned char)s[k] < 0x80)
					return false; /* only blanks and a currency sign */
			return true;
		}
	}
	return false;
}

/* Is m "Label: amount" or alone on its line (a bullet, a currency, a period after it)? */
bool pay_label_line(const char *s, size_t len, const struct text_match *m, size_t span_end)
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
	/* after it only what is added to it: "+ 3% KiwiSaver", "• Offers Equity"; or the next
	 * item of a list written on one line, "Zone A: $X - $Y Zone B: $Z - $W" */
	for (q = span_end; q < len && s[q] != '\n' && s[q] != '+' && s[q] != '|' && s[q] != ';' &&
			   (unsigned char)s[q] != 0xe2;
	     q++)
		if (q - span_end > 24 || is_digit((unsigned char)s[q]))
			return pay_next_item(s, len, span_end);
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

/* Where a label that follows money starts, the sign of that money ending at from: "1.150,00 €
 * 2. Ausbildungsjahr: …" right after it, "Zone A: $150,000 - $180,000 and Zone B: …" after
 * the figure the sign is written before (no blank between them) and the "and" or comma that
 * goes on to the next item; to when nothing is left. */
static size_t after_figure(const char *s, size_t len, size_t from, size_t to)
{
	static const char *const joins[] = {"and", "or", "und", "et", "y", "e", "&", ",", "/"};
	size_t p = from, n = 1;

	if (p >= to || !is_digit((unsigned char)s[p]))
		return from;
	while (p < to && (is_digit((unsigned char)s[p]) || strchr(".,'", s[p])))
		p++;
	if (p < to && (s[p] == 'k' || s[p] == 'K') && !is_letter_at(s, len, p + 1))
		p++;
	while (n > 0) {
		p = skip_spaces(s, len, p, 3);
		n = p < to ? match_any(s, len, p, joins, COUNT(joins)) : 0;
		p += n;
	}
	return p < to ? p : to;
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
		else if (!sentence && (c == '$' || (c >= 0x80 && pay_currency_sign_ends(s, from))))
			return after_figure(s, len, from, to); /* no label holds money */
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
	for (size_t v = 0; v < pay_verbs.n; v++)
		if (lower((unsigned char)s[p]) == (unsigned char)pay_verbs.w[v].w[0] &&
		    match_word(s, len, p, pay_verbs.w[v].w) == e - p)
			return true; /* "Guadagnerai 1.400 € al mese" */
	if (is_digit((unsigned char)s[p]))
		return false; /* "Zone 1" */
	for (size_t n = p; n < e; n++)
		if (pay_word_at(s, len, n, ix, &pay_words, &which) > 0)
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

	pay_word_index_build(&ix, &pay_words);
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

	pay_word_index_build(&ix, &pay_words);
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
		if (pay_word_at(s, len, n, &ix, &pay_words, &which) > 0)
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

/* "all other US locations", "other states": the places a range is for, named by what they
 * are not (after "in": "… and in all other US locations $Y", "$Y in all other locations"). */
static bool other_places(const char *s, size_t len, size_t q)
{
	return match_word(s, len, q, "other") > 0 ||
	       (match_word(s, len, q, "all") > 0 &&
		match_word(s, len, skip_spaces(s, len, q + 3, 3), "other") > 0);
}

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
		if (q >= to ||
		    (!is_upper((unsigned char)s[q]) &&
		     !(match_word(s, len, p, "in") > 0 && other_places(s, len, q))) ||
		    pay_iso_at(s, len, q) != NULL)
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

/* Words in a parenthesis after a range that say how it is paid, not for whom: "(B2B)",
 * "(before tax)", "(non-exempt)". The money's make-up is no label either:
 * "(50/50 split)", "(OTE)", "(plus commission)" ... */
static const char *const paren_not_label[] = {
    "tax",	  "before",   "after", "net",	 "netto",      "bruto", "brutto",
    "b2b",	  "vat",      "uop",   "exempt", "non-exempt", "fte",	"full-time",
    "part-time",  "plus",     "gross", "brut",	 "bruts",      "split", "ote",
    "commission", "variable", "bonus", "equity", "negotiable", "paid",
};

/* ... nor what it depends on: "(abhängig von Erfahrung)", "(DOE)", "(selon expérience)". */
static const char *const paren_depends[] = {
    "depending", "doe",		"experience", "erfahrung",	 "qualifikation",
    "selon",	 "experiencia", "esperienza", "abh\xc3\xa4ngig", "exp\xc3\xa9rience",
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
		    ((unsigned char)s[e] >= 0x80 && pay_currency_sign_ends(s, e + 1)))
			return;
	if (e >= len || s[e] != ')' || j >= e || !is_letter_at(s, len, j) ||
	    label_is_heading(s, len, j, e))
		return;
	for (size_t p = j; p < e; p++)
		if (is_alpha((unsigned char)s[p]) &&
		    (match_any(s, len, p, paren_not_label, COUNT(paren_not_label)) ||
		     match_any(s, len, p, paren_depends, COUNT(paren_depends))))
			return;
	*from = j;
	*to = e;
}

/* The location, level or tier a range is stated for, in the forms postings use: "Branch MSA
 * II: $23 - $24.50", "California: $145,000 - $175,000; New York: …", "Zone B (all other US
 * locations): …" (a label before a colon); the line before a range that stands alone; "$190-237k
 * in Menlo Park, CA" (after it); a table row "California $145,000 - $175,000"; and, weaker, the
 * sentence it stands in: "the base pay range for this role in New York is …", "within the San
 * Francisco Bay area …, the base pay range … in those locations is …", "Senior-level
 * candidates … a base salary of …" (pay_sentence_label). *strong: a label was found, which lets a
 * range of another currency or period stand beside the first. */
void pay_range_label(const char *s, size_t len, const struct text_match *m, size_t span_end,
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
	if (!colon && pay_label_line(s, len, m, span_end) && line >= 2) {
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
		if (d < len && (is_upper((unsigned char)s[d]) ||
				(match_word(s, len, j, "in") > 0 && other_places(s, len, d)))) {
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
 * text states several ranges: a label tells them apart. Not before after, where the range
 * before it ends: "… in California is $X and in all other US locations $Y" says nothing of
 * California for $Y. */
void pay_sentence_label(const char *s, size_t len, size_t after, size_t start, char *out,
			size_t outlen)
{
	size_t sent = label_start(s, len, start, 250, true), from = 0, to = 0;
	bool strong;

	if (sent < after && after <= start)
		sent = after;

	if (sent < start && !level_in_sentence(s, len, sent, start, &from, &to))
		place_in_sentence(s, len, sent, start, &from, &to);
	label_copy(s, len, from, to, out, outlen, &strong);
}
