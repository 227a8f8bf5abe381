-- 018_details.sql - postings whose list row lacks the description (Eightfold, Workday,
-- SmartRecruiters): their description, pay and what else the list lacks come from one detail
-- request per posting, read within a per-poll budget. Until it is read a posting's pay is
-- unknown, which is not "states no pay": pay_known says which.
--
-- A new posting of such a source is alerted once its detail is read (or has failed, or
-- alert_wait has passed), so that the alert line carries the pay: its "new" event waits with
-- alert_pending until then.

ALTER TABLE postings
	ADD COLUMN pay_known boolean NOT NULL DEFAULT true,
	ADD COLUMN detail_ref text,
	ADD COLUMN detail_key text,
	ADD COLUMN detail_read_at timestamptz,
	ADD COLUMN detail_wanted boolean NOT NULL DEFAULT false,
	ADD COLUMN detail_error text,
	ADD COLUMN detail_failures int NOT NULL DEFAULT 0,
	ADD COLUMN detail_retry_at timestamptz;
COMMENT ON COLUMN postings.pay_known IS
	'false while the posting''s detail (which states its pay) has not been read: pay unknown, not "none stated"';
COMMENT ON COLUMN postings.detail_ref IS
	'what the adapter needs to request the posting''s detail (Workday''s externalPath, an id); NULL when the list row carries the description';
COMMENT ON COLUMN postings.detail_key IS
	'the list row''s mark of a change (Eightfold''s t_update …); when it moves, the detail is read again';
COMMENT ON COLUMN postings.detail_read_at IS 'when the detail was last read whole';
COMMENT ON COLUMN postings.detail_wanted IS
	'the list row changed (title, location, detail_key) or reopened since the detail was read';
COMMENT ON COLUMN postings.detail_error IS
	'why the last detail read failed (HTTP 404, a body of another shape …); NULL after a good read';
COMMENT ON COLUMN postings.detail_retry_at IS 'no detail read is tried before this';

ALTER TABLE events
	ADD COLUMN alert_pending boolean NOT NULL DEFAULT false,
	ADD COLUMN alert_due timestamptz;
COMMENT ON COLUMN events.alert_pending IS
	'a "new" event whose alert waits for the posting''s detail (its pay), until alert_due at the latest';

-- The detail reads of a poll look for the open postings of one source that have a detail;
-- the alerts that wait, per source.
CREATE INDEX postings_detail ON postings (source_id)
	WHERE detail_ref IS NOT NULL AND closed_at IS NULL;
CREATE INDEX events_alert_pending ON events (source_id) WHERE alert_pending;

-- The views show unknown pay as "unknown", never as no pay.
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
WHERE p.closed_at IS NULL;

CREATE OR REPLACE VIEW new_postings AS
SELECT p.id, s.name AS source, p.external_id, p.title, p.department, p.location, p.url,
	CASE WHEN p.pay_known THEN pay_format(p.pay_min, p.pay_max, p.pay_currency, p.pay_period)
		ELSE 'unknown' END AS pay,
	p.pay_min_yearly, p.pay_max_yearly, p.first_seen, p.closed_at,
	coalesce(e.baseline, false) AS baseline, p.pay_known
FROM postings p
JOIN sources s ON s.id = p.source_id
LEFT JOIN LATERAL (SELECT ev.baseline FROM events ev
	WHERE ev.posting_id = p.id AND ev.kind = 'new' ORDER BY ev.id LIMIT 1) e ON true;

CREATE OR REPLACE VIEW open_roles_by_source AS
SELECT s.name AS source, s.type,
	count(p.id) AS open,
	count(p.id) FILTER (WHERE p.pay_min IS NOT NULL OR p.pay_max IS NOT NULL) AS with_pay,
	count(p.id) FILTER (WHERE NOT p.pay_known) AS pay_unknown
FROM sources s
LEFT JOIN postings p ON p.source_id = s.id AND p.closed_at IS NULL
GROUP BY s.id, s.name, s.type;
COMMENT ON VIEW open_roles_by_source IS
	'per source: open postings now, how many of them state pay, and how many have pay not read yet';

-- posting_details: per source, the detail reads: postings still to read, read, failing.
--   SELECT * FROM posting_details WHERE unread > 0 OR failing > 0;
CREATE VIEW posting_details AS
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
GROUP BY s.id, s.name, s.type;
COMMENT ON VIEW posting_details IS
	'per source with detail reads: open postings with a detail, not read yet, changed since read, failing, and one error';
