-- Media stored in an S3-compatible object store: a real s3rver started by
-- the test (test/s3/s3rver), behind a front that checks every request's
-- AWS Signature V4 and payload hash.  Every item of the truth is stored
-- once under its content's key (read back through the S3 API, SHA-256
-- equal), derivatives too; replaced and removed media are deleted from the
-- bucket; the secret is stored encrypted, bound to the endpoint, and
-- re-encrypted by a key rotation; a wrong secret leaves the items pending
-- with S3's answer, and they are stored once it is right.  Media workers are
-- off: the work runs in this session.
\i test/helpers/mls_server.sql
\i test/helpers/media.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
ALTER SYSTEM SET mlsync.media_workers = 0;
SELECT pg_reload_conf();
SELECT pg_sleep(1);
\set s3dir `mktemp -d`
\set s3 `test/s3/s3rver start :s3dir $PPID`
SELECT :'s3' ~ '^http://127\.0\.0\.1:[0-9]+$' AS s3rver_listens;

SELECT mls_test.reset('{"mls": "ms", "listings": 3, "seed": 31,
	"media": {"size": "large", "floorplans": true}}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('media-s3');
SELECT backend, endpoint = :'s3' AS endpoint, bucket, region, access_key_id
  FROM mlsync.mls_media_set_storage('media-s3', backend => 's3', endpoint => :'s3',
	bucket => 'mlsync-test', region => 'us-east-1', access_key_id => 'MLSYNCTEST',
	secret_access_key => 'mlsync-test-secret');
-- the secret is kept encrypted only
SELECT count(*) AS secrets, bool_and(position('mlsync-test-secret'::bytea IN ciphertext) = 0) AS encrypted
  FROM mlsync.mls_media_credentials WHERE tenant_id = 'media-s3';
SELECT connection FROM mlsync.mls_connect('media-s3', 'ms', protocol => 'reso',
	endpoint => mls_test.reso_root('ms'), token_url => mls_test.token_url('ms'),
	username => 'mlsync', photo_policy => 'download');
SELECT mlsync.mls_set_credentials('media-s3', 'ms', client_secret => 's3cret');

SELECT cardinality(mlsync.mls_sync('media-s3', 'ms', mode => 'full', wait => true)) AS runs;
CALL mlsync.mls_media_download('media-s3') \g /dev/null
SELECT missing, extra, different FROM mls_test.media_diff('media-s3', 'ms', 'ms');
-- read back through the S3 API: the bytes the truth has
SELECT count(*) AS stored, count(*) FILTER (WHERE mls_test.s3_sha256(:'s3', storage_key) = sha256) AS same_bytes_in_s3
  FROM mlsync.mls_media WHERE tenant_id = 'media-s3' AND state = 'stored';
SELECT count(*) AS derivatives,
	   count(*) FILTER (WHERE mls_test.s3_sha256(:'s3', d ->> 'storage_key') ~ '^[0-9a-f]{64}$') AS in_s3
  FROM mlsync.mls_media_objects o, jsonb_array_elements(o.derivatives) d
 WHERE o.tenant_id = 'media-s3';
-- nothing was written to the directory storage
SELECT count(*) AS local_files FROM mlsync.mls_media m
 WHERE m.tenant_id = 'media-s3' AND mls_test.media_file(m.storage_key) IS NOT NULL;

-- changes and removals reach the bucket
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "ms", "seed": 5, "photo_replaced": 1,
	"photo_removed": 1}') -> 'changed') AS c(kind, keys)
 WHERE jsonb_array_length(keys) > 0;
CREATE TEMP TABLE before AS
	SELECT media_key, sha256, storage_key FROM mlsync.mls_media WHERE tenant_id = 'media-s3';
SELECT cardinality(mlsync.mls_sync('media-s3', 'ms', wait => true)) AS runs;
CALL mlsync.mls_media_download('media-s3') \g /dev/null
SELECT missing, extra, different FROM mls_test.media_diff('media-s3', 'ms', 'ms');
SELECT m.state, mls_test.s3_sha256(:'s3', b.storage_key) AS old_object,
	   m.state = 'removed' OR mls_test.s3_sha256(:'s3', m.storage_key) = m.sha256 AS new_object_right
  FROM before b JOIN mlsync.mls_media m USING (media_key)
 WHERE m.tenant_id = 'media-s3' AND m.sha256 IS DISTINCT FROM b.sha256
 ORDER BY 1;

-- a wrong secret: S3 refuses, the items wait; the right one stores them
SELECT access_key_id FROM mlsync.mls_media_set_storage('media-s3', secret_access_key => 'not-the-secret');
SELECT jsonb_array_length(mls_test.advance('{"mls": "ms", "seed": 6, "photos_changed": 1}') -> 'changed' -> 'photos_changed') AS changed;
SELECT cardinality(mlsync.mls_sync('media-s3', 'ms', wait => true)) AS runs;
SET mlsync.retry_base_delay = '10ms';
-- (a photo the storage could not take waits mlsync.retry_max_delay)
SET mlsync.retry_max_delay = '10ms';
CALL mlsync.mls_media_download('media-s3', max_items => 3) \g /dev/null
SELECT state, attempts,
	   regexp_replace(regexp_replace(last_error, '"[^"]*" in', '"<key>" in'), ':[0-9]+:', ':<port>:') AS error
  FROM mlsync.mls_media WHERE tenant_id = 'media-s3' AND last_error IS NOT NULL
 GROUP BY 1, 2, 3;
-- storage trouble is not the photos' fault: tried again past
-- mlsync.media_max_attempts, they stay pending, never failed, their
-- attempts not counted
SET mlsync.media_max_attempts = 2;
SELECT pg_sleep(0.1);
CALL mlsync.mls_media_download('media-s3') \g /dev/null
SELECT state, attempts, count(*) > 0 AS items FROM mlsync.mls_media
 WHERE tenant_id = 'media-s3' AND last_error IS NOT NULL GROUP BY 1, 2;
RESET mlsync.media_max_attempts;
-- the files of the replaced version could not be deleted either: they wait
SELECT count(*) > 0 AS files_waiting, bool_and(last_error LIKE '%403 SignatureDoesNotMatch%') AS refused
  FROM mlsync.mls_media_garbage WHERE tenant_id = 'media-s3';
SELECT access_key_id FROM mlsync.mls_media_set_storage('media-s3', secret_access_key => 'mlsync-test-secret');
SELECT pg_sleep(0.1);
CALL mlsync.mls_media_download('media-s3') \g /dev/null
SELECT missing, extra, different FROM mls_test.media_diff('media-s3', 'ms', 'ms');
-- the files the wrong secret could not delete are deleted now
SELECT count(*) AS files_left_to_delete FROM mlsync.mls_media_garbage WHERE tenant_id = 'media-s3';
SELECT count(*) AS old_objects, count(*) FILTER (WHERE mls_test.s3_sha256(:'s3', storage_key) = 'HTTP 404') AS gone_from_s3
  FROM before b
 WHERE NOT EXISTS (SELECT 1 FROM mlsync.mls_media_objects o WHERE o.tenant_id = 'media-s3' AND o.sha256 = b.sha256);

-- a key rotation re-encrypts the S3 secret with the connections' secrets:
-- its key id becomes the new key's, and under the new key the bucket takes
-- a photo again; rotated back, it is the old key's
CREATE FUNCTION pg_temp.write_key(path text, key text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('COPY (SELECT %L) TO %L', key, path);
	EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'cat >/dev/null; chmod 0600 ' || path);
END
$$;
CREATE FUNCTION pg_temp.key_id(key text) RETURNS bytea
LANGUAGE sql RETURN substr(sha256('mlsync key id'::bytea || decode(key, 'hex')), 1, 8);
SELECT current_setting('mlsync.secret_key_file') AS key_a,
	   current_setting('data_directory') || '/mlsync_media_key_b' AS key_b \gset
SELECT pg_temp.write_key(:'key_b', repeat('fedcba9876543210', 4));
SELECT mlsync.mls_rotate_secret_key(:'key_b') >= 2 AS rotated;
SELECT key_id = pg_temp.key_id(repeat('fedcba9876543210', 4)) AS under_new_key
  FROM mlsync.mls_media_credentials WHERE tenant_id = 'media-s3';
SET mlsync.secret_key_file = :'key_b';
SELECT media_key AS rotated_photo, sha256 AS rotated_sha FROM mlsync.mls_media
 WHERE tenant_id = 'media-s3' AND state = 'stored' AND category = 'Photo'
 ORDER BY media_key LIMIT 1 \gset
-- the photo pending again and its object forgotten: its download puts the
-- file in the bucket again, signed with the secret the new key decrypts
UPDATE mlsync.mls_media SET state = 'pending', attempts = 0, next_attempt_at = NULL
 WHERE tenant_id = 'media-s3' AND media_key = :'rotated_photo';
DELETE FROM mlsync.mls_media_objects WHERE tenant_id = 'media-s3' AND sha256 = :'rotated_sha';
CALL mlsync.mls_media_download('media-s3') \g /dev/null
SELECT m.state, m.last_error, o.sha256 IS NOT NULL AS object_again,
	   mls_test.s3_sha256(:'s3', m.storage_key) = m.sha256 AS in_s3
  FROM mlsync.mls_media m
  LEFT JOIN mlsync.mls_media_objects o ON o.tenant_id = m.tenant_id AND o.sha256 = m.sha256
 WHERE m.tenant_id = 'media-s3' AND m.media_key = :'rotated_photo';
SELECT mlsync.mls_rotate_secret_key(:'key_a') >= 2 AS rotated_back;
RESET mlsync.secret_key_file;
SELECT key_id = pg_temp.key_id(repeat('a1b2c3d4', 8)) AS under_old_key
  FROM mlsync.mls_media_credentials WHERE tenant_id = 'media-s3';

-- the secret is bound to its endpoint: pointed elsewhere, it is gone
SELECT endpoint FROM mlsync.mls_media_set_storage('media-s3', endpoint => 'http://127.0.0.1:9/');
SELECT count(*) AS secrets FROM mlsync.mls_media_credentials WHERE tenant_id = 'media-s3';
SELECT jsonb_array_length(mls_test.advance('{"mls": "ms", "seed": 7, "photos_changed": 1}') -> 'changed' -> 'photos_changed') AS changed;
SELECT cardinality(mlsync.mls_sync('media-s3', 'ms', wait => true)) AS runs;
CALL mlsync.mls_media_download('media-s3');
-- bad storage settings
SELECT mlsync.mls_media_set_storage('media-s3', endpoint => 'ftp://example.com');
SELECT mlsync.mls_media_set_storage('media-s3', bucket => 'Not A Bucket');
SELECT mlsync.mls_media_set_storage('nobody-yet', backend => 's3');
SELECT tenant_id FROM mlsync.mls_create_tenant('media-s3-empty');
SELECT mlsync.mls_media_set_storage('media-s3-empty', backend => 's3', bucket => 'b-1');

RESET mlsync.retry_base_delay;
RESET mlsync.retry_max_delay;
\! test/s3/s3rver stop :s3dir
ALTER SYSTEM RESET mlsync.media_workers;
SELECT pg_reload_conf();
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('media-s3', 'media-s3-empty');
