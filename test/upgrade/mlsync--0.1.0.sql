-- mlsync install script, part 00: tenants, connections, credentials, listings.
--
-- The install script is assembled from sql/src/*.sql in name order (see the
-- Makefile).  Every object lives in schema mlsync and is named mls_*, except
-- market_stats.  tenant_id leads every tenant-scoped primary key, so row-level
-- security stays simple and the schema can be distributed by tenant.

\echo Use "CREATE EXTENSION mlsync" to load this file. \quit

-- MLS data is text from everywhere (Latin-1 RETS servers, UTF-8 JSON); it is
-- stored as UTF-8, so the database must be UTF-8.
DO $$
BEGIN
	IF pg_catalog.getdatabaseencoding() <> 'UTF8' THEN
		RAISE EXCEPTION 'mlsync needs a UTF8 database, not %', pg_catalog.getdatabaseencoding()
			USING ERRCODE = 'feature_not_supported',
				  HINT = 'Create the database with ENCODING ''UTF8''.';
	END IF;
END
$$;

-- API: Private.  Names of tenants and connections are slugs: they appear in
-- channel payloads, job names and log lines, so they are kept printable.
CREATE FUNCTION mls_is_valid_name(name text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$';

COMMENT ON FUNCTION mls_is_valid_name(text) IS
'true when the text is a valid tenant or connection name (lower-case letters, digits, "_", "." and "-", at most 63 characters)';

-- API: Private.  The RESO StandardStatus lookup is closed ("Locked with
-- Enumerations"): exactly these eleven display values.
CREATE FUNCTION mls_standard_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['Active', 'Active Under Contract', 'Canceled', 'Closed', 'Coming Soon',
			 'Delete', 'Expired', 'Hold', 'Incomplete', 'Pending', 'Withdrawn'];

COMMENT ON FUNCTION mls_standard_statuses() IS
'the eleven RESO Data Dictionary 2.0 StandardStatus values, in display spelling';

-- API: Private.  Whether PostgreSQL knows a time zone name.
CREATE FUNCTION mls_is_valid_timezone(zone text) RETURNS boolean
LANGUAGE plpgsql STABLE STRICT
AS $$
BEGIN
	PERFORM now() AT TIME ZONE zone;
	RETURN true;
EXCEPTION WHEN invalid_parameter_value THEN
	RETURN false;
END
$$;

CREATE TABLE mls_tenants (
	tenant_id		text PRIMARY KEY
					CHECK (mls_is_valid_name(tenant_id)),
	name			text NOT NULL,
	max_listings	bigint CHECK (max_listings >= 0),
	dom_milestones	integer[] NOT NULL DEFAULT '{30,60,90}'
					CHECK (0 < ALL (dom_milestones)),
	created_at		timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE mls_tenants IS 'one customer of the database: owns connections, listings and events';

-- A mapping set is the field mapping of one market (one MLS's local names).
-- reso-dd-2.0 is built in; others are written by the user in SQL.
CREATE TABLE mls_mapping_sets (
	mapping_set		text PRIMARY KEY
					CHECK (mapping_set ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$'),
	description		text,
	source_timezone	text NOT NULL DEFAULT 'UTC'
					CHECK (mls_is_valid_timezone(source_timezone)),
	builtin			boolean NOT NULL DEFAULT false,
	created_at		timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE mls_mapping_sets IS 'named field mappings of one market; source_timezone applies to timestamps sent without a zone';
COMMENT ON COLUMN mls_mapping_sets.source_timezone IS 'time zone in which the source sends timestamps that carry no offset (RETS servers send local time)';

CREATE TABLE mls_connections (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	connection		text NOT NULL CHECK (mls_is_valid_name(connection)),
	protocol		text NOT NULL CHECK (protocol IN ('reso', 'rets')),
	endpoint		text NOT NULL,
	token_url		text,
	oauth_client_auth text NOT NULL DEFAULT 'basic'
					CHECK (oauth_client_auth IN ('basic', 'body')),
	oauth_scope		text,
	username		text,
	resource		text NOT NULL DEFAULT 'Property',
	rets_class		text,
	rets_version	text NOT NULL DEFAULT 'RETS/1.7.2'
					CHECK (rets_version ~ '^RETS/1\.(5|7|7\.2|8|8\.0)$'),
	rets_format		text NOT NULL DEFAULT 'COMPACT-DECODED'
					CHECK (rets_format IN ('COMPACT', 'COMPACT-DECODED')),
	rets_method		text NOT NULL DEFAULT 'GET' CHECK (rets_method IN ('GET', 'POST')),
	rets_http_auth	text NOT NULL DEFAULT 'any'
					CHECK (rets_http_auth IN ('any', 'digest', 'basic')),
	user_agent		text,
	mapping_set		text NOT NULL DEFAULT 'reso-dd-2.0'
					REFERENCES mls_mapping_sets ON UPDATE CASCADE,
	key_field		text NOT NULL DEFAULT 'ListingKey',
	timestamp_field	text NOT NULL DEFAULT 'ModificationTimestamp',
	source_filter	text,
	statuses		text[] CHECK (statuses <@ mls_standard_statuses()),
	page_size		integer NOT NULL DEFAULT 1000 CHECK (page_size BETWEEN 1 AND 100000),
	select_mapped_only boolean NOT NULL DEFAULT false,
	expand_media	boolean NOT NULL DEFAULT false,
	rate_per_second	numeric CHECK (rate_per_second > 0),
	rate_per_hour	integer CHECK (rate_per_hour > 0),
	rate_per_day	integer CHECK (rate_per_day > 0),
	sync_interval	interval NOT NULL DEFAULT '15 minutes'
					CHECK (sync_interval >= '1 minute'),
	reconcile_schedule text NOT NULL DEFAULT '0 3 * * 0',
	photo_policy	text NOT NULL DEFAULT 'metadata'
					CHECK (photo_policy IN ('none', 'metadata', 'download')),
	display_statuses text[] NOT NULL DEFAULT '{Active,Active Under Contract,Pending,Coming Soon}'
					CHECK (display_statuses <@ mls_standard_statuses()),
	mls_name		text,
	attribution		text,
	disclaimer		text,
	priority		integer NOT NULL DEFAULT 100,
	enabled			boolean NOT NULL DEFAULT true,
	disabled_reason	text,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, connection),
	CONSTRAINT mls_connections_endpoint_http
		CHECK (endpoint ~* '^https?://[^/?#\s]+' AND endpoint !~ '\s'),
	CONSTRAINT mls_connections_token_url_http
		CHECK (token_url IS NULL OR (token_url ~* '^https?://[^/?#\s]+' AND token_url !~ '\s')),
	CONSTRAINT mls_connections_rets_class_required
		CHECK (protocol = 'reso' OR rets_class IS NOT NULL),
	-- RETS filters statuses with local codes: a DMQL2 source_filter does that
	CONSTRAINT mls_connections_statuses_reso
		CHECK (protocol = 'reso' OR statuses IS NULL)
);

COMMENT ON TABLE mls_connections IS 'one MLS feed of a tenant: protocol, endpoint, mapping set, paging, limits, schedule and display policy';

-- Secrets of a connection, encrypted with AES-256-GCM under the key in the
-- file named by mlsync.secret_key_file.  No role gets any privilege on this
-- table and no function returns a secret: it is write-only from SQL.
CREATE TABLE mls_credentials (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	kind			text NOT NULL
					CHECK (kind IN ('password', 'client_secret', 'ua_password', 'access_token')),
	key_id			bytea NOT NULL,
	ciphertext		bytea NOT NULL,
	updated_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, connection, kind),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections
		ON DELETE CASCADE ON UPDATE CASCADE
);

COMMENT ON TABLE mls_credentials IS 'encrypted secrets of connections (AES-256-GCM); write-only through mls_set_credentials';

-- The listings themselves.  Normalized columns are named after the RESO Data
-- Dictionary 2.0 field they hold, in snake_case (ListPrice -> list_price), so
-- the built-in mapping set can be derived from the dictionary.  Everything the
-- source sent is kept in raw; what a mapping sends to extra.<key> lands in
-- extra; local edits live in local_overrides, which a sync never touches.
CREATE TABLE mls_listings (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	listing_id		text,
	originating_system_name text,
	originating_system_key text,
	standard_status	text CHECK (standard_status = ANY (mls_standard_statuses())),
	mls_status		text,
	property_type	text,
	property_sub_type text,
	list_price		numeric(14, 2) CHECK (list_price >= 0),
	original_list_price numeric(14, 2) CHECK (original_list_price >= 0),
	previous_list_price numeric(14, 2) CHECK (previous_list_price >= 0),
	close_price		numeric(14, 2) CHECK (close_price >= 0),
	listing_contract_date date,
	on_market_date	date,
	off_market_date	date,
	purchase_contract_date date,
	close_date		date,
	expiration_date	date,
	contract_status_change_date date,
	days_on_market	integer CHECK (days_on_market >= 0),
	cumulative_days_on_market integer CHECK (cumulative_days_on_market >= 0),
	bedrooms_total	integer CHECK (bedrooms_total >= 0),
	bathrooms_total_integer integer CHECK (bathrooms_total_integer >= 0),
	bathrooms_full	integer CHECK (bathrooms_full >= 0),
	bathrooms_half	integer CHECK (bathrooms_half >= 0),
	living_area		numeric(14, 2) CHECK (living_area >= 0),
	living_area_units text,
	lot_size_area	numeric(16, 4) CHECK (lot_size_area >= 0),
	lot_size_units	text,
	lot_size_acres	numeric(16, 4) CHECK (lot_size_acres >= 0),
	lot_size_square_feet numeric(14, 2) CHECK (lot_size_square_feet >= 0),
	year_built		integer CHECK (year_built BETWEEN 1000 AND 3000),
	stories_total	integer CHECK (stories_total >= 0),
	garage_spaces	numeric(14, 2) CHECK (garage_spaces >= 0),
	heating			text[],
	cooling			text[],
	association_fee	numeric(14, 2) CHECK (association_fee >= 0),
	tax_annual_amount numeric(14, 2) CHECK (tax_annual_amount >= 0),
	unparsed_address text,
	street_number	text,
	street_dir_prefix text,
	street_name		text,
	street_suffix	text,
	street_dir_suffix text,
	unit_number		text,
	city			text,
	state_or_province text,
	postal_code		text,
	county_or_parish text,
	subdivision_name text,
	country			text,
	latitude		numeric(12, 8) CHECK (latitude BETWEEN -90 AND 90),
	longitude		numeric(12, 8) CHECK (longitude BETWEEN -180 AND 180),
	parcel_number	text,
	list_agent_key	text,
	list_agent_mls_id text,
	list_agent_full_name text,
	list_agent_email text,
	list_agent_direct_phone text,
	list_office_key	text,
	list_office_mls_id text,
	list_office_name text,
	list_office_phone text,
	co_list_agent_key text,
	co_list_office_key text,
	buyer_agent_key	text,
	buyer_office_key text,
	internet_entire_listing_display_yn boolean,
	internet_address_display_yn boolean,
	internet_automated_valuation_display_yn boolean,
	internet_consumer_comment_yn boolean,
	public_remarks	text,
	private_remarks	text,
	virtual_tour_url_unbranded text,
	photos_count	integer CHECK (photos_count >= 0),
	photos_change_timestamp timestamptz,
	modification_timestamp timestamptz,
	original_entry_timestamp timestamptz,
	status_change_timestamp timestamptz,
	price_change_timestamp timestamptz,
	major_change_timestamp timestamptz,
	-- not from the source:
	extra			jsonb NOT NULL DEFAULT '{}',
	raw				jsonb,
	raw_hash		bigint,
	local_overrides	jsonb NOT NULL DEFAULT '{}'
					CHECK (jsonb_typeof(local_overrides) = 'object'),
	property_id		bigint,
	conflict		text CHECK (conflict IN ('removed_at_source')),
	first_seen_at	timestamptz NOT NULL DEFAULT now(),
	last_synced_at	timestamptz NOT NULL DEFAULT now(),
	removed_at		timestamptz,
	PRIMARY KEY (tenant_id, connection, listing_key),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections
		ON DELETE CASCADE ON UPDATE CASCADE,
	CHECK (jsonb_typeof(extra) = 'object')
);

-- Source records are 4-8 kB of repetitive JSON: lz4 compresses them several
-- times faster than pglz at a similar ratio.
ALTER TABLE mls_listings ALTER COLUMN raw SET COMPRESSION lz4;

CREATE INDEX mls_listings_status_idx ON mls_listings (tenant_id, standard_status);
CREATE INDEX mls_listings_modified_idx ON mls_listings (tenant_id, connection, modification_timestamp);
CREATE INDEX mls_listings_parcel_idx ON mls_listings (tenant_id, parcel_number)
	WHERE parcel_number IS NOT NULL;

COMMENT ON TABLE mls_listings IS 'one row per MLS listing: normalized columns named after RESO DD 2.0 fields, plus extra, raw and local_overrides';
COMMENT ON COLUMN mls_listings.extra IS 'values a mapping set sends to extra.<key>';
COMMENT ON COLUMN mls_listings.raw IS 'the record exactly as the source sent it (lz4-compressed); remapping reads it, so no new download is needed';
COMMENT ON COLUMN mls_listings.raw_hash IS '64-bit hash of raw''s binary form, so a sync skips unchanged records without detoasting raw';
COMMENT ON COLUMN mls_listings.local_overrides IS 'local edits overlaid on MLS values; a sync never writes this column';
COMMENT ON COLUMN mls_listings.conflict IS 'removed_at_source: the listing is gone at the source but has local overrides, so it was flagged instead of removed';
COMMENT ON COLUMN mls_listings.removed_at IS 'when the listing was found removed at the source (its status is then Delete)';

-- pg_dump skips the rows of an extension's tables unless they are registered:
-- everything that holds user data is.  (Built-in mapping rows are recreated
-- by CREATE EXTENSION and filtered out.)
SELECT pg_catalog.pg_extension_config_dump('mls_tenants', '');
SELECT pg_catalog.pg_extension_config_dump('mls_mapping_sets', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('mls_connections', '');
SELECT pg_catalog.pg_extension_config_dump('mls_credentials', '');
SELECT pg_catalog.pg_extension_config_dump('mls_listings', '');
-- mlsync install script, part 05: tenants, connections and credentials API
-- (REQUIREMENTS F3, F4, F22).

-- API: Private.  Validates an http(s) URL with libcurl's own parser and
-- returns it normalized; refuses other schemes and embedded credentials.
CREATE FUNCTION mls_check_url(url text, what text) RETURNS text
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_check_url$$;

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
							enabled boolean DEFAULT NULL)
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
	new_endpoint := mlsync.mls_check_url(endpoint, 'endpoint');
	new_token_url := mlsync.mls_check_url(token_url, 'token_url');

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
		disabled_reason = CASE WHEN mls_connect.enabled THEN NULL ELSE c.disabled_reason END,
		updated_at = now()
	WHERE c.tenant_id = tenant AND c.connection = mls_connect.connection
	RETURNING * INTO result;
	RETURN result;
END
$$;

COMMENT ON FUNCTION mls_connect(text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text[], integer, boolean, boolean, numeric, integer, integer, interval, text, text, text[], text, text, text, integer, boolean) IS
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
-- mlsync install script, part 10: field mapping (REQUIREMENTS F5).
--
-- A mapping set turns a source record (RESO JSON or a RETS row) into the
-- columns of mls_listings.  It is compiled and applied in C (src/mapping.c);
-- this file holds its tables and the SQL entry points.

-- The RESO Data Dictionary 2.0, as facts the mapping needs: field names and
-- types, and lookup values in both spellings.  Filled by the generated part
-- 11_reso_dd_data.sql (tools/gen-reso-dd).
CREATE TABLE mls_dd_fields (
	resource		text NOT NULL,
	field			text NOT NULL,
	simple_type		text NOT NULL,
	lookup_name		text,
	max_length		integer,
	max_precision	integer,
	PRIMARY KEY (resource, field)
);

COMMENT ON TABLE mls_dd_fields IS 'RESO Data Dictionary 2.0 fields (name, simple type, lookup), from the dictionary''s fields.csv';

CREATE TABLE mls_dd_lookups (
	lookup_name		text NOT NULL,
	standard_value	text NOT NULL,
	legacy_value	text,
	PRIMARY KEY (lookup_name, standard_value)
);

CREATE INDEX mls_dd_lookups_legacy_idx ON mls_dd_lookups (lookup_name, legacy_value);

COMMENT ON TABLE mls_dd_lookups IS 'RESO Data Dictionary 2.0 lookup values: display spelling (standard_value) and legacy OData enumeration spelling (legacy_value)';

-- Which columns of mls_listings a mapping may write.  The others belong to
-- mlsync (keys, bookkeeping) or to the application (local_overrides).
CREATE VIEW mls_mappable_columns AS
SELECT a.attname::text AS column_name,
	   a.atttypid::regtype AS data_type,
	   format_type(a.atttypid, a.atttypmod) AS declared_type
  FROM pg_catalog.pg_attribute a
 WHERE a.attrelid = 'mlsync.mls_listings'::regclass
   AND a.attnum > 0
   AND NOT a.attisdropped
   AND a.attname NOT IN ('tenant_id', 'connection', 'extra', 'raw', 'raw_hash',
						 'local_overrides', 'property_id', 'conflict',
						 'first_seen_at', 'last_synced_at', 'removed_at')
 ORDER BY a.attnum;

COMMENT ON VIEW mls_mappable_columns IS 'the columns of mls_listings a field mapping may target (besides extra.<key>)';

CREATE TABLE mls_field_mappings (
	mapping_set		text NOT NULL REFERENCES mls_mapping_sets
					ON UPDATE CASCADE ON DELETE CASCADE,
	target			text NOT NULL,
	source_field	text NOT NULL CHECK (source_field <> ''),
	transform		text NOT NULL
					CHECK (transform IN ('text', 'integer', 'numeric', 'boolean', 'date',
										 'timestamptz', 'text[]', 'lookup', 'status')),
	value_map		jsonb CHECK (jsonb_typeof(value_map) = 'object'),
	lookup_name		text,
	scale			integer CHECK (scale BETWEEN 0 AND 20),
	factor			numeric CHECK (factor > 0),
	format			text,
	separator		text NOT NULL DEFAULT ',' CHECK (separator <> ''),
	default_value	text,
	required		boolean NOT NULL DEFAULT false,
	PRIMARY KEY (mapping_set, target)
);

SELECT pg_catalog.pg_extension_config_dump('mls_field_mappings',
	'WHERE mapping_set NOT IN (SELECT mapping_set FROM mlsync.mls_mapping_sets WHERE builtin)');

COMMENT ON TABLE mls_field_mappings IS 'source field -> mls_listings column (or extra.<key>) with a transform, value map and default, per mapping set';
COMMENT ON COLUMN mls_field_mappings.target IS 'a column of mls_mappable_columns, or extra.<key> with key matching [A-Za-z_][A-Za-z0-9_]*';
COMMENT ON COLUMN mls_field_mappings.transform IS 'text, integer, numeric, boolean, date, timestamptz, text[], lookup or status; defaults from the target column''s type';
COMMENT ON COLUMN mls_field_mappings.value_map IS 'local code -> value, applied before the transform (e.g. {"S": "Closed"})';
COMMENT ON COLUMN mls_field_mappings.lookup_name IS 'RESO lookup whose legacy enumeration spellings are turned into display spellings (lookup and text[] transforms)';
COMMENT ON COLUMN mls_field_mappings.factor IS 'numeric and integer: multiply by this unit factor (e.g. 43560 for acres to square feet)';
COMMENT ON COLUMN mls_field_mappings.scale IS 'numeric: round to this many decimal places (the column''s own scale applies anyway)';
COMMENT ON COLUMN mls_field_mappings.format IS 'date and timestamptz: a to_timestamp() template for sources that do not send ISO 8601';
COMMENT ON COLUMN mls_field_mappings.separator IS 'text[]: separator of multi-values sent as one string';

-- Every mapping row is validated by the same C code that compiles mapping
-- sets, so a row that is accepted here also compiles.
CREATE FUNCTION mls_field_mappings_validate() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', $$mls_field_mappings_validate$$;

CREATE TRIGGER mls_field_mappings_validate
	BEFORE INSERT OR UPDATE ON mls_field_mappings
	FOR EACH ROW EXECUTE FUNCTION mls_field_mappings_validate();

CREATE FUNCTION mls_map_record(mapping_set text, record jsonb)
RETURNS mls_listings
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_map_record$$;

COMMENT ON FUNCTION mls_map_record(text, jsonb) IS
'apply a mapping set to one source record; returns an mls_listings row with the mapped columns, extra and raw filled';

-- Remap stored listings from their raw records, without a new download
-- (after a mapping set changed).  Column names come from the catalog
-- (mls_mappable_columns) and are quoted; local overrides are never touched,
-- and only listings whose mapped values change are written.
CREATE FUNCTION mls_remap(tenant text, connection text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	columns text;
	mapped_columns text;
	changed bigint;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_tenants t WHERE t.tenant_id = mls_remap.tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', tenant USING ERRCODE = 'undefined_object';
	END IF;
	-- listing_key stays: it is the row's identity, not a value to remap
	SELECT string_agg(format('%I', column_name), ', '),
		   string_agg(format('m.%I', column_name), ', ')
	  INTO columns, mapped_columns
	  FROM (SELECT column_name FROM mlsync.mls_mappable_columns
			 WHERE column_name <> 'listing_key'
			UNION ALL SELECT 'extra') c;

	EXECUTE format(
		'WITH mapped AS (
			SELECT l.tenant_id AS remap_tenant, l.connection AS remap_connection,
				   l.listing_key AS remap_key, %2$s
			  FROM mlsync.mls_listings l
			  JOIN mlsync.mls_connections c USING (tenant_id, connection)
			 CROSS JOIN LATERAL mlsync.mls_map_record(c.mapping_set, l.raw) m
			 WHERE l.tenant_id = $1 AND ($2 IS NULL OR l.connection = $2)
			   AND l.raw IS NOT NULL)
		 UPDATE mlsync.mls_listings l SET (%1$s) = (SELECT %1$s FROM (SELECT mapped.*) r)
		   FROM mapped
		  WHERE l.tenant_id = mapped.remap_tenant AND l.connection = mapped.remap_connection
			AND l.listing_key = mapped.remap_key
			AND ROW(%3$s) IS DISTINCT FROM ROW(%4$s)',
		columns, mapped_columns,
		regexp_replace(columns, '([^, ]+)', 'l.\1', 'g'),
		regexp_replace(columns, '([^, ]+)', 'mapped.\1', 'g'))
	USING tenant, connection;
	GET DIAGNOSTICS changed = ROW_COUNT;
	RETURN changed;
END
$$;

COMMENT ON FUNCTION mls_remap(text, text) IS
're-apply the connection''s mapping set to the stored raw records of a tenant (or one connection); returns the number of listings changed';
-- mlsync install script, part 11: RESO Data Dictionary 2.0 facts.
-- GENERATED by tools/gen-reso-dd from the dictionary's fields.csv and
-- lookups.csv (active elements only).  Do not edit by hand.

INSERT INTO mls_dd_fields (resource, field, simple_type, lookup_name, max_length, max_precision) VALUES
	('Association', 'AssociationAddress1', 'String', NULL, 50, NULL),
	('Association', 'AssociationAddress2', 'String', NULL, 50, NULL),
	('Association', 'AssociationCareOf', 'String', NULL, 30, NULL),
	('Association', 'AssociationCharterDate', 'Date', NULL, 10, NULL),
	('Association', 'AssociationCity', 'String', NULL, 50, NULL),
	('Association', 'AssociationCountry', 'String List, Single', 'Country', 2, NULL),
	('Association', 'AssociationCountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('Association', 'AssociationFax', 'String', NULL, 16, NULL),
	('Association', 'AssociationKey', 'String', NULL, 255, NULL),
	('Association', 'AssociationMailAddress1', 'String', NULL, 50, NULL),
	('Association', 'AssociationMailAddress2', 'String', NULL, 50, NULL),
	('Association', 'AssociationMailCareOf', 'String', NULL, 30, NULL),
	('Association', 'AssociationMailCity', 'String', NULL, 50, NULL),
	('Association', 'AssociationMailCountry', 'String List, Single', 'Country', 2, NULL),
	('Association', 'AssociationMailCountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('Association', 'AssociationMailPostalCode', 'String', NULL, 10, NULL),
	('Association', 'AssociationMailPostalCodePlus4', 'String', NULL, 4, NULL),
	('Association', 'AssociationMailStateOfProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Association', 'AssociationMember', 'Resource', NULL, NULL, NULL),
	('Association', 'AssociationMlsId', 'String', NULL, 25, NULL),
	('Association', 'AssociationName', 'String', NULL, 255, NULL),
	('Association', 'AssociationNationalAssociationId', 'String', NULL, 25, NULL),
	('Association', 'AssociationPhone', 'String', NULL, 16, NULL),
	('Association', 'AssociationPostalCode', 'String', NULL, 10, NULL),
	('Association', 'AssociationPostalCodePlus4', 'String', NULL, 4, NULL),
	('Association', 'AssociationSocialMedia', 'Collection', NULL, NULL, NULL),
	('Association', 'AssociationStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Association', 'AssociationStatus', 'String List, Single', 'AssociationStatus', 25, NULL),
	('Association', 'AssociationType', 'String List, Single', 'AssociationType', 50, NULL),
	('Association', 'ExecutiveOfficerMemberKey', 'String', NULL, 255, NULL),
	('Association', 'ExecutiveOfficerMemberMlsId', 'String', NULL, 25, NULL),
	('Association', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('Association', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Association', 'MultipleListingServiceId', 'String', NULL, 25, NULL),
	('Association', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('Association', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('Association', 'OriginatingSystemAssociationKey', 'String', NULL, 255, NULL),
	('Association', 'OriginatingSystemId', 'String', NULL, 25, NULL),
	('Association', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('Association', 'SocialMediaType', 'String List, Single', 'SocialMediaType', 25, NULL),
	('Association', 'SocialMediaUrlOrId', 'String', NULL, 8000, NULL),
	('Association', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('Association', 'SourceSystemAssociationKey', 'String', NULL, 255, NULL),
	('Association', 'SourceSystemId', 'String', NULL, 25, NULL),
	('Association', 'SourceSystemName', 'String', NULL, 255, NULL),
	('Caravan', 'CancellationPolicyUrl', 'String', NULL, 8000, NULL),
	('Caravan', 'CaravanAllowedClassNames', 'String List, Multi', 'CaravanAllowedClassNames', 50, NULL),
	('Caravan', 'CaravanAllowedStatuses', 'String List, Multi', 'CaravanAllowedStatuses', 50, NULL),
	('Caravan', 'CaravanAreaDescription', 'String', NULL, 1024, NULL),
	('Caravan', 'CaravanBlackoutDates', 'String', NULL, 1024, NULL),
	('Caravan', 'CaravanDate', 'Date', NULL, 10, NULL),
	('Caravan', 'CaravanDaysRecurring', 'String', NULL, 50, NULL),
	('Caravan', 'CaravanEndTime', 'Timestamp', NULL, 27, NULL),
	('Caravan', 'CaravanInputDeadlineDescription', 'String', NULL, 50, NULL),
	('Caravan', 'CaravanInputDeadlineTimestamp', 'Timestamp', NULL, 27, NULL),
	('Caravan', 'CaravanKey', 'String', NULL, 255, NULL),
	('Caravan', 'CaravanName', 'String', NULL, 50, NULL),
	('Caravan', 'CaravanOrganizerContactInfo', 'String', NULL, 255, NULL),
	('Caravan', 'CaravanOrganizerKey', 'String', NULL, 255, NULL),
	('Caravan', 'CaravanOrganizerMlsId', 'String', NULL, 25, NULL),
	('Caravan', 'CaravanOrganizerName', 'String', NULL, 255, NULL),
	('Caravan', 'CaravanOrganizerResourceName', 'String List, Single', 'CaravanResourceName', 255, NULL),
	('Caravan', 'CaravanPolicyUrl', 'String', NULL, 8000, NULL),
	('Caravan', 'CaravanRemarks', 'String', NULL, 500, NULL),
	('Caravan', 'CaravanStartLocation', 'String', NULL, 50, NULL),
	('Caravan', 'CaravanStartLocationGiveaways', 'String', NULL, 255, NULL),
	('Caravan', 'CaravanStartLocationRefreshments', 'String', NULL, 255, NULL),
	('Caravan', 'CaravanStartTime', 'Timestamp', NULL, 27, NULL),
	('Caravan', 'CaravanStatus', 'String List, Single', 'CaravanStatus', 25, NULL),
	('Caravan', 'CaravanType', 'String List, Single', 'CaravanType', 25, NULL),
	('Caravan', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Caravan', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('Caravan', 'OriginatingSystemId', 'String', NULL, 25, NULL),
	('Caravan', 'OriginatingSystemKey', 'String', NULL, 255, NULL),
	('Caravan', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('Caravan', 'SourceSystemId', 'String', NULL, 25, NULL),
	('Caravan', 'SourceSystemKey', 'String', NULL, 255, NULL),
	('Caravan', 'SourceSystemName', 'String', NULL, 255, NULL),
	('CaravanStop', 'CaravanKey', 'String', NULL, 255, NULL),
	('CaravanStop', 'CaravanStopKey', 'String', NULL, 255, NULL),
	('CaravanStop', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('CaravanStop', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('CaravanStop', 'OriginatingSystemId', 'String', NULL, 25, NULL),
	('CaravanStop', 'OriginatingSystemKey', 'String', NULL, 255, NULL),
	('CaravanStop', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('CaravanStop', 'SourceSystemId', 'String', NULL, 25, NULL),
	('CaravanStop', 'SourceSystemKey', 'String', NULL, 255, NULL),
	('CaravanStop', 'SourceSystemName', 'String', NULL, 255, NULL),
	('CaravanStop', 'StopAttendedBy', 'String List, Single', 'CaravanStopAttended', 25, NULL),
	('CaravanStop', 'StopClassName', 'String List, Single', 'CaravanStopClassName', 50, NULL),
	('CaravanStop', 'StopDate', 'Date', NULL, 10, NULL),
	('CaravanStop', 'StopEndTime', 'Timestamp', NULL, 27, NULL),
	('CaravanStop', 'StopId', 'String', NULL, 255, NULL),
	('CaravanStop', 'StopKey', 'String', NULL, 255, NULL),
	('CaravanStop', 'StopOrder', 'Number', NULL, 2, NULL),
	('CaravanStop', 'StopRefreshments', 'String', NULL, 255, NULL),
	('CaravanStop', 'StopRemarks', 'String', NULL, 500, NULL),
	('CaravanStop', 'StopResourceName', 'String List, Single', 'CaravanResourceName', 50, NULL),
	('CaravanStop', 'StopShowingAgentFirstName', 'String', NULL, 50, NULL),
	('CaravanStop', 'StopShowingAgentKey', 'String', NULL, 255, NULL),
	('CaravanStop', 'StopShowingAgentLastName', 'String', NULL, 50, NULL),
	('CaravanStop', 'StopShowingAgentMlsId', 'String', NULL, 25, NULL),
	('CaravanStop', 'StopStartTime', 'Timestamp', NULL, 27, NULL),
	('ContactListingNotes', 'Contact', 'Resource', NULL, NULL, NULL),
	('ContactListingNotes', 'ContactKey', 'String', NULL, 255, NULL),
	('ContactListingNotes', 'ContactListingNotesKey', 'String', NULL, 255, NULL),
	('ContactListingNotes', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('ContactListingNotes', 'Listing', 'Resource', NULL, NULL, NULL),
	('ContactListingNotes', 'ListingId', 'String', NULL, 255, NULL),
	('ContactListingNotes', 'ListingKey', 'String', NULL, 255, NULL),
	('ContactListingNotes', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('ContactListingNotes', 'NoteContents', 'String', NULL, 500, NULL),
	('ContactListingNotes', 'NotedBy', 'String List, Single', 'NotedBy', 25, NULL),
	('ContactListings', 'AgentNotesUnreadYN', 'Boolean', NULL, NULL, NULL),
	('ContactListings', 'ClassName', 'String List, Single', 'ClassName', 50, NULL),
	('ContactListings', 'Contact', 'Resource', NULL, NULL, NULL),
	('ContactListings', 'ContactKey', 'String', NULL, 255, NULL),
	('ContactListings', 'ContactListingPreference', 'String List, Single', 'ContactListingPreference', 25, NULL),
	('ContactListings', 'ContactListingsKey', 'String', NULL, 255, NULL),
	('ContactListings', 'ContactLoginId', 'String', NULL, 25, NULL),
	('ContactListings', 'ContactNotesUnreadYN', 'Boolean', NULL, NULL, NULL),
	('ContactListings', 'DirectEmailYN', 'Boolean', NULL, NULL, NULL),
	('ContactListings', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('ContactListings', 'LastAgentNoteTimestamp', 'Timestamp', NULL, 27, NULL),
	('ContactListings', 'LastContactNoteTimestamp', 'Timestamp', NULL, 27, NULL),
	('ContactListings', 'Listing', 'Resource', NULL, NULL, NULL),
	('ContactListings', 'ListingId', 'String', NULL, 255, NULL),
	('ContactListings', 'ListingKey', 'String', NULL, 255, NULL),
	('ContactListings', 'ListingModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('ContactListings', 'ListingNotes', 'Collection', NULL, NULL, NULL),
	('ContactListings', 'ListingSentTimestamp', 'Timestamp', NULL, 27, NULL),
	('ContactListings', 'ListingViewedYN', 'Boolean', NULL, NULL, NULL),
	('ContactListings', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('ContactListings', 'PortalLastVisitedTimestamp', 'Timestamp', NULL, 27, NULL),
	('ContactListings', 'ResourceName', 'String List, Single', 'ResourceName', 50, NULL),
	('Contacts', 'Anniversary', 'Date', NULL, 24, NULL),
	('Contacts', 'AssistantEmail', 'String', NULL, 80, NULL),
	('Contacts', 'AssistantName', 'String', NULL, 150, NULL),
	('Contacts', 'AssistantPhone', 'String', NULL, 16, NULL),
	('Contacts', 'AssistantPhoneExt', 'String', NULL, 10, NULL),
	('Contacts', 'Birthdate', 'Date', NULL, 10, NULL),
	('Contacts', 'BusinessFax', 'String', NULL, 16, NULL),
	('Contacts', 'Children', 'String', NULL, 150, NULL),
	('Contacts', 'Company', 'String', NULL, 50, NULL),
	('Contacts', 'ContactKey', 'String', NULL, 255, NULL),
	('Contacts', 'ContactLoginId', 'String', NULL, 25, NULL),
	('Contacts', 'ContactPassword', 'String', NULL, 25, NULL),
	('Contacts', 'ContactStatus', 'String List, Single', 'ContactStatus', 25, NULL),
	('Contacts', 'ContactType', 'String List, Multi', 'ContactType', 255, NULL),
	('Contacts', 'ContactsOtherPhone', 'Collection', NULL, NULL, NULL),
	('Contacts', 'ContactsSocialMedia', 'Collection', NULL, NULL, NULL),
	('Contacts', 'Department', 'String', NULL, 50, NULL),
	('Contacts', 'DirectPhone', 'String', NULL, 16, NULL),
	('Contacts', 'Email', 'String', NULL, 80, NULL),
	('Contacts', 'Email2', 'String', NULL, 80, NULL),
	('Contacts', 'Email3', 'String', NULL, 80, NULL),
	('Contacts', 'FirstName', 'String', NULL, 50, NULL),
	('Contacts', 'FullName', 'String', NULL, 150, NULL),
	('Contacts', 'HomeAddress1', 'String', NULL, 50, NULL),
	('Contacts', 'HomeAddress2', 'String', NULL, 50, NULL),
	('Contacts', 'HomeCarrierRoute', 'String', NULL, 9, NULL),
	('Contacts', 'HomeCity', 'String', NULL, 50, NULL),
	('Contacts', 'HomeCountry', 'String List, Single', 'Country', 2, NULL),
	('Contacts', 'HomeCountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('Contacts', 'HomeFax', 'String', NULL, 16, NULL),
	('Contacts', 'HomePhone', 'String', NULL, 16, NULL),
	('Contacts', 'HomePostalCode', 'String', NULL, 10, NULL),
	('Contacts', 'HomePostalCodePlus4', 'String', NULL, 4, NULL),
	('Contacts', 'HomeStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Contacts', 'JobTitle', 'String', NULL, 50, NULL),
	('Contacts', 'Language', 'String List, Multi', 'Languages', 150, NULL),
	('Contacts', 'LastName', 'String', NULL, 50, NULL),
	('Contacts', 'LeadSource', 'String', NULL, 150, NULL),
	('Contacts', 'MiddleName', 'String', NULL, 50, NULL),
	('Contacts', 'MobilePhone', 'String', NULL, 16, NULL),
	('Contacts', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Contacts', 'NamePrefix', 'String', NULL, 10, NULL),
	('Contacts', 'NameSuffix', 'String', NULL, 10, NULL),
	('Contacts', 'Nickname', 'String', NULL, 50, NULL),
	('Contacts', 'Notes', 'String', NULL, 1024, NULL),
	('Contacts', 'OfficePhone', 'String', NULL, 16, NULL),
	('Contacts', 'OfficePhoneExt', 'String', NULL, 10, NULL),
	('Contacts', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('Contacts', 'OriginatingSystemContactKey', 'String', NULL, 255, NULL),
	('Contacts', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('Contacts', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('Contacts', 'OtherAddress1', 'String', NULL, 50, NULL),
	('Contacts', 'OtherAddress2', 'String', NULL, 50, NULL),
	('Contacts', 'OtherCarrierRoute', 'String', NULL, 9, NULL),
	('Contacts', 'OtherCity', 'String', NULL, 50, NULL),
	('Contacts', 'OtherCountry', 'String List, Single', 'Country', 2, NULL),
	('Contacts', 'OtherCountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('Contacts', 'OtherPhoneType', 'String List, Single', 'OtherPhoneType', 25, NULL),
	('Contacts', 'OtherPostalCode', 'String', NULL, 10, NULL),
	('Contacts', 'OtherPostalCodePlus4', 'String', NULL, 4, NULL),
	('Contacts', 'OtherStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Contacts', 'OwnerMemberID', 'String', NULL, 25, NULL),
	('Contacts', 'OwnerMemberKey', 'String', NULL, 255, NULL),
	('Contacts', 'Pager', 'String', NULL, 16, NULL),
	('Contacts', 'PhoneTTYTDD', 'String', NULL, 16, NULL),
	('Contacts', 'PreferredAddress', 'String List, Single', 'PreferredAddress', 255, NULL),
	('Contacts', 'PreferredPhone', 'String List, Single', 'PreferredPhone', 255, NULL),
	('Contacts', 'ReferredBy', 'String', NULL, 150, NULL),
	('Contacts', 'ReverseProspectingEnabledYN', 'Boolean', NULL, 1, NULL),
	('Contacts', 'SocialMediaType', 'String List, Single', 'SocialMediaType', 25, NULL),
	('Contacts', 'SourceSystemContactKey', 'String', NULL, 255, NULL),
	('Contacts', 'SourceSystemID', 'String', NULL, 25, NULL),
	('Contacts', 'SourceSystemName', 'String', NULL, 255, NULL),
	('Contacts', 'SpousePartnerName', 'String', NULL, 150, NULL),
	('Contacts', 'TollFreePhone', 'String', NULL, 16, NULL),
	('Contacts', 'VoiceMail', 'String', NULL, 16, NULL),
	('Contacts', 'VoiceMailExt', 'String', NULL, 10, NULL),
	('Contacts', 'WorkAddress1', 'String', NULL, 50, NULL),
	('Contacts', 'WorkAddress2', 'String', NULL, 50, NULL),
	('Contacts', 'WorkCarrierRoute', 'String', NULL, 9, NULL),
	('Contacts', 'WorkCity', 'String', NULL, 50, NULL),
	('Contacts', 'WorkCountry', 'String List, Single', 'Country', 2, NULL),
	('Contacts', 'WorkCountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('Contacts', 'WorkPostalCode', 'String', NULL, 10, NULL),
	('Contacts', 'WorkPostalCodePlus4', 'String', NULL, 4, NULL),
	('Contacts', 'WorkStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('EntityEvent', 'EntityEventSequence', 'Number', NULL, 64, NULL),
	('EntityEvent', 'ResourceName', 'String', NULL, 255, NULL),
	('EntityEvent', 'ResourceRecordKey', 'String', NULL, 255, NULL),
	('EntityEvent', 'ResourceRecordUrl', 'String', NULL, 8000, NULL),
	('Field', 'FieldKey', 'String', NULL, NULL, NULL),
	('Field', 'FieldName', 'String', NULL, NULL, NULL),
	('Field', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Field', 'ResourceName', 'String', NULL, NULL, NULL),
	('HistoryTransactional', 'ChangeType', 'String List, Single', 'ChangeType', 255, NULL),
	('HistoryTransactional', 'ChangedByMember', 'Resource', NULL, NULL, NULL),
	('HistoryTransactional', 'ChangedByMemberID', 'String', NULL, 25, NULL),
	('HistoryTransactional', 'ChangedByMemberKey', 'String', NULL, 255, NULL),
	('HistoryTransactional', 'ClassName', 'String', 'ClassName', 255, NULL),
	('HistoryTransactional', 'EntityEventSequence', 'Number', NULL, 64, NULL),
	('HistoryTransactional', 'FieldKey', 'String', NULL, 255, NULL),
	('HistoryTransactional', 'FieldName', 'String', NULL, 255, NULL),
	('HistoryTransactional', 'HistoryTransactionalKey', 'String', NULL, 255, NULL),
	('HistoryTransactional', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('HistoryTransactional', 'NewValue', 'String', NULL, 8000, NULL),
	('HistoryTransactional', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('HistoryTransactional', 'OriginatingSystemHistoryKey', 'String', NULL, 255, NULL),
	('HistoryTransactional', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('HistoryTransactional', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('HistoryTransactional', 'PreviousValue', 'String', NULL, 8000, NULL),
	('HistoryTransactional', 'ResourceName', 'String', NULL, 255, NULL),
	('HistoryTransactional', 'ResourceRecordID', 'String', NULL, 255, NULL),
	('HistoryTransactional', 'ResourceRecordKey', 'String', NULL, 255, NULL),
	('HistoryTransactional', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('HistoryTransactional', 'SourceSystemHistoryKey', 'String', NULL, 255, NULL),
	('HistoryTransactional', 'SourceSystemID', 'String', NULL, 25, NULL),
	('HistoryTransactional', 'SourceSystemName', 'String', NULL, 255, NULL),
	('InternetTracking', 'ActorCity', 'String', NULL, 50, NULL),
	('InternetTracking', 'ActorEmail', 'String', NULL, 80, NULL),
	('InternetTracking', 'ActorID', 'String', NULL, 25, NULL),
	('InternetTracking', 'ActorIP', 'String', NULL, 39, NULL),
	('InternetTracking', 'ActorKey', 'String', NULL, 255, NULL),
	('InternetTracking', 'ActorLatitude', 'Number', NULL, 12, 8),
	('InternetTracking', 'ActorLongitude', 'Number', NULL, 12, 8),
	('InternetTracking', 'ActorOriginatingSystem', 'Resource', NULL, NULL, NULL),
	('InternetTracking', 'ActorOriginatingSystemID', 'String', NULL, 25, NULL),
	('InternetTracking', 'ActorOriginatingSystemName', 'String', NULL, 255, NULL),
	('InternetTracking', 'ActorPhone', 'String', NULL, 16, NULL),
	('InternetTracking', 'ActorPhoneExt', 'String', NULL, 10, NULL),
	('InternetTracking', 'ActorPostalCode', 'String', NULL, 10, NULL),
	('InternetTracking', 'ActorPostalCodePlus4', 'String', NULL, 4, NULL),
	('InternetTracking', 'ActorRegion', 'String', NULL, 150, NULL),
	('InternetTracking', 'ActorSourceSystem', 'Resource', NULL, NULL, NULL),
	('InternetTracking', 'ActorSourceSystemID', 'String', NULL, 25, NULL),
	('InternetTracking', 'ActorSourceSystemName', 'String', NULL, 255, NULL),
	('InternetTracking', 'ActorStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('InternetTracking', 'ActorType', 'String List, Single', 'ActorType', 25, NULL),
	('InternetTracking', 'ColorDepth', 'Number', NULL, 255, NULL),
	('InternetTracking', 'DeviceType', 'String List, Single', 'DeviceType', 128, NULL),
	('InternetTracking', 'EventDescription', 'String', NULL, 1024, NULL),
	('InternetTracking', 'EventKey', 'String', NULL, 255, NULL),
	('InternetTracking', 'EventLabel', 'String', NULL, 50, NULL),
	('InternetTracking', 'EventOriginatingSystem', 'Resource', NULL, NULL, NULL),
	('InternetTracking', 'EventOriginatingSystemID', 'String', NULL, 25, NULL),
	('InternetTracking', 'EventOriginatingSystemName', 'String', NULL, 255, NULL),
	('InternetTracking', 'EventReportedTimestamp', 'Timestamp', NULL, 27, NULL),
	('InternetTracking', 'EventSource', 'String List, Single', 'EventSource', 128, NULL),
	('InternetTracking', 'EventSourceSystem', 'Resource', NULL, NULL, NULL),
	('InternetTracking', 'EventSourceSystemID', 'String', NULL, 25, NULL),
	('InternetTracking', 'EventSourceSystemName', 'String', NULL, 255, NULL),
	('InternetTracking', 'EventTarget', 'String List, Single', 'EventTarget', 25, NULL),
	('InternetTracking', 'EventTimestamp', 'Timestamp', NULL, 27, NULL),
	('InternetTracking', 'EventType', 'String List, Single', 'EventType', 128, NULL),
	('InternetTracking', 'ObjectID', 'String', NULL, 255, NULL),
	('InternetTracking', 'ObjectIdType', 'String List, Single', 'ObjectIdType', 128, NULL),
	('InternetTracking', 'ObjectKey', 'String', NULL, 255, NULL),
	('InternetTracking', 'ObjectOriginatingSystem', 'Resource', NULL, NULL, NULL),
	('InternetTracking', 'ObjectOriginatingSystemID', 'String', NULL, 25, NULL),
	('InternetTracking', 'ObjectOriginatingSystemName', 'String', NULL, 255, NULL),
	('InternetTracking', 'ObjectSourceSystem', 'Resource', NULL, NULL, NULL),
	('InternetTracking', 'ObjectSourceSystemID', 'String', NULL, 25, NULL),
	('InternetTracking', 'ObjectSourceSystemName', 'String', NULL, 255, NULL),
	('InternetTracking', 'ObjectType', 'String List, Single', 'ObjectType', 128, NULL),
	('InternetTracking', 'ObjectURL', 'String', NULL, 8000, NULL),
	('InternetTracking', 'OriginatingSystemActorKey', 'String', NULL, 255, NULL),
	('InternetTracking', 'OriginatingSystemEventKey', 'String', NULL, 255, NULL),
	('InternetTracking', 'OriginatingSystemObjectKey', 'String', NULL, 255, NULL),
	('InternetTracking', 'ReferringURL', 'String', NULL, 8000, NULL),
	('InternetTracking', 'ScreenHeight', 'Number', NULL, 255, NULL),
	('InternetTracking', 'ScreenWidth', 'Number', NULL, 255, NULL),
	('InternetTracking', 'SessionID', 'String', NULL, 255, NULL),
	('InternetTracking', 'SourceSystemActorKey', 'String', NULL, 255, NULL),
	('InternetTracking', 'SourceSystemEventKey', 'String', NULL, 255, NULL),
	('InternetTracking', 'SourceSystemObjectKey', 'String', NULL, 255, NULL),
	('InternetTracking', 'TimeZoneOffset', 'Number', NULL, 255, NULL),
	('InternetTracking', 'UserAgent', 'String', NULL, 255, NULL),
	('InternetTrackingSummary', 'CmaCreatedCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'CmaEmailedCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'CmaRanCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'CmaSharedCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'EndTimestamp', 'Timestamp', NULL, 27, NULL),
	('InternetTrackingSummary', 'FavoritedCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'ImpressionCount', 'Number', NULL, 255, NULL),
	('InternetTrackingSummary', 'InquiryCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'InternetTrackingSummaryKey', 'String', NULL, 255, NULL),
	('InternetTrackingSummary', 'ListingId', 'String', NULL, 255, NULL),
	('InternetTrackingSummary', 'ListingsEmailedCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'MobileAppImpressionCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'MobileAppViewCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'MobileLogins', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('InternetTrackingSummary', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('InternetTrackingSummary', 'ResponseType', 'String List, Single', 'ResponseTypes', 128, NULL),
	('InternetTrackingSummary', 'SharedCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'ShowingCompletedCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'ShowingRequestedCount', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'StartTimestamp', 'Timestamp', NULL, 27, NULL),
	('InternetTrackingSummary', 'TotalLogins', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'TrackingDate', 'Date', NULL, 10, NULL),
	('InternetTrackingSummary', 'TrackingType', 'String List, Single', 'TrackingType', 128, NULL),
	('InternetTrackingSummary', 'TrackingValues', 'String', NULL, 255, NULL),
	('InternetTrackingSummary', 'UniqueLogins', 'Number', NULL, 100, NULL),
	('InternetTrackingSummary', 'ViewCount', 'Number', NULL, 100, NULL),
	('LockOrBox', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('LockOrBox', 'KeyOrCredentialId', 'String', NULL, 25, NULL),
	('LockOrBox', 'ListAgentFullName', 'String', NULL, 150, NULL),
	('LockOrBox', 'ListingAddress1', 'String', NULL, 50, NULL),
	('LockOrBox', 'ListingAddress2', 'String', NULL, 50, NULL),
	('LockOrBox', 'ListingCity', 'String', NULL, 50, NULL),
	('LockOrBox', 'ListingCountry', 'String List, Single', 'Country', 2, NULL),
	('LockOrBox', 'ListingId', 'String', NULL, 255, NULL),
	('LockOrBox', 'ListingKey', 'String', NULL, 255, NULL),
	('LockOrBox', 'ListingLatitude', 'Number', NULL, 12, 8),
	('LockOrBox', 'ListingLongitude', 'Number', NULL, 12, 8),
	('LockOrBox', 'ListingPostalCode', 'String', NULL, 10, NULL),
	('LockOrBox', 'ListingPostalCodePlus4', 'String', NULL, 4, NULL),
	('LockOrBox', 'ListingStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('LockOrBox', 'ListingTimeZone', 'String List, Single', 'IanaTimeZoneValues', 150, NULL),
	('LockOrBox', 'LockOrBoxAccessTimestamp', 'Timestamp', NULL, 27, NULL),
	('LockOrBox', 'LockOrBoxAccessType', 'String List, Multi', 'LockOrBoxAccessType', 50, NULL),
	('LockOrBox', 'LockOrBoxId', 'String', NULL, 25, NULL),
	('LockOrBox', 'LockOrBoxInstalledTimestamp', 'Timestamp', NULL, 27, NULL),
	('LockOrBox', 'LockOrBoxKey', 'String', NULL, 255, NULL),
	('LockOrBox', 'LockOrBoxOriginatingSystemId', 'String', NULL, 25, NULL),
	('LockOrBox', 'LockOrBoxOriginatingSystemKey', 'String', NULL, 255, NULL),
	('LockOrBox', 'LockOrBoxOriginatingSystemName', 'String', NULL, 255, NULL),
	('LockOrBox', 'LockOrBoxSourceSystemId', 'String', NULL, 25, NULL),
	('LockOrBox', 'LockOrBoxSourceSystemKey', 'String', NULL, 255, NULL),
	('LockOrBox', 'LockOrBoxSourceSystemName', 'String', NULL, 255, NULL),
	('LockOrBox', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('LockOrBox', 'Notes', 'String', NULL, 1024, NULL),
	('LockOrBox', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('LockOrBox', 'ShowingAgent', 'Resource', NULL, NULL, NULL),
	('LockOrBox', 'ShowingAgentAOR', 'String List, Single', 'AOR', 50, NULL),
	('LockOrBox', 'ShowingAgentEmail', 'String', NULL, 80, NULL),
	('LockOrBox', 'ShowingAgentFirstName', 'String', NULL, 50, NULL),
	('LockOrBox', 'ShowingAgentFullName', 'String', NULL, 150, NULL),
	('LockOrBox', 'ShowingAgentId', 'String', NULL, 25, NULL),
	('LockOrBox', 'ShowingAgentLastName', 'String', NULL, 50, NULL),
	('LockOrBox', 'ShowingAgentMlsId', 'String', NULL, 25, NULL),
	('LockOrBox', 'ShowingAgentPhone', 'String', NULL, 16, NULL),
	('LockOrBox', 'ShowingAgentPhoneExt', 'String', NULL, 10, NULL),
	('LockOrBox', 'ShowingOffice', 'Resource', NULL, NULL, NULL),
	('LockOrBox', 'ShowingOfficeId', 'String', NULL, 25, NULL),
	('LockOrBox', 'ShowingOfficeName', 'String', NULL, 255, NULL),
	('LockOrBox', 'ShowingOfficePhone', 'String', NULL, 16, NULL),
	('LockOrBox', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('Lookup', 'LegacyODataValue', 'String', NULL, NULL, NULL),
	('Lookup', 'LookupKey', 'String', NULL, NULL, NULL),
	('Lookup', 'LookupName', 'String', NULL, NULL, NULL),
	('Lookup', 'LookupValue', 'String', NULL, NULL, NULL),
	('Lookup', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Lookup', 'StandardLookupValue', 'String', NULL, NULL, NULL),
	('Media', 'ChangedByMember', 'Resource', NULL, NULL, NULL),
	('Media', 'ChangedByMemberID', 'String', NULL, 25, NULL),
	('Media', 'ChangedByMemberKey', 'String', NULL, 255, NULL),
	('Media', 'ClassName', 'String List, Single', 'ClassName', 50, NULL),
	('Media', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('Media', 'ImageHeight', 'Number', NULL, 8, NULL),
	('Media', 'ImageOf', 'String List, Single', 'ImageOf', 50, NULL),
	('Media', 'ImageSizeDescription', 'String List, Single', 'ImageSizeDescription', 50, NULL),
	('Media', 'ImageWidth', 'Number', NULL, 8, NULL),
	('Media', 'LongDescription', 'String', NULL, 1024, NULL),
	('Media', 'MediaAlteration', 'String List, Multi', 'MediaAlteration', 50, NULL),
	('Media', 'MediaCategory', 'String List, Single', 'MediaCategory', 50, NULL),
	('Media', 'MediaHTML', 'String', NULL, 8500, NULL),
	('Media', 'MediaKey', 'String', NULL, 255, NULL),
	('Media', 'MediaModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Media', 'MediaObjectID', 'String', NULL, 255, NULL),
	('Media', 'MediaStatus', 'String List, Single', 'MediaStatus', 50, NULL),
	('Media', 'MediaType', 'String List, Single', 'MediaType', 50, NULL),
	('Media', 'MediaURL', 'String', NULL, 8000, NULL),
	('Media', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Media', 'Order', 'Number', NULL, 4, NULL),
	('Media', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('Media', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('Media', 'OriginatingSystemMediaKey', 'String', NULL, 255, NULL),
	('Media', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('Media', 'OriginatingSystemResourceRecordId', 'String', NULL, 255, NULL),
	('Media', 'OriginatingSystemResourceRecordKey', 'String', NULL, 255, NULL),
	('Media', 'OriginatingSystemResourceRecordSystemId', 'String', NULL, 25, NULL),
	('Media', 'Permission', 'String List, Multi', 'Permission', 255, NULL),
	('Media', 'PreferredPhotoYN', 'Boolean', NULL, NULL, NULL),
	('Media', 'ResourceName', 'String List, Single', 'ResourceName', 50, NULL),
	('Media', 'ResourceRecordID', 'String', NULL, 255, NULL),
	('Media', 'ResourceRecordKey', 'String', NULL, 255, NULL),
	('Media', 'ShortDescription', 'String', NULL, 50, NULL),
	('Media', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('Media', 'SourceSystemID', 'String', NULL, 25, NULL),
	('Media', 'SourceSystemMediaKey', 'String', NULL, 255, NULL),
	('Media', 'SourceSystemName', 'String', NULL, 255, NULL),
	('Media', 'SourceSystemResourceRecordId', 'String', NULL, 255, NULL),
	('Media', 'SourceSystemResourceRecordKey', 'String', NULL, 255, NULL),
	('Media', 'SourceSystemResourceRecordSystemId', 'String', NULL, 25, NULL),
	('Member', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('Member', 'JobTitle', 'String', NULL, 50, NULL),
	('Member', 'LastLoginTimestamp', 'Timestamp', NULL, 27, NULL),
	('Member', 'Media', 'Collection', NULL, NULL, NULL),
	('Member', 'MemberAOR', 'String List, Single', 'AOR', 50, NULL),
	('Member', 'MemberAORMlsId', 'String', NULL, 25, NULL),
	('Member', 'MemberAORkey', 'String', NULL, 255, NULL),
	('Member', 'MemberAddress1', 'String', NULL, 50, NULL),
	('Member', 'MemberAddress2', 'String', NULL, 50, NULL),
	('Member', 'MemberAlternateId', 'String', NULL, 50, NULL),
	('Member', 'MemberAssociationComments', 'String', NULL, 500, NULL),
	('Member', 'MemberBillingPreference', 'String List, Single', 'BillingPreference', 30, NULL),
	('Member', 'MemberBio', 'String', NULL, 1024, NULL),
	('Member', 'MemberCarrierRoute', 'String', NULL, 9, NULL),
	('Member', 'MemberCity', 'String', NULL, 50, NULL),
	('Member', 'MemberCommitteeCount', 'Number', NULL, 3, NULL),
	('Member', 'MemberCountry', 'String List, Single', 'Country', 2, NULL),
	('Member', 'MemberCountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('Member', 'MemberDesignation', 'String List, Multi', 'MemberDesignation', 50, NULL),
	('Member', 'MemberDirectPhone', 'String', NULL, 16, NULL),
	('Member', 'MemberEmail', 'String', NULL, 80, NULL),
	('Member', 'MemberFax', 'String', NULL, 16, NULL),
	('Member', 'MemberFirstName', 'String', NULL, 50, NULL),
	('Member', 'MemberFullName', 'String', NULL, 150, NULL),
	('Member', 'MemberHomePhone', 'String', NULL, 16, NULL),
	('Member', 'MemberIsAssistantTo', 'String', NULL, 50, NULL),
	('Member', 'MemberKey', 'String', NULL, 255, NULL),
	('Member', 'MemberLanguages', 'String List, Multi', 'Languages', 1024, NULL),
	('Member', 'MemberLastName', 'String', NULL, 50, NULL),
	('Member', 'MemberLoginId', 'String', NULL, 25, NULL),
	('Member', 'MemberMailOptOutYN', 'Boolean', NULL, NULL, NULL),
	('Member', 'MemberMiddleName', 'String', NULL, 50, NULL),
	('Member', 'MemberMlsAccessYN', 'Boolean', NULL, NULL, NULL),
	('Member', 'MemberMlsId', 'String', NULL, 25, NULL),
	('Member', 'MemberMlsSecurityClass', 'String List, Single', 'MemberMlsSecurityClass', 25, NULL),
	('Member', 'MemberMobilePhone', 'String', NULL, 16, NULL),
	('Member', 'MemberNamePrefix', 'String', NULL, 10, NULL),
	('Member', 'MemberNameSuffix', 'String', NULL, 10, NULL),
	('Member', 'MemberNationalAssociationEntryDate', 'Date', NULL, 10, NULL),
	('Member', 'MemberNationalAssociationId', 'String', NULL, 25, NULL),
	('Member', 'MemberNickname', 'String', NULL, 50, NULL),
	('Member', 'MemberOfficePhone', 'String', NULL, 16, NULL),
	('Member', 'MemberOfficePhoneExt', 'String', NULL, 10, NULL),
	('Member', 'MemberOtherPhone', 'Collection', NULL, NULL, NULL),
	('Member', 'MemberOtherPhoneType', 'String List, Single', 'MemberOtherPhoneType', 25, NULL),
	('Member', 'MemberPager', 'String', NULL, 16, NULL),
	('Member', 'MemberPassword', 'String', NULL, 25, NULL),
	('Member', 'MemberPhoneTTYTDD', 'String', NULL, 16, NULL),
	('Member', 'MemberPostalCode', 'String', NULL, 10, NULL),
	('Member', 'MemberPostalCodePlus4', 'String', NULL, 4, NULL),
	('Member', 'MemberPreferredMail', 'String List, Single', 'PreferredMail', 30, NULL),
	('Member', 'MemberPreferredMedia', 'String List, Single', 'PreferredMedia', 30, NULL),
	('Member', 'MemberPreferredPhone', 'String', NULL, 16, NULL),
	('Member', 'MemberPreferredPhoneExt', 'String', NULL, 10, NULL),
	('Member', 'MemberPreferredPublication', 'String List, Single', 'PreferredPublication', 30, NULL),
	('Member', 'MemberPrimaryAorId', 'String', NULL, 25, NULL),
	('Member', 'MemberSocialMedia', 'Collection', NULL, NULL, NULL),
	('Member', 'MemberStateLicense', 'String', NULL, 50, NULL),
	('Member', 'MemberStateLicenseExpirationDate', 'Date', NULL, 10, NULL),
	('Member', 'MemberStateLicenseState', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Member', 'MemberStateLicenseType', 'String', NULL, 30, NULL),
	('Member', 'MemberStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Member', 'MemberStatus', 'String List, Single', 'MemberStatus', 25, NULL),
	('Member', 'MemberTollFreePhone', 'String', NULL, 16, NULL),
	('Member', 'MemberTransferDate', 'Date', NULL, 10, NULL),
	('Member', 'MemberType', 'String List, Single', 'MemberType', 50, NULL),
	('Member', 'MemberVoiceMail', 'String', NULL, 16, NULL),
	('Member', 'MemberVoiceMailExt', 'String', NULL, 10, NULL),
	('Member', 'MemberVotingPrecinct', 'String', NULL, 50, NULL),
	('Member', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Member', 'Office', 'Resource', NULL, NULL, NULL),
	('Member', 'OfficeKey', 'String', NULL, 255, NULL),
	('Member', 'OfficeMlsId', 'String', NULL, 25, NULL),
	('Member', 'OfficeName', 'String', NULL, 255, NULL),
	('Member', 'OfficeNationalAssociationId', 'String', NULL, 25, NULL),
	('Member', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('Member', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('Member', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('Member', 'OriginatingSystemMemberKey', 'String', NULL, 255, NULL),
	('Member', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('Member', 'SocialMediaType', 'String List, Single', 'SocialMediaType', 25, NULL),
	('Member', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('Member', 'SourceSystemID', 'String', NULL, 25, NULL),
	('Member', 'SourceSystemMemberKey', 'String', NULL, 255, NULL),
	('Member', 'SourceSystemName', 'String', NULL, 255, NULL),
	('Member', 'SyndicateTo', 'String List, Multi', 'SyndicateTo', 1024, NULL),
	('Member', 'UniqueLicenseeIdentifier', 'String', NULL, 255, NULL),
	('MemberAssociation', 'Association', 'Resource', NULL, NULL, NULL),
	('MemberAssociation', 'AssociationKey', 'String', NULL, 255, NULL),
	('MemberAssociation', 'AssociationMlsId', 'String', NULL, 25, NULL),
	('MemberAssociation', 'AssociationNationalAssociationId', 'String', NULL, 25, NULL),
	('MemberAssociation', 'AssociationStaffYN', 'Boolean', NULL, NULL, NULL),
	('MemberAssociation', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('MemberAssociation', 'Member', 'Resource', NULL, NULL, NULL),
	('MemberAssociation', 'MemberAssociationBillStatus', 'String List, Single', 'MemberAssociationBillStatus', 25, NULL),
	('MemberAssociation', 'MemberAssociationBillStatusDescription', 'String', NULL, 100, NULL),
	('MemberAssociation', 'MemberAssociationDuesPaidDate', 'Date', NULL, 10, NULL),
	('MemberAssociation', 'MemberAssociationJoinDate', 'Date', NULL, 10, NULL),
	('MemberAssociation', 'MemberAssociationModificationDateTime', 'Timestamp', NULL, 27, NULL),
	('MemberAssociation', 'MemberAssociationOrientationDate', 'Date', NULL, 10, NULL),
	('MemberAssociation', 'MemberAssociationPrimaryIndicator', 'String', NULL, 20, NULL),
	('MemberAssociation', 'MemberAssociationStatus', 'String List, Single', 'MemberStatus', 25, NULL),
	('MemberAssociation', 'MemberAssociationStatusDate', 'Date', NULL, 10, NULL),
	('MemberAssociation', 'MemberKey', 'String', NULL, 255, NULL),
	('MemberAssociation', 'MemberLocalDuesWaivedYN', 'Boolean', NULL, NULL, NULL),
	('MemberAssociation', 'MemberMlsId', 'String', NULL, 25, NULL),
	('MemberAssociation', 'MemberNationalDuesWaivedYN', 'Boolean', NULL, NULL, NULL),
	('MemberAssociation', 'MemberStatelDuesWaivedYN', 'Boolean', NULL, NULL, NULL),
	('MemberAssociation', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('MemberAssociation', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('MemberAssociation', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('MemberAssociation', 'OriginatingSystemId', 'String', NULL, 25, NULL),
	('MemberAssociation', 'OriginatingSystemMemberKey', 'String', NULL, 255, NULL),
	('MemberAssociation', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('MemberAssociation', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('MemberAssociation', 'SourceSystemId', 'String', NULL, 25, NULL),
	('MemberAssociation', 'SourceSystemMemberKey', 'String', NULL, 255, NULL),
	('MemberAssociation', 'SourceSystemName', 'String', NULL, 255, NULL),
	('MemberStateLicense', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('MemberStateLicense', 'Member', 'Resource', NULL, NULL, NULL),
	('MemberStateLicense', 'MemberKey', 'String', NULL, 255, NULL),
	('MemberStateLicense', 'MemberMlsId', 'String', NULL, 25, NULL),
	('MemberStateLicense', 'MemberStateLicense', 'String', NULL, 50, NULL),
	('MemberStateLicense', 'MemberStateLicenseExpirationDate', 'Date', NULL, 10, NULL),
	('MemberStateLicense', 'MemberStateLicenseKey', 'String', NULL, 255, NULL),
	('MemberStateLicense', 'MemberStateLicenseState', 'String List, Single', 'StateOrProvince', 2, NULL),
	('MemberStateLicense', 'MemberStateLicenseType', 'String List, Single', 'MemberStateLicenseType', 30, NULL),
	('MemberStateLicense', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('OUID', 'ChangedByMemberID', 'String', NULL, 25, NULL),
	('OUID', 'ChangedByMemberKey', 'String', NULL, 255, NULL),
	('OUID', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('OUID', 'OrganizationAOR', 'String List, Single', 'AOR', 50, NULL),
	('OUID', 'OrganizationAddress1', 'String', NULL, 50, NULL),
	('OUID', 'OrganizationAddress2', 'String', NULL, 50, NULL),
	('OUID', 'OrganizationAorOuid', 'String', NULL, 25, NULL),
	('OUID', 'OrganizationAorOuidKey', 'String', NULL, 255, NULL),
	('OUID', 'OrganizationCarrierRoute', 'String', NULL, 9, NULL),
	('OUID', 'OrganizationCity', 'String', NULL, 50, NULL),
	('OUID', 'OrganizationComments', 'String', NULL, 500, NULL),
	('OUID', 'OrganizationContactEmail', 'String', NULL, 80, NULL),
	('OUID', 'OrganizationContactFax', 'String', NULL, 16, NULL),
	('OUID', 'OrganizationContactFirstName', 'String', NULL, 50, NULL),
	('OUID', 'OrganizationContactFullName', 'String', NULL, 150, NULL),
	('OUID', 'OrganizationContactJobTitle', 'String', NULL, 50, NULL),
	('OUID', 'OrganizationContactLastName', 'String', NULL, 50, NULL),
	('OUID', 'OrganizationContactMiddleName', 'String', NULL, 50, NULL),
	('OUID', 'OrganizationContactNamePrefix', 'String', NULL, 10, NULL),
	('OUID', 'OrganizationContactNameSuffix', 'String', NULL, 10, NULL),
	('OUID', 'OrganizationContactPhone', 'String', NULL, 16, NULL),
	('OUID', 'OrganizationContactPhoneExt', 'String', NULL, 10, NULL),
	('OUID', 'OrganizationCountry', 'String List, Single', 'Country', 2, NULL),
	('OUID', 'OrganizationCountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('OUID', 'OrganizationMemberCount', 'Number', NULL, 14, NULL),
	('OUID', 'OrganizationMlsCode', 'String', NULL, 25, NULL),
	('OUID', 'OrganizationMlsVendorName', 'String', NULL, 255, NULL),
	('OUID', 'OrganizationMlsVendorOuid', 'String', NULL, 25, NULL),
	('OUID', 'OrganizationName', 'String', NULL, 255, NULL),
	('OUID', 'OrganizationNationalAssociationId', 'String', NULL, 25, NULL),
	('OUID', 'OrganizationPostalCode', 'String', NULL, 10, NULL),
	('OUID', 'OrganizationPostalCodePlus4', 'String', NULL, 4, NULL),
	('OUID', 'OrganizationSocialMedia', 'Collection', NULL, NULL, NULL),
	('OUID', 'OrganizationSocialMediaType', 'String List, Single', 'SocialMediaType', 25, NULL),
	('OUID', 'OrganizationStateLicense', 'String', NULL, 50, NULL),
	('OUID', 'OrganizationStateLicenseState', 'String List, Single', 'StateOrProvince', 2, NULL),
	('OUID', 'OrganizationStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('OUID', 'OrganizationStatus', 'Boolean', NULL, NULL, NULL),
	('OUID', 'OrganizationStatusChangeTimestamp', 'Timestamp', NULL, 27, NULL),
	('OUID', 'OrganizationType', 'String List, Single', 'OrganizationType', 25, NULL),
	('OUID', 'OrganizationUniqueId', 'String', NULL, 25, NULL),
	('OUID', 'OrganizationUniqueIdKey', 'String', NULL, 255, NULL),
	('OUID', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('Office', 'BillingOfficeKey', 'String', NULL, 255, NULL),
	('Office', 'FranchiseAffiliation', 'String', NULL, 50, NULL),
	('Office', 'FranchiseNationalAssociationId', 'String', NULL, 25, NULL),
	('Office', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('Office', 'IDXOfficeParticipationYN', 'Boolean', NULL, NULL, NULL),
	('Office', 'MainOffice', 'Resource', NULL, NULL, NULL),
	('Office', 'MainOfficeKey', 'String', NULL, 255, NULL),
	('Office', 'MainOfficeMlsId', 'String', NULL, 25, NULL),
	('Office', 'Media', 'Collection', NULL, NULL, NULL),
	('Office', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Office', 'NumberOfBranches', 'Number', NULL, 3, NULL),
	('Office', 'NumberOfNonMemberSalespersons', 'Number', NULL, 4, NULL),
	('Office', 'OfficeAOR', 'String List, Single', 'AOR', 50, NULL),
	('Office', 'OfficeAORMlsId', 'String', NULL, 25, NULL),
	('Office', 'OfficeAORkey', 'String', NULL, 255, NULL),
	('Office', 'OfficeAddress1', 'String', NULL, 50, NULL),
	('Office', 'OfficeAddress2', 'String', NULL, 50, NULL),
	('Office', 'OfficeAlternateId', 'String', NULL, 50, NULL),
	('Office', 'OfficeAssociationComments', 'String', NULL, 500, NULL),
	('Office', 'OfficeBio', 'String', NULL, 1024, NULL),
	('Office', 'OfficeBranchType', 'String List, Single', 'OfficeBranchType', 50, NULL),
	('Office', 'OfficeBroker', 'Resource', NULL, NULL, NULL),
	('Office', 'OfficeBrokerKey', 'String', NULL, 255, NULL),
	('Office', 'OfficeBrokerMlsId', 'String', NULL, 25, NULL),
	('Office', 'OfficeBrokerNationalAssociationId', 'String', NULL, 25, NULL),
	('Office', 'OfficeCity', 'String', NULL, 50, NULL),
	('Office', 'OfficeCorporateLicense', 'String', NULL, 50, NULL),
	('Office', 'OfficeCountry', 'String List, Single', 'Country', 2, NULL),
	('Office', 'OfficeCountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('Office', 'OfficeEmail', 'String', NULL, 80, NULL),
	('Office', 'OfficeFax', 'String', NULL, 16, NULL),
	('Office', 'OfficeKey', 'String', NULL, 255, NULL),
	('Office', 'OfficeMailAddress1', 'String', NULL, 50, NULL),
	('Office', 'OfficeMailAddress2', 'String', NULL, 50, NULL),
	('Office', 'OfficeMailCareOf', 'String', NULL, 30, NULL),
	('Office', 'OfficeMailCity', 'String', NULL, 50, NULL),
	('Office', 'OfficeMailCountry', 'String List, Single', 'Country', 2, NULL),
	('Office', 'OfficeMailCountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('Office', 'OfficeMailPostalCode', 'String', NULL, 5, NULL),
	('Office', 'OfficeMailPostalCodePlus4', 'String', NULL, 4, NULL),
	('Office', 'OfficeMailStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Office', 'OfficeManager', 'Resource', NULL, NULL, NULL),
	('Office', 'OfficeManagerKey', 'String', NULL, 255, NULL),
	('Office', 'OfficeManagerMlsId', 'String', NULL, 25, NULL),
	('Office', 'OfficeMlsId', 'String', NULL, 25, NULL),
	('Office', 'OfficeName', 'String', NULL, 255, NULL),
	('Office', 'OfficeNationalAssociationId', 'String', NULL, 25, NULL),
	('Office', 'OfficeNationalAssociationIdInsertDate', 'Date', NULL, 10, NULL),
	('Office', 'OfficePhone', 'String', NULL, 16, NULL),
	('Office', 'OfficePhoneExt', 'String', NULL, 10, NULL),
	('Office', 'OfficePostalCode', 'String', NULL, 10, NULL),
	('Office', 'OfficePostalCodePlus4', 'String', NULL, 4, NULL),
	('Office', 'OfficePreferredMedia', 'String List, Single', 'PreferredMedia', 25, NULL),
	('Office', 'OfficePrimaryAorId', 'String', NULL, 25, NULL),
	('Office', 'OfficePrimaryStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Office', 'OfficeSocialMedia', 'Collection', NULL, NULL, NULL),
	('Office', 'OfficeStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Office', 'OfficeStatus', 'String List, Single', 'OfficeStatus', 25, NULL),
	('Office', 'OfficeType', 'String List, Single', 'OfficeType', 50, NULL),
	('Office', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('Office', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('Office', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('Office', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('Office', 'OriginatingSystemOfficeKey', 'String', NULL, 255, NULL),
	('Office', 'OtherPhone', 'String', NULL, 16, NULL),
	('Office', 'SocialMediaType', 'String List, Single', 'SocialMediaType', 25, NULL),
	('Office', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('Office', 'SourceSystemID', 'String', NULL, 25, NULL),
	('Office', 'SourceSystemName', 'String', NULL, 255, NULL),
	('Office', 'SourceSystemOfficeKey', 'String', NULL, 255, NULL),
	('Office', 'SyndicateAgentOption', 'String List, Single', 'SyndicateAgentOption', 50, NULL),
	('Office', 'SyndicateTo', 'String List, Multi', 'SyndicateTo', 1024, NULL),
	('Office', 'VirtualOfficeWebsiteYN', 'Boolean', NULL, NULL, NULL),
	('OfficeAssociation', 'Association', 'Resource', NULL, NULL, NULL),
	('OfficeAssociation', 'AssociationKey', 'String', NULL, 255, NULL),
	('OfficeAssociation', 'AssociationMlsId', 'String', NULL, 25, NULL),
	('OfficeAssociation', 'AssociationNationalAssociationId', 'String', NULL, 25, NULL),
	('OfficeAssociation', 'BillStatus', 'String', NULL, 25, NULL),
	('OfficeAssociation', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('OfficeAssociation', 'JoinDate', 'Date', NULL, 10, NULL),
	('OfficeAssociation', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('OfficeAssociation', 'Office', 'Resource', NULL, NULL, NULL),
	('OfficeAssociation', 'OfficeAssociationPrimaryIndicator', 'String List, Single', 'OfficeAssociationPrimaryIndicator', 25, NULL),
	('OfficeAssociation', 'OfficeAssociationStatus', 'String List, Single', 'OfficeStatus', 25, NULL),
	('OfficeAssociation', 'OfficeAssociationStatusDate', 'Date', NULL, 10, NULL),
	('OfficeAssociation', 'OfficeKey', 'String', NULL, 255, NULL),
	('OfficeAssociation', 'OfficeMlsId', 'String', NULL, 25, NULL),
	('OfficeAssociation', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('OfficeAssociation', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('OfficeAssociation', 'OriginatingSystemId', 'String', NULL, 25, NULL),
	('OfficeAssociation', 'OriginatingSystemMemberKey', 'String', NULL, 255, NULL),
	('OfficeAssociation', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('OfficeAssociation', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('OfficeAssociation', 'SourceSystemId', 'String', NULL, 25, NULL),
	('OfficeAssociation', 'SourceSystemMemberKey', 'String', NULL, 255, NULL),
	('OfficeAssociation', 'SourceSystemName', 'String', NULL, 255, NULL),
	('OfficeCorporateLicense', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('OfficeCorporateLicense', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('OfficeCorporateLicense', 'Office', 'Resource', NULL, NULL, NULL),
	('OfficeCorporateLicense', 'OfficeCorporateLicense', 'String', NULL, 50, NULL),
	('OfficeCorporateLicense', 'OfficeCorporateLicenseExpirationDate', 'Date', NULL, 10, NULL),
	('OfficeCorporateLicense', 'OfficeCorporateLicenseKey', 'String', NULL, 255, NULL),
	('OfficeCorporateLicense', 'OfficeCorporateLicenseState', 'String List, Single', 'StateOrProvince', 2, NULL),
	('OfficeCorporateLicense', 'OfficeCorporateLicenseType', 'String List, Single', 'OfficeCorporateLicenseType', 30, NULL),
	('OfficeCorporateLicense', 'OfficeKey', 'String', NULL, 255, NULL),
	('OfficeCorporateLicense', 'OfficeMlsId', 'String', NULL, 25, NULL),
	('OpenHouse', 'AppointmentRequiredYN', 'Boolean', NULL, NULL, NULL),
	('OpenHouse', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('OpenHouse', 'Listing', 'Resource', NULL, NULL, NULL),
	('OpenHouse', 'ListingId', 'String', NULL, 255, NULL),
	('OpenHouse', 'ListingKey', 'String', NULL, 255, NULL),
	('OpenHouse', 'LivestreamOpenHouseURL', 'String', NULL, 8000, NULL),
	('OpenHouse', 'Media', 'Collection', NULL, NULL, NULL),
	('OpenHouse', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('OpenHouse', 'OpenHouseAttendedBy', 'String List, Single', 'Attended', 25, NULL),
	('OpenHouse', 'OpenHouseDate', 'Date', NULL, 10, NULL),
	('OpenHouse', 'OpenHouseEndTime', 'Timestamp', NULL, 27, NULL),
	('OpenHouse', 'OpenHouseId', 'String', NULL, 255, NULL),
	('OpenHouse', 'OpenHouseKey', 'String', NULL, 255, NULL),
	('OpenHouse', 'OpenHouseRemarks', 'String', NULL, 500, NULL),
	('OpenHouse', 'OpenHouseStartTime', 'Timestamp', NULL, 27, NULL),
	('OpenHouse', 'OpenHouseStatus', 'String List, Single', 'OpenHouseStatus', 25, NULL),
	('OpenHouse', 'OpenHouseType', 'String List, Single', 'OpenHouseType', 25, NULL),
	('OpenHouse', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('OpenHouse', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('OpenHouse', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('OpenHouse', 'OriginatingSystemKey', 'String', NULL, 255, NULL),
	('OpenHouse', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('OpenHouse', 'Refreshments', 'String', NULL, 255, NULL),
	('OpenHouse', 'ShowingAgent', 'Resource', NULL, NULL, NULL),
	('OpenHouse', 'ShowingAgentFirstName', 'String', NULL, 50, NULL),
	('OpenHouse', 'ShowingAgentKey', 'String', NULL, 255, NULL),
	('OpenHouse', 'ShowingAgentLastName', 'String', NULL, 50, NULL),
	('OpenHouse', 'ShowingAgentMlsID', 'String', NULL, 25, NULL),
	('OpenHouse', 'SocialMedia', 'Collection', NULL, NULL, NULL),
	('OpenHouse', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('OpenHouse', 'SourceSystemID', 'String', NULL, 25, NULL),
	('OpenHouse', 'SourceSystemKey', 'String', NULL, 255, NULL),
	('OpenHouse', 'SourceSystemName', 'String', NULL, 255, NULL),
	('OtherPhone', 'ClassName', 'String List, Single', 'ClassName', 255, NULL),
	('OtherPhone', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('OtherPhone', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('OtherPhone', 'OtherPhoneExt', 'String', NULL, 10, NULL),
	('OtherPhone', 'OtherPhoneKey', 'String', NULL, 255, NULL),
	('OtherPhone', 'OtherPhoneNumber', 'String', NULL, 16, NULL),
	('OtherPhone', 'OtherPhoneType', 'String List, Single', 'OtherPhoneType', 25, NULL),
	('OtherPhone', 'ResourceName', 'String List, Single', 'ResourceName', 50, NULL),
	('OtherPhone', 'ResourceRecordID', 'String', NULL, 255, NULL),
	('OtherPhone', 'ResourceRecordKey', 'String', NULL, 255, NULL),
	('Property', 'AboveGradeFinishedArea', 'Number', NULL, 14, 2),
	('Property', 'AboveGradeFinishedAreaSource', 'String List, Single', 'AreaSource', 50, NULL),
	('Property', 'AboveGradeFinishedAreaUnits', 'String List, Single', 'AreaUnits', 25, NULL),
	('Property', 'AboveGradeUnfinishedArea', 'Number', NULL, 14, 2),
	('Property', 'AboveGradeUnfinishedAreaSource', 'String List, Single', 'AreaSource', 50, NULL),
	('Property', 'AboveGradeUnfinishedAreaUnits', 'String List, Single', 'AreaUnits', 25, NULL),
	('Property', 'AccessCode', 'String', NULL, 25, NULL),
	('Property', 'AccessibilityFeatures', 'String List, Multi', 'AccessibilityFeatures', 1024, NULL),
	('Property', 'ActivationDate', 'Date', NULL, 10, NULL),
	('Property', 'AdditionalParcelsDescription', 'String', NULL, 255, NULL),
	('Property', 'AdditionalParcelsYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'AnchorsCoTenants', 'String', NULL, 1024, NULL),
	('Property', 'Appliances', 'String List, Multi', 'Appliances', 1024, NULL),
	('Property', 'ArchitecturalStyle', 'String List, Multi', 'ArchitecturalStyle', 1024, NULL),
	('Property', 'AssociationAmenities', 'String List, Multi', 'AssociationAmenities', 1024, NULL),
	('Property', 'AssociationFee', 'Number', NULL, 14, 2),
	('Property', 'AssociationFee2', 'Number', NULL, 14, 2),
	('Property', 'AssociationFee2Frequency', 'String List, Single', 'FeeFrequency', 25, NULL),
	('Property', 'AssociationFeeFrequency', 'String List, Single', 'FeeFrequency', 25, NULL),
	('Property', 'AssociationFeeIncludes', 'String List, Multi', 'AssociationFeeIncludes', 1024, NULL),
	('Property', 'AssociationName', 'String', NULL, 50, NULL),
	('Property', 'AssociationName2', 'String', NULL, 50, NULL),
	('Property', 'AssociationPhone', 'String', NULL, 16, NULL),
	('Property', 'AssociationPhone2', 'String', NULL, 16, NULL),
	('Property', 'AssociationYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'AttachedGarageYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'AttributionContact', 'String', NULL, 80, NULL),
	('Property', 'AvailabilityDate', 'Date', NULL, 10, NULL),
	('Property', 'AvailableLeaseType', 'String List, Multi', 'ExistingLeaseType', 75, NULL),
	('Property', 'BackOnMarketDate', 'Date', NULL, 10, NULL),
	('Property', 'Basement', 'String List, Multi', 'Basement', 1024, NULL),
	('Property', 'BasementYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'BathroomsFull', 'Number', NULL, 3, NULL),
	('Property', 'BathroomsHalf', 'Number', NULL, 3, NULL),
	('Property', 'BathroomsOneQuarter', 'Number', NULL, 3, NULL),
	('Property', 'BathroomsPartial', 'Number', NULL, 3, NULL),
	('Property', 'BathroomsThreeQuarter', 'Number', NULL, 3, NULL),
	('Property', 'BathroomsTotalInteger', 'Number', NULL, 3, NULL),
	('Property', 'BedroomsPossible', 'Number', NULL, 3, NULL),
	('Property', 'BedroomsTotal', 'Number', NULL, 3, NULL),
	('Property', 'BelowGradeFinishedArea', 'Number', NULL, 14, 2),
	('Property', 'BelowGradeFinishedAreaSource', 'String List, Single', 'AreaSource', 50, NULL),
	('Property', 'BelowGradeFinishedAreaUnits', 'String List, Single', 'AreaUnits', 25, NULL),
	('Property', 'BelowGradeUnfinishedArea', 'Number', NULL, 14, 2),
	('Property', 'BelowGradeUnfinishedAreaSource', 'String List, Single', 'AreaSource', 50, NULL),
	('Property', 'BelowGradeUnfinishedAreaUnits', 'String List, Single', 'AreaUnits', 25, NULL),
	('Property', 'BodyType', 'String List, Multi', 'BodyType', 1024, NULL),
	('Property', 'BuilderModel', 'String', NULL, 50, NULL),
	('Property', 'BuilderName', 'String', NULL, 50, NULL),
	('Property', 'BuildingAreaSource', 'String List, Single', 'AreaSource', 50, NULL),
	('Property', 'BuildingAreaTotal', 'Number', NULL, 14, 2),
	('Property', 'BuildingAreaUnits', 'String List, Single', 'AreaUnits', 25, NULL),
	('Property', 'BuildingFeatures', 'String List, Multi', 'BuildingFeatures', 1024, NULL),
	('Property', 'BuildingName', 'String', NULL, 50, NULL),
	('Property', 'BusinessName', 'String', NULL, 255, NULL),
	('Property', 'BusinessType', 'String List, Multi', 'BusinessType', 1024, NULL),
	('Property', 'BuyerAgent', 'Resource', NULL, NULL, NULL),
	('Property', 'BuyerAgentAOR', 'String List, Single', 'AOR', 50, NULL),
	('Property', 'BuyerAgentDesignation', 'String List, Multi', 'BuyerAgentDesignation', 50, NULL),
	('Property', 'BuyerAgentDirectPhone', 'String', NULL, 16, NULL),
	('Property', 'BuyerAgentEmail', 'String', NULL, 80, NULL),
	('Property', 'BuyerAgentFax', 'String', NULL, 16, NULL),
	('Property', 'BuyerAgentFirstName', 'String', NULL, 50, NULL),
	('Property', 'BuyerAgentFullName', 'String', NULL, 150, NULL),
	('Property', 'BuyerAgentHomePhone', 'String', NULL, 16, NULL),
	('Property', 'BuyerAgentKey', 'String', NULL, 255, NULL),
	('Property', 'BuyerAgentLastName', 'String', NULL, 50, NULL),
	('Property', 'BuyerAgentMiddleName', 'String', NULL, 50, NULL),
	('Property', 'BuyerAgentMlsId', 'String', NULL, 25, NULL),
	('Property', 'BuyerAgentMobilePhone', 'String', NULL, 16, NULL),
	('Property', 'BuyerAgentNamePrefix', 'String', NULL, 10, NULL),
	('Property', 'BuyerAgentNameSuffix', 'String', NULL, 10, NULL),
	('Property', 'BuyerAgentNationalAssociationId', 'String', NULL, 25, NULL),
	('Property', 'BuyerAgentOfficePhone', 'String', NULL, 16, NULL),
	('Property', 'BuyerAgentOfficePhoneExt', 'String', NULL, 10, NULL),
	('Property', 'BuyerAgentPager', 'String', NULL, 16, NULL),
	('Property', 'BuyerAgentPreferredPhone', 'String', NULL, 16, NULL),
	('Property', 'BuyerAgentPreferredPhoneExt', 'String', NULL, 10, NULL),
	('Property', 'BuyerAgentStateLicense', 'String', NULL, 50, NULL),
	('Property', 'BuyerAgentTollFreePhone', 'String', NULL, 16, NULL),
	('Property', 'BuyerAgentURL', 'String', NULL, 8000, NULL),
	('Property', 'BuyerAgentVoiceMail', 'String', NULL, 16, NULL),
	('Property', 'BuyerAgentVoiceMailExt', 'String', NULL, 10, NULL),
	('Property', 'BuyerBrokerageCompensation', 'String', NULL, 25, NULL),
	('Property', 'BuyerBrokerageCompensationType', 'String List, Single', 'CompensationType', 25, NULL),
	('Property', 'BuyerFinancing', 'String List, Multi', 'BuyerFinancing', 1024, NULL),
	('Property', 'BuyerOffice', 'Resource', NULL, NULL, NULL),
	('Property', 'BuyerOfficeAOR', 'String List, Single', 'AOR', 50, NULL),
	('Property', 'BuyerOfficeEmail', 'String', NULL, 80, NULL),
	('Property', 'BuyerOfficeFax', 'String', NULL, 16, NULL),
	('Property', 'BuyerOfficeKey', 'String', NULL, 255, NULL),
	('Property', 'BuyerOfficeMlsId', 'String', NULL, 25, NULL),
	('Property', 'BuyerOfficeName', 'String', NULL, 255, NULL),
	('Property', 'BuyerOfficeNationalAssociationId', 'String', NULL, 25, NULL),
	('Property', 'BuyerOfficePhone', 'String', NULL, 16, NULL),
	('Property', 'BuyerOfficePhoneExt', 'String', NULL, 10, NULL),
	('Property', 'BuyerOfficeURL', 'String', NULL, 8000, NULL),
	('Property', 'BuyerTeam', 'Resource', NULL, NULL, NULL),
	('Property', 'BuyerTeamKey', 'String', NULL, 255, NULL),
	('Property', 'BuyerTeamName', 'String', NULL, 50, NULL),
	('Property', 'CableTvExpense', 'Number', NULL, 14, 2),
	('Property', 'CancellationDate', 'Date', NULL, 10, NULL),
	('Property', 'CapRate', 'Number', NULL, 5, 2),
	('Property', 'CarportSpaces', 'Number', NULL, 14, 2),
	('Property', 'CarportYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'CarrierRoute', 'String', NULL, 9, NULL),
	('Property', 'City', 'String List, Single', 'City', 50, NULL),
	('Property', 'CityRegion', 'String', NULL, 150, NULL),
	('Property', 'CloseDate', 'Date', NULL, 10, NULL),
	('Property', 'ClosePrice', 'Number', NULL, 14, 2),
	('Property', 'CoBuyerAgent', 'Resource', NULL, NULL, NULL),
	('Property', 'CoBuyerAgentAOR', 'String List, Single', 'AOR', 50, NULL),
	('Property', 'CoBuyerAgentDesignation', 'String List, Multi', 'CoBuyerAgentDesignation', 50, NULL),
	('Property', 'CoBuyerAgentDirectPhone', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerAgentEmail', 'String', NULL, 80, NULL),
	('Property', 'CoBuyerAgentFax', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerAgentFirstName', 'String', NULL, 50, NULL),
	('Property', 'CoBuyerAgentFullName', 'String', NULL, 150, NULL),
	('Property', 'CoBuyerAgentHomePhone', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerAgentKey', 'String', NULL, 255, NULL),
	('Property', 'CoBuyerAgentLastName', 'String', NULL, 50, NULL),
	('Property', 'CoBuyerAgentMiddleName', 'String', NULL, 50, NULL),
	('Property', 'CoBuyerAgentMlsId', 'String', NULL, 25, NULL),
	('Property', 'CoBuyerAgentMobilePhone', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerAgentNamePrefix', 'String', NULL, 10, NULL),
	('Property', 'CoBuyerAgentNameSuffix', 'String', NULL, 10, NULL),
	('Property', 'CoBuyerAgentNationalAssociationId', 'String', NULL, 25, NULL),
	('Property', 'CoBuyerAgentOfficePhone', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerAgentOfficePhoneExt', 'String', NULL, 10, NULL),
	('Property', 'CoBuyerAgentPager', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerAgentPreferredPhone', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerAgentPreferredPhoneExt', 'String', NULL, 10, NULL),
	('Property', 'CoBuyerAgentStateLicense', 'String', NULL, 50, NULL),
	('Property', 'CoBuyerAgentTollFreePhone', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerAgentURL', 'String', NULL, 8000, NULL),
	('Property', 'CoBuyerAgentVoiceMail', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerAgentVoiceMailExt', 'String', NULL, 10, NULL),
	('Property', 'CoBuyerOffice', 'Resource', NULL, NULL, NULL),
	('Property', 'CoBuyerOfficeAOR', 'String List, Single', 'AOR', 50, NULL),
	('Property', 'CoBuyerOfficeEmail', 'String', NULL, 80, NULL),
	('Property', 'CoBuyerOfficeFax', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerOfficeKey', 'String', NULL, 255, NULL),
	('Property', 'CoBuyerOfficeMlsId', 'String', NULL, 25, NULL),
	('Property', 'CoBuyerOfficeName', 'String', NULL, 255, NULL),
	('Property', 'CoBuyerOfficeNationalAssociationId', 'String', NULL, 25, NULL),
	('Property', 'CoBuyerOfficePhone', 'String', NULL, 16, NULL),
	('Property', 'CoBuyerOfficePhoneExt', 'String', NULL, 10, NULL),
	('Property', 'CoBuyerOfficeURL', 'String', NULL, 8000, NULL),
	('Property', 'CoListAgent', 'Resource', NULL, NULL, NULL),
	('Property', 'CoListAgentAOR', 'String List, Single', 'AOR', 50, NULL),
	('Property', 'CoListAgentDesignation', 'String List, Multi', 'CoListAgentDesignation', 50, NULL),
	('Property', 'CoListAgentDirectPhone', 'String', NULL, 16, NULL),
	('Property', 'CoListAgentEmail', 'String', NULL, 80, NULL),
	('Property', 'CoListAgentFax', 'String', NULL, 16, NULL),
	('Property', 'CoListAgentFirstName', 'String', NULL, 50, NULL),
	('Property', 'CoListAgentFullName', 'String', NULL, 150, NULL),
	('Property', 'CoListAgentHomePhone', 'String', NULL, 16, NULL),
	('Property', 'CoListAgentKey', 'String', NULL, 255, NULL),
	('Property', 'CoListAgentLastName', 'String', NULL, 50, NULL),
	('Property', 'CoListAgentMiddleName', 'String', NULL, 50, NULL),
	('Property', 'CoListAgentMlsId', 'String', NULL, 25, NULL),
	('Property', 'CoListAgentMobilePhone', 'String', NULL, 16, NULL),
	('Property', 'CoListAgentNamePrefix', 'String', NULL, 10, NULL),
	('Property', 'CoListAgentNameSuffix', 'String', NULL, 10, NULL),
	('Property', 'CoListAgentNationalAssociationId', 'String', NULL, 25, NULL),
	('Property', 'CoListAgentOfficePhone', 'String', NULL, 16, NULL),
	('Property', 'CoListAgentOfficePhoneExt', 'String', NULL, 10, NULL),
	('Property', 'CoListAgentPager', 'String', NULL, 16, NULL),
	('Property', 'CoListAgentPreferredPhone', 'String', NULL, 16, NULL),
	('Property', 'CoListAgentPreferredPhoneExt', 'String', NULL, 10, NULL),
	('Property', 'CoListAgentStateLicense', 'String', NULL, 50, NULL),
	('Property', 'CoListAgentTollFreePhone', 'String', NULL, 16, NULL),
	('Property', 'CoListAgentURL', 'String', NULL, 8000, NULL),
	('Property', 'CoListAgentVoiceMail', 'String', NULL, 16, NULL),
	('Property', 'CoListAgentVoiceMailExt', 'String', NULL, 10, NULL),
	('Property', 'CoListOffice', 'Resource', NULL, NULL, NULL),
	('Property', 'CoListOfficeAOR', 'String List, Single', 'AOR', 50, NULL),
	('Property', 'CoListOfficeEmail', 'String', NULL, 80, NULL),
	('Property', 'CoListOfficeFax', 'String', NULL, 16, NULL),
	('Property', 'CoListOfficeKey', 'String', NULL, 255, NULL),
	('Property', 'CoListOfficeMlsId', 'String', NULL, 25, NULL),
	('Property', 'CoListOfficeName', 'String', NULL, 255, NULL),
	('Property', 'CoListOfficeNationalAssociationId', 'String', NULL, 25, NULL),
	('Property', 'CoListOfficePhone', 'String', NULL, 16, NULL),
	('Property', 'CoListOfficePhoneExt', 'String', NULL, 10, NULL),
	('Property', 'CoListOfficeURL', 'String', NULL, 8000, NULL),
	('Property', 'CommonInterest', 'String List, Single', 'CommonInterest', 25, NULL),
	('Property', 'CommonWalls', 'String List, Multi', 'CommonWalls', 1024, NULL),
	('Property', 'CommunityFeatures', 'String List, Multi', 'CommunityFeatures', 1024, NULL),
	('Property', 'CompSaleYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'CompensationComments', 'String', NULL, 255, NULL),
	('Property', 'Concessions', 'String List, Single', 'Concessions', 25, NULL),
	('Property', 'ConcessionsAmount', 'Number', NULL, 11, NULL),
	('Property', 'ConcessionsComments', 'String', NULL, 200, NULL),
	('Property', 'ConstructionMaterials', 'String List, Multi', 'ConstructionMaterials', 1024, NULL),
	('Property', 'ContinentRegion', 'String', NULL, 150, NULL),
	('Property', 'Contingency', 'String', NULL, 1024, NULL),
	('Property', 'ContingentDate', 'Date', NULL, 10, NULL),
	('Property', 'ContractStatusChangeDate', 'Date', NULL, 10, NULL),
	('Property', 'Cooling', 'String List, Multi', 'Cooling', 1024, NULL),
	('Property', 'CoolingYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'CopyrightNotice', 'String', NULL, 500, NULL),
	('Property', 'Country', 'String List, Single', 'Country', 2, NULL),
	('Property', 'CountryRegion', 'String', NULL, 150, NULL),
	('Property', 'CountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('Property', 'CoveredSpaces', 'Number', NULL, 14, 2),
	('Property', 'CropsIncludedYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'CrossStreet', 'String', NULL, 50, NULL),
	('Property', 'CultivatedArea', 'Number', NULL, 14, 2),
	('Property', 'CumulativeDaysOnMarket', 'Number', NULL, 4, NULL),
	('Property', 'CurrentFinancing', 'String List, Multi', 'CurrentFinancing', 1024, NULL),
	('Property', 'CurrentUse', 'String List, Multi', 'CurrentOrPossibleUse', 1024, NULL),
	('Property', 'DOH1', 'String', NULL, 25, NULL),
	('Property', 'DOH2', 'String', NULL, 25, NULL),
	('Property', 'DOH3', 'String', NULL, 25, NULL),
	('Property', 'DaysInMls', 'Number', NULL, 4, NULL),
	('Property', 'DaysOnMarket', 'Number', NULL, 4, NULL),
	('Property', 'DaysOnSite', 'Number', NULL, 4, NULL),
	('Property', 'DevelopmentStatus', 'String List, Multi', 'DevelopmentStatus', 1024, NULL),
	('Property', 'DirectionFaces', 'String List, Single', 'DirectionFaces', 25, NULL),
	('Property', 'Directions', 'String', NULL, 1024, NULL),
	('Property', 'Disclaimer', 'String', NULL, 500, NULL),
	('Property', 'Disclosures', 'String List, Multi', 'Disclosures', 4000, NULL),
	('Property', 'DistanceToBusComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToBusNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToBusUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToElectricComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToElectricNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToElectricUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToFreewayComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToFreewayNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToFreewayUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToGasComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToGasNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToGasUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToPhoneServiceComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToPhoneServiceNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToPhoneServiceUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToPlaceofWorshipComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToPlaceofWorshipNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToPlaceofWorshipUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToSchoolBusComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToSchoolBusNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToSchoolBusUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToSchoolsComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToSchoolsNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToSchoolsUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToSewerComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToSewerNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToSewerUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToShoppingComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToShoppingNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToShoppingUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToStreetComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToStreetNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToStreetUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DistanceToWaterComments', 'String', NULL, 255, NULL),
	('Property', 'DistanceToWaterNumeric', 'Number', NULL, 16, NULL),
	('Property', 'DistanceToWaterUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'DocumentsAvailable', 'String List, Multi', 'DocumentsAvailable', 1024, NULL),
	('Property', 'DocumentsChangeTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'DocumentsCount', 'Number', NULL, 2, NULL),
	('Property', 'DoorFeatures', 'String List, Multi', 'DoorFeatures', 1024, NULL),
	('Property', 'DualOrVariableRateCommissionYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'Electric', 'String List, Multi', 'Electric', 1024, NULL),
	('Property', 'ElectricExpense', 'Number', NULL, 14, 2),
	('Property', 'ElectricOnPropertyYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'ElementarySchool', 'String List, Single', 'ElementarySchool', 50, NULL),
	('Property', 'ElementarySchoolDistrict', 'String List, Single', 'ElementarySchoolDistrict', 50, NULL),
	('Property', 'Elevation', 'Number', NULL, 5, NULL),
	('Property', 'ElevationUnits', 'String List, Single', 'LinearUnits', 10, NULL),
	('Property', 'EntryLevel', 'Number', NULL, 4, NULL),
	('Property', 'EntryLocation', 'String', NULL, 50, NULL),
	('Property', 'Exclusions', 'String', NULL, 1024, NULL),
	('Property', 'ExistingLeaseType', 'String List, Multi', 'ExistingLeaseType', 75, NULL),
	('Property', 'ExpirationDate', 'Date', NULL, 10, NULL),
	('Property', 'ExteriorFeatures', 'String List, Multi', 'ExteriorFeatures', 1024, NULL),
	('Property', 'FarmCreditServiceInclYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'FarmLandAreaSource', 'String List, Single', 'AreaSource', 50, NULL),
	('Property', 'FarmLandAreaUnits', 'String List, Single', 'AreaUnits', 25, NULL),
	('Property', 'Fencing', 'String List, Multi', 'Fencing', 1024, NULL),
	('Property', 'FhaEligibility', 'String List, Single', 'FhaEligibility', 25, NULL),
	('Property', 'FinancialDataSource', 'String List, Multi', 'FinancialDataSource', 75, NULL),
	('Property', 'FireplaceFeatures', 'String List, Multi', 'FireplaceFeatures', 1024, NULL),
	('Property', 'FireplaceYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'FireplacesTotal', 'Number', NULL, 3, NULL),
	('Property', 'Flooring', 'String List, Multi', 'Flooring', 1024, NULL),
	('Property', 'FoundationArea', 'Number', NULL, 14, 2),
	('Property', 'FoundationDetails', 'String List, Multi', 'FoundationDetails', 1024, NULL),
	('Property', 'FrontageLength', 'String', NULL, 255, NULL),
	('Property', 'FrontageType', 'String List, Multi', 'FrontageType', 1024, NULL),
	('Property', 'FuelExpense', 'Number', NULL, 14, 2),
	('Property', 'Furnished', 'String List, Single', 'Furnished', 50, NULL),
	('Property', 'FurnitureReplacementExpense', 'Number', NULL, 14, 2),
	('Property', 'GarageSpaces', 'Number', NULL, 14, 2),
	('Property', 'GarageYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'GardenerExpense', 'Number', NULL, 14, 2),
	('Property', 'GrazingPermitsBlmYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'GrazingPermitsForestServiceYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'GrazingPermitsPrivateYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'GreenBuildingVerification', 'Collection', NULL, NULL, NULL),
	('Property', 'GreenBuildingVerificationType', 'String List, Multi', 'GreenBuildingVerificationType', 1024, NULL),
	('Property', 'GreenEnergyEfficient', 'String List, Multi', 'GreenEnergyEfficient', 1024, NULL),
	('Property', 'GreenEnergyGeneration', 'String List, Multi', 'GreenEnergyGeneration', 1024, NULL),
	('Property', 'GreenIndoorAirQuality', 'String List, Multi', 'GreenIndoorAirQuality', 1024, NULL),
	('Property', 'GreenLocation', 'String List, Multi', 'GreenLocation', 1024, NULL),
	('Property', 'GreenSustainability', 'String List, Multi', 'GreenSustainability', 1024, NULL),
	('Property', 'GreenVerificationYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'GreenWaterConservation', 'String List, Multi', 'GreenWaterConservation', 1024, NULL),
	('Property', 'GrossIncome', 'Number', NULL, 14, 2),
	('Property', 'GrossLivingAreaAnsi', 'Number', NULL, 14, 2),
	('Property', 'GrossScheduledIncome', 'Number', NULL, 14, 2),
	('Property', 'HabitableResidenceYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'Heating', 'String List, Multi', 'Heating', 1024, NULL),
	('Property', 'HeatingYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'HighSchool', 'String List, Single', 'HighSchool', 50, NULL),
	('Property', 'HighSchoolDistrict', 'String List, Single', 'HighSchoolDistrict', 50, NULL),
	('Property', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('Property', 'HomeWarrantyYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'HorseAmenities', 'String List, Multi', 'HorseAmenities', 1024, NULL),
	('Property', 'HorseYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'HoursDaysOfOperation', 'String List, Multi', 'HoursDaysOfOperation', 1024, NULL),
	('Property', 'HoursDaysOfOperationDescription', 'String', NULL, 255, NULL),
	('Property', 'Inclusions', 'String', NULL, 1024, NULL),
	('Property', 'IncomeIncludes', 'String List, Multi', 'IncomeIncludes', 1024, NULL),
	('Property', 'InsuranceExpense', 'Number', NULL, 14, 2),
	('Property', 'InteriorFeatures', 'String List, Multi', 'InteriorOrRoomFeatures', 1024, NULL),
	('Property', 'InternetAddressDisplayYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'InternetAutomatedValuationDisplayYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'InternetConsumerCommentYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'InternetEntireListingDisplayYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'IrrigationSource', 'String List, Multi', 'IrrigationSource', 1024, NULL),
	('Property', 'IrrigationWaterRightsAcres', 'Number', NULL, 16, 4),
	('Property', 'IrrigationWaterRightsYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'LaborInformation', 'String List, Multi', 'LaborInformation', 1024, NULL),
	('Property', 'LandLeaseAmount', 'Number', NULL, 14, 2),
	('Property', 'LandLeaseAmountFrequency', 'String List, Single', 'FeeFrequency', 25, NULL),
	('Property', 'LandLeaseExpirationDate', 'Date', NULL, 10, NULL),
	('Property', 'LandLeaseYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'Latitude', 'Number', NULL, 12, 8),
	('Property', 'LaundryFeatures', 'String List, Multi', 'LaundryFeatures', 1024, NULL),
	('Property', 'LeasableArea', 'Number', NULL, 14, 2),
	('Property', 'LeasableAreaUnits', 'String List, Single', 'AreaUnits', 25, NULL),
	('Property', 'LeaseAmount', 'Number', NULL, 14, 2),
	('Property', 'LeaseAmountFrequency', 'String List, Single', 'FeeFrequency', 25, NULL),
	('Property', 'LeaseAssignableYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'LeaseConsideredYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'LeaseExpiration', 'Date', NULL, 10, NULL),
	('Property', 'LeaseRenewalCompensation', 'String List, Multi', 'LeaseRenewalCompensation', 255, NULL),
	('Property', 'LeaseRenewalOptionYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'LeaseTerm', 'String List, Single', 'LeaseTerm', 25, NULL),
	('Property', 'Levels', 'String List, Multi', 'Levels', 1024, NULL),
	('Property', 'License1', 'String', NULL, 25, NULL),
	('Property', 'License2', 'String', NULL, 25, NULL),
	('Property', 'License3', 'String', NULL, 25, NULL),
	('Property', 'LicensesExpense', 'Number', NULL, 14, 2),
	('Property', 'ListAOR', 'String List, Single', 'AOR', 50, NULL),
	('Property', 'ListAgent', 'Resource', NULL, NULL, NULL),
	('Property', 'ListAgentAOR', 'String List, Single', 'AOR', 50, NULL),
	('Property', 'ListAgentDesignation', 'String List, Multi', 'ListAgentDesignation', 50, NULL),
	('Property', 'ListAgentDirectPhone', 'String', NULL, 16, NULL),
	('Property', 'ListAgentEmail', 'String', NULL, 80, NULL),
	('Property', 'ListAgentFax', 'String', NULL, 16, NULL),
	('Property', 'ListAgentFirstName', 'String', NULL, 50, NULL),
	('Property', 'ListAgentFullName', 'String', NULL, 150, NULL),
	('Property', 'ListAgentHomePhone', 'String', NULL, 16, NULL),
	('Property', 'ListAgentKey', 'String', NULL, 255, NULL),
	('Property', 'ListAgentLastName', 'String', NULL, 50, NULL),
	('Property', 'ListAgentMiddleName', 'String', NULL, 50, NULL),
	('Property', 'ListAgentMlsId', 'String', NULL, 25, NULL),
	('Property', 'ListAgentMobilePhone', 'String', NULL, 16, NULL),
	('Property', 'ListAgentNamePrefix', 'String', NULL, 10, NULL),
	('Property', 'ListAgentNameSuffix', 'String', NULL, 10, NULL),
	('Property', 'ListAgentNationalAssociationId', 'String', NULL, 25, NULL),
	('Property', 'ListAgentOfficePhone', 'String', NULL, 16, NULL),
	('Property', 'ListAgentOfficePhoneExt', 'String', NULL, 10, NULL),
	('Property', 'ListAgentPager', 'String', NULL, 16, NULL),
	('Property', 'ListAgentPreferredPhone', 'String', NULL, 16, NULL),
	('Property', 'ListAgentPreferredPhoneExt', 'String', NULL, 10, NULL),
	('Property', 'ListAgentStateLicense', 'String', NULL, 50, NULL),
	('Property', 'ListAgentTollFreePhone', 'String', NULL, 16, NULL),
	('Property', 'ListAgentURL', 'String', NULL, 8000, NULL),
	('Property', 'ListAgentVoiceMail', 'String', NULL, 16, NULL),
	('Property', 'ListAgentVoiceMailExt', 'String', NULL, 10, NULL),
	('Property', 'ListOffice', 'Resource', NULL, NULL, NULL),
	('Property', 'ListOfficeAOR', 'String List, Single', 'AOR', 50, NULL),
	('Property', 'ListOfficeEmail', 'String', NULL, 80, NULL),
	('Property', 'ListOfficeFax', 'String', NULL, 16, NULL),
	('Property', 'ListOfficeKey', 'String', NULL, 255, NULL),
	('Property', 'ListOfficeMlsId', 'String', NULL, 25, NULL),
	('Property', 'ListOfficeName', 'String', NULL, 255, NULL),
	('Property', 'ListOfficeNationalAssociationId', 'String', NULL, 25, NULL),
	('Property', 'ListOfficePhone', 'String', NULL, 16, NULL),
	('Property', 'ListOfficePhoneExt', 'String', NULL, 10, NULL),
	('Property', 'ListOfficeURL', 'String', NULL, 8000, NULL),
	('Property', 'ListPrice', 'Number', NULL, 14, 2),
	('Property', 'ListPriceLow', 'Number', NULL, 14, 2),
	('Property', 'ListTeam', 'Resource', NULL, NULL, NULL),
	('Property', 'ListTeamKey', 'String', NULL, 255, NULL),
	('Property', 'ListTeamName', 'String', NULL, 50, NULL),
	('Property', 'ListingAgreement', 'String List, Single', 'ListingAgreement', 50, NULL),
	('Property', 'ListingContractDate', 'Date', NULL, 10, NULL),
	('Property', 'ListingId', 'String', NULL, 255, NULL),
	('Property', 'ListingKey', 'String', NULL, 255, NULL),
	('Property', 'ListingService', 'String List, Single', 'ListingService', 25, NULL),
	('Property', 'ListingTerms', 'String List, Multi', 'ListingTerms', 1024, NULL),
	('Property', 'ListingURL', 'String', NULL, 8000, NULL),
	('Property', 'ListingURLDescription', 'String List, Single', 'ListingURLDescription', 30, NULL),
	('Property', 'LivingArea', 'Number', NULL, 14, 2),
	('Property', 'LivingAreaSource', 'String List, Single', 'AreaSource', 50, NULL),
	('Property', 'LivingAreaUnits', 'String List, Single', 'AreaUnits', 25, NULL),
	('Property', 'LockBoxLocation', 'String', NULL, 255, NULL),
	('Property', 'LockBoxSerialNumber', 'String', NULL, 25, NULL),
	('Property', 'LockBoxType', 'String List, Multi', 'LockBoxType', 1024, NULL),
	('Property', 'Longitude', 'Number', NULL, 12, 8),
	('Property', 'LotDimensionsSource', 'String List, Single', 'LotDimensionsSource', 50, NULL),
	('Property', 'LotFeatures', 'String List, Multi', 'LotFeatures', 1024, NULL),
	('Property', 'LotSizeAcres', 'Number', NULL, 16, 4),
	('Property', 'LotSizeArea', 'Number', NULL, 16, 4),
	('Property', 'LotSizeDimensions', 'String', NULL, 150, NULL),
	('Property', 'LotSizeSource', 'String List, Single', 'LotSizeSource', 50, NULL),
	('Property', 'LotSizeSquareFeet', 'Number', NULL, 14, 2),
	('Property', 'LotSizeUnits', 'String List, Single', 'LotSizeUnits', 25, NULL),
	('Property', 'MLSAreaMajor', 'String List, Single', 'MLSAreaMajor', 50, NULL),
	('Property', 'MLSAreaMinor', 'String List, Single', 'MLSAreaMinor', 50, NULL),
	('Property', 'MainLevelBathrooms', 'Number', NULL, 3, NULL),
	('Property', 'MainLevelBedrooms', 'Number', NULL, 3, NULL),
	('Property', 'MaintenanceExpense', 'Number', NULL, 14, 2),
	('Property', 'MajorChangeTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'MajorChangeType', 'String List, Single', 'ChangeType', 255, NULL),
	('Property', 'Make', 'String', NULL, 50, NULL),
	('Property', 'ManagerExpense', 'Number', NULL, 14, 2),
	('Property', 'MapCoordinate', 'String', NULL, 25, NULL),
	('Property', 'MapCoordinateSource', 'String', NULL, 25, NULL),
	('Property', 'MapURL', 'String', NULL, 8000, NULL),
	('Property', 'Media', 'Collection', NULL, NULL, NULL),
	('Property', 'MiddleOrJuniorSchool', 'String List, Single', 'MiddleOrJuniorSchool', 50, NULL),
	('Property', 'MiddleOrJuniorSchoolDistrict', 'String List, Single', 'MiddleOrJuniorSchoolDistrict', 50, NULL),
	('Property', 'MlsStatus', 'String List, Single', 'MlsStatus', 50, NULL),
	('Property', 'MobileDimUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('Property', 'MobileHomeRemainsYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'MobileLength', 'Number', NULL, 4, NULL),
	('Property', 'MobileWidth', 'Number', NULL, 4, NULL),
	('Property', 'Model', 'String', NULL, 50, NULL),
	('Property', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'NetOperatingIncome', 'Number', NULL, 14, 2),
	('Property', 'NewConstructionYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'NewTaxesExpense', 'Number', NULL, 14, 2),
	('Property', 'NumberOfBuildings', 'Number', NULL, 3, NULL),
	('Property', 'NumberOfFullTimeEmployees', 'Number', NULL, 10, NULL),
	('Property', 'NumberOfLots', 'Number', NULL, 3, NULL),
	('Property', 'NumberOfPads', 'Number', NULL, 3, NULL),
	('Property', 'NumberOfPartTimeEmployees', 'Number', NULL, 10, NULL),
	('Property', 'NumberOfSeparateElectricMeters', 'Number', NULL, 3, NULL),
	('Property', 'NumberOfSeparateGasMeters', 'Number', NULL, 3, NULL),
	('Property', 'NumberOfSeparateWaterMeters', 'Number', NULL, 3, NULL),
	('Property', 'NumberOfUnitsInCommunity', 'Number', NULL, 5, NULL),
	('Property', 'NumberOfUnitsLeased', 'Number', NULL, 5, NULL),
	('Property', 'NumberOfUnitsMoMo', 'Number', NULL, 5, NULL),
	('Property', 'NumberOfUnitsTotal', 'Number', NULL, 3, NULL),
	('Property', 'NumberOfUnitsVacant', 'Number', NULL, 5, NULL),
	('Property', 'OccupantName', 'String', NULL, 50, NULL),
	('Property', 'OccupantPhone', 'String', NULL, 16, NULL),
	('Property', 'OccupantType', 'String List, Single', 'OccupantType', 50, NULL),
	('Property', 'OffMarketDate', 'Date', NULL, 10, NULL),
	('Property', 'OffMarketTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'OnMarketDate', 'Date', NULL, 10, NULL),
	('Property', 'OnMarketTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'OpenHouse', 'Collection', NULL, NULL, NULL),
	('Property', 'OpenHouseModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'OpenParkingSpaces', 'Number', NULL, 14, 2),
	('Property', 'OpenParkingYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'OperatingExpense', 'Number', NULL, 14, 2),
	('Property', 'OperatingExpenseIncludes', 'String List, Multi', 'OperatingExpenseIncludes', 1024, NULL),
	('Property', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'OriginalListPrice', 'Number', NULL, 14, 2),
	('Property', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('Property', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('Property', 'OriginatingSystemKey', 'String', NULL, 255, NULL),
	('Property', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('Property', 'OtherEquipment', 'String List, Multi', 'OtherEquipment', 1024, NULL),
	('Property', 'OtherExpense', 'Number', NULL, 14, 2),
	('Property', 'OtherParking', 'String', NULL, 1024, NULL),
	('Property', 'OtherStructures', 'String List, Multi', 'OtherStructures', 1024, NULL),
	('Property', 'OwnerName', 'String', NULL, 50, NULL),
	('Property', 'OwnerPays', 'String List, Multi', 'OwnerPays', 1024, NULL),
	('Property', 'OwnerPhone', 'String', NULL, 16, NULL),
	('Property', 'Ownership', 'String', NULL, 1024, NULL),
	('Property', 'OwnershipType', 'String List, Single', 'OwnershipType', 50, NULL),
	('Property', 'ParcelNumber', 'String', NULL, 50, NULL),
	('Property', 'ParkManagerName', 'String', NULL, 50, NULL),
	('Property', 'ParkManagerPhone', 'String', NULL, 16, NULL),
	('Property', 'ParkName', 'String', NULL, 50, NULL),
	('Property', 'ParkingFeatures', 'String List, Multi', 'ParkingFeatures', 1024, NULL),
	('Property', 'ParkingTotal', 'Number', NULL, 14, 2),
	('Property', 'PastureArea', 'Number', NULL, 14, 2),
	('Property', 'PatioAndPorchFeatures', 'String List, Multi', 'PatioAndPorchFeatures', 1024, NULL),
	('Property', 'PendingTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'PestControlExpense', 'Number', NULL, 14, 2),
	('Property', 'PetsAllowed', 'String List, Multi', 'PetsAllowed', 1024, NULL),
	('Property', 'PhotosChangeTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'PhotosCount', 'Number', NULL, 2, NULL),
	('Property', 'PoolExpense', 'Number', NULL, 14, 2),
	('Property', 'PoolFeatures', 'String List, Multi', 'PoolFeatures', 1024, NULL),
	('Property', 'PoolPrivateYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'Possession', 'String List, Multi', 'Possession', 255, NULL),
	('Property', 'PossibleUse', 'String List, Multi', 'CurrentOrPossibleUse', 1024, NULL),
	('Property', 'PostalCity', 'String List, Single', 'PostalCity', 50, NULL),
	('Property', 'PostalCode', 'String', NULL, 10, NULL),
	('Property', 'PostalCodePlus4', 'String', NULL, 4, NULL),
	('Property', 'PowerProduction', 'Collection', NULL, NULL, NULL),
	('Property', 'PowerProductionType', 'String List, Multi', 'PowerProductionType', 1024, NULL),
	('Property', 'PowerProductionYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'PreviousListPrice', 'Number', NULL, 14, 2),
	('Property', 'PriceChangeTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'PrivateOfficeRemarks', 'String', NULL, 4000, NULL),
	('Property', 'PrivateRemarks', 'String', NULL, 4000, NULL),
	('Property', 'ProfessionalManagementExpense', 'Number', NULL, 14, 2),
	('Property', 'PropertyAttachedYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'PropertyCondition', 'String List, Multi', 'PropertyCondition', 1024, NULL),
	('Property', 'PropertySubType', 'String List, Single', 'PropertySubType', 50, NULL),
	('Property', 'PropertyTimeZoneName', 'String List, Single', 'IanaTimeZoneValues', 150, NULL),
	('Property', 'PropertyTimeZoneObservesDstYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'PropertyTimeZoneStandardOffset', 'Number', NULL, 10, NULL),
	('Property', 'PropertyType', 'String List, Single', 'PropertyType', 50, NULL),
	('Property', 'PublicRemarks', 'String', NULL, 4000, NULL),
	('Property', 'PublicSurveyRange', 'String', NULL, 20, NULL),
	('Property', 'PublicSurveySection', 'String', NULL, 20, NULL),
	('Property', 'PublicSurveyTownship', 'String', NULL, 20, NULL),
	('Property', 'PurchaseContractDate', 'Date', NULL, 10, NULL),
	('Property', 'RVParkingDimensions', 'String', NULL, 50, NULL),
	('Property', 'RangeArea', 'Number', NULL, 14, 2),
	('Property', 'RentControlYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'RentIncludes', 'String List, Multi', 'RentIncludes', 1024, NULL),
	('Property', 'RoadFrontageType', 'String List, Multi', 'RoadFrontageType', 1024, NULL),
	('Property', 'RoadResponsibility', 'String List, Multi', 'RoadResponsibility', 1024, NULL),
	('Property', 'RoadSurfaceType', 'String List, Multi', 'RoadSurfaceType', 1024, NULL),
	('Property', 'Roof', 'String List, Multi', 'Roof', 1024, NULL),
	('Property', 'RoomType', 'String List, Multi', 'RoomType', 1024, NULL),
	('Property', 'Rooms', 'Collection', NULL, NULL, NULL),
	('Property', 'RoomsTotal', 'Number', NULL, 3, NULL),
	('Property', 'SeatingCapacity', 'Number', NULL, 10, NULL),
	('Property', 'SecurityFeatures', 'String List, Multi', 'SecurityFeatures', 1024, NULL),
	('Property', 'SeniorCommunityYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'SerialU', 'String', NULL, 25, NULL),
	('Property', 'SerialX', 'String', NULL, 25, NULL),
	('Property', 'SerialXX', 'String', NULL, 25, NULL),
	('Property', 'Sewer', 'String List, Multi', 'Sewer', 1024, NULL),
	('Property', 'ShowingAdvanceNotice', 'Number', NULL, 2, NULL),
	('Property', 'ShowingAttendedYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'ShowingConsiderations', 'String List, Multi', 'ShowingConsiderations', 255, NULL),
	('Property', 'ShowingContactName', 'String', NULL, 40, NULL),
	('Property', 'ShowingContactPhone', 'String', NULL, 16, NULL),
	('Property', 'ShowingContactPhoneExt', 'String', NULL, 10, NULL),
	('Property', 'ShowingContactType', 'String List, Multi', 'ShowingContactType', 75, NULL),
	('Property', 'ShowingDays', 'String List, Multi', 'ShowingDays', 1024, NULL),
	('Property', 'ShowingEndTime', 'Timestamp', NULL, 27, NULL),
	('Property', 'ShowingInstructions', 'String', NULL, 4000, NULL),
	('Property', 'ShowingRequirements', 'String List, Multi', 'ShowingRequirements', 1024, NULL),
	('Property', 'ShowingServiceName', 'String List, Single', 'ShowingServiceName', 50, NULL),
	('Property', 'ShowingStartTime', 'Timestamp', NULL, 27, NULL),
	('Property', 'SignOnPropertyYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'SimpleDaysOnMarket', 'Number', NULL, 4, NULL),
	('Property', 'Skirt', 'String List, Multi', 'Skirt', 1024, NULL),
	('Property', 'SocialMedia', 'Collection', NULL, NULL, NULL),
	('Property', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('Property', 'SourceSystemID', 'String', NULL, 25, NULL),
	('Property', 'SourceSystemKey', 'String', NULL, 255, NULL),
	('Property', 'SourceSystemName', 'String', NULL, 255, NULL),
	('Property', 'SpaFeatures', 'String List, Multi', 'SpaFeatures', 1024, NULL),
	('Property', 'SpaYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'SpecialLicenses', 'String List, Multi', 'SpecialLicenses', 1024, NULL),
	('Property', 'SpecialListingConditions', 'String List, Multi', 'SpecialListingConditions', 1024, NULL),
	('Property', 'StandardStatus', 'String List, Single', 'StandardStatus', 25, NULL),
	('Property', 'StartShowingDate', 'Date', NULL, 10, NULL),
	('Property', 'StateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Property', 'StateRegion', 'String', NULL, 150, NULL),
	('Property', 'StatusChangeTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'Stories', 'Number', NULL, 2, NULL),
	('Property', 'StoriesTotal', 'Number', NULL, 3, NULL),
	('Property', 'StreetAdditionalInfo', 'String', NULL, 50, NULL),
	('Property', 'StreetDirPrefix', 'String List, Single', 'StreetDirection', 15, NULL),
	('Property', 'StreetDirSuffix', 'String List, Single', 'StreetDirection', 15, NULL),
	('Property', 'StreetName', 'String', NULL, 50, NULL),
	('Property', 'StreetNumber', 'String', NULL, 25, NULL),
	('Property', 'StreetNumberNumeric', 'Number', NULL, 10, NULL),
	('Property', 'StreetSuffix', 'String List, Single', 'StreetSuffix', 25, NULL),
	('Property', 'StreetSuffixModifier', 'String', NULL, 25, NULL),
	('Property', 'StructureType', 'String List, Multi', 'StructureType', 25, NULL),
	('Property', 'SubAgencyCompensation', 'String', NULL, 25, NULL),
	('Property', 'SubAgencyCompensationType', 'String List, Single', 'CompensationType', 25, NULL),
	('Property', 'SubdivisionName', 'String', NULL, 50, NULL),
	('Property', 'SuppliesExpense', 'Number', NULL, 14, 2),
	('Property', 'SyndicateTo', 'String List, Multi', 'SyndicateTo', 1024, NULL),
	('Property', 'SyndicationRemarks', 'String', NULL, 4000, NULL),
	('Property', 'TaxAnnualAmount', 'Number', NULL, 14, 2),
	('Property', 'TaxAnnualAmountPerLivingAreaUnit', 'Number', NULL, 14, 2),
	('Property', 'TaxAnnualAmountPerSquareFoot', 'Number', NULL, 14, 2),
	('Property', 'TaxAssessedValue', 'Number', NULL, 14, NULL),
	('Property', 'TaxBlock', 'String', NULL, 25, NULL),
	('Property', 'TaxBookNumber', 'String', NULL, 25, NULL),
	('Property', 'TaxLegalDescription', 'String', NULL, 6000, NULL),
	('Property', 'TaxLot', 'String', NULL, 25, NULL),
	('Property', 'TaxMapNumber', 'String', NULL, 25, NULL),
	('Property', 'TaxOtherAnnualAssessmentAmount', 'Number', NULL, 14, 2),
	('Property', 'TaxParcelLetter', 'String', NULL, 25, NULL),
	('Property', 'TaxStatusCurrent', 'String List, Multi', 'TaxStatusCurrent', 50, NULL),
	('Property', 'TaxTract', 'String', NULL, 25, NULL),
	('Property', 'TaxYear', 'Number', NULL, 4, NULL),
	('Property', 'TenantPays', 'String List, Multi', 'TenantPays', 1024, NULL),
	('Property', 'Topography', 'String', NULL, 255, NULL),
	('Property', 'TotalActualRent', 'Number', NULL, 14, 2),
	('Property', 'Township', 'String', NULL, 50, NULL),
	('Property', 'TransactionBrokerCompensation', 'String', NULL, 25, NULL),
	('Property', 'TransactionBrokerCompensationType', 'String List, Single', 'CompensationType', 25, NULL),
	('Property', 'TrashExpense', 'Number', NULL, 14, 2),
	('Property', 'UnitNumber', 'String', NULL, 25, NULL),
	('Property', 'UnitTypeType', 'String List, Multi', 'UnitTypeType', 1024, NULL),
	('Property', 'UnitTypes', 'Collection', NULL, NULL, NULL),
	('Property', 'UnitsFurnished', 'String List, Single', 'UnitsFurnished', 25, NULL),
	('Property', 'UniversalPropertyId', 'String', NULL, 128, NULL),
	('Property', 'UniversalPropertySubId', 'String', NULL, 128, NULL),
	('Property', 'UnparsedAddress', 'String', NULL, 255, NULL),
	('Property', 'Utilities', 'String List, Multi', 'Utilities', 1024, NULL),
	('Property', 'VacancyAllowance', 'Number', NULL, 9, NULL),
	('Property', 'VacancyAllowanceRate', 'Number', NULL, 5, 2),
	('Property', 'Vegetation', 'String List, Multi', 'Vegetation', 1024, NULL),
	('Property', 'VideosChangeTimestamp', 'Timestamp', NULL, 27, NULL),
	('Property', 'VideosCount', 'Number', NULL, 2, NULL),
	('Property', 'View', 'String List, Multi', 'View', 1024, NULL),
	('Property', 'ViewYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'VirtualTourURLBranded', 'String', NULL, 8000, NULL),
	('Property', 'VirtualTourURLUnbranded', 'String', NULL, 8000, NULL),
	('Property', 'WalkScore', 'Number', NULL, 3, NULL),
	('Property', 'WaterBodyName', 'String', NULL, 50, NULL),
	('Property', 'WaterSewerExpense', 'Number', NULL, 14, 2),
	('Property', 'WaterSource', 'String List, Multi', 'WaterSource', 1024, NULL),
	('Property', 'WaterfrontFeatures', 'String List, Multi', 'WaterfrontFeatures', 1024, NULL),
	('Property', 'WaterfrontYN', 'Boolean', NULL, NULL, NULL),
	('Property', 'WindowFeatures', 'String List, Multi', 'WindowFeatures', 1024, NULL),
	('Property', 'WithdrawnDate', 'Date', NULL, 10, NULL),
	('Property', 'WoodedArea', 'Number', NULL, 14, 2),
	('Property', 'WorkmansCompensationExpense', 'Number', NULL, 14, 2),
	('Property', 'YearBuilt', 'Number', NULL, 4, NULL),
	('Property', 'YearBuiltDetails', 'String', NULL, 1024, NULL),
	('Property', 'YearBuiltEffective', 'Number', NULL, 4, NULL),
	('Property', 'YearBuiltSource', 'String List, Single', 'YearBuiltSource', 60, NULL),
	('Property', 'YearEstablished', 'Number', NULL, 4, NULL),
	('Property', 'YearsCurrentOwner', 'Number', NULL, 4, NULL),
	('Property', 'Zoning', 'String', NULL, 25, NULL),
	('Property', 'ZoningDescription', 'String', NULL, 255, NULL),
	('PropertyGreenVerification', 'GreenBuildingVerificationKey', 'String', NULL, 255, NULL),
	('PropertyGreenVerification', 'GreenBuildingVerificationType', 'String List, Single', 'GreenBuildingVerificationType', 1024, NULL),
	('PropertyGreenVerification', 'GreenVerificationBody', 'String', NULL, 50, NULL),
	('PropertyGreenVerification', 'GreenVerificationMetric', 'Number', NULL, 3, NULL),
	('PropertyGreenVerification', 'GreenVerificationRating', 'String', NULL, 50, NULL),
	('PropertyGreenVerification', 'GreenVerificationSource', 'String List, Single', 'GreenVerificationSource', 25, NULL),
	('PropertyGreenVerification', 'GreenVerificationStatus', 'String List, Single', 'GreenVerificationStatus', 25, NULL),
	('PropertyGreenVerification', 'GreenVerificationURL', 'String', NULL, 8000, NULL),
	('PropertyGreenVerification', 'GreenVerificationVersion', 'String', NULL, 25, NULL),
	('PropertyGreenVerification', 'GreenVerificationYear', 'Number', NULL, 4, NULL),
	('PropertyGreenVerification', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('PropertyGreenVerification', 'Listing', 'Resource', NULL, NULL, NULL),
	('PropertyGreenVerification', 'ListingId', 'String', NULL, 255, NULL),
	('PropertyGreenVerification', 'ListingKey', 'String', NULL, 255, NULL),
	('PropertyGreenVerification', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('PropertyPowerProduction', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('PropertyPowerProduction', 'Listing', 'Resource', NULL, NULL, NULL),
	('PropertyPowerProduction', 'ListingId', 'String', NULL, 255, NULL),
	('PropertyPowerProduction', 'ListingKey', 'String', NULL, 255, NULL),
	('PropertyPowerProduction', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('PropertyPowerProduction', 'PowerProductionAnnual', 'Number', NULL, 6, NULL),
	('PropertyPowerProduction', 'PowerProductionAnnualStatus', 'String List, Single', 'PowerProductionAnnualStatus', 25, NULL),
	('PropertyPowerProduction', 'PowerProductionKey', 'String', NULL, 255, NULL),
	('PropertyPowerProduction', 'PowerProductionOwnership', 'String List, Single', 'PowerProductionOwnership', 25, NULL),
	('PropertyPowerProduction', 'PowerProductionSize', 'Number', NULL, 5, 2),
	('PropertyPowerProduction', 'PowerProductionType', 'String List, Single', 'PowerProductionType', 1024, NULL),
	('PropertyPowerProduction', 'PowerProductionYearInstall', 'Number', NULL, 4, NULL),
	('PropertyPowerStorage', 'DateOfInstallation', 'Date', NULL, 10, NULL),
	('PropertyPowerStorage', 'InformationSource', 'String', NULL, 255, NULL),
	('PropertyPowerStorage', 'ModificationTimestamp', 'Timestamp', NULL, 10, NULL),
	('PropertyPowerStorage', 'NameplateCapacity', 'Number', NULL, 3, 2),
	('PropertyPowerStorage', 'PowerStorageKey', 'String', NULL, 255, NULL),
	('PropertyPowerStorage', 'PowerStorageType', 'String List, Single', 'PowerStorageType', 50, NULL),
	('PropertyRooms', 'BedroomClosetType', 'String List, Single', 'ClosetType', 25, NULL),
	('PropertyRooms', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('PropertyRooms', 'Listing', 'Resource', NULL, NULL, NULL),
	('PropertyRooms', 'ListingId', 'String', NULL, 255, NULL),
	('PropertyRooms', 'ListingKey', 'String', NULL, 255, NULL),
	('PropertyRooms', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('PropertyRooms', 'RoomArea', 'Number', NULL, 14, 2),
	('PropertyRooms', 'RoomAreaSource', 'String List, Single', 'AreaSource', 50, NULL),
	('PropertyRooms', 'RoomAreaUnits', 'String List, Single', 'AreaUnits', 25, NULL),
	('PropertyRooms', 'RoomDescription', 'String', NULL, 1024, NULL),
	('PropertyRooms', 'RoomDimensions', 'String', NULL, 50, NULL),
	('PropertyRooms', 'RoomFeatures', 'String List, Multi', 'InteriorOrRoomFeatures', 1024, NULL),
	('PropertyRooms', 'RoomKey', 'String', NULL, 255, NULL),
	('PropertyRooms', 'RoomLength', 'Number', NULL, 14, 2),
	('PropertyRooms', 'RoomLengthWidthSource', 'String List, Single', 'RoomLengthWidthSource', 50, NULL),
	('PropertyRooms', 'RoomLengthWidthUnits', 'String List, Single', 'LinearUnits', 25, NULL),
	('PropertyRooms', 'RoomLevel', 'String List, Single', 'RoomLevel', 25, NULL),
	('PropertyRooms', 'RoomType', 'String List, Single', 'RoomType', 1024, NULL),
	('PropertyRooms', 'RoomWidth', 'Number', NULL, 14, 2),
	('PropertyUnitTypes', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('PropertyUnitTypes', 'Listing', 'Resource', NULL, NULL, NULL),
	('PropertyUnitTypes', 'ListingId', 'String', NULL, 255, NULL),
	('PropertyUnitTypes', 'ListingKey', 'String', NULL, 255, NULL),
	('PropertyUnitTypes', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('PropertyUnitTypes', 'UnitTypeActualRent', 'Number', NULL, 14, 2),
	('PropertyUnitTypes', 'UnitTypeBathsTotal', 'Number', NULL, 3, NULL),
	('PropertyUnitTypes', 'UnitTypeBedsTotal', 'Number', NULL, 3, NULL),
	('PropertyUnitTypes', 'UnitTypeDescription', 'String', NULL, 1024, NULL),
	('PropertyUnitTypes', 'UnitTypeFurnished', 'String List, Single', 'Furnished', 20, NULL),
	('PropertyUnitTypes', 'UnitTypeGarageAttachedYN', 'Boolean', NULL, NULL, NULL),
	('PropertyUnitTypes', 'UnitTypeGarageSpaces', 'Number', NULL, 14, 2),
	('PropertyUnitTypes', 'UnitTypeKey', 'String', NULL, 255, NULL),
	('PropertyUnitTypes', 'UnitTypeProForma', 'Number', NULL, 6, NULL),
	('PropertyUnitTypes', 'UnitTypeTotalRent', 'Number', NULL, 14, 2),
	('PropertyUnitTypes', 'UnitTypeType', 'String List, Single', 'UnitTypeType', 1024, NULL),
	('PropertyUnitTypes', 'UnitTypeUnitsTotal', 'Number', NULL, 3, NULL),
	('Prospecting', 'ActiveYN', 'Boolean', NULL, NULL, NULL),
	('Prospecting', 'BccEmailList', 'String', NULL, 1024, NULL),
	('Prospecting', 'BccMeYN', 'Boolean', NULL, NULL, NULL),
	('Prospecting', 'CcEmailList', 'String', NULL, 1024, NULL),
	('Prospecting', 'ClientActivatedYN', 'Boolean', NULL, NULL, NULL),
	('Prospecting', 'ConciergeNotificationsYN', 'Boolean', NULL, NULL, NULL),
	('Prospecting', 'ConciergeYN', 'Boolean', NULL, NULL, NULL),
	('Prospecting', 'ContactKey', 'String', NULL, 255, NULL),
	('Prospecting', 'DailySchedule', 'String List, Multi', 'DailySchedule', 1024, NULL),
	('Prospecting', 'DisplayTemplateID', 'String', NULL, 25, NULL),
	('Prospecting', 'Language', 'String List, Single', 'Languages', 25, NULL),
	('Prospecting', 'LastNewChangedTimestamp', 'Timestamp', NULL, 27, NULL),
	('Prospecting', 'LastViewedTimestamp', 'Timestamp', NULL, 27, NULL),
	('Prospecting', 'MessageNew', 'String', NULL, 4000, NULL),
	('Prospecting', 'MessageRevise', 'String', NULL, 4000, NULL),
	('Prospecting', 'MessageUpdate', 'String', NULL, 4000, NULL),
	('Prospecting', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Prospecting', 'NextSendTimestamp', 'Timestamp', NULL, 27, NULL),
	('Prospecting', 'OwnerMemberID', 'String', NULL, 25, NULL),
	('Prospecting', 'OwnerMemberKey', 'String', NULL, 255, NULL),
	('Prospecting', 'ProspectingKey', 'String', NULL, 255, NULL),
	('Prospecting', 'ReasonActiveOrDisabled', 'String List, Single', 'ReasonActiveOrDisabled', 50, NULL),
	('Prospecting', 'SavedSearchKey', 'String', NULL, 255, NULL),
	('Prospecting', 'ScheduleType', 'String List, Single', 'ScheduleType', 25, NULL),
	('Prospecting', 'Subject', 'String', NULL, 255, NULL),
	('Prospecting', 'ToEmailList', 'String', NULL, 1024, NULL),
	('Queue', 'ClassName', 'String List, Single', 'ClassName', 50, NULL),
	('Queue', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Queue', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('Queue', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('Queue', 'OriginatingSystemQueueKey', 'String', NULL, 255, NULL),
	('Queue', 'QueueTransactionKey', 'String', NULL, 255, NULL),
	('Queue', 'QueueTransactionType', 'String List, Single', 'QueueTransactionType', 255, NULL),
	('Queue', 'ResourceName', 'String List, Single', 'ResourceName', 50, NULL),
	('Queue', 'ResourceRecordID', 'String', NULL, 255, NULL),
	('Queue', 'ResourceRecordKey', 'String', NULL, 255, NULL),
	('Queue', 'SourceSystemID', 'String', NULL, 25, NULL),
	('Queue', 'SourceSystemName', 'String', NULL, 255, NULL),
	('Queue', 'SourceSystemQueueKey', 'String', NULL, 255, NULL),
	('Rules', 'ClassName', 'String List, Single', 'ClassName', 50, NULL),
	('Rules', 'FieldKey', 'String', NULL, 255, NULL),
	('Rules', 'FieldName', 'String', NULL, 255, NULL),
	('Rules', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('Rules', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Rules', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('Rules', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('Rules', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('Rules', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('Rules', 'OriginatingSystemRuleKey', 'String', NULL, 255, NULL),
	('Rules', 'ResourceName', 'String List, Single', 'ResourceName', 50, NULL),
	('Rules', 'RuleAction', 'String', NULL, 8000, NULL),
	('Rules', 'RuleDescription', 'String', NULL, 8000, NULL),
	('Rules', 'RuleEnabledYN', 'Boolean', NULL, NULL, NULL),
	('Rules', 'RuleErrorText', 'String', NULL, 8000, NULL),
	('Rules', 'RuleExpression', 'String', NULL, 8000, NULL),
	('Rules', 'RuleFormat', 'String List, Single', 'RuleFormat', 50, NULL),
	('Rules', 'RuleHelpText', 'String', NULL, 8000, NULL),
	('Rules', 'RuleKey', 'String', NULL, 255, NULL),
	('Rules', 'RuleName', 'String', NULL, 255, NULL),
	('Rules', 'RuleOrder', 'Number', NULL, 64, NULL),
	('Rules', 'RuleType', 'String List, Single', 'RuleType', 50, NULL),
	('Rules', 'RuleVersion', 'String', NULL, 255, NULL),
	('Rules', 'RuleWarningText', 'String', NULL, 8000, NULL),
	('Rules', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('Rules', 'SourceSystemHistoryKey', 'String', NULL, 255, NULL),
	('Rules', 'SourceSystemID', 'String', NULL, 25, NULL),
	('Rules', 'SourceSystemName', 'String', NULL, 255, NULL),
	('SavedSearch', 'ClassName', 'String List, Single', 'ClassName', 50, NULL),
	('SavedSearch', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('SavedSearch', 'Member', 'Resource', NULL, NULL, NULL),
	('SavedSearch', 'MemberKey', 'String', NULL, 255, NULL),
	('SavedSearch', 'MemberMlsId', 'String', NULL, 25, NULL),
	('SavedSearch', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('SavedSearch', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('SavedSearch', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('SavedSearch', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('SavedSearch', 'OriginatingSystemKey', 'String', NULL, 255, NULL),
	('SavedSearch', 'OriginatingSystemMemberKey', 'String', NULL, 255, NULL),
	('SavedSearch', 'OriginatingSystemMemberName', 'String', NULL, 255, NULL),
	('SavedSearch', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('SavedSearch', 'ResourceName', 'String List, Single', 'ResourceName', 50, NULL),
	('SavedSearch', 'SavedSearchDescription', 'String', NULL, 4000, NULL),
	('SavedSearch', 'SavedSearchKey', 'String', NULL, 255, NULL),
	('SavedSearch', 'SavedSearchName', 'String', NULL, 255, NULL),
	('SavedSearch', 'SavedSearchType', 'String List, Single', 'SavedSearchType', 50, NULL),
	('SavedSearch', 'SearchQuery', 'String', NULL, 8000, NULL),
	('SavedSearch', 'SearchQueryExceptionDetails', 'String', NULL, 255, NULL),
	('SavedSearch', 'SearchQueryExceptions', 'String List, Single', 'SearchQueryExceptions', 50, NULL),
	('SavedSearch', 'SearchQueryHumanReadable', 'String', NULL, 255, NULL),
	('SavedSearch', 'SearchQueryType', 'String List, Single', 'SearchQueryType', 50, NULL),
	('SavedSearch', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('SavedSearch', 'SourceSystemID', 'String', NULL, 25, NULL),
	('SavedSearch', 'SourceSystemKey', 'String', NULL, 255, NULL),
	('SavedSearch', 'SourceSystemName', 'String', NULL, 255, NULL),
	('Showing', 'AgentOriginatingSystemID', 'String', NULL, 25, NULL),
	('Showing', 'AgentOriginatingSystemName', 'String', NULL, 255, NULL),
	('Showing', 'AgentSourceSystemID', 'String', NULL, 25, NULL),
	('Showing', 'AgentSourceSystemName', 'String', NULL, 255, NULL),
	('Showing', 'ListingId', 'String', NULL, 255, NULL),
	('Showing', 'ListingKey', 'String', NULL, 255, NULL),
	('Showing', 'ListingOriginatingSystemID', 'String', NULL, 25, NULL),
	('Showing', 'ListingOriginatingSystemName', 'String', NULL, 255, NULL),
	('Showing', 'ListingSourceSystemID', 'String', NULL, 25, NULL),
	('Showing', 'ListingSourceSystemName', 'String', NULL, 255, NULL),
	('Showing', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Showing', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('Showing', 'OriginatingSystemAgentKey', 'String', NULL, 255, NULL),
	('Showing', 'OriginatingSystemListingKey', 'String', NULL, 255, NULL),
	('Showing', 'OriginatingSystemShowingKey', 'String', NULL, 255, NULL),
	('Showing', 'ShowingAgentKey', 'String', NULL, 255, NULL),
	('Showing', 'ShowingAgentMlsID', 'String', NULL, 25, NULL),
	('Showing', 'ShowingAllowed', 'Boolean', NULL, NULL, NULL),
	('Showing', 'ShowingEndTimestamp', 'Timestamp', NULL, 27, NULL),
	('Showing', 'ShowingId', 'String', NULL, 255, NULL),
	('Showing', 'ShowingKey', 'String', NULL, 255, NULL),
	('Showing', 'ShowingOriginatingSystemID', 'String', NULL, 25, NULL),
	('Showing', 'ShowingOriginatingSystemName', 'String', NULL, 255, NULL),
	('Showing', 'ShowingRequestedTimestamp', 'Timestamp', NULL, 27, NULL),
	('Showing', 'ShowingSourceSystemID', 'String', NULL, 25, NULL),
	('Showing', 'ShowingSourceSystemName', 'String', NULL, 255, NULL),
	('Showing', 'ShowingStartTimestamp', 'Timestamp', NULL, 27, NULL),
	('Showing', 'ShowingStatus', 'String List, Single', 'ShowingStatus', 50, NULL),
	('Showing', 'ShowingTimeZone', 'String List, Single', 'IanaTimeZoneValues', 150, NULL),
	('Showing', 'ShowingUrl', 'String', NULL, 255, NULL),
	('Showing', 'SourceSystemAgentKey', 'String', NULL, 255, NULL),
	('Showing', 'SourceSystemListingKey', 'String', NULL, 255, NULL),
	('Showing', 'SourceSystemShowingKey', 'String', NULL, 255, NULL),
	('ShowingAppointment', 'ModificationTimestamp', 'Timestamp', NULL, 10, NULL),
	('ShowingAppointment', 'ShowingAgentKey', 'String', NULL, 27, NULL),
	('ShowingAppointment', 'ShowingAgentMlsId', 'String', NULL, 255, NULL),
	('ShowingAppointment', 'ShowingAppointmentDate', 'Date', NULL, 10, NULL),
	('ShowingAppointment', 'ShowingAppointmentEndTime', 'Timestamp', NULL, 27, NULL),
	('ShowingAppointment', 'ShowingAppointmentId', 'String', NULL, 255, NULL),
	('ShowingAppointment', 'ShowingAppointmentKey', 'String', NULL, 255, NULL),
	('ShowingAppointment', 'ShowingAppointmentMethod', 'String List, Multi', 'ShowingAppointmentMethod', 1024, NULL),
	('ShowingAppointment', 'ShowingAppointmentStartTime', 'Timestamp', NULL, 27, NULL),
	('ShowingAppointment', 'ShowingAppointmentStatus', 'String List, Single', 'ShowingAppointmentStatus', 27, NULL),
	('ShowingAppointment', 'ShowingId', 'String', NULL, 25, NULL),
	('ShowingAppointment', 'ShowingKey', 'String', NULL, 255, NULL),
	('ShowingAvailability', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('ShowingAvailability', 'ShowingAvailabilityKey', 'String', NULL, 255, NULL),
	('ShowingAvailability', 'ShowingAvailableEndTime', 'Timestamp', NULL, 27, NULL),
	('ShowingAvailability', 'ShowingAvailableStartTime', 'Timestamp', NULL, 27, NULL),
	('ShowingAvailability', 'ShowingDate', 'Date', NULL, 10, NULL),
	('ShowingAvailability', 'ShowingId', 'String', NULL, 255, NULL),
	('ShowingAvailability', 'ShowingKey', 'String', NULL, 255, NULL),
	('ShowingAvailability', 'ShowingMaximumDuration', 'String', NULL, 50, NULL),
	('ShowingAvailability', 'ShowingMethod', 'String List, Multi', 'ShowingMethod', 1024, NULL),
	('ShowingAvailability', 'ShowingMinimumDuration', 'String', NULL, 50, NULL),
	('ShowingAvailability', 'UniqueOrganizationIdentifier', 'String', NULL, 25, NULL),
	('ShowingAvailability', 'UniversalPropertyId', 'String', NULL, 128, NULL),
	('ShowingRequest', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('ShowingRequest', 'ShowingAgentKey', 'String', NULL, 255, NULL),
	('ShowingRequest', 'ShowingAgentMlsId', 'String', NULL, 25, NULL),
	('ShowingRequest', 'ShowingId', 'String', NULL, 255, NULL),
	('ShowingRequest', 'ShowingKey', 'String', NULL, 255, NULL),
	('ShowingRequest', 'ShowingMethodRequest', 'String List, Multi', 'ShowingMethodRequest', 1024, NULL),
	('ShowingRequest', 'ShowingRequestDate', 'Date', NULL, 10, NULL),
	('ShowingRequest', 'ShowingRequestDuration', 'String', NULL, 50, NULL),
	('ShowingRequest', 'ShowingRequestEndTime', 'Timestamp', NULL, 27, NULL),
	('ShowingRequest', 'ShowingRequestId', 'String', NULL, 255, NULL),
	('ShowingRequest', 'ShowingRequestKey', 'String', NULL, 255, NULL),
	('ShowingRequest', 'ShowingRequestNotes', 'String', NULL, 255, NULL),
	('ShowingRequest', 'ShowingRequestStartTime', 'Timestamp', NULL, 27, NULL),
	('ShowingRequest', 'ShowingRequestType', 'String List, Multi', 'ShowingRequestType', 1024, NULL),
	('ShowingRequest', 'ShowingRequestedDate', 'Date', NULL, 10, NULL),
	('ShowingRequest', 'ShowingRequestedTimestamp', 'Timestamp', NULL, 27, NULL),
	('ShowingRequest', 'ShowingRequestor', 'String List, Multi', 'ShowingRequestor', 1024, NULL),
	('SocialMedia', 'ClassName', 'String List, Single', 'ClassName', 255, NULL),
	('SocialMedia', 'DisplayName', 'String', NULL, NULL, NULL),
	('SocialMedia', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('SocialMedia', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('SocialMedia', 'ResourceName', 'String List, Single', 'ResourceName', 50, NULL),
	('SocialMedia', 'ResourceRecordID', 'String', NULL, 255, NULL),
	('SocialMedia', 'ResourceRecordKey', 'String', NULL, 255, NULL),
	('SocialMedia', 'SocialMediaKey', 'String', NULL, 255, NULL),
	('SocialMedia', 'SocialMediaType', 'String List, Single', 'SocialMediaType', 50, NULL),
	('SocialMedia', 'SocialMediaUrlOrId', 'String', NULL, 8000, NULL),
	('TeamMembers', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('TeamMembers', 'Member', 'Resource', NULL, NULL, NULL),
	('TeamMembers', 'MemberKey', 'String', NULL, 255, NULL),
	('TeamMembers', 'MemberLoginId', 'String', NULL, 25, NULL),
	('TeamMembers', 'MemberMlsId', 'String', NULL, 25, NULL),
	('TeamMembers', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('TeamMembers', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('TeamMembers', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('TeamMembers', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('TeamMembers', 'OriginatingSystemKey', 'String', NULL, 255, NULL),
	('TeamMembers', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('TeamMembers', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('TeamMembers', 'SourceSystemID', 'String', NULL, 25, NULL),
	('TeamMembers', 'SourceSystemKey', 'String', NULL, 255, NULL),
	('TeamMembers', 'SourceSystemName', 'String', NULL, 255, NULL),
	('TeamMembers', 'TeamImpersonationLevel', 'String List, Single', 'TeamImpersonationLevel', 50, NULL),
	('TeamMembers', 'TeamKey', 'String', NULL, 255, NULL),
	('TeamMembers', 'TeamMemberKey', 'String', NULL, 255, NULL),
	('TeamMembers', 'TeamMemberNationalAssociationId', 'String', NULL, 25, NULL),
	('TeamMembers', 'TeamMemberStateLicense', 'String', NULL, 50, NULL),
	('TeamMembers', 'TeamMemberType', 'String List, Single', 'TeamMemberType', 50, NULL),
	('Teams', 'HistoryTransactional', 'Collection', NULL, NULL, NULL),
	('Teams', 'Media', 'Collection', NULL, NULL, NULL),
	('Teams', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('Teams', 'OriginalEntryTimestamp', 'Timestamp', NULL, 27, NULL),
	('Teams', 'OriginatingSystem', 'Resource', NULL, NULL, NULL),
	('Teams', 'OriginatingSystemID', 'String', NULL, 25, NULL),
	('Teams', 'OriginatingSystemKey', 'String', NULL, 255, NULL),
	('Teams', 'OriginatingSystemName', 'String', NULL, 255, NULL),
	('Teams', 'SocialMediaType', 'String List, Single', 'SocialMediaType', 25, NULL),
	('Teams', 'SourceSystem', 'Resource', NULL, NULL, NULL),
	('Teams', 'SourceSystemID', 'String', NULL, 25, NULL),
	('Teams', 'SourceSystemKey', 'String', NULL, 255, NULL),
	('Teams', 'SourceSystemName', 'String', NULL, 255, NULL),
	('Teams', 'TeamAddress1', 'String', NULL, 50, NULL),
	('Teams', 'TeamAddress2', 'String', NULL, 50, NULL),
	('Teams', 'TeamCarrierRoute', 'String', NULL, 9, NULL),
	('Teams', 'TeamCity', 'String', NULL, 50, NULL),
	('Teams', 'TeamCountry', 'String List, Single', 'Country', 2, NULL),
	('Teams', 'TeamCountyOrParish', 'String List, Single', 'CountyOrParish', 50, NULL),
	('Teams', 'TeamDescription', 'String', NULL, 1024, NULL),
	('Teams', 'TeamDirectPhone', 'String', NULL, 16, NULL),
	('Teams', 'TeamEmail', 'String', NULL, 80, NULL),
	('Teams', 'TeamFax', 'String', NULL, 16, NULL),
	('Teams', 'TeamKey', 'String', NULL, 255, NULL),
	('Teams', 'TeamLead', 'Resource', NULL, NULL, NULL),
	('Teams', 'TeamLeadKey', 'String', NULL, 255, NULL),
	('Teams', 'TeamLeadLoginId', 'String', NULL, 25, NULL),
	('Teams', 'TeamLeadMlsId', 'String', NULL, 25, NULL),
	('Teams', 'TeamLeadNationalAssociationId', 'String', NULL, 25, NULL),
	('Teams', 'TeamLeadStateLicense', 'String', NULL, 50, NULL),
	('Teams', 'TeamLeadStateLicenseState', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Teams', 'TeamMobilePhone', 'String', NULL, 16, NULL),
	('Teams', 'TeamName', 'String', NULL, 50, NULL),
	('Teams', 'TeamOfficePhone', 'String', NULL, 16, NULL),
	('Teams', 'TeamOfficePhoneExt', 'String', NULL, 10, NULL),
	('Teams', 'TeamPostalCode', 'String', NULL, 10, NULL),
	('Teams', 'TeamPostalCodePlus4', 'String', NULL, 4, NULL),
	('Teams', 'TeamPreferredPhone', 'String', NULL, 16, NULL),
	('Teams', 'TeamPreferredPhoneExt', 'String', NULL, 10, NULL),
	('Teams', 'TeamStateOrProvince', 'String List, Single', 'StateOrProvince', 2, NULL),
	('Teams', 'TeamStatus', 'String List, Single', 'TeamStatus', 25, NULL),
	('Teams', 'TeamTollFreePhone', 'String', NULL, 16, NULL),
	('Teams', 'TeamVoiceMail', 'String', NULL, 16, NULL),
	('Teams', 'TeamVoiceMailExt', 'String', NULL, 10, NULL),
	('Teams', 'TeamsSocialMedia', 'Collection', NULL, NULL, NULL),
	('TransactionManagement', 'ModificationTimestamp', 'Timestamp', NULL, 27, NULL),
	('TransactionManagement', 'TransactionId', 'String', NULL, 255, NULL),
	('TransactionManagement', 'TransactionKey', 'String', NULL, 255, NULL),
	('TransactionManagement', 'TransactionType', 'String List, Single', 'TransactionType', 50, NULL);

INSERT INTO mls_dd_lookups (lookup_name, standard_value, legacy_value) VALUES
	('AccessibilityFeatures', 'Accessible Approach with Ramp', 'AccessibleApproachWithRamp'),
	('AccessibilityFeatures', 'Accessible Bedroom', 'AccessibleBedroom'),
	('AccessibilityFeatures', 'Accessible Central Living Area', 'AccessibleCentralLivingArea'),
	('AccessibilityFeatures', 'Accessible Closets', 'AccessibleClosets'),
	('AccessibilityFeatures', 'Accessible Common Area', 'AccessibleCommonArea'),
	('AccessibilityFeatures', 'Accessible Doors', 'AccessibleDoors'),
	('AccessibilityFeatures', 'Accessible Electrical and Environmental Controls', 'AccessibleElectricalAndEnvironmentalControls'),
	('AccessibilityFeatures', 'Accessible Elevator Installed', 'AccessibleElevatorInstalled'),
	('AccessibilityFeatures', 'Accessible Entrance', 'AccessibleEntrance'),
	('AccessibilityFeatures', 'Accessible Full Bath', 'AccessibleFullBath'),
	('AccessibilityFeatures', 'Accessible Hallway(s)', 'AccessibleHallways'),
	('AccessibilityFeatures', 'Accessible Kitchen', 'AccessibleKitchen'),
	('AccessibilityFeatures', 'Accessible Kitchen Appliances', 'AccessibleKitchenAppliances'),
	('AccessibilityFeatures', 'Accessible Stairway', 'AccessibleStairway'),
	('AccessibilityFeatures', 'Accessible Washer/Dryer', 'AccessibleWasherDryer'),
	('AccessibilityFeatures', 'Accessible for Hearing-Impairment', 'AccessibleForHearingImpairment'),
	('AccessibilityFeatures', 'Adaptable Bathroom Walls', 'AdaptableBathroomWalls'),
	('AccessibilityFeatures', 'Adaptable For Elevator', 'AdaptableForElevator'),
	('AccessibilityFeatures', 'Ceiling Track', 'CeilingTrack'),
	('AccessibilityFeatures', 'Central Living Area', 'CentralLivingArea'),
	('AccessibilityFeatures', 'Common Area', 'CommonArea'),
	('AccessibilityFeatures', 'Customized Wheelchair Accessible', 'CustomizedWheelchairAccessible'),
	('AccessibilityFeatures', 'Electronic Environmental Controls', 'ElectronicEnvironmentalControls'),
	('AccessibilityFeatures', 'Enhanced Accessible', 'EnhancedAccessible'),
	('AccessibilityFeatures', 'Exterior Wheelchair Lift', 'ExteriorWheelchairLift'),
	('AccessibilityFeatures', 'Grip-Accessible Features', 'GripAccessibleFeatures'),
	('AccessibilityFeatures', 'Reinforced Floors', 'ReinforcedFloors'),
	('AccessibilityFeatures', 'Safe Emergency Egress from Home', 'SafeEmergencyEgressFromHome'),
	('AccessibilityFeatures', 'Smart Technology', 'SmartTechnology'),
	('AccessibilityFeatures', 'Stair Lift', 'StairLift'),
	('AccessibilityFeatures', 'Standby Generator', 'StandbyGenerator'),
	('AccessibilityFeatures', 'Therapeutic Whirlpool', 'TherapeuticWhirlpool'),
	('AccessibilityFeatures', 'Visitable', 'Visitable'),
	('AccessibilityFeatures', 'Visitor Bathroom', 'VisitorBathroom'),
	('AccessibilityFeatures', 'Walker-Accessible Stairs', 'WalkerAccessibleStairs'),
	('ActorType', 'Agent', 'Agent'),
	('ActorType', 'Bot', 'Bot'),
	('ActorType', 'Client', 'Client'),
	('ActorType', 'Consumer', 'Consumer'),
	('ActorType', 'Unknown', 'Unknown'),
	('Appliances', 'Bar Fridge', 'BarFridge'),
	('Appliances', 'Built-In Electric Oven', 'BuiltInElectricOven'),
	('Appliances', 'Built-In Electric Range', 'BuiltInElectricRange'),
	('Appliances', 'Built-In Freezer', 'BuiltInFreezer'),
	('Appliances', 'Built-In Gas Oven', 'BuiltInGasOven'),
	('Appliances', 'Built-In Gas Range', 'BuiltInGasRange'),
	('Appliances', 'Built-In Range', 'BuiltInRange'),
	('Appliances', 'Built-In Refrigerator', 'BuiltInRefrigerator'),
	('Appliances', 'Convection Oven', 'ConvectionOven'),
	('Appliances', 'Cooktop', 'Cooktop'),
	('Appliances', 'Dishwasher', 'Dishwasher'),
	('Appliances', 'Disposal', 'Disposal'),
	('Appliances', 'Double Oven', 'DoubleOven'),
	('Appliances', 'Down Draft', 'DownDraft'),
	('Appliances', 'Dryer', 'Dryer'),
	('Appliances', 'ENERGY STAR Qualified Appliances', 'EnergyStarQualifiedAppliances'),
	('Appliances', 'ENERGY STAR Qualified Dishwasher', 'EnergyStarQualifiedDishwasher'),
	('Appliances', 'ENERGY STAR Qualified Dryer', 'EnergyStarQualifiedDryer'),
	('Appliances', 'ENERGY STAR Qualified Freezer', 'EnergyStarQualifiedFreezer'),
	('Appliances', 'ENERGY STAR Qualified Refrigerator', 'EnergyStarQualifiedRefrigerator'),
	('Appliances', 'ENERGY STAR Qualified Washer', 'EnergyStarQualifiedWasher'),
	('Appliances', 'ENERGY STAR Qualified Water Heater', 'EnergyStarQualifiedWaterHeater'),
	('Appliances', 'Electric Cooktop', 'ElectricCooktop'),
	('Appliances', 'Electric Oven', 'ElectricOven'),
	('Appliances', 'Electric Range', 'ElectricRange'),
	('Appliances', 'Electric Water Heater', 'ElectricWaterHeater'),
	('Appliances', 'Exhaust Fan', 'ExhaustFan'),
	('Appliances', 'Free-Standing Electric Oven', 'FreeStandingElectricOven'),
	('Appliances', 'Free-Standing Electric Range', 'FreeStandingElectricRange'),
	('Appliances', 'Free-Standing Freezer', 'FreeStandingFreezer'),
	('Appliances', 'Free-Standing Gas Oven', 'FreeStandingGasOven'),
	('Appliances', 'Free-Standing Gas Range', 'FreeStandingGasRange'),
	('Appliances', 'Free-Standing Range', 'FreeStandingRange'),
	('Appliances', 'Free-Standing Refrigerator', 'FreeStandingRefrigerator'),
	('Appliances', 'Freezer', 'Freezer'),
	('Appliances', 'Gas Cooktop', 'GasCooktop'),
	('Appliances', 'Gas Oven', 'GasOven'),
	('Appliances', 'Gas Range', 'GasRange'),
	('Appliances', 'Gas Water Heater', 'GasWaterHeater'),
	('Appliances', 'Heat Pump Water Heater', 'HeatPumpWaterHeater'),
	('Appliances', 'Humidifier', 'Humidifier'),
	('Appliances', 'Ice Maker', 'IceMaker'),
	('Appliances', 'Indoor Grill', 'IndoorGrill'),
	('Appliances', 'Induction Cooktop', 'InductionCooktop'),
	('Appliances', 'Instant Hot Water', 'InstantHotWater'),
	('Appliances', 'Microwave', 'Microwave'),
	('Appliances', 'None', 'None'),
	('Appliances', 'Other', 'Other'),
	('Appliances', 'Oven', 'Oven'),
	('Appliances', 'Plumbed For Ice Maker', 'PlumbedForIceMaker'),
	('Appliances', 'Portable Dishwasher', 'PortableDishwasher'),
	('Appliances', 'Propane Cooktop', 'PropaneCooktop'),
	('Appliances', 'Range', 'Range'),
	('Appliances', 'Range Hood', 'RangeHood'),
	('Appliances', 'Refrigerator', 'Refrigerator'),
	('Appliances', 'Self Cleaning Oven', 'SelfCleaningOven'),
	('Appliances', 'Smart Appliance(s)', 'SmartAppliances'),
	('Appliances', 'Solar Hot Water', 'SolarHotWater'),
	('Appliances', 'Stainless Steel Appliance(s)', 'StainlessSteelAppliances'),
	('Appliances', 'Tankless Water Heater', 'TanklessWaterHeater'),
	('Appliances', 'Trash Compactor', 'TrashCompactor'),
	('Appliances', 'Vented Exhaust Fan', 'VentedExhaustFan'),
	('Appliances', 'Warming Drawer', 'WarmingDrawer'),
	('Appliances', 'Washer', 'Washer'),
	('Appliances', 'Washer/Dryer', 'WasherDryer'),
	('Appliances', 'Washer/Dryer Stacked', 'WasherDryerStacked'),
	('Appliances', 'Water Heater', 'WaterHeater'),
	('Appliances', 'Water Purifier', 'WaterPurifier'),
	('Appliances', 'Water Purifier Owned', 'WaterPurifierOwned'),
	('Appliances', 'Water Purifier Rented', 'WaterPurifierRented'),
	('Appliances', 'Water Softener', 'WaterSoftener'),
	('Appliances', 'Water Softener Owned', 'WaterSoftenerOwned'),
	('Appliances', 'Water Softener Rented', 'WaterSoftenerRented'),
	('Appliances', 'Wine Cooler', 'WineCooler'),
	('Appliances', 'Wine Refrigerator', 'WineRefrigerator'),
	('ArchitecturalStyle', 'A-Frame', 'AFrame'),
	('ArchitecturalStyle', 'Art Deco', 'ArtDeco'),
	('ArchitecturalStyle', 'Barndominium', 'Barndominium'),
	('ArchitecturalStyle', 'Berm', 'Berm'),
	('ArchitecturalStyle', 'Bungalow', 'Bungalow'),
	('ArchitecturalStyle', 'Cabin', 'Cabin'),
	('ArchitecturalStyle', 'Cape Cod', 'CapeCod'),
	('ArchitecturalStyle', 'Colonial', 'Colonial'),
	('ArchitecturalStyle', 'Contemporary', 'Contemporary'),
	('ArchitecturalStyle', 'Craftsman', 'Craftsman'),
	('ArchitecturalStyle', 'Creole', 'Creole'),
	('ArchitecturalStyle', 'Dome', 'Dome'),
	('ArchitecturalStyle', 'Dutch Colonial', 'DutchColonial'),
	('ArchitecturalStyle', 'Farmhouse', 'Farmhouse'),
	('ArchitecturalStyle', 'Federal', 'Federal'),
	('ArchitecturalStyle', 'French Provincial', 'FrenchProvincial'),
	('ArchitecturalStyle', 'Georgian', 'Georgian'),
	('ArchitecturalStyle', 'Gothic Revival', 'GothicRevival'),
	('ArchitecturalStyle', 'Greek Revival', 'GreekRevival'),
	('ArchitecturalStyle', 'Italianate', 'Italianate'),
	('ArchitecturalStyle', 'Mediterranean', 'Mediterranean'),
	('ArchitecturalStyle', 'Mid-Century Modern', 'MidCenturyModern'),
	('ArchitecturalStyle', 'Modern', 'Modern'),
	('ArchitecturalStyle', 'Monterey', 'Monterey'),
	('ArchitecturalStyle', 'National', 'National'),
	('ArchitecturalStyle', 'Neoclassical', 'Neoclassical'),
	('ArchitecturalStyle', 'Other', 'Other'),
	('ArchitecturalStyle', 'Prairie', 'Prairie'),
	('ArchitecturalStyle', 'Pueblo', 'Pueblo'),
	('ArchitecturalStyle', 'Queen Anne', 'QueenAnne'),
	('ArchitecturalStyle', 'Raised Ranch', 'RaisedRanch'),
	('ArchitecturalStyle', 'Ranch', 'Ranch'),
	('ArchitecturalStyle', 'Regency', 'Regency'),
	('ArchitecturalStyle', 'Rustic', 'Rustic'),
	('ArchitecturalStyle', 'Saltbox', 'Saltbox'),
	('ArchitecturalStyle', 'See Remarks', 'SeeRemarks'),
	('ArchitecturalStyle', 'Shingle', 'Shingle'),
	('ArchitecturalStyle', 'Shotgun', 'Shotgun'),
	('ArchitecturalStyle', 'Spanish', 'Spanish'),
	('ArchitecturalStyle', 'Split Level', 'SplitLevel'),
	('ArchitecturalStyle', 'Stick', 'Stick'),
	('ArchitecturalStyle', 'Traditional', 'Traditional'),
	('ArchitecturalStyle', 'Tudor', 'Tudor'),
	('ArchitecturalStyle', 'Victorian', 'Victorian'),
	('AreaSource', 'Appraiser', 'Appraiser'),
	('AreaSource', 'Assessor', 'Assessor'),
	('AreaSource', 'Builder', 'Builder'),
	('AreaSource', 'Estimated', 'Estimated'),
	('AreaSource', 'Other', 'Other'),
	('AreaSource', 'Owner', 'Owner'),
	('AreaSource', 'Plans', 'Plans'),
	('AreaSource', 'Public Records', 'PublicRecords'),
	('AreaSource', 'See Remarks', 'SeeRemarks'),
	('AreaUnits', 'Square Feet', 'SquareFeet'),
	('AreaUnits', 'Square Meters', 'SquareMeters'),
	('AssociationAmenities', 'Airport/Runway', 'AirportRunway'),
	('AssociationAmenities', 'Barbecue', 'Barbecue'),
	('AssociationAmenities', 'Basketball Court', 'BasketballCourt'),
	('AssociationAmenities', 'Beach Access', 'BeachAccess'),
	('AssociationAmenities', 'Beach Rights', 'BeachRights'),
	('AssociationAmenities', 'Billiard Room', 'BilliardRoom'),
	('AssociationAmenities', 'Boat Dock', 'BoatDock'),
	('AssociationAmenities', 'Boat Slip', 'BoatSlip'),
	('AssociationAmenities', 'Boating', 'Boating'),
	('AssociationAmenities', 'Cabana', 'Cabana'),
	('AssociationAmenities', 'Cable TV', 'CableTv'),
	('AssociationAmenities', 'Car Wash Area', 'CarWashArea'),
	('AssociationAmenities', 'Clubhouse', 'Clubhouse'),
	('AssociationAmenities', 'Coin Laundry', 'CoinLaundry'),
	('AssociationAmenities', 'Concierge', 'Concierge'),
	('AssociationAmenities', 'Day Care', 'DayCare'),
	('AssociationAmenities', 'Dog Park', 'DogPark'),
	('AssociationAmenities', 'Dry Dock', 'DryDock'),
	('AssociationAmenities', 'Electricity', 'Electricity'),
	('AssociationAmenities', 'Elevator(s)', 'Elevators'),
	('AssociationAmenities', 'Exercise Course', 'ExerciseCourse'),
	('AssociationAmenities', 'Fitness Center', 'FitnessCenter'),
	('AssociationAmenities', 'Game Court Exterior', 'GameCourtExterior'),
	('AssociationAmenities', 'Game Court Interior', 'GameCourtInterior'),
	('AssociationAmenities', 'Game Room', 'GameRoom'),
	('AssociationAmenities', 'Gas', 'Gas'),
	('AssociationAmenities', 'Gated', 'Gated'),
	('AssociationAmenities', 'Golf Course', 'GolfCourse'),
	('AssociationAmenities', 'Hot Water', 'HotWater'),
	('AssociationAmenities', 'Indoor Pool', 'IndoorPool'),
	('AssociationAmenities', 'Insurance', 'Insurance'),
	('AssociationAmenities', 'Jogging Path', 'JoggingPath'),
	('AssociationAmenities', 'Landscaping', 'Landscaping'),
	('AssociationAmenities', 'Laundry', 'Laundry'),
	('AssociationAmenities', 'Maid service', 'MaidService'),
	('AssociationAmenities', 'Maintenance', 'Maintenance'),
	('AssociationAmenities', 'Maintenance Grounds', 'MaintenanceGrounds'),
	('AssociationAmenities', 'Maintenance Structure', 'MaintenanceStructure'),
	('AssociationAmenities', 'Management', 'Management'),
	('AssociationAmenities', 'Marina', 'Marina'),
	('AssociationAmenities', 'Meeting Room', 'MeetingRoom'),
	('AssociationAmenities', 'None', 'None'),
	('AssociationAmenities', 'Other', 'Other'),
	('AssociationAmenities', 'Park', 'Park'),
	('AssociationAmenities', 'Parking', 'Parking'),
	('AssociationAmenities', 'Party Room', 'PartyRoom'),
	('AssociationAmenities', 'Picnic Area', 'PicnicArea'),
	('AssociationAmenities', 'Playground', 'Playground'),
	('AssociationAmenities', 'Pond Seasonal', 'PondSeasonal'),
	('AssociationAmenities', 'Pond Year Round', 'PondYearRound'),
	('AssociationAmenities', 'Pool', 'Pool'),
	('AssociationAmenities', 'Powered Boats Allowed', 'PoweredBoatsAllowed'),
	('AssociationAmenities', 'RV Parking', 'RvParking'),
	('AssociationAmenities', 'RV/Boat Storage', 'RvBoatStorage'),
	('AssociationAmenities', 'Racquetball', 'Racquetball'),
	('AssociationAmenities', 'Recreation Facilities', 'RecreationFacilities'),
	('AssociationAmenities', 'Recreation Room', 'RecreationRoom'),
	('AssociationAmenities', 'Roof Deck', 'RoofDeck'),
	('AssociationAmenities', 'Sauna', 'Sauna'),
	('AssociationAmenities', 'Security', 'Security'),
	('AssociationAmenities', 'Service Elevator(s)', 'ServiceElevators'),
	('AssociationAmenities', 'Shuffleboard Court', 'ShuffleboardCourt'),
	('AssociationAmenities', 'Ski Accessible', 'SkiAccessible'),
	('AssociationAmenities', 'Snow Removal', 'SnowRemoval'),
	('AssociationAmenities', 'Spa/Hot Tub', 'SpaHotTub'),
	('AssociationAmenities', 'Sport Court', 'SportCourt'),
	('AssociationAmenities', 'Stable(s)', 'Stables'),
	('AssociationAmenities', 'Storage', 'Storage'),
	('AssociationAmenities', 'Stream Seasonal', 'StreamSeasonal'),
	('AssociationAmenities', 'Stream Year Round', 'StreamYearRound'),
	('AssociationAmenities', 'Taxes', 'Taxes'),
	('AssociationAmenities', 'Tennis Court(s)', 'TennisCourts'),
	('AssociationAmenities', 'Trail(s)', 'Trails'),
	('AssociationAmenities', 'Trash', 'Trash'),
	('AssociationAmenities', 'Water', 'Water'),
	('AssociationAmenities', 'Workshop Area', 'WorkshopArea'),
	('AssociationFeeIncludes', 'Cable TV', 'CableTv'),
	('AssociationFeeIncludes', 'Earthquake Insurance', 'EarthquakeInsurance'),
	('AssociationFeeIncludes', 'Electricity', 'Electricity'),
	('AssociationFeeIncludes', 'Gas', 'Gas'),
	('AssociationFeeIncludes', 'Insurance', 'Insurance'),
	('AssociationFeeIncludes', 'Internet', 'Internet'),
	('AssociationFeeIncludes', 'Maintenance Grounds', 'MaintenanceGrounds'),
	('AssociationFeeIncludes', 'Maintenance Structure', 'MaintenanceStructure'),
	('AssociationFeeIncludes', 'Pest Control', 'PestControl'),
	('AssociationFeeIncludes', 'Security', 'Security'),
	('AssociationFeeIncludes', 'Sewer', 'Sewer'),
	('AssociationFeeIncludes', 'Snow Removal', 'SnowRemoval'),
	('AssociationFeeIncludes', 'Trash', 'Trash'),
	('AssociationFeeIncludes', 'Utilities', 'Utilities'),
	('AssociationFeeIncludes', 'Water', 'Water'),
	('AssociationStatus', 'Active', 'Active'),
	('AssociationStatus', 'Inactive', 'Inactive'),
	('AssociationType', 'Local', 'Local'),
	('AssociationType', 'MLS', 'Mls'),
	('AssociationType', 'Not Applicable', 'NotApplicable'),
	('Attended', 'Agent', 'Agent'),
	('Attended', 'Seller', 'Seller'),
	('Attended', 'Unattended', 'Unattended'),
	('Basement', 'Apartment', 'Apartment'),
	('Basement', 'Bath/Stubbed', 'BathStubbed'),
	('Basement', 'Block', 'Block'),
	('Basement', 'Concrete', 'Concrete'),
	('Basement', 'Crawl Space', 'CrawlSpace'),
	('Basement', 'Daylight', 'Daylight'),
	('Basement', 'Dirt Floor', 'DirtFloor'),
	('Basement', 'Exterior Entry', 'ExteriorEntry'),
	('Basement', 'Finished', 'Finished'),
	('Basement', 'French Drain', 'FrenchDrain'),
	('Basement', 'Full', 'Full'),
	('Basement', 'Full Exposure', 'FullExposure'),
	('Basement', 'Interior Entry', 'InteriorEntry'),
	('Basement', 'No Exposure', 'NoExposure'),
	('Basement', 'None', 'None'),
	('Basement', 'Other', 'Other'),
	('Basement', 'Partial', 'Partial'),
	('Basement', 'Partial Exposure', 'PartialExposure'),
	('Basement', 'Partially Finished', 'PartiallyFinished'),
	('Basement', 'Storage Space', 'StorageSpace'),
	('Basement', 'Sump Pump', 'SumpPump'),
	('Basement', 'Unfinished', 'Unfinished'),
	('Basement', 'Walk-Out Access', 'WalkOutAccess'),
	('Basement', 'Walk-Up Access', 'WalkUpAccess'),
	('BillingPreference', 'Email', 'Email'),
	('BillingPreference', 'Fax', 'Fax'),
	('BillingPreference', 'Mail', 'Mail'),
	('BodyType', 'Double Wide', 'DoubleWide'),
	('BodyType', 'Expando', 'Expando'),
	('BodyType', 'Other', 'Other'),
	('BodyType', 'Quad Wide', 'QuadWide'),
	('BodyType', 'See Remarks', 'SeeRemarks'),
	('BodyType', 'Single Wide', 'SingleWide'),
	('BodyType', 'Triple Wide', 'TripleWide'),
	('BusinessType', 'Accounting', 'Accounting'),
	('BusinessType', 'Administrative and Support', 'AdministrativeAndSupport'),
	('BusinessType', 'Advertising', 'Advertising'),
	('BusinessType', 'Agriculture', 'Agriculture'),
	('BusinessType', 'Animal Grooming', 'AnimalGrooming'),
	('BusinessType', 'Appliances', 'Appliances'),
	('BusinessType', 'Aquarium Supplies', 'AquariumSupplies'),
	('BusinessType', 'Arts and Entertainment', 'ArtsAndEntertainment'),
	('BusinessType', 'Athletic', 'Athletic'),
	('BusinessType', 'Auto Body', 'AutoBody'),
	('BusinessType', 'Auto Dealer', 'AutoDealer'),
	('BusinessType', 'Auto Glass', 'AutoGlass'),
	('BusinessType', 'Auto Parts', 'AutoParts'),
	('BusinessType', 'Auto Rent/Lease', 'AutoRentLease'),
	('BusinessType', 'Auto Repair-Specialty', 'AutoRepairSpecialty'),
	('BusinessType', 'Auto Service', 'AutoService'),
	('BusinessType', 'Auto Stereo/Alarm', 'AutoStereoAlarm'),
	('BusinessType', 'Auto Tires', 'AutoTires'),
	('BusinessType', 'Auto Wrecking', 'AutoWrecking'),
	('BusinessType', 'Bakery', 'Bakery'),
	('BusinessType', 'Bar/Tavern/Lounge', 'BarTavernLounge'),
	('BusinessType', 'Barber/Beauty', 'BarberBeauty'),
	('BusinessType', 'Bed & Breakfast', 'BedAndBreakfast'),
	('BusinessType', 'Books/Cards/Stationary', 'BooksCardsStationary'),
	('BusinessType', 'Butcher', 'Butcher'),
	('BusinessType', 'Cabinets', 'Cabinets'),
	('BusinessType', 'Candy/Cookie', 'CandyCookie'),
	('BusinessType', 'Car Wash', 'CarWash'),
	('BusinessType', 'Carpet/Tile', 'CarpetTile'),
	('BusinessType', 'Child Care', 'ChildCare'),
	('BusinessType', 'Church', 'Church'),
	('BusinessType', 'Clothing', 'Clothing'),
	('BusinessType', 'Commercial', 'Commercial'),
	('BusinessType', 'Computer', 'Computer'),
	('BusinessType', 'Construction/Contractor', 'ConstructionContractor'),
	('BusinessType', 'Convalescent', 'Convalescent'),
	('BusinessType', 'Convenience Store', 'ConvenienceStore'),
	('BusinessType', 'Dance Studio', 'DanceStudio'),
	('BusinessType', 'Decorator', 'Decorator'),
	('BusinessType', 'Deli/Catering', 'DeliCatering'),
	('BusinessType', 'Dental', 'Dental'),
	('BusinessType', 'Distribution', 'Distribution'),
	('BusinessType', 'Doughnut', 'Doughnut'),
	('BusinessType', 'Drugstore', 'Drugstore'),
	('BusinessType', 'Dry Cleaner', 'DryCleaner'),
	('BusinessType', 'Education/School', 'EducationSchool'),
	('BusinessType', 'Electronics', 'Electronics'),
	('BusinessType', 'Employment', 'Employment'),
	('BusinessType', 'Farm', 'Farm'),
	('BusinessType', 'Fast Food', 'FastFood'),
	('BusinessType', 'Financial', 'Financial'),
	('BusinessType', 'Fitness', 'Fitness'),
	('BusinessType', 'Florist/Nursery', 'FloristNursery'),
	('BusinessType', 'Food & Beverage', 'FoodAndBeverage'),
	('BusinessType', 'Forest Reserve', 'ForestReserve'),
	('BusinessType', 'Franchise', 'Franchise'),
	('BusinessType', 'Furniture', 'Furniture'),
	('BusinessType', 'Gas Station', 'GasStation'),
	('BusinessType', 'Gift Shop', 'GiftShop'),
	('BusinessType', 'Grocery', 'Grocery'),
	('BusinessType', 'Hardware', 'Hardware'),
	('BusinessType', 'Health Food', 'HealthFood'),
	('BusinessType', 'Health Services', 'HealthServices'),
	('BusinessType', 'Hobby', 'Hobby'),
	('BusinessType', 'Home Cleaner', 'HomeCleaner'),
	('BusinessType', 'Hospitality', 'Hospitality'),
	('BusinessType', 'Hotel/Motel', 'HotelMotel'),
	('BusinessType', 'Ice Cream/Frozen Yogurt', 'IceCreamFrozenYogurt'),
	('BusinessType', 'Industrial', 'Industrial'),
	('BusinessType', 'Jewelry', 'Jewelry'),
	('BusinessType', 'Landscaping', 'Landscaping'),
	('BusinessType', 'Laundromat', 'Laundromat'),
	('BusinessType', 'Liquor Store', 'LiquorStore'),
	('BusinessType', 'Locksmith', 'Locksmith'),
	('BusinessType', 'Manufacturing', 'Manufacturing'),
	('BusinessType', 'Medical', 'Medical'),
	('BusinessType', 'Mixed', 'Mixed'),
	('BusinessType', 'Mobile/Trailer Park', 'MobileTrailerPark'),
	('BusinessType', 'Music', 'Music'),
	('BusinessType', 'Nursing Home', 'NursingHome'),
	('BusinessType', 'Office Supply', 'OfficeSupply'),
	('BusinessType', 'Other', 'Other'),
	('BusinessType', 'Paints', 'Paints'),
	('BusinessType', 'Parking', 'Parking'),
	('BusinessType', 'Pet Store', 'PetStore'),
	('BusinessType', 'Photographer', 'Photographer'),
	('BusinessType', 'Pizza', 'Pizza'),
	('BusinessType', 'Printing', 'Printing'),
	('BusinessType', 'Professional Service', 'ProfessionalService'),
	('BusinessType', 'Professional/Office', 'ProfessionalOffice'),
	('BusinessType', 'Real Estate', 'RealEstate'),
	('BusinessType', 'Recreation', 'Recreation'),
	('BusinessType', 'Rental', 'Rental'),
	('BusinessType', 'Residential', 'Residential'),
	('BusinessType', 'Restaurant', 'Restaurant'),
	('BusinessType', 'Retail', 'Retail'),
	('BusinessType', 'Saddlery/Harness', 'SaddleryHarness'),
	('BusinessType', 'Sporting Goods', 'SportingGoods'),
	('BusinessType', 'Storage', 'Storage'),
	('BusinessType', 'Toys', 'Toys'),
	('BusinessType', 'Transportation', 'Transportation'),
	('BusinessType', 'Travel', 'Travel'),
	('BusinessType', 'Upholstery', 'Upholstery'),
	('BusinessType', 'Utility', 'Utility'),
	('BusinessType', 'Variety', 'Variety'),
	('BusinessType', 'Video', 'Video'),
	('BusinessType', 'Wallpaper', 'Wallpaper'),
	('BusinessType', 'Warehouse', 'Warehouse'),
	('BusinessType', 'Wholesale', 'Wholesale'),
	('BuyerAgentDesignation', 'Accredited Buyer''s Representative / ABR', 'AccreditedBuyersRepresentative'),
	('BuyerAgentDesignation', 'Accredited Land Consultant / ALC', 'AccreditedLandConsultant'),
	('BuyerAgentDesignation', 'At Home With Diversity / AHWD', 'AtHomeWithDiversity'),
	('BuyerAgentDesignation', 'Certified Commercial Investment Member / CCIM', 'CertifiedCommercialInvestmentMember'),
	('BuyerAgentDesignation', 'Certified Distressed Property Expert / CDPE', 'CertifiedDistressedPropertyExpert'),
	('BuyerAgentDesignation', 'Certified International Property Specialist / CIPS', 'CertifiedInternationalPropertySpecialist'),
	('BuyerAgentDesignation', 'Certified Property Manager / CPM', 'CertifiedPropertyManager'),
	('BuyerAgentDesignation', 'Certified Real Estate Brokerage Manager / CRB', 'CertifiedRealEstateBrokerageManager'),
	('BuyerAgentDesignation', 'Certified Real Estate Team Specialist / C-RETS', 'CertifiedRealEstateTeamSpecialist'),
	('BuyerAgentDesignation', 'Certified Residential Specialist / CRS', 'CertifiedResidentialSpecialist'),
	('BuyerAgentDesignation', 'Counselor of Real Estate / CRE', 'CounselorOfRealEstate'),
	('BuyerAgentDesignation', 'General Accredited Appraiser / GAA', 'GeneralAccreditedAppraiser'),
	('BuyerAgentDesignation', 'Graduate, REALTOR Institute / GRI', 'GraduateRealtorInstitute'),
	('BuyerAgentDesignation', 'Military Relocation Professional / MRP', 'MilitaryRelocationProfessional'),
	('BuyerAgentDesignation', 'NAR''s Green Designation / GREEN', 'NARsGreenDesignation'),
	('BuyerAgentDesignation', 'Performance Management Network / PMN', 'PerformanceManagementNetwork'),
	('BuyerAgentDesignation', 'Pricing Strategy Advisor / PSA', 'PricingStrategyAdvisor'),
	('BuyerAgentDesignation', 'REALTOR Association Certified Executive / RCE', 'RealtorAssociationCertifiedExecutive'),
	('BuyerAgentDesignation', 'Real Estate Negotiation Expert / RENE', 'RealEstateNegotiationExpert'),
	('BuyerAgentDesignation', 'Residential Accredited Appraiser / RAA', 'ResidentialAccreditedAppraiser'),
	('BuyerAgentDesignation', 'Resort & Second-Home Property Specialist / RSPS', 'ResortAndSecondHomePropertySpecialist'),
	('BuyerAgentDesignation', 'Seller Representative Specialist / SRS', 'SellerRepresentativeSpecialist'),
	('BuyerAgentDesignation', 'Seniors Real Estate Specialist / SRES', 'SeniorsRealEstateSpecialist'),
	('BuyerAgentDesignation', 'Short Sales & Foreclosure Resource / SFR', 'ShortSalesAndForeclosureResource'),
	('BuyerAgentDesignation', 'Society of Industrial and Office REALTORS / SIOR', 'SocietyOfIndustrialAndOfficeRealtors'),
	('BuyerAgentDesignation', 'Transnational Referral Certification / TRC', 'TransnationalReferralCertification'),
	('BuyerAgentDesignation', 'e-PRO', 'ePRO'),
	('BuyerFinancing', 'Assumed', 'Assumed'),
	('BuyerFinancing', 'Cash', 'Cash'),
	('BuyerFinancing', 'Contract', 'Contract'),
	('BuyerFinancing', 'Conventional', 'Conventional'),
	('BuyerFinancing', 'FHA', 'Fha'),
	('BuyerFinancing', 'FHA 203(b)', 'Fha203b'),
	('BuyerFinancing', 'FHA 203(k)', 'Fha203k'),
	('BuyerFinancing', 'Other', 'Other'),
	('BuyerFinancing', 'Private', 'Private'),
	('BuyerFinancing', 'Seller Financing', 'SellerFinancing'),
	('BuyerFinancing', 'Trust Deed', 'TrustDeed'),
	('BuyerFinancing', 'USDA', 'Usda'),
	('BuyerFinancing', 'VA', 'Va'),
	('CaravanAllowedClassNames', 'Business Opportunity', 'BusinessOpportunity'),
	('CaravanAllowedClassNames', 'Commercial Lease', 'CommercialLease'),
	('CaravanAllowedClassNames', 'Commercial Sale', 'CommercialSale'),
	('CaravanAllowedClassNames', 'Farm', 'Farm'),
	('CaravanAllowedClassNames', 'Land', 'Land'),
	('CaravanAllowedClassNames', 'Manufactured In Park', 'ManufacturedInPark'),
	('CaravanAllowedClassNames', 'Residential', 'Residential'),
	('CaravanAllowedClassNames', 'Residential Income', 'ResidentialIncome'),
	('CaravanAllowedClassNames', 'Residential Lease', 'ResidentialLease'),
	('CaravanAllowedStatuses', 'Active', 'Active'),
	('CaravanAllowedStatuses', 'Active Under Contract', 'ActiveUnderContract'),
	('CaravanAllowedStatuses', 'Pending', 'Pending'),
	('CaravanResourceName', 'Association', 'Association'),
	('CaravanResourceName', 'Caravan', 'Caravan'),
	('CaravanResourceName', 'Contacts', 'Contacts'),
	('CaravanResourceName', 'Member', 'Member'),
	('CaravanResourceName', 'Office', 'Office'),
	('CaravanResourceName', 'OpenHouse', 'OpenHouse'),
	('CaravanResourceName', 'Property', 'Property'),
	('CaravanStatus', 'Active', 'Active'),
	('CaravanStatus', 'Canceled', 'Canceled'),
	('CaravanStatus', 'Ended', 'Ended'),
	('CaravanStopAttended', 'Agent', 'Agent'),
	('CaravanStopAttended', 'Seller', 'Seller'),
	('CaravanStopAttended', 'Unattended', 'Unattended'),
	('CaravanStopClassName', 'Business Opportunity', 'BusinessOpportunity'),
	('CaravanStopClassName', 'Commercial Lease', 'CommercialLease'),
	('CaravanStopClassName', 'Commercial Sale', 'CommercialSale'),
	('CaravanStopClassName', 'Farm', 'Farm'),
	('CaravanStopClassName', 'Land', 'Land'),
	('CaravanStopClassName', 'Manufactured In Park', 'ManufacturedInPark'),
	('CaravanStopClassName', 'Residential', 'Residential'),
	('CaravanStopClassName', 'Residential Income', 'ResidentialIncome'),
	('CaravanStopClassName', 'Residential Lease', 'ResidentialLease'),
	('CaravanType', 'Association', 'Association'),
	('CaravanType', 'Broker', 'Broker'),
	('CaravanType', 'Other', 'Other'),
	('ChangeType', 'Active', 'Active'),
	('ChangeType', 'Active Under Contract', 'ActiveUnderContract'),
	('ChangeType', 'Back On Market', 'BackOnMarket'),
	('ChangeType', 'Canceled', 'Canceled'),
	('ChangeType', 'Closed', 'Closed'),
	('ChangeType', 'Coming Soon', 'ComingSoon'),
	('ChangeType', 'Deleted', 'Deleted'),
	('ChangeType', 'Expired', 'Expired'),
	('ChangeType', 'Hold', 'Hold'),
	('ChangeType', 'New Listing', 'NewListing'),
	('ChangeType', 'Pending', 'Pending'),
	('ChangeType', 'Price Change', 'PriceChange'),
	('ChangeType', 'Withdrawn', 'Withdrawn'),
	('ClassName', 'Business Opportunity', 'BusinessOpportunity'),
	('ClassName', 'Commercial Lease', 'CommercialLease'),
	('ClassName', 'Commercial Sale', 'CommercialSale'),
	('ClassName', 'Contacts', 'Contacts'),
	('ClassName', 'Cross Property', 'CrossProperty'),
	('ClassName', 'Farm', 'Farm'),
	('ClassName', 'History Transactional', 'HistoryTransactional'),
	('ClassName', 'Land', 'Land'),
	('ClassName', 'Manufactured In Park', 'ManufacturedInPark'),
	('ClassName', 'Media', 'Media'),
	('ClassName', 'Member', 'Member'),
	('ClassName', 'Office', 'Office'),
	('ClassName', 'Open House', 'OpenHouse'),
	('ClassName', 'Residential', 'Residential'),
	('ClassName', 'Residential Income', 'ResidentialIncome'),
	('ClassName', 'Residential Lease', 'ResidentialLease'),
	('ClassName', 'Saved Search', 'SavedSearch'),
	('ClosetType', 'Built-in Closet', 'BuiltInCloset'),
	('ClosetType', 'None', 'None'),
	('ClosetType', 'Walk-in Closet', 'WalkInCloset'),
	('CoBuyerAgentDesignation', 'Accredited Buyer''s Representative / ABR', 'AccreditedBuyersRepresentative'),
	('CoBuyerAgentDesignation', 'Accredited Land Consultant / ALC', 'AccreditedLandConsultant'),
	('CoBuyerAgentDesignation', 'At Home With Diversity / AHWD', 'AtHomeWithDiversity'),
	('CoBuyerAgentDesignation', 'Certified Commercial Investment Member / CCIM', 'CertifiedCommercialInvestmentMember'),
	('CoBuyerAgentDesignation', 'Certified Distressed Property Expert / CDPE', 'CertifiedDistressedPropertyExpert'),
	('CoBuyerAgentDesignation', 'Certified International Property Specialist / CIPS', 'CertifiedInternationalPropertySpecialist'),
	('CoBuyerAgentDesignation', 'Certified Property Manager / CPM', 'CertifiedPropertyManager'),
	('CoBuyerAgentDesignation', 'Certified Real Estate Brokerage Manager / CRB', 'CertifiedRealEstateBrokerageManager'),
	('CoBuyerAgentDesignation', 'Certified Real Estate Team Specialist / C-RETS', 'CertifiedRealEstateTeamSpecialist'),
	('CoBuyerAgentDesignation', 'Certified Residential Specialist / CRS', 'CertifiedResidentialSpecialist'),
	('CoBuyerAgentDesignation', 'Counselor of Real Estate / CRE', 'CounselorOfRealEstate'),
	('CoBuyerAgentDesignation', 'General Accredited Appraiser / GAA', 'GeneralAccreditedAppraiser'),
	('CoBuyerAgentDesignation', 'Graduate, REALTOR Institute / GRI', 'GraduateRealtorInstitute'),
	('CoBuyerAgentDesignation', 'Military Relocation Professional / MRP', 'MilitaryRelocationProfessional'),
	('CoBuyerAgentDesignation', 'NAR''s Green Designation / GREEN', 'NARsGreenDesignation'),
	('CoBuyerAgentDesignation', 'Performance Management Network / PMN', 'PerformanceManagementNetwork'),
	('CoBuyerAgentDesignation', 'Pricing Strategy Advisor / PSA', 'PricingStrategyAdvisor'),
	('CoBuyerAgentDesignation', 'REALTOR Association Certified Executive / RCE', 'RealtorAssociationCertifiedExecutive'),
	('CoBuyerAgentDesignation', 'Real Estate Negotiation Expert / RENE', 'RealEstateNegotiationExpert'),
	('CoBuyerAgentDesignation', 'Residential Accredited Appraiser / RAA', 'ResidentialAccreditedAppraiser'),
	('CoBuyerAgentDesignation', 'Resort & Second-Home Property Specialist / RSPS', 'ResortAndSecondHomePropertySpecialist'),
	('CoBuyerAgentDesignation', 'Seller Representative Specialist / SRS', 'SellerRepresentativeSpecialist'),
	('CoBuyerAgentDesignation', 'Seniors Real Estate Specialist / SRES', 'SeniorsRealEstateSpecialist'),
	('CoBuyerAgentDesignation', 'Short Sales & Foreclosure Resource / SFR', 'ShortSalesAndForeclosureResource'),
	('CoBuyerAgentDesignation', 'Society of Industrial and Office REALTORS / SIOR', 'SocietyOfIndustrialAndOfficeRealtors'),
	('CoBuyerAgentDesignation', 'Transnational Referral Certification / TRC', 'TransnationalReferralCertification'),
	('CoBuyerAgentDesignation', 'e-PRO', 'ePRO'),
	('CoListAgentDesignation', 'Accredited Buyer''s Representative / ABR', 'AccreditedBuyersRepresentative'),
	('CoListAgentDesignation', 'Accredited Land Consultant / ALC', 'AccreditedLandConsultant'),
	('CoListAgentDesignation', 'At Home With Diversity / AHWD', 'AtHomeWithDiversity'),
	('CoListAgentDesignation', 'Certified Commercial Investment Member / CCIM', 'CertifiedCommercialInvestmentMember'),
	('CoListAgentDesignation', 'Certified Distressed Property Expert / CDPE', 'CertifiedDistressedPropertyExpert'),
	('CoListAgentDesignation', 'Certified International Property Specialist / CIPS', 'CertifiedInternationalPropertySpecialist'),
	('CoListAgentDesignation', 'Certified Property Manager / CPM', 'CertifiedPropertyManager'),
	('CoListAgentDesignation', 'Certified Real Estate Brokerage Manager / CRB', 'CertifiedRealEstateBrokerageManager'),
	('CoListAgentDesignation', 'Certified Real Estate Team Specialist / C-RETS', 'CertifiedRealEstateTeamSpecialist'),
	('CoListAgentDesignation', 'Certified Residential Specialist / CRS', 'CertifiedResidentialSpecialist'),
	('CoListAgentDesignation', 'Counselor of Real Estate / CRE', 'CounselorOfRealEstate'),
	('CoListAgentDesignation', 'General Accredited Appraiser / GAA', 'GeneralAccreditedAppraiser'),
	('CoListAgentDesignation', 'Graduate, REALTOR Institute / GRI', 'GraduateRealtorInstitute'),
	('CoListAgentDesignation', 'Military Relocation Professional / MRP', 'MilitaryRelocationProfessional'),
	('CoListAgentDesignation', 'NAR''s Green Designation / GREEN', 'NARsGreenDesignation'),
	('CoListAgentDesignation', 'Performance Management Network / PMN', 'PerformanceManagementNetwork'),
	('CoListAgentDesignation', 'Pricing Strategy Advisor / PSA', 'PricingStrategyAdvisor'),
	('CoListAgentDesignation', 'REALTOR Association Certified Executive / RCE', 'RealtorAssociationCertifiedExecutive'),
	('CoListAgentDesignation', 'Real Estate Negotiation Expert / RENE', 'RealEstateNegotiationExpert'),
	('CoListAgentDesignation', 'Residential Accredited Appraiser / RAA', 'ResidentialAccreditedAppraiser'),
	('CoListAgentDesignation', 'Resort & Second-Home Property Specialist / RSPS', 'ResortAndSecondHomePropertySpecialist'),
	('CoListAgentDesignation', 'Seller Representative Specialist / SRS', 'SellerRepresentativeSpecialist'),
	('CoListAgentDesignation', 'Seniors Real Estate Specialist / SRES', 'SeniorsRealEstateSpecialist'),
	('CoListAgentDesignation', 'Short Sales & Foreclosure Resource / SFR', 'ShortSalesAndForeclosureResource'),
	('CoListAgentDesignation', 'Society of Industrial and Office REALTORS / SIOR', 'SocietyOfIndustrialAndOfficeRealtors'),
	('CoListAgentDesignation', 'Transnational Referral Certification / TRC', 'TransnationalReferralCertification'),
	('CoListAgentDesignation', 'e-PRO', 'ePRO'),
	('CommonInterest', 'Community Apartment', 'CommunityApartment'),
	('CommonInterest', 'Condominium', 'Condominium'),
	('CommonInterest', 'None', 'None'),
	('CommonInterest', 'Planned Development', 'PlannedDevelopment'),
	('CommonInterest', 'Stock Cooperative', 'StockCooperative'),
	('CommonInterest', 'Timeshare', 'Timeshare'),
	('CommonWalls', '1 Common Wall', 'OneCommonWall'),
	('CommonWalls', '2+ Common Walls', 'TwoOrMoreCommonWalls'),
	('CommonWalls', 'End Unit', 'EndUnit'),
	('CommonWalls', 'No Common Walls', 'NoCommonWalls'),
	('CommonWalls', 'No One Above', 'NoOneAbove'),
	('CommonWalls', 'No One Below', 'NoOneBelow'),
	('CommunityFeatures', 'Airport/Runway', 'AirportRunway'),
	('CommunityFeatures', 'Clubhouse', 'Clubhouse'),
	('CommunityFeatures', 'Curbs', 'Curbs'),
	('CommunityFeatures', 'Fishing', 'Fishing'),
	('CommunityFeatures', 'Fitness Center', 'FitnessCenter'),
	('CommunityFeatures', 'Gated', 'Gated'),
	('CommunityFeatures', 'Golf', 'Golf'),
	('CommunityFeatures', 'Lake', 'Lake'),
	('CommunityFeatures', 'None', 'None'),
	('CommunityFeatures', 'Other', 'Other'),
	('CommunityFeatures', 'Park', 'Park'),
	('CommunityFeatures', 'Pickleball', 'Pickleball'),
	('CommunityFeatures', 'Playground', 'Playground'),
	('CommunityFeatures', 'Pool', 'Pool'),
	('CommunityFeatures', 'Racquetball', 'Racquetball'),
	('CommunityFeatures', 'Restaurant', 'Restaurant'),
	('CommunityFeatures', 'Sidewalks', 'Sidewalks'),
	('CommunityFeatures', 'Stable(s)', 'Stables'),
	('CommunityFeatures', 'Street Lights', 'StreetLights'),
	('CommunityFeatures', 'Suburban', 'Suburban'),
	('CommunityFeatures', 'Tennis Court(s)', 'TennisCourts'),
	('CompensationType', '$', 'Dollars'),
	('CompensationType', '%', 'Percent'),
	('CompensationType', 'Other', 'Other'),
	('CompensationType', 'See Remarks', 'SeeRemarks'),
	('Concessions', 'Call Listing Agent', 'CallListingAgent'),
	('Concessions', 'No', 'No'),
	('Concessions', 'Yes', 'Yes'),
	('ConstructionMaterials', 'Adobe', 'Adobe'),
	('ConstructionMaterials', 'Aluminum Siding', 'AluminumSiding'),
	('ConstructionMaterials', 'Asbestos', 'Asbestos'),
	('ConstructionMaterials', 'Asphalt', 'Asphalt'),
	('ConstructionMaterials', 'Attic/Crawl Hatchway(s) Insulated', 'AtticCrawlHatchwaysInsulated'),
	('ConstructionMaterials', 'Batts Insulation', 'BattsInsulation'),
	('ConstructionMaterials', 'Block', 'Block'),
	('ConstructionMaterials', 'Blown-In Insulation', 'BlownInInsulation'),
	('ConstructionMaterials', 'Board & Batten Siding', 'BoardAndBattenSiding'),
	('ConstructionMaterials', 'Brick', 'Brick'),
	('ConstructionMaterials', 'Brick Veneer', 'BrickVeneer'),
	('ConstructionMaterials', 'Cedar', 'Cedar'),
	('ConstructionMaterials', 'Cement Siding', 'CementSiding'),
	('ConstructionMaterials', 'Clapboard', 'Clapboard'),
	('ConstructionMaterials', 'Concrete', 'Concrete'),
	('ConstructionMaterials', 'Ducts Professionally Air-Sealed', 'DuctsProfessionallyAirSealed'),
	('ConstructionMaterials', 'Exterior Duct-Work is Insulated', 'ExteriorDuctWorkIsInsulated'),
	('ConstructionMaterials', 'Fiber Cement', 'FiberCement'),
	('ConstructionMaterials', 'Fiberglass Siding', 'FiberglassSiding'),
	('ConstructionMaterials', 'Foam Insulation', 'FoamInsulation'),
	('ConstructionMaterials', 'Frame', 'Frame'),
	('ConstructionMaterials', 'Glass', 'Glass'),
	('ConstructionMaterials', 'HardiPlank Type', 'HardiplankType'),
	('ConstructionMaterials', 'ICAT Recessed Lighting', 'IcatRecessedLighting'),
	('ConstructionMaterials', 'ICFs (Insulated Concrete Forms)', 'InsulatedConcreteForms'),
	('ConstructionMaterials', 'Lap Siding', 'LapSiding'),
	('ConstructionMaterials', 'Log', 'Log'),
	('ConstructionMaterials', 'Log Siding', 'LogSiding'),
	('ConstructionMaterials', 'Low VOC Insulation', 'LowVocInsulation'),
	('ConstructionMaterials', 'Masonite', 'Masonite'),
	('ConstructionMaterials', 'Metal Siding', 'MetalSiding'),
	('ConstructionMaterials', 'Natural Building', 'NaturalBuilding'),
	('ConstructionMaterials', 'Other', 'Other'),
	('ConstructionMaterials', 'Plaster', 'Plaster'),
	('ConstructionMaterials', 'Radiant Barrier', 'RadiantBarrier'),
	('ConstructionMaterials', 'Rammed Earth', 'RammedEarth'),
	('ConstructionMaterials', 'Recycled/Bio-Based Insulation', 'RecycledBioBasedInsulation'),
	('ConstructionMaterials', 'Redwood Siding', 'RedwoodSiding'),
	('ConstructionMaterials', 'See Remarks', 'SeeRemarks'),
	('ConstructionMaterials', 'Shake Siding', 'ShakeSiding'),
	('ConstructionMaterials', 'Shingle Siding', 'ShingleSiding'),
	('ConstructionMaterials', 'Slump Block', 'SlumpBlock'),
	('ConstructionMaterials', 'Spray Foam Insulation', 'SprayFoamInsulation'),
	('ConstructionMaterials', 'Steel Frame', 'SteelFrame'),
	('ConstructionMaterials', 'Steel Siding', 'SteelSiding'),
	('ConstructionMaterials', 'Stone', 'Stone'),
	('ConstructionMaterials', 'Stone Veneer', 'StoneVeneer'),
	('ConstructionMaterials', 'Straw', 'Straw'),
	('ConstructionMaterials', 'Stucco', 'Stucco'),
	('ConstructionMaterials', 'Synthetic Stucco', 'SyntheticStucco'),
	('ConstructionMaterials', 'Unknown', 'Unknown'),
	('ConstructionMaterials', 'Vertical Siding', 'VerticalSiding'),
	('ConstructionMaterials', 'Vinyl Siding', 'VinylSiding'),
	('ConstructionMaterials', 'Wood Siding', 'WoodSiding'),
	('ContactListingPreference', 'Discard', 'Discard'),
	('ContactListingPreference', 'Favorite', 'Favorite'),
	('ContactListingPreference', 'Possibility', 'Possibility'),
	('ContactStatus', 'Active', 'Active'),
	('ContactStatus', 'Deleted', 'Deleted'),
	('ContactStatus', 'Inactive', 'Inactive'),
	('ContactStatus', 'On Vacation', 'OnVacation'),
	('ContactType', 'Business', 'Business'),
	('ContactType', 'Buyer', 'Buyer'),
	('ContactType', 'Buyer Attorney', 'BuyerAttorney'),
	('ContactType', 'Family', 'Family'),
	('ContactType', 'Financial Planner', 'FinancialPlanner'),
	('ContactType', 'Friend', 'Friend'),
	('ContactType', 'Home Improvement Specialist', 'HomeImprovementSpecialist'),
	('ContactType', 'Home Inspector', 'HomeInspector'),
	('ContactType', 'Home Security Provider', 'HomeSecurityProvider'),
	('ContactType', 'Home Warranty Representative', 'HomeWarrantyRepresentative'),
	('ContactType', 'Insurance Representative', 'InsuranceRepresentative'),
	('ContactType', 'Landlord', 'Landlord'),
	('ContactType', 'Lead', 'Lead'),
	('ContactType', 'Loan Officer', 'LoanOfficer'),
	('ContactType', 'Moving/Storage', 'MovingStorage'),
	('ContactType', 'Other', 'Other'),
	('ContactType', 'Prospect', 'Prospect'),
	('ContactType', 'Ready to Buy', 'ReadyToBuy'),
	('ContactType', 'Seller', 'Seller'),
	('ContactType', 'Seller Attorney', 'SellerAttorney'),
	('ContactType', 'Tenant', 'Tenant'),
	('ContactType', 'Title Representative', 'TitleRepresentative'),
	('Cooling', 'Attic Fan', 'AtticFan'),
	('Cooling', 'Ceiling Fan(s)', 'CeilingFans'),
	('Cooling', 'Central Air', 'CentralAir'),
	('Cooling', 'Dual', 'Dual'),
	('Cooling', 'Ductless', 'Ductless'),
	('Cooling', 'ENERGY STAR Qualified Equipment', 'EnergyStarQualifiedEquipment'),
	('Cooling', 'Electric', 'Electric'),
	('Cooling', 'Evaporative Cooling', 'EvaporativeCooling'),
	('Cooling', 'Exhaust Fan', 'ExhaustFan'),
	('Cooling', 'Gas', 'Gas'),
	('Cooling', 'Geothermal', 'Geothermal'),
	('Cooling', 'Heat Pump', 'HeatPump'),
	('Cooling', 'Humidity Control', 'HumidityControl'),
	('Cooling', 'Multi Units', 'MultiUnits'),
	('Cooling', 'None', 'None'),
	('Cooling', 'Other', 'Other'),
	('Cooling', 'Roof Turbine(s)', 'RoofTurbines'),
	('Cooling', 'Separate Meters', 'SeparateMeters'),
	('Cooling', 'Varies by Unit', 'VariesByUnit'),
	('Cooling', 'Wall Unit(s)', 'WallUnits'),
	('Cooling', 'Wall/Window Unit(s)', 'WallWindowUnits'),
	('Cooling', 'Whole House Fan', 'WholeHouseFan'),
	('Cooling', 'Window Unit(s)', 'WindowUnits'),
	('Cooling', 'Zoned', 'Zoned'),
	('Country', 'AD', 'AD'),
	('Country', 'AE', 'AE'),
	('Country', 'AF', 'AF'),
	('Country', 'AG', 'AG'),
	('Country', 'AI', 'AI'),
	('Country', 'AL', 'AL'),
	('Country', 'AM', 'AM'),
	('Country', 'AN', 'AN'),
	('Country', 'AO', 'AO'),
	('Country', 'AQ', 'AQ'),
	('Country', 'AR', 'AR'),
	('Country', 'AS', 'AS'),
	('Country', 'AT', 'AT'),
	('Country', 'AU', 'AU'),
	('Country', 'AW', 'AW'),
	('Country', 'AX', 'AX'),
	('Country', 'AZ', 'AZ'),
	('Country', 'BA', 'BA'),
	('Country', 'BB', 'BB'),
	('Country', 'BD', 'BD'),
	('Country', 'BE', 'BE'),
	('Country', 'BF', 'BF'),
	('Country', 'BG', 'BG'),
	('Country', 'BH', 'BH'),
	('Country', 'BI', 'BI'),
	('Country', 'BJ', 'BJ'),
	('Country', 'BL', 'BL'),
	('Country', 'BM', 'BM'),
	('Country', 'BN', 'BN'),
	('Country', 'BO', 'BO'),
	('Country', 'BR', 'BR'),
	('Country', 'BS', 'BS'),
	('Country', 'BT', 'BT'),
	('Country', 'BV', 'BV'),
	('Country', 'BW', 'BW'),
	('Country', 'BY', 'BY'),
	('Country', 'BZ', 'BZ'),
	('Country', 'CA', 'CA'),
	('Country', 'CC', 'CC'),
	('Country', 'CD', 'CD'),
	('Country', 'CF', 'CF'),
	('Country', 'CG', 'CG'),
	('Country', 'CH', 'CH'),
	('Country', 'CI', 'CI'),
	('Country', 'CK', 'CK'),
	('Country', 'CL', 'CL'),
	('Country', 'CM', 'CM'),
	('Country', 'CN', 'CN'),
	('Country', 'CO', 'CO'),
	('Country', 'CR', 'CR'),
	('Country', 'CU', 'CU'),
	('Country', 'CV', 'CV'),
	('Country', 'CX', 'CX'),
	('Country', 'CY', 'CY'),
	('Country', 'CZ', 'CZ'),
	('Country', 'DE', 'DE'),
	('Country', 'DJ', 'DJ'),
	('Country', 'DK', 'DK'),
	('Country', 'DM', 'DM'),
	('Country', 'DO', 'DO'),
	('Country', 'DZ', 'DZ'),
	('Country', 'EC', 'EC'),
	('Country', 'EE', 'EE'),
	('Country', 'EG', 'EG'),
	('Country', 'EH', 'EH'),
	('Country', 'ER', 'ER'),
	('Country', 'ES', 'ES'),
	('Country', 'ET', 'ET'),
	('Country', 'FI', 'FI'),
	('Country', 'FJ', 'FJ'),
	('Country', 'FK', 'FK'),
	('Country', 'FM', 'FM'),
	('Country', 'FO', 'FO'),
	('Country', 'FR', 'FR'),
	('Country', 'GA', 'GA'),
	('Country', 'GB', 'GB'),
	('Country', 'GD', 'GD'),
	('Country', 'GE', 'GE'),
	('Country', 'GF', 'GF'),
	('Country', 'GG', 'GG'),
	('Country', 'GH', 'GH'),
	('Country', 'GI', 'GI'),
	('Country', 'GL', 'GL'),
	('Country', 'GM', 'GM'),
	('Country', 'GN', 'GN'),
	('Country', 'GP', 'GP'),
	('Country', 'GQ', 'GQ'),
	('Country', 'GR', 'GR'),
	('Country', 'GS', 'GS'),
	('Country', 'GT', 'GT'),
	('Country', 'GU', 'GU'),
	('Country', 'GW', 'GW'),
	('Country', 'GY', 'GY'),
	('Country', 'HK', 'HK'),
	('Country', 'HM', 'HM'),
	('Country', 'HN', 'HN'),
	('Country', 'HR', 'HR'),
	('Country', 'HT', 'HT'),
	('Country', 'HU', 'HU'),
	('Country', 'ID', 'ID'),
	('Country', 'IE', 'IE'),
	('Country', 'IL', 'IL'),
	('Country', 'IM', 'IM'),
	('Country', 'IN', 'IN'),
	('Country', 'IO', 'IO'),
	('Country', 'IQ', 'IQ'),
	('Country', 'IR', 'IR'),
	('Country', 'IS', 'IS'),
	('Country', 'IT', 'IT'),
	('Country', 'JE', 'JE'),
	('Country', 'JM', 'JM'),
	('Country', 'JO', 'JO'),
	('Country', 'JP', 'JP'),
	('Country', 'KE', 'KE'),
	('Country', 'KG', 'KG'),
	('Country', 'KH', 'KH'),
	('Country', 'KI', 'KI'),
	('Country', 'KM', 'KM'),
	('Country', 'KN', 'KN'),
	('Country', 'KP', 'KP'),
	('Country', 'KR', 'KR'),
	('Country', 'KW', 'KW'),
	('Country', 'KY', 'KY'),
	('Country', 'KZ', 'KZ'),
	('Country', 'LA', 'LA'),
	('Country', 'LB', 'LB'),
	('Country', 'LC', 'LC'),
	('Country', 'LI', 'LI'),
	('Country', 'LK', 'LK'),
	('Country', 'LR', 'LR'),
	('Country', 'LS', 'LS'),
	('Country', 'LT', 'LT'),
	('Country', 'LU', 'LU'),
	('Country', 'LV', 'LV'),
	('Country', 'LY', 'LY'),
	('Country', 'MA', 'MA'),
	('Country', 'MC', 'MC'),
	('Country', 'MD', 'MD'),
	('Country', 'ME', 'ME'),
	('Country', 'MF', 'MF'),
	('Country', 'MG', 'MG'),
	('Country', 'MH', 'MH'),
	('Country', 'MK', 'MK'),
	('Country', 'ML', 'ML'),
	('Country', 'MM', 'MM'),
	('Country', 'MN', 'MN'),
	('Country', 'MO', 'MO'),
	('Country', 'MP', 'MP'),
	('Country', 'MQ', 'MQ'),
	('Country', 'MR', 'MR'),
	('Country', 'MS', 'MS'),
	('Country', 'MT', 'MT'),
	('Country', 'MU', 'MU'),
	('Country', 'MV', 'MV'),
	('Country', 'MW', 'MW'),
	('Country', 'MX', 'MX'),
	('Country', 'MY', 'MY'),
	('Country', 'MZ', 'MZ'),
	('Country', 'NA', 'NA'),
	('Country', 'NC', 'NC'),
	('Country', 'NE', 'NE'),
	('Country', 'NF', 'NF'),
	('Country', 'NG', 'NG'),
	('Country', 'NI', 'NI'),
	('Country', 'NL', 'NL'),
	('Country', 'NP', 'NP'),
	('Country', 'NR', 'NR'),
	('Country', 'NU', 'NU'),
	('Country', 'NZ', 'NZ'),
	('Country', 'OM', 'OM'),
	('Country', 'OT', 'OT'),
	('Country', 'PA', 'PA'),
	('Country', 'PE', 'PE'),
	('Country', 'PF', 'PF'),
	('Country', 'PG', 'PG'),
	('Country', 'PH', 'PH'),
	('Country', 'PK', 'PK'),
	('Country', 'PL', 'PL'),
	('Country', 'PM', 'PM'),
	('Country', 'PN', 'PN'),
	('Country', 'PR', 'PR'),
	('Country', 'PS', 'PS'),
	('Country', 'PT', 'PT'),
	('Country', 'PW', 'PW'),
	('Country', 'PY', 'PY'),
	('Country', 'QA', 'QA'),
	('Country', 'RE', 'RE'),
	('Country', 'RO', 'RO'),
	('Country', 'RS', 'RS'),
	('Country', 'RU', 'RU'),
	('Country', 'RW', 'RW'),
	('Country', 'SA', 'SA'),
	('Country', 'SB', 'SB'),
	('Country', 'SC', 'SC'),
	('Country', 'SD', 'SD'),
	('Country', 'SE', 'SE'),
	('Country', 'SG', 'SG'),
	('Country', 'SH', 'SH'),
	('Country', 'SI', 'SI'),
	('Country', 'SJ', 'SJ'),
	('Country', 'SK', 'SK'),
	('Country', 'SL', 'SL'),
	('Country', 'SM', 'SM'),
	('Country', 'SN', 'SN'),
	('Country', 'SO', 'SO'),
	('Country', 'SR', 'SR'),
	('Country', 'ST', 'ST'),
	('Country', 'SV', 'SV'),
	('Country', 'SY', 'SY'),
	('Country', 'SZ', 'SZ'),
	('Country', 'TC', 'TC'),
	('Country', 'TD', 'TD'),
	('Country', 'TF', 'TF'),
	('Country', 'TG', 'TG'),
	('Country', 'TH', 'TH'),
	('Country', 'TJ', 'TJ'),
	('Country', 'TK', 'TK'),
	('Country', 'TL', 'TL'),
	('Country', 'TM', 'TM'),
	('Country', 'TN', 'TN'),
	('Country', 'TO', 'TO'),
	('Country', 'TR', 'TR'),
	('Country', 'TT', 'TT'),
	('Country', 'TV', 'TV'),
	('Country', 'TW', 'TW'),
	('Country', 'TZ', 'TZ'),
	('Country', 'UA', 'UA'),
	('Country', 'UG', 'UG'),
	('Country', 'UM', 'UM'),
	('Country', 'US', 'US'),
	('Country', 'UY', 'UY'),
	('Country', 'UZ', 'UZ'),
	('Country', 'VA', 'VA'),
	('Country', 'VC', 'VC'),
	('Country', 'VE', 'VE'),
	('Country', 'VG', 'VG'),
	('Country', 'VI', 'VI'),
	('Country', 'VN', 'VN'),
	('Country', 'VU', 'VU'),
	('Country', 'WF', 'WF'),
	('Country', 'WS', 'WS'),
	('Country', 'YE', 'YE'),
	('Country', 'YT', 'YT'),
	('Country', 'ZA', 'ZA'),
	('Country', 'ZM', 'ZM'),
	('Country', 'ZW', 'ZW'),
	('CurrentFinancing', 'Assumable', 'Assumable'),
	('CurrentFinancing', 'Contract', 'Contract'),
	('CurrentFinancing', 'Conventional', 'Conventional'),
	('CurrentFinancing', 'FHA', 'Fha'),
	('CurrentFinancing', 'FHA 203(b)', 'Fha203b'),
	('CurrentFinancing', 'FHA 203(k)', 'Fha203k'),
	('CurrentFinancing', 'Leased Renewables', 'LeasedRenewables'),
	('CurrentFinancing', 'None', 'None'),
	('CurrentFinancing', 'Other', 'Other'),
	('CurrentFinancing', 'Power Purchase Agreement', 'PowerPurchaseAgreement'),
	('CurrentFinancing', 'Private', 'Private'),
	('CurrentFinancing', 'Property-Assessed Clean Energy', 'PropertyAssessedCleanEnergy'),
	('CurrentFinancing', 'Trust Deed', 'TrustDeed'),
	('CurrentFinancing', 'USDA', 'Usda'),
	('CurrentFinancing', 'VA', 'Va'),
	('CurrentOrPossibleUse', 'Agricultural', 'Agricultural'),
	('CurrentOrPossibleUse', 'Automotive', 'Automotive'),
	('CurrentOrPossibleUse', 'Cattle', 'Cattle'),
	('CurrentOrPossibleUse', 'Commercial', 'Commercial'),
	('CurrentOrPossibleUse', 'Dairy', 'Dairy'),
	('CurrentOrPossibleUse', 'Development', 'Development'),
	('CurrentOrPossibleUse', 'Farm', 'Farm'),
	('CurrentOrPossibleUse', 'Fishery', 'Fishery'),
	('CurrentOrPossibleUse', 'Grazing', 'Grazing'),
	('CurrentOrPossibleUse', 'Highway/Tourist Service', 'HighwayTouristService'),
	('CurrentOrPossibleUse', 'Horses', 'Horses'),
	('CurrentOrPossibleUse', 'Hunting', 'Hunting'),
	('CurrentOrPossibleUse', 'Industrial', 'Industrial'),
	('CurrentOrPossibleUse', 'Investment', 'Investment'),
	('CurrentOrPossibleUse', 'Livestock', 'Livestock'),
	('CurrentOrPossibleUse', 'Manufactured Home', 'ManufacturedHome'),
	('CurrentOrPossibleUse', 'Medical/Dental', 'MedicalDental'),
	('CurrentOrPossibleUse', 'Mini Storage', 'MiniStorage'),
	('CurrentOrPossibleUse', 'Mixed Use', 'MixedUse'),
	('CurrentOrPossibleUse', 'Multi-Family', 'MultiFamily'),
	('CurrentOrPossibleUse', 'Nursery', 'Nursery'),
	('CurrentOrPossibleUse', 'Office', 'Office'),
	('CurrentOrPossibleUse', 'Orchard', 'Orchard'),
	('CurrentOrPossibleUse', 'Other', 'Other'),
	('CurrentOrPossibleUse', 'Pasture', 'Pasture'),
	('CurrentOrPossibleUse', 'Place of Worship', 'PlaceOfWorship'),
	('CurrentOrPossibleUse', 'Plantable', 'Plantable'),
	('CurrentOrPossibleUse', 'Poultry', 'Poultry'),
	('CurrentOrPossibleUse', 'Ranch', 'Ranch'),
	('CurrentOrPossibleUse', 'Recreational', 'Recreational'),
	('CurrentOrPossibleUse', 'Residential', 'Residential'),
	('CurrentOrPossibleUse', 'Retail', 'Retail'),
	('CurrentOrPossibleUse', 'Row Crops', 'RowCrops'),
	('CurrentOrPossibleUse', 'See Remarks', 'SeeRemarks'),
	('CurrentOrPossibleUse', 'Single Family', 'SingleFamily'),
	('CurrentOrPossibleUse', 'Subdevelopment', 'Subdevelopment'),
	('CurrentOrPossibleUse', 'Subdivision', 'Subdivision'),
	('CurrentOrPossibleUse', 'Timber', 'Timber'),
	('CurrentOrPossibleUse', 'Tree Farm', 'TreeFarm'),
	('CurrentOrPossibleUse', 'Unimproved', 'Unimproved'),
	('CurrentOrPossibleUse', 'Vacant', 'Vacant'),
	('CurrentOrPossibleUse', 'Vineyard', 'Vineyard'),
	('CurrentOrPossibleUse', 'Warehouse', 'Warehouse'),
	('DailySchedule', 'Friday AM', 'FridayAm'),
	('DailySchedule', 'Friday PM', 'FridayPm'),
	('DailySchedule', 'Monday AM', 'MondayAm'),
	('DailySchedule', 'Monday PM', 'MondayPm'),
	('DailySchedule', 'None', 'None'),
	('DailySchedule', 'Saturday AM', 'SaturdayAm'),
	('DailySchedule', 'Saturday PM', 'SaturdayPm'),
	('DailySchedule', 'Sunday AM', 'SundayAm'),
	('DailySchedule', 'Sunday PM', 'SundayPm'),
	('DailySchedule', 'Thursday AM', 'ThursdayAm'),
	('DailySchedule', 'Thursday PM', 'ThursdayPm'),
	('DailySchedule', 'Tuesday AM', 'TuesdayAm'),
	('DailySchedule', 'Tuesday PM', 'TuesdayPm'),
	('DailySchedule', 'Wednesday AM', 'WednesdayAm'),
	('DailySchedule', 'Wednesday PM', 'WednesdayPm'),
	('DevelopmentStatus', 'Completed', 'Completed'),
	('DevelopmentStatus', 'Finished Lot(s)', 'FinishedLots'),
	('DevelopmentStatus', 'Other', 'Other'),
	('DevelopmentStatus', 'Proposed', 'Proposed'),
	('DevelopmentStatus', 'Raw Land', 'RawLand'),
	('DevelopmentStatus', 'Rough Grade', 'RoughGrade'),
	('DevelopmentStatus', 'See Remarks', 'SeeRemarks'),
	('DevelopmentStatus', 'Site Plan Approved', 'SitePlanApproved'),
	('DevelopmentStatus', 'Site Plan Filed', 'SitePlanFiled'),
	('DevelopmentStatus', 'Under Construction', 'UnderConstruction'),
	('DeviceType', 'Desktop', 'Desktop'),
	('DeviceType', 'Mobile', 'Mobile'),
	('DeviceType', 'Tablet', 'Tablet'),
	('DeviceType', 'Unknown', 'Unknown'),
	('DeviceType', 'Wearable', 'Wearable'),
	('DirectionFaces', 'East', 'East'),
	('DirectionFaces', 'North', 'North'),
	('DirectionFaces', 'Northeast', 'Northeast'),
	('DirectionFaces', 'Northwest', 'Northwest'),
	('DirectionFaces', 'South', 'South'),
	('DirectionFaces', 'Southeast', 'Southeast'),
	('DirectionFaces', 'Southwest', 'Southwest'),
	('DirectionFaces', 'West', 'West'),
	('DocumentStatus', 'Accepted', 'Accepted'),
	('DocumentStatus', 'Archived', 'Archived'),
	('DocumentStatus', 'Changed', 'Changed'),
	('DocumentStatus', 'Countered', 'Countered'),
	('DocumentStatus', 'Deleted', 'Deleted'),
	('DocumentStatus', 'Delivered', 'Delivered'),
	('DocumentStatus', 'Finalized', 'Finalized'),
	('DocumentStatus', 'In Escrow', 'InEscrow'),
	('DocumentStatus', 'Missing', 'Missing'),
	('DocumentStatus', 'Optional', 'Optional'),
	('DocumentStatus', 'Published', 'Published'),
	('DocumentStatus', 'Received', 'Received'),
	('DocumentStatus', 'Rejected', 'Rejected'),
	('DocumentStatus', 'Required', 'Required'),
	('DocumentStatus', 'Signed', 'Signed'),
	('DocumentStatus', 'Submitted', 'Submitted'),
	('DoorFeatures', 'ENERGY STAR Qualified Doors', 'EnergyStarQualifiedDoors'),
	('DoorFeatures', 'French Doors', 'FrenchDoors'),
	('DoorFeatures', 'Mirrored Closet Door(s)', 'MirroredClosetDoors'),
	('DoorFeatures', 'Sliding Doors', 'SlidingDoors'),
	('DoorFeatures', 'Storm Door(s)', 'StormDoors'),
	('Electric', '100 Amp Service', 'Amps100'),
	('Electric', '150 Amp Service', 'Amps150'),
	('Electric', '200+ Amp Service', 'Amps200OrMore'),
	('Electric', '220 Volts', 'Volts220'),
	('Electric', '220 Volts For Spa', 'Volts220ForSpa'),
	('Electric', '220 Volts in Garage', 'Volts220InGarage'),
	('Electric', '220 Volts in Kitchen', 'Volts220InKitchen'),
	('Electric', '220 Volts in Laundry', 'Volts220InLaundry'),
	('Electric', '220 Volts in Workshop', 'Volts220InWorkshop'),
	('Electric', '440 Volts', 'Volts440'),
	('Electric', 'Circuit Breakers', 'CircuitBreakers'),
	('Electric', 'Energy Storage Device', 'EnergyStorageDevice'),
	('Electric', 'Fuses', 'Fuses'),
	('Electric', 'Generator', 'Generator'),
	('Electric', 'Net Meter', 'NetMeter'),
	('Electric', 'Pre-Wired for Renewables', 'PreWiredForRenewables'),
	('Electric', 'Ready for Renewables', 'ReadyForRenewables'),
	('Electric', 'Underground', 'Underground'),
	('EventSource', 'AI', 'AI'),
	('EventSource', 'GPS', 'Gps'),
	('EventSource', 'List', 'List'),
	('EventSource', 'Map', 'Map'),
	('EventSource', 'Search Engine', 'SearchEngine'),
	('EventSource', 'Voice Assistant', 'VoiceAssistant'),
	('EventTarget', 'Agent', 'Agent'),
	('EventTarget', 'Broker', 'Broker'),
	('EventTarget', 'Digg', 'Digg'),
	('EventTarget', 'Email', 'Email'),
	('EventTarget', 'Facebook', 'Facebook'),
	('EventTarget', 'Facebook Messenger', 'FacebookMessenger'),
	('EventTarget', 'Instagram', 'Instagram'),
	('EventTarget', 'LinkedIn', 'Linkedin'),
	('EventTarget', 'Microsoft Teams', 'MicrosoftTeams'),
	('EventTarget', 'Pinterest', 'Pinterest'),
	('EventTarget', 'Reddit', 'Reddit'),
	('EventTarget', 'SMS', 'Sms'),
	('EventTarget', 'Slack', 'Slack'),
	('EventTarget', 'Snapchat', 'Snapchat'),
	('EventTarget', 'StumbleUpon', 'Stumbleupon'),
	('EventTarget', 'TikTok', 'TikTok'),
	('EventTarget', 'Tumblr', 'Tumblr'),
	('EventTarget', 'Twitter', 'Twitter'),
	('EventTarget', 'WhatsApp', 'WhatsApp'),
	('EventTarget', 'YouTube', 'Youtube'),
	('EventTarget', 'iMessage', 'Imessage'),
	('EventType', 'Click to Primary Hosted Site', 'ClickToPrimaryHostedSite'),
	('EventType', 'Clicked on Email Address', 'ClickedOnEmailAddress'),
	('EventType', 'Clicked on Phone Number', 'ClickedOnPhoneNumber'),
	('EventType', 'Comments', 'Comments'),
	('EventType', 'Detailed View', 'DetailedView'),
	('EventType', 'Discard', 'Discard'),
	('EventType', 'Driving Directions', 'DrivingDirections'),
	('EventType', 'Exit Detailed View', 'ExitDetailedView'),
	('EventType', 'Favorited', 'Favorited'),
	('EventType', 'Impression', 'Impression'),
	('EventType', 'Maybe', 'Maybe'),
	('EventType', 'Object Modified', 'ObjectModified'),
	('EventType', 'Photo Gallery', 'PhotoGallery'),
	('EventType', 'Printed', 'Printed'),
	('EventType', 'Property Videos', 'PropertyVideos'),
	('EventType', 'Scrolled Depth', 'ScrolledDepth'),
	('EventType', 'Search', 'Search'),
	('EventType', 'Share', 'Share'),
	('EventType', 'Submission of Lead Form', 'SubmissionOfLeadForm'),
	('EventType', 'Virtual Tour', 'VirtualTour'),
	('ExistingLeaseType', 'Absolute Net', 'AbsoluteNet'),
	('ExistingLeaseType', 'CPI Adjustment', 'CpiAdjustment'),
	('ExistingLeaseType', 'Escalation Clause', 'EscalationClause'),
	('ExistingLeaseType', 'Gross', 'Gross'),
	('ExistingLeaseType', 'Ground Lease', 'GroundLease'),
	('ExistingLeaseType', 'NN', 'Nn'),
	('ExistingLeaseType', 'NNN', 'Nnn'),
	('ExistingLeaseType', 'Net', 'Net'),
	('ExistingLeaseType', 'Oral', 'Oral'),
	('ExteriorFeatures', 'Awning(s)', 'Awnings'),
	('ExteriorFeatures', 'Balcony', 'Balcony'),
	('ExteriorFeatures', 'Barbecue', 'Barbecue'),
	('ExteriorFeatures', 'Basketball Court', 'BasketballCourt'),
	('ExteriorFeatures', 'Boat Slip', 'BoatSlip'),
	('ExteriorFeatures', 'Built-in Barbecue', 'BuiltInBarbecue'),
	('ExteriorFeatures', 'Courtyard', 'Courtyard'),
	('ExteriorFeatures', 'Covered Courtyard', 'CoveredCourtyard'),
	('ExteriorFeatures', 'Dock', 'Dock'),
	('ExteriorFeatures', 'Dog Run', 'DogRun'),
	('ExteriorFeatures', 'Electric Grill', 'ElectricGrill'),
	('ExteriorFeatures', 'Fire Pit', 'FirePit'),
	('ExteriorFeatures', 'Garden', 'Garden'),
	('ExteriorFeatures', 'Gas Grill', 'GasGrill'),
	('ExteriorFeatures', 'Gray Water System', 'GrayWaterSystem'),
	('ExteriorFeatures', 'Kennel', 'Kennel'),
	('ExteriorFeatures', 'Lighting', 'Lighting'),
	('ExteriorFeatures', 'Misting System', 'MistingSystem'),
	('ExteriorFeatures', 'None', 'None'),
	('ExteriorFeatures', 'Other', 'Other'),
	('ExteriorFeatures', 'Outdoor Grill', 'OutdoorGrill'),
	('ExteriorFeatures', 'Outdoor Kitchen', 'OutdoorKitchen'),
	('ExteriorFeatures', 'Outdoor Shower', 'OutdoorShower'),
	('ExteriorFeatures', 'Permeable Paving', 'PermeablePaving'),
	('ExteriorFeatures', 'Playground', 'Playground'),
	('ExteriorFeatures', 'Private Entrance', 'PrivateEntrance'),
	('ExteriorFeatures', 'Private Yard', 'PrivateYard'),
	('ExteriorFeatures', 'RV Hookup', 'RvHookup'),
	('ExteriorFeatures', 'Rain Barrel/Cistern(s)', 'RainBarrelCisterns'),
	('ExteriorFeatures', 'Rain Gutters', 'RainGutters'),
	('ExteriorFeatures', 'Smart Camera(s)/Recording', 'SmartCamerasRecording'),
	('ExteriorFeatures', 'Smart Irrigation', 'SmartIrrigation'),
	('ExteriorFeatures', 'Smart Light(s)', 'SmartLights'),
	('ExteriorFeatures', 'Smart Lock(s)', 'SmartLocks'),
	('ExteriorFeatures', 'Storage', 'Storage'),
	('ExteriorFeatures', 'Tennis Court(s)', 'TennisCourts'),
	('ExteriorFeatures', 'Uncovered Courtyard', 'UncoveredCourtyard'),
	('FeeFrequency', 'Annually', 'Annually'),
	('FeeFrequency', 'Bi-Monthly', 'BiMonthly'),
	('FeeFrequency', 'Bi-Weekly', 'BiWeekly'),
	('FeeFrequency', 'Daily', 'Daily'),
	('FeeFrequency', 'Monthly', 'Monthly'),
	('FeeFrequency', 'One Time', 'OneTime'),
	('FeeFrequency', 'Quarterly', 'Quarterly'),
	('FeeFrequency', 'Seasonal', 'Seasonal'),
	('FeeFrequency', 'Semi-Annually', 'SemiAnnually'),
	('FeeFrequency', 'Semi-Monthly', 'SemiMonthly'),
	('FeeFrequency', 'Weekly', 'Weekly'),
	('Fencing', 'Back Yard', 'BackYard'),
	('Fencing', 'Barbed Wire', 'BarbedWire'),
	('Fencing', 'Block', 'Block'),
	('Fencing', 'Brick', 'Brick'),
	('Fencing', 'Chain Link', 'ChainLink'),
	('Fencing', 'Cross Fenced', 'CrossFenced'),
	('Fencing', 'Electric', 'Electric'),
	('Fencing', 'Fenced', 'Fenced'),
	('Fencing', 'Front Yard', 'FrontYard'),
	('Fencing', 'Full', 'Full'),
	('Fencing', 'Gate', 'Gate'),
	('Fencing', 'Invisible', 'Invisible'),
	('Fencing', 'Masonry', 'Masonry'),
	('Fencing', 'None', 'None'),
	('Fencing', 'Other', 'Other'),
	('Fencing', 'Partial', 'Partial'),
	('Fencing', 'Partial Cross', 'PartialCross'),
	('Fencing', 'Perimeter', 'Perimeter'),
	('Fencing', 'Pipe', 'Pipe'),
	('Fencing', 'Privacy', 'Privacy'),
	('Fencing', 'Security', 'Security'),
	('Fencing', 'See Remarks', 'SeeRemarks'),
	('Fencing', 'Slump Stone', 'SlumpStone'),
	('Fencing', 'Split Rail', 'SplitRail'),
	('Fencing', 'Stone', 'Stone'),
	('Fencing', 'Vinyl', 'Vinyl'),
	('Fencing', 'Wire', 'Wire'),
	('Fencing', 'Wood', 'Wood'),
	('Fencing', 'Wrought Iron', 'WroughtIron'),
	('FhaEligibility', 'Approved', 'Approved'),
	('FhaEligibility', 'Conditionally Approved', 'ConditionallyApproved'),
	('FhaEligibility', 'Rejected', 'Rejected'),
	('FhaEligibility', 'Unknown', 'Unknown'),
	('FhaEligibility', 'Withdrawn', 'Withdrawn'),
	('FinancialDataSource', 'Accountant', 'Accountant'),
	('FinancialDataSource', 'Owner', 'Owner'),
	('FinancialDataSource', 'Property Manager', 'PropertyManager'),
	('FireplaceFeatures', 'Basement', 'Basement'),
	('FireplaceFeatures', 'Bath', 'Bath'),
	('FireplaceFeatures', 'Bedroom', 'Bedroom'),
	('FireplaceFeatures', 'Blower Fan', 'BlowerFan'),
	('FireplaceFeatures', 'Circulating', 'Circulating'),
	('FireplaceFeatures', 'Decorative', 'Decorative'),
	('FireplaceFeatures', 'Den', 'Den'),
	('FireplaceFeatures', 'Dining Room', 'DiningRoom'),
	('FireplaceFeatures', 'Double Sided', 'DoubleSided'),
	('FireplaceFeatures', 'EPA Certified Wood Stove', 'EpaCertifiedWoodStove'),
	('FireplaceFeatures', 'EPA Qualified Fireplace', 'EpaQualifiedFireplace'),
	('FireplaceFeatures', 'Electric', 'Electric'),
	('FireplaceFeatures', 'Factory Built', 'FactoryBuilt'),
	('FireplaceFeatures', 'Family Room', 'FamilyRoom'),
	('FireplaceFeatures', 'Fire Pit', 'FirePit'),
	('FireplaceFeatures', 'Free Standing', 'FreeStanding'),
	('FireplaceFeatures', 'Gas', 'Gas'),
	('FireplaceFeatures', 'Gas Log', 'GasLog'),
	('FireplaceFeatures', 'Gas Starter', 'GasStarter'),
	('FireplaceFeatures', 'Glass Doors', 'GlassDoors'),
	('FireplaceFeatures', 'Great Room', 'GreatRoom'),
	('FireplaceFeatures', 'Heatilator', 'Heatilator'),
	('FireplaceFeatures', 'Insert', 'Insert'),
	('FireplaceFeatures', 'Kitchen', 'Kitchen'),
	('FireplaceFeatures', 'Library', 'Library'),
	('FireplaceFeatures', 'Living Room', 'LivingRoom'),
	('FireplaceFeatures', 'Masonry', 'Masonry'),
	('FireplaceFeatures', 'Master Bedroom', 'MasterBedroom'),
	('FireplaceFeatures', 'Metal', 'Metal'),
	('FireplaceFeatures', 'None', 'None'),
	('FireplaceFeatures', 'Other', 'Other'),
	('FireplaceFeatures', 'Outside', 'Outside'),
	('FireplaceFeatures', 'Pellet Stove', 'PelletStove'),
	('FireplaceFeatures', 'Propane', 'Propane'),
	('FireplaceFeatures', 'Raised Hearth', 'RaisedHearth'),
	('FireplaceFeatures', 'Recreation Room', 'RecreationRoom'),
	('FireplaceFeatures', 'Sealed Combustion', 'SealedCombustion'),
	('FireplaceFeatures', 'See Remarks', 'SeeRemarks'),
	('FireplaceFeatures', 'See Through', 'SeeThrough'),
	('FireplaceFeatures', 'Stone', 'Stone'),
	('FireplaceFeatures', 'Ventless', 'Ventless'),
	('FireplaceFeatures', 'Wood Burning', 'WoodBurning'),
	('FireplaceFeatures', 'Wood Burning Stove', 'WoodBurningStove'),
	('FireplaceFeatures', 'Zero Clearance', 'ZeroClearance'),
	('Flooring', 'Adobe', 'Adobe'),
	('Flooring', 'Bamboo', 'Bamboo'),
	('Flooring', 'Brick', 'Brick'),
	('Flooring', 'CRI Green Label Plus Certified Carpet', 'CriGreenLabelPlusCertifiedCarpet'),
	('Flooring', 'Carpet', 'Carpet'),
	('Flooring', 'Ceramic Tile', 'CeramicTile'),
	('Flooring', 'Clay', 'Clay'),
	('Flooring', 'Combination', 'Combination'),
	('Flooring', 'Concrete', 'Concrete'),
	('Flooring', 'Cork', 'Cork'),
	('Flooring', 'Dirt', 'Dirt'),
	('Flooring', 'Engineered Hardwood', 'EngineeredHardwood'),
	('Flooring', 'FSC or SFI Certified Source Hardwood', 'FscOrSfiCertifiedSourceHardwood'),
	('Flooring', 'FloorScore(r) Certified Flooring', 'FloorScoreCertifiedFlooring'),
	('Flooring', 'Granite', 'Granite'),
	('Flooring', 'Hardwood', 'Hardwood'),
	('Flooring', 'Laminate', 'Laminate'),
	('Flooring', 'Linoleum', 'Linoleum'),
	('Flooring', 'Luxury Vinyl', 'LuxuryVinyl'),
	('Flooring', 'Marble', 'Marble'),
	('Flooring', 'None', 'None'),
	('Flooring', 'Other', 'Other'),
	('Flooring', 'Painted/Stained', 'PaintedStained'),
	('Flooring', 'Parquet', 'Parquet'),
	('Flooring', 'Pavers', 'Pavers'),
	('Flooring', 'Plank', 'Plank'),
	('Flooring', 'Reclaimed Wood', 'ReclaimedWood'),
	('Flooring', 'See Remarks', 'SeeRemarks'),
	('Flooring', 'Simulated Wood', 'SimulatedWood'),
	('Flooring', 'Slate', 'Slate'),
	('Flooring', 'Softwood', 'Softwood'),
	('Flooring', 'Stamped', 'Stamped'),
	('Flooring', 'Stone', 'Stone'),
	('Flooring', 'Sustainable', 'Sustainable'),
	('Flooring', 'Terrazzo', 'Terrazzo'),
	('Flooring', 'Tile', 'Tile'),
	('Flooring', 'Varies', 'Varies'),
	('Flooring', 'Vinyl', 'Vinyl'),
	('Flooring', 'Wood', 'Wood'),
	('FoundationDetails', 'Block', 'Block'),
	('FoundationDetails', 'Brick/Mortar', 'BrickMortar'),
	('FoundationDetails', 'Combination', 'Combination'),
	('FoundationDetails', 'Concrete Perimeter', 'ConcretePerimeter'),
	('FoundationDetails', 'None', 'None'),
	('FoundationDetails', 'Other', 'Other'),
	('FoundationDetails', 'Permanent', 'Permanent'),
	('FoundationDetails', 'Pillar/Post/Pier', 'PillarPostPier'),
	('FoundationDetails', 'Raised', 'Raised'),
	('FoundationDetails', 'See Remarks', 'SeeRemarks'),
	('FoundationDetails', 'Slab', 'Slab'),
	('FoundationDetails', 'Stone', 'Stone'),
	('FrontageType', 'Bay/Harbor', 'BayHarbor'),
	('FrontageType', 'Golf Course', 'GolfCourse'),
	('FrontageType', 'Lagoon/Estuary', 'LagoonEstuary'),
	('FrontageType', 'Lakefront', 'Lakefront'),
	('FrontageType', 'Oceanfront', 'Oceanfront'),
	('FrontageType', 'Other', 'Other'),
	('FrontageType', 'River', 'River'),
	('FrontageType', 'See Remarks', 'SeeRemarks'),
	('FrontageType', 'Waterfront', 'Waterfront'),
	('Furnished', 'Furnished', 'Furnished'),
	('Furnished', 'Negotiable', 'Negotiable'),
	('Furnished', 'Partially', 'Partially'),
	('Furnished', 'Unfurnished', 'Unfurnished'),
	('GreenBuildingVerificationType', 'Certified Passive House', 'CertifiedPassiveHouse'),
	('GreenBuildingVerificationType', 'ENERGY STAR Certified Homes', 'EnergyStarCertifiedHomes'),
	('GreenBuildingVerificationType', 'EnerPHit', 'Enerphit'),
	('GreenBuildingVerificationType', 'HERS Index Score', 'HersIndexScore'),
	('GreenBuildingVerificationType', 'Home Energy Score', 'HomeEnergyScore'),
	('GreenBuildingVerificationType', 'Home Energy Upgrade Certificate of Energy Efficiency Improvements', 'HomeEnergyUpgradeCertificateOfEnergyEfficiencyImprovements'),
	('GreenBuildingVerificationType', 'Home Energy Upgrade Certificate of Energy Efficiency Performance', 'HomeEnergyUpgradeCertificateOfEnergyEfficiencyPerformance'),
	('GreenBuildingVerificationType', 'Home Performance with ENERGY STAR', 'HomePerformanceWithEnergyStar'),
	('GreenBuildingVerificationType', 'Indoor airPLUS', 'IndoorAirplus'),
	('GreenBuildingVerificationType', 'LEED For Homes', 'LeedForHomes'),
	('GreenBuildingVerificationType', 'Living Building Challenge', 'LivingBuildingChallenge'),
	('GreenBuildingVerificationType', 'NGBS New Construction', 'NgbsNewConstruction'),
	('GreenBuildingVerificationType', 'NGBS Small Projects Remodel', 'NgbsSmallProjectsRemodel'),
	('GreenBuildingVerificationType', 'NGBS Whole-Home Remodel', 'NgbsWholeHomeRemodel'),
	('GreenBuildingVerificationType', 'PHIUS+', 'PhiusPlus'),
	('GreenBuildingVerificationType', 'Pearl Certification', 'PearlCertification'),
	('GreenBuildingVerificationType', 'WaterSense', 'Watersense'),
	('GreenBuildingVerificationType', 'Zero Energy Ready Home', 'ZeroEnergyReadyHome'),
	('GreenEnergyEfficient', 'Appliances', 'Appliances'),
	('GreenEnergyEfficient', 'Construction', 'Construction'),
	('GreenEnergyEfficient', 'Doors', 'Doors'),
	('GreenEnergyEfficient', 'Exposure/Shade', 'ExposureShade'),
	('GreenEnergyEfficient', 'HVAC', 'Hvac'),
	('GreenEnergyEfficient', 'Incentives', 'Incentives'),
	('GreenEnergyEfficient', 'Insulation', 'Insulation'),
	('GreenEnergyEfficient', 'Lighting', 'Lighting'),
	('GreenEnergyEfficient', 'Roof', 'Roof'),
	('GreenEnergyEfficient', 'Thermostat', 'Thermostat'),
	('GreenEnergyEfficient', 'Water Heater', 'WaterHeater'),
	('GreenEnergyEfficient', 'Windows', 'Windows'),
	('GreenEnergyGeneration', 'Solar', 'Solar'),
	('GreenEnergyGeneration', 'Wind', 'Wind'),
	('GreenIndoorAirQuality', 'Contaminant Control', 'ContaminantControl'),
	('GreenIndoorAirQuality', 'Integrated Pest Management', 'IntegratedPestManagement'),
	('GreenIndoorAirQuality', 'Moisture Control', 'MoistureControl'),
	('GreenIndoorAirQuality', 'Ventilation', 'Ventilation'),
	('GreenSustainability', 'Conserving Methods', 'ConservingMethods'),
	('GreenSustainability', 'Onsite Recycling Center', 'OnsiteRecyclingCenter'),
	('GreenSustainability', 'Recyclable Materials', 'RecyclableMaterials'),
	('GreenSustainability', 'Recycled Materials', 'RecycledMaterials'),
	('GreenSustainability', 'Regionally-Sourced Materials', 'RegionallySourcedMaterials'),
	('GreenSustainability', 'Renewable Materials', 'RenewableMaterials'),
	('GreenSustainability', 'Salvaged Materials', 'SalvagedMaterials'),
	('GreenVerificationSource', 'Administrator', 'Administrator'),
	('GreenVerificationSource', 'Assessor', 'Assessor'),
	('GreenVerificationSource', 'Builder', 'Builder'),
	('GreenVerificationSource', 'Contractor or Installer', 'ContractorOrInstaller'),
	('GreenVerificationSource', 'Other', 'Other'),
	('GreenVerificationSource', 'Owner', 'Owner'),
	('GreenVerificationSource', 'Program Sponsor', 'ProgramSponsor'),
	('GreenVerificationSource', 'Program Verifier', 'ProgramVerifier'),
	('GreenVerificationSource', 'Public Records', 'PublicRecords'),
	('GreenVerificationSource', 'See Remarks', 'SeeRemarks'),
	('GreenVerificationStatus', 'Complete', 'Complete'),
	('GreenVerificationStatus', 'In Process', 'InProcess'),
	('GreenWaterConservation', 'Efficient Hot Water Distribution', 'EfficientHotWaterDistribution'),
	('GreenWaterConservation', 'Gray Water System', 'GrayWaterSystem'),
	('GreenWaterConservation', 'Green Infrastructure', 'GreenInfrastructure'),
	('GreenWaterConservation', 'Low-Flow Fixtures', 'LowFlowFixtures'),
	('GreenWaterConservation', 'Water Recycling', 'WaterRecycling'),
	('GreenWaterConservation', 'Water-Smart Landscaping', 'WaterSmartLandscaping'),
	('Heating', 'Active Solar', 'ActiveSolar'),
	('Heating', 'Baseboard', 'Baseboard'),
	('Heating', 'Ceiling', 'Ceiling'),
	('Heating', 'Central', 'Central'),
	('Heating', 'Coal', 'Coal'),
	('Heating', 'Coal Stove', 'CoalStove'),
	('Heating', 'Ductless', 'Ductless'),
	('Heating', 'ENERGY STAR Qualified Equipment', 'EnergyStarQualifiedEquipment'),
	('Heating', 'ENERGY STAR/ACCA RSI Qualified Installation', 'EnergyStarAccaRsiQualifiedInstallation'),
	('Heating', 'Electric', 'Electric'),
	('Heating', 'Exhaust Fan', 'ExhaustFan'),
	('Heating', 'Fireplace Insert', 'FireplaceInsert'),
	('Heating', 'Fireplace(s)', 'Fireplaces'),
	('Heating', 'Floor Furnace', 'FloorFurnace'),
	('Heating', 'Forced Air', 'ForcedAir'),
	('Heating', 'Geothermal', 'Geothermal'),
	('Heating', 'Gravity', 'Gravity'),
	('Heating', 'Heat Pump', 'HeatPump'),
	('Heating', 'Hot Water', 'HotWater'),
	('Heating', 'Humidity Control', 'HumidityControl'),
	('Heating', 'Kerosene', 'Kerosene'),
	('Heating', 'Natural Gas', 'NaturalGas'),
	('Heating', 'None', 'None'),
	('Heating', 'Oil', 'Oil'),
	('Heating', 'Other', 'Other'),
	('Heating', 'Passive Solar', 'PassiveSolar'),
	('Heating', 'Pellet Stove', 'PelletStove'),
	('Heating', 'Propane', 'Propane'),
	('Heating', 'Propane Stove', 'PropaneStove'),
	('Heating', 'Radiant', 'Radiant'),
	('Heating', 'Radiant Ceiling', 'RadiantCeiling'),
	('Heating', 'Radiant Floor', 'RadiantFloor'),
	('Heating', 'See Remarks', 'SeeRemarks'),
	('Heating', 'Separate Meters', 'SeparateMeters'),
	('Heating', 'Solar', 'Solar'),
	('Heating', 'Space Heater', 'SpaceHeater'),
	('Heating', 'Steam', 'Steam'),
	('Heating', 'Varies by Unit', 'VariesByUnit'),
	('Heating', 'Wall Furnace', 'WallFurnace'),
	('Heating', 'Wood', 'Wood'),
	('Heating', 'Wood Stove', 'WoodStove'),
	('Heating', 'Zoned', 'Zoned'),
	('HorseAmenities', 'Arena', 'Arena'),
	('HorseAmenities', 'Barn', 'Barn'),
	('HorseAmenities', 'Boarding Facilities', 'BoardingFacilities'),
	('HorseAmenities', 'Corral(s)', 'Corrals'),
	('HorseAmenities', 'Hay Storage', 'HayStorage'),
	('HorseAmenities', 'None', 'None'),
	('HorseAmenities', 'Other', 'Other'),
	('HorseAmenities', 'Paddocks', 'Paddocks'),
	('HorseAmenities', 'Palpation Chute', 'PalpationChute'),
	('HorseAmenities', 'Pasture', 'Pasture'),
	('HorseAmenities', 'Riding Trail', 'RidingTrail'),
	('HorseAmenities', 'Round Pen', 'RoundPen'),
	('HorseAmenities', 'See Remarks', 'SeeRemarks'),
	('HorseAmenities', 'Shaving Bin', 'ShavingBin'),
	('HorseAmenities', 'Stable(s)', 'Stables'),
	('HorseAmenities', 'Tack Room', 'TackRoom'),
	('HorseAmenities', 'Trailer Storage', 'TrailerStorage'),
	('HorseAmenities', 'Wash Rack', 'WashRack'),
	('HoursDaysOfOperation', 'Evenings Only', 'EveningsOnly'),
	('HoursDaysOfOperation', 'Open -8 Hours/Day', 'OpenLessThan8HoursDay'),
	('HoursDaysOfOperation', 'Open 24 Hours', 'Open24Hours'),
	('HoursDaysOfOperation', 'Open 7 Days', 'Open7Days'),
	('HoursDaysOfOperation', 'Open 8 Hours/Day', 'Open8HoursDay'),
	('HoursDaysOfOperation', 'Open 8+ Hours/Day', 'OpenOver8HoursDay'),
	('HoursDaysOfOperation', 'Open Monday-Friday', 'OpenMondayFriday'),
	('HoursDaysOfOperation', 'Open Saturday', 'OpenSaturday'),
	('HoursDaysOfOperation', 'Open Sunday', 'OpenSunday'),
	('IanaTimeZoneValues', 'Africa/Abidjan', 'AfricaAbidjan'),
	('IanaTimeZoneValues', 'Africa/Accra', 'AfricaAccra'),
	('IanaTimeZoneValues', 'Africa/Addis_Ababa', 'AfricaAddisAbaba'),
	('IanaTimeZoneValues', 'Africa/Algiers', 'AfricaAlgiers'),
	('IanaTimeZoneValues', 'Africa/Asmara', 'AfricaAsmara'),
	('IanaTimeZoneValues', 'Africa/Asmera', 'AfricaAsmera'),
	('IanaTimeZoneValues', 'Africa/Bamako', 'AfricaBamako'),
	('IanaTimeZoneValues', 'Africa/Bangui', 'AfricaBangui'),
	('IanaTimeZoneValues', 'Africa/Banjul', 'AfricaBanjul'),
	('IanaTimeZoneValues', 'Africa/Bissau', 'AfricaBissau'),
	('IanaTimeZoneValues', 'Africa/Blantyre', 'AfricaBlantyre'),
	('IanaTimeZoneValues', 'Africa/Brazzaville', 'AfricaBrazzaville'),
	('IanaTimeZoneValues', 'Africa/Bujumbura', 'AfricaBujumbura'),
	('IanaTimeZoneValues', 'Africa/Cairo', 'AfricaCairo'),
	('IanaTimeZoneValues', 'Africa/Casablanca', 'AfricaCasablanca'),
	('IanaTimeZoneValues', 'Africa/Ceuta', 'AfricaCeuta'),
	('IanaTimeZoneValues', 'Africa/Conakry', 'AfricaConakry'),
	('IanaTimeZoneValues', 'Africa/Dakar', 'AfricaDakar'),
	('IanaTimeZoneValues', 'Africa/Dar_es_Salaam', 'AfricaDarEsSalaam'),
	('IanaTimeZoneValues', 'Africa/Djibouti', 'AfricaDjibouti'),
	('IanaTimeZoneValues', 'Africa/Douala', 'AfricaDouala'),
	('IanaTimeZoneValues', 'Africa/El_Aaiun', 'AfricaElAaiun'),
	('IanaTimeZoneValues', 'Africa/Freetown', 'AfricaFreetown'),
	('IanaTimeZoneValues', 'Africa/Gaborone', 'AfricaGaborone'),
	('IanaTimeZoneValues', 'Africa/Harare', 'AfricaHarare'),
	('IanaTimeZoneValues', 'Africa/Johannesburg', 'AfricaJohannesburg'),
	('IanaTimeZoneValues', 'Africa/Juba', 'AfricaJuba'),
	('IanaTimeZoneValues', 'Africa/Kampala', 'AfricaKampala'),
	('IanaTimeZoneValues', 'Africa/Khartoum', 'AfricaKhartoum'),
	('IanaTimeZoneValues', 'Africa/Kigali', 'AfricaKigali'),
	('IanaTimeZoneValues', 'Africa/Kinshasa', 'AfricaKinshasa'),
	('IanaTimeZoneValues', 'Africa/Lagos', 'AfricaLagos'),
	('IanaTimeZoneValues', 'Africa/Libreville', 'AfricaLibreville'),
	('IanaTimeZoneValues', 'Africa/Lome', 'AfricaLome'),
	('IanaTimeZoneValues', 'Africa/Luanda', 'AfricaLuanda'),
	('IanaTimeZoneValues', 'Africa/Lubumbashi', 'AfricaLubumbashi'),
	('IanaTimeZoneValues', 'Africa/Lusaka', 'AfricaLusaka'),
	('IanaTimeZoneValues', 'Africa/Malabo', 'AfricaMalabo'),
	('IanaTimeZoneValues', 'Africa/Maputo', 'AfricaMaputo'),
	('IanaTimeZoneValues', 'Africa/Maseru', 'AfricaMaseru'),
	('IanaTimeZoneValues', 'Africa/Mbabane', 'AfricaMbabane'),
	('IanaTimeZoneValues', 'Africa/Mogadishu', 'AfricaMogadishu'),
	('IanaTimeZoneValues', 'Africa/Monrovia', 'AfricaMonrovia'),
	('IanaTimeZoneValues', 'Africa/Nairobi', 'AfricaNairobi'),
	('IanaTimeZoneValues', 'Africa/Ndjamena', 'AfricaNdjamena'),
	('IanaTimeZoneValues', 'Africa/Niamey', 'AfricaNiamey'),
	('IanaTimeZoneValues', 'Africa/Nouakchott', 'AfricaNouakchott'),
	('IanaTimeZoneValues', 'Africa/Ouagadougou', 'AfricaOuagadougou'),
	('IanaTimeZoneValues', 'Africa/Porto-Novo', 'AfricaPortoNovo'),
	('IanaTimeZoneValues', 'Africa/Sao_Tome', 'AfricaSaoTome'),
	('IanaTimeZoneValues', 'Africa/Timbuktu', 'AfricaTimbuktu'),
	('IanaTimeZoneValues', 'Africa/Tripoli', 'AfricaTripoli'),
	('IanaTimeZoneValues', 'Africa/Tunis', 'AfricaTunis'),
	('IanaTimeZoneValues', 'Africa/Windhoek', 'AfricaWindhoek'),
	('IanaTimeZoneValues', 'America/Adak', 'AmericaAdak'),
	('IanaTimeZoneValues', 'America/Anchorage', 'AmericaAnchorage'),
	('IanaTimeZoneValues', 'America/Anguilla', 'AmericaAnguilla'),
	('IanaTimeZoneValues', 'America/Antigua', 'AmericaAntigua'),
	('IanaTimeZoneValues', 'America/Araguaina', 'AmericaAraguaina'),
	('IanaTimeZoneValues', 'America/Argentina/Buenos_Aires', 'AmericaArgentinaBuenosAires'),
	('IanaTimeZoneValues', 'America/Argentina/Catamarca', 'AmericaArgentinaCatamarca'),
	('IanaTimeZoneValues', 'America/Argentina/ComodRivadavia', 'AmericaArgentinaComodRivadavia'),
	('IanaTimeZoneValues', 'America/Argentina/Cordoba', 'AmericaArgentinaCordoba'),
	('IanaTimeZoneValues', 'America/Argentina/Jujuy', 'AmericaArgentinaJujuy'),
	('IanaTimeZoneValues', 'America/Argentina/La_Rioja', 'AmericaArgentinaLaRioja'),
	('IanaTimeZoneValues', 'America/Argentina/Mendoza', 'AmericaArgentinaMendoza'),
	('IanaTimeZoneValues', 'America/Argentina/Rio_Gallegos', 'AmericaArgentinaRioGallegos'),
	('IanaTimeZoneValues', 'America/Argentina/Salta', 'AmericaArgentinaSalta'),
	('IanaTimeZoneValues', 'America/Argentina/San_Juan', 'AmericaArgentinaSanJuan'),
	('IanaTimeZoneValues', 'America/Argentina/San_Luis', 'AmericaArgentinaSanLuis'),
	('IanaTimeZoneValues', 'America/Argentina/Tucuman', 'AmericaArgentinaTucuman'),
	('IanaTimeZoneValues', 'America/Argentina/Ushuaia', 'AmericaArgentinaUshuaia'),
	('IanaTimeZoneValues', 'America/Aruba', 'AmericaAruba'),
	('IanaTimeZoneValues', 'America/Asuncion', 'AmericaAsuncion'),
	('IanaTimeZoneValues', 'America/Atikokan', 'AmericaAtikokan'),
	('IanaTimeZoneValues', 'America/Atka', 'AmericaAtka'),
	('IanaTimeZoneValues', 'America/Bahia', 'AmericaBahia'),
	('IanaTimeZoneValues', 'America/Bahia_Banderas', 'AmericaBahiaBanderas'),
	('IanaTimeZoneValues', 'America/Barbados', 'AmericaBarbados'),
	('IanaTimeZoneValues', 'America/Belem', 'AmericaBelem'),
	('IanaTimeZoneValues', 'America/Belize', 'AmericaBelize'),
	('IanaTimeZoneValues', 'America/Blanc-Sablon', 'AmericaBlancSablon'),
	('IanaTimeZoneValues', 'America/Boa_Vista', 'AmericaBoaVista'),
	('IanaTimeZoneValues', 'America/Bogota', 'AmericaBogota'),
	('IanaTimeZoneValues', 'America/Boise', 'AmericaBoise'),
	('IanaTimeZoneValues', 'America/Buenos_Aires', 'AmericaBuenosAires'),
	('IanaTimeZoneValues', 'America/Cambridge_Bay', 'AmericaCambridgeBay'),
	('IanaTimeZoneValues', 'America/Campo_Grande', 'AmericaCampoGrande'),
	('IanaTimeZoneValues', 'America/Cancun', 'AmericaCancun'),
	('IanaTimeZoneValues', 'America/Caracas', 'AmericaCaracas'),
	('IanaTimeZoneValues', 'America/Catamarca', 'AmericaCatamarca'),
	('IanaTimeZoneValues', 'America/Cayenne', 'AmericaCayenne'),
	('IanaTimeZoneValues', 'America/Cayman', 'AmericaCayman'),
	('IanaTimeZoneValues', 'America/Chicago', 'AmericaChicago'),
	('IanaTimeZoneValues', 'America/Chihuahua', 'AmericaChihuahua'),
	('IanaTimeZoneValues', 'America/Ciudad_Juarez', 'AmericaCiudadJuarez'),
	('IanaTimeZoneValues', 'America/Coral_Harbour', 'AmericaCoralHarbour'),
	('IanaTimeZoneValues', 'America/Cordoba', 'AmericaCordoba'),
	('IanaTimeZoneValues', 'America/Costa_Rica', 'AmericaCostaRica'),
	('IanaTimeZoneValues', 'America/Creston', 'AmericaCreston'),
	('IanaTimeZoneValues', 'America/Cuiaba', 'AmericaCuiaba'),
	('IanaTimeZoneValues', 'America/Curacao', 'AmericaCuracao'),
	('IanaTimeZoneValues', 'America/Danmarkshavn', 'AmericaDanmarkshavn'),
	('IanaTimeZoneValues', 'America/Dawson', 'AmericaDawson'),
	('IanaTimeZoneValues', 'America/Dawson_Creek', 'AmericaDawsonCreek'),
	('IanaTimeZoneValues', 'America/Denver', 'AmericaDenver'),
	('IanaTimeZoneValues', 'America/Detroit', 'AmericaDetroit'),
	('IanaTimeZoneValues', 'America/Dominica', 'AmericaDominica'),
	('IanaTimeZoneValues', 'America/Edmonton', 'AmericaEdmonton'),
	('IanaTimeZoneValues', 'America/Eirunepe', 'AmericaEirunepe'),
	('IanaTimeZoneValues', 'America/El_Salvador', 'AmericaElSalvador'),
	('IanaTimeZoneValues', 'America/Ensenada', 'AmericaEnsenada'),
	('IanaTimeZoneValues', 'America/Fort_Nelson', 'AmericaFortNelson'),
	('IanaTimeZoneValues', 'America/Fort_Wayne', 'AmericaFortWayne'),
	('IanaTimeZoneValues', 'America/Fortaleza', 'AmericaFortaleza'),
	('IanaTimeZoneValues', 'America/Glace_Bay', 'AmericaGlaceBay'),
	('IanaTimeZoneValues', 'America/Godthab', 'AmericaGodthab'),
	('IanaTimeZoneValues', 'America/Goose_Bay', 'AmericaGooseBay'),
	('IanaTimeZoneValues', 'America/Grand_Turk', 'AmericaGrandTurk'),
	('IanaTimeZoneValues', 'America/Grenada', 'AmericaGrenada'),
	('IanaTimeZoneValues', 'America/Guadeloupe', 'AmericaGuadeloupe'),
	('IanaTimeZoneValues', 'America/Guatemala', 'AmericaGuatemala'),
	('IanaTimeZoneValues', 'America/Guayaquil', 'AmericaGuayaquil'),
	('IanaTimeZoneValues', 'America/Guyana', 'AmericaGuyana'),
	('IanaTimeZoneValues', 'America/Halifax', 'AmericaHalifax'),
	('IanaTimeZoneValues', 'America/Havana', 'AmericaHavana'),
	('IanaTimeZoneValues', 'America/Hermosillo', 'AmericaHermosillo'),
	('IanaTimeZoneValues', 'America/Indiana/Indianapolis', 'AmericaIndianaIndianapolis'),
	('IanaTimeZoneValues', 'America/Indiana/Knox', 'AmericaIndianaKnox'),
	('IanaTimeZoneValues', 'America/Indiana/Marengo', 'AmericaIndianaMarengo'),
	('IanaTimeZoneValues', 'America/Indiana/Petersburg', 'AmericaIndianaPetersburg'),
	('IanaTimeZoneValues', 'America/Indiana/Tell_City', 'AmericaIndianaTellCity'),
	('IanaTimeZoneValues', 'America/Indiana/Vevay', 'AmericaIndianaVevay'),
	('IanaTimeZoneValues', 'America/Indiana/Vincennes', 'AmericaIndianaVincennes'),
	('IanaTimeZoneValues', 'America/Indiana/Winamac', 'AmericaIndianaWinamac'),
	('IanaTimeZoneValues', 'America/Indianapolis', 'AmericaIndianapolis'),
	('IanaTimeZoneValues', 'America/Inuvik', 'AmericaInuvik'),
	('IanaTimeZoneValues', 'America/Iqaluit', 'AmericaIqaluit'),
	('IanaTimeZoneValues', 'America/Jamaica', 'AmericaJamaica'),
	('IanaTimeZoneValues', 'America/Jujuy', 'AmericaJujuy'),
	('IanaTimeZoneValues', 'America/Juneau', 'AmericaJuneau'),
	('IanaTimeZoneValues', 'America/Kentucky/Louisville', 'AmericaKentuckyLouisville'),
	('IanaTimeZoneValues', 'America/Kentucky/Monticello', 'AmericaKentuckyMonticello'),
	('IanaTimeZoneValues', 'America/Knox_IN', 'AmericaKnoxIN'),
	('IanaTimeZoneValues', 'America/Kralendijk', 'AmericaKralendijk'),
	('IanaTimeZoneValues', 'America/La_Paz', 'AmericaLaPaz'),
	('IanaTimeZoneValues', 'America/Lima', 'AmericaLima'),
	('IanaTimeZoneValues', 'America/Los_Angeles', 'AmericaLosAngeles'),
	('IanaTimeZoneValues', 'America/Louisville', 'AmericaLouisville'),
	('IanaTimeZoneValues', 'America/Lower_Princes', 'AmericaLowerPrinces'),
	('IanaTimeZoneValues', 'America/Maceio', 'AmericaMaceio'),
	('IanaTimeZoneValues', 'America/Managua', 'AmericaManagua'),
	('IanaTimeZoneValues', 'America/Manaus', 'AmericaManaus'),
	('IanaTimeZoneValues', 'America/Marigot', 'AmericaMarigot'),
	('IanaTimeZoneValues', 'America/Martinique', 'AmericaMartinique'),
	('IanaTimeZoneValues', 'America/Matamoros', 'AmericaMatamoros'),
	('IanaTimeZoneValues', 'America/Mazatlan', 'AmericaMazatlan'),
	('IanaTimeZoneValues', 'America/Mendoza', 'AmericaMendoza'),
	('IanaTimeZoneValues', 'America/Menominee', 'AmericaMenominee'),
	('IanaTimeZoneValues', 'America/Merida', 'AmericaMerida'),
	('IanaTimeZoneValues', 'America/Metlakatla', 'AmericaMetlakatla'),
	('IanaTimeZoneValues', 'America/Mexico_City', 'AmericaMexicoCity'),
	('IanaTimeZoneValues', 'America/Miquelon', 'AmericaMiquelon'),
	('IanaTimeZoneValues', 'America/Moncton', 'AmericaMoncton'),
	('IanaTimeZoneValues', 'America/Monterrey', 'AmericaMonterrey'),
	('IanaTimeZoneValues', 'America/Montevideo', 'AmericaMontevideo'),
	('IanaTimeZoneValues', 'America/Montreal', 'AmericaMontreal'),
	('IanaTimeZoneValues', 'America/Montserrat', 'AmericaMontserrat'),
	('IanaTimeZoneValues', 'America/Nassau', 'AmericaNassau'),
	('IanaTimeZoneValues', 'America/New_York', 'AmericaNewYork'),
	('IanaTimeZoneValues', 'America/Nipigon', 'AmericaNipigon'),
	('IanaTimeZoneValues', 'America/Nome', 'AmericaNome'),
	('IanaTimeZoneValues', 'America/Noronha', 'AmericaNoronha'),
	('IanaTimeZoneValues', 'America/North_Dakota/Beulah', 'AmericaNorthDakotaBeulah'),
	('IanaTimeZoneValues', 'America/North_Dakota/Center', 'AmericaNorthDakotaCenter'),
	('IanaTimeZoneValues', 'America/North_Dakota/New_Salem', 'AmericaNorthDakotaNewSalem'),
	('IanaTimeZoneValues', 'America/Nuuk', 'AmericaNuuk'),
	('IanaTimeZoneValues', 'America/Ojinaga', 'AmericaOjinaga'),
	('IanaTimeZoneValues', 'America/Panama', 'AmericaPanama'),
	('IanaTimeZoneValues', 'America/Pangnirtung', 'AmericaPangnirtung'),
	('IanaTimeZoneValues', 'America/Paramaribo', 'AmericaParamaribo'),
	('IanaTimeZoneValues', 'America/Phoenix', 'AmericaPhoenix'),
	('IanaTimeZoneValues', 'America/Port-au-Prince', 'AmericaPortAuPrince'),
	('IanaTimeZoneValues', 'America/Port_of_Spain', 'AmericaPortOfSpain'),
	('IanaTimeZoneValues', 'America/Porto_Acre', 'AmericaPortoAcre'),
	('IanaTimeZoneValues', 'America/Porto_Velho', 'AmericaPortoVelho'),
	('IanaTimeZoneValues', 'America/Puerto_Rico', 'AmericaPuertoRico'),
	('IanaTimeZoneValues', 'America/Punta_Arenas', 'AmericaPuntaArenas'),
	('IanaTimeZoneValues', 'America/Rainy_River', 'AmericaRainyRiver'),
	('IanaTimeZoneValues', 'America/Rankin_Inlet', 'AmericaRankinInlet'),
	('IanaTimeZoneValues', 'America/Recife', 'AmericaRecife'),
	('IanaTimeZoneValues', 'America/Regina', 'AmericaRegina'),
	('IanaTimeZoneValues', 'America/Resolute', 'AmericaResolute'),
	('IanaTimeZoneValues', 'America/Rio_Branco', 'AmericaRioBranco'),
	('IanaTimeZoneValues', 'America/Rosario', 'AmericaRosario'),
	('IanaTimeZoneValues', 'America/Santa_Isabel', 'AmericaSantaIsabel'),
	('IanaTimeZoneValues', 'America/Santarem', 'AmericaSantarem'),
	('IanaTimeZoneValues', 'America/Santiago', 'AmericaSantiago'),
	('IanaTimeZoneValues', 'America/Santo_Domingo', 'AmericaSantoDomingo'),
	('IanaTimeZoneValues', 'America/Sao_Paulo', 'AmericaSaoPaulo'),
	('IanaTimeZoneValues', 'America/Scoresbysund', 'AmericaScoresbysund'),
	('IanaTimeZoneValues', 'America/Shiprock', 'AmericaShiprock'),
	('IanaTimeZoneValues', 'America/Sitka', 'AmericaSitka'),
	('IanaTimeZoneValues', 'America/St_Barthelemy', 'AmericaStBarthelemy'),
	('IanaTimeZoneValues', 'America/St_Johns', 'AmericaStJohns'),
	('IanaTimeZoneValues', 'America/St_Kitts', 'AmericaStKitts'),
	('IanaTimeZoneValues', 'America/St_Lucia', 'AmericaStLucia'),
	('IanaTimeZoneValues', 'America/St_Thomas', 'AmericaStThomas'),
	('IanaTimeZoneValues', 'America/St_Vincent', 'AmericaStVincent'),
	('IanaTimeZoneValues', 'America/Swift_Current', 'AmericaSwiftCurrent'),
	('IanaTimeZoneValues', 'America/Tegucigalpa', 'AmericaTegucigalpa'),
	('IanaTimeZoneValues', 'America/Thule', 'AmericaThule'),
	('IanaTimeZoneValues', 'America/Thunder_Bay', 'AmericaThunderBay'),
	('IanaTimeZoneValues', 'America/Tijuana', 'AmericaTijuana'),
	('IanaTimeZoneValues', 'America/Toronto', 'AmericaToronto'),
	('IanaTimeZoneValues', 'America/Tortola', 'AmericaTortola'),
	('IanaTimeZoneValues', 'America/Vancouver', 'AmericaVancouver'),
	('IanaTimeZoneValues', 'America/Virgin', 'AmericaVirgin'),
	('IanaTimeZoneValues', 'America/Whitehorse', 'AmericaWhitehorse'),
	('IanaTimeZoneValues', 'America/Winnipeg', 'AmericaWinnipeg'),
	('IanaTimeZoneValues', 'America/Yakutat', 'AmericaYakutat'),
	('IanaTimeZoneValues', 'America/Yellowknife', 'AmericaYellowknife'),
	('IanaTimeZoneValues', 'Antarctica/Casey', 'AntarcticaCasey'),
	('IanaTimeZoneValues', 'Antarctica/Davis', 'AntarcticaDavis'),
	('IanaTimeZoneValues', 'Antarctica/DumontDUrville', 'AntarcticaDumontDUrville'),
	('IanaTimeZoneValues', 'Antarctica/Macquarie', 'AntarcticaMacquarie'),
	('IanaTimeZoneValues', 'Antarctica/Mawson', 'AntarcticaMawson'),
	('IanaTimeZoneValues', 'Antarctica/McMurdo', 'AntarcticaMcMurdo'),
	('IanaTimeZoneValues', 'Antarctica/Palmer', 'AntarcticaPalmer'),
	('IanaTimeZoneValues', 'Antarctica/Rothera', 'AntarcticaRothera'),
	('IanaTimeZoneValues', 'Antarctica/South_Pole', 'AntarcticaSouthPole'),
	('IanaTimeZoneValues', 'Antarctica/Syowa', 'AntarcticaSyowa'),
	('IanaTimeZoneValues', 'Antarctica/Troll', 'AntarcticaTroll'),
	('IanaTimeZoneValues', 'Antarctica/Vostok', 'AntarcticaVostok'),
	('IanaTimeZoneValues', 'Arctic/Longyearbyen', 'ArcticLongyearbyen'),
	('IanaTimeZoneValues', 'Asia/Aden', 'AsiaAden'),
	('IanaTimeZoneValues', 'Asia/Almaty', 'AsiaAlmaty'),
	('IanaTimeZoneValues', 'Asia/Amman', 'AsiaAmman'),
	('IanaTimeZoneValues', 'Asia/Anadyr', 'AsiaAnadyr'),
	('IanaTimeZoneValues', 'Asia/Aqtau', 'AsiaAqtau'),
	('IanaTimeZoneValues', 'Asia/Aqtobe', 'AsiaAqtobe'),
	('IanaTimeZoneValues', 'Asia/Ashgabat', 'AsiaAshgabat'),
	('IanaTimeZoneValues', 'Asia/Ashkhabad', 'AsiaAshkhabad'),
	('IanaTimeZoneValues', 'Asia/Atyrau', 'AsiaAtyrau'),
	('IanaTimeZoneValues', 'Asia/Baghdad', 'AsiaBaghdad'),
	('IanaTimeZoneValues', 'Asia/Bahrain', 'AsiaBahrain'),
	('IanaTimeZoneValues', 'Asia/Baku', 'AsiaBaku'),
	('IanaTimeZoneValues', 'Asia/Bangkok', 'AsiaBangkok'),
	('IanaTimeZoneValues', 'Asia/Barnaul', 'AsiaBarnaul'),
	('IanaTimeZoneValues', 'Asia/Beirut', 'AsiaBeirut'),
	('IanaTimeZoneValues', 'Asia/Bishkek', 'AsiaBishkek'),
	('IanaTimeZoneValues', 'Asia/Brunei', 'AsiaBrunei'),
	('IanaTimeZoneValues', 'Asia/Calcutta', 'AsiaCalcutta'),
	('IanaTimeZoneValues', 'Asia/Chita', 'AsiaChita'),
	('IanaTimeZoneValues', 'Asia/Choibalsan', 'AsiaChoibalsan'),
	('IanaTimeZoneValues', 'Asia/Chongqing', 'AsiaChongqing'),
	('IanaTimeZoneValues', 'Asia/Chungking', 'AsiaChungking'),
	('IanaTimeZoneValues', 'Asia/Colombo', 'AsiaColombo'),
	('IanaTimeZoneValues', 'Asia/Dacca', 'AsiaDacca'),
	('IanaTimeZoneValues', 'Asia/Damascus', 'AsiaDamascus'),
	('IanaTimeZoneValues', 'Asia/Dhaka', 'AsiaDhaka'),
	('IanaTimeZoneValues', 'Asia/Dili', 'AsiaDili'),
	('IanaTimeZoneValues', 'Asia/Dubai', 'AsiaDubai'),
	('IanaTimeZoneValues', 'Asia/Dushanbe', 'AsiaDushanbe'),
	('IanaTimeZoneValues', 'Asia/Famagusta', 'AsiaFamagusta'),
	('IanaTimeZoneValues', 'Asia/Gaza', 'AsiaGaza'),
	('IanaTimeZoneValues', 'Asia/Harbin', 'AsiaHarbin'),
	('IanaTimeZoneValues', 'Asia/Hebron', 'AsiaHebron'),
	('IanaTimeZoneValues', 'Asia/Ho_Chi_Minh', 'AsiaHoChiMinh'),
	('IanaTimeZoneValues', 'Asia/Hong_Kong', 'AsiaHongKong'),
	('IanaTimeZoneValues', 'Asia/Hovd', 'AsiaHovd'),
	('IanaTimeZoneValues', 'Asia/Irkutsk', 'AsiaIrkutsk'),
	('IanaTimeZoneValues', 'Asia/Istanbul', 'AsiaIstanbul'),
	('IanaTimeZoneValues', 'Asia/Jakarta', 'AsiaJakarta'),
	('IanaTimeZoneValues', 'Asia/Jayapura', 'AsiaJayapura'),
	('IanaTimeZoneValues', 'Asia/Jerusalem', 'AsiaJerusalem'),
	('IanaTimeZoneValues', 'Asia/Kabul', 'AsiaKabul'),
	('IanaTimeZoneValues', 'Asia/Kamchatka', 'AsiaKamchatka'),
	('IanaTimeZoneValues', 'Asia/Karachi', 'AsiaKarachi'),
	('IanaTimeZoneValues', 'Asia/Kashgar', 'AsiaKashgar'),
	('IanaTimeZoneValues', 'Asia/Kathmandu', 'AsiaKathmandu'),
	('IanaTimeZoneValues', 'Asia/Katmandu', 'AsiaKatmandu'),
	('IanaTimeZoneValues', 'Asia/Khandyga', 'AsiaKhandyga'),
	('IanaTimeZoneValues', 'Asia/Kolkata', 'AsiaKolkata'),
	('IanaTimeZoneValues', 'Asia/Krasnoyarsk', 'AsiaKrasnoyarsk'),
	('IanaTimeZoneValues', 'Asia/Kuala_Lumpur', 'AsiaKualaLumpur'),
	('IanaTimeZoneValues', 'Asia/Kuching', 'AsiaKuching'),
	('IanaTimeZoneValues', 'Asia/Kuwait', 'AsiaKuwait'),
	('IanaTimeZoneValues', 'Asia/Macao', 'AsiaMacao'),
	('IanaTimeZoneValues', 'Asia/Macau', 'AsiaMacau'),
	('IanaTimeZoneValues', 'Asia/Magadan', 'AsiaMagadan'),
	('IanaTimeZoneValues', 'Asia/Makassar', 'AsiaMakassar'),
	('IanaTimeZoneValues', 'Asia/Manila', 'AsiaManila'),
	('IanaTimeZoneValues', 'Asia/Muscat', 'AsiaMuscat'),
	('IanaTimeZoneValues', 'Asia/Nicosia', 'AsiaNicosia'),
	('IanaTimeZoneValues', 'Asia/Novokuznetsk', 'AsiaNovokuznetsk'),
	('IanaTimeZoneValues', 'Asia/Novosibirsk', 'AsiaNovosibirsk'),
	('IanaTimeZoneValues', 'Asia/Omsk', 'AsiaOmsk'),
	('IanaTimeZoneValues', 'Asia/Oral', 'AsiaOral'),
	('IanaTimeZoneValues', 'Asia/Phnom_Penh', 'AsiaPhnomPenh'),
	('IanaTimeZoneValues', 'Asia/Pontianak', 'AsiaPontianak'),
	('IanaTimeZoneValues', 'Asia/Pyongyang', 'AsiaPyongyang'),
	('IanaTimeZoneValues', 'Asia/Qatar', 'AsiaQatar'),
	('IanaTimeZoneValues', 'Asia/Qostanay', 'AsiaQostanay'),
	('IanaTimeZoneValues', 'Asia/Qyzylorda', 'AsiaQyzylorda'),
	('IanaTimeZoneValues', 'Asia/Rangoon', 'AsiaRangoon'),
	('IanaTimeZoneValues', 'Asia/Riyadh', 'AsiaRiyadh'),
	('IanaTimeZoneValues', 'Asia/Saigon', 'AsiaSaigon'),
	('IanaTimeZoneValues', 'Asia/Sakhalin', 'AsiaSakhalin'),
	('IanaTimeZoneValues', 'Asia/Samarkand', 'AsiaSamarkand'),
	('IanaTimeZoneValues', 'Asia/Seoul', 'AsiaSeoul'),
	('IanaTimeZoneValues', 'Asia/Shanghai', 'AsiaShanghai'),
	('IanaTimeZoneValues', 'Asia/Singapore', 'AsiaSingapore'),
	('IanaTimeZoneValues', 'Asia/Srednekolymsk', 'AsiaSrednekolymsk'),
	('IanaTimeZoneValues', 'Asia/Taipei', 'AsiaTaipei'),
	('IanaTimeZoneValues', 'Asia/Tashkent', 'AsiaTashkent'),
	('IanaTimeZoneValues', 'Asia/Tbilisi', 'AsiaTbilisi'),
	('IanaTimeZoneValues', 'Asia/Tehran', 'AsiaTehran'),
	('IanaTimeZoneValues', 'Asia/Tel_Aviv', 'AsiaTelAviv'),
	('IanaTimeZoneValues', 'Asia/Thimbu', 'AsiaThimbu'),
	('IanaTimeZoneValues', 'Asia/Thimphu', 'AsiaThimphu'),
	('IanaTimeZoneValues', 'Asia/Tokyo', 'AsiaTokyo'),
	('IanaTimeZoneValues', 'Asia/Tomsk', 'AsiaTomsk'),
	('IanaTimeZoneValues', 'Asia/Ujung_Pandang', 'AsiaUjungPandang'),
	('IanaTimeZoneValues', 'Asia/Ulaanbaatar', 'AsiaUlaanbaatar'),
	('IanaTimeZoneValues', 'Asia/Ulan_Bator', 'AsiaUlanBator'),
	('IanaTimeZoneValues', 'Asia/Urumqi', 'AsiaUrumqi'),
	('IanaTimeZoneValues', 'Asia/Ust-Nera', 'AsiaUstNera'),
	('IanaTimeZoneValues', 'Asia/Vientiane', 'AsiaVientiane'),
	('IanaTimeZoneValues', 'Asia/Vladivostok', 'AsiaVladivostok'),
	('IanaTimeZoneValues', 'Asia/Yakutsk', 'AsiaYakutsk'),
	('IanaTimeZoneValues', 'Asia/Yangon', 'AsiaYangon'),
	('IanaTimeZoneValues', 'Asia/Yekaterinburg', 'AsiaYekaterinburg'),
	('IanaTimeZoneValues', 'Asia/Yerevan', 'AsiaYerevan'),
	('IanaTimeZoneValues', 'Atlantic/Azores', 'AtlanticAzores'),
	('IanaTimeZoneValues', 'Atlantic/Bermuda', 'AtlanticBermuda'),
	('IanaTimeZoneValues', 'Atlantic/Canary', 'AtlanticCanary'),
	('IanaTimeZoneValues', 'Atlantic/Cape_Verde', 'AtlanticCapeVerde'),
	('IanaTimeZoneValues', 'Atlantic/Faeroe', 'AtlanticFaeroe'),
	('IanaTimeZoneValues', 'Atlantic/Faroe', 'AtlanticFaroe'),
	('IanaTimeZoneValues', 'Atlantic/Jan_Mayen', 'AtlanticJanMayen'),
	('IanaTimeZoneValues', 'Atlantic/Madeira', 'AtlanticMadeira'),
	('IanaTimeZoneValues', 'Atlantic/Reykjavik', 'AtlanticReykjavik'),
	('IanaTimeZoneValues', 'Atlantic/South_Georgia', 'AtlanticSouthGeorgia'),
	('IanaTimeZoneValues', 'Atlantic/St_Helena', 'AtlanticStHelena'),
	('IanaTimeZoneValues', 'Atlantic/Stanley', 'AtlanticStanley'),
	('IanaTimeZoneValues', 'Australia/ACT', 'AustraliaACT'),
	('IanaTimeZoneValues', 'Australia/Adelaide', 'AustraliaAdelaide'),
	('IanaTimeZoneValues', 'Australia/Brisbane', 'AustraliaBrisbane'),
	('IanaTimeZoneValues', 'Australia/Broken_Hill', 'AustraliaBrokenHill'),
	('IanaTimeZoneValues', 'Australia/Canberra', 'AustraliaCanberra'),
	('IanaTimeZoneValues', 'Australia/Currie', 'AustraliaCurrie'),
	('IanaTimeZoneValues', 'Australia/Darwin', 'AustraliaDarwin'),
	('IanaTimeZoneValues', 'Australia/Eucla', 'AustraliaEucla'),
	('IanaTimeZoneValues', 'Australia/Hobart', 'AustraliaHobart'),
	('IanaTimeZoneValues', 'Australia/LHI', 'AustraliaLhi'),
	('IanaTimeZoneValues', 'Australia/Lindeman', 'AustraliaLindeman'),
	('IanaTimeZoneValues', 'Australia/Lord_Howe', 'AustraliaLordHowe'),
	('IanaTimeZoneValues', 'Australia/Melbourne', 'AustraliaMelbourne'),
	('IanaTimeZoneValues', 'Australia/NSW', 'AustraliaNsw'),
	('IanaTimeZoneValues', 'Australia/North', 'AustraliaNorth'),
	('IanaTimeZoneValues', 'Australia/Perth', 'AustraliaPerth'),
	('IanaTimeZoneValues', 'Australia/Queensland', 'AustraliaQueensland'),
	('IanaTimeZoneValues', 'Australia/South', 'AustraliaSouth'),
	('IanaTimeZoneValues', 'Australia/Sydney', 'AustraliaSydney'),
	('IanaTimeZoneValues', 'Australia/Tasmania', 'AustraliaTasmania'),
	('IanaTimeZoneValues', 'Australia/Victoria', 'AustraliaVictoria'),
	('IanaTimeZoneValues', 'Australia/West', 'AustraliaWest'),
	('IanaTimeZoneValues', 'Australia/Yancowinna', 'AustraliaYancowinna'),
	('IanaTimeZoneValues', 'Brazil/Acre', 'BrazilAcre'),
	('IanaTimeZoneValues', 'Brazil/DeNoronha', 'BrazilDeNoronha'),
	('IanaTimeZoneValues', 'Brazil/East', 'BrazilEast'),
	('IanaTimeZoneValues', 'Brazil/West', 'BrazilWest'),
	('IanaTimeZoneValues', 'Canada/Atlantic', 'CanadaAtlantic'),
	('IanaTimeZoneValues', 'Canada/Central', 'CanadaCentral'),
	('IanaTimeZoneValues', 'Canada/Eastern', 'CanadaEastern'),
	('IanaTimeZoneValues', 'Canada/Mountain', 'CanadaMountain'),
	('IanaTimeZoneValues', 'Canada/Newfoundland', 'CanadaNewfoundland'),
	('IanaTimeZoneValues', 'Canada/Pacific', 'CanadaPacific'),
	('IanaTimeZoneValues', 'Canada/Saskatchewan', 'CanadaSaskatchewan'),
	('IanaTimeZoneValues', 'Canada/Yukon', 'CanadaYukon'),
	('ImageOf', 'Aerial View', 'AerialView'),
	('ImageOf', 'Atrium', 'Atrium'),
	('ImageOf', 'Attic', 'Attic'),
	('ImageOf', 'Back of Structure', 'BackOfStructure'),
	('ImageOf', 'Balcony', 'Balcony'),
	('ImageOf', 'Bar', 'Bar'),
	('ImageOf', 'Barn', 'Barn'),
	('ImageOf', 'Basement', 'Basement'),
	('ImageOf', 'Basketball Court', 'BasketballCourt'),
	('ImageOf', 'Bathroom', 'Bathroom'),
	('ImageOf', 'Bedroom', 'Bedroom'),
	('ImageOf', 'Bonus Room', 'BonusRoom'),
	('ImageOf', 'Breakfast Area', 'BreakfastArea'),
	('ImageOf', 'Closet', 'Closet'),
	('ImageOf', 'Community', 'Community'),
	('ImageOf', 'Courtyard', 'Courtyard'),
	('ImageOf', 'Deck', 'Deck'),
	('ImageOf', 'Den', 'Den'),
	('ImageOf', 'Dining Area', 'DiningArea'),
	('ImageOf', 'Dining Room', 'DiningRoom'),
	('ImageOf', 'Dock', 'Dock'),
	('ImageOf', 'Entrance Foyer', 'EntranceFoyer'),
	('ImageOf', 'Entry', 'Entry'),
	('ImageOf', 'Exercise Room', 'ExerciseRoom'),
	('ImageOf', 'Family Room', 'FamilyRoom'),
	('ImageOf', 'Fence', 'Fence'),
	('ImageOf', 'Fireplace', 'Fireplace'),
	('ImageOf', 'Floor Plan', 'FloorPlan'),
	('ImageOf', 'Front of Structure', 'FrontOfStructure'),
	('ImageOf', 'Game Room', 'GameRoom'),
	('ImageOf', 'Garage', 'Garage'),
	('ImageOf', 'Garden', 'Garden'),
	('ImageOf', 'Golf Course', 'GolfCourse'),
	('ImageOf', 'Great Room', 'GreatRoom'),
	('ImageOf', 'Guest Quarters', 'GuestQuarters'),
	('ImageOf', 'Gym', 'Gym'),
	('ImageOf', 'Hallway', 'Hallway'),
	('ImageOf', 'Hobby Room', 'HobbyRoom'),
	('ImageOf', 'Inlaw', 'Inlaw'),
	('ImageOf', 'Kitchen', 'Kitchen'),
	('ImageOf', 'Lake', 'Lake'),
	('ImageOf', 'Laundry', 'Laundry'),
	('ImageOf', 'Library', 'Library'),
	('ImageOf', 'Living Room', 'LivingRoom'),
	('ImageOf', 'Loading Dock', 'LoadingDock'),
	('ImageOf', 'Lobby', 'Lobby'),
	('ImageOf', 'Loft', 'Loft'),
	('ImageOf', 'Lot', 'Lot'),
	('ImageOf', 'Map', 'Map'),
	('ImageOf', 'Master Bathroom', 'MasterBathroom'),
	('ImageOf', 'Master Bedroom', 'MasterBedroom'),
	('ImageOf', 'Media Room', 'MediaRoom'),
	('ImageOf', 'Mud Room', 'MudRoom'),
	('ImageOf', 'Nursery', 'Nursery'),
	('ImageOf', 'Office', 'Office'),
	('ImageOf', 'Other', 'Other'),
	('ImageOf', 'Out Buildings', 'OutBuildings'),
	('ImageOf', 'Pantry', 'Pantry'),
	('ImageOf', 'Parking', 'Parking'),
	('ImageOf', 'Patio', 'Patio'),
	('ImageOf', 'Pier', 'Pier'),
	('ImageOf', 'Plat Map', 'PlatMap'),
	('ImageOf', 'Playground', 'Playground'),
	('ImageOf', 'Pond', 'Pond'),
	('ImageOf', 'Pool', 'Pool'),
	('ImageOf', 'Reception', 'Reception'),
	('ImageOf', 'Recreation Room', 'RecreationRoom'),
	('ImageOf', 'Sauna', 'Sauna'),
	('ImageOf', 'Showroom', 'Showroom'),
	('ImageOf', 'Side of Structure', 'SideOfStructure'),
	('ImageOf', 'Sitting Room', 'SittingRoom'),
	('ImageOf', 'Spa', 'Spa'),
	('ImageOf', 'Stable', 'Stable'),
	('ImageOf', 'Stairs', 'Stairs'),
	('ImageOf', 'Storage', 'Storage'),
	('ImageOf', 'Studio', 'Studio'),
	('ImageOf', 'Study', 'Study'),
	('ImageOf', 'Sun Room', 'SunRoom'),
	('ImageOf', 'Tennis Court', 'TennisCourt'),
	('ImageOf', 'Utility Room', 'UtilityRoom'),
	('ImageOf', 'View', 'View'),
	('ImageOf', 'Walk-In Closet(s)', 'WalkInClosets'),
	('ImageOf', 'Waterfront', 'Waterfront'),
	('ImageOf', 'Wine Cellar', 'WineCellar'),
	('ImageOf', 'Workshop', 'Workshop'),
	('ImageOf', 'Yard', 'Yard'),
	('IncomeIncludes', 'Laundry', 'Laundry'),
	('IncomeIncludes', 'Parking', 'Parking'),
	('IncomeIncludes', 'RV Storage', 'RvStorage'),
	('IncomeIncludes', 'Recreation', 'Recreation'),
	('IncomeIncludes', 'Rent Only', 'RentOnly'),
	('IncomeIncludes', 'Storage', 'Storage'),
	('InteriorOrRoomFeatures', 'Bar', 'Bar'),
	('InteriorOrRoomFeatures', 'Beamed Ceilings', 'BeamedCeilings'),
	('InteriorOrRoomFeatures', 'Bidet', 'Bidet'),
	('InteriorOrRoomFeatures', 'Bookcases', 'Bookcases'),
	('InteriorOrRoomFeatures', 'Breakfast Bar', 'BreakfastBar'),
	('InteriorOrRoomFeatures', 'Built-in Features', 'BuiltInFeatures'),
	('InteriorOrRoomFeatures', 'Cathedral Ceiling(s)', 'CathedralCeilings'),
	('InteriorOrRoomFeatures', 'Cedar Closet(s)', 'CedarClosets'),
	('InteriorOrRoomFeatures', 'Ceiling Fan(s)', 'CeilingFans'),
	('InteriorOrRoomFeatures', 'Central Vacuum', 'CentralVacuum'),
	('InteriorOrRoomFeatures', 'Chandelier', 'Chandelier'),
	('InteriorOrRoomFeatures', 'Coffered Ceiling(s)', 'CofferedCeilings'),
	('InteriorOrRoomFeatures', 'Crown Molding', 'CrownMolding'),
	('InteriorOrRoomFeatures', 'Double Vanity', 'DoubleVanity'),
	('InteriorOrRoomFeatures', 'Dry Bar', 'DryBar'),
	('InteriorOrRoomFeatures', 'Dumbwaiter', 'Dumbwaiter'),
	('InteriorOrRoomFeatures', 'Eat-in Kitchen', 'EatInKitchen'),
	('InteriorOrRoomFeatures', 'Elevator', 'Elevator'),
	('InteriorOrRoomFeatures', 'Entrance Foyer', 'EntranceFoyer'),
	('InteriorOrRoomFeatures', 'Granite Counters', 'GraniteCounters'),
	('InteriorOrRoomFeatures', 'High Ceilings', 'HighCeilings'),
	('InteriorOrRoomFeatures', 'High Speed Internet', 'HighSpeedInternet'),
	('InteriorOrRoomFeatures', 'His and Hers Closets', 'HisAndHersClosets'),
	('InteriorOrRoomFeatures', 'In-Law Floorplan', 'InLawFloorplan'),
	('InteriorOrRoomFeatures', 'Kitchen Island', 'KitchenIsland'),
	('InteriorOrRoomFeatures', 'Laminate Counters', 'LaminateCounters'),
	('InteriorOrRoomFeatures', 'Low Flow Plumbing Fixtures', 'LowFlowPlumbingFixtures'),
	('InteriorOrRoomFeatures', 'Master Downstairs', 'MasterDownstairs'),
	('InteriorOrRoomFeatures', 'Natural Woodwork', 'NaturalWoodwork'),
	('InteriorOrRoomFeatures', 'Open Floorplan', 'OpenFloorplan'),
	('InteriorOrRoomFeatures', 'Other', 'Other'),
	('InteriorOrRoomFeatures', 'Pantry', 'Pantry'),
	('InteriorOrRoomFeatures', 'Recessed Lighting', 'RecessedLighting'),
	('InteriorOrRoomFeatures', 'Sauna', 'Sauna'),
	('InteriorOrRoomFeatures', 'See Remarks', 'SeeRemarks'),
	('InteriorOrRoomFeatures', 'Smart Camera(s)/Recording', 'SmartCamerasRecording'),
	('InteriorOrRoomFeatures', 'Smart Home', 'SmartHome'),
	('InteriorOrRoomFeatures', 'Smart Light(s)', 'SmartLights'),
	('InteriorOrRoomFeatures', 'Smart Thermostat', 'SmartThermostat'),
	('InteriorOrRoomFeatures', 'Soaking Tub', 'SoakingTub'),
	('InteriorOrRoomFeatures', 'Solar Tube(s)', 'SolarTubes'),
	('InteriorOrRoomFeatures', 'Sound System', 'SoundSystem'),
	('InteriorOrRoomFeatures', 'Stone Counters', 'StoneCounters'),
	('InteriorOrRoomFeatures', 'Storage', 'Storage'),
	('InteriorOrRoomFeatures', 'Tile Counters', 'TileCounters'),
	('InteriorOrRoomFeatures', 'Track Lighting', 'TrackLighting'),
	('InteriorOrRoomFeatures', 'Tray Ceiling(s)', 'TrayCeilings'),
	('InteriorOrRoomFeatures', 'Vaulted Ceiling(s)', 'VaultedCeilings'),
	('InteriorOrRoomFeatures', 'Walk-In Closet(s)', 'WalkInClosets'),
	('InteriorOrRoomFeatures', 'WaterSense Fixture(s)', 'WaterSenseFixtures'),
	('InteriorOrRoomFeatures', 'Wet Bar', 'WetBar'),
	('InteriorOrRoomFeatures', 'Wired for Data', 'WiredForData'),
	('InteriorOrRoomFeatures', 'Wired for Sound', 'WiredForSound'),
	('LaborInformation', 'Employee License Required', 'EmployeeLicenseRequired'),
	('LaborInformation', 'Non-Union', 'NonUnion'),
	('LaborInformation', 'Union', 'Union'),
	('Languages', 'Abkhazian', 'Abkhazian'),
	('Languages', 'Afar', 'Afar'),
	('Languages', 'Afrikaans', 'Afrikaans'),
	('Languages', 'Albanian', 'Albanian'),
	('Languages', 'American Sign Language', 'AmericanSignLanguage'),
	('Languages', 'Amharic', 'Amharic'),
	('Languages', 'Arabic', 'Arabic'),
	('Languages', 'Aramaic', 'Aramaic'),
	('Languages', 'Armenian', 'Armenian'),
	('Languages', 'Assamese', 'Assamese'),
	('Languages', 'Assyrian Neo-Aramaic', 'AssyrianNeoAramaic'),
	('Languages', 'Avestan', 'Avestan'),
	('Languages', 'Aymara', 'Aymara'),
	('Languages', 'Azerbaijani', 'Azerbaijani'),
	('Languages', 'Bambara', 'Bambara'),
	('Languages', 'Bashkir', 'Bashkir'),
	('Languages', 'Basque', 'Basque'),
	('Languages', 'Bengali', 'Bengali'),
	('Languages', 'Bihari', 'Bihari'),
	('Languages', 'Bikol', 'Bikol'),
	('Languages', 'Bislama', 'Bislama'),
	('Languages', 'Bosnian', 'Bosnian'),
	('Languages', 'Brazilian Portuguese', 'BrazilianPortuguese'),
	('Languages', 'Bulgarian', 'Bulgarian'),
	('Languages', 'Burmese', 'Burmese'),
	('Languages', 'Byelorussian', 'Byelorussian'),
	('Languages', 'Cambodian', 'Cambodian'),
	('Languages', 'Cantonese', 'Cantonese'),
	('Languages', 'Cape Verdean Creole', 'CapeVerdeanCreole'),
	('Languages', 'Catalan', 'Catalan'),
	('Languages', 'Cebuano', 'Cebuano'),
	('Languages', 'Chamorro', 'Chamorro'),
	('Languages', 'Chechen', 'Chechen'),
	('Languages', 'Chinese', 'Chinese'),
	('Languages', 'Chuukese', 'Chuukese'),
	('Languages', 'Chuvash', 'Chuvash'),
	('Languages', 'Cornish', 'Cornish'),
	('Languages', 'Corsican', 'Corsican'),
	('Languages', 'Croatian', 'Croatian'),
	('Languages', 'Czech', 'Czech'),
	('Languages', 'Danish', 'Danish'),
	('Languages', 'Dari (Afghan Persian)', 'Dari'),
	('Languages', 'Dioula', 'Dioula'),
	('Languages', 'Dutch', 'Dutch'),
	('Languages', 'Dzongkha', 'Dzongkha'),
	('Languages', 'English', 'English'),
	('Languages', 'Esperanto', 'Esperanto'),
	('Languages', 'Estonian', 'Estonian'),
	('Languages', 'Faroese', 'Faroese'),
	('Languages', 'Farsi', 'Farsi'),
	('Languages', 'Fiji', 'Fiji'),
	('Languages', 'Finnish', 'Finnish'),
	('Languages', 'Flemish', 'Flemish'),
	('Languages', 'French', 'French'),
	('Languages', 'Frisian', 'Frisian'),
	('Languages', 'Galician', 'Galician'),
	('Languages', 'Georgian', 'Georgian'),
	('Languages', 'German', 'German'),
	('Languages', 'Greek', 'Greek'),
	('Languages', 'Greenlandic', 'Greenlandic'),
	('Languages', 'Guarani', 'Guarani'),
	('Languages', 'Gujarati', 'Gujarati'),
	('Languages', 'Haitian Creole', 'HaitianCreole'),
	('Languages', 'Hausa', 'Hausa'),
	('Languages', 'Hebrew', 'Hebrew'),
	('Languages', 'Herero', 'Herero'),
	('Languages', 'Hiligaynon', 'Hiligaynon'),
	('Languages', 'Hindi', 'Hindi'),
	('Languages', 'Hiri Motu', 'HiriMotu'),
	('Languages', 'Hmong', 'Hmong'),
	('Languages', 'Hungarian', 'Hungarian'),
	('Languages', 'Iban', 'Iban'),
	('Languages', 'Icelandic', 'Icelandic'),
	('Languages', 'Igbo', 'Igbo'),
	('Languages', 'Ilocano', 'Ilocano'),
	('Languages', 'Indonesian', 'Indonesian'),
	('Languages', 'Interlingua', 'Interlingua'),
	('Languages', 'Inuktitut', 'Inuktitut'),
	('Languages', 'Inupiak', 'Inupiak'),
	('Languages', 'Irish (Gaelic)', 'Irish'),
	('Languages', 'Italian', 'Italian'),
	('Languages', 'Japanese', 'Japanese'),
	('Languages', 'Javanese', 'Javanese'),
	('Languages', 'K''iche''', 'KIche'),
	('Languages', 'Kannada', 'Kannada'),
	('Languages', 'Kashmiri', 'Kashmiri'),
	('Languages', 'Kazakh', 'Kazakh'),
	('Languages', 'Kichwa', 'Kichwa'),
	('Languages', 'Kikuyu', 'Kikuyu'),
	('Languages', 'Kinyarwanda', 'Kinyarwanda'),
	('Languages', 'Kirghiz', 'Kirghiz'),
	('Languages', 'Kirundi', 'Kirundi'),
	('Languages', 'Komi', 'Komi'),
	('Languages', 'Korean', 'Korean'),
	('Languages', 'Kpelle', 'Kpelle'),
	('Languages', 'Kru', 'Kru'),
	('Languages', 'Kurdish', 'Kurdish'),
	('Languages', 'Lao', 'Lao'),
	('Languages', 'Latin', 'Latin'),
	('Languages', 'Latvian', 'Latvian'),
	('Languages', 'Lingala', 'Lingala'),
	('Languages', 'Lithuanian', 'Lithuanian'),
	('Languages', 'Luxemburgish', 'Luxemburgish'),
	('Languages', 'Macedonian', 'Macedonian'),
	('Languages', 'Malagasy', 'Malagasy'),
	('Languages', 'Malay', 'Malay'),
	('Languages', 'Malayalam', 'Malayalam'),
	('Languages', 'Maltese', 'Maltese'),
	('Languages', 'Mandarin', 'Mandarin'),
	('Languages', 'Maninka', 'Maninka'),
	('Languages', 'Manx Gaelic', 'ManxGaelic'),
	('Languages', 'Maori', 'Maori'),
	('Languages', 'Marathi', 'Marathi'),
	('Languages', 'Marshallese', 'Marshallese'),
	('Languages', 'Moldovan', 'Moldovan'),
	('Languages', 'Mongolian', 'Mongolian'),
	('Languages', 'Nauru', 'Nauru'),
	('Languages', 'Navajo', 'Navajo'),
	('Languages', 'Ndebele', 'Ndebele'),
	('Languages', 'Ndonga', 'Ndonga'),
	('Languages', 'Nepali', 'Nepali'),
	('Languages', 'Norwegian', 'Norwegian'),
	('Languages', 'Norwegian (Nynorsk)', 'NorwegianNynorsk'),
	('Languages', 'Nyanja', 'Nyanja'),
	('Languages', 'Occitan', 'Occitan'),
	('Languages', 'Oriya', 'Oriya'),
	('Languages', 'Oromo', 'Oromo'),
	('Languages', 'Ossetian', 'Ossetian'),
	('Languages', 'Pali', 'Pali'),
	('Languages', 'Pangasinan', 'Pangasinan'),
	('Languages', 'Papiamento', 'Papiamento'),
	('Languages', 'Pashto', 'Pashto'),
	('Languages', 'Polish', 'Polish'),
	('Languages', 'Portuguese', 'Portuguese'),
	('Languages', 'Punjabi', 'Punjabi'),
	('Languages', 'Quechua', 'Quechua'),
	('Languages', 'Romanian', 'Romanian'),
	('Languages', 'Romany', 'Romany'),
	('Languages', 'Russian', 'Russian'),
	('Languages', 'Sami', 'Sami'),
	('Languages', 'Samoan', 'Samoan'),
	('Languages', 'Sangho', 'Sangho'),
	('Languages', 'Sanskrit', 'Sanskrit'),
	('Languages', 'Sardinian', 'Sardinian'),
	('Languages', 'Scots Gaelic', 'ScotsGaelic'),
	('Languages', 'Serbian', 'Serbian'),
	('Languages', 'Serbo-Croatian', 'SerboCroatian'),
	('Languages', 'Sesotho', 'Sesotho'),
	('Languages', 'Setswana', 'Setswana'),
	('Languages', 'Shan', 'Shan'),
	('Languages', 'Shona', 'Shona'),
	('Languages', 'Sindhi', 'Sindhi'),
	('Languages', 'Sinhalese', 'Sinhalese'),
	('Languages', 'Siswati', 'Siswati'),
	('Languages', 'Slovak', 'Slovak'),
	('Languages', 'Slovenian', 'Slovenian'),
	('Languages', 'Somali', 'Somali'),
	('Languages', 'Southern Ndebele', 'SouthernNdebele'),
	('Languages', 'Spanish', 'Spanish'),
	('Languages', 'Sundanese', 'Sundanese'),
	('Languages', 'Swahili', 'Swahili'),
	('Languages', 'Swedish', 'Swedish'),
	('Languages', 'Syriac', 'Syriac'),
	('Languages', 'Tagalog', 'Tagalog'),
	('Languages', 'Tahitian', 'Tahitian'),
	('Languages', 'Tajik', 'Tajik'),
	('Languages', 'Tamil', 'Tamil'),
	('Languages', 'Tatar', 'Tatar'),
	('Languages', 'Telugu', 'Telugu'),
	('Languages', 'Thai', 'Thai'),
	('Languages', 'Tibetan', 'Tibetan'),
	('Languages', 'Tigrinya', 'Tigrinya'),
	('Languages', 'Tongan', 'Tongan'),
	('Languages', 'Tsonga', 'Tsonga'),
	('Languages', 'Turkish', 'Turkish'),
	('Languages', 'Turkmen', 'Turkmen'),
	('Languages', 'Twi', 'Twi'),
	('Languages', 'Uigur', 'Uigur'),
	('Languages', 'Ukrainian', 'Ukrainian'),
	('Languages', 'Urdu', 'Urdu'),
	('Languages', 'Uzbek', 'Uzbek'),
	('Languages', 'Vietnamese', 'Vietnamese'),
	('Languages', 'Volapuk', 'Volapuk'),
	('Languages', 'Welsh', 'Welsh'),
	('Languages', 'Wolof', 'Wolof'),
	('Languages', 'Xhosa', 'Xhosa'),
	('Languages', 'Yiddish', 'Yiddish'),
	('Languages', 'Yoruba', 'Yoruba'),
	('Languages', 'Zhuang', 'Zhuang'),
	('Languages', 'Zulu', 'Zulu'),
	('LaundryFeatures', 'Common Area', 'CommonArea'),
	('LaundryFeatures', 'Electric Dryer Hookup', 'ElectricDryerHookup'),
	('LaundryFeatures', 'Gas Dryer Hookup', 'GasDryerHookup'),
	('LaundryFeatures', 'In Basement', 'InBasement'),
	('LaundryFeatures', 'In Bathroom', 'InBathroom'),
	('LaundryFeatures', 'In Carport', 'InCarport'),
	('LaundryFeatures', 'In Garage', 'InGarage'),
	('LaundryFeatures', 'In Hall', 'InHall'),
	('LaundryFeatures', 'In Kitchen', 'InKitchen'),
	('LaundryFeatures', 'In Unit', 'InUnit'),
	('LaundryFeatures', 'Inside', 'Inside'),
	('LaundryFeatures', 'Laundry Chute', 'LaundryChute'),
	('LaundryFeatures', 'Laundry Closet', 'LaundryCloset'),
	('LaundryFeatures', 'Laundry Room', 'LaundryRoom'),
	('LaundryFeatures', 'Lower Level', 'LowerLevel'),
	('LaundryFeatures', 'Main Level', 'MainLevel'),
	('LaundryFeatures', 'Multiple Locations', 'MultipleLocations'),
	('LaundryFeatures', 'None', 'None'),
	('LaundryFeatures', 'Other', 'Other'),
	('LaundryFeatures', 'Outside', 'Outside'),
	('LaundryFeatures', 'See Remarks', 'SeeRemarks'),
	('LaundryFeatures', 'Sink', 'Sink'),
	('LaundryFeatures', 'Upper Level', 'UpperLevel'),
	('LaundryFeatures', 'Washer Hookup', 'WasherHookup'),
	('LeaseRenewalCompensation', 'Call Listing Agent', 'CallListingAgent'),
	('LeaseRenewalCompensation', 'Call Listing Office', 'CallListingOffice'),
	('LeaseRenewalCompensation', 'Commission Paid On Tenant Purchase', 'CommissionPaidOnTenantPurchase'),
	('LeaseRenewalCompensation', 'No Renewal Commission', 'NoRenewalCommission'),
	('LeaseRenewalCompensation', 'Renewal Commission Paid', 'RenewalCommissionPaid'),
	('LeaseTerm', '12 Months', 'TwelveMonths'),
	('LeaseTerm', '24 Months', 'TwentyFourMonths'),
	('LeaseTerm', '6 Months', 'SixMonths'),
	('LeaseTerm', 'Month To Month', 'MonthToMonth'),
	('LeaseTerm', 'Negotiable', 'Negotiable'),
	('LeaseTerm', 'None', 'None'),
	('LeaseTerm', 'Other', 'Other'),
	('LeaseTerm', 'Renewal Option', 'RenewalOption'),
	('LeaseTerm', 'Short Term Lease', 'ShortTermLease'),
	('LeaseTerm', 'Weekly', 'Weekly'),
	('Levels', 'Bi-Level', 'BiLevel'),
	('Levels', 'Multi/Split', 'MultiSplit'),
	('Levels', 'One', 'One'),
	('Levels', 'One and One Half', 'OneAndOneHalf'),
	('Levels', 'Quad-Level', 'QuadLevel'),
	('Levels', 'Three Or More', 'ThreeOrMore'),
	('Levels', 'Tri-Level', 'TriLevel'),
	('Levels', 'Two', 'Two'),
	('LinearUnits', 'Feet', 'Feet'),
	('LinearUnits', 'Meters', 'Meters'),
	('ListAgentDesignation', 'Accredited Buyer''s Representative / ABR', 'AccreditedBuyersRepresentative'),
	('ListAgentDesignation', 'Accredited Land Consultant / ALC', 'AccreditedLandConsultant'),
	('ListAgentDesignation', 'At Home With Diversity / AHWD', 'AtHomeWithDiversity'),
	('ListAgentDesignation', 'Certified Commercial Investment Member / CCIM', 'CertifiedCommercialInvestmentMember'),
	('ListAgentDesignation', 'Certified Distressed Property Expert / CDPE', 'CertifiedDistressedPropertyExpert'),
	('ListAgentDesignation', 'Certified International Property Specialist / CIPS', 'CertifiedInternationalPropertySpecialist'),
	('ListAgentDesignation', 'Certified Property Manager / CPM', 'CertifiedPropertyManager'),
	('ListAgentDesignation', 'Certified Real Estate Brokerage Manager / CRB', 'CertifiedRealEstateBrokerageManager'),
	('ListAgentDesignation', 'Certified Real Estate Team Specialist / C-RETS', 'CertifiedRealEstateTeamSpecialist'),
	('ListAgentDesignation', 'Certified Residential Specialist / CRS', 'CertifiedResidentialSpecialist'),
	('ListAgentDesignation', 'Counselor of Real Estate / CRE', 'CounselorOfRealEstate'),
	('ListAgentDesignation', 'General Accredited Appraiser / GAA', 'GeneralAccreditedAppraiser'),
	('ListAgentDesignation', 'Graduate, REALTOR Institute / GRI', 'GraduateRealtorInstitute'),
	('ListAgentDesignation', 'Military Relocation Professional / MRP', 'MilitaryRelocationProfessional'),
	('ListAgentDesignation', 'NAR''s Green Designation / GREEN', 'NARsGreenDesignation'),
	('ListAgentDesignation', 'Performance Management Network / PMN', 'PerformanceManagementNetwork'),
	('ListAgentDesignation', 'Pricing Strategy Advisor / PSA', 'PricingStrategyAdvisor'),
	('ListAgentDesignation', 'REALTOR Association Certified Executive / RCE', 'RealtorAssociationCertifiedExecutive'),
	('ListAgentDesignation', 'Real Estate Negotiation Expert / RENE', 'RealEstateNegotiationExpert'),
	('ListAgentDesignation', 'Residential Accredited Appraiser / RAA', 'ResidentialAccreditedAppraiser'),
	('ListAgentDesignation', 'Resort & Second-Home Property Specialist / RSPS', 'ResortAndSecondHomePropertySpecialist'),
	('ListAgentDesignation', 'Seller Representative Specialist / SRS', 'SellerRepresentativeSpecialist'),
	('ListAgentDesignation', 'Seniors Real Estate Specialist / SRES', 'SeniorsRealEstateSpecialist'),
	('ListAgentDesignation', 'Short Sales & Foreclosure Resource / SFR', 'ShortSalesAndForeclosureResource'),
	('ListAgentDesignation', 'Society of Industrial and Office REALTORS / SIOR', 'SocietyOfIndustrialAndOfficeRealtors'),
	('ListAgentDesignation', 'Transnational Referral Certification / TRC', 'TransnationalReferralCertification'),
	('ListAgentDesignation', 'e-PRO', 'ePRO'),
	('ListingAgreement', 'Exclusive Agency', 'ExclusiveAgency'),
	('ListingAgreement', 'Exclusive Right To Lease', 'ExclusiveRightToLease'),
	('ListingAgreement', 'Exclusive Right To Sell', 'ExclusiveRightToSell'),
	('ListingAgreement', 'Exclusive Right With Exception', 'ExclusiveRightWithException'),
	('ListingAgreement', 'Net', 'Net'),
	('ListingAgreement', 'Open', 'Open'),
	('ListingAgreement', 'Probate', 'Probate'),
	('ListingService', 'Entry Only', 'EntryOnly'),
	('ListingService', 'Full Service', 'FullService'),
	('ListingService', 'Limited Service', 'LimitedService'),
	('ListingTerms', '1031 Exchange', 'Exchange1031'),
	('ListingTerms', 'All Inclusive Trust Deed', 'AllInclusiveTrustDeed'),
	('ListingTerms', 'Assumable', 'Assumable'),
	('ListingTerms', 'Cash', 'Cash'),
	('ListingTerms', 'Contract', 'Contract'),
	('ListingTerms', 'Conventional', 'Conventional'),
	('ListingTerms', 'Existing Bonds', 'ExistingBonds'),
	('ListingTerms', 'FHA', 'FHA'),
	('ListingTerms', 'Land Use Fee', 'LandUseFee'),
	('ListingTerms', 'Lease Back', 'LeaseBack'),
	('ListingTerms', 'Lease Option', 'LeaseOption'),
	('ListingTerms', 'Lease Purchase', 'LeasePurchase'),
	('ListingTerms', 'Lien Release', 'LienRelease'),
	('ListingTerms', 'Owner May Carry', 'OwnerMayCarry'),
	('ListingTerms', 'Owner Pay Points', 'OwnerPayPoints'),
	('ListingTerms', 'Owner Will Carry', 'OwnerWillCarry'),
	('ListingTerms', 'Private Financing Available', 'PrivateFinancingAvailable'),
	('ListingTerms', 'Relocation Property', 'RelocationProperty'),
	('ListingTerms', 'Seller Equity Share', 'SellerEquityShare'),
	('ListingTerms', 'Special Funding', 'SpecialFunding'),
	('ListingTerms', 'Submit', 'Submit'),
	('ListingTerms', 'Trade', 'Trade'),
	('ListingTerms', 'Trust Conveyance', 'TrustConveyance'),
	('ListingTerms', 'Trust Deed', 'TrustDeed'),
	('ListingTerms', 'USDA Loan', 'UsdaLoan'),
	('ListingTerms', 'VA Loan', 'VaLoan'),
	('ListingURLDescription', 'Agent Website', 'AgentWebsite'),
	('ListingURLDescription', 'Broker Website', 'BrokerWebsite'),
	('ListingURLDescription', 'Brokerage Website', 'BrokerageWebsite'),
	('ListingURLDescription', 'Franchisor Website', 'FranchisorWebsite'),
	('ListingURLDescription', 'MLS Website', 'MlsWebsite'),
	('ListingURLDescription', 'Other Website', 'OtherWebsite'),
	('ListingURLDescription', 'Syndication Website', 'SyndicationWebsite'),
	('LockBoxType', 'Call Listing Office', 'CallListingOffice'),
	('LockBoxType', 'Call Seller Direct', 'CallSellerDirect'),
	('LockBoxType', 'Combo', 'Combo'),
	('LockBoxType', 'None', 'None'),
	('LockBoxType', 'Other', 'Other'),
	('LockBoxType', 'See Remarks', 'SeeRemarks'),
	('LockBoxType', 'SentriLock', 'Sentrilock'),
	('LockBoxType', 'Supra', 'Supra'),
	('LockOrBoxAccessType', 'App', 'App'),
	('LockOrBoxAccessType', 'Card', 'Card'),
	('LockOrBoxAccessType', 'Code', 'Code'),
	('LotDimensionsSource', 'Appraiser', 'Appraiser'),
	('LotDimensionsSource', 'Assessor', 'Assessor'),
	('LotDimensionsSource', 'Builder', 'Builder'),
	('LotDimensionsSource', 'Estimated', 'Estimated'),
	('LotDimensionsSource', 'GIS Calculated', 'GisCalculated'),
	('LotDimensionsSource', 'Measured', 'Measured'),
	('LotDimensionsSource', 'Other', 'Other'),
	('LotDimensionsSource', 'Owner', 'Owner'),
	('LotDimensionsSource', 'Public Records', 'PublicRecords'),
	('LotDimensionsSource', 'See Remarks', 'SeeRemarks'),
	('LotDimensionsSource', 'Survey', 'Survey'),
	('LotFeatures', 'Agricultural', 'Agricultural'),
	('LotFeatures', 'Back Yard', 'BackYard'),
	('LotFeatures', 'Bluff', 'Bluff'),
	('LotFeatures', 'City Lot', 'CityLot'),
	('LotFeatures', 'Cleared', 'Cleared'),
	('LotFeatures', 'Close to Clubhouse', 'CloseToClubhouse'),
	('LotFeatures', 'Corner Lot', 'CornerLot'),
	('LotFeatures', 'Corners Marked', 'CornersMarked'),
	('LotFeatures', 'Cul-De-Sac', 'CulDeSac'),
	('LotFeatures', 'Desert Back', 'DesertBack'),
	('LotFeatures', 'Desert Front', 'DesertFront'),
	('LotFeatures', 'Farm', 'Farm'),
	('LotFeatures', 'Few Trees', 'FewTrees'),
	('LotFeatures', 'Flag Lot', 'FlagLot'),
	('LotFeatures', 'Front Yard', 'FrontYard'),
	('LotFeatures', 'Garden', 'Garden'),
	('LotFeatures', 'Gentle Sloping', 'GentleSloping'),
	('LotFeatures', 'Greenbelt', 'Greenbelt'),
	('LotFeatures', 'Interior Lot', 'InteriorLot'),
	('LotFeatures', 'Irregular Lot', 'IrregularLot'),
	('LotFeatures', 'Lake on Lot', 'LakeOnLot'),
	('LotFeatures', 'Landscaped', 'Landscaped'),
	('LotFeatures', 'Level', 'Level'),
	('LotFeatures', 'Many Trees', 'ManyTrees'),
	('LotFeatures', 'Meadow', 'Meadow'),
	('LotFeatures', 'Native Plants', 'NativePlants'),
	('LotFeatures', 'Near Golf Course', 'NearGolfCourse'),
	('LotFeatures', 'Near Public Transit', 'NearPublicTransit'),
	('LotFeatures', 'On Golf Course', 'OnGolfCourse'),
	('LotFeatures', 'Open Lot', 'OpenLot'),
	('LotFeatures', 'Orchard(s)', 'Orchards'),
	('LotFeatures', 'Other', 'Other'),
	('LotFeatures', 'Pasture', 'Pasture'),
	('LotFeatures', 'Paved', 'Paved'),
	('LotFeatures', 'Pie Shaped Lot', 'PieShapedLot'),
	('LotFeatures', 'Pond on Lot', 'PondOnLot'),
	('LotFeatures', 'Private', 'Private'),
	('LotFeatures', 'Rectangular Lot', 'RectangularLot'),
	('LotFeatures', 'Rock Outcropping', 'RockOutcropping'),
	('LotFeatures', 'Rolling Slope', 'RollingSlope'),
	('LotFeatures', 'Secluded', 'Secluded'),
	('LotFeatures', 'See Remarks', 'SeeRemarks'),
	('LotFeatures', 'Sloped', 'Sloped'),
	('LotFeatures', 'Sloped Down', 'SlopedDown'),
	('LotFeatures', 'Sloped Up', 'SlopedUp'),
	('LotFeatures', 'Split Possible', 'SplitPossible'),
	('LotFeatures', 'Sprinklers In Front', 'SprinklersInFront'),
	('LotFeatures', 'Sprinklers In Rear', 'SprinklersInRear'),
	('LotFeatures', 'Steep Slope', 'SteepSlope'),
	('LotFeatures', 'Subdivided', 'Subdivided'),
	('LotFeatures', 'Views', 'Views'),
	('LotFeatures', 'Waterfall', 'Waterfall'),
	('LotFeatures', 'Waterfront', 'Waterfront'),
	('LotFeatures', 'Wetlands', 'Wetlands'),
	('LotFeatures', 'Wooded', 'Wooded'),
	('LotFeatures', 'Zero Lot Line', 'ZeroLotLine'),
	('LotSizeSource', 'Appraiser', 'Appraiser'),
	('LotSizeSource', 'Assessor', 'Assessor'),
	('LotSizeSource', 'Builder', 'Builder'),
	('LotSizeSource', 'Estimated', 'Estimated'),
	('LotSizeSource', 'Other', 'Other'),
	('LotSizeSource', 'Owner', 'Owner'),
	('LotSizeSource', 'Plans', 'Plans'),
	('LotSizeSource', 'Public Records', 'PublicRecords'),
	('LotSizeSource', 'See Remarks', 'SeeRemarks'),
	('LotSizeUnits', 'Acres', 'Acres'),
	('LotSizeUnits', 'Square Feet', 'SquareFeet'),
	('LotSizeUnits', 'Square Meters', 'SquareMeters'),
	('MediaAlteration', 'Decluttered - Item Removed', 'DeclutteredItemRemoved'),
	('MediaAlteration', 'Model Home', 'ModelHome'),
	('MediaAlteration', 'None', 'None'),
	('MediaAlteration', 'Other Media Modification', 'OtherMediaModification'),
	('MediaAlteration', 'Twilight Conversion', 'TwilightConversion'),
	('MediaAlteration', 'Virtual Enhancements', 'VirtualEnhancements'),
	('MediaAlteration', 'Virtual Renovation', 'VirtualRenovation'),
	('MediaAlteration', 'Virtual Representation - To Be Built', 'VirtualRepresentationToBeBuilt'),
	('MediaAlteration', 'Virtual Representation - Under Construction', 'VirtualRepresentationUnderConstruction'),
	('MediaAlteration', 'Virtual Staging - Item Addition', 'VirtualStagingItemAddition'),
	('MediaCategory', 'Agent Photo', 'AgentPhoto'),
	('MediaCategory', 'Branded Virtual Tour', 'BrandedVirtualTour'),
	('MediaCategory', 'Document', 'Document'),
	('MediaCategory', 'Floor Plan', 'FloorPlan'),
	('MediaCategory', 'Office Logo', 'OfficeLogo'),
	('MediaCategory', 'Office Photo', 'OfficePhoto'),
	('MediaCategory', 'Photo', 'Photo'),
	('MediaCategory', 'Unbranded Virtual Tour', 'UnbrandedVirtualTour'),
	('MediaCategory', 'Video', 'Video'),
	('MediaType', 'doc', 'Doc'),
	('MediaType', 'docx', 'Docx'),
	('MediaType', 'gif', 'Gif'),
	('MediaType', 'jpeg', 'Jpeg'),
	('MediaType', 'mov', 'Mov'),
	('MediaType', 'mp4', 'Mp4'),
	('MediaType', 'mpeg', 'Mpeg'),
	('MediaType', 'pdf', 'Pdf'),
	('MediaType', 'png', 'Png'),
	('MediaType', 'quicktime', 'Quicktime'),
	('MediaType', 'rtf', 'Rtf'),
	('MediaType', 'tiff', 'Tiff'),
	('MediaType', 'txt', 'Txt'),
	('MediaType', 'wmv', 'Wmv'),
	('MediaType', 'xls', 'Xls'),
	('MediaType', 'xlsx', 'Xlsx'),
	('MemberAssociationBillStatus', 'Billed', 'Billed'),
	('MemberAssociationBillStatus', 'Not Billed', 'NotBilled'),
	('MemberAssociationBillStatus', 'Paid', 'Paid'),
	('MemberDesignation', 'Accredited Buyer''s Representative / ABR', 'AccreditedBuyersRepresentative'),
	('MemberDesignation', 'Accredited Land Consultant / ALC', 'AccreditedLandConsultant'),
	('MemberDesignation', 'At Home With Diversity / AHWD', 'AtHomeWithDiversity'),
	('MemberDesignation', 'Certified Commercial Investment Member / CCIM', 'CertifiedCommercialInvestmentMember'),
	('MemberDesignation', 'Certified Distressed Property Expert / CDPE', 'CertifiedDistressedPropertyExpert'),
	('MemberDesignation', 'Certified International Property Specialist / CIPS', 'CertifiedInternationalPropertySpecialist'),
	('MemberDesignation', 'Certified Property Manager / CPM', 'CertifiedPropertyManager'),
	('MemberDesignation', 'Certified Real Estate Brokerage Manager / CRB', 'CertifiedRealEstateBrokerageManager'),
	('MemberDesignation', 'Certified Real Estate Team Specialist / C-RETS', 'CertifiedRealEstateTeamSpecialist'),
	('MemberDesignation', 'Certified Residential Specialist / CRS', 'CertifiedResidentialSpecialist'),
	('MemberDesignation', 'Counselor of Real Estate / CRE', 'CounselorOfRealEstate'),
	('MemberDesignation', 'General Accredited Appraiser / GAA', 'GeneralAccreditedAppraiser'),
	('MemberDesignation', 'Graduate, REALTOR Institute / GRI', 'GraduateRealtorInstitute'),
	('MemberDesignation', 'Military Relocation Professional / MRP', 'MilitaryRelocationProfessional'),
	('MemberDesignation', 'NAR''s Green Designation / GREEN', 'NARsGreenDesignation'),
	('MemberDesignation', 'Performance Management Network / PMN', 'PerformanceManagementNetwork'),
	('MemberDesignation', 'Pricing Strategy Advisor / PSA', 'PricingStrategyAdvisor'),
	('MemberDesignation', 'REALTOR Association Certified Executive / RCE', 'RealtorAssociationCertifiedExecutive'),
	('MemberDesignation', 'Real Estate Negotiation Expert / RENE', 'RealEstateNegotiationExpert'),
	('MemberDesignation', 'Residential Accredited Appraiser / RAA', 'ResidentialAccreditedAppraiser'),
	('MemberDesignation', 'Resort & Second-Home Property Specialist / RSPS', 'ResortAndSecondHomePropertySpecialist'),
	('MemberDesignation', 'Seller Representative Specialist / SRS', 'SellerRepresentativeSpecialist'),
	('MemberDesignation', 'Seniors Real Estate Specialist / SRES', 'SeniorsRealEstateSpecialist'),
	('MemberDesignation', 'Short Sales & Foreclosure Resource / SFR', 'ShortSalesAndForeclosureResource'),
	('MemberDesignation', 'Society of Industrial and Office REALTORS / SIOR', 'SocietyOfIndustrialAndOfficeRealtors'),
	('MemberDesignation', 'Transnational Referral Certification / TRC', 'TransnationalReferralCertification'),
	('MemberDesignation', 'e-PRO', 'ePRO'),
	('MemberOtherPhoneType', 'Direct', 'Direct'),
	('MemberOtherPhoneType', 'Fax', 'Fax'),
	('MemberOtherPhoneType', 'First', 'First'),
	('MemberOtherPhoneType', 'Home', 'Home'),
	('MemberOtherPhoneType', 'Mobile', 'Mobile'),
	('MemberOtherPhoneType', 'Modem', 'Modem'),
	('MemberOtherPhoneType', 'Office', 'Office'),
	('MemberOtherPhoneType', 'Pager', 'Pager'),
	('MemberOtherPhoneType', 'Preferred', 'Preferred'),
	('MemberOtherPhoneType', 'SMS', 'Sms'),
	('MemberOtherPhoneType', 'Second', 'Second'),
	('MemberOtherPhoneType', 'Third', 'Third'),
	('MemberOtherPhoneType', 'Toll Free', 'TollFree'),
	('MemberOtherPhoneType', 'Voicemail', 'Voicemail'),
	('MemberStateLicenseType', 'Appraiser', 'Appraiser'),
	('MemberStateLicenseType', 'Broker', 'Broker'),
	('MemberStateLicenseType', 'Salesperson', 'Salesperson'),
	('MemberStatus', 'Active', 'Active'),
	('MemberStatus', 'Inactive', 'Inactive'),
	('MemberType', 'Affiliate', 'Affiliate'),
	('MemberType', 'Assistant', 'Assistant'),
	('MemberType', 'Association Staff', 'AssociationStaff'),
	('MemberType', 'Designated REALTOR Appraiser', 'DesignatedRealtorAppraiser'),
	('MemberType', 'Designated REALTOR Participant', 'DesignatedRealtorParticipant'),
	('MemberType', 'Leasing Agent', 'LeasingAgent'),
	('MemberType', 'Licensed Assistant', 'LicensedAssistant'),
	('MemberType', 'MLS Only Appraiser', 'MlsOnlyAppraiser'),
	('MemberType', 'MLS Only Broker', 'MlsOnlyBroker'),
	('MemberType', 'MLS Only Broker Associate', 'MlsOnlyBrokerAssociate'),
	('MemberType', 'MLS Only Salesperson', 'MlsOnlySalesperson'),
	('MemberType', 'MLS Staff', 'MlsStaff'),
	('MemberType', 'Non Member/Vendor', 'NonMemberVendor'),
	('MemberType', 'Office Manager', 'OfficeManager'),
	('MemberType', 'Photographer', 'Photographer'),
	('MemberType', 'REALTOR Appraiser', 'RealtorAppraiser'),
	('MemberType', 'REALTOR Broker Associate', 'RealtorBrokerAssociate'),
	('MemberType', 'REALTOR Salesperson', 'RealtorSalesperson'),
	('MemberType', 'Unlicensed Assistant', 'UnlicensedAssistant'),
	('NotedBy', 'Agent', 'Agent'),
	('NotedBy', 'Contact', 'Contact'),
	('ObjectIdType', 'ListingId', 'ListingId'),
	('ObjectIdType', 'ListingKey', 'ListingKey'),
	('ObjectIdType', 'OpenHouseId', 'OpenHouseId'),
	('ObjectIdType', 'OpenHouseKey', 'OpenHouseKey'),
	('ObjectIdType', 'ParcelNumber', 'ParcelNumber'),
	('ObjectIdType', 'SavedSearchKey', 'SavedSearchKey'),
	('ObjectIdType', 'UPI', 'Upi'),
	('ObjectIdType', 'Unique', 'Unique'),
	('ObjectType', 'Document', 'Document'),
	('ObjectType', 'Listing', 'Listing'),
	('ObjectType', 'Open House', 'OpenHouse'),
	('ObjectType', 'Photo', 'Photo'),
	('ObjectType', 'Property', 'Property'),
	('ObjectType', 'Saved Search', 'SavedSearch'),
	('ObjectType', 'Virtual Tour', 'VirtualTour'),
	('OccupantType', 'Owner', 'Owner'),
	('OccupantType', 'Tenant', 'Tenant'),
	('OccupantType', 'Vacant', 'Vacant'),
	('OfficeAssociationPrimaryIndicator', 'Not Applicable', 'NotApplicable'),
	('OfficeAssociationPrimaryIndicator', 'Primary', 'Primary'),
	('OfficeAssociationPrimaryIndicator', 'Secondary', 'Secondary'),
	('OfficeAssociationPrimaryIndicator', 'Tertiary', 'Tertiary'),
	('OfficeBranchType', 'Branch', 'Branch'),
	('OfficeBranchType', 'Main', 'Main'),
	('OfficeBranchType', 'Stand Alone', 'StandAlone'),
	('OfficeCorporateLicenseType', 'Appraiser ', 'Appraiser'),
	('OfficeCorporateLicenseType', 'Broker', 'Broker'),
	('OfficeStatus', 'Active', 'Active'),
	('OfficeStatus', 'Inactive', 'Inactive'),
	('OfficeType', 'Affiliate', 'Affiliate'),
	('OfficeType', 'Appraiser', 'Appraiser'),
	('OfficeType', 'Association', 'Association'),
	('OfficeType', 'MLS', 'Mls'),
	('OfficeType', 'MLS Only Branch', 'MlsOnlyBranch'),
	('OfficeType', 'MLS Only Firm', 'MlsOnlyFirm'),
	('OfficeType', 'MLS Only Office', 'MlsOnlyOffice'),
	('OfficeType', 'Non Member/Vendor', 'NonMemberVendor'),
	('OfficeType', 'Realtor Branch Office', 'RealtorBranchOffice'),
	('OfficeType', 'Realtor Firm', 'RealtorFirm'),
	('OfficeType', 'Realtor Office', 'RealtorOffice'),
	('OpenHouseStatus', 'Active', 'Active'),
	('OpenHouseStatus', 'Canceled', 'Canceled'),
	('OpenHouseStatus', 'Ended', 'Ended'),
	('OpenHouseType', 'Broker', 'Broker'),
	('OpenHouseType', 'Livestream Broker', 'LivestreamBroker'),
	('OpenHouseType', 'Livestream Public', 'LivestreamPublic'),
	('OpenHouseType', 'Office', 'Office'),
	('OpenHouseType', 'Public', 'Public'),
	('OperatingExpenseIncludes', 'Accounting', 'Accounting'),
	('OperatingExpenseIncludes', 'Advertising', 'Advertising'),
	('OperatingExpenseIncludes', 'Association', 'Association'),
	('OperatingExpenseIncludes', 'Cable TV', 'CableTv'),
	('OperatingExpenseIncludes', 'Capital Improvements', 'CapitalImprovements'),
	('OperatingExpenseIncludes', 'Depreciation', 'Depreciation'),
	('OperatingExpenseIncludes', 'Equipment Rental', 'EquipmentRental'),
	('OperatingExpenseIncludes', 'Fuel', 'Fuel'),
	('OperatingExpenseIncludes', 'Furniture Replacement', 'FurnitureReplacement'),
	('OperatingExpenseIncludes', 'Gardener', 'Gardener'),
	('OperatingExpenseIncludes', 'Insurance', 'Insurance'),
	('OperatingExpenseIncludes', 'Legal', 'Legal'),
	('OperatingExpenseIncludes', 'Licenses', 'Licenses'),
	('OperatingExpenseIncludes', 'Maintenance', 'Maintenance'),
	('OperatingExpenseIncludes', 'Maintenance Grounds', 'MaintenanceGrounds'),
	('OperatingExpenseIncludes', 'Maintenance Structure', 'MaintenanceStructure'),
	('OperatingExpenseIncludes', 'Manager', 'Manager'),
	('OperatingExpenseIncludes', 'Mortgage/Loans', 'MortgageLoans'),
	('OperatingExpenseIncludes', 'New Tax', 'NewTax'),
	('OperatingExpenseIncludes', 'Other', 'Other'),
	('OperatingExpenseIncludes', 'Parking', 'Parking'),
	('OperatingExpenseIncludes', 'Pest Control', 'PestControl'),
	('OperatingExpenseIncludes', 'Pool/Spa', 'PoolSpa'),
	('OperatingExpenseIncludes', 'Professional Management', 'ProfessionalManagement'),
	('OperatingExpenseIncludes', 'Security', 'Security'),
	('OperatingExpenseIncludes', 'Snow Removal', 'SnowRemoval'),
	('OperatingExpenseIncludes', 'Staff', 'Staff'),
	('OperatingExpenseIncludes', 'Supplies', 'Supplies'),
	('OperatingExpenseIncludes', 'Trash', 'Trash'),
	('OperatingExpenseIncludes', 'Utilities', 'Utilities'),
	('OperatingExpenseIncludes', 'Vacancy Allowance', 'VacancyAllowance'),
	('OperatingExpenseIncludes', 'Water/Sewer', 'WaterSewer'),
	('OperatingExpenseIncludes', 'Workmans Compensation', 'WorkmansCompensation'),
	('OtherEquipment', 'Air Purifier', 'AirPurifier'),
	('OtherEquipment', 'Call Listing Agent', 'CallListingAgent'),
	('OtherEquipment', 'Compressor', 'Compressor'),
	('OtherEquipment', 'DC Well Pump', 'DcWellPump'),
	('OtherEquipment', 'Dehumidifier', 'Dehumidifier'),
	('OtherEquipment', 'Farm Equipment', 'FarmEquipment'),
	('OtherEquipment', 'Fuel Tank(s)', 'FuelTanks'),
	('OtherEquipment', 'Generator', 'Generator'),
	('OtherEquipment', 'Home Theater', 'HomeTheater'),
	('OtherEquipment', 'Intercom', 'Intercom'),
	('OtherEquipment', 'Irrigation Equipment', 'IrrigationEquipment'),
	('OtherEquipment', 'List Available', 'ListAvailable'),
	('OtherEquipment', 'Livestock Equipment', 'LivestockEquipment'),
	('OtherEquipment', 'Negotiable', 'Negotiable'),
	('OtherEquipment', 'None', 'None'),
	('OtherEquipment', 'Orchard Equipment', 'OrchardEquipment'),
	('OtherEquipment', 'Other', 'Other'),
	('OtherEquipment', 'Rotary Antenna', 'RotaryAntenna'),
	('OtherEquipment', 'Satellite Dish', 'SatelliteDish'),
	('OtherEquipment', 'TV Antenna', 'TvAntenna'),
	('OtherEquipment', 'Varies by Unit', 'VariesByUnit'),
	('OtherPhoneType', 'Direct', 'Direct'),
	('OtherPhoneType', 'Fax', 'Fax'),
	('OtherPhoneType', 'First', 'First'),
	('OtherPhoneType', 'Home', 'Home'),
	('OtherPhoneType', 'Mobile', 'Mobile'),
	('OtherPhoneType', 'Modem', 'Modem'),
	('OtherPhoneType', 'Office', 'Office'),
	('OtherPhoneType', 'Pager', 'Pager'),
	('OtherPhoneType', 'Preferred', 'Preferred'),
	('OtherPhoneType', 'SMS', 'Sms'),
	('OtherPhoneType', 'Second', 'Second'),
	('OtherPhoneType', 'Third', 'Third'),
	('OtherPhoneType', 'Toll Free', 'TollFree'),
	('OtherPhoneType', 'Voicemail', 'Voicemail'),
	('OtherStructures', 'Airplane Hangar', 'AirplaneHangar'),
	('OtherStructures', 'Arena', 'Arena'),
	('OtherStructures', 'Barn(s)', 'Barns'),
	('OtherStructures', 'Boat House', 'BoatHouse'),
	('OtherStructures', 'Cabana', 'Cabana'),
	('OtherStructures', 'Cave(s)', 'Caves'),
	('OtherStructures', 'Corral(s)', 'Corrals'),
	('OtherStructures', 'Covered Arena', 'CoveredArena'),
	('OtherStructures', 'Garage(s)', 'Garages'),
	('OtherStructures', 'Gazebo', 'Gazebo'),
	('OtherStructures', 'Grain Storage', 'GrainStorage'),
	('OtherStructures', 'Greenhouse', 'Greenhouse'),
	('OtherStructures', 'Guest House', 'GuestHouse'),
	('OtherStructures', 'Kennel/Dog Run', 'KennelDogRun'),
	('OtherStructures', 'Mobile Home', 'MobileHome'),
	('OtherStructures', 'None', 'None'),
	('OtherStructures', 'Other', 'Other'),
	('OtherStructures', 'Outbuilding', 'Outbuilding'),
	('OtherStructures', 'Outdoor Kitchen', 'OutdoorKitchen'),
	('OtherStructures', 'Packing Shed', 'PackingShed'),
	('OtherStructures', 'Pergola', 'Pergola'),
	('OtherStructures', 'Pool House', 'PoolHouse'),
	('OtherStructures', 'Poultry Coop', 'PoultryCoop'),
	('OtherStructures', 'RV/Boat Storage', 'RvBoatStorage'),
	('OtherStructures', 'Residence', 'Residence'),
	('OtherStructures', 'Second Garage', 'SecondGarage'),
	('OtherStructures', 'Second Residence', 'SecondResidence'),
	('OtherStructures', 'See Remarks', 'SeeRemarks'),
	('OtherStructures', 'Shed(s)', 'Sheds'),
	('OtherStructures', 'Stable(s)', 'Stables'),
	('OtherStructures', 'Storage', 'Storage'),
	('OtherStructures', 'Tennis Court(s)', 'TennisCourts'),
	('OtherStructures', 'Workshop', 'Workshop'),
	('OwnerPays', 'All Utilities', 'AllUtilities'),
	('OwnerPays', 'Association Fees', 'AssociationFees'),
	('OwnerPays', 'Cable TV', 'CableTv'),
	('OwnerPays', 'Common Area Maintenance', 'CommonAreaMaintenance'),
	('OwnerPays', 'Electricity', 'Electricity'),
	('OwnerPays', 'Exterior Maintenance', 'ExteriorMaintenance'),
	('OwnerPays', 'Gas', 'Gas'),
	('OwnerPays', 'Grounds Care', 'GroundsCare'),
	('OwnerPays', 'HVAC Maintenance', 'HvacMaintenance'),
	('OwnerPays', 'Hot Water', 'HotWater'),
	('OwnerPays', 'Insurance', 'Insurance'),
	('OwnerPays', 'Janitorial Service', 'JanitorialService'),
	('OwnerPays', 'Management', 'Management'),
	('OwnerPays', 'None', 'None'),
	('OwnerPays', 'Other', 'Other'),
	('OwnerPays', 'Other Tax', 'OtherTax'),
	('OwnerPays', 'Parking Fee', 'ParkingFee'),
	('OwnerPays', 'Pest Control', 'PestControl'),
	('OwnerPays', 'Pool Maintenance', 'PoolMaintenance'),
	('OwnerPays', 'Repairs', 'Repairs'),
	('OwnerPays', 'Roof Maintenance', 'RoofMaintenance'),
	('OwnerPays', 'Security', 'Security'),
	('OwnerPays', 'See Remarks', 'SeeRemarks'),
	('OwnerPays', 'Sewer', 'Sewer'),
	('OwnerPays', 'Snow Removal', 'SnowRemoval'),
	('OwnerPays', 'Taxes', 'Taxes'),
	('OwnerPays', 'Telephone', 'Telephone'),
	('OwnerPays', 'Trash Collection', 'TrashCollection'),
	('OwnerPays', 'Water', 'Water'),
	('OwnershipType', 'Corporation', 'Corporation'),
	('OwnershipType', 'LLC', 'Llc'),
	('OwnershipType', 'Partnership', 'Partnership'),
	('OwnershipType', 'Sole Proprietor', 'SoleProprietor'),
	('ParkingFeatures', 'Additional Parking', 'AdditionalParking'),
	('ParkingFeatures', 'Aggregate', 'Aggregate'),
	('ParkingFeatures', 'Alley Access', 'AlleyAccess'),
	('ParkingFeatures', 'Asphalt', 'Asphalt'),
	('ParkingFeatures', 'Assigned', 'Assigned'),
	('ParkingFeatures', 'Attached', 'Attached'),
	('ParkingFeatures', 'Attached Carport', 'AttachedCarport'),
	('ParkingFeatures', 'Basement', 'Basement'),
	('ParkingFeatures', 'Boat', 'Boat'),
	('ParkingFeatures', 'Carport', 'Carport'),
	('ParkingFeatures', 'Circular Driveway', 'CircularDriveway'),
	('ParkingFeatures', 'Common', 'Common'),
	('ParkingFeatures', 'Community Structure', 'CommunityStructure'),
	('ParkingFeatures', 'Concrete', 'Concrete'),
	('ParkingFeatures', 'Converted Garage', 'ConvertedGarage'),
	('ParkingFeatures', 'Covered', 'Covered'),
	('ParkingFeatures', 'Deck', 'Deck'),
	('ParkingFeatures', 'Deeded', 'Deeded'),
	('ParkingFeatures', 'Detached', 'Detached'),
	('ParkingFeatures', 'Detached Carport', 'DetachedCarport'),
	('ParkingFeatures', 'Direct Access', 'DirectAccess'),
	('ParkingFeatures', 'Drive Through', 'DriveThrough'),
	('ParkingFeatures', 'Driveway', 'Driveway'),
	('ParkingFeatures', 'Electric Gate', 'ElectricGate'),
	('ParkingFeatures', 'Electric Vehicle Charging Station(s)', 'ElectricVehicleChargingStations'),
	('ParkingFeatures', 'Enclosed', 'Enclosed'),
	('ParkingFeatures', 'Garage', 'Garage'),
	('ParkingFeatures', 'Garage Door Opener', 'GarageDoorOpener'),
	('ParkingFeatures', 'Garage Faces Front', 'GarageFacesFront'),
	('ParkingFeatures', 'Garage Faces Rear', 'GarageFacesRear'),
	('ParkingFeatures', 'Garage Faces Side', 'GarageFacesSide'),
	('ParkingFeatures', 'Gated', 'Gated'),
	('ParkingFeatures', 'Golf Cart Garage', 'GolfCartGarage'),
	('ParkingFeatures', 'Gravel', 'Gravel'),
	('ParkingFeatures', 'Guest', 'Guest'),
	('ParkingFeatures', 'Heated Garage', 'HeatedGarage'),
	('ParkingFeatures', 'Inside Entrance', 'InsideEntrance'),
	('ParkingFeatures', 'Kitchen Level', 'KitchenLevel'),
	('ParkingFeatures', 'Leased', 'Leased'),
	('ParkingFeatures', 'Lighted', 'Lighted'),
	('ParkingFeatures', 'No Garage', 'NoGarage'),
	('ParkingFeatures', 'None', 'None'),
	('ParkingFeatures', 'Off Site', 'OffSite'),
	('ParkingFeatures', 'Off Street', 'OffStreet'),
	('ParkingFeatures', 'On Site', 'OnSite'),
	('ParkingFeatures', 'On Street', 'OnStreet'),
	('ParkingFeatures', 'Open', 'Open'),
	('ParkingFeatures', 'Other', 'Other'),
	('ParkingFeatures', 'Outside', 'Outside'),
	('ParkingFeatures', 'Oversized', 'Oversized'),
	('ParkingFeatures', 'Parking Lot', 'ParkingLot'),
	('ParkingFeatures', 'Parking Pad', 'ParkingPad'),
	('ParkingFeatures', 'Paved', 'Paved'),
	('ParkingFeatures', 'Paver Block', 'PaverBlock'),
	('ParkingFeatures', 'Permit Required', 'PermitRequired'),
	('ParkingFeatures', 'Private', 'Private'),
	('ParkingFeatures', 'RV Access/Parking', 'RvAccessParking'),
	('ParkingFeatures', 'RV Carport', 'RvCarport'),
	('ParkingFeatures', 'RV Garage', 'RvGarage'),
	('ParkingFeatures', 'RV Gated', 'RvGated'),
	('ParkingFeatures', 'Secured', 'Secured'),
	('ParkingFeatures', 'See Remarks', 'SeeRemarks'),
	('ParkingFeatures', 'Shared Driveway', 'SharedDriveway'),
	('ParkingFeatures', 'Side By Side', 'SideBySide'),
	('ParkingFeatures', 'Storage', 'Storage'),
	('ParkingFeatures', 'Tandem', 'Tandem'),
	('ParkingFeatures', 'Unassigned', 'Unassigned'),
	('ParkingFeatures', 'Underground', 'Underground'),
	('ParkingFeatures', 'Unpaved', 'Unpaved'),
	('ParkingFeatures', 'Valet', 'Valet'),
	('ParkingFeatures', 'Varies by Unit', 'VariesByUnit'),
	('ParkingFeatures', 'Workshop in Garage', 'WorkshopInGarage'),
	('PatioAndPorchFeatures', 'Awning(s)', 'Awnings'),
	('PatioAndPorchFeatures', 'Covered', 'Covered'),
	('PatioAndPorchFeatures', 'Deck', 'Deck'),
	('PatioAndPorchFeatures', 'Enclosed', 'Enclosed'),
	('PatioAndPorchFeatures', 'Front Porch', 'FrontPorch'),
	('PatioAndPorchFeatures', 'Glass Enclosed', 'GlassEnclosed'),
	('PatioAndPorchFeatures', 'None', 'None'),
	('PatioAndPorchFeatures', 'Other', 'Other'),
	('PatioAndPorchFeatures', 'Patio', 'Patio'),
	('PatioAndPorchFeatures', 'Porch', 'Porch'),
	('PatioAndPorchFeatures', 'Rear Porch', 'RearPorch'),
	('PatioAndPorchFeatures', 'Screened', 'Screened'),
	('PatioAndPorchFeatures', 'See Remarks', 'SeeRemarks'),
	('PatioAndPorchFeatures', 'Side Porch', 'SidePorch'),
	('PatioAndPorchFeatures', 'Terrace', 'Terrace'),
	('PatioAndPorchFeatures', 'Wrap Around', 'WrapAround'),
	('Permission', 'Agent Only', 'AgentOnly'),
	('Permission', 'Firm Only', 'FirmOnly'),
	('Permission', 'IDX', 'Idx'),
	('Permission', 'Office Only', 'OfficeOnly'),
	('Permission', 'Private', 'Private'),
	('Permission', 'Public', 'Public'),
	('Permission', 'VOW', 'Vow'),
	('PetsAllowed', 'Breed Restrictions', 'BreedRestrictions'),
	('PetsAllowed', 'Call', 'Call'),
	('PetsAllowed', 'Cats OK', 'CatsOk'),
	('PetsAllowed', 'Dogs OK', 'DogsOk'),
	('PetsAllowed', 'No', 'No'),
	('PetsAllowed', 'Number Limit', 'NumberLimit'),
	('PetsAllowed', 'Size Limit', 'SizeLimit'),
	('PetsAllowed', 'Yes', 'Yes'),
	('PoolFeatures', 'Above Ground', 'AboveGround'),
	('PoolFeatures', 'Association', 'Association'),
	('PoolFeatures', 'Black Bottom', 'BlackBottom'),
	('PoolFeatures', 'Cabana', 'Cabana'),
	('PoolFeatures', 'Community', 'Community'),
	('PoolFeatures', 'Diving Board', 'DivingBoard'),
	('PoolFeatures', 'ENERGY STAR Qualified pool pump', 'EnergyStarQualifiedPoolPump'),
	('PoolFeatures', 'Electric Heat', 'ElectricHeat'),
	('PoolFeatures', 'Fenced', 'Fenced'),
	('PoolFeatures', 'Fiberglass', 'Fiberglass'),
	('PoolFeatures', 'Filtered', 'Filtered'),
	('PoolFeatures', 'Gas Heat', 'GasHeat'),
	('PoolFeatures', 'Gunite', 'Gunite'),
	('PoolFeatures', 'Heated', 'Heated'),
	('PoolFeatures', 'In Ground', 'InGround'),
	('PoolFeatures', 'Indoor', 'Indoor'),
	('PoolFeatures', 'Infinity', 'Infinity'),
	('PoolFeatures', 'Lap', 'Lap'),
	('PoolFeatures', 'Liner', 'Liner'),
	('PoolFeatures', 'None', 'None'),
	('PoolFeatures', 'Other', 'Other'),
	('PoolFeatures', 'Outdoor Pool', 'OutdoorPool'),
	('PoolFeatures', 'Pool Cover', 'PoolCover'),
	('PoolFeatures', 'Pool Sweep', 'PoolSweep'),
	('PoolFeatures', 'Pool/Spa Combo', 'PoolSpaCombo'),
	('PoolFeatures', 'Private', 'Private'),
	('PoolFeatures', 'Salt Water', 'SaltWater'),
	('PoolFeatures', 'Screen Enclosure', 'ScreenEnclosure'),
	('PoolFeatures', 'See Remarks', 'SeeRemarks'),
	('PoolFeatures', 'Solar Cover', 'SolarCover'),
	('PoolFeatures', 'Solar Heat', 'SolarHeat'),
	('PoolFeatures', 'Sport', 'Sport'),
	('PoolFeatures', 'Tile', 'Tile'),
	('PoolFeatures', 'Vinyl', 'Vinyl'),
	('PoolFeatures', 'Waterfall', 'Waterfall'),
	('Possession', 'Close Of Escrow', 'CloseOfEscrow'),
	('Possession', 'Close Plus 1 Day', 'ClosePlus1Day'),
	('Possession', 'Close Plus 2 Days', 'ClosePlus2Days'),
	('Possession', 'Close Plus 3 Days', 'ClosePlus3Days'),
	('Possession', 'Close Plus 3 to 5 Days', 'ClosePlus3To5Days'),
	('Possession', 'Close Plus 30 Days', 'ClosePlus30Days'),
	('Possession', 'Negotiable', 'Negotiable'),
	('Possession', 'Other', 'Other'),
	('Possession', 'Rental Agreement', 'RentalAgreement'),
	('Possession', 'See Remarks', 'SeeRemarks'),
	('Possession', 'Seller Rent Back', 'SellerRentBack'),
	('Possession', 'Subject To Tenant Rights', 'SubjectToTenantRights'),
	('PowerProductionAnnualStatus', 'Actual', 'Actual'),
	('PowerProductionAnnualStatus', 'Estimated', 'Estimated'),
	('PowerProductionAnnualStatus', 'Partially Estimated', 'PartiallyEstimated'),
	('PowerProductionOwnership', 'Seller Owned', 'SellerOwned'),
	('PowerProductionOwnership', 'Third-Party Owned', 'ThirdPartyOwned'),
	('PowerProductionType', 'Photovoltaics', 'Photovoltaics'),
	('PowerProductionType', 'Wind', 'Wind'),
	('PowerStorageType', 'Lead Acid Battery', 'LeadAcidBattery'),
	('PowerStorageType', 'Lithium Ion Battery', 'LithiumIonBattery'),
	('PowerStorageType', 'Lithium Iron Phosphate', 'LithiumIronPhosphate'),
	('PowerStorageType', 'Other', 'Other'),
	('PowerStorageType', 'Unknown', 'Unknown'),
	('PreferredAddress', 'Home', 'Home'),
	('PreferredAddress', 'Other', 'Other'),
	('PreferredAddress', 'Work', 'Work'),
	('PreferredMail', 'Home Address', 'HomeAddress'),
	('PreferredMail', 'Mailing Address', 'MailingAddress'),
	('PreferredMail', 'Office Mailing Address', 'OfficeMailingAddress'),
	('PreferredMail', 'Office Street Address', 'OfficeStreetAddress'),
	('PreferredMedia', 'Email', 'Email'),
	('PreferredMedia', 'Fax', 'Fax'),
	('PreferredMedia', 'Mail', 'Mail'),
	('PreferredPhone', 'Direct', 'Direct'),
	('PreferredPhone', 'Home', 'Home'),
	('PreferredPhone', 'Mobile', 'Mobile'),
	('PreferredPhone', 'Office', 'Office'),
	('PreferredPhone', 'Other', 'Other'),
	('PreferredPhone', 'Toll Free', 'TollFree'),
	('PreferredPhone', 'Voicemail', 'Voicemail'),
	('PreferredPublication', 'Fax', 'Fax'),
	('PreferredPublication', 'Home Address', 'HomeAddress'),
	('PreferredPublication', 'Mailing Address', 'MailingAddress'),
	('PreferredPublication', 'Office Mailing Address', 'OfficeMailingAddress'),
	('PreferredPublication', 'Office Street Address', 'OfficeStreetAddress'),
	('PropertyCondition', 'Fixer', 'Fixer'),
	('PropertyCondition', 'New Construction', 'NewConstruction'),
	('PropertyCondition', 'To Be Built', 'ToBeBuilt'),
	('PropertyCondition', 'Under Construction', 'UnderConstruction'),
	('PropertyCondition', 'Updated/Remodeled', 'UpdatedRemodeled'),
	('PropertySubType', 'Agriculture', 'Agriculture'),
	('PropertySubType', 'Apartment', 'Apartment'),
	('PropertySubType', 'Boat Slip', 'BoatSlip'),
	('PropertySubType', 'Business', 'Business'),
	('PropertySubType', 'Cabin', 'Cabin'),
	('PropertySubType', 'Co-Ownership', 'CoOwnership'),
	('PropertySubType', 'Condominium', 'Condominium'),
	('PropertySubType', 'Deeded Parking', 'DeededParking'),
	('PropertySubType', 'Duplex', 'Duplex'),
	('PropertySubType', 'Farm', 'Farm'),
	('PropertySubType', 'Hotel/Motel', 'HotelMotel'),
	('PropertySubType', 'Industrial', 'Industrial'),
	('PropertySubType', 'Manufactured Home', 'ManufacturedHome'),
	('PropertySubType', 'Manufactured On Land', 'ManufacturedOnLand'),
	('PropertySubType', 'Mixed Use', 'MixedUse'),
	('PropertySubType', 'Mobile Home', 'MobileHome'),
	('PropertySubType', 'Mobile Home Park', 'MobileHomePark'),
	('PropertySubType', 'Multi Family', 'MultiFamily'),
	('PropertySubType', 'Office', 'Office'),
	('PropertySubType', 'Own Your Own', 'OwnYourOwn'),
	('PropertySubType', 'Quadruplex', 'Quadruplex'),
	('PropertySubType', 'Ranch', 'Ranch'),
	('PropertySubType', 'Retail', 'Retail'),
	('PropertySubType', 'Single Family Residence', 'SingleFamilyResidence'),
	('PropertySubType', 'Stock Cooperative', 'StockCooperative'),
	('PropertySubType', 'Tenancy in Common', 'TenancyInCommon'),
	('PropertySubType', 'Timeshare', 'Timeshare'),
	('PropertySubType', 'Townhouse', 'Townhouse'),
	('PropertySubType', 'Triplex', 'Triplex'),
	('PropertySubType', 'Unimproved Land', 'UnimprovedLand'),
	('PropertySubType', 'Warehouse', 'Warehouse'),
	('PropertyType', 'Business Opportunity', 'BusinessOpportunity'),
	('PropertyType', 'Commercial Lease', 'CommercialLease'),
	('PropertyType', 'Commercial Sale', 'CommercialSale'),
	('PropertyType', 'Farm', 'Farm'),
	('PropertyType', 'Land', 'Land'),
	('PropertyType', 'Manufactured In Park', 'ManufacturedInPark'),
	('PropertyType', 'Residential', 'Residential'),
	('PropertyType', 'Residential Income', 'ResidentialIncome'),
	('PropertyType', 'Residential Lease', 'ResidentialLease'),
	('QueueTransactionType', 'Add', 'Add'),
	('QueueTransactionType', 'Change', 'Change'),
	('QueueTransactionType', 'Delete', 'Delete'),
	('ReasonActiveOrDisabled', 'Agent Disabled', 'AgentDisabled'),
	('ReasonActiveOrDisabled', 'Client Disabled', 'ClientDisabled'),
	('ReasonActiveOrDisabled', 'Concierge Notification', 'ConciergeNotification'),
	('ReasonActiveOrDisabled', 'Final Ignored Warning', 'FinalIgnoredWarning'),
	('ReasonActiveOrDisabled', 'Ignored', 'Ignored'),
	('ReasonActiveOrDisabled', 'Initial Ignored Warning', 'InitialIgnoredWarning'),
	('ReasonActiveOrDisabled', 'Invalid', 'Invalid'),
	('ReasonActiveOrDisabled', 'No Listings Found', 'NoListingsFound'),
	('ReasonActiveOrDisabled', 'No Listings Found Warning', 'NoListingsFoundWarning'),
	('ReasonActiveOrDisabled', 'No One To Send To', 'NoOneToSendTo'),
	('ReasonActiveOrDisabled', 'Over Limit', 'OverLimit'),
	('ReasonActiveOrDisabled', 'Re-Activated', 'ReActivated'),
	('ReasonActiveOrDisabled', 'Revised', 'Revised'),
	('ReasonActiveOrDisabled', 'Search Failing', 'SearchFailing'),
	('ReasonActiveOrDisabled', 'Welcome Email Ignored', 'WelcomeEmailIgnored'),
	('ReasonActiveOrDisabled', 'Welcome Email Ignored Warning', 'WelcomeEmailIgnoredWarning'),
	('RentIncludes', 'All Utilities', 'AllUtilities'),
	('RentIncludes', 'Cable TV', 'CableTv'),
	('RentIncludes', 'Electricity', 'Electricity'),
	('RentIncludes', 'Gardener', 'Gardener'),
	('RentIncludes', 'Gas', 'Gas'),
	('RentIncludes', 'Internet', 'Internet'),
	('RentIncludes', 'Management', 'Management'),
	('RentIncludes', 'None', 'None'),
	('RentIncludes', 'Other', 'Other'),
	('RentIncludes', 'See Remarks', 'SeeRemarks'),
	('RentIncludes', 'Sewer', 'Sewer'),
	('RentIncludes', 'Trash Collection', 'TrashCollection'),
	('RentIncludes', 'Water', 'Water'),
	('ResourceName', 'Association', 'Association'),
	('ResourceName', 'Contacts', 'Contacts'),
	('ResourceName', 'Member', 'Member'),
	('ResourceName', 'Office', 'Office'),
	('ResourceName', 'Property', 'Property'),
	('ResponseTypes', 'Events', 'Events'),
	('ResponseTypes', 'Summary', 'Summary'),
	('RoadFrontageType', 'Alley', 'Alley'),
	('RoadFrontageType', 'City Street', 'CityStreet'),
	('RoadFrontageType', 'County Road', 'CountyRoad'),
	('RoadFrontageType', 'Easement', 'Easement'),
	('RoadFrontageType', 'Freeway', 'Freeway'),
	('RoadFrontageType', 'Highway', 'Highway'),
	('RoadFrontageType', 'Interstate', 'Interstate'),
	('RoadFrontageType', 'None', 'None'),
	('RoadFrontageType', 'Other', 'Other'),
	('RoadFrontageType', 'Private Road', 'PrivateRoad'),
	('RoadFrontageType', 'See Remarks', 'SeeRemarks'),
	('RoadFrontageType', 'State Road', 'StateRoad'),
	('RoadFrontageType', 'Unimproved', 'Unimproved'),
	('RoadResponsibility', 'Private Maintained Road', 'PrivateMaintainedRoad'),
	('RoadResponsibility', 'Public Maintained Road', 'PublicMaintainedRoad'),
	('RoadResponsibility', 'Road Maintenance Agreement', 'RoadMaintenanceAgreement'),
	('RoadSurfaceType', 'Alley Paved', 'AlleyPaved'),
	('RoadSurfaceType', 'Asphalt', 'Asphalt'),
	('RoadSurfaceType', 'Chip And Seal', 'ChipAndSeal'),
	('RoadSurfaceType', 'Concrete', 'Concrete'),
	('RoadSurfaceType', 'Dirt', 'Dirt'),
	('RoadSurfaceType', 'Gravel', 'Gravel'),
	('RoadSurfaceType', 'None', 'None'),
	('RoadSurfaceType', 'Other', 'Other'),
	('RoadSurfaceType', 'Paved', 'Paved'),
	('RoadSurfaceType', 'See Remarks', 'SeeRemarks'),
	('RoadSurfaceType', 'Unimproved', 'Unimproved'),
	('Roof', 'Aluminum', 'Aluminum'),
	('Roof', 'Asbestos Shingle', 'AsbestosShingle'),
	('Roof', 'Asphalt', 'Asphalt'),
	('Roof', 'Bahama', 'Bahama'),
	('Roof', 'Barrel', 'Barrel'),
	('Roof', 'Bituthene', 'Bituthene'),
	('Roof', 'Built-Up', 'BuiltUp'),
	('Roof', 'Composition', 'Composition'),
	('Roof', 'Concrete', 'Concrete'),
	('Roof', 'Copper', 'Copper'),
	('Roof', 'Elastomeric', 'Elastomeric'),
	('Roof', 'Fiberglass', 'Fiberglass'),
	('Roof', 'Flat', 'Flat'),
	('Roof', 'Flat Tile', 'FlatTile'),
	('Roof', 'Foam', 'Foam'),
	('Roof', 'Green Roof', 'GreenRoof'),
	('Roof', 'Mansard', 'Mansard'),
	('Roof', 'Membrane', 'Membrane'),
	('Roof', 'Metal', 'Metal'),
	('Roof', 'Mixed', 'Mixed'),
	('Roof', 'None', 'None'),
	('Roof', 'Other', 'Other'),
	('Roof', 'Rolled/Hot Mop', 'RolledHotMop'),
	('Roof', 'Rubber', 'Rubber'),
	('Roof', 'See Remarks', 'SeeRemarks'),
	('Roof', 'Shake', 'Shake'),
	('Roof', 'Shingle', 'Shingle'),
	('Roof', 'Slate', 'Slate'),
	('Roof', 'Spanish Tile', 'SpanishTile'),
	('Roof', 'Stone', 'Stone'),
	('Roof', 'Synthetic', 'Synthetic'),
	('Roof', 'Tar/Gravel', 'TarGravel'),
	('Roof', 'Tile', 'Tile'),
	('Roof', 'Wood', 'Wood'),
	('RoomLengthWidthSource', 'Appraiser', 'Appraiser'),
	('RoomLengthWidthSource', 'Assessor', 'Assessor'),
	('RoomLengthWidthSource', 'Builder', 'Builder'),
	('RoomLengthWidthSource', 'Estimated', 'Estimated'),
	('RoomLengthWidthSource', 'GIS Calculated', 'GisCalculated'),
	('RoomLengthWidthSource', 'Measured', 'Measured'),
	('RoomLengthWidthSource', 'Other', 'Other'),
	('RoomLengthWidthSource', 'Owner', 'Owner'),
	('RoomLengthWidthSource', 'Public Records', 'PublicRecords'),
	('RoomLengthWidthSource', 'See Remarks', 'SeeRemarks'),
	('RoomLengthWidthSource', 'Survey', 'Survey'),
	('RoomLevel', 'Basement', 'Basement'),
	('RoomLevel', 'First', 'First'),
	('RoomLevel', 'Lower', 'Lower'),
	('RoomLevel', 'Main', 'Main'),
	('RoomLevel', 'Second', 'Second'),
	('RoomLevel', 'Third', 'Third'),
	('RoomLevel', 'Upper', 'Upper'),
	('RoomType', 'Basement', 'Basement'),
	('RoomType', 'Bathroom', 'Bathroom'),
	('RoomType', 'Bathroom 1', 'Bathroom1'),
	('RoomType', 'Bathroom 2', 'Bathroom2'),
	('RoomType', 'Bathroom 3', 'Bathroom3'),
	('RoomType', 'Bathroom 4', 'Bathroom4'),
	('RoomType', 'Bathroom 5', 'Bathroom5'),
	('RoomType', 'Bedroom', 'Bedroom'),
	('RoomType', 'Bedroom 1', 'Bedroom1'),
	('RoomType', 'Bedroom 2', 'Bedroom2'),
	('RoomType', 'Bedroom 3', 'Bedroom3'),
	('RoomType', 'Bedroom 4', 'Bedroom4'),
	('RoomType', 'Bedroom 5', 'Bedroom5'),
	('RoomType', 'Bonus Room', 'BonusRoom'),
	('RoomType', 'Den', 'Den'),
	('RoomType', 'Dining Room', 'DiningRoom'),
	('RoomType', 'Exercise Room', 'ExerciseRoom'),
	('RoomType', 'Family Room', 'FamilyRoom'),
	('RoomType', 'Game Room', 'GameRoom'),
	('RoomType', 'Great Room', 'GreatRoom'),
	('RoomType', 'Gym', 'Gym'),
	('RoomType', 'Kitchen', 'Kitchen'),
	('RoomType', 'Laundry', 'Laundry'),
	('RoomType', 'Library', 'Library'),
	('RoomType', 'Living Room', 'LivingRoom'),
	('RoomType', 'Loft', 'Loft'),
	('RoomType', 'Master Bathroom', 'MasterBathroom'),
	('RoomType', 'Master Bedroom', 'MasterBedroom'),
	('RoomType', 'Media Room', 'MediaRoom'),
	('RoomType', 'Office', 'Office'),
	('RoomType', 'Sauna', 'Sauna'),
	('RoomType', 'Utility Room', 'UtilityRoom'),
	('RoomType', 'Workshop', 'Workshop'),
	('RuleFormat', '$filter', 'OdataFilter'),
	('RuleFormat', 'JavaScript', 'Javascript'),
	('RuleFormat', 'REBR', 'Rebr'),
	('RuleFormat', 'RetsValidation', 'RetsValidation'),
	('ScheduleType', 'ASAP', 'Asap'),
	('ScheduleType', 'Daily', 'Daily'),
	('ScheduleType', 'Monthly', 'Monthly'),
	('SearchQueryType', '$filter', 'OdataFilter'),
	('SearchQueryType', 'DMQL2', 'Dmql2'),
	('SecurityFeatures', '24 Hour Security', 'TwentyFourHourSecurity'),
	('SecurityFeatures', 'Building Security', 'BuildingSecurity'),
	('SecurityFeatures', 'Carbon Monoxide Detector(s)', 'CarbonMonoxideDetectors'),
	('SecurityFeatures', 'Closed Circuit Camera(s)', 'ClosedCircuitCameras'),
	('SecurityFeatures', 'Fire Alarm', 'FireAlarm'),
	('SecurityFeatures', 'Fire Escape', 'FireEscape'),
	('SecurityFeatures', 'Fire Sprinkler System', 'FireSprinklerSystem'),
	('SecurityFeatures', 'Firewall(s)', 'Firewalls'),
	('SecurityFeatures', 'Gated Community', 'GatedCommunity'),
	('SecurityFeatures', 'Gated with Guard', 'GatedWithGuard'),
	('SecurityFeatures', 'Key Card Entry', 'KeyCardEntry'),
	('SecurityFeatures', 'Other', 'Other'),
	('SecurityFeatures', 'Panic Alarm', 'PanicAlarm'),
	('SecurityFeatures', 'Prewired', 'Prewired'),
	('SecurityFeatures', 'Secured Garage/Parking', 'SecuredGarageParking'),
	('SecurityFeatures', 'Security Fence', 'SecurityFence'),
	('SecurityFeatures', 'Security Gate', 'SecurityGate'),
	('SecurityFeatures', 'Security Guard', 'SecurityGuard'),
	('SecurityFeatures', 'Security Lights', 'SecurityLights'),
	('SecurityFeatures', 'Security Service', 'SecurityService'),
	('SecurityFeatures', 'Security System', 'SecuritySystem'),
	('SecurityFeatures', 'Security System Leased', 'SecuritySystemLeased'),
	('SecurityFeatures', 'Security System Owned', 'SecuritySystemOwned'),
	('SecurityFeatures', 'See Remarks', 'SeeRemarks'),
	('SecurityFeatures', 'Smoke Detector(s)', 'SmokeDetectors'),
	('SecurityFeatures', 'Varies By Unit', 'VariesByUnit'),
	('SecurityFeatures', 'Window Bars', 'WindowBars'),
	('SecurityFeatures', 'Window Bars with Quick Release', 'WindowBarsWithQuickRelease'),
	('Sewer', 'Aerobic Septic', 'AerobicSeptic'),
	('Sewer', 'Cesspool', 'Cesspool'),
	('Sewer', 'Engineered Septic', 'EngineeredSeptic'),
	('Sewer', 'Holding Tank', 'HoldingTank'),
	('Sewer', 'Mound Septic', 'MoundSeptic'),
	('Sewer', 'None', 'None'),
	('Sewer', 'Other', 'Other'),
	('Sewer', 'Perc Test On File', 'PercTestOnFile'),
	('Sewer', 'Perc Test Required', 'PercTestRequired'),
	('Sewer', 'Private Sewer', 'PrivateSewer'),
	('Sewer', 'Public Sewer', 'PublicSewer'),
	('Sewer', 'Septic Needed', 'SepticNeeded'),
	('Sewer', 'Septic Tank', 'SepticTank'),
	('Sewer', 'Shared Septic', 'SharedSeptic'),
	('Sewer', 'Unknown', 'Unknown'),
	('ShowingAppointmentMethod', 'In-Person', 'InPerson'),
	('ShowingAppointmentMethod', 'Other', 'Other'),
	('ShowingAppointmentMethod', 'Virtual', 'Virtual'),
	('ShowingAppointmentStatus', 'Cancelled', 'Cancelled'),
	('ShowingAppointmentStatus', 'Confirmed', 'Confirmed'),
	('ShowingAppointmentStatus', 'Denied', 'Denied'),
	('ShowingAppointmentStatus', 'Pending', 'Pending'),
	('ShowingConsiderations', 'Day Sleeper', 'DaySleeper'),
	('ShowingConsiderations', 'Electricity Not On', 'ElectricityNotOn'),
	('ShowingConsiderations', 'Inconsistent Cell Service', 'InconsistentCellService'),
	('ShowingConsiderations', 'Limited Visibility From Road', 'LimitedVisibilityFromRoad'),
	('ShowingConsiderations', 'Minimal Exterior Lighting', 'MinimalExteriorLighting'),
	('ShowingConsiderations', 'Minimal Interior Lighting', 'MinimalInteriorLighting'),
	('ShowingConsiderations', 'No Exterior Lighting', 'NoExteriorLighting'),
	('ShowingConsiderations', 'No Heat', 'NoHeat'),
	('ShowingConsiderations', 'No Interior Lighting', 'NoInteriorLighting'),
	('ShowingConsiderations', 'Occupied', 'Occupied'),
	('ShowingConsiderations', 'Pet(s) on Premises', 'PetsOnPremises'),
	('ShowingConsiderations', 'Remote Location', 'RemoteLocation'),
	('ShowingConsiderations', 'Security System', 'SecuritySystem'),
	('ShowingConsiderations', 'See Remarks', 'SeeRemarks'),
	('ShowingContactType', 'Agent', 'Agent'),
	('ShowingContactType', 'Occupant', 'Occupant'),
	('ShowingContactType', 'Owner', 'Owner'),
	('ShowingContactType', 'Property Manager', 'PropertyManager'),
	('ShowingMethod', 'In-Person', 'InPerson'),
	('ShowingMethod', 'Other', 'Other'),
	('ShowingMethod', 'Virtual', 'Virtual'),
	('ShowingMethodRequest', 'In-Person', 'InPerson'),
	('ShowingMethodRequest', 'Other', 'Other'),
	('ShowingMethodRequest', 'Virtual', 'Virtual'),
	('ShowingRequestType', 'Broker Preview', 'BrokerPreview'),
	('ShowingRequestType', 'Broker Price Opinion', 'BrokerPriceOpinion'),
	('ShowingRequestType', 'First', 'First'),
	('ShowingRequestType', 'Inspection', 'Inspection'),
	('ShowingRequestType', 'Second', 'Second'),
	('ShowingRequestType', 'Walk-through', 'WalkThrough'),
	('ShowingRequestor', 'Agent', 'Agent'),
	('ShowingRequestor', 'Consumer', 'Consumer'),
	('ShowingRequestor', 'Home Improvement Specialist', 'HomeImprovementSpecialist'),
	('ShowingRequestor', 'Home Inspector', 'HomeInspector'),
	('ShowingRequestor', 'Home Security Provider', 'HomeSecurityProvider'),
	('ShowingRequestor', 'Member Type', 'MemberType'),
	('ShowingRequestor', 'Moving Storage', 'MovingStorage'),
	('ShowingRequestor', 'Occupant', 'Occupant'),
	('ShowingRequestor', 'Owner', 'Owner'),
	('ShowingRequestor', 'Property Manager', 'PropertyManager'),
	('ShowingRequestor', 'Sales Office', 'SalesOffice'),
	('ShowingRequirements', '24 Hour Notice', 'TwentyFourHourNotice'),
	('ShowingRequirements', 'Appointment Only', 'AppointmentOnly'),
	('ShowingRequirements', 'Call Listing Agent', 'CallListingAgent'),
	('ShowingRequirements', 'Call Listing Office', 'CallListingOffice'),
	('ShowingRequirements', 'Call Manager', 'CallManager'),
	('ShowingRequirements', 'Call Owner', 'CallOwner'),
	('ShowingRequirements', 'Call Tenant', 'CallTenant'),
	('ShowingRequirements', 'Combination Lock Box', 'CombinationLockBox'),
	('ShowingRequirements', 'Do Not Show', 'DoNotShow'),
	('ShowingRequirements', 'Email Listing Agent', 'EmailListingAgent'),
	('ShowingRequirements', 'Key In Office', 'KeyInOffice'),
	('ShowingRequirements', 'Lockbox', 'Lockbox'),
	('ShowingRequirements', 'No Lockbox', 'NoLockbox'),
	('ShowingRequirements', 'No Sign', 'NoSign'),
	('ShowingRequirements', 'Restricted Hours', 'RestrictedHours'),
	('ShowingRequirements', 'See Remarks', 'SeeRemarks'),
	('ShowingRequirements', 'Showing Service', 'ShowingService'),
	('ShowingRequirements', 'Text Listing Agent', 'TextListingAgent'),
	('ShowingServiceName', 'Aligned Showings', 'AlignedShowings'),
	('ShowingServiceName', 'BrokerBay', 'BrokerBay'),
	('ShowingServiceName', 'Homesnap', 'HomeSnap'),
	('ShowingServiceName', 'Instashowing', 'InstaShowing'),
	('ShowingServiceName', 'LocalShowing', 'LocalShowing'),
	('ShowingServiceName', 'None', 'None'),
	('ShowingServiceName', 'Other', 'Other'),
	('ShowingServiceName', 'SentriKey Showing', 'SentrikeyShowing'),
	('ShowingServiceName', 'ShowingTime', 'ShowingTime'),
	('ShowingServiceName', 'Showingly', 'Showingly'),
	('ShowingStatus', 'Accepting Requests', 'AcceptingRequests'),
	('ShowingStatus', 'No Showings', 'NoShowings'),
	('ShowingStatus', 'On Hold', 'OnHold'),
	('ShowingStatus', 'Restricted Showings', 'RestrictedShowings'),
	('Skirt', 'Aluminum', 'Aluminum'),
	('Skirt', 'Block', 'Block'),
	('Skirt', 'Brick', 'Brick'),
	('Skirt', 'Combination', 'Combination'),
	('Skirt', 'Concrete', 'Concrete'),
	('Skirt', 'Fiberglass', 'Fiberglass'),
	('Skirt', 'Frame', 'Frame'),
	('Skirt', 'Glass', 'Glass'),
	('Skirt', 'Masonite', 'Masonite'),
	('Skirt', 'Metal', 'Metal'),
	('Skirt', 'None', 'None'),
	('Skirt', 'Other', 'Other'),
	('Skirt', 'Steel', 'Steel'),
	('Skirt', 'Stone', 'Stone'),
	('Skirt', 'Stucco', 'Stucco'),
	('Skirt', 'Synthetic', 'Synthetic'),
	('Skirt', 'Unknown', 'Unknown'),
	('Skirt', 'Vinyl', 'Vinyl'),
	('Skirt', 'Wood', 'Wood'),
	('SocialMediaType', 'Blog', 'Blog'),
	('SocialMediaType', 'Digg', 'Digg'),
	('SocialMediaType', 'Facebook', 'Facebook'),
	('SocialMediaType', 'Facebook Messenger', 'FacebookMessenger'),
	('SocialMediaType', 'GooglePlus', 'Googleplus'),
	('SocialMediaType', 'Instagram', 'Instagram'),
	('SocialMediaType', 'LinkedIn', 'Linkedin'),
	('SocialMediaType', 'Pinterest', 'Pinterest'),
	('SocialMediaType', 'Reddit', 'Reddit'),
	('SocialMediaType', 'Slack', 'Slack'),
	('SocialMediaType', 'Snapchat', 'Snapchat'),
	('SocialMediaType', 'StumbleUpon', 'Stumbleupon'),
	('SocialMediaType', 'Tumblr', 'Tumblr'),
	('SocialMediaType', 'Twitter', 'Twitter'),
	('SocialMediaType', 'Website', 'Website'),
	('SocialMediaType', 'YouTube', 'Youtube'),
	('SocialMediaType', 'iMessage', 'iMessage'),
	('SpaFeatures', 'Above Ground', 'AboveGround'),
	('SpaFeatures', 'Bath', 'Bath'),
	('SpaFeatures', 'Community', 'Community'),
	('SpaFeatures', 'Fiberglass', 'Fiberglass'),
	('SpaFeatures', 'Gunite', 'Gunite'),
	('SpaFeatures', 'Heated', 'Heated'),
	('SpaFeatures', 'In Ground', 'InGround'),
	('SpaFeatures', 'None', 'None'),
	('SpaFeatures', 'Private', 'Private'),
	('SpaFeatures', 'See Remarks', 'SeeRemarks'),
	('SpecialLicenses', 'Beer/Wine', 'BeerWine'),
	('SpecialLicenses', 'Class H', 'ClassH'),
	('SpecialLicenses', 'Entertainment', 'Entertainment'),
	('SpecialLicenses', 'Franchise', 'Franchise'),
	('SpecialLicenses', 'Gambling', 'Gambling'),
	('SpecialLicenses', 'Liquor', 'Liquor'),
	('SpecialLicenses', 'Liquor 5 Years Or Less', 'Liquor5YearsOrLess'),
	('SpecialLicenses', 'Liquor 5 Years Or More', 'Liquor5YearsOrMore'),
	('SpecialLicenses', 'Liquor-Off Sale', 'LiquorOffSale'),
	('SpecialLicenses', 'Liquor-On Sale', 'LiquorOnSale'),
	('SpecialLicenses', 'None', 'None'),
	('SpecialLicenses', 'Other', 'Other'),
	('SpecialLicenses', 'Professional', 'Professional'),
	('SpecialListingConditions', 'Auction', 'Auction'),
	('SpecialListingConditions', 'Bankruptcy Property', 'BankruptcyProperty'),
	('SpecialListingConditions', 'Conservatorship', 'Conservatorship'),
	('SpecialListingConditions', 'HUD Owned', 'HudOwned'),
	('SpecialListingConditions', 'In Foreclosure', 'InForeclosure'),
	('SpecialListingConditions', 'Notice Of Default', 'NoticeOfDefault'),
	('SpecialListingConditions', 'Probate Listing', 'ProbateListing'),
	('SpecialListingConditions', 'Real Estate Owned', 'RealEstateOwned'),
	('SpecialListingConditions', 'Short Sale', 'ShortSale'),
	('SpecialListingConditions', 'Standard', 'Standard'),
	('SpecialListingConditions', 'Third Party Approval', 'ThirdPartyApproval'),
	('SpecialListingConditions', 'Trust', 'Trust'),
	('StandardStatus', 'Active', 'Active'),
	('StandardStatus', 'Active Under Contract', 'ActiveUnderContract'),
	('StandardStatus', 'Canceled', 'Canceled'),
	('StandardStatus', 'Closed', 'Closed'),
	('StandardStatus', 'Coming Soon', 'ComingSoon'),
	('StandardStatus', 'Delete', 'Delete'),
	('StandardStatus', 'Expired', 'Expired'),
	('StandardStatus', 'Hold', 'Hold'),
	('StandardStatus', 'Incomplete', 'Incomplete'),
	('StandardStatus', 'Pending', 'Pending'),
	('StandardStatus', 'Withdrawn', 'Withdrawn'),
	('StateOrProvince', 'AB', 'AB'),
	('StateOrProvince', 'AK', 'AK'),
	('StateOrProvince', 'AL', 'AL'),
	('StateOrProvince', 'AR', 'AR'),
	('StateOrProvince', 'AZ', 'AZ'),
	('StateOrProvince', 'BC', 'BC'),
	('StateOrProvince', 'CA', 'CA'),
	('StateOrProvince', 'CO', 'CO'),
	('StateOrProvince', 'CT', 'CT'),
	('StateOrProvince', 'DC', 'DC'),
	('StateOrProvince', 'DE', 'DE'),
	('StateOrProvince', 'FL', 'FL'),
	('StateOrProvince', 'GA', 'GA'),
	('StateOrProvince', 'HI', 'HI'),
	('StateOrProvince', 'IA', 'IA'),
	('StateOrProvince', 'ID', 'ID'),
	('StateOrProvince', 'IL', 'IL'),
	('StateOrProvince', 'IN', 'IN'),
	('StateOrProvince', 'KS', 'KS'),
	('StateOrProvince', 'KY', 'KY'),
	('StateOrProvince', 'LA', 'LA'),
	('StateOrProvince', 'MA', 'MA'),
	('StateOrProvince', 'MB', 'MB'),
	('StateOrProvince', 'MD', 'MD'),
	('StateOrProvince', 'ME', 'ME'),
	('StateOrProvince', 'MI', 'MI'),
	('StateOrProvince', 'MN', 'MN'),
	('StateOrProvince', 'MO', 'MO'),
	('StateOrProvince', 'MS', 'MS'),
	('StateOrProvince', 'MT', 'MT'),
	('StateOrProvince', 'NB', 'NB'),
	('StateOrProvince', 'NC', 'NC'),
	('StateOrProvince', 'ND', 'ND'),
	('StateOrProvince', 'NE', 'NE'),
	('StateOrProvince', 'NF', 'NF'),
	('StateOrProvince', 'NH', 'NH'),
	('StateOrProvince', 'NJ', 'NJ'),
	('StateOrProvince', 'NM', 'NM'),
	('StateOrProvince', 'NS', 'NS'),
	('StateOrProvince', 'NT', 'NT'),
	('StateOrProvince', 'NU', 'NU'),
	('StateOrProvince', 'NV', 'NV'),
	('StateOrProvince', 'NY', 'NY'),
	('StateOrProvince', 'OH', 'OH'),
	('StateOrProvince', 'OK', 'OK'),
	('StateOrProvince', 'ON', 'ON'),
	('StateOrProvince', 'OR', 'OR'),
	('StateOrProvince', 'PA', 'PA'),
	('StateOrProvince', 'PE', 'PE'),
	('StateOrProvince', 'QC', 'QC'),
	('StateOrProvince', 'RI', 'RI'),
	('StateOrProvince', 'SC', 'SC'),
	('StateOrProvince', 'SD', 'SD'),
	('StateOrProvince', 'SK', 'SK'),
	('StateOrProvince', 'TN', 'TN'),
	('StateOrProvince', 'TX', 'TX'),
	('StateOrProvince', 'UT', 'UT'),
	('StateOrProvince', 'VA', 'VA'),
	('StateOrProvince', 'VI', 'VI'),
	('StateOrProvince', 'VT', 'VT'),
	('StateOrProvince', 'WA', 'WA'),
	('StateOrProvince', 'WI', 'WI'),
	('StateOrProvince', 'WV', 'WV'),
	('StateOrProvince', 'WY', 'WY'),
	('StateOrProvince', 'YT', 'YT'),
	('StreetDirection', 'E', 'E'),
	('StreetDirection', 'N', 'N'),
	('StreetDirection', 'NE', 'NE'),
	('StreetDirection', 'NW', 'NW'),
	('StreetDirection', 'S', 'S'),
	('StreetDirection', 'SE', 'SE'),
	('StreetDirection', 'SW', 'SW'),
	('StreetDirection', 'W', 'W'),
	('StructureType', 'Cabin', 'Cabin'),
	('StructureType', 'Dock', 'Dock'),
	('StructureType', 'Duplex', 'Duplex'),
	('StructureType', 'Flex', 'Flex'),
	('StructureType', 'Hotel/Motel', 'HotelMotel'),
	('StructureType', 'House', 'House'),
	('StructureType', 'Industrial', 'Industrial'),
	('StructureType', 'Manufactured House', 'ManufacturedHouse'),
	('StructureType', 'Mixed Use', 'MixedUse'),
	('StructureType', 'Multi Family', 'MultiFamily'),
	('StructureType', 'None', 'None'),
	('StructureType', 'Office', 'Office'),
	('StructureType', 'Quadruplex', 'Quadruplex'),
	('StructureType', 'Retail', 'Retail'),
	('StructureType', 'Townhouse', 'Townhouse'),
	('StructureType', 'Triplex', 'Triplex'),
	('StructureType', 'Warehouse', 'Warehouse'),
	('SyndicateTo', 'Homes.com', 'HomesDotCom'),
	('SyndicateTo', 'ListHub', 'Listhub'),
	('SyndicateTo', 'Realtor.com', 'RealtorDotCom'),
	('SyndicateTo', 'Zillow/Trulia', 'ZillowTrulia'),
	('TaxStatusCurrent', 'Personal', 'Personal'),
	('TaxStatusCurrent', 'Personal And Real', 'PersonalAndReal'),
	('TaxStatusCurrent', 'Real', 'Real'),
	('TeamMemberType', 'Administration Assistant', 'AdministrationAssistant'),
	('TeamMemberType', 'Buyer Agent', 'BuyerAgent'),
	('TeamMemberType', 'Lead Manager', 'LeadManager'),
	('TeamMemberType', 'Listing Agent', 'ListingAgent'),
	('TeamMemberType', 'Marketing Assistant', 'MarketingAssistant'),
	('TeamMemberType', 'Operations Manager', 'OperationsManager'),
	('TeamMemberType', 'Showing Agent', 'ShowingAgent'),
	('TeamMemberType', 'Team Lead', 'TeamLead'),
	('TeamMemberType', 'Team Member', 'TeamMember'),
	('TeamMemberType', 'Transaction Coordinator', 'TransactionCoordinator'),
	('TeamStatus', 'Active', 'Active'),
	('TeamStatus', 'Inactive', 'Inactive'),
	('TenantPays', 'All Utilities', 'AllUtilities'),
	('TenantPays', 'Association Fees', 'AssociationFees'),
	('TenantPays', 'Cable TV', 'CableTv'),
	('TenantPays', 'Common Area Maintenance', 'CommonAreaMaintenance'),
	('TenantPays', 'Electricity', 'Electricity'),
	('TenantPays', 'Exterior Maintenance', 'ExteriorMaintenance'),
	('TenantPays', 'Gas', 'Gas'),
	('TenantPays', 'Grounds Care', 'GroundsCare'),
	('TenantPays', 'HVAC Maintenance', 'HvacMaintenance'),
	('TenantPays', 'Hot Water', 'HotWater'),
	('TenantPays', 'Insurance', 'Insurance'),
	('TenantPays', 'Janitorial Service', 'JanitorialService'),
	('TenantPays', 'Management', 'Management'),
	('TenantPays', 'None', 'None'),
	('TenantPays', 'Other', 'Other'),
	('TenantPays', 'Other Tax', 'OtherTax'),
	('TenantPays', 'Parking Fee', 'ParkingFee'),
	('TenantPays', 'Pest Control', 'PestControl'),
	('TenantPays', 'Pool Maintenance', 'PoolMaintenance'),
	('TenantPays', 'Repairs', 'Repairs'),
	('TenantPays', 'Roof', 'Roof'),
	('TenantPays', 'Security', 'Security'),
	('TenantPays', 'See Remarks', 'SeeRemarks'),
	('TenantPays', 'Sewer', 'Sewer'),
	('TenantPays', 'Snow Removal', 'SnowRemoval'),
	('TenantPays', 'Taxes', 'Taxes'),
	('TenantPays', 'Telephone', 'Telephone'),
	('TenantPays', 'Trash Collection', 'TrashCollection'),
	('TenantPays', 'Water', 'Water'),
	('TrackingType', 'ListAgentMlsId', 'ListAgentMlsId'),
	('TrackingType', 'ListOfficeMlsId', 'ListOfficeMlsId'),
	('TrackingType', 'ListingId', 'ListingId'),
	('TrackingType', 'MainOfficeMlsId', 'MainOfficeMlsId'),
	('TrackingType', 'OUID', 'Ouid'),
	('TransactionType', 'Lease Offer', 'LeaseOffer'),
	('TransactionType', 'Listing for Lease', 'ListingForLease'),
	('TransactionType', 'Listing for Sale', 'ListingForSale'),
	('TransactionType', 'Other', 'Other'),
	('TransactionType', 'Purchase Offer', 'PurchaseOffer'),
	('UnitTypeType', '1 Bedroom', 'OneBedroom'),
	('UnitTypeType', '2 Bedroom', 'TwoBedroom'),
	('UnitTypeType', '3 Bedroom', 'ThreeBedroom'),
	('UnitTypeType', '4 Bedroom Or More', 'FourBedroomOrMore'),
	('UnitTypeType', 'Apartments', 'Apartments'),
	('UnitTypeType', 'Efficiency', 'Efficiency'),
	('UnitTypeType', 'Loft', 'Loft'),
	('UnitTypeType', 'Manager''s Unit', 'ManagersUnit'),
	('UnitTypeType', 'Penthouse', 'Penthouse'),
	('UnitTypeType', 'Studio', 'Studio'),
	('UnitsFurnished', 'All Units', 'AllUnits'),
	('UnitsFurnished', 'None', 'None'),
	('UnitsFurnished', 'Varies By Unit', 'VariesByUnit'),
	('Utilities', 'Cable Available', 'CableAvailable'),
	('Utilities', 'Cable Connected', 'CableConnected'),
	('Utilities', 'Cable Not Available', 'CableNotAvailable'),
	('Utilities', 'Electricity Available', 'ElectricityAvailable'),
	('Utilities', 'Electricity Connected', 'ElectricityConnected'),
	('Utilities', 'Electricity Not Available', 'ElectricityNotAvailable'),
	('Utilities', 'Natural Gas Available', 'NaturalGasAvailable'),
	('Utilities', 'Natural Gas Connected', 'NaturalGasConnected'),
	('Utilities', 'Natural Gas Not Available', 'NaturalGasNotAvailable'),
	('Utilities', 'None', 'None'),
	('Utilities', 'Other', 'Other'),
	('Utilities', 'Phone Available', 'PhoneAvailable'),
	('Utilities', 'Phone Connected', 'PhoneConnected'),
	('Utilities', 'Phone Not Available', 'PhoneNotAvailable'),
	('Utilities', 'Propane', 'Propane'),
	('Utilities', 'See Remarks', 'SeeRemarks'),
	('Utilities', 'Sewer Available', 'SewerAvailable'),
	('Utilities', 'Sewer Connected', 'SewerConnected'),
	('Utilities', 'Sewer Not Available', 'SewerNotAvailable'),
	('Utilities', 'Underground Utilities', 'UndergroundUtilities'),
	('Utilities', 'Water Available', 'WaterAvailable'),
	('Utilities', 'Water Connected', 'WaterConnected'),
	('Utilities', 'Water Not Available', 'WaterNotAvailable'),
	('Vegetation', 'Brush', 'Brush'),
	('Vegetation', 'Cleared', 'Cleared'),
	('Vegetation', 'Crop(s)', 'Crops'),
	('Vegetation', 'Grassed', 'Grassed'),
	('Vegetation', 'Heavily Wooded', 'HeavilyWooded'),
	('Vegetation', 'Natural State', 'NaturalState'),
	('Vegetation', 'Other', 'Other'),
	('Vegetation', 'Partially Wooded', 'PartiallyWooded'),
	('Vegetation', 'See Remarks', 'SeeRemarks'),
	('Vegetation', 'Wooded', 'Wooded'),
	('View', 'Bay', 'Bay'),
	('View', 'Beach', 'Beach'),
	('View', 'Bridge(s)', 'Bridges'),
	('View', 'Canal', 'Canal'),
	('View', 'Canyon', 'Canyon'),
	('View', 'City', 'City'),
	('View', 'City Lights', 'CityLights'),
	('View', 'Creek/Stream', 'CreekStream'),
	('View', 'Desert', 'Desert'),
	('View', 'Downtown', 'Downtown'),
	('View', 'Forest', 'Forest'),
	('View', 'Garden', 'Garden'),
	('View', 'Golf Course', 'GolfCourse'),
	('View', 'Hills', 'Hills'),
	('View', 'Lake', 'Lake'),
	('View', 'Marina', 'Marina'),
	('View', 'Meadow', 'Meadow'),
	('View', 'Mountain(s)', 'Mountains'),
	('View', 'Neighborhood', 'Neighborhood'),
	('View', 'None', 'None'),
	('View', 'Ocean', 'Ocean'),
	('View', 'Orchard', 'Orchard'),
	('View', 'Other', 'Other'),
	('View', 'Panoramic', 'Panoramic'),
	('View', 'Park/Greenbelt', 'ParkGreenbelt'),
	('View', 'Pasture', 'Pasture'),
	('View', 'Pond', 'Pond'),
	('View', 'Pool', 'Pool'),
	('View', 'Ridge', 'Ridge'),
	('View', 'River', 'River'),
	('View', 'Rural', 'Rural'),
	('View', 'See Remarks', 'SeeRemarks'),
	('View', 'Skyline', 'Skyline'),
	('View', 'Territorial', 'Territorial'),
	('View', 'Trees/Woods', 'TreesWoods'),
	('View', 'Valley', 'Valley'),
	('View', 'Vineyard', 'Vineyard'),
	('View', 'Water', 'Water'),
	('WaterSource', 'Cistern', 'Cistern'),
	('WaterSource', 'None', 'None'),
	('WaterSource', 'Other', 'Other'),
	('WaterSource', 'Private', 'Private'),
	('WaterSource', 'Public', 'Public'),
	('WaterSource', 'See Remarks', 'SeeRemarks'),
	('WaterSource', 'Shared Well', 'SharedWell'),
	('WaterSource', 'Spring', 'Spring'),
	('WaterSource', 'Well', 'Well'),
	('WaterfrontFeatures', 'Bay Access', 'BayAccess'),
	('WaterfrontFeatures', 'Bayfront', 'Bayfront'),
	('WaterfrontFeatures', 'Beach Access', 'BeachAccess'),
	('WaterfrontFeatures', 'Beach Front', 'BeachFront'),
	('WaterfrontFeatures', 'Canal Access', 'CanalAccess'),
	('WaterfrontFeatures', 'Canal Front', 'CanalFront'),
	('WaterfrontFeatures', 'Creek', 'Creek'),
	('WaterfrontFeatures', 'Lagoon', 'Lagoon'),
	('WaterfrontFeatures', 'Lake Front', 'LakeFront'),
	('WaterfrontFeatures', 'Lake Privileges', 'LakePrivileges'),
	('WaterfrontFeatures', 'Marina in Community', 'MarinaInCommunity'),
	('WaterfrontFeatures', 'Navigable Water', 'NavigableWater'),
	('WaterfrontFeatures', 'Ocean Access', 'OceanAccess'),
	('WaterfrontFeatures', 'Ocean Front', 'OceanFront'),
	('WaterfrontFeatures', 'Pond', 'Pond'),
	('WaterfrontFeatures', 'River Access', 'RiverAccess'),
	('WaterfrontFeatures', 'River Front', 'RiverFront'),
	('WaterfrontFeatures', 'Seawall', 'Seawall'),
	('WaterfrontFeatures', 'Stream', 'Stream'),
	('WaterfrontFeatures', 'Waterfront', 'Waterfront'),
	('WindowFeatures', 'Aluminum Frames', 'AluminumFrames'),
	('WindowFeatures', 'Bay Window(s)', 'BayWindows'),
	('WindowFeatures', 'Blinds', 'Blinds'),
	('WindowFeatures', 'Display Window(s)', 'DisplayWindows'),
	('WindowFeatures', 'Double Pane Windows', 'DoublePaneWindows'),
	('WindowFeatures', 'Drapes', 'Drapes'),
	('WindowFeatures', 'ENERGY STAR Qualified Windows', 'EnergyStarQualifiedWindows'),
	('WindowFeatures', 'Garden Window(s)', 'GardenWindows'),
	('WindowFeatures', 'Insulated Windows', 'InsulatedWindows'),
	('WindowFeatures', 'Low-Emissivity Windows', 'LowEmissivityWindows'),
	('WindowFeatures', 'Plantation Shutters', 'PlantationShutters'),
	('WindowFeatures', 'Screens', 'Screens'),
	('WindowFeatures', 'Shutters', 'Shutters'),
	('WindowFeatures', 'Skylight(s)', 'Skylights'),
	('WindowFeatures', 'Solar Screens', 'SolarScreens'),
	('WindowFeatures', 'Storm Window(s)', 'StormWindows'),
	('WindowFeatures', 'Tinted Windows', 'TintedWindows'),
	('WindowFeatures', 'Triple Pane Windows', 'TriplePaneWindows'),
	('WindowFeatures', 'Window Coverings', 'WindowCoverings'),
	('WindowFeatures', 'Window Treatments', 'WindowTreatments'),
	('WindowFeatures', 'Wood Frames', 'WoodFrames'),
	('YearBuiltSource', 'Appraiser', 'Appraiser'),
	('YearBuiltSource', 'Assessor', 'Assessor'),
	('YearBuiltSource', 'Builder', 'Builder'),
	('YearBuiltSource', 'Estimated', 'Estimated'),
	('YearBuiltSource', 'Other', 'Other'),
	('YearBuiltSource', 'Owner', 'Owner'),
	('YearBuiltSource', 'Public Records', 'PublicRecords'),
	('YearBuiltSource', 'See Remarks', 'SeeRemarks');
-- mlsync install script, part 12: the built-in mapping set reso-dd-2.0.
--
-- mls_listings names its columns after RESO Data Dictionary 2.0 fields in
-- snake_case, so the built-in set is derived, not written: every mappable
-- column whose name is the snake_case of a Property field maps from that
-- field.  Lookup fields normalize legacy enumeration spellings
-- ("ActiveUnderContract") to display spellings ("Active Under Contract").
-- A RESO feed therefore needs no mapping rows at all.

-- API: Private.  ListAgentMlsId -> list_agent_mls_id,
-- InternetAddressDisplayYN -> internet_address_display_yn.
CREATE FUNCTION mls_snake_case(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN lower(regexp_replace(regexp_replace(name, '([a-z0-9])([A-Z])', '\1_\2', 'g'),
							'([A-Z])([A-Z][a-z])', '\1_\2', 'g'));

INSERT INTO mls_mapping_sets (mapping_set, description, builtin)
VALUES ('reso-dd-2.0',
		'RESO Data Dictionary 2.0 Property fields, by standard name (built in)',
		true);

-- Open lookups without enumerated values (City, CountyOrParish) stay text.
INSERT INTO mls_field_mappings (mapping_set, target, source_field, transform, lookup_name, required)
SELECT 'reso-dd-2.0', c.column_name, f.field,
	   CASE
		   WHEN c.column_name = 'standard_status' THEN 'status'
		   WHEN l.lookup_name IS NOT NULL AND c.data_type = 'text'::regtype THEN 'lookup'
	   END,
	   CASE WHEN c.column_name <> 'standard_status' THEN l.lookup_name END,
	   c.column_name = 'listing_key'
  FROM mls_mappable_columns c
  JOIN mls_dd_fields f
	ON f.resource = 'Property' AND mls_snake_case(f.field) = c.column_name
  LEFT JOIN (SELECT DISTINCT lookup_name FROM mls_dd_lookups) l
	ON l.lookup_name = f.lookup_name;
-- mlsync install script, part 20: the sync engine's queue, status, history
-- and errors, and its SQL API (REQUIREMENTS F6-F11, F22, F23).

-- Requested and running syncs.  A row lives from the request until the run
-- ends; the run's record then stays in mls_sync_history.
CREATE TABLE mls_sync_queue (
	tenant_id		text NOT NULL,
	run_id			bigint GENERATED ALWAYS AS IDENTITY,
	connection		text NOT NULL,
	mode			text NOT NULL
					CHECK (mode IN ('full', 'incremental', 'reconcile', 'single', 'dry_run', 'metadata')),
	listing_key		text,
	trigger			text NOT NULL DEFAULT 'manual'
					CHECK (trigger IN ('manual', 'scheduled', 'retry')),
	state			text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running')),
	requested_at	timestamptz NOT NULL DEFAULT now(),
	requested_by	name NOT NULL DEFAULT current_user,
	not_before		timestamptz NOT NULL DEFAULT now(),
	started_at		timestamptz,
	worker_pid		integer,
	rerun_requested	boolean NOT NULL DEFAULT false,
	cancel_requested boolean NOT NULL DEFAULT false,
	PRIMARY KEY (tenant_id, run_id),
	UNIQUE (run_id),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections
		ON DELETE CASCADE ON UPDATE CASCADE,
	CHECK ((mode = 'single') = (listing_key IS NOT NULL))
);

-- never two runs of one connection at once
CREATE UNIQUE INDEX mls_sync_queue_one_running
	ON mls_sync_queue (tenant_id, connection) WHERE state = 'running';
CREATE INDEX mls_sync_queue_due ON mls_sync_queue (state, not_before);

COMMENT ON TABLE mls_sync_queue IS 'requested and running syncs; the launcher claims queued rows, manual before scheduled';

-- Where each connection stands.
CREATE TABLE mls_sync_status (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	watermark_ts	timestamptz,
	watermark_raw	text,
	watermark_key	text,
	last_run_id		bigint,
	last_attempt_at	timestamptz,
	last_success_at	timestamptz,
	consecutive_failures integer NOT NULL DEFAULT 0,
	next_attempt_at	timestamptz,
	last_error		text,
	metadata_version text,
	metadata_fetched_at timestamptz,
	PRIMARY KEY (tenant_id, connection),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections
		ON DELETE CASCADE ON UPDATE CASCADE
);

COMMENT ON TABLE mls_sync_status IS 'per connection: watermark (the server''s own timestamp and key of the last committed record), last success, failures, next attempt';
COMMENT ON COLUMN mls_sync_status.watermark_raw IS 'the watermark timestamp exactly as the server sent it, re-sent verbatim in queries';
COMMENT ON COLUMN mls_sync_status.metadata_version IS 'RETS: the server''s MetadataVersion when mls_source_metadata was fetched; a new one at Login fetches it again';

-- One row per run, updated as it goes (progress) and when it ends.
CREATE TABLE mls_sync_history (
	tenant_id		text NOT NULL,
	run_id			bigint NOT NULL,
	connection		text NOT NULL,
	mode			text NOT NULL,
	trigger			text NOT NULL,
	listing_key		text,
	state			text NOT NULL DEFAULT 'running'
					CHECK (state IN ('running', 'succeeded', 'failed', 'canceled', 'interrupted')),
	requested_at	timestamptz NOT NULL,
	started_at		timestamptz NOT NULL DEFAULT now(),
	finished_at		timestamptz,
	seen			bigint NOT NULL DEFAULT 0,
	inserted		bigint NOT NULL DEFAULT 0,
	updated			bigint NOT NULL DEFAULT 0,
	unchanged		bigint NOT NULL DEFAULT 0,
	removed			bigint NOT NULL DEFAULT 0,
	flagged			bigint NOT NULL DEFAULT 0,
	errors			bigint NOT NULL DEFAULT 0,
	requests		bigint NOT NULL DEFAULT 0,
	bytes			bigint NOT NULL DEFAULT 0,
	total_expected	bigint,
	watermark_from	text,
	watermark_to	text,
	worker_pid		integer,
	peak_memory_bytes bigint,
	message			text,
	duration		interval GENERATED ALWAYS AS (finished_at - started_at) STORED,
	PRIMARY KEY (tenant_id, run_id)
);

CREATE INDEX mls_sync_history_connection_idx ON mls_sync_history (tenant_id, connection, started_at);

COMMENT ON TABLE mls_sync_history IS 'one row per run: counts of records seen, inserted, updated, unchanged, removed, errors, requests, bytes, duration';
COMMENT ON COLUMN mls_sync_history.flagged IS 'listings gone at the source but locally edited: flagged (conflict) instead of removed';
COMMENT ON COLUMN mls_sync_history.total_expected IS 'records the source said the run would see (@odata.count, RETS COUNT), when it said';

CREATE TABLE mls_sync_errors (
	tenant_id		text NOT NULL,
	error_id		bigint GENERATED ALWAYS AS IDENTITY,
	connection		text NOT NULL,
	run_id			bigint,
	occurred_at		timestamptz NOT NULL DEFAULT now(),
	category		text NOT NULL
					CHECK (category IN ('auth', 'network', 'rate_limit', 'server', 'protocol',
										'data', 'config', 'internal')),
	record_key		text,
	http_status		integer,
	reply_code		integer,
	message			text NOT NULL,
	source_text		text,
	retry_state		text NOT NULL
					CHECK (retry_state IN ('retried', 'repaired', 'skipped', 'failed')),
	attempt			integer NOT NULL DEFAULT 1,
	PRIMARY KEY (tenant_id, error_id)
);

CREATE INDEX mls_sync_errors_recent_idx ON mls_sync_errors (tenant_id, connection, occurred_at);

COMMENT ON TABLE mls_sync_errors IS 'errors of syncs, categorized, with the record key, HTTP status or RETS reply code and an excerpt of what the source sent (never a secret)';
COMMENT ON COLUMN mls_sync_errors.retry_state IS 'retried: the request was tried again; repaired: the record was kept with invalid characters replaced; skipped: the record was left out and the run went on; failed: the run ended on it';

-- Keys a reconcile run saw at the source; removed listings are those of the
-- connection it did not see.  Unlogged: a crash loses only a run that is
-- started again from scratch anyway.
CREATE UNLOGGED TABLE mls_reconcile_keys (
	run_id			bigint NOT NULL,
	listing_key		text NOT NULL,
	PRIMARY KEY (run_id, listing_key)
);

COMMENT ON TABLE mls_reconcile_keys IS 'private: keys seen by running reconcile runs';

SELECT pg_catalog.pg_extension_config_dump('mls_sync_queue', '');
SELECT pg_catalog.pg_extension_config_dump('mls_sync_queue_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('mls_sync_status', '');
SELECT pg_catalog.pg_extension_config_dump('mls_sync_history', '');
SELECT pg_catalog.pg_extension_config_dump('mls_sync_errors', '');
SELECT pg_catalog.pg_extension_config_dump('mls_sync_errors_error_id_seq', '');

-- API: Public.  Requests a sync of every enabled connection of a tenant (or
-- one connection) and returns the run ids at once; the launcher runs them in
-- background workers.  wait => true runs them here, in this backend.
CREATE FUNCTION mls_sync(tenant text,
						 connection text DEFAULT NULL,
						 mode text DEFAULT 'incremental',
						 wait boolean DEFAULT false,
						 listing_key text DEFAULT NULL)
RETURNS bigint[]
LANGUAGE c
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_sync$$;

COMMENT ON FUNCTION mls_sync(text, text, text, boolean, text) IS
'request a sync (full, incremental, reconcile, single, dry_run, metadata) of a tenant''s enabled connections; returns run ids';

-- API: Public.
CREATE FUNCTION mls_sync_cancel(run_id bigint) RETURNS boolean
LANGUAGE c STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_sync_cancel$$;

COMMENT ON FUNCTION mls_sync_cancel(bigint) IS
'cancel a queued or running sync; returns false when the run is not queued or running';

-- API: Public.
CREATE FUNCTION mls_sync_wait(run_id bigint, timeout interval DEFAULT '1 hour')
RETURNS text
LANGUAGE c STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_sync_wait$$;

COMMENT ON FUNCTION mls_sync_wait(bigint, interval) IS
'wait for a run to end; returns its final state (succeeded, failed, canceled, interrupted), or its current state at the timeout';

-- Running syncs, for a progress bar.
CREATE VIEW mls_sync_progress AS
SELECT h.tenant_id, h.connection, h.run_id, h.mode, h.started_at,
	   h.seen AS records_done,
	   h.total_expected AS records_total,
	   round(h.seen / greatest(extract(epoch FROM now() - h.started_at), 0.001)::numeric, 1)
		 AS records_per_second,
	   CASE WHEN h.total_expected > h.seen AND h.seen > 0 THEN
		   (now() - h.started_at) * ((h.total_expected - h.seen)::float8 / h.seen)
	   END AS eta,
	   h.requests, h.bytes, h.errors
  FROM mls_sync_history h
 WHERE h.state = 'running';

COMMENT ON VIEW mls_sync_progress IS 'running syncs: records done, total when the source says, rate, estimated time left';

-- One row per connection, for an admin screen.
CREATE VIEW mls_status AS
SELECT c.tenant_id, c.connection, c.protocol, c.enabled,
	   CASE
		   WHEN NOT c.enabled THEN 'disabled'
		   WHEN EXISTS (SELECT 1 FROM mls_sync_queue q WHERE q.tenant_id = c.tenant_id
						   AND q.connection = c.connection AND q.state = 'running') THEN 'running'
		   WHEN EXISTS (SELECT 1 FROM mls_sync_queue q WHERE q.tenant_id = c.tenant_id
						   AND q.connection = c.connection) THEN 'queued'
		   WHEN s.consecutive_failures > 0 THEN 'failing'
		   ELSE 'idle'
	   END AS state,
	   s.last_success_at,
	   now() - s.last_success_at AS lag,
	   s.watermark_ts,
	   s.consecutive_failures,
	   s.last_error,
	   (SELECT count(*) FROM mls_sync_errors e
		 WHERE e.tenant_id = c.tenant_id AND e.connection = c.connection
		   AND e.occurred_at > now() - interval '24 hours') AS errors_24h,
	   CASE WHEN c.enabled THEN
		   greatest(coalesce(s.last_success_at + c.sync_interval, now()), s.next_attempt_at)
	   END AS next_run_at,
	   c.disabled_reason
  FROM mls_connections c
  LEFT JOIN mls_sync_status s USING (tenant_id, connection);

COMMENT ON VIEW mls_status IS 'one row per connection: state, last success, lag, errors in the last 24 hours, next run';

-- Syncing spends the MLS's request budget and writes for a whole tenant:
-- administrators grant it explicitly.
REVOKE ALL ON FUNCTION mls_sync(text, text, text, boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_sync_cancel(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_sync_wait(bigint, interval) FROM PUBLIC;
-- mlsync install script, part 30: listing history and the event outbox
-- (REQUIREMENTS F13-F15).

-- Every status and price change of a listing, with when it happened at the
-- source and when mlsync saw it.  Feeds events and market statistics
-- (point-in-time inventory is read from here, not from today's status).
CREATE TABLE mls_listing_history (
	tenant_id		text NOT NULL,
	history_id		bigint GENERATED ALWAYS AS IDENTITY,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	change			text NOT NULL CHECK (change IN ('listed', 'status', 'price', 'removed')),
	old_status		text,
	new_status		text,
	old_price		numeric(14, 2),
	new_price		numeric(14, 2),
	effective_at	timestamptz NOT NULL,
	observed_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, history_id)
);

CREATE INDEX mls_listing_history_listing_idx
	ON mls_listing_history (tenant_id, connection, listing_key, effective_at);
-- mls_new_listings() and mls_price_changes() read one kind of change of a
-- tenant since a time.
CREATE INDEX mls_listing_history_change_idx
	ON mls_listing_history (tenant_id, change, effective_at);

COMMENT ON TABLE mls_listing_history IS 'status and price changes of listings over time';
COMMENT ON COLUMN mls_listing_history.effective_at IS 'when the change happened at the source: listed: original entry timestamp; status, price: status or price change timestamp; else the modification timestamp, else observed_at; removed: removed_at (docs/events.md)';
COMMENT ON COLUMN mls_listing_history.observed_at IS 'when mlsync recorded the change';

-- The durable event outbox.
CREATE TABLE mls_events (
	tenant_id		text NOT NULL,
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

-- Deliveries and alerts find an event by its id alone (the identity is
-- unique across tenants); pruning reads events by age.
CREATE UNIQUE INDEX mls_events_event_id_key ON mls_events (event_id);
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
CREATE TABLE mls_event_deliveries (
	consumer		text NOT NULL,
	event_id		bigint NOT NULL,
	claimed_until	timestamptz,
	attempts		integer NOT NULL DEFAULT 0,
	PRIMARY KEY (consumer, event_id)
) WITH (fillfactor = 80);

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
	PRIMARY KEY (tenant_id, search_id),
	CONSTRAINT mls_saved_searches_radius_needs_center
		CHECK ((latitude IS NULL) = (longitude IS NULL)
			   AND (radius_km IS NULL) = (latitude IS NULL)),
	CONSTRAINT mls_saved_searches_price_range CHECK (min_price <= max_price),
	CONSTRAINT mls_saved_searches_beds_range CHECK (min_beds <= max_beds)
);

-- Searches change rarely and are probed on every batch: no GIN pending list,
-- which every probe would scan until the next vacuum merged it.
CREATE INDEX mls_saved_searches_area_idx ON mls_saved_searches USING gin (area_keys)
	WITH (fastupdate = off) WHERE active;
CREATE INDEX mls_saved_searches_bbox_idx ON mls_saved_searches USING gist (bbox)
	WHERE active AND bbox IS NOT NULL;
CREATE INDEX mls_saved_searches_watcher_idx ON mls_saved_searches (tenant_id, watcher);

COMMENT ON TABLE mls_saved_searches IS 'saved searches of watchers: new listings, price cuts and back-on-market listings that match produce alert events';
COMMENT ON COLUMN mls_saved_searches.watcher IS 'the application''s reference of the person to alert (a client or user id)';
COMMENT ON COLUMN mls_saved_searches.area_keys IS 'generated: tenant-qualified area keys matched against a listing''s city, postal code, county and subdivision';
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
	tenant_id		text NOT NULL,
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
	PRIMARY KEY (tenant_id, watcher, connection, listing_key, kind)
);

COMMENT ON TABLE mls_alerts IS 'alerts addressed to watchers, one per watcher, listing and kind of the event that caused it';
COMMENT ON COLUMN mls_alerts.event_id IS 'the alert event in mls_events';
COMMENT ON COLUMN mls_alerts.cause_event_id IS 'the listing event the alert is about';

-- Time-based events already raised: dom_milestone once per listing run
-- (mark_date = first day of the run) and milestone; expiration_passed once
-- per expiration date (mark_date, milestone 0).
CREATE TABLE mls_time_event_marks (
	tenant_id		text NOT NULL,
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
-- mlsync install script, part 31: change capture on mls_listings
-- (REQUIREMENTS F13, F15).
--
-- Two statement-level triggers with transition tables turn every statement
-- that writes mls_listings into one set-based insert of history rows and one
-- of events, whatever the statement: the sync's batched upsert (INSERT ... ON
-- CONFLICT DO UPDATE fires both, each with its own rows), reconciliation's
-- UPDATE, or an application's own writes.  Only changes of tracked columns
-- count, so a rewrite with the same values (a remap, an edit of
-- local_overrides, bookkeeping columns) records nothing.  The kinds and
-- payloads are listed in docs/events.md.

-- API: Private.  What mlsync.listing_events says: 'on', 'history_only' or
-- 'off'.  Before the library is loaded in a session the setting may be a
-- placeholder holding any spelling of a boolean, or may not exist at all.
CREATE FUNCTION mls_listing_events_mode() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE lower(coalesce(current_setting('mlsync.listing_events', true), 'on'))
		WHEN 'history_only' THEN 'history_only'
		WHEN 'off' THEN 'off' WHEN 'false' THEN 'off' WHEN 'no' THEN 'off' WHEN '0' THEN 'off'
		ELSE 'on'
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
-- mlsync install script, part 32: event delivery (REQUIREMENTS F13, F15).
--
-- Every statement that inserts into mls_events, whoever runs it, fires one
-- statement trigger that (1) notes the events for the one NOTIFY its
-- transaction sends at commit (src/events.c) and (2) writes one delivery row
-- per subscribed consumer.  Consumers claim delivery rows with a visibility
-- deadline and acknowledge them; a claim whose deadline passes without an
-- acknowledgement is claimable again (at-least-once).

-- API: Private.  Remember the events a statement inserted for the NOTIFY
-- sent when the transaction commits.
CREATE FUNCTION mls_note_events(tenant text, kind text, count bigint,
								first_id bigint, last_id bigint)
RETURNS void
LANGUAGE c VOLATILE STRICT
AS 'MODULE_PATHNAME', $$mls_note_events$$;

REVOKE ALL ON FUNCTION mls_note_events(text, text, bigint, bigint, bigint) FROM PUBLIC;

-- API: Private.  Trigger function: rows inserted into mls_events.  With
-- mlsync.listing_events = off (a restore) events are loaded as they are:
-- no NOTIFY, no new deliveries (the restored ones come with the dump).
CREATE FUNCTION mls_events_deliver() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF mlsync.mls_listing_events_mode() = 'off' THEN
		RETURN NULL;
	END IF;

	PERFORM mlsync.mls_note_events(e.tenant_id, e.kind, count(*), min(e.event_id), max(e.event_id))
	   FROM new_events e
	  GROUP BY e.tenant_id, e.kind;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;

	INSERT INTO mlsync.mls_event_deliveries (consumer, event_id)
	SELECT DISTINCT s.consumer, e.event_id
	  FROM new_events e
	  JOIN mlsync.mls_subscriptions s
		ON (s.tenant IS NULL OR s.tenant = e.tenant_id)
	   AND (s.kinds IS NULL OR e.kind = ANY (s.kinds));
	RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION mls_events_deliver() FROM PUBLIC;

CREATE TRIGGER mls_events_deliver
	AFTER INSERT ON mls_events
	REFERENCING NEW TABLE AS new_events
	FOR EACH STATEMENT EXECUTE FUNCTION mls_events_deliver();

-- API: Public.  Subscribes a named consumer to the events of one tenant (or
-- of all tenants, tenant NULL), of the given kinds (NULL: all kinds).
-- Subscribing again replaces the kinds of that (consumer, tenant).
CREATE FUNCTION mls_subscribe(consumer text, kinds text[] DEFAULT NULL, tenant text DEFAULT NULL)
RETURNS mls_subscriptions
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	result mlsync.mls_subscriptions;
BEGIN
	IF consumer IS NULL OR NOT mlsync.mls_is_valid_name(consumer) THEN
		RAISE EXCEPTION 'invalid consumer name "%"', consumer
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use lower-case letters, digits, "_", "." and "-", starting with a letter or digit, at most 63 characters.';
	END IF;
	IF kinds IS NOT NULL AND (cardinality(kinds) = 0 OR EXISTS (
			SELECT FROM unnest(kinds) k WHERE k IS NULL OR k !~ '^[a-z][a-z0-9_]{0,62}$')) THEN
		RAISE EXCEPTION 'invalid event kinds %', kinds
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Give a non-empty array of kinds such as {new_listing,price_reduced}, or NULL for every kind.';
	END IF;
	IF tenant IS NOT NULL AND NOT EXISTS (SELECT FROM mlsync.mls_tenants t WHERE t.tenant_id = tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', tenant
			USING ERRCODE = 'no_data_found';
	END IF;

	INSERT INTO mlsync.mls_subscriptions AS s (consumer, tenant, kinds)
	VALUES (consumer, tenant, (SELECT array_agg(DISTINCT k ORDER BY k) FROM unnest(kinds) k))
	ON CONFLICT ON CONSTRAINT mls_subscriptions_consumer_tenant_key DO UPDATE
		SET kinds = excluded.kinds, updated_at = now()
	RETURNING * INTO result;
	RETURN result;
END
$$;

COMMENT ON FUNCTION mls_subscribe(text, text[], text) IS
'subscribe a named consumer to the events of a tenant (NULL: all tenants) of the given kinds (NULL: all kinds)';

-- API: Public.  Removes every subscription of a consumer and the deliveries
-- it has not acknowledged; returns how many deliveries were dropped.
CREATE FUNCTION mls_unsubscribe(consumer text) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	dropped bigint;
BEGIN
	DELETE FROM mlsync.mls_subscriptions s WHERE s.consumer = consumer;
	DELETE FROM mlsync.mls_event_deliveries d WHERE d.consumer = consumer;
	GET DIAGNOSTICS dropped = ROW_COUNT;
	RETURN dropped;
END
$$;

COMMENT ON FUNCTION mls_unsubscribe(text) IS
'remove every subscription of a consumer and its unacknowledged deliveries';

-- API: Public.  Claims up to max_events events for a consumer, oldest first:
-- each stays invisible to further claims of that consumer for
-- visibility_timeout, then comes back unless acknowledged.  Rows another
-- session is claiming right now are skipped, never waited for, so several
-- workers of one consumer (and every other consumer) claim in parallel.
-- The rows are locked by the pick and updated by their ctid, which cannot
-- change in between: a locked row is not updated by anyone else.
CREATE FUNCTION mls_events_claim(consumer text, max_events integer DEFAULT 100,
								 visibility_timeout interval DEFAULT '1 minute')
RETURNS TABLE (event_id bigint, tenant_id text, kind text, connection text,
			   listing_key text, watcher text, payload jsonb, created_at timestamptz,
			   attempts integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	IF max_events IS NULL OR max_events < 1 THEN
		RAISE EXCEPTION 'max_events must be at least 1'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF visibility_timeout IS NULL OR visibility_timeout <= interval '0' THEN
		RAISE EXCEPTION 'visibility_timeout must be positive'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	RETURN QUERY
	WITH picked AS (
		SELECT d.ctid AS row_id
		  FROM mlsync.mls_event_deliveries d
		 WHERE d.consumer = mls_events_claim.consumer
		   AND (d.claimed_until IS NULL OR d.claimed_until <= now())
		 ORDER BY d.event_id
		 LIMIT mls_events_claim.max_events
		   FOR UPDATE SKIP LOCKED
	),
	claimed AS (
		UPDATE mlsync.mls_event_deliveries d
		   SET claimed_until = now() + mls_events_claim.visibility_timeout,
			   attempts = d.attempts + 1
		  FROM picked p
		 WHERE d.ctid = p.row_id
		RETURNING d.event_id, d.attempts
	)
	SELECT e.event_id, e.tenant_id, e.kind, e.connection, e.listing_key, e.watcher,
		   e.payload, e.created_at, c.attempts
	  FROM claimed c
	  JOIN mlsync.mls_events e ON e.event_id = c.event_id
	 ORDER BY e.event_id;
END
$$;

COMMENT ON FUNCTION mls_events_claim(text, integer, interval) IS
'claim up to max_events unacknowledged events of a consumer, invisible to other claims for visibility_timeout';

-- API: Public.  Acknowledges events a consumer has processed; returns how
-- many were still pending (ids already acknowledged or never delivered to
-- the consumer are ignored).
CREATE FUNCTION mls_events_ack(consumer text, event_ids bigint[]) RETURNS bigint
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	WITH acked AS (
		DELETE FROM mlsync.mls_event_deliveries d
		 WHERE d.consumer = mls_events_ack.consumer
		   AND d.event_id = ANY (mls_events_ack.event_ids)
		RETURNING 1
	)
	SELECT count(*) FROM acked;
END;

COMMENT ON FUNCTION mls_events_ack(text, bigint[]) IS
'acknowledge processed events of a consumer; returns how many were pending';

-- API: Public.  Deletes events older than older_than that every consumer
-- has acknowledged (no delivery row refers to them); returns how many.  The
-- history, alerts and time-event marks are kept.  Deliveries whose event was
-- deleted by other means (they could never be claimed) go too; a delivery
-- row is written in its event's transaction, so none is newer than its event.
CREATE FUNCTION mls_events_prune(older_than interval DEFAULT '7 days') RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	pruned bigint;
BEGIN
	IF older_than IS NULL OR older_than < interval '0' THEN
		RAISE EXCEPTION 'older_than must not be negative'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	DELETE FROM mlsync.mls_event_deliveries d
	 WHERE NOT EXISTS (SELECT FROM mlsync.mls_events e WHERE e.event_id = d.event_id);
	DELETE FROM mlsync.mls_events e
	 WHERE e.created_at < now() - older_than
	   AND NOT EXISTS (SELECT FROM mlsync.mls_event_deliveries d WHERE d.event_id = e.event_id);
	GET DIAGNOSTICS pruned = ROW_COUNT;
	RETURN pruned;
END
$$;

COMMENT ON FUNCTION mls_events_prune(interval) IS
'delete events older than the interval that no consumer still has to acknowledge';

-- API: Private.  Inserts one event (for example connection_disabled, raised
-- by the sync engine); it is delivered and announced like every other.
CREATE FUNCTION mls_emit_event(tenant text, kind text, connection text DEFAULT NULL,
							   listing_key text DEFAULT NULL, payload jsonb DEFAULT '{}')
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	id bigint;
BEGIN
	IF tenant IS NULL OR kind IS NULL OR kind !~ '^[a-z][a-z0-9_]{0,62}$' THEN
		RAISE EXCEPTION 'invalid event: tenant and a kind of lower-case letters, digits and "_" are required'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
	VALUES (tenant, kind, connection, listing_key, coalesce(payload, '{}'))
	RETURNING event_id INTO id;
	RETURN id;
END
$$;

REVOKE ALL ON FUNCTION mls_emit_event(text, text, text, text, jsonb) FROM PUBLIC;

-- API: Public.  What each consumer still has to do.
CREATE VIEW mls_event_backlog AS
SELECT s.consumer,
	   count(d.event_id) FILTER (WHERE d.claimed_until IS NULL OR d.claimed_until <= now()) AS ready,
	   count(d.event_id) FILTER (WHERE d.claimed_until > now()) AS claimed,
	   count(d.event_id) FILTER (WHERE d.attempts > 1) AS redelivered,
	   min(d.event_id) AS oldest_event_id
  FROM (SELECT DISTINCT consumer FROM mlsync.mls_subscriptions) s
  LEFT JOIN mlsync.mls_event_deliveries d ON d.consumer = s.consumer
 GROUP BY s.consumer;

COMMENT ON VIEW mls_event_backlog IS 'per consumer: events ready to claim, claimed and not yet acknowledged, delivered more than once';
-- mlsync install script, part 33: targeted alerts (REQUIREMENTS F14).
--
-- A statement trigger on mls_events matches the listing events each
-- statement inserted against the watch list (any event on a watched listing
-- or property) and the saved searches (new listings, price cuts and
-- back-on-market listings), set-based: every event probes the GIN index of
-- area keys and the GiST index of radius boxes once, and the exact distance
-- is computed only for box candidates.  Each (watcher, listing, kind) is
-- alerted once, ever: mls_alerts holds that key; its insert decides, under
-- concurrency too, which alerts are new, and only those become alert events.

-- API: Private.  Event kinds on a watched listing that alert its watchers.
-- unpublish_requested and removal_flagged are instructions to the
-- application, not news; status_changed alerts only when the change has no
-- specific kind (went_pending, sold, ...), which alerts instead.
CREATE FUNCTION mls_watch_alert_kinds() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['new_listing', 'price_reduced', 'price_increased', 'status_changed',
			 'went_pending', 'sold', 'expired', 'withdrawn', 'back_on_market', 'removed',
			 'photos_changed', 'dom_milestone', 'expiration_passed'];

-- API: Private.  Trigger function: alerts for the events a statement
-- inserted into mls_events.
CREATE FUNCTION mls_events_alert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- cheap exits: a restore, no alertable event, nobody watching anything
	IF mlsync.mls_listing_events_mode() = 'off'
	   OR NOT EXISTS (SELECT FROM new_events e
					   WHERE e.kind = ANY (mlsync.mls_watch_alert_kinds())
						 AND e.listing_key IS NOT NULL)
	   OR NOT (EXISTS (SELECT FROM mlsync.mls_watchlist)
			   OR EXISTS (SELECT FROM mlsync.mls_saved_searches WHERE active)) THEN
		RETURN NULL;
	END IF;

	WITH ev AS MATERIALIZED (
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
	lst AS MATERIALIZED (
		SELECT ev.event_id, ev.tenant_id, ev.kind, ev.connection, ev.listing_key,
			   l.property_id, l.standard_status, l.list_price, l.bedrooms_total,
			   coalesce(l.bathrooms_total_integer, l.bathrooms_full) AS baths,
			   l.property_type, l.property_sub_type,
			   l.latitude::double precision AS lat, l.longitude::double precision AS lon,
			   mlsync.mls_listing_area_keys(l.tenant_id, l.city, l.postal_code,
											l.county_or_parish, l.subdivision_name) AS area_keys
		  FROM ev
		  JOIN mlsync.mls_listings l
			ON l.tenant_id = ev.tenant_id AND l.connection = ev.connection
		   AND l.listing_key = ev.listing_key
	),
	candidates AS (
		-- watched listings
		SELECT ev.tenant_id, w.watcher, ev.connection, ev.listing_key, ev.kind, ev.event_id,
			   'watchlist' AS via, w.reason, NULL::bigint AS search_id, 1 AS preference
		  FROM ev
		  JOIN mlsync.mls_watchlist w
			ON w.tenant_id = ev.tenant_id AND w.connection = ev.connection
		   AND w.listing_key = ev.listing_key
		UNION ALL
		-- watched properties, whichever MLS lists them
		SELECT lst.tenant_id, w.watcher, lst.connection, lst.listing_key, lst.kind, lst.event_id,
			   'watchlist', w.reason, NULL, 1
		  FROM lst
		  JOIN mlsync.mls_watchlist w
			ON w.tenant_id = lst.tenant_id AND w.property_id = lst.property_id
		UNION ALL
		-- saved searches: new listings, price cuts, back on market, while available
		SELECT lst.tenant_id, s.watcher, lst.connection, lst.listing_key, lst.kind, lst.event_id,
			   'saved_search', NULL, s.search_id, 2
		  FROM lst
		  CROSS JOIN LATERAL (
				SELECT a.search_id, a.watcher, a.min_price, a.max_price, a.min_beds, a.max_beds,
					   a.min_baths, a.property_types
				  FROM mlsync.mls_saved_searches a
				 WHERE a.active AND a.area_keys && lst.area_keys
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
	fresh AS (
		INSERT INTO mlsync.mls_alerts AS a
			(tenant_id, watcher, connection, listing_key, kind, event_id, cause_event_id,
			 via, reason, search_id)
		SELECT c.tenant_id, c.watcher, c.connection, c.listing_key, c.kind,
			   nextval('mlsync.mls_events_event_id_seq'), c.event_id, c.via, c.reason, c.search_id
		  FROM chosen c
		ON CONFLICT DO NOTHING
		RETURNING a.*
	)
	INSERT INTO mlsync.mls_events (event_id, tenant_id, kind, connection, listing_key, watcher, payload)
	OVERRIDING SYSTEM VALUE
	SELECT f.event_id, f.tenant_id, 'alert', f.connection, f.listing_key, f.watcher,
		   jsonb_strip_nulls(jsonb_build_object('alert', f.kind, 'cause_event_id', f.cause_event_id,
												'via', f.via, 'reason', f.reason,
												'search_id', f.search_id))
	  FROM fresh f;
	RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION mls_events_alert() FROM PUBLIC;

-- Fires before mls_events_deliver (triggers fire in name order); the alert
-- events it inserts go through both triggers themselves.
CREATE TRIGGER mls_events_alert
	AFTER INSERT ON mls_events
	REFERENCING NEW TABLE AS new_events
	FOR EACH STATEMENT EXECUTE FUNCTION mls_events_alert();
-- mlsync install script, part 34: time-based events (REQUIREMENTS F13, F21).
--
-- dom_milestone and expiration_passed happen with the calendar, not with a
-- write, so a schedule calls mls_detect_time_events() (daily, say).  It may
-- run any number of times, concurrently too: each event is first claimed in
-- mls_time_event_marks, whose primary key lets one run win, and only claims
-- that were new become events.

-- API: Private.  The first day of a listing's current run on the market: the
-- day it last came back on market (the effective time of the last status
-- change that was a back_on_market, see mls_status_event_kind), else the
-- day it went on market (on_market_date, else listing_contract_date, else
-- the day of original_entry_timestamp, else the day mlsync first saw it).
CREATE FUNCTION mls_listing_run_start(tenant text, connection text, listing_key text,
									  on_market_date date, listing_contract_date date,
									  original_entry_timestamp timestamptz,
									  first_seen_at timestamptz)
RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(
	(SELECT h.effective_at::date
	   FROM mlsync.mls_listing_history h
	  WHERE h.tenant_id = mls_listing_run_start.tenant
		AND h.connection = mls_listing_run_start.connection
		AND h.listing_key = mls_listing_run_start.listing_key
		AND h.change = 'status'
		AND mlsync.mls_status_event_kind(h.old_status, h.new_status) = 'back_on_market'
	  ORDER BY h.effective_at DESC
	  LIMIT 1),
	on_market_date, listing_contract_date, original_entry_timestamp::date, first_seen_at::date);

-- API: Public.  Detects the time-based events due on as_of (default: today
-- in the session's time zone) for one tenant or all, and returns how many
-- events it raised.
--  * dom_milestone: an Active listing has been on the market for at least
--    one of its tenant's dom_milestones days in its current run (days on
--    market = as_of - mls_listing_run_start).  Each milestone is raised once
--    per run; when several are reached at once (a first run of the
--    detection, or a gap), only the highest is raised and the lower ones are
--    marked as passed.
--  * expiration_passed: a listing whose status is still Active or Active
--    Under Contract has an expiration_date before as_of.  Raised once per
--    expiration date, so an extended listing that expires again is raised again.
CREATE FUNCTION mls_detect_time_events(tenant text DEFAULT NULL, as_of date DEFAULT current_date)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	dom_events bigint;
	expiration_events bigint;
BEGIN
	IF as_of IS NULL THEN
		RAISE EXCEPTION 'as_of must not be null'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	WITH running AS (
		SELECT l.tenant_id, l.connection, l.listing_key, t.dom_milestones,
			   mlsync.mls_listing_run_start(l.tenant_id, l.connection, l.listing_key,
											l.on_market_date, l.listing_contract_date,
											l.original_entry_timestamp, l.first_seen_at) AS run_start
		  FROM mlsync.mls_listings l
		  JOIN mlsync.mls_tenants t ON t.tenant_id = l.tenant_id
		 WHERE l.standard_status = 'Active' AND l.removed_at IS NULL
		   AND (tenant IS NULL OR l.tenant_id = tenant)
	),
	reached AS (
		SELECT r.tenant_id, r.connection, r.listing_key, r.run_start, m.milestone
		  FROM running r
		  CROSS JOIN LATERAL unnest(r.dom_milestones) AS m(milestone)
		 WHERE as_of - r.run_start >= m.milestone
	),
	marked AS (
		INSERT INTO mlsync.mls_time_event_marks AS k
			(tenant_id, connection, listing_key, kind, mark_date, milestone)
		SELECT r.tenant_id, r.connection, r.listing_key, 'dom_milestone', r.run_start, r.milestone
		  FROM reached r
		ON CONFLICT DO NOTHING
		RETURNING k.tenant_id, k.connection, k.listing_key, k.mark_date, k.milestone
	),
	highest AS (
		SELECT DISTINCT ON (m.tenant_id, m.connection, m.listing_key) m.*
		  FROM marked m
		 ORDER BY m.tenant_id, m.connection, m.listing_key, m.milestone DESC
	),
	raised AS (
		INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
		SELECT h.tenant_id, 'dom_milestone', h.connection, h.listing_key,
			   jsonb_build_object('milestone', h.milestone, 'days_on_market', as_of - h.mark_date,
								  'run_started_on', h.mark_date, 'as_of', as_of)
		  FROM highest h
		 ORDER BY h.tenant_id, h.connection, h.listing_key
		RETURNING 1
	)
	SELECT count(*) INTO dom_events FROM raised;

	WITH due AS (
		SELECT l.tenant_id, l.connection, l.listing_key, l.expiration_date, l.standard_status
		  FROM mlsync.mls_listings l
		 WHERE l.standard_status IN ('Active', 'Active Under Contract') AND l.removed_at IS NULL
		   AND l.expiration_date < as_of
		   AND (tenant IS NULL OR l.tenant_id = tenant)
	),
	marked AS (
		INSERT INTO mlsync.mls_time_event_marks AS k
			(tenant_id, connection, listing_key, kind, mark_date)
		SELECT d.tenant_id, d.connection, d.listing_key, 'expiration_passed', d.expiration_date
		  FROM due d
		ON CONFLICT DO NOTHING
		RETURNING k.tenant_id, k.connection, k.listing_key, k.mark_date
	),
	raised AS (
		INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
		SELECT m.tenant_id, 'expiration_passed', m.connection, m.listing_key,
			   jsonb_build_object('expiration_date', m.mark_date, 'status', d.standard_status,
								  'as_of', as_of)
		  FROM marked m
		  JOIN due d USING (tenant_id, connection, listing_key)
		 ORDER BY m.tenant_id, m.connection, m.listing_key
		RETURNING 1
	)
	SELECT count(*) INTO expiration_events FROM raised;

	RETURN dom_events + expiration_events;
END
$$;

COMMENT ON FUNCTION mls_detect_time_events(text, date) IS
'raise the dom_milestone and expiration_passed events due on as_of; safe to run any number of times';
-- mlsync install script, part 35: the seeds' new_listings and price_changes
-- endpoints as SQL (REQUIREMENTS F22).  Both read the listing history, which
-- is never pruned, so any window can be asked for.

-- API: Public.  Listings of a tenant listed at the source since a time (the
-- effective time of their 'listed' history row: original entry timestamp,
-- else modification timestamp, else when mlsync first saw them), most
-- recent first; listings removed at the source are left out.
CREATE FUNCTION mls_new_listings(tenant text, since timestamptz DEFAULT now() - interval '7 days')
RETURNS SETOF mls_listings
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT l.*
	  FROM (SELECT h.connection, h.listing_key, max(h.effective_at) AS listed_at
			  FROM mlsync.mls_listing_history h
			 WHERE h.tenant_id = mls_new_listings.tenant
			   AND h.change = 'listed'
			   AND h.effective_at >= mls_new_listings.since
			 GROUP BY h.connection, h.listing_key) n
	  JOIN mlsync.mls_listings l
		ON l.tenant_id = mls_new_listings.tenant
	   AND l.connection = n.connection AND l.listing_key = n.listing_key
	 WHERE l.removed_at IS NULL
	 ORDER BY n.listed_at DESC, l.connection, l.listing_key;
END;

COMMENT ON FUNCTION mls_new_listings(text, timestamptz) IS
'listings of a tenant listed at the source since a time, most recent first';

-- API: Public.  List price changes of a tenant's listings since a time, most
-- recent first: kind price_reduced or price_increased, old and new price,
-- amount and percent of the change (both positive), the listing's status now.
CREATE FUNCTION mls_price_changes(tenant text, since timestamptz DEFAULT now() - interval '7 days')
RETURNS TABLE (connection text, listing_key text, kind text, changed_at timestamptz,
			   old_price numeric, new_price numeric, amount numeric, percent numeric,
			   standard_status text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT h.connection, h.listing_key,
		   CASE WHEN h.new_price < h.old_price THEN 'price_reduced' ELSE 'price_increased' END,
		   h.effective_at, h.old_price, h.new_price, abs(h.new_price - h.old_price),
		   round(abs(h.new_price - h.old_price) * 100 / nullif(h.old_price, 0), 2),
		   l.standard_status
	  FROM mlsync.mls_listing_history h
	  LEFT JOIN mlsync.mls_listings l
		ON l.tenant_id = h.tenant_id AND l.connection = h.connection
	   AND l.listing_key = h.listing_key
	 WHERE h.tenant_id = mls_price_changes.tenant
	   AND h.change = 'price'
	   AND h.effective_at >= mls_price_changes.since
	   AND h.old_price <> h.new_price
	 ORDER BY h.effective_at DESC, h.connection, h.listing_key, h.history_id DESC;
END;

COMMENT ON FUNCTION mls_price_changes(text, timestamptz) IS
'list price changes of a tenant''s listings since a time, most recent first';
-- mlsync install script, part 40: market statistics (REQUIREMENTS F16, F22).
--
-- docs/statistics.md defines every figure.  The work is split in two:
-- mls_stats_listing_facts() (SQL) reduces each listing and its history to one
-- row of facts (area, property type, the days it was listed, went pending and
-- closed, its prices, the days it was active); mls_stats_compute() (C, in
-- src/stats.c) rolls the facts up into every series and period in one pass.
-- market_stats materializes mls_stats_compute(now()) and belongs to the
-- extension, so it exists as soon as mlsync does; refreshing it needs its
-- owner, which mls_refresh_stats() (SECURITY DEFINER) provides.

-- Per-tenant choices where sources differ.  A tenant without a row gets the
-- defaults.
CREATE TABLE mls_stats_settings (
	tenant_id		text PRIMARY KEY REFERENCES mls_tenants ON DELETE CASCADE,
	time_zone		text NOT NULL DEFAULT 'UTC'
					CHECK (mls_is_valid_timezone(time_zone)),
	months_of_supply_basis text NOT NULL DEFAULT 'closed'
					CHECK (months_of_supply_basis IN ('closed', 'pending'))
);

COMMENT ON TABLE mls_stats_settings IS 'per-tenant statistics settings: the market''s time zone and the sales that measure the pace for months of supply';
COMMENT ON COLUMN mls_stats_settings.time_zone IS 'zone in which timestamps become days of the market, and in which "as of" is today';
COMMENT ON COLUMN mls_stats_settings.months_of_supply_basis IS 'closed: months of supply and absorption use closed sales; pending: they use pending sales';

SELECT pg_catalog.pg_extension_config_dump('mls_stats_settings', '');

-- API: Public.  The definitions of version 1, as stored with the figures
-- (market_stats.definitions_version).  Same text as docs/statistics.md.
CREATE FUNCTION mls_stats_definitions()
RETURNS TABLE (definitions_version integer, figure text, definition text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT 1, d.figure, d.definition
	  FROM (VALUES
		(1, 'series', 'tenant x area (all, city, postal_code, county, subdivision; "all" for every listing) x property type (or "all"); a NULL or empty area or type counts in "all" only'),
		(2, 'period', 'calendar months and ISO weeks (Monday-Sunday) from the one containing as_of - 24 months to the one containing as_of; as_of is the refresh day in mls_stats_settings.time_zone; complete is false for the period containing as_of'),
		(3, 'excluded', 'listings with status Incomplete, and with status Delete not found removed by mlsync (removed_at IS NULL)'),
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
-- a moment.  A plain SQL function without SET options, so that the planner
-- inlines it into the caller's query (mls_stats_compute, which pins
-- search_path); every object is schema-qualified.  The history is read in
-- the order of mls_listing_history_listing_idx and the listings in primary
-- key order, so the whole query streams with merge joins.
CREATE FUNCTION mls_stats_listing_facts(as_of timestamptz)
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
		   pg_catalog.timezone(coalesce(s.time_zone, 'UTC'), as_of)::date AS as_of_day,
		   coalesce(s.months_of_supply_basis, 'closed') AS basis
	  FROM mlsync.mls_tenants t
	  LEFT JOIN mlsync.mls_stats_settings s ON s.tenant_id = t.tenant_id
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
	 WHERE h.change <> 'price' AND h.observed_at <= as_of
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
  LEFT JOIN cut ob
	ON ob.tenant_id = l.tenant_id AND ob.connection = l.connection AND ob.listing_key = l.listing_key
 CROSS JOIN LATERAL (
	SELECT coalesce(l.on_market_date, l.listing_contract_date) AS listed_on,
		   coalesce(l.purchase_contract_date, ob.pending_day) AS pending_on) d
 WHERE l.standard_status IS DISTINCT FROM 'Incomplete'
   AND NOT (l.standard_status IS NOT DISTINCT FROM 'Delete' AND l.removed_at IS NULL)
$$;

COMMENT ON FUNCTION mls_stats_listing_facts(timestamptz) IS
'one row of statistics facts per listing as of a moment: area, type, days listed, pending and closed, prices, active days';

-- API: Private.  Every figure of every series and period as of a moment
-- (docs/statistics.md).  Tests call it with a fixed moment; market_stats
-- calls it with now().
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

-- The statistics.  One row per series and period; see docs/statistics.md.
CREATE MATERIALIZED VIEW market_stats AS
	SELECT * FROM mlsync.mls_stats_compute(now());

-- REFRESH ... CONCURRENTLY needs a unique index on plain columns; it is also
-- the index a dashboard reads one series through.
CREATE UNIQUE INDEX market_stats_series_idx
	ON market_stats (tenant_id, area_type, area, property_type, period, period_start);

COMMENT ON MATERIALIZED VIEW market_stats IS
'market statistics per tenant, area, property type, week and month (docs/statistics.md); refreshed by mls_refresh_stats()';

-- API: Public.  Refreshes market_stats; CONCURRENTLY (readers keep reading
-- the previous figures) once it has been populated.  Runs as the view's
-- owner, which REFRESH requires.  Returns the number of rows.
CREATE FUNCTION mls_refresh_stats(concurrent boolean DEFAULT true)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	n bigint;
BEGIN
	IF concurrent AND (SELECT c.relispopulated FROM pg_catalog.pg_class c
						  WHERE c.oid = 'mlsync.market_stats'::regclass) THEN
		REFRESH MATERIALIZED VIEW CONCURRENTLY mlsync.market_stats;
	ELSE
		REFRESH MATERIALIZED VIEW mlsync.market_stats;
	END IF;
	SELECT count(*) INTO n FROM mlsync.market_stats;
	RETURN n;
END
$$;

REVOKE ALL ON FUNCTION mls_refresh_stats(boolean) FROM PUBLIC;

COMMENT ON FUNCTION mls_refresh_stats(boolean) IS
'refresh market_stats (concurrently: readers are not blocked)';

-- API: Public.  One series of market_stats for a dashboard, oldest period
-- first.  NULL area or property type means "all".
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
		SELECT s.* FROM mlsync.market_stats s
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
-- mlsync install script, part 45: pg_cron schedules (REQUIREMENTS F21).
--
-- mls_schedule(tenant) makes the tenant's pg_cron jobs match its
-- connections: an incremental sync per connection at its sync_interval, a
-- reconciliation per connection at its reconcile_schedule, time-based event
-- detection daily, and the statistics refresh daily.  Jobs are named
-- mlsync:<tenant>:<connection>:<kind> (mlsync:<tenant>:time-events), so a
-- second call updates them instead of adding more.  market_stats covers every
-- tenant, so its refresh is one job, mlsync:stats, shared by all tenants.
--
-- Both functions are SECURITY DEFINER: pg_cron runs a job as the role that
-- scheduled it, so every mlsync job belongs to the extension's owner, whoever
-- asks; this is also the role the refresh of market_stats needs.  pg_cron is
-- optional: it is looked up when these functions run, not when mlsync is
-- installed.

-- API: Private.  Turns a sync interval into a pg_cron schedule.  pg_cron
-- (1.4, Debian 12) takes cron syntax only, so an interval becomes the nearest
-- even spacing not longer than asked: minutes that divide an hour, hours that
-- divide a day, then daily, weekly or monthly.
CREATE FUNCTION mls_interval_to_cron(every interval)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	minutes bigint := floor(extract(epoch FROM every) / 60);
	step integer;
BEGIN
	IF minutes < 1 THEN
		RAISE EXCEPTION 'sync interval % is shorter than a minute', every
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF minutes < 60 THEN
		SELECT max(d) INTO step FROM unnest(ARRAY[1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30]) d WHERE d <= minutes;
		RETURN CASE WHEN step = 1 THEN '* * * * *' ELSE format('*/%s * * * *', step) END;
	ELSIF minutes < 1440 THEN
		SELECT max(d) INTO step FROM unnest(ARRAY[1, 2, 3, 4, 6, 8, 12]) d WHERE d <= minutes / 60;
		RETURN CASE WHEN step = 1 THEN '0 * * * *' ELSE format('0 */%s * * *', step) END;
	ELSIF minutes < 7 * 1440 THEN
		RETURN '0 0 * * *';
	ELSIF minutes < 28 * 1440 THEN
		RETURN '0 0 * * 0';
	END IF;
	RETURN '0 0 1 * *';
END
$$;

COMMENT ON FUNCTION mls_interval_to_cron(interval) IS
'the pg_cron schedule of a sync interval: the nearest even spacing not longer than the interval';

-- API: Private.  The jobs a tenant should have: name, schedule, command.
CREATE FUNCTION mls_schedule_jobs(tenant text, stats_schedule text, time_events_schedule text)
RETURNS TABLE (job_name text, schedule text, command text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT format('mlsync:%s:%s:incremental', c.tenant_id, c.connection),
		   mlsync.mls_interval_to_cron(c.sync_interval),
		   format('SELECT mlsync.mls_sync(%L, %L, mode => %L)', c.tenant_id, c.connection, 'incremental')
	  FROM mlsync.mls_connections c
	 WHERE c.tenant_id = mls_schedule_jobs.tenant AND c.enabled
	UNION ALL
	SELECT format('mlsync:%s:%s:reconcile', c.tenant_id, c.connection),
		   c.reconcile_schedule,
		   format('SELECT mlsync.mls_sync(%L, %L, mode => %L)', c.tenant_id, c.connection, 'reconcile')
	  FROM mlsync.mls_connections c
	 WHERE c.tenant_id = mls_schedule_jobs.tenant AND c.enabled
	UNION ALL
	SELECT format('mlsync:%s:time-events', mls_schedule_jobs.tenant),
		   mls_schedule_jobs.time_events_schedule,
		   format('SELECT mlsync.mls_detect_time_events(%L)', mls_schedule_jobs.tenant)
	UNION ALL
	SELECT 'mlsync:stats', mls_schedule_jobs.stats_schedule, 'SELECT mlsync.mls_refresh_stats()';
END;

-- API: Private.  Raises a clear error when pg_cron cannot be used here.
CREATE FUNCTION mls_require_pg_cron()
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cron_db text := current_setting('cron.database_name', true);
BEGIN
	IF cron_db IS NULL THEN
		RAISE EXCEPTION 'pg_cron is not loaded'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = format('Add pg_cron to shared_preload_libraries, set cron.database_name = %L, restart the server and run CREATE EXTENSION pg_cron in database %s.',
								current_database(), current_database());
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
		IF cron_db = current_database() THEN
			RAISE EXCEPTION 'extension pg_cron is not installed in database "%"', current_database()
				USING ERRCODE = 'object_not_in_prerequisite_state',
					  HINT = 'Run CREATE EXTENSION pg_cron in this database.';
		END IF;
		RAISE EXCEPTION 'pg_cron works in database "%", not in "%"', cron_db, current_database()
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = format('Set cron.database_name = %L and restart the server, or install mlsync in database %s.',
								current_database(), cron_db);
	END IF;
END
$$;

-- API: Public.  Creates, updates or removes the tenant's pg_cron jobs so that
-- they match its enabled connections; creates or updates the shared
-- statistics job.  Returns every job of the tenant (and mlsync:stats) with
-- what was done to it: created, updated, unchanged or removed.
CREATE FUNCTION mls_schedule(tenant text,
							 stats_schedule text DEFAULT '30 2 * * *',
							 time_events_schedule text DEFAULT '15 0 * * *')
RETURNS TABLE (job_name text, schedule text, command text, action text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	want record;
	have record;
	exists_now boolean;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_tenants t WHERE t.tenant_id = mls_schedule.tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', mls_schedule.tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Create it with mlsync.mls_create_tenant().';
	END IF;
	IF mls_schedule.stats_schedule IS NULL OR mls_schedule.time_events_schedule IS NULL THEN
		RAISE EXCEPTION 'schedules must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM mlsync.mls_require_pg_cron();

	FOR want IN SELECT * FROM mlsync.mls_schedule_jobs(mls_schedule.tenant, mls_schedule.stats_schedule,
													   mls_schedule.time_events_schedule) j
				ORDER BY j.job_name
	LOOP
		SELECT j.schedule, j.command, j.database INTO have
		  FROM cron.job j
		 WHERE j.jobname = want.job_name AND j.username = current_user;
		exists_now := FOUND;
		job_name := want.job_name; schedule := want.schedule; command := want.command;
		IF exists_now AND have.schedule = want.schedule AND have.command = want.command
		   AND have.database = current_database() THEN
			action := 'unchanged';
		ELSE
			-- cron.schedule updates a job of the same name and owner in place
			PERFORM cron.schedule(want.job_name, want.schedule, want.command);
			action := CASE WHEN exists_now THEN 'updated' ELSE 'created' END;
		END IF;
		RETURN NEXT;
	END LOOP;

	-- jobs of connections that were deleted or disabled
	FOR have IN SELECT j.jobname, j.schedule, j.command FROM cron.job j
				 WHERE j.username = current_user
				   AND starts_with(j.jobname, 'mlsync:' || mls_schedule.tenant || ':')
				   AND j.jobname NOT IN (SELECT s.job_name
										   FROM mlsync.mls_schedule_jobs(mls_schedule.tenant, '', '') s)
				 ORDER BY j.jobname
	LOOP
		PERFORM cron.unschedule(have.jobname::name);
		job_name := have.jobname; schedule := have.schedule; command := have.command;
		action := 'removed';
		RETURN NEXT;
	END LOOP;
END
$$;

REVOKE ALL ON FUNCTION mls_schedule(text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION mls_schedule(text, text, text) IS
'create, update or remove the pg_cron jobs of a tenant (syncs per connection, time events) and the statistics refresh';

-- API: Public.  Removes the tenant's jobs, and mlsync:stats when no tenant
-- has jobs left.  Returns the names of the removed jobs.
CREATE FUNCTION mls_unschedule(tenant text)
RETURNS SETOF text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	job text;
BEGIN
	PERFORM mlsync.mls_require_pg_cron();
	FOR job IN SELECT j.jobname FROM cron.job j
				WHERE j.username = current_user
				  AND starts_with(j.jobname, 'mlsync:' || tenant || ':')
				ORDER BY j.jobname
	LOOP
		PERFORM cron.unschedule(job::name);
		RETURN NEXT job;
	END LOOP;
	-- the statistics job serves every tenant: it goes with the last one
	IF NOT EXISTS (SELECT 1 FROM cron.job j
					WHERE j.username = current_user AND j.jobname ~ '^mlsync:[^:]+:')
	   AND EXISTS (SELECT 1 FROM cron.job j
					WHERE j.username = current_user AND j.jobname = 'mlsync:stats') THEN
		PERFORM cron.unschedule('mlsync:stats'::name);
		RETURN NEXT 'mlsync:stats';
	END IF;
END
$$;

REVOKE ALL ON FUNCTION mls_unschedule(text) FROM PUBLIC;

COMMENT ON FUNCTION mls_unschedule(text) IS
'remove the pg_cron jobs of a tenant (and the statistics job when no tenant has jobs left)';
-- mlsync install script, part 50: RETS protocol functions (REQUIREMENTS F1,
-- PROTOCOLS.md §1).  The parsers, the query builder and the reply codes the
-- RETS source uses, callable from SQL so an operator can inspect a recorded
-- response (a body saved with curl -o) and so the tests can drive them with
-- real recordings.  All are pure functions of their arguments.

-- API: Public.
CREATE FUNCTION mls_rets_parse_search(body bytea,
									  content_type text DEFAULT NULL,
									  chunk_size integer DEFAULT NULL,
									  with_rows boolean DEFAULT true)
RETURNS jsonb
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_parse_search$$;

COMMENT ON FUNCTION mls_rets_parse_search(bytea, text, integer, boolean) IS
'parse a RETS Search response (COMPACT or COMPACT-DECODED): reply code, COUNT, columns, rows, truncation, repairs';

-- API: Public.
CREATE FUNCTION mls_rets_parse_metadata(body bytea,
										content_type text DEFAULT NULL,
										chunk_size integer DEFAULT NULL)
RETURNS jsonb
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_parse_metadata$$;

COMMENT ON FUNCTION mls_rets_parse_metadata(bytea, text, integer) IS
'parse a RETS GetMetadata response (COMPACT or STANDARD-XML): one entry per METADATA-* table with its attributes and rows';

-- API: Public.
CREATE FUNCTION mls_rets_parse_login(body bytea,
									 login_url text DEFAULT NULL,
									 content_type text DEFAULT NULL)
RETURNS jsonb
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_parse_login$$;

COMMENT ON FUNCTION mls_rets_parse_login(bytea, text, text) IS
'parse a RETS Login, Logout or Action response: reply code, capability URLs resolved against login_url, Info lines, metadata version, timeout';

-- API: Public.
CREATE FUNCTION mls_rets_parse_objects(body bytea,
									   response_content_type text,
									   response_headers text DEFAULT NULL,
									   chunk_size integer DEFAULT NULL)
RETURNS TABLE (part integer, content_type text, content_id text, object_id text,
			   description text, sub_description text, location text,
			   preferred boolean, reply_code integer, reply_text text,
			   object_data jsonb, headers jsonb, size bigint, data bytea)
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_parse_objects$$;

COMMENT ON FUNCTION mls_rets_parse_objects(bytea, text, text, integer) IS
'parse a RETS GetObject response (multipart, single object or XML error): one row per object';

-- API: Public.  The password travels as an argument: it is visible to
-- whoever sees the statement (logs, pg_stat_activity).
CREATE FUNCTION mls_rets_ua_authorization(user_agent text,
										  ua_password text,
										  request_id text DEFAULT '',
										  session_id text DEFAULT '',
										  rets_version text DEFAULT 'RETS/1.7.2',
										  interealty boolean DEFAULT false)
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_ua_authorization$$;

COMMENT ON FUNCTION mls_rets_ua_authorization(text, text, text, text, text, boolean) IS
'value of the RETS-UA-Authorization header ("Digest <hex>") for a user agent, its password, request id, session id and RETS version';

-- API: Public.
CREATE FUNCTION mls_rets_query(timestamp_field text DEFAULT NULL,
							   from_ts timestamp DEFAULT NULL,
							   to_ts timestamp DEFAULT NULL,
							   key_field text DEFAULT NULL,
							   key_from text DEFAULT NULL,
							   key_to text DEFAULT NULL,
							   status_field text DEFAULT NULL,
							   statuses text[] DEFAULT NULL,
							   extra_query text DEFAULT NULL)
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_query$$;

COMMENT ON FUNCTION mls_rets_query(text, timestamp, timestamp, text, text, text, text, text[], text) IS
'DMQL2 query of an inclusive time window, a key range, a status list and an extra query';

-- API: Public.
CREATE FUNCTION mls_rets_search_request(resource text,
										class text,
										query text,
										format text DEFAULT 'COMPACT-DECODED',
										"select" text[] DEFAULT NULL,
										"limit" integer DEFAULT NULL,
										"offset" integer DEFAULT NULL,
										count integer DEFAULT 1,
										standard_names boolean DEFAULT false,
										restricted_indicator text DEFAULT NULL)
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_search_request$$;

COMMENT ON FUNCTION mls_rets_search_request(text, text, text, text, text[], integer, integer, integer, boolean, text) IS
'percent-encoded arguments of a RETS Search (query string or form body)';

-- API: Public.
CREATE FUNCTION mls_rets_split_window(window_from timestamp,
									  window_to timestamp,
									  resolution interval DEFAULT '1 second')
RETURNS TABLE (from_ts timestamp, to_ts timestamp)
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_split_window$$;

COMMENT ON FUNCTION mls_rets_split_window(timestamp, timestamp, interval) IS
'the two halves of a truncated inclusive query window, sharing their middle instant; no row when the window cannot be split at this resolution';

-- API: Public.  Key ranges are integers, so the halves do not overlap.
CREATE FUNCTION mls_rets_split_key_range(range_from numeric, range_to numeric)
RETURNS TABLE (key_from numeric, key_to numeric)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT k.lo, k.hi
	  FROM (SELECT trunc(range_from) AS lo,
				   floor((trunc(range_from) + trunc(range_to)) / 2) AS mid,
				   trunc(range_to) AS hi) r,
		   LATERAL (VALUES (1, r.lo, r.mid), (2, r.mid + 1, r.hi)) AS k(half, lo, hi)
	 WHERE r.lo < r.hi
	 ORDER BY k.half;
END;

COMMENT ON FUNCTION mls_rets_split_key_range(numeric, numeric) IS
'the two halves of an inclusive integer key range; no row when it holds a single key';

-- API: Public.
CREATE FUNCTION mls_rets_reply_code(reply_code integer)
RETURNS TABLE (code integer, transaction text, category text, action text,
			   meaning text, known boolean)
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE ROWS 1
AS 'MODULE_PATHNAME', $$mls_rets_reply_code$$;

COMMENT ON FUNCTION mls_rets_reply_code(integer) IS
'what a RETS reply code means: the mls_sync_errors category and what a sync does (ok, empty, truncated, split, retry, relogin, skip, ignore, fatal)';

-- API: Public.
CREATE FUNCTION mls_rets_reply_codes()
RETURNS TABLE (code integer, transaction text, category text, action text,
			   meaning text, known boolean)
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_rets_reply_codes$$;

COMMENT ON FUNCTION mls_rets_reply_codes() IS
'every RETS reply code mlsync knows, with its category and action';
-- mlsync install script, part 55: what a RETS connection keeps of its
-- server (metadata) and what it offers on top of a sync (mapping
-- suggestions, a listing's photo list).  REQUIREMENTS F1; PROTOCOLS.md §1.8-1.9.

-- The server's metadata, one row per METADATA-* table, refreshed by a run
-- whenever the Login reports a new MetadataVersion (or by a metadata run).
CREATE TABLE mls_source_metadata (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	metadata_type	text NOT NULL,
	scope			text NOT NULL,
	version			text,
	date			text,
	attributes		jsonb NOT NULL DEFAULT '{}',
	rows			jsonb NOT NULL CHECK (jsonb_typeof(rows) = 'array'),
	fetched_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, connection, metadata_type, scope),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections
		ON DELETE CASCADE ON UPDATE CASCADE
);

COMMENT ON TABLE mls_source_metadata IS 'a RETS server''s metadata per connection: one row per METADATA-* table (type, scope Resource:Class or Resource:Lookup, attributes, rows)';

SELECT pg_catalog.pg_extension_config_dump('mls_source_metadata', '');

-- API: Private.  Local status spellings RETS servers send, and the RESO
-- StandardStatus each means (for suggestions; a mapping can say otherwise).
CREATE FUNCTION mls_rets_status_synonyms()
RETURNS TABLE (local_value text, standard_status text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	VALUES ('contingent', 'Active Under Contract'),
		   ('under contract', 'Active Under Contract'),
		   ('active contingent', 'Active Under Contract'),
		   ('backup offer', 'Active Under Contract'),
		   ('sold', 'Closed'),
		   ('leased', 'Closed'),
		   ('rented', 'Closed'),
		   ('temporarily withdrawn', 'Withdrawn'),
		   ('withdrawn', 'Withdrawn'),
		   ('cancelled', 'Canceled'),
		   ('temp off market', 'Hold'),
		   ('temporarily off market', 'Hold'),
		   ('off market', 'Hold'),
		   ('deleted', 'Delete'),
		   ('pending sale', 'Pending'),
		   ('under agreement', 'Pending')
$$;

COMMENT ON FUNCTION mls_rets_status_synonyms() IS
'private: local status spellings of RETS servers and the RESO StandardStatus each means, for mapping suggestions';

-- API: Public.  A mapping set proposed from a RETS connection's metadata:
-- every field of its class's METADATA-TABLE whose StandardName (or
-- SystemName) is a RESO Data Dictionary field mlsync maps, with the
-- transform of the built-in set, and for lookups a value map from what the
-- server sends (codes in COMPACT, LongValues in COMPACT-DECODED) to the
-- standard values.  Values no standard value was found for are listed.
CREATE FUNCTION mls_rets_suggest_mappings(tenant text, connection text)
RETURNS TABLE (target text, source_field text, transform text, value_map jsonb,
			   lookup_name text, standard_name text, unmatched_values text[])
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	conn mlsync.mls_connections;
BEGIN
	SELECT * INTO conn FROM mlsync.mls_connections c
	 WHERE c.tenant_id = mls_rets_suggest_mappings.tenant
	   AND c.connection = mls_rets_suggest_mappings.connection;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'connection "%" of tenant "%" does not exist', connection, tenant
			USING ERRCODE = 'undefined_object';
	END IF;
	IF conn.protocol <> 'rets' THEN
		RAISE EXCEPTION 'connection "%" is not a RETS connection', connection
			USING ERRCODE = 'wrong_object_type',
				  HINT = 'A RESO connection uses the built-in mapping set reso-dd-2.0.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_source_metadata m
					WHERE m.tenant_id = conn.tenant_id AND m.connection = conn.connection
					  AND m.metadata_type = 'METADATA-TABLE'
					  AND m.scope = conn.resource || ':' || conn.rets_class) THEN
		RAISE EXCEPTION 'no metadata of class "%" is stored for connection "%"',
						conn.rets_class, connection
			USING ERRCODE = 'no_data_found',
				  HINT = format('Fetch it with SELECT mlsync.mls_sync(%L, %L, mode => ''metadata'', wait => true).',
								tenant, connection);
	END IF;

	RETURN QUERY
	WITH fields AS (
		SELECT f ->> 'SystemName' AS system_name,
			   nullif(f ->> 'StandardName', '') AS standard_name,
			   f ->> 'Interpretation' AS interpretation,
			   nullif(f ->> 'LookupName', '') AS rets_lookup
		  FROM mlsync.mls_source_metadata m, jsonb_array_elements(m.rows) f
		 WHERE m.tenant_id = conn.tenant_id AND m.connection = conn.connection
		   AND m.metadata_type = 'METADATA-TABLE'
		   AND m.scope = conn.resource || ':' || conn.rets_class
	),
	matched AS (
		-- a StandardName wins over a SystemName that happens to be a DD name
		SELECT DISTINCT ON (b.target) b.target, fl.system_name, b.transform,
			   b.lookup_name AS dd_lookup, fl.standard_name, fl.interpretation, fl.rets_lookup
		  FROM fields fl
		  JOIN mlsync.mls_field_mappings b
			ON b.mapping_set = 'reso-dd-2.0'
		   AND b.source_field IN (fl.standard_name, fl.system_name)
		 ORDER BY b.target, (b.source_field = fl.standard_name) DESC, fl.system_name
	),
	items AS (
		SELECT mt.target, i ->> 'Value' AS code, i ->> 'LongValue' AS long_value,
			   i ->> 'ShortValue' AS short_value,
			   CASE WHEN conn.rets_format = 'COMPACT' THEN i ->> 'Value'
					ELSE i ->> 'LongValue' END AS sent
		  FROM matched mt
		  JOIN mlsync.mls_source_metadata m
			ON m.tenant_id = conn.tenant_id AND m.connection = conn.connection
		   AND m.metadata_type = 'METADATA-LOOKUP_TYPE'
		   AND m.scope = conn.resource || ':' || mt.rets_lookup
		 CROSS JOIN jsonb_array_elements(m.rows) i
		 WHERE mt.interpretation LIKE 'Lookup%'
	),
	resolved AS (
		SELECT it.target, it.sent,
			   coalesce(
				   (SELECT l.standard_value FROM mlsync.mls_dd_lookups l
					 WHERE l.lookup_name = coalesce(mt.dd_lookup,
													CASE WHEN mt.transform = 'status' THEN 'StandardStatus' END)
					   AND (lower(l.standard_value) IN (lower(it.long_value), lower(it.short_value), lower(it.code))
							OR lower(l.legacy_value) IN (lower(it.long_value), lower(it.short_value), lower(it.code)))
					 ORDER BY lower(l.standard_value) = lower(it.long_value) DESC LIMIT 1),
				   (SELECT s.standard_status FROM mlsync.mls_rets_status_synonyms() s
					 WHERE mt.transform = 'status'
					   AND s.local_value IN (lower(it.long_value), lower(it.short_value))
					 LIMIT 1),
				   -- a lookup RESO leaves open (City): the server's own LongValue
				   CASE WHEN mt.dd_lookup IS NULL AND mt.transform IS DISTINCT FROM 'status'
						THEN it.long_value END) AS standard
		  FROM items it JOIN matched mt USING (target)
		 WHERE it.sent IS NOT NULL AND it.sent <> ''
	)
	SELECT mt.target, mt.system_name, mt.transform,
		   (SELECT jsonb_object_agg(r.sent, r.standard)
			  FROM resolved r
			 WHERE r.target = mt.target AND r.standard IS NOT NULL AND r.standard <> r.sent),
		   mt.dd_lookup, mt.standard_name,
		   (SELECT array_agg(DISTINCT r.sent ORDER BY r.sent)
			  FROM resolved r WHERE r.target = mt.target AND r.standard IS NULL)
	  FROM matched mt
	 ORDER BY mt.target;
END
$$;

COMMENT ON FUNCTION mls_rets_suggest_mappings(text, text) IS
'a mapping set proposed from a RETS connection''s stored metadata: target column, SystemName, transform, value map to RESO standard values, and the values left unmatched';

-- API: Public.  Create (or replace) a mapping set from the suggestions and,
-- with use => true, point the connection at it and at the key and
-- timestamp fields its metadata names.  Returns the number of mappings.
CREATE FUNCTION mls_rets_create_mapping_set(tenant text, connection text, mapping_set text,
											source_timezone text DEFAULT 'UTC',
											use boolean DEFAULT true)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	n integer;
	conn mlsync.mls_connections;
	key_field text;
	timestamp_field text;
BEGIN
	IF mapping_set = 'reso-dd-2.0' THEN
		RAISE EXCEPTION 'the built-in mapping set reso-dd-2.0 cannot be replaced'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	INSERT INTO mlsync.mls_mapping_sets AS s (mapping_set, description, source_timezone)
	VALUES (mapping_set, format('suggested from the RETS metadata of %s/%s', tenant, connection),
			source_timezone)
	ON CONFLICT ON CONSTRAINT mls_mapping_sets_pkey DO UPDATE
	   SET source_timezone = EXCLUDED.source_timezone
	 WHERE NOT s.builtin;
	DELETE FROM mlsync.mls_field_mappings m WHERE m.mapping_set = mapping_set;
	INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field, transform,
										   value_map, lookup_name, required)
	SELECT mapping_set, s.target, s.source_field, s.transform, s.value_map, s.lookup_name,
		   s.target = 'listing_key'
	  FROM mlsync.mls_rets_suggest_mappings(tenant, connection) s;
	GET DIAGNOSTICS n = ROW_COUNT;

	IF use THEN
		SELECT s.source_field INTO key_field
		  FROM mlsync.mls_rets_suggest_mappings(tenant, connection) s WHERE s.target = 'listing_key';
		SELECT s.source_field INTO timestamp_field
		  FROM mlsync.mls_rets_suggest_mappings(tenant, connection) s
		 WHERE s.target = 'modification_timestamp';
		UPDATE mlsync.mls_connections c
		   SET mapping_set = mls_rets_create_mapping_set.mapping_set,
			   key_field = coalesce(key_field, c.key_field),
			   timestamp_field = coalesce(timestamp_field, c.timestamp_field),
			   updated_at = now()
		 WHERE c.tenant_id = tenant AND c.connection = connection;
	END IF;
	RETURN n;
END
$$;

COMMENT ON FUNCTION mls_rets_create_mapping_set(text, text, text, text, boolean) IS
'create or replace a mapping set from mls_rets_suggest_mappings(); with use => true the connection syncs with it, keyed and watermarked by the fields the metadata names';

-- API: Public (granted like mls_sync: it uses the connection's credentials).
-- The photos of one listing as the RETS server lists them (GetObject with
-- Location=1); bytes is the size of an image sent instead of a URL.
CREATE FUNCTION mls_rets_photos(tenant text, connection text, listing_key text,
								photo_type text DEFAULT 'Photo')
RETURNS TABLE (object_id text, content_type text, description text, url text,
			   preferred boolean, bytes bigint)
LANGUAGE c STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_rets_photos$$;

COMMENT ON FUNCTION mls_rets_photos(text, text, text, text) IS
'the photos of a listing as its RETS server lists them (GetObject, Location=1): object id, content type, description, URL, preferred';

REVOKE ALL ON FUNCTION mls_rets_photos(text, text, text, text) FROM PUBLIC;
