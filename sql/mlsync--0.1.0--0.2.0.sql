-- mlsync 0.1.0 to 0.2.0 (docs/upgrading.md, CHANGELOG.md)
\echo Use "ALTER EXTENSION mlsync UPDATE TO '0.2.0'" to load this file. \quit

-- Written with scripts/upgrade-draft and checked by test/t/095_upgrade.pl:
-- after this script, a 0.1.0 database defines everything as a fresh 0.2.0
-- install does, and keeps every row it had.  Order: data that new
-- constraints need first, then tables, then code (functions, views,
-- triggers, policies, privileges, comments).

-- Global administrators (docs/tenancy.md): a cluster-wide role, shared by
-- every database that installs mlsync, so it may exist already.
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'mlsync_admin') THEN
		CREATE ROLE mlsync_admin NOLOGIN;
		COMMENT ON ROLE mlsync_admin IS 'mlsync global administrators: every tenant, tenant creation and quotas';
	END IF;
END
$$;

-- Rows of tenants that no longer exist: 0.1.0 deleted a tenant's rows
-- through its connections, and left those not tied to one.  0.2.0's tables
-- reference mls_tenants (ON DELETE CASCADE); orphans would fail the new keys.
DELETE FROM mls_alerts x WHERE NOT EXISTS (SELECT FROM mls_tenants t WHERE t.tenant_id = x.tenant_id);
DELETE FROM mls_events x WHERE NOT EXISTS (SELECT FROM mls_tenants t WHERE t.tenant_id = x.tenant_id);
DELETE FROM mls_listing_history x WHERE NOT EXISTS (SELECT FROM mls_tenants t WHERE t.tenant_id = x.tenant_id);
DELETE FROM mls_time_event_marks x WHERE NOT EXISTS (SELECT FROM mls_tenants t WHERE t.tenant_id = x.tenant_id);
DELETE FROM mls_sync_errors x WHERE NOT EXISTS (SELECT FROM mls_tenants t WHERE t.tenant_id = x.tenant_id);
DELETE FROM mls_sync_history x WHERE NOT EXISTS (SELECT FROM mls_tenants t WHERE t.tenant_id = x.tenant_id);

-- A delivery belongs to its event's tenant and leads its key with it
-- (row-level security, distribution); deliveries of deleted events go.
ALTER TABLE mls_event_deliveries ADD COLUMN tenant_id text;
UPDATE mls_event_deliveries d SET tenant_id = e.tenant_id FROM mls_events e WHERE e.event_id = d.event_id;
DELETE FROM mls_event_deliveries WHERE tenant_id IS NULL;
ALTER TABLE mls_event_deliveries ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE mls_event_deliveries DROP CONSTRAINT mls_event_deliveries_pkey;
ALTER TABLE mls_event_deliveries ADD CONSTRAINT mls_event_deliveries_pkey PRIMARY KEY (tenant_id, consumer, event_id);

-- The schema is readable by every role (docs/tenancy.md: row-level security
-- decides what each may see); 0.1.0 left it to the owner.
GRANT USAGE ON SCHEMA mlsync TO PUBLIC;

-- photo_policy 'metadata' did nothing in 0.1.0 and was the default; in
-- 0.2.0 it reads media lists at every sync.  Connections keep doing what
-- they did: 'none', the new default.
ALTER TABLE mls_connections ALTER COLUMN photo_policy SET DEFAULT 'none';
UPDATE mls_connections SET photo_policy = 'none' WHERE photo_policy = 'metadata';

CREATE SEQUENCE mls_property_id_seq;
SELECT pg_catalog.pg_extension_config_dump('mls_property_id_seq', '');

ALTER TABLE mls_alerts ADD COLUMN property_id bigint;
ALTER TABLE mls_alerts ADD COLUMN duplicate_of bigint;
ALTER TABLE mls_connections ADD COLUMN vow_statuses text[] DEFAULT '{Active,"Active Under Contract",Pending,"Coming Soon",Closed}'::text[] NOT NULL;
ALTER TABLE mls_connections ADD COLUMN sold_data_display text DEFAULT 'vow'::text NOT NULL;
ALTER TABLE mls_connections ADD COLUMN paging text DEFAULT 'keyset'::text NOT NULL;
ALTER TABLE mls_connections ADD COLUMN allowed_origins text[] DEFAULT '{}'::text[] NOT NULL;
ALTER TABLE mls_connections ADD COLUMN sync_schedule text;
ALTER TABLE mls_connections ADD COLUMN reconcile_mode text DEFAULT 'reconcile'::text NOT NULL;
ALTER TABLE mls_connections ADD COLUMN max_listings bigint;
ALTER TABLE mls_connections ADD COLUMN mls_owned_fields text[] DEFAULT '{standard_status}'::text[] NOT NULL;
ALTER TABLE mls_connections ADD COLUMN listing_updated_events boolean DEFAULT false NOT NULL;
ALTER TABLE mls_connections ADD COLUMN first_load_events boolean DEFAULT false NOT NULL;
ALTER TABLE mls_connections ADD COLUMN alert_slow_after interval DEFAULT '00:30:00'::interval NOT NULL;
ALTER TABLE mls_connections ADD COLUMN alert_error_rate_pct numeric DEFAULT 5 NOT NULL;
ALTER TABLE mls_connections ADD COLUMN alert_stale_after interval DEFAULT '24:00:00'::interval NOT NULL;
ALTER TABLE mls_connections ADD COLUMN incremental_overlap interval;
ALTER TABLE mls_connections ADD COLUMN visibility_field text;
ALTER TABLE mls_field_mappings ADD COLUMN confidential boolean DEFAULT false NOT NULL;
ALTER TABLE mls_listing_history ADD COLUMN detail jsonb;
ALTER TABLE mls_listings ADD COLUMN interior_features text[];
ALTER TABLE mls_listings ADD COLUMN appliances text[];
ALTER TABLE mls_listings ADD COLUMN parking_features text[];
ALTER TABLE mls_listings ADD COLUMN universal_property_id text;
ALTER TABLE mls_listings ADD COLUMN photo_urls text[];
ALTER TABLE mls_reconcile_keys ADD COLUMN source_timestamp timestamp with time zone;

-- A connection's first load (no listing events) ends with the first run
-- that loads listings; 0.1.0 ended it with any success, a metadata run's
-- too.  last_load_at is the last success when that run loaded listings,
-- else the end of the last run that did; when the runs have been pruned, a
-- connection holding listings after a success has had its first load.
ALTER TABLE mls_sync_status ADD COLUMN last_load_at timestamp with time zone;
UPDATE mls_sync_status s
   SET last_load_at = coalesce(
		   (SELECT CASE WHEN h.mode IN ('full', 'incremental', 'reconcile') THEN s.last_success_at END
			  FROM mls_sync_history h
			 WHERE h.tenant_id = s.tenant_id AND h.connection = s.connection
			   AND h.state = 'succeeded' AND h.mode <> 'dry_run'
			 ORDER BY h.finished_at DESC LIMIT 1),
		   (SELECT max(h.finished_at) FROM mls_sync_history h
			 WHERE h.tenant_id = s.tenant_id AND h.connection = s.connection
			   AND h.state = 'succeeded' AND h.mode IN ('full', 'incremental', 'reconcile')),
		   CASE WHEN EXISTS (SELECT FROM mls_listings l
							  WHERE l.tenant_id = s.tenant_id AND l.connection = s.connection)
				THEN s.last_success_at END)
 WHERE s.last_success_at IS NOT NULL;
ALTER TABLE mls_stats_settings ADD COLUMN count_per text DEFAULT 'property'::text NOT NULL;
ALTER TABLE mls_sync_history ADD COLUMN fetched_missing bigint DEFAULT 0 NOT NULL;
ALTER TABLE mls_sync_history ADD COLUMN refetched_stale bigint DEFAULT 0 NOT NULL;
ALTER TABLE mls_sync_history ADD COLUMN requested_by name;
ALTER TABLE mls_sync_history ADD COLUMN excluded bigint DEFAULT 0 NOT NULL;
ALTER TABLE mls_sync_history ADD COLUMN capped bigint DEFAULT 0 NOT NULL;
ALTER TABLE mls_sync_history ADD COLUMN worker_turns integer DEFAULT 1 NOT NULL;
ALTER TABLE mls_sync_queue ADD COLUMN turns integer DEFAULT 0 NOT NULL;
ALTER TABLE mls_sync_queue ADD COLUMN resume_raw text;
ALTER TABLE mls_tenants ADD COLUMN max_media_bytes bigint;
ALTER TABLE mls_tenants ADD COLUMN max_requests_per_day bigint;

ALTER TABLE mls_alerts ADD CONSTRAINT mls_alerts_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES mlsync.mls_tenants(tenant_id) ON DELETE CASCADE;
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_alert_error_rate_pct_check CHECK (((alert_error_rate_pct >= (0)::numeric) AND (alert_error_rate_pct <= (100)::numeric)));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_alert_slow_after_check CHECK ((alert_slow_after > '00:00:00'::interval));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_alert_stale_after_check CHECK ((alert_stale_after > '00:00:00'::interval));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_incremental_overlap_check CHECK (((EXTRACT(epoch FROM incremental_overlap) >= (0)::numeric) AND (EXTRACT(epoch FROM incremental_overlap) <= ((7 * 86400))::numeric)));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_visibility_field_check CHECK ((visibility_field ~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$'::text));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_visibility_field_reso CHECK (((protocol = 'reso'::text) OR (visibility_field IS NULL)));
ALTER TABLE mls_connections DROP CONSTRAINT mls_connections_mapping_set_fkey;
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_mapping_set_fkey FOREIGN KEY (mapping_set) REFERENCES mlsync.mls_mapping_sets(mapping_set);
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_max_listings_check CHECK ((max_listings >= 0));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_paging_check CHECK ((paging = ANY (ARRAY['keyset'::text, 'nextlink'::text])));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_reconcile_mode_check CHECK ((reconcile_mode = ANY (ARRAY['reconcile'::text, 'full'::text])));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_sold_data_display_check CHECK ((sold_data_display = ANY (ARRAY['none'::text, 'vow'::text, 'idx_and_vow'::text])));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_user_agent_check CHECK ((user_agent !~ '[[:cntrl:]]'::text));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_username_check CHECK ((username !~ '[[:cntrl:]]'::text));
ALTER TABLE mls_credentials DROP CONSTRAINT mls_credentials_tenant_id_connection_fkey;
ALTER TABLE mls_credentials ADD CONSTRAINT mls_credentials_tenant_id_connection_fkey FOREIGN KEY (tenant_id, connection) REFERENCES mlsync.mls_connections(tenant_id, connection) ON DELETE CASCADE;
ALTER TABLE mls_event_deliveries ADD CONSTRAINT mls_event_deliveries_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES mlsync.mls_tenants(tenant_id) ON DELETE CASCADE;
ALTER TABLE mls_events ADD CONSTRAINT mls_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES mlsync.mls_tenants(tenant_id) ON DELETE CASCADE;
ALTER TABLE mls_field_mappings DROP CONSTRAINT mls_field_mappings_mapping_set_fkey;
ALTER TABLE mls_field_mappings ADD CONSTRAINT mls_field_mappings_mapping_set_fkey FOREIGN KEY (mapping_set) REFERENCES mlsync.mls_mapping_sets(mapping_set) ON DELETE CASCADE;
ALTER TABLE mls_listing_history DROP CONSTRAINT mls_listing_history_change_check;
ALTER TABLE mls_listing_history ADD CONSTRAINT mls_listing_history_change_check CHECK ((change = ANY (ARRAY['listed'::text, 'status'::text, 'price'::text, 'removed'::text, 'override_cleared'::text])));
ALTER TABLE mls_listing_history ADD CONSTRAINT mls_listing_history_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES mlsync.mls_tenants(tenant_id) ON DELETE CASCADE;
ALTER TABLE mls_listings DROP CONSTRAINT mls_listings_tenant_id_connection_fkey;
ALTER TABLE mls_listings ADD CONSTRAINT mls_listings_tenant_id_connection_fkey FOREIGN KEY (tenant_id, connection) REFERENCES mlsync.mls_connections(tenant_id, connection) ON DELETE CASCADE;
ALTER TABLE mls_source_metadata DROP CONSTRAINT mls_source_metadata_tenant_id_connection_fkey;
ALTER TABLE mls_source_metadata ADD CONSTRAINT mls_source_metadata_tenant_id_connection_fkey FOREIGN KEY (tenant_id, connection) REFERENCES mlsync.mls_connections(tenant_id, connection) ON DELETE CASCADE;
ALTER TABLE mls_stats_settings ADD CONSTRAINT mls_stats_settings_count_per_check CHECK ((count_per = ANY (ARRAY['property'::text, 'listing'::text])));
ALTER TABLE mls_sync_errors ADD CONSTRAINT mls_sync_errors_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES mlsync.mls_tenants(tenant_id) ON DELETE CASCADE;
ALTER TABLE mls_sync_history ADD CONSTRAINT mls_sync_history_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES mlsync.mls_tenants(tenant_id) ON DELETE CASCADE;
ALTER TABLE mls_sync_queue DROP CONSTRAINT mls_sync_queue_tenant_id_connection_fkey;
ALTER TABLE mls_sync_queue ADD CONSTRAINT mls_sync_queue_tenant_id_connection_fkey FOREIGN KEY (tenant_id, connection) REFERENCES mlsync.mls_connections(tenant_id, connection) ON DELETE CASCADE;
ALTER TABLE mls_sync_status DROP CONSTRAINT mls_sync_status_tenant_id_connection_fkey;
ALTER TABLE mls_sync_status ADD CONSTRAINT mls_sync_status_tenant_id_connection_fkey FOREIGN KEY (tenant_id, connection) REFERENCES mlsync.mls_connections(tenant_id, connection) ON DELETE CASCADE;
ALTER TABLE mls_tenants ADD CONSTRAINT mls_tenants_max_media_bytes_check CHECK ((max_media_bytes >= 0));
ALTER TABLE mls_tenants ADD CONSTRAINT mls_tenants_max_requests_per_day_check CHECK ((max_requests_per_day >= 0));
ALTER TABLE mls_time_event_marks ADD CONSTRAINT mls_time_event_marks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES mlsync.mls_tenants(tenant_id) ON DELETE CASCADE;
ALTER TABLE mls_sync_queue DROP CONSTRAINT mls_sync_queue_run_id_key;
CREATE INDEX mls_alerts_property_idx ON mlsync.mls_alerts USING btree (tenant_id, watcher, property_id, kind, created_at) WHERE ((property_id IS NOT NULL) AND (duplicate_of IS NULL));
CREATE INDEX mls_event_deliveries_claim_idx ON mlsync.mls_event_deliveries USING btree (consumer, event_id);
CREATE INDEX mls_events_event_id_idx ON mlsync.mls_events USING btree (event_id);
CREATE INDEX mls_listings_city_status_idx ON mlsync.mls_listings USING btree (tenant_id, city, standard_status, list_price) INCLUDE (bedrooms_total, bathrooms_total_integer, living_area, property_type);
DROP INDEX mls_listings_modified_idx;
CREATE INDEX mls_listings_modified_idx ON mlsync.mls_listings USING btree (tenant_id, modification_timestamp);
CREATE INDEX mls_listings_overridden_idx ON mlsync.mls_listings USING btree (tenant_id, connection, listing_key) WHERE (local_overrides <> '{}'::jsonb);
CREATE INDEX mls_listings_price_idx ON mlsync.mls_listings USING btree (tenant_id, list_price);
CREATE INDEX mls_listings_status_location_idx ON mlsync.mls_listings USING btree (tenant_id, standard_status, latitude, longitude);
CREATE INDEX mls_sync_errors_run_idx ON mlsync.mls_sync_errors USING btree (tenant_id, run_id);
CREATE INDEX mls_sync_history_run_idx ON mlsync.mls_sync_history USING btree (run_id);
CREATE INDEX mls_sync_queue_run_idx ON mlsync.mls_sync_queue USING btree (run_id);
DROP INDEX market_stats_series_idx;
DROP INDEX mls_events_event_id_key;
DROP INDEX mls_listings_status_idx;
DROP INDEX mls_saved_searches_area_idx;

DROP FUNCTION mlsync.mls_connect(text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text[],integer,boolean,boolean,numeric,integer,integer,interval,text,text,text[],text,text,text,integer,boolean);
DROP FUNCTION mlsync.mls_create_tenant(text,text,bigint,integer[]);
DROP FUNCTION mlsync.mls_new_listings(text,timestamp with time zone);
DROP FUNCTION mlsync.mls_price_changes(text,timestamp with time zone);
DROP FUNCTION mlsync.mls_refresh_stats(boolean);
DROP FUNCTION mlsync.mls_schedule(text,text,text);
DROP FUNCTION mlsync.mls_schedule_jobs(text,text,text);
DROP FUNCTION mlsync.mls_stats_listing_facts(timestamp with time zone);
CREATE OR REPLACE FUNCTION mlsync.mls_is_valid_timezone(zone text)
 RETURNS boolean
 LANGUAGE sql
 STABLE STRICT
 SET search_path TO 'pg_catalog', 'pg_temp'
RETURN ((EXISTS (SELECT FROM pg_timezone_names n WHERE (lower(n.name) = lower(mls_is_valid_timezone.zone)))) OR (EXISTS (SELECT FROM pg_timezone_abbrevs a WHERE (lower(a.abbrev) = lower(mls_is_valid_timezone.zone)))));

CREATE OR REPLACE FUNCTION mlsync.mls_url_origin(url text)
 RETURNS text
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE STRICT
AS '$libdir/mlsync', $function$mls_url_origin$function$;
REVOKE ALL ON FUNCTION mlsync.mls_url_origin(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_url_origin(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_create_tenant(tenant text, name text DEFAULT NULL::text, max_listings bigint DEFAULT NULL::bigint, dom_milestones integer[] DEFAULT NULL::integer[], max_media_bytes bigint DEFAULT NULL::bigint, max_requests_per_day bigint DEFAULT NULL::bigint)
 RETURNS mlsync.mls_tenants
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_create_tenant(text,text,bigint,integer[],bigint,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_create_tenant(text,text,bigint,integer[],bigint,bigint) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_create_tenant(text,text,bigint,integer[],bigint,bigint) IS 'create a tenant, or update the given attributes of an existing one (NULL keeps a value; mls_tenant_reset clears one)';

CREATE OR REPLACE FUNCTION mlsync.mls_tenant_reset(tenant text, VARIADIC settings text[])
 RETURNS mlsync.mls_tenants
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_tenant_reset(text,text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_tenant_reset(text,text[]) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_tenant_reset(text,text[]) IS 'put settings of a tenant (quotas, dom_milestones) back to their defaults: no quota';

CREATE TYPE mlsync.mls_connect_result AS (tenant_id text, connection text, protocol text, endpoint text, enabled boolean, disabled_reason text, action text, changed text[]);

CREATE OR REPLACE FUNCTION mlsync.mls_connect_result(old_row mlsync.mls_connections, new_row mlsync.mls_connections)
 RETURNS mlsync.mls_connect_result
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT new_row.tenant_id, new_row.connection, new_row.protocol, new_row.endpoint, new_row.enabled,
		   new_row.disabled_reason,
		   CASE WHEN old_row.tenant_id IS NULL THEN 'created'
				WHEN d.changed IS NULL THEN 'unchanged' ELSE 'updated' END,
		   CASE WHEN old_row.tenant_id IS NOT NULL THEN coalesce(d.changed, '{}') END
	  FROM (SELECT array_agg(n.key ORDER BY n.key) AS changed
			  FROM pg_catalog.jsonb_each(pg_catalog.to_jsonb(new_row)) n
			  JOIN pg_catalog.jsonb_each(pg_catalog.to_jsonb(old_row)) o ON o.key = n.key
			 WHERE n.value IS DISTINCT FROM o.value AND n.key <> 'updated_at') d
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_connect_result(mlsync.mls_connections,mlsync.mls_connections) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_connect_result(mlsync.mls_connections,mlsync.mls_connections) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_connect(tenant text, connection text, protocol text DEFAULT NULL::text, endpoint text DEFAULT NULL::text, token_url text DEFAULT NULL::text, username text DEFAULT NULL::text, oauth_client_auth text DEFAULT NULL::text, oauth_scope text DEFAULT NULL::text, resource text DEFAULT NULL::text, rets_class text DEFAULT NULL::text, rets_version text DEFAULT NULL::text, rets_format text DEFAULT NULL::text, rets_method text DEFAULT NULL::text, rets_http_auth text DEFAULT NULL::text, user_agent text DEFAULT NULL::text, mapping_set text DEFAULT NULL::text, key_field text DEFAULT NULL::text, timestamp_field text DEFAULT NULL::text, source_filter text DEFAULT NULL::text, statuses text[] DEFAULT NULL::text[], page_size integer DEFAULT NULL::integer, select_mapped_only boolean DEFAULT NULL::boolean, expand_media boolean DEFAULT NULL::boolean, rate_per_second numeric DEFAULT NULL::numeric, rate_per_hour integer DEFAULT NULL::integer, rate_per_day integer DEFAULT NULL::integer, sync_interval interval DEFAULT NULL::interval, reconcile_schedule text DEFAULT NULL::text, photo_policy text DEFAULT NULL::text, display_statuses text[] DEFAULT NULL::text[], mls_name text DEFAULT NULL::text, attribution text DEFAULT NULL::text, disclaimer text DEFAULT NULL::text, priority integer DEFAULT NULL::integer, enabled boolean DEFAULT NULL::boolean, vow_statuses text[] DEFAULT NULL::text[], sold_data_display text DEFAULT NULL::text, paging text DEFAULT NULL::text, allowed_origins text[] DEFAULT NULL::text[], sync_schedule text DEFAULT NULL::text, reconcile_mode text DEFAULT NULL::text, max_listings bigint DEFAULT NULL::bigint, mls_owned_fields text[] DEFAULT NULL::text[], listing_updated_events boolean DEFAULT NULL::boolean, first_load_events boolean DEFAULT NULL::boolean, alert_slow_after interval DEFAULT NULL::interval, alert_error_rate_pct numeric DEFAULT NULL::numeric, alert_stale_after interval DEFAULT NULL::interval, incremental_overlap interval DEFAULT NULL::interval, visibility_field text DEFAULT NULL::text)
 RETURNS mlsync.mls_connect_result
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_connect(text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text[],integer,boolean,boolean,numeric,integer,integer,interval,text,text,text[],text,text,text,integer,boolean,text[],text,text,text[],text,text,bigint,text[],boolean,boolean,interval,numeric,interval,interval,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_connect(text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text[],integer,boolean,boolean,numeric,integer,integer,interval,text,text,text[],text,text,text,integer,boolean,text[],text,text,text[],text,text,bigint,text[],boolean,boolean,interval,numeric,interval,interval,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_connect(text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text,text[],integer,boolean,boolean,numeric,integer,integer,interval,text,text,text[],text,text,text,integer,boolean,text[],text,text,text[],text,text,bigint,text[],boolean,boolean,interval,numeric,interval,interval,text) IS 'create a connection (an MLS feed of a tenant), or update the given settings of an existing one; returns it in brief with the settings changed';

CREATE OR REPLACE FUNCTION mlsync.mls_connect_reset(tenant text, connection text, VARIADIC settings text[])
 RETURNS mlsync.mls_connect_result
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_connect_reset(text,text,text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_connect_reset(text,text,text[]) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_connect_reset(text,text,text[]) IS 'put settings of a connection back to their defaults (no rate limit, no token URL, ...); returns the connection in brief with the settings changed';

CREATE OR REPLACE FUNCTION mlsync.mls_set_credentials_unchecked(tenant text, connection text, password text DEFAULT NULL::text, client_secret text DEFAULT NULL::text, ua_password text DEFAULT NULL::text, access_token text DEFAULT NULL::text)
 RETURNS text[]
 LANGUAGE c
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
 SET log_min_error_statement TO 'panic'
AS '$libdir/mlsync', $function$mls_set_credentials$function$;
REVOKE ALL ON FUNCTION mlsync.mls_set_credentials_unchecked(text,text,text,text,text,text) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_set_credentials_unchecked(text,text,text,text,text,text) IS 'private: mls_set_credentials as the extension''s owner, called by mls_set_credentials once the caller may operate the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_set_credentials(tenant text, connection text, password text DEFAULT NULL::text, client_secret text DEFAULT NULL::text, ua_password text DEFAULT NULL::text, access_token text DEFAULT NULL::text)
 RETURNS text[]
 LANGUAGE c
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_set_credentials_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_set_credentials(text,text,text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_set_credentials(text,text,text,text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_set_credentials(text,text,text,text,text,text) IS 'store secrets of a connection encrypted (NULL keeps a secret, '''' removes it); returns the kinds stored; needs operate on the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_credentials_status_unchecked(tenant text, connection text, OUT kind text, OUT updated_at timestamp with time zone, OUT decryptable boolean)
 RETURNS SETOF record
 LANGUAGE c
 STRICT SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_credentials_status$function$;
REVOKE ALL ON FUNCTION mlsync.mls_credentials_status_unchecked(text,text) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_credentials_status_unchecked(text,text) IS 'private: mls_credentials_status as the extension''s owner, called by mls_credentials_status once the caller may operate the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_credentials_status(tenant text, connection text, OUT kind text, OUT updated_at timestamp with time zone, OUT decryptable boolean)
 RETURNS SETOF record
 LANGUAGE c
 STRICT
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_credentials_status_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_credentials_status(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_credentials_status(text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_credentials_status(text,text) IS 'which secrets a connection has and whether the current key decrypts them (never the secrets); needs operate on the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_rotate_secret_key(new_key_file text)
 RETURNS integer
 LANGUAGE c
 STRICT
AS '$libdir/mlsync', $function$mls_rotate_secret_key$function$;
REVOKE ALL ON FUNCTION mlsync.mls_rotate_secret_key(text) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_rotate_secret_key(text) IS 're-encrypt every stored secret with the key in new_key_file, all or none; then point mlsync.secret_key_file at it';

CREATE OR REPLACE FUNCTION mlsync.mls_connections_unbind_credentials()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_connections_unbind_credentials() FROM PUBLIC;

CREATE TRIGGER mls_connections_unbind_credentials AFTER UPDATE OF endpoint, token_url, username, allowed_origins ON mlsync.mls_connections FOR EACH ROW EXECUTE FUNCTION mlsync.mls_connections_unbind_credentials();

CREATE OR REPLACE VIEW mls_mappable_columns AS
SELECT a.attname::text AS column_name,
	   a.atttypid::regtype AS data_type,
	   format_type(a.atttypid, a.atttypmod) AS declared_type
  FROM pg_catalog.pg_attribute a
 WHERE a.attrelid = 'mlsync.mls_listings'::regclass
   AND a.attnum > 0
   AND NOT a.attisdropped
   AND a.attname NOT IN ('tenant_id', 'connection', 'extra', 'raw', 'raw_hash',
						 'local_overrides', 'property_id', 'conflict',
						 'first_seen_at', 'last_synced_at', 'removed_at', 'photo_urls')
 ORDER BY a.attnum;

CREATE OR REPLACE FUNCTION mlsync.mls_remap(tenant text, connection text DEFAULT NULL::text)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
	columns text;
	mapped_columns text;
	changed bigint;
BEGIN
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'remapping listings');
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
	-- the statistics refresh recomputes the remapped listings
	IF changed > 0 THEN
		INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
		SELECT c.tenant_id, c.connection, NULL FROM mlsync.mls_connections c
		 WHERE c.tenant_id = mls_remap.tenant
		   AND (mls_remap.connection IS NULL OR c.connection = mls_remap.connection);
	END IF;
	RETURN changed;
END
$function$;

CREATE OR REPLACE FUNCTION mlsync.mls_sync_unchecked(tenant text, connection text DEFAULT NULL::text, mode text DEFAULT 'incremental'::text, wait boolean DEFAULT false, listing_key text DEFAULT NULL::text)
 RETURNS bigint[]
 LANGUAGE c
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_sync$function$;
REVOKE ALL ON FUNCTION mlsync.mls_sync_unchecked(text,text,text,boolean,text) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_sync_unchecked(text,text,text,boolean,text) IS 'private: mls_sync as the extension''s owner, called by mls_sync once the caller may operate the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_sync_cancel_unchecked(run_id bigint)
 RETURNS boolean
 LANGUAGE c
 STRICT SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_sync_cancel$function$;
REVOKE ALL ON FUNCTION mlsync.mls_sync_cancel_unchecked(bigint) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_sync_cancel_unchecked(bigint) IS 'private: mls_sync_cancel as the extension''s owner, called by mls_sync_cancel once the caller may operate the run''s tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_sync_wait_unchecked(run_id bigint, timeout interval DEFAULT '01:00:00'::interval)
 RETURNS text
 LANGUAGE c
 STRICT SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_sync_wait$function$;
REVOKE ALL ON FUNCTION mlsync.mls_sync_wait_unchecked(bigint,interval) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_sync_wait_unchecked(bigint,interval) IS 'private: mls_sync_wait as the extension''s owner, called by mls_sync_wait once the caller may read the run''s tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_sync_scheduled(tenant text, connection text, mode text DEFAULT 'incremental'::text)
 RETURNS bigint
 LANGUAGE c
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_sync_scheduled$function$;
REVOKE ALL ON FUNCTION mlsync.mls_sync_scheduled(text,text,text) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_sync_scheduled(text,text,text) IS 'private: queue a scheduled sync (incremental, full or reconcile) of one connection, behind manual requests; NULL when the connection is disabled';

CREATE OR REPLACE FUNCTION mlsync.mls_sync(tenant text, connection text DEFAULT NULL::text, mode text DEFAULT 'incremental'::text, wait boolean DEFAULT false, listing_key text DEFAULT NULL::text)
 RETURNS bigint[]
 LANGUAGE c
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_sync_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_sync(text,text,text,boolean,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_sync(text,text,text,boolean,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_sync(text,text,text,boolean,text) IS 'request a sync (full, incremental, reconcile, single, dry_run, metadata) of a tenant''s enabled connections; returns run ids; needs operate on the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_sync_cancel(run_id bigint)
 RETURNS boolean
 LANGUAGE c
 STRICT
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_sync_cancel_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_sync_cancel(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_sync_cancel(bigint) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_sync_cancel(bigint) IS 'cancel a queued or running sync; returns false when the run is not queued or running; needs operate on the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_sync_wait(run_id bigint, timeout interval DEFAULT '01:00:00'::interval)
 RETURNS text
 LANGUAGE c
 STRICT
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_sync_wait_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_sync_wait(bigint,interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_sync_wait(bigint,interval) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_sync_wait(bigint,interval) IS 'wait for a run to end; returns its final state (succeeded, failed, canceled, interrupted), or its current state at the timeout; needs read on the tenant';

CREATE OR REPLACE VIEW mls_sync_progress WITH (security_invoker = true) AS
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

CREATE OR REPLACE FUNCTION mlsync.mls_price_keys(price numeric)
 RETURNS text[]
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE
AS '$libdir/mlsync', $function$mls_price_keys$function$;
REVOKE ALL ON FUNCTION mlsync.mls_price_keys(numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_price_keys(numeric) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_price_range_keys(min_price numeric, max_price numeric)
 RETURNS text[]
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE
AS '$libdir/mlsync', $function$mls_price_range_keys$function$;
REVOKE ALL ON FUNCTION mlsync.mls_price_range_keys(numeric,numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_price_range_keys(numeric,numeric) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_qualify_area_keys(tenant text, area_keys text[], price_keys text[])
 RETURNS text[]
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE
AS '$libdir/mlsync', $function$mls_qualify_area_keys$function$;
REVOKE ALL ON FUNCTION mlsync.mls_qualify_area_keys(text,text[],text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_qualify_area_keys(text,text[],text[]) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_search_match_keys(tenant text, cities text[], postal_codes text[], counties text[], subdivisions text[], has_radius boolean, min_price numeric, max_price numeric)
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN ((min_price IS NULL) AND (max_price IS NULL)) THEN mlsync.mls_search_area_keys(tenant, cities, postal_codes, counties, subdivisions, has_radius) ELSE mlsync.mls_qualify_area_keys(tenant, mlsync.mls_search_area_keys(tenant, cities, postal_codes, counties, subdivisions, has_radius), mlsync.mls_price_range_keys(min_price, max_price)) END;
REVOKE ALL ON FUNCTION mlsync.mls_search_match_keys(text,text[],text[],text[],text[],boolean,numeric,numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_search_match_keys(text,text[],text[],text[],text[],boolean,numeric,numeric) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_listing_match_keys(tenant text, city text, postal_code text, county text, subdivision text, price numeric)
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN (mlsync.mls_listing_area_keys(tenant, city, postal_code, county, subdivision) || mlsync.mls_qualify_area_keys(tenant, mlsync.mls_listing_area_keys(tenant, city, postal_code, county, subdivision), mlsync.mls_price_keys(price)));
REVOKE ALL ON FUNCTION mlsync.mls_listing_match_keys(text,text,text,text,text,numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_listing_match_keys(text,text,text,text,text,numeric) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_copying_in()
 RETURNS boolean
 LANGUAGE sql
 STABLE PARALLEL RESTRICTED
RETURN COALESCE((current_query() ~* '^\s*copy\s+("?mlsync"?\s*\.\s*)?"?mls_(listings|events)"?[\s(]'::text), false);
REVOKE ALL ON FUNCTION mlsync.mls_copying_in() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_copying_in() TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_listing_events_mode()
 RETURNS text
 LANGUAGE sql
 STABLE PARALLEL RESTRICTED
RETURN CASE WHEN mlsync.mls_copying_in() THEN 'off'::text ELSE CASE lower(COALESCE(current_setting('mlsync.listing_events'::text, true), 'on'::text)) WHEN 'history_only'::text THEN 'history_only'::text WHEN 'off'::text THEN 'off'::text WHEN 'false'::text THEN 'off'::text WHEN 'no'::text THEN 'off'::text WHEN '0'::text THEN 'off'::text ELSE 'on'::text END END;

CREATE OR REPLACE FUNCTION mlsync.mls_writer_capturing()
 RETURNS boolean
 LANGUAGE c
 PARALLEL RESTRICTED
AS '$libdir/mlsync', $function$mls_writer_capturing$function$;
REVOKE ALL ON FUNCTION mlsync.mls_writer_capturing() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_writer_capturing() TO PUBLIC;

CREATE TYPE mlsync.mls_listing_capture AS (tenant_id text, connection text, listing_key text, standard_status text, list_price numeric(14,2), close_price numeric(14,2), close_date date, property_type text, city text, postal_code text, photos_count integer, photos_change_timestamp timestamp with time zone, modification_timestamp timestamp with time zone, original_entry_timestamp timestamp with time zone, status_change_timestamp timestamp with time zone, price_change_timestamp timestamp with time zone, conflict text, removed_at timestamp with time zone);

CREATE OR REPLACE FUNCTION mlsync.mls_capture_inserted(new_rows mlsync.mls_listing_capture[], at timestamp with time zone)
 RETURNS bigint[]
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_capture_inserted(mlsync.mls_listing_capture[],timestamp with time zone) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_capture_updated(old_rows mlsync.mls_listing_capture[], new_rows mlsync.mls_listing_capture[], at timestamp with time zone)
 RETURNS bigint[]
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_capture_updated(mlsync.mls_listing_capture[],mlsync.mls_listing_capture[],timestamp with time zone) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_writer_capture(old_rows mlsync.mls_listing_capture[], new_rows mlsync.mls_listing_capture[], inserted_rows mlsync.mls_listing_capture[], event_ids bigint[], at timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF mlsync.mls_listing_events_mode() = 'off' THEN
		RETURN;
	END IF;
	PERFORM mlsync.mls_events_fanout(mlsync.mls_capture_updated(old_rows, new_rows, at));
	PERFORM mlsync.mls_events_fanout(mlsync.mls_capture_inserted(inserted_rows, at));
	PERFORM mlsync.mls_events_fanout(event_ids);
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_writer_capture(mlsync.mls_listing_capture[],mlsync.mls_listing_capture[],mlsync.mls_listing_capture[],bigint[],timestamp with time zone) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_listings_capture_insert()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION mlsync.mls_listings_capture_update()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

DROP TRIGGER IF EXISTS mls_listings_events_insert ON mls_listings;
CREATE TRIGGER mls_listings_events_insert AFTER INSERT ON mlsync.mls_listings REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT WHEN ((NOT mlsync.mls_writer_capturing())) EXECUTE FUNCTION mlsync.mls_listings_capture_insert();

DROP TRIGGER IF EXISTS mls_listings_events_update ON mls_listings;
CREATE TRIGGER mls_listings_events_update AFTER UPDATE ON mlsync.mls_listings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT WHEN ((NOT mlsync.mls_writer_capturing())) EXECUTE FUNCTION mlsync.mls_listings_capture_update();

CREATE OR REPLACE FUNCTION mlsync.mls_deliver_events(event_ids bigint[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
	first_id bigint;
	last_id bigint;
	groups bigint;
BEGIN
	IF coalesce(cardinality(event_ids), 0) = 0 OR mlsync.mls_listing_events_mode() = 'off' THEN
		RETURN;
	END IF;

	-- The events are read through the primary key, between the first and
	-- the last id: the ids of one statement's events are (nearly) adjacent,
	-- and with that range the planner counts on a few rows.  By "= ANY" or
	-- a join with the ids alone it may take a scan of mls_events instead,
	-- cheaper by its costs until the table is large, and then every batch
	-- of a sync costs more as the table grows (bench/events.sh).
	-- Read once for both: the NOTIFY's notes and the deliveries.
	SELECT min(i), max(i) INTO first_id, last_id FROM unnest(event_ids) i;
	WITH e AS MATERIALIZED (
		SELECT e.event_id, e.tenant_id, e.kind
		  FROM mlsync.mls_events e
		 WHERE e.event_id = ANY (event_ids) AND e.event_id BETWEEN first_id AND last_id
	),
	delivered AS (
		INSERT INTO mlsync.mls_event_deliveries (consumer, event_id, tenant_id)
		SELECT DISTINCT s.consumer, e.event_id, e.tenant_id
		  FROM e
		  JOIN mlsync.mls_subscriptions s
			ON (s.tenant IS NULL OR s.tenant = e.tenant_id)
		   AND (s.kinds IS NULL OR e.kind = ANY (s.kinds))
	),
	noted AS (
		SELECT mlsync.mls_note_events(e.tenant_id, e.kind, count(*), min(e.event_id), max(e.event_id))
		  FROM e
		 GROUP BY e.tenant_id, e.kind
	)
	SELECT count(*) INTO groups FROM noted;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_deliver_events(bigint[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_events_deliver()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	PERFORM mlsync.mls_deliver_events(ARRAY(SELECT e.event_id FROM new_events e));
	RETURN NULL;
END
$function$;

DROP TRIGGER IF EXISTS mls_events_deliver ON mls_events;
CREATE TRIGGER mls_events_deliver AFTER INSERT ON mlsync.mls_events REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT WHEN ((NOT mlsync.mls_writer_capturing())) EXECUTE FUNCTION mlsync.mls_events_deliver();

CREATE OR REPLACE FUNCTION mlsync.mls_subscribe(consumer text, kinds text[] DEFAULT NULL::text[], tenant text DEFAULT NULL::text)
 RETURNS mlsync.mls_subscriptions
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
	-- the events of every tenant are for global administrators only
	IF tenant IS NULL AND NOT mlsync.mls_is_global_admin() THEN
		RAISE EXCEPTION 'permission denied to subscribe to the events of every tenant'
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Subscribe once per tenant, naming it: mlsync.mls_subscribe(consumer, kinds, tenant => ''...'').';
	END IF;
	IF tenant IS NOT NULL THEN
		PERFORM mlsync.mls_require_tenant_privilege(tenant, 'consume', 'subscribing to events');
	END IF;
	IF tenant IS NOT NULL AND NOT EXISTS (SELECT FROM mlsync.mls_tenants t WHERE t.tenant_id = tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', tenant
			USING ERRCODE = 'no_data_found';
	END IF;

	-- the kinds sorted first, and the time as the row's default: no subquery
	-- in VALUES, no now() in DO UPDATE (docs/scaling.md)
	kinds := (SELECT array_agg(DISTINCT k ORDER BY k) FROM unnest(kinds) k);
	INSERT INTO mlsync.mls_subscriptions AS s (consumer, tenant, kinds)
	VALUES (consumer, tenant, kinds)
	ON CONFLICT ON CONSTRAINT mls_subscriptions_consumer_tenant_key DO UPDATE
		SET kinds = excluded.kinds, updated_at = excluded.updated_at
	RETURNING * INTO result;
	RETURN result;
END
$function$;

CREATE OR REPLACE FUNCTION mlsync.mls_emit_event(tenant text, kind text, connection text DEFAULT NULL::text, listing_key text DEFAULT NULL::text, payload jsonb DEFAULT '{}'::jsonb)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
	PERFORM mlsync.mls_events_fanout_untriggered(ARRAY[id]);
	PERFORM mlsync.mls_usage_record_events();
	RETURN id;
END
$function$;

CREATE OR REPLACE VIEW mls_event_backlog WITH (security_invoker = true) AS
SELECT s.consumer,
	   count(d.event_id) FILTER (WHERE d.claimed_until IS NULL OR d.claimed_until <= now()) AS ready,
	   count(d.event_id) FILTER (WHERE d.claimed_until > now()) AS claimed,
	   count(d.event_id) FILTER (WHERE d.attempts > 1) AS redelivered,
	   min(d.event_id) AS oldest_event_id
  FROM (SELECT DISTINCT consumer FROM mlsync.mls_subscriptions) s
  LEFT JOIN mlsync.mls_event_deliveries d ON d.consumer = s.consumer
 GROUP BY s.consumer;

CREATE OR REPLACE FUNCTION mlsync.mls_duplicate_alert_window()
 RETURNS interval
 LANGUAGE sql
 STABLE PARALLEL SAFE
RETURN (COALESCE(NULLIF(current_setting('mlsync.duplicate_alert_window'::text, true), ''::text), '2d'::text))::interval;
REVOKE ALL ON FUNCTION mlsync.mls_duplicate_alert_window() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_duplicate_alert_window() TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_alert_events(event_ids bigint[])
 RETURNS bigint[]
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
 SET jit TO 'off'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_alert_events(bigint[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_events_alert()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF EXISTS (SELECT FROM new_events e
				WHERE e.kind = ANY (mlsync.mls_watch_alert_kinds()) AND e.listing_key IS NOT NULL) THEN
		PERFORM mlsync.mls_alert_events(ARRAY(SELECT e.event_id FROM new_events e));
	END IF;
	RETURN NULL;
END
$function$;

CREATE OR REPLACE FUNCTION mlsync.mls_events_fanout(event_ids bigint[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF coalesce(cardinality(event_ids), 0) = 0 THEN
		RETURN;
	END IF;
	PERFORM mlsync.mls_deliver_events(mlsync.mls_alert_events(event_ids));
	PERFORM mlsync.mls_deliver_events(event_ids);
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_events_fanout(bigint[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_events_fanout_untriggered_unchecked(event_ids bigint[])
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
SELECT mlsync.mls_events_fanout(event_ids)
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_trigger t
					WHERE t.tgrelid = 'mlsync.mls_events'::regclass
					  AND t.tgname IN ('mls_events_alert', 'mls_events_deliver')
					  AND t.tgenabled <> 'D')
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_events_fanout_untriggered_unchecked(bigint[]) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_events_fanout_untriggered_unchecked(bigint[]) IS 'private: mls_events_fanout_untriggered as the extension''s owner, called by it once the caller may operate the events'' tenants';

CREATE OR REPLACE FUNCTION mlsync.mls_events_fanout_untriggered(event_ids bigint[])
 RETURNS void
 LANGUAGE c
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_events_fanout_untriggered_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_events_fanout_untriggered(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_events_fanout_untriggered(bigint[]) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_events_fanout_untriggered(bigint[]) IS 'private: the alerts and delivery of events inserted outside the sync writer when the mls_events triggers are dropped (a distributed installation); needs operate on the events'' tenants';

DROP TRIGGER IF EXISTS mls_events_alert ON mls_events;
CREATE TRIGGER mls_events_alert AFTER INSERT ON mlsync.mls_events REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT WHEN ((NOT mlsync.mls_writer_capturing())) EXECUTE FUNCTION mlsync.mls_events_alert();

CREATE OR REPLACE FUNCTION mlsync.mls_detect_time_events(tenant text DEFAULT NULL::text, as_of date DEFAULT CURRENT_DATE)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	dom_events bigint;
	expiration_events bigint;
	dom_ids bigint[];
	expiration_ids bigint[];
	tenants text[];
BEGIN
	IF as_of IS NULL THEN
		RAISE EXCEPTION 'as_of must not be null'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF tenant IS NOT NULL THEN
		PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'detecting time-based events');
	END IF;
	SELECT array_agg(m.tenant_id) INTO tenants
	  FROM mlsync.mls_my_tenants m
	 WHERE mlsync.mls_privilege_level(m.privilege) >= mlsync.mls_privilege_level('operate')
	   AND (tenant IS NULL OR m.tenant_id = tenant);

	WITH running AS (
		SELECT l.tenant_id, l.connection, l.listing_key, t.dom_milestones,
			   mlsync.mls_listing_run_start(l.tenant_id, l.connection, l.listing_key,
											l.on_market_date, l.listing_contract_date,
											l.original_entry_timestamp, l.first_seen_at) AS run_start
		  FROM mlsync.mls_listings l
		  JOIN mlsync.mls_tenants t ON t.tenant_id = l.tenant_id
		 WHERE l.standard_status = 'Active' AND l.removed_at IS NULL
		   AND l.tenant_id = ANY (tenants)
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
		RETURNING event_id
	)
	SELECT count(*), array_agg(r.event_id ORDER BY r.event_id) INTO dom_events, dom_ids FROM raised r;
	PERFORM mlsync.mls_events_fanout_untriggered(dom_ids);

	WITH due AS (
		SELECT l.tenant_id, l.connection, l.listing_key, l.expiration_date, l.standard_status
		  FROM mlsync.mls_listings l
		 WHERE l.standard_status IN ('Active', 'Active Under Contract') AND l.removed_at IS NULL
		   AND l.expiration_date < as_of
		   AND l.tenant_id = ANY (tenants)
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
		RETURNING event_id
	)
	SELECT count(*), array_agg(r.event_id ORDER BY r.event_id)
	  INTO expiration_events, expiration_ids FROM raised r;
	PERFORM mlsync.mls_events_fanout_untriggered(expiration_ids);

	PERFORM mlsync.mls_usage_record_events();
	RETURN dom_events + expiration_events;
END
$function$;

CREATE OR REPLACE FUNCTION mls_new_listings(tenant text, since timestamptz DEFAULT now() - interval '7 days',
								 per_property boolean DEFAULT false)
RETURNS SETOF mls_listings
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT (x.l).*
	  FROM (SELECT l, n.listed_at,
				   row_number() OVER (
					   PARTITION BY l.property_id,
									CASE WHEN l.property_id IS NULL THEN l.connection END,
									CASE WHEN l.property_id IS NULL THEN l.listing_key END
					   ORDER BY l.standard_status IS DISTINCT FROM 'Active'
									AND l.standard_status IS DISTINCT FROM 'Active Under Contract'
									AND l.standard_status IS DISTINCT FROM 'Pending'
									AND l.standard_status IS DISTINCT FROM 'Coming Soon',
								c.priority, l.modification_timestamp DESC NULLS LAST,
								l.connection, l.listing_key) AS rank
			  FROM (SELECT h.connection, h.listing_key, max(h.effective_at) AS listed_at
					  FROM mlsync.mls_listing_history h
					 WHERE h.tenant_id = mls_new_listings.tenant
					   AND h.change = 'listed'
					   AND h.effective_at >= mls_new_listings.since
					 GROUP BY h.connection, h.listing_key) n
			  JOIN mlsync.mls_listings l
				ON l.tenant_id = mls_new_listings.tenant
			   AND l.connection = n.connection AND l.listing_key = n.listing_key
			  JOIN mlsync.mls_connections c
				ON c.tenant_id = l.tenant_id AND c.connection = l.connection
			 WHERE l.removed_at IS NULL) x
	 WHERE NOT mls_new_listings.per_property OR x.rank = 1
	 ORDER BY x.listed_at DESC, (x.l).connection, (x.l).listing_key;
END;
REVOKE ALL ON FUNCTION mlsync.mls_new_listings(text,timestamp with time zone,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_new_listings(text,timestamp with time zone,boolean) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_new_listings(text,timestamp with time zone,boolean) IS 'listings of a tenant listed at the source since a time, most recent first; per_property: one per property';

CREATE OR REPLACE FUNCTION mls_price_changes(tenant text, since timestamptz DEFAULT now() - interval '7 days',
								  per_property boolean DEFAULT false)
RETURNS TABLE (connection text, listing_key text, kind text, changed_at timestamptz,
			   old_price numeric, new_price numeric, amount numeric, percent numeric,
			   standard_status text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT x.connection, x.listing_key, x.kind, x.changed_at, x.old_price, x.new_price,
		   x.amount, x.percent, x.standard_status
	  FROM (SELECT h.connection, h.listing_key,
				   CASE WHEN h.new_price < h.old_price THEN 'price_reduced' ELSE 'price_increased' END AS kind,
				   h.effective_at AS changed_at, h.old_price, h.new_price,
				   abs(h.new_price - h.old_price) AS amount,
				   round(abs(h.new_price - h.old_price) * 100 / nullif(h.old_price, 0), 2) AS percent,
				   l.standard_status, h.history_id,
				   row_number() OVER (
					   PARTITION BY l.property_id,
									CASE WHEN l.property_id IS NULL THEN h.history_id END,
									h.old_price, h.new_price
					   ORDER BY c.priority, h.effective_at, h.connection, h.listing_key,
								h.history_id) AS rank
			  FROM mlsync.mls_listing_history h
			  LEFT JOIN mlsync.mls_listings l
				ON l.tenant_id = h.tenant_id AND l.connection = h.connection
			   AND l.listing_key = h.listing_key
			  LEFT JOIN mlsync.mls_connections c
				ON c.tenant_id = h.tenant_id AND c.connection = h.connection
			 WHERE h.tenant_id = mls_price_changes.tenant
			   AND h.change = 'price'
			   AND h.effective_at >= mls_price_changes.since
			   AND h.old_price <> h.new_price) x
	 WHERE NOT mls_price_changes.per_property OR x.rank = 1
	 ORDER BY x.changed_at DESC, x.connection, x.listing_key, x.history_id DESC;
END;
REVOKE ALL ON FUNCTION mlsync.mls_price_changes(text,timestamp with time zone,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_price_changes(text,timestamp with time zone,boolean) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_price_changes(text,timestamp with time zone,boolean) IS 'list price changes of a tenant''s listings since a time, most recent first; per_property: one per property and change';

CREATE OR REPLACE FUNCTION mls_stats_definitions()
RETURNS TABLE (definitions_version integer, figure text, definition text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT 2, d.figure, d.definition
	  FROM (VALUES
		(1, 'series', 'tenant x area (all, city, postal_code, county, subdivision; "all" for every listing) x property type (or "all"); a NULL or empty area or type counts in "all" only'),
		(2, 'period', 'calendar months and ISO weeks (Monday-Sunday) from the one containing as_of - 24 months to the one containing as_of; as_of is the refresh day in mls_stats_settings.time_zone; complete is false for the period containing as_of'),
		(3, 'excluded', 'listings with status Incomplete, and with status Delete not found removed by mlsync (removed_at IS NULL); with count_per = property (the default), cross-listings: a listing whose property another connection lists too, when that other listing counts, is preferred (lower connection priority, then more recently modified, then connection and key) and was on the market at the same time (from listed on to close_date, else off_market_date)'),
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

CREATE OR REPLACE FUNCTION mlsync.mls_stats_listing_facts(as_of timestamp with time zone, only_tenant text DEFAULT NULL::text, only_connection text DEFAULT NULL::text, only_keys text[] DEFAULT NULL::text[])
 RETURNS TABLE(tenant_id text, as_of_day date, supply_basis text, city text, postal_code text, county text, subdivision text, property_type text, listed_on date, pending_on date, closed_on date, days_on_market integer, close_price double precision, list_price double precision, original_list_price double precision, living_area double precision, active datemultirange, connection text, listing_key text)
 LANGUAGE sql
 STABLE
AS $function$
WITH opts AS (
	SELECT t.tenant_id, coalesce(s.time_zone, 'UTC') AS tz,
		   pg_catalog.timezone(coalesce(s.time_zone, 'UTC'), $1)::date AS as_of_day,
		   coalesce(s.months_of_supply_basis, 'closed') AS basis,
		   coalesce(s.count_per, 'property') AS count_per
	  FROM mlsync.mls_tenants t
	  LEFT JOIN mlsync.mls_stats_settings s ON s.tenant_id = t.tenant_id
	 WHERE $2 IS NULL OR t.tenant_id = $2
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
	 WHERE h.change IN ('listed', 'status', 'removed') AND h.observed_at <= $1
	   AND ($2 IS NULL OR h.tenant_id = $2)
	   AND ($3 IS NULL OR h.connection = $3)
	   AND ($4 IS NULL OR h.listing_key = ANY ($4))
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
  JOIN mlsync.mls_connections lc ON lc.tenant_id = l.tenant_id AND lc.connection = l.connection
  LEFT JOIN cut ob
	ON ob.tenant_id = l.tenant_id AND ob.connection = l.connection AND ob.listing_key = l.listing_key
 CROSS JOIN LATERAL (
	SELECT coalesce(l.on_market_date, l.listing_contract_date) AS listed_on,
		   coalesce(l.purchase_contract_date, ob.pending_day) AS pending_on) d
 WHERE l.standard_status IS DISTINCT FROM 'Incomplete'
   AND NOT (l.standard_status IS NOT DISTINCT FROM 'Delete' AND l.removed_at IS NULL)
   AND ($2 IS NULL OR l.tenant_id = $2)
   AND ($3 IS NULL OR l.connection = $3)
   AND ($4 IS NULL OR l.listing_key = ANY ($4))
   -- count_per = property: a cross-listing is represented by the listing of
   -- the preferred connection (docs/statistics.md, "What a listing
   -- contributes"): an anti-join on the property (a top-level NOT EXISTS, so
   -- that it is planned as one, not run per listing)
   AND NOT EXISTS (
		SELECT FROM mlsync.mls_listings p
		  JOIN mlsync.mls_connections pc ON pc.tenant_id = p.tenant_id AND pc.connection = p.connection
		 WHERE p.tenant_id = l.tenant_id AND p.property_id = l.property_id
		   AND o.count_per = 'property'
		   AND p.connection <> l.connection
		   AND p.standard_status IS DISTINCT FROM 'Incomplete'
		   AND NOT (p.standard_status IS NOT DISTINCT FROM 'Delete' AND p.removed_at IS NULL)
		   AND (pc.priority < lc.priority
				OR (pc.priority = lc.priority
					AND (coalesce(p.modification_timestamp, '-infinity') > coalesce(l.modification_timestamp, '-infinity')
						 OR (coalesce(p.modification_timestamp, '-infinity') = coalesce(l.modification_timestamp, '-infinity')
							 AND (p.connection, p.listing_key) < (l.connection, l.listing_key)))))
		   AND coalesce(p.on_market_date, p.listing_contract_date, '-infinity')
			   <= coalesce(l.close_date, l.off_market_date, 'infinity')
		   AND coalesce(l.on_market_date, l.listing_contract_date, '-infinity')
			   <= coalesce(p.close_date, p.off_market_date, 'infinity'))
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_stats_listing_facts(timestamp with time zone,text,text,text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_stats_listing_facts(timestamp with time zone,text,text,text[]) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_stats_listing_facts(timestamp with time zone,text,text,text[]) IS 'one row of statistics facts per listing as of a moment (of a tenant, a connection, some listings): area, type, days listed, pending and closed, prices, active days';

CREATE OR REPLACE FUNCTION mlsync.mls_cron_next(schedule text, after timestamp with time zone DEFAULT now(), zone text DEFAULT NULL::text)
 RETURNS timestamp with time zone
 LANGUAGE c
 STABLE PARALLEL SAFE
AS '$libdir/mlsync', $function$mls_cron_next$function$;
REVOKE ALL ON FUNCTION mlsync.mls_cron_next(text,timestamp with time zone,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_cron_next(text,timestamp with time zone,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_cron_next(text,timestamp with time zone,text) IS 'the first time after "after" a cron schedule fires (in cron.timezone, else GMT); errors on a schedule pg_cron would refuse';

CREATE OR REPLACE FUNCTION mlsync.mls_cron_is_valid(schedule text)
 RETURNS boolean
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE STRICT
AS '$libdir/mlsync', $function$mls_cron_is_valid$function$;
REVOKE ALL ON FUNCTION mlsync.mls_cron_is_valid(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_cron_is_valid(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mls_schedule_jobs(tenant text, stats_schedule text, time_events_schedule text,
								  health_schedule text, prune_schedule text)
RETURNS TABLE (job_name text, schedule text, command text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT format('mlsync:%s:%s:incremental', c.tenant_id, c.connection),
		   coalesce(c.sync_schedule, mlsync.mls_interval_to_cron(c.sync_interval)),
		   format('SELECT mlsync.mls_sync_scheduled(%L, %L, %L)', c.tenant_id, c.connection, 'incremental')
	  FROM mlsync.mls_connections c
	 WHERE c.tenant_id = mls_schedule_jobs.tenant AND c.enabled
	UNION ALL
	SELECT format('mlsync:%s:%s:reconcile', c.tenant_id, c.connection),
		   c.reconcile_schedule,
		   format('SELECT mlsync.mls_sync_scheduled(%L, %L, %L)', c.tenant_id, c.connection, c.reconcile_mode)
	  FROM mlsync.mls_connections c
	 WHERE c.tenant_id = mls_schedule_jobs.tenant AND c.enabled
	UNION ALL
	SELECT format('mlsync:%s:health', mls_schedule_jobs.tenant),
		   mls_schedule_jobs.health_schedule,
		   format('SELECT mlsync.mls_check_health(%L)', mls_schedule_jobs.tenant)
	UNION ALL
	SELECT format('mlsync:%s:time-events', mls_schedule_jobs.tenant),
		   mls_schedule_jobs.time_events_schedule,
		   format('SELECT mlsync.mls_detect_time_events(%L)', mls_schedule_jobs.tenant)
	UNION ALL
	SELECT 'mlsync:stats', mls_schedule_jobs.stats_schedule, 'SELECT mlsync.mls_refresh_stats()'
	UNION ALL
	SELECT 'mlsync:prune', mls_schedule_jobs.prune_schedule, 'SELECT count(*) FROM mlsync.mls_prune()';
END;
REVOKE ALL ON FUNCTION mlsync.mls_schedule_jobs(text,text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_schedule_jobs(text,text,text,text,text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_schedule_unchecked(tenant text, stats_schedule text DEFAULT NULL::text, time_events_schedule text DEFAULT '15 0 * * *'::text, health_schedule text DEFAULT '*/10 * * * *'::text, prune_schedule text DEFAULT NULL::text)
 RETURNS TABLE(job_name text, schedule text, command text, action text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
	want record;
	have record;
	exists_now boolean;
	shared_stats text := mls_schedule_unchecked.stats_schedule;
	shared_prune text := mls_schedule_unchecked.prune_schedule;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_tenants t WHERE t.tenant_id = mls_schedule_unchecked.tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', mls_schedule_unchecked.tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Create it with mlsync.mls_create_tenant().';
	END IF;
	IF mls_schedule_unchecked.time_events_schedule IS NULL OR mls_schedule_unchecked.health_schedule IS NULL THEN
		RAISE EXCEPTION 'schedules must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Only stats_schedule and prune_schedule may be NULL: the shared jobs keep theirs.';
	END IF;
	-- raises on the first schedule pg_cron would refuse, saying why
	PERFORM mlsync.mls_cron_next(j.schedule)
	   FROM mlsync.mls_schedule_jobs(mls_schedule_unchecked.tenant,
									 coalesce(shared_stats, '30 2 * * *'),
									 mls_schedule_unchecked.time_events_schedule, mls_schedule_unchecked.health_schedule,
									 coalesce(shared_prune, '45 3 * * *')) j;
	PERFORM mlsync.mls_require_pg_cron();
	-- the shared jobs serve every tenant: kept as they are unless asked
	shared_stats := coalesce(shared_stats,
							 (SELECT j.schedule FROM cron.job j
							   WHERE j.jobname = 'mlsync:stats' AND j.username = current_user),
							 '30 2 * * *');
	shared_prune := coalesce(shared_prune,
							 (SELECT j.schedule FROM cron.job j
							   WHERE j.jobname = 'mlsync:prune' AND j.username = current_user),
							 '45 3 * * *');

	FOR want IN SELECT * FROM mlsync.mls_schedule_jobs(mls_schedule_unchecked.tenant, shared_stats,
													   mls_schedule_unchecked.time_events_schedule,
													   mls_schedule_unchecked.health_schedule,
													   shared_prune) j
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
				   AND starts_with(j.jobname, 'mlsync:' || mls_schedule_unchecked.tenant || ':')
				   AND j.jobname NOT IN (SELECT s.job_name
										   FROM mlsync.mls_schedule_jobs(mls_schedule_unchecked.tenant, '', '', '', '') s)
				 ORDER BY j.jobname
	LOOP
		PERFORM cron.unschedule(have.jobname::name);
		job_name := have.jobname; schedule := have.schedule; command := have.command;
		action := 'removed';
		RETURN NEXT;
	END LOOP;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_schedule_unchecked(text,text,text,text,text) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_schedule_unchecked(text,text,text,text,text) IS 'private: mls_schedule as the extension''s owner, called by mls_schedule once the caller may operate the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_schedule(tenant text, stats_schedule text DEFAULT NULL::text, time_events_schedule text DEFAULT '15 0 * * *'::text, health_schedule text DEFAULT '*/10 * * * *'::text, prune_schedule text DEFAULT NULL::text)
 RETURNS TABLE(job_name text, schedule text, command text, action text)
 LANGUAGE c
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_schedule_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_schedule(text,text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_schedule(text,text,text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_schedule(text,text,text,text,text) IS 'create, update or remove the pg_cron jobs of a tenant (syncs per connection, health check, time events) and create the shared statistics and pruning jobs; needs operate on the tenant, and global administration to set the shared jobs'' schedules';

CREATE OR REPLACE FUNCTION mlsync.mls_unschedule_unchecked(tenant text)
 RETURNS SETOF text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
	-- the shared jobs serve every tenant: they go with the last one
	IF NOT EXISTS (SELECT 1 FROM cron.job j
					WHERE j.username = current_user AND j.jobname ~ '^mlsync:[^:]+:') THEN
		FOR job IN SELECT j.jobname FROM cron.job j
					WHERE j.username = current_user AND j.jobname IN ('mlsync:stats', 'mlsync:prune')
					ORDER BY j.jobname
		LOOP
			PERFORM cron.unschedule(job::name);
			RETURN NEXT job;
		END LOOP;
	END IF;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_unschedule_unchecked(text) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_unschedule_unchecked(text) IS 'private: mls_unschedule as the extension''s owner, called by mls_unschedule once the caller may operate the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_unschedule(tenant text)
 RETURNS SETOF text
 LANGUAGE c
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_unschedule_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_unschedule(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_unschedule(text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_unschedule(text) IS 'remove the pg_cron jobs of a tenant (and the shared statistics and pruning jobs when no tenant has jobs left); needs operate on the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_seconds(duration interval)
 RETURNS numeric
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE STRICT
RETURN trim_scale(round(EXTRACT(epoch FROM duration), 3));
REVOKE ALL ON FUNCTION mlsync.mls_seconds(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_seconds(interval) TO PUBLIC;

CREATE TABLE mls_alert_state (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	condition		text NOT NULL
					CHECK (condition IN ('auth_failed', 'sync_failed', 'sync_slow', 'error_rate_high',
										 'sync_stale', 'listing_cap_reached')),
	raised_at		timestamptz NOT NULL,
	event_id		bigint NOT NULL,
	run_id			bigint,
	payload			jsonb NOT NULL,
	PRIMARY KEY (tenant_id, connection, condition),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);
COMMENT ON TABLE mls_alert_state IS 'operational alert conditions raised and not yet cleared, one per connection and condition';
COMMENT ON COLUMN mls_alert_state.event_id IS 'the event that raised the condition';
SELECT pg_catalog.pg_extension_config_dump('mls_alert_state', '');

CREATE OR REPLACE FUNCTION mlsync.mls_alert_raise(tenant text, connection text, condition text, payload jsonb, at timestamp with time zone)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	id bigint;
BEGIN
	WITH raised AS (
		INSERT INTO mlsync.mls_alert_state AS a
			(tenant_id, connection, condition, raised_at, event_id, run_id, payload)
		VALUES (tenant, connection, condition, at, nextval('mlsync.mls_events_event_id_seq'),
				(payload ->> 'run_id')::bigint, payload)
		ON CONFLICT DO NOTHING
		RETURNING a.*
	)
	INSERT INTO mlsync.mls_events (event_id, tenant_id, kind, connection, payload)
	OVERRIDING SYSTEM VALUE
	SELECT r.event_id, r.tenant_id, r.condition, r.connection,
		   r.payload || jsonb_build_object('condition', r.condition, 'raised_at', r.raised_at)
	  FROM raised r
	RETURNING event_id INTO id;
	PERFORM mlsync.mls_events_fanout_untriggered(ARRAY[id]);
	RETURN id;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_alert_raise(text,text,text,jsonb,timestamp with time zone) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_alert_clear(tenant text, connection text, condition text, payload jsonb, at timestamp with time zone)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	id bigint;
BEGIN
	WITH cleared AS (
		DELETE FROM mlsync.mls_alert_state a
		 WHERE a.tenant_id = tenant AND a.connection = connection AND a.condition = condition
		RETURNING a.*
	)
	INSERT INTO mlsync.mls_events (tenant_id, kind, connection, payload)
	SELECT c.tenant_id, c.condition || '_cleared', c.connection,
		   payload || jsonb_build_object('condition', c.condition, 'raised_at', c.raised_at,
										 'raised_event_id', c.event_id,
										 'lasted_seconds', mlsync.mls_seconds(at - c.raised_at))
	  FROM cleared c
	RETURNING event_id INTO id;
	PERFORM mlsync.mls_events_fanout_untriggered(ARRAY[id]);
	RETURN id;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_alert_clear(text,text,text,jsonb,timestamp with time zone) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_run_alerts(tenant text, run_id bigint, at timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	h mlsync.mls_sync_history;
	c mlsync.mls_connections;
	s mlsync.mls_sync_status;
	f mlsync.mls_sync_errors;
	run jsonb;
	rate numeric;
	listings bigint;
BEGIN
	SELECT * INTO h FROM mlsync.mls_sync_history x WHERE x.tenant_id = tenant AND x.run_id = run_id;
	IF NOT FOUND OR h.state NOT IN ('succeeded', 'failed') THEN
		RETURN;
	END IF;
	SELECT * INTO c FROM mlsync.mls_connections x
	 WHERE x.tenant_id = tenant AND x.connection = h.connection;
	SELECT * INTO s FROM mlsync.mls_sync_status x
	 WHERE x.tenant_id = tenant AND x.connection = h.connection;
	run := jsonb_build_object('run_id', h.run_id, 'mode', h.mode, 'trigger', h.trigger);

	IF h.state = 'failed' THEN
		SELECT * INTO f FROM mlsync.mls_sync_errors e
		 WHERE e.tenant_id = tenant AND e.run_id = h.run_id AND e.retry_state = 'failed'
		 ORDER BY e.error_id DESC LIMIT 1;
		IF f.category = 'auth' THEN
			PERFORM mlsync.mls_alert_raise(tenant, h.connection, 'auth_failed',
				run || jsonb_strip_nulls(jsonb_build_object('message', f.message,
															'http_status', f.http_status,
															'reply_code', f.reply_code)),
				at);
		END IF;
		PERFORM mlsync.mls_alert_raise(tenant, h.connection, 'sync_failed',
			run || jsonb_build_object('category', f.category, 'message', coalesce(f.message, h.message),
									  'consecutive_failures', s.consecutive_failures,
									  'next_attempt_at', s.next_attempt_at,
									  'connection_disabled', NOT c.enabled),
			at);
	ELSE
		-- any success proves the credentials; the syncs work again, and the
		-- listings are current again, only after a run that loads them
		PERFORM mlsync.mls_alert_clear(tenant, h.connection, 'auth_failed', run, at);
		IF h.mode IN ('full', 'incremental', 'reconcile') THEN
			PERFORM mlsync.mls_alert_clear(tenant, h.connection, x.condition, run, at)
			   FROM unnest(ARRAY['sync_failed', 'sync_stale']) x(condition);
		END IF;
	END IF;

	IF h.duration > c.alert_slow_after THEN
		PERFORM mlsync.mls_alert_raise(tenant, h.connection, 'sync_slow',
			run || jsonb_build_object('started_at', h.started_at, 'duration_seconds', mlsync.mls_seconds(h.duration),
									  'threshold_seconds', mlsync.mls_seconds(c.alert_slow_after)),
			at);
	ELSIF h.state = 'succeeded' THEN
		PERFORM mlsync.mls_alert_clear(tenant, h.connection, 'sync_slow',
			run || jsonb_build_object('duration_seconds', mlsync.mls_seconds(h.duration)), at);
	END IF;

	IF h.seen > 0 THEN
		rate := round(h.errors * 100.0 / h.seen, 2);
		IF rate > c.alert_error_rate_pct THEN
			PERFORM mlsync.mls_alert_raise(tenant, h.connection, 'error_rate_high',
				run || jsonb_build_object('seen', h.seen, 'errors', h.errors, 'error_rate_pct', rate,
										  'threshold_pct', c.alert_error_rate_pct),
				at);
		ELSIF h.state = 'succeeded' THEN
			PERFORM mlsync.mls_alert_clear(tenant, h.connection, 'error_rate_high',
				run || jsonb_build_object('seen', h.seen, 'errors', h.errors, 'error_rate_pct', rate),
				at);
		END IF;
	END IF;

	IF h.capped > 0 THEN
		PERFORM mlsync.mls_alert_raise(tenant, h.connection, 'listing_cap_reached',
			run || jsonb_build_object('max_listings', c.max_listings, 'left_out', h.capped),
			at);
	ELSIF h.state = 'succeeded' AND EXISTS (
			SELECT FROM mlsync.mls_alert_state a
			 WHERE a.tenant_id = tenant AND a.connection = h.connection
			   AND a.condition = 'listing_cap_reached') THEN
		SELECT count(*) INTO listings FROM mlsync.mls_listings l
		 WHERE l.tenant_id = tenant AND l.connection = h.connection AND l.removed_at IS NULL;
		IF c.max_listings IS NULL OR listings < c.max_listings THEN
			PERFORM mlsync.mls_alert_clear(tenant, h.connection, 'listing_cap_reached',
				run || jsonb_build_object('max_listings', c.max_listings, 'listings', listings),
				at);
		END IF;
	END IF;
	-- the alerts raised count in the tenant's usage, as a run's events do
	PERFORM mlsync.mls_usage_record_events();
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_run_alerts(text,bigint,timestamp with time zone) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_check_health(tenant text DEFAULT NULL::text, at timestamp with time zone DEFAULT now())
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	c record;
	events bigint := 0;
BEGIN
	IF at IS NULL THEN
		RAISE EXCEPTION 'at must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	FOR c IN
		SELECT x.tenant_id, x.connection, x.alert_stale_after, x.alert_slow_after, x.created_at,
			   s.last_success_at, s.last_load_at, r.run_id AS running_run_id, r.started_at AS running_since
		  FROM mlsync.mls_connections x
		  LEFT JOIN mlsync.mls_sync_status s USING (tenant_id, connection)
		  LEFT JOIN LATERAL (
				SELECT h.run_id, h.started_at FROM mlsync.mls_sync_history h
				 WHERE h.tenant_id = x.tenant_id AND h.connection = x.connection
				   AND h.state = 'running'
				 ORDER BY h.run_id DESC LIMIT 1) r ON true
		 WHERE x.enabled AND (tenant IS NULL OR x.tenant_id = tenant)
		 ORDER BY x.tenant_id, x.connection
	LOOP
		-- stale: no run that loads listings has succeeded for that long (a
		-- metadata run or one listing's refresh leaves the rest as it was)
		IF coalesce(c.last_load_at, c.created_at) < at - c.alert_stale_after THEN
			events := events + (mlsync.mls_alert_raise(c.tenant_id, c.connection, 'sync_stale',
				jsonb_build_object('last_load_at', c.last_load_at, 'last_success_at', c.last_success_at,
								   'stale_seconds', mlsync.mls_seconds(at - coalesce(c.last_load_at, c.created_at)),
								   'threshold_seconds', mlsync.mls_seconds(c.alert_stale_after)),
				at) IS NOT NULL)::int;
		ELSE
			events := events + (mlsync.mls_alert_clear(c.tenant_id, c.connection, 'sync_stale',
				jsonb_build_object('last_load_at', c.last_load_at, 'last_success_at', c.last_success_at),
				at) IS NOT NULL)::int;
		END IF;
		IF c.running_since < at - c.alert_slow_after THEN
			events := events + (mlsync.mls_alert_raise(c.tenant_id, c.connection, 'sync_slow',
				jsonb_build_object('run_id', c.running_run_id, 'started_at', c.running_since,
								   'running_seconds', mlsync.mls_seconds(at - c.running_since),
								   'threshold_seconds', mlsync.mls_seconds(c.alert_slow_after)),
				at) IS NOT NULL)::int;
		END IF;
	END LOOP;
	PERFORM mlsync.mls_usage_record_events();
	RETURN events;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_check_health(text,timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_check_health(text,timestamp with time zone) TO mlsync_admin;
COMMENT ON FUNCTION mlsync.mls_check_health(text,timestamp with time zone) IS 'raise sync_stale for connections without a recent success and sync_slow for runs running too long (and clear sync_stale); returns the events raised or cleared';

CREATE OR REPLACE FUNCTION mlsync.mls_retention(what text)
 RETURNS interval
 LANGUAGE c
 STABLE STRICT
AS '$libdir/mlsync', $function$mls_retention$function$;
REVOKE ALL ON FUNCTION mlsync.mls_retention(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_retention(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_prune()
 RETURNS TABLE(table_name text, retention interval, pruned bigint)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_column
BEGIN
	table_name := 'mls_sync_errors';
	retention := mlsync.mls_retention('sync_errors');
	pruned := 0;
	IF retention IS NOT NULL THEN
		DELETE FROM mlsync.mls_sync_errors e WHERE e.occurred_at < now() - retention;
		GET DIAGNOSTICS pruned = ROW_COUNT;
	END IF;
	RETURN NEXT;

	table_name := 'mls_sync_history';
	retention := mlsync.mls_retention('sync_history');
	pruned := 0;
	IF retention IS NOT NULL THEN
		DELETE FROM mlsync.mls_sync_history h
		 WHERE h.state <> 'running' AND h.finished_at < now() - retention;
		GET DIAGNOSTICS pruned = ROW_COUNT;
	END IF;
	RETURN NEXT;

	table_name := 'mls_events';
	retention := mlsync.mls_retention('events');
	pruned := 0;
	IF retention IS NOT NULL THEN
		pruned := mlsync.mls_events_prune(retention);
	END IF;
	RETURN NEXT;

	-- A listing written again before the statistics refresh has a mark per
	-- write, and a load of a whole feed marks its connection with each
	-- batch: one mark says as much, and a connection's covers its listings'.
	-- Only while no refresh runs (its lock, src/stats/refresh.c), and with a
	-- snapshot taken after the lock (read committed): the marks kept are
	-- then the ones the next refresh takes (one it took already would be
	-- seen alive by an older snapshot, and a newer mark deleted for it).
	-- Writers only add marks.  One pass over the table, whatever its size.
	table_name := 'mls_stats_dirty';
	retention := NULL;
	pruned := 0;
	IF current_setting('transaction_isolation') = 'read committed'
	   AND mlsync.mls_stats_refresh_try_lock() THEN
		DELETE FROM mlsync.mls_stats_dirty d
		 USING (SELECT m.ctid AS row_id,
					   row_number() OVER (PARTITION BY m.tenant_id, m.connection, m.listing_key
										  ORDER BY m.ctid) AS nth,
					   bool_or(m.listing_key IS NULL)
						   OVER (PARTITION BY m.tenant_id, m.connection) AS whole_connection
				  FROM mlsync.mls_stats_dirty m) r
		 WHERE d.ctid = r.row_id
		   AND (r.nth > 1 OR (d.listing_key IS NOT NULL AND r.whole_connection));
		GET DIAGNOSTICS pruned = ROW_COUNT;
	END IF;
	RETURN NEXT;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_prune() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_prune() TO mlsync_admin;
COMMENT ON FUNCTION mlsync.mls_prune() IS 'delete sync errors, finished runs and acknowledged events older than their retention settings, and repeated statistics marks; returns the rows deleted per table';

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
SELECT pg_catalog.pg_extension_config_dump('mls_listing_exclusions', '');

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
COMMENT ON TABLE mls_skipped_records IS 'records a sync skipped as malformed, whole and with their last error, until mls_retry_skipped writes them or a later sync brings the listing';
COMMENT ON COLUMN mls_skipped_records.record IS 'the record exactly as the source sent it';
COMMENT ON COLUMN mls_skipped_records.attempts IS 'how many times the record was refused (syncs and retries)';
SELECT pg_catalog.pg_extension_config_dump('mls_skipped_records', '');

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
SELECT pg_catalog.pg_extension_config_dump('mls_dry_run_changes', '');

CREATE TABLE mls_dry_run_columns (
	tenant_id		text NOT NULL,
	run_id			bigint NOT NULL,
	column_name		text NOT NULL,
	listings		bigint NOT NULL,
	PRIMARY KEY (tenant_id, run_id, column_name),
	FOREIGN KEY (tenant_id, run_id) REFERENCES mls_sync_history ON DELETE CASCADE
);
COMMENT ON TABLE mls_dry_run_columns IS 'per column of a dry run: how many listings it would change (all of them, not only the recorded ones)';
SELECT pg_catalog.pg_extension_config_dump('mls_dry_run_columns', '');

CREATE OR REPLACE FUNCTION mlsync.mls_require_connection(tenant text, connection text)
 RETURNS void
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
BEGIN
	IF NOT EXISTS (SELECT FROM mlsync.mls_connections c
					WHERE c.tenant_id = tenant AND c.connection = connection) THEN
		RAISE EXCEPTION 'connection "%" of tenant "%" does not exist', connection, tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Connections are listed in mlsync.mls_connections.';
	END IF;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_require_connection(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_require_connection(text,text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_exclude_listing(tenant text, connection text, listing_key text, reason text DEFAULT NULL::text)
 RETURNS mlsync.mls_listing_exclusions
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_exclude_listing(text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_exclude_listing(text,text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_exclude_listing(text,text,text,text) IS 'exclude a listing from every sync of a connection: no mode inserts, updates, removes or previews it';

CREATE OR REPLACE FUNCTION mlsync.mls_include_listing(tenant text, connection text, listing_key text)
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
BEGIN
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'including listings');
	PERFORM mlsync.mls_require_connection(tenant, connection);
	DELETE FROM mlsync.mls_listing_exclusions x
	 WHERE x.tenant_id = tenant AND x.connection = connection AND x.listing_key = listing_key;
	RETURN FOUND;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_include_listing(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_include_listing(text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_include_listing(text,text,text) IS 'end the exclusion of a listing: syncs write it again (a single-listing sync brings it at once)';

CREATE OR REPLACE FUNCTION mlsync.mls_retry_skipped(tenant text, connection text)
 RETURNS TABLE(listing_key text, outcome text, message text)
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_retry_skipped(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_retry_skipped(text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_retry_skipped(text,text) IS 'map and write again the records a connection''s syncs skipped (after a mapping fix); returns each record''s outcome';

CREATE OR REPLACE FUNCTION mlsync.mls_listing_changes(old jsonb, new jsonb, columns text[])
 RETURNS jsonb
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN (SELECT jsonb_object_agg(k.k, jsonb_build_object('old', (mls_listing_changes.old -> k.k), 'new', (mls_listing_changes.new -> k.k))) AS jsonb_object_agg FROM unnest(mls_listing_changes.columns) k(k) WHERE (((mls_listing_changes.old -> k.k) IS DISTINCT FROM (mls_listing_changes.new -> k.k)) AND (NOT ((mls_listing_changes.old IS NULL) AND ((mls_listing_changes.new -> k.k) = 'null'::jsonb)))));
REVOKE ALL ON FUNCTION mlsync.mls_listing_changes(jsonb,jsonb,text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_listing_changes(jsonb,jsonb,text[]) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_owned_overrides_kept(overrides jsonb, old jsonb, new jsonb, owned text[])
 RETURNS jsonb
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN (overrides - COALESCE((SELECT array_agg(f.f) AS array_agg FROM unnest(mls_owned_overrides_kept.owned) f(f) WHERE ((mls_owned_overrides_kept.overrides ? f.f) AND ((mls_owned_overrides_kept.old -> f.f) IS DISTINCT FROM (mls_owned_overrides_kept.new -> f.f)))), '{}'::text[]));
REVOKE ALL ON FUNCTION mlsync.mls_owned_overrides_kept(jsonb,jsonb,jsonb,text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_owned_overrides_kept(jsonb,jsonb,jsonb,text[]) TO PUBLIC;

CREATE OR REPLACE FUNCTION mls_dry_run_changes(run_id bigint)
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
REVOKE ALL ON FUNCTION mlsync.mls_dry_run_changes(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_dry_run_changes(bigint) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_dry_run_changes(bigint) IS 'the change list of a dry run: per listing, insert or update, the columns that would change with old and new values';

CREATE OR REPLACE FUNCTION mls_dry_run_summary(run_id bigint)
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
REVOKE ALL ON FUNCTION mlsync.mls_dry_run_summary(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_dry_run_summary(bigint) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_dry_run_summary(bigint) IS 'the totals of a dry run: would insert, would update, unchanged, excluded, over the cap, listings in the change list and left out of it, and listings per changed column';

CREATE OR REPLACE FUNCTION mlsync.mls_rename_connection_unchecked(tenant text, connection text, new_name text)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_rename_connection_unchecked(text,text,text) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_rename_connection_unchecked(text,text,text) IS 'private: mls_rename_connection as the extension''s owner, called by mls_rename_connection once the caller may operate the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_rename_connection(tenant text, connection text, new_name text)
 RETURNS text
 LANGUAGE c
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_rename_connection_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_rename_connection(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_rename_connection(text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_rename_connection(text,text,text) IS 'rename a connection and move all its rows; its secrets are removed (set them again); needs operate on the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_drops_mlsync(query text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN COALESCE((query ~* '\mdrop\s+(extension|schema)\s+(if\s+exists\s+)?([a-z0-9_$"]+\s*,\s*)*"?mlsync"?\s*(,|;|cascade|restrict|$)'::text), false);
REVOKE ALL ON FUNCTION mlsync.mls_drops_mlsync(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_drops_mlsync(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_before_drop()
 RETURNS event_trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
	job record;
	worker record;
BEGIN
	IF NOT mlsync.mls_drops_mlsync(current_query()) THEN
		RETURN;
	END IF;
	-- The launcher reads the queue to start runs and to queue again the runs
	-- of workers that died: holding the queue until the drop commits keeps
	-- it from replacing the workers ended below.
	LOCK TABLE mlsync.mls_sync_queue IN ACCESS EXCLUSIVE MODE;
	IF to_regclass('cron.job') IS NOT NULL THEN
		FOR job IN EXECUTE
			'SELECT jobid, jobname FROM cron.job
			  WHERE starts_with(jobname, ''mlsync:'') AND database = current_database()
			  ORDER BY jobid'
		LOOP
			EXECUTE 'SELECT cron.unschedule($1)' USING job.jobid;
			RAISE NOTICE 'unscheduled pg_cron job "%"', job.jobname;
		END LOOP;
	END IF;
	FOR worker IN
		SELECT a.pid FROM pg_catalog.pg_stat_activity a
		 WHERE a.backend_type = 'mlsync worker' AND a.datname = current_database()
	LOOP
		-- warns by itself when the worker has not exited after 10 s
		PERFORM pg_catalog.pg_terminate_backend(worker.pid, 10000);
	END LOOP;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_before_drop() FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_rets_server_offset(tenant text, connection text, OUT utc_offset interval, OUT read_at timestamp with time zone)
 RETURNS record
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT CASE WHEN o ~ '^[+-]\d{1,2}(:?\d{2})?$'
				THEN regexp_replace(o, '^([+-])(\d{1,2}):?(\d{2})?$', '\1\2:\3')::interval END,
		   coalesce(st.metadata_fetched_at, now())
	  FROM (SELECT btrim(m.rows -> 0 ->> 'TimeZoneOffset') AS o
			  FROM mlsync.mls_source_metadata m
			 WHERE m.tenant_id = mls_rets_server_offset.tenant
			   AND m.connection = mls_rets_server_offset.connection
			   AND m.metadata_type = 'METADATA-SYSTEM'
			 LIMIT 1) x
	  LEFT JOIN mlsync.mls_sync_status st
		ON st.tenant_id = mls_rets_server_offset.tenant
	   AND st.connection = mls_rets_server_offset.connection
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_rets_server_offset(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_rets_server_offset(text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_rets_server_offset(text,text) IS 'private: the UTC offset a RETS server''s METADATA-SYSTEM gave (TimeZoneOffset) and when it was read';

CREATE OR REPLACE FUNCTION mlsync.mls_rets_server_timezone(tenant text, connection text)
 RETURNS text
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT coalesce(
		(SELECT z FROM unnest(ARRAY['America/New_York', 'America/Chicago', 'America/Denver',
									'America/Los_Angeles', 'America/Phoenix', 'America/Anchorage',
									'Pacific/Honolulu', 'America/Halifax', 'America/St_Johns',
									'America/Puerto_Rico', 'UTC']) WITH ORDINALITY AS p(z, i)
		  WHERE (o.read_at AT TIME ZONE z) - (o.read_at AT TIME ZONE 'UTC') = o.utc_offset
		  ORDER BY i LIMIT 1),
		CASE WHEN extract(minute FROM o.utc_offset) = 0 AND o.utc_offset <> interval '0'
			 THEN format('Etc/GMT%s%s', CASE WHEN o.utc_offset < interval '0' THEN '+' ELSE '-' END,
						 abs(extract(hour FROM o.utc_offset))::int) END,
		'UTC')
	  FROM mlsync.mls_rets_server_offset(tenant, connection) o
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_rets_server_timezone(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_rets_server_timezone(text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_rets_server_timezone(text,text) IS 'private: the time zone a RETS server most likely writes its timestamps in, from its TimeZoneOffset';

CREATE OR REPLACE FUNCTION mlsync.mls_format_utc_offset(utc_offset interval)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE STRICT
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT CASE WHEN utc_offset < interval '0' THEN '-' ELSE '+' END ||
		   to_char(CASE WHEN utc_offset < interval '0' THEN -utc_offset ELSE utc_offset END, 'HH24:MI')
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_format_utc_offset(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_format_utc_offset(interval) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_rets_timezone_mismatch(tenant text, connection text)
 RETURNS text
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT format('the server''s TimeZoneOffset is %s (METADATA-SYSTEM) but mapping set "%s" reads its timestamps in %s (%s)',
				  mlsync.mls_format_utc_offset(o.utc_offset), ms.mapping_set, ms.source_timezone,
				  mlsync.mls_format_utc_offset((o.read_at AT TIME ZONE ms.source_timezone)
											   - (o.read_at AT TIME ZONE 'UTC')))
	  FROM mlsync.mls_rets_server_offset(tenant, connection) o,
		   mlsync.mls_connections c
	  JOIN mlsync.mls_mapping_sets ms USING (mapping_set)
	 WHERE c.tenant_id = mls_rets_timezone_mismatch.tenant
	   AND c.connection = mls_rets_timezone_mismatch.connection
	   AND c.protocol = 'rets' AND o.utc_offset IS NOT NULL
	   AND (o.read_at AT TIME ZONE ms.source_timezone) - (o.read_at AT TIME ZONE 'UTC') <> o.utc_offset
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_rets_timezone_mismatch(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_rets_timezone_mismatch(text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_rets_timezone_mismatch(text,text) IS 'how the time zone of a RETS connection''s mapping set contradicts the server''s METADATA-SYSTEM TimeZoneOffset, or NULL';

CREATE OR REPLACE FUNCTION mlsync.mls_rets_create_mapping_set(tenant text, connection text, mapping_set text, source_timezone text DEFAULT NULL::text, use boolean DEFAULT true)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
	source_timezone := coalesce(source_timezone, mlsync.mls_rets_server_timezone(tenant, connection), 'UTC');
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
$function$;

CREATE OR REPLACE FUNCTION mlsync.mls_rets_photos_unchecked(tenant text, connection text, listing_key text, photo_type text DEFAULT 'Photo'::text)
 RETURNS TABLE(object_id text, content_type text, description text, url text, preferred boolean, bytes bigint)
 LANGUAGE c
 STRICT SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_rets_photos$function$;
REVOKE ALL ON FUNCTION mlsync.mls_rets_photos_unchecked(text,text,text,text) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_rets_photos_unchecked(text,text,text,text) IS 'private: mls_rets_photos as the extension''s owner, called by mls_rets_photos once the caller may operate the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_rets_photos(tenant text, connection text, listing_key text, photo_type text DEFAULT 'Photo'::text)
 RETURNS TABLE(object_id text, content_type text, description text, url text, preferred boolean, bytes bigint)
 LANGUAGE c
 STRICT
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_rets_photos_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_rets_photos(text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_rets_photos(text,text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_rets_photos(text,text,text,text) IS 'the photos of a listing as its RETS server lists them (GetObject, Location=1): object id, content type, description, URL, preferred; needs operate on the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_privilege_level(privilege text)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN CASE privilege WHEN 'display'::text THEN 0 WHEN 'read'::text THEN 1 WHEN 'consume'::text THEN 2 WHEN 'operate'::text THEN 3 WHEN 'admin'::text THEN 4 ELSE NULL::integer END;
REVOKE ALL ON FUNCTION mlsync.mls_privilege_level(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_privilege_level(text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_privilege_level(text) IS 'the level of a tenant privilege (display 0, read 1, consume 2, operate 3, admin 4); each level includes those below it';

CREATE TABLE mls_tenant_grants (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	role			name NOT NULL,
	privilege		text NOT NULL CHECK (mls_privilege_level(privilege) IS NOT NULL),
	granted_by		name NOT NULL DEFAULT current_user,
	granted_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, role, privilege)
);
COMMENT ON TABLE mls_tenant_grants IS 'which roles may do what with a tenant: display, read, consume, operate or admin (each includes the ones before it); written by mls_grant_tenant and mls_revoke_tenant';
COMMENT ON COLUMN mls_tenant_grants.role IS 'a role name; the grant applies to every role that may use it (pg_has_role USAGE: itself, members that inherit it, sessions that SET ROLE to it)';
SELECT pg_catalog.pg_extension_config_dump('mls_tenant_grants', '');
ALTER TABLE mls_tenant_grants ENABLE ROW LEVEL SECURITY;

CREATE OR REPLACE FUNCTION mlsync.mls_is_global_admin()
 RETURNS boolean
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
RETURN (EXISTS (SELECT FROM pg_roles r WHERE (((r.rolname = 'mlsync_admin'::name) OR (r.oid = (SELECT e.extowner FROM pg_extension e WHERE (e.extname = 'mlsync'::name)))) AND pg_has_role(r.oid, 'USAGE'::text))));
REVOKE ALL ON FUNCTION mlsync.mls_is_global_admin() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_is_global_admin() TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_is_global_admin() IS 'true when the current role is a global administrator of mlsync (member of mlsync_admin or of the extension''s owner)';

CREATE OR REPLACE VIEW mls_tenant_access WITH (security_barrier) AS
SELECT g.tenant_id, g.privilege, mls_privilege_level(g.privilege) AS level
  FROM mls_tenant_grants g
  JOIN pg_catalog.pg_roles r ON r.rolname = g.role
 WHERE pg_catalog.pg_has_role(r.oid, 'USAGE');

CREATE OR REPLACE VIEW mls_my_tenants WITH (security_barrier) AS
SELECT a.tenant_id,
	   (ARRAY['display', 'read', 'consume', 'operate', 'admin'])[max(a.level) + 1] AS privilege
  FROM (SELECT ta.tenant_id, ta.level FROM mls_tenant_access ta
		UNION ALL
		SELECT t.tenant_id, 4 FROM mls_tenants t WHERE (SELECT mls_is_global_admin())) a
 GROUP BY a.tenant_id;

CREATE OR REPLACE FUNCTION mlsync.mls_has_tenant_privilege(tenant text, privilege text)
 RETURNS boolean
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
RETURN (mlsync.mls_is_global_admin() OR (EXISTS (SELECT FROM mlsync.mls_tenant_access a WHERE ((a.tenant_id = mls_has_tenant_privilege.tenant) AND (a.level >= mlsync.mls_privilege_level(mls_has_tenant_privilege.privilege))))));
REVOKE ALL ON FUNCTION mlsync.mls_has_tenant_privilege(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_has_tenant_privilege(text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_has_tenant_privilege(text,text) IS 'true when the current role holds the privilege (or a higher one) on the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_require_tenant_privilege(tenant text, privilege text, what text)
 RETURNS void
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF mlsync.mls_privilege_level(privilege) IS NULL THEN
		RAISE EXCEPTION 'unknown tenant privilege "%"', privilege
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT coalesce(mlsync.mls_has_tenant_privilege(tenant, privilege), false) THEN
		RAISE EXCEPTION 'permission denied for tenant "%"', tenant
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = format('Role %s lacks the %s privilege on the tenant, which %s needs.',
								  current_user, privilege, what),
				  HINT = format('An administrator of the tenant can grant it: SELECT mlsync.mls_grant_tenant(%L, %L, %L);',
								tenant, current_user, privilege);
	END IF;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_require_tenant_privilege(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_require_tenant_privilege(text,text,text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_grant_tenant(tenant text, role name, privilege text)
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
BEGIN
	IF mlsync.mls_privilege_level(privilege) IS NULL THEN
		RAISE EXCEPTION 'unknown tenant privilege "%"', privilege
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use display, read, consume, operate or admin.';
	END IF;
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'admin', 'granting privileges');
	IF NOT EXISTS (SELECT FROM mlsync.mls_tenants t WHERE t.tenant_id = tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Create it with mlsync.mls_create_tenant().';
	END IF;
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = role) THEN
		RAISE EXCEPTION 'role "%" does not exist', role
			USING ERRCODE = 'undefined_object',
				  HINT = 'Create the role first (CREATE ROLE); its name is matched exactly.';
	END IF;
	INSERT INTO mlsync.mls_tenant_grants AS g (tenant_id, role, privilege)
	VALUES (tenant, role, privilege)
	ON CONFLICT ON CONSTRAINT mls_tenant_grants_pkey DO NOTHING;
	RETURN FOUND;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_grant_tenant(text,name,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_grant_tenant(text,name,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_grant_tenant(text,name,text) IS 'grant a role a privilege on a tenant (display, read, consume, operate, admin); returns false when it held the grant already; needs admin on the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_revoke_tenant(tenant text, role name, privilege text DEFAULT NULL::text)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	removed bigint;
BEGIN
	IF privilege IS NOT NULL AND mlsync.mls_privilege_level(privilege) IS NULL THEN
		RAISE EXCEPTION 'unknown tenant privilege "%"', privilege
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use display, read, consume, operate or admin, or NULL for all.';
	END IF;
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'admin', 'revoking privileges');
	DELETE FROM mlsync.mls_tenant_grants g
	 WHERE g.tenant_id = tenant AND g.role = mls_revoke_tenant.role
	   AND (privilege IS NULL OR g.privilege = mls_revoke_tenant.privilege);
	GET DIAGNOSTICS removed = ROW_COUNT;
	RETURN removed;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_revoke_tenant(text,name,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_revoke_tenant(text,name,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_revoke_tenant(text,name,text) IS 'revoke a privilege (NULL: all) of a role on a tenant; returns the number of grants removed; needs admin on the tenant';

CREATE OR REPLACE FUNCTION mlsync.mls_tenant_list(level integer)
 RETURNS text[]
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
RETURN (SELECT CASE WHEN (count(*) <= 32) THEN COALESCE(array_agg(a.tenant_id), '{}'::text[]) ELSE NULL::text[] END AS "case" FROM mlsync.mls_tenant_access a WHERE (a.level >= mls_tenant_list.level));
REVOKE ALL ON FUNCTION mlsync.mls_tenant_list(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_tenant_list(integer) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_tenant_policy_condition(tenant_column name, privilege text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE STRICT
 SET search_path TO 'pg_catalog', 'pg_temp'
RETURN format('(SELECT mlsync.mls_is_global_admin()) OR %1$I = ANY ((SELECT mlsync.mls_tenant_list(%2$s))::text[]) OR ((SELECT mlsync.mls_tenant_list(%2$s)) IS NULL AND %1$I IN (SELECT a.tenant_id FROM mlsync.mls_tenant_access a WHERE a.level >= %2$s))'::text, tenant_column, mlsync.mls_privilege_level(privilege));
REVOKE ALL ON FUNCTION mlsync.mls_tenant_policy_condition(name,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_tenant_policy_condition(name,text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_protect_tenant_table(relation regclass, read_privilege text, write_privilege text, public_writes text DEFAULT NULL::text, tenant_column name DEFAULT 'tenant_id'::name)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
	insertable text;
BEGIN
	IF mlsync.mls_privilege_level(read_privilege) IS NULL
	   OR mlsync.mls_privilege_level(write_privilege) IS NULL THEN
		RAISE EXCEPTION 'unknown tenant privilege in "%", "%"', read_privilege, write_privilege
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF public_writes IS NOT NULL AND public_writes !~ '^(INSERT|UPDATE|DELETE)(, (INSERT|UPDATE|DELETE))*$' THEN
		RAISE EXCEPTION 'public_writes must list INSERT, UPDATE or DELETE, not "%"', public_writes
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', relation);
	EXECUTE format('DROP POLICY IF EXISTS mls_tenant_read ON %s', relation);
	EXECUTE format('DROP POLICY IF EXISTS mls_tenant_write ON %s', relation);
	EXECUTE format('CREATE POLICY mls_tenant_read ON %s FOR SELECT USING (%s)', relation,
				   mlsync.mls_tenant_policy_condition(tenant_column, read_privilege));
	EXECUTE format('CREATE POLICY mls_tenant_write ON %s FOR ALL USING (%s) WITH CHECK (%2$s)',
				   relation, mlsync.mls_tenant_policy_condition(tenant_column, write_privilege));
	EXECUTE format('GRANT SELECT ON %s TO PUBLIC', relation);
	IF public_writes IS NOT NULL THEN
		EXECUTE format('GRANT %s ON %s TO PUBLIC', public_writes, relation);
	END IF;

	/*
	 * INSERT without the identity columns: with INSERT on one, a role
	 * chooses its values (OVERRIDING SYSTEM VALUE), ids the sequence hands
	 * other tenants' rows later (events are delivered and alerted by id)
	 */
	SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
	  INTO insertable
	  FROM pg_catalog.pg_attribute a
	 WHERE a.attrelid = relation AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity = '';
	IF public_writes ~ 'INSERT' AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
											 WHERE a.attrelid = relation AND a.attidentity <> ''
											   AND NOT a.attisdropped) THEN
		EXECUTE format('REVOKE INSERT ON %s FROM PUBLIC', relation);
		EXECUTE format('GRANT INSERT (%s) ON %s TO PUBLIC', insertable, relation);
	END IF;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_protect_tenant_table(regclass,text,text,text,name) FROM PUBLIC;

CREATE POLICY mls_tenant_read ON mls_connections AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_connections AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_listings AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_listings AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_listing_history AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_listing_history AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_source_metadata AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_source_metadata AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_sync_queue AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_sync_queue AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_sync_status AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_sync_status AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_sync_history AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_sync_history AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_sync_errors AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_sync_errors AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_events AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_events AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_time_event_marks AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_time_event_marks AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_alerts AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_alerts AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_event_deliveries AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 2))))));

CREATE POLICY mls_tenant_write ON mls_event_deliveries AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 2))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 2))))));

CREATE POLICY mls_tenant_read ON mls_saved_searches AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_saved_searches AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 2))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 2))))));

CREATE POLICY mls_tenant_read ON mls_watchlist AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_watchlist AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 2))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 2))))));

CREATE POLICY mls_tenant_read ON mls_stats_settings AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_stats_settings AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 4))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 4))))));

CREATE POLICY mls_tenant_read ON mls_subscriptions AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant = ANY (( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list) IS NULL) AND (tenant IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 2))))));

CREATE POLICY mls_tenant_write ON mls_subscriptions AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant = ANY (( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list) IS NULL) AND (tenant IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 2))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant = ANY (( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(2) AS mls_tenant_list) IS NULL) AND (tenant IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 2))))));

CREATE POLICY mls_tenant_read ON mls_alert_state AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_alert_state AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_listing_exclusions AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_listing_exclusions AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_skipped_records AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_skipped_records AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_dry_run_changes AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_dry_run_changes AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_dry_run_columns AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_dry_run_columns AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_tenants AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a))));

CREATE POLICY mls_tenant_write ON mls_tenants AS PERMISSIVE FOR ALL TO PUBLIC
	USING (( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin))
	WITH CHECK (( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin));

CREATE POLICY mls_tenant_read ON mls_tenant_grants AS PERMISSIVE FOR SELECT TO PUBLIC
	USING (pg_has_role(( SELECT r.oid
   FROM pg_roles r
  WHERE (r.rolname = mls_tenant_grants.role)), 'USAGE'::text));

CREATE POLICY mls_tenant_write ON mls_tenant_grants AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 4)))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 4)))));

CREATE OR REPLACE FUNCTION mlsync.mls_confidential_reso_fields()
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN ARRAY['PrivateRemarks'::text, 'PrivateOfficeRemarks'::text, 'ShowingInstructions'::text, 'ShowingAdvanceNotice'::text, 'ShowingAttendedYN'::text, 'ShowingConsiderations'::text, 'ShowingContactName'::text, 'ShowingContactPhone'::text, 'ShowingContactPhoneExt'::text, 'ShowingContactType'::text, 'ShowingDays'::text, 'ShowingStartTime'::text, 'ShowingEndTime'::text, 'ShowingRequirements'::text, 'ShowingServiceName'::text, 'AccessCode'::text, 'LockBoxLocation'::text, 'LockBoxSerialNumber'::text, 'LockBoxType'::text, 'OwnerName'::text, 'OwnerPhone'::text, 'OccupantName'::text, 'OccupantPhone'::text, 'OccupantType'::text, 'BuyerBrokerageCompensation'::text, 'BuyerBrokerageCompensationType'::text, 'SubAgencyCompensation'::text, 'SubAgencyCompensationType'::text, 'TransactionBrokerCompensation'::text, 'TransactionBrokerCompensationType'::text, 'DualOrVariableRateCommissionYN'::text, 'CompensationComments'::text, 'LeaseRenewalCompensation'::text, 'ListAgentHomePhone'::text, 'ListAgentPager'::text, 'ListAgentVoiceMail'::text, 'ListAgentVoiceMailExt'::text, 'CoListAgentHomePhone'::text, 'CoListAgentPager'::text, 'CoListAgentVoiceMail'::text, 'CoListAgentVoiceMailExt'::text, 'BuyerAgentHomePhone'::text, 'BuyerAgentPager'::text, 'BuyerAgentVoiceMail'::text, 'BuyerAgentVoiceMailExt'::text, 'CoBuyerAgentHomePhone'::text, 'CoBuyerAgentPager'::text, 'CoBuyerAgentVoiceMail'::text, 'CoBuyerAgentVoiceMailExt'::text];
REVOKE ALL ON FUNCTION mlsync.mls_confidential_reso_fields() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_confidential_reso_fields() TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_confidential_reso_fields() IS 'RESO fields for MLS participants only: never shown by mls_idx_listings or mls_vow_listings';

CREATE OR REPLACE FUNCTION mlsync.mls_confidential_fields()
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT mlsync.mls_snake_case(f.f) AS mls_snake_case FROM unnest(mlsync.mls_confidential_reso_fields()) f(f));
REVOKE ALL ON FUNCTION mlsync.mls_confidential_fields() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_confidential_fields() TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_confidential_names()
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT lower(f.f) AS lower FROM unnest(mlsync.mls_confidential_reso_fields()) f(f));
REVOKE ALL ON FUNCTION mlsync.mls_confidential_names() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_confidential_names() TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_is_confidential_field(name text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN (lower(replace(name, '_'::text, ''::text)) = ANY (mlsync.mls_confidential_names()));
REVOKE ALL ON FUNCTION mlsync.mls_is_confidential_field(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_is_confidential_field(text) TO PUBLIC;

-- The display views' media hook, as the views need it now; its body reads
-- the media tables created below, so it is replaced at the end.
CREATE FUNCTION mls_display_media(tenant text, connection text, listing_key text, purpose text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
RETURN NULL::jsonb;

CREATE OR REPLACE VIEW mls_display_base AS
SELECT l.tenant_id, l.connection, l.listing_key, l.listing_id,
	   l.standard_status, l.mls_status, l.property_type, l.property_sub_type,
	   l.list_price, l.original_list_price, l.previous_list_price,
	   l.close_price, l.close_date,
	   l.listing_contract_date, l.on_market_date, l.off_market_date, l.purchase_contract_date,
	   l.days_on_market, l.cumulative_days_on_market,
	   l.bedrooms_total, l.bathrooms_total_integer, l.bathrooms_full, l.bathrooms_half,
	   l.living_area, l.living_area_units, l.lot_size_area, l.lot_size_units, l.lot_size_acres,
	   l.lot_size_square_feet, l.year_built, l.stories_total, l.garage_spaces,
	   l.heating, l.cooling, l.association_fee, l.tax_annual_amount,
	   -- InternetAddressDisplayYN = false: the seller withheld the address,
	   -- and the coordinates and parcel number, which locate it as well
	   a.shown AS address_displayed,
	   CASE WHEN a.shown THEN l.unparsed_address END AS unparsed_address,
	   CASE WHEN a.shown THEN l.street_number END AS street_number,
	   CASE WHEN a.shown THEN l.street_dir_prefix END AS street_dir_prefix,
	   CASE WHEN a.shown THEN l.street_name END AS street_name,
	   CASE WHEN a.shown THEN l.street_suffix END AS street_suffix,
	   CASE WHEN a.shown THEN l.street_dir_suffix END AS street_dir_suffix,
	   CASE WHEN a.shown THEN l.unit_number END AS unit_number,
	   l.city, l.state_or_province, l.postal_code, l.county_or_parish, l.subdivision_name,
	   l.country,
	   CASE WHEN a.shown THEN l.latitude END AS latitude,
	   CASE WHEN a.shown THEN l.longitude END AS longitude,
	   CASE WHEN a.shown THEN l.parcel_number END AS parcel_number,
	   l.public_remarks, l.virtual_tour_url_unbranded,
	   l.photos_count, l.photos_change_timestamp,
	   coalesce(l.internet_automated_valuation_display_yn, true) AS avm_display_allowed,
	   coalesce(l.internet_consumer_comment_yn, true) AS consumer_comments_allowed,
	   -- attribution: the listing office and agent, the MLS
	   l.list_office_name, l.list_office_mls_id,
	   CASE WHEN NOT c.hide_office_phone THEN l.list_office_phone END AS list_office_phone,
	   l.list_agent_full_name, l.list_agent_mls_id,
	   CASE WHEN NOT c.hide_agent_email THEN l.list_agent_email END AS list_agent_email,
	   CASE WHEN NOT c.hide_agent_phone THEN l.list_agent_direct_phone END AS list_agent_direct_phone,
	   coalesce(c.mls_name, l.originating_system_name, c.connection) AS mls_name,
	   -- most templates name the office once and nothing else of the row:
	   -- two concatenations with the parts around it; others, replacements
	   CASE WHEN c.attribution_before IS NOT NULL
			THEN c.attribution_before || coalesce(l.list_office_name, 'the listing office')
				 || c.attribution_after
			ELSE replace(replace(replace(c.attribution_template,
										 '{office}', coalesce(l.list_office_name, 'the listing office')),
								 '{agent}', coalesce(l.list_agent_full_name, 'the listing agent')),
						 '{mls}', coalesce(c.mls_name, l.originating_system_name, c.connection))
	   END AS attribution,
	   c.disclaimer, c.data_as_of, l.modification_timestamp,
	   CASE WHEN c.hidden_extra IS NULL THEN l.extra ELSE l.extra - c.hidden_extra END AS extra,
	   l.standard_status = ANY (c.display_statuses) AS idx_status,
	   l.standard_status = ANY (c.vow_statuses) AS vow_status,
	   c.sold_data_display
  FROM mls_listings l
  JOIN (SELECT cn.tenant_id, cn.connection, cn.display_statuses, cn.vow_statuses,
			   cn.sold_data_display,
			   cn.mls_name,
			   t.template AS attribution_template,
			   CASE WHEN t.template NOT LIKE '%{agent}%'
						 AND (t.template NOT LIKE '%{mls}%' OR cn.mls_name IS NOT NULL)
						 AND t.template LIKE '%{office}%' AND t.template NOT LIKE '%{office}%{office}%'
					THEN split_part(replace(t.template, '{mls}', coalesce(cn.mls_name, '')), '{office}', 1)
			   END AS attribution_before,
			   split_part(replace(t.template, '{mls}', coalesce(cn.mls_name, '')), '{office}', 2)
				 AS attribution_after,
			   -- the "as of" time is the last successful run that loaded
			   -- listings (not a metadata run, nor one listing's refresh); a
			   -- disclaimer that does not place it gets it appended
			   CASE WHEN coalesce(cn.disclaimer, '') LIKE '%{as_of}%'
					THEN replace(cn.disclaimer, '{as_of}', d.as_of)
					ELSE coalesce(cn.disclaimer || ' ',
								  'Information is deemed reliable but is not guaranteed. ')
						 || 'Listing information last updated ' || d.as_of || '.'
			   END AS disclaimer,
			   st.last_load_at AS data_as_of,
			   'list_agent_email' = ANY (k.hidden_columns) AS hide_agent_email,
			   'list_agent_direct_phone' = ANY (k.hidden_columns) AS hide_agent_phone,
			   'list_office_phone' = ANY (k.hidden_columns) AS hide_office_phone,
			   k.hidden_extra
		  FROM mls_connections cn
		  LEFT JOIN mls_sync_status st
			ON st.tenant_id = cn.tenant_id AND st.connection = cn.connection
		 CROSS JOIN LATERAL (
				SELECT coalesce(cn.attribution, 'Listing courtesy of {office}.') AS template) t
		 CROSS JOIN LATERAL (
				SELECT coalesce(pg_catalog.to_char(st.last_load_at, 'YYYY-MM-DD HH24:MI TZ'),
								'at an unknown time (no sync has loaded its listings yet)') AS as_of) d
		 CROSS JOIN LATERAL (
				-- confidential: marked so by the mapping, or a participants-only
				-- RESO field, among the mappings to the contact columns the views
				-- show and to extra
				SELECT coalesce(array_agg(m.target) FILTER (WHERE m.target NOT LIKE 'extra.%'),
								'{}') AS hidden_columns,
					   array_agg(substr(m.target, 7)) FILTER (WHERE m.target LIKE 'extra.%')
						 AS hidden_extra
				  FROM mls_field_mappings m
				 WHERE m.mapping_set = cn.mapping_set
				   AND (m.target LIKE 'extra.%'
						OR m.target IN ('list_agent_email', 'list_agent_direct_phone', 'list_office_phone'))
				   AND (m.confidential
						OR mls_is_confidential_field(m.source_field)
						OR (m.target LIKE 'extra.%' AND mls_is_confidential_field(substr(m.target, 7))))) k
		 -- the connections of the tenants the reader may see, and so (inner
		 -- join) their listings only: tested once per connection, not per row
		 WHERE (SELECT mls_is_global_admin())
			OR cn.tenant_id IN (SELECT ta.tenant_id FROM mls_tenant_access ta WHERE ta.level >= 0)
		-- computed once per connection, not folded into the listings' rows
		OFFSET 0
	   ) c ON c.tenant_id = l.tenant_id AND c.connection = l.connection
 CROSS JOIN LATERAL (SELECT l.internet_address_display_yn IS NOT FALSE AS shown) a
 WHERE l.removed_at IS NULL
   AND l.conflict IS NULL
   -- InternetEntireListingDisplayYN = false: the seller kept the listing off
   -- the internet altogether
   AND l.internet_entire_listing_display_yn IS NOT FALSE;

CREATE OR REPLACE VIEW mls_idx_listings WITH (security_barrier) AS
SELECT b.tenant_id, b.connection, b.listing_key, b.listing_id,
	   b.standard_status, b.mls_status, b.property_type, b.property_sub_type,
	   b.list_price,
	   CASE WHEN b.sold_data_display = 'idx_and_vow' THEN b.close_price END AS close_price,
	   CASE WHEN b.sold_data_display = 'idx_and_vow' THEN b.close_date END AS close_date,
	   b.listing_contract_date, b.on_market_date, b.days_on_market,
	   b.bedrooms_total, b.bathrooms_total_integer, b.bathrooms_full, b.bathrooms_half,
	   b.living_area, b.living_area_units, b.lot_size_area, b.lot_size_units, b.lot_size_acres,
	   b.lot_size_square_feet, b.year_built, b.stories_total, b.garage_spaces,
	   b.heating, b.cooling, b.association_fee, b.tax_annual_amount,
	   b.address_displayed, b.unparsed_address, b.street_number, b.street_dir_prefix,
	   b.street_name, b.street_suffix, b.street_dir_suffix, b.unit_number,
	   b.city, b.state_or_province, b.postal_code, b.county_or_parish, b.subdivision_name,
	   b.country, b.latitude, b.longitude, b.parcel_number,
	   b.public_remarks, b.virtual_tour_url_unbranded, b.photos_count, b.photos_change_timestamp,
	   mls_display_media(b.tenant_id, b.connection, b.listing_key, 'idx') AS media,
	   b.avm_display_allowed, b.consumer_comments_allowed,
	   b.list_office_name, b.list_office_mls_id, b.list_office_phone,
	   b.list_agent_full_name, b.list_agent_mls_id, b.list_agent_email, b.list_agent_direct_phone,
	   b.mls_name, b.attribution, b.disclaimer, b.data_as_of, b.modification_timestamp,
	   b.extra
  FROM mls_display_base b
 WHERE b.idx_status;

CREATE OR REPLACE VIEW mls_vow_listings WITH (security_barrier) AS
SELECT b.tenant_id, b.connection, b.listing_key, b.listing_id,
	   b.standard_status, b.mls_status, b.property_type, b.property_sub_type,
	   b.list_price, b.original_list_price, b.previous_list_price,
	   CASE WHEN b.sold_data_display <> 'none' THEN b.close_price END AS close_price,
	   CASE WHEN b.sold_data_display <> 'none' THEN b.close_date END AS close_date,
	   b.listing_contract_date, b.on_market_date, b.off_market_date, b.purchase_contract_date,
	   b.days_on_market, b.cumulative_days_on_market,
	   b.bedrooms_total, b.bathrooms_total_integer, b.bathrooms_full, b.bathrooms_half,
	   b.living_area, b.living_area_units, b.lot_size_area, b.lot_size_units, b.lot_size_acres,
	   b.lot_size_square_feet, b.year_built, b.stories_total, b.garage_spaces,
	   b.heating, b.cooling, b.association_fee, b.tax_annual_amount,
	   b.address_displayed, b.unparsed_address, b.street_number, b.street_dir_prefix,
	   b.street_name, b.street_suffix, b.street_dir_suffix, b.unit_number,
	   b.city, b.state_or_province, b.postal_code, b.county_or_parish, b.subdivision_name,
	   b.country, b.latitude, b.longitude, b.parcel_number,
	   b.public_remarks, b.virtual_tour_url_unbranded, b.photos_count, b.photos_change_timestamp,
	   mls_display_media(b.tenant_id, b.connection, b.listing_key, 'vow') AS media,
	   b.avm_display_allowed, b.consumer_comments_allowed,
	   b.list_office_name, b.list_office_mls_id, b.list_office_phone,
	   b.list_agent_full_name, b.list_agent_mls_id, b.list_agent_email, b.list_agent_direct_phone,
	   b.mls_name, b.attribution, b.disclaimer, b.data_as_of, b.modification_timestamp,
	   b.extra
  FROM mls_display_base b
 WHERE b.vow_status;

CREATE TABLE mls_usage (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	day				date NOT NULL,
	listings_held	bigint,
	listings_changed bigint NOT NULL DEFAULT 0,
	requests		bigint NOT NULL DEFAULT 0,
	bytes_downloaded bigint NOT NULL DEFAULT 0,
	media_bytes_stored bigint,
	events_raised	bigint NOT NULL DEFAULT 0,
	updated_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, day)
) WITH (fillfactor = 50);	-- updated after every batch: room for HOT updates

COMMENT ON TABLE mls_usage IS 'per tenant and UTC day: listings held and changed, requests and bytes sent by MLS servers, media bytes stored, events raised; kept by the sync engine as it goes';
COMMENT ON COLUMN mls_usage.listings_held IS 'listings not removed: counted at the tenant''s first sync write of the day, then kept by the runs'' inserted and removed counts (NULL until then)';
COMMENT ON COLUMN mls_usage.listings_changed IS 'listings inserted, updated or removed by syncs (dry runs excluded)';
COMMENT ON COLUMN mls_usage.requests IS 'requests to MLS servers (the quota max_requests_per_day counts these)';
COMMENT ON COLUMN mls_usage.bytes_downloaded IS 'bytes of response bodies from MLS servers';
COMMENT ON COLUMN mls_usage.media_bytes_stored IS 'bytes of media files the tenant stores, set by the media download whenever files are added or deleted (NULL on days nothing changed)';
COMMENT ON COLUMN mls_usage.events_raised IS 'events raised by syncs, mls_detect_time_events and mls_emit_event, with the alerts they caused';
SELECT pg_catalog.pg_extension_config_dump('mls_usage', '');

CREATE POLICY mls_tenant_read ON mls_usage AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_usage AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 4))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 4))))));

CREATE OR REPLACE FUNCTION mlsync.mls_usage_record_events()
 RETURNS bigint
 LANGUAGE c
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_usage_record_events$function$;
REVOKE ALL ON FUNCTION mlsync.mls_usage_record_events() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_usage_record_events() TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_usage_record_events() IS 'count the events this transaction raised (at this nesting level) in mls_usage; returns how many were counted';

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
SELECT pg_catalog.pg_extension_config_dump('mls_stats_facts', '');
ALTER TABLE mls_stats_facts ENABLE ROW LEVEL SECURITY;

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
SELECT pg_catalog.pg_extension_config_dump('mls_stats_cells', '');
ALTER TABLE mls_stats_cells ENABLE ROW LEVEL SECURITY;

CREATE TABLE mls_stats_series (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	area_type		text NOT NULL,
	area			text NOT NULL,
	property_type	text NOT NULL,
	listings		integer NOT NULL,
	PRIMARY KEY (tenant_id, area_type, area, property_type)
);
COMMENT ON TABLE mls_stats_series IS 'private: the statistics series (tenant, area, property type) and how many listings each has';
SELECT pg_catalog.pg_extension_config_dump('mls_stats_series', '');
ALTER TABLE mls_stats_series ENABLE ROW LEVEL SECURITY;

CREATE TABLE mls_stats_feeds (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	connection		text NOT NULL,
	PRIMARY KEY (tenant_id, connection)
);
COMMENT ON TABLE mls_stats_feeds IS 'private: the connections of which mls_stats_facts has facts';
SELECT pg_catalog.pg_extension_config_dump('mls_stats_feeds', '');
ALTER TABLE mls_stats_feeds ENABLE ROW LEVEL SECURITY;

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
SELECT pg_catalog.pg_extension_config_dump('mls_stats_state', '');
ALTER TABLE mls_stats_state ENABLE ROW LEVEL SECURITY;

CREATE TABLE mls_stats_dirty (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	connection		text NOT NULL,
	listing_key		text
);
COMMENT ON TABLE mls_stats_dirty IS 'listings changed since the last statistics refresh, a row per write (listing_key NULL: the whole connection); the sync and mlsync''s functions that write listings mark what they write, an application that writes mls_listings itself marks it here; mls_refresh_stats() takes the marks';
SELECT pg_catalog.pg_extension_config_dump('mls_stats_dirty', '');

CREATE POLICY mls_tenant_read ON mls_stats_dirty AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_stats_dirty AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE OR REPLACE FUNCTION mlsync.mls_stats_round(value double precision, decimals integer)
 RETURNS double precision
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE STRICT
AS '$libdir/mlsync', $function$mls_stats_round$function$;
REVOKE ALL ON FUNCTION mlsync.mls_stats_round(double precision,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_stats_round(double precision,integer) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_stats_refresh("full" boolean, as_of timestamp with time zone DEFAULT NULL::timestamp with time zone)
 RETURNS bigint
 LANGUAGE c
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_stats_refresh$function$;
REVOKE ALL ON FUNCTION mlsync.mls_stats_refresh(boolean,timestamp with time zone) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_stats_refresh_try_lock() RETURNS boolean
LANGUAGE c VOLATILE STRICT
AS '$libdir/mlsync', $function$mls_stats_refresh_try_lock$function$;
REVOKE ALL ON FUNCTION mlsync.mls_stats_refresh_try_lock() FROM PUBLIC;

-- market_stats was a materialized view; it is now a view of the cells the
-- refresh keeps (docs/statistics.md).  mls_market_stats returns its rows and
-- goes with it; it is created again below.
DROP MATERIALIZED VIEW market_stats CASCADE;
CREATE OR REPLACE VIEW market_stats AS
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

CREATE OR REPLACE VIEW mls_visible_market_stats WITH (security_barrier) AS
SELECT s.*
  FROM market_stats s
 WHERE (SELECT mls_is_global_admin())
	OR s.tenant_id IN (SELECT a.tenant_id FROM mls_tenant_access a WHERE a.level >= 1);

CREATE OR REPLACE FUNCTION mlsync.mls_refresh_stats(concurrent boolean DEFAULT true, "full" boolean DEFAULT false)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	RETURN mlsync.mls_stats_refresh(coalesce("full", false));
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_refresh_stats(boolean,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_refresh_stats(boolean,boolean) TO mlsync_admin;
COMMENT ON FUNCTION mlsync.mls_refresh_stats(boolean,boolean) IS 'refresh market_stats: only what changed since the last refresh, or everything (full => true); readers are not blocked';

CREATE OR REPLACE FUNCTION mlsync.mls_market_stats(tenant text, area_type text DEFAULT 'all'::text, area text DEFAULT NULL::text, property_type text DEFAULT NULL::text, period text DEFAULT 'month'::text)
 RETURNS SETOF mlsync.market_stats
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE TABLE mls_media_storage (
	tenant_id		text PRIMARY KEY REFERENCES mls_tenants ON DELETE CASCADE,
	backend			text NOT NULL DEFAULT 'directory' CHECK (backend IN ('directory', 's3')),
	endpoint		text CHECK (endpoint ~* '^https?://[^/?#\s]+/?$'),
	bucket			text CHECK (bucket ~ '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$'),
	region			text CHECK (region ~ '^[a-z0-9-]{1,40}$'),
	access_key_id	text CHECK (access_key_id ~ '^[A-Za-z0-9+/=_.-]{1,128}$'),
	key_prefix		text NOT NULL DEFAULT '' CHECK (key_prefix ~ '^([A-Za-z0-9_.-]+/)*$'),
	public_url_base	text CHECK (public_url_base ~* '^https?://\S+$'),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT mls_media_storage_s3_complete
		CHECK (backend = 'directory' OR
			   (endpoint IS NOT NULL AND bucket IS NOT NULL AND region IS NOT NULL
				AND access_key_id IS NOT NULL))
);
COMMENT ON TABLE mls_media_storage IS 'where a tenant''s media files are stored: a directory under mlsync.media_dir (no row) or an S3-compatible bucket';
COMMENT ON COLUMN mls_media_storage.public_url_base IS 'URL under which an application serves the stored files; mls_listing_media prefixes storage keys with it';
SELECT pg_catalog.pg_extension_config_dump('mls_media_storage', '');

CREATE TABLE mls_media_credentials (
	tenant_id		text PRIMARY KEY REFERENCES mls_media_storage ON DELETE CASCADE,
	key_id			bytea NOT NULL,
	ciphertext		bytea NOT NULL,
	updated_at		timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE mls_media_credentials IS 'encrypted S3 secret access keys of media storage; write-only through mls_media_set_storage';
SELECT pg_catalog.pg_extension_config_dump('mls_media_credentials', '');
ALTER TABLE mls_media_credentials ENABLE ROW LEVEL SECURITY;

CREATE TABLE mls_media_settings (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	source			text NOT NULL DEFAULT 'auto'
					CHECK (source IN ('auto', 'resource', 'expand', 'getobject')),
	media_resource	text NOT NULL DEFAULT 'Media' CHECK (media_resource ~ '^[A-Za-z][A-Za-z0-9_]*$'),
	rets_location	integer NOT NULL DEFAULT 1 CHECK (rets_location IN (0, 1)),
	rets_object_type text NOT NULL DEFAULT 'Photo' CHECK (rets_object_type ~ '^[A-Za-z0-9_-]+$'),
	concurrency		integer NOT NULL DEFAULT 4 CHECK (concurrency BETWEEN 1 AND 64),
	max_bytes_per_hour bigint CHECK (max_bytes_per_hour > 0),
	max_requests_per_hour integer CHECK (max_requests_per_hour > 0),
	PRIMARY KEY (tenant_id, connection),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);
COMMENT ON TABLE mls_media_settings IS 'per connection: where media lists come from, concurrent downloads, request and byte budgets per hour';
COMMENT ON COLUMN mls_media_settings.source IS 'auto: RESO $expand=Media when the connection expands media, else the Media resource; RETS GetObject';
COMMENT ON COLUMN mls_media_settings.rets_location IS 'RETS GetObject: 1 asks for URLs (downloaded by media workers), 0 for the images in the response (stored by the sync)';
SELECT pg_catalog.pg_extension_config_dump('mls_media_settings', '');

CREATE TABLE mls_media_sync_status (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	watermark_ts	timestamptz,
	watermark_raw	text,
	watermark_key	text,
	last_listed_at	timestamptz,
	photos_watermark_raw text,
	photos_watermark_key text,
	photos_refused_at timestamptz,
	recheck_refused_at timestamptz,
	PRIMARY KEY (tenant_id, connection),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);
COMMENT ON TABLE mls_media_sync_status IS 'per connection: the RESO Media resource''s watermark (MediaModificationTimestamp and MediaKey of the last media record committed), and the photo pass''s (photo timestamp and listing key)';
COMMENT ON COLUMN mls_media_sync_status.photos_watermark_raw IS 'the photo timestamp (RESO PhotosChangeTimestamp, or the RETS field mapped to photos_change_timestamp), as the server wrote it, up to which the photo pass read the listings; NULL until a run sets its start';
COMMENT ON COLUMN mls_media_sync_status.photos_watermark_key IS 'the key of the last listing the photo pass committed at photos_watermark_raw';
COMMENT ON COLUMN mls_media_sync_status.photos_refused_at IS 'when the server last refused the photo pass (a query by the photo timestamp); the pass waits a day after it';
COMMENT ON COLUMN mls_media_sync_status.recheck_refused_at IS 'with $expand=Media: when the server last refused the Media resource, from which the lists it cut are read whole; they are taken as read in part until a day after it, then asked for again';
SELECT pg_catalog.pg_extension_config_dump('mls_media_sync_status', '');

CREATE TABLE mls_media_listings (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	photos_change_timestamp timestamptz,
	photos_count	integer,
	needs_check		boolean NOT NULL DEFAULT false,
	changed			boolean NOT NULL DEFAULT false,
	checked_at		timestamptz,
	read_in_part	boolean NOT NULL DEFAULT false,
	PRIMARY KEY (tenant_id, connection, listing_key),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);
CREATE INDEX mls_media_listings_check_idx ON mls_media_listings (tenant_id, connection, listing_key)
	WHERE needs_check;
CREATE INDEX mls_media_listings_changed_idx ON mls_media_listings (tenant_id, connection, listing_key)
	WHERE changed;
COMMENT ON TABLE mls_media_listings IS 'per listing: the photo timestamp and count last seen, whether its media list must be read again, whether a media_changed event is owed';
COMMENT ON COLUMN mls_media_listings.read_in_part IS 'with $expand=Media: the list the server cut was taken as it came, the Media resource refused; it is read whole a day after checked_at';
SELECT pg_catalog.pg_extension_config_dump('mls_media_listings', '');

CREATE TABLE mls_media (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	media_key		text NOT NULL,
	position		integer,
	category		text,
	source_url		text,
	content_type	text,
	source_modified_at timestamptz,
	source_modified_raw text,
	description		text,
	permission		text[],
	image_of		text,
	preferred		boolean,
	flags			jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(flags) = 'object'),
	bytes			bigint CHECK (bytes >= 0),
	sha256			text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	width			integer CHECK (width > 0),
	height			integer CHECK (height > 0),
	storage_key		text,
	state			text NOT NULL DEFAULT 'pending'
					CHECK (state IN ('pending', 'stored', 'failed', 'removed', 'linked')),
	attempts		integer NOT NULL DEFAULT 0,
	last_error		text,
	next_attempt_at	timestamptz,
	first_seen_at	timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	stored_at		timestamptz,
	removed_at		timestamptz,
	PRIMARY KEY (tenant_id, connection, media_key),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);
CREATE INDEX mls_media_listing_idx ON mls_media (tenant_id, connection, listing_key, position);
CREATE INDEX mls_media_queue_idx ON mls_media (tenant_id, connection, listing_key, position)
	WHERE state = 'pending';
CREATE INDEX mls_media_sha256_idx ON mls_media (tenant_id, sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX mls_media_stored_idx ON mls_media USING brin (stored_at);
COMMENT ON TABLE mls_media IS 'the media of listings (photos, floor plans, videos, tours) from either protocol: source metadata and permissions, and where the bytes are stored';
COMMENT ON COLUMN mls_media.state IS 'pending: to be downloaded (when the connection''s photo_policy is download); stored; failed (last_error says why); removed at the source; linked: kept as a link only (videos, tours)';
COMMENT ON COLUMN mls_media.sha256 IS 'SHA-256 (hex) of the stored bytes; the key of mls_media_objects';
COMMENT ON COLUMN mls_media.permission IS 'RESO Permission (IDX, VOW, Public, Private ...), for display views';
COMMENT ON COLUMN mls_media.flags IS 'other source fields that govern display (MediaStatus, ImageOf, IDX flags), as the source sent them';
SELECT pg_catalog.pg_extension_config_dump('mls_media', '');

CREATE TABLE mls_media_objects (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	sha256			text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	bytes			bigint NOT NULL CHECK (bytes >= 0),
	content_type	text NOT NULL,
	storage_key		text NOT NULL,
	width			integer,
	height			integer,
	derivatives		jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(derivatives) = 'array'),
	derive_state	text NOT NULL DEFAULT 'pending'
					CHECK (derive_state IN ('pending', 'done', 'failed')),
	derive_error	text,
	created_at		timestamptz NOT NULL DEFAULT now(),
	derive_reads_failed integer NOT NULL DEFAULT 0 CHECK (derive_reads_failed >= 0),
	derive_retry_at	timestamptz,
	PRIMARY KEY (tenant_id, sha256)
);
CREATE INDEX mls_media_objects_derive_idx ON mls_media_objects (tenant_id, sha256)
	WHERE derive_state = 'pending';
COMMENT ON TABLE mls_media_objects IS 'stored media content, once per tenant and SHA-256 (the same image from two feeds is stored once), with its derivatives';
COMMENT ON COLUMN mls_media_objects.derivatives IS 'array of {"width", "height", "format", "bytes", "storage_key"}: the sizes of mlsync.media_sizes in the formats of mlsync.media_formats';
COMMENT ON COLUMN mls_media_objects.derive_reads_failed IS 'reads of the stored original for derivation that failed; past 10, an answer that the file is gone has its media downloaded again';
COMMENT ON COLUMN mls_media_objects.derive_retry_at IS 'after a failed read of the original: when derivation tries it again (1 minute, doubling)';
SELECT pg_catalog.pg_extension_config_dump('mls_media_objects', '');

CREATE TABLE mls_media_garbage (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	storage_key		text NOT NULL,
	sha256			text NOT NULL,
	attempts		integer NOT NULL DEFAULT 0,
	last_error		text,
	PRIMARY KEY (tenant_id, storage_key)
);
COMMENT ON TABLE mls_media_garbage IS 'stored files whose content no media item shows any more, until the storage has deleted them';
SELECT pg_catalog.pg_extension_config_dump('mls_media_garbage', '');

CREATE TABLE mls_media_usage (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	hour			timestamptz NOT NULL,
	requests		bigint NOT NULL DEFAULT 0,
	bytes			bigint NOT NULL DEFAULT 0,
	stored			bigint NOT NULL DEFAULT 0,
	failed			bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (tenant_id, connection, hour),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);
COMMENT ON TABLE mls_media_usage IS 'media downloads per connection and hour: requests, bytes, items stored and failed';
SELECT pg_catalog.pg_extension_config_dump('mls_media_usage', '');

CREATE OR REPLACE FUNCTION mlsync.mls_media_downloadable(category text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN ((category IS NULL) OR (lower(replace(category, ' '::text, ''::text)) = ANY (ARRAY['photo'::text, 'photos'::text, 'image'::text, 'floorplan'::text, 'floorplans'::text, 'thumbnail'::text])));
REVOKE ALL ON FUNCTION mlsync.mls_media_downloadable(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_downloadable(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_media_timestamp(value text)
 RETURNS timestamp with time zone
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	RETURN value::timestamptz;
EXCEPTION WHEN others THEN
	RETURN NULL;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_timestamp(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_timestamp(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_media_upsert(tenant text, connection text, records jsonb, complete_keys text[], at timestamp with time zone, OUT changed bigint, OUT removed bigint)
 RETURNS record
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	first_load boolean := mlsync.mls_listing_events_mode() <> 'on';
BEGIN
	WITH incoming AS (
		SELECT DISTINCT ON (r ->> 'MediaKey')
			   r ->> 'MediaKey' AS media_key,
			   coalesce(r ->> 'ResourceRecordKey', r ->> 'ListingKey') AS listing_key,
			   CASE WHEN jsonb_typeof(r -> 'Order') = 'number' THEN (r ->> 'Order')::numeric::integer END AS position,
			   r ->> 'MediaCategory' AS category,
			   r ->> 'MediaURL' AS source_url,
			   nullif(r ->> 'MediaType', '') AS content_type,
			   coalesce(r ->> 'MediaModificationTimestamp', r ->> 'ModificationTimestamp') AS modified_raw,
			   coalesce(r ->> 'ShortDescription', r ->> 'LongDescription') AS description,
			   CASE jsonb_typeof(r -> 'Permission')
				   WHEN 'array' THEN ARRAY(SELECT jsonb_array_elements_text(r -> 'Permission'))
				   WHEN 'string' THEN string_to_array(r ->> 'Permission', ',')
			   END AS permission,
			   r ->> 'ImageOf' AS image_of,
			   CASE jsonb_typeof(r -> 'PreferredPhotoYN') WHEN 'boolean' THEN (r ->> 'PreferredPhotoYN')::boolean END AS preferred,
			   jsonb_strip_nulls(jsonb_build_object(
				   'MediaStatus', r -> 'MediaStatus',
				   'ImageSizeDescription', r -> 'ImageSizeDescription',
				   'MediaObjectID', r -> 'MediaObjectID',
				   'ClassName', r -> 'ClassName',
				   'ResourceName', r -> 'ResourceName')) AS flags
		  FROM jsonb_array_elements(records) r
		 WHERE jsonb_typeof(r) = 'object' AND r ->> 'MediaKey' IS NOT NULL
		   AND coalesce(r ->> 'ResourceRecordKey', r ->> 'ListingKey') IS NOT NULL
		   AND coalesce(r ->> 'ResourceName', 'Property') = 'Property'
		 ORDER BY r ->> 'MediaKey'),
	written AS (
		INSERT INTO mlsync.mls_media AS m
			(tenant_id, connection, listing_key, media_key, position, category, source_url,
			 content_type, source_modified_at, source_modified_raw, description, permission,
			 image_of, preferred, flags, state, first_seen_at, updated_at)
		SELECT tenant, connection, i.listing_key, i.media_key, i.position, i.category,
			   i.source_url, i.content_type, mlsync.mls_media_timestamp(i.modified_raw),
			   i.modified_raw, i.description, i.permission, i.image_of, i.preferred, i.flags,
			   CASE WHEN mlsync.mls_media_downloadable(i.category) AND i.source_url IS NOT NULL
					THEN 'pending' ELSE 'linked' END,
			   at, at
		  FROM incoming i
		ON CONFLICT ON CONSTRAINT mls_media_pkey DO UPDATE
		   SET listing_key = EXCLUDED.listing_key, position = EXCLUDED.position,
			   category = EXCLUDED.category, source_url = EXCLUDED.source_url,
			   content_type = EXCLUDED.content_type,
			   source_modified_at = EXCLUDED.source_modified_at,
			   source_modified_raw = EXCLUDED.source_modified_raw,
			   description = EXCLUDED.description, permission = EXCLUDED.permission,
			   image_of = EXCLUDED.image_of, preferred = EXCLUDED.preferred,
			   flags = EXCLUDED.flags,
			   -- new bytes at the source (or back after a removal): download again;
			   -- the old bytes stay served until the new ones are stored
			   state = CASE WHEN EXCLUDED.state = 'linked' THEN 'linked'
							WHEN m.state = 'removed'
								 OR m.source_url IS DISTINCT FROM EXCLUDED.source_url
								 OR m.source_modified_raw IS DISTINCT FROM EXCLUDED.source_modified_raw
							THEN 'pending' ELSE m.state END,
			   attempts = CASE WHEN m.source_url IS DISTINCT FROM EXCLUDED.source_url
								 OR m.source_modified_raw IS DISTINCT FROM EXCLUDED.source_modified_raw
							   THEN 0 ELSE m.attempts END,
			   next_attempt_at = CASE WHEN m.source_url IS DISTINCT FROM EXCLUDED.source_url
										OR m.source_modified_raw IS DISTINCT FROM EXCLUDED.source_modified_raw
									  THEN NULL ELSE m.next_attempt_at END,
			   removed_at = NULL,
			   updated_at = EXCLUDED.updated_at
		 WHERE m.state = 'removed'
			OR (m.listing_key, m.position, m.category, m.source_url, m.content_type,
				m.source_modified_raw, m.description, m.permission, m.image_of, m.preferred, m.flags)
			   IS DISTINCT FROM
			   (EXCLUDED.listing_key, EXCLUDED.position, EXCLUDED.category, EXCLUDED.source_url,
				EXCLUDED.content_type, EXCLUDED.source_modified_raw, EXCLUDED.description,
				EXCLUDED.permission, EXCLUDED.image_of, EXCLUDED.preferred, EXCLUDED.flags)
		RETURNING m.listing_key),
	gone AS (
		UPDATE mlsync.mls_media m SET state = 'removed', removed_at = at, updated_at = at,
			   next_attempt_at = NULL
		 WHERE m.tenant_id = tenant AND m.connection = connection
		   AND m.listing_key = ANY (complete_keys) AND m.state <> 'removed'
		   AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.media_key = m.media_key)
		RETURNING m.listing_key),
	noted AS (
		INSERT INTO mlsync.mls_media_listings AS ml (tenant_id, connection, listing_key, changed)
		SELECT tenant, connection, k, NOT first_load
		  FROM (SELECT listing_key FROM written UNION SELECT listing_key FROM gone) c(k)
		ON CONFLICT ON CONSTRAINT mls_media_listings_pkey DO UPDATE
		   SET changed = ml.changed OR EXCLUDED.changed
		RETURNING 1)
	SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM gone)
	  INTO changed, removed;
	RETURN;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_upsert(text,text,jsonb,text[],timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_upsert(text,text,jsonb,text[],timestamp with time zone) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_media_lists_read(tenant text, connection text, listing_keys text[], seen_media_keys text[], at timestamp with time zone)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	first_load boolean := mlsync.mls_listing_events_mode() <> 'on';
	removed bigint;
BEGIN
	WITH gone AS (
		UPDATE mlsync.mls_media m SET state = 'removed', removed_at = at, updated_at = at,
			   next_attempt_at = NULL
		 WHERE seen_media_keys IS NOT NULL
		   AND m.tenant_id = tenant AND m.connection = connection
		   AND m.listing_key = ANY (listing_keys) AND m.state <> 'removed'
		   AND NOT EXISTS (SELECT 1 FROM unnest(seen_media_keys) s(media_key)
							WHERE s.media_key = m.media_key)
		   -- a list $expand=Media sent that holds an item the list read
		   -- lacks: the Media resource shows another key in
		   -- ResourceRecordKey, or hides items the expansion shows; it is
		   -- taken as read in part
		   AND NOT EXISTS (SELECT 1 FROM mlsync.mls_listings l,
								 jsonb_array_elements(CASE jsonb_typeof(l.raw -> 'Media')
														  WHEN 'array' THEN l.raw -> 'Media'
														  ELSE '[]' END) e
							WHERE l.tenant_id = m.tenant_id AND l.connection = m.connection
							  AND l.listing_key = m.listing_key
							  AND e ->> 'MediaKey' <> ALL (seen_media_keys))
		RETURNING m.listing_key),
	noted AS (
		INSERT INTO mlsync.mls_media_listings AS ml (tenant_id, connection, listing_key, changed)
		SELECT DISTINCT tenant, connection, g.listing_key, NOT first_load FROM gone g
		ON CONFLICT ON CONSTRAINT mls_media_listings_pkey DO UPDATE
		   SET changed = ml.changed OR EXCLUDED.changed
		RETURNING 1)
	SELECT count(*) INTO removed FROM gone;
	UPDATE mlsync.mls_media_listings
	   SET needs_check = false, checked_at = at,
		   read_in_part = read_in_part AND seen_media_keys IS NULL
	 WHERE mls_media_listings.tenant_id = tenant AND mls_media_listings.connection = connection
	   AND listing_key = ANY (listing_keys);
	RETURN removed;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_lists_read(text,text,text[],text[],timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_lists_read(text,text,text[],text[],timestamp with time zone) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_media_note_listings(tenant text, connection text, keys text[], at timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	policy text;
	mode text;
	cut text[] := '{}';
	recheck text[] := '{}';
BEGIN
	SELECT c.photo_policy, mlsync.mls_media_source(c.tenant_id, c.connection)
	  INTO policy, mode
	  FROM mlsync.mls_connections c
	 WHERE c.tenant_id = tenant AND c.connection = connection;
	IF policy IS NULL OR policy = 'none' THEN
		RETURN;
	END IF;

	IF mode = 'expand' THEN
		-- Each listing's items are its own, whatever ResourceRecordKey says
		-- (servers leave it out of an expansion, or fill it with a key other
		-- than the connection's key_field).  A list is whole unless the
		-- server says it was cut (Media@odata.nextLink, a Media@odata.count
		-- past its length) or PhotosCount counts more photos than it holds
		-- (servers that expand a few items unless asked for more, Bridge ten;
		-- a count of photos this feed is not shown, or not lowered when one
		-- was removed): a list that is not whole adds and updates items,
		-- removes none, and is read whole from the Media resource at the end
		-- of the run (needs_check, below) unless it was since its photo fields
		-- last moved (a listing read again unchanged: overlaps, the photo
		-- pass).
		cut := ARRAY(SELECT l.listing_key FROM mlsync.mls_listings l
					  WHERE l.tenant_id = tenant AND l.connection = connection
						AND l.listing_key = ANY (keys) AND l.removed_at IS NULL
						AND jsonb_typeof(l.raw -> 'Media') = 'array'
						AND (jsonb_typeof(l.raw -> 'Media@odata.nextLink') = 'string'
							 OR (jsonb_typeof(l.raw -> 'Media@odata.count') = 'number'
								 AND (l.raw ->> 'Media@odata.count')::numeric
									 > jsonb_array_length(l.raw -> 'Media'))
							 OR l.photos_count > jsonb_array_length(l.raw -> 'Media')));
		recheck := ARRAY(SELECT l.listing_key FROM mlsync.mls_listings l
						   LEFT JOIN mlsync.mls_media_listings ml
							 ON ml.tenant_id = l.tenant_id AND ml.connection = l.connection
							AND ml.listing_key = l.listing_key
						  WHERE l.tenant_id = tenant AND l.connection = connection
							AND l.listing_key = ANY (cut)
							AND (ml.checked_at IS NULL
								 OR (ml.photos_change_timestamp, ml.photos_count)
									IS DISTINCT FROM (l.photos_change_timestamp, l.photos_count)));
		PERFORM mlsync.mls_media_upsert(tenant, connection,
				coalesce((SELECT jsonb_agg(CASE jsonb_typeof(m)
											   WHEN 'object' THEN m || jsonb_build_object('ResourceRecordKey', l.listing_key)
											   ELSE m END)
							FROM mlsync.mls_listings l,
								 jsonb_array_elements(CASE jsonb_typeof(l.raw -> 'Media')
														  WHEN 'array' THEN l.raw -> 'Media'
														  ELSE '[]' END) m
						   WHERE l.tenant_id = tenant AND l.connection = connection
							 AND l.listing_key = ANY (keys) AND l.removed_at IS NULL), '[]'),
				ARRAY(SELECT l.listing_key FROM mlsync.mls_listings l
					   WHERE l.tenant_id = tenant AND l.connection = connection
						 AND l.listing_key = ANY (keys) AND l.removed_at IS NULL
						 AND l.raw ? 'Media' AND l.listing_key <> ALL (cut)),
				at);
	END IF;

	INSERT INTO mlsync.mls_media_listings AS ml
		(tenant_id, connection, listing_key, photos_change_timestamp, photos_count, needs_check)
	SELECT l.tenant_id, l.connection, l.listing_key, l.photos_change_timestamp, l.photos_count,
		   -- a new listing: GetObject is the only way to its media
		   mode = 'getobject'
	  FROM mlsync.mls_listings l
	 WHERE l.tenant_id = tenant AND l.connection = connection AND l.listing_key = ANY (keys)
	   AND l.removed_at IS NULL
	ON CONFLICT ON CONSTRAINT mls_media_listings_pkey DO UPDATE
	   SET photos_change_timestamp = EXCLUDED.photos_change_timestamp,
		   photos_count = EXCLUDED.photos_count,
		   needs_check = ml.needs_check OR (mode = 'getobject')
						 OR (mode = 'resource' AND (ml.checked_at IS NOT NULL
													OR ml.photos_change_timestamp IS NOT NULL))
	 WHERE (ml.photos_change_timestamp, ml.photos_count)
		   IS DISTINCT FROM (EXCLUDED.photos_change_timestamp, EXCLUDED.photos_count);
	IF cardinality(recheck) > 0 THEN
		UPDATE mlsync.mls_media_listings ml SET needs_check = true
		 WHERE ml.tenant_id = tenant AND ml.connection = connection AND ml.listing_key = ANY (recheck);
	END IF;

	PERFORM mlsync.mls_media_remove_gone(tenant, connection, keys, at);
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_note_listings(text,text,text[],timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_note_listings(text,text,text[],timestamp with time zone) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_media_remove_gone(tenant text, connection text, keys text[], at timestamp with time zone)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	n bigint;
BEGIN
	WITH gone AS (
		UPDATE mlsync.mls_media m SET state = 'removed', removed_at = at, updated_at = at,
			   next_attempt_at = NULL
		  FROM mlsync.mls_listings l
		 WHERE m.tenant_id = tenant AND m.connection = connection
		   AND (keys IS NULL OR m.listing_key = ANY (keys)) AND m.state <> 'removed'
		   AND l.tenant_id = m.tenant_id AND l.connection = m.connection
		   AND l.listing_key = m.listing_key AND l.removed_at IS NOT NULL
		RETURNING m.listing_key),
	noted AS (
		UPDATE mlsync.mls_media_listings ml SET changed = true, needs_check = false
		 WHERE ml.tenant_id = tenant AND ml.connection = connection
		   AND ml.listing_key IN (SELECT listing_key FROM gone)
		RETURNING 1)
	SELECT count(*) INTO n FROM gone;
	RETURN n;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_remove_gone(text,text,text[],timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_remove_gone(text,text,text[],timestamp with time zone) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_media_source(tenant text, connection text)
 RETURNS text
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT CASE
			   WHEN c.protocol = 'rets' THEN 'getobject'
			   WHEN coalesce(s.source, 'auto') = 'auto' THEN
				   CASE WHEN c.expand_media THEN 'expand' ELSE 'resource' END
			   ELSE s.source
		   END
	  FROM mlsync.mls_connections c
	  LEFT JOIN mlsync.mls_media_settings s USING (tenant_id, connection)
	 WHERE c.tenant_id = mls_media_source.tenant AND c.connection = mls_media_source.connection
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_source(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_source(text,text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_media_raise_events(tenant text, connection text)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	n bigint;
	ids bigint[];
	downloading boolean;
BEGIN
	SELECT c.photo_policy = 'download' INTO downloading
	  FROM mlsync.mls_connections c WHERE c.tenant_id = tenant AND c.connection = connection;
	WITH settled AS (
		UPDATE mlsync.mls_media_listings ml SET changed = false
		 WHERE ml.tenant_id = tenant AND ml.connection = connection AND ml.changed
		   AND NOT ml.needs_check
		   AND NOT (downloading AND EXISTS (
				SELECT 1 FROM mlsync.mls_media m
				 WHERE m.tenant_id = ml.tenant_id AND m.connection = ml.connection
				   AND m.listing_key = ml.listing_key AND m.state = 'pending'))
		RETURNING ml.listing_key),
	raised AS (
		INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
		SELECT tenant, 'media_changed', connection, s.listing_key,
			   jsonb_build_object(
				   'stored', count(*) FILTER (WHERE m.state = 'stored'),
				   'pending', count(*) FILTER (WHERE m.state = 'pending'),
				   'failed', count(*) FILTER (WHERE m.state = 'failed'),
				   'linked', count(*) FILTER (WHERE m.state = 'linked'),
				   'removed', count(*) FILTER (WHERE m.state = 'removed'))
		  FROM settled s
		  LEFT JOIN mlsync.mls_media m
			ON m.tenant_id = tenant AND m.connection = connection AND m.listing_key = s.listing_key
		 WHERE mlsync.mls_listing_events_mode() = 'on'
		 GROUP BY s.listing_key
		RETURNING event_id)
	SELECT count(*), array_agg(r.event_id ORDER BY r.event_id) INTO n, ids FROM raised r;
	PERFORM mlsync.mls_events_fanout_untriggered(ids);
	RETURN n;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_raise_events(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_raise_events(text,text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_media_configure(tenant text, connection text, source text DEFAULT NULL::text, media_resource text DEFAULT NULL::text, rets_location integer DEFAULT NULL::integer, rets_object_type text DEFAULT NULL::text, concurrency integer DEFAULT NULL::integer, max_bytes_per_hour bigint DEFAULT NULL::bigint, max_requests_per_hour integer DEFAULT NULL::integer)
 RETURNS mlsync.mls_media_settings
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	result mlsync.mls_media_settings;
BEGIN
	-- first, so that a role learns nothing of tenants it may not change
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'configuring media');
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_connections c
					WHERE c.tenant_id = tenant AND c.connection = connection) THEN
		RAISE EXCEPTION 'connection "%" of tenant "%" does not exist', connection, tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Create it with mlsync.mls_connect().';
	END IF;
	IF source IS NOT NULL AND source NOT IN ('auto', 'resource', 'expand', 'getobject') THEN
		RAISE EXCEPTION 'unknown media source "%"', source
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use auto, resource (the RESO Media resource), expand (RESO $expand=Media) or getobject (RETS).';
	END IF;
	IF rets_location = 0 THEN
		RAISE EXCEPTION 'RETS GetObject with Location=0 is not supported yet'
			USING ERRCODE = 'feature_not_supported',
				  HINT = 'Use rets_location => 1: the objects'' URLs are downloaded by media workers.';
	END IF;
	IF concurrency NOT BETWEEN 1 AND 64 THEN
		RAISE EXCEPTION 'concurrency must be between 1 and 64, not %', concurrency
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO mlsync.mls_media_settings (tenant_id, connection) VALUES (tenant, connection)
	ON CONFLICT DO NOTHING;
	UPDATE mlsync.mls_media_settings s SET
		source = coalesce(mls_media_configure.source, s.source),
		media_resource = coalesce(mls_media_configure.media_resource, s.media_resource),
		rets_location = coalesce(mls_media_configure.rets_location, s.rets_location),
		rets_object_type = coalesce(mls_media_configure.rets_object_type, s.rets_object_type),
		concurrency = coalesce(mls_media_configure.concurrency, s.concurrency),
		max_bytes_per_hour = coalesce(mls_media_configure.max_bytes_per_hour, s.max_bytes_per_hour),
		max_requests_per_hour = coalesce(mls_media_configure.max_requests_per_hour, s.max_requests_per_hour)
	 WHERE s.tenant_id = tenant AND s.connection = connection
	RETURNING * INTO result;
	RETURN result;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_configure(text,text,text,text,integer,text,integer,bigint,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_configure(text,text,text,text,integer,text,integer,bigint,integer) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_media_configure(text,text,text,text,integer,text,integer,bigint,integer) IS 'set how a connection reads its media: source, RETS GetObject Location, concurrent downloads, budgets per hour';

CREATE OR REPLACE FUNCTION mlsync.mls_media_store_secret(tenant text, secret text)
 RETURNS void
 LANGUAGE c
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS '$libdir/mlsync', $function$mls_media_store_secret$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_store_secret(text,text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_media_set_storage_unchecked(tenant text, backend text DEFAULT NULL::text, endpoint text DEFAULT NULL::text, bucket text DEFAULT NULL::text, region text DEFAULT NULL::text, access_key_id text DEFAULT NULL::text, secret_access_key text DEFAULT NULL::text, key_prefix text DEFAULT NULL::text, public_url_base text DEFAULT NULL::text)
 RETURNS mlsync.mls_media_storage
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	result mlsync.mls_media_storage;
	old mlsync.mls_media_storage;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_tenants t WHERE t.tenant_id = tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Create it with mlsync.mls_create_tenant().';
	END IF;
	IF backend IS NOT NULL AND backend NOT IN ('directory', 's3') THEN
		RAISE EXCEPTION 'unknown media storage backend "%"', backend
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use directory (mlsync.media_dir) or s3.';
	END IF;
	IF bucket !~ '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' THEN
		RAISE EXCEPTION 'invalid bucket name "%"', bucket
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'S3 bucket names are 3 to 63 lower-case letters, digits, dots and hyphens.';
	END IF;
	IF region !~ '^[a-z0-9-]{1,40}$' THEN
		RAISE EXCEPTION 'invalid region "%"', region
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Write a region such as us-east-1.';
	END IF;
	IF key_prefix !~ '^([A-Za-z0-9_.-]+/)*$' THEN
		RAISE EXCEPTION 'invalid key prefix "%"', key_prefix
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'A prefix is empty or path segments of letters, digits, "_", "." and "-", each followed by "/".';
	END IF;
	SELECT * INTO old FROM mlsync.mls_media_storage s WHERE s.tenant_id = tenant;
	IF coalesce(backend, old.backend) = 's3'
	   AND (coalesce(endpoint, old.endpoint) IS NULL OR coalesce(bucket, old.bucket) IS NULL
			OR coalesce(region, old.region) IS NULL OR coalesce(access_key_id, old.access_key_id) IS NULL) THEN
		RAISE EXCEPTION 'S3 media storage needs an endpoint, a bucket, a region and an access key id'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF endpoint IS NOT NULL THEN
		endpoint := rtrim(mlsync.mls_check_url(endpoint, 'S3 endpoint'), '/');
	END IF;
	INSERT INTO mlsync.mls_media_storage AS s (tenant_id, backend, endpoint, bucket, region,
											   access_key_id, key_prefix, public_url_base)
	VALUES (tenant, coalesce(backend, old.backend, 'directory'),
			coalesce(endpoint, old.endpoint), coalesce(bucket, old.bucket),
			coalesce(region, old.region), coalesce(access_key_id, old.access_key_id),
			coalesce(key_prefix, old.key_prefix, ''),
			coalesce(public_url_base, old.public_url_base))
	ON CONFLICT (tenant_id) DO UPDATE
	   SET backend = EXCLUDED.backend, endpoint = EXCLUDED.endpoint, bucket = EXCLUDED.bucket,
		   region = EXCLUDED.region, access_key_id = EXCLUDED.access_key_id,
		   key_prefix = EXCLUDED.key_prefix, public_url_base = EXCLUDED.public_url_base,
		   updated_at = EXCLUDED.updated_at
	RETURNING * INTO result;
	-- the secret is bound to the endpoint and key id: a new one of either needs it again
	IF secret_access_key IS NOT NULL THEN
		PERFORM mlsync.mls_media_store_secret(tenant, secret_access_key);
	ELSIF (old.endpoint, old.access_key_id) IS DISTINCT FROM (result.endpoint, result.access_key_id) THEN
		DELETE FROM mlsync.mls_media_credentials c WHERE c.tenant_id = tenant;
	END IF;
	RETURN result;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_set_storage_unchecked(text,text,text,text,text,text,text,text,text) FROM PUBLIC;
COMMENT ON FUNCTION mlsync.mls_media_set_storage_unchecked(text,text,text,text,text,text,text,text,text) IS 'the work of mls_media_set_storage, without its privilege check: not for roles';

CREATE OR REPLACE FUNCTION mlsync.mls_media_set_storage(tenant text, backend text DEFAULT NULL::text, endpoint text DEFAULT NULL::text, bucket text DEFAULT NULL::text, region text DEFAULT NULL::text, access_key_id text DEFAULT NULL::text, secret_access_key text DEFAULT NULL::text, key_prefix text DEFAULT NULL::text, public_url_base text DEFAULT NULL::text)
 RETURNS mlsync.mls_media_storage
 LANGUAGE c
AS '$libdir/mlsync', $function$mls_media_set_storage_checked$function$;
REVOKE ALL ON FUNCTION mlsync.mls_media_set_storage(text,text,text,text,text,text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_set_storage(text,text,text,text,text,text,text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_media_set_storage(text,text,text,text,text,text,text,text,text) IS 'set where a tenant''s media files are stored: a directory under mlsync.media_dir, or an S3-compatible bucket (secret stored encrypted)';

CREATE OR REPLACE PROCEDURE mlsync.mls_media_download(IN tenant text, IN connection text DEFAULT NULL::text, IN max_items integer DEFAULT NULL::integer, INOUT stored bigint DEFAULT NULL::bigint, INOUT failed bigint DEFAULT NULL::bigint, INOUT retry_later bigint DEFAULT NULL::bigint, INOUT bytes bigint DEFAULT NULL::bigint, INOUT derived bigint DEFAULT NULL::bigint, INOUT deleted_files bigint DEFAULT NULL::bigint)
 LANGUAGE c
AS '$libdir/mlsync', $procedure$mls_media_download$procedure$;
REVOKE ALL ON PROCEDURE mlsync.mls_media_download(text,text,integer,bigint,bigint,bigint,bigint,bigint,bigint) FROM PUBLIC;
COMMENT ON PROCEDURE mlsync.mls_media_download(text,text,integer,bigint,bigint,bigint,bigint,bigint,bigint) IS 'download, store and derive the pending media of a tenant''s connections (or one) in this session, as a media worker would';

CREATE OR REPLACE VIEW mls_media_progress WITH (security_invoker = true) AS
SELECT c.tenant_id, c.connection, c.photo_policy,
	   coalesce(m.pending, 0) AS pending,
	   coalesce(m.waiting, 0) AS waiting,
	   coalesce(m.stored, 0) AS stored,
	   coalesce(m.failed, 0) AS failed,
	   coalesce(m.removed, 0) AS removed,
	   coalesce(m.linked, 0) AS linked,
	   coalesce(m.bytes, 0) AS bytes,
	   coalesce(u.requests, 0) AS requests_this_hour,
	   coalesce(u.bytes, 0) AS bytes_this_hour,
	   round(coalesce(r.recent, 0) / 600.0, 2) AS stored_per_second,
	   round(coalesce(r.recent_bytes, 0) / 600.0) AS bytes_per_second,
	   (SELECT count(*) FROM mls_media_listings ml
		 WHERE ml.tenant_id = c.tenant_id AND ml.connection = c.connection AND ml.needs_check)
		 AS listings_to_check
  FROM mls_connections c
  LEFT JOIN LATERAL (
	  SELECT count(*) FILTER (WHERE x.state = 'pending') AS pending,
			 count(*) FILTER (WHERE x.state = 'pending' AND x.next_attempt_at > now()) AS waiting,
			 count(*) FILTER (WHERE x.state = 'stored') AS stored,
			 count(*) FILTER (WHERE x.state = 'failed') AS failed,
			 count(*) FILTER (WHERE x.state = 'removed') AS removed,
			 count(*) FILTER (WHERE x.state = 'linked') AS linked,
			 sum(x.bytes) FILTER (WHERE x.state = 'stored') AS bytes
		FROM mls_media x
	   WHERE x.tenant_id = c.tenant_id AND x.connection = c.connection) m ON true
  LEFT JOIN LATERAL (
	  SELECT sum(x.requests) AS requests, sum(x.bytes) AS bytes
		FROM mls_media_usage x
	   WHERE x.tenant_id = c.tenant_id AND x.connection = c.connection
		 AND x.hour = date_trunc('hour', now())) u ON true
  LEFT JOIN LATERAL (
	  SELECT count(*) AS recent, sum(x.bytes) AS recent_bytes
		FROM mls_media x
	   WHERE x.tenant_id = c.tenant_id AND x.connection = c.connection
		 AND x.state = 'stored' AND x.stored_at > now() - interval '10 minutes') r ON true;

CREATE OR REPLACE FUNCTION mlsync.mls_media_displayable(permission text[], purpose text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO 'pg_catalog', 'pg_temp'
RETURN ((permission IS NULL) OR (cardinality(permission) = 0) OR (EXISTS (SELECT FROM unnest(mls_media_displayable.permission) p(p) WHERE (lower(p.p) = ANY (CASE mls_media_displayable.purpose WHEN 'idx'::text THEN ARRAY['idx'::text, 'public'::text] WHEN 'vow'::text THEN ARRAY['idx'::text, 'vow'::text, 'public'::text] ELSE NULL::text[] END)))));
REVOKE ALL ON FUNCTION mlsync.mls_media_displayable(text[],text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_media_displayable(text[],text) TO PUBLIC;

CREATE OR REPLACE VIEW mls_media_public_urls WITH (security_barrier = true) AS
SELECT s.tenant_id, s.public_url_base
  FROM mls_media_storage s
 WHERE s.public_url_base IS NOT NULL
   AND mlsync.mls_has_tenant_privilege(s.tenant_id, 'display');

CREATE OR REPLACE VIEW mls_listing_media WITH (security_invoker = true) AS
SELECT m.tenant_id, m.connection, m.listing_key, m.media_key, m.position, m.category,
	   m.description, m.permission, m.image_of, m.preferred, m.state,
	   coalesce(o.width, m.width) AS width, coalesce(o.height, m.height) AS height,
	   coalesce(o.content_type, m.content_type) AS content_type, m.bytes, m.sha256,
	   m.storage_key,
	   s.public_url_base || m.storage_key AS url,
	   coalesce((SELECT jsonb_agg(d || jsonb_build_object('url', s.public_url_base || (d ->> 'storage_key'))
								  ORDER BY (d ->> 'width')::int, d ->> 'format')
				   FROM jsonb_array_elements(o.derivatives) d), '[]') AS derivatives,
	   m.source_url,
	   m.source_modified_at
  FROM mls_media m
  LEFT JOIN mls_media_objects o ON o.tenant_id = m.tenant_id AND o.sha256 = m.sha256
  LEFT JOIN mls_media_storage s ON s.tenant_id = m.tenant_id
 WHERE m.state <> 'removed';

CREATE POLICY mls_tenant_read ON mls_media_storage AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_media_storage AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 4))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(4) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 4))))));

CREATE POLICY mls_tenant_read ON mls_media_settings AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_media_settings AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_media_sync_status AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_media_sync_status AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_media_listings AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_media_listings AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_media AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_media AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_media_objects AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_media_objects AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_media_garbage AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_media_garbage AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_media_usage AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_media_usage AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_display_read ON mls_media AS PERMISSIVE FOR SELECT TO PUBLIC
	USING (((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(0) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(0) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 0))))) AND (state = 'stored'::text) AND (mlsync.mls_media_displayable(permission, 'idx'::text) OR mlsync.mls_media_displayable(permission, 'vow'::text))));

CREATE POLICY mls_display_read ON mls_media_objects AS PERMISSIVE FOR SELECT TO PUBLIC
	USING (((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(0) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(0) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 0))))) AND (EXISTS ( SELECT
   FROM mlsync.mls_media m
  WHERE ((m.tenant_id = mls_media_objects.tenant_id) AND (m.sha256 = mls_media_objects.sha256))))));

CREATE TABLE mls_listing_matches (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	property_id		bigint NOT NULL,
	rule			text NOT NULL
					CHECK (rule IN ('upi', 'parcel', 'address', 'coordinates', 'none',
									'ambiguous', 'link', 'unlink')),
	confidence		numeric(4, 3) CHECK (confidence BETWEEN 0 AND 1),
	matched_connection text,
	matched_listing_key text,
	candidates		jsonb CHECK (jsonb_typeof(candidates) = 'array'),
	upi_key			text,
	parcel_key		text,
	address_key		text,
	house_key		text,
	normalized_address text,
	latitude		float8,
	longitude		float8,
	geo_cell		bigint,
	rules_version	integer NOT NULL,
	matched_at		timestamptz NOT NULL,
	PRIMARY KEY (tenant_id, connection, listing_key),
	FOREIGN KEY (tenant_id, connection, listing_key) REFERENCES mls_listings ON DELETE CASCADE
);
CREATE INDEX mls_listing_matches_property_idx ON mls_listing_matches (tenant_id, property_id);
CREATE INDEX mls_listing_matches_upi_idx ON mls_listing_matches (tenant_id, upi_key)
	WHERE upi_key IS NOT NULL;
CREATE INDEX mls_listing_matches_parcel_idx ON mls_listing_matches (tenant_id, parcel_key)
	WHERE parcel_key IS NOT NULL;
CREATE INDEX mls_listing_matches_address_idx ON mls_listing_matches (tenant_id, address_key)
	WHERE address_key IS NOT NULL;
CREATE INDEX mls_listing_matches_geo_idx ON mls_listing_matches (tenant_id, geo_cell)
	WHERE geo_cell IS NOT NULL;
CREATE INDEX mls_listing_matches_review_idx ON mls_listing_matches (tenant_id)
	WHERE rule = 'ambiguous';
COMMENT ON TABLE mls_listing_matches IS 'the property of every matched listing, the rule and confidence of the match, and the keys listings are matched by';
COMMENT ON COLUMN mls_listing_matches.rule IS 'upi, parcel, address or coordinates: the strongest rule that matched; none: a property of its own; ambiguous: the rules pointed to several properties (mls_match_review); link, unlink: a manual override';
COMMENT ON COLUMN mls_listing_matches.confidence IS 'how sure the match is: 1 - the product of (1 - confidence) of the rules that agree (upi 1.00, parcel 0.98, address 0.95, coordinates 0.90 to 0.70 with the distance)';
COMMENT ON COLUMN mls_listing_matches.matched_connection IS 'the listing the match was made with (for link: the listing it was linked to)';
COMMENT ON COLUMN mls_listing_matches.candidates IS 'ambiguous: the properties the rules pointed to, each with a listing and the rule';
COMMENT ON COLUMN mls_listing_matches.address_key IS 'normalised house number, directionals, street, suffix, unit and postal code';
COMMENT ON COLUMN mls_listing_matches.house_key IS 'house number and unit, which the coordinates rule needs too';
COMMENT ON COLUMN mls_listing_matches.geo_cell IS 'the 0.0005-degree grid cell of the coordinates, so near listings are found by index';
COMMENT ON COLUMN mls_listing_matches.rules_version IS 'version of the normalisation rules the keys were computed by; mls_rematch recomputes older ones';
SELECT pg_catalog.pg_extension_config_dump('mls_listing_matches', '');

CREATE TABLE mls_match_overrides (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	action			text NOT NULL CHECK (action IN ('link', 'unlink')),
	property_id		bigint NOT NULL,
	linked_connection text,
	linked_listing_key text,
	not_with		text[],
	created_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, connection, listing_key),
	FOREIGN KEY (tenant_id, connection, listing_key) REFERENCES mls_listings ON DELETE CASCADE,
	CHECK ((action = 'link') = (linked_listing_key IS NOT NULL))
);
COMMENT ON TABLE mls_match_overrides IS 'listings pinned to a property by hand: link (the same property as another listing) or unlink (a property of its own, never matched by the rules)';
COMMENT ON COLUMN mls_match_overrides.not_with IS 'link: the listings ("connection listing_key") the rules had also proposed (mls_match_review) and that the link ruled out; the rules never match them with this listing';
SELECT pg_catalog.pg_extension_config_dump('mls_match_overrides', '');

CREATE OR REPLACE FUNCTION mlsync.mls_normalize_address(address text)
 RETURNS text
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE STRICT
AS '$libdir/mlsync', $function$mls_normalize_address_text$function$;
REVOKE ALL ON FUNCTION mlsync.mls_normalize_address(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_normalize_address(text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_normalize_address(text) IS 'the normalised (USPS) form of a free-text street address';

CREATE OR REPLACE FUNCTION mlsync.mls_normalize_address(street_number text, street_dir_prefix text, street_name text, street_suffix text, street_dir_suffix text, unit_number text, postal_code text, unparsed_address text DEFAULT NULL::text)
 RETURNS text
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE
AS '$libdir/mlsync', $function$mls_normalize_address_fields$function$;
REVOKE ALL ON FUNCTION mlsync.mls_normalize_address(text,text,text,text,text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_normalize_address(text,text,text,text,text,text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_normalize_address(text,text,text,text,text,text,text,text) IS 'the normalised (USPS) form of a street address given as RESO fields';

CREATE OR REPLACE FUNCTION mlsync.mls_parse_address(address text, OUT street_number text, OUT street_dir_prefix text, OUT street_name text, OUT street_suffix text, OUT street_dir_suffix text, OUT unit text, OUT unit_key text, OUT postal_code text, OUT normalized text, OUT address_key text)
 RETURNS record
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE STRICT
AS '$libdir/mlsync', $function$mls_parse_address$function$;
REVOKE ALL ON FUNCTION mlsync.mls_parse_address(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_parse_address(text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_parse_address(text) IS 'the parts of a normalised street address, its text and the key matching compares';

CREATE OR REPLACE FUNCTION mlsync.mls_normalize_parcel(parcel_number text, county text DEFAULT NULL::text, state text DEFAULT NULL::text)
 RETURNS text
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE
AS '$libdir/mlsync', $function$mls_normalize_parcel$function$;
REVOKE ALL ON FUNCTION mlsync.mls_normalize_parcel(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_normalize_parcel(text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_normalize_parcel(text,text,text) IS 'the parcel key matching compares: state|county|parcel number, normalised';

CREATE OR REPLACE FUNCTION mlsync.mls_normalize_upi(upi text)
 RETURNS text
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE STRICT
AS '$libdir/mlsync', $function$mls_normalize_upi$function$;
REVOKE ALL ON FUNCTION mlsync.mls_normalize_upi(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_normalize_upi(text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_normalize_upi(text) IS 'a RESO Universal Property Id as matching compares it';

CREATE OR REPLACE FUNCTION mlsync.mls_match_keys(upi text, parcel_number text, county text, state text, unparsed_address text, street_number text, street_dir_prefix text, street_name text, street_suffix text, street_dir_suffix text, unit_number text, postal_code text, latitude numeric, longitude numeric, OUT upi_key text, OUT parcel_key text, OUT address_key text, OUT house_key text, OUT normalized_address text, OUT latitude double precision, OUT longitude double precision, OUT geo_cell bigint)
 RETURNS record
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE
AS '$libdir/mlsync', $function$mls_match_keys$function$;
REVOKE ALL ON FUNCTION mlsync.mls_match_keys(text,text,text,text,text,text,text,text,text,text,text,text,numeric,numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_match_keys(text,text,text,text,text,text,text,text,text,text,text,text,numeric,numeric) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_match_rules_version()
 RETURNS integer
 LANGUAGE c
 IMMUTABLE PARALLEL SAFE
AS '$libdir/mlsync', $function$mls_match_rules_version$function$;
REVOKE ALL ON FUNCTION mlsync.mls_match_rules_version() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_match_rules_version() TO PUBLIC;

CREATE OR REPLACE FUNCTION mls_match_lock(tenant text) RETURNS void
LANGUAGE c VOLATILE STRICT
AS '$libdir/mlsync', $function$mls_match_lock$function$;
REVOKE ALL ON FUNCTION mlsync.mls_match_lock(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_match_lock(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mls_follow_properties(tenant text, from_ids bigint[], to_ids bigint[])
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	WITH gone AS (
		SELECT DISTINCT ON (p.f) p.f, p.t
		  FROM unnest(from_ids, to_ids) AS p(f, t)
		 WHERE p.f IS NOT NULL AND p.t IS NOT NULL AND p.f <> p.t
		   AND EXISTS (SELECT FROM mlsync.mls_watchlist w
						WHERE w.tenant_id = mls_follow_properties.tenant AND w.property_id = p.f)
		   AND NOT EXISTS (SELECT FROM mlsync.mls_listing_matches m
							WHERE m.tenant_id = mls_follow_properties.tenant AND m.property_id = p.f)
		 ORDER BY p.f, p.t
	),
	moved AS (
		INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, property_id, reason, created_at)
		SELECT w.tenant_id, w.watcher, g.t, w.reason, w.created_at
		  FROM mlsync.mls_watchlist w
		  JOIN gone g ON g.f = w.property_id
		 WHERE w.tenant_id = mls_follow_properties.tenant
		ON CONFLICT DO NOTHING
		RETURNING 1
	)
	DELETE FROM mlsync.mls_watchlist w
	 USING gone g
	 WHERE w.tenant_id = mls_follow_properties.tenant AND w.property_id = g.f;
END;
REVOKE ALL ON FUNCTION mlsync.mls_follow_properties(text,bigint[],bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_follow_properties(text,bigint[],bigint[]) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_ensure_match(tenant text, connection text, listing_key text)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	property bigint;
	known boolean;
BEGIN
	SELECT m.property_id INTO property FROM mlsync.mls_listing_matches m
	 WHERE m.tenant_id = tenant AND m.connection = connection AND m.listing_key = listing_key;
	IF FOUND THEN
		RETURN property;
	END IF;
	SELECT l.property_id, true INTO property, known FROM mlsync.mls_listings l
	 WHERE l.tenant_id = tenant AND l.connection = connection AND l.listing_key = listing_key;
	IF known IS NULL THEN
		RAISE EXCEPTION 'listing "%" of connection "%" of tenant "%" does not exist',
			listing_key, connection, tenant
			USING ERRCODE = 'no_data_found',
				  HINT = 'Listings are named by tenant, connection and listing_key, as in mlsync.mls_listings.';
	END IF;
	property := coalesce(property, nextval('mlsync.mls_property_id_seq'));
	INSERT INTO mlsync.mls_listing_matches
		(tenant_id, connection, listing_key, property_id, rule, upi_key, parcel_key, address_key,
		 house_key, normalized_address, latitude, longitude, geo_cell, rules_version, matched_at)
	SELECT l.tenant_id, l.connection, l.listing_key, property, 'none', k.upi_key, k.parcel_key,
		   k.address_key, k.house_key, k.normalized_address, k.latitude, k.longitude, k.geo_cell,
		   mlsync.mls_match_rules_version(), now()
	  FROM mlsync.mls_listings l
	 CROSS JOIN LATERAL mlsync.mls_match_keys(l.universal_property_id, l.parcel_number,
			l.county_or_parish, l.state_or_province, l.unparsed_address, l.street_number,
			l.street_dir_prefix, l.street_name, l.street_suffix, l.street_dir_suffix,
			l.unit_number, l.postal_code, l.latitude, l.longitude) k
	 WHERE l.tenant_id = tenant AND l.connection = connection AND l.listing_key = listing_key;
	UPDATE mlsync.mls_listings l SET property_id = property
	 WHERE l.tenant_id = tenant AND l.connection = connection AND l.listing_key = listing_key
	   AND l.property_id IS DISTINCT FROM property;
	RETURN property;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_ensure_match(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_ensure_match(text,text,text) TO PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_link_listings(tenant text, connection text, listing_key text, other_connection text, other_listing_key text)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	target bigint;
	merged bigint;
BEGIN
	IF connection = other_connection AND listing_key = other_listing_key THEN
		RAISE EXCEPTION 'a listing cannot be linked to itself'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Name two different listings.';
	END IF;
	PERFORM mlsync.mls_match_lock(tenant);
	target := mlsync.mls_ensure_match(tenant, connection, listing_key);
	merged := mlsync.mls_ensure_match(tenant, other_connection, other_listing_key);
	IF merged <> target THEN
		UPDATE mlsync.mls_listings l SET property_id = target
		  FROM mlsync.mls_listing_matches m
		 WHERE m.tenant_id = tenant AND m.property_id = merged
		   AND l.tenant_id = m.tenant_id AND l.connection = m.connection
		   AND l.listing_key = m.listing_key;
		UPDATE mlsync.mls_listing_matches m SET property_id = target
		 WHERE m.tenant_id = tenant AND m.property_id = merged;
		UPDATE mlsync.mls_match_overrides o SET property_id = target
		 WHERE o.tenant_id = tenant AND o.property_id = merged;
		PERFORM mlsync.mls_follow_properties(tenant, ARRAY[merged], ARRAY[target]);
	END IF;
	-- the candidates a review proposed besides the property linked to are
	-- ruled out: the rules never match them with these listings again
	INSERT INTO mlsync.mls_match_overrides AS o
		(tenant_id, connection, listing_key, action, property_id, linked_connection,
		 linked_listing_key, not_with)
	SELECT tenant, p.c, p.k, 'link', target, p.oc, p.ok,
		   (SELECT array_agg(DISTINCT (x ->> 'connection') || ' ' || (x ->> 'listing_key'))
			  FROM mlsync.mls_listing_matches m
			 CROSS JOIN LATERAL jsonb_array_elements(m.candidates) x
			 WHERE m.tenant_id = tenant AND m.connection = p.c AND m.listing_key = p.k
			   AND m.rule = 'ambiguous'
			   AND NOT EXISTS (SELECT FROM mlsync.mls_listing_matches t
								WHERE t.tenant_id = tenant AND t.connection = x ->> 'connection'
								  AND t.listing_key = x ->> 'listing_key' AND t.property_id = target))
	  FROM (VALUES (connection, listing_key, other_connection, other_listing_key),
				   (other_connection, other_listing_key, connection, listing_key)) p(c, k, oc, ok)
	ON CONFLICT ON CONSTRAINT mls_match_overrides_pkey DO UPDATE
		SET action = 'link', property_id = excluded.property_id,
			linked_connection = excluded.linked_connection,
			linked_listing_key = excluded.linked_listing_key,
			not_with = (SELECT array_agg(DISTINCT x) FROM unnest(o.not_with || excluded.not_with) x),
			created_at = excluded.created_at;
	UPDATE mlsync.mls_listing_matches m
	   SET rule = 'link', confidence = 1, candidates = NULL,
		   matched_connection = CASE WHEN m.connection = connection AND m.listing_key = listing_key
									 THEN other_connection ELSE connection END,
		   matched_listing_key = CASE WHEN m.connection = connection AND m.listing_key = listing_key
									  THEN other_listing_key ELSE listing_key END
	 WHERE m.tenant_id = tenant
	   AND ((m.connection = connection AND m.listing_key = listing_key)
			OR (m.connection = other_connection AND m.listing_key = other_listing_key));
	-- the statistics count a property listed by several feeds once
	-- (count_per = property): its listings are counted again at the next
	-- refresh, as the matcher marks those it moves
	INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
	SELECT m.tenant_id, m.connection, m.listing_key FROM mlsync.mls_listing_matches m
	 WHERE m.tenant_id = tenant AND m.property_id = target;
	RETURN target;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_link_listings(text,text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_link_listings(text,text,text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_link_listings(text,text,text,text,text) IS 'declare two listings the same property (merges their properties); survives mls_rematch';

CREATE OR REPLACE FUNCTION mlsync.mls_unlink_listing(tenant text, connection text, listing_key text)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
DECLARE
	current bigint;
	property bigint;
BEGIN
	PERFORM mlsync.mls_match_lock(tenant);
	current := mlsync.mls_ensure_match(tenant, connection, listing_key);
	IF EXISTS (SELECT FROM mlsync.mls_listing_matches m
				WHERE m.tenant_id = tenant AND m.property_id = current
				  AND (m.connection, m.listing_key) <> (connection, listing_key)) THEN
		property := nextval('mlsync.mls_property_id_seq');
	ELSE
		property := current;
	END IF;
	UPDATE mlsync.mls_listing_matches m
	   SET property_id = property, rule = 'unlink', confidence = 1, candidates = NULL,
		   matched_connection = NULL, matched_listing_key = NULL
	 WHERE m.tenant_id = tenant AND m.connection = connection AND m.listing_key = listing_key;
	UPDATE mlsync.mls_listings l SET property_id = property
	 WHERE l.tenant_id = tenant AND l.connection = connection AND l.listing_key = listing_key
	   AND l.property_id IS DISTINCT FROM property;
	INSERT INTO mlsync.mls_match_overrides AS o (tenant_id, connection, listing_key, action, property_id)
	VALUES (tenant, connection, listing_key, 'unlink', property)
	ON CONFLICT ON CONSTRAINT mls_match_overrides_pkey DO UPDATE
		SET action = 'unlink', property_id = excluded.property_id, linked_connection = NULL,
			linked_listing_key = NULL, not_with = NULL, created_at = excluded.created_at;
	-- the listing, and those of the property it left, are counted again at
	-- the next statistics refresh (see mls_link_listings)
	INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
	SELECT m.tenant_id, m.connection, m.listing_key FROM mlsync.mls_listing_matches m
	 WHERE m.tenant_id = tenant AND m.property_id IN (current, property);
	RETURN property;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_unlink_listing(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_unlink_listing(text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_unlink_listing(text,text,text) IS 'make a listing a property of its own, never matched by the rules; survives mls_rematch';

CREATE OR REPLACE FUNCTION mlsync.mls_clear_match_override(tenant text, connection text, listing_key text)
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_variable
BEGIN
	PERFORM mlsync.mls_match_lock(tenant);
	DELETE FROM mlsync.mls_match_overrides o
	 WHERE o.tenant_id = tenant AND o.connection = connection AND o.listing_key = listing_key;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	UPDATE mlsync.mls_listing_matches m SET rules_version = 0
	 WHERE m.tenant_id = tenant AND m.connection = connection AND m.listing_key = listing_key;
	RETURN true;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_clear_match_override(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_clear_match_override(text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_clear_match_override(text,text,text) IS 'remove a listing''s link or unlink override; the next mls_rematch matches it by the rules';

CREATE OR REPLACE FUNCTION mlsync.mls_rematch(tenant text, "full" boolean DEFAULT false, OUT listings bigint, OUT rematched bigint, OUT moved bigint, OUT new_properties bigint, OUT ambiguous bigint)
 RETURNS record
 LANGUAGE c
AS '$libdir/mlsync', $function$mls_rematch$function$;
REVOKE ALL ON FUNCTION mlsync.mls_rematch(text,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_rematch(text,boolean) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_rematch(text,boolean) IS 'recompute the property matches of a tenant whose keys changed (all with full); overrides stay';

CREATE OR REPLACE VIEW mls_match_review WITH (security_invoker = true) AS
SELECT m.tenant_id, m.connection, m.listing_key, m.property_id, m.normalized_address,
	   l.unparsed_address, l.city, l.postal_code, l.parcel_number, l.universal_property_id,
	   l.standard_status, m.candidates, m.matched_at
  FROM mls_listing_matches m
  JOIN mls_listings l
	ON l.tenant_id = m.tenant_id AND l.connection = m.connection AND l.listing_key = m.listing_key
 WHERE m.rule = 'ambiguous';

CREATE OR REPLACE VIEW mls_properties WITH (security_invoker = true) AS
WITH ranked AS (
	SELECT m.tenant_id, m.property_id, m.normalized_address, m.rule,
		   l.connection, l.listing_key, l.listing_id, l.standard_status, l.mls_status,
		   l.property_type, l.property_sub_type, l.list_price, l.original_list_price,
		   l.close_price, l.listing_contract_date, l.on_market_date, l.close_date,
		   l.days_on_market, l.bedrooms_total, l.bathrooms_total_integer, l.bathrooms_full,
		   l.bathrooms_half, l.living_area, l.lot_size_acres, l.lot_size_square_feet,
		   l.year_built, l.stories_total, l.garage_spaces, l.association_fee,
		   l.tax_annual_amount, l.unparsed_address, l.street_number, l.street_dir_prefix,
		   l.street_name, l.street_suffix, l.street_dir_suffix, l.unit_number, l.city,
		   l.state_or_province, l.postal_code, l.county_or_parish, l.subdivision_name,
		   l.latitude, l.longitude, l.parcel_number, l.universal_property_id,
		   l.list_agent_key, l.list_agent_full_name, l.list_office_key, l.list_office_name,
		   l.public_remarks, l.photos_count, l.virtual_tour_url_unbranded,
		   l.internet_entire_listing_display_yn, l.internet_address_display_yn,
		   l.modification_timestamp, l.removed_at, c.mls_name, c.priority,
		   row_number() OVER (
			   PARTITION BY m.tenant_id, m.property_id
			   ORDER BY l.removed_at IS NOT NULL,
						l.standard_status IS DISTINCT FROM 'Active'
							AND l.standard_status IS DISTINCT FROM 'Active Under Contract'
							AND l.standard_status IS DISTINCT FROM 'Pending'
							AND l.standard_status IS DISTINCT FROM 'Coming Soon',
						c.priority, l.modification_timestamp DESC NULLS LAST,
						l.connection, l.listing_key) AS rank
	  FROM mls_listing_matches m
	  JOIN mls_listings l
		ON l.tenant_id = m.tenant_id AND l.connection = m.connection
	   AND l.listing_key = m.listing_key
	  JOIN mls_connections c ON c.tenant_id = l.tenant_id AND c.connection = l.connection
)
SELECT r.tenant_id, r.property_id,
	   count(*) AS listing_count,
	   -- the preferred listing
	   (array_agg(r.connection ORDER BY r.rank))[1] AS connection,
	   (array_agg(r.listing_key ORDER BY r.rank))[1] AS listing_key,
	   (array_agg(r.mls_name ORDER BY r.rank))[1] AS mls_name,
	   coalesce(jsonb_agg(jsonb_build_object('connection', r.connection,
											 'listing_key', r.listing_key,
											 'mls_name', r.mls_name,
											 'standard_status', r.standard_status,
											 'rule', r.rule) ORDER BY r.rank)
				FILTER (WHERE r.rank > 1), '[]') AS other_listings,
	   -- market fields: the preferred listing's
	   (array_agg(r.listing_id ORDER BY r.rank))[1] AS listing_id,
	   (array_agg(r.standard_status ORDER BY r.rank))[1] AS standard_status,
	   (array_agg(r.mls_status ORDER BY r.rank))[1] AS mls_status,
	   (array_agg(r.list_price ORDER BY r.rank))[1] AS list_price,
	   (array_agg(r.original_list_price ORDER BY r.rank))[1] AS original_list_price,
	   (array_agg(r.close_price ORDER BY r.rank))[1] AS close_price,
	   (array_agg(r.listing_contract_date ORDER BY r.rank))[1] AS listing_contract_date,
	   (array_agg(r.on_market_date ORDER BY r.rank))[1] AS on_market_date,
	   (array_agg(r.close_date ORDER BY r.rank))[1] AS close_date,
	   (array_agg(r.days_on_market ORDER BY r.rank))[1] AS days_on_market,
	   (array_agg(r.list_agent_key ORDER BY r.rank))[1] AS list_agent_key,
	   (array_agg(r.list_agent_full_name ORDER BY r.rank))[1] AS list_agent_full_name,
	   (array_agg(r.list_office_key ORDER BY r.rank))[1] AS list_office_key,
	   (array_agg(r.list_office_name ORDER BY r.rank))[1] AS list_office_name,
	   (array_agg(r.public_remarks ORDER BY r.rank))[1] AS public_remarks,
	   (array_agg(r.photos_count ORDER BY r.rank))[1] AS photos_count,
	   (array_agg(r.virtual_tour_url_unbranded ORDER BY r.rank))[1] AS virtual_tour_url_unbranded,
	   (array_agg(r.internet_entire_listing_display_yn ORDER BY r.rank))[1] AS internet_entire_listing_display_yn,
	   (array_agg(r.internet_address_display_yn ORDER BY r.rank))[1] AS internet_address_display_yn,
	   (array_agg(r.modification_timestamp ORDER BY r.rank))[1] AS modification_timestamp,
	   -- physical fields: the first listing that has them
	   (array_agg(r.universal_property_id ORDER BY r.rank) FILTER (WHERE r.universal_property_id IS NOT NULL))[1] AS universal_property_id,
	   (array_agg(r.parcel_number ORDER BY r.rank) FILTER (WHERE r.parcel_number IS NOT NULL))[1] AS parcel_number,
	   (array_agg(r.property_type ORDER BY r.rank) FILTER (WHERE r.property_type IS NOT NULL))[1] AS property_type,
	   (array_agg(r.property_sub_type ORDER BY r.rank) FILTER (WHERE r.property_sub_type IS NOT NULL))[1] AS property_sub_type,
	   (array_agg(r.bedrooms_total ORDER BY r.rank) FILTER (WHERE r.bedrooms_total IS NOT NULL))[1] AS bedrooms_total,
	   (array_agg(r.bathrooms_total_integer ORDER BY r.rank) FILTER (WHERE r.bathrooms_total_integer IS NOT NULL))[1] AS bathrooms_total_integer,
	   (array_agg(r.bathrooms_full ORDER BY r.rank) FILTER (WHERE r.bathrooms_full IS NOT NULL))[1] AS bathrooms_full,
	   (array_agg(r.bathrooms_half ORDER BY r.rank) FILTER (WHERE r.bathrooms_half IS NOT NULL))[1] AS bathrooms_half,
	   (array_agg(r.living_area ORDER BY r.rank) FILTER (WHERE r.living_area IS NOT NULL))[1] AS living_area,
	   (array_agg(r.lot_size_acres ORDER BY r.rank) FILTER (WHERE r.lot_size_acres IS NOT NULL))[1] AS lot_size_acres,
	   (array_agg(r.lot_size_square_feet ORDER BY r.rank) FILTER (WHERE r.lot_size_square_feet IS NOT NULL))[1] AS lot_size_square_feet,
	   (array_agg(r.year_built ORDER BY r.rank) FILTER (WHERE r.year_built IS NOT NULL))[1] AS year_built,
	   (array_agg(r.stories_total ORDER BY r.rank) FILTER (WHERE r.stories_total IS NOT NULL))[1] AS stories_total,
	   (array_agg(r.garage_spaces ORDER BY r.rank) FILTER (WHERE r.garage_spaces IS NOT NULL))[1] AS garage_spaces,
	   (array_agg(r.association_fee ORDER BY r.rank) FILTER (WHERE r.association_fee IS NOT NULL))[1] AS association_fee,
	   (array_agg(r.tax_annual_amount ORDER BY r.rank) FILTER (WHERE r.tax_annual_amount IS NOT NULL))[1] AS tax_annual_amount,
	   (array_agg(r.subdivision_name ORDER BY r.rank) FILTER (WHERE r.subdivision_name IS NOT NULL))[1] AS subdivision_name,
	   -- the address, whole, from the first listing that has a street
	   (array_agg(r.normalized_address ORDER BY r.rank) FILTER (WHERE r.normalized_address IS NOT NULL))[1] AS normalized_address,
	   (array_agg(r.unparsed_address ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS unparsed_address,
	   (array_agg(r.street_number ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS street_number,
	   (array_agg(r.street_dir_prefix ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS street_dir_prefix,
	   (array_agg(r.street_name ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS street_name,
	   (array_agg(r.street_suffix ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS street_suffix,
	   (array_agg(r.street_dir_suffix ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS street_dir_suffix,
	   (array_agg(r.unit_number ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS unit_number,
	   (array_agg(r.city ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS city,
	   (array_agg(r.state_or_province ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS state_or_province,
	   (array_agg(r.postal_code ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS postal_code,
	   (array_agg(r.county_or_parish ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS county_or_parish,
	   -- the coordinates, as a pair
	   (array_agg(r.latitude ORDER BY r.rank) FILTER (WHERE r.latitude IS NOT NULL AND r.longitude IS NOT NULL))[1] AS latitude,
	   (array_agg(r.longitude ORDER BY r.rank) FILTER (WHERE r.latitude IS NOT NULL AND r.longitude IS NOT NULL))[1] AS longitude,
	   -- whether every listing is gone from its source
	   bool_and(r.removed_at IS NOT NULL) AS removed
  FROM ranked r
 GROUP BY r.tenant_id, r.property_id;

CREATE POLICY mls_tenant_read ON mls_listing_matches AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_listing_matches AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE POLICY mls_tenant_read ON mls_match_overrides AS PERMISSIVE FOR SELECT TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(1) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 1))))));

CREATE POLICY mls_tenant_write ON mls_match_overrides AS PERMISSIVE FOR ALL TO PUBLIC
	USING ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))))
	WITH CHECK ((( SELECT mlsync.mls_is_global_admin() AS mls_is_global_admin) OR (tenant_id = ANY (( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list)::text[])) OR ((( SELECT mlsync.mls_tenant_list(3) AS mls_tenant_list) IS NULL) AND (tenant_id IN ( SELECT a.tenant_id
   FROM mlsync.mls_tenant_access a
  WHERE (a.level >= 3))))));

CREATE OR REPLACE VIEW mls_status WITH (security_invoker = true) AS
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
	   now() - s.last_load_at AS lag,
	   s.watermark_ts,
	   s.consecutive_failures,
	   s.last_error,
	   (SELECT count(*) FROM mls_sync_errors e
		 WHERE e.tenant_id = c.tenant_id AND e.connection = c.connection
		   AND e.occurred_at > now() - interval '24 hours') AS errors_24h,
	   -- the earlier of the incremental schedule's next time and a queued
	   -- run's (a retry waiting for its time, a request waiting for a worker)
	   CASE WHEN c.enabled THEN
		   least(mls_cron_next(sched.incremental_schedule, now()), queued.due_at)
	   END AS next_run_at,
	   c.disabled_reason,
	   -- 0.2.0 (new columns go last)
	   CASE WHEN c.protocol = 'rets' THEN mls_rets_timezone_mismatch(c.tenant_id, c.connection)
	   END AS timezone_warning,
	   -- operations (sql/src/45_schedule.sql, 46_operations.sql, 47_controls.sql)
	   sched.incremental_schedule,
	   c.reconcile_schedule,
	   c.reconcile_mode,
	   CASE WHEN c.enabled THEN mls_cron_next(c.reconcile_schedule, now()) END AS next_reconcile_at,
	   last_scheduled.run_id AS last_scheduled_run_id,
	   last_scheduled.state AS last_scheduled_state,
	   coalesce(last_scheduled.finished_at, last_scheduled.started_at) AS last_scheduled_at,
	   (SELECT count(*) FROM mls_listings l
		 WHERE l.tenant_id = c.tenant_id AND l.connection = c.connection
		   AND l.removed_at IS NULL) AS listings,
	   c.max_listings,
	   (SELECT count(*) FROM mls_listing_exclusions x
		 WHERE x.tenant_id = c.tenant_id AND x.connection = c.connection) AS excluded_listings,
	   (SELECT count(*) FROM mls_skipped_records k
		 WHERE k.tenant_id = c.tenant_id AND k.connection = c.connection) AS skipped_records,
	   ARRAY(SELECT a.condition FROM mls_alert_state a
			  WHERE a.tenant_id = c.tenant_id AND a.connection = c.connection
			  ORDER BY a.condition) AS alerts,
	   -- media (sql/src/70_media.sql)
	   coalesce(md.pending, 0) AS media_pending,
	   coalesce(md.stored, 0) AS media_stored,
	   coalesce(md.failed, 0) AS media_failed,
	   coalesce(md.bytes, 0) AS media_bytes,
	   -- the last success of a run that loaded listings, which lag counts from
	   s.last_load_at
  FROM mls_connections c
  LEFT JOIN mls_sync_status s USING (tenant_id, connection)
 CROSS JOIN LATERAL (
		SELECT coalesce(c.sync_schedule, mls_interval_to_cron(c.sync_interval)) AS incremental_schedule) sched
  LEFT JOIN LATERAL (
		SELECT min(greatest(q.not_before, now())) AS due_at FROM mls_sync_queue q
		 WHERE q.tenant_id = c.tenant_id AND q.connection = c.connection
		   AND q.state = 'queued') queued ON true
  LEFT JOIN LATERAL (
		SELECT h.run_id, h.state, h.started_at, h.finished_at FROM mls_sync_history h
		 WHERE h.tenant_id = c.tenant_id AND h.connection = c.connection
		   AND h.trigger = 'scheduled'
		 ORDER BY h.run_id DESC LIMIT 1) last_scheduled ON true
  LEFT JOIN LATERAL (
		SELECT count(*) FILTER (WHERE x.state = 'pending') AS pending,
			   count(*) FILTER (WHERE x.state = 'stored') AS stored,
			   count(*) FILTER (WHERE x.state = 'failed') AS failed,
			   sum(x.bytes) FILTER (WHERE x.state = 'stored') AS bytes
		  FROM mls_media x
		 WHERE x.tenant_id = c.tenant_id AND x.connection = c.connection) md ON true;

COMMENT ON VIEW market_stats IS 'market statistics per tenant, area, property type, week and month (docs/statistics.md), as of the last mls_refresh_stats()';
ALTER TABLE mls_alerts ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_alerts FROM PUBLIC;
GRANT SELECT ON TABLE mls_alerts TO PUBLIC;
COMMENT ON COLUMN mls_alerts.event_id IS 'the alert event in mls_events (for a duplicate: the alert it repeats)';
COMMENT ON COLUMN mls_alerts.property_id IS 'the property of the listing when the alert was decided';
COMMENT ON COLUMN mls_alerts.duplicate_of IS 'set when another feed had already raised this alert about the property within mlsync.duplicate_alert_window: the event id of that alert; no alert event was raised';
ALTER TABLE mls_connections ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_connections FROM PUBLIC;
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE mls_connections TO PUBLIC;
COMMENT ON COLUMN mls_connections.display_statuses IS 'statuses mls_idx_listings shows (IDX: the public display the MLS allows)';
COMMENT ON COLUMN mls_connections.mls_name IS 'the MLS''s name, shown with every displayed listing (attribution)';
COMMENT ON COLUMN mls_connections.attribution IS 'attribution line of displayed listings; {office}, {agent} and {mls} are replaced';
COMMENT ON COLUMN mls_connections.disclaimer IS 'the MLS''s disclaimer for displayed listings; {as_of} is replaced by the time of the last successful sync';
COMMENT ON COLUMN mls_connections.vow_statuses IS 'statuses mls_vow_listings shows to registered consumers (VOW)';
COMMENT ON COLUMN mls_connections.sold_data_display IS 'where close price and close date are shown: none, vow (registered consumers only) or idx_and_vow';
COMMENT ON COLUMN mls_connections.sync_schedule IS 'cron schedule of the incremental sync (e.g. 0 2 * * * for 02:00 daily); NULL: every sync_interval';
COMMENT ON COLUMN mls_connections.reconcile_mode IS 'what the weekly catch-all at reconcile_schedule runs: reconcile (compare keys, repair both ways) or full (re-read every record)';
COMMENT ON COLUMN mls_connections.max_listings IS 'listing cap of the connection: new listings past it are left out of syncs (NULL: no cap)';
COMMENT ON COLUMN mls_connections.mls_owned_fields IS 'columns the MLS owns: a local override of one is cleared when the MLS changes its value';
COMMENT ON COLUMN mls_connections.listing_updated_events IS 'raise a listing_updated event, with the changed columns, for every change of mapped content';
COMMENT ON COLUMN mls_sync_status.last_load_at IS 'the last success of a run that loads listings (full, incremental, reconcile); NULL until the connection''s first load succeeds, which raises no listing events';
COMMENT ON COLUMN mls_connections.first_load_events IS 'raise new_listing events on the connection''s first load too (by default it records history only)';
COMMENT ON COLUMN mls_connections.alert_slow_after IS 'a run longer than this raises sync_slow';
COMMENT ON COLUMN mls_connections.alert_error_rate_pct IS 'a run skipping more than this percentage of the records it saw raises error_rate_high';
COMMENT ON COLUMN mls_connections.incremental_overlap IS 'how far before its watermark an incremental run of this connection starts reading; NULL: the setting mlsync.incremental_overlap';
COMMENT ON COLUMN mls_connections.visibility_field IS 'RESO: a Boolean field of the records that is false for a record the MLS withdrew from the feed (MLS Grid: MlgCanView): such a record removes the listing; full loads and key sweeps ask for the records where it is true';
COMMENT ON COLUMN mls_connections.alert_stale_after IS 'no successful run that loads listings (full, incremental, reconcile) for this long raises sync_stale';
ALTER TABLE mls_credentials ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_dd_fields FROM PUBLIC;
GRANT SELECT ON TABLE mls_dd_fields TO PUBLIC;
REVOKE ALL ON TABLE mls_dd_lookups FROM PUBLIC;
GRANT SELECT ON TABLE mls_dd_lookups TO PUBLIC;
REVOKE ALL ON TABLE mls_display_base FROM PUBLIC;
COMMENT ON VIEW mls_display_base IS 'private: the displayable listings and columns behind mls_idx_listings and mls_vow_listings';
REVOKE ALL ON TABLE mls_event_backlog FROM PUBLIC;
GRANT SELECT ON TABLE mls_event_backlog TO PUBLIC;
ALTER TABLE mls_event_deliveries ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_event_deliveries FROM PUBLIC;
GRANT DELETE, SELECT, UPDATE ON TABLE mls_event_deliveries TO PUBLIC;
ALTER TABLE mls_events ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_events FROM PUBLIC;
GRANT DELETE, SELECT ON TABLE mls_events TO PUBLIC;
REVOKE ALL ON TABLE mls_field_mappings FROM PUBLIC;
GRANT SELECT ON TABLE mls_field_mappings TO PUBLIC;
GRANT DELETE, INSERT, UPDATE ON TABLE mls_field_mappings TO mlsync_admin;
COMMENT ON COLUMN mls_field_mappings.confidential IS 'the value is for MLS participants only: the IDX and VOW display views leave it out (docs/display.md)';
REVOKE ALL ON TABLE mls_idx_listings FROM PUBLIC;
GRANT SELECT ON TABLE mls_idx_listings TO PUBLIC;
COMMENT ON VIEW mls_idx_listings IS 'listings an IDX display (the public) may show, with the columns it may show and the attribution and disclaimer it must (docs/display.md)';
ALTER TABLE mls_listing_history ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_listing_history FROM PUBLIC;
GRANT SELECT ON TABLE mls_listing_history TO PUBLIC;
COMMENT ON TABLE mls_listing_history IS 'status and price changes of listings over time, and local overrides the MLS replaced';
COMMENT ON COLUMN mls_listing_history.detail IS 'override_cleared: the fields whose local override the MLS replaced, the overrides and the MLS''s old and new values';
REVOKE ALL ON TABLE mls_listing_media FROM PUBLIC;
GRANT SELECT ON TABLE mls_listing_media TO PUBLIC;
COMMENT ON VIEW mls_listing_media IS 'media of listings in order, with the URLs of the stored file and its derivatives, and the source''s permissions';
ALTER TABLE mls_listings ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_listings FROM PUBLIC;
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE mls_listings TO PUBLIC;
COMMENT ON COLUMN mls_listings.local_overrides IS 'local edits overlaid on MLS values; a sync only clears the override of an MLS-owned field the MLS changed';
COMMENT ON COLUMN mls_listings.property_id IS 'the property the listing belongs to (mls_properties), set by property matching when a sync writes the listing; changed by mls_link_listings, mls_unlink_listing and mls_rematch';
COMMENT ON COLUMN mls_listings.universal_property_id IS 'RESO UniversalPropertyId (UPI): the identifier of the real property, when the MLS sends it; the strongest key of property matching';
COMMENT ON COLUMN mls_listings.photo_urls IS 'the listing''s photo URLs in display order: written by the media subsystem, never by a sync or a mapping';
REVOKE ALL ON TABLE mls_mappable_columns FROM PUBLIC;
GRANT SELECT ON TABLE mls_mappable_columns TO PUBLIC;
REVOKE ALL ON TABLE mls_mapping_sets FROM PUBLIC;
GRANT SELECT ON TABLE mls_mapping_sets TO PUBLIC;
GRANT DELETE, INSERT, UPDATE ON TABLE mls_mapping_sets TO mlsync_admin;
REVOKE ALL ON TABLE mls_match_review FROM PUBLIC;
GRANT SELECT ON TABLE mls_match_review TO PUBLIC;
COMMENT ON VIEW mls_match_review IS 'listings whose match is ambiguous (several candidate properties), for a person to link or unlink';
REVOKE ALL ON TABLE mls_media_progress FROM PUBLIC;
GRANT SELECT ON TABLE mls_media_progress TO PUBLIC;
COMMENT ON VIEW mls_media_progress IS 'per connection: media pending (waiting: for a retry or a budget), stored, failed, removed, linked, bytes stored, requests and bytes of the clock hour (what the budgets count), rate over the last 10 minutes';
REVOKE ALL ON TABLE mls_media_public_urls FROM PUBLIC;
GRANT SELECT ON TABLE mls_media_public_urls TO PUBLIC;
COMMENT ON VIEW mls_media_public_urls IS 'the public URL prefix of the media storage of each tenant the reader may display';
REVOKE ALL ON TABLE mls_my_tenants FROM PUBLIC;
GRANT SELECT ON TABLE mls_my_tenants TO PUBLIC;
COMMENT ON VIEW mls_my_tenants IS 'the tenants the current role may see and its highest privilege on each';
REVOKE ALL ON TABLE mls_properties FROM PUBLIC;
GRANT SELECT ON TABLE mls_properties TO PUBLIC;
COMMENT ON VIEW mls_properties IS 'one row per property per tenant: the preferred listing''s market fields, physical fields filled from every listing of the property (docs/reference.md)';
REVOKE ALL ON TABLE mls_property_id_seq FROM PUBLIC;
ALTER TABLE mls_saved_searches ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_saved_searches FROM PUBLIC;
GRANT DELETE, SELECT, UPDATE ON TABLE mls_saved_searches TO PUBLIC;
ALTER TABLE mls_source_metadata ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_source_metadata FROM PUBLIC;
GRANT SELECT ON TABLE mls_source_metadata TO PUBLIC;
ALTER TABLE mls_stats_settings ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_stats_settings FROM PUBLIC;
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE mls_stats_settings TO PUBLIC;
COMMENT ON COLUMN mls_stats_settings.count_per IS 'property: a house listed by several MLSs at once counts once (its cross-listings are left out, docs/statistics.md); listing: every listing counts';
REVOKE ALL ON TABLE mls_status FROM PUBLIC;
GRANT SELECT ON TABLE mls_status TO PUBLIC;
COMMENT ON VIEW mls_status IS 'one row per connection: state, last success, lag, errors in the last 24 hours, next run (from its cron schedule), time zone warning, last scheduled run, listings and cap, exclusions, skipped records, alerts raised, media pending, stored and failed, bytes stored, last load';
ALTER TABLE mls_subscriptions ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_subscriptions FROM PUBLIC;
GRANT DELETE, SELECT, UPDATE ON TABLE mls_subscriptions TO PUBLIC;
ALTER TABLE mls_sync_errors ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_sync_errors FROM PUBLIC;
GRANT SELECT ON TABLE mls_sync_errors TO PUBLIC;
ALTER TABLE mls_sync_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE mls_sync_history SET (fillfactor=70);
REVOKE ALL ON TABLE mls_sync_history FROM PUBLIC;
GRANT SELECT ON TABLE mls_sync_history TO PUBLIC;
COMMENT ON COLUMN mls_sync_history.fetched_missing IS 'reconcile: listings the source has and mlsync lacked, fetched';
COMMENT ON COLUMN mls_sync_history.refetched_stale IS 'reconcile: listings whose source timestamp differed from the stored one, fetched again';
COMMENT ON COLUMN mls_sync_history.requested_by IS 'the role that asked for the run (for a scheduled run, the owner of the pg_cron job; for a retry, whoever asked for the run that failed)';
COMMENT ON COLUMN mls_sync_history.excluded IS 'records left alone because their listing is excluded (mls_exclude_listing)';
COMMENT ON COLUMN mls_sync_history.capped IS 'new listings left out because the connection reached its max_listings';
COMMENT ON COLUMN mls_sync_history.worker_turns IS 'how many times the run took a worker: a long run yields its worker between batches while runs of other connections wait';
REVOKE ALL ON TABLE mls_sync_progress FROM PUBLIC;
GRANT SELECT ON TABLE mls_sync_progress TO PUBLIC;
ALTER TABLE mls_sync_queue ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_sync_queue FROM PUBLIC;
GRANT SELECT ON TABLE mls_sync_queue TO PUBLIC;
COMMENT ON TABLE mls_sync_queue IS 'requested and running syncs; the launcher claims queued rows round-robin across tenants (docs/architecture.md, "Scheduling")';
COMMENT ON COLUMN mls_sync_queue.turns IS 'worker turns the run has had; a queued run with turns > 0 yielded its worker to waiting runs and continues where it stopped';
COMMENT ON COLUMN mls_sync_queue.resume_raw IS 'where a full run goes on from (a server timestamp, raw): kept at each batch, for its next turn or a retry after its process died';
ALTER TABLE mls_sync_status ENABLE ROW LEVEL SECURITY;
ALTER TABLE mls_sync_status SET (fillfactor=50);
REVOKE ALL ON TABLE mls_sync_status FROM PUBLIC;
GRANT INSERT, SELECT ON TABLE mls_sync_status TO PUBLIC;
REVOKE ALL ON TABLE mls_tenant_access FROM PUBLIC;
GRANT SELECT ON TABLE mls_tenant_access TO PUBLIC;
COMMENT ON VIEW mls_tenant_access IS 'private: the tenant grants the current role may use (read by the row-level security policies)';
ALTER TABLE mls_tenants ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_tenants FROM PUBLIC;
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE mls_tenants TO PUBLIC;
COMMENT ON COLUMN mls_tenants.max_listings IS 'quota: listings (not removed) the tenant may hold; a sync batch that would exceed it is not kept';
COMMENT ON COLUMN mls_tenants.max_media_bytes IS 'quota: bytes of media the tenant may store (enforced by the media download)';
COMMENT ON COLUMN mls_tenants.max_requests_per_day IS 'quota: requests to MLS servers per UTC day, all connections together; a sync stops at the first batch boundary past it';
ALTER TABLE mls_time_event_marks ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_time_event_marks FROM PUBLIC;
GRANT INSERT, SELECT ON TABLE mls_time_event_marks TO PUBLIC;
REVOKE ALL ON TABLE mls_visible_market_stats FROM PUBLIC;
GRANT SELECT ON TABLE mls_visible_market_stats TO PUBLIC;
COMMENT ON VIEW mls_visible_market_stats IS 'market_stats of the tenants the reader may read';
REVOKE ALL ON TABLE mls_vow_listings FROM PUBLIC;
GRANT SELECT ON TABLE mls_vow_listings TO PUBLIC;
COMMENT ON VIEW mls_vow_listings IS 'listings a VOW may show its registered consumers: the VOW statuses, sold data where allowed, with attribution and disclaimer (docs/display.md)';
ALTER TABLE mls_watchlist ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_watchlist FROM PUBLIC;
GRANT DELETE, SELECT, UPDATE ON TABLE mls_watchlist TO PUBLIC;
COMMENT ON TYPE mlsync.mls_connect_result IS 'the result of mls_connect and mls_connect_reset: the connection in brief, the action (created, updated, unchanged) and the settings whose value changed';

SELECT pg_catalog.pg_extension_config_dump('mls_property_id_seq', '');
CREATE EVENT TRIGGER mls_before_drop ON ddl_command_start
	WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
	EXECUTE FUNCTION mlsync.mls_before_drop();

COMMENT ON FUNCTION mlsync.mls_market_stats(text,text,text,text,text) IS 'one series of market_stats (tenant, area, property type, week or month), oldest period first';

ALTER TABLE mls_alert_state ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_alert_state FROM PUBLIC;
GRANT SELECT ON TABLE mls_alert_state TO PUBLIC;
ALTER TABLE mls_dry_run_changes ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_dry_run_changes FROM PUBLIC;
GRANT SELECT ON TABLE mls_dry_run_changes TO PUBLIC;
ALTER TABLE mls_dry_run_columns ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_dry_run_columns FROM PUBLIC;
GRANT SELECT ON TABLE mls_dry_run_columns TO PUBLIC;
ALTER TABLE mls_listing_exclusions ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_listing_exclusions FROM PUBLIC;
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE mls_listing_exclusions TO PUBLIC;
ALTER TABLE mls_listing_matches ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_listing_matches FROM PUBLIC;
GRANT INSERT, SELECT, UPDATE ON TABLE mls_listing_matches TO PUBLIC;
ALTER TABLE mls_match_overrides ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_match_overrides FROM PUBLIC;
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE mls_match_overrides TO PUBLIC;
ALTER TABLE mls_media ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_media FROM PUBLIC;
GRANT SELECT ON TABLE mls_media TO PUBLIC;
ALTER TABLE mls_media_garbage ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_media_garbage FROM PUBLIC;
GRANT SELECT ON TABLE mls_media_garbage TO PUBLIC;
ALTER TABLE mls_media_listings ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_media_listings FROM PUBLIC;
GRANT SELECT ON TABLE mls_media_listings TO PUBLIC;
ALTER TABLE mls_media_objects ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_media_objects FROM PUBLIC;
GRANT SELECT ON TABLE mls_media_objects TO PUBLIC;
ALTER TABLE mls_media_settings ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_media_settings FROM PUBLIC;
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE mls_media_settings TO PUBLIC;
ALTER TABLE mls_media_storage ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_media_storage FROM PUBLIC;
GRANT SELECT ON TABLE mls_media_storage TO PUBLIC;
ALTER TABLE mls_media_sync_status ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_media_sync_status FROM PUBLIC;
GRANT SELECT ON TABLE mls_media_sync_status TO PUBLIC;
ALTER TABLE mls_media_usage ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_media_usage FROM PUBLIC;
GRANT SELECT ON TABLE mls_media_usage TO PUBLIC;
ALTER TABLE mls_skipped_records ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_skipped_records FROM PUBLIC;
GRANT DELETE, SELECT, UPDATE ON TABLE mls_skipped_records TO PUBLIC;
ALTER TABLE mls_stats_dirty ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_stats_dirty FROM PUBLIC;
GRANT INSERT, SELECT ON TABLE mls_stats_dirty TO PUBLIC;
REVOKE ALL ON TABLE mls_tenant_grants FROM PUBLIC;
GRANT DELETE, INSERT, SELECT ON TABLE mls_tenant_grants TO PUBLIC;
ALTER TABLE mls_usage ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE mls_usage FROM PUBLIC;
GRANT SELECT ON TABLE mls_usage TO PUBLIC;

-- the display views' media hook, now that the media tables exist
CREATE OR REPLACE FUNCTION mlsync.mls_display_media(tenant text, connection text, listing_key text, purpose text)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
RETURN (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('position', m."position", 'category', m.category, 'description', m.description, 'content_type', COALESCE(o.content_type, m.content_type), 'width', COALESCE(o.width, m.width), 'height', COALESCE(o.height, m.height), 'url', (b.base || m.storage_key), 'derivatives', (SELECT jsonb_agg((d.value || jsonb_build_object('url', (b.base || (d.value ->> 'storage_key'::text)))) ORDER BY ((d.value ->> 'width'::text))::integer, (d.value ->> 'format'::text)) AS jsonb_agg FROM jsonb_array_elements(o.derivatives) d(value)))) ORDER BY m."position", m.media_key) AS jsonb_agg FROM ((mlsync.mls_media m LEFT JOIN mlsync.mls_media_objects o ON (((o.tenant_id = m.tenant_id) AND (o.sha256 = m.sha256)))) CROSS JOIN (SELECT (SELECT u.public_url_base FROM mlsync.mls_media_public_urls u WHERE (u.tenant_id = mls_display_media.tenant)) AS base) b) WHERE ((m.tenant_id = mls_display_media.tenant) AND (m.connection = mls_display_media.connection) AND (m.listing_key = mls_display_media.listing_key) AND (m.state = 'stored'::text) AND mlsync.mls_media_displayable(m.permission, mls_display_media.purpose)));
REVOKE ALL ON FUNCTION mlsync.mls_display_media(text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mlsync.mls_display_media(text,text,text,text) TO PUBLIC;
COMMENT ON FUNCTION mlsync.mls_display_media(text,text,text,text) IS 'the stored media a display (idx, vow) may show for a listing, in order, with their URLs; NULL when there are none';

-- checks and generated columns that call the functions above (saved searches
-- are found by area and price: match_keys, with its GIN index in place of
-- the one on area_keys)
ALTER TABLE mls_saved_searches ADD COLUMN match_keys text[] GENERATED ALWAYS AS (mlsync.mls_search_match_keys(tenant_id, cities, postal_codes, counties, subdivisions, (radius_km IS NOT NULL), min_price, max_price)) STORED NOT NULL;
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_schedules_cron CHECK ((mlsync.mls_cron_is_valid(reconcile_schedule) AND ((sync_schedule IS NULL) OR mlsync.mls_cron_is_valid(sync_schedule))));
ALTER TABLE mls_connections ADD CONSTRAINT mls_connections_vow_statuses_check CHECK ((vow_statuses <@ mlsync.mls_standard_statuses()));
CREATE INDEX mls_saved_searches_match_idx ON mlsync.mls_saved_searches USING gin (match_keys) WITH (fastupdate=off) WHERE active;
COMMENT ON COLUMN mls_saved_searches.match_keys IS 'generated: the area keys, each qualified by the price intervals covering min_price..max_price when the search limits the price; what the GIN index finds a listing''s searches by';

-- a connection disabled keeps no queued run; enabled again, it counts its
-- failures anew (both whatever changes the flag)
CREATE OR REPLACE FUNCTION mlsync.mls_cancel_queued_runs(tenant text, run_ids bigint[], why text)
 RETURNS bigint
 LANGUAGE sql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
WITH dropped AS (
	DELETE FROM mlsync.mls_sync_queue q
	 WHERE q.tenant_id = tenant AND q.run_id = ANY (run_ids) AND q.state = 'queued'
	RETURNING q.*
),
canceled AS (
	INSERT INTO mlsync.mls_sync_history (tenant_id, run_id, connection, mode, trigger, listing_key,
										 requested_at, state, finished_at, message, requested_by)
	SELECT d.tenant_id, d.run_id, d.connection, d.mode, d.trigger, d.listing_key, d.requested_at,
		   'canceled', now(),
		   coalesce(why, CASE WHEN d.turns = 0 THEN 'canceled before it started'
							  ELSE 'canceled while it waited for a worker' END),
		   d.requested_by
	  FROM dropped d
	ON CONFLICT (tenant_id, run_id) DO UPDATE SET state = excluded.state,
		finished_at = excluded.finished_at, message = excluded.message
	RETURNING 1
)
SELECT count(*) FROM canceled
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_cancel_queued_runs(text,bigint[],text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mlsync.mls_connections_enabled_changed()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	PERFORM mlsync.mls_cancel_queued_runs(NEW.tenant_id,
		ARRAY(SELECT q.run_id FROM mlsync.mls_sync_queue q
			   WHERE q.tenant_id = NEW.tenant_id AND q.connection = NEW.connection
				 AND q.state = 'queued'
				 FOR UPDATE SKIP LOCKED),
		CASE WHEN NEW.enabled THEN 'queued before the connection was enabled again'
			 ELSE 'the connection was disabled' END);
	UPDATE mlsync.mls_sync_status s
	   SET consecutive_failures = CASE WHEN NEW.enabled THEN 0 ELSE s.consecutive_failures END,
		   next_attempt_at = NULL
	 WHERE s.tenant_id = NEW.tenant_id AND s.connection = NEW.connection;
	RETURN NULL;
END
$function$;
REVOKE ALL ON FUNCTION mlsync.mls_connections_enabled_changed() FROM PUBLIC;

CREATE TRIGGER mls_connections_enabled_changed AFTER UPDATE OF enabled ON mlsync.mls_connections FOR EACH ROW WHEN ((old.enabled IS DISTINCT FROM new.enabled)) EXECUTE FUNCTION mlsync.mls_connections_enabled_changed();

-- runs left queued on connections disabled before the upgrade would run when
-- they are enabled again: canceled, as disabling does now
SELECT mlsync.mls_cancel_queued_runs(c.tenant_id,
	   ARRAY(SELECT q.run_id FROM mlsync.mls_sync_queue q
			  WHERE q.tenant_id = c.tenant_id AND q.connection = c.connection AND q.state = 'queued'),
	   'the connection was disabled')
  FROM mlsync.mls_connections c
 WHERE NOT c.enabled;
UPDATE mlsync.mls_sync_status s SET next_attempt_at = NULL
  FROM mlsync.mls_connections c
 WHERE c.tenant_id = s.tenant_id AND c.connection = s.connection AND NOT c.enabled;

-- INSERT on the tenant tables with an identity column leaves it out (as
-- mls_protect_tenant_table grants it): a role that chose ids would get ids
-- the sequence hands other tenants' rows later.  Last, once every column
-- is there.
REVOKE INSERT ON TABLE mls_events FROM PUBLIC;
GRANT INSERT (tenant_id, kind, connection, listing_key, watcher, payload, created_at) ON TABLE mls_events TO PUBLIC;
REVOKE INSERT ON TABLE mls_saved_searches FROM PUBLIC;
GRANT INSERT (tenant_id, watcher, name, cities, postal_codes, counties, subdivisions, latitude, longitude, radius_km, min_price, max_price, min_beds, max_beds, min_baths, property_types, active, created_at, area_keys, bbox, match_keys) ON TABLE mls_saved_searches TO PUBLIC;
REVOKE INSERT ON TABLE mls_subscriptions FROM PUBLIC;
GRANT INSERT (consumer, tenant, kinds, created_at, updated_at) ON TABLE mls_subscriptions TO PUBLIC;
REVOKE INSERT ON TABLE mls_watchlist FROM PUBLIC;
GRANT INSERT (tenant_id, watcher, connection, listing_key, property_id, reason, created_at) ON TABLE mls_watchlist TO PUBLIC;
