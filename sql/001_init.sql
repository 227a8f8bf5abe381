-- 001_init.sql - jobwatch's history: sources, polls, postings with every distinct state in
-- posting_versions, every change in events, and the views people read with psql.
-- Table, column and view names are an interface: change them only with a new migration.
-- schema_migrations itself is created by the store (it has to exist before the first file runs).
-- Timestamps are timestamptz; the daemon's sessions run in UTC.

-- Pay amounts per period to a yearly figure. Mirrors PAY_*_PER_YEAR in include/pay.h: one set
-- of annualising constants for every consumer. NULL for an unknown period.
CREATE FUNCTION pay_yearly(amount numeric, period text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN amount * CASE period
	WHEN 'hour' THEN 2080
	WHEN 'day' THEN 260
	WHEN 'week' THEN 52
	WHEN 'month' THEN 12
	WHEN 'year' THEN 1
END;
COMMENT ON FUNCTION pay_yearly(numeric, text) IS
	'amount per period as a yearly figure: 2080 hours, 260 days, 52 weeks, 12 months (include/pay.h)';

-- One amount as pay_format() in src/pay.c writes it: whole numbers without decimals.
CREATE FUNCTION pay_amount_text(amount numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN amount = trunc(amount) THEN trunc(amount)::text
	ELSE round(amount, 2)::text END;

-- A range as pay_format() in src/pay.c writes it ("USD 100000-120000/year", "EUR -60000/year"
-- for "up to", "" when no amount is stated), so that events written here and alert lines
-- written in C read the same.
CREATE FUNCTION pay_format(pay_min numeric, pay_max numeric, currency text, period text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
	WHEN pay_min IS NULL AND pay_max IS NULL THEN ''
	ELSE coalesce(nullif(currency, '') || ' ', '')
		|| CASE WHEN pay_min = pay_max THEN pay_amount_text(pay_min)
			ELSE coalesce(pay_amount_text(pay_min), '') || '-'
				|| coalesce(pay_amount_text(pay_max), '') END
		|| coalesce('/' || period, '')
END;
COMMENT ON FUNCTION pay_format(numeric, numeric, text, text) IS
	'a pay range as text, like "USD 100000-120000/year"; empty when no amount is stated';

-- One row per configured source (careers page or job-board API). The validators and body
-- digest let the next poll skip an unchanged board; suspect holds closures after a big drop.
CREATE TABLE sources (
	id bigserial PRIMARY KEY,
	name text NOT NULL UNIQUE,
	type text NOT NULL,
	url text,
	etag text,
	last_modified text,
	body_sha256 text,
	suspect boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	last_poll_at timestamptz,
	last_complete_at timestamptz
);
COMMENT ON COLUMN sources.suspect IS
	'the last complete poll dropped more than max_drop of the open postings; closing waits for a second poll to confirm';
COMMENT ON COLUMN sources.last_complete_at IS
	'NULL until the first complete poll: that one is the baseline and raises no alerts';

-- Every poll, failed ones included, with what it saw and what it changed.
CREATE TABLE polls (
	id bigserial PRIMARY KEY,
	source_id bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	started_at timestamptz NOT NULL,
	finished_at timestamptz,
	http_status int,
	outcome text NOT NULL CHECK (outcome IN ('complete', 'unchanged', 'failed')),
	stop text,
	pages int,
	postings int,
	new int,
	closed int,
	reopened int,
	changed int,
	dropped int,
	suspect boolean NOT NULL DEFAULT false,
	error text
);
COMMENT ON COLUMN polls.stop IS 'why paging stopped: complete, ceiling, error';
COMMENT ON COLUMN polls.changed IS 'postings with a title, location, department or pay change';
COMMENT ON COLUMN polls.dropped IS 'malformed postings the adapter skipped';
COMMENT ON COLUMN polls.suspect IS 'this poll dropped more than max_drop of the board: nothing was closed';
CREATE INDEX polls_source_started ON polls (source_id, started_at);

-- Every posting a source has ever shown, as it is now. closed_at is NULL while it is open.
CREATE TABLE postings (
	id bigserial PRIMARY KEY,
	source_id bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	external_id text NOT NULL,
	title text,
	department text,
	location text,
	url text,
	pay_min numeric,
	pay_max numeric,
	pay_currency text CHECK (pay_currency ~ '^[A-Z]{3}$'),
	pay_period text CHECK (pay_period IN ('hour', 'day', 'week', 'month', 'year')),
	pay_text text,
	pay_source text,
	pay_min_yearly numeric,
	pay_max_yearly numeric,
	digest text,
	first_seen timestamptz NOT NULL,
	last_seen timestamptz NOT NULL,
	closed_at timestamptz,
	misses int NOT NULL DEFAULT 0,
	UNIQUE (source_id, external_id)
);
COMMENT ON COLUMN postings.digest IS 'SHA-256 of the description text';
COMMENT ON COLUMN postings.misses IS 'complete polls in a row that did not show this posting';
COMMENT ON COLUMN postings.pay_min_yearly IS 'pay_yearly(pay_min, pay_period)';
-- The diff walks a source's open postings on every poll.
CREATE INDEX postings_open ON postings (source_id) WHERE closed_at IS NULL;

-- Every distinct state of a posting: its first, and one more for each change of any field or
-- of the description digest. Append-only.
CREATE TABLE posting_versions (
	id bigserial PRIMARY KEY,
	posting_id bigint NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
	valid_from timestamptz NOT NULL,
	poll_id bigint REFERENCES polls (id) ON DELETE SET NULL,
	title text,
	department text,
	location text,
	url text,
	pay_min numeric,
	pay_max numeric,
	pay_currency text,
	pay_period text,
	pay_text text,
	digest text
);
CREATE INDEX posting_versions_posting ON posting_versions (posting_id, valid_from);

-- Every change jobwatch saw. baseline marks the events of a source's first complete poll,
-- which are stored but not alerted.
CREATE TABLE events (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL,
	source_id bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	posting_id bigint NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
	poll_id bigint REFERENCES polls (id) ON DELETE SET NULL,
	kind text NOT NULL CHECK (kind IN ('new', 'closed', 'reopened', 'title_changed',
		'location_changed', 'department_changed', 'pay_changed')),
	old_value text,
	new_value text,
	baseline boolean NOT NULL DEFAULT false
);
COMMENT ON COLUMN events.old_value IS 'for *_changed: the value before; pay as pay_format() text';
CREATE INDEX events_at ON events (at);
CREATE INDEX events_posting ON events (posting_id);
-- The store reads back a poll's events at the end of its transaction.
CREATE INDEX events_poll ON events (poll_id);

-- open_postings: what every source shows now, one row per open posting, with the source's
-- name and the pay range as text and as yearly figures.
CREATE VIEW open_postings AS
SELECT p.id, s.name AS source, p.external_id, p.title, p.department, p.location, p.url,
	pay_format(p.pay_min, p.pay_max, p.pay_currency, p.pay_period) AS pay,
	p.pay_min, p.pay_max, p.pay_currency, p.pay_period, p.pay_min_yearly, p.pay_max_yearly,
	p.pay_text, p.first_seen, p.last_seen, p.misses
FROM postings p
JOIN sources s ON s.id = p.source_id
WHERE p.closed_at IS NULL;
COMMENT ON VIEW open_postings IS
	'open postings of every source with the source''s name; pay as text and yearly figures';

-- pay_history: every pay range a posting has had, one row per distinct pay state (versions
-- that changed other fields only are folded into the pay state they kept), with the time it
-- was first seen (valid_from) and the time a different pay state replaced it (valid_to, NULL
-- while current). A stretch without stated pay ends the range before it but is not listed.
CREATE VIEW pay_history AS
WITH v AS (
	SELECT pv.*,
		lag(pv.id) OVER w IS NULL
		OR ROW(pv.pay_min, pv.pay_max, pv.pay_currency, pv.pay_period) IS DISTINCT FROM
			lag(ROW(pv.pay_min, pv.pay_max, pv.pay_currency, pv.pay_period)) OVER w
			AS starts
	FROM posting_versions pv
	WINDOW w AS (PARTITION BY pv.posting_id ORDER BY pv.valid_from, pv.id)
), states AS (
	SELECT v.*, lead(v.valid_from) OVER (PARTITION BY v.posting_id
		ORDER BY v.valid_from, v.id) AS valid_to
	FROM v
	WHERE v.starts
)
SELECT st.posting_id, s.name AS source, p.external_id, p.title,
	pay_format(st.pay_min, st.pay_max, st.pay_currency, st.pay_period) AS pay,
	st.pay_min, st.pay_max, st.pay_currency, st.pay_period,
	pay_yearly(st.pay_min, st.pay_period) AS pay_min_yearly,
	pay_yearly(st.pay_max, st.pay_period) AS pay_max_yearly,
	st.valid_from, st.valid_to
FROM states st
JOIN postings p ON p.id = st.posting_id
JOIN sources s ON s.id = p.source_id
WHERE st.pay_min IS NOT NULL OR st.pay_max IS NOT NULL;
COMMENT ON VIEW pay_history IS
	'every pay range each posting has had, with valid_from and valid_to (NULL while current)';
