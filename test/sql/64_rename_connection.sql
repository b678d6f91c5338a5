-- Renaming a connection moves every row it holds under the new name (the
-- keys do not cascade updates: docs/scaling.md), removes its secrets, which
-- are bound to the old name, and the next sync goes on from where the
-- connection was, with nothing written again.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SELECT mls_test.use_key_file();
SELECT mls_test.wait_for_launcher();

SELECT mls_test.reset('{"mls": "rn", "listings": 60, "seed": 64}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('ren');
SELECT connection FROM mlsync.mls_connect('ren', 'old', protocol => 'reso',
	endpoint => mls_test.reso_root('rn'), token_url => mls_test.token_url('rn'), username => 'mlsync');
SELECT mlsync.mls_set_credentials('ren', 'old', client_secret => 's3cret') IS NOT NULL AS stored;
SELECT count(*) AS subscribed FROM mlsync.mls_subscribe('ren-app', tenant => 'ren');
SELECT mlsync.mls_sync('ren', 'old', mode => 'full') AS runs \gset
SELECT array_agg(mlsync.mls_sync_wait(r, '120 seconds')) AS full_sync FROM unnest(:'runs'::bigint[]) r;
SELECT (mls_test.advance('{"mls": "rn", "price_cut": 4, "new": 2}') -> 'changed' IS NOT NULL) AS advanced;
SELECT mlsync.mls_sync('ren', 'old') AS runs \gset
SELECT array_agg(mlsync.mls_sync_wait(r, '120 seconds')) AS incremental FROM unnest(:'runs'::bigint[]) r;

-- rows of the tenant per table and connection column, under a name
CREATE FUNCTION pg_temp.rows_named(name text) RETURNS TABLE (relation text, rows bigint)
LANGUAGE plpgsql AS $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT c.oid::regclass AS rel, a.attname
			   FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
			  WHERE c.relnamespace = 'mlsync'::regnamespace AND c.relkind IN ('r', 'p')
				AND NOT c.relispartition AND a.atttypid = 'text'::regtype AND NOT a.attisdropped
				AND (a.attname = 'connection' OR a.attname LIKE '%\_connection')
				AND EXISTS (SELECT FROM pg_attribute x WHERE x.attrelid = c.oid AND x.attname = 'tenant_id')
			  ORDER BY 1, 2
	LOOP
		relation := t.rel::text || '.' || t.attname;
		EXECUTE format('SELECT count(*) FROM %s WHERE tenant_id = %L AND %I = $1', t.rel, 'ren', t.attname)
		   INTO rows USING name;
		IF rows > 0 THEN
			RETURN NEXT;
		END IF;
	END LOOP;
END
$$;
CREATE TEMP TABLE before AS SELECT * FROM pg_temp.rows_named('old');
SELECT relation, rows > 0 AS has_rows FROM before ORDER BY relation;
SELECT count(*) AS events_before FROM mlsync.mls_events WHERE tenant_id = 'ren' \gset

-- refused: a name taken, a name that is not one, a connection that does
-- not exist, a role that may not operate the tenant
SELECT connection FROM mlsync.mls_connect('ren', 'other', protocol => 'reso',
	endpoint => 'https://other.example.com/odata');
\set VERBOSITY terse
SELECT mlsync.mls_rename_connection('ren', 'old', 'other');
SELECT mlsync.mls_rename_connection('ren', 'old', 'New Name');
SELECT mlsync.mls_rename_connection('ren', 'nothing', 'new');
CREATE ROLE regress_ren_reader;
SELECT mlsync.mls_grant_tenant('ren', 'regress_ren_reader', 'read');
SET ROLE regress_ren_reader;
SELECT mlsync.mls_rename_connection('ren', 'old', 'new');
RESET ROLE;
\set VERBOSITY default

SELECT mlsync.mls_rename_connection('ren', 'old', 'new');
SELECT count(*) AS rows_left_under_old FROM pg_temp.rows_named('old');
SELECT b.relation, b.rows = a.rows AS same_rows
  FROM before b FULL JOIN pg_temp.rows_named('new') a USING (relation)
 ORDER BY 1;
SELECT count(*) AS secrets FROM mlsync.mls_credentials WHERE tenant_id = 'ren';
SELECT count(*) - :events_before AS events_raised_by_the_rename FROM mlsync.mls_events WHERE tenant_id = 'ren';

-- the renamed connection syncs on from its watermark: nothing new, nothing
-- written again, until the server changes (it reads the listings of its
-- watermark's last mlsync.incremental_overlap again, not the 60)
SELECT mlsync.mls_set_credentials('ren', 'new', client_secret => 's3cret') IS NOT NULL AS stored;
SELECT mlsync.mls_sync('ren', 'new') AS runs \gset
SELECT array_agg(mlsync.mls_sync_wait(r, '120 seconds')) AS incremental FROM unnest(:'runs'::bigint[]) r;
SELECT seen BETWEEN 1 AND 30 AS from_watermark, inserted, updated FROM mlsync.mls_sync_history
 WHERE tenant_id = 'ren' ORDER BY run_id DESC LIMIT 1;
SELECT (mls_test.advance('{"mls": "rn", "price_cut": 3}') -> 'changed' IS NOT NULL) AS advanced;
SELECT mlsync.mls_sync('ren', 'new') AS runs \gset
SELECT array_agg(mlsync.mls_sync_wait(r, '120 seconds')) AS incremental FROM unnest(:'runs'::bigint[]) r;
SELECT updated, (SELECT count(*) FROM mlsync.mls_events e WHERE e.tenant_id = 'ren'
				  AND e.connection = 'new' AND e.kind = 'price_reduced') AS price_cuts_under_new
  FROM mlsync.mls_sync_history WHERE tenant_id = 'ren' ORDER BY run_id DESC LIMIT 1;
SELECT connection, count(*) AS listings FROM mlsync.mls_listings WHERE tenant_id = 'ren'
 GROUP BY 1 ORDER BY 1;
SELECT * FROM mls_test.diff('ren', 'new', 'rn');
DROP ROLE regress_ren_reader;
