-- RETS Search responses (docs/protocols.md R5, R6): every recorded search of
-- MLSYNC_SHARED_DIR/fixtures/rets parsed, and the parsed values checked: reply codes,
-- COUNT, DELIMITER, COLUMNS, cells, MAXROWS and 20208 truncation, 20201,
-- error text, encodings.  Every response is also fed in 1-byte and 7-byte
-- chunks and must give exactly what the whole body gives.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\i test/helpers/rets_fixtures.sql
SELECT length(pg_temp.fixture('librets/unit/login-valid15.xml')) > 0 AS fixtures_found;

-- parse a fixture (a raw HTTP recording when it starts with HTTP/), with the
-- Content-Type of the recording, fed in pieces of chunk bytes (NULL: whole)
CREATE FUNCTION pg_temp.search(path text, chunk integer DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT mlsync.mls_rets_parse_search(r.body, r.content_type,
										coalesce(chunk, greatest(length(r.body), 1))) - 'peak_memory'
	  FROM pg_temp.recording(path) r
$$;

CREATE TEMP TABLE search_fixtures (path text PRIMARY KEY);
INSERT INTO search_fixtures VALUES
	('librets/unit/raw-search'),
	('librets/unit/search-response.xml'),
	('librets/unit/search-response-error.xml'),
	('librets/unit/search-response-error-extended.xml'),
	('librets/unit/search-response-extended-char.xml'),
	('librets/unit/search-response-extended-utf8.xml'),
	('librets/unit/search-response-no-count.xml'),
	('librets/unit/search-response-no-final-tab.xml'),
	('librets/unit/search-response-no-leading-tab.xml'),
	('librets/unit/search-response-no-records.xml'),
	('librets/unit/search-response-pipe.xml'),
	('librets/unit/search-response-single-column.xml'),
	('refindly/COMPACT-DECODED/Search.xml'),
	('refindly/COMPACT-DECODED/Search_1of2.xml'),
	('refindly/COMPACT-DECODED/Search_2of2.xml');
INSERT INTO search_fixtures
SELECT 'phrets-flexmls/Integration/Fixtures/Http/' || m || '/retsgw.flexmls.com/rets2_1_Search/' || f
  FROM (VALUES ('get', '1aa3b4454404b11492369cc3f2b95e8f.txt'), ('get', '5836410b43446216e8b33c787d798441.txt'),
			   ('get', '71fb8c90d106cf1f88c5687044918787.txt'), ('get', '7580aa7ffcd519406def9899f7efbb41.txt'),
			   ('get', '772dbb6548885978fd7b656175e0b817.txt'), ('get', '77bebac441fa391975e56cb720f2d7e7.txt'),
			   ('get', '90471d12722b9f16e7568920b861cf1f.txt'), ('get', 'c0296526b8e1e8954a8001dbb85b01ea.txt'),
			   ('get', 'e9f250f06854ab0e94b017681e91c7bd.txt'), ('get', 'f065035031b4ce43d3e5374517306e20.txt'),
			   ('get', 'f07c8bc25411e40b67847cef66883ab5.txt'), ('get', 'f32d4206aad8af73adadb03e5b066e0e.txt'),
			   ('post', '1a8858c3dc1b01aff879cb7fcb2ca735.txt'), ('post', '49cf00533b92c63d4bd49e662ce6373f.txt'),
			   ('post', 'a269afc17b7b356d4f9179dd107e14a7.txt')) v(m, f);

CREATE TEMP TABLE parsed AS
SELECT path, regexp_replace(path, '^.*/', '') AS name, pg_temp.search(path) AS r
  FROM search_fixtures;

-- every recording parses without error; its summary
SELECT name, r->'reply_code' AS code, r->'count' AS count, r->>'delimiter' AS delim,
	   r->'delimiter_sent' AS sent, jsonb_array_length(r->'columns') AS columns,
	   r->'row_count' AS rows, jsonb_array_length(r->'bad_rows') AS bad,
	   r->'maxrows' AS maxrows, r->'truncated' AS truncated, r->'no_records' AS none,
	   r->>'encoding' AS encoding, r->'error' AS error
  FROM parsed ORDER BY path;

-- the same body fed one byte at a time, and seven bytes at a time, gives
-- exactly the same result
SELECT name, pg_temp.search(path, 1) = r AS same_1_byte, pg_temp.search(path, 7) = r AS same_7_bytes
  FROM parsed ORDER BY path;

\x on
-- libRETS search-response.xml: COUNT, MAXROWS and RETS-STATUS 20208
SELECT r->'reply_code' AS reply_code, r->>'reply_text' AS reply_text, r->'count' AS count,
	   r->'columns' AS columns, r->'rows' AS rows, r->'maxrows' AS maxrows,
	   r->'status_code' AS status_code, r->>'status_text' AS status_text, r->'truncated' AS truncated
  FROM parsed WHERE name = 'search-response.xml';
\x off

-- no leading delimiter, no final delimiter, no COUNT: the same columns and rows
SELECT name, r->'columns' = (SELECT r->'columns' FROM parsed WHERE name = 'search-response.xml') AS same_columns,
	   r->'rows' = (SELECT r->'rows' FROM parsed WHERE name = 'search-response.xml') AS same_rows,
	   r->'count' AS count
  FROM parsed
 WHERE name IN ('search-response-no-leading-tab.xml', 'search-response-no-final-tab.xml', 'search-response-no-count.xml')
 ORDER BY name;

-- DELIMITER 7C (pipe)
SELECT r->>'delimiter' AS delimiter, r->'columns' AS columns, r->'rows' AS rows
  FROM parsed WHERE name = 'search-response-pipe.xml';

-- one column, and a row whose only field is empty
SELECT r->'count' AS count, r->'rows' AS rows
  FROM parsed WHERE name = 'search-response-single-column.xml';

-- 20201 is an empty result, not an error; errors keep their text
SELECT name, r->'reply_code' AS code, r->>'reply_text' AS reply_text, r->'no_records' AS no_records,
	   r->'rows' AS rows, r->>'text' AS text, r->'error' AS error
  FROM parsed
 WHERE name IN ('search-response-no-records.xml', 'search-response-error.xml',
				'search-response-error-extended.xml', 'f065035031b4ce43d3e5374517306e20.txt')
 ORDER BY name;

-- characters: a UTF-8 body, and one in an 8-bit charset without a
-- declaration.  The latter's bytes (0x9C 0x96) are the Mac Roman "úñ" of
-- "Núñez": libRETS reads them as ISO-8859-1 C1 controls, mlsync as
-- windows-1252, counting two bytes that were not UTF-8; the record is kept
-- and the value is valid UTF-8 either way.
SELECT name, r->'rows'->0->>'LastName' AS last_name, r->'latin1_bytes' AS latin1_bytes,
	   r->>'encoding' AS encoding
  FROM parsed WHERE name LIKE 'search-response-extended-%' ORDER BY name;
-- the HTTP charset decides when given: declared ISO-8859-1 there is no guess
SELECT r->'rows'->0->>'LastName' AS last_name, r->'latin1_bytes' AS latin1_bytes, r->>'encoding' AS encoding
  FROM (SELECT mlsync.mls_rets_parse_search(pg_temp.fixture('librets/unit/search-response-extended-char.xml'),
											'text/xml; charset=ISO-8859-1') AS r) s;
-- and declared ISO-8859-1, UTF-8 bytes are read as ISO-8859-1 (mojibake, as declared)
SELECT r->'rows'->0->>'LastName' AS last_name, r->>'encoding' AS encoding
  FROM (SELECT mlsync.mls_rets_parse_search(pg_temp.fixture('librets/unit/search-response-extended-utf8.xml'),
											'text/xml;charset="iso-8859-1"') AS r) s;

-- libRETS raw-search: 160 rows (LN000000 comes twice); the parsed keys and
-- prices are exactly, in order, the ones a regular expression finds in the
-- raw text
WITH p AS (SELECT n, e->>'ListingID' AS id, (e->>'ListPrice')::int AS price, e->>'Beds' AS beds, e->>'City' AS city
			 FROM parsed, jsonb_array_elements(r->'rows') WITH ORDINALITY AS a(e, n) WHERE name = 'raw-search'),
	 raw AS (SELECT n, m[1] AS id, m[2]::int AS price
			   FROM regexp_matches(convert_from(pg_temp.fixture('librets/unit/raw-search'), 'UTF8'),
								   '<DATA>\t(LN[0-9]+)\t([0-9]+)\t', 'g') WITH ORDINALITY AS a(m, n))
SELECT (SELECT count(*) FROM p) AS parsed_rows,
	   (SELECT count(DISTINCT id) FROM p) AS distinct_ids,
	   (SELECT min(id) || '..' || max(id) FROM p) AS id_range,
	   (SELECT array_agg(id || '=' || price ORDER BY n) FROM p) =
	   (SELECT array_agg(id || '=' || price ORDER BY n) FROM raw) AS same_as_regex,
	   (SELECT array_agg(DISTINCT city) FROM p) AS cities,
	   (SELECT array_agg(DISTINCT beds ORDER BY beds) FROM p) AS beds;

-- flexmls: a response without DELIMITER (TAB), COUNT 40 and MAXROWS
SELECT r->'count' AS count, r->'delimiter_sent' AS delimiter_sent, r->'columns' AS columns,
	   r->'rows'->0 AS first_row, r->'rows'->14 AS last_row, r->'truncated' AS truncated
  FROM parsed WHERE name = '1aa3b4454404b11492369cc3f2b95e8f.txt';

-- flexmls paging: three pages of 15, 15 and 10 rows hold COUNT's 40 distinct keys
SELECT count(*) AS rows, count(DISTINCT e->>'LIST_1') AS distinct_keys,
	   (SELECT r->'count' FROM parsed WHERE name = '77bebac441fa391975e56cb720f2d7e7.txt') AS count
  FROM parsed, jsonb_array_elements(r->'rows') e
 WHERE name IN ('77bebac441fa391975e56cb720f2d7e7.txt', 'c0296526b8e1e8954a8001dbb85b01ea.txt',
				'71fb8c90d106cf1f88c5687044918787.txt');

-- flexmls: nine columns, empty last fields kept as empty strings, never trimmed
SELECT r->'columns' AS columns, r->'rows'->1 AS second_row
  FROM parsed WHERE name = '772dbb6548885978fd7b656175e0b817.txt';
SELECT r->'rows' AS rows FROM parsed WHERE name = '7580aa7ffcd519406def9899f7efbb41.txt';

-- refindly: Matrix COMPACT-DECODED, 208 columns, DELIMITER value = "09"
-- with spaces around '=', lookups decoded and comma-joined, entities decoded
SELECT name, r->'count' AS count, r->>'delimiter' AS delimiter, r->'delimiter_sent' AS sent,
	   jsonb_array_length(r->'columns') AS columns,
	   (SELECT array_agg(e->>'MLSNumber' ORDER BY e->>'MLSNumber') FROM jsonb_array_elements(r->'rows') e) AS mls_numbers,
	   r->'truncated' AS truncated
  FROM parsed WHERE name LIKE 'Search%' ORDER BY name;
SELECT e->>'MLSNumber' AS mls_number, e->>'City' AS city, e->>'ListPrice' AS list_price,
	   e->>'Amenities' AS amenities
  FROM parsed, jsonb_array_elements(r->'rows') e WHERE name = 'Search.xml' ORDER BY 1;
SELECT e->>'MLSNumber' AS mls_number,
	   e->>'PropertyInformation' LIKE '%Lake & Golf Course%Ladies & Gentlemen''s Locker Rooms%' AS entities_decoded
  FROM parsed, jsonb_array_elements(r->'rows') e
 WHERE name = 'Search.xml' AND e->>'PropertyInformation' LIKE '%Gentlemen%';
-- empty fields stay empty strings: as many as string_to_array finds in the raw DATA lines
SELECT (SELECT count(*) FILTER (WHERE v = '')
		  FROM parsed, jsonb_array_elements(r->'rows') e, jsonb_each_text(e) f(k, v)
		 WHERE name = 'Search.xml') AS empty_fields,
	   (SELECT count(*) FILTER (WHERE v = '')
		  FROM regexp_matches(convert_from(pg_temp.fixture('refindly/COMPACT-DECODED/Search.xml'), 'UTF8'),
							  '<DATA>\t(.*)\t</DATA>', 'g') m,
			   unnest(string_to_array(m[1], E'\t')) v) AS empty_in_raw_text;
