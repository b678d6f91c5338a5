-- mlsync install script, part 50: RETS protocol functions
-- (docs/features.md F1, docs/protocols.md R1-R13).  The parsers, the query
-- builder and the reply codes the RETS source uses, callable from SQL so an
-- operator can inspect a recorded response (a body saved with curl -o) and
-- so the tests can drive them with real recordings.  All are pure functions
-- of their arguments.

-- API: Public.
CREATE FUNCTION mls_rets_parse_search(body bytea,
									  content_type text DEFAULT NULL,
									  chunk_size integer DEFAULT NULL,
									  with_rows boolean DEFAULT true)
RETURNS jsonb
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_parse_search$$;

COMMENT ON FUNCTION mls_rets_parse_search(bytea, text, integer, boolean) IS
'parse a RETS Search response (COMPACT or COMPACT-DECODED): reply code, COUNT, columns, rows, truncation, repairs';

-- API: Public.
CREATE FUNCTION mls_rets_parse_metadata(body bytea,
										content_type text DEFAULT NULL,
										chunk_size integer DEFAULT NULL)
RETURNS jsonb
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_parse_metadata$$;

COMMENT ON FUNCTION mls_rets_parse_metadata(bytea, text, integer) IS
'parse a RETS GetMetadata response (COMPACT or STANDARD-XML): one entry per METADATA-* table with its attributes and rows';

-- API: Public.
CREATE FUNCTION mls_rets_parse_login(body bytea,
									 login_url text DEFAULT NULL,
									 content_type text DEFAULT NULL)
RETURNS jsonb
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_parse_login$$;

COMMENT ON FUNCTION mls_rets_parse_login(bytea, text, text) IS
'parse a RETS Login, Logout or Action response: reply code, capability URLs resolved against login_url, Info lines, metadata version, timeout';

-- API: Public.
CREATE FUNCTION mls_rets_parse_objects(body bytea,
									   response_content_type text,
									   response_headers text DEFAULT NULL,
									   chunk_size integer DEFAULT NULL)
RETURNS TABLE (part integer, content_type text, content_id text, object_id text,
			   description text, sub_description text, location text,
			   preferred boolean, reply_code integer, reply_text text,
			   object_data jsonb, headers jsonb, size bigint, data bytea)
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_parse_objects$$;

COMMENT ON FUNCTION mls_rets_parse_objects(bytea, text, text, integer) IS
'parse a RETS GetObject response (multipart, single object or XML error): one row per object';

-- API: Public.  The password travels as an argument: it is visible to
-- whoever sees the statement (logs, pg_stat_activity).
CREATE FUNCTION mls_rets_ua_authorization(user_agent text,
										  ua_password text,
										  request_id text DEFAULT '',
										  session_id text DEFAULT '',
										  rets_version text DEFAULT 'RETS/1.7.2',
										  interealty boolean DEFAULT false)
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_ua_authorization$$;

COMMENT ON FUNCTION mls_rets_ua_authorization(text, text, text, text, text, boolean) IS
'value of the RETS-UA-Authorization header ("Digest <hex>") for a user agent, its password, request id, session id and RETS version';

-- API: Public.
CREATE FUNCTION mls_rets_query(timestamp_field text DEFAULT NULL,
							   from_ts timestamp DEFAULT NULL,
							   to_ts timestamp DEFAULT NULL,
							   key_field text DEFAULT NULL,
							   key_from text DEFAULT NULL,
							   key_to text DEFAULT NULL,
							   status_field text DEFAULT NULL,
							   statuses text[] DEFAULT NULL,
							   extra_query text DEFAULT NULL)
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_query$$;

COMMENT ON FUNCTION mls_rets_query(text, timestamp, timestamp, text, text, text, text, text[], text) IS
'DMQL2 query of an inclusive time window, a key range, a status list and an extra query';

-- API: Public.
CREATE FUNCTION mls_rets_search_request(resource text,
										class text,
										query text,
										format text DEFAULT 'COMPACT-DECODED',
										"select" text[] DEFAULT NULL,
										"limit" integer DEFAULT NULL,
										"offset" integer DEFAULT NULL,
										count integer DEFAULT 1,
										standard_names boolean DEFAULT false,
										restricted_indicator text DEFAULT NULL)
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_search_request$$;

COMMENT ON FUNCTION mls_rets_search_request(text, text, text, text, text[], integer, integer, integer, boolean, text) IS
'percent-encoded arguments of a RETS Search (query string or form body)';

-- API: Public.
CREATE FUNCTION mls_rets_split_window(window_from timestamp,
									  window_to timestamp,
									  resolution interval DEFAULT '1 second')
RETURNS TABLE (from_ts timestamp, to_ts timestamp)
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_split_window$$;

COMMENT ON FUNCTION mls_rets_split_window(timestamp, timestamp, interval) IS
'the two halves of a truncated inclusive query window, sharing their middle instant; no row when the window cannot be split at this resolution';

-- API: Public.  Key ranges are integers, so the halves do not overlap.
CREATE FUNCTION mls_rets_split_key_range(range_from numeric, range_to numeric)
RETURNS TABLE (key_from numeric, key_to numeric)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT k.lo, k.hi
	  FROM (SELECT trunc(range_from) AS lo,
				   floor((trunc(range_from) + trunc(range_to)) / 2) AS mid,
				   trunc(range_to) AS hi) r,
		   LATERAL (VALUES (1, r.lo, r.mid), (2, r.mid + 1, r.hi)) AS k(half, lo, hi)
	 WHERE r.lo < r.hi
	 ORDER BY k.half;
END;

COMMENT ON FUNCTION mls_rets_split_key_range(numeric, numeric) IS
'the two halves of an inclusive integer key range; no row when it holds a single key';

-- API: Public.
CREATE FUNCTION mls_rets_reply_code(reply_code integer)
RETURNS TABLE (code integer, transaction text, category text, action text,
			   meaning text, known boolean)
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE ROWS 1
AS 'MODULE_PATHNAME', $$mls_rets_reply_code$$;

COMMENT ON FUNCTION mls_rets_reply_code(integer) IS
'what a RETS reply code means: the mls_sync_errors category and what a sync does (ok, empty, truncated, split, retry, relogin, skip, ignore, fatal)';

-- API: Public.
CREATE FUNCTION mls_rets_reply_codes()
RETURNS TABLE (code integer, transaction text, category text, action text,
			   meaning text, known boolean)
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_reply_codes$$;

COMMENT ON FUNCTION mls_rets_reply_codes() IS
'every RETS reply code mlsync knows, with its category and action';
