-- 014_last_seen.sql - a poll of a changed body writes only the postings it changes.
--
-- It used to rewrite every posting the board showed, to move last_seen: on a board where one
-- posting of 2,000 changed, 2,000 new row versions, their WAL and as many dead rows for
-- vacuum, on every poll. A complete poll now writes a posting when a field or the digest
-- changed, when it reopens, or when it ends a run of misses; the postings it showed unchanged
-- were seen at the source's last_complete_at, which the same poll sets, as migration 007 did
-- for unchanged polls. open_postings.last_seen has the later of the two, as before. A partial
-- poll, which moves no last_complete_at, still writes last_seen on every posting it read.
-- make bench's changed10 at 300 boards (30 of them changed): this statement's time for the
-- 30 polls went from 126 ms to 31 ms (pg_stat_statements).

COMMENT ON COLUMN postings.last_seen IS
	'the last poll that wrote this posting: one that changed it, reopened it or ended its misses, or a partial poll that read it; for an open posting with misses = 0 the source''s last_complete_at is later when complete polls since showed it unchanged (open_postings.last_seen has the later)';
