-- mlsync install script, part 48: what DROP EXTENSION mlsync takes with it.
--
-- Dropping the extension drops its tables, but two things live outside
-- them: the pg_cron jobs mls_schedule() created (rows of cron.job, which
-- would go on calling functions that no longer exist) and the sync workers
-- running at that moment.  An event trigger at the start of DROP EXTENSION
-- (and of DROP SCHEMA, which can take the extension with it) removes the
-- jobs and ends the workers of this database before the objects go.  The
-- jobs are removed in the dropping transaction, so a DROP that fails keeps
-- them; ending a worker cannot be undone, and a run ended so is queued
-- again as interrupted if the extension stays.  The launcher is started by
-- the server itself: it idles while the extension is absent and goes when
-- mlsync leaves shared_preload_libraries.

-- API: Private.  Whether a statement drops the extension mlsync (or its
-- schema): DROP EXTENSION / DROP SCHEMA with mlsync among the names.  An
-- event trigger at ddl_command_start sees only the command's text.
CREATE FUNCTION mls_drops_mlsync(query text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(query ~* '\mdrop\s+(extension|schema)\s+(if\s+exists\s+)?([a-z0-9_$"]+\s*,\s*)*"?mlsync"?\s*(,|;|cascade|restrict|$)', false);

-- API: Private.  Event trigger function: before DROP EXTENSION mlsync, the
-- mlsync:* pg_cron jobs of this database are unscheduled and the sync
-- workers of this database ended (waiting up to 10 s for each to exit),
-- while the queue is locked so that the launcher starts no other.
CREATE FUNCTION mls_before_drop() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	job record;
	worker record;
BEGIN
	IF NOT mlsync.mls_drops_mlsync(current_query()) THEN
		RETURN;
	END IF;
	-- The launcher reads the queue to start runs and to queue again the runs
	-- of workers that died: holding the queue until the drop commits keeps
	-- it from replacing the workers ended below.
	LOCK TABLE mlsync.mls_sync_queue IN ACCESS EXCLUSIVE MODE;
	IF to_regclass('cron.job') IS NOT NULL THEN
		FOR job IN EXECUTE
			'SELECT jobid, jobname FROM cron.job
			  WHERE starts_with(jobname, ''mlsync:'') AND database = current_database()
			  ORDER BY jobid'
		LOOP
			EXECUTE 'SELECT cron.unschedule($1)' USING job.jobid;
			RAISE NOTICE 'unscheduled pg_cron job "%"', job.jobname;
		END LOOP;
	END IF;
	FOR worker IN
		SELECT a.pid FROM pg_catalog.pg_stat_activity a
		 WHERE a.backend_type = 'mlsync worker' AND a.datname = current_database()
	LOOP
		-- warns by itself when the worker has not exited after 10 s
		PERFORM pg_catalog.pg_terminate_backend(worker.pid, 10000);
	END LOOP;
END
$$;

REVOKE ALL ON FUNCTION mls_before_drop() FROM PUBLIC;

CREATE EVENT TRIGGER mls_before_drop ON ddl_command_start
	WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
	EXECUTE FUNCTION mls_before_drop();
