/* store.h - the PostgreSQL history: connection, migrations, sources, and applying one poll's
 * snapshot in one transaction, set-wise, returning the events it caused. The only module that
 * links libpq. */
#ifndef JOBWATCH_STORE_H
#define JOBWATCH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
	/* health, from the sources row so that a restart keeps it */
	int failures_in_row;
	bool failing_reported; /* its source_failing event is written */
	bool stale_reported;   /* its source_stale event is written */
	int64_t complete_ms;   /* last complete poll (else when first synced), ms since the epoch */
	/* type auto: what its page was found to be (sources.detected_*), or NULL */
	char *detected_type;
	char *detected_url;
};

/* Outcome of one poll as the polls table records it. */
enum store_outcome {
	STORE_OUTCOME_COMPLETE,	 /* every page fetched and parsed; the diff ran */
	STORE_OUTCOME_UNCHANGED, /* 304 or the same body digest: misses counted on */
	STORE_OUTCOME_FAILED,	 /* changes no posting */
	STORE_OUTCOME_PARTIAL,	 /* the walk ended early (poll->stop, ->error): what it read is
				    applied, but no miss is counted and nothing closes */
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
	int64_t next_due_ms; /* wall clock the source is next due, for every daemon; 0: unset */
};

struct store_opts {
	int close_after;
	double max_drop;
	/* seconds the alert of a new posting waits for its detail (its pay) at most */
	int alert_wait;
};

/* What every store call that writes or reads the database answers (the counts of the prune
 * calls and the socket of store_apply_fd are numbers, not these). */
enum store_rc {
	/* a poll written with others (store_apply_first, store_apply_changed) failed with them:
	 * nothing was written, and which of them failed is not known; apply it alone */
	STORE_BATCH_FAILED = -3,
	STORE_LEASE_LOST = -2, /* another daemon holds the source now: nothing was written */
	STORE_ERROR = -1,      /* a statement failed or the connection is down: nothing changed */
	STORE_OK = 0,
	STORE_DONE = 1, /* what the call may do was done: an event written, a lease claimed */
};

/* A store for conninfo; does not connect yet. */
struct store *store_new(const char *conninfo, const char *application_name);
/* Free the store and close its connection; NULL is a no-op. */
void store_free(struct store *s);
/* Connect if not connected (session set-up, prepared statements). STORE_OK or STORE_ERROR. */
enum store_rc store_connect(struct store *s);
/* "psql -h HOST -p PORT -U USER DB" for the database the connection reached (no password);
 * NULL when not connected. Caller frees. */
char *store_psql_command(const struct store *s);
/* True when the connection is up. */
bool store_connected(const struct store *s);
/* Apply the pending migrations of sql_dir under an advisory lock. STORE_OK or STORE_ERROR. */
enum store_rc store_migrate(struct store *s, const char *sql_dir);
/* store_sync_source for n sources in one statement: states[i] for names[i]. STORE_OK or
 * STORE_ERROR. */
enum store_rc store_sync_sources(struct store *s, const char *const *names,
				 const char *const *types, const char *const *urls, size_t n,
				 struct store_source_state *states);
/* Mark the sources rows that names (every source of the configuration, enabled or not) does
 * not name as removed, and clear the mark of those it names. STORE_OK or STORE_ERROR. */
enum store_rc store_mark_removed(struct store *s, const char *const *names, size_t n);
/* Insert or update the sources rows of name/type/url and read back their state. */
enum store_rc store_sync_source(struct store *s, const char *name, const char *type,
				const char *url, struct store_source_state *state);
/* Remember what a type auto source's page was found to be (cleared by store_sync_source when
 * its configured type or url changes). */
enum store_rc store_record_detection(struct store *s, int64_t source_id, const char *type,
				     const char *url);
/* Record a failed poll: a polls row, the source's failures in a row (in *failures) and, when
 * they reach fail_after the first time in this run, a source_failing event (filled into ev,
 * STORE_DONE). STORE_OK when no event, STORE_ERROR, or STORE_LEASE_LOST with nothing written
 * when another daemon holds the source now. ev may be NULL when fail_after is 0. */
enum store_rc store_record_failure(struct store *s, const struct store_poll *poll, int fail_after,
				   int *failures, struct source_event *ev);
/* Write a source_stale event when the source has had no complete poll for stale_s seconds and
 * has not been reported stale since its last complete poll: STORE_DONE (ev filled), STORE_OK
 * (nothing) or STORE_ERROR. */
enum store_rc store_source_stale(struct store *s, int64_t source_id, int stale_s,
				 struct source_event *ev);
/* Delete at most batch polls rows started more than retention_s seconds ago (their versions
 * and events stay, with poll_id NULL). The number deleted, or -1. */
long store_prune_polls(struct store *s, int retention_s, int batch);
/* Apply a poll (outcome COMPLETE: postings is the whole board; PARTIAL: part of it, applied
 * without counting misses; UNCHANGED: postings is ignored and the last snapshot counts again)
 * in one transaction; fill ev with the events (ev is emptied first: pass it zeroed or as a
 * previous call left it). STORE_OK; on any error the transaction is rolled back, STORE_ERROR is
 * returned and nothing changed (STORE_LEASE_LOST when another daemon holds the source now); a lost
 * connection is then marked down and store_connect makes a new one. */
enum store_rc store_apply_snapshot(struct store *s, const struct store_poll *poll,
				   struct posting_list *postings, const struct store_opts *opts,
				   struct events *ev);

/* store_apply_snapshot for a COMPLETE or PARTIAL poll, without waiting for the database to
 * apply it: the snapshot is sent, and the diff and the commit are queued on the connection.
 * STORE_OK then, and the answer comes later from store_apply_next_done with ud; otherwise
 * STORE_ERROR or STORE_LEASE_LOST, with nothing changed. Any other call on the store first waits
 * for it. postings may be freed once this returns. */
enum store_rc store_apply_begin(struct store *s, const struct store_poll *poll,
				struct posting_list *postings, const struct store_opts *opts,
				void *ud);
/* The socket to wait on for a begun apply's answer; -1 when none is in flight. */
int store_apply_fd(const struct store *s);
/* Read what the database has answered so far, without waiting. */
void store_apply_progress(struct store *s);
/* Wait for the apply in flight, if any, to end. */
void store_apply_wait(struct store *s);
/* store_apply_begin for the first complete polls of n sources at once: one transaction, one
 * COPY and one INSERT for them all, and a lock, a polls row and its end for each, where each
 * poll alone takes ten statements and a transaction (make bench: most of what a small board
 * costs the database is its poll's, not its postings'). Each source must be one this
 * daemon holds, with no complete poll in its sources row and no postings; when one is not,
 * nothing is applied and STORE_ERROR is returned with the connection up, and the polls go one
 * by one. STORE_OK: each poll's answer comes from store_apply_next_done with ud[i], as a
 * baseline's (no events to alert on); STORE_ERROR with nothing applied. */
enum store_rc store_apply_first(struct store *s, const struct store_poll *polls,
				const struct posting_list *const *postings, size_t n,
				const struct store_opts *opts, void *const *ud);

/* store_apply_begin for the complete polls of n sources that changed, at once: one
 * transaction, one COPY and one statement of each kind of the diff for them all, where each
 * alone takes a dozen statements and a transaction (a changed board mostly changes a handful
 * of rows: its statements, not its rows, are what it costs the database). opts[i] is
 * polls[i]'s. Each source must be one this daemon holds, polled completely before, with
 * postings; when one is not, nothing is applied and STORE_ERROR is returned with the
 * connection up, and the polls go one by one. STORE_OK: each poll's answer comes from
 * store_apply_next_done with ud[i], as store_apply_begin's, but STORE_BATCH_FAILED for each
 * when their transaction failed with the connection up (the snapshots cannot go alone then:
 * their unparsed items are parsed here, and those left unparsed are no longer in them). The
 * snapshots are the caller's. */
enum store_rc store_apply_changed(struct store *s, const struct store_poll *polls,
				  struct posting_list *const *postings, size_t n,
				  const struct store_opts *opts, void *const *ud);

/* An apply that has ended: its ud, its result as store_apply_snapshot's, and its events (ev is
 * emptied first, as store_apply_snapshot does). False when none has. */
bool store_apply_next_done(struct store *s, void **ud, enum store_rc *rc, struct events *ev);

/* Take leases as instance owner (unique among the daemons sharing the database), each lasting
 * lease_ms unless renewed. Each heartbeat (store_heartbeat) keeps the daemon alive for live_ms,
 * in the claims of the others and in instance_status alike; the daemons alive take turns at
 * the due sources. Without an owner every claim succeeds (one daemon, tests). */
void store_set_owner(struct store *s, const char *owner, int lease_ms, int live_ms);
/* Claim source_id's lease when it is free, due (force: due or not) and this daemon's turn (its
 * share, or left over by the others a moment). STORE_DONE claimed; STORE_OK not, with *wait_ms
 * until it may be (0: try again soon); STORE_ERROR on a database error. */
enum store_rc store_claim(struct store *s, int64_t source_id, bool force, int64_t *wait_ms);
/* store_claim for n sources in one statement: claimed[i] and wait_ms[i] for each. STORE_OK or
 * STORE_ERROR. */
enum store_rc store_claim_many(struct store *s, const int64_t *ids, size_t n, bool force,
			       bool *claimed, int64_t *wait_ms);
/* Renew the leases on the n sources being polled. STORE_OK or STORE_ERROR. */
enum store_rc store_renew(struct store *s, const int64_t *ids, size_t n);
/* Record that this instance is alive (for live_ms more) and what it is doing. STORE_OK or
 * STORE_ERROR. */
enum store_rc store_heartbeat(struct store *s, const char *host, long pid, const char *version,
			      const char *status);
/* Give back every lease at a clean stop and mark the instance stopped. STORE_OK or STORE_ERROR. */
enum store_rc store_release(struct store *s);
/* Delete at most batch instances rows without a heartbeat for keep_s seconds, but this
 * daemon's and any named by a lease still running; rows another daemon is deleting (or
 * refreshing) at the same time are left to it. The number deleted, or -1. */
long store_prune_instances(struct store *s, int keep_s, int batch);
/* An unchanged poll (304 or the same body) waiting to be written with others. */
struct store_unchanged {
	int64_t source_id;
	int64_t started_ms, finished_ms, next_due_ms; /* wall clock */
	int http_status;
	int pages;
	const char *etag; /* validators seen, or NULL to keep the stored ones */
	const char *last_modified;
	bool applied; /* out: written by the batch */
};

/* Write many unchanged polls in one statement: a polls row each and one small UPDATE of each
 * source. Only sources where such a poll changes nothing else are written (no posting
 * counting misses, no failure or staleness to recover from, the lease still ours); those get
 * applied = true, the others must go through store_apply_snapshot. STORE_OK, or STORE_ERROR
 * with nothing written. */
enum store_rc store_apply_unchanged_batch(struct store *s, struct store_unchanged *u, size_t n);
/* A posting whose detail is to be read. */
struct store_detail_todo {
	char *external_id;
	char *detail_ref; /* what its list row set (posting.detail_ref) */
};

/* A detail that was not read. */
struct store_detail_fail {
	const char *external_id;
	const char *error; /* why ("HTTP 404", …); NULL: not tried (the budget or a 429 ended) */
	int retry_s;	   /* seconds before it is tried again */
	bool release;	   /* its waiting "new" alert goes now, without pay */
};

/* Take at most max open postings of source_id whose detail is due: new postings whose alert
 * waits first, then postings whose list row changed, the ones never read, and those read more
 * than about refresh_s seconds ago. They are held for hold_s seconds, so that no other daemon
 * reads them meanwhile. *out (free with store_detail_todo_free) and *n. STORE_OK or STORE_ERROR. */
enum store_rc store_detail_pick(struct store *s, int64_t source_id, int max, int refresh_s,
				int hold_s, struct store_detail_todo **out, size_t *n);
void store_detail_todo_free(struct store_detail_todo *t, size_t n);
/* In one transaction: the details read (each posting of read: external_id and what its detail
 * gave) and those that failed. ev gets the events to alert: pay_changed where a read pay
 * replaced another (unknown to known is none), and the "new" events that waited for these
 * details. STORE_OK, or STORE_ERROR with nothing changed. */
enum store_rc store_detail_apply(struct store *s, int64_t source_id,
				 const struct posting_list *read,
				 const struct store_detail_fail *fails, size_t nfails,
				 struct events *ev);
/* The "new" events of source_id whose wait for a detail is over (alert_wait): into ev.
 * STORE_OK or STORE_ERROR. */
enum store_rc store_alerts_due(struct store *s, int64_t source_id, struct events *ev);
/* Print the daemons sharing the database, their leases and every source's next due time
 * (--status). STORE_OK or STORE_ERROR. */
enum store_rc store_print_status(struct store *s, FILE *f);
/* Free the strings of a state. */
void store_source_state_clear(struct store_source_state *st);

#endif
