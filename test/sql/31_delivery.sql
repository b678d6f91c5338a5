-- Delivery: named consumers subscribe by tenant and kind; every event is
-- delivered to each matching consumer once; claims hide events for a
-- visibility timeout, acknowledgements remove them, unacknowledged events
-- come back; pruning keeps what a consumer still owes; admin events from
-- mls_emit_event travel the same way.  (Concurrent producers and consumers,
-- NOTIFY and restarts: test/t/030_events_delivery.pl.)
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\set VERBOSITY terse

SELECT tenant_id FROM mlsync.mls_create_tenant('dlv');
SELECT tenant_id FROM mlsync.mls_create_tenant('dlv2');
SELECT connection FROM mlsync.mls_connect('dlv', 'mls', protocol => 'reso',
										  endpoint => 'https://reso.example.com/odata');
SELECT connection FROM mlsync.mls_connect('dlv2', 'mls', protocol => 'reso',
										  endpoint => 'https://reso.example.com/odata');
-- event ids are shown relative to the last id given out before this file
-- (not the highest left: earlier tests' tenants took their events with them)
SELECT coalesce(pg_sequence_last_value('mlsync.mls_events_event_id_seq'), 0) AS base \gset

-- Subscriptions: every kind of every tenant; some kinds of every tenant;
-- every kind of one tenant.  Subscribing again replaces the kinds.
SELECT consumer, tenant, kinds FROM mlsync.mls_subscribe('crm');
SELECT consumer, tenant, kinds FROM mlsync.mls_subscribe('social', ARRAY['sold', 'unpublish_requested']);
SELECT consumer, tenant, kinds FROM mlsync.mls_subscribe('social', ARRAY['unpublish_requested', 'sold', 'sold']);
SELECT consumer, tenant, kinds FROM mlsync.mls_subscribe('dlv-admin', NULL, 'dlv');
-- a second subscription of a consumer that already has one for all tenants
SELECT consumer, tenant, kinds FROM mlsync.mls_subscribe('social', ARRAY['new_listing'], 'dlv2');
SELECT consumer, tenant, kinds FROM mlsync.mls_subscriptions ORDER BY consumer, tenant NULLS FIRST;
-- bad subscriptions
SELECT mlsync.mls_subscribe('Bad Name');
SELECT mlsync.mls_subscribe(NULL);
SELECT mlsync.mls_subscribe('x', ARRAY[]::text[]);
SELECT mlsync.mls_subscribe('x', ARRAY['price reduced']);
SELECT mlsync.mls_subscribe('x', ARRAY['sold', NULL]);
SELECT mlsync.mls_subscribe('x', NULL, 'nobody');

-- Listing events of both tenants.
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price)
VALUES ('dlv', 'mls', 'a1', 'Active', 100000), ('dlv', 'mls', 'a2', 'Active', 200000),
	   ('dlv2', 'mls', 'b1', 'Active', 300000);
UPDATE mlsync.mls_listings SET standard_status = 'Closed' WHERE listing_key IN ('a2', 'b1');
SELECT event_id - :base AS n, tenant_id, kind, listing_key FROM mlsync.mls_events
 WHERE event_id > :base ORDER BY event_id;
-- who gets what: social gets sold and unpublish_requested of both tenants
-- and new_listing of dlv2 (once, though two of its subscriptions match)
SELECT consumer, array_agg(d.event_id - :base ORDER BY d.event_id) AS events, count(*)
  FROM mlsync.mls_event_deliveries d WHERE d.event_id > :base GROUP BY consumer ORDER BY consumer;
SELECT consumer, ready, claimed, redelivered, oldest_event_id - :base AS oldest
  FROM mlsync.mls_event_backlog ORDER BY consumer;

-- Claims: oldest first, at most max_events, each attempt counted.
SELECT event_id - :base AS n, kind, listing_key, attempts FROM mlsync.mls_events_claim('social', 2);
-- claimed events are invisible to the next claim of the consumer
SELECT event_id - :base AS n, kind, listing_key, attempts FROM mlsync.mls_events_claim('social', 10);
SELECT count(*) AS nothing_left FROM mlsync.mls_events_claim('social', 10);
-- other consumers are not affected
SELECT event_id - :base AS n, kind, attempts FROM mlsync.mls_events_claim('dlv-admin', 100);
-- acknowledging: only pending deliveries of this consumer count
SELECT mlsync.mls_events_ack('social', ARRAY[:base + 1, :base + 2, :base + 3, :base + 4, :base + 5]::bigint[]);
SELECT mlsync.mls_events_ack('social', ARRAY[:base + 4]::bigint[]);
SELECT mlsync.mls_events_ack('nobody', ARRAY[:base + 1]::bigint[]);
SELECT mlsync.mls_events_ack('social', '{}');
SELECT consumer, array_agg(d.event_id - :base ORDER BY d.event_id) AS pending
  FROM mlsync.mls_event_deliveries d WHERE d.event_id > :base GROUP BY consumer ORDER BY consumer;

-- An event claimed and never acknowledged comes back after its visibility
-- timeout, with its attempts counted; each claim sets its own timeout.
-- social still holds 6 to 9 under the default minute; a new sale adds two.
UPDATE mlsync.mls_listings SET standard_status = 'Closed' WHERE listing_key = 'a1';
SELECT event_id - :base AS n, kind, attempts FROM mlsync.mls_events_claim('social', 10, '50 milliseconds');
SELECT count(*) AS hidden FROM mlsync.mls_events_claim('social', 10);
SELECT pg_sleep(0.2);
SELECT event_id - :base AS n, kind, attempts FROM mlsync.mls_events_claim('social', 10, '1 hour');
SELECT consumer, ready, claimed, redelivered FROM mlsync.mls_event_backlog WHERE consumer = 'social';
SELECT mlsync.mls_events_ack('social', ARRAY(SELECT event_id FROM mlsync.mls_event_deliveries WHERE consumer = 'social'));
-- bad claims
SELECT * FROM mlsync.mls_events_claim('social', 0);
SELECT * FROM mlsync.mls_events_claim('social', 10, '0 seconds');
SELECT * FROM mlsync.mls_events_claim('social', 10, NULL);

-- The payload a consumer receives is the event's.
SELECT kind, listing_key, payload FROM mlsync.mls_events_claim('crm', 3);

-- Events rolled back with a subtransaction are delivered to nobody.
BEGIN;
SAVEPOINT s;
UPDATE mlsync.mls_listings SET list_price = 90000 WHERE listing_key = 'a1';
ROLLBACK TO SAVEPOINT s;
UPDATE mlsync.mls_listings SET list_price = 95000 WHERE listing_key = 'a1';
COMMIT;
SELECT d.consumer, e.kind, e.payload ->> 'new_price' AS new_price
  FROM mlsync.mls_event_deliveries d JOIN mlsync.mls_events e USING (event_id)
 WHERE e.kind = 'price_reduced' ORDER BY 1;

-- Admin events from the sync engine (private): delivered like any other.
SELECT mlsync.mls_emit_event('dlv', 'connection_disabled', 'mls', NULL,
							 '{"reason": "10 failed runs"}') - :base AS n;
SELECT consumer, kind, payload FROM mlsync.mls_event_deliveries d JOIN mlsync.mls_events e USING (event_id)
 WHERE e.kind = 'connection_disabled' ORDER BY 1;
SELECT mlsync.mls_emit_event('dlv', 'Bad Kind', NULL, NULL, NULL);
SELECT mlsync.mls_emit_event(NULL, 'connection_disabled', NULL, NULL, NULL);

-- Pruning deletes old events nobody owes any more, and keeps the others.
SELECT mlsync.mls_events_ack(c, ARRAY(SELECT event_id FROM mlsync.mls_event_deliveries WHERE consumer = c))
  FROM unnest(ARRAY['dlv-admin', 'social']) c;
-- crm is done with dlv2 (but still owes dlv's events)
SELECT mlsync.mls_events_ack('crm', ARRAY(SELECT d.event_id FROM mlsync.mls_event_deliveries d
											JOIN mlsync.mls_events e USING (event_id)
										   WHERE d.consumer = 'crm' AND e.tenant_id = 'dlv2'));
SELECT count(*) AS owed FROM mlsync.mls_event_deliveries;
SELECT mlsync.mls_events_prune('1 day') AS too_young;
SELECT mlsync.mls_events_prune('0 seconds') >= 4 AS pruned;
SELECT tenant_id, count(*) FROM mlsync.mls_events WHERE tenant_id IN ('dlv', 'dlv2')
 GROUP BY tenant_id ORDER BY 1;
SELECT count(*) = (SELECT count(DISTINCT event_id) FROM mlsync.mls_event_deliveries) AS only_owed_events_left
  FROM mlsync.mls_events;
SELECT mlsync.mls_events_prune('-1 day');
-- a delivery whose event was deleted by other means is dropped by pruning
DELETE FROM mlsync.mls_events WHERE event_id = (SELECT max(event_id) FROM mlsync.mls_event_deliveries);
SELECT count(*) AS owed FROM mlsync.mls_event_deliveries;
SELECT mlsync.mls_events_prune('1 day');
SELECT count(*) AS owed FROM mlsync.mls_event_deliveries;
-- the history is never pruned
SELECT count(*) FROM mlsync.mls_listing_history WHERE tenant_id IN ('dlv', 'dlv2');

-- Unsubscribing drops what the consumer still owes.
SELECT mlsync.mls_unsubscribe('crm');
SELECT count(*) FROM mlsync.mls_event_deliveries WHERE consumer = 'crm';
SELECT consumer FROM mlsync.mls_event_backlog ORDER BY 1;
SELECT mlsync.mls_events_prune('0 seconds');
SELECT count(*) AS events_left FROM mlsync.mls_events;

-- With mlsync.listing_events = off (a restore) inserted events get no
-- deliveries: a dump brings its own.
SET mlsync.listing_events = off;
SELECT mlsync.mls_emit_event('dlv', 'connection_disabled') > 0;
RESET mlsync.listing_events;
SELECT count(*) AS delivered FROM mlsync.mls_event_deliveries;

-- Privileges: the private functions are the owner's; the trigger functions
-- cannot be called.
SELECT p.oid::regprocedure AS function, has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute
  FROM pg_proc p
 WHERE p.pronamespace = 'mlsync'::regnamespace
   AND p.proname IN ('mls_emit_event', 'mls_note_events', 'mls_events_deliver', 'mls_events_alert',
					 'mls_listings_capture_insert', 'mls_listings_capture_update',
					 'mls_events_claim', 'mls_events_ack', 'mls_subscribe')
 ORDER BY 1::text;
SELECT mlsync.mls_events_deliver();

-- Clean up what other files must not see.
SELECT mlsync.mls_unsubscribe(c) FROM unnest(ARRAY['social', 'dlv-admin']) c;

-- This file's tenants go (with their listings), so later files see only their own.
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('dlv', 'dlv2');
