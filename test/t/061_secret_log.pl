# Secrets and the server log: a failed
# mls_set_credentials call, refused by the tenant check or failing inside,
# writes its error to the log but never the statement that carried the
# secret (log_min_error_statement), and the setting is back to normal after
# the call.  What a function cannot stop, docs/tenancy.md says and this test
# shows: log_statement = 'all' logs the statement before it runs, unless a
# superuser turned it off for the role that stores secrets.
use strict;
use warnings;
use lib 'test/perl';
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use MlsTest;

my $server = start_mls_server();
my $node = new_mlsync_node('secret_log', "log_min_error_statement = error", "log_statement = 'none'");

$node->safe_psql('postgres', q{
	SELECT mlsync.mls_create_tenant(t) FROM unnest(ARRAY['acme', 'zenith']) t;
	SELECT mlsync.mls_connect(t, 'feed', protocol => 'reso', endpoint => 'https://reso.example.com/odata')
	  FROM unnest(ARRAY['acme', 'zenith']) t;
	CREATE ROLE acme_ops LOGIN;
	SELECT mlsync.mls_grant_tenant('acme', 'acme_ops', 'operate');
	CREATE ROLE acme_quiet LOGIN;
	SELECT mlsync.mls_grant_tenant('acme', 'acme_quiet', 'operate');
	ALTER ROLE acme_quiet SET log_statement = 'none';
});

# Run sql as role; returns [stdout, stderr] (errors expected).
sub call_as
{
	my ($role, $sql) = @_;
	my ($stdout, $stderr);
	$node->psql('postgres', $sql, stdout => \$stdout, stderr => \$stderr,
		extra_params => [ '-U', $role ]);
	return [ $stdout, $stderr ];
}

# The server log written since offset, and the new offset.
sub log_since
{
	my ($offset) = @_;
	my $log = slurp_file($node->logfile);
	return (substr($log, $offset), length($log));
}

my (undef, $offset) = log_since(0);

# 1. refused by the tenant check: acme_ops may not operate zenith
my $r = call_as('acme_ops',
	q{SELECT mlsync.mls_set_credentials('zenith', 'feed', password => 'Refused-Secret-1')});
like($r->[1], qr/permission denied for tenant "zenith"/, 'a refused call fails');
my $log;
($log, $offset) = log_since($offset);
like($log, qr/ERROR:  permission denied for tenant "zenith"/, 'its error is in the server log');
unlike($log, qr/Refused-Secret-1/, 'its secret is not');
unlike($log, qr/STATEMENT:/, 'no STATEMENT line was written');

# 2. failing inside: a connection that does not exist
$r = call_as('acme_ops',
	q{SELECT mlsync.mls_set_credentials('acme', 'nosuch', password => 'Failing-Secret-2')});
like($r->[1], qr/connection "nosuch" of tenant "acme" does not exist/, 'a failing call fails');
($log, $offset) = log_since($offset);
like($log, qr/ERROR:  connection "nosuch" of tenant "acme" does not exist/, 'its error is logged');
unlike($log, qr/Failing-Secret-2/, 'its secret is not');

# 3. the setting holds for the call only: after a successful call, and in
# the same session, another error logs its statement as configured
$r = call_as('acme_ops', q{
	SELECT mlsync.mls_set_credentials('acme', 'feed', password => 'Stored-Secret-3');
	SHOW log_min_error_statement;
	SELECT 1 / 0 AS "Not-A-Secret-4";});
like($r->[0], qr/\{password\}\s+error/, 'a successful call stores, and log_min_error_statement is error again');
($log, $offset) = log_since($offset);
unlike($log, qr/Stored-Secret-3/, 'the stored secret is not in the log');
like($log, qr/STATEMENT:  SELECT 1 \/ 0 AS "Not-A-Secret-4"/,
	'while a later error of the session is logged with its statement, as configured');

# 4. what a function cannot stop: log_statement = 'all' logs a statement
# before it runs; a superuser turns it off for the roles that store secrets
$node->append_conf('postgresql.conf', "log_statement = 'all'");
$node->reload;
call_as('acme_quiet', q{SELECT mlsync.mls_set_credentials('acme', 'feed', password => 'Quiet-Secret-5')});
call_as('acme_ops', q{SELECT mlsync.mls_set_credentials('acme', 'feed', password => 'Logged-Secret-6')});
($log, $offset) = log_since($offset);
unlike($log, qr/Quiet-Secret-5/,
	'with log_statement = all, a role whose log_statement is none leaves no secret');
like($log, qr/LOG:  statement: SELECT mlsync.mls_set_credentials\('acme', 'feed', password => 'Logged-Secret-6'\)/,
	'a role without that setting has its statement logged (the documented caveat)');

$node->stop;
done_testing();
