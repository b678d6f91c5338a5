#!/usr/bin/env bash
# Benchmark: what the change capture and the alert matching cost on the sync
# writer's own path (the statements of src/engine/writer.c and
# mls_writer_capture), where bench/events.sh measures the trigger path of
# direct writes.  Printed, not asserted.
#
# One sample MLS of LISTINGS listings is loaded by a full sync.  Then, ROUNDS
# times, each of three configurations in turn: CHANGES listings change at
# the source (new ones, price cuts and raises, pending, closed: the same
# kinds and numbers every time) and an incremental sync writes them.
#   off:      mlsync.listing_events = off: no history, events or deliveries;
#   capture:  on: history, listing events, deliveries to two consumers;
#   alerts:   on, with 10,000 active saved searches (a city, a postal code or
#             a radius around a listing, with price and bedroom limits) and
#             5,000 watched listings.
# Prints each run's time (mls_sync_history.duration, the worker's time from
# start to finish: fetching and mapping are the same in every
# configuration), what it recorded, the time spent in the writer's capture
# (mls_writer_capture, which includes the alerts) and in the alert matching
# (mls_alert_events) from pg_stat_user_functions, and medians: each run's
# ratio to "off", and the capture's time over the rest of its own run.  The
# second ratio is the overhead without the variation between runs (fetching
# and writing vary by 30 % from run to run on a busy 2-core machine); what
# listing events cost outside mls_writer_capture (reading the rows before
# the batch) is in "the rest", so it reads a little low.
#
# Usage: bench/alerts_sync.sh [LISTINGS [CHANGES [ROUNDS]]]
#        (default 100000 10000 3; as root, after scripts/test or make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
listings=${1:-100000}
changes=${2:-10000}
rounds=${3:-3}
make_workspace mlsync-alerts
log "sample server: one MLS of $listings listings"
start_sample_feeds 1 "$listings"
# incremental_overlap 0: the incremental figures are the cost of the changes
# themselves, as before the default read the 20 minutes before the watermark again
start_cluster "$work" "$port" \
	"shared_preload_libraries = 'mlsync'" "mlsync.database_name = 'postgres'" \
	"mlsync.secret_key_file = 'bench.key'" "mlsync.http_compression = off" \
	"mlsync.incremental_overlap = 0" \
	"mlsync.max_workers = 1" "shared_buffers = '1GB'" "max_wal_size = '8GB'" \
	"track_functions = 'all'"
install_key_file bench.key
psql_bench() { cluster_psql "$work" "$port" -At "$@"; }
psql_bench -v url="$url" >/dev/null <<'SQL'
CREATE EXTENSION mlsync;
SELECT mlsync.mls_create_tenant('bench');
SELECT mlsync.mls_connect('bench', 'f01', protocol => 'reso',
						  endpoint => :'url' || '/f01/reso/odata/',
						  token_url => :'url' || '/f01/reso/oauth/token',
						  username => 'mlsync', page_size => 1000);
SELECT mlsync.mls_set_credentials('bench', 'f01', client_secret => 's3cret');
SELECT mlsync.mls_subscribe('alerts', tenant => 'bench');
SELECT mlsync.mls_subscribe('social', '{sold,new_listing}', tenant => 'bench');
CREATE TABLE bench_runs (config text, round int, run_id bigint, seconds float8, written bigint,
						 history bigint, events bigint, alerts bigint, deliveries bigint,
						 capture_s float8, matching_s float8);
SQL

# One sync of f01 in MODE; prints its run id once it succeeded.
sync_f01() {
	local run
	run=$(psql_bench -c "SELECT (mlsync.mls_sync('bench', 'f01', mode => '$1'))[1]")
	psql_bench -c "SELECT mlsync.mls_sync_wait($run, '2 hours')" >/dev/null
	[ "$(psql_bench -c "SELECT state FROM mlsync.mls_sync_history WHERE run_id = $run")" = succeeded ] || {
		echo "run $run did not succeed: see mlsync.mls_sync_errors" >&2
		exit 1
	}
	echo "$run"
}

log "full sync of $listings listings"
t0=$(date +%s)
sync_f01 full >/dev/null
echo "  loaded in $(( $(date +%s) - t0 )) s"

# The searches and the watch list, from the listings as loaded: each search
# is around one listing (its city, its postal code, or 0.5-2 km around it),
# within 3% of its price, with its bedrooms and its property subtype, so the
# changes meet real matches (about one alert per changed listing).
psql_bench >/dev/null <<'SQL'
SELECT setseed(0.42);
INSERT INTO mlsync.mls_saved_searches
	(tenant_id, watcher, cities, postal_codes, latitude, longitude, radius_km, min_price, max_price, min_beds,
	 max_beds, property_types, active)
SELECT 'bench', 'client-' || s,
	   CASE WHEN s % 3 = 0 THEN ARRAY[l.city] END,
	   CASE WHEN s % 3 = 1 THEN ARRAY[l.postal_code] END,
	   CASE WHEN s % 3 = 2 THEN l.latitude END,
	   CASE WHEN s % 3 = 2 THEN l.longitude END,
	   CASE WHEN s % 3 = 2 THEN 0.5 + (s % 4) * 0.5 END,
	   (coalesce(l.list_price, 300000) * 0.97)::numeric(14, 2),
	   (coalesce(l.list_price, 300000) * 1.03)::numeric(14, 2), l.bedrooms_total, l.bedrooms_total,
	   CASE WHEN l.property_sub_type IS NOT NULL THEN ARRAY[l.property_sub_type] END, false
  FROM (SELECT row_number() OVER (ORDER BY random()) AS s, city, postal_code, latitude, longitude, list_price,
			   bedrooms_total, property_sub_type
		  FROM mlsync.mls_listings
		 WHERE city IS NOT NULL AND postal_code IS NOT NULL AND latitude IS NOT NULL) l
 WHERE l.s <= 10000;
CREATE TABLE bench_watchlist AS
SELECT 'client-' || (1 + (random() * 9999)::int) AS watcher, connection, listing_key
  FROM mlsync.mls_listings ORDER BY random() LIMIT 5000;
-- Not a database-wide ANALYZE: it would record the empty mls_alerts as
-- empty, and until autovacuum analyzes it again the planner would scan it
-- whole for each alert's duplicate check.
ANALYZE mlsync.mls_saved_searches;
SQL

# What a configuration needs, set before its run.
configure() {
	case $1 in
		off) psql_bench -c "ALTER SYSTEM SET mlsync.listing_events = off" >/dev/null ;;
		*) psql_bench -c "ALTER SYSTEM RESET mlsync.listing_events" >/dev/null ;;
	esac
	psql_bench >/dev/null <<SQL
SELECT pg_reload_conf();
UPDATE mlsync.mls_saved_searches SET active = ('$1' = 'alerts');
DELETE FROM mlsync.mls_watchlist;
INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection, listing_key, reason)
SELECT 'bench', watcher, connection, listing_key, 'viewed' FROM bench_watchlist WHERE '$1' = 'alerts';
SQL
	sleep 1
}

# What the tables hold, counted before and after each run, and the time
# spent in the writer's capture (mls_writer_capture: history, events,
# deliveries and alerts) and in its alert matching (mls_alert_events), from
# pg_stat_user_functions: the parts of a run's time that the configurations
# change, measured apart from the fetching and writing around them.
fn_seconds() {
	echo "(SELECT coalesce(sum(total_time), 0) / 1000 FROM pg_stat_user_functions
		WHERE schemaname = 'mlsync' AND funcname = '$1')"
}
snapshot="(SELECT count(*) FROM mlsync.mls_listing_history) AS history,
	(SELECT count(*) FROM mlsync.mls_events WHERE kind <> 'alert') AS events,
	(SELECT count(*) FROM mlsync.mls_events WHERE kind = 'alert') AS alerts,
	(SELECT count(*) FROM mlsync.mls_event_deliveries) AS deliveries,
	$(fn_seconds mls_writer_capture) AS capture_s,
	$(fn_seconds mls_alert_events) AS matching_s"

# A sync worker reports its function times when it exits, just after its
# run is marked done: wait for it to be gone.
wait_workers_gone() {
	for _ in $(seq 1 100); do
		[ "$(psql_bench -c "SELECT count(*) FROM pg_stat_activity
							 WHERE application_name = 'mlsync worker'")" = 0 ] && return
		sleep 0.1
	done
}

for r in $(seq 1 "$rounds"); do
	for config in off capture alerts; do
		log "round $r, $config: $changes changes"
		configure "$config"
		seed=$((1000 * r + ${#config}))
		curl -sf -X POST -d "{\"mls\": \"f01\", \"seed\": $seed,
			\"new\": $((changes / 5)), \"price_cut\": $((changes * 3 / 10)),
			\"price_raise\": $((changes / 10)), \"pending\": $((changes / 5)),
			\"closed\": $((changes / 5))}" "$url/control/advance" >/dev/null
		psql_bench -c "CHECKPOINT" >/dev/null
		counts=$(psql_bench -F ' ' -c "SELECT $snapshot")
		run=$(sync_f01 incremental)
		wait_workers_gone
		psql_bench -v before="$counts" >/dev/null <<SQL
INSERT INTO bench_runs
SELECT '$config', $r, h.run_id, extract(epoch FROM h.duration), h.inserted + h.updated,
	   a.history - b.history, a.events - b.events, a.alerts - b.alerts, a.deliveries - b.deliveries,
	   a.capture_s - b.capture_s, a.matching_s - b.matching_s
  FROM mlsync.mls_sync_history h,
	   (SELECT $snapshot) a,
	   (SELECT split_part(:'before', ' ', 1)::bigint AS history, split_part(:'before', ' ', 2)::bigint AS events,
			   split_part(:'before', ' ', 3)::bigint AS alerts, split_part(:'before', ' ', 4)::bigint AS deliveries,
			   split_part(:'before', ' ', 5)::float8 AS capture_s,
			   split_part(:'before', ' ', 6)::float8 AS matching_s) b
 WHERE h.run_id = $run;
SQL
	done
done

psql_bench -F ' ' <<'SQL'
\pset format aligned
\pset tuples_only off
\pset footer off
SELECT config, round, written, history, events, alerts, deliveries,
	   round(seconds::numeric, 2) AS seconds, round(capture_s::numeric, 2) AS capture_s,
	   round(matching_s::numeric, 2) AS matching_s
  FROM bench_runs ORDER BY run_id;
\echo
-- Medians.  "over off" compares whole runs, which vary with the machine;
-- "capture share" is the capture's own time over the rest of its run, the
-- same ratio without the run-to-run variation of fetching and writing.
WITH m AS (
	SELECT config, percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
		   percentile_cont(0.5) WITHIN GROUP (ORDER BY capture_s / (seconds - capture_s)) AS share,
		   percentile_cont(0.5) WITHIN GROUP (ORDER BY matching_s) AS matching
	  FROM bench_runs GROUP BY config)
SELECT config, round(median::numeric, 2) AS median_s,
	   round((median / (SELECT median FROM m WHERE config = 'off') - 1)::numeric * 100, 1)
		 AS "over off, %",
	   round(share::numeric * 100, 1) AS "capture over the rest of its run, % (target: 25 or less)",
	   round(matching::numeric, 2) AS "alert matching, s"
  FROM m ORDER BY median;
SQL
