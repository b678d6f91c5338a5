# Helpers for mlsync's TAP tests: a sample MLS server and a node with mlsync
# preloaded, its credential key and the SQL helpers of test/helpers.
package MlsTest;

use strict;
use warnings;
use Exporter 'import';
use File::Temp qw(tempdir);
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Time::HiRes qw(usleep);

our @EXPORT = qw(start_mls_server new_mlsync_node configure_mlsync_node connect_sample_reso wait_for
  registered_contents);

# Start the sample MLS server on a free loopback port; it stops when this
# test process ends.  Sets MLS_SERVER_URL (read by test/helpers/*.sql).
sub start_mls_server
{
	my $dir = tempdir(CLEANUP => 1);
	my $portfile = "$dir/port";
	my $handle = IPC::Run::start(
		[ 'python3', 'test/mls_server/server.py', '--port', '0', '--port-file', $portfile,
		  '--parent-pid', $$, '--idle-timeout', '1800', '--quiet' ],
		'>', "$dir/server.log", '2>&1');
	for (1 .. 300)
	{
		last if -s $portfile;
		usleep(100_000);
	}
	die "the sample MLS server did not start" unless -s $portfile;
	my $port = slurp_file($portfile);
	chomp $port;
	$ENV{MLS_SERVER_URL} = "http://127.0.0.1:$port";
	return $handle;
}

# A started node with mlsync preloaded (the launcher in database postgres),
# the extension created, a credential key, and the SQL test helpers.
sub new_mlsync_node
{
	my ($name, @conf) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	configure_mlsync_node($node, @conf);
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION mlsync');
	load_helpers($node);
	return $node;
}

# Give an initialised node the settings of an mlsync test cluster (the
# same secret key file contents on every node, so a cluster made from
# another's data, by pg_upgrade, reads its credentials), and extra lines.
sub configure_mlsync_node
{
	my ($node, @conf) = @_;
	my $keyfile = $node->data_dir . '/mlsync.key';
	open(my $fh, '>', $keyfile) or die "cannot write $keyfile: $!";
	print $fh ('cd' x 32) . "\n";
	close($fh);
	chmod 0600, $keyfile;
	$node->append_conf('postgresql.conf', join("\n",
		"shared_preload_libraries = 'mlsync'",
		"mlsync.database_name = 'postgres'",
		"mlsync.secret_key_file = '$keyfile'",
		"mlsync.naptime = 1",
		# the sample MLS server is on loopback, denied by default
		"mlsync.allowed_hosts = '127.0.0.1'",
		"timezone = 'UTC'",
		# a killed worker must bring a crash restart, as in production
		"restart_after_crash = on",
		@conf) . "\n");
	return;
}

# (Re)define the SQL helpers of test/helpers/mls_server.sql, in database
# postgres or the one named.
sub load_helpers
{
	my ($node, $dbname) = @_;
	$dbname //= 'postgres';
	$node->safe_psql($dbname, slurp_file('test/helpers/mls_server.sql'));
	# every session of the test, not only this one, talks to the server
	$node->safe_psql($dbname, "ALTER DATABASE $dbname SET mls_test.url = '$ENV{MLS_SERVER_URL}'");
	return;
}

# A tenant and its RESO connection to MLS $mls of the sample server, which
# is reset to the options given (a JSON object without "mls"), with the
# server's credentials; the connection asks for pages of $page_size.
sub connect_sample_reso
{
	my ($node, $tenant, $mls, $options, $page_size) = @_;
	$node->safe_psql('postgres', qq{
		SELECT mls_test.reset(jsonb_build_object('mls', '$mls') || '$options'::jsonb);
		SELECT mlsync.mls_create_tenant('$tenant');
		SELECT mlsync.mls_connect('$tenant', '$mls', protocol => 'reso',
			endpoint => mls_test.reso_root('$mls'), token_url => mls_test.token_url('$mls'),
			username => 'mlsync', page_size => $page_size);
		SELECT mlsync.mls_set_credentials('$tenant', '$mls', client_secret => 's3cret');});
	return;
}

# Poll a query until it returns 't' (default timeout: 180 s).
sub wait_for
{
	my ($node, $query, $what) = @_;
	$node->poll_query_until('postgres', $query)
	  or die "timed out waiting for $what";
	return;
}

# What the extension registers for pg_dump holds in database $db of $node,
# as one text to compare: each registered table with its rows and a digest
# of every row's text in order (the rows its condition chooses), and the
# position of each registered sequence.  A partitioned table counts as one
# table, its partitions are not listed: the text is the same whatever the
# layout (mlsync.listing_partitions).
sub registered_contents
{
	my ($node, $db) = @_;
	my @tables = split /\n/, $node->safe_psql($db, q{
		SELECT c.relname || '|' || coalesce(e.condition, '')
		  FROM pg_extension x, unnest(x.extconfig, x.extcondition) e(oid, condition)
		  JOIN pg_class c ON c.oid = e.oid
		 WHERE x.extname = 'mlsync' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		 ORDER BY 1});
	my @sequences = split /\n/, $node->safe_psql($db, q{
		SELECT c.relname FROM pg_extension x, unnest(x.extconfig) e(oid) JOIN pg_class c ON c.oid = e.oid
		 WHERE x.extname = 'mlsync' AND c.relkind = 'S' ORDER BY 1});
	my @parts;
	foreach my $entry (@tables)
	{
		my ($table, $condition) = split /\|/, $entry, 2;
		push @parts, $table . ': ' . $node->safe_psql($db, qq{
			SELECT count(*) || ' rows ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))
			  FROM mlsync."$table" t $condition});
	}
	foreach my $sequence (@sequences)
	{
		push @parts, $sequence . ': '
		  . $node->safe_psql($db, qq{SELECT last_value || ' ' || is_called FROM mlsync."$sequence"});
	}
	return join("\n", @parts) . "\n";
}

1;
