-- Hostile and failing media: a decompression bomb, a truncated JPEG, a
-- content type that lies, an endless body, a redirect to another host, a
-- 10 GB Content-Length, photo URLs on denied networks; each is recorded as a
-- failed item with a clear error while the listings and every other photo
-- are stored.  A slow photo and one that fails once are stored (retried
-- with backoff); a photo that keeps failing gives up after
-- mlsync.media_max_attempts.  The work runs in this session (media workers
-- off), with this session's settings.
\i test/helpers/mls_server.sql
\i test/helpers/media.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
ALTER SYSTEM SET mlsync.media_workers = 0;
SELECT pg_reload_conf();
SELECT pg_sleep(1);

SELECT mls_test.reset('{"mls": "mh", "listings": 6, "seed": 7}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('media-hostile');
SELECT connection FROM mlsync.mls_connect('media-hostile', 'mh', protocol => 'reso',
	endpoint => mls_test.reso_root('mh'), token_url => mls_test.token_url('mh'),
	username => 'mlsync', photo_policy => 'download', expand_media => true);
SELECT mlsync.mls_set_credentials('media-hostile', 'mh', client_secret => 's3cret');

-- one listing's photos 2 to 10 each get a fault of their own; photo 1 a
-- header line that starts like a status line ("HTTP/1.1 500 Oops: x"),
-- which is a header: the photo is stored; another listing's photo 1 a 404
-- with an error page of 200 kB (cut off at 64 kB: a 404 all the same,
-- failed at once, not retried)
SELECT listing_key AS victim FROM mls_test.media_truth('mh')
 GROUP BY 1 HAVING count(*) >= 10 ORDER BY 1 LIMIT 1 \gset
CREATE TEMP TABLE planted (photo int, fault text, options jsonb);
INSERT INTO planted VALUES
	(1, 'status_header', '{}'), (2, 'bomb_image', '{}'), (3, 'truncated_image', '{}'),
	(4, 'wrong_content_type', '{}'), (5, 'redirect_other_host', '{}'), (6, 'huge_length', '{"delay": 5}'),
	(7, 'endless_body', '{"delay": 30}'), (8, 'slow', '{"delay": 1}'),
	(9, 'http_500', '{"count": 1}'), (10, 'http_503', '{}');
SELECT count(*) AS faults FROM planted,
	LATERAL mls_test.fault(jsonb_build_object('mls', 'mh', 'path', format('/media/%s/%s\.', :'victim', photo),
											  'fault', fault, 'count', -1) || options);
SELECT listing_key AS victim2 FROM mls_test.media_truth('mh') WHERE listing_key <> :'victim'
 ORDER BY 1 LIMIT 1 \gset
SELECT mls_test.fault(jsonb_build_object('mls', 'mh', 'path', format('/media/%s/1\.', :'victim2'),
										 'fault', 'http_404_large', 'count', -1)) ->> 'fault' AS fault;

SET mlsync.media_timeout = '2s';
SET mlsync.media_max_attempts = 2;
SET mlsync.retry_base_delay = '10ms';
SELECT cardinality(mlsync.mls_sync('media-hostile', 'mh', mode => 'full', wait => true)) AS runs;
SELECT mode, state, errors FROM mls_test.last_run('media-hostile', 'mh');
SELECT missing, extra FROM mls_test.diff('media-hostile', 'mh', 'mh');
CALL mlsync.mls_media_download('media-hostile') \g /dev/null

-- every planted photo ended as it should; the others are all stored
SELECT p.photo, p.fault, m.state, m.attempts,
	   regexp_replace(regexp_replace(m.last_error, '[0-9]+ bytes received', 'N bytes received'),
					  '(127\.0\.0\.1|localhost):[0-9]+', '\1:PORT', 'g') AS error
  FROM planted p
  LEFT JOIN mlsync.mls_media m ON m.tenant_id = 'media-hostile' AND m.listing_key = :'victim'
	AND m.position = p.photo
 ORDER BY p.photo;
SELECT count(*) FILTER (WHERE state = 'stored') = count(*) - 8 AS all_others_stored,
	   count(*) FILTER (WHERE state = 'failed') AS failed
  FROM mlsync.mls_media WHERE tenant_id = 'media-hostile';
SELECT state, attempts, last_error FROM mlsync.mls_media
 WHERE tenant_id = 'media-hostile' AND listing_key = :'victim2' AND position = 1;
-- nothing of the failed items is stored, not even the bomb's or the truncated photo's file
SELECT count(*) AS objects_of_failed_items FROM mlsync.mls_media_objects o
 WHERE o.tenant_id = 'media-hostile' AND o.derive_state <> 'done';
SELECT count(*) AS files_of_failed_items FROM mlsync.mls_media m
 WHERE m.tenant_id = 'media-hostile' AND m.state = 'failed' AND m.storage_key IS NOT NULL;
-- the redirect was not followed: the photo was asked for once, on its own host
SELECT count(*) FILTER (WHERE r ->> 'path' LIKE '%/' || :'victim' || '/5.jpg') AS redirect_requests
  FROM mls_test.requests('mh') r;
SELECT failed, pending FROM mlsync.mls_media_progress WHERE tenant_id = 'media-hostile';

-- a failed photo that the source changes is tried again
SELECT mls_test.clear_faults('mh') IS NOT NULL AS faults_cleared;
UPDATE mlsync.mls_media SET source_modified_raw = 'before' WHERE tenant_id = 'media-hostile'
   AND listing_key = :'victim' AND position = 4;
SELECT changed FROM mlsync.mls_media_upsert('media-hostile', 'mh',
	(SELECT jsonb_agg(m) FROM mlsync.mls_listings l, jsonb_array_elements(l.raw -> 'Media') m
	  WHERE l.tenant_id = 'media-hostile' AND l.listing_key = :'victim' AND (m ->> 'Order')::int = 4),
	NULL, now());
CALL mlsync.mls_media_download('media-hostile', 'mh') \g /dev/null
SELECT state, attempts, last_error FROM mlsync.mls_media
 WHERE tenant_id = 'media-hostile' AND listing_key = :'victim' AND position = 4;

-- redirects share the download's mlsync.media_timeout (2 s here): a host
-- that answers each request after 1.5 s with a redirect to itself (three
-- times, then the photo) does not get 2 s per hop; the download times out
-- and is tried again later
SELECT mls_test.clear_faults('mh') IS NOT NULL AS faults_cleared;
SELECT mls_test.fault(jsonb_build_object('mls', 'mh', 'path', format('/media/%s/1\.', :'victim2'),
										 'fault', f, 'delay', 1.5, 'count', n)) ->> 'fault' AS fault
  FROM (VALUES ('slow', -1), ('redirect_same', 3)) v(f, n);
UPDATE mlsync.mls_media SET source_modified_raw = 'before' WHERE tenant_id = 'media-hostile'
   AND listing_key = :'victim2' AND position = 1;
SELECT changed FROM mlsync.mls_media_upsert('media-hostile', 'mh',
	(SELECT jsonb_agg(m) FROM mlsync.mls_listings l, jsonb_array_elements(l.raw -> 'Media') m
	  WHERE l.tenant_id = 'media-hostile' AND l.listing_key = :'victim2' AND (m ->> 'Order')::int = 1),
	NULL, now());
CALL mlsync.mls_media_download('media-hostile', 'mh') \g /dev/null
-- the server finishes the 1.5 s waits of the hops mlsync gave up on (it
-- records a request once answered: later counts must not see them)
SELECT pg_sleep(3) IS NOT NULL AS waited;
SELECT state, attempts > 0 AS tried,
	   regexp_replace(last_error, '[0-9]+ bytes received', 'N bytes received') AS last_error
  FROM mlsync.mls_media
 WHERE tenant_id = 'media-hostile' AND listing_key = :'victim2' AND position = 1;
SELECT mls_test.clear_faults('mh') IS NOT NULL AS faults_cleared;

-- the network guard (mlsync.denied_networks, mlsync.allowed_hosts) holds
-- for media too: photo URLs on a denied network fail their items, for good,
-- before any connection is made.  With the tests' settings
-- (allowed_hosts = '127.0.0.1'): the sample server's port on 127.0.0.2 (a
-- connection would be refused, a retryable error) and the cloud metadata
-- address (a connection would wait for its timeout).
SELECT listing_key AS other FROM mls_test.media_truth('mh')
 WHERE listing_key <> :'victim' GROUP BY 1 HAVING count(*) >= 3 ORDER BY 1 LIMIT 1 \gset
SELECT changed FROM mlsync.mls_media_upsert('media-hostile', 'mh',
	(SELECT jsonb_agg(m || jsonb_build_object('MediaURL',
				CASE (m ->> 'Order')::int
					WHEN 1 THEN replace(m ->> 'MediaURL', '://127.0.0.1:', '://127.0.0.2:')
					ELSE 'http://169.254.169.254/latest/meta-data/photo.jpg' END))
	   FROM mlsync.mls_listings l, jsonb_array_elements(l.raw -> 'Media') m
	  WHERE l.tenant_id = 'media-hostile' AND l.listing_key = :'other' AND (m ->> 'Order')::int IN (1, 2)),
	NULL, now());
CALL mlsync.mls_media_download('media-hostile', 'mh') \g /dev/null
SELECT position, split_part(source_url, '/', 3) ~ '^(127\.0\.0\.2:[0-9]+|169\.254\.169\.254)$' AS denied_url,
	   state, attempts, last_error
  FROM mlsync.mls_media
 WHERE tenant_id = 'media-hostile' AND listing_key = :'other' AND position IN (1, 2)
 ORDER BY position;
-- and on the sample server itself once loopback is no longer allowed: the
-- photo fails and the server receives no request at all
SELECT changed FROM mlsync.mls_media_upsert('media-hostile', 'mh',
	(SELECT jsonb_agg(m || '{"MediaModificationTimestamp": "2030-01-01T00:00:00Z"}')
	   FROM mlsync.mls_listings l, jsonb_array_elements(l.raw -> 'Media') m
	  WHERE l.tenant_id = 'media-hostile' AND l.listing_key = :'other' AND (m ->> 'Order')::int = 3),
	NULL, now());
SELECT mls_test.clear_requests();
SET mlsync.allowed_hosts = '';
CALL mlsync.mls_media_download('media-hostile', 'mh') \g /dev/null
RESET mlsync.allowed_hosts;
SELECT count(*) AS requests_received FROM mls_test.requests('mh');
SELECT state, attempts, last_error FROM mlsync.mls_media
 WHERE tenant_id = 'media-hostile' AND listing_key = :'other' AND position = 3;

-- budgets: a connection allowed 10 media requests an hour stores 10 photos,
-- the others wait for the next hour
SELECT connection FROM mlsync.mls_connect('media-hostile', 'budget', protocol => 'reso',
	endpoint => mls_test.reso_root('mh'), token_url => mls_test.token_url('mh'),
	username => 'mlsync', photo_policy => 'download', expand_media => true);
SELECT mlsync.mls_set_credentials('media-hostile', 'budget', client_secret => 's3cret');
SELECT max_requests_per_hour FROM mlsync.mls_media_configure('media-hostile', 'budget',
	max_requests_per_hour => 10);
SELECT cardinality(mlsync.mls_sync('media-hostile', 'budget', mode => 'full', wait => true)) AS runs;
CALL mlsync.mls_media_download('media-hostile', 'budget') \g /dev/null
SELECT state, count(*) FILTER (WHERE next_attempt_at = date_trunc('hour', now()) + interval '1 hour') AS next_hour,
	   last_error, count(*) > 0 AS some
  FROM mlsync.mls_media WHERE tenant_id = 'media-hostile' AND connection = 'budget'
 GROUP BY state, last_error ORDER BY state;
SELECT count(*) FILTER (WHERE state = 'stored') AS stored
  FROM mlsync.mls_media WHERE tenant_id = 'media-hostile' AND connection = 'budget';
SELECT requests, stored FROM mlsync.mls_media_usage WHERE tenant_id = 'media-hostile' AND connection = 'budget';
SELECT pending, waiting = pending AS all_waiting, requests_this_hour
  FROM mlsync.mls_media_progress WHERE tenant_id = 'media-hostile' AND connection = 'budget';

-- the connection's hourly rate limit counts its media requests with its
-- syncs' (src/engine/store.c): set to exactly what the last hour's syncs and
-- the 10 downloads spent, it stops an incremental sync before it sends
-- anything (counting the syncs alone, it would have had 10 requests left);
-- 5 more let the same sync run
CREATE FUNCTION pg_temp.try_sync(connection text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mlsync.mls_sync('media-hostile', connection, wait => true);
	RETURN 'succeeded';
EXCEPTION WHEN others THEN
	RETURN 'failed';
END
$$;
SELECT (SELECT sum(requests) FROM mlsync.mls_sync_history
		 WHERE tenant_id = 'media-hostile' AND connection = 'budget'
		   AND started_at > now() - interval '1 hour') AS sync_requests,
	   (SELECT sum(requests) FROM mlsync.mls_media_usage
		 WHERE tenant_id = 'media-hostile' AND connection = 'budget') AS media_requests \gset
SELECT :media_requests AS media_requests, :sync_requests > 0 AS syncs_sent_requests;
SELECT connection FROM mlsync.mls_connect('media-hostile', 'budget',
	rate_per_hour => :sync_requests + :media_requests);
SET mlsync.retry_max_delay = '1s';
SELECT mls_test.clear_requests();
SELECT pg_temp.try_sync('budget') AS outcome;
SELECT category, message ~ 'request budget is spent' AS says_budget
  FROM mlsync.mls_sync_errors WHERE tenant_id = 'media-hostile' AND connection = 'budget'
 ORDER BY error_id DESC LIMIT 1;
SELECT count(*) AS requests_received FROM mls_test.requests('mh');
SELECT connection FROM mlsync.mls_connect('media-hostile', 'budget',
	rate_per_hour => :sync_requests + :media_requests + 5);
SELECT pg_temp.try_sync('budget') AS outcome;
SELECT count(*) > 0 AS requests_received FROM mls_test.requests('mh');
RESET mlsync.retry_max_delay;

-- the tenant's quota of stored media bytes: a tenant allowed one byte more
-- than it stores stores one more photo (one download at a time here; with
-- more, those already started finish), the others wait with the reason
SELECT tenant_id FROM mlsync.mls_create_tenant('media-quota');
SELECT connection FROM mlsync.mls_connect('media-quota', 'q', protocol => 'reso',
	endpoint => mls_test.reso_root('mh'), token_url => mls_test.token_url('mh'),
	username => 'mlsync', photo_policy => 'download', expand_media => true);
SELECT mlsync.mls_set_credentials('media-quota', 'q', client_secret => 's3cret');
SELECT concurrency FROM mlsync.mls_media_configure('media-quota', 'q', concurrency => 1);
SELECT max_media_bytes FROM mlsync.mls_create_tenant('media-quota', max_media_bytes => 1);
SELECT cardinality(mlsync.mls_sync('media-quota', 'q', mode => 'full', wait => true)) AS runs;
CALL mlsync.mls_media_download('media-quota', 'q') \g /dev/null
SELECT state, last_error, count(*) > 0 AS some,
	   count(*) FILTER (WHERE next_attempt_at = date_trunc('hour', now()) + interval '1 hour')
		 = count(*) AS all_next_hour
  FROM mlsync.mls_media WHERE tenant_id = 'media-quota'
 GROUP BY state, last_error ORDER BY state;
SELECT count(*) AS files_stored FROM mlsync.mls_media_objects WHERE tenant_id = 'media-quota';
-- a quota raised: the next download goes on
SELECT max_media_bytes > 1 AS raised FROM mlsync.mls_create_tenant('media-quota', max_media_bytes => 1000000000);
UPDATE mlsync.mls_media SET next_attempt_at = NULL WHERE tenant_id = 'media-quota' AND state = 'pending';
CALL mlsync.mls_media_download('media-quota', 'q') \g /dev/null
SELECT count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'stored') > 1 AS stored
  FROM mlsync.mls_media WHERE tenant_id = 'media-quota';
-- the day's usage row holds the bytes the tenant stores
SELECT u.media_bytes_stored = (SELECT sum(o.bytes) FROM mlsync.mls_media_objects o
								WHERE o.tenant_id = 'media-quota') AS usage_counts_the_files,
	   u.media_bytes_stored > 0 AS some_bytes
  FROM mlsync.mls_usage u
 WHERE u.tenant_id = 'media-quota' AND u.day = (now() AT TIME ZONE 'UTC')::date;
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'media-quota';

-- an S3 endpoint that takes the photos, then answers the read of one back
-- (to derive its sizes) with a body without end: the read stops past the
-- object's size as stored, and the object is left for a later round;
-- nothing more of it fills the disk
SELECT mls_test.control('GET', '/control/health') ->> 'listener' AS listener \gset
SELECT mls_test.reset('{"mls": "s3e", "listings": 1, "seed": 9, "listener_mode": "endless_get"}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('media-s3e');
SELECT backend FROM mlsync.mls_media_set_storage('media-s3e', backend => 's3', endpoint => :'listener',
	bucket => 's3e', region => 'us-east-1', access_key_id => 'K', secret_access_key => 'S');
SELECT connection FROM mlsync.mls_connect('media-s3e', 's3e', protocol => 'reso',
	endpoint => mls_test.reso_root('s3e'), token_url => mls_test.token_url('s3e'),
	username => 'mlsync', photo_policy => 'download');
SELECT mlsync.mls_set_credentials('media-s3e', 's3e', client_secret => 's3cret') IS NOT NULL AS secret_set;
SELECT cardinality(mlsync.mls_sync('media-s3e', 's3e', mode => 'full', wait => true)) AS runs;
SELECT mls_test.control('DELETE', '/control/listener') IS NOT NULL AS listener_cleared;
SET mlsync.media_timeout = '30s';
-- (the WARNING names the listener's port: "S3 GET of ... failed: the answer
-- is larger than the N bytes stored")
SET client_min_messages = error;
CALL mlsync.mls_media_download('media-s3e', max_items => 1) \g /dev/null
SET client_min_messages = warning;
SELECT count(*) AS stored, count(*) FILTER (WHERE derive_state = 'pending') AS left_to_derive
  FROM mlsync.mls_media_objects WHERE tenant_id = 'media-s3e';
-- what the endpoint could send before mlsync hung up
CREATE FUNCTION pg_temp.endless_sent() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	sent bigint;
BEGIN
	FOR i IN 1 .. 100 LOOP
		SELECT (r ->> 'sent_bytes')::bigint INTO sent
		  FROM jsonb_array_elements(mls_test.control('GET', '/control/listener') -> 'records') r
		 WHERE r ->> 'method' = 'GET';
		EXIT WHEN sent IS NOT NULL;
		PERFORM pg_sleep(0.1);
	END LOOP;
	RETURN sent;
END
$$;
SELECT pg_temp.endless_sent() < 32 * 1024 * 1024 AS read_stopped_early;
-- the object is tried again in a minute, not before: the next round does
-- not read it (an original that stays unreadable neither holds back the
-- others nor keeps media workers starting for it)
SELECT sha256 AS unreadable_sha, storage_key AS unreadable_key
  FROM mlsync.mls_media_objects WHERE tenant_id = 'media-s3e' \gset
SELECT derive_reads_failed, derive_retry_at > now() + interval '50 s' AS retried_in_a_minute,
	   derive_error LIKE '%larger than the % bytes stored%' AS error_kept
  FROM mlsync.mls_media_objects WHERE tenant_id = 'media-s3e' AND sha256 = :'unreadable_sha';
SET client_min_messages = error;
CALL mlsync.mls_media_download('media-s3e', max_items => 1) \g /dev/null
SET client_min_messages = warning;
SELECT count(*) AS reads_of_it
  FROM jsonb_array_elements(mls_test.control('GET', '/control/listener') -> 'records') r
 WHERE r ->> 'method' = 'GET' AND r ->> 'path' LIKE '%' || :'unreadable_key';
-- a storage that does not answer (here: nothing listens) never makes
-- mlsync give a file up, however often it fails
UPDATE mlsync.mls_media_objects SET derive_reads_failed = 9, derive_retry_at = now() - interval '1 s'
 WHERE tenant_id = 'media-s3e' AND sha256 = :'unreadable_sha';
SELECT backend FROM mlsync.mls_media_set_storage('media-s3e', backend => 's3', endpoint => 'http://127.0.0.1:9',
	bucket => 's3e', region => 'us-east-1', access_key_id => 'K', secret_access_key => 'S');
SET client_min_messages = error;
CALL mlsync.mls_media_download('media-s3e', max_items => 0) \g /dev/null
SET client_min_messages = warning;
SELECT derive_state, derive_reads_failed, derive_error LIKE '%127.0.0.1:9%' AS refused
  FROM mlsync.mls_media_objects WHERE tenant_id = 'media-s3e' AND sha256 = :'unreadable_sha';
SELECT count(*) FILTER (WHERE state = 'stored') AS still_stored
  FROM mlsync.mls_media WHERE tenant_id = 'media-s3e' AND sha256 = :'unreadable_sha';
-- but once the storage answers, past ten failed reads, that it does not
-- hold those bytes (more of them than were stored), the stored file is
-- given up: its photos are to be downloaded again, the object and its file
-- go at once
UPDATE mlsync.mls_media_objects SET derive_retry_at = now() - interval '1 s'
 WHERE tenant_id = 'media-s3e' AND sha256 = :'unreadable_sha';
SELECT backend FROM mlsync.mls_media_set_storage('media-s3e', backend => 's3', endpoint => :'listener',
	bucket => 's3e', region => 'us-east-1', access_key_id => 'K', secret_access_key => 'S');
SELECT mls_test.control('DELETE', '/control/listener') IS NOT NULL AS listener_cleared;
SET client_min_messages = error;
CALL mlsync.mls_media_download('media-s3e', max_items => 1) \g /dev/null
SET client_min_messages = warning;
SELECT count(*) > 0 AS photos, bool_and(state = 'pending' AND sha256 IS NULL) AS to_download
  FROM mlsync.mls_media
 WHERE tenant_id = 'media-s3e' AND last_error LIKE 'its stored file could not be read back: %';
SELECT count(*) AS object_left FROM mlsync.mls_media_objects
 WHERE tenant_id = 'media-s3e' AND sha256 = :'unreadable_sha';
SELECT count(*) AS file_deleted
  FROM jsonb_array_elements(mls_test.control('GET', '/control/listener') -> 'records') r
 WHERE r ->> 'method' = 'DELETE' AND r ->> 'path' LIKE '%' || :'unreadable_key';
-- the next round downloads its bytes and stores them anew, and reads them
-- back once more
SELECT mls_test.control('DELETE', '/control/listener') IS NOT NULL AS listener_cleared;
SET client_min_messages = error;
CALL mlsync.mls_media_download('media-s3e') \g /dev/null
SET client_min_messages = warning;
SELECT derive_reads_failed FROM mlsync.mls_media_objects
 WHERE tenant_id = 'media-s3e' AND sha256 = :'unreadable_sha';
SELECT string_agg(r ->> 'method', ',' ORDER BY (r ->> 'time')::numeric) AS requests_for_it
  FROM jsonb_array_elements(mls_test.control('GET', '/control/listener') -> 'records') r
 WHERE r ->> 'path' LIKE '%' || :'unreadable_key';
SET mlsync.media_timeout = '2s';
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'media-s3e';

RESET mlsync.media_timeout;
-- a source that lists 1,500 media items for one listing (more than the
-- 1,000 a listing may have): its list is read that far and no further,
-- what was read is recorded, none of its media is removed (the list is not
-- known whole), and the run notes a protocol error naming the listing and
-- succeeds; the other listings' lists are read whole.  RESO: the Media
-- resource, then the whole list of each listing whose photos moved (the
-- others of the flooded listing's request are asked for again, and their
-- old photos removed)
SELECT mls_test.reset('{"mls": "mf", "listings": 30, "seed": 9, "photo_flood": 1500}') ->> 'count' AS listings;
SELECT mls_test.control('GET', '/control/mls?mls=mf') -> 'special_keys' ->> 'photo_flood' AS flooded \gset
SELECT tenant_id FROM mlsync.mls_create_tenant('media-flood');
SELECT connection FROM mlsync.mls_connect('media-flood', 'fr', protocol => 'reso',
	endpoint => mls_test.reso_root('mf'), token_url => mls_test.token_url('mf'),
	username => 'mlsync', photo_policy => 'metadata');
SELECT mlsync.mls_set_credentials('media-flood', 'fr', client_secret => 's3cret');
SELECT cardinality(mlsync.mls_sync('media-flood', 'fr', mode => 'full', wait => true)) AS runs;
SELECT count(*) FILTER (WHERE listing_key = :'flooded') AS flooded_items,
	   count(*) = (SELECT count(*) FROM mls_test.media_truth('mf')) AS every_item_listed
  FROM mlsync.mls_media WHERE tenant_id = 'media-flood' AND connection = 'fr';
-- new photos for every listing that can get them, the flooded one among them
SELECT jsonb_array_length(c -> 'photos_changed') AS photos_changed,
	   c -> 'photos_changed' ? :'flooded' AS flooded_changed
  FROM (SELECT mls_test.advance('{"mls": "mf", "seed": 5, "photos_changed": 30}') -> 'changed') a(c);
SELECT cardinality(mlsync.mls_sync('media-flood', 'fr', wait => true)) AS runs;
SELECT mode, state FROM mls_test.last_run('media-flood', 'fr');
SELECT category, retry_state, record_key = :'flooded' AS names_the_listing,
	   message ~ '^the media list of listing ".*" holds more than 1000 items; it was read in part and none of its media was removed$' AS says_so
  FROM mlsync.mls_sync_errors WHERE tenant_id = 'media-flood' AND connection = 'fr';
-- the flooded listing keeps its 1,500 old items beside the 1,500 new ones;
-- every other listing holds exactly the truth's, its old photos removed
SELECT count(*) FILTER (WHERE state <> 'removed') AS flooded_kept
  FROM mlsync.mls_media WHERE tenant_id = 'media-flood' AND connection = 'fr' AND listing_key = :'flooded';
CREATE TEMP TABLE flood_truth AS
	SELECT listing_key, media_key, ord FROM mls_test.media_truth('mf') WHERE listing_key <> :'flooded';
CREATE TEMP VIEW flood_mine AS
	SELECT connection, media_key, state FROM mlsync.mls_media
	 WHERE tenant_id = 'media-flood' AND listing_key <> :'flooded';
SELECT (SELECT count(*) FROM flood_truth t
		 WHERE NOT EXISTS (SELECT 1 FROM flood_mine m WHERE m.connection = 'fr'
							AND m.media_key = t.media_key AND m.state <> 'removed')) AS missing,
	   (SELECT count(*) FROM flood_mine m
		 WHERE m.connection = 'fr' AND m.state <> 'removed'
		   AND NOT EXISTS (SELECT 1 FROM flood_truth t WHERE t.media_key = m.media_key)) AS extra,
	   (SELECT count(*) > 0 FROM flood_mine m WHERE m.connection = 'fr' AND m.state = 'removed') AS old_photos_removed;
SELECT count(*) FILTER (WHERE needs_check) AS left_to_check
  FROM mlsync.mls_media_listings WHERE tenant_id = 'media-flood' AND connection = 'fr';

-- RETS: GetObject lists 1,500 objects for the listing; the first 1,000
-- are recorded
SELECT connection FROM mlsync.mls_connect('media-flood', 'fg', protocol => 'rets',
	endpoint => mls_test.rets_login('mf'), username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('media-flood', 'fg', password => 'rets-pass');
SELECT cardinality(mlsync.mls_sync('media-flood', 'fg', mode => 'metadata', wait => true)) AS runs;
SELECT mlsync.mls_rets_create_mapping_set('media-flood', 'fg', 'media-flood-local') > 0 AS mapped;
SELECT changed FROM mlsync.mls_connect('media-flood', 'fg', photo_policy => 'metadata');
SELECT cardinality(mlsync.mls_sync('media-flood', 'fg', mode => 'full', wait => true)) AS runs;
SELECT mode, state FROM mls_test.last_run('media-flood', 'fg');
SELECT category, retry_state, record_key = :'flooded' AS names_the_listing,
	   message ~ '^GetObject listed 1500 objects of listing ".*", more than 1000; the first 1000 were recorded and none of its media was removed$' AS says_so
  FROM mlsync.mls_sync_errors WHERE tenant_id = 'media-flood' AND connection = 'fg';
SELECT count(*) AS flooded_items, count(DISTINCT position) AS positions, max(position) AS last
  FROM mlsync.mls_media WHERE tenant_id = 'media-flood' AND connection = 'fg' AND listing_key = :'flooded';
-- the other listings: every object, at its place
SELECT count(*) AS missing FROM flood_truth t
 WHERE NOT EXISTS (SELECT 1 FROM mlsync.mls_media m
					WHERE m.tenant_id = 'media-flood' AND m.connection = 'fg'
					  AND m.listing_key = t.listing_key AND m.position = t.ord
					  AND m.state <> 'removed');
SELECT count(*) AS extra FROM mlsync.mls_media m
 WHERE m.tenant_id = 'media-flood' AND m.connection = 'fg' AND m.listing_key <> :'flooded'
   AND NOT EXISTS (SELECT 1 FROM flood_truth t WHERE t.listing_key = m.listing_key AND t.ord = m.position);
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'media-flood';

RESET mlsync.media_max_attempts;
RESET mlsync.retry_base_delay;
ALTER SYSTEM RESET mlsync.media_workers;
SELECT pg_reload_conf();
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'media-hostile';
