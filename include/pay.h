/* pay.h - a stated pay range: structured fields or description text to
 * {min, max, currency, period}, and the one set of annualising constants. Pure: no I/O. */
#ifndef JOBWATCH_PAY_H
#define JOBWATCH_PAY_H

#include <stdbool.h>
#include <stddef.h>

enum pay_period {
	PAY_PERIOD_NONE = 0,
	PAY_PERIOD_HOUR,
	PAY_PERIOD_DAY,
	PAY_PERIOD_WEEK,
	PAY_PERIOD_MONTH,
	PAY_PERIOD_YEAR,
};

/* The only annualising constants in jobwatch; SQL mirrors them in sql/ (pay_yearly()). */
#define PAY_HOURS_PER_YEAR  2080
#define PAY_DAYS_PER_YEAR   260
#define PAY_WEEKS_PER_YEAR  52
#define PAY_MONTHS_PER_YEAR 12

struct pay {
	double min;		/* NAN when not stated ("up to X") */
	double max;		/* NAN when not stated ("from X") */
	char currency[4];	/* ISO 4217, or "" when unknown */
	enum pay_period period; /* PAY_PERIOD_NONE when unknown */
	bool period_inferred;	/* period guessed from the magnitude, not written */
	char source[40];	/* where it came from: "lever:salaryRange", "text" … */
};

/* Make p "no pay": min and max NAN, no currency, no period. */
void pay_clear(struct pay *p);
/* True when p holds at least one amount. */
bool pay_is_set(const struct pay *p);
/* True when a and b state the same range (NAN equal to NAN). */
bool pay_equal(const struct pay *a, const struct pay *b);
/* The first stated pay range in plain text (pay_parse_text_all's first). location (may be NULL)
 * helps tell which dollar a bare "$" is. Returns true and fills out (and span_off, span_len: the
 * matched text, when not NULL) when a range was found; false and a cleared out otherwise. */
bool pay_parse_text(const char *text, size_t len, const char *location, struct pay *out,
		    size_t *span_off, size_t *span_len);
/* One range stated in a text. */
struct pay_text_range {
	struct pay pay;
	size_t off, len; /* the range as written: text[off, off + len) */
	char label[124]; /* the location, level or tier the text names for it ("California",
			  * "Tier 2", "Zone B (all other US locations)"); "" when none. One read
			  * from the sentence around the range ("… for this role in New York is")
			  * is looked for only when the text states several ranges. */
};

/* The most ranges one text yields; a posting states a handful at most. */
#define PAY_TEXT_MAX_RANGES 16

/* Every base-pay range stated in text, in order, at most max of them; returns how many.
 * Benefits, bonuses, commission, equity, funding and counts are not pay, and a figure is pay
 * only where a pay word, the range before it or its own line says so; field: the text is a
 * pay field ("$120K - $150K" on its own), whose figures need no pay word. */
size_t pay_parse_text_all(const char *text, size_t len, const char *location, bool field,
			  struct pay_text_range *out, size_t max);
/* Read a period word of any source's vocabulary ("year", "YEAR", "per-year-salary", "1 HOUR",
 * "HOURLY", "annually" …); PAY_PERIOD_NONE when unknown. */
enum pay_period pay_period_parse(const char *word);
/* "hour", "day", "week", "month", "year", or NULL for PAY_PERIOD_NONE. */
const char *pay_period_name(enum pay_period period);
/* The yearly equivalent of amount paid per period; NAN for an unknown period. */
double pay_yearly(double amount, enum pay_period period);
/* "USD 300000-900000/year", "EUR -60000/year" (up to), "GBP 40000-/year" (from); "" when unset. */
void pay_format(const struct pay *p, char *out, size_t outlen);

#endif
