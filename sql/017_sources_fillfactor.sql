-- 017_sources_fillfactor.sql - room in sources' pages for rows that grow after their first poll.
--
-- A source's row is inserted with its name, type and url (about 140 bytes with its header) and
-- about doubles at its first poll (validators, body digest, lease, times and counts: about
-- 300). Migration 013 filled pages to half with the small rows; once they grew, a page had no
-- room for the next versions of all its rows, which a statement of a cycle (the claim, the
-- unchanged batch) writes at once: in the unchanged cycle after a cold ingest of 1000 boards
-- (make bench) 863 of the 3,000 updates of sources rows moved the row to another page, with
-- two new index entries and a lock record each. Filled to a fifth, none did: the cycle's WAL
-- 1,233,968 -> 844,392 bytes, its statements 70.8 and 47.3 ms -> 41.5 and 38.2 ms (two runs
-- of each, pg_stat_statements). sources is one row per configured board: 10,000 boards take
-- about 9 MB. CLUSTER rewrites the existing rows at the new fill, as 013 did.
ALTER TABLE sources SET (fillfactor = 20);
CLUSTER sources USING sources_pkey;
