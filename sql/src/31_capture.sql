-- mlsync install script, part 31: change capture on mls_listings
-- (docs/features.md F13, F15).
--
-- Two statement-level triggers with transition tables turn every statement
-- that writes mls_listings into one set-based insert of history rows and one
-- of events, whatever the statement: the sync's batched upsert (INSERT ... ON
-- CONFLICT DO UPDATE fires both, each with its own rows), reconciliation's
-- UPDATE, or an application's own writes.  Only changes of tracked columns
-- count, so a rewrite with the same values (a remap, an edit of
-- local_overrides, bookkeeping columns) records nothing.  The kinds and
-- payloads are listed in docs/events.md.

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

-- API: Private.  Trigger function: rows inserted into mls_listings.
CREATE FUNCTION mls_listings_capture_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	mode text := mlsync.mls_listing_events_mode();
BEGIN
	-- an upsert whose rows all conflicted fires this with no rows
	IF mode = 'off' OR NOT EXISTS (SELECT FROM new_rows) THEN
		RETURN NULL;
	END IF;

	INSERT INTO mlsync.mls_listing_history
		(tenant_id, connection, listing_key, change, new_status, new_price, effective_at)
	SELECT n.tenant_id, n.connection, n.listing_key, 'listed', n.standard_status, n.list_price,
		   coalesce(n.original_entry_timestamp, n.modification_timestamp, now())
	  FROM new_rows n;

	IF mode = 'on' THEN
		INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
		SELECT n.tenant_id, 'new_listing', n.connection, n.listing_key,
			   jsonb_build_object('status', n.standard_status, 'list_price', n.list_price,
								  'property_type', n.property_type, 'city', n.city,
								  'postal_code', n.postal_code)
		  FROM new_rows n;
	END IF;
	RETURN NULL;
END
$$;

-- API: Private.  Trigger function: rows updated in mls_listings.  The old and
-- new transition tables are joined on the key; only rows whose status, list
-- price, photos, removal or removal conflict changed go further.  A statement
-- that changes a listing's key records nothing for it.
CREATE FUNCTION mls_listings_capture_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	mode text := mlsync.mls_listing_events_mode();
BEGIN
	-- an upsert of new or unchanged records fires this with no rows
	IF mode = 'off' OR NOT EXISTS (SELECT FROM old_rows) THEN
		RETURN NULL;
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
		  FROM old_rows o
		  JOIN new_rows n USING (tenant_id, connection, listing_key)
		 WHERE o.standard_status IS DISTINCT FROM n.standard_status
			OR o.list_price IS DISTINCT FROM n.list_price
			OR o.photos_count IS DISTINCT FROM n.photos_count
			OR o.photos_change_timestamp IS DISTINCT FROM n.photos_change_timestamp
			OR (o.removed_at IS NULL AND n.removed_at IS NOT NULL)
			OR (n.conflict = 'removed_at_source' AND o.conflict IS DISTINCT FROM n.conflict)
	),
	history AS (
		INSERT INTO mlsync.mls_listing_history
			(tenant_id, connection, listing_key, change, old_status, new_status,
			 old_price, new_price, effective_at)
		SELECT ch.tenant_id, ch.connection, ch.listing_key, 'status', ch.old_status, ch.new_status,
			   NULL, NULL, coalesce(ch.status_change_timestamp, ch.modification_timestamp, now())
		  FROM ch WHERE ch.old_status IS DISTINCT FROM ch.new_status
		UNION ALL
		SELECT ch.tenant_id, ch.connection, ch.listing_key, 'price', NULL, NULL,
			   ch.old_price, ch.new_price,
			   coalesce(ch.price_change_timestamp, ch.modification_timestamp, now())
		  FROM ch WHERE ch.old_price IS DISTINCT FROM ch.new_price
		UNION ALL
		SELECT ch.tenant_id, ch.connection, ch.listing_key, 'removed', NULL, NULL,
			   NULL, NULL, ch.removed_at
		  FROM ch WHERE ch.removed
	)
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
	 WHERE mode = 'on';
	RETURN NULL;
END
$$;

CREATE TRIGGER mls_listings_events_insert
	AFTER INSERT ON mls_listings
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION mls_listings_capture_insert();

CREATE TRIGGER mls_listings_events_update
	AFTER UPDATE ON mls_listings
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION mls_listings_capture_update();

REVOKE ALL ON FUNCTION mls_listings_capture_insert() FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_listings_capture_update() FROM PUBLIC;
