-- 019_leases_spread.sql - many daemons share the work, and wait on each other only as long as
-- a poll takes (issue 21).
--
-- A daemon that finds a source leased by another retries it once that poll may be over, not
-- when the lease would run out: it needs to know how long the poll has run, and lease_expires
-- (pushed on at every renewal) does not say. lease_at does. It is written with the lease, in
-- the same row version, and left as it is when the lease goes back.

ALTER TABLE sources ADD COLUMN lease_at timestamptz;
COMMENT ON COLUMN sources.lease_at IS
	'when lease_owner took the lease: how long its poll has been running';
