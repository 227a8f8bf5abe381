-- 022_events_health_index.sql - index a source's health events only (issue 23).
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
