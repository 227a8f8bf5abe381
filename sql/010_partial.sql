-- 010_partial.sql - a walk that ended before the board's end (a source that repeats a page
-- instead of going on, or the poll.max_pages ceiling) is a poll of its own kind: 'partial'.
-- What it read is stored (new postings, changes, with their events), but it counts no miss
-- and closes nothing, and it is no complete poll for the source's health or baseline.
-- polls.stop says why it ended ('repeated' or 'ceiling') and polls.error in words.

ALTER TABLE polls DROP CONSTRAINT polls_outcome_check;
ALTER TABLE polls ADD CONSTRAINT polls_outcome_check
	CHECK (outcome IN ('complete', 'unchanged', 'partial', 'failed'));
COMMENT ON COLUMN polls.outcome IS
	'complete: the whole board; unchanged: the same body again; partial: part of a board (see stop), stored, nothing closed; failed: nothing stored';
