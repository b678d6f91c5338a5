#!/usr/bin/env bash
# Benchmark of property matching during syncs, printed, not asserted.
#
# On one machine, in one run, against the sample MLS server: two MLSs of
# LISTINGS listings each, the second sharing about 30% of the first's
# properties (written its own way).  Each is synced in full (background
# worker, pages of 1,000) into two tenants, one with mlsync.property_matching
# off (the baseline) and one with it on, the order alternating so that
# whatever else the machine does weighs on both; then the other way round
# into two more tenants.  Printed: every sync's time, the ratio matching on
# / off per feed and overall (target: 1.15 or less), and the precision and
# recall of the matches against the server's truth.
#
# Usage: bench/match_sync.sh [LISTINGS]   (as root, after scripts/test or make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
listings=${1:-100000}

make_workspace mlsync-match-bench
log "generating two MLSs of $listings listings in the sample server"
t0=$(date +%s.%N)
start_sample_server --listings 10 --seed 40
curl -sf -X POST -d "{\"mls\": \"ma\", \"listings\": $listings, \"seed\": 41, \"page_max\": 5000}" \
	"$url/control/reset" >/dev/null
curl -sf -X POST -d "{\"mls\": \"mb\", \"listings\": $listings, \"seed\": 42, \"page_max\": 5000,
	\"share_with\": \"ma\", \"share_fraction\": 0.3}" "$url/control/reset" >/dev/null
python3 -c "print('server ready in %.1f s' % ($(date +%s.%N) - $t0))"

start_cluster "$work" "$port" \
	"shared_preload_libraries = 'mlsync'" "mlsync.database_name = 'postgres'" \
	"mlsync.secret_key_file = 'bench.key'" "mlsync.http_compression = off" \
	"shared_buffers = '2GB'" "max_wal_size = '16GB'" "checkpoint_timeout = '30min'" \
	"autovacuum = off"
install_key_file bench.key
psql_bench() { cluster_psql "$work" "$port" -At "$@"; }

tenants=(off1 on1 on2 off2)
{
	echo "CREATE EXTENSION mlsync;"
	for t in "${tenants[@]}"; do
		echo "SELECT mlsync.mls_create_tenant('$t');"
		for m in ma mb; do
			echo "SELECT mlsync.mls_connect('$t', '$m', protocol => 'reso', endpoint => '$url/$m/reso/odata/',
				token_url => '$url/$m/reso/oauth/token', username => 'mlsync', page_size => 1000,
				priority => $([ $m = ma ] && echo 10 || echo 20));"
			echo "SELECT mlsync.mls_set_credentials('$t', '$m', client_secret => 's3cret');"
		done
	done
} | psql_bench >/dev/null

# The server builds a record's JSON the first time it is asked for it and
# keeps it: one download of every page first.
log "warming the sample server up"
python3 - "$url" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
for mls in ("ma", "mb"):
    req = urllib.request.Request(url + "/%s/reso/oauth/token" % mls, data=b"grant_type=client_credentials",
                                 headers={"Authorization": "Basic bWxzeW5jOnMzY3JldA=="})
    token = json.load(urllib.request.urlopen(req))["access_token"]
    page = url + "/%s/reso/odata/Property?$top=5000" % mls
    while page:
        req = urllib.request.Request(page, headers={"Authorization": "Bearer " + token})
        page = json.load(urllib.request.urlopen(req)).get("@odata.nextLink")
PY

# matching on or off for the workers started from now on
set_matching() {
	psql_bench -c "ALTER SYSTEM SET mlsync.property_matching = $1" -c "SELECT pg_reload_conf()" >/dev/null
	sleep 1
}

# A full sync of one feed into one tenant, waited for; prints its seconds.
sync_full() {
	local run
	run=$(psql_bench -c "SELECT (mlsync.mls_sync('$1', '$2', mode => 'full'))[1]")
	psql_bench -c "SELECT mlsync.mls_sync_wait($run, '2 hours')" >/dev/null
	psql_bench -c "SELECT extract(epoch FROM duration) FROM mlsync.mls_sync_history WHERE run_id = $run"
}

declare -A seconds
for step in "off1 ma" "on1 ma" "off1 mb" "on1 mb" "on2 ma" "off2 ma" "on2 mb" "off2 mb"; do
	read -r tenant feed <<<"$step"
	set_matching "$([[ $tenant == on* ]] && echo on || echo off)"
	psql_bench -c "CHECKPOINT" >/dev/null
	log "full sync of $feed into $tenant"
	seconds[$tenant.$feed]=$(sync_full "$tenant" "$feed")
done

log "precision and recall of tenant on1 against the truth"
curl -sf "$url/control/truth?mls=ma&format=properties" > "$work/truth_ma.json"
curl -sf "$url/control/truth?mls=mb&format=properties" > "$work/truth_mb.json"
chmod 644 "$work"/truth_*.json
read -r true_pairs found_pairs correct <<<"$(psql_bench -F ' ' <<SQL
CREATE TEMP TABLE truth AS
SELECT m AS connection, p.key AS listing_key, p.value AS property
  FROM unnest(ARRAY['ma', 'mb']) m,
	   jsonb_each_text((pg_read_file('$work/truth_' || m || '.json')::jsonb) -> 'properties') p;
CREATE TEMP TABLE scored AS
SELECT t.*, l.property_id FROM truth t
  JOIN mlsync.mls_listings l ON l.tenant_id = 'on1' AND l.connection = t.connection AND l.listing_key = t.listing_key;
WITH t AS (SELECT a.connection || '/' || a.listing_key AS x, b.connection || '/' || b.listing_key AS y
			 FROM scored a JOIN scored b ON a.property = b.property
			  AND (a.connection, a.listing_key) < (b.connection, b.listing_key)),
	 f AS (SELECT a.connection || '/' || a.listing_key AS x, b.connection || '/' || b.listing_key AS y
			 FROM scored a JOIN scored b ON a.property_id = b.property_id
			  AND (a.connection, a.listing_key) < (b.connection, b.listing_key)),
	 p AS (SELECT t.x AS tx, f.x AS fx FROM t FULL JOIN f USING (x, y))
SELECT count(tx), count(fx), count(tx) FILTER (WHERE fx IS NOT NULL) FROM p;
SQL
)"

python3 - "$listings" "$true_pairs" "$found_pairs" "$correct" \
	"${seconds[off1.ma]}" "${seconds[on1.ma]}" "${seconds[off1.mb]}" "${seconds[on1.mb]}" \
	"${seconds[off2.ma]}" "${seconds[on2.ma]}" "${seconds[off2.mb]}" "${seconds[on2.mb]}" <<'PY'
import sys
listings, true_pairs, found_pairs, correct = map(int, sys.argv[1:5])
s = list(map(float, sys.argv[5:]))
runs = {"off1.ma": s[0], "on1.ma": s[1], "off1.mb": s[2], "on1.mb": s[3],
        "off2.ma": s[4], "on2.ma": s[5], "off2.mb": s[6], "on2.mb": s[7]}
print()
print("full syncs of %d listings per feed (feed mb shares about 30%% of ma's properties)" % listings)
print("  %-34s %9s %9s %7s" % ("", "off (s)", "on (s)", "on/off"))
for feed, what in (("ma", "ma (first feed: nothing to match yet)"), ("mb", "mb (matched against ma)")):
    for n in ("1", "2"):
        off, on = runs["off%s.%s" % (n, feed)], runs["on%s.%s" % (n, feed)]
        print("  %-34s %9.1f %9.1f %7.3f" % ("%s, pass %s" % (what, n), off, on, on / off))
off = sum(v for k, v in runs.items() if k.startswith("off"))
on = sum(v for k, v in runs.items() if k.startswith("on"))
print("  %-34s %9.1f %9.1f %7.3f   (target: 1.15 or less)" % ("all eight syncs", off, on, on / off))
print("matching of tenant on1 against the truth: %d true pairs, %d found, %d correct:"
      " precision %.4f, recall %.4f" % (true_pairs, found_pairs, correct,
                                        correct / max(found_pairs, 1), correct / max(true_pairs, 1)))
PY
