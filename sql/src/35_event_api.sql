-- mlsync install script, part 35: the seeds' new_listings and price_changes
-- endpoints as SQL (docs/features.md F22).  Both read the listing history,
-- which is never pruned, so any window can be asked for.

-- API: Public.  Listings of a tenant listed at the source since a time (the
-- effective time of their 'listed' history row: original entry timestamp,
-- else modification timestamp, else when mlsync first saw them), most
-- recent first; listings removed at the source are left out.
CREATE FUNCTION mls_new_listings(tenant text, since timestamptz DEFAULT now() - interval '7 days')
RETURNS SETOF mls_listings
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT l.*
	  FROM (SELECT h.connection, h.listing_key, max(h.effective_at) AS listed_at
			  FROM mlsync.mls_listing_history h
			 WHERE h.tenant_id = mls_new_listings.tenant
			   AND h.change = 'listed'
			   AND h.effective_at >= mls_new_listings.since
			 GROUP BY h.connection, h.listing_key) n
	  JOIN mlsync.mls_listings l
		ON l.tenant_id = mls_new_listings.tenant
	   AND l.connection = n.connection AND l.listing_key = n.listing_key
	 WHERE l.removed_at IS NULL
	 ORDER BY n.listed_at DESC, l.connection, l.listing_key;
END;

COMMENT ON FUNCTION mls_new_listings(text, timestamptz) IS
'listings of a tenant listed at the source since a time, most recent first';

-- API: Public.  List price changes of a tenant's listings since a time, most
-- recent first: kind price_reduced or price_increased, old and new price,
-- amount and percent of the change (both positive), the listing's status now.
CREATE FUNCTION mls_price_changes(tenant text, since timestamptz DEFAULT now() - interval '7 days')
RETURNS TABLE (connection text, listing_key text, kind text, changed_at timestamptz,
			   old_price numeric, new_price numeric, amount numeric, percent numeric,
			   standard_status text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT h.connection, h.listing_key,
		   CASE WHEN h.new_price < h.old_price THEN 'price_reduced' ELSE 'price_increased' END,
		   h.effective_at, h.old_price, h.new_price, abs(h.new_price - h.old_price),
		   round(abs(h.new_price - h.old_price) * 100 / nullif(h.old_price, 0), 2),
		   l.standard_status
	  FROM mlsync.mls_listing_history h
	  LEFT JOIN mlsync.mls_listings l
		ON l.tenant_id = h.tenant_id AND l.connection = h.connection
	   AND l.listing_key = h.listing_key
	 WHERE h.tenant_id = mls_price_changes.tenant
	   AND h.change = 'price'
	   AND h.effective_at >= mls_price_changes.since
	   AND h.old_price <> h.new_price
	 ORDER BY h.effective_at DESC, h.connection, h.listing_key, h.history_id DESC;
END;

COMMENT ON FUNCTION mls_price_changes(text, timestamptz) IS
'list price changes of a tenant''s listings since a time, most recent first';
