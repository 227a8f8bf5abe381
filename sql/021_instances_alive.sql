-- 021_instances_alive.sql - a daemon is alive in instance_status exactly when the other
-- daemons count it as a peer (issue 21).
--
-- instance_status said alive for 60 s after a heartbeat, while the daemons stop counting a
-- peer, and take over its turns, 3 s after its last one (LOOP_LIVE_MS in src/loop_int.h: three
-- missed heartbeats of one a second). The window is stated once, in the daemon: each heartbeat
-- writes how long it holds, as alive_until, and the view and the claim (STORE_SQL_CLAIM) both
-- read that column. A daemon built before this column writes none and counts as gone.

ALTER TABLE instances ADD COLUMN alive_until timestamptz;
COMMENT ON COLUMN instances.alive_until IS
	'the daemon counts as alive (and takes its turns) until then unless it heartbeats again: each heartbeat sets it ahead by the live window of src/loop_int.h (LOOP_LIVE_MS)';
COMMENT ON TABLE instances IS
	'every jobwatchd that has used this database; alive while alive_until is ahead and stopped_at NULL; rows a week without a heartbeat are deleted';

-- Dropped and made again rather than replaced, so that this file applies whatever order of
-- columns the schema before it gave the view.
DROP VIEW instance_status;
CREATE VIEW instance_status AS
SELECT i.id, i.host, i.pid, i.version, i.started_at, i.heartbeat_at,
	i.stopped_at IS NULL AND coalesce(i.alive_until > now(), false) AS alive,
	i.status,
	(SELECT count(*) FROM sources s
	 WHERE s.lease_owner = i.id AND s.lease_expires > now()) AS leases,
	(SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM sources s
	 WHERE s.lease_owner = i.id AND s.lease_expires > now()) AS polling
FROM instances i;
COMMENT ON VIEW instance_status IS
	'daemons sharing this database: alive (what the others count as a peer) or not, and the sources each holds a lease on';
