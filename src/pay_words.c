/* pay_words.c - the words that say what money near them is: pay words ("salary", "Gehalt",
 * "rémunération" …), pay verbs ("pays", "earn", "verdient" …), and the words of money that is
 * not pay (funding, benefits, bonus, equity, perks), in our languages; and how a window of text
 * is searched for them, with an index by first byte built per call. Pure: no I/O. */
#include <string.h>

#include "pay_int.h"

/* Words that say the money nearby is pay, in EN, DE, FR, ES, IT, PT, NL, PL and SV
 * ("stipendi": the Italian stipendio is a salary; "ral": retribuzione annua lorda). */
static const struct text_word pay_word_table[] = {
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
enum text_word_class pay_word_class(const char *w)
{
	if (strcmp(w, "stipend") == 0)
		return WORD_STIPEND;
	if (strcmp(w, "ote") == 0 || strcmp(w, "earning") == 0 || strncmp(w, "on", 2) == 0)
		return WORD_TOTAL;
	return WORD_BASE;
}

/* Words that say the money nearby is something else: funding and revenue, benefits and perks,
 * the parts of pay that are not base pay (bonus, commission, equity), a company's deals. */
static const struct text_word other_word_table[] = {
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
static const struct text_word other_before_table[] = {
    {"benefit", WORD_START},   {"perk", WORD_START},	      {"option", WORD_START},
    {"vacation", WORD_START},  {"holiday", WORD_START},	      {"avantages", WORD_WHOLE},
    {"avantage", WORD_WHOLE},  {"prestation", WORD_START},    {"participation", WORD_START},
    {"beneficio", WORD_START}, {"benef\xc3\xad", WORD_START}, {"leistung", WORD_ANY},
};

/* Words after an amount that make it something else, but say nothing before one
 * ("bonus eligibility: up to $25.00/hr" is pay; "$1,500 bonus" is not). */
static const struct text_word other_after_table[] = {
    {"bonus", WORD_START},     {"per employee", WORD_START}, {"tips", WORD_WHOLE},
    {"per hire", WORD_START},  {"variable", WORD_START},     {"commission", WORD_START},
    {"in equity", WORD_START}, {"in stock", WORD_START},     {"stipend for", WORD_START},
    {"credit", WORD_START},    {"in funding", WORD_START},   {"in revenue", WORD_START},
    {"in sales", WORD_START},  {"users", WORD_START},	     {"customers", WORD_START},
    {"companies", WORD_START}, {"teams", WORD_START},	     {"employees", WORD_START},
    {"members", WORD_START},   {"partners", WORD_START},     {"investment", WORD_START},
};

/* Verbs that say the figure right after them is pay: "This role pays $24/hour", "you will earn
 * €3,100 a month", "paying up to £45,000". */
static const struct text_word pay_verb_table[] = {
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

const struct text_words pay_words = {pay_word_table, COUNT(pay_word_table)};
const struct text_words pay_other_words = {other_word_table, COUNT(other_word_table)};
const struct text_words pay_other_words_before = {other_before_table, COUNT(other_before_table)};
const struct text_words pay_other_words_after = {other_after_table, COUNT(other_after_table)};
const struct text_words pay_verbs = {pay_verb_table, COUNT(pay_verb_table)};

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

_Static_assert(COUNT(other_word_table) < 255, "word_index holds 254");
_Static_assert(COUNT(pay_word_table) < 255, "word_index holds 254");
_Static_assert(COUNT(pay_verb_table) < 255, "word_index holds 254");

void pay_word_index_build(struct word_index *ix, const struct text_words *list)
{
	memset(ix->head, 0, sizeof(ix->head));
	for (size_t k = list->n; k-- > 0;) {
		unsigned char c = (unsigned char)list->w[k].w[0];
		int at_start = list->w[k].kind != WORD_ANY;
		ix->next[k] = ix->head[at_start][c];
		ix->head[at_start][c] = (unsigned char)(k + 1);
	}
}

size_t pay_word_at(const char *s, size_t len, size_t p, const struct word_index *ix,
		   const struct text_words *list, size_t *which)
{
	unsigned char c = lower((unsigned char)s[p]);
	size_t best = 0;

	for (int chain = 0; chain < 2; chain++) {
		if (chain == 1 && (ix->head[1][c] == 0 || letter_before(s, p)))
			break; /* the middle of a word starts no word of the second chain */
		for (unsigned k = ix->head[chain][c]; k; k = ix->next[k - 1]) {
			size_t n = match_text_word(s, len, p, &list->w[k - 1]);
			if (n > best) {
				best = n;
				*which = k - 1;
			}
		}
	}
	return best;
}

void pay_last_word(const char *s, size_t len, size_t from, size_t to, const struct text_words *list,
		   struct text_hit *hit)
{
	struct word_index ix;
	size_t which = 0;

	memset(hit, 0, sizeof(*hit));
	pay_word_index_build(&ix, list);
	for (size_t p = from; p < to; p++) {
		size_t n = pay_word_at(s, len, p, &ix, list, &which);
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

void pay_first_word_after(const char *s, size_t len, size_t p, size_t max,
			  const struct text_words *list, struct text_hit *hit)
{
	size_t end = p + max < len ? p + max : len, which = 0, n;
	struct word_index ix;

	memset(hit, 0, sizeof(*hit));
	pay_word_index_build(&ix, list);
	for (size_t q = p; q < end; q++) {
		if (after_stop(s, len, q))
			break;
		if ((n = pay_word_at(s, len, q, &ix, list, &which)) > 0) {
			hit->start = q;
			hit->end = q + n;
			hit->which = which;
			return;
		}
	}
}
