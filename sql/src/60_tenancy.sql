-- mlsync install script, part 60: tenant isolation (docs/features.md F19, F20).
--
-- Which roles may do what with which tenant is data: mls_tenant_grants
-- (tenant, role, privilege), written by mls_grant_tenant/mls_revoke_tenant.
-- Every table that holds tenant data has row-level security whose policies
-- admit a row when the current role may use a role granted its tenant
-- (pg_has_role(..., 'USAGE'): the role itself, a group role it inherits,
-- the role a pooled connection SET ROLE to).  Privileges are levels, each
-- including the ones below it:
--
--   display  the IDX and VOW display views only (a public website)
--   read     every table and view of the tenant (listings, history, events,
--            statuses, progress, errors, usage), never a secret
--   consume  read, plus event consumers (subscribe, claim, ack) and the
--            watchers' saved searches and watch lists
--   operate  consume, plus connections, credentials, syncs, schedules
--   admin    operate, plus the tenant's grants and statistics settings
--
-- Members of role mlsync_admin (and of the extension's owner, and
-- superusers) are global administrators: they see every tenant, create
-- tenants and set their quotas.  Background workers run as the bootstrap
-- superuser and the SECURITY DEFINER functions as the extension's owner,
-- which bypass row-level security; the functions that act for a caller check
-- the caller's rights first (src/tenancy/tenancy.c).  docs/tenancy.md has
-- the whole design.

-- The global administrators' role.  Roles belong to the cluster, not to the
-- database: it may exist already (another database, a reinstall).
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'mlsync_admin') THEN
		CREATE ROLE mlsync_admin NOLOGIN;
		COMMENT ON ROLE mlsync_admin IS 'mlsync global administrators: every tenant, tenant creation and quotas';
	END IF;
END
$$;

-- API: Private.  The level of a privilege: display 0, read 1, consume 2,
-- operate 3, admin 4; NULL for anything else.
CREATE FUNCTION mls_privilege_level(privilege text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE privilege
		WHEN 'display' THEN 0 WHEN 'read' THEN 1 WHEN 'consume' THEN 2
		WHEN 'operate' THEN 3 WHEN 'admin' THEN 4
	END;

COMMENT ON FUNCTION mls_privilege_level(text) IS
'the level of a tenant privilege (display 0, read 1, consume 2, operate 3, admin 4); each level includes those below it';

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

-- API: Private.  Whether the current role is a global administrator: a
-- member of mlsync_admin or of the extension's owner (which includes
-- superusers).
CREATE FUNCTION mls_is_global_admin() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT FROM pg_catalog.pg_roles r
				WHERE (r.rolname = 'mlsync_admin'
					   OR r.oid = (SELECT e.extowner FROM pg_catalog.pg_extension e
								    WHERE e.extname = 'mlsync'))
				  AND pg_catalog.pg_has_role(r.oid, 'USAGE'));

COMMENT ON FUNCTION mls_is_global_admin() IS
'true when the current role is a global administrator of mlsync (member of mlsync_admin or of the extension''s owner)';

-- API: Private.  The grants the current role may use, one row per grant.
-- A view, not a function: it reads mls_tenant_grants with its owner's
-- rights (so policies that use it do not recurse into the policies of
-- mls_tenant_grants) while current_user, which pg_has_role tests, stays the
-- reader.  Grants to roles that no longer exist are ignored.  A security
-- barrier, so that no function of a reader's query sees the grants of
-- others before they are filtered out.
CREATE VIEW mls_tenant_access WITH (security_barrier) AS
SELECT g.tenant_id, g.privilege, mls_privilege_level(g.privilege) AS level
  FROM mls_tenant_grants g
  JOIN pg_catalog.pg_roles r ON r.rolname = g.role
 WHERE pg_catalog.pg_has_role(r.oid, 'USAGE');

COMMENT ON VIEW mls_tenant_access IS 'private: the tenant grants the current role may use (read by the row-level security policies)';

-- API: Public.  The tenants the current role may see, with its highest
-- privilege on each (global administrators: admin on every tenant).
CREATE VIEW mls_my_tenants WITH (security_barrier) AS
SELECT a.tenant_id,
	   (ARRAY['display', 'read', 'consume', 'operate', 'admin'])[max(a.level) + 1] AS privilege
  FROM (SELECT ta.tenant_id, ta.level FROM mls_tenant_access ta
		UNION ALL
		SELECT t.tenant_id, 4 FROM mls_tenants t WHERE (SELECT mls_is_global_admin())) a
 GROUP BY a.tenant_id;

COMMENT ON VIEW mls_my_tenants IS 'the tenants the current role may see and its highest privilege on each';

-- API: Public.  Whether the current role holds a privilege (or a higher one)
-- on a tenant.  A global administrator holds every privilege, even on a
-- tenant that does not exist yet.
CREATE FUNCTION mls_has_tenant_privilege(tenant text, privilege text) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
RETURN mlsync.mls_is_global_admin()
	OR EXISTS (SELECT FROM mlsync.mls_tenant_access a
				WHERE a.tenant_id = mls_has_tenant_privilege.tenant
				  AND a.level >= mlsync.mls_privilege_level(mls_has_tenant_privilege.privilege));

COMMENT ON FUNCTION mls_has_tenant_privilege(text, text) IS
'true when the current role holds the privilege (or a higher one) on the tenant';

-- API: Private.  Raises the error every function gives a role that lacks a
-- privilege on a tenant.  It is the same whether the tenant exists or not,
-- so a role learns nothing of tenants it may not see.
CREATE FUNCTION mls_require_tenant_privilege(tenant text, privilege text, what text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
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
$$;

-- API: Public.  Grants a role a privilege on a tenant; returns true, or
-- false when the role held that grant already.  Needs the admin privilege on
-- the tenant.
CREATE FUNCTION mls_grant_tenant(tenant text, role name, privilege text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
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
$$;

COMMENT ON FUNCTION mls_grant_tenant(text, name, text) IS
'grant a role a privilege on a tenant (display, read, consume, operate, admin); returns false when it held the grant already; needs admin on the tenant';

-- API: Public.  Revokes a privilege of a role on a tenant (NULL: every
-- privilege of the role there); returns how many grants were removed.  A
-- privilege the role also holds through another grant (a group role, a
-- higher privilege) stays usable.
CREATE FUNCTION mls_revoke_tenant(tenant text, role name, privilege text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
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
$$;

COMMENT ON FUNCTION mls_revoke_tenant(text, name, text) IS
'revoke a privilege (NULL: all) of a role on a tenant; returns the number of grants removed; needs admin on the tenant';

-- API: Private.  The tenants the current role holds level (or more) on, as
-- an array, when they are few (at most 32); NULL when there are more.
CREATE FUNCTION mls_tenant_list(level integer) RETURNS text[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT CASE WHEN count(*) <= 32 THEN coalesce(array_agg(a.tenant_id), '{}') END
		  FROM mlsync.mls_tenant_access a
		 WHERE a.level >= mls_tenant_list.level);

-- API: Private.  The condition of a policy: the tenant in column
-- tenant_column is one the current role holds privilege (or more) on, or the
-- role is a global administrator.  Every test is a sub-select that does not
-- refer to the row, so a query evaluates each once (InitPlans), not once per
-- row; per row remain a comparison with a short array (the usual role sees
-- one tenant or a few) or, for a role with many tenants, a probe of a hash
-- table (a hashed SubPlan).  bench/rls_read.sh measures what they cost.
CREATE FUNCTION mls_tenant_policy_condition(tenant_column name, privilege text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
RETURN format('(SELECT mlsync.mls_is_global_admin())'
			  ' OR %1$I = ANY ((SELECT mlsync.mls_tenant_list(%2$s))::text[])'
			  ' OR ((SELECT mlsync.mls_tenant_list(%2$s)) IS NULL'
			  ' AND %1$I IN (SELECT a.tenant_id FROM mlsync.mls_tenant_access a WHERE a.level >= %2$s))',
			  tenant_column, mlsync.mls_privilege_level(privilege));

-- API: Private.  Puts a table that holds tenant data under row-level
-- security: rows are read with read_privilege (or more) on their tenant and
-- written with write_privilege (or more); every role gets SELECT and the
-- public_writes privileges on the table, the policies deciding which rows.
-- New tenant tables (the media tables, say) call it once in their part of
-- the install script.  INSERT leaves out identity columns.  Columns added
-- later need a new call.
CREATE FUNCTION mls_protect_tenant_table(relation regclass, read_privilege text,
										 write_privilege text, public_writes text DEFAULT NULL,
										 tenant_column name DEFAULT 'tenant_id')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
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
$$;

REVOKE ALL ON FUNCTION mls_protect_tenant_table(regclass, text, text, text, name) FROM PUBLIC;

-- The tenant tables: what reads them, what writes them, and which writes
-- roles may make directly (the others are made by the engine, triggers and
-- SECURITY DEFINER functions, as the owner).
SELECT mls_protect_tenant_table('mls_connections', 'read', 'operate', 'INSERT, UPDATE, DELETE');
SELECT mls_protect_tenant_table('mls_listings', 'read', 'operate', 'INSERT, UPDATE, DELETE');
SELECT mls_protect_tenant_table('mls_listing_history', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_source_metadata', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_sync_queue', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_sync_status', 'read', 'operate', 'INSERT');
SELECT mls_protect_tenant_table('mls_sync_history', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_sync_errors', 'read', 'operate');
-- time-based events are inserted by mls_detect_time_events, with the
-- caller's rights; pruning deletes events
SELECT mls_protect_tenant_table('mls_events', 'read', 'operate', 'INSERT, DELETE');
SELECT mls_protect_tenant_table('mls_time_event_marks', 'read', 'operate', 'INSERT');
SELECT mls_protect_tenant_table('mls_alerts', 'read', 'operate');
-- consumers claim (UPDATE) and acknowledge (DELETE) their deliveries
SELECT mls_protect_tenant_table('mls_event_deliveries', 'consume', 'consume', 'UPDATE, DELETE');
-- the application writes its watchers' searches and watch lists
SELECT mls_protect_tenant_table('mls_saved_searches', 'read', 'consume', 'INSERT, UPDATE, DELETE');
SELECT mls_protect_tenant_table('mls_watchlist', 'read', 'consume', 'INSERT, UPDATE, DELETE');
SELECT mls_protect_tenant_table('mls_stats_settings', 'read', 'admin', 'INSERT, UPDATE, DELETE');
-- subscriptions to every tenant (tenant NULL) are for global administrators
SELECT mls_protect_tenant_table('mls_subscriptions', 'consume', 'consume',
								'INSERT, UPDATE, DELETE', 'tenant');
-- operations (sql/src/46_operations.sql, 47_controls.sql): alert state,
-- skipped records and dry-run change lists are written by the engine and
-- by its functions as the owner; operators exclude listings and retry
-- skipped records with their own rights
SELECT mls_protect_tenant_table('mls_alert_state', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_listing_exclusions', 'read', 'operate', 'INSERT, UPDATE, DELETE');
SELECT mls_protect_tenant_table('mls_skipped_records', 'read', 'operate', 'UPDATE, DELETE');
SELECT mls_protect_tenant_table('mls_dry_run_changes', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_dry_run_columns', 'read', 'operate');

-- Tenants: seen with any privilege; created, changed and deleted by global
-- administrators only (quotas included).
ALTER TABLE mls_tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY mls_tenant_read ON mls_tenants FOR SELECT
	USING ((SELECT mls_is_global_admin())
		   OR tenant_id IN (SELECT a.tenant_id FROM mls_tenant_access a));
CREATE POLICY mls_tenant_write ON mls_tenants FOR ALL
	USING ((SELECT mls_is_global_admin())) WITH CHECK ((SELECT mls_is_global_admin()));
GRANT SELECT, INSERT, UPDATE, DELETE ON mls_tenants TO PUBLIC;

-- Grants: a role sees the grants it may use; a tenant's administrators see
-- and write all grants of the tenant.
ALTER TABLE mls_tenant_grants ENABLE ROW LEVEL SECURITY;
CREATE POLICY mls_tenant_read ON mls_tenant_grants FOR SELECT
	USING (pg_catalog.pg_has_role((SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = role),
								  'USAGE'));
CREATE POLICY mls_tenant_write ON mls_tenant_grants FOR ALL
	USING ((SELECT mls_is_global_admin())
		   OR tenant_id IN (SELECT a.tenant_id FROM mls_tenant_access a WHERE a.level >= 4))
	WITH CHECK ((SELECT mls_is_global_admin())
				OR tenant_id IN (SELECT a.tenant_id FROM mls_tenant_access a WHERE a.level >= 4));
GRANT SELECT, INSERT, DELETE ON mls_tenant_grants TO PUBLIC;
GRANT SELECT ON mls_tenant_access, mls_my_tenants TO PUBLIC;

-- Secrets: no role but the owner, ever.  Row-level security without a
-- policy is a second lock should a privilege be granted by mistake.
ALTER TABLE mls_credentials ENABLE ROW LEVEL SECURITY;

-- Tables of no tenant: the RESO dictionary and the mapping sets, which
-- every tenant's connections share, are read by all and written by global
-- administrators.
GRANT SELECT ON mls_dd_fields, mls_dd_lookups, mls_mapping_sets, mls_field_mappings,
	mls_mappable_columns TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON mls_mapping_sets, mls_field_mappings TO mlsync_admin;

-- Views that run with the reader's rights (the tables' policies apply;
-- mls_status, defined last, is granted in sql/src/95_status.sql).
GRANT SELECT ON mls_sync_progress, mls_event_backlog TO PUBLIC;

-- market_stats and mls_visible_market_stats are in 65_stats_refresh.sql.

-- The health check and pruning cover every tenant at once (the schedules run
-- them as the owner).
GRANT EXECUTE ON FUNCTION mls_check_health(text, timestamptz), mls_prune() TO mlsync_admin;

-- Everything above is reached through the schema.
GRANT USAGE ON SCHEMA mlsync TO PUBLIC;
