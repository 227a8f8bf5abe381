/* pay_currency.c - the currency of figures that name none: a currency in the label before
 * them ("Base salary (GBP): 60,000"), a bare "$" by the places named, "pesos" by the country,
 * "kr" by the location or the language of the text, lakhs as rupees unless another country
 * that counts in lakhs is named. Undecided stays unknown: no currency is guessed. */
#include <string.h>

#include "pay_int.h"

#define TEXT_LABEL_WINDOW 40 /* how far back a currency may name the figures after it */

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

/* "Base salary (GBP): 60,000", "Compensation [EUR] 50.000", "Gehalt in €: 3.000": a currency
 * named between the label and the figures, with no other figure in between. */
static const char *currency_of_label(const char *s, size_t len, size_t start)
{
	size_t from = start > TEXT_LABEL_WINDOW ? start - TEXT_LABEL_WINDOW : 0;
	const char *iso;

	for (size_t p = start; p-- > from;) {
		unsigned char c = (unsigned char)s[p];
		if (c == '\n' || is_digit(c))
			break;
		if (p + 3 <= len && pay_iso_at(s, len, p) != NULL)
			return pay_iso_at(s, len, p);
		if (c >= 0x80 && (iso = pay_currency_sign_at(s, p, start)) != NULL)
			return iso;
	}
	return NULL;
}

/* Which dollar (or peso) the places say a bare "$" is: the location when it names one
 * country, else the nearest place before the amount, else one on its own line after it; NULL
 * when none or two are named. */
static const char *place_dollar(const struct text_scan *sc, const struct text_match *m)
{
	const char *s = sc->s, *iso = NULL;
	size_t len = sc->len, from = m->start > 300 ? m->start - 300 : 0, to = m->end;
	bool ambiguous = false;

	/* after the amount only its own line, the next line being often another country's; and
	 * for a posting with a location, only its own sentence: "$120,000 - $150,000. Our team
	 * spans San Francisco and Santiago, Chile." is the San Francisco posting's dollar, where
	 * "$ 4.500.000 mensuales. Ubicación: Bogotá" with no location is the peso */
	bool located = sc->location != NULL && sc->location[0] != '\0';
	while (to < len && to < m->end + 150 && s[to] != '\n' &&
	       !(located && (s[to] == '.' || s[to] == '!' || s[to] == '?') && to + 1 < len &&
		 (s[to + 1] == ' ' || s[to + 1] == '\t')))
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

const char *pay_text_currency(struct text_scan *sc, const struct text_match *m)
{
	const struct text_amount *a = &m->lo;
	const char *iso = currency_of_label(sc->s, sc->len, m->start);

	if (iso != NULL)
		return iso;
	if (a->dollar)
		return read_dollar(sc, m);
	if (a->peso && (iso = read_peso(sc, m)) != NULL)
		return iso;
	if (a->kr && (iso = kr_currency(sc)) != NULL)
		return iso;
	if (a->lakh && !lakh_elsewhere(sc))
		return "INR";
	return NULL;
}
