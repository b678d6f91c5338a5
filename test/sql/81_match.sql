-- Property matching rules on listings written by hand (and so matched by
-- mls_rematch): UPI, parcel within its county, normalised address,
-- coordinates with house number and unit; vetoes; an ambiguous case for
-- review; overrides that survive rematching; rematching only what changed,
-- keeping property ids; mls_properties; the event API per property;
-- watches following a merge; errors.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\set VERBOSITY terse
SET timezone = 'UTC';
SET datestyle = 'ISO, MDY';

SELECT tenant_id FROM mlsync.mls_create_tenant('pm');
SELECT connection, action FROM mlsync.mls_connect('pm', 'a', protocol => 'reso', priority => 10,
													  endpoint => 'https://a.example.com/odata');
SELECT connection, action FROM mlsync.mls_connect('pm', 'b', protocol => 'reso', priority => 20,
													  endpoint => 'https://b.example.com/odata');
SELECT connection, action FROM mlsync.mls_connect('pm', 'c', protocol => 'reso',
													  endpoint => 'https://c.example.com/odata');
SELECT connection, priority FROM mlsync.mls_connections WHERE tenant_id = 'pm' ORDER BY connection;

-- Each listing, with its rule, confidence, the listing it matched and the
-- other listings of its property (property ids themselves vary from run to
-- run, so they are not shown).
CREATE FUNCTION pg_temp.matches(tenant text)
RETURNS TABLE (listing text, rule text, confidence numeric, matched text, same_property text)
LANGUAGE sql AS $$
	SELECT m.connection || '/' || m.listing_key, m.rule, m.confidence,
		   m.matched_connection || '/' || m.matched_listing_key,
		   (SELECT string_agg(o.connection || '/' || o.listing_key, ' ' ORDER BY o.connection, o.listing_key)
			  FROM mlsync.mls_listing_matches o
			 WHERE o.tenant_id = m.tenant_id AND o.property_id = m.property_id
			   AND (o.connection, o.listing_key) <> (m.connection, m.listing_key))
	  FROM mlsync.mls_listing_matches m
	 WHERE m.tenant_id = tenant
	 ORDER BY m.listing_key, m.connection
$$;

INSERT INTO mlsync.mls_listings
	(tenant_id, connection, listing_key, universal_property_id, parcel_number, county_or_parish,
	 state_or_province, unparsed_address, street_number, street_dir_prefix, street_name,
	 street_suffix, unit_number, postal_code, latitude, longitude, standard_status, list_price,
	 bedrooms_total, living_area, modification_timestamp)
VALUES
	-- the same UPI (spelled otherwise); the third also has another address
	('pm', 'a', 'upi', 'US-48453-N-R1-R-N', NULL, 'Travis', 'TX', NULL, '100', NULL, 'Oak', 'St', NULL, '78701', 30.30, -97.70, 'Closed', 400000, NULL, 1800, '2024-05-01'),
	('pm', 'b', 'upi', 'us-48453-n-r1-r-n', NULL, 'Travis', 'TX', NULL, '100', NULL, 'OAK', 'Street', NULL, '78701', NULL, NULL, 'Active', 410000, 3, NULL, '2024-06-01'),
	('pm', 'c', 'upi', 'US-48453-N-R1-R-N', NULL, 'Travis', 'TX', '999 Elm St', NULL, NULL, NULL, NULL, NULL, '78701', NULL, NULL, 'Active', 410000, 4, 1850, '2024-06-02'),
	-- one parcel in one county, spelled three ways; no address on the third
	('pm', 'a', 'parcel', NULL, '045-1234-5678-09', 'Travis', 'TX', NULL, '200', NULL, 'Pine', 'Ln', NULL, '78702', 30.31, -97.71, 'Active', 300000, 3, NULL, NULL),
	('pm', 'b', 'parcel', NULL, '04512345678 09', 'Travis County', 'Texas', NULL, '200', NULL, 'PINE', 'Lane', NULL, '78702', NULL, NULL, 'Active', 300000, 3, NULL, NULL),
	('pm', 'c', 'parcel', NULL, '45-1234-5678-09', 'TRAVIS', 'Tex.', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'Active', 300000, 3, NULL, NULL),
	-- one parcel, two units of a condominium; one parcel, two houses of a duplex
	('pm', 'a', 'condo', NULL, 'R555', 'Travis', 'TX', NULL, '300', NULL, 'Elm', 'St', '1', '78703', NULL, NULL, 'Active', 250000, 2, NULL, NULL),
	('pm', 'b', 'condo', NULL, 'R555', 'Travis', 'TX', NULL, '300', NULL, 'Elm', 'St', '2', '78703', NULL, NULL, 'Active', 260000, 2, NULL, NULL),
	('pm', 'a', 'duplex', NULL, 'R777', 'Travis', 'TX', NULL, '400', NULL, 'Ash', 'Dr', NULL, '78704', NULL, NULL, 'Active', 350000, 2, NULL, NULL),
	('pm', 'b', 'duplex', NULL, 'R777', 'Travis', 'TX', NULL, '402', NULL, 'Ash', 'Dr', NULL, '78704', NULL, NULL, 'Active', 350000, 2, NULL, NULL),
	-- the same address: fields in one feed, free text in another, unit spelled otherwise
	('pm', 'a', 'address', NULL, NULL, 'Travis', 'TX', NULL, '500', 'N', 'Lamar', 'Blvd', '4', '78703', NULL, NULL, 'Active', 500000, 2, NULL, NULL),
	('pm', 'b', 'address', NULL, NULL, 'Travis', 'TX', '500 North Lamar Boulevard, Apt. 04', NULL, NULL, NULL, NULL, NULL, '78703-4321', NULL, NULL, 'Active', 500000, 2, NULL, NULL),
	-- coordinates 6 m apart, the same number, a typo in the name; another number at the same spot
	('pm', 'a', 'coords', NULL, NULL, 'Hays', 'TX', NULL, '600', NULL, 'Mesquite', 'Dr', NULL, '78640', 29.98000, -97.87000, 'Active', 280000, 3, NULL, NULL),
	('pm', 'b', 'coords', NULL, NULL, 'Hays', 'TX', NULL, '600', NULL, 'Mesquit', 'Dr', NULL, '78640', 29.98004, -97.87004, 'Active', 280000, 3, NULL, NULL),
	('pm', 'c', 'coords', NULL, NULL, 'Hays', 'TX', NULL, '601', NULL, 'Mesquite', 'Dr', NULL, '78640', 29.98000, -97.87000, 'Active', 290000, 3, NULL, NULL),
	-- vetoes: the same address, different UPIs; the same address, different parcels of one county
	('pm', 'a', 'veto-upi', 'US-1', NULL, 'Travis', 'TX', NULL, '700', NULL, 'Cedar', 'Ct', NULL, '78705', NULL, NULL, 'Active', 1, NULL, NULL, NULL),
	('pm', 'b', 'veto-upi', 'US-2', NULL, 'Travis', 'TX', NULL, '700', NULL, 'Cedar', 'Ct', NULL, '78705', NULL, NULL, 'Active', 1, NULL, NULL, NULL),
	('pm', 'a', 'veto-parcel', NULL, 'R900', 'Travis', 'TX', NULL, '710', NULL, 'Cedar', 'Ct', NULL, '78705', NULL, NULL, 'Active', 1, NULL, NULL, NULL),
	('pm', 'b', 'veto-parcel', NULL, 'R901', 'Travis', 'TX', NULL, '710', NULL, 'Cedar', 'Ct', NULL, '78705', NULL, NULL, 'Active', 1, NULL, NULL, NULL),
	-- ambiguous: the UPI of one property, the address of another
	('pm', 'a', 'amb-1', 'US-777', NULL, 'Travis', 'TX', NULL, '800', NULL, 'Birch', 'Ln', NULL, '78745', NULL, NULL, 'Active', 1, NULL, NULL, NULL),
	('pm', 'a', 'amb-2', NULL, NULL, 'Travis', 'TX', NULL, '802', NULL, 'Birch', 'Ln', NULL, '78745', NULL, NULL, 'Active', 1, NULL, NULL, NULL),
	('pm', 'b', 'amb', 'US-777', NULL, 'Travis', 'TX', NULL, '802', NULL, 'Birch', 'Lane', NULL, '78745', NULL, NULL, 'Active', 1, NULL, NULL, NULL),
	-- relisted in the same MLS
	('pm', 'a', 'relist-1', NULL, NULL, 'Travis', 'TX', NULL, '900', NULL, 'Walnut', 'Way', NULL, '78746', NULL, NULL, 'Expired', 600000, 4, NULL, NULL),
	('pm', 'a', 'relist-2', NULL, NULL, 'Travis', 'TX', '900 Walnut Way', NULL, NULL, NULL, NULL, NULL, '78746', NULL, NULL, 'Active', 590000, 4, NULL, NULL);

-- Written by hand, the listings have no property yet; mls_rematch matches
-- them (a sync matches what it writes).
SELECT count(*) FILTER (WHERE property_id IS NULL) AS unmatched FROM mlsync.mls_listings WHERE tenant_id = 'pm';
SELECT listings, rematched, new_properties, ambiguous FROM mlsync.mls_rematch('pm');
SELECT * FROM pg_temp.matches('pm');

-- mls_listings.property_id is the match's
SELECT count(*) AS listings, count(*) FILTER (WHERE l.property_id = m.property_id) AS same_property
  FROM mlsync.mls_listings l
  JOIN mlsync.mls_listing_matches m USING (tenant_id, connection, listing_key)
 WHERE tenant_id = 'pm';

-- the keys it was matched by
SELECT connection, upi_key, parcel_key, address_key, house_key, normalized_address
  FROM mlsync.mls_listing_matches WHERE tenant_id = 'pm' AND listing_key IN ('upi', 'parcel', 'address')
 ORDER BY listing_key, connection;

-- the ambiguous listing waits for review, with its two candidates
SELECT connection, listing_key, normalized_address,
	   (SELECT string_agg(c ->> 'connection' || '/' || (c ->> 'listing_key') || ' by ' || (c ->> 'rule'), ', '
						  ORDER BY c ->> 'rule' DESC)
		  FROM jsonb_array_elements(candidates) c) AS candidates
  FROM mlsync.mls_match_review WHERE tenant_id = 'pm';

-- Nothing changed: rematching decides nothing again, and all of it again
-- keeps every property id.
CREATE TEMP TABLE before AS
SELECT connection, listing_key, property_id FROM mlsync.mls_listings WHERE tenant_id = 'pm';
SELECT listings, rematched, moved, new_properties FROM mlsync.mls_rematch('pm');
SELECT listings, rematched, moved, new_properties FROM mlsync.mls_rematch('pm', full => true);
SELECT count(*) AS property_ids_changed
  FROM before b JOIN mlsync.mls_listings l USING (connection, listing_key)
 WHERE l.tenant_id = 'pm' AND l.property_id <> b.property_id;

-- Rematching locks no reader out: it takes no table lock beyond those of
-- ordinary writes (readers take AccessShareLock, which none of these
-- blocks), only the tenant's matching lock (one of mlsync's own: an
-- advisory tag with objsubid 28012, kind 1, src/tenancy/locks.c).
BEGIN;
SELECT rematched FROM mlsync.mls_rematch('pm', full => true);
SELECT l.relation::regclass AS relation, l.mode
  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
 WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation'
   AND c.relnamespace = 'mlsync'::regnamespace
   AND l.mode NOT IN ('AccessShareLock', 'RowShareLock', 'RowExclusiveLock');
SELECT count(*) AS advisory_locks FROM pg_locks
 WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND objsubid = 28012 AND classid = 1;
ROLLBACK;

-- A listing whose address changes is decided again, and so are the
-- listings that shared its property: coords/b gets c's number and the
-- coordinates rule now pairs it with c; coords/a stays alone, keeping the
-- property id.
UPDATE mlsync.mls_listings SET street_number = '601' WHERE tenant_id = 'pm' AND connection = 'b' AND listing_key = 'coords';
SELECT listings, rematched, moved, new_properties FROM mlsync.mls_rematch('pm');
SELECT * FROM pg_temp.matches('pm') WHERE listing LIKE '%coords';
SELECT l.property_id = b.property_id AS coords_a_kept_its_property
  FROM before b JOIN mlsync.mls_listings l USING (connection, listing_key)
 WHERE l.tenant_id = 'pm' AND l.connection = 'a' AND l.listing_key = 'coords';

-- Overrides.  A watch on b/amb's property follows it when the link merges
-- it into a/amb-2's.
INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, property_id, reason)
SELECT 'pm', 'w-amb', property_id, 'favorited' FROM mlsync.mls_listings
 WHERE tenant_id = 'pm' AND connection = 'b' AND listing_key = 'amb';
DELETE FROM mlsync.mls_stats_dirty WHERE tenant_id = 'pm';
SELECT mlsync.mls_link_listings('pm', 'a', 'amb-2', 'b', 'amb') = property_id AS linked_to_amb_2
  FROM mlsync.mls_listings WHERE tenant_id = 'pm' AND connection = 'a' AND listing_key = 'amb-2';
-- every listing of the merged property is counted again at the next
-- statistics refresh (a property listed twice counts once)
SELECT array_agg(d.connection || '/' || d.listing_key ORDER BY d.connection, d.listing_key) AS marked,
	   array_agg(d.connection || '/' || d.listing_key ORDER BY d.connection, d.listing_key)
	   = (SELECT array_agg(m.connection || '/' || m.listing_key ORDER BY m.connection, m.listing_key)
			FROM mlsync.mls_listing_matches m, mlsync.mls_listings l
		   WHERE m.tenant_id = 'pm' AND l.tenant_id = 'pm' AND l.connection = 'a'
			 AND l.listing_key = 'amb-2' AND m.property_id = l.property_id) AS its_listings
  FROM mlsync.mls_stats_dirty d WHERE d.tenant_id = 'pm';
SELECT w.watcher, w.property_id = l.property_id AS watches_the_merged_property
  FROM mlsync.mls_watchlist w, mlsync.mls_listings l
 WHERE w.tenant_id = 'pm' AND l.tenant_id = 'pm' AND l.connection = 'a' AND l.listing_key = 'amb-2';
SELECT mlsync.mls_unlink_listing('pm', 'c', 'upi') IS NOT NULL AS unlinked;
SELECT count(*) AS to_review FROM mlsync.mls_match_review WHERE tenant_id = 'pm';
SELECT * FROM pg_temp.matches('pm') WHERE listing LIKE '%amb%' OR listing LIKE '%upi';
-- they survive rematching, even of everything
SELECT listings, rematched, moved FROM mlsync.mls_rematch('pm', full => true);
SELECT * FROM pg_temp.matches('pm') WHERE listing LIKE '%amb%' OR listing LIKE '%upi';
SELECT connection, listing_key, action FROM mlsync.mls_match_overrides WHERE tenant_id = 'pm' ORDER BY 1, 2;
-- cleared, c/upi is matched by the rules again
SELECT mlsync.mls_clear_match_override('pm', 'c', 'upi') AS cleared,
	   mlsync.mls_clear_match_override('pm', 'c', 'upi') AS cleared_again;
SELECT listings, rematched FROM mlsync.mls_rematch('pm');
SELECT * FROM pg_temp.matches('pm') WHERE listing LIKE '%upi';

-- mls_properties: one row per property; the preferred listing is the one
-- on the market (a/upi is Closed), then of the lowest priority value (b
-- before c); physical gaps are filled from the other listings, in the same
-- order (b/upi has no living area, c's 1850 is used before a's 1800).
SELECT listing_count, connection, listing_key, standard_status, list_price, bedrooms_total,
	   living_area, latitude, normalized_address,
	   (SELECT string_agg(o ->> 'connection', ',' ORDER BY o ->> 'connection') FROM jsonb_array_elements(other_listings) o) AS others
  FROM mlsync.mls_properties p
 WHERE tenant_id = 'pm' AND property_id = (SELECT property_id FROM mlsync.mls_listings
											WHERE tenant_id = 'pm' AND connection = 'a' AND listing_key = 'upi');
SELECT count(*) AS properties, sum(listing_count) AS listings,
	   (SELECT count(DISTINCT property_id) FROM mlsync.mls_listings WHERE tenant_id = 'pm') AS distinct_ids
  FROM mlsync.mls_properties WHERE tenant_id = 'pm';

-- The event API per property: the UPI property was listed by three feeds,
-- and its price cut reported by two of them.
SELECT listing_key, count(*) AS listings, count(DISTINCT connection) AS feeds
  FROM mlsync.mls_new_listings('pm', '2000-01-01') WHERE listing_key = 'upi' GROUP BY 1;
SELECT connection, listing_key FROM mlsync.mls_new_listings('pm', '2000-01-01', per_property => true)
 WHERE listing_key = 'upi';
SELECT count(*) AS all_new, (SELECT count(*) FROM mlsync.mls_new_listings('pm', '2000-01-01', per_property => true)) AS per_property,
	   (SELECT count(DISTINCT property_id) FROM mlsync.mls_listings WHERE tenant_id = 'pm') AS properties
  FROM mlsync.mls_new_listings('pm', '2000-01-01');
UPDATE mlsync.mls_listings SET list_price = 390000, price_change_timestamp = '2024-07-01 10:00+00'
 WHERE tenant_id = 'pm' AND listing_key = 'upi' AND connection IN ('b', 'c');
SELECT connection, listing_key, kind, old_price, new_price FROM mlsync.mls_price_changes('pm', '2024-01-01')
 ORDER BY connection;
SELECT connection, listing_key, kind, old_price, new_price
  FROM mlsync.mls_price_changes('pm', '2024-01-01', per_property => true);

-- Errors
SELECT mlsync.mls_rematch('nobody');
SELECT mlsync.mls_link_listings('pm', 'a', 'upi', 'a', 'upi');
SELECT mlsync.mls_link_listings('pm', 'a', 'upi', 'b', 'no-such-listing');
SELECT mlsync.mls_unlink_listing('pm', 'x', 'upi');
SELECT mlsync.mls_rematch(NULL);

-- Deleting a listing deletes its match and override.
DELETE FROM mlsync.mls_listings WHERE tenant_id = 'pm' AND connection = 'b' AND listing_key = 'amb';
SELECT count(*) AS match_rows, (SELECT count(*) FROM mlsync.mls_match_overrides WHERE tenant_id = 'pm') AS overrides
  FROM mlsync.mls_listing_matches WHERE tenant_id = 'pm' AND listing_key = 'amb';

-- This file's tenant goes, with everything it matched.
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'pm';
SELECT count(*) AS matches_left FROM mlsync.mls_listing_matches WHERE tenant_id = 'pm';

-- Rematching decides in chunks of 4,000 listings (REMATCH_CHUNK), and an
-- id one chunk gave away stays taken in the next: "first" and "last" are
-- one property until "last" moves to another address; 4,000 listings
-- without keys, first seen between them, put them in different chunks;
-- "first" keeps the id, "last" gets a new one.
SELECT tenant_id FROM mlsync.mls_create_tenant('pc');
SELECT connection FROM mlsync.mls_connect('pc', 'a', protocol => 'reso',
										  endpoint => 'https://a.example.com/odata');
INSERT INTO mlsync.mls_listings
	(tenant_id, connection, listing_key, street_number, street_name, street_suffix, postal_code,
	 first_seen_at)
VALUES
	('pc', 'a', 'first', '1', 'Oak', 'St', '78701', '2020-01-01'),
	('pc', 'a', 'last', '1', 'Oak', 'Street', '78701', '2022-01-01');
SELECT listings, rematched, new_properties FROM mlsync.mls_rematch('pc');
CREATE TEMP TABLE pc_before AS
SELECT listing_key, property_id FROM mlsync.mls_listings WHERE tenant_id = 'pc';
SELECT count(DISTINCT property_id) AS properties FROM pc_before;
UPDATE mlsync.mls_listings SET street_number = '2', street_name = 'Elm'
 WHERE tenant_id = 'pc' AND listing_key = 'last';
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, first_seen_at)
SELECT 'pc', 'a', 'filler-' || i, '2021-01-01' FROM generate_series(1, 4000) i;
SELECT listings, rematched, moved FROM mlsync.mls_rematch('pc', full => true);
SELECT b.listing_key, l.property_id = b.property_id AS kept_the_id
  FROM pc_before b JOIN mlsync.mls_listings l ON l.tenant_id = 'pc' AND l.listing_key = b.listing_key
 ORDER BY 1;
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'pc';
