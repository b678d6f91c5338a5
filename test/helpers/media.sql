-- Helpers for the media tests: \i test/helpers/media.sql after
-- test/helpers/mls_server.sql.  Functions in schema mls_test.
\set ECHO none
SET client_min_messages = warning;

-- Every media item of an MLS as the sample server has it now, with the
-- SHA-256 of the bytes its URL serves.
CREATE OR REPLACE FUNCTION mls_test.media_truth(mls text)
RETURNS TABLE (listing_key text, media_key text, ord integer, category text,
			   url text, modified text, sha256 text, bytes bigint)
LANGUAGE sql AS $$
	SELECT m ->> 'ListingKey', m ->> 'MediaKey', (m ->> 'Order')::int, m ->> 'MediaCategory',
		   m ->> 'MediaURL', m ->> 'MediaModificationTimestamp', m ->> 'sha256',
		   (m ->> 'bytes')::bigint
	  FROM jsonb_array_elements(mls_test.control('GET', '/control/media?mls=' || mls)) m
$$;

-- The bytes of a stored file (directory storage, under mlsync.media_dir),
-- or NULL when there is no such file.
CREATE OR REPLACE FUNCTION mls_test.media_file(storage_key text) RETURNS bytea
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('mlsync.media_dir') || '/' || storage_key;
BEGIN
	IF pg_stat_file(path, true) IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN pg_read_binary_file(path);
END
$$;

-- Differences between a connection's stored media and the server's truth,
-- matched by listing and position: items missing or not stored, items too
-- many (not removed), items whose stored bytes differ from the truth's, and
-- stored items whose file is missing or holds other bytes.
CREATE OR REPLACE FUNCTION mls_test.media_diff(tenant text, connection text, mls text,
											   OUT missing bigint, OUT extra bigint,
											   OUT different bigint, OUT bad_files bigint)
LANGUAGE sql AS $$
	WITH truth AS (SELECT * FROM mls_test.media_truth(mls)),
	mine AS (SELECT * FROM mlsync.mls_media m
			  WHERE m.tenant_id = media_diff.tenant AND m.connection = media_diff.connection
				AND m.state <> 'removed')
	SELECT count(*) FILTER (WHERE m.media_key IS NULL OR m.state <> 'stored'),
		   count(*) FILTER (WHERE t.media_key IS NULL),
		   count(*) FILTER (WHERE m.state = 'stored' AND m.sha256 IS DISTINCT FROM t.sha256),
		   count(*) FILTER (WHERE m.state = 'stored' AND
							encode(sha256(coalesce(mls_test.media_file(m.storage_key), '')), 'hex')
							IS DISTINCT FROM m.sha256)
	  FROM truth t FULL JOIN mine m ON m.listing_key = t.listing_key AND m.position = t.ord
$$;

-- Wait until no media worker holds work for a connection (at most 120 s).
CREATE OR REPLACE FUNCTION mls_test.media_settled(tenant text, connection text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1..1200 LOOP
		IF NOT EXISTS (SELECT 1 FROM mlsync.mls_media m
						WHERE m.tenant_id = media_settled.tenant
						  AND m.connection = media_settled.connection
						  AND m.state = 'pending'
						  AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= now()))
		   AND NOT EXISTS (SELECT 1 FROM mlsync.mls_media_objects o
							WHERE o.tenant_id = media_settled.tenant AND o.derive_state = 'pending')
		   AND NOT EXISTS (SELECT 1 FROM pg_stat_activity
							WHERE backend_type = 'mlsync media worker' AND state = 'active') THEN
			RETURN true;
		END IF;
		PERFORM pg_sleep(0.1);
		PERFORM pg_stat_clear_snapshot();
	END LOOP;
	RETURN false;
END
$$;

-- How many of an MLS's listings a connection holds, and how many of those
-- hold photo fields (photos_change_timestamp, photos_count) other than the
-- server's PhotosChangeTimestamp and PhotosCount.
CREATE OR REPLACE FUNCTION mls_test.photo_fields(tenant text, connection text, mls text,
												 OUT listings bigint, OUT photo_fields_behind bigint)
LANGUAGE sql AS $$
	SELECT count(*),
		   count(*) FILTER (WHERE l.photos_change_timestamp IS DISTINCT FROM
										(t ->> 'PhotosChangeTimestamp')::timestamptz
								  OR l.photos_count IS DISTINCT FROM (t ->> 'PhotosCount')::int)
	  FROM mls_test.truth(mls) t
	  JOIN mlsync.mls_listings l ON l.tenant_id = photo_fields.tenant
	   AND l.connection = photo_fields.connection AND l.listing_key = t ->> 'ListingKey'
$$;

-- Of the listings whose keys are given (a jsonb array of text), how many a
-- connection holds, and how many of those it last read modified before its
-- watermark: no incremental reading sees their photo changes.
CREATE OR REPLACE FUNCTION mls_test.before_watermark(tenant text, connection text, keys jsonb,
													 OUT listings bigint, OUT before_watermark bigint)
LANGUAGE sql AS $$
	SELECT count(*), count(*) FILTER (WHERE l.modification_timestamp < s.watermark_ts)
	  FROM jsonb_array_elements_text(keys) k
	  JOIN mlsync.mls_listings l ON l.tenant_id = before_watermark.tenant
	   AND l.connection = before_watermark.connection AND l.listing_key = k
	  JOIN mlsync.mls_sync_status s USING (tenant_id, connection)
$$;
-- The SHA-256 of an object in the tests' S3 server (test/s3/s3rver),
-- fetched through the S3 API with curl's own Signature V4, or "HTTP <code>".
CREATE OR REPLACE FUNCTION mls_test.s3_sha256(endpoint text, storage_key text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	result text;
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS mls_test_s3 (line text);
	TRUNCATE mls_test_s3;
	EXECUTE format('COPY mls_test_s3 FROM PROGRAM %L',
		format('f=$(mktemp); code=$(curl -s --aws-sigv4 aws:amz:us-east-1:s3 --user MLSYNCTEST:mlsync-test-secret'
			   ' -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"'
			   ' -o "$f" -w "%%{http_code}" %s); if [ "$code" = 200 ]; then sha256sum "$f" | cut -c1-64;'
			   ' else echo "HTTP $code"; fi; rm -f "$f"',
			   quote_literal(endpoint || '/mlsync-test/' || storage_key)));
	SELECT line INTO result FROM mls_test_s3;
	RETURN result;
END
$$;
\set ECHO all
