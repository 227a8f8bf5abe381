-- 002_pay_ranges.sql - every pay range a posting states, not only the first, and where the
-- period of a range came from.
--
-- A posting may state several ranges: Greenhouse's pay_input_ranges per location, Ashby's
-- compensation tiers, "San Francisco: $X-$Y; Remote: $A-$B" in a description. postings keeps
-- the first stated one in its pay_* columns (what alerts and open_postings read); pay_ranges
-- keeps all of them, in the order stated. pay_ranges_text is all of them as one text, which
-- the diff compares and pay_changed events carry, so a change of any range is an event.

ALTER TABLE postings
	ADD COLUMN pay_period_inferred boolean NOT NULL DEFAULT false,
	ADD COLUMN pay_ranges_text text;
COMMENT ON COLUMN postings.pay_period_inferred IS
	'true when no period was written and pay_period was inferred from the magnitude (or the source''s convention)';
COMMENT ON COLUMN postings.pay_ranges_text IS
	'every stated range as text: pay_format() of the one range, or "label: range; label: range" for several';

ALTER TABLE posting_versions ADD COLUMN pay_ranges_text text;

CREATE TABLE pay_ranges (
	posting_id bigint NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
	ord int NOT NULL,
	label text,
	pay_min numeric,
	pay_max numeric,
	pay_currency text CHECK (pay_currency ~ '^[A-Z]{3}$'),
	pay_period text CHECK (pay_period IN ('hour', 'day', 'week', 'month', 'year')),
	pay_period_inferred boolean NOT NULL DEFAULT false,
	pay_source text,
	pay_min_yearly numeric GENERATED ALWAYS AS (pay_yearly(pay_min, pay_period)) STORED,
	pay_max_yearly numeric GENERATED ALWAYS AS (pay_yearly(pay_max, pay_period)) STORED
);
COMMENT ON TABLE pay_ranges IS
	'every pay range a posting states now, in order (ord 1 is the posting''s own pay); replaced whole when any range changes';
COMMENT ON COLUMN pay_ranges.label IS
	'the tier, location or component the source names the range for; NULL when unnamed';
-- Not unique on (posting_id, ord): the diff deletes and re-inserts a posting's ranges in one
-- statement, where a unique index would see the old rows.
CREATE INDEX pay_ranges_posting ON pay_ranges (posting_id, ord);

-- What was stored before this migration had one range at most: carry it over, so that the
-- first poll after the upgrade sees no change.
UPDATE postings SET pay_ranges_text = pay_format(pay_min, pay_max, pay_currency, pay_period)
WHERE pay_min IS NOT NULL OR pay_max IS NOT NULL;
UPDATE posting_versions SET pay_ranges_text = pay_format(pay_min, pay_max, pay_currency, pay_period)
WHERE pay_min IS NOT NULL OR pay_max IS NOT NULL;
INSERT INTO pay_ranges (posting_id, ord, pay_min, pay_max, pay_currency, pay_period, pay_source)
SELECT id, 1, pay_min, pay_max, pay_currency, pay_period, pay_source
FROM postings WHERE pay_min IS NOT NULL OR pay_max IS NOT NULL;

-- open_pay_ranges: every range of every open posting, with the source and the posting's
-- title, as text and yearly figures. "Which open roles pay at least 200k somewhere?"
--   SELECT DISTINCT source, title FROM open_pay_ranges WHERE pay_max_yearly >= 200000;
CREATE VIEW open_pay_ranges AS
SELECT p.id AS posting_id, s.name AS source, p.external_id, p.title, p.location, r.ord,
	r.label, pay_format(r.pay_min, r.pay_max, r.pay_currency, r.pay_period) AS pay,
	r.pay_min, r.pay_max, r.pay_currency, r.pay_period, r.pay_period_inferred,
	r.pay_min_yearly, r.pay_max_yearly, r.pay_source
FROM pay_ranges r
JOIN postings p ON p.id = r.posting_id
JOIN sources s ON s.id = p.source_id
WHERE p.closed_at IS NULL;
COMMENT ON VIEW open_pay_ranges IS
	'every stated pay range of every open posting, one row per range, in the order stated';
