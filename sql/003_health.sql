-- 003_health.sql - a source's health: failures in a row, since when, the last error, and
-- whether its source_failing / source_stale event has been written, kept in the sources row so
-- that a restarted daemon neither forgets a count nor alerts twice. Source events are events
-- rows without a posting. Retention of polls rows needs an index for the foreign key of
-- posting_versions (ON DELETE SET NULL looks the rows up by poll_id).

ALTER TABLE sources
	ADD COLUMN failures_in_row int NOT NULL DEFAULT 0,
	ADD COLUMN failing_since timestamptz,
	ADD COLUMN failing_reported_at timestamptz,
	ADD COLUMN stale_reported_at timestamptz,
	ADD COLUMN last_error text,
	ADD COLUMN last_error_at timestamptz;
COMMENT ON COLUMN sources.failures_in_row IS
	'failed polls since the last complete (or unchanged) one';
COMMENT ON COLUMN sources.failing_since IS
	'start of the first failed poll of the current run of failures; NULL when the last poll was whole';
COMMENT ON COLUMN sources.failing_reported_at IS
	'when the source_failing event of the current run was written (failures_in_row reached fail_after); NULL otherwise';
COMMENT ON COLUMN sources.stale_reported_at IS
	'when the source_stale event was written (no complete poll for stale_after); NULL until then and after recovery';
COMMENT ON COLUMN sources.last_error IS 'why the last failed poll failed (kept after recovery)';

-- Source events (source_failing, source_recovered, source_stale) have no posting; their
-- new_value is the reason, as in the alert line's reason=.
ALTER TABLE events ALTER COLUMN posting_id DROP NOT NULL;
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN ('new', 'closed',
	'reopened', 'title_changed', 'location_changed', 'department_changed', 'pay_changed',
	'source_failing', 'source_recovered', 'source_stale'));
ALTER TABLE events ADD CONSTRAINT events_posting_check
	CHECK ((posting_id IS NULL) = (kind IN ('source_failing', 'source_recovered', 'source_stale')));
COMMENT ON COLUMN events.posting_id IS 'NULL for the source kinds (source_failing, source_recovered, source_stale)';
COMMENT ON COLUMN events.new_value IS
	'for *_changed: the value after; for source_*: the reason (as reason= of the alert line)';
CREATE INDEX events_source_kind ON events (source_id, kind, at);

-- Retention (poll.polls_retention) deletes old polls rows; each deleted row sets the poll_id of
-- its versions and events to NULL, which needs these lookups to be index scans.
CREATE INDEX posting_versions_poll ON posting_versions (poll_id);
CREATE INDEX polls_started ON polls (started_at);
