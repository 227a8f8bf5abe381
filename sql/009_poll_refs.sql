-- 009_poll_refs.sql - posting_versions.poll_id and events.poll_id keep no foreign key.
--
-- Every version and event row paid for two foreign-key checks on the poll it came from (one
-- row lookup each, inside the statement that had just inserted that poll): a sixth of the
-- database's time in a cold ingest (make bench). They are weak references anyway: retention
-- deletes old polls rows, and the statement that deletes a batch sets the poll_id of their
-- versions and events to NULL itself, as ON DELETE SET NULL did. The foreign keys that carry
-- history (postings to sources, versions, events and pay ranges to postings, events to
-- sources) stay, with their ON DELETE CASCADE.

ALTER TABLE posting_versions DROP CONSTRAINT posting_versions_poll_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_poll_id_fkey;
COMMENT ON COLUMN posting_versions.poll_id IS
	'the poll that saw this state (polls.id); NULL once retention has deleted that poll';
COMMENT ON COLUMN events.poll_id IS
	'the poll that found this change (polls.id); NULL once retention has deleted that poll';
