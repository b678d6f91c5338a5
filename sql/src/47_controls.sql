-- mlsync install script, part 47: controls over what a sync writes, and
-- what a dry run would write.
--
--  * Exclusions: a listing excluded from a connection is left alone by
--    every mode: not inserted, updated, removed or flagged, not previewed.
--    The writer (src/engine/writer.c) drops excluded keys from each batch and
--    counts them (mls_sync_history.excluded).  Removing the exclusion makes
--    the listing sync again; its changes made meanwhile arrive with its next
--    change at the source, or at once with a single-listing sync.
--  * The listing cap (mls_connections.max_listings): the writer leaves out
--    the new listings that would take the connection past it (counted in
--    mls_sync_history.capped, raising listing_cap_reached); listings
--    already stored keep being updated.
--  * Skipped records: a record the mapping or the database refused is kept
--    whole, with its error, in mls_skipped_records (written with its error
--    row, src/engine/store.c); mls_retry_skipped() maps and writes them
--    again once the mapping is fixed.  A later successful write of the same
--    listing removes its skipped record: the listing is then current.
--  * The dry run's change list: per listing, the columns that would change
--    with their old and new values (mls_dry_run_changes), for the first
--    mlsync.dry_run_changes_limit listings, and per column how many
--    listings would change (mls_dry_run_columns), for all of them.
--  * MLS-owned fields and listing_updated events: helpers of the writer's
--    upsert (it clears the local override of a field the MLS owns when the
--    MLS changes that field, records it in the listing's history and raises
--    override_cleared; and raises listing_updated with the changed columns
--    for connections that ask for it).

CREATE TABLE mls_listing_exclusions (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL CHECK (listing_key <> ''),
	reason			text,
	excluded_at		timestamptz NOT NULL DEFAULT now(),
	excluded_by		name NOT NULL DEFAULT current_user,
	PRIMARY KEY (tenant_id, connection, listing_key),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);

COMMENT ON TABLE mls_listing_exclusions IS 'listings no sync may write, per connection, with the reason and who excluded them';

CREATE TABLE mls_skipped_records (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	record			jsonb NOT NULL,
	category		text NOT NULL,
	error			text NOT NULL,
	run_id			bigint,
	first_skipped_at timestamptz NOT NULL,
	last_skipped_at	timestamptz NOT NULL,
	attempts		integer NOT NULL DEFAULT 1,
	PRIMARY KEY (tenant_id, connection, listing_key),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);

ALTER TABLE mls_skipped_records ALTER COLUMN record SET COMPRESSION lz4;

COMMENT ON TABLE mls_skipped_records IS 'records a sync skipped as malformed, whole and with their last error, until mls_retry_skipped writes them or a later sync brings the listing';
COMMENT ON COLUMN mls_skipped_records.record IS 'the record exactly as the source sent it';
COMMENT ON COLUMN mls_skipped_records.attempts IS 'how many times the record was refused (syncs and retries)';

-- A dry run's change list.  Rows go with their run's history row.
CREATE TABLE mls_dry_run_changes (
	tenant_id		text NOT NULL,
	run_id			bigint NOT NULL,
	listing_key		text NOT NULL,
	action			text NOT NULL CHECK (action IN ('insert', 'update')),
	changes			jsonb NOT NULL,
	PRIMARY KEY (tenant_id, run_id, listing_key),
	FOREIGN KEY (tenant_id, run_id) REFERENCES mls_sync_history ON DELETE CASCADE
);

COMMENT ON TABLE mls_dry_run_changes IS 'per listing of a dry run (the first mlsync.dry_run_changes_limit): the columns that would change, {"column": {"old": ..., "new": ...}}';

CREATE TABLE mls_dry_run_columns (
	tenant_id		text NOT NULL,
	run_id			bigint NOT NULL,
	column_name		text NOT NULL,
	listings		bigint NOT NULL,
	PRIMARY KEY (tenant_id, run_id, column_name),
	FOREIGN KEY (tenant_id, run_id) REFERENCES mls_sync_history ON DELETE CASCADE
);

COMMENT ON TABLE mls_dry_run_columns IS 'per column of a dry run: how many listings it would change (all of them, not only the recorded ones)';

SELECT pg_catalog.pg_extension_config_dump('mls_listing_exclusions', '');
SELECT pg_catalog.pg_extension_config_dump('mls_skipped_records', '');
SELECT pg_catalog.pg_extension_config_dump('mls_dry_run_changes', '');
SELECT pg_catalog.pg_extension_config_dump('mls_dry_run_columns', '');

-- API: Private.  Raises when a connection does not exist.
CREATE FUNCTION mls_require_connection(tenant text, connection text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
BEGIN
	IF NOT EXISTS (SELECT FROM mlsync.mls_connections c
					WHERE c.tenant_id = tenant AND c.connection = connection) THEN
		RAISE EXCEPTION 'connection "%" of tenant "%" does not exist', connection, tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Connections are listed in mlsync.mls_connections.';
	END IF;
END
$$;

-- API: Public.  Excludes a listing from every sync of a connection (or
-- changes the reason of an exclusion).  The listing need not be stored yet.
-- Needs the operate privilege on the tenant (sql/src/60_tenancy.sql).
CREATE FUNCTION mls_exclude_listing(tenant text, connection text, listing_key text,
									reason text DEFAULT NULL)
RETURNS mls_listing_exclusions
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	result mlsync.mls_listing_exclusions;
BEGIN
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'excluding listings');
	PERFORM mlsync.mls_require_connection(tenant, connection);
	IF listing_key IS NULL OR listing_key = '' THEN
		RAISE EXCEPTION 'listing_key must not be empty'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO mlsync.mls_listing_exclusions AS x (tenant_id, connection, listing_key, reason)
	VALUES (tenant, connection, listing_key, reason)
	ON CONFLICT ON CONSTRAINT mls_listing_exclusions_pkey DO UPDATE SET reason = excluded.reason
	RETURNING * INTO result;
	RETURN result;
END
$$;

COMMENT ON FUNCTION mls_exclude_listing(text, text, text, text) IS
'exclude a listing from every sync of a connection: no mode inserts, updates, removes or previews it';

-- API: Public.  Ends an exclusion; true when there was one.  Needs operate.
CREATE FUNCTION mls_include_listing(tenant text, connection text, listing_key text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
BEGIN
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'including listings');
	PERFORM mlsync.mls_require_connection(tenant, connection);
	DELETE FROM mlsync.mls_listing_exclusions x
	 WHERE x.tenant_id = tenant AND x.connection = connection AND x.listing_key = listing_key;
	RETURN FOUND;
END
$$;

COMMENT ON FUNCTION mls_include_listing(text, text, text) IS
'end the exclusion of a listing: syncs write it again (a single-listing sync brings it at once)';

-- API: Public.  Maps the skipped records of a connection again with its
-- mapping set as it is now, and writes those that map: a listing is
-- inserted, or updated unless the stored one is newer (a later
-- ModificationTimestamp) or the same.  Records that map are no longer kept;
-- those that still fail keep their new error, one more attempt counted.
-- Records of excluded listings are left as they are.  Returns one row per
-- record: written, current (the stored listing is as new or newer),
-- still_failing or excluded, with the error.  Needs operate; runs with the
-- caller's rights, so the row-level security of the listings applies.
CREATE FUNCTION mls_retry_skipped(tenant text, connection text)
RETURNS TABLE (listing_key text, outcome text, message text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	set_name text;
	assignments text;
	r record;
	mapped mlsync.mls_listings;
	written bigint;
BEGIN
	PERFORM mlsync.mls_require_tenant_privilege(mls_retry_skipped.tenant, 'operate',
												'retrying skipped records');
	PERFORM mlsync.mls_require_connection(mls_retry_skipped.tenant, mls_retry_skipped.connection);
	SELECT c.mapping_set INTO set_name FROM mlsync.mls_connections c
	 WHERE c.tenant_id = mls_retry_skipped.tenant AND c.connection = mls_retry_skipped.connection;
	-- the upsert's SET list, from the catalog (as the writer builds its own)
	SELECT string_agg(format('%I = excluded.%I', m.column_name, m.column_name), ', ')
	  INTO assignments
	  FROM mlsync.mls_mappable_columns m WHERE m.column_name <> 'listing_key';

	FOR r IN SELECT s.listing_key AS key, s.record
			   FROM mlsync.mls_skipped_records s
			  WHERE s.tenant_id = mls_retry_skipped.tenant AND s.connection = mls_retry_skipped.connection
			  ORDER BY s.listing_key
				FOR UPDATE
	LOOP
		listing_key := r.key;
		message := NULL;
		IF EXISTS (SELECT FROM mlsync.mls_listing_exclusions x
					WHERE x.tenant_id = mls_retry_skipped.tenant
					  AND x.connection = mls_retry_skipped.connection AND x.listing_key = r.key) THEN
			outcome := 'excluded';
			RETURN NEXT;
			CONTINUE;
		END IF;
		BEGIN
			mapped := mlsync.mls_map_record(set_name, r.record);
			mapped.tenant_id := mls_retry_skipped.tenant;
			mapped.connection := mls_retry_skipped.connection;
			mapped.local_overrides := '{}';
			mapped.first_seen_at := now();
			mapped.last_synced_at := now();
			EXECUTE format(
				'INSERT INTO mlsync.mls_listings AS l SELECT ($1).*
				 ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE SET %s,
					extra = excluded.extra, raw = excluded.raw, raw_hash = excluded.raw_hash,
					last_synced_at = excluded.last_synced_at, removed_at = NULL, conflict = NULL
				 WHERE l.raw_hash IS DISTINCT FROM excluded.raw_hash
				   AND (l.modification_timestamp IS NULL OR excluded.modification_timestamp IS NULL
						OR excluded.modification_timestamp >= l.modification_timestamp)',
				assignments)
			USING mapped;
			GET DIAGNOSTICS written = ROW_COUNT;
			-- the statistics refresh counts the written listing again
			IF written > 0 THEN
				INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
				VALUES (mls_retry_skipped.tenant, mls_retry_skipped.connection, r.key);
			END IF;
			DELETE FROM mlsync.mls_skipped_records s
			 WHERE s.tenant_id = mls_retry_skipped.tenant AND s.connection = mls_retry_skipped.connection
			   AND s.listing_key = r.key;
			outcome := CASE WHEN written > 0 THEN 'written' ELSE 'current' END;
		EXCEPTION
			WHEN query_canceled THEN
				RAISE;
			WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS message = MESSAGE_TEXT;
				UPDATE mlsync.mls_skipped_records s
				   SET error = message, attempts = s.attempts + 1, last_skipped_at = now()
				 WHERE s.tenant_id = mls_retry_skipped.tenant AND s.connection = mls_retry_skipped.connection
				   AND s.listing_key = r.key;
				outcome := 'still_failing';
		END;
		RETURN NEXT;
	END LOOP;
END
$$;

COMMENT ON FUNCTION mls_retry_skipped(text, text) IS
'map and write again the records a connection''s syncs skipped (after a mapping fix); returns each record''s outcome';

-- API: Private.  The columns whose values differ between two rows of
-- mls_listings given as jsonb (old NULL: a new listing, whose non-null
-- columns all count), among the given columns: {"column": {"old": ...,
-- "new": ...}}, or NULL when none differ.
CREATE FUNCTION mls_listing_changes(old jsonb, new jsonb, columns text[])
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT jsonb_object_agg(k, jsonb_build_object('old', old -> k, 'new', new -> k))
		  FROM unnest(columns) k
		 WHERE (old -> k) IS DISTINCT FROM (new -> k)
		   AND NOT (old IS NULL AND new -> k = 'null'::jsonb));

-- API: Private.  The local overrides that stay when the MLS sends a listing
-- again: an override of an MLS-owned field goes when the MLS value of that
-- field changed (old and new are the stored and the incoming rows as jsonb).
CREATE FUNCTION mls_owned_overrides_kept(overrides jsonb, old jsonb, new jsonb, owned text[])
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN overrides - coalesce((SELECT array_agg(f) FROM unnest(owned) f
							  WHERE overrides ? f AND (old -> f) IS DISTINCT FROM (new -> f)),
							 '{}');

-- API: Public.  A dry run's change list: per listing (the first
-- mlsync.dry_run_changes_limit in key order of each batch), whether it would
-- be inserted or updated, the columns that would change, and their old and
-- new values.
CREATE FUNCTION mls_dry_run_changes(run_id bigint)
RETURNS TABLE (listing_key text, action text, columns text[], changes jsonb)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT d.listing_key, d.action,
		   ARRAY(SELECT k FROM jsonb_object_keys(d.changes) k ORDER BY k), d.changes
	  FROM mlsync.mls_dry_run_changes d
	 WHERE d.run_id = mls_dry_run_changes.run_id
	 ORDER BY d.listing_key;
END;

COMMENT ON FUNCTION mls_dry_run_changes(bigint) IS
'the change list of a dry run: per listing, insert or update, the columns that would change with old and new values';

-- API: Public.  A dry run's totals: what it would insert and update, what
-- is unchanged, excluded or over the cap, how many listings its change list
-- holds and leaves out, and per column how many listings would change.
CREATE FUNCTION mls_dry_run_summary(run_id bigint)
RETURNS TABLE (run_id bigint, state text, would_insert bigint, would_update bigint,
			   unchanged bigint, excluded bigint, capped bigint, listed bigint,
			   not_listed bigint, columns jsonb)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT h.run_id, h.state, h.inserted, h.updated, h.unchanged, h.excluded, h.capped,
		   l.n, h.inserted + h.updated - l.n,
		   (SELECT coalesce(jsonb_object_agg(c.column_name, c.listings), '{}')
			  FROM mlsync.mls_dry_run_columns c
			 WHERE c.tenant_id = h.tenant_id AND c.run_id = h.run_id)
	  FROM mlsync.mls_sync_history h
	 CROSS JOIN LATERAL (SELECT count(*) AS n FROM mlsync.mls_dry_run_changes d
						  WHERE d.tenant_id = h.tenant_id AND d.run_id = h.run_id) l
	 WHERE h.run_id = mls_dry_run_summary.run_id AND h.mode = 'dry_run';
END;

COMMENT ON FUNCTION mls_dry_run_summary(bigint) IS
'the totals of a dry run: would insert, would update, unchanged, excluded, over the cap, listings in the change list and left out of it, and listings per changed column';

-- API: Private.  mls_rename_connection as the extension's owner, once the
-- caller may operate the tenant (src/tenancy/tenancy.c).  A connection's
-- name is part of the keys of every table that holds its data, and the keys
-- do not cascade updates (docs/scaling.md: a distributed database refuses
-- that): the connection is copied under its new name, every row of it is
-- moved, then the old row goes.  Its stored secrets cannot move, since
-- their ciphertext is bound to the connection's name: they are removed.
CREATE FUNCTION mls_rename_connection_unchecked(tenant text, connection text, new_name text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	target record;
	copied regclass[] := '{}';
	columns text;
	selected text;
	scheduled boolean := false;
	events_mode text := current_setting('mlsync.listing_events');
BEGIN
	PERFORM mlsync.mls_require_connection(tenant, connection);
	IF new_name IS NULL OR NOT mlsync.mls_is_valid_name(new_name) THEN
		RAISE EXCEPTION 'invalid connection name "%"', new_name
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use lower-case letters, digits, "_", "." and "-", at most 63 characters.';
	END IF;
	IF new_name = connection THEN
		RETURN new_name;
	END IF;
	IF EXISTS (SELECT FROM mlsync.mls_connections c WHERE c.tenant_id = tenant AND c.connection = new_name) THEN
		RAISE EXCEPTION 'connection "%" of tenant "%" exists already', new_name, tenant
			USING ERRCODE = 'duplicate_object';
	END IF;
	-- the row first: its lock keeps syncs and mls_connect away until commit
	PERFORM FROM mlsync.mls_connections c
	  WHERE c.tenant_id = tenant AND c.connection = connection FOR UPDATE;
	IF EXISTS (SELECT FROM mlsync.mls_sync_queue q WHERE q.tenant_id = tenant AND q.connection = connection) THEN
		RAISE EXCEPTION 'connection "%" of tenant "%" has a sync queued or running', connection, tenant
			USING ERRCODE = 'object_in_use',
				  HINT = 'Wait for it (mlsync.mls_sync_wait) or cancel it (mlsync.mls_sync_cancel), then rename.';
	END IF;
	-- (dynamic: pg_cron may not be installed)
	IF to_regclass('cron.job') IS NOT NULL THEN
		EXECUTE 'SELECT EXISTS (SELECT FROM cron.job j WHERE starts_with(j.jobname, $1))'
		   INTO scheduled USING 'mlsync:' || tenant || ':' || connection || ':';
	END IF;
	IF scheduled THEN
		RAISE EXCEPTION 'connection "%" of tenant "%" has pg_cron jobs', connection, tenant
			USING ERRCODE = 'object_in_use',
				  HINT = format('Run mlsync.mls_unschedule(%L) first, and mlsync.mls_schedule(%L) after the rename.',
								tenant, tenant);
	END IF;

	INSERT INTO mlsync.mls_connections
	SELECT (jsonb_populate_record(c, jsonb_build_object('connection', new_name))).*
	  FROM mlsync.mls_connections c
	 WHERE c.tenant_id = tenant AND c.connection = connection;

	-- moving rows is not a change of the listings: no history, no event
	PERFORM set_config('mlsync.listing_events', 'off', true);
	-- Tables other tables' keys point to (mls_listings) are copied under the
	-- new name first, the rows that point to them are moved next, and the
	-- old rows go last: no key ever points to a row that is not there.  A
	-- partitioned table is one table here (its partitions' cloned keys and
	-- the partitions themselves are left out).
	FOR target IN
		SELECT DISTINCT r.confrelid::regclass AS rel
		  FROM pg_catalog.pg_constraint r
		 WHERE r.contype = 'f' AND r.connamespace = 'mlsync'::regnamespace AND r.conparentid = 0
		   AND r.confrelid NOT IN ('mlsync.mls_connections'::regclass, 'mlsync.mls_tenants'::regclass)
		   AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
						WHERE a.attrelid = r.confrelid AND a.attname = 'connection'
						  AND a.attnum = ANY (r.confkey))
		 ORDER BY 1
	LOOP
		SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
			   string_agg(CASE WHEN a.attname = 'connection' THEN '$3' ELSE 'x.' || quote_ident(a.attname) END,
						  ', ' ORDER BY a.attnum)
		  INTO columns, selected
		  FROM pg_catalog.pg_attribute a
		 WHERE a.attrelid = target.rel AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
		EXECUTE format('INSERT INTO %1$s (%2$s) OVERRIDING SYSTEM VALUE SELECT %3$s'
					   '  FROM %1$s x WHERE x.tenant_id = $1 AND x.connection = $2',
					   target.rel, columns, selected)
		USING tenant, connection, new_name;
		copied := copied || target.rel;
	END LOOP;
	FOR target IN
		SELECT c.oid::regclass AS rel, a.attname
		  FROM pg_catalog.pg_class c
		  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
		 WHERE c.relnamespace = 'mlsync'::regnamespace AND c.relkind IN ('r', 'p')
		   AND NOT c.relispartition
		   AND c.relname NOT IN ('mls_connections', 'mls_credentials')
		   AND a.atttypid = 'text'::regtype AND NOT a.attisdropped
		   AND (a.attname = 'connection' OR a.attname LIKE '%\_connection')
		   AND NOT (c.oid::regclass = ANY (copied) AND a.attname = 'connection')
		   AND EXISTS (SELECT FROM pg_catalog.pg_attribute t
						WHERE t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped)
		 ORDER BY 1, 2
	LOOP
		EXECUTE format('UPDATE %s SET %I = $3 WHERE tenant_id = $1 AND %I = $2',
					   target.rel, target.attname, target.attname)
		USING tenant, connection, new_name;
	END LOOP;
	FOR i IN REVERSE coalesce(array_upper(copied, 1), 0) .. 1 LOOP
		EXECUTE format('DELETE FROM %s WHERE tenant_id = $1 AND connection = $2', copied[i])
		USING tenant, connection;
	END LOOP;
	PERFORM set_config('mlsync.listing_events', events_mode, true);

	DELETE FROM mlsync.mls_credentials c WHERE c.tenant_id = tenant AND c.connection = connection;
	IF FOUND THEN
		RAISE NOTICE 'the credentials of connection "%" were removed: they were stored under its old name', new_name
			USING HINT = 'Set them again with mlsync.mls_set_credentials().';
	END IF;
	DELETE FROM mlsync.mls_connections c WHERE c.tenant_id = tenant AND c.connection = connection;
	RETURN new_name;
END
$$;

REVOKE ALL ON FUNCTION mls_rename_connection_unchecked(text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION mls_rename_connection_unchecked(text, text, text) IS
'private: mls_rename_connection as the extension''s owner, called by mls_rename_connection once the caller may operate the tenant';

-- API: Public.  Renames a connection with everything it holds (listings,
-- history, events, runs, errors, media, matches, statistics); its stored
-- secrets are removed and must be set again.  Refused while a sync of it
-- is queued or running, or while pg_cron jobs of it exist.  Needs operate.
CREATE FUNCTION mls_rename_connection(tenant text, connection text, new_name text)
RETURNS text
LANGUAGE c
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_rename_connection_checked$$;

COMMENT ON FUNCTION mls_rename_connection(text, text, text) IS
'rename a connection and move all its rows; its secrets are removed (set them again); needs operate on the tenant';
