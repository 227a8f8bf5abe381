/* store_batch.c - polls written together (store_batch.h). An unchanged poll is copied and
 * waits; a first or changed poll waits with its snapshot, which stays its run's. Both queues are
 * written by the flushes the loop calls on every turn, and what the loop must hear back goes
 * through its hooks: this file decides when and how polls are written together, the loop what a
 * written poll means. */
#include "store_batch.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* An unchanged poll waiting, with what the one-source path needs when the batch leaves it
 * out. */
struct batch_unchanged {
	struct store_unchanged u;
	char *source;
	char *etag, *last_modified; /* u's, owned */
	char *body_sha256;
	struct store_opts opts;
	int64_t queued_at; /* monotonic ms */
};

/* A first or changed poll waiting; its strings and snapshot are its run's. */
struct batch_poll {
	struct store_poll p;
	struct posting_list *postings;
	struct store_opts opts;
	void *ud;
	int64_t queued_at; /* monotonic ms */
};

/* The first polls, or the changed ones, waiting to be written together in chunks. */
struct batch_queue {
	bool changed;
	struct batch_poll q[STORE_BATCH_QUEUE];
	size_t n, items, bytes;
};

struct store_batch {
	struct store *s;
	struct store_batch_hooks h;
	struct batch_unchanged *unchanged;
	size_t nunchanged, unchanged_cap;
	struct batch_queue first, changed;
};

struct store_batch *store_batch_new(struct store *s, const struct store_batch_hooks *hooks)
{
	struct store_batch *b = xcalloc(1, sizeof(*b));

	b->s = s;
	b->h = *hooks;
	b->changed.changed = true;
	return b;
}

static void batch_unchanged_free(struct batch_unchanged *q)
{
	free(q->source);
	free(q->etag);
	free(q->last_modified);
	free(q->body_sha256);
}

void store_batch_free(struct store_batch *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->nunchanged; i++)
		batch_unchanged_free(&b->unchanged[i]);
	free(b->unchanged);
	free(b);
}

void store_batch_unchanged(struct store_batch *b, const char *source, const struct store_poll *p,
			   const struct store_opts *opts)
{
	if (b->nunchanged == b->unchanged_cap) {
		b->unchanged_cap = b->unchanged_cap ? 2 * b->unchanged_cap : 64;
		b->unchanged = xreallocarray(b->unchanged, b->unchanged_cap, sizeof(*b->unchanged));
	}
	struct batch_unchanged *q = &b->unchanged[b->nunchanged++];
	memset(q, 0, sizeof(*q));
	q->source = xstrdup(source);
	q->etag = xstrdup(p->etag);
	q->last_modified = xstrdup(p->last_modified);
	q->body_sha256 = xstrdup(p->body_sha256);
	q->opts = *opts;
	q->queued_at = util_now_ms();
	q->u = (struct store_unchanged){
	    .source_id = p->source_id,
	    .started_ms = p->started_ms,
	    .finished_ms = p->finished_ms,
	    .next_due_ms = p->next_due_ms,
	    .http_status = p->http_status,
	    .pages = p->pages,
	    .etag = q->etag,
	    .last_modified = q->last_modified,
	};
}

/* One queued poll the batch left out, through the one-source path. */
static void batch_unchanged_alone(struct store_batch *b, const struct batch_unchanged *q)
{
	struct events ev = {0};
	struct store_poll p = {
	    .source_id = q->u.source_id,
	    .started_ms = q->u.started_ms,
	    .finished_ms = q->u.finished_ms,
	    .http_status = q->u.http_status,
	    .outcome = STORE_OUTCOME_UNCHANGED,
	    .stop = "complete",
	    .pages = q->u.pages,
	    .etag = q->etag,
	    .last_modified = q->last_modified,
	    .body_sha256 = q->body_sha256,
	    .next_due_ms = q->u.next_due_ms,
	};
	enum store_rc rc = store_apply_snapshot(b->s, &p, NULL, &q->opts, &ev);
	b->h.unchanged_alone(b->h.ctx, q->source, rc, &ev);
	events_clear(&ev);
}

size_t store_batch_flush_unchanged(struct store_batch *b, int64_t now, bool force, bool exiting)
{
	size_t n = b->nunchanged;
	struct store_unchanged *u;

	if (n == 0)
		return 0;
	if (!store_connected(b->s)) {
		if (!force || !exiting)
			return 0; /* kept for after the reconnect */
		for (size_t i = 0; i < n; i++)
			batch_unchanged_free(&b->unchanged[i]);
		b->nunchanged = 0;
		return n;
	}
	if (!force && n < STORE_BATCH_UNCHANGED &&
	    now - b->unchanged[0].queued_at < STORE_BATCH_WAIT_MS)
		return 0;
	u = xreallocarray(NULL, n, sizeof(*u));
	for (size_t i = 0; i < n; i++)
		u[i] = b->unchanged[i].u;
	if (store_apply_unchanged_batch(b->s, u, n) != STORE_OK) {
		free(u);
		if (!store_connected(b->s))
			return 0; /* kept for after the reconnect */
		u = NULL;	  /* another error: one by one, each on its own */
	}
	/* the hooks may queue more: these n are taken out first */
	struct batch_unchanged *q = b->unchanged;
	b->unchanged = NULL;
	b->nunchanged = b->unchanged_cap = 0;
	for (size_t i = 0; i < n; i++) {
		if (u == NULL || !u[i].applied)
			batch_unchanged_alone(b, &q[i]);
		batch_unchanged_free(&q[i]);
	}
	free(q);
	free(u);
	return 0;
}

/* What a queued snapshot holds: its postings, and the list items it has not parsed yet. */
static size_t batch_items(const struct posting_list *postings)
{
	return postings->len + (postings->later ? postings->later->n : 0);
}

/* The memory a queued snapshot's unparsed items hold (STORE_BATCH_QUEUE_BYTES). */
static size_t batch_bytes(const struct posting_list *postings)
{
	return postings->later ? postings->later->bytes : 0;
}

/* How many of the queued polls go in the next transaction: STORE_BATCH_CHUNK at most, with
 * STORE_BATCH_CHUNK_ITEMS items at most among them, from the front. */
static size_t batch_chunk(const struct batch_queue *q)
{
	size_t k = 0, items = 0;

	while (k < q->n && k < STORE_BATCH_CHUNK &&
	       items + batch_items(q->q[k].postings) <= STORE_BATCH_CHUNK_ITEMS)
		items += batch_items(q->q[k++].postings);
	return k ? k : 1;
}

/* Write the first k polls of q in one transaction, waiting for the store when it is busy;
 * each on its own if that cannot be. */
static void batch_send(struct store_batch *b, struct batch_queue *q, size_t k)
{
	struct batch_poll w[STORE_BATCH_CHUNK];
	struct store_poll p[STORE_BATCH_CHUNK];
	struct posting_list *postings[STORE_BATCH_CHUNK];
	struct store_opts opts[STORE_BATCH_CHUNK];
	void *ud[STORE_BATCH_CHUNK];
	enum store_rc rc;

	if (k == 0 || k > STORE_BATCH_CHUNK || k > q->n)
		return;
	/* taken out first: a hook may queue another */
	memcpy(w, q->q, k * sizeof(*w));
	memmove(q->q, q->q + k, (q->n - k) * sizeof(*w));
	q->n -= k;
	for (size_t i = 0; i < k; i++) {
		q->items -= batch_items(w[i].postings);
		q->bytes -= batch_bytes(w[i].postings);
		p[i] = w[i].p;
		postings[i] = w[i].postings;
		opts[i] = w[i].opts;
		ud[i] = w[i].ud;
		b->h.sent(b->h.ctx, w[i].ud);
	}
	if (q->changed)
		rc = store_apply_changed(b->s, p, postings, k, opts, ud);
	else /* a chunk of first polls is written with the opts of its last */
		rc = store_apply_first(b->s, p, (const struct posting_list *const *)postings, k,
				       &opts[k - 1], ud);
	if (rc == STORE_OK)
		return;
	for (size_t i = 0; i < k; i++) {
		struct events ev = {0};
		rc = STORE_ERROR;
		if (store_connected(b->s))
			rc = store_apply_begin(b->s, &w[i].p, w[i].postings,
					       q->changed ? &w[i].opts : &opts[k - 1], w[i].ud);
		if (rc != STORE_OK)
			b->h.failed(b->h.ctx, w[i].ud, rc, &ev);
		events_clear(&ev);
	}
}

static void batch_flush(struct store_batch *b, struct batch_queue *q, int64_t now, bool force,
			size_t in_flight)
{
	while (q->n > 0) {
		size_t k = batch_chunk(q);

		if (!force) {
			/* a full chunk: one more would not fit; else wait for more a while */
			bool full = k == STORE_BATCH_CHUNK || k < q->n ||
				    2 * q->bytes >= STORE_BATCH_QUEUE_BYTES;
			if (!full && q->n < in_flight &&
			    now - q->q[0].queued_at < STORE_BATCH_WAIT_MS)
				return;
			/* the store is busy: the loop goes on fetching, its answer wakes it */
			if (store_apply_fd(b->s) >= 0)
				return;
		}
		batch_send(b, q, k);
		if (!force)
			return;
	}
}

void store_batch_flush_polls(struct store_batch *b, int64_t now, bool force, size_t in_flight)
{
	/* the polls in flight count those queued in either queue */
	batch_flush(b, &b->first, now, force, in_flight - b->changed.n);
	batch_flush(b, &b->changed, now, force, in_flight - b->first.n);
}

static bool batch_queue(struct store_batch *b, struct batch_queue *q, const struct store_poll *p,
			struct posting_list *postings, const struct store_opts *opts, void *ud)
{
	size_t items = batch_items(postings), bytes = batch_bytes(postings);

	if (items > STORE_BATCH_CHUNK_ITEMS)
		return false;
	/* a full queue waits for the store to take its front chunk */
	while (q->n > 0 &&
	       (q->n == STORE_BATCH_QUEUE || q->items + items > STORE_BATCH_QUEUE_ITEMS ||
		q->bytes + bytes > STORE_BATCH_QUEUE_BYTES))
		batch_send(b, q, batch_chunk(q));
	struct batch_poll *w = &q->q[q->n++];
	w->p = *p;
	w->postings = postings;
	w->opts = *opts;
	w->ud = ud;
	w->queued_at = util_now_ms();
	q->items += items;
	q->bytes += bytes;
	return true;
}

bool store_batch_first(struct store_batch *b, const struct store_poll *p,
		       struct posting_list *postings, const struct store_opts *opts, void *ud)
{
	return batch_queue(b, &b->first, p, postings, opts, ud);
}

bool store_batch_changed(struct store_batch *b, const struct store_poll *p,
			 struct posting_list *postings, const struct store_opts *opts, void *ud)
{
	return batch_queue(b, &b->changed, p, postings, opts, ud);
}

int64_t store_batch_due(const struct store_batch *b)
{
	int64_t due = INT64_MAX;

	if (b->nunchanged)
		due = b->unchanged[0].queued_at + STORE_BATCH_WAIT_MS;
	/* while the store is busy, its answer wakes the loop */
	for (const struct batch_queue *q = &b->first; q; q = q == &b->first ? &b->changed : NULL)
		if (q->n && store_apply_fd(b->s) < 0 &&
		    q->q[0].queued_at + STORE_BATCH_WAIT_MS < due)
			due = q->q[0].queued_at + STORE_BATCH_WAIT_MS;
	return due;
}

size_t store_batch_unchanged_waiting(const struct store_batch *b)
{
	return b->nunchanged;
}
