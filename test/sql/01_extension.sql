-- The extension's shape: schema, tables, functions, privileges, dump
-- registration and settings.
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;
-- settings exist once the library is loaded (by preload, or by a first call)
LOAD 'mlsync';
BEGIN;
SELECT plan(30);

SELECT has_schema('mlsync');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'mlsync'), false,
		  'mlsync is not relocatable');
SELECT is((SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'mlsync'),
		  'mlsync', 'mlsync lives in schema mlsync');

SELECT has_table('mlsync', t, 'table mlsync.' || t || ' exists')
  FROM unnest(ARRAY['mls_tenants', 'mls_connections', 'mls_credentials', 'mls_mapping_sets',
					'mls_field_mappings', 'mls_listings', 'mls_dd_fields', 'mls_dd_lookups']) AS t;

-- tenant_id leads the primary key of every tenant-scoped table
SELECT is(array_agg(c.relname::text ORDER BY c.relname), NULL,
		  'every tenant-scoped primary key starts with tenant_id')
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
 WHERE k.contype = 'p'
   AND c.relnamespace = 'mlsync'::regnamespace
   AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
   AND (SELECT attname FROM pg_attribute WHERE attrelid = c.oid AND attnum = k.conkey[1]) <> 'tenant_id';

SELECT is((SELECT attcompression FROM pg_attribute
			WHERE attrelid = 'mlsync.mls_listings'::regclass AND attname = 'raw'),
		  'l'::"char", 'mls_listings.raw is lz4-compressed');

-- credentials: no privileges for anyone but the owner
SELECT is((SELECT relacl IS NOT NULL AND NOT EXISTS
				  (SELECT 1 FROM aclexplode(relacl) a WHERE a.grantee <> c.relowner)
			 FROM pg_class c WHERE oid = 'mlsync.mls_credentials'::regclass),
		  true, 'mls_credentials has no grants');
-- secrets are stored by a SECURITY DEFINER function no role may call; the
-- public entry point runs as the caller and checks its tenant rights
SELECT function_privs_are('mlsync', 'mls_set_credentials_unchecked',
						  ARRAY['text', 'text', 'text', 'text', 'text', 'text'],
						  'public', ARRAY[]::text[],
						  'PUBLIC cannot store credentials directly');
SELECT is((SELECT prosecdef FROM pg_proc WHERE oid = 'mlsync.mls_set_credentials_unchecked'::regproc),
		  true, 'mls_set_credentials_unchecked is SECURITY DEFINER');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'mlsync.mls_set_credentials_unchecked'::regproc),
		  ARRAY['search_path=pg_catalog, pg_temp', 'log_min_error_statement=panic'],
		  'and pins its search_path and keeps its call out of the log');
SELECT is((SELECT prosecdef FROM pg_proc WHERE oid = 'mlsync.mls_set_credentials'::regproc),
		  false, 'mls_set_credentials runs as the caller, whose tenant rights it checks');

-- every SECURITY DEFINER function is kept from PUBLIC, but the one that can
-- only count what really happened
SELECT is(array_agg(proname::text ORDER BY proname), NULL,
		  'no SECURITY DEFINER function is executable by PUBLIC')
  FROM pg_proc
 WHERE pronamespace = 'mlsync'::regnamespace AND prosecdef
   AND proname <> 'mls_usage_record_events'
   AND has_function_privilege('public', oid, 'EXECUTE');

-- every table holding tenant data is under row-level security
SELECT is(array_agg(c.relname::text ORDER BY c.relname), NULL,
		  'every table with a tenant column has row-level security')
  FROM pg_class c
 WHERE c.relnamespace = 'mlsync'::regnamespace AND c.relkind IN ('r', 'p')
   AND EXISTS (SELECT 1 FROM pg_attribute a
				WHERE a.attrelid = c.oid AND a.attname IN ('tenant_id', 'tenant'))
   AND NOT c.relrowsecurity;

-- no SECURITY DEFINER function without a pinned search_path
SELECT is(array_agg(proname::text), NULL, 'every SECURITY DEFINER function pins search_path')
  FROM pg_proc
 WHERE pronamespace = 'mlsync'::regnamespace AND prosecdef
   AND NOT EXISTS (SELECT 1 FROM unnest(proconfig) c WHERE c LIKE 'search_path=%');

SELECT has_function('mlsync', 'mls_connect', 'mls_connect exists');
SELECT has_function('mlsync', 'mls_map_record', ARRAY['text', 'jsonb']);
SELECT function_returns('mlsync', 'mls_map_record', ARRAY['text', 'jsonb'], 'mlsync.mls_listings');

-- configuration and data tables survive pg_dump: every table but the
-- dictionary (recreated by CREATE EXTENSION) and transient run state is
-- registered, and so is every sequence of a registered table
SELECT is(array_agg(c.relname::text ORDER BY c.relname), NULL,
		  'every table holding user data is registered with pg_extension_config_dump')
  FROM pg_class c
 WHERE c.relnamespace = 'mlsync'::regnamespace AND c.relkind IN ('r', 'p', 'S')
   AND c.relname NOT IN ('mls_dd_fields', 'mls_dd_lookups', 'mls_reconcile_keys')
   AND c.oid <> ALL ((SELECT extconfig FROM pg_extension WHERE extname = 'mlsync')::oid[]);

-- settings
SELECT is(current_setting('mlsync.batch_size'), '500', 'mlsync.batch_size defaults to 500');
SELECT is((SELECT context FROM pg_settings WHERE name = 'mlsync.secret_key_file'),
		  'superuser', 'only a superuser can name the key file');
SELECT throws_ok($$SET mlsync.no_such_setting = 1$$, '42602', NULL,
				 'the mlsync prefix is reserved');

-- the RESO dictionary facts arrived
SELECT cmp_ok((SELECT count(*) FROM mlsync.mls_dd_fields WHERE resource = 'Property'), '>', 500::bigint,
			  'RESO DD 2.0 Property fields are loaded');
SELECT is((SELECT array_agg(standard_value ORDER BY standard_value) FROM mlsync.mls_dd_lookups
			WHERE lookup_name = 'StandardStatus'),
		  mlsync.mls_standard_statuses(), 'the eleven StandardStatus values');

SELECT * FROM finish();
ROLLBACK;
