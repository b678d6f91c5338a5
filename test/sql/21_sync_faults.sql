-- Every fault the sample server can inject into a RESO feed, in turn: the
-- run retries what a retry can cure (recording each retry), fails cleanly on
-- what it cannot, and the next run converges on the server's truth.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
-- quick retries for the test; the defaults wait seconds
SET mlsync.retry_base_delay = '20ms';
SET mlsync.retry_max_delay = '5s';
SET mlsync.max_retries = 3;

SELECT mls_test.reset('{"mls": "f", "listings": 90, "seed": 21, "page_max": 25}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('faulty');
SELECT connection FROM mlsync.mls_connect('faulty', 'f', protocol => 'reso',
	endpoint => mls_test.reso_root('f'), token_url => mls_test.token_url('f'),
	username => 'mlsync', page_size => 25);
SELECT mlsync.mls_set_credentials('faulty', 'f', client_secret => 's3cret');

-- one full sync with a fault injected; what the run and its errors say, and
-- whether the listings equal the truth afterwards
CREATE FUNCTION pg_temp.sync_with(fault jsonb, OUT state text, OUT errors text, OUT converged boolean)
LANGUAGE plpgsql AS $$
DECLARE
	last bigint;
BEGIN
	PERFORM mls_test.clear_faults('f');
	IF fault IS NOT NULL THEN
		PERFORM mls_test.fault(fault || '{"mls": "f"}');
	END IF;
	SELECT coalesce(max(error_id), 0) INTO last FROM mlsync.mls_sync_errors;
	-- a run that fails raises its error (wait => true); its state is read below
	BEGIN
		PERFORM mlsync.mls_sync('faulty', 'f', mode => 'full', wait => true);
	EXCEPTION WHEN OTHERS THEN
		IF SQLERRM NOT LIKE 'sync of % failed: %' THEN
			RAISE;
		END IF;
	END;
	SELECT h.state INTO state FROM mlsync.mls_sync_history h WHERE h.mode = 'full' ORDER BY run_id DESC LIMIT 1;
	SELECT string_agg(format('%s/%s/%s x%s', category, coalesce(http_status::text, '-'), retry_state, n),
					  ' ' ORDER BY first)
	  INTO errors
	  FROM (SELECT e.category, e.http_status, e.retry_state, count(*) AS n, min(e.error_id) AS first
			  FROM mlsync.mls_sync_errors e WHERE e.error_id > last
			 GROUP BY 1, 2, 3) g;
	SELECT d.missing = 0 AND d.extra = 0 AND d.different = 0 INTO converged
	  FROM mls_test.diff('faulty', 'f', 'f') d;
	PERFORM mls_test.clear_faults('f');
END
$$;

SELECT * FROM pg_temp.sync_with(NULL);
SELECT 'http_500 x2' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "http_500", "count": 2}');
SELECT 'http_503' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "http_503", "count": 1}');
SELECT 'reset_mid_body' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "reset_mid_body", "count": 1, "after": 1}');
SELECT 'truncated_body' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "truncated_body", "count": 1, "after": 2}');
SELECT 'malformed_json' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "malformed_json", "count": 1, "after": 1}');
SELECT 'invalid_gzip' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "invalid_gzip", "count": 1}');
SELECT 'slow' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "slow", "delay": 1, "count": 1}');
SELECT 'http_500 on the token' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/oauth/token", "fault": "http_500", "count": 1}');

-- 429: the Retry-After the server asks for is honoured
SELECT clock_timestamp() AS before_429 \gset
SELECT 'http_429' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "http_429", "retry_after": 2, "count": 1}');
SELECT clock_timestamp() - :'before_429'::timestamptz >= interval '2 seconds' AS waited_retry_after;

-- an expired token is replaced once, silently
SELECT mls_test.control('DELETE', '/control/log') IS NOT NULL AS log_cleared;
SELECT 'expired_token' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "expired_token", "count": 1, "after": 1}');
SELECT count(*) FILTER (WHERE e ->> 'path' LIKE '%/oauth/token') AS token_requests
  FROM jsonb_array_elements(mls_test.control('GET', '/control/log?mls=f') -> 'entries') e;

-- a response that stops arriving is cut off by mlsync.http_timeout, then retried
SET mlsync.http_timeout = '2s';
SELECT 'slow beyond the timeout' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "slow", "delay": 4, "count": 1}');
SELECT message FROM mlsync.mls_sync_errors WHERE category = 'network' ORDER BY error_id DESC LIMIT 1;
RESET mlsync.http_timeout;

-- a body that never ends: the run gives up after its retries, nothing
-- committed is lost, and the next run converges
SELECT 'endless_body' AS fault, state, converged,
	   (SELECT retry_state FROM mlsync.mls_sync_errors ORDER BY error_id DESC LIMIT 1) AS last_error
  FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "endless_body", "count": -1, "after": 1}');
SELECT * FROM pg_temp.sync_with(NULL);

-- a response larger than mlsync.max_response_bytes once decompressed (the
-- shape of a gzip bomb) is refused outright: retrying would not help
SELECT connection FROM mlsync.mls_connect('faulty', 'f', page_size => 1000);
SELECT mls_test.control('POST', '/control/configure', '{"mls": "f", "page_max": 1000}') ->> 'mls' AS configured;
SET mlsync.max_response_bytes = '256kB';
SELECT * FROM pg_temp.sync_with(NULL);
SELECT category, retry_state, message, bytes_on_wire < 262144 AS compressed_on_the_wire
  FROM mlsync.mls_sync_errors,
	   LATERAL (SELECT bytes AS bytes_on_wire FROM mlsync.mls_sync_history ORDER BY run_id DESC LIMIT 1) h
 ORDER BY error_id DESC LIMIT 1;
RESET mlsync.max_response_bytes;
SELECT * FROM pg_temp.sync_with(NULL);
SELECT connection FROM mlsync.mls_connect('faulty', 'f', page_size => 25);

-- a server failing for longer than the retries: the run fails, a retry is
-- queued for later, the failure counts; the next run converges and resets it
SELECT 'http_500 for good' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "http_500", "count": -1}');
SELECT consecutive_failures, next_attempt_at > now() AS retry_later, last_error
  FROM mlsync.mls_sync_status WHERE connection = 'f';
SELECT trigger, mode, not_before > now() AS later FROM mlsync.mls_sync_queue WHERE connection = 'f';
DELETE FROM mlsync.mls_sync_queue WHERE connection = 'f';
SELECT * FROM pg_temp.sync_with(NULL);
SELECT consecutive_failures, next_attempt_at FROM mlsync.mls_sync_status WHERE connection = 'f';

-- disabled, a connection keeps no queued run: its retry, and a request
-- queued with the disabling UPDATE, are canceled (a waiter is told so), and
-- no next attempt is shown; they would have run when it was enabled again
SELECT 'http_500 for good' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "http_500", "count": -1}');
SELECT run_id AS retry_run FROM mlsync.mls_sync_queue WHERE connection = 'f' AND trigger = 'retry' \gset
BEGIN;
SELECT r AS manual_run FROM unnest(mlsync.mls_sync('faulty', 'f')) r \gset
UPDATE mlsync.mls_connections SET enabled = false WHERE connection = 'f';
COMMIT;
SELECT count(*) AS queued FROM mlsync.mls_sync_queue WHERE connection = 'f';
SELECT run_id = :retry_run AS is_retry, trigger, state, message
  FROM mlsync.mls_sync_history WHERE run_id IN (:retry_run, :manual_run) ORDER BY run_id;
SELECT mlsync.mls_sync_wait(:manual_run, '1 second') AS waiter_told;
SELECT consecutive_failures, next_attempt_at FROM mlsync.mls_sync_status WHERE connection = 'f';
-- enabled again: a new count of failures, and nothing queued from before
-- (here a retry queued by hand, as the launcher could hold one while the
-- connection was disabled)
-- (in one transaction: the launcher cancels what it finds queued on a
-- disabled connection)
BEGIN;
INSERT INTO mlsync.mls_sync_queue (tenant_id, connection, mode, trigger)
VALUES ('faulty', 'f', 'full', 'retry') RETURNING run_id AS stale_retry \gset
SELECT connection, enabled FROM mlsync.mls_connect('faulty', 'f', enabled => true);
COMMIT;
SELECT consecutive_failures, next_attempt_at,
	   (SELECT count(*) FROM mlsync.mls_sync_queue q WHERE q.connection = 'f') AS queued
  FROM mlsync.mls_sync_status WHERE connection = 'f';
SELECT state, message FROM mlsync.mls_sync_history WHERE run_id = :stale_retry;
SELECT * FROM pg_temp.sync_with(NULL);
-- disabled after a run was requested, before it starts: the run is canceled
-- and its caller told so; nothing of it runs
-- (a trigger function that disables the connection of the row it fires
-- for, by hand, as a user would)
CREATE FUNCTION mls_test.disable_connection() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE mlsync.mls_connections SET enabled = false, disabled_reason = 'by hand'
	 WHERE tenant_id = NEW.tenant_id AND connection = NEW.connection;
	RETURN NULL;
END
$$;
CREATE TRIGGER disable_on_request AFTER INSERT ON mlsync.mls_sync_queue
	FOR EACH ROW EXECUTE FUNCTION mls_test.disable_connection();
\set VERBOSITY terse
SELECT mlsync.mls_sync('faulty', 'f', mode => 'full', wait => true);
\set VERBOSITY default
DROP TRIGGER disable_on_request ON mlsync.mls_sync_queue;
SELECT mode, state, message, requests FROM mlsync.mls_sync_history ORDER BY run_id DESC LIMIT 1;
SELECT connection, enabled FROM mlsync.mls_connect('faulty', 'f', enabled => true);

-- values the database cannot store are repaired, the record kept and noted;
-- a clean run then brings the exact records
SELECT 'control_chars' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "control_chars", "count": 1}');
SELECT count(*) > 0 AS noted, bool_and(message LIKE '%replaced%') AS says_replaced
  FROM mlsync.mls_sync_errors WHERE retry_state = 'repaired';
SELECT count(*) AS listings, count(*) FILTER (WHERE raw::text LIKE '%\ufffd%' OR raw::text LIKE '%�%') > 0 AS some_repaired
  FROM mlsync.mls_listings WHERE connection = 'f';
SELECT * FROM pg_temp.sync_with(NULL);
SELECT 'bad_char_refs' AS fault, state, errors LIKE '%repaired%' AS repaired FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "bad_char_refs", "count": 1}');
SELECT * FROM pg_temp.sync_with(NULL);
-- a body in ISO-8859-1 is read as such: the records come out right
SELECT 'latin1_body' AS fault, * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "latin1_body", "count": 1}');

-- the connection's rate limits pace the requests: 4 a second
SELECT connection FROM mlsync.mls_connect('faulty', 'f', rate_per_second => 4);
SELECT clock_timestamp() AS before_paced \gset
SELECT * FROM pg_temp.sync_with(NULL);
SELECT requests >= 6 AS requests, clock_timestamp() - :'before_paced'::timestamptz >= interval '1.25 seconds' AS paced
  FROM mlsync.mls_sync_history ORDER BY run_id DESC LIMIT 1;
-- an hourly budget already spent by the runs of the last hour: the run stops
-- at once, to be retried when the budget allows
SELECT connection FROM mlsync.mls_connect('faulty', 'f', rate_per_hour => 3);
SELECT * FROM pg_temp.sync_with(NULL);
SELECT category, retry_state, message ~ 'request budget is spent' AS says_budget
  FROM mlsync.mls_sync_errors ORDER BY error_id DESC LIMIT 1;
UPDATE mlsync.mls_connections SET rate_per_second = NULL, rate_per_hour = NULL WHERE connection = 'f';
DELETE FROM mlsync.mls_sync_queue WHERE connection = 'f';

-- a connection failing run after run is disabled, with an event for the admin
ALTER SYSTEM SET mlsync.max_consecutive_failures = 2;
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
SHOW mlsync.max_consecutive_failures;
-- (a server error, which a retry may cure; as the run starts, a reconcile
-- is requested, which waits behind it)
CREATE FUNCTION mls_test.request_reconcile() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO mlsync.mls_sync_queue (tenant_id, connection, mode)
	VALUES (NEW.tenant_id, NEW.connection, 'reconcile');
	RETURN NULL;
END
$$;
CREATE TRIGGER request_reconcile AFTER INSERT ON mlsync.mls_sync_history
	FOR EACH ROW WHEN (NEW.mode = 'full') EXECUTE FUNCTION mls_test.request_reconcile();
SELECT * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "http_500", "count": -1}');
DROP TRIGGER request_reconcile ON mlsync.mls_sync_history;
DROP FUNCTION mls_test.request_reconcile();
-- (the run refused by its rate limit above was the first failure in a row)
SELECT enabled, disabled_reason FROM mlsync.mls_connections WHERE connection = 'f';
-- no retry is announced for it, nor queued, and the reconcile requested
-- meanwhile is canceled
SELECT consecutive_failures, next_attempt_at,
	   (SELECT count(*) FROM mlsync.mls_sync_queue q WHERE q.connection = 'f') AS queued
  FROM mlsync.mls_sync_status WHERE connection = 'f';
SELECT mode, trigger, state, message FROM mlsync.mls_sync_history
 WHERE connection = 'f' ORDER BY run_id DESC LIMIT 1;
-- a disabled connection is not synced
SELECT * FROM pg_temp.sync_with(NULL);
SELECT kind, connection, payload ->> 'reason' AS reason FROM mlsync.mls_events WHERE kind = 'connection_disabled';
SELECT state FROM mlsync.mls_status WHERE connection = 'f';
ALTER SYSTEM RESET mlsync.max_consecutive_failures;
SELECT pg_reload_conf();
SELECT connection, enabled, disabled_reason FROM mlsync.mls_connect('faulty', 'f', enabled => true);
-- enabled again, it counts its failures in a row anew (its next failure
-- would disable it again at once)
SELECT consecutive_failures, next_attempt_at FROM mlsync.mls_sync_status WHERE connection = 'f';
SELECT * FROM pg_temp.sync_with(NULL);
-- disabled by hand while a run is in flight (here: as the run starts), the
-- run failing in a way a retry may cure announces no retry and queues none
-- (nothing of a disabled connection runs); enabled again, it starts anew
CREATE TRIGGER disable_in_flight AFTER INSERT ON mlsync.mls_sync_history
	FOR EACH ROW EXECUTE FUNCTION mls_test.disable_connection();
SELECT * FROM pg_temp.sync_with('{"path": "/reso/odata/Property", "fault": "http_500", "count": -1}');
DROP TRIGGER disable_in_flight ON mlsync.mls_sync_history;
DROP FUNCTION mls_test.disable_connection();
SELECT c.enabled, c.disabled_reason, s.consecutive_failures, s.next_attempt_at,
	   (SELECT count(*) FROM mlsync.mls_sync_queue q WHERE q.connection = 'f') AS queued
  FROM mlsync.mls_connections c JOIN mlsync.mls_sync_status s USING (tenant_id, connection)
 WHERE c.connection = 'f';
SELECT connection, enabled FROM mlsync.mls_connect('faulty', 'f', enabled => true);
SELECT * FROM pg_temp.sync_with(NULL);

-- a record the mapping refuses is logged and skipped; the rest of its page is kept
INSERT INTO mlsync.mls_mapping_sets (mapping_set) VALUES ('strict');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, transform, value_map)
SELECT 'strict', target, source_field, transform, value_map FROM mlsync.mls_field_mappings
 WHERE mapping_set = 'reso-dd-2.0';
UPDATE mlsync.mls_field_mappings SET value_map = '{"Pending": "Sold"}'
 WHERE mapping_set = 'strict' AND target = 'standard_status';
SELECT connection FROM mlsync.mls_connect('faulty', 'f', mapping_set => 'strict');
SELECT count(*) AS pending_at_source FROM mls_test.truth('f') r WHERE r ->> 'StandardStatus' = 'Pending' \gset
SELECT cardinality(mlsync.mls_sync('faulty', 'f', mode => 'full', wait => true)) AS runs;
SELECT mode, state, errors = :pending_at_source AS skipped_each_pending, unchanged + updated = seen - errors AS kept_the_rest
  FROM mls_test.last_run('faulty', 'f');
SELECT category, retry_state, record_key IS NOT NULL AS has_key, message
  FROM mlsync.mls_sync_errors ORDER BY error_id DESC LIMIT 1;

DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'faulty';
DELETE FROM mlsync.mls_mapping_sets WHERE mapping_set = 'strict';
