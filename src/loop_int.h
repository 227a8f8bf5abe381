/* loop_int.h - what the loop (loop.c) and its upkeep (janitor.c) share: a source's run and its
 * poll's state, the loop's own state, and the few functions both call. Nothing else includes
 * it (but tests/unit/test_loop.c, which includes loop.c). */
#ifndef JOBWATCH_LOOP_INT_H
#define JOBWATCH_LOOP_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "alert.h"
#include "buf.h"
#include "config.h"
#include "digest.h"
#include "fetch.h"
#include "store_batch.h"
#include "loop.h"
#include "source.h"
#include "store.h"

#define LOOP_DB_BACKOFF_MAX_MS 30000
#define LOOP_STOP_DEADLINE_MS  10000
#define LOOP_STATUS_MIN_MS     1000
/* The instances row is refreshed every second (an UPDATE of one small row): a daemon that
 * missed three is taken for gone by the others, which then share its turns out at once
 * instead of each after a grace (STORE_SQL_CLAIM). */
#define LOOP_HEARTBEAT_MS 1000
#define LOOP_LIVE_MS	  (3 * LOOP_HEARTBEAT_MS)
/* A due source another daemon is claiming, or that came back with no wait, is asked for again
 * after this. */
#define LOOP_CLAIM_RETRY_MS 250
/* Polls reading their lists at once (a detail phase is not counted): LOOP_START_PER_TRANSFER
 * for each of poll.concurrency, at least LOOP_START_MIN. A poll holds its source's lease, its
 * walk and its pages from its start: without a bound, every source due at once became a poll
 * queued behind the transfers, its lease kept from daemons that could have polled it. When
 * full, due sources wait until half the room is free again (a rescan of every run for each
 * poll that ends would be quadratic). */
#define LOOP_START_PER_TRANSFER 4
#define LOOP_START_MIN		64
/* Retention deletes this many polls rows at a time, hourly, or again soon while behind. */
#define LOOP_PRUNE_BATCH    10000
#define LOOP_PRUNE_EVERY_MS (3600 * 1000)
/* A source that looks stale here but not in the database is asked again after this. */
#define LOOP_STALE_RECHECK_MS 60000
/* Stale sources are looked for again at least this often, whatever loop->stale_min says: it
 * is reckoned in monotonic time from wall-clock ages, and the wall clock may jump. */
#define LOOP_STALE_RESCAN_MS 1000

/* Where a source's poll is. Each state is a place: the loop finds what to do with a run by
 * its state alone (OpenNTPD's constraint.c, pgbouncer's bouncer.h). */
enum poll_state {
	POLL_IDLE,	 /* no poll: the run waits for next_due */
	POLL_DETECTING,	 /* type auto: its page is being read to find its board */
	POLL_FETCHING,	 /* a page of its walk is being fetched */
	POLL_PAGE_GAP,	 /* page_gap before the next page (page_due) */
	POLL_QUEUED,	 /* a first or changed poll, waiting to be written with others (loop->batch) */
	POLL_APPLYING,	 /* the database is applying its walk */
	POLL_DETAILS,	 /* a posting's detail is being fetched */
	POLL_DETAIL_GAP, /* page_gap before the next detail (page_due) */
};

/* What a poll in flight holds, from its start to its end: allocated for it, so that a source
 * between polls costs only its struct run. */
struct poll {
	struct source_walk walk;
	struct posting_list postings;
	struct buf digests; /* hex digest of every page, in order */
	struct source_request req;
	char apply_digest[DIGEST_HEX_LEN + 1];
	char *etag; /* the validators of the response */
	char *last_modified;
	/* the poll's detail reads, after its list is applied (details_begin … details_end) */
	struct store_detail_todo *todo; /* picked by the store, read one after the other */
	size_t ntodo, next_todo;
	struct posting_list read; /* what the details said, for store_detail_apply */
	struct store_detail_fail *fails;
	char **fail_errs; /* fails[i].error, owned */
	size_t nfails;
};

struct run {
	char *name;
	const struct config_source *src;      /* in loop->cfg */
	const struct source_adapter *adapter; /* NULL: type auto, page not read yet */
	char *as_type, *as_url; /* src as what it was found to be (its page, a refusal), or NULL */
	struct source_target target; /* what the adapter reads: src's, at as_url when found */
	struct store_source_state st;
	int64_t next_due; /* monotonic ms */
	enum poll_state state;
	bool polled;		/* --once: done */
	int failures;		/* in a row, from sources.failures_in_row */
	int64_t stale_check_at; /* monotonic ms */
	int64_t done_at;	/* monotonic ms the last poll ended (applied or failed) */
	uint64_t cycle;		/* loop->cycle when it was last counted in ncycle_done */
	/* the poll in flight (run_begin_poll … run_reset_poll), NULL between polls */
	struct poll *poll;
	int64_t page_due; /* monotonic ms the next page may be asked for; 0 when none waits */
	int64_t started_wall;
	int64_t started_mono;
	/* what poll_applied needs of a walk the database is applying (store_apply_begin) */
	bool apply_unchanged;
	/* the last poll failed with others it was written with (STORE_BATCH_FAILED): the next is
	 * written alone, so that a board the database refuses fails only itself */
	bool alone;
	int64_t apply_due; /* monotonic ms, for when it is over */
	int last_status;
	int64_t details_after; /* monotonic ms: a 429's Retry-After; no detail read before */
	/* what the operator has been told: a failure since the start or the last success */
	bool fail_told;
	/* a first (baseline) poll, said in one line once its details are read too */
	bool base_pending;
	size_t base_postings, base_paid, base_unknown;
};

struct loop {
	struct config *cfg;
	const struct loop_opts *o;
	struct alert_rules *rules;
	struct store *store;
	struct fetch *fetch;
	struct run *runs;
	size_t nruns;
	int sigfd;
	bool stopping;
	int64_t stop_deadline;
	struct config *pending; /* a reloaded config waiting for the polls in flight */
	bool db_error;		/* --once: a database error happened */
	bool any_failed;
	int64_t db_retry_at;
	int db_failures;
	int64_t wd_period;
	int64_t wd_last;
	int64_t status_at;
	bool synced;	      /* every run has its sources row since the last connect */
	int64_t renew_at;     /* next renewal of the leases in flight */
	int64_t heartbeat_at; /* next refresh of the instances row */
	char instance[128];   /* this daemon's id among those sharing the database */
	char host[64];
	int64_t prune_at;
	/* the due sources of one turn, claimed together */
	size_t *claim_run;
	int64_t *claim_id, *claim_wait;
	bool *claim_ok;
	size_t claim_cap;
	struct store_batch *batch; /* unchanged and first polls written together */
	char status[256];	 /* the last STATUS= sent */
	int64_t cycle_start;	 /* see janitor_cycle() */
	int64_t last_cycle;	 /* ms; 0 before the first cycle ended */
	/* Kept where the runs change (run_set_*), so that a turn costs what it does, not the
	 * number of sources: counts of runs, */
	size_t in_flight;   /* polling */
	size_t listing;	    /* polling, but not in a detail phase (state_takes_room) */
	bool start_full;    /* loop_start_due left due sources for want of room (LOOP_START_MIN) */
	size_t npolled;	    /* polled */
	size_t nfailing;    /* failures > 0 */
	size_t ncycle_done; /* ended a poll in this cycle: cycle == loop->cycle */
	uint64_t cycle;	    /* 1 + cycles ended */
	/* and lower bounds, in monotonic ms, below which no run needs looking at: a scan of the
	 * runs happens only once one is reached, and sets it to the exact value again */
	int64_t due_min;   /* next_due of the runs not polling */
	bool claim_later;  /* the due are claimed once the store is idle (loop_store_idle) */
	int64_t page_min;  /* page_due of the walks in flight */
	int64_t stale_min; /* when janitor_check_stale may act on a run not polling */
	/* what the cycle running now did, for its one line (janitor_cycle) */
	size_t cyc_polled, cyc_failed, cyc_new, cyc_closed, cyc_changed;
	bool psql_told; /* the line that says how to read the history */
};

static inline int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline bool run_polling(const struct run *r)
{
	return r->state != POLL_IDLE;
}

/* When source r may next be found stale, in monotonic ms (INT64_MAX: not before a poll). */
int64_t run_stale_due(const struct run *r, int64_t now, int64_t wall);
/* A change of a source's health: its operational line and its alert lines. */
void source_changed(struct loop *l, const struct run *r, const struct source_event *e);

/* janitor.c: the loop's upkeep, on one timer at the end of every turn: the cycle's end and
 * its line, staleness, retention, STATUS=, lease renewal, the heartbeat, the watchdog. */
void janitor_run(struct loop *l, int64_t now);
/* The cycle's end, when every run has ended a poll since it began: its line, and a new one. */
void janitor_cycle(struct loop *l, int64_t now);
/* Ask janitor_check_stale about every run not in flight once one may be stale. */
void janitor_stale_scan(struct loop *l, int64_t now);
/* Write r's source_stale event when it has had no complete poll for stale_after. */
void janitor_check_stale(struct loop *l, struct run *r, int64_t now);

#endif
