-- mlsync install script, part 40: market statistics
-- (docs/features.md F16, F22).
--
-- docs/statistics.md defines every figure.  The work is split in two:
-- mls_stats_listing_facts() (SQL) reduces each listing and its history to one
-- row of facts (area, property type, the days it was listed, went pending and
-- closed, its prices, the days it was active); mls_stats_compute() (C, in
-- src/stats/stats.c) rolls the facts up into every series and period in one pass.
-- market_stats (65_stats_refresh.sql) shows what mls_stats_compute()
-- computes as of the last refresh, from tables the refresh keeps.

-- Per-tenant choices where sources differ.  A tenant without a row gets the
-- defaults.
CREATE TABLE mls_stats_settings (
	tenant_id		text PRIMARY KEY REFERENCES mls_tenants ON DELETE CASCADE,
	time_zone		text NOT NULL DEFAULT 'UTC'
					CHECK (mls_is_valid_timezone(time_zone)),
	months_of_supply_basis text NOT NULL DEFAULT 'closed'
					CHECK (months_of_supply_basis IN ('closed', 'pending')),
	-- 0.2.0 (new columns go last: an upgrade adds them there)
	count_per		text NOT NULL DEFAULT 'property'
					CHECK (count_per IN ('property', 'listing'))
);

COMMENT ON TABLE mls_stats_settings IS 'per-tenant statistics settings: the market''s time zone and the sales that measure the pace for months of supply';
COMMENT ON COLUMN mls_stats_settings.time_zone IS 'zone in which timestamps become days of the market, and in which "as of" is today';
COMMENT ON COLUMN mls_stats_settings.months_of_supply_basis IS 'closed: months of supply and absorption use closed sales; pending: they use pending sales';
COMMENT ON COLUMN mls_stats_settings.count_per IS 'property: a house listed by several MLSs at once counts once (its cross-listings are left out, docs/statistics.md); listing: every listing counts';

SELECT pg_catalog.pg_extension_config_dump('mls_stats_settings', '');

-- API: Public.  The definitions of version 2, as stored with the figures
-- (market_stats.definitions_version).  Same text as docs/statistics.md.
CREATE FUNCTION mls_stats_definitions()
RETURNS TABLE (definitions_version integer, figure text, definition text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT 2, d.figure, d.definition
	  FROM (VALUES
		(1, 'series', 'tenant x area (all, city, postal_code, county, subdivision; "all" for every listing) x property type (or "all"); a NULL or empty area or type counts in "all" only'),
		(2, 'period', 'calendar months and ISO weeks (Monday-Sunday) from the one containing as_of - 24 months to the one containing as_of; as_of is the refresh day in mls_stats_settings.time_zone; complete is false for the period containing as_of'),
		(3, 'excluded', 'listings with status Incomplete, and with status Delete not found removed by mlsync (removed_at IS NULL); with count_per = property (the default), cross-listings: a listing whose property another connection lists too, when that other listing counts, is preferred (lower connection priority, then more recently modified, then connection and key) and was on the market at the same time (from listed on to close_date, else off_market_date)'),
		(4, 'listed on', 'coalesce(on_market_date, listing_contract_date)'),
		(5, 'went pending on', 'purchase_contract_date, else the first history status change into Pending or Active Under Contract'),
		(6, 'days on market', '(went pending on, else close_date) - listed on'),
		(7, 'active', 'status Active at the end of the day; before the day mlsync first observed the listing (first observed_at): from listed on until the first of purchase_contract_date, close_date, off_market_date (else contract_status_change_date, else status_change_timestamp), or until the observation day if the history says it was Active then; from the observation day: the status of the latest history row (listed, status, removed) with effective_at on or before the day'),
		(8, 'active_inventory', 'listings active on the last day of the period (on as_of for the current period)'),
		(9, 'active_inventory_change', 'active_inventory - previous period''s; _pct: in percent of the previous period''s'),
		(10, 'new_listings', 'listings listed on a day of the period'),
		(11, 'pending_sales', 'listings that went pending on a day of the period, whatever their status now'),
		(12, 'closed_sales', 'listings with close_date in the period'),
		(13, 'median_days_on_market', 'median days on market of the listings that closed or went pending in the period'),
		(14, 'median_sale_price', 'median close_price of the period''s closed sales; _change_pct: 100 x (this - previous period''s) / previous period''s'),
		(15, 'average_sale_price', 'mean close_price of the period''s closed sales; _change_pct as for the median'),
		(16, 'list_to_sale_ratio', 'mean of close_price / list_price over the period''s closed sales with list_price > 0'),
		(17, 'original_list_to_sale_ratio', 'mean of close_price / original_list_price over the period''s closed sales with original_list_price > 0'),
		(18, 'months_of_supply', 'active_inventory / monthly sales pace; the pace is the period''s closed (or pending, per months_of_supply_basis) sales, times 365.25 / 12 / 7 for a week'),
		(19, 'absorption_rate_pct', '100 x monthly sales pace / active_inventory: percent of the inventory that sells in a month'),
		(20, 'median_price_per_sqft', 'median close_price / living_area over the period''s closed sales with living_area > 0'),
		(21, 'rounding', 'prices, price per sqft, months of supply, absorption, percentages: 2 decimals; ratios: 4; median days on market: 1')
	  ) AS d(n, figure, definition)
	 ORDER BY d.n;
END;

COMMENT ON FUNCTION mls_stats_definitions() IS
'definitions of the market_stats figures, by definitions_version';

-- API: Private.  One row of facts per listing (see docs/statistics.md), as of
-- a moment.  The body is also a statement of its own: the statistics
-- (mls_stats_compute, the refresh of 65_stats_refresh.sql) read it from the
-- catalog and run it with their values as $1-$4, so that a distributed
-- PostgreSQL plans one query over the tables rather than a SQL function
-- called with parameters, which it cannot push down (docs/scaling.md).  So
-- the arguments are written by position ($1 as_of, $2 only_tenant, $3
-- only_connection, $4 only_keys), and every object is schema-qualified.  The
-- history is read in the order of mls_listing_history_listing_idx and the
-- listings in primary key order, so the whole query streams with merge
-- joins.  only_tenant, only_connection and only_keys restrict it to some
-- listings (the incremental refresh): the callers plan it with their values,
-- so the planner folds the tests away or turns them into index conditions on
-- both tables.
CREATE FUNCTION mls_stats_listing_facts(as_of timestamptz, only_tenant text DEFAULT NULL,
										only_connection text DEFAULT NULL,
										only_keys text[] DEFAULT NULL)
RETURNS TABLE (tenant_id text, as_of_day date, supply_basis text,
			   city text, postal_code text, county text, subdivision text, property_type text,
			   listed_on date, pending_on date, closed_on date, days_on_market integer,
			   close_price float8, list_price float8, original_list_price float8,
			   living_area float8, active datemultirange,
			   connection text, listing_key text)
LANGUAGE sql STABLE
AS $$
WITH opts AS (
	SELECT t.tenant_id, coalesce(s.time_zone, 'UTC') AS tz,
		   pg_catalog.timezone(coalesce(s.time_zone, 'UTC'), $1)::date AS as_of_day,
		   coalesce(s.months_of_supply_basis, 'closed') AS basis,
		   coalesce(s.count_per, 'property') AS count_per
	  FROM mlsync.mls_tenants t
	  LEFT JOIN mlsync.mls_stats_settings s ON s.tenant_id = t.tenant_id
	 WHERE $2 IS NULL OR t.tenant_id = $2
),
-- status-bearing history rows seen by as_of, as days of the market.  Each
-- sets the status from its day until the next row's day (for good when it is
-- the last one), so the days a listing was Active are the union of its
-- Active rows' segments.  Clamping to the observation day is not needed: from
-- that day on, the segment containing a day is the latest row up to it.
seg AS (
	SELECT h.tenant_id, h.connection, h.listing_key, h.change, h.new_status,
		   pg_catalog.timezone(o.tz, h.effective_at)::date AS eff_day,
		   pg_catalog.timezone(o.tz, h.observed_at)::date AS obs_day,
		   pg_catalog.lead(pg_catalog.timezone(o.tz, h.effective_at)::date)
			   OVER (PARTITION BY h.tenant_id, h.connection, h.listing_key
					 ORDER BY h.effective_at, h.history_id) AS next_day
	  FROM mlsync.mls_listing_history h
	  JOIN opts o ON o.tenant_id = h.tenant_id
	 WHERE h.change IN ('listed', 'status', 'removed') AND h.observed_at <= $1
	   AND ($2 IS NULL OR h.tenant_id = $2)
	   AND ($3 IS NULL OR h.connection = $3)
	   AND ($4 IS NULL OR h.listing_key = ANY ($4))
),
observed AS (
	SELECT s.tenant_id, s.connection, s.listing_key,
		   pg_catalog.min(s.obs_day) AS cut_day,
		   pg_catalog.min(s.eff_day) FILTER (WHERE s.change = 'status'
											AND s.new_status IN ('Pending', 'Active Under Contract')) AS pending_day,
		   coalesce(pg_catalog.range_agg(pg_catalog.daterange(s.eff_day, s.next_day))
					   FILTER (WHERE s.new_status = 'Active' AND s.change <> 'removed'
							   AND (s.next_day IS NULL OR s.next_day > s.eff_day)),
					'{}'::datemultirange) AS active
	  FROM seg s
	 GROUP BY s.tenant_id, s.connection, s.listing_key
),
-- the history's part starts on the observation day; whether the listing was
-- Active that day decides how its past is read from its dates
cut AS (
	SELECT ob.*,
		   ob.active OPERATOR(pg_catalog.@>) ob.cut_day AS cut_active,
		   ob.active OPERATOR(pg_catalog.*) pg_catalog.datemultirange(pg_catalog.daterange(ob.cut_day, NULL)) AS active_after
	  FROM observed ob
)
SELECT l.tenant_id, o.as_of_day, o.basis,
	   l.city, l.postal_code, l.county_or_parish, l.subdivision_name, l.property_type,
	   d.listed_on,
	   d.pending_on,
	   l.close_date,
	   coalesce(d.pending_on, l.close_date) - d.listed_on,
	   l.close_price::float8, l.list_price::float8, l.original_list_price::float8,
	   l.living_area::float8,
	   -- before the observation day: from the listing's dates
	   CASE WHEN d.listed_on < coalesce(ob.cut_day, 'infinity') THEN
			pg_catalog.datemultirange(pg_catalog.daterange(d.listed_on,
				CASE WHEN coalesce(ob.cut_active, l.standard_status = 'Active') THEN ob.cut_day
					 -- never before it was listed (a contract signed while
					 -- Coming Soon predates the on-market date)
					 ELSE greatest(d.listed_on, least(
							coalesce(least(l.purchase_contract_date, l.close_date, l.off_market_date),
									 l.contract_status_change_date,
									 pg_catalog.timezone(o.tz, l.status_change_timestamp)::date,
									 ob.cut_day, d.listed_on),
							ob.cut_day)) END))
			ELSE '{}'::datemultirange END
	   -- from the observation day: from the history
	   OPERATOR(pg_catalog.+) coalesce(ob.active_after, '{}'::datemultirange),
	   l.connection, l.listing_key
  FROM mlsync.mls_listings l
  JOIN opts o ON o.tenant_id = l.tenant_id
  JOIN mlsync.mls_connections lc ON lc.tenant_id = l.tenant_id AND lc.connection = l.connection
  LEFT JOIN cut ob
	ON ob.tenant_id = l.tenant_id AND ob.connection = l.connection AND ob.listing_key = l.listing_key
 CROSS JOIN LATERAL (
	SELECT coalesce(l.on_market_date, l.listing_contract_date) AS listed_on,
		   coalesce(l.purchase_contract_date, ob.pending_day) AS pending_on) d
 WHERE l.standard_status IS DISTINCT FROM 'Incomplete'
   AND NOT (l.standard_status IS NOT DISTINCT FROM 'Delete' AND l.removed_at IS NULL)
   AND ($2 IS NULL OR l.tenant_id = $2)
   AND ($3 IS NULL OR l.connection = $3)
   AND ($4 IS NULL OR l.listing_key = ANY ($4))
   -- count_per = property: a cross-listing is represented by the listing of
   -- the preferred connection (docs/statistics.md, "What a listing
   -- contributes"): an anti-join on the property (a top-level NOT EXISTS, so
   -- that it is planned as one, not run per listing)
   AND NOT EXISTS (
		SELECT FROM mlsync.mls_listings p
		  JOIN mlsync.mls_connections pc ON pc.tenant_id = p.tenant_id AND pc.connection = p.connection
		 WHERE p.tenant_id = l.tenant_id AND p.property_id = l.property_id
		   AND o.count_per = 'property'
		   AND p.connection <> l.connection
		   AND p.standard_status IS DISTINCT FROM 'Incomplete'
		   AND NOT (p.standard_status IS NOT DISTINCT FROM 'Delete' AND p.removed_at IS NULL)
		   AND (pc.priority < lc.priority
				OR (pc.priority = lc.priority
					AND (coalesce(p.modification_timestamp, '-infinity') > coalesce(l.modification_timestamp, '-infinity')
						 OR (coalesce(p.modification_timestamp, '-infinity') = coalesce(l.modification_timestamp, '-infinity')
							 AND (p.connection, p.listing_key) < (l.connection, l.listing_key)))))
		   AND coalesce(p.on_market_date, p.listing_contract_date, '-infinity')
			   <= coalesce(l.close_date, l.off_market_date, 'infinity')
		   AND coalesce(l.on_market_date, l.listing_contract_date, '-infinity')
			   <= coalesce(p.close_date, p.off_market_date, 'infinity'))
$$;

COMMENT ON FUNCTION mls_stats_listing_facts(timestamptz, text, text, text[]) IS
'one row of statistics facts per listing as of a moment (of a tenant, a connection, some listings): area, type, days listed, pending and closed, prices, active days';

-- API: Private.  Every figure of every series and period as of a moment
-- (docs/statistics.md).  Tests call it with a fixed moment; market_stats
-- shows the same figures for the moment of the last refresh.
CREATE FUNCTION mls_stats_compute(as_of timestamptz)
RETURNS TABLE (tenant_id text, area_type text, area text, property_type text,
			   period text, period_start date, period_end date, complete boolean, as_of date,
			   active_inventory integer, active_inventory_change integer,
			   active_inventory_change_pct float8,
			   new_listings integer, pending_sales integer, closed_sales integer,
			   median_days_on_market float8,
			   median_sale_price float8, median_sale_price_change_pct float8,
			   average_sale_price float8, average_sale_price_change_pct float8,
			   list_to_sale_ratio float8, original_list_to_sale_ratio float8,
			   months_of_supply float8, months_of_supply_basis text,
			   absorption_rate_pct float8, median_price_per_sqft float8,
			   definitions_version integer)
LANGUAGE c STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_stats_compute$$;

COMMENT ON FUNCTION mls_stats_compute(timestamptz) IS
'market statistics of every tenant, area, property type, week and month as of a moment';

-- market_stats, mls_refresh_stats() and mls_market_stats() are in
-- 65_stats_refresh.sql: the figures are kept in tables the refresh updates
-- where the listings changed.
