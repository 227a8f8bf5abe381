-- 004_detected.sql - what a source of type auto was found to be, so that its page is read
-- once, not at every poll. The store clears the three columns when the source's configured
-- type or url changes, and the next start detects again.
ALTER TABLE sources
	ADD COLUMN detected_type text,
	ADD COLUMN detected_url text,
	ADD COLUMN detected_at timestamptz;
COMMENT ON COLUMN sources.detected_type IS
	'type auto: the adapter its page was recognised as (jsonld, greenhouse, lever, ...); NULL until detected';
COMMENT ON COLUMN sources.detected_url IS
	'type auto: the URL that adapter polls (the page itself for jsonld, else the board''s API)';
COMMENT ON COLUMN sources.detected_at IS
	'when the page was read and recognised';
