/* store_batch.h - polls written together: the unchanged polls of many sources in one
 * statement, and the first (baseline) polls of many sources in one transaction, and their
 * changed polls in another. The loop hands
 * each finished poll over and goes on; what it must hear back comes through the hooks. */
#ifndef JOBWATCH_STORE_BATCH_H
#define JOBWATCH_STORE_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "posting.h"
#include "store.h"

/* Unchanged polls written in one statement: at most this many, or what a quarter second
 * brought. */
#define STORE_BATCH_UNCHANGED 256
/* First polls applied together, or changed polls: at most this many, and at most this many
 * postings (or list items not parsed yet) among them. A bigger poll is applied alone. While the
 * store writes one such chunk, the polls that finish queue for the next, up to twice as many,
 * so that the loop fetches and parses on instead of waiting for the database; what waits in
 * memory stays bounded. */
#define STORE_BATCH_CHUNK	16
#define STORE_BATCH_CHUNK_ITEMS 4000
#define STORE_BATCH_QUEUE	(2 * STORE_BATCH_CHUNK)
#define STORE_BATCH_QUEUE_ITEMS (2 * STORE_BATCH_CHUNK_ITEMS)
/* and at most this much of the bodies whose items changed polls have not parsed yet (each
 * holds its body's tree until the store settles it): at 10,000 boards of 330 KB, a queue of
 * 32 changed polls took the daemon's peak from 29.0 to 33.3 MiB. */
#define STORE_BATCH_QUEUE_BYTES (4 * 1024 * 1024)
/* How long a queued poll may wait for others before it is written anyway. */
#define STORE_BATCH_WAIT_MS 250

struct store_batch_hooks {
	void *ctx;
	/* An unchanged poll the batch could not write with the others was written alone, the
	 * one-source path that counts misses and may close postings: rc as store_apply_snapshot
	 * returns it, and its events to alert. */
	void (*unchanged_alone)(void *ctx, const char *source, enum store_rc rc, struct events *ev);
	/* A queued first or changed poll (its ud) is being written; its answer comes as any
	 * apply's does (store_apply_next_done), or through failed. */
	void (*sent)(void *ctx, void *ud);
	/* A queued poll that could not be written with the others and whose own apply could not
	 * begin: rc as store_apply_begin returns it. */
	void (*failed)(void *ctx, void *ud, enum store_rc rc, struct events *ev);
};

struct store_batch;

struct store_batch *store_batch_new(struct store *s, const struct store_batch_hooks *hooks);
void store_batch_free(struct store_batch *b);

/* Queue an unchanged poll of source (copied), to be written with opts if it is written alone. */
void store_batch_unchanged(struct store_batch *b, const char *source, const struct store_poll *p,
			   const struct store_opts *opts);
/* Queue the first poll p of ud, whose snapshot postings stays the caller's until the poll is
 * answered; p's strings are the caller's until then too. A chunk is written with the opts of
 * its last poll. When the queue is full, waits for the store to write its front chunk first.
 * false: too big to wait with others (the caller applies it alone). */
bool store_batch_first(struct store_batch *b, const struct store_poll *p,
		       struct posting_list *postings, const struct store_opts *opts, void *ud);
/* store_batch_first for a complete poll of a source polled completely before, whose body
 * changed (store_apply_changed), written with its own opts. */
bool store_batch_changed(struct store_batch *b, const struct store_poll *p,
			 struct posting_list *postings, const struct store_opts *opts, void *ud);

/* Write the unchanged polls when a batch is worth the round trip, STORE_BATCH_WAIT_MS has
 * passed, or force. Without a database they wait, unless exiting: then they are dropped, and
 * their number returned. */
size_t store_batch_flush_unchanged(struct store_batch *b, int64_t now, bool force, bool exiting);
/* Write the front chunk of first polls, and of changed ones, when it is full, every poll in
 * flight (in_flight) is queued, or STORE_BATCH_WAIT_MS has passed, and the store has no write
 * in flight; force: every chunk now, one after the other. */
void store_batch_flush_polls(struct store_batch *b, int64_t now, bool force, size_t in_flight);
/* When the next flush is due (monotonic ms), INT64_MAX when nothing waits. */
int64_t store_batch_due(const struct store_batch *b);
/* Unchanged polls not yet written. */
size_t store_batch_unchanged_waiting(const struct store_batch *b);

#endif
