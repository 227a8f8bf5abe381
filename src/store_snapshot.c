/* store_snapshot.c - one poll's snapshot applied in one transaction: the postings go into a
 * temp table by COPY, and a handful of set-wise statements, sent in one libpq pipeline with
 * the commit, turn them into postings, versions, pay ranges and events; the first polls of
 * many sources go together; the events come back for the alert rules. */
#include "store_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "log.h"
#include "logfmt.h"
#include "util.h"

/* The fields of a posting's stage row, in the order store_put_posting writes them: what its
 * row_fingerprint is the fingerprint of. */
#define STORE_ROW_FIELDS                                                                           \
	"external_id, title, department, location, url, pay_min, pay_max, pay_currency,"           \
	" pay_period, pay_period_inferred, pay_text, pay_source, pay_ranges_text, digest,"         \
	" detail_ref, detail_key"

/* Sent to PQputCopyData in pieces of this size, so libpq never holds two copies of a big board. */
#define STORE_COPY_CHUNK (256 * 1024)

/* The stage, made by the first snapshot a session applies: a daemon whose boards have not
 * changed since it started never makes it (the tables, their indexes and the catalog rows
 * they leave are a noticeable part of an unchanged cycle's database time). */
static const char STORE_SQL_STAGE[] =
    /* The snapshot of one poll, emptied at the end of its transaction (the last statements
     * of the pipeline, or the rollback) and when a session starts. Not ON
     * COMMIT DELETE ROWS: the truncation that does rebuilds the indexes, which invalidates
     * every prepared statement that reads the stage, so each poll planned them all again. */
    "CREATE TEMP TABLE IF NOT EXISTS jobwatch_stage ("
    " seq int NOT NULL, external_id text NOT NULL, title text, department text,"
    " location text, url text, pay_min numeric, pay_max numeric, pay_currency text,"
    " pay_period text, pay_period_inferred boolean, pay_text text, pay_source text,"
    " pay_ranges_text text, digest text,"
    /* the source of each row when several first polls go together (store_apply_first) */
    " source_id bigint,"
    /* a row whose description comes from its detail (postings.detail_ref) */
    " detail_ref text, detail_key text);"
    /* Every diff statement looks ids up here. */
    "CREATE INDEX IF NOT EXISTS jobwatch_stage_id ON jobwatch_stage (external_id);"
    /* made apart: a session a pooler hands on may hold the table without it */
    "ALTER TABLE jobwatch_stage ADD COLUMN IF NOT EXISTS row_fingerprint bigint,"
    " ADD COLUMN IF NOT EXISTS input_fingerprint bigint;"
    /* Every range the snapshot's postings state; seq is the posting's jobwatch_stage.seq. */
    "CREATE TEMP TABLE IF NOT EXISTS jobwatch_stage_ranges ("
    " seq int NOT NULL, external_id text NOT NULL, ord int NOT NULL, label text,"
    " pay_min numeric, pay_max numeric, pay_currency text, pay_period text,"
    " pay_period_inferred boolean, pay_source text, source_id bigint);"
    "CREATE INDEX IF NOT EXISTS jobwatch_stage_ranges_id"
    " ON jobwatch_stage_ranges (external_id);"
    /* a session a pooler hands on may hold another client's */
    "DELETE FROM jobwatch_stage; DELETE FROM jobwatch_stage_ranges;"
    "DROP TABLE IF EXISTS jobwatch_first, jobwatch_first_ranges;";

/* The stage of the first polls of several sources (store_apply_first), whose one statement
 * reads every row once: no index to keep, and emptied by the commit that ends their
 * transaction, a truncation that costs nothing per row, where a DELETE leaves dead rows for a
 * VACUUM. With no index, the truncation invalidates no plan. A row takes its posting's id as
 * it is copied, in the order of the copy, so that the statement writes each table straight
 * from these rows.
 *
 * Made for first polls, and dropped after STORE_FIRST_STAGE_KEEP other transactions that
 * write the stage (store_stage_ready): PostgreSQL truncates an ON COMMIT DELETE ROWS table at
 * the commit of every transaction that touches any temp table, so while they exist each
 * changed poll, which writes jobwatch_stage, pays for truncating these two and their TOAST
 * indexes, about 0.7 ms: a sixth of the backend's CPU in a cycle of changed boards (perf).
 * Making and dropping them costs about as much as 16 such commits, so a daemon whose first
 * polls and changed polls alternate pays at most twice what the best choice would have. */
static const char STORE_SQL_STAGE_FIRST[] =
    "CREATE TEMP TABLE IF NOT EXISTS jobwatch_first ("
    " source_id bigint NOT NULL, seq int NOT NULL, external_id text NOT NULL, title text,"
    " department text, location text, url text, pay_min numeric, pay_max numeric,"
    " pay_currency text, pay_period text, pay_period_inferred boolean, pay_text text,"
    " pay_source text, pay_ranges_text text, digest text, detail_ref text, detail_key text)"
    " ON COMMIT DELETE ROWS;"
    /* made apart: a session a pooler hands on may hold the table without it */
    "ALTER TABLE jobwatch_first ADD COLUMN IF NOT EXISTS"
    " id bigint NOT NULL DEFAULT nextval('postings_id_seq'),"
    " ADD COLUMN IF NOT EXISTS row_fingerprint bigint,"
    " ADD COLUMN IF NOT EXISTS input_fingerprint bigint;"
    "CREATE TEMP TABLE IF NOT EXISTS jobwatch_first_ranges ("
    " source_id bigint NOT NULL, seq int NOT NULL, external_id text NOT NULL, ord int NOT NULL,"
    " label text, pay_min numeric, pay_max numeric, pay_currency text, pay_period text,"
    " pay_period_inferred boolean, pay_source text)"
    " ON COMMIT DELETE ROWS;";
static const char STORE_SQL_STAGE_FIRST_DROP[] =
    "DROP TABLE IF EXISTS jobwatch_first, jobwatch_first_ranges";
#define STORE_FIRST_STAGE_KEEP 16

/* A snapshot's rows go before its commit, in the same pipeline, rather than at the start of
 * the next poll (a round trip of its own), both tables in one statement (each statement of a
 * poll costs the database about 20-40 us whatever it does); the dead rows they leave are
 * vacuumed away every STORE_STAGE_VACUUM_ROWS (temp tables get no autovacuum). */
const char STORE_SQL_STAGE_CLEAR[] =
    "WITH r AS (DELETE FROM jobwatch_stage_ranges) DELETE FROM jobwatch_stage";
static const char STORE_SQL_STAGE_VACUUM[] = "VACUUM jobwatch_stage, jobwatch_stage_ranges";
#define STORE_STAGE_VACUUM_ROWS 2000
#define STORE_STAGE_STATS_MIN	64

/* A row's fields come first, in the order of STORE_ROW_FIELDS, then what is not the posting's:
 * its place in the snapshot, the fields' fingerprint and its list item's. */
static const char STORE_SQL_COPY[] = "COPY jobwatch_stage (" STORE_ROW_FIELDS
				     ", seq, row_fingerprint, input_fingerprint) FROM STDIN";
static const char STORE_SQL_COPY_RANGES[] =
    "COPY jobwatch_stage_ranges (seq, external_id, ord, label, pay_min, pay_max, pay_currency,"
    " pay_period, pay_period_inferred, pay_source) FROM STDIN";

/* A complete (or unchanged) poll ends the run of failures; when it ends a reported failing
 * or stale state, a source_recovered event. The row is locked by this transaction; a source
 * with nothing to end (the common case) is not written: no row version for nothing. $1
 * source, $2 poll. */
const char STORE_SQL_RECOVER[] =
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

/* The source's row lock serializes two daemons that poll the same source at once. */
const char STORE_SQL_LOCK_SOURCE[] =
    "SELECT suspect, last_complete_at IS NULL,"
    " $2::text IS NULL OR lease_owner IS NOT DISTINCT FROM $2::text,"
    " NOT EXISTS (SELECT 1 FROM postings p WHERE p.source_id = $1::bigint)"
    " FROM sources WHERE id = $1::bigint FOR UPDATE";

const char STORE_SQL_INSERT_POLL[] =
    "INSERT INTO polls (source_id, started_at, http_status, outcome, stop, pages, dropped,"
    " error)"
    " VALUES ($1::bigint, " STORE_TS(2) ", nullif($3::int, 0), $4, $5, $6::int, $7::int, $8)"
					" RETURNING id";

/* A temp table has no statistics unless we make them; without them the planner guesses a
 * few rows and picks nested loops that are quadratic in the board's size. They are made
 * again only when a snapshot's size leaves [n / 2, 2n] of the one they were made from
 * (store_stage_analyze): the planner reads the stage's current size from its pages whatever
 * the statistics say, and what they add (every id distinct) holds for any snapshot. Each
 * ANALYZE also makes every statement that reads the stage plan itself again, which costs
 * more than the ANALYZE. */
static const char STORE_SQL_ANALYZE_STAGE[] = "ANALYZE jobwatch_stage";

/* Every open posting of the source, with the row fingerprint of those its complete polls have
 * shown since they were written (misses = 0: one with misses is written when it shows again):
 * a row of this poll with the same fingerprint is not sent (store_put_posting). With it, the
 * fingerprint of the list item each was read from: an item of this poll with the same is not
 * even parsed (store_settle_keep). The postings the snapshot does not show are what it lacks:
 * counted here for the suspect rule and named by id to STORE_SQL_MISS_COMPLETE, which is not
 * sent when there are none (most polls), so neither costs a statement of its own. Read in the
 * poll's transaction after the source's lock, so no other poll of the source writes in
 * between. $1 source. */
const char STORE_SQL_FINGERPRINTS[] =
    "SELECT external_id, row_fingerprint, id, input_fingerprint, misses = 0 FROM postings"
    " WHERE source_id = $1::bigint AND closed_at IS NULL";

/* A list row that lacks the description says nothing of the posting's pay, digest, or of the
 * department and location it lacks: the stage takes what the posting's detail said, so that
 * the diff below sees no change where the list is silent. $1 source. */
const char STORE_SQL_KEEP_DETAIL[] =
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
 * for unchanged polls). A board where one posting of 2,000 changed rewrote
 * all 2,000 rows, and their WAL, on every poll. A partial poll ($4) does not move
 * last_complete_at, so it still writes last_seen on every row it read. A row that the daemon
 * knows is unchanged by its fingerprint is not in the stage at all (store_put_posting); a row
 * whose fingerprints alone differ (one stored before them, or an item that moved only where
 * the row does not look, an updated_at) is written, with no version and no event.
 * $1 source, $2 poll, $3 baseline, $4 partial. */
/* UPDATE_PRESENT's parts, which its form for several polls (UPDATE_PRESENT_MANY) shares: the
 * row as the stage has it, */
#define STORE_PRESENT_SET                                                                          \
	" UPDATE postings p SET title = s.title, department = s.department,"                       \
	"  location = s.location, url = s.url, pay_min = s.pay_min, pay_max = s.pay_max,"          \
	"  pay_currency = s.pay_currency, pay_period = s.pay_period, pay_text = s.pay_text,"       \
	"  pay_source = s.pay_source, pay_min_yearly = pay_yearly(s.pay_min, s.pay_period),"       \
	"  pay_max_yearly = pay_yearly(s.pay_max, s.pay_period), digest = s.digest,"               \
	"  pay_period_inferred = s.pay_period_inferred, pay_ranges_text = s.pay_ranges_text,"      \
	"  last_seen = now(), misses = 0, closed_at = NULL," /* a row that lacks the description:  \
								its detail is read again when the  \
								row changed */                     \
	"  pay_known = p.pay_known AND s.detail_ref IS NOT NULL OR s.detail_ref IS NULL,"          \
	"  detail_ref = s.detail_ref, detail_key = s.detail_key,"                                  \
	"  row_fingerprint = s.row_fingerprint, input_fingerprint = s.input_fingerprint,"          \
	"  detail_wanted = s.detail_ref IS NOT NULL AND (p.detail_wanted"                          \
	"   OR p.closed_at IS NOT NULL OR p.detail_key IS DISTINCT FROM s.detail_key"              \
	"   OR p.title IS DISTINCT FROM s.title OR p.location IS DISTINCT FROM s.location)"        \
	" FROM jobwatch_stage s, postings o"
/* which rows it writes (after "OR"), */
#define STORE_PRESENT_DIFFERS                                                                      \
	" p.misses <> 0 OR p.closed_at IS NOT NULL"                                                \
	"   OR (p.title, p.department, p.location, p.url, p.pay_min, p.pay_max, p.pay_currency,"   \
	"    p.pay_period, p.pay_text, p.pay_source, p.digest, p.pay_period_inferred,"             \
	"    p.pay_ranges_text, p.pay_min_yearly, p.pay_max_yearly, p.detail_ref, p.detail_key,"   \
	"    p.row_fingerprint, p.input_fingerprint)"                                              \
	"   IS DISTINCT FROM (s.title, s.department, s.location, s.url, s.pay_min, s.pay_max,"     \
	"    s.pay_currency, s.pay_period, s.pay_text, s.pay_source, s.digest,"                    \
	"    s.pay_period_inferred, s.pay_ranges_text, pay_yearly(s.pay_min, s.pay_period),"       \
	"    pay_yearly(s.pay_max, s.pay_period), s.detail_ref, s.detail_key,"                     \
	"    s.row_fingerprint, s.input_fingerprint))"
/* the row new and old (o is the row as it was before the statement: RETURNING gives old and
 * new together, without joining two CTEs that the planner cannot estimate), */
#define STORE_PRESENT_RETURNING                                                                    \
	" RETURNING p.id, p.external_id, p.title, p.department, p.location, p.url, p.pay_min,"     \
	"  p.pay_max, p.pay_currency, p.pay_period, p.pay_text, p.pay_ranges_text, p.digest,"      \
	"  o.closed_at AS old_closed_at, o.pay_ranges_text AS old_pay_ranges_text,"                \
	"  o.title AS old_title, o.department AS old_department, o.location AS old_location,"      \
	"  o.url AS old_url, o.pay_min AS old_pay_min, o.pay_max AS old_pay_max,"                  \
	"  o.pay_currency AS old_pay_currency, o.pay_period AS old_pay_period,"                    \
	"  o.pay_text AS old_pay_text, o.digest AS old_digest"
/* what changed, */
#define STORE_PRESENT_CHANGES                                                                      \
	"  u.old_closed_at IS NOT NULL AS reopened,"                                               \
	"  (u.old_pay_min, u.old_pay_max, u.old_pay_currency, u.old_pay_period,"                   \
	"   u.old_pay_ranges_text) IS DISTINCT FROM"                                               \
	"   (u.pay_min, u.pay_max, u.pay_currency, u.pay_period, u.pay_ranges_text)"               \
	"   AS pay_changed,"                                                                       \
	"  (u.old_title, u.old_department, u.old_location, u.old_url, u.old_pay_min,"              \
	"   u.old_pay_max, u.old_pay_currency, u.old_pay_period, u.old_pay_text,"                  \
	"   u.old_pay_ranges_text, u.old_digest)"                                                  \
	"   IS DISTINCT FROM"                                                                      \
	"  (u.title, u.department, u.location, u.url, u.pay_min, u.pay_max, u.pay_currency,"       \
	"   u.pay_period, u.pay_text, u.pay_ranges_text, u.digest) AS changed"
/* and an event for each change of d, in the order each posting's are written. */
#define STORE_PRESENT_EVENTS                                                                       \
	" FROM d CROSS JOIN LATERAL (VALUES"                                                       \
	"  (1, 'reopened', NULL, NULL, d.reopened),"                                               \
	"  (2, 'title_changed', d.old_title, d.title, d.old_title IS DISTINCT FROM d.title),"      \
	"  (3, 'location_changed', d.old_location, d.location,"                                    \
	"   d.old_location IS DISTINCT FROM d.location),"                                          \
	"  (4, 'department_changed', d.old_department, d.department,"                              \
	"   d.old_department IS DISTINCT FROM d.department),"                                      \
	"  (5, 'pay_changed',"                                                                     \
	"   CASE WHEN d.pay_changed THEN coalesce(d.old_pay_ranges_text, '') END,"                 \
	"   CASE WHEN d.pay_changed THEN coalesce(d.pay_ranges_text, '') END, d.pay_changed)"      \
	" ) AS k(ord, kind, old_value, new_value, hit)"                                            \
	" WHERE k.hit ORDER BY d.id, k.ord"

const char STORE_SQL_UPDATE_PRESENT[] =
    "WITH upd AS (" STORE_PRESENT_SET
    " WHERE p.source_id = $1::bigint AND p.external_id = s.external_id"
    "  AND o.id = p.id AND ($4::boolean OR" STORE_PRESENT_DIFFERS STORE_PRESENT_RETURNING
    "), d AS (SELECT u.*," STORE_PRESENT_CHANGES " FROM upd u"
    "), ver AS (" STORE_VERSION_INSERT
    " SELECT id, now(), $2::bigint, title, department, location, url, pay_min, pay_max,"
    "  pay_currency, pay_period, pay_text, pay_ranges_text, digest FROM d WHERE changed"
    /* A posting's ranges are replaced whole when any of them changed. No unique index on
     * pay_ranges: the insert cannot see the rows this statement deletes. */
    "), rdel AS ("
    " DELETE FROM pay_ranges r USING d WHERE d.pay_changed AND r.posting_id = d.id"
    "), rins AS (" STORE_RANGES_INSERT " SELECT d.id," STORE_RANGES_OF_R
    " FROM d JOIN jobwatch_stage_ranges r ON r.external_id = d.external_id"
    " WHERE d.pay_changed"
    ")"
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, old_value, new_value,"
    "  baseline)"
    " SELECT now(), $1::bigint, d.id, $2::bigint, k.kind, k.old_value, k.new_value,"
    "  $3::boolean" STORE_PRESENT_EVENTS;

/* The changed polls of several sources at once (store_apply_changed): each statement of one
 * poll's diff, for all of them. Each stage row carries its source, and the parameters of each
 * poll come as arrays, in the order of $1: a statement costs the database about as much for two
 * rows as for two hundred, and a changed board has a handful. The polls are complete, and each
 * source has been polled completely before (no baseline): the events are not a baseline's. Each
 * source's events are written in the order its poll alone writes them. */
#define STORE_MANY_B "SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS b(source_id, poll_id)"

/* Until the commit, no merge or hash joins: each statement below joins the stage's rows to
 * the postings (or the events) they name, one index look-up a row, and the planner, which sees
 * no one source to narrow the postings by, priced a merge of the whole postings table against
 * a stage of a few hundred rows as cheaper: 17 ms a statement at 100,000 postings, and growing
 * with the table, where the look-ups take a fraction of a millisecond and grow only with the
 * stage (STORE_BATCH_CHUNK_ITEMS rows at most). */
const char STORE_SQL_NESTLOOP[] = "SELECT set_config('enable_mergejoin', 'off', true),"
				  " set_config('enable_hashjoin', 'off', true)";

/* KEEP_DETAIL for the stage rows of every source. */
const char STORE_SQL_KEEP_DETAIL_MANY[] =
    "UPDATE jobwatch_stage s SET department = coalesce(s.department, p.department),"
    " location = coalesce(s.location, p.location), pay_min = p.pay_min, pay_max = p.pay_max,"
    " pay_currency = p.pay_currency, pay_period = p.pay_period,"
    " pay_period_inferred = p.pay_period_inferred, pay_text = p.pay_text,"
    " pay_source = p.pay_source, pay_ranges_text = p.pay_ranges_text, digest = p.digest"
    " FROM postings p"
    " WHERE s.detail_ref IS NOT NULL AND p.source_id = s.source_id"
    "  AND p.external_id = s.external_id";

/* UPDATE_PRESENT of complete polls. $1 sources, $2 their polls. */
const char STORE_SQL_UPDATE_PRESENT_MANY[] =
    "WITH b AS (" STORE_MANY_B "), upd AS (" STORE_PRESENT_SET
    " WHERE p.source_id = s.source_id AND p.external_id = s.external_id"
    "  AND o.id = p.id AND (" STORE_PRESENT_DIFFERS STORE_PRESENT_RETURNING ", p.source_id"
    "), d AS (SELECT u.*, b.poll_id," STORE_PRESENT_CHANGES
    " FROM upd u JOIN b ON b.source_id = u.source_id"
    "), ver AS (" STORE_VERSION_INSERT
    " SELECT id, now(), poll_id, title, department, location, url, pay_min, pay_max,"
    "  pay_currency, pay_period, pay_text, pay_ranges_text, digest FROM d WHERE changed"
    " ORDER BY id"
    "), rdel AS ("
    " DELETE FROM pay_ranges r USING d WHERE d.pay_changed AND r.posting_id = d.id"
    "), rins AS (" STORE_RANGES_INSERT " SELECT d.id," STORE_RANGES_OF_R
    " FROM d JOIN jobwatch_stage_ranges r"
    "  ON r.source_id = d.source_id AND r.external_id = d.external_id"
    " WHERE d.pay_changed"
    ")"
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, old_value, new_value,"
    "  baseline)"
    " SELECT now(), d.source_id, d.id, d.poll_id, k.kind, k.old_value, k.new_value, "
    "false" STORE_PRESENT_EVENTS;

/* INSERT_NEW of complete polls. $1 sources, $2 their polls, $3 their alert_wait. */
const char STORE_SQL_INSERT_NEW_MANY[] =
    "WITH b AS ("
    " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[]) AS b(source_id, poll_id,"
    "  alert_wait)"
    "), ins AS ("
    " INSERT INTO postings (source_id, external_id, title, department, location, url,"
    "  pay_min, pay_max, pay_currency, pay_period, pay_period_inferred, pay_text,"
    "  pay_source, pay_ranges_text, pay_min_yearly, pay_max_yearly, digest, first_seen,"
    "  last_seen, misses, pay_known, detail_ref, detail_key, row_fingerprint,"
    "  input_fingerprint)"
    " SELECT s.source_id, s.external_id, s.title, s.department, s.location, s.url,"
    "  s.pay_min, s.pay_max, s.pay_currency, s.pay_period, s.pay_period_inferred,"
    "  s.pay_text, s.pay_source, s.pay_ranges_text, pay_yearly(s.pay_min, s.pay_period),"
    "  pay_yearly(s.pay_max, s.pay_period), s.digest, now(), now(), 0,"
    "  s.detail_ref IS NULL, s.detail_ref, s.detail_key, s.row_fingerprint,"
    "  s.input_fingerprint"
    " FROM jobwatch_stage s"
    " WHERE NOT EXISTS (SELECT 1 FROM postings p"
    "  WHERE p.source_id = s.source_id AND p.external_id = s.external_id)"
    " ORDER BY s.seq"
    " RETURNING id, source_id, external_id, title, department, location, url, pay_min,"
    "  pay_max, pay_currency, pay_period, pay_text, pay_ranges_text, digest, pay_known"
    "), n AS (SELECT ins.*, b.poll_id, b.alert_wait FROM ins JOIN b USING (source_id)"
    "), ver AS (" STORE_VERSION_INSERT
    " SELECT id, now(), poll_id, title, department, location, url, pay_min, pay_max,"
    "  pay_currency, pay_period, pay_text, pay_ranges_text, digest FROM n ORDER BY id"
    "), rng AS (" STORE_RANGES_INSERT " SELECT ins.id," STORE_RANGES_OF_R
    " FROM ins JOIN jobwatch_stage_ranges r"
    "  ON r.source_id = ins.source_id AND r.external_id = ins.external_id"
    ")"
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, baseline, alert_pending,"
    "  alert_due)"
    " SELECT now(), source_id, id, poll_id, 'new', false, NOT pay_known AND alert_wait > 0,"
    "  now() + make_interval(secs => alert_wait)"
    " FROM n ORDER BY id";

/* MISS_COMPLETE of complete polls. $1 sources, $2 their polls, $3 their close_after, $4
 * whether each may close, $5 the ids of the postings they lack. */
const char STORE_SQL_MISS_COMPLETE_MANY[] =
    "WITH b AS ("
    " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::boolean[])"
    "  AS b(source_id, poll_id, close_after, may_close)"
    "), m AS ("
    " UPDATE postings p SET misses = p.misses + 1,"
    "  closed_at = CASE WHEN b.may_close AND p.misses + 1 >= b.close_after THEN now() END"
    " FROM b WHERE p.id = ANY($5::bigint[]) AND p.source_id = b.source_id"
    "  AND p.closed_at IS NULL"
    " RETURNING p.id, p.source_id, p.closed_at, b.poll_id"
    ")"
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, baseline)"
    " SELECT now(), source_id, id, poll_id, 'closed', false FROM m"
    " WHERE closed_at IS NOT NULL ORDER BY id";

/* POLL_EVENTS of several polls, each row with its poll last. The polls are joined rather than
 * named by "= ANY": they are newer than the events' statistics, and for a list of them the
 * planner guessed a tenth of the table and read all of it. $1 the polls. */
const char STORE_SQL_POLL_EVENTS_MANY[] =
    "SELECT e.kind, e.old_value, e.new_value, p.external_id, p.title, p.department,"
    " p.location, p.url, p.pay_min::float8, p.pay_max::float8, p.pay_currency, p.pay_period,"
    " p.pay_source, e.poll_id"
    " FROM unnest($1::bigint[]) AS w(poll_id) JOIN events e ON e.poll_id = w.poll_id"
    " JOIN postings p ON p.id = e.posting_id"
    " WHERE NOT e.alert_pending ORDER BY e.id";

/* The snapshots of several first polls (store_apply_first), each row with its source. */
static const char STORE_SQL_COPY_FIRST[] = "COPY jobwatch_first (source_id, " STORE_ROW_FIELDS
					   ", seq, row_fingerprint, input_fingerprint) FROM STDIN";
static const char STORE_SQL_COPY_FIRST_RANGES[] =
    "COPY jobwatch_first_ranges (source_id, seq, external_id, ord, label, pay_min, pay_max,"
    " pay_currency, pay_period, pay_period_inferred, pay_source) FROM STDIN";

/* INSERT_NEW for the first polls of several sources at once, every row of the stage new:
 * each source's lock found it without postings, and the stage holds each id of a source once
 * (store_pick). Their events are a baseline's. Each table is written from the stage's rows,
 * whose posting ids the copy gave them (an INSERT … RETURNING that the others read cost a
 * sixth of the statement), the ranges found by seq rather than by their text id.
 * $1 the sources, $2 their polls. */
const char STORE_SQL_INSERT_FIRST[] =
    "WITH b AS ("
    " SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS b(source_id, poll_id)"
    "), ins AS ("
    " INSERT INTO postings (id, source_id, external_id, title, department, location, url,"
    "  pay_min, pay_max, pay_currency, pay_period, pay_period_inferred, pay_text,"
    "  pay_source, pay_ranges_text, pay_min_yearly, pay_max_yearly, digest, first_seen,"
    "  last_seen, misses, pay_known, detail_ref, detail_key, row_fingerprint,"
    "  input_fingerprint)"
    " SELECT s.id, s.source_id, s.external_id, s.title, s.department, s.location, s.url,"
    "  s.pay_min, s.pay_max, s.pay_currency, s.pay_period, s.pay_period_inferred,"
    "  s.pay_text, s.pay_source, s.pay_ranges_text, pay_yearly(s.pay_min, s.pay_period),"
    "  pay_yearly(s.pay_max, s.pay_period), s.digest, now(), now(), 0,"
    "  s.detail_ref IS NULL, s.detail_ref, s.detail_key, s.row_fingerprint,"
    "  s.input_fingerprint"
    " FROM jobwatch_first s"
    "), ver AS (" STORE_VERSION_INSERT
    " SELECT s.id, now(), b.poll_id, s.title, s.department, s.location, s.url, s.pay_min,"
    "  s.pay_max, s.pay_currency, s.pay_period, s.pay_text, s.pay_ranges_text, s.digest"
    " FROM jobwatch_first s JOIN b ON b.source_id = s.source_id ORDER BY s.id"
    "), rng AS (" STORE_RANGES_INSERT " SELECT s.id," STORE_RANGES_OF_R
    " FROM jobwatch_first_ranges r JOIN jobwatch_first s ON s.seq = r.seq"
    ")"
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, baseline)"
    " SELECT now(), s.source_id, s.id, b.poll_id, 'new', true"
    " FROM jobwatch_first s JOIN b ON b.source_id = s.source_id ORDER BY s.id";

/* Until the commit, prepared statements run the plan made once for any parameters: sent
 * before INSERT_NEW in the poll of a source that has no postings yet. The planner prices each
 * poll's own plan with the stage's current size, which grows by the dead rows of up to
 * STORE_STAGE_VACUUM_ROWS between its vacuums, so the shared plan, priced once, looked dearer
 * than the average of the polls' own and INSERT_NEW was planned again in 641 of a cold
 * ingest's 1000 polls: 267-283 ms of the database's time, 22-35 ms with this
 * (pg_stat_statements). Whatever the parameters, that transaction's statements have one
 * right plan: nothing of the source is in postings to join against, and the rest look up
 * one sources row. */
const char STORE_SQL_GENERIC[] = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)";

/* Postings the source has never shown: a row, a first version and a "new" event each. The
 * event of a row that lacks the description waits (alert_pending) for the posting's detail,
 * $4 seconds at most (0: a source that reads no detail, whose alerts do not wait).
 * $1 source, $2 poll, $3 baseline, $4 alert_wait. */
const char STORE_SQL_INSERT_NEW[] =
    "WITH ins AS ("
    " INSERT INTO postings (source_id, external_id, title, department, location, url,"
    "  pay_min, pay_max, pay_currency, pay_period, pay_period_inferred, pay_text,"
    "  pay_source, pay_ranges_text, pay_min_yearly, pay_max_yearly, digest, first_seen,"
    "  last_seen, misses, pay_known, detail_ref, detail_key, row_fingerprint,"
    "  input_fingerprint)"
    " SELECT $1::bigint, s.external_id, s.title, s.department, s.location, s.url,"
    "  s.pay_min, s.pay_max, s.pay_currency, s.pay_period, s.pay_period_inferred,"
    "  s.pay_text, s.pay_source, s.pay_ranges_text, pay_yearly(s.pay_min, s.pay_period),"
    "  pay_yearly(s.pay_max, s.pay_period), s.digest, now(), now(), 0,"
    "  s.detail_ref IS NULL, s.detail_ref, s.detail_key, s.row_fingerprint,"
    "  s.input_fingerprint"
    " FROM jobwatch_stage s"
    " WHERE NOT EXISTS (SELECT 1 FROM postings p"
    "  WHERE p.source_id = $1::bigint AND p.external_id = s.external_id)"
    " ORDER BY s.seq"
    " RETURNING id, external_id, title, department, location, url, pay_min, pay_max,"
    "  pay_currency, pay_period, pay_text, pay_ranges_text, digest, pay_known"
    "), ver AS (" STORE_VERSION_INSERT
    " SELECT id, now(), $2::bigint, title, department, location, url, pay_min, pay_max,"
    "  pay_currency, pay_period, pay_text, pay_ranges_text, digest FROM ins"
    "), rng AS (" STORE_RANGES_INSERT " SELECT ins.id," STORE_RANGES_OF_R
    " FROM ins JOIN jobwatch_stage_ranges r ON r.external_id = ins.external_id"
    ")"
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, baseline, alert_pending,"
    "  alert_due)"
    " SELECT now(), $1::bigint, id, $2::bigint, 'new', $3::boolean,"
    "  NOT $3::boolean AND NOT pay_known AND $4::int > 0,"
    "  now() + make_interval(secs => $4::int)"
    " FROM ins ORDER BY id";

/* Open postings missing from a complete snapshot count a miss; at close_after they close,
 * unless $5 (may close) is false because the poll is held as suspect. They are the open
 * postings STORE_SQL_FINGERPRINTS read that the snapshot did not show; the statements before
 * this one wrote none of them.
 * $1 source, $2 poll, $3 baseline, $4 close_after, $5 may close, $6 their ids. */
const char STORE_SQL_MISS_COMPLETE[] =
    "WITH m AS ("
    " UPDATE postings p SET misses = p.misses + 1,"
    "  closed_at = CASE WHEN $5::boolean AND p.misses + 1 >= $4::int THEN now() END"
    " WHERE p.id = ANY($6::bigint[]) AND p.source_id = $1::bigint AND p.closed_at IS NULL"
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
const char STORE_SQL_MISS_UNCHANGED[] =
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
const char STORE_SQL_POLL_EVENTS[] =
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
const char STORE_SQL_FINISH_POLL[] =
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
		   "  suspect = $5::boolean, dropped = $14::int"
		   " WHERE id = $1::bigint"
		   " RETURNING new, closed, reopened, changed";

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

static int store_known_cmp(const void *a, const void *b)
{
	return strcmp(((const struct store_known *)a)->id, ((const struct store_known *)b)->id);
}

static int store_known_ifp_cmp(const void *a, const void *b)
{
	int64_t x = (*(struct store_known *const *)a)->ifp,
		y = (*(struct store_known *const *)b)->ifp;

	return (x > y) - (x < y);
}

/* The known posting of id (COPY text), or NULL. */
static struct store_known *store_known_find(struct store_known_set *known, const char *id)
{
	const struct store_known key = {.id = (char *)id};

	if (known == NULL || known->n == 0)
		return NULL;
	return bsearch(&key, known->v, known->n, sizeof(key), store_known_cmp);
}

/* Whether the posting of id (COPY text) is stored with the row fingerprint fp and the input
 * fingerprint ifp (0: none); a known posting is marked seen either way. */
static bool store_known_same(struct store_known_set *known, const char *id, int64_t fp,
			     uint64_t ifp)
{
	struct store_known *k = store_known_find(known, id);

	if (k == NULL)
		return false;
	k->seen = k->listed = true;
	return k->trusted && k->fp == fp && k->has_ifp == (ifp != 0) &&
	       (!k->has_ifp || k->ifp == (int64_t)ifp);
}

/* One posting as a COPY text row: for a first poll's stage (source) the source first; its
 * fields (STORE_ROW_FIELDS; id its external_id as COPY text already); its number seq, the
 * fingerprint of its fields' text and ifp, its list item's (0: none). A posting stored with
 * both fingerprints (in known) is not written: the row is the one the stored posting was
 * written from, which the diff would leave as it is. Returns whether it was left out. */
static bool store_put_posting(struct buf *b, const char *source, const struct posting *p,
			      uint64_t ifp, size_t seq, const char *id,
			      struct store_known_set *known)
{
	size_t start = b->len, from;
	int64_t fp;
	bool same;

	if (source) {
		buf_puts(b, source);
		buf_putc(b, '\t');
	}
	from = b->len;
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
	fp = digest_sha256_i64(b->data + from, b->len - from);
	same = store_known_same(known, id, fp, ifp);
	if (same) {
		b->len = start;
		return true;
	}
	buf_putc(b, '\t');
	buf_put_u64(b, seq);
	buf_putc(b, '\t');
	buf_put_i64(b, fp);
	buf_putc(b, '\t');
	if (ifp)
		buf_put_i64(b, (int64_t)ifp); /* two's complement, as a bigint reads it */
	else
		buf_puts(b, "\\N");
	buf_putc(b, '\n');
	return false;
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

/* The stage rows of postings (each first with source, when not NULL) into rows, and their
 * ranges into ranges, numbered from seq on; but not those known holds unchanged, each known
 * one the snapshot shows marked seen. How many postings the snapshot has in *sent, how many
 * rows went in in *staged. Returns the number after the last. */
static size_t store_stage_rows(struct buf *rows, struct buf *ranges,
			       const struct posting_list *postings, struct store_known_set *known,
			       const char *source, size_t seq, size_t *sent, size_t *staged)
{
	size_t n = postings ? postings->len : 0;
	char **id = xcalloc(n ? n : 1, sizeof(*id));

	*sent = store_pick(postings, id);
	/* An item that posting_list_settle parsed whose posting an earlier item, left unparsed
	 * as stored, named already: the first copy counts, as store_pick keeps it. */
	for (size_t i = 0; i < n; i++) {
		struct store_known *k;
		size_t item = posting_list_later_item(postings, i);
		if (id[i] && item > 0 && (k = store_known_find(known, id[i])) && k->kept &&
		    k->kept_item < item - 1) {
			free(id[i]);
			id[i] = NULL;
			(*sent)--;
		}
	}
	*staged = *sent;
	for (size_t i = 0; i < n; i++) {
		if (id[i] == NULL)
			continue;
		if (store_put_posting(rows, source, &postings->items[i],
				      posting_list_input_fp(postings, i), seq + i, id[i], known))
			(*staged)--; /* as stored: its ranges are stored already */
		else
			store_put_ranges(ranges, source, &postings->items[i], seq + i, id[i]);
		free(id[i]);
	}
	free(id);
	/* and the postings whose items were left unparsed */
	for (size_t i = 0; known && i < known->n; i++)
		*sent += known->v[i].kept && !known->v[i].listed;
	return seq + n;
}

int store_copy(struct store *s, const struct posting_list *postings, struct store_known_set *known,
	       size_t *sent, size_t *staged)
{
	struct buf ranges = BUF_INIT;
	int rc = 0;

	buf_reset(&s->copy);
	store_stage_rows(&s->copy, &ranges, postings, known, NULL, 0, sent, staged);
	/* a body whose every posting is as stored (a date the rows do not keep moved) stages
	 * nothing: no COPY for it */
	if (*staged > 0 && store_copy_buf(s, STORE_SQL_COPY, &s->copy) < 0)
		rc = -1;
	if (rc == 0 && ranges.len > 0)
		rc = store_copy_buf(s, STORE_SQL_COPY_RANGES, &ranges);
	buf_free(&ranges);
	return rc;
}

/* What one apply learned along the way, for the polls row and the caller. */
struct store_apply {
	char source[24], poll[24], close_after[16], alert_wait[16];
	char finished[24], npost[24], due[24], ndropped[24]; /* FINISH_POLL's (store_values) */
	size_t dropped; /* malformed postings: the adapter's, and posting_list_settle's */
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
	/* a complete poll's: the source's open postings as their rows were last written; after
	 * the copy, those of them it lacks as an array of their ids (NULL: none) */
	struct store_known_set known;
	bool fingerprints;
	char *lacking;
};

/* The arrays of a job's polls (struct store_job's many). */
enum store_many {
	STORE_MANY_SOURCES,
	STORE_MANY_POLLS,
	STORE_MANY_ALERT_WAIT,
	STORE_MANY_CLOSE_AFTER,
	STORE_MANY_MAY_CLOSE,
	STORE_MANY_LACKING, /* the ids of the postings each lacks, all in one */
	STORE_MANY_COUNT
};

/* A complete or partial poll whose diff is in flight, or the first polls of several sources
 * (store_apply_first), or their changed polls (store_apply_changed). The snapshots went into the
 * stage by COPY, and the statements after that went at once, with the commit, in one pipeline
 * (libpq pipeline mode): the loop reads the next boards while the database applies these. */
struct store_job {
	size_t n; /* its polls: one, or several */
	void **ud;
	struct store_apply *a;
	struct events *ev;
	enum store_stmt *sent; /* the statements in the pipeline, in order; the commit after */
	size_t *of;	       /* the poll each statement is for */
	size_t nsent, ngot;    /* ngot: results read, the commit's included */
	bool failed;	       /* one failed: the rest were skipped and it is rolled back */
	/* The statements for all its polls take their values from these array literals, in
	 * the polls' order (store_job_many): */
	struct buf many[STORE_MANY_COUNT];
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
	for (size_t i = 0; i < STORE_MANY_COUNT; i++)
		buf_free(&j->many[i]);
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

/* The ids of the known postings the snapshot did not show, as an array literal, and how many
 * they are in *absent; NULL when it showed them all (most polls). */
static char *store_lacking(const struct store_known_set *known, size_t *absent)
{
	struct buf b = BUF_INIT;

	*absent = 0;
	for (size_t i = 0; i < known->n; i++) {
		if (known->v[i].seen)
			continue;
		buf_putc(&b, *absent ? ',' : '{');
		buf_put_i64(&b, known->v[i].posting);
		(*absent)++;
	}
	if (*absent == 0)
		return NULL;
	buf_putc(&b, '}');
	return buf_steal(&b);
}

/* posting_list_settle's keep: an item whose fingerprint is the one a known posting was
 * stored from would make that posting's row again, so it is left unparsed and the posting
 * counts as shown (an identical item twice: both left, as store_pick drops the second). */
static bool store_settle_keep(void *ctx, uint64_t fp, size_t i)
{
	struct store_known_set *known = ctx;
	struct store_known key = {.ifp = (int64_t)fp}, *kp = &key, **hit;

	if (known->nifp == 0)
		return false;
	hit = bsearch(&kp, known->by_ifp, known->nifp, sizeof(kp), store_known_ifp_cmp);
	if (hit == NULL)
		return false;
	if (!(*hit)->kept) {
		(*hit)->kept = (*hit)->seen = true;
		(*hit)->kept_item = i;
	}
	return true;
}

/* Stage the snapshot and judge its drop: what the diff's statements need before they run. */
static int store_stage(struct store *s, struct posting_list *postings,
		       const struct store_opts *opts, struct store_apply *a)
{
	size_t sent = 0, staged = 0, absent = 0;

	if (postings && postings->later) {
		/* The items the adapter left: parsed now, but those this source's postings were
		 * stored from (a complete poll's, whose fingerprints were read). Malformed ones
		 * are counted now too. */
		size_t dropped = postings->dropped;
		posting_list_settle(postings, a->fingerprints ? store_settle_keep : NULL,
				    &a->known);
		a->dropped += postings->dropped - dropped;
	}
	if (store_copy(s, postings, &a->known, &sent, &staged) < 0)
		return -1;
	s->stage_dead += staged;
	a->postings = sent;
	if (a->fingerprints)
		a->lacking = store_lacking(&a->known, &absent);
	for (size_t i = 0; postings && i < postings->len && !a->details; i++)
		a->details = postings->items[i].detail_ref != NULL;
	/* A source's first poll has no postings to join against: every row is new, and the
	 * statistics would cost more than they save. The rows left out of the stage make its
	 * size vary from poll to poll: below STORE_STAGE_STATS_MIN, the statistics of any size
	 * do (what they add, every id distinct, holds for any snapshot). */
	if (a->baseline[0] != 't' && !a->empty &&
	    store_stage_analyze(s, staged < STORE_STAGE_STATS_MIN ? STORE_STAGE_STATS_MIN
								  : staged) < 0)
		return -1;
	/* Part of the board says nothing of what it lacks (a partial poll reads no
	 * fingerprints); a source with no postings lacks nothing. The known postings are every
	 * open one: what the snapshot did not show of them is what it lacks. */
	if (!a->fingerprints || a->empty)
		return 0;
	a->drop = a->known.n > 0 && (double)absent > opts->max_drop * (double)a->known.n;
	a->held = a->drop && !a->source_suspect;
	return 0;
}

void store_event_read(struct event *e, const PGresult *res, int row)
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

/* The events of several polls (STORE_SQL_POLL_EVENTS_MANY) into each poll's of j, by the poll
 * each row ends with. */
static void store_events_many(struct store_job *j, const PGresult *res)
{
	int n = PQntuples(res), last = PQnfields(res) - 1;

	for (size_t k = 0; k < j->n; k++) {
		struct events *ev = &j->ev[k];
		size_t len = 0;
		for (int i = 0; i < n; i++)
			len += strcmp(PQgetvalue(res, i, last), j->a[k].poll) == 0;
		ev->items = len ? xcalloc(len, sizeof(*ev->items)) : NULL;
		ev->len = 0;
		for (int i = 0; i < n; i++)
			if (strcmp(PQgetvalue(res, i, last), j->a[k].poll) == 0)
				store_event_read(&ev->items[ev->len++], res, i);
	}
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
	case STORE_STMT_NESTLOOP:
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
		snprintf(a->ndropped, sizeof(a->ndropped), "%zu", a->dropped);
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
				   a->partial,
				   a->ndropped};
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
	default: /* the diff's: $1 source, $2 poll, $3 baseline, $4 close_after, $5 may close,
		  * $6 the known postings lacking */
		v[0] = a->source;
		v[1] = a->poll;
		v[2] = a->baseline;
		v[3] = a->close_after;
		v[4] = a->held ? "f" : "t";
		v[5] = a->lacking;
		return st == STORE_STMT_MISS_COMPLETE ? 6 : st == STORE_STMT_MISS_UNCHANGED ? 4 : 3;
	}
}

/* The same snapshot again: cheap, and it may confirm a held drop (an unchanged board that
 * shrank is still shrunk), so closing always proceeds. */
static int store_count_unchanged_misses(struct store *s, struct store_apply *a)
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
	a->dropped = poll->dropped;
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

/* BEGIN, then each of the n polls' source lock and polls row (sv[i].v), and with fingerprints
 * its source's open postings (STORE_SQL_FINGERPRINTS), sent at once and read in order into
 * got: got[0] the BEGIN, then STORE_START_STRIDE answers a poll from got[1]: one round trip
 * where PQexec would take one a statement. A polls row goes in whatever its lock finds; the
 * caller judges the answers and rolls back. -1, with the connection dropped, when they could
 * not be sent or read. */
#define STORE_START_STRIDE(fingerprints) ((size_t)((fingerprints) ? 3 : 2))
static int store_start_send(struct store *s, size_t n, const struct store_apply *a,
			    const struct store_start_values *sv, bool fingerprints, PGresult **got)
{
	size_t nres = 1 + STORE_START_STRIDE(fingerprints) * n;

	for (size_t i = 0; i < nres; i++)
		got[i] = NULL;
	if (store_ensure_prepared(s, STORE_STMT_LOCK_SOURCE) < 0 ||
	    store_ensure_prepared(s, STORE_STMT_INSERT_POLL) < 0 ||
	    (fingerprints && store_ensure_prepared(s, STORE_STMT_FINGERPRINTS) < 0))
		return -1;
	if (PQenterPipelineMode(s->conn) != 1 ||
	    PQsendQueryParams(s->conn, STORE_SQL_BEGIN, 0, NULL, NULL, NULL, NULL, 0) != 1)
		goto broken;
	for (size_t i = 0; i < n; i++) {
		const char *lock[] = {a[i].source, s->owner};
		if (PQsendQueryPrepared(s->conn, store_stmts[STORE_STMT_LOCK_SOURCE].name, 2, lock,
					NULL, NULL, 0) != 1 ||
		    PQsendQueryPrepared(s->conn, store_stmts[STORE_STMT_INSERT_POLL].name, 8,
					sv[i].v, NULL, NULL, 0) != 1 ||
		    (fingerprints &&
		     PQsendQueryPrepared(s->conn, store_stmts[STORE_STMT_FINGERPRINTS].name, 1,
					 lock, NULL, NULL, 0) != 1))
			goto broken;
	}
	if (PQpipelineSync(s->conn) != 1)
		goto broken;
	return store_pipeline_read(s, got, nres, "begin");
broken:
	store_report(s, "begin", NULL);
	store_disconnect(s);
	return -1;
}

/* The rows of STORE_SQL_FINGERPRINTS as a set, each id as the COPY text store_pick makes of
 * it (the stored id is one that text was made from, cut and cleaned already). */
static void store_known_read(struct store_known_set *k, const PGresult *res)
{
	struct buf b = BUF_INIT;
	int n = PQntuples(res);

	k->v = n > 0 ? xcalloc((size_t)n, sizeof(*k->v)) : NULL;
	k->n = 0;
	for (int i = 0; i < n; i++) {
		buf_reset(&b);
		store_put_text(&b, PQgetvalue(res, i, 0), STORE_MAX_URL, true);
		k->v[k->n].id = buf_steal(&b);
		k->v[k->n].fp = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		k->v[k->n].posting = strtoll(PQgetvalue(res, i, 2), NULL, 10);
		k->v[k->n].has_ifp = !PQgetisnull(res, i, 3);
		k->v[k->n].ifp = strtoll(PQgetvalue(res, i, 3), NULL, 10);
		k->v[k->n++].trusted = !PQgetisnull(res, i, 1) && PQgetvalue(res, i, 4)[0] == 't';
	}
	buf_free(&b);
	if (k->n > 1)
		qsort(k->v, k->n, sizeof(*k->v), store_known_cmp);
	k->by_ifp = k->n > 0 ? xcalloc(k->n, sizeof(*k->by_ifp)) : NULL;
	k->nifp = 0;
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i].trusted && k->v[i].has_ifp)
			k->by_ifp[k->nifp++] = &k->v[i];
	if (k->nifp > 1)
		qsort(k->by_ifp, k->nifp, sizeof(*k->by_ifp), store_known_ifp_cmp);
}

/* Begin, lock the source, read its suspect and baseline state and insert the polls row; for
 * a complete poll, read the row fingerprints of its open postings too. */
static int store_start(struct store *s, const struct store_poll *poll,
		       const struct store_opts *opts, struct store_apply *a)
{
	struct store_start_values sv;
	PGresult *got[4] = {NULL};
	bool fingerprints = poll->outcome == STORE_OUTCOME_COMPLETE;
	int rc = -1;

	store_start_fill(poll, opts, a, &sv);
	if (store_start_send(s, 1, a, &sv, fingerprints, got) < 0)
		goto out;
	/* with no source to lock, the polls row fails too: the lock's answer says why */
	if (PQresultStatus(got[0]) != PGRES_COMMAND_OK) {
		store_report(s, "begin", got[0]);
	} else if (PQresultStatus(got[1]) != PGRES_TUPLES_OK) {
		store_report(s, "lock_source", got[1]);
	} else if (PQntuples(got[1]) != 1) {
		store_log("apply", NULL, NULL, "no such source", NULL,
			  "store_sync_source gives the id");
	} else if (PQresultStatus(got[2]) != PGRES_TUPLES_OK) {
		store_report(s, "insert_poll", got[2]);
	} else if (fingerprints && PQresultStatus(got[3]) != PGRES_TUPLES_OK) {
		store_report(s, "fingerprints", got[3]);
	} else if (PQgetvalue(got[1], 0, 2)[0] != 't') {
		/* another daemon took the source over (our lease ran out): its poll counts */
		rc = STORE_LEASE_LOST;
	} else {
		a->source_suspect = PQgetvalue(got[1], 0, 0)[0] == 't';
		a->baseline = PQgetvalue(got[1], 0, 1)[0] == 't' ? "t" : "f";
		a->empty = PQgetvalue(got[1], 0, 3)[0] == 't';
		snprintf(a->poll, sizeof(a->poll), "%s", PQgetvalue(got[2], 0, 0));
		if (fingerprints)
			store_known_read(&a->known, got[3]);
		a->fingerprints = fingerprints;
		rc = 0;
	}
	for (int i = 0; i < 4; i++)
		PQclear(got[i]);
out:
	store_start_values_free(&sv);
	return rc;
}

static void store_apply_free(struct store_apply *a)
{
	for (size_t i = 0; i < a->known.n; i++)
		free(a->known.v[i].id);
	free(a->known.v);
	free(a->known.by_ifp);
	free(a->lacking);
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
	if (a->lacking)
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
void store_job_end(struct store *s, int rc)
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
	/* one of several polls failed them all: which one is not known */
	bool batch = rc < 0 && j->n > 1 && store_connected(s);
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
		d->rc = batch ? STORE_BATCH_FAILED : rc;
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
	else if (which == STORE_STMT_POLL_EVENTS_MANY)
		store_events_many(j, res);
	else if (which == STORE_STMT_FINISH_POLL)
		store_counts_from(ev, res);
	else if (which == STORE_STMT_RECOVER)
		store_recovery_from(ev, res);
}

/* Read the job's results, waiting for them when block, else only what has arrived. */
void store_job_pump(struct store *s, bool block)
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

/* The values of st, a statement for all of j's polls, into v; how many, or -1 when st is one
 * poll's. */
static int store_job_many(const struct store_job *j, enum store_stmt st, const char **v)
{
	static const struct {
		enum store_stmt st;
		int n;
		enum store_many of[5];
	} stmts[] = {
	    {STORE_STMT_INSERT_FIRST, 2, {STORE_MANY_SOURCES, STORE_MANY_POLLS}},
	    {STORE_STMT_KEEP_DETAIL_MANY, 0, {0}},
	    {STORE_STMT_UPDATE_PRESENT_MANY, 2, {STORE_MANY_SOURCES, STORE_MANY_POLLS}},
	    {STORE_STMT_INSERT_NEW_MANY,
	     3,
	     {STORE_MANY_SOURCES, STORE_MANY_POLLS, STORE_MANY_ALERT_WAIT}},
	    {STORE_STMT_MISS_COMPLETE_MANY,
	     5,
	     {STORE_MANY_SOURCES, STORE_MANY_POLLS, STORE_MANY_CLOSE_AFTER, STORE_MANY_MAY_CLOSE,
	      STORE_MANY_LACKING}},
	    {STORE_STMT_POLL_EVENTS_MANY, 1, {STORE_MANY_POLLS}},
	};

	for (size_t i = 0; i < UTIL_ARRAY_LEN(stmts); i++) {
		if (stmts[i].st != st)
			continue;
		for (int k = 0; k < stmts[i].n; k++)
			v[k] = j->many[stmts[i].of[k]].data;
		return stmts[i].n;
	}
	return -1;
}

/* One array literal a field of each of j's polls, in j->many; the ids of the postings they lack
 * all in one. */
static void store_job_arrays(struct store_job *j)
{
	for (size_t m = 0; m < STORE_MANY_COUNT; m++) {
		buf_reset(&j->many[m]);
		buf_putc(&j->many[m], '{');
	}
	for (size_t i = 0; i < j->n; i++) {
		const struct store_apply *a = &j->a[i];
		const char *f[] = {[STORE_MANY_SOURCES] = a->source,
				   [STORE_MANY_POLLS] = a->poll,
				   [STORE_MANY_ALERT_WAIT] = a->alert_wait,
				   [STORE_MANY_CLOSE_AFTER] = a->close_after,
				   [STORE_MANY_MAY_CLOSE] = a->held ? "f" : "t",
				   /* "{1,2}": its ids without the braces */
				   [STORE_MANY_LACKING] = a->lacking};
		for (size_t m = 0; m < STORE_MANY_COUNT; m++) {
			if (f[m] == NULL)
				continue;
			if (j->many[m].len > 1)
				buf_putc(&j->many[m], ',');
			if (m == STORE_MANY_LACKING)
				buf_append(&j->many[m], f[m] + 1, strlen(f[m]) - 2);
			else
				buf_puts(&j->many[m], f[m]);
		}
	}
	for (size_t m = 0; m < STORE_MANY_COUNT; m++)
		buf_putc(&j->many[m], '}');
}

/* Send the job's statements (j->sent, each with the values of its poll, or of all its polls)
 * and the commit in one pipeline. */
static int store_job_send(struct store *s, struct store_job *j)
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
		int n = store_job_many(j, j->sent[i], v);
		if (n < 0)
			n = store_values(s, &j->a[j->of[i]], j->sent[i], v);
		if (PQsendQueryPrepared(s->conn, store_stmts[j->sent[i]].name, n, v, NULL, NULL,
					0) != 1)
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
 * it), and vacuumed once enough dead rows call for it; the first polls' stage made for first,
 * and dropped when STORE_FIRST_STAGE_KEEP other transactions came since the last of them
 * (STORE_SQL_STAGE_FIRST). */
int store_stage_ready(struct store *s, bool first)
{
	if (!s->stage_made) {
		if (store_simple(s, STORE_SQL_STAGE, PGRES_COMMAND_OK, "stage") < 0)
			return -1;
		s->stage_made = true;
	}
	if (first && !s->first_made) {
		if (store_simple(s, STORE_SQL_STAGE_FIRST, PGRES_COMMAND_OK, "first stage") < 0)
			return -1;
		s->first_made = true;
	}
	s->since_first = first ? 0 : s->since_first + 1;
	if (s->first_made && s->since_first >= STORE_FIRST_STAGE_KEEP &&
	    store_simple(s, STORE_SQL_STAGE_FIRST_DROP, PGRES_COMMAND_OK, "first stage") == 0)
		s->first_made = false;
	if (s->stage_dead >= STORE_STAGE_VACUUM_ROWS &&
	    store_simple(s, STORE_SQL_STAGE_VACUUM, PGRES_COMMAND_OK, "vacuum stage") == 0)
		s->stage_dead = 0;
	return 0;
}

enum store_rc store_apply_begin(struct store *s, const struct store_poll *poll,
				struct posting_list *postings, const struct store_opts *opts,
				void *ud)
{
	struct store_job *j;
	int rc;

	if (store_prepare(s) < 0) /* and any apply in flight is over */
		return -1;
	if (store_stage_ready(s, false) < 0)
		return -1;
	j = store_job_new(1, 10);
	j->ud[0] = ud;
	rc = store_start(s, poll, opts, &j->a[0]);
	if (rc == 0)
		rc = store_stage(s, postings, opts, &j->a[0]);
	if (rc == 0) {
		j->nsent = store_tail(&j->a[0], j->sent);
		rc = store_job_send(s, j);
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
			store_put_posting(&s->copy, a[i].source, &postings[i]->items[k],
					  posting_list_input_fp(postings[i], k), seq, id[k], NULL);
			store_put_ranges(&ranges, a[i].source, &postings[i]->items[k], seq, id[k]);
			free(id[k]);
		}
		free(id);
	}
	if (store_copy_buf(s, STORE_SQL_COPY_FIRST, &s->copy) < 0)
		rc = -1;
	if (rc == 0 && ranges.len > 0)
		rc = store_copy_buf(s, STORE_SQL_COPY_FIRST_RANGES, &ranges);
	buf_free(&ranges);
	return rc;
}

/* The polls of one transaction written together (store_apply_first, store_apply_changed), as
 * their start left them: their job, their polls rows' values and the start's answers. */
struct store_together {
	struct store_job *j;
	struct store_start_values *sv;
	PGresult **got;
	size_t n, ngot;
};

/* Make the store ready and start polls[0 .. n) (ud[i] each, with opts[i * opts_step]) in a job
 * of nstmt statements at most: BEGIN, each source's lock and polls row, and for changed polls
 * (not first) its open postings, in one round trip (store_start_send). -1 when that could not
 * be done; m is store_many_free's either way. */
static int store_many_start(struct store *s, struct store_together *m,
			    const struct store_poll *polls, size_t n, const struct store_opts *opts,
			    size_t opts_step, bool first, size_t nstmt, void *const *ud)
{
	memset(m, 0, sizeof(*m));
	if (store_prepare(s) < 0) /* and any apply in flight is over */
		return -1;
	if (store_stage_ready(s, first) < 0)
		return -1;
	m->n = n;
	m->ngot = 1 + STORE_START_STRIDE(!first) * n;
	m->j = store_job_new(n, nstmt);
	m->sv = xcalloc(n, sizeof(*m->sv));
	m->got = xcalloc(m->ngot, sizeof(*m->got));
	for (size_t i = 0; i < n; i++) {
		m->j->ud[i] = ud[i];
		store_start_fill(&polls[i], &opts[i * opts_step], &m->j->a[i], &m->sv[i]);
	}
	return store_start_send(s, n, m->j->a, m->sv, !first, m->got);
}

static void store_many_free(struct store_together *m)
{
	for (size_t i = 0; m->got && i < m->ngot; i++)
		PQclear(m->got[i]);
	free(m->got);
	for (size_t i = 0; m->sv && i < m->n; i++)
		store_start_values_free(&m->sv[i]);
	free(m->sv);
	if (m->j)
		store_job_free(m->j);
}

/* Each of j's polls' RECOVER and FINISH_POLL, after the statements for them all. */
static void store_job_add_ends(struct store_job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		j->of[j->nsent] = i;
		j->sent[j->nsent++] = STORE_STMT_RECOVER;
		j->of[j->nsent] = i;
		j->sent[j->nsent++] = STORE_STMT_FINISH_POLL;
	}
}

enum store_rc store_apply_first(struct store *s, const struct store_poll *polls,
				const struct posting_list *const *postings, size_t n,
				const struct store_opts *opts, void *const *ud)
{
	struct store_together m;
	struct store_job *j;
	int rc = -1;

	if (n == 0)
		return 0;
	if (store_many_start(s, &m, polls, n, opts, 0, true, 2 + 2 * n, ud) < 0)
		goto out;
	j = m.j;
	/* each source as the caller saw it: ours, never polled to the end, without postings;
	 * else the polls go one by one, each on its own path */
	bool all = PQresultStatus(m.got[0]) == PGRES_COMMAND_OK;
	for (size_t i = 0; i < n && all; i++) {
		const PGresult *lock = m.got[1 + 2 * i], *poll = m.got[2 + 2 * i];
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

	/* the postings, each poll's end and the commit (which empties the first stage), read as
	 * they come (store_job_pump) while the loop goes on */
	store_job_arrays(j);
	j->sent[j->nsent++] = STORE_STMT_INSERT_FIRST;
	store_job_add_ends(j);
	/* the commit empties jobwatch_first */
	if (store_job_send(s, j) < 0) {
		store_rollback(s);
		goto out;
	}
	s->job = j;
	m.j = NULL;
	rc = 0;
out:
	store_many_free(&m);
	return rc;
}

/* The stage of several sources' changed polls: each row first with its source. */
static const char STORE_SQL_COPY_MANY[] = "COPY jobwatch_stage (source_id, " STORE_ROW_FIELDS
					  ", seq, row_fingerprint, input_fingerprint) FROM STDIN";
static const char STORE_SQL_COPY_MANY_RANGES[] =
    "COPY jobwatch_stage_ranges (source_id, seq, external_id, ord, label, pay_min, pay_max,"
    " pay_currency, pay_period, pay_period_inferred, pay_source) FROM STDIN";

/* Whether the start of a changed poll found its source as the caller saw it: ours, polled
 * completely before, with postings; then a takes what the start read. */
static bool store_changed_started(struct store_apply *a, const PGresult *lock, const PGresult *poll,
				  const PGresult *fingerprints)
{
	if (PQresultStatus(lock) != PGRES_TUPLES_OK || PQntuples(lock) != 1 ||
	    PQgetvalue(lock, 0, 2)[0] != 't' || PQgetvalue(lock, 0, 1)[0] != 'f' ||
	    PQgetvalue(lock, 0, 3)[0] != 'f' || PQresultStatus(poll) != PGRES_TUPLES_OK ||
	    PQntuples(poll) != 1 || PQresultStatus(fingerprints) != PGRES_TUPLES_OK)
		return false;
	a->source_suspect = PQgetvalue(lock, 0, 0)[0] == 't';
	a->baseline = "f";
	snprintf(a->poll, sizeof(a->poll), "%s", PQgetvalue(poll, 0, 0));
	store_known_read(&a->known, fingerprints);
	a->fingerprints = true;
	return true;
}

enum store_rc store_apply_changed(struct store *s, const struct store_poll *polls,
				  struct posting_list *const *postings, size_t n,
				  const struct store_opts *opts, void *const *ud)
{
	const size_t stride = STORE_START_STRIDE(true);
	struct store_together m;
	struct store_job *j;
	struct buf ranges = BUF_INIT;
	size_t seq = 0, staged = 0;
	bool details = false, lacking = false;
	int rc = -1;

	if (n == 0)
		return 0;
	if (store_many_start(s, &m, polls, n, opts, 1, false, 7 + 2 * n, ud) < 0)
		goto out;
	j = m.j;
	/* else the polls go one by one, each on its own path */
	bool all = PQresultStatus(m.got[0]) == PGRES_COMMAND_OK;
	for (size_t i = 0; i < n && all; i++)
		all = store_changed_started(&j->a[i], m.got[1 + stride * i], m.got[2 + stride * i],
					    m.got[3 + stride * i]);
	if (!all) {
		store_rollback(s);
		goto out;
	}

	/* each snapshot settled against its source's postings, staged, and judged, as
	 * store_stage does for one */
	buf_reset(&s->copy);
	for (size_t i = 0; i < n; i++) {
		struct store_apply *a = &j->a[i];
		size_t sent, rows, absent, dropped = postings[i]->dropped;
		if (postings[i]->later) {
			posting_list_settle(postings[i], store_settle_keep, &a->known);
			a->dropped += postings[i]->dropped - dropped;
		}
		seq = store_stage_rows(&s->copy, &ranges, postings[i], &a->known, a->source, seq,
				       &sent, &rows);
		staged += rows;
		a->postings = sent;
		a->lacking = store_lacking(&a->known, &absent);
		lacking = lacking || a->lacking;
		a->drop = a->known.n > 0 && (double)absent > opts[i].max_drop * (double)a->known.n;
		a->held = a->drop && !a->source_suspect;
		for (size_t k = 0; k < postings[i]->len && !a->details; k++)
			a->details = postings[i]->items[k].detail_ref != NULL;
		details = details || a->details;
	}
	s->stage_dead += staged;
	if ((staged > 0 && store_copy_buf(s, STORE_SQL_COPY_MANY, &s->copy) < 0) ||
	    (ranges.len > 0 && store_copy_buf(s, STORE_SQL_COPY_MANY_RANGES, &ranges) < 0) ||
	    (staged > 0 &&
	     store_stage_analyze(s, staged < STORE_STAGE_STATS_MIN ? STORE_STAGE_STATS_MIN
								   : staged) < 0))
		goto failed;

	/* the diff for all, each poll's end and the commit, read as they come
	 * (store_job_pump) while the loop goes on; with nothing staged, nothing is present
	 * or new */
	store_job_arrays(j);
	j->sent[j->nsent++] = STORE_STMT_NESTLOOP;
	if (staged > 0) {
		if (details)
			j->sent[j->nsent++] = STORE_STMT_KEEP_DETAIL_MANY;
		j->sent[j->nsent++] = STORE_STMT_UPDATE_PRESENT_MANY;
		j->sent[j->nsent++] = STORE_STMT_INSERT_NEW_MANY;
	}
	if (lacking)
		j->sent[j->nsent++] = STORE_STMT_MISS_COMPLETE_MANY;
	j->sent[j->nsent++] = STORE_STMT_POLL_EVENTS_MANY;
	store_job_add_ends(j);
	j->sent[j->nsent++] = STORE_STMT_STAGE_CLEAR;
	if (store_job_send(s, j) < 0)
		goto failed;
	s->job = j;
	m.j = NULL;
	rc = 0;
	goto out;
failed:
	/* The snapshots are settled: their items left unparsed are gone from them, so they
	 * cannot go one by one now (STORE_BATCH_FAILED). */
	j->failed = true;
	s->job = j;
	m.j = NULL;
	store_job_end(s, -1);
	rc = 0;
out:
	store_many_free(&m);
	buf_free(&ranges);
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

bool store_apply_next_done(struct store *s, void **ud, enum store_rc *rc, struct events *ev)
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

/* An unchanged poll (a 304, or the same body) written on its own: its snapshot is the last one,
 * so the diff is one statement that counts the misses; then recovery and the polls row. */
static int store_write_unchanged(struct store *s, const struct store_poll *poll,
				 const struct store_opts *opts, struct events *ev)
{
	struct store_apply a = {0};
	int rc;

	rc = store_start(s, poll, opts, &a);
	if (rc == 0)
		rc = store_count_unchanged_misses(s, &a);
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

enum store_rc store_apply_snapshot(struct store *s, const struct store_poll *poll,
				   struct posting_list *postings, const struct store_opts *opts,
				   struct events *ev)
{
	int rc;

	events_clear(ev);
	if (poll->outcome == STORE_OUTCOME_FAILED)
		return store_record_failure(s, poll, 0, NULL, NULL);
	if (store_prepare(s) < 0)
		return -1;
	if (poll->outcome == STORE_OUTCOME_UNCHANGED)
		return store_write_unchanged(s, poll, opts, ev);
	rc = store_apply_begin(s, poll, postings, opts, ev);
	if (rc < 0)
		return rc;
	store_job_pump(s, true);
	return store_take_done(s, ev, ev);
}
