-- Two tenants sync the same sample MLS, each through a plain login role that
-- may operate it: each gets its own complete copy and sees nothing of the
-- other's.  mls_usage adds up to what the runs recorded (requests, bytes,
-- listings changed, events, listings held), and the daily request quota
-- stops a tenant's sync at a batch boundary until it is lifted.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT current_user AS superuser \gset
SELECT mls_test.use_key_file();
SELECT mls_test.wait_for_launcher();
SELECT mls_test.reset('{"mls": "t61", "listings": 120, "seed": 61, "page_max": 50}') ->> 'count' AS listings;

SELECT (mlsync.mls_create_tenant(t)).tenant_id FROM unnest(ARRAY['north', 'south']) t;
SELECT tenant_id, connection, action
  FROM unnest(ARRAY['north', 'south']) t,
	   mlsync.mls_connect(t, 'mls', protocol => 'reso', endpoint => mls_test.reso_root('t61'),
						  token_url => mls_test.token_url('t61'), username => 'mlsync', page_size => 30)
 ORDER BY 1;
SELECT mlsync.mls_set_credentials(t, 'mls', client_secret => 's3cret') FROM unnest(ARRAY['north', 'south']) t;
CREATE ROLE regress_north_ops LOGIN;
CREATE ROLE regress_south_ops LOGIN;
SELECT mlsync.mls_grant_tenant('north', 'regress_north_ops', 'operate'),
	   mlsync.mls_grant_tenant('south', 'regress_south_ops', 'operate');

-- north's operator starts a sync the launcher runs, waits for it, and reads
-- the status and the history of its tenant only
\c - regress_north_ops
\set SHOW_CONTEXT never
SELECT (mlsync.mls_sync('north', 'mls', mode => 'full'))[1] AS north_run \gset
SELECT mlsync.mls_sync_wait(:north_run, '2 minutes') AS state;
SELECT tenant_id, connection, state, last_success_at IS NOT NULL AS synced FROM mlsync.mls_status;
SELECT tenant_id, mode, state, trigger, inserted, requests > 0 AS requested FROM mlsync.mls_sync_history;
SELECT count(*) AS running FROM mlsync.mls_sync_progress;
SELECT tenant_id, count(*) AS listings FROM mlsync.mls_listings GROUP BY tenant_id;

-- south's operator syncs in its own session
\c - regress_south_ops
\set SHOW_CONTEXT never
SELECT cardinality(mlsync.mls_sync('south', 'mls', mode => 'full', wait => true)) AS runs;
SELECT tenant_id, count(*) AS listings FROM mlsync.mls_listings GROUP BY tenant_id;
SELECT tenant_id, mode, state, inserted FROM mlsync.mls_sync_history;
-- north's run does not exist for south's role
\set VERBOSITY sqlstate
SELECT mlsync.mls_sync_wait(:north_run);
\set VERBOSITY default

\c - :superuser
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SELECT set_config('mls_test.url', :'mls_url', false) \g /dev/null
-- the market moves; both tenants follow it, north also reconciles (the
-- deleted listings) and previews the next step with a dry run
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "t61", "seed": 7, "new": 12, "price_cut": 9,
	"pending": 4, "closed": 3, "deleted": 3}') -> 'changed') AS c(kind, keys);
SELECT (mlsync.mls_sync('north', 'mls', wait => true))[1] AS north_incremental,
	   (mlsync.mls_sync('south', 'mls', wait => true))[1] AS south_incremental \gset
SELECT tenant_id, mode, state FROM mlsync.mls_sync_history
 WHERE run_id IN (:north_incremental, :south_incremental) ORDER BY tenant_id;
SELECT cardinality(mlsync.mls_sync(t, 'mls', mode => 'reconcile', wait => true)) AS reconcile_runs
  FROM unnest(ARRAY['north', 'south']) t;

-- each tenant has a complete copy of its own
SELECT 'north' AS tenant, * FROM mls_test.diff('north', 'mls', 't61')
UNION ALL
SELECT 'south', * FROM mls_test.diff('south', 'mls', 't61');

SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "t61", "seed": 8, "new": 2, "price_cut": 2}') -> 'changed')
	   AS c(kind, keys);
SELECT cardinality(mlsync.mls_sync('north', 'mls', mode => 'dry_run', wait => true)) AS dry_runs;
SELECT mlsync.mls_detect_time_events('north', current_date + 400) > 0 AS time_events;

-- north's dry run requested and downloaded (counted), but changed nothing
SELECT mode, requests > 0 AS requested, inserted + updated > 0 AS previewed_changes
  FROM mlsync.mls_sync_history WHERE tenant_id = 'north' AND mode = 'dry_run';

-- south's operator sees south's usage only
\c - regress_south_ops
SELECT tenant_id, requests > 0 AS requests FROM mlsync.mls_usage;

-- the daily request quota: south may make three more requests today (a
-- token and two pages: batches of one page here)
\c - :superuser
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SELECT set_config('mls_test.url', :'mls_url', false) \g /dev/null
SET mlsync.batch_size = 30;
SELECT sum(requests) + 3 AS quota FROM mlsync.mls_usage WHERE tenant_id = 'south' \gset
SELECT max_requests_per_day = :quota AS quota_set
  FROM mlsync.mls_create_tenant('south', max_requests_per_day => :quota);
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "t61", "seed": 9, "new": 70}') -> 'changed') AS c(kind, keys);
-- the run fails, and mls_sync(wait => true) says so (a rate_limit error)
CREATE FUNCTION pg_temp.sync_error(tenant text, connection text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mlsync.mls_sync(tenant, connection, wait => true);
	RETURN 'succeeded';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '\d+', 'N', 'g');
END
$$;
SELECT pg_temp.sync_error('south', 'mls') AS raised;
SELECT max(run_id) AS quota_run FROM mlsync.mls_sync_history WHERE tenant_id = 'south' \gset
-- the run stopped at the first batch boundary past the quota: a few
-- requests over it at most, the listings of its kept batches stored
SELECT state, regexp_replace(message, '\d+', 'N') AS message, inserted > 0 AS kept_batches,
	   inserted < 70 AS stopped_early
  FROM mlsync.mls_sync_history WHERE run_id = :quota_run;
SELECT category, retry_state FROM mlsync.mls_sync_errors WHERE run_id = :quota_run;
SELECT sum(requests) = :quota AS quota_reached_exactly FROM mlsync.mls_usage WHERE tenant_id = 'south';
SELECT count(*) = 1 AS retry_queued FROM mlsync.mls_sync_queue
 WHERE tenant_id = 'south' AND trigger = 'retry' AND not_before > now();
-- north is not held back by south's quota
SELECT (mlsync.mls_sync('north', 'mls', wait => true))[1] AS north_run_after \gset
SELECT state FROM mlsync.mls_sync_history WHERE run_id = :north_run_after;
-- lifted, the next run completes south's copy
SELECT max_requests_per_day FROM mlsync.mls_tenant_reset('south', 'max_requests_per_day');
SELECT (mlsync.mls_sync('south', 'mls', wait => true))[1] AS after_run \gset
SELECT state FROM mlsync.mls_sync_history WHERE run_id = :after_run;
SELECT * FROM mls_test.diff('south', 'mls', 't61');

-- usage adds up to what all the runs recorded (the failed one too), for
-- each tenant
SELECT t.tenant_id,
	   u.requests = h.requests AS requests,
	   u.bytes_downloaded = h.bytes AS bytes,
	   u.listings_changed = h.changed AS listings_changed,
	   u.events_raised = (SELECT count(*) FROM mlsync.mls_events e WHERE e.tenant_id = t.tenant_id)
		 AS events_raised,
	   u.listings_held = (SELECT count(*) FROM mlsync.mls_listings l
						   WHERE l.tenant_id = t.tenant_id AND l.removed_at IS NULL) AS listings_held,
	   u.requests > 0 AND u.bytes_downloaded > 0 AND u.listings_changed > 0 AS counted,
	   u.events_raised > 0 AS events_counted
  FROM mlsync.mls_tenants t
  JOIN (SELECT tenant_id, sum(requests) AS requests, sum(bytes_downloaded) AS bytes_downloaded,
			   sum(listings_changed) AS listings_changed, sum(events_raised) AS events_raised,
			   (array_agg(listings_held ORDER BY day DESC))[1] AS listings_held
		  FROM mlsync.mls_usage GROUP BY tenant_id) u USING (tenant_id)
  JOIN (SELECT tenant_id, sum(requests) AS requests, sum(bytes) AS bytes,
			   sum(inserted + updated + removed) FILTER (WHERE mode <> 'dry_run') AS changed
		  FROM mlsync.mls_sync_history GROUP BY tenant_id) h USING (tenant_id)
 WHERE t.tenant_id IN ('north', 'south')
 ORDER BY 1;

-- a tenant's listing quota stops the run at the batch that would pass it:
-- the batch is rolled back, and its counts with it (the run's history and
-- the day's usage count what is stored)
SELECT tenant_id FROM mlsync.mls_create_tenant('west', max_listings => 50);
SELECT connection FROM mlsync.mls_connect('west', 'mls', protocol => 'reso', endpoint => mls_test.reso_root('t61'),
										  token_url => mls_test.token_url('t61'), username => 'mlsync', page_size => 30);
SELECT mlsync.mls_set_credentials('west', 'mls', client_secret => 's3cret') IS NOT NULL AS secret_set;
SET mlsync.batch_size = 40;
\set VERBOSITY terse
SELECT mlsync.mls_sync('west', 'mls', mode => 'full', wait => true);
\set VERBOSITY default
RESET mlsync.batch_size;
SELECT h.state, h.inserted, (SELECT count(*) FROM mlsync.mls_listings WHERE tenant_id = 'west') AS stored,
	   u.listings_changed, u.listings_held
  FROM mlsync.mls_sync_history h, mlsync.mls_usage u
 WHERE h.tenant_id = 'west' AND u.tenant_id = 'west';

-- clean up
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('north', 'south', 'west');
DROP ROLE regress_north_ops, regress_south_ops;
