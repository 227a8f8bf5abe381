-- 015_polls_cascade.sql - the last foreign key checked per insert, polls.source_id, goes the
-- way of those of migration 011.
--
-- Every polls row paid for a check that its source exists: an executor started and the
-- source's row locked, about 36,000 instructions a row (callgrind: 2,400 rows inserted in
-- 171M instructions with the key, 84M without). An unchanged cycle of 1000 boards writes
-- 1000 polls rows in four statements, which took 21.0 ms without the checks and 32.5 ms with
-- them (pg_stat_statements, make bench). jobwatchd writes a polls row only for a source whose row it holds locked (the
-- poll's transaction locks it first; the unchanged batch and a failed poll's statement lock
-- it in the same statement), so the check never found anything. Deleting a source still
-- deletes its polls: the trigger of migration 011 now does it.

ALTER TABLE polls DROP CONSTRAINT polls_source_id_fkey;

CREATE OR REPLACE FUNCTION jobwatch_sources_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM postings p USING gone g WHERE p.source_id = g.id;
	DELETE FROM events e USING gone g WHERE e.source_id = g.id;
	DELETE FROM polls p USING gone g WHERE p.source_id = g.id;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION jobwatch_sources_deleted() IS
	'ON DELETE CASCADE from sources to postings (and so their versions, events and pay ranges), to events (migration 011) and to polls (migration 015)';
