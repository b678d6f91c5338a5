-- mlsync install script, part 34: time-based events
-- (docs/features.md F13, F21).
--
-- dom_milestone and expiration_passed happen with the calendar, not with a
-- write, so a schedule calls mls_detect_time_events() (daily, say).  It may
-- run any number of times, concurrently too: each event is first claimed in
-- mls_time_event_marks, whose primary key lets one run win, and only claims
-- that were new become events.

-- API: Private.  The first day of a listing's current run on the market: the
-- day it last came back on market (the effective time of the last status
-- change that was a back_on_market, see mls_status_event_kind), else the
-- day it went on market (on_market_date, else listing_contract_date, else
-- the day of original_entry_timestamp, else the day mlsync first saw it).
CREATE FUNCTION mls_listing_run_start(tenant text, connection text, listing_key text,
									  on_market_date date, listing_contract_date date,
									  original_entry_timestamp timestamptz,
									  first_seen_at timestamptz)
RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(
	(SELECT h.effective_at::date
	   FROM mlsync.mls_listing_history h
	  WHERE h.tenant_id = mls_listing_run_start.tenant
		AND h.connection = mls_listing_run_start.connection
		AND h.listing_key = mls_listing_run_start.listing_key
		AND h.change = 'status'
		AND mlsync.mls_status_event_kind(h.old_status, h.new_status) = 'back_on_market'
	  ORDER BY h.effective_at DESC
	  LIMIT 1),
	on_market_date, listing_contract_date, original_entry_timestamp::date, first_seen_at::date);

-- API: Public.  Detects the time-based events due on as_of (default: today
-- in the session's time zone) for one tenant or all, and returns how many
-- events it raised.
--  * dom_milestone: an Active listing has been on the market for at least
--    one of its tenant's dom_milestones days in its current run (days on
--    market = as_of - mls_listing_run_start).  Each milestone is raised once
--    per run; when several are reached at once (a first run of the
--    detection, or a gap), only the highest is raised and the lower ones are
--    marked as passed.
--  * expiration_passed: a listing whose status is still Active or Active
--    Under Contract has an expiration_date before as_of.  Raised once per
--    expiration date, so an extended listing that expires again is raised again.
-- Only tenants the caller may operate are looked at; the events count in
-- mls_usage.
CREATE FUNCTION mls_detect_time_events(tenant text DEFAULT NULL, as_of date DEFAULT current_date)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	dom_events bigint;
	expiration_events bigint;
	dom_ids bigint[];
	expiration_ids bigint[];
	tenants text[];
BEGIN
	IF as_of IS NULL THEN
		RAISE EXCEPTION 'as_of must not be null'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF tenant IS NOT NULL THEN
		PERFORM mlsync.mls_require_tenant_privilege(tenant, 'operate', 'detecting time-based events');
	END IF;
	SELECT array_agg(m.tenant_id) INTO tenants
	  FROM mlsync.mls_my_tenants m
	 WHERE mlsync.mls_privilege_level(m.privilege) >= mlsync.mls_privilege_level('operate')
	   AND (tenant IS NULL OR m.tenant_id = tenant);

	WITH running AS (
		SELECT l.tenant_id, l.connection, l.listing_key, t.dom_milestones,
			   mlsync.mls_listing_run_start(l.tenant_id, l.connection, l.listing_key,
											l.on_market_date, l.listing_contract_date,
											l.original_entry_timestamp, l.first_seen_at) AS run_start
		  FROM mlsync.mls_listings l
		  JOIN mlsync.mls_tenants t ON t.tenant_id = l.tenant_id
		 WHERE l.standard_status = 'Active' AND l.removed_at IS NULL
		   AND l.tenant_id = ANY (tenants)
	),
	reached AS (
		SELECT r.tenant_id, r.connection, r.listing_key, r.run_start, m.milestone
		  FROM running r
		  CROSS JOIN LATERAL unnest(r.dom_milestones) AS m(milestone)
		 WHERE as_of - r.run_start >= m.milestone
	),
	marked AS (
		INSERT INTO mlsync.mls_time_event_marks AS k
			(tenant_id, connection, listing_key, kind, mark_date, milestone)
		SELECT r.tenant_id, r.connection, r.listing_key, 'dom_milestone', r.run_start, r.milestone
		  FROM reached r
		ON CONFLICT DO NOTHING
		RETURNING k.tenant_id, k.connection, k.listing_key, k.mark_date, k.milestone
	),
	highest AS (
		SELECT DISTINCT ON (m.tenant_id, m.connection, m.listing_key) m.*
		  FROM marked m
		 ORDER BY m.tenant_id, m.connection, m.listing_key, m.milestone DESC
	),
	raised AS (
		INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
		SELECT h.tenant_id, 'dom_milestone', h.connection, h.listing_key,
			   jsonb_build_object('milestone', h.milestone, 'days_on_market', as_of - h.mark_date,
								  'run_started_on', h.mark_date, 'as_of', as_of)
		  FROM highest h
		 ORDER BY h.tenant_id, h.connection, h.listing_key
		RETURNING event_id
	)
	SELECT count(*), array_agg(r.event_id ORDER BY r.event_id) INTO dom_events, dom_ids FROM raised r;
	PERFORM mlsync.mls_events_fanout_untriggered(dom_ids);

	WITH due AS (
		SELECT l.tenant_id, l.connection, l.listing_key, l.expiration_date, l.standard_status
		  FROM mlsync.mls_listings l
		 WHERE l.standard_status IN ('Active', 'Active Under Contract') AND l.removed_at IS NULL
		   AND l.expiration_date < as_of
		   AND l.tenant_id = ANY (tenants)
	),
	marked AS (
		INSERT INTO mlsync.mls_time_event_marks AS k
			(tenant_id, connection, listing_key, kind, mark_date)
		SELECT d.tenant_id, d.connection, d.listing_key, 'expiration_passed', d.expiration_date
		  FROM due d
		ON CONFLICT DO NOTHING
		RETURNING k.tenant_id, k.connection, k.listing_key, k.mark_date
	),
	raised AS (
		INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
		SELECT m.tenant_id, 'expiration_passed', m.connection, m.listing_key,
			   jsonb_build_object('expiration_date', m.mark_date, 'status', d.standard_status,
								  'as_of', as_of)
		  FROM marked m
		  JOIN due d USING (tenant_id, connection, listing_key)
		 ORDER BY m.tenant_id, m.connection, m.listing_key
		RETURNING event_id
	)
	SELECT count(*), array_agg(r.event_id ORDER BY r.event_id)
	  INTO expiration_events, expiration_ids FROM raised r;
	PERFORM mlsync.mls_events_fanout_untriggered(expiration_ids);

	PERFORM mlsync.mls_usage_record_events();
	RETURN dom_events + expiration_events;
END
$$;

COMMENT ON FUNCTION mls_detect_time_events(text, date) IS
'raise the dom_milestone and expiration_passed events due on as_of; safe to run any number of times';
