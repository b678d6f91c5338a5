-- Property matching as syncs write listings, against the sample server's
-- two MLSs: the second lists about 30% of the first's properties, written
-- its own way (suffixes, directions, units, parcel numbers, counties, ZIP+4,
-- coordinates a few metres away, missing UPIs and parcels, the odd typo),
-- and the server knows the truth.  Both feeds sync at once, in two workers.
-- Then: precision and recall against the truth; rematching changes nothing;
-- an override survives rematching and syncs; a property listed by both
-- feeds raises one alert (the other is a duplicate), one new listing per
-- property, and market statistics count it once.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SELECT mls_test.use_key_file();
SELECT mls_test.wait_for_launcher();

SELECT mls_test.reset('{"mls": "ma", "listings": 2000, "seed": 31}') ->> 'count' AS listings_a;
SELECT mls_test.reset('{"mls": "mb", "listings": 1500, "seed": 32, "share_with": "ma",
						"share_fraction": 0.3}') ->> 'count' AS listings_b;
SELECT tenant_id FROM mlsync.mls_create_tenant('dd');
SELECT connection, action FROM mlsync.mls_connect('dd', 'ma', protocol => 'reso',
	endpoint => mls_test.reso_root('ma'), token_url => mls_test.token_url('ma'),
	username => 'mlsync', priority => 10);
SELECT connection, action FROM mlsync.mls_connect('dd', 'mb', protocol => 'reso',
	endpoint => mls_test.reso_root('mb'), token_url => mls_test.token_url('mb'),
	username => 'mlsync', priority => 20);
SELECT connection, priority FROM mlsync.mls_connections WHERE tenant_id = 'dd' ORDER BY connection;
SELECT count(mlsync.mls_set_credentials('dd', c, client_secret => 's3cret')) AS credentials
  FROM unnest(ARRAY['ma', 'mb']) c;

-- Both feeds at once: the launcher runs the two full syncs in two workers.
SELECT array_agg(r ORDER BY r) AS runs FROM unnest(mlsync.mls_sync('dd', mode => 'full')) r \gset
SELECT cardinality(:'runs'::bigint[]) AS runs,
	   array_agg(mlsync.mls_sync_wait(r, '300 seconds')) AS states
  FROM unnest(:'runs'::bigint[]) r;
SELECT connection, seen, inserted, errors FROM mlsync.mls_sync_history
 WHERE tenant_id = 'dd' ORDER BY connection;
-- (the first load of a connection raises no events)
-- they overlapped in time
SELECT max(started_at) < min(finished_at) AS ran_at_the_same_time
  FROM mlsync.mls_sync_history WHERE tenant_id = 'dd';
-- every listing written was matched
SELECT count(*) AS listings, count(property_id) AS with_property,
	   (SELECT count(*) FROM mlsync.mls_listing_matches WHERE tenant_id = 'dd') AS match_rows
  FROM mlsync.mls_listings WHERE tenant_id = 'dd';

-- The truth: which listings of either MLS are the same property.
CREATE TEMP TABLE truth AS
SELECT 'ma' AS connection, p.key AS listing_key, p.value AS property
  FROM jsonb_each_text(mls_test.control('GET', '/control/truth?format=properties&mls=ma') -> 'properties') p
UNION ALL
SELECT 'mb', p.key, p.value
  FROM jsonb_each_text(mls_test.control('GET', '/control/truth?format=properties&mls=mb') -> 'properties') p;
CREATE TEMP TABLE scored AS
SELECT t.connection, t.listing_key, t.property, l.property_id
  FROM truth t
  JOIN mlsync.mls_listings l
	ON l.tenant_id = 'dd' AND l.connection = t.connection AND l.listing_key = t.listing_key;
SELECT count(*) AS listings, count(DISTINCT property) AS true_properties,
	   count(*) FILTER (WHERE connection = 'mb' AND property LIKE 'ma:%') AS cross_listed
  FROM scored;

-- Precision and recall over pairs of listings: a pair found is two
-- listings given one property; a true pair, two listings of one property.
CREATE FUNCTION pg_temp.precision_recall(OUT true_pairs bigint, OUT found_pairs bigint,
										 OUT correct bigint, OUT "precision" numeric,
										 OUT recall numeric)
LANGUAGE sql AS $$
	WITH t AS (SELECT a.connection || '/' || a.listing_key AS x, b.connection || '/' || b.listing_key AS y
				 FROM scored a JOIN scored b
				   ON a.property = b.property AND (a.connection, a.listing_key) < (b.connection, b.listing_key)),
		 f AS (SELECT a.connection || '/' || a.listing_key AS x, b.connection || '/' || b.listing_key AS y
				 FROM scored a JOIN scored b
				   ON a.property_id = b.property_id AND (a.connection, a.listing_key) < (b.connection, b.listing_key)),
		 p AS (SELECT t.x AS tx, f.x AS fx FROM t FULL JOIN f USING (x, y))
	SELECT count(tx), count(fx), count(tx) FILTER (WHERE fx IS NOT NULL),
		   round(count(tx) FILTER (WHERE fx IS NOT NULL) / nullif(count(fx), 0)::numeric, 3),
		   round(count(tx) FILTER (WHERE fx IS NOT NULL) / nullif(count(tx), 0)::numeric, 3)
	  FROM p
$$;
SELECT * FROM pg_temp.precision_recall();
SELECT "precision" = 1 AS no_wrong_merge, recall >= 0.95 AS recall_at_least_95_pct
  FROM pg_temp.precision_recall();
-- how the pairs were found (the rule of the listing decided second)
SELECT rule, count(*) FROM mlsync.mls_listing_matches
 WHERE tenant_id = 'dd' AND rule <> 'none' GROUP BY rule ORDER BY rule;
SELECT count(*) AS to_review FROM mlsync.mls_match_review WHERE tenant_id = 'dd';

-- Rematching decides nothing when nothing changed, and deciding everything
-- again moves no listing.
SELECT listings, rematched, moved, new_properties FROM mlsync.mls_rematch('dd');
SELECT listings, rematched, moved, new_properties FROM mlsync.mls_rematch('dd', full => true);
SELECT "precision", recall FROM pg_temp.precision_recall();

-- Market statistics count a property once: the second MLS's cross-listings
-- of houses on the market at the same time as the first MLS's listing are
-- left out, unless count_per = 'listing'.  The number left out is computed
-- here from the server's truth.
INSERT INTO mlsync.mls_stats_settings (tenant_id, count_per) VALUES ('dd', 'listing');
SELECT sum(new_listings) AS per_listing FROM mlsync.mls_stats_compute('2025-06-03 12:00+00')
 WHERE tenant_id = 'dd' AND area_type = 'all' AND property_type = 'all' AND period = 'month' \gset
UPDATE mlsync.mls_stats_settings SET count_per = 'property' WHERE tenant_id = 'dd';
SELECT sum(new_listings) AS per_property FROM mlsync.mls_stats_compute('2025-06-03 12:00+00')
 WHERE tenant_id = 'dd' AND area_type = 'all' AND property_type = 'all' AND period = 'month' \gset
SELECT count(*) AS cross_listings_in_window
  FROM scored s JOIN scored f ON f.property = s.property AND f.connection = 'ma'
  JOIN mlsync.mls_listings b ON b.tenant_id = 'dd' AND b.connection = 'mb' AND b.listing_key = s.listing_key
  JOIN mlsync.mls_listings a ON a.tenant_id = 'dd' AND a.connection = 'ma' AND a.listing_key = f.listing_key
 WHERE s.connection = 'mb'
   AND coalesce(b.on_market_date, b.listing_contract_date) BETWEEN '2023-06-01' AND '2025-06-30'
   AND coalesce(a.on_market_date, a.listing_contract_date, '-infinity') <= coalesce(b.close_date, b.off_market_date, 'infinity')
   AND coalesce(b.on_market_date, b.listing_contract_date, '-infinity') <= coalesce(a.close_date, a.off_market_date, 'infinity') \gset
SELECT :per_listing AS per_listing, :per_property AS per_property, :cross_listings_in_window AS cross_listings,
	   :per_listing - :per_property = :cross_listings_in_window AS counted_once,
	   :cross_listings_in_window > 300 AS many_cross_listings;

-- The refresh keeps those figures: refreshed, market_stats equals the
-- computation as of the same moment; a change of count_per rebuilds the
-- tenant at the next refresh, incremental as it is; a listing linked or
-- unlinked by hand is counted again (as are the listings of its property).
CREATE FUNCTION pg_temp.refreshed_stats(OUT differences bigint, OUT rebuilt boolean)
LANGUAGE plpgsql AS $$
DECLARE
	before timestamptz := (SELECT rebuilt_at FROM mlsync.mls_stats_state WHERE tenant_id = 'dd');
	at timestamptz;
BEGIN
	PERFORM mlsync.mls_stats_refresh(false, clock_timestamp());
	SELECT as_of INTO at FROM mlsync.mls_stats_state WHERE tenant_id = 'dd';
	differences := mls_test.stats_differences(ARRAY['dd'], at);
	rebuilt := (SELECT rebuilt_at FROM mlsync.mls_stats_state WHERE tenant_id = 'dd')
			   IS DISTINCT FROM before;
END
$$;
SELECT * FROM pg_temp.refreshed_stats();
SELECT * FROM pg_temp.refreshed_stats();
UPDATE mlsync.mls_stats_settings SET count_per = 'listing' WHERE tenant_id = 'dd';
SELECT * FROM pg_temp.refreshed_stats();
UPDATE mlsync.mls_stats_settings SET count_per = 'property' WHERE tenant_id = 'dd';
SELECT * FROM pg_temp.refreshed_stats();

-- An override survives rematching and syncs: a cross-listing unlinked by
-- hand stays alone through a full rematch and through a sync that rewrites
-- it (its stored hash is spoiled, so a single-listing sync writes it again).
SELECT s.listing_key AS unlinked_key
  FROM scored s JOIN mlsync.mls_listings l ON l.tenant_id = 'dd' AND l.connection = 'mb' AND l.listing_key = s.listing_key
 WHERE s.connection = 'mb' AND s.property LIKE 'ma:%' AND l.standard_status = 'Active'
 ORDER BY s.listing_key LIMIT 1 \gset
SELECT mlsync.mls_unlink_listing('dd', 'mb', :'unlinked_key') IS NOT NULL AS unlinked;
SELECT * FROM pg_temp.refreshed_stats();
SELECT listings, rematched, moved FROM mlsync.mls_rematch('dd', full => true);
UPDATE mlsync.mls_listings SET raw_hash = 0
 WHERE tenant_id = 'dd' AND connection = 'mb' AND listing_key = :'unlinked_key';
SELECT cardinality(mlsync.mls_sync('dd', 'mb', mode => 'single', listing_key => :'unlinked_key',
								   wait => true)) AS runs;
SELECT m.rule, (SELECT count(*) FROM mlsync.mls_listings o
				 WHERE o.tenant_id = 'dd' AND o.property_id = l.property_id) AS listings_of_its_property
  FROM mlsync.mls_listings l JOIN mlsync.mls_listing_matches m USING (tenant_id, connection, listing_key)
 WHERE l.tenant_id = 'dd' AND l.connection = 'mb' AND l.listing_key = :'unlinked_key';

-- A house listed by both feeds raises one alert.  A saved search for
-- anything; the first MLS lists a house, the second cross-lists it.
INSERT INTO mlsync.mls_saved_searches (tenant_id, watcher, name) VALUES ('dd', 'buyer', 'anything');
SELECT mls_test.advance('{"mls": "ma", "seed": 1, "new": 1}') -> 'changed' -> 'new' ->> 0 AS new_a \gset
SELECT mls_test.advance('{"mls": "mb", "seed": 1, "new_shared": 1}') -> 'changed' -> 'new_shared' ->> 0 AS new_b \gset
SELECT cardinality(mlsync.mls_sync('dd', 'ma', wait => true)) AS runs;
SELECT cardinality(mlsync.mls_sync('dd', 'mb', wait => true)) AS runs;
SELECT a.property_id = b.property_id AS one_property, mb.rule
  FROM mlsync.mls_listings a, mlsync.mls_listings b, mlsync.mls_listing_matches mb
 WHERE a.tenant_id = 'dd' AND a.connection = 'ma' AND a.listing_key = :'new_a'
   AND b.tenant_id = 'dd' AND b.connection = 'mb' AND b.listing_key = :'new_b'
   AND mb.tenant_id = 'dd' AND mb.connection = 'mb' AND mb.listing_key = :'new_b';
-- each feed raised its new_listing event; one alert went out, the other is
-- recorded as its duplicate
SELECT connection, kind FROM mlsync.mls_events
 WHERE tenant_id = 'dd' AND listing_key IN (:'new_a', :'new_b') ORDER BY event_id;
SELECT a.connection, a.kind, a.duplicate_of IS NOT NULL AS duplicate,
	   a.duplicate_of = (SELECT event_id FROM mlsync.mls_alerts WHERE tenant_id = 'dd' AND connection = 'ma'
						  AND listing_key = :'new_a') AS duplicate_of_the_first
  FROM mlsync.mls_alerts a WHERE a.tenant_id = 'dd' ORDER BY a.connection;
-- per property, one new listing: the first MLS's (the lower priority value)
SELECT count(*) AS new_listings,
	   (SELECT string_agg(connection, ',') FROM mlsync.mls_new_listings('dd', '2025-06-02 15:00+00', per_property => true)) AS per_property
  FROM mlsync.mls_new_listings('dd', '2025-06-02 15:00+00');

-- This file's tenant goes.
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'dd';
