-- mlsync install script, part 33: targeted alerts (docs/features.md F14).
--
-- mls_alert_events matches listing events (those of each statement that
-- inserts into mls_events: the sync's writer calls it for its batches,
-- mls_events_fanout, a statement trigger for everybody else) against the
-- watch list (any event on a watched listing or property) and the saved
-- searches (new listings, price cuts and
-- back-on-market listings), set-based: every event probes the GIN index of
-- match keys (its areas, and its areas qualified by its price: it reads the
-- searches of its area whose price range may hold its price, not all of
-- them) and the GiST index of radius boxes once, and the exact distance is
-- computed only for box candidates.  Each (watcher, listing, kind) is
-- alerted once, ever: mls_alerts holds that key; its insert decides, under
-- concurrency too, which alerts are new, and only those become alert events.
-- A house listed by several MLSs raises one alert: an alert about a
-- property that another feed already raised for the watcher within
-- mlsync.duplicate_alert_window is recorded as its duplicate instead.

-- API: Private.  Event kinds on a watched listing that alert its watchers.
-- unpublish_requested and removal_flagged are instructions to the
-- application, not news; status_changed alerts only when the change has no
-- specific kind (went_pending, sold, ...), which alerts instead.
CREATE FUNCTION mls_watch_alert_kinds() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['new_listing', 'price_reduced', 'price_increased', 'status_changed',
			 'went_pending', 'sold', 'expired', 'withdrawn', 'back_on_market', 'removed',
			 'photos_changed', 'dom_milestone', 'expiration_passed'];

-- API: Private.  How long after an alert about a property the same alert
-- reported by another feed is a duplicate (mlsync.duplicate_alert_window;
-- two days when the setting is not there).
CREATE FUNCTION mls_duplicate_alert_window() RETURNS interval
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(nullif(current_setting('mlsync.duplicate_alert_window', true), ''), '2d')::interval;

-- API: Private.  Raises the alerts of the given events (those one statement
-- inserted): inserts the alerts and their alert events, and returns the
-- alert events' ids, ascending.  Their delivery is the caller's (the
-- mls_events triggers', or mls_events_fanout's).  Without JIT: the planner
-- prices the statement's correlated sub-select of a CTE far above what it
-- costs, past jit_above_cost, and compiling it took 2.5 s of every call of a
-- batch that ran in 0.2 s (bench/alerts_sync.sh).
CREATE FUNCTION mls_alert_events(event_ids bigint[]) RETURNS bigint[]
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
	ids bigint[];
	first_id bigint;
	last_id bigint;
BEGIN
	-- cheap exits: a restore, nobody watching anything, no alertable event
	-- (the events are read through the primary key between the first and
	-- the last id, as mls_deliver_events reads them, and for its reason)
	IF coalesce(cardinality(event_ids), 0) = 0
	   OR mlsync.mls_listing_events_mode() = 'off'
	   OR NOT (EXISTS (SELECT FROM mlsync.mls_watchlist)
			   OR EXISTS (SELECT FROM mlsync.mls_saved_searches WHERE active)) THEN
		RETURN '{}';
	END IF;
	SELECT min(i), max(i) INTO first_id, last_id FROM unnest(event_ids) i;
	IF NOT EXISTS (SELECT FROM mlsync.mls_events e
					WHERE e.event_id = ANY (event_ids) AND e.event_id BETWEEN first_id AND last_id
					  AND e.kind = ANY (mlsync.mls_watch_alert_kinds())
					  AND e.listing_key IS NOT NULL) THEN
		RETURN '{}';
	END IF;

	WITH new_events AS MATERIALIZED (
		SELECT e.event_id, e.tenant_id, e.kind, e.connection, e.listing_key
		  FROM mlsync.mls_events e
		 WHERE e.event_id = ANY (event_ids) AND e.event_id BETWEEN first_id AND last_id
	),
	ev AS MATERIALIZED (
		SELECT e.event_id, e.tenant_id, e.kind, e.connection, e.listing_key
		  FROM new_events e
		 WHERE e.kind = ANY (mlsync.mls_watch_alert_kinds())
		   AND e.connection IS NOT NULL AND e.listing_key IS NOT NULL
		   AND NOT (e.kind = 'status_changed'
					AND EXISTS (SELECT FROM new_events s
								 WHERE s.tenant_id = e.tenant_id AND s.connection = e.connection
								   AND s.listing_key = e.listing_key
								   AND s.kind IN ('went_pending', 'sold', 'expired', 'withdrawn',
												  'back_on_market', 'removed')))
	),
	-- every event, with its listing's row when the listing is there (an
	-- event about a listing that is gone still alerts its watchers)
	lst AS MATERIALIZED (
		SELECT ev.event_id, ev.tenant_id, ev.kind, ev.connection, ev.listing_key,
			   l.property_id, l.standard_status, l.list_price, l.bedrooms_total,
			   coalesce(l.bathrooms_total_integer, l.bathrooms_full) AS baths,
			   l.property_type, l.property_sub_type,
			   l.latitude::double precision AS lat, l.longitude::double precision AS lon,
			   mlsync.mls_listing_match_keys(l.tenant_id, l.city, l.postal_code,
											 l.county_or_parish, l.subdivision_name,
											 l.list_price) AS match_keys
		  FROM ev
		  LEFT JOIN mlsync.mls_listings l
			ON l.tenant_id = ev.tenant_id AND l.connection = ev.connection
		   AND l.listing_key = ev.listing_key
	),
	candidates AS (
		-- watched listings
		SELECT lst.tenant_id, w.watcher, lst.connection, lst.listing_key, lst.kind, lst.event_id,
			   'watchlist' AS via, w.reason, NULL::bigint AS search_id, 1 AS preference,
			   lst.property_id
		  FROM lst
		  JOIN mlsync.mls_watchlist w
			ON w.tenant_id = lst.tenant_id AND w.connection = lst.connection
		   AND w.listing_key = lst.listing_key
		UNION ALL
		-- watched properties, whichever MLS lists them
		SELECT lst.tenant_id, w.watcher, lst.connection, lst.listing_key, lst.kind, lst.event_id,
			   'watchlist', w.reason, NULL, 1, lst.property_id
		  FROM lst
		  JOIN mlsync.mls_watchlist w
			ON w.tenant_id = lst.tenant_id AND w.property_id = lst.property_id
		UNION ALL
		-- saved searches: new listings, price cuts, back on market, while available
		SELECT lst.tenant_id, s.watcher, lst.connection, lst.listing_key, lst.kind, lst.event_id,
			   'saved_search', NULL, s.search_id, 2, lst.property_id
		  FROM lst
		  CROSS JOIN LATERAL (
				SELECT a.search_id, a.watcher, a.min_price, a.max_price, a.min_beds, a.max_beds,
					   a.min_baths, a.property_types
				  FROM mlsync.mls_saved_searches a
				 WHERE a.active AND a.match_keys && lst.match_keys
				UNION ALL
				SELECT r.search_id, r.watcher, r.min_price, r.max_price, r.min_beds, r.max_beds,
					   r.min_baths, r.property_types
				  FROM mlsync.mls_saved_searches r
				 WHERE r.active AND r.bbox IS NOT NULL
				   AND r.bbox @> box(point(lst.lon, lst.lat), point(lst.lon, lst.lat))
				   AND r.tenant_id = lst.tenant_id
				   AND mlsync.mls_distance_km(r.latitude::double precision, r.longitude::double precision,
											  lst.lat, lst.lon) <= r.radius_km
			) s
		 WHERE lst.kind IN ('new_listing', 'price_reduced', 'back_on_market')
		   AND lst.standard_status IN ('Active', 'Coming Soon')
		   AND (s.min_price IS NULL OR lst.list_price >= s.min_price)
		   AND (s.max_price IS NULL OR lst.list_price <= s.max_price)
		   AND (s.min_beds IS NULL OR lst.bedrooms_total >= s.min_beds)
		   AND (s.max_beds IS NULL OR lst.bedrooms_total <= s.max_beds)
		   AND (s.min_baths IS NULL OR lst.baths >= s.min_baths)
		   AND (s.property_types IS NULL
				OR lst.property_type = ANY (s.property_types)
				OR lst.property_sub_type = ANY (s.property_types))
	),
	chosen AS (
		-- one per (watcher, listing, kind): a watch before a search, then the
		-- first reason or the lowest search id
		SELECT DISTINCT ON (c.tenant_id, c.watcher, c.connection, c.listing_key, c.kind) c.*
		  FROM candidates c
		 ORDER BY c.tenant_id, c.watcher, c.connection, c.listing_key, c.kind,
				  c.preference, c.reason, c.search_id, c.event_id
	),
	judged AS MATERIALIZED (
		-- another feed already raised this alert about the property, within
		-- the window: this one is recorded as its duplicate, and not raised.
		-- Looked up once per alert, and only for a known property (a
		-- sub-select in the target list ran once for each of the three
		-- places the INSERT below reads duplicate_of).
		SELECT c.*, d.event_id AS duplicate_of
		  FROM chosen c
		  LEFT JOIN LATERAL (
				SELECT a.event_id
				  FROM mlsync.mls_alerts a
				 WHERE c.property_id IS NOT NULL
				   AND a.tenant_id = c.tenant_id AND a.watcher = c.watcher
				   AND a.property_id = c.property_id AND a.kind = c.kind
				   AND a.duplicate_of IS NULL AND a.connection <> c.connection
				   AND a.created_at >= now() - mlsync.mls_duplicate_alert_window()
				 ORDER BY a.created_at, a.event_id
				 LIMIT 1) d ON true
	),
	fresh AS (
		INSERT INTO mlsync.mls_alerts AS a
			(tenant_id, watcher, connection, listing_key, kind, event_id, cause_event_id,
			 via, reason, search_id, property_id, duplicate_of)
		SELECT j.tenant_id, j.watcher, j.connection, j.listing_key, j.kind,
			   CASE WHEN j.duplicate_of IS NULL
					THEN nextval('mlsync.mls_events_event_id_seq') ELSE j.duplicate_of END,
			   j.event_id, j.via, j.reason, j.search_id, j.property_id, j.duplicate_of
		  FROM judged j
		ON CONFLICT DO NOTHING
		RETURNING a.*
	),
	raised AS (
		INSERT INTO mlsync.mls_events (event_id, tenant_id, kind, connection, listing_key, watcher, payload)
		OVERRIDING SYSTEM VALUE
		SELECT f.event_id, f.tenant_id, 'alert', f.connection, f.listing_key, f.watcher,
			   jsonb_strip_nulls(jsonb_build_object('alert', f.kind, 'cause_event_id', f.cause_event_id,
													'via', f.via, 'reason', f.reason,
													'search_id', f.search_id))
		  FROM fresh f
		 WHERE f.duplicate_of IS NULL
		RETURNING event_id
	)
	SELECT array_agg(r.event_id ORDER BY r.event_id) INTO ids FROM raised r;
	RETURN coalesce(ids, '{}');
END
$$;

REVOKE ALL ON FUNCTION mls_alert_events(bigint[]) FROM PUBLIC;

-- API: Private.  Trigger function: alerts for the events a statement other
-- than the sync writer's inserted into mls_events.  The alert events it
-- inserts go through both mls_events triggers themselves, and end here at
-- once: no alert event is alertable, and the statement's own rows say so
-- without reading them back from mls_events.
CREATE FUNCTION mls_events_alert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF EXISTS (SELECT FROM new_events e
				WHERE e.kind = ANY (mlsync.mls_watch_alert_kinds()) AND e.listing_key IS NOT NULL) THEN
		PERFORM mlsync.mls_alert_events(ARRAY(SELECT e.event_id FROM new_events e));
	END IF;
	RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION mls_events_alert() FROM PUBLIC;

-- API: Private.  The alerts and delivery of events the sync's writer
-- inserted (mls_writer_capture), in the order the triggers keep: the alerts
-- first, and their alert events delivered, then the events themselves.
-- Runs while mls_writer_capturing() is true, so the mls_events triggers
-- leave the alert events it inserts to it.
CREATE FUNCTION mls_events_fanout(event_ids bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF coalesce(cardinality(event_ids), 0) = 0 THEN
		RETURN;
	END IF;
	PERFORM mlsync.mls_deliver_events(mlsync.mls_alert_events(event_ids));
	PERFORM mlsync.mls_deliver_events(event_ids);
END
$$;

REVOKE ALL ON FUNCTION mls_events_fanout(bigint[]) FROM PUBLIC;

-- API: Private.  The alerts and delivery of events inserted outside the
-- sync's writer (mls_emit_event, time events, operational alerts,
-- connection_disabled, media_changed), where the mls_events triggers do not
-- do them: a distributed installation drops those triggers (on Citus a
-- shard's trigger sees no transition table, docs/scaling.md), and then
-- each of these paths fans its events out itself.  With the triggers in
-- place (one server) they have done it already, and this does nothing;
-- they go together: with either of them there, this leaves the events to
-- them.  Called through mls_events_fanout_untriggered, which checks that
-- the caller may operate the events' tenants.
CREATE FUNCTION mls_events_fanout_untriggered_unchecked(event_ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
SELECT mlsync.mls_events_fanout(event_ids)
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_trigger t
					WHERE t.tgrelid = 'mlsync.mls_events'::regclass
					  AND t.tgname IN ('mls_events_alert', 'mls_events_deliver')
					  AND t.tgenabled <> 'D')
$$;

REVOKE ALL ON FUNCTION mls_events_fanout_untriggered_unchecked(bigint[]) FROM PUBLIC;

COMMENT ON FUNCTION mls_events_fanout_untriggered_unchecked(bigint[]) IS
'private: mls_events_fanout_untriggered as the extension''s owner, called by it once the caller may operate the events'' tenants';

-- API: Private (callable: the event paths of invokers call it).  Needs the
-- operate privilege on the tenant of every event given.
CREATE FUNCTION mls_events_fanout_untriggered(event_ids bigint[]) RETURNS void
LANGUAGE c
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_events_fanout_untriggered_checked$$;

COMMENT ON FUNCTION mls_events_fanout_untriggered(bigint[]) IS
'private: the alerts and delivery of events inserted outside the sync writer when the mls_events triggers are dropped (a distributed installation); needs operate on the events'' tenants';

-- Fires before mls_events_deliver (triggers fire in name order); neither
-- fires for the sync writer's statements (mls_writer_capturing).
CREATE TRIGGER mls_events_alert
	AFTER INSERT ON mls_events
	REFERENCING NEW TABLE AS new_events
	FOR EACH STATEMENT
	WHEN (NOT mlsync.mls_writer_capturing())
	EXECUTE FUNCTION mls_events_alert();
