-- The two capture paths.  A sync's writes are recorded by the writer itself
-- (mls_writer_capture, once per batch and per removal): history rows,
-- listing events, alerts and deliveries.  The capture, alert and delivery
-- triggers serve every other write, such as an application's own UPDATE.
-- With the four triggers disabled, syncs still record everything; a direct
-- UPDATE records nothing until they are enabled again; with them enabled, a
-- sync still records each change once.  The events raised outside the
-- writer (mls_emit_event, time events, operational alerts,
-- connection_disabled) are delivered and alerted either way: by the
-- triggers, or without them by their own call of
-- mls_events_fanout_untriggered.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();

SELECT mls_test.reset('{"mls": "cp", "listings": 30, "seed": 35, "page_max": 10}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('cpath');
SELECT connection FROM mlsync.mls_connect('cpath', 'cp', protocol => 'reso',
	endpoint => mls_test.reso_root('cp'), token_url => mls_test.token_url('cp'),
	username => 'mlsync', page_size => 10);
SELECT mlsync.mls_set_credentials('cpath', 'cp', client_secret => 's3cret');
SELECT consumer, tenant FROM mlsync.mls_subscribe('cp-app', tenant => 'cpath');

-- a run, waited for, and its state
CREATE FUNCTION pg_temp.sync(mode text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mlsync.mls_sync('cpath', 'cp', mode => mode, wait => true);
	RETURN (SELECT h.state FROM mlsync.mls_sync_history h
			 WHERE h.tenant_id = 'cpath' ORDER BY h.run_id DESC LIMIT 1);
END
$$;
-- what was recorded since the last call: history rows per change, events
-- per kind (alerts per alerted kind), the consumer's deliveries per kind
CREATE TEMPORARY TABLE seen (history_id bigint, event_id bigint);
INSERT INTO seen VALUES (0, 0);
CREATE FUNCTION pg_temp.recorded(OUT history text, OUT events text, OUT delivered text)
LANGUAGE plpgsql AS $$
DECLARE
	h bigint;
	e bigint;
BEGIN
	SELECT s.history_id, s.event_id INTO h, e FROM seen s;
	SELECT string_agg(format('%s %s', x.change, x.n), ', ' ORDER BY x.change) INTO history
	  FROM (SELECT l.change, count(*) AS n FROM mlsync.mls_listing_history l
			 WHERE l.tenant_id = 'cpath' AND l.history_id > h GROUP BY l.change) x;
	SELECT string_agg(format('%s %s', x.kind, x.n), ', ' ORDER BY x.kind) INTO events
	  FROM (SELECT coalesce('alert:' || (v.payload ->> 'alert'), v.kind) AS kind, count(*) AS n
			  FROM mlsync.mls_events v
			 WHERE v.tenant_id = 'cpath' AND v.event_id > e GROUP BY 1) x;
	SELECT string_agg(format('%s %s', x.kind, x.n), ', ' ORDER BY x.kind) INTO delivered
	  FROM (SELECT v.kind, count(*) AS n
			  FROM mlsync.mls_event_deliveries d JOIN mlsync.mls_events v ON v.event_id = d.event_id
			 WHERE d.consumer = 'cp-app' AND d.event_id > e GROUP BY v.kind) x;
	UPDATE seen SET history_id = (SELECT coalesce(max(l.history_id), 0) FROM mlsync.mls_listing_history l),
					event_id = (SELECT coalesce(max(v.event_id), 0) FROM mlsync.mls_events v);
END
$$;

-- The triggers are off: only the writer can record anything.
ALTER TABLE mlsync.mls_listings DISABLE TRIGGER mls_listings_events_insert,
	DISABLE TRIGGER mls_listings_events_update;
ALTER TABLE mlsync.mls_events DISABLE TRIGGER mls_events_alert, DISABLE TRIGGER mls_events_deliver;

-- the first load records history only (no events)
SELECT pg_temp.sync('full') AS state;
SELECT * FROM pg_temp.recorded();

-- price cuts (one of them watched) and new listings, incrementally
SELECT c -> 'price_cut' ->> 0 AS k_cut, jsonb_array_length(c -> 'price_cut') AS cuts,
	   jsonb_array_length(c -> 'new') AS added
  FROM (SELECT mls_test.advance('{"mls": "cp", "seed": 1, "price_cut": 2, "new": 2}') -> 'changed' AS c) a \gset
INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection, listing_key)
VALUES ('cpath', 'w1', 'cp', :'k_cut');
SELECT pg_temp.sync('incremental') AS state;
SELECT * FROM pg_temp.recorded();
SELECT e.watcher, e.payload ->> 'alert' AS alert, c.kind AS cause, c.listing_key = :'k_cut' AS watched_key
  FROM mlsync.mls_events e
  JOIN mlsync.mls_events c ON c.event_id = (e.payload ->> 'cause_event_id')::bigint
 WHERE e.tenant_id = 'cpath' AND e.kind = 'alert';

-- a listing gone at the source, removed by a reconcile run
SELECT jsonb_array_length(mls_test.advance('{"mls": "cp", "seed": 2, "deleted": 1}') -> 'changed' -> 'deleted') AS deleted;
SELECT pg_temp.sync('reconcile') AS state;
SELECT * FROM pg_temp.recorded();

-- Events raised outside the writer fan themselves out while the mls_events
-- triggers are off (as a distributed installation drops them): an emitted
-- event, time events, a failed run's operational alerts and a connection
-- disabled by failures are each delivered (the subscription takes every
-- kind), and a watched listing's event alerts its watcher, once.
SELECT mlsync.mls_emit_event('cpath', 'note', 'cp', :'k_cut', '{"n": 1}') > 0 AS emitted;
SELECT * FROM pg_temp.recorded();
UPDATE mlsync.mls_listings SET expiration_date = date '2026-01-01', standard_status = 'Active'
 WHERE tenant_id = 'cpath' AND listing_key = :'k_cut';
SELECT mlsync.mls_detect_time_events('cpath', as_of => date '2026-01-10') > 0 AS detected;
SELECT * FROM pg_temp.recorded();
SELECT mlsync.mls_set_credentials('cpath', 'cp', client_secret => 'wrong');
ALTER SYSTEM SET mlsync.max_consecutive_failures = 1;
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
SHOW mlsync.max_consecutive_failures;
DO $$ BEGIN PERFORM pg_temp.sync('incremental'); EXCEPTION WHEN OTHERS THEN NULL; END $$;
ALTER SYSTEM RESET mlsync.max_consecutive_failures;
SELECT pg_reload_conf();
SELECT * FROM pg_temp.recorded();
SELECT enabled FROM mlsync.mls_connections WHERE tenant_id = 'cpath';
SELECT mlsync.mls_set_credentials('cpath', 'cp', client_secret => 's3cret');
SELECT connection, enabled FROM mlsync.mls_connect('cpath', 'cp', enabled => true);
-- a run that succeeds clears the conditions
SELECT pg_temp.sync('incremental') AS state;
SELECT * FROM pg_temp.recorded();
-- the function that does it checks its caller's rights: a role that may
-- not see the events, or only read them, is refused
SELECT max(event_id) AS last_event FROM mlsync.mls_events WHERE tenant_id = 'cpath' \gset
CREATE ROLE cpath_stranger;
CREATE ROLE cpath_reader;
SELECT mlsync.mls_grant_tenant('cpath', 'cpath_reader', 'read');
SET ROLE cpath_stranger;
SELECT mlsync.mls_events_fanout_untriggered(ARRAY[:last_event]::bigint[]);
SET ROLE cpath_reader;
SELECT mlsync.mls_events_fanout_untriggered(ARRAY[:last_event]::bigint[]);
RESET ROLE;
SELECT mlsync.mls_revoke_tenant('cpath', 'cpath_reader', 'read');
DROP ROLE cpath_stranger, cpath_reader;

-- a direct write is the triggers' to record: nothing while they are off
SELECT min(listing_key) AS k_direct FROM mlsync.mls_listings
 WHERE tenant_id = 'cpath' AND removed_at IS NULL AND listing_key <> :'k_cut' \gset
UPDATE mlsync.mls_listings SET list_price = list_price - 1000
 WHERE tenant_id = 'cpath' AND listing_key = :'k_direct';
SELECT * FROM pg_temp.recorded();

-- The triggers are on again: the same write is recorded, delivered once.
ALTER TABLE mlsync.mls_listings ENABLE TRIGGER mls_listings_events_insert,
	ENABLE TRIGGER mls_listings_events_update;
ALTER TABLE mlsync.mls_events ENABLE TRIGGER mls_events_alert, ENABLE TRIGGER mls_events_deliver;
UPDATE mlsync.mls_listings SET list_price = list_price - 1000
 WHERE tenant_id = 'cpath' AND listing_key = :'k_direct';
SELECT * FROM pg_temp.recorded();

-- and a sync's changes are still recorded once, not once more by a trigger
SELECT jsonb_array_length(c -> 'price_raise') AS raised, jsonb_array_length(c -> 'new') AS added
  FROM (SELECT mls_test.advance('{"mls": "cp", "seed": 3, "price_raise": 2, "new": 1}') -> 'changed' AS c) a;
SELECT pg_temp.sync('incremental') AS state;
SELECT * FROM pg_temp.recorded();

-- The functions of both paths are the owner's: nobody else records or
-- delivers events through them.
SELECT p.oid::regprocedure AS function, has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute
  FROM pg_proc p
 WHERE p.pronamespace = 'mlsync'::regnamespace
   AND p.proname IN ('mls_capture_inserted', 'mls_capture_updated', 'mls_writer_capture',
					 'mls_alert_events', 'mls_deliver_events', 'mls_events_fanout',
					 'mls_events_fanout_untriggered_unchecked')
 ORDER BY 1::text;

-- Clean up what other files must not see.
SELECT mlsync.mls_unsubscribe('cp-app') >= 0 AS unsubscribed;
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'cpath';
