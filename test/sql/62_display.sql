-- The IDX and VOW display views (docs/display.md): a listing whose seller kept it
-- off the internet is not shown, one whose seller withheld the address is
-- shown without it (nor its coordinates and parcel), one in a status the
-- connection does not display is not shown (a sold one is, to a VOW, with
-- its price), private remarks and every confidential field stay out, and
-- every row carries the listing office and agent, the MLS name and the
-- disclaimer with the time of the last successful load.  Each row is shown
-- whole, column by column.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never

SELECT tenant_id FROM mlsync.mls_create_tenant('disp');
SELECT connection, action FROM mlsync.mls_connect('disp', 'mls', protocol => 'reso',
	endpoint => 'https://reso.example.com/odata', mls_name => 'Bay Area MLS',
	disclaimer => 'Listings courtesy of Bay Area MLS. Information as of {as_of}; verify it before relying on it.');
-- a connection whose mapping marks fields confidential, with the default
-- disclaimer and its own attribution line
INSERT INTO mlsync.mls_mapping_sets (mapping_set) VALUES ('local');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, confidential) VALUES
	('local', 'listing_key', 'ListingKey', false),
	('local', 'list_agent_email', 'ListAgentEmail', true),
	('local', 'extra.ShowingInstructions', 'ShowingInstructions', false),
	('local', 'extra.gate_code', 'GateCode', true),
	('local', 'extra.Directions', 'Directions', false);
SELECT connection, action FROM mlsync.mls_connect('disp', 'loc', protocol => 'reso',
	endpoint => 'https://local.example.com/odata', mapping_set => 'local',
	attribution => 'Listed by {agent}, {office} ({mls})');
-- the last successful loads, fixed so the disclaimers can be read; a
-- metadata run since (a later last_success_at) is no update of the listings
UPDATE mlsync.mls_sync_status SET last_load_at = '2024-05-01 12:34:56+00',
	   last_success_at = '2024-05-03 00:00:00+00' WHERE connection = 'mls';
UPDATE mlsync.mls_sync_status SET last_load_at = '2024-06-02 08:00:00+00',
	   last_success_at = '2024-06-02 08:00:00+00' WHERE connection = 'loc';
SET timezone = 'UTC';

INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, listing_id, standard_status,
	property_type, list_price, close_price, close_date, original_list_price, on_market_date,
	expiration_date, bedrooms_total, bathrooms_total_integer, living_area,
	unparsed_address, street_number, street_name, street_suffix, unit_number, city,
	state_or_province, postal_code, county_or_parish, latitude, longitude, parcel_number,
	list_agent_full_name, list_agent_mls_id, list_agent_email, list_agent_direct_phone,
	list_office_name, list_office_mls_id, list_office_phone,
	internet_entire_listing_display_yn, internet_address_display_yn,
	internet_automated_valuation_display_yn, internet_consumer_comment_yn,
	public_remarks, private_remarks, photos_count, modification_timestamp, extra, raw)
VALUES
	-- shown, all of it but the private remarks
	('disp', 'mls', 'k-open', 'M1', 'Active', 'Residential', 500000, NULL, NULL, 520000,
	 '2024-04-01', '2024-10-01', 3, 2, 1500.00,
	 '12 Oak St', '12', 'Oak', 'St', NULL, 'Alton', 'CA', '94000', 'Alameda', 37.5, -122.1, 'APN-1',
	 'Ann Agent', 'A1', 'ann@broker.example', '555-0101', 'Oak Realty', 'O1', '555-0100',
	 true, true, false, NULL,
	 'Sunny home.', 'Seller motivated; call before 5.', 12, '2024-04-30 10:00+00', '{}',
	 '{"PrivateRemarks": "Seller motivated; call before 5."}'),
	-- the seller kept the whole listing off the internet
	('disp', 'mls', 'k-offline', 'M2', 'Active', 'Residential', 600000, NULL, NULL, NULL,
	 '2024-04-02', NULL, 4, 3, 2000.00,
	 '14 Oak St', '14', 'Oak', 'St', NULL, 'Alton', 'CA', '94000', 'Alameda', 37.6, -122.2, 'APN-2',
	 'Ann Agent', 'A1', NULL, NULL, 'Oak Realty', 'O1', NULL,
	 false, true, NULL, NULL, 'Private sale.', NULL, 5, '2024-04-30 11:00+00', '{}', NULL),
	-- the seller withheld the address
	('disp', 'mls', 'k-noaddr', 'M3', 'Pending', 'Residential', 700000, NULL, NULL, NULL,
	 '2024-03-01', NULL, 2, 1, 900.00,
	 '3 Elm Ave Unit 4', '3', 'Elm', 'Ave', '4', 'Alton', 'CA', '94001', 'Alameda', 37.7, -122.3, 'APN-3',
	 'Bob Broker', 'B1', 'bob@broker.example', NULL, 'Elm Homes', 'E1', '555-0200',
	 NULL, false, NULL, false, 'Quiet street.', NULL, 8, '2024-04-29 09:00+00', '{}', NULL),
	-- sold: not an IDX display status; a VOW shows it, with its price
	('disp', 'mls', 'k-sold', 'M4', 'Closed', 'Residential', 450000, 440000, '2024-04-20', 460000,
	 '2024-02-01', NULL, 3, 2, 1400.00,
	 '5 Pine Rd', '5', 'Pine', 'Rd', NULL, 'Alton', 'CA', '94002', 'Alameda', 37.8, -122.4, 'APN-4',
	 'Ann Agent', 'A1', NULL, NULL, 'Oak Realty', 'O1', NULL,
	 true, true, NULL, NULL, 'Sold fast.', 'Multiple offers.', 10, '2024-04-21 09:00+00', '{}', NULL),
	-- expired and removed listings are shown by neither view
	('disp', 'mls', 'k-expired', 'M5', 'Expired', 'Residential', 300000, NULL, NULL, NULL,
	 '2023-01-01', '2023-07-01', 1, 1, 600.00,
	 '9 Fir Ln', '9', 'Fir', 'Ln', NULL, 'Alton', 'CA', '94003', 'Alameda', 37.9, -122.5, 'APN-5',
	 'Ann Agent', 'A1', NULL, NULL, 'Oak Realty', 'O1', NULL,
	 true, true, NULL, NULL, NULL, NULL, 0, '2023-07-02 00:00+00', '{}', NULL),
	-- the local feed: confidential contact and extra fields
	('disp', 'loc', 'L-1', 'L1', 'Active', 'Residential', 800000, NULL, NULL, NULL,
	 '2024-05-15', NULL, 4, 3, 2500.00,
	 '1 Bay Blvd', '1', 'Bay', 'Blvd', NULL, 'Bayside', 'CA', '94100', 'Marin', 37.95, -122.6, 'APN-9',
	 'Cid Seller', 'C1', 'cid@local.example', '555-0300', 'Bay Brokers', 'BB', '555-0301',
	 true, true, NULL, NULL, 'Views.', 'Lockbox on side door.', 20, '2024-06-01 08:00+00',
	 '{"ShowingInstructions": "Call Cid first", "gate_code": "4321", "Directions": "North on 101"}', NULL);
UPDATE mlsync.mls_listings SET removed_at = now(), standard_status = 'Delete' WHERE listing_key = 'k-expired';
-- the local connection names no MLS: the listing's originating system does
UPDATE mlsync.mls_listings SET originating_system_name = 'Marin MLS' WHERE listing_key = 'L-1';

-- nothing confidential is a column of either view
SELECT v.table_name, array_agg(v.column_name::text ORDER BY v.column_name) AS confidential_columns
  FROM information_schema.columns v
 WHERE v.table_schema = 'mlsync' AND v.table_name IN ('mls_idx_listings', 'mls_vow_listings')
   AND (v.column_name IN ('private_remarks', 'raw', 'local_overrides', 'expiration_date',
						  'buyer_agent_key', 'buyer_office_key', 'conflict')
		OR v.column_name = ANY (mlsync.mls_confidential_fields()))
 GROUP BY 1;

-- IDX: the open listing, and the pending one without its address
\x on
SELECT * FROM mlsync.mls_idx_listings WHERE tenant_id = 'disp' ORDER BY connection, listing_key;
\x off

-- VOW: the same plus the sold listing, with its close price and date, and
-- the listings' original prices and status dates
SELECT listing_key, standard_status, close_price, close_date, original_list_price, address_displayed,
	   unparsed_address
  FROM mlsync.mls_vow_listings WHERE tenant_id = 'disp' ORDER BY connection, listing_key;

-- every row of both views carries its attribution and the disclaimer with
-- the time of its connection's last successful sync
SELECT 'idx' AS view, count(*) AS listings,
	   count(*) FILTER (WHERE list_office_name IS NOT NULL AND list_agent_full_name IS NOT NULL
						  AND mls_name IS NOT NULL AND position(list_office_name IN attribution) > 0
						  AND position(to_char(data_as_of, 'YYYY-MM-DD HH24:MI') IN disclaimer) > 0)
		 AS attributed
  FROM mlsync.mls_idx_listings WHERE tenant_id = 'disp'
UNION ALL
SELECT 'vow', count(*),
	   count(*) FILTER (WHERE list_office_name IS NOT NULL AND list_agent_full_name IS NOT NULL
						  AND mls_name IS NOT NULL AND position(list_office_name IN attribution) > 0
						  AND position(to_char(data_as_of, 'YYYY-MM-DD HH24:MI') IN disclaimer) > 0)
  FROM mlsync.mls_vow_listings WHERE tenant_id = 'disp';

-- configurable per connection: an MLS that allows sold listings and their
-- prices on IDX; a VOW without sold prices (a non-disclosure state)
SELECT changed FROM mlsync.mls_connect('disp', 'mls', display_statuses => '{Active,Pending,Closed}',
									   sold_data_display => 'idx_and_vow');
SELECT listing_key, standard_status, close_price, close_date
  FROM mlsync.mls_idx_listings WHERE tenant_id = 'disp' AND connection = 'mls' ORDER BY listing_key;
SELECT changed FROM mlsync.mls_connect('disp', 'mls', sold_data_display => 'none');
SELECT 'idx' AS view, listing_key, close_price, close_date
  FROM mlsync.mls_idx_listings WHERE listing_key = 'k-sold'
UNION ALL
SELECT 'vow', listing_key, close_price, close_date
  FROM mlsync.mls_vow_listings WHERE listing_key = 'k-sold';
-- back to the defaults
SELECT changed FROM mlsync.mls_connect_reset('disp', 'mls', 'display_statuses', 'sold_data_display');
SELECT listing_key FROM mlsync.mls_idx_listings WHERE tenant_id = 'disp' ORDER BY listing_key;
-- a connection never synced says so in its disclaimer
UPDATE mlsync.mls_sync_status SET last_success_at = NULL, last_load_at = NULL WHERE connection = 'loc';
SELECT data_as_of, disclaimer FROM mlsync.mls_idx_listings WHERE listing_key = 'L-1';

-- media: the stored items whose RESO Permission allows the display, in
-- order, with the URLs of the file and its derivatives; a Private one, a
-- VOW-only one on IDX and one not stored yet are not shown
INSERT INTO mlsync.mls_media_storage (tenant_id, public_url_base)
VALUES ('disp', 'https://photos.example.com/');
INSERT INTO mlsync.mls_media_objects (tenant_id, sha256, bytes, content_type, storage_key, width, height,
	derivatives, derive_state)
VALUES ('disp', repeat('a', 64), 1000, 'image/jpeg', 'aa/aaaa.jpg', 2000, 1500,
		'[{"width": 320, "height": 240, "format": "webp", "bytes": 90, "storage_key": "aa/aaaa-320.webp"}]', 'done'),
	   ('disp', repeat('b', 64), 1000, 'image/jpeg', 'bb/bbbb.jpg', 800, 600, '[]', 'done');
INSERT INTO mlsync.mls_media (tenant_id, connection, listing_key, media_key, position, category,
	description, permission, state, sha256, storage_key)
VALUES ('disp', 'mls', 'k-open', 'p1', 1, 'Photo', 'Front', '{Public}', 'stored', repeat('a', 64), 'aa/aaaa.jpg'),
	   ('disp', 'mls', 'k-open', 'p2', 2, 'Photo', 'Kitchen', NULL, 'stored', repeat('b', 64), 'bb/bbbb.jpg'),
	   ('disp', 'mls', 'k-open', 'p3', 3, 'Photo', 'Owner''s safe', '{Private}', 'stored', repeat('b', 64), 'bb/bbbb.jpg'),
	   ('disp', 'mls', 'k-open', 'p4', 4, 'FloorPlan', 'Plan', '{VOW}', 'stored', repeat('b', 64), 'bb/bbbb.jpg'),
	   ('disp', 'mls', 'k-open', 'p5', 5, 'Photo', 'Garden', '{IDX}', 'pending', NULL, NULL);
SELECT 'idx' AS view, jsonb_pretty(media) FROM mlsync.mls_idx_listings WHERE listing_key = 'k-open'
UNION ALL
SELECT 'vow', (SELECT string_agg(m ->> 'description', ', ') FROM jsonb_array_elements(media) m)
  FROM mlsync.mls_vow_listings WHERE listing_key = 'k-open';
-- a role that may only display the tenant sees the same, and of the media
-- tables only what a display may show
CREATE ROLE regress_disp_web;
SELECT mlsync.mls_grant_tenant('disp', 'regress_disp_web', 'display');
SET ROLE regress_disp_web;
SELECT 'idx' AS view, (SELECT string_agg(m ->> 'description', ', ') FROM jsonb_array_elements(media) m)
  FROM mlsync.mls_idx_listings WHERE listing_key = 'k-open'
UNION ALL
SELECT 'vow', (SELECT string_agg(m ->> 'description', ', ') FROM jsonb_array_elements(media) m)
  FROM mlsync.mls_vow_listings WHERE listing_key = 'k-open';
SELECT (SELECT count(*) FROM mlsync.mls_media) AS media_rows,
	   (SELECT count(*) FROM mlsync.mls_media_storage) AS storage_rows,
	   (SELECT count(*) FROM mlsync.mls_listings) AS listing_rows;
RESET ROLE;
SELECT mlsync.mls_revoke_tenant('disp', 'regress_disp_web');
DROP ROLE regress_disp_web;

DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'disp';
DELETE FROM mlsync.mls_mapping_sets WHERE mapping_set = 'local';
