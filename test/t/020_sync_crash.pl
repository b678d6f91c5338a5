# A sync interrupted by the worst (its worker killed with SIGKILL, the server
# stopped with an immediate shutdown) resumes from the last committed batch:
# the next runs end with the listings equal to the server's truth, nothing
# lost and nothing twice.  And while syncs run, mls_sync() returns at once
# and never starts a second run of one connection.
use strict;
use warnings;
use lib 'test/perl';
use MlsTest;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time usleep);

my $server = start_mls_server();
my $node = new_mlsync_node('crash');

sub sql { return $node->safe_psql('postgres', $_[0]); }

sub converged
{
	return sql("SELECT missing = 0 AND extra = 0 AND different = 0"
		  . " FROM mls_test.diff('acme', 'k', 'k')");
}

connect_sample_reso($node, 'acme', 'k', '{"listings": 1500, "seed": 31, "page_max": 50}', 50);
# batches of 50 records; pages slow enough to be caught in the middle
sql(q{ALTER SYSTEM SET mlsync.batch_size = 50});
sql(q{SELECT pg_reload_conf()});
sql(q{SELECT mls_test.fault('{"mls": "k", "path": "/reso/odata/Property", "fault": "slow", "delay": 0.3, "count": -1}')});

# 1. SIGKILL of the worker in the middle of a full sync
my $t0 = time();
sql(q{SELECT mlsync.mls_sync('acme', 'k', mode => 'full')});
my $elapsed = time() - $t0;
ok($elapsed < 2, "mls_sync returns at once (took ${elapsed}s)");
wait_for($node, q{SELECT coalesce(max(seen), 0) >= 200 FROM mlsync.mls_sync_history WHERE state = 'running'},
	'the first batches');

# meanwhile: two more requests at once join or merge, never a second run
my @bg = map { $node->background_psql('postgres') } 1 .. 2;
$_->query_safe(q{SELECT mlsync.mls_sync('acme', 'k', mode => 'full')}) for @bg;
$_->quit for @bg;
is(sql(q{SELECT count(*) FROM mlsync.mls_sync_queue WHERE state = 'running'}), '1',
	'one run of the connection at a time');
is(sql(q{SELECT count(*) FROM mlsync.mls_sync_queue}), '1', 'the requests were merged into the running run');

my $pid = sql(q{SELECT worker_pid FROM mlsync.mls_sync_queue WHERE state = 'running'});
my $done_before = sql(q{SELECT seen FROM mlsync.mls_sync_history WHERE state = 'running'});
ok(kill('KILL', $pid), "worker $pid killed in the middle of the sync ($done_before records done)");

# the postmaster restarts everything; the launcher finds the run interrupted
# and queues it again; the retry resumes from the watermark
wait_for($node, q{SELECT EXISTS (SELECT 1 FROM mlsync.mls_sync_history WHERE state = 'interrupted')},
	'the interrupted run');
sql(q{SELECT mls_test.clear_faults('k')});
wait_for($node, q{SELECT EXISTS (SELECT 1 FROM mlsync.mls_sync_history WHERE trigger = 'retry' AND state = 'succeeded')
				   AND NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue)},
	'the retry');
is(converged(), 't', 'after the kill, the listings equal the truth');
ok(sql(q{SELECT watermark_from IS NOT NULL FROM mlsync.mls_sync_history WHERE trigger = 'retry'}) eq 't',
	'the retry started from the watermark the killed run committed');
# a full run is retried from the position its last batch reached, not from
# the start: it reads what the killed run had not (and one page again)
my $retry_seen = sql(q{SELECT seen FROM mlsync.mls_sync_history WHERE trigger = 'retry'});
ok($retry_seen <= 1500 - $done_before + 100,
	"the retry of the full run went on where the killed run stopped ($retry_seen records read, $done_before done before)");

# 2. an immediate shutdown in the middle of an incremental sync
sql(q{SELECT mls_test.advance('{"mls": "k", "seed": 4, "new": 300, "price_cut": 200, "closed": 100, "same_timestamp": true}')});
sql(q{SELECT mls_test.fault('{"mls": "k", "path": "/reso/odata/Property", "fault": "slow", "delay": 0.3, "count": -1}')});
sql(q{SELECT mlsync.mls_sync('acme', 'k')});
wait_for($node, q{SELECT coalesce(max(seen), 0) >= 100 FROM mlsync.mls_sync_history WHERE state = 'running'},
	'the first batches of the incremental sync');
$node->stop('immediate');
$node->start;
sql(q{SELECT mls_test.clear_faults('k')});
wait_for($node, q{SELECT count(*) = 2 FROM mlsync.mls_sync_history WHERE state = 'interrupted'}, 'the second interruption');
wait_for($node, q{SELECT NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue)
				   AND (SELECT state FROM mlsync.mls_sync_history ORDER BY run_id DESC LIMIT 1) = 'succeeded'},
	'the run after the restart');
is(converged(), 't', 'after the immediate shutdown, the listings equal the truth');

# 3. progress while a run runs, then mls_sync_cancel(): the run ends as
# canceled at once, what it committed stays
sql(q{SELECT mls_test.fault('{"mls": "k", "path": "/reso/odata/Property", "fault": "slow", "delay": 0.3, "count": -1}')});
my $run = sql(q{SELECT (mlsync.mls_sync('acme', 'k', mode => 'full'))[1]});
wait_for($node, q{SELECT coalesce(max(records_done), 0) >= 100 FROM mlsync.mls_sync_progress}, 'progress');
is(sql(qq{SELECT records_total = 1800 AND records_per_second > 0 AND eta > interval '0'
		  FROM mlsync.mls_sync_progress WHERE run_id = $run}), 't',
	'mls_sync_progress shows the total the server announced, a rate and an ETA');
$t0 = time();
is(sql(qq{SELECT mlsync.mls_sync_cancel($run)}), 't', 'a running run can be canceled');
is(sql(qq{SELECT mlsync.mls_sync_wait($run, '30 seconds')}), 'canceled', 'the run ends as canceled');
ok(time() - $t0 < 5, 'promptly');
ok(sql(qq{SELECT seen > 0 AND message ~ 'cancel' FROM mlsync.mls_sync_history WHERE run_id = $run}) eq 't',
	'with what it had done recorded');

# 4. pg_terminate_backend() of a worker: it stops at once; the run is
# interrupted and resumed by a retry
$run = sql(q{SELECT (mlsync.mls_sync('acme', 'k', mode => 'full'))[1]});
wait_for($node, qq{SELECT coalesce(max(records_done), 0) >= 100 FROM mlsync.mls_sync_progress WHERE run_id = $run},
	'the run to terminate');
$t0 = time();
sql(q{SELECT pg_terminate_backend(worker_pid) FROM mlsync.mls_sync_queue WHERE state = 'running'});
wait_for($node, qq{SELECT state = 'interrupted' FROM mlsync.mls_sync_history WHERE run_id = $run}, 'the terminated run');
ok(time() - $t0 < 10, 'the terminated worker stopped promptly');
sql(q{SELECT mls_test.clear_faults('k')});
wait_for($node, q{SELECT NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue)
				   AND (SELECT state FROM mlsync.mls_sync_history ORDER BY run_id DESC LIMIT 1) = 'succeeded'},
	'the retry after the termination');
is(converged(), 't', 'after the termination, the listings equal the truth');

# runs of one connection never overlapped
is(sql(q{SELECT count(*) FROM mlsync.mls_sync_history a JOIN mlsync.mls_sync_history b
		  ON a.connection = b.connection AND a.run_id < b.run_id
		 AND tstzrange(a.started_at, a.finished_at) && tstzrange(b.started_at, b.finished_at)
		 WHERE a.state NOT IN ('interrupted', 'canceled') AND b.state NOT IN ('interrupted', 'canceled')}), '0',
	'no two runs of the connection overlapped');

$node->stop;
done_testing();
