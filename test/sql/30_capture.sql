-- Change capture: every kind of listing event and history row produced
-- exactly once by the change that causes it, through the sync writer's own
-- statement (one INSERT ... ON CONFLICT DO UPDATE per page), reconciliation's
-- UPDATEs and an application's own writes; nothing for an unchanged re-sync,
-- a replayed page, a local edit or bookkeeping.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\set VERBOSITY terse
SET timezone = 'UTC';
SET datestyle = 'ISO, MDY';

SELECT tenant_id FROM mlsync.mls_create_tenant('cap');
SELECT connection FROM mlsync.mls_connect('cap', 'mls', protocol => 'reso',
										  endpoint => 'https://reso.example.com/odata');

-- A RESO record of the test market.
CREATE FUNCTION pg_temp.rec(key text, status text, price numeric, more jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql
RETURN jsonb_build_object('ListingKey', key, 'StandardStatus', status, 'ListPrice', price,
						  'City', 'Springfield', 'PostalCode', '62701', 'BedroomsTotal', 3,
						  'PropertyType', 'Residential', 'PhotosCount', 10,
						  'ModificationTimestamp', '2024-03-01T10:00:00Z',
						  'OriginalEntryTimestamp', '2024-03-01T08:00:00Z') || more;

-- The sync writer: one page of records, mapped by the built-in RESO set, in
-- one statement, exactly as the sync engine writes it.  Returns the number of
-- rows the statement wrote.  (Its generated text is not echoed.)
\set ECHO none
SELECT format($f$
CREATE FUNCTION pg_temp.sync(records jsonb[]) RETURNS bigint LANGUAGE plpgsql AS $b$
DECLARE
	page mlsync.mls_listings[];
	written bigint;
BEGIN
	SELECT array_agg(jsonb_populate_record(mlsync.mls_map_record('reso-dd-2.0', r),
				jsonb_build_object('tenant_id', 'cap', 'connection', 'mls', 'local_overrides', '{}'::jsonb,
								   'first_seen_at', now(), 'last_synced_at', now())))
	  INTO page FROM unnest(records) r;
	INSERT INTO mlsync.mls_listings SELECT * FROM unnest(page)
	ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE
	SET %s, extra = excluded.extra, raw = excluded.raw, raw_hash = excluded.raw_hash,
		last_synced_at = excluded.last_synced_at, removed_at = NULL, conflict = NULL
	WHERE mls_listings.raw_hash IS DISTINCT FROM excluded.raw_hash
	   OR mls_listings.removed_at IS NOT NULL;
	GET DIAGNOSTICS written = ROW_COUNT;
	RETURN written;
END $b$$f$,
	string_agg(format('%I = excluded.%I', column_name, column_name), ', '))
  FROM mlsync.mls_mappable_columns WHERE column_name <> 'listing_key' \gexec
\set ECHO all

-- What each step added: events and history rows after the last look.
CREATE TEMP TABLE seen (events bigint, history bigint);
INSERT INTO seen VALUES (0, 0);
CREATE FUNCTION pg_temp.new_events()
RETURNS TABLE (listing_key text, kind text, payload jsonb) LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY
	SELECT e.listing_key, e.kind, e.payload - 'removed_at'
	  FROM mlsync.mls_events e
	 WHERE e.tenant_id = 'cap' AND e.event_id > (SELECT events FROM seen)
	 ORDER BY e.listing_key, e.event_id;
	UPDATE seen SET events = (SELECT coalesce(max(event_id), 0) FROM mlsync.mls_events);
END $$;
CREATE FUNCTION pg_temp.new_history()
RETURNS TABLE (listing_key text, change text, old_status text, new_status text,
			   old_price numeric, new_price numeric, effective_at timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
	-- effective_at is shown when it is a source time: NULL means observed_at
	RETURN QUERY
	SELECT h.listing_key, h.change, h.old_status, h.new_status, h.old_price, h.new_price,
		   CASE WHEN h.effective_at <> h.observed_at THEN h.effective_at END
	  FROM mlsync.mls_listing_history h
	 WHERE h.tenant_id = 'cap' AND h.history_id > (SELECT history FROM seen)
	 ORDER BY h.listing_key, h.history_id;
	UPDATE seen SET history = (SELECT coalesce(max(history_id), 0) FROM mlsync.mls_listing_history);
END $$;
SELECT count(*) FROM pg_temp.new_events();
SELECT count(*) FROM pg_temp.new_history();

-- Page 1: seven new listings.  Each is listed (history) and a new_listing.
SELECT pg_temp.sync(ARRAY[
	pg_temp.rec('k0', 'Active', 200000),
	pg_temp.rec('k1', 'Active', 500000),
	pg_temp.rec('k2', 'Active', 400000),
	pg_temp.rec('k3', 'Pending', 300000),
	pg_temp.rec('k4', 'Active', 600000, '{"PhotosChangeTimestamp": "2024-03-01T09:00:00Z"}'),
	pg_temp.rec('k5', 'Active', 700000),
	pg_temp.rec('k6', 'ComingSoon', 800000, '{"OriginalEntryTimestamp": null}')]);
SELECT * FROM pg_temp.new_history();
SELECT * FROM pg_temp.new_events();

-- The same page again: no row is written, nothing is recorded.
SELECT pg_temp.sync(ARRAY[
	pg_temp.rec('k0', 'Active', 200000),
	pg_temp.rec('k1', 'Active', 500000),
	pg_temp.rec('k2', 'Active', 400000),
	pg_temp.rec('k3', 'Pending', 300000),
	pg_temp.rec('k4', 'Active', 600000, '{"PhotosChangeTimestamp": "2024-03-01T09:00:00Z"}'),
	pg_temp.rec('k5', 'Active', 700000),
	pg_temp.rec('k6', 'ComingSoon', 800000, '{"OriginalEntryTimestamp": null}')]);
SELECT count(*) AS new_events FROM pg_temp.new_events();
SELECT count(*) AS new_history FROM pg_temp.new_history();

-- Page 2, one statement with changed and new listings (both triggers fire):
-- a price cut, a price increase, a sale, new photos, a listing going
-- pending, coming soon becoming active, a record whose only change is a
-- field no column holds (written, but no event), and two new listings.
\set page2 'ARRAY[pg_temp.rec(''k0'', ''Active'', 200000, ''{"LotFeatures": ["Corner Lot"]}''), pg_temp.rec(''k1'', ''Active'', 450000, ''{"ModificationTimestamp": "2024-03-02T10:00:00Z", "PriceChangeTimestamp": "2024-03-02T09:30:00Z"}''), pg_temp.rec(''k2'', ''Active'', 420000, ''{"ModificationTimestamp": "2024-03-02T10:00:00Z"}''), pg_temp.rec(''k3'', ''Closed'', 300000, ''{"ModificationTimestamp": "2024-03-02T10:00:00Z", "StatusChangeTimestamp": "2024-03-02T09:00:00Z", "ClosePrice": 295000, "CloseDate": "2024-03-02"}''), pg_temp.rec(''k4'', ''Active'', 600000, ''{"PhotosChangeTimestamp": "2024-03-02T09:00:00Z", "PhotosCount": 12}''), pg_temp.rec(''k5'', ''ActiveUnderContract'', 700000, ''{"ModificationTimestamp": "2024-03-02T10:00:00Z"}''), pg_temp.rec(''k6'', ''Active'', 800000, ''{"OriginalEntryTimestamp": null, "ModificationTimestamp": "2024-03-02T10:00:00Z"}''), pg_temp.rec(''k7'', ''Active'', 350000), pg_temp.rec(''k8'', ''Active'', 250000)]'
SELECT pg_temp.sync(:page2);
SELECT * FROM pg_temp.new_history();
SELECT * FROM pg_temp.new_events();

-- Page 2 replayed (a sync that resumes from an earlier watermark): nothing.
SELECT pg_temp.sync(:page2);
SELECT count(*) AS new_events FROM pg_temp.new_events();
SELECT count(*) AS new_history FROM pg_temp.new_history();

-- Page 3: off the market in every way.  Expired, canceled (a withdrawn
-- event), on hold (status_changed only), and withdrawn after canceled (no
-- second withdrawn event).
SELECT pg_temp.sync(ARRAY[
	pg_temp.rec('k1', 'Canceled', 450000, '{"ModificationTimestamp": "2024-03-03T10:00:00Z"}'),
	pg_temp.rec('k2', 'Expired', 420000, '{"ModificationTimestamp": "2024-03-03T10:00:00Z"}'),
	pg_temp.rec('k4', 'Hold', 600000, '{"PhotosChangeTimestamp": "2024-03-02T09:00:00Z", "PhotosCount": 12, "ModificationTimestamp": "2024-03-03T10:00:00Z"}')]);
SELECT * FROM pg_temp.new_events();
SELECT pg_temp.sync(ARRAY[
	pg_temp.rec('k1', 'Withdrawn', 450000, '{"ModificationTimestamp": "2024-03-04T10:00:00Z"}')]);
SELECT * FROM pg_temp.new_events();
SELECT count(*) FROM pg_temp.new_history();

-- Page 4: back on the market, from withdrawn, expired, under contract and
-- hold; each is also a status change.
SELECT pg_temp.sync(ARRAY[
	pg_temp.rec('k1', 'Active', 450000, '{"ModificationTimestamp": "2024-03-05T10:00:00Z"}'),
	pg_temp.rec('k2', 'Active', 399000, '{"ModificationTimestamp": "2024-03-05T10:00:00Z"}'),
	pg_temp.rec('k4', 'Active', 600000, '{"PhotosChangeTimestamp": "2024-03-02T09:00:00Z", "PhotosCount": 12, "ModificationTimestamp": "2024-03-05T10:00:00Z"}'),
	pg_temp.rec('k5', 'Active', 700000, '{"ModificationTimestamp": "2024-03-05T10:00:00Z"}')]);
SELECT * FROM pg_temp.new_events();
SELECT * FROM pg_temp.new_history();

-- The application's own writes.  Local overrides and bookkeeping are not
-- listing events; an edit of the listing's price or status is.
UPDATE mlsync.mls_listings SET local_overrides = '{"public_remarks": "Open house Sunday"}'
 WHERE tenant_id = 'cap' AND listing_key = 'k5';
UPDATE mlsync.mls_listings SET last_synced_at = now() - interval '1 hour', extra = '{"note": 1}'
 WHERE tenant_id = 'cap';
SELECT count(*) AS new_events FROM pg_temp.new_events();
UPDATE mlsync.mls_listings SET list_price = 690000, standard_status = 'Pending'
 WHERE tenant_id = 'cap' AND listing_key = 'k5';
SELECT * FROM pg_temp.new_events();
SELECT * FROM pg_temp.new_history();
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price)
VALUES ('cap', 'mls', 'own-1', 'Active', 100000);
SELECT * FROM pg_temp.new_events();
-- without source timestamps, the history's effective time is when it was observed
SELECT * FROM pg_temp.new_history();
-- deleting a listing row is not a listing event
DELETE FROM mlsync.mls_listings WHERE tenant_id = 'cap' AND listing_key = 'own-1';
SELECT count(*) AS new_events FROM pg_temp.new_events();
SELECT count(*) AS new_history FROM pg_temp.new_history();

-- Reconciliation: a listing gone at the source is removed (status Delete),
-- unless it has local overrides: then it is flagged, with no status change.
UPDATE mlsync.mls_listings SET removed_at = now(), standard_status = 'Delete'
 WHERE tenant_id = 'cap' AND listing_key IN ('k6', 'k7') AND local_overrides = '{}';
UPDATE mlsync.mls_listings SET conflict = 'removed_at_source'
 WHERE tenant_id = 'cap' AND listing_key = 'k5' AND local_overrides <> '{}';
SELECT * FROM pg_temp.new_events();
SELECT * FROM pg_temp.new_history();
SELECT listing_key, (removed_at = (SELECT h.effective_at FROM mlsync.mls_listing_history h
									 WHERE h.tenant_id = 'cap' AND h.listing_key = l.listing_key
									   AND h.change = 'removed')) AS removed_effective_at_removed_at
  FROM mlsync.mls_listings l WHERE tenant_id = 'cap' AND removed_at IS NOT NULL ORDER BY 1;
-- Marking again what is already removed or flagged records nothing.
UPDATE mlsync.mls_listings SET removed_at = now(), standard_status = 'Delete'
 WHERE tenant_id = 'cap' AND listing_key IN ('k6', 'k7');
UPDATE mlsync.mls_listings SET conflict = 'removed_at_source'
 WHERE tenant_id = 'cap' AND listing_key = 'k5';
SELECT count(*) AS new_events FROM pg_temp.new_events();
SELECT count(*) AS new_history FROM pg_temp.new_history();

-- A removed listing that comes back: the writer rewrites it even though its
-- record did not change (removed_at is set), and it is back on market.
SELECT pg_temp.sync(ARRAY[pg_temp.rec('k7', 'Active', 350000)]);
SELECT * FROM pg_temp.new_events();
SELECT * FROM pg_temp.new_history();
SELECT listing_key, removed_at IS NULL AS back FROM mlsync.mls_listings
 WHERE tenant_id = 'cap' AND listing_key = 'k7';

-- mlsync.listing_events: history_only records history but raises no
-- listing event (an initial load); off records nothing (a restore).
SELECT current_setting('mlsync.listing_events');
SET mlsync.listing_events = history_only;
SELECT pg_temp.sync(ARRAY[pg_temp.rec('k8', 'Active', 240000, '{"ModificationTimestamp": "2024-03-06T10:00:00Z"}'),
						  pg_temp.rec('k9', 'Active', 990000)]);
SELECT count(*) AS new_events FROM pg_temp.new_events();
SELECT listing_key, change, old_price, new_price FROM pg_temp.new_history();
SET mlsync.listing_events = off;
SELECT pg_temp.sync(ARRAY[pg_temp.rec('k8', 'Pending', 230000, '{"ModificationTimestamp": "2024-03-07T10:00:00Z"}'),
						  pg_temp.rec('k10', 'Active', 990000)]);
SELECT count(*) AS new_events FROM pg_temp.new_events();
SELECT count(*) AS new_history FROM pg_temp.new_history();
RESET mlsync.listing_events;
SET mlsync.listing_events = sometimes;

-- Every kind exactly once per change that causes it, over the whole file.
SELECT kind, count(*) FROM mlsync.mls_events WHERE tenant_id = 'cap' GROUP BY kind ORDER BY kind;
SELECT change, count(*) FROM mlsync.mls_listing_history WHERE tenant_id = 'cap' GROUP BY change ORDER BY change;

-- Only the owner may set the switch; application roles write listings
-- (with the operate privilege on their tenant) and the triggers, SECURITY
-- DEFINER, write the history and the events for them.
CREATE ROLE regress_cap_app;
SELECT mlsync.mls_grant_tenant('cap', 'regress_cap_app', 'operate');
SET ROLE regress_cap_app;
SET mlsync.listing_events = off;
UPDATE mlsync.mls_listings SET list_price = 425000 WHERE tenant_id = 'cap' AND listing_key = 'k1';
SELECT count(*) FROM mlsync.mls_events
 WHERE listing_key = 'k1' AND kind = 'price_reduced' AND payload ->> 'new_price' = '425000.00';
RESET ROLE;
SELECT * FROM pg_temp.new_events();
SELECT mlsync.mls_revoke_tenant('cap', 'regress_cap_app');
DROP ROLE regress_cap_app;

-- This file's tenants go (with their listings), so later files see only their own.
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('cap');
