-- pg_cron schedules (docs/features.md F21): jobs created from the connections'
-- own intervals, updated in place, never duplicated, removed with their
-- connection or tenant; a clear error without pg_cron.  That pg_cron really
-- runs them is test/t/045_schedule_cron.pl.
\pset pager off
SET client_min_messages = warning;

SELECT (mlsync.mls_create_tenant('acme')).tenant_id AS acme;
SELECT connection, action
  FROM mlsync.mls_connect('acme', 'crmls', protocol => 'reso', endpoint => 'https://reso.example.com/odata');
SELECT connection, action
  FROM mlsync.mls_connect('acme', 'bay', protocol => 'reso', endpoint => 'https://bay.example.com/odata',
						  sync_interval => '4 hours', reconcile_schedule => '0 4 * * 6');
SELECT connection, sync_interval, reconcile_schedule
  FROM mlsync.mls_connections WHERE tenant_id = 'acme' ORDER BY connection;

-- without the pg_cron extension in this database
\set SHOW_CONTEXT never
SELECT * FROM mlsync.mls_schedule('acme');
SELECT * FROM mlsync.mls_unschedule('acme');

-- intervals become the nearest even spacing not longer than asked
SELECT i AS sync_interval, mlsync.mls_interval_to_cron(i) AS schedule
  FROM unnest(ARRAY['1 minute', '7 minutes', '15 minutes', '45 minutes', '1 hour', '90 minutes',
					'5 hours', '1 day', '3 days', '1 week', '1 month']::interval[]) i;
SELECT mlsync.mls_interval_to_cron('30 seconds');

CREATE EXTENSION pg_cron;

-- the first call creates every job: one incremental sync and one
-- reconciliation per connection, the health check and time events of the
-- tenant, statistics and pruning shared by all tenants
SELECT * FROM mlsync.mls_schedule('acme');
SELECT jobname, schedule, command, database = current_database() AS here,
	   username = current_user AS owner, active
  FROM cron.job ORDER BY jobname;

-- a second call changes nothing and adds nothing
SELECT job_name, action FROM mlsync.mls_schedule('acme');
SELECT count(*) AS jobs, count(DISTINCT jobname) AS names FROM cron.job;

-- a connection's new interval updates its job in place (same job id)
CREATE TEMP TABLE ids AS SELECT jobid, jobname FROM cron.job;
SELECT connection, changed FROM mlsync.mls_connect('acme', 'crmls', sync_interval => '5 minutes');
SELECT job_name, schedule, action FROM mlsync.mls_schedule('acme', stats_schedule => '0 5 * * *')
 WHERE action <> 'unchanged';
SELECT count(*) AS jobs_with_new_ids
  FROM cron.job j LEFT JOIN ids USING (jobid, jobname) WHERE ids.jobid IS NULL;

-- a disabled or deleted connection loses its jobs
SELECT connection, enabled FROM mlsync.mls_connect('acme', 'bay', enabled => false);
SELECT job_name, action FROM mlsync.mls_schedule('acme', stats_schedule => '0 5 * * *')
 WHERE action <> 'unchanged';
SELECT jobname FROM cron.job ORDER BY jobname;

-- another tenant, whose name is a LIKE pattern of acme's: jobs are kept apart
SELECT (mlsync.mls_create_tenant('ac_e')).tenant_id AS ac_e;
SELECT connection FROM mlsync.mls_connect('ac_e', 'crmls', protocol => 'reso', endpoint => 'https://reso.example.com/odata');
SELECT job_name, action FROM mlsync.mls_schedule('ac_e', stats_schedule => '0 5 * * *');

-- the shared statistics and pruning jobs serve every tenant: a role with
-- operate on one tenant schedules that tenant's jobs and leaves the shared
-- ones as a global administrator set them; it may not set their schedules
CREATE ROLE regress_sched_operator;
SELECT mlsync.mls_grant_tenant('acme', 'regress_sched_operator', 'operate');
SET ROLE regress_sched_operator;
SELECT job_name, schedule, action FROM mlsync.mls_schedule('acme')
 WHERE job_name IN ('mlsync:stats', 'mlsync:prune') ORDER BY 1;
SELECT * FROM mlsync.mls_schedule('acme', stats_schedule => '0 0 30 2 *');
SELECT * FROM mlsync.mls_schedule('acme', prune_schedule => '* * * * *');
RESET ROLE;
SELECT jobname, schedule FROM cron.job WHERE jobname IN ('mlsync:stats', 'mlsync:prune') ORDER BY 1;
SELECT mlsync.mls_revoke_tenant('acme', 'regress_sched_operator');
DROP ROLE regress_sched_operator;

-- unscheduling a tenant removes its jobs only; the shared statistics and
-- pruning jobs go with the last tenant
SELECT * FROM mlsync.mls_unschedule('acme');
SELECT jobname FROM cron.job ORDER BY jobname;
SELECT * FROM mlsync.mls_unschedule('ac_e');
SELECT count(*) AS jobs_left FROM cron.job;

-- bad input
\set VERBOSITY terse
SELECT * FROM mlsync.mls_schedule('nobody');
SELECT * FROM mlsync.mls_schedule('acme', stats_schedule => 'every day');
SELECT * FROM mlsync.mls_schedule('acme', time_events_schedule => NULL);
\set VERBOSITY default
SELECT count(*) AS jobs_after_errors FROM cron.job;

-- privileges: the jobs run as the extension's owner, so the functions that
-- make them are SECURITY DEFINER and no role may call them; the public
-- entry points check the caller's rights on the tenant first
-- (test/sql/60_tenancy.sql calls them as roles)
\pset format unaligned
\pset tuples_only true
BEGIN;
SELECT plan(4);
SELECT function_privs_are('mlsync', 'mls_schedule_unchecked', ARRAY['text', 'text', 'text', 'text', 'text'], 'public',
						  ARRAY[]::text[], 'PUBLIC cannot schedule as the owner');
SELECT function_privs_are('mlsync', 'mls_unschedule_unchecked', ARRAY['text'], 'public', ARRAY[]::text[],
						  'PUBLIC cannot unschedule as the owner');
SELECT is((SELECT prosecdef FROM pg_proc WHERE oid = 'mlsync.mls_schedule_unchecked'::regproc),
		  true, 'mls_schedule_unchecked is SECURITY DEFINER');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'mlsync.mls_schedule_unchecked'::regproc),
		  ARRAY['search_path=pg_catalog, pg_temp'], 'and pins its search_path');
SELECT * FROM finish();
ROLLBACK;
\pset format aligned
\pset tuples_only false

DROP EXTENSION pg_cron;
DELETE FROM mlsync.mls_tenants WHERE tenant_id IN ('acme', 'ac_e');
