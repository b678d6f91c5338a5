-- mlsync install script, part 35: the seeds' new_listings and price_changes
-- endpoints as SQL (docs/features.md F22).  Both read the listing history,
-- which is never pruned, so any window can be asked for.

-- API: Public.  Listings of a tenant listed at the source since a time (the
-- effective time of their 'listed' history row: original entry timestamp,
-- else modification timestamp, else when mlsync first saw them), most
-- recent first; listings removed at the source are left out.  per_property:
-- one listing per property, preferred as mls_properties prefers one: on the
-- market first, then of the connection with the lowest priority value, then
-- the most recently modified; listings not matched to a property count each
-- for itself.
CREATE FUNCTION mls_new_listings(tenant text, since timestamptz DEFAULT now() - interval '7 days',
								 per_property boolean DEFAULT false)
RETURNS SETOF mls_listings
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT (x.l).*
	  FROM (SELECT l, n.listed_at,
				   row_number() OVER (
					   PARTITION BY l.property_id,
									CASE WHEN l.property_id IS NULL THEN l.connection END,
									CASE WHEN l.property_id IS NULL THEN l.listing_key END
					   ORDER BY l.standard_status IS DISTINCT FROM 'Active'
									AND l.standard_status IS DISTINCT FROM 'Active Under Contract'
									AND l.standard_status IS DISTINCT FROM 'Pending'
									AND l.standard_status IS DISTINCT FROM 'Coming Soon',
								c.priority, l.modification_timestamp DESC NULLS LAST,
								l.connection, l.listing_key) AS rank
			  FROM (SELECT h.connection, h.listing_key, max(h.effective_at) AS listed_at
					  FROM mlsync.mls_listing_history h
					 WHERE h.tenant_id = mls_new_listings.tenant
					   AND h.change = 'listed'
					   AND h.effective_at >= mls_new_listings.since
					 GROUP BY h.connection, h.listing_key) n
			  JOIN mlsync.mls_listings l
				ON l.tenant_id = mls_new_listings.tenant
			   AND l.connection = n.connection AND l.listing_key = n.listing_key
			  JOIN mlsync.mls_connections c
				ON c.tenant_id = l.tenant_id AND c.connection = l.connection
			 WHERE l.removed_at IS NULL) x
	 WHERE NOT mls_new_listings.per_property OR x.rank = 1
	 ORDER BY x.listed_at DESC, (x.l).connection, (x.l).listing_key;
END;

COMMENT ON FUNCTION mls_new_listings(text, timestamptz, boolean) IS
'listings of a tenant listed at the source since a time, most recent first; per_property: one per property';

-- API: Public.  List price changes of a tenant's listings since a time, most
-- recent first: kind price_reduced or price_increased, old and new price,
-- amount and percent of the change (both positive), the listing's status now.
-- per_property: one change (old and new price) per property, as reported by
-- the connection with the lowest priority value (then the earliest); changes
-- of listings not matched to a property count each for itself.
CREATE FUNCTION mls_price_changes(tenant text, since timestamptz DEFAULT now() - interval '7 days',
								  per_property boolean DEFAULT false)
RETURNS TABLE (connection text, listing_key text, kind text, changed_at timestamptz,
			   old_price numeric, new_price numeric, amount numeric, percent numeric,
			   standard_status text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT x.connection, x.listing_key, x.kind, x.changed_at, x.old_price, x.new_price,
		   x.amount, x.percent, x.standard_status
	  FROM (SELECT h.connection, h.listing_key,
				   CASE WHEN h.new_price < h.old_price THEN 'price_reduced' ELSE 'price_increased' END AS kind,
				   h.effective_at AS changed_at, h.old_price, h.new_price,
				   abs(h.new_price - h.old_price) AS amount,
				   round(abs(h.new_price - h.old_price) * 100 / nullif(h.old_price, 0), 2) AS percent,
				   l.standard_status, h.history_id,
				   row_number() OVER (
					   PARTITION BY l.property_id,
									CASE WHEN l.property_id IS NULL THEN h.history_id END,
									h.old_price, h.new_price
					   ORDER BY c.priority, h.effective_at, h.connection, h.listing_key,
								h.history_id) AS rank
			  FROM mlsync.mls_listing_history h
			  LEFT JOIN mlsync.mls_listings l
				ON l.tenant_id = h.tenant_id AND l.connection = h.connection
			   AND l.listing_key = h.listing_key
			  LEFT JOIN mlsync.mls_connections c
				ON c.tenant_id = h.tenant_id AND c.connection = h.connection
			 WHERE h.tenant_id = mls_price_changes.tenant
			   AND h.change = 'price'
			   AND h.effective_at >= mls_price_changes.since
			   AND h.old_price <> h.new_price) x
	 WHERE NOT mls_price_changes.per_property OR x.rank = 1
	 ORDER BY x.changed_at DESC, x.connection, x.listing_key, x.history_id DESC;
END;

COMMENT ON FUNCTION mls_price_changes(text, timestamptz, boolean) IS
'list price changes of a tenant''s listings since a time, most recent first; per_property: one per property and change';
