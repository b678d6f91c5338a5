-- Operational alerts as events: every kind is raised once when its
-- condition arises, not again while it lasts, and cleared once
-- (<kind>_cleared) when it ends; each is delivered to a subscribed consumer
-- through claim and ack, like listing events.  sync_failed (a server that
-- keeps failing), auth_failed (credentials refused, at the first failure),
-- error_rate_high (records skipped), sync_slow (from inside a run, and from
-- the health check for a run still running), sync_stale (from the health
-- check, with nothing running), thresholds per connection.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SET mlsync.retry_base_delay = '20ms';
SET mlsync.retry_max_delay = '1s';
SET mlsync.max_retries = 2;

SELECT mls_test.reset('{"mls": "al", "listings": 60, "seed": 21, "page_max": 25}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('opsalert');
SELECT connection, action FROM mlsync.mls_connect('opsalert', 'al', protocol => 'reso',
	endpoint => mls_test.reso_root('al'), token_url => mls_test.token_url('al'),
	username => 'mlsync', page_size => 25);
-- the default thresholds
SELECT connection, alert_slow_after, alert_error_rate_pct, alert_stale_after
  FROM mlsync.mls_connections WHERE tenant_id = 'opsalert';
SELECT mlsync.mls_set_credentials('opsalert', 'al', client_secret => 's3cret');

-- the administrator's consumer receives the operational kinds of the tenant
SELECT consumer, tenant, cardinality(kinds) AS kinds
  FROM mlsync.mls_subscribe('admin', tenant => 'opsalert', kinds => ARRAY[
	'auth_failed', 'auth_failed_cleared', 'sync_failed', 'sync_failed_cleared',
	'sync_slow', 'sync_slow_cleared', 'error_rate_high', 'error_rate_high_cleared',
	'sync_stale', 'sync_stale_cleared', 'listing_cap_reached', 'listing_cap_reached_cleared',
	'connection_disabled']);

-- what the consumer receives now (claimed, then acknowledged)
CREATE FUNCTION pg_temp.delivered(OUT kinds text) LANGUAGE plpgsql AS $$
DECLARE
	ids bigint[];
BEGIN
	SELECT string_agg(c.kind, ', ' ORDER BY c.event_id), array_agg(c.event_id)
	  INTO kinds, ids FROM mlsync.mls_events_claim('admin', 100) c;
	PERFORM mlsync.mls_events_ack('admin', ids);
END
$$;
-- a full sync, waited for; its state (a failed run raises its failure,
-- after the run's own transactions committed its alerts)
CREATE FUNCTION pg_temp.sync(OUT state text) LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM mlsync.mls_sync('opsalert', 'al', mode => 'full', wait => true);
	EXCEPTION WHEN OTHERS THEN
		NULL;
	END;
	SELECT h.state INTO state FROM mlsync.mls_sync_history h
	 WHERE h.tenant_id = 'opsalert' ORDER BY run_id DESC LIMIT 1;
	-- a retry queued by a failure would be run by the launcher meanwhile
	DELETE FROM mlsync.mls_sync_queue q WHERE q.tenant_id = 'opsalert';
END
$$;
-- one listing's refresh (a run that loads no listings), waited for; its mode and state
CREATE FUNCTION pg_temp.single(OUT state text) LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM mlsync.mls_sync('opsalert', 'al', mode => 'single', wait => true,
			listing_key => (SELECT min(listing_key) FROM mlsync.mls_listings WHERE tenant_id = 'opsalert'));
	EXCEPTION WHEN OTHERS THEN
		NULL;
	END;
	SELECT h.mode || ' ' || h.state INTO state FROM mlsync.mls_sync_history h
	 WHERE h.tenant_id = 'opsalert' ORDER BY run_id DESC LIMIT 1;
END
$$;
-- the payload of the last event of a kind, without what changes from run to run
CREATE FUNCTION pg_temp.payload(kind text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT e.payload - ARRAY['run_id', 'raised_at', 'raised_event_id', 'lasted_seconds', 'started_at',
							 'next_attempt_at', 'last_success_at', 'last_load_at', 'stale_seconds', 'running_seconds',
							 'duration_seconds']
	  FROM mlsync.mls_events e WHERE e.tenant_id = 'opsalert' AND e.kind = payload.kind
	 ORDER BY e.event_id DESC LIMIT 1
$$;

-- a healthy connection raises nothing
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;

-- a server failing beyond the retries: sync_failed, once, with the category
-- (the collection only: one listing's request, Property('key'), still works)
SELECT mls_test.fault('{"mls": "al", "path": "/reso/odata/Property\\?", "fault": "http_500", "count": -1}') ->> 'fault' AS fault;
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;
SELECT pg_temp.payload('sync_failed') AS payload;
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered_again;
SELECT alerts FROM mlsync.mls_status WHERE tenant_id = 'opsalert';
CREATE TEMP TABLE failing AS
SELECT consecutive_failures, next_attempt_at, last_error FROM mlsync.mls_sync_status
 WHERE tenant_id = 'opsalert' AND connection = 'al';
SELECT consecutive_failures, next_attempt_at IS NOT NULL AS retry_due FROM failing;
-- one listing's refresh succeeds meanwhile: the syncs still fail, so
-- sync_failed stays raised (no flapping), and their count, backoff and last
-- error stand
SELECT pg_temp.single() AS state;
SELECT pg_temp.delivered() AS delivered_after_single;
SELECT s.consecutive_failures = f.consecutive_failures AS count_stands,
	   s.next_attempt_at = f.next_attempt_at AS retry_stands,
	   s.last_error = f.last_error AS error_stands, m.state, m.alerts
  FROM mlsync.mls_sync_status s, failing f, mlsync.mls_status m
 WHERE s.tenant_id = 'opsalert' AND s.connection = 'al' AND m.tenant_id = 'opsalert' AND m.connection = 'al';
-- a refresh that fails too counts in the row, and keeps the sync's retry
SELECT mls_test.fault('{"mls": "al", "path": "/reso/odata/Property\\(", "fault": "http_500", "count": -1}') ->> 'fault' AS fault;
SELECT pg_temp.single() AS state;
SELECT pg_temp.delivered() AS delivered_after_failed_single;
SELECT s.consecutive_failures = f.consecutive_failures + 1 AS counted,
	   s.next_attempt_at = f.next_attempt_at AS retry_stands
  FROM mlsync.mls_sync_status s, failing f
 WHERE s.tenant_id = 'opsalert' AND s.connection = 'al';
SELECT mls_test.clear_faults('al') IS NOT NULL AS cleared;
-- the next success clears it, once
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;
SELECT (pg_temp.payload('sync_failed_cleared') ->> 'condition') AS condition,
	   (SELECT e.payload ->> 'raised_event_id' FROM mlsync.mls_events e
		 WHERE e.kind = 'sync_failed_cleared' ORDER BY event_id DESC LIMIT 1)::bigint
	   = (SELECT max(event_id) FROM mlsync.mls_events WHERE kind = 'sync_failed') AS names_the_raise;
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered_again;

-- credentials refused: auth_failed at the first failure (and sync_failed)
SELECT mlsync.mls_set_credentials('opsalert', 'al', client_secret => 'revoked');
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;
SELECT pg_temp.payload('auth_failed') AS payload;
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered_again;
SELECT mlsync.mls_set_credentials('opsalert', 'al', client_secret => 's3cret');
-- one listing's refresh proves the credentials (auth_failed cleared), not the syncs
SELECT pg_temp.single() AS state;
SELECT pg_temp.delivered() AS delivered;
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;
SELECT alerts FROM mlsync.mls_status WHERE tenant_id = 'opsalert';

-- records the mapping refuses: error_rate_high when more than the
-- connection's threshold (5 % by default) of the records seen are skipped
INSERT INTO mlsync.mls_mapping_sets (mapping_set) VALUES ('opsalert-strict');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, transform, lookup_name)
SELECT 'opsalert-strict', target, source_field, transform, lookup_name FROM mlsync.mls_field_mappings
 WHERE mapping_set = 'reso-dd-2.0';
UPDATE mlsync.mls_field_mappings SET value_map = '{"Pending": "Sold"}'
 WHERE mapping_set = 'opsalert-strict' AND target = 'standard_status';
SELECT connection FROM mlsync.mls_connect('opsalert', 'al', mapping_set => 'opsalert-strict');
SELECT count(*) * 100.0 / 60 > 5 AS pending_over_5_percent
  FROM mls_test.truth('al') r WHERE r ->> 'StandardStatus' = 'Pending';
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;
SELECT p - 'errors' - 'error_rate_pct' AS payload,
	   (p ->> 'errors')::int = (SELECT count(*) FROM mls_test.truth('al') r
								 WHERE r ->> 'StandardStatus' = 'Pending') AS errors_are_the_pending,
	   (p ->> 'error_rate_pct')::numeric = round((p ->> 'errors')::numeric * 100 / 60, 2) AS rate
  FROM pg_temp.payload('error_rate_high') p;
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered_again;
-- a threshold of the connection's own: 50 % tolerates it, and a success clears it
SELECT connection, action, changed FROM mlsync.mls_connect('opsalert', 'al', alert_error_rate_pct => 50);
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;
SELECT connection FROM mlsync.mls_connect('opsalert', 'al', mapping_set => 'reso-dd-2.0', alert_error_rate_pct => 5);

-- a run longer than the connection's alert_slow_after: sync_slow, raised from
-- inside the run (the batch after the slow page), not again at its end
SELECT connection, action, changed FROM mlsync.mls_connect('opsalert', 'al', alert_slow_after => '1 second');
SELECT mls_test.fault('{"mls": "al", "path": "/reso/odata/Property", "fault": "slow", "delay": 2, "count": 1}') ->> 'fault' AS fault;
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;
SELECT pg_temp.payload('sync_slow') AS payload,
	   (SELECT (e.payload ->> 'running_seconds')::numeric >= 2 FROM mlsync.mls_events e
		 WHERE e.kind = 'sync_slow' ORDER BY event_id DESC LIMIT 1) AS running_for_the_delay,
	   (SELECT e.created_at < h.finished_at FROM mlsync.mls_events e, mlsync.mls_sync_history h
		 WHERE e.kind = 'sync_slow' AND h.run_id = (e.payload ->> 'run_id')::bigint
		 ORDER BY event_id DESC LIMIT 1) AS raised_before_the_run_ended;
-- a run within the threshold clears it
SELECT connection, action, changed FROM mlsync.mls_connect('opsalert', 'al', alert_slow_after => '30 minutes');
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;
-- the health check finds a run still running past its threshold
INSERT INTO mlsync.mls_sync_history (tenant_id, run_id, connection, mode, trigger, requested_at, started_at)
VALUES ('opsalert', -46, 'al', 'incremental', 'manual', now() - interval '45 minutes', now() - interval '45 minutes');
SELECT mlsync.mls_check_health('opsalert') AS events, pg_temp.delivered() AS delivered;
SELECT pg_temp.payload('sync_slow') AS payload;
SELECT mlsync.mls_check_health('opsalert') AS events_again;
DELETE FROM mlsync.mls_sync_history WHERE tenant_id = 'opsalert' AND run_id = -46;
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;

-- no success for longer than alert_stale_after (24 hours by default): the
-- health check raises sync_stale without any run; it is raised once, and
-- cleared by the health check once a success is recent again, or by the
-- success itself
SELECT mlsync.mls_check_health('opsalert', at => now() + interval '23 hours') AS events_at_23_hours;
SELECT mlsync.mls_check_health('opsalert', at => now() + interval '25 hours') AS events_at_25_hours,
	   pg_temp.delivered() AS delivered;
SELECT pg_temp.payload('sync_stale') AS payload;
SELECT mlsync.mls_check_health('opsalert', at => now() + interval '26 hours') AS events_again;
-- a success that loaded no listings (a metadata run, one listing's
-- refresh) leaves them stale: the alert stays raised
UPDATE mlsync.mls_sync_status SET last_success_at = now() + interval '25 hours'
 WHERE tenant_id = 'opsalert' AND connection = 'al';
SELECT mlsync.mls_check_health('opsalert', at => now() + interval '26 hours') AS events_after_other_success,
	   (SELECT alerts FROM mlsync.mls_status WHERE tenant_id = 'opsalert' AND connection = 'al') AS alerts;
SELECT mlsync.mls_check_health('opsalert') AS events_now, pg_temp.delivered() AS delivered;
SELECT mlsync.mls_check_health('opsalert', at => now() + interval '25 hours') AS events,
	   pg_temp.delivered() AS delivered;
SELECT pg_temp.sync() AS state, pg_temp.delivered() AS delivered;
-- a connection that never succeeded counts from its creation; a disabled
-- one is not checked
SELECT connection FROM mlsync.mls_connect('opsalert', 'never', protocol => 'reso',
	endpoint => mls_test.reso_root('al'), alert_stale_after => '2 hours');
SELECT mlsync.mls_check_health('opsalert', at => now() + interval '3 hours') AS events,
	   pg_temp.delivered() AS delivered;
SELECT connection, alerts FROM mlsync.mls_status WHERE tenant_id = 'opsalert' ORDER BY connection;
SELECT connection, action, changed FROM mlsync.mls_connect('opsalert', 'never', enabled => false);
SELECT mlsync.mls_check_health('opsalert', at => now() + interval '3 hours') AS events_disabled;

-- every event went to the consumer exactly once, and nothing is left
SELECT consumer, ready, claimed FROM mlsync.mls_event_backlog WHERE consumer = 'admin';
SELECT kind, count(*) FROM mlsync.mls_events
 WHERE tenant_id = 'opsalert' AND kind NOT IN ('new_listing', 'status_changed', 'price_reduced',
	'price_increased', 'went_pending', 'sold', 'expired', 'withdrawn', 'back_on_market',
	'removed', 'unpublish_requested', 'photos_changed')
 GROUP BY kind ORDER BY kind;

-- bad thresholds are refused
\set VERBOSITY terse
SELECT mlsync.mls_connect('opsalert', 'al', alert_error_rate_pct => 101);
SELECT mlsync.mls_connect('opsalert', 'al', alert_slow_after => '0 seconds');
\set VERBOSITY default

SELECT mlsync.mls_unsubscribe('admin');
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'opsalert';
DELETE FROM mlsync.mls_mapping_sets WHERE mapping_set = 'opsalert-strict';
