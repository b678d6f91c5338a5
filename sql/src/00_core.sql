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

-- API: Private.  Whether PostgreSQL knows a time zone name or abbreviation
-- (as AT TIME ZONE does, without regard to case).  A lookup, not a trial
-- with an exception handler: a CHECK that opens a subtransaction per row
-- breaks on the busy connections of a distributed database
-- (docs/scaling.md).
CREATE FUNCTION mls_is_valid_timezone(zone text) RETURNS boolean
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT FROM pg_catalog.pg_timezone_names n WHERE lower(n.name) = lower(zone))
	OR EXISTS (SELECT FROM pg_catalog.pg_timezone_abbrevs a WHERE lower(a.abbrev) = lower(zone));

CREATE TABLE mls_tenants (
	tenant_id		text PRIMARY KEY
					CHECK (mls_is_valid_name(tenant_id)),
	name			text NOT NULL,
	max_listings	bigint CHECK (max_listings >= 0),
	dom_milestones	integer[] NOT NULL DEFAULT '{30,60,90}'
					CHECK (0 < ALL (dom_milestones)),
	created_at		timestamptz NOT NULL DEFAULT now(),
	-- 0.2.0 (new columns go last: an upgrade adds them there)
	max_media_bytes	bigint CHECK (max_media_bytes >= 0),
	max_requests_per_day bigint CHECK (max_requests_per_day >= 0)
);

COMMENT ON TABLE mls_tenants IS 'one customer of the database: owns connections, listings and events';
COMMENT ON COLUMN mls_tenants.max_listings IS 'quota: listings (not removed) the tenant may hold; a sync batch that would exceed it is not kept';
COMMENT ON COLUMN mls_tenants.max_media_bytes IS 'quota: bytes of media the tenant may store (enforced by the media download)';
COMMENT ON COLUMN mls_tenants.max_requests_per_day IS 'quota: requests to MLS servers per UTC day, all connections together; a sync stops at the first batch boundary past it';

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
	username		text CHECK (username !~ '[[:cntrl:]]'),
	resource		text NOT NULL DEFAULT 'Property',
	rets_class		text,
	rets_version	text NOT NULL DEFAULT 'RETS/1.7.2'
					CHECK (rets_version ~ '^RETS/1\.(5|7|7\.2|8|8\.0)$'),
	rets_format		text NOT NULL DEFAULT 'COMPACT-DECODED'
					CHECK (rets_format IN ('COMPACT', 'COMPACT-DECODED')),
	rets_method		text NOT NULL DEFAULT 'GET' CHECK (rets_method IN ('GET', 'POST')),
	rets_http_auth	text NOT NULL DEFAULT 'any'
					CHECK (rets_http_auth IN ('any', 'digest', 'basic')),
	user_agent		text CHECK (user_agent !~ '[[:cntrl:]]'),
	mapping_set		text NOT NULL DEFAULT 'reso-dd-2.0'
					REFERENCES mls_mapping_sets,
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
	photo_policy	text NOT NULL DEFAULT 'none'
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
	-- 0.2.0 (new columns go last: an upgrade adds them there)
	vow_statuses	text[] NOT NULL DEFAULT '{Active,Active Under Contract,Pending,Coming Soon,Closed}'
					CHECK (vow_statuses <@ mls_standard_statuses()),
	sold_data_display text NOT NULL DEFAULT 'vow'
					CHECK (sold_data_display IN ('none', 'vow', 'idx_and_vow')),
	paging			text NOT NULL DEFAULT 'keyset' CHECK (paging IN ('keyset', 'nextlink')),
	allowed_origins	text[] NOT NULL DEFAULT '{}',
	-- operations (added in 0.2.0, last so that an upgraded table has the
	-- same column order as a new one)
	sync_schedule	text,
	reconcile_mode	text NOT NULL DEFAULT 'reconcile'
					CHECK (reconcile_mode IN ('reconcile', 'full')),
	max_listings	bigint CHECK (max_listings >= 0),
	mls_owned_fields text[] NOT NULL DEFAULT '{standard_status}',
	listing_updated_events boolean NOT NULL DEFAULT false,
	first_load_events boolean NOT NULL DEFAULT false,
	alert_slow_after interval NOT NULL DEFAULT '30 minutes'
					CHECK (alert_slow_after > interval '0'),
	alert_error_rate_pct numeric NOT NULL DEFAULT 5
					CHECK (alert_error_rate_pct BETWEEN 0 AND 100),
	alert_stale_after interval NOT NULL DEFAULT '24 hours'
					CHECK (alert_stale_after > interval '0'),
	incremental_overlap interval
					-- in the seconds the sync reads back (a month is not 30 days there)
					CHECK (extract(epoch FROM incremental_overlap) BETWEEN 0 AND 7 * 86400),
	visibility_field text CHECK (visibility_field ~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$'),
	PRIMARY KEY (tenant_id, connection),
	CONSTRAINT mls_connections_endpoint_http
		CHECK (endpoint ~* '^https?://[^/?#\s]+' AND endpoint !~ '\s'),
	CONSTRAINT mls_connections_token_url_http
		CHECK (token_url IS NULL OR (token_url ~* '^https?://[^/?#\s]+' AND token_url !~ '\s')),
	CONSTRAINT mls_connections_rets_class_required
		CHECK (protocol = 'reso' OR rets_class IS NOT NULL),
	-- RETS filters statuses with local codes: a DMQL2 source_filter does that
	CONSTRAINT mls_connections_statuses_reso
		CHECK (protocol = 'reso' OR statuses IS NULL),
	-- RETS has no such flag: a source_filter on a local field does that
	CONSTRAINT mls_connections_visibility_field_reso
		CHECK (protocol = 'reso' OR visibility_field IS NULL)
);

COMMENT ON TABLE mls_connections IS 'one MLS feed of a tenant: protocol, endpoint, mapping set, paging, limits, schedule and display policy';
COMMENT ON COLUMN mls_connections.display_statuses IS 'statuses mls_idx_listings shows (IDX: the public display the MLS allows)';
COMMENT ON COLUMN mls_connections.vow_statuses IS 'statuses mls_vow_listings shows to registered consumers (VOW)';
COMMENT ON COLUMN mls_connections.sold_data_display IS 'where close price and close date are shown: none, vow (registered consumers only) or idx_and_vow';
COMMENT ON COLUMN mls_connections.mls_name IS 'the MLS''s name, shown with every displayed listing (attribution)';
COMMENT ON COLUMN mls_connections.attribution IS 'attribution line of displayed listings; {office}, {agent} and {mls} are replaced';
COMMENT ON COLUMN mls_connections.disclaimer IS 'the MLS''s disclaimer for displayed listings; {as_of} is replaced by the time of the last successful sync';
COMMENT ON COLUMN mls_connections.sync_schedule IS 'cron schedule of the incremental sync (e.g. 0 2 * * * for 02:00 daily); NULL: every sync_interval';
COMMENT ON COLUMN mls_connections.reconcile_mode IS 'what the weekly catch-all at reconcile_schedule runs: reconcile (compare keys, repair both ways) or full (re-read every record)';
COMMENT ON COLUMN mls_connections.max_listings IS 'listing cap of the connection: new listings past it are left out of syncs (NULL: no cap)';
COMMENT ON COLUMN mls_connections.mls_owned_fields IS 'columns the MLS owns: a local override of one is cleared when the MLS changes its value';
COMMENT ON COLUMN mls_connections.listing_updated_events IS 'raise a listing_updated event, with the changed columns, for every change of mapped content';
COMMENT ON COLUMN mls_connections.first_load_events IS 'raise new_listing events on the connection''s first load too (by default it records history only)';
COMMENT ON COLUMN mls_connections.alert_slow_after IS 'a run longer than this raises sync_slow';
COMMENT ON COLUMN mls_connections.alert_error_rate_pct IS 'a run skipping more than this percentage of the records it saw raises error_rate_high';
COMMENT ON COLUMN mls_connections.incremental_overlap IS 'how far before its watermark an incremental run of this connection starts reading; NULL: the setting mlsync.incremental_overlap';
COMMENT ON COLUMN mls_connections.visibility_field IS 'RESO: a Boolean field of the records that is false for a record the MLS withdrew from the feed (MLS Grid: MlgCanView): such a record removes the listing; full loads and key sweeps ask for the records where it is true';
COMMENT ON COLUMN mls_connections.alert_stale_after IS 'no successful run that loads listings (full, incremental, reconcile) for this long raises sync_stale';

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
		ON DELETE CASCADE
);

COMMENT ON TABLE mls_credentials IS 'encrypted secrets of connections (AES-256-GCM); write-only through mls_set_credentials';

-- API: Private, used only while the extension is created (and dropped at
-- the end of 30_events.sql).  Partitions a table just created, before its
-- other indexes and dependents exist, by hash of tenant_id into
-- mlsync.listing_partitions partitions (0, the default: nothing happens),
-- each registered for pg_dump.  The table is rebuilt from itself (LIKE),
-- keeping its columns, defaults, checks, identity, storage and compression;
-- its primary key and foreign keys are made again under their names, and an
-- identity's sequence keeps its name.  One server with many tenants gains
-- from it (docs/scaling.md): a tenant's reads, vacuum and removal touch one
-- partition.
CREATE FUNCTION mls_partition_by_tenant(tbl text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	partitions integer := coalesce(nullif(current_setting('mlsync.listing_partitions', true), ''), '0')::integer;
	layout text := tbl || '_layout';
	keys text[];
	sequences text[];
	c record;
BEGIN
	IF partitions < 1 THEN
		RETURN;
	END IF;
	EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, layout);
	SELECT array_agg(format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, k.conname,
							pg_catalog.pg_get_constraintdef(k.oid)) ORDER BY k.contype DESC, k.conname)
	  INTO keys
	  FROM pg_catalog.pg_constraint k
	 WHERE k.conrelid = layout::regclass AND k.contype IN ('p', 'u', 'f');
	SELECT array_agg(a.attname) INTO sequences
	  FROM pg_catalog.pg_attribute a
	 WHERE a.attrelid = layout::regclass AND a.attidentity <> '' AND NOT a.attisdropped;
	EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
				   ' INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION)'
				   ' PARTITION BY HASH (tenant_id)', tbl, layout);
	EXECUTE format('DROP TABLE %I', layout);
	FOR c IN SELECT unnest(keys) AS statement LOOP
		EXECUTE c.statement;
	END LOOP;
	FOR c IN SELECT unnest(sequences) AS column_name LOOP
		EXECUTE format('ALTER SEQUENCE %s RENAME TO %I',
					   pg_catalog.pg_get_serial_sequence(tbl, c.column_name),
					   format('%s_%s_seq', tbl, c.column_name));
	END LOOP;
	FOR r IN 0 .. partitions - 1 LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
					   format('%s_p%s', tbl, r), tbl, partitions, r);
		-- reached through the table only: no privilege, and no row to
		-- anyone but the owner should one be granted
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', format('%s_p%s', tbl, r));
		PERFORM pg_catalog.pg_extension_config_dump(format('%s_p%s', tbl, r), '');
	END LOOP;
END;
$$;

-- The listings themselves.  Normalized columns are named after the RESO Data
-- Dictionary 2.0 field they hold, in snake_case (ListPrice -> list_price), so
-- the built-in mapping set can be derived from the dictionary.  Everything the
-- source sent is kept in raw; what a mapping sends to extra.<key> lands in
-- extra; local edits live in local_overrides, which a sync touches only to
-- clear the override of a field the connection says the MLS owns
-- (mls_owned_fields) when the MLS changes that field.
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
	-- added in 0.2.0 (last, so that an upgraded table has the same column
	-- order as a new one)
	interior_features text[],
	appliances		text[],
	parking_features text[],
	universal_property_id text,
	-- not from the source: the listing's photo URLs in display order,
	-- written by the media subsystem (never by a sync)
	photo_urls		text[],
	PRIMARY KEY (tenant_id, connection, listing_key),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections
		ON DELETE CASCADE,
	CHECK (jsonb_typeof(extra) = 'object')
);

-- Source records are 4-8 kB of repetitive JSON: lz4 compresses them several
-- times faster than pglz at a similar ratio.
ALTER TABLE mls_listings ALTER COLUMN raw SET COMPRESSION lz4;
-- (after the compression: partitions take it from their table when they are
-- made, not when it changes)
SELECT mls_partition_by_tenant('mls_listings');

-- What IDX searches ask (bench/idx_search.sh measures them on 1,000,000
-- listings): a city's listings of some statuses by price, with the usual
-- filters at hand so that counting a result is an index-only scan; a price
-- range, whatever the status (the status is checked on the few rows read in
-- price order); a box of latitude and longitude of some statuses, by
-- BETWEEN on both (btree ranges keep the planner's estimates right, where a
-- GiST box has a fixed guess).  The status and location index also serves
-- what (tenant_id, standard_status) served.
CREATE INDEX mls_listings_city_status_idx ON mls_listings (tenant_id, city, standard_status, list_price)
	INCLUDE (bedrooms_total, bathrooms_total_integer, living_area, property_type);
CREATE INDEX mls_listings_price_idx ON mls_listings (tenant_id, list_price);
CREATE INDEX mls_listings_status_location_idx ON mls_listings (tenant_id, standard_status, latitude, longitude);
-- The few listings with local overrides, which the writer checks for
-- MLS-owned fields on every batch.
CREATE INDEX mls_listings_overridden_idx ON mls_listings (tenant_id, connection, listing_key)
	WHERE local_overrides <> '{}';
-- Listings by modification time, a tenant's across its connections.  Not
-- (tenant_id, connection, ...): on a table without statistics yet (the first
-- load), the planner takes two equal columns of such an index for as good
-- as the primary key, and a lookup by key planned then reads the whole
-- connection.
CREATE INDEX mls_listings_modified_idx ON mls_listings (tenant_id, modification_timestamp);
CREATE INDEX mls_listings_parcel_idx ON mls_listings (tenant_id, parcel_number)
	WHERE parcel_number IS NOT NULL;

COMMENT ON TABLE mls_listings IS 'one row per MLS listing: normalized columns named after RESO DD 2.0 fields, plus extra, raw and local_overrides';
COMMENT ON COLUMN mls_listings.extra IS 'values a mapping set sends to extra.<key>';
COMMENT ON COLUMN mls_listings.raw IS 'the record exactly as the source sent it (lz4-compressed); remapping reads it, so no new download is needed';
COMMENT ON COLUMN mls_listings.raw_hash IS '64-bit hash of raw''s binary form, so a sync skips unchanged records without detoasting raw';
COMMENT ON COLUMN mls_listings.local_overrides IS 'local edits overlaid on MLS values; a sync only clears the override of an MLS-owned field the MLS changed';
COMMENT ON COLUMN mls_listings.conflict IS 'removed_at_source: the listing is gone at the source but has local overrides, so it was flagged instead of removed';
COMMENT ON COLUMN mls_listings.photo_urls IS 'the listing''s photo URLs in display order: written by the media subsystem, never by a sync or a mapping';
COMMENT ON COLUMN mls_listings.universal_property_id IS 'RESO UniversalPropertyId (UPI): the identifier of the real property, when the MLS sends it; the strongest key of property matching';
COMMENT ON COLUMN mls_listings.property_id IS 'the property the listing belongs to (mls_properties), set by property matching when a sync writes the listing; changed by mls_link_listings, mls_unlink_listing and mls_rematch';
COMMENT ON COLUMN mls_listings.removed_at IS 'when the listing was found removed at the source (its status is then Delete)';

-- pg_dump skips the rows of an extension's tables unless they are registered:
-- everything that holds user data is.  (Built-in mapping rows are recreated
-- by CREATE EXTENSION and filtered out.)
SELECT pg_catalog.pg_extension_config_dump('mls_tenants', '');
SELECT pg_catalog.pg_extension_config_dump('mls_mapping_sets', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('mls_connections', '');
SELECT pg_catalog.pg_extension_config_dump('mls_credentials', '');
SELECT pg_catalog.pg_extension_config_dump('mls_listings', '');
