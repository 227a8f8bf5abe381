-- 013_sources_fillfactor.sql - room in every page of sources for its row's next version.
--
-- A source's row is updated two or three times a poll (the lease taken, the poll's outcome,
-- the lease given back), and the rows were packed full: each new version went to another
-- page, with a new entry in both indexes and a dead row for vacuum to find through them. With
-- half of each page free the update stays in the page (a HOT update: no index entry, and the
-- old version pruned on the way). In an unchanged cycle of 1000 boards (make bench) the
-- statements took 62-65 ms of the database's time instead of 105-111 ms. CLUSTER rewrites the
-- existing rows at the new fill (sources is one row per configured board).
ALTER TABLE sources SET (fillfactor = 50);
CLUSTER sources USING sources_pkey;
