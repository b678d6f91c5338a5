-- Syncing a RESO Web API feed from the sample server: full, unchanged,
-- incremental (with more records sharing one timestamp than fit on a page),
-- reconcile (removed and locally edited listings), single, dry run, a server
-- without nextLink, enum lookup spellings, background runs, and bad input.
-- After every run the listings are compared with the server's truth.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SELECT mls_test.wait_for_launcher();

SELECT mls_test.reset('{"mls": "a", "listings": 300, "seed": 11, "page_max": 50}') ->> 'count' AS listings;
SELECT tenant_id FROM mlsync.mls_create_tenant('acme');
SELECT connection FROM mlsync.mls_connect('acme', 'a', protocol => 'reso',
	endpoint => mls_test.reso_root('a'), token_url => mls_test.token_url('a'),
	username => 'mlsync', page_size => 40);
SELECT mlsync.mls_set_credentials('acme', 'a', client_secret => 's3cret');

-- the writer's statements run without JIT, the server's default
-- notwithstanding (compiling cost seconds per batch): a statement trigger on
-- the listings records the setting they run with
CREATE TABLE public.writer_settings (jit text, work_mem bigint);
CREATE FUNCTION public.note_writer_settings() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO public.writer_settings
		 VALUES (current_setting('jit'), pg_size_bytes(current_setting('work_mem'))); RETURN NULL; END $$;
CREATE TRIGGER note_writer_settings AFTER INSERT ON mlsync.mls_listings
	FOR EACH STATEMENT EXECUTE FUNCTION public.note_writer_settings();

-- a first full sync, run here
SELECT cardinality(mlsync.mls_sync('acme', 'a', mode => 'full', wait => true)) AS runs;
SELECT * FROM mls_test.last_run('acme', 'a');
SELECT * FROM mls_test.diff('acme', 'a', 'a');
SELECT (SELECT boot_val FROM pg_settings WHERE name = 'jit') AS server_default,
	   current_setting('jit') AS this_session, array_agg(DISTINCT jit) AS writer
  FROM public.writer_settings;
-- a batch larger than work_mem is held in memory, not spilled to temporary
-- files: for its transaction the writer raises work_mem to a quarter more
-- than the batch (here 40 records, about 250 kB), and no more
TRUNCATE public.writer_settings;
ALTER SYSTEM SET work_mem = '64kB';
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
SELECT cardinality(mlsync.mls_sync('acme', 'a', mode => 'full', wait => true)) AS runs;
SELECT count(*) > 0 AS batches, min(work_mem) > 64 * 1024 AS raised,
	   max(work_mem) < 4 * 1024 * 1024 AS bounded_by_the_batch
  FROM public.writer_settings;
ALTER SYSTEM RESET work_mem;
SELECT pg_reload_conf();
DROP TRIGGER note_writer_settings ON mlsync.mls_listings;
DROP FUNCTION public.note_writer_settings();
DROP TABLE public.writer_settings;
-- and so does the alert matching wherever it is called from
SELECT proconfig FROM pg_proc WHERE oid = 'mlsync.mls_alert_events'::regproc;
SELECT requests >= 9 AS paged, bytes > 0 AS counted_bytes, total_expected, watermark_to IS NOT NULL AS watermark
  FROM mlsync.mls_sync_history WHERE tenant_id = 'acme' ORDER BY run_id DESC LIMIT 1;
-- the first load records each listing's history but raises no events: the
-- listings are new to mlsync, not to the market
SELECT (SELECT count(*) FROM mlsync.mls_listing_history
		 WHERE tenant_id = 'acme' AND connection = 'a' AND change = 'listed') AS listed,
	   (SELECT count(*) FROM mlsync.mls_events WHERE tenant_id = 'acme' AND connection = 'a') AS events,
	   current_setting('mlsync.listing_events') AS setting_after_the_run;

-- the same data again writes nothing
SELECT max(last_synced_at) AS synced_before FROM mlsync.mls_listings \gset
SELECT cardinality(mlsync.mls_sync('acme', 'a', mode => 'full', wait => true)) AS runs;
SELECT * FROM mls_test.last_run('acme', 'a');
SELECT max(last_synced_at) = :'synced_before' AS untouched FROM mlsync.mls_listings;

-- the market moves; every change of this step shares one timestamp, more of
-- them than fit on a page
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "a", "seed": 5, "new": 25, "price_cut": 15,
	"price_raise": 5, "pending": 6, "closed": 6, "expired": 3, "withdrawn": 2, "canceled": 2,
	"back_on_market": 2, "photos_changed": 3, "deleted": 4, "same_timestamp": true}') -> 'changed')
	   AS c(kind, keys);
SELECT cardinality(mlsync.mls_sync('acme', 'a', wait => true)) AS runs;
SELECT mode, state, inserted, updated, errors FROM mls_test.last_run('acme', 'a');
-- an incremental sync cannot see deletions: the 4 deleted listings remain
SELECT * FROM mls_test.diff('acme', 'a', 'a');
-- from then on changes raise events: the 25 new listings among them
SELECT kind, count(*) FROM mlsync.mls_events WHERE tenant_id = 'acme' AND connection = 'a'
 GROUP BY kind ORDER BY kind;

-- a dry run previews the next changes without writing them
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "a", "seed": 6, "new": 3, "price_cut": 2,
	"deleted": 2}') -> 'changed') AS c(kind, keys);
SELECT count(*) AS listings_before FROM mlsync.mls_listings \gset
SELECT watermark_raw AS watermark_before FROM mlsync.mls_sync_status WHERE connection = 'a' \gset
SELECT cardinality(mlsync.mls_sync('acme', 'a', mode => 'dry_run', wait => true)) AS runs;
SELECT mode, state, inserted, updated FROM mls_test.last_run('acme', 'a');
SELECT count(*) = :listings_before AS nothing_written,
	   (SELECT watermark_raw = :'watermark_before' FROM mlsync.mls_sync_status WHERE connection = 'a') AS watermark_kept,
	   (SELECT message FROM mlsync.mls_sync_history ORDER BY run_id DESC LIMIT 1) AS message
  FROM mlsync.mls_listings;
SELECT cardinality(mlsync.mls_sync('acme', 'a', wait => true)) AS runs;
SELECT mode, state, inserted, updated FROM mls_test.last_run('acme', 'a');

-- reconcile finds what the source deleted; a locally edited listing is
-- flagged instead of removed
SELECT jsonb_path_query_first(mls_test.advance('{"mls": "a", "seed": 7, "deleted": 3}'),
							  '$.changed.deleted[0]') #>> '{}' AS edited_key \gset
UPDATE mlsync.mls_listings SET local_overrides = '{"public_remarks": "our words"}'
 WHERE listing_key = :'edited_key';
SELECT cardinality(mlsync.mls_sync('acme', 'a', mode => 'reconcile', wait => true)) AS runs;
SELECT mode, state, seen, removed, flagged FROM mls_test.last_run('acme', 'a');
-- the flagged listing stays (extra): its local edit is not lost
SELECT * FROM mls_test.diff('acme', 'a', 'a');
SELECT listing_key = :'edited_key' AS is_edited, standard_status, removed_at IS NOT NULL AS removed,
	   conflict, local_overrides
  FROM mlsync.mls_listings
 WHERE removed_at IS NOT NULL OR conflict IS NOT NULL
 ORDER BY 1, 2 LIMIT 3;
SELECT count(*) FILTER (WHERE removed_at IS NOT NULL) AS removed,
	   count(*) FILTER (WHERE conflict = 'removed_at_source') AS flagged,
	   count(*) FILTER (WHERE removed_at IS NOT NULL AND standard_status = 'Delete') AS marked_delete
  FROM mlsync.mls_listings;
-- a second reconcile changes nothing
SELECT cardinality(mlsync.mls_sync('acme', 'a', mode => 'reconcile', wait => true)) AS runs;
SELECT mode, state, removed, flagged FROM mls_test.last_run('acme', 'a');

-- single: one listing by key, restored from the source after a local mix-up
SELECT listing_key AS one_key FROM mlsync.mls_listings
 WHERE tenant_id = 'acme' AND connection = 'a' AND removed_at IS NULL
 ORDER BY listing_key LIMIT 1 \gset
UPDATE mlsync.mls_listings SET list_price = 1, raw_hash = 0
 WHERE tenant_id = 'acme' AND connection = 'a' AND listing_key = :'one_key';
SELECT cardinality(mlsync.mls_sync('acme', 'a', mode => 'single', listing_key => :'one_key', wait => true)) AS runs;
SELECT mode, state, seen, updated FROM mls_test.last_run('acme', 'a');
SELECT * FROM mls_test.diff('acme', 'a', 'a');
-- a key the source does not have is removed
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status)
VALUES ('acme', 'a', 'no-such-key', 'Active');
SELECT cardinality(mlsync.mls_sync('acme', 'a', mode => 'single', listing_key => 'no-such-key', wait => true)) AS runs;
SELECT mode, state, removed FROM mls_test.last_run('acme', 'a');
SELECT standard_status, removed_at IS NOT NULL AS removed FROM mlsync.mls_listings WHERE listing_key = 'no-such-key';

-- in the background: mls_sync returns at once, the launcher runs it
SELECT jsonb_object_agg(kind, jsonb_array_length(keys) ORDER BY kind) AS changes
  FROM jsonb_each(mls_test.advance('{"mls": "a", "seed": 8, "new": 4, "closed": 2}') -> 'changed') AS c(kind, keys);
SELECT (mlsync.mls_sync('acme'))[1] AS run_id \gset
SELECT mlsync.mls_sync_wait(:run_id, '60 seconds') AS final_state;
SELECT mode, state, inserted, updated FROM mls_test.last_run('acme', 'a');
SELECT * FROM mls_test.diff('acme', 'a', 'a');
SELECT state, consecutive_failures, errors_24h, last_success_at IS NOT NULL AS succeeded_once
  FROM mlsync.mls_status WHERE connection = 'a';

-- a server without @odata.nextLink: mlsync pages by keyset itself
SELECT mls_test.reset('{"mls": "b", "listings": 130, "seed": 12, "page_max": 30, "nextlink": false}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('acme', 'b', protocol => 'reso',
	endpoint => mls_test.reso_root('b'), token_url => mls_test.token_url('b'),
	username => 'mlsync', oauth_client_auth => 'body', page_size => 30);
SELECT mlsync.mls_set_credentials('acme', 'b', client_secret => 's3cret');
SELECT cardinality(mlsync.mls_sync('acme', 'b', mode => 'full', wait => true)) AS runs;
SELECT mode, state, seen, inserted FROM mls_test.last_run('acme', 'b');
SELECT * FROM mls_test.diff('acme', 'b', 'b');

-- records whose members come in an order of their own, some without their
-- null members, some with a member twice: each is stored exactly as
-- PostgreSQL reads its text (the reader learns the order of like records'
-- keys to sort them faster; the order is only ever a guess to confirm)
SELECT mls_test.reset('{"mls": "v", "listings": 120, "seed": 15, "record_keys": "varied"}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('acme', 'v', protocol => 'reso',
	endpoint => mls_test.reso_root('v'), token_url => mls_test.token_url('v'),
	username => 'mlsync', page_size => 25);
SELECT mlsync.mls_set_credentials('acme', 'v', client_secret => 's3cret');
SELECT cardinality(mlsync.mls_sync('acme', 'v', mode => 'full', wait => true)) AS runs;
SELECT mode, state, seen, inserted, errors FROM mls_test.last_run('acme', 'v');
SELECT count(*) AS served, count(l.listing_key) AS stored,
	   count(*) FILTER (WHERE l.raw IS DISTINCT FROM t) AS raw_differs,
	   count(*) FILTER (WHERE l.list_price IS DISTINCT FROM (t ->> 'ListPrice')::numeric) AS price_differs,
	   count(*) FILTER (WHERE t ->> 'ListPrice' IS NOT NULL AND l.list_price <= 0) AS first_of_two_kept
  FROM mls_test.truth('v') t
  LEFT JOIN mlsync.mls_listings l ON l.connection = 'v' AND l.listing_key = t ->> 'ListingKey';

-- records in every spelling JSON allows (every escape, \u escapes of both
-- cases, spaces and tabs between tokens, numbers as 350E+3, -0.0 or
-- 5.0e-01), a third with emoji as surrogate pairs: the reader's fast path
-- takes the plain ones, PostgreSQL's parser the ones with surrogates, and
-- each is stored exactly as PostgreSQL reads its text
SELECT mls_test.reset('{"mls": "x", "listings": 90, "seed": 16, "json_style": "exotic", "emoji_fraction": 0.3}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('acme', 'x', protocol => 'reso',
	endpoint => mls_test.reso_root('x'), token_url => mls_test.token_url('x'),
	username => 'mlsync', page_size => 25);
SELECT mlsync.mls_set_credentials('acme', 'x', client_secret => 's3cret');
SELECT cardinality(mlsync.mls_sync('acme', 'x', mode => 'full', wait => true)) AS runs;
SELECT mode, state, seen, inserted, errors FROM mls_test.last_run('acme', 'x');
SELECT count(*) AS served, count(l.listing_key) AS stored,
	   count(*) FILTER (WHERE l.raw IS DISTINCT FROM t) AS raw_differs,
	   count(*) FILTER (WHERE l.raw ->> 'PublicRemarks' ~ '[\U0001F300-\U0001FAFF]') > 0 AS some_with_emoji,
	   count(*) FILTER (WHERE l.list_price IS DISTINCT FROM (t ->> 'ListPrice')::numeric) AS price_differs
  FROM mls_test.truth('x') t
  LEFT JOIN mlsync.mls_listings l ON l.connection = 'x' AND l.listing_key = t ->> 'ListingKey';
SELECT raw -> 'X_Exotic' AS exotic FROM mlsync.mls_listings WHERE connection = 'x' ORDER BY listing_key LIMIT 1;

-- legacy enumeration spellings ("ActiveUnderContract") arrive in display spelling
SELECT mls_test.reset('{"mls": "e", "listings": 60, "seed": 13, "lookup_spelling": "enum"}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('acme', 'e', protocol => 'reso',
	endpoint => mls_test.reso_root('e'), token_url => mls_test.token_url('e'), username => 'mlsync');
SELECT mlsync.mls_set_credentials('acme', 'e', client_secret => 's3cret');
SELECT cardinality(mlsync.mls_sync('acme', 'e', mode => 'full', wait => true)) AS runs;
SELECT * FROM mls_test.diff('acme', 'e', 'e');
SELECT bool_and(standard_status = ANY (mlsync.mls_standard_statuses())) AS statuses_normalized,
	   count(*) FILTER (WHERE raw ->> 'StandardStatus' ~ '^[A-Za-z]+$' AND raw ->> 'StandardStatus' <> standard_status) > 0
		 AS some_were_legacy
  FROM mlsync.mls_listings WHERE connection = 'e';

-- a static bearer token instead of OAuth2
SELECT mls_test.reset('{"mls": "s", "listings": 40, "seed": 14, "static_token": "opaque-token-1"}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('acme', 's', protocol => 'reso', endpoint => mls_test.reso_root('s'));
SELECT mlsync.mls_set_credentials('acme', 's', access_token => 'opaque-token-1');
SELECT cardinality(mlsync.mls_sync('acme', 's', mode => 'full', wait => true)) AS runs;
SELECT mode, state, seen, inserted FROM mls_test.last_run('acme', 's');
SELECT * FROM mls_test.diff('acme', 's', 's');

-- only the mapped fields ($select), with media metadata ($expand=Media)
SELECT connection FROM mlsync.mls_connect('acme', 's', select_mapped_only => true, expand_media => true);
SELECT mls_test.control('DELETE', '/control/log') IS NOT NULL AS log_cleared;
SELECT cardinality(mlsync.mls_sync('acme', 's', mode => 'full', wait => true)) AS runs;
SELECT mode, state, seen, updated FROM mls_test.last_run('acme', 's');
SELECT bool_and(e ->> 'query' LIKE '%$select=ListingKey%2CModificationTimestamp%') AS asked_select,
	   bool_and(e ->> 'query' LIKE '%$expand=Media%') AS asked_media
  FROM jsonb_array_elements(mls_test.control('GET', '/control/log?mls=s') -> 'entries') e
 WHERE e ->> 'path' LIKE '%/Property';
-- raw now holds the mapped fields and the media; the mapped columns are unchanged
SELECT (SELECT count(*) FROM jsonb_object_keys(raw)) <= (SELECT count(*) FROM mlsync.mls_field_mappings
																 WHERE mapping_set = 'reso-dd-2.0') + 1 AS only_mapped_fields,
	   jsonb_typeof(raw -> 'Media') AS media, jsonb_array_length(raw -> 'Media') > 0 AS has_photos
  FROM mlsync.mls_listings WHERE connection = 's' ORDER BY listing_key LIMIT 1;
SELECT count(*) AS mapped_values_differ
  FROM mlsync.mls_listings l
  JOIN mls_test.truth('s') t ON t ->> 'ListingKey' = l.listing_key
 WHERE (mlsync.mls_map_record('reso-dd-2.0', t)).list_price IS DISTINCT FROM l.list_price
	OR (mlsync.mls_map_record('reso-dd-2.0', t)).standard_status IS DISTINCT FROM l.standard_status
	OR (mlsync.mls_map_record('reso-dd-2.0', t)).modification_timestamp IS DISTINCT FROM l.modification_timestamp;

-- a wrong secret: the run fails with an auth error, nothing is retried
SELECT mlsync.mls_set_credentials('acme', 'e', client_secret => 'wrong');
\set VERBOSITY terse
SELECT cardinality(mlsync.mls_sync('acme', 'e', wait => true)) AS runs;
\set VERBOSITY default
SELECT mode, state FROM mls_test.last_run('acme', 'e');
SELECT category, http_status, retry_state, message FROM mlsync.mls_sync_errors
 WHERE connection = 'e' ORDER BY error_id;
SELECT state, consecutive_failures, last_error IS NOT NULL AS has_error FROM mlsync.mls_status WHERE connection = 'e';
SELECT count(*) AS retries_queued FROM mlsync.mls_sync_queue WHERE connection = 'e';

-- requests for one connection join: one queued run per connection
BEGIN;
SELECT mlsync.mls_sync('acme', 'b') = mlsync.mls_sync('acme', 'b') AS joined;
SELECT count(*) AS queued FROM mlsync.mls_sync_queue WHERE connection = 'b';
ROLLBACK;

-- bad requests
SELECT mlsync.mls_sync('acme', mode => 'sometimes');
SELECT mlsync.mls_sync('acme', 'a', mode => 'single');
SELECT mlsync.mls_sync('acme', mode => 'single', listing_key => 'x');
SELECT mlsync.mls_sync('acme', 'a', listing_key => 'x');
SELECT mlsync.mls_sync('nobody');
SELECT mlsync.mls_sync('acme', 'nope');
\set VERBOSITY terse
SELECT mlsync.mls_sync_wait(-1);
\set VERBOSITY default
SELECT connection FROM mlsync.mls_connect('acme', 'e', enabled => false);
SELECT mlsync.mls_sync('acme', 'e');
BEGIN;
SELECT (mlsync.mls_sync('acme', 'b'))[1] AS uncommitted_run \gset
\set VERBOSITY sqlstate
SELECT mlsync.mls_sync_wait(:uncommitted_run, '1 second');
\set VERBOSITY default
ROLLBACK;

DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'acme';
