#!/usr/bin/env bash
# Benchmark of the RETS COMPACT-DECODED parser (issue: RETS source, phase 1).
#
# Generates a COMPACT-DECODED Search response of ROWS rows of 150 fields
# (numbers, dates, lookups joined by commas, text with entities, empty
# fields), then in one run, on a throwaway cluster:
#   - read:  the body read from disk into the backend (pg_read_binary_file),
#            the floor every parse pays here;
#   - parse: read plus mls_rets_parse_search(..., 16 kB pieces, no rows in
#            the result): decoding, libxml2 SAX, splitting every row;
#   - xml:   read plus PostgreSQL's own libxml2 check of the same body
#            (xml_is_well_formed_document: a DOM parse), as a yardstick.
# Each is timed three times and the best kept.  Prints the parser's MB/s
# (body bytes / (parse - read)) and its ratio to the yardstick, and the
# parser's peak memory for a small and the large body.  Asserts nothing.
#
# Usage: bench/rets_parse.sh [ROWS] [SMALL_ROWS]   (as root, after scripts/test or make install)
#        defaults: 50000 rows (about 150 MB) and 3000 rows (about 10 MB)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
rows=${1:-50000}
small_rows=${2:-3000}

dir=$(mktemp -d /tmp/mlsync-bench.XXXXXX)
port=$((20000 + RANDOM % 10000))
trap 'stop_cluster "$dir"; rm -rf "$dir"' EXIT
start_cluster "$dir" "$port"
cluster_psql "$dir" "$port" -c "CREATE EXTENSION mlsync"

# generate() ROWS FILE: a COMPACT-DECODED response like a Matrix server's
generate() {
	python3 - "$1" "$2" <<'PY'
import random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
random.seed(42)
cols = ['ListingKey', 'ListPrice', 'ModificationTimestamp'] + ['F%03d' % i for i in range(147)]
lookups = ['Bike And Jog Path', 'Clubhouse', 'Community Pool', 'Sidewalk', 'Tennis Court', 'Streetlight']
with open(path, 'w', encoding='utf-8') as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<RETS ReplyCode="0" ReplyText="Operation Success.">\n')
    out.write('<COUNT Records="%d"/>\n<DELIMITER value="09"/>\n' % rows)
    out.write('<COLUMNS>\t' + '\t'.join(cols) + '\t</COLUMNS>\n')
    for r in range(rows):
        vals = ['L%08d' % r, '%d.00' % random.randint(50000, 5000000),
                '2024-03-%02dT%02d:%02d:%02d.%03d' % (1 + r % 28, r % 24, r % 60, (r * 7) % 60, r % 1000)]
        for i in range(147):
            k = i % 6
            if k == 0:
                vals.append(str(random.randint(0, 100000)))
            elif k == 1:
                vals.append(', '.join(random.sample(lookups, 3)))
            elif k == 2:
                vals.append('')
            elif k == 3:
                vals.append('2023-%02d-%02d' % (1 + i % 12, 1 + r % 28))
            elif k == 4:
                vals.append('Lovely home &amp; garden, close to schools &amp; shops; row %d' % r)
            else:
                vals.append('Residential')
        out.write('<DATA>\t' + '\t'.join(vals) + '\t</DATA>\n')
    out.write('</RETS>\n')
PY
}

big="$dir/search-big.xml"
small="$dir/search-small.xml"
log "generating $rows and $small_rows rows"
generate "$rows" "$big"
generate "$small_rows" "$small"
chmod 644 "$big" "$small"

cluster_psql "$dir" "$port" -v big="$big" -v small="$small" -v bench="$MLSYNC_ROOT/bench" <<'SQL'
\set QUIET on
SET client_min_messages = warning;
\i :bench/best_seconds.sql

SELECT (pg_stat_file(:'big')).size AS bytes \gset
SELECT r->>'row_count' AS parsed_rows, coalesce(r->>'error', 'none') AS error
  FROM (SELECT mlsync.mls_rets_parse_search(pg_read_binary_file(:'big'), NULL, 16384, false) AS r) s \gset
\echo body: :bytes bytes, rows parsed: :parsed_rows, error: :error

SELECT pg_temp.best_seconds(format($$SELECT length(pg_read_binary_file(%L))$$, :'big'), 3) AS t_read,
	   pg_temp.best_seconds(format($$SELECT mlsync.mls_rets_parse_search(pg_read_binary_file(%L), NULL, 16384, false)->>'row_count'$$, :'big'), 3) AS t_parse,
	   pg_temp.best_seconds(format($$SELECT xml_is_well_formed_document(convert_from(pg_read_binary_file(%L), 'UTF8'))$$, :'big'), 3) AS t_xml \gset
SELECT round((:bytes / 1e6 / (:t_parse - :t_read))::numeric, 0) AS parse_mbs,
	   round((:bytes / 1e6 / (:t_xml - :t_read))::numeric, 0) AS xml_mbs,
	   round(((:t_xml - :t_read) / (:t_parse - :t_read))::numeric, 2) AS ratio \gset
\echo
\echo read the body:                  :t_read s
\echo read + mls_rets_parse_search:   :t_parse s
\echo read + xml_is_well_formed (DOM):  :t_xml s
\echo parser: :parse_mbs MB/s (goal: 200 MB/s or more); libxml2 DOM check: :xml_mbs MB/s
\echo parser speed relative to the DOM check: :ratio x

SELECT (pg_stat_file(:'small')).size AS small_bytes,
	   (mlsync.mls_rets_parse_search(pg_read_binary_file(:'small'), NULL, 16384, false)->>'peak_memory')::bigint AS small_peak,
	   (mlsync.mls_rets_parse_search(pg_read_binary_file(:'big'), NULL, 16384, false)->>'peak_memory')::bigint AS big_peak \gset
SELECT round(:big_peak::numeric / :small_peak, 2) AS peak_ratio \gset
\echo
\echo parser peak memory, fed 16 kB at a time: :small_peak bytes for :small_bytes bytes, :big_peak bytes for :bytes bytes
\echo peak for the large body relative to the small one: :peak_ratio x (goal: flat, 1.0)
SQL
