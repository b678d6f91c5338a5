#!/usr/bin/env bash
# Benchmark of the RETS source, printed, not asserted.
#
# On one machine, in one run, against the sample MLS server's RETS side:
#   - a full sync of LISTINGS listings that arrive in ONE COMPACT-DECODED
#     Search response (the server's row cap above the result), parsed and
#     written by a background worker, next to the floor: the time curl takes
#     to download that very Search, plus the time COPY takes to load the
#     final rows into an identical table.  It is the connection's first load
#     (its metadata run before does not count): each listing is matched to
#     a property and gets its history row, and raises no event;
#   - the same sync again into empty tables with property matching and the
#     capture of history and events switched off, which the floor does not
#     do either: how much of the gap to the floor is the product's own work,
#     and then mls_rematch(), which matches the listings so loaded;
#   - the worker's peak private memory for a response of about 10 MB and for
#     one of about 500 MB (BIG listings): it must not grow with the response.
# Compression is off on both sides: on loopback it is only CPU.
#
# Usage: bench/sync_rets.sh [LISTINGS] [BIG]   (as root, after scripts/test or make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
listings=${1:-50000}
big=${2:-220000}

make_workspace mlsync-bench
log "starting the sample server"
start_sample_server --listings 10
# Create an MLS of n listings whose RETS Search returns them all at once.
make_mls() {
	curl -sf -X POST -d "{\"mls\": \"$1\", \"listings\": $2, \"seed\": 42, \"rets\": {\"maxrows\": 10000000}}" \
		"$url/control/reset" >/dev/null
}
log "generating $listings listings (mls main) and 4,500 (mls small)"
make_mls main "$listings"
make_mls small 4500

start_cluster "$work" "$port" \
	"shared_preload_libraries = 'mlsync'" "mlsync.database_name = 'postgres'" \
	"mlsync.secret_key_file = 'bench.key'" "mlsync.http_compression = off" \
	"mlsync.max_response_bytes = '4GB'" \
	"shared_buffers = '2GB'" "max_wal_size = '16GB'" "checkpoint_timeout = '30min'"
install_key_file bench.key
psql_bench() { cluster_psql "$work" "$port" -At "$@"; }

# Run a sync in the background and wait for it; prints the run id.
sync_and_wait() {
	local run
	run=$(psql_bench -c "SELECT (mlsync.mls_sync('bench', '$1', mode => '$2'))[1]")
	psql_bench -c "SELECT mlsync.mls_sync_wait($run, '2 hours')" >/dev/null
	echo "$run"
}
# A RETS connection to an MLS, with the mapping set its metadata suggests.
connect() {
	psql_bench >/dev/null <<SQL
SELECT mlsync.mls_connect('bench', '$1', protocol => 'rets', endpoint => '$url/$1/rets/login',
	username => 'mlsync', rets_class => 'ALL', rets_format => 'COMPACT-DECODED');
SELECT mlsync.mls_set_credentials('bench', '$1', password => 'rets-pass');
SQL
	sync_and_wait "$1" metadata >/dev/null
	psql_bench -c "SELECT mlsync.mls_rets_create_mapping_set('bench', '$1', 'bench-$1')" >/dev/null
}
psql_bench -c "CREATE EXTENSION mlsync" -c "SELECT mlsync.mls_create_tenant('bench')" >/dev/null
connect main
connect small

# The sample server builds a record's RETS row the first time it is asked
# for it and keeps it: one download first, so mlsync and the floor both
# meet a server that only sends.
log "warming the sample server up"
warm() {
	curl -s --digest -u mlsync:rets-pass -c "$work/cookies" -o /dev/null "$url/$1/rets/login"
	curl -s --digest -u mlsync:rets-pass -b "$work/cookies" -o /dev/null \
		"$url/$1/rets/search?SearchType=Property&Class=ALL&QueryType=DMQL2&Format=COMPACT-DECODED&Query=%28L_UpdateDate%3D1900-01-01T00%3A00%3A00%2B%29"
	curl -s -b "$work/cookies" -o /dev/null "$url/$1/rets/logout"
}
warm main
warm small

log "mlsync full sync of mls main"
curl -s -X DELETE "$url/control/log" >/dev/null
run=$(sync_and_wait main full)
read -r state sync_s seen requests mb peak <<<"$(psql_bench -F ' ' -c "SELECT state, extract(epoch FROM duration), seen, requests, round(bytes / 1e6), round(peak_memory_bytes / 1e6) FROM mlsync.mls_sync_history WHERE run_id = $run")"
[ "$state" = succeeded ] || { psql_bench -c "SELECT message FROM mlsync.mls_sync_history WHERE run_id = $run"; exit 1; }
read -r matched listed events <<<"$(psql_bench -F ' ' -c "SELECT (SELECT count(*) FROM mlsync.mls_listing_matches), (SELECT count(*) FROM mlsync.mls_listing_history WHERE change = 'listed'), (SELECT count(*) FROM mlsync.mls_events)")"
{ [ "$matched" = "$seen" ] && [ "$listed" = "$seen" ] && [ "$events" = 0 ]; } ||
	{ echo "the first load did not do what it should: $matched matched, $listed listed, $events events for $seen listings" >&2; exit 1; }

log "floor: curl downloads the same Search, COPY loads the same rows"
query=$(curl -s "$url/control/log?mls=main" | python3 -c '
import json, sys
for e in json.load(sys.stdin)["entries"]:
    if e["path"].endswith("/search") and e.get("status") == 200 and e["params"].get("Count") == "1":
        print(e["query"])
        break
')
curl -s --digest -u mlsync:rets-pass -c "$work/cookies" -o /dev/null "$url/main/rets/login"
t0=$(date +%s.%N)
curl -s --digest -u mlsync:rets-pass -b "$work/cookies" -H 'RETS-Version: RETS/1.7.2' \
	-o "$work/search.xml" "$url/main/rets/search?$query"
curl_s=$(python3 -c "print($(date +%s.%N) - $t0)")
response_mb=$(python3 -c "import os; print(round(os.path.getsize('$work/search.xml') / 1e6))")
curl -s -b "$work/cookies" -o /dev/null "$url/main/rets/logout"
psql_bench -c "COPY (SELECT * FROM mlsync.mls_listings WHERE connection = 'main') TO '$work/rows.copy'" >/dev/null
psql_bench -c "CREATE TABLE copy_floor (LIKE mlsync.mls_listings INCLUDING ALL)" >/dev/null
copy_s=$(psql_bench -c "\\timing on" -c "COPY copy_floor FROM '$work/rows.copy'" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | awk '{print $1 / 1000}')

# The same sync without the product's own work on each listing: property
# matching and the capture of history and events switched off.  The floor
# does neither, so this tells how much of the gap to it is that work.
log "mlsync full sync of mls main again, matching and events off"
psql_bench -c "TRUNCATE mlsync.mls_listings, mlsync.mls_listing_history, mlsync.mls_events CASCADE" \
	-c "ALTER SYSTEM SET mlsync.property_matching = off" -c "ALTER SYSTEM SET mlsync.listing_events = off" \
	-c "SELECT pg_reload_conf()" >/dev/null
run=$(sync_and_wait main full)
read -r bare_state bare_s bare_inserted <<<"$(psql_bench -F ' ' -c "SELECT state, extract(epoch FROM duration), inserted FROM mlsync.mls_sync_history WHERE run_id = $run")"
bare_written=$(psql_bench -c "SELECT (SELECT count(*) FROM mlsync.mls_listing_matches) + (SELECT count(*) FROM mlsync.mls_listing_history) + (SELECT count(*) FROM mlsync.mls_events)")
{ [ "$bare_state" = succeeded ] && [ "$bare_inserted" = "$seen" ] && [ "$bare_written" = 0 ]; } ||
	{ echo "the sync without matching and events did not do what it should: $bare_state, $bare_inserted inserted, $bare_written match, history and event rows" >&2; exit 1; }
psql_bench -c "ALTER SYSTEM RESET mlsync.property_matching" -c "ALTER SYSTEM RESET mlsync.listing_events" \
	-c "SELECT pg_reload_conf()" >/dev/null
# What an initial load without matching leaves to do: mls_rematch matches
# every listing afterwards, set-based, in chunks.
log "mls_rematch of the listings loaded without matching"
read -r rematch_ms rematched <<<"$(psql_bench -c "\\timing on" -c "SELECT rematched FROM mlsync.mls_rematch('bench')" |
	awk '/^Time:/ { print $2, n } !/^Time:/ { n = $1 }')"
[ "$rematched" = "$seen" ] || { echo "mls_rematch matched $rematched listings, not $seen" >&2; exit 1; }

log "memory: a Search of about 10 MB (mls small)"
run=$(sync_and_wait small full)
read -r small_mb small_peak <<<"$(psql_bench -F ' ' -c "SELECT round(bytes / 1e6), round(peak_memory_bytes / 1e6) FROM mlsync.mls_sync_history WHERE run_id = $run")"

log "memory: a Search of about 500 MB ($big listings, mls big)"
make_mls big "$big"
connect big
warm big
run=$(sync_and_wait big full)
read -r big_state big_mb big_peak <<<"$(psql_bench -F ' ' -c "SELECT state, round(bytes / 1e6), round(peak_memory_bytes / 1e6) FROM mlsync.mls_sync_history WHERE run_id = $run")"

python3 - "$listings" "$seen" "$requests" "$mb" "$response_mb" "$sync_s" "$curl_s" "$copy_s" "$bare_s" "$rematch_ms" \
	"$peak" "$small_mb" "$small_peak" "$big_state" "$big_mb" "$big_peak" <<'PY'
import sys
(listings, seen, requests, mb, response_mb, sync_s, curl_s, copy_s, bare_s, rematch_ms, peak, small_mb, small_peak,
 big_state, big_mb, big_peak) = sys.argv[1:]
sync_s, curl_s, copy_s, bare_s = map(float, (sync_s, curl_s, copy_s, bare_s))
rematch_s = float(rematch_ms) / 1000
floor = curl_s + copy_s
print()
print("full sync of %s listings in one COMPACT-DECODED Search of %s MB (%s seen, %s requests, %s MB in all)"
      % (listings, response_mb, seen, requests, mb))
print("  mlsync:                   %7.1f s  %8.0f listings/s  %6.0f MB/s"
      % (sync_s, int(seen) / sync_s, float(response_mb) / sync_s))
print("  floor: curl %5.1f s + COPY %5.1f s = %5.1f s" % (curl_s, copy_s, floor))
print("  mlsync / floor:           %7.2f x   (target: 1.2 or less)" % (sync_s / floor))
print("  without matching and history (mlsync.property_matching = off, mlsync.listing_events = off):")
print("    mlsync:                 %7.1f s  %7.2f x the floor; matching and history: %.1f s, %.0f %% of the sync"
      % (bare_s, bare_s / floor, sync_s - bare_s, 100 * (sync_s - bare_s) / sync_s))
print("    then mls_rematch:       %7.1f s  (load and rematch: %.1f s, %.2f x the floor)"
      % (rematch_s, bare_s + rematch_s, (bare_s + rematch_s) / floor))
print("worker peak private memory: %s MB for a %s MB Search, %s MB for a %s MB Search (%s); ratio %.2f   (target: flat, under 64 MB)"
      % (small_peak, small_mb, big_peak, big_mb, big_state, float(big_peak) / max(float(small_peak), 1)))
PY
