-- Targeted alerts: saved searches (areas, radius, price, beds, baths,
-- property types) matched against new listings, price cuts and listings back
-- on market; watched listings and properties alerted on any event; one alert
-- per watcher, listing and kind, ever.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\set VERBOSITY terse

SELECT tenant_id FROM mlsync.mls_create_tenant('alr');
SELECT tenant_id FROM mlsync.mls_create_tenant('alr2');
SELECT connection FROM mlsync.mls_connect('alr', 'mls', protocol => 'reso',
										  endpoint => 'https://reso.example.com/odata');
SELECT connection FROM mlsync.mls_connect('alr', 'mls2', protocol => 'reso',
										  endpoint => 'https://reso2.example.com/odata');
SELECT connection FROM mlsync.mls_connect('alr2', 'mls', protocol => 'reso',
										  endpoint => 'https://reso.example.com/odata');

-- Alerts produced since the last look, with the search that matched.
CREATE TEMP TABLE seen (events bigint);
INSERT INTO seen SELECT coalesce(max(event_id), 0) FROM mlsync.mls_events;
CREATE FUNCTION pg_temp.new_alerts()
RETURNS TABLE (watcher text, listing_key text, alert text, via text, detail text) LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY
	SELECT e.watcher, e.listing_key, e.payload ->> 'alert', e.payload ->> 'via',
		   coalesce(s.name, e.payload ->> 'reason')
	  FROM mlsync.mls_events e
	  LEFT JOIN mlsync.mls_saved_searches s
		ON s.tenant_id = e.tenant_id AND s.search_id = (e.payload ->> 'search_id')::bigint
	 WHERE e.kind = 'alert' AND e.event_id > (SELECT events FROM seen)
	 ORDER BY e.watcher, e.listing_key, e.payload ->> 'alert';
	UPDATE seen SET events = (SELECT coalesce(max(event_id), 0) FROM mlsync.mls_events);
END $$;

-- Saved searches.  Area lists are alternatives (a listing in any of them
-- matches), a radius is one more alternative, a search with neither matches
-- anywhere; every other criterion must hold.
INSERT INTO mlsync.mls_saved_searches
	(tenant_id, watcher, name, cities, postal_codes, counties, subdivisions,
	 latitude, longitude, radius_km, min_price, max_price, min_beds, max_beds, min_baths, property_types, active)
VALUES
	('alr', 'w1', 'springfield under 500k', '{Springfield}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 500000, NULL, NULL, NULL, NULL, true),
	('alr', 'w1', 'sangamon county', NULL, NULL, '{sangamon}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true),
	('alr', 'w2', '62702 with 3+ beds', NULL, '{62702}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 3, NULL, NULL, NULL, true),
	('alr', 'w3', '5 km of the capitol', NULL, NULL, NULL, NULL, 39.7983, -89.6544, 5, NULL, NULL, NULL, NULL, NULL, NULL, true),
	('alr', 'w4', 'any condo', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{Condominium}', true),
	('alr', 'w5', 'oak park, 2+ baths', NULL, NULL, NULL, '{Oak Park}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 2, NULL, true),
	('alr', 'w6', 'inactive springfield', '{Springfield}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false),
	('alr2', 'w7', 'other tenant springfield', '{Springfield}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true),
	('alr', 'w8', '1 km of the station', NULL, NULL, NULL, NULL, 39.8000, -89.6000, 1, NULL, NULL, NULL, NULL, NULL, NULL, true),
	('alr', 'w9', 'springfield 2-3 beds, 600-700k', '{Springfield}', NULL, NULL, NULL, NULL, NULL, NULL, 600000, 700000, 2, 3, NULL, NULL, true);
-- what the generated columns hold
SELECT name, area_keys, bbox IS NOT NULL AS has_bbox FROM mlsync.mls_saved_searches
 WHERE tenant_id IN ('alr', 'alr2') ORDER BY search_id;
SELECT round(mlsync.mls_distance_km(39.7983, -89.6544, 39.7983 + 5 / 111.19508, -89.6544)::numeric, 3) AS km_north,
	   (SELECT bbox FROM mlsync.mls_saved_searches WHERE name = '1 km of the station') AS station_bbox;
-- bad searches
INSERT INTO mlsync.mls_saved_searches (tenant_id, watcher, radius_km) VALUES ('alr', 'w', 5);
INSERT INTO mlsync.mls_saved_searches (tenant_id, watcher, min_price, max_price) VALUES ('alr', 'w', 9, 1);
INSERT INTO mlsync.mls_saved_searches (tenant_id, watcher, latitude, longitude, radius_km) VALUES ('alr', 'w', 91, 0, 1);
INSERT INTO mlsync.mls_saved_searches (tenant_id, watcher) VALUES ('nobody', 'w');

-- The watch list: listings (by key, even before they exist) and unified properties.
INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection, listing_key, property_id, reason) VALUES
	('alr', 'w1', 'mls', 'L1', NULL, 'favorited'),
	('alr', 'w10', 'mls', 'L3', NULL, 'viewed'),
	('alr', 'w10', 'mls', 'L3', NULL, 'favorited'),
	('alr', 'w11', 'mls', 'L4', NULL, 'viewed'),
	('alr', 'w12', NULL, NULL, 77, 'favorited');
INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection, listing_key, property_id) VALUES
	('alr', 'w', 'mls', 'L1', 77);
INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection) VALUES ('alr', 'w', 'mls');
INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection, listing_key) VALUES ('alr', 'w1', 'mls', 'L1');

-- New listings, in one statement.
--  L1: in Springfield, Sangamon county, Oak Park, at the capitol, 450k, 3 beds 2 baths
--  L2: " SPRINGFIELD " spelled otherwise, 62702, a 4-bed condo at 450k, far from the capitol
--  L3: pending (not available: no search alert; its watcher hears of it)
--  L4: coming soon in Springfield at 300k
--  L5: Springfield at 650k, 2 beds
--  L6: inside the bounding box of "1 km of the station" but 1.27 km from it
--  L8: property 77 in the second MLS connection
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price,
		city, postal_code, county_or_parish, subdivision_name, latitude, longitude,
		bedrooms_total, bathrooms_total_integer, property_type, property_sub_type, property_id)
VALUES
	('alr', 'mls', 'L1', 'Active', 450000, 'Springfield', '62701', 'Sangamon', 'Oak Park', 39.7983, -89.6544, 3, 2, 'Residential', 'Single Family Residence', NULL),
	('alr', 'mls', 'L2', 'Active', 450000, ' SPRINGFIELD ', '62702', NULL, NULL, 39.9000, -89.9000, 4, 2, 'Residential', 'Condominium', NULL),
	('alr', 'mls', 'L3', 'Pending', 300000, 'Springfield', '62701', NULL, NULL, NULL, NULL, 2, 1, 'Residential', NULL, NULL),
	('alr', 'mls', 'L4', 'Coming Soon', 300000, 'Springfield', '62701', NULL, NULL, NULL, NULL, 2, 1, 'Residential', NULL, NULL),
	('alr', 'mls', 'L5', 'Active', 650000, 'Springfield', '62701', NULL, NULL, NULL, NULL, 2, 1, 'Residential', NULL, NULL),
	('alr', 'mls', 'L6', 'Active', 100000, 'Chatham', '62629', NULL, NULL, 39.8000 + 0.9 / 111.19508, -89.6000 + 0.9 / (111.19508 * cos(radians(39.8))), 1, 1, 'Land', NULL, NULL),
	('alr', 'mls2', 'L8', 'Active', 800000, 'Rochester', '62563', NULL, NULL, NULL, NULL, 5, 4, 'Residential', NULL, 77);
SELECT * FROM pg_temp.new_alerts();
SELECT round(mlsync.mls_distance_km(39.8000, -89.6000, latitude, longitude)::numeric, 2) AS l6_km
  FROM mlsync.mls_listings WHERE tenant_id = 'alr' AND listing_key = 'L6';

-- Price changes: a cut into a search's range alerts; an increase does not
-- alert searches; a second cut does not alert the same watcher again.
UPDATE mlsync.mls_listings SET list_price = 480000 WHERE tenant_id = 'alr' AND listing_key = 'L5';
SELECT * FROM pg_temp.new_alerts();
UPDATE mlsync.mls_listings SET list_price = 495000 WHERE tenant_id = 'alr' AND listing_key = 'L5';
UPDATE mlsync.mls_listings SET list_price = 470000 WHERE tenant_id = 'alr' AND listing_key = 'L5';
SELECT * FROM pg_temp.new_alerts();
-- a cut of a watched listing alerts its watcher (and matching searches)
UPDATE mlsync.mls_listings SET list_price = 440000 WHERE tenant_id = 'alr' AND listing_key = 'L1';
SELECT * FROM pg_temp.new_alerts();

-- Status changes of watched listings: the specific kind alerts (sold, not
-- also status_changed; unpublish_requested is no news); a status change
-- without a specific kind alerts as status_changed.
UPDATE mlsync.mls_listings SET standard_status = 'Closed', close_price = 295000
 WHERE tenant_id = 'alr' AND listing_key = 'L3';
UPDATE mlsync.mls_listings SET standard_status = 'Active' WHERE tenant_id = 'alr' AND listing_key = 'L4';
SELECT * FROM pg_temp.new_alerts();

-- Back on market alerts matching searches (and watchers of the listing).
UPDATE mlsync.mls_listings SET standard_status = 'Pending' WHERE tenant_id = 'alr' AND listing_key = 'L5';
SELECT * FROM pg_temp.new_alerts();
UPDATE mlsync.mls_listings SET standard_status = 'Active' WHERE tenant_id = 'alr' AND listing_key = 'L5';
SELECT * FROM pg_temp.new_alerts();

-- The watched property listed in the first connection too, while the
-- second still lists it: the same news from another feed within
-- mlsync.duplicate_alert_window raises no second alert; mls_alerts records
-- it as a duplicate of the first.
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price, city, property_id)
VALUES ('alr', 'mls', 'L9', 'Active', 790000, 'Rochester', 77);
SELECT * FROM pg_temp.new_alerts();
SELECT a.listing_key, a.kind, a.property_id,
	   a.duplicate_of = (SELECT f.event_id FROM mlsync.mls_alerts f
						  WHERE f.tenant_id = 'alr' AND f.watcher = 'w12' AND f.listing_key = 'L8'
							AND f.kind = 'new_listing') AS duplicate_of_the_l8_alert
  FROM mlsync.mls_alerts a WHERE a.tenant_id = 'alr' AND a.watcher = 'w12' AND a.listing_key = 'L9';

-- The same listing changing in the other tenant's market alerts nobody
-- there but its own watchers.
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price, city)
VALUES ('alr2', 'mls', 'L1', 'Active', 450000, 'Springfield');
SELECT * FROM pg_temp.new_alerts();

-- Alerts are events: delivered to subscribers like the rest.
SELECT consumer FROM mlsync.mls_subscribe('mailer', ARRAY['alert'], 'alr');
UPDATE mlsync.mls_listings SET photos_count = 20 WHERE tenant_id = 'alr' AND listing_key IN ('L1', 'L8');
SELECT * FROM pg_temp.new_alerts();
SELECT e.watcher, e.listing_key, e.payload ->> 'alert' AS alert, d.attempts
  FROM mlsync.mls_event_deliveries d JOIN mlsync.mls_events e USING (event_id)
 WHERE d.consumer = 'mailer' ORDER BY 1, 2;
SELECT mlsync.mls_unsubscribe('mailer');

-- mls_alerts is the record of every alert, one per (watcher, listing, kind).
SELECT a.watcher, a.connection, a.listing_key, a.kind, a.via, a.reason, s.name AS search
  FROM mlsync.mls_alerts a
  LEFT JOIN mlsync.mls_saved_searches s USING (tenant_id, search_id)
 WHERE a.tenant_id IN ('alr', 'alr2')
 ORDER BY a.watcher, a.connection, a.listing_key, a.kind;
SELECT count(*) = count(DISTINCT (tenant_id, watcher, connection, listing_key, payload ->> 'alert'))
	   AS one_alert_per_watcher_listing_kind
  FROM mlsync.mls_events WHERE kind = 'alert';
-- every alert event is in mls_alerts, with its cause
SELECT count(*) AS alert_events_without_record
  FROM mlsync.mls_events e
 WHERE e.kind = 'alert'
   AND NOT EXISTS (SELECT FROM mlsync.mls_alerts a
					WHERE a.event_id = e.event_id
					  AND a.cause_event_id = (e.payload ->> 'cause_event_id')::bigint);

-- Set-based matching: the plan probes the area index and the box index per
-- listing, never reads every search.
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT a.search_id FROM mlsync.mls_saved_searches a
 WHERE a.active AND a.area_keys && mlsync.mls_listing_area_keys('alr', 'Springfield', '62701', NULL, NULL);
EXPLAIN (COSTS OFF)
SELECT r.search_id FROM mlsync.mls_saved_searches r
 WHERE r.active AND r.bbox IS NOT NULL AND r.bbox @> box(point(-89.6, 39.8), point(-89.6, 39.8));
RESET enable_seqscan;

-- This file's tenants go (with their listings), so later files see only their own.
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('alr', 'alr2');
