#!/usr/bin/env bash
# Benchmark of the searches an IDX site runs on mls_listings:
# generate LISTINGS listings (default 1,000,000) of one tenant in the 22
# cities of a metro area, then time typical searches with the indexes the
# extension creates (city and status, price, status and a box of latitude
# and longitude): a city's active listings by price, the same in a price
# range with a minimum of bedrooms and its result count, a price range over
# every city, the pins of a map view and their count, a map view in a price
# range by price, a city's sales.
# Each search is timed best of 5; the baseline is the same search with
# index scans switched off (what it would cost without the indexes),
# measured in the same run.  Prints the figures, the ratios and whether each
# search stays under 20 ms; asserts nothing.
#
# Usage: bench/idx_search.sh [LISTINGS]   (as root, after scripts/test or make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
listings=${1:-1000000}
bench=$(cd "$(dirname "$0")" && pwd)

dir=$(mktemp -d /tmp/mlsync-bench.XXXXXX)
port=$((20000 + RANDOM % 10000))
trap 'stop_cluster "$dir"; rm -rf "$dir"' EXIT
start_cluster "$dir" "$port" "shared_buffers = '1GB'" "max_wal_size = '4GB'" "jit = off"
cluster_psql "$dir" "$port" -c "CREATE EXTENSION mlsync"
cp "$bench/best_seconds.sql" "$dir/best_seconds.sql"
chmod 644 "$dir/best_seconds.sql"

log "generating $listings listings"
t0=$(date +%s)
cluster_psql "$dir" "$port" -v n="$listings" <<'SQL'
-- :n listings of tenant "bench": 22 cities around (30.27, -97.74) weighted
-- like a metro (the central city holds a quarter), the status mix of an MLS
-- (40 % Active, 25 % Closed, ...), prices by city and size, coordinates
-- within 0.08 degree of their city's center, and the rest of a listing's
-- usual columns so rows have their real width.
SET client_min_messages = warning;
SELECT mlsync.mls_create_tenant('bench') \g /dev/null
SELECT mlsync.mls_connect('bench', 'mls1', protocol => 'reso', endpoint => 'https://mls.example.com/odata') \g /dev/null
SELECT setseed(0.17) \g /dev/null
CREATE TEMP TABLE cities (n int, city text, lat float8, lon float8, weight float8, ppsf float8);
INSERT INTO cities VALUES
	(1, 'Austin', 30.27, -97.74, 25, 380), (2, 'Round Rock', 30.51, -97.68, 7, 260),
	(3, 'Cedar Park', 30.51, -97.82, 6, 280), (4, 'Georgetown', 30.63, -97.68, 6, 250),
	(5, 'Pflugerville', 30.44, -97.62, 5, 240), (6, 'Leander', 30.58, -97.85, 5, 250),
	(7, 'Kyle', 29.99, -97.88, 4, 220), (8, 'Buda', 30.09, -97.84, 3, 230),
	(9, 'San Marcos', 29.88, -97.94, 4, 210), (10, 'Hutto', 30.54, -97.55, 3, 220),
	(11, 'Lakeway', 30.36, -97.98, 3, 420), (12, 'Bee Cave', 30.31, -97.94, 2, 450),
	(13, 'Dripping Springs', 30.19, -98.09, 2, 400), (14, 'Manor', 30.34, -97.56, 2, 210),
	(15, 'Liberty Hill', 30.66, -97.92, 2, 240), (16, 'Taylor', 30.57, -97.41, 2, 180),
	(17, 'Bastrop', 30.11, -97.32, 2, 190), (18, 'Lago Vista', 30.46, -97.99, 2, 300),
	(19, 'Elgin', 30.35, -97.37, 1, 180), (20, 'Wimberley', 29.99, -98.10, 1, 330),
	(21, 'Lockhart', 29.88, -97.67, 1, 170), (22, 'West Lake Hills', 30.30, -97.80, 1, 650);
CREATE TEMP TABLE bounds AS
SELECT n, city, lat, lon, ppsf,
	   sum(weight) OVER (ORDER BY n) / sum(weight) OVER () AS upto
  FROM cities;
SET session_replication_role = replica;
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, listing_id, standard_status,
	mls_status, property_type, list_price, original_list_price, bedrooms_total,
	bathrooms_total_integer, living_area, year_built, city, state_or_province, postal_code,
	unparsed_address, street_number, street_name, latitude, longitude, list_agent_key,
	list_office_key, public_remarks, photos_count, modification_timestamp,
	original_entry_timestamp, on_market_date)
SELECT 'bench', 'mls1', (7000000000 + i)::text, 'BEN' || i, s.status, s.status,
	   CASE WHEN r.t < 0.82 THEN 'Residential' WHEN r.t < 0.94 THEN 'Residential Lease' ELSE 'Land' END,
	   round((c.ppsf * r.area * (0.8 + r.p * 0.4))::numeric, -3),
	   round((c.ppsf * r.area * (0.85 + r.p * 0.4))::numeric, -3),
	   r.beds, greatest(1, r.beds - 1), round(r.area::numeric), 1960 + (r.p * 64)::int,
	   c.city, 'TX', (78600 + c.n * 7 + i % 7)::text,
	   (100 + i % 9900) || ' Example St', (100 + i % 9900)::text, 'Example St',
	   round((c.lat + (r.y - 0.5) * 0.16)::numeric, 6), round((c.lon + (r.x - 0.5) * 0.16)::numeric, 6),
	   'A' || (i % 40000), 'O' || (i % 6000),
	   repeat('Bright home with an open plan, a large yard and updated kitchen. ', 4),
	   (r.p * 40)::int, now() - r.age, now() - r.age - interval '30 days', (now() - r.age)::date
  FROM generate_series(1, :n) i
 -- (i is named so that each row draws its own numbers: an uncorrelated
 -- subquery would be evaluated once)
 CROSS JOIN LATERAL (SELECT random() + 0 * i AS u, random() AS st, random() AS t, random() AS p,
							random() AS x, random() AS y,
							900 + random() * 3300 AS area, 1 + (random() * 5)::int AS beds,
							random() * interval '1000 days' AS age) r
 CROSS JOIN LATERAL (SELECT b.* FROM bounds b WHERE b.upto >= r.u ORDER BY b.n LIMIT 1) c
 CROSS JOIN LATERAL (SELECT CASE
		WHEN r.st < 0.40 THEN 'Active' WHEN r.st < 0.65 THEN 'Closed' WHEN r.st < 0.75 THEN 'Pending'
		WHEN r.st < 0.83 THEN 'Active Under Contract' WHEN r.st < 0.88 THEN 'Expired'
		WHEN r.st < 0.92 THEN 'Withdrawn' WHEN r.st < 0.96 THEN 'Canceled'
		WHEN r.st < 0.98 THEN 'Coming Soon' ELSE 'Hold' END AS status) s;
RESET session_replication_role;
VACUUM ANALYZE mlsync.mls_listings;
SQL
log "generated in $(( $(date +%s) - t0 )) s"
cluster_psql "$dir" "$port" -At -c "SELECT format('listings: %s, table and indexes: %s', count(*), pg_size_pretty(pg_total_relation_size('mlsync.mls_listings'))) FROM mlsync.mls_listings"

log "timing the searches (best of 5, with the indexes and with index scans switched off)"
cluster_psql "$dir" "$port" -At -F ' | ' -v bench="$dir" <<'SQL'
SET client_min_messages = warning;
\i :bench/best_seconds.sql
CREATE TEMP TABLE searches (n int, name text, sql text);
INSERT INTO searches VALUES
 (1, 'city + status, by price, page 1',
  $q$SELECT listing_key, list_price, bedrooms_total, unparsed_address FROM mlsync.mls_listings
	  WHERE tenant_id = 'bench' AND city = 'Austin' AND standard_status = 'Active'
	  ORDER BY list_price LIMIT 24$q$),
 (2, 'city + status + price range + 3 beds, by price',
  $q$SELECT listing_key, list_price, bedrooms_total, unparsed_address FROM mlsync.mls_listings
	  WHERE tenant_id = 'bench' AND city = 'Round Rock' AND standard_status = 'Active'
		AND list_price BETWEEN 300000 AND 450000 AND bedrooms_total >= 3
	  ORDER BY list_price LIMIT 24$q$),
 (3, 'count of that search (result header)',
  $q$SELECT count(*) FROM mlsync.mls_listings
	  WHERE tenant_id = 'bench' AND city = 'Round Rock' AND standard_status = 'Active'
		AND list_price BETWEEN 300000 AND 450000 AND bedrooms_total >= 3$q$),
 (4, 'status + price range, all cities, by price',
  $q$SELECT listing_key, city, list_price FROM mlsync.mls_listings
	  WHERE tenant_id = 'bench' AND standard_status = 'Active'
		AND list_price BETWEEN 500000 AND 525000
	  ORDER BY list_price LIMIT 24$q$),
 (5, 'active or coming soon in a price range',
  $q$SELECT listing_key, city, list_price FROM mlsync.mls_listings
	  WHERE tenant_id = 'bench' AND standard_status IN ('Active', 'Coming Soon')
		AND list_price BETWEEN 500000 AND 510000
	  ORDER BY list_price LIMIT 24$q$),
 (6, 'map view: pins in a box (250 at most)',
  $q$SELECT listing_key, latitude, longitude, list_price FROM mlsync.mls_listings
	  WHERE tenant_id = 'bench' AND standard_status = 'Active'
		AND latitude BETWEEN 30.26 AND 30.29 AND longitude BETWEEN -97.76 AND -97.72
	  LIMIT 250$q$),
 (7, 'count of the box (map header)',
  $q$SELECT count(*) FROM mlsync.mls_listings
	  WHERE tenant_id = 'bench' AND standard_status = 'Active'
		AND latitude BETWEEN 30.26 AND 30.29 AND longitude BETWEEN -97.76 AND -97.72$q$),
 (8, 'map view, two statuses, another town',
  $q$SELECT listing_key, latitude, longitude, list_price FROM mlsync.mls_listings
	  WHERE tenant_id = 'bench' AND standard_status IN ('Active', 'Coming Soon')
		AND latitude BETWEEN 30.60 AND 30.66 AND longitude BETWEEN -97.72 AND -97.64
	  LIMIT 250$q$),
 (9, 'map view + price range, by price',
  $q$SELECT listing_key, latitude, longitude, list_price FROM mlsync.mls_listings
	  WHERE tenant_id = 'bench' AND standard_status = 'Active'
		AND latitude BETWEEN 30.24 AND 30.31 AND longitude BETWEEN -97.80 AND -97.68
		AND list_price BETWEEN 400000 AND 700000
	  ORDER BY list_price LIMIT 50$q$),
 (10, 'a city''s recent sales, highest first',
  $q$SELECT listing_key, list_price, unparsed_address FROM mlsync.mls_listings
	  WHERE tenant_id = 'bench' AND city = 'Austin' AND standard_status = 'Closed'
	  ORDER BY list_price DESC LIMIT 24$q$);

CREATE TEMP TABLE timings AS
SELECT s.n, s.name, pg_temp.best_seconds(s.sql, 5) * 1000 AS ms
  FROM searches s ORDER BY s.n;
-- the index each search uses
CREATE TEMP TABLE plans (n int, indexes text);
DO $$
DECLARE s record; p text;
BEGIN
	FOR s IN SELECT * FROM searches ORDER BY n LOOP
		EXECUTE 'EXPLAIN (FORMAT JSON) ' || s.sql INTO p;
		INSERT INTO plans SELECT s.n, string_agg(DISTINCT m[1], ', ')
		  FROM regexp_matches(p, '"Index Name": "([^"]+)"', 'g') m;
	END LOOP;
END $$;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SET enable_indexonlyscan = off;
CREATE TEMP TABLE baseline AS
SELECT s.n, pg_temp.best_seconds(s.sql, 3) * 1000 AS ms FROM searches s ORDER BY s.n;
RESET enable_indexscan;
RESET enable_bitmapscan;
RESET enable_indexonlyscan;

\echo
\echo search | indexed ms | baseline ms (no index scans) | baseline / indexed | under 20 ms | index used
SELECT t.n || '. ' || t.name, round(t.ms::numeric, 2), round(b.ms::numeric, 1),
	   round((b.ms / t.ms)::numeric, 1), CASE WHEN t.ms < 20 THEN 'yes' ELSE 'NO' END,
	   coalesce(p.indexes, '(none)')
  FROM timings t JOIN baseline b USING (n) JOIN plans p USING (n) ORDER BY t.n;
\echo
SELECT format('slowest search: %s ms (target: under 20 ms, ratio to target %s)',
			  round(max(ms)::numeric, 2), round((max(ms) / 20)::numeric, 2)) FROM timings;
SQL
