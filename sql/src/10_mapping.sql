-- mlsync install script, part 10: field mapping (docs/features.md F5).
--
-- A mapping set turns a source record (RESO JSON or a RETS row) into the
-- columns of mls_listings.  It is compiled and applied in C (src/mapping/mapping.c);
-- this file holds its tables and the SQL entry points.

-- The RESO Data Dictionary 2.0, as facts the mapping needs: field names and
-- types, and lookup values in both spellings.  Filled by the generated part
-- 11_reso_dd_data.sql (tools/gen-reso-dd).
CREATE TABLE mls_dd_fields (
	resource		text NOT NULL,
	field			text NOT NULL,
	simple_type		text NOT NULL,
	lookup_name		text,
	max_length		integer,
	max_precision	integer,
	PRIMARY KEY (resource, field)
);

COMMENT ON TABLE mls_dd_fields IS 'RESO Data Dictionary 2.0 fields (name, simple type, lookup), from the dictionary''s fields.csv';

CREATE TABLE mls_dd_lookups (
	lookup_name		text NOT NULL,
	standard_value	text NOT NULL,
	legacy_value	text,
	PRIMARY KEY (lookup_name, standard_value)
);

CREATE INDEX mls_dd_lookups_legacy_idx ON mls_dd_lookups (lookup_name, legacy_value);

COMMENT ON TABLE mls_dd_lookups IS 'RESO Data Dictionary 2.0 lookup values: display spelling (standard_value) and legacy OData enumeration spelling (legacy_value)';

-- Which columns of mls_listings a mapping may write.  The others belong to
-- mlsync (keys, bookkeeping) or to the application (local_overrides).
CREATE VIEW mls_mappable_columns AS
SELECT a.attname::text AS column_name,
	   a.atttypid::regtype AS data_type,
	   format_type(a.atttypid, a.atttypmod) AS declared_type
  FROM pg_catalog.pg_attribute a
 WHERE a.attrelid = 'mlsync.mls_listings'::regclass
   AND a.attnum > 0
   AND NOT a.attisdropped
   AND a.attname NOT IN ('tenant_id', 'connection', 'extra', 'raw', 'raw_hash',
						 'local_overrides', 'property_id', 'conflict',
						 'first_seen_at', 'last_synced_at', 'removed_at', 'photo_urls')
 ORDER BY a.attnum;

COMMENT ON VIEW mls_mappable_columns IS 'the columns of mls_listings a field mapping may target (besides extra.<key>)';

CREATE TABLE mls_field_mappings (
	mapping_set		text NOT NULL REFERENCES mls_mapping_sets ON DELETE CASCADE,
	target			text NOT NULL,
	source_field	text NOT NULL CHECK (source_field <> ''),
	transform		text NOT NULL
					CHECK (transform IN ('text', 'integer', 'numeric', 'boolean', 'date',
										 'timestamptz', 'text[]', 'lookup', 'status')),
	value_map		jsonb CHECK (jsonb_typeof(value_map) = 'object'),
	lookup_name		text,
	scale			integer CHECK (scale BETWEEN 0 AND 20),
	factor			numeric CHECK (factor > 0),
	format			text,
	separator		text NOT NULL DEFAULT ',' CHECK (separator <> ''),
	default_value	text,
	required		boolean NOT NULL DEFAULT false,
	confidential	boolean NOT NULL DEFAULT false,
	PRIMARY KEY (mapping_set, target)
);

SELECT pg_catalog.pg_extension_config_dump('mls_field_mappings',
	'WHERE mapping_set NOT IN (SELECT mapping_set FROM mlsync.mls_mapping_sets WHERE builtin)');

COMMENT ON TABLE mls_field_mappings IS 'source field -> mls_listings column (or extra.<key>) with a transform, value map and default, per mapping set';
COMMENT ON COLUMN mls_field_mappings.target IS 'a column of mls_mappable_columns, or extra.<key> with key matching [A-Za-z_][A-Za-z0-9_]*';
COMMENT ON COLUMN mls_field_mappings.transform IS 'text, integer, numeric, boolean, date, timestamptz, text[], lookup or status; defaults from the target column''s type';
COMMENT ON COLUMN mls_field_mappings.value_map IS 'local code -> value, applied before the transform (e.g. {"S": "Closed"})';
COMMENT ON COLUMN mls_field_mappings.lookup_name IS 'RESO lookup whose legacy enumeration spellings are turned into display spellings (lookup and text[] transforms)';
COMMENT ON COLUMN mls_field_mappings.factor IS 'numeric and integer: multiply by this unit factor (e.g. 43560 for acres to square feet)';
COMMENT ON COLUMN mls_field_mappings.scale IS 'numeric: round to this many decimal places (the column''s own scale applies anyway)';
COMMENT ON COLUMN mls_field_mappings.format IS 'date and timestamptz: a to_timestamp() template for sources that do not send ISO 8601';
COMMENT ON COLUMN mls_field_mappings.separator IS 'text[]: separator of multi-values sent as one string';
COMMENT ON COLUMN mls_field_mappings.confidential IS 'the value is for MLS participants only: the IDX and VOW display views leave it out (docs/display.md)';

-- Every mapping row is validated by the same C code that compiles mapping
-- sets, so a row that is accepted here also compiles.
CREATE FUNCTION mls_field_mappings_validate() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', $$mls_field_mappings_validate$$;

CREATE TRIGGER mls_field_mappings_validate
	BEFORE INSERT OR UPDATE ON mls_field_mappings
	FOR EACH ROW EXECUTE FUNCTION mls_field_mappings_validate();

CREATE FUNCTION mls_map_record(mapping_set text, record jsonb)
RETURNS mls_listings
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_map_record$$;

COMMENT ON FUNCTION mls_map_record(text, jsonb) IS
'apply a mapping set to one source record; returns an mls_listings row with the mapped columns, extra and raw filled';

-- Remap stored listings from their raw records, without a new download
-- (after a mapping set changed).  Column names come from the catalog
-- (mls_mappable_columns) and are quoted; local overrides are never touched,
-- and only listings whose mapped values change are written.
CREATE FUNCTION mls_remap(tenant text, connection text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	columns text;
	mapped_columns text;
	changed bigint;
BEGIN
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'remapping listings');
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_tenants t WHERE t.tenant_id = mls_remap.tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', tenant USING ERRCODE = 'undefined_object';
	END IF;
	-- listing_key stays: it is the row's identity, not a value to remap
	SELECT string_agg(format('%I', column_name), ', '),
		   string_agg(format('m.%I', column_name), ', ')
	  INTO columns, mapped_columns
	  FROM (SELECT column_name FROM mlsync.mls_mappable_columns
			 WHERE column_name <> 'listing_key'
			UNION ALL SELECT 'extra') c;

	EXECUTE format(
		'WITH mapped AS (
			SELECT l.tenant_id AS remap_tenant, l.connection AS remap_connection,
				   l.listing_key AS remap_key, %2$s
			  FROM mlsync.mls_listings l
			  JOIN mlsync.mls_connections c USING (tenant_id, connection)
			 CROSS JOIN LATERAL mlsync.mls_map_record(c.mapping_set, l.raw) m
			 WHERE l.tenant_id = $1 AND ($2 IS NULL OR l.connection = $2)
			   AND l.raw IS NOT NULL)
		 UPDATE mlsync.mls_listings l SET (%1$s) = (SELECT %1$s FROM (SELECT mapped.*) r)
		   FROM mapped
		  WHERE l.tenant_id = mapped.remap_tenant AND l.connection = mapped.remap_connection
			AND l.listing_key = mapped.remap_key
			AND ROW(%3$s) IS DISTINCT FROM ROW(%4$s)',
		columns, mapped_columns,
		regexp_replace(columns, '([^, ]+)', 'l.\1', 'g'),
		regexp_replace(columns, '([^, ]+)', 'mapped.\1', 'g'))
	USING tenant, connection;
	GET DIAGNOSTICS changed = ROW_COUNT;
	-- the statistics refresh recomputes the remapped listings
	IF changed > 0 THEN
		INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
		SELECT c.tenant_id, c.connection, NULL FROM mlsync.mls_connections c
		 WHERE c.tenant_id = mls_remap.tenant
		   AND (mls_remap.connection IS NULL OR c.connection = mls_remap.connection);
	END IF;
	RETURN changed;
END
$$;

COMMENT ON FUNCTION mls_remap(text, text) IS
're-apply the connection''s mapping set to the stored raw records of a tenant (or one connection); returns the number of listings changed';
