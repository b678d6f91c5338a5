#!/usr/bin/env bash
# What the operations controls cost the sync's writer, in one run on a
# throwaway cluster: the upsert of N changed listings (batches of 1,000, one
# transaction each, change capture on) with
#   plain:    the 0.1.0 statement (INSERT ... ON CONFLICT DO UPDATE), the baseline;
#   owned:    the 0.2.0 statement as a connection has it by default (the
#             exclusion and cap check of the batch, standard_status MLS-owned:
#             the stored rows with local overrides read in the same statement,
#             1 % of the listings overridden; skipped records forgotten);
#   updated:  the same with listing_updated events (every stored row read and
#             compared with the incoming one).
# The statements are the writer's (src/engine/writer.c builds them from the
# mappable columns; keep them in step), with two differences that are the
# same in every configuration: history and events are recorded by the
# capture triggers of direct writes, where the writer calls
# mls_writer_capture after its statement (bench/alerts_sync.sh measures
# that path), and work_mem is the session's, where the writer raises it for
# a batch held in memory.  Three rounds, alternating; the best
# CPU time of the backend and wall time are kept.  Prints figures and ratios;
# asserts nothing.
#
# Usage: bench/writer_ops.sh [LISTINGS]   (as root, after scripts/test or make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
listings=${1:-100000}

dir=$(mktemp -d /tmp/mlsync-bench.XXXXXX)
port=$((20000 + RANDOM % 10000))
trap 'stop_cluster "$dir"; rm -rf "$dir"' EXIT
start_cluster "$dir" "$port" "shared_buffers = '1GB'" "max_wal_size = '8GB'"
cluster_psql "$dir" "$port" -c "CREATE EXTENSION mlsync"

for run in 1 2 3; do
	for config in plain owned updated; do
		cat <<RUN
CALL bench_reset();
VACUUM ANALYZE;
CHECKPOINT;
CALL bench_upsert_$config(NULL, NULL) \\gset
INSERT INTO bench_results SELECT $run, '$config', :seconds, :cpu,
	(SELECT count(*) FROM mlsync.mls_events WHERE kind = 'listing_updated'),
	(SELECT count(*) FROM mlsync.mls_events WHERE kind = 'override_cleared');
RUN
	done
done > "$dir/runs.sql"
chmod 755 "$dir"; chmod 644 "$dir/runs.sql"

cluster_psql "$dir" "$port" -v listings="$listings" -v runs="$dir/runs.sql" <<'SQL'
\set QUIET on
SET client_min_messages = warning;
SELECT setseed(0.42) \g /dev/null
SELECT mlsync.mls_create_tenant('acme') \g /dev/null
SELECT mlsync.mls_connect('acme', 'crmls', protocol => 'reso', endpoint => 'https://reso.example.com/odata') \g /dev/null

-- Records of about 100 fields mapped by the built-in set; version b changes
-- every record (a new ModificationTimestamp), 10 % of the prices and 5 % of
-- the statuses.
CREATE TABLE bench_records AS
SELECT v.version, i, jsonb_build_object(
		'ListingKey', 'L' || i, 'ListingId', 'ML' || i, 'OriginatingSystemName', 'bench',
		'StandardStatus', CASE WHEN v.version = 'b' AND i % 20 = 7 THEN 'Pending' ELSE 'Active' END,
		'PropertyType', 'Residential', 'ListPrice', CASE WHEN v.version = 'b' AND i % 10 = 3
														 THEN 290000 + i % 1000 ELSE 300000 + i % 1000 END,
		'BedroomsTotal', 1 + i % 6, 'LivingArea', 900 + i % 3000, 'City', 'City ' || i % 300,
		'PostalCode', (90000 + i % 300)::text, 'Latitude', 30 + (i % 1000) / 1000.0,
		'Longitude', -97 - (i % 1000) / 1000.0, 'UnparsedAddress', i || ' Main St',
		'PublicRemarks', 'Lovely home ' || md5(i::text) || repeat(' with a garden', 30),
		'Appliances', '["Dishwasher", "Range"]', 'InteriorFeatures', '["Pantry"]',
		'ModificationTimestamp', CASE v.version WHEN 'a' THEN '2024-03-05T17:24:24Z' ELSE '2024-04-05T17:24:24Z' END,
		'OriginalEntryTimestamp', '2024-03-01T08:00:00Z') AS r
  FROM generate_series(1, :listings) i, (VALUES ('a'), ('b')) v(version);
CREATE TABLE bench_batches AS
SELECT version, (i - 1) / 1000 AS batch, array_agg(m ORDER BY i) AS rows,
	   array_agg((m).listing_key ORDER BY i) AS keys
  FROM (SELECT version, i,
			   jsonb_populate_record(mlsync.mls_map_record('reso-dd-2.0', r),
									 jsonb_build_object('tenant_id', 'acme', 'connection', 'crmls',
														'first_seen_at', now(), 'last_synced_at', now(),
														'local_overrides', '{}'::jsonb)) AS m
		  FROM bench_records) x
 GROUP BY 1, 2;
DROP TABLE bench_records;
SELECT count(*) AS batches, sum(cardinality(rows)) AS rows FROM bench_batches WHERE version = 'b' \gset
\echo upsert: :rows changed listings in :batches batches of 1,000

CREATE FUNCTION bench_cpu_ticks() RETURNS bigint LANGUAGE sql AS $$
	SELECT split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint
	  FROM pg_read_file('/proc/self/stat') s $$;

SELECT string_agg(format('%I = excluded.%I', column_name, column_name), ', ') AS sets,
	   string_agg(format('CASE WHEN o.%I IS DISTINCT FROM b.%I THEN %L END', column_name, column_name, column_name), ', ')
		 || ', CASE WHEN o.extra IS DISTINCT FROM b.extra THEN ''extra'' END' AS cols
  FROM mlsync.mls_mappable_columns WHERE column_name <> 'listing_key' \gset

-- One procedure per configuration: the batch's statements, timed.
SELECT format($f$
CREATE PROCEDURE bench_upsert_%1$s(INOUT seconds float8 DEFAULT 0, INOUT cpu float8 DEFAULT 0)
LANGUAGE plpgsql AS $p$
DECLARE
	arr mlsync.mls_listings[];
	k text[];
	t0 timestamptz;
	c0 bigint;
	n bigint;
	owned text[] := '{standard_status}';
BEGIN
	seconds := 0;
	cpu := 0;
	FOR nb IN 0..(SELECT max(batch) FROM bench_batches WHERE version = 'b') LOOP
		SELECT rows, keys INTO arr, k FROM bench_batches WHERE version = 'b' AND batch = nb;
		t0 := clock_timestamp();
		c0 := bench_cpu_ticks();
		%2$s
		COMMIT;
		cpu := cpu + (bench_cpu_ticks() - c0) / 100.0;
		seconds := seconds + extract(epoch FROM clock_timestamp() - t0);
	END LOOP;
END $p$$f$, c.name, c.body)
  FROM (VALUES
	('plain', format($s$
		INSERT INTO mlsync.mls_listings AS l SELECT * FROM unnest(arr)
		ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE
		SET %s, extra = excluded.extra, raw = excluded.raw, raw_hash = excluded.raw_hash,
			last_synced_at = excluded.last_synced_at, removed_at = NULL, conflict = NULL
		WHERE l.raw_hash IS DISTINCT FROM excluded.raw_hash
		   OR l.removed_at IS NOT NULL OR l.conflict IS NOT NULL;$s$, :'sets')),
	('owned', format($s$
		PERFORM k2.i FROM unnest(k) WITH ORDINALITY k2(key, i)
		  LEFT JOIN mlsync.mls_listing_exclusions x ON x.tenant_id = 'acme'
		   AND x.connection = 'crmls' AND x.listing_key = k2.key
		 WHERE x.listing_key IS NOT NULL OR false;
		WITH batch AS MATERIALIZED (SELECT * FROM unnest(arr)),
		old AS MATERIALIZED (
			SELECT l.* FROM batch b JOIN mlsync.mls_listings l ON l.tenant_id = b.tenant_id
			   AND l.connection = b.connection AND l.listing_key = b.listing_key
			 WHERE l.local_overrides <> '{}'),
		up AS (
			INSERT INTO mlsync.mls_listings AS l SELECT * FROM batch
			ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE
			SET %1$s, local_overrides = CASE WHEN l.local_overrides = '{}' THEN l.local_overrides
				ELSE mlsync.mls_owned_overrides_kept(l.local_overrides, to_jsonb(l), to_jsonb(excluded), owned) END,
				extra = excluded.extra, raw = excluded.raw, raw_hash = excluded.raw_hash,
				last_synced_at = excluded.last_synced_at, removed_at = NULL, conflict = NULL
			WHERE l.raw_hash IS DISTINCT FROM excluded.raw_hash
			   OR l.removed_at IS NOT NULL OR l.conflict IS NOT NULL
			RETURNING (l.xmax = 0) AS inserted, l.listing_key, l.local_overrides),
		forgotten AS (
			DELETE FROM mlsync.mls_skipped_records s USING batch b
			 WHERE s.tenant_id = b.tenant_id AND s.connection = b.connection AND s.listing_key = b.listing_key),
		changed AS MATERIALIZED (
			SELECT b.tenant_id, b.connection, b.listing_key, b.modification_timestamp,
				   o.local_overrides AS old_overrides, u.local_overrides AS new_overrides,
				   o AS old_row, b AS new_row
			  FROM up u JOIN old o ON o.listing_key = u.listing_key
			  JOIN batch b ON b.listing_key = u.listing_key
			 WHERE NOT u.inserted),
		cleared AS MATERIALIZED (
			SELECT c.tenant_id, c.connection, c.listing_key, c.modification_timestamp,
				   jsonb_build_object('fields', f.fields,
					   'overrides', (SELECT jsonb_object_agg(q, c.old_overrides -> q) FROM unnest(f.fields) q),
					   'old_mls_values', (SELECT jsonb_object_agg(q, to_jsonb(c.old_row) -> q) FROM unnest(f.fields) q),
					   'new_mls_values', (SELECT jsonb_object_agg(q, to_jsonb(c.new_row) -> q) FROM unnest(f.fields) q)) AS detail
			  FROM changed c
			 CROSS JOIN LATERAL (SELECT array_agg(q ORDER BY q) AS fields FROM jsonb_object_keys(c.old_overrides) q
								  WHERE NOT c.new_overrides ? q) f
			 WHERE f.fields IS NOT NULL),
		history AS (
			INSERT INTO mlsync.mls_listing_history (tenant_id, connection, listing_key, change, effective_at, detail)
			SELECT c.tenant_id, c.connection, c.listing_key, 'override_cleared',
				   coalesce(c.modification_timestamp, t0), c.detail FROM cleared c),
		events AS (
			INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
			SELECT c.tenant_id, 'override_cleared', c.connection, c.listing_key, c.detail FROM cleared c)
		SELECT count(*) INTO STRICT n FROM up;$s$, :'sets')),
	('updated', format($s$
		WITH batch AS MATERIALIZED (SELECT * FROM unnest(arr)),
		old AS MATERIALIZED (
			SELECT l.* FROM batch b JOIN mlsync.mls_listings l ON l.tenant_id = b.tenant_id
			   AND l.connection = b.connection AND l.listing_key = b.listing_key),
		up AS (
			INSERT INTO mlsync.mls_listings AS l SELECT * FROM batch
			ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE
			SET %1$s, local_overrides = CASE WHEN l.local_overrides = '{}' THEN l.local_overrides
				ELSE mlsync.mls_owned_overrides_kept(l.local_overrides, to_jsonb(l), to_jsonb(excluded), owned) END,
				extra = excluded.extra, raw = excluded.raw, raw_hash = excluded.raw_hash,
				last_synced_at = excluded.last_synced_at, removed_at = NULL, conflict = NULL
			WHERE l.raw_hash IS DISTINCT FROM excluded.raw_hash
			   OR l.removed_at IS NOT NULL OR l.conflict IS NOT NULL
			RETURNING (l.xmax = 0) AS inserted, l.listing_key, l.local_overrides),
		forgotten AS (
			DELETE FROM mlsync.mls_skipped_records s USING batch b
			 WHERE s.tenant_id = b.tenant_id AND s.connection = b.connection AND s.listing_key = b.listing_key),
		changed AS MATERIALIZED (
			SELECT b.tenant_id, b.connection, b.listing_key,
				   ARRAY(SELECT q FROM unnest(ARRAY[%2$s]) q WHERE q IS NOT NULL ORDER BY q) AS columns
			  FROM up u JOIN old o ON o.listing_key = u.listing_key
			  JOIN batch b ON b.listing_key = u.listing_key
			 WHERE NOT u.inserted),
		events AS (
			INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
			SELECT c.tenant_id, 'listing_updated', c.connection, c.listing_key, jsonb_build_object('columns', c.columns)
			  FROM changed c
			 WHERE cardinality(c.columns) > 0)
		SELECT count(*) INTO STRICT n FROM up;$s$, :'sets', :'cols'))
	) AS c(name, body) \gexec

-- Every run starts from version a, 1 % of it with a status override.
CREATE PROCEDURE bench_reset() LANGUAGE plpgsql AS $$
BEGIN
	ALTER TABLE mlsync.mls_listings DISABLE TRIGGER USER;
	TRUNCATE mlsync.mls_listings, mlsync.mls_listing_matches, mlsync.mls_match_overrides,
			 mlsync.mls_listing_history, mlsync.mls_events;
	INSERT INTO mlsync.mls_listings SELECT r.* FROM bench_batches, unnest(rows) r WHERE version = 'a';
	UPDATE mlsync.mls_listings SET local_overrides = '{"standard_status": "Hold"}'
	 WHERE right(listing_key, 2) = '07';
	ALTER TABLE mlsync.mls_listings ENABLE TRIGGER USER;
END $$;
CREATE TABLE bench_results (run int, config text, seconds float8, cpu float8,
							listing_updated bigint, override_cleared bigint);
\i :runs

\echo
\echo 'upsert of' :rows 'changed listings with change capture, best of three rounds (CPU time of the backend; wall time):'
SELECT format('  %s  CPU %s s (%s)   wall %s s (%s)   listing_updated %s  override_cleared %s',
			  rpad(config, 8), to_char(cpu, '990.00'),
			  CASE WHEN config = 'plain' THEN 'baseline'
				   ELSE to_char(100 * (cpu / first_value(cpu) OVER w - 1), 'S990') || ' %' END,
			  to_char(seconds, '990.00'),
			  CASE WHEN config = 'plain' THEN 'baseline'
				   ELSE to_char(100 * (seconds / first_value(seconds) OVER w - 1), 'S990') || ' %' END,
			  listing_updated, override_cleared)
  FROM (SELECT config, min(cpu) AS cpu, min(seconds) AS seconds,
			   max(listing_updated) AS listing_updated, max(override_cleared) AS override_cleared
		  FROM bench_results GROUP BY 1) r
WINDOW w AS (ORDER BY array_position('{plain,owned,updated}', config))
 ORDER BY array_position('{plain,owned,updated}', config) \g (format=unaligned tuples_only)
SQL
