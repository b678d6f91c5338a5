-- mlsync install script, part 31: change capture on mls_listings
-- (docs/features.md F13, F15).
--
-- Two paths record the same history rows and events, each set-based:
--
-- * The sync's writer (src/engine/writer.c) records what its own statements
--   change: after each batch's upsert, and after each removal, it passes the
--   rows before and after to mls_writer_capture, which calls
--   mls_capture_updated and mls_capture_inserted and then the delivery and
--   alert fan-out (mls_events_fanout) of the events they inserted.  No
--   trigger is involved, so this is the path that works where the triggers
--   cannot (on Citus, whose shards do not see transition tables).
-- * Two statement-level triggers with transition tables call the same two
--   functions for every other statement that writes mls_listings: an
--   application's own UPDATE, mls_listing_override, and so on.  Their WHEN
--   clause (NOT mls_writer_capturing()) keeps them out of the writer's
--   statements.
--
-- Only changes of tracked columns count, so a rewrite with the same values
-- (a remap, an edit of local_overrides, bookkeeping columns) records
-- nothing.  The kinds and payloads are listed in docs/events.md.

-- API: Private.  Whether the statement running is a COPY into mls_listings or
-- mls_events.  That is how a dump restores them: pg_dump writes their rows
-- as COPY ... FROM stdin, in a plain SQL script (psql) and in an archive
-- (pg_restore) alike, and the sync never uses COPY.  Restored rows come
-- with the history, events, deliveries and alerts they caused, so the
-- triggers must take them as they are; recording them again would also
-- collide with the restored rows' ids, because pg_dump sets the identity
-- sequences only after all the data.
CREATE FUNCTION mls_copying_in() RETURNS boolean
LANGUAGE sql STABLE PARALLEL RESTRICTED
RETURN coalesce(current_query() ~* '^\s*copy\s+("?mlsync"?\s*\.\s*)?"?mls_(listings|events)"?[\s(]', false);

-- API: Private.  What the triggers record: mlsync.listing_events ('on',
-- 'history_only' or 'off'), and 'off' whatever it says while COPY loads rows
-- into mls_listings or mls_events (mls_copying_in: restoring a dump).
-- Before the library is loaded in a session the setting may be a
-- placeholder holding any spelling of a boolean, or may not exist at all.
CREATE FUNCTION mls_listing_events_mode() RETURNS text
LANGUAGE sql STABLE PARALLEL RESTRICTED
RETURN CASE WHEN mlsync.mls_copying_in() THEN 'off'
		ELSE CASE lower(coalesce(current_setting('mlsync.listing_events', true), 'on'))
			WHEN 'history_only' THEN 'history_only'
			WHEN 'off' THEN 'off' WHEN 'false' THEN 'off' WHEN 'no' THEN 'off' WHEN '0' THEN 'off'
			ELSE 'on'
		END
	END;

-- API: Private.  The specific event kind of a status change, or NULL when it
-- has none (status_changed alone).  'Active Under Contract' counts as
-- pending; back on market is a return to Active from a status that took the
-- listing off the market (pending, expired, withdrawn, canceled, on hold, or
-- removed at the source).
CREATE FUNCTION mls_status_event_kind(old_status text, new_status text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
		WHEN old_status IS NOT DISTINCT FROM new_status THEN NULL
		WHEN new_status IN ('Pending', 'Active Under Contract') THEN
			CASE WHEN old_status IN ('Pending', 'Active Under Contract') THEN NULL ELSE 'went_pending' END
		WHEN new_status = 'Closed' THEN 'sold'
		WHEN new_status = 'Expired' THEN 'expired'
		WHEN new_status IN ('Withdrawn', 'Canceled') THEN
			CASE WHEN old_status IN ('Withdrawn', 'Canceled') THEN NULL ELSE 'withdrawn' END
		WHEN new_status = 'Active'
			 AND old_status IN ('Pending', 'Active Under Contract', 'Expired', 'Withdrawn',
								'Canceled', 'Hold', 'Delete') THEN 'back_on_market'
	END;

-- API: Private.  Whether the statement running is the sync writer's, which
-- records its own changes (src/events/events.c): the WHEN clause of the
-- capture, alert and delivery triggers.
CREATE FUNCTION mls_writer_capturing() RETURNS boolean
LANGUAGE c VOLATILE PARALLEL RESTRICTED
AS 'MODULE_PATHNAME', $$mls_writer_capturing$$;

-- API: Private.  What the capture reads of a listing as stored: its key,
-- the tracked columns and those its events carry.  The capture functions
-- take arrays of these rather than of mls_listings, so a statement that
-- writes many listings does not copy their raw records into arrays.  The
-- writer (src/engine/writer.c, capture_row) and the triggers below build
-- them with ROW(...) in this column order.
CREATE TYPE mls_listing_capture AS (
	tenant_id		text,
	connection		text,
	listing_key		text,
	standard_status	text,
	list_price		numeric(14, 2),
	close_price		numeric(14, 2),
	close_date		date,
	property_type	text,
	city			text,
	postal_code		text,
	photos_count	integer,
	photos_change_timestamp timestamptz,
	modification_timestamp timestamptz,
	original_entry_timestamp timestamptz,
	status_change_timestamp timestamptz,
	price_change_timestamp timestamptz,
	conflict		text,
	removed_at		timestamptz
);

-- API: Private.  Records listings just inserted (rows as stored): one
-- 'listed' history row each and, with mlsync.listing_events = on, one
-- new_listing event each, in the rows' order.  at stands in for a missing
-- listing timestamp (the caller's now()).  Returns the ids of the events
-- inserted, ascending; their delivery and alerts are the caller's.
CREATE FUNCTION mls_capture_inserted(new_rows mls_listing_capture[], at timestamptz)
RETURNS bigint[]
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	mode text := mlsync.mls_listing_events_mode();
	ids bigint[];
BEGIN
	IF mode = 'off' OR coalesce(cardinality(new_rows), 0) = 0 THEN
		RETURN '{}';
	END IF;

	INSERT INTO mlsync.mls_listing_history
		(tenant_id, connection, listing_key, change, new_status, new_price, effective_at)
	SELECT n.tenant_id, n.connection, n.listing_key, 'listed', n.standard_status, n.list_price,
		   coalesce(n.original_entry_timestamp, n.modification_timestamp, at)
	  FROM unnest(new_rows) WITH ORDINALITY n
	 ORDER BY n.ordinality;

	IF mode = 'on' THEN
		WITH e AS (
			INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
			SELECT n.tenant_id, 'new_listing', n.connection, n.listing_key,
				   jsonb_build_object('status', n.standard_status, 'list_price', n.list_price,
									  'property_type', n.property_type, 'city', n.city,
									  'postal_code', n.postal_code)
			  FROM unnest(new_rows) WITH ORDINALITY n
			 ORDER BY n.ordinality
			RETURNING event_id
		)
		SELECT array_agg(e.event_id ORDER BY e.event_id) INTO ids FROM e;
	END IF;
	RETURN coalesce(ids, '{}');
END
$$;

-- API: Private.  Records listings just updated: old_rows and new_rows hold
-- each listing before and after (as stored), matched on the key; a listing
-- whose key changed records nothing.  Only listings whose status, list
-- price, photos, removal or removal conflict changed go further, in the
-- order of new_rows.  at stands in for a missing listing timestamp (the
-- caller's now()).  Returns the ids of the events inserted, ascending;
-- their delivery and alerts are the caller's.
CREATE FUNCTION mls_capture_updated(old_rows mls_listing_capture[],
									new_rows mls_listing_capture[], at timestamptz)
RETURNS bigint[]
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	mode text := mlsync.mls_listing_events_mode();
	ids bigint[];
BEGIN
	IF mode = 'off' OR coalesce(cardinality(old_rows), 0) = 0 THEN
		RETURN '{}';
	END IF;

	WITH ch AS MATERIALIZED (
		SELECT n.tenant_id, n.connection, n.listing_key,
			   o.standard_status AS old_status, n.standard_status AS new_status,
			   mlsync.mls_status_event_kind(o.standard_status, n.standard_status) AS status_kind,
			   o.list_price AS old_price, n.list_price AS new_price,
			   o.photos_count AS old_photos, n.photos_count AS new_photos,
			   o.photos_change_timestamp IS DISTINCT FROM n.photos_change_timestamp
				   OR o.photos_count IS DISTINCT FROM n.photos_count AS photos_changed,
			   n.photos_change_timestamp,
			   o.removed_at IS NULL AND n.removed_at IS NOT NULL AS removed,
			   n.removed_at,
			   n.conflict = 'removed_at_source'
				   AND o.conflict IS DISTINCT FROM n.conflict AS removal_flagged,
			   n.close_price, n.close_date,
			   n.status_change_timestamp, n.price_change_timestamp, n.modification_timestamp
		  FROM unnest(old_rows) o
		  JOIN unnest(new_rows) WITH ORDINALITY n USING (tenant_id, connection, listing_key)
		 WHERE o.standard_status IS DISTINCT FROM n.standard_status
			OR o.list_price IS DISTINCT FROM n.list_price
			OR o.photos_count IS DISTINCT FROM n.photos_count
			OR o.photos_change_timestamp IS DISTINCT FROM n.photos_change_timestamp
			OR (o.removed_at IS NULL AND n.removed_at IS NOT NULL)
			OR (n.conflict = 'removed_at_source' AND o.conflict IS DISTINCT FROM n.conflict)
		 ORDER BY n.ordinality
	),
	history AS (
		INSERT INTO mlsync.mls_listing_history
			(tenant_id, connection, listing_key, change, old_status, new_status,
			 old_price, new_price, effective_at)
		SELECT ch.tenant_id, ch.connection, ch.listing_key, 'status', ch.old_status, ch.new_status,
			   NULL, NULL, coalesce(ch.status_change_timestamp, ch.modification_timestamp, at)
		  FROM ch WHERE ch.old_status IS DISTINCT FROM ch.new_status
		UNION ALL
		SELECT ch.tenant_id, ch.connection, ch.listing_key, 'price', NULL, NULL,
			   ch.old_price, ch.new_price,
			   coalesce(ch.price_change_timestamp, ch.modification_timestamp, at)
		  FROM ch WHERE ch.old_price IS DISTINCT FROM ch.new_price
		UNION ALL
		SELECT ch.tenant_id, ch.connection, ch.listing_key, 'removed', NULL, NULL,
			   NULL, NULL, ch.removed_at
		  FROM ch WHERE ch.removed
	),
	ev AS (
		INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
		SELECT e.tenant_id, e.kind, e.connection, e.listing_key, e.payload
		  FROM (SELECT ch.tenant_id, ch.connection, ch.listing_key,
					   CASE WHEN ch.new_price < ch.old_price THEN 'price_reduced' ELSE 'price_increased' END AS kind,
					   jsonb_build_object('old_price', ch.old_price, 'new_price', ch.new_price,
										  'amount', abs(ch.new_price - ch.old_price),
										  'percent', round(abs(ch.new_price - ch.old_price) * 100
														   / nullif(ch.old_price, 0), 2),
										  'status', ch.new_status) AS payload
				  FROM ch WHERE ch.new_price <> ch.old_price
				UNION ALL
				SELECT ch.tenant_id, ch.connection, ch.listing_key, 'status_changed',
					   jsonb_build_object('old_status', ch.old_status, 'new_status', ch.new_status)
				  FROM ch WHERE ch.old_status IS DISTINCT FROM ch.new_status
				UNION ALL
				SELECT ch.tenant_id, ch.connection, ch.listing_key, ch.status_kind,
					   CASE ch.status_kind
						   WHEN 'sold' THEN
							   jsonb_build_object('old_status', ch.old_status, 'close_price', ch.close_price,
												  'close_date', ch.close_date, 'list_price', ch.new_price)
						   ELSE jsonb_build_object('old_status', ch.old_status, 'new_status', ch.new_status,
												   'list_price', ch.new_price)
					   END
				  FROM ch WHERE ch.status_kind IS NOT NULL
				UNION ALL
				SELECT ch.tenant_id, ch.connection, ch.listing_key, 'unpublish_requested',
					   jsonb_build_object('reason', 'sold')
				  FROM ch WHERE ch.status_kind = 'sold'
				UNION ALL
				SELECT ch.tenant_id, ch.connection, ch.listing_key, 'removed',
					   jsonb_build_object('old_status', ch.old_status, 'removed_at', ch.removed_at)
				  FROM ch WHERE ch.removed
				UNION ALL
				SELECT ch.tenant_id, ch.connection, ch.listing_key, 'removal_flagged',
					   jsonb_build_object('conflict', 'removed_at_source', 'status', ch.new_status)
				  FROM ch WHERE ch.removal_flagged
				UNION ALL
				SELECT ch.tenant_id, ch.connection, ch.listing_key, 'photos_changed',
					   jsonb_build_object('old_count', ch.old_photos, 'new_count', ch.new_photos,
										  'photos_change_timestamp', ch.photos_change_timestamp)
				  FROM ch WHERE ch.photos_changed) e
		 WHERE mode = 'on'
		RETURNING event_id
	)
	SELECT array_agg(ev.event_id ORDER BY ev.event_id) INTO ids FROM ev;
	RETURN coalesce(ids, '{}');
END
$$;

-- API: Private.  What the sync's writer calls after each statement that
-- wrote listings (src/engine/writer.c), with mls_writer_capturing() true so
-- no trigger joins in: records the updated listings (old_rows, new_rows),
-- then the inserted ones, each followed by the delivery and alerts of the
-- events it inserted, then delivers the events the writer's statement
-- inserted itself (event_ids: override_cleared, listing_updated).  That is
-- the order the triggers kept for an upsert (the update trigger fires
-- first).  at is the transaction's start (what now() is to the triggers).
CREATE FUNCTION mls_writer_capture(old_rows mls_listing_capture[],
								   new_rows mls_listing_capture[],
								   inserted_rows mls_listing_capture[], event_ids bigint[],
								   at timestamptz)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF mlsync.mls_listing_events_mode() = 'off' THEN
		RETURN;
	END IF;
	PERFORM mlsync.mls_events_fanout(mlsync.mls_capture_updated(old_rows, new_rows, at));
	PERFORM mlsync.mls_events_fanout(mlsync.mls_capture_inserted(inserted_rows, at));
	PERFORM mlsync.mls_events_fanout(event_ids);
END
$$;

-- API: Private.  Trigger function: rows inserted into mls_listings by any
-- statement but the writer's.
CREATE FUNCTION mls_listings_capture_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- an upsert whose rows all conflicted fires this with no rows; the
	-- events' delivery and alerts are the mls_events triggers'
	IF mlsync.mls_listing_events_mode() <> 'off' AND EXISTS (SELECT FROM new_rows) THEN
		PERFORM mlsync.mls_capture_inserted(
			ARRAY(SELECT ROW(n.tenant_id, n.connection, n.listing_key, n.standard_status,
				n.list_price, n.close_price, n.close_date, n.property_type, n.city,
				n.postal_code, n.photos_count, n.photos_change_timestamp,
				n.modification_timestamp, n.original_entry_timestamp,
				n.status_change_timestamp, n.price_change_timestamp, n.conflict,
				n.removed_at)::mlsync.mls_listing_capture
					FROM new_rows n), now());
	END IF;
	RETURN NULL;
END
$$;

-- API: Private.  Trigger function: rows updated in mls_listings by any
-- statement but the writer's.
CREATE FUNCTION mls_listings_capture_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- an upsert of new or unchanged records fires this with no rows
	IF mlsync.mls_listing_events_mode() <> 'off' AND EXISTS (SELECT FROM old_rows) THEN
		PERFORM mlsync.mls_capture_updated(
			ARRAY(SELECT ROW(o.tenant_id, o.connection, o.listing_key, o.standard_status,
				o.list_price, o.close_price, o.close_date, o.property_type, o.city,
				o.postal_code, o.photos_count, o.photos_change_timestamp,
				o.modification_timestamp, o.original_entry_timestamp,
				o.status_change_timestamp, o.price_change_timestamp, o.conflict,
				o.removed_at)::mlsync.mls_listing_capture
					FROM old_rows o),
			ARRAY(SELECT ROW(n.tenant_id, n.connection, n.listing_key, n.standard_status,
				n.list_price, n.close_price, n.close_date, n.property_type, n.city,
				n.postal_code, n.photos_count, n.photos_change_timestamp,
				n.modification_timestamp, n.original_entry_timestamp,
				n.status_change_timestamp, n.price_change_timestamp, n.conflict,
				n.removed_at)::mlsync.mls_listing_capture
					FROM new_rows n), now());
	END IF;
	RETURN NULL;
END
$$;

-- The WHEN clause is evaluated as the statement ends, while the writer's
-- flag is still up: its statements do not call the functions at all.
CREATE TRIGGER mls_listings_events_insert
	AFTER INSERT ON mls_listings
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT
	WHEN (NOT mlsync.mls_writer_capturing())
	EXECUTE FUNCTION mls_listings_capture_insert();

CREATE TRIGGER mls_listings_events_update
	AFTER UPDATE ON mls_listings
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT
	WHEN (NOT mlsync.mls_writer_capturing())
	EXECUTE FUNCTION mls_listings_capture_update();

REVOKE ALL ON FUNCTION mls_listings_capture_insert() FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_listings_capture_update() FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_capture_inserted(mls_listing_capture[], timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_capture_updated(mls_listing_capture[], mls_listing_capture[], timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_writer_capture(mls_listing_capture[], mls_listing_capture[],
										  mls_listing_capture[], bigint[], timestamptz) FROM PUBLIC;
