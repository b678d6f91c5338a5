#!/usr/bin/env bash
# Benchmark of many feeds at once, printed, not asserted.
#
# One sample server holds FEEDS distinct MLSs of LISTINGS listings each
# (compressed in its memory); one cluster holds TENANTS tenants with
# FEEDS / TENANTS connections each, one per MLS.  In one run:
#   1. every feed loaded alone, one after the other (mlsync.max_workers = 1):
#      the single-connection loads, each feed's time and their sum;
#   2. the initial load of every feed at once with mlsync.max_workers = 2,
#      then a round of incremental syncs of every feed at once after 1 % of
#      every feed changed;
#   3. the same with mlsync.max_workers = 4.
# Each load starts from an empty database (the extension dropped and made
# again).  For each phase: total time (first request to last finish), the
# time of the slowest feed, the ratio of the total to the sum of the
# single-connection loads, the workers' peak private memory
# (mls_sync_history.peak_memory_bytes), how often runs yielded their worker
# (mlsync.worker_turn), and lock waits: pg_stat_activity is sampled every
# 100 ms, and the samples of sync workers waiting on a heavyweight lock or
# an LWLock are counted by wait event.
#
# Usage: bench/many_feeds.sh [LISTINGS [FEEDS [TENANTS]]]   (default 50000 40 20;
#        as root, after scripts/test or make install).  The full size took
#        39 minutes on 2 cores (12 generating) and 8 GB for the sample server.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
per_feed=${1:-50000}
feeds=${2:-40}
tenants=${3:-20}
changes=$(( per_feed / 100 ))

make_workspace mlsync-many
log "sample server: $feeds MLSs of $per_feed listings"
start_sample_feeds "$feeds" "$per_feed"

# incremental_overlap 0: the incremental figures are the cost of the changes
# themselves, as before the default read the 20 minutes before the watermark again
start_cluster "$work" "$port" \
	"shared_preload_libraries = 'mlsync'" "mlsync.database_name = 'postgres'" \
	"mlsync.secret_key_file = 'bench.key'" "mlsync.http_compression = off" \
	"mlsync.incremental_overlap = 0" \
	"max_worker_processes = 16" "mlsync.max_workers = 1" \
	"shared_buffers = '2GB'" "max_wal_size = '16GB'" "checkpoint_timeout = '30min'"
install_key_file bench.key
psql_bench() { cluster_psql "$work" "$port" -At "$@"; }

# Outside the extension (it is dropped between phases): the setup, the
# sampler and the results.
psql_bench -v feeds="$feeds" -v tenants="$tenants" -v url="$url" >/dev/null <<'SQL'
CREATE TABLE bench_feeds AS
SELECT format('t%s', lpad((1 + (i - 1) % :tenants)::text, 2, '0')) AS tenant,
	   format('f%s', lpad(i::text, 2, '0')) AS feed
  FROM generate_series(1, :feeds) i;
CREATE TABLE bench_config (url text);
INSERT INTO bench_config VALUES (:'url');
CREATE PROCEDURE bench_setup() LANGUAGE plpgsql AS $$
DECLARE
	u text := (SELECT url FROM bench_config);
BEGIN
	PERFORM mlsync.mls_create_tenant(t) FROM (SELECT DISTINCT tenant AS t FROM bench_feeds) d;
	PERFORM mlsync.mls_connect(tenant, feed, protocol => 'reso',
							   endpoint => format('%s/%s/reso/odata/', u, feed),
							   token_url => format('%s/%s/reso/oauth/token', u, feed),
							   username => 'mlsync', page_size => 1000)
	  FROM bench_feeds;
	PERFORM mlsync.mls_set_credentials(tenant, feed, client_secret => 's3cret') FROM bench_feeds;
END $$;
CREATE TABLE bench_stop (phase text);
CREATE TABLE bench_waits (phase text, at timestamptz, wait_event_type text, wait_event text);
CREATE TABLE bench_samples (phase text, at timestamptz, workers int);
-- every 100 ms until bench_stop has the phase: what the sync workers wait on
CREATE PROCEDURE bench_sample(p text) LANGUAGE plpgsql AS $$
BEGIN
	LOOP
		EXIT WHEN EXISTS (SELECT FROM bench_stop WHERE phase = p);
		INSERT INTO bench_samples
		SELECT p, clock_timestamp(), count(*) FROM pg_stat_activity
		 WHERE backend_type = 'mlsync worker' AND state = 'active';
		INSERT INTO bench_waits
		SELECT p, clock_timestamp(), wait_event_type, wait_event FROM pg_stat_activity
		 WHERE backend_type = 'mlsync worker' AND state = 'active'
		   AND wait_event_type IN ('Lock', 'LWLock', 'BufferPin');
		COMMIT;
		PERFORM pg_sleep(0.1);
	END LOOP;
END $$;
CREATE TABLE bench_results (phase text, workers int, runs int, total_s float8, slowest_s float8,
							sum_s float8, peak_mb_max float8, peak_mb_avg float8, yields bigint,
							listings bigint, changed bigint);
SQL

# Start from an empty database with max_workers workers.
fresh() {
	psql_bench >/dev/null <<SQL
ALTER SYSTEM SET mlsync.max_workers = $1;
SELECT pg_reload_conf();
DROP EXTENSION IF EXISTS mlsync CASCADE;
CREATE EXTENSION mlsync;
CALL bench_setup();
SQL
}

# Request runs of every feed at once (one transaction), wait for them all and
# record the phase's figures: run_phase PHASE WORKERS MODE
run_phase() {
	local phase=$1 workers=$2 mode=$3
	psql_bench -c "SET application_name = 'bench sampler'" -c "CALL bench_sample('$phase')" >/dev/null &
	local sampler=$!
	psql_bench >/dev/null <<SQL
CREATE TEMP TABLE runs AS
SELECT unnest(mlsync.mls_sync(tenant, mode => '$mode')) AS run_id
  FROM (SELECT DISTINCT tenant FROM bench_feeds) t;
SELECT mlsync.mls_sync_wait(run_id, '6 hours') FROM runs;
INSERT INTO bench_stop VALUES ('$phase');
INSERT INTO bench_results
SELECT '$phase', $workers, count(*),
	   extract(epoch FROM max(h.finished_at) - min(h.requested_at)),
	   extract(epoch FROM max(h.duration)), extract(epoch FROM sum(h.duration)),
	   max(h.peak_memory_bytes) / 1e6, avg(h.peak_memory_bytes) / 1e6,
	   sum(h.worker_turns - 1), (SELECT count(*) FROM mlsync.mls_listings),
	   sum(h.inserted + h.updated)
  FROM mlsync.mls_sync_history h JOIN runs USING (run_id);
SQL
	wait "$sampler"
}

# Each feed alone, one after the other: each one's time.
run_singles() {
	psql_bench >/dev/null <<'SQL'
CREATE TEMP TABLE runs (run_id bigint);
DO $$
DECLARE
	f record;
	r bigint;
BEGIN
	FOR f IN SELECT * FROM bench_feeds ORDER BY feed LOOP
		r := (mlsync.mls_sync(f.tenant, f.feed, mode => 'full'))[1];
		INSERT INTO runs VALUES (r);
		COMMIT;
		PERFORM mlsync.mls_sync_wait(r, '6 hours');
	END LOOP;
END $$;
INSERT INTO bench_results
SELECT 'singles', 1, count(*), extract(epoch FROM max(h.finished_at) - min(h.requested_at)),
	   extract(epoch FROM max(h.duration)), extract(epoch FROM sum(h.duration)),
	   max(h.peak_memory_bytes) / 1e6, avg(h.peak_memory_bytes) / 1e6,
	   sum(h.worker_turns - 1), (SELECT count(*) FROM mlsync.mls_listings),
	   sum(h.inserted + h.updated)
  FROM mlsync.mls_sync_history h JOIN runs USING (run_id);
SQL
}

# 1 % of every feed changes.
advance_all() {
	local n=$changes
	for i in $(seq 1 "$feeds"); do
		curl -sf -X POST -d "{\"mls\": \"$(printf 'f%02d' "$i")\", \"seed\": $((7 + $1 * 100 + i)),
			\"new\": $((n / 5)), \"price_cut\": $((n * 3 / 10)), \"price_raise\": $((n / 10)),
			\"pending\": $((n * 15 / 100)), \"closed\": $((n * 15 / 100)), \"withdrawn\": $((n / 20)),
			\"back_on_market\": $((n / 20))}" "$url/control/advance" >/dev/null
	done
}

log "1. every feed alone, one after the other (max_workers 1)"
fresh 1
run_singles
for workers in 2 4; do
	log "2. every feed at once, max_workers $workers: initial load"
	fresh "$workers"
	run_phase "load, $workers workers" "$workers" full
	log "   1 % of every feed changes; incremental syncs of every feed at once"
	advance_all "$workers"
	run_phase "incremental, $workers workers" "$workers" incremental
done

psql_bench -F ' ' <<'SQL'
\pset format aligned
\pset tuples_only off
\pset footer off
SELECT phase, runs, round(total_s::numeric, 1) AS total_s, round(slowest_s::numeric, 1) AS slowest_feed_s,
	   CASE WHEN phase LIKE 'load%' THEN round((total_s / (SELECT sum_s FROM bench_results WHERE phase = 'singles'))::numeric, 2) END
		 AS "total / sum of singles",
	   round(sum_s::numeric, 1) AS sum_of_runs_s, round(peak_mb_max::numeric) AS peak_mb_max,
	   round(peak_mb_avg::numeric) AS peak_mb_avg, yields, changed AS written, listings
  FROM bench_results ORDER BY CASE WHEN phase = 'singles' THEN 0 ELSE workers END, phase DESC;
\echo
\echo 'sync workers waiting on locks (samples every 100 ms; a worker in a sample counts once):'
SELECT s.phase, s.worker_samples, coalesce(w.lock_samples, 0) AS lock_waits,
	   coalesce(w.lwlock_samples, 0) AS lwlock_waits,
	   round(100.0 * coalesce(w.lock_samples, 0) / nullif(s.worker_samples, 0), 2) AS lock_pct,
	   w.events
  FROM (SELECT phase, sum(workers) AS worker_samples FROM bench_samples GROUP BY phase) s
  LEFT JOIN (SELECT phase, sum(n) FILTER (WHERE wait_event_type = 'Lock') AS lock_samples,
					sum(n) FILTER (WHERE wait_event_type <> 'Lock') AS lwlock_samples,
					string_agg(format('%s/%s x%s', wait_event_type, wait_event, n), ', ' ORDER BY n DESC) AS events
			   FROM (SELECT phase, wait_event_type, wait_event, count(*) AS n
					   FROM bench_waits GROUP BY 1, 2, 3) x
			  GROUP BY phase) w USING (phase)
 ORDER BY s.phase;
\echo
\echo 'queue and status tables after the last phase:'
SELECT c.relname, pg_size_pretty(pg_total_relation_size(c.oid)) AS size, s.n_live_tup, s.n_dead_tup,
	   s.n_tup_upd AS updates, s.n_tup_hot_upd AS hot_updates, s.seq_scan, s.idx_scan
  FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
 WHERE c.relname IN ('mls_sync_queue', 'mls_sync_status', 'mls_sync_history', 'mls_usage')
 ORDER BY c.relname;
SQL
