#!/usr/bin/env bash
# Benchmark of the events on the trigger path of direct writes, in one run on
# a throwaway cluster.  (The sync's writer does not go through these
# triggers: it records history and events in its own statements, through
# mls_writer_capture, which bench/alerts_sync.sh measures.)
#  1. an upsert of N changed listings as an application would write them
#     (batches of 1,000, one transaction each, INSERT ... ON CONFLICT DO
#     UPDATE of every mappable column) with the change-capture triggers
#     disabled, enabled ("capture": history, listing events, NOTIFY,
#     deliveries to two subscribed consumers), and enabled with 10,000 saved
#     searches and 5,000 watched listings ("alerts"); at the server's default
#     work_mem and at 64 MB, three rounds, alternating;
#  2. claim-and-ack throughput of one consumer (claim 1,000, ack them, commit);
#  3. alert matching: one statement cutting the price of 1,000 listings,
#     matched against 10,000 saved searches, next to the same statement with
#     the searches inactive.
# Times are the backend's CPU time (user + system, from /proc/self/stat),
# which other load on the machine barely disturbs, and wall-clock time; the
# best of the rounds is kept.  Prints figures and ratios; asserts nothing.
# With --profile, part 1 only, one round at the default work_mem, and after
# each configuration where its time went: the statements that took the most
# (pg_stat_statements, nested statements and foreign-key checks included;
# a statement's time includes the statements and triggers it ran).
#
# Usage: bench/events.sh [LISTINGS] [--profile]   (as root, after scripts/test or make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
listings=${1:-100000}
profile=$([ "${2:-}" = --profile ] && echo 1 || echo 0)
rounds=(1 2 3)
work_mems=(default 64MB)
profile_settings=()
if [ "$profile" = 1 ]; then
	rounds=(1)
	work_mems=(default)
	profile_settings=("shared_preload_libraries = 'pg_cron,pg_stat_statements'"
		"pg_stat_statements.track = all" "pg_stat_statements.track_planning = on")
fi

dir=$(mktemp -d /tmp/mlsync-bench.XXXXXX)
port=$((20000 + RANDOM % 10000))
trap 'stop_cluster "$dir"; rm -rf "$dir"' EXIT
start_cluster "$dir" "$port" "shared_buffers = '1GB'" "max_wal_size = '8GB'" "${profile_settings[@]}"
cluster_psql "$dir" "$port" -c "CREATE EXTENSION mlsync"
[ "$profile" = 1 ] && cluster_psql "$dir" "$port" -c "CREATE EXTENSION pg_stat_statements"

# The runs of part 1: three rounds of the three configurations at two work_mem.
for run in "${rounds[@]}"; do
	for work_mem in "${work_mems[@]}"; do
		for config in disabled capture alerts; do
			cat <<RUN
CALL bench_reset('$config');
VACUUM ANALYZE;
CHECKPOINT;
$( [ "$work_mem" = default ] && echo "RESET work_mem;" || echo "SET work_mem = '$work_mem';" )
$( [ "$profile" = 1 ] && echo "SELECT pg_stat_statements_reset() \\g /dev/null" )
CALL bench_upsert('b', NULL, NULL) \\gset
$( [ "$profile" = 1 ] && cat <<PROFILE
\\echo '$config: the statements that took the most (ms; calls)'
SELECT format('%s ms plan %s ms  %s calls  %s', to_char(total_exec_time, '999990'),
			  to_char(total_plan_time, '9990'), calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 100))
  FROM pg_stat_statements
 WHERE calls > 0 AND query !~ '^(CALL|SELECT rows FROM bench_batches|SELECT split_part|SELECT pg_stat_statements_reset|SELECT format)'
 ORDER BY total_exec_time + total_plan_time DESC LIMIT 12 \\g (format=unaligned tuples_only)
PROFILE
)
RESET work_mem;
INSERT INTO bench_results SELECT $run, '$work_mem', '$config', :seconds, :cpu,
	count(*) FILTER (WHERE kind <> 'alert'), count(*) FILTER (WHERE kind = 'alert'),
	(SELECT count(*) FROM mlsync.mls_event_deliveries) FROM mlsync.mls_events;
RUN
		done
	done
done > "$dir/runs.sql"
chmod 755 "$dir"; chmod 644 "$dir/runs.sql"

cluster_psql "$dir" "$port" -v listings="$listings" -v profile="$profile" -v runs="$dir/runs.sql" <<'SQL'
\set QUIET on
SET client_min_messages = warning;
SELECT setseed(0.42) \g /dev/null
SELECT mlsync.mls_create_tenant('acme') \g /dev/null
SELECT mlsync.mls_connect('acme', 'crmls', protocol => 'reso', endpoint => 'https://reso.example.com/odata') \g /dev/null

-- Source records of about 150 fields, mapped by the built-in RESO set into
-- rows of mls_listings, as the sync would.  Version a is the listing as
-- stored; version b the same listing after a change at the source: every
-- record has a new ModificationTimestamp (so its raw_hash differs and the
-- writer rewrites the row), 10% a new price (4 in 5 of them a cut), 5% a new
-- status, 5% new photos.
-- 300 areas (a city and its postal code each) on a grid of 0.1 degrees.
CREATE TABLE bench_cities AS
SELECT c AS n, 'City ' || c AS city, (90000 + c)::text AS zip,
	   33.5 + (c % 20) * 0.1 AS lat, -118.5 + (c / 20) * 0.1 AS lon
  FROM generate_series(0, 299) c;

CREATE TABLE bench_records (version text, i int, r jsonb);
WITH filler AS (
	SELECT jsonb_object_agg(field, 'text of ' || field) AS fields
	  FROM (SELECT field FROM mlsync.mls_dd_fields
			 WHERE resource = 'Property' AND simple_type = 'String'
			   AND mlsync.mls_snake_case(field) NOT IN (SELECT column_name FROM mlsync.mls_mappable_columns)
			 ORDER BY field LIMIT 80) f),
base AS (
	SELECT i, c.city, c.zip, c.lat + random() * 0.1 AS lat, c.lon + random() * 0.1 AS lon,
		   (200000 + (random() * 1800)::int * 1000) AS price,
		   CASE WHEN random() < 0.85 THEN 'Active' ELSE 'ActiveUnderContract' END AS status,
		   random() AS change
	  FROM generate_series(1, :listings) i
	  JOIN bench_cities c ON c.n = i % 300)
INSERT INTO bench_records
SELECT v.version, b.i, filler.fields || jsonb_build_object(
		'ListingKey', 'L' || b.i, 'ListingId', 'ML' || b.i, 'OriginatingSystemName', 'bench',
		'StandardStatus', CASE WHEN v.version = 'b' AND b.change BETWEEN 0.10 AND 0.15
							   THEN (ARRAY['Pending', 'Closed', 'Withdrawn', 'Expired', 'Active'])[1 + b.i % 5]
							   ELSE b.status END,
		'PropertyType', 'Residential', 'PropertySubType', (ARRAY['SingleFamilyResidence', 'Condominium', 'Townhouse'])[1 + b.i % 3],
		'ListPrice', CASE WHEN v.version = 'b' AND b.change < 0.08 THEN b.price - 10000
						  WHEN v.version = 'b' AND b.change < 0.10 THEN b.price + 10000
						  ELSE b.price END,
		'OriginalListPrice', b.price, 'ClosePrice', CASE WHEN v.version = 'b' THEN b.price - 5000 END,
		'ListingContractDate', '2024-03-01', 'OnMarketDate', '2024-03-02', 'ExpirationDate', '2024-09-01',
		'BedroomsTotal', 1 + b.i % 6, 'BathroomsTotalInteger', 1 + b.i % 4, 'BathroomsFull', 1 + b.i % 3,
		'LivingArea', 900 + b.i % 3000, 'LivingAreaUnits', 'SquareFeet', 'YearBuilt', 1950 + b.i % 70)
	|| jsonb_build_object(
		'UnparsedAddress', b.i || ' Main St', 'StreetNumber', b.i::text, 'StreetName', 'Main',
		'City', b.city, 'StateOrProvince', 'CA', 'PostalCode', b.zip, 'CountyOrParish', 'County',
		'Latitude', round(b.lat::numeric, 6), 'Longitude', round(b.lon::numeric, 6),
		'ParcelNumber', '467-12-' || b.i, 'ListAgentKey', 'A' || b.i % 500,
		'ListAgentFullName', 'Agent ' || b.i % 500, 'ListOfficeKey', 'O' || b.i % 50,
		'PublicRemarks', 'Lovely home ' || md5(b.i::text) || repeat(' with a garden', 30),
		'PhotosCount', CASE WHEN v.version = 'b' AND b.change BETWEEN 0.15 AND 0.20 THEN 14 ELSE 12 END,
		'PhotosChangeTimestamp', CASE WHEN v.version = 'b' AND b.change BETWEEN 0.15 AND 0.20
									  THEN '2024-04-05T17:24:24Z' ELSE '2024-03-05T17:24:24Z' END,
		'ModificationTimestamp', CASE v.version WHEN 'a' THEN '2024-03-05T17:24:24Z' ELSE '2024-04-05T17:24:24Z' END,
		'OriginalEntryTimestamp', '2024-03-01T08:00:00Z')
  FROM base b, filler, (VALUES ('a'), ('b')) v(version);

-- The writer's input: arrays of 1,000 mapped rows, as its prepared statement
-- receives them (the writer fills in tenant, connection and bookkeeping).
CREATE TABLE bench_batches AS
SELECT version, (i - 1) / 1000 AS batch, array_agg(m ORDER BY i) AS rows
  FROM (SELECT version, i,
			   jsonb_populate_record(mlsync.mls_map_record('reso-dd-2.0', r),
									 jsonb_build_object('tenant_id', 'acme', 'connection', 'crmls',
														'first_seen_at', now(), 'last_synced_at', now(),
														'local_overrides', '{}'::jsonb)) AS m
		  FROM bench_records) x
 GROUP BY 1, 2;
DROP TABLE bench_records;

SELECT count(*) AS batches, sum(cardinality(rows)) AS rows FROM bench_batches WHERE version = 'b' \gset
SELECT pg_size_pretty(avg(pg_column_size(r))::bigint) AS row_size
  FROM (SELECT unnest(rows) r FROM bench_batches WHERE version = 'b' AND batch = 0) s \gset
\echo upsert: :rows changed listings in :batches batches of 1,000, about :row_size per row

-- The backend's CPU time so far, in clock ticks (1/100 s).
CREATE FUNCTION bench_cpu_ticks() RETURNS bigint LANGUAGE sql AS $$
	SELECT split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint
	  FROM pg_read_file('/proc/self/stat') s $$;

-- The writer's statement, built from the mappable columns as the sync builds it.
SELECT format($f$
CREATE PROCEDURE bench_upsert(v text, INOUT seconds float8 DEFAULT 0, INOUT cpu float8 DEFAULT 0)
LANGUAGE plpgsql AS $p$
DECLARE
	arr mlsync.mls_listings[];
	t0 timestamptz;
	c0 bigint;
BEGIN
	seconds := 0;
	cpu := 0;
	FOR b IN 0..(SELECT max(batch) FROM bench_batches WHERE version = v) LOOP
		SELECT rows INTO arr FROM bench_batches WHERE version = v AND batch = b;
		t0 := clock_timestamp();
		c0 := bench_cpu_ticks();
		INSERT INTO mlsync.mls_listings SELECT * FROM unnest(arr)
		ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE
		SET %s, extra = excluded.extra, raw = excluded.raw, raw_hash = excluded.raw_hash,
			last_synced_at = now(), removed_at = NULL, conflict = NULL
		WHERE mls_listings.raw_hash IS DISTINCT FROM excluded.raw_hash
		   OR mls_listings.removed_at IS NOT NULL;
		COMMIT;
		cpu := cpu + (bench_cpu_ticks() - c0) / 100.0;
		seconds := seconds + extract(epoch FROM clock_timestamp() - t0);
	END LOOP;
END $p$$f$,
	string_agg(format('%I = excluded.%I', column_name, column_name), ', '))
  FROM mlsync.mls_mappable_columns WHERE column_name <> 'listing_key' \gexec

CREATE PROCEDURE bench_triggers(enabled boolean) LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('ALTER TABLE mlsync.mls_listings %s TRIGGER mls_listings_events_insert',
				   CASE WHEN enabled THEN 'ENABLE' ELSE 'DISABLE' END);
	EXECUTE format('ALTER TABLE mlsync.mls_listings %s TRIGGER mls_listings_events_update',
				   CASE WHEN enabled THEN 'ENABLE' ELSE 'DISABLE' END);
END $$;

-- What the triggered runs may feed: two consumers, 10,000 saved searches
-- (a city, a postal code or a radius, with price and bedroom limits), 5,000
-- watched listings.
SELECT mlsync.mls_subscribe('alerts') \g /dev/null
SELECT mlsync.mls_subscribe('social', '{sold,unpublish_requested,new_listing}') \g /dev/null
INSERT INTO mlsync.mls_saved_searches
	(tenant_id, watcher, cities, postal_codes, latitude, longitude, radius_km, min_price, max_price, min_beds)
SELECT 'acme', 'client-' || s,
	   CASE WHEN s % 3 = 0 THEN ARRAY[c.city] END,
	   CASE WHEN s % 3 = 1 THEN ARRAY[c.zip] END,
	   CASE WHEN s % 3 = 2 THEN c.lat + random() * 0.1 END,
	   CASE WHEN s % 3 = 2 THEN c.lon + random() * 0.1 END,
	   CASE WHEN s % 3 = 2 THEN 1 + random() * 4 END,
	   p, p + 300000 + (random() * 700000)::int, 1 + s % 4
  FROM generate_series(1, 10000) s
  JOIN bench_cities c ON c.n = s % 300
  CROSS JOIN LATERAL (SELECT (200000 + random() * 1500000)::int AS p) pr;
CREATE TABLE bench_watchlist AS
SELECT DISTINCT 'acme'::text AS tenant_id, 'client-' || (1 + (random() * 9999)::int) AS watcher,
	   'crmls'::text AS connection, 'L' || (1 + (random() * (:listings - 1))::int) AS listing_key
  FROM generate_series(1, 5000);

-- 1. the upsert in three configurations, twice each, alternating; each run
-- starts from version a, loaded without triggers, and vacuumed:
--   disabled: the triggers disabled (the baseline);
--   capture:  history, listing events, NOTIFY, deliveries to the two consumers;
--   alerts:   the same, plus the saved searches and the watch list.
CREATE PROCEDURE bench_reset(config text) LANGUAGE plpgsql AS $$
BEGIN
	CALL bench_triggers(false);
	TRUNCATE mlsync.mls_listings, mlsync.mls_listing_matches, mlsync.mls_match_overrides,
			 mlsync.mls_listing_history, mlsync.mls_events,
			 mlsync.mls_event_deliveries, mlsync.mls_alerts, mlsync.mls_watchlist;
	INSERT INTO mlsync.mls_listings SELECT r.* FROM bench_batches, unnest(rows) r WHERE version = 'a';
	UPDATE mlsync.mls_saved_searches SET active = (config = 'alerts');
	IF config = 'alerts' THEN
		INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection, listing_key, reason)
		SELECT tenant_id, watcher, connection, listing_key, 'viewed' FROM bench_watchlist;
	END IF;
	CALL bench_triggers(config <> 'disabled');
END $$;
CREATE TABLE bench_results (run int, work_mem text, config text, seconds float8, cpu float8,
							events bigint, alerts bigint, deliveries bigint);
SELECT current_setting('work_mem') AS default_work_mem \gset
\i :runs

\echo
\echo 'upsert of' :rows 'changed listings, best of the rounds (CPU time of the backend; wall time):'
SELECT format('  work_mem %s  %s  CPU %s s (%s)   wall %s s (%s)   listing events %s  alerts %s  deliveries %s',
			  rpad(CASE work_mem WHEN 'default' THEN :'default_work_mem' ELSE work_mem END, 5),
			  rpad(config, 8),
			  to_char(cpu, '990.00'),
			  CASE WHEN config = 'disabled' THEN 'baseline'
				   ELSE to_char(100 * (cpu / first_value(cpu) OVER w - 1), 'S990') || ' %' END,
			  to_char(seconds, '990.00'),
			  CASE WHEN config = 'disabled' THEN 'baseline'
				   ELSE to_char(100 * (seconds / first_value(seconds) OVER w - 1), 'S990') || ' %' END,
			  events, alerts, deliveries)
  FROM (SELECT work_mem, config, min(cpu) AS cpu, min(seconds) AS seconds,
			   max(events) AS events, max(alerts) AS alerts, max(deliveries) AS deliveries
		  FROM bench_results GROUP BY 1, 2) r
WINDOW w AS (PARTITION BY work_mem ORDER BY array_position('{disabled,capture,alerts}', config))
 ORDER BY work_mem DESC, array_position('{disabled,capture,alerts}', config) \g (format=unaligned tuples_only)
\echo 'goal: the triggers add under 25 %'
SELECT :'profile' = '1' AS profile_only \gset
\if :profile_only
\quit
\endif

-- 2. claim and ack: 200,000 events for one consumer, claimed 1,000 at a time.
SELECT mlsync.mls_subscribe('bench', '{bench_event}') \g /dev/null
INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
SELECT 'acme', 'bench_event', 'crmls', 'L' || i, jsonb_build_object('n', i)
  FROM generate_series(1, 200000) i;
VACUUM ANALYZE mlsync.mls_event_deliveries;
CREATE PROCEDURE bench_consume(INOUT events bigint DEFAULT 0, INOUT seconds float8 DEFAULT 0)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
	ids bigint[];
BEGIN
	events := 0;
	LOOP
		SELECT array_agg(event_id) INTO ids FROM mlsync.mls_events_claim('bench', 1000);
		EXIT WHEN ids IS NULL;
		events := events + mlsync.mls_events_ack('bench', ids);
		COMMIT;
	END LOOP;
	seconds := extract(epoch FROM clock_timestamp() - t0);
END $$;
CALL bench_consume(NULL, NULL) \gset
SELECT round(:events / :seconds) AS rate \gset
\echo
\echo claim and ack, batches of 1,000: :events events in :seconds s = :rate events/s (goal: at least 20,000)

-- 3. alert matching: 1,000 listings get a price cut in one statement.
CALL bench_reset('alerts');
CREATE PROCEDURE bench_cut(first int, searches_active boolean, INOUT seconds float8 DEFAULT 0, INOUT alerts bigint DEFAULT 0)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	before bigint := (SELECT count(*) FROM mlsync.mls_alerts);
BEGIN
	UPDATE mlsync.mls_saved_searches SET active = searches_active WHERE active IS DISTINCT FROM searches_active;
	COMMIT;
	t0 := clock_timestamp();
	UPDATE mlsync.mls_listings SET list_price = list_price - 5000
	 WHERE listing_key IN (SELECT 'L' || i FROM generate_series(first, first + 999) i)
	   AND standard_status = 'Active';
	COMMIT;
	seconds := extract(epoch FROM clock_timestamp() - t0);
	alerts := (SELECT count(*) FROM mlsync.mls_alerts) - before;
END $$;
VACUUM ANALYZE;
SELECT :listings / 4 AS first_a, :listings / 2 AS first_b \gset
CALL bench_cut(:first_a, false, NULL, NULL) \gset without_
CALL bench_cut(:first_b, true, NULL, NULL) \gset with_
SELECT count(*) AS searches FROM mlsync.mls_saved_searches \gset
\echo
\echo price cut of 1,000 listings: :with_seconds s matched against :searches saved searches (:with_alerts alerts),
\echo :without_seconds s with every search inactive; alert matching: goal under 1 s
SQL
