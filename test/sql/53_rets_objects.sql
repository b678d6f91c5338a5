-- RETS GetObject responses (docs/protocols.md R8): every recorded one parsed,
-- multipart and single, with their part ids, content types, descriptions,
-- Location URLs, RETS 1.8 ObjectData, per-part ReplyCodes and the exact
-- bytes of each object; the quirks of real servers (quoted boundaries with
-- spaces, a charset after the boundary, no CRLF before the first boundary,
-- bare LF line ends, header names in any case and without a space after the
-- colon, descriptions continued on following lines).
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\set VERBOSITY terse
\i test/helpers/rets_fixtures.sql
SELECT length(pg_temp.fixture('librets/unit/login-valid15.xml')) > 0 AS fixtures_found;

-- split a recording into header lines and body: librets's start with a
-- status code line, flexmls's with an HTTP status line; the body follows the
-- first CRLF CRLF or LF LF
CREATE FUNCTION pg_temp.split(raw bytea, OUT headers text, OUT content_type text, OUT body bytea)
LANGUAGE plpgsql AS $$
DECLARE
	crlf int := position('\x0d0a0d0a'::bytea in raw);
	lf int := position('\x0a0a'::bytea in raw);
	hend int;
BEGIN
	IF crlf > 0 AND (lf = 0 OR crlf < lf) THEN
		hend := crlf;
		body := substring(raw from crlf + 4);
	ELSE
		hend := lf;
		body := substring(raw from lf + 2);
	END IF;
	headers := convert_from(substring(raw from 1 for hend), 'SQL_ASCII');
	content_type := (regexp_match(headers, '(?in)^content-type:[ \t]*([^\r\n]*)'))[1];
	headers := regexp_replace(headers, '^[^\n]*\n', '');	-- the status line
END $$;

-- parse a recorded GetObject response, fed in pieces of chunk bytes (NULL: whole)
CREATE FUNCTION pg_temp.objects(path text, chunk integer DEFAULT NULL)
RETURNS SETOF record
LANGUAGE sql AS $$
	SELECT o.*
	  FROM pg_temp.split(pg_temp.fixture(path)) s,
		   mlsync.mls_rets_parse_objects(s.body, s.content_type, s.headers,
										 coalesce(chunk, greatest(length(s.body), 1))) o
$$;

CREATE TEMP TABLE object_fixtures (path text PRIMARY KEY);
INSERT INTO object_fixtures
SELECT 'librets/unit/get-object-response-' || f || '.txt'
  FROM unnest(ARRAY['cris', 'multi-location', 'multi-malformed', 'multi-rets1-8', 'no-object-variman',
					'no-object', 'normls', 'rapattoni', 'single-empty-headers', 'single-location',
					'single-no-headers', 'single-rets1-8', 'single']) f;
INSERT INTO object_fixtures
SELECT 'phrets-flexmls/Integration/Fixtures/Http/get/retsgw.flexmls.com/rets2_1_GetObject/' || f
  FROM unnest(ARRAY['204749e19efea78e43edf1f3333ee44b.txt', '27e68249f6feeb17925a7af12c75e3e9.txt',
					'bc184498e2ca6712c7c2e8f5a4cec90e.txt']) f;

CREATE TEMP TABLE parts AS
SELECT regexp_replace(f.path, '^.*/(get-object-response-)?', '') AS name, o.*
  FROM object_fixtures f,
	   pg_temp.objects(f.path) AS o(part integer, content_type text, content_id text, object_id text,
									description text, sub_description text, location text,
									preferred boolean, reply_code integer, reply_text text,
									object_data jsonb, headers jsonb, size bigint, data bytea);

-- every response: its objects
SELECT name, count(*) AS parts, string_agg(DISTINCT content_type, ', ') AS content_types,
	   string_agg(DISTINCT content_id, ', ') AS content_ids,
	   string_agg(object_id, ',' ORDER BY part) AS object_ids,
	   sum(size) AS bytes, count(*) FILTER (WHERE location IS NOT NULL) AS locations,
	   string_agg(reply_code::text, ',' ORDER BY part) AS reply_codes
  FROM parts GROUP BY name ORDER BY name;

-- fed 1 byte and 7 bytes at a time, every response gives the same objects, byte for byte
SELECT regexp_replace(f.path, '^.*/(get-object-response-)?', '') AS name,
	   (SELECT md5(string_agg(md5(o::text), '' ORDER BY o.part))
		  FROM pg_temp.objects(f.path, 1) AS o(part integer, content_type text, content_id text, object_id text,
											   description text, sub_description text, location text,
											   preferred boolean, reply_code integer, reply_text text,
											   object_data jsonb, headers jsonb, size bigint, data bytea)) =
	   (SELECT md5(string_agg(md5(o::text), '' ORDER BY o.part))
		  FROM pg_temp.objects(f.path) AS o(part integer, content_type text, content_id text, object_id text,
											description text, sub_description text, location text,
											preferred boolean, reply_code integer, reply_text text,
											object_data jsonb, headers jsonb, size bigint, data bytea)) AS same_1_byte,
	   (SELECT md5(string_agg(md5(o::text), '' ORDER BY o.part))
		  FROM pg_temp.objects(f.path, 7) AS o(part integer, content_type text, content_id text, object_id text,
											   description text, sub_description text, location text,
											   preferred boolean, reply_code integer, reply_text text,
											   object_data jsonb, headers jsonb, size bigint, data bytea)) =
	   (SELECT md5(string_agg(md5(o::text), '' ORDER BY o.part))
		  FROM pg_temp.objects(f.path) AS o(part integer, content_type text, content_id text, object_id text,
											description text, sub_description text, location text,
											preferred boolean, reply_code integer, reply_text text,
											object_data jsonb, headers jsonb, size bigint, data bytea)) AS same_7_bytes
  FROM object_fixtures f ORDER BY 1;

-- single objects: described by the response headers; the GIF is exactly
-- libRETS's abc123-1.gif; empty headers stay empty, absent ones are null
SELECT name, content_type, quote_nullable(content_id) AS content_id, quote_nullable(object_id) AS object_id,
	   description, sub_description, location, preferred, object_data, size,
	   data = pg_temp.fixture('librets/unit/abc123-1.gif') AS is_abc123_gif
  FROM parts WHERE name LIKE 'single%' ORDER BY name;

-- no object: a plain XML body with its ReplyCode, under any charset
SELECT name, part, content_type, reply_code, reply_text, size
  FROM parts WHERE name LIKE 'no-object%' ORDER BY name;

-- Location=1: empty bodies, the URL in the Location header; a missing CRLF
-- before the first boundary changes nothing; lower-case Content-type
SELECT name, part, content_type, content_id, object_id, description, location, size
  FROM parts WHERE name IN ('multi-location.txt', 'multi-malformed.txt') ORDER BY name, part;
SELECT (SELECT jsonb_agg(to_jsonb(p) - 'name' ORDER BY p.part) FROM parts p WHERE name = 'multi-location.txt') =
	   (SELECT jsonb_agg(to_jsonb(p) - 'name' ORDER BY p.part) FROM parts p WHERE name = 'multi-malformed.txt')
	   AS malformed_reads_the_same;

-- RETS 1.8: ObjectData headers, Preferred, a 20403 part among the objects
SELECT part, content_type, object_id, description, sub_description, preferred, reply_code, reply_text,
	   size, data = pg_temp.fixture('librets/unit/abc123-1.gif') AS is_abc123_gif
  FROM parts WHERE name = 'multi-rets1-8.txt' ORDER BY part;
SELECT part, d.key, d.value
  FROM parts, jsonb_each_text(object_data) d
 WHERE name = 'multi-rets1-8.txt' AND part IN (1, 2) AND d.key IN ('ObjectID', 'IsDefault', 'OrderHint', 'X-Custom', 'PropMediaCaption')
 ORDER BY part, d.key;
SELECT (SELECT count(*) FROM jsonb_object_keys(object_data)) AS object_data_entries
  FROM parts WHERE name = 'multi-rets1-8.txt' AND part = 1;

-- JPEG parts: every Rapattoni and flexmls part starts with the JPEG SOI
-- marker and ends with EOI; each part's bytes sit in the body right before
-- the next delimiter
SELECT name, count(*) AS parts,
	   bool_and(substring(data from 1 for 3) = '\xffd8ff'::bytea) AS jpeg_start,
	   bool_and(substring(data from length(data) - 1) = '\xffd9'::bytea) AS jpeg_end,
	   min(size) AS smallest, max(size) AS largest
  FROM parts WHERE name IN ('rapattoni.txt', '204749e19efea78e43edf1f3333ee44b.txt') GROUP BY name ORDER BY name;
SELECT p.part, p.size,
	   substring(s.body from position(p.data in s.body) + length(p.data) for 19) = '\x0d0a2d2d73696d706c6520626f756e64617279'::bytea
	   AS followed_by_delimiter
  FROM parts p, pg_temp.split(pg_temp.fixture('librets/unit/get-object-response-rapattoni.txt')) s
 WHERE p.name = 'rapattoni.txt' ORDER BY p.part;
SELECT part, object_id, description, preferred, size
  FROM parts WHERE name = '204749e19efea78e43edf1f3333ee44b.txt' AND part IN (1, 2, 22) ORDER BY part;

-- CRIS: header names without a space after ':', descriptions continued on
-- lines of their own (kept, joined by newlines), Description for
-- Content-Description
SELECT part, object_id, description
  FROM parts WHERE name = 'cris.txt' AND part IN (1, 2, 14, 24) ORDER BY part;
SELECT count(*) AS parts, count(DISTINCT object_id) AS object_ids, sum(size) AS bytes,
	   bool_and(content_type = 'image/jpeg') AS all_jpeg
  FROM parts WHERE name = 'cris.txt';
-- NORMLS: six JPEGs, each followed by CRLF in the body (kept: it is before the delimiter's CRLF)
SELECT part, object_id, size, encode(substring(data from length(data) - 1), 'hex') AS last_bytes
  FROM parts WHERE name = 'normls.txt' ORDER BY part;

-- flexmls: Location=1 answered with an XML part (ReplyCode 0, Location),
-- and a single object that is only a Location
SELECT name, content_type, content_id, object_id, description, location, preferred, reply_code, reply_text, size
  FROM parts WHERE name IN ('27e68249f6feeb17925a7af12c75e3e9.txt', 'bc184498e2ca6712c7c2e8f5a4cec90e.txt')
 ORDER BY name;

-- refindly: bodies recorded without their headers; the boundary comes from
-- the Content-Type the test gives
SELECT part, content_id, object_id, reply_code, reply_text, size
  FROM mlsync.mls_rets_parse_objects(pg_temp.fixture('refindly/GetObject_multipart.byte'),
									 'multipart/parallel; boundary=24cbd0e0afd2589bb9dcb1f34cf19862') o
 ORDER BY part;
-- bare LF line ends, 41 Location parts, the preferred one first
SELECT count(*) AS parts, count(*) FILTER (WHERE preferred) AS preferred, min(object_id::int) AS first_id,
	   max(object_id::int) AS last_id, bool_and(location LIKE 'http://cdn.resize.sparkplatform.com/%') AS all_located,
	   sum(size) AS bytes, (array_agg(description ORDER BY part))[1:3] AS descriptions
  FROM mlsync.mls_rets_parse_objects(pg_temp.fixture('refindly/GetObject_multipart_Location1.byte'),
									 'multipart/parallel; boundary="FLEXLIAsmcpmiKpZ3uhewHnpQUlQNYzuNzPeUi0PIqCAxzgSRkpypX"', NULL, 13) o;
SELECT part, content_type, size, data = pg_temp.fixture('refindly/GetObject.byte') AS whole_body
  FROM mlsync.mls_rets_parse_objects(pg_temp.fixture('refindly/GetObject.byte'), 'image/jpeg', E'Content-ID: 1\r\nObject-ID: 1') o;
-- PHRETS's fixture is a PHP string literal: its escapes decode as JSON's
SELECT part, object_id, description, location, preferred
  FROM mlsync.mls_rets_parse_objects(convert_to(pg_read_file(current_setting('test.fixtures') || '/phrets-flexmls/Fixtures/GetObject/Multiple1.txt')::jsonb #>> '{}', 'UTF8'),
									 'multipart/parallel; boundary=FLEXeTNY6TFTGAwV1agjJsFyFogbnfoS1dm6y489g08F2TjwZWzQEW') o
 ORDER BY part;

-- an HTTP 500 with a text body is one text object (the HTTP status is the caller's business)
SELECT o.part, o.content_type, convert_from(o.data, 'UTF8') AS text
  FROM pg_temp.split(pg_temp.fixture('librets/unit/invalid-http-response.txt')) s,
	   mlsync.mls_rets_parse_objects(s.body, s.content_type, s.headers) o;
-- an XML error sent under a multipart type, without any boundary
SELECT part, content_type, reply_code, reply_text
  FROM mlsync.mls_rets_parse_objects(convert_to('<RETS ReplyCode="20403" ReplyText="No Object Found"/>', 'UTF8'),
									 'multipart/parallel; boundary="b"') o;
-- the last headers block counts (after a redirect), folded header lines join with a space
SELECT part, content_id, description, headers
  FROM mlsync.mls_rets_parse_objects('\x4749463839'::bytea, 'image/gif',
									 E'HTTP/1.1 302 Found\r\nContent-ID: old\r\nHTTP/1.1 200 OK\r\nContent-ID: K1\r\nContent-Description: a\r\n  folded line\r\n') o;

-- broken responses are errors, not silently short lists
SELECT * FROM mlsync.mls_rets_parse_objects(convert_to(E'--b\r\nContent-ID: 1\r\n\r\nabc', 'UTF8'), 'multipart/parallel; boundary=b');
SELECT * FROM mlsync.mls_rets_parse_objects(convert_to(E'--b\r\nContent-ID: 1\r\n', 'UTF8'), 'multipart/parallel; boundary=b');
SELECT * FROM mlsync.mls_rets_parse_objects(convert_to('just some text', 'UTF8'), 'multipart/parallel; boundary=b');
SELECT * FROM mlsync.mls_rets_parse_objects(convert_to('x', 'UTF8'), 'multipart/parallel');
SELECT * FROM mlsync.mls_rets_parse_objects(convert_to('x', 'UTF8'), 'image/jpeg', NULL, 0);
-- a boundary string inside data that is not followed by a line end is data
SELECT part, convert_from(data, 'UTF8') AS data
  FROM mlsync.mls_rets_parse_objects(convert_to(E'--b\r\n\r\nx\r\n--bz\r\n--b--\r\n', 'UTF8'), 'multipart/mixed; boundary=b');
