-- 020_removed_sources.sql - a source taken out of the configuration keeps its history, but is
-- marked removed, and the views about what is watched now leave it out. It comes back (and
-- removed_at goes) when the configuration names it again; a source only disabled
-- (enabled = false) is still configured.

ALTER TABLE sources ADD COLUMN removed_at timestamptz;
COMMENT ON COLUMN sources.removed_at IS
	'when a daemon started (or reloaded) with a configuration that no longer names the source; NULL while configured';

CREATE OR REPLACE VIEW open_postings AS
SELECT p.id, s.name AS source, p.external_id, p.title, p.department, p.location, p.url,
	CASE WHEN p.pay_known THEN pay_format(p.pay_min, p.pay_max, p.pay_currency, p.pay_period)
		ELSE 'unknown' END AS pay,
	p.pay_min, p.pay_max, p.pay_currency, p.pay_period, p.pay_min_yearly, p.pay_max_yearly,
	p.pay_text, p.first_seen,
	CASE WHEN p.misses = 0 AND s.last_complete_at > p.last_seen THEN s.last_complete_at
		ELSE p.last_seen END AS last_seen,
	p.misses, p.pay_known
FROM postings p
JOIN sources s ON s.id = p.source_id
WHERE p.closed_at IS NULL AND s.removed_at IS NULL;

CREATE OR REPLACE VIEW open_pay_ranges AS
SELECT p.id AS posting_id, s.name AS source, p.external_id, p.title, p.location, r.ord,
	r.label, pay_format(r.pay_min, r.pay_max, r.pay_currency, r.pay_period) AS pay,
	r.pay_min, r.pay_max, r.pay_currency, r.pay_period, r.pay_period_inferred,
	r.pay_min_yearly, r.pay_max_yearly, r.pay_source
FROM pay_ranges r
JOIN postings p ON p.id = r.posting_id
JOIN sources s ON s.id = p.source_id
WHERE p.closed_at IS NULL AND s.removed_at IS NULL;

CREATE OR REPLACE VIEW open_roles_by_source AS
SELECT s.name AS source, s.type,
	count(p.id) AS open,
	count(p.id) FILTER (WHERE p.pay_min IS NOT NULL OR p.pay_max IS NOT NULL) AS with_pay,
	count(p.id) FILTER (WHERE NOT p.pay_known) AS pay_unknown
FROM sources s
LEFT JOIN postings p ON p.source_id = s.id AND p.closed_at IS NULL
WHERE s.removed_at IS NULL
GROUP BY s.id, s.name, s.type;

CREATE OR REPLACE VIEW source_health AS
SELECT s.name AS source, s.type, s.last_poll_at, s.last_complete_at,
	now() - s.last_complete_at AS since_complete,
	s.failures_in_row, s.failing_since,
	s.failing_reported_at IS NOT NULL AS failing,
	s.stale_reported_at IS NOT NULL AS stale,
	s.last_error, s.last_error_at
FROM sources s
WHERE s.removed_at IS NULL;

CREATE OR REPLACE VIEW source_leases AS
SELECT s.name AS source, s.type, s.lease_owner,
	CASE WHEN s.lease_expires > now() THEN s.lease_expires END AS lease_expires,
	s.next_due, s.last_poll_at, s.last_complete_at
FROM sources s
WHERE s.removed_at IS NULL;

CREATE OR REPLACE VIEW posting_details AS
SELECT s.name AS source, s.type,
	count(p.id) AS with_detail,
	count(p.id) FILTER (WHERE p.detail_read_at IS NULL) AS unread,
	count(p.id) FILTER (WHERE p.detail_wanted) AS changed,
	count(p.id) FILTER (WHERE p.detail_error IS NOT NULL) AS failing,
	min(p.detail_read_at) AS oldest_read,
	(array_agg(p.detail_error ORDER BY p.id) FILTER (WHERE p.detail_error IS NOT NULL))[1]
		AS an_error
FROM sources s
JOIN postings p ON p.source_id = s.id AND p.closed_at IS NULL AND p.detail_ref IS NOT NULL
WHERE s.removed_at IS NULL
GROUP BY s.id, s.name, s.type;
