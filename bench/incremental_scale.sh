#!/usr/bin/env bash
# Benchmark: does an incremental sync cost what its changes cost, whatever
# the size of the table?  Printed, not asserted.
#
# One sample server holds FEEDS distinct MLSs of LISTINGS listings each
# (compressed in its memory); one tenant has one connection per MLS.  In one
# run:
#   1. the first feed alone is loaded (a table of LISTINGS listings), then
#      ROUNDS times: CHANGES of its listings change at the source (new ones,
#      price cuts and raises, pending, closed) and an incremental sync of it
#      runs;
#   2. the other feeds are loaded (a table of FEEDS x LISTINGS listings,
#      2,000,000 by default), the tables analysed as autovacuum would, and
#      the same ROUNDS of changes and incremental syncs of the first feed run
#      again.
# Prints each round's run time (mls_sync_history.duration: the worker's
# time from start to finish) and the ratio of the medians, large table to
# small.  The changes of every round are of the same kinds and number.
#
# Usage: bench/incremental_scale.sh [LISTINGS [FEEDS [CHANGES [ROUNDS]]]]
#        (default 100000 20 1000 5; as root, after scripts/test or make
#        install).  The default size takes about 30 minutes on 2 cores.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
per_feed=${1:-100000}
feeds=${2:-20}
changes=${3:-1000}
rounds=${4:-5}

make_workspace mlsync-incscale
log "sample server: $feeds MLSs of $per_feed listings"
start_sample_feeds "$feeds" "$per_feed"

# incremental_overlap 0: the incremental figures are the cost of the changes
# themselves, as before the default read the 20 minutes before the watermark again
start_cluster "$work" "$port" \
	"shared_preload_libraries = 'mlsync'" "mlsync.database_name = 'postgres'" \
	"mlsync.secret_key_file = 'bench.key'" "mlsync.http_compression = off" \
	"mlsync.incremental_overlap = 0" \
	"max_worker_processes = 16" "mlsync.max_workers = 2" \
	"shared_buffers = '2GB'" "max_wal_size = '16GB'" "checkpoint_timeout = '30min'"
install_key_file bench.key
psql_bench() { cluster_psql "$work" "$port" -At "$@"; }

psql_bench -v feeds="$feeds" -v url="$url" >/dev/null <<'SQL'
CREATE EXTENSION mlsync;
SELECT mlsync.mls_create_tenant('bench');
SELECT mlsync.mls_connect('bench', f, protocol => 'reso',
						  endpoint => format('%s/%s/reso/odata/', :'url', f),
						  token_url => format('%s/%s/reso/oauth/token', :'url', f),
						  username => 'mlsync', page_size => 1000)
  FROM (SELECT format('f%s', lpad(i::text, 2, '0')) AS f FROM generate_series(1, :feeds) i) x;
SELECT mlsync.mls_set_credentials('bench', c.connection, client_secret => 's3cret')
  FROM mlsync.mls_connections c;
CREATE TABLE bench_rounds (size text, round int, run_id bigint, seconds float8, written bigint,
						   listings bigint);
SQL

# Request runs and wait for all of them: sync_all MODE CONNECTION...
sync_all() {
	local mode=$1
	shift
	psql_bench >/dev/null <<SQL
CREATE TEMP TABLE runs AS
SELECT (mlsync.mls_sync('bench', c, mode => '$mode'))[1] AS run_id
  FROM unnest(string_to_array('$*', ' ')) c;
SELECT mlsync.mls_sync_wait(run_id, '6 hours') FROM runs;
DO \$\$ BEGIN
	IF EXISTS (SELECT FROM runs r JOIN mlsync.mls_sync_history h USING (run_id)
				WHERE h.state <> 'succeeded') THEN
		RAISE EXCEPTION 'a run failed: see mlsync.mls_sync_errors';
	END IF;
END \$\$;
SQL
}

# ROUNDS rounds of CHANGES changes to f01 and an incremental sync of it
incremental_rounds() {
	local size=$1 n=$changes seed=0
	[ "$size" = large ] && seed=500
	for r in $(seq 1 "$rounds"); do
		curl -sf -X POST -d "{\"mls\": \"f01\", \"seed\": $((1000 * r + seed)),
			\"new\": $((n / 5)), \"price_cut\": $((n * 3 / 10)), \"price_raise\": $((n / 10)),
			\"pending\": $((n / 5)), \"closed\": $((n / 5))}" "$url/control/advance" >/dev/null
		run=$(psql_bench -c "SELECT (mlsync.mls_sync('bench', 'f01', mode => 'incremental'))[1]")
		psql_bench -c "SELECT mlsync.mls_sync_wait($run, '1 hour')" >/dev/null
		psql_bench -c "INSERT INTO bench_rounds SELECT '$size', $r, run_id,
			extract(epoch FROM duration), inserted + updated,
			(SELECT count(*) FROM mlsync.mls_listings)
			FROM mlsync.mls_sync_history WHERE run_id = $run AND state = 'succeeded'"
	done
}

log "1. the first feed alone: $per_feed listings"
sync_all full f01
psql_bench -c "ANALYZE" >/dev/null
incremental_rounds small

others=$(seq -f 'f%02g' 2 "$feeds" | tr '\n' ' ')
log "2. the other $((feeds - 1)) feeds: $((feeds * per_feed)) listings in all"
t0=$(date +%s)
[ "$feeds" -gt 1 ] && sync_all full $others
echo "  loaded in $(( $(date +%s) - t0 )) s"
psql_bench -c "ANALYZE" >/dev/null
incremental_rounds large

psql_bench -F ' ' <<'SQL'
\pset format aligned
\pset tuples_only off
\pset footer off
SELECT size, round, listings, written, round(seconds::numeric, 2) AS seconds
  FROM bench_rounds ORDER BY run_id;
\echo
SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE size = 'small')::numeric, 2)
		 AS median_small_s,
	   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE size = 'large')::numeric, 2)
		 AS median_large_s,
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE size = 'large')
			  / percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE size = 'small'))::numeric, 2)
		 AS "large / small (target: 1.5 or less)"
  FROM bench_rounds;
SQL
