#!/usr/bin/env bash
# Benchmark of the mapping engine (issue: foundation): map 100,000 RESO Data
# Dictionary records of about 150 fields with mls_map_record('reso-dd-2.0'),
# and in the same run convert the same records with PostgreSQL's own
# jsonb_populate_record into a row type with the same fields and types.
# Prints records per second of both and their ratio; asserts nothing.
#
# Usage: bench/map_records.sh [RECORDS]   (as root, after scripts/test or make install)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
become_root "$@"
records=${1:-100000}

dir=$(mktemp -d /tmp/mlsync-bench.XXXXXX)
port=$((20000 + RANDOM % 10000))
trap 'stop_cluster "$dir"; rm -rf "$dir"' EXIT
start_cluster "$dir" "$port"
cluster_psql "$dir" "$port" -c "CREATE EXTENSION mlsync"

cluster_psql "$dir" "$port" -v records="$records" -v bench="$MLSYNC_ROOT/bench" <<'SQL'
\set QUIET on
SET client_min_messages = warning;
-- Records: the mapped fields with realistic values (legacy lookup spellings,
-- numbers, dates, timestamps with fractional seconds), padded to 150 fields.
CREATE TABLE bench_records AS
WITH filler AS (
	SELECT jsonb_object_agg(field, 'text of ' || field) AS fields
	  FROM (SELECT field FROM mlsync.mls_dd_fields
			 WHERE resource = 'Property' AND simple_type = 'String'
			   AND mlsync.mls_snake_case(field) NOT IN (SELECT column_name FROM mlsync.mls_mappable_columns)
			 ORDER BY field LIMIT 69) f)
SELECT filler.fields
	   || jsonb_build_object(
		'ListingKey', 'L' || i, 'ListingId', 'ML' || i, 'OriginatingSystemName', 'bench',
		'StandardStatus', (ARRAY['Active', 'ActiveUnderContract', 'Pending', 'Closed'])[1 + i % 4],
		'MlsStatus', 'Active', 'PropertyType', (ARRAY['Residential', 'ResidentialIncome', 'Land'])[1 + i % 3],
		'PropertySubType', 'SingleFamilyResidence',
		'ListPrice', 300000 + i, 'OriginalListPrice', 310000 + i, 'ClosePrice', 295000 + i,
		'ListingContractDate', '2024-03-01', 'OnMarketDate', '2024-03-02', 'CloseDate', '2024-05-01',
		'ExpirationDate', '2024-09-01', 'DaysOnMarket', i % 200, 'CumulativeDaysOnMarket', i % 300,
		'BedroomsTotal', 1 + i % 6, 'BathroomsTotalInteger', 1 + i % 4, 'BathroomsFull', 1 + i % 3,
		'BathroomsHalf', i % 2, 'LivingArea', 900 + i % 3000, 'LivingAreaUnits', 'SquareFeet',
		'LotSizeArea', 0.25, 'LotSizeUnits', 'Acres', 'LotSizeAcres', 0.25, 'LotSizeSquareFeet', 10890,
		'YearBuilt', 1950 + i % 70, 'StoriesTotal', 2, 'GarageSpaces', 2)
	   || jsonb_build_object(
		'Heating', '["ForcedAir", "NaturalGas"]'::jsonb, 'Cooling', '["CentralAir"]'::jsonb,
		'AssociationFee', 125.5, 'TaxAnnualAmount', 4200.12,
		'UnparsedAddress', i || ' Main St, San Jose, CA 95112', 'StreetNumber', i::text,
		'StreetDirPrefix', 'N', 'StreetName', 'Main', 'StreetSuffix', 'Street', 'StreetDirSuffix', 'S',
		'UnitNumber', '1')
	   || jsonb_build_object(
		'City', 'San Jose', 'StateOrProvince', 'CA', 'PostalCode', '95112',
		'CountyOrParish', 'Santa Clara', 'SubdivisionName', 'Rose Garden', 'Country', 'US',
		'Latitude', 37.3 + (i % 1000) / 10000.0, 'Longitude', -121.8 - (i % 1000) / 10000.0,
		'ParcelNumber', '467-12-' || i, 'ListAgentKey', 'A' || i % 500, 'ListAgentMlsId', 'M' || i % 500,
		'ListAgentFullName', 'Agent ' || i % 500, 'ListAgentEmail', 'agent@example.com',
		'ListAgentDirectPhone', '408-555-0100', 'ListOfficeKey', 'O' || i % 50,
		'ListOfficeMlsId', 'OF' || i % 50, 'ListOfficeName', 'Office ' || i % 50,
		'ListOfficePhone', '408-555-0199', 'CoListAgentKey', 'C1', 'CoListOfficeKey', 'C2',
		'BuyerAgentKey', 'B1', 'BuyerOfficeKey', 'B2',
		'InternetEntireListingDisplayYN', true, 'InternetAddressDisplayYN', true,
		'InternetAutomatedValuationDisplayYN', false, 'InternetConsumerCommentYN', false,
		'PublicRemarks', repeat('Lovely home with a garden. ', 20), 'PrivateRemarks', 'Call agent',
		'VirtualTourURLUnbranded', 'https://tour.example.com/' || i, 'PhotosCount', 12,
		'PhotosChangeTimestamp', '2024-03-05T17:24:24.02Z',
		'ModificationTimestamp', '2024-03-05T17:24:24.' || lpad((i % 1000)::text, 3, '0') || 'Z',
		'OriginalEntryTimestamp', '2024-03-01T08:00:00Z', 'StatusChangeTimestamp', '2024-03-04T09:15:00Z',
		'PriceChangeTimestamp', '2024-03-04T09:15:00Z', 'MajorChangeTimestamp', '2024-03-04T09:15:00Z',
		'ContractStatusChangeDate', '2024-03-04', 'PurchaseContractDate', '2024-04-01',
		'OffMarketDate', '2024-05-01', 'PreviousListPrice', 305000 + i) AS r
  FROM filler, generate_series(1, :records) i;

-- The baseline's row type: the same source fields, with the same column types.
SELECT format('CREATE TYPE bench_shape AS (%s)',
			  string_agg(format('%I %s', m.source_field, c.declared_type), ', ' ORDER BY c.column_name))
  FROM mlsync.mls_field_mappings m
  JOIN mlsync.mls_mappable_columns c ON c.column_name = m.target
 WHERE m.mapping_set = 'reso-dd-2.0' \gexec

SELECT avg(pg_column_size(r))::int AS avg_record_bytes,
	   (SELECT count(*) FROM jsonb_object_keys((SELECT r FROM bench_records LIMIT 1))) AS fields
  FROM bench_records \gset
SELECT count(*) FROM bench_records \gset
\echo records: :count, fields per record: :fields, stored bytes per record: :avg_record_bytes

-- warm the cache, then time each twice and keep the better run
SELECT count(*) FROM bench_records \g /dev/null
\i :bench/best_seconds.sql
SELECT pg_temp.best_seconds($$SELECT count((mlsync.mls_map_record('reso-dd-2.0', r)).listing_key) FROM bench_records$$, 2) AS mapped,
	   pg_temp.best_seconds($$SELECT count((jsonb_populate_record(NULL::bench_shape, r))."ListingKey") FROM bench_records$$, 2) AS baseline \gset
\echo
\echo mls_map_record('reso-dd-2.0'):   :mapped s
\echo jsonb_populate_record (baseline): :baseline s
SELECT round(:count / :mapped) AS mapped_rate, round(:count / :baseline) AS baseline_rate,
	   round((:baseline / :mapped)::numeric, 2) AS ratio \gset
\echo mls_map_record: :mapped_rate records/s; jsonb_populate_record: :baseline_rate records/s
\echo speed relative to the baseline: :ratio x (goal: 1.0 or more)
SQL
