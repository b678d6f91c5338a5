-- Helpers for tests that talk to the sample MLS server (test/mls_server).
-- \i test/helpers/mls_server.sql from a test: it defines functions in schema
-- mls_test (idempotent) and remembers the server's URL.  The server runs for
-- the whole suite (test/with-mls-server); tests reset the MLSs they use.
\set ECHO none
\getenv mls_url MLS_SERVER_URL
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS mls_test;
SELECT set_config('mls_test.url', :'mls_url', false) \g /dev/null

-- GET, POST or DELETE a control endpoint; the JSON answer.  curl runs as the
-- server's OS user through COPY ... FROM PROGRAM (superuser only, tests only),
-- never through a proxy of the server's environment (test/t/062_http_proxy.pl
-- gives it one).
CREATE OR REPLACE FUNCTION mls_test.control(method text, path text, body jsonb DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	command text;
	result text;
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS mls_test_out (n serial, line text);
	TRUNCATE mls_test_out;
	command := format('curl -sS --noproxy ''*'' --max-time 120 -X %s %s%s',
					  method,
					  CASE WHEN body IS NOT NULL
						   THEN format('-H ''Content-Type: application/json'' --data-binary "$(echo %s | base64 -d)" ',
									   replace(encode(convert_to(body::text, 'UTF8'), 'base64'), E'\n', ''))
						   ELSE '' END,
					  quote_literal(current_setting('mls_test.url') || path));
	EXECUTE format('COPY mls_test_out (line) FROM PROGRAM %L WITH (FORMAT csv, QUOTE %L, DELIMITER %L)',
				   command, E'\x01', E'\x02');
	SELECT string_agg(line, E'\n' ORDER BY n) INTO result FROM mls_test_out;
	RETURN result::jsonb;
END
$$;

-- Reset (or create) an MLS of the sample server.
CREATE OR REPLACE FUNCTION mls_test.reset(options jsonb) RETURNS jsonb
LANGUAGE sql AS $$ SELECT mls_test.control('POST', '/control/reset', options) $$;

-- Advance an MLS's market.
CREATE OR REPLACE FUNCTION mls_test.advance(options jsonb) RETURNS jsonb
LANGUAGE sql AS $$ SELECT mls_test.control('POST', '/control/advance', options) $$;

-- Add a fault rule; clear them.
CREATE OR REPLACE FUNCTION mls_test.fault(options jsonb) RETURNS jsonb
LANGUAGE sql AS $$ SELECT mls_test.control('POST', '/control/faults', options) $$;
CREATE OR REPLACE FUNCTION mls_test.clear_faults(mls text) RETURNS jsonb
LANGUAGE sql AS $$ SELECT mls_test.control('DELETE', '/control/faults?mls=' || mls) $$;

-- The server's current truth: every Property record as /Property serves it.
CREATE OR REPLACE FUNCTION mls_test.truth(mls text) RETURNS SETOF jsonb
LANGUAGE plpgsql AS $$
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS mls_test_truth (line text);
	TRUNCATE mls_test_truth;
	EXECUTE format('COPY mls_test_truth FROM PROGRAM %L WITH (FORMAT csv, QUOTE %L, DELIMITER %L)',
				   format('curl -sS --noproxy ''*'' --max-time 120 %s',
						  quote_literal(current_setting('mls_test.url') || '/control/truth?format=jsonl&mls=' || mls)),
				   E'\x01', E'\x02');
	RETURN QUERY SELECT line::jsonb FROM mls_test_truth WHERE line <> '';
END
$$;

-- Differences between a connection's listings and the server's truth: keys
-- missing, keys too many (not removed), and records whose stored raw differs.
CREATE OR REPLACE FUNCTION mls_test.diff(tenant text, connection text, mls text,
										 OUT missing bigint, OUT extra bigint, OUT different bigint)
LANGUAGE sql AS $$
	WITH truth AS (SELECT r ->> 'ListingKey' AS listing_key, r FROM mls_test.truth(mls) r),
	mine AS (SELECT listing_key, raw FROM mlsync.mls_listings l
			  WHERE l.tenant_id = diff.tenant AND l.connection = diff.connection
				AND l.removed_at IS NULL)
	SELECT count(*) FILTER (WHERE m.listing_key IS NULL),
		   count(*) FILTER (WHERE t.listing_key IS NULL),
		   count(*) FILTER (WHERE t.listing_key IS NOT NULL AND m.listing_key IS NOT NULL
							  AND t.r <> m.raw)
	  FROM truth t FULL JOIN mine m USING (listing_key)
$$;

-- The same for a connection whose mapping set is not the built-in one (a
-- RETS feed under local names): the server's truth is mapped with the
-- built-in set, the stored rows were mapped with the connection's set, and
-- the columns that set maps must agree.  example names one difference.
CREATE OR REPLACE FUNCTION mls_test.mapped_diff(tenant text, connection text, mls text,
												OUT missing bigint, OUT extra bigint,
												OUT different bigint, OUT example text)
LANGUAGE sql AS $$
	WITH cols AS (
		SELECT array_agg(m.target) AS targets
		  FROM mlsync.mls_field_mappings m
		  JOIN mlsync.mls_connections c ON c.mapping_set = m.mapping_set
		 WHERE c.tenant_id = mapped_diff.tenant AND c.connection = mapped_diff.connection
		   AND m.target NOT LIKE 'extra.%'),
	truth AS (
		SELECT r ->> 'ListingKey' AS listing_key,
			   to_jsonb(mlsync.mls_map_record('reso-dd-2.0', r)) AS j
		  FROM mls_test.truth(mls) r),
	mine AS (
		SELECT l.listing_key, to_jsonb(l) AS j
		  FROM mlsync.mls_listings l
		 WHERE l.tenant_id = mapped_diff.tenant AND l.connection = mapped_diff.connection
		   AND l.removed_at IS NULL),
	pairs AS (
		SELECT t.listing_key AS tk, m.listing_key AS mk,
			   (SELECT min(format('%s.%s: %s <> %s', t.listing_key, k, t.j -> k, m.j -> k))
				  FROM unnest(cols.targets) k
				 WHERE (t.j -> k) IS DISTINCT FROM (m.j -> k)) AS first_difference
		  FROM truth t FULL JOIN mine m USING (listing_key) CROSS JOIN cols)
	SELECT count(*) FILTER (WHERE mk IS NULL), count(*) FILTER (WHERE tk IS NULL),
		   count(*) FILTER (WHERE tk IS NOT NULL AND mk IS NOT NULL AND first_difference IS NOT NULL),
		   min(first_difference) FILTER (WHERE tk IS NOT NULL AND mk IS NOT NULL)
	  FROM pairs
$$;

-- What the statistics refresh stored for the tenants against the full
-- computation as of a moment (the refresh's): rows of market_stats that
-- mls_stats_compute() has not, and the other way, counted.
CREATE OR REPLACE FUNCTION mls_test.stats_differences(tenants text[], as_of timestamptz)
RETURNS bigint
LANGUAGE sql AS $$
	WITH v AS (SELECT * FROM mlsync.market_stats WHERE tenant_id = ANY (tenants)),
	c AS (SELECT * FROM mlsync.mls_stats_compute(as_of) WHERE tenant_id = ANY (tenants))
	SELECT (SELECT count(*) FROM (SELECT * FROM v EXCEPT ALL SELECT * FROM c) a)
		 + (SELECT count(*) FROM (SELECT * FROM c EXCEPT ALL SELECT * FROM v) b)
$$;

-- The RETS Login URL of an MLS.
CREATE OR REPLACE FUNCTION mls_test.rets_login(mls text) RETURNS text
LANGUAGE sql AS $$ SELECT current_setting('mls_test.url') || '/' || mls || '/rets/login' $$;

-- Log in to an MLS's RETS server as another client would, and stay logged in.
CREATE OR REPLACE FUNCTION mls_test.open_rets_session(mls text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('COPY (SELECT 1) TO PROGRAM %L',
				   format('cat >/dev/null; curl -sS --noproxy ''*'' --max-time 30 --digest -u mlsync:rets-pass -o /dev/null %s',
						  quote_literal(mls_test.rets_login(mls))));
END
$$;

-- The requests an MLS received since the log was last cleared, oldest first.
CREATE OR REPLACE FUNCTION mls_test.requests(mls text) RETURNS SETOF jsonb
LANGUAGE sql AS $$
	SELECT e FROM jsonb_array_elements(
		(SELECT CASE jsonb_typeof(l) WHEN 'array' THEN l ELSE l -> 'entries' END
		   FROM mls_test.control('GET', '/control/log?mls=' || mls) l)) e
	 ORDER BY (e ->> 'seq')::bigint
$$;
CREATE OR REPLACE FUNCTION mls_test.clear_requests() RETURNS void
LANGUAGE sql AS $$ SELECT mls_test.control('DELETE', '/control/log') $$;

-- The last run of a connection, as the history has it.
CREATE OR REPLACE FUNCTION mls_test.last_run(tenant text, connection text,
	OUT mode text, OUT state text, OUT seen bigint, OUT inserted bigint, OUT updated bigint,
	OUT unchanged bigint, OUT removed bigint, OUT flagged bigint, OUT errors bigint)
LANGUAGE sql AS $$
	SELECT mode, state, seen, inserted, updated, unchanged, removed, flagged, errors
	  FROM mlsync.mls_sync_history h
	 WHERE h.tenant_id = last_run.tenant AND h.connection = last_run.connection
	 ORDER BY run_id DESC LIMIT 1
$$;

-- The base URL of an MLS's RESO service root and token endpoint.
CREATE OR REPLACE FUNCTION mls_test.reso_root(mls text) RETURNS text
LANGUAGE sql AS $$ SELECT current_setting('mls_test.url') || '/' || mls || '/reso/odata/' $$;
CREATE OR REPLACE FUNCTION mls_test.token_url(mls text) RETURNS text
LANGUAGE sql AS $$ SELECT current_setting('mls_test.url') || '/' || mls || '/reso/oauth/token' $$;

-- The key file test/mlsync.conf names (mlsync.secret_key_file, relative to
-- the data directory), owned by the server's user with mode 0600.
CREATE OR REPLACE FUNCTION mls_test.use_key_file() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/mlsync_test.key';
BEGIN
	EXECUTE format('COPY (SELECT %L) TO %L', repeat('a1b2c3d4', 8), path);
	-- the program reads its input: a program that does not may break the pipe
	EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'cat >/dev/null; chmod 0600 ' || path);
END
$$;

-- Wait until the launcher runs (it starts once the test database exists).
CREATE OR REPLACE FUNCTION mls_test.wait_for_launcher() RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1..300 LOOP
		IF EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'mlsync launcher') THEN
			RETURN true;
		END IF;
		PERFORM pg_sleep(0.1);
		PERFORM pg_stat_clear_snapshot();
	END LOOP;
	RETURN false;
END
$$;
\set ECHO all
