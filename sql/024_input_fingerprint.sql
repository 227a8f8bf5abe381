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
-- It holds whenever row_fingerprint does: only postings with a row fingerprint are matched,
-- and 023's trigger clears that when anything but a poll changes what the row says. NULL:
-- the item is parsed, as before; the next poll that writes the posting sets it.

ALTER TABLE postings ADD COLUMN input_fingerprint bigint;
COMMENT ON COLUMN postings.input_fingerprint IS
	'XXH3 of the list item (its JSON tree, seeded with the build) the last poll that wrote this posting made its row from (jobwatchd''s, internal): a later complete poll does not parse an item with the same; NULL parses it';
