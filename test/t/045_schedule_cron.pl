# pg_cron really runs what mls_schedule() sets up, whether it runs jobs in
# background workers or through libpq: the statistics refresh fills
# market_stats, the scheduled incremental sync (queued as scheduled) brings
# the sample server's listings, the health check raises sync_stale for a
# connection that has never run at all, and the pruning job runs.  Without
# pg_cron preloaded, mls_schedule() says what to configure.
use strict;
use warnings;
use lib 'test/perl';
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use MlsTest;

my $server = start_mls_server();

# A node with pg_cron and mlsync preloaded, pg_cron in one of its two modes.
sub cron_node
{
	my ($name, $background_workers) = @_;
	my $node = new_mlsync_node($name,
		"shared_preload_libraries = 'pg_cron,mlsync'",
		"cron.database_name = 'postgres'",
		"cron.use_background_workers = $background_workers",
		"max_worker_processes = 16");
	# through libpq, pg_cron connects to cron.host as the job's owner: here
	# the node's socket directory, where the test cluster trusts local users
	if ($background_workers eq 'off')
	{
		$node->append_conf('postgresql.conf', "cron.host = '" . $node->host . "'");
		$node->restart;
	}
	$node->safe_psql('postgres', qq{
		SELECT mls_test.reset('{"mls": "$name", "listings": 40, "seed": 3}');
		CREATE EXTENSION pg_cron;
		SELECT mlsync.mls_create_tenant('acme');
		SELECT mlsync.mls_connect('acme', 'crmls', protocol => 'reso',
								  endpoint => mls_test.reso_root('$name'),
								  token_url => mls_test.token_url('$name'), username => 'mlsync',
								  sync_interval => '1 minute');
		SELECT mlsync.mls_set_credentials('acme', 'crmls', client_secret => 's3cret');
		-- a connection whose schedule fires once a year: nothing runs, and
		-- after a minute without a success the health check finds it stale
		SELECT mlsync.mls_connect('acme', 'idle', protocol => 'reso',
								  endpoint => mls_test.reso_root('$name'),
								  sync_schedule => '0 0 1 1 *', reconcile_schedule => '0 0 1 1 *',
								  alert_stale_after => '1 minute');
		SELECT mlsync.mls_subscribe('admin', '{sync_stale}');
		INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status,
										 on_market_date, list_price, city)
		VALUES ('acme', 'crmls', 'k1', 'Active', current_date - 10, 500000, 'Alton');
	});
	return $node;
}

my %nodes = (
	'background workers' => cron_node('cron_bgw', 'on'),
	'libpq' => cron_node('cron_libpq', 'off'));

foreach my $mode (sort keys %nodes)
{
	my $node = $nodes{$mode};
	is($node->safe_psql('postgres', q{SELECT count(*) FROM mlsync.market_stats WHERE tenant_id = 'acme'}),
		'0', "$mode: market_stats has no figures for the new listing before pg_cron runs");
	is($node->safe_psql('postgres', q{
		SELECT string_agg(job_name || ' ' || schedule || ' ' || action, ', ' ORDER BY job_name)
		  FROM mlsync.mls_schedule('acme', stats_schedule => '* * * * *',
								   health_schedule => '* * * * *', prune_schedule => '* * * * *')}),
		'mlsync:acme:crmls:incremental * * * * * created, mlsync:acme:crmls:reconcile 0 3 * * 0 created, '
		  . 'mlsync:acme:health * * * * * created, '
		  . 'mlsync:acme:idle:incremental 0 0 1 1 * created, mlsync:acme:idle:reconcile 0 0 1 1 * created, '
		  . 'mlsync:acme:time-events 15 0 * * * created, mlsync:prune * * * * * created, '
		  . 'mlsync:stats * * * * * created',
		"$mode: mls_schedule creates the jobs");
}

# pg_cron starts jobs at the top of a minute: wait for one run of each
foreach my $mode (sort keys %nodes)
{
	my $node = $nodes{$mode};
	ok($node->poll_query_until('postgres', q{
		SELECT EXISTS (SELECT 1 FROM cron.job_run_details d JOIN cron.job j USING (jobid)
						WHERE j.jobname = 'mlsync:stats' AND d.status = 'succeeded')}),
		"$mode: pg_cron ran the statistics refresh");
	is($node->safe_psql('postgres', q{
		SELECT active_inventory || ' ' || new_listings FROM mlsync.market_stats
		 WHERE tenant_id = 'acme' AND area_type = 'city' AND area = 'Alton'
		   AND property_type = 'all' AND period = 'month' AND NOT complete}),
		'1 ' . ($node->safe_psql('postgres',
			q{SELECT (date_trunc('month', current_date) <= current_date - 10)::int})),
		"$mode: the refresh pg_cron ran filled market_stats");
	ok($node->poll_query_until('postgres', q{
		SELECT EXISTS (SELECT 1 FROM cron.job_run_details d JOIN cron.job j USING (jobid)
						WHERE j.jobname = 'mlsync:acme:crmls:incremental'
						  AND d.status IN ('succeeded', 'failed')
						  AND d.command LIKE 'SELECT mlsync.mls_sync_scheduled(%')}),
		"$mode: pg_cron ran the scheduled incremental sync command");
	ok($node->poll_query_until('postgres', q{
		SELECT EXISTS (SELECT 1 FROM mlsync.mls_sync_history
						WHERE connection = 'crmls' AND mode = 'incremental' AND state = 'succeeded')}),
		"$mode: the scheduled sync succeeded");
	is($node->safe_psql('postgres', q{
		SELECT trigger || ' ' || (requested_by = current_user) FROM mlsync.mls_sync_history
		 WHERE connection = 'crmls' ORDER BY run_id LIMIT 1}),
		'scheduled true', "$mode: the run was queued as scheduled, by the job's owner");
	ok($node->poll_query_until('postgres', q{
		SELECT EXISTS (SELECT 1 FROM mlsync.mls_events_claim('admin') c
						WHERE c.kind = 'sync_stale' AND c.connection = 'idle')}),
		"$mode: the health check raised sync_stale for the connection that never ran");
	is($node->safe_psql('postgres', q{
		SELECT count(*) || ' ' || (SELECT count(*) FROM mlsync.mls_events WHERE kind = 'sync_stale')
		  FROM mlsync.mls_sync_history WHERE connection = 'idle'}),
		'0 1', "$mode: with no run of it at all, and once");
	ok($node->poll_query_until('postgres', q{
		SELECT EXISTS (SELECT 1 FROM cron.job_run_details d JOIN cron.job j USING (jobid)
						WHERE j.jobname = 'mlsync:prune' AND d.status = 'succeeded')}),
		"$mode: pg_cron ran the pruning");
	is($node->safe_psql('postgres', q{SELECT missing || ' ' || different FROM mls_test.diff('acme', 'crmls', }
		. "'" . $node->name . "')"),
		'0 0', "$mode: the scheduled sync brought every listing of the server");
	is($node->safe_psql('postgres', q{SELECT string_agg(s, ',' ORDER BY s) FROM mlsync.mls_unschedule('acme') s}),
		'mlsync:acme:crmls:incremental,mlsync:acme:crmls:reconcile,mlsync:acme:health,'
		  . 'mlsync:acme:idle:incremental,mlsync:acme:idle:reconcile,mlsync:acme:time-events,'
		  . 'mlsync:prune,mlsync:stats',
		"$mode: mls_unschedule removes every job");
	$node->stop;
}

# without pg_cron preloaded, the error says what to configure
my $plain = PostgreSQL::Test::Cluster->new('plain');
$plain->init;
$plain->start;
$plain->safe_psql('postgres', q{
	CREATE EXTENSION mlsync;
	SELECT mlsync.mls_create_tenant('acme');
});
my ($ret, $stdout, $stderr) = $plain->psql('postgres', q{SELECT * FROM mlsync.mls_schedule('acme')});
like($stderr, qr/ERROR:  pg_cron is not loaded/, 'without pg_cron: a clear error');
like($stderr, qr/HINT:  Add pg_cron to shared_preload_libraries, set cron.database_name = 'postgres'/,
	'and a hint that says what to configure');
$plain->stop;

done_testing();
