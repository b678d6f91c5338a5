#!/usr/bin/env bash
# Benchmark of tenant isolation: TENANTS tenants (default 20) of
# LISTINGS listings each (default 10,000), 5 roles granted each tenant; then
# one tenant's listings are read, all of them, three ways, in one session:
#   plain  the columns the IDX view shows, straight from mls_listings, by a
#          superuser (no row-level security): the baseline
#   rls    the same query by a plain role granted read on the tenant: the
#          policies of mls_listings filter it
#   idx    every row of mls_idx_listings by a plain role granted display on
#          the tenant: policies of its own, the connection's display rules,
#          attribution and disclaimer
# and SELECT * of the same listings (the whole rows).  RUNS (default 8)
# interleaved rounds of 5 reads each way; wall and server CPU times.  Prints
# figures and the ratios; asserts nothing (target: at most 1.2).
#
# Usage: bench/rls_read.sh [LISTINGS] [TENANTS] [RUNS]   (as root, after make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
listings=${1:-10000}
tenants=${2:-20}
runs=${3:-8}

make_workspace mlsync-bench
start_cluster "$work" "$port" "shared_buffers = '512MB'" "jit = off"
cluster_psql "$work" "$port" -c "CREATE EXTENSION mlsync"

log "generating $tenants tenants of $listings listings"
cluster_psql "$work" "$port" -v n="$listings" -v t="$tenants" <<'SQL'
SET client_min_messages = warning;
SELECT mlsync.mls_create_tenant('t' || i) FROM generate_series(1, :t) i \g /dev/null
SELECT mlsync.mls_connect('t' || i, 'mls', protocol => 'reso', endpoint => 'https://mls.example.com/odata',
						  mls_name => 'Example MLS', disclaimer => 'Data as of {as_of}.')
  FROM generate_series(1, :t) i \g /dev/null
UPDATE mlsync.mls_sync_status SET last_success_at = now(), last_load_at = now();
-- the listings as a sync writes them (raw included), without the capture
-- triggers, which a read does not involve
SET session_replication_role = replica;
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, listing_id, standard_status,
	property_type, list_price, original_list_price, on_market_date, bedrooms_total,
	bathrooms_total_integer, living_area, unparsed_address, street_number, street_name, city,
	state_or_province, postal_code, county_or_parish, latitude, longitude, parcel_number,
	list_agent_full_name, list_agent_mls_id, list_agent_email, list_office_name, list_office_mls_id,
	list_office_phone, internet_entire_listing_display_yn, internet_address_display_yn,
	public_remarks, private_remarks, photos_count, modification_timestamp, raw)
SELECT 't' || t, 'mls', 'L' || i, 'M' || i,
	   (ARRAY['Active', 'Active', 'Active', 'Pending', 'Coming Soon', 'Active Under Contract'])[1 + i % 6],
	   'Residential', 300000 + i, 310000 + i, date '2024-01-01' + i % 300, 1 + i % 5, 1 + i % 3,
	   800 + i % 3000, i || ' Main St', i::text, 'Main', 'City ' || i % 40, 'CA',
	   lpad((90000 + i % 160)::text, 5, '0'), 'County ' || i % 6, 37 + (i % 1000) / 1000.0,
	   -122 - (i % 1000) / 1000.0, 'APN-' || i, 'Agent ' || i % 300, 'A' || i % 300,
	   'agent' || i % 300 || '@example.com', 'Office ' || i % 50, 'O' || i % 50, '555-0100',
	   i % 97 <> 0, i % 53 <> 0,
	   repeat('Lovely home with a garden. ', 12), 'Call the agent.', i % 30,
	   timestamptz '2024-03-01' + i * interval '1 minute',
	   jsonb_build_object('ListingKey', 'L' || i, 'PublicRemarks', repeat('Lovely home with a garden. ', 12),
						  'PrivateRemarks', 'Call the agent.', 'ListPrice', 300000 + i)
  FROM generate_series(1, :t) t, generate_series(1, :n) i;
SET session_replication_role = origin;
-- five roles per tenant, as many grants
SELECT format('CREATE ROLE %I', 'r' || t || '_' || k) FROM generate_series(1, :t) t, generate_series(1, 5) k \gexec
SELECT mlsync.mls_grant_tenant('t' || t, 'r' || t || '_' || k,
							   (ARRAY['display', 'read', 'consume', 'operate', 'admin'])[k])
  FROM generate_series(1, :t) t, generate_series(1, 5) k \g /dev/null
CREATE ROLE bench_reader;
CREATE ROLE bench_web;
SELECT mlsync.mls_grant_tenant('t1', 'bench_reader', 'read'),
	   mlsync.mls_grant_tenant('t1', 'bench_web', 'display') \g /dev/null
VACUUM ANALYZE mlsync.mls_listings;
SQL

log "reading one tenant's $listings listings, best of $runs rounds"
# The columns of mls_idx_listings that are columns of mls_listings: the
# plain read reads those, so that the comparison is of the same listings and
# the same values.
columns=$(cluster_psql "$work" "$port" -At -c "
	SELECT string_agg(v.column_name, ', ' ORDER BY v.ordinal_position)
	  FROM information_schema.columns v
	 WHERE v.table_schema = 'mlsync' AND v.table_name = 'mls_idx_listings'
	   AND v.column_name IN (SELECT l.column_name FROM information_schema.columns l
							  WHERE l.table_schema = 'mlsync' AND l.table_name = 'mls_listings')")
plain="SELECT $columns FROM mlsync.mls_listings WHERE tenant_id = 't1'"
# Each round reads every way 5 times, interleaved, as a client does (psql
# receives every row).  Two figures per way: the best wall time (\timing,
# from sending the query to having its result) and the CPU time the server
# process spent over all rounds (utime + stime from /proc, in clock ticks),
# which other work on a shared machine disturbs far less than wall time.
{
	echo '\pset format unaligned'
	echo 'CREATE TEMP TABLE cpu (way text, ticks bigint);'
	echo "CREATE FUNCTION pg_temp.ticks() RETURNS bigint LANGUAGE sql AS \$\$
		SELECT split_part(s, ' ', 12)::bigint + split_part(s, ' ', 13)::bigint
		  FROM split_part(pg_read_file('/proc/self/stat'), ') ', 2) s \$\$;"
	echo "$plain \\g /dev/null"		# warm the cache
	echo '\timing on'
	for _ in $(seq 1 "$runs"); do
		for way in plain star rls idx; do
			echo 'SELECT pg_temp.ticks() AS t0 \gset'
			case $way in
				rls) echo 'SET ROLE bench_reader;' ;;
				idx) echo 'SET ROLE bench_web;' ;;
			esac
			for _ in 1 2 3 4 5; do
				echo "\\echo $way"
				case $way in
					plain|rls) echo "$plain \\g /dev/null" ;;
					star) echo "SELECT * FROM mlsync.mls_listings WHERE tenant_id = 't1' \\g /dev/null" ;;
					idx) echo "SELECT * FROM mlsync.mls_idx_listings WHERE tenant_id = 't1' \\g /dev/null" ;;
				esac
			done
			echo 'RESET ROLE;'
			echo "INSERT INTO cpu SELECT '$way', pg_temp.ticks() - :t0;"
		done
	done
	echo '\timing off'
	echo "SELECT 'cpu ' || string_agg(way || ' ' || ticks, ' ') FROM (SELECT way, sum(ticks) AS ticks FROM cpu GROUP BY way) c;"
} > "$work/read.sql"
chmod 644 "$work/read.sql"
rows=$(cluster_psql "$work" "$port" -At -c "
	SET ROLE bench_reader; SELECT count(*) FROM mlsync.mls_listings;
	SET ROLE bench_web; SELECT count(*) FROM mlsync.mls_idx_listings" | paste -sd' ')
cluster_psql "$work" "$port" -q -f "$work/read.sql" |
	awk -v rows="$rows" '
		/^(plain|star|rls|idx)$/ { way = $1; next }
		/^Time:/ && way != "" { if (!(way in best) || $2 < best[way]) best[way] = $2; way = "" }
		/^cpu / { for (i = 2; i < NF; i += 2) cpu[$i] = $(i + 1) }
		END {
			split(rows, n, " ")
			printf "\nrows: %s through row-level security, %s through mls_idx_listings (the others may not be displayed)\n\n", n[1], n[2]
			printf "%-52s %9s %6s %11s %6s\n", "read of one tenant", "best ms", "ratio", "CPU ticks", "ratio"
			printf "%-52s %9.2f %6.2f %11d %6.2f\n", "plain: the IDX columns, superuser, no policies", best["plain"], 1, cpu["plain"], 1
			printf "%-52s %9.2f %6.2f %11d %6.2f\n", "the same through row-level security", best["rls"], best["rls"] / best["plain"], cpu["rls"], cpu["rls"] / cpu["plain"]
			printf "%-52s %9.2f %6.2f %11d %6.2f\n", "every row and column of mls_idx_listings", best["idx"], best["idx"] / best["plain"], cpu["idx"], cpu["idx"] / cpu["plain"]
			printf "%-52s %9.2f %6.2f %11d %6.2f\n", "for scale: SELECT * of the listings", best["star"], best["star"] / best["plain"], cpu["star"], cpu["star"] / cpu["plain"]
			printf "\nmls_idx_listings to SELECT *: %.2f (best), %.2f (CPU); target: at most 1.2\n", best["idx"] / best["star"], cpu["idx"] / cpu["star"]
		}'
