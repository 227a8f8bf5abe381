/* test_pay.c - the pay module: period vocabularies, formatting, and the text parser against
 * a table of written forms, the classes of issue 22 in our own sentences (money that is not
 * pay, periods in words, several currencies, the currency in a label, millions, the dollar of
 * two countries, every range and the summary as their envelope, each range's label in the
 * forms pay-transparency paragraphs use, pay verbs, "kr" by location or language, thousands
 * in words, lakhs, Nordic, Dutch, Italian, Portuguese and Polish periods), the four labelled
 * corpora (EN, DE, FR, ES) through source_pay_from_text as the pipeline reads them, the 147 real
 * compensation strings labelled by hand in tests/fixtures/pay/compensation-strings.labels.tsv
 * and the 205 real sentences of money that is not pay in tests/fixtures/pay/not-pay-sentences.tsv.
 */
#include "harness.h"
#include "pay.h"
#include "posting.h"
#include "source_common.h"

#include "buf.h"
#include "jv.h"
#include "util.h"
#include <math.h>
#include <stdbool.h>

/* Corpus accuracy asked by issue 22 (400/401 measured with every range and the envelope); the
 * test fails below it. */
#define CORPUS_MIN_ACCURACY 0.99

struct form {
	const char *text;
	const char *location;
	double min, max;
	const char *currency;
	enum pay_period period;
};

#define H    PAY_PERIOD_HOUR
#define D    PAY_PERIOD_DAY
#define W    PAY_PERIOD_WEEK
#define MO   PAY_PERIOD_MONTH
#define Y    PAY_PERIOD_YEAR
#define NONE PAY_PERIOD_NONE

static const struct form forms[] = {
    {"Salary Range: $100,000 - $120,000 per year", NULL, 100000, 120000, "USD", Y},
    {"Pay: $120,000.00 - $160,000.00 per year", NULL, 120000, 160000, "USD", Y},
    {"Compensation Range: $145K - $170K", NULL, 145000, 170000, "USD", Y},
    {"Salary Range: $150-$190K OTE", NULL, 150000, 190000, "USD", Y},
    {"$153,000\xe2\x80\x94$207,000 CAD", NULL, 153000, 207000, "CAD", Y},
    {"\xc2\xa3"
     "81,999\xe2\x80\x94\xc2\xa3"
     "110,940 GBP",
     NULL, 81999, 110940, "GBP", Y},
    {"CA$102.8K \xe2\x80\x93 CA$137K", NULL, 102800, 137000, "CAD", Y},
    {"Salary: A$120,000 - A$140,000", NULL, 120000, 140000, "AUD", Y},
    {"Salary: NZ$90,000 to NZ$110,000", NULL, 90000, 110000, "NZD", Y},
    {"Pay: HK$30,000 per month", NULL, 30000, 30000, "HKD", MO},
    {"Salary S$8,000 - S$10,000 monthly", NULL, 8000, 10000, "SGD", MO},
    {"Sal\xc3\xa1rio: R$8.000 - R$10.000 por m\xc3\xaas", NULL, 8000, 10000, "BRL", MO},
    {"Salary: $120,000 - $140,000", "Toronto, ON", 120000, 140000, "CAD", Y},
    {"Salary: $120,000 - $140,000", "Sydney, Australia", 120000, 140000, "AUD", Y},
    {"Salary: $120,000 - $140,000", "New York, NY", 120000, 140000, "USD", Y},
    {"Toronto office. Salary: $120,000 - $140,000", "Remote, USA", 120000, 140000, "USD", Y},
    {"US employees: $121,700 - $152,100\nCanadian employees: 115,000 - 143,700 CAD", NULL, 121700,
     152100, "USD", Y},
    {"Based in Albuquerque, New Mexico. Salary: $60,000", NULL, 60000, 60000, "USD", Y},
    {"Based in Mexico City. Salary: $60,000 - $80,000 per month", NULL, 60000, 80000, "MXN", MO},
    {"This role is based in Vancouver. Salary: $120,000 - $140,000", NULL, 120000, 140000, "CAD",
     Y},
    {"Burlingame CA, Salary Range: USD $18.61/hr", NULL, 18.61, 18.61, "USD", H},
    {"Hourly Rate: $20.37 - $38.22 p/h based on experience.", NULL, 20.37, 38.22, "USD", H},
    {"$27.29-$31.55 hourly", NULL, 27.29, 31.55, "USD", H},
    {"The pay range is $207,000 to $340,000.", NULL, 207000, 340000, "USD", Y},
    {"The pay range is expected to be between $162,000 and $232,875/year", NULL, 162000, 232875,
     "USD", Y},
    {"Minimum full-time salary of $200,000.", NULL, 200000, NAN, "USD", Y},
    {"an annualized salary of up to $300,000 USD", NULL, NAN, 300000, "USD", Y},
    {"Salary from $80,000", NULL, 80000, NAN, "USD", Y},
    {"Base pay starting at $25/hour", NULL, 25, NAN, "USD", H},
    {"Compensation: $200k+", NULL, 200000, NAN, "USD", Y},
    {"Salary: \xe2\x82\xb9"
     "12,00,000 - \xe2\x82\xb9"
     "18,00,000 per annum",
     NULL, 1200000, 1800000, "INR", Y},
    {"CTC: 12-18 LPA salary", NULL, 1200000, 1800000, "INR", Y},
    {"Salary: 8 lakh - 12 lakh INR per year", NULL, 800000, 1200000, "INR", Y},
    {"Gehalt: CHF 120'000 - 140'000 pro Jahr", NULL, 120000, 140000, "CHF", Y},
    {"L\xc3\xb6n: 45 000 SEK per m\xc3\xa5nad", NULL, 45000, 45000, "SEK", MO},
    {"Wynagrodzenie (salary): 12 000 - 16 000 z\xc5\x82 brutto", NULL, 12000, 16000, "PLN", MO},
    {"Salary: \xc2\xa5"
     "6,000,000 - \xc2\xa5"
     "8,000,000",
     NULL, 6000000, 8000000, "JPY", Y},
    {"45.000 \xe2\x80\x93 55.000 \xe2\x82\xac brutto/Jahr", NULL, 45000, 55000, "EUR", Y},
    {"Stundenlohn 13,90 \xe2\x82\xac", NULL, 13.9, 13.9, "EUR", H},
    {"Top Verg\xc3\xbctung von 7.000-15.000EUR pro Monat", NULL, 7000, 15000, "EUR", MO},
    {"Jahresgehalt zwischen brutto EUR 75.000 und EUR 105.000.", NULL, 75000, 105000, "EUR", Y},
    {"Gehalt: Bis zu 100.000\xe2\x80\xaf\xe2\x82\xac brutto j\xc3\xa4hrlich", NULL, NAN, 100000,
     "EUR", Y},
    {"Faire Bezahlung ab 40 \xe2\x82\xac je Stunde", NULL, 40, NAN, "EUR", H},
    {"Salaire : 1 867,02\xe2\x82\xac bruts/mois", NULL, 1867.02, 1867.02, "EUR", MO},
    {"Salaire : 12.52\xe2\x82\xac bruts de l'heure", NULL, 12.52, 12.52, "EUR", H},
    {"Salaire : 35-45k\xe2\x82\xac / an", NULL, 35000, 45000, "EUR", Y},
    {"R\xc3\xa9mun\xc3\xa9ration compris entre 40 K\xe2\x82\xac et 60 K\xe2\x82\xac brut annuel",
     NULL, 40000, 60000, "EUR", Y},
    {"R\xc3\xa9mun\xc3\xa9ration : entre 2 200 \xe2\x82\xac et 2 600 \xe2\x82\xac brut mensuel",
     NULL, 2200, 2600, "EUR", MO},
    {"Salaire \xc3\xa0 partir de 2 000 \xe2\x82\xac par mois", NULL, 2000, NAN, "EUR", MO},
    {"Salario entre 45.000 \xe2\x82\xac y 50.000 \xe2\x82\xac brutos anuales", NULL, 45000, 50000,
     "EUR", Y},
    {"Salario fijo: 40.000 \xe2\x82\xac \xe2\x80\x93 45.000 \xe2\x82\xac brutos/a\xc3\xb1o", NULL,
     40000, 45000, "EUR", Y},
    {"Sueldo: 12 \xe2\x82\xac por hora", NULL, 12, 12, "EUR", H},
    {"Salary: \xe2\x82\xac"
     "4,500 per month",
     NULL, 4500, 4500, "EUR", MO},
    {"Day rate: \xc2\xa3"
     "500 - \xc2\xa3"
     "600 per day",
     NULL, 500, 600, "GBP", D},
    {"Stipend: $800 per week", NULL, 800, 800, "USD", W},
    {"Salary: 50,000 - 60,000 per year", NULL, 50000, 60000, "", Y},
};

/* Money that is not pay, and words that are not a range. */
static const char *const not_pay[] = {
    "We raised $40M in our Series B led by Sequoia.",
    "With over $400M in revenue and profitable growth.",
    "Our valuation is $3 billion.",
    "A $1,500 home office equipment stipend.",
    "Company 401(k) match up to 4%.",
    "401k with a $1 for $1 match",
    "Learning budget of $2,000 per year",
    "Salary: Competitive, based on experience",
    "Not disclosed",
    "United States Salary Range",
    "Offers Equity",
    "Founded in 2012, 250 employees in 12 countries.",
    "Gym Reimbursement up to $50/month",
    "Tuition Reimbursement up to $5,250 per year",
    "Panier repas (13.40\xe2\x82\xac/jour)",
    "Umsatz von 5 Mio.\xe2\x82\xac",
    "Remote-Budget: 1.200 \xe2\x82\xac j\xc3\xa4hrlich",
    "$1.50/hr shift differential offered.",
    "Referral bonus of $1,500 per hire",
    "",
    "$",
    "12.02. - 21.02.2026",
};

static bool same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || fabs(a - b) < 1e-6;
}

static void check_form(const struct form *f)
{
	struct pay p;
	size_t off = 0, n = 0;
	bool ok = pay_parse_text(f->text, strlen(f->text), f->location, &p, &off, &n);

	if (!ok || !same_num(p.min, f->min) || !same_num(p.max, f->max) || p.period != f->period ||
	    strcmp(p.currency, f->currency) != 0) {
		char got[96];
		pay_format(&p, got, sizeof(got));
		printf("# \"%s\": got \"%s\" (%s)\n", f->text, got, ok ? "found" : "none");
	}
	CHECK(ok);
	CHECK_NUM(p.min, f->min);
	CHECK_NUM(p.max, f->max);
	CHECK_STR(p.currency, f->currency);
	CHECK(p.period == f->period);
	CHECK_STR(p.source, ok ? "text" : "");
	CHECK(off + n <= strlen(f->text));
}

static void test_forms(void)
{
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		check_form(&forms[i]);
}

static void test_not_pay(void)
{
	for (size_t i = 0; i < sizeof(not_pay) / sizeof(not_pay[0]); i++) {
		struct pay p;
		bool ok = pay_parse_text(not_pay[i], strlen(not_pay[i]), NULL, &p, NULL, NULL);
		if (ok) {
			char got[96];
			pay_format(&p, got, sizeof(got));
			printf("# \"%s\": got \"%s\", expected none\n", not_pay[i], got);
		}
		CHECK(!ok);
		CHECK(!pay_is_set(&p));
	}
}

static void test_span(void)
{
	const char *t = "Benefits. Salary Range: $100,000 - $120,000 per year, plus bonus.";
	struct pay p;
	size_t off = 0, n = 0;

	CHECK(pay_parse_text(t, strlen(t), NULL, &p, &off, &n));
	CHECK(n > 0 && off + n <= strlen(t));
	char got[64];
	snprintf(got, sizeof(got), "%.*s", (int)n, t + off);
	CHECK_STR(got, "$100,000 - $120,000 per year");
}

static void test_inferred(void)
{
	struct pay p;
	const char *t = "Salary: \xe2\x82\xac"
			"3.200 brutto";

	CHECK(pay_parse_text(t, strlen(t), NULL, &p, NULL, NULL));
	CHECK(p.period == PAY_PERIOD_MONTH && p.period_inferred);
	t = "Pay: $22.50";
	CHECK(pay_parse_text(t, strlen(t), NULL, &p, NULL, NULL));
	CHECK(p.period == PAY_PERIOD_HOUR && p.period_inferred);
	t = "Salary: $95,000 per year";
	CHECK(pay_parse_text(t, strlen(t), NULL, &p, NULL, NULL));
	CHECK(p.period == PAY_PERIOD_YEAR && !p.period_inferred);
}

static void test_period_parse(void)
{
	CHECK(pay_period_parse("HOURLY") == PAY_PERIOD_HOUR);
	CHECK(pay_period_parse("YEARLY") == PAY_PERIOD_YEAR);
	CHECK(pay_period_parse("MONTHLY") == PAY_PERIOD_MONTH);
	CHECK(pay_period_parse("per-year-salary") == PAY_PERIOD_YEAR);
	CHECK(pay_period_parse("1 HOUR") == PAY_PERIOD_HOUR);
	/* amounts per half month, two months, two weeks: no period annualises them right */
	CHECK(pay_period_parse("semi-month-salary") == PAY_PERIOD_NONE);
	CHECK(pay_period_parse("bi-month-salary") == PAY_PERIOD_NONE);
	CHECK(pay_period_parse("bi-week-salary") == PAY_PERIOD_NONE);
	CHECK(pay_period_parse("annually") == PAY_PERIOD_YEAR);
	CHECK(pay_period_parse("one-time") == PAY_PERIOD_NONE);
	CHECK(pay_period_parse("NONE") == PAY_PERIOD_NONE);
	CHECK(pay_period_parse(NULL) == PAY_PERIOD_NONE);
}

static enum pay_period period_of_label(const char *s)
{
	return s ? pay_period_parse(s) : PAY_PERIOD_NONE;
}

static double label_num(struct jv *o, const char *key)
{
	struct jv *v = jv_get(o, key);
	return jv_is_number(v) ? jv_number(v) : NAN;
}

/* One corpus line: true when the parse matches the label. A DE/ES label writes a single
 * stated amount as {min: X, max: null}; the parser states it as min = max (see pay.h), so
 * that pair counts as equal and is reported in *single. */
static bool corpus_line(struct jv *line, int *single)
{
	struct jv *expect = jv_get(line, "expect");
	const char *text = jv_str(jv_get(line, "text"));
	struct pay p;
	bool found;
	char got[96];

	if (text == NULL)
		return false;
	/* the posting's summary, as the pipeline makes it: every range, then their envelope */
	struct posting post;
	memset(&post, 0, sizeof(post));
	pay_clear(&post.pay);
	found = source_pay_from_text(&post, text, "text");
	p = post.pay;
	posting_free_fields(&post);
	pay_format(&p, got, sizeof(got));
	if (!jv_is_object(expect)) {
		if (found)
			printf("# mismatch %s: expected none, got \"%s\"\n",
			       jv_str(jv_get(line, "src")), got);
		return !found;
	}
	double min = label_num(expect, "min"), max = label_num(expect, "max");
	const char *cur = jv_str(jv_get(expect, "currency"));
	enum pay_period per = period_of_label(jv_str(jv_get(expect, "interval")));
	bool ok = found && same_num(p.min, min) && p.period == per &&
		  (cur == NULL || strcmp(cur, p.currency) == 0);
	if (ok && !same_num(p.max, max)) {
		ok = isnan(max) && same_num(p.max, p.min);
		if (ok)
			(*single)++;
	}
	if (!ok) {
		const char *pname = pay_period_name(per);
		printf("# mismatch %s: expected %s %g-%g/%s, got \"%s\"\n",
		       jv_str(jv_get(line, "src")), cur ? cur : "", min, max, pname ? pname : "-",
		       found ? got : "none");
	}
	return ok;
}

static void test_corpus(void)
{
	static const char *const langs[] = {"en", "de", "fr", "es"};
	int all = 0, all_ok = 0;

	for (size_t l = 0; l < 4; l++) {
		char rel[64];
		size_t len;
		int n = 0, ok = 0, single = 0;
		snprintf(rel, sizeof(rel), "pay/salary_corpus_%s.jsonl", langs[l]);
		char *data = harness_read(rel, &len);
		for (char *line = data, *nl; line < data + len; line = nl + 1) {
			nl = memchr(line, '\n', (size_t)(data + len - line));
			if (nl == NULL)
				nl = data + len;
			*nl = '\0';
			char msg[128];
			int jline;
			struct jv *j = jv_parse(line, strlen(line), &jline, msg, sizeof(msg));
			if (j == NULL)
				continue;
			const char *src = jv_str(jv_get(j, "src"));
			if (src == NULL || strncmp(src, "synthetic", 9) != 0) {
				n++;
				ok += corpus_line(j, &single);
			}
			jv_free(j);
		}
		free(data);
		printf("# corpus %s: %d/%d exact (%.1f%%), %d single amounts labelled min-only\n",
		       langs[l], ok, n, n ? 100.0 * ok / n : 0.0, single);
		all += n;
		all_ok += ok;
	}
	printf("# corpus overall: %d/%d exact (%.1f%%)\n", all_ok, all,
	       all ? 100.0 * all_ok / all : 0.0);
	CHECK(all > 0);
	CHECK((double)all_ok / all >= CORPUS_MIN_ACCURACY);
}

/* Each line: text, min, max, currency, period ("" for none); a text with no pay has "-"
 * in every label column. */
static void test_compensation_strings(void)
{
	size_t len;
	char *data = harness_read("pay/compensation-strings.labels.tsv", &len);
	int n = 0, ok = 0;

	for (char *line = data, *nl; line < data + len; line = nl + 1) {
		char *f[5];
		int nf = 0;
		nl = memchr(line, '\n', (size_t)(data + len - line));
		if (nl == NULL)
			nl = data + len;
		*nl = '\0';
		if (line == data || *line == '\0')
			continue; /* header */
		for (char *p = line; nf < 5; nf++) {
			f[nf] = p;
			p = strchr(p, '\t');
			if (p == NULL) {
				nf++;
				break;
			}
			*p++ = '\0';
		}
		if (nf != 5) {
			printf("# bad label line: %s\n", line);
			CHECK(nf == 5);
			continue;
		}
		struct pay p;
		bool found = pay_parse_text(f[0], strlen(f[0]), NULL, &p, NULL, NULL);
		bool want = strcmp(f[1], "-") != 0 || strcmp(f[2], "-") != 0;
		bool good;
		n++;
		if (!want) {
			good = !found;
		} else {
			double min = strcmp(f[1], "") == 0 ? NAN : strtod(f[1], NULL);
			double max = strcmp(f[2], "") == 0 ? NAN : strtod(f[2], NULL);
			good = found && same_num(p.min, min) && same_num(p.max, max) &&
			       strcmp(p.currency, f[3]) == 0 && p.period == pay_period_parse(f[4]);
		}
		if (!good) {
			char got[96];
			pay_format(&p, got, sizeof(got));
			printf("# \"%s\": expected %s-%s %s/%s, got \"%s\"\n", f[0], f[1], f[2],
			       f[3], f[4], found ? got : "none");
		}
		ok += good;
	}
	free(data);
	printf("# compensation strings: %d/%d\n", ok, n);
	CHECK(n == 147);
	CHECK(ok == n);
}

/* One expected range of a text: min, max, currency, period and label. */
struct want_range {
	double min, max;
	const char *currency;
	enum pay_period period;
	const char *label; /* NULL: not checked */
};

/* A text of issue 22's classes (our own sentences), every range it states, in order. */
struct ranges_case {
	const char *text;
	const char *location;
	size_t n;
	struct want_range r[3];
};

static const struct ranges_case class_cases[] = {
    /* a period written in words wins over the one a magnitude suggests */
    {"Our interns receive a stipend of 1,800 EUR per fortnight.",
     NULL,
     1,
     {{900, 900, "EUR", W, NULL}}},
    {"Pay: $2,300.00 - $2,700.00 Biweekly", NULL, 1, {{1150, 1350, "USD", W, NULL}}},
    /* a rate per something else than time keeps no period, rather than one its size
     * suggests ("$0.50 per mile" is no hourly wage) */
    {"Pay: $0.50 per mile", NULL, 1, {{0.5, 0.5, "USD", PAY_PERIOD_NONE, NULL}}},
    {"Compensation: $1,000 per project", NULL, 1, {{1000, 1000, "USD", PAY_PERIOD_NONE, NULL}}},
    {"Pay: $3,000 - $4,000 semi-monthly", NULL, 1, {{6000, 8000, "USD", MO, NULL}}},
    {"Stipend: 950 GBP weekly for the twelve weeks of the programme.",
     NULL,
     1,
     {{950, 950, "GBP", W, NULL}}},
    {"Gehalt 2.600 \xe2\x82\xac zweiw\xc3\xb6"
     "chentlich",
     NULL,
     1,
     {{1300, 1300, "EUR", W, NULL}}},
    {"Sueldo: 800 \xe2\x82\xac quincenales", NULL, 1, {{400, 400, "EUR", W, NULL}}},
    {"Verg\xc3\xbctung: 900 \xe2\x82\xac w\xc3\xb6"
     "chentlich",
     NULL,
     1,
     {{900, 900, "EUR", W, NULL}}},
    {"R\xc3\xa9mun\xc3\xa9ration : 150 \xe2\x82\xac par jour",
     NULL,
     1,
     {{150, 150, "EUR", D, NULL}}},
    {"Salario: 90 \xe2\x82\xac al d\xc3\xad"
     "a",
     NULL,
     1,
     {{90, 90, "EUR", D, NULL}}},
    {"Wynagrodzenie: 9 000 - 12 000 z\xc5\x82 brutto miesi\xc4\x99"
     "cznie",
     NULL,
     1,
     {{9000, 12000, "PLN", MO, NULL}}},
    {"Stawka: 120 z\xc5\x82/godz.", NULL, 1, {{120, 120, "PLN", H, NULL}}},
    {"Salaris: \xe2\x82\xac"
     "4.200 - \xe2\x82\xac"
     "5.100 bruto per maand",
     NULL,
     1,
     {{4200, 5100, "EUR", MO, NULL}}},
    {"Salaris tussen 52.000 en 64.000 euro per jaar", NULL, 1, {{52000, 64000, "EUR", Y, NULL}}},
    {"Uurloon: \xe2\x82\xac 16,50 per uur", NULL, 1, {{16.5, 16.5, "EUR", H, NULL}}},
    {"Stipendio: 1.600 \xe2\x82\xac al mese", NULL, 1, {{1600, 1600, "EUR", MO, NULL}}},
    {"Retribuzione tra 30.000 e 36.000 euro annui", NULL, 1, {{30000, 36000, "EUR", Y, NULL}}},
    {"Paga: 12 \xe2\x82\xac all'ora", NULL, 1, {{12, 12, "EUR", H, NULL}}},
    {"Sal\xc3\xa1rio: R$ 6.500 a R$ 8.000 por m\xc3\xaas",
     NULL,
     1,
     {{6500, 8000, "BRL", MO, NULL}}},
    {"Remunera\xc3\xa7\xc3\xa3o: 2.100 \xe2\x82\xac mensais",
     NULL,
     1,
     {{2100, 2100, "EUR", MO, NULL}}},
    /* one sentence, several currencies: one range each, the period written once */
    {"Weekly pay: 1,100 GBP / 1,300 EUR / 1,400 USD",
     NULL,
     3,
     {{1100, 1100, "GBP", W, NULL}, {1300, 1300, "EUR", W, NULL}, {1400, 1400, "USD", W, NULL}}},
    {"Hourly rate: 40 CHF or 45 EUR per hour",
     NULL,
     2,
     {{40, 40, "CHF", H, NULL}, {45, 45, "EUR", H, NULL}}},
    /* the currency named in the label */
    {"Salary range (CAD): 95,000 - 120,000", NULL, 1, {{95000, 120000, "CAD", Y, NULL}}},
    {"Gehalt (EUR): 55.000 - 65.000", NULL, 1, {{55000, 65000, "EUR", Y, NULL}}},
    {"R\xc3\xa9mun\xc3\xa9ration [EUR] : 45 000 - 52 000",
     NULL,
     1,
     {{45000, 52000, "EUR", Y, NULL}}},
    {"Compensation in GBP: 70,000 - 82,000", NULL, 1, {{70000, 82000, "GBP", Y, NULL}}},
    /* millions */
    {"Total compensation: $1.2M - $1.5M per year", NULL, 1, {{1200000, 1500000, "USD", Y, NULL}}},
    {"Base salary of \xc2\xa3"
     "0.15M",
     NULL,
     1,
     {{150000, 150000, "GBP", Y, NULL}}},
    {"Salary: \xe2\x82\xac"
     "0.9mn per annum",
     NULL,
     1,
     {{900000, 900000, "EUR", Y, NULL}}},
    {"Pay: $1.1MM", NULL, 1, {{1100000, 1100000, "USD", Y, NULL}}},
    /* a dollar of two countries is USD unless the text names another; one country decides */
    {"Base salary: $130,000 - $160,000",
     "Remote (United States or Canada)",
     1,
     {{130000, 160000, "USD", Y, NULL}}},
    {"Remote - US/Canada. Salary $90k-$110k", NULL, 1, {{90000, 110000, "USD", Y, NULL}}},
    {"Base salary: $130,000 - $160,000", "Remote, Canada", 1, {{130000, 160000, "CAD", Y, NULL}}},
    {"Remote within the US or Canada. Salary in CAD: C$90k-C$110k",
     NULL,
     1,
     {{90000, 110000, "CAD", Y, NULL}}},
    /* every base range, with the location, level or tier it is stated for */
    {"The base salary is $150k-$180k in Austin, TX and $170k-$205k in New York.",
     NULL,
     2,
     {{150000, 180000, "USD", Y, "Austin, TX"}, {170000, 205000, "USD", Y, "New York"}}},
    {"Pay by level:\nAnalyst I: $31 - $35 per hour\nAnalyst II: $36 - $41 per hour\n",
     NULL,
     2,
     {{31, 35, "USD", H, "Analyst I"}, {36, 41, "USD", H, "Analyst II"}}},
    {"Base salary: $58,000 per year, plus variable commission of $20,000; OTE: $78,000.",
     NULL,
     1,
     {{58000, 58000, "USD", Y, NULL}}},
    {"Salary: \xc2\xa3"
     "29,000 - \xc2\xa3"
     "33,500 plus \xc2\xa3"
     "2,500 London weighting",
     NULL,
     1,
     {{29000, 33500, "GBP", Y, NULL}}},
    {"The state minimum wage is $16/hour; this role pays $21/hour.",
     NULL,
     1,
     {{21, 21, "USD", H, NULL}}},
    {"Fixe : 38 000 \xe2\x82\xac + variable 8 000 \xe2\x82\xac",
     NULL,
     1,
     {{38000, 38000, "EUR", Y, NULL}}},
    {"Day rate up to \xc2\xa3"
     "650",
     NULL,
     1,
     {{NAN, 650, "GBP", D, NULL}}},
    {"Gehalt: 3.200 \xe2\x82\xac im Monat, dazu ein Jobticket im Wert von 49 \xe2\x82\xac "
     "monatlich.",
     NULL,
     1,
     {{3200, 3200, "EUR", MO, NULL}}},
    /* labels in the forms US pay-transparency paragraphs use */
    {"The typical base pay range for this role across the U.S. is USD $120,000 - $180,000 per "
     "year. Within the Seattle area and Boston metropolitan area, the base pay range for this "
     "role in those locations is USD $140,000 - $200,000 per year.",
     NULL,
     2,
     {{120000, 180000, "USD", Y, "U.S."},
      {140000, 200000, "USD", Y, "Seattle area and Boston metropolitan area"}}},
    {"The base pay range for this role in Colorado is $90,000 - $110,000. The base pay range for "
     "this role in New York is $100,000 - $125,000.",
     NULL,
     2,
     {{90000, 110000, "USD", Y, "Colorado"}, {100000, 125000, "USD", Y, "New York"}}},
    {"Per state pay transparency laws the base salary range is: California: $130,000 - "
     "$150,000; Washington: $125,000 - $145,000; Colorado: $110,000 - $130,000.",
     NULL,
     3,
     {{130000, 150000, "USD", Y, "California"},
      {125000, 145000, "USD", Y, "Washington"},
      {110000, 130000, "USD", Y, "Colorado"}}},
    {"Hourly pay. Tier 1: $50 - $60 per hour. Tier 2 (rural sites): $45 - $55 per hour.",
     NULL,
     2,
     {{50, 60, "USD", H, "Tier 1"}, {45, 55, "USD", H, "Tier 2 (rural sites)"}}},
    {"Base salary by zone\nZone A (NYC, SF) $150,000 \xe2\x80\x93 $170,000\nZone B $135,000 "
     "\xe2\x80\x93 $155,000\n",
     NULL,
     2,
     {{150000, 170000, "USD", Y, "Zone A (NYC, SF)"}, {135000, 155000, "USD", Y, "Zone B"}}},
    {"Salary range by location:\n- California: $140,000 - $160,000\n- Colorado: $120,000 - "
     "$140,000\n",
     NULL,
     2,
     {{140000, 160000, "USD", Y, "California"}, {120000, 140000, "USD", Y, "Colorado"}}},
    {"Location | Range\nNew York | $150,000 - $180,000\nAustin | $130,000 - $160,000\n",
     NULL,
     2,
     {{150000, 180000, "USD", Y, "New York"}, {130000, 160000, "USD", Y, "Austin"}}},
    {"For Level 2 engineers the salary is $120,000 - $140,000, and for Level 3 engineers it is "
     "$140,000 - $165,000.",
     NULL,
     2,
     {{120000, 140000, "USD", Y, "Level 2"}, {140000, 165000, "USD", Y, "Level 3"}}},
    {"Base salary: $87,500-145,000; senior level $145,000-177,500",
     NULL,
     2,
     {{87500, 145000, "USD", Y, ""}, {145000, 177500, "USD", Y, "senior level"}}},
    {"Salary: $95,000 - $115,000 per year", NULL, 1, {{95000, 115000, "USD", Y, ""}}},
    /* verbs that say the figure after them is pay */
    {"This role pays $24 - $28 per hour.", NULL, 1, {{24, 28, "USD", H, NULL}}},
    {"The position is paying up to \xc2\xa3"
     "42,000 a year.",
     NULL,
     1,
     {{NAN, 42000, "GBP", Y, NULL}}},
    {"You will earn \xe2\x82\xac"
     "3,100 per month.",
     NULL,
     1,
     {{3100, 3100, "EUR", MO, NULL}}},
    {"Interns are paid $6,500 per month.", NULL, 1, {{6500, 6500, "USD", MO, NULL}}},
    {"We pay $38 an hour, plus tips.", NULL, 1, {{38, 38, "USD", H, NULL}}},
    {"Earning $52,000 a year to start.", NULL, 1, {{52000, 52000, "USD", Y, NULL}}},
    /* a parenthesis after the range names it, unless it says how the range is paid */
    {"Salary: USD 80,000\xe2\x80\x93"
     "100,000 per year (Tier 1 cities) and USD 70,000\xe2\x80\x93"
     "90,000 per year (Tier 2 cities)",
     NULL,
     2,
     {{80000, 100000, "USD", Y, "Tier 1 cities"}, {70000, 90000, "USD", Y, "Tier 2 cities"}}},
    {"Base Salary Range: $160,000\xe2\x80\x94$200,000 (San Francisco / New York); "
     "$140,000\xe2\x80\x94$180,000 (all other US locations)",
     NULL,
     2,
     {{160000, 200000, "USD", Y, "San Francisco / New York"},
      {140000, 180000, "USD", Y, "all other US locations"}}},
    {"Hourly rate: $45\xe2\x80\x93$55 (Level II), $55\xe2\x80\x93$65 (Level III)",
     NULL,
     2,
     {{45, 55, "USD", H, "Level II"}, {55, 65, "USD", H, "Level III"}}},
    {"Wynagrodzenie: 15 000 - 18 000 PLN (B2B) lub 12 000 - 14 000 PLN (UoP) miesi\xc4\x99"
     "cznie",
     NULL,
     2,
     {{15000, 18000, "PLN", MO, ""}, {12000, 14000, "PLN", MO, ""}}},
    /* heading words before a label are no part of it */
    {"Pay range (NYC): $150,000 - $180,000\nPay range (all other US locations): $130,000 - "
     "$160,000",
     NULL,
     2,
     {{150000, 180000, "USD", Y, "NYC"}, {130000, 160000, "USD", Y, "all other US locations"}}},
    {"Compensation for this role in the San Francisco Bay Area: $170,000 - $200,000. Compensation "
     "for this role in all other locations: $150,000 - $180,000.",
     NULL,
     2,
     {{170000, 200000, "USD", Y, "San Francisco Bay Area"},
      {150000, 180000, "USD", Y, "all other locations"}}},
    {"Base salary for Level 3: $120,000 - $140,000; base salary for Level 4: $140,000 - $170,000",
     NULL,
     2,
     {{120000, 140000, "USD", Y, "Level 3"}, {140000, 170000, "USD", Y, "Level 4"}}},
    {"Salary range in New York: $150,000 - $180,000\nSalary range in Colorado: $120,000 - $140,000",
     NULL,
     2,
     {{150000, 180000, "USD", Y, "New York"}, {120000, 140000, "USD", Y, "Colorado"}}},
    /* more label forms: "L4 - $X", bullets, after the range, inline, '|' lists */
    {"Salary ranges by level:\nL4 - $150,000 - $180,000\nL5 - $180,000 - $220,000",
     NULL,
     2,
     {{150000, 180000, "USD", Y, "L4"}, {180000, 220000, "USD", Y, "L5"}}},
    {"Base pay:\n\xe2\x80\xa2 New York City: $140,000\xe2\x80\x93$170,000\n\xe2\x80\xa2 Remote "
     "(US): $120,000\xe2\x80\x93$150,000",
     NULL,
     2,
     {{140000, 170000, "USD", Y, "New York City"}, {120000, 150000, "USD", Y, "Remote (US)"}}},
    {"Pay transparency\nUS Zone 1: $130,000 - $160,000 USD\nUS Zone 2: $117,000 - $144,000 "
     "USD\nCanada: $120,000 - $150,000 CAD",
     NULL,
     3,
     {{130000, 160000, "USD", Y, "US Zone 1"},
      {117000, 144000, "USD", Y, "US Zone 2"},
      {120000, 150000, "CAD", Y, "Canada"}}},
    {"The annual base salary for this position ranges from $95,000 to $125,000 in our Denver "
     "office and from $110,000 to $145,000 in our San Francisco office.",
     NULL,
     2,
     {{95000, 125000, "USD", Y, "Denver office"},
      {110000, 145000, "USD", Y, "San Francisco office"}}},
    {"Senior Engineer: $150k\xe2\x80\x93$190k | Staff Engineer: $190k\xe2\x80\x93$240k",
     NULL,
     2,
     {{150000, 190000, "USD", Y, "Senior Engineer"}, {190000, 240000, "USD", Y, "Staff Engineer"}}},
    {"Gehaltsband: Junior 45.000\xe2\x80\x93"
     "55.000 \xe2\x82\xac, Senior 60.000\xe2\x80\x93"
     "75.000 \xe2\x82\xac",
     NULL,
     2,
     {{45000, 55000, "EUR", Y, "Junior"}, {60000, 75000, "EUR", Y, "Senior"}}},
    {"R\xc3\xa9mun\xc3\xa9ration : Paris 50-60 k\xe2\x82\xac, Lyon 45-55 k\xe2\x82\xac",
     NULL,
     2,
     {{50000, 60000, "EUR", Y, "Paris"}, {45000, 55000, "EUR", Y, "Lyon"}}},
    /* several labelled ranges on one line: each kept, each with its own label, none read
     * from the figures of the one before, and a zone's number no amount of its own */
    {"Zone A: $150,000 - $180,000 Zone B: $135,000 - $160,000",
     NULL,
     2,
     {{150000, 180000, "USD", Y, "Zone A"}, {135000, 160000, "USD", Y, "Zone B"}}},
    {"Tier 1: $150,000 - $180,000 and Tier 2: $135,000 - $160,000",
     NULL,
     2,
     {{150000, 180000, "USD", Y, "Tier 1"}, {135000, 160000, "USD", Y, "Tier 2"}}},
    {"Salary range: Zone 1: $150,000 - $180,000, Zone 2: $135,000 - $160,000",
     NULL,
     2,
     {{150000, 180000, "USD", Y, "Zone 1"}, {135000, 160000, "USD", Y, "Zone 2"}}},
    {"Salary: Zone 1 $150,000 - $180,000, Zone 2 $135,000 - $160,000",
     NULL,
     2,
     {{150000, 180000, "USD", Y, "Zone 1"}, {135000, 160000, "USD", Y, "Zone 2"}}},
    {"Salary: Level 2 USD 90,000 - 110,000", NULL, 1, {{90000, 110000, "USD", Y, NULL}}},
    {"The hiring range for this position in California is $140,000 - $180,000 and in all "
     "other US locations $120,000 - $160,000.",
     NULL,
     2,
     {{140000, 180000, "USD", Y, "California"},
      {120000, 160000, "USD", Y, "all other US locations"}}},
    {"The pay range is $150,000 - $180,000 in New York and $130,000 - $160,000 in all other "
     "locations.",
     NULL,
     2,
     {{150000, 180000, "USD", Y, "New York"}, {130000, 160000, "USD", Y, "all other locations"}}},
    {"Hourly: $20/hr (Tier 1), $22/hr (Tier 2)",
     NULL,
     2,
     {{20, 20, "USD", H, "Tier 1"}, {22, 22, "USD", H, "Tier 2"}}},
    /* the next item's word does not make the range before it something else */
    {"Salary: $150,000 - $180,000 Bonus: $10,000", NULL, 1, {{150000, 180000, "USD", Y, ""}}},
    {"OTE: $200,000 (50/50 split)", NULL, 1, {{200000, 200000, "USD", Y, ""}}},
    /* a total (OTE) is the pay only when no base pay is stated, before or after it */
    {"OTE: $200,000 (50/50 split). Base: $100,000.", NULL, 1, {{100000, 100000, "USD", Y, NULL}}},
    {"On-target earnings of $180,000 with a base salary of $120,000 - $130,000.",
     NULL,
     1,
     {{120000, 130000, "USD", Y, NULL}}},
    {"Gehalt: zwischen 65.000 \xe2\x82\xac und 80.000 \xe2\x82\xac (abh\xc3\xa4ngig von "
     "Erfahrung)",
     NULL,
     1,
     {{65000, 80000, "EUR", Y, ""}}},
    /* pay verbs in other languages */
    {"Ganar\xc3\xa1s 1.500 \xe2\x82\xac al mes.", NULL, 1, {{1500, 1500, "EUR", MO, NULL}}},
    {"Guadagnerai 1.400 \xe2\x82\xac al mese.", NULL, 1, {{1400, 1400, "EUR", MO, ""}}},
    {"Vous gagnerez 2 000 \xe2\x82\xac par mois.", NULL, 1, {{2000, 2000, "EUR", MO, NULL}}},
    {"Je verdient tussen \xe2\x82\xac"
     "3.200 en \xe2\x82\xac"
     "4.100 per maand.",
     NULL,
     1,
     {{3200, 4100, "EUR", MO, NULL}}},
    {"Du tj\xc3\xa4nar 160 kr i timmen hos oss.", NULL, 1, {{160, 160, "SEK", H, NULL}}},
    /* "kr": the krona or krone of the location's country, else of the text's language, else
     * none (never a guess) */
    {"L\xc3\xb6n: 45 000 kr/m\xc3\xa5n", "Stockholm, Sweden", 1, {{45000, 45000, "SEK", MO, NULL}}},
    {"Salary: 45 000 kr per month", "Copenhagen, Denmark", 1, {{45000, 45000, "DKK", MO, NULL}}},
    {"Salary: kr 600.000 - 700.000 per year", "Oslo", 1, {{600000, 700000, "NOK", Y, NULL}}},
    {"Salary: 45 000 kr per month", NULL, 1, {{45000, 45000, "", MO, NULL}}},
    {"Salary: 45 000 kr per month", "Oslo or Stockholm", 1, {{45000, 45000, "", MO, NULL}}},
    {"M\xc3\xa5nadsl\xc3\xb6n 38 000 - 44 000 kr i m\xc3\xa5naden f\xc3\xb6r dig som \xc3\xa4r "
     "erfaren.",
     NULL,
     1,
     {{38000, 44000, "SEK", MO, NULL}}},
    {"L\xc3\xb6n 32 000:- i m\xc3\xa5naden", NULL, 1, {{32000, 32000, "SEK", MO, NULL}}},
    {"L\xc3\xb8nn: kr 600.000\xe2\x80\x93"
     "700.000 per \xc3\xa5r. Vi ser etter deg.",
     NULL,
     1,
     {{600000, 700000, "NOK", Y, NULL}}},
    {"Timel\xc3\xb8nn 230 kr per time. S\xc3\xb8knad sendes innen fredag.",
     NULL,
     1,
     {{230, 230, "NOK", H, NULL}}},
    {"L\xc3\xb8nn: 250 kr/t", NULL, 1, {{250, 250, "NOK", H, NULL}}},
    {"L\xc3\xb8n: 42.000 kr. om m\xc3\xa5neden, efter aftale.",
     NULL,
     1,
     {{42000, 42000, "DKK", MO, NULL}}},
    {"L\xc3\xb8n: 4.500 kr. pr. uge", NULL, 1, {{4500, 4500, "DKK", W, NULL}}},
    {"L\xc3\xb8n: 38.000 kr. m\xc3\xa5nedligt", NULL, 1, {{38000, 38000, "DKK", MO, NULL}}},
    {"L\xc3\xb6n: 540 000 kr om \xc3\xa5ret", NULL, 1, {{540000, 540000, "SEK", Y, NULL}}},
    {"L\xc3\xb8nn 650 000 NOK i \xc3\xa5ret", NULL, 1, {{650000, 650000, "NOK", Y, NULL}}},
    {"Pay: 45 tusen kr i m\xc3\xa5naden", NULL, 1, {{45000, 45000, "SEK", MO, NULL}}},
    {"L\xc3\xb6n: 165 kr/tim", NULL, 1, {{165, 165, "SEK", H, NULL}}},
    {"Timl\xc3\xb6n: 150 kr", NULL, 1, {{150, 150, "SEK", H, NULL}}},
    {"M\xc3\xa5nedsl\xc3\xb8n: 38.000 kr.", NULL, 1, {{38000, 38000, "DKK", MO, NULL}}},
    {"Timel\xc3\xb8nn: 230 kr", NULL, 1, {{230, 230, "NOK", H, NULL}}},
    {"L\xc3\xb8nn: 45 000 kr per m\xc3\xa5ned", NULL, 1, {{45000, 45000, "NOK", MO, NULL}}},
    {"L\xc3\xb8nn: 550 000 kr i \xc3\xa5ret", NULL, 1, {{550000, 550000, "NOK", Y, NULL}}},
    {"L\xc3\xb8n: 200 kr. i timen", NULL, 1, {{200, 200, "DKK", H, NULL}}},
    /* pesos and dollars of Latin America by the places named; other signs and words */
    {"Sueldo: $1.200.000 l\xc3\xadquidos mensuales, Santiago de Chile",
     NULL,
     1,
     {{1200000, 1200000, "CLP", MO, NULL}}},
    {"Salario: $ 4.500.000 mensuales. Ubicaci\xc3\xb3n: Bogot\xc3\xa1, Colombia",
     NULL,
     1,
     {{4500000, 4500000, "COP", MO, NULL}}},
    /* a posting with a location: a country named in the next sentence is not the dollar's */
    {"Base pay: $120,000 - $150,000 per year. Our team spans San Francisco and Santiago, Chile.",
     "San Francisco, CA",
     1,
     {{120000, 150000, "USD", Y, NULL}}},
    {"Sueldo: 25.000 pesos mensuales", NULL, 1, {{25000, 25000, "", MO, NULL}}},
    {"Sueldo: 25.000 pesos mensuales",
     "Ciudad de M\xc3\xa9xico",
     1,
     {{25000, 25000, "MXN", MO, NULL}}},
    {"Sueldo: $25.000 a $30.000 pesos mensuales, Guadalajara",
     NULL,
     1,
     {{25000, 30000, "MXN", MO, NULL}}},
    {"Remuneraci\xc3\xb3n: S/ 3,500 mensuales", NULL, 1, {{3500, 3500, "PEN", MO, NULL}}},
    {"Mzda: 45 000 K\xc4\x8d m\xc4\x9bs\xc3\xad\xc4\x8dn\xc4\x9b",
     NULL,
     1,
     {{45000, 45000, "CZK", MO, NULL}}},
    {"Salariu: 5.000 lei net pe lun\xc4\x83", NULL, 1, {{5000, 5000, "RON", MO, NULL}}},
    {"Maa\xc5\x9f: \xe2\x82\xba"
     "40.000 ayl\xc4\xb1k",
     NULL,
     1,
     {{40000, 40000, "TRY", MO, NULL}}},
    {"Salary: \xe2\x82\xa6"
     "350,000 per month",
     NULL,
     1,
     {{350000, 350000, "NGN", MO, NULL}}},
    {"Salary: \xe2\x82\xaa"
     "25,000 per month",
     NULL,
     1,
     {{25000, 25000, "ILS", MO, NULL}}},
    /* thousands in words, lakhs and crores */
    {"Salario: entre 30 mil y 40 mil euros brutos anuales",
     NULL,
     1,
     {{30000, 40000, "EUR", Y, NULL}}},
    {"Sueldo: 30-40 mil \xe2\x82\xac al a\xc3\xb1o", NULL, 1, {{30000, 40000, "EUR", Y, NULL}}},
    {"Sueldo mensual de $ 25 mil MXN", NULL, 1, {{25000, 25000, "MXN", MO, NULL}}},
    {"Sal\xc3\xa1rio: R$ 8 mil a R$ 10 mil por m\xc3\xaas",
     NULL,
     1,
     {{8000, 10000, "BRL", MO, NULL}}},
    {"Retribuzione: 30 mila euro lordi annui", NULL, 1, {{30000, 30000, "EUR", Y, NULL}}},
    {"Wynagrodzenie: 8-12 tys. z\xc5\x82 brutto miesi\xc4\x99"
     "cznie",
     NULL,
     1,
     {{8000, 12000, "PLN", MO, NULL}}},
    {"R\xc3\xa9mun\xc3\xa9ration : 40 mille euros par an",
     NULL,
     1,
     {{40000, 40000, "EUR", Y, NULL}}},
    {"CTC: 12-18 LPA", NULL, 1, {{1200000, 1800000, "INR", Y, NULL}}},
    {"Salary: 8-10 lakh per annum", NULL, 1, {{800000, 1000000, "INR", Y, NULL}}},
    {"Salary: 8-10 lakh per annum, based in Lahore", NULL, 1, {{800000, 1000000, "", Y, NULL}}},
    {"Sueldo de 20 mil al mes", NULL, 1, {{20000, 20000, "", MO, NULL}}},
    {"Salary: $100k. We are a $40 mil company.", NULL, 1, {{100000, 100000, "USD", Y, NULL}}},
    {"Sueldo: 30 mil pesos, Monterrey", NULL, 1, {{30000, 30000, "MXN", Y, NULL}}},
    /* periods in words: NL, IT, PT, PL */
    {"Salaris: \xe2\x82\xac 3.500 - \xe2\x82\xac 4.200 p.m.",
     NULL,
     1,
     {{3500, 4200, "EUR", MO, NULL}}},
    {"Salaris: \xe2\x82\xac 52.000 per jaar", NULL, 1, {{52000, 52000, "EUR", Y, NULL}}},
    {"Stipendio: 1.800 \xe2\x82\xac ogni mese", NULL, 1, {{1800, 1800, "EUR", MO, NULL}}},
    {"Sal\xc3\xa1rio: 2.500 \xe2\x82\xac mensalmente", NULL, 1, {{2500, 2500, "EUR", MO, NULL}}},
    {"Wynagrodzenie: 9000 z\xc5\x82 miesi\xc4\x99"
     "cznie",
     NULL,
     1,
     {{9000, 9000, "PLN", MO, NULL}}},
    {"Wynagrodzenie: 60 z\xc5\x82 za godzin\xc4\x99", NULL, 1, {{60, 60, "PLN", H, NULL}}},
};

/* Money that is not pay (our own sentences): benefits, perks, parts of pay that are not base
 * pay, a company's money and counts, and bare numbers. */
static const char *const not_pay_classes[] = {
    "We give every employee a $2,500 annual travel allowance.",
    "The company covers $250 per month for commuting.",
    "Employees get an HSA contribution of $1,200 per year.",
    "Each intern receives a $300 monthly transit allowance.",
    "Commission: $30,000 - $50,000 per year on top.",
    "Equity grant valued at $80,000.",
    "Signing bonus of $10,000 paid after 90 days.",
    "Relocation package up to $15,000.",
    /* a multiple of the salary caps a benefit */
    "Life insurance coverage of 2x annual salary up to $500,000.",
    "AD&D at 1.5 times the employee's basic salary, up to $250,000.",
    "Home office budget: $600 per year",
    "A $75 monthly stipend for your phone bill.",
    "We closed our $25 million Series B in March.",
    "We grew revenue to $80M last year.",
    "Over 12,000 companies use our product.",
    "Our team of 1,400 engineers ships daily.",
    "Reference 48,000 in our catalogue has 120,000 items.",
    "Headcount: 1,200 - 1,500 by next year",
    "Wir bieten einen Fahrtkostenzuschuss von 50 \xe2\x82\xac im Monat.",
    "Jobticket im Wert von 49 \xe2\x82\xac monatlich",
    "Ch\xc3\xa8ques d\xc3\xa9jeuner de 10 \xe2\x82\xac par jour travaill\xc3\xa9",
    "Prime d'anciennet\xc3\xa9 de 500 \xe2\x82\xac par an",
    "Ayuda de transporte de 40 \xe2\x82\xac al mes",
    "Bonus de productividad de hasta 3.000 \xe2\x82\xac anuales",
    "Wir sind in 7 L\xc3\xa4ndern mit 200 000 Kunden aktiv.",
    /* pay verbs whose figure is not the hire's pay */
    "The company pays for your $1,200 annual gym membership.",
    "We pay $500 towards your home office setup.",
    "Customers pay $49 per month for the Pro plan.",
    "Users paying $20/month get priority support.",
    "Our customers earn $1,000 per month on average with our app.",
    "Sellers earn $300 per week using the platform.",
    "We have paid out $2 million to creators.",
    "Pr\xc3\xa9sents dans 30 pays, 12 000 collaborateurs.",
    "We pay 100% of premiums and $1,500 per year for learning.",
    /* kronor, thousands in words and lakhs that are no pay */
    "Vi har 45 000 kunder i Sverige.",
    "Friskv\xc3\xa5rdsbidrag p\xc3\xa5 5 000 kr per \xc3\xa5r.",
    "Oms\xc3\xa4ttning 120 mkr och 300 miljoner kronor i int\xc3\xa4kter.",
    "Personalrabatt: 500 kr i m\xc3\xa5naden p\xc3\xa5 alla k\xc3\xb6p.",
    "Tj\xc3\xa4nstepension och friskv\xc3\xa5rdsbidrag p\xc3\xa5 3 000 kr om \xc3\xa5ret.",
    "Vi tilbyder pension og et till\xc3\xa6g p\xc3\xa5 1.500 kr. om m\xc3\xa5neden.",
    "Una empresa con 30 mil empleados y 200 tiendas.",
    "Facturamos 30 mil millones de euros al a\xc3\xb1o.",
    "Bonus de 3 mil euros al a\xc3\xb1o por objetivos.",
    "Abbiamo 30 mila clienti in Italia.",
    "Our 12 lakh users trust us.",
    "The company raised 40 crore in Series A.",
    "We raised $40 mil in funding.",
    /* perks, vouchers and allowances in many languages, and verbs that earn no pay */
    "We pay $1,000 per year toward your wellness membership.",
    "We'll pay up to $5,000 for relocation.",
    "Employees earn 20 days of PTO per year.",
    "Our top sellers earn $10,000 in commission per month.",
    "You'll earn a $2,000 signing bonus.",
    "Paid parental leave of 16 weeks and $500 per month childcare support.",
    "The company has paid $3M in dividends.",
    "Je verdient 25 vakantiedagen en een reiskostenvergoeding van \xe2\x82\xac 0,23 per km.",
    "Ganar\xc3\xa1s experiencia en un equipo de 200 personas.",
    "Guadagnerai 30 giorni di ferie e un buono pasto da 8 \xe2\x82\xac al giorno.",
    "Vous gagnerez en autonomie avec une prime de 1 500 \xe2\x82\xac par an.",
    "Du tj\xc3\xa4nar in semesterdagar och f\xc3\xa5r 3 000 kr i friskv\xc3\xa5rdsbidrag.",
    "Zarobisz do\xc5\x9bwiadczenie, a firma zapewnia kart\xc4\x99 Multisport za 100 z\xc5\x82 "
    "miesi\xc4\x99"
    "cznie.",
    "Wir zahlen einen Zuschuss von 50 \xe2\x82\xac monatlich zum Deutschlandticket.",
    "Ofrecemos cheques restaurante de 11 \xe2\x82\xac por d\xc3\xad"
    "a trabajado.",
    "Oferecemos vale-refei\xc3\xa7\xc3\xa3o de R$ 35 por dia.",
    "Offriamo buoni pasto da 7 \xe2\x82\xac al giorno.",
    "Vi tilbyder fri frokost og 400 kr. om m\xc3\xa5neden til transport.",
    "Bedriften dekker mobil og internett opp til 500 kr i m\xc3\xa5neden.",
    "F\xc3\xb6retaget har 1 200 anst\xc3\xa4llda och oms\xc3\xa4tter 3 miljarder kronor.",
    "Trusted by 25 mil businesses worldwide.",
    "Budget formation : 2 000 \xe2\x82\xac par an.",
    "Presupuesto de formaci\xc3\xb3n de 1.000 \xe2\x82\xac anuales.",
    "Bud\xc5\xbc"
    "et szkoleniowy 3000 z\xc5\x82 rocznie.",
    "Opleidingsbudget van \xe2\x82\xac 1.500 per jaar.",
    "Customers earn up to 5% cashback, paying $0 in fees.",
};

static void check_ranges(const struct ranges_case *c)
{
	struct pay_text_range r[PAY_TEXT_MAX_RANGES];
	size_t n = pay_parse_text_all(c->text, strlen(c->text), c->location, false, r,
				      PAY_TEXT_MAX_RANGES);
	bool ok = n == c->n;

	for (size_t i = 0; ok && i < n; i++) {
		const struct want_range *w = &c->r[i];
		ok = same_num(r[i].pay.min, w->min) && same_num(r[i].pay.max, w->max) &&
		     strcmp(r[i].pay.currency, w->currency) == 0 && r[i].pay.period == w->period &&
		     (w->label == NULL || strcmp(r[i].label, w->label) == 0) &&
		     r[i].off + r[i].len <= strlen(c->text);
	}
	if (!ok) {
		printf("# \"%s\": %zu ranges (expected %zu):", c->text, n, c->n);
		for (size_t i = 0; i < n; i++) {
			char got[96];
			pay_format(&r[i].pay, got, sizeof(got));
			printf(" [%s: %s]", r[i].label, got);
		}
		printf("\n");
	}
	CHECK(ok);
}

static void test_classes(void)
{
	for (size_t i = 0; i < sizeof(class_cases) / sizeof(class_cases[0]); i++)
		check_ranges(&class_cases[i]);
	for (size_t i = 0; i < sizeof(not_pay_classes) / sizeof(not_pay_classes[0]); i++) {
		struct pay_text_range r[PAY_TEXT_MAX_RANGES];
		const char *t = not_pay_classes[i];
		size_t n = pay_parse_text_all(t, strlen(t), NULL, false, r, PAY_TEXT_MAX_RANGES);
		if (n) {
			char got[96];
			pay_format(&r[0].pay, got, sizeof(got));
			printf("# \"%s\": got \"%s\", expected none\n", t, got);
		}
		CHECK_NUM(n, 0);
	}
}

/* A posting's summary is the envelope of its ranges in the first one's currency and period;
 * every range stays a row with its label; a single figure is min = max. */
static void test_summary_envelope(void)
{
	struct posting p;
	const char *t = "Base pay for this role:\n"
			"Zone 1 (Seattle, Bay Area): $142,000 - $188,000 per year\n"
			"Zone 2 (all other US locations): $121,000 - $160,000 per year\n"
			"Canada: CA$130,000 - CA$170,000 per year\n";

	memset(&p, 0, sizeof(p));
	pay_clear(&p.pay);
	CHECK(source_pay_from_text(&p, t, "text"));
	CHECK_NUM(p.nranges, 3);
	CHECK_NUM(p.pay.min, 121000);
	CHECK_NUM(p.pay.max, 188000);
	CHECK_STR(p.pay.currency, "USD");
	CHECK(p.pay.period == PAY_PERIOD_YEAR && !p.pay.period_inferred);
	if (p.nranges == 3) {
		CHECK_STR(p.ranges[0].label, "Zone 1 (Seattle, Bay Area)");
		CHECK_STR(p.ranges[2].label, "Canada");
		CHECK_STR(p.ranges[2].pay.currency, "CAD");
	}
	char *all = posting_pay_ranges_text(&p);
	CHECK_STR(all, "Zone 1 (Seattle, Bay Area): USD 142000-188000/year; Zone 2 (all other US "
		       "locations): USD 121000-160000/year; Canada: CAD 130000-170000/year");
	free(all);
	posting_free_fields(&p);

	/* one range needs no label; one figure is min = max */
	memset(&p, 0, sizeof(p));
	pay_clear(&p.pay);
	CHECK(source_pay_from_text(&p,
				   "Salary: \xc2\xa3"
				   "48,500 per year",
				   "text"));
	CHECK(p.nranges == 1 && p.ranges[0].label == NULL);
	CHECK(p.pay.min == 48500 && p.pay.max == 48500 && p.pay.period == PAY_PERIOD_YEAR);
	CHECK_STR(p.pay_text, "\xc2\xa3"
			      "48,500 per year");
	posting_free_fields(&p);

	/* a source's pay field needs no pay word */
	memset(&p, 0, sizeof(p));
	pay_clear(&p.pay);
	CHECK(!source_pay_from_text(&p, "96,000 - 118,000", "text"));
	CHECK(source_pay_from_text(&p, "96,000 - 118,000", "html:pay"));
	CHECK(p.pay.min == 96000 && p.pay.max == 118000 && p.pay.period == PAY_PERIOD_YEAR);
	posting_free_fields(&p);
}

/* Sentences of the real detail payloads in shared/fixtures/real/detail (NOTES.md, "Text
 * quirks"): Microsoft's two U.S. ranges are both kept, each with the place it is stated for,
 * and summed up as their envelope. */
static void test_detail_quirks(void)
{
	/* eightfold/microsoft_apply_v2_detail_1970393556868060.json, job_description */
	const char *ms =
	    "Data Science IC5 - The typical base pay range for this role across the U.S. is USD "
	    "$142,800 - $274,800 per year. There is a different range applicable to specific work "
	    "locations, within the San Francisco Bay area and New York City metropolitan area, and "
	    "the base pay range for this role in those locations is USD $188,000 - $304,200 per "
	    "year.\nCertain roles may be eligible for benefits and other compensation.";
	struct posting p;

	memset(&p, 0, sizeof(p));
	pay_clear(&p.pay);
	CHECK(source_pay_from_text(&p, ms, "text"));
	CHECK_NUM(p.nranges, 2);
	CHECK(p.pay.min == 142800 && p.pay.max == 304200 && p.pay.period == PAY_PERIOD_YEAR &&
	      strcmp(p.pay.currency, "USD") == 0 && !p.pay.period_inferred);
	if (p.nranges == 2) {
		CHECK(p.ranges[1].pay.min == 188000 && p.ranges[1].pay.max == 304200);
		/* each range keeps the place its sentence names */
		CHECK_STR(p.ranges[0].label, "U.S.");
		CHECK_STR(p.ranges[1].label,
			  "San Francisco Bay area and New York City metropolitan area");
	}
	posting_free_fields(&p);

	static const struct form quirks[] = {
	    /* workday/boozallen_cxs_detail_R0249565.json */
	    {"The projected compensation range for this position is $52,900.00 to $108,000.00 "
	     "(annualized USD).",
	     NULL, 52900, 108000, "USD", Y},
	    /* eightfold/microsoft_pcsx_position_details_1970393557002726.json */
	    {"Electrical Engineering IC4 - The typical base pay range for this role across United "
	     "Kingdom is \xc2\xa3 74,700.00 - \xc2\xa3 122,600.00 per year.",
	     NULL, 74700, 122600, "GBP", Y},
	    /* workday/salesforce_cxs_detail_JR361902_trimmed.json */
	    {"The typical base salary range for this position is $134,750 - $180,250 annually",
	     NULL, 134750, 180250, "USD", Y},
	    /* smartrecruiters/guidehealth_posting_detail_3743990015568355_trimmed.json */
	    {"The base pay range for this role is between $20 - $22 per hour paid bi-weekly", NULL,
	     20, 22, "USD", H},
	};
	for (size_t i = 0; i < sizeof(quirks) / sizeof(quirks[0]); i++)
		check_form(&quirks[i]);
}

/* True when s is well-formed UTF-8 (no cut characters). */
static bool utf8_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int n = *p < 0x80	      ? 0
			: (*p & 0xe0) == 0xc0 ? 1
			: (*p & 0xf0) == 0xe0 ? 2
			: (*p & 0xf8) == 0xf0 ? 3
					      : -1;
		if (n < 0)
			return false;
		for (p++; n > 0; n--, p++)
			if ((*p & 0xc0) != 0x80)
				return false;
	}
	return true;
}

/* A label is cut at its longest, never inside a character: the store takes UTF-8 only. */
static void test_label_utf8(void)
{
	char t[256];
	struct buf place = BUF_INIT;

	/* "A" and sixty "Ü": the 120th byte of the label is the middle of a character */
	buf_puts(&place, "A");
	for (int i = 0; i < 60; i++)
		buf_puts(&place, "\xc3\x9c");
	snprintf(t, sizeof(t),
		 "The base salary is $100,000 - $120,000 in %s and $130,000 - "
		 "$150,000 in Bern.",
		 place.data);
	buf_free(&place);
	struct pay_text_range r[PAY_TEXT_MAX_RANGES];
	size_t n = pay_parse_text_all(t, strlen(t), NULL, false, r, PAY_TEXT_MAX_RANGES);

	CHECK_NUM(n, 2);
	for (size_t i = 0; i < n; i++) {
		CHECK(utf8_ok(r[i].label));
		CHECK(strlen(r[i].label) <= 120);
	}
	if (n >= 1)
		CHECK_NUM(strlen(r[0].label), 119);
	if (n == 2)
		CHECK_STR(r[1].label, "Bern");
}

/* Every prefix of texts whose labels and currencies are read around the figures, each in a
 * buffer of exactly its length: no look reads past the text's end (ASan checks it). "… $X in"
 * at the very end once read one byte past it. */
static void test_text_end(void)
{
	static const char *const texts[] = {
	    "The base salary is $150k-$180k in Austin, TX and $170k-$205k in",
	    "Salary: $95,000 to $125,000 in our Denver office and $110,000 - $145,000 for the",
	    "Gehaltsband: Junior 45.000\xe2\x80\x93"
	    "55.000 \xe2\x82\xac, Senior 60.000 "
	    "\xe2\x82\xac (Level",
	    "L\xc3\xb6n: 45 000 kr/m\xc3\xa5n, 32 000:- i m\xc3\xa5naden, kr 600.000",
	    "Salario: entre 30 mil y 40 mil euros; Sueldo: $ 25 mil MXN; S/ 3,500; CTC: 12-18 LPA",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		for (size_t n = 0; n <= strlen(texts[i]); n++) {
			char *t = malloc(n ? n : 1);
			struct pay_text_range r[PAY_TEXT_MAX_RANGES];
			memcpy(t, texts[i], n);
			size_t k =
			    pay_parse_text_all(t, n, "Stockholm", false, r, PAY_TEXT_MAX_RANGES);
			for (size_t j = 0; j < k; j++)
				CHECK(r[j].off + r[j].len <= n && utf8_ok(r[j].label));
			free(t);
		}
}

/* Real sentences with money (or counts) that are not pay, each labelled by hand
 * (tests/fixtures/pay/not-pay-sentences.tsv): fewer than 1 in 200 may come out as pay. */
static void test_not_pay_corpus(void)
{
	size_t len, n = 0, wrong = 0;
	char *data = harness_read("pay/not-pay-sentences.tsv", &len);

	for (char *line = data, *nl; line < data + len; line = nl + 1) {
		struct pay_text_range r[PAY_TEXT_MAX_RANGES];
		nl = memchr(line, '\n', (size_t)(data + len - line));
		if (nl == NULL)
			nl = data + len;
		*nl = '\0';
		char *text = strchr(line, '\t');
		text = text ? strchr(text + 1, '\t') : NULL;
		if (line == data || text == NULL)
			continue; /* the header */
		text++;
		n++;
		if (pay_parse_text_all(text, strlen(text), NULL, false, r, PAY_TEXT_MAX_RANGES)) {
			char got[96];
			pay_format(&r[0].pay, got, sizeof(got));
			printf("# not pay, read as \"%s\": %s\n", got, text);
			wrong++;
		}
	}
	free(data);
	printf("# not-pay corpus: %zu of %zu sentences read as pay (%.2f%%)\n", wrong, n,
	       n ? 100.0 * (double)wrong / (double)n : 0.0);
	CHECK(n >= 200);
	CHECK(wrong * 200 < n);
}

/* pay_format as it was written with snprintf; the one without printf must not differ. */
static void format_reference(const struct pay *p, char *out, size_t outlen)
{
	char lo[32] = "", hi[32] = "";
	const char *per = pay_period_name(p->period);

	if (!isnan(p->min))
		snprintf(lo, sizeof(lo),
			 p->min == floor(p->min) && fabs(p->min) < 1e15 ? "%.0f" : "%.2f", p->min);
	if (!isnan(p->max))
		snprintf(hi, sizeof(hi),
			 p->max == floor(p->max) && fabs(p->max) < 1e15 ? "%.0f" : "%.2f", p->max);
	if (!isnan(p->min) && !isnan(p->max) && p->min == p->max)
		snprintf(out, outlen, "%s%s%s%s%s", p->currency, *p->currency ? " " : "", lo,
			 per ? "/" : "", per ? per : "");
	else
		snprintf(out, outlen, "%s%s%s-%s%s%s", p->currency, *p->currency ? " " : "", lo, hi,
			 per ? "/" : "", per ? per : "");
}

static void test_format_reference(void)
{
	static const double amounts[] = {
	    0,	      -0.0, 1,	9,    10,    99.5,	   100000, 120000.25,  999999999999999,
	    1e15,     1e16, -5, -2.5, 0.125, 4294967296.0, NAN,	   123456.789, 0.5,
	    7e14 + 1, 65000};
	static const char *const currencies[] = {"USD", ""};
	static const size_t lens[] = {1, 5, 12, 96};
	size_t n = sizeof(amounts) / sizeof(amounts[0]);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			for (size_t c = 0; c < 2; c++)
				for (int per = PAY_PERIOD_NONE; per <= PAY_PERIOD_YEAR; per++)
					for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]);
					     l++) {
						struct pay p;
						char got[96], want[96];

						pay_clear(&p);
						p.min = amounts[i];
						p.max = amounts[j];
						snprintf(p.currency, sizeof(p.currency), "%s",
							 currencies[c]);
						p.period = (enum pay_period)per;
						if (!pay_is_set(&p))
							continue;
						pay_format(&p, got, lens[l]);
						format_reference(&p, want, lens[l]);
						CHECK_STR(got, want);
					}
}

static void test_str_from_u64(void)
{
	char out[STR_U64_LEN];

	CHECK(str_from_u64(out, 0) == 1);
	CHECK_STR(out, "0");
	CHECK(str_from_u64(out, 10) == 2);
	CHECK_STR(out, "10");
	CHECK(str_from_u64(out, 120000) == 6);
	CHECK_STR(out, "120000");
	CHECK(str_from_u64(out, UINT64_MAX) == 20);
	CHECK_STR(out, "18446744073709551615");

	struct buf b = BUF_INIT;
	buf_put_i64(&b, INT64_MIN);
	buf_putc(&b, ',');
	buf_put_i64(&b, -1);
	buf_putc(&b, ',');
	buf_put_i64(&b, 0);
	buf_putc(&b, ',');
	buf_put_i64(&b, INT64_MAX);
	CHECK_STR(b.data, "-9223372036854775808,-1,0,9223372036854775807");
	buf_free(&b);
}

int main(void)
{
	RUN(test_period_parse);
	RUN(test_forms);
	RUN(test_not_pay);
	RUN(test_classes);
	RUN(test_summary_envelope);
	RUN(test_label_utf8);
	RUN(test_text_end);
	RUN(test_detail_quirks);
	RUN(test_not_pay_corpus);
	RUN(test_span);
	RUN(test_inferred);
	RUN(test_corpus);
	RUN(test_compensation_strings);
	RUN(test_format_reference);
	RUN(test_str_from_u64);
	return harness_end();
}
