-- mlsync install script, part 30: listing history and the event outbox
-- (docs/features.md F13-F15).

-- Every status and price change of a listing, with when it happened at the
-- source and when mlsync saw it.  Feeds events and market statistics
-- (point-in-time inventory is read from here, not from today's status).
CREATE TABLE mls_listing_history (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	history_id		bigint GENERATED ALWAYS AS IDENTITY,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	change			text NOT NULL
					CHECK (change IN ('listed', 'status', 'price', 'removed', 'override_cleared')),
	old_status		text,
	new_status		text,
	old_price		numeric(14, 2),
	new_price		numeric(14, 2),
	effective_at	timestamptz NOT NULL,
	observed_at		timestamptz NOT NULL DEFAULT now(),
	-- added in 0.2.0 (last, so that an upgraded table has the same column
	-- order as a new one)
	detail			jsonb,
	PRIMARY KEY (tenant_id, history_id)
);
SELECT mls_partition_by_tenant('mls_listing_history');
-- the last table it may partition (00_core.sql)
DROP FUNCTION mls_partition_by_tenant(text);

CREATE INDEX mls_listing_history_listing_idx
	ON mls_listing_history (tenant_id, connection, listing_key, effective_at);
-- mls_new_listings() and mls_price_changes() read one kind of change of a
-- tenant since a time.
CREATE INDEX mls_listing_history_change_idx
	ON mls_listing_history (tenant_id, change, effective_at);

COMMENT ON TABLE mls_listing_history IS 'status and price changes of listings over time, and local overrides the MLS replaced';
COMMENT ON COLUMN mls_listing_history.effective_at IS 'when the change happened at the source: listed: original entry timestamp; status, price: status or price change timestamp; else the modification timestamp, else observed_at; removed: removed_at (docs/events.md)';
COMMENT ON COLUMN mls_listing_history.observed_at IS 'when mlsync recorded the change';
COMMENT ON COLUMN mls_listing_history.detail IS 'override_cleared: the fields whose local override the MLS replaced, the overrides and the MLS''s old and new values';

-- The durable event outbox.  Like the history above, the deliveries and
-- alerts below, runs and errors, events reference their tenant and go with
-- it (a tenant created again under the same name starts empty), but not
-- their connection: a deleted connection's past stays readable.
CREATE TABLE mls_events (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	event_id		bigint GENERATED ALWAYS AS IDENTITY,
	kind			text NOT NULL,
	connection		text,
	listing_key		text,
	watcher			text,
	payload			jsonb NOT NULL DEFAULT '{}',
	created_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, event_id)
);

COMMENT ON TABLE mls_events IS 'durable outbox of listing and admin events';
COMMENT ON COLUMN mls_events.kind IS 'what happened: a listing event kind (docs/events.md), alert, or an admin kind such as connection_disabled';
COMMENT ON COLUMN mls_events.watcher IS 'for kind alert: the watcher (application reference) the alert is addressed to';

-- Deliveries and alerts find an event by its id alone (ids come from one
-- sequence, so they are unique across tenants without a unique index: a
-- distributed table's unique keys lead with its distribution column,
-- docs/scaling.md); pruning reads events by age.
CREATE INDEX mls_events_event_id_idx ON mls_events (event_id);
CREATE INDEX mls_events_created_idx ON mls_events USING brin (created_at);

SELECT pg_catalog.pg_extension_config_dump('mls_listing_history', '');
SELECT pg_catalog.pg_extension_config_dump('mls_events', '');
SELECT pg_catalog.pg_extension_config_dump('mls_listing_history_history_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('mls_events_event_id_seq', '');

-- Named consumers and what they receive.  A consumer (the application's
-- alert mailer, its social poster, ...) may subscribe once for all tenants
-- (tenant NULL) and once per tenant; kinds NULL means every kind.  Events
-- inserted after a subscription becomes visible are delivered to it.
CREATE TABLE mls_subscriptions (
	subscription_id	bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	consumer		text NOT NULL CHECK (mls_is_valid_name(consumer)),
	tenant			text REFERENCES mls_tenants (tenant_id) ON DELETE CASCADE,
	kinds			text[] CHECK (cardinality(kinds) > 0),
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT mls_subscriptions_consumer_tenant_key UNIQUE NULLS NOT DISTINCT (consumer, tenant)
);

COMMENT ON TABLE mls_subscriptions IS 'named event consumers: which tenant (NULL: all) and which kinds (NULL: all) each receives; written by mls_subscribe';

-- One row per (consumer, event) not yet acknowledged: the outbox's delivery
-- state.  Written when the event is inserted, so it becomes visible exactly
-- when the event does, whatever order producers commit in.  claimed_until is
-- the visibility deadline of a claim; the row is claimable again after it.
-- Claims update only claimed_until and attempts, which no index covers, so
-- they are HOT updates in the page's free space.
-- tenant_id is the event's: the row-level security of tenant isolation
-- reads it (docs/tenancy.md), so a role claims only its tenants' events,
-- and it leads the key like in every tenant table.  A consumer claims in
-- event order across its tenants through the second index.
CREATE TABLE mls_event_deliveries (
	consumer		text NOT NULL,
	event_id		bigint NOT NULL,
	claimed_until	timestamptz,
	attempts		integer NOT NULL DEFAULT 0,
	-- 0.2.0 (new columns go last: an upgrade adds them there)
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	PRIMARY KEY (tenant_id, consumer, event_id)
) WITH (fillfactor = 80);

CREATE INDEX mls_event_deliveries_claim_idx ON mls_event_deliveries (consumer, event_id);

COMMENT ON TABLE mls_event_deliveries IS 'events a consumer has not acknowledged yet; claimed_until is the visibility deadline of the current claim';

-- API: Private.  The area keys of a saved search, qualified by tenant:
-- c:<city>, z:<postal code>, n:<county>, s:<subdivision>, and * for a search
-- with no location at all.  A listing's keys (mls_listing_area_keys) overlap
-- them when it lies in one of the search's areas.
CREATE FUNCTION mls_search_area_keys(tenant text, cities text[], postal_codes text[],
									 counties text[], subdivisions text[], has_radius boolean)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT DISTINCT tenant || '/' || k
				FROM (SELECT 'c:' || lower(btrim(x)) FROM unnest(cities) x WHERE btrim(x) <> ''
					  UNION ALL
					  SELECT 'z:' || lower(btrim(x)) FROM unnest(postal_codes) x WHERE btrim(x) <> ''
					  UNION ALL
					  SELECT 'n:' || lower(btrim(x)) FROM unnest(counties) x WHERE btrim(x) <> ''
					  UNION ALL
					  SELECT 's:' || lower(btrim(x)) FROM unnest(subdivisions) x WHERE btrim(x) <> '') a(k)
			   ORDER BY 1)
	|| CASE WHEN coalesce(cardinality(cities), 0) + coalesce(cardinality(postal_codes), 0)
				 + coalesce(cardinality(counties), 0) + coalesce(cardinality(subdivisions), 0) = 0
				 AND NOT has_radius
			THEN ARRAY[tenant || '/*'] ELSE '{}' END;

-- API: Private.  The area keys of a listing (see mls_search_area_keys).
CREATE FUNCTION mls_listing_area_keys(tenant text, city text, postal_code text,
									  county text, subdivision text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN array_remove(ARRAY[tenant || '/*',
						  tenant || '/c:' || lower(nullif(btrim(city), '')),
						  tenant || '/z:' || lower(nullif(btrim(postal_code), '')),
						  tenant || '/n:' || lower(nullif(btrim(county), '')),
						  tenant || '/s:' || lower(nullif(btrim(subdivision), ''))], NULL);

-- API: Private.  The keys of the price intervals that hold a listing's
-- price, coarse to fine: its decade (p6: 100,000 to 999,999), first digit
-- (p6.3) and first two digits (p6.31); p0 below 1, p13 from 10^12 up
-- (src/events/match_keys.c).
CREATE FUNCTION mls_price_keys(price numeric) RETURNS text[]
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'mls_price_keys';

-- API: Private.  The fewest price keys whose intervals cover a price range
-- (either bound NULL for none): every price in the range has one of them
-- among its mls_price_keys; a price just outside may too.
CREATE FUNCTION mls_price_range_keys(min_price numeric, max_price numeric) RETURNS text[]
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'mls_price_range_keys';

-- API: Private.  Each of a tenant's area keys qualified by each price key:
-- tenant/<price key>:<area> (tenant/p6.31:c:springfield).
CREATE FUNCTION mls_qualify_area_keys(tenant text, area_keys text[], price_keys text[])
RETURNS text[]
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'mls_qualify_area_keys';

-- API: Private.  The keys a saved search is found by in the GIN index
-- (mls_saved_searches.match_keys): without a price limit its area keys;
-- with one, each area key qualified by each key of the price range, so that
-- a listing finds only the searches of its area whose range may hold its
-- price.
CREATE FUNCTION mls_search_match_keys(tenant text, cities text[], postal_codes text[],
									  counties text[], subdivisions text[], has_radius boolean,
									  min_price numeric, max_price numeric)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN min_price IS NULL AND max_price IS NULL
			THEN mls_search_area_keys(tenant, cities, postal_codes, counties, subdivisions, has_radius)
			ELSE mls_qualify_area_keys(tenant,
									   mls_search_area_keys(tenant, cities, postal_codes, counties,
															subdivisions, has_radius),
									   mls_price_range_keys(min_price, max_price)) END;

-- API: Private.  The keys a listing looks saved searches up by: its area
-- keys (the searches without a price limit), and each of them qualified by
-- each of its price keys (those with one).
CREATE FUNCTION mls_listing_match_keys(tenant text, city text, postal_code text,
									   county text, subdivision text, price numeric)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN mls_listing_area_keys(tenant, city, postal_code, county, subdivision)
	   || mls_qualify_area_keys(tenant,
								mls_listing_area_keys(tenant, city, postal_code, county, subdivision),
								mls_price_keys(price));

-- API: Private.  Great-circle distance in kilometres (haversine, mean Earth
-- radius 6371.0088 km; within 0.5% of the ellipsoid).
CREATE FUNCTION mls_distance_km(lat1 double precision, lon1 double precision,
								lat2 double precision, lon2 double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 2 * 6371.0088 * asin(least(1, sqrt(
		 sin(radians(lat2 - lat1) / 2) ^ 2
		 + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2)));

-- API: Private.  The bounding box (x = longitude, y = latitude) of a circle,
-- used to prefilter radius searches with a GiST index before the exact
-- distance.  A circle reaching a pole spans every longitude; one crossing the
-- antimeridian is clipped at +-180 (no listing market straddles it).
CREATE FUNCTION mls_radius_bbox(latitude double precision, longitude double precision,
								radius_km double precision)
RETURNS box
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN latitude IS NULL OR longitude IS NULL OR radius_km IS NULL THEN NULL
	ELSE box(point(CASE WHEN abs(latitude) + radius_km / 111.19508 >= 90 THEN -180
						ELSE greatest(-180, longitude - radius_km / (111.19508 * cos(radians(latitude)))) END,
				   greatest(-90, latitude - radius_km / 111.19508)),
			 point(CASE WHEN abs(latitude) + radius_km / 111.19508 >= 90 THEN 180
						ELSE least(180, longitude + radius_km / (111.19508 * cos(radians(latitude)))) END,
				   least(90, latitude + radius_km / 111.19508)))
	END;

-- Saved searches of the application's users (F14).  A listing matches when
-- it lies in one of the listed areas or within the radius (or anywhere, if
-- the search names neither), and meets every other criterion given.
CREATE TABLE mls_saved_searches (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	search_id		bigint GENERATED ALWAYS AS IDENTITY,
	watcher			text NOT NULL CHECK (watcher <> ''),
	name			text,
	cities			text[],
	postal_codes	text[],
	counties		text[],
	subdivisions	text[],
	latitude		numeric(12, 8) CHECK (latitude BETWEEN -90 AND 90),
	longitude		numeric(12, 8) CHECK (longitude BETWEEN -180 AND 180),
	radius_km		numeric CHECK (radius_km > 0 AND radius_km <= 1000),
	min_price		numeric(14, 2) CHECK (min_price >= 0),
	max_price		numeric(14, 2) CHECK (max_price >= 0),
	min_beds		integer CHECK (min_beds >= 0),
	max_beds		integer CHECK (max_beds >= 0),
	min_baths		integer CHECK (min_baths >= 0),
	property_types	text[],
	active			boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT now(),
	area_keys		text[] NOT NULL GENERATED ALWAYS AS
					(mls_search_area_keys(tenant_id, cities, postal_codes, counties, subdivisions,
										  radius_km IS NOT NULL)) STORED,
	bbox			box GENERATED ALWAYS AS
					(mls_radius_bbox(latitude::double precision, longitude::double precision,
									 radius_km::double precision)) STORED,
	-- 0.2.0 (new columns go last: an upgrade adds them there)
	match_keys		text[] NOT NULL GENERATED ALWAYS AS
					(mls_search_match_keys(tenant_id, cities, postal_codes, counties, subdivisions,
										   radius_km IS NOT NULL, min_price, max_price)) STORED,
	PRIMARY KEY (tenant_id, search_id),
	CONSTRAINT mls_saved_searches_radius_needs_center
		CHECK ((latitude IS NULL) = (longitude IS NULL)
			   AND (radius_km IS NULL) = (latitude IS NULL)),
	CONSTRAINT mls_saved_searches_price_range CHECK (min_price <= max_price),
	CONSTRAINT mls_saved_searches_beds_range CHECK (min_beds <= max_beds)
);

-- Searches change rarely and are probed on every batch: no GIN pending list,
-- which every probe would scan until the next vacuum merged it.
CREATE INDEX mls_saved_searches_match_idx ON mls_saved_searches USING gin (match_keys)
	WITH (fastupdate = off) WHERE active;
CREATE INDEX mls_saved_searches_bbox_idx ON mls_saved_searches USING gist (bbox)
	WHERE active AND bbox IS NOT NULL;
CREATE INDEX mls_saved_searches_watcher_idx ON mls_saved_searches (tenant_id, watcher);

COMMENT ON TABLE mls_saved_searches IS 'saved searches of watchers: new listings, price cuts and back-on-market listings that match produce alert events';
COMMENT ON COLUMN mls_saved_searches.watcher IS 'the application''s reference of the person to alert (a client or user id)';
COMMENT ON COLUMN mls_saved_searches.area_keys IS 'generated: tenant-qualified area keys matched against a listing''s city, postal code, county and subdivision';
COMMENT ON COLUMN mls_saved_searches.match_keys IS 'generated: the area keys, each qualified by the price intervals covering min_price..max_price when the search limits the price; what the GIN index finds a listing''s searches by';
COMMENT ON COLUMN mls_saved_searches.bbox IS 'generated: bounding box of the radius (x longitude, y latitude), the prefilter of the distance test';

-- Listings and properties a watcher follows: any event on them produces an
-- alert.  A watch names a listing (connection, listing_key) or a unified
-- property (property_id, every listing of it in any MLS).
CREATE TABLE mls_watchlist (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	watch_id		bigint GENERATED ALWAYS AS IDENTITY,
	watcher			text NOT NULL CHECK (watcher <> ''),
	connection		text,
	listing_key		text,
	property_id		bigint,
	reason			text NOT NULL DEFAULT 'favorited' CHECK (reason <> ''),
	created_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, watch_id),
	CONSTRAINT mls_watchlist_one_target
		CHECK ((connection IS NULL) = (listing_key IS NULL)
			   AND num_nonnulls(listing_key, property_id) = 1),
	UNIQUE NULLS NOT DISTINCT (tenant_id, watcher, connection, listing_key, property_id, reason)
);

CREATE INDEX mls_watchlist_listing_idx ON mls_watchlist (tenant_id, connection, listing_key)
	WHERE listing_key IS NOT NULL;
CREATE INDEX mls_watchlist_property_idx ON mls_watchlist (tenant_id, property_id)
	WHERE property_id IS NOT NULL;

COMMENT ON TABLE mls_watchlist IS 'listings or properties a watcher follows, and why (viewed, favorited, ...)';

-- Every alert ever addressed, one per (watcher, listing, kind): the unique
-- key that keeps alerts from repeating, durable because events are pruned.
CREATE TABLE mls_alerts (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	watcher			text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	kind			text NOT NULL,
	event_id		bigint NOT NULL,
	cause_event_id	bigint NOT NULL,
	via				text NOT NULL CHECK (via IN ('watchlist', 'saved_search')),
	reason			text,
	search_id		bigint,
	created_at		timestamptz NOT NULL DEFAULT now(),
	-- 0.2.0 (new columns go last: an upgrade adds them there)
	property_id		bigint,
	duplicate_of	bigint,
	PRIMARY KEY (tenant_id, watcher, connection, listing_key, kind)
);

-- An alert about a property is looked for when another feed reports the
-- same (mls_events_alert, mlsync.duplicate_alert_window).
CREATE INDEX mls_alerts_property_idx ON mls_alerts (tenant_id, watcher, property_id, kind, created_at)
	WHERE property_id IS NOT NULL AND duplicate_of IS NULL;

COMMENT ON TABLE mls_alerts IS 'alerts addressed to watchers, one per watcher, listing and kind of the event that caused it';
COMMENT ON COLUMN mls_alerts.event_id IS 'the alert event in mls_events (for a duplicate: the alert it repeats)';
COMMENT ON COLUMN mls_alerts.property_id IS 'the property of the listing when the alert was decided';
COMMENT ON COLUMN mls_alerts.duplicate_of IS 'set when another feed had already raised this alert about the property within mlsync.duplicate_alert_window: the event id of that alert; no alert event was raised';
COMMENT ON COLUMN mls_alerts.cause_event_id IS 'the listing event the alert is about';

-- Time-based events already raised: dom_milestone once per listing run
-- (mark_date = first day of the run) and milestone; expiration_passed once
-- per expiration date (mark_date, milestone 0).
CREATE TABLE mls_time_event_marks (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	kind			text NOT NULL CHECK (kind IN ('dom_milestone', 'expiration_passed')),
	mark_date		date NOT NULL,
	milestone		integer NOT NULL DEFAULT 0,
	created_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, connection, listing_key, kind, mark_date, milestone)
);

COMMENT ON TABLE mls_time_event_marks IS 'time-based events already detected: the unique key that makes mls_detect_time_events idempotent';

SELECT pg_catalog.pg_extension_config_dump('mls_subscriptions', '');
SELECT pg_catalog.pg_extension_config_dump('mls_subscriptions_subscription_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('mls_event_deliveries', '');
SELECT pg_catalog.pg_extension_config_dump('mls_saved_searches', '');
SELECT pg_catalog.pg_extension_config_dump('mls_saved_searches_search_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('mls_watchlist', '');
SELECT pg_catalog.pg_extension_config_dump('mls_watchlist_watch_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('mls_alerts', '');
SELECT pg_catalog.pg_extension_config_dump('mls_time_event_marks', '');
