/* source.h - the adapter interface. An adapter is pure: bytes of one page in, postings out,
 * plus the request for the next page. No I/O, no logging: errors go to err. */
#ifndef JOBWATCH_SOURCE_H
#define JOBWATCH_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "posting.h"

struct url_parts;

/* The type of a source whose system is found from its URL, or else from its page. */
#define SOURCE_TYPE_AUTO "auto"

/* Hard ceiling on the pages of one poll, whatever total a source claims. */
#define SOURCE_MAX_PAGES_DEFAULT 200

/* What an adapter reads of a source: its type and the URL to poll and, for type html, the
 * XPath expressions (the others relative to item; NULL: the default or none), which its
 * registry entry declares as config keys. The strings are borrowed from the caller (the
 * config, the loop's detection, a test). */
struct source_target {
	const char *type;
	const char *url;
	const char *xpath_item;
	const char *xpath_title;
	const char *xpath_link;
	const char *xpath_location;
	const char *xpath_department;
	const char *xpath_pay;
	const char *xpath_id; /* NULL: the canonical link is the id */
	bool allow_empty;     /* item matching nothing is an empty board, not an error */
};

struct source_request {
	char *url;
	char *body;	    /* POST body, or NULL for GET */
	char *content_type; /* of body, or NULL */
	char *accept;	    /* Accept header, or NULL */
};

/* Paging state of one poll; zeroed by source_walk_init before the first page. */
struct source_walk {
	const char *page_url; /* URL of the page being parsed (for relative links) */
	int pages;	      /* pages parsed so far in this poll (the loop counts) */
	long offset;	      /* next offset for offset/limit APIs */
	long total;	      /* total the first page claimed; -1 unknown */
	bool ceiling;	      /* the walk stopped at the page ceiling */
	int max_pages;
	long seen;	   /* postings the pages so far returned (offset APIs) */
	char last_key[65]; /* adapter's mark of the previous page, to see a repeated page */
	/* Why the walk ended before the source's own end (a page repeated, the ceiling): what
	 * it read is stored, but it closes nothing and counts no miss. "" for a whole walk. */
	char incomplete[200];
};

/* A config key of a source that only some types read. Its adapter declares it; the config
 * loader refuses it on a source of another type, checks its value and puts it at offset in
 * the source's struct source_target. */
enum source_key_kind {
	SOURCE_KEY_STRING, /* a const char * in the target */
	SOURCE_KEY_BOOL,   /* a bool in the target: true or false */
};

struct source_key {
	const char *name;
	enum source_key_kind kind;
	size_t offset; /* of its field in struct source_target */
	/* Required: what the value is, for the message naming it missing ("an XPath expression
	 * that …"); NULL: optional. */
	const char *needs;
	/* A string's check: false and err (what is wrong, without the value) when the value is
	 * not usable; what says what a value is, for that message ("XPath"). NULL: any
	 * string. */
	bool (*check)(const char *value, char *err, size_t errlen);
	const char *what;
};

struct source_adapter {
	const char *type;
	/* The config keys only this type reads, up to one with a NULL name; NULL: none. */
	const struct source_key *keys;
	/* The public API URL of a board name: before, the name percent-encoded, after; NULL when
	 * the type has no board form. */
	struct {
		const char *before, *after;
	} board;
	/* Recognise one of this system's careers or API URLs (u is url split): true, with
	 * *api_url the URL to poll (a copy, possibly url itself). NULL for a type that has no
	 * URL of its own (html, jsonld). */
	bool (*recognise)(const char *url, const struct url_parts *u, char **api_url);
	/* Where its API URLs name the board, for a short source name: the seg-th path segment
	 * (from 1: "acme" of /v1/boards/acme/jobs is the 3rd), else the value of query parameter
	 * param up to its first dot (a domain); 0 and NULL: the host names it. */
	struct {
		int seg;
		const char *param;
	} name;
	/* Build the first request of a poll. */
	int (*first)(const struct source_target *src, struct source_walk *w,
		     struct source_request *req, char *err, size_t errlen);
	/* Parse one page: append its postings to out (which holds the poll's earlier pages) and,
	 * when another page is due, fill next (next->url non-NULL). -1 and err on a wrong
	 * envelope; a malformed posting is dropped and counted in out->dropped. */
	int (*parse)(const struct source_target *src, struct source_walk *w, const char *body,
		     size_t len, struct posting_list *out, struct source_request *next, char *err,
		     size_t errlen);
	/* Detail reads, for a type whose list rows may lack the description (NULL otherwise).
	 * detail_request builds the request for one posting's own page from its external_id and
	 * the detail_ref its list row set, on the configured URL's scheme, host and port.
	 * detail_parse reads that page into out (zeroed, with cleared pay): the description's
	 * digest, every stated pay range, and department and location when it gives them. -1
	 * and err when the body is not a detail of this type. */
	int (*detail_request)(const struct source_target *src, const char *external_id,
			      const char *detail_ref, struct source_request *req, char *err,
			      size_t errlen);
	int (*detail_parse)(const struct source_target *src, const char *body, size_t len,
			    struct posting *out, char *err, size_t errlen);
	/* The first page of a walk was refused (any status) with body: when the tenant says
	 * this interface is not the one it serves, the URL of the one it does (a copy), to poll
	 * from now on; NULL otherwise. May be NULL. */
	char *(*refused)(const struct source_target *src, const char *body, size_t len);
};

/* What a type html source reads when title or link is not configured: the first link of the
 * item (or the item itself when it is a link), its text and its href. */
#define SOURCE_HTML_TITLE_DEFAULT "descendant-or-self::a[@href]"
#define SOURCE_HTML_LINK_DEFAULT  "descendant-or-self::a/@href"

/* The adapter for a type name, or NULL. */
const struct source_adapter *source_adapter_find(const char *type);
/* Every known type name, NULL-terminated. */
const char *const *source_types(void);
/* What one page of a walk says about the walk. */
enum source_step {
	SOURCE_STEP_ERROR, /* the page could not be read: err says why; the poll fails */
	SOURCE_STEP_END,   /* the walk is over: whole, or partial when w->incomplete says why */
	SOURCE_STEP_NEXT,  /* *next is the request for the next page */
};
/* One step of every walk (the loop's, --probe's, the fuzzers'): a's parse of the page at
 * w->page_url into out, the page counted, and the ceiling of w->max_pages applied (a walk
 * stopped there is partial). On END and ERROR *next holds nothing. */
enum source_step source_walk_step(const struct source_adapter *a, const struct source_target *src,
				  struct source_walk *w, const char *body, size_t len,
				  struct posting_list *out, struct source_request *next, char *err,
				  size_t errlen);
/* Reset w for a new poll. */
void source_walk_init(struct source_walk *w, int max_pages);
/* Build the public API URL of a board name for type; NULL when the type has no board form. */
char *source_board_url(const char *type, const char *board);
/* "greenhouse, lever, …" for messages. */
const char *source_type_list(void);
/* Every config key some adapter declares, once, in the registry's order; NULL-terminated. */
const char *const *source_key_names(void);
/* a's declaration of the config key name, or NULL (also when a is NULL). */
const struct source_key *source_adapter_key(const struct source_adapter *a, const char *name);
/* Check one XPath expression of a type html source by compiling it and running it on a small
 * page; selects_nodes: it must give a node-set (item). False and err (without the expression)
 * when it is not usable. The html adapter's key checks call it. */
bool source_html_xpath_check(const char *expr, bool selects_nodes, char *err, size_t errlen);
/* Free the strings of a request and zero it. */
void source_request_clear(struct source_request *r);

#endif
