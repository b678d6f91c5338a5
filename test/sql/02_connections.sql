-- Tenants and connections: creation, update semantics, and every kind of
-- bad input refused with a clear error.
\pset pager off
SET client_min_messages = warning;

SELECT tenant_id, name, max_listings, dom_milestones
  FROM mlsync.mls_create_tenant('acme', 'Acme Realty', max_listings => 50000);
-- updating keeps what is not given
SELECT tenant_id, name, max_listings FROM mlsync.mls_create_tenant('acme', max_listings => 60000);

-- mls_connect returns the connection in brief and what it did
SELECT * FROM mlsync.mls_connect('acme', 'crmls', protocol => 'reso',
								 endpoint => 'HTTPS://Reso.Example.com/odata',
								 token_url => 'https://reso.example.com/oauth/token',
								 username => 'client-1', page_size => 500);
SELECT connection, protocol, endpoint, token_url, mapping_set, page_size, resource,
	   enabled, oauth_client_auth
  FROM mlsync.mls_connections WHERE connection = 'crmls';

-- an update changes only the named settings, and says which changed
SELECT action, changed FROM mlsync.mls_connect('acme', 'crmls', expand_media => true,
											   statuses => ARRAY['Active', 'Pending'],
											   page_size => 500);
SELECT connection, protocol, endpoint, page_size, expand_media, statuses
  FROM mlsync.mls_connections WHERE connection = 'crmls';
-- the same call again changes nothing
SELECT action, changed FROM mlsync.mls_connect('acme', 'crmls', expand_media => true);

SELECT connection, action FROM mlsync.mls_connect('acme', 'legacy', protocol => 'rets',
	endpoint => 'http://rets.example.com:6103/rets/login', rets_class => 'RES',
	rets_version => 'RETS/1.8');
SELECT connection, protocol, rets_class, rets_version, rets_format, mapping_set
  FROM mlsync.mls_connections WHERE connection = 'legacy';

-- bad input
\set SHOW_CONTEXT never
SELECT mlsync.mls_create_tenant('Acme Corp');
SELECT mlsync.mls_connect('nobody', 'x', protocol => 'reso', endpoint => 'https://a.example');
SELECT mlsync.mls_connect('acme', 'bad name', protocol => 'reso', endpoint => 'https://a.example');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'odata', endpoint => 'https://a.example');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'rets', endpoint => 'https://a.example/login');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'ftp://a.example/feed');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'file:///etc/passwd');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'javascript:alert(1)');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'not a url');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example/odata',
						  token_url => 'gopher://a.example/token');
-- credentials inside a URL are refused without echoing the URL
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso',
						  endpoint => 'https://user:hunter2@a.example/odata');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  mapping_set => 'no-such-set');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  page_size => 0);
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  statuses => ARRAY['Active', 'Sold']);
SELECT mlsync.mls_connect('acme', 'x', protocol => 'rets', endpoint => 'https://a.example',
						  rets_class => 'RES', rets_version => 'RETS/2.0');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  incremental_overlap => '-1 minute');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  incremental_overlap => '1 year -358 days');
-- a visibility field is a field name (it goes into a $filter), and RESO's
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  visibility_field => 'MlgCanView eq true or 1 eq 1');
\set VERBOSITY terse
SELECT mlsync.mls_connect('acme', 'x', protocol => 'rets', endpoint => 'https://a.example/login',
						  rets_class => 'RES', visibility_field => 'MlgCanView');
\set VERBOSITY default
-- paging is keyset or nextlink; what goes into a header has no control
-- characters; allowed origins are http(s) URLs without credentials
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example', paging => 'offset');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  user_agent => E'mlsync\r\nX-Injected: 1');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  username => E'me\nX-Injected: 1');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  allowed_origins => '{ftp://b.example}');
SELECT mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  allowed_origins => '{https://user:secret@b.example/}');
SELECT action FROM mlsync.mls_connect('acme', 'x', protocol => 'reso', endpoint => 'https://a.example',
						  paging => 'nextlink', allowed_origins => '{HTTPS://Media.Example.com/photos/, http://b.example:8080/x}');
SELECT paging, allowed_origins FROM mlsync.mls_connections WHERE connection = 'x';
DELETE FROM mlsync.mls_connections WHERE connection = 'x';
-- the table refuses what the function would, for direct writes too
\set VERBOSITY terse
UPDATE mlsync.mls_connections SET user_agent = E'a\rb' WHERE connection = 'crmls';
UPDATE mlsync.mls_connections SET paging = 'offset' WHERE connection = 'crmls';
UPDATE mlsync.mls_connections SET incremental_overlap = '8 days' WHERE connection = 'crmls';
UPDATE mlsync.mls_connections SET visibility_field = 'Mlg-CanView' WHERE connection = 'crmls';
INSERT INTO mlsync.mls_connections (tenant_id, connection, protocol, endpoint)
VALUES ('acme', 'direct', 'reso', 'ftp://a.example');
INSERT INTO mlsync.mls_connections (tenant_id, connection, protocol, endpoint)
VALUES ('acme', 'direct', 'soap', 'https://a.example');

-- nothing was created by the failed calls
SELECT connection FROM mlsync.mls_connections ORDER BY connection;

-- listings reject nonsense
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status)
VALUES ('acme', 'crmls', 'k1', 'Sold');
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, list_price)
VALUES ('acme', 'crmls', 'k1', -1);
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, latitude)
VALUES ('acme', 'crmls', 'k1', 91);
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, local_overrides)
VALUES ('acme', 'crmls', 'k1', '[1]');
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key)
VALUES ('acme', 'nosuch', 'k1');

\set VERBOSITY default

-- deleting a tenant removes its connections with it
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'acme';
SELECT count(*) AS connections_left FROM mlsync.mls_connections;
