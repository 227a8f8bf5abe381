/* posting.c - the normalized posting list that adapters fill and the store applies. */
#include "posting.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

struct posting *posting_list_add(struct posting_list *l)
{
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->items = xreallocarray(l->items, l->cap, sizeof(*l->items));
	}
	struct posting *p = &l->items[l->len++];
	memset(p, 0, sizeof(*p));
	pay_clear(&p->pay);
	return p;
}

void posting_list_pop(struct posting_list *l)
{
	if (l->len == 0)
		return;
	posting_free_fields(&l->items[--l->len]);
	if (l->len < l->marks_cap) { /* a posting added in its place is marked afresh */
		if (l->input_fp)
			l->input_fp[l->len] = 0;
		if (l->later_item)
			l->later_item[l->len] = 0;
	}
	if (l->indexed > l->len) { /* it was in the index: build it again when asked */
		memset(l->index, 0, l->index_cap * sizeof(*l->index));
		l->indexed = 0;
	}
}

/* FNV-1a: ids are short and come from the page, which cannot see the hash's use. Collisions
 * only cost a longer probe, never a wrong answer. */
static size_t posting_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

static void posting_index_put(struct posting_list *l, size_t i)
{
	size_t mask = l->index_cap - 1;
	size_t slot = posting_hash(l->items[i].external_id) & mask;

	while (l->index[slot] != 0)
		slot = (slot + 1) & mask;
	l->index[slot] = i + 1;
}

/* Bring the index up to every item, growing it to stay at most half full. */
static void posting_index_update(struct posting_list *l)
{
	if (2 * (l->len + 1) > l->index_cap) {
		size_t cap = l->index_cap ? l->index_cap : 64;
		while (2 * (l->len + 1) > cap)
			cap *= 2;
		free(l->index);
		l->index = xcalloc(cap, sizeof(*l->index));
		l->index_cap = cap;
		l->indexed = 0;
	}
	for (; l->indexed < l->len; l->indexed++)
		if (l->items[l->indexed].external_id)
			posting_index_put(l, l->indexed);
}

struct posting *posting_list_find(const struct posting_list *l, const char *external_id)
{
	struct posting_list *m = (struct posting_list *)l; /* the index is a cache */

	if (l->len == 0)
		return NULL;
	posting_index_update(m);
	size_t mask = m->index_cap - 1;
	for (size_t slot = posting_hash(external_id) & mask; m->index[slot] != 0;
	     slot = (slot + 1) & mask) {
		struct posting *p = &m->items[m->index[slot] - 1];
		if (p->external_id && strcmp(p->external_id, external_id) == 0)
			return p;
	}
	return NULL;
}

/* The lower (upper) of two bounds where a missing one ("up to", "from") yields to the other. */
static double bound_min(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : (b < a ? b : a);
}

static double bound_max(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : (b > a ? b : a);
}

void posting_add_range(struct posting *p, const char *label, const struct pay *pay)
{
	if (!pay_is_set(pay))
		return;
	p->ranges = xreallocarray(p->ranges, p->nranges + 1, sizeof(*p->ranges));
	p->ranges[p->nranges].label = label && *label ? xstrdup(label) : NULL;
	p->ranges[p->nranges].pay = *pay;
	if (p->nranges++ == 0) {
		p->pay = *pay;
		return;
	}
	/* the summary is the envelope of the ranges in the first one's currency and period;
	 * a range in another currency or period stays a row of its own */
	if (strcmp(pay->currency, p->pay.currency) != 0 || pay->period != p->pay.period)
		return;
	p->pay.min = bound_min(p->pay.min, pay->min);
	p->pay.max = bound_max(p->pay.max, pay->max);
	p->pay.period_inferred = p->pay.period_inferred && pay->period_inferred;
}

char *posting_pay_ranges_text(const struct posting *p)
{
	char one[128];
	struct buf b = BUF_INIT;

	if (p->nranges <= 1) {
		if (!pay_is_set(&p->pay))
			return NULL;
		pay_format(&p->pay, one, sizeof(one));
		return xstrdup(one);
	}
	for (size_t i = 0; i < p->nranges; i++) {
		pay_format(&p->ranges[i].pay, one, sizeof(one));
		if (i > 0)
			buf_puts(&b, "; ");
		if (p->ranges[i].label) {
			buf_puts(&b, p->ranges[i].label);
			buf_puts(&b, ": ");
		}
		buf_puts(&b, one);
	}
	return buf_steal(&b);
}

void posting_take_detail(struct posting *p, struct posting *d)
{
	for (size_t i = 0; i < p->nranges; i++)
		free(p->ranges[i].label);
	free(p->ranges);
	free(p->pay_text);
	p->ranges = d->ranges;
	p->nranges = d->nranges;
	p->pay = d->pay;
	p->pay_text = d->pay_text;
	memcpy(p->digest, d->digest, sizeof(p->digest));
	if (p->department == NULL) {
		p->department = d->department;
		d->department = NULL;
	}
	if (p->location == NULL) {
		p->location = d->location;
		d->location = NULL;
	}
	d->ranges = NULL;
	d->nranges = 0;
	d->pay_text = NULL;
	posting_free_fields(d);
}

void posting_free_fields(struct posting *p)
{
	for (size_t i = 0; i < p->nranges; i++)
		free(p->ranges[i].label);
	free(p->ranges);
	free(p->external_id);
	free(p->title);
	free(p->department);
	free(p->location);
	free(p->url);
	free(p->pay_text);
	free(p->detail_ref);
	free(p->detail_key);
	memset(p, 0, sizeof(*p));
}

/* Room in the mark arrays for every posting, each new entry 0; later_item is made only once
 * a settled posting needs it (a first poll's list never does). */
static void posting_marks_grow(struct posting_list *l, bool later_item)
{
	size_t cap = l->cap, old = l->marks_cap;

	if (cap > old) {
		l->input_fp = xreallocarray(l->input_fp, cap, sizeof(*l->input_fp));
		memset(l->input_fp + old, 0, (cap - old) * sizeof(*l->input_fp));
		if (l->later_item) {
			l->later_item = xreallocarray(l->later_item, cap, sizeof(*l->later_item));
			memset(l->later_item + old, 0, (cap - old) * sizeof(*l->later_item));
		}
		l->marks_cap = cap;
	}
	if (later_item && l->later_item == NULL)
		l->later_item = xcalloc(l->marks_cap, sizeof(*l->later_item));
}

void posting_list_mark(struct posting_list *l, size_t from, uint64_t fp, size_t later_item)
{
	if (from >= l->len)
		return;
	posting_marks_grow(l, later_item != 0);
	for (size_t i = from; i < l->len; i++) {
		l->input_fp[i] = fp;
		if (l->later_item)
			l->later_item[i] = later_item;
	}
}

uint64_t posting_list_input_fp(const struct posting_list *l, size_t i)
{
	return l && i < l->marks_cap ? l->input_fp[i] : 0;
}

size_t posting_list_later_item(const struct posting_list *l, size_t i)
{
	return l && l->later_item && i < l->marks_cap ? l->later_item[i] : 0;
}

size_t posting_list_settle(struct posting_list *l, bool (*keep)(void *ctx, uint64_t fp, size_t i),
			   void *ctx)
{
	struct posting_later *later = l->later;
	size_t kept = 0;

	if (later == NULL)
		return 0;
	l->later = NULL;
	for (size_t i = 0; i < later->n; i++) {
		if (keep && keep(ctx, later->fp[i], i))
			kept++;
		else
			later->parse(later, i, l);
	}
	later->free(later);
	return kept;
}

void posting_list_clear(struct posting_list *l)
{
	if (l->later)
		l->later->free(l->later);
	for (size_t i = 0; i < l->len; i++)
		posting_free_fields(&l->items[i]);
	free(l->items);
	free(l->index);
	free(l->input_fp);
	free(l->later_item);
	memset(l, 0, sizeof(*l));
}
