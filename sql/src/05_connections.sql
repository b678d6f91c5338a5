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

-- API: Public.
CREATE FUNCTION mls_create_tenant(tenant text,
								  name text DEFAULT NULL,
								  max_listings bigint DEFAULT NULL,
								  dom_milestones integer[] DEFAULT NULL)
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
	INSERT INTO mlsync.mls_tenants AS t (tenant_id, name, max_listings, dom_milestones)
	VALUES (tenant, coalesce(name, tenant), max_listings, coalesce(dom_milestones, '{30,60,90}'))
	ON CONFLICT (tenant_id) DO UPDATE
		SET name = coalesce(mls_create_tenant.name, t.name),
			max_listings = coalesce(mls_create_tenant.max_listings, t.max_listings),
			dom_milestones = coalesce(mls_create_tenant.dom_milestones, t.dom_milestones)
	RETURNING * INTO result;
	RETURN result;
END
$$;

COMMENT ON FUNCTION mls_create_tenant(text, text, bigint, integer[]) IS
'create a tenant, or update the given attributes of an existing one';

-- API: Public.  Creates a connection, or updates the given settings of an
-- existing one; an argument left NULL keeps the current value (or the
-- default, for a new connection).
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
							paging text DEFAULT NULL,
							allowed_origins text[] DEFAULT NULL)
RETURNS mls_connections
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	result mlsync.mls_connections;
	new_endpoint text;
	new_token_url text;
BEGIN
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
	IF EXISTS (SELECT 1 FROM unnest(statuses || display_statuses) s
				WHERE s IS NULL OR s <> ALL (mlsync.mls_standard_statuses())) THEN
		RAISE EXCEPTION 'unknown status "%"',
			(SELECT s FROM unnest(statuses || display_statuses) s
			  WHERE s IS NULL OR s <> ALL (mlsync.mls_standard_statuses()) LIMIT 1)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Statuses are RESO StandardStatus values: ' ||
						 array_to_string(mlsync.mls_standard_statuses(), ', ') || '.';
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
	new_endpoint := mlsync.mls_check_url(endpoint, 'endpoint');
	new_token_url := mlsync.mls_check_url(token_url, 'token_url');
	IF allowed_origins IS NOT NULL THEN
		allowed_origins := ARRAY(SELECT mlsync.mls_url_origin(mlsync.mls_check_url(o, 'allowed_origins'))
								   FROM unnest(allowed_origins) o);
	END IF;

	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_connections c
					WHERE c.tenant_id = tenant AND c.connection = mls_connect.connection) THEN
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
		mls_name = coalesce(mls_connect.mls_name, c.mls_name),
		attribution = coalesce(mls_connect.attribution, c.attribution),
		disclaimer = coalesce(mls_connect.disclaimer, c.disclaimer),
		priority = coalesce(mls_connect.priority, c.priority),
		enabled = coalesce(mls_connect.enabled, c.enabled),
		paging = coalesce(mls_connect.paging, c.paging),
		allowed_origins = coalesce(mls_connect.allowed_origins, c.allowed_origins),
		disabled_reason = CASE WHEN mls_connect.enabled THEN NULL ELSE c.disabled_reason END,
		updated_at = now()
	WHERE c.tenant_id = tenant AND c.connection = mls_connect.connection
	RETURNING * INTO result;
	RETURN result;
END
$$;

COMMENT ON FUNCTION mls_connect(text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text[], integer, boolean, boolean, numeric, integer, integer, interval, text, text, text[], text, text, text, integer, boolean, text, text[]) IS
'create a connection (an MLS feed of a tenant), or update the given settings of an existing one';

-- API: Public.  SECURITY DEFINER because no role but the extension's owner
-- may touch mls_credentials; the C function only ever writes secrets.
CREATE FUNCTION mls_set_credentials(tenant text,
									connection text,
									password text DEFAULT NULL,
									client_secret text DEFAULT NULL,
									ua_password text DEFAULT NULL,
									access_token text DEFAULT NULL)
RETURNS text[]
LANGUAGE c
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_set_credentials$$;

COMMENT ON FUNCTION mls_set_credentials(text, text, text, text, text, text) IS
'store secrets of a connection encrypted (NULL keeps a secret, '''' removes it); returns the kinds stored';

-- API: Public.
CREATE FUNCTION mls_credentials_status(tenant text, connection text,
									   OUT kind text, OUT updated_at timestamptz,
									   OUT decryptable boolean)
RETURNS SETOF record
LANGUAGE c STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_credentials_status$$;

COMMENT ON FUNCTION mls_credentials_status(text, text) IS
'which secrets a connection has and whether the current key decrypts them (never the secrets)';

-- Nobody but the owner may read or write credentials, and only the owner
-- (or roles it grants) may store them.
REVOKE ALL ON mls_credentials FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_set_credentials(text, text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_credentials_status(text, text) FROM PUBLIC;
