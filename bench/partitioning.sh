#!/usr/bin/env bash
# Benchmark: what declarative partitioning of the listings and their history
# by tenant hash would change on one large server.  Printed, not asserted.
#
# Two copies of mls_listings and of mls_listing_history, made with
# CREATE TABLE ... (LIKE ... INCLUDING ALL) so that they have the same
# columns, defaults and indexes: one plain, one PARTITION BY HASH (tenant_id)
# into PARTITIONS partitions.  Both get the same rows: TENANTS tenants of one
# connection each, LISTINGS listings in all (records of about 1 kB in raw),
# three history rows per listing.  The copies have no triggers or foreign
# keys: what is measured is the table layout alone.  Then, on each copy, in
# the same run:
#   - the load: INSERT ... SELECT of every row into the copy, whose indexes
#     exist already;
#   - a batch of the writer: 1,000 rows of one tenant (500 changed, 500 new)
#     through INSERT ... ON CONFLICT DO UPDATE, best of 5, undone each time;
#   - lookups by key of 10,000 of one tenant's listings (all of them when it
#     has fewer), best of 5;
#   - one tenant's statistics-style read (every listing of the tenant with
#     its history, grouped by city), best of 5;
#   - deleting one tenant's listings and history, best of 3, undone;
#   - the vacuum that follows a day of one tenant's changes (10 % of its
#     listings updated): VACUUM of the table, or of the partition that holds
#     the tenant, as autovacuum would do it;
#   - the sizes of the tables and of their indexes.
# Prints each figure and the ratio partitioned / plain.
#
# Usage: bench/partitioning.sh [LISTINGS [TENANTS [PARTITIONS]]]
#        (default 2000000 20 16; as root, after scripts/test or make install;
#        the default size takes about 20 minutes on 2 cores)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
listings=${1:-2000000}
tenants=${2:-20}
partitions=${3:-16}

dir=$(mktemp -d /tmp/mlsync-bench.XXXXXX)
port=$((20000 + RANDOM % 10000))
trap 'stop_cluster "$dir"; [ -n "${KEEP_BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
start_cluster "$dir" "$port" "shared_buffers = '2GB'" "max_wal_size = '16GB'" \
	"checkpoint_timeout = '30min'" "jit = off" "autovacuum = off"
psql_bench() { cluster_psql "$dir" "$port" -At -v ON_ERROR_STOP=1 "$@"; }
psql_bench -c "CREATE EXTENSION mlsync" >/dev/null

log "generating $listings listings of $tenants tenants, and their history"
psql_bench -v n="$listings" -v tenants="$tenants" -v parts="$partitions" >/dev/null <<'SQL'
SET client_min_messages = warning;
SELECT setseed(0.42);
-- the rows, once; both copies are loaded from them
CREATE TABLE gen_listings (LIKE mlsync.mls_listings INCLUDING DEFAULTS);
INSERT INTO gen_listings (tenant_id, connection, listing_key, standard_status, list_price,
						  city, postal_code, property_type, living_area, bedrooms_total,
						  modification_timestamp, on_market_date, raw, raw_hash)
SELECT format('t%s', lpad((1 + i % :tenants)::text, 3, '0')), 'mls1', (1000000000 + i)::text,
	   (ARRAY['Active', 'Active', 'Pending', 'Closed', 'Expired'])[1 + i % 5],
	   100000 + (i::bigint * 7919) % 900000, format('City %s', i % 40), lpad((10000 + i % 160)::text, 5, '0'),
	   (ARRAY['Residential', 'Condominium', 'Land', 'Commercial'])[1 + i % 4],
	   800 + i % 3000, 1 + i % 6,
	   now() - make_interval(secs => (i::bigint * 37) % 30000000), current_date - (i % 900),
	   jsonb_build_object('ListingKey', (1000000000 + i)::text, 'PublicRemarks', repeat(md5(i::text), 28)),
	   i
  FROM generate_series(1, :n) i;
CREATE TABLE gen_history (LIKE mlsync.mls_listing_history INCLUDING DEFAULTS);
INSERT INTO gen_history (tenant_id, history_id, connection, listing_key, change, new_status,
						 new_price, effective_at, observed_at)
SELECT l.tenant_id, row_number() OVER (), l.connection, l.listing_key, c.change, c.status,
	   l.list_price, l.on_market_date + c.days, l.on_market_date + c.days
  FROM gen_listings l
 CROSS JOIN (VALUES ('listed', 'Active', 0), ('price', NULL, 20), ('status', 'Pending', 40)) c(change, status, days);

-- the copies: plain, and partitioned by tenant hash
CREATE TABLE plain_listings (LIKE mlsync.mls_listings INCLUDING ALL);
CREATE TABLE plain_history (LIKE mlsync.mls_listing_history INCLUDING ALL);
CREATE TABLE part_listings (LIKE mlsync.mls_listings INCLUDING ALL) PARTITION BY HASH (tenant_id);
CREATE TABLE part_history (LIKE mlsync.mls_listing_history INCLUDING ALL) PARTITION BY HASH (tenant_id);
SELECT format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
			  t || '_' || r, t, :parts, r)
  FROM unnest(ARRAY['part_listings', 'part_history']) t, generate_series(0, :parts - 1) r \gexec
SQL

# Figures go to a table: layout, figure, seconds (or bytes)
psql_bench >/dev/null <<'SQL'
CREATE TABLE figures (n serial, layout text, figure text, value float8, unit text);
-- Best wall time of runs executions of a statement, each undone (a
-- subtransaction rolled back) when undo is true.
CREATE FUNCTION best_seconds(sql text, runs integer, undo boolean) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; best float8 := 'infinity';
BEGIN
	FOR i IN 1..runs LOOP
		BEGIN
			t0 := clock_timestamp();
			EXECUTE sql;
			best := least(best, extract(epoch FROM clock_timestamp() - t0));
			IF undo THEN
				RAISE EXCEPTION 'undo' USING ERRCODE = 'P0001';
			END IF;
		EXCEPTION WHEN raise_exception THEN NULL;
		END;
	END LOOP;
	RETURN best;
END $$;
-- The rows a statement changed, undone
CREATE FUNCTION rows_changed(sql text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	BEGIN
		EXECUTE sql;
		GET DIAGNOSTICS n = ROW_COUNT;
		RAISE EXCEPTION 'undo' USING ERRCODE = 'P0001';
	EXCEPTION WHEN raise_exception THEN NULL;
	END;
	RETURN n;
END $$;
-- The first column of a query's first row
CREATE FUNCTION first_value_of(sql text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	EXECUTE sql INTO n;
	RETURN n;
END $$;
CREATE FUNCTION error(message text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '%', message;
END $$;
SQL

for layout in plain part; do
	log "loading the $layout copy"
	psql_bench -v l="$layout" >/dev/null <<'SQL'
\set listings :l '_listings'
\set history :l '_history'
SELECT clock_timestamp() AS t0 \gset
INSERT INTO :listings SELECT * FROM gen_listings;
INSERT INTO :history OVERRIDING SYSTEM VALUE SELECT * FROM gen_history;
INSERT INTO figures (layout, figure, value, unit) SELECT :'l', 'load (listings and history, with indexes)',
	extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 's';
VACUUM ANALYZE :listings;
VACUUM ANALYZE :history;
SQL
done

log "measuring"
psql_bench -v tenants="$tenants" >/dev/null <<'SQL'
-- the tenant of every operation: the middle one
SELECT format('t%s', lpad((:tenants / 2 + 1)::text, 3, '0')) AS tenant \gset
SELECT array_agg(listing_key ORDER BY random()) AS keys
  FROM (SELECT listing_key FROM gen_listings WHERE tenant_id = :'tenant' LIMIT 10000) k \gset
CREATE TABLE batch AS
SELECT * FROM gen_listings WHERE tenant_id = :'tenant' ORDER BY listing_key LIMIT 1000;
UPDATE batch SET list_price = list_price - 1000, raw_hash = raw_hash + 1;
-- half of them: keys the tables do not have
UPDATE batch SET listing_key = 'new-' || listing_key
 WHERE listing_key IN (SELECT listing_key FROM batch ORDER BY listing_key LIMIT 500);

SELECT format($f$
	INSERT INTO %1$s SELECT * FROM batch
	ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE
	SET list_price = excluded.list_price, raw = excluded.raw, raw_hash = excluded.raw_hash,
		last_synced_at = excluded.last_synced_at
	WHERE %1$s.raw_hash IS DISTINCT FROM excluded.raw_hash$f$, 'LISTINGS') AS upsert \gset
SELECT format($f$
	SELECT count(*) FROM unnest(%L::text[]) k
	  JOIN LISTINGS l ON l.tenant_id = %L AND l.connection = 'mls1' AND l.listing_key = k$f$,
	:'keys', :'tenant') AS lookups \gset
SELECT format($f$
	SELECT l.city, count(*), avg(l.list_price), count(h.*)
	  FROM LISTINGS l LEFT JOIN HISTORY h
		ON h.tenant_id = l.tenant_id AND h.connection = l.connection AND h.listing_key = l.listing_key
	 WHERE l.tenant_id = %L GROUP BY l.city$f$, :'tenant') AS tenant_read \gset
SELECT format($f$
	WITH h AS (DELETE FROM HISTORY WHERE tenant_id = %1$L)
	DELETE FROM LISTINGS WHERE tenant_id = %1$L$f$, :'tenant') AS tenant_delete \gset

-- what is timed does what it says, on both copies
SELECT CASE WHEN NOT bool_and(c.upserted = 1000 AND c.found = cardinality(:'keys'::text[])
							  AND c.deleted = (SELECT count(*) FROM gen_listings WHERE tenant_id = :'tenant'))
			THEN error(format('a measured statement did not do its work: %s', json_agg(c))) END
  FROM (SELECT l, rows_changed(replace(:'upsert', 'LISTINGS', l || '_listings')) AS upserted,
			   first_value_of(replace(:'lookups', 'LISTINGS', l || '_listings')) AS found,
			   rows_changed(replace(replace(:'tenant_delete', 'LISTINGS', l || '_listings'),
									'HISTORY', l || '_history')) AS deleted
		  FROM unnest(ARRAY['plain', 'part']) l) c;
INSERT INTO figures (layout, figure, value, unit)
SELECT l, f.figure,
	   best_seconds(replace(replace(f.sql, 'LISTINGS', l || '_listings'), 'HISTORY', l || '_history'),
					f.runs, f.undo), 's'
  FROM unnest(ARRAY['plain', 'part']) l,
	   (VALUES (1, 'writer batch: 1,000 rows of one tenant, half new', :'upsert', 5, true),
			   (2, 'lookups by key of 10,000 of one tenant''s listings', :'lookups', 5, false),
			   (3, 'one tenant''s listings with their history, by city', :'tenant_read', 5, false),
			   (4, 'delete one tenant''s listings and history', :'tenant_delete', 3, true)) f(n, figure, sql, runs, undo)
 ORDER BY f.n, l;
SQL

# A day of one tenant's changes, then the vacuum that follows it: of the
# whole plain table, of the tenant's partition only (each partition is
# vacuumed on its own, as autovacuum does).
psql_bench -v tenants="$tenants" -v parts="$partitions" >/dev/null <<'SQL'
SELECT format('t%s', lpad((:tenants / 2 + 1)::text, 3, '0')) AS tenant \gset
SELECT tableoid::regclass AS partition FROM part_listings WHERE tenant_id = :'tenant' LIMIT 1 \gset
UPDATE plain_listings SET list_price = list_price + 1 WHERE tenant_id = :'tenant' AND listing_key::bigint % 10 = 0;
UPDATE part_listings SET list_price = list_price + 1 WHERE tenant_id = :'tenant' AND listing_key::bigint % 10 = 0;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
VACUUM plain_listings;
INSERT INTO figures (layout, figure, value, unit) SELECT 'plain', 'vacuum after 10 % of one tenant''s listings changed',
	extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 's';
SELECT clock_timestamp() AS t0 \gset
VACUUM :partition;
INSERT INTO figures (layout, figure, value, unit) SELECT 'part', 'vacuum after 10 % of one tenant''s listings changed',
	extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 's';
INSERT INTO figures (layout, figure, value, unit)
SELECT l, 'size of the listings and history, with indexes',
	   (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
		 WHERE c.relname ~ ('^' || l || '_(listings|history)(_[0-9]+)?$') AND c.relkind = 'r'), 'B'
  FROM unnest(ARRAY['plain', 'part']) l;
SQL

printf '\n%s listings of %s tenants, %s partitions (by hash of tenant_id)\n' "$listings" "$tenants" "$partitions"
psql_bench -F '|' <<'SQL' | python3 -c '
import sys
print("%-58s %12s %12s %8s" % ("", "plain", "partitioned", "ratio"))
for line in sys.stdin:
    figure, plain, part, unit = line.rstrip("\n").split("|")
    plain, part = float(plain), float(part)
    if unit == "B":
        show = lambda v: "%.0f MB" % (v / 1e6)
    else:
        show = lambda v: "%.3f s" % v
    print("%-58s %12s %12s %7.2fx" % (figure, show(plain), show(part), part / plain if plain else float("nan")))
'
SELECT p.figure, p.value, q.value, p.unit
  FROM figures p JOIN figures q ON q.figure = p.figure AND q.layout = 'part'
 WHERE p.layout = 'plain'
 ORDER BY p.n;
SQL
