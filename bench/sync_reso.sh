#!/usr/bin/env bash
# Benchmark of the sync engine (RESO Web API), printed, not asserted.
#
# On one machine, in one run, against the sample MLS server with LISTINGS
# listings of about 6 kB (with --wide: of about 25 kB, every one of the 630
# fields of the RESO Data Dictionary's Property resource, as real servers
# send 600 and more; the ones the mapping set does not map go to extra):
#   - mlsync's full sync (background worker, pages of 1,000), next to the
#     floor: the time curl takes to download the very pages mlsync asked for,
#     plus the time COPY takes to load the final rows into an identical table;
#   - an incremental sync of 1,000 changed listings into the full table;
#   - the worker's peak private memory with pages of 1,000 and of 5,000.
# Compression is off on both sides (mlsync.http_compression = off, curl
# without --compressed): on loopback it is only CPU.
#
# Usage: bench/sync_reso.sh [--wide] [LISTINGS]   (as root, after scripts/test or make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
wide=false
if [ "${1:-}" = --wide ]; then
	wide=true
	shift
fi
listings=${1:-100000}

make_workspace mlsync-bench
log "generating $listings listings in the sample server (wide records: $wide)"
t0=$(date +%s.%N)
if $wide; then
	start_sample_server --listings 10 --seed 42
	curl -sf -X POST -d "{\"mls\": \"demo\", \"listings\": $listings, \"seed\": 42,
		\"wide_records\": true, \"record_storage\": \"compressed\"}" "$url/control/reset" >/dev/null
else
	start_sample_server --listings "$listings" --seed 42
fi
python3 -c "print('server ready in %.1f s' % ($(date +%s.%N) - $t0))"
curl -s -X POST -d '{"mls": "demo", "page_max": 5000}' "$url/control/configure" >/dev/null

# incremental_overlap 0: the incremental figures are the cost of the changes
# themselves, as before the default read the 20 minutes before the watermark again
start_cluster "$work" "$port" \
	"shared_preload_libraries = 'mlsync'" "mlsync.database_name = 'postgres'" \
	"mlsync.secret_key_file = 'bench.key'" "mlsync.http_compression = off" \
	"mlsync.incremental_overlap = 0" \
	"shared_buffers = '2GB'" "max_wal_size = '16GB'" "checkpoint_timeout = '30min'"
install_key_file bench.key
psql_bench() { cluster_psql "$work" "$port" -At "$@"; }

psql_bench >/dev/null <<SQL
CREATE EXTENSION mlsync;
SELECT mlsync.mls_create_tenant('bench');
SELECT mlsync.mls_connect('bench', 'p1000', protocol => 'reso', endpoint => '$url/demo/reso/odata/',
	token_url => '$url/demo/reso/oauth/token', username => 'mlsync', page_size => 1000);
SELECT mlsync.mls_connect('bench', 'p5000', protocol => 'reso', endpoint => '$url/demo/reso/odata/',
	token_url => '$url/demo/reso/oauth/token', username => 'mlsync', page_size => 5000);
SELECT mlsync.mls_set_credentials('bench', c, client_secret => 's3cret') FROM unnest(ARRAY['p1000', 'p5000']) c;
SQL

# Run a sync in the background and wait for it; prints the run id.
sync_and_wait() {
	local run
	run=$(psql_bench -c "SELECT (mlsync.mls_sync('bench', '$1', mode => '$2'))[1]")
	psql_bench -c "SELECT mlsync.mls_sync_wait($run, '1 hour')" >/dev/null
	echo "$run"
}

# The sample server builds a record's JSON the first time it is asked for it
# and keeps it: one download of every page first, so mlsync and the floor
# both meet a server that only sends.
log "warming the sample server up"
python3 - "$url" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
req = urllib.request.Request(url + "/demo/reso/oauth/token", data=b"grant_type=client_credentials",
                             headers={"Authorization": "Basic bWxzeW5jOnMzY3JldA=="})
token = json.load(urllib.request.urlopen(req))["access_token"]
page = url + "/demo/reso/odata/Property?$top=5000"
while page:
    req = urllib.request.Request(page, headers={"Authorization": "Bearer " + token})
    page = json.load(urllib.request.urlopen(req)).get("@odata.nextLink")
PY

log "mlsync full sync, pages of 1,000"
curl -s -X DELETE "$url/control/log" >/dev/null
run=$(sync_and_wait p1000 full)
read -r sync_s seen requests mb peak <<<"$(psql_bench -F ' ' -c "SELECT extract(epoch FROM duration), seen, requests, round(bytes / 1e6), round(peak_memory_bytes / 1e6) FROM mlsync.mls_sync_history WHERE run_id = $run")"

log "floor: curl downloads the same pages, COPY loads the same rows"
token=$(curl -s -X POST -u mlsync:s3cret -d grant_type=client_credentials "$url/demo/reso/oauth/token" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
curl -s "$url/control/log?mls=demo" | python3 -c '
import json, sys
for e in json.load(sys.stdin)["entries"]:
    if e["path"].endswith("/Property") and e.get("status") == 200:
        print("url = \"%s%s?%s\"" % (sys.argv[1], e["path"], e["query"]))
        print("output = /dev/null")
' "$url" > "$work/curl.conf"
pages=$(grep -c '^url' "$work/curl.conf")
t0=$(date +%s.%N)
curl -s -H "Authorization: Bearer $token" -H "Prefer: odata.maxpagesize=1000" -K "$work/curl.conf"
curl_s=$(python3 -c "print($(date +%s.%N) - $t0)")
psql_bench -c "COPY (SELECT * FROM mlsync.mls_listings WHERE connection = 'p1000') TO '$work/rows.copy'" >/dev/null
psql_bench -c "CREATE TABLE copy_floor (LIKE mlsync.mls_listings INCLUDING ALL)" >/dev/null
copy_s=$(psql_bench -c "\\timing on" -c "COPY copy_floor FROM '$work/rows.copy'" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | awk '{print $1 / 1000}')

log "incremental sync of 1,000 changed listings"
curl -s -X POST -d '{"mls": "demo", "seed": 9, "price_cut": 400, "price_raise": 200, "pending": 200, "closed": 200}' \
	"$url/control/advance" >/dev/null
run=$(sync_and_wait p1000 incremental)
read -r inc_s inc_updated <<<"$(psql_bench -F ' ' -c "SELECT extract(epoch FROM duration), updated FROM mlsync.mls_sync_history WHERE run_id = $run")"

log "mlsync full sync, pages of 5,000"
run=$(sync_and_wait p5000 full)
read -r sync5_s peak5 <<<"$(psql_bench -F ' ' -c "SELECT extract(epoch FROM duration), round(peak_memory_bytes / 1e6) FROM mlsync.mls_sync_history WHERE run_id = $run")"

python3 - "$listings" "$seen" "$requests" "$mb" "$sync_s" "$curl_s" "$copy_s" "$pages" "$inc_s" "$inc_updated" "$peak" "$sync5_s" "$peak5" "$wide" <<'PY'
import sys
(listings, seen, requests, mb, sync_s, curl_s, copy_s, pages, inc_s, inc_updated, peak,
 sync5_s, peak5, wide) = sys.argv[1:]
sync_s, curl_s, copy_s, inc_s, sync5_s = map(float, (sync_s, curl_s, copy_s, inc_s, sync5_s))
floor = curl_s + copy_s
print()
print("full sync of %s %slistings (%s seen, %s requests, %s MB)" % (listings, "wide " if wide == "true" else "", seen, requests, mb))
print("  mlsync, pages of 1,000:   %7.1f s  %8.0f listings/s" % (sync_s, int(seen) / sync_s))
print("  floor: curl %5.1f s (%s pages) + COPY %5.1f s = %5.1f s" % (curl_s, pages, copy_s, floor))
print("  mlsync / floor:           %7.2f x   (target: %s or less)"
      % (sync_s / floor, "1.2" if wide == "true" else "1.5"))
print("  mlsync, pages of 5,000:   %7.1f s" % sync5_s)
print("incremental sync of 1,000 changed listings: %.2f s, %s updated   (target: under 2 s)" % (inc_s, inc_updated))
print("worker peak private memory: %s MB with pages of 1,000, %s MB with pages of 5,000   (target: under 100 MB)" % (peak, peak5))
PY
