-- Controls over what a sync writes: listings excluded from every mode (full,
-- incremental, single, dry run, reconcile) and included again; a
-- connection's listing cap, with the count in mls_status and its alert;
-- records skipped as malformed kept whole with their error, and written by
-- mls_retry_skipped() once the mapping is fixed; who asked for a run.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();

SELECT mls_test.reset('{"mls": "ct", "listings": 50, "seed": 31, "page_max": 20}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('opsctl');
SELECT connection FROM mlsync.mls_connect('opsctl', 'ct', protocol => 'reso',
	endpoint => mls_test.reso_root('ct'), token_url => mls_test.token_url('ct'),
	username => 'mlsync', page_size => 20);
SELECT mlsync.mls_set_credentials('opsctl', 'ct', client_secret => 's3cret');
-- a run, here; what its history says
CREATE FUNCTION pg_temp.sync(mode text, listing_key text DEFAULT NULL,
	OUT state text, OUT inserted bigint, OUT updated bigint, OUT removed bigint,
	OUT excluded bigint, OUT capped bigint)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mlsync.mls_sync('opsctl', 'ct', mode => mode, wait => true, listing_key => listing_key);
	SELECT h.state, h.inserted, h.updated, h.removed, h.excluded, h.capped
	  INTO state, inserted, updated, removed, excluded, capped
	  FROM mlsync.mls_sync_history h WHERE h.tenant_id = 'opsctl' ORDER BY run_id DESC LIMIT 1;
END
$$;

-- two listings of the source: one excluded before it was ever synced, one
-- after (and edited here, so that a full sync would rewrite it)
SELECT min(r ->> 'ListingKey') AS k_new, max(r ->> 'ListingKey') AS k_old FROM mls_test.truth('ct') r \gset
SELECT listing_key, reason, excluded_by = current_user AS by_me
  FROM mlsync.mls_exclude_listing('opsctl', 'ct', :'k_new', 'seller asked');
SELECT * FROM pg_temp.sync('full');
SELECT count(*) FILTER (WHERE listing_key = :'k_new') AS k_new_stored, count(*) AS listings
  FROM mlsync.mls_listings WHERE tenant_id = 'opsctl';
SELECT listing_key, reason FROM mlsync.mls_exclude_listing('opsctl', 'ct', :'k_old', 'under review');
UPDATE mlsync.mls_listings SET list_price = 1, raw_hash = 0 WHERE tenant_id = 'opsctl' AND listing_key = :'k_old';
SELECT * FROM pg_temp.sync('full');
SELECT list_price FROM mlsync.mls_listings WHERE tenant_id = 'opsctl' AND listing_key = :'k_old';

-- incremental: a change at the source to an excluded listing is not written
SELECT c -> 'price_cut' ->> 0 AS k_cut, c -> 'price_cut' ->> 1 AS k_cut2
  FROM (SELECT mls_test.advance('{"mls": "ct", "seed": 3, "price_cut": 2}') -> 'changed' AS c) a \gset
SELECT listing_key FROM mlsync.mls_exclude_listing('opsctl', 'ct', :'k_cut');
SELECT list_price AS k_cut_price FROM mlsync.mls_listings WHERE tenant_id = 'opsctl' AND listing_key = :'k_cut' \gset
SELECT * FROM pg_temp.sync('incremental');
SELECT listing_key, list_price = :k_cut_price AS kept_old_price
  FROM mlsync.mls_listings WHERE tenant_id = 'opsctl' AND listing_key IN (:'k_cut', :'k_cut2') ORDER BY listing_key = :'k_cut' DESC;

-- single: an excluded listing is not fetched into the table
SELECT * FROM pg_temp.sync('single', :'k_new');
SELECT count(*) AS k_new_stored FROM mlsync.mls_listings WHERE tenant_id = 'opsctl' AND listing_key = :'k_new';

-- dry run: an excluded listing is neither counted nor listed (excluded: it,
-- and k_cut, read again within mlsync.incremental_overlap)
SELECT c -> 'new' ->> 0 AS k_added, c -> 'new' ->> 1 AS k_added2
  FROM (SELECT mls_test.advance('{"mls": "ct", "seed": 4, "new": 2}') -> 'changed' AS c) a \gset
SELECT listing_key FROM mlsync.mls_exclude_listing('opsctl', 'ct', :'k_added');
SELECT * FROM pg_temp.sync('dry_run');
SELECT listing_key = :'k_added2' AS the_other_new_listing, action
  FROM mlsync.mls_dry_run_changes((SELECT max(run_id) FROM mlsync.mls_sync_history WHERE tenant_id = 'opsctl'));

-- reconcile: an excluded listing gone at the source is not removed
SELECT c -> 'deleted' ->> 0 AS k_gone, c -> 'deleted' ->> 1 AS k_gone2
  FROM (SELECT mls_test.advance('{"mls": "ct", "seed": 5, "deleted": 2}') -> 'changed' AS c) a \gset
SELECT listing_key FROM mlsync.mls_exclude_listing('opsctl', 'ct', :'k_gone');
SELECT * FROM pg_temp.sync('reconcile');
SELECT listing_key = :'k_gone' AS excluded_one, removed_at IS NOT NULL AS removed, standard_status = 'Delete' AS status_delete
  FROM mlsync.mls_listings WHERE tenant_id = 'opsctl' AND listing_key IN (:'k_gone', :'k_gone2') ORDER BY 1;
-- and of the listings it finds missing it fetches all but the excluded ones
-- (the new listing the dry run saw, not the excluded new one nor k_new)
SELECT listing_key = :'k_added2' AS the_other_new_listing FROM mlsync.mls_listings
 WHERE tenant_id = 'opsctl' AND listing_key IN (:'k_new', :'k_added', :'k_added2');
SELECT excluded_listings FROM mlsync.mls_status WHERE tenant_id = 'opsctl';

-- exclusions are reversible: included again, the listings sync as before
SELECT mlsync.mls_include_listing('opsctl', 'ct', k) AS included
  FROM unnest(ARRAY[:'k_new', :'k_old', :'k_cut', :'k_added', :'k_gone']) k;
SELECT mlsync.mls_include_listing('opsctl', 'ct', :'k_new') AS included_twice;
SELECT * FROM pg_temp.sync('single', :'k_new');
SELECT * FROM pg_temp.sync('full');
SELECT * FROM pg_temp.sync('reconcile');
SELECT * FROM mls_test.diff('opsctl', 'ct', 'ct');
SELECT excluded_listings FROM mlsync.mls_status WHERE tenant_id = 'opsctl';
\set VERBOSITY terse
SELECT mlsync.mls_exclude_listing('opsctl', 'nowhere', 'x');
SELECT mlsync.mls_exclude_listing('opsctl', 'ct', '');
\set VERBOSITY default

-- records the mapping refuses are kept whole, with their error
INSERT INTO mlsync.mls_mapping_sets (mapping_set) VALUES ('opsctl-strict');
INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, transform, lookup_name)
SELECT 'opsctl-strict', target, source_field, transform, lookup_name FROM mlsync.mls_field_mappings
 WHERE mapping_set = 'reso-dd-2.0';
UPDATE mlsync.mls_field_mappings SET value_map = '{"Pending": "Sold"}'
 WHERE mapping_set = 'opsctl-strict' AND target = 'standard_status';
SELECT connection FROM mlsync.mls_connect('opsctl', 'ct', mapping_set => 'opsctl-strict');
DELETE FROM mlsync.mls_listings WHERE tenant_id = 'opsctl';
SELECT count(*) AS pending FROM mls_test.truth('ct') r WHERE r ->> 'StandardStatus' = 'Pending' \gset
SELECT state, inserted FROM pg_temp.sync('full');
SELECT count(*) = :pending AS one_per_pending,
	   bool_and(s.record = t.r) AS whole_records,
	   bool_and(s.category = 'data') AS data_errors, min(s.error) = max(s.error) AS one_error,
	   bool_and(s.attempts = 1) AS once
  FROM mlsync.mls_skipped_records s
  JOIN mls_test.truth('ct') t(r) ON t.r ->> 'ListingKey' = s.listing_key
 WHERE s.tenant_id = 'opsctl';
SELECT error FROM mlsync.mls_skipped_records WHERE tenant_id = 'opsctl' LIMIT 1;
SELECT skipped_records = :pending AS counted_in_status FROM mlsync.mls_status WHERE tenant_id = 'opsctl';
-- retried before the mapping is fixed, they still fail, one attempt more
SELECT outcome, count(*) FROM mlsync.mls_retry_skipped('opsctl', 'ct') GROUP BY outcome;
SELECT min(attempts), max(attempts) FROM mlsync.mls_skipped_records WHERE tenant_id = 'opsctl';
-- the mapping fixed, they are written and no longer kept, and marked for
-- the next statistics refresh (the sync's marks taken first)
UPDATE mlsync.mls_field_mappings SET value_map = NULL
 WHERE mapping_set = 'opsctl-strict' AND target = 'standard_status';
DELETE FROM mlsync.mls_stats_dirty WHERE tenant_id = 'opsctl';
SELECT outcome, count(*) FROM mlsync.mls_retry_skipped('opsctl', 'ct') GROUP BY outcome;
SELECT count(*) AS still_kept FROM mlsync.mls_skipped_records WHERE tenant_id = 'opsctl';
SELECT count(*) = :pending AS marked_for_the_statistics,
	   bool_and(l.standard_status = 'Pending') AS the_written_ones
  FROM mlsync.mls_stats_dirty d
  JOIN mlsync.mls_listings l USING (tenant_id, connection, listing_key)
 WHERE d.tenant_id = 'opsctl';
SELECT count(*) = :pending AS pending_written FROM mlsync.mls_listings
 WHERE tenant_id = 'opsctl' AND standard_status = 'Pending';
SELECT * FROM mls_test.diff('opsctl', 'ct', 'ct');
-- a listing a later sync writes is current: its skipped record goes too
UPDATE mlsync.mls_field_mappings SET value_map = '{"Pending": "Sold"}'
 WHERE mapping_set = 'opsctl-strict' AND target = 'standard_status';
DELETE FROM mlsync.mls_listings WHERE tenant_id = 'opsctl' AND standard_status = 'Pending';
SELECT state, inserted FROM pg_temp.sync('full');
SELECT count(*) = :pending AS kept_again FROM mlsync.mls_skipped_records WHERE tenant_id = 'opsctl';
UPDATE mlsync.mls_field_mappings SET value_map = NULL
 WHERE mapping_set = 'opsctl-strict' AND target = 'standard_status';
SELECT state, inserted = :pending AS wrote_the_pending FROM pg_temp.sync('full');
SELECT count(*) AS still_kept FROM mlsync.mls_skipped_records WHERE tenant_id = 'opsctl';
-- a kept record older than the stored listing does not overwrite it
UPDATE mlsync.mls_field_mappings SET value_map = '{"Pending": "Sold"}'
 WHERE mapping_set = 'opsctl-strict' AND target = 'standard_status';
UPDATE mlsync.mls_listings SET raw_hash = 0 WHERE tenant_id = 'opsctl' AND standard_status = 'Pending';
SELECT state FROM pg_temp.sync('full');
UPDATE mlsync.mls_skipped_records SET record = jsonb_set(record, '{ModificationTimestamp}', '"2001-01-01T00:00:00Z"')
 WHERE tenant_id = 'opsctl';
UPDATE mlsync.mls_field_mappings SET value_map = NULL
 WHERE mapping_set = 'opsctl-strict' AND target = 'standard_status';
SELECT outcome, count(*) FROM mlsync.mls_retry_skipped('opsctl', 'ct') GROUP BY outcome;
SELECT count(*) FILTER (WHERE modification_timestamp < '2002-01-01') AS overwritten_by_older
  FROM mlsync.mls_listings WHERE tenant_id = 'opsctl';
SELECT connection FROM mlsync.mls_connect('opsctl', 'ct', mapping_set => 'reso-dd-2.0');

-- the listing cap: new listings past it are left out, the stored ones keep
-- being updated; mls_status shows the count; listing_cap_reached is raised
-- once and cleared when the cap is raised
SELECT mls_test.reset('{"mls": "cp", "listings": 30, "seed": 33}') ->> 'count' AS listings;
SELECT connection, action, changed FROM mlsync.mls_connect('opsctl', 'cap', protocol => 'reso',
	endpoint => mls_test.reso_root('cp'), token_url => mls_test.token_url('cp'),
	username => 'mlsync', max_listings => 20);
SELECT mlsync.mls_set_credentials('opsctl', 'cap', client_secret => 's3cret');
SELECT consumer FROM mlsync.mls_subscribe('opsctl-admin', '{listing_cap_reached,listing_cap_reached_cleared}', 'opsctl');
CREATE FUNCTION pg_temp.sync_cap(mode text, OUT state text, OUT inserted bigint,
	OUT updated bigint, OUT capped bigint)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mlsync.mls_sync('opsctl', 'cap', mode => mode, wait => true);
	SELECT h.state, h.inserted, h.updated, h.capped INTO state, inserted, updated, capped
	  FROM mlsync.mls_sync_history h WHERE h.tenant_id = 'opsctl' ORDER BY run_id DESC LIMIT 1;
END
$$;
SELECT * FROM pg_temp.sync_cap('full');
SELECT listings, max_listings, alerts FROM mlsync.mls_status WHERE tenant_id = 'opsctl' AND connection = 'cap';
SELECT payload ->> 'max_listings' AS max_listings, payload ->> 'left_out' AS left_out
  FROM mlsync.mls_events WHERE tenant_id = 'opsctl' AND kind = 'listing_cap_reached';
UPDATE mlsync.mls_listings SET raw_hash = 0
 WHERE tenant_id = 'opsctl' AND connection = 'cap' AND listing_key = (
	SELECT min(listing_key) FROM mlsync.mls_listings WHERE tenant_id = 'opsctl' AND connection = 'cap');
SELECT * FROM pg_temp.sync_cap('full');
SELECT count(*) AS cap_events FROM mlsync.mls_events WHERE tenant_id = 'opsctl' AND kind LIKE 'listing_cap%';
SELECT connection, action, changed FROM mlsync.mls_connect('opsctl', 'cap', max_listings => 40);
SELECT * FROM pg_temp.sync_cap('full');
SELECT listings, max_listings, alerts FROM mlsync.mls_status WHERE tenant_id = 'opsctl' AND connection = 'cap';
SELECT kind FROM mlsync.mls_events WHERE tenant_id = 'opsctl' AND kind LIKE 'listing_cap%' ORDER BY event_id;
-- both were delivered to the subscribed consumer
SELECT kind, connection, attempts FROM mlsync.mls_events_claim('opsctl-admin') ORDER BY event_id;
SELECT mlsync.mls_unsubscribe('opsctl-admin') AS unacknowledged;
SELECT connection, action, changed FROM mlsync.mls_connect('opsctl', 'cap', max_listings => -1);

-- who asked: the role calling mls_sync, not the extension's owner it runs as
CREATE ROLE regress_mls_requester;
SELECT mlsync.mls_grant_tenant('opsctl', 'regress_mls_requester', 'operate');
SET ROLE regress_mls_requester;
SELECT cardinality(mlsync.mls_sync('opsctl', 'cap', mode => 'incremental', wait => true)) AS runs;
RESET ROLE;
SELECT requested_by, trigger FROM mlsync.mls_sync_history WHERE tenant_id = 'opsctl' ORDER BY run_id DESC LIMIT 1;
SELECT requested_by = current_user AS the_superuser
  FROM mlsync.mls_sync_history WHERE tenant_id = 'opsctl' ORDER BY run_id DESC OFFSET 1 LIMIT 1;
SELECT mlsync.mls_revoke_tenant('opsctl', 'regress_mls_requester');
DROP ROLE regress_mls_requester;

DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'opsctl';
DELETE FROM mlsync.mls_mapping_sets WHERE mapping_set = 'opsctl-strict';
