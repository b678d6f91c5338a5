-- mlsync install script, part 55: what a RETS connection keeps of its
-- server (metadata) and what it offers on top of a sync (mapping
-- suggestions, a listing's photo list).  docs/features.md F1;
-- docs/protocols.md R8, R9.

-- The server's metadata, one row per METADATA-* table, refreshed by a run
-- whenever the Login reports a new MetadataVersion (or by a metadata run).
CREATE TABLE mls_source_metadata (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	metadata_type	text NOT NULL,
	scope			text NOT NULL,
	version			text,
	date			text,
	attributes		jsonb NOT NULL DEFAULT '{}',
	rows			jsonb NOT NULL CHECK (jsonb_typeof(rows) = 'array'),
	fetched_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, connection, metadata_type, scope),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections
		ON DELETE CASCADE
);

COMMENT ON TABLE mls_source_metadata IS 'a RETS server''s metadata per connection: one row per METADATA-* table (type, scope Resource:Class or Resource:Lookup, attributes, rows)';

SELECT pg_catalog.pg_extension_config_dump('mls_source_metadata', '');

-- API: Private.  Local status spellings RETS servers send, and the RESO
-- StandardStatus each means (for suggestions; a mapping can say otherwise).
CREATE FUNCTION mls_rets_status_synonyms()
RETURNS TABLE (local_value text, standard_status text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	VALUES ('contingent', 'Active Under Contract'),
		   ('under contract', 'Active Under Contract'),
		   ('active contingent', 'Active Under Contract'),
		   ('backup offer', 'Active Under Contract'),
		   ('sold', 'Closed'),
		   ('leased', 'Closed'),
		   ('rented', 'Closed'),
		   ('temporarily withdrawn', 'Withdrawn'),
		   ('withdrawn', 'Withdrawn'),
		   ('cancelled', 'Canceled'),
		   ('temp off market', 'Hold'),
		   ('temporarily off market', 'Hold'),
		   ('off market', 'Hold'),
		   ('deleted', 'Delete'),
		   ('pending sale', 'Pending'),
		   ('under agreement', 'Pending')
$$;

COMMENT ON FUNCTION mls_rets_status_synonyms() IS
'private: local status spellings of RETS servers and the RESO StandardStatus each means, for mapping suggestions';

-- API: Public.  A mapping set proposed from a RETS connection's metadata:
-- every field of its class's METADATA-TABLE whose StandardName (or
-- SystemName) is a RESO Data Dictionary field mlsync maps, with the
-- transform of the built-in set, and for lookups a value map from what the
-- server sends (codes in COMPACT, LongValues in COMPACT-DECODED) to the
-- standard values.  Values no standard value was found for are listed.
CREATE FUNCTION mls_rets_suggest_mappings(tenant text, connection text)
RETURNS TABLE (target text, source_field text, transform text, value_map jsonb,
			   lookup_name text, standard_name text, unmatched_values text[])
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	conn mlsync.mls_connections;
BEGIN
	SELECT * INTO conn FROM mlsync.mls_connections c
	 WHERE c.tenant_id = mls_rets_suggest_mappings.tenant
	   AND c.connection = mls_rets_suggest_mappings.connection;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'connection "%" of tenant "%" does not exist', connection, tenant
			USING ERRCODE = 'undefined_object';
	END IF;
	IF conn.protocol <> 'rets' THEN
		RAISE EXCEPTION 'connection "%" is not a RETS connection', connection
			USING ERRCODE = 'wrong_object_type',
				  HINT = 'A RESO connection uses the built-in mapping set reso-dd-2.0.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_source_metadata m
					WHERE m.tenant_id = conn.tenant_id AND m.connection = conn.connection
					  AND m.metadata_type = 'METADATA-TABLE'
					  AND m.scope = conn.resource || ':' || conn.rets_class) THEN
		RAISE EXCEPTION 'no metadata of class "%" is stored for connection "%"',
						conn.rets_class, connection
			USING ERRCODE = 'no_data_found',
				  HINT = format('Fetch it with SELECT mlsync.mls_sync(%L, %L, mode => ''metadata'', wait => true).',
								tenant, connection);
	END IF;

	RETURN QUERY
	WITH fields AS (
		SELECT f ->> 'SystemName' AS system_name,
			   nullif(f ->> 'StandardName', '') AS standard_name,
			   f ->> 'Interpretation' AS interpretation,
			   nullif(f ->> 'LookupName', '') AS rets_lookup
		  FROM mlsync.mls_source_metadata m, jsonb_array_elements(m.rows) f
		 WHERE m.tenant_id = conn.tenant_id AND m.connection = conn.connection
		   AND m.metadata_type = 'METADATA-TABLE'
		   AND m.scope = conn.resource || ':' || conn.rets_class
	),
	matched AS (
		-- a StandardName wins over a SystemName that happens to be a DD name
		SELECT DISTINCT ON (b.target) b.target, fl.system_name, b.transform,
			   b.lookup_name AS dd_lookup, fl.standard_name, fl.interpretation, fl.rets_lookup
		  FROM fields fl
		  JOIN mlsync.mls_field_mappings b
			ON b.mapping_set = 'reso-dd-2.0'
		   AND b.source_field IN (fl.standard_name, fl.system_name)
		 ORDER BY b.target, (b.source_field = fl.standard_name) DESC, fl.system_name
	),
	items AS (
		SELECT mt.target, i ->> 'Value' AS code, i ->> 'LongValue' AS long_value,
			   i ->> 'ShortValue' AS short_value,
			   CASE WHEN conn.rets_format = 'COMPACT' THEN i ->> 'Value'
					ELSE i ->> 'LongValue' END AS sent
		  FROM matched mt
		  JOIN mlsync.mls_source_metadata m
			ON m.tenant_id = conn.tenant_id AND m.connection = conn.connection
		   AND m.metadata_type = 'METADATA-LOOKUP_TYPE'
		   AND m.scope = conn.resource || ':' || mt.rets_lookup
		 CROSS JOIN jsonb_array_elements(m.rows) i
		 WHERE mt.interpretation LIKE 'Lookup%'
	),
	resolved AS (
		SELECT it.target, it.sent,
			   coalesce(
				   (SELECT l.standard_value FROM mlsync.mls_dd_lookups l
					 WHERE l.lookup_name = coalesce(mt.dd_lookup,
													CASE WHEN mt.transform = 'status' THEN 'StandardStatus' END)
					   AND (lower(l.standard_value) IN (lower(it.long_value), lower(it.short_value), lower(it.code))
							OR lower(l.legacy_value) IN (lower(it.long_value), lower(it.short_value), lower(it.code)))
					 ORDER BY lower(l.standard_value) = lower(it.long_value) DESC LIMIT 1),
				   (SELECT s.standard_status FROM mlsync.mls_rets_status_synonyms() s
					 WHERE mt.transform = 'status'
					   AND s.local_value IN (lower(it.long_value), lower(it.short_value))
					 LIMIT 1),
				   -- a lookup RESO leaves open (City): the server's own LongValue
				   CASE WHEN mt.dd_lookup IS NULL AND mt.transform IS DISTINCT FROM 'status'
						THEN it.long_value END) AS standard
		  FROM items it JOIN matched mt USING (target)
		 WHERE it.sent IS NOT NULL AND it.sent <> ''
	)
	SELECT mt.target, mt.system_name, mt.transform,
		   (SELECT jsonb_object_agg(r.sent, r.standard)
			  FROM resolved r
			 WHERE r.target = mt.target AND r.standard IS NOT NULL AND r.standard <> r.sent),
		   mt.dd_lookup, mt.standard_name,
		   (SELECT array_agg(DISTINCT r.sent ORDER BY r.sent)
			  FROM resolved r WHERE r.target = mt.target AND r.standard IS NULL)
	  FROM matched mt
	 ORDER BY mt.target;
END
$$;

COMMENT ON FUNCTION mls_rets_suggest_mappings(text, text) IS
'a mapping set proposed from a RETS connection''s stored metadata: target column, SystemName, transform, value map to RESO standard values, and the values left unmatched';

-- API: Private.  A RETS server's UTC offset as its METADATA-SYSTEM said it
-- (TimeZoneOffset, "-05:00"), and when that was read; NULL when the
-- server said none (or something that is no offset).
CREATE FUNCTION mls_rets_server_offset(tenant text, connection text,
									   OUT utc_offset interval, OUT read_at timestamptz)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE WHEN o ~ '^[+-]\d{1,2}(:?\d{2})?$'
				THEN regexp_replace(o, '^([+-])(\d{1,2}):?(\d{2})?$', '\1\2:\3')::interval END,
		   coalesce(st.metadata_fetched_at, now())
	  FROM (SELECT btrim(m.rows -> 0 ->> 'TimeZoneOffset') AS o
			  FROM mlsync.mls_source_metadata m
			 WHERE m.tenant_id = mls_rets_server_offset.tenant
			   AND m.connection = mls_rets_server_offset.connection
			   AND m.metadata_type = 'METADATA-SYSTEM'
			 LIMIT 1) x
	  LEFT JOIN mlsync.mls_sync_status st
		ON st.tenant_id = mls_rets_server_offset.tenant
	   AND st.connection = mls_rets_server_offset.connection
$$;

COMMENT ON FUNCTION mls_rets_server_offset(text, text) IS
'private: the UTC offset a RETS server''s METADATA-SYSTEM gave (TimeZoneOffset) and when it was read';

-- API: Private.  The time zone a RETS server most likely writes its
-- timestamps in: the first of the zones MLSs use whose offset was the
-- server's when it said it, else the fixed zone of that offset, else UTC.
CREATE FUNCTION mls_rets_server_timezone(tenant text, connection text) RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT coalesce(
		(SELECT z FROM unnest(ARRAY['America/New_York', 'America/Chicago', 'America/Denver',
									'America/Los_Angeles', 'America/Phoenix', 'America/Anchorage',
									'Pacific/Honolulu', 'America/Halifax', 'America/St_Johns',
									'America/Puerto_Rico', 'UTC']) WITH ORDINALITY AS p(z, i)
		  WHERE (o.read_at AT TIME ZONE z) - (o.read_at AT TIME ZONE 'UTC') = o.utc_offset
		  ORDER BY i LIMIT 1),
		CASE WHEN extract(minute FROM o.utc_offset) = 0 AND o.utc_offset <> interval '0'
			 THEN format('Etc/GMT%s%s', CASE WHEN o.utc_offset < interval '0' THEN '+' ELSE '-' END,
						 abs(extract(hour FROM o.utc_offset))::int) END,
		'UTC')
	  FROM mlsync.mls_rets_server_offset(tenant, connection) o
$$;

COMMENT ON FUNCTION mls_rets_server_timezone(text, text) IS
'private: the time zone a RETS server most likely writes its timestamps in, from its TimeZoneOffset';

-- API: Private.  A UTC offset as ISO 8601 writes it: +05:30, -06:00.
CREATE FUNCTION mls_format_utc_offset(utc_offset interval) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE WHEN utc_offset < interval '0' THEN '-' ELSE '+' END ||
		   to_char(CASE WHEN utc_offset < interval '0' THEN -utc_offset ELSE utc_offset END, 'HH24:MI')
$$;

-- API: Public.  What is wrong with the time zone a RETS connection's
-- timestamps are read in, or NULL: the server's TimeZoneOffset contradicts
-- its mapping set's source_timezone (at the time the server said it).
CREATE FUNCTION mls_rets_timezone_mismatch(tenant text, connection text) RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT format('the server''s TimeZoneOffset is %s (METADATA-SYSTEM) but mapping set "%s" reads its timestamps in %s (%s)',
				  mlsync.mls_format_utc_offset(o.utc_offset), ms.mapping_set, ms.source_timezone,
				  mlsync.mls_format_utc_offset((o.read_at AT TIME ZONE ms.source_timezone)
											   - (o.read_at AT TIME ZONE 'UTC')))
	  FROM mlsync.mls_rets_server_offset(tenant, connection) o,
		   mlsync.mls_connections c
	  JOIN mlsync.mls_mapping_sets ms USING (mapping_set)
	 WHERE c.tenant_id = mls_rets_timezone_mismatch.tenant
	   AND c.connection = mls_rets_timezone_mismatch.connection
	   AND c.protocol = 'rets' AND o.utc_offset IS NOT NULL
	   AND (o.read_at AT TIME ZONE ms.source_timezone) - (o.read_at AT TIME ZONE 'UTC') <> o.utc_offset
$$;

COMMENT ON FUNCTION mls_rets_timezone_mismatch(text, text) IS
'how the time zone of a RETS connection''s mapping set contradicts the server''s METADATA-SYSTEM TimeZoneOffset, or NULL';

-- API: Public.  Create (or replace) a mapping set from the suggestions and,
-- with use => true, point the connection at it and at the key and
-- timestamp fields its metadata names.  Its source_timezone is, unless
-- given, the server's (mls_rets_server_timezone).  Returns the number of
-- mappings.
CREATE FUNCTION mls_rets_create_mapping_set(tenant text, connection text, mapping_set text,
											source_timezone text DEFAULT NULL,
											use boolean DEFAULT true)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	n integer;
	conn mlsync.mls_connections;
	key_field text;
	timestamp_field text;
BEGIN
	IF mapping_set = 'reso-dd-2.0' THEN
		RAISE EXCEPTION 'the built-in mapping set reso-dd-2.0 cannot be replaced'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	source_timezone := coalesce(source_timezone, mlsync.mls_rets_server_timezone(tenant, connection), 'UTC');
	INSERT INTO mlsync.mls_mapping_sets AS s (mapping_set, description, source_timezone)
	VALUES (mapping_set, format('suggested from the RETS metadata of %s/%s', tenant, connection),
			source_timezone)
	ON CONFLICT ON CONSTRAINT mls_mapping_sets_pkey DO UPDATE
	   SET source_timezone = EXCLUDED.source_timezone
	 WHERE NOT s.builtin;
	DELETE FROM mlsync.mls_field_mappings m WHERE m.mapping_set = mapping_set;
	INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, transform,
										   value_map, lookup_name, required)
	SELECT mapping_set, s.target, s.source_field, s.transform, s.value_map, s.lookup_name,
		   s.target = 'listing_key'
	  FROM mlsync.mls_rets_suggest_mappings(tenant, connection) s;
	GET DIAGNOSTICS n = ROW_COUNT;

	IF use THEN
		SELECT s.source_field INTO key_field
		  FROM mlsync.mls_rets_suggest_mappings(tenant, connection) s WHERE s.target = 'listing_key';
		SELECT s.source_field INTO timestamp_field
		  FROM mlsync.mls_rets_suggest_mappings(tenant, connection) s
		 WHERE s.target = 'modification_timestamp';
		UPDATE mlsync.mls_connections c
		   SET mapping_set = mls_rets_create_mapping_set.mapping_set,
			   key_field = coalesce(key_field, c.key_field),
			   timestamp_field = coalesce(timestamp_field, c.timestamp_field),
			   updated_at = now()
		 WHERE c.tenant_id = tenant AND c.connection = connection;
	END IF;
	RETURN n;
END
$$;

COMMENT ON FUNCTION mls_rets_create_mapping_set(text, text, text, text, boolean) IS
'create or replace a mapping set from mls_rets_suggest_mappings(); with use => true the connection syncs with it, keyed and watermarked by the fields the metadata names';

-- API: Private.  mls_rets_photos as the extension's owner (it decrypts the
-- connection's credentials); called only by mls_rets_photos.
CREATE FUNCTION mls_rets_photos_unchecked(tenant text, connection text, listing_key text,
										  photo_type text DEFAULT 'Photo')
RETURNS TABLE (object_id text, content_type text, description text, url text,
			   preferred boolean, bytes bigint)
LANGUAGE c STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_rets_photos$$;

COMMENT ON FUNCTION mls_rets_photos_unchecked(text, text, text, text) IS
'private: mls_rets_photos as the extension''s owner, called by mls_rets_photos once the caller may operate the tenant';

REVOKE ALL ON FUNCTION mls_rets_photos_unchecked(text, text, text, text) FROM PUBLIC;

-- API: Public.  The photos of one listing as the RETS server lists them
-- (GetObject with Location=1); bytes is the size of an image sent instead of
-- a URL.  It uses the connection's credentials, so it needs the operate
-- privilege on the tenant, like mls_sync.
CREATE FUNCTION mls_rets_photos(tenant text, connection text, listing_key text,
								photo_type text DEFAULT 'Photo')
RETURNS TABLE (object_id text, content_type text, description text, url text,
			   preferred boolean, bytes bigint)
LANGUAGE c STRICT
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_rets_photos_checked$$;

COMMENT ON FUNCTION mls_rets_photos(text, text, text, text) IS
'the photos of a listing as its RETS server lists them (GetObject, Location=1): object id, content type, description, URL, preferred; needs operate on the tenant';
