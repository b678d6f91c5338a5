#!/usr/bin/env bash
# Throughput of the sample MLS server (test/mls_server): start it with 100,000
# listings, download every Property page with curl by following @odata.nextLink,
# for page sizes 1000 and 5000, without and with gzip, and print MB/s and
# listings/s.  "server" figures add up curl's own time_total per page (request
# to last byte); "wall" includes this script's per-page shell work.
#
#   bench/server_throughput.sh [LISTINGS]      (default 100000)
set -euo pipefail

LISTINGS="${1:-100000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

start=$(date +%s.%N)
python3 "$ROOT/test/mls_server/server.py" --port 0 --port-file "$WORK/port" --listings "$LISTINGS" \
    --idle-timeout 300 --parent-pid $$ --quiet >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
while [ ! -s "$WORK/port" ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; echo "server died" >&2; exit 1; }
    sleep 0.2
done
ready=$(date +%s.%N)
PORT=$(cat "$WORK/port")
BASE="http://127.0.0.1:$PORT"
printf 'server ready with %d listings in %.1f s\n' "$LISTINGS" "$(awk "BEGIN{print $ready - $start}")"

curl -sf -X POST "$BASE/control/configure" -d '{"mls":"demo","page_max":5000}' >/dev/null
TOKEN=$(curl -sf -d 'grant_type=client_credentials&client_id=mlsync&client_secret=s3cret' \
    "$BASE/demo/reso/oauth/token" | sed -E 's/.*"access_token": *"([^"]+)".*/\1/')

run() {  # run PAGE_SIZE GZIP(0|1)
    local size=$1 gz=$2
    local url="$BASE/demo/reso/odata/Property?\$orderby=ModificationTimestamp%20asc,ListingKey%20asc&\$top=$size"
    local pages=0 bytes=0 listings=0 curl_time=0
    local opts=(-sf -H "Authorization: Bearer $TOKEN" -o "$WORK/page")
    [ "$gz" = 1 ] && opts+=(--compressed)
    local t0; t0=$(date +%s.%N)
    while [ -n "$url" ]; do
        read -r got secs < <(curl "${opts[@]}" -w '%{size_download} %{time_total}\n' "$url")
        bytes=$((bytes + got)); pages=$((pages + 1))
        curl_time=$(awk "BEGIN{print $curl_time + $secs}")
        url=$(tail -c 4096 "$WORK/page" | grep -o '"@odata.nextLink":"[^"]*"' | sed -E 's/.*:"(.*)"/\1/' || true)
        if [ -n "$url" ]; then
            listings=$((listings + size))
        else
            listings=$((listings + $(grep -o '"ListingKey":' "$WORK/page" | wc -l)))
        fi
    done
    local t1; t1=$(date +%s.%N)
    awk -v kind="$([ "$gz" = 1 ] && echo gzip || echo plain)" -v size="$size" -v pages="$pages" \
        -v listings="$listings" -v bytes="$bytes" -v server="$curl_time" -v wall="$(awk "BEGIN{print $t1 - $t0}")" \
        'BEGIN { printf "%-5s page=%-5s pages=%-4d listings=%-7d MB=%-8.1f server: %6.1f MB/s %8.0f listings/s   wall: %6.1f MB/s %8.0f listings/s\n",
                 kind, size, pages, listings, bytes / 1e6, bytes / 1e6 / server, listings / server,
                 bytes / 1e6 / wall, listings / wall }'
}

for size in 1000 5000; do
    run "$size" 0
    run "$size" 1
    run "$size" 1   # second gzip pass: compressed pages come from the cache
done
