-- Clearing settings: mls_connect keeps a setting given NULL, so
-- mls_connect_reset puts settings back to their defaults (no rate limit, no
-- token URL, the default page size, ...), and mls_tenant_reset removes a
-- tenant's quotas.  Both say what changed; bad names are refused.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never

SELECT tenant_id, max_listings, max_media_bytes, max_requests_per_day
  FROM mlsync.mls_create_tenant('rst', max_listings => 1000, max_media_bytes => 5000000,
								max_requests_per_day => 20000);
SELECT * FROM mlsync.mls_connect('rst', 'feed', protocol => 'reso',
								 endpoint => 'https://reso.example.com/odata',
								 token_url => 'https://reso.example.com/token',
								 page_size => 50, rate_per_second => 2, rate_per_hour => 500,
								 statuses => '{Active}', mls_name => 'Example MLS');
-- NULL keeps a value: mls_connect cannot clear one
SELECT action, changed FROM mlsync.mls_connect('rst', 'feed', rate_per_second => NULL);
SELECT rate_per_second, rate_per_hour, token_url, page_size, statuses, mls_name
  FROM mlsync.mls_connections WHERE connection = 'feed';

-- reset: back to the defaults, and the row says which settings changed
SELECT * FROM mlsync.mls_connect_reset('rst', 'feed', 'rate_per_second', 'rate_per_hour',
									   'token_url', 'page_size', 'statuses');
SELECT rate_per_second, rate_per_hour, token_url, page_size, statuses, mls_name
  FROM mlsync.mls_connections WHERE connection = 'feed';
-- resetting what is at its default already changes nothing
SELECT action, changed FROM mlsync.mls_connect_reset('rst', 'feed', 'rate_per_second');

-- re-enabling by reset forgets why the connection was disabled, and
-- starts its count of failed runs anew
UPDATE mlsync.mls_connections SET enabled = false, disabled_reason = 'disabled after 10 failed runs'
 WHERE connection = 'feed';
UPDATE mlsync.mls_sync_status SET consecutive_failures = 10 WHERE connection = 'feed';
SELECT enabled, disabled_reason, action, changed FROM mlsync.mls_connect_reset('rst', 'feed', 'enabled');
SELECT consecutive_failures FROM mlsync.mls_sync_status WHERE connection = 'feed';

-- refused: what cannot be reset, unknown names, a missing connection (the
-- hint lists every setting that can)
\set VERBOSITY terse
SELECT mlsync.mls_connect_reset('rst', 'feed', 'endpoint');
SELECT mlsync.mls_connect_reset('rst', 'feed', 'rate_per_minute');
SELECT mlsync.mls_connect_reset('rst', 'feed', NULL);
SELECT mlsync.mls_connect_reset('rst', 'nosuch', 'page_size');
\set VERBOSITY default
SELECT connection, action FROM mlsync.mls_connect('rst', 'rets', protocol => 'rets',
	endpoint => 'https://rets.example.com/login', rets_class => 'RES');
SELECT mlsync.mls_connect_reset('rst', 'rets', 'rets_class');
-- a bad value of a new setting is refused by mls_connect too
SELECT mlsync.mls_connect('rst', 'feed', sold_data_display => 'always');
SELECT mlsync.mls_connect('rst', 'feed', vow_statuses => '{Active,Sold}');

-- tenants: quotas removed by mls_tenant_reset (mls_create_tenant keeps them)
SELECT max_listings, max_media_bytes, max_requests_per_day
  FROM mlsync.mls_create_tenant('rst', max_listings => NULL);
SELECT max_listings, max_media_bytes, max_requests_per_day, dom_milestones
  FROM mlsync.mls_tenant_reset('rst', 'max_listings', 'max_requests_per_day');
SELECT mlsync.mls_tenant_reset('rst', 'name');
SELECT mlsync.mls_tenant_reset('nosuch', 'max_listings');

DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'rst';
