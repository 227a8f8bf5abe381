-- 023_row_fingerprint.sql - a changed poll sends and compares only the postings that changed
-- (issue 23).
--
-- A board whose body changed (one posting of a hundred edited) sent every posting's row to
-- the database, which joined each with its stored row and compared them field by field. The
-- daemon now keeps, beside each posting, the fingerprint of the row it sent for it last (the
-- posting's fields as jobwatchd staged them, before anything its detail added), reads the
-- fingerprints of the source's open postings as the poll begins, under the source's lock,
-- and sends an unchanged posting's id alone.
--
-- A fingerprint holds only while the posting's fields are what the poll that wrote it made
-- of its row. The trigger below keeps that true whoever writes: an update that changes one
-- of those fields and does not set a fingerprint of its own (an edit by hand, a migration, a
-- daemon older than this file sharing the database) clears it, and the next changed poll
-- sends and compares the whole row again. What a posting's detail writes is left out: a
-- detail read sets the pay, the digest, and the department and location a list left empty,
-- none of which the list's row says (STORE_SQL_KEEP_DETAIL). A posting whose fingerprint is
-- NULL (every posting stored before this file) gets one the next time a changed poll shows
-- it.

ALTER TABLE postings ADD COLUMN row_fingerprint bigint;
COMMENT ON COLUMN postings.row_fingerprint IS
	'the first 64 bits of the SHA-256 of the row the last poll that wrote this posting sent for it (jobwatchd''s, internal): a later poll whose row has the same sends only the id; NULL sends the whole row';

CREATE FUNCTION jobwatch_row_fingerprint_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.row_fingerprint := NULL;
	RETURN NEW;
END
$$;

CREATE TRIGGER postings_row_fingerprint BEFORE UPDATE ON postings
	FOR EACH ROW
	WHEN (NEW.row_fingerprint IS NOT NULL
	      AND NEW.row_fingerprint = OLD.row_fingerprint
	      AND ((NEW.external_id, NEW.title, NEW.url, NEW.detail_ref, NEW.detail_key)
		   IS DISTINCT FROM (OLD.external_id, OLD.title, OLD.url, OLD.detail_ref,
				     OLD.detail_key)
		   OR (OLD.detail_ref IS NULL OR OLD.department IS NOT NULL)
		      AND NEW.department IS DISTINCT FROM OLD.department
		   OR (OLD.detail_ref IS NULL OR OLD.location IS NOT NULL)
		      AND NEW.location IS DISTINCT FROM OLD.location
		   OR OLD.detail_ref IS NULL
		      AND (NEW.pay_min, NEW.pay_max, NEW.pay_currency, NEW.pay_period,
			   NEW.pay_period_inferred, NEW.pay_text, NEW.pay_source,
			   NEW.pay_ranges_text, NEW.digest)
			  IS DISTINCT FROM (OLD.pay_min, OLD.pay_max, OLD.pay_currency, OLD.pay_period,
					    OLD.pay_period_inferred, OLD.pay_text, OLD.pay_source,
					    OLD.pay_ranges_text, OLD.digest)))
	EXECUTE FUNCTION jobwatch_row_fingerprint_clear();
COMMENT ON TRIGGER postings_row_fingerprint ON postings IS
	'an update that changes what a poll''s row says of a posting without setting row_fingerprint clears it';
