-- mls_sync(wait => true) and the rest of the queue (docs/reference.md,
-- "mls_sync"): the sync runs in a request worker, so it is refused where
-- the caller could never see it (REPEATABLE READ), it does not deadlock on
-- a lock the caller holds (it is canceled and says why), it waits for a
-- run of another mode of the same connection instead of running beside it,
-- and a caller that gives up while it waits takes its request back.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SELECT mls_test.reset('{"mls": "w25", "listings": 60, "seed": 25, "page_max": 20}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('wt');
SELECT connection FROM mlsync.mls_connect('wt', 'feed', protocol => 'reso', endpoint => mls_test.reso_root('w25'),
										  token_url => mls_test.token_url('w25'), username => 'mlsync',
										  page_size => 20);
SELECT mlsync.mls_set_credentials('wt', 'feed', client_secret => 's3cret');
SELECT cardinality(mlsync.mls_sync('wt', 'feed', mode => 'full', wait => true)) AS first_load;

-- the end of every run of the connection, in order
CREATE FUNCTION pg_temp.runs() RETURNS TABLE (mode text, state text, message text)
LANGUAGE sql AS $$
	SELECT h.mode, h.state, h.message FROM mlsync.mls_sync_history h
	 WHERE h.tenant_id = 'wt' ORDER BY h.run_id
$$;

-- 1. REPEATABLE READ: the caller's snapshot would never show the sync
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT mlsync.mls_sync('wt', 'feed', wait => true);
ROLLBACK;

-- 2. The caller holds a lock the sync needs: the run is canceled, the
-- caller told why, instead of both waiting for ever
BEGIN;
UPDATE mlsync.mls_sync_status SET last_error = last_error WHERE tenant_id = 'wt';
SELECT mlsync.mls_sync('wt', 'feed', wait => true);
ROLLBACK;
SELECT count(*) AS left_in_queue FROM mlsync.mls_sync_queue WHERE tenant_id = 'wt';
SELECT mode, state FROM pg_temp.runs() WHERE state = 'canceled';

-- 3. A reconcile runs (queued for the launcher, slowed by the server):
-- an incremental sync with wait => true waits for it, then runs
SELECT mls_test.fault('{"mls": "w25", "path": "/reso/odata/Property", "fault": "slow", "delay": 2, "count": 2}') ->> 'fault' AS fault;
SELECT cardinality(mlsync.mls_sync('wt', 'feed', mode => 'reconcile')) AS reconcile_queued;
DO $$
BEGIN
	FOR i IN 1 .. 300 LOOP
		EXIT WHEN EXISTS (SELECT 1 FROM mlsync.mls_sync_queue WHERE tenant_id = 'wt' AND state = 'running');
		PERFORM pg_sleep(0.1);
	END LOOP;
END
$$;
SELECT mode, state FROM mlsync.mls_sync_queue WHERE tenant_id = 'wt';
SELECT cardinality(mlsync.mls_sync('wt', 'feed', wait => true)) AS incremental_runs;
SELECT r.state AS reconcile, i.state AS incremental, i.started_at >= r.finished_at AS one_after_the_other
  FROM mlsync.mls_sync_history r, mlsync.mls_sync_history i
 WHERE r.tenant_id = 'wt' AND r.mode = 'reconcile' AND i.tenant_id = 'wt' AND i.mode = 'incremental'
   AND i.state <> 'canceled';

-- 4. The caller gives up while its sync waits behind a running one: the
-- request goes with it, nothing is left queued
SELECT mls_test.fault('{"mls": "w25", "path": "/reso/odata/Property", "fault": "slow", "delay": 3, "count": 2}') ->> 'fault' AS fault;
SELECT cardinality(mlsync.mls_sync('wt', 'feed', mode => 'reconcile')) AS reconcile_queued;
DO $$
BEGIN
	FOR i IN 1 .. 300 LOOP
		EXIT WHEN EXISTS (SELECT 1 FROM mlsync.mls_sync_queue WHERE tenant_id = 'wt' AND state = 'running');
		PERFORM pg_sleep(0.1);
	END LOOP;
END
$$;
SET statement_timeout = '1500ms';
SELECT mlsync.mls_sync('wt', 'feed', mode => 'full', wait => true);
RESET statement_timeout;
SELECT pg_sleep(1.5);
SELECT mode, state FROM mlsync.mls_sync_queue WHERE tenant_id = 'wt' AND mode = 'full';
SELECT mode, state, message FROM pg_temp.runs() WHERE mode = 'full' AND state = 'canceled';
DO $$
BEGIN
	FOR i IN 1 .. 600 LOOP
		EXIT WHEN NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue WHERE tenant_id = 'wt');
		PERFORM pg_sleep(0.1);
	END LOOP;
END
$$;
SELECT mode, state, message FROM pg_temp.runs();

-- 5. mlsync.max_requests_per_run bounds the whole run, every pass of it:
-- a reconcile whose key sweep alone fits stops before its repair pass
SELECT cardinality(mlsync.mls_sync('wt', 'feed', mode => 'reconcile', wait => true)) AS clean_reconcile;
SELECT requests AS sweep_requests FROM mlsync.mls_sync_history
 WHERE tenant_id = 'wt' ORDER BY run_id DESC LIMIT 1 \gset
DELETE FROM mlsync.mls_listings WHERE tenant_id = 'wt' AND listing_key IN
	(SELECT listing_key FROM mlsync.mls_listings WHERE tenant_id = 'wt' ORDER BY listing_key LIMIT 5);
SET mlsync.max_requests_per_run = :sweep_requests;
-- terse: the error's detail names the run's id, which depends on earlier tests
\set VERBOSITY terse
SELECT mlsync.mls_sync('wt', 'feed', mode => 'reconcile', wait => true);
\set VERBOSITY default
SELECT state, requests = :sweep_requests AS stopped_after_the_sweep, fetched_missing,
	   replace(message, :'sweep_requests', 'N') AS message
  FROM mlsync.mls_sync_history WHERE tenant_id = 'wt' ORDER BY run_id DESC LIMIT 1;
RESET mlsync.max_requests_per_run;
SELECT cardinality(mlsync.mls_sync('wt', 'feed', mode => 'reconcile', wait => true)) AS repaired;

-- every listing of the server is there, and nothing else
SELECT count(*) FILTER (WHERE l.listing_key IS NULL) AS missing,
	   count(*) FILTER (WHERE l.list_price IS DISTINCT FROM (t ->> 'ListPrice')::numeric) AS differ
  FROM mls_test.truth('w25') t
  LEFT JOIN mlsync.mls_listings l ON l.tenant_id = 'wt' AND l.listing_key = t ->> 'ListingKey'
	   AND l.removed_at IS NULL;

-- 6. the run is queued by a worker of its own, which sees only what is
-- committed: a connection this transaction created, enabled or changed is
-- refused before anything is queued (the worker would not find it, find it
-- disabled, or sync it as it was)
SELECT count(*) AS runs_before FROM mlsync.mls_sync_history WHERE tenant_id = 'wt' \gset
BEGIN;
SELECT connection FROM mlsync.mls_connect('wt', 'uncommitted', protocol => 'reso',
	endpoint => mls_test.reso_root('w25'), token_url => mls_test.token_url('w25'));
SELECT mlsync.mls_sync('wt', 'uncommitted', wait => true);
ROLLBACK;
UPDATE mlsync.mls_connections SET enabled = false WHERE tenant_id = 'wt' AND connection = 'feed';
BEGIN;
SELECT connection, enabled FROM mlsync.mls_connect('wt', 'feed', enabled => true);
SELECT mlsync.mls_sync('wt', 'feed', wait => true);
ROLLBACK;
UPDATE mlsync.mls_connections SET enabled = true WHERE tenant_id = 'wt' AND connection = 'feed';
BEGIN;
UPDATE mlsync.mls_connections SET page_size = 30 WHERE tenant_id = 'wt' AND connection = 'feed';
SELECT mlsync.mls_sync('wt', wait => true);
ROLLBACK;
-- its secrets too (the worker would sign in with the old ones)
BEGIN;
SELECT mlsync.mls_set_credentials('wt', 'feed', client_secret => 's3cret') IS NOT NULL AS secret_set;
SELECT mlsync.mls_sync('wt', 'feed', wait => true);
ROLLBACK;
SELECT count(*) - :runs_before AS runs_recorded
  FROM mlsync.mls_sync_history WHERE tenant_id = 'wt';
-- committed, the same call syncs
SELECT cardinality(mlsync.mls_sync('wt', 'feed', wait => true)) AS synced;

-- 7. A request merged into a running run after the run last looked for
-- one (here while it reads its media lists, slowed by the server) still
-- gets its pass before the run ends: the change it was made for arrives
SELECT mls_test.reset('{"mls": "w25m", "listings": 30, "seed": 26}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('wt', 'late', protocol => 'reso',
	endpoint => mls_test.reso_root('w25m'), token_url => mls_test.token_url('w25m'),
	username => 'mlsync', photo_policy => 'metadata');
SELECT mlsync.mls_set_credentials('wt', 'late', client_secret => 's3cret') IS NOT NULL AS secret_set;
SELECT cardinality(mlsync.mls_sync('wt', 'late', mode => 'full', wait => true)) AS loaded;
SELECT jsonb_array_length(mls_test.advance('{"mls": "w25m", "seed": 1, "price_cut": 2}') -> 'changed' -> 'price_cut') AS cut;
SELECT mls_test.fault('{"mls": "w25m", "path": "/reso/odata/Media", "fault": "slow", "delay": 3, "count": 1}') ->> 'id' AS slow_media \gset
SELECT (mlsync.mls_sync('wt', 'late'))[1] AS late_run \gset
DO $$
BEGIN
	FOR i IN 1 .. 300 LOOP
		EXIT WHEN (SELECT (r ->> 'matched')::int FROM jsonb_array_elements(mls_test.control('GET', '/control/faults') -> 'rules') r
					WHERE r ->> 'mls' = 'w25m') > 0;
		PERFORM pg_sleep(0.1);
	END LOOP;
END
$$;
SELECT jsonb_array_length(mls_test.advance('{"mls": "w25m", "seed": 2, "price_cut": 3}') -> 'changed' -> 'price_cut') AS cut;
SELECT (mlsync.mls_sync('wt', 'late'))[1] = :late_run AS merged_into_the_run;
SELECT mlsync.mls_sync_wait(:late_run) AS state;
SELECT count(*) FILTER (WHERE l.list_price IS DISTINCT FROM (t ->> 'ListPrice')::numeric) AS differ
  FROM mls_test.truth('w25m') t
  LEFT JOIN mlsync.mls_listings l ON l.tenant_id = 'wt' AND l.connection = 'late'
	   AND l.listing_key = t ->> 'ListingKey';
SELECT count(*) AS queued FROM mlsync.mls_sync_queue WHERE tenant_id = 'wt';

DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'wt';
