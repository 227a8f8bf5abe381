/* posting.h - the normalized posting every adapter produces, and a growable list of them. */
#ifndef JOBWATCH_POSTING_H
#define JOBWATCH_POSTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "pay.h"

/* One range a posting states: a tier, a location's range, a component. */
struct pay_range {
	char *label; /* "US Salary Range", "Zone A", "Salary" …; NULL when unnamed */
	struct pay pay;
};

struct posting {
	char *external_id; /* the source's stable id; else the canonical link */
	char *title;
	char *department; /* NULL when the source has none */
	char *location;
	char *url;
	struct pay pay;		  /* the summary: the envelope of the ranges in the first
				   * range's currency and period; cleared when none */
	char *pay_text;		  /* pay as written, or NULL */
	struct pay_range *ranges; /* every range stated, in order */
	size_t nranges;
	char digest[DIGEST_HEX_LEN + 1]; /* SHA-256 of the description text, "" when none */
	/* Set by a list row that lacks the description: what its adapter needs to ask for the
	 * posting's own page (detail_request), whose answer gives the description, the pay and
	 * what else the list lacks. Until that is read the posting's pay is unknown, and the
	 * store keeps what an earlier detail said instead of this row's empty fields. */
	char *detail_ref;
	/* The list row's mark of a change (Eightfold's t_update …): when it moves, the detail is
	 * read again. NULL when the list gives none. */
	char *detail_key;
};

struct posting_list;

/* Items of a list an adapter has not parsed yet (source_json_each when the list's later_ok):
 * the store settles them once it has read which items its postings were stored from, and
 * parses only the others (posting_list_settle). */
struct posting_later {
	size_t n;
	size_t bytes;	    /* what it holds in memory, about: its body's length */
	const uint64_t *fp; /* each item's input fingerprint */
	/* Parse item i into l, marking its postings with fp[i] and i (posting_list_mark). */
	void (*parse)(struct posting_later *later, size_t i, struct posting_list *l);
	void (*free)(struct posting_later *later);
};

struct posting_list {
	struct posting *items;
	size_t len;
	size_t cap;
	size_t dropped; /* malformed postings skipped by the adapter */
	/* posting_list_find's hash of external ids: slots hold an item's index + 1 (0: empty);
	 * items[0..indexed) are in it. Built as it is asked, since adapters set an id after
	 * posting_list_add. */
	size_t *index;
	size_t index_cap; /* a power of two, or 0 */
	size_t indexed;
	/* The poll's store can tell which items it holds as they are (a source polled
	 * completely before): an adapter may leave them in later rather than parse them now. */
	bool later_ok;
	struct posting_later *later; /* NULL when every item is parsed */
	/* posting_list_mark's, parallel to items and NULL until a posting is marked: kept apart
	 * so that a list of an adapter that marks nothing (100,000 Eightfold positions) costs
	 * nothing more a posting. */
	uint64_t *input_fp;
	size_t *later_item;
	size_t marks_cap;
};

/* Append a zeroed posting with cleared pay and return it; the list owns its strings. */
struct posting *posting_list_add(struct posting_list *l);
/* Drop the last posting (after a parse error half-way through it). */
void posting_list_pop(struct posting_list *l);
/* Find a posting by external id; NULL when absent. Hashed: an adapter that checks every row
 * of a page of 100,000 against those before it costs 100,000 look-ups, not 5 billion. */
struct posting *posting_list_find(const struct posting_list *l, const char *external_id);
/* Mark the postings [from, l->len) as read from a list item whose fingerprint is fp (0: none)
 * and, when posting_list_settle parsed it, which item of later that was (1 + its place; 0:
 * parsed at once). */
void posting_list_mark(struct posting_list *l, size_t from, uint64_t fp, size_t later_item);
/* Posting i's marks: its item's fingerprint, and its later item; 0 when it has none. */
uint64_t posting_list_input_fp(const struct posting_list *l, size_t i);
size_t posting_list_later_item(const struct posting_list *l, size_t i);
/* Parse the items l->later holds, in order, but those keep(ctx, fp, i) says are stored as they
 * are (keep NULL: none); l->later is NULL after. Returns how many were kept. */
size_t posting_list_settle(struct posting_list *l, bool (*keep)(void *ctx, uint64_t fp, size_t i),
			   void *ctx);
/* Free every posting and the array; the list is empty and reusable after. */
void posting_list_clear(struct posting_list *l);
/* Append a stated range (label may be NULL). The first one becomes p->pay; each later one
 * in the same currency and period widens p->pay to the envelope of them ("$190-237k; $165-206k"
 * is 165000-237000). Ranges without an amount are ignored. */
void posting_add_range(struct posting *p, const char *label, const struct pay *pay);
/* Every stated range as one text: pay_format() of a single range, "label: range; …" for
 * several (a range without a label is written bare); NULL when no pay is stated. A posting
 * whose pay came without posting_add_range counts as one unnamed range. Caller frees. */
char *posting_pay_ranges_text(const struct posting *p);
/* What a posting's detail d said, moved into p: the digest, every stated range (replacing
 * p's), and the department and location where p has none. d is left empty. */
void posting_take_detail(struct posting *p, struct posting *d);
/* Free the strings of one posting. */
void posting_free_fields(struct posting *p);

#endif
