/* store_batch.c - polls written together (store_batch.h). An unchanged poll is copied and
 * waits; a first poll waits with its snapshot, which stays its run's. Both queues are written
 * by the flushes the loop calls on every turn, and what the loop must hear back goes through
 * its hooks: this file decides when and how polls are written together, the loop what a
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

/* A first poll waiting; its strings and snapshot are its run's. */
struct batch_first {
	struct store_poll p;
	struct posting_list *postings;
	struct store_opts opts;
	void *ud;
	int64_t queued_at; /* monotonic ms */
};

struct store_batch {
	struct store *s;
	struct store_batch_hooks h;
	struct batch_unchanged *unchanged;
	size_t nunchanged, unchanged_cap;
	struct batch_first first[STORE_BATCH_FIRST_QUEUE];
	size_t nfirst, first_postings;
};

struct store_batch *store_batch_new(struct store *s, const struct store_batch_hooks *hooks)
{
	struct store_batch *b = xcalloc(1, sizeof(*b));

	b->s = s;
	b->h = *hooks;
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

/* How many of the queued first polls go in the next transaction: STORE_BATCH_FIRST at most,
 * with STORE_BATCH_FIRST_POSTINGS postings at most among them, from the front. */
static size_t batch_first_chunk(const struct store_batch *b)
{
	size_t k = 0, postings = 0;

	while (k < b->nfirst && k < STORE_BATCH_FIRST &&
	       postings + b->first[k].postings->len <= STORE_BATCH_FIRST_POSTINGS)
		postings += b->first[k++].postings->len;
	return k ? k : 1;
}

/* Write the first k queued polls in one transaction, waiting for the store when it is busy;
 * each on its own if that cannot be. */
static void batch_first_send(struct store_batch *b, size_t k)
{
	struct batch_first q[STORE_BATCH_FIRST];
	struct store_poll p[STORE_BATCH_FIRST];
	const struct posting_list *postings[STORE_BATCH_FIRST];
	void *ud[STORE_BATCH_FIRST];
	struct store_opts opts;

	if (k == 0 || k > STORE_BATCH_FIRST || k > b->nfirst)
		return;
	opts = b->first[k - 1].opts; /* the chunk's last poll's */
	/* taken out first: a hook may queue another */
	memcpy(q, b->first, k * sizeof(*q));
	memmove(b->first, b->first + k, (b->nfirst - k) * sizeof(*q));
	b->nfirst -= k;
	for (size_t i = 0; i < k; i++) {
		b->first_postings -= q[i].postings->len;
		p[i] = q[i].p;
		postings[i] = q[i].postings;
		ud[i] = q[i].ud;
		b->h.first_sent(b->h.ctx, q[i].ud);
	}
	if (store_apply_first(b->s, p, postings, k, &opts, ud) == STORE_OK)
		return;
	for (size_t i = 0; i < k; i++) {
		struct events ev = {0};
		enum store_rc rc = STORE_ERROR;
		if (store_connected(b->s))
			rc = store_apply_begin(b->s, &q[i].p, q[i].postings, &opts, q[i].ud);
		if (rc != STORE_OK)
			b->h.first_failed(b->h.ctx, q[i].ud, rc, &ev);
		events_clear(&ev);
	}
}

void store_batch_flush_first(struct store_batch *b, int64_t now, bool force, size_t in_flight)
{
	while (b->nfirst > 0) {
		size_t k = batch_first_chunk(b);

		if (!force) {
			/* a full chunk: one more would not fit; else wait for more a while */
			bool full = k == STORE_BATCH_FIRST || k < b->nfirst;
			if (!full && b->nfirst < in_flight &&
			    now - b->first[0].queued_at < STORE_BATCH_WAIT_MS)
				return;
			/* the store is busy: the loop goes on fetching, its answer wakes it */
			if (store_apply_fd(b->s) >= 0)
				return;
		}
		batch_first_send(b, k);
		if (!force)
			return;
	}
}

bool store_batch_first(struct store_batch *b, const struct store_poll *p,
		       struct posting_list *postings, const struct store_opts *opts, void *ud)
{
	if (postings->len > STORE_BATCH_FIRST_POSTINGS)
		return false;
	/* a full queue waits for the store to take its front chunk */
	while (b->nfirst > 0 &&
	       (b->nfirst == STORE_BATCH_FIRST_QUEUE ||
		b->first_postings + postings->len > STORE_BATCH_FIRST_QUEUE_POSTINGS))
		batch_first_send(b, batch_first_chunk(b));
	struct batch_first *q = &b->first[b->nfirst++];
	q->p = *p;
	q->postings = postings;
	q->opts = *opts;
	q->ud = ud;
	q->queued_at = util_now_ms();
	b->first_postings += postings->len;
	return true;
}

int64_t store_batch_due(const struct store_batch *b)
{
	int64_t due = INT64_MAX;

	if (b->nunchanged)
		due = b->unchanged[0].queued_at + STORE_BATCH_WAIT_MS;
	/* while the store is busy, its answer wakes the loop */
	if (b->nfirst && store_apply_fd(b->s) < 0 &&
	    b->first[0].queued_at + STORE_BATCH_WAIT_MS < due)
		due = b->first[0].queued_at + STORE_BATCH_WAIT_MS;
	return due;
}

size_t store_batch_unchanged_waiting(const struct store_batch *b)
{
	return b->nunchanged;
}
