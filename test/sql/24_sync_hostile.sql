-- A hostile MLS server (docs/security.md): credentials never reach another
-- origin (token redirects, page redirects, nextLinks and RETS capability
-- URLs on another port, which the sample server's listener records) while
-- a redirect on the server's own origin is followed, the
-- auth scheme negotiated at Login is pinned, no header takes a CR or LF from
-- the network, capability URLs with raw spaces work, a huge Login reply is
-- cut off, hostile encoding names are
-- stored as valid text, the bodies of other services are kept short, and
-- nothing is sent to a denied network.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SET mlsync.retry_base_delay = '20ms';
SET mlsync.retry_max_delay = '2s';
SET mlsync.max_retries = 1;
SELECT tenant_id FROM mlsync.mls_create_tenant('hostile');

-- the listener: another origin (another port of 127.0.0.1) that records
-- whatever reaches it
SELECT mls_test.control('GET', '/control/health') ->> 'listener' AS listener_url \gset
CREATE FUNCTION pg_temp.listener_clear() RETURNS void
LANGUAGE sql AS $$ SELECT mls_test.control('DELETE', '/control/listener') $$;
-- what reached the listener: requests, and those that carried a credential
-- (an Authorization header, a session cookie, or the client secret in a body)
CREATE FUNCTION pg_temp.listener_saw(OUT requests bigint, OUT with_credentials bigint)
LANGUAGE sql AS $$
	SELECT count(*),
		   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(r -> 'headers') h
										  WHERE lower(h ->> 0) IN ('authorization', 'cookie'))
							 OR coalesce(r ->> 'body', '') LIKE '%s3cret%'
							 OR coalesce(r ->> 'body', '') LIKE '%rets-pass%')
	  FROM jsonb_array_elements(mls_test.control('GET', '/control/listener') -> 'records') r
$$;

-- a sync that may fail: its state and what it raised (ports masked)
CREATE FUNCTION pg_temp.sync(connection text, mode text DEFAULT 'full', OUT state text, OUT raised text)
LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM mlsync.mls_sync('hostile', connection, mode => mode, wait => true);
	EXCEPTION WHEN OTHERS THEN
		raised := SQLSTATE || ': ' || regexp_replace(SQLERRM, '127\.0\.0\.1:[0-9]+', 'HOST', 'g');
	END;
	SELECT h.state INTO state FROM mlsync.mls_sync_history h
	 WHERE h.tenant_id = 'hostile' AND h.connection = sync.connection ORDER BY run_id DESC LIMIT 1;
END
$$;

CREATE FUNCTION pg_temp.reso(mls text, options jsonb, paging text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mls_test.reset(jsonb_build_object('mls', mls, 'listings', 120, 'seed', 61, 'page_max', 50) || options);
	PERFORM mlsync.mls_connect('hostile', mls, protocol => 'reso', endpoint => mls_test.reso_root(mls),
							   token_url => mls_test.token_url(mls), username => 'mlsync', page_size => 50,
							   paging => paging);
	PERFORM mlsync.mls_set_credentials('hostile', mls, client_secret => 's3cret');
	PERFORM pg_temp.listener_clear();
END
$$;

-- A RETS connection to a sample MLS of 60 listings with the given options
CREATE FUNCTION pg_temp.rets(mls text, options jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mls_test.reset(jsonb_build_object('mls', mls, 'listings', 60) || options);
	PERFORM mlsync.mls_connect('hostile', mls, protocol => 'rets', endpoint => mls_test.rets_login(mls),
							   username => 'mlsync', rets_class => 'ALL');
	PERFORM mlsync.mls_set_credentials('hostile', mls, password => 'rets-pass');
	PERFORM mls_test.clear_requests();
END
$$;

-- 1. The token endpoint answers 307 to another origin: the secret (in the
-- form body) is not posted again there; the run fails and says why.
SELECT pg_temp.reso('tr', '{"token_redirect": true}');
SELECT * FROM pg_temp.sync('tr');
SELECT * FROM pg_temp.listener_saw();

-- 2. Page requests redirected to another origin: the bearer token does not
-- follow, the run fails (no redirect carries credentials elsewhere).
SELECT pg_temp.reso('pr', '{"page_redirect": true}');
SELECT * FROM pg_temp.sync('pr');
SELECT * FROM pg_temp.listener_saw();

-- 2a. Pages none of whose records carries the connection's timestamp field
-- (one that is null on most listings, which the server sorts first): there
-- is nothing to page from, and the run fails saying so (the backend used to
-- crash on the second page)
SELECT pg_temp.reso('nt', '{}');
SELECT changed FROM mlsync.mls_connect('hostile', 'nt', timestamp_field => 'CloseDate');
SELECT * FROM pg_temp.sync('nt');
SELECT category, message FROM mlsync.mls_sync_errors
 WHERE tenant_id = 'hostile' AND connection = 'nt' AND retry_state = 'failed';

-- 2b. A redirect that stays on the server's own origin is followed with the
-- bearer token (the server would answer 401 without it): the run succeeds
-- and brings every listing.
SELECT pg_temp.reso('rs', '{}');
SELECT mls_test.fault('{"mls": "rs", "path": "/reso/odata/Property", "fault": "redirect_same", "count": 2}') ->> 'fault' AS fault;
SELECT * FROM pg_temp.sync('rs');
SELECT (r ->> 'fired')::int AS redirected
  FROM jsonb_array_elements(mls_test.control('GET', '/control/faults') -> 'rules') r
 WHERE r ->> 'mls' = 'rs' AND r ->> 'fault' = 'redirect_same';
SELECT * FROM mls_test.diff('hostile', 'rs', 'rs');

-- 3. nextLinks to another origin: keyset paging never follows them (the run
-- succeeds); a connection that follows nextLinks refuses that one.
SELECT pg_temp.reso('nl', '{"nextlink_host": "listener"}');
SELECT * FROM pg_temp.sync('nl');
SELECT * FROM mls_test.diff('hostile', 'nl', 'nl');
SELECT pg_temp.reso('nl', '{"nextlink_host": "listener"}', 'nextlink');
SELECT * FROM pg_temp.sync('nl');
SELECT * FROM pg_temp.listener_saw();
-- nor to the same host by https on another port (another service: the
-- https upgrade is port 80 to 443 only)
SELECT pg_temp.reso('nl', '{"nextlink_host": "https_listener"}', 'nextlink');
SELECT * FROM pg_temp.sync('nl');
SELECT * FROM pg_temp.listener_saw();
-- a nextLink whose host escapes DEL (a%7fb), which a URL parser decodes and
-- no request line can carry, cannot be resolved
SELECT pg_temp.reso('nl', '{"nextlink_host": "escaped_del"}', 'nextlink');
SELECT * FROM pg_temp.sync('nl');
-- nor one of another scheme than http and https
SELECT pg_temp.reso('nl', '{"nextlink_host": "ftp"}', 'nextlink');
SELECT * FROM pg_temp.sync('nl');
-- a long nextLink (its query starts with 10,000 letters the server
-- ignores) is followed whole; one past 64 kB is refused, not cut
SELECT pg_temp.reso('nl', '{"nextlink_padding": 10000}', 'nextlink');
SELECT * FROM pg_temp.sync('nl');
SELECT * FROM mls_test.diff('hostile', 'nl', 'nl');
SELECT pg_temp.reso('nl', '{"nextlink_padding": 70000}', 'nextlink');
SELECT * FROM pg_temp.sync('nl');

-- 4. An access token with CR LF in it would add a header to every request:
-- it is refused, and no request carried the injected header.
SELECT pg_temp.reso('crlf', '{"token_crlf": true}');
SELECT mls_test.clear_requests();
SELECT * FROM pg_temp.sync('crlf');
SELECT count(*) FILTER (WHERE e -> 'headers' ? 'X-Injected') AS injected,
	   count(*) FILTER (WHERE e ->> 'path' LIKE '%/Property%') AS page_requests
  FROM mls_test.requests('crlf') e;

-- 4b. A header line that starts like a status line ("HTTP/1.1 500 Oops: x")
-- is a header: the pages that carry it are read as the 200s they are.
SELECT pg_temp.reso('sh', '{}');
SELECT mls_test.fault('{"mls": "sh", "path": "Property", "fault": "status_header", "count": -1}') ->> 'fault' AS fault;
SELECT * FROM pg_temp.sync('sh');
SELECT * FROM mls_test.diff('hostile', 'sh', 'sh');
SELECT mls_test.clear_faults('sh') IS NOT NULL AS cleared;

-- 5. RETS capability URLs on another origin: the session's password,
-- digest and cookie go to the Login's origin only.  Even an origin the
-- connection allows never gets Basic: the scheme of the Login (Digest) is
-- pinned, whatever the other host asks for.
SELECT mls_test.reset('{"mls": "cap", "listings": 60, "seed": 62, "listener_mode": "basic_challenge",
						"rets": {"capability_host": "listener", "auth": "either"}}') ->> 'count' AS listings;
SELECT action FROM mlsync.mls_connect('hostile', 'cap', protocol => 'rets', endpoint => mls_test.rets_login('cap'),
									  username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('hostile', 'cap', password => 'rets-pass');
SELECT pg_temp.listener_clear();
SELECT * FROM pg_temp.sync('cap');
SELECT * FROM pg_temp.listener_saw();
SELECT action FROM mlsync.mls_connect('hostile', 'cap', allowed_origins => ARRAY[:'listener_url']);
-- (one more allowed origin removed the secrets: they are set again for it)
SELECT mlsync.mls_set_credentials('hostile', 'cap', password => 'rets-pass');
SELECT * FROM pg_temp.sync('cap');
SELECT count(*) AS requests,
	   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(r -> 'headers') h
									  WHERE lower(h ->> 0) = 'authorization' AND h ->> 1 ILIKE 'basic%')) AS with_basic
  FROM jsonb_array_elements(mls_test.control('GET', '/control/listener') -> 'records') r;

-- 5b. RETS capability URLs written with raw spaces (and a plus meant as a
-- plus) in their query, as some servers write theirs: resolved as URIs,
-- percent-encoded as a browser would, they work; libcurl refused the
-- absolute ones (no Search URL: no sync) and sent the spaces of relative
-- ones as plus signs.
SELECT mlsync.mls_rets_parse_login(convert_to(E'<RETS ReplyCode="0" ReplyText="ok">\r\n<RETS-RESPONSE>\r\n'
	'Search=http://rets.example.com/rets/search?Vendor=Sample MLS 1+1\r\n'
	'GetMetadata=/rets/getmetadata?Vendor=Sample MLS 1+1\r\n</RETS-RESPONSE>\r\n</RETS>\r\n', 'UTF8'),
	'http://rets.example.com/rets/login') -> 'capabilities' AS capabilities;
SELECT pg_temp.rets('capq', '{"seed": 64, "rets": {"capability_query": "Vendor=Sample MLS 1+1"}}');
SELECT * FROM pg_temp.sync('capq', 'metadata');
SELECT mlsync.mls_rets_create_mapping_set('hostile', 'capq', 'hostile-capq') > 0 AS mapped;
SELECT * FROM pg_temp.sync('capq');
SELECT * FROM mls_test.mapped_diff('hostile', 'capq', 'capq');
-- (Search is an absolute capability, GetMetadata a relative one)
SELECT e ->> 'path' ~ '/getmetadata$' AS getmetadata, count(*) > 0 AS asked,
	   count(*) FILTER (WHERE e -> 'params' ->> 'Vendor' = 'Sample MLS 1+1') = count(*) AS all_with_the_query
  FROM mls_test.requests('capq') e WHERE e ->> 'path' ~ '/(search|getmetadata)$'
 GROUP BY 1 ORDER BY 1;

-- 6. A RETS-Version response header with a bare CR is not a RETS version:
-- it is not sent back (the run goes on with the connection's version), and
-- no request carried the injected header.
SELECT pg_temp.rets('ver', '{"seed": 63, "rets": {"version_header": "RETS/1.7.2\rX-Injected: 1"}}');
SELECT * FROM pg_temp.sync('ver', 'metadata');
SELECT count(*) FILTER (WHERE e -> 'headers' ? 'X-Injected') AS injected,
	   string_agg(DISTINCT e -> 'headers' ->> 'RETS-Version', ',') AS versions_sent
  FROM mls_test.requests('ver') e;
SELECT category, retry_state, message FROM mlsync.mls_sync_errors WHERE connection = 'ver';

-- 7. A 50 MB Login reply is cut off at 1 MB: the run fails at once, having
-- read little of it.
SELECT mls_test.reset('{"mls": "big", "listings": 20, "seed": 64,
						"rets": {"login_reply_bytes": 50000000}}') ->> 'count' AS listings;
SELECT action FROM mlsync.mls_connect('hostile', 'big', protocol => 'rets', endpoint => mls_test.rets_login('big'),
									  username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('hostile', 'big', password => 'rets-pass');
SELECT * FROM pg_temp.sync('big');
SELECT bytes < 4 * 1024 * 1024 AS read_little FROM mlsync.mls_sync_history
 WHERE connection = 'big' ORDER BY run_id DESC LIMIT 1;

-- 8. Encoding names with hostile bytes (0xFF 0xFE, a quote, a CR) in the
-- XML declaration and the Content-Type: every message stored is valid
-- UTF-8 without control characters (a dump restores it).
SELECT mls_test.reset('{"mls": "enc", "listings": 20, "seed": 65,
						"rets": {"bad_encoding_name": true}}') ->> 'count' AS listings;
SELECT action FROM mlsync.mls_connect('hostile', 'enc', protocol => 'rets', endpoint => mls_test.rets_login('enc'),
									  username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('hostile', 'enc', password => 'rets-pass');
SELECT * FROM pg_temp.sync('enc', 'metadata');
-- (line ends, CR LF, are kept in excerpts: they are text, not a header)
SELECT bool_and(convert_from(convert_to(message, 'UTF8'), 'UTF8') = message) AS valid_utf8,
	   bool_and(message !~ '[\x01-\x08\x0b-\x1f\x7f]') AS no_control_characters,
	   bool_and(coalesce(source_text, '') !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]') AS excerpts_too
  FROM mlsync.mls_sync_errors WHERE connection = 'enc';
SELECT convert_from(convert_to(message, 'UTF8'), 'UTF8') = message AS history_valid
  FROM mlsync.mls_sync_history WHERE connection = 'enc' ORDER BY run_id DESC LIMIT 1;

-- 9. The body of something that is not the MLS's protocol (an HTML page)
-- is kept as a short excerpt only.
SELECT pg_temp.reso('html', '{}');
SELECT mls_test.fault('{"mls": "html", "path": "/rets/login", "fault": "http_500", "count": -1}') ->> 'fault' AS fault;
SELECT action FROM mlsync.mls_connect('hostile', 'rhtml', protocol => 'rets', endpoint => mls_test.rets_login('html'),
									  username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('hostile', 'rhtml', password => 'rets-pass');
SELECT state FROM pg_temp.sync('rhtml');
SELECT max(length(source_text)) <= 200 AS short_excerpts, count(*) > 0 AS has_excerpts
  FROM mlsync.mls_sync_errors WHERE connection = 'rhtml' AND source_text IS NOT NULL;
SELECT mls_test.clear_faults('html');

-- 10. Denied networks: with loopback no longer allowed, the run fails with
-- a config error before a single byte reaches the server.
SET mlsync.allowed_hosts = '';
SELECT mls_test.clear_requests();
SELECT * FROM pg_temp.sync('html');
SELECT count(*) AS requests_received FROM mls_test.requests('html');
SELECT category, message FROM mlsync.mls_sync_errors WHERE connection = 'html' ORDER BY error_id DESC LIMIT 1;
-- IPv6 addresses that carry a denied IPv4 one (loopback here) are denied
-- as that address: NAT64 (64:ff9b::127.0.0.1) and 6to4 (2002:7f00:1::1)
SELECT split_part(split_part(mls_test.reso_root('html'), ':', 3), '/', 1) AS html_port \gset
CREATE FUNCTION pg_temp.refused(connection text) RETURNS TABLE (category text, refused text)
LANGUAGE sql AS $$
	SELECT e.category, substring(e.message FROM 'address \S+ is in mlsync.denied_networks')
	  FROM mlsync.mls_sync_errors e WHERE e.connection = refused.connection
	 ORDER BY e.error_id DESC LIMIT 1
$$;
SELECT action FROM mlsync.mls_connect('hostile', 'v6', protocol => 'reso',
	endpoint => 'http://[64:ff9b::7f00:1]:' || :'html_port' || '/x', token_url => 'http://[64:ff9b::7f00:1]:' || :'html_port' || '/token');
SELECT mlsync.mls_set_credentials('hostile', 'v6', client_secret => 's3cret') IS NOT NULL AS secret_set;
SELECT state FROM pg_temp.sync('v6');
SELECT * FROM pg_temp.refused('v6');
SELECT action FROM mlsync.mls_connect('hostile', 'v6', protocol => 'reso',
	endpoint => 'http://[2002:7f00:1::1]:' || :'html_port' || '/x', token_url => 'http://[2002:7f00:1::1]:' || :'html_port' || '/token');
SELECT mlsync.mls_set_credentials('hostile', 'v6', client_secret => 's3cret') IS NOT NULL AS secret_set;
SELECT state FROM pg_temp.sync('v6');
SELECT * FROM pg_temp.refused('v6');
RESET mlsync.allowed_hosts;
-- settings only a superuser may change
SELECT name, context FROM pg_settings WHERE name IN ('mlsync.allowed_hosts', 'mlsync.denied_networks') ORDER BY name;
SET mlsync.allowed_hosts = 'not a network/99';
SET mlsync.denied_networks = '10.0.0.0/33';

DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'hostile';
