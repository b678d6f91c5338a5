-- What a sync would change and what it tells: the dry run's change list
-- (per listing the columns that would change, old and new values, bounded,
-- with totals); new_listing events on a first load for a connection that
-- asks; listing_updated events with the changed columns; local overrides of
-- MLS-owned fields cleared when the MLS changes the field, in the history
-- and as an event, other overrides kept; the new columns and their mapping.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SET timezone = 'UTC';

SELECT mls_test.reset('{"mls": "pv", "listings": 40, "seed": 41, "page_max": 20}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('opsprev');
SELECT connection, action FROM mlsync.mls_connect('opsprev', 'pv', protocol => 'reso',
	endpoint => mls_test.reso_root('pv'), token_url => mls_test.token_url('pv'),
	username => 'mlsync', page_size => 20, first_load_events => true, listing_updated_events => true);
SELECT connection, first_load_events, listing_updated_events, mls_owned_fields
  FROM mlsync.mls_connections WHERE tenant_id = 'opsprev';
SELECT mlsync.mls_set_credentials('opsprev', 'pv', client_secret => 's3cret');
CREATE FUNCTION pg_temp.sync(mode text, OUT run_id bigint, OUT state text, OUT inserted bigint,
	OUT updated bigint, OUT unchanged bigint)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mlsync.mls_sync('opsprev', 'pv', mode => mode, wait => true);
	SELECT h.run_id, h.state, h.inserted, h.updated, h.unchanged INTO run_id, state, inserted, updated, unchanged
	  FROM mlsync.mls_sync_history h WHERE h.tenant_id = 'opsprev' ORDER BY h.run_id DESC LIMIT 1;
END
$$;

-- a first load that asked for events: one new_listing per listing
SELECT state, inserted FROM pg_temp.sync('full');
SELECT count(*) AS new_listing_events,
	   count(*) = (SELECT count(*) FROM mlsync.mls_listings WHERE tenant_id = 'opsprev') AS one_per_listing
  FROM mlsync.mls_events WHERE tenant_id = 'opsprev' AND kind = 'new_listing';

-- the new columns come from the records through the built-in mapping set
-- (a multi-valued lookup the source sends as a JSON array, or null)
CREATE FUNCTION pg_temp.mls_test_list(v jsonb) RETURNS text[] LANGUAGE sql AS $$
	SELECT CASE jsonb_typeof(v) WHEN 'array' THEN
		nullif(ARRAY(SELECT jsonb_array_elements_text(v)), '{}') END
$$;
SELECT target, source_field, transform, lookup_name FROM mlsync.mls_field_mappings
 WHERE mapping_set = 'reso-dd-2.0' AND target IN ('interior_features', 'appliances', 'parking_features')
 ORDER BY target;
SELECT count(*) FILTER (WHERE cardinality(l.interior_features) > 0) > 0 AS some_interior,
	   count(*) FILTER (WHERE cardinality(l.appliances) > 0) > 0 AS some_appliances,
	   count(*) FILTER (WHERE cardinality(l.parking_features) > 0) > 0 AS some_parking,
	   count(*) FILTER (WHERE l.interior_features IS DISTINCT FROM
						   pg_temp.mls_test_list(t.r -> 'InteriorFeatures')
						 OR l.appliances IS DISTINCT FROM
						   pg_temp.mls_test_list(t.r -> 'Appliances')
						 OR l.parking_features IS DISTINCT FROM
						   pg_temp.mls_test_list(t.r -> 'ParkingFeatures'))
		 AS different_from_the_source
  FROM mlsync.mls_listings l JOIN mls_test.truth('pv') t(r) ON t.r ->> 'ListingKey' = l.listing_key
 WHERE l.tenant_id = 'opsprev';
-- photo_urls belongs to the media subsystem: no mapping may write it
SELECT count(*) AS photo_urls_mappable FROM mlsync.mls_mappable_columns WHERE column_name = 'photo_urls';

-- the market moves; before the sync, overrides are set on stored listings:
-- the status of one that went pending (and its remarks), the status and
-- price of one whose price was cut
SELECT c -> 'pending' ->> 0 AS k_pending, c -> 'price_cut' ->> 0 AS k_cut
  FROM (SELECT mls_test.advance('{"mls": "pv", "seed": 7, "pending": 2, "price_cut": 2, "new": 1}') -> 'changed' AS c) a \gset
UPDATE mlsync.mls_listings SET local_overrides = '{"standard_status": "Withdrawn", "public_remarks": "ours"}'
 WHERE tenant_id = 'opsprev' AND listing_key = :'k_pending';
UPDATE mlsync.mls_listings SET local_overrides = '{"standard_status": "Hold", "list_price": 1}'
 WHERE tenant_id = 'opsprev' AND listing_key = :'k_cut';
SELECT max(event_id) AS mark FROM mlsync.mls_events \gset
SELECT state, inserted, updated FROM pg_temp.sync('incremental');
-- the MLS changed the status of the first: its status override is gone, its
-- remarks override stays; the second keeps both (the MLS did not change its
-- status, and its price is not MLS-owned)
SELECT listing_key = :'k_pending' AS went_pending, standard_status, local_overrides
  FROM mlsync.mls_listings WHERE tenant_id = 'opsprev' AND listing_key IN (:'k_pending', :'k_cut')
 ORDER BY 1 DESC;
SELECT change, detail FROM mlsync.mls_listing_history
 WHERE tenant_id = 'opsprev' AND change = 'override_cleared' AND listing_key = :'k_pending';
SELECT kind, listing_key = :'k_pending' AS that_listing, payload
  FROM mlsync.mls_events WHERE event_id > :mark AND kind = 'override_cleared';
-- listing_updated: one per updated listing, with the columns that changed
SELECT count(*) AS listing_updated,
	   count(*) = (SELECT updated FROM mlsync.mls_sync_history WHERE tenant_id = 'opsprev'
				   ORDER BY run_id DESC LIMIT 1) AS one_per_update,
	   bool_and(payload -> 'columns' ? 'modification_timestamp') AS all_modified
  FROM mlsync.mls_events WHERE event_id > :mark AND kind = 'listing_updated';
SELECT listing_key = :'k_pending' AS went_pending,
	   payload -> 'columns' ? 'standard_status' AS status_listed,
	   payload -> 'columns' ? 'list_price' AS price_listed
  FROM mlsync.mls_events WHERE event_id > :mark AND kind = 'listing_updated'
   AND listing_key IN (:'k_pending', :'k_cut') ORDER BY 1 DESC;

-- a field the connection marks MLS-owned: the price too
SELECT connection, action, changed FROM mlsync.mls_connect('opsprev', 'pv',
	mls_owned_fields => '{standard_status,list_price}', listing_updated_events => false);
SELECT mls_test.advance('{"mls": "pv", "seed": 8, "price_cut": 3}') -> 'changed' -> 'price_cut' AS cuts \gset
SELECT min(k) AS k_cut2 FROM jsonb_array_elements_text(:'cuts') k
  JOIN mls_test.truth('pv') t(r) ON t.r ->> 'ListingKey' = k WHERE t.r ->> 'StandardStatus' = 'Active' \gset
UPDATE mlsync.mls_listings SET local_overrides = '{"list_price": 5}'
 WHERE tenant_id = 'opsprev' AND listing_key = :'k_cut2';
SELECT max(event_id) AS mark FROM mlsync.mls_events \gset
SELECT state, updated FROM pg_temp.sync('incremental');
SELECT local_overrides FROM mlsync.mls_listings WHERE tenant_id = 'opsprev' AND listing_key = :'k_cut2';
SELECT kind, payload -> 'fields' AS fields,
	   payload -> 'new_mls_values' = jsonb_build_object('list_price',
		 (SELECT (t.r ->> 'ListPrice')::numeric FROM mls_test.truth('pv') t(r)
		   WHERE t.r ->> 'ListingKey' = :'k_cut2')) AS new_value_is_the_mls,
	   payload -> 'old_mls_values' <> payload -> 'new_mls_values' AS old_value_differs
  FROM mlsync.mls_events
 WHERE event_id > :mark AND kind IN ('override_cleared', 'listing_updated') ORDER BY event_id;
-- statistics read status history only: the facts of the listing, still
-- Active, are the same with and without its override_cleared row
SELECT f.active AS active_days FROM mlsync.mls_stats_listing_facts(now()) f
 WHERE f.tenant_id = 'opsprev' AND f.listing_key = :'k_cut2' \gset
BEGIN;
DELETE FROM mlsync.mls_listing_history WHERE tenant_id = 'opsprev' AND change = 'override_cleared';
SELECT f.active = :'active_days' AS same_active_days,
	   f.active @> current_date AS active_today
  FROM mlsync.mls_stats_listing_facts(now()) f
 WHERE f.tenant_id = 'opsprev' AND f.listing_key = :'k_cut2';
ROLLBACK;
\set VERBOSITY terse
SELECT mlsync.mls_connect('opsprev', 'pv', mls_owned_fields => '{raw}');
\set VERBOSITY default

-- the dry run's change list: what would change, listing by listing, with
-- nothing written
SELECT c -> 'new' ->> 0 AS k_new, c -> 'price_cut' ->> 0 AS k_cut3
  FROM (SELECT mls_test.advance('{"mls": "pv", "seed": 9, "new": 2, "price_cut": 2, "pending": 1}') -> 'changed' AS c) a \gset
SELECT count(*) AS listings_before, max(last_synced_at) AS synced_before FROM mlsync.mls_listings
 WHERE tenant_id = 'opsprev' \gset
SELECT run_id AS dry_run, state, inserted, updated FROM pg_temp.sync('dry_run') \gset
SELECT :'state' AS state, :inserted AS would_insert, :updated AS would_update;
SELECT count(*) = :listings_before AS nothing_inserted, max(last_synced_at) = :'synced_before' AS nothing_updated
  FROM mlsync.mls_listings WHERE tenant_id = 'opsprev';
SELECT would_insert, would_update, excluded, capped, listed, not_listed
  FROM mlsync.mls_dry_run_summary(:dry_run);
SELECT listing_key = :'k_new' AS first_new, action FROM mlsync.mls_dry_run_changes(:dry_run)
 WHERE listing_key = :'k_new';
-- the price cut: old value as stored, new value as the source sends it
SELECT d.action, d.columns @> '{list_price,modification_timestamp}' AS listed_columns,
	   (d.changes -> 'list_price' ->> 'old')::numeric = l.list_price AS old_is_stored,
	   (d.changes -> 'list_price' ->> 'new')::numeric = (t.r ->> 'ListPrice')::numeric AS new_is_the_source
  FROM mlsync.mls_dry_run_changes(:dry_run) d
  JOIN mlsync.mls_listings l ON l.tenant_id = 'opsprev' AND l.listing_key = d.listing_key
  JOIN mls_test.truth('pv') t(r) ON t.r ->> 'ListingKey' = d.listing_key
 WHERE d.listing_key = :'k_cut3';
-- a new listing lists its values (old null)
SELECT count(*) FILTER (WHERE (c.value -> 'old') <> 'null') AS with_old_values,
	   (SELECT d.changes -> 'listing_id' ->> 'new' FROM mlsync.mls_dry_run_changes(:dry_run) d
		 WHERE d.listing_key = :'k_new') = (SELECT t.r ->> 'ListingId' FROM mls_test.truth('pv') t(r)
											 WHERE t.r ->> 'ListingKey' = :'k_new') AS listing_id
  FROM mlsync.mls_dry_run_changes(:dry_run) d, jsonb_each(d.changes) c
 WHERE d.listing_key = :'k_new';
-- bounded: with a limit of 2 the list holds 2 listings, the totals all of them
SET mlsync.dry_run_changes_limit = 2;
SELECT run_id AS bounded_run FROM pg_temp.sync('dry_run') \gset
RESET mlsync.dry_run_changes_limit;
SELECT would_insert, would_update, listed, not_listed FROM mlsync.mls_dry_run_summary(:bounded_run);
SELECT (SELECT columns FROM mlsync.mls_dry_run_summary(:bounded_run))
	   = (SELECT jsonb_object_agg(k, n) FROM (
			SELECT k, count(*) AS n FROM mlsync.mls_dry_run_changes(:dry_run) d, unnest(d.columns) k
			 GROUP BY k) c) AS totals_count_every_listing;
-- not a dry run: no summary
SELECT count(*) AS rows FROM mlsync.mls_dry_run_summary((SELECT min(run_id) FROM mlsync.mls_sync_history
														 WHERE tenant_id = 'opsprev'));

DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'opsprev';
