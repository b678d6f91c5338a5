-- Convergence against servers as they really behave (docs/protocols.md,
-- docs/architecture.md "Paging"): each behaviour is a mode of the sample
-- server, and after the runs the listings equal the server's truth, key by
-- key and value by value.  Offset nextLinks while data changes mid-run;
-- timestamps finer than the server sends; a server that ignores $filter
-- or sends self-pointing nextLinks (a bounded run that fails clearly);
-- nextLinks written in escapes, and with their queries decoded;
-- single lookups that must never remove a live listing; status filters in
-- both lookup spellings; escaped non-ASCII and emoji (no false errors); a
-- record nested too deep (skipped, logged); reconcile repairing both ways
-- over RESO and RETS; the RETS server's time zone; a vendor that refuses
-- requests not naming its MLS (single lookups by the source filter); first
-- loads of some statuses, whose watermark stops at the server's newest
-- record; reconciles of some statuses that tell sold from deleted by
-- looking the unseen listings up; timestamps written without a zone; and
-- failures that are never silent.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SET mlsync.retry_base_delay = '20ms';
SET mlsync.retry_max_delay = '2s';
SET mlsync.max_retries = 2;
SELECT tenant_id FROM mlsync.mls_create_tenant('conv');

-- a RESO connection to sample MLS m of the server, with its secret
CREATE FUNCTION pg_temp.connect(mls text, page_size int DEFAULT 50, paging text DEFAULT NULL,
								statuses text[] DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mlsync.mls_connect('conv', mls, protocol => 'reso', endpoint => mls_test.reso_root(mls),
							   token_url => mls_test.token_url(mls), username => 'mlsync',
							   page_size => page_size, paging => paging, statuses => statuses);
	PERFORM mlsync.mls_set_credentials('conv', mls, client_secret => 's3cret');
END
$$;

-- a sync that may fail: its state, the SQLSTATE and message it raised
-- (run ids left out), and its errors by category and retry state
CREATE FUNCTION pg_temp.sync(connection text, mode text DEFAULT 'full', listing_key text DEFAULT NULL,
							 OUT state text, OUT raised text, OUT errors text)
LANGUAGE plpgsql AS $$
DECLARE
	last bigint;
BEGIN
	SELECT coalesce(max(error_id), 0) INTO last FROM mlsync.mls_sync_errors;
	BEGIN
		PERFORM mlsync.mls_sync('conv', connection, mode => mode, listing_key => listing_key,
								wait => true);
	EXCEPTION WHEN OTHERS THEN
		raised := SQLSTATE || ': ' || regexp_replace(SQLERRM, 'http://127\.0\.0\.1:[0-9]+', 'http://server', 'g');
	END;
	SELECT h.state INTO state FROM mlsync.mls_sync_history h
	 WHERE h.tenant_id = 'conv' AND h.connection = sync.connection ORDER BY run_id DESC LIMIT 1;
	SELECT string_agg(format('%s/%s x%s', e.category, e.retry_state, e.n), ' ' ORDER BY e.first)
	  INTO errors
	  FROM (SELECT category, retry_state, count(*) AS n, min(error_id) AS first
			  FROM mlsync.mls_sync_errors
			 WHERE error_id > last AND tenant_id = 'conv' AND mls_sync_errors.connection = sync.connection
			 GROUP BY 1, 2) e;
END
$$;

-- requests one MLS received for its Property collection since the log was cleared
CREATE FUNCTION pg_temp.property_requests(mls text) RETURNS bigint
LANGUAGE sql AS $$
	SELECT count(*) FROM mls_test.requests(mls) e WHERE e ->> 'path' LIKE '%/Property'
$$;

-- 1. A server whose nextLinks page by $skip, capped at 100 rows while
-- mlsync asks for 250, and whose records change during the run: price
-- cuts of records already passed move them to the end, so following the
-- nextLinks would silently skip as many records.  mlsync pages by keyset.
SELECT mls_test.reset('{"mls": "off", "listings": 1500, "seed": 41, "page_max": 100,
						"nextlink_paging": "offset"}') ->> 'count' AS listings;
SELECT pg_temp.connect('off', 250);
SELECT mls_test.fault('{"mls": "off", "path": "/reso/odata/Property", "fault": "advance", "after": 3,
						"count": 1, "advance": {"seed": 5, "price_cut": 60, "new": 10}}') ->> 'fault' AS fault;
SELECT mls_test.clear_requests();
SELECT * FROM pg_temp.sync('off');
SELECT * FROM mls_test.diff('conv', 'off', 'off');
-- the advance did happen during the run, and no nextLink was followed
SELECT count(*) FILTER (WHERE e ? 'advanced') AS advanced_during_the_run,
	   count(*) FILTER (WHERE e ->> 'query' LIKE '%skip%') AS skip_requests
  FROM mls_test.requests('off') e;
SELECT mls_test.clear_faults('off');

-- 2. A server that compares timestamps with microseconds it does not send:
-- 240 changes at one served millisecond make "ts gt T or (ts eq T and key
-- gt K)" return the records already read for ever.  mlsync notices the
-- page that brings nothing new, reads that millisecond by key, and goes on.
SELECT mls_test.reset('{"mls": "us", "listings": 400, "seed": 42, "page_max": 50,
						"timestamp_storage": "microseconds"}') ->> 'count' AS listings;
SELECT pg_temp.connect('us');
SELECT * FROM pg_temp.sync('us');
SELECT jsonb_array_length(mls_test.advance('{"mls": "us", "seed": 7, "price_cut": 120, "new": 120,
	"same_timestamp": true}') -> 'changed' -> 'new') AS new;
SELECT mls_test.clear_requests();
SELECT * FROM pg_temp.sync('us', 'incremental');
SELECT * FROM mls_test.diff('conv', 'us', 'us');
SELECT pg_temp.property_requests('us') < 20 AS bounded_requests;
-- (a page that brings nothing new, or whose records at its last served
-- millisecond come out of key order, which such a server's do)
SELECT message ~ '^(a page brought no record past|the records of a page at .* came out of ListingKey order).* reading \[.*\) by ListingKey$' AS says_what_it_did
  FROM mlsync.mls_sync_errors WHERE connection = 'us' AND retry_state = 'repaired';
-- and a full sync of the same server converges too
SELECT * FROM pg_temp.sync('us');
SELECT * FROM mls_test.diff('conv', 'us', 'us');
-- a page of that window that comes back empty for a moment (a search
-- backend that timed out) is asked for again before the window is taken
-- as read: the run reads its other keys (without: the run went on past
-- them, 96 listings missing and 55 different)
SELECT jsonb_array_length(mls_test.advance('{"mls": "us", "seed": 9, "price_cut": 120, "new": 120,
	"same_timestamp": true}') -> 'changed' -> 'new') AS new;
SELECT mls_test.fault('{"mls": "us", "fault": "empty_page", "count": 1,
	"path": "ModificationTimestamp lt 2025-06-02T15:30:01Z and ListingKey gt"}') ->> 'fault' AS fault;
SET mlsync.incremental_overlap = 0;
SELECT * FROM pg_temp.sync('us', 'incremental');
RESET mlsync.incremental_overlap;
SELECT * FROM mls_test.diff('conv', 'us', 'us');
SELECT (r ->> 'fired')::int AS empty_pages
  FROM jsonb_array_elements(mls_test.control('GET', '/control/faults') -> 'rules') r
 WHERE r ->> 'mls' = 'us' AND r ->> 'fault' = 'empty_page';
SELECT mls_test.clear_faults('us') IS NOT NULL AS cleared;

-- 3. A server that ignores $filter: the run ends after a few requests with a
-- protocol error, instead of asking for the same records for ever; what the
-- earlier runs stored stays.
SELECT mls_test.reset('{"mls": "nf", "listings": 200, "seed": 43, "page_max": 50}') ->> 'count' AS listings;
SELECT pg_temp.connect('nf');
SELECT * FROM pg_temp.sync('nf');
SELECT mls_test.control('POST', '/control/configure', '{"mls": "nf", "ignore_filter": true}') ->> 'mls' AS configured;
SELECT mls_test.clear_requests();
SELECT state, raised, errors FROM pg_temp.sync('nf', 'incremental');
SELECT pg_temp.property_requests('nf') <= 5 AS bounded_requests;
SELECT count(*) AS still_stored FROM mlsync.mls_listings WHERE connection = 'nf' AND removed_at IS NULL;
-- the same server, asked for keys by a reconcile: it stops there too, and removes nothing
SELECT state, raised FROM pg_temp.sync('nf', 'reconcile');
SELECT count(*) AS still_stored FROM mlsync.mls_listings WHERE connection = 'nf' AND removed_at IS NULL;

-- 3b. A 200 answer without "value" (as a server that throttles answers) is
-- no empty page, which would end a reconcile's sweep and take every key
-- after it for removed: it is retried, then fails the run, which removes
-- nothing; answered once, the retry converges.
SELECT mls_test.reset('{"mls": "nv", "listings": 120, "seed": 49, "page_max": 50}') ->> 'count' AS listings;
SELECT pg_temp.connect('nv');
SELECT state FROM pg_temp.sync('nv');
SELECT mls_test.fault('{"mls": "nv", "path": "Property", "fault": "json_without_value", "count": -1}') ->> 'fault' AS fault;
SELECT state, raised FROM pg_temp.sync('nv', 'reconcile');
SELECT count(*) AS still_stored FROM mlsync.mls_listings WHERE connection = 'nv' AND removed_at IS NULL;
SELECT mls_test.clear_faults('nv') IS NOT NULL AS cleared;
SELECT mls_test.fault('{"mls": "nv", "path": "Property", "fault": "json_without_value", "count": 1}') ->> 'fault' AS fault;
SELECT state, raised FROM pg_temp.sync('nv', 'reconcile');
SELECT * FROM mls_test.diff('conv', 'nv', 'nv');

-- 4. Where keyset paging is not possible (paging => 'nextlink'), a nextLink
-- that points to a page already read ends the run; and mlsync.max_requests_per_run
-- bounds any run.
SELECT mls_test.reset('{"mls": "self", "listings": 200, "seed": 44, "page_max": 50, "nextlink_self": true}') ->> 'count' AS listings;
SELECT pg_temp.connect('self', 50, 'nextlink');
SELECT state, raised FROM pg_temp.sync('self');
SELECT pg_temp.connect('self', 50, 'keyset');
SET mlsync.max_requests_per_run = 3;
SELECT state, raised FROM pg_temp.sync('self');
RESET mlsync.max_requests_per_run;
SELECT state, raised, errors FROM pg_temp.sync('self');
SELECT * FROM mls_test.diff('conv', 'self', 'self');

-- 4b. The JSON of a nextLink may escape any character (encoders that escape
-- every one, or every non-ASCII one, exist): a link written wholly in \u
-- escapes is the same link, and the run converges.  Escapes no URL can hold
-- (\u0000, which would end the link early and fetch another page than the
-- server named, half a surrogate pair, a \u without hex digits) fail the
-- run with a protocol error; the next run after the server mends its links
-- converges.
SELECT mls_test.reset('{"mls": "nlesc", "listings": 120, "seed": 46, "page_max": 50,
						"nextlink_escapes": "all"}') ->> 'count' AS listings;
SELECT pg_temp.connect('nlesc', 50, 'nextlink');
SELECT * FROM pg_temp.sync('nlesc');
SELECT * FROM mls_test.diff('conv', 'nlesc', 'nlesc');
SELECT count(*) FILTER (WHERE e ->> 'query' LIKE '%skiptoken%') AS links_followed
  FROM mls_test.requests('nlesc') e;
SELECT mls_test.reset('{"mls": "badesc", "listings": 120, "seed": 47, "page_max": 50}') ->> 'count' AS listings;
SELECT pg_temp.connect('badesc', 50, 'nextlink');
-- a run after the server's nextLinks took another form: its state, the
-- pages it asked for, the listings stored, and the pages whose $filter held
-- the connection's source_filter as it was
CREATE FUNCTION pg_temp.sync_links(mls text, escapes text, OUT state text, OUT raised text,
								   OUT errors text, OUT pages bigint, OUT stored bigint,
								   OUT with_the_filter bigint)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mls_test.control('POST', '/control/configure',
							 jsonb_build_object('mls', mls, 'nextlink_escapes', escapes));
	PERFORM mls_test.clear_requests();
	SELECT s.state, s.raised, s.errors INTO state, raised, errors FROM pg_temp.sync(mls) s;
	pages := pg_temp.property_requests(mls);
	SELECT count(*) INTO stored FROM mlsync.mls_listings l WHERE l.connection = mls;
	SELECT count(*) INTO with_the_filter
	  FROM mls_test.requests(mls) e, mlsync.mls_connections c
	 WHERE c.tenant_id = 'conv' AND c.connection = mls
	   AND strpos(e -> 'params' ->> '$filter', '(' || c.source_filter || ')') > 0;
END
$$;
-- each fails the run, saying what is wrong with the link, before any other
-- page is asked for; nothing is stored yet (the first page's 50 records wait
-- in a batch of 500), so the next run starts from the beginning again
SELECT state, raised, errors, pages, stored FROM pg_temp.sync_links('badesc', 'nul');
SELECT state, raised, errors, pages, stored FROM pg_temp.sync_links('badesc', 'lone_surrogate');
SELECT state, raised, errors, pages, stored FROM pg_temp.sync_links('badesc', 'bad_hex');
SELECT mls_test.control('POST', '/control/configure', '{"mls": "badesc", "nextlink_escapes": "none"}') ->> 'mls' AS configured;
SELECT * FROM pg_temp.sync('badesc');
SELECT * FROM mls_test.diff('conv', 'badesc', 'badesc');

-- 4c. Servers that echo the decoded request write their nextLinks' queries
-- decoded: spaces, quotes, signs and non-ASCII characters as themselves
-- (an IRI, which no URL parser takes as it is).  mlsync percent-encodes
-- what a URI cannot hold, and the plus and lone percent sign of such a
-- decoded query (which the server would read back as a space and an
-- escape), and the run converges: every page asked for carries the
-- connection's filter as it was, its plus, its percent sign and a
-- character past U+FFFF included, whether the JSON writes the link
-- plainly or as escapes (a surrogate pair for that character).
SELECT mls_test.reset('{"mls": "nlraw", "listings": 120, "seed": 48, "page_max": 50,
						"nextlink_raw": true}') ->> 'count' AS listings;
SELECT pg_temp.connect('nlraw', 50, 'nextlink');
SELECT connection, changed FROM mlsync.mls_connect('conv', 'nlraw',
	source_filter => U&'City ne ''A+\+01D49C b 100%''');
SELECT state, raised, errors, pages, with_the_filter FROM pg_temp.sync_links('nlraw', 'none');
SELECT * FROM mls_test.diff('conv', 'nlraw', 'nlraw');
SELECT state, raised, errors, pages, with_the_filter FROM pg_temp.sync_links('nlraw', 'all');
SELECT * FROM mls_test.diff('conv', 'nlraw', 'nlraw');
-- links relative to the request (OData allows them), decoded too: libcurl
-- would send the spaces of their queries as plus signs
SELECT mls_test.control('POST', '/control/configure', '{"mls": "nlraw", "nextlink_form": "relative"}') ->> 'mls' AS configured;
SELECT state, raised, errors, pages, with_the_filter FROM pg_temp.sync_links('nlraw', 'none');
SELECT * FROM mls_test.diff('conv', 'nlraw', 'nlraw');

-- 4d. With paging => 'nextlink', a reconcile's repairs ask for the missing
-- listings by lists of keys, follow each list's nextLinks (the server's pages
-- hold 25 records here, a list 40 keys), then go on with the next keys:
-- every listing missing here (more than one list) comes back.
SELECT mls_test.control('POST', '/control/configure', '{"mls": "badesc", "page_max": 25}') ->> 'mls' AS configured;
SELECT mls_test.clear_requests();
DELETE FROM mlsync.mls_listings
 WHERE tenant_id = 'conv' AND connection = 'badesc'
   AND listing_key IN (SELECT listing_key FROM mlsync.mls_listings
						WHERE tenant_id = 'conv' AND connection = 'badesc' ORDER BY listing_key LIMIT 60);
SELECT state, raised FROM pg_temp.sync('badesc', 'reconcile');
SELECT * FROM mls_test.diff('conv', 'badesc', 'badesc');
SELECT count(*) FILTER (WHERE e ->> 'query' LIKE '%skiptoken%' AND e ->> 'query' LIKE '%ListingKey%20eq%') > 0
	   AS list_links_followed
  FROM mls_test.requests('badesc') e;

-- 5. Single mode asks for Property('key') with the key's quotes as OData
-- writes them; a server that does not decode %27 would answer a generic
-- 404 page, which must never read as "removed".  A key with a quote in it
-- goes doubled; a key the server really no longer has is removed.
SELECT mls_test.reset('{"mls": "one", "listings": 60, "seed": 45, "page_max": 50,
						"entity_key_quotes": "literal", "quoted_key": "O''Brien-1"}') ->> 'count' AS listings;
SELECT pg_temp.connect('one');
SELECT * FROM pg_temp.sync('one');
UPDATE mlsync.mls_listings SET list_price = 1, raw_hash = 0 WHERE connection = 'one' AND listing_key = 'O''Brien-1';
SELECT mls_test.clear_requests();
SELECT * FROM pg_temp.sync('one', 'single', 'O''Brien-1');
SELECT list_price > 1 AS restored, removed_at IS NULL AS live
  FROM mlsync.mls_listings WHERE connection = 'one' AND listing_key = 'O''Brien-1';
SELECT e ->> 'path' AS path, e ->> 'status' AS status FROM mls_test.requests('one') e
 WHERE e ->> 'path' LIKE '%Property(%';
SELECT (mls_test.advance('{"mls": "one", "seed": 3, "deleted": 1}') -> 'changed' -> 'deleted') ->> 0 AS deleted_key \gset
SELECT * FROM pg_temp.sync('one', 'single', :'deleted_key');
SELECT removed_at IS NOT NULL AS removed FROM mlsync.mls_listings WHERE connection = 'one' AND listing_key = :'deleted_key';
SELECT count(*) AS removed_events FROM mlsync.mls_events WHERE connection = 'one' AND kind = 'removed';
-- a server without entity lookups answers every Property('key') with an
-- OData 404, as one asked by a key_field that is not its entity key does:
-- the filter by key finds the listing, which is refreshed, not removed
SELECT mls_test.control('POST', '/control/configure', '{"mls": "one", "entity_lookup": "odata_404"}') ->> 'mls' AS configured;
UPDATE mlsync.mls_listings SET list_price = 1, raw_hash = 0 WHERE connection = 'one' AND listing_key = 'O''Brien-1';
SELECT * FROM pg_temp.sync('one', 'single', 'O''Brien-1');
SELECT list_price > 1 AS restored, removed_at IS NULL AS live
  FROM mlsync.mls_listings WHERE connection = 'one' AND listing_key = 'O''Brien-1';
SELECT mls_test.control('POST', '/control/configure', '{"mls": "one", "entity_lookup": "yes"}') ->> 'mls' AS configured;
SELECT * FROM mls_test.diff('conv', 'one', 'one');

-- 5b. A vendor of several MLSs (MLS Grid) refuses any Property request
-- whose $filter names none of them, entity lookups too: a connection with
-- a source_filter looks a listing up by that filter and its key, and only
-- an empty answer removes it (old code asked Property('key'): every single
-- lookup failed).  Its other runs carry the filter as they did.
SELECT mls_test.reset('{"mls": "grid", "listings": 60, "seed": 71, "page_max": 50,
						"required_filter": "OriginatingSystemName"}') ->> 'count' AS listings;
SELECT t ->> 'OriginatingSystemName' AS system FROM mls_test.truth('grid') t LIMIT 1 \gset
SELECT pg_temp.connect('grid');
SELECT changed FROM mlsync.mls_connect('conv', 'grid',
									   source_filter => format('OriginatingSystemName eq %L', :'system'));
SELECT * FROM pg_temp.sync('grid');
SELECT min(listing_key) AS some_key FROM mlsync.mls_listings WHERE connection = 'grid' \gset
UPDATE mlsync.mls_listings SET list_price = 1, raw_hash = 0 WHERE connection = 'grid' AND listing_key = :'some_key';
SELECT mls_test.clear_requests();
SELECT * FROM pg_temp.sync('grid', 'single', :'some_key');
SELECT list_price > 1 AS restored, removed_at IS NULL AS live
  FROM mlsync.mls_listings WHERE connection = 'grid' AND listing_key = :'some_key';
SELECT e ->> 'status' AS status, e ->> 'query' LIKE '%OriginatingSystemName%' AS filtered
  FROM mls_test.requests('grid') e WHERE e ->> 'path' LIKE '%Property%';
SELECT (mls_test.advance('{"mls": "grid", "seed": 3, "deleted": 1}') -> 'changed' -> 'deleted') ->> 0 AS deleted_key \gset
SELECT * FROM pg_temp.sync('grid', 'single', :'deleted_key');
SELECT removed_at IS NOT NULL AS removed FROM mlsync.mls_listings WHERE connection = 'grid' AND listing_key = :'deleted_key';
SELECT jsonb_array_length(mls_test.advance('{"mls": "grid", "seed": 4, "price_cut": 5, "deleted": 2}')
	-> 'changed' -> 'price_cut') AS changed;
SELECT * FROM pg_temp.sync('grid', 'incremental');
SELECT * FROM pg_temp.sync('grid', 'reconcile');
SELECT * FROM mls_test.diff('conv', 'grid', 'grid');

-- 6. Statuses in both spellings: a server storing enum names
-- (ActiveUnderContract) matches nothing for the display spelling, without
-- an error; mlsync asks for both and gets every such listing.
SELECT mls_test.reset('{"mls": "enm", "listings": 400, "seed": 46, "page_max": 100,
						"lookup_spelling": "enum", "enum_display_literals": "no_match"}') ->> 'count' AS listings;
SELECT pg_temp.connect('enm', 100, NULL, ARRAY['Active Under Contract', 'Coming Soon']);
SELECT * FROM pg_temp.sync('enm');
SELECT (SELECT count(*) FROM mls_test.truth('enm') t
		 WHERE t ->> 'StandardStatus' IN ('ActiveUnderContract', 'ComingSoon')) AS at_the_source,
	   (SELECT count(*) FROM mlsync.mls_listings WHERE connection = 'enm') AS stored,
	   (SELECT count(*) FROM mlsync.mls_listings WHERE connection = 'enm'
		   AND standard_status NOT IN ('Active Under Contract', 'Coming Soon')) AS others;

-- 6b. A full run reads only the connection's statuses, so it leaves the
-- watermark where it was: listings that left those statuses since (closed
-- here, before other listings changed) are read by the next incremental run,
-- which reads every status, and end as the source has them.
SELECT mls_test.reset('{"mls": "fst", "listings": 200, "seed": 50, "page_max": 100}') ->> 'count' AS listings;
SELECT pg_temp.connect('fst', 100, NULL, ARRAY['Active', 'Pending', 'Active Under Contract']);
SELECT state FROM pg_temp.sync('fst');
SELECT jsonb_array_length(c -> 'closed') AS closed
  FROM (SELECT mls_test.advance('{"mls": "fst", "seed": 51, "closed": 5}') -> 'changed' AS c) a \gset
SELECT (mls_test.advance('{"mls": "fst", "seed": 52, "price_cut": 5}') -> 'changed' ->> 'price_cut') IS NOT NULL AS cut;
SELECT state FROM pg_temp.sync('fst');
SELECT state FROM pg_temp.sync('fst', 'incremental');
SELECT count(*) FILTER (WHERE l.standard_status = 'Closed') = :closed AS every_closing_read,
	   count(*) FILTER (WHERE l.standard_status IS DISTINCT FROM t ->> 'StandardStatus') AS differ
  FROM mls_test.truth('fst') t
  JOIN mlsync.mls_listings l ON l.tenant_id = 'conv' AND l.connection = 'fst'
   AND l.listing_key = t ->> 'ListingKey';
-- a reconcile's key sweep asks for those statuses only: it does not take
-- the closed listings it cannot see for removed
SELECT state FROM pg_temp.sync('fst', 'reconcile');
SELECT h.removed, count(*) FILTER (WHERE l.standard_status = 'Closed' AND l.removed_at IS NULL) = :closed AS closed_kept
  FROM mlsync.mls_sync_history h, mlsync.mls_listings l
 WHERE h.tenant_id = 'conv' AND h.connection = 'fst' AND h.mode = 'reconcile'
   AND l.tenant_id = 'conv' AND l.connection = 'fst'
 GROUP BY h.removed;

-- 6c. The first such load has no watermark to keep: it stops its own at
-- the newest record the server had when it began (asked for first, among
-- every status).  Here listings close while it reads, then others are cut
-- in price, which it reads: old code set the watermark past the closings,
-- and an incremental run without overlap read none of them.  The same when
-- the first load is an incremental run (mls_sync's default, and the
-- schedule's); when a record is dated fifty years ahead (the server's clock,
-- its Date header, stands in for it); and when the server cannot say which
-- record is newest: one that takes no $orderby, one that fails the request
-- (503 after every retry, which fails nothing).  Their Date stands in.
CREATE FUNCTION pg_temp.closings_during_a_load(mls text, options jsonb, paging text,
												future_record boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mls_test.reset(jsonb_build_object('mls', mls, 'listings', 200, 'seed', 53,
											  'page_max', 10) || options);
	IF future_record THEN
		PERFORM mls_test.advance(jsonb_build_object('mls', mls, 'seed', 56, 'price_cut', 1,
													'late_minutes', -50 * 525600));
	END IF;
	PERFORM pg_temp.connect(mls, 10, paging, ARRAY['Active', 'Pending', 'Active Under Contract']);
	PERFORM mlsync.mls_connect('conv', mls, incremental_overlap => '0');
	PERFORM mls_test.fault(jsonb_build_object('mls', mls, 'path', '/reso/odata/Property', 'fault', 'advance',
		'after', 4, 'count', 1, 'advance', '{"seed": 54, "closed": 6}'::jsonb));
	PERFORM mls_test.fault(jsonb_build_object('mls', mls, 'path', '/reso/odata/Property', 'fault', 'advance',
		'after', 5, 'count', 1, 'advance', '{"seed": 55, "price_cut": 6}'::jsonb));
	PERFORM mls_test.clear_requests();
END
$$;
-- after that load: whether it asked for the newest record, and the closings
-- an incremental run then read
CREATE FUNCTION pg_temp.closings_read(mls text, OUT newest_asked bigint, OUT closings_read bigint,
									  OUT differ bigint)
LANGUAGE plpgsql AS $$
DECLARE
	closed jsonb;
BEGIN
	PERFORM mls_test.clear_faults(mls);
	SELECT count(*) FILTER (WHERE e ->> 'query' LIKE '%top=1&%' AND e ->> 'query' NOT LIKE '%StandardStatus%'),
		   jsonb_agg(e -> 'advanced' -> 'changed' -> 'closed') FILTER (WHERE e -> 'advanced' -> 'changed' ? 'closed') -> 0
	  INTO newest_asked, closed
	  FROM mls_test.requests(mls) e WHERE e ->> 'path' LIKE '%/Property';
	PERFORM mlsync.mls_sync('conv', mls, mode => 'incremental', wait => true);
	SELECT count(*) FILTER (WHERE l.standard_status = 'Closed') INTO closings_read
	  FROM jsonb_array_elements_text(closed) k
	  LEFT JOIN mlsync.mls_listings l ON l.tenant_id = 'conv' AND l.connection = mls AND l.listing_key = k;
	SELECT count(*) INTO differ
	  FROM mls_test.truth(mls) t
	  JOIN mlsync.mls_listings l ON l.tenant_id = 'conv' AND l.connection = mls
	   AND l.listing_key = t ->> 'ListingKey'
	 WHERE l.standard_status IS DISTINCT FROM t ->> 'StandardStatus';
END
$$;
SELECT pg_temp.closings_during_a_load('fst2', '{}', NULL);
SELECT * FROM pg_temp.sync('fst2');
SELECT * FROM pg_temp.closings_read('fst2');
SELECT pg_temp.closings_during_a_load('fst4', '{}', NULL);
SELECT * FROM pg_temp.sync('fst4', 'incremental');
SELECT * FROM pg_temp.closings_read('fst4');
SELECT pg_temp.closings_during_a_load('fst5', '{}', NULL, future_record => true);
SELECT * FROM pg_temp.sync('fst5');
SELECT * FROM pg_temp.closings_read('fst5');
SELECT pg_temp.closings_during_a_load('fst7', '{}', NULL);
SELECT mls_test.fault('{"mls": "fst7", "path": "/reso/odata/Property", "fault": "http_503",
						"count": 3}') ->> 'fault' AS fault;
SELECT * FROM pg_temp.sync('fst7');
SELECT * FROM pg_temp.closings_read('fst7');
SELECT pg_temp.closings_during_a_load('fst3', '{"orderby_param": "reject"}', 'nextlink');
SELECT * FROM pg_temp.sync('fst3');
SELECT * FROM pg_temp.closings_read('fst3');
SELECT message FROM mlsync.mls_sync_errors
 WHERE connection = 'fst3' AND message LIKE 'the server gave no newest record%';

-- 6d. A reconcile's sweep of those statuses cannot tell a listing deleted
-- at the source from one that left them while no incremental run saw it
-- (here sold, stamped ten hours late, no overlap): the listings of those
-- statuses it did not see are looked up by key, in every status, before
-- anything is removed.  The sold ones end Closed, the deleted ones removed
-- (old code removed the sold ones too, as deleted).
SELECT mls_test.reset('{"mls": "fst6", "listings": 200, "seed": 57, "page_max": 100}') ->> 'count' AS listings;
SELECT pg_temp.connect('fst6', 100, NULL, ARRAY['Active', 'Pending', 'Active Under Contract']);
SELECT changed FROM mlsync.mls_connect('conv', 'fst6', incremental_overlap => '0');
SELECT state FROM pg_temp.sync('fst6');
SELECT mls_test.advance('{"mls": "fst6", "seed": 58, "closed": 3, "deleted": 4, "late_minutes": 600}')
	-> 'changed' AS changed \gset
CREATE FUNCTION pg_temp.sold_and_deleted(changed jsonb)
RETURNS TABLE (kind text, stored bigint, closed bigint, removed bigint)
LANGUAGE sql AS $$
	SELECT k.kind, count(l.listing_key),
		   count(*) FILTER (WHERE l.standard_status = 'Closed' AND l.removed_at IS NULL),
		   count(*) FILTER (WHERE l.removed_at IS NOT NULL)
	  FROM (SELECT 'sold' AS kind, jsonb_array_elements_text(changed -> 'closed') AS key
			UNION ALL
			SELECT 'deleted', jsonb_array_elements_text(changed -> 'deleted')) k
	  LEFT JOIN mlsync.mls_listings l ON l.tenant_id = 'conv' AND l.connection = 'fst6'
	   AND l.listing_key = k.key
	 GROUP BY k.kind ORDER BY 1
$$;
SELECT mls_test.clear_requests();
SELECT state FROM pg_temp.sync('fst6', 'incremental');
SELECT * FROM pg_temp.sold_and_deleted(:'changed');
SELECT * FROM pg_temp.sync('fst6', 'reconcile');
SELECT * FROM pg_temp.sold_and_deleted(:'changed');
-- (runs after the first load ask for no newest record)
SELECT count(*) AS newest_asked FROM mls_test.requests('fst6') e WHERE e ->> 'query' LIKE '%top=1&%';
SELECT removed, fetched_missing, refetched_stale FROM mlsync.mls_sync_history
 WHERE connection = 'fst6' ORDER BY run_id DESC LIMIT 1;
-- an answer to that lookup that comes back empty for a moment (a search
-- backend that timed out) takes nothing for removed: the keys it did not
-- give are asked for once more (old code removed the 2 sold listings)
SELECT mls_test.advance('{"mls": "fst6", "seed": 59, "closed": 2, "late_minutes": 600}')
	-> 'changed' AS changed \gset
SELECT state FROM pg_temp.sync('fst6', 'incremental');
SELECT mls_test.fault('{"mls": "fst6", "path": "ListingKey eq", "fault": "empty_page",
	"count": 1}') ->> 'fault' AS fault;
SELECT * FROM pg_temp.sync('fst6', 'reconcile');
SELECT * FROM pg_temp.sold_and_deleted(:'changed');
SELECT (r ->> 'fired')::int AS empty_pages
  FROM jsonb_array_elements(mls_test.control('GET', '/control/faults') -> 'rules') r
 WHERE r ->> 'mls' = 'fst6' AND r ->> 'fault' = 'empty_page';
SELECT mls_test.clear_faults('fst6') IS NOT NULL AS cleared;

-- 6e. A listing the lookup cannot read (its record nested too deep: no key
-- to count as seen) is not taken for deleted: that reconcile removes
-- nothing, and says why (the first version removed it as deleted, or failed
-- every reconcile when such a record came last in its chunk of keys).
SELECT mls_test.reset('{"mls": "fst8", "listings": 200, "seed": 48, "page_max": 50,
						"deep_record": 200000}') -> 'special_keys' ->> 'deep_record' AS deep_key \gset
SELECT pg_temp.connect('fst8', 50, NULL, ARRAY['Hold', 'Incomplete']);
SELECT state FROM pg_temp.sync('fst8');
-- stored Incomplete (as if read so before it left that status), copied from a Hold listing
INSERT INTO mlsync.mls_listings
SELECT (jsonb_populate_record(NULL::mlsync.mls_listings,
		to_jsonb(l) || jsonb_build_object('listing_key', :'deep_key', 'standard_status', 'Incomplete'))).*
  FROM mlsync.mls_listings l WHERE connection = 'fst8' ORDER BY listing_key LIMIT 1;
SELECT * FROM pg_temp.sync('fst8', 'reconcile');
SELECT standard_status, removed_at IS NULL AS kept
  FROM mlsync.mls_listings WHERE connection = 'fst8' AND listing_key = :'deep_key';
SELECT category, retry_state, message FROM mlsync.mls_sync_errors
 WHERE connection = 'fst8' AND message LIKE '%nothing was removed';

-- 7. Non-ASCII escaped as \u00e9 and emoji as surrogate pairs, accented
-- letters and emoji in the text: nothing is reported as repaired, nothing
-- differs from the truth.
SELECT mls_test.reset('{"mls": "esc", "listings": 300, "seed": 47, "page_max": 100,
						"escape_non_ascii": true, "emoji_fraction": 0.3}') ->> 'count' AS listings;
SELECT pg_temp.connect('esc', 100);
SELECT * FROM pg_temp.sync('esc');
SELECT * FROM mls_test.diff('conv', 'esc', 'esc');
SELECT count(*) FILTER (WHERE public_remarks ~ '[^\x01-\x7e]') > 0 AS has_non_ascii,
	   count(*) FILTER (WHERE public_remarks ~ '[\U0001F300-\U0001FAFF]') > 0 AS has_emoji
  FROM mlsync.mls_listings WHERE connection = 'esc';
SELECT errors_24h FROM mlsync.mls_status WHERE connection = 'esc';

-- 8. A record nested 200,000 levels deep is malformed: skipped and logged
-- as data, the rest of its page and of the run kept.
SELECT mls_test.reset('{"mls": "deep", "listings": 120, "seed": 48, "page_max": 50,
						"deep_record": 200000}') -> 'special_keys' ->> 'deep_record' AS deep_key \gset
SELECT pg_temp.connect('deep');
SET mlsync.max_record_bytes = '2MB';
SELECT * FROM pg_temp.sync('deep');
RESET mlsync.max_record_bytes;
SELECT category, retry_state, message FROM mlsync.mls_sync_errors WHERE connection = 'deep';
SELECT (SELECT count(*) FROM mlsync.mls_listings WHERE connection = 'deep') AS stored,
	   (mls_test.control('GET', '/control/truth?mls=deep&format=summary') ->> 'count')::int - 1 AS all_but_one,
	   (SELECT count(*) FROM mlsync.mls_listings WHERE connection = 'deep' AND listing_key = :'deep_key') AS the_deep_one;

-- 8b. Numbers JSON has no spelling for, bare NaN and -Infinity (as Python's
-- json module writes a float without a value), in three records: each is
-- stored with null there and noted as repaired, and nothing differs from
-- the truth (which holds null).  Before, the three records were skipped as
-- malformed, at every run.
SELECT mls_test.reset('{"mls": "nan", "listings": 60, "seed": 49, "non_finite": 3}') ->> 'count' AS listings;
SELECT pg_temp.connect('nan');
SELECT * FROM pg_temp.sync('nan');
SELECT * FROM mls_test.diff('conv', 'nan', 'nan');
SELECT count(*) FILTER (WHERE raw -> 'Latitude' = 'null' AND raw -> 'Longitude' = 'null') AS nulled,
	   count(*) FILTER (WHERE latitude IS NOT NULL AND longitude IS NOT NULL) AS located
  FROM mlsync.mls_listings WHERE connection = 'nan';
SELECT category, retry_state, count(*), min(message) AS message
  FROM mlsync.mls_sync_errors WHERE connection = 'nan' GROUP BY 1, 2;

-- 9. Reconcile repairs both ways: after losses of every kind (a listing
-- deleted here, one marked removed by mistake, one made stale, one the
-- source deleted), one reconcile restores exact equality and says what it did.
SELECT pg_temp.connect('off', 250);
DELETE FROM mlsync.mls_listings WHERE connection = 'off' AND listing_key IN
	(SELECT listing_key FROM mlsync.mls_listings WHERE connection = 'off' ORDER BY listing_key LIMIT 3);
UPDATE mlsync.mls_listings SET removed_at = now(), standard_status = 'Delete'
 WHERE connection = 'off' AND listing_key = (SELECT max(listing_key) FROM mlsync.mls_listings WHERE connection = 'off');
-- (stale: stored as an older version of the record, which a missed update leaves)
UPDATE mlsync.mls_listings SET modification_timestamp = modification_timestamp - interval '1 day', list_price = 1,
	   raw_hash = 0
 WHERE connection = 'off' AND listing_key IN
	(SELECT listing_key FROM mlsync.mls_listings WHERE connection = 'off' AND removed_at IS NULL
	  ORDER BY listing_key DESC OFFSET 1 LIMIT 2);
SELECT jsonb_array_length(mls_test.advance('{"mls": "off", "seed": 8, "deleted": 2}') -> 'changed' -> 'deleted') AS deleted_at_source;
SELECT * FROM pg_temp.sync('off', 'reconcile');
SELECT fetched_missing, refetched_stale, removed FROM mlsync.mls_sync_history
 WHERE connection = 'off' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.diff('conv', 'off', 'off');
SELECT count(*) AS wrong_prices FROM mlsync.mls_listings WHERE connection = 'off' AND list_price = 1;

-- ... and over RETS, whose key sweep is a Search of keys and timestamps and
-- whose repairs are Searches of key lists; the server writes its
-- timestamps in Chicago time, which the suggested mapping set takes from
-- its METADATA-SYSTEM, and a mapping set that contradicts it is pointed out
SELECT mls_test.reset('{"mls": "rtz", "listings": 150, "seed": 49, "rets": {"timezone": "America/Chicago",
						"maxrows": 40}}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('conv', 'rtz', protocol => 'rets', endpoint => mls_test.rets_login('rtz'),
										  username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('conv', 'rtz', password => 'rets-pass');
SELECT state FROM pg_temp.sync('rtz', 'metadata');
SELECT mlsync.mls_rets_create_mapping_set('conv', 'rtz', 'rtz-local') > 0 AS created;
SELECT source_timezone FROM mlsync.mls_mapping_sets WHERE mapping_set = 'rtz-local';
SELECT timezone_warning FROM mlsync.mls_status WHERE connection = 'rtz';
SELECT * FROM pg_temp.sync('rtz');
SELECT * FROM mls_test.mapped_diff('conv', 'rtz', 'rtz');
DELETE FROM mlsync.mls_listings WHERE connection = 'rtz' AND listing_key IN
	(SELECT listing_key FROM mlsync.mls_listings WHERE connection = 'rtz' ORDER BY listing_key LIMIT 2);
UPDATE mlsync.mls_listings SET modification_timestamp = modification_timestamp - interval '1 hour', list_price = 1,
	   raw_hash = 0
 WHERE connection = 'rtz' AND listing_key = (SELECT max(listing_key) FROM mlsync.mls_listings WHERE connection = 'rtz');
SELECT * FROM pg_temp.sync('rtz', 'reconcile');
SELECT fetched_missing, refetched_stale, removed FROM mlsync.mls_sync_history
 WHERE connection = 'rtz' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.mapped_diff('conv', 'rtz', 'rtz');
UPDATE mlsync.mls_mapping_sets SET source_timezone = 'UTC' WHERE mapping_set = 'rtz-local';
-- (Chicago's offset depends on the season: the test masks it)
SELECT regexp_replace(timezone_warning, 'is -0[56]:00 ', 'is <Chicago''s offset> ') AS timezone_warning
  FROM mlsync.mls_status WHERE connection = 'rtz';

-- 9b. RETS from a server that stores microseconds it does not write and
-- answers in key order, capped at 40 rows: a window closed at T - 1 ms
-- leaves out what it stores between T - 1 ms and T, and an open one from T
-- too.  A burst of 120 changes within a few milliseconds is read whole, and
-- the reconcile after it removes nothing.
SELECT mls_test.reset('{"mls": "rus", "listings": 300, "seed": 53, "timestamp_storage": "microseconds",
						"rets": {"maxrows": 40, "sort": "key"}}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('conv', 'rus', protocol => 'rets', endpoint => mls_test.rets_login('rus'),
										  username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('conv', 'rus', password => 'rets-pass');
SELECT state FROM pg_temp.sync('rus', 'metadata');
SELECT mlsync.mls_rets_create_mapping_set('conv', 'rus', 'rus-map') > 0 AS created;
SELECT state, raised FROM pg_temp.sync('rus');
SELECT * FROM mls_test.mapped_diff('conv', 'rus', 'rus');
SELECT jsonb_array_length(mls_test.advance('{"mls": "rus", "seed": 8, "price_cut": 60, "new": 60,
	"minutes": 0.0001}') -> 'changed' -> 'new') AS new;
SELECT state, raised FROM pg_temp.sync('rus', 'incremental');
SELECT * FROM mls_test.mapped_diff('conv', 'rus', 'rus');
SELECT state, raised FROM pg_temp.sync('rus', 'reconcile');
SELECT removed FROM mlsync.mls_sync_history WHERE connection = 'rus' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.mapped_diff('conv', 'rus', 'rus');

-- 9b2. The same server as it ships (exact milliseconds, rows in time order):
-- a burst of 60 changes at one millisecond, more than the cap, then 5 more
-- a millisecond later.  Read as one window of the two milliseconds paged by
-- key, the later rows come after the burst whatever their keys; each
-- millisecond is then read alone, and the run converges.
SELECT mls_test.reset('{"mls": "rex", "listings": 300, "seed": 55, "rets": {"maxrows": 40}}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('conv', 'rex', protocol => 'rets', endpoint => mls_test.rets_login('rex'),
										  username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('conv', 'rex', password => 'rets-pass');
SELECT state FROM pg_temp.sync('rex', 'metadata');
SELECT mlsync.mls_rets_create_mapping_set('conv', 'rex', 'rex-map') > 0 AS created;
SELECT state, raised FROM pg_temp.sync('rex');
SELECT jsonb_array_length(mls_test.advance('{"mls": "rex", "seed": 12, "price_cut": 60,
	"same_timestamp": true, "minutes": 0.0001}') -> 'changed' -> 'price_cut') AS burst;
SELECT jsonb_array_length(mls_test.advance('{"mls": "rex", "seed": 13, "price_raise": 5,
	"minutes": 0.0000167}') -> 'changed' -> 'price_raise') AS a_millisecond_later;
SELECT state, raised FROM pg_temp.sync('rex', 'incremental');
SELECT * FROM mls_test.mapped_diff('conv', 'rex', 'rex');

-- 9b3. A RETS server in key order, capped at 40 rows, with 41 listings: its
-- first answer leaves out one listing older than the latest row it holds.
-- Between that answer and the count of the window before that row, another
-- listing of the window changes (and so leaves it): the count equals the
-- rows held although one was left out.  Only an answer in time order is
-- trusted to hold every row before its latest; this window is read again,
-- and the listing left out arrives.
SELECT mls_test.reset('{"mls": "rk", "listings": 41, "seed": 1, "rets": {"maxrows": 40, "sort": "key"}}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('conv', 'rk', protocol => 'rets', endpoint => mls_test.rets_login('rk'),
										  username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('conv', 'rk', password => 'rets-pass');
SELECT state FROM pg_temp.sync('rk', 'metadata');
SELECT mlsync.mls_rets_create_mapping_set('conv', 'rk', 'rk-map') > 0 AS created;
SELECT mls_test.fault('{"mls": "rk", "path": "Count=2", "fault": "advance", "count": 1,
						"advance": {"seed": 1, "price_cut": 1}}') ->> 'fault' AS fault;
SELECT state, raised FROM pg_temp.sync('rk');
SELECT (r ->> 'fired')::int AS changed_before_the_count
  FROM jsonb_array_elements(mls_test.control('GET', '/control/faults') -> 'rules') r
 WHERE r ->> 'mls' = 'rk' AND r ->> 'fault' = 'advance';
SELECT * FROM mls_test.mapped_diff('conv', 'rk', 'rk');

-- 9b4. A RETS server that caps its answers at 40 rows without saying so
-- (ReplyCode 0, no MAXROWS; only its COUNT shows it): the short answer is
-- read again, then taken for the cap, and the windows split as for a cap
-- the server names (old code took the first 40 rows for all there was).
SELECT mls_test.reset('{"mls": "rsil", "listings": 150, "seed": 66, "rets": {"maxrows": 40,
						"maxrows_marker": "never"}}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('conv', 'rsil', protocol => 'rets', endpoint => mls_test.rets_login('rsil'),
										  username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('conv', 'rsil', password => 'rets-pass');
SELECT state FROM pg_temp.sync('rsil', 'metadata');
SELECT mlsync.mls_rets_create_mapping_set('conv', 'rsil', 'rsil-map') > 0 AS created;
SELECT * FROM pg_temp.sync('rsil');
SELECT * FROM mls_test.mapped_diff('conv', 'rsil', 'rsil');
SELECT category, retry_state, regexp_replace(message, '[0-9]{4}-[0-9:T.-]+', 'T', 'g') AS message
  FROM mlsync.mls_sync_errors WHERE connection = 'rsil' ORDER BY error_id;
SELECT jsonb_array_length(mls_test.advance('{"mls": "rsil", "seed": 67, "price_cut": 50}') -> 'changed' -> 'price_cut') AS changed;
SELECT * FROM pg_temp.sync('rsil', 'incremental');
SELECT * FROM mls_test.mapped_diff('conv', 'rsil', 'rsil');
-- ... and that hides two listings from this user, which its COUNT still
-- counts (the other cause of short answers): 50 listings change at one
-- instant, the two among them; the cluster, larger than the cap, is paged
-- by key, and its keys falling short of its count are taken as read, noted
-- (a first version of this change failed every such run); only the two
-- hidden listings keep their old values
SELECT mls_test.advance('{"mls": "rsil", "seed": 70, "price_cut": 50, "same_timestamp": true}') -> 'changed' -> 'price_cut' AS cut \gset
SELECT mls_test.control('POST', '/control/configure', jsonb_build_object('mls', 'rsil', 'rets',
	jsonb_build_object('hidden_keys', (SELECT jsonb_agg(k ORDER BY k) FROM (
		SELECT k FROM jsonb_array_elements_text(:'cut'::jsonb) k ORDER BY k LIMIT 2) s)))) ->> 'mls' AS configured;
SELECT state, raised FROM pg_temp.sync('rsil', 'incremental');
SELECT missing, extra, different FROM mls_test.mapped_diff('conv', 'rsil', 'rsil');
SELECT retry_state, regexp_replace(message, '[0-9]{4}-[0-9:T.-]+', 'T', 'g') AS message
  FROM mlsync.mls_sync_errors
 WHERE connection = 'rsil' AND run_id = (SELECT max(run_id) FROM mlsync.mls_sync_history WHERE connection = 'rsil')
 ORDER BY error_id;

-- 9b5. A RETS server that counts rows it hides from this user, whose
-- newest listings are hidden: the incremental window after the watermark
-- holds only such rows, and its answer counts them and sends none.  Read
-- again, then split until it cannot be (a passing fault would not follow
-- the halves), then taken as it came, noted (old code failed every such
-- run, the watermark stuck until a visible listing changed).  The next
-- visible change is read; only the hidden listing keeps its old values.
SELECT mls_test.reset('{"mls": "rhid", "listings": 60, "seed": 71}') ->> 'count' AS listings;
SELECT connection FROM mlsync.mls_connect('conv', 'rhid', protocol => 'rets', endpoint => mls_test.rets_login('rhid'),
										  username => 'mlsync', rets_class => 'ALL');
SELECT mlsync.mls_set_credentials('conv', 'rhid', password => 'rets-pass');
SELECT state FROM pg_temp.sync('rhid', 'metadata');
SELECT mlsync.mls_rets_create_mapping_set('conv', 'rhid', 'rhid-map') > 0 AS created;
SELECT state FROM pg_temp.sync('rhid');
SELECT mls_test.advance('{"mls": "rhid", "seed": 72, "price_cut": 1, "minutes": 5}') -> 'changed' -> 'price_cut' AS cut \gset
SELECT mls_test.control('POST', '/control/configure', jsonb_build_object('mls', 'rhid', 'rets',
	jsonb_build_object('hidden_keys', :'cut'::jsonb || (
		SELECT jsonb_agg(listing_key) FROM mlsync.mls_listings
		 WHERE connection = 'rhid' AND modification_timestamp = (
			SELECT max(modification_timestamp) FROM mlsync.mls_listings WHERE connection = 'rhid'))))) ->> 'mls' AS configured;
SET mlsync.incremental_overlap = 0;
SELECT * FROM pg_temp.sync('rhid', 'incremental');
SELECT category, retry_state, count(*) AS notes,
	   min(regexp_replace(message, '[0-9]{4}-[0-9:T.+-]+', 'T', 'g')) AS message
  FROM mlsync.mls_sync_errors
 WHERE connection = 'rhid' AND run_id = (SELECT max(run_id) FROM mlsync.mls_sync_history WHERE connection = 'rhid')
 GROUP BY category, retry_state ORDER BY category, retry_state;
SELECT jsonb_array_length(mls_test.advance('{"mls": "rhid", "seed": 73, "price_cut": 1, "minutes": 5}')
	-> 'changed' -> 'price_cut') AS visible_changes;
SELECT state FROM pg_temp.sync('rhid', 'incremental');
SELECT missing, extra, different FROM mls_test.mapped_diff('conv', 'rhid', 'rhid');
RESET mlsync.incremental_overlap;
-- A reconcile of that server takes the hidden listings' windows as they
-- came; three listings that arrive during its key sweep (before its first
-- count-only Search) make up the count it fell short of, and still nothing
-- is removed: the two hidden listings stay (code before removed them as
-- gone).  The new listings are fetched.
SELECT mls_test.fault('{"mls": "rhid", "path": "Count=2", "fault": "advance", "count": 1,
						"advance": {"seed": 74, "new": 3, "minutes": 5}}') ->> 'fault' AS fault;
SELECT state, regexp_replace(raised, 'run [0-9]+', 'run N') AS raised FROM pg_temp.sync('rhid', 'reconcile');
SELECT (r ->> 'fired')::int AS arrived_during_the_sweep
  FROM jsonb_array_elements(mls_test.control('GET', '/control/faults') -> 'rules') r
 WHERE r ->> 'mls' = 'rhid' AND r ->> 'fault' = 'advance';
SELECT mls_test.clear_faults('rhid') IS NOT NULL AS cleared;
SELECT count(*) FILTER (WHERE removed_at IS NOT NULL) AS removed, count(*) AS listings
  FROM mlsync.mls_listings WHERE connection = 'rhid';
SELECT missing, extra, different FROM mls_test.mapped_diff('conv', 'rhid', 'rhid');

-- 9b6. A reconcile of a server read through its own nextLinks (paging =>
-- 'nextlink'), which page by $skip: listings deleted during the sweep from
-- pages it had read shift live ones out of sight, while new ones keep the
-- count whole.  The listings the sweep did not see are looked up by key
-- before any is removed: only those the server no longer has go (old
-- code removed 3 live listings).  Those deleted from pages the sweep had
-- read, it saw: the next reconcile removes them.
SELECT mls_test.reset('{"mls": "nlrec", "listings": 150, "seed": 64, "page_max": 50,
						"nextlink_paging": "offset"}') ->> 'count' AS listings;
SELECT pg_temp.connect('nlrec', 50, 'nextlink');
SELECT state FROM pg_temp.sync('nlrec');
SELECT mls_test.fault('{"mls": "nlrec", "path": "Property", "fault": "advance", "after": 1, "count": 1,
	"advance": {"seed": 3, "deleted": 6, "new": 6}}') ->> 'fault' AS fault;
SELECT * FROM pg_temp.sync('nlrec', 'reconcile');
SELECT removed, fetched_missing FROM mlsync.mls_sync_history
 WHERE connection = 'nlrec' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.diff('conv', 'nlrec', 'nlrec');
SELECT * FROM pg_temp.sync('nlrec', 'reconcile');
SELECT * FROM mls_test.diff('conv', 'nlrec', 'nlrec');

-- 9c. A source that shows changes late (stamped before what it had already
-- served, as a server whose timestamps are taken before its transactions
-- commit does): an incremental run from the watermark misses them; with
-- mlsync.incremental_overlap it reads back that far, finds them, and writes
-- only what changed.  Ten minutes late: missed with no overlap, found with
-- the default (20 minutes); forty minutes late: missed with the default,
-- found with an hour.  RESO, then RETS.
SELECT mls_test.reset('{"mls": "late", "listings": 150, "seed": 54, "page_max": 50}') ->> 'count' AS listings;
SELECT pg_temp.connect('late');
SELECT state FROM pg_temp.sync('late');
SELECT jsonb_array_length(mls_test.advance('{"mls": "late", "seed": 9, "price_cut": 3, "minutes": 5}')
	-> 'changed' -> 'price_cut') AS on_time;
SELECT state FROM pg_temp.sync('late', 'incremental');
SELECT jsonb_array_length(mls_test.advance('{"mls": "late", "seed": 12, "price_cut": 2, "minutes": 5,
	"late_minutes": 10}') -> 'changed' -> 'price_cut') AS late;
SET mlsync.incremental_overlap = 0;
SELECT state FROM pg_temp.sync('late', 'incremental');
SELECT different AS missed_without_overlap FROM mls_test.diff('conv', 'late', 'late');
RESET mlsync.incremental_overlap;
SELECT state FROM pg_temp.sync('late', 'incremental');
SELECT updated, unchanged > 0 AS read_again FROM mlsync.mls_sync_history
 WHERE connection = 'late' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.diff('conv', 'late', 'late');
SELECT jsonb_array_length(mls_test.advance('{"mls": "late", "seed": 10, "price_cut": 4, "minutes": 5,
	"late_minutes": 40}') -> 'changed' -> 'price_cut') AS late;
SELECT state FROM pg_temp.sync('late', 'incremental');
SELECT * FROM mls_test.diff('conv', 'late', 'late');
SET mlsync.incremental_overlap = '1h';
SELECT state FROM pg_temp.sync('late', 'incremental');
SELECT updated, unchanged > 0 AS read_again FROM mlsync.mls_sync_history
 WHERE connection = 'late' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.diff('conv', 'late', 'late');
RESET mlsync.incremental_overlap;
SELECT jsonb_array_length(mls_test.advance('{"mls": "rus", "seed": 13, "price_cut": 2, "minutes": 5,
	"late_minutes": 10}') -> 'changed' -> 'price_cut') AS late;
SET mlsync.incremental_overlap = 0;
SELECT state FROM pg_temp.sync('rus', 'incremental');
SELECT different AS missed_without_overlap FROM mls_test.mapped_diff('conv', 'rus', 'rus');
RESET mlsync.incremental_overlap;
SELECT state FROM pg_temp.sync('rus', 'incremental');
SELECT updated FROM mlsync.mls_sync_history WHERE connection = 'rus' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.mapped_diff('conv', 'rus', 'rus');
SELECT jsonb_array_length(mls_test.advance('{"mls": "rus", "seed": 11, "price_cut": 4, "minutes": 5,
	"late_minutes": 40}') -> 'changed' -> 'price_cut') AS late;
SELECT state FROM pg_temp.sync('rus', 'incremental');
SELECT different FROM mls_test.mapped_diff('conv', 'rus', 'rus');
-- the connection's own overlap: the setting (here 0) does not override it
SELECT changed FROM mlsync.mls_connect('conv', 'rus', incremental_overlap => '1 hour');
SET mlsync.incremental_overlap = 0;
SELECT state FROM pg_temp.sync('rus', 'incremental');
SELECT updated FROM mlsync.mls_sync_history WHERE connection = 'rus' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.mapped_diff('conv', 'rus', 'rus');
RESET mlsync.incremental_overlap;
SELECT changed FROM mlsync.mls_connect_reset('conv', 'rus', 'incremental_overlap');

-- 9d. A record dated fifty years ahead (a wrong clock, a time zone written
-- as UTC): the watermark stays before it, so the changes stamped afterwards
-- with the real time are read (they would be missed from a watermark fifty
-- years ahead); every run reads the record again and notes it once.  RESO,
-- then RETS.
SELECT mls_test.reset('{"mls": "fut", "listings": 150, "seed": 58, "page_max": 50}') ->> 'count' AS listings;
SELECT pg_temp.connect('fut');
SELECT state FROM pg_temp.sync('fut');
-- a price cut stamped fifty years ahead; then price raises stamped an hour
-- after the sample server's first clock (before today)
CREATE FUNCTION pg_temp.jump_ahead(mls text) RETURNS int
LANGUAGE sql AS $$
	SELECT jsonb_array_length(mls_test.advance(jsonb_build_object('mls', mls, 'seed', 21,
			   'price_cut', 1, 'minutes', 50 * 525600)) -> 'changed' -> 'price_cut')
$$;
CREATE FUNCTION pg_temp.come_back(mls text) RETURNS int
LANGUAGE sql AS $$
	SELECT jsonb_array_length(mls_test.advance(jsonb_build_object('mls', mls, 'seed', 22,
			   'price_raise', 3, 'minutes', 1, 'late_minutes', 50 * 525600 - 60)) -> 'changed' -> 'price_raise')
$$;
SELECT pg_temp.jump_ahead('fut') AS ahead;
SELECT state FROM pg_temp.sync('fut', 'incremental');
SELECT watermark_ts < now() AS watermark_not_in_the_future FROM mlsync.mls_sync_status WHERE connection = 'fut';
SELECT pg_temp.come_back('fut') AS back;
SELECT state FROM pg_temp.sync('fut', 'incremental');
SELECT * FROM mls_test.diff('conv', 'fut', 'fut');
SELECT category, retry_state, count(*) AS runs
  FROM mlsync.mls_sync_errors WHERE connection = 'fut' AND message ~ 'in the future: the watermark stays before it'
 GROUP BY 1, 2;
SELECT pg_temp.jump_ahead('rex') AS ahead;
SELECT state FROM pg_temp.sync('rex', 'incremental');
SELECT watermark_ts < now() AS watermark_not_in_the_future FROM mlsync.mls_sync_status WHERE connection = 'rex';
SELECT pg_temp.come_back('rex') AS back;
SELECT state FROM pg_temp.sync('rex', 'incremental');
SELECT * FROM mls_test.mapped_diff('conv', 'rex', 'rex');

-- 9e. A reconcile's key sweep ends at an empty page, and removes what it
-- did not see.  A server that does not count ($count ignored) answers one
-- page of the sweep empty, for a moment: the page is asked for again, the
-- sweep goes on, and no listing is removed.
SELECT mls_test.reset('{"mls": "emp", "listings": 150, "seed": 59, "page_max": 50,
						"count_support": false}') ->> 'count' AS listings;
SELECT pg_temp.connect('emp');
SELECT state FROM pg_temp.sync('emp');
SELECT mls_test.fault('{"mls": "emp", "path": "ListingKey gt", "fault": "empty_page", "count": 1}') ->> 'fault' AS fault;
SELECT state FROM pg_temp.sync('emp', 'reconcile');
SELECT removed, fetched_missing FROM mlsync.mls_sync_history WHERE connection = 'emp' ORDER BY run_id DESC LIMIT 1;
SELECT (r ->> 'fired')::int AS empty_pages
  FROM jsonb_array_elements(mls_test.control('GET', '/control/faults') -> 'rules') r
 WHERE r ->> 'mls' = 'emp' AND r ->> 'fault' = 'empty_page';
SELECT * FROM mls_test.diff('conv', 'emp', 'emp');

-- 9e2. A server without $count that refuses it (HTTP 400 NotSupported)
-- rather than ignore it: the first page is asked for again without it, the
-- run says so once, and a full load, a reconcile (which confirms the end of
-- its key sweep without a count) and an incremental run converge.
SELECT mls_test.reset('{"mls": "noc", "listings": 120, "seed": 61, "page_max": 50,
						"count_param": "reject"}') ->> 'count' AS listings;
SELECT pg_temp.connect('noc');
SELECT * FROM pg_temp.sync('noc');
SELECT * FROM mls_test.diff('conv', 'noc', 'noc');
SELECT message FROM mlsync.mls_sync_errors WHERE connection = 'noc';
SELECT total_expected IS NULL AS uncounted FROM mlsync.mls_sync_history
 WHERE connection = 'noc' ORDER BY run_id DESC LIMIT 1;
DELETE FROM mlsync.mls_listings WHERE connection = 'noc' AND listing_key IN (
	SELECT listing_key FROM mlsync.mls_listings WHERE connection = 'noc' ORDER BY 1 LIMIT 3);
SELECT * FROM pg_temp.sync('noc', 'reconcile');
SELECT fetched_missing FROM mlsync.mls_sync_history WHERE connection = 'noc' ORDER BY run_id DESC LIMIT 1;
SELECT jsonb_array_length(mls_test.advance('{"mls": "noc", "seed": 32, "price_cut": 20}') -> 'changed' -> 'price_cut') AS changed;
SELECT * FROM pg_temp.sync('noc', 'incremental');
SELECT * FROM mls_test.diff('conv', 'noc', 'noc');
-- Only the first page's refusal is taken for one of $count: a 400 on a
-- later page of a run that follows nextLinks (an expired $skiptoken) fails
-- the run, naming it, and its next link is not replaced by a query of
-- mlsync's own.
SELECT mls_test.reset('{"mls": "nl4", "listings": 120, "seed": 62, "page_max": 50}') ->> 'count' AS listings;
SELECT pg_temp.connect('nl4', 50, 'nextlink');
SELECT mls_test.fault('{"mls": "nl4", "path": "skiptoken", "fault": "http_400", "count": 1}') ->> 'fault' AS fault;
SELECT state, raised FROM pg_temp.sync('nl4');
SELECT count(*) FILTER (WHERE message LIKE '%$count%') AS count_notes
  FROM mlsync.mls_sync_errors WHERE connection = 'nl4';

-- 9e3. A server that refuses a $top above its maximum (HTTP 400, in ASP.NET
-- OData's words: "The limit of '30' for Top query has been exceeded")
-- rather than serve it: each reading (a run; a reconcile's key sweep, then
-- its lists of keys) asks again with the limit the message names and says
-- so once, and a full load, a reconcile and an incremental run converge
-- with a connection's page_size of 1000 (old code failed every run).
SELECT mls_test.reset('{"mls": "top", "listings": 120, "seed": 63, "page_max": 50,
						"max_top": 30}') ->> 'count' AS listings;
SELECT pg_temp.connect('top', 1000);
SELECT * FROM pg_temp.sync('top');
SELECT * FROM mls_test.diff('conv', 'top', 'top');
SELECT category, retry_state, message FROM mlsync.mls_sync_errors WHERE connection = 'top';
SELECT requests FROM mlsync.mls_sync_history WHERE connection = 'top' ORDER BY run_id DESC LIMIT 1;
DELETE FROM mlsync.mls_listings WHERE connection = 'top' AND listing_key IN (
	SELECT listing_key FROM mlsync.mls_listings WHERE connection = 'top' ORDER BY 1 LIMIT 3);
SELECT * FROM pg_temp.sync('top', 'reconcile');
SELECT fetched_missing FROM mlsync.mls_sync_history WHERE connection = 'top' ORDER BY run_id DESC LIMIT 1;
SELECT jsonb_array_length(mls_test.advance('{"mls": "top", "seed": 33, "price_cut": 20}') -> 'changed' -> 'price_cut') AS changed;
SELECT * FROM pg_temp.sync('top', 'incremental');
SELECT * FROM mls_test.diff('conv', 'top', 'top');
-- a refusal that names no limit halves the page, at most three times in a
-- reading: a limit of 200 is met (1000, 500, 250, 125), one of 100 is not,
-- and that run fails saying what was refused
SELECT mls_test.reset('{"mls": "top2", "listings": 120, "seed": 64, "max_top": 200,
						"max_top_message": "unnumbered"}') ->> 'count' AS listings;
SELECT pg_temp.connect('top2', 1000);
SELECT * FROM pg_temp.sync('top2');
SELECT * FROM mls_test.diff('conv', 'top2', 'top2');
SELECT regexp_replace(message, '\(HTTP.*\)', '(...)') AS message FROM mlsync.mls_sync_errors
 WHERE connection = 'top2' ORDER BY error_id;
SELECT mls_test.control('POST', '/control/configure', '{"mls": "top2", "max_top": 100}') -> 'options' ->> 'max_top' AS max_top;
SELECT * FROM pg_temp.sync('top2');

-- 9e4. A server that limits the size of a $filter (ASP.NET OData's
-- MaxNodeCount, here 80: "The node count limit of '80' has been exceeded")
-- refuses a reconcile's list of 40 keys: the list is asked for in halves
-- until the server takes it, said once per halving, and the 45 listings
-- missing here are fetched (old code failed the reconcile).  A list of 20
-- is taken (79 nodes) and its second page refused (the last key read adds
-- 4): the list starts over with 10.
SELECT mls_test.reset('{"mls": "nodes", "listings": 120, "seed": 65,
						"max_filter_nodes": 80}') ->> 'count' AS listings;
SELECT pg_temp.connect('nodes');
SELECT * FROM pg_temp.sync('nodes');
DELETE FROM mlsync.mls_listings WHERE connection = 'nodes' AND listing_key IN (
	SELECT listing_key FROM mlsync.mls_listings WHERE connection = 'nodes' ORDER BY 1 LIMIT 45);
SELECT * FROM pg_temp.sync('nodes', 'reconcile');
SELECT fetched_missing, removed FROM mlsync.mls_sync_history WHERE connection = 'nodes' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.diff('conv', 'nodes', 'nodes');
SELECT category, retry_state, regexp_replace(message, ': The node count.*\)', ': ...)') AS message
  FROM mlsync.mls_sync_errors WHERE connection = 'nodes' ORDER BY error_id;

-- 9e5. A server that counts a record it never serves (one hidden from this
-- user): its sweep sees fewer keys than counted, so a reconcile removes
-- nothing (the 2 listings deleted at the source stay) and fails; the
-- listings lacking among the keys it saw are still fetched (old code
-- fetched none: every reconcile of such a server failed before its repairs).
SELECT mls_test.reset('{"mls": "cnt", "listings": 60, "seed": 68, "count_extra": 1}') ->> 'count' AS listings;
SELECT pg_temp.connect('cnt');
SELECT * FROM pg_temp.sync('cnt');
DELETE FROM mlsync.mls_listings WHERE connection = 'cnt' AND listing_key IN (
	SELECT listing_key FROM mlsync.mls_listings WHERE connection = 'cnt' ORDER BY 1 LIMIT 3);
SELECT jsonb_array_length(mls_test.advance('{"mls": "cnt", "seed": 69, "deleted": 2}') -> 'changed' -> 'deleted') AS deleted_at_source;
SELECT * FROM pg_temp.sync('cnt', 'reconcile');
SELECT fetched_missing, removed FROM mlsync.mls_sync_history WHERE connection = 'cnt' ORDER BY run_id DESC LIMIT 1;
SELECT missing, extra FROM mls_test.diff('conv', 'cnt', 'cnt');

-- 9f. A server that orders ties on the first $orderby term by something
-- else (here by key, descending): 120 changes stamped at one instant, more
-- than a page, whose keys come out of order.  The records left at that
-- instant are not "the keys after the last one read": the run reads the
-- instant whole, by key, and converges.
SELECT mls_test.reset('{"mls": "tie", "listings": 300, "seed": 60, "page_max": 50,
						"tie_order": "reverse_key"}') ->> 'count' AS listings;
SELECT pg_temp.connect('tie');
SELECT state FROM pg_temp.sync('tie');
SELECT * FROM mls_test.diff('conv', 'tie', 'tie');
SELECT jsonb_array_length(mls_test.advance('{"mls": "tie", "seed": 31, "price_cut": 120,
	"same_timestamp": true}') -> 'changed' -> 'price_cut') AS burst;
SELECT state FROM pg_temp.sync('tie', 'incremental');
SELECT * FROM mls_test.diff('conv', 'tie', 'tie');
SELECT count(*) > 0 AS read_by_key FROM mlsync.mls_sync_errors
 WHERE connection = 'tie' AND message ~ 'came out of ListingKey order';
-- 9f2. The same server with many small groups of records at one instant
-- and pages of 7: a page that ends with the first record of a group shows
-- no order to check, and "ListingKey gt" the last key would skip the rest
-- of the group that sorts before it.  The next page names the few keys of
-- the instant already read instead; a full load and an incremental run
-- converge (old code: 3 listings left with their old price).
SELECT mls_test.reset('{"mls": "tie2", "listings": 300, "seed": 65, "page_max": 7,
						"tie_order": "reverse_key", "same_timestamp_fraction": 0.5}') ->> 'count' AS listings;
SELECT pg_temp.connect('tie2');
SELECT state FROM pg_temp.sync('tie2');
SELECT * FROM mls_test.diff('conv', 'tie2', 'tie2');
SELECT jsonb_array_length(mls_test.advance('{"mls": "tie2", "seed": 34, "price_cut": 60}')
	-> 'changed' -> 'price_cut') AS changed;
SELECT state FROM pg_temp.sync('tie2', 'incremental');
SELECT * FROM mls_test.diff('conv', 'tie2', 'tie2');
-- 9f3. A server that takes no "ne" in a filter: the run says so once and
-- pages by the keys after the last, as before, and converges (on a server
-- that orders ties by key).
SELECT mls_test.reset('{"mls": "tie3", "listings": 300, "seed": 66, "page_max": 7,
						"filter_ne": "reject", "same_timestamp_fraction": 0.5}') ->> 'count' AS listings;
SELECT pg_temp.connect('tie3');
SELECT * FROM pg_temp.sync('tie3');
SELECT * FROM mls_test.diff('conv', 'tie3', 'tie3');
SELECT jsonb_array_length(mls_test.advance('{"mls": "tie3", "seed": 35, "price_cut": 60}')
	-> 'changed' -> 'price_cut') AS changed;
SELECT * FROM pg_temp.sync('tie3', 'incremental');
SELECT * FROM mls_test.diff('conv', 'tie3', 'tie3');

-- 9g. A server that withdraws records by a visibility flag (MLS Grid's
-- MlgCanView) instead of deleting them: a deleted listing stays in its feed,
-- stamped anew, with the flag false.  With visibility_field, a full load
-- asks for visible records only (as MLS Grid asks of initial imports), an
-- incremental run removes a withdrawn listing at once, a dry run counts it
-- without removing it, and a reconcile's sweep, which asks for visible keys
-- only, removes what no incremental run saw withdrawn.  Old code stored
-- every withdrawn record as a live listing, for good.
SELECT mls_test.reset('{"mls": "vis", "listings": 120, "seed": 67,
						"visibility_field": "MlgCanView"}') ->> 'count' AS listings;
SELECT jsonb_array_length(mls_test.advance('{"mls": "vis", "seed": 36, "deleted": 5}')
	-> 'changed' -> 'deleted') AS withdrawn_before_the_load;
SELECT pg_temp.connect('vis');
SELECT action, changed FROM mlsync.mls_connect('conv', 'vis', visibility_field => 'MlgCanView');
SELECT mls_test.clear_requests();
SELECT * FROM pg_temp.sync('vis');
SELECT * FROM mls_test.diff('conv', 'vis', 'vis');
-- (but the first request, for the newest record of all, withdrawn or not: 6c)
SELECT count(*) FILTER (WHERE e ->> 'query' LIKE '%MlgCanView%20eq%20true%') = count(*) - 1 AS pages_visible_only,
	   count(*) FILTER (WHERE e ->> 'query' LIKE '%top=1&%' AND e ->> 'query' NOT LIKE '%MlgCanView%') AS newest_of_all
  FROM mls_test.requests('vis') e WHERE e ->> 'path' LIKE '%/Property';
SELECT jsonb_array_length(mls_test.advance('{"mls": "vis", "seed": 37, "deleted": 4}')
	-> 'changed' -> 'deleted') AS withdrawn;
SELECT * FROM pg_temp.sync('vis', 'dry_run');
SELECT mode, updated, removed FROM mlsync.mls_sync_history WHERE connection = 'vis' ORDER BY run_id DESC LIMIT 1;
SELECT count(*) AS live FROM mlsync.mls_listings WHERE connection = 'vis' AND removed_at IS NULL;
-- a full run, which reads visible records only, leaves the watermark
-- before the withdrawals (changes an hour later move no watermark past them)
SELECT jsonb_array_length(mls_test.advance('{"mls": "vis", "seed": 40, "price_cut": 6, "minutes": 60}')
	-> 'changed' -> 'price_cut') AS changed_an_hour_later;
SELECT * FROM pg_temp.sync('vis', 'full');
SELECT * FROM pg_temp.sync('vis', 'incremental');
SELECT removed FROM mlsync.mls_sync_history WHERE connection = 'vis' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.diff('conv', 'vis', 'vis');
SELECT count(*) AS withdrawn_stored_removed FROM mlsync.mls_listings
 WHERE connection = 'vis' AND removed_at IS NOT NULL AND standard_status = 'Delete'
   AND raw ->> 'MlgCanView' = 'true';
SELECT jsonb_array_length(mls_test.advance('{"mls": "vis", "seed": 38, "deleted": 3}')
	-> 'changed' -> 'deleted') AS withdrawn_unseen;
SELECT * FROM pg_temp.sync('vis', 'reconcile');
SELECT removed FROM mlsync.mls_sync_history WHERE connection = 'vis' ORDER BY run_id DESC LIMIT 1;
SELECT * FROM mls_test.diff('conv', 'vis', 'vis');
-- a $select of the mapped fields asks for the flag too
SELECT changed FROM mlsync.mls_connect('conv', 'vis', select_mapped_only => true);
SELECT mls_test.advance('{"mls": "vis", "seed": 39, "deleted": 2}') -> 'changed' -> 'deleted' AS gone \gset
SELECT * FROM pg_temp.sync('vis', 'incremental');
SELECT count(*) FILTER (WHERE removed_at IS NOT NULL) AS removed, count(*) AS withdrawn
  FROM mlsync.mls_listings
 WHERE connection = 'vis' AND listing_key IN (SELECT jsonb_array_elements_text(:'gone'));
-- the same feed without visibility_field (as before it existed): a full
-- load stores every withdrawn record, and reconciles keep them
SELECT action FROM mlsync.mls_connect('conv', 'vis-plain', protocol => 'reso', endpoint => mls_test.reso_root('vis'),
									  token_url => mls_test.token_url('vis'), username => 'mlsync');
SELECT mlsync.mls_set_credentials('conv', 'vis-plain', client_secret => 's3cret');
SELECT * FROM pg_temp.sync('vis-plain');
SELECT * FROM pg_temp.sync('vis-plain', 'reconcile');
SELECT * FROM mls_test.diff('conv', 'vis-plain', 'vis');
-- a listing withdrawn, then shown again while a run reads (both records in
-- one batch): it ends as the source last showed it, live (before, the
-- batch's removals came after its rows, and it ended removed)
SELECT mls_test.reset('{"mls": "vis2", "listings": 60, "seed": 70, "page_max": 10,
						"visibility_field": "MlgCanView"}') ->> 'count' AS listings;
SELECT pg_temp.connect('vis2', 10);
SELECT changed FROM mlsync.mls_connect('conv', 'vis2', visibility_field => 'MlgCanView',
									   incremental_overlap => '0');
SELECT state FROM pg_temp.sync('vis2');
SELECT mls_test.advance('{"mls": "vis2", "seed": 42, "deleted": 1}') -> 'changed' ->> 'deleted' AS withdrawn;
SELECT mls_test.fault('{"mls": "vis2", "path": "/reso/odata/Property", "fault": "advance", "after": 1,
						"count": 1, "advance": {"seed": 43, "restored": 1, "minutes": 5}}') ->> 'fault' AS fault;
SELECT * FROM pg_temp.sync('vis2', 'incremental');
SELECT mls_test.clear_faults('vis2');
SELECT * FROM mls_test.diff('conv', 'vis2', 'vis2');
SELECT inserted, updated, removed FROM mlsync.mls_sync_history WHERE connection = 'vis2'
 ORDER BY run_id DESC LIMIT 1;
-- the Media resource has no such field: its lists are read without it
SELECT changed FROM mlsync.mls_connect('conv', 'vis', photo_policy => 'metadata');
SELECT * FROM pg_temp.sync('vis', 'full');
SELECT count(DISTINCT listing_key) AS listings_with_media FROM mlsync.mls_media
 WHERE tenant_id = 'conv' AND connection = 'vis';

-- 9h. A replication endpoint that takes no $orderby (HTTP 400) and answers
-- oldest first (Bridge's).  A connection that follows the server's nextLinks
-- reads changes on without it, noted once per reading, each record checked
-- against the one before, across pages, the watermark moving at the end of
-- the reading: full and incremental runs converge (old code failed every
-- run).  Keyset paging cannot trust an order it did not ask for: it fails,
-- saying to follow nextLinks.  A reconcile's key sweep needs the order by
-- key: it fails and removes nothing.  A server in another order (by key),
-- even one record a page, fails the run at the first record out of order,
-- its watermark where it was although batches were committed.
SELECT mls_test.reset('{"mls": "ord", "listings": 150, "seed": 68, "page_max": 40,
						"orderby_param": "reject"}') ->> 'count' AS listings;
SELECT pg_temp.connect('ord', 40);
SELECT state, raised FROM pg_temp.sync('ord');
SELECT count(*) AS stored FROM mlsync.mls_listings WHERE connection = 'ord';
SELECT pg_temp.connect('ord', 40, 'nextlink');
SELECT * FROM pg_temp.sync('ord');
SELECT * FROM mls_test.diff('conv', 'ord', 'ord');
SELECT DISTINCT category, retry_state, regexp_replace(message, '\(HTTP.*\)', '(...)') AS message
  FROM mlsync.mls_sync_errors WHERE connection = 'ord' AND retry_state = 'repaired';
SELECT jsonb_array_length(mls_test.advance('{"mls": "ord", "seed": 41, "price_cut": 30, "new": 5}')
	-> 'changed' -> 'price_cut') AS changed;
SELECT * FROM pg_temp.sync('ord', 'incremental');
SELECT * FROM mls_test.diff('conv', 'ord', 'ord');
SELECT state, raised FROM pg_temp.sync('ord', 'reconcile');
SELECT count(*) AS removed FROM mlsync.mls_listings WHERE connection = 'ord' AND removed_at IS NOT NULL;
SELECT mls_test.reset('{"mls": "ordk", "listings": 150, "seed": 69, "page_max": 40,
						"orderby_param": "reject_key_order"}') ->> 'count' AS listings;
SELECT pg_temp.connect('ordk', 1, 'nextlink');
SET mlsync.batch_size = 1;
SELECT state, regexp_replace(raised, '\(.*\)', '(...)') AS raised FROM pg_temp.sync('ordk');
RESET mlsync.batch_size;
SELECT count(*) > 0 AS batches_committed, (SELECT watermark_raw FROM mlsync.mls_sync_status
	WHERE tenant_id = 'conv' AND connection = 'ordk') AS watermark
  FROM mlsync.mls_listings WHERE connection = 'ordk';

-- 9i. A server that writes its timestamps as its own wall clock without a
-- zone (a database of local times; not valid OData, but seen), here in
-- Brisbane (UTC+10, no daylight saving), and reads a literal without a zone
-- in it.  Every bound mlsync makes from such a timestamp (the overlap of an
-- incremental run, a window around a millisecond) is written the same way:
-- written in UTC, the incremental run's bound from the watermark less the
-- overlap came ten hours late, and the changes since were missed (old code:
-- 6 listings different).  A server that writes its offset converges too.
-- a server of listings whose timestamps are written in form (local,
-- offset) in zone, connected with a copy of the RESO mappings read in zone
CREATE FUNCTION pg_temp.zoned(mls text, form text, seed int, options jsonb DEFAULT '{}',
							  zone text DEFAULT 'Australia/Brisbane') RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	zone_set text := 'reso-' || lower(regexp_replace(zone, '^.*/', ''));
BEGIN
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_mapping_sets m WHERE m.mapping_set = zone_set) THEN
		INSERT INTO mlsync.mls_mapping_sets (mapping_set, source_timezone) VALUES (zone_set, zone);
		INSERT INTO mlsync.mls_field_mappings
		SELECT zone_set, target, source_field, transform, value_map, lookup_name, scale,
			   factor, format, separator, default_value, required, confidential
		  FROM mlsync.mls_field_mappings f WHERE f.mapping_set = 'reso-dd-2.0';
	END IF;
	PERFORM mls_test.reset(jsonb_build_object('mls', mls, 'listings', 150, 'seed', seed,
			'page_max', 50, 'reso_timestamps', form, 'rets', jsonb_build_object('timezone', zone))
			|| options);
	PERFORM pg_temp.connect(mls);
	PERFORM mlsync.mls_connect('conv', mls, mapping_set => zone_set);
END
$$;
-- cut the price of listings of mls, minutes after its last change
CREATE FUNCTION pg_temp.change(mls text, seed int, listings int DEFAULT 6,
							   minutes numeric DEFAULT 30) RETURNS int
LANGUAGE sql AS $$
	SELECT jsonb_array_length(mls_test.advance(jsonb_build_object('mls', mls, 'seed', seed,
			'price_cut', listings, 'minutes', minutes)) -> 'changed' -> 'price_cut')
$$;
-- the lower bounds of the incremental readings mls was asked for
CREATE FUNCTION pg_temp.lower_bounds(mls text) RETURNS SETOF text
LANGUAGE sql AS $$
	SELECT DISTINCT replace(substring(e ->> 'query' from 'ModificationTimestamp%20ge%20([0-9T%A.-]+)'), '%3A', ':')
	  FROM mls_test.requests(mls) e WHERE e ->> 'query' LIKE '%ModificationTimestamp%20ge%20%'
$$;
SELECT pg_temp.zoned('zloc', 'local', 71, '{"timestamp_storage": "microseconds"}');
SELECT * FROM pg_temp.sync('zloc');
SELECT pg_temp.change('zloc', 71) AS changed;
SELECT * FROM pg_temp.sync('zloc', 'incremental');
SELECT * FROM mls_test.diff('conv', 'zloc', 'zloc');
SELECT raw ->> 'ModificationTimestamp' !~ '(Z|[+-]\d\d:\d\d)$' AS served_without_zone,
	   modification_timestamp = (raw ->> 'ModificationTimestamp')::timestamp AT TIME ZONE 'Australia/Brisbane' AS read_in_brisbane
  FROM mlsync.mls_listings WHERE connection = 'zloc' ORDER BY listing_key LIMIT 1;
SELECT watermark_raw !~ '(Z|[+-]\d\d:\d\d)$' AS watermark_as_served,
	   watermark_ts = watermark_raw::timestamp AT TIME ZONE 'Australia/Brisbane' AS watermark_in_brisbane
  FROM mlsync.mls_sync_status WHERE connection = 'zloc';
-- 100 changes at one served millisecond of a server that compares the
-- microseconds it does not send (part 2): the millisecond is read by key in
-- a window whose bounds are written without a zone (old code, even
-- without an overlap: 31 listings missing, 23 different, the first
-- incremental run's 6 among them)
SELECT jsonb_array_length(mls_test.advance('{"mls": "zloc", "seed": 8, "price_cut": 50, "new": 50,
	"same_timestamp": true}') -> 'changed' -> 'new') AS new;
SET mlsync.incremental_overlap = 0;
SELECT * FROM pg_temp.sync('zloc', 'incremental');
RESET mlsync.incremental_overlap;
SELECT * FROM mls_test.diff('conv', 'zloc', 'zloc');
SELECT DISTINCT substring(message from ' reading (\[.*\)) by ListingKey$') !~ '[Z+]' AS window_without_zone
  FROM mlsync.mls_sync_errors WHERE connection = 'zloc' AND retry_state = 'repaired'
   AND message LIKE '% reading [%';
-- In a zone with daylight saving (New York), on the day clocks spring
-- forward: an overlap reaching back past 03:00 lands, moved as a wall
-- clock, in the hour the clocks skip (03:03 less 20 minutes is 02:43),
-- which the server reads an hour later, after the watermark (old code: the
-- second run's 6 changes missed).  It goes back as far as the instant
-- does, to 01:43.
SELECT pg_temp.zoned('zdst', 'local', 73, '{"listings": 60, "now": "2025-03-09T07:02:00Z"}',
					  'America/New_York');
SELECT * FROM pg_temp.sync('zdst');
SELECT pg_temp.change('zdst', 1, 3, 1) AS changed;
SELECT * FROM pg_temp.sync('zdst', 'incremental');
SELECT watermark_raw FROM mlsync.mls_sync_status WHERE connection = 'zdst';
SELECT pg_temp.change('zdst', 2, 6, 5) AS changed;
SELECT mls_test.clear_requests();
SELECT * FROM pg_temp.sync('zdst', 'incremental');
SELECT * FROM mls_test.diff('conv', 'zdst', 'zdst');
SELECT pg_temp.lower_bounds('zdst') AS bound;
-- On the day clocks fall back, a bound in the hour they repeat goes back an
-- hour more: a server may read 01:27 as its later time, an hour after the
-- watermark (01:47, the first time); it goes to 00:27.
SELECT pg_temp.zoned('zfall', 'local', 74, '{"listings": 60, "now": "2025-11-02T05:47:00Z"}',
					  'America/New_York');
SELECT * FROM pg_temp.sync('zfall');
SELECT pg_temp.change('zfall', 1, 3, 1) AS changed;
SELECT * FROM pg_temp.sync('zfall', 'incremental');
SELECT watermark_raw FROM mlsync.mls_sync_status WHERE connection = 'zfall';
SELECT pg_temp.change('zfall', 2, 6, 1) AS changed;
SELECT mls_test.clear_requests();
SELECT * FROM pg_temp.sync('zfall', 'incremental');
SELECT * FROM mls_test.diff('conv', 'zfall', 'zfall');
SELECT pg_temp.lower_bounds('zfall') AS bound;
SELECT pg_temp.zoned('zoff', 'offset', 72);
SELECT * FROM pg_temp.sync('zoff');
SELECT pg_temp.change('zoff', 72) AS changed;
SELECT * FROM pg_temp.sync('zoff', 'incremental');
SELECT * FROM mls_test.diff('conv', 'zoff', 'zoff');

-- 10. Failures are never silent: a run that fails raises its error with a
-- SQLSTATE of its category (here auth, 28000), and what it committed stays
SELECT mlsync.mls_set_credentials('conv', 'off', client_secret => 'wrong');
SELECT state, raised FROM pg_temp.sync('off', 'incremental');
SELECT mlsync.mls_set_credentials('conv', 'off', client_secret => 's3cret');

DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'conv';
