-- mlsync install script, part 45: pg_cron schedules (docs/features.md F21).
--
-- mls_schedule(tenant) makes the tenant's pg_cron jobs match its
-- connections: an incremental sync per connection at its sync_schedule (a
-- cron expression with a time of day) or, without one, at its
-- sync_interval; the weekly catch-all per connection at its
-- reconcile_schedule (a reconciliation, or a full re-sync when its
-- reconcile_mode says so); the tenant's health check (operational alerts
-- that need no run to happen, such as sync_stale) and time-based event
-- detection; and two jobs shared by every tenant, the statistics refresh
-- and the pruning of old records (retention).  Jobs are named
-- mlsync:<tenant>:<connection>:<kind>, mlsync:<tenant>:<kind> and
-- mlsync:<kind>, so a second call updates them instead of adding more.
-- market_stats covers every tenant, so its refresh is one job, mlsync:stats,
-- shared by all tenants, as is mlsync:prune.
--
-- Syncs are queued through mls_sync_scheduled(), as scheduled runs: the
-- launcher starts manual requests first.
--
-- The work is done by SECURITY DEFINER functions (mls_schedule_unchecked,
-- mls_unschedule_unchecked), which the public mls_schedule and
-- mls_unschedule call once the caller may operate the tenant
-- (src/tenancy/tenancy.c): pg_cron runs a job as the role that scheduled it,
-- so every mlsync job belongs to the extension's owner, whoever asks; this
-- is also the role the refresh of market_stats needs.  pg_cron is optional:
-- it is looked up when these functions run, not when mlsync is installed.

-- API: Public.  The first time after "after" that a cron schedule fires, in
-- the zone pg_cron reads schedules in (cron.timezone, else GMT); NULL when
-- it never does.  A schedule pg_cron would refuse is an error that says
-- why (src/ops/cron.c).
CREATE FUNCTION mls_cron_next(schedule text, after timestamptz DEFAULT now(), zone text DEFAULT NULL)
RETURNS timestamptz
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_cron_next$$;

COMMENT ON FUNCTION mls_cron_next(text, timestamptz, text) IS
'the first time after "after" a cron schedule fires (in cron.timezone, else GMT); errors on a schedule pg_cron would refuse';

-- API: Private.  Whether pg_cron would take a schedule.
CREATE FUNCTION mls_cron_is_valid(schedule text)
RETURNS boolean
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', $$mls_cron_is_valid$$;

-- A connection's schedules are read by mls_status and the jobs: a direct
-- write cannot store one pg_cron would refuse either (mls_connect says why).
ALTER TABLE mls_connections
	ADD CONSTRAINT mls_connections_schedules_cron
	CHECK (mls_cron_is_valid(reconcile_schedule)
		   AND (sync_schedule IS NULL OR mls_cron_is_valid(sync_schedule)));

-- API: Private.  Turns a sync interval into a pg_cron schedule.  pg_cron
-- (1.4, Debian 12) takes cron syntax only, so an interval becomes the nearest
-- even spacing not longer than asked: minutes that divide an hour, hours that
-- divide a day, then daily, weekly or monthly.
CREATE FUNCTION mls_interval_to_cron(every interval)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	minutes bigint := floor(extract(epoch FROM every) / 60);
	step integer;
BEGIN
	IF minutes < 1 THEN
		RAISE EXCEPTION 'sync interval % is shorter than a minute', every
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF minutes < 60 THEN
		SELECT max(d) INTO step FROM unnest(ARRAY[1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30]) d WHERE d <= minutes;
		RETURN CASE WHEN step = 1 THEN '* * * * *' ELSE format('*/%s * * * *', step) END;
	ELSIF minutes < 1440 THEN
		SELECT max(d) INTO step FROM unnest(ARRAY[1, 2, 3, 4, 6, 8, 12]) d WHERE d <= minutes / 60;
		RETURN CASE WHEN step = 1 THEN '0 * * * *' ELSE format('0 */%s * * *', step) END;
	ELSIF minutes < 7 * 1440 THEN
		RETURN '0 0 * * *';
	ELSIF minutes < 28 * 1440 THEN
		RETURN '0 0 * * 0';
	END IF;
	RETURN '0 0 1 * *';
END
$$;

COMMENT ON FUNCTION mls_interval_to_cron(interval) IS
'the pg_cron schedule of a sync interval: the nearest even spacing not longer than the interval';

-- API: Private.  The jobs a tenant should have: name, schedule, command;
-- the shared jobs (mlsync:stats, mlsync:prune) are among them.
CREATE FUNCTION mls_schedule_jobs(tenant text, stats_schedule text, time_events_schedule text,
								  health_schedule text, prune_schedule text)
RETURNS TABLE (job_name text, schedule text, command text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT format('mlsync:%s:%s:incremental', c.tenant_id, c.connection),
		   coalesce(c.sync_schedule, mlsync.mls_interval_to_cron(c.sync_interval)),
		   format('SELECT mlsync.mls_sync_scheduled(%L, %L, %L)', c.tenant_id, c.connection, 'incremental')
	  FROM mlsync.mls_connections c
	 WHERE c.tenant_id = mls_schedule_jobs.tenant AND c.enabled
	UNION ALL
	SELECT format('mlsync:%s:%s:reconcile', c.tenant_id, c.connection),
		   c.reconcile_schedule,
		   format('SELECT mlsync.mls_sync_scheduled(%L, %L, %L)', c.tenant_id, c.connection, c.reconcile_mode)
	  FROM mlsync.mls_connections c
	 WHERE c.tenant_id = mls_schedule_jobs.tenant AND c.enabled
	UNION ALL
	SELECT format('mlsync:%s:health', mls_schedule_jobs.tenant),
		   mls_schedule_jobs.health_schedule,
		   format('SELECT mlsync.mls_check_health(%L)', mls_schedule_jobs.tenant)
	UNION ALL
	SELECT format('mlsync:%s:time-events', mls_schedule_jobs.tenant),
		   mls_schedule_jobs.time_events_schedule,
		   format('SELECT mlsync.mls_detect_time_events(%L)', mls_schedule_jobs.tenant)
	UNION ALL
	SELECT 'mlsync:stats', mls_schedule_jobs.stats_schedule, 'SELECT mlsync.mls_refresh_stats()'
	UNION ALL
	SELECT 'mlsync:prune', mls_schedule_jobs.prune_schedule, 'SELECT count(*) FROM mlsync.mls_prune()';
END;

-- API: Private.  Raises a clear error when pg_cron cannot be used here.
CREATE FUNCTION mls_require_pg_cron()
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cron_db text := current_setting('cron.database_name', true);
BEGIN
	IF cron_db IS NULL THEN
		RAISE EXCEPTION 'pg_cron is not loaded'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = format('Add pg_cron to shared_preload_libraries, set cron.database_name = %L, restart the server and run CREATE EXTENSION pg_cron in database %s.',
								current_database(), current_database());
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
		IF cron_db = current_database() THEN
			RAISE EXCEPTION 'extension pg_cron is not installed in database "%"', current_database()
				USING ERRCODE = 'object_not_in_prerequisite_state',
					  HINT = 'Run CREATE EXTENSION pg_cron in this database.';
		END IF;
		RAISE EXCEPTION 'pg_cron works in database "%", not in "%"', cron_db, current_database()
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = format('Set cron.database_name = %L and restart the server, or install mlsync in database %s.',
								current_database(), cron_db);
	END IF;
END
$$;

-- API: Public.  Creates, updates or removes the tenant's pg_cron jobs so that
-- they match its enabled connections; creates the shared statistics and
-- pruning jobs, or sets their schedules (NULL: a shared job keeps its
-- schedule, or is created with the default, 30 2 * * * and 45 3 * * *).
-- Returns every job of the tenant (and the shared ones) with what was done
-- to it: created, updated, unchanged or removed.  Every schedule is checked
-- before any job is touched.
CREATE FUNCTION mls_schedule_unchecked(tenant text,
									   stats_schedule text DEFAULT NULL,
									   time_events_schedule text DEFAULT '15 0 * * *',
									   health_schedule text DEFAULT '*/10 * * * *',
									   prune_schedule text DEFAULT NULL)
RETURNS TABLE (job_name text, schedule text, command text, action text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	want record;
	have record;
	exists_now boolean;
	shared_stats text := mls_schedule_unchecked.stats_schedule;
	shared_prune text := mls_schedule_unchecked.prune_schedule;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM mlsync.mls_tenants t WHERE t.tenant_id = mls_schedule_unchecked.tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', mls_schedule_unchecked.tenant
			USING ERRCODE = 'undefined_object',
				  HINT = 'Create it with mlsync.mls_create_tenant().';
	END IF;
	IF mls_schedule_unchecked.time_events_schedule IS NULL OR mls_schedule_unchecked.health_schedule IS NULL THEN
		RAISE EXCEPTION 'schedules must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Only stats_schedule and prune_schedule may be NULL: the shared jobs keep theirs.';
	END IF;
	-- raises on the first schedule pg_cron would refuse, saying why
	PERFORM mlsync.mls_cron_next(j.schedule)
	   FROM mlsync.mls_schedule_jobs(mls_schedule_unchecked.tenant,
									 coalesce(shared_stats, '30 2 * * *'),
									 mls_schedule_unchecked.time_events_schedule, mls_schedule_unchecked.health_schedule,
									 coalesce(shared_prune, '45 3 * * *')) j;
	PERFORM mlsync.mls_require_pg_cron();
	-- the shared jobs serve every tenant: kept as they are unless asked
	shared_stats := coalesce(shared_stats,
							 (SELECT j.schedule FROM cron.job j
							   WHERE j.jobname = 'mlsync:stats' AND j.username = current_user),
							 '30 2 * * *');
	shared_prune := coalesce(shared_prune,
							 (SELECT j.schedule FROM cron.job j
							   WHERE j.jobname = 'mlsync:prune' AND j.username = current_user),
							 '45 3 * * *');

	FOR want IN SELECT * FROM mlsync.mls_schedule_jobs(mls_schedule_unchecked.tenant, shared_stats,
													   mls_schedule_unchecked.time_events_schedule,
													   mls_schedule_unchecked.health_schedule,
													   shared_prune) j
				ORDER BY j.job_name
	LOOP
		SELECT j.schedule, j.command, j.database INTO have
		  FROM cron.job j
		 WHERE j.jobname = want.job_name AND j.username = current_user;
		exists_now := FOUND;
		job_name := want.job_name; schedule := want.schedule; command := want.command;
		IF exists_now AND have.schedule = want.schedule AND have.command = want.command
		   AND have.database = current_database() THEN
			action := 'unchanged';
		ELSE
			-- cron.schedule updates a job of the same name and owner in place
			PERFORM cron.schedule(want.job_name, want.schedule, want.command);
			action := CASE WHEN exists_now THEN 'updated' ELSE 'created' END;
		END IF;
		RETURN NEXT;
	END LOOP;

	-- jobs of connections that were deleted or disabled
	FOR have IN SELECT j.jobname, j.schedule, j.command FROM cron.job j
				 WHERE j.username = current_user
				   AND starts_with(j.jobname, 'mlsync:' || mls_schedule_unchecked.tenant || ':')
				   AND j.jobname NOT IN (SELECT s.job_name
										   FROM mlsync.mls_schedule_jobs(mls_schedule_unchecked.tenant, '', '', '', '') s)
				 ORDER BY j.jobname
	LOOP
		PERFORM cron.unschedule(have.jobname::name);
		job_name := have.jobname; schedule := have.schedule; command := have.command;
		action := 'removed';
		RETURN NEXT;
	END LOOP;
END
$$;

COMMENT ON FUNCTION mls_schedule_unchecked(text, text, text, text, text) IS
'private: mls_schedule as the extension''s owner, called by mls_schedule once the caller may operate the tenant';

REVOKE ALL ON FUNCTION mls_schedule_unchecked(text, text, text, text, text) FROM PUBLIC;

-- API: Public.  Needs the operate privilege on the tenant; the work is done
-- by mls_schedule_unchecked (src/tenancy/tenancy.c checks, then calls it).
CREATE FUNCTION mls_schedule(tenant text,
							 stats_schedule text DEFAULT NULL,
							 time_events_schedule text DEFAULT '15 0 * * *',
							 health_schedule text DEFAULT '*/10 * * * *',
							 prune_schedule text DEFAULT NULL)
RETURNS TABLE (job_name text, schedule text, command text, action text)
LANGUAGE c
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_schedule_checked$$;

COMMENT ON FUNCTION mls_schedule(text, text, text, text, text) IS
'create, update or remove the pg_cron jobs of a tenant (syncs per connection, health check, time events) and create the shared statistics and pruning jobs; needs operate on the tenant, and global administration to set the shared jobs'' schedules';

-- API: Public.  Removes the tenant's jobs, and the shared jobs (mlsync:stats,
-- mlsync:prune) when no tenant has jobs left.  Returns the names of the
-- removed jobs.
CREATE FUNCTION mls_unschedule_unchecked(tenant text)
RETURNS SETOF text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	job text;
BEGIN
	PERFORM mlsync.mls_require_pg_cron();
	FOR job IN SELECT j.jobname FROM cron.job j
				WHERE j.username = current_user
				  AND starts_with(j.jobname, 'mlsync:' || tenant || ':')
				ORDER BY j.jobname
	LOOP
		PERFORM cron.unschedule(job::name);
		RETURN NEXT job;
	END LOOP;
	-- the shared jobs serve every tenant: they go with the last one
	IF NOT EXISTS (SELECT 1 FROM cron.job j
					WHERE j.username = current_user AND j.jobname ~ '^mlsync:[^:]+:') THEN
		FOR job IN SELECT j.jobname FROM cron.job j
					WHERE j.username = current_user AND j.jobname IN ('mlsync:stats', 'mlsync:prune')
					ORDER BY j.jobname
		LOOP
			PERFORM cron.unschedule(job::name);
			RETURN NEXT job;
		END LOOP;
	END IF;
END
$$;

COMMENT ON FUNCTION mls_unschedule_unchecked(text) IS
'private: mls_unschedule as the extension''s owner, called by mls_unschedule once the caller may operate the tenant';

REVOKE ALL ON FUNCTION mls_unschedule_unchecked(text) FROM PUBLIC;

-- API: Public.  Needs the operate privilege on the tenant.
CREATE FUNCTION mls_unschedule(tenant text)
RETURNS SETOF text
LANGUAGE c
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_unschedule_checked$$;

COMMENT ON FUNCTION mls_unschedule(text) IS
'remove the pg_cron jobs of a tenant (and the shared statistics and pruning jobs when no tenant has jobs left); needs operate on the tenant';
