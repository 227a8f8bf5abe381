-- 024_input_fingerprint.sql - a changed poll parses only the list items that changed
-- (issue 23).
--
-- A board whose body changed (one posting of a hundred edited) was parsed whole: every
-- item's description read as HTML, folded and searched for pay, most of it to make rows the
-- daemon then found equal to the stored ones (023). The daemon now keeps, beside each
-- posting, the fingerprint of the list item its row was made from: the item's JSON tree,
-- seeded with the build of jobwatchd that read it, so that what another build's parser made
-- is never taken for this one's. A complete poll of a source whose items are read alone
-- (Greenhouse, Lever, Ashby, Recruitee, Teamtailor) reads these with the row fingerprints,
-- under the source's lock, and parses only the items whose fingerprint no open posting has.
--
-- It holds only while the row is the one made from that item. Only postings with a row
-- fingerprint are matched, and 023's trigger clears that when anything but a poll changes what
-- the row says. A daemon older than this file sharing the database writes a new row, and its
-- fingerprint, without this one: the trigger below clears it then, else a later poll showing
-- the old item again would leave the older daemon's row in place. NULL: the item is parsed, as
-- before; the next poll that writes the posting sets it.

ALTER TABLE postings ADD COLUMN input_fingerprint bigint;
COMMENT ON COLUMN postings.input_fingerprint IS
	'XXH3 of the list item (its JSON tree, seeded with the build) the last poll that wrote this posting made its row from (jobwatchd''s, internal): a later complete poll does not parse an item with the same; NULL parses it';

CREATE FUNCTION jobwatch_input_fingerprint_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.input_fingerprint := NULL;
	RETURN NEW;
END
$$;

CREATE TRIGGER postings_input_fingerprint BEFORE UPDATE ON postings
	FOR EACH ROW
	WHEN (NEW.input_fingerprint IS NOT NULL
	      AND NEW.input_fingerprint = OLD.input_fingerprint
	      AND NEW.row_fingerprint IS DISTINCT FROM OLD.row_fingerprint)
	EXECUTE FUNCTION jobwatch_input_fingerprint_clear();
COMMENT ON TRIGGER postings_input_fingerprint ON postings IS
	'an update that writes another row fingerprint but keeps input_fingerprint (a daemon older than 024) clears it';
