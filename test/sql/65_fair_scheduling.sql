-- Fair turns (docs/architecture.md, "Scheduling"): with one worker, a small tenant's incremental sync
-- finishes while a large tenant's full load is still running.  The
-- launcher claims round-robin across tenants; a run that holds the worker
-- yields it between batches when runs of other connections wait, and goes
-- on where it stopped at its next turn.  Then: a run that yielded can be
-- canceled while it waits, and full loads that took many turns converge
-- on the server's truth with every listing inserted once.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SELECT mls_test.wait_for_launcher();

-- Wait (at most two minutes) until a query returns true.
CREATE FUNCTION pg_temp.wait_until(condition text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	ok boolean;
BEGIN
	FOR i IN 1..1200 LOOP
		EXECUTE condition INTO ok;
		IF ok THEN
			RETURN true;
		END IF;
		PERFORM pg_sleep(0.1);
	END LOOP;
	RETURN false;
END
$$;

-- one worker; a run yields it after every batch while others wait; batches
-- of 100 records
ALTER SYSTEM SET mlsync.max_workers = 1;
ALTER SYSTEM SET mlsync.worker_turn = 0;
ALTER SYSTEM SET mlsync.batch_size = 100;
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);

-- a large tenant with two feeds of 1,500 listings, a small one with one of 60
SELECT mls_test.reset('{"mls": "big1", "listings": 1500, "seed": 31, "page_max": 100}') ->> 'count' AS listings;
SELECT mls_test.reset('{"mls": "big2", "listings": 1500, "seed": 32, "page_max": 100}') ->> 'count' AS listings;
SELECT mls_test.reset('{"mls": "small", "listings": 60, "seed": 33}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('bigco');
SELECT tenant_id FROM mlsync.mls_create_tenant('smallco');
SELECT m.connection FROM unnest(ARRAY['big1', 'big2']) c,
	LATERAL mlsync.mls_connect('bigco', c, protocol => 'reso',
		endpoint => mls_test.reso_root(c), token_url => mls_test.token_url(c),
		username => 'mlsync', page_size => 100) m;
SELECT connection FROM mlsync.mls_connect('smallco', 'small', protocol => 'reso',
	endpoint => mls_test.reso_root('small'), token_url => mls_test.token_url('small'),
	username => 'mlsync');
SELECT mlsync.mls_set_credentials(t, c, client_secret => 's3cret')
  FROM (VALUES ('bigco', 'big1'), ('bigco', 'big2'), ('smallco', 'small')) v(t, c);

-- the small feed is loaded and then changes a little
SELECT cardinality(mlsync.mls_sync('smallco', 'small', mode => 'full', wait => true)) AS runs;
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "small", "seed": 3, "new": 2, "price_cut": 3}') -> 'changed')
	   AS c(kind, keys);

-- Requested together: the large tenant's two full loads, then the small
-- incremental sync.  The worker goes to big1 (the tenant that never had
-- one), then, after big1's first batch, to the small tenant (it had a
-- worker less recently than bigco), not to big2.
BEGIN;
SELECT run AS big1_run FROM unnest(mlsync.mls_sync('bigco', 'big1', mode => 'full')) run \gset
SELECT run AS big2_run FROM unnest(mlsync.mls_sync('bigco', 'big2', mode => 'full')) run \gset
SELECT run AS small_run FROM unnest(mlsync.mls_sync('smallco', 'small')) run \gset
COMMIT;
SELECT mlsync.mls_sync_wait(:small_run, '2 minutes') AS small_state;

-- the small sync is done; the large tenant's loads are not: both are still
-- queued or running, far from their 1,500 listings
SELECT state, mode, inserted, updated FROM mlsync.mls_sync_history WHERE run_id = :small_run;
SELECT * FROM mls_test.diff('smallco', 'small', 'small');
SELECT count(*) AS bigco_runs_not_done FROM mlsync.mls_sync_queue WHERE tenant_id = 'bigco';
SELECT (SELECT count(*) FROM mlsync.mls_listings WHERE tenant_id = 'bigco') < 3000 AS bigco_partly_loaded;
-- the order of the first turns: big1, small, then big2
SELECT h.started_at < s.started_at AS big1_before_small,
	   s.started_at < coalesce(b2.started_at, 'infinity') AS small_before_big2
  FROM mlsync.mls_sync_history h, mlsync.mls_sync_history s
  LEFT JOIN mlsync.mls_sync_history b2 ON b2.run_id = :big2_run
 WHERE h.run_id = :big1_run AND s.run_id = :small_run;

-- No worker at all: the running turn yields (big2 waits) and both runs wait,
-- begun, in the queue.  A waiting run that has begun is canceled like a
-- queued one, its history row kept.
SELECT pg_temp.wait_until(format($$SELECT EXISTS (SELECT FROM mlsync.mls_sync_history
										  WHERE run_id = %s)$$, :big2_run)) AS big2_began;
ALTER SYSTEM SET mlsync.max_workers = 0;
SELECT pg_reload_conf();
SELECT pg_temp.wait_until($$SELECT count(*) = 2 FROM mlsync.mls_sync_queue
							 WHERE tenant_id = 'bigco' AND state = 'queued'$$) AS both_waiting;
SELECT connection, state, turns > 0 AS began, resume_raw IS NOT NULL AS resumes_from_a_position
  FROM mlsync.mls_sync_queue WHERE tenant_id = 'bigco' ORDER BY connection;
SELECT state, seen > 0 AS saw_records FROM mlsync.mls_sync_history WHERE run_id = :big2_run;
SELECT mlsync.mls_sync_cancel(:big2_run) AS canceled;
SELECT state, message, finished_at IS NOT NULL AS finished
  FROM mlsync.mls_sync_history WHERE run_id = :big2_run;

-- a request for a feed whose full load has begun is merged into it
SELECT mlsync.mls_sync('bigco', 'big1', mode => 'full') = ARRAY[:big1_run]::bigint[] AS merged;

-- the worker back: big1 goes on where it stopped and ends with every
-- listing inserted once, like one uninterrupted load
ALTER SYSTEM SET mlsync.max_workers = 1;
SELECT pg_reload_conf();
SELECT mlsync.mls_sync_wait(:big1_run, '5 minutes') AS big1_state;
SELECT state, inserted, errors, worker_turns > 2 AS many_turns, total_expected >= 1500 AS counted
  FROM mlsync.mls_sync_history WHERE run_id = :big1_run;
SELECT * FROM mls_test.diff('bigco', 'big1', 'big1');
SELECT count(*) AS history_rows_per_listing_gt_1 FROM (
	SELECT listing_key FROM mlsync.mls_listing_history
	 WHERE tenant_id = 'bigco' AND connection = 'big1' AND change = 'listed'
	 GROUP BY listing_key HAVING count(*) > 1) d;
SELECT count(*) AS queue_rows FROM mlsync.mls_sync_queue;

-- big2 again, from where its canceled run stopped (the watermark): it
-- converges too
SELECT run AS big2_again FROM unnest(mlsync.mls_sync('bigco', 'big2')) run \gset
SELECT mlsync.mls_sync_wait(:big2_again, '5 minutes') AS big2_state;
SELECT * FROM mls_test.diff('bigco', 'big2', 'big2');

-- A RETS full load takes turns too: its windows (at most 100 rows a
-- Search) end at stored positions it goes on from.
SELECT mls_test.reset('{"mls": "r", "listings": 600, "seed": 34, "rets": {"maxrows": 100}}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('retsco');
SELECT connection FROM mlsync.mls_connect('retsco', 'r', protocol => 'rets',
	endpoint => mls_test.rets_login('r'), username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('retsco', 'r', password => 'rets-pass');
SELECT cardinality(mlsync.mls_sync('retsco', 'r', mode => 'metadata', wait => true)) AS runs;
SELECT mlsync.mls_rets_create_mapping_set('retsco', 'r', 'r-fair') > 0 AS mapped;
BEGIN;
SELECT run AS rets_run FROM unnest(mlsync.mls_sync('retsco', 'r', mode => 'full')) run \gset
SELECT run AS big1_again FROM unnest(mlsync.mls_sync('bigco', 'big1', mode => 'full')) run \gset
COMMIT;
SELECT mlsync.mls_sync_wait(:rets_run, '5 minutes') AS rets_state,
	   mlsync.mls_sync_wait(:big1_again, '5 minutes') AS big1_state;
SELECT state, inserted, errors, worker_turns > 1 AS took_turns
  FROM mlsync.mls_sync_history WHERE run_id = :rets_run;
SELECT * FROM mls_test.mapped_diff('retsco', 'r', 'r');
SELECT state, inserted, updated, worker_turns > 1 AS took_turns
  FROM mlsync.mls_sync_history WHERE run_id = :big1_again;

-- A feed over its listing cap whose full load takes turns: its history
-- counts what the cap left out over every turn (each turn used to start
-- from zero again, and a cap reached only in an early turn raised no
-- alert); the new tenant's run has the worker first, then yields it
SELECT mls_test.reset('{"mls": "cap", "listings": 400, "seed": 35, "page_max": 100}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('capco');
SELECT connection FROM mlsync.mls_connect('capco', 'cap', protocol => 'reso',
	endpoint => mls_test.reso_root('cap'), token_url => mls_test.token_url('cap'),
	username => 'mlsync', page_size => 100, max_listings => 50);
SELECT mlsync.mls_set_credentials('capco', 'cap', client_secret => 's3cret') IS NOT NULL AS secret_set;
BEGIN;
SELECT run AS cap_run FROM unnest(mlsync.mls_sync('capco', 'cap', mode => 'full')) run \gset
SELECT run AS small_again FROM unnest(mlsync.mls_sync('smallco', 'small')) run \gset
COMMIT;
SELECT mlsync.mls_sync_wait(:cap_run, '5 minutes') AS cap_state,
	   mlsync.mls_sync_wait(:small_again, '5 minutes') AS small_state;
-- (a turn reads the record it stopped at again: counted again)
SELECT inserted, capped BETWEEN 350 AND 349 + worker_turns AS capped_over_every_turn,
	   worker_turns > 1 AS took_turns
  FROM mlsync.mls_sync_history WHERE run_id = :cap_run;

ALTER SYSTEM RESET mlsync.max_workers;
ALTER SYSTEM RESET mlsync.worker_turn;
ALTER SYSTEM RESET mlsync.batch_size;
SELECT pg_reload_conf();
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('bigco', 'smallco', 'retsco', 'capco');
DELETE FROM mlsync.mls_mapping_sets WHERE mapping_set = 'r-fair';
