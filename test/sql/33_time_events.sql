-- Time-based events: days-on-market milestones once per listing run (a
-- listing back on market starts a new run), per-tenant milestones, and
-- expiration dates passed while the MLS still says active; any number of
-- runs of mls_detect_time_events raise each event once.  (Concurrent runs:
-- test/t/030_events_delivery.pl.)
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\set VERBOSITY terse
SET timezone = 'UTC';
SET datestyle = 'ISO, MDY';

SELECT tenant_id, dom_milestones FROM mlsync.mls_create_tenant('tim');
SELECT tenant_id, dom_milestones FROM mlsync.mls_create_tenant('tim2', dom_milestones => '{7,14}');
SELECT connection FROM mlsync.mls_connect('tim', 'mls', protocol => 'reso',
										  endpoint => 'https://reso.example.com/odata');
SELECT connection FROM mlsync.mls_connect('tim2', 'mls', protocol => 'reso',
										  endpoint => 'https://reso.example.com/odata');

CREATE TEMP TABLE seen (events bigint);
INSERT INTO seen SELECT coalesce(max(event_id), 0) FROM mlsync.mls_events;
CREATE FUNCTION pg_temp.new_events()
RETURNS TABLE (tenant_id text, listing_key text, kind text, watcher text, payload jsonb) LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY
	SELECT e.tenant_id, e.listing_key, e.kind, e.watcher, e.payload - 'cause_event_id'
	  FROM mlsync.mls_events e
	 WHERE e.event_id > (SELECT events FROM seen)
	   AND e.kind IN ('dom_milestone', 'expiration_passed', 'alert')
	 ORDER BY e.tenant_id, e.listing_key, e.kind, e.watcher;
	UPDATE seen SET events = (SELECT coalesce(max(event_id), 0) FROM mlsync.mls_events);
END $$;

-- Days on market count from the start of the listing's current run: the day
-- it came back on market, else on_market_date, else listing_contract_date,
-- else the day of original_entry_timestamp, else the day mlsync first saw it.
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status,
		on_market_date, listing_contract_date, original_entry_timestamp, first_seen_at, removed_at)
VALUES
	('tim', 'mls', 'T1', 'Active', '2024-01-01', '2023-12-20', NULL, '2024-01-05', NULL),
	('tim', 'mls', 'T2', 'Active', NULL, '2023-12-01', NULL, '2024-01-05', NULL),
	('tim', 'mls', 'T3', 'Active', NULL, NULL, '2023-12-31 23:00:00+00', '2024-01-05', NULL),
	('tim', 'mls', 'T4', 'Active', NULL, NULL, NULL, '2023-12-25 12:00:00+00', NULL),
	('tim', 'mls', 'T5', 'Active', '2024-01-01', NULL, NULL, '2024-01-05', NULL),
	('tim', 'mls', 'P1', 'Pending', '2023-10-01', NULL, NULL, '2024-01-05', NULL),
	('tim', 'mls', 'R1', 'Active', '2023-10-01', NULL, NULL, '2024-01-05', '2024-01-20'),
	('tim2', 'mls', 'U1', 'Active', '2024-01-20', NULL, NULL, '2024-01-20', NULL);
INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection, listing_key) VALUES ('tim', 'w1', 'mls', 'T1');
SELECT count(*) FROM pg_temp.new_events();

SELECT listing_key,
	   mlsync.mls_listing_run_start(tenant_id, connection, listing_key, on_market_date,
									listing_contract_date, original_entry_timestamp, first_seen_at) AS run_start
  FROM mlsync.mls_listings WHERE tenant_id IN ('tim', 'tim2') ORDER BY 1;

-- Day 30 of T1 and T5; T2 is at 61 days (only 60 is raised, 30 is marked
-- passed); T3 and T4 at 31 and 37.  Only tenant tim is asked for.
SELECT mlsync.mls_detect_time_events('tim', '2024-01-31');
SELECT * FROM pg_temp.new_events();
-- again, the same day and the next: nothing new
SELECT mlsync.mls_detect_time_events('tim', '2024-01-31');
SELECT mlsync.mls_detect_time_events(NULL, '2024-02-01');
SELECT * FROM pg_temp.new_events();

-- tim2's milestones are 7 and 14
SELECT mlsync.mls_detect_time_events(NULL, '2024-02-04');
SELECT * FROM pg_temp.new_events();

-- T5 goes pending and comes back on market: a new run starts on the day it
-- came back, and its milestones are raised again in the new run.
UPDATE mlsync.mls_listings SET standard_status = 'Pending', status_change_timestamp = '2024-02-10 15:00:00+00'
 WHERE tenant_id = 'tim' AND listing_key = 'T5';
UPDATE mlsync.mls_listings SET standard_status = 'Active', status_change_timestamp = '2024-02-20 15:00:00+00'
 WHERE tenant_id = 'tim' AND listing_key = 'T5';
SELECT listing_key,
	   mlsync.mls_listing_run_start(tenant_id, connection, listing_key, on_market_date,
									listing_contract_date, original_entry_timestamp, first_seen_at) AS run_start
  FROM mlsync.mls_listings WHERE tenant_id = 'tim' AND listing_key = 'T5';
SELECT mlsync.mls_detect_time_events(NULL, '2024-03-01');
SELECT * FROM pg_temp.new_events();
SELECT mlsync.mls_detect_time_events(NULL, '2024-03-21');
SELECT * FROM pg_temp.new_events();
SELECT mlsync.mls_detect_time_events(NULL, '2024-03-21');

-- What is marked: every milestone of every run, once.
SELECT listing_key, mark_date, milestone FROM mlsync.mls_time_event_marks
 WHERE tenant_id IN ('tim', 'tim2') AND kind = 'dom_milestone' ORDER BY 1, 2, 3;

-- Expiration passed: the date is before as_of and the status still Active or
-- Active Under Contract; once per expiration date.
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, expiration_date, on_market_date)
VALUES ('tim', 'mls', 'E1', 'Active', '2024-05-01', '2024-04-25'),
	   ('tim', 'mls', 'E2', 'Active Under Contract', '2024-04-30', '2024-04-25'),
	   ('tim', 'mls', 'E3', 'Pending', '2024-04-01', '2024-04-25'),
	   ('tim', 'mls', 'E4', 'Active', '2024-05-02', '2024-04-25'),
	   ('tim', 'mls', 'E5', 'Expired', '2024-04-01', '2024-04-25');
SELECT mlsync.mls_detect_time_events('tim', '2024-05-02');
SELECT * FROM pg_temp.new_events();
SELECT mlsync.mls_detect_time_events('tim', '2024-05-02');
SELECT mlsync.mls_detect_time_events('tim', '2024-05-03');
SELECT * FROM pg_temp.new_events();
-- the listing is extended, and that date passes too
UPDATE mlsync.mls_listings SET expiration_date = '2024-06-01' WHERE tenant_id = 'tim' AND listing_key = 'E1';
SELECT mlsync.mls_detect_time_events('tim', '2024-05-20');
SELECT mlsync.mls_detect_time_events('tim', '2024-06-02');
SELECT * FROM pg_temp.new_events();

SELECT mlsync.mls_detect_time_events('tim', NULL);
-- the default is today: run it, then again, and the second finds nothing
SELECT mlsync.mls_detect_time_events() >= 0 AS ran;
SELECT mlsync.mls_detect_time_events() AS again;

-- This file's tenants go (with their listings), so later files see only their own.
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('tim', 'tim2');
