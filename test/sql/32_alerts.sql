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
SELECT name, area_keys, match_keys, bbox IS NOT NULL AS has_bbox FROM mlsync.mls_saved_searches
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
 WHERE a.active AND a.match_keys && mlsync.mls_listing_match_keys('alr', 'Springfield', '62701', NULL, NULL, 450000);
EXPLAIN (COSTS OFF)
SELECT r.search_id FROM mlsync.mls_saved_searches r
 WHERE r.active AND r.bbox IS NOT NULL AND r.bbox @> box(point(-89.6, 39.8), point(-89.6, 39.8));
RESET enable_seqscan;

-- Price keys: a listing finds a search limiting the price only through a
-- key of an interval holding its price.  Every price in a range must share
-- a key with the range's cover (else a match is lost); prices outside may
-- (the exact test removes them), but the cover must leave most out.  At
-- the intervals' edges first, then at random.
SELECT mlsync.mls_price_keys(299999.99) AS below_300k, mlsync.mls_price_keys(300000) AS at_300k,
	   mlsync.mls_price_keys(5.5) AS single_digit, mlsync.mls_price_keys(0.99) AS under_1,
	   mlsync.mls_price_keys(999999999999.99) AS top, mlsync.mls_price_keys('NaN') AS nan,
	   mlsync.mls_price_keys(NULL) AS no_price;
SELECT mlsync.mls_price_range_keys(291000, 309000) AS narrow,
	   mlsync.mls_price_range_keys(200000, 500000) AS wide,
	   mlsync.mls_price_range_keys(500000, NULL) AS from_500k,
	   mlsync.mls_price_range_keys(NULL, 99.99) AS up_to_99_99;
WITH edges AS (
	SELECT e * m + d AS price
	  FROM unnest('{1, 10, 100, 1000, 100000, 1000000, 100000000000}'::numeric[]) e,
		   unnest('{1, 2, 3, 9, 10}'::numeric[]) m,
		   unnest('{-0.01, 0, 0.01}'::numeric[]) d
	 UNION ALL SELECT unnest('{0, 0.01, 0.99, 999999999999.99}'::numeric[])
), ranges AS (
	SELECT lo.price AS min_price, hi.price AS max_price
	  FROM edges lo, edges hi WHERE lo.price <= hi.price
	UNION ALL SELECT NULL, price FROM edges
	UNION ALL SELECT price, NULL FROM edges
)
SELECT count(*) AS pairs_in_range,
	   count(*) FILTER (WHERE NOT mlsync.mls_price_keys(p.price)
								  && mlsync.mls_price_range_keys(r.min_price, r.max_price)) AS lost
  FROM ranges r, edges p
 WHERE (r.min_price IS NULL OR p.price >= r.min_price) AND (r.max_price IS NULL OR p.price <= r.max_price);
SELECT setseed(0.32);
WITH draws AS (
	SELECT round((10 ^ (random() * 9))::numeric, 2) AS price,
		   CASE WHEN random() < 0.2 THEN NULL ELSE round((10 ^ (random() * 9))::numeric, 2) END AS a,
		   CASE WHEN random() < 0.2 THEN NULL ELSE round((10 ^ (random() * 9))::numeric, 2) END AS b
	  FROM generate_series(1, 100000)
), ranges AS (
	SELECT price, CASE WHEN b IS NULL THEN a ELSE least(a, b) END AS min_price,
		   CASE WHEN a IS NULL THEN b ELSE greatest(a, b) END AS max_price
	  FROM draws WHERE a IS NOT NULL OR b IS NOT NULL
), judged AS (
	SELECT (min_price IS NULL OR price >= min_price) AND (max_price IS NULL OR price <= max_price) AS in_range,
		   mlsync.mls_price_keys(price) && mlsync.mls_price_range_keys(min_price, max_price) AS shares_key
	  FROM ranges
)
SELECT count(*) FILTER (WHERE in_range) > 10000 AS enough_in_range,
	   count(*) FILTER (WHERE in_range AND NOT shares_key) AS lost,
	   count(*) FILTER (WHERE NOT in_range AND shares_key) * 20 < count(*) FILTER (WHERE NOT in_range) AS few_outside_found
  FROM judged;
-- Through the index, as mls_alert_events looks searches up: for random
-- searches (a city, a price range or none) and random listings, the
-- searches found by match keys and then the exact price test are exactly
-- those of the listing's city whose range holds its price.
INSERT INTO mlsync.mls_tenants (tenant_id, name) VALUES ('keys', 'price keys');
INSERT INTO mlsync.mls_saved_searches (tenant_id, watcher, cities, min_price, max_price)
SELECT 'keys', 'w' || i, ARRAY['City ' || (i % 5)], lo, CASE WHEN hi >= lo OR lo IS NULL THEN hi END
  FROM (SELECT i, CASE WHEN random() < 0.8 THEN round((10 ^ (4 + random() * 3))::numeric, 2) END AS lo,
			   CASE WHEN random() < 0.8 THEN round((10 ^ (4 + random() * 3))::numeric, 2) END AS hi
		  FROM generate_series(1, 2000) i) s;
CREATE TEMP TABLE key_listings AS
SELECT i, 'City ' || (i % 5) AS city, round((10 ^ (4 + random() * 3))::numeric, 2) AS price
  FROM generate_series(1, 300) i;
WITH by_index AS (
	SELECT l.i, a.search_id
	  FROM key_listings l
	  JOIN mlsync.mls_saved_searches a
		ON a.active AND a.match_keys && mlsync.mls_listing_match_keys('keys', l.city, NULL, NULL, NULL, l.price)
	 WHERE (a.min_price IS NULL OR l.price >= a.min_price) AND (a.max_price IS NULL OR l.price <= a.max_price)
), by_rule AS (
	SELECT l.i, a.search_id
	  FROM key_listings l
	  JOIN mlsync.mls_saved_searches a ON a.tenant_id = 'keys' AND lower(l.city) = lower(a.cities[1])
	 WHERE (a.min_price IS NULL OR l.price >= a.min_price) AND (a.max_price IS NULL OR l.price <= a.max_price)
), read AS (
	SELECT count(*) AS by_keys,
		   (SELECT count(*) FROM key_listings l JOIN mlsync.mls_saved_searches a
			   ON a.tenant_id = 'keys' AND lower(l.city) = lower(a.cities[1])) AS by_city
	  FROM key_listings l
	  JOIN mlsync.mls_saved_searches a
		ON a.active AND a.match_keys && mlsync.mls_listing_match_keys('keys', l.city, NULL, NULL, NULL, l.price)
)
SELECT (SELECT count(*) FROM by_rule) > 1000 AS enough_matches,
	   (SELECT count(*) FROM (SELECT * FROM by_rule EXCEPT SELECT * FROM by_index) x) AS lost,
	   (SELECT count(*) FROM (SELECT * FROM by_index EXCEPT SELECT * FROM by_rule) x) AS extra,
	   read.by_keys * 2 < read.by_city AS reads_under_half_of_the_city
  FROM read;
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'keys';
-- every area key by every price key: a product too large for an array is an
-- error, not an overflow of the count
SELECT cardinality(mlsync.mls_qualify_area_keys('t', array_fill('t/c:x'::text, ARRAY[50000]),
												array_fill('p1'::text, ARRAY[50000])));
SELECT mlsync.mls_qualify_area_keys('t', ARRAY['t/c:x', 'u/c:y', NULL], ARRAY['p6', NULL, 'p6.3']) AS qualified;

-- This file's tenants go (with their listings), so later files see only their own.
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('alr', 'alr2');
