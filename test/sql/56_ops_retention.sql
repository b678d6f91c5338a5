-- Retention: mls_prune() deletes sync errors, finished runs (with their
-- dry-run change lists) and acknowledged events older than their retention
-- settings, keeps what is younger, running, or still owed to a consumer,
-- and keeps everything when a retention is 0; of repeated statistics marks
-- it keeps one.  That the schedules run it is in test/t/045_schedule_cron.pl
-- (job mlsync:prune).
\pset pager off
SET client_min_messages = warning;
SET timezone = 'UTC';

-- the defaults, and what a retention may be
SHOW mlsync.sync_errors_retention;
SHOW mlsync.sync_history_retention;
SHOW mlsync.events_retention;
SELECT w AS what, mlsync.mls_retention(w) FROM unnest(ARRAY['sync_errors', 'sync_history', 'events']) w;
\set VERBOSITY terse
SET mlsync.sync_errors_retention = '2h';
SELECT mlsync.mls_retention('listings');
\set VERBOSITY default
SET mlsync.sync_errors_retention = '10d';
SET mlsync.sync_history_retention = '30d';
SET mlsync.events_retention = '3d';

SELECT (mlsync.mls_create_tenant('opsret')).tenant_id;
SELECT connection FROM mlsync.mls_connect('opsret', 'r', protocol => 'reso', endpoint => 'https://reso.example.com/odata');

-- errors 11 and 9 days old
INSERT INTO mlsync.mls_sync_errors (tenant_id, connection, occurred_at, category, message, retry_state)
VALUES ('opsret', 'r', now() - interval '11 days', 'network', 'old', 'retried'),
	   ('opsret', 'r', now() - interval '9 days', 'network', 'young', 'retried');
-- runs finished 31 and 29 days ago, one running for 40 days; the old one a
-- dry run with its change list
INSERT INTO mlsync.mls_sync_history (tenant_id, run_id, connection, mode, trigger, state,
									 requested_at, started_at, finished_at)
VALUES ('opsret', -1, 'r', 'dry_run', 'manual', 'succeeded', now() - interval '31 days',
		now() - interval '31 days', now() - interval '31 days'),
	   ('opsret', -2, 'r', 'incremental', 'manual', 'succeeded', now() - interval '29 days',
		now() - interval '29 days', now() - interval '29 days'),
	   ('opsret', -3, 'r', 'full', 'manual', 'running', now() - interval '40 days',
		now() - interval '40 days', NULL);
INSERT INTO mlsync.mls_dry_run_changes (tenant_id, run_id, listing_key, action, changes)
VALUES ('opsret', -1, 'k', 'update', '{"list_price": {"old": 1, "new": 2}}');
INSERT INTO mlsync.mls_dry_run_columns (tenant_id, run_id, column_name, listings)
VALUES ('opsret', -1, 'list_price', 1);
-- events 4 days old (one still owed to a consumer) and 2 days old
SELECT mlsync.mls_subscribe('opsret-consumer', '{owed}', 'opsret') IS NOT NULL AS subscribed;
INSERT INTO mlsync.mls_events (tenant_id, kind, payload, created_at)
VALUES ('opsret', 'old', '{}', now() - interval '4 days'),
	   ('opsret', 'owed', '{}', now() - interval '4 days'),
	   ('opsret', 'young', '{}', now() - interval '2 days');

-- statistics marks: a listing written three times, one once; a connection
-- marked whole by two batches, with a listing's mark beside
SELECT connection FROM mlsync.mls_connect('opsret', 'r2', protocol => 'reso', endpoint => 'https://reso.example.com/odata');
INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
VALUES ('opsret', 'r', 'a'), ('opsret', 'r', 'a'), ('opsret', 'r', 'b'), ('opsret', 'r', 'a'),
	   ('opsret', 'r2', NULL), ('opsret', 'r2', 'c'), ('opsret', 'r2', NULL);

-- (other tests' rows may be pruned too: only this tenant's are looked at)
SELECT table_name, retention, pruned >= 1 AS pruned FROM mlsync.mls_prune() ORDER BY table_name;
SELECT message FROM mlsync.mls_sync_errors WHERE tenant_id = 'opsret';
SELECT run_id, state FROM mlsync.mls_sync_history WHERE tenant_id = 'opsret' ORDER BY run_id;
SELECT (SELECT count(*) FROM mlsync.mls_dry_run_changes WHERE tenant_id = 'opsret') AS changes,
	   (SELECT count(*) FROM mlsync.mls_dry_run_columns WHERE tenant_id = 'opsret') AS columns;
SELECT kind FROM mlsync.mls_events WHERE tenant_id = 'opsret' ORDER BY event_id;
-- one mark each: a, b, and r2 whole
SELECT connection, listing_key, count(*) FROM mlsync.mls_stats_dirty
 WHERE tenant_id = 'opsret' GROUP BY 1, 2 ORDER BY 1, 2;
-- a second pass finds nothing more
SELECT table_name, pruned FROM mlsync.mls_prune() ORDER BY table_name;
-- with a snapshot older than its lock (repeatable read), it leaves the marks:
-- a mark a refresh took since would look alive, and a newer one repeated
INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key) VALUES ('opsret', 'r', 'a');
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT pruned FROM mlsync.mls_prune() WHERE table_name = 'mls_stats_dirty';
COMMIT;
SELECT pruned FROM mlsync.mls_prune() WHERE table_name = 'mls_stats_dirty';

-- 0 keeps everything
SET mlsync.sync_errors_retention = 0;
SET mlsync.sync_history_retention = 0;
SET mlsync.events_retention = 0;
UPDATE mlsync.mls_sync_errors SET occurred_at = now() - interval '10 years' WHERE tenant_id = 'opsret';
UPDATE mlsync.mls_sync_history SET finished_at = now() - interval '10 years' WHERE run_id = -2;
SELECT mlsync.mls_unsubscribe('opsret-consumer') AS dropped;
SELECT * FROM mlsync.mls_prune() ORDER BY table_name;
SELECT (SELECT count(*) FROM mlsync.mls_sync_errors WHERE tenant_id = 'opsret') AS errors,
	   (SELECT count(*) FROM mlsync.mls_sync_history WHERE tenant_id = 'opsret') AS runs,
	   (SELECT count(*) FROM mlsync.mls_events WHERE tenant_id = 'opsret') AS events;

RESET mlsync.sync_errors_retention;
RESET mlsync.sync_history_retention;
RESET mlsync.events_retention;
DELETE FROM mlsync.mls_sync_history WHERE tenant_id = 'opsret';
DELETE FROM mlsync.mls_sync_errors WHERE tenant_id = 'opsret';
DELETE FROM mlsync.mls_events WHERE tenant_id = 'opsret';
DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'opsret';
