-- mlsync install script, part 65: market_stats and its refresh, which
-- follows the changes (docs/statistics.md, "Refresh"; docs/architecture.md,
-- "Market statistics").
--
-- The figures are kept in tables the refresh writes where listings changed
-- (src/stats/refresh.c): the facts of every listing, the cells (what each
-- series gathers in each period, local to it: inventory change, listings
-- listed, gone pending and closed, sums and medians of the sales) and the
-- series.  market_stats is a view that sums the inventory over the periods
-- and derives the changes and the supply from the cells.  The sync marks
-- the listings it writes (mls_stats_dirty) in the transaction of each
-- batch; mls_refresh_stats() recomputes only their facts and the periods
-- whose cells they change.  A full rebuild recomputes everything (a new
-- tenant, changed settings or definitions, or asked for).

-- One row of facts per listing that counts, as mls_stats_listing_facts()
-- computed it at the last refresh, with the days it contributes on (listed,
-- pending, closed, the ends of its active ranges): the GIN index finds the
-- listings of a period.
CREATE TABLE mls_stats_facts (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	city			text,
	postal_code		text,
	county			text,
	subdivision		text,
	property_type	text,
	listed_on		date,
	pending_on		date,
	closed_on		date,
	days_on_market	integer,
	close_price		float8,
	list_price		float8,
	original_list_price float8,
	living_area		float8,
	active			datemultirange,
	days			date[] NOT NULL,
	PRIMARY KEY (tenant_id, connection, listing_key)
);

CREATE INDEX mls_stats_facts_days_idx ON mls_stats_facts USING gin (days);

COMMENT ON TABLE mls_stats_facts IS 'private: the statistics facts of every listing as of the last refresh (docs/statistics.md)';

-- What a series gathers in a period, local to it.  period_start -infinity
-- is the base: the inventory changes of every day before the first period
-- kept (the one before the window).
CREATE TABLE mls_stats_cells (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	area_type		text NOT NULL,
	area			text NOT NULL,
	property_type	text NOT NULL,
	period			text NOT NULL CHECK (period IN ('month', 'week')),
	period_start	date NOT NULL,
	inventory_delta	integer NOT NULL DEFAULT 0,
	new_listings	integer NOT NULL DEFAULT 0,
	pending_sales	integer NOT NULL DEFAULT 0,
	closed_sales	integer NOT NULL DEFAULT 0,
	price_count		integer NOT NULL DEFAULT 0,
	price_sum		float8 NOT NULL DEFAULT 0,
	median_price	float8,
	list_ratio_n	integer NOT NULL DEFAULT 0,
	list_ratio_sum	float8 NOT NULL DEFAULT 0,
	original_ratio_n integer NOT NULL DEFAULT 0,
	original_ratio_sum float8 NOT NULL DEFAULT 0,
	median_dom		float8,
	median_ppsf		float8,
	PRIMARY KEY (tenant_id, area_type, area, property_type, period, period_start)
);

COMMENT ON TABLE mls_stats_cells IS 'private: what each statistics series gathers in each period, as of the last refresh; market_stats is computed from it';
COMMENT ON COLUMN mls_stats_cells.price_sum IS 'the close prices of the period''s sales, in whole cents (an exact sum, whatever the order the listings are added in)';
COMMENT ON COLUMN mls_stats_cells.list_ratio_sum IS 'the close-to-list price ratios of the period''s sales, each in whole billionths (an exact sum)';
COMMENT ON COLUMN mls_stats_cells.original_ratio_sum IS 'the close-to-original-list price ratios of the period''s sales, each in whole billionths (an exact sum)';
COMMENT ON COLUMN mls_stats_cells.inventory_delta IS 'active ranges that start in the period minus those that end in it (days after as_of left out); for period_start -infinity, of every day before the first period kept';

-- The series that have listings, and how many.
CREATE TABLE mls_stats_series (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	area_type		text NOT NULL,
	area			text NOT NULL,
	property_type	text NOT NULL,
	listings		integer NOT NULL,
	PRIMARY KEY (tenant_id, area_type, area, property_type)
);

COMMENT ON TABLE mls_stats_series IS 'private: the statistics series (tenant, area, property type) and how many listings each has';

-- The connections that have facts: a connection dropped is found by its row.
CREATE TABLE mls_stats_feeds (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	connection		text NOT NULL,
	PRIMARY KEY (tenant_id, connection)
);

COMMENT ON TABLE mls_stats_feeds IS 'private: the connections of which mls_stats_facts has facts';

-- Per tenant: the last refresh.
CREATE TABLE mls_stats_state (
	tenant_id		text PRIMARY KEY REFERENCES mls_tenants ON DELETE CASCADE,
	as_of			timestamptz NOT NULL,
	as_of_day		date NOT NULL,
	time_zone		text NOT NULL,
	months_of_supply_basis text NOT NULL,
	count_per		text NOT NULL,
	month_base		date NOT NULL,
	week_base		date NOT NULL,
	definitions_version integer NOT NULL,
	refreshed_at	timestamptz NOT NULL,
	rebuilt_at		timestamptz NOT NULL
);

COMMENT ON TABLE mls_stats_state IS 'per tenant: the moment of the last statistics refresh, the window (month_base, week_base: the period before it) and the settings it was computed with; a change of settings rebuilds the tenant';

-- Listings changed since the last refresh (listing_key NULL: every listing
-- of the connection).  The sync writes them with each batch, and so do
-- mlsync's functions that write listings or move them between properties
-- (mls_remap, mls_retry_skipped, mls_link_listings, mls_unlink_listing, the
-- matcher); an application that writes mls_listings itself marks what it
-- wrote here (or refreshes with full => true).
-- No unique key, on purpose: the refresh deletes the marks it takes at its
-- start and holds them until it commits, and a writer marking one of those
-- listings again would wait on that key for the whole refresh (seconds to a
-- minute at a million listings).  So every write adds its row, a listing
-- written twice between refreshes has two, and the refresh takes them all.
-- No index either: its readers (the refresh, mls_prune) read all of it.
CREATE TABLE mls_stats_dirty (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	connection		text NOT NULL,
	listing_key		text
);

COMMENT ON TABLE mls_stats_dirty IS 'listings changed since the last statistics refresh, a row per write (listing_key NULL: the whole connection); the sync and mlsync''s functions that write listings mark what they write, an application that writes mls_listings itself marks it here; mls_refresh_stats() takes the marks';

SELECT pg_catalog.pg_extension_config_dump('mls_stats_facts', '');
SELECT pg_catalog.pg_extension_config_dump('mls_stats_cells', '');
SELECT pg_catalog.pg_extension_config_dump('mls_stats_series', '');
SELECT pg_catalog.pg_extension_config_dump('mls_stats_feeds', '');
SELECT pg_catalog.pg_extension_config_dump('mls_stats_state', '');
SELECT pg_catalog.pg_extension_config_dump('mls_stats_dirty', '');

-- The statistics' own tables are read through market_stats only; the marks
-- are written by whoever may operate the tenant (mls_remap, applications).
ALTER TABLE mls_stats_facts ENABLE ROW LEVEL SECURITY;
ALTER TABLE mls_stats_cells ENABLE ROW LEVEL SECURITY;
ALTER TABLE mls_stats_series ENABLE ROW LEVEL SECURITY;
ALTER TABLE mls_stats_feeds ENABLE ROW LEVEL SECURITY;
ALTER TABLE mls_stats_state ENABLE ROW LEVEL SECURITY;
SELECT mls_protect_tenant_table('mls_stats_dirty', 'read', 'operate', 'INSERT');

-- API: Private.  Rounds half away from zero as the full computation does
-- (C: market_stats and mls_stats_compute agree to the last digit).
CREATE FUNCTION mls_stats_round(value float8, decimals integer) RETURNS float8
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_stats_round$$;

-- API: Private.  Refreshes the statistics tables of every tenant
-- (src/stats/refresh.c) as of a moment (NULL: now; tests walk it forward,
-- it must not lie before history already recorded); returns the rows
-- market_stats then has.
CREATE FUNCTION mls_stats_refresh(full boolean, as_of timestamptz DEFAULT NULL) RETURNS bigint
LANGUAGE c
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_stats_refresh$$;

REVOKE ALL ON FUNCTION mls_stats_refresh(boolean, timestamptz) FROM PUBLIC;

-- API: Private.  Takes the refresh's lock until the end of the transaction
-- if no refresh holds it (src/tenancy/locks.c); whether it did.  For
-- mls_prune (SECURITY DEFINER), which compacts the marks only while no
-- refresh runs.
CREATE FUNCTION mls_stats_refresh_try_lock() RETURNS boolean
LANGUAGE c VOLATILE STRICT
AS 'MODULE_PATHNAME', $$mls_stats_refresh_try_lock$$;

REVOKE ALL ON FUNCTION mls_stats_refresh_try_lock() FROM PUBLIC;

-- The statistics.  One row per series and period; see docs/statistics.md.
-- The running inventory is the base plus the changes of the periods up to
-- each; changes compare with the previous period (the one before the
-- window included, then left out).  Every figure is rounded as
-- mls_stats_compute() rounds it.
CREATE VIEW market_stats AS
SELECT g.tenant_id, g.area_type, g.area, g.property_type, g.period, g.period_start,
	   g.period_end, g.period_end < g.as_of_day AS complete, g.as_of_day AS as_of,
	   g.inventory AS active_inventory,
	   g.inventory - g.prev_inventory AS active_inventory_change,
	   CASE WHEN g.prev_inventory <> 0 THEN
		   mls_stats_round(100.0::float8 * (g.inventory - g.prev_inventory) / g.prev_inventory, 2)
	   END AS active_inventory_change_pct,
	   g.new_listings, g.pending_sales, g.closed_sales,
	   mls_stats_round(g.median_dom, 1) AS median_days_on_market,
	   mls_stats_round(g.median_price, 2) AS median_sale_price,
	   CASE WHEN g.prev_median_price <> 0 THEN
		   mls_stats_round(100.0::float8 * (g.median_price - g.prev_median_price) / g.prev_median_price, 2)
	   END AS median_sale_price_change_pct,
	   mls_stats_round(g.average_price, 2) AS average_sale_price,
	   CASE WHEN g.prev_average_price <> 0 THEN
		   mls_stats_round(100.0::float8 * (g.average_price - g.prev_average_price) / g.prev_average_price, 2)
	   END AS average_sale_price_change_pct,
	   CASE WHEN g.list_ratio_n > 0 THEN mls_stats_round(g.list_ratio_sum / g.list_ratio_n / 1e9::float8, 4)
	   END AS list_to_sale_ratio,
	   CASE WHEN g.original_ratio_n > 0 THEN mls_stats_round(g.original_ratio_sum / g.original_ratio_n / 1e9::float8, 4)
	   END AS original_list_to_sale_ratio,
	   CASE WHEN g.pace > 0 THEN mls_stats_round(g.inventory / g.pace, 2) END AS months_of_supply,
	   g.basis AS months_of_supply_basis,
	   CASE WHEN g.inventory > 0 THEN mls_stats_round(100.0::float8 * g.pace / g.inventory, 2)
	   END AS absorption_rate_pct,
	   mls_stats_round(g.median_ppsf, 2) AS median_price_per_sqft,
	   st.definitions_version
  FROM (SELECT w.*,
			   lag(w.inventory) OVER s AS prev_inventory,
			   lag(w.median_price) OVER s AS prev_median_price,
			   lag(w.average_price) OVER s AS prev_average_price
		  FROM (SELECT r.tenant_id, r.area_type, r.area, r.property_type, r.period, r.period_start,
					   r.period_end, r.first_start, r.as_of_day, r.basis,
					   (coalesce(b.inventory_delta, 0)
						+ sum(coalesce(c.inventory_delta, 0))
						  OVER (PARTITION BY r.tenant_id, r.area_type, r.area, r.property_type, r.period
								ORDER BY r.period_start))::integer AS inventory,
					   coalesce(c.new_listings, 0) AS new_listings,
					   coalesce(c.pending_sales, 0) AS pending_sales,
					   coalesce(c.closed_sales, 0) AS closed_sales,
					   c.median_dom, c.median_price,
					   CASE WHEN c.price_count > 0 THEN c.price_sum / c.price_count / 100 END AS average_price,
					   c.list_ratio_n, c.list_ratio_sum, c.original_ratio_n, c.original_ratio_sum,
					   c.median_ppsf,
					   (CASE r.basis WHEN 'pending' THEN coalesce(c.pending_sales, 0)
									 ELSE coalesce(c.closed_sales, 0) END)::float8
						 * CASE r.period WHEN 'week' THEN 365.25::float8 / 12 / 7 ELSE 1 END AS pace
				  FROM (SELECT st.tenant_id, se.area_type, se.area, se.property_type, p.period,
							   p.period_start, p.period_end, p.first_start, st.as_of_day,
							   st.months_of_supply_basis AS basis
						  FROM mls_stats_state st
						  JOIN mls_stats_series se ON se.tenant_id = st.tenant_id
						 CROSS JOIN LATERAL (
								SELECT 'month' AS period, m::date AS period_start,
									   (m + interval '1 month')::date - 1 AS period_end,
									   st.month_base AS first_start
								  FROM generate_series(st.month_base::timestamp,
													   date_trunc('month', st.as_of_day::timestamp),
													   interval '1 month') m
								UNION ALL
								SELECT 'week', w::date, w::date + 6, st.week_base
								  FROM generate_series(st.week_base::timestamp,
													   (st.as_of_day - (extract(isodow FROM st.as_of_day)::integer - 1))::timestamp,
													   interval '7 days') w) p) r
				  LEFT JOIN mls_stats_cells c
					ON c.tenant_id = r.tenant_id AND c.area_type = r.area_type AND c.area = r.area
				   AND c.property_type = r.property_type AND c.period = r.period
				   AND c.period_start = r.period_start
				  LEFT JOIN mls_stats_cells b
					ON b.tenant_id = r.tenant_id AND b.area_type = r.area_type AND b.area = r.area
				   AND b.property_type = r.property_type AND b.period = r.period
				   AND b.period_start = '-infinity') w
		WINDOW s AS (PARTITION BY w.tenant_id, w.area_type, w.area, w.property_type, w.period
					 ORDER BY w.period_start)) g
  JOIN mls_stats_state st ON st.tenant_id = g.tenant_id
 WHERE g.period_start > g.first_start;

COMMENT ON VIEW market_stats IS
'market statistics per tenant, area, property type, week and month (docs/statistics.md), as of the last mls_refresh_stats()';

-- market_stats reads tables that row-level security protects with its
-- owner's rights: it is read through this security-barrier view, which
-- filters by the reader's tenants (it runs with its owner's rights,
-- current_user is still the reader).
CREATE VIEW mls_visible_market_stats WITH (security_barrier) AS
SELECT s.*
  FROM market_stats s
 WHERE (SELECT mls_is_global_admin())
	OR s.tenant_id IN (SELECT a.tenant_id FROM mls_tenant_access a WHERE a.level >= 1);

COMMENT ON VIEW mls_visible_market_stats IS 'market_stats of the tenants the reader may read';

GRANT SELECT ON mls_visible_market_stats TO PUBLIC;
REVOKE ALL ON market_stats FROM PUBLIC;

-- API: Public.  Refreshes the statistics: incrementally (the listings
-- changed since the last refresh, the periods they touch, the periods "as
-- of" moved through), or in full (full => true: after an application wrote
-- mls_listings without marking it).  Readers keep reading the previous
-- figures until it commits; refreshes wait for each other.  concurrent is
-- kept for compatibility: every refresh is concurrent now.  Runs as the
-- tables' owner.  Returns the number of rows of market_stats.
CREATE FUNCTION mls_refresh_stats(concurrent boolean DEFAULT true, full boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN mlsync.mls_stats_refresh(coalesce("full", false));
END
$$;

REVOKE ALL ON FUNCTION mls_refresh_stats(boolean, boolean) FROM PUBLIC;
-- Refreshing the statistics covers every tenant at once.
GRANT EXECUTE ON FUNCTION mls_refresh_stats(boolean, boolean) TO mlsync_admin;

COMMENT ON FUNCTION mls_refresh_stats(boolean, boolean) IS
'refresh market_stats: only what changed since the last refresh, or everything (full => true); readers are not blocked';

-- API: Public.  One series of market_stats for a dashboard, oldest period
-- first.  NULL area or property type means "all".  Reads the tenants the
-- caller may read (mls_visible_market_stats).
CREATE FUNCTION mls_market_stats(tenant text,
								 area_type text DEFAULT 'all',
								 area text DEFAULT NULL,
								 property_type text DEFAULT NULL,
								 period text DEFAULT 'month')
RETURNS SETOF market_stats
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
BEGIN
	IF area_type IS NULL OR area_type NOT IN ('all', 'city', 'postal_code', 'county', 'subdivision') THEN
		RAISE EXCEPTION 'unknown area type "%"', area_type
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use all, city, postal_code, county or subdivision.';
	END IF;
	IF period IS NULL OR period NOT IN ('week', 'month') THEN
		RAISE EXCEPTION 'unknown period "%"', period
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use week or month.';
	END IF;
	IF area_type <> 'all' AND area IS NULL THEN
		RAISE EXCEPTION 'area_type "%" needs an area', area_type
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	RETURN QUERY
		SELECT s.* FROM mlsync.mls_visible_market_stats s
		 WHERE s.tenant_id = tenant
		   AND s.area_type = area_type
		   AND s.area = CASE WHEN area_type = 'all' THEN 'all' ELSE area END
		   AND s.property_type = coalesce(property_type, 'all')
		   AND s.period = period
		 ORDER BY s.period_start;
END
$$;

COMMENT ON FUNCTION mls_market_stats(text, text, text, text, text) IS
'one series of market_stats (tenant, area, property type, week or month), oldest period first';
