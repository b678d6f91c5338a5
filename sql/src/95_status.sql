-- mlsync install script, part 95: the status of every connection at a
-- glance, defined once, after every part whose tables and functions it
-- reads (sync state, RETS time zones of part 55, the schedules, operational
-- alerts and controls of parts 45 to 47, the media of part 70).  New
-- columns go at the end.

-- One row per connection, for an admin screen.
CREATE VIEW mls_status WITH (security_invoker = true) AS
SELECT c.tenant_id, c.connection, c.protocol, c.enabled,
	   CASE
		   WHEN NOT c.enabled THEN 'disabled'
		   WHEN EXISTS (SELECT 1 FROM mls_sync_queue q WHERE q.tenant_id = c.tenant_id
						   AND q.connection = c.connection AND q.state = 'running') THEN 'running'
		   WHEN EXISTS (SELECT 1 FROM mls_sync_queue q WHERE q.tenant_id = c.tenant_id
						   AND q.connection = c.connection) THEN 'queued'
		   WHEN s.consecutive_failures > 0 THEN 'failing'
		   ELSE 'idle'
	   END AS state,
	   s.last_success_at,
	   now() - s.last_load_at AS lag,
	   s.watermark_ts,
	   s.consecutive_failures,
	   s.last_error,
	   (SELECT count(*) FROM mls_sync_errors e
		 WHERE e.tenant_id = c.tenant_id AND e.connection = c.connection
		   AND e.occurred_at > now() - interval '24 hours') AS errors_24h,
	   -- the earlier of the incremental schedule's next time and a queued
	   -- run's (a retry waiting for its time, a request waiting for a worker)
	   CASE WHEN c.enabled THEN
		   least(mls_cron_next(sched.incremental_schedule, now()), queued.due_at)
	   END AS next_run_at,
	   c.disabled_reason,
	   -- 0.2.0 (new columns go last)
	   CASE WHEN c.protocol = 'rets' THEN mls_rets_timezone_mismatch(c.tenant_id, c.connection)
	   END AS timezone_warning,
	   -- operations (sql/src/45_schedule.sql, 46_operations.sql, 47_controls.sql)
	   sched.incremental_schedule,
	   c.reconcile_schedule,
	   c.reconcile_mode,
	   CASE WHEN c.enabled THEN mls_cron_next(c.reconcile_schedule, now()) END AS next_reconcile_at,
	   last_scheduled.run_id AS last_scheduled_run_id,
	   last_scheduled.state AS last_scheduled_state,
	   coalesce(last_scheduled.finished_at, last_scheduled.started_at) AS last_scheduled_at,
	   (SELECT count(*) FROM mls_listings l
		 WHERE l.tenant_id = c.tenant_id AND l.connection = c.connection
		   AND l.removed_at IS NULL) AS listings,
	   c.max_listings,
	   (SELECT count(*) FROM mls_listing_exclusions x
		 WHERE x.tenant_id = c.tenant_id AND x.connection = c.connection) AS excluded_listings,
	   (SELECT count(*) FROM mls_skipped_records k
		 WHERE k.tenant_id = c.tenant_id AND k.connection = c.connection) AS skipped_records,
	   ARRAY(SELECT a.condition FROM mls_alert_state a
			  WHERE a.tenant_id = c.tenant_id AND a.connection = c.connection
			  ORDER BY a.condition) AS alerts,
	   -- media (sql/src/70_media.sql)
	   coalesce(md.pending, 0) AS media_pending,
	   coalesce(md.stored, 0) AS media_stored,
	   coalesce(md.failed, 0) AS media_failed,
	   coalesce(md.bytes, 0) AS media_bytes,
	   -- the last success of a run that loaded listings, which lag counts from
	   s.last_load_at
  FROM mls_connections c
  LEFT JOIN mls_sync_status s USING (tenant_id, connection)
 CROSS JOIN LATERAL (
		SELECT coalesce(c.sync_schedule, mls_interval_to_cron(c.sync_interval)) AS incremental_schedule) sched
  LEFT JOIN LATERAL (
		SELECT min(greatest(q.not_before, now())) AS due_at FROM mls_sync_queue q
		 WHERE q.tenant_id = c.tenant_id AND q.connection = c.connection
		   AND q.state = 'queued') queued ON true
  LEFT JOIN LATERAL (
		SELECT h.run_id, h.state, h.started_at, h.finished_at FROM mls_sync_history h
		 WHERE h.tenant_id = c.tenant_id AND h.connection = c.connection
		   AND h.trigger = 'scheduled'
		 ORDER BY h.run_id DESC LIMIT 1) last_scheduled ON true
  LEFT JOIN LATERAL (
		SELECT count(*) FILTER (WHERE x.state = 'pending') AS pending,
			   count(*) FILTER (WHERE x.state = 'stored') AS stored,
			   count(*) FILTER (WHERE x.state = 'failed') AS failed,
			   sum(x.bytes) FILTER (WHERE x.state = 'stored') AS bytes
		  FROM mls_media x
		 WHERE x.tenant_id = c.tenant_id AND x.connection = c.connection) md ON true;

COMMENT ON VIEW mls_status IS 'one row per connection: state, last success, lag, errors in the last 24 hours, next run (from its cron schedule), time zone warning, last scheduled run, listings and cap, exclusions, skipped records, alerts raised, media pending, stored and failed, bytes stored, last load';

-- A view that runs with the reader's rights (the tables' policies apply).
GRANT SELECT ON mls_status TO PUBLIC;
