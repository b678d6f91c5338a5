-- mlsync install script, part 70: the media of listings (docs/features.md F17).
--
-- What a listing's media are (mls_media, one row per photo, floor plan,
-- video or tour, from either protocol, with the source's permissions), where
-- their bytes are stored (mls_media_objects: content-addressed by SHA-256,
-- with their derivatives), where a tenant stores them (mls_media_storage),
-- how each connection reads them (mls_media_settings), and what the media
-- workers and the sync still owe (mls_media_listings, mls_media_sync_status,
-- mls_media_usage).  docs/architecture.md, "Media", explains the design.
-- Every table is a tenant table (tenant_id leads its keys) under the
-- row-level security of part 60 (mls_protect_tenant_table, at the end of
-- this part); the S3 secret is readable by the owner only.

-- Where a tenant's media files go: a directory under mlsync.media_dir (the
-- default, without a row) or an S3-compatible bucket.  The S3 secret access
-- key is kept encrypted in mls_media_credentials.
CREATE TABLE mls_media_storage (
	tenant_id		text PRIMARY KEY REFERENCES mls_tenants ON DELETE CASCADE,
	backend			text NOT NULL DEFAULT 'directory' CHECK (backend IN ('directory', 's3')),
	endpoint		text CHECK (endpoint ~* '^https?://[^/?#\s]+/?$'),
	bucket			text CHECK (bucket ~ '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$'),
	region			text CHECK (region ~ '^[a-z0-9-]{1,40}$'),
	access_key_id	text CHECK (access_key_id ~ '^[A-Za-z0-9+/=_.-]{1,128}$'),
	key_prefix		text NOT NULL DEFAULT '' CHECK (key_prefix ~ '^([A-Za-z0-9_.-]+/)*$'),
	public_url_base	text CHECK (public_url_base ~* '^https?://\S+$'),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT mls_media_storage_s3_complete
		CHECK (backend = 'directory' OR
			   (endpoint IS NOT NULL AND bucket IS NOT NULL AND region IS NOT NULL
				AND access_key_id IS NOT NULL))
);

COMMENT ON TABLE mls_media_storage IS 'where a tenant''s media files are stored: a directory under mlsync.media_dir (no row) or an S3-compatible bucket';
COMMENT ON COLUMN mls_media_storage.public_url_base IS 'URL under which an application serves the stored files; mls_listing_media prefixes storage keys with it';

-- The S3 secret access key of a tenant's storage, AES-256-GCM under the key
-- of mlsync.secret_key_file, bound to the tenant, endpoint and access key
-- id (another endpoint cannot decrypt it).  Write-only, like mls_credentials.
CREATE TABLE mls_media_credentials (
	tenant_id		text PRIMARY KEY REFERENCES mls_media_storage ON DELETE CASCADE,
	key_id			bytea NOT NULL,
	ciphertext		bytea NOT NULL,
	updated_at		timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE mls_media_credentials IS 'encrypted S3 secret access keys of media storage; write-only through mls_media_set_storage';

-- How a connection reads its media.  A connection without a row takes the
-- defaults.
CREATE TABLE mls_media_settings (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	source			text NOT NULL DEFAULT 'auto'
					CHECK (source IN ('auto', 'resource', 'expand', 'getobject')),
	media_resource	text NOT NULL DEFAULT 'Media' CHECK (media_resource ~ '^[A-Za-z][A-Za-z0-9_]*$'),
	rets_location	integer NOT NULL DEFAULT 1 CHECK (rets_location IN (0, 1)),
	rets_object_type text NOT NULL DEFAULT 'Photo' CHECK (rets_object_type ~ '^[A-Za-z0-9_-]+$'),
	concurrency		integer NOT NULL DEFAULT 4 CHECK (concurrency BETWEEN 1 AND 64),
	max_bytes_per_hour bigint CHECK (max_bytes_per_hour > 0),
	max_requests_per_hour integer CHECK (max_requests_per_hour > 0),
	PRIMARY KEY (tenant_id, connection),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);

COMMENT ON TABLE mls_media_settings IS 'per connection: where media lists come from, concurrent downloads, request and byte budgets per hour';
COMMENT ON COLUMN mls_media_settings.source IS 'auto: RESO $expand=Media when the connection expands media, else the Media resource; RETS GetObject';
COMMENT ON COLUMN mls_media_settings.rets_location IS 'RETS GetObject: 1 asks for URLs (downloaded by media workers), 0 for the images in the response (stored by the sync)';

-- Where the replication of a RESO Media resource stands.
CREATE TABLE mls_media_sync_status (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	watermark_ts	timestamptz,
	watermark_raw	text,
	watermark_key	text,
	last_listed_at	timestamptz,
	photos_watermark_raw text,
	photos_watermark_key text,
	photos_refused_at timestamptz,
	recheck_refused_at timestamptz,
	PRIMARY KEY (tenant_id, connection),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);

COMMENT ON TABLE mls_media_sync_status IS 'per connection: the RESO Media resource''s watermark (MediaModificationTimestamp and MediaKey of the last media record committed), and the photo pass''s (photo timestamp and listing key)';
COMMENT ON COLUMN mls_media_sync_status.photos_watermark_raw IS 'the photo timestamp (RESO PhotosChangeTimestamp, or the RETS field mapped to photos_change_timestamp), as the server wrote it, up to which the photo pass read the listings; NULL until a run sets its start';
COMMENT ON COLUMN mls_media_sync_status.photos_watermark_key IS 'the key of the last listing the photo pass committed at photos_watermark_raw';
COMMENT ON COLUMN mls_media_sync_status.photos_refused_at IS 'when the server last refused the photo pass (a query by the photo timestamp); the pass waits a day after it';
COMMENT ON COLUMN mls_media_sync_status.recheck_refused_at IS 'with $expand=Media: when the server last refused the Media resource, from which the lists it cut are read whole; they are taken as read in part until a day after it, then asked for again';

-- The photo fields of each listing as the media last saw them: a listing
-- whose PhotosChangeTimestamp or PhotosCount moved needs its media list read
-- again (needs_check); one whose media changed owes a media_changed event.
CREATE TABLE mls_media_listings (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	photos_change_timestamp timestamptz,
	photos_count	integer,
	needs_check		boolean NOT NULL DEFAULT false,
	changed			boolean NOT NULL DEFAULT false,
	checked_at		timestamptz,
	read_in_part	boolean NOT NULL DEFAULT false,
	PRIMARY KEY (tenant_id, connection, listing_key),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);

CREATE INDEX mls_media_listings_check_idx ON mls_media_listings (tenant_id, connection, listing_key)
	WHERE needs_check;
CREATE INDEX mls_media_listings_changed_idx ON mls_media_listings (tenant_id, connection, listing_key)
	WHERE changed;

COMMENT ON TABLE mls_media_listings IS 'per listing: the photo timestamp and count last seen, whether its media list must be read again, whether a media_changed event is owed';
COMMENT ON COLUMN mls_media_listings.read_in_part IS 'with $expand=Media: the list the server cut was taken as it came, the Media resource refused; it is read whole a day after checked_at';

-- One row per media item of a listing.
CREATE TABLE mls_media (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	media_key		text NOT NULL,
	position		integer,
	category		text,
	source_url		text,
	content_type	text,
	source_modified_at timestamptz,
	source_modified_raw text,
	description		text,
	permission		text[],
	image_of		text,
	preferred		boolean,
	flags			jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(flags) = 'object'),
	bytes			bigint CHECK (bytes >= 0),
	sha256			text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	width			integer CHECK (width > 0),
	height			integer CHECK (height > 0),
	storage_key		text,
	state			text NOT NULL DEFAULT 'pending'
					CHECK (state IN ('pending', 'stored', 'failed', 'removed', 'linked')),
	attempts		integer NOT NULL DEFAULT 0,
	last_error		text,
	next_attempt_at	timestamptz,
	first_seen_at	timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	stored_at		timestamptz,
	removed_at		timestamptz,
	PRIMARY KEY (tenant_id, connection, media_key),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);

CREATE INDEX mls_media_listing_idx ON mls_media (tenant_id, connection, listing_key, position);
CREATE INDEX mls_media_queue_idx ON mls_media (tenant_id, connection, listing_key, position)
	WHERE state = 'pending';
CREATE INDEX mls_media_sha256_idx ON mls_media (tenant_id, sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX mls_media_stored_idx ON mls_media USING brin (stored_at);

COMMENT ON TABLE mls_media IS 'the media of listings (photos, floor plans, videos, tours) from either protocol: source metadata and permissions, and where the bytes are stored';
COMMENT ON COLUMN mls_media.state IS 'pending: to be downloaded (when the connection''s photo_policy is download); stored; failed (last_error says why); removed at the source; linked: kept as a link only (videos, tours)';
COMMENT ON COLUMN mls_media.sha256 IS 'SHA-256 (hex) of the stored bytes; the key of mls_media_objects';
COMMENT ON COLUMN mls_media.permission IS 'RESO Permission (IDX, VOW, Public, Private ...), for display views';
COMMENT ON COLUMN mls_media.flags IS 'other source fields that govern display (MediaStatus, ImageOf, IDX flags), as the source sent them';

-- Stored content, once per tenant and SHA-256, with its derivatives.
CREATE TABLE mls_media_objects (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	sha256			text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	bytes			bigint NOT NULL CHECK (bytes >= 0),
	content_type	text NOT NULL,
	storage_key		text NOT NULL,
	width			integer,
	height			integer,
	derivatives		jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(derivatives) = 'array'),
	derive_state	text NOT NULL DEFAULT 'pending'
					CHECK (derive_state IN ('pending', 'done', 'failed')),
	derive_error	text,
	created_at		timestamptz NOT NULL DEFAULT now(),
	derive_reads_failed integer NOT NULL DEFAULT 0 CHECK (derive_reads_failed >= 0),
	derive_retry_at	timestamptz,
	PRIMARY KEY (tenant_id, sha256)
);

CREATE INDEX mls_media_objects_derive_idx ON mls_media_objects (tenant_id, sha256)
	WHERE derive_state = 'pending';

COMMENT ON TABLE mls_media_objects IS 'stored media content, once per tenant and SHA-256 (the same image from two feeds is stored once), with its derivatives';
COMMENT ON COLUMN mls_media_objects.derivatives IS 'array of {"width", "height", "format", "bytes", "storage_key"}: the sizes of mlsync.media_sizes in the formats of mlsync.media_formats';
COMMENT ON COLUMN mls_media_objects.derive_reads_failed IS 'reads of the stored original for derivation that failed; past 10, an answer that the file is gone has its media downloaded again';
COMMENT ON COLUMN mls_media_objects.derive_retry_at IS 'after a failed read of the original: when derivation tries it again (1 minute, doubling)';

-- Files to delete: those of objects no item shows any more, kept here from
-- the moment their object is deleted until the storage confirms each
-- deletion, so a storage that is down loses none of them.
CREATE TABLE mls_media_garbage (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	storage_key		text NOT NULL,
	sha256			text NOT NULL,
	attempts		integer NOT NULL DEFAULT 0,
	last_error		text,
	PRIMARY KEY (tenant_id, storage_key)
);

COMMENT ON TABLE mls_media_garbage IS 'stored files whose content no media item shows any more, until the storage has deleted them';

-- Media requests and bytes per connection and hour: the budgets of
-- mls_media_settings and the rates of mls_media_progress.
CREATE TABLE mls_media_usage (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	hour			timestamptz NOT NULL,
	requests		bigint NOT NULL DEFAULT 0,
	bytes			bigint NOT NULL DEFAULT 0,
	stored			bigint NOT NULL DEFAULT 0,
	failed			bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (tenant_id, connection, hour),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);

COMMENT ON TABLE mls_media_usage IS 'media downloads per connection and hour: requests, bytes, items stored and failed';

SELECT pg_catalog.pg_extension_config_dump('mls_media_storage', '');
SELECT pg_catalog.pg_extension_config_dump('mls_media_credentials', '');
SELECT pg_catalog.pg_extension_config_dump('mls_media_settings', '');
SELECT pg_catalog.pg_extension_config_dump('mls_media_sync_status', '');
SELECT pg_catalog.pg_extension_config_dump('mls_media_listings', '');
SELECT pg_catalog.pg_extension_config_dump('mls_media', '');
SELECT pg_catalog.pg_extension_config_dump('mls_media_objects', '');
SELECT pg_catalog.pg_extension_config_dump('mls_media_usage', '');
SELECT pg_catalog.pg_extension_config_dump('mls_media_garbage', '');

-- API: Private.  Whether media of a category are downloaded (images) or only
-- kept as links (videos, virtual tours, documents).
CREATE FUNCTION mls_media_downloadable(category text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN category IS NULL OR lower(replace(category, ' ', '')) IN ('photo', 'photos', 'image', 'floorplan', 'floorplans', 'thumbnail');

-- API: Private.  A RESO timestamp text as timestamptz, or NULL when it is
-- none (media timestamps are informative: a bad one must not fail a sync).
CREATE FUNCTION mls_media_timestamp(value text) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN value::timestamptz;
EXCEPTION WHEN others THEN
	RETURN NULL;
END
$$;

-- API: Private.  Record media of a connection from RESO Media records (or
-- records in RESO names built from RETS GetObject answers): new items are
-- inserted, items whose URL or modification timestamp changed are downloaded
-- again, items that reappear are restored.  complete_keys names the listings
-- whose whole media list is in records: their other media are removed.
-- Returns how many items were new or changed, and removed.
CREATE FUNCTION mls_media_upsert(tenant text, connection text, records jsonb,
								 complete_keys text[], at timestamptz,
								 OUT changed bigint, OUT removed bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	first_load boolean := mlsync.mls_listing_events_mode() <> 'on';
BEGIN
	WITH incoming AS (
		SELECT DISTINCT ON (r ->> 'MediaKey')
			   r ->> 'MediaKey' AS media_key,
			   coalesce(r ->> 'ResourceRecordKey', r ->> 'ListingKey') AS listing_key,
			   CASE WHEN jsonb_typeof(r -> 'Order') = 'number' THEN (r ->> 'Order')::numeric::integer END AS position,
			   r ->> 'MediaCategory' AS category,
			   r ->> 'MediaURL' AS source_url,
			   nullif(r ->> 'MediaType', '') AS content_type,
			   coalesce(r ->> 'MediaModificationTimestamp', r ->> 'ModificationTimestamp') AS modified_raw,
			   coalesce(r ->> 'ShortDescription', r ->> 'LongDescription') AS description,
			   CASE jsonb_typeof(r -> 'Permission')
				   WHEN 'array' THEN ARRAY(SELECT jsonb_array_elements_text(r -> 'Permission'))
				   WHEN 'string' THEN string_to_array(r ->> 'Permission', ',')
			   END AS permission,
			   r ->> 'ImageOf' AS image_of,
			   CASE jsonb_typeof(r -> 'PreferredPhotoYN') WHEN 'boolean' THEN (r ->> 'PreferredPhotoYN')::boolean END AS preferred,
			   jsonb_strip_nulls(jsonb_build_object(
				   'MediaStatus', r -> 'MediaStatus',
				   'ImageSizeDescription', r -> 'ImageSizeDescription',
				   'MediaObjectID', r -> 'MediaObjectID',
				   'ClassName', r -> 'ClassName',
				   'ResourceName', r -> 'ResourceName')) AS flags
		  FROM jsonb_array_elements(records) r
		 WHERE jsonb_typeof(r) = 'object' AND r ->> 'MediaKey' IS NOT NULL
		   AND coalesce(r ->> 'ResourceRecordKey', r ->> 'ListingKey') IS NOT NULL
		   AND coalesce(r ->> 'ResourceName', 'Property') = 'Property'
		 ORDER BY r ->> 'MediaKey'),
	written AS (
		INSERT INTO mlsync.mls_media AS m
			(tenant_id, connection, listing_key, media_key, position, category, source_url,
			 content_type, source_modified_at, source_modified_raw, description, permission,
			 image_of, preferred, flags, state, first_seen_at, updated_at)
		SELECT tenant, connection, i.listing_key, i.media_key, i.position, i.category,
			   i.source_url, i.content_type, mlsync.mls_media_timestamp(i.modified_raw),
			   i.modified_raw, i.description, i.permission, i.image_of, i.preferred, i.flags,
			   CASE WHEN mlsync.mls_media_downloadable(i.category) AND i.source_url IS NOT NULL
					THEN 'pending' ELSE 'linked' END,
			   at, at
		  FROM incoming i
		ON CONFLICT ON CONSTRAINT mls_media_pkey DO UPDATE
		   SET listing_key = EXCLUDED.listing_key, position = EXCLUDED.position,
			   category = EXCLUDED.category, source_url = EXCLUDED.source_url,
			   content_type = EXCLUDED.content_type,
			   source_modified_at = EXCLUDED.source_modified_at,
			   source_modified_raw = EXCLUDED.source_modified_raw,
			   description = EXCLUDED.description, permission = EXCLUDED.permission,
			   image_of = EXCLUDED.image_of, preferred = EXCLUDED.preferred,
			   flags = EXCLUDED.flags,
			   -- new bytes at the source (or back after a removal): download again;
			   -- the old bytes stay served until the new ones are stored
			   state = CASE WHEN EXCLUDED.state = 'linked' THEN 'linked'
							WHEN m.state = 'removed'
								 OR m.source_url IS DISTINCT FROM EXCLUDED.source_url
								 OR m.source_modified_raw IS DISTINCT FROM EXCLUDED.source_modified_raw
							THEN 'pending' ELSE m.state END,
			   attempts = CASE WHEN m.source_url IS DISTINCT FROM EXCLUDED.source_url
								 OR m.source_modified_raw IS DISTINCT FROM EXCLUDED.source_modified_raw
							   THEN 0 ELSE m.attempts END,
			   next_attempt_at = CASE WHEN m.source_url IS DISTINCT FROM EXCLUDED.source_url
										OR m.source_modified_raw IS DISTINCT FROM EXCLUDED.source_modified_raw
									  THEN NULL ELSE m.next_attempt_at END,
			   removed_at = NULL,
			   updated_at = EXCLUDED.updated_at
		 WHERE m.state = 'removed'
			OR (m.listing_key, m.position, m.category, m.source_url, m.content_type,
				m.source_modified_raw, m.description, m.permission, m.image_of, m.preferred, m.flags)
			   IS DISTINCT FROM
			   (EXCLUDED.listing_key, EXCLUDED.position, EXCLUDED.category, EXCLUDED.source_url,
				EXCLUDED.content_type, EXCLUDED.source_modified_raw, EXCLUDED.description,
				EXCLUDED.permission, EXCLUDED.image_of, EXCLUDED.preferred, EXCLUDED.flags)
		RETURNING m.listing_key),
	gone AS (
		UPDATE mlsync.mls_media m SET state = 'removed', removed_at = at, updated_at = at,
			   next_attempt_at = NULL
		 WHERE m.tenant_id = tenant AND m.connection = connection
		   AND m.listing_key = ANY (complete_keys) AND m.state <> 'removed'
		   AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.media_key = m.media_key)
		RETURNING m.listing_key),
	noted AS (
		INSERT INTO mlsync.mls_media_listings AS ml (tenant_id, connection, listing_key, changed)
		SELECT tenant, connection, k, NOT first_load
		  FROM (SELECT listing_key FROM written UNION SELECT listing_key FROM gone) c(k)
		ON CONFLICT ON CONSTRAINT mls_media_listings_pkey DO UPDATE
		   SET changed = ml.changed OR EXCLUDED.changed
		RETURNING 1)
	SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM gone)
	  INTO changed, removed;
	RETURN;
END
$$;

-- API: Private.  The end of reading listings' media lists batch by batch
-- (mls_media_upsert without complete_keys): the listings are checked, and
-- when seen_media_keys holds every MediaKey their lists showed, their other
-- media are removed.  NULL seen_media_keys: a list read only in part (the
-- source sent more than a listing may have); nothing is removed, nor is
-- anything of a listing whose expanded Media ($expand=Media) holds an item
-- seen_media_keys lacks.  Returns
-- how many items were removed.
CREATE FUNCTION mls_media_lists_read(tenant text, connection text, listing_keys text[],
									 seen_media_keys text[], at timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	first_load boolean := mlsync.mls_listing_events_mode() <> 'on';
	removed bigint;
BEGIN
	WITH gone AS (
		UPDATE mlsync.mls_media m SET state = 'removed', removed_at = at, updated_at = at,
			   next_attempt_at = NULL
		 WHERE seen_media_keys IS NOT NULL
		   AND m.tenant_id = tenant AND m.connection = connection
		   AND m.listing_key = ANY (listing_keys) AND m.state <> 'removed'
		   AND NOT EXISTS (SELECT 1 FROM unnest(seen_media_keys) s(media_key)
							WHERE s.media_key = m.media_key)
		   -- a list $expand=Media sent that holds an item the list read
		   -- lacks: the Media resource shows another key in
		   -- ResourceRecordKey, or hides items the expansion shows; it is
		   -- taken as read in part
		   AND NOT EXISTS (SELECT 1 FROM mlsync.mls_listings l,
								 jsonb_array_elements(CASE jsonb_typeof(l.raw -> 'Media')
														  WHEN 'array' THEN l.raw -> 'Media'
														  ELSE '[]' END) e
							WHERE l.tenant_id = m.tenant_id AND l.connection = m.connection
							  AND l.listing_key = m.listing_key
							  AND e ->> 'MediaKey' <> ALL (seen_media_keys))
		RETURNING m.listing_key),
	noted AS (
		INSERT INTO mlsync.mls_media_listings AS ml (tenant_id, connection, listing_key, changed)
		SELECT DISTINCT tenant, connection, g.listing_key, NOT first_load FROM gone g
		ON CONFLICT ON CONSTRAINT mls_media_listings_pkey DO UPDATE
		   SET changed = ml.changed OR EXCLUDED.changed
		RETURNING 1)
	SELECT count(*) INTO removed FROM gone;
	UPDATE mlsync.mls_media_listings
	   SET needs_check = false, checked_at = at,
		   read_in_part = read_in_part AND seen_media_keys IS NULL
	 WHERE mls_media_listings.tenant_id = tenant AND mls_media_listings.connection = connection
	   AND listing_key = ANY (listing_keys);
	RETURN removed;
END
$$;

-- API: Private.  Called by the sync after each batch with the keys it wrote
-- or removed.  Listings whose photo fields moved are marked for a new look
-- at their media (RETS, and RESO listings that already had media: the Media
-- resource shows changed items, not removed ones); with $expand=Media the
-- media list came with the listing and is recorded here; media of removed
-- listings are removed.  photo_policy none records nothing.
CREATE FUNCTION mls_media_note_listings(tenant text, connection text, keys text[], at timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	policy text;
	mode text;
	cut text[] := '{}';
	recheck text[] := '{}';
BEGIN
	SELECT c.photo_policy, mlsync.mls_media_source(c.tenant_id, c.connection)
	  INTO policy, mode
	  FROM mlsync.mls_connections c
	 WHERE c.tenant_id = tenant AND c.connection = connection;
	IF policy IS NULL OR policy = 'none' THEN
		RETURN;
	END IF;

	IF mode = 'expand' THEN
		-- Each listing's items are its own, whatever ResourceRecordKey says
		-- (servers leave it out of an expansion, or fill it with a key other
		-- than the connection's key_field).  A list is whole unless the
		-- server says it was cut (Media@odata.nextLink, a Media@odata.count
		-- past its length) or PhotosCount counts more photos than it holds
		-- (servers that expand a few items unless asked for more, Bridge ten;
		-- a count of photos this feed is not shown, or not lowered when one
		-- was removed): a list that is not whole adds and updates items,
		-- removes none, and is read whole from the Media resource at the end
		-- of the run (needs_check, below) unless it was since its photo fields
		-- last moved (a listing read again unchanged: overlaps, the photo
		-- pass).
		cut := ARRAY(SELECT l.listing_key FROM mlsync.mls_listings l
					  WHERE l.tenant_id = tenant AND l.connection = connection
						AND l.listing_key = ANY (keys) AND l.removed_at IS NULL
						AND jsonb_typeof(l.raw -> 'Media') = 'array'
						AND (jsonb_typeof(l.raw -> 'Media@odata.nextLink') = 'string'
							 OR (jsonb_typeof(l.raw -> 'Media@odata.count') = 'number'
								 AND (l.raw ->> 'Media@odata.count')::numeric
									 > jsonb_array_length(l.raw -> 'Media'))
							 OR l.photos_count > jsonb_array_length(l.raw -> 'Media')));
		recheck := ARRAY(SELECT l.listing_key FROM mlsync.mls_listings l
						   LEFT JOIN mlsync.mls_media_listings ml
							 ON ml.tenant_id = l.tenant_id AND ml.connection = l.connection
							AND ml.listing_key = l.listing_key
						  WHERE l.tenant_id = tenant AND l.connection = connection
							AND l.listing_key = ANY (cut)
							AND (ml.checked_at IS NULL
								 OR (ml.photos_change_timestamp, ml.photos_count)
									IS DISTINCT FROM (l.photos_change_timestamp, l.photos_count)));
		PERFORM mlsync.mls_media_upsert(tenant, connection,
				coalesce((SELECT jsonb_agg(CASE jsonb_typeof(m)
											   WHEN 'object' THEN m || jsonb_build_object('ResourceRecordKey', l.listing_key)
											   ELSE m END)
							FROM mlsync.mls_listings l,
								 jsonb_array_elements(CASE jsonb_typeof(l.raw -> 'Media')
														  WHEN 'array' THEN l.raw -> 'Media'
														  ELSE '[]' END) m
						   WHERE l.tenant_id = tenant AND l.connection = connection
							 AND l.listing_key = ANY (keys) AND l.removed_at IS NULL), '[]'),
				ARRAY(SELECT l.listing_key FROM mlsync.mls_listings l
					   WHERE l.tenant_id = tenant AND l.connection = connection
						 AND l.listing_key = ANY (keys) AND l.removed_at IS NULL
						 AND l.raw ? 'Media' AND l.listing_key <> ALL (cut)),
				at);
	END IF;

	INSERT INTO mlsync.mls_media_listings AS ml
		(tenant_id, connection, listing_key, photos_change_timestamp, photos_count, needs_check)
	SELECT l.tenant_id, l.connection, l.listing_key, l.photos_change_timestamp, l.photos_count,
		   -- a new listing: GetObject is the only way to its media
		   mode = 'getobject'
	  FROM mlsync.mls_listings l
	 WHERE l.tenant_id = tenant AND l.connection = connection AND l.listing_key = ANY (keys)
	   AND l.removed_at IS NULL
	ON CONFLICT ON CONSTRAINT mls_media_listings_pkey DO UPDATE
	   SET photos_change_timestamp = EXCLUDED.photos_change_timestamp,
		   photos_count = EXCLUDED.photos_count,
		   needs_check = ml.needs_check OR (mode = 'getobject')
						 OR (mode = 'resource' AND (ml.checked_at IS NOT NULL
													OR ml.photos_change_timestamp IS NOT NULL))
	 WHERE (ml.photos_change_timestamp, ml.photos_count)
		   IS DISTINCT FROM (EXCLUDED.photos_change_timestamp, EXCLUDED.photos_count);
	IF cardinality(recheck) > 0 THEN
		UPDATE mlsync.mls_media_listings ml SET needs_check = true
		 WHERE ml.tenant_id = tenant AND ml.connection = connection AND ml.listing_key = ANY (recheck);
	END IF;

	PERFORM mlsync.mls_media_remove_gone(tenant, connection, keys, at);
END
$$;

-- API: Private.  Media of listings removed at the source (all of the
-- connection's when keys is NULL: after a reconcile) are removed.
CREATE FUNCTION mls_media_remove_gone(tenant text, connection text, keys text[], at timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	n bigint;
BEGIN
	WITH gone AS (
		UPDATE mlsync.mls_media m SET state = 'removed', removed_at = at, updated_at = at,
			   next_attempt_at = NULL
		  FROM mlsync.mls_listings l
		 WHERE m.tenant_id = tenant AND m.connection = connection
		   AND (keys IS NULL OR m.listing_key = ANY (keys)) AND m.state <> 'removed'
		   AND l.tenant_id = m.tenant_id AND l.connection = m.connection
		   AND l.listing_key = m.listing_key AND l.removed_at IS NOT NULL
		RETURNING m.listing_key),
	noted AS (
		UPDATE mlsync.mls_media_listings ml SET changed = true, needs_check = false
		 WHERE ml.tenant_id = tenant AND ml.connection = connection
		   AND ml.listing_key IN (SELECT listing_key FROM gone)
		RETURNING 1)
	SELECT count(*) INTO n FROM gone;
	RETURN n;
END
$$;

-- API: Private.  Where a connection's media lists come from: 'expand',
-- 'resource' or 'getobject'.
CREATE FUNCTION mls_media_source(tenant text, connection text) RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE
			   WHEN c.protocol = 'rets' THEN 'getobject'
			   WHEN coalesce(s.source, 'auto') = 'auto' THEN
				   CASE WHEN c.expand_media THEN 'expand' ELSE 'resource' END
			   ELSE s.source
		   END
	  FROM mlsync.mls_connections c
	  LEFT JOIN mlsync.mls_media_settings s USING (tenant_id, connection)
	 WHERE c.tenant_id = mls_media_source.tenant AND c.connection = mls_media_source.connection
$$;

-- API: Private.  One media_changed event per listing whose media changed and
-- have all been settled (none pending any more, for a downloading
-- connection); returns how many were raised.  A connection's first load
-- raises none (its listings raise none either).
CREATE FUNCTION mls_media_raise_events(tenant text, connection text) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	n bigint;
	ids bigint[];
	downloading boolean;
BEGIN
	SELECT c.photo_policy = 'download' INTO downloading
	  FROM mlsync.mls_connections c WHERE c.tenant_id = tenant AND c.connection = connection;
	WITH settled AS (
		UPDATE mlsync.mls_media_listings ml SET changed = false
		 WHERE ml.tenant_id = tenant AND ml.connection = connection AND ml.changed
		   AND NOT ml.needs_check
		   AND NOT (downloading AND EXISTS (
				SELECT 1 FROM mlsync.mls_media m
				 WHERE m.tenant_id = ml.tenant_id AND m.connection = ml.connection
				   AND m.listing_key = ml.listing_key AND m.state = 'pending'))
		RETURNING ml.listing_key),
	raised AS (
		INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
		SELECT tenant, 'media_changed', connection, s.listing_key,
			   jsonb_build_object(
				   'stored', count(*) FILTER (WHERE m.state = 'stored'),
				   'pending', count(*) FILTER (WHERE m.state = 'pending'),
				   'failed', count(*) FILTER (WHERE m.state = 'failed'),
				   'linked', count(*) FILTER (WHERE m.state = 'linked'),
				   'removed', count(*) FILTER (WHERE m.state = 'removed'))
		  FROM settled s
		  LEFT JOIN mlsync.mls_media m
			ON m.tenant_id = tenant AND m.connection = connection AND m.listing_key = s.listing_key
		 WHERE mlsync.mls_listing_events_mode() = 'on'
		 GROUP BY s.listing_key
		RETURNING event_id)
	SELECT count(*), array_agg(r.event_id ORDER BY r.event_id) INTO n, ids FROM raised r;
	PERFORM mlsync.mls_events_fanout_untriggered(ids);
	RETURN n;
END
$$;

-- API: Public.  How a connection reads its media; arguments left NULL keep
-- the current value (or the default).  Needs operate on the tenant; runs
-- with the caller's rights (the settings' row-level security applies).
CREATE FUNCTION mls_media_configure(tenant text, connection text,
									source text DEFAULT NULL,
									media_resource text DEFAULT NULL,
									rets_location integer DEFAULT NULL,
									rets_object_type text DEFAULT NULL,
									concurrency integer DEFAULT NULL,
									max_bytes_per_hour bigint DEFAULT NULL,
									max_requests_per_hour integer DEFAULT NULL)
RETURNS mls_media_settings
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	result mlsync.mls_media_settings;
BEGIN
	-- first, so that a role learns nothing of tenants it may not change
	PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'configuring media');
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_connections c
					WHERE c.tenant_id = tenant AND c.connection = connection) THEN
		RAISE EXCEPTION 'connection "%" of tenant "%" does not exist', connection, tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Create it with mlsync.mls_connect().';
	END IF;
	IF source IS NOT NULL AND source NOT IN ('auto', 'resource', 'expand', 'getobject') THEN
		RAISE EXCEPTION 'unknown media source "%"', source
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use auto, resource (the RESO Media resource), expand (RESO $expand=Media) or getobject (RETS).';
	END IF;
	IF rets_location = 0 THEN
		RAISE EXCEPTION 'RETS GetObject with Location=0 is not supported yet'
			USING ERRCODE = 'feature_not_supported',
				  HINT = 'Use rets_location => 1: the objects'' URLs are downloaded by media workers.';
	END IF;
	IF concurrency NOT BETWEEN 1 AND 64 THEN
		RAISE EXCEPTION 'concurrency must be between 1 and 64, not %', concurrency
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO mlsync.mls_media_settings (tenant_id, connection) VALUES (tenant, connection)
	ON CONFLICT DO NOTHING;
	UPDATE mlsync.mls_media_settings s SET
		source = coalesce(mls_media_configure.source, s.source),
		media_resource = coalesce(mls_media_configure.media_resource, s.media_resource),
		rets_location = coalesce(mls_media_configure.rets_location, s.rets_location),
		rets_object_type = coalesce(mls_media_configure.rets_object_type, s.rets_object_type),
		concurrency = coalesce(mls_media_configure.concurrency, s.concurrency),
		max_bytes_per_hour = coalesce(mls_media_configure.max_bytes_per_hour, s.max_bytes_per_hour),
		max_requests_per_hour = coalesce(mls_media_configure.max_requests_per_hour, s.max_requests_per_hour)
	 WHERE s.tenant_id = tenant AND s.connection = connection
	RETURNING * INTO result;
	RETURN result;
END
$$;

COMMENT ON FUNCTION mls_media_configure(text, text, text, text, integer, text, integer, bigint, integer) IS
'set how a connection reads its media: source, RETS GetObject Location, concurrent downloads, budgets per hour';

-- API: Private.  Encrypts and stores the S3 secret access key of a tenant's
-- storage ('' removes it).
CREATE FUNCTION mls_media_store_secret(tenant text, secret text) RETURNS void
LANGUAGE c
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_media_store_secret$$;

REVOKE ALL ON FUNCTION mls_media_store_secret(text, text) FROM PUBLIC;

-- API: Private.  Where a tenant's media files go.  backend 'directory' stores
-- them under mlsync.media_dir/<tenant>/; 's3' in a bucket of any
-- S3-compatible store (path-style URLs: endpoint/bucket/key), signed with
-- AWS Signature V4.  A NULL argument keeps the current value.  Behind the
-- public mls_media_set_storage (src/tenancy/tenancy.c checks the caller's
-- admin privilege on the tenant, then calls it).
CREATE FUNCTION mls_media_set_storage_unchecked(tenant text,
									  backend text DEFAULT NULL,
									  endpoint text DEFAULT NULL,
									  bucket text DEFAULT NULL,
									  region text DEFAULT NULL,
									  access_key_id text DEFAULT NULL,
									  secret_access_key text DEFAULT NULL,
									  key_prefix text DEFAULT NULL,
									  public_url_base text DEFAULT NULL)
RETURNS mls_media_storage
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	result mlsync.mls_media_storage;
	old mlsync.mls_media_storage;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_tenants t WHERE t.tenant_id = tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Create it with mlsync.mls_create_tenant().';
	END IF;
	IF backend IS NOT NULL AND backend NOT IN ('directory', 's3') THEN
		RAISE EXCEPTION 'unknown media storage backend "%"', backend
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use directory (mlsync.media_dir) or s3.';
	END IF;
	IF bucket !~ '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' THEN
		RAISE EXCEPTION 'invalid bucket name "%"', bucket
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'S3 bucket names are 3 to 63 lower-case letters, digits, dots and hyphens.';
	END IF;
	IF region !~ '^[a-z0-9-]{1,40}$' THEN
		RAISE EXCEPTION 'invalid region "%"', region
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Write a region such as us-east-1.';
	END IF;
	IF key_prefix !~ '^([A-Za-z0-9_.-]+/)*$' THEN
		RAISE EXCEPTION 'invalid key prefix "%"', key_prefix
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'A prefix is empty or path segments of letters, digits, "_", "." and "-", each followed by "/".';
	END IF;
	SELECT * INTO old FROM mlsync.mls_media_storage s WHERE s.tenant_id = tenant;
	IF coalesce(backend, old.backend) = 's3'
	   AND (coalesce(endpoint, old.endpoint) IS NULL OR coalesce(bucket, old.bucket) IS NULL
			OR coalesce(region, old.region) IS NULL OR coalesce(access_key_id, old.access_key_id) IS NULL) THEN
		RAISE EXCEPTION 'S3 media storage needs an endpoint, a bucket, a region and an access key id'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF endpoint IS NOT NULL THEN
		endpoint := rtrim(mlsync.mls_check_url(endpoint, 'S3 endpoint'), '/');
	END IF;
	INSERT INTO mlsync.mls_media_storage AS s (tenant_id, backend, endpoint, bucket, region,
											   access_key_id, key_prefix, public_url_base)
	VALUES (tenant, coalesce(backend, old.backend, 'directory'),
			coalesce(endpoint, old.endpoint), coalesce(bucket, old.bucket),
			coalesce(region, old.region), coalesce(access_key_id, old.access_key_id),
			coalesce(key_prefix, old.key_prefix, ''),
			coalesce(public_url_base, old.public_url_base))
	ON CONFLICT (tenant_id) DO UPDATE
	   SET backend = EXCLUDED.backend, endpoint = EXCLUDED.endpoint, bucket = EXCLUDED.bucket,
		   region = EXCLUDED.region, access_key_id = EXCLUDED.access_key_id,
		   key_prefix = EXCLUDED.key_prefix, public_url_base = EXCLUDED.public_url_base,
		   updated_at = EXCLUDED.updated_at
	RETURNING * INTO result;
	-- the secret is bound to the endpoint and key id: a new one of either needs it again
	IF secret_access_key IS NOT NULL THEN
		PERFORM mlsync.mls_media_store_secret(tenant, secret_access_key);
	ELSIF (old.endpoint, old.access_key_id) IS DISTINCT FROM (result.endpoint, result.access_key_id) THEN
		DELETE FROM mlsync.mls_media_credentials c WHERE c.tenant_id = tenant;
	END IF;
	RETURN result;
END
$$;

COMMENT ON FUNCTION mls_media_set_storage_unchecked(text, text, text, text, text, text, text, text, text) IS
'the work of mls_media_set_storage, without its privilege check: not for roles';

REVOKE ALL ON FUNCTION mls_media_set_storage_unchecked(text, text, text, text, text, text, text, text, text) FROM PUBLIC;

-- API: Public.  Where a tenant's media files go (see
-- mls_media_set_storage_unchecked).  Needs admin on the tenant.  The call
-- holds the S3 secret: an error while it runs copies no STATEMENT line to
-- the server log (as for mls_set_credentials).
CREATE FUNCTION mls_media_set_storage(tenant text,
									  backend text DEFAULT NULL,
									  endpoint text DEFAULT NULL,
									  bucket text DEFAULT NULL,
									  region text DEFAULT NULL,
									  access_key_id text DEFAULT NULL,
									  secret_access_key text DEFAULT NULL,
									  key_prefix text DEFAULT NULL,
									  public_url_base text DEFAULT NULL)
RETURNS mls_media_storage
LANGUAGE c
AS 'MODULE_PATHNAME', $$mls_media_set_storage_checked$$;

COMMENT ON FUNCTION mls_media_set_storage(text, text, text, text, text, text, text, text, text) IS
'set where a tenant''s media files are stored: a directory under mlsync.media_dir, or an S3-compatible bucket (secret stored encrypted)';

-- API: Public.  Download a connection's pending media (or every
-- downloading connection's of the tenant) in this session, derive and store
-- them, and return what was done.  Media workers do the same in the
-- background; this is for setups without them and for tests.
-- Called on its own (CALL, autocommit) it commits as it goes; inside a
-- transaction block it commits nothing and collects no garbage.
CREATE PROCEDURE mls_media_download(tenant text, connection text DEFAULT NULL,
									max_items integer DEFAULT NULL,
									INOUT stored bigint DEFAULT NULL,
									INOUT failed bigint DEFAULT NULL,
									INOUT retry_later bigint DEFAULT NULL,
									INOUT bytes bigint DEFAULT NULL,
									INOUT derived bigint DEFAULT NULL,
									INOUT deleted_files bigint DEFAULT NULL)
LANGUAGE c
AS 'MODULE_PATHNAME', $$mls_media_download$$;

COMMENT ON PROCEDURE mls_media_download(text, text, integer, bigint, bigint, bigint, bigint, bigint, bigint) IS
'download, store and derive the pending media of a tenant''s connections (or one) in this session, as a media worker would';

REVOKE ALL ON PROCEDURE mls_media_download(text, text, integer, bigint, bigint, bigint, bigint, bigint, bigint) FROM PUBLIC;

-- API: Public.  Media work per connection, for an admin screen.
CREATE VIEW mls_media_progress WITH (security_invoker = true) AS
SELECT c.tenant_id, c.connection, c.photo_policy,
	   coalesce(m.pending, 0) AS pending,
	   coalesce(m.waiting, 0) AS waiting,
	   coalesce(m.stored, 0) AS stored,
	   coalesce(m.failed, 0) AS failed,
	   coalesce(m.removed, 0) AS removed,
	   coalesce(m.linked, 0) AS linked,
	   coalesce(m.bytes, 0) AS bytes,
	   coalesce(u.requests, 0) AS requests_this_hour,
	   coalesce(u.bytes, 0) AS bytes_this_hour,
	   round(coalesce(r.recent, 0) / 600.0, 2) AS stored_per_second,
	   round(coalesce(r.recent_bytes, 0) / 600.0) AS bytes_per_second,
	   (SELECT count(*) FROM mls_media_listings ml
		 WHERE ml.tenant_id = c.tenant_id AND ml.connection = c.connection AND ml.needs_check)
		 AS listings_to_check
  FROM mls_connections c
  LEFT JOIN LATERAL (
	  SELECT count(*) FILTER (WHERE x.state = 'pending') AS pending,
			 count(*) FILTER (WHERE x.state = 'pending' AND x.next_attempt_at > now()) AS waiting,
			 count(*) FILTER (WHERE x.state = 'stored') AS stored,
			 count(*) FILTER (WHERE x.state = 'failed') AS failed,
			 count(*) FILTER (WHERE x.state = 'removed') AS removed,
			 count(*) FILTER (WHERE x.state = 'linked') AS linked,
			 sum(x.bytes) FILTER (WHERE x.state = 'stored') AS bytes
		FROM mls_media x
	   WHERE x.tenant_id = c.tenant_id AND x.connection = c.connection) m ON true
  LEFT JOIN LATERAL (
	  SELECT sum(x.requests) AS requests, sum(x.bytes) AS bytes
		FROM mls_media_usage x
	   WHERE x.tenant_id = c.tenant_id AND x.connection = c.connection
		 AND x.hour = date_trunc('hour', now())) u ON true
  LEFT JOIN LATERAL (
	  SELECT count(*) AS recent, sum(x.bytes) AS recent_bytes
		FROM mls_media x
	   WHERE x.tenant_id = c.tenant_id AND x.connection = c.connection
		 AND x.state = 'stored' AND x.stored_at > now() - interval '10 minutes') r ON true;

COMMENT ON VIEW mls_media_progress IS 'per connection: media pending (waiting: for a retry or a budget), stored, failed, removed, linked, bytes stored, requests and bytes of the clock hour (what the budgets count), rate over the last 10 minutes';

-- API: Private.  Whether a medium's RESO Permission allows a display of
-- the purpose: 'idx' shows what IDX or Public allows, 'vow' also what VOW
-- allows; a medium without a Permission (most servers send none) may be
-- shown, one marked Private (or for other purposes only) may not.
CREATE FUNCTION mls_media_displayable(permission text[], purpose text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN permission IS NULL OR cardinality(permission) = 0
	OR EXISTS (SELECT FROM unnest(permission) p
				WHERE lower(p) = ANY (CASE purpose WHEN 'idx' THEN ARRAY['idx', 'public']
											   WHEN 'vow' THEN ARRAY['idx', 'vow', 'public'] END));

-- API: Public.  The public URL prefix of the media storage of each tenant
-- the reader may display (no row: its files are not served publicly).  The
-- view reads the storage settings with its owner's rights and shows only
-- this column, to roles that hold at least display on the tenant (checked
-- as the reader: functions in a view run with the reader's rights), so a
-- display-only role builds its media URLs without reading the settings.
CREATE VIEW mls_media_public_urls WITH (security_barrier = true) AS
SELECT s.tenant_id, s.public_url_base
  FROM mls_media_storage s
 WHERE s.public_url_base IS NOT NULL
   AND mlsync.mls_has_tenant_privilege(s.tenant_id, 'display');

COMMENT ON VIEW mls_media_public_urls IS 'the public URL prefix of the media storage of each tenant the reader may display';

-- API: Private.  The hook of the display views (sql/src/60_tenancy_display.sql)
-- made real: a listing's stored media a display of the purpose may show, in
-- order, with the URLs of the file and its derivatives.  With the caller's
-- rights: the policies decide (mls_display_read above).
CREATE OR REPLACE FUNCTION mls_display_media(tenant text, connection text, listing_key text, purpose text)
RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
RETURN (
	SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'position', m.position, 'category', m.category, 'description', m.description,
			   'content_type', coalesce(o.content_type, m.content_type),
			   'width', coalesce(o.width, m.width), 'height', coalesce(o.height, m.height),
			   'url', b.base || m.storage_key,
			   'derivatives', (SELECT jsonb_agg(d || jsonb_build_object('url', b.base || (d ->> 'storage_key'))
												ORDER BY (d ->> 'width')::int, d ->> 'format')
								 FROM jsonb_array_elements(o.derivatives) d)))
					 ORDER BY m.position, m.media_key)
	  FROM mlsync.mls_media m
	  LEFT JOIN mlsync.mls_media_objects o ON o.tenant_id = m.tenant_id AND o.sha256 = m.sha256
	 CROSS JOIN (SELECT (SELECT u.public_url_base FROM mlsync.mls_media_public_urls u
						  WHERE u.tenant_id = mls_display_media.tenant) AS base) b
	 WHERE m.tenant_id = mls_display_media.tenant AND m.connection = mls_display_media.connection
	   AND m.listing_key = mls_display_media.listing_key AND m.state = 'stored'
	   AND mlsync.mls_media_displayable(m.permission, mls_display_media.purpose));

COMMENT ON FUNCTION mls_display_media(text, text, text, text) IS
'the stored media a display (idx, vow) may show for a listing, in order, with their URLs; NULL when there are none';

-- API: Public.  The media of listings as an application shows them: in
-- order, with the URLs of the stored original and of its derivatives (when
-- the tenant's storage has a public_url_base) and the source's permissions.
CREATE VIEW mls_listing_media WITH (security_invoker = true) AS
SELECT m.tenant_id, m.connection, m.listing_key, m.media_key, m.position, m.category,
	   m.description, m.permission, m.image_of, m.preferred, m.state,
	   coalesce(o.width, m.width) AS width, coalesce(o.height, m.height) AS height,
	   coalesce(o.content_type, m.content_type) AS content_type, m.bytes, m.sha256,
	   m.storage_key,
	   s.public_url_base || m.storage_key AS url,
	   coalesce((SELECT jsonb_agg(d || jsonb_build_object('url', s.public_url_base || (d ->> 'storage_key'))
								  ORDER BY (d ->> 'width')::int, d ->> 'format')
				   FROM jsonb_array_elements(o.derivatives) d), '[]') AS derivatives,
	   m.source_url,
	   m.source_modified_at
  FROM mls_media m
  LEFT JOIN mls_media_objects o ON o.tenant_id = m.tenant_id AND o.sha256 = m.sha256
  LEFT JOIN mls_media_storage s ON s.tenant_id = m.tenant_id
 WHERE m.state <> 'removed';

COMMENT ON VIEW mls_listing_media IS 'media of listings in order, with the URLs of the stored file and its derivatives, and the source''s permissions';

-- Tenant isolation (sql/src/60_tenancy.sql): the media tables are read with
-- read on their tenant; the media workers, the sync and the SECURITY
-- DEFINER functions write them as the owner; operators change their
-- connections' media settings with their own rights.
SELECT mls_protect_tenant_table('mls_media_storage', 'read', 'admin');
SELECT mls_protect_tenant_table('mls_media_settings', 'read', 'operate', 'INSERT, UPDATE, DELETE');
SELECT mls_protect_tenant_table('mls_media_sync_status', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_media_listings', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_media', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_media_objects', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_media_garbage', 'read', 'operate');
SELECT mls_protect_tenant_table('mls_media_usage', 'read', 'operate');

-- What the display views show of media (docs/display.md).  A role with only
-- the display privilege reads, of its tenants' media, the stored items whose
-- RESO Permission allows a display, and the objects (files) of those: its
-- own policies, beside the read policies mls_protect_tenant_table made (the
-- subquery on mls_media sees what the caller may see of it).
DO $$
BEGIN
	EXECUTE format('CREATE POLICY mls_display_read ON mlsync.mls_media FOR SELECT USING ((%s)'
				   ' AND state = ''stored'' AND (mlsync.mls_media_displayable(permission, ''idx'')'
				   ' OR mlsync.mls_media_displayable(permission, ''vow'')))',
				   mlsync.mls_tenant_policy_condition('tenant_id', 'display'));
	-- the files of those items only: a private photo's storage key stays hidden
	EXECUTE format('CREATE POLICY mls_display_read ON mlsync.mls_media_objects FOR SELECT USING ((%s)'
				   ' AND EXISTS (SELECT FROM mlsync.mls_media m WHERE m.tenant_id = mls_media_objects.tenant_id'
				   ' AND m.sha256 = mls_media_objects.sha256))',
				   mlsync.mls_tenant_policy_condition('tenant_id', 'display'));
END
$$;

-- The S3 secrets: no role but the owner, ever (as mls_credentials).
REVOKE ALL ON mls_media_credentials FROM PUBLIC;
ALTER TABLE mls_media_credentials ENABLE ROW LEVEL SECURITY;

-- Views that run with the reader's rights (the tables' policies apply).
GRANT SELECT ON mls_media_progress, mls_listing_media, mls_media_public_urls TO PUBLIC;
