#!/usr/bin/env bash
# Benchmark of mls_rematch, printed, not asserted.
#
# On one machine, in one run: LISTINGS listings (default 1,000,000) of one
# tenant in two feeds, written straight into mls_listings (rows of a
# realistic width: remarks and a raw record), 60% in feed a and 40% in feed
# b, 30% of b's listings being properties of a written b's way (suffix
# spelled out, "Unit n" for "#n", parcel numbers without dashes or in lower
# case, half the UPIs missing, coordinates a few metres away).  Measured:
#   - the baseline: reading every listing, and reading it while computing
#     every match key (best of three);
#   - the first mls_rematch, which matches every listing (nothing was);
#   - mls_rematch when nothing changed, when 10% of the matches are stale
#     (as after a rule change that touches them), and with full => true
#     (every listing decided again; target: under 60 s);
# with the ratio of each to the baseline, and precision and recall of the
# result against the generated truth.
#
# Usage: bench/match_rematch.sh [LISTINGS]   (as root, after scripts/test or make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
listings=${1:-1000000}
a_count=$((listings * 6 / 10))
b_count=$((listings - a_count))

make_workspace mlsync-rematch-bench
start_cluster "$work" "$port" \
	"shared_preload_libraries = 'mlsync'" "mlsync.database_name = 'postgres'" \
	"shared_buffers = '2GB'" "max_wal_size = '16GB'" "checkpoint_timeout = '30min'" \
	"work_mem = '64MB'" "maintenance_work_mem = '512MB'"
psql_bench() { cluster_psql "$work" "$port" -At "$@"; }

log "writing $listings listings ($a_count in feed a, $b_count in feed b)"
t0=$(date +%s.%N)
psql_bench >/dev/null <<SQL
CREATE EXTENSION mlsync;
SELECT mlsync.mls_create_tenant('big');
SELECT mlsync.mls_connect('big', 'a', protocol => 'reso', endpoint => 'https://a.example.com/odata', priority => 10);
SELECT mlsync.mls_connect('big', 'b', protocol => 'reso', endpoint => 'https://b.example.com/odata', priority => 20);
-- a restore-like load: no history, no events
SET mlsync.listing_events = 'off';
CREATE TABLE props AS
SELECT i,
	   (100 + i % 10000)::text AS number,
	   (ARRAY['Live Oak','Pecan','Mesquite','Bluebonnet','Cypress Creek','Hill Country','Lamar',
			  'Congress','Guadalupe','Barton Springs','Brodie','Slaughter','Parmer','Anderson Mill',
			  'Spicewood Springs','Shoal Creek','Burnet','Manchaca','Riverside','Oltorf','Cameron',
			  'Dessau','Wells Branch','Gattis School','Sam Bass','Red Bud','Sundance','Lakeline',
			  'Whitestone','Brushy Creek','Mockingbird','Cardinal','Mustang','Saddle','Chisholm Trail',
			  'Old Settlers','University','Peñasco','Cañón','Señora'])[1 + (i / 10000) % 40] AS name,
	   (i / 400000) % 3 * 4 + 1 + i % 4 AS suffix_no,
	   CASE WHEN i % 10 = 0 THEN (1 + i % 300)::text END AS unit,
	   (78700 + (i * 13) % 50)::text AS zip,
	   CASE WHEN i % 2 = 0 THEN 'R' || lpad(i::text, 7, '0')
			ELSE '0' || lpad((i / 10000)::text, 2, '0') || '-' || lpad((i % 10000)::text, 4, '0') || '-0000-00' END AS parcel,
	   i % 10 < 6 AS has_upi,
	   30.0 + (i % 1000) * 0.0003 AS lat, -97.9 + (i / 1000) * 0.0003 AS lon
  FROM generate_series(0, $listings - 1) i;
CREATE TABLE suffixes (n integer, short text, long text);
INSERT INTO suffixes VALUES (1,'Dr','Drive'),(2,'St','Street'),(3,'Ln','Lane'),(4,'Rd','Road'),
	(5,'Ct','Court'),(6,'Cv','Cove'),(7,'Trl','Trail'),(8,'Blvd','Boulevard'),(9,'Pl','Place'),
	(10,'Cir','Circle'),(11,'Pkwy','Parkway'),(12,'Ave','Avenue');
-- feed a: property i for i < a_count
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price,
	street_number, street_name, street_suffix, unit_number, postal_code, city, state_or_province,
	county_or_parish, parcel_number, universal_property_id, latitude, longitude, unparsed_address,
	public_remarks, raw, modification_timestamp, first_seen_at)
SELECT 'big', 'a', lpad(p.i::text, 10, '0'), 'Active', 300000 + p.i % 500000,
	   p.number, p.name, s.short, p.unit, p.zip, 'Austin', 'TX', 'Travis', p.parcel,
	   CASE WHEN p.has_upi THEN 'US-48453-N-' || replace(p.parcel, '-', '') || '-R-N' END,
	   p.lat, p.lon, p.number || ' ' || p.name || ' ' || s.short || coalesce(' #' || p.unit, ''),
	   repeat('Welcome home to this beautifully maintained home in the heart of the city. ', 7),
	   jsonb_build_object('ListingKey', lpad(p.i::text, 10, '0'), 'Remarks', repeat('The chef''s kitchen features quartz counters. ', 20),
						  'StreetName', p.name, 'ListPrice', 300000 + p.i % 500000, 'Heating', '["Central"]'::jsonb),
	   now() - (p.i % 1000) * interval '1 hour', now() - (p.i % 1000) * interval '1 hour'
  FROM props p JOIN suffixes s ON s.n = p.suffix_no
 WHERE p.i < $a_count;
-- feed b: 30% are properties of a ((j * 17) % a_count), the rest its own
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price,
	street_number, street_name, street_suffix, unit_number, postal_code, city, state_or_province,
	county_or_parish, parcel_number, universal_property_id, latitude, longitude, unparsed_address,
	public_remarks, raw, modification_timestamp, first_seen_at)
SELECT 'big', 'b', lpad(j::text, 10, '0'), 'Active', 300000 + p.i % 500000,
	   p.number, upper(p.name), s.long, CASE WHEN j % 2 = 0 THEN p.unit ELSE 'Unit ' || p.unit END,
	   p.zip || CASE WHEN j % 3 = 0 THEN '-1234' ELSE '' END, 'Austin', 'TX',
	   CASE WHEN j % 2 = 0 THEN 'Travis County' ELSE 'TRAVIS' END,
	   CASE WHEN j % 4 = 0 THEN lower(p.parcel) ELSE replace(p.parcel, '-', '') END,
	   CASE WHEN p.has_upi AND j % 2 = 0 THEN 'US-48453-N-' || replace(p.parcel, '-', '') || '-R-N' END,
	   p.lat + 0.00003, p.lon - 0.00003,
	   p.number || ' ' || upper(p.name) || ' ' || s.long || coalesce(' Unit ' || p.unit, ''),
	   repeat('Stunning retreat on a quiet street with abundant natural light throughout. ', 7),
	   jsonb_build_object('ListingKey', lpad(j::text, 10, '0'), 'Remarks', repeat('Wide-plank hardwood floors flow through. ', 20),
						  'StreetName', p.name, 'ListPrice', 300000 + p.i % 500000, 'Heating', '["Central"]'::jsonb),
	   now() - (j % 1000) * interval '1 hour', now() - (j % 1000) * interval '1 hour'
  FROM generate_series(0, $b_count - 1) j
  JOIN props p ON p.i = CASE WHEN j % 10 < 3 THEN (j * 17) % $a_count ELSE $a_count + j END
  JOIN suffixes s ON s.n = p.suffix_no;
VACUUM ANALYZE mlsync.mls_listings;
SQL
python3 -c "print('written in %.1f s' % ($(date +%s.%N) - $t0))"
heap_mb=$(psql_bench -c "SELECT round(pg_table_size('mlsync.mls_listings') / 1e6)")

# Seconds of one statement (once): timed by the server.
once() {
	psql_bench -c "CREATE TEMP TABLE t AS SELECT clock_timestamp() AS t0;
		$1;
		SELECT extract(epoch FROM clock_timestamp() - t0) FROM t" | tail -1
}

log "baseline: reading every listing, and computing every match key"
read -r scan_s keys_s <<<"$(psql_bench -F ' ' -v bench="$MLSYNC_ROOT/bench" <<'SQL'
\i :bench/best_seconds.sql
SELECT pg_temp.best_seconds($$SELECT count(*) FROM mlsync.mls_listings WHERE tenant_id = 'big'$$, 3),
	   pg_temp.best_seconds($$SELECT count(k.address_key) FROM mlsync.mls_listings l
			CROSS JOIN LATERAL mlsync.mls_match_keys(l.universal_property_id, l.parcel_number,
				l.county_or_parish, l.state_or_province, l.unparsed_address, l.street_number,
				l.street_dir_prefix, l.street_name, l.street_suffix, l.street_dir_suffix,
				l.unit_number, l.postal_code, l.latitude, l.longitude) k
		   WHERE l.tenant_id = 'big'$$, 3);
SQL
)"

log "first mls_rematch: every listing matched"
first_s=$(once "SELECT * FROM mlsync.mls_rematch('big')")
psql_bench -c "VACUUM ANALYZE mlsync.mls_listings, mlsync.mls_listing_matches" >/dev/null
log "mls_rematch, nothing changed"
noop_s=$(once "SELECT * FROM mlsync.mls_rematch('big')")
log "mls_rematch, 10% of the matches stale"
psql_bench -c "UPDATE mlsync.mls_listing_matches SET rules_version = 0
				WHERE tenant_id = 'big' AND listing_key LIKE '%7'" >/dev/null
partial_s=$(once "SELECT * FROM mlsync.mls_rematch('big')")
log "mls_rematch, full"
full_s=$(once "SELECT * FROM mlsync.mls_rematch('big', full => true)")
properties=$(psql_bench -c "SELECT count(DISTINCT property_id) FROM mlsync.mls_listings WHERE tenant_id = 'big'")

log "precision and recall against the generated truth"
read -r true_pairs found_pairs correct <<<"$(psql_bench -F ' ' <<SQL
CREATE TEMP TABLE truth AS
SELECT 'a' AS connection, listing_key, listing_key::bigint AS property
  FROM mlsync.mls_listings WHERE tenant_id = 'big' AND connection = 'a'
UNION ALL
SELECT 'b', listing_key, CASE WHEN listing_key::bigint % 10 < 3 THEN (listing_key::bigint * 17) % $a_count
							  ELSE $a_count + listing_key::bigint END
  FROM mlsync.mls_listings WHERE tenant_id = 'big' AND connection = 'b';
CREATE TEMP TABLE scored AS
SELECT t.*, l.property_id FROM truth t
  JOIN mlsync.mls_listings l ON l.tenant_id = 'big' AND l.connection = t.connection AND l.listing_key = t.listing_key;
WITH t AS (SELECT a.connection || a.listing_key AS x, b.connection || b.listing_key AS y
			 FROM scored a JOIN scored b ON a.property = b.property
			  AND (a.connection, a.listing_key) < (b.connection, b.listing_key)),
	 f AS (SELECT a.connection || a.listing_key AS x, b.connection || b.listing_key AS y
			 FROM scored a JOIN scored b ON a.property_id = b.property_id
			  AND (a.connection, a.listing_key) < (b.connection, b.listing_key)),
	 p AS (SELECT t.x AS tx, f.x AS fx FROM t FULL JOIN f USING (x, y))
SELECT count(tx), count(fx), count(tx) FILTER (WHERE fx IS NOT NULL) FROM p;
SQL
)"

python3 - "$listings" "$heap_mb" "$scan_s" "$keys_s" "$first_s" "$noop_s" "$partial_s" "$full_s" \
	"$properties" "$true_pairs" "$found_pairs" "$correct" <<'PY'
import sys
listings, heap_mb = int(sys.argv[1]), sys.argv[2]
scan_s, keys_s, first_s, noop_s, partial_s, full_s = map(float, sys.argv[3:9])
properties, true_pairs, found_pairs, correct = map(int, sys.argv[9:13])
print()
print("mls_rematch of %d listings (%s MB of listings), %d properties" % (listings, heap_mb, properties))
print("  baseline: read every listing          %7.1f s" % scan_s)
print("  baseline: compute every match key     %7.1f s   (the ratios below are to this)" % keys_s)
for name, s in (("first rematch (nothing matched yet)", first_s), ("nothing changed", noop_s),
                ("10% of the matches stale", partial_s), ("full => true", full_s)):
    print("  %-36s %7.1f s  %6.2f x" % (name, s, s / keys_s))
print("  full rematch: %.1f s   (target: under 60 s)" % full_s)
print("precision %.4f, recall %.4f (%d true pairs, %d found, %d correct)"
      % (correct / max(found_pairs, 1), correct / max(true_pairs, 1), true_pairs, found_pairs, correct))
PY
