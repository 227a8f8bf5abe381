-- 011_cascade_triggers.sql - deleting a source or a posting still deletes what hangs off it,
-- but by one statement-level trigger per delete instead of a foreign key checked per insert.
--
-- Every posting row, version, event and pay range paid for a foreign-key check when it was
-- inserted: an executor started and a parent row locked, five times per new posting. In a
-- cold ingest that was a fifth of the database's CPU (make bench). jobwatchd inserts these
-- rows only with the ids of rows it holds locked in the same transaction (the source is
-- locked for the whole poll, a posting by the statement that inserts or updates it), so the
-- checks never found anything. What the foreign keys also gave psql users, ON DELETE CASCADE,
-- is kept by the triggers below: DELETE FROM sources WHERE name = '…' removes the source's
-- polls (that foreign key stays), postings, versions, events and pay ranges, as before.
-- TRUNCATE fires no delete trigger: truncate the dependent tables with it.

ALTER TABLE postings DROP CONSTRAINT postings_source_id_fkey;
ALTER TABLE posting_versions DROP CONSTRAINT posting_versions_posting_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_source_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_posting_id_fkey;
ALTER TABLE pay_ranges DROP CONSTRAINT pay_ranges_posting_id_fkey;

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
	'ON DELETE CASCADE from postings to posting_versions, events and pay_ranges (migration 011)';
CREATE TRIGGER postings_cascade AFTER DELETE ON postings
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
	EXECUTE FUNCTION jobwatch_postings_deleted();

CREATE FUNCTION jobwatch_sources_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM postings p USING gone g WHERE p.source_id = g.id;
	DELETE FROM events e USING gone g WHERE e.source_id = g.id;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION jobwatch_sources_deleted() IS
	'ON DELETE CASCADE from sources to postings (and so their versions, events and pay ranges) and to events (migration 011)';
CREATE TRIGGER sources_cascade AFTER DELETE ON sources
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
	EXECUTE FUNCTION jobwatch_sources_deleted();
