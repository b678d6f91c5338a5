-- mlsync install script, part 80: one property, many listings (docs/features.md
-- F18).  Brokerages belong to several MLSs and a house is listed in each:
-- every listing a sync writes is matched to a property (src/match/), and
-- mls_properties shows one row per property.  Statistics, alerts and the
-- event API count a property once (40_stats.sql, 33_alerts.sql,
-- 35_event_api.sql).

-- Property ids: one per property of any tenant.
CREATE SEQUENCE mls_property_id_seq;

-- How each listing was matched, and the keys it was matched by (the index
-- of matching: one listing's keys find the others').
CREATE TABLE mls_listing_matches (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	property_id		bigint NOT NULL,
	rule			text NOT NULL
					CHECK (rule IN ('upi', 'parcel', 'address', 'coordinates', 'none',
									'ambiguous', 'link', 'unlink')),
	confidence		numeric(4, 3) CHECK (confidence BETWEEN 0 AND 1),
	matched_connection text,
	matched_listing_key text,
	candidates		jsonb CHECK (jsonb_typeof(candidates) = 'array'),
	upi_key			text,
	parcel_key		text,
	address_key		text,
	house_key		text,
	normalized_address text,
	latitude		float8,
	longitude		float8,
	geo_cell		bigint,
	rules_version	integer NOT NULL,
	matched_at		timestamptz NOT NULL,
	PRIMARY KEY (tenant_id, connection, listing_key),
	FOREIGN KEY (tenant_id, connection, listing_key) REFERENCES mls_listings ON DELETE CASCADE
);

CREATE INDEX mls_listing_matches_property_idx ON mls_listing_matches (tenant_id, property_id);
CREATE INDEX mls_listing_matches_upi_idx ON mls_listing_matches (tenant_id, upi_key)
	WHERE upi_key IS NOT NULL;
CREATE INDEX mls_listing_matches_parcel_idx ON mls_listing_matches (tenant_id, parcel_key)
	WHERE parcel_key IS NOT NULL;
CREATE INDEX mls_listing_matches_address_idx ON mls_listing_matches (tenant_id, address_key)
	WHERE address_key IS NOT NULL;
CREATE INDEX mls_listing_matches_geo_idx ON mls_listing_matches (tenant_id, geo_cell)
	WHERE geo_cell IS NOT NULL;
CREATE INDEX mls_listing_matches_review_idx ON mls_listing_matches (tenant_id)
	WHERE rule = 'ambiguous';

COMMENT ON TABLE mls_listing_matches IS 'the property of every matched listing, the rule and confidence of the match, and the keys listings are matched by';
COMMENT ON COLUMN mls_listing_matches.rule IS 'upi, parcel, address or coordinates: the strongest rule that matched; none: a property of its own; ambiguous: the rules pointed to several properties (mls_match_review); link, unlink: a manual override';
COMMENT ON COLUMN mls_listing_matches.confidence IS 'how sure the match is: 1 - the product of (1 - confidence) of the rules that agree (upi 1.00, parcel 0.98, address 0.95, coordinates 0.90 to 0.70 with the distance)';
COMMENT ON COLUMN mls_listing_matches.matched_connection IS 'the listing the match was made with (for link: the listing it was linked to)';
COMMENT ON COLUMN mls_listing_matches.candidates IS 'ambiguous: the properties the rules pointed to, each with a listing and the rule';
COMMENT ON COLUMN mls_listing_matches.address_key IS 'normalised house number, directionals, street, suffix, unit and postal code';
COMMENT ON COLUMN mls_listing_matches.house_key IS 'house number and unit, which the coordinates rule needs too';
COMMENT ON COLUMN mls_listing_matches.geo_cell IS 'the 0.0005-degree grid cell of the coordinates, so near listings are found by index';
COMMENT ON COLUMN mls_listing_matches.rules_version IS 'version of the normalisation rules the keys were computed by; mls_rematch recomputes older ones';

-- Manual overrides: they win over the rules and survive mls_rematch.
CREATE TABLE mls_match_overrides (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	action			text NOT NULL CHECK (action IN ('link', 'unlink')),
	property_id		bigint NOT NULL,
	linked_connection text,
	linked_listing_key text,
	not_with		text[],
	created_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, connection, listing_key),
	FOREIGN KEY (tenant_id, connection, listing_key) REFERENCES mls_listings ON DELETE CASCADE,
	CHECK ((action = 'link') = (linked_listing_key IS NOT NULL))
);

COMMENT ON TABLE mls_match_overrides IS 'listings pinned to a property by hand: link (the same property as another listing) or unlink (a property of its own, never matched by the rules)';
COMMENT ON COLUMN mls_match_overrides.not_with IS 'link: the listings ("connection listing_key") the rules had also proposed (mls_match_review) and that the link ruled out; the rules never match them with this listing';

SELECT pg_catalog.pg_extension_config_dump('mls_listing_matches', '');
SELECT pg_catalog.pg_extension_config_dump('mls_match_overrides', '');
SELECT pg_catalog.pg_extension_config_dump('mls_property_id_seq', '');

-- API: Public.  The USPS form of a free-text address
-- ("123 N. Main Street, Apt 4" -> "123 N MAIN ST APT 4"), as matching
-- normalises it (src/match/address.c).
CREATE FUNCTION mls_normalize_address(address text) RETURNS text
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_normalize_address_text$$;

COMMENT ON FUNCTION mls_normalize_address(text) IS
'the normalised (USPS) form of a free-text street address';

-- API: Public.  The same for an address in RESO fields; unparsed_address is
-- read when street_name is NULL.
CREATE FUNCTION mls_normalize_address(street_number text, street_dir_prefix text,
									  street_name text, street_suffix text,
									  street_dir_suffix text, unit_number text,
									  postal_code text, unparsed_address text DEFAULT NULL)
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_normalize_address_fields$$;

COMMENT ON FUNCTION mls_normalize_address(text, text, text, text, text, text, text, text) IS
'the normalised (USPS) form of a street address given as RESO fields';

-- API: Public.  The parts of a normalised address and its match key.
CREATE FUNCTION mls_parse_address(address text,
								  OUT street_number text, OUT street_dir_prefix text,
								  OUT street_name text, OUT street_suffix text,
								  OUT street_dir_suffix text, OUT unit text, OUT unit_key text,
								  OUT postal_code text, OUT normalized text, OUT address_key text)
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_parse_address$$;

COMMENT ON FUNCTION mls_parse_address(text) IS
'the parts of a normalised street address, its text and the key matching compares';

-- API: Public.  A parcel number as matching compares it: state, county and
-- parcel number, normalised ("r-0123 456", "Travis County", "Texas" ->
-- "TX|TRAVIS|R123456").
CREATE FUNCTION mls_normalize_parcel(parcel_number text, county text DEFAULT NULL,
									 state text DEFAULT NULL)
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_normalize_parcel$$;

COMMENT ON FUNCTION mls_normalize_parcel(text, text, text) IS
'the parcel key matching compares: state|county|parcel number, normalised';

-- API: Public.  A RESO UPI as matching compares it.
CREATE FUNCTION mls_normalize_upi(upi text) RETURNS text
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_normalize_upi$$;

COMMENT ON FUNCTION mls_normalize_upi(text) IS
'a RESO Universal Property Id as matching compares it';

-- API: Private.  Every key a listing is matched by, from its fields.
CREATE FUNCTION mls_match_keys(upi text, parcel_number text, county text, state text,
							   unparsed_address text, street_number text,
							   street_dir_prefix text, street_name text, street_suffix text,
							   street_dir_suffix text, unit_number text, postal_code text,
							   latitude numeric, longitude numeric,
							   OUT upi_key text, OUT parcel_key text, OUT address_key text,
							   OUT house_key text, OUT normalized_address text,
							   OUT latitude float8, OUT longitude float8, OUT geo_cell bigint)
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_match_keys$$;

-- API: Private.  The version of the normalisation rules of this build.
CREATE FUNCTION mls_match_rules_version() RETURNS integer
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_match_rules_version$$;

-- API: Private.  The tenant's matching lock until the end of the
-- transaction (as src/match/matcher.c takes it): no two matching steps of a
-- tenant at once.  Needs the operate privilege on the tenant: a lock of
-- mlsync's own, which no other role can take or hold (src/tenancy/locks.c).
CREATE FUNCTION mls_match_lock(tenant text) RETURNS void
LANGUAGE c VOLATILE STRICT
AS 'MODULE_PATHNAME', $$mls_match_lock$$;

-- API: Private.  Watches of properties that disappeared in a merge follow
-- the listings: a property of from[i] that no listing holds any more is
-- replaced by to[i] in the watch list.
CREATE FUNCTION mls_follow_properties(tenant text, from_ids bigint[], to_ids bigint[])
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	WITH gone AS (
		SELECT DISTINCT ON (p.f) p.f, p.t
		  FROM unnest(from_ids, to_ids) AS p(f, t)
		 WHERE p.f IS NOT NULL AND p.t IS NOT NULL AND p.f <> p.t
		   AND EXISTS (SELECT FROM mlsync.mls_watchlist w
						WHERE w.tenant_id = mls_follow_properties.tenant AND w.property_id = p.f)
		   AND NOT EXISTS (SELECT FROM mlsync.mls_listing_matches m
							WHERE m.tenant_id = mls_follow_properties.tenant AND m.property_id = p.f)
		 ORDER BY p.f, p.t
	),
	moved AS (
		INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, property_id, reason, created_at)
		SELECT w.tenant_id, w.watcher, g.t, w.reason, w.created_at
		  FROM mlsync.mls_watchlist w
		  JOIN gone g ON g.f = w.property_id
		 WHERE w.tenant_id = mls_follow_properties.tenant
		ON CONFLICT DO NOTHING
		RETURNING 1
	)
	DELETE FROM mlsync.mls_watchlist w
	 USING gone g
	 WHERE w.tenant_id = mls_follow_properties.tenant AND w.property_id = g.f;
END;

-- API: Private.  A listing's match row, made (with its keys, as a property
-- of its own) when it has none; returns its property id.
CREATE FUNCTION mls_ensure_match(tenant text, connection text, listing_key text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	property bigint;
	known boolean;
BEGIN
	SELECT m.property_id INTO property FROM mlsync.mls_listing_matches m
	 WHERE m.tenant_id = tenant AND m.connection = connection AND m.listing_key = listing_key;
	IF FOUND THEN
		RETURN property;
	END IF;
	SELECT l.property_id, true INTO property, known FROM mlsync.mls_listings l
	 WHERE l.tenant_id = tenant AND l.connection = connection AND l.listing_key = listing_key;
	IF known IS NULL THEN
		RAISE EXCEPTION 'listing "%" of connection "%" of tenant "%" does not exist',
			listing_key, connection, tenant
			USING ERRCODE = 'no_data_found',
				  HINT = 'Listings are named by tenant, connection and listing_key, as in mlsync.mls_listings.';
	END IF;
	property := coalesce(property, nextval('mlsync.mls_property_id_seq'));
	INSERT INTO mlsync.mls_listing_matches
		(tenant_id, connection, listing_key, property_id, rule, upi_key, parcel_key, address_key,
		 house_key, normalized_address, latitude, longitude, geo_cell, rules_version, matched_at)
	SELECT l.tenant_id, l.connection, l.listing_key, property, 'none', k.upi_key, k.parcel_key,
		   k.address_key, k.house_key, k.normalized_address, k.latitude, k.longitude, k.geo_cell,
		   mlsync.mls_match_rules_version(), now()
	  FROM mlsync.mls_listings l
	 CROSS JOIN LATERAL mlsync.mls_match_keys(l.universal_property_id, l.parcel_number,
			l.county_or_parish, l.state_or_province, l.unparsed_address, l.street_number,
			l.street_dir_prefix, l.street_name, l.street_suffix, l.street_dir_suffix,
			l.unit_number, l.postal_code, l.latitude, l.longitude) k
	 WHERE l.tenant_id = tenant AND l.connection = connection AND l.listing_key = listing_key;
	UPDATE mlsync.mls_listings l SET property_id = property
	 WHERE l.tenant_id = tenant AND l.connection = connection AND l.listing_key = listing_key
	   AND l.property_id IS DISTINCT FROM property;
	RETURN property;
END
$$;

-- API: Public.  The two listings are the same property: their properties
-- merge into the first one's (every listing of the second follows, and so
-- do watches), and both are pinned to it, whatever the rules say, through
-- every mls_rematch.  Returns the property id.
CREATE FUNCTION mls_link_listings(tenant text, connection text, listing_key text,
								  other_connection text, other_listing_key text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	target bigint;
	merged bigint;
BEGIN
	IF connection = other_connection AND listing_key = other_listing_key THEN
		RAISE EXCEPTION 'a listing cannot be linked to itself'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Name two different listings.';
	END IF;
	PERFORM mlsync.mls_match_lock(tenant);
	target := mlsync.mls_ensure_match(tenant, connection, listing_key);
	merged := mlsync.mls_ensure_match(tenant, other_connection, other_listing_key);
	IF merged <> target THEN
		UPDATE mlsync.mls_listings l SET property_id = target
		  FROM mlsync.mls_listing_matches m
		 WHERE m.tenant_id = tenant AND m.property_id = merged
		   AND l.tenant_id = m.tenant_id AND l.connection = m.connection
		   AND l.listing_key = m.listing_key;
		UPDATE mlsync.mls_listing_matches m SET property_id = target
		 WHERE m.tenant_id = tenant AND m.property_id = merged;
		UPDATE mlsync.mls_match_overrides o SET property_id = target
		 WHERE o.tenant_id = tenant AND o.property_id = merged;
		PERFORM mlsync.mls_follow_properties(tenant, ARRAY[merged], ARRAY[target]);
	END IF;
	-- the candidates a review proposed besides the property linked to are
	-- ruled out: the rules never match them with these listings again
	INSERT INTO mlsync.mls_match_overrides AS o
		(tenant_id, connection, listing_key, action, property_id, linked_connection,
		 linked_listing_key, not_with)
	SELECT tenant, p.c, p.k, 'link', target, p.oc, p.ok,
		   (SELECT array_agg(DISTINCT (x ->> 'connection') || ' ' || (x ->> 'listing_key'))
			  FROM mlsync.mls_listing_matches m
			 CROSS JOIN LATERAL jsonb_array_elements(m.candidates) x
			 WHERE m.tenant_id = tenant AND m.connection = p.c AND m.listing_key = p.k
			   AND m.rule = 'ambiguous'
			   AND NOT EXISTS (SELECT FROM mlsync.mls_listing_matches t
								WHERE t.tenant_id = tenant AND t.connection = x ->> 'connection'
								  AND t.listing_key = x ->> 'listing_key' AND t.property_id = target))
	  FROM (VALUES (connection, listing_key, other_connection, other_listing_key),
				   (other_connection, other_listing_key, connection, listing_key)) p(c, k, oc, ok)
	ON CONFLICT ON CONSTRAINT mls_match_overrides_pkey DO UPDATE
		SET action = 'link', property_id = excluded.property_id,
			linked_connection = excluded.linked_connection,
			linked_listing_key = excluded.linked_listing_key,
			not_with = (SELECT array_agg(DISTINCT x) FROM unnest(o.not_with || excluded.not_with) x),
			created_at = excluded.created_at;
	UPDATE mlsync.mls_listing_matches m
	   SET rule = 'link', confidence = 1, candidates = NULL,
		   matched_connection = CASE WHEN m.connection = connection AND m.listing_key = listing_key
									 THEN other_connection ELSE connection END,
		   matched_listing_key = CASE WHEN m.connection = connection AND m.listing_key = listing_key
									  THEN other_listing_key ELSE listing_key END
	 WHERE m.tenant_id = tenant
	   AND ((m.connection = connection AND m.listing_key = listing_key)
			OR (m.connection = other_connection AND m.listing_key = other_listing_key));
	-- the statistics count a property listed by several feeds once
	-- (count_per = property): its listings are counted again at the next
	-- refresh, as the matcher marks those it moves
	INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
	SELECT m.tenant_id, m.connection, m.listing_key FROM mlsync.mls_listing_matches m
	 WHERE m.tenant_id = tenant AND m.property_id = target;
	RETURN target;
END
$$;

COMMENT ON FUNCTION mls_link_listings(text, text, text, text, text) IS
'declare two listings the same property (merges their properties); survives mls_rematch';

-- API: Public.  The listing is a property of its own: it leaves its
-- property (keeping the id if it held it alone), and the rules never match
-- it with another listing again.  Returns its property id.
CREATE FUNCTION mls_unlink_listing(tenant text, connection text, listing_key text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	current bigint;
	property bigint;
BEGIN
	PERFORM mlsync.mls_match_lock(tenant);
	current := mlsync.mls_ensure_match(tenant, connection, listing_key);
	IF EXISTS (SELECT FROM mlsync.mls_listing_matches m
				WHERE m.tenant_id = tenant AND m.property_id = current
				  AND (m.connection, m.listing_key) <> (connection, listing_key)) THEN
		property := nextval('mlsync.mls_property_id_seq');
	ELSE
		property := current;
	END IF;
	UPDATE mlsync.mls_listing_matches m
	   SET property_id = property, rule = 'unlink', confidence = 1, candidates = NULL,
		   matched_connection = NULL, matched_listing_key = NULL
	 WHERE m.tenant_id = tenant AND m.connection = connection AND m.listing_key = listing_key;
	UPDATE mlsync.mls_listings l SET property_id = property
	 WHERE l.tenant_id = tenant AND l.connection = connection AND l.listing_key = listing_key
	   AND l.property_id IS DISTINCT FROM property;
	INSERT INTO mlsync.mls_match_overrides AS o (tenant_id, connection, listing_key, action, property_id)
	VALUES (tenant, connection, listing_key, 'unlink', property)
	ON CONFLICT ON CONSTRAINT mls_match_overrides_pkey DO UPDATE
		SET action = 'unlink', property_id = excluded.property_id, linked_connection = NULL,
			linked_listing_key = NULL, not_with = NULL, created_at = excluded.created_at;
	-- the listing, and those of the property it left, are counted again at
	-- the next statistics refresh (see mls_link_listings)
	INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
	SELECT m.tenant_id, m.connection, m.listing_key FROM mlsync.mls_listing_matches m
	 WHERE m.tenant_id = tenant AND m.property_id IN (current, property);
	RETURN property;
END
$$;

COMMENT ON FUNCTION mls_unlink_listing(text, text, text) IS
'make a listing a property of its own, never matched by the rules; survives mls_rematch';

-- API: Public.  Hand a listing back to the rules: its override goes, and
-- the next mls_rematch decides it again.  Returns whether it had one.
CREATE FUNCTION mls_clear_match_override(tenant text, connection text, listing_key text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
BEGIN
	PERFORM mlsync.mls_match_lock(tenant);
	DELETE FROM mlsync.mls_match_overrides o
	 WHERE o.tenant_id = tenant AND o.connection = connection AND o.listing_key = listing_key;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	UPDATE mlsync.mls_listing_matches m SET rules_version = 0
	 WHERE m.tenant_id = tenant AND m.connection = connection AND m.listing_key = listing_key;
	RETURN true;
END
$$;

COMMENT ON FUNCTION mls_clear_match_override(text, text, text) IS
'remove a listing''s link or unlink override; the next mls_rematch matches it by the rules';

-- API: Public.  Recompute a tenant's property matches after the
-- normalisation rules changed (a new mlsync version), or of listings
-- written without matching: only listings whose keys changed (and those
-- that shared a property with them) are decided again, unless full.  Runs
-- in the caller's transaction and takes the tenant's matching lock (syncs
-- of the tenant wait for it); readers are never blocked.
CREATE FUNCTION mls_rematch(tenant text, full boolean DEFAULT false,
							OUT listings bigint, OUT rematched bigint, OUT moved bigint,
							OUT new_properties bigint, OUT ambiguous bigint)
LANGUAGE c VOLATILE
AS 'MODULE_PATHNAME', $$mls_rematch$$;

COMMENT ON FUNCTION mls_rematch(text, boolean) IS
'recompute the property matches of a tenant whose keys changed (all with full); overrides stay';

-- Listings the rules could not decide: they point to several properties.
-- Resolve one with mls_link_listings (the same property as a candidate) or
-- mls_unlink_listing (none of them).
CREATE VIEW mls_match_review WITH (security_invoker = true) AS
SELECT m.tenant_id, m.connection, m.listing_key, m.property_id, m.normalized_address,
	   l.unparsed_address, l.city, l.postal_code, l.parcel_number, l.universal_property_id,
	   l.standard_status, m.candidates, m.matched_at
  FROM mls_listing_matches m
  JOIN mls_listings l
	ON l.tenant_id = m.tenant_id AND l.connection = m.connection AND l.listing_key = m.listing_key
 WHERE m.rule = 'ambiguous';

COMMENT ON VIEW mls_match_review IS 'listings whose match is ambiguous (several candidate properties), for a person to link or unlink';

-- One row per property: the preferred listing (live and on the market
-- first, then the connection of the lowest priority value, then the most
-- recently modified), the other listings, and the fields of
-- docs/reference.md: market fields from the preferred listing only,
-- physical fields from it with gaps filled from the others in the same
-- order (the address and the coordinates each as a whole).
CREATE VIEW mls_properties WITH (security_invoker = true) AS
WITH ranked AS (
	SELECT m.tenant_id, m.property_id, m.normalized_address, m.rule,
		   l.connection, l.listing_key, l.listing_id, l.standard_status, l.mls_status,
		   l.property_type, l.property_sub_type, l.list_price, l.original_list_price,
		   l.close_price, l.listing_contract_date, l.on_market_date, l.close_date,
		   l.days_on_market, l.bedrooms_total, l.bathrooms_total_integer, l.bathrooms_full,
		   l.bathrooms_half, l.living_area, l.lot_size_acres, l.lot_size_square_feet,
		   l.year_built, l.stories_total, l.garage_spaces, l.association_fee,
		   l.tax_annual_amount, l.unparsed_address, l.street_number, l.street_dir_prefix,
		   l.street_name, l.street_suffix, l.street_dir_suffix, l.unit_number, l.city,
		   l.state_or_province, l.postal_code, l.county_or_parish, l.subdivision_name,
		   l.latitude, l.longitude, l.parcel_number, l.universal_property_id,
		   l.list_agent_key, l.list_agent_full_name, l.list_office_key, l.list_office_name,
		   l.public_remarks, l.photos_count, l.virtual_tour_url_unbranded,
		   l.internet_entire_listing_display_yn, l.internet_address_display_yn,
		   l.modification_timestamp, l.removed_at, c.mls_name, c.priority,
		   row_number() OVER (
			   PARTITION BY m.tenant_id, m.property_id
			   ORDER BY l.removed_at IS NOT NULL,
						l.standard_status IS DISTINCT FROM 'Active'
							AND l.standard_status IS DISTINCT FROM 'Active Under Contract'
							AND l.standard_status IS DISTINCT FROM 'Pending'
							AND l.standard_status IS DISTINCT FROM 'Coming Soon',
						c.priority, l.modification_timestamp DESC NULLS LAST,
						l.connection, l.listing_key) AS rank
	  FROM mls_listing_matches m
	  JOIN mls_listings l
		ON l.tenant_id = m.tenant_id AND l.connection = m.connection
	   AND l.listing_key = m.listing_key
	  JOIN mls_connections c ON c.tenant_id = l.tenant_id AND c.connection = l.connection
)
SELECT r.tenant_id, r.property_id,
	   count(*) AS listing_count,
	   -- the preferred listing
	   (array_agg(r.connection ORDER BY r.rank))[1] AS connection,
	   (array_agg(r.listing_key ORDER BY r.rank))[1] AS listing_key,
	   (array_agg(r.mls_name ORDER BY r.rank))[1] AS mls_name,
	   coalesce(jsonb_agg(jsonb_build_object('connection', r.connection,
											 'listing_key', r.listing_key,
											 'mls_name', r.mls_name,
											 'standard_status', r.standard_status,
											 'rule', r.rule) ORDER BY r.rank)
				FILTER (WHERE r.rank > 1), '[]') AS other_listings,
	   -- market fields: the preferred listing's
	   (array_agg(r.listing_id ORDER BY r.rank))[1] AS listing_id,
	   (array_agg(r.standard_status ORDER BY r.rank))[1] AS standard_status,
	   (array_agg(r.mls_status ORDER BY r.rank))[1] AS mls_status,
	   (array_agg(r.list_price ORDER BY r.rank))[1] AS list_price,
	   (array_agg(r.original_list_price ORDER BY r.rank))[1] AS original_list_price,
	   (array_agg(r.close_price ORDER BY r.rank))[1] AS close_price,
	   (array_agg(r.listing_contract_date ORDER BY r.rank))[1] AS listing_contract_date,
	   (array_agg(r.on_market_date ORDER BY r.rank))[1] AS on_market_date,
	   (array_agg(r.close_date ORDER BY r.rank))[1] AS close_date,
	   (array_agg(r.days_on_market ORDER BY r.rank))[1] AS days_on_market,
	   (array_agg(r.list_agent_key ORDER BY r.rank))[1] AS list_agent_key,
	   (array_agg(r.list_agent_full_name ORDER BY r.rank))[1] AS list_agent_full_name,
	   (array_agg(r.list_office_key ORDER BY r.rank))[1] AS list_office_key,
	   (array_agg(r.list_office_name ORDER BY r.rank))[1] AS list_office_name,
	   (array_agg(r.public_remarks ORDER BY r.rank))[1] AS public_remarks,
	   (array_agg(r.photos_count ORDER BY r.rank))[1] AS photos_count,
	   (array_agg(r.virtual_tour_url_unbranded ORDER BY r.rank))[1] AS virtual_tour_url_unbranded,
	   (array_agg(r.internet_entire_listing_display_yn ORDER BY r.rank))[1] AS internet_entire_listing_display_yn,
	   (array_agg(r.internet_address_display_yn ORDER BY r.rank))[1] AS internet_address_display_yn,
	   (array_agg(r.modification_timestamp ORDER BY r.rank))[1] AS modification_timestamp,
	   -- physical fields: the first listing that has them
	   (array_agg(r.universal_property_id ORDER BY r.rank) FILTER (WHERE r.universal_property_id IS NOT NULL))[1] AS universal_property_id,
	   (array_agg(r.parcel_number ORDER BY r.rank) FILTER (WHERE r.parcel_number IS NOT NULL))[1] AS parcel_number,
	   (array_agg(r.property_type ORDER BY r.rank) FILTER (WHERE r.property_type IS NOT NULL))[1] AS property_type,
	   (array_agg(r.property_sub_type ORDER BY r.rank) FILTER (WHERE r.property_sub_type IS NOT NULL))[1] AS property_sub_type,
	   (array_agg(r.bedrooms_total ORDER BY r.rank) FILTER (WHERE r.bedrooms_total IS NOT NULL))[1] AS bedrooms_total,
	   (array_agg(r.bathrooms_total_integer ORDER BY r.rank) FILTER (WHERE r.bathrooms_total_integer IS NOT NULL))[1] AS bathrooms_total_integer,
	   (array_agg(r.bathrooms_full ORDER BY r.rank) FILTER (WHERE r.bathrooms_full IS NOT NULL))[1] AS bathrooms_full,
	   (array_agg(r.bathrooms_half ORDER BY r.rank) FILTER (WHERE r.bathrooms_half IS NOT NULL))[1] AS bathrooms_half,
	   (array_agg(r.living_area ORDER BY r.rank) FILTER (WHERE r.living_area IS NOT NULL))[1] AS living_area,
	   (array_agg(r.lot_size_acres ORDER BY r.rank) FILTER (WHERE r.lot_size_acres IS NOT NULL))[1] AS lot_size_acres,
	   (array_agg(r.lot_size_square_feet ORDER BY r.rank) FILTER (WHERE r.lot_size_square_feet IS NOT NULL))[1] AS lot_size_square_feet,
	   (array_agg(r.year_built ORDER BY r.rank) FILTER (WHERE r.year_built IS NOT NULL))[1] AS year_built,
	   (array_agg(r.stories_total ORDER BY r.rank) FILTER (WHERE r.stories_total IS NOT NULL))[1] AS stories_total,
	   (array_agg(r.garage_spaces ORDER BY r.rank) FILTER (WHERE r.garage_spaces IS NOT NULL))[1] AS garage_spaces,
	   (array_agg(r.association_fee ORDER BY r.rank) FILTER (WHERE r.association_fee IS NOT NULL))[1] AS association_fee,
	   (array_agg(r.tax_annual_amount ORDER BY r.rank) FILTER (WHERE r.tax_annual_amount IS NOT NULL))[1] AS tax_annual_amount,
	   (array_agg(r.subdivision_name ORDER BY r.rank) FILTER (WHERE r.subdivision_name IS NOT NULL))[1] AS subdivision_name,
	   -- the address, whole, from the first listing that has a street
	   (array_agg(r.normalized_address ORDER BY r.rank) FILTER (WHERE r.normalized_address IS NOT NULL))[1] AS normalized_address,
	   (array_agg(r.unparsed_address ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS unparsed_address,
	   (array_agg(r.street_number ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS street_number,
	   (array_agg(r.street_dir_prefix ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS street_dir_prefix,
	   (array_agg(r.street_name ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS street_name,
	   (array_agg(r.street_suffix ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS street_suffix,
	   (array_agg(r.street_dir_suffix ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS street_dir_suffix,
	   (array_agg(r.unit_number ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS unit_number,
	   (array_agg(r.city ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS city,
	   (array_agg(r.state_or_province ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS state_or_province,
	   (array_agg(r.postal_code ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS postal_code,
	   (array_agg(r.county_or_parish ORDER BY r.rank) FILTER (WHERE r.street_name IS NOT NULL OR r.unparsed_address IS NOT NULL))[1] AS county_or_parish,
	   -- the coordinates, as a pair
	   (array_agg(r.latitude ORDER BY r.rank) FILTER (WHERE r.latitude IS NOT NULL AND r.longitude IS NOT NULL))[1] AS latitude,
	   (array_agg(r.longitude ORDER BY r.rank) FILTER (WHERE r.latitude IS NOT NULL AND r.longitude IS NOT NULL))[1] AS longitude,
	   -- whether every listing is gone from its source
	   bool_and(r.removed_at IS NOT NULL) AS removed
  FROM ranked r
 GROUP BY r.tenant_id, r.property_id;

COMMENT ON VIEW mls_properties IS 'one row per property per tenant: the preferred listing''s market fields, physical fields filled from every listing of the property (docs/reference.md)';

-- Tenant isolation (sql/src/60_tenancy.sql): matches are read with read on
-- their tenant and written by the sync (as the owner) or by operators
-- (mls_link_listings, mls_unlink_listing, mls_clear_match_override and
-- mls_rematch run with the caller's rights); the views run with the
-- reader's rights, so the tables' policies and those of mls_listings apply.
SELECT mls_protect_tenant_table('mls_listing_matches', 'read', 'operate', 'INSERT, UPDATE');
SELECT mls_protect_tenant_table('mls_match_overrides', 'read', 'operate', 'INSERT, UPDATE, DELETE');
GRANT SELECT ON mls_match_review, mls_properties TO PUBLIC;
