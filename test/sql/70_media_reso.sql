-- Media of a RESO Web API feed with photo_policy download: the Media
-- resource replicated by its own keyset, every item of the server's truth
-- stored once with the right bytes (SHA-256 of the file equal to the
-- truth's), derivatives of the configured sizes without metadata and with
-- the EXIF orientation applied, photos replaced one by one and removed at
-- the source, a deleted listing, a second feed of the same MLS through
-- $expand=Media stored once, the policies none and metadata, events,
-- progress and status.
\i test/helpers/mls_server.sql
\i test/helpers/media.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SELECT mls_test.wait_for_launcher();

SELECT mls_test.reset('{"mls": "ma", "listings": 12, "seed": 21,
	"media": {"size": "large", "floorplans": true}}') ->> 'count' AS listings;
SELECT count(*) AS media_items, count(*) FILTER (WHERE category = 'FloorPlan') AS floor_plans
  FROM mls_test.media_truth('ma');
SELECT tenant_id FROM mlsync.mls_create_tenant('media-reso');
SELECT connection, action FROM mlsync.mls_connect('media-reso', 'ma', protocol => 'reso',
	endpoint => mls_test.reso_root('ma'), token_url => mls_test.token_url('ma'),
	username => 'mlsync', photo_policy => 'download');
SELECT photo_policy FROM mlsync.mls_connections WHERE tenant_id = 'media-reso' AND connection = 'ma';
SELECT mlsync.mls_set_credentials('media-reso', 'ma', client_secret => 's3cret');
-- media are read by default from the Media resource
SELECT mlsync.mls_media_source('media-reso', 'ma') AS source;

-- a full sync lists the media; downloads follow (here in this session)
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma', mode => 'full', wait => true)) AS runs;
SELECT mode, state, inserted, errors FROM mls_test.last_run('media-reso', 'ma');
SELECT count(*) = (SELECT count(*) FROM mls_test.media_truth('ma')) AS every_item_listed,
	   count(*) FILTER (WHERE state IN ('pending', 'stored')) = count(*) AS to_download
  FROM mlsync.mls_media WHERE tenant_id = 'media-reso' AND connection = 'ma';
SELECT watermark_raw = (SELECT max(modified) FROM mls_test.media_truth('ma')) AS media_watermark
  FROM mlsync.mls_media_sync_status WHERE tenant_id = 'media-reso' AND connection = 'ma';
-- a file already at a photo's key (one an OS crash left half-written after
-- its rename, its rows never committed) is replaced by the download, not
-- trusted
SELECT format('cat >/dev/null; mkdir -p %1$s && printf partial > %1$s/%2$s.jpg',
			  current_setting('mlsync.media_dir') || '/media-reso/' || left(sha256, 2), sha256) AS plant
  FROM mls_test.media_truth('ma') WHERE category = 'Photo' ORDER BY listing_key, ord LIMIT 1 \gset
COPY (SELECT 1) TO PROGRAM :'plant';
CALL mlsync.mls_media_download('media-reso') \g /dev/null
SELECT * FROM mls_test.media_diff('media-reso', 'ma', 'ma');
-- each stored once, by content
SELECT count(*) AS objects, count(*) = (SELECT count(DISTINCT sha256) FROM mls_test.media_truth('ma')) AS one_per_content,
	   bool_and(storage_key = 'media-reso/' || left(sha256, 2) || '/' || sha256 ||
				CASE content_type WHEN 'image/png' THEN '.png' ELSE '.jpg' END) AS content_addressed,
	   bool_and(derive_state = 'done') AS derived
  FROM mlsync.mls_media_objects WHERE tenant_id = 'media-reso';
-- derivatives: 320 and 1024 wide (never enlarged), WebP and JPEG, stored,
-- without the camera's EXIF block
SELECT d ->> 'format' AS format, d ->> 'size' AS size, count(*),
	   bool_and((d ->> 'width')::int = least((d ->> 'size')::int, o.width)) AS width_right,
	   bool_and(mls_test.media_file(d ->> 'storage_key') IS NOT NULL) AS stored,
	   bool_and(position('mlsync-sample-camera'::bytea IN mls_test.media_file(d ->> 'storage_key')) = 0) AS metadata_stripped
  FROM mlsync.mls_media_objects o, jsonb_array_elements(o.derivatives) d
 WHERE o.tenant_id = 'media-reso'
 GROUP BY 1, 2 ORDER BY 1, 2;
-- sixteen derivatives, the most there can be (8 sizes in both formats):
-- each is stored (the answer's fields were cut at the 15th and the 16th
-- was lost); then formats written
-- with a space after the comma (" jpeg" was a format the helper did not
-- know, and the JPEGs were lost); more sizes, or a format twice, are
-- refused
CREATE FUNCTION pg_temp.derive_again(size_list text, format_list text) RETURNS text
LANGUAGE sql AS $$
	SELECT set_config('mlsync.media_sizes', size_list, false),
		   set_config('mlsync.media_formats', format_list, false);
	UPDATE mlsync.mls_media_objects o SET derive_state = 'pending', derivatives = '[]'
	 WHERE o.tenant_id = 'media-reso'
	   AND o.sha256 = (SELECT min(m.sha256) FROM mlsync.mls_media_objects m
						WHERE m.tenant_id = 'media-reso' AND m.width > 800)
	RETURNING o.sha256;
$$;
CREATE FUNCTION pg_temp.derived(object text) RETURNS TABLE (
	derive_state text, derivatives int, formats bigint, sizes bigint, stored boolean,
	named_by_format boolean)
LANGUAGE sql AS $$
	SELECT o.derive_state, jsonb_array_length(o.derivatives),
		   count(DISTINCT d ->> 'format'), count(DISTINCT d ->> 'size'),
		   bool_and(mls_test.media_file(d ->> 'storage_key') IS NOT NULL),
		   bool_and((d ->> 'format' = 'jpeg') = (d ->> 'storage_key' LIKE '%.jpg'))
	  FROM mlsync.mls_media_objects o LEFT JOIN LATERAL jsonb_array_elements(o.derivatives) d ON true
	 WHERE o.tenant_id = 'media-reso' AND o.sha256 = object
	 GROUP BY o.derive_state, o.derivatives;
$$;
SELECT pg_temp.derive_again('100,200,300,400,500,600,700,800', 'webp,jpeg') AS object \gset
CALL mlsync.mls_media_download('media-reso') \g /dev/null
SELECT * FROM pg_temp.derived(:'object');
SELECT pg_temp.derive_again('320, 1024', 'webp, jpeg') AS object \gset
CALL mlsync.mls_media_download('media-reso') \g /dev/null
SELECT * FROM pg_temp.derived(:'object');
SET mlsync.media_sizes = '100,200,300,400,500,600,700,800,900';
SET mlsync.media_sizes = E'320,\t1024';
SET mlsync.media_formats = 'webp,jpeg,webp';
RESET mlsync.media_sizes;
RESET mlsync.media_formats;
SELECT bool_and(position('mlsync-sample-camera'::bytea IN mls_test.media_file(storage_key)) > 0) AS originals_keep_exif
  FROM mlsync.mls_media WHERE tenant_id = 'media-reso' AND category = 'Photo';
-- photos whose EXIF says "rotate 90" are stored upright: taller than wide
SELECT (width, height) AS upright_size, count(*) > 0 AS some
  FROM mlsync.mls_media WHERE tenant_id = 'media-reso' AND category = 'Photo'
 GROUP BY 1 ORDER BY 1;
SELECT width, height FROM mlsync.mls_media
 WHERE tenant_id = 'media-reso' AND category = 'FloorPlan' GROUP BY 1, 2;
SELECT state, count(*) > 0 AS some, sum(bytes) > 150000 * count(*) AS realistic_sizes
  FROM mlsync.mls_media WHERE tenant_id = 'media-reso' GROUP BY state;
-- permissions are kept for display views
SELECT permission, count(*) > 0 AS some FROM mlsync.mls_media
 WHERE tenant_id = 'media-reso' GROUP BY 1 ORDER BY 1;
-- a first load raises no events, listings or media
SELECT count(*) AS media_events FROM mlsync.mls_events
 WHERE tenant_id = 'media-reso' AND kind = 'media_changed';

-- the market moves: one photo replaced in two listings (same key and URL,
-- new timestamp and bytes), the last photo of two others removed, all the
-- photos of one replaced, one listing deleted
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "ma", "seed": 3, "photo_replaced": 2,
	"photo_removed": 2, "photos_changed": 1, "deleted": 1}') -> 'changed') AS c(kind, keys)
 WHERE jsonb_array_length(keys) > 0;
CREATE TEMP TABLE before AS
	SELECT media_key, sha256, storage_key FROM mlsync.mls_media WHERE tenant_id = 'media-reso';
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma', wait => true)) AS runs;
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma', mode => 'reconcile', wait => true)) AS runs;
SELECT mode, state, removed FROM mls_test.last_run('media-reso', 'ma');
CALL mlsync.mls_media_download('media-reso') \g /dev/null
SELECT * FROM mls_test.media_diff('media-reso', 'ma', 'ma');
-- replaced one by one: the same item, new bytes; the old file is deleted
SELECT count(*) AS replaced,
	   bool_and(mls_test.media_file(b.storage_key) IS NULL) AS old_files_deleted,
	   bool_and(mls_test.media_file(m.storage_key) IS NOT NULL) AS new_files_stored
  FROM before b JOIN mlsync.mls_media m USING (media_key)
 WHERE m.tenant_id = 'media-reso' AND m.state = 'stored' AND m.sha256 <> b.sha256;
-- removed at the source (a photo, a whole version, a deleted listing): rows
-- kept as removed, files deleted
SELECT count(*) > 2 AS removed_items,
	   bool_and(m.removed_at IS NOT NULL) AS when_recorded,
	   bool_and(mls_test.media_file(b.storage_key) IS NULL) AS files_deleted,
	   count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM mlsync.mls_listings l
										   WHERE l.listing_key = m.listing_key AND l.removed_at IS NULL)) > 0
		 AS of_the_deleted_listing_too
  FROM mlsync.mls_media m JOIN before b USING (media_key)
 WHERE m.tenant_id = 'media-reso' AND m.state = 'removed';
SELECT count(*) AS objects_without_items FROM mlsync.mls_media_objects o
 WHERE o.tenant_id = 'media-reso'
   AND NOT EXISTS (SELECT 1 FROM mlsync.mls_media m WHERE m.tenant_id = o.tenant_id
					AND m.sha256 = o.sha256 AND m.state <> 'removed');
-- one media_changed event per listing whose media changed
SELECT count(*) AS media_events, count(DISTINCT listing_key) AS listings,
	   bool_and(payload ? 'stored' AND (payload ->> 'pending')::int = 0) AS settled
  FROM mlsync.mls_events WHERE tenant_id = 'media-reso' AND kind = 'media_changed';

-- a second feed of the same MLS, through $expand=Media: its items are
-- stored, but no content twice
SELECT count(*) AS objects_before FROM mlsync.mls_media_objects WHERE tenant_id = 'media-reso' \gset
SELECT connection FROM mlsync.mls_connect('media-reso', 'ma2', protocol => 'reso',
	endpoint => mls_test.reso_root('ma'), token_url => mls_test.token_url('ma'),
	username => 'mlsync', photo_policy => 'download', expand_media => true);
SELECT mlsync.mls_set_credentials('media-reso', 'ma2', client_secret => 's3cret');
SELECT mlsync.mls_media_source('media-reso', 'ma2') AS source;
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma2', mode => 'full', wait => true)) AS runs;
CALL mlsync.mls_media_download('media-reso', 'ma2') \g /dev/null
SELECT * FROM mls_test.media_diff('media-reso', 'ma2', 'ma');
SELECT count(*) = :objects_before AS stored_once FROM mlsync.mls_media_objects WHERE tenant_id = 'media-reso';
SELECT count(*) AS shared_contents FROM mlsync.mls_media a
  JOIN mlsync.mls_media b ON b.tenant_id = a.tenant_id AND b.sha256 = a.sha256 AND b.connection = 'ma2'
 WHERE a.tenant_id = 'media-reso' AND a.connection = 'ma' AND a.state = 'stored'
   AND a.media_key = b.media_key
HAVING count(*) > 0;
-- a server that expands only a few items of a listing and says nothing of
-- the rest (3 here; Bridge: 10), nor whose they are (no ResourceRecordKey):
-- only PhotosCount shows the lists are cut.  The items sent are the
-- listing's, and a cut list removes none; the lists are then read whole
-- from the Media resource at the end of the run: two listings' new photos
-- are all stored, their earlier ones removed (code before left the photos
-- past the third unread and the earlier ones in place; older code removed
-- all of a listing's media: the items without a key were dropped, and the
-- list taken as whole)
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "expand_max": 3, "expand_parent_key": false}') -> 'options' ->> 'expand_max' AS expand_max;
CREATE TEMP TABLE media_before AS
	SELECT media_key FROM mlsync.mls_media WHERE tenant_id = 'media-reso' AND connection = 'ma2';
SELECT mls_test.advance('{"mls": "ma", "seed": 71, "price_cut": 3, "photos_changed": 2}') -> 'changed' AS changed \gset
SELECT count(*) AS cut FROM jsonb_array_elements_text(:'changed'::jsonb -> 'price_cut') k
  JOIN mlsync.mls_listings l ON l.tenant_id = 'media-reso' AND l.connection = 'ma2' AND l.listing_key = k
 WHERE l.photos_count > 3;
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma2', mode => 'incremental', wait => true)) AS runs;
SELECT count(*) FILTER (WHERE state = 'removed') AS removed FROM mlsync.mls_media
 WHERE tenant_id = 'media-reso' AND connection = 'ma2';
SELECT count(*) AS listings, bool_and(new_items = photos_count) AS whole_lists_stored
  FROM (SELECT l.photos_count,
			   (SELECT count(*) FROM mlsync.mls_media m
				 WHERE m.tenant_id = l.tenant_id AND m.connection = l.connection
				   AND m.listing_key = l.listing_key AND m.state <> 'removed'
				   AND m.media_key NOT IN (SELECT media_key FROM media_before)) AS new_items
		  FROM jsonb_array_elements_text(:'changed'::jsonb -> 'photos_changed') k
		  JOIN mlsync.mls_listings l ON l.tenant_id = 'media-reso' AND l.connection = 'ma2'
								   AND l.listing_key = k) s;
CALL mlsync.mls_media_download('media-reso', 'ma2') \g /dev/null
SELECT * FROM mls_test.media_diff('media-reso', 'ma2', 'ma');
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "expand_max": null, "expand_parent_key": true}') -> 'options' ->> 'expand_max' AS expand_max;
-- ... and whole lists remove what the source removed: a full run reads them
-- all (the two listings' earlier photos go; so does the photo removed here)
SELECT jsonb_array_length(mls_test.advance('{"mls": "ma", "seed": 72, "photo_removed": 1}') -> 'changed' -> 'photo_removed') AS photo_removed;
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma2', mode => 'full', wait => true)) AS runs;
CALL mlsync.mls_media_download('media-reso', 'ma2') \g /dev/null
SELECT count(*) FILTER (WHERE state = 'removed') AS removed FROM mlsync.mls_media
 WHERE tenant_id = 'media-reso' AND connection = 'ma2';
SELECT * FROM mls_test.media_diff('media-reso', 'ma2', 'ma');

-- a server that stamps photo changes on PhotosChangeTimestamp alone (AMPRE,
-- Trestle) shows none of them to a reading by ModificationTimestamp.  The
-- photo pass reads the listings whose PhotosChangeTimestamp moved since the
-- last pass, for both feeds: through the Media resource (ma: one photo
-- replaced, the last photo of another removed, all the photos of a third
-- replaced) and through $expand=Media (ma2).  Old code left the three
-- listings and their media as they were.  (No overlap: the changes of the
-- last minutes, read again, would show the listings changed within them.)
SELECT m.connection, m.changed FROM unnest(ARRAY['ma', 'ma2']) c,
	   mlsync.mls_connect('media-reso', c, incremental_overlap => '0') m ORDER BY 1;
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma', mode => 'incremental', wait => true)) AS runs;
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "photo_change_modifies": false}') -> 'options' ->> 'photo_change_modifies' AS photo_change_modifies;
SELECT mls_test.advance('{"mls": "ma", "seed": 73, "photo_replaced": 1, "photo_removed": 1,
	"photos_changed": 1}') -> 'changed' AS photo_changes \gset
SELECT count(*) AS changed_listings FROM jsonb_each(:'photo_changes'::jsonb) c(kind, keys),
	   jsonb_array_elements_text(keys) k;
SELECT connection, cardinality(mlsync.mls_sync('media-reso', connection, mode => 'incremental', wait => true)) AS runs
  FROM unnest(ARRAY['ma', 'ma2']) connection;
SELECT connection, state, errors, updated FROM mlsync.mls_sync_history
 WHERE tenant_id = 'media-reso' AND run_id IN (SELECT max(run_id) FROM mlsync.mls_sync_history
											   WHERE tenant_id = 'media-reso' GROUP BY connection)
 ORDER BY connection;
CALL mlsync.mls_media_download('media-reso') \g /dev/null
SELECT * FROM mls_test.diff('media-reso', 'ma', 'ma');
SELECT * FROM mls_test.media_diff('media-reso', 'ma', 'ma');
SELECT * FROM mls_test.media_diff('media-reso', 'ma2', 'ma');
SELECT connection, f.* FROM unnest(ARRAY['ma', 'ma2']) connection,
	   mls_test.photo_fields('media-reso', connection, 'ma') f ORDER BY 1;
-- each feed's pass stands at the newest photo change
SELECT connection, photos_watermark_raw = (SELECT max(t ->> 'PhotosChangeTimestamp') FROM mls_test.truth('ma') t) AS at_newest,
	   photos_refused_at IS NULL AS not_refused
  FROM mlsync.mls_media_sync_status WHERE tenant_id = 'media-reso' ORDER BY connection;
-- a server without PhotosChangeTimestamp refuses the pass: the run succeeds,
-- notes it once, and the pass waits a day; the photo change made meanwhile
-- is read when it is tried again (its watermark was kept)
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "photos_timestamp_query": "reject"}') -> 'options' ->> 'photos_timestamp_query' AS photos_timestamp_query;
SELECT mls_test.advance('{"mls": "ma", "seed": 74, "photos_changed": 2}') -> 'changed' -> 'photos_changed' AS photos_changed \gset
-- (one is the listing at the watermark, which every incremental run reads
-- again; the other changed before it: no incremental reading sees it)
SELECT * FROM mls_test.before_watermark('media-reso', 'ma', :'photos_changed');
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma', mode => 'incremental', wait => true)) AS runs;
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma', mode => 'incremental', wait => true)) AS runs;
SELECT count(*) AS runs, bool_and(state = 'succeeded') AS succeeded, sum(errors) AS errors
  FROM (SELECT state, errors FROM mlsync.mls_sync_history
		 WHERE tenant_id = 'media-reso' AND connection = 'ma' ORDER BY run_id DESC LIMIT 2) r;
SELECT category, retry_state, http_status, message ~ '^the photo pass \(listings by PhotosChangeTimestamp\) was refused: .*PhotosChangeTimestamp.*; it is tried again in a day' AS says_why
  FROM mlsync.mls_sync_errors WHERE tenant_id = 'media-reso' AND connection = 'ma'
   AND message LIKE 'the photo pass%';
SELECT photos_refused_at IS NOT NULL AS refused FROM mlsync.mls_media_sync_status
 WHERE tenant_id = 'media-reso' AND connection = 'ma';
SELECT * FROM mls_test.diff('media-reso', 'ma', 'ma');
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "photos_timestamp_query": "accept"}') -> 'options' ->> 'photos_timestamp_query' AS photos_timestamp_query;
UPDATE mlsync.mls_media_sync_status SET photos_refused_at = photos_refused_at - interval '25 hours'
 WHERE tenant_id = 'media-reso' AND connection = 'ma';
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma', mode => 'incremental', wait => true)) AS runs;
SELECT state, updated, errors FROM mls_test.last_run('media-reso', 'ma');
CALL mlsync.mls_media_download('media-reso') \g /dev/null
SELECT * FROM mls_test.diff('media-reso', 'ma', 'ma');
SELECT * FROM mls_test.media_diff('media-reso', 'ma', 'ma');
SELECT photos_refused_at IS NULL AS not_refused FROM mlsync.mls_media_sync_status
 WHERE tenant_id = 'media-reso' AND connection = 'ma';
-- a failure that is no refusal (the server failing, HTTP 500) fails the run
-- as in any pass: the change the run read is kept, the photo pass's
-- watermark too, and nothing is marked refused; the next run reads the rest
SELECT mls_test.fault('{"mls": "ma", "path": "orderby=PhotosChangeTimestamp", "fault": "http_500",
	"count": -1}') ->> 'fault' AS fault;
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "ma", "seed": 76, "price_cut": 1, "photos_changed": 1}') -> 'changed') AS c(kind, keys)
 WHERE jsonb_array_length(keys) > 0;
SELECT photos_watermark_raw AS photo_mark FROM mlsync.mls_media_sync_status
 WHERE tenant_id = 'media-reso' AND connection = 'ma' \gset
\set VERBOSITY terse
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma', mode => 'incremental', wait => true)) AS runs;
\set VERBOSITY default
SELECT state, updated FROM mls_test.last_run('media-reso', 'ma');
SELECT photos_watermark_raw = :'photo_mark' AS photo_mark_kept, photos_refused_at IS NULL AS not_refused
  FROM mlsync.mls_media_sync_status WHERE tenant_id = 'media-reso' AND connection = 'ma';
SELECT mls_test.clear_faults('ma') IS NOT NULL AS cleared;
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma', mode => 'incremental', wait => true)) AS runs;
SELECT state FROM mls_test.last_run('media-reso', 'ma');
CALL mlsync.mls_media_download('media-reso') \g /dev/null
SELECT * FROM mls_test.diff('media-reso', 'ma', 'ma');
SELECT * FROM mls_test.media_diff('media-reso', 'ma', 'ma');
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "photo_change_modifies": true}') -> 'options' ->> 'photo_change_modifies' AS photo_change_modifies;

-- a server that refuses a $filter of more than 30 nodes (ASP.NET OData's
-- MaxNodeCount, 100 by default, set lower): the re-check of the media
-- lists of five listings (19 nodes, 31 on its second page, which goes on
-- after the last item read) is refused, and asked again in halves (old code
-- failed the run, every run, and left the lists unread)
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "max_filter_nodes": 30}') -> 'options' ->> 'max_filter_nodes' AS max_filter_nodes;
SELECT jsonb_array_length(mls_test.advance('{"mls": "ma", "seed": 77, "photos_changed": 5}') -> 'changed' -> 'photos_changed') AS photos_changed;
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma', mode => 'incremental', wait => true)) AS runs;
SELECT state, updated FROM mls_test.last_run('media-reso', 'ma');
SELECT e.category, e.retry_state, e.http_status,
	   regexp_replace(e.message, '\(HTTP 400: .*node count limit.*\)', '(HTTP 400: ... node count limit ...)') AS message
  FROM mlsync.mls_sync_errors e
 WHERE e.tenant_id = 'media-reso' AND e.connection = 'ma'
   AND e.run_id = (SELECT max(run_id) FROM mlsync.mls_sync_history WHERE tenant_id = 'media-reso' AND connection = 'ma')
 ORDER BY e.error_id;
CALL mlsync.mls_media_download('media-reso') \g /dev/null
SELECT * FROM mls_test.diff('media-reso', 'ma', 'ma');
SELECT * FROM mls_test.media_diff('media-reso', 'ma', 'ma');
SELECT count(*) AS listings_to_check FROM mlsync.mls_media_listings
 WHERE tenant_id = 'media-reso' AND connection = 'ma' AND needs_check;
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "max_filter_nodes": null}') -> 'options' ->> 'max_filter_nodes' AS max_filter_nodes;

-- photo_policy metadata lists media without downloading; none lists nothing
SELECT tenant_id FROM mlsync.mls_create_tenant('media-policy');
SELECT connection FROM mlsync.mls_connect('media-policy', 'meta', protocol => 'reso',
	endpoint => mls_test.reso_root('ma'), token_url => mls_test.token_url('ma'),
	username => 'mlsync', photo_policy => 'metadata');
SELECT connection FROM mlsync.mls_connect('media-policy', 'nothing', protocol => 'reso',
	endpoint => mls_test.reso_root('ma'), token_url => mls_test.token_url('ma'),
	username => 'mlsync');
SELECT mlsync.mls_set_credentials('media-policy', c, client_secret => 's3cret') FROM unnest(ARRAY['meta', 'nothing']) c;
SELECT cardinality(mlsync.mls_sync('media-policy', mode => 'full', wait => true)) AS runs;
CALL mlsync.mls_media_download('media-policy') \g /dev/null
SELECT c.connection, c.photo_policy, count(m.media_key) AS items,
	   count(*) FILTER (WHERE m.state = 'pending') AS pending,
	   (SELECT count(*) FROM mlsync.mls_media_objects o WHERE o.tenant_id = 'media-policy') AS stored
  FROM mlsync.mls_connections c
  LEFT JOIN mlsync.mls_media m USING (tenant_id, connection)
 WHERE c.tenant_id = 'media-policy' GROUP BY 1, 2 ORDER BY 1;

-- progress and status
SELECT connection, photo_policy, pending, stored > 0 AS stored, failed, removed > 0 AS removed,
	   bytes > 0 AS bytes,
	   (SELECT sum(requests) > 0 FROM mlsync.mls_media_usage u
		 WHERE u.tenant_id = p.tenant_id AND u.connection = p.connection) AS requests_counted
  FROM mlsync.mls_media_progress p WHERE tenant_id LIKE 'media-%' ORDER BY tenant_id, connection;
SELECT connection, media_pending, media_stored > 0 AS stored, media_failed, media_bytes > 0 AS bytes
  FROM mlsync.mls_status WHERE tenant_id LIKE 'media-%' ORDER BY tenant_id, connection;
SELECT url IS NULL AS no_public_url, jsonb_array_length(derivatives) AS derivatives
  FROM mlsync.mls_listing_media WHERE tenant_id = 'media-reso' AND connection = 'ma' AND position = 1
 GROUP BY 1, 2;

-- A feed without a Media resource (HTTP 404) that expands three items of a
-- listing: the lists it cut stay as they came (the new photos' first three
-- added, none removed), the refusal is noted, the run succeeds, and the
-- lists are taken as read in part (their media_changed events are not held
-- back); for a day cut lists are not asked for
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "expand_max": 3, "media_resource": "absent"}') -> 'options' ->> 'media_resource' AS media_resource;
SELECT mls_test.advance('{"mls": "ma", "seed": 78, "photos_changed": 2}') -> 'changed' -> 'photos_changed' AS refused_keys \gset
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma2', mode => 'incremental', wait => true)) AS runs;
SELECT h.state, e.category, e.retry_state, e.http_status, e.message
  FROM mlsync.mls_sync_history h
  JOIN mlsync.mls_sync_errors e USING (tenant_id, run_id)
 WHERE h.tenant_id = 'media-reso' AND h.connection = 'ma2'
   AND h.run_id = (SELECT max(run_id) FROM mlsync.mls_sync_history WHERE tenant_id = 'media-reso' AND connection = 'ma2');
SELECT count(*) FILTER (WHERE needs_check) AS lists_to_read, count(*) FILTER (WHERE read_in_part) AS read_in_part
  FROM mlsync.mls_media_listings ml
 WHERE tenant_id = 'media-reso' AND connection = 'ma2'
   AND listing_key IN (SELECT jsonb_array_elements_text(:'refused_keys'::jsonb));
SELECT k.listing_key, l.photos_count > 3 AS cut,
	   count(*) FILTER (WHERE m.media_key IN (SELECT e ->> 'MediaKey' FROM jsonb_array_elements(l.raw -> 'Media') e)) AS expanded_stored,
	   count(*) FILTER (WHERE m.media_key NOT IN (SELECT e ->> 'MediaKey' FROM jsonb_array_elements(l.raw -> 'Media') e)) > 0 AS earlier_kept
  FROM jsonb_array_elements_text(:'refused_keys'::jsonb) k(listing_key)
  JOIN mlsync.mls_listings l ON l.tenant_id = 'media-reso' AND l.connection = 'ma2' AND l.listing_key = k.listing_key
  JOIN mlsync.mls_media m ON m.tenant_id = l.tenant_id AND m.connection = l.connection
						 AND m.listing_key = l.listing_key AND m.state <> 'removed'
 GROUP BY 1, 2 ORDER BY 1;
-- ... within the day, the Media resource back, a cut list is not asked for
-- and is taken as read in part
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "media_resource": "serve"}') -> 'options' ->> 'media_resource' AS media_resource;
SELECT mls_test.advance('{"mls": "ma", "seed": 80, "photos_changed": 1}') -> 'changed' -> 'photos_changed' ->> 0 AS waiting_key \gset
SELECT mls_test.clear_requests() \g /dev/null
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma2', mode => 'incremental', wait => true)) AS runs;
SELECT count(*) AS media_requests FROM mls_test.requests('ma') e WHERE e ->> 'path' ~ '/Media$';
SELECT l.photos_count > 3 AS cut, ml.needs_check, ml.read_in_part
  FROM mlsync.mls_listings l JOIN mlsync.mls_media_listings ml USING (tenant_id, connection, listing_key)
 WHERE l.tenant_id = 'media-reso' AND l.connection = 'ma2' AND l.listing_key = :'waiting_key';
-- ... a day later, a listing whose photos change is read whole, and so are
-- the lists taken in part meanwhile
UPDATE mlsync.mls_media_sync_status SET recheck_refused_at = recheck_refused_at - interval '1 day'
 WHERE tenant_id = 'media-reso' AND connection = 'ma2';
UPDATE mlsync.mls_media_listings SET checked_at = checked_at - interval '1 day'
 WHERE tenant_id = 'media-reso' AND connection = 'ma2' AND read_in_part;
SELECT mls_test.advance('{"mls": "ma", "seed": 79, "photos_changed": 1}') -> 'changed' -> 'photos_changed' ->> 0 AS whole_key \gset
SELECT cardinality(mlsync.mls_sync('media-reso', 'ma2', mode => 'incremental', wait => true)) AS runs;
CREATE TEMP TABLE whole_keys AS
	SELECT DISTINCT k AS listing_key
	  FROM unnest(ARRAY[:'whole_key', :'waiting_key']
				  || ARRAY(SELECT jsonb_array_elements_text(:'refused_keys'::jsonb))) k;
SELECT count(*) AS listings FROM whole_keys;
SELECT count(*) FILTER (WHERE m.media_key IS NULL) AS missing,
	   count(*) FILTER (WHERE t.media_key IS NULL) AS extra
  FROM (SELECT media_key FROM mls_test.media_truth('ma') WHERE listing_key IN (SELECT listing_key FROM whole_keys)) t
  FULL JOIN (SELECT media_key FROM mlsync.mls_media
			  WHERE tenant_id = 'media-reso' AND connection = 'ma2'
				AND listing_key IN (SELECT listing_key FROM whole_keys)
				AND state <> 'removed') m USING (media_key);
SELECT count(*) FILTER (WHERE read_in_part) AS read_in_part FROM mlsync.mls_media_listings
 WHERE tenant_id = 'media-reso' AND connection = 'ma2';
SELECT mls_test.control('POST', '/control/configure',
	'{"mls": "ma", "expand_max": null}') -> 'options' ->> 'expand_max' AS expand_max;

-- bad calls
SELECT mlsync.mls_media_configure('media-reso', 'nope');
SELECT mlsync.mls_media_configure('media-reso', 'ma', source => 'carrier pigeon');
SELECT mlsync.mls_media_configure('media-reso', 'ma', concurrency => 0);
SELECT mlsync.mls_media_configure('media-reso', 'ma', rets_location => 0);
SELECT mlsync.mls_media_set_storage('nobody');
SELECT mlsync.mls_media_set_storage('media-reso', backend => 'floppy');
SET mlsync.media_sizes = '320,huge';
SET mlsync.media_formats = 'gif';

DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('media-reso', 'media-policy');
