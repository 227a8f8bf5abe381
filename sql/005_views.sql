-- 005_views.sql - views for psql users: open roles per source, new roles, pay changes, time to
-- close, reopened roles, and the health of each source. Like open_postings and pay_history
-- (001_init.sql) each names the source and writes pay as pay_format() text. Examples:
--   SELECT * FROM open_roles_by_source ORDER BY open DESC;
--   SELECT source, title, pay FROM new_postings
--    WHERE first_seen > now() - interval '7 days' AND NOT baseline;
--   SELECT source, title, old_pay, new_pay, at FROM pay_changes ORDER BY at DESC LIMIT 20;
--   SELECT source, avg(open_for) FROM time_to_close GROUP BY source;
--   SELECT * FROM source_health WHERE failing OR stale;

-- open_roles_by_source: every source with how many postings it shows now and how many of
-- them state pay. Sources with no open posting are listed with 0.
CREATE VIEW open_roles_by_source AS
SELECT s.name AS source, s.type,
	count(p.id) AS open,
	count(p.id) FILTER (WHERE p.pay_min IS NOT NULL OR p.pay_max IS NOT NULL) AS with_pay
FROM sources s
LEFT JOIN postings p ON p.source_id = s.id AND p.closed_at IS NULL
GROUP BY s.id, s.name, s.type;
COMMENT ON VIEW open_roles_by_source IS
	'per source: open postings now, and how many of them state pay';

-- new_postings: every posting with the time it was first seen, open or not. baseline is true
-- for the postings of a source's first complete poll: they were there before jobwatch looked,
-- so "new in the last 7 days" wants NOT baseline.
CREATE VIEW new_postings AS
SELECT p.id, s.name AS source, p.external_id, p.title, p.department, p.location, p.url,
	pay_format(p.pay_min, p.pay_max, p.pay_currency, p.pay_period) AS pay,
	p.pay_min_yearly, p.pay_max_yearly, p.first_seen, p.closed_at,
	coalesce(e.baseline, false) AS baseline
FROM postings p
JOIN sources s ON s.id = p.source_id
LEFT JOIN LATERAL (SELECT ev.baseline FROM events ev
	WHERE ev.posting_id = p.id AND ev.kind = 'new' ORDER BY ev.id LIMIT 1) e ON true;
COMMENT ON VIEW new_postings IS
	'every posting with first_seen; baseline: seen in the source''s first poll (not new)';

-- pay_changes: every pay change, with the range before and after as text (pay_format()).
CREATE VIEW pay_changes AS
SELECT e.id, e.at, s.name AS source, e.posting_id, p.external_id, p.title,
	e.old_value AS old_pay, e.new_value AS new_pay
FROM events e
JOIN postings p ON p.id = e.posting_id
JOIN sources s ON s.id = e.source_id
WHERE e.kind = 'pay_changed';
COMMENT ON VIEW pay_changes IS 'every pay change of a posting, old and new range as text';

-- time_to_close: postings that are closed now, with how long they were up (from first seen to
-- closed; a posting that closed, reopened and closed again counts the whole stretch).
CREATE VIEW time_to_close AS
SELECT p.id AS posting_id, s.name AS source, p.external_id, p.title, p.first_seen,
	p.closed_at, p.closed_at - p.first_seen AS open_for
FROM postings p
JOIN sources s ON s.id = p.source_id
WHERE p.closed_at IS NOT NULL;
COMMENT ON VIEW time_to_close IS 'closed postings: first_seen, closed_at and the interval between';

-- reopened_postings: postings that came back after being closed, one row each, with how many
-- times and when last; closed_at is NULL when the posting is open now.
CREATE VIEW reopened_postings AS
SELECT p.id AS posting_id, s.name AS source, p.external_id, p.title,
	count(*) AS reopened, max(e.at) AS last_reopened_at, p.closed_at
FROM events e
JOIN postings p ON p.id = e.posting_id
JOIN sources s ON s.id = p.source_id
WHERE e.kind = 'reopened'
GROUP BY p.id, s.name, p.external_id, p.title, p.closed_at;
COMMENT ON VIEW reopened_postings IS 'postings seen again after closing: how often, when last';

-- source_health: per source, its last poll and last complete poll, failed polls in a row and
-- since when, whether it is failing (a source_failing event was written: failures_in_row
-- reached poll.fail_after) or stale (a source_stale event was written: no complete poll for
-- poll.stale_after), and the last error.
CREATE VIEW source_health AS
SELECT s.name AS source, s.type, s.last_poll_at, s.last_complete_at,
	now() - s.last_complete_at AS since_complete,
	s.failures_in_row, s.failing_since,
	s.failing_reported_at IS NOT NULL AS failing,
	s.stale_reported_at IS NOT NULL AS stale,
	s.last_error, s.last_error_at
FROM sources s;
COMMENT ON VIEW source_health IS
	'per source: last poll, last complete poll, failures in a row, failing, stale, last error';
