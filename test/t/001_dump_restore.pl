# pg_dump of a database with mlsync keeps everything users put in it: the
# rows of every registered table (and the position of identity sequences),
# while the built-in mapping set comes back from CREATE EXTENSION only once.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
my $keyfile = $node->data_dir . '/mlsync.key';
open(my $fh, '>', $keyfile) or die;
print $fh ('ab' x 32) . "\n";
close($fh);
chmod 0600, $keyfile;
$node->append_conf('postgresql.conf', "mlsync.secret_key_file = '$keyfile'");
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION mlsync;
	SELECT mlsync.mls_create_tenant('acme');
	SELECT mlsync.mls_connect('acme', 'bay', protocol => 'rets', rets_class => 'RES',
							  endpoint => 'http://rets.example.com/login', mapping_set => 'reso-dd-2.0');
	SELECT mlsync.mls_set_credentials('acme', 'bay', password => 'hunter2');
	INSERT INTO mlsync.mls_mapping_sets (mapping_set) VALUES ('local');
	INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field) VALUES ('local', 'listing_key', 'L_ID');
	INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, list_price, local_overrides)
	VALUES ('acme', 'bay', 'k1', 100000, '{"public_remarks": "mine"}');
	INSERT INTO mlsync.mls_listing_history (tenant_id, connection, listing_key, change, new_status, effective_at)
	VALUES ('acme', 'bay', 'k1', 'listed', 'Active', now());
	INSERT INTO mlsync.mls_events (tenant_id, kind) SELECT 'acme', 'new_listing' FROM generate_series(1, 5);
});

my $dump = $node->basedir . '/dump.sql';
$node->command_ok([ 'pg_dump', '-d', $node->connstr('postgres'), '-f', $dump ], 'pg_dump runs');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
{
	# a restore must not record the restored listings again (docs/events.md)
	local $ENV{PGOPTIONS} = '-c mlsync.listing_events=off';
	$node->command_ok([ 'psql', '-X', '-v', 'ON_ERROR_STOP=1', '-q', '-d', $node->connstr('restored'), '-f', $dump ],
		'the dump restores without errors');
}

my $row_counts = q{
	SELECT string_agg(format('%s=%s', t, n), ' ' ORDER BY t) FROM (
		SELECT 'tenants' t, count(*) n FROM mlsync.mls_tenants UNION ALL
		SELECT 'connections', count(*) FROM mlsync.mls_connections UNION ALL
		SELECT 'credentials', count(*) FROM mlsync.mls_credentials UNION ALL
		SELECT 'sets', count(*) FROM mlsync.mls_mapping_sets UNION ALL
		SELECT 'local_rows', count(*) FROM mlsync.mls_field_mappings WHERE mapping_set = 'local' UNION ALL
		SELECT 'builtin_rows', count(*) FROM mlsync.mls_field_mappings WHERE mapping_set = 'reso-dd-2.0' UNION ALL
		SELECT 'listings', count(*) FROM mlsync.mls_listings UNION ALL
		SELECT 'history', count(*) FROM mlsync.mls_listing_history UNION ALL
		SELECT 'events', count(*) FROM mlsync.mls_events) s};

is($node->safe_psql('restored', $row_counts), $node->safe_psql('postgres', $row_counts),
	'every table has the same rows after the restore, the built-in set once');

is($node->safe_psql('restored', q{
	SELECT list_price || ' ' || (local_overrides ->> 'public_remarks') FROM mlsync.mls_listings}),
	'100000.00 mine', 'listing values and local overrides survive');
is($node->safe_psql('restored', q{
	SELECT string_agg(kind || ':' || decryptable, ',') FROM mlsync.mls_credentials_status('acme', 'bay')}),
	'password:true', 'restored credentials still decrypt with the key');
is($node->safe_psql('restored', q{
	INSERT INTO mlsync.mls_events (tenant_id, kind) VALUES ('acme', 'test') RETURNING event_id}),
	'7', 'identity sequences continue after the restored rows (five events and the listing\'s new_listing)');

$node->stop;
done_testing();
