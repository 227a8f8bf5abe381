/* pay_period.c - the period a figure is paid for: the period words of every source's structured
 * fields ("per-year-salary", "HOURLY") and their names, and the period phrases of text in our
 * languages, after an amount ("per hour", "/Jahr", "al año", "kr/mån", "p.a."), every two
 * weeks (halved into a week), or before it ("Stundenlohn", "annual salary"). Pure: no I/O. */
#include <string.h>
#include <strings.h>

#include "pay_int.h"

/* The period words of the sources' structured fields, any case. */
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

#define TEXT_AFTER_WINDOW 64 /* how far after the amount a period phrase may stand */

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
 * week, and that is how it is stored: there is no two-week period to annualise. (A quincena
 * is half a month, read as two weeks here: 26 of them a year for 24.) */
static const char *const fortnight_words[] = {
    "fortnight",
    "fortnightly",
    "per fortnight",
    "a fortnight",
    "biweekly",
    "bi-weekly",
    "per two weeks",
    "every two weeks",
    "every other week",
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

/* Words for an amount paid twice a month: twice it is paid per month, and that is how it is
 * stored ("$3,000 semi-monthly" is 6,000 a month, not 3,000). */
static const char *const half_month_words[] = {
    "semi-monthly",
    "semimonthly",
    "twice a month",
    "twice monthly",
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
enum pay_period pay_period_at(const char *s, size_t len, size_t p, size_t *n, bool *half)
{
	size_t m;

	for (size_t k = 0; k < COUNT(fortnight_words); k++)
		if ((m = match_word(s, len, p, fortnight_words[k])) > 0) {
			if (half == NULL)
				return PAY_PERIOD_NONE;
			*half = true;
			*n = m;
			return PAY_PERIOD_WEEK;
		}
	for (size_t k = 0; k < COUNT(half_month_words); k++)
		if ((m = match_word(s, len, p, half_month_words[k])) > 0) {
			if (half == NULL)
				return PAY_PERIOD_NONE;
			*half = true;
			*n = m;
			return PAY_PERIOD_MONTH;
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

/* The period written right after an amount ("per year", "/Jahr", "brut mensuel"); *half set
 * for an amount paid per half a period: every two weeks (read as a week) or twice a month (read
 * as a month), which the caller halves or doubles. */
enum pay_period pay_period_after(const char *s, size_t len, size_t p, size_t *end, bool *half)
{
	size_t lim = p + TEXT_AFTER_WINDOW < len ? p + TEXT_AFTER_WINDOW : len, n = 0;

	for (size_t q = p; q < lim; q++) {
		unsigned char c = (unsigned char)s[q];
		enum pay_period per;
		if (c == '(') { /* "$52,900.00 to $108,000.00 (annualized USD)" */
			size_t j = skip_spaces(s, len, q + 1, 3);
			per = j < len && is_letter_at(s, len, j)
				  ? pay_period_at(s, len, j, &n, half)
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
		per = pay_period_at(s, len, q, &n, half);
		if (per != PAY_PERIOD_NONE) {
			*end = q + n;
			return per;
		}
	}
	return PAY_PERIOD_NONE;
}

/* The period named by the nearest word in [from, to) before an amount. */
enum pay_period pay_period_before(const char *s, size_t len, size_t from, size_t to)
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
