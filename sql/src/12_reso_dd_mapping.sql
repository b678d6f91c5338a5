-- mlsync install script, part 12: the built-in mapping set reso-dd-2.0.
--
-- mls_listings names its columns after RESO Data Dictionary 2.0 fields in
-- snake_case, so the built-in set is derived, not written: every mappable
-- column whose name is the snake_case of a Property field maps from that
-- field.  Lookup fields normalize legacy enumeration spellings
-- ("ActiveUnderContract") to display spellings ("Active Under Contract").
-- A RESO feed therefore needs no mapping rows at all.

-- API: Private.  ListAgentMlsId -> list_agent_mls_id,
-- InternetAddressDisplayYN -> internet_address_display_yn.
CREATE FUNCTION mls_snake_case(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN lower(regexp_replace(regexp_replace(name, '([a-z0-9])([A-Z])', '\1_\2', 'g'),
							'([A-Z])([A-Z][a-z])', '\1_\2', 'g'));

INSERT INTO mls_mapping_sets (mapping_set, description, builtin)
VALUES ('reso-dd-2.0',
		'RESO Data Dictionary 2.0 Property fields, by standard name (built in)',
		true);

-- Open lookups without enumerated values (City, CountyOrParish) stay text.
INSERT INTO mls_field_mappings (mapping_set, target, source_field, transform, lookup_name, required)
SELECT 'reso-dd-2.0', c.column_name, f.field,
	   CASE
		   WHEN c.column_name = 'standard_status' THEN 'status'
		   WHEN l.lookup_name IS NOT NULL AND c.data_type = 'text'::regtype THEN 'lookup'
	   END,
	   CASE WHEN c.column_name <> 'standard_status' THEN l.lookup_name END,
	   c.column_name = 'listing_key'
  FROM mls_mappable_columns c
  JOIN mls_dd_fields f
	ON f.resource = 'Property' AND mls_snake_case(f.field) = c.column_name
  LEFT JOIN (SELECT DISTINCT lookup_name FROM mls_dd_lookups) l
	ON l.lookup_name = f.lookup_name;
