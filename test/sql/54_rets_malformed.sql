-- Hostile and broken RETS responses (docs/features.md "Bad input"): control
-- characters and character references XML forbids replaced with U+FFFD and
-- counted, the record kept; bare ampersands and unknown entities kept as
-- text; no entity ever expanded (billion laughs, external entities); bodies
-- in 8-bit charsets; truncated, unterminated, empty and non-XML bodies;
-- rows that do not match COLUMNS; a 10 MB row; the row size limit; memory
-- that stays flat whatever the size of the response; and every case fed in
-- pieces of every small size giving the same result.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never

-- a body from text: '~' stands for TAB, the default delimiter
CREATE FUNCTION pg_temp.body(t text) RETURNS bytea
LANGUAGE sql AS $$ SELECT convert_to(replace(t, '~', E'\t'), 'UTF8') $$;

-- the parts of a parse worth showing
CREATE FUNCTION pg_temp.show(r jsonb) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object('rows', r->'rows', 'bad_rows', nullif(r->'bad_rows', '[]'),
						  'replaced', nullif(r->'replaced', '0'), 'latin1_bytes', nullif(r->'latin1_bytes', '0'),
						  'escaped_ampersands', nullif(r->'escaped_ampersands', '0'),
						  'encoding', r->'encoding', 'error', r->'error'))
$$;

CREATE TEMP TABLE cases (name text PRIMARY KEY, body bytea, content_type text);
INSERT INTO cases VALUES
	('control characters',
	 pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~A~B~</COLUMNS><DATA>~bell' || chr(7) || 'x~' || chr(27) || '[0m~</DATA><DATA>~ok~fine~</DATA></RETS>'), NULL),
	('NUL byte', '\x3c5245545320 5265706c79436f64653d2230223e3c434f4c554d4e533e0941093c2f434f4c554d4e533e3c444154413e0961006209 3c2f444154413e3c2f524554533e'::bytea, NULL),
	('forbidden character references',
	 pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~A~B~</COLUMNS><DATA>~x&#1;y~&#xFFFE;&#0;&#xD800;&#x110000;&#99999999999;~</DATA></RETS>'), NULL),
	('allowed character references',
	 pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~A~</COLUMNS><DATA>~&#65;&#x42;&#xe9;&#x1F3E0;&#13;&#10;x~</DATA></RETS>'), NULL),
	('a delimiter written as a character reference still splits (as in libRETS)',
	 pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~A~B~</COLUMNS><DATA>~a&#9;b~</DATA></RETS>'), NULL),
	('ampersands',
	 pg_temp.body('<RETS ReplyCode="0" ReplyText="Tom &amp; Jerry & Co"><COLUMNS>~A~B~</COLUMNS><DATA>~Smith & Sons~&nbsp;&copy; &lt;&amp;&quot;&apos;&gt; &# &#x; AT&T&~</DATA></RETS>'), NULL),
	('billion laughs',
	 pg_temp.body('<!DOCTYPE RETS [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><RETS ReplyCode="0"><COLUMNS>~A~</COLUMNS><DATA>~&c;~</DATA></RETS>'), NULL),
	('external entity',
	 pg_temp.body('<!DOCTYPE RETS [<!ENTITY x SYSTEM "file:///etc/passwd">]><RETS ReplyCode="0"><COLUMNS>~A~</COLUMNS><DATA>~&x;~</DATA></RETS>'), NULL),
	('CDATA',
	 pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~A~B~</COLUMNS><DATA><![CDATA[~a & b &#1; ]] > ~<c>~]]></DATA></RETS>'), NULL),
	('"]]>" in text and attribute values',
	 pg_temp.body('<RETS ReplyCode="0" ReplyText="a]]>b"><COLUMNS>~A~</COLUMNS><DATA>~' || repeat('é', 160) || ']]>x]]]>~</DATA></RETS>'), NULL),
	('undeclared ISO-8859-1',
	 '\x3c5245545320 5265706c79436f64653d2230223e3c434f4c554d4e533e0941093c2f434f4c554d4e533e3c444154413e094d6f6e7472e9616c2c2047e9726172642c20939194093c2f444154413e3c2f524554533e'::bytea, NULL),
	('invalid UTF-8 among UTF-8',
	 '\x3c5245545320 5265706c79436f64653d2230223e3c434f4c554d4e533e0941093c2f434f4c554d4e533e3c444154413e09c3a92dc3282de282ac2defbfbe2df09f8fa02ded9fbf09 3c2f444154413e3c2f524554533e'::bytea, NULL),
	('declared ISO-8859-1',
	 '\x3c3f786d6c2076657273696f6e3d22312e302220656e636f64696e673d2269736f2d383835392d31223f3e3c5245545320 5265706c79436f64653d2230223e3c434f4c554d4e533e0941093c2f434f4c554d4e533e3c444154413e09e9e08081093c2f444154413e3c2f524554533e'::bytea, NULL),
	('BOM and whitespace before the declaration',
	 '\xefbbbf0d0a20203c3f786d6c2076657273696f6e3d22312e30223f3e3c5245545320 5265706c79436f64653d2230222f3e'::bytea, NULL),
	('values never trimmed, line ends normalized',
	 pg_temp.body(E'<RETS ReplyCode="0"><COLUMNS>~A~B~</COLUMNS><DATA>~  padded  ~line1\r\nline2&#13;~</DATA></RETS>'), NULL),
	('rows that do not match COLUMNS',
	 pg_temp.body('<RETS ReplyCode="0"><DELIMITER value = " 7c "/><COLUMNS>|A|B|</COLUMNS><DATA>|1|2|</DATA><DATA>|1|2|3|</DATA><DATA>|1|</DATA><DATA>|3|4|</DATA><DATA></DATA></RETS>'), NULL),
	('DATA before COLUMNS',
	 pg_temp.body('<RETS ReplyCode="0"><DATA>~1~</DATA><COLUMNS>~A~</COLUMNS><DATA>~2~</DATA></RETS>'), NULL),
	('one-digit DELIMITER', pg_temp.body('<RETS ReplyCode="0"><DELIMITER value="9"/><COLUMNS>~A~</COLUMNS><DATA>~1~</DATA></RETS>'), NULL),
	('truncated inside a tag', pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~A~</COLUMNS><DATA>~1~</DATA><DATA>~2~</DA'), NULL),
	('unterminated DATA', pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~A~</COLUMNS><DATA>~1~</DATA><DATA>~2~'), NULL),
	('empty body', ''::bytea, NULL),
	('not XML', pg_temp.body('Service Unavailable'), NULL),
	('HTML page', pg_temp.body('<!DOCTYPE html><html><body>Error</body></html>'), NULL),
	('UTF-16', '\xfffe3c005200'::bytea, NULL),
	('two roots', pg_temp.body('<RETS ReplyCode="0"/><RETS ReplyCode="0"/>'), NULL),
	('bad ReplyCode', pg_temp.body('<RETS ReplyCode="OK"/>'), NULL),
	('bad DELIMITER', pg_temp.body('<RETS ReplyCode="0"><DELIMITER value="0A"/></RETS>'), NULL),
	('bad COUNT', pg_temp.body('<RETS ReplyCode="0"><COUNT Records="many"/></RETS>'), NULL),
	('STANDARD-XML search', pg_temp.body('<RETS ReplyCode="0"><RETS-RESPONSE><Listing/></RETS-RESPONSE></RETS>'), NULL),
	('unknown charset', pg_temp.body('<RETS ReplyCode="0"/>'), 'text/xml; charset=koi8-r');

-- what each case gives
SELECT name, pg_temp.show(mlsync.mls_rets_parse_search(body, content_type, greatest(length(body), 1))) AS result
  FROM cases ORDER BY name;

-- every case fed in pieces of 1, 2, 3, 5 and 13 bytes, and in the default
-- 64 kB pieces, gives what the whole body gives: all of it when it parses;
-- its rows and error when it fails (the repair counters then count what was
-- read before the failure, which depends on where the pieces end)
CREATE FUNCTION pg_temp.stable(r jsonb) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT CASE WHEN r->'error' = 'null' THEN r - 'peak_memory'
				ELSE jsonb_build_object('rows', r->'rows', 'bad_rows', r->'bad_rows', 'error', r->'error',
										'reply_code', r->'reply_code')
		   END
$$;
SELECT name,
	   bool_and(pg_temp.stable(mlsync.mls_rets_parse_search(body, content_type, n)) =
				pg_temp.stable(mlsync.mls_rets_parse_search(body, content_type, greatest(length(body), 1)))) AS same_in_every_chunking
  FROM cases, unnest(ARRAY[1, 2, 3, 5, 13, NULL]) n
 GROUP BY name ORDER BY name;

-- free text inside <RETS> is kept for messages up to 4 kB, cut between
-- characters, never inside one (a lone lead byte is not UTF-8)
SELECT length(r->>'text') AS characters, octet_length(r->>'text') AS bytes, right(r->>'text', 3) AS ending
  FROM (SELECT mlsync.mls_rets_parse_search(pg_temp.body('<RETS ReplyCode="0">x' || repeat('é', 3000) || '</RETS>')) AS r) s;

-- a 10 MB row (one 10 MB field between two ordinary ones) parses whole
CREATE TEMP TABLE big AS
SELECT pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~K~Remarks~Z~</COLUMNS><DATA>~k1~' || repeat('0123456789', 1024 * 1024) ||
					'~z~</DATA><DATA>~k2~short~z~</DATA></RETS>') AS body;
SELECT r->'row_count' AS rows, length(r->'rows'->0->>'Remarks') AS remarks_length,
	   r->'rows'->0->>'K' AS k, r->'rows'->0->>'Z' AS z, r->'rows'->1 AS second_row, r->'error' AS error
  FROM (SELECT mlsync.mls_rets_parse_search(body, NULL, 16384) AS r FROM big) s;
-- a row longer than mlsync.max_record_bytes is an error, rows before it are kept
SET mlsync.max_record_bytes = '1MB';
SELECT r->'row_count' AS rows, r->'error' AS error
  FROM (SELECT mlsync.mls_rets_parse_search(
			pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~K~Remarks~</COLUMNS><DATA>~k0~fine~</DATA><DATA>~k1~' ||
						 repeat('x', 1024 * 1024) || '~</DATA></RETS>')) AS r) s;
-- and text with no markup at all cannot make libxml2 buffer without bound
SELECT mlsync.mls_rets_parse_search(pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~K~</COLUMNS><DATA>~' ||
												 repeat('y', 6 * 1024 * 1024)), NULL, 65536)->'error' AS error;
RESET mlsync.max_record_bytes;

-- a body larger than mlsync.max_parse_bytes is refused before parsing:
-- the result would hold every row at once (many times the body's size)
SELECT mlsync.mls_rets_parse_search(convert_to(repeat('x', 17 * 1024 * 1024), 'UTF8'));
SELECT mlsync.mls_rets_parse_login(convert_to(repeat('x', 17 * 1024 * 1024), 'UTF8'));

-- memory stays bounded by the rows of one piece, not the response: the
-- parser's peak is the same for 2,000 and 100,000 rows fed in 16 KB pieces
SET mlsync.max_parse_bytes = '64MB';
CREATE TEMP TABLE sizes AS
SELECT n, pg_temp.body('<RETS ReplyCode="0"><COUNT Records="' || n || '"/><COLUMNS>~ListingKey~ListPrice~Remarks~</COLUMNS>' ||
					   (SELECT string_agg('<DATA>~L' || i || '~' || (100000 + i) || '~' || repeat('remarks ', 20) || '~</DATA>', E'\n')
						  FROM generate_series(1, n) i) || '</RETS>') AS body
  FROM unnest(ARRAY[2000, 100000]) n;
CREATE TEMP TABLE measured AS
SELECT n, length(body) AS bytes, mlsync.mls_rets_parse_search(body, NULL, 16384, false) AS r FROM sizes;
SELECT n, bytes > 10 * 1024 * 1024 AS over_10_mb, (r->>'row_count')::int = n AS all_rows,
	   (r->>'peak_memory')::bigint < 1024 * 1024 AS peak_under_1_mb, r->'error' AS error
  FROM measured ORDER BY n;
SELECT (SELECT (r->>'peak_memory')::numeric FROM measured WHERE n = 100000) /
	   (SELECT (r->>'peak_memory')::numeric FROM measured WHERE n = 2000) < 1.5 AS peak_flat_for_50_times_the_rows;
RESET mlsync.max_parse_bytes;

-- metadata: a COMPACT row that does not match its table's COLUMNS is reported
-- with its table, the others kept
SELECT m->'tables'->0->'rows' AS rows, m->'bad_rows' AS bad_rows
  FROM (SELECT mlsync.mls_rets_parse_metadata(pg_temp.body(
			'<RETS ReplyCode="0"><METADATA-LOOKUP_TYPE Resource="Property" Lookup="S"><COLUMNS>~Value~LongValue~</COLUMNS>' ||
			'<DATA>~A~Active~</DATA><DATA>~P~Pending~extra~</DATA></METADATA-LOOKUP_TYPE></RETS>')) AS m) s;
-- a Search response is not metadata: its rows are ignored by the metadata parser
SELECT m->'tables' AS tables, m->'error' AS error
  FROM (SELECT mlsync.mls_rets_parse_metadata(pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~A~</COLUMNS><DATA>~1~</DATA></RETS>')) AS m) s;
-- nor metadata a Search response
SELECT mlsync.mls_rets_parse_search(pg_temp.body('<RETS ReplyCode="0"><METADATA-CLASS Resource="P"/></RETS>'))->'error' AS error;

-- rows of many empty fields: the jsonb of a row takes tens of times its
-- text, hundreds for empty fields, so a parse's rows may take at most four
-- times mlsync.max_parse_bytes (16 MB here): 4,000 such rows fail (the rows
-- of 6 MB of them took 1.6 GB), while as many ordinary lookup rows parse,
-- and so do the empty rows when the setting allows more
SET mlsync.max_parse_bytes = '4MB';
CREATE TEMP TABLE lookups AS
SELECT shape, pg_temp.body('<RETS ReplyCode="0"><METADATA-LOOKUP_TYPE Resource="Property" Lookup="X"><COLUMNS>~' ||
						   columns || '~</COLUMNS>' || repeat('<DATA>~' || row || '~</DATA>', 4000) ||
						   '</METADATA-LOOKUP_TYPE></RETS>') AS body
  FROM (VALUES ('empty fields',
				(SELECT string_agg('C' || i, '~') FROM generate_series(1, 100) i), 'x' || repeat('~', 99)),
			   ('ordinary', 'MetadataEntryID~Value~LongValue~ShortValue',
				'100012~ACT~Active Under Contract and More Text~Act')) AS v(shape, columns, row);
SELECT shape, length(body) / 1000 AS kb FROM lookups ORDER BY shape;
SELECT jsonb_array_length(mlsync.mls_rets_parse_metadata(body, NULL, 65536)->'tables'->0->'rows') AS rows
  FROM lookups WHERE shape = 'ordinary';
SELECT jsonb_array_length(mlsync.mls_rets_parse_metadata(body, NULL, 65536)->'tables'->0->'rows') AS rows
  FROM lookups WHERE shape = 'empty fields';
SET mlsync.max_parse_bytes = '64MB';
SELECT jsonb_array_length(mlsync.mls_rets_parse_metadata(body, NULL, 65536)->'tables'->0->'rows') AS rows
  FROM lookups WHERE shape = 'empty fields';
RESET mlsync.max_parse_bytes;

-- a body that fails far from its end, in one piece and in pieces: the
-- decoder stops at the failure and keeps nothing back (it once copied the
-- whole undecided rest into a 128-byte buffer and took the server down)
CREATE TEMP TABLE failing (name text PRIMARY KEY, body bytea);
INSERT INTO failing VALUES
	('40,000 control bytes', decode(repeat('01', 40000), 'hex')),
	('markup broken after its root element', convert_to('<RETS ReplyCode="0"><' || repeat('<>', 40000), 'UTF8')),
	('markup broken after a row', pg_temp.body('<RETS ReplyCode="0"><COLUMNS>~A~</COLUMNS><DATA>~1~</DATA><' || repeat('</', 20000)));
SELECT f.name, c.chunk,
	   left(mlsync.mls_rets_parse_search(f.body, NULL, c.chunk)->>'error', 60) AS search_error,
	   left(mlsync.mls_rets_parse_metadata(f.body, NULL, c.chunk)->>'error', 60) AS metadata_error,
	   left(mlsync.mls_rets_parse_login(f.body)->>'error', 60) AS login_error
  FROM failing f CROSS JOIN (VALUES (NULL::integer), (1), (1000), (4097)) AS c(chunk)
 ORDER BY f.name, c.chunk NULLS FIRST;
SELECT f.name, count(*) AS parts, max(reply_code) AS reply_code, max(size) AS size
  FROM failing f, mlsync.mls_rets_parse_objects(f.body, 'text/xml') o
 GROUP BY f.name ORDER BY f.name;
SELECT 'the backend is still alive' AS after_failing_bodies;

-- a tag that never ends (a '<' every 16 kB, never a '>'): libxml2 would
-- hold it whole and look through all of it again for each piece it is fed
-- (a minute for 64 MB); past 1 MB the body fails, in one piece and in
-- pieces, while a CDATA section of 2 MB is text, and taken
SELECT c.chunk, mlsync.mls_rets_parse_search(
		convert_to('<RETS ReplyCode="0"><COLUMNS a="' || repeat(repeat('A', 16383) || '<', 72), 'UTF8'),
		NULL, c.chunk) ->> 'error' AS error
  FROM (VALUES (NULL::integer), (4096)) AS c(chunk);
SELECT length(mlsync.mls_rets_parse_search(
		convert_to(E'<RETS ReplyCode="0"><COLUMNS>\tA\t</COLUMNS><DATA><![CDATA[\t' || repeat('B', 2000000)
				   || E'\t]]></DATA></RETS>', 'UTF8'),
		NULL, 65536) -> 'rows' -> 0 ->> 'A') AS cdata_value_length;

-- bad arguments
SELECT mlsync.mls_rets_parse_search(pg_temp.body('<RETS ReplyCode="0"/>'), NULL, 0);
SELECT mlsync.mls_rets_parse_search(NULL) IS NULL AS null_in_null_out;
