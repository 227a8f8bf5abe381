/* test_pay.c - the pay module: period vocabularies, formatting, and the text parser against
 * a table of written forms, the four labelled corpora (EN, DE, FR, ES) and the 147 real
 * compensation strings labelled by hand in tests/fixtures/pay/compensation-strings.labels.tsv. */
#include "harness.h"
#include "pay.h"
#include "posting.h"
#include "source_common.h"

#include "buf.h"
#include "jv.h"
#include "util.h"
#include <math.h>
#include <stdbool.h>

/* Corpus accuracy measured when the parser landed, rounded down; the test fails below it. */
#define CORPUS_MIN_ACCURACY 0.98

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
    {"CTC: 12-18 LPA salary", NULL, 1200000, 1800000, "", Y},
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

static double label_num(struct json_object *o, const char *key)
{
	struct json_object *v = jv_get(o, key);
	return jv_is_number(v) ? jv_number(v) : NAN;
}

/* One corpus line: true when the parse matches the label. A DE/ES label writes a single
 * stated amount as {min: X, max: null}; the parser states it as min = max (see pay.h), so
 * that pair counts as equal and is reported in *single. */
static bool corpus_line(struct json_object *line, int *single)
{
	struct json_object *expect = jv_get(line, "expect");
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
			struct json_object *j =
			    jv_parse(line, strlen(line), &jline, msg, sizeof(msg));
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
	RUN(test_span);
	RUN(test_inferred);
	RUN(test_corpus);
	RUN(test_compensation_strings);
	RUN(test_format_reference);
	RUN(test_str_from_u64);
	return harness_end();
}
