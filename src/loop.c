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
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "buf.h"
#include "config.h"
#include "digest.h"
#include "fetch.h"
#include "log.h"
#include "notify.h"
#include "schedule.h"
#include "source.h"
#include "store.h"
#include "util.h"

#define LOOP_DB_BACKOFF_MAX_MS 30000
#define LOOP_STOP_DEADLINE_MS 10000
#define LOOP_STATUS_EVERY_MS 5000

struct run {
	char *name;
	const struct config_source *src; /* in loop->cfg */
	const struct source_adapter *adapter; /* NULL: type auto, page not read yet */
	struct config_source as;	      /* type auto: src as what its page was found to be */
	bool detecting;			      /* the poll in flight reads the page */
	struct store_source_state st;
	int64_t next_due; /* monotonic ms */
	bool polling;
	bool polled; /* --once: done */
	int failures;
	/* the poll in flight */
	struct source_walk walk;
	struct posting_list postings;
	struct buf digests; /* hex digest of every page, in order */
	struct source_request req;
	int64_t started_wall;
	int64_t started_mono;
	int last_status;
	char *etag;
	char *last_modified;
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
};

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

static void run_reset_poll(struct run *r)
{
	posting_list_clear(&r->postings);
	buf_free(&r->digests);
	source_request_clear(&r->req);
	free(r->etag);
	free(r->last_modified);
	r->etag = r->last_modified = NULL;
	r->polling = false;
	r->detecting = false;
	r->last_status = 0;
}

/* The source as its adapter sees it: for type auto, the detected type and url. */
static const struct config_source *run_src(const struct run *r)
{
	return r->as.type ? &r->as : r->src;
}

/* Poll a type auto source as type/url from now on; false when this build lacks the adapter. */
static bool run_adopt(struct run *r, const char *type, const char *url)
{
	const struct source_adapter *a = source_adapter_find(type);

	if (a == NULL || url == NULL)
		return false;
	free(r->as.type);
	free(r->as.url);
	r->as = *r->src;
	r->as.type = xstrdup(type);
	r->as.url = xstrdup(url);
	r->adapter = a;
	return true;
}

static void run_free(struct run *r)
{
	run_reset_poll(r);
	store_source_state_clear(&r->st);
	free(r->as.type);
	free(r->as.url);
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

static int runs_sync(struct loop *l)
{
	for (size_t i = 0; i < l->nruns; i++) {
		struct run *r = &l->runs[i];
		store_source_state_clear(&r->st);
		if (store_sync_source(l->store, r->src->name, r->src->type, r->src->url, &r->st) <
		    0)
			return -1;
		/* a type auto page read before (and not changed in the config since) */
		if (r->adapter == NULL && r->st.detected_type)
			(void)run_adopt(r, r->st.detected_type, r->st.detected_url);
	}
	return 0;
}

/* Connect (and migrate and sync) when the database is down; capped backoff between tries. */
static bool db_ready(struct loop *l, int64_t now)
{
	if (store_connected(l->store))
		return true;
	if (now < l->db_retry_at)
		return false;
	if (store_connect(l->store) == 0 && store_migrate(l->store, l->o->sql_dir) == 0 &&
	    runs_sync(l) == 0) {
		if (l->db_failures)
			log_info("database status=connected after=%d", l->db_failures);
		l->db_failures = 0;
		return true;
	}
	int64_t delay = 1000;
	for (int i = 0; i < l->db_failures && delay < LOOP_DB_BACKOFF_MAX_MS; i++)
		delay *= 2;
	l->db_failures++;
	l->db_retry_at = now + (delay > LOOP_DB_BACKOFF_MAX_MS ? LOOP_DB_BACKOFF_MAX_MS : delay);
	notify_status("waiting for the database (try %d)", l->db_failures);
	return false;
}

static void poll_log(const struct run *r, const char *outcome, const struct store_events *ev,
		     const char *error)
{
	struct buf b = BUF_INIT;
	size_t counts[EVENT_KIND_COUNT] = {0};

	if (ev)
		for (size_t i = 0; i < ev->len; i++)
			counts[ev->items[i].kind]++;
	buf_puts(&b, "poll");
	alert_logfmt_pair(&b, "source", r->name);
	buf_printf(&b, " status=%d outcome=%s pages=%d", r->last_status, outcome, r->walk.pages);
	if (ev) {
		buf_printf(&b, " postings=%zu new=%zu closed=%zu reopened=%zu changed=%zu",
			   ev->postings, counts[EVENT_NEW], counts[EVENT_CLOSED],
			   counts[EVENT_REOPENED],
			   counts[EVENT_TITLE_CHANGED] + counts[EVENT_LOCATION_CHANGED] +
				   counts[EVENT_DEPARTMENT_CHANGED] + counts[EVENT_PAY_CHANGED]);
		if (ev->baseline)
			buf_puts(&b, " baseline=true");
		if (ev->suspect)
			buf_puts(&b, " suspect=true");
	}
	if (r->postings.dropped)
		buf_printf(&b, " dropped=%zu", r->postings.dropped);
	buf_printf(&b, " ms=%lld", (long long)(util_now_ms() - r->started_mono));
	if (error)
		alert_logfmt_pair(&b, "error", error);
	if (error) /* the change of state was logged by the caller ("source failing") */
		log_debug("%s", b.data);
	else if (ev && ev->len && !ev->baseline)
		log_info("%s", b.data);
	else
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
	p->pages = r->walk.pages;
	p->dropped = r->postings.dropped;
	p->etag = r->etag;
	p->last_modified = r->last_modified;
}

static void poll_failed(struct loop *l, struct run *r, const char *error, long retry_after)
{
	struct store_poll p;
	int64_t now = util_now_ms();

	poll_fill(r, &p, STORE_OUTCOME_FAILED, error, "error");
	p.etag = p.last_modified = NULL;
	if (store_connected(l->store))
		(void)store_record_failure(l->store, &p);
	r->failures++;
	l->any_failed = true;
	if (r->failures == 1)
		log_warn("source failing source=%s error=\"%s\"", r->name, error);
	poll_log(r, "failed", NULL, error);
	r->next_due = schedule_backoff(now, r->src->interval, l->cfg->jitter, r->failures,
				       retry_after);
	r->polled = true;
	run_reset_poll(r);
}

/* The walk is over and whole: apply it (or count it again when the body did not change). */
static void poll_finished(struct loop *l, struct run *r, bool unchanged)
{
	struct store_poll p;
	struct store_events ev = {0};
	char digest[DIGEST_HEX_LEN + 1];

	if (r->walk.pages > 1)
		digest_sha256_hex(r->digests.data, r->digests.len, digest);
	else
		snprintf(digest, sizeof(digest), "%s", r->digests.data ? r->digests.data : "");
	if (!unchanged && r->st.body_sha256 && strcmp(digest, r->st.body_sha256) == 0)
		unchanged = true;
	poll_fill(r, &p, unchanged ? STORE_OUTCOME_UNCHANGED : STORE_OUTCOME_COMPLETE, NULL,
		  "complete");
	p.body_sha256 = unchanged ? r->st.body_sha256 : digest;
	if (store_apply_snapshot(l->store, &p, &r->postings,
				 &(struct store_opts){l->cfg->close_after, l->cfg->max_drop},
				 &ev) < 0) {
		/* Nothing was applied. A lost connection is re-made and the poll retried soon;
		 * another database error is this source's failure. */
		if (!store_connected(l->store)) {
			log_warn("poll source=%s outcome=retry error=\"database connection lost\"",
				 r->name);
			r->next_due = util_now_ms() + 1000;
			if (l->o->once)
				l->db_error = true;
			r->polled = l->o->once;
			run_reset_poll(r);
		} else {
			poll_failed(l, r, "database error applying the snapshot", -1);
		}
		return;
	}
	if (!unchanged) {
		free(r->st.body_sha256);
		r->st.body_sha256 = xstrdup(digest);
	}
	free(r->st.etag);
	free(r->st.last_modified);
	r->st.etag = xstrdup(r->etag);
	r->st.last_modified = xstrdup(r->last_modified);
	r->st.has_baseline = true;
	alert_emit(l->rules, r->name, &ev, l->cfg->alert_priority);
	if (r->failures)
		log_info("source recovered source=%s failures=%d", r->name, r->failures);
	poll_log(r, unchanged ? "unchanged" : "complete", &ev, NULL);
	store_events_clear(&ev);
	r->failures = 0;
	r->polled = true;
	r->next_due = schedule_next(util_now_ms(), r->src->interval, l->cfg->jitter);
	run_reset_poll(r);
}

static int poll_request(struct loop *l, struct run *r)
{
	struct fetch_request fr = {
		.url = r->req.url,
		.body = r->req.body,
		.content_type = r->req.content_type,
		.ud = r,
	};
	if (r->walk.pages == 0 && !r->detecting) {
		/* validators only make sense for the first page of a known body */
		fr.etag = r->st.body_sha256 ? r->st.etag : NULL;
		fr.last_modified = r->st.body_sha256 ? r->st.last_modified : NULL;
	}
	return fetch_add(l->fetch, &fr);
}

static void poll_start(struct loop *l, struct run *r)
{
	char err[512] = "";

	r->polling = true;
	r->started_wall = wall_ms();
	r->started_mono = util_now_ms();
	source_walk_init(&r->walk, l->cfg->max_pages);
	if (r->adapter == NULL) { /* type auto: read the page first (detect_done) */
		r->detecting = true;
		r->req.url = xstrdup(r->src->url);
		if (poll_request(l, r) < 0)
			poll_failed(l, r, "cannot queue the page", -1);
		return;
	}
	if (r->adapter->first(run_src(r), &r->walk, &r->req, err, sizeof(err)) < 0 ||
	    poll_request(l, r) < 0)
		poll_failed(l, r, *err ? err : "cannot build the request", -1);
}

/* The page of a type auto source is here: find its board, remember it, and poll it now. */
static void detect_done(struct loop *l, struct run *r, const struct fetch_result *res)
{
	struct buf b = BUF_INIT;
	const char *type;
	char *api_url, err[512];

	r->detecting = false;
	if (res->status < 200 || res->status > 299) {
		snprintf(err, sizeof(err), "HTTP %ld", res->status);
		poll_failed(l, r, err, res->retry_after);
		return;
	}
	if (!source_detect_page(res->body, res->len, r->src->url, &type, &api_url)) {
		poll_failed(l, r, SOURCE_DETECT_NONE, -1);
		return;
	}
	if (!run_adopt(r, type, api_url)) {
		snprintf(err, sizeof(err), "the page has a %s board, but no %s adapter is built in",
			 type, type);
		free(api_url);
		poll_failed(l, r, err, -1);
		return;
	}
	buf_puts(&b, "detect");
	alert_logfmt_pair(&b, "source", r->name);
	alert_logfmt_pair(&b, "type", type);
	alert_logfmt_pair(&b, "url", api_url);
	log_info("%s", b.data);
	buf_free(&b);
	if (store_connected(l->store))
		(void)store_record_detection(l->store, r->st.id, type, api_url);
	free(api_url);
	run_reset_poll(r);
	poll_start(l, r);
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
	if (r->detecting) {
		detect_done(l, r, res);
		return;
	}
	if (res->status == 304 && r->walk.pages == 0) {
		r->etag = xstrdup(r->st.etag);
		r->last_modified = xstrdup(r->st.last_modified);
		poll_finished(l, r, true);
		return;
	}
	if (res->status < 200 || res->status > 299) {
		snprintf(err, sizeof(err), "HTTP %ld", res->status);
		poll_failed(l, r, err, res->retry_after);
		return;
	}
	if (r->walk.pages == 0) {
		r->etag = xstrdup(res->etag);
		r->last_modified = xstrdup(res->last_modified);
	}
	digest_sha256_hex(res->body, res->len, digest);
	buf_puts(&r->digests, digest);
	/* the same single-page body as the last complete poll: nothing to parse */
	if (r->walk.pages == 0 && r->st.body_sha256 && strcmp(digest, r->st.body_sha256) == 0) {
		r->walk.pages = 1;
		poll_finished(l, r, true);
		return;
	}
	r->walk.page_url = r->req.url;
	if (r->adapter->parse(run_src(r), &r->walk, res->body, res->len, &r->postings, &next, err,
			      sizeof(err)) < 0) {
		source_request_clear(&next);
		poll_failed(l, r, *err ? err : "the page could not be read", -1);
		return;
	}
	r->walk.pages++;
	if (next.url == NULL) {
		poll_finished(l, r, false);
		return;
	}
	if (r->walk.pages >= r->walk.max_pages) {
		source_request_clear(&next);
		r->walk.ceiling = true;
		poll_failed(l, r, "page ceiling reached (poll.max_pages): not complete", -1);
		return;
	}
	source_request_clear(&r->req);
	r->req = next;
	if (poll_request(l, r) < 0)
		poll_failed(l, r, "cannot queue the next page", -1);
}

static bool loop_all_polled(const struct loop *l)
{
	for (size_t i = 0; i < l->nruns; i++)
		if (!l->runs[i].polled || l->runs[i].polling)
			return false;
	return true;
}

static size_t loop_in_flight(const struct loop *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->nruns; i++)
		n += l->runs[i].polling;
	return n;
}

static void loop_start_due(struct loop *l, int64_t now)
{
	if (l->stopping || l->pending || !db_ready(l, now))
		return;
	for (size_t i = 0; i < l->nruns; i++) {
		struct run *r = &l->runs[i];
		if (r->polling || (l->o->once && r->polled) || r->next_due > now)
			continue;
		poll_start(l, r);
	}
}

static int loop_next_timeout(const struct loop *l, int64_t now)
{
	int64_t t = 1000;

	if (l->stopping || l->pending || !store_connected(l->store)) {
		t = l->db_retry_at - now;
		return t < 0 ? 0 : t > 1000 ? 1000 : (int)t;
	}
	for (size_t i = 0; i < l->nruns; i++)
		if (!l->runs[i].polling && l->runs[i].next_due - now < t)
			t = l->runs[i].next_due - now;
	return t < 0 ? 0 : (int)t;
}

/* Swap in a reloaded config once no poll is in flight. */
static void loop_swap_config(struct loop *l)
{
	char err[512];
	struct alert_rules *rules = alert_rules_new(l->pending, err, sizeof(err));
	size_t n;

	if (rules == NULL) {
		log_err("reload status=rejected error=\"%s\"", err);
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
	struct fetch_opts fo = fetch_opts_of(l->cfg);
	l->fetch = fetch_new(&fo);
	log_reconfigure(l->cfg->facility, l->cfg->log_socket);
	if (store_connected(l->store) && runs_sync(l) < 0)
		log_warn("reload status=partial error=\"sources not synced; retried on reconnect\"");
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
		for (char *p = msg; p && *p; p++)
			if (*p == '\n')
				*p = ';';
		log_err("reload status=rejected keeping=old-config errors=\"%s\"", msg ? msg : "");
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
				 si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM", loop_in_flight(l));
			notify_stopping();
			l->stopping = true;
			l->stop_deadline = util_now_ms() + LOOP_STOP_DEADLINE_MS;
		}
	}
}

static void loop_status(struct loop *l, int64_t now)
{
	size_t failing = 0;

	if (now < l->status_at)
		return;
	l->status_at = now + LOOP_STATUS_EVERY_MS;
	for (size_t i = 0; i < l->nruns; i++)
		failing += l->runs[i].failures > 0;
	if (store_connected(l->store))
		notify_status("polling %zu/%zu sources, %zu failing", loop_in_flight(l), l->nruns,
			      failing);
}

static void loop_watchdog(struct loop *l, int64_t now)
{
	if (l->wd_period && now - l->wd_last >= l->wd_period) {
		notify_watchdog();
		l->wd_last = now;
	}
}

static bool loop_done(const struct loop *l, int64_t now)
{
	if (l->stopping)
		return loop_in_flight(l) == 0 || now >= l->stop_deadline;
	if (l->o->once)
		return loop_all_polled(l) || (l->db_error && loop_in_flight(l) == 0);
	return false;
}

static void loop_turn(struct loop *l)
{
	struct fetch_result *res;
	int64_t now = util_now_ms();

	loop_start_due(l, now);
	if (fetch_wait(l->fetch, loop_next_timeout(l, now), &l->sigfd, 1) < 0)
		log_err("fetch status=error");
	loop_signals(l);
	while ((res = fetch_next_done(l->fetch)) != NULL) {
		struct run *r = res->ud;
		page_done(l, r, res);
		fetch_result_free(res);
	}
	if (l->pending && loop_in_flight(l) == 0)
		loop_swap_config(l);
	now = util_now_ms();
	loop_status(l, now);
	loop_watchdog(l, now);
}

static void loop_free(struct loop *l)
{
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

int loop_run(struct config *cfg, const struct loop_opts *o)
{
	struct loop l = {.cfg = cfg, .o = o, .sigfd = -1};
	char err[512];
	int rc = LOOP_EXIT_OK;

	if ((l.rules = alert_rules_new(cfg, err, sizeof(err))) == NULL) {
		log_err("config error=\"%s\"", err);
		loop_free(&l);
		return LOOP_EXIT_SETUP;
	}
	if ((l.sigfd = signals_open()) < 0)
		fatal("signalfd: %s", strerror(errno));
	l.store = store_new(cfg->conninfo ? cfg->conninfo : "", "jobwatchd");
	l.runs = runs_build(cfg, NULL, 0, &l.nruns, util_now_ms());
	/* a daemon whose database is down still starts: it says so in STATUS and retries */
	if (!db_ready(&l, util_now_ms()) && o->once) {
		loop_free(&l);
		return LOOP_EXIT_SETUP;
	}
	struct fetch_opts fo = fetch_opts_of(cfg);
	l.fetch = fetch_new(&fo);
	l.wd_period = notify_watchdog_period_ms();
	log_info("start version=%s sources=%zu alerts=%zu once=%s", JOBWATCH_VERSION, l.nruns,
		 cfg->nalerts, o->once ? "true" : "false");
	notify_ready();
	while (!loop_done(&l, util_now_ms()))
		loop_turn(&l);
	if (l.stopping && loop_in_flight(&l))
		log_warn("stop abandoned=%zu polls (nothing of them was applied)", loop_in_flight(&l));
	if (o->once && l.db_error)
		rc = LOOP_EXIT_SETUP;
	else if (o->once && l.any_failed)
		rc = LOOP_EXIT_SOURCE_FAILED;
	log_info("stop status=%d", rc);
	loop_free(&l);
	return rc;
}
