-- mlsync install script, part 46: operational alerts and retention.
--
-- Alerts.  What an administrator must hear about a connection is raised as
-- an event of its own kind, delivered like every other event (mls_subscribe,
-- mls_events_claim, the NOTIFY): auth_failed, sync_failed, sync_slow,
-- error_rate_high, sync_stale, listing_cap_reached.  A condition is raised
-- once and stays raised, in mls_alert_state, until it clears; clearing
-- deletes the state row and raises <condition>_cleared.  Both go through
-- the state table's primary key (INSERT ... ON CONFLICT DO NOTHING, DELETE
-- ... RETURNING), so concurrent raisers (a run's end, the health check)
-- raise one event, never two.
--
-- Who raises what:
--  * the end of every run (mls_run_alerts, called by the sync's bookkeeping
--    in src/engine/store.c, in the run's last transaction): auth_failed,
--    sync_failed, sync_slow, error_rate_high, listing_cap_reached, and their
--    clearing; a success clears sync_stale;
--  * a run that goes on longer than its connection's alert_slow_after
--    raises sync_slow from the batch that crosses it (store.c);
--  * the health check (mls_check_health, a pg_cron job of mls_schedule):
--    sync_stale, which must be found when nothing runs at all, and
--    sync_slow for runs still running.
-- connection_disabled (store.c) stays what it was: one event when the
-- connection is disabled.
--
-- Retention.  mls_prune() deletes the sync's records older than the
-- retention settings (mlsync.sync_errors_retention,
-- mlsync.sync_history_retention, mlsync.events_retention); mls_schedule's
-- job mlsync:prune runs it daily.

-- API: Private.  A duration in seconds (milliseconds kept), as alert payloads
-- give durations: a number reads the same whatever the session's
-- IntervalStyle.
CREATE FUNCTION mls_seconds(duration interval) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN trim_scale(round(extract(epoch FROM duration), 3));

-- The conditions raised now, one row per connection and condition.
CREATE TABLE mls_alert_state (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	condition		text NOT NULL
					CHECK (condition IN ('auth_failed', 'sync_failed', 'sync_slow', 'error_rate_high',
										 'sync_stale', 'listing_cap_reached')),
	raised_at		timestamptz NOT NULL,
	event_id		bigint NOT NULL,
	run_id			bigint,
	payload			jsonb NOT NULL,
	PRIMARY KEY (tenant_id, connection, condition),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections ON DELETE CASCADE
);

COMMENT ON TABLE mls_alert_state IS 'operational alert conditions raised and not yet cleared, one per connection and condition';
COMMENT ON COLUMN mls_alert_state.event_id IS 'the event that raised the condition';

SELECT pg_catalog.pg_extension_config_dump('mls_alert_state', '');

-- API: Private.  Raises a condition of a connection unless it is raised
-- already: records it and inserts the event of the same kind, whose payload
-- is the given one with condition and raised_at.  Returns the event id, or
-- NULL when the condition was raised already.
CREATE FUNCTION mls_alert_raise(tenant text, connection text, condition text, payload jsonb,
								at timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	id bigint;
BEGIN
	WITH raised AS (
		INSERT INTO mlsync.mls_alert_state AS a
			(tenant_id, connection, condition, raised_at, event_id, run_id, payload)
		VALUES (tenant, connection, condition, at, nextval('mlsync.mls_events_event_id_seq'),
				(payload ->> 'run_id')::bigint, payload)
		ON CONFLICT DO NOTHING
		RETURNING a.*
	)
	INSERT INTO mlsync.mls_events (event_id, tenant_id, kind, connection, payload)
	OVERRIDING SYSTEM VALUE
	SELECT r.event_id, r.tenant_id, r.condition, r.connection,
		   r.payload || jsonb_build_object('condition', r.condition, 'raised_at', r.raised_at)
	  FROM raised r
	RETURNING event_id INTO id;
	PERFORM mlsync.mls_events_fanout_untriggered(ARRAY[id]);
	RETURN id;
END
$$;

-- API: Private.  Clears a raised condition: forgets it and inserts
-- <condition>_cleared, whose payload is the given one with condition,
-- raised_at, the raising event's id and how long it lasted.  Returns the
-- event id, or NULL when the condition was not raised.
CREATE FUNCTION mls_alert_clear(tenant text, connection text, condition text, payload jsonb,
								at timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	id bigint;
BEGIN
	WITH cleared AS (
		DELETE FROM mlsync.mls_alert_state a
		 WHERE a.tenant_id = tenant AND a.connection = connection AND a.condition = condition
		RETURNING a.*
	)
	INSERT INTO mlsync.mls_events (tenant_id, kind, connection, payload)
	SELECT c.tenant_id, c.condition || '_cleared', c.connection,
		   payload || jsonb_build_object('condition', c.condition, 'raised_at', c.raised_at,
										 'raised_event_id', c.event_id,
										 'lasted_seconds', mlsync.mls_seconds(at - c.raised_at))
	  FROM cleared c
	RETURNING event_id INTO id;
	PERFORM mlsync.mls_events_fanout_untriggered(ARRAY[id]);
	RETURN id;
END
$$;

-- API: Private.  The alerts of a run that ended (its history row and, after
-- a failure, its error row written): called by the sync's bookkeeping in the
-- run's last transaction, with the time it ended.
--  * failed: auth_failed when it failed authenticating, sync_failed in any
--    case (a run fails once its request retries are spent, or on an error no
--    retry cures; the connection's automatic retry, if any, is in the
--    payload);
--  * succeeded: clears auth_failed, and sync_failed and sync_stale when
--    the run loads listings (full, incremental, reconcile): a metadata run
--    or one listing's refresh succeeding while the syncs fail would make
--    sync_failed flap;
--  * longer than alert_slow_after: sync_slow; a success within it clears it;
--  * with records seen, more than alert_error_rate_pct of them skipped:
--    error_rate_high; a success within it clears it;
--  * new listings left out for the connection's max_listings:
--    listing_cap_reached; a success once the connection is below its cap
--    (or has none) clears it.
-- Canceled and interrupted runs raise and clear nothing.
CREATE FUNCTION mls_run_alerts(tenant text, run_id bigint, at timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	h mlsync.mls_sync_history;
	c mlsync.mls_connections;
	s mlsync.mls_sync_status;
	f mlsync.mls_sync_errors;
	run jsonb;
	rate numeric;
	listings bigint;
BEGIN
	SELECT * INTO h FROM mlsync.mls_sync_history x WHERE x.tenant_id = tenant AND x.run_id = run_id;
	IF NOT FOUND OR h.state NOT IN ('succeeded', 'failed') THEN
		RETURN;
	END IF;
	SELECT * INTO c FROM mlsync.mls_connections x
	 WHERE x.tenant_id = tenant AND x.connection = h.connection;
	SELECT * INTO s FROM mlsync.mls_sync_status x
	 WHERE x.tenant_id = tenant AND x.connection = h.connection;
	run := jsonb_build_object('run_id', h.run_id, 'mode', h.mode, 'trigger', h.trigger);

	IF h.state = 'failed' THEN
		SELECT * INTO f FROM mlsync.mls_sync_errors e
		 WHERE e.tenant_id = tenant AND e.run_id = h.run_id AND e.retry_state = 'failed'
		 ORDER BY e.error_id DESC LIMIT 1;
		IF f.category = 'auth' THEN
			PERFORM mlsync.mls_alert_raise(tenant, h.connection, 'auth_failed',
				run || jsonb_strip_nulls(jsonb_build_object('message', f.message,
															'http_status', f.http_status,
															'reply_code', f.reply_code)),
				at);
		END IF;
		PERFORM mlsync.mls_alert_raise(tenant, h.connection, 'sync_failed',
			run || jsonb_build_object('category', f.category, 'message', coalesce(f.message, h.message),
									  'consecutive_failures', s.consecutive_failures,
									  'next_attempt_at', s.next_attempt_at,
									  'connection_disabled', NOT c.enabled),
			at);
	ELSE
		-- any success proves the credentials; the syncs work again, and the
		-- listings are current again, only after a run that loads them
		PERFORM mlsync.mls_alert_clear(tenant, h.connection, 'auth_failed', run, at);
		IF h.mode IN ('full', 'incremental', 'reconcile') THEN
			PERFORM mlsync.mls_alert_clear(tenant, h.connection, x.condition, run, at)
			   FROM unnest(ARRAY['sync_failed', 'sync_stale']) x(condition);
		END IF;
	END IF;

	IF h.duration > c.alert_slow_after THEN
		PERFORM mlsync.mls_alert_raise(tenant, h.connection, 'sync_slow',
			run || jsonb_build_object('started_at', h.started_at, 'duration_seconds', mlsync.mls_seconds(h.duration),
									  'threshold_seconds', mlsync.mls_seconds(c.alert_slow_after)),
			at);
	ELSIF h.state = 'succeeded' THEN
		PERFORM mlsync.mls_alert_clear(tenant, h.connection, 'sync_slow',
			run || jsonb_build_object('duration_seconds', mlsync.mls_seconds(h.duration)), at);
	END IF;

	IF h.seen > 0 THEN
		rate := round(h.errors * 100.0 / h.seen, 2);
		IF rate > c.alert_error_rate_pct THEN
			PERFORM mlsync.mls_alert_raise(tenant, h.connection, 'error_rate_high',
				run || jsonb_build_object('seen', h.seen, 'errors', h.errors, 'error_rate_pct', rate,
										  'threshold_pct', c.alert_error_rate_pct),
				at);
		ELSIF h.state = 'succeeded' THEN
			PERFORM mlsync.mls_alert_clear(tenant, h.connection, 'error_rate_high',
				run || jsonb_build_object('seen', h.seen, 'errors', h.errors, 'error_rate_pct', rate),
				at);
		END IF;
	END IF;

	IF h.capped > 0 THEN
		PERFORM mlsync.mls_alert_raise(tenant, h.connection, 'listing_cap_reached',
			run || jsonb_build_object('max_listings', c.max_listings, 'left_out', h.capped),
			at);
	ELSIF h.state = 'succeeded' AND EXISTS (
			SELECT FROM mlsync.mls_alert_state a
			 WHERE a.tenant_id = tenant AND a.connection = h.connection
			   AND a.condition = 'listing_cap_reached') THEN
		SELECT count(*) INTO listings FROM mlsync.mls_listings l
		 WHERE l.tenant_id = tenant AND l.connection = h.connection AND l.removed_at IS NULL;
		IF c.max_listings IS NULL OR listings < c.max_listings THEN
			PERFORM mlsync.mls_alert_clear(tenant, h.connection, 'listing_cap_reached',
				run || jsonb_build_object('max_listings', c.max_listings, 'listings', listings),
				at);
		END IF;
	END IF;
	-- the alerts raised count in the tenant's usage, as a run's events do
	PERFORM mlsync.mls_usage_record_events();
END
$$;

-- API: Public (global administrators: mlsync_admin; SECURITY DEFINER, since
-- it writes every tenant's alert state).  The health check of a tenant's
-- enabled connections (or of every tenant's), for what no run's end can tell: a connection without a
-- successful run that loads listings (mls_sync_status.last_load_at) for
-- longer than its alert_stale_after (counted from its creation when it
-- never had one) raises sync_stale, one that had such a success since
-- clears it; a run still running after alert_slow_after raises
-- sync_slow.  mls_schedule runs it every 10 minutes.  Returns how many
-- events it raised.
CREATE FUNCTION mls_check_health(tenant text DEFAULT NULL, at timestamptz DEFAULT now())
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	c record;
	events bigint := 0;
BEGIN
	IF at IS NULL THEN
		RAISE EXCEPTION 'at must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	FOR c IN
		SELECT x.tenant_id, x.connection, x.alert_stale_after, x.alert_slow_after, x.created_at,
			   s.last_success_at, s.last_load_at, r.run_id AS running_run_id, r.started_at AS running_since
		  FROM mlsync.mls_connections x
		  LEFT JOIN mlsync.mls_sync_status s USING (tenant_id, connection)
		  LEFT JOIN LATERAL (
				SELECT h.run_id, h.started_at FROM mlsync.mls_sync_history h
				 WHERE h.tenant_id = x.tenant_id AND h.connection = x.connection
				   AND h.state = 'running'
				 ORDER BY h.run_id DESC LIMIT 1) r ON true
		 WHERE x.enabled AND (tenant IS NULL OR x.tenant_id = tenant)
		 ORDER BY x.tenant_id, x.connection
	LOOP
		-- stale: no run that loads listings has succeeded for that long (a
		-- metadata run or one listing's refresh leaves the rest as it was)
		IF coalesce(c.last_load_at, c.created_at) < at - c.alert_stale_after THEN
			events := events + (mlsync.mls_alert_raise(c.tenant_id, c.connection, 'sync_stale',
				jsonb_build_object('last_load_at', c.last_load_at, 'last_success_at', c.last_success_at,
								   'stale_seconds', mlsync.mls_seconds(at - coalesce(c.last_load_at, c.created_at)),
								   'threshold_seconds', mlsync.mls_seconds(c.alert_stale_after)),
				at) IS NOT NULL)::int;
		ELSE
			events := events + (mlsync.mls_alert_clear(c.tenant_id, c.connection, 'sync_stale',
				jsonb_build_object('last_load_at', c.last_load_at, 'last_success_at', c.last_success_at),
				at) IS NOT NULL)::int;
		END IF;
		IF c.running_since < at - c.alert_slow_after THEN
			events := events + (mlsync.mls_alert_raise(c.tenant_id, c.connection, 'sync_slow',
				jsonb_build_object('run_id', c.running_run_id, 'started_at', c.running_since,
								   'running_seconds', mlsync.mls_seconds(at - c.running_since),
								   'threshold_seconds', mlsync.mls_seconds(c.alert_slow_after)),
				at) IS NOT NULL)::int;
		END IF;
	END LOOP;
	PERFORM mlsync.mls_usage_record_events();
	RETURN events;
END
$$;

COMMENT ON FUNCTION mls_check_health(text, timestamptz) IS
'raise sync_stale for connections without a recent success and sync_slow for runs running too long (and clear sync_stale); returns the events raised or cleared';

-- API: Private.  A retention setting (mlsync.sync_errors_retention,
-- mlsync.sync_history_retention, mlsync.events_retention) as an interval;
-- NULL: kept forever.
CREATE FUNCTION mls_retention(what text)
RETURNS interval
LANGUAGE c STABLE STRICT
AS 'MODULE_PATHNAME', $$mls_retention$$;

-- API: Public (global administrators: mlsync_admin; SECURITY DEFINER, since
-- it deletes every tenant's records).  Deletes the sync's records older than
-- their retention:
-- errors (by when they occurred), finished runs (by when they finished, with
-- their dry-run change lists), and events no consumer still has to
-- acknowledge (mls_events_prune); and of the statistics' marks
-- (mls_stats_dirty, a row per write), the repeated ones.  The listings'
-- history, alerts, alert state, exclusions and skipped records are kept.
-- Returns what it deleted per table.
CREATE FUNCTION mls_prune()
RETURNS TABLE (table_name text, retention interval, pruned bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	table_name := 'mls_sync_errors';
	retention := mlsync.mls_retention('sync_errors');
	pruned := 0;
	IF retention IS NOT NULL THEN
		DELETE FROM mlsync.mls_sync_errors e WHERE e.occurred_at < now() - retention;
		GET DIAGNOSTICS pruned = ROW_COUNT;
	END IF;
	RETURN NEXT;

	table_name := 'mls_sync_history';
	retention := mlsync.mls_retention('sync_history');
	pruned := 0;
	IF retention IS NOT NULL THEN
		DELETE FROM mlsync.mls_sync_history h
		 WHERE h.state <> 'running' AND h.finished_at < now() - retention;
		GET DIAGNOSTICS pruned = ROW_COUNT;
	END IF;
	RETURN NEXT;

	table_name := 'mls_events';
	retention := mlsync.mls_retention('events');
	pruned := 0;
	IF retention IS NOT NULL THEN
		pruned := mlsync.mls_events_prune(retention);
	END IF;
	RETURN NEXT;

	-- A listing written again before the statistics refresh has a mark per
	-- write, and a load of a whole feed marks its connection with each
	-- batch: one mark says as much, and a connection's covers its listings'.
	-- Only while no refresh runs (its lock, src/stats/refresh.c), and with a
	-- snapshot taken after the lock (read committed): the marks kept are
	-- then the ones the next refresh takes (one it took already would be
	-- seen alive by an older snapshot, and a newer mark deleted for it).
	-- Writers only add marks.  One pass over the table, whatever its size.
	table_name := 'mls_stats_dirty';
	retention := NULL;
	pruned := 0;
	IF current_setting('transaction_isolation') = 'read committed'
	   AND mlsync.mls_stats_refresh_try_lock() THEN
		DELETE FROM mlsync.mls_stats_dirty d
		 USING (SELECT m.ctid AS row_id,
					   row_number() OVER (PARTITION BY m.tenant_id, m.connection, m.listing_key
										  ORDER BY m.ctid) AS nth,
					   bool_or(m.listing_key IS NULL)
						   OVER (PARTITION BY m.tenant_id, m.connection) AS whole_connection
				  FROM mlsync.mls_stats_dirty m) r
		 WHERE d.ctid = r.row_id
		   AND (r.nth > 1 OR (d.listing_key IS NOT NULL AND r.whole_connection));
		GET DIAGNOSTICS pruned = ROW_COUNT;
	END IF;
	RETURN NEXT;
END
$$;

COMMENT ON FUNCTION mls_prune() IS
'delete sync errors, finished runs and acknowledged events older than their retention settings, and repeated statistics marks; returns the rows deleted per table';

REVOKE ALL ON FUNCTION mls_check_health(text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_prune() FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_alert_raise(text, text, text, jsonb, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_alert_clear(text, text, text, jsonb, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_run_alerts(text, bigint, timestamptz) FROM PUBLIC;
