-- What a distributed PostgreSQL (Citus) refuses, looked for in the
-- statements mlsync ran (docs/scaling.md): pg_stat_statements records every
-- statement of the server, nested ones included (track = all, in
-- test/mlsync.conf), so this test reads what every earlier test of the suite
-- ran, after its own syncs of both protocols, events to a subscriber,
-- alerts of a saved search, a reconcile and a statistics refresh.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SET timezone = 'UTC';
SELECT mls_test.use_key_file();
SELECT mls_test.wait_for_launcher();
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

SELECT mls_test.reset('{"mls": "ds", "listings": 300, "seed": 99}') ->> 'count' AS listings;
SELECT mls_test.reset('{"mls": "dr", "listings": 120, "seed": 98}') ->> 'count' AS rets_listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('dist');
SELECT connection FROM mlsync.mls_connect('dist', 'reso', protocol => 'reso',
	endpoint => mls_test.reso_root('ds'), token_url => mls_test.token_url('ds'), username => 'mlsync');
SELECT mlsync.mls_set_credentials('dist', 'reso', client_secret => 's3cret') IS NOT NULL AS stored;
SELECT connection FROM mlsync.mls_connect('dist', 'rets', protocol => 'rets',
	endpoint => mls_test.rets_login('dr'), username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('dist', 'rets', password => 'rets-pass') IS NOT NULL AS stored;
-- the RETS connection maps the server's own field names, from its metadata
SELECT cardinality(mlsync.mls_sync('dist', 'rets', mode => 'metadata', wait => true)) AS metadata_runs;
SELECT mlsync.mls_rets_create_mapping_set('dist', 'rets', 'dist-rets') > 0 AS mapped;
SELECT count(*) AS subscribed FROM mlsync.mls_subscribe('dist-app', tenant => 'dist');
INSERT INTO mlsync.mls_saved_searches (tenant_id, watcher, min_price) VALUES ('dist', 'buyer', 1);

-- (each request commits before its run is waited for)
SELECT mlsync.mls_sync('dist', mode => 'full') AS runs \gset
SELECT array_agg(mlsync.mls_sync_wait(r, '300 seconds')) AS full_syncs FROM unnest(:'runs'::bigint[]) r;
SELECT (mls_test.advance('{"mls": "ds", "new": 5, "price_cut": 10, "pending": 5, "deleted": 3}')
		-> 'changed' IS NOT NULL) AS advanced;
SELECT mlsync.mls_sync('dist', 'reso') AS runs \gset
SELECT array_agg(mlsync.mls_sync_wait(r, '300 seconds')) AS incremental FROM unnest(:'runs'::bigint[]) r;
SELECT mlsync.mls_sync('dist', 'reso', mode => 'reconcile') AS runs \gset
SELECT array_agg(mlsync.mls_sync_wait(r, '300 seconds')) AS reconcile FROM unnest(:'runs'::bigint[]) r;
SELECT count(*) > 0 AS events_delivered FROM mlsync.mls_events_claim('dist-app', 1000);
SELECT count(*) > 0 AS alerted FROM mlsync.mls_alerts WHERE tenant_id = 'dist';
SELECT mlsync.mls_refresh_stats() >= 0 AS refreshed;
SELECT connection, mode, state, message FROM mlsync.mls_sync_history WHERE tenant_id = 'dist' ORDER BY run_id;

-- The statements that read or write mlsync's tables, one line each, without
-- comments; definitions (the install script, the tests' own functions) are
-- not statements a sync runs
CREATE TEMP VIEW ran AS
SELECT q.query, s.toplevel
  FROM pg_stat_statements s
 CROSS JOIN LATERAL (SELECT btrim(regexp_replace(regexp_replace(s.query, '--[^\n]*', '', 'g'),
												 '\s+', ' ', 'g')) AS query) q
 WHERE q.query ~ 'mlsync\.(mls_|market_stats)' AND q.query !~ 'pg_stat_statements'
   AND q.query !~* '^(CREATE|ALTER|COMMENT|DROP|GRANT|REVOKE|DO|SET|RESET)\M';

SELECT plan(7);
SELECT cmp_ok((SELECT count(*)::int FROM ran), '>', 100,
			  'the statements of the syncs, events and statistics were recorded');
-- now() is a coordinator's value: inside CASE or coalesce, or in the SET of
-- ON CONFLICT DO UPDATE, Citus refuses it; it goes in as a parameter
-- (in a statement that writes: a read evaluates it wherever it runs)
SELECT is(array_agg(query), NULL, 'no now() inside a CASE expression of a statement that writes')
  FROM ran WHERE query ~* '\m(INSERT|UPDATE|DELETE)\M' AND query ~* '\mCASE\M((?!\mEND\M).)*\mnow\(\)';
SELECT is(array_agg(query), NULL, 'no now() inside coalesce(), least() or greatest() of a statement that writes')
  FROM ran WHERE query ~* '\m(INSERT|UPDATE|DELETE)\M'
   AND query ~* '\m(coalesce|least|greatest)\s*\(([^()]|\([^()]*\))*\mnow\(\)';
SELECT is(array_agg(query), NULL, 'no now() in the SET of ON CONFLICT DO UPDATE')
  FROM ran WHERE query ~* 'DO UPDATE SET((?!\mRETURNING\M|\mWHERE\M).)*\mnow\(\)';
-- local catalogs in a statement over distributed tables
SELECT is(array_agg(query), NULL, 'no statement joins pg_stat_activity to mlsync''s tables')
  FROM ran WHERE query ~* 'pg_stat_activity';
-- a scalar subquery in VALUES
SELECT is(array_agg(query), NULL, 'no scalar subquery inside VALUES')
  FROM ran WHERE query ~* '\mVALUES\s*\(([^()]|\([^()]*\))*\(\s*SELECT\M';
-- a SQL function over distributed tables that the planner inlines into a
-- statement with parameters is not planned by Citus: the statistics run the
-- body of mls_stats_listing_facts instead.  (A function with a SET clause
-- or SECURITY DEFINER is not inlined: its own statements are planned.)
-- Among the statements mlsync's functions run (not top-level: the tests' own
-- calls of such functions are there too, their literals shown as parameters)
SELECT is(array_agg(DISTINCT m[1]), NULL,
		  'no statement of mlsync''s functions calls an inlined SQL set-returning function in FROM with parameters')
  FROM ran
 CROSS JOIN LATERAL regexp_matches(query, '\m(?:FROM|JOIN)\s+mlsync\.(\w+)\s*\((?:[^()]|\([^()]*\))*?\$[0-9]', 'gi') m
  JOIN pg_proc p ON p.proname = m[1] AND p.pronamespace = 'mlsync'::regnamespace AND p.proretset
				 AND p.proconfig IS NULL AND NOT p.prosecdef
  JOIN pg_language lang ON lang.oid = p.prolang AND lang.lanname = 'sql'
 WHERE NOT ran.toplevel;
SELECT * FROM finish();
