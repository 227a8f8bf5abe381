/* store_sources.c - the sources rows: sync with the configuration, removal, detection,
 * failed polls and health, staleness, retention of polls rows; the leases that let many
 * daemons share one database; unchanged polls written many at once; --status. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "logfmt.h"
#include "util.h"

/* Upsert the configured sources by name in one statement; a row is written only when it is
 * new or its type or url changed, which means a different document: forget its validators
 * and what its page was found to be. STORE_SQL_SYNC_READ returns their state. A source
 * whose row already says the same is left out before the upsert, which would otherwise lock
 * its row (a WAL record and a dirtied page each) and draw an id from the sequence for
 * nothing, every start and every --once run. The DO UPDATE keeps its own test of the same
 * thing for a row another daemon inserts after this statement's snapshot. */
const char STORE_SQL_SYNC_SOURCE[] =
    "INSERT INTO sources AS s (name, type, url)"
    " SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS c(name, type, url)"
    " WHERE NOT EXISTS (SELECT 1 FROM sources o WHERE o.name = c.name"
    "  AND (o.type, o.url) IS NOT DISTINCT FROM (c.type, c.url))"
    " ORDER BY 1"
    " ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type, url = EXCLUDED.url, etag = NULL,"
    "  last_modified = NULL, body_sha256 = NULL, updated_at = now(), detected_type = NULL,"
    "  detected_url = NULL, detected_at = NULL"
    " WHERE (s.type, s.url) IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.url)";

/* ... then read them back, in the order given. A statement of its own: its snapshot sees the
 * rows another daemon starting at the same moment inserted (the upsert waited for them). */
const char STORE_SQL_SYNC_READ[] =
    "SELECT w.i, id, etag, last_modified, body_sha256, last_complete_at IS NOT NULL,"
    "  failures_in_row, failing_reported_at IS NOT NULL, stale_reported_at IS NOT NULL,"
    "  (extract(epoch FROM coalesce(last_complete_at, created_at)) * 1000)::bigint,"
    "  detected_type, detected_url"
    " FROM unnest($1::text[]) WITH ORDINALITY AS w(name, i) JOIN sources s ON s.name = w.name"
    " ORDER BY w.i";

/* Sources the configuration ($1, every name it has, enabled or not) no longer names are
 * marked removed, and those it names again lose the mark (sources.removed_at). */
const char STORE_SQL_MARK_REMOVED[] =
    "UPDATE sources SET removed_at = CASE WHEN name = ANY($1::text[]) THEN NULL ELSE now() END"
    " WHERE (removed_at IS NULL) <> (name = ANY($1::text[]))";

/* What a type auto source's page was found to be; not by a daemon that lost the lease ($4). */
const char STORE_SQL_RECORD_DETECTION[] =
    "UPDATE sources SET detected_type = $2, detected_url = $3, detected_at = now()"
    " WHERE id = $1::bigint"
    " AND ($4::text IS NULL OR lease_owner IS NOT DISTINCT FROM $4::text)";

/* A failed poll: its row, one more failure in a row for the source, and the source_failing
 * event when the run reaches fail_after ($9, 0: never) the first time. o is the row before.
 * Returns failures in a row, whether the event was written, its reason and since. */
const char STORE_SQL_RECORD_FAILURE[] =
    /* the source's row is locked before its poll goes in (polls has no foreign key to
     * sources): a source deleted meanwhile gets no row, nor one another daemon took
     * over once the lease ran out ($11, when not NULL): a daemon that lost the lease writes
     * nothing. The lock is the one a claim takes, so no claim slips in between. */
    "WITH p AS (INSERT INTO polls (source_id, started_at, finished_at, http_status, outcome,"
    "  stop, pages, dropped, error)"
    " SELECT id, " STORE_TS(2) ", " STORE_TS(
	3) ", nullif($4::int, 0), 'failed',"
	   "  $5::text, $6::int, $7::int, $8::text FROM sources WHERE id = $1::bigint"
	   "  AND ($11::text IS NULL OR lease_owner IS NOT DISTINCT FROM $11::text)"
	   "  FOR NO KEY UPDATE"
	   " RETURNING id, source_id, started_at, error"
	   "), u AS ("
	   " UPDATE sources s SET last_poll_at = now(), failures_in_row = o.failures_in_row + 1,"
	   "  failing_since = coalesce(o.failing_since, p.started_at), last_error = p.error,"
	   "  last_error_at = now(),"
	   "  failing_reported_at = CASE WHEN o.failing_reported_at IS NULL AND $9::int > 0"
	   "   AND o.failures_in_row + 1 >= $9::int THEN now() ELSE o.failing_reported_at END"
	   "  , next_due = coalesce(" STORE_DUE(
	       10) ", o.next_due),"
		   "  lease_expires = CASE WHEN o.lease_owner = $11 THEN NULL ELSE o.lease_expires "
		   "END,"
		   "  lease_owner = CASE WHEN o.lease_owner = $11 THEN NULL ELSE o.lease_owner END"
		   " FROM p, sources o WHERE s.id = p.source_id AND o.id = s.id"
		   " RETURNING s.id, p.id AS poll_id, s.failures_in_row, s.failing_since, "
		   "s.last_error,"
		   "  o.failing_reported_at IS NULL AND s.failing_reported_at IS NOT NULL AS report"
		   "), ev AS ("
		   " INSERT INTO events (at, source_id, poll_id, kind, new_value)"
		   " SELECT now(), id, poll_id, 'source_failing', last_error FROM u WHERE report"
		   ")"
		   " SELECT failures_in_row, report, last_error, " STORE_ISO(
		       "failing_since") " FROM u";

/* A source with no complete poll for $2 seconds, not reported since its last one, is stale.
 * A row another session holds is skipped, not waited for: that is a daemon applying a poll of
 * the source right now, and one stopped in that transaction (SIGSTOP, a paused VM) would
 * otherwise stop this daemon's whole loop until its session timed out. */
/* clang-format off */
const char STORE_SQL_SOURCE_STALE[] =
    "WITH l AS ("
    " SELECT id FROM sources"
    " WHERE id = $1::bigint AND stale_reported_at IS NULL"
    "  AND coalesce(last_complete_at, created_at) < now() - make_interval(secs => $2::int)"
    " FOR UPDATE SKIP LOCKED"
    "), u AS ("
    " UPDATE sources s SET stale_reported_at = now() FROM l WHERE s.id = l.id"
    " RETURNING s.id, s.failures_in_row, CASE WHEN s.last_complete_at IS NULL"
    "  THEN 'no complete poll yet' ELSE 'no complete poll since ' || "
    STORE_ISO("s.last_complete_at") " END AS reason, "
    STORE_ISO("s.last_complete_at") " AS since"
    "), ev AS ("
    " INSERT INTO events (at, source_id, kind, new_value)"
    " SELECT now(), id, 'source_stale', reason FROM u"
    ")"
    " SELECT failures_in_row, reason, since FROM u";
/* clang-format on */

/* Many unchanged polls in one statement: a polls row each and one small UPDATE of each
 * source, for the sources where an unchanged poll changes nothing else (no posting is
 * counting misses, by the counts the last complete poll left on the source; nothing to
 * recover from; the lease still ours). Its cost does not grow with the boards. Returns the
 * places (1-based) in the arrays of the polls it wrote; the others take the one-source
 * path. $1..$8 arrays of source, started_ms, finished_ms, next_due_ms, http status, pages,
 * etag, last_modified; $9 owner. */
const char STORE_SQL_UNCHANGED_BATCH[] =
    "WITH b AS ("
    " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[],"
    "  $6::int[], $7::text[], $8::text[]) WITH ORDINALITY"
    "  AS b(source_id, started_ms, finished_ms, due_ms, status, pages, etag, last_modified, i)"
    "), ok AS ("
    /* each source looked up by its key from the batch's row, whatever the statistics say:
     * as a join, a plan that took sources as the outer side (lease_owner, NULL when last
     * analyzed, made the filter look like it kept one row) read the whole batch again for
     * every source, 86 ms a batch of 256 at 3,000 sources */
    " SELECT b.*, s.open_postings FROM b CROSS JOIN LATERAL ("
    "  SELECT s.open_postings FROM sources s WHERE s.id = b.source_id"
    "   AND ($9::text IS NULL OR s.lease_owner IS NOT DISTINCT FROM $9::text)"
    "   AND s.last_complete_at IS NOT NULL AND NOT s.suspect AND s.failures_in_row = 0"
    "   AND s.failing_reported_at IS NULL AND s.stale_reported_at IS NULL"
    "   AND s.missing_postings = 0"
    "  FOR UPDATE) s"
    "), pl AS ("
    " INSERT INTO polls (source_id, started_at, finished_at, http_status, outcome, stop, pages,"
    "  postings, new, closed, reopened, changed, dropped, suspect)"
    " SELECT source_id, to_timestamp(started_ms / 1000.0), to_timestamp(finished_ms / 1000.0),"
    "  nullif(status, 0), 'unchanged', 'complete', pages, open_postings, 0, 0, 0, 0, 0,"
    "  false"
    " FROM ok ORDER BY source_id"
    "), u AS ("
    " UPDATE sources s SET last_poll_at = now(), last_complete_at = now(), updated_at = now(),"
    "  etag = coalesce(ok.etag, s.etag), last_modified = coalesce(ok.last_modified,"
    "  s.last_modified), next_due = coalesce(to_timestamp(nullif(ok.due_ms, 0) / 1000.0),"
    "  s.next_due),"
    "  lease_expires = CASE WHEN s.lease_owner = $9 THEN NULL ELSE s.lease_expires END,"
    "  lease_owner = CASE WHEN s.lease_owner = $9 THEN NULL ELSE s.lease_owner END"
    " FROM ok WHERE s.id = ok.source_id"
    ")"
    " SELECT i FROM ok";

/* Retention: one batch of the oldest polls rows past $1 seconds. */
const char STORE_SQL_PRUNE_POLLS[] =
    "WITH d AS (DELETE FROM polls WHERE id IN (SELECT id FROM polls"
    " WHERE started_at < now() - make_interval(secs => $1::int)"
    " ORDER BY started_at LIMIT $2::int) RETURNING id"
    /* their versions and events stay, pointing nowhere: NULL (they have no foreign key); the
     * versions' index is a BRIN one, which finds rows by a range of ids */
    "), r AS (SELECT min(id) AS lo, max(id) AS hi FROM d"
    "), v AS (UPDATE posting_versions SET poll_id = NULL FROM r"
    " WHERE poll_id BETWEEN r.lo AND r.hi AND poll_id IN (SELECT id FROM d)"
    "), e AS (UPDATE events SET poll_id = NULL WHERE poll_id IN (SELECT id FROM d)"
    ")"
    " SELECT count(*) FROM d";

/* How long a due source waits for the daemon whose turn it is (STORE_SQL_CLAIM) before any may
 * take it: long against a wake-up on a busy host, short against an interval. */
#define STORE_CLAIM_GRACE_MS 500

/* Claim the leases of many sources in one statement, each when it is free (or ours, or
 * expired) and due ($4: or regardless), skipping rows another daemon has locked. The daemons
 * sharing the work (this one, and those whose last heartbeat's alive_until is ahead: what
 * instance_status calls alive) split it here, without racing for it: a source that falls due
 * is taken by the one whose place among them is its id modulo their number; one left for $5 ms
 * (its daemon is gone or slow) by whoever comes first;
 * and a daemon already holding twice its share of the leases in flight takes only such
 * left-over ones. --once ($4) takes whatever is free. Returns for every source asked for (by
 * its 1-based place in $1) whether it was claimed and, when not, the milliseconds until it
 * may be: when it is due, when it is left over, or, when another daemon holds it, when that
 * poll may be over (as long again as it has run, a second at least) but no later than the
 * lease runs out. So a live holder's source is asked for again soon after its poll, and then
 * comes back at the next_due the holder wrote; a dead holder's is taken when its lease runs
 * out, after a few looks. (A wait for the whole lease on the word of one heartbeat would cost
 * a source a lease whenever that word was wrong: a daemon that had claimed before its first
 * heartbeat, or was slow to send one.) $1 sources, $2 owner, $3 lease ms, $4 force, $5 grace
 * ms. */
const char STORE_SQL_CLAIM[] =
    "WITH want AS (SELECT * FROM unnest($1::bigint[]) WITH ORDINALITY AS w(id, i)),"
    " live AS (SELECT id FROM instances WHERE id <> $2 AND stopped_at IS NULL"
    "  AND alive_until > now() UNION ALL SELECT $2),"
    " me AS (SELECT count(*) AS n, count(*) FILTER (WHERE id < $2) AS place FROM live),"
    " free AS (SELECT count(*) AS n, count(*) FILTER (WHERE"
    "   coalesce(next_due, created_at) < now() - $5::int * interval '1 ms') AS left_over"
    "  FROM sources WHERE id IN (SELECT id FROM want)"
    "  AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires < now())"
    "  AND ($4::boolean OR next_due IS NULL OR next_due <= now())),"
    " held AS (SELECT count(*) AS n, count(*) FILTER (WHERE lease_owner = $2) AS mine"
    "  FROM sources WHERE lease_expires > now()),"
    " c AS ("
    " UPDATE sources s SET lease_owner = $2, lease_expires = now() + $3::int * interval '1 ms',"
    "  lease_at = now()"
    " WHERE s.id IN (SELECT id FROM sources WHERE id IN (SELECT id FROM want)"
    "  AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires < now())"
    "  AND ($4::boolean OR next_due IS NULL OR next_due <= now())"
    "  AND ($4::boolean OR id % (SELECT n FROM me) = (SELECT place FROM me)"
    "   OR coalesce(next_due, created_at) < now() - $5::int * interval '1 ms')"
    /* the left-over first, then this daemon's own up to its cap */
    "  ORDER BY coalesce(next_due, created_at), id"
    "  LIMIT CASE WHEN NOT $4::boolean THEN (SELECT free.left_over + greatest(0,"
    "   2 * ceil((held.n + free.n)::numeric / me.n) - held.mine) FROM free, held, me) END"
    "  FOR UPDATE SKIP LOCKED)"
    " RETURNING s.id"
    ")"
    " SELECT w.i, c.id IS NOT NULL, ceil(1000 * extract(epoch FROM CASE"
    "  WHEN c.id IS NOT NULL THEN now()"
    "  WHEN o.lease_owner <> $2 AND o.lease_expires > now() THEN least(o.lease_expires,"
    "   now() + greatest(interval '1 second', now() - coalesce(o.lease_at, now())))"
    "  WHEN $4::boolean THEN now()"
    "  WHEN o.next_due > now() THEN o.next_due"
    "  ELSE greatest(now(), coalesce(o.next_due, o.created_at) + $5::int * interval '1 ms')"
    "  END - now()))::bigint"
    " FROM sources o JOIN want w ON w.id = o.id LEFT JOIN c ON c.id = o.id";

/* Renew the leases of the polls in flight. $1 owner, $2 lease ms, $3 source ids. */
const char STORE_SQL_RENEW[] =
    "UPDATE sources SET lease_expires = now() + $2::int * interval '1 ms'"
    " WHERE lease_owner = $1 AND id = ANY ($3::bigint[])";

/* The instance's row, refreshed, alive for $6 ms unless refreshed again (instance_status.alive
 * and STORE_SQL_CLAIM's peers both read alive_until). $1 id, $2 host, $3 pid, $4 version, $5
 * status, $6 live ms. */
const char STORE_SQL_HEARTBEAT[] =
    "INSERT INTO instances AS i (id, host, pid, version, status, alive_until)"
    " VALUES ($1, $2, $3::int, $4, $5, now() + $6::int * interval '1 ms')"
    " ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), alive_until = EXCLUDED.alive_until,"
    "  status = EXCLUDED.status, stopped_at = NULL";

/* Instances rows long without a heartbeat, a batch at a time. Several daemons run it at once:
 * a row one of them has locked (deleting it, or its daemon refreshing it) the others skip, so
 * none waits and each row is counted once; a daemon that heartbeats again after all is not
 * deleted (its refreshed row no longer matches) or comes back with its next heartbeat. A row
 * a running lease names stays, whatever its age. $1 seconds, $2 owner (kept), $3 batch.
 * Not prepared: it runs once an hour. */
static const char STORE_SQL_PRUNE_INSTANCES[] =
    "WITH d AS (DELETE FROM instances WHERE id IN (SELECT id FROM instances"
    " WHERE heartbeat_at < now() - make_interval(secs => $1::int) AND id <> $2"
    "  AND id NOT IN (SELECT lease_owner FROM sources"
    "   WHERE lease_owner IS NOT NULL AND lease_expires > now())"
    " ORDER BY heartbeat_at LIMIT $3::int FOR UPDATE SKIP LOCKED) RETURNING id)"
    " SELECT count(*) FROM d";

/* A clean stop: the leases go back at once instead of when they expire. $1 owner. */
const char STORE_SQL_RELEASE[] =
    "WITH r AS (UPDATE sources SET lease_owner = NULL, lease_expires = NULL"
    " WHERE lease_owner = $1)"
    " UPDATE instances SET stopped_at = now(), heartbeat_at = now(), alive_until = now(),"
    "  status = 'stopped'"
    " WHERE id = $1";

enum store_rc store_sync_sources(struct store *s, const char *const *names,
				 const char *const *types, const char *const *urls, size_t n,
				 struct store_source_state *states)
{
	struct buf a[3] = {BUF_INIT, BUF_INIT, BUF_INIT};
	const char *const *in[3] = {names, types, urls};
	const char *v[3];
	PGresult *res = NULL;
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		memset(&states[i], 0, sizeof(states[i]));
	if (n == 0)
		return 0;
	if (store_prepare(s) < 0)
		return -1;
	for (int k = 0; k < 3; k++) {
		buf_putc(&a[k], '{');
		for (size_t i = 0; i < n; i++) {
			char *c = store_clean(in[k][i], k == 2 ? STORE_MAX_URL : STORE_MAX_SHORT);
			if (i)
				buf_putc(&a[k], ',');
			store_put_array_text(&a[k], c);
			free(c);
		}
		buf_putc(&a[k], '}');
		v[k] = a[k].data;
	}
	res = store_run(s, STORE_STMT_SYNC_SOURCE, 3, v, PGRES_COMMAND_OK);
	if (res == NULL)
		goto out;
	PQclear(res);
	res = store_run(s, STORE_STMT_SYNC_READ, 1, v, PGRES_TUPLES_OK);
	if (res == NULL || (size_t)PQntuples(res) != n)
		goto out;
	for (int row = 0; row < PQntuples(res); row++) {
		struct store_source_state *state = &states[row];
		state->id = strtoll(PQgetvalue(res, row, 1), NULL, 10);
		state->etag = store_value(res, row, 2);
		state->last_modified = store_value(res, row, 3);
		state->body_sha256 = store_value(res, row, 4);
		state->has_baseline = PQgetvalue(res, row, 5)[0] == 't';
		state->failures_in_row = atoi(PQgetvalue(res, row, 6));
		state->failing_reported = PQgetvalue(res, row, 7)[0] == 't';
		state->stale_reported = PQgetvalue(res, row, 8)[0] == 't';
		state->complete_ms = strtoll(PQgetvalue(res, row, 9), NULL, 10);
		state->detected_type = store_value(res, row, 10);
		state->detected_url = store_value(res, row, 11);
	}
	rc = 0;
out:
	PQclear(res);
	for (int k = 0; k < 3; k++)
		buf_free(&a[k]);
	return rc;
}

enum store_rc store_mark_removed(struct store *s, const char *const *names, size_t n)
{
	struct buf a = BUF_INIT;
	PGresult *res;

	if (store_prepare(s) < 0)
		return -1;
	buf_putc(&a, '{');
	for (size_t i = 0; i < n; i++) {
		char *c = store_clean(names[i], STORE_MAX_SHORT);
		if (i)
			buf_putc(&a, ',');
		store_put_array_text(&a, c);
		free(c);
	}
	buf_putc(&a, '}');
	const char *v[] = {a.data};
	res = store_run(s, STORE_STMT_MARK_REMOVED, 1, v, PGRES_COMMAND_OK);
	buf_free(&a);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

enum store_rc store_sync_source(struct store *s, const char *name, const char *type,
				const char *url, struct store_source_state *state)
{
	return store_sync_sources(s, &name, &type, &url, 1, state);
}

void store_source_state_clear(struct store_source_state *st)
{
	free(st->etag);
	free(st->last_modified);
	free(st->body_sha256);
	free(st->detected_type);
	free(st->detected_url);
	memset(st, 0, sizeof(*st));
}

enum store_rc store_record_detection(struct store *s, int64_t source_id, const char *type,
				     const char *url)
{
	char id[24];
	char *v[4] = {id, store_clean(type, STORE_MAX_SHORT), store_clean(url, STORE_MAX_URL),
		      s->owner};
	PGresult *res;
	int rc = -1;

	snprintf(id, sizeof(id), "%lld", (long long)source_id);
	if (store_prepare(s) == 0 &&
	    (res = store_run(s, STORE_STMT_RECORD_DETECTION, 4, (const char *const *)v,
			     PGRES_COMMAND_OK)) != NULL) {
		PQclear(res);
		rc = 0;
	}
	free(v[1]);
	free(v[2]);
	return rc;
}

enum store_rc store_record_failure(struct store *s, const struct store_poll *poll, int fail_after,
				   int *failures, struct source_event *ev)
{
	char id[24], started[24], finished[24], status[16], pages[16], dropped[24], fa[16], due[24];
	char *stop = store_clean(poll->stop, STORE_MAX_SHORT);
	char *error = store_clean(poll->error ? poll->error : "failed", STORE_MAX_ERROR);
	const char *v[] = {id,	    started, finished, status, stop,	pages,
			   dropped, error,   fa,       due,    s->owner};
	PGresult *res;
	enum store_rc rc = STORE_ERROR;

	snprintf(id, sizeof(id), "%lld", (long long)poll->source_id);
	snprintf(started, sizeof(started), "%lld", (long long)poll->started_ms);
	snprintf(finished, sizeof(finished), "%lld", (long long)poll->finished_ms);
	snprintf(status, sizeof(status), "%d", poll->http_status);
	snprintf(pages, sizeof(pages), "%d", poll->pages);
	snprintf(dropped, sizeof(dropped), "%zu", poll->dropped);
	snprintf(fa, sizeof(fa), "%d", ev ? fail_after : 0);
	snprintf(due, sizeof(due), "%lld", (long long)poll->next_due_ms);
	if (store_prepare(s) == 0 &&
	    (res = store_run(s, STORE_STMT_RECORD_FAILURE, 11, v, PGRES_TUPLES_OK)) != NULL) {
		/* no row: the source is gone, or another daemon's now */
		rc = PQntuples(res) == 0 && s->owner ? STORE_LEASE_LOST : STORE_OK;
		if (PQntuples(res) == 1) {
			if (failures)
				*failures = atoi(PQgetvalue(res, 0, 0));
			if (ev && PQgetvalue(res, 0, 1)[0] == 't') {
				memset(ev, 0, sizeof(*ev));
				ev->kind = EVENT_SOURCE_FAILING;
				ev->failures = atoi(PQgetvalue(res, 0, 0));
				ev->reason = store_value(res, 0, 2);
				ev->since = store_value(res, 0, 3);
				rc = STORE_DONE;
			}
		}
		PQclear(res);
	}
	free(stop);
	free(error);
	return rc;
}

enum store_rc store_source_stale(struct store *s, int64_t source_id, int stale_s,
				 struct source_event *ev)
{
	char id[24], secs[16];
	const char *v[] = {id, secs};
	PGresult *res;
	enum store_rc rc;

	snprintf(id, sizeof(id), "%lld", (long long)source_id);
	snprintf(secs, sizeof(secs), "%d", stale_s);
	if (store_prepare(s) < 0 ||
	    (res = store_run(s, STORE_STMT_SOURCE_STALE, 2, v, PGRES_TUPLES_OK)) == NULL)
		return STORE_ERROR;
	rc = PQntuples(res) == 1 ? STORE_DONE : STORE_OK;
	if (rc == STORE_DONE) {
		memset(ev, 0, sizeof(*ev));
		ev->kind = EVENT_SOURCE_STALE;
		ev->failures = atoi(PQgetvalue(res, 0, 0));
		ev->reason = store_value(res, 0, 1);
		ev->since = store_value(res, 0, 2);
	}
	PQclear(res);
	return rc;
}

long store_prune_polls(struct store *s, int retention_s, int batch)
{
	char secs[16], lim[16];
	const char *v[] = {secs, lim};
	PGresult *res;
	long n;

	snprintf(secs, sizeof(secs), "%d", retention_s);
	snprintf(lim, sizeof(lim), "%d", batch);
	if (store_prepare(s) < 0 ||
	    (res = store_run(s, STORE_STMT_PRUNE_POLLS, 2, v, PGRES_TUPLES_OK)) == NULL)
		return -1;
	n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

long store_prune_instances(struct store *s, int keep_s, int batch)
{
	char secs[16], lim[16];
	const char *v[] = {secs, s->owner ? s->owner : "", lim};
	PGresult *res;
	long n;

	snprintf(secs, sizeof(secs), "%d", keep_s);
	snprintf(lim, sizeof(lim), "%d", batch);
	if (store_prepare(s) < 0)
		return -1;
	res = PQexecParams(s->conn, STORE_SQL_PRUNE_INSTANCES, 3, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		store_report(s, "pruning instances", res);
		PQclear(res);
		return -1;
	}
	n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

void store_set_owner(struct store *s, const char *owner, int lease_ms, int live_ms)
{
	free(s->owner);
	s->owner = xstrdup(owner);
	s->lease_ms = lease_ms;
	s->live_ms = live_ms;
}

/* ids as a bigint[] literal ("{1,2,3}"). */
static void store_put_ids(struct buf *b, const int64_t *ids, size_t n)
{
	buf_putc(b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(b, '}');
}

enum store_rc store_claim_many(struct store *s, const int64_t *ids, size_t n, bool force,
			       bool *claimed, int64_t *wait_ms)
{
	struct buf arr = BUF_INIT;
	char lease[16], grace[16];
	PGresult *res;

	for (size_t i = 0; i < n; i++) {
		claimed[i] = s->owner == NULL;
		wait_ms[i] = 0;
	}
	if (s->owner == NULL || n == 0)
		return 0;
	if (store_prepare(s) < 0)
		return -1;
	store_put_ids(&arr, ids, n);
	snprintf(lease, sizeof(lease), "%d", s->lease_ms);
	snprintf(grace, sizeof(grace), "%d", STORE_CLAIM_GRACE_MS);
	const char *v[] = {arr.data, s->owner, lease, force ? "t" : "f", grace};
	res = store_run(s, STORE_STMT_CLAIM, 5, v, PGRES_TUPLES_OK);
	buf_free(&arr);
	if (res == NULL)
		return -1;
	/* each row names the place of its source in ids (a source deleted meanwhile has none) */
	for (int r = 0; r < PQntuples(res); r++) {
		long k = strtol(PQgetvalue(res, r, 0), NULL, 10) - 1;
		if (k < 0 || (size_t)k >= n)
			continue;
		claimed[k] = PQgetvalue(res, r, 1)[0] == 't';
		if (!claimed[k] && !PQgetisnull(res, r, 2))
			wait_ms[k] = strtoll(PQgetvalue(res, r, 2), NULL, 10);
	}
	PQclear(res);
	return 0;
}

enum store_rc store_claim(struct store *s, int64_t source_id, bool force, int64_t *wait_ms)
{
	bool claimed;

	if (store_claim_many(s, &source_id, 1, force, &claimed, wait_ms) != STORE_OK)
		return STORE_ERROR;
	return claimed ? STORE_DONE : STORE_OK;
}

enum store_rc store_renew(struct store *s, const int64_t *ids, size_t n)
{
	struct buf arr = BUF_INIT;
	char lease[16];
	PGresult *res;

	if (s->owner == NULL || n == 0)
		return 0;
	if (store_prepare(s) < 0)
		return -1;
	store_put_ids(&arr, ids, n);
	snprintf(lease, sizeof(lease), "%d", s->lease_ms);
	const char *v[] = {s->owner, lease, arr.data};
	res = store_run(s, STORE_STMT_RENEW, 3, v, PGRES_COMMAND_OK);
	buf_free(&arr);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

enum store_rc store_heartbeat(struct store *s, const char *host, long pid, const char *version,
			      const char *status)
{
	char spid[24], live[16];
	char *st = store_clean(status, STORE_MAX_SHORT);
	const char *v[] = {s->owner, host, spid, version, st, live};
	PGresult *res = NULL;

	if (s->owner == NULL)
		return 0;
	snprintf(spid, sizeof(spid), "%ld", pid);
	snprintf(live, sizeof(live), "%d", s->live_ms);
	if (store_prepare(s) == 0)
		res = store_run(s, STORE_STMT_HEARTBEAT, 6, v, PGRES_COMMAND_OK);
	free(st);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

enum store_rc store_release(struct store *s)
{
	const char *v[] = {s->owner};
	PGresult *res;

	if (s->owner == NULL || !store_connected(s) || store_prepare(s) < 0)
		return -1;
	if ((res = store_run(s, STORE_STMT_RELEASE, 1, v, PGRES_COMMAND_OK)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Print the rows of one query as aligned columns under a title. */
static int store_print_table(struct store *s, FILE *f, const char *title, const char *sql)
{
	PGresult *res = PQexec(s->conn, sql);
	int rows, cols;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		store_report(s, title, res);
		PQclear(res);
		return -1;
	}
	rows = PQntuples(res);
	cols = PQnfields(res);
	int *w = xcalloc((size_t)cols, sizeof(*w));
	for (int c = 0; c < cols; c++) {
		w[c] = (int)strlen(PQfname(res, c));
		for (int r = 0; r < rows; r++)
			if (PQgetlength(res, r, c) > w[c])
				w[c] = PQgetlength(res, r, c);
	}
	fprintf(f, "%s\n", title);
	for (int c = 0; c < cols; c++)
		fprintf(f, "%s%-*s", c ? "  " : "  ", c == cols - 1 ? 0 : w[c], PQfname(res, c));
	fputc('\n', f);
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c++)
			fprintf(f, "  %-*s", c == cols - 1 ? 0 : w[c], PQgetvalue(res, r, c));
		fputc('\n', f);
	}
	if (rows == 0)
		fputs("  (none)\n", f);
	free(w);
	PQclear(res);
	return 0;
}

enum store_rc store_print_status(struct store *s, FILE *f)
{
	if (store_print_table(s, f, "instances:",
			      "SELECT id, CASE WHEN alive THEN 'alive' WHEN stopped_at IS NULL"
			      " THEN 'lost' ELSE 'stopped' END AS state,"
			      " to_char(heartbeat_at, 'YYYY-MM-DD HH24:MI:SS') AS heartbeat,"
			      " leases, coalesce(status, '') AS status"
			      " FROM instance_status i, LATERAL (SELECT stopped_at FROM instances"
			      "  WHERE id = i.id) st"
			      " WHERE alive OR heartbeat_at > now() - interval '1 day'"
			      " ORDER BY alive DESC, started_at") < 0)
		return -1;
	fputc('\n', f);
	return store_print_table(
	    s, f, "sources:",
	    "SELECT source, coalesce(CASE WHEN lease_expires IS NOT NULL THEN lease_owner END,"
	    " '-') AS polled_by,"
	    " coalesce(to_char(next_due, 'YYYY-MM-DD HH24:MI:SS'), 'now') AS next_due,"
	    " coalesce(to_char(last_complete_at, 'YYYY-MM-DD HH24:MI:SS'), 'never')"
	    "  AS last_complete"
	    " FROM source_leases ORDER BY source");
}

/* One element of a PostgreSQL array literal: NULL, or a double-quoted string. */
void store_put_array_text(struct buf *b, const char *v)
{
	if (v == NULL) {
		buf_puts(b, "NULL");
		return;
	}
	buf_putc(b, '"');
	for (const char *p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

enum store_rc store_apply_unchanged_batch(struct store *s, struct store_unchanged *u, size_t n)
{
	struct buf a[8];
	const char *v[9];
	PGresult *res;
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		u[i].applied = false;
	if (n == 0)
		return 0;
	if (store_prepare(s) < 0)
		return -1;
	for (int k = 0; k < 8; k++) {
		a[k] = (struct buf)BUF_INIT;
		buf_putc(&a[k], '{');
	}
	for (size_t i = 0; i < n; i++) {
		const char *sep = i ? "," : "";
		char *etag = store_clean(u[i].etag, STORE_MAX_SHORT * 4);
		char *lm = store_clean(u[i].last_modified, STORE_MAX_SHORT);

		const int64_t nums[] = {u[i].source_id,	  u[i].started_ms,  u[i].finished_ms,
					u[i].next_due_ms, u[i].http_status, u[i].pages};
		for (size_t k = 0; k < UTIL_ARRAY_LEN(nums); k++) {
			buf_puts(&a[k], sep);
			buf_put_i64(&a[k], nums[k]);
		}
		buf_puts(&a[6], sep);
		store_put_array_text(&a[6], etag);
		buf_puts(&a[7], sep);
		store_put_array_text(&a[7], lm);
		free(etag);
		free(lm);
	}
	for (int k = 0; k < 8; k++) {
		buf_putc(&a[k], '}');
		v[k] = a[k].data;
	}
	v[8] = s->owner;
	if ((res = store_run(s, STORE_STMT_UNCHANGED_BATCH, 9, v, PGRES_TUPLES_OK)) != NULL) {
		/* each row is the 1-based place in u of a poll written */
		for (int r = 0; r < PQntuples(res); r++) {
			long k = strtol(PQgetvalue(res, r, 0), NULL, 10) - 1;
			if (k >= 0 && (size_t)k < n)
				u[k].applied = true;
		}
		PQclear(res);
		rc = 0;
	} else {
		store_rollback(s);
	}
	for (int k = 0; k < 8; k++)
		buf_free(&a[k]);
	return rc;
}
