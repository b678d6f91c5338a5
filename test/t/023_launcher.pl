# Failures are never silent (docs/architecture.md, "The launcher"):
# mls_sync() in a database no launcher serves raises at once instead of
# queueing a run for ever, and mls_sync(wait => true) syncs there all the
# same, and the run of a request worker stopped in the middle is reaped by
# the next request; a launcher whose database does not exist says so once and waits,
# instead of failing and being restarted every second, and starts when the
# database appears; a sync asked for in the second before the launcher
# connects waits for it.  Without shared_preload_libraries, wait => true
# still syncs.
use strict;
use warnings;
use lib 'test/perl';
use MlsTest;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $server = start_mls_server();
my $node = new_mlsync_node('launcher', "mlsync.naptime = 1");

# a second database with the extension: no launcher serves it
$node->safe_psql('postgres', 'CREATE DATABASE other');
$node->safe_psql('other', 'CREATE EXTENSION mlsync');
MlsTest::load_helpers($node, 'other');
$node->safe_psql('other', qq{
	SELECT mls_test.reset('{"mls": "lo", "listings": 30, "seed": 5}');
	SELECT mlsync.mls_create_tenant('acme');
	SELECT mlsync.mls_connect('acme', 'lo', protocol => 'reso', endpoint => mls_test.reso_root('lo'),
							  token_url => mls_test.token_url('lo'), username => 'mlsync');
	SELECT mlsync.mls_set_credentials('acme', 'lo', client_secret => 's3cret');
});
my ($ret, $out, $err) = $node->psql('other', q{SELECT mlsync.mls_sync('acme')});
isnt($ret, 0, 'mls_sync() in a database no launcher serves fails');
like($err, qr/no mlsync launcher runs in database "other"/, 'and says which database');
like($err, qr/HINT:.*wait => true/s, 'with a hint of what to do');
is($node->safe_psql('other', 'SELECT count(*) FROM mlsync.mls_sync_queue'), '0', 'nothing was queued');
is($node->safe_psql('other', q{SELECT cardinality(mlsync.mls_sync('acme', wait => true))}), '1',
	'wait => true syncs in that database all the same');
is($node->safe_psql('other', q{SELECT count(*) FROM mlsync.mls_listings WHERE tenant_id = 'acme'}), '30',
	'and brings the listings');

# A request worker stopped in the middle of its run (a fast shutdown,
# pg_terminate_backend) leaves the run "running".  Where no launcher reaps
# such runs, the connection's next request does, instead of waiting on it
# for ever.
$node->safe_psql('other', q{SELECT mls_test.fault('{"mls": "lo", "path": "/reso/odata/Property",
	"fault": "slow", "delay": 2, "count": 3}')});
my $caller = $node->background_psql('other', on_error_stop => 0);
$caller->query_until(qr/started/, "\\echo started\nSELECT mlsync.mls_sync('acme', mode => 'full', wait => true);\n");
$node->poll_query_until('other', q{SELECT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue
												  WHERE state = 'running' AND worker_pid > 0)})
  or die 'timed out waiting for the full sync to run';
my $dead = $node->safe_psql('other', q{SELECT worker_pid || ' ' || run_id FROM mlsync.mls_sync_queue});
my ($dead_pid, $dead_run) = split / /, $dead;
$node->safe_psql('other', "SELECT pg_terminate_backend($dead_pid)");
$node->poll_query_until('other', "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $dead_pid)")
  or die 'timed out waiting for the request worker to end';
$caller->quit;
is($node->safe_psql('other', q{SELECT state FROM mlsync.mls_sync_queue}), 'running',
	'the stopped worker\'s run is left running');
($ret, $out, $err) = $node->psql('other',
	q{SET statement_timeout = '60s'; SELECT cardinality(mlsync.mls_sync('acme', wait => true))});
is($out, '1', 'the next request runs instead of waiting on it') or diag($err);
is($node->safe_psql('other', "SELECT state FROM mlsync.mls_sync_history WHERE run_id = $dead_run"),
	'interrupted', 'the stopped run is recorded as interrupted');
is($node->safe_psql('other', 'SELECT count(*) FROM mlsync.mls_sync_queue'), '0', 'nothing is left queued');

# a launcher configured for a database that does not exist
$node->append_conf('postgresql.conf', "mlsync.database_name = 'later'");
my $log_start = -s $node->logfile;
$node->restart;
sleep 5;
my $log = slurp_file($node->logfile, $log_start);
my @waits = ($log =~ /mlsync launcher waits: database "later"/g);
is(scalar @waits, 1, 'the launcher says once that its database does not exist');
my ($after_wait) = $log =~ /mlsync launcher waits: database "later"(.*)/s;
unlike($after_wait, qr/background worker "mlsync launcher".*exited/,
	'and is not restarted again and again');

# the database appears: the launcher starts in it
$node->safe_psql('postgres', 'CREATE DATABASE later');
$node->safe_psql('later', 'CREATE EXTENSION mlsync');
wait_for($node, q{SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'mlsync launcher'
								  AND datname = 'later')}, 'the launcher in the new database');
ok(1, 'the launcher runs in the database once it exists');

# right after a start the launcher is not connected yet (it looks its
# database up without one, exits, and the postmaster starts it again a
# second later): a sync queued in its database then waits for it instead of
# being refused as one in a database no launcher serves
MlsTest::load_helpers($node, 'later');
$node->safe_psql('later', qq{
	SELECT mls_test.reset('{"mls": "la", "listings": 20, "seed": 6}');
	SELECT mlsync.mls_create_tenant('acme');
	SELECT mlsync.mls_connect('acme', 'la', protocol => 'reso', endpoint => mls_test.reso_root('la'),
							  token_url => mls_test.token_url('la'), username => 'mlsync');
	SELECT mlsync.mls_set_credentials('acme', 'la', client_secret => 's3cret');
});
$node->restart;
my $queued = $node->safe_psql('later', q{
	SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'mlsync launcher'
			   AND datname = 'later') || ' ' || (mlsync.mls_sync('acme', 'la'))[1]});
my ($connected, $run) = split / /, $queued;
is($connected, '0', 'the sync was asked for before the launcher connected');
is($node->safe_psql('later', qq{SELECT mlsync.mls_sync_wait($run, '2 minutes')}), 'succeeded',
	'and it is queued and run once the launcher is there');

$node->stop;

# without shared_preload_libraries there is no launcher at all: mls_sync()
# says so, and wait => true syncs all the same (its worker is started on
# demand)
my $plain = PostgreSQL::Test::Cluster->new('no_preload');
$plain->init;
my $keyfile = $plain->data_dir . '/mlsync.key';
open(my $fh, '>', $keyfile) or die "cannot write $keyfile: $!";
print $fh ('ab' x 32) . "\n";
close($fh);
chmod 0600, $keyfile;
$plain->append_conf('postgresql.conf', join("\n", "mlsync.secret_key_file = '$keyfile'",
	"mlsync.allowed_hosts = '127.0.0.1'", "timezone = 'UTC'") . "\n");
$plain->start;
$plain->safe_psql('postgres', 'CREATE EXTENSION mlsync');
MlsTest::load_helpers($plain);
$plain->safe_psql('postgres', qq{
	SELECT mls_test.reset('{"mls": "np", "listings": 12, "seed": 6}');
	SELECT mlsync.mls_create_tenant('acme');
	SELECT mlsync.mls_connect('acme', 'np', protocol => 'reso', endpoint => mls_test.reso_root('np'),
							  token_url => mls_test.token_url('np'), username => 'mlsync');
	SELECT mlsync.mls_set_credentials('acme', 'np', client_secret => 's3cret');
});
($ret, $out, $err) = $plain->psql('postgres', q{SELECT mlsync.mls_sync('acme')});
like($err, qr/no mlsync launcher runs in database "postgres"/, 'without preload, mls_sync() says no launcher runs');
is($plain->safe_psql('postgres', q{SELECT cardinality(mlsync.mls_sync('acme', wait => true))}), '1',
	'and wait => true syncs without preload');
is($plain->safe_psql('postgres', q{SELECT count(*) FROM mlsync.mls_listings}), '12', 'bringing every listing');
$plain->stop;
done_testing();
