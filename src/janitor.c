/* janitor.c - the loop's upkeep, as pgbouncer's janitor.c: everything that is done because
 * time passed rather than because a transfer or the database answered. janitor_run runs at the
 * end of every turn of the loop (at least once a second): it ends a cycle and says so, looks for
 * stale sources, deletes old polls rows and the instances rows of daemons long gone, sends STATUS=,
 * renews the leases of the polls in flight, refreshes this daemon's instances row, and pings the
 * watchdog only after a turn that ran to its end. */
#include "loop_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"
#include "util.h"

/* A cycle ends when every enabled source has ended a poll (applied or failed) since the
 * cycle began (done_at >= cycle_start); its length says how stale the oldest data can get.
 * Runs rebuilt by a reload start uncounted, so the cycle running then ends when each new run
 * has polled. A poll that ended in the very millisecond the cycle ends counts for the next
 * one too: a scan, once a cycle, finds them. */
void janitor_cycle(struct loop *l, int64_t now)
{
	if (l->nruns == 0 || l->ncycle_done < l->nruns)
		return;
	log_info(
	    "cycle sources=%zu polled=%zu failed=%zu new=%zu closed=%zu changed=%zu took=%llds",
	    l->nruns, l->cyc_polled, l->cyc_failed, l->cyc_new, l->cyc_closed, l->cyc_changed,
	    (long long)((now - l->cycle_start + 500) / 1000));
	l->cyc_polled = l->cyc_failed = l->cyc_new = l->cyc_closed = l->cyc_changed = 0;
	l->last_cycle = now - l->cycle_start;
	l->cycle_start = now;
	l->cycle++;
	l->ncycle_done = 0;
	for (size_t i = 0; i < l->nruns; i++)
		if (l->runs[i].done_at >= now) {
			l->runs[i].cycle = l->cycle;
			l->ncycle_done++;
		}
}

/* No complete poll for stale_after: one source_stale event, until a complete poll. */
void janitor_check_stale(struct loop *l, struct run *r, int64_t now)
{
	struct source_event e = {0};
	enum store_rc rc;

	if (r->st.stale_reported || r->src->stale_after <= 0 || now < r->stale_check_at ||
	    wall_ms() - r->st.complete_ms < (int64_t)r->src->stale_after * 1000 ||
	    !store_connected(l->store))
		return;
	r->stale_check_at = now + LOOP_STALE_RECHECK_MS;
	if ((rc = store_source_stale(l->store, r->st.id, r->src->stale_after, &e)) == STORE_ERROR)
		return;
	/* STORE_OK: reported by another daemon, or its clock disagrees: asked again later */
	if (rc == STORE_DONE) {
		r->st.stale_reported = true;
		source_changed(l, r, &e);
	}
	source_event_clear(&e);
}

/* Ask janitor_check_stale about every run not in flight once one may be stale (a poll in
 * flight is asked about when it ends, in run_end_poll). */
void janitor_stale_scan(struct loop *l, int64_t now)
{
	int64_t wall, min = now + LOOP_STALE_RESCAN_MS;

	if (now < l->stale_min)
		return;
	wall = wall_ms(); /* after now: the bounds come out early, never late */
	for (size_t i = 0; i < l->nruns; i++) {
		struct run *r = &l->runs[i];
		if (run_polling(r))
			continue;
		janitor_check_stale(l, r, now);
		int64_t at = run_stale_due(r, now, wall);
		if (at < min)
			min = at;
	}
	l->stale_min = min;
}

/* An instances row a week without a heartbeat is deleted. A daemon stops counting as a peer
 * LOOP_LIVE_MS after its last heartbeat, and its leases (poll.lease, a day at most) run out
 * soon after: from then on the row only tells an operator which daemon ran where and when it
 * stopped, and --status shows those of the last day. A week keeps a weekend's post-mortem
 * possible; a multiple of the lease (two minutes by default) would not. */
#define JANITOR_INSTANCES_KEEP_S (7 * 24 * 3600)

/* Stale sources; polls rows past poll.polls_retention, a batch at a time; and, once the polls
 * have caught up, hourly, the instances rows of daemons long gone. */
static void janitor_upkeep(struct loop *l, int64_t now)
{
	long n = 0;

	if (l->pending || !store_connected(l->store))
		return;
	janitor_stale_scan(l, now);
	if (now < l->prune_at)
		return;
	if (l->cfg->polls_retention > 0) {
		n = store_prune_polls(l->store, l->cfg->polls_retention, LOOP_PRUNE_BATCH);
		if (n > 0)
			log_info("retention polls_deleted=%ld older_than=%ds", n,
				 l->cfg->polls_retention);
	}
	if (n == LOOP_PRUNE_BATCH) {
		l->prune_at = now + 1000;
		return;
	}
	l->prune_at = now + LOOP_PRUNE_EVERY_MS;
	if (!store_connected(l->store))
		return;
	n = store_prune_instances(l->store, JANITOR_INSTANCES_KEEP_S, LOOP_PRUNE_BATCH);
	if (n > 0)
		log_info("retention instances_deleted=%ld older_than=%ds", n,
			 JANITOR_INSTANCES_KEEP_S);
}

/* Keep the leases of the polls in flight; a poll longer than the lease would else be taken
 * over by another daemon half-way. */
static void janitor_renew(struct loop *l, int64_t now)
{
	int64_t *ids;
	size_t n = 0;

	if (now < l->renew_at || !store_connected(l->store))
		return;
	l->renew_at = now + l->cfg->lease * 1000 / 3;
	ids = xreallocarray(NULL, l->nruns ? l->nruns : 1, sizeof(*ids));
	for (size_t i = 0; i < l->nruns; i++)
		if (run_polling(&l->runs[i]))
			ids[n++] = l->runs[i].st.id;
	if (store_renew(l->store, ids, n) < 0)
		log_warn("lease status=renew-failed polls=%zu", n);
	free(ids);
}

/* The instances row says what STATUS= says (janitor_status runs first in every turn). */
static void janitor_heartbeat(struct loop *l, int64_t now)
{
	if (now < l->heartbeat_at || !store_connected(l->store))
		return;
	l->heartbeat_at = now + LOOP_HEARTBEAT_MS;
	(void)store_heartbeat(l->store, l->host, (long)getpid(), JOBWATCH_VERSION, l->status);
}

/* STATUS= says what the daemon does; sent when it changes, at most once a second. */
static void janitor_status(struct loop *l, int64_t now)
{
	char line[sizeof(l->status)];
	size_t failing = l->nfailing;

	janitor_cycle(l, now);
	if (l->stopping)
		snprintf(line, sizeof(line), "stopping, %zu polls in flight", l->in_flight);
	else if (!store_connected(l->store))
		snprintf(line, sizeof(line), "waiting for the database (try %d)", l->db_failures);
	else if (l->last_cycle)
		snprintf(line, sizeof(line),
			 "polling %zu/%zu sources, %zu failing, last cycle %lld s", l->in_flight,
			 l->nruns, failing, (long long)((l->last_cycle + 500) / 1000));
	else
		snprintf(line, sizeof(line), "polling %zu/%zu sources, %zu failing, first cycle",
			 l->in_flight, l->nruns, failing);
	if (now < l->status_at || strcmp(line, l->status) == 0)
		return;
	memcpy(l->status, line, sizeof(line));
	l->status_at = now + LOOP_STATUS_MIN_MS;
	notify_status("%s", line);
}

/* WATCHDOG=1 comes from here, after a turn that ran to its end, never from a timer: a loop
 * wedged in a call (a database that stopped answering, a runaway parse) stops the pings and
 * systemd kills and restarts the daemon. */
static void janitor_watchdog(struct loop *l, int64_t now)
{
	if (l->wd_period && now - l->wd_last >= l->wd_period) {
		notify_watchdog();
		l->wd_last = now;
	}
}

void janitor_run(struct loop *l, int64_t now)
{
	janitor_upkeep(l, now);
	janitor_status(l, now);
	janitor_renew(l, now);
	janitor_heartbeat(l, now);
	janitor_watchdog(l, now);
}
