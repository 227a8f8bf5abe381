-- 022_lighter_indexes.sql - fewer index entries for each posting a poll writes (issue 23).
--
-- Every new posting writes a row to postings, posting_versions and events, and an entry in
-- each of their indexes; on a cold ingest those entries are most of the database's time. Two
-- indexes held an entry per posting for readers that need far less.
--
-- events_source_kind (source_id, kind, at) held an entry for every event, while the one
-- statement that reads it, the delete that cascades from sources, needs a source's health
-- events (source_failing, source_recovered, source_stale) only: the events of its postings are
-- gone with the postings by then, and are found by posting (events_posting) and by poll
-- (events_poll). An entry with a text key in its middle for each "new", "closed" and
-- *_changed event was the dearest index a poll wrote: one posting event in five of the
-- events' insert time on a cold ingest. Health events are a few per failing source.

DROP INDEX events_source_kind;
CREATE INDEX events_source_health ON events (source_id, kind, at) WHERE posting_id IS NULL;
COMMENT ON INDEX events_source_health IS
	'a source''s health events (source_failing, source_recovered, source_stale), by kind and time';

-- The events left to a deleted source once its postings' cascade has run are its health
-- events: the condition lets the delete use the index above.
CREATE OR REPLACE FUNCTION jobwatch_sources_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM postings p USING gone g WHERE p.source_id = g.id;
	DELETE FROM events e USING gone g WHERE e.source_id = g.id AND e.posting_id IS NULL;
	DELETE FROM polls p USING gone g WHERE p.source_id = g.id;
	RETURN NULL;
END
$$;

-- posting_versions_poll (a B-tree on poll_id) served one statement, the retention that sets
-- poll_id to NULL in the versions of the polls it deletes: the oldest polls, whose versions
-- were written together near the start of the table. A BRIN index, one summary of the poll ids
-- per 128 pages, finds them as well (STORE_SQL_PRUNE_POLLS asks for their range of ids) and
-- costs a version nothing to write: 0.1 ms less of the database's time for every 100 versions
-- inserted. autosummarize summarizes each range of pages as it fills, so that the ranges not
-- yet summarized, which every scan reads, stay few.
DROP INDEX posting_versions_poll;
CREATE INDEX posting_versions_poll ON posting_versions USING brin (poll_id)
	WITH (autosummarize = on);
COMMENT ON INDEX posting_versions_poll IS
	'the poll ids of the versions, per range of pages (BRIN): retention finds a deleted poll''s versions';
