-- Mapping rows are validated against the real columns of mls_listings when
-- they are written: no SQL is ever built from a target name.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never

-- the built-in set maps every listing column that is a RESO DD 2.0 field
SELECT count(*) AS builtin_mappings,
	   count(*) FILTER (WHERE transform = 'lookup') AS lookups,
	   bool_and(source_field = (SELECT field FROM mlsync.mls_dd_fields d
								 WHERE d.resource = 'Property'
								   AND mlsync.mls_snake_case(d.field) = m.target)) AS named_by_dictionary
  FROM mlsync.mls_field_mappings m WHERE mapping_set = 'reso-dd-2.0';
SELECT target, source_field, transform, lookup_name, required
  FROM mlsync.mls_field_mappings
 WHERE mapping_set = 'reso-dd-2.0'
   AND target IN ('listing_key', 'standard_status', 'list_price', 'property_type', 'heating',
				  'internet_address_display_yn', 'modification_timestamp', 'close_date',
				  'bedrooms_total', 'list_agent_mls_id', 'virtual_tour_url_unbranded', 'city')
 ORDER BY target;
-- every mappable column is covered by the dictionary
SELECT c.column_name AS unmapped_column
  FROM mlsync.mls_mappable_columns c
 WHERE NOT EXISTS (SELECT 1 FROM mlsync.mls_field_mappings m
					WHERE m.mapping_set = 'reso-dd-2.0' AND m.target = c.column_name);

INSERT INTO mlsync.mls_mapping_sets (mapping_set, description, source_timezone)
VALUES ('local', 'a RETS MLS with local names', 'America/Chicago');

-- the transform defaults from the column's type
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('local', 'listing_key', 'L_ListingID'),
	   ('local', 'list_price', 'L_AskingPrice'),
	   ('local', 'bedrooms_total', 'LM_Int1_3'),
	   ('local', 'standard_status', 'L_Status'),
	   ('local', 'close_date', 'L_ClosingDate'),
	   ('local', 'heating', 'LFD_Heating'),
	   ('local', 'extra.HOAFee', 'LM_Dec_7')
RETURNING target, transform;

-- targets that are not columns, or try to be SQL
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('local', 'price', 'L_AskingPrice');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('local', 'list_price"; DROP TABLE mlsync.mls_listings; --', 'L_AskingPrice');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('local', 'list_price, raw', 'L_AskingPrice');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('local', 'extra.fee''; DELETE FROM x; --', 'LM_Dec_7');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('local', 'extra.', 'LM_Dec_7');
-- columns mlsync keeps for itself
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('local', 'raw', 'L_Remarks');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('local', 'local_overrides', 'L_Remarks');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('local', 'tenant_id', 'L_Office');
-- transforms that cannot fill the column
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, transform)
VALUES ('local', 'original_list_price', 'L_OrigPrice', 'date');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, transform)
VALUES ('local', 'mls_status', 'L_Status2', 'boolean');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, transform)
VALUES ('local', 'standard_status', 'L_Status2', 'text')
ON CONFLICT (mapping_set, target) DO UPDATE SET transform = 'text';
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, transform)
VALUES ('local', 'public_remarks', 'L_Remarks', 'xml');
-- parameters that do not apply, or do not exist
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, scale)
VALUES ('local', 'public_remarks', 'L_Remarks', 2);
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, format)
VALUES ('local', 'year_built', 'L_YearBuilt', 'YYYY');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, transform, lookup_name)
VALUES ('local', 'property_type', 'L_Type', 'lookup', 'NoSuchLookup');
-- naming a lookup for a text column implies the lookup transform
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, lookup_name)
VALUES ('local', 'property_type', 'L_Type', 'PropertyType')
RETURNING target, transform, lookup_name;
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, lookup_name)
VALUES ('local', 'list_price', 'L_AskingPrice', 'PropertyType')
ON CONFLICT (mapping_set, target) DO UPDATE SET lookup_name = 'PropertyType';
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, value_map)
VALUES ('local', 'mls_status', 'L_Status', '{"A": 1}');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, value_map)
VALUES ('local', 'mls_status', 'L_Status', '["A"]');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, factor)
VALUES ('local', 'lot_size_square_feet', 'L_Acres', -43560);
-- defaults must convert, or every record would fail later
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, default_value)
VALUES ('local', 'year_built', 'L_YearBuilt', 'unknown');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, default_value)
VALUES ('local', 'on_market_date', 'L_ListDate', '2024-02-30');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, default_value)
VALUES ('local', 'mls_status', 'L_Status', 'Sold');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, default_value)
VALUES ('local', 'garage_spaces', 'L_Garage', '1e999');
-- a mapping set that does not exist
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('nosuch', 'list_price', 'L_AskingPrice');

-- an update is validated like an insert
UPDATE mlsync.mls_field_mappings SET target = 'nonsense' WHERE mapping_set = 'local' AND target = 'list_price';
SELECT target, transform FROM mlsync.mls_field_mappings WHERE mapping_set = 'local' ORDER BY target;

-- a set without listing_key cannot be used
INSERT INTO mlsync.mls_mapping_sets (mapping_set) VALUES ('keyless');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('keyless', 'list_price', 'Price');
SELECT mlsync.mls_map_record('keyless', '{"Price": 1}');
SELECT mlsync.mls_map_record('nosuch', '{"Price": 1}');
-- a set needs a time zone PostgreSQL knows
\set VERBOSITY terse
INSERT INTO mlsync.mls_mapping_sets (mapping_set, source_timezone) VALUES ('zoneless', 'Mars/Olympus');
\set VERBOSITY default

DELETE FROM mlsync.mls_mapping_sets WHERE mapping_set IN ('local', 'keyless');
SELECT count(*) AS rows_left FROM mlsync.mls_field_mappings WHERE mapping_set <> 'reso-dd-2.0';
