/* test_loop.c - the loop's bookkeeping, without a database or a network: the counts and the
 * lower bounds that spare each turn a walk over every source agree with such a walk after the
 * real ends of polls (failed, unchanged, database lost), a cycle ends exactly as the walk over
 * done_at said it did, and a bound not yet reached costs no walk. The loop's statics are
 * reached by including loop.c, as chrony's unit tests include the file they test. */
#include "../../src/loop.c"

#include "harness.h"

static char tmpdir[] = "/tmp/jobwatch-loop-XXXXXX";

/* A loop of n greenhouse sources, none polled, with a store that is not connected. */
static void loop_setup(struct loop *l, const struct loop_opts *o, int n)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	f = fopen(path, "w");
	fputs("poll: { interval = 60; jitter = 0; fail_after = 2; stale_after = \"1h\"; };\n"
	      "sources = (\n",
	      f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s{ name = \"s%d\"; type = \"greenhouse\"; board = \"b%d\"; }\n",
			i ? "," : "", i, i);
	fputs(");\n", f);
	fclose(f);
	memset(l, 0, sizeof(*l));
	l->o = o;
	l->sigfd = -1;
	l->cfg = config_load(path, stderr);
	if (l->cfg == NULL)
		exit(1);
	l->store = store_new("", "test_loop");
	loop_batch_new(l);
	l->runs = runs_build(l->cfg, NULL, 0, &l->nruns, util_now_ms());
	l->cycle = 1;
	loop_recount(l);
}

/* poll_start without its request: nothing here may reach the network. */
static void fake_start(struct loop *l, struct run *r)
{
	run_set_state(l, r, POLL_FETCHING);
	r->started_wall = wall_ms();
	r->started_mono = util_now_ms();
	run_begin_poll(l, r);
}

/* What a walk over every run finds, against what the loop keeps. */
static void check_bookkeeping(const struct loop *l)
{
	size_t in_flight = 0, listing = 0, polled = 0, failing = 0, done = 0;
	int64_t wall = wall_ms(), now = util_now_ms(); /* wall first: never early here */

	for (size_t i = 0; i < l->nruns; i++) {
		const struct run *r = &l->runs[i];
		in_flight += run_polling(r);
		listing += state_takes_room(r->state);
		polled += r->polled;
		failing += r->failures > 0;
		done += r->cycle == l->cycle;
		if (!run_polling(r) && !(l->o->once && r->polled))
			CHECK(l->due_min <= r->next_due);
		if (run_polling(r) && r->page_due)
			CHECK(l->page_min <= r->page_due);
		int64_t stale = run_stale_due(r, now, wall);
		if (!run_polling(r) && stale != INT64_MAX)
			CHECK(l->stale_min <= stale + 2); /* two clocks read apart, in whole ms */
	}
	CHECK_NUM(l->in_flight, in_flight);
	CHECK_NUM(l->listing, listing);
	CHECK_NUM(l->npolled, polled);
	CHECK_NUM(l->nfailing, failing);
	CHECK_NUM(l->ncycle_done, done);
}

static void test_counts_follow_polls(void)
{
	struct loop_opts o = {.once = true};
	struct loop l;

	loop_setup(&l, &o, 5);
	CHECK_NUM(l.nruns, 5);
	check_bookkeeping(&l);
	l.due_min = l.page_min = l.stale_min = INT64_MAX; /* as after a scan of idle runs */
	for (size_t i = 0; i < l.nruns; i++)
		fake_start(&l, &l.runs[i]);
	CHECK_NUM(l.in_flight, 5);
	CHECK(!loop_all_polled(&l));

	/* failed: counted failing (not yet told: fail_after = 2), due again, polled */
	poll_failed(&l, &l.runs[0], "HTTP 500", -1);
	CHECK_NUM(l.nfailing, 1);
	CHECK(l.due_min == l.runs[0].next_due);
	check_bookkeeping(&l);

	/* a 304 of a board with a baseline: queued, not failing, polled */
	l.runs[1].st.has_baseline = true;
	l.runs[1].poll->etag = xstrdup("\"v1\"");
	poll_finished(&l, &l.runs[1], true);
	CHECK_NUM(store_batch_unchanged_waiting(l.batch), 1);
	check_bookkeeping(&l);

	/* failing before, so written at once: the database is not there, retried in --once */
	run_set_failures(&l, &l.runs[2], 3);
	l.runs[2].st.has_baseline = true;
	poll_finished(&l, &l.runs[2], true);
	CHECK(l.db_error);
	CHECK(l.runs[2].polled);
	CHECK_NUM(l.nfailing, 2);
	check_bookkeeping(&l);

	/* a walk waiting for its next page: the timeout is the page gap, read off page_min */
	int64_t now = util_now_ms();
	l.runs[3].page_due = now + 200;
	l.page_min = l.runs[3].page_due;
	l.db_retry_at = now + 5000;
	CHECK_NUM(loop_next_timeout(&l, now), 200);
	poll_failed(&l, &l.runs[3], "HTTP 503", -1);
	poll_failed(&l, &l.runs[4], "HTTP 503", -1);
	CHECK_NUM(l.in_flight, 0);
	CHECK_NUM(l.nfailing, 4);
	CHECK(loop_all_polled(&l));
	check_bookkeeping(&l);

	/* a page bound not reached: no walk (a walk would find this run's page due) */
	l.runs[0].state = POLL_PAGE_GAP; /* behind the loop's back, as a walk would see it */
	l.runs[0].page_due = 1;
	l.page_min = now + 60000;
	loop_continue_pages(&l, now);
	CHECK(l.runs[0].page_due == 1);
	l.runs[0].state = POLL_IDLE;
	l.runs[0].page_due = 0;
	loop_free(&l);
}

/* The cycle ends when the last source ends a poll, and a poll that ended in the very
 * millisecond a cycle ended counts for the next one too, as done_at >= cycle_start said. */
static void test_cycle(void)
{
	struct loop_opts o = {.once = false};
	struct loop l;

	loop_setup(&l, &o, 3);
	l.cycle_start = 1000;
	run_ended(&l, &l.runs[0], 1100, 5000);
	run_ended(&l, &l.runs[1], 1200, 5000);
	janitor_cycle(&l, 1250);
	CHECK_NUM(l.last_cycle, 0);
	run_ended(&l, &l.runs[0], 1280, 5000); /* again: still one source of three to go */
	janitor_cycle(&l, 1290);
	CHECK_NUM(l.last_cycle, 0);
	run_ended(&l, &l.runs[2], 1300, 5000);
	janitor_cycle(&l, 1300);
	CHECK_NUM(l.last_cycle, 300);
	CHECK_NUM(l.cycle_start, 1300);
	CHECK_NUM(l.ncycle_done, 1); /* runs[2], done at 1300 */
	check_bookkeeping(&l);
	run_ended(&l, &l.runs[0], 1400, 5000);
	janitor_cycle(&l, 1450);
	CHECK_NUM(l.last_cycle, 300);
	run_ended(&l, &l.runs[1], 1500, 5000);
	janitor_cycle(&l, 1500);
	CHECK_NUM(l.last_cycle, 200);
	CHECK_NUM(l.cycle_start, 1500);
	check_bookkeeping(&l);
	loop_free(&l);
}

/* stale_min is when the first run not in flight may go stale (or a rescan, for a wall clock
 * that jumps); before it, janitor_stale_scan looks at no run. */
static void test_stale_bound(void)
{
	struct loop_opts o = {.once = false};
	struct loop l;
	int64_t now, wall;

	loop_setup(&l, &o, 3);
	wall = wall_ms();
	for (size_t i = 0; i < l.nruns; i++)
		l.runs[i].st.complete_ms = wall;
	l.runs[0].st.complete_ms = wall - 3600 * 1000 + 800; /* stale in 800 ms */
	l.runs[1].st.complete_ms = wall - 7200 * 1000;	     /* stale, but reported */
	l.runs[1].st.stale_reported = true;
	l.runs[2].st.complete_ms = wall - 7200 * 1000; /* stale, but in flight */
	fake_start(&l, &l.runs[2]);
	now = util_now_ms();
	janitor_stale_scan(&l, now);
	/* never late; early only by the time between reading the two clocks */
	CHECK(l.stale_min > now + 300 && l.stale_min <= now + 801);
	/* with nothing to go stale soon, the rescan for a wall clock that jumps */
	l.runs[0].st.complete_ms = wall;
	int64_t first = l.stale_min;
	janitor_stale_scan(&l, first);
	CHECK(l.stale_min == first + LOOP_STALE_RESCAN_MS);
	/* before the bound no run is looked at: this one, gone stale behind the loop's back,
	 * is found at the bound, not before */
	int64_t bound = l.stale_min;
	l.runs[0].st.complete_ms = wall - 7200 * 1000;
	janitor_stale_scan(&l, bound - 1);
	CHECK(l.stale_min == bound);
	janitor_stale_scan(&l, bound);
	CHECK(l.stale_min <= bound);
	/* the poll in flight ends: it may be stale at once, and the bound says so */
	run_ended(&l, &l.runs[2], now, now + 60000);
	CHECK(l.stale_min <= util_now_ms());
	check_bookkeeping(&l);
	loop_free(&l);
}

int main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	RUN(test_counts_follow_polls);
	RUN(test_cycle);
	RUN(test_stale_bound);
	char path[300];
	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	printf("%d passed, %d failed\n", harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}
