-- 025_body_hash.sql - what sources.body_sha256 holds (issue 23).
--
-- A board that answers 200 with the body of its last complete poll is recognized without
-- being parsed, by the hash of the body (of each page, for a board read in pages). jobwatchd
-- hashed every byte of every such body with SHA-256: 7% of its CPU in a cold ingest of 1000
-- boards. It now writes XXH3-128, 32 hex digits, at a tenth of the cost; the column keeps its
-- name, which other daemons sharing the database read. A hash of the other kind (64 digits,
-- from a daemon older than this file) matches nothing, and that body is parsed once.

COMMENT ON COLUMN sources.body_sha256 IS
	'hash of the last complete poll''s body (jobwatchd''s, internal): XXH3-128 as 32 hex digits (SHA-256, 64 digits, from daemons before migration 025; the name is older than the hash); a body with the same is unchanged and not parsed';
