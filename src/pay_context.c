/* pay_context.c - is a candidate pay? The words around it decide: a pay word or pay verb
 * before it (or right after it), the range kept just before it, its own line; and the guards
 * that refuse money that is not pay (funding, benefits, bonus, perks, what customers pay, an
 * add-on to the range before). Then its period and currency, and the range it states. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pay_int.h"

#define TEXT_BACK_WINDOW   120 /* how far back pay words may stand ("The pay range … is") */
#define TEXT_GOVERN_WINDOW 250 /* how far a kept range's pay context carries to the next */
#define TEXT_ADD_ON_GAP	   60  /* "… plus £3,000 …": how near an add-on follows its range */

/* "Compensation & Benefits: $X": a word that says "not pay" joined to a pay word by "and"
 * names one heading with it, and does not speak against the amount. */
static bool joined_to_pay_word(const char *s, size_t len, size_t pay_end, size_t start)
{
	static const char *const joins[] = {"&", "and", "/", "+", "und", "et", "y", "e"};
	size_t j = skip_spaces(s, len, pay_end, 3), n;

	if (pay_end == 0 || pay_end > start)
		return false;
	n = match_any(s, len, j, joins, COUNT(joins));
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
	return span_is_any(s, len, w, p, heads, COUNT(heads));
}

/* Does a word right after m say it is something else? The first word after it speaks for it:
 * "1.230,00 € Zusätzliches Gehaltsextra" is pay followed by a perk, "$1,500 home office
 * stipend" a perk. After a pay word and a period phrase that closes the amount ("Vergütung
 * von 7.000-15.000 EUR pro Monat Faire Provision"), a new item may begin. */
static bool not_pay_after(const char *s, size_t len, const struct text_match *m, bool pay_before)
{
	struct text_hit after, pos;
	size_t per_end = 0;
	bool half = false;

	pay_first_word_after(s, len, m->end, 32, &pay_other_words, &after);
	if (after.end == 0)
		pay_first_word_after(s, len, m->end, 32, &pay_other_words_after, &after);
	if (after.end == 0)
		return false;
	pay_first_word_after(s, len, m->end, 32, &pay_words, &pos);
	if (pos.end && pos.start < after.start)
		return false;
	/* "Salary: $150,000 - $180,000 Bonus: $10,000": the word labels the next item */
	if (pay_before && is_upper((unsigned char)s[after.start]) &&
	    skip_spaces(s, len, m->end, 3) == after.start && pay_next_item(s, len, m->end))
		return false;
	if (!pay_before || pay_period_after(s, len, m->end, &per_end, &half) == PAY_PERIOD_NONE ||
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

	if (!pay_has_money_mark(&m->lo) || m->lo.mult >= 1000000)
		return false; /* "has paid $3M in dividends" */
	pay_last_word(s, len, from, m->start, &pay_verbs, &v);
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
	return span_is_any(s, len, b, e, others_paying, COUNT(others_paying));
}

/* Words between a multiplier and the pay word it multiplies: "2x annual salary", "twice your
 * base salary", "1.5 times the employee's basic salary". */
static const char *const multiplied_words[] = {"annual", "base",  "basic",	"yearly", "your",
					       "the",	 "their", "employee's", "of"};

/* Is the pay word at h a multiple's base ("Life insurance of 2x annual salary up to
 * $500,000"): the figure after it caps a benefit, and states no pay? */
static bool salary_multiplied(const char *s, size_t len, const struct text_hit *h)
{
	size_t e = skip_spaces_back(s, h->start, 3);

	for (int words = 0; words < 3 && e > 0; words++) {
		size_t b = e;
		while (b > 0 && (is_alpha((unsigned char)s[b - 1]) || s[b - 1] == '\''))
			b--;
		if (!span_is_any(s, len, b, e, multiplied_words, COUNT(multiplied_words)))
			break;
		e = skip_spaces_back(s, b, 3);
	}
	/* "2x", "2 x", "1.5 times", "twice" */
	if (e >= 5 && match_ci(s, len, e - 5, "twice") == 5)
		return true;
	if (e >= 5 && match_ci(s, len, e - 5, "times") == 5)
		e = skip_spaces_back(s, e - 5, 3);
	else if (e >= 1 && (s[e - 1] == 'x' || s[e - 1] == 'X'))
		e = skip_spaces_back(s, e - 1, 3);
	else
		return false;
	return e > 0 && is_digit((unsigned char)s[e - 1]);
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
	pay_last_word(s, len, back, m->start, &pay_words, &pos);
	/* a verb counts where it stands nearer than the pay word found */
	bool verb = (pos.end == 0 || pos.end + TEXT_VERB_GAP < m->start) &&
		    pay_verb_before(s, len, m, &pos);
	if ((pos.end && (paid_by_others(s, len, &pos) || salary_multiplied(s, len, &pos))) ||
	    not_pay_after(s, len, m, pos.end != 0)) {
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
	pay_last_word(s, len, line, m->start, &pay_other_words, &neg);
	if (!(neg.end && neg.end >= pos.end))
		pay_last_word(s, len, line, m->start, &pay_other_words_before, &neg);
	if (neg.end && neg.end >= pos.end && !joined_to_pay_word(s, len, pos.end, neg.start)) {
		cx->not_pay = true;
		return;
	}
	if (pos.end == 0)
		pay_first_word_after(s, len, m->end, 32, &pay_words, &pos);
	if (pos.end) {
		cx->pay_word = true;
		cx->cls = verb ? WORD_BASE : pay_word_class(pay_words.w[pos.which].w);
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
				   bool pay_word, size_t *per_end, bool *half)
{
	const char *s = sc->s;
	enum pay_period per = m->lo_period;

	if (per == PAY_PERIOD_NONE)
		per = pay_period_after(s, sc->len, m->end, per_end, half);
	if (per == PAY_PERIOD_NONE) {
		size_t sibling_end; /* the siblings are ranges of their own: not this one's span */
		per = pay_period_after_siblings(s, sc->len, m->end, &sibling_end, half);
	}
	if (per == PAY_PERIOD_NONE)
		per = m->lo.lpa;
	if (per == PAY_PERIOD_NONE && pay_word)
		per = pay_period_before(s, sc->len, m->start > 60 ? m->start - 60 : 0, m->start);
	return per;
}

/* Is m pay, by the words around it? */
static bool is_pay(const struct text_scan *sc, const struct text_match *m,
		   const struct text_context *cx, enum pay_period written, size_t span_end)
{
	const struct text_amount *a = &m->lo;
	bool money = pay_has_money_mark(a);

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
		pay_label_line(sc->s, sc->len, m, span_end));
}

/* Units a rate is paid by that are not time: piece rates, per-case and per-shift pay. */
static const char *const rate_units[] = {
    "mile",    "miles",	  "km",		"kilometer", "kilometre", "project",  "task",
    "word",    "words",	  "piece",	"unit",	     "item",	  "delivery", "visit",
    "session", "lesson",  "class",	"call",	     "case",	  "article",  "page",
    "video",   "event",	  "assignment", "ride",	     "trip",	  "load",     "stop",
    "patient", "student", "shift",	"placement", "hire",	  "referral", "sale",
};

/* Is the amount ending at p paid per a unit that is not a period: "per mile", "/ project",
 * "per 1,000 words"? (A period after it was looked for first.) */
static bool per_unit_after(const char *s, size_t len, size_t p)
{
	size_t j = skip_spaces(s, len, p, 3), n = 0;

	if (j < len && s[j] == '/')
		n = 1;
	else
		n = match_word(s, len, j, "per");
	if (n == 0)
		return false;
	j = skip_spaces(s, len, j + n, 3);
	/* "per 1,000 words" */
	return (j < len && is_digit((unsigned char)s[j])) ||
	       match_any(s, len, j, rate_units, COUNT(rate_units)) > 0;
}

/* Decide whether m is a stated pay range and fill out. */
bool pay_judge(struct text_scan *sc, struct text_match *m, struct pay *out, size_t *span_end,
	       struct text_context *cx)
{
	const struct text_amount *a = &m->lo;
	size_t per_end = m->end;
	bool half = false;
	enum pay_period per;
	int side = 0;

	/* a bare number is money only when a multiplier or grouping says so */
	if (!pay_has_money_mark(a) && !a->kilo && !a->lakh && !(a->grouped && a->value >= 1000))
		return false;
	read_context(sc, m, cx);
	if (cx->not_pay)
		return false;
	/* a bare number with no currency and no pay label is never pay */
	if (!pay_has_money_mark(a) && !cx->pay_word && !sc->field)
		return false;
	per = read_period(sc, m, cx->pay_word || sc->field, &per_end, &half);
	*span_end = per_end > m->end ? per_end : m->end;
	if (!is_pay(sc, m, cx, per, *span_end))
		return false;
	if (!m->range) {
		side = pay_side_before(sc->s, sc->len, m->start);
		if (side == 0 && a->plus)
			side = 1;
	}
	pay_clear(out);
	out->min = side < 0 ? NAN : a->value;
	out->max = side > 0 ? NAN : (m->range ? m->hi.value : a->value);
	if (half) { /* every two weeks: half per week; twice a month: twice per month */
		double f = per == PAY_PERIOD_MONTH ? 2 : 0.5;
		out->min *= f;
		out->max *= f;
	}
	memcpy(out->currency, a->currency, sizeof(out->currency));
	if (!out->currency[0]) {
		const char *iso = pay_text_currency(sc, m);
		if (iso != NULL)
			memcpy(out->currency, iso, 4);
	}
	out->period = per;
	if (per == PAY_PERIOD_NONE && per_unit_after(sc->s, sc->len, *span_end)) {
		/* "$0.50 per mile", "$1,000 per project": a rate of something else than time,
		 * kept without a period rather than given one its size suggests */
	} else if (per == PAY_PERIOD_NONE) {
		double v = m->range ? m->hi.value : a->value;
		out->period = v < 200	  ? PAY_PERIOD_HOUR
			      : v < 20000 ? PAY_PERIOD_MONTH
					  : PAY_PERIOD_YEAR;
		out->period_inferred = true;
	}
	snprintf(out->source, sizeof(out->source), "text");
	return true;
}
