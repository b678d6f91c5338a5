-- RETS Login, Logout and Action bodies (docs/protocols.md R3, R10): every
-- recorded one parsed, with capability URLs resolved against the Login URL
-- (relative paths, scheme, host and a non-standard port kept), spaces
-- around '=', indented lines, RETS 1.0 bodies without RETS-RESPONSE, 1.8
-- Info= lines, failed logins, metadata version and timeout.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\i test/helpers/rets_fixtures.sql
SELECT length(pg_temp.fixture('librets/unit/login-valid15.xml')) > 0 AS fixtures_found;

-- parse a fixture (the body of a raw HTTP recording) as a Login response
-- from login_url
CREATE FUNCTION pg_temp.login(path text, login_url text) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT mlsync.mls_rets_parse_login(r.body, login_url) FROM pg_temp.recording(path) r
$$;

CREATE TEMP TABLE logins (name text PRIMARY KEY, path text, login_url text);
INSERT INTO logins VALUES
	('librets cris', 'librets/unit/login-cris.xml', 'http://rets.crisnetmls.com:6103/cgi-bin/WebObjects/RETS.woa/wa/RETSTransactionHandler/login'),
	('librets invalid', 'librets/unit/login-invalid.xml', 'http://example.com/rets/login'),
	('librets 1.0', 'librets/unit/login-valid10.xml', 'http://cornerstone.mris.com:6103/platinum/login'),
	('librets 1.5', 'librets/unit/login-valid15.xml', 'http://example.com:6103/rets/login'),
	('librets 1.8', 'librets/unit/login-valid18.xml', 'https://example.com:6103/rets/login?x=1'),
	('flexmls', 'phrets-flexmls/Integration/Fixtures/Http/get/retsgw.flexmls.com/rets2_1_Login/ac1f434b220d1920fa87a27d582bc877.txt', 'http://retsgw.flexmls.com/rets2_1/Login'),
	('flexmls 1.5', 'phrets-flexmls/Integration/Fixtures/Http/get/retsgw.flexmls.com/rets2_1_Login/e053c8fc90ca621443437db0a2f963d1.txt', 'http://retsgw.flexmls.com/rets2_1/Login'),
	('flexmls post', 'phrets-flexmls/Integration/Fixtures/Http/post/retsgw.flexmls.com/rets2_1_Login/57b9c3a515cb43d1141653c3f1395981.txt', 'http://retsgw.flexmls.com/rets2_1/Login'),
	('flexmls action', 'phrets-flexmls/Integration/Fixtures/Http/get/retsgw.flexmls.com/action_rets2_1_Login/03cd0f6cb206f18aed8f4979939a9482.txt', 'http://retsgw.flexmls.com/action/rets2_1/Login'),
	('flexmls limited', 'phrets-flexmls/Integration/Fixtures/Http/get/retsgw.flexmls.com/limited_rets2_1_Login/d848b86daf1f828cdf637404afc72626.txt', 'http://retsgw.flexmls.com/limited/rets2_1/Login'),
	('refindly', 'refindly/Login.xml', 'http://server.rets.com/rets/Login.ashx'),
	('refindly relative', 'refindly/Login_relative_url.xml', 'https://rets.example.org:8443/rets/Login.ashx'),
	('refindly action', 'refindly/Login_with_Action.xml', 'http://server.rets.com/rets/Login_with_Action.ashx'),
	('refindly no host', 'refindly/Errors/Login_no_host.xml', 'http://rets.example.org:6103/rets/Login.ashx');
INSERT INTO logins
SELECT 'flexmls ' || f, 'phrets-flexmls/Integration/Fixtures/Http/' || f, 'http://retsgw.flexmls.com/rets2_1/Login'
  FROM unnest(ARRAY['get/retsgw.flexmls.com/lookup_rets2_1_Login/e057db12dc3a7f37caa2203ecc2fe13e.txt',
					'get/retsgw.flexmls.com/rets2_1_Login/aaae3d614d1660701f3d7508efb11004.txt',
					'get/retsgw.flexmls.com/rets2_1_Login/e5df43b61e717bc8e3d4759aad894e2f.txt',
					'post/retsgw.flexmls.com/rets2_1_Login/792a904f04a03923cc0a54d8c0cd232c.txt']) f;

CREATE TEMP TABLE parsed AS SELECT name, pg_temp.login(path, login_url) AS r FROM logins;

-- every Login: reply, metadata version and timestamp, timeout, error
SELECT regexp_replace(name, '(get|post)/retsgw.flexmls.com/|\.txt', '', 'g') AS name,
	   r->'reply_code' AS code, r->>'reply_text' AS reply_text,
	   r->>'metadata_version' AS metadata_version, r->>'metadata_timestamp' AS metadata_timestamp,
	   r->'timeout_seconds' AS timeout, (SELECT count(*) FROM jsonb_object_keys(r->'capabilities')) AS capabilities,
	   r->'error' AS error
  FROM parsed ORDER BY name;

-- capability URLs: absolute ones kept, relative ones resolved against the
-- Login URL (scheme, host and port from it); X- extensions that are not
-- URLs have no URL, only their value
SELECT name, c.key AS capability, r->'capability_values'->>c.key AS value, c.value AS url
  FROM parsed, jsonb_each_text(r->'capabilities') c
 WHERE name IN ('librets 1.5', 'librets 1.8', 'refindly relative', 'flexmls', 'refindly no host')
 ORDER BY name, c.key;

-- the other lines: trimmed around '=', empty values kept, values with '='
-- and ',' whole
SELECT name, r->'values' AS values FROM parsed
 WHERE name IN ('librets 1.0', 'librets 1.5', 'librets cris') ORDER BY name;

-- RETS 1.8 Info=NAME;TYPE;VALUE lines; the type is optional
SELECT i->>'name' AS name, i->>'type' AS type, i->>'value' AS value
  FROM parsed, jsonb_array_elements(r->'info') i WHERE parsed.name = 'librets 1.8';
SELECT r->>'metadata_version' AS metadata_version, r->>'metadata_timestamp' AS metadata_timestamp,
	   r->>'min_metadata_timestamp' AS min_metadata_timestamp, r->'timeout_seconds' AS timeout_seconds
  FROM parsed WHERE name = 'librets 1.8';
SELECT mlsync.mls_rets_parse_login(convert_to(E'<RETS ReplyCode="0" ReplyText="OK"><RETS-RESPONSE>\n'
											  'Info=USERID;1002284553\n  info = TimeoutSeconds ; Int ; 60 \n'
											  'Info=Note;Character;a;b;c\nInfo=Bare\n</RETS-RESPONSE></RETS>', 'UTF8'),
								   NULL)->'info' AS info;

-- a failed login answers HTTP 200 with its ReplyCode
SELECT r->'reply_code' AS code, r->>'reply_text' AS reply_text, r->'capabilities' AS capabilities, r->'error' AS error
  FROM parsed WHERE name = 'librets invalid';

-- capability URLs with a query string keep it (split on the first '=');
-- keys in any case; a relative path without a leading slash resolves
-- against the Login URL's directory; other schemes are not URLs
SELECT c.key AS capability, r->'capability_values'->>c.key AS value, c.value AS url
  FROM (SELECT mlsync.mls_rets_parse_login(convert_to(E'<RETS ReplyCode="0" ReplyText="OK">\n<RETS-RESPONSE>\n'
											  'search = /rets/search.aspx?a=b&amp;c=d\nGETMETADATA=metadata\n'
											  'GetObject=javascript:alert(1)\nLOGOUT=\n</RETS-RESPONSE></RETS>', 'UTF8'),
								   'http://host.example.com:6103/rets/login') AS r) s,
	   jsonb_each_text(r->'capabilities') c
 ORDER BY 1;
-- without a Login URL, relative capabilities cannot be resolved
SELECT r->'capabilities'->>'Search' AS search, r->'capability_values'->>'Search' AS search_value
  FROM (SELECT mlsync.mls_rets_parse_login(pg_temp.fixture('refindly/Login_relative_url.xml'), NULL) AS r) s;

-- Logout bodies: key=value lines, a bare text line (Tarasoft), an empty
-- RETS-RESPONSE; an HTML page is not a RETS reply
SELECT name, r->'reply_code' AS code, r->>'reply_text' AS reply_text, r->'values' AS values,
	   r->>'text' AS text, r->'error' AS error
  FROM (SELECT f AS name, mlsync.mls_rets_parse_login(
			CASE WHEN f LIKE 'phrets%' THEN pg_temp.http_body(pg_temp.fixture(f)) ELSE pg_temp.fixture(f) END) AS r
		  FROM unnest(ARRAY['librets/unit/logout-valid15.xml', 'librets/unit/logout-cris.xml',
							'librets/unit/logout-tarasoft.xml', 'refindly/Logout.html',
							'phrets-flexmls/Integration/Fixtures/Http/get/retsgw.flexmls.com/rets2_1_Logout/18f6b7bfb97630b9cdbfd8af1b817310.txt']) f) s
 ORDER BY name;

-- Action bodies are a bulletin of plain text
SELECT r->'xml' AS xml, r->>'text' AS text, r->'reply_code' AS code, r->'error' AS error
  FROM (SELECT mlsync.mls_rets_parse_login(pg_temp.http_body(pg_temp.fixture(
			'phrets-flexmls/Integration/Fixtures/Http/get/retsgw.flexmls.com/action_rets2_1_Action/d5d441322368e5c2ad059621979b0d88.txt'))) AS r
		UNION ALL
		SELECT mlsync.mls_rets_parse_login(pg_temp.fixture('refindly/Action.xml'))) s;
-- an ISO-8859-1 bulletin becomes UTF-8
SELECT mlsync.mls_rets_parse_login('\x4e6f7469636520e0206e6f7573'::bytea, NULL, 'text/plain; charset=ISO-8859-1')->>'text' AS text;
