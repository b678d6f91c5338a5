-- The mapping engine on real records: a RESO Data Dictionary record of 150
-- fields through the built-in set, every transform with its edge cases, a
-- RETS-style record with local names through a set written in SQL, bad
-- values reported with the field and the value, and remapping from raw.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SET datestyle = 'ISO, MDY';
SET extra_float_digits = 0;

-- A RESO record: the fields the listing columns hold, with the spellings real
-- servers send (legacy enumeration members, numbers as strings, fractional
-- seconds of any length), padded with other DD Property fields to 150.
CREATE TEMP TABLE reso_record AS
SELECT filler || known AS record
  FROM (SELECT jsonb_object_agg(field,
			CASE simple_type
				WHEN 'Number' THEN to_jsonb(7)
				WHEN 'Boolean' THEN to_jsonb(false)
				WHEN 'Date' THEN to_jsonb('2023-12-31'::text)
				WHEN 'Timestamp' THEN to_jsonb('2023-12-31T23:59:59Z'::text)
				WHEN 'String List, Multi' THEN '["Other"]'::jsonb
				ELSE to_jsonb('filler ' || field)
			END) AS filler
		  FROM (SELECT field, simple_type FROM mlsync.mls_dd_fields
				 WHERE resource = 'Property' AND simple_type NOT IN ('Resource', 'Collection')
				   AND mlsync.mls_snake_case(field) NOT IN (SELECT column_name FROM mlsync.mls_mappable_columns)
				 ORDER BY field LIMIT 114) f) fill,
	   (SELECT '{
		"ListingKey": "3yd-ACME-1001",
		"ListingId": "ML81001",
		"OriginatingSystemName": "acme",
		"StandardStatus": "ActiveUnderContract",
		"MlsStatus": "Under Contract",
		"PropertyType": "ResidentialIncome",
		"PropertySubType": "Duplex",
		"ListPrice": 1250000.5,
		"OriginalListPrice": "1300000",
		"ClosePrice": null,
		"ListingContractDate": "2024-03-01",
		"OnMarketDate": "2024-03-02T00:00:00",
		"ExpirationDate": "2024-09-01",
		"DaysOnMarket": 3,
		"BedroomsTotal": 4,
		"BathroomsTotalInteger": "3.0",
		"BathroomsFull": "2",
		"BathroomsHalf": 1,
		"LivingArea": 2450.755,
		"LivingAreaUnits": "SquareFeet",
		"LotSizeAcres": 0.25,
		"YearBuilt": 1987,
		"Heating": ["ForcedAir", "NaturalGas"],
		"Cooling": "CentralAir, CeilingFans",
		"StreetNumber": "1250",
		"StreetName": "Alameda",
		"StreetSuffix": "Avenue",
		"City": "San Jose",
		"StateOrProvince": "CA",
		"PostalCode": "95112",
		"CountyOrParish": "Santa Clara",
		"SubdivisionName": "Rose Garden",
		"Latitude": 37.33820012,
		"Longitude": -121.88630009,
		"ParcelNumber": "467-12-034",
		"ListAgentMlsId": "A123",
		"ListAgentFullName": "Dana Agent",
		"ListOfficeName": "Acme Realty",
		"InternetEntireListingDisplayYN": true,
		"InternetAddressDisplayYN": "N",
		"PublicRemarks": "Charming duplex near the park.",
		"PhotosCount": 12,
		"ModificationTimestamp": "2024-03-05T17:24:24.4956789Z",
		"OriginalEntryTimestamp": "2024-03-01T08:00:00-08:00",
		"PhotosChangeTimestamp": "2024-03-05T17:24:24.02Z",
		"StatusChangeTimestamp": "2024-03-04T09:15:00+05:30"
	   }'::jsonb AS known) k;

SELECT count(*) AS fields FROM reso_record, jsonb_object_keys(record);

SELECT m.listing_key, m.listing_id, m.standard_status, m.mls_status, m.property_type,
	   m.property_sub_type, m.list_price, m.original_list_price, m.close_price,
	   m.listing_contract_date, m.on_market_date, m.expiration_date, m.days_on_market
  FROM reso_record, mlsync.mls_map_record('reso-dd-2.0', record) m;
SELECT m.bedrooms_total, m.bathrooms_total_integer, m.bathrooms_full, m.bathrooms_half,
	   m.living_area, m.living_area_units, m.lot_size_acres, m.year_built, m.heating, m.cooling
  FROM reso_record, mlsync.mls_map_record('reso-dd-2.0', record) m;
SELECT m.street_number, m.street_name, m.street_suffix, m.city, m.state_or_province,
	   m.postal_code, m.county_or_parish, m.subdivision_name, m.latitude, m.longitude,
	   m.parcel_number
  FROM reso_record, mlsync.mls_map_record('reso-dd-2.0', record) m;
SELECT m.list_agent_mls_id, m.list_agent_full_name, m.list_office_name,
	   m.internet_entire_listing_display_yn, m.internet_address_display_yn,
	   m.public_remarks, m.photos_count
  FROM reso_record, mlsync.mls_map_record('reso-dd-2.0', record) m;
SELECT m.modification_timestamp, m.original_entry_timestamp, m.photos_change_timestamp,
	   m.status_change_timestamp
  FROM reso_record, mlsync.mls_map_record('reso-dd-2.0', record) m;
-- the types are the columns' own
SELECT pg_typeof(m.list_price) AS list_price, pg_typeof(m.bedrooms_total) AS bedrooms,
	   pg_typeof(m.close_date) AS close_date, pg_typeof(m.modification_timestamp) AS modified,
	   pg_typeof(m.heating) AS heating, pg_typeof(m.internet_address_display_yn) AS flag
  FROM reso_record, mlsync.mls_map_record('reso-dd-2.0', record) m;
-- raw keeps the record exactly, raw_hash identifies it, extra is empty
SELECT m.raw = r.record AS raw_kept, m.raw_hash IS NOT NULL AS hashed, pg_typeof(m.raw_hash),
	   m.extra, m.local_overrides, m.tenant_id
  FROM reso_record r, mlsync.mls_map_record('reso-dd-2.0', r.record) m;
-- the same content gives the same hash; a changed value another
SELECT (mlsync.mls_map_record('reso-dd-2.0', record)).raw_hash =
	   (mlsync.mls_map_record('reso-dd-2.0', record || '{}')).raw_hash AS same_content_same_hash,
	   (mlsync.mls_map_record('reso-dd-2.0', record)).raw_hash <>
	   (mlsync.mls_map_record('reso-dd-2.0', record || '{"ListPrice": 1250001}')).raw_hash AS change_changes_hash
  FROM reso_record;

-- both StandardStatus spellings, any case
SELECT s AS sent, (mlsync.mls_map_record('reso-dd-2.0',
		jsonb_build_object('ListingKey', 'k', 'StandardStatus', s))).standard_status AS stored
  FROM unnest(ARRAY['Active', 'Active Under Contract', 'ActiveUnderContract', 'activeundercontract',
					'Coming Soon', 'ComingSoon', 'CLOSED', 'Canceled', 'Delete']) s;

-- A RETS MLS with local names, local status codes and local time
INSERT INTO mlsync.mls_mapping_sets (mapping_set, description, source_timezone)
VALUES ('bayarea-rets', 'RETS 1.7.2, Property:RES, system names', 'America/Los_Angeles');
INSERT INTO mlsync.mls_field_mappings
	(mapping_set, target, source_field, transform, value_map, lookup_name, scale, factor, format,
	 separator, default_value, required)
VALUES
	('bayarea-rets', 'listing_key', 'L_ListingID', NULL, NULL, NULL, NULL, NULL, NULL, ',', NULL, true),
	('bayarea-rets', 'standard_status', 'L_Status', NULL,
	 '{"A": "Active", "U": "Active Under Contract", "P": "Pending", "S": "Closed", "X": "Expired", "W": "Withdrawn", "C": "Canceled", "Z": null}',
	 NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'mls_status', 'L_Status', 'text',
	 '{"A": "Active", "U": "Under Contract", "P": "Pending", "S": "Sold", "X": "Expired", "W": "Withdrawn", "C": "Cancelled", "Z": null}',
	 NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'list_price', 'L_AskingPrice', NULL, NULL, NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'bedrooms_total', 'LM_Int1_3', NULL, NULL, NULL, NULL, NULL, NULL, ',', '0', false),
	('bayarea-rets', 'lot_size_square_feet', 'LM_Dec_9', 'numeric', NULL, NULL, 0, 43560, NULL, ',', NULL, false),
	('bayarea-rets', 'lot_size_acres', 'LM_Dec_9', NULL, NULL, NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'internet_address_display_yn', 'L_DisplayAddr', NULL, NULL, NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'internet_entire_listing_display_yn', 'L_IDX', NULL, NULL, NULL, NULL, NULL, NULL, ',', 'Y', false),
	('bayarea-rets', 'close_date', 'L_ClosingDate', NULL, NULL, NULL, NULL, NULL, 'MM/DD/YYYY', ',', NULL, false),
	('bayarea-rets', 'modification_timestamp', 'L_UpdateDate', NULL, NULL, NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'status_change_timestamp', 'L_StatusDate', NULL, NULL, NULL, NULL, NULL, 'MM/DD/YYYY HH12:MI AM', ',', NULL, false),
	('bayarea-rets', 'heating', 'LFD_Heating', NULL, '{"FA": "Forced Air", "RAD": "Radiant", "NONE": null}', 'Heating', NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'cooling', 'LFD_Cooling', NULL, NULL, 'Cooling', NULL, NULL, NULL, '|', NULL, false),
	('bayarea-rets', 'property_type', 'L_Type', 'lookup', '{"RES": "Residential"}', 'PropertyType', NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'city', 'L_City', NULL, NULL, NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'extra.HOAFee', 'LM_Dec_7', 'numeric', NULL, NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'extra.Pool', 'LFD_Pool', 'boolean', NULL, NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'extra.Shown', 'L_ShowDate', 'date', NULL, NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'extra.Seen', 'L_SeenAt', 'timestamptz', NULL, NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'extra.Features', 'LFD_Features', 'text[]', NULL, NULL, NULL, NULL, NULL, ',', NULL, false),
	('bayarea-rets', 'extra.Stories', 'LM_Int1_5', 'integer', NULL, NULL, NULL, NULL, NULL, ',', NULL, false);

-- RETS sends every value as text, empty fields for nothing
CREATE TEMP TABLE rets_rows (record jsonb);
INSERT INTO rets_rows VALUES
('{"L_ListingID": "40912345", "L_Status": "S", "L_AskingPrice": "899000.00", "LM_Int1_3": "3",
  "LM_Dec_9": "0.1837", "L_DisplayAddr": "1", "L_IDX": "", "L_ClosingDate": "07/04/2024",
  "L_UpdateDate": "2024-07-05T09:30:00", "L_StatusDate": "07/04/2024 04:15 PM",
  "LFD_Heating": "FA,RAD,NONE", "LFD_Cooling": "CentralAir|WholeHouseFan", "L_Type": "RES",
  "L_City": "Oakland", "LM_Dec_7": "125.5", "LFD_Pool": "Yes", "L_ShowDate": "2024-06-01",
  "L_SeenAt": "2024-06-01 10:00:00", "LFD_Features": " Deck , , Patio ", "LM_Int1_5": "2"}'),
('{"L_ListingID": "40912346", "L_Status": "Z", "L_AskingPrice": "", "LM_Int1_3": "",
  "LM_Dec_9": "", "L_DisplayAddr": "0", "L_IDX": "N", "L_ClosingDate": "",
  "L_UpdateDate": "2024-01-15T09:30:00.123", "L_StatusDate": "", "LFD_Heating": "",
  "LFD_Cooling": "", "L_Type": "Land", "L_City": "", "LM_Dec_7": "", "LFD_Pool": "N",
  "L_ShowDate": "", "L_SeenAt": "", "LFD_Features": "", "LM_Int1_5": ""}');

SELECT m.listing_key, m.standard_status, m.mls_status, m.list_price, m.bedrooms_total,
	   m.lot_size_square_feet, m.lot_size_acres, m.internet_address_display_yn,
	   m.internet_entire_listing_display_yn, m.close_date, m.property_type, m.city
  FROM rets_rows, mlsync.mls_map_record('bayarea-rets', record) m ORDER BY 1;
-- local time (America/Los_Angeles: PDT in July, PST in January), read into UTC
SELECT m.listing_key, m.modification_timestamp, m.status_change_timestamp, m.heating, m.cooling, m.extra
  FROM rets_rows, mlsync.mls_map_record('bayarea-rets', record) m ORDER BY 1;

-- every spelling of a boolean
SELECT v AS sent, (mlsync.mls_map_record('bayarea-rets',
		jsonb_build_object('L_ListingID', 'k', 'L_DisplayAddr', v))).internet_address_display_yn AS stored
  FROM unnest(ARRAY['Y', 'N', 'y', 'Yes', 'NO', '1', '0', 'true', 'False', 'T', 'f']) v;
SELECT (mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_DisplayAddr": true}')).internet_address_display_yn AS json_true,
	   (mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_DisplayAddr": false}')).internet_address_display_yn AS json_false;

-- timestamps in the forms servers send
SELECT v AS sent, (mlsync.mls_map_record('bayarea-rets',
		jsonb_build_object('L_ListingID', 'k', 'L_UpdateDate', v))).modification_timestamp AS stored
  FROM unnest(ARRAY['2024-03-05T17:24:24Z', '2024-03-05T17:24:24.02Z', '2024-03-05T17:24:24.4956789Z',
					'2024-03-05T17:24:24.9999996Z', '2024-03-05T17:24:24+02:00', '2024-03-05T17:24:24-0500',
					'2024-03-05 17:24:24', '2024-03-05T17:24', '2024-03-05', '2024-11-03T01:30:00',
					'11/17/2016 5:24:24 PM', 'Nov 17 2016 17:24:24 EST']) v;
-- integers and numbers
SELECT v AS sent, (mlsync.mls_map_record('bayarea-rets',
		jsonb_build_object('L_ListingID', 'k', 'LM_Int1_3', v))).bedrooms_total AS stored
  FROM unnest(ARRAY['3', '+3', ' 4 ', '3.0', '3e0', '0']) v;
SELECT v AS sent, (mlsync.mls_map_record('bayarea-rets',
		jsonb_build_object('L_ListingID', 'k', 'L_AskingPrice', v))).list_price AS stored
  FROM unnest(ARRAY['899000', '899000.004', '899000.005', '1.2e5', '.5', '0']) v;
SELECT (mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_AskingPrice": 123456789012.345}')).list_price AS json_number;

-- values that do not parse: the error names the field, the value and the mapping
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_AskingPrice": "$899,000"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_AskingPrice": "NaN"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_AskingPrice": "1e15"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "LM_Int1_3": "3.5"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "LM_Int1_3": "99999999999"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "LM_Int1_3": [3]}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_DisplayAddr": "maybe"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_ClosingDate": "2024-07-04"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_UpdateDate": "2024-02-30T10:00:00"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_UpdateDate": "yesterday"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_UpdateDate": "now"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": "k", "L_Status": "Q"}');
SELECT mlsync.mls_map_record('reso-dd-2.0', '{"ListingKey": "k", "StandardStatus": "Sold"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_Status": "A"}');
SELECT mlsync.mls_map_record('bayarea-rets', '{"L_ListingID": ""}');
SELECT mlsync.mls_map_record('bayarea-rets', '[1, 2]');
SELECT mlsync.mls_map_record('bayarea-rets', '"a string"');

-- remapping from raw after the mapping changed: no new download needed
SELECT tenant_id FROM mlsync.mls_create_tenant('acme');
SELECT connection FROM mlsync.mls_connect('acme', 'bay', protocol => 'rets', rets_class => 'RES',
										  endpoint => 'http://rets.example.com/login',
										  mapping_set => 'bayarea-rets');
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, mls_status,
								 city, extra, raw, raw_hash, local_overrides)
SELECT 'acme', 'bay', m.listing_key, m.standard_status, m.mls_status, m.city, m.extra, m.raw,
	   m.raw_hash, '{"public_remarks": "edited locally"}'
  FROM rets_rows, mlsync.mls_map_record('bayarea-rets', record) m;
UPDATE mlsync.mls_field_mappings SET value_map = value_map || '{"S": "Sold (closed)"}'
 WHERE mapping_set = 'bayarea-rets' AND target = 'mls_status';
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field)
VALUES ('bayarea-rets', 'extra.Type', 'L_Type');
SELECT mlsync.mls_remap('acme') AS remapped;
SELECT listing_key, mls_status, list_price, extra ->> 'Type' AS type, local_overrides
  FROM mlsync.mls_listings ORDER BY 1;
-- a second remap finds nothing to change
SELECT mlsync.mls_remap('acme', 'bay') AS remapped_again;
SELECT mlsync.mls_remap('nobody');

DELETE FROM mlsync.mls_tenants;
DELETE FROM mlsync.mls_mapping_sets WHERE mapping_set = 'bayarea-rets';
