/* source_common.h - helpers the adapters share: JSON getters that never trust a type, text
 * cleaning, envelope error messages, tracking-parameter stripping, pay from text, digests.
 * Pure like the adapters: no I/O, no logging. */
#ifndef JOBWATCH_SOURCE_COMMON_H
#define JOBWATCH_SOURCE_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "jv.h"

#include "posting.h"
#include "source.h"

/* The adapters, for the registry in source.c. */
extern const struct source_adapter source_eightfold;
extern const struct source_adapter source_ashby;
extern const struct source_adapter source_greenhouse;
extern const struct source_adapter source_html;
extern const struct source_adapter source_lever;
extern const struct source_adapter source_workday;
extern const struct source_adapter source_jsonld;
extern const struct source_adapter source_bamboohr;
extern const struct source_adapter source_personio;
extern const struct source_adapter source_teamtailor;
extern const struct source_adapter source_workable;

extern const struct source_adapter source_recruitee;
extern const struct source_adapter source_smartrecruiters;

/* Parse body as JSON (any top-level value); NULL and err naming what was found otherwise.
 * expected says what the source should have sent ("a JSON array of postings"). */
struct jv *source_json_load(const char *body, size_t len, const char *expected, char *err,
			    size_t errlen);
/* "an object", "an array", "a string", … for error messages. */
const char *source_json_kind(const struct jv *v);
/* The string at key of obj; NULL when obj is no object, key is absent or not a string. */
const char *source_json_str(const struct jv *obj, const char *key);
/* The object at key of obj, or NULL. */
struct jv *source_json_obj(const struct jv *obj, const char *key);
/* A string or integer id as a new trimmed string; NULL when v is neither or is empty. */
char *source_json_id(const struct jv *v);
/* A number, or a string holding one amount ("$120,000", "95000.50 USD"), into out. */
bool source_json_amount(const struct jv *v, double *out);
/* The most of a title, department, location or link that is read from a page: what the store
 * keeps of it. A field is cut where it is read, so that a walk of 200 pages of 500 KB titles
 * holds 200 pages of 4 KB ones; and a list of places stops growing there, so that 50,000
 * offices of one position cost neither a location of megabytes nor a scan of it for each. */
#define SOURCE_MAX_TEXT 4096

/* s trimmed with inner runs of blanks (NBSP and newlines too) folded to one space, and cut
 * to SOURCE_MAX_TEXT bytes (whole UTF-8 characters); NULL when s is NULL or nothing is
 * left. */
char *source_clean(const char *s);
/* s entity-unescaped once ("R&amp;D" is "R&D", as JSON-LD text often is), then cleaned
 * (source_clean); NULL when s is NULL or nothing is left. */
char *source_clean_unescaped(const char *s);
/* A string, or a schema.org object's name ({"@type": "Country", "name": "US"}); NULL when v
 * is neither. */
const char *source_json_name(const struct jv *v);
/* part cleaned (source_clean) and appended to b, after sep when b holds something already;
 * nothing when nothing is left of it, or b holds SOURCE_MAX_TEXT bytes already. For
 * "City, Region, Country" built from fields. */
void source_join(struct buf *b, const char *part, const char *sep);
/* Each string of the array arr (or, key not NULL, each object's string at key) joined to b
 * by sep as source_join does: "Munich; Berlin" of ["Munich", "Berlin"]. */
void source_join_each(struct buf *b, const struct jv *arr, const char *key, const char *sep);
/* part appended to the sep-separated list in b unless the list holds it already or
 * SOURCE_MAX_TEXT bytes already: "Munich; Berlin". */
void source_add_unique(struct buf *b, const char *part, const char *sep);
/* Plain text with blanks folded per line and empty lines dropped; never NULL. */
char *source_fold_text(const char *s, size_t len);
/* Copy a currency code upper-cased into out (4 bytes); "" unless it is three letters. */
void source_set_currency(char out[4], const char *code);
/* url without tracking parameters (common.c's table: utm_*, gclid, gh_src, lever-source,
 * trk, _hsenc, mc_cid …); NULL for NULL. */
char *source_url_strip_tracking(const char *url);
/* The keys of a pay object's fields; a NULL key is not read. */
struct source_pay_keys {
	const char *min, *max, *currency, *period;
};
/* A range from the fields of obj at keys: amounts (numbers, or strings holding one), a
 * currency code and a period word ("year", "YEARLY", "per hour"); pay->source is source.
 * False when it states neither amount (obj NULL or no object included). */
bool source_pay_fields(const struct jv *obj, const struct source_pay_keys *keys, const char *source,
		       struct pay *pay);
/* Set p->digest from the description text; "" when there is none. */
void source_set_digest(struct posting *p, const char *text);
/* Run the pay parser on text with p->location and add every base-pay range it states, with
 * its label, to p (source named src_name; p->pay becomes their envelope, see
 * posting_add_range); p->pay_text is the ranges as written, joined by "; ". A src_name other
 * than "text" names a source's pay element, whose figures need no pay word around them.
 * True when a range was found. */
bool source_pay_from_text(struct posting *p, const char *text, const char *src_name);
/* Read html as p's description: its text's digest and, unless structured fields gave p
 * pay already, the pay that text states. NULL or "" is no description. */
void source_set_description(struct posting *p, const char *html);
/* "scheme://host[:port]" of url, for links a source builds from its own host; NULL when url
 * has no scheme or host. */
char *source_url_origin(const char *url);
/* The array at key of root, the envelope of a list API; NULL and err naming what came instead
 * (not an object, key holding something else, or the keys that were there). */
struct jv *source_json_envelope(const struct jv *root, const char *key, const char *expected,
				char *err, size_t errlen);
/* What a one-page list API sends: the array at key of a JSON object, or (key NULL) the body
 * itself an array. */
struct source_json_list {
	const char *key;
	const char *expected; /* what the source should have sent: "a JSON object with \"jobs\"" */
	/* What a JSON object that is no such list is instead ("an error: Not found"), written
	 * into what; false when it says nothing known. May be NULL. */
	bool (*says)(const struct jv *root, char *what, size_t len);
	/* One item of the array: add to out what it reads; ctx is source_json_each's. */
	void (*each)(const struct jv *item, void *ctx, struct posting_list *out);
	/* each reads an item alone (no ctx, nothing of another item, no posting but its own):
	 * what it makes of an item depends only on the item's tree and this build. Such items
	 * are fingerprinted, and when out->later_ok they are left for posting_list_settle, so
	 * that those stored as they are never get parsed. */
	bool alone;
};
/* The postings of a one-page list API: body parsed and each item of its list handed to
 * list->each (or, for a list->alone, left to posting_list_settle when out->later_ok). -1 and err
 * when the body is no such list, saying what came instead (its kind, what its key holds, what
 * list->says, or the keys of an object without it). */
int source_json_each(const struct source_json_list *list, const char *body, size_t len, void *ctx,
		     struct posting_list *out, char *err, size_t errlen);
/* A new posting of out with id and title (both taken over), or NULL and a drop counted when
 * either is missing: a row without them can be neither followed nor read. */
struct posting *source_posting_add(struct posting_list *out, char *id, char *title);
/* source_posting_add for a list that may name a posting twice (pages that overlap, a feed
 * that repeats a position): NULL too, with id and title freed and no drop counted, when out
 * holds id already; *seen is then that posting (NULL otherwise), the first being kept. */
struct posting *source_posting_add_once(struct posting_list *out, char *id, char *title,
					struct posting **seen);
/* s percent-encoded for one path segment or query value (RFC 3986 unreserved kept, and
 * "%XX" escapes already there); never NULL. */
char *source_url_escape(const char *s);
/* The request of a one-page source: the configured URL as given. */
int source_first_url(const struct source_target *src, struct source_walk *w,
		     struct source_request *req, char *err, size_t errlen);

#endif
