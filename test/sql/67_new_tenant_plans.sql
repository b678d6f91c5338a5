-- A tenant onboarded into a table whose statistics were taken before it
-- existed.  Those statistics say the new tenant_id has no rows; a plan made
-- for that value takes any index that begins with tenant_id for as good as
-- the primary key, and then every lookup by key reads all of the tenant's
-- rows: the first load slows down with its own size (quadratic).  The
-- writer and the matcher look keys up through generic plans made for each
-- batch, which estimate an average tenant, so each key is one primary key
-- lookup.  Checked by what the sync read through the other indexes of
-- mls_listings (pg_stat_user_indexes), which the worker reports when it
-- exits.  Then the worker takes the statistics, once, for the plans of
-- everything else that reads the new tenant's listings.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SELECT mls_test.wait_for_launcher();
SELECT mls_test.reset('{"mls": "p67a", "listings": 400, "seed": 67, "page_max": 200}') ->> 'count' AS listings_a;
SELECT mls_test.reset('{"mls": "p67b", "listings": 400, "seed": 68, "page_max": 200}') ->> 'count' AS listings_b;
SELECT (mlsync.mls_create_tenant(t)).tenant_id FROM unnest(ARRAY['older67', 'newer67']) t;
SELECT tenant_id, connection
  FROM (VALUES ('older67', 'p67a'), ('newer67', 'p67b')) v(t, m),
	   mlsync.mls_connect(t, 'k', protocol => 'reso', endpoint => mls_test.reso_root(m),
						  token_url => mls_test.token_url(m), username => 'mlsync', page_size => 200)
 ORDER BY 1;
SELECT mlsync.mls_set_credentials(t, 'k', client_secret => 's3cret') FROM unnest(ARRAY['older67', 'newer67']) t;

-- Wait until no sync worker is left: a worker reports what it read when it
-- exits.
CREATE FUNCTION pg_temp.wait_for_workers_gone() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1..600 LOOP
		PERFORM pg_stat_clear_snapshot();
		IF NOT EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'mlsync worker') THEN
			RETURN true;
		END IF;
		PERFORM pg_sleep(0.05);
	END LOOP;
	RETURN false;
END $$;
-- Index tuples read through the indexes of mls_listings but its primary key
CREATE FUNCTION pg_temp.other_index_reads() RETURNS bigint LANGUAGE sql AS $$
	SELECT sum(idx_tup_read)::bigint FROM pg_stat_user_indexes
	 WHERE relid = 'mlsync.mls_listings'::regclass AND indexrelid <> 'mlsync.mls_listings_pkey'::regclass
$$;

-- the older tenant loads, then the statistics are taken: they know it
SELECT cardinality(mlsync.mls_sync('older67', 'k', mode => 'full', wait => true)) AS runs;
ANALYZE mlsync.mls_listings;
ANALYZE mlsync.mls_listing_matches;
SELECT count(*) AS stats_know_newer
  FROM pg_stats
 WHERE schemaname = 'mlsync' AND tablename = 'mls_listings' AND attname = 'tenant_id'
   AND 'newer67' = ANY (most_common_vals::text::text[]);

-- Manual ANALYZEs of the two listing tables (autovacuum's are counted apart)
CREATE FUNCTION pg_temp.analyzed() RETURNS bigint LANGUAGE sql AS $$
	SELECT sum(analyze_count)::bigint FROM pg_stat_user_tables
	 WHERE relid IN ('mlsync.mls_listings'::regclass, 'mlsync.mls_listing_matches'::regclass)
$$;

-- the newer tenant's first load: 400 listings in two batches
SELECT pg_temp.wait_for_workers_gone() AS older_worker_gone;
SELECT pg_stat_clear_snapshot();
SELECT pg_temp.other_index_reads() AS reads_before \gset
SELECT pg_temp.analyzed() AS analyzed_before \gset
SELECT cardinality(mlsync.mls_sync('newer67', 'k', mode => 'full', wait => true)) AS runs;
SELECT pg_temp.wait_for_workers_gone() AS newer_worker_gone;
SELECT pg_stat_clear_snapshot();
SELECT mode, state, seen, inserted FROM mls_test.last_run('newer67', 'k');
SELECT * FROM mls_test.diff('newer67', 'k', 'p67b');
-- Read through other indexes per listing written: at most a few (counts
-- of the tenant's listings); reading the tenant's rows for each key was
-- hundreds (200 to 400 per key and lookup).
SELECT (pg_temp.other_index_reads() - :reads_before) / 400.0 < 10 AS few_reads_per_listing;

-- The worker took the statistics once the first load had succeeded: plans
-- made for the newer tenant's value now expect its listings (before, for
-- days on a server of many tenants, until autovacuum's turn).  Later runs
-- do not take them again.
SELECT pg_temp.analyzed() - :analyzed_before AS tables_analyzed_after_first_load;
SELECT count(*) AS stats_know_newer
  FROM pg_stats
 WHERE schemaname = 'mlsync' AND tablename IN ('mls_listings', 'mls_listing_matches')
   AND attname = 'tenant_id' AND 'newer67' = ANY (most_common_vals::text::text[]);
SELECT mls_test.advance('{"mls": "p67b", "seed": 5, "new": 3}') -> 'changed' -> 'new' IS NOT NULL AS advanced;
SELECT cardinality(mlsync.mls_sync('newer67', 'k', mode => 'incremental', wait => true)) AS runs;
SELECT pg_temp.wait_for_workers_gone() AS newer_worker_gone;
SELECT pg_stat_clear_snapshot();
SELECT mode, state, inserted FROM mls_test.last_run('newer67', 'k');
SELECT pg_temp.analyzed() - :analyzed_before AS tables_analyzed_after_incremental;

-- clean up
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('older67', 'newer67');
