-- 006_leases.sql - many daemons, one database: PostgreSQL decides who polls what.
--
-- Each daemon is an instance with a unique id. Before it polls a source it claims the
-- source's lease (SELECT … FOR UPDATE SKIP LOCKED, then owner and expiry set); it renews the
-- lease while the poll runs and gives it up when the poll is stored, setting next_due for
-- whoever polls next. A source whose lease has expired (its daemon was killed) is free again.
-- The transaction that stores a poll checks that its daemon still holds the lease, so a daemon
-- that lost it writes no event.

ALTER TABLE sources
	ADD COLUMN next_due timestamptz,
	ADD COLUMN lease_owner text,
	ADD COLUMN lease_expires timestamptz;
COMMENT ON COLUMN sources.next_due IS
	'when the source is next due, set by the daemon that polled it last; NULL: due now';
COMMENT ON COLUMN sources.lease_owner IS
	'instances.id of the daemon polling the source now; the lease counts until lease_expires';

-- One row per daemon that has run against this database, refreshed while it runs.
CREATE TABLE instances (
	id text PRIMARY KEY,
	host text NOT NULL,
	pid int NOT NULL,
	version text,
	started_at timestamptz NOT NULL DEFAULT now(),
	heartbeat_at timestamptz NOT NULL DEFAULT now(),
	stopped_at timestamptz,
	status text
);
COMMENT ON TABLE instances IS
	'every jobwatchd that has used this database; alive while heartbeat_at is recent and stopped_at NULL';
COMMENT ON COLUMN instances.status IS 'what the daemon last said it was doing (its STATUS= line)';

-- instance_status: the daemons, whether they are alive (a heartbeat within a minute), and what
-- each is polling now. jobwatchd --status prints it.
CREATE VIEW instance_status AS
SELECT i.id, i.host, i.pid, i.version, i.started_at, i.heartbeat_at,
	i.stopped_at IS NULL AND i.heartbeat_at > now() - interval '60 seconds' AS alive,
	i.status,
	(SELECT count(*) FROM sources s
	 WHERE s.lease_owner = i.id AND s.lease_expires > now()) AS leases,
	(SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM sources s
	 WHERE s.lease_owner = i.id AND s.lease_expires > now()) AS polling
FROM instances i;
COMMENT ON VIEW instance_status IS
	'daemons sharing this database: alive or not, and the sources each holds a lease on';

-- source_leases: every source with its lease and when it is next due.
CREATE VIEW source_leases AS
SELECT s.name AS source, s.type, s.lease_owner,
	CASE WHEN s.lease_expires > now() THEN s.lease_expires END AS lease_expires,
	s.next_due, s.last_poll_at, s.last_complete_at
FROM sources s;
COMMENT ON VIEW source_leases IS
	'who polls each source now (lease_owner while the lease runs) and when it is next due';
