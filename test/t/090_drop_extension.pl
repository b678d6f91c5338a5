# DROP EXTENSION mlsync leaves nothing of mlsync running: the pg_cron jobs
# mls_schedule() created are unscheduled and the sync workers of the
# database are ended, by the extension's event trigger (docs/reference.md,
# "Uninstall").  Other jobs stay; dropping something else, or a DROP that
# fails, keeps mlsync's jobs.
use strict;
use warnings;
use lib 'test/perl';
use MlsTest;
use PostgreSQL::Test::Utils;
use Test::More;

my $server = start_mls_server();
my $node = new_mlsync_node('drop',
	"shared_preload_libraries = 'pg_cron,mlsync'",
	"cron.database_name = 'postgres'",
	"cron.use_background_workers = on",
	"max_worker_processes = 16");

sub sql { return $node->safe_psql('postgres', $_[0]); }

my $jobs = q{SELECT string_agg(jobname, ',' ORDER BY jobname) FROM cron.job};
my $workers = q{SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'mlsync worker'};

sql(q{
	CREATE EXTENSION pg_cron;
	SELECT mls_test.reset('{"mls": "x", "listings": 300, "seed": 4, "page_max": 10}');
	SELECT mlsync.mls_create_tenant('acme');
	SELECT mlsync.mls_connect('acme', 'k', protocol => 'reso', endpoint => mls_test.reso_root('x'),
							  token_url => mls_test.token_url('x'), username => 'mlsync', page_size => 10);
	SELECT mlsync.mls_set_credentials('acme', 'k', client_secret => 's3cret');
	SELECT count(*) FROM mlsync.mls_schedule('acme');
	SELECT cron.schedule('nightly-vacuum', '0 4 * * *', 'VACUUM');
});
my $all_jobs = 'mlsync:acme:health,mlsync:acme:k:incremental,mlsync:acme:k:reconcile,'
  . 'mlsync:acme:time-events,mlsync:prune,mlsync:stats,nightly-vacuum';
is(sql($jobs), $all_jobs, 'mls_schedule created its jobs beside one of the application');

# Which statements count as dropping mlsync (the trigger sees only the text).
is(sql(q{
	SELECT string_agg(mlsync.mls_drops_mlsync(q)::text, ',' ORDER BY n)
	  FROM (VALUES (1, 'DROP EXTENSION mlsync'), (2, 'drop extension if exists pgtap, "mlsync" cascade'),
				   (3, 'DROP SCHEMA mlsync CASCADE;'), (4, 'DROP EXTENSION mlsync_extra'),
				   (5, 'DROP EXTENSION pgtap'), (6, 'DROP TABLE mlsync.t')) v(n, q)}),
	'true,true,true,false,false,false', 'DROP EXTENSION or DROP SCHEMA naming mlsync, nothing else');

# Dropping something else, or a DROP EXTENSION mlsync that fails, keeps them.
sql(q{CREATE SCHEMA other; DROP SCHEMA other});
is(sql($jobs), $all_jobs, 'DROP SCHEMA of another schema keeps the jobs');
sql(q{CREATE VIEW my_listings AS SELECT listing_key FROM mlsync.mls_listings});
my ($ret, $stdout, $stderr) = $node->psql('postgres', 'DROP EXTENSION mlsync');
like($stderr, qr/cannot drop extension mlsync because other objects depend on it/,
	'DROP EXTENSION mlsync fails while a view depends on it');
is(sql($jobs), $all_jobs, 'the failed DROP keeps the jobs (they go only with the extension)');
sql(q{DROP VIEW my_listings});

# A full sync of slow pages: its worker is running when the extension goes.
sql(q{SELECT mls_test.fault('{"mls": "x", "path": "/reso/odata/Property", "fault": "slow", "delay": 3, "count": -1}')});
sql(q{SELECT mlsync.mls_sync('acme', 'k', mode => 'full')});
wait_for($node, "SELECT ($workers) = 1", 'the sync worker');

($ret, $stdout, $stderr) = $node->psql('postgres', 'DROP EXTENSION mlsync');
is($ret, 0, 'DROP EXTENSION mlsync succeeds');
like($stderr, qr/unscheduled pg_cron job "mlsync:acme:k:incremental"/, 'and says which jobs it unscheduled');
is(sql($jobs), 'nightly-vacuum', 'no mlsync job is left; the application\'s job stays');
is(sql($workers), '0', 'no mlsync worker is left running');
is(sql(q{SELECT count(*) FROM pg_event_trigger WHERE evtname = 'mls_before_drop'}), '0',
	'the event trigger went with the extension');

# Installed again, mlsync schedules afresh.
sql(q{CREATE EXTENSION mlsync});
is(sql(q{SELECT count(*) FROM cron.job WHERE starts_with(jobname, 'mlsync:')}), '0',
	'a new CREATE EXTENSION finds no job of the old one');

$node->stop;
done_testing();
