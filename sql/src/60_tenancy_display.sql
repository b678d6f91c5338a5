-- mlsync install script, part 60 (display): the IDX and VOW display views
-- (docs/features.md F20).  A website that shows listings reads
-- mls_idx_listings (the public) or mls_vow_listings (registered consumers of
-- a VOW) and gets, by default, what the MLS rules allow: listings in the
-- connection's display statuses whose seller allowed internet display, the
-- address withheld when the seller asked, no confidential field, and on
-- every row the attribution and the disclaimer with its "as of" time.
-- docs/display.md gives the rule each column follows.  Both views need only
-- the display privilege on the tenant (a website's role needs no more).

-- API: Private.  RESO Data Dictionary fields meant for MLS participants only
-- (remarks, showing and access instructions, owner and occupant contacts,
-- compensation, agents' private phones).  A mapping that sends one of them
-- to a column or to extra.<key> is left out of the display views, as is any
-- mapping marked confidential.
CREATE FUNCTION mls_confidential_reso_fields() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['PrivateRemarks', 'PrivateOfficeRemarks',
	'ShowingInstructions', 'ShowingAdvanceNotice', 'ShowingAttendedYN', 'ShowingConsiderations',
	'ShowingContactName', 'ShowingContactPhone', 'ShowingContactPhoneExt', 'ShowingContactType',
	'ShowingDays', 'ShowingStartTime', 'ShowingEndTime', 'ShowingRequirements', 'ShowingServiceName',
	'AccessCode', 'LockBoxLocation', 'LockBoxSerialNumber', 'LockBoxType',
	'OwnerName', 'OwnerPhone', 'OccupantName', 'OccupantPhone', 'OccupantType',
	'BuyerBrokerageCompensation', 'BuyerBrokerageCompensationType',
	'SubAgencyCompensation', 'SubAgencyCompensationType',
	'TransactionBrokerCompensation', 'TransactionBrokerCompensationType',
	'DualOrVariableRateCommissionYN', 'CompensationComments', 'LeaseRenewalCompensation',
	'ListAgentHomePhone', 'ListAgentPager', 'ListAgentVoiceMail', 'ListAgentVoiceMailExt',
	'CoListAgentHomePhone', 'CoListAgentPager', 'CoListAgentVoiceMail', 'CoListAgentVoiceMailExt',
	'BuyerAgentHomePhone', 'BuyerAgentPager', 'BuyerAgentVoiceMail', 'BuyerAgentVoiceMailExt',
	'CoBuyerAgentHomePhone', 'CoBuyerAgentPager', 'CoBuyerAgentVoiceMail', 'CoBuyerAgentVoiceMailExt'];

COMMENT ON FUNCTION mls_confidential_reso_fields() IS
'RESO fields for MLS participants only: never shown by mls_idx_listings or mls_vow_listings';

-- API: Private.  The same, as column names (snake_case).
CREATE FUNCTION mls_confidential_fields() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT mls_snake_case(f) FROM unnest(mls_confidential_reso_fields()) f);

-- API: Private.  mls_confidential_reso_fields() in lower case, for
-- mls_is_confidential_field.
CREATE FUNCTION mls_confidential_names() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT lower(f) FROM unnest(mls_confidential_reso_fields()) f);

-- API: Private.  Whether a field or key names a confidential RESO field,
-- whatever its case and underscores (ShowingInstructions,
-- showing_instructions).  Inlined into the display views' query, where the
-- list is a constant.
CREATE FUNCTION mls_is_confidential_field(name text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(replace(name, '_', '')) = ANY (mlsync.mls_confidential_names());

-- API: Private.  The hook for media permissions: the media a display of the
-- given purpose ('idx' or 'vow') may show for a listing, as a jsonb array,
-- or NULL when mlsync stores no media.  The media download replaces this
-- function (CREATE OR REPLACE, same signature, STABLE) with one that reads
-- its table and keeps the media whose RESO Permission allows the purpose;
-- the views need no change.  A SQL function of one expression, so the
-- planner inlines it: the NULL of today costs nothing per row.
CREATE FUNCTION mls_display_media(tenant text, connection text, listing_key text, purpose text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
RETURN NULL::jsonb;

COMMENT ON FUNCTION mls_display_media(text, text, text, text) IS
'hook: the media a display (idx, vow) may show for a listing; NULL until media are stored';

-- API: Private.  Every listing a display may show, with every column either
-- view shows and what decides each.  No role may read it: the two views
-- below choose from it.  The per-connection part (statuses, the rendered
-- disclaimer, which contact columns and extra keys are confidential) is
-- computed once per connection and joined (OFFSET 0 keeps the planner from
-- pulling it up into the listings' rows), not once per listing.
CREATE VIEW mls_display_base AS
SELECT l.tenant_id, l.connection, l.listing_key, l.listing_id,
	   l.standard_status, l.mls_status, l.property_type, l.property_sub_type,
	   l.list_price, l.original_list_price, l.previous_list_price,
	   l.close_price, l.close_date,
	   l.listing_contract_date, l.on_market_date, l.off_market_date, l.purchase_contract_date,
	   l.days_on_market, l.cumulative_days_on_market,
	   l.bedrooms_total, l.bathrooms_total_integer, l.bathrooms_full, l.bathrooms_half,
	   l.living_area, l.living_area_units, l.lot_size_area, l.lot_size_units, l.lot_size_acres,
	   l.lot_size_square_feet, l.year_built, l.stories_total, l.garage_spaces,
	   l.heating, l.cooling, l.association_fee, l.tax_annual_amount,
	   -- InternetAddressDisplayYN = false: the seller withheld the address,
	   -- and the coordinates and parcel number, which locate it as well
	   a.shown AS address_displayed,
	   CASE WHEN a.shown THEN l.unparsed_address END AS unparsed_address,
	   CASE WHEN a.shown THEN l.street_number END AS street_number,
	   CASE WHEN a.shown THEN l.street_dir_prefix END AS street_dir_prefix,
	   CASE WHEN a.shown THEN l.street_name END AS street_name,
	   CASE WHEN a.shown THEN l.street_suffix END AS street_suffix,
	   CASE WHEN a.shown THEN l.street_dir_suffix END AS street_dir_suffix,
	   CASE WHEN a.shown THEN l.unit_number END AS unit_number,
	   l.city, l.state_or_province, l.postal_code, l.county_or_parish, l.subdivision_name,
	   l.country,
	   CASE WHEN a.shown THEN l.latitude END AS latitude,
	   CASE WHEN a.shown THEN l.longitude END AS longitude,
	   CASE WHEN a.shown THEN l.parcel_number END AS parcel_number,
	   l.public_remarks, l.virtual_tour_url_unbranded,
	   l.photos_count, l.photos_change_timestamp,
	   coalesce(l.internet_automated_valuation_display_yn, true) AS avm_display_allowed,
	   coalesce(l.internet_consumer_comment_yn, true) AS consumer_comments_allowed,
	   -- attribution: the listing office and agent, the MLS
	   l.list_office_name, l.list_office_mls_id,
	   CASE WHEN NOT c.hide_office_phone THEN l.list_office_phone END AS list_office_phone,
	   l.list_agent_full_name, l.list_agent_mls_id,
	   CASE WHEN NOT c.hide_agent_email THEN l.list_agent_email END AS list_agent_email,
	   CASE WHEN NOT c.hide_agent_phone THEN l.list_agent_direct_phone END AS list_agent_direct_phone,
	   coalesce(c.mls_name, l.originating_system_name, c.connection) AS mls_name,
	   -- most templates name the office once and nothing else of the row:
	   -- two concatenations with the parts around it; others, replacements
	   CASE WHEN c.attribution_before IS NOT NULL
			THEN c.attribution_before || coalesce(l.list_office_name, 'the listing office')
				 || c.attribution_after
			ELSE replace(replace(replace(c.attribution_template,
										 '{office}', coalesce(l.list_office_name, 'the listing office')),
								 '{agent}', coalesce(l.list_agent_full_name, 'the listing agent')),
						 '{mls}', coalesce(c.mls_name, l.originating_system_name, c.connection))
	   END AS attribution,
	   c.disclaimer, c.data_as_of, l.modification_timestamp,
	   CASE WHEN c.hidden_extra IS NULL THEN l.extra ELSE l.extra - c.hidden_extra END AS extra,
	   l.standard_status = ANY (c.display_statuses) AS idx_status,
	   l.standard_status = ANY (c.vow_statuses) AS vow_status,
	   c.sold_data_display
  FROM mls_listings l
  JOIN (SELECT cn.tenant_id, cn.connection, cn.display_statuses, cn.vow_statuses,
			   cn.sold_data_display,
			   cn.mls_name,
			   t.template AS attribution_template,
			   CASE WHEN t.template NOT LIKE '%{agent}%'
						 AND (t.template NOT LIKE '%{mls}%' OR cn.mls_name IS NOT NULL)
						 AND t.template LIKE '%{office}%' AND t.template NOT LIKE '%{office}%{office}%'
					THEN split_part(replace(t.template, '{mls}', coalesce(cn.mls_name, '')), '{office}', 1)
			   END AS attribution_before,
			   split_part(replace(t.template, '{mls}', coalesce(cn.mls_name, '')), '{office}', 2)
				 AS attribution_after,
			   -- the "as of" time is the last successful run that loaded
			   -- listings (not a metadata run, nor one listing's refresh); a
			   -- disclaimer that does not place it gets it appended
			   CASE WHEN coalesce(cn.disclaimer, '') LIKE '%{as_of}%'
					THEN replace(cn.disclaimer, '{as_of}', d.as_of)
					ELSE coalesce(cn.disclaimer || ' ',
								  'Information is deemed reliable but is not guaranteed. ')
						 || 'Listing information last updated ' || d.as_of || '.'
			   END AS disclaimer,
			   st.last_load_at AS data_as_of,
			   'list_agent_email' = ANY (k.hidden_columns) AS hide_agent_email,
			   'list_agent_direct_phone' = ANY (k.hidden_columns) AS hide_agent_phone,
			   'list_office_phone' = ANY (k.hidden_columns) AS hide_office_phone,
			   k.hidden_extra
		  FROM mls_connections cn
		  LEFT JOIN mls_sync_status st
			ON st.tenant_id = cn.tenant_id AND st.connection = cn.connection
		 CROSS JOIN LATERAL (
				SELECT coalesce(cn.attribution, 'Listing courtesy of {office}.') AS template) t
		 CROSS JOIN LATERAL (
				SELECT coalesce(pg_catalog.to_char(st.last_load_at, 'YYYY-MM-DD HH24:MI TZ'),
								'at an unknown time (no sync has loaded its listings yet)') AS as_of) d
		 CROSS JOIN LATERAL (
				-- confidential: marked so by the mapping, or a participants-only
				-- RESO field, among the mappings to the contact columns the views
				-- show and to extra
				SELECT coalesce(array_agg(m.target) FILTER (WHERE m.target NOT LIKE 'extra.%'),
								'{}') AS hidden_columns,
					   array_agg(substr(m.target, 7)) FILTER (WHERE m.target LIKE 'extra.%')
						 AS hidden_extra
				  FROM mls_field_mappings m
				 WHERE m.mapping_set = cn.mapping_set
				   AND (m.target LIKE 'extra.%'
						OR m.target IN ('list_agent_email', 'list_agent_direct_phone', 'list_office_phone'))
				   AND (m.confidential
						OR mls_is_confidential_field(m.source_field)
						OR (m.target LIKE 'extra.%' AND mls_is_confidential_field(substr(m.target, 7))))) k
		 -- the connections of the tenants the reader may see, and so (inner
		 -- join) their listings only: tested once per connection, not per row
		 WHERE (SELECT mls_is_global_admin())
			OR cn.tenant_id IN (SELECT ta.tenant_id FROM mls_tenant_access ta WHERE ta.level >= 0)
		-- computed once per connection, not folded into the listings' rows
		OFFSET 0
	   ) c ON c.tenant_id = l.tenant_id AND c.connection = l.connection
 CROSS JOIN LATERAL (SELECT l.internet_address_display_yn IS NOT FALSE AS shown) a
 WHERE l.removed_at IS NULL
   AND l.conflict IS NULL
   -- InternetEntireListingDisplayYN = false: the seller kept the listing off
   -- the internet altogether
   AND l.internet_entire_listing_display_yn IS NOT FALSE;

COMMENT ON VIEW mls_display_base IS 'private: the displayable listings and columns behind mls_idx_listings and mls_vow_listings';

REVOKE ALL ON mls_display_base FROM PUBLIC;

-- API: Public.  Listings for an IDX display (the public internet).
CREATE VIEW mls_idx_listings WITH (security_barrier) AS
SELECT b.tenant_id, b.connection, b.listing_key, b.listing_id,
	   b.standard_status, b.mls_status, b.property_type, b.property_sub_type,
	   b.list_price,
	   CASE WHEN b.sold_data_display = 'idx_and_vow' THEN b.close_price END AS close_price,
	   CASE WHEN b.sold_data_display = 'idx_and_vow' THEN b.close_date END AS close_date,
	   b.listing_contract_date, b.on_market_date, b.days_on_market,
	   b.bedrooms_total, b.bathrooms_total_integer, b.bathrooms_full, b.bathrooms_half,
	   b.living_area, b.living_area_units, b.lot_size_area, b.lot_size_units, b.lot_size_acres,
	   b.lot_size_square_feet, b.year_built, b.stories_total, b.garage_spaces,
	   b.heating, b.cooling, b.association_fee, b.tax_annual_amount,
	   b.address_displayed, b.unparsed_address, b.street_number, b.street_dir_prefix,
	   b.street_name, b.street_suffix, b.street_dir_suffix, b.unit_number,
	   b.city, b.state_or_province, b.postal_code, b.county_or_parish, b.subdivision_name,
	   b.country, b.latitude, b.longitude, b.parcel_number,
	   b.public_remarks, b.virtual_tour_url_unbranded, b.photos_count, b.photos_change_timestamp,
	   mls_display_media(b.tenant_id, b.connection, b.listing_key, 'idx') AS media,
	   b.avm_display_allowed, b.consumer_comments_allowed,
	   b.list_office_name, b.list_office_mls_id, b.list_office_phone,
	   b.list_agent_full_name, b.list_agent_mls_id, b.list_agent_email, b.list_agent_direct_phone,
	   b.mls_name, b.attribution, b.disclaimer, b.data_as_of, b.modification_timestamp,
	   b.extra
  FROM mls_display_base b
 WHERE b.idx_status;

COMMENT ON VIEW mls_idx_listings IS 'listings an IDX display (the public) may show, with the columns it may show and the attribution and disclaimer it must (docs/display.md)';

-- API: Public.  Listings for a VOW (consumers registered with a broker):
-- IDX plus the VOW statuses, sold data where the connection allows it and
-- the listing's price and status history dates.
CREATE VIEW mls_vow_listings WITH (security_barrier) AS
SELECT b.tenant_id, b.connection, b.listing_key, b.listing_id,
	   b.standard_status, b.mls_status, b.property_type, b.property_sub_type,
	   b.list_price, b.original_list_price, b.previous_list_price,
	   CASE WHEN b.sold_data_display <> 'none' THEN b.close_price END AS close_price,
	   CASE WHEN b.sold_data_display <> 'none' THEN b.close_date END AS close_date,
	   b.listing_contract_date, b.on_market_date, b.off_market_date, b.purchase_contract_date,
	   b.days_on_market, b.cumulative_days_on_market,
	   b.bedrooms_total, b.bathrooms_total_integer, b.bathrooms_full, b.bathrooms_half,
	   b.living_area, b.living_area_units, b.lot_size_area, b.lot_size_units, b.lot_size_acres,
	   b.lot_size_square_feet, b.year_built, b.stories_total, b.garage_spaces,
	   b.heating, b.cooling, b.association_fee, b.tax_annual_amount,
	   b.address_displayed, b.unparsed_address, b.street_number, b.street_dir_prefix,
	   b.street_name, b.street_suffix, b.street_dir_suffix, b.unit_number,
	   b.city, b.state_or_province, b.postal_code, b.county_or_parish, b.subdivision_name,
	   b.country, b.latitude, b.longitude, b.parcel_number,
	   b.public_remarks, b.virtual_tour_url_unbranded, b.photos_count, b.photos_change_timestamp,
	   mls_display_media(b.tenant_id, b.connection, b.listing_key, 'vow') AS media,
	   b.avm_display_allowed, b.consumer_comments_allowed,
	   b.list_office_name, b.list_office_mls_id, b.list_office_phone,
	   b.list_agent_full_name, b.list_agent_mls_id, b.list_agent_email, b.list_agent_direct_phone,
	   b.mls_name, b.attribution, b.disclaimer, b.data_as_of, b.modification_timestamp,
	   b.extra
  FROM mls_display_base b
 WHERE b.vow_status;

COMMENT ON VIEW mls_vow_listings IS 'listings a VOW may show its registered consumers: the VOW statuses, sold data where allowed, with attribution and disclaimer (docs/display.md)';

GRANT SELECT ON mls_idx_listings, mls_vow_listings TO PUBLIC;
