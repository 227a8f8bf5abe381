/* pay.c - pay ranges: the value (clear, compare, annualise, the logfmt form) and the text
 * parser's entry, which walks a description and keeps the stated ranges. The parser's parts
 * live beside it: pay_amount.c (amounts and ranges as written), pay_period.c (period words),
 * pay_words.c (what money is, by the words near it), pay_context.c (is it pay),
 * pay_currency.c (currencies the figures do not name), pay_label.c (whom a range is for).
 * Pure: no I/O, no logging. */
#include "pay.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pay_int.h"
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

/* Amounts given a context look per call. A description states its pay among its first
 * few dozen amounts; the cap keeps a hostile text of "$1 $1 $1 …" from costing a context look
 * per three bytes, so the worst case stays near the speed of plain prose. */
#define TEXT_MAX_CANDIDATES 256
#define TEXT_RANGE_SPREAD   4 /* how far apart two ranges of one currency and period may be */

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

/* Keep m (judged pay as p) as all[sc->n] unless it repeats a range or does not belong with
 * the first; true when kept. */
static bool keep_range(struct text_scan *sc, const struct text_match *m, const struct pay *p,
		       const struct text_context *cx, size_t span_end, struct pay_text_range *all)
{
	struct pay_text_range *out = &all[sc->n];
	char label[sizeof(out->label)];

	bool strong;

	pay_range_label(sc->s, sc->len, m, span_end, label, sizeof(label), &strong);
	if (sc->n > 0 && sc->first_cls == WORD_TOTAL && cx->pay_word && cx->cls == WORD_BASE) {
		/* "OTE: $200,000 (50/50 split). Base: $100,000.": the base pay, stated after the
		 * total, is the pay; the totals before it go */
		sc->n = 0;
		out = &all[0];
	}
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
		if (i > 0 &&
		    (is_digit((unsigned char)text[i - 1]) || text[i - 1] == '.' ||
		     text[i - 1] == ',' ||
		     (letter_before(text, i) && !(i >= 3 && pay_iso_at(text, len, i - 3)))))
			continue;
		memset(&m, 0, sizeof(m));
		if (!pay_read_amount(text, len, i, &m.lo) || m.lo.mega)
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
		if (!pay_money_like(&m.lo) && !(pay_range_link(text, len, m.lo.end) > 0)) {
			i = m.lo.end > i ? m.lo.end - 1 : i;
			continue; /* a date, a count, a duration: no context work for it */
		}
		candidates++;
		pay_read_range(text, len, &m);
		if (pay_judge(&sc, &m, &p, &span_end, &cx)) {
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
			pay_sentence_label(text, len, k ? out[k - 1].off + out[k - 1].len : 0,
					   out[k].off, out[k].label, sizeof(out[k].label));
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
