-- mlsync install script, part 56: the status of every connection at a
-- glance (after part 55: it shows what RETS metadata says of time zones).

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
	   now() - s.last_success_at AS lag,
	   s.watermark_ts,
	   s.consecutive_failures,
	   s.last_error,
	   (SELECT count(*) FROM mls_sync_errors e
		 WHERE e.tenant_id = c.tenant_id AND e.connection = c.connection
		   AND e.occurred_at > now() - interval '24 hours') AS errors_24h,
	   CASE WHEN c.enabled THEN
		   greatest(coalesce(s.last_success_at + c.sync_interval, now()), s.next_attempt_at)
	   END AS next_run_at,
	   c.disabled_reason,
	   -- 0.2.0 (new columns go last)
	   CASE WHEN c.protocol = 'rets' THEN mls_rets_timezone_mismatch(c.tenant_id, c.connection)
	   END AS timezone_warning
  FROM mls_connections c
  LEFT JOIN mls_sync_status s USING (tenant_id, connection);

COMMENT ON VIEW mls_status IS 'one row per connection: state, last success, lag, errors in the last 24 hours, next run';
