/* loop.c - the daemon's one thread and one loop. Each turn starts the polls that are due,
 * waits in curl_multi_poll (through fetch_wait) for transfers or a signal, and finishes the
 * transfers that are done: a page goes through its adapter, a finished walk through the store
 * (one transaction) and the alert rules. A failed poll is recorded and changes no posting;
 * a lost database is re-made between snapshots and the poll retried. */
#include "loop.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "buf.h"
#include "config.h"
#include "detect.h"
#include "digest.h"
#include "fetch.h"
#include "log.h"
#include "notify.h"
#include "schedule.h"
#include "source.h"
#include "store.h"
#include "util.h"

#include "loop_int.h"

static int signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static void run_details_clear(struct poll *p)
{
	store_detail_todo_free(p->todo, p->ntodo);
	posting_list_clear(&p->read);
	for (size_t i = 0; i < p->nfails; i++)
		free(p->fail_errs[i]);
	free(p->fails);
	free(p->fail_errs);
}

/* r's poll is over: what it held goes. */
static void run_reset_poll(struct run *r)
{
	struct poll *p = r->poll;

	if (p) {
		run_details_clear(p);
		posting_list_clear(&p->postings);
		buf_free(&p->digests);
		source_request_clear(&p->req);
		free(p->etag);
		free(p->last_modified);
		free(p);
		r->poll = NULL;
	}
	r->page_due = 0;
	r->last_status = 0;
}

/* How many polls may be in flight at once (LOOP_START_PER_TRANSFER). */
static size_t loop_start_cap(const struct loop *l)
{
	size_t cap = (size_t)l->cfg->concurrency * LOOP_START_PER_TRANSFER;

	return cap > LOOP_START_MIN ? cap : LOOP_START_MIN;
}

/* Whether a poll in state counts against LOOP_START_MIN's room: one reading its list (a page
 * fetched, parsed, waited for or being written). A detail phase does not: it holds no page,
 * waits mostly for its gap, and may last minutes, which would keep other sources from
 * starting. */
static bool state_takes_room(enum poll_state state)
{
	return state != POLL_IDLE && state != POLL_DETAILS && state != POLL_DETAIL_GAP;
}

/* Move r to state; the counts of polls in flight follow, and when one leaves room again for
 * the due sources loop_start_due had to leave, they are looked at on the next turn. */
static void run_set_state(struct loop *l, struct run *r, enum poll_state state)
{
	if (state != POLL_IDLE && r->state == POLL_IDLE)
		l->in_flight++;
	else if (state == POLL_IDLE && r->state != POLL_IDLE)
		l->in_flight--;
	if (state_takes_room(state) && !state_takes_room(r->state)) {
		l->listing++;
	} else if (!state_takes_room(state) && state_takes_room(r->state)) {
		l->listing--;
		if (l->start_full && 2 * l->listing <= loop_start_cap(l)) {
			l->start_full = false;
			l->due_min = 0;
		}
	}
	r->state = state;
}

/* The gap before r's next request (a page or a detail) is over at page_due. */
static void run_wait_gap(struct loop *l, struct run *r, enum poll_state gap, int64_t now)
{
	run_set_state(l, r, gap);
	r->page_due = now + l->cfg->page_gap;
	if (r->page_due == 0)
		r->page_due = 1;
	if (r->page_due < l->page_min)
		l->page_min = r->page_due;
}

static void run_set_polled(struct loop *l, struct run *r, bool polled)
{
	if (polled && !r->polled)
		l->npolled++;
	else if (!polled && r->polled)
		l->npolled--;
	r->polled = polled;
}

static void run_set_failures(struct loop *l, struct run *r, int failures)
{
	if (failures > 0 && r->failures <= 0)
		l->nfailing++;
	else if (failures <= 0 && r->failures > 0)
		l->nfailing--;
	r->failures = failures;
}

static void run_set_due(struct loop *l, struct run *r, int64_t due)
{
	r->next_due = due;
	if (due < l->due_min)
		l->due_min = due;
}

/* When janitor_check_stale may next act on r, in monotonic ms; INT64_MAX for never, until
 * a complete poll or a sync changes r->st. now and wall are read together, now first. */
int64_t run_stale_due(const struct run *r, int64_t now, int64_t wall)
{
	int64_t at;

	if (r->st.stale_reported || r->src->stale_after <= 0)
		return INT64_MAX;
	at = now + r->st.complete_ms + (int64_t)r->src->stale_after * 1000 - wall;
	return at > r->stale_check_at ? at : r->stale_check_at;
}

/* r's poll is over, whatever its outcome: r is not in flight and may go stale again. */
static void run_end_poll(struct loop *l, struct run *r)
{
	int64_t at;

	run_reset_poll(r);
	run_set_state(l, r, POLL_IDLE);
	at = run_stale_due(r, util_now_ms(), wall_ms());
	if (at < l->stale_min)
		l->stale_min = at;
}

/* r's poll ended at done_at, applied or failed (see janitor_cycle); it is due again at due. */
static void run_ended(struct loop *l, struct run *r, int64_t done_at, int64_t due)
{
	run_set_polled(l, r, true);
	r->done_at = done_at;
	if (r->cycle != l->cycle) {
		r->cycle = l->cycle;
		l->ncycle_done++;
	}
	run_set_due(l, r, due);
	run_end_poll(l, r);
}

/* Counts and bounds for runs just built: the next turn scans them all. */
static void loop_recount(struct loop *l)
{
	l->in_flight = l->listing = l->npolled = l->nfailing = l->ncycle_done = 0;
	for (size_t i = 0; i < l->nruns; i++) {
		l->in_flight += run_polling(&l->runs[i]);
		l->listing += state_takes_room(l->runs[i].state);
		l->npolled += l->runs[i].polled;
		l->nfailing += l->runs[i].failures > 0;
	}
	l->due_min = l->page_min = l->stale_min = 0;
}

/* The source as its adapter sees it: for type auto, the detected type and url. */
static const struct source_target *run_src(const struct run *r)
{
	return &r->target;
}

/* Poll a type auto source as type/url from now on; false when this build lacks the adapter. */
static bool run_adopt(struct run *r, const char *type, const char *url)
{
	const struct source_adapter *a = source_adapter_find(type);

	if (a == NULL || url == NULL)
		return false;
	free(r->as_type);
	free(r->as_url);
	r->as_type = xstrdup(type);
	r->as_url = xstrdup(url);
	r->target.type = r->as_type;
	r->target.url = r->as_url;
	r->adapter = a;
	return true;
}

static void run_free(struct run *r)
{
	run_reset_poll(r);
	store_source_state_clear(&r->st);
	free(r->as_type);
	free(r->as_url);
	free(r->name);
}

static struct fetch_opts fetch_opts_of(const struct config *c)
{
	struct fetch_opts fo = {
	    .concurrency = c->concurrency,
	    .per_host = c->per_host,
	    .timeout = c->timeout,
	    .connect_timeout = c->timeout < 10 ? c->timeout : 10,
	    .max_body = c->max_body,
	    .max_redirects = 5,
	    .user_agent = c->user_agent,
	};
	return fo;
}

/* Build the runs of cfg, carrying over the schedule of sources that keep their name. */
static struct run *runs_build(const struct config *cfg, struct run *old, size_t nold, size_t *n,
			      int64_t now)
{
	struct run *runs = xcalloc(cfg->nsources, sizeof(*runs));
	size_t k = 0;

	for (size_t i = 0; i < cfg->nsources; i++) {
		const struct config_source *s = &cfg->sources[i];
		if (!s->enabled)
			continue;
		struct run *r = &runs[k];
		r->name = xstrdup(s->name);
		r->src = s;
		config_source_target(s, &r->target);
		r->adapter = source_adapter_find(s->type);
		r->next_due = schedule_initial(now, (int)k);
		for (size_t j = 0; j < nold; j++)
			if (strcmp(old[j].name, s->name) == 0) {
				r->next_due = old[j].next_due;
				r->failures = old[j].failures;
			}
		k++;
	}
	*n = k;
	return runs;
}

/* Every run's sources row, in one statement. */
static int runs_sync(struct loop *l)
{
	size_t n = l->nruns;
	const char **names = xreallocarray(NULL, n ? n : 1, sizeof(*names));
	const char **types = xreallocarray(NULL, n ? n : 1, sizeof(*types));
	const char **urls = xreallocarray(NULL, n ? n : 1, sizeof(*urls));
	struct store_source_state *st = xreallocarray(NULL, n ? n : 1, sizeof(*st));
	enum store_rc rc;

	for (size_t i = 0; i < n; i++) {
		names[i] = l->runs[i].src->name;
		types[i] = l->runs[i].src->type;
		urls[i] = l->runs[i].src->url;
	}
	rc = store_sync_sources(l->store, names, types, urls, n, st);
	if (rc == STORE_OK) { /* every configured name, enabled or not: the rest are removed */
		const char **all =
		    xreallocarray(NULL, l->cfg->nsources ? l->cfg->nsources : 1, sizeof(*all));
		for (size_t i = 0; i < l->cfg->nsources; i++)
			all[i] = l->cfg->sources[i].name;
		rc = store_mark_removed(l->store, all, l->cfg->nsources);
		free(all);
	}
	for (size_t i = 0; rc == STORE_OK && i < n; i++) {
		struct run *r = &l->runs[i];
		store_source_state_clear(&r->st);
		r->st = st[i];
		run_set_failures(l, r, r->st.failures_in_row); /* a restart keeps the count */
		/* a type auto page read before, or a tenant that refused its configured interface
		 * (and neither changed in the config since) */
		if (r->st.detected_type &&
		    (r->adapter == NULL || strcmp(r->st.detected_type, r->src->type) == 0))
			(void)run_adopt(r, r->st.detected_type, r->st.detected_url);
	}
	free(names);
	free(types);
	free(urls);
	free(st);
	l->stale_min = 0; /* r->st is new */
	return rc;
}

/* Connect (and migrate and sync) when the database is down; capped backoff between tries. */
static bool db_ready(struct loop *l, int64_t now)
{
	/* connected is not enough: the runs need their sources rows (ids, state) */
	if (store_connected(l->store) && l->synced)
		return true;
	if (now < l->db_retry_at)
		return false;
	l->synced = false;
	if (store_connect(l->store) == 0 && store_migrate(l->store, l->o->sql_dir) == 0 &&
	    runs_sync(l) == 0) {
		if (l->db_failures)
			log_info("database status=connected after=%d", l->db_failures);
		if (!l->psql_told) { /* where to read what this daemon writes, once */
			char *psql = store_psql_command(l->store);
			struct buf b = BUF_INIT;
			buf_puts(&b, "history");
			alert_logfmt_pair(&b, "psql", psql);
			alert_logfmt_pair(&b, "try",
					  "SELECT source, title, pay FROM open_postings");
			alert_logfmt_pair(&b, "see", "jobwatch(7)");
			log_info("%s", b.data);
			buf_free(&b);
			free(psql);
			l->psql_told = true;
		}
		l->db_failures = 0;
		l->synced = true;
		return true;
	}
	l->db_failures++;
	l->db_retry_at = schedule_retry(now, l->db_failures, 1000, LOOP_DB_BACKOFF_MAX_MS);
	return false;
}

static void poll_log(const struct run *r, const char *outcome, const struct events *ev,
		     const char *error)
{
	struct buf b = BUF_INIT;
	/* a poll that changed something is news; the rest is for -v, and 1,000 unchanged polls
	 * need not format a line each that goes nowhere */
	if (!log_debug_enabled())
		return;
	buf_puts(&b, "poll");
	alert_logfmt_pair(&b, "source", r->name);
	buf_printf(&b, " status=%d outcome=%s pages=%d", r->last_status, outcome,
		   r->poll->walk.pages);
	if (ev) {
		buf_printf(&b, " postings=%zu new=%zu closed=%zu reopened=%zu changed=%zu",
			   ev->postings, ev->new_postings, ev->closed, ev->reopened, ev->changed);
		if (ev->baseline)
			buf_puts(&b, " baseline=true");
		if (ev->suspect)
			buf_puts(&b, " suspect=true");
	}
	if (r->poll->postings.dropped)
		buf_printf(&b, " dropped=%zu", r->poll->postings.dropped);
	buf_printf(&b, " ms=%lld", (long long)(util_now_ms() - r->started_mono));
	if (error)
		alert_logfmt_pair(&b, "error", error);
	/* one line a poll is for -v: the cycle's line counts what they changed, alert lines say
	 * what, and a failure's first line is the caller's */
	log_debug("%s", b.data);
	buf_free(&b);
}

static void poll_fill(const struct run *r, struct store_poll *p, enum store_outcome outcome,
		      const char *error, const char *stop)
{
	memset(p, 0, sizeof(*p));
	p->source_id = r->st.id;
	p->started_ms = r->started_wall;
	p->finished_ms = wall_ms();
	p->http_status = r->last_status;
	p->outcome = outcome;
	p->error = error;
	p->stop = stop;
	p->pages = r->poll->walk.pages;
	p->dropped = r->poll->postings.dropped;
	p->etag = r->poll->etag;
	p->last_modified = r->poll->last_modified;
}

/* What the store needs to know of r's source to apply its poll. */
static struct store_opts run_store_opts(const struct loop *l, const struct run *r)
{
	struct store_opts o = {l->cfg->close_after, l->cfg->max_drop, l->cfg->alert_wait};

	if (o.alert_wait <= 0) /* one interval of the source */
		o.alert_wait = r->src->interval;
	if (r->adapter == NULL || r->adapter->detail_request == NULL || r->src->max_details <= 0)
		o.alert_wait = 0; /* no detail will come to wait for */
	return o;
}

static void poll_done(struct loop *l, struct run *r, int64_t due);

/* A poll stored: the cycle's counts, and a baseline's line waits for its details. */
static void poll_count(struct loop *l, struct run *r, const struct events *ev)
{
	l->cyc_polled++;
	r->fail_told = false;
	if (ev == NULL)
		return;
	if (ev->baseline) {
		r->base_pending = true;
		r->base_postings = ev->postings;
		r->base_paid = r->base_unknown = 0;
		for (size_t i = 0; i < r->poll->postings.len; i++) {
			r->base_paid += pay_is_set(&r->poll->postings.items[i].pay);
			r->base_unknown += r->poll->postings.items[i].detail_ref != NULL;
		}
		return;
	}
	l->cyc_new += ev->new_postings;
	l->cyc_closed += ev->closed;
	l->cyc_changed += ev->changed + ev->reopened;
}

/* A source's first poll in one line: what it holds, and how much of it states pay. */
static void baseline_log(const struct run *r)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "baseline");
	alert_logfmt_pair(&b, "source", r->name);
	buf_printf(&b, " postings=%zu with_pay=%zu", r->base_postings, r->base_paid);
	if (r->base_unknown)
		buf_printf(&b, " pay_unknown=%zu", r->base_unknown);
	log_info("%s", b.data);
	buf_free(&b);
}

/* A change of a source's health: one operational line and the alert lines of the rules
 * that select it. */
void source_changed(struct loop *l, const struct run *r, const struct source_event *e)
{
	struct buf b = BUF_INIT;
	char n[16];

	buf_puts(&b, "source");
	alert_logfmt_pair(&b, "status", event_kind_name(e->kind) + strlen("source_"));
	alert_logfmt_pair(&b, "source", r->name);
	if (e->failures > 0) {
		snprintf(n, sizeof(n), "%d", e->failures);
		alert_logfmt_pair(&b, "failures", n);
	}
	if (e->since)
		alert_logfmt_pair(&b, "since", e->since);
	alert_logfmt_pair(&b, "reason", e->reason ? e->reason : "");
	if (e->kind == EVENT_SOURCE_RECOVERED)
		log_info("%s", b.data);
	else
		log_warn("%s", b.data);
	buf_free(&b);
	alert_emit_source(l->rules, r->name, e, l->cfg->alert_priority);
}

/* r's poll failed after another daemon took the source over (this one stalled past the
 * lease): nothing of it was written, and the source is asked for again as any other. */
static void poll_lost(struct loop *l, struct run *r, const char *error)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "poll");
	alert_logfmt_pair(&b, "source", r->name);
	buf_puts(&b, " outcome=abandoned error=\"lease lost to another daemon\"");
	alert_logfmt_pair(&b, "failure", error ? error : "");
	log_warn("%s", b.data);
	buf_free(&b);
	run_set_due(l, r, util_now_ms() + LOOP_CLAIM_RETRY_MS);
	run_set_polled(l, r, l->o->once);
	run_end_poll(l, r);
}

static void poll_failed(struct loop *l, struct run *r, const char *error, long retry_after)
{
	struct store_poll p;
	struct source_event e = {0};
	int64_t now = util_now_ms();
	int failures = r->failures;
	enum store_rc rc = STORE_ERROR;

	poll_fill(r, &p, STORE_OUTCOME_FAILED, error, r->poll->walk.ceiling ? "ceiling" : "error");
	p.etag = p.last_modified = NULL;
	int64_t due =
	    schedule_backoff(now, r->src->interval, l->cfg->jitter, r->failures + 1, retry_after);
	p.next_due_ms = wall_ms() + (due - now);
	if (store_connected(l->store))
		rc = store_record_failure(l->store, &p, r->src->fail_after, &failures, &e);
	if (rc == STORE_LEASE_LOST) {
		poll_lost(l, r, error);
		return;
	}
	if (rc == STORE_ERROR) { /* no database: counted here, told once, no event */
		failures = r->failures + 1;
		if (failures == r->src->fail_after) {
			struct buf b = BUF_INIT;
			buf_puts(&b, "source status=failing");
			alert_logfmt_pair(&b, "source", r->name);
			buf_printf(&b, " failures=%d", failures);
			alert_logfmt_pair(&b, "reason", error);
			alert_logfmt_pair(&b, "event", "none (no database)");
			log_warn("%s", b.data);
			buf_free(&b);
		}
	}
	run_set_failures(l, r, failures);
	l->any_failed = true;
	l->cyc_failed++;
	if (!r->fail_told) { /* the first since the start or a success; the rest at -v */
		struct buf b = BUF_INIT;
		buf_puts(&b, "poll");
		alert_logfmt_pair(&b, "source", r->name);
		buf_printf(&b, " outcome=failed status=%d", r->last_status);
		alert_logfmt_pair(&b, "error", error);
		log_warn("%s", b.data);
		buf_free(&b);
		r->fail_told = true;
	}
	if (rc == STORE_DONE)
		source_changed(l, r, &e);
	source_event_clear(&e);
	poll_log(r, "failed", NULL, error);
	r->stale_check_at = 0;
	janitor_check_stale(l, r, now);
	run_ended(l, r, now, due);
}

static void poll_applied(struct loop *l, struct run *r, enum store_rc rc, struct events *ev);

/* One warning about a poll; the source's name is escaped like any value of a line. */
static void poll_warn(const char *source, const char *outcome, const char *error)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "poll");
	alert_logfmt_pair(&b, "source", source);
	alert_logfmt_pair(&b, "outcome", outcome);
	alert_logfmt_pair(&b, "error", error);
	log_warn("%s", b.data);
	buf_free(&b);
}

/* store_batch's hooks (loop_batch_new). An unchanged poll the batch left out was written
 * alone, by the path that counts misses, recovers, and may close postings: so it alerts. */
static void loop_unchanged_alone(void *ctx, const char *source, enum store_rc rc, struct events *ev)
{
	struct loop *l = ctx;

	if (rc == STORE_OK)
		alert_emit(l->rules, source, ev, l->cfg->alert_priority);
	else if (rc != STORE_LEASE_LOST)
		poll_warn(source, "unchanged", "not stored: database error");
}

/* A queued first or changed poll is being written: answered through loop_applied, as any apply
 * is. */
static void loop_queued_sent(void *ctx, void *ud)
{
	run_set_state(ctx, ud, POLL_APPLYING);
}

static void loop_queued_failed(void *ctx, void *ud, enum store_rc rc, struct events *ev)
{
	poll_applied(ctx, ud, rc, ev);
}

static void loop_batch_new(struct loop *l)
{
	const struct store_batch_hooks hooks = {
	    .ctx = l,
	    .unchanged_alone = loop_unchanged_alone,
	    .sent = loop_queued_sent,
	    .failed = loop_queued_failed,
	};

	l->batch = store_batch_new(l->store, &hooks);
}

/* The store_opts of polls written together: no alert of theirs waits for a detail (an
 * unchanged poll has no new posting; a first poll's events are a baseline's). */
static struct store_opts loop_batch_opts(const struct loop *l)
{
	return (struct store_opts){l->cfg->close_after, l->cfg->max_drop, 0};
}

/* Write the queued polls that are due (store_batch.h); force when the loop is ending, and
 * note unchanged polls lost for want of a database when it exits. */
static void loop_flush(struct loop *l, int64_t now, bool force_unchanged, bool force_polls)
{
	bool exiting = l->o->once || l->stopping;
	size_t lost = store_batch_flush_unchanged(l->batch, now, force_unchanged, exiting);

	if (lost > 0) { /* exiting without a database: lost, as a poll in flight would be */
		log_warn("unchanged polls=%zu error=\"not stored: no database\"", lost);
		l->db_error = l->db_error || l->o->once;
	}
	store_batch_flush_polls(l->batch, now, force_polls, l->in_flight);
}

static void poll_finished(struct loop *l, struct run *r, bool unchanged)
{
	struct store_poll p;
	struct events ev = {0};
	char digest[DIGEST_HEX_LEN + 1];
	int64_t now = util_now_ms();
	int64_t due = schedule_next(now, r->src->interval, l->cfg->jitter);
	enum store_rc rc;

	if (r->poll->walk.pages > 1)
		digest_body_hex(r->poll->digests.data, r->poll->digests.len, digest);
	else
		snprintf(digest, sizeof(digest), "%s",
			 r->poll->digests.data ? r->poll->digests.data : "");
	bool partial = r->poll->walk.incomplete[0] != '\0';
	if (!partial && !unchanged && r->st.body_sha256 && strcmp(digest, r->st.body_sha256) == 0)
		unchanged = true;
	if (partial) {
		/* what the walk read is stored; it closes nothing, and its digest and validators
		 * are not kept, so the next poll reads the board again */
		poll_fill(r, &p, STORE_OUTCOME_PARTIAL, r->poll->walk.incomplete,
			  r->poll->walk.ceiling ? "ceiling" : "repeated");
		p.etag = p.last_modified = p.body_sha256 = NULL;
	} else {
		poll_fill(r, &p, unchanged ? STORE_OUTCOME_UNCHANGED : STORE_OUTCOME_COMPLETE, NULL,
			  "complete");
		p.body_sha256 = unchanged ? r->st.body_sha256 : digest;
	}
	p.next_due_ms = wall_ms() + (due - now);
	/* The common case, a board that did not change, is written later with many others. */
	if (unchanged && r->failures == 0 && !r->st.stale_reported && r->st.has_baseline) {
		struct store_opts bo = loop_batch_opts(l);
		store_batch_unchanged(l->batch, r->name, &p, &bo);
		free(r->st.etag);
		free(r->st.last_modified);
		r->st.etag = xstrdup(r->poll->etag);
		r->st.last_modified = xstrdup(r->poll->last_modified);
		r->st.complete_ms = wall_ms();
		poll_log(r, "unchanged", NULL, NULL);
		poll_count(l, r, NULL);
		poll_done(l, r, due);
		return;
	}
	r->apply_unchanged = unchanged;
	r->apply_due = due;
	snprintf(r->poll->apply_digest, sizeof(r->poll->apply_digest), "%s", digest);
	struct store_opts opts = run_store_opts(l, r);
	/* A source's first complete poll (a cold start is a thousand of them) waits to be
	 * written with others (store_batch_first), unless it is too big to wait. */
	if (!partial && !unchanged) /* a copy that lives as long as the poll, for the queue */
		p.body_sha256 = r->poll->apply_digest;
	bool alone = r->alone;
	r->alone = false;
	if (!partial && !unchanged && !r->st.has_baseline && !alone) {
		struct store_opts bo = loop_batch_opts(l);
		if (store_batch_first(l->batch, &p, &r->poll->postings, &bo, r)) {
			run_set_state(l, r, POLL_QUEUED);
			return;
		}
	}
	/* So does a changed one (store_batch_changed), with the source's own opts. */
	if (!partial && !unchanged && r->st.has_baseline && !alone &&
	    store_batch_changed(l->batch, &p, &r->poll->postings, &opts, r)) {
		run_set_state(l, r, POLL_QUEUED);
		return;
	}
	run_set_state(l, r, POLL_APPLYING);
	if (unchanged) { /* the one-source path: a board that changed nothing, but for misses */
		rc = store_apply_snapshot(l->store, &p, &r->poll->postings, &opts, &ev);
		poll_applied(l, r, rc, &ev);
		return;
	}
	/* The database applies it while the loop reads the next boards: poll_applied follows
	 * from loop_applied. */
	rc = store_apply_begin(l->store, &p, &r->poll->postings, &opts, r);
	if (rc != STORE_OK)
		poll_applied(l, r, rc, &ev);
}

/* The database has answered for r's walk (see poll_finished): rc and ev as
 * store_apply_snapshot gives them. */
static void poll_applied(struct loop *l, struct run *r, enum store_rc rc, struct events *ev)
{
	bool partial = r->poll->walk.incomplete[0] != '\0';
	bool unchanged = r->apply_unchanged;
	int64_t due = r->apply_due;

	if (rc == STORE_LEASE_LOST) {
		/* Our lease ran out and another daemon took the source: its poll counts. */
		poll_warn(r->name, "abandoned", "lease lost to another daemon");
		run_set_due(l, r, util_now_ms() + 1000);
		run_set_polled(l, r, l->o->once);
		run_end_poll(l, r);
		return;
	}
	if (rc == STORE_BATCH_FAILED) {
		/* Nothing was applied: the poll is read again in a second and written alone,
		 * counting no failure unless it fails alone too. */
		poll_warn(r->name, "retry", "database error in polls written together");
		r->alone = true;
		run_set_due(l, r, util_now_ms() + 1000);
		run_set_polled(l, r, false);
		run_end_poll(l, r);
		return;
	}
	if (rc == STORE_ERROR) {
		/* Nothing was applied. A lost connection is re-made and the poll retried soon;
		 * another database error is this source's failure. */
		if (!store_connected(l->store)) {
			poll_warn(r->name, "retry", "database connection lost");
			run_set_due(l, r, util_now_ms() + 1000);
			if (l->o->once)
				l->db_error = true;
			run_set_polled(l, r, l->o->once);
			run_end_poll(l, r);
		} else {
			poll_failed(l, r, "database error applying the snapshot", -1);
		}
		return;
	}
	if (partial) {
		alert_emit(l->rules, r->name, ev, l->cfg->alert_priority);
		free(r->st.body_sha256);
		r->st.body_sha256 = NULL;
		struct buf b = BUF_INIT;
		buf_puts(&b, "poll");
		alert_logfmt_pair(&b, "source", r->name);
		buf_printf(&b, " outcome=partial pages=%d postings=%zu", r->poll->walk.pages,
			   r->poll->postings.len);
		alert_logfmt_pair(&b, "error", r->poll->walk.incomplete);
		log_warn("%s", b.data);
		buf_free(&b);
		poll_count(l, r, ev);
		events_clear(ev);
		poll_done(l, r, due);
		return;
	}
	if (!unchanged) {
		free(r->st.body_sha256);
		r->st.body_sha256 = xstrdup(r->poll->apply_digest);
	}
	free(r->st.etag);
	free(r->st.last_modified);
	r->st.etag = xstrdup(r->poll->etag);
	r->st.last_modified = xstrdup(r->poll->last_modified);
	r->st.has_baseline = true;
	alert_emit(l->rules, r->name, ev, l->cfg->alert_priority);
	if (ev->recovered)
		source_changed(l, r, &ev->recovery);
	r->st.complete_ms = wall_ms();
	r->st.stale_reported = false;
	poll_log(r, unchanged ? "unchanged" : "complete", ev, NULL);
	poll_count(l, r, ev);
	events_clear(ev);
	run_set_failures(l, r, 0);
	poll_done(l, r, due);
}

/* ---- detail reads: after a poll's list is applied, the postings whose list row lacks the
 * description are read one by one (poll.max_details at most), a page_gap apart, through the
 * same fetch engine; what they say is applied in one transaction, and the alerts that waited
 * for them go out with their pay. Details never fail, close or reopen anything: a detail
 * that cannot be read is recorded on its posting and tried again at a later poll. ---- */

#define LOOP_DETAIL_HOLD_MIN_S 300 /* a picked detail is another daemon's to skip this long */

static void details_next(struct loop *l, struct run *r);
static int run_fetch(struct loop *l, struct run *r, bool validators);

/* Record that todo's detail was not read: err NULL when it was not tried. */
static void details_fail(struct run *r, const struct store_detail_todo *todo, const char *err,
			 int retry_s, bool release)
{
	r->poll->fails =
	    xreallocarray(r->poll->fails, r->poll->nfails + 1, sizeof(*r->poll->fails));
	r->poll->fail_errs =
	    xreallocarray(r->poll->fail_errs, r->poll->nfails + 1, sizeof(*r->poll->fail_errs));
	r->poll->fail_errs[r->poll->nfails] = err ? xstrdup(err) : NULL;
	r->poll->fails[r->poll->nfails] = (struct store_detail_fail){
	    .external_id = todo->external_id,
	    .error = r->poll->fail_errs[r->poll->nfails],
	    .retry_s = retry_s,
	    .release = release,
	};
	r->poll->nfails++;
}

static void details_alert(struct loop *l, struct run *r, struct events *ev)
{
	alert_emit(l->rules, r->name, ev, l->cfg->alert_priority);
	events_clear(ev);
}

/* The detail phase is over: store what was read and failed, let go the alerts whose wait is
 * over, and end the poll. */
static void details_end(struct loop *l, struct run *r)
{
	struct events ev = {0};
	size_t failed = r->poll->nfails, tried = r->poll->next_todo;

	for (size_t i = r->poll->next_todo; i < r->poll->ntodo;
	     i++) /* not tried: free for the next poll */
		details_fail(r, &r->poll->todo[i], NULL, 0, false);
	if (store_connected(l->store) && (r->poll->read.len > 0 || r->poll->nfails > 0)) {
		if (store_detail_apply(l->store, r->st.id, &r->poll->read, r->poll->fails,
				       r->poll->nfails, &ev) == 0)
			details_alert(l, r, &ev);
		else
			poll_warn(r->name, "details", "not stored: database error");
	}
	if (store_connected(l->store) && store_alerts_due(l->store, r->st.id, &ev) == 0)
		details_alert(l, r, &ev);
	if (r->base_pending) { /* the details read are known now, with pay or without */
		for (size_t i = 0; i < r->poll->read.len; i++)
			r->base_paid += pay_is_set(&r->poll->read.items[i].pay);
		r->base_unknown -=
		    r->poll->read.len < r->base_unknown ? r->poll->read.len : r->base_unknown;
		baseline_log(r);
		r->base_pending = false;
	}
	if (tried > 0 && log_debug_enabled()) {
		struct buf b = BUF_INIT;
		buf_puts(&b, "details");
		alert_logfmt_pair(&b, "source", r->name);
		buf_printf(&b, " read=%zu failed=%zu left=%zu", r->poll->read.len, failed,
			   r->poll->ntodo - tried);
		log_debug("%s", b.data);
		buf_free(&b);
	}
	run_ended(l, r, util_now_ms(), r->apply_due);
}

/* r's list is applied: read the details it is due, or end the poll. */
static void poll_done(struct loop *l, struct run *r, int64_t due)
{
	int max = r->src->max_details;
	int64_t now = util_now_ms();

	r->apply_due = due;
	if (r->adapter == NULL || r->adapter->detail_request == NULL ||
	    !store_connected(l->store)) {
		if (r->base_pending)
			baseline_log(r);
		r->base_pending = false;
		run_ended(l, r, now, due);
		return;
	}
	/* the list's postings are stored: only the detail phase's state is kept from here */
	posting_list_clear(&r->poll->postings);
	run_set_state(l, r, POLL_DETAILS);
	if (max > 0 && !l->stopping && now >= r->details_after) {
		int hold = max * (l->cfg->page_gap / 1000 + l->cfg->timeout);
		if (hold < LOOP_DETAIL_HOLD_MIN_S)
			hold = LOOP_DETAIL_HOLD_MIN_S;
		if (store_detail_pick(l->store, r->st.id, max, l->cfg->detail_refresh, hold,
				      &r->poll->todo, &r->poll->ntodo) < 0)
			r->poll->ntodo = 0;
	}
	details_next(l, r);
}

/* Ask for the next detail, or end the phase. */
static void details_next(struct loop *l, struct run *r)
{
	char err[512];

	while (r->poll->next_todo < r->poll->ntodo && !l->stopping) {
		const struct store_detail_todo *t = &r->poll->todo[r->poll->next_todo];
		source_request_clear(&r->poll->req);
		err[0] = '\0';
		if (r->adapter->detail_request(run_src(r), t->external_id, t->detail_ref,
					       &r->poll->req, err, sizeof(err)) == 0) {
			if (run_fetch(l, r, false) == 0)
				return; /* details_done follows */
			snprintf(err, sizeof(err), "cannot build the request for %.200s",
				 r->poll->req.url);
		}
		r->poll->next_todo++;
		details_fail(r, t, *err ? err : "cannot build the request", l->cfg->detail_refresh,
			     true);
	}
	details_end(l, r);
}

/* 404 and 410, and Workday's 403 with errorCode S22: the posting's page is gone while its list
 * row is not (yet). */
static bool detail_gone(const struct fetch_result *res)
{
	return res->status == 404 || res->status == 410 ||
	       (res->status == 403 && res->body && strstr(res->body, "\"S22\"") != NULL);
}

/* One detail's answer. */
static void details_done(struct loop *l, struct run *r, const struct fetch_result *res)
{
	const struct store_detail_todo *t = &r->poll->todo[r->poll->next_todo++];
	char err[512] = "";
	int64_t now = util_now_ms();

	if (res->error) {
		details_fail(r, t, res->error, 0, false); /* a timeout, a reset: next poll */
	} else if (res->status == 429) {
		/* the tenant wants fewer: nothing more of it this poll, nor before Retry-After */
		long after = res->retry_after > 0 ? res->retry_after : 60;
		if (after > 86400)
			after = 86400;
		r->details_after = now + after * 1000;
		details_fail(r, t, NULL, (int)after, false);
		for (; r->poll->next_todo < r->poll->ntodo; r->poll->next_todo++)
			details_fail(r, &r->poll->todo[r->poll->next_todo], NULL, (int)after,
				     false);
		struct buf b = BUF_INIT;
		buf_puts(&b, "details");
		alert_logfmt_pair(&b, "source", r->name);
		buf_printf(&b, " status=429 retry_after=%lds read=%zu", after, r->poll->read.len);
		log_info("%s", b.data);
		buf_free(&b);
	} else if (detail_gone(res)) {
		snprintf(err, sizeof(err),
			 "HTTP %ld: the posting's page is gone while it is listed", res->status);
		details_fail(r, t, err, l->cfg->detail_refresh, true);
	} else if (res->truncated) {
		snprintf(err, sizeof(err), "body exceeds max_body %ld bytes", l->cfg->max_body);
		details_fail(r, t, err, l->cfg->detail_refresh, true);
	} else if (res->status < 200 || res->status > 299) {
		snprintf(err, sizeof(err), "HTTP %ld", res->status);
		details_fail(r, t, err, 0, false); /* 5xx and the like: next poll */
	} else {
		struct posting *p = posting_list_add(&r->poll->read);
		p->external_id = xstrdup(t->external_id);
		if (r->adapter->detail_parse(run_src(r), res->body, res->len, p, err, sizeof(err)) <
		    0) {
			posting_list_pop(&r->poll->read);
			details_fail(r, t, *err ? err : "the detail could not be read", 0, false);
		}
	}
	source_request_clear(&r->poll->req);
	if (r->poll->next_todo >= r->poll->ntodo || l->stopping) {
		details_end(l, r);
		return;
	}
	/* the same polite gap as between pages; loop_continue_pages asks for it */
	run_wait_gap(l, r, POLL_DETAIL_GAP, now);
}

/* Queue r->poll->req: a page of r's walk, with the stored validators on the first page of a body
 * known before (validators), or a detail, without. */
static int run_fetch(struct loop *l, struct run *r, bool validators)
{
	struct fetch_request fr = {
	    .url = r->poll->req.url,
	    .body = r->poll->req.body,
	    .content_type = r->poll->req.content_type,
	    .accept = r->poll->req.accept,
	    .ud = r,
	};
	if (validators && r->st.body_sha256) {
		fr.etag = r->st.etag;
		fr.last_modified = r->st.last_modified;
	}
	return fetch_add(l->fetch, &fr);
}

static int poll_request(struct loop *l, struct run *r)
{
	/* validators only make sense for the first page of a known body */
	return run_fetch(l, r, r->poll->walk.pages == 0 && r->state != POLL_DETECTING);
}

/* What the poll that starts holds, from its first page (freed by run_reset_poll). */
static void run_begin_poll(const struct loop *l, struct run *r)
{
	run_reset_poll(r);
	r->poll = xcalloc(1, sizeof(*r->poll));
	source_walk_init(&r->poll->walk, l->cfg->max_pages);
}

/* Start a poll of r, whose lease loop_start_due has claimed. */
static void poll_start(struct loop *l, struct run *r)
{
	char err[512] = "";

	run_set_state(l, r, POLL_FETCHING);
	r->started_wall = wall_ms();
	r->started_mono = util_now_ms();
	run_begin_poll(l, r);
	if (r->adapter == NULL) { /* type auto: read the page first (detect_done) */
		run_set_state(l, r, POLL_DETECTING);
		r->poll->req.url = xstrdup(r->src->url);
		if (poll_request(l, r) < 0)
			poll_failed(l, r, "cannot queue the page", -1);
		return;
	}
	if (r->adapter->first(run_src(r), &r->poll->walk, &r->poll->req, err, sizeof(err)) < 0 ||
	    poll_request(l, r) < 0)
		poll_failed(l, r, *err ? err : "cannot build the request", -1);
}

/* The page of a type auto source is here: find its board, remember it, and poll it now. */
/* r now polls as what it was found to be (run_adopt): say so, remember it for the next
 * starts, and begin its poll there. */
static void poll_restart_as(struct loop *l, struct run *r, const char *reason)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "detect");
	alert_logfmt_pair(&b, "source", r->name);
	alert_logfmt_pair(&b, "type", r->as_type);
	alert_logfmt_pair(&b, "url", r->as_url);
	if (reason)
		alert_logfmt_pair(&b, "reason", reason);
	log_info("%s", b.data);
	buf_free(&b);
	if (store_connected(l->store))
		(void)store_record_detection(l->store, r->st.id, r->as_type, r->as_url);
	run_reset_poll(r);
	poll_start(l, r);
}

static void detect_done(struct loop *l, struct run *r, const struct fetch_result *res)
{
	const char *type;
	char *api_url, err[512];

	run_set_state(l, r, POLL_FETCHING);
	if (res->status < 200 || res->status > 299) {
		snprintf(err, sizeof(err), "HTTP %ld", res->status);
		poll_failed(l, r, err, res->retry_after);
		return;
	}
	if (!detect_page(res->body, res->len, r->src->url, &type, &api_url)) {
		poll_failed(l, r, DETECT_NONE, -1);
		return;
	}
	if (!run_adopt(r, type, api_url)) {
		snprintf(err, sizeof(err), "the page has a %s board, but no %s adapter is built in",
			 type, type);
		free(api_url);
		poll_failed(l, r, err, -1);
		return;
	}
	poll_restart_as(l, r, NULL);
	free(api_url);
}

/* The first page of r's walk says the tenant serves another interface than the URL asked
 * (Eightfold's "PCSX is not enabled"): poll that one now and from now on (remembered as the
 * source's detected URL until its configured type or url changes). True when it did. */
static bool page_refused(struct loop *l, struct run *r, const struct fetch_result *res)
{
	char *alt;
	const char *type = r->adapter->type;

	if (r->adapter->refused == NULL ||
	    (alt = r->adapter->refused(run_src(r), res->body, res->len)) == NULL)
		return false;
	if (r->as_url && strcmp(r->as_url, alt) == 0) { /* it refuses that one too */
		free(alt);
		return false;
	}
	bool adopted = run_adopt(r, type, alt);
	free(alt);
	if (!adopted)
		return false;
	poll_restart_as(l, r, "the tenant refused the configured interface");
	return true;
}

static void page_done(struct loop *l, struct run *r, struct fetch_result *res)
{
	char err[512] = "", digest[DIGEST_HEX_LEN + 1];
	struct source_request next = {0};

	r->last_status = (int)res->status;
	if (res->error) {
		poll_failed(l, r, res->error, res->retry_after);
		return;
	}
	if (res->truncated) {
		snprintf(err, sizeof(err), "body exceeds max_body %ld bytes", l->cfg->max_body);
		poll_failed(l, r, err, -1);
		return;
	}
	if (r->state == POLL_DETECTING) {
		detect_done(l, r, res);
		return;
	}
	/* a 304 answers validators; one nobody asked for is an error, never a baseline */
	if (res->status == 304 && r->poll->walk.pages == 0 && res->conditional) {
		r->poll->etag = xstrdup(r->st.etag);
		r->poll->last_modified = xstrdup(r->st.last_modified);
		poll_finished(l, r, true);
		return;
	}
	if (r->poll->walk.pages == 0 && page_refused(l, r, res))
		return;
	if (res->status < 200 || res->status > 299) {
		snprintf(err, sizeof(err), "HTTP %ld", res->status);
		poll_failed(l, r, err, res->retry_after);
		return;
	}
	if (r->poll->walk.pages == 0) {
		r->poll->etag = xstrdup(res->etag);
		r->poll->last_modified = xstrdup(res->last_modified);
	}
	digest_body_hex(res->body, res->len, digest);
	buf_puts(&r->poll->digests, digest);
	/* the same single-page body as the last complete poll: nothing to parse */
	if (r->poll->walk.pages == 0 && r->st.body_sha256 &&
	    strcmp(digest, r->st.body_sha256) == 0) {
		r->poll->walk.pages = 1;
		poll_finished(l, r, true);
		return;
	}
	r->poll->walk.page_url = r->poll->req.url;
	/* A source polled completely before: its store reads which list items its postings
	 * were made from, and the adapter may leave those items unparsed for it. */
	r->poll->postings.later_ok = r->st.has_baseline;
	switch (source_walk_step(r->adapter, run_src(r), &r->poll->walk, res->body, res->len,
				 &r->poll->postings, &next, err, sizeof(err))) {
	case SOURCE_STEP_ERROR:
		poll_failed(l, r, err, -1);
		return;
	case SOURCE_STEP_END: /* whole, or partial (w->incomplete): what was read is stored */
		poll_finished(l, r, false);
		return;
	case SOURCE_STEP_NEXT:
		break;
	}
	/* a 304 to page 1's validators would say nothing of the pages after it: a walk of
	 * several pages keeps none, and relies on the digest of all its pages instead */
	free(r->poll->etag);
	free(r->poll->last_modified);
	r->poll->etag = r->poll->last_modified = NULL;
	source_request_clear(&r->poll->req);
	r->poll->req = next;
	/* A polite gap between the pages of one board; loop_continue_pages asks for it. */
	run_wait_gap(l, r, POLL_PAGE_GAP, util_now_ms());
}

/* Ask for the next page of every walk whose gap is over, stopping or not: a poll in flight
 * finishes whole or not at all. */
static void loop_continue_pages(struct loop *l, int64_t now)
{
	int64_t min = INT64_MAX;

	if (now < l->page_min)
		return;
	for (size_t i = 0; i < l->nruns; i++) {
		struct run *r = &l->runs[i];
		if (r->state != POLL_PAGE_GAP && r->state != POLL_DETAIL_GAP)
			continue;
		if (r->page_due > now) {
			if (r->page_due < min)
				min = r->page_due;
			continue;
		}
		r->page_due = 0;
		if (r->state == POLL_DETAIL_GAP) {
			run_set_state(l, r, POLL_DETAILS);
			details_next(l, r);
			continue;
		}
		run_set_state(l, r, POLL_FETCHING);
		if (poll_request(l, r) < 0)
			poll_failed(l, r, "cannot queue the next page", -1);
	}
	l->page_min = min;
}

static bool loop_all_polled(const struct loop *l)
{
	return l->npolled == l->nruns && l->in_flight == 0;
}

/* Start every due poll whose lease this daemon gets: all of them are claimed in one
 * statement, which leaves other daemons their share. Another daemon polls the rest, or polled
 * them lately: each comes back when it may be due or free (--once waits for another daemon's
 * poll to end). */
static void loop_start_due(struct loop *l, int64_t now)
{
	size_t n = 0, cap = loop_start_cap(l);
	size_t room = l->listing < cap ? cap - l->listing : 0;
	int64_t min = INT64_MAX;

	if (l->stopping || l->pending || !db_ready(l, now) || now < l->due_min)
		return;
	/* The claim would wait for the write in flight on the connection: while other polls keep
	 * the loop busy, it waits instead for the store to be idle (loop_store_idle). A cold start
	 * claimed 31 times, each behind 35 ms of the database's work on a chunk of first polls,
	 * the loop doing nothing meanwhile. */
	l->claim_later = store_apply_fd(l->store) >= 0 && l->listing > 0;
	if (l->claim_later)
		return;
	l->start_full = false;
	for (size_t i = 0; i < l->nruns; i++) {
		struct run *r = &l->runs[i];
		if (run_polling(r) || (l->o->once && r->polled))
			continue; /* run_set_due counts it when its poll ends */
		if (r->next_due > now) {
			if (r->next_due < min)
				min = r->next_due;
			continue;
		}
		if (n == room) { /* due, and waits for room (run_set_state) */
			l->start_full = true;
			continue;
		}
		if (n == l->claim_cap) {
			l->claim_cap = l->claim_cap ? 2 * l->claim_cap : 64;
			l->claim_run =
			    xreallocarray(l->claim_run, l->claim_cap, sizeof(*l->claim_run));
			l->claim_id =
			    xreallocarray(l->claim_id, l->claim_cap, sizeof(*l->claim_id));
			l->claim_ok =
			    xreallocarray(l->claim_ok, l->claim_cap, sizeof(*l->claim_ok));
			l->claim_wait =
			    xreallocarray(l->claim_wait, l->claim_cap, sizeof(*l->claim_wait));
		}
		l->claim_run[n] = i;
		l->claim_id[n++] = r->st.id;
	}
	l->due_min = min;
	if (n == 0)
		return;
	if (store_claim_many(l->store, l->claim_id, n, l->o->once, l->claim_ok, l->claim_wait) <
	    0) {
		for (size_t k = 0; k < n; k++)
			run_set_due(l, &l->runs[l->claim_run[k]], now + 1000);
		return;
	}
	/* the wait is when the source may be ours: due, left over, or its holder done */
	for (size_t k = 0; k < n; k++) {
		struct run *r = &l->runs[l->claim_run[k]];
		int64_t wait = l->claim_wait[k] > 0 ? l->claim_wait[k] : LOOP_CLAIM_RETRY_MS;
		if (l->claim_ok[k])
			poll_start(l, r);
		else
			run_set_due(l, r, now + wait);
	}
}

static int loop_next_timeout(const struct loop *l, int64_t now)
{
	int64_t t = 1000;
	bool starting = !(l->stopping || l->pending || !store_connected(l->store));

	if (!starting)
		t = l->db_retry_at - now > 1000 ? 1000 : l->db_retry_at - now;
	/* a claim put off for the write in flight is woken by the write's answer */
	bool put_off = l->claim_later && store_apply_fd(l->store) >= 0;
	if (starting && !put_off && l->due_min - now < t)
		t = l->due_min - now;
	if (l->page_min - now < t)
		t = l->page_min - now;
	int64_t flush = store_batch_due(l->batch);
	if (flush != INT64_MAX && flush - now < t)
		t = flush - now;
	return t < 0 ? 0 : (int)t;
}

/* Swap in a reloaded config once no poll is in flight. */
static void loop_swap_config(struct loop *l)
{
	char err[512];
	struct alert_rules *rules = alert_rules_new(l->pending, err, sizeof(err));
	size_t n;

	if (rules == NULL) {
		struct buf b = BUF_INIT;
		buf_puts(&b, "reload status=rejected");
		alert_logfmt_pair(&b, "error", err);
		log_err("%s", b.data);
		buf_free(&b);
		config_free(l->pending);
		l->pending = NULL;
		notify_ready();
		return;
	}
	struct run *runs = runs_build(l->pending, l->runs, l->nruns, &n, util_now_ms());
	for (size_t i = 0; i < l->nruns; i++)
		run_free(&l->runs[i]);
	free(l->runs);
	alert_rules_free(l->rules);
	config_free(l->cfg);
	fetch_free(l->fetch);
	l->cfg = l->pending;
	l->pending = NULL;
	l->rules = rules;
	l->runs = runs;
	l->nruns = n;
	loop_recount(l);
	struct fetch_opts fo = fetch_opts_of(l->cfg);
	l->fetch = fetch_new(&fo);
	log_reconfigure(l->cfg->facility, l->cfg->log_socket);
	log_set_journal((enum log_journal)l->cfg->journal);
	if (store_connected(l->store) && runs_sync(l) < 0) {
		log_warn("reload status=partial error=\"sources not synced; retried\"");
		l->synced = false; /* db_ready syncs again before the next poll starts */
	}
	log_info("reload status=ok sources=%zu alerts=%zu", l->nruns, l->cfg->nalerts);
	notify_ready();
}

static void loop_reload(struct loop *l)
{
	char *msg = NULL;
	size_t len = 0;
	FILE *errs = open_memstream(&msg, &len);

	notify_reloading();
	config_free(l->pending);
	l->pending = config_load(l->o->config_path, errs);
	fclose(errs);
	if (l->pending == NULL) {
		/* one error a line, the last ended: escaped, so that a quote or a newline of a
		 * path or a value stays in the one line */
		struct buf b = BUF_INIT;
		while (len > 0 && msg[len - 1] == '\n')
			msg[--len] = '\0';
		buf_puts(&b, "reload status=rejected keeping=old-config");
		alert_logfmt_pair(&b, "errors", msg ? msg : "");
		log_err("%s", b.data);
		buf_free(&b);
		notify_ready();
	}
	free(msg);
}

static void loop_signals(struct loop *l)
{
	struct signalfd_siginfo si;

	while (read(l->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_info("reload requested");
			loop_reload(l);
		} else if (!l->stopping) {
			log_info("stop requested signal=%s in_flight=%zu",
				 si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM", l->in_flight);
			notify_stopping();
			l->stopping = true;
			l->stop_deadline = util_now_ms() + LOOP_STOP_DEADLINE_MS;
		}
	}
}

static bool loop_done(const struct loop *l, int64_t now)
{
	if (l->stopping)
		return l->in_flight == 0 || now >= l->stop_deadline;
	if (l->o->once)
		return (loop_all_polled(l) && store_batch_unchanged_waiting(l->batch) == 0) ||
		       (l->db_error && l->in_flight == 0);
	return false;
}

/* Finish the walks whose snapshots the database has applied since the last look (any call
 * on the store waits for the apply in flight first, so answers come from everywhere). */
static void loop_applied(struct loop *l)
{
	struct events ev = {0};
	void *ud;
	enum store_rc rc;

	while (store_apply_next_done(l->store, &ud, &rc, &ev))
		poll_applied(l, ud, rc, &ev);
	events_clear(&ev);
}

/* Read what the store has answered; once it has nothing in flight: the answers of what it
 * wrote, the claim that waited for it (loop_start_due), then the next chunk of polls to write.
 * The answers come first: a write that lost the connection is its polls' retry
 * (poll_applied) before the claim's db_ready makes the connection again. */
static void loop_store_idle(struct loop *l)
{
	store_apply_progress(l->store);
	if (store_apply_fd(l->store) >= 0)
		return;
	loop_applied(l);
	if (l->claim_later)
		loop_start_due(l, util_now_ms());
	loop_flush(l, util_now_ms(), false, false);
}

static void loop_turn(struct loop *l)
{
	struct fetch_result *res;
	int64_t now = util_now_ms();
	int fds[2];

	loop_continue_pages(l, now);
	loop_start_due(l, now);
	loop_applied(l);
	fds[0] = l->sigfd;
	fds[1] = store_apply_fd(l->store);
	if (fetch_wait(l->fetch, loop_next_timeout(l, now), fds, fds[1] >= 0 ? 2 : 1) < 0)
		log_err("fetch status=error");
	loop_signals(l);
	while ((res = fetch_next_done(l->fetch)) != NULL) {
		struct run *r = res->ud;
		if (r->state == POLL_DETAILS)
			details_done(l, r, res);
		else
			page_done(l, r, res);
		fetch_result_free(res);
		/* the database may have ended what it had while this board was read: it gets the
		 * next chunk now, not once every board this turn brought is read (a turn of a
		 * cold start reads dozens) */
		loop_store_idle(l);
	}
	loop_store_idle(l);
	loop_applied(l);
	now = util_now_ms();
	loop_flush(l, now, l->stopping || l->pending || (l->o->once && loop_all_polled(l)),
		   l->stopping || l->pending);
	if (l->pending && l->in_flight == 0)
		loop_swap_config(l);
	janitor_run(l, now);
}

static void loop_free(struct loop *l)
{
	store_batch_free(l->batch);
	free(l->claim_run);
	free(l->claim_id);
	free(l->claim_wait);
	free(l->claim_ok);
	for (size_t i = 0; i < l->nruns; i++)
		run_free(&l->runs[i]);
	free(l->runs);
	fetch_free(l->fetch);
	store_free(l->store);
	alert_rules_free(l->rules);
	config_free(l->pending);
	config_free(l->cfg);
	if (l->sigfd >= 0)
		close(l->sigfd);
}

/* host:pid:random — unique among daemons on any hosts, and new at every start, so that a
 * restarted daemon does not inherit the leases of the one before it. */
static void loop_instance_id(struct loop *l)
{
	uint32_t rnd = 0;

	if (gethostname(l->host, sizeof(l->host)) < 0)
		snprintf(l->host, sizeof(l->host), "unknown");
	l->host[sizeof(l->host) - 1] = '\0';
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = (uint32_t)util_now_ms() ^ (uint32_t)getpid();
	snprintf(l->instance, sizeof(l->instance), "%s:%ld:%08x", l->host, (long)getpid(), rnd);
	/* The jitter of due times (schedule.c) draws from random(): unseeded, every daemon at
	 * every start drew the same sequence, and instances sharing sources spread alike. */
	srandom(rnd);
}

int loop_run(struct config *cfg, const struct loop_opts *o)
{
	struct loop l = {.cfg = cfg, .o = o, .sigfd = -1};
	char err[512];
	int rc = LOOP_EXIT_OK;

	if ((l.rules = alert_rules_new(cfg, err, sizeof(err))) == NULL) {
		struct buf b = BUF_INIT;
		buf_puts(&b, "config");
		alert_logfmt_pair(&b, "error", err);
		log_err("%s", b.data);
		buf_free(&b);
		loop_free(&l);
		return LOOP_EXIT_SETUP;
	}
	if ((l.sigfd = signals_open()) < 0)
		fatal("signalfd: %s", strerror(errno));
	l.store = store_new(cfg->conninfo ? cfg->conninfo : "", "jobwatchd");
	loop_batch_new(&l);
	loop_instance_id(&l);
	store_set_owner(l.store, l.instance, cfg->lease * 1000, LOOP_LIVE_MS);
	l.runs = runs_build(cfg, NULL, 0, &l.nruns, util_now_ms());
	/* --once is one sweep: nothing to spread over the first second */
	for (size_t i = 0; o->once && i < l.nruns; i++)
		l.runs[i].next_due = util_now_ms();
	l.cycle = 1; /* runs not counted in a cycle yet have cycle 0 */
	loop_recount(&l);
	/* a daemon whose database is down still starts: it says so in STATUS and retries */
	if (!db_ready(&l, util_now_ms()) && o->once) {
		loop_free(&l);
		return LOOP_EXIT_SETUP;
	}
	struct fetch_opts fo = fetch_opts_of(cfg);
	l.fetch = fetch_new(&fo);
	l.wd_period = notify_watchdog_period_ms();
	l.cycle_start = util_now_ms();
	log_info("start version=%s sources=%zu alerts=%zu once=%s", JOBWATCH_VERSION, l.nruns,
		 cfg->nalerts, o->once ? "true" : "false");
	uint64_t seed; /* read now rather than in a poll, and said once when it cannot be */
	if (!digest_build_seed(&seed))
		log_warn("fingerprints status=off error=\"/proc/self/exe cannot be read: changed"
			 " boards are parsed whole\"");
	notify_ready();
	while (!loop_done(&l, util_now_ms()))
		loop_turn(&l);
	store_apply_wait(l.store); /* a snapshot sent is a snapshot applied, and alerted */
	loop_applied(&l);
	janitor_cycle(&l, util_now_ms()); /* --once: its sweep in one line */
	if (l.stopping && l.in_flight)
		log_warn("stop abandoned=%zu polls (nothing of them was applied)", l.in_flight);
	if (o->once && l.db_error)
		rc = LOOP_EXIT_SETUP;
	else if (o->once && l.any_failed)
		rc = LOOP_EXIT_SOURCE_FAILED;
	if (store_release(l.store) < 0 && !o->once)
		log_warn("lease status=not-released (they expire after %d s)", cfg->lease);
	log_info("stop status=%d", rc);
	loop_free(&l);
	return rc;
}
