-- 023_row_fingerprint.sql - a changed poll sends and compares only the postings that changed
-- (issue 23).
--
-- A board whose body changed (one posting of a hundred edited) sent every posting's row to
-- the database, which joined each with its stored row and compared them field by field: about
-- 10 us of the database's time for each posting that had not changed, most of a changed poll.
-- The daemon now keeps, beside each posting, the fingerprint of the row it sent for it last
-- (the posting's fields as jobwatchd staged them, before anything its detail added), reads
-- the fingerprints of the source's open postings as the poll begins, under the source's lock,
-- and sends an unchanged posting's id alone.
--
-- A posting's fingerprint holds only while its row is what the poll that wrote the
-- fingerprint made of it: a statement or migration that rewrites postings' fields from
-- anything but a poll's row must set it to NULL, and the next poll then sends the whole row.
-- A posting whose fingerprint is NULL (every posting stored before this migration) gets one
-- the next time a changed poll shows it.

ALTER TABLE postings ADD COLUMN row_fingerprint bigint;
COMMENT ON COLUMN postings.row_fingerprint IS
	'the first 64 bits of the SHA-256 of the row the last poll that wrote this posting sent for it (jobwatchd''s, internal): a later poll whose row has the same sends only the id; NULL sends the whole row';
