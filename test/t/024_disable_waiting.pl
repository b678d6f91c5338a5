# Disabling a connection reaches the runs waiting for it.  A sync requested
# with wait => true while the connection's full sync runs waits behind it;
# disabled meanwhile, the request is canceled and its caller told why (it
# used to wait, then run on the disabled connection once the full sync
# ended).  The full sync, already running, finishes.  What the disabling
# could not reach, the launcher cancels.
use strict;
use warnings;
use lib 'test/perl';
use MlsTest;
use PostgreSQL::Test::Utils;
use Test::More;

my $server = start_mls_server();
my $node = new_mlsync_node('disable');

sub sql { return $node->safe_psql('postgres', $_[0]); }

connect_sample_reso($node, 'acme', 'dw', '{"listings": 200, "seed": 24}', 20);
# every page takes a second: the full sync runs for about ten, time enough
# to queue a request behind it and disable the connection
sql(q{SELECT mls_test.fault('{"mls": "dw", "path": "/reso/odata/Property", "fault": "slow",
							   "delay": 1, "count": -1}')});
my $full = sql(q{SELECT (mlsync.mls_sync('acme', 'dw', mode => 'full'))[1]});
wait_for($node, qq{SELECT EXISTS (SELECT FROM mlsync.mls_sync_queue
								   WHERE run_id = $full AND state = 'running')},
	'the full sync to start');

my $waiter = $node->background_psql('postgres');
$waiter->query_until(qr/requested/, "\\set VERBOSITY verbose\n\\echo requested\n"
	  . "SELECT mlsync.mls_sync('acme', 'dw', mode => 'reconcile', wait => true);\n");
wait_for($node, q{SELECT EXISTS (SELECT FROM mlsync.mls_sync_queue
								  WHERE mode = 'reconcile' AND state = 'queued')},
	'the reconcile to wait behind the full sync');
my $reconcile = sql(q{SELECT run_id FROM mlsync.mls_sync_queue WHERE mode = 'reconcile'});

sql(q{SELECT mlsync.mls_connect('acme', 'dw', enabled => false)});
is(sql(qq{SELECT state FROM mlsync.mls_sync_queue WHERE run_id = $full}), 'running',
	'the full sync still runs');

# the waiter's psql stops at the error (ON_ERROR_STOP)
$waiter->{run}->finish;
like($waiter->{stderr}, qr/ERROR:  57014: sync of acme\/dw canceled: the connection was disabled/,
	'the caller waiting for the reconcile is told it was canceled, and why');
is(sql(qq{SELECT state || ' ' || message || ' ' || (requests = 0 AND seen = 0)
			FROM mlsync.mls_sync_history WHERE run_id = $reconcile}),
	'canceled the connection was disabled true', 'the reconcile never started');

wait_for($node, qq{SELECT NOT EXISTS (SELECT FROM mlsync.mls_sync_queue WHERE run_id = $full)},
	'the full sync to end');
is(sql(qq{SELECT state || ' ' || worker_turns FROM mlsync.mls_sync_history WHERE run_id = $full}),
	'succeeded 1', 'the full sync finished, in one turn');
is(sql(q{SELECT count(*) FROM mlsync.mls_listings WHERE connection = 'dw'}), '200',
	'with every listing');

# A run queued on the disabled connection that the disabling did not reach
# (inserted here, as a request could that had not yet seen the disable) is
# canceled by the launcher in its next round.
my $stray = sql(q{INSERT INTO mlsync.mls_sync_queue (tenant_id, connection, mode)
				  VALUES ('acme', 'dw', 'incremental') RETURNING run_id});
wait_for($node, qq{SELECT EXISTS (SELECT FROM mlsync.mls_sync_history
								   WHERE run_id = $stray AND state = 'canceled')},
	'the launcher to cancel the run queued on a disabled connection');
is(sql(qq{SELECT message FROM mlsync.mls_sync_history WHERE run_id = $stray}),
	'the connection was disabled', 'a run queued on a disabled connection is canceled, and says why');
is(sql(q{SELECT count(*) FROM mlsync.mls_sync_queue}), '0', 'and nothing is left queued');

done_testing();
