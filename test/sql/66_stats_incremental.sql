-- The incremental statistics refresh against the full computation (issue
-- 15): after a random sequence of changes - syncs of a moving market (new
-- listings, price changes, sales, withdrawals, returns, deletions found by
-- a reconcile), listings an application edits and marks (a new city, a
-- status that takes them out of the statistics), a connection dropped -
-- and with "as of" walking forward across weeks and months (the window
-- moves), every incremental refresh leaves market_stats equal to
-- mls_stats_compute() for the same moment, row for row, and to a full
-- rebuild.  The refreshes are incremental (the tenants are not rebuilt);
-- a change of a tenant's statistics settings rebuilds that tenant.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SELECT setseed(0.66);

SELECT mls_test.reset('{"mls": "sa", "listings": 300, "seed": 61}') ->> 'count' AS listings;
SELECT mls_test.reset('{"mls": "sb", "listings": 160, "seed": 62}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('inc');
SELECT tenant_id FROM mlsync.mls_create_tenant('inc2');
-- the second tenant counts its market in Chicago time, supply from pending sales
INSERT INTO mlsync.mls_stats_settings VALUES ('inc2', 'America/Chicago', 'pending');
SELECT m.connection FROM (VALUES ('inc', 'sa'), ('inc', 'sb'), ('inc2', 'sb')) v(t, c),
	LATERAL mlsync.mls_connect(v.t, v.c, protocol => 'reso', endpoint => mls_test.reso_root(v.c),
							   token_url => mls_test.token_url(v.c), username => 'mlsync') m;
SELECT count(mlsync.mls_set_credentials(t, c, client_secret => 's3cret'))
  FROM (VALUES ('inc', 'sa'), ('inc', 'sb'), ('inc2', 'sb')) v(t, c);
SELECT sum(cardinality(mlsync.mls_sync(t, mode => 'full', wait => true))) AS runs
  FROM unnest(ARRAY['inc', 'inc2']) t;

-- "As of" walks forward from now (history is recorded now, so every moment
-- of the walk sees all of it).
CREATE TEMP TABLE walk (step int, as_of timestamptz);
INSERT INTO walk SELECT 0, now();

-- market_stats of the test's tenants against mls_stats_compute() as of the
-- last refresh: rows that one has and the other has not, both ways.
CREATE FUNCTION pg_temp.differences() RETURNS bigint
LANGUAGE sql
RETURN mls_test.stats_differences(ARRAY['inc', 'inc2'], (SELECT max(as_of) FROM walk));

-- One step of the walk: the refresh as of the next moment, then the check.
CREATE FUNCTION pg_temp.refresh_and_check(at_step int, days int, OUT step int, OUT has_rows boolean,
										  OUT differences bigint, OUT rebuilt text)
LANGUAGE plpgsql AS $$
DECLARE
	before timestamptz := (SELECT max(rebuilt_at) FROM mlsync.mls_stats_state);
BEGIN
	INSERT INTO walk SELECT at_step, max(w.as_of) + make_interval(days => days) FROM walk w;
	PERFORM mlsync.mls_stats_refresh(false, (SELECT max(as_of) FROM walk));
	step := at_step;
	has_rows := EXISTS (SELECT FROM mlsync.market_stats WHERE tenant_id IN ('inc', 'inc2'));
	differences := pg_temp.differences();
	rebuilt := (SELECT string_agg(tenant_id, ',' ORDER BY tenant_id) FROM mlsync.mls_stats_state
				 WHERE rebuilt_at > before);
END
$$;

-- A random market step for an MLS: how many of each change.
CREATE FUNCTION pg_temp.random_step(mls text, seed int) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT mls_test.advance(jsonb_build_object('mls', mls, 'seed', seed,
		'new', (random() * 8)::int, 'price_cut', (random() * 10)::int,
		'price_raise', (random() * 4)::int, 'pending', (random() * 8)::int,
		'closed', (random() * 8)::int, 'expired', (random() * 3)::int,
		'withdrawn', (random() * 3)::int, 'canceled', (random() * 2)::int,
		'back_on_market', (random() * 4)::int, 'photos_changed', (random() * 3)::int,
		'deleted', (random() * 2)::int, 'minutes', 60 * 24))
$$;

-- the first refresh builds everything
SELECT mlsync.mls_stats_refresh(false, (SELECT max(as_of) FROM walk)) > 0 AS built;
SELECT pg_temp.differences() AS differences;
SELECT count(*) AS marks_left FROM mlsync.mls_stats_dirty WHERE tenant_id IN ('inc', 'inc2');

-- Ten steps: the markets move, the feeds sync (a reconcile now and then
-- finds the deletions), and "as of" moves 1 to 9 days each time.
CREATE FUNCTION pg_temp.market_step(step int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.random_step('sa', 100 + step);
	PERFORM pg_temp.random_step('sb', 200 + step);
	PERFORM mlsync.mls_sync(t, mode => CASE WHEN step % 4 = 3 THEN 'reconcile' ELSE 'incremental' END,
							wait => true)
	  FROM unnest(ARRAY['inc', 'inc2']) t;
END
$$;
CREATE TEMP TABLE checks (step int, has_rows boolean, differences bigint, rebuilt text);
-- each step in transactions of its own, as a schedule runs them
CREATE PROCEDURE pg_temp.walk_steps(first int, last int)
LANGUAGE plpgsql AS $$
BEGIN
	FOR s IN first..last LOOP
		PERFORM pg_temp.market_step(s);
		COMMIT;
		INSERT INTO checks SELECT * FROM pg_temp.refresh_and_check(s, 1 + (random() * 8)::int);
		COMMIT;
	END LOOP;
END
$$;
CALL pg_temp.walk_steps(1, 10);
SELECT * FROM checks ORDER BY step;

-- what the refreshes recomputed: the marks are taken, the facts follow the
-- listings
SELECT count(*) AS marks_left FROM mlsync.mls_stats_dirty WHERE tenant_id IN ('inc', 'inc2');
SELECT (SELECT count(*) FROM mlsync.mls_stats_facts WHERE tenant_id = 'inc')
	 = (SELECT count(*) FROM mlsync.mls_stats_listing_facts((SELECT max(as_of) FROM walk), 'inc'))
	   AS facts_follow_the_listings;

-- An application edits listings and marks them: new cities (the listings
-- change series), and a status that leaves them out of the statistics.
UPDATE mlsync.mls_listings SET city = 'Moved ' || city
 WHERE tenant_id = 'inc' AND connection = 'sa' AND listing_key IN (
	SELECT listing_key FROM mlsync.mls_listings WHERE tenant_id = 'inc' AND connection = 'sa'
	 ORDER BY md5(listing_key) LIMIT 12);
UPDATE mlsync.mls_listings SET standard_status = 'Incomplete'
 WHERE tenant_id = 'inc' AND connection = 'sb' AND listing_key IN (
	SELECT listing_key FROM mlsync.mls_listings WHERE tenant_id = 'inc' AND connection = 'sb'
	   AND standard_status = 'Closed' ORDER BY md5(listing_key) LIMIT 5);
INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
SELECT tenant_id, connection, listing_key FROM mlsync.mls_listings
 WHERE tenant_id = 'inc' AND (city LIKE 'Moved %' OR standard_status = 'Incomplete');
SELECT * FROM pg_temp.refresh_and_check(11, 3);
SELECT count(*) > 0 AS moved_series FROM mlsync.market_stats
 WHERE tenant_id = 'inc' AND area_type = 'city' AND area LIKE 'Moved %';

-- A connection of inc is dropped: its listings leave inc's statistics.
DELETE FROM mlsync.mls_connections WHERE tenant_id = 'inc' AND connection = 'sb';
SELECT * FROM pg_temp.refresh_and_check(12, 2);
SELECT count(*) AS facts_of_dropped FROM mlsync.mls_stats_facts WHERE tenant_id = 'inc' AND connection = 'sb';

-- A month and more later, the window has moved: still equal.
SELECT pg_temp.market_step(13);
SELECT * FROM pg_temp.refresh_and_check(13, 35);

-- A full rebuild gives the same figures as the refreshes before it.
CREATE TEMP TABLE incremental AS SELECT * FROM mlsync.market_stats WHERE tenant_id IN ('inc', 'inc2');
SELECT mlsync.mls_stats_refresh(true, (SELECT max(as_of) FROM walk)) > 0 AS rebuilt;
SELECT (SELECT count(*) FROM (SELECT * FROM incremental EXCEPT ALL
							  SELECT * FROM mlsync.market_stats WHERE tenant_id IN ('inc', 'inc2')) a)
	 + (SELECT count(*) FROM (SELECT * FROM mlsync.market_stats WHERE tenant_id IN ('inc', 'inc2')
							  EXCEPT ALL SELECT * FROM incremental) b) AS differences_from_rebuild;

-- Changed settings rebuild that tenant, and only it.
UPDATE mlsync.mls_stats_settings SET months_of_supply_basis = 'closed' WHERE tenant_id = 'inc2';
SELECT pg_temp.market_step(14);
SELECT * FROM pg_temp.refresh_and_check(14, 1);

-- mls_refresh_stats(): as of now, incremental; full => true rebuilds all.
SELECT mlsync.mls_refresh_stats() AS refreshed_rows \gset
SELECT :refreshed_rows = count(*) AS counts_rows FROM mlsync.market_stats;
SELECT mlsync.mls_refresh_stats(full => true) AS refreshed_rows \gset
SELECT :refreshed_rows = count(*) AS full_counts_rows FROM mlsync.market_stats;

DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('inc', 'inc2');
SELECT count(*) AS statistics_rows_left FROM mlsync.mls_stats_cells WHERE tenant_id IN ('inc', 'inc2');
