/* store.h - the PostgreSQL history: connection, migrations, sources, and applying one poll's
 * snapshot in one transaction, set-wise, returning the events it caused. The only module that
 * links libpq. */
#ifndef JOBWATCH_STORE_H
#define JOBWATCH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "pay.h"
#include "posting.h"

struct store;

/* What the store remembers of a source between polls. */
struct store_source_state {
	int64_t id;
	char *etag; /* validators to replay, or NULL */
	char *last_modified;
	char *body_sha256; /* of the last complete poll's body(s), or NULL */
	bool has_baseline; /* a complete poll has been applied before */

	/* type auto: what its page was found to be (sources.detected_*), or NULL */
	char *detected_type;
	char *detected_url;
};

/* Outcome of one poll as the polls table records it. */
enum store_outcome {
	STORE_OUTCOME_COMPLETE,	 /* every page fetched and parsed; the diff ran */
	STORE_OUTCOME_UNCHANGED, /* 304 or the same body digest: misses counted on */
	STORE_OUTCOME_FAILED,	 /* changes no posting */
};

struct store_poll {
	int64_t source_id;
	int64_t started_ms; /* wall clock, ms since the epoch */
	int64_t finished_ms;
	int http_status; /* last status seen, 0 when none */
	enum store_outcome outcome;
	const char *error; /* why it failed, or NULL */
	const char *stop;  /* why paging stopped: "complete", "ceiling", "error" */
	int pages;
	size_t dropped;	  /* malformed postings skipped */
	const char *etag; /* validators and digest to remember, or NULL */
	const char *last_modified;
	const char *body_sha256;
};

struct store_opts {
	int close_after;
	double max_drop;
};

/* One event as the alert module needs it: the posting as it now is, and the change. */
struct store_event {
	enum event_kind kind;
	char *external_id;
	char *title;
	char *department;
	char *location;
	char *url;
	struct pay pay;
	char *old_value; /* for *_changed, else NULL */
	char *new_value;
};

struct store_events {
	struct store_event *items;
	size_t len;
	bool baseline; /* the source's first complete poll: stored, not alerted */
	bool suspect;  /* the board shrank past max_drop: nothing closed */
	size_t postings;
};

/* A store for conninfo; does not connect yet. */
struct store *store_new(const char *conninfo, const char *application_name);
/* Free the store and close its connection; NULL is a no-op. */
void store_free(struct store *s);
/* Connect if not connected (session set-up, prepared statements). 0 or -1. */
int store_connect(struct store *s);
/* True when the connection is up. */
bool store_connected(const struct store *s);
/* Apply the pending migrations of sql_dir under an advisory lock. 0 or -1. */
int store_migrate(struct store *s, const char *sql_dir);
/* Insert or update the sources rows of name/type/url and read back their state. */
int store_sync_source(struct store *s, const char *name, const char *type, const char *url,
		      struct store_source_state *state);
/* Remember what a type auto source's page was found to be (cleared by store_sync_source when
 * its configured type or url changes). */
int store_record_detection(struct store *s, int64_t source_id, const char *type, const char *url);
/* Record a failed poll: a polls row and nothing else. */
int store_record_failure(struct store *s, const struct store_poll *poll);
/* Apply a complete poll (outcome COMPLETE: postings is the whole board; UNCHANGED: postings is
 * ignored and the last snapshot counts again) in one transaction; fill ev with the events (ev
 * is emptied first: pass it zeroed or as a previous call left it). On any error the
 * transaction is rolled back, -1 is returned and nothing changed; a lost connection is then
 * marked down and store_connect makes a new one. */
int store_apply_snapshot(struct store *s, const struct store_poll *poll,
			 const struct posting_list *postings, const struct store_opts *opts,
			 struct store_events *ev);
/* Free the events' strings and empty ev. */
void store_events_clear(struct store_events *ev);
/* Free the strings of a state. */
void store_source_state_clear(struct store_source_state *st);

#endif
