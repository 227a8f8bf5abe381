-- 012_statistics.sql - no planner statistics for the columns nobody filters or joins on.
--
-- Autovacuum's ANALYZE samples up to 30,000 rows of a table and sorts every column's sample to
-- find its common values and histogram. The history tables carry wide text that no query of
-- jobwatch's, and no query a reader is likely to make selective, compares: digests, links,
-- pay sentences and the old and new values of events. Analyzing them was a fifth of the CPU
-- the database spent after a cold ingest (make bench, 300 boards: 0.61-0.83 s, 0.47-0.58 s
-- without them). The columns people select postings by (title, department, location, the
-- amounts) keep their statistics in postings; a plan that touches these falls back to
-- PostgreSQL's default estimates, as for any expression.
ALTER TABLE posting_versions
	ALTER COLUMN title SET STATISTICS 0,
	ALTER COLUMN department SET STATISTICS 0,
	ALTER COLUMN location SET STATISTICS 0,
	ALTER COLUMN url SET STATISTICS 0,
	ALTER COLUMN pay_currency SET STATISTICS 0,
	ALTER COLUMN pay_period SET STATISTICS 0,
	ALTER COLUMN pay_text SET STATISTICS 0,
	ALTER COLUMN pay_ranges_text SET STATISTICS 0,
	ALTER COLUMN digest SET STATISTICS 0;
ALTER TABLE postings
	ALTER COLUMN url SET STATISTICS 0,
	ALTER COLUMN pay_text SET STATISTICS 0,
	ALTER COLUMN pay_ranges_text SET STATISTICS 0,
	ALTER COLUMN digest SET STATISTICS 0;
ALTER TABLE events
	ALTER COLUMN old_value SET STATISTICS 0,
	ALTER COLUMN new_value SET STATISTICS 0;
