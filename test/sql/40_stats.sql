-- Market statistics against an independent computation (docs/features.md F16).
--
-- A small market is built by hand: twenty listings of tenant acme over
-- September 2024 - July 2025, and two of tenant beta (Los Angeles time,
-- months of supply from pending sales).  mlsync first synced acme on
-- 2025-03-01: listings on the market before that have only the 'listed'
-- history row of that sync (their past comes from their dates); later ones
-- have the rows the history triggers write.  Two acme listings have no
-- history at all.  The listings are loaded with session_replication_role =
-- replica, so history triggers (when they exist) add nothing: the history
-- rows below are written as those triggers would.
--
-- The test then checks, in this order:
--  1. the facts of every listing (listed, pending, closed, days on market,
--     the days it was active) against what really happened, written by hand;
--  2. every figure of every series and period of mls_stats_compute against a
--     brute-force computation from those hand-written facts;
--  3. figures worked out by hand in the comments;
--  4. market_stats, mls_refresh_stats and mls_market_stats.
\pset pager off
SET client_min_messages = warning;
SET datestyle = ISO;

SELECT (mlsync.mls_create_tenant('acme')).tenant_id AS acme,
	   (mlsync.mls_create_tenant('beta')).tenant_id AS beta;
SELECT connection FROM mlsync.mls_connect('acme', 'crmls', protocol => 'reso', endpoint => 'https://reso.example.com/odata');
SELECT connection FROM mlsync.mls_connect('beta', 'west', protocol => 'reso', endpoint => 'https://reso.example.com/odata');
INSERT INTO mlsync.mls_stats_settings (tenant_id, time_zone, months_of_supply_basis)
VALUES ('beta', 'America/Los_Angeles', 'pending');

SET session_replication_role = replica;

INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, property_type,
	list_price, original_list_price, close_price, listing_contract_date, on_market_date,
	purchase_contract_date, close_date, off_market_date, status_change_timestamp, living_area,
	city, postal_code, county_or_parish, subdivision_name, removed_at)
VALUES
-- on the market before the first sync (2025-03-01)
('acme', 'crmls', 'A1', 'Closed', 'Residential', 500000, 520000, 490000, '2024-10-28', '2024-11-04', '2025-01-10', '2025-02-14', NULL, NULL, 2000, 'Alton', '90001', 'North', 'Oaks', NULL),
('acme', 'crmls', 'A2', 'Closed', 'Residential', 600000, 600000, 612000, '2024-11-25', '2024-12-02', '2025-02-03', '2025-03-20', NULL, NULL, 2400, 'Alton', '90001', 'North', 'Oaks', NULL),
('acme', 'crmls', 'A3', 'Closed', 'Residential Income', 400000, 410000, 404000, '2024-12-30', '2025-01-06', '2025-03-15', '2025-04-18', NULL, NULL, 1600, 'Alton', '90001', 'North', 'Oaks', NULL),
('acme', 'crmls', 'A4', 'Expired', 'Residential', 350000, 365000, NULL, '2024-09-30', '2024-10-07', NULL, NULL, '2025-01-31', NULL, 1800, 'Brook', '90002', 'North', 'Pines', NULL),
('acme', 'crmls', 'A5', 'Active', 'Residential', 700000, 700000, NULL, '2025-02-03', '2025-02-10', NULL, NULL, NULL, NULL, 2800, 'Brook', '90002', 'North', 'Pines', NULL),
-- withdrawn: only its status change timestamp says when
('acme', 'crmls', 'A6', 'Withdrawn', 'Residential', 420000, 440000, NULL, '2024-08-26', '2024-09-02', NULL, NULL, NULL, '2024-12-20 10:00+00', 1700, 'Brook', '90002', 'North', 'Pines', NULL),
('acme', 'crmls', 'A7', 'Closed', 'Residential', 300000, 300000, 306000, '2025-01-13', '2025-01-20', '2025-02-25', '2025-03-28', NULL, NULL, 1500, 'Cedar', '90003', 'South', NULL, NULL),
-- no on-market date; pending, back on market, pending again, closed
('acme', 'crmls', 'A8', 'Closed', 'Residential', 550000, 575000, 545000, '2025-02-01', NULL, '2025-04-07', '2025-05-09', NULL, NULL, 2200, 'Alton', '90001', 'North', 'Oaks', NULL),
-- listed after the first sync
('acme', 'crmls', 'B1', 'Closed', 'Residential', 520000, 520000, 530000, '2025-02-24', '2025-03-03', '2025-03-31', '2025-05-02', NULL, NULL, 2100, 'Alton', '90001', 'North', 'Oaks', NULL),
('acme', 'crmls', 'B2', 'Closed', 'Residential', 650000, 680000, 640000, '2025-03-10', '2025-03-17', '2025-04-14', '2025-05-30', NULL, NULL, 2600, 'Brook', '90002', 'North', 'Pines', NULL),
('acme', 'crmls', 'B3', 'Active', 'Residential Income', 450000, 465000, NULL, '2025-03-25', '2025-04-01', NULL, NULL, NULL, NULL, 1900, 'Brook', '90002', 'North', 'Pines', NULL),
-- went pending, the contract fell through (the MLS cleared the date)
('acme', 'crmls', 'B4', 'Active', 'Residential', 480000, 480000, NULL, '2025-04-14', '2025-04-21', NULL, NULL, NULL, NULL, 2000, 'Alton', '90001', 'North', 'Oaks', NULL),
-- removed at the source
('acme', 'crmls', 'B5', 'Delete', 'Residential', 330000, 330000, NULL, '2025-05-05', '2025-05-12', NULL, NULL, NULL, NULL, 1400, 'Cedar', '90003', 'South', NULL, '2025-06-02 10:00+00'),
-- left out: Incomplete, and Delete that mlsync did not find removed
('acme', 'crmls', 'B6', 'Incomplete', 'Residential', 999000, 999000, NULL, '2025-04-28', '2025-05-01', NULL, NULL, NULL, NULL, 3000, 'Alton', '90001', 'North', 'Oaks', NULL),
('acme', 'crmls', 'B7', 'Delete', 'Residential', 888000, 888000, NULL, '2025-04-28', '2025-05-01', NULL, NULL, NULL, NULL, 3000, 'Brook', '90002', 'North', 'Pines', NULL),
-- first seen Coming Soon, a week after it was entered
('acme', 'crmls', 'B8', 'Active', 'Residential', 610000, 610000, NULL, '2025-05-26', '2025-06-09', NULL, NULL, NULL, NULL, 2300, 'Alton', '90001', 'North', 'Oaks', NULL),
('acme', 'crmls', 'B9', 'Active Under Contract', 'Residential', 720000, 720000, NULL, '2025-06-09', '2025-06-16', '2025-07-01', NULL, NULL, NULL, 2700, 'Brook', '90002', 'North', 'Pines', NULL),
-- closed without ever being pending; no living area
('acme', 'crmls', 'B10', 'Closed', 'Residential Income', 380000, 380000, 372000, '2025-05-19', '2025-05-26', NULL, '2025-07-08', NULL, NULL, NULL, 'Alton', '90001', 'North', 'Oaks', NULL),
-- loaded before there was any history
('acme', 'crmls', 'C1', 'Active', 'Residential', 310000, 310000, NULL, '2025-02-10', '2025-02-17', NULL, NULL, NULL, NULL, 1450, 'Cedar', '90003', 'South', NULL, NULL),
('acme', 'crmls', 'C2', 'Closed', 'Residential', 290000, 295000, 280000, '2025-01-06', '2025-01-13', '2025-02-10', '2025-03-14', NULL, NULL, 1400, 'Cedar', '90003', 'South', NULL, NULL),
-- beta, in Los Angeles: D1 went pending at 2025-04-01 03:00 UTC, March 31 there
('beta', 'west', 'D1', 'Pending', 'Residential', 800000, 800000, NULL, '2025-03-01', '2025-03-03', NULL, NULL, NULL, '2025-04-01 03:00+00', 2000, 'Dale', '91001', 'West', 'Elms', NULL),
('beta', 'west', 'D2', 'Active', 'Residential', 900000, 900000, NULL, '2025-03-07', '2025-03-10', NULL, NULL, NULL, NULL, 2500, 'Dale', '91001', 'West', 'Elms', NULL);

-- History, as the triggers write it: 'listed' when a listing is inserted
-- (effective at its original entry), 'status' and 'price' on changes
-- (effective at the source's change timestamp), 'removed' when it is gone.
INSERT INTO mlsync.mls_listing_history (tenant_id, connection, listing_key, change, old_status, new_status,
	old_price, new_price, effective_at, observed_at)
VALUES
-- the first full sync, 2025-03-01 10:00: each listing as it was then
('acme', 'crmls', 'A1', 'listed', NULL, 'Closed', NULL, 500000, '2024-11-04 09:00+00', '2025-03-01 10:00+00'),
('acme', 'crmls', 'A2', 'listed', NULL, 'Pending', NULL, 600000, '2024-12-02 09:00+00', '2025-03-01 10:00+00'),
('acme', 'crmls', 'A3', 'listed', NULL, 'Active', NULL, 400000, '2025-01-06 09:00+00', '2025-03-01 10:00+00'),
('acme', 'crmls', 'A4', 'listed', NULL, 'Expired', NULL, 350000, '2024-10-07 09:00+00', '2025-03-01 10:00+00'),
('acme', 'crmls', 'A5', 'listed', NULL, 'Active', NULL, 700000, '2025-02-10 09:00+00', '2025-03-01 10:00+00'),
('acme', 'crmls', 'A6', 'listed', NULL, 'Withdrawn', NULL, 420000, '2024-09-02 09:00+00', '2025-03-01 10:00+00'),
('acme', 'crmls', 'A7', 'listed', NULL, 'Pending', NULL, 300000, '2025-01-20 09:00+00', '2025-03-01 10:00+00'),
('acme', 'crmls', 'A8', 'listed', NULL, 'Active', NULL, 575000, '2025-02-01 09:00+00', '2025-03-01 10:00+00'),
-- what incremental syncs saw afterwards
('acme', 'crmls', 'A2', 'status', 'Pending', 'Closed', NULL, NULL, '2025-03-20 10:00+00', '2025-03-20 10:15+00'),
('acme', 'crmls', 'A3', 'status', 'Active', 'Pending', NULL, NULL, '2025-03-15 10:00+00', '2025-03-15 10:15+00'),
('acme', 'crmls', 'A3', 'status', 'Pending', 'Closed', NULL, NULL, '2025-04-18 10:00+00', '2025-04-18 10:15+00'),
('acme', 'crmls', 'A7', 'status', 'Pending', 'Closed', NULL, NULL, '2025-03-28 10:00+00', '2025-03-28 10:15+00'),
('acme', 'crmls', 'A8', 'price', NULL, NULL, 575000, 550000, '2025-03-05 10:00+00', '2025-03-05 10:15+00'),
('acme', 'crmls', 'A8', 'status', 'Active', 'Pending', NULL, NULL, '2025-03-10 10:00+00', '2025-03-10 10:15+00'),
('acme', 'crmls', 'A8', 'status', 'Pending', 'Active', NULL, NULL, '2025-03-24 10:00+00', '2025-03-24 10:15+00'),
('acme', 'crmls', 'A8', 'status', 'Active', 'Pending', NULL, NULL, '2025-04-07 10:00+00', '2025-04-07 10:15+00'),
('acme', 'crmls', 'A8', 'status', 'Pending', 'Closed', NULL, NULL, '2025-05-09 10:00+00', '2025-05-09 10:15+00'),
('acme', 'crmls', 'B1', 'listed', NULL, 'Active', NULL, 520000, '2025-03-03 09:00+00', '2025-03-03 11:00+00'),
('acme', 'crmls', 'B1', 'status', 'Active', 'Pending', NULL, NULL, '2025-03-31 10:00+00', '2025-03-31 10:15+00'),
('acme', 'crmls', 'B1', 'status', 'Pending', 'Closed', NULL, NULL, '2025-05-02 10:00+00', '2025-05-02 10:15+00'),
('acme', 'crmls', 'B2', 'listed', NULL, 'Active', NULL, 680000, '2025-03-17 09:00+00', '2025-03-17 11:00+00'),
('acme', 'crmls', 'B2', 'status', 'Active', 'Pending', NULL, NULL, '2025-04-14 10:00+00', '2025-04-14 10:15+00'),
('acme', 'crmls', 'B2', 'status', 'Pending', 'Closed', NULL, NULL, '2025-05-30 10:00+00', '2025-05-30 10:15+00'),
('acme', 'crmls', 'B3', 'listed', NULL, 'Active', NULL, 465000, '2025-04-01 09:00+00', '2025-04-01 11:00+00'),
('acme', 'crmls', 'B3', 'price', NULL, NULL, 465000, 450000, '2025-05-01 10:00+00', '2025-05-01 10:15+00'),
('acme', 'crmls', 'B4', 'listed', NULL, 'Active', NULL, 480000, '2025-04-21 09:00+00', '2025-04-21 11:00+00'),
('acme', 'crmls', 'B4', 'status', 'Active', 'Pending', NULL, NULL, '2025-05-05 10:00+00', '2025-05-05 10:15+00'),
('acme', 'crmls', 'B4', 'status', 'Pending', 'Active', NULL, NULL, '2025-05-19 10:00+00', '2025-05-19 10:15+00'),
('acme', 'crmls', 'B5', 'listed', NULL, 'Active', NULL, 330000, '2025-05-12 09:00+00', '2025-05-12 11:00+00'),
('acme', 'crmls', 'B5', 'removed', 'Active', 'Delete', NULL, NULL, '2025-06-02 10:00+00', '2025-06-02 10:00+00'),
('acme', 'crmls', 'B6', 'listed', NULL, 'Active', NULL, 999000, '2025-05-01 09:00+00', '2025-05-01 11:00+00'),
('acme', 'crmls', 'B7', 'listed', NULL, 'Active', NULL, 888000, '2025-05-01 09:00+00', '2025-05-01 11:00+00'),
('acme', 'crmls', 'B8', 'listed', NULL, 'Coming Soon', NULL, 610000, '2025-05-26 09:00+00', '2025-06-02 11:00+00'),
('acme', 'crmls', 'B8', 'status', 'Coming Soon', 'Active', NULL, NULL, '2025-06-09 10:00+00', '2025-06-09 10:15+00'),
('acme', 'crmls', 'B9', 'listed', NULL, 'Active', NULL, 720000, '2025-06-16 09:00+00', '2025-06-16 11:00+00'),
('acme', 'crmls', 'B9', 'status', 'Active', 'Active Under Contract', NULL, NULL, '2025-07-01 10:00+00', '2025-07-01 10:15+00'),
('acme', 'crmls', 'B10', 'listed', NULL, 'Active', NULL, 380000, '2025-05-26 09:00+00', '2025-05-26 11:00+00'),
('acme', 'crmls', 'B10', 'status', 'Active', 'Closed', NULL, NULL, '2025-07-08 10:00+00', '2025-07-08 10:15+00'),
('beta', 'west', 'D1', 'listed', NULL, 'Active', NULL, 800000, '2025-03-03 17:00+00', '2025-03-03 18:00+00'),
('beta', 'west', 'D1', 'status', 'Active', 'Pending', NULL, NULL, '2025-04-01 03:00+00', '2025-04-01 03:15+00'),
('beta', 'west', 'D2', 'listed', NULL, 'Active', NULL, 900000, '2025-03-10 17:00+00', '2025-03-10 18:00+00');

RESET session_replication_role;

-- What really happened, written by hand from the story of each listing (not
-- from the rules): when it was listed, went pending, closed, and the days it
-- was active ([from, to), to NULL: still active).
CREATE TEMP TABLE truth (tenant_id text, listing_key text, listed_on date, pending_on date,
						 closed_on date, days_on_market integer, active datemultirange);
INSERT INTO truth VALUES
('acme', 'A1', '2024-11-04', '2025-01-10', '2025-02-14', 67, '{[2024-11-04,2025-01-10)}'),
('acme', 'A2', '2024-12-02', '2025-02-03', '2025-03-20', 63, '{[2024-12-02,2025-02-03)}'),
('acme', 'A3', '2025-01-06', '2025-03-15', '2025-04-18', 68, '{[2025-01-06,2025-03-15)}'),
('acme', 'A4', '2024-10-07', NULL, NULL, NULL, '{[2024-10-07,2025-01-31)}'),
('acme', 'A5', '2025-02-10', NULL, NULL, NULL, '{[2025-02-10,)}'),
('acme', 'A6', '2024-09-02', NULL, NULL, NULL, '{[2024-09-02,2024-12-20)}'),
('acme', 'A7', '2025-01-20', '2025-02-25', '2025-03-28', 36, '{[2025-01-20,2025-02-25)}'),
('acme', 'A8', '2025-02-01', '2025-04-07', '2025-05-09', 65, '{[2025-02-01,2025-03-10),[2025-03-24,2025-04-07)}'),
('acme', 'B1', '2025-03-03', '2025-03-31', '2025-05-02', 28, '{[2025-03-03,2025-03-31)}'),
('acme', 'B2', '2025-03-17', '2025-04-14', '2025-05-30', 28, '{[2025-03-17,2025-04-14)}'),
('acme', 'B3', '2025-04-01', NULL, NULL, NULL, '{[2025-04-01,)}'),
('acme', 'B4', '2025-04-21', '2025-05-05', NULL, 14, '{[2025-04-21,2025-05-05),[2025-05-19,)}'),
('acme', 'B5', '2025-05-12', NULL, NULL, NULL, '{[2025-05-12,2025-06-02)}'),
('acme', 'B8', '2025-06-09', NULL, NULL, NULL, '{[2025-06-09,)}'),
('acme', 'B9', '2025-06-16', '2025-07-01', NULL, 15, '{[2025-06-16,2025-07-01)}'),
('acme', 'B10', '2025-05-26', NULL, '2025-07-08', 43, '{[2025-05-26,2025-07-08)}'),
('acme', 'C1', '2025-02-17', NULL, NULL, NULL, '{[2025-02-17,)}'),
('acme', 'C2', '2025-01-13', '2025-02-10', '2025-03-14', 28, '{[2025-01-13,2025-02-10)}'),
('beta', 'D1', '2025-03-03', '2025-03-31', NULL, 28, '{[2025-03-03,2025-03-31)}'),
('beta', 'D2', '2025-03-10', NULL, NULL, NULL, '{[2025-03-10,)}');

-- "As of" 2025-07-15 03:00 UTC: July 15 for acme (UTC), July 14 for beta.
\set as_of '''2025-07-15 03:00+00'''

-- 1. facts: every listing that counts, and nothing else, as it really was
SELECT f.tenant_id, f.listing_key, f.as_of_day, f.listed_on, f.pending_on, f.closed_on,
	   f.days_on_market, f.active
  FROM mlsync.mls_stats_listing_facts(:as_of) f
 ORDER BY f.tenant_id, f.listing_key;

SELECT count(*) AS facts_differing_from_truth
  FROM (SELECT tenant_id, listing_key, listed_on, pending_on, closed_on, days_on_market, active
		  FROM mlsync.mls_stats_listing_facts(:as_of)
		EXCEPT
		SELECT tenant_id, listing_key, listed_on, pending_on, closed_on, days_on_market, active
		  FROM truth) d;
SELECT count(*) AS truth_missing_from_facts
  FROM (SELECT tenant_id, listing_key FROM truth
		EXCEPT
		SELECT tenant_id, listing_key FROM mlsync.mls_stats_listing_facts(:as_of)) d;

-- 2. every figure against a brute-force computation from the truth
CREATE TEMP TABLE actual AS SELECT * FROM mlsync.mls_stats_compute(:as_of);

CREATE TEMP TABLE member AS       -- the series each listing belongs to
SELECT t.*, a.area_type, a.area, p.property_type, l.close_price, l.list_price,
	   l.original_list_price, l.living_area
  FROM truth t
  JOIN mlsync.mls_listings l USING (tenant_id, listing_key)
 CROSS JOIN LATERAL (VALUES ('all', 'all'), ('city', l.city), ('postal_code', l.postal_code),
						   ('county', l.county_or_parish), ('subdivision', l.subdivision_name)) a(area_type, area)
 CROSS JOIN LATERAL (VALUES ('all'), (l.property_type)) p(property_type)
 WHERE a.area IS NOT NULL AND p.property_type IS NOT NULL;

CREATE TEMP TABLE grid AS         -- every series and period, with its bounds
SELECT s.tenant_id, s.area_type, s.area, s.property_type, k.period, k.period_start,
	   (k.period_start + k.len - 1)::date AS period_end,
	   o.as_of_day, o.basis,
	   (k.period_start - k.len)::date AS prev_start
  FROM (SELECT DISTINCT tenant_id, area_type, area, property_type FROM member) s
  JOIN (VALUES ('acme', date '2025-07-15', 'closed'), ('beta', date '2025-07-14', 'pending'))
	   o(tenant_id, as_of_day, basis) USING (tenant_id)
 CROSS JOIN LATERAL (
	SELECT 'month' AS period, m::date AS period_start, NULL::date AS x,
		   ((m + interval '1 month')::date - m::date) AS len
	  FROM generate_series(date_trunc('month', o.as_of_day - interval '24 months'),
						   date_trunc('month', o.as_of_day), interval '1 month') m
	UNION ALL
	SELECT 'week', w::date, NULL, 7
	  FROM generate_series(date_trunc('week', o.as_of_day - interval '24 months'),
						   date_trunc('week', o.as_of_day), interval '1 week') w) k;
-- a month's previous period starts a month earlier, not len days earlier
UPDATE grid SET prev_start = (period_start - interval '1 month')::date WHERE period = 'month';

CREATE TEMP TABLE expected AS
SELECT g.tenant_id, g.area_type, g.area, g.property_type, g.period, g.period_start, g.period_end,
	   g.period_end < g.as_of_day AS complete, g.as_of_day AS as_of,
	   inv.n AS active_inventory, inv.n - prev_inv.n AS active_inventory_change,
	   round(100.0 * (inv.n - prev_inv.n) / nullif(prev_inv.n, 0), 2) AS active_inventory_change_pct,
	   fl.new_listings, fl.pending_sales, fl.closed_sales, fl.median_dom,
	   round(cur.median_price::numeric, 2) AS median_price,
	   round((100 * (cur.median_price - prev.median_price) / prev.median_price)::numeric, 2) AS median_price_change_pct,
	   round(cur.average_price, 2) AS average_price,
	   round(100 * (cur.average_price - prev.average_price) / prev.average_price, 2) AS average_price_change_pct,
	   cur.list_ratio, cur.original_ratio,
	   round(inv.n / nullif(pace.p, 0), 2) AS months_of_supply, g.basis,
	   round(100 * pace.p / nullif(inv.n, 0), 2) AS absorption_rate_pct,
	   cur.median_ppsf
  FROM grid g
 CROSS JOIN LATERAL (SELECT count(*) AS n FROM member m
					  WHERE (m.tenant_id, m.area_type, m.area, m.property_type) = (g.tenant_id, g.area_type, g.area, g.property_type)
						AND m.active @> least(g.period_end, g.as_of_day)) inv
 CROSS JOIN LATERAL (SELECT count(*) AS n FROM member m
					  WHERE (m.tenant_id, m.area_type, m.area, m.property_type) = (g.tenant_id, g.area_type, g.area, g.property_type)
						AND m.active @> (g.period_start - 1)) prev_inv
 CROSS JOIN LATERAL (
	SELECT count(*) FILTER (WHERE m.listed_on BETWEEN g.period_start AND g.period_end) AS new_listings,
		   count(*) FILTER (WHERE m.pending_on BETWEEN g.period_start AND g.period_end) AS pending_sales,
		   count(*) FILTER (WHERE m.closed_on BETWEEN g.period_start AND g.period_end) AS closed_sales,
		   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY m.days_on_market)
				 FILTER (WHERE m.pending_on BETWEEN g.period_start AND g.period_end
						 OR m.closed_on BETWEEN g.period_start AND g.period_end)::numeric, 1) AS median_dom
	  FROM member m
	 WHERE (m.tenant_id, m.area_type, m.area, m.property_type) = (g.tenant_id, g.area_type, g.area, g.property_type)) fl
 CROSS JOIN LATERAL (
	SELECT CASE WHEN g.basis = 'pending' THEN fl.pending_sales ELSE fl.closed_sales END
		   * CASE WHEN g.period = 'week' THEN 365.25 / 12 / 7 ELSE 1 END AS p) pace
 CROSS JOIN LATERAL (
	SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY m.close_price) AS median_price,
		   avg(m.close_price) AS average_price,
		   round(avg(m.close_price / m.list_price) FILTER (WHERE m.list_price > 0), 4) AS list_ratio,
		   round(avg(m.close_price / m.original_list_price) FILTER (WHERE m.original_list_price > 0), 4) AS original_ratio,
		   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY m.close_price / m.living_area)
				 FILTER (WHERE m.living_area > 0)::numeric, 2) AS median_ppsf
	  FROM member m
	 WHERE (m.tenant_id, m.area_type, m.area, m.property_type) = (g.tenant_id, g.area_type, g.area, g.property_type)
	   AND m.closed_on BETWEEN g.period_start AND g.period_end AND m.close_price IS NOT NULL) cur
 CROSS JOIN LATERAL (
	SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY m.close_price) AS median_price,
		   avg(m.close_price) AS average_price
	  FROM member m
	 WHERE (m.tenant_id, m.area_type, m.area, m.property_type) = (g.tenant_id, g.area_type, g.area, g.property_type)
	   AND m.closed_on >= g.prev_start AND m.closed_on < g.period_start AND m.close_price IS NOT NULL) prev;

SELECT (SELECT count(*) FROM actual) AS rows_computed, (SELECT count(*) FROM expected) AS rows_expected,
	   (SELECT count(DISTINCT (tenant_id, area_type, area, property_type)) FROM actual) AS series;

-- rows that differ in any figure, either way (figures compared at their rounding)
CREATE TEMP VIEW actual_rounded AS
SELECT tenant_id, area_type, area, property_type, period, period_start, period_end, complete, as_of,
	   active_inventory::bigint, active_inventory_change::bigint,
	   round(active_inventory_change_pct::numeric, 2) AS active_inventory_change_pct,
	   new_listings::bigint, pending_sales::bigint, closed_sales::bigint,
	   round(median_days_on_market::numeric, 1) AS median_dom,
	   round(median_sale_price::numeric, 2) AS median_price,
	   round(median_sale_price_change_pct::numeric, 2) AS median_price_change_pct,
	   round(average_sale_price::numeric, 2) AS average_price,
	   round(average_sale_price_change_pct::numeric, 2) AS average_price_change_pct,
	   round(list_to_sale_ratio::numeric, 4) AS list_ratio,
	   round(original_list_to_sale_ratio::numeric, 4) AS original_ratio,
	   round(months_of_supply::numeric, 2) AS months_of_supply, months_of_supply_basis,
	   round(absorption_rate_pct::numeric, 2) AS absorption_rate_pct,
	   round(median_price_per_sqft::numeric, 2) AS median_ppsf
  FROM actual;
SELECT count(*) AS rows_not_expected FROM (TABLE actual_rounded EXCEPT TABLE expected) d;
SELECT count(*) AS expected_rows_missing FROM (TABLE expected EXCEPT TABLE actual_rounded) d;
SELECT count(*) AS rows_with_definitions_version_2 FROM actual WHERE definitions_version = 2;

-- the comparison is not vacuous: periods with each figure set
SELECT count(*) FILTER (WHERE active_inventory > 0) AS with_inventory,
	   count(*) FILTER (WHERE closed_sales > 0) AS with_sales,
	   count(*) FILTER (WHERE median_price_change_pct IS NOT NULL) AS with_price_change,
	   count(*) FILTER (WHERE months_of_supply IS NOT NULL) AS with_supply,
	   count(*) FILTER (WHERE median_dom IS NOT NULL) AS with_dom
  FROM expected;

-- 3. worked out by hand.  acme, all areas, all types, by month:
-- March 2025: active on March 31: A5, A8 (back on market since the 24th),
--   B2, C1 = 4 (B1 went pending that day, A3 on the 15th); on February 28:
--   A3, A5, A8, C1 = 4, so no change.  New: B1, B2.  Closed: C2 280,000,
--   A2 612,000, A7 306,000: median 306,000, mean 399,333.33.  Pending: A3,
--   B1 (A8's first contract fell through; its date is the second one).
--   Days on market of A2 63, A3 68, A7 36, B1 28, C2 28: median 36.
--   List-to-sale: (612/600 + 306/300 + 280/290) / 3 = 1.0018; original:
--   (1.02 + 1.02 + 280/295) / 3 = 0.9964.  Supply 4 / 3 = 1.33 months,
--   absorption 75 %.  Price per sqft 255, 204, 200: median 204.
-- June 2025: active on June 30: A5, B3, B4, B8, B9, B10, C1 = 7 (B5 was
--   removed on the 2nd).  No sales: supply and absorption are NULL.
SELECT period_start, complete, active_inventory AS inv, active_inventory_change AS chg,
	   new_listings AS new, pending_sales AS pend, closed_sales AS closed,
	   median_days_on_market AS dom, median_sale_price AS median, average_sale_price AS average,
	   list_to_sale_ratio AS lsr, original_list_to_sale_ratio AS olsr,
	   months_of_supply AS mos, absorption_rate_pct AS abs, median_price_per_sqft AS ppsf
  FROM actual
 WHERE tenant_id = 'acme' AND area_type = 'all' AND property_type = 'all' AND period = 'month'
   AND period_start >= '2024-12-01'
 ORDER BY period_start;

SELECT is_march.ok AS march_2025_by_hand
  FROM (SELECT (active_inventory, active_inventory_change, new_listings, closed_sales, pending_sales,
				median_days_on_market, median_sale_price, round(average_sale_price::numeric, 2),
				list_to_sale_ratio, original_list_to_sale_ratio, months_of_supply,
				absorption_rate_pct, median_price_per_sqft)
			   = (4, 0, 2, 3, 2, 36::float8, 306000::float8, 399333.33,
				  1.0018::float8, 0.9964::float8, 1.33::float8, 75::float8, 204::float8) AS ok
		  FROM actual
		 WHERE tenant_id = 'acme' AND area_type = 'all' AND property_type = 'all'
		   AND period = 'month' AND period_start = '2025-03-01') is_march;

-- Alton, Residential, weeks of March-April 2025: A8's pending and return to
-- the market show in the inventory week by week.
SELECT period_start, period_end, active_inventory AS inv, new_listings AS new,
	   pending_sales AS pend, closed_sales AS closed, months_of_supply AS mos
  FROM actual
 WHERE tenant_id = 'acme' AND area_type = 'city' AND area = 'Alton' AND property_type = 'Residential'
   AND period = 'week' AND period_start BETWEEN '2025-03-03' AND '2025-04-14'
 ORDER BY period_start;

-- beta counts in Los Angeles time, with pending sales as the pace: D1 went
-- pending on March 31 there (April 1 in UTC), so March ends with D2 alone,
-- one pending sale, one month of supply, 100 % absorption.
SELECT period_start, as_of, active_inventory AS inv, pending_sales AS pend, closed_sales AS closed,
	   months_of_supply AS mos, months_of_supply_basis AS basis, absorption_rate_pct AS abs
  FROM actual
 WHERE tenant_id = 'beta' AND area_type = 'all' AND property_type = 'all' AND period = 'month'
   AND period_start BETWEEN '2025-03-01' AND '2025-04-01'
 ORDER BY period_start;

-- the window: 25 months and the weeks from the one containing as_of - 24 months
SELECT tenant_id, period, count(*) AS periods, min(period_start) AS first_start,
	   max(period_start) AS last_start, count(*) FILTER (WHERE NOT complete) AS incomplete
  FROM actual
 WHERE area_type = 'all' AND property_type = 'all'
 GROUP BY tenant_id, period ORDER BY tenant_id, period;

-- 4. the materialized view, its refresh and the dashboard function
\pset format unaligned
\pset tuples_only true
BEGIN;
SELECT plan(12);
SELECT has_view('mlsync', 'market_stats', 'market_stats is a view of the tables the refresh keeps');
SELECT has_table('mlsync', 'mls_stats_cells', 'the figures are kept in cells');
SELECT function_privs_are('mlsync', 'mls_refresh_stats', ARRAY['boolean', 'boolean'], 'public', ARRAY[]::text[],
						  'PUBLIC cannot refresh the statistics');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'mlsync.mls_refresh_stats'::regproc),
		  ARRAY['search_path=pg_catalog, pg_temp'], 'mls_refresh_stats pins its search_path');
-- market_stats figures are those of now(): the same rows mls_stats_compute gives for now()
SELECT is(mlsync.mls_refresh_stats(), (SELECT count(*) FROM mlsync.mls_stats_compute(now())),
		  'mls_refresh_stats refreshes every row');
SELECT is((SELECT count(*) FROM (SELECT * FROM mlsync.market_stats
								  EXCEPT SELECT * FROM mlsync.mls_stats_compute(now())) d),
		  0::bigint, 'market_stats holds what mls_stats_compute(now()) computes');
-- today in acme's time zone (UTC: it has no setting), not the session's
-- (pg_regress's PST8PDT is a day behind from 00:00 to 08:00 UTC)
SELECT is((SELECT max(as_of) FROM mlsync.market_stats WHERE tenant_id = 'acme'),
		  timezone('UTC', now())::date, 'market_stats is as of today');
SELECT is(mlsync.mls_refresh_stats(concurrent => false),
		  mlsync.mls_refresh_stats(), 'a plain and a concurrent refresh agree');
SELECT results_eq(
	$$SELECT period_start, active_inventory FROM mlsync.mls_market_stats('acme', 'city', 'Alton', 'Residential', 'month')$$,
	$$SELECT period_start, active_inventory FROM mlsync.market_stats
	   WHERE tenant_id = 'acme' AND area_type = 'city' AND area = 'Alton' AND property_type = 'Residential'
		 AND period = 'month' ORDER BY period_start$$,
	'mls_market_stats returns one series, oldest first');
SELECT throws_ok($$SELECT * FROM mlsync.mls_market_stats('acme', 'state', 'CA')$$, '22023',
				 'unknown area type "state"', 'unknown area types are refused');
SELECT throws_ok($$SELECT * FROM mlsync.mls_market_stats('acme', period => 'day')$$, '22023',
				 'unknown period "day"', 'unknown periods are refused');
SELECT throws_ok($$SELECT * FROM mlsync.mls_market_stats('acme', 'city')$$, '22004',
				 'area_type "city" needs an area', 'an area type needs an area');
SELECT * FROM finish();
ROLLBACK;
\pset format aligned
\pset tuples_only false

-- settings are checked
\set VERBOSITY terse
INSERT INTO mlsync.mls_stats_settings (tenant_id, time_zone) VALUES ('acme', 'Mars/Olympus');
INSERT INTO mlsync.mls_stats_settings (tenant_id, months_of_supply_basis) VALUES ('acme', 'listed');
\set VERBOSITY default

DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('acme', 'beta');
SELECT mlsync.mls_refresh_stats() AS rows_after_tenants_deleted;
