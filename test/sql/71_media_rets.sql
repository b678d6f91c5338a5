-- Media of a RETS feed with photo_policy download: GetObject (Location=1,
-- ObjectData) in the sync's session for each new listing and for each
-- listing whose photo fields moved, every object of the truth stored once
-- with its bytes and its own modification timestamp; a photo replaced on
-- its own (same object, same URL, new timestamp) is downloaded again, a
-- removed one is removed.  The server names its photo files with raw spaces
-- in their URLs (3 - Front Yard (3).jpg), as some photo servers do: they
-- are fetched as a browser would, percent-encoded.
\i test/helpers/mls_server.sql
\i test/helpers/media.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SELECT mls_test.wait_for_launcher();

SELECT mls_test.reset('{"mls": "mr", "listings": 6, "seed": 41,
	"media": {"url_style": "spaced"}}') ->> 'count' AS listings;
SELECT count(*) AS items, bool_and(url LIKE '% - Front Yard (%).jpg?v=%') AS spaced_urls
  FROM mls_test.media_truth('mr');
SELECT tenant_id FROM mlsync.mls_create_tenant('media-rets');
SELECT connection FROM mlsync.mls_connect('media-rets', 'mr', protocol => 'rets',
	endpoint => mls_test.rets_login('mr'), username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('media-rets', 'mr', password => 'rets-pass');
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr', mode => 'metadata', wait => true)) AS runs;
SELECT mlsync.mls_rets_create_mapping_set('media-rets', 'mr', 'media-rets-local') > 0 AS mapped;
SELECT target, source_field FROM mlsync.mls_field_mappings
 WHERE mapping_set = 'media-rets-local' AND target IN ('photos_change_timestamp', 'photos_count')
 ORDER BY 1;
SELECT changed FROM mlsync.mls_connect('media-rets', 'mr', photo_policy => 'download');
SELECT photo_policy, mlsync.mls_media_source(tenant_id, connection) AS source
  FROM mlsync.mls_connections WHERE tenant_id = 'media-rets' AND connection = 'mr';

SELECT mls_test.clear_requests();
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr', mode => 'full', wait => true)) AS runs;
SELECT mode, state, errors FROM mls_test.last_run('media-rets', 'mr');
-- one GetObject per listing, in the sync's session, asking for URLs and metadata
SELECT count(*) AS getobject_requests,
	   bool_and(r -> 'params' ->> 'Location' = '1' AND r -> 'params' ->> 'ObjectData' = '*') AS urls_and_metadata
  FROM mls_test.requests('mr') r WHERE r ->> 'path' LIKE '%/getobject';
CALL mlsync.mls_media_download('media-rets') \g /dev/null
SELECT * FROM mls_test.media_diff('media-rets', 'mr', 'mr');
-- each object's own timestamp, as ObjectData gave it
SELECT count(*) AS items, count(*) FILTER (WHERE m.source_modified_raw = t.modified) AS timestamps_kept,
	   count(*) FILTER (WHERE m.media_key = t.listing_key || ':' || t.ord) AS keyed_by_object_id
  FROM mlsync.mls_media m JOIN mls_test.media_truth('mr') t
	ON t.listing_key = m.listing_key AND t.ord = m.position
 WHERE m.tenant_id = 'media-rets';
SELECT preferred, count(*) > 0 AS some FROM mlsync.mls_media
 WHERE tenant_id = 'media-rets' AND position = 1 GROUP BY 1;

-- one photo replaced on its own, the last photo of another listing removed
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "mr", "seed": 4, "photo_replaced": 1,
	"photo_removed": 1}') -> 'changed') AS c(kind, keys)
 WHERE jsonb_array_length(keys) > 0;
CREATE TEMP TABLE before AS
	SELECT media_key, sha256, source_url FROM mlsync.mls_media WHERE tenant_id = 'media-rets';
SELECT mls_test.clear_requests();
-- the server fails one GetObject once: retried, and on record with the run
SELECT mls_test.fault('{"mls": "mr", "path": "getobject", "fault": "http_500", "count": 1}') ->> 'fault' AS fault;
SET mlsync.retry_base_delay = '10ms';
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr', wait => true)) AS runs;
RESET mlsync.retry_base_delay;
SELECT e.category, e.retry_state, e.http_status, e.message FROM mlsync.mls_sync_errors e
 WHERE e.tenant_id = 'media-rets'
   AND e.run_id = (SELECT max(run_id) FROM mlsync.mls_sync_history WHERE tenant_id = 'media-rets');
-- GetObject only for the two listings whose photos moved (one asked twice)
SELECT count(*) AS getobject_requests FROM mls_test.requests('mr') r WHERE r ->> 'path' LIKE '%/getobject';
CALL mlsync.mls_media_download('media-rets') \g /dev/null
SELECT * FROM mls_test.media_diff('media-rets', 'mr', 'mr');
SELECT m.state, m.source_url = b.source_url AS same_url, m.sha256 <> b.sha256 AS new_bytes
  FROM before b JOIN mlsync.mls_media m USING (media_key)
 WHERE m.tenant_id = 'media-rets' AND (m.state = 'removed' OR m.sha256 <> b.sha256)
 ORDER BY 1;

-- a server whose photo changes move the photo timestamp (L_Last_Photo_updt)
-- and not L_UpdateDate: the photo pass reads them by the field the mapping
-- set takes photos_change_timestamp from (old code read none of them: the
-- listings and their media stayed as they were).  No overlap: the changes
-- of the last minutes, read again, would show listings changed within them.
SELECT changed FROM mlsync.mls_connect('media-rets', 'mr', incremental_overlap => '0');
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "mr", "photo_change_modifies": false}') -> 'options' ->> 'photo_change_modifies' AS photo_change_modifies;
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "mr", "seed": 5, "photo_replaced": 1,
	"photos_changed": 2}') -> 'changed') AS c(kind, keys)
 WHERE jsonb_array_length(keys) > 0;
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr', wait => true)) AS runs;
SELECT state, errors, updated >= 2 AS updated FROM mls_test.last_run('media-rets', 'mr');
CALL mlsync.mls_media_download('media-rets') \g /dev/null
SELECT * FROM mls_test.media_diff('media-rets', 'mr', 'mr');
SELECT * FROM mls_test.photo_fields('media-rets', 'mr', 'mr');
SELECT photos_watermark_raw IS NOT NULL AS photo_mark FROM mlsync.mls_media_sync_status
 WHERE tenant_id = 'media-rets' AND connection = 'mr';
-- a RETS server that refuses a query on the photo timestamp (ReplyCode
-- 20200, Unknown Query Field): both runs succeed, the refusal is noted once
-- and the pass waits a day, its watermark kept; the photo change made
-- meanwhile is read when it is tried again
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "mr", "photos_timestamp_query": "reject"}') -> 'options' ->> 'photos_timestamp_query' AS photos_timestamp_query;
SELECT photos_watermark_raw AS photo_mark FROM mlsync.mls_media_sync_status
 WHERE tenant_id = 'media-rets' AND connection = 'mr' \gset
SELECT mls_test.advance('{"mls": "mr", "seed": 7, "photos_changed": 3}') -> 'changed' -> 'photos_changed' AS photos_changed \gset
-- (those changed before the watermark: no incremental reading sees them)
SELECT * FROM mls_test.before_watermark('media-rets', 'mr', :'photos_changed');
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr', wait => true)) AS runs;
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr', wait => true)) AS runs;
SELECT count(*) AS runs, bool_and(state = 'succeeded') AS succeeded, sum(errors) AS errors
  FROM (SELECT state, errors FROM mlsync.mls_sync_history
		 WHERE tenant_id = 'media-rets' AND connection = 'mr' ORDER BY run_id DESC LIMIT 2) r;
SELECT category, retry_state, reply_code, message ~ '^the photo pass \(listings by L_Last_Photo_updt\) was refused: .*Unknown Query Field.*; it is tried again in a day' AS says_why
  FROM mlsync.mls_sync_errors WHERE tenant_id = 'media-rets' AND connection = 'mr'
   AND message LIKE 'the photo pass%';
SELECT photos_refused_at IS NOT NULL AS refused, photos_watermark_raw = :'photo_mark' AS photo_mark_kept
  FROM mlsync.mls_media_sync_status WHERE tenant_id = 'media-rets' AND connection = 'mr';
SELECT * FROM mls_test.photo_fields('media-rets', 'mr', 'mr');
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "mr", "photos_timestamp_query": "accept"}') -> 'options' ->> 'photos_timestamp_query' AS photos_timestamp_query;
UPDATE mlsync.mls_media_sync_status SET photos_refused_at = photos_refused_at - interval '25 hours'
 WHERE tenant_id = 'media-rets' AND connection = 'mr';
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr', wait => true)) AS runs;
SELECT state, updated, errors FROM mls_test.last_run('media-rets', 'mr');
CALL mlsync.mls_media_download('media-rets') \g /dev/null
SELECT * FROM mls_test.photo_fields('media-rets', 'mr', 'mr');
SELECT * FROM mls_test.media_diff('media-rets', 'mr', 'mr');
SELECT photos_refused_at IS NULL AS not_refused FROM mlsync.mls_media_sync_status
 WHERE tenant_id = 'media-rets' AND connection = 'mr';
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "mr", "photo_change_modifies": true}') -> 'options' ->> 'photo_change_modifies' AS photo_change_modifies;

-- a first load during which photos change without moving L_UpdateDate,
-- some of them on listings it had read, and other listings change after: the
-- watermark it reaches is past those photo changes, and its photo pass,
-- which cannot know the server's clock, starts from that watermark less the
-- time the load took, and reads them (old code started at the watermark:
-- 3 listings' photo fields stayed behind)
SELECT mls_test.reset('{"mls": "mr2", "listings": 60, "seed": 43, "photo_change_modifies": false,
	"rets": {"maxrows": 20}}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('media-rets', 'mr2', protocol => 'rets',
	endpoint => mls_test.rets_login('mr2'), username => 'mlsync', rets_class => 'ALL',
	photo_policy => 'metadata', incremental_overlap => '0');
SELECT mlsync.mls_set_credentials('media-rets', 'mr2', password => 'rets-pass');
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr2', mode => 'metadata', wait => true)) AS runs;
SELECT mlsync.mls_rets_create_mapping_set('media-rets', 'mr2', 'media-rets-local2') > 0 AS mapped;
SELECT mls_test.fault('{"mls": "mr2", "path": "search", "fault": "advance", "after": 5, "count": 1,
	"advance": {"seed": 3, "photos_changed": 8, "minutes": 0.005}}') ->> 'fault' AS fault;
SELECT mls_test.fault('{"mls": "mr2", "path": "search", "fault": "advance", "after": 6, "count": 1,
	"advance": {"seed": 4, "price_cut": 2, "minutes": 0.005}}') ->> 'fault' AS fault;
SELECT mls_test.fault('{"mls": "mr2", "path": "search", "fault": "slow", "after": 7, "count": 1,
	"delay": 2}') ->> 'fault' AS fault;
SELECT mls_test.clear_requests();
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr2', mode => 'full', wait => true)) AS runs;
SELECT mode, state, errors FROM mls_test.last_run('media-rets', 'mr2');
SELECT (r ->> 'fired')::int AS fired
  FROM jsonb_array_elements(mls_test.control('GET', '/control/faults') -> 'rules') r
 WHERE r ->> 'mls' = 'mr2' AND r ->> 'fault' = 'advance';
-- the pass began a little more than the load took (the server was slow
-- once for 2 s) before the watermark
SELECT replace(substring(e ->> 'query' from 'L_Last_Photo_updt%3D(.*)%2B%29'), '%3A', ':')::timestamp
		 BETWEEN s.watermark_raw::timestamp - interval '1 minute' AND s.watermark_raw::timestamp - interval '2 s'
		 AS began_before_the_watermark
  FROM mls_test.requests('mr2') e, mlsync.mls_sync_status s
 WHERE e ->> 'query' LIKE '%L_Last_Photo_updt%' AND s.tenant_id = 'media-rets' AND s.connection = 'mr2';
SELECT * FROM mls_test.photo_fields('media-rets', 'mr2', 'mr2');

-- a first load that fails in its photo pass (the server failing), after
-- photos changed without moving L_UpdateDate on listings it had read, and
-- goes on in the next run: that run counts the time the load took from the
-- first, so its pass reads those photo changes, made seconds before the
-- newest record (old code counted from the second run, which read one
-- record in a second: 4 listings' photo fields stayed behind; the pass
-- read none of the 8)
SELECT mls_test.reset('{"mls": "mr2", "listings": 60, "seed": 44, "photo_change_modifies": false,
	"rets": {"maxrows": 20}}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('media-rets', 'mr3', protocol => 'rets',
	endpoint => mls_test.rets_login('mr2'), username => 'mlsync', rets_class => 'ALL',
	photo_policy => 'metadata', incremental_overlap => '0');
SELECT mlsync.mls_set_credentials('media-rets', 'mr3', password => 'rets-pass');
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr3', mode => 'metadata', wait => true)) AS runs;
SELECT mlsync.mls_rets_create_mapping_set('media-rets', 'mr3', 'media-rets-local3') > 0 AS mapped;
SELECT mls_test.fault('{"mls": "mr2", "path": "search", "fault": "slow", "count": 1,
	"delay": 10}') ->> 'fault' AS fault;
SELECT mls_test.fault('{"mls": "mr2", "path": "search", "fault": "advance", "after": 5, "count": 1,
	"advance": {"seed": 5, "photos_changed": 8, "minutes": 0.005}}') ->> 'fault' AS fault;
SELECT mls_test.fault('{"mls": "mr2", "path": "search", "fault": "advance", "after": 6, "count": 1,
	"advance": {"seed": 6, "price_cut": 2, "minutes": 0.15}}') ->> 'fault' AS fault;
SELECT mls_test.fault('{"mls": "mr2", "path": "L_Last_Photo_updt", "fault": "http_500",
	"count": -1}') ->> 'fault' AS fault;
\set VERBOSITY terse
SET mlsync.max_retries = 0;
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr3', wait => true)) AS runs;
RESET mlsync.max_retries;
\set VERBOSITY default
SELECT mls_test.clear_faults('mr2') IS NOT NULL AS cleared;
SELECT cardinality(mlsync.mls_sync('media-rets', 'mr3', wait => true)) AS runs;
SELECT mode, state FROM mlsync.mls_sync_history
 WHERE tenant_id = 'media-rets' AND connection = 'mr3' ORDER BY run_id;
SELECT * FROM mls_test.photo_fields('media-rets', 'mr3', 'mr2');

DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'media-rets';
DELETE FROM mlsync.mls_mapping_sets WHERE mapping_set IN ('media-rets-local', 'media-rets-local2', 'media-rets-local3');
