#!/usr/bin/env bash
# Benchmark of media, printed, not asserted.
#
# On one machine, in one run, against the sample MLS server with about
# PHOTOS large photos (1024x768 JPEG of about 200 kB; the listings carry 0-40
# photos each):
#   1. download and store: mlsync (CALL mls_media_download, directory
#      storage, derivatives off) next to the floor, curl --parallel writing
#      the same URLs to disk with the same concurrency, best of a run before
#      and a run after mlsync's (target: within 1.3x);
#   2. derivation of two sizes (320 and 1024 wide) in WebP and JPEG for all
#      of them: time, and the memory of the session and of the image helper
#      sampled all along (target: flat, under 200 MB per worker);
#   3. where downloads run: the time a full listing sync takes with no media,
#      and with a media worker downloading at the same time; downloading in
#      the sync after each batch would instead add the whole download time of
#      step 1 to the listings' time.
#
# Usage: bench/media.sh [PHOTOS] [CONCURRENCY]   (as root, after make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
photos=${1:-5000}
concurrency=${2:-8}
# 24 photos per listing on average (seeded: the same listings every run)
listings=$(( (photos + 23) / 24 ))

make_workspace mlsync-bench-media
log "sample server: $listings listings with large photos"
start_sample_server --listings 20 --seed 7
curl -s -X POST -d "{\"mls\": \"m\", \"listings\": $listings, \"seed\": 61, \"media\": {\"size\": \"large\"}}" \
	"$url/control/reset" >/dev/null
curl -s "$url/control/media?mls=m" >"$work/truth.json"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
items = json.load(open(work + "/truth.json"))
with open(work + "/curl.cfg", "w") as cfg:
    for i, item in enumerate(items):
        cfg.write('url = "%s"\noutput = "%s/curl/%d"\n' % (item["MediaURL"], work, i))
print("%d photos, %.1f MB, %.0f kB on average" % (
    len(items), sum(i["bytes"] for i in items) / 1e6, sum(i["bytes"] for i in items) / len(items) / 1e3))
PY
count=$(python3 -c "import json,sys; print(len(json.load(open('$work/truth.json'))))")

start_cluster "$work" "$port" \
	"shared_preload_libraries = 'mlsync'" "mlsync.database_name = 'postgres'" \
	"mlsync.secret_key_file = 'bench.key'" "mlsync.media_workers = 0" \
	"mlsync.media_dir = '$work/media'" \
	"shared_buffers = '1GB'" "max_wal_size = '8GB'"
install_key_file bench.key
mkdir -p "$work/media" "$work/curl"
chown postgres "$work/media" "$work/curl"
psql_bench() { cluster_psql "$work" "$port" -At "$@"; }

psql_bench >/dev/null <<SQL
CREATE EXTENSION mlsync;
SELECT mlsync.mls_create_tenant('bench');
SELECT mlsync.mls_connect('bench', 'm', protocol => 'reso', endpoint => '$url/m/reso/odata/',
	token_url => '$url/m/reso/oauth/token', username => 'mlsync', photo_policy => 'download');
SELECT mlsync.mls_connect('bench', 'nomedia', protocol => 'reso', endpoint => '$url/m/reso/odata/',
	token_url => '$url/m/reso/oauth/token', username => 'mlsync');
SELECT mlsync.mls_set_credentials('bench', c, client_secret => 's3cret') FROM unnest(ARRAY['m', 'nomedia']) c;
SELECT mlsync.mls_media_configure('bench', 'm', concurrency => $concurrency);
SELECT mlsync.mls_sync('bench', 'm', mode => 'full', wait => true);
SQL

# The sample server's photos come from a few base images built on first
# use: one pass over every URL first, so both sides meet a server that
# only sends.
log "warming the sample server up"
as_postgres curl -s --parallel --parallel-max "$concurrency" -K "$work/curl.cfg"
rm -f "$work"/curl/*

seconds() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$@"; }

# The floor: curl writing every photo to disk (and the disk flushed, as
# mlsync flushes its storage), best of two runs, one before and one after
# mlsync's (the machine's other work varies from minute to minute).
curl_floor() {
	local t0
	rm -f "$work"/curl/*
	t0=$(date +%s.%N)
	as_postgres curl -s --parallel --parallel-max "$concurrency" -K "$work/curl.cfg"
	sync
	seconds "$t0" "$(date +%s.%N)"
}
log "floor: curl --parallel --parallel-max $concurrency, to disk"
curl_s=$(curl_floor)
curl_files=$(find "$work/curl" -type f | wc -l)

log "mlsync: download and store (derivatives off), concurrency $concurrency"
t0=$(date +%s.%N)
psql_bench -c "SET mlsync.media_derive = off" -c "CALL mlsync.mls_media_download('bench', 'm')" >/dev/null
mlsync_s=$(seconds "$t0" "$(date +%s.%N)")
read -r stored bytes <<<"$(psql_bench -F ' ' -c "SELECT count(*), sum(bytes) FROM mlsync.mls_media WHERE state = 'stored'")"
log "floor again"
curl_s=$(python3 -c "print(min($curl_s, $(curl_floor)))")
rm -f "$work"/curl/*

log "mlsync: derivatives (320 and 1024 wide, WebP and JPEG) of every photo"
psql_bench -c "SELECT pg_backend_pid()" -c "CALL mlsync.mls_media_download('bench', 'm')" \
	>"$work/derive.out" 2>&1 &
psql_job=$!
peak_backend=0 peak_helper=0 samples=""
sleep 0.5
backend=$(head -1 "$work/derive.out")
t0=$(date +%s.%N)
n=0
while kill -0 "$psql_job" 2>/dev/null; do
	b=$(awk '/^VmRSS/ {print $2}' "/proc/$backend/status" 2>/dev/null || true)
	b=${b:-0}
	h=0
	# the helper is a child of the session's backend (replaced every 500 images)
	for p in $(pgrep -P "$backend" || true); do
		r=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
		h=$(( h + ${r:-0} ))
	done
	peak_backend=$(( b > peak_backend ? b : peak_backend ))
	peak_helper=$(( h > peak_helper ? h : peak_helper ))
	n=$(( n + 1 ))
	# memory every 5 s: flat, or growing?
	[ $(( n % 25 )) -eq 0 ] && samples="$samples $(( (b + h) / 1024 ))"
	sleep 0.2
done
wait "$psql_job" || true
derive_s=$(seconds "$t0" "$(date +%s.%N)")
derived=$(psql_bench -c "SELECT count(*) FROM mlsync.mls_media_objects WHERE derive_state = 'done'")

log "where downloads run: a full listing sync with no media, then with a media worker at work"
psql_bench >/dev/null <<SQL
ALTER SYSTEM SET mlsync.media_workers = 1;
SELECT pg_reload_conf();
SQL
sync_seconds() {
	psql_bench -c "SELECT extract(epoch FROM finished_at - started_at) FROM mlsync.mls_sync_history
				   WHERE run_id = (SELECT max(run_id) FROM mlsync.mls_sync_history WHERE connection = '$1')"
}
psql_bench -c "SELECT mlsync.mls_sync('bench', 'nomedia', mode => 'full', wait => true)" >/dev/null
alone_s=$(sync_seconds nomedia)
# new photo versions for every listing, then both at once: the media worker
# downloads while the listings sync again
curl -s -X POST -d "{\"mls\": \"m\", \"photos_changed\": $listings}" "$url/control/advance" >/dev/null
psql_bench -c "SELECT mlsync.mls_sync('bench', 'm', wait => true)" >/dev/null
t0=$(date +%s.%N)
psql_bench -c "SELECT mlsync.mls_sync('bench', 'nomedia', mode => 'full', wait => true)" >/dev/null
with_worker_s=$(sync_seconds nomedia)
for _ in $(seq 1 600); do
	[ "$(psql_bench -c "SELECT count(*) FROM mlsync.mls_media WHERE state = 'pending'")" = 0 ] && break
	sleep 1
done
media_s=$(seconds "$t0" "$(date +%s.%N)")

echo
echo "media benchmark: $count photos ($stored stored, $(( bytes / 1000000 )) MB), concurrency $concurrency, $(nproc) cores"
printf '%-52s %8s s\n' "curl --parallel to disk ($curl_files files)" "$curl_s"
printf '%-52s %8s s   %.2fx the floor (target 1.3x)\n' "mlsync download, hash, store, record" "$mlsync_s" \
	"$(python3 -c "print($mlsync_s / $curl_s)")"
printf '%-52s %8s s   %.1f photos/s\n' "mlsync derivatives of $derived photos (2 sizes x 2 formats)" "$derive_s" \
	"$(python3 -c "print($derived / max($derive_s, 0.01))")"
printf '%-52s %8s MB  session %s MB + helper %s MB (target < 200)\n' "peak memory while deriving" \
	"$(( (peak_backend + peak_helper) / 1024 ))" "$(( peak_backend / 1024 ))" "$(( peak_helper / 1024 ))"
printf '%-52s %s\n' "memory every 5 s while deriving (MB)" "${samples:- (too short)}"
printf '%-52s %8s s\n' "full listing sync, no media" "$alone_s"
printf '%-52s %8s s   (%.2fx)\n' "the same while a media worker downloads" "$with_worker_s" \
	"$(python3 -c "print($with_worker_s / max($alone_s, 0.001))")"
printf '%-52s %8s s\n' "the media worker's new photo versions, all stored" "$media_s"
printf '%-52s %8s s\n' "listings' time if the sync downloaded after batches" \
	"$(python3 -c "print('%.2f' % ($alone_s + $mlsync_s))")"
