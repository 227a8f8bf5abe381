-- 007_unchanged.sql - an unchanged poll (304, or the same body) is one small UPDATE of its
-- source, written with many others in one statement; it no longer touches the source's
-- postings. A posting a complete poll showed (misses = 0) was seen again by every unchanged
-- poll after it, so its last sighting is the later of postings.last_seen and the source's
-- last complete poll: open_postings shows that.

COMMENT ON COLUMN postings.last_seen IS
	'the last poll that read this posting in a changed body; for an open posting with misses = 0 the source''s last_complete_at is later when polls since were unchanged (open_postings.last_seen has the later)';

CREATE OR REPLACE VIEW open_postings AS
SELECT p.id, s.name AS source, p.external_id, p.title, p.department, p.location, p.url,
	pay_format(p.pay_min, p.pay_max, p.pay_currency, p.pay_period) AS pay,
	p.pay_min, p.pay_max, p.pay_currency, p.pay_period, p.pay_min_yearly, p.pay_max_yearly,
	p.pay_text, p.first_seen,
	CASE WHEN p.misses = 0 AND s.last_complete_at > p.last_seen THEN s.last_complete_at
		ELSE p.last_seen END AS last_seen,
	p.misses
FROM postings p
JOIN sources s ON s.id = p.source_id
WHERE p.closed_at IS NULL;
