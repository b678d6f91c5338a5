-- mlsync install script, part 05: tenants, connections and credentials API
-- (docs/features.md F3, F4, F22).

-- API: Private.  Validates an http(s) URL with libcurl's own parser and
-- returns it normalized; refuses other schemes and embedded credentials.
CREATE FUNCTION mls_check_url(url text, what text) RETURNS text
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_check_url$$;

-- API: Private.  The origin (scheme://host:port) of an http(s) URL.
CREATE FUNCTION mls_url_origin(url text) RETURNS text
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_url_origin$$;

-- API: Public.  Creating a tenant, and changing its quotas, is for global
-- administrators (mlsync_admin, docs/tenancy.md): a tenant's own roles may
-- not raise their quotas.
CREATE FUNCTION mls_create_tenant(tenant text,
								  name text DEFAULT NULL,
								  max_listings bigint DEFAULT NULL,
								  dom_milestones integer[] DEFAULT NULL,
								  max_media_bytes bigint DEFAULT NULL,
								  max_requests_per_day bigint DEFAULT NULL)
RETURNS mls_tenants
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	result mlsync.mls_tenants;
BEGIN
	IF tenant IS NULL OR NOT mlsync.mls_is_valid_name(tenant) THEN
		RAISE EXCEPTION 'invalid tenant name "%"', tenant
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use lower-case letters, digits, "_", "." and "-", starting with a letter or digit, at most 63 characters.';
	END IF;
	IF NOT mlsync.mls_is_global_admin() THEN
		RAISE EXCEPTION 'permission denied to create or change tenant "%"', tenant
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'Tenants and their quotas are managed by members of mlsync_admin.';
	END IF;
	INSERT INTO mlsync.mls_tenants AS t (tenant_id, name, max_listings, dom_milestones,
										 max_media_bytes, max_requests_per_day)
	VALUES (tenant, coalesce(name, tenant), max_listings, coalesce(dom_milestones, '{30,60,90}'),
			max_media_bytes, max_requests_per_day)
	ON CONFLICT (tenant_id) DO UPDATE
		SET name = coalesce(mls_create_tenant.name, t.name),
			max_listings = coalesce(mls_create_tenant.max_listings, t.max_listings),
			dom_milestones = coalesce(mls_create_tenant.dom_milestones, t.dom_milestones),
			max_media_bytes = coalesce(mls_create_tenant.max_media_bytes, t.max_media_bytes),
			max_requests_per_day = coalesce(mls_create_tenant.max_requests_per_day,
											t.max_requests_per_day)
	RETURNING * INTO result;
	RETURN result;
END
$$;

COMMENT ON FUNCTION mls_create_tenant(text, text, bigint, integer[], bigint, bigint) IS
'create a tenant, or update the given attributes of an existing one (NULL keeps a value; mls_tenant_reset clears one)';

-- API: Public.  Puts settings of a tenant back to their defaults: a quota
-- set back is no quota at all (NULL keeps a value in mls_create_tenant).
CREATE FUNCTION mls_tenant_reset(tenant text, VARIADIC settings text[])
RETURNS mls_tenants
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	resettable text[] := ARRAY['max_listings', 'max_media_bytes', 'max_requests_per_day',
							   'dom_milestones'];
	bad text;
	result mlsync.mls_tenants;
BEGIN
	IF NOT mlsync.mls_is_global_admin() THEN
		RAISE EXCEPTION 'permission denied to create or change tenant "%"', tenant
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'Tenants and their quotas are managed by members of mlsync_admin.';
	END IF;
	SELECT s INTO bad FROM unnest(settings) s WHERE s IS NULL OR s <> ALL (resettable) LIMIT 1;
	IF FOUND OR cardinality(settings) IS NULL THEN
		RAISE EXCEPTION 'cannot reset "%" of a tenant', bad
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Settings that can be reset: ' || array_to_string(resettable, ', ') || '.';
	END IF;
	-- the names are checked against the list above: safe to quote into SQL
	EXECUTE format('UPDATE mlsync.mls_tenants t SET %s WHERE t.tenant_id = $1 RETURNING t.*',
				   (SELECT string_agg(format('%I = DEFAULT', s), ', ')
					  FROM (SELECT DISTINCT s FROM unnest(settings) s) d))
	   INTO result USING tenant;
	IF result.tenant_id IS NULL THEN
		RAISE EXCEPTION 'tenant "%" does not exist', tenant
			USING ERRCODE = 'undefined_object';
	END IF;
	RETURN result;
END
$$;

COMMENT ON FUNCTION mls_tenant_reset(text, text[]) IS
'put settings of a tenant (quotas, dom_milestones) back to their defaults: no quota';

-- What mls_connect and mls_connect_reset return: the connection in brief and
-- what the call did to it.
CREATE TYPE mls_connect_result AS (
	tenant_id		text,
	connection		text,
	protocol		text,
	endpoint		text,
	enabled			boolean,
	disabled_reason	text,
	action			text,
	changed			text[]
);

COMMENT ON TYPE mls_connect_result IS
'the result of mls_connect and mls_connect_reset: the connection in brief, the action (created, updated, unchanged) and the settings whose value changed';

-- API: Private.  The row mls_connect and mls_connect_reset return, from the
-- connection before (NULL: it was created) and after the call.
CREATE FUNCTION mls_connect_result(old_row mls_connections, new_row mls_connections)
RETURNS mls_connect_result
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT new_row.tenant_id, new_row.connection, new_row.protocol, new_row.endpoint, new_row.enabled,
		   new_row.disabled_reason,
		   CASE WHEN old_row.tenant_id IS NULL THEN 'created'
				WHEN d.changed IS NULL THEN 'unchanged' ELSE 'updated' END,
		   CASE WHEN old_row.tenant_id IS NOT NULL THEN coalesce(d.changed, '{}') END
	  FROM (SELECT array_agg(n.key ORDER BY n.key) AS changed
			  FROM pg_catalog.jsonb_each(pg_catalog.to_jsonb(new_row)) n
			  JOIN pg_catalog.jsonb_each(pg_catalog.to_jsonb(old_row)) o ON o.key = n.key
			 WHERE n.value IS DISTINCT FROM o.value AND n.key <> 'updated_at') d
$$;

-- API: Public.  Creates a connection, or updates the given settings of an
-- existing one; an argument left NULL keeps the current value (or the
-- default, for a new connection); mls_connect_reset clears a setting.  Needs
-- the operate privilege on the tenant; the row-level security of
-- mls_connections enforces the same for direct writes.
CREATE FUNCTION mls_connect(tenant text,
							connection text,
							protocol text DEFAULT NULL,
							endpoint text DEFAULT NULL,
							token_url text DEFAULT NULL,
							username text DEFAULT NULL,
							oauth_client_auth text DEFAULT NULL,
							oauth_scope text DEFAULT NULL,
							resource text DEFAULT NULL,
							rets_class text DEFAULT NULL,
							rets_version text DEFAULT NULL,
							rets_format text DEFAULT NULL,
							rets_method text DEFAULT NULL,
							rets_http_auth text DEFAULT NULL,
							user_agent text DEFAULT NULL,
							mapping_set text DEFAULT NULL,
							key_field text DEFAULT NULL,
							timestamp_field text DEFAULT NULL,
							source_filter text DEFAULT NULL,
							statuses text[] DEFAULT NULL,
							page_size integer DEFAULT NULL,
							select_mapped_only boolean DEFAULT NULL,
							expand_media boolean DEFAULT NULL,
							rate_per_second numeric DEFAULT NULL,
							rate_per_hour integer DEFAULT NULL,
							rate_per_day integer DEFAULT NULL,
							sync_interval interval DEFAULT NULL,
							reconcile_schedule text DEFAULT NULL,
							photo_policy text DEFAULT NULL,
							display_statuses text[] DEFAULT NULL,
							mls_name text DEFAULT NULL,
							attribution text DEFAULT NULL,
							disclaimer text DEFAULT NULL,
							priority integer DEFAULT NULL,
							enabled boolean DEFAULT NULL,
							vow_statuses text[] DEFAULT NULL,
							sold_data_display text DEFAULT NULL,
							paging text DEFAULT NULL,
							allowed_origins text[] DEFAULT NULL,
							sync_schedule text DEFAULT NULL,
							reconcile_mode text DEFAULT NULL,
							max_listings bigint DEFAULT NULL,
							mls_owned_fields text[] DEFAULT NULL,
							listing_updated_events boolean DEFAULT NULL,
							first_load_events boolean DEFAULT NULL,
							alert_slow_after interval DEFAULT NULL,
							alert_error_rate_pct numeric DEFAULT NULL,
							alert_stale_after interval DEFAULT NULL,
							incremental_overlap interval DEFAULT NULL,
							visibility_field text DEFAULT NULL)
RETURNS mls_connect_result
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	old_row mlsync.mls_connections;
	new_row mlsync.mls_connections;
	new_endpoint text;
	new_token_url text;
BEGIN
	-- first, so that a role learns nothing of tenants it may not change
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'changing connections');
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_tenants t WHERE t.tenant_id = tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Create it with mlsync.mls_create_tenant().';
	END IF;
	IF connection IS NULL OR NOT mlsync.mls_is_valid_name(connection) THEN
		RAISE EXCEPTION 'invalid connection name "%"', connection
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use lower-case letters, digits, "_", "." and "-", starting with a letter or digit, at most 63 characters.';
	END IF;
	IF protocol IS NOT NULL AND protocol NOT IN ('reso', 'rets') THEN
		RAISE EXCEPTION 'unknown protocol "%"', protocol
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use "reso" for the RESO Web API or "rets" for RETS.';
	END IF;
	IF mapping_set IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM mlsync.mls_mapping_sets s WHERE s.mapping_set = mls_connect.mapping_set) THEN
		RAISE EXCEPTION 'mapping set "%" does not exist', mapping_set
			USING ERRCODE = 'undefined_object',
				  HINT = 'Mapping sets are listed in mlsync.mls_mapping_sets.';
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(statuses || display_statuses || vow_statuses) s
				WHERE s IS NULL OR s <> ALL (mlsync.mls_standard_statuses())) THEN
		RAISE EXCEPTION 'unknown status "%"',
			(SELECT s FROM unnest(statuses || display_statuses || vow_statuses) s
			  WHERE s IS NULL OR s <> ALL (mlsync.mls_standard_statuses()) LIMIT 1)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Statuses are RESO StandardStatus values: ' ||
						 array_to_string(mlsync.mls_standard_statuses(), ', ') || '.';
	END IF;
	IF sold_data_display NOT IN ('none', 'vow', 'idx_and_vow') THEN
		RAISE EXCEPTION 'unknown sold_data_display "%"', sold_data_display
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use none, vow (registered consumers only) or idx_and_vow.';
	END IF;
	IF rets_version !~ '^RETS/1\.(5|7|7\.2|8|8\.0)$' THEN
		RAISE EXCEPTION 'unsupported RETS version "%"', rets_version
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'mlsync speaks RETS/1.5, RETS/1.7, RETS/1.7.2, RETS/1.8 and RETS/1.8.0.';
	END IF;
	IF page_size NOT BETWEEN 1 AND 100000 THEN
		RAISE EXCEPTION 'page_size must be between 1 and 100000, not %', page_size
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF paging NOT IN ('keyset', 'nextlink') THEN
		RAISE EXCEPTION 'unknown paging "%"', paging
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use "keyset" (mlsync pages by timestamp and key itself) or "nextlink" (follow the server''s @odata.nextLink, for servers that reject keyset filters).';
	END IF;
	IF user_agent ~ '[[:cntrl:]]' OR username ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION '% must not contain control characters',
			CASE WHEN user_agent ~ '[[:cntrl:]]' THEN 'user_agent' ELSE 'username' END
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'It is sent in an HTTP header, where a line break would add headers.';
	END IF;
	-- a schedule pg_cron would refuse is refused here, saying why
	PERFORM mlsync.mls_cron_next(nullif(sync_schedule, '')), mlsync.mls_cron_next(reconcile_schedule);
	IF reconcile_mode NOT IN ('reconcile', 'full') THEN
		RAISE EXCEPTION 'unknown reconcile mode "%"', reconcile_mode
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use reconcile (compare keys with the source, repair both ways) or full (read every record again).';
	END IF;
	IF EXISTS (SELECT FROM unnest(mls_owned_fields) f
				WHERE f IS NULL OR f NOT IN (SELECT m.column_name FROM mlsync.mls_mappable_columns m
											  WHERE m.column_name <> 'listing_key')) THEN
		RAISE EXCEPTION 'MLS-owned field "%" is not a mapped column of mls_listings',
			(SELECT f FROM unnest(mls_owned_fields) f
			  WHERE f IS NULL OR f NOT IN (SELECT m.column_name FROM mlsync.mls_mappable_columns m
											WHERE m.column_name <> 'listing_key') LIMIT 1)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Name columns of mlsync.mls_mappable_columns, such as standard_status or list_price.';
	END IF;
	IF extract(epoch FROM incremental_overlap) NOT BETWEEN 0 AND 7 * 86400 THEN
		RAISE EXCEPTION 'incremental_overlap must be between 0 and 7 days, not %', incremental_overlap
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'It is how far before its watermark an incremental run starts reading; mlsync.mls_connect_reset(tenant, connection, ''incremental_overlap'') goes back to the setting mlsync.incremental_overlap.';
	END IF;
	IF visibility_field !~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$' THEN
		RAISE EXCEPTION 'invalid visibility_field "%"', visibility_field
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Name the Boolean field of the source''s records that is false for a withdrawn record, such as MlgCanView (MLS Grid): a letter or "_", then letters, digits and "_".';
	END IF;
	new_endpoint := mlsync.mls_check_url(endpoint, 'endpoint');
	new_token_url := mlsync.mls_check_url(token_url, 'token_url');
	IF allowed_origins IS NOT NULL THEN
		allowed_origins := ARRAY(SELECT mlsync.mls_url_origin(mlsync.mls_check_url(o, 'allowed_origins'))
								   FROM unnest(allowed_origins) o);
	END IF;

	-- (FOR NO KEY UPDATE, the lock of the UPDATE below: the key does not
	-- change, and a sync's batch holding the key-share lock of a foreign key
	-- to this row neither waits for it nor makes it wait)
	SELECT * INTO old_row FROM mlsync.mls_connections c
	 WHERE c.tenant_id = tenant AND c.connection = mls_connect.connection
	   FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		IF protocol IS NULL OR endpoint IS NULL THEN
			RAISE EXCEPTION 'protocol and endpoint are required to create connection "%"', connection
				USING ERRCODE = 'null_value_not_allowed';
		END IF;
		IF protocol = 'rets' AND rets_class IS NULL THEN
			RAISE EXCEPTION 'rets_class is required for a RETS connection'
				USING ERRCODE = 'null_value_not_allowed',
					  HINT = 'Name the class of the resource to search, as listed by METADATA-CLASS (e.g. RES).';
		END IF;
		INSERT INTO mlsync.mls_connections (tenant_id, connection, protocol, endpoint, rets_class)
		VALUES (tenant, connection, protocol, new_endpoint, rets_class);
	END IF;
	-- (not a trigger: a restore of a dump must not create status rows twice)
	INSERT INTO mlsync.mls_sync_status (tenant_id, connection)
	VALUES (tenant, connection)
	ON CONFLICT DO NOTHING;

	UPDATE mlsync.mls_connections c SET
		protocol = coalesce(mls_connect.protocol, c.protocol),
		endpoint = coalesce(new_endpoint, c.endpoint),
		token_url = coalesce(new_token_url, c.token_url),
		username = coalesce(mls_connect.username, c.username),
		oauth_client_auth = coalesce(mls_connect.oauth_client_auth, c.oauth_client_auth),
		oauth_scope = coalesce(mls_connect.oauth_scope, c.oauth_scope),
		resource = coalesce(mls_connect.resource, c.resource),
		rets_class = coalesce(mls_connect.rets_class, c.rets_class),
		rets_version = coalesce(mls_connect.rets_version, c.rets_version),
		rets_format = coalesce(mls_connect.rets_format, c.rets_format),
		rets_method = coalesce(mls_connect.rets_method, c.rets_method),
		rets_http_auth = coalesce(mls_connect.rets_http_auth, c.rets_http_auth),
		user_agent = coalesce(mls_connect.user_agent, c.user_agent),
		mapping_set = coalesce(mls_connect.mapping_set, c.mapping_set),
		key_field = coalesce(mls_connect.key_field, c.key_field),
		timestamp_field = coalesce(mls_connect.timestamp_field, c.timestamp_field),
		source_filter = coalesce(mls_connect.source_filter, c.source_filter),
		statuses = coalesce(mls_connect.statuses, c.statuses),
		page_size = coalesce(mls_connect.page_size, c.page_size),
		select_mapped_only = coalesce(mls_connect.select_mapped_only, c.select_mapped_only),
		expand_media = coalesce(mls_connect.expand_media, c.expand_media),
		rate_per_second = coalesce(mls_connect.rate_per_second, c.rate_per_second),
		rate_per_hour = coalesce(mls_connect.rate_per_hour, c.rate_per_hour),
		rate_per_day = coalesce(mls_connect.rate_per_day, c.rate_per_day),
		sync_interval = coalesce(mls_connect.sync_interval, c.sync_interval),
		reconcile_schedule = coalesce(mls_connect.reconcile_schedule, c.reconcile_schedule),
		photo_policy = coalesce(mls_connect.photo_policy, c.photo_policy),
		display_statuses = coalesce(mls_connect.display_statuses, c.display_statuses),
		vow_statuses = coalesce(mls_connect.vow_statuses, c.vow_statuses),
		sold_data_display = coalesce(mls_connect.sold_data_display, c.sold_data_display),
		mls_name = coalesce(mls_connect.mls_name, c.mls_name),
		attribution = coalesce(mls_connect.attribution, c.attribution),
		disclaimer = coalesce(mls_connect.disclaimer, c.disclaimer),
		priority = coalesce(mls_connect.priority, c.priority),
		enabled = coalesce(mls_connect.enabled, c.enabled),
		paging = coalesce(mls_connect.paging, c.paging),
		allowed_origins = coalesce(mls_connect.allowed_origins, c.allowed_origins),
		disabled_reason = CASE WHEN mls_connect.enabled THEN NULL ELSE c.disabled_reason END,
		-- '' goes back to the sync interval
		sync_schedule = CASE WHEN mls_connect.sync_schedule IS NULL THEN c.sync_schedule
							 ELSE nullif(mls_connect.sync_schedule, '') END,
		reconcile_mode = coalesce(mls_connect.reconcile_mode, c.reconcile_mode),
		max_listings = CASE WHEN mls_connect.max_listings IS NULL THEN c.max_listings
							ELSE nullif(mls_connect.max_listings, -1) END,
		mls_owned_fields = coalesce(mls_connect.mls_owned_fields, c.mls_owned_fields),
		listing_updated_events = coalesce(mls_connect.listing_updated_events, c.listing_updated_events),
		first_load_events = coalesce(mls_connect.first_load_events, c.first_load_events),
		alert_slow_after = coalesce(mls_connect.alert_slow_after, c.alert_slow_after),
		alert_error_rate_pct = coalesce(mls_connect.alert_error_rate_pct, c.alert_error_rate_pct),
		alert_stale_after = coalesce(mls_connect.alert_stale_after, c.alert_stale_after),
		incremental_overlap = coalesce(mls_connect.incremental_overlap, c.incremental_overlap),
		visibility_field = coalesce(mls_connect.visibility_field, c.visibility_field),
		updated_at = now()
	WHERE c.tenant_id = tenant AND c.connection = mls_connect.connection
	RETURNING * INTO new_row;
	-- enabled or disabled: mls_connections_enabled_changed does what that
	-- means for its runs
	RETURN mlsync.mls_connect_result(old_row, new_row);
END
$$;

COMMENT ON FUNCTION mls_connect(text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text[], integer, boolean, boolean, numeric, integer, integer, interval, text, text, text[], text, text, text, integer, boolean, text[], text, text, text[], text, text, bigint, text[], boolean, boolean, interval, numeric, interval, interval, text) IS
'create a connection (an MLS feed of a tenant), or update the given settings of an existing one; returns it in brief with the settings changed';

-- API: Public.  Puts settings of a connection back to their defaults (NULL
-- for settings without one: no rate limit, no token URL, ...), which
-- mls_connect cannot do since NULL keeps a value there.  Every column of
-- mls_connections is a setting, except the keys, protocol and endpoint
-- (required) and the bookkeeping columns.
CREATE FUNCTION mls_connect_reset(tenant text, connection text, VARIADIC settings text[])
RETURNS mls_connect_result
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	resettable text[];
	bad text;
	old_row mlsync.mls_connections;
	new_row mlsync.mls_connections;
BEGIN
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'changing connections');
	SELECT array_agg(a.attname::text ORDER BY a.attnum) INTO resettable
	  FROM pg_catalog.pg_attribute a
	 WHERE a.attrelid = 'mlsync.mls_connections'::pg_catalog.regclass
	   AND a.attnum > 0 AND NOT a.attisdropped
	   AND a.attname NOT IN ('tenant_id', 'connection', 'protocol', 'endpoint',
							 'disabled_reason', 'created_at', 'updated_at');
	SELECT s INTO bad FROM unnest(settings) s WHERE s IS NULL OR s <> ALL (resettable) LIMIT 1;
	IF FOUND OR cardinality(settings) IS NULL THEN
		RAISE EXCEPTION 'cannot reset "%" of a connection', bad
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Settings that can be reset: ' || array_to_string(resettable, ', ') || '.';
	END IF;

	SELECT * INTO old_row FROM mlsync.mls_connections c
	 WHERE c.tenant_id = tenant AND c.connection = mls_connect_reset.connection
	   FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'connection "%" of tenant "%" does not exist', connection, tenant
			USING ERRCODE = 'undefined_object';
	END IF;
	IF old_row.protocol = 'rets' AND 'rets_class' = ANY (settings) THEN
		RAISE EXCEPTION 'rets_class is required for a RETS connection'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Set another class with mlsync.mls_connect() instead.';
	END IF;

	-- the names are checked against the catalog above: safe to quote into
	-- SQL; enabling a connection again forgets why it was disabled
	EXECUTE format('UPDATE mlsync.mls_connections c SET %s, updated_at = now()'
				   ' WHERE c.tenant_id = $1 AND c.connection = $2 RETURNING c.*',
				   (SELECT string_agg(format('%I = DEFAULT', d.s), ', ')
					  FROM (SELECT DISTINCT s
							  FROM unnest(settings || CASE WHEN 'enabled' = ANY (settings)
														   THEN ARRAY['disabled_reason'] END) s) d))
	   INTO new_row USING tenant, connection;
	RETURN mlsync.mls_connect_result(old_row, new_row);
END
$$;

COMMENT ON FUNCTION mls_connect_reset(text, text, text[]) IS
'put settings of a connection back to their defaults (no rate limit, no token URL, ...); returns the connection in brief with the settings changed';

-- API: Private.  Stores secrets as the extension's owner, since no other
-- role may touch mls_credentials.  Called only by mls_set_credentials
-- (src/tenancy/tenancy.c), after the caller's tenant rights are checked.
-- An error inside must not write the call, secrets included, on a STATEMENT
-- line of the server log: log_min_error_statement is raised for its
-- duration (docs/tenancy.md says what this does not cover).
CREATE FUNCTION mls_set_credentials_unchecked(tenant text,
											  connection text,
											  password text DEFAULT NULL,
											  client_secret text DEFAULT NULL,
											  ua_password text DEFAULT NULL,
											  access_token text DEFAULT NULL)
RETURNS text[]
LANGUAGE c
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET log_min_error_statement = panic
AS 'MODULE_PATHNAME', $$mls_set_credentials$$;

-- API: Public.  Checks that the caller may operate the tenant, then stores
-- (mls_set_credentials_unchecked); log_min_error_statement is raised before
-- the check, so even a refused call leaves no secret in the log.
CREATE FUNCTION mls_set_credentials(tenant text,
									connection text,
									password text DEFAULT NULL,
									client_secret text DEFAULT NULL,
									ua_password text DEFAULT NULL,
									access_token text DEFAULT NULL)
RETURNS text[]
LANGUAGE c
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_set_credentials_checked$$;

COMMENT ON FUNCTION mls_set_credentials(text, text, text, text, text, text) IS
'store secrets of a connection encrypted (NULL keeps a secret, '''' removes it); returns the kinds stored; needs operate on the tenant';

-- API: Private.  See mls_credentials_status.
CREATE FUNCTION mls_credentials_status_unchecked(tenant text, connection text,
												 OUT kind text, OUT updated_at timestamptz,
												 OUT decryptable boolean)
RETURNS SETOF record
LANGUAGE c STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_credentials_status$$;

-- API: Public.  Checks that the caller may operate the tenant, then reads
-- (mls_credentials_status_unchecked).
CREATE FUNCTION mls_credentials_status(tenant text, connection text,
									   OUT kind text, OUT updated_at timestamptz,
									   OUT decryptable boolean)
RETURNS SETOF record
LANGUAGE c STRICT
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_credentials_status_checked$$;

COMMENT ON FUNCTION mls_credentials_status(text, text) IS
'which secrets a connection has and whether the current key decrypts them (never the secrets); needs operate on the tenant';

COMMENT ON FUNCTION mls_set_credentials_unchecked(text, text, text, text, text, text) IS
'private: mls_set_credentials as the extension''s owner, called by mls_set_credentials once the caller may operate the tenant';
COMMENT ON FUNCTION mls_credentials_status_unchecked(text, text) IS
'private: mls_credentials_status as the extension''s owner, called by mls_credentials_status once the caller may operate the tenant';

-- Nobody but the owner may read or write credentials; the public entry
-- points check the caller's rights on the tenant (docs/tenancy.md).
REVOKE ALL ON mls_credentials FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_set_credentials_unchecked(text, text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_credentials_status_unchecked(text, text) FROM PUBLIC;

-- API: Public (superuser).  Re-encrypts every stored secret with the key
-- in new_key_file (docs/reference.md, "Key rotation").
CREATE FUNCTION mls_rotate_secret_key(new_key_file text) RETURNS integer
LANGUAGE c STRICT
AS 'MODULE_PATHNAME', $$mls_rotate_secret_key$$;

COMMENT ON FUNCTION mls_rotate_secret_key(text) IS
're-encrypt every stored secret with the key in new_key_file, all or none; then point mlsync.secret_key_file at it';

REVOKE ALL ON FUNCTION mls_rotate_secret_key(text) FROM PUBLIC;

-- Private.  Secrets are bound to what they were stored for: the origins of
-- the endpoint and token URL and the user name (the ciphertext's
-- authenticated data says so too, src/secrets/crypto.c).  When one of them
-- changes the secrets go, so that whoever may repoint a connection cannot
-- have its stored secret sent to a host of their choosing.
CREATE FUNCTION mls_connections_unbind_credentials() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF mlsync.mls_url_origin(NEW.endpoint) IS DISTINCT FROM mlsync.mls_url_origin(OLD.endpoint)
	   OR mlsync.mls_url_origin(NEW.token_url) IS DISTINCT FROM mlsync.mls_url_origin(OLD.token_url)
	   OR NEW.username IS DISTINCT FROM OLD.username
	   OR NOT (NEW.allowed_origins <@ OLD.allowed_origins) THEN
		DELETE FROM mlsync.mls_credentials c
		 WHERE c.tenant_id = OLD.tenant_id AND c.connection = OLD.connection;
		IF FOUND THEN
			RAISE NOTICE 'the credentials of connection "%" were removed: they were stored for another endpoint, token URL, user name or set of allowed origins', NEW.connection
				USING HINT = 'Set them again with mlsync.mls_set_credentials().';
		END IF;
	END IF;
	RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION mls_connections_unbind_credentials() FROM PUBLIC;

CREATE TRIGGER mls_connections_unbind_credentials
	AFTER UPDATE OF endpoint, token_url, username, allowed_origins ON mls_connections
	FOR EACH ROW EXECUTE FUNCTION mls_connections_unbind_credentials();
