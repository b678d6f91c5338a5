-- Ready to be distributed by tenant (docs/scaling.md): every key of a table
-- that holds tenant data leads with tenant_id, so that each key is checked
-- on one shard; no foreign key cascades updates (a distributed database
-- refuses it); and the statement triggers that see transition tables and
-- write other tables are the documented ones, for writes that do not go
-- through the sync's writer, and stand aside for the writer's statements.
\pset pager off
\pset format unaligned
\pset tuples_only true
SELECT plan(9);

CREATE TEMP VIEW tenant_tables AS
SELECT c.oid AS relid, c.relname
  FROM pg_class c
 WHERE c.relnamespace = 'mlsync'::regnamespace AND c.relkind IN ('r', 'p')
   AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
				AND NOT a.attisdropped);

SELECT cmp_ok((SELECT count(*)::int FROM tenant_tables), '>=', 40, 'the tenant tables are found');

SELECT is(array_agg(t.relname || ': ' || pg_get_constraintdef(co.oid) ORDER BY t.relname, co.conname), NULL,
		  'every primary key and unique constraint of a tenant table leads with tenant_id')
  FROM tenant_tables t JOIN pg_constraint co ON co.conrelid = t.relid
 WHERE co.contype IN ('p', 'u')
   AND (SELECT attname FROM pg_attribute WHERE attrelid = t.relid AND attnum = co.conkey[1]) <> 'tenant_id';

SELECT is(array_agg(i.indexrelid::regclass::text ORDER BY i.indexrelid::regclass::text), NULL,
		  'and so does every unique index')
  FROM tenant_tables t JOIN pg_index i ON i.indrelid = t.relid
 WHERE i.indisunique
   AND (i.indkey[0] = 0
		OR (SELECT attname FROM pg_attribute WHERE attrelid = t.relid AND attnum = i.indkey[0]) <> 'tenant_id');

-- a key to another tenant table pairs tenant_id with tenant_id; a key to a
-- table without tenants (mapping sets) points to a reference table
SELECT is(array_agg(t.relname || ': ' || pg_get_constraintdef(co.oid) ORDER BY t.relname, co.conname), NULL,
		  'every foreign key between tenant tables leads with tenant_id on both sides')
  FROM tenant_tables t JOIN pg_constraint co ON co.conrelid = t.relid
 WHERE co.contype = 'f'
   AND co.confrelid IN (SELECT relid FROM tenant_tables)
   AND ((SELECT attname FROM pg_attribute WHERE attrelid = t.relid AND attnum = co.conkey[1]) <> 'tenant_id'
		OR (SELECT attname FROM pg_attribute WHERE attrelid = co.confrelid AND attnum = co.confkey[1])
		   <> 'tenant_id');

SELECT is(array_agg(c.conrelid::regclass || ': ' || pg_get_constraintdef(c.oid) ORDER BY c.conrelid::regclass::text, c.conname), NULL,
		  'no foreign key of the extension cascades updates')
  FROM pg_constraint c
 WHERE c.contype = 'f' AND c.connamespace = 'mlsync'::regnamespace AND c.confupdtype <> 'a';

SELECT is(array_agg(c.relname ORDER BY c.relname), NULL,
		  'no tenant table is referenced by a table without tenants')
  FROM tenant_tables c
 WHERE EXISTS (SELECT FROM pg_constraint f
				WHERE f.contype = 'f' AND f.confrelid = c.relid
				  AND f.conrelid NOT IN (SELECT relid FROM tenant_tables)
				  AND f.confrelid <> 'mlsync.mls_tenants'::regclass);

-- statement triggers that read transition tables: only the capture of
-- direct writes, which a distributed installation drops (docs/scaling.md),
-- and each stands aside for the sync's writer, which records what it writes
-- in its own statements (test 35_capture_path proves the writer's path)
SELECT is(array_agg(tg.tgrelid::regclass || '.' || tg.tgname ORDER BY tg.tgrelid::regclass || '.' || tg.tgname),
		  ARRAY['mlsync.mls_events.mls_events_alert', 'mlsync.mls_events.mls_events_deliver',
				'mlsync.mls_listings.mls_listings_events_insert',
				'mlsync.mls_listings.mls_listings_events_update'],
		  'the triggers with transition tables are the documented four')
  FROM pg_trigger tg
 WHERE tg.tgrelid IN (SELECT relid FROM tenant_tables)
   AND (tg.tgoldtable IS NOT NULL OR tg.tgnewtable IS NOT NULL);
SELECT is(array_agg(tg.tgname::text ORDER BY tg.tgname), NULL,
		  'and none of them runs for the writer''s statements')
  FROM pg_trigger tg
 WHERE tg.tgrelid IN (SELECT relid FROM tenant_tables)
   AND (tg.tgoldtable IS NOT NULL OR tg.tgnewtable IS NOT NULL)
   AND pg_get_triggerdef(tg.oid) !~ 'WHEN \(\(?NOT mlsync\.mls_writer_capturing\(\)\)?\)';
-- row triggers: the documented two on mls_connections, which write only
-- rows of the connection's own tenant (its secrets, runs and status), in
-- tables co-located with it
SELECT is(array_agg(tg.tgrelid::regclass || '.' || tg.tgname ORDER BY tg.tgrelid::regclass || '.' || tg.tgname),
		  ARRAY['mlsync.mls_connections.mls_connections_enabled_changed',
				'mlsync.mls_connections.mls_connections_unbind_credentials'],
		  'the row triggers of tenant tables are the documented two')
  FROM pg_trigger tg
 WHERE tg.tgrelid IN (SELECT relid FROM tenant_tables)
   AND NOT tg.tgisinternal AND (tg.tgtype & 1) = 1;
SELECT * FROM finish();
