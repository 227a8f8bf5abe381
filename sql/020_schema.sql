-- 020_schema.sql - jobwatch's schema: the history jobwatchd keeps in PostgreSQL and the views
-- psql users read it through. jobwatch(7) describes them for those users.
--
-- Read it in order: the tables (sources, then what a poll writes: polls, postings, their
-- versions, events and pay ranges, then the daemons), the functions (pay written as text,
-- deletes that cascade), then the views.
--
-- This file is version 20: it stands for the migrations 001 to 020 that built the schema step
-- by step before any database was deployed outside tests. A database those files built has
-- versions 1 to 20 in schema_migrations and so skips it; a fresh one gets it whole. The schema
-- changes from here on only by a new numbered file (021_….sql, applied after this one by
-- src/store_migrate.c), never by editing this one: table, column and view names are an
-- interface. schema_migrations itself is made by the store before the first file runs.
--
-- Timestamps are timestamptz; the daemon's sessions run in UTC.
--
-- The references between tables (a poll, posting, version, event or pay range to its source or
-- posting) have no foreign key. jobwatchd writes those rows only with the ids of rows it holds
-- locked in the same transaction, so a check per inserted row (an executor started, a parent
-- row locked) would cost a large share of a cold ingest and never find anything. What a
-- foreign key gave psql users, ON DELETE CASCADE, the triggers of "Deletes that cascade" give:
-- DELETE FROM sources WHERE name = '…' removes its polls, postings, versions, events and pay
-- ranges. TRUNCATE fires no delete trigger: truncate the dependent tables with it.

-- ---- Tables ----

-- One row per source (a careers page or job-board API) a configuration has named. It holds
-- what the next poll needs: the validators and body digest that let it skip an unchanged
-- board, the source's health, what a type auto page was found to be, the lease of the daemon
-- polling it, and counts of its postings.
--
-- The row is updated a few times a poll (the lease taken, the outcome, the lease given back)
-- and about doubles in size at its first poll. Filled to a fifth, a page keeps room for the
-- next versions of all its rows, so that an update stays in its page (a HOT update: no new
-- index entries, the old version pruned on the way). sources has one row per board, so the
-- room costs little.
CREATE TABLE sources (
	id bigserial PRIMARY KEY,
	name text NOT NULL UNIQUE,
	type text NOT NULL,
	url text,
	-- the last complete poll's validators and body digest
	etag text,
	last_modified text,
	body_sha256 text,
	suspect boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	last_poll_at timestamptz,
	last_complete_at timestamptz,
	-- health, kept here so that a restarted daemon neither forgets a count nor alerts twice
	failures_in_row int NOT NULL DEFAULT 0,
	failing_since timestamptz,
	failing_reported_at timestamptz,
	stale_reported_at timestamptz,
	last_error text,
	last_error_at timestamptz,
	-- type auto: what the page was found to be, so that it is read once, not at every poll;
	-- the store clears these when the configured type or url changes
	detected_type text,
	detected_url text,
	detected_at timestamptz,
	-- many daemons, one database: a daemon claims a source's lease before it polls it
	-- (SELECT … FOR UPDATE SKIP LOCKED), renews it while the poll runs and gives it up when
	-- the poll is stored, setting next_due; a lease its daemon stopped renewing expires. The
	-- transaction that stores a poll checks that its daemon still holds the lease.
	next_due timestamptz,
	lease_owner text,
	lease_expires timestamptz,
	-- what an unchanged poll needs to know of the postings, so that the statement writing
	-- many unchanged polls at once reads no postings
	open_postings int,
	missing_postings int,
	lease_at timestamptz,
	removed_at timestamptz
) WITH (fillfactor = 20);
-- Marks the index a bare CLUSTER sources rewrites the rows by (at the fill above).
ALTER TABLE sources CLUSTER ON sources_pkey;
COMMENT ON COLUMN sources.suspect IS
	'the last complete poll dropped more than max_drop of the open postings; closing waits for a second poll to confirm';
COMMENT ON COLUMN sources.last_complete_at IS
	'NULL until the first complete poll: that one is the baseline and raises no alerts';
COMMENT ON COLUMN sources.failures_in_row IS
	'failed polls since the last complete (or unchanged) one';
COMMENT ON COLUMN sources.failing_since IS
	'start of the first failed poll of the current run of failures; NULL when the last poll was whole';
COMMENT ON COLUMN sources.failing_reported_at IS
	'when the source_failing event of the current run was written (failures_in_row reached fail_after); NULL otherwise';
COMMENT ON COLUMN sources.stale_reported_at IS
	'when the source_stale event was written (no complete poll for stale_after); NULL until then and after recovery';
COMMENT ON COLUMN sources.last_error IS 'why the last failed poll failed (kept after recovery)';
COMMENT ON COLUMN sources.detected_type IS
	'type auto: the adapter its page was recognised as (jsonld, greenhouse, lever, ...); NULL until detected';
COMMENT ON COLUMN sources.detected_url IS
	'type auto: the URL that adapter polls (the page itself for jsonld, else the board''s API)';
COMMENT ON COLUMN sources.detected_at IS
	'when the page was read and recognised';
COMMENT ON COLUMN sources.next_due IS
	'when the source is next due, set by the daemon that polled it last; NULL: due now';
COMMENT ON COLUMN sources.lease_owner IS
	'instances.id of the daemon polling the source now; the lease counts until lease_expires';
COMMENT ON COLUMN sources.open_postings IS 'open postings after the last poll that counted them';
COMMENT ON COLUMN sources.missing_postings IS
	'of those, how many the last complete poll did not show (misses > 0); NULL: not counted yet';
COMMENT ON COLUMN sources.lease_at IS
	'when lease_owner took the lease: how long its poll has been running';
COMMENT ON COLUMN sources.removed_at IS
	'when a daemon started (or reloaded) with a configuration that no longer names the source; NULL while configured';

-- Every poll, failed ones included, with what it saw and what it changed. Retention
-- (poll.polls_retention) deletes old rows.
CREATE TABLE polls (
	id bigserial PRIMARY KEY,
	source_id bigint NOT NULL,
	started_at timestamptz NOT NULL,
	finished_at timestamptz,
	http_status int,
	outcome text NOT NULL CHECK (outcome IN ('complete', 'unchanged', 'partial', 'failed')),
	stop text,
	pages int,
	postings int,
	new int,
	closed int,
	reopened int,
	changed int,
	dropped int,
	suspect boolean NOT NULL DEFAULT false,
	error text
);
COMMENT ON COLUMN polls.outcome IS
	'complete: the whole board; unchanged: the same body again; partial: part of a board (see stop), stored, nothing closed; failed: nothing stored';
COMMENT ON COLUMN polls.stop IS 'why paging stopped: complete, ceiling, error';
COMMENT ON COLUMN polls.changed IS 'postings with a title, location, department or pay change';
COMMENT ON COLUMN polls.dropped IS 'malformed postings the adapter skipped';
COMMENT ON COLUMN polls.suspect IS 'this poll dropped more than max_drop of the board: nothing was closed';
CREATE INDEX polls_source_started ON polls (source_id, started_at);
-- retention finds the old polls by their start
CREATE INDEX polls_started ON polls (started_at);

-- Every posting a source has ever shown, as it is now; closed_at is NULL while it is open.
-- The pay_* columns hold the first range it states (what alerts and open_postings read);
-- pay_ranges holds them all. A complete poll writes a posting only when it changes, reopens
-- or ends a run of misses, so last_seen of the others lags (see its comment).
--
-- For Eightfold, Workday and SmartRecruiters the list row lacks the description: it and the
-- pay come from one detail request per posting (the detail_* columns), read within a per-poll
-- budget. Until then the pay is unknown, which is not "states no pay": pay_known says which.
CREATE TABLE postings (
	id bigserial PRIMARY KEY,
	source_id bigint NOT NULL,
	external_id text NOT NULL,
	title text,
	department text,
	location text,
	url text,
	pay_min numeric,
	pay_max numeric,
	pay_currency text CHECK (pay_currency ~ '^[A-Z]{3}$'),
	pay_period text CHECK (pay_period IN ('hour', 'day', 'week', 'month', 'year')),
	pay_text text,
	pay_source text,
	pay_min_yearly numeric,
	pay_max_yearly numeric,
	digest text,
	first_seen timestamptz NOT NULL,
	last_seen timestamptz NOT NULL,
	closed_at timestamptz,
	misses int NOT NULL DEFAULT 0,
	pay_period_inferred boolean NOT NULL DEFAULT false,
	pay_ranges_text text,
	pay_known boolean NOT NULL DEFAULT true,
	detail_ref text,
	detail_key text,
	detail_read_at timestamptz,
	detail_wanted boolean NOT NULL DEFAULT false,
	detail_error text,
	detail_failures int NOT NULL DEFAULT 0,
	detail_retry_at timestamptz,
	UNIQUE (source_id, external_id)
);
COMMENT ON COLUMN postings.digest IS 'SHA-256 of the description text';
COMMENT ON COLUMN postings.last_seen IS
	'the last poll that wrote this posting: one that changed it, reopened it or ended its misses, or a partial poll that read it; for an open posting with misses = 0 the source''s last_complete_at is later when complete polls since showed it unchanged (open_postings.last_seen has the later)';
COMMENT ON COLUMN postings.misses IS 'complete polls in a row that did not show this posting';
COMMENT ON COLUMN postings.pay_min_yearly IS 'pay_yearly(pay_min, pay_period)';
COMMENT ON COLUMN postings.pay_period_inferred IS
	'true when no period was written and pay_period was inferred from the magnitude (or the source''s convention)';
COMMENT ON COLUMN postings.pay_ranges_text IS
	'every stated range as text: pay_format() of the one range, or "label: range; label: range" for several';
COMMENT ON COLUMN postings.pay_known IS
	'false while the posting''s detail (which states its pay) has not been read: pay unknown, not "none stated"';
COMMENT ON COLUMN postings.detail_ref IS
	'what the adapter needs to request the posting''s detail (Workday''s externalPath, an id); NULL when the list row carries the description';
COMMENT ON COLUMN postings.detail_key IS
	'the list row''s mark of a change (Eightfold''s t_update …); when it moves, the detail is read again';
COMMENT ON COLUMN postings.detail_read_at IS 'when the detail was last read whole';
COMMENT ON COLUMN postings.detail_wanted IS
	'the list row changed (title, location, detail_key) or reopened since the detail was read';
COMMENT ON COLUMN postings.detail_error IS
	'why the last detail read failed (HTTP 404, a body of another shape …); NULL after a good read';
COMMENT ON COLUMN postings.detail_retry_at IS 'no detail read is tried before this';
-- The diff walks a source's open postings on every poll.
CREATE INDEX postings_open ON postings (source_id) WHERE closed_at IS NULL;
-- A poll's detail reads look for the open postings of its source that have a detail.
CREATE INDEX postings_detail ON postings (source_id)
	WHERE detail_ref IS NOT NULL AND closed_at IS NULL;

-- Every distinct state of a posting: its first, and one more for each change of any field or
-- of the description digest. Append-only.
CREATE TABLE posting_versions (
	id bigserial PRIMARY KEY,
	posting_id bigint NOT NULL,
	valid_from timestamptz NOT NULL,
	poll_id bigint,
	title text,
	department text,
	location text,
	url text,
	pay_min numeric,
	pay_max numeric,
	pay_currency text,
	pay_period text,
	pay_text text,
	digest text,
	pay_ranges_text text
);
COMMENT ON COLUMN posting_versions.poll_id IS
	'the poll that saw this state (polls.id); NULL once retention has deleted that poll';
CREATE INDEX posting_versions_posting ON posting_versions (posting_id, valid_from);
-- retention sets poll_id to NULL in the versions of the polls it deletes
CREATE INDEX posting_versions_poll ON posting_versions (poll_id);

-- Every change jobwatch saw: of a posting (new … pay_changed) or of a source's health
-- (source_failing, source_recovered, source_stale: no posting). baseline marks the events of
-- a source's first complete poll, which are stored but not alerted. A "new" event of a posting
-- whose pay comes from its detail waits with alert_pending, so that its alert line carries
-- the pay. Append-only.
CREATE TABLE events (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL,
	source_id bigint NOT NULL,
	posting_id bigint,
	poll_id bigint,
	kind text NOT NULL CHECK (kind IN ('new', 'closed', 'reopened', 'title_changed',
		'location_changed', 'department_changed', 'pay_changed',
		'source_failing', 'source_recovered', 'source_stale')),
	old_value text,
	new_value text,
	baseline boolean NOT NULL DEFAULT false,
	alert_pending boolean NOT NULL DEFAULT false,
	alert_due timestamptz,
	CONSTRAINT events_posting_check
		CHECK ((posting_id IS NULL) = (kind IN ('source_failing', 'source_recovered', 'source_stale')))
);
COMMENT ON COLUMN events.posting_id IS 'NULL for the source kinds (source_failing, source_recovered, source_stale)';
COMMENT ON COLUMN events.poll_id IS
	'the poll that found this change (polls.id); NULL once retention has deleted that poll';
COMMENT ON COLUMN events.old_value IS 'for *_changed: the value before; pay as pay_format() text';
COMMENT ON COLUMN events.new_value IS
	'for *_changed: the value after; for source_*: the reason (as reason= of the alert line)';
COMMENT ON COLUMN events.alert_pending IS
	'a "new" event whose alert waits for the posting''s detail (its pay), until alert_due at the latest';
CREATE INDEX events_at ON events (at);
CREATE INDEX events_posting ON events (posting_id);
-- The store reads back a poll's events at the end of its transaction; retention sets their
-- poll_id to NULL.
CREATE INDEX events_poll ON events (poll_id);
-- a source's last health event of a kind
CREATE INDEX events_source_kind ON events (source_id, kind, at);
-- the alerts that wait, per source
CREATE INDEX events_alert_pending ON events (source_id) WHERE alert_pending;

-- Every pay range a posting states now, in the order stated: Greenhouse's pay_input_ranges
-- per location, Ashby's compensation tiers, "San Francisco: $X-$Y; Remote: $A-$B" in a
-- description. postings.pay_ranges_text is all of them as one text, which the diff compares and
-- pay_changed events carry, so a change of any range is an event.
--
-- The yearly figures are written by the statements that write the ranges, as for postings,
-- not generated by the table: a stored generated column makes every inserting statement build
-- its expression afresh.
CREATE TABLE pay_ranges (
	posting_id bigint NOT NULL,
	ord int NOT NULL,
	label text,
	pay_min numeric,
	pay_max numeric,
	pay_currency text CHECK (pay_currency ~ '^[A-Z]{3}$'),
	pay_period text CHECK (pay_period IN ('hour', 'day', 'week', 'month', 'year')),
	pay_period_inferred boolean NOT NULL DEFAULT false,
	pay_source text,
	pay_min_yearly numeric,
	pay_max_yearly numeric
);
COMMENT ON TABLE pay_ranges IS
	'every pay range a posting states now, in order (ord 1 is the posting''s own pay); replaced whole when any range changes';
COMMENT ON COLUMN pay_ranges.label IS
	'the tier, location or component the source names the range for; NULL when unnamed';
COMMENT ON COLUMN pay_ranges.pay_min_yearly IS 'pay_yearly(pay_min, pay_period)';
COMMENT ON COLUMN pay_ranges.pay_max_yearly IS 'pay_yearly(pay_max, pay_period)';
-- Not unique on (posting_id, ord): the diff deletes and re-inserts a posting's ranges in one
-- statement, where a unique index would see the old rows.
CREATE INDEX pay_ranges_posting ON pay_ranges (posting_id, ord);

-- One row per daemon that has run against this database, refreshed while it runs.
CREATE TABLE instances (
	id text PRIMARY KEY,
	host text NOT NULL,
	pid int NOT NULL,
	version text,
	started_at timestamptz NOT NULL DEFAULT now(),
	heartbeat_at timestamptz NOT NULL DEFAULT now(),
	stopped_at timestamptz,
	status text
);
COMMENT ON TABLE instances IS
	'every jobwatchd that has used this database; alive while heartbeat_at is recent and stopped_at NULL';
COMMENT ON COLUMN instances.status IS 'what the daemon last said it was doing (its STATUS= line)';

-- No planner statistics for the wide text that no query of jobwatch's compares, and none a
-- reader makes selective: links, digests, pay sentences, the old and new values of events.
-- Autovacuum's ANALYZE would sort a sample of each for nothing. The columns people select
-- postings by (title, department, location, the amounts) keep theirs in postings.
ALTER TABLE postings
	ALTER COLUMN url SET STATISTICS 0,
	ALTER COLUMN pay_text SET STATISTICS 0,
	ALTER COLUMN pay_ranges_text SET STATISTICS 0,
	ALTER COLUMN digest SET STATISTICS 0;
ALTER TABLE posting_versions
	ALTER COLUMN title SET STATISTICS 0,
	ALTER COLUMN department SET STATISTICS 0,
	ALTER COLUMN location SET STATISTICS 0,
	ALTER COLUMN url SET STATISTICS 0,
	ALTER COLUMN pay_currency SET STATISTICS 0,
	ALTER COLUMN pay_period SET STATISTICS 0,
	ALTER COLUMN pay_text SET STATISTICS 0,
	ALTER COLUMN pay_ranges_text SET STATISTICS 0,
	ALTER COLUMN digest SET STATISTICS 0;
ALTER TABLE events
	ALTER COLUMN old_value SET STATISTICS 0,
	ALTER COLUMN new_value SET STATISTICS 0;

-- ---- Pay as text ----

-- Pay amounts per period to a yearly figure. Mirrors PAY_*_PER_YEAR in include/pay.h: one set
-- of annualising constants for every consumer. NULL for an unknown period.
CREATE FUNCTION pay_yearly(amount numeric, period text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN amount * CASE period
	WHEN 'hour' THEN 2080
	WHEN 'day' THEN 260
	WHEN 'week' THEN 52
	WHEN 'month' THEN 12
	WHEN 'year' THEN 1
END;
COMMENT ON FUNCTION pay_yearly(numeric, text) IS
	'amount per period as a yearly figure: 2080 hours, 260 days, 52 weeks, 12 months (include/pay.h)';

-- One amount as pay_format() in src/pay.c writes it: whole numbers without decimals.
CREATE FUNCTION pay_amount_text(amount numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN amount = trunc(amount) THEN trunc(amount)::text
	ELSE round(amount, 2)::text END;

-- A range as pay_format() in src/pay.c writes it ("USD 100000-120000/year", "EUR -60000/year"
-- for "up to", "" when no amount is stated), so that events written here and alert lines
-- written in C read the same.
CREATE FUNCTION pay_format(pay_min numeric, pay_max numeric, currency text, period text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
	WHEN pay_min IS NULL AND pay_max IS NULL THEN ''
	ELSE coalesce(nullif(currency, '') || ' ', '')
		|| CASE WHEN pay_min = pay_max THEN pay_amount_text(pay_min)
			ELSE coalesce(pay_amount_text(pay_min), '') || '-'
				|| coalesce(pay_amount_text(pay_max), '') END
		|| coalesce('/' || period, '')
END;
COMMENT ON FUNCTION pay_format(numeric, numeric, text, text) IS
	'a pay range as text, like "USD 100000-120000/year"; empty when no amount is stated';

-- ---- Deletes that cascade ----

-- One statement-level trigger per delete does what ON DELETE CASCADE would (see the top of
-- the file for why there is no foreign key).
CREATE FUNCTION jobwatch_postings_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM posting_versions v USING gone g WHERE v.posting_id = g.id;
	DELETE FROM events e USING gone g WHERE e.posting_id = g.id;
	DELETE FROM pay_ranges r USING gone g WHERE r.posting_id = g.id;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION jobwatch_postings_deleted() IS
	'ON DELETE CASCADE from postings to posting_versions, events and pay_ranges';
CREATE TRIGGER postings_cascade AFTER DELETE ON postings
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
	EXECUTE FUNCTION jobwatch_postings_deleted();

CREATE FUNCTION jobwatch_sources_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM postings p USING gone g WHERE p.source_id = g.id;
	DELETE FROM events e USING gone g WHERE e.source_id = g.id;
	DELETE FROM polls p USING gone g WHERE p.source_id = g.id;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION jobwatch_sources_deleted() IS
	'ON DELETE CASCADE from sources to postings (and so their versions, events and pay ranges), to events and to polls';
CREATE TRIGGER sources_cascade AFTER DELETE ON sources
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
	EXECUTE FUNCTION jobwatch_sources_deleted();

-- ---- Views ----
--
-- Each names the source and writes pay as pay_format() text; pay not read yet (pay_known
-- false) shows as "unknown", never as no pay. The views about what is watched now leave out
-- the sources a configuration no longer names (removed_at set); those keep their history in
-- the tables and in the views of history (new_postings, pay_history, pay_changes,
-- time_to_close, reopened_postings). Examples:
--   SELECT * FROM open_roles_by_source ORDER BY open DESC;
--   SELECT source, title, pay FROM new_postings
--    WHERE first_seen > now() - interval '7 days' AND NOT baseline;
--   SELECT DISTINCT source, title FROM open_pay_ranges WHERE pay_max_yearly >= 200000;
--   SELECT source, title, old_pay, new_pay, at FROM pay_changes ORDER BY at DESC LIMIT 20;
--   SELECT source, avg(open_for) FROM time_to_close GROUP BY source;
--   SELECT * FROM source_health WHERE failing OR stale;
--   SELECT * FROM posting_details WHERE unread > 0 OR failing > 0;

-- open_postings: what every source shows now, one row per open posting, with the pay range as
-- text and as yearly figures. A posting a complete poll showed unchanged was seen at the
-- source's last complete poll: last_seen is the later of the two.
CREATE VIEW open_postings AS
SELECT p.id, s.name AS source, p.external_id, p.title, p.department, p.location, p.url,
	CASE WHEN p.pay_known THEN pay_format(p.pay_min, p.pay_max, p.pay_currency, p.pay_period)
		ELSE 'unknown' END AS pay,
	p.pay_min, p.pay_max, p.pay_currency, p.pay_period, p.pay_min_yearly, p.pay_max_yearly,
	p.pay_text, p.first_seen,
	CASE WHEN p.misses = 0 AND s.last_complete_at > p.last_seen THEN s.last_complete_at
		ELSE p.last_seen END AS last_seen,
	p.misses, p.pay_known
FROM postings p
JOIN sources s ON s.id = p.source_id
WHERE p.closed_at IS NULL AND s.removed_at IS NULL;
COMMENT ON VIEW open_postings IS
	'open postings of every source with the source''s name; pay as text and yearly figures';

-- open_pay_ranges: every range of every open posting, with the posting's title, as text and
-- yearly figures.
CREATE VIEW open_pay_ranges AS
SELECT p.id AS posting_id, s.name AS source, p.external_id, p.title, p.location, r.ord,
	r.label, pay_format(r.pay_min, r.pay_max, r.pay_currency, r.pay_period) AS pay,
	r.pay_min, r.pay_max, r.pay_currency, r.pay_period, r.pay_period_inferred,
	r.pay_min_yearly, r.pay_max_yearly, r.pay_source
FROM pay_ranges r
JOIN postings p ON p.id = r.posting_id
JOIN sources s ON s.id = p.source_id
WHERE p.closed_at IS NULL AND s.removed_at IS NULL;
COMMENT ON VIEW open_pay_ranges IS
	'every stated pay range of every open posting, one row per range, in the order stated';

-- open_roles_by_source: every source with how many postings it shows now, how many of them
-- state pay and how many have pay not read yet. Sources with no open posting are listed
-- with 0.
CREATE VIEW open_roles_by_source AS
SELECT s.name AS source, s.type,
	count(p.id) AS open,
	count(p.id) FILTER (WHERE p.pay_min IS NOT NULL OR p.pay_max IS NOT NULL) AS with_pay,
	count(p.id) FILTER (WHERE NOT p.pay_known) AS pay_unknown
FROM sources s
LEFT JOIN postings p ON p.source_id = s.id AND p.closed_at IS NULL
WHERE s.removed_at IS NULL
GROUP BY s.id, s.name, s.type;
COMMENT ON VIEW open_roles_by_source IS
	'per source: open postings now, how many of them state pay, and how many have pay not read yet';

-- new_postings: every posting with the time it was first seen, open or not. baseline is true
-- for the postings of a source's first complete poll: they were there before jobwatch looked,
-- so "new in the last 7 days" wants NOT baseline.
CREATE VIEW new_postings AS
SELECT p.id, s.name AS source, p.external_id, p.title, p.department, p.location, p.url,
	CASE WHEN p.pay_known THEN pay_format(p.pay_min, p.pay_max, p.pay_currency, p.pay_period)
		ELSE 'unknown' END AS pay,
	p.pay_min_yearly, p.pay_max_yearly, p.first_seen, p.closed_at,
	coalesce(e.baseline, false) AS baseline, p.pay_known
FROM postings p
JOIN sources s ON s.id = p.source_id
LEFT JOIN LATERAL (SELECT ev.baseline FROM events ev
	WHERE ev.posting_id = p.id AND ev.kind = 'new' ORDER BY ev.id LIMIT 1) e ON true;
COMMENT ON VIEW new_postings IS
	'every posting with first_seen; baseline: seen in the source''s first poll (not new)';

-- pay_history: every pay range a posting has had, one row per distinct pay state (versions
-- that changed other fields only are folded into the pay state they kept), with the time it
-- was first seen (valid_from) and the time a different pay state replaced it (valid_to, NULL
-- while current). A stretch without stated pay ends the range before it but is not listed.
CREATE VIEW pay_history AS
WITH v AS (
	SELECT pv.id, pv.posting_id, pv.valid_from, pv.poll_id, pv.title, pv.department,
		pv.location, pv.url, pv.pay_min, pv.pay_max, pv.pay_currency, pv.pay_period,
		pv.pay_text, pv.digest,
		lag(pv.id) OVER w IS NULL
		OR ROW(pv.pay_min, pv.pay_max, pv.pay_currency, pv.pay_period) IS DISTINCT FROM
			lag(ROW(pv.pay_min, pv.pay_max, pv.pay_currency, pv.pay_period)) OVER w
			AS starts
	FROM posting_versions pv
	WINDOW w AS (PARTITION BY pv.posting_id ORDER BY pv.valid_from, pv.id)
), states AS (
	SELECT v.*, lead(v.valid_from) OVER (PARTITION BY v.posting_id
		ORDER BY v.valid_from, v.id) AS valid_to
	FROM v
	WHERE v.starts
)
SELECT st.posting_id, s.name AS source, p.external_id, p.title,
	pay_format(st.pay_min, st.pay_max, st.pay_currency, st.pay_period) AS pay,
	st.pay_min, st.pay_max, st.pay_currency, st.pay_period,
	pay_yearly(st.pay_min, st.pay_period) AS pay_min_yearly,
	pay_yearly(st.pay_max, st.pay_period) AS pay_max_yearly,
	st.valid_from, st.valid_to
FROM states st
JOIN postings p ON p.id = st.posting_id
JOIN sources s ON s.id = p.source_id
WHERE st.pay_min IS NOT NULL OR st.pay_max IS NOT NULL;
COMMENT ON VIEW pay_history IS
	'every pay range each posting has had, with valid_from and valid_to (NULL while current)';

-- pay_changes: every pay change, with the ranges before and after as text.
CREATE VIEW pay_changes AS
SELECT e.id, e.at, s.name AS source, e.posting_id, p.external_id, p.title,
	e.old_value AS old_pay, e.new_value AS new_pay
FROM events e
JOIN postings p ON p.id = e.posting_id
JOIN sources s ON s.id = e.source_id
WHERE e.kind = 'pay_changed';
COMMENT ON VIEW pay_changes IS 'every pay change of a posting, old and new range as text';

-- time_to_close: postings that are closed now, with how long they were up (from first seen to
-- closed; a posting that closed, reopened and closed again counts the whole stretch).
CREATE VIEW time_to_close AS
SELECT p.id AS posting_id, s.name AS source, p.external_id, p.title, p.first_seen,
	p.closed_at, p.closed_at - p.first_seen AS open_for
FROM postings p
JOIN sources s ON s.id = p.source_id
WHERE p.closed_at IS NOT NULL;
COMMENT ON VIEW time_to_close IS 'closed postings: first_seen, closed_at and the interval between';

-- reopened_postings: postings that came back after being closed, one row each, with how many
-- times and when last; closed_at is NULL when the posting is open now.
CREATE VIEW reopened_postings AS
SELECT p.id AS posting_id, s.name AS source, p.external_id, p.title,
	count(*) AS reopened, max(e.at) AS last_reopened_at, p.closed_at
FROM events e
JOIN postings p ON p.id = e.posting_id
JOIN sources s ON s.id = p.source_id
WHERE e.kind = 'reopened'
GROUP BY p.id, s.name, p.external_id, p.title, p.closed_at;
COMMENT ON VIEW reopened_postings IS 'postings seen again after closing: how often, when last';

-- posting_details: per source with detail reads, its open postings with a detail: not read
-- yet, changed since read, failing, and one of the errors.
CREATE VIEW posting_details AS
SELECT s.name AS source, s.type,
	count(p.id) AS with_detail,
	count(p.id) FILTER (WHERE p.detail_read_at IS NULL) AS unread,
	count(p.id) FILTER (WHERE p.detail_wanted) AS changed,
	count(p.id) FILTER (WHERE p.detail_error IS NOT NULL) AS failing,
	min(p.detail_read_at) AS oldest_read,
	(array_agg(p.detail_error ORDER BY p.id) FILTER (WHERE p.detail_error IS NOT NULL))[1]
		AS an_error
FROM sources s
JOIN postings p ON p.source_id = s.id AND p.closed_at IS NULL AND p.detail_ref IS NOT NULL
WHERE s.removed_at IS NULL
GROUP BY s.id, s.name, s.type;
COMMENT ON VIEW posting_details IS
	'per source with detail reads: open postings with a detail, not read yet, changed since read, failing, and one error';

-- source_health: per source, its last poll and last complete poll, failed polls in a row and
-- since when, whether it is failing (a source_failing event was written: failures_in_row
-- reached poll.fail_after) or stale (a source_stale event was written: no complete poll for
-- poll.stale_after), and the last error.
CREATE VIEW source_health AS
SELECT s.name AS source, s.type, s.last_poll_at, s.last_complete_at,
	now() - s.last_complete_at AS since_complete,
	s.failures_in_row, s.failing_since,
	s.failing_reported_at IS NOT NULL AS failing,
	s.stale_reported_at IS NOT NULL AS stale,
	s.last_error, s.last_error_at
FROM sources s
WHERE s.removed_at IS NULL;
COMMENT ON VIEW source_health IS
	'per source: last poll, last complete poll, failures in a row, failing, stale, last error';

-- source_leases: every source with its lease (while it runs) and when it is next due.
CREATE VIEW source_leases AS
SELECT s.name AS source, s.type, s.lease_owner,
	CASE WHEN s.lease_expires > now() THEN s.lease_expires END AS lease_expires,
	s.next_due, s.last_poll_at, s.last_complete_at
FROM sources s
WHERE s.removed_at IS NULL;
COMMENT ON VIEW source_leases IS
	'who polls each source now (lease_owner while the lease runs) and when it is next due';

-- instance_status: the daemons, whether they are alive (a heartbeat within a minute), and what
-- each is polling now. jobwatchd --status prints it.
CREATE VIEW instance_status AS
SELECT i.id, i.host, i.pid, i.version, i.started_at, i.heartbeat_at,
	i.stopped_at IS NULL AND i.heartbeat_at > now() - interval '60 seconds' AS alive,
	i.status,
	(SELECT count(*) FROM sources s
	 WHERE s.lease_owner = i.id AND s.lease_expires > now()) AS leases,
	(SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM sources s
	 WHERE s.lease_owner = i.id AND s.lease_expires > now()) AS polling
FROM instances i;
COMMENT ON VIEW instance_status IS
	'daemons sharing this database: alive or not, and the sources each holds a lease on';
