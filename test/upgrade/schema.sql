-- Everything the extension mlsync defines in the current database, one line
-- per fact (object, tab, definition), in a stable order: what the upgrade test compares between a
-- database updated from an earlier version and a fresh install.  Two
-- databases with the same lines have the same objects with the same
-- definitions, privileges, comments and dump registrations.
--
-- Columns are listed in order without the holes dropped columns leave, so an
-- upgrade that adds a column at the end of a table matches a fresh install
-- that declares it last.
WITH ext AS (
	SELECT oid, extnamespace FROM pg_extension WHERE extname = 'mlsync'
),
member AS (
	SELECT d.classid, d.objid
	  FROM pg_depend d, ext
	 WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
),
rel AS (
	SELECT c.oid, c.relname, c.relkind
	  FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
),
facts(fact) AS (
	-- which objects belong to the extension
	SELECT 'member ' || pg_describe_object(classid, objid, 0) FROM member
	UNION ALL
	-- tables, views, sequences, types: columns in order
	SELECT format('columns %s (%s): %s', r.relname, r.relkind,
				  (SELECT string_agg(format('%I %s%s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
											CASE WHEN a.attnotnull THEN ' not null' END,
											' default ' || pg_get_expr(ad.adbin, ad.adrelid),
											CASE a.attgenerated WHEN 's' THEN ' stored' END),
									 ', ' ORDER BY a.attnum)
					 FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
					WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped))
	  FROM rel r
	UNION ALL
	-- identity of columns
	SELECT format('identity %s.%s: %s', r.relname, a.attname, a.attidentity)
	  FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid
	 WHERE a.attidentity <> '' AND NOT a.attisdropped
	UNION ALL
	-- table properties: row-level security, options, privileges
	SELECT format('relation %s: rls=%s force=%s options=%s acl=%s', r.relname, c.relrowsecurity,
				  c.relforcerowsecurity, c.reloptions, c.relacl)
	  FROM rel r JOIN pg_class c ON c.oid = r.oid
	UNION ALL
	-- column privileges
	SELECT format('column acl %s.%s: %s', r.relname, a.attname, a.attacl)
	  FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid
	 WHERE a.attacl IS NOT NULL AND NOT a.attisdropped
	UNION ALL
	SELECT format('constraint %s.%s: %s', r.relname, co.conname, pg_get_constraintdef(co.oid))
	  FROM rel r JOIN pg_constraint co ON co.conrelid = r.oid
	UNION ALL
	SELECT format('index %s: %s', r.relname, pg_get_indexdef(i.indexrelid))
	  FROM rel r JOIN pg_index i ON i.indrelid = r.oid
	UNION ALL
	SELECT format('trigger %s.%s: %s', r.relname, t.tgname, pg_get_triggerdef(t.oid))
	  FROM rel r JOIN pg_trigger t ON t.tgrelid = r.oid
	 WHERE NOT t.tgisinternal
	UNION ALL
	SELECT format('policy %s.%s: %s %s to %s using %s check %s', r.relname, p.polname, p.polcmd,
				  CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END,
				  (SELECT string_agg(CASE WHEN ro = 0 THEN 'public' ELSE pg_get_userbyid(ro)::text END, ',' ORDER BY 1)
					 FROM unnest(p.polroles) ro),
				  pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
	  FROM rel r JOIN pg_policy p ON p.polrelid = r.oid
	UNION ALL
	SELECT format('view %s: %s', r.relname, pg_get_viewdef(r.oid))
	  FROM rel r WHERE r.relkind IN ('v', 'm')
	UNION ALL
	SELECT format('sequence %s: %s %s %s %s %s %s', r.relname, format_type(s.seqtypid, NULL), s.seqstart,
				  s.seqincrement, s.seqmax, s.seqmin, s.seqcycle)
	  FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid
	UNION ALL
	-- functions: the whole definition, owner-independent privileges
	SELECT format('function %s: %s acl=%s', p.oid::regprocedure,
				  CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE pg_get_functiondef(p.oid) END, p.proacl)
	  FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
	UNION ALL
	SELECT format('type %s: %s %s', t.oid::regtype, t.typtype,
				  (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
	  FROM pg_type t JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
	UNION ALL
	SELECT format('event trigger %s: %s %s %s %s', e.evtname, e.evtevent, e.evtfoid::regproc, e.evtenabled, e.evttags)
	  FROM pg_event_trigger e JOIN member m ON m.classid = 'pg_event_trigger'::regclass AND m.objid = e.oid
	UNION ALL
	-- comments on every member object and on columns
	SELECT format('comment %s: %s', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description)
	  FROM pg_description d JOIN member m ON m.classid = d.classoid AND m.objid = d.objoid
	UNION ALL
	-- what pg_dump dumps of the extension's tables
	SELECT format('dumped %s: %s', c.oid::regclass, coalesce(cfg.condition, ''))
	  FROM ext, unnest((SELECT extconfig FROM pg_extension WHERE oid = ext.oid),
					   (SELECT extcondition FROM pg_extension WHERE oid = ext.oid)) cfg(oid, condition)
	  JOIN pg_class c ON c.oid = cfg.oid
	UNION ALL
	-- the schema's privileges
	SELECT format('schema %s: acl=%s', n.nspname, n.nspacl)
	  FROM ext JOIN pg_namespace n ON n.oid = ext.extnamespace
)
-- One fact per line: the object ("kind name") and, after a tab, its
-- definition with line breaks written as \n.
SELECT split_part(fact, ': ', 1) || E'\t' ||
	   replace(substr(fact, length(split_part(fact, ': ', 1)) + 3), E'\n', '\n')
  FROM facts ORDER BY fact COLLATE "C";
