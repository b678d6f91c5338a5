-- RETS protocol logic (docs/protocols.md R2, R4, R6, R7): the
-- RETS-UA-Authorization digest against every published test vector, DMQL2
-- queries and their percent-encoding, the splitting of truncated query
-- windows and key ranges until they cannot be split, and reply codes mapped
-- to the categories of mls_sync_errors and to what a sync does.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\set VERBOSITY terse
\getenv shared MLSYNC_SHARED_DIR
SELECT set_config('test.fixtures', :'shared' || '/fixtures/rets', false) <> '' AS fixtures_found;

-- RETS-UA-Authorization: the vectors of docs/protocols.md R2 (two from libRETS's
-- UserAgentAuthCalculatorTest, one with the Interealty variant)
SELECT user_agent, session_id, rets_version, interealty,
	   mlsync.mls_rets_ua_authorization(user_agent, ua_password, request_id, session_id, rets_version, interealty) AS header,
	   mlsync.mls_rets_ua_authorization(user_agent, ua_password, request_id, session_id, rets_version, interealty)
	   = 'Digest ' || expected AS matches_vector
  FROM (VALUES ('MyAgent/1.2.3', 'secret', '98765', '1234567', 'RETS/1.7', false, '71c39e723a334222bc7a1025b9c363e2'),
			   ('VieleRETS/1.1.0', 'NWA', '', '', 'RETS/1.5', true, '07554bfdcfb2b37e280b6d9c4826bc46'),
			   ('mlsync/1.0', 'uapass', '', '', 'RETS/1.7.2', false, 'abdd475ec284cca16c9a8776eaa33e5e'),
			   ('mlsync/1.0', 'uapass', '', 'ABC123', 'RETS/1.7.2', false, 'c6dbd00e9364a466de3d48606e0de405'),
			   ('mlsync/1.0', 'uapass', '', 'ABC123', 'RETS/1.8', false, '863305140ec0fcb774beda2bbe1e0c6a'))
	   v(user_agent, ua_password, request_id, session_id, rets_version, interealty, expected);
-- the same two-step MD5 computed with PostgreSQL's md5(); inputs are
-- trimmed; the "RETS/" prefix is added when missing; the Interealty variant
-- hashes only the product name
SELECT mlsync.mls_rets_ua_authorization('mlsync/1.0', 'uapass', '7', 'S1', 'RETS/1.8')
	   = 'Digest ' || md5(md5('mlsync/1.0:uapass') || ':7:S1:RETS/1.8') AS same_as_md5,
	   mlsync.mls_rets_ua_authorization(' mlsync/1.0 ', E'\tuapass ', '', ' ABC123', ' RETS/1.8 ')
	   = mlsync.mls_rets_ua_authorization('mlsync/1.0', 'uapass', '', 'ABC123', 'RETS/1.8') AS trimmed,
	   mlsync.mls_rets_ua_authorization('mlsync/1.0', 'uapass', '', '', '1.7.2')
	   = mlsync.mls_rets_ua_authorization('mlsync/1.0', 'uapass', '', '', 'RETS/1.7.2') AS prefix_added,
	   mlsync.mls_rets_ua_authorization('VieleRETS/1.1.0', 'NWA', '', '', 'RETS/1.5', true)
	   = mlsync.mls_rets_ua_authorization('VieleRETS', 'NWA', '', '', 'RETS/1.5') AS interealty_is_product_only,
	   mlsync.mls_rets_ua_authorization('mlsync/1.0', 'uapass') AS defaults;
SELECT mlsync.mls_rets_ua_authorization(NULL, 'x');

-- DMQL2: inclusive time windows, open-ended windows, milliseconds rounded
-- outwards, key ranges, status lists, an extra query, all ANDed with ','
SELECT mlsync.mls_rets_query('ModificationTimestamp', '2024-01-01', '2024-01-02') AS day_window,
	   mlsync.mls_rets_query('ModificationTimestamp', '2024-01-01 10:00:00') AS from_watermark,
	   mlsync.mls_rets_query('LastModified', to_ts => '2024-01-01 23:59:59') AS up_to;
SELECT mlsync.mls_rets_query('TS', '2024-01-01 10:00:00.1231', '2024-01-01 10:00:00.1239') AS milliseconds,
	   mlsync.mls_rets_query('TS', '2024-01-01 10:00:00.000001', '2024-01-01 10:00:00.000001') AS one_microsecond;
SELECT mlsync.mls_rets_query(key_field => 'matrix_unique_id', key_from => '100', key_to => '200') AS key_range,
	   mlsync.mls_rets_query(key_field => 'matrix_unique_id', key_from => '0') AS keys_from,
	   mlsync.mls_rets_query(key_field => 'LIST_1', key_to => '20140904164308260560000000') AS keys_to;
SELECT mlsync.mls_rets_query(status_field => 'Status', statuses => '{A,P}') AS codes,
	   mlsync.mls_rets_query(status_field => 'StandardStatus', statuses => '{Active,Active Under Contract,A-1}') AS quoted;
SELECT mlsync.mls_rets_query(extra_query => '(City=Naples)|(City=Bonita)') AS wrapped,
	   mlsync.mls_rets_query(extra_query => ' (ListingId="V0-215012678") ') AS one_group,
	   mlsync.mls_rets_query(extra_query => '(A=1),(B=2)') AS two_groups;
SELECT mlsync.mls_rets_query('ModificationTimestamp', '2024-03-01', '2024-03-01 06:00', 'matrix_unique_id', '1', '99999',
							 'Status', '{A,P,U}', '(PropertyType=RES)|(PropertyType=CND)') AS everything;
-- refused
SELECT mlsync.mls_rets_query();
SELECT mlsync.mls_rets_query('Mod Time', '2024-01-01');
SELECT mlsync.mls_rets_query(from_ts => '2024-01-01');
SELECT mlsync.mls_rets_query('TS', '2024-01-02', '2024-01-01');
SELECT mlsync.mls_rets_query('TS', '-infinity');
SELECT mlsync.mls_rets_query(key_field => 'K', key_from => 'V0-215');
SELECT mlsync.mls_rets_query(status_field => 'S', statuses => '{}');
SELECT mlsync.mls_rets_query(status_field => 'S', statuses => ARRAY['A', NULL]);
SELECT mlsync.mls_rets_query(status_field => 'S', statuses => '{"say \"hi\""}');
SELECT mlsync.mls_rets_query(extra_query => '(A=1))|((B=2)');
SELECT mlsync.mls_rets_query(extra_query => '(A="1)');

-- Search arguments, percent-encoded: '+' is %2B (never a space), and
-- = ( ) , | " are encoded in the Query; Select and non-ASCII too
SELECT mlsync.mls_rets_search_request('Property', 'RES',
		mlsync.mls_rets_query('ModificationTimestamp', '2024-01-01 10:00:00'),
		"select" => '{ListingKey,ListPrice,City}', "limit" => 2500) AS request;
SELECT mlsync.mls_rets_search_request('Property', 'A', '(LIST_87=2014-07-01T00:00:00+),(City="Montréal")|(Status=|A,P)',
									  'COMPACT', NULL, 100, 101, 0, true, '****') AS request;
SELECT r ~ 'Query=%28ModificationTimestamp%3D2024-01-01T10%3A00%3A00%2B%29%2C' AS plus_encoded,
	   split_part(split_part(r, 'Query=', 2), '&', 1) !~ '[+=(),|" ]' AS nothing_raw_in_query
  FROM mlsync.mls_rets_search_request('Property', 'RES', '(ModificationTimestamp=2024-01-01T10:00:00+),(A=|1,2) ("x y")') r;
-- refused
SELECT mlsync.mls_rets_search_request('Property', 'RES', '(A=1)', 'STANDARD-XML');
SELECT mlsync.mls_rets_search_request('Property', 'RES', '(A=1)', count => 3);
SELECT mlsync.mls_rets_search_request('Property', 'RES', '(A=1)', "offset" => 0);
SELECT mlsync.mls_rets_search_request('Property', 'RES', '(A=1)', "select" => '{"List Price"}');
SELECT mlsync.mls_rets_search_request('Property', NULL, '(A=1)');

-- a truncated window splits in two halves sharing their middle instant
SELECT * FROM mlsync.mls_rets_split_window('2024-01-01', '2024-01-02');
SELECT * FROM mlsync.mls_rets_split_window('2024-01-01 12:00:00.5', '2024-01-01 12:00:01.2');
SELECT * FROM mlsync.mls_rets_split_window('2024-01-01 12:00:00', '2024-01-01 12:00:01', '1 millisecond');
-- one instant, or two instants one resolution apart, cannot be split
SELECT count(*) AS halves FROM mlsync.mls_rets_split_window('2024-01-01 12:00:00', '2024-01-01 12:00:00');
SELECT count(*) AS halves FROM mlsync.mls_rets_split_window('2024-01-01 12:00:00', '2024-01-01 12:00:01');

-- splitting always terminates: chase the half holding one busy instant from
-- a year-long window down to the narrowest window the resolution allows,
-- every half strictly narrower than its window
WITH RECURSIVE chase(step, from_ts, to_ts) AS (
	SELECT 0, timestamp '2023-06-01', timestamp '2024-06-01'
	UNION ALL
	SELECT c.step + 1, h.from_ts, h.to_ts
	  FROM chase c,
		   LATERAL (SELECT * FROM mlsync.mls_rets_split_window(c.from_ts, c.to_ts) s
					 WHERE timestamp '2024-02-29 13:37:42.5' BETWEEN s.from_ts AND s.to_ts
					 ORDER BY s.from_ts LIMIT 1) h
	 WHERE c.step < 100
)
SELECT max(c.step) AS splits, (SELECT to_ts - from_ts FROM chase ORDER BY step DESC LIMIT 1) AS last_window,
	   (SELECT from_ts FROM chase ORDER BY step DESC LIMIT 1) AS last_from,
	   bool_and(c.to_ts - c.from_ts < p.to_ts - p.from_ts) AS always_narrower
  FROM chase c JOIN chase p ON p.step = c.step - 1;
-- no instant of a window falls outside both halves, whatever its fraction
SELECT count(*) AS instants,
	   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM mlsync.mls_rets_split_window('2024-01-01 00:00:00', '2024-01-01 00:00:07') h
									   WHERE t BETWEEN h.from_ts AND h.to_ts)) AS covered
  FROM generate_series(timestamp '2024-01-01 00:00:00', '2024-01-01 00:00:07', '1 millisecond') t;
-- refused
SELECT * FROM mlsync.mls_rets_split_window('2024-01-02', '2024-01-01');
SELECT * FROM mlsync.mls_rets_split_window('2024-01-01', '2024-01-02', '1 day');
SELECT * FROM mlsync.mls_rets_split_window('2024-01-01', '2024-01-02', '0');
SELECT * FROM mlsync.mls_rets_split_window('2024-01-01', 'infinity');

-- integer key ranges split without overlap; one key cannot be split
SELECT * FROM mlsync.mls_rets_split_key_range(1, 100);
SELECT * FROM mlsync.mls_rets_split_key_range(5, 6);
SELECT count(*) AS halves FROM mlsync.mls_rets_split_key_range(5, 5);
SELECT * FROM mlsync.mls_rets_split_key_range(20000426143505724628000000, 20140904164308260560000000);

-- reply codes: the category of mls_sync_errors and what a sync does
SELECT r.* FROM unnest(ARRAY[0, 10000, 20003, 20022, 20036, 20037, 20041, 20050, 20201, 20203, 20206, 20208,
							 20209, 20210, 20211, 20402, 20403, 20407, 20410, 20503, 20513, 20514, 20701, 20702]) c,
				mlsync.mls_rets_reply_code(c) r ORDER BY r.code;
-- codes no list has are classified by their range (libRETS's 20205, a server's own)
SELECT r.* FROM unnest(ARRAY[20205, 20299, 20450, 20599, 10042, 20312, 20799, 12, 99999, -1]) c,
				mlsync.mls_rets_reply_code(c) r ORDER BY r.code;
SELECT count(*) AS rows FROM mlsync.mls_rets_reply_code(NULL);
-- every category is one of mls_sync_errors'; every known code of refindly's
-- list (the RETS 1.7.2/1.8 spec's) is in the table, except the Update
-- transaction's, which a read-only sync never meets
SELECT count(*) AS known_codes,
	   bool_and(category IS NULL OR category IN ('auth', 'network', 'rate_limit', 'server', 'protocol', 'data', 'config')) AS categories_valid,
	   bool_and(action IN ('ok', 'empty', 'truncated', 'split', 'retry', 'relogin', 'skip', 'ignore', 'fatal')) AS actions_valid,
	   bool_and(known) AS all_known
  FROM mlsync.mls_rets_reply_codes();
SELECT (e->>'Code')::int AS code, e->>'Type' AS transaction, r.category, r.action
  FROM json_array_elements(pg_read_file(current_setting('test.fixtures') || '/refindly/rets_reply_codes.json')::json) e,
	   mlsync.mls_rets_reply_code((e->>'Code')::int) r
 WHERE NOT r.known ORDER BY 1;
SELECT count(*) AS spec_codes, count(*) FILTER (WHERE r.known) AS known,
	   bool_and(r.transaction IS NOT DISTINCT FROM e->>'Type') AS same_transactions
  FROM json_array_elements(pg_read_file(current_setting('test.fixtures') || '/refindly/rets_reply_codes.json')::json) e,
	   mlsync.mls_rets_reply_code((e->>'Code')::int) r;

-- the functions' shape: public, immutable, not SECURITY DEFINER
\pset format unaligned
\pset tuples_only true
BEGIN;
SELECT plan(14);
SELECT has_function('mlsync', f, 'mlsync.' || f || ' exists')
  FROM unnest(ARRAY['mls_rets_parse_search', 'mls_rets_parse_metadata', 'mls_rets_parse_login',
					'mls_rets_parse_objects', 'mls_rets_ua_authorization', 'mls_rets_query',
					'mls_rets_search_request', 'mls_rets_split_window', 'mls_rets_split_key_range',
					'mls_rets_reply_code', 'mls_rets_reply_codes']) f;
-- the parsers and protocol helpers; the functions that read stored metadata
-- or talk to a server are tested with the RETS sync
SELECT is(array_agg(proname::text ORDER BY proname), NULL, 'every RETS parsing function is immutable')
  FROM pg_proc WHERE pronamespace = 'mlsync'::regnamespace AND proname LIKE 'mls\_rets\_%' AND provolatile <> 'i'
   AND proname NOT IN ('mls_rets_suggest_mappings', 'mls_rets_create_mapping_set', 'mls_rets_photos',
					   'mls_rets_photos_unchecked',
					   -- they read stored metadata, they parse nothing
					   'mls_rets_server_offset', 'mls_rets_server_timezone', 'mls_rets_timezone_mismatch');
SELECT is(array_agg(proname::text ORDER BY proname), NULL, 'no RETS parsing function is SECURITY DEFINER')
  FROM pg_proc WHERE pronamespace = 'mlsync'::regnamespace AND proname LIKE 'mls\_rets\_%' AND prosecdef
   AND proname NOT IN ('mls_rets_photos', 'mls_rets_photos_unchecked');
SELECT is(array_agg(proname::text ORDER BY proname), NULL, 'every RETS function has a comment')
  FROM pg_proc p WHERE pronamespace = 'mlsync'::regnamespace AND proname LIKE 'mls\_rets\_%'
   AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT * FROM finish();
ROLLBACK;
