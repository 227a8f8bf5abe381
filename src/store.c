/* store.c - the PostgreSQL history. Owns the connection (session set-up, prepared statements,
 * the per-session staging table, marking a lost connection down so store_connect re-makes it),
 * the migrations in sql/, the sources rows, and the diff: one poll's snapshot goes into a temp
 * table with COPY and a handful of set-wise statements turn it into postings, versions and
 * events, all in one transaction. All SQL of jobwatch lives here, as the constants below.
 * Errors are reported once, through store_report(); callers get -1. */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"
#include "log.h"
#include "logfmt.h"
#include "util.h"

/* Bounds on what one posting may put in the database: a hostile or broken page must not be
 * able to make rows of megabytes. Counted in bytes of valid UTF-8, cut on a character. */
#define STORE_MAX_TEXT	   4096 /* title, department, location */
#define STORE_MAX_URL	   2048 /* url, external_id */
#define STORE_MAX_PAY_TEXT 1024
#define STORE_MAX_SHORT	   256 /* digest, pay_source, validators, stop */
#define STORE_MAX_ERROR	   2048
#define STORE_MAX_RANGES   64
#define STORE_MAX_PARAMS   16 /* of the statements store_values fills */

/* pg_advisory_lock key that serializes migrations between daemons: "jobwatch" in ASCII. */
#define STORE_MIGRATE_LOCK "7651255011474449256"

/* Sent to PQputCopyData in pieces of this size, so libpq never holds two copies of a big board. */
#define STORE_COPY_CHUNK (256 * 1024)

/* Session set-up, run after every (re)connect. Times are UTC so that psql users and the
 * daemon agree; the timeouts keep a hung statement or a forgotten transaction from holding
 * a source's row lock for ever. */
static const char STORE_SQL_SESSION[] = "SET TimeZone = 'UTC';"
					"SET statement_timeout = '60s';"
					"SET idle_in_transaction_session_timeout = '120s';";

/* The stage, made by the first snapshot a session applies: a daemon whose boards have not
 * changed since it started never makes it (the tables, their indexes and the catalog rows
 * they leave cost about 0.03 s of the database's 0.2 s in an unchanged cycle of 1000 boards,
 * make bench). */
static const char STORE_SQL_STAGE[] =
    /* The snapshot of one poll, emptied at the end of its transaction (the last statements
     * of the pipeline, or the rollback) and when a session starts. Not ON
     * COMMIT DELETE ROWS: the truncation that does rebuilds the indexes, which invalidates
     * every prepared statement that reads the stage, so each poll planned them all again (a
     * quarter of the database's CPU in a cold ingest, make bench). */
    "CREATE TEMP TABLE IF NOT EXISTS jobwatch_stage ("
    " seq int NOT NULL, external_id text NOT NULL, title text, department text,"
    " location text, url text, pay_min numeric, pay_max numeric, pay_currency text,"
    " pay_period text, pay_period_inferred boolean, pay_text text, pay_source text,"
    " pay_ranges_text text, digest text,"
    /* the source of each row when several first polls go together (store_apply_first) */
    " source_id bigint,"
    /* a row whose description comes from its detail (migration 018) */
    " detail_ref text, detail_key text);"
    /* Every diff statement looks ids up here. */
    "CREATE INDEX IF NOT EXISTS jobwatch_stage_id ON jobwatch_stage (external_id);"
    /* Every range the snapshot's postings state; seq is the posting's jobwatch_stage.seq. */
    "CREATE TEMP TABLE IF NOT EXISTS jobwatch_stage_ranges ("
    " seq int NOT NULL, external_id text NOT NULL, ord int NOT NULL, label text,"
    " pay_min numeric, pay_max numeric, pay_currency text, pay_period text,"
    " pay_period_inferred boolean, pay_source text, source_id bigint);"
    "CREATE INDEX IF NOT EXISTS jobwatch_stage_ranges_id"
    " ON jobwatch_stage_ranges (external_id);"
    /* a session a pooler hands on may hold another client's */
    "DELETE FROM jobwatch_stage; DELETE FROM jobwatch_stage_ranges;";

/* A snapshot's rows go before its commit, in the same pipeline, rather than at the start of
 * the next poll (a round trip of its own), both tables in one statement (each statement of a
 * poll costs the database about 20-40 us whatever it does); the dead rows they leave are
 * vacuumed away every STORE_STAGE_VACUUM_ROWS (temp tables get no autovacuum). */
static const char STORE_SQL_STAGE_CLEAR[] =
    "WITH r AS (DELETE FROM jobwatch_stage_ranges) DELETE FROM jobwatch_stage";
static const char STORE_SQL_STAGE_VACUUM[] = "VACUUM jobwatch_stage, jobwatch_stage_ranges";
#define STORE_STAGE_VACUUM_ROWS 2000

static const char STORE_SQL_BEGIN[] = "BEGIN";
static const char STORE_SQL_COMMIT[] = "COMMIT";
static const char STORE_SQL_ROLLBACK[] = "ROLLBACK";
static const char STORE_SQL_DEALLOCATE[] = "DEALLOCATE ALL";

static const char STORE_SQL_COPY[] =
    "COPY jobwatch_stage (seq, external_id, title, department, location, url, pay_min,"
    " pay_max, pay_currency, pay_period, pay_period_inferred, pay_text, pay_source,"
    " pay_ranges_text, digest, detail_ref, detail_key) FROM STDIN";
static const char STORE_SQL_COPY_RANGES[] =
    "COPY jobwatch_stage_ranges (seq, external_id, ord, label, pay_min, pay_max, pay_currency,"
    " pay_period, pay_period_inferred, pay_source) FROM STDIN";

static const char STORE_SQL_MIGRATE_LOCK[] = "SELECT pg_advisory_lock(" STORE_MIGRATE_LOCK ")";
static const char STORE_SQL_MIGRATE_UNLOCK[] = "SELECT pg_advisory_unlock(" STORE_MIGRATE_LOCK ")";
/* The one table that must exist before the first migration can be recorded. */
static const char STORE_SQL_MIGRATIONS_TABLE[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";
static const char STORE_SQL_MIGRATIONS_DONE[] = "SELECT version FROM schema_migrations";
static const char STORE_SQL_MIGRATION_RECORD[] =
    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1::int, now())";

/* A due time in wall-clock milliseconds as timestamptz; 0 means none (NULL). */
#define STORE_DUE(n) "to_timestamp(nullif($" #n "::bigint, 0) / 1000.0)"

/* A poll's wall-clock milliseconds as timestamptz; 0 means "now". */
#define STORE_TS(n) "coalesce(to_timestamp(nullif($" #n "::bigint, 0) / 1000.0), now())"

/* Upsert the configured sources by name in one statement; a row is written only when it is
 * new or its type or url changed, which means a different document: forget its validators
 * and what its page was found to be. STORE_SQL_SYNC_READ returns their state. A source
 * whose row already says the same is left out before the upsert, which would otherwise lock
 * its row (a WAL record and a dirtied page each) and draw an id from the sequence for
 * nothing, every start and every --once run. The DO UPDATE keeps its own test of the same
 * thing for a row another daemon inserts after this statement's snapshot. */
static const char STORE_SQL_SYNC_SOURCE[] =
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
static const char STORE_SQL_SYNC_READ[] =
    "SELECT w.i, id, etag, last_modified, body_sha256, last_complete_at IS NOT NULL,"
    "  failures_in_row, failing_reported_at IS NOT NULL, stale_reported_at IS NOT NULL,"
    "  (extract(epoch FROM coalesce(last_complete_at, created_at)) * 1000)::bigint,"
    "  detected_type, detected_url"
    " FROM unnest($1::text[]) WITH ORDINALITY AS w(name, i) JOIN sources s ON s.name = w.name"
    " ORDER BY w.i";

/* Sources the configuration ($1, every name it has, enabled or not) no longer names are
 * marked removed, and those it names again lose the mark (migration 020). */
static const char STORE_SQL_MARK_REMOVED[] =
    "UPDATE sources SET removed_at = CASE WHEN name = ANY($1::text[]) THEN NULL ELSE now() END"
    " WHERE (removed_at IS NULL) <> (name = ANY($1::text[]))";

/* What a type auto source's page was found to be; not by a daemon that lost the lease ($4). */
static const char STORE_SQL_RECORD_DETECTION[] =
    "UPDATE sources SET detected_type = $2, detected_url = $3, detected_at = now()"
    " WHERE id = $1::bigint"
    " AND ($4::text IS NULL OR lease_owner IS NOT DISTINCT FROM $4::text)";

/* A timestamptz as the alert lines write it: ISO 8601 in UTC. */
#define STORE_ISO(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* A failed poll: its row, one more failure in a row for the source, and the source_failing
 * event when the run reaches fail_after ($9, 0: never) the first time. o is the row before.
 * Returns failures in a row, whether the event was written, its reason and since. */
static const char STORE_SQL_RECORD_FAILURE[] =
    /* the source's row is locked before its poll goes in (polls has no foreign key since
     * migration 015): a source deleted meanwhile gets no row, nor one another daemon took
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

/* A source with no complete poll for $2 seconds, not reported since its last one, is stale. */
static const char STORE_SQL_SOURCE_STALE[] =
    "WITH u AS ("
    " UPDATE sources SET stale_reported_at = now()"
    " WHERE id = $1::bigint AND stale_reported_at IS NULL"
    "  AND coalesce(last_complete_at, created_at) < now() - "
    "make_interval(secs => $2::int)"
    " RETURNING id, failures_in_row, CASE WHEN last_complete_at IS NULL"
    "  THEN 'no complete poll yet' ELSE 'no complete poll since ' "
    "|| " STORE_ISO("last_complete_at") " END AS reason, " STORE_ISO(
	"last_complete_at") " AS since"
			    "), ev AS ("
			    " INSERT INTO events (at, source_id, kind, "
			    "new_value)"
			    " SELECT now(), id, 'source_stale', reason "
			    "FROM u"
			    ")"
			    " SELECT failures_in_row, reason, since "
			    "FROM u";

/* A complete (or unchanged) poll ends the run of failures; when it ends a reported failing
 * or stale state, a source_recovered event. The row is locked by this transaction; a source
 * with nothing to end (the common case) is not written: no row version for nothing. $1
 * source, $2 poll. */
static const char STORE_SQL_RECOVER[] =
    "WITH u AS ("
    " UPDATE sources s SET failures_in_row = 0, failing_since = NULL,"
    "  failing_reported_at = NULL, stale_reported_at = NULL"
    " FROM sources o WHERE s.id = $1::bigint AND o.id = s.id"
    "  AND (o.failures_in_row <> 0 OR o.failing_since IS NOT NULL"
    "   OR o.failing_reported_at IS NOT NULL OR o.stale_reported_at IS NOT NULL)"
    " RETURNING s.id, o.failures_in_row,"
    "  coalesce(o.failing_since, o.last_complete_at) AS since,"
    "  (o.failing_reported_at IS NOT NULL OR o.stale_reported_at IS NOT NULL) AS recovered,"
    "  CASE WHEN o.failures_in_row > 0 THEN 'complete poll after ' || o.failures_in_row"
    "   || ' failed' ELSE 'complete poll' END AS reason"
    "), ev AS ("
    " INSERT INTO events (at, source_id, poll_id, kind, new_value)"
    " SELECT now(), id, $2::bigint, 'source_recovered', reason FROM u WHERE recovered"
    ")"
    " SELECT failures_in_row, recovered, reason, " STORE_ISO("since") " FROM u";

/* Many unchanged polls in one statement: a polls row each and one small UPDATE of each
 * source, for the sources where an unchanged poll changes nothing else (no posting is
 * counting misses, by the counts the last complete poll left on the source; nothing to
 * recover from; the lease still ours). Its cost does not grow with the boards. Returns the
 * places (1-based) in the arrays of the polls it wrote; the others take the one-source
 * path. $1..$8 arrays of source, started_ms, finished_ms, next_due_ms, http status, pages,
 * etag, last_modified; $9 owner. */
static const char STORE_SQL_UNCHANGED_BATCH[] =
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
static const char STORE_SQL_PRUNE_POLLS[] =
    "WITH d AS (DELETE FROM polls WHERE id IN (SELECT id FROM polls"
    " WHERE started_at < now() - make_interval(secs => $1::int)"
    " ORDER BY started_at LIMIT $2::int) RETURNING id"
    /* their versions and events stay, pointing nowhere: NULL (migration 009) */
    "), v AS (UPDATE posting_versions SET poll_id = NULL WHERE poll_id IN (SELECT id FROM d)"
    "), e AS (UPDATE events SET poll_id = NULL WHERE poll_id IN (SELECT id FROM d)"
    ")"
    " SELECT count(*) FROM d";

/* The source's row lock serializes two daemons that poll the same source at once. */
static const char STORE_SQL_LOCK_SOURCE[] =
    "SELECT suspect, last_complete_at IS NULL,"
    " $2::text IS NULL OR lease_owner IS NOT DISTINCT FROM $2::text,"
    " NOT EXISTS (SELECT 1 FROM postings p WHERE p.source_id = $1::bigint)"
    " FROM sources WHERE id = $1::bigint FOR UPDATE";

/* How long a due source waits for the daemon whose turn it is (STORE_SQL_CLAIM) before any may
 * take it: long against a wake-up on a busy host, short against an interval. */
#define STORE_CLAIM_GRACE_MS 500

/* Claim the leases of many sources in one statement, each when it is free (or ours, or
 * expired) and due ($4: or regardless), skipping rows another daemon has locked. The daemons
 * sharing the work (this one, and those with a heartbeat within $5 ms) split it here, without
 * racing for it: a source that falls due is taken by the one whose place among them is its id
 * modulo their number; one left for $6 ms (its daemon is gone or slow) by whoever comes first;
 * and a daemon already holding twice its share of the leases in flight takes only such
 * left-over ones. --once ($4) takes whatever is free. Returns for every source asked for (by
 * its 1-based place in $1) whether it was claimed and, when not, the milliseconds until it
 * may be: when it is due, when it is left over, or, when another daemon holds it, when that
 * poll may be over (as long again as it has run, a second at least) but no later than the
 * lease runs out. So a live holder's source is asked for again soon after its poll, and then
 * comes back at the next_due the holder wrote; a dead holder's is taken when its lease runs
 * out, after a few looks. (A wait for the whole lease on the word of one heartbeat would cost
 * a source a lease whenever that word was wrong: a daemon that had claimed before its first
 * heartbeat, or was slow to send one.) $1 sources, $2 owner, $3 lease ms, $4 force, $5 live
 * ms, $6 grace ms. */
static const char STORE_SQL_CLAIM[] =
    "WITH want AS (SELECT * FROM unnest($1::bigint[]) WITH ORDINALITY AS w(id, i)),"
    " live AS (SELECT id FROM instances WHERE id <> $2 AND stopped_at IS NULL"
    "  AND heartbeat_at > now() - $5::int * interval '1 ms' UNION ALL SELECT $2),"
    " me AS (SELECT count(*) AS n, count(*) FILTER (WHERE id < $2) AS place FROM live),"
    " free AS (SELECT count(*) AS n, count(*) FILTER (WHERE"
    "   coalesce(next_due, created_at) < now() - $6::int * interval '1 ms') AS left_over"
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
    "   OR coalesce(next_due, created_at) < now() - $6::int * interval '1 ms')"
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
    "  ELSE greatest(now(), coalesce(o.next_due, o.created_at) + $6::int * interval '1 ms')"
    "  END - now()))::bigint"
    " FROM sources o JOIN want w ON w.id = o.id LEFT JOIN c ON c.id = o.id";

/* Renew the leases of the polls in flight. $1 owner, $2 lease ms, $3 source ids. */
static const char STORE_SQL_RENEW[] =
    "UPDATE sources SET lease_expires = now() + $2::int * interval '1 ms'"
    " WHERE lease_owner = $1 AND id = ANY ($3::bigint[])";

/* The instance's row, refreshed. $1 id, $2 host, $3 pid, $4 version, $5 status. */
static const char STORE_SQL_HEARTBEAT[] =
    "INSERT INTO instances AS i (id, host, pid, version, status) VALUES ($1, $2, $3::int, $4, $5)"
    " ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), status = EXCLUDED.status,"
    "  stopped_at = NULL";

/* A clean stop: the leases go back at once instead of when they expire. $1 owner. */
static const char STORE_SQL_RELEASE[] =
    "WITH r AS (UPDATE sources SET lease_owner = NULL, lease_expires = NULL"
    " WHERE lease_owner = $1)"
    " UPDATE instances SET stopped_at = now(), heartbeat_at = now(), status = 'stopped'"
    " WHERE id = $1";

static const char STORE_SQL_INSERT_POLL[] =
    "INSERT INTO polls (source_id, started_at, http_status, outcome, stop, pages, dropped,"
    " error)"
    " VALUES ($1::bigint, " STORE_TS(2) ", nullif($3::int, 0), $4, $5, $6::int, $7::int, $8)"
					" RETURNING id";

/* A temp table has no statistics unless we make them; without them the planner guesses a
 * few rows and picks nested loops that are quadratic in the board's size. They are made
 * again only when a snapshot's size leaves [n / 2, 2n] of the one they were made from
 * (store_stage_analyze): the planner reads the stage's current size from its pages whatever
 * the statistics say, and what they add (every id distinct) holds for any snapshot. Each
 * ANALYZE also made every statement that reads the stage plan itself again, which, with the
 * ANALYZE, was half of the database's time in a poll of a changed board (make bench). */
static const char STORE_SQL_ANALYZE_STAGE[] = "ANALYZE jobwatch_stage";

/* Open postings, and how many of them this snapshot lacks: the suspect rule's inputs. */
static const char STORE_SQL_COUNT_DROP[] =
    "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS ("
    "  SELECT 1 FROM jobwatch_stage s WHERE s.external_id = p.external_id))"
    " FROM postings p WHERE p.source_id = $1::bigint AND p.closed_at IS NULL";

/* A list row that lacks the description says nothing of the posting's pay, digest, or of the
 * department and location it lacks: the stage takes what the posting's detail said, so that
 * the diff below sees no change where the list is silent. $1 source. */
static const char STORE_SQL_KEEP_DETAIL[] =
    "UPDATE jobwatch_stage s SET department = coalesce(s.department, p.department),"
    " location = coalesce(s.location, p.location), pay_min = p.pay_min, pay_max = p.pay_max,"
    " pay_currency = p.pay_currency, pay_period = p.pay_period,"
    " pay_period_inferred = p.pay_period_inferred, pay_text = p.pay_text,"
    " pay_source = p.pay_source, pay_ranges_text = p.pay_ranges_text, digest = p.digest"
    " FROM postings p"
    " WHERE s.detail_ref IS NOT NULL AND p.source_id = $1::bigint"
    "  AND p.external_id = s.external_id";

/* Postings of the snapshot the source has shown before: seen now, reopened when closed, and
 * each changed field an event; any change of a field or of the digest a new version. A
 * complete poll rewrites only the rows it changes (a field, the digest, a reopening, the end
 * of a run of misses): an open posting it shows unchanged was seen at the source's
 * last_complete_at, which FINISH_POLL sets to the same now() and open_postings reads (as
 * for unchanged polls, migration 007). A board where one posting of 2,000 changed rewrote
 * all 2,000 rows, and their WAL, on every poll. A partial poll ($4) does not move
 * last_complete_at, so it still writes last_seen on every row it read.
 * $1 source, $2 poll, $3 baseline, $4 partial. */
static const char STORE_SQL_UPDATE_PRESENT[] =
    /* o is the row as it was before this statement: RETURNING gives old and new together,
     * without joining two CTEs that the planner cannot estimate. */
    "WITH upd AS ("
    " UPDATE postings p SET title = s.title, department = s.department,"
    "  location = s.location, url = s.url, pay_min = s.pay_min, pay_max = s.pay_max,"
    "  pay_currency = s.pay_currency, pay_period = s.pay_period, pay_text = s.pay_text,"
    "  pay_source = s.pay_source, pay_min_yearly = pay_yearly(s.pay_min, s.pay_period),"
    "  pay_max_yearly = pay_yearly(s.pay_max, s.pay_period), digest = s.digest,"
    "  pay_period_inferred = s.pay_period_inferred, pay_ranges_text = s.pay_ranges_text,"
    "  last_seen = now(), misses = 0, closed_at = NULL,"
    /* a row that lacks the description: its detail is read again when the row changed */
    "  pay_known = p.pay_known AND s.detail_ref IS NOT NULL OR s.detail_ref IS NULL,"
    "  detail_ref = s.detail_ref, detail_key = s.detail_key,"
    "  detail_wanted = s.detail_ref IS NOT NULL AND (p.detail_wanted"
    "   OR p.closed_at IS NOT NULL OR p.detail_key IS DISTINCT FROM s.detail_key"
    "   OR p.title IS DISTINCT FROM s.title OR p.location IS DISTINCT FROM s.location)"
    " FROM jobwatch_stage s, postings o"
    " WHERE p.source_id = $1::bigint AND p.external_id = s.external_id AND o.id = p.id"
    "  AND ($4::boolean OR p.misses <> 0 OR p.closed_at IS NOT NULL"
    "   OR (p.title, p.department, p.location, p.url, p.pay_min, p.pay_max, p.pay_currency,"
    "    p.pay_period, p.pay_text, p.pay_source, p.digest, p.pay_period_inferred,"
    "    p.pay_ranges_text, p.pay_min_yearly, p.pay_max_yearly, p.detail_ref, p.detail_key)"
    "   IS DISTINCT FROM (s.title, s.department, s.location, s.url, s.pay_min, s.pay_max,"
    "    s.pay_currency, s.pay_period, s.pay_text, s.pay_source, s.digest,"
    "    s.pay_period_inferred, s.pay_ranges_text, pay_yearly(s.pay_min, s.pay_period),"
    "    pay_yearly(s.pay_max, s.pay_period), s.detail_ref, s.detail_key))"
    " RETURNING p.id, p.external_id, p.title, p.department, p.location, p.url, p.pay_min,"
    "  p.pay_max, p.pay_currency, p.pay_period, p.pay_text, p.pay_ranges_text, p.digest,"
    "  o.closed_at AS old_closed_at, o.pay_ranges_text AS old_pay_ranges_text,"
    "  o.title AS old_title, o.department AS old_department, o.location AS old_location,"
    "  o.url AS old_url, o.pay_min AS old_pay_min, o.pay_max AS old_pay_max,"
    "  o.pay_currency AS old_pay_currency, o.pay_period AS old_pay_period,"
    "  o.pay_text AS old_pay_text, o.digest AS old_digest"
    "), d AS ("
    " SELECT u.*, u.old_closed_at IS NOT NULL AS reopened,"
    "  (u.old_pay_min, u.old_pay_max, u.old_pay_currency, u.old_pay_period,"
    "   u.old_pay_ranges_text) IS DISTINCT FROM"
    "   (u.pay_min, u.pay_max, u.pay_currency, u.pay_period, u.pay_ranges_text)"
    "   AS pay_changed,"
    "  (u.old_title, u.old_department, u.old_location, u.old_url, u.old_pay_min,"
    "   u.old_pay_max, u.old_pay_currency, u.old_pay_period, u.old_pay_text,"
    "   u.old_pay_ranges_text, u.old_digest)"
    "   IS DISTINCT FROM"
    "  (u.title, u.department, u.location, u.url, u.pay_min, u.pay_max, u.pay_currency,"
    "   u.pay_period, u.pay_text, u.pay_ranges_text, u.digest) AS changed"
    " FROM upd u"
    "), ver AS ("
    " INSERT INTO posting_versions (posting_id, valid_from, poll_id, title, department,"
    "  location, url, pay_min, pay_max, pay_currency, pay_period, pay_text, pay_ranges_text,"
    "  digest)"
    " SELECT id, now(), $2::bigint, title, department, location, url, pay_min, pay_max,"
    "  pay_currency, pay_period, pay_text, pay_ranges_text, digest FROM d WHERE changed"
    /* A posting's ranges are replaced whole when any of them changed. No unique index on
     * pay_ranges: the insert cannot see the rows this statement deletes. */
    "), rdel AS ("
    " DELETE FROM pay_ranges r USING d WHERE d.pay_changed AND r.posting_id = d.id"
    "), rins AS ("
    " INSERT INTO pay_ranges (posting_id, ord, label, pay_min, pay_max, pay_currency,"
    "  pay_period, pay_period_inferred, pay_source, pay_min_yearly, pay_max_yearly)"
    " SELECT d.id, r.ord, r.label, r.pay_min, r.pay_max, r.pay_currency, r.pay_period,"
    "  r.pay_period_inferred, r.pay_source, pay_yearly(r.pay_min, r.pay_period),"
    "  pay_yearly(r.pay_max, r.pay_period)"
    " FROM d JOIN jobwatch_stage_ranges r ON r.external_id = d.external_id"
    " WHERE d.pay_changed"
    ")"
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, old_value, new_value,"
    "  baseline)"
    " SELECT now(), $1::bigint, d.id, $2::bigint, k.kind, k.old_value, k.new_value,"
    "  $3::boolean"
    " FROM d CROSS JOIN LATERAL (VALUES"
    "  (1, 'reopened', NULL, NULL, d.reopened),"
    "  (2, 'title_changed', d.old_title, d.title, d.old_title IS DISTINCT FROM d.title),"
    "  (3, 'location_changed', d.old_location, d.location,"
    "   d.old_location IS DISTINCT FROM d.location),"
    "  (4, 'department_changed', d.old_department, d.department,"
    "   d.old_department IS DISTINCT FROM d.department),"
    "  (5, 'pay_changed',"
    "   CASE WHEN d.pay_changed THEN coalesce(d.old_pay_ranges_text, '') END,"
    "   CASE WHEN d.pay_changed THEN coalesce(d.pay_ranges_text, '') END, d.pay_changed)"
    " ) AS k(ord, kind, old_value, new_value, hit)"
    " WHERE k.hit ORDER BY d.id, k.ord";

/* The snapshots of several first polls (store_apply_first), each row with its source. */
static const char STORE_SQL_COPY_FIRST[] =
    "COPY jobwatch_stage (source_id, seq, external_id, title, department, location, url,"
    " pay_min, pay_max, pay_currency, pay_period, pay_period_inferred, pay_text, pay_source,"
    " pay_ranges_text, digest, detail_ref, detail_key) FROM STDIN";
static const char STORE_SQL_COPY_FIRST_RANGES[] =
    "COPY jobwatch_stage_ranges (source_id, seq, external_id, ord, label, pay_min, pay_max,"
    " pay_currency, pay_period, pay_period_inferred, pay_source) FROM STDIN";

/* INSERT_NEW for the first polls of several sources at once, every row of the stage new:
 * each source's lock found it without postings, and the stage holds each id of a source once
 * (store_pick). Their events are a baseline's. $1 the sources, $2 their polls. */
static const char STORE_SQL_INSERT_FIRST[] =
    "WITH b AS ("
    " SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS b(source_id, poll_id)"
    "), ins AS ("
    " INSERT INTO postings (source_id, external_id, title, department, location, url,"
    "  pay_min, pay_max, pay_currency, pay_period, pay_period_inferred, pay_text,"
    "  pay_source, pay_ranges_text, pay_min_yearly, pay_max_yearly, digest, first_seen,"
    "  last_seen, misses, pay_known, detail_ref, detail_key)"
    " SELECT s.source_id, s.external_id, s.title, s.department, s.location, s.url,"
    "  s.pay_min, s.pay_max, s.pay_currency, s.pay_period, s.pay_period_inferred,"
    "  s.pay_text, s.pay_source, s.pay_ranges_text, pay_yearly(s.pay_min, s.pay_period),"
    "  pay_yearly(s.pay_max, s.pay_period), s.digest, now(), now(), 0,"
    "  s.detail_ref IS NULL, s.detail_ref, s.detail_key"
    " FROM jobwatch_stage s ORDER BY s.seq"
    " RETURNING id, source_id, external_id, title, department, location, url, pay_min,"
    "  pay_max, pay_currency, pay_period, pay_text, pay_ranges_text, digest"
    "), ver AS ("
    " INSERT INTO posting_versions (posting_id, valid_from, poll_id, title, department,"
    "  location, url, pay_min, pay_max, pay_currency, pay_period, pay_text, pay_ranges_text,"
    "  digest)"
    " SELECT i.id, now(), b.poll_id, i.title, i.department, i.location, i.url, i.pay_min,"
    "  i.pay_max, i.pay_currency, i.pay_period, i.pay_text, i.pay_ranges_text, i.digest"
    " FROM ins i JOIN b ON b.source_id = i.source_id"
    "), rng AS ("
    " INSERT INTO pay_ranges (posting_id, ord, label, pay_min, pay_max, pay_currency,"
    "  pay_period, pay_period_inferred, pay_source, pay_min_yearly, pay_max_yearly)"
    " SELECT i.id, r.ord, r.label, r.pay_min, r.pay_max, r.pay_currency, r.pay_period,"
    "  r.pay_period_inferred, r.pay_source, pay_yearly(r.pay_min, r.pay_period),"
    "  pay_yearly(r.pay_max, r.pay_period)"
    " FROM ins i JOIN jobwatch_stage_ranges r"
    "  ON r.source_id = i.source_id AND r.external_id = i.external_id"
    ")"
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, baseline)"
    " SELECT now(), i.source_id, i.id, b.poll_id, 'new', true"
    " FROM ins i JOIN b ON b.source_id = i.source_id ORDER BY i.id";

/* Until the commit, prepared statements run the plan made once for any parameters: sent
 * before INSERT_NEW in the poll of a source that has no postings yet. The planner prices each
 * poll's own plan with the stage's current size, which grows by the dead rows of up to
 * STORE_STAGE_VACUUM_ROWS between its vacuums, so the shared plan, priced once, looked dearer
 * than the average of the polls' own and INSERT_NEW was planned again in 641 of a cold
 * ingest's 1000 polls: 267-283 ms of the database's time, 22-35 ms with this
 * (pg_stat_statements). Whatever the parameters, that transaction's statements have one
 * right plan: nothing of the source is in postings to join against, and the rest look up
 * one sources row. */
static const char STORE_SQL_GENERIC[] =
    "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)";

/* Postings the source has never shown: a row, a first version and a "new" event each. The
 * event of a row that lacks the description waits (alert_pending) for the posting's detail,
 * $4 seconds at most (0: a source that reads no detail, whose alerts do not wait).
 * $1 source, $2 poll, $3 baseline, $4 alert_wait. */
static const char STORE_SQL_INSERT_NEW[] =
    "WITH ins AS ("
    " INSERT INTO postings (source_id, external_id, title, department, location, url,"
    "  pay_min, pay_max, pay_currency, pay_period, pay_period_inferred, pay_text,"
    "  pay_source, pay_ranges_text, pay_min_yearly, pay_max_yearly, digest, first_seen,"
    "  last_seen, misses, pay_known, detail_ref, detail_key)"
    " SELECT $1::bigint, s.external_id, s.title, s.department, s.location, s.url,"
    "  s.pay_min, s.pay_max, s.pay_currency, s.pay_period, s.pay_period_inferred,"
    "  s.pay_text, s.pay_source, s.pay_ranges_text, pay_yearly(s.pay_min, s.pay_period),"
    "  pay_yearly(s.pay_max, s.pay_period), s.digest, now(), now(), 0,"
    "  s.detail_ref IS NULL, s.detail_ref, s.detail_key"
    " FROM jobwatch_stage s"
    " WHERE NOT EXISTS (SELECT 1 FROM postings p"
    "  WHERE p.source_id = $1::bigint AND p.external_id = s.external_id)"
    " ORDER BY s.seq"
    " RETURNING id, external_id, title, department, location, url, pay_min, pay_max,"
    "  pay_currency, pay_period, pay_text, pay_ranges_text, digest, pay_known"
    "), ver AS ("
    " INSERT INTO posting_versions (posting_id, valid_from, poll_id, title, department,"
    "  location, url, pay_min, pay_max, pay_currency, pay_period, pay_text, pay_ranges_text,"
    "  digest)"
    " SELECT id, now(), $2::bigint, title, department, location, url, pay_min, pay_max,"
    "  pay_currency, pay_period, pay_text, pay_ranges_text, digest FROM ins"
    "), rng AS ("
    " INSERT INTO pay_ranges (posting_id, ord, label, pay_min, pay_max, pay_currency,"
    "  pay_period, pay_period_inferred, pay_source, pay_min_yearly, pay_max_yearly)"
    " SELECT ins.id, r.ord, r.label, r.pay_min, r.pay_max, r.pay_currency, r.pay_period,"
    "  r.pay_period_inferred, r.pay_source, pay_yearly(r.pay_min, r.pay_period),"
    "  pay_yearly(r.pay_max, r.pay_period)"
    " FROM ins JOIN jobwatch_stage_ranges r ON r.external_id = ins.external_id"
    ")"
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, baseline, alert_pending,"
    "  alert_due)"
    " SELECT now(), $1::bigint, id, $2::bigint, 'new', $3::boolean,"
    "  NOT $3::boolean AND NOT pay_known AND $4::int > 0,"
    "  now() + make_interval(secs => $4::int)"
    " FROM ins ORDER BY id";

/* Open postings missing from a complete snapshot count a miss; at close_after they close,
 * unless $5 (may close) is false because the poll is held as suspect.
 * $1 source, $2 poll, $3 baseline, $4 close_after, $5 may close. */
static const char STORE_SQL_MISS_COMPLETE[] =
    "WITH m AS ("
    " UPDATE postings p SET misses = p.misses + 1,"
    "  closed_at = CASE WHEN $5::boolean AND p.misses + 1 >= $4::int THEN now() END"
    " WHERE p.source_id = $1::bigint AND p.closed_at IS NULL"
    "  AND NOT EXISTS (SELECT 1 FROM jobwatch_stage s WHERE s.external_id = p.external_id)"
    " RETURNING p.id, p.closed_at"
    ")"
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, baseline)"
    " SELECT now(), $1::bigint, id, $2::bigint, 'closed', $3::boolean FROM m"
    " WHERE closed_at IS NOT NULL ORDER BY id";

/* An unchanged body is the last snapshot seen again: what it lacked (misses > 0) counts one
 * more miss and closes at close_after; what it showed (misses = 0) was seen at the
 * last_complete_at this poll sets, and its rows are left alone (migrations 007 and 014).
 * Returns how many postings it showed: the statement's own snapshot, before its update.
 * $1 source, $2 poll, $3 baseline, $4 close_after. */
static const char STORE_SQL_MISS_UNCHANGED[] =
    "WITH m AS ("
    " UPDATE postings p SET misses = p.misses + 1,"
    "  closed_at = CASE WHEN p.misses + 1 >= $4::int THEN now() END"
    " WHERE p.source_id = $1::bigint AND p.closed_at IS NULL AND p.misses > 0"
    " RETURNING p.id, p.closed_at"
    "), ev AS ("
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, baseline)"
    " SELECT now(), $1::bigint, id, $2::bigint, 'closed', $3::boolean FROM m"
    " WHERE closed_at IS NOT NULL ORDER BY id"
    ")"
    " SELECT count(*) FROM postings p"
    " WHERE p.source_id = $1::bigint AND p.closed_at IS NULL AND p.misses = 0";

/* The poll's events with each posting as it now is. */
static const char STORE_SQL_POLL_EVENTS[] =
    "SELECT e.kind, e.old_value, e.new_value, p.external_id, p.title, p.department,"
    " p.location, p.url, p.pay_min::float8, p.pay_max::float8, p.pay_currency, p.pay_period,"
    " p.pay_source"
    " FROM events e JOIN postings p ON p.id = e.posting_id"
    " WHERE e.poll_id = $1::bigint AND NOT e.alert_pending ORDER BY e.id";

/* Close the polls row with its counts (read from the events this poll wrote, so that the
 * statement needs no answer from an earlier one and can go in the same pipeline) and remember
 * the source's validators. An unchanged poll ($10) keeps the validators it was not sent again
 * (a 304 need not repeat the ETag). $1 poll, $2 source, $3 finished_ms, $4 postings, $5 poll
 * suspect, $6 source suspect, $7 etag, $8 last_modified, $9 body_sha256, $10 unchanged,
 * $11 next_due_ms, $12 owner, $13 partial. */
static const char STORE_SQL_FINISH_POLL[] =
    "WITH src AS ("
    " UPDATE sources SET last_poll_at = now(), updated_at = now(),"
    /* a partial poll ($13) is no complete one, and judges no drop */
    "  suspect = CASE WHEN $13::boolean THEN suspect ELSE $6::boolean END,"
    "  last_complete_at = CASE WHEN $13::boolean THEN last_complete_at ELSE now() END,"
    "  next_due = coalesce(" STORE_DUE(
	11) ", next_due),"
	    "  lease_expires = CASE WHEN lease_owner = $12 THEN NULL ELSE lease_expires END,"
	    "  lease_owner = CASE WHEN lease_owner = $12 THEN NULL ELSE lease_owner END,"
	    "  etag = CASE WHEN $10::boolean THEN coalesce($7, etag) ELSE $7 END,"
	    "  last_modified = CASE WHEN $10::boolean THEN coalesce($8, last_modified) ELSE $8 END,"
	    "  body_sha256 = CASE WHEN $10::boolean THEN coalesce($9, body_sha256) ELSE $9 END,"
	    "  (open_postings, missing_postings) = (SELECT count(*), count(*) FILTER (WHERE"
	    "   p.misses > 0) FROM postings p WHERE p.source_id = $2::bigint AND p.closed_at IS "
	    "NULL)"
	    " WHERE id = $2::bigint"
	    ")"
	    " UPDATE polls SET finished_at = " STORE_TS(
		3) ", postings = $4::int,"
		   "  (new, closed, reopened, changed) = (SELECT count(*) FILTER (WHERE kind = "
		   "'new'),"
		   "   count(*) FILTER (WHERE kind = 'closed'), count(*) FILTER (WHERE kind = "
		   "'reopened'),"
		   /* postings with a change, not fields */
		   "   count(DISTINCT posting_id) FILTER (WHERE kind IN ('title_changed',"
		   "    'location_changed', 'department_changed', 'pay_changed'))"
		   "   FROM events WHERE poll_id = $1::bigint),"
		   "  suspect = $5::boolean"
		   " WHERE id = $1::bigint"
		   " RETURNING new, closed, reopened, changed";

/* ---- detail reads (SQL) ---- */

/* The open postings of source $1 whose detail is due, $2 at most: new postings whose alert
 * waits first, then rows that changed since their detail was read, then those never read (a
 * first poll's backlog), then those read longer ago than $3 seconds (each posting a little
 * earlier or later, so that a board read in one go is not read again in one go). Postings
 * another daemon is reading are skipped, and those taken are held for $4 seconds
 * (detail_retry_at), so that no two daemons read one detail. */
static const char STORE_SQL_DETAIL_PICK[] =
    "WITH c AS ("
    " SELECT p.id FROM postings p"
    " WHERE p.source_id = $1::bigint AND p.closed_at IS NULL AND p.detail_ref IS NOT NULL"
    "  AND (p.detail_retry_at IS NULL OR p.detail_retry_at <= now())"
    "  AND (p.detail_read_at IS NULL OR p.detail_wanted"
    "   OR p.detail_read_at < now() - make_interval(secs => $3::int * (0.75 + (p.id % 64) / "
    "128.0)))"
    " ORDER BY CASE WHEN p.detail_read_at IS NULL AND EXISTS (SELECT 1 FROM events e"
    "    WHERE e.posting_id = p.id AND e.alert_pending) THEN 0"
    "   WHEN p.detail_wanted THEN 1 WHEN p.detail_read_at IS NULL THEN 2 ELSE 3 END,"
    "  p.detail_failures, p.id"
    " LIMIT $2::int FOR UPDATE OF p SKIP LOCKED"
    ")"
    " UPDATE postings p SET detail_retry_at = now() + make_interval(secs => $4::int)"
    " FROM c WHERE p.id = c.id"
    " RETURNING p.external_id, p.detail_ref";

/* The events of a detail read with each posting as it now is: the columns
 * store_event_read takes. */
#define STORE_DETAIL_EVENT_COLS                                                                    \
	"x.kind, x.old_value, x.new_value, d.external_id, d.title, d.department, d.location,"      \
	" d.url, d.pay_min::float8, d.pay_max::float8, d.pay_currency, d.pay_period,"              \
	" d.pay_source"

/* The details read, staged like a snapshot ($1 source): each posting takes the detail's
 * description digest and pay, and the department and location where it has none. Its pay is
 * known from now on: a change between two read values is a pay_changed event, unknown to
 * known is none. Every change is a version; a "new" event waiting for this detail is let go.
 * Returns those events. */
static const char STORE_SQL_DETAIL_APPLY[] =
    "WITH pl AS (SELECT max(id) AS id FROM polls WHERE source_id = $1::bigint"
    "), upd AS ("
    " UPDATE postings p SET department = coalesce(p.department, s.department),"
    "  location = coalesce(p.location, s.location), pay_min = s.pay_min,"
    "  pay_max = s.pay_max, pay_currency = s.pay_currency, pay_period = s.pay_period,"
    "  pay_period_inferred = s.pay_period_inferred, pay_text = s.pay_text,"
    "  pay_source = s.pay_source, pay_ranges_text = s.pay_ranges_text,"
    "  pay_min_yearly = pay_yearly(s.pay_min, s.pay_period),"
    "  pay_max_yearly = pay_yearly(s.pay_max, s.pay_period), digest = s.digest,"
    "  pay_known = true, detail_read_at = now(), detail_wanted = false, detail_error = NULL,"
    "  detail_failures = 0, detail_retry_at = NULL"
    " FROM jobwatch_stage s, postings o"
    " WHERE p.source_id = $1::bigint AND p.external_id = s.external_id AND o.id = p.id"
    " RETURNING p.id, p.external_id, p.title, p.department, p.location, p.url, p.pay_min,"
    "  p.pay_max, p.pay_currency, p.pay_period, p.pay_text, p.pay_source, p.pay_ranges_text,"
    "  p.digest, o.pay_known AS old_pay_known, o.department AS old_department,"
    "  o.location AS old_location, o.pay_min AS old_pay_min, o.pay_max AS old_pay_max,"
    "  o.pay_currency AS old_pay_currency, o.pay_period AS old_pay_period,"
    "  o.pay_text AS old_pay_text, o.pay_ranges_text AS old_pay_ranges_text,"
    "  o.digest AS old_digest"
    "), d AS ("
    " SELECT u.*, (u.old_pay_min, u.old_pay_max, u.old_pay_currency, u.old_pay_period,"
    "   u.old_pay_ranges_text) IS DISTINCT FROM"
    "   (u.pay_min, u.pay_max, u.pay_currency, u.pay_period, u.pay_ranges_text) AS pay_diff,"
    "  (u.old_department, u.old_location, u.old_pay_min, u.old_pay_max, u.old_pay_currency,"
    "   u.old_pay_period, u.old_pay_text, u.old_pay_ranges_text, u.old_digest)"
    "   IS DISTINCT FROM (u.department, u.location, u.pay_min, u.pay_max, u.pay_currency,"
    "   u.pay_period, u.pay_text, u.pay_ranges_text, u.digest) AS changed"
    " FROM upd u"
    "), ver AS ("
    " INSERT INTO posting_versions (posting_id, valid_from, poll_id, title, department,"
    "  location, url, pay_min, pay_max, pay_currency, pay_period, pay_text, pay_ranges_text,"
    "  digest)"
    " SELECT d.id, now(), pl.id, d.title, d.department, d.location, d.url, d.pay_min,"
    "  d.pay_max, d.pay_currency, d.pay_period, d.pay_text, d.pay_ranges_text, d.digest"
    " FROM d, pl WHERE d.changed"
    "), rdel AS ("
    " DELETE FROM pay_ranges r USING d WHERE d.pay_diff AND r.posting_id = d.id"
    "), rins AS ("
    " INSERT INTO pay_ranges (posting_id, ord, label, pay_min, pay_max, pay_currency,"
    "  pay_period, pay_period_inferred, pay_source, pay_min_yearly, pay_max_yearly)"
    " SELECT d.id, r.ord, r.label, r.pay_min, r.pay_max, r.pay_currency, r.pay_period,"
    "  r.pay_period_inferred, r.pay_source, pay_yearly(r.pay_min, r.pay_period),"
    "  pay_yearly(r.pay_max, r.pay_period)"
    " FROM d JOIN jobwatch_stage_ranges r ON r.external_id = d.external_id WHERE d.pay_diff"
    "), ev AS ("
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, old_value, new_value,"
    "  baseline)"
    " SELECT now(), $1::bigint, d.id, pl.id, 'pay_changed',"
    "  coalesce(d.old_pay_ranges_text, ''), coalesce(d.pay_ranges_text, ''), false"
    " FROM d, pl WHERE d.pay_diff AND d.old_pay_known ORDER BY d.id"
    " RETURNING id, posting_id, kind, old_value, new_value"
    "), rel AS ("
    " UPDATE events e SET alert_pending = false FROM d"
    " WHERE e.posting_id = d.id AND e.alert_pending"
    " RETURNING e.id, e.posting_id, e.kind, e.old_value, e.new_value"
    ")"
    " SELECT " STORE_DETAIL_EVENT_COLS
    " FROM (SELECT * FROM rel UNION ALL SELECT * FROM ev) x JOIN d ON d.id = x.posting_id"
    " ORDER BY x.id";

/* Details not read ($1 source; $2 external ids, $3 errors (NULL: not tried), $4 seconds
 * until the next try, $5 whether the posting's waiting "new" alert goes now without its pay).
 * Returns the events let go. */
static const char STORE_SQL_DETAIL_FAIL[] =
    "WITH f AS ("
    " SELECT * FROM unnest($2::text[], $3::text[], $4::int[], $5::boolean[])"
    "  AS f(xid, err, retry, release)"
    "), d AS ("
    " UPDATE postings p SET detail_error = coalesce(f.err, p.detail_error),"
    "  detail_failures = p.detail_failures + (f.err IS NOT NULL)::int,"
    "  detail_retry_at = now() + make_interval(secs => f.retry)"
    " FROM f WHERE p.source_id = $1::bigint AND p.external_id = f.xid"
    " RETURNING p.id, f.release, p.external_id, p.title, p.department, p.location, p.url,"
    "  p.pay_min, p.pay_max, p.pay_currency, p.pay_period, p.pay_source"
    "), x AS ("
    " UPDATE events e SET alert_pending = false FROM d"
    " WHERE d.release AND e.posting_id = d.id AND e.alert_pending"
    " RETURNING e.id, e.posting_id, e.kind, e.old_value, e.new_value"
    ")"
    " SELECT " STORE_DETAIL_EVENT_COLS " FROM x JOIN d ON d.id = x.posting_id ORDER BY x.id";

/* The "new" events of source $1 that waited alert_wait for a detail: let go as they are. */
static const char STORE_SQL_ALERTS_DUE[] =
    "WITH x AS ("
    " UPDATE events e SET alert_pending = false"
    " WHERE e.source_id = $1::bigint AND e.alert_pending AND e.alert_due <= now()"
    " RETURNING e.id, e.posting_id, e.kind, e.old_value, e.new_value"
    ")"
    " SELECT " STORE_DETAIL_EVENT_COLS " FROM x JOIN postings d ON d.id = x.posting_id"
    " ORDER BY x.id";

enum store_stmt {
	STORE_STMT_SYNC_SOURCE,
	STORE_STMT_SYNC_READ,
	STORE_STMT_MARK_REMOVED,
	STORE_STMT_RECORD_FAILURE,
	STORE_STMT_RECORD_DETECTION,
	STORE_STMT_LOCK_SOURCE,
	STORE_STMT_INSERT_POLL,
	STORE_STMT_COUNT_DROP,
	STORE_STMT_KEEP_DETAIL,
	STORE_STMT_UPDATE_PRESENT,
	STORE_STMT_INSERT_NEW,
	STORE_STMT_GENERIC,
	STORE_STMT_INSERT_FIRST,
	STORE_STMT_MISS_COMPLETE,
	STORE_STMT_MISS_UNCHANGED,
	STORE_STMT_POLL_EVENTS,
	STORE_STMT_FINISH_POLL,
	STORE_STMT_CLAIM,
	STORE_STMT_RENEW,
	STORE_STMT_HEARTBEAT,
	STORE_STMT_RELEASE,
	STORE_STMT_SOURCE_STALE,
	STORE_STMT_RECOVER,
	STORE_STMT_PRUNE_POLLS,
	STORE_STMT_UNCHANGED_BATCH,
	STORE_STMT_STAGE_CLEAR,
	STORE_STMT_DETAIL_PICK,
	STORE_STMT_DETAIL_APPLY,
	STORE_STMT_DETAIL_FAIL,
	STORE_STMT_ALERTS_DUE,
	STORE_STMT_COUNT,
};

static const struct {
	const char *name;
	const char *sql;
} store_stmts[STORE_STMT_COUNT] = {
    [STORE_STMT_SYNC_SOURCE] = {"jw_sync_source", STORE_SQL_SYNC_SOURCE},
    [STORE_STMT_SYNC_READ] = {"jw_sync_read", STORE_SQL_SYNC_READ},
    [STORE_STMT_MARK_REMOVED] = {"jw_mark_removed", STORE_SQL_MARK_REMOVED},
    [STORE_STMT_RECORD_FAILURE] = {"jw_record_failure", STORE_SQL_RECORD_FAILURE},
    [STORE_STMT_RECORD_DETECTION] = {"jw_record_detection", STORE_SQL_RECORD_DETECTION},
    [STORE_STMT_LOCK_SOURCE] = {"jw_lock_source", STORE_SQL_LOCK_SOURCE},
    [STORE_STMT_INSERT_POLL] = {"jw_insert_poll", STORE_SQL_INSERT_POLL},
    [STORE_STMT_COUNT_DROP] = {"jw_count_drop", STORE_SQL_COUNT_DROP},
    [STORE_STMT_KEEP_DETAIL] = {"jw_keep_detail", STORE_SQL_KEEP_DETAIL},
    [STORE_STMT_UPDATE_PRESENT] = {"jw_update_present", STORE_SQL_UPDATE_PRESENT},
    [STORE_STMT_INSERT_NEW] = {"jw_insert_new", STORE_SQL_INSERT_NEW},
    [STORE_STMT_GENERIC] = {"jw_generic", STORE_SQL_GENERIC},
    [STORE_STMT_INSERT_FIRST] = {"jw_insert_first", STORE_SQL_INSERT_FIRST},
    [STORE_STMT_MISS_COMPLETE] = {"jw_miss_complete", STORE_SQL_MISS_COMPLETE},
    [STORE_STMT_MISS_UNCHANGED] = {"jw_miss_unchanged", STORE_SQL_MISS_UNCHANGED},
    [STORE_STMT_POLL_EVENTS] = {"jw_poll_events", STORE_SQL_POLL_EVENTS},
    [STORE_STMT_FINISH_POLL] = {"jw_finish_poll", STORE_SQL_FINISH_POLL},
    [STORE_STMT_CLAIM] = {"jw_claim", STORE_SQL_CLAIM},
    [STORE_STMT_RENEW] = {"jw_renew", STORE_SQL_RENEW},
    [STORE_STMT_HEARTBEAT] = {"jw_heartbeat", STORE_SQL_HEARTBEAT},
    [STORE_STMT_RELEASE] = {"jw_release", STORE_SQL_RELEASE},
    [STORE_STMT_UNCHANGED_BATCH] = {"jw_unchanged_batch", STORE_SQL_UNCHANGED_BATCH},
    [STORE_STMT_SOURCE_STALE] = {"jw_source_stale", STORE_SQL_SOURCE_STALE},
    [STORE_STMT_RECOVER] = {"jw_recover", STORE_SQL_RECOVER},
    [STORE_STMT_PRUNE_POLLS] = {"jw_prune_polls", STORE_SQL_PRUNE_POLLS},
    [STORE_STMT_STAGE_CLEAR] = {"jw_stage_clear", STORE_SQL_STAGE_CLEAR},
    [STORE_STMT_DETAIL_PICK] = {"jw_detail_pick", STORE_SQL_DETAIL_PICK},
    [STORE_STMT_DETAIL_APPLY] = {"jw_detail_apply", STORE_SQL_DETAIL_APPLY},
    [STORE_STMT_DETAIL_FAIL] = {"jw_detail_fail", STORE_SQL_DETAIL_FAIL},
    [STORE_STMT_ALERTS_DUE] = {"jw_alerts_due", STORE_SQL_ALERTS_DUE},
};

struct store_job;

/* An apply that has ended, waiting for store_apply_next_done. */
struct store_done {
	struct store_done *next;
	void *ud;
	int rc;
	struct events ev;
};

static void store_job_pump(struct store *s, bool block);
static void store_job_end(struct store *s, int rc);

struct store {
	char *conninfo;
	char *application_name;
	PGconn *conn;
	/* Each statement is prepared on its first use after a connect or a migration: a fresh
	 * database has no tables to prepare them against until store_migrate has run, and a run
	 * that only sees unchanged boards never needs the diff's statements. */
	bool prepared[STORE_STMT_COUNT];
	struct buf copy;       /* the COPY text of a snapshot, kept between polls */
	bool stage_made;       /* this session has the stage (STORE_SQL_STAGE) */
	size_t stage_dead;     /* snapshot rows deleted or rolled back since the stage's VACUUM */
	size_t stage_stats;    /* rows of the snapshot the stage's statistics come from; 0: none */
	struct store_job *job; /* the apply whose pipeline is in flight, or NULL */
	struct store_done *done_head, *done_tail; /* applies over, for store_apply_next_done */
	char *owner; /* this daemon's instance id when it takes leases, or NULL */
	int lease_ms;
	int live_ms; /* a peer with an older heartbeat has stopped sharing the work */
};

/* ---- errors ---- */

static void store_disconnect(struct store *s)
{
	if (s->job) /* its transaction goes with the connection */
		store_job_end(s, -1);
	if (s->conn != NULL)
		PQfinish(s->conn);
	s->conn = NULL;
	memset(s->prepared, 0, sizeof(s->prepared));
	s->stage_made = false; /* the temp tables went with the session */
	s->stage_dead = 0;
	s->stage_stats = 0;
}

/* The one place the store logs: what failed, SQLSTATE, message, detail and hint. */
static void store_log(const char *what, const char *state, const char *msg, const char *detail,
		      const char *hint)
{
	struct buf line = BUF_INIT;
	const char *name[] = {"message", "detail", "hint"}, *value[] = {msg, detail, hint};

	/* Escaped (logfmt_pair): a message quotes values, and a value may come from a page. The
	 * newline libpq ends its own messages with is no part of them. */
	buf_printf(&line, "store: %s failed:", what);
	logfmt_pair(&line, "sqlstate", state ? state : "none");
	for (size_t i = 0; i < 3; i++) {
		if (value[i] == NULL)
			continue;
		char *v = xstrndup(value[i], strcspn(value[i], "\n"));
		logfmt_pair(&line, name[i], v);
		free(v);
	}
	log_err("%s", line.data);
	buf_free(&line);
}

/* Report a failed database call once, from res when there is one, else from the connection.
 * A lost connection is marked down here, so the next store_connect makes a new one. */
static void store_report(struct store *s, const char *what, const PGresult *res)
{
	const char *state = NULL, *msg = NULL, *detail = NULL, *hint = NULL;

	if (res != NULL) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
		if (msg == NULL && *PQresultErrorMessage(res))
			msg = PQresultErrorMessage(res);
	}
	if (msg == NULL)
		msg = s->conn ? PQerrorMessage(s->conn) : "not connected";
	store_log(what, state, msg, detail, hint);
	if (s->conn != NULL && PQstatus(s->conn) != CONNECTION_OK)
		store_disconnect(s);
}

/* ---- text from pages ---- */

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0 when it is not one:
 * overlong forms, surrogates and code points past U+10FFFF are invalid, as PostgreSQL says. */
static size_t store_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* Append s as valid UTF-8 of at most max bytes (invalid bytes become U+FFFD; a cut falls
 * between characters). With copy, escape it for COPY's text format, and write NULL (for NULL
 * or "") as \N. A C string cannot carry NUL, the one byte text columns refuse. */
static void store_put_text(struct buf *b, const char *s, size_t max, bool copy)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)s;
	size_t left, used = 0;

	if (str_empty(s)) {
		if (copy)
			buf_puts(b, "\\N");
		return;
	}
	left = strlen(s);
	while (left > 0) {
		/* a run of ASCII that needs no escape, at once: most of what is written */
		size_t run = 0;
		while (run < left && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '\\' &&
		       used + run < max)
			run++;
		if (run > 0) {
			buf_append(b, p, run);
			used += run;
			p += run;
			left -= run;
			continue;
		}
		size_t n = store_utf8_len(p, left);
		size_t out = n ? n : sizeof(replacement) - 1;

		if (used + out > max)
			break;
		used += out;
		if (n == 0) {
			buf_append(b, replacement, sizeof(replacement) - 1);
			n = 1;
		} else if (copy && (*p == '\\' || *p == '\t' || *p == '\n' || *p == '\r')) {
			buf_putc(b, '\\');
			buf_putc(b, *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : 'r');
		} else {
			buf_append(b, p, n);
		}
		p += n;
		left -= n;
	}
}

/* A parameter made safe to send: valid UTF-8, bounded; NULL stays NULL. Caller frees. */
static char *store_clean(const char *s, size_t max)
{
	struct buf b = BUF_INIT;

	if (s == NULL)
		return NULL;
	buf_reserve(&b, 1);
	store_put_text(&b, s, max, false);
	return buf_steal(&b);
}

static void store_put_amount(struct buf *b, double v)
{
	/* 15 significant digits round-trip every amount a person writes, and keep binary noise
	 * ("0.1" as 0.1000000000000000055) out of the numeric columns. */
	char digits[STR_U64_LEN];
	size_t n = str_from_whole(digits, v); /* what %.15g writes for it, without printf */

	if (n)
		buf_append(b, digits, n);
	else if (isfinite(v))
		buf_printf(b, "%.15g", v);
	else
		buf_puts(b, "\\N");
}

/* ISO 4217 or nothing: the column refuses anything else, and one bad posting must not make
 * the whole poll fail. */
static const char *store_currency(const struct pay *p)
{
	const char *c = p->currency;

	for (int i = 0; i < 3; i++)
		if (c[i] < 'A' || c[i] > 'Z')
			return NULL;
	return c[3] == '\0' ? c : NULL;
}

/* One posting as a COPY text row, numbered seq; id is its external_id as COPY text already. */
static void store_put_posting(struct buf *b, const char *source, const struct posting *p,
			      size_t seq, const char *id)
{
	if (source) {
		buf_puts(b, source);
		buf_putc(b, '\t');
	}
	buf_put_u64(b, seq);
	buf_putc(b, '\t');
	buf_puts(b, id);
	buf_putc(b, '\t');
	store_put_text(b, p->title, STORE_MAX_TEXT, true);
	buf_putc(b, '\t');
	store_put_text(b, p->department, STORE_MAX_TEXT, true);
	buf_putc(b, '\t');
	store_put_text(b, p->location, STORE_MAX_TEXT, true);
	buf_putc(b, '\t');
	store_put_text(b, p->url, STORE_MAX_URL, true);
	buf_putc(b, '\t');
	store_put_amount(b, p->pay.min);
	buf_putc(b, '\t');
	store_put_amount(b, p->pay.max);
	buf_putc(b, '\t');
	store_put_text(b, store_currency(&p->pay), 3, true);
	buf_putc(b, '\t');
	store_put_text(b, pay_period_name(p->pay.period), STORE_MAX_SHORT, true);
	buf_puts(b, pay_is_set(&p->pay) && p->pay.period_inferred ? "\tt\t" : "\tf\t");
	store_put_text(b, p->pay_text, STORE_MAX_PAY_TEXT, true);
	buf_putc(b, '\t');
	store_put_text(b, pay_is_set(&p->pay) ? p->pay.source : NULL, STORE_MAX_SHORT, true);
	buf_putc(b, '\t');
	char *ranges = posting_pay_ranges_text(p);
	store_put_text(b, ranges, STORE_MAX_PAY_TEXT, true);
	free(ranges);
	buf_putc(b, '\t');
	store_put_text(b, p->digest, STORE_MAX_SHORT, true);
	buf_putc(b, '\t');
	store_put_text(b, p->detail_ref, STORE_MAX_URL, true);
	buf_putc(b, '\t');
	store_put_text(b, p->detail_key, STORE_MAX_SHORT, true);
	buf_putc(b, '\n');
}

/* A posting's stated ranges as COPY rows; pay without posting_add_range is one range. At most
 * STORE_MAX_RANGES: a page stating hundreds is not telling us pay. */
static void store_put_ranges(struct buf *b, const char *source, const struct posting *p, size_t seq,
			     const char *id)
{
	const struct pay_range single = {NULL, p->pay};
	const struct pay_range *r = p->nranges ? p->ranges : &single;
	size_t n = p->nranges ? p->nranges : pay_is_set(&p->pay) ? 1 : 0;

	for (size_t i = 0; i < n && i < STORE_MAX_RANGES; i++) {
		if (source) {
			buf_puts(b, source);
			buf_putc(b, '\t');
		}
		buf_put_u64(b, seq);
		buf_putc(b, '\t');
		buf_puts(b, id);
		buf_putc(b, '\t');
		buf_put_u64(b, i + 1);
		buf_putc(b, '\t');
		store_put_text(b, r[i].label, STORE_MAX_SHORT, true);
		buf_putc(b, '\t');
		store_put_amount(b, r[i].pay.min);
		buf_putc(b, '\t');
		store_put_amount(b, r[i].pay.max);
		buf_putc(b, '\t');
		store_put_text(b, store_currency(&r[i].pay), 3, true);
		buf_putc(b, '\t');
		store_put_text(b, pay_period_name(r[i].pay.period), STORE_MAX_SHORT, true);
		buf_puts(b, r[i].pay.period_inferred ? "\tt\t" : "\tf\t");
		store_put_text(b, r[i].pay.source[0] ? r[i].pay.source : NULL, STORE_MAX_SHORT,
			       true);
		buf_putc(b, '\n');
	}
}

/* ---- connection ---- */

static void store_notice_ignore(void *arg, const char *message)
{
	/* NOTICEs ("relation already exists, skipping") are chatter, not errors. */
	(void)arg;
	(void)message;
}

struct store *store_new(const char *conninfo, const char *application_name)
{
	struct store *s = xcalloc(1, sizeof(*s));

	s->conninfo = xstrdup(conninfo ? conninfo : "");
	s->application_name = xstrdup(application_name ? application_name : "jobwatchd");
	return s;
}

void store_free(struct store *s)
{
	if (s == NULL)
		return;
	if (s->job)
		store_job_pump(s, true);
	while (s->done_head) {
		struct store_done *d = s->done_head;
		s->done_head = d->next;
		events_clear(&d->ev);
		free(d);
	}
	store_disconnect(s);
	buf_free(&s->copy);
	free(s->conninfo);
	free(s->application_name);
	free(s->owner);
	free(s);
}

char *store_psql_command(const struct store *s)
{
	struct buf b = BUF_INIT;

	if (!store_connected(s))
		return NULL;
	/* what the session reached, never a password */
	buf_printf(&b, "psql -h %s -p %s -U %s %s", PQhost(s->conn), PQport(s->conn),
		   PQuser(s->conn), PQdb(s->conn));
	return buf_steal(&b);
}

bool store_connected(const struct store *s)
{
	return s->conn != NULL && PQstatus(s->conn) == CONNECTION_OK;
}

/* Run one fixed statement with no parameters, expecting want. 0 or -1 (reported). */
static int store_simple(struct store *s, const char *sql, ExecStatusType want, const char *what)
{
	PGresult *res = PQexec(s->conn, sql);
	int rc = 0;

	if (PQresultStatus(res) != want) {
		store_report(s, what, res);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

int store_connect(struct store *s)
{
	/* conninfo may be a "key=value" string or a URI; ours come after it and win. */
	const char *const keys[] = {"dbname", "application_name", "client_encoding", NULL};
	const char *const vals[] = {s->conninfo, s->application_name, "UTF8", NULL};

	if (store_connected(s))
		return 0;
	store_disconnect(s);
	s->conn = PQconnectdbParams(keys, vals, 1);
	if (s->conn == NULL)
		fatal("store: out of memory connecting");
	if (PQstatus(s->conn) != CONNECTION_OK) {
		store_report(s, "connect", NULL);
		store_disconnect(s);
		return -1;
	}
	PQsetNoticeProcessor(s->conn, store_notice_ignore, NULL);
	if (store_simple(s, STORE_SQL_SESSION, PGRES_COMMAND_OK, "session set-up") < 0) {
		store_disconnect(s);
		return -1;
	}
	return 0;
}

/* The connection is up; statements are prepared by store_run on their first use. */
static int store_prepare(struct store *s)
{
	if (s->job) /* the connection is ours again once its pipeline is read */
		store_job_pump(s, true);
	if (!store_connected(s)) {
		store_report(s, "use of the database", NULL);
		return -1;
	}
	return 0;
}

/* Run prepared statement st with text parameters (NULL is SQL NULL), expecting want; NULL
 * after reporting. */
static int store_ensure_prepared(struct store *s, enum store_stmt st)
{
	PGresult *res;

	if (s->prepared[st])
		return 0;
	res = PQprepare(s->conn, store_stmts[st].name, store_stmts[st].sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		char what[80];
		snprintf(what, sizeof(what), "prepare %s", store_stmts[st].name);
		store_report(s, what, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	s->prepared[st] = true;
	return 0;
}

static PGresult *store_run(struct store *s, enum store_stmt st, int n, const char *const *vals,
			   ExecStatusType want)
{
	PGresult *res;

	if (store_ensure_prepared(s, st) < 0)
		return NULL;
	res = PQexecPrepared(s->conn, store_stmts[st].name, n, vals, NULL, NULL, 0);

	if (PQresultStatus(res) != want) {
		store_report(s, store_stmts[st].name, res);
		PQclear(res);
		return NULL;
	}
	return res;
}

/* Undo a failed transaction; a dead connection is marked down instead. */
static void store_rollback(struct store *s)
{
	if (s->conn == NULL)
		return;
	if (PQtransactionStatus(s->conn) != PQTRANS_IDLE && store_connected(s))
		PQclear(PQexec(s->conn, STORE_SQL_ROLLBACK));
	s->stage_stats = 0; /* an ANALYZE in the transaction went with it */
	if (PQstatus(s->conn) != CONNECTION_OK)
		store_disconnect(s);
}

/* A copy of a value of res, NULL for SQL NULL: results die with PQclear. */
static char *store_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

/* ---- migrations ---- */

/* sql/NNN_name.sql: digits, an underscore, ".sql". The number is the version. */
static int store_migration_version(const char *name)
{
	size_t digits = strspn(name, "0123456789");
	size_t len = strlen(name);

	if (digits == 0 || digits > 6 || name[digits] != '_' || len < 5 ||
	    strcmp(name + len - 4, ".sql") != 0)
		return -1;
	return atoi(name);
}

static int store_migration_filter(const struct dirent *d)
{
	return store_migration_version(d->d_name) >= 0;
}

static char *store_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_reserve(&b, 1);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	return buf_steal(&b);
}

/* Apply one migration file in its own transaction and record it. */
static int store_migrate_one(struct store *s, const char *dir, const char *name, int version)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *sql = store_read_file(path);
	char vbuf[16];
	const char *vals[] = {vbuf};
	PGresult *res;
	int rc = -1;

	if (sql == NULL) {
		char *what = xasprintf("reading migration %s", path);
		store_log(what, NULL, strerror(errno), NULL, NULL);
		free(what);
		free(path);
		return -1;
	}
	snprintf(vbuf, sizeof(vbuf), "%d", version);
	if (store_simple(s, STORE_SQL_BEGIN, PGRES_COMMAND_OK, "migration begin") < 0)
		goto out;
	res = PQexec(s->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		char *what = xasprintf("migration %s", name);
		store_report(s, what, res);
		free(what);
		PQclear(res);
		goto out;
	}
	PQclear(res);
	res = PQexecParams(s->conn, STORE_SQL_MIGRATION_RECORD, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		store_report(s, "migration record", res);
		PQclear(res);
		goto out;
	}
	PQclear(res);
	rc = store_simple(s, STORE_SQL_COMMIT, PGRES_COMMAND_OK, "migration commit");
out:
	if (rc < 0)
		store_rollback(s);
	free(sql);
	free(path);
	return rc;
}

/* The versions already applied, as a sorted-or-not array the caller frees. */
static int store_migrations_done(struct store *s, int **done, int *ndone)
{
	PGresult *res = PQexec(s->conn, STORE_SQL_MIGRATIONS_DONE);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		store_report(s, "reading schema_migrations", res);
		PQclear(res);
		return -1;
	}
	*ndone = PQntuples(res);
	*done = xcalloc((size_t)*ndone + 1, sizeof(**done));
	for (int i = 0; i < *ndone; i++)
		(*done)[i] = atoi(PQgetvalue(res, i, 0));
	PQclear(res);
	return 0;
}

static bool store_version_in(const int *done, int ndone, int v)
{
	for (int i = 0; i < ndone; i++)
		if (done[i] == v)
			return true;
	return false;
}

/* Under the advisory lock: the files of dir not yet in schema_migrations, in order. */
static int store_migrate_locked(struct store *s, const char *sql_dir, int *applied)
{
	struct dirent **names = NULL;
	int *done = NULL, ndone = 0, prev = -1, rc = 0;
	int n = scandir(sql_dir, &names, store_migration_filter, alphasort);

	if (n < 0) {
		char *what = xasprintf("reading migrations in %s", sql_dir);
		store_log(what, NULL, strerror(errno), NULL, NULL);
		free(what);
		return -1;
	}
	if (store_simple(s, STORE_SQL_MIGRATIONS_TABLE, PGRES_COMMAND_OK, "schema_migrations") <
		0 ||
	    store_migrations_done(s, &done, &ndone) < 0)
		rc = -1;
	for (int i = 0; i < n && rc == 0; i++) {
		int v = store_migration_version(names[i]->d_name);

		if (v == prev) {
			store_log(names[i]->d_name, NULL, "another migration has its version", NULL,
				  NULL);
			rc = -1;
		} else if (!store_version_in(done, ndone, v)) {
			rc = store_migrate_one(s, sql_dir, names[i]->d_name, v);
			if (rc == 0)
				(*applied)++;
		}
		prev = v;
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(done);
	return rc;
}

int store_migrate(struct store *s, const char *sql_dir)
{
	int applied = 0, rc;

	if (!store_connected(s)) {
		store_report(s, "migrate", NULL);
		return -1;
	}
	/* Several daemons may start at once: one migrates, the others wait and find nothing
	 * left to do. The lock is the session's, so it also holds across the per-file
	 * transactions. */
	if (store_simple(s, STORE_SQL_MIGRATE_LOCK, PGRES_TUPLES_OK, "migration lock") < 0)
		return -1;
	rc = store_migrate_locked(s, sql_dir, &applied);
	if (store_connected(s) &&
	    store_simple(s, STORE_SQL_MIGRATE_UNLOCK, PGRES_TUPLES_OK, "migration unlock") < 0)
		rc = -1;
	if (applied > 0 && store_connected(s)) {
		/* the statements are prepared again against the new schema on their next use */
		PQclear(PQexec(s->conn, STORE_SQL_DEALLOCATE));
		memset(s->prepared, 0, sizeof(s->prepared));
	}
	return rc;
}

/* ---- sources and failed polls ---- */

static void store_put_array_text(struct buf *b, const char *v);

int store_sync_sources(struct store *s, const char *const *names, const char *const *types,
		       const char *const *urls, size_t n, struct store_source_state *states)
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

int store_mark_removed(struct store *s, const char *const *names, size_t n)
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

int store_sync_source(struct store *s, const char *name, const char *type, const char *url,
		      struct store_source_state *state)
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

int store_record_detection(struct store *s, int64_t source_id, const char *type, const char *url)
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

int store_record_failure(struct store *s, const struct store_poll *poll, int fail_after,
			 int *failures, struct source_event *ev)
{
	char id[24], started[24], finished[24], status[16], pages[16], dropped[24], fa[16], due[24];
	char *stop = store_clean(poll->stop, STORE_MAX_SHORT);
	char *error = store_clean(poll->error ? poll->error : "failed", STORE_MAX_ERROR);
	const char *v[] = {id,	    started, finished, status, stop,	pages,
			   dropped, error,   fa,       due,    s->owner};
	PGresult *res;
	int rc = -1;

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
		rc = PQntuples(res) == 0 && s->owner ? STORE_LEASE_LOST : 0;
		if (PQntuples(res) == 1) {
			if (failures)
				*failures = atoi(PQgetvalue(res, 0, 0));
			if (ev && PQgetvalue(res, 0, 1)[0] == 't') {
				memset(ev, 0, sizeof(*ev));
				ev->kind = EVENT_SOURCE_FAILING;
				ev->failures = atoi(PQgetvalue(res, 0, 0));
				ev->reason = store_value(res, 0, 2);
				ev->since = store_value(res, 0, 3);
				rc = 1;
			}
		}
		PQclear(res);
	}
	free(stop);
	free(error);
	return rc;
}

int store_source_stale(struct store *s, int64_t source_id, int stale_s, struct source_event *ev)
{
	char id[24], secs[16];
	const char *v[] = {id, secs};
	PGresult *res;
	int rc;

	snprintf(id, sizeof(id), "%lld", (long long)source_id);
	snprintf(secs, sizeof(secs), "%d", stale_s);
	if (store_prepare(s) < 0 ||
	    (res = store_run(s, STORE_STMT_SOURCE_STALE, 2, v, PGRES_TUPLES_OK)) == NULL)
		return -1;
	rc = PQntuples(res) == 1;
	if (rc) {
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

/* ---- the snapshot ---- */

/* Send b as the data of one COPY statement. */
static int store_copy_buf(struct store *s, const char *sql, struct buf *b)
{
	PGresult *res = PQexec(s->conn, sql);
	const char *copy_err = NULL;
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		store_report(s, "copy", res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	for (size_t off = 0; off < b->len; off += STORE_COPY_CHUNK) {
		size_t n = b->len - off < STORE_COPY_CHUNK ? b->len - off : STORE_COPY_CHUNK;
		if (PQputCopyData(s->conn, b->data + off, (int)n) != 1) {
			copy_err = "sending the snapshot failed";
			break;
		}
	}
	/* a big buffer is not kept for ever because one board was huge once */
	if (b->cap > 4 * 1024 * 1024)
		buf_free(b);
	if (PQputCopyEnd(s->conn, copy_err) != 1)
		copy_err = "ending the copy failed";
	while ((res = PQgetResult(s->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0) {
			store_report(s, "copy", res);
			rc = -1;
		}
		PQclear(res);
	}
	if (copy_err != NULL && rc == 0) {
		store_report(s, "copy", NULL);
		rc = -1;
	}
	return rc;
}

struct store_id {
	const char *id;
	size_t i;
};

static int store_id_cmp(const void *a, const void *b)
{
	const struct store_id *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Which postings of the snapshot to send, each id[i] the posting's external_id as COPY text
 * (cleaned, cut, escaped: as it is stored), or NULL for one not sent: a posting without an id,
 * and of a posting listed twice (pinned and in its team, say) every copy after the first, with
 * its ranges. Done here rather than by deleting from the stage: two statements and their round
 * trips on every poll. Returns how many are sent. */
static size_t store_pick(const struct posting_list *postings, char **id)
{
	size_t n = postings ? postings->len : 0, m = 0, sent = 0;
	struct store_id *ids = n ? xcalloc(n, sizeof(*ids)) : NULL;
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (str_empty(postings->items[i].external_id))
			continue;
		buf_reset(&b);
		store_put_text(&b, postings->items[i].external_id, STORE_MAX_URL, true);
		id[i] = buf_steal(&b);
		ids[m].id = id[i];
		ids[m++].i = i;
	}
	if (m > 1)
		qsort(ids, m, sizeof(*ids), store_id_cmp);
	for (size_t k = 0, first = 0; k < m; k++) {
		if (k > 0 && strcmp(ids[k].id, ids[first].id) == 0) { /* a later copy */
			free(id[ids[k].i]);
			id[ids[k].i] = NULL;
		} else {
			first = k;
			sent++;
		}
	}
	free(ids);
	buf_free(&b);
	return sent;
}

/* Send the snapshot and its pay ranges into the staging tables; the number of postings sent
 * in *sent. */
static int store_copy(struct store *s, const struct posting_list *postings, size_t *sent)
{
	size_t n = postings ? postings->len : 0;
	char **id = xcalloc(n ? n : 1, sizeof(*id));
	int rc = 0;

	*sent = store_pick(postings, id);
	buf_reset(&s->copy);
	for (size_t i = 0; i < n; i++)
		if (id[i])
			store_put_posting(&s->copy, NULL, &postings->items[i], i, id[i]);
	if (store_copy_buf(s, STORE_SQL_COPY, &s->copy) < 0)
		rc = -1;
	buf_reset(&s->copy);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (id[i])
			store_put_ranges(&s->copy, NULL, &postings->items[i], i, id[i]);
	if (rc == 0 && s->copy.len > 0)
		rc = store_copy_buf(s, STORE_SQL_COPY_RANGES, &s->copy);
	for (size_t i = 0; i < n; i++)
		free(id[i]);
	free(id);
	return rc;
}

/* What one apply learned along the way, for the polls row and the caller. */
struct store_apply {
	char source[24], poll[24], close_after[16], alert_wait[16];
	char finished[24], npost[24], due[24]; /* FINISH_POLL's, see store_finish_values */
	char *etag, *last_modified, *body_sha256;
	const char *unchanged, *partial; /* "t" or "f" */
	const char *baseline;		 /* "t" or "f" */
	bool source_suspect;		 /* sources.suspect before this poll */
	/* The source had no posting before this poll (its first, mostly): nothing can be
	 * present, missing or dropped, and the statements that look for them are not sent. The
	 * source's row lock keeps it so until the commit. */
	bool empty;
	bool held;    /* this poll is a big drop seen the first time: nothing closes */
	bool drop;    /* this poll is a big drop */
	bool details; /* some row of the snapshot lacks the description (KEEP_DETAIL) */
	size_t postings;
};

/* A complete or partial poll whose diff is in flight, or the first polls of several sources
 * (store_apply_first). The snapshots went into the stage by COPY, and the statements after
 * that went at once, with the commit, in one pipeline (libpq pipeline mode): the loop reads
 * the next boards while the database applies these. */
struct store_job {
	size_t n; /* its polls: one, or several first polls (store_apply_first) */
	void **ud;
	struct store_apply *a;
	struct events *ev;
	enum store_stmt *sent; /* the statements in the pipeline, in order; the commit after */
	size_t *of;	       /* the poll each statement is for */
	size_t nsent, ngot;    /* ngot: results read, the commit's included */
	bool failed;	       /* one failed: the rest were skipped and it is rolled back */
};

/* A job for n polls and at most nstmt statements before the commit. */
static struct store_job *store_job_new(size_t n, size_t nstmt)
{
	struct store_job *j = xcalloc(1, sizeof(*j));

	j->n = n;
	j->ud = xcalloc(n, sizeof(*j->ud));
	j->a = xcalloc(n, sizeof(*j->a));
	j->ev = xcalloc(n, sizeof(*j->ev));
	j->sent = xcalloc(nstmt, sizeof(*j->sent));
	j->of = xcalloc(nstmt, sizeof(*j->of));
	return j;
}

static void store_apply_free(struct store_apply *a);

/* Free j; its events are the caller's (they have been handed on or cleared). */
static void store_job_free(struct store_job *j)
{
	for (size_t i = 0; i < j->n; i++)
		store_apply_free(&j->a[i]);
	free(j->ud);
	free(j->a);
	free(j->ev);
	free(j->sent);
	free(j->of);
	free(j);
}

/* The stage's statistics, made again when they come from a snapshot of another size
 * (STORE_SQL_ANALYZE_STAGE). */
static int store_stage_analyze(struct store *s, size_t rows)
{
	if (s->stage_stats > 0 && rows <= 2 * s->stage_stats && 2 * rows >= s->stage_stats)
		return 0;
	if (store_simple(s, STORE_SQL_ANALYZE_STAGE, PGRES_COMMAND_OK, "analyze") < 0)
		return -1;
	s->stage_stats = rows > 0 ? rows : 1;
	return 0;
}

/* Stage the snapshot and judge its drop: what the diff's statements need before they run. */
static int store_stage(struct store *s, const struct posting_list *postings,
		       const struct store_opts *opts, struct store_apply *a)
{
	const char *v[] = {a->source};
	PGresult *res;
	size_t sent = 0;
	long long open, absent;

	s->stage_dead += postings ? postings->len : 0;
	if (store_copy(s, postings, &sent) < 0)
		return -1;
	a->postings = sent;
	for (size_t i = 0; postings && i < postings->len && !a->details; i++)
		a->details = postings->items[i].detail_ref != NULL;
	/* A source's first poll has no postings to join against: every row is new, and the
	 * statistics would cost more than they save. */
	if (a->baseline[0] != 't' && !a->empty && store_stage_analyze(s, sent) < 0)
		return -1;
	/* Part of the board says nothing of what it lacks; a source with no postings lacks
	 * nothing. */
	if (a->partial[0] == 't' || a->empty)
		return 0;
	if ((res = store_run(s, STORE_STMT_COUNT_DROP, 1, v, PGRES_TUPLES_OK)) == NULL)
		return -1;
	open = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	absent = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	PQclear(res);
	a->drop = open > 0 && (double)absent > opts->max_drop * (double)open;
	a->held = a->drop && !a->source_suspect;
	return 0;
}

static void store_event_read(struct event *e, const PGresult *res, int row)
{
	char *period;

	memset(e, 0, sizeof(*e));
	e->kind = (enum event_kind)event_kind_parse(PQgetvalue(res, row, 0));
	e->old_value = store_value(res, row, 1);
	e->new_value = store_value(res, row, 2);
	e->external_id = store_value(res, row, 3);
	e->title = store_value(res, row, 4);
	e->department = store_value(res, row, 5);
	e->location = store_value(res, row, 6);
	e->url = store_value(res, row, 7);
	pay_clear(&e->pay);
	if (!PQgetisnull(res, row, 8))
		e->pay.min = strtod(PQgetvalue(res, row, 8), NULL);
	if (!PQgetisnull(res, row, 9))
		e->pay.max = strtod(PQgetvalue(res, row, 9), NULL);
	snprintf(e->pay.currency, sizeof(e->pay.currency), "%s", PQgetvalue(res, row, 10));
	period = PQgetvalue(res, row, 11);
	e->pay.period = pay_period_parse(period);
	snprintf(e->pay.source, sizeof(e->pay.source), "%s", PQgetvalue(res, row, 12));
}

/* The poll's events (STORE_SQL_POLL_EVENTS) into ev. */
static void store_events_from(struct events *ev, const PGresult *res)
{
	int n = PQntuples(res);

	ev->items = n ? xcalloc((size_t)n, sizeof(*ev->items)) : NULL;
	for (int i = 0; i < n; i++)
		store_event_read(&ev->items[i], res, i);
	ev->len = (size_t)n;
}

/* The counts FINISH_POLL wrote in the polls row. */
static void store_counts_from(struct events *ev, const PGresult *res)
{
	if (PQntuples(res) != 1 || PQnfields(res) != 4)
		return;
	ev->new_postings = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
	ev->closed = strtoull(PQgetvalue(res, 0, 1), NULL, 10);
	ev->reopened = strtoull(PQgetvalue(res, 0, 2), NULL, 10);
	ev->changed = strtoull(PQgetvalue(res, 0, 3), NULL, 10);
}

/* A reported failing or stale state that STORE_SQL_RECOVER ended, as ev->recovery. */
static void store_recovery_from(struct events *ev, const PGresult *res)
{
	if (PQntuples(res) == 1 && PQgetvalue(res, 0, 1)[0] == 't') {
		ev->recovered = true;
		ev->recovery.kind = EVENT_SOURCE_RECOVERED;
		ev->recovery.failures = atoi(PQgetvalue(res, 0, 0));
		ev->recovery.reason = store_value(res, 0, 2);
		ev->recovery.since = store_value(res, 0, 3);
	}
}

/* The parameters of st for the poll a is applying (v holds STORE_MAX_PARAMS). */
static int store_values(const struct store *s, struct store_apply *a, enum store_stmt st,
			const char **v)
{
	switch (st) {
	case STORE_STMT_STAGE_CLEAR:
	case STORE_STMT_GENERIC:
		return 0;
	case STORE_STMT_POLL_EVENTS:
		v[0] = a->poll;
		return 1;
	case STORE_STMT_RECOVER:
		v[0] = a->source;
		v[1] = a->poll;
		return 2;
	case STORE_STMT_FINISH_POLL: {
		snprintf(a->npost, sizeof(a->npost), "%zu", a->postings);
		const char *f[] = {a->poll,
				   a->source,
				   a->finished,
				   a->npost,
				   a->held ? "t" : "f",
				   a->drop ? "t" : "f",
				   a->etag,
				   a->last_modified,
				   a->body_sha256,
				   a->unchanged,
				   a->due,
				   s->owner,
				   a->partial};
		memcpy(v, f, sizeof(f));
		return (int)UTIL_ARRAY_LEN(f);
	}
	case STORE_STMT_KEEP_DETAIL:
		v[0] = a->source;
		return 1;
	case STORE_STMT_INSERT_NEW:
		v[0] = a->source;
		v[1] = a->poll;
		v[2] = a->baseline;
		v[3] = a->alert_wait;
		return 4;
	case STORE_STMT_UPDATE_PRESENT:
		v[0] = a->source;
		v[1] = a->poll;
		v[2] = a->baseline;
		v[3] = a->partial;
		return 4;
	default: /* the diff's: $1 source, $2 poll, $3 baseline, $4 close_after, $5 may close */
		v[0] = a->source;
		v[1] = a->poll;
		v[2] = a->baseline;
		v[3] = a->close_after;
		v[4] = a->held ? "f" : "t";
		return st == STORE_STMT_MISS_COMPLETE ? 5 : st == STORE_STMT_MISS_UNCHANGED ? 4 : 3;
	}
}

/* The same snapshot again: cheap, and it may confirm a held drop (an unchanged board that
 * shrank is still shrunk), so closing always proceeds. */
static int store_apply_unchanged(struct store *s, struct store_apply *a)
{
	const char *v[STORE_MAX_PARAMS];
	int n = store_values(s, a, STORE_STMT_MISS_UNCHANGED, v);
	PGresult *res = store_run(s, STORE_STMT_MISS_UNCHANGED, n, v, PGRES_TUPLES_OK);

	if (res == NULL)
		return -1;
	a->postings = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	a->drop = a->source_suspect;
	return 0;
}

/* Close the polls row with what happened, update the source, and take the row's counts. */
static int store_finish(struct store *s, struct store_apply *a, struct events *ev)
{
	const char *v[STORE_MAX_PARAMS];
	int n = store_values(s, a, STORE_STMT_FINISH_POLL, v);
	PGresult *res = store_run(s, STORE_STMT_FINISH_POLL, n, v, PGRES_TUPLES_OK);

	if (res == NULL)
		return -1;
	store_counts_from(ev, res);
	PQclear(res);
	return 0;
}

/* End the source's run of failures; a reported failing or stale state becomes a
 * source_recovered event in ev->recovery. */
static int store_recover(struct store *s, struct store_apply *a, struct events *ev)
{
	const char *v[STORE_MAX_PARAMS];
	int n = store_values(s, a, STORE_STMT_RECOVER, v);
	PGresult *res = store_run(s, STORE_STMT_RECOVER, n, v, PGRES_TUPLES_OK);

	if (res == NULL)
		return -1;
	store_recovery_from(ev, res);
	PQclear(res);
	return 0;
}

/* The values of the polls row of poll, and the parts of a that come from the poll. */
struct store_start_values {
	char started[24], status[16], pages[16], dropped[24];
	char *stop, *error;
	const char *v[8]; /* INSERT_POLL's */
};

static void store_start_fill(const struct store_poll *poll, const struct store_opts *opts,
			     struct store_apply *a, struct store_start_values *sv)
{
	const char *outcome = poll->outcome == STORE_OUTCOME_COMPLETE  ? "complete"
			      : poll->outcome == STORE_OUTCOME_PARTIAL ? "partial"
								       : "unchanged";

	snprintf(a->source, sizeof(a->source), "%lld", (long long)poll->source_id);
	snprintf(a->close_after, sizeof(a->close_after), "%d",
		 opts->close_after > 0 ? opts->close_after : 1);
	snprintf(a->alert_wait, sizeof(a->alert_wait), "%d",
		 opts->alert_wait > 0 ? opts->alert_wait : 0);
	snprintf(a->finished, sizeof(a->finished), "%lld", (long long)poll->finished_ms);
	snprintf(a->due, sizeof(a->due), "%lld", (long long)poll->next_due_ms);
	a->etag = store_clean(poll->etag, STORE_MAX_SHORT * 4);
	a->last_modified = store_clean(poll->last_modified, STORE_MAX_SHORT);
	a->body_sha256 = store_clean(poll->body_sha256, STORE_MAX_SHORT);
	a->unchanged = poll->outcome == STORE_OUTCOME_UNCHANGED ? "t" : "f";
	a->partial = poll->outcome == STORE_OUTCOME_PARTIAL ? "t" : "f";
	snprintf(sv->started, sizeof(sv->started), "%lld", (long long)poll->started_ms);
	snprintf(sv->status, sizeof(sv->status), "%d", poll->http_status);
	snprintf(sv->pages, sizeof(sv->pages), "%d", poll->pages);
	snprintf(sv->dropped, sizeof(sv->dropped), "%zu", poll->dropped);
	sv->stop = store_clean(poll->stop, STORE_MAX_SHORT);
	sv->error = store_clean(poll->error, STORE_MAX_ERROR);
	const char *v[] = {a->source, sv->started, sv->status,	outcome,
			   sv->stop,  sv->pages,   sv->dropped, sv->error};
	memcpy(sv->v, v, sizeof(v));
}

static void store_start_values_free(struct store_start_values *sv)
{
	free(sv->stop);
	free(sv->error);
}
/* The results of a pipeline of n statements and its sync point, read in order into got (the
 * caller clears them). -1, with the connection dropped (and what reported), when they do not
 * come as sent. */
static int store_pipeline_read(struct store *s, PGresult **got, size_t n, const char *what)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		got[i] = NULL;
	for (size_t i = 0; i < n && rc == 0; i++) {
		PGresult *end;
		if ((got[i] = PQgetResult(s->conn)) == NULL)
			rc = -1;
		else if ((end = PQgetResult(s->conn)) != NULL) { /* one result a statement */
			PQclear(end);
			rc = -1;
		}
	}
	PGresult *sync = rc == 0 ? PQgetResult(s->conn) : NULL;
	if (rc < 0 || PQresultStatus(sync) != PGRES_PIPELINE_SYNC ||
	    PQexitPipelineMode(s->conn) != 1) {
		store_report(s, what, sync);
		PQclear(sync);
		for (size_t i = 0; i < n; i++) {
			PQclear(got[i]);
			got[i] = NULL;
		}
		store_disconnect(s); /* results we cannot account for: start afresh */
		return -1;
	}
	PQclear(sync);
	return 0;
}

/* BEGIN, then each of the n polls' source lock and polls row (sv[i].v), sent at once and read
 * in order into got[0 .. 2n]: one round trip where PQexec would take 1 + 2n. A polls
 * row goes in whatever its lock finds; the caller judges the answers and rolls back. -1, with
 * the connection dropped, when they could not be sent or read. */
static int store_start_send(struct store *s, size_t n, const struct store_apply *a,
			    const struct store_start_values *sv, PGresult **got)
{
	for (size_t i = 0; i < 1 + 2 * n; i++)
		got[i] = NULL;
	if (store_ensure_prepared(s, STORE_STMT_LOCK_SOURCE) < 0 ||
	    store_ensure_prepared(s, STORE_STMT_INSERT_POLL) < 0)
		return -1;
	if (PQenterPipelineMode(s->conn) != 1 ||
	    PQsendQueryParams(s->conn, STORE_SQL_BEGIN, 0, NULL, NULL, NULL, NULL, 0) != 1)
		goto broken;
	for (size_t i = 0; i < n; i++) {
		const char *lock[] = {a[i].source, s->owner};
		if (PQsendQueryPrepared(s->conn, store_stmts[STORE_STMT_LOCK_SOURCE].name, 2, lock,
					NULL, NULL, 0) != 1 ||
		    PQsendQueryPrepared(s->conn, store_stmts[STORE_STMT_INSERT_POLL].name, 8,
					sv[i].v, NULL, NULL, 0) != 1)
			goto broken;
	}
	if (PQpipelineSync(s->conn) != 1)
		goto broken;
	return store_pipeline_read(s, got, 1 + 2 * n, "begin");
broken:
	store_report(s, "begin", NULL);
	store_disconnect(s);
	return -1;
}

/* Begin, lock the source, read its suspect and baseline state and insert the polls row. */
static int store_start(struct store *s, const struct store_poll *poll,
		       const struct store_opts *opts, struct store_apply *a)
{
	struct store_start_values sv;
	PGresult *got[3];
	int rc = -1;

	store_start_fill(poll, opts, a, &sv);
	if (store_start_send(s, 1, a, &sv, got) < 0)
		goto out;
	/* with no source to lock, the polls row fails too: the lock's answer says why */
	if (PQresultStatus(got[0]) != PGRES_COMMAND_OK) {
		store_report(s, "begin", got[0]);
	} else if (PQresultStatus(got[1]) != PGRES_TUPLES_OK) {
		store_report(s, "lock_source", got[1]);
	} else if (PQntuples(got[1]) != 1) {
		store_log("apply", NULL, "no such source", NULL, "store_sync_source gives the id");
	} else if (PQresultStatus(got[2]) != PGRES_TUPLES_OK) {
		store_report(s, "insert_poll", got[2]);
	} else if (PQgetvalue(got[1], 0, 2)[0] != 't') {
		/* another daemon took the source over (our lease ran out): its poll counts */
		rc = STORE_LEASE_LOST;
	} else {
		a->source_suspect = PQgetvalue(got[1], 0, 0)[0] == 't';
		a->baseline = PQgetvalue(got[1], 0, 1)[0] == 't' ? "t" : "f";
		a->empty = PQgetvalue(got[1], 0, 3)[0] == 't';
		snprintf(a->poll, sizeof(a->poll), "%s", PQgetvalue(got[2], 0, 0));
		rc = 0;
	}
	for (int i = 0; i < 3; i++)
		PQclear(got[i]);
out:
	store_start_values_free(&sv);
	return rc;
}

static void store_apply_free(struct store_apply *a)
{
	free(a->etag);
	free(a->last_modified);
	free(a->body_sha256);
}

/* The statements of a complete or partial poll after its snapshot is staged, in order; the
 * commit follows them. RECOVER before FINISH_POLL, which moves last_complete_at. A source
 * with no postings yet has none to update or miss: in a cold start of 1000 boards, those two
 * statements were planned and run 1000 times for nothing; it takes the plans made once
 * (STORE_SQL_GENERIC) instead. The stage is emptied last. */
static size_t store_tail(const struct store_apply *a, enum store_stmt *st)
{
	bool partial = a->partial[0] == 't';
	size_t n = 0;

	if (!a->empty && a->details)
		st[n++] = STORE_STMT_KEEP_DETAIL;
	if (!a->empty)
		st[n++] = STORE_STMT_UPDATE_PRESENT;
	else
		st[n++] = STORE_STMT_GENERIC;
	st[n++] = STORE_STMT_INSERT_NEW;
	if (!partial && !a->empty)
		st[n++] = STORE_STMT_MISS_COMPLETE;
	if (a->baseline[0] != 't')
		st[n++] = STORE_STMT_POLL_EVENTS;
	if (!partial)
		st[n++] = STORE_STMT_RECOVER;
	st[n++] = STORE_STMT_FINISH_POLL;
	st[n++] = STORE_STMT_STAGE_CLEAR;
	return n;
}

/* The job has its last result (or none will come): leave pipeline mode, roll back a failure,
 * and queue the answer. */
static void store_job_end(struct store *s, int rc)
{
	struct store_job *j = s->job;

	s->job = NULL;
	if (rc == 0 && j->failed)
		rc = -1;
	if (s->conn && PQpipelineStatus(s->conn) != PQ_PIPELINE_OFF &&
	    PQexitPipelineMode(s->conn) != 1)
		store_disconnect(s); /* results we cannot account for: start afresh */
	if (rc < 0)
		store_rollback(s);
	for (size_t i = 0; i < j->n; i++) {
		struct store_done *d = xcalloc(1, sizeof(*d));
		if (rc < 0) {
			events_clear(&j->ev[i]);
		} else {
			j->ev[i].baseline = j->a[i].baseline[0] == 't';
			j->ev[i].suspect = j->a[i].held;
			j->ev[i].postings = j->a[i].postings;
		}
		d->ud = j->ud[i];
		d->rc = rc;
		d->ev = j->ev[i];
		if (s->done_tail)
			s->done_tail->next = d;
		else
			s->done_head = d;
		s->done_tail = d;
	}
	store_job_free(j);
}

/* One result of the job's pipeline, in the order the statements were sent. */
static void store_job_result(struct store *s, struct store_job *j, PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);
	bool commit = j->ngot == j->nsent;
	enum store_stmt which = commit ? STORE_STMT_COUNT : j->sent[j->ngot];
	struct events *ev = &j->ev[commit ? 0 : j->of[j->ngot]];

	j->ngot++;
	if (st == PGRES_PIPELINE_ABORTED) /* an earlier one failed */
		return;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		store_report(s, commit ? "commit" : store_stmts[which].name, res);
		j->failed = true;
		return;
	}
	if (which == STORE_STMT_POLL_EVENTS)
		store_events_from(ev, res);
	else if (which == STORE_STMT_FINISH_POLL)
		store_counts_from(ev, res);
	else if (which == STORE_STMT_RECOVER)
		store_recovery_from(ev, res);
}

/* Read the job's results, waiting for them when block, else only what has arrived. */
static void store_job_pump(struct store *s, bool block)
{
	bool gap = false; /* PQgetResult said NULL: one statement's results are over */

	if (!block && !PQconsumeInput(s->conn)) {
		store_report(s, "apply", NULL);
		store_job_end(s, -1);
		return;
	}
	while (s->job) {
		if (!block && PQisBusy(s->conn))
			return;
		PGresult *res = PQgetResult(s->conn);
		if (res == NULL) {
			/* a lost connection, or twice nothing: no sync point is coming */
			if (PQstatus(s->conn) != CONNECTION_OK || gap) {
				store_report(s, "apply", NULL);
				store_job_end(s, -1);
				return;
			}
			gap = true;
			continue;
		}
		gap = false;
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			store_job_end(s, 0);
			return;
		}
		store_job_result(s, s->job, res);
		PQclear(res);
	}
}

/* Send the job's statements (j->sent, each with the values of its poll) and the commit in
 * one pipeline. first: the ids of the sources and polls, INSERT_FIRST's values. */
static int store_job_send(struct store *s, struct store_job *j, const char *const *first)
{
	const char *v[STORE_MAX_PARAMS];

	for (size_t i = 0; i < j->nsent; i++) /* no PQprepare in pipeline mode */
		if (store_ensure_prepared(s, j->sent[i]) < 0)
			return -1;
	if (PQenterPipelineMode(s->conn) != 1) {
		store_report(s, "pipeline", NULL);
		return -1;
	}
	for (size_t i = 0; i < j->nsent; i++) {
		const char *const *params = v;
		int n;
		if (j->sent[i] == STORE_STMT_INSERT_FIRST) {
			params = first;
			n = 2;
		} else {
			n = store_values(s, &j->a[j->of[i]], j->sent[i], v);
		}
		if (PQsendQueryPrepared(s->conn, store_stmts[j->sent[i]].name, n, params, NULL,
					NULL, 0) != 1)
			goto failed;
	}
	if (PQsendQueryParams(s->conn, STORE_SQL_COMMIT, 0, NULL, NULL, NULL, NULL, 0) != 1 ||
	    PQpipelineSync(s->conn) != 1)
		goto failed;
	return 0;
failed:
	/* the connection broke under us: the transaction dies with it */
	store_report(s, "pipeline", NULL);
	store_disconnect(s);
	return -1;
}

/* The stage made, outside any poll's transaction (whose rollback would take the tables with
 * it), and vacuumed once enough dead rows call for it. */
static int store_stage_ready(struct store *s)
{
	if (!s->stage_made) {
		if (store_simple(s, STORE_SQL_STAGE, PGRES_COMMAND_OK, "stage") < 0)
			return -1;
		s->stage_made = true;
	}
	if (s->stage_dead >= STORE_STAGE_VACUUM_ROWS &&
	    store_simple(s, STORE_SQL_STAGE_VACUUM, PGRES_COMMAND_OK, "vacuum stage") == 0)
		s->stage_dead = 0;
	return 0;
}

int store_apply_begin(struct store *s, const struct store_poll *poll,
		      const struct posting_list *postings, const struct store_opts *opts, void *ud)
{
	struct store_job *j;
	int rc;

	if (store_prepare(s) < 0) /* and any apply in flight is over */
		return -1;
	if (store_stage_ready(s) < 0)
		return -1;
	j = store_job_new(1, 10);
	j->ud[0] = ud;
	rc = store_start(s, poll, opts, &j->a[0]);
	if (rc == 0)
		rc = store_stage(s, postings, opts, &j->a[0]);
	if (rc == 0) {
		j->nsent = store_tail(&j->a[0], j->sent);
		rc = store_job_send(s, j, NULL);
	}
	if (rc < 0) {
		store_rollback(s);
		store_job_free(j);
		return rc == STORE_LEASE_LOST ? rc : -1;
	}
	s->job = j;
	return 0;
}

/* The first polls' snapshots, each row with its source's id first, into the stage; a[i].postings
 * the postings of polls[i] sent. The seq numbers run on from one poll to the next, so that
 * ordering by seq keeps each board's order and the boards'. */
static int store_copy_first(struct store *s, const struct posting_list *const *postings, size_t n,
			    struct store_apply *a)
{
	struct buf ranges = BUF_INIT;
	size_t seq = 0;
	int rc = 0;

	buf_reset(&s->copy);
	for (size_t i = 0; i < n; i++) {
		size_t len = postings[i] ? postings[i]->len : 0;
		char **id = xcalloc(len ? len : 1, sizeof(*id));

		a[i].postings = store_pick(postings[i], id);
		for (size_t k = 0; k < len; k++, seq++) {
			if (id[k] == NULL)
				continue;
			store_put_posting(&s->copy, a[i].source, &postings[i]->items[k], seq,
					  id[k]);
			store_put_ranges(&ranges, a[i].source, &postings[i]->items[k], seq, id[k]);
			free(id[k]);
		}
		free(id);
		s->stage_dead += len;
	}
	if (store_copy_buf(s, STORE_SQL_COPY_FIRST, &s->copy) < 0)
		rc = -1;
	if (rc == 0 && ranges.len > 0)
		rc = store_copy_buf(s, STORE_SQL_COPY_FIRST_RANGES, &ranges);
	buf_free(&ranges);
	return rc;
}

int store_apply_first(struct store *s, const struct store_poll *polls,
		      const struct posting_list *const *postings, size_t n,
		      const struct store_opts *opts, void *const *ud)
{
	struct store_job *j;
	struct store_start_values *sv;
	struct buf ids[2] = {BUF_INIT, BUF_INIT};
	PGresult **got;
	size_t ngot = 1 + 2 * n;
	int rc = -1;

	if (n == 0)
		return 0;
	if (store_prepare(s) < 0) /* and any apply in flight is over */
		return -1;
	if (store_stage_ready(s) < 0)
		return -1;
	j = store_job_new(n, 2 + 2 * n);
	sv = xcalloc(n, sizeof(*sv));
	got = xcalloc(ngot, sizeof(*got));
	for (size_t i = 0; i < n; i++) {
		j->ud[i] = ud[i];
		store_start_fill(&polls[i], opts, &j->a[i], &sv[i]);
	}

	if (store_start_send(s, n, j->a, sv, got) < 0)
		goto out;
	/* each source as the caller saw it: ours, never polled to the end, without postings;
	 * else the polls go one by one, each on its own path */
	bool all = PQresultStatus(got[0]) == PGRES_COMMAND_OK;
	for (size_t i = 0; i < n && all; i++) {
		const PGresult *lock = got[1 + 2 * i], *poll = got[2 + 2 * i];
		all = PQresultStatus(lock) == PGRES_TUPLES_OK && PQntuples(lock) == 1 &&
		      PQgetvalue(lock, 0, 2)[0] == 't' && PQgetvalue(lock, 0, 1)[0] == 't' &&
		      PQgetvalue(lock, 0, 3)[0] == 't' && PQresultStatus(poll) == PGRES_TUPLES_OK &&
		      PQntuples(poll) == 1;
		if (all) {
			snprintf(j->a[i].poll, sizeof(j->a[i].poll), "%s", PQgetvalue(poll, 0, 0));
			j->a[i].baseline = "t";
			j->a[i].empty = true;
		}
	}
	if (!all || store_copy_first(s, postings, n, j->a) < 0) {
		store_rollback(s);
		goto out;
	}

	/* the postings, each poll's end, the stage emptied and the commit, read as they come
	 * (store_job_pump) while the loop goes on */
	buf_putc(&ids[0], '{');
	buf_putc(&ids[1], '{');
	for (size_t i = 0; i < n; i++) {
		buf_puts(&ids[0], i ? "," : "");
		buf_puts(&ids[0], j->a[i].source);
		buf_puts(&ids[1], i ? "," : "");
		buf_puts(&ids[1], j->a[i].poll);
	}
	buf_putc(&ids[0], '}');
	buf_putc(&ids[1], '}');
	const char *first[] = {ids[0].data, ids[1].data};
	j->sent[j->nsent++] = STORE_STMT_INSERT_FIRST;
	for (size_t i = 0; i < n; i++) {
		j->of[j->nsent] = i;
		j->sent[j->nsent++] = STORE_STMT_RECOVER;
		j->of[j->nsent] = i;
		j->sent[j->nsent++] = STORE_STMT_FINISH_POLL;
	}
	j->sent[j->nsent++] = STORE_STMT_STAGE_CLEAR;
	if (store_job_send(s, j, first) < 0) {
		store_rollback(s);
		goto out;
	}
	s->job = j;
	j = NULL;
	rc = 0;
out:
	for (size_t i = 0; i < ngot; i++)
		PQclear(got[i]);
	free(got);
	for (size_t i = 0; i < n; i++)
		store_start_values_free(&sv[i]);
	free(sv);
	if (j)
		store_job_free(j);
	buf_free(&ids[0]);
	buf_free(&ids[1]);
	return rc;
}

int store_apply_fd(const struct store *s)
{
	return s->job ? PQsocket(s->conn) : -1;
}

void store_apply_progress(struct store *s)
{
	if (s->job)
		store_job_pump(s, false);
}

void store_apply_wait(struct store *s)
{
	if (s->job)
		store_job_pump(s, true);
}

bool store_apply_next_done(struct store *s, void **ud, int *rc, struct events *ev)
{
	struct store_done *d = s->done_head;

	if (d == NULL)
		return false;
	s->done_head = d->next;
	if (s->done_head == NULL)
		s->done_tail = NULL;
	*ud = d->ud;
	*rc = d->rc;
	events_clear(ev);
	*ev = d->ev;
	free(d);
	return true;
}

/* The answer for ud, which store_job_end queued; the others stay. */
static int store_take_done(struct store *s, void *ud, struct events *ev)
{
	for (struct store_done **pp = &s->done_head, *prev = NULL; *pp;
	     prev = *pp, pp = &(*pp)->next) {
		struct store_done *d = *pp;
		if (d->ud != ud)
			continue;
		*pp = d->next;
		if (s->done_tail == d)
			s->done_tail = prev;
		int rc = d->rc;
		*ev = d->ev;
		free(d);
		return rc;
	}
	return -1;
}

/* The same board again: its snapshot is the last one, so the diff is one statement. */
static int store_apply_again(struct store *s, const struct store_poll *poll,
			     const struct store_opts *opts, struct events *ev)
{
	struct store_apply a = {0};
	int rc;

	rc = store_start(s, poll, opts, &a);
	if (rc == 0)
		rc = store_apply_unchanged(s, &a);
	if (rc == 0) {
		const char *v[STORE_MAX_PARAMS];
		int n = store_values(s, &a, STORE_STMT_POLL_EVENTS, v);
		PGresult *res = store_run(s, STORE_STMT_POLL_EVENTS, n, v, PGRES_TUPLES_OK);
		if (res == NULL)
			rc = -1;
		else
			store_events_from(ev, res);
		PQclear(res);
	}
	if (rc == 0)
		rc = store_recover(s, &a, ev);
	if (rc == 0)
		rc = store_finish(s, &a, ev);
	if (rc == 0)
		rc = store_simple(s, STORE_SQL_COMMIT, PGRES_COMMAND_OK, "commit");
	store_apply_free(&a);
	if (rc < 0) {
		store_rollback(s);
		events_clear(ev);
		return rc == STORE_LEASE_LOST ? rc : -1;
	}
	ev->baseline = a.baseline[0] == 't';
	ev->suspect = a.held;
	ev->postings = a.postings;
	return 0;
}

int store_apply_snapshot(struct store *s, const struct store_poll *poll,
			 const struct posting_list *postings, const struct store_opts *opts,
			 struct events *ev)
{
	int rc;

	events_clear(ev);
	if (poll->outcome == STORE_OUTCOME_FAILED)
		return store_record_failure(s, poll, 0, NULL, NULL);
	if (store_prepare(s) < 0)
		return -1;
	if (poll->outcome == STORE_OUTCOME_UNCHANGED)
		return store_apply_again(s, poll, opts, ev);
	rc = store_apply_begin(s, poll, postings, opts, ev);
	if (rc < 0)
		return rc;
	store_job_pump(s, true);
	return store_take_done(s, ev, ev);
}

/* ---- detail reads ---- */

int store_detail_pick(struct store *s, int64_t source_id, int max, int refresh_s, int hold_s,
		      struct store_detail_todo **out, size_t *n)
{
	char src[24], lim[16], ref[16], hold[16];
	const char *v[] = {src, lim, ref, hold};
	PGresult *res;

	*out = NULL;
	*n = 0;
	if (max <= 0)
		return 0;
	if (store_prepare(s) < 0)
		return -1;
	snprintf(src, sizeof(src), "%lld", (long long)source_id);
	snprintf(lim, sizeof(lim), "%d", max);
	snprintf(ref, sizeof(ref), "%d", refresh_s);
	snprintf(hold, sizeof(hold), "%d", hold_s);
	if ((res = store_run(s, STORE_STMT_DETAIL_PICK, 4, v, PGRES_TUPLES_OK)) == NULL)
		return -1;
	int rows = PQntuples(res);
	if (rows > 0) {
		*out = xcalloc((size_t)rows, sizeof(**out));
		for (int i = 0; i < rows; i++) {
			(*out)[i].external_id = store_value(res, i, 0);
			(*out)[i].detail_ref = store_value(res, i, 1);
		}
	}
	*n = (size_t)rows;
	PQclear(res);
	return 0;
}

void store_detail_todo_free(struct store_detail_todo *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].external_id);
		free(t[i].detail_ref);
	}
	free(t);
}

/* The events a detail statement returned, added to ev. */
static void store_events_append(struct events *ev, const PGresult *res)
{
	int n = PQntuples(res);

	if (n == 0)
		return;
	ev->items = xreallocarray(ev->items, ev->len + (size_t)n, sizeof(*ev->items));
	for (int i = 0; i < n; i++)
		store_event_read(&ev->items[ev->len++], res, i);
}

/* The failures as DETAIL_FAIL's array parameters, written into v[1..4]. */
static void store_fail_arrays(const struct store_detail_fail *f, size_t n, struct buf *b,
			      const char **v)
{
	for (int k = 0; k < 4; k++) {
		buf_reset(&b[k]);
		buf_putc(&b[k], '{');
	}
	for (size_t i = 0; i < n; i++) {
		const char *sep = i ? "," : "";
		char *id = store_clean(f[i].external_id, STORE_MAX_URL);
		char *err = store_clean(f[i].error, STORE_MAX_ERROR);
		buf_puts(&b[0], sep);
		store_put_array_text(&b[0], id);
		buf_puts(&b[1], sep);
		store_put_array_text(&b[1], err);
		buf_printf(&b[2], "%s%d", sep, f[i].retry_s > 0 ? f[i].retry_s : 0);
		buf_printf(&b[3], "%s%s", sep, f[i].release ? "t" : "f");
		free(id);
		free(err);
	}
	for (int k = 0; k < 4; k++) {
		buf_putc(&b[k], '}');
		v[k + 1] = b[k].data;
	}
}

int store_detail_apply(struct store *s, int64_t source_id, const struct posting_list *read,
		       const struct store_detail_fail *fails, size_t nfails, struct events *ev)
{
	char src[24];
	const char *v[5] = {src};
	struct buf arr[4] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	PGresult *res;
	size_t sent = 0;
	int rc = -1;

	events_clear(ev);
	if (store_prepare(s) < 0 || store_stage_ready(s) < 0)
		return -1;
	snprintf(src, sizeof(src), "%lld", (long long)source_id);
	if (store_simple(s, STORE_SQL_BEGIN, PGRES_COMMAND_OK, "begin") < 0)
		return -1;
	if (read && read->len > 0) {
		s->stage_dead += read->len;
		if (store_copy(s, read, &sent) < 0)
			goto out;
		if ((res = store_run(s, STORE_STMT_DETAIL_APPLY, 1, v, PGRES_TUPLES_OK)) == NULL)
			goto out;
		store_events_append(ev, res);
		PQclear(res);
		if ((res = store_run(s, STORE_STMT_STAGE_CLEAR, 0, NULL, PGRES_COMMAND_OK)) == NULL)
			goto out;
		PQclear(res);
	}
	if (nfails > 0) {
		store_fail_arrays(fails, nfails, arr, v);
		if ((res = store_run(s, STORE_STMT_DETAIL_FAIL, 5, v, PGRES_TUPLES_OK)) == NULL)
			goto out;
		store_events_append(ev, res);
		PQclear(res);
	}
	rc = store_simple(s, STORE_SQL_COMMIT, PGRES_COMMAND_OK, "commit");
out:
	for (int k = 0; k < 4; k++)
		buf_free(&arr[k]);
	if (rc < 0) {
		store_rollback(s);
		events_clear(ev);
	}
	return rc;
}

int store_alerts_due(struct store *s, int64_t source_id, struct events *ev)
{
	char src[24];
	const char *v[] = {src};
	PGresult *res;

	events_clear(ev);
	if (store_prepare(s) < 0)
		return -1;
	snprintf(src, sizeof(src), "%lld", (long long)source_id);
	if ((res = store_run(s, STORE_STMT_ALERTS_DUE, 1, v, PGRES_TUPLES_OK)) == NULL)
		return -1;
	store_events_append(ev, res);
	PQclear(res);
	return 0;
}

/* ---- leases ---- */

void store_set_owner(struct store *s, const char *owner, int lease_ms, int live_ms)
{
	free(s->owner);
	s->owner = xstrdup(owner);
	s->lease_ms = lease_ms;
	s->live_ms = live_ms;
}

int store_claim_many(struct store *s, const int64_t *ids, size_t n, bool force, bool *claimed,
		     int64_t *wait_ms)
{
	struct buf arr = BUF_INIT;
	char lease[16], live[16], grace[16];
	PGresult *res;

	for (size_t i = 0; i < n; i++) {
		claimed[i] = s->owner == NULL;
		wait_ms[i] = 0;
	}
	if (s->owner == NULL || n == 0)
		return 0;
	if (store_prepare(s) < 0)
		return -1;
	buf_putc(&arr, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&arr, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&arr, '}');
	snprintf(lease, sizeof(lease), "%d", s->lease_ms);
	snprintf(live, sizeof(live), "%d", s->live_ms);
	snprintf(grace, sizeof(grace), "%d", STORE_CLAIM_GRACE_MS);
	const char *v[] = {arr.data, s->owner, lease, force ? "t" : "f", live, grace};
	res = store_run(s, STORE_STMT_CLAIM, 6, v, PGRES_TUPLES_OK);
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

int store_claim(struct store *s, int64_t source_id, bool force, int64_t *wait_ms)
{
	bool claimed;

	if (store_claim_many(s, &source_id, 1, force, &claimed, wait_ms) < 0)
		return -1;
	return claimed ? 1 : 0;
}

int store_renew(struct store *s, const int64_t *ids, size_t n)
{
	struct buf arr = BUF_INIT;
	char lease[16];
	PGresult *res;

	if (s->owner == NULL || n == 0)
		return 0;
	if (store_prepare(s) < 0)
		return -1;
	buf_putc(&arr, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&arr, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&arr, '}');
	snprintf(lease, sizeof(lease), "%d", s->lease_ms);
	const char *v[] = {s->owner, lease, arr.data};
	res = store_run(s, STORE_STMT_RENEW, 3, v, PGRES_COMMAND_OK);
	buf_free(&arr);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int store_heartbeat(struct store *s, const char *host, long pid, const char *version,
		    const char *status)
{
	char spid[24];
	char *st = store_clean(status, STORE_MAX_SHORT);
	const char *v[] = {s->owner, host, spid, version, st};
	PGresult *res = NULL;

	if (s->owner == NULL)
		return 0;
	snprintf(spid, sizeof(spid), "%ld", pid);
	if (store_prepare(s) == 0)
		res = store_run(s, STORE_STMT_HEARTBEAT, 5, v, PGRES_COMMAND_OK);
	free(st);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int store_release(struct store *s)
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

int store_print_status(struct store *s, FILE *f)
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

/* ---- unchanged polls, many at once ---- */

/* One element of a PostgreSQL array literal: NULL, or a double-quoted string. */
static void store_put_array_text(struct buf *b, const char *v)
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

int store_apply_unchanged_batch(struct store *s, struct store_unchanged *u, size_t n)
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
