-- Schedules as cron expressions with a time of day: the cron syntax pg_cron
-- reads and the next time a schedule fires; a connection's incremental sync
-- at a time of day and its weekly catch-all as a reconciliation or a full
-- re-sync (the pg_cron jobs made with those expressions and commands);
-- mls_status's next run from the cron schedule and its last scheduled run;
-- scheduled runs queued as scheduled, so that with one worker a manual
-- request made later runs first; who asked for a run, in the history.
\i test/helpers/mls_server.sql
\pset pager off
\set SHOW_CONTEXT never
SELECT mls_test.use_key_file();
SELECT mls_test.wait_for_launcher();
SET timezone = 'UTC';

-- when a schedule fires next (pg_cron 1.4 reads schedules in GMT)
SELECT schedule, after, mlsync.mls_cron_next(schedule, after) AS next,
	   mlsync.mls_cron_next(schedule, after) = expected AS ok
  FROM (VALUES
	('0 2 * * *', '2025-06-02 01:59:59+00'::timestamptz, '2025-06-02 02:00+00'::timestamptz),
	('0 2 * * *', '2025-06-02 02:00+00', '2025-06-03 02:00+00'),
	('*/15 * * * *', '2025-06-02 10:07+00', '2025-06-02 10:15+00'),
	('5,35 8-9 * * *', '2025-06-02 09:35+00', '2025-06-03 08:05+00'),
	('0 3 * * 0', '2025-06-02 12:00+00', '2025-06-08 03:00+00'),
	('0 3 * * 7', '2025-06-02 12:00+00', '2025-06-08 03:00+00'),
	('0 0 * * mon-fri', '2025-06-06 12:00+00', '2025-06-09 00:00+00'),
	('30 4 1,15 * *', '2025-06-02 00:00+00', '2025-06-15 04:30+00'),
	('0 12 13 * fri', '2025-06-02 00:00+00', '2025-06-06 12:00+00'),
	('0 12 13 * *', '2025-06-02 00:00+00', '2025-06-13 12:00+00'),
	('0 0 29 2 *', '2025-06-02 00:00+00', '2028-02-29 00:00+00'),
	('0 6 * jan-mar,dec *', '2025-06-02 00:00+00', '2025-12-01 06:00+00'),
	('0 */6 * * *', '2025-06-02 13:00+00', '2025-06-02 18:00+00'),
	('@hourly', '2025-06-02 13:20+00', '2025-06-02 14:00+00'),
	('@daily', '2025-06-02 13:20+00', '2025-06-03 00:00+00'),
	('@weekly', '2025-06-02 13:20+00', '2025-06-08 00:00+00'),
	('@monthly', '2025-06-02 13:20+00', '2025-07-01 00:00+00'),
	('@yearly', '2025-06-02 13:20+00', '2026-01-01 00:00+00')
	) AS t(schedule, after, expected);
-- in another zone, across its daylight-saving changes: 02:00 every day in
-- Chicago is 07:00 UTC in summer, 08:00 in winter; on the night clocks
-- skip 02:00 it fires at 03:00 local time (what PostgreSQL reads 02:00 as)
SELECT after, mlsync.mls_cron_next('0 2 * * *', after, 'America/Chicago') AS next
  FROM unnest(ARRAY['2025-06-02 00:00+00', '2025-12-02 00:00+00',
					'2025-03-09 06:00+00']::timestamptz[]) after;
-- a schedule that never fires has no next time; others are refused, saying why
SELECT mlsync.mls_cron_next('0 0 30 2 *', '2025-06-02') AS february_30;
\set VERBOSITY default
SELECT mlsync.mls_cron_next('0 2 * *');
SELECT mlsync.mls_cron_next('60 2 * * *');
SELECT mlsync.mls_cron_next('5/10 * * * *');
SELECT mlsync.mls_cron_next('0 5-1 * * *');
SELECT mlsync.mls_cron_next('0 0 * * mon-xyz');
SELECT mlsync.mls_cron_next('@reboot');
SELECT mlsync.mls_cron_next('0 2 * * *', zone => 'Mars/Olympus');

-- a connection syncs at a time of day, and its weekly catch-all is a full
-- re-sync instead of a reconciliation
SELECT mls_test.reset('{"mls": "sa", "listings": 30, "seed": 47, "page_max": 10}') ->> 'count' AS sa;
SELECT mls_test.reset('{"mls": "sb", "listings": 20, "seed": 48}') ->> 'count' AS sb;
SELECT mls_test.reset('{"mls": "sc", "listings": 20, "seed": 49}') ->> 'count' AS sc;
SELECT tenant_id FROM mlsync.mls_create_tenant('opssched');
SELECT connection, action FROM mlsync.mls_connect('opssched', 's1', protocol => 'reso',
	endpoint => mls_test.reso_root('sa'), token_url => mls_test.token_url('sa'), username => 'mlsync',
	page_size => 10, sync_schedule => '0 2 * * *', reconcile_mode => 'full');
SELECT connection, action FROM mlsync.mls_connect('opssched', 's2', protocol => 'reso',
	endpoint => mls_test.reso_root('sb'), token_url => mls_test.token_url('sb'), username => 'mlsync');
SELECT connection FROM mlsync.mls_connect('opssched', 's3', protocol => 'reso', endpoint => mls_test.reso_root('sc'),
	token_url => mls_test.token_url('sc'), username => 'mlsync');
SELECT connection, sync_schedule, reconcile_schedule, reconcile_mode FROM mlsync.mls_connections
 WHERE tenant_id = 'opssched' ORDER BY connection;
SELECT mlsync.mls_set_credentials('opssched', c, client_secret => 's3cret') FROM unnest(ARRAY['s1', 's2', 's3']) c;
\set VERBOSITY terse
SELECT mlsync.mls_connect('opssched', 's1', sync_schedule => 'at two');
SELECT mlsync.mls_connect('opssched', 's1', reconcile_schedule => '0 3 * * sun,');
SELECT mlsync.mls_connect('opssched', 's1', reconcile_mode => 'sometimes');
-- nor can a direct write store a schedule pg_cron would refuse
UPDATE mlsync.mls_connections SET reconcile_schedule = 'weekly' WHERE connection = 's1';
UPDATE mlsync.mls_connections SET sync_schedule = '0 25 * * *' WHERE connection = 's1';
\set VERBOSITY default

CREATE EXTENSION pg_cron;
SELECT job_name, schedule, command
  FROM mlsync.mls_schedule('opssched') WHERE job_name LIKE 'mlsync:opssched:s%' ORDER BY job_name;
SELECT jobname, schedule FROM cron.job WHERE jobname = 'mlsync:opssched:s1:incremental';

-- mls_status: the next run from the cron expression (02:00 GMT), the next
-- catch-all (Sunday 03:00 GMT)
SELECT connection, incremental_schedule, reconcile_schedule, reconcile_mode,
	   next_run_at = (SELECT min(t) FROM generate_series(date_trunc('day', now()) + interval '2 hours',
														  now() + interval '2 days', interval '1 day') t
					   WHERE t > now()) AS next_run_at_2am,
	   next_reconcile_at = (SELECT min(t) FROM generate_series(date_trunc('day', now()) + interval '3 hours',
															   now() + interval '8 days', interval '1 day') t
							 WHERE t > now() AND extract(dow FROM t) = 0) AS next_reconcile_sunday_3am
  FROM mlsync.mls_status WHERE tenant_id = 'opssched' AND connection = 's1';
-- without a schedule of its own, the interval's (every 15 minutes)
SELECT connection, incremental_schedule,
	   next_run_at = date_trunc('hour', now()) + interval '15 minutes' * (floor(extract(minute FROM now()) / 15) + 1)
		 AS next_quarter_hour
  FROM mlsync.mls_status WHERE tenant_id = 'opssched' AND connection = 's2';
-- '' goes back to the interval
SELECT connection, action, changed FROM mlsync.mls_connect('opssched', 's1', sync_schedule => '');
SELECT incremental_schedule FROM mlsync.mls_status WHERE tenant_id = 'opssched' AND connection = 's1';
SELECT connection, action, changed FROM mlsync.mls_connect('opssched', 's1', sync_schedule => '0 2 * * *');

-- a scheduled request is queued as scheduled; a manual request joining it
-- makes it manual; a scheduled request joining a manual run leaves it
-- manual (in a transaction, so that the launcher does not take them)
BEGIN;
SELECT mlsync.mls_sync_scheduled('opssched', 's2') IS NOT NULL AS queued;
SELECT connection, mode, trigger, requested_by = current_user AS by_me FROM mlsync.mls_sync_queue
 WHERE tenant_id = 'opssched';
SELECT cardinality(mlsync.mls_sync('opssched', 's2')) AS runs;
SELECT connection, mode, trigger FROM mlsync.mls_sync_queue WHERE tenant_id = 'opssched';
SELECT mlsync.mls_sync_scheduled('opssched', 's2') IS NOT NULL AS joined;
SELECT connection, mode, trigger, count(*) OVER () AS runs FROM mlsync.mls_sync_queue WHERE tenant_id = 'opssched';
ROLLBACK;
-- a disabled connection's job queues nothing; bad requests are refused
BEGIN;
SELECT connection FROM mlsync.mls_connect('opssched', 's3', enabled => false);
SELECT mlsync.mls_sync_scheduled('opssched', 's3') AS run_id;
ROLLBACK;
\set VERBOSITY terse
SELECT mlsync.mls_sync_scheduled('opssched', 'gone');
SELECT mlsync.mls_sync_scheduled('opssched', 's2', 'dry_run');
\set VERBOSITY default

-- manual before scheduled: with one worker busy (s1, whose server answers
-- slowly), a scheduled run of s2 is requested, then a manual run of s3;
-- when the worker is free, s3 runs first
ALTER SYSTEM SET mlsync.max_workers = 1;
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
SELECT mls_test.fault('{"mls": "sa", "path": "/reso/odata/Property", "fault": "slow", "delay": 3, "count": 1}') ->> 'fault' AS fault;
SELECT mlsync.mls_sync('opssched', 's1', mode => 'full') AS s1_runs \gset
CREATE FUNCTION pg_temp.wait_running(conn text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1..300 LOOP
		IF EXISTS (SELECT FROM mlsync.mls_sync_history h
					WHERE h.tenant_id = 'opssched' AND h.connection = conn AND h.state = 'running') THEN
			RETURN true;
		END IF;
		PERFORM pg_sleep(0.05);
	END LOOP;
	RETURN false;
END
$$;
SELECT pg_temp.wait_running('s1') AS s1_running;
SELECT mlsync.mls_sync_scheduled('opssched', 's2') AS s2_run \gset
SELECT pg_sleep(0.2);
SELECT mlsync.mls_sync('opssched', 's3') AS s3_runs \gset
SELECT mlsync.mls_sync_wait((:'s1_runs'::bigint[])[1], '2 minutes') AS s1,
	   mlsync.mls_sync_wait(:s2_run, '2 minutes') AS s2,
	   mlsync.mls_sync_wait((:'s3_runs'::bigint[])[1], '2 minutes') AS s3;
SELECT connection, trigger, requested_by = current_user AS by_me,
	   rank() OVER (ORDER BY requested_at) AS requested, rank() OVER (ORDER BY started_at) AS started
  FROM mlsync.mls_sync_history WHERE tenant_id = 'opssched' ORDER BY requested_at;
ALTER SYSTEM RESET mlsync.max_workers;
SELECT pg_reload_conf();

-- mls_status shows the last scheduled run's outcome
SELECT connection, last_scheduled_run_id = :s2_run AS the_scheduled_run, last_scheduled_state,
	   last_scheduled_at IS NOT NULL AS at
  FROM mlsync.mls_status WHERE tenant_id = 'opssched' ORDER BY connection;

SELECT count(*) AS jobs_removed FROM mlsync.mls_unschedule('opssched');
DROP EXTENSION pg_cron;
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'opssched';
SELECT mls_test.clear_faults('sa') IS NOT NULL AS cleared;
