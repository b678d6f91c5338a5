#!/usr/bin/env bash
# Benchmark of the market statistics: generate LISTINGS
# listings (default 1,000,000) over three years with their history (a first
# full sync 540 days ago, status and price changes since), every tenth of
# them listed by a second MLS too (matched to the same property), then time
# mls_refresh_stats(): the first refresh (a full build), a full rebuild
# while a second session reads one dashboard series in a loop and records
# its worst latency, then a day of the market (1 % of the listings change:
# price cuts, contracts, sales, withdrawals, returns, new listings, written
# with their history, their property matches and the marks the sync leaves)
# and the incremental refresh as of the next day, checked against the full
# computation; last, mls_prune() over a week of marks left without a
# refresh.  The baseline is the reader's latency with no refresh running.
# Prints figures and ratios; asserts nothing (targets: a full refresh under
# 30 s, the daily incremental one under 3 s, the reader never blocked).
#
# Usage: bench/stats.sh [LISTINGS]   (as root, after scripts/test or make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
listings=${1:-1000000}

dir=$(mktemp -d /tmp/mlsync-bench.XXXXXX)
port=$((20000 + RANDOM % 10000))
trap 'stop_cluster "$dir"; [ -n "${KEEP_BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
start_cluster "$dir" "$port" "shared_buffers = '1GB'" "max_wal_size = '4GB'" "jit = off"
cluster_psql "$dir" "$port" -c "CREATE EXTENSION mlsync"

# The market's history ends yesterday: its rows are observed up to some hours
# into their day, and a refresh as of now must see them all (an observation
# later than the refresh would enter the statistics a day later unmarked,
# which no sync does: the incremental refresh would then differ from the
# full computation by the bench's doing, as it did when run after midnight).
asof=$(cluster_psql "$dir" "$port" -At -c "SELECT current_date - 1")
log "generating $listings listings and their history"
t0=$(date +%s)
cluster_psql "$dir" "$port" -v n="$listings" -v asof="$asof" <<'SQL'
-- :n listings of tenant "bench" over the three years before :asof, in 40
-- cities, 160 postal codes, 6 counties, 1000 subdivisions, 4 property types;
-- 65 % sell (pending after a few weeks, closed 20-45 days later), the rest
-- expire, are withdrawn or canceled, or are still active.
SET client_min_messages = warning;
SELECT mlsync.mls_create_tenant('bench') \g /dev/null
SELECT mlsync.mls_connect('bench', 'mls1', protocol => 'reso', endpoint => 'https://mls.example.com/odata') \g /dev/null
SELECT setseed(0.42) \g /dev/null
CREATE TEMP TABLE gen AS
SELECT i, s.start, s.start + s.dom AS pend, s.start + s.dom + s.esc AS clos, s.start + s.life AS offm, s.u, s.price, s.area,
       s.u2, s.u3
  FROM generate_series(1, :n) i,
	   LATERAL (SELECT (:'asof'::date - (random() * 1095)::int - 0 * i) AS start,
					   5 + floor(-ln(1 - random()) * 35)::int AS dom,
					   20 + (random() * 25)::int AS esc,
					   60 + (random() * 120)::int AS life,
					   random() AS u, random()::numeric AS u2, random()::numeric AS u3,
					   (150000 + random() * 1500000)::numeric(14,2) AS price,
					   (800 + random() * 3200)::numeric(14,2) AS area) s;
-- status as of :asof
SET session_replication_role = replica;
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, property_id, standard_status, property_type,
	list_price, original_list_price, close_price, listing_contract_date, on_market_date,
	purchase_contract_date, close_date, off_market_date, living_area, city, postal_code,
	county_or_parish, subdivision_name, status_change_timestamp, modification_timestamp, original_entry_timestamp)
SELECT 'bench', 'mls1', 'L' || i, i,
	   st.status,
	   (ARRAY['Residential', 'Residential Income', 'Land', 'Commercial Sale'])[1 + (i % 4)],
	   price, round(price * (1 + u2 / 10), 2),
	   CASE WHEN st.status = 'Closed' THEN round(price * (0.92 + u3 * 0.13), 2) END,
	   start - 3, start,
	   CASE WHEN u < 0.65 AND pend <= :'asof'::date THEN pend END,
	   CASE WHEN st.status = 'Closed' THEN clos END,
	   CASE WHEN st.status IN ('Expired', 'Withdrawn', 'Canceled') THEN offm END,
	   area, 'City ' || (i % 40), lpad((90000 + (i % 40) * 4 + (i / 40) % 4)::text, 5, '0'),
	   'County ' || (i % 40) % 6, 'Subdivision ' || (i::bigint * 7919) % 1000,
	   st.changed, st.changed, start::timestamptz
  FROM gen,
	   LATERAL (SELECT CASE
			WHEN u < 0.65 AND clos <= :'asof'::date THEN 'Closed'
			WHEN u < 0.65 AND pend <= :'asof'::date THEN (CASE WHEN i % 3 = 0 THEN 'Active Under Contract' ELSE 'Pending' END)
			WHEN u < 0.65 THEN 'Active'
			WHEN offm <= :'asof'::date THEN (ARRAY['Expired', 'Withdrawn', 'Canceled'])[1 + i % 3]
			ELSE 'Active' END AS status,
			(CASE WHEN u < 0.65 AND clos <= :'asof'::date THEN clos
				  WHEN u < 0.65 AND pend <= :'asof'::date THEN pend
				  WHEN u >= 0.65 AND offm <= :'asof'::date THEN offm
				  ELSE start END)::timestamptz + interval '10 hours' AS changed) st;
-- history: mlsync first synced at :asof - 540 days
INSERT INTO mlsync.mls_listing_history (tenant_id, connection, listing_key, change, old_status, new_status,
	old_price, new_price, effective_at, observed_at)
SELECT 'bench', 'mls1', 'L' || i, h.change, h.old_status, h.new_status, h.old_price, h.new_price, h.eff, h.obs
  FROM gen,
	   LATERAL (SELECT :'asof'::date - 540 AS first_sync) f,
	   LATERAL (SELECT CASE WHEN u < 0.65 THEN pend ELSE offm END AS end1,
					   CASE WHEN u < 0.65 THEN (CASE WHEN i % 3 = 0 THEN 'Active Under Contract' ELSE 'Pending' END)
							ELSE (ARRAY['Expired', 'Withdrawn', 'Canceled'])[1 + i % 3] END AS st1) t,
	   LATERAL (
		-- the first observation
		SELECT 'listed' AS change, NULL::text AS old_status,
			   CASE WHEN start >= f.first_sync THEN 'Active'
					WHEN u < 0.65 AND clos <= f.first_sync THEN 'Closed'
					WHEN end1 <= f.first_sync THEN t.st1
					ELSE 'Active' END AS new_status,
			   NULL::numeric AS old_price, price AS new_price,
			   start::timestamptz AS eff, greatest(start, f.first_sync)::timestamptz + interval '12 hours' AS obs
		UNION ALL
		SELECT 'status', 'Active', t.st1, NULL, NULL, end1::timestamptz + interval '10 hours', end1::timestamptz + interval '10 hours 15 minutes'
		 WHERE end1 > f.first_sync AND end1 <= :'asof'::date
		UNION ALL
		SELECT 'status', t.st1, 'Closed', NULL, NULL, clos::timestamptz + interval '10 hours', clos::timestamptz + interval '10 hours 15 minutes'
		 WHERE u < 0.65 AND clos > f.first_sync AND clos <= :'asof'::date
		UNION ALL
		SELECT 'price', NULL, NULL, round(price * 1.03, 2), price, (start + 20)::timestamptz, (start + 20)::timestamptz + interval '1 hour'
		 WHERE u2 < 0.3 AND start + 20 > f.first_sync AND start + 20 < least(end1, :'asof'::date)) h;
-- a second MLS lists every tenth house too, the same listing (a property
-- listed twice counts once: count_per = property)
SELECT mlsync.mls_connect('bench', 'mls2', protocol => 'reso', endpoint => 'https://mls2.example.com/odata') \g /dev/null
CREATE TEMP TABLE cross_listed AS
SELECT * FROM mlsync.mls_listings WHERE tenant_id = 'bench' AND property_id % 10 = 0;
UPDATE cross_listed SET connection = 'mls2', listing_key = 'X' || property_id;
INSERT INTO mlsync.mls_listings SELECT * FROM cross_listed;
INSERT INTO mlsync.mls_listing_history (tenant_id, connection, listing_key, change, old_status, new_status,
	old_price, new_price, effective_at, observed_at)
SELECT tenant_id, 'mls2', 'X' || substr(listing_key, 2), change, old_status, new_status, old_price,
	   new_price, effective_at, observed_at
  FROM mlsync.mls_listing_history
 WHERE tenant_id = 'bench' AND connection = 'mls1' AND substr(listing_key, 2)::bigint % 10 = 0;
-- the matcher's rows (property matching is on by default): the refresh reads
-- them for the listings sharing a property with a marked one
INSERT INTO mlsync.mls_listing_matches (tenant_id, connection, listing_key, property_id, rule,
	rules_version, matched_at)
SELECT tenant_id, connection, listing_key, property_id,
	   CASE connection WHEN 'mls1' THEN 'none' ELSE 'parcel' END, mlsync.mls_match_rules_version(), now()
  FROM mlsync.mls_listings WHERE tenant_id = 'bench';
RESET session_replication_role;
ANALYZE mlsync.mls_listings;
ANALYZE mlsync.mls_listing_matches;
ANALYZE mlsync.mls_listing_history;
SQL
log "generated in $(( $(date +%s) - t0 )) s"
cluster_psql "$dir" "$port" -At -c "SELECT format('listings: %s, history rows: %s', (SELECT count(*) FROM mlsync.mls_listings), (SELECT count(*) FROM mlsync.mls_listing_history))"

# The reader: one dashboard series (106 weekly rows), every 10 ms for
# :seconds; prints the number of reads, the worst and the mean latency in ms.
cat > "$dir/reader.sql" <<'SQL'
CREATE FUNCTION pg_temp.read_for(seconds float8) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
	t timestamptz;
	worst float8 := 0;
	total float8 := 0;
	n int := 0;
BEGIN
	WHILE extract(epoch FROM clock_timestamp() - t0) < seconds LOOP
		t := clock_timestamp();
		PERFORM count(*) FROM mlsync.mls_market_stats('bench', 'city', 'City 8', 'Residential', 'week');
		worst := greatest(worst, extract(epoch FROM clock_timestamp() - t));
		total := total + extract(epoch FROM clock_timestamp() - t);
		n := n + 1;
		-- a dashboard, not a busy loop: leave the CPU to the refresh
		PERFORM pg_sleep(0.01);
	END LOOP;
	RETURN format('%s %s %s', n, round((worst * 1000)::numeric, 2), round((total / n * 1000)::numeric, 3));
END $$;
SELECT pg_temp.read_for(:seconds);
SQL
chmod 644 "$dir/reader.sql"
reader() { cluster_psql "$dir" "$port" -At -v seconds="$1" -f "$dir/reader.sql"; }
seconds_of() { cluster_psql "$dir" "$port" -At <<SQL
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT $1 \g /dev/null
SELECT round((extract(epoch FROM clock_timestamp()) - :t0)::numeric, 2);
SQL
}

log "first refresh (a full build: nothing was there)"
first=$(seconds_of "mlsync.mls_refresh_stats()")
rows=$(cluster_psql "$dir" "$port" -At -c "SELECT count(*) FROM mlsync.market_stats")
echo "  $first s, $rows rows"

log "the reader alone for 10 s (baseline)"
read -r n0 worst0 mean0 <<< "$(reader 10)"
echo "  $n0 reads, worst $worst0 ms, mean $mean0 ms"

log "a full rebuild (full => true) while the reader reads"
reader 60 > "$dir/reader.out" &
reader_pid=$!
sleep 2
full=$(seconds_of "mlsync.mls_refresh_stats(full => true)")
wait "$reader_pid"
read -r n1 worst1 mean1 < "$dir/reader.out"
echo "  refresh: $full s; reader: $n1 reads in 60 s, worst $worst1 ms, mean $mean1 ms"

# A day of the market: 1 % of the listings change as a sync would write them
# (the listing, its history row, the mark the sync leaves for the refresh),
# observed today; the refresh is as of tomorrow.
log "a daily 1 % change: $((listings / 100)) listings"
cluster_psql "$dir" "$port" -v n="$listings" -v asof="$asof" >/dev/null <<'SQL'
SET client_min_messages = warning;
SELECT setseed(0.7) \g /dev/null
SET session_replication_role = replica;
CREATE TEMP TABLE day_changes AS
SELECT l.listing_key, l.standard_status, l.list_price,
	   CASE WHEN x.u < 0.35 THEN 'price' WHEN x.u < 0.55 AND l.standard_status = 'Active' THEN 'pending'
			WHEN x.u < 0.75 AND l.standard_status IN ('Pending', 'Active Under Contract') THEN 'closed'
			WHEN x.u < 0.85 AND l.standard_status = 'Active' THEN 'withdrawn'
			WHEN x.u < 0.95 AND l.standard_status IN ('Pending', 'Expired', 'Withdrawn', 'Canceled') THEN 'back'
			ELSE 'price' END AS kind
  FROM (SELECT listing_key, random() AS u FROM mlsync.mls_listings
		 WHERE tenant_id = 'bench' AND connection = 'mls1'
		   AND standard_status IN ('Active', 'Pending', 'Active Under Contract',
														   'Expired', 'Withdrawn', 'Canceled')
		 ORDER BY random() LIMIT (:n / 100) * 4 / 5) x
  JOIN mlsync.mls_listings l ON l.tenant_id = 'bench' AND l.connection = 'mls1' AND l.listing_key = x.listing_key;
UPDATE mlsync.mls_listings l SET
	list_price = CASE WHEN c.kind = 'price' THEN round(l.list_price * 0.97, 2) ELSE l.list_price END,
	standard_status = CASE c.kind WHEN 'pending' THEN 'Pending' WHEN 'closed' THEN 'Closed'
						  WHEN 'withdrawn' THEN 'Withdrawn' WHEN 'back' THEN 'Active' ELSE l.standard_status END,
	purchase_contract_date = CASE WHEN c.kind = 'pending' THEN :'asof'::date
								  WHEN c.kind = 'back' THEN NULL ELSE l.purchase_contract_date END,
	close_date = CASE WHEN c.kind = 'closed' THEN :'asof'::date ELSE l.close_date END,
	close_price = CASE WHEN c.kind = 'closed' THEN round(l.list_price * 0.98, 2) ELSE l.close_price END,
	off_market_date = CASE WHEN c.kind = 'withdrawn' THEN :'asof'::date
						   WHEN c.kind = 'back' THEN NULL ELSE l.off_market_date END,
	status_change_timestamp = CASE WHEN c.kind <> 'price' THEN now() ELSE l.status_change_timestamp END,
	modification_timestamp = now()
  FROM day_changes c WHERE l.tenant_id = 'bench' AND l.connection = 'mls1' AND l.listing_key = c.listing_key;
INSERT INTO mlsync.mls_listing_history (tenant_id, connection, listing_key, change, old_status, new_status,
	old_price, new_price, effective_at, observed_at)
SELECT 'bench', 'mls1', c.listing_key, CASE c.kind WHEN 'price' THEN 'price' ELSE 'status' END,
	   CASE WHEN c.kind <> 'price' THEN c.standard_status END,
	   CASE c.kind WHEN 'pending' THEN 'Pending' WHEN 'closed' THEN 'Closed' WHEN 'withdrawn' THEN 'Withdrawn'
				   WHEN 'back' THEN 'Active' END,
	   CASE WHEN c.kind = 'price' THEN c.list_price END,
	   CASE WHEN c.kind = 'price' THEN round(c.list_price * 0.97, 2) END, now(), now()
  FROM day_changes c;
-- new listings: a fifth of the day's changes
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, property_type,
	list_price, original_list_price, listing_contract_date, on_market_date, living_area, city, postal_code,
	county_or_parish, subdivision_name, status_change_timestamp, modification_timestamp, original_entry_timestamp)
SELECT 'bench', 'mls1', 'N' || i, 'Active',
	   (ARRAY['Residential', 'Residential Income', 'Land', 'Commercial Sale'])[1 + (i % 4)],
	   300000 + i, 300000 + i, :'asof'::date, :'asof'::date, 1500, 'City ' || (i % 40),
	   lpad((90000 + (i % 40) * 4 + (i / 40) % 4)::text, 5, '0'), 'County ' || (i % 40) % 6,
	   'Subdivision ' || (i::bigint * 7919) % 1000, now(), now(), now()
  FROM generate_series(1, :n / 500) i;
INSERT INTO mlsync.mls_listing_history (tenant_id, connection, listing_key, change, new_status, new_price,
	effective_at, observed_at)
SELECT 'bench', 'mls1', 'N' || i, 'listed', 'Active', 300000 + i, now(), now()
  FROM generate_series(1, :n / 500) i;
-- the new listings' property matches
UPDATE mlsync.mls_listings SET property_id = :n + substr(listing_key, 2)::bigint
 WHERE tenant_id = 'bench' AND connection = 'mls1' AND listing_key LIKE 'N%';
INSERT INTO mlsync.mls_listing_matches (tenant_id, connection, listing_key, property_id, rule,
	rules_version, matched_at)
SELECT 'bench', 'mls1', 'N' || i, :n + i, 'none', mlsync.mls_match_rules_version(), now()
  FROM generate_series(1, :n / 500) i;
-- what the sync marks with each batch
INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
SELECT 'bench', 'mls1', listing_key FROM day_changes
UNION ALL SELECT 'bench', 'mls1', 'N' || i FROM generate_series(1, :n / 500) i;
RESET session_replication_role;
SELECT count(*) FROM mlsync.mls_stats_dirty;
SQL
marks=$(cluster_psql "$dir" "$port" -At -c "SELECT count(*) FROM mlsync.mls_stats_dirty")
echo "  $marks listings marked"

log "the incremental refresh as of the next day, while the reader reads"
reader 30 > "$dir/reader.out" &
reader_pid=$!
sleep 2
daily=$(seconds_of "mlsync.mls_stats_refresh(false, now() + interval '1 day')")
wait "$reader_pid"
read -r n2 worst2 mean2 < "$dir/reader.out"
echo "  refresh: $daily s; reader: $n2 reads in 30 s, worst $worst2 ms, mean $mean2 ms"
log "market_stats against the full computation for the same moment"
differences=$(cluster_psql "$dir" "$port" -At <<'SQL'
SELECT (SELECT count(*) FROM (SELECT * FROM mlsync.market_stats
							  EXCEPT ALL SELECT * FROM mlsync.mls_stats_compute((SELECT as_of FROM mlsync.mls_stats_state WHERE tenant_id = 'bench'))) a)
	 + (SELECT count(*) FROM (SELECT * FROM mlsync.mls_stats_compute((SELECT as_of FROM mlsync.mls_stats_state WHERE tenant_id = 'bench'))
							  EXCEPT ALL SELECT * FROM mlsync.market_stats) b);
SQL
)
echo "  rows that differ: $differences"

log "a week of marks without a refresh, then mls_prune() keeps one of each"
# seven days of 1 % of the first MLS written, each listing marked once per
# write (some twice), and a full sync of the second MLS in batches of 500:
# a connection mark per batch beside its listings' marks
cluster_psql "$dir" "$port" -v n="$listings" >/dev/null <<'SQL'
SELECT setseed(0.9) \g /dev/null
INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
SELECT 'bench', 'mls1', 'L' || (1 + (random() * (:n - 1))::int) FROM generate_series(1, :n / 100 * 7)
UNION ALL
SELECT 'bench', 'mls2', NULL FROM generate_series(1, :n / 10 / 500)
UNION ALL
SELECT 'bench', 'mls2', 'X' || i FROM generate_series(10, :n, 10) i;
SQL
marks_before=$(cluster_psql "$dir" "$port" -At -c "SELECT count(*) FROM mlsync.mls_stats_dirty")
prune=$(seconds_of "count(*) FROM mlsync.mls_prune()")
marks_after=$(cluster_psql "$dir" "$port" -At -c "SELECT count(*) FROM mlsync.mls_stats_dirty")
echo "  $marks_before marks, $marks_after after mls_prune() ($prune s)"

echo
echo "listings: $listings, market_stats rows: $rows"
echo "first refresh (full build):   $first s"
echo "full rebuild:                 $full s   (target: under 30 s; ratio to target: $(awk -v a="$full" 'BEGIN { printf "%.2f", a / 30 }'))"
echo "daily 1 % change ($marks listings), incremental refresh: $daily s   (target: under 3 s; ratio to target: $(awk -v a="$daily" 'BEGIN { printf "%.2f", a / 3 }')); rows differing from the full computation: $differences"
echo "reader worst latency: $worst1 ms during the full rebuild, $worst2 ms during the incremental refresh, $worst0 ms alone"
echo "a week of marks without a refresh: $marks_before, kept by mls_prune(): $marks_after, in $prune s"
