-- The seeds' new_listings and price_changes endpoints as SQL: what was
-- listed, and which prices changed, since a time; read from the history, so
-- pruning the events changes nothing.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\set VERBOSITY terse
SET timezone = 'UTC';
SET datestyle = 'ISO, MDY';

SELECT tenant_id FROM mlsync.mls_create_tenant('api');
SELECT tenant_id FROM mlsync.mls_create_tenant('api2');
SELECT connection FROM mlsync.mls_connect('api', 'mls', protocol => 'reso',
										  endpoint => 'https://reso.example.com/odata');
SELECT connection FROM mlsync.mls_connect('api', 'mls2', protocol => 'reso',
										  endpoint => 'https://reso2.example.com/odata');
SELECT connection FROM mlsync.mls_connect('api2', 'mls', protocol => 'reso',
										  endpoint => 'https://reso.example.com/odata');

-- Listed at the source on different days (original entry timestamp, else
-- modification timestamp, else when mlsync saw them).
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price,
		original_entry_timestamp, modification_timestamp, price_change_timestamp)
VALUES ('api', 'mls', 'N1', 'Active', 500000, '2024-03-01 08:00+00', '2024-03-01 09:00+00', NULL),
	   ('api', 'mls', 'N2', 'Active', 400000, NULL, '2024-03-05 09:00+00', NULL),
	   ('api', 'mls2', 'N3', 'Pending', 300000, '2024-03-10 08:00+00', '2024-03-10 09:00+00', NULL),
	   ('api', 'mls', 'N4', 'Active', 200000, '2024-02-01 08:00+00', '2024-02-01 09:00+00', NULL),
	   ('api', 'mls', 'N5', 'Active', 250000, '2024-03-06 08:00+00', '2024-03-06 09:00+00', NULL),
	   ('api2', 'mls', 'N1', 'Active', 900000, '2024-03-02 08:00+00', '2024-03-02 09:00+00', NULL);
-- N5 was removed at the source
UPDATE mlsync.mls_listings SET removed_at = now(), standard_status = 'Delete'
 WHERE tenant_id = 'api' AND listing_key = 'N5';

SELECT connection, listing_key, standard_status, list_price
  FROM mlsync.mls_new_listings('api', '2024-03-01');
SELECT connection, listing_key FROM mlsync.mls_new_listings('api', '2024-03-06');
SELECT count(*) FROM mlsync.mls_new_listings('api', '2025-01-01');
SELECT count(*) FROM mlsync.mls_new_listings('nobody', '2000-01-01');
-- the default window is the last seven days
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, original_entry_timestamp)
VALUES ('api', 'mls', 'N6', 'Active', now() - interval '6 days'),
	   ('api', 'mls', 'N7', 'Active', now() - interval '8 days');
SELECT listing_key FROM mlsync.mls_new_listings('api');

-- Price changes, at the source's price change time (else modification time).
UPDATE mlsync.mls_listings SET list_price = 480000, price_change_timestamp = '2024-03-08 10:00+00'
 WHERE tenant_id = 'api' AND listing_key = 'N1';
UPDATE mlsync.mls_listings SET list_price = 420000, modification_timestamp = '2024-03-09 10:00+00'
 WHERE tenant_id = 'api' AND listing_key = 'N2';
UPDATE mlsync.mls_listings SET list_price = 450000, price_change_timestamp = '2024-03-12 10:00+00'
 WHERE tenant_id = 'api' AND listing_key = 'N1';
UPDATE mlsync.mls_listings SET list_price = 190000, price_change_timestamp = '2024-02-15 10:00+00',
							   standard_status = 'Closed'
 WHERE tenant_id = 'api' AND listing_key = 'N4';
UPDATE mlsync.mls_listings SET list_price = 800000, price_change_timestamp = '2024-03-12 10:00+00'
 WHERE tenant_id = 'api2' AND listing_key = 'N1';
SELECT * FROM mlsync.mls_price_changes('api', '2024-03-01');
SELECT listing_key, kind, old_price, new_price, standard_status FROM mlsync.mls_price_changes('api', '2024-01-01')
 WHERE changed_at < '2024-03-01';

-- Pruning every event leaves both answers as they were.
SELECT (SELECT array_agg(listing_key) FROM mlsync.mls_new_listings('api', '2024-03-01')) AS new_before,
	   (SELECT array_agg(listing_key) FROM mlsync.mls_price_changes('api', '2024-03-01')) AS changes_before \gset
SELECT mlsync.mls_events_prune('0 seconds') >= 0 AS pruned;
SELECT count(*) AS events_left FROM mlsync.mls_events WHERE tenant_id = 'api';
SELECT (SELECT array_agg(listing_key) FROM mlsync.mls_new_listings('api', '2024-03-01')) = :'new_before' AS same_new_listings,
	   (SELECT array_agg(listing_key) FROM mlsync.mls_price_changes('api', '2024-03-01')) = :'changes_before' AS same_price_changes,
	   :'new_before' AS new_listings;

-- Both are read with the caller's rights (row-level security applies).
SELECT p.proname, p.prosecdef, p.provolatile
  FROM pg_proc p WHERE p.oid IN ('mlsync.mls_new_listings'::regproc, 'mlsync.mls_price_changes'::regproc)
 ORDER BY 1;

-- This file's tenants go (with their listings), so later files see only their own.
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('api', 'api2');
