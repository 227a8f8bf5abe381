-- 008_source_counts.sql - what an unchanged poll needs to know of its source's postings, kept
-- on the source: how many are open, and how many of those are counting misses. The
-- statement that writes many unchanged polls at once reads these instead of the postings,
-- so its cost does not grow with the size of the boards. Both are written by every poll that
-- reads the postings (a complete poll, or an unchanged one that counted misses).

ALTER TABLE sources
	ADD COLUMN open_postings int,
	ADD COLUMN missing_postings int;
COMMENT ON COLUMN sources.open_postings IS 'open postings after the last poll that counted them';
COMMENT ON COLUMN sources.missing_postings IS
	'of those, how many the last complete poll did not show (misses > 0); NULL: not counted yet';
