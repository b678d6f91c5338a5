-- RETS GetMetadata responses (docs/protocols.md R9): every recorded metadata
-- response of MLSYNC_SHARED_DIR/fixtures/rets parsed, COMPACT (METADATA-SYSTEM's
-- SYSTEM and COMMENTS, the columnar RESOURCE, CLASS, TABLE, LOOKUP,
-- LOOKUP_TYPE, OBJECT tables with their Resource, Class, Lookup, Version and
-- Date) and STANDARD-XML (one element per row), with the parsed values
-- checked, and the same tables in both formats compared.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\i test/helpers/rets_fixtures.sql
SELECT length(pg_temp.fixture('librets/unit/login-valid15.xml')) > 0 AS fixtures_found;

-- parse a fixture as a GetMetadata response, fed in pieces of chunk bytes (NULL: whole)
CREATE FUNCTION pg_temp.metadata(path text, chunk integer DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT mlsync.mls_rets_parse_metadata(r.body, r.content_type,
										  coalesce(chunk, greatest(length(r.body), 1)))
	  FROM pg_temp.recording(path) r
$$;

CREATE TEMP TABLE metadata_fixtures (path text PRIMARY KEY);
INSERT INTO metadata_fixtures VALUES
	('librets/unit/metadata-blank-data.xml'),
	('librets/unit/metadata-class.xml'),
	('librets/unit/metadata-extended-char.xml'),
	('librets/unit/metadata-response.xml'),
	('librets/unit/metadata-system-empty-comments.xml'),
	('librets/unit/metadata-system.xml'),
	('librets/unit/metadata-unknown.xml'),
	('librets/unit/payloadlist-response.xml'),
	('librets/unit/payloadlist-response-error.xml'),
	('librets/unit/payloadlist-response-error-extended.xml'),
	('librets/unit/raw-metadata'),
	('refindly/COMPACT-DECODED/GetMetadata_classes.xml'),
	('refindly/COMPACT-DECODED/GetMetadata_classes_single.xml'),
	('refindly/COMPACT-DECODED/GetMetadata_lookup.xml'),
	('refindly/COMPACT-DECODED/GetMetadata_objects.xml'),
	('refindly/COMPACT-DECODED/GetMetadata_resources.xml'),
	('refindly/COMPACT-DECODED/GetMetadata_system.xml'),
	('refindly/COMPACT-DECODED/GetMetadata_table.xml'),
	('refindly/STANDARD-XML/GetMetadata_classes.xml'),
	('refindly/STANDARD-XML/GetMetadata_lookup.xml'),
	('refindly/STANDARD-XML/GetMetadata_lookup2.xml'),
	('refindly/STANDARD-XML/GetMetadata_objects.xml'),
	('refindly/STANDARD-XML/GetMetadata_objects2.xml'),
	('refindly/STANDARD-XML/GetMetadata_resources.xml'),
	('refindly/STANDARD-XML/GetMetadata_system.xml'),
	('refindly/STANDARD-XML/GetMetadata_table.xml'),
	('refindly/STANDARD-XML/GetMetadata_table2.xml'),
	('refindly/STANDARD-XML/GetMetadata_wildcard.xml'),
	('refindly/Errors/20514.xml'),
	('refindly/Errors/Error_InvalidFormat.xml');
INSERT INTO metadata_fixtures
SELECT 'phrets-flexmls/Integration/Fixtures/Http/' || f
  FROM unnest(ARRAY[
	'get/retsgw.flexmls.com/lookup_rets2_1_GetMetadata/9d3ab35ecd3b097760867c2d7259ed83.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/0c110d39a7815a91b58a68006aa42dbf.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/3f61a38b92bfdb51eaf133bf516b2483.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/4f4529540496ce9bc194500a6d109a2c.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/641d8d7917275a5ad955e16077733535.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/785c884c29c4c4d17deb0fcd89cd5282.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/940a2bcb4240708a30ed3e4abd2a3056.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/9d194ccfcc9edb5a93dea267d1f9c91d.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/9ed93625ec4cad577e42158701ae7b44.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/b3a4345b713492d24315d1f92665d7a6.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/bbe857812f04d9e40c3508c212ab0ebe.txt',
	'get/retsgw.flexmls.com/rets2_1_GetMetadata/df6c017842562b837dd77c23a95c5777.txt',
	'post/retsgw.flexmls.com/rets2_1_GetMetadata/026512d08d8a650c3fe99a4df7d34add.txt',
	'post/retsgw.flexmls.com/rets2_1_GetMetadata/c20c26bddeea7fe09b27bc3c6a225d16.txt',
	'post/retsgw.flexmls.com/rets2_1_GetMetadata/d9883fd2658c0512b0b75a96e217c46f.txt']) f;

CREATE TEMP TABLE parsed AS
SELECT path, regexp_replace(path, '^(.*/)?(librets/unit|refindly|phrets-flexmls/Integration/Fixtures/Http)/', '') AS name,
	   pg_temp.metadata(path) AS m
  FROM metadata_fixtures;

-- one row per table: every response parses, with its tables and row counts
CREATE TEMP TABLE tables AS
SELECT p.name, t.n - 1 AS idx, t.t->>'type' AS type, t.t->>'format' AS format,
	   t.t->'attributes' AS attributes, (t.t->>'row_count')::int AS rows,
	   (t.t->>'skipped')::int AS skipped, t.t->'columns' AS columns, t.t->'rows' AS data
  FROM parsed p, jsonb_array_elements(p.m->'tables') WITH ORDINALITY AS t(t, n);

SELECT name, m->'reply_code' AS code, left(m->>'reply_text', 40) AS reply_text,
	   jsonb_array_length(m->'tables') AS tables,
	   (SELECT string_agg(DISTINCT regexp_replace(type, '^METADATA-', '') || ' ' || format, ', ')
		  FROM tables t WHERE t.name = p.name) AS kinds,
	   (SELECT sum(rows) FROM tables t WHERE t.name = p.name) AS rows,
	   jsonb_array_length(m->'bad_rows') AS bad, m->'error' AS error
  FROM parsed p ORDER BY path;

-- 1-byte and 7-byte chunks give exactly the same result
SELECT name, pg_temp.metadata(path, 1) = m AS same_1_byte, pg_temp.metadata(path, 7) = m AS same_7_bytes
  FROM parsed ORDER BY path;

-- METADATA-SYSTEM, COMPACT: SYSTEM's attributes and COMMENTS make one row;
-- Version kept as sent (with its trailing space); flexmls's hybrid with
-- TimeZoneOffset and an empty <Comments/> element; STANDARD-XML <System>
SELECT name, format, quote_literal(attributes->>'Version') AS version, data
  FROM tables WHERE type = 'METADATA-SYSTEM' ORDER BY name, idx;

-- METADATA-CLASS without a <RETS> wrapper (no reply code), and a blank DATA
-- row skipped as libRETS skips it
SELECT name, attributes->>'Resource' AS resource, rows, skipped,
	   (SELECT array_agg(d->>'ClassName' || coalesce('=' || (d->>'StandardName'), '') ORDER BY d->>'ClassName')
		  FROM jsonb_array_elements(data) d) AS classes
  FROM tables
 WHERE name IN ('metadata-class.xml', 'metadata-blank-data.xml', 'metadata-response.xml')
   AND type = 'METADATA-CLASS'
 ORDER BY name;
SELECT name, m->'reply_code' AS code FROM parsed WHERE name IN ('metadata-class.xml', 'metadata-blank-data.xml') ORDER BY name;

-- an 8-bit byte in a Description (Mac Roman, as in the search fixture), and
-- an unknown METADATA- type, read like the others
SELECT t.name, t.type, t.data->0->>'Description' AS description, p.m->'latin1_bytes' AS latin1_bytes
  FROM tables t JOIN parsed p USING (name)
 WHERE t.name IN ('metadata-extended-char.xml', 'metadata-unknown.xml') ORDER BY t.name;

-- libRETS raw-metadata (the whole tree in one response): every DATA line of
-- the raw text is a row (and SYSTEM one more), the Property resource's
-- KeyField, fields of the Property tables, a lookup's values
SELECT (SELECT count(*) FROM tables WHERE name = 'raw-metadata') AS tables,
	   (SELECT sum(rows + skipped) FROM tables WHERE name = 'raw-metadata' AND type <> 'METADATA-SYSTEM') AS rows,
	   (SELECT count(*) FROM regexp_matches(convert_from(pg_temp.fixture('librets/unit/raw-metadata'), 'UTF8'),
											'<DATA>', 'g')) AS data_lines_in_text;
SELECT type, count(*) AS tables, sum(rows) AS rows
  FROM tables WHERE name = 'raw-metadata' GROUP BY type ORDER BY type;
SELECT d->>'ResourceID' AS resource, d->>'KeyField' AS key_field, d->>'ClassCount' AS classes
  FROM tables, jsonb_array_elements(data) d
 WHERE name = 'raw-metadata' AND type = 'METADATA-RESOURCE' ORDER BY 1;
SELECT attributes->>'Resource' AS resource, attributes->>'Class' AS class, rows,
	   (SELECT d->>'StandardName' || ' ' || (d->>'DataType') || '(' || (d->>'MaximumLength') || ')'
		  FROM jsonb_array_elements(data) d WHERE d->>'SystemName' = 'LP') AS lp,
	   (SELECT string_agg(d->>'SystemName' || ':' || (d->>'LookupName'), ' ' ORDER BY d->>'SystemName')
		  FROM jsonb_array_elements(data) d WHERE d->>'Interpretation' LIKE 'Lookup%') AS lookups
  FROM tables WHERE name = 'raw-metadata' AND type = 'METADATA-TABLE' AND attributes->>'Resource' = 'Property'
 ORDER BY class;
SELECT attributes->>'Resource' AS resource, attributes->>'Lookup' AS lookup,
	   (SELECT array_agg(d->>'Value' || '=' || (d->>'LongValue') ORDER BY d->>'Value') FROM jsonb_array_elements(data) d) AS values
  FROM tables WHERE name = 'raw-metadata' AND type = 'METADATA-LOOKUP_TYPE'
 ORDER BY resource, lookup LIMIT 3;

-- the 1.8 payload list reads as a table too; its errors keep their text
SELECT name, type, attributes, (SELECT array_agg(d->>'PayloadName' || '@' || (d->>'Class')) FROM jsonb_array_elements(data) d) AS payloads
  FROM tables WHERE name = 'payloadlist-response.xml';
SELECT name, m->'reply_code' AS code, m->>'reply_text' AS reply_text, m->>'text' AS text
  FROM parsed WHERE name LIKE 'payloadlist-response-error%' OR name LIKE 'Errors/%' ORDER BY name;

-- refindly COMPACT-DECODED: character references (&#xD;&#xA;, &amp;) decoded
SELECT d->>'ClassName' AS class, d->>'StandardName' AS standard_name, d->>'VisibleName' AS visible_name
  FROM tables, jsonb_array_elements(data) d
 WHERE name = 'COMPACT-DECODED/GetMetadata_classes.xml' ORDER BY 1;
SELECT name, attributes->>'Resource' AS resource, attributes->>'Lookup' AS lookup, rows,
	   (SELECT d->>'Value' || '=' || (d->>'LongValue') || '/' || (d->>'ShortValue')
		  FROM jsonb_array_elements(data) d ORDER BY d->>'Value' LIMIT 1) AS first_value
  FROM tables WHERE type = 'METADATA-LOOKUP_TYPE' AND name LIKE '%/GetMetadata_lookup%' ORDER BY name;
SELECT name, d->>'ResourceID' AS resource, d->>'KeyField' AS key_field
  FROM tables, jsonb_array_elements(data) d
 WHERE type = 'METADATA-RESOURCE' AND d->>'ResourceID' IN ('Property', 'Agent')
 ORDER BY name, resource;
SELECT name, format,
	   (SELECT array_agg(coalesce(d->>'ObjectType', '') || ':' || coalesce(d->>'MIMEType', d->>'MimeType') ORDER BY 1)
		  FROM jsonb_array_elements(data) d) AS objects
  FROM tables WHERE type = 'METADATA-OBJECT' ORDER BY name;

-- the same Property RES table in COMPACT and in STANDARD-XML (one version
-- apart): the same 208 fields with the same types and lookups
WITH compact AS (SELECT d->>'SystemName' AS f, d->>'DataType' AS dt, d->>'LookupName' AS lk, d->>'MaximumLength' AS len
				   FROM tables, jsonb_array_elements(data) d WHERE name = 'COMPACT-DECODED/GetMetadata_table.xml'),
	 std AS (SELECT d->>'SystemName' AS f, d->>'DataType' AS dt, d->>'LookupName' AS lk, d->>'MaximumLength' AS len
			   FROM tables, jsonb_array_elements(data) d WHERE name = 'STANDARD-XML/GetMetadata_table2.xml')
SELECT (SELECT count(*) FROM compact) AS compact_fields, (SELECT count(*) FROM std) AS xml_fields,
	   NOT EXISTS ((SELECT * FROM compact EXCEPT SELECT * FROM std) UNION ALL
				   (SELECT * FROM std EXCEPT SELECT * FROM compact)) AS same_fields,
	   (SELECT f || ' ' || dt || ' ' || len FROM compact WHERE f = 'Acres') AS acres;

-- flexmls STANDARD-XML: both spellings of lookup rows (<Lookup>, <LookupType>)
SELECT name, attributes->>'Lookup' AS lookup,
	   (SELECT array_agg(d->>'Value' || '=' || (d->>'LongValue') ORDER BY d->>'Value') FROM jsonb_array_elements(data) d) AS values
  FROM tables WHERE type = 'METADATA-LOOKUP_TYPE' AND name LIKE '%flexmls.com%' ORDER BY name;
-- flexmls classes and resources, and a field of the 313-field table
SELECT (SELECT array_agg(d->>'ClassName' || '=' || (d->>'StandardName') ORDER BY d->>'ClassName')
		  FROM tables, jsonb_array_elements(data) d WHERE type = 'METADATA-CLASS' AND name LIKE '%9ed93625ec4cad577e42158701ae7b44.txt') AS classes,
	   (SELECT array_agg(d->>'ResourceID' || ':' || (d->>'KeyField') ORDER BY d->>'ResourceID')
		  FROM tables, jsonb_array_elements(data) d WHERE type = 'METADATA-RESOURCE' AND name LIKE '%b3a4345b713492d24315d1f92665d7a6.txt') AS resources;
SELECT attributes->>'Class' AS class, rows,
	   (SELECT d->>'LongName' || ' ' || (d->>'DataType') || ' ' || (d->>'MaximumLength') FROM jsonb_array_elements(data) d
		 WHERE d->>'SystemName' = 'LIST_22') AS list_22
  FROM tables WHERE name LIKE '%bbe857812f04d9e40c3508c212ab0ebe.txt';
-- an empty <METADATA></METADATA> answer: no table, no error
SELECT m->'reply_code' AS code, m->'tables' AS tables, m->'error' AS error
  FROM parsed WHERE name LIKE '%0c110d39a7815a91b58a68006aa42dbf.txt';

-- refindly's wildcard STANDARD-XML: 40 lookups in one response
SELECT count(*) AS lookup_tables, sum(rows) AS values,
	   (SELECT rows FROM tables WHERE name = 'STANDARD-XML/GetMetadata_wildcard.xml' AND attributes->>'Lookup' = 'City') AS cities
  FROM tables WHERE name = 'STANDARD-XML/GetMetadata_wildcard.xml';
